/* trainer.c — one experiment as a resumable state machine.
 *
 * The loop is: [epoch start: schedule, shuffle] → batches (gather, forward, backward, penalty,
 * clip, step) → [epoch end: evaluate three splits, history, early stopping]. Every buffer is
 * allocated in nn_trainer_init; nn_trainer_step allocates nothing.
 *
 * Random streams are separate so that each is reproducible on its own: the data stream (synthetic
 * generators), the split stream, the weight stream and the run stream (shuffles, dropout). Reseeding
 * (the UI's "new weights") changes the weight and run streams only; the data and split stay. */
#include "trainer.h"

#include "datasets.h"
#include "files.h"
#include "model_io.h"
#include "preset_schema.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EVAL_CHUNK 512

/* Stream tags mixed into the seed (arbitrary odd constants). */
#define STREAM_DATA 0x9e3779b97f4a7c15ULL
#define STREAM_SPLIT 0xbf58476d1ce4e5b9ULL
#define STREAM_WEIGHTS 0x94d049bb133111ebULL
#define STREAM_RUN 0x2545f4914f6cdd1dULL

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void seed_stream(nn_rng *r, uint64_t seed, uint64_t stream)
{
    nn_rng_seed(r, seed ^ stream);
}

// --- loading and resolving the preset ---------------------------------------------------------

static nn_status load_dataset(nn_dataset *d, const nn_preset *p, nn_error *err)
{
    const nn_preset_dataset *ds = &p->dataset;
    const nn_source_info *src = nn_source_find(ds->source);
    if (!src)
        return nn_error_set(err, NN_EINVAL, "%s: dataset.source: \"%s\" is not a known source", p->file,
                            ds->source);
    nn_rng r;
    seed_stream(&r, p->seed, STREAM_DATA);
    nn_status st = src->load(d, src, ds, p->base_dir, p->file, &r, err);
    if (st != NN_OK)
        return st;
    if (ds->task != NN_AUTO && (nn_task)ds->task != d->task)
        return nn_error_set(err, NN_EINVAL, "%s: dataset.task: source \"%s\" gives %s data", p->file,
                            src->name, d->task == NN_TASK_REGRESSION ? "regression" : "classification");
    return NN_OK;
}

/* Resolves the preset's layers against the dataset into specs; returns the loss. */
static nn_status resolve_model(const nn_preset *p, const nn_dataset *d, nn_layer_spec *specs, nn_loss *loss,
                               nn_error *err)
{
    int outputs = nn_dataset_outputs(d);
    int n = p->n_layers;
    if (n < 1)
        return nn_error_set(err, NN_EINVAL, "%s: model.layers: at least one layer is needed", p->file);
    for (int i = 0; i < n; i++) {
        const nn_preset_layer *L = &p->layers[i];
        bool last = i == n - 1;
        nn_layer_spec *s = &specs[i];
        s->units = L->units;
        if (last && s->units == 0)
            s->units = outputs;
        if (s->units <= 0)
            return nn_error_set(err, NN_EINVAL, "%s: model.layers.%d.units: a hidden layer needs units >= 1",
                                p->file, i);
        if (L->act != NN_AUTO)
            s->act = (nn_act)L->act;
        else if (!last)
            s->act = NN_ACT_RELU;
        else if (d->task == NN_TASK_REGRESSION)
            s->act = NN_ACT_LINEAR;
        else
            s->act = s->units == 1 ? NN_ACT_SIGMOID : NN_ACT_SOFTMAX;
        s->alpha = isnan(L->alpha) ? nn_act_table[s->act].default_alpha : L->alpha;
        s->init = L->init;
        s->dist = L->dist;
    }
    if (d->task == NN_TASK_CLASSIFICATION && d->n_classes < 2)
        return nn_error_set(err, NN_EINVAL, "%s: the dataset has %d class: classification needs at least 2", p->file,
                            d->n_classes);
    int last_units = specs[n - 1].units;
    bool binary_single = d->task == NN_TASK_CLASSIFICATION && d->n_classes == 2 && last_units == 1;
    if (last_units != outputs && !binary_single)
        return nn_error_set(err, NN_EINVAL,
                            "%s: model.layers.%d.units: the output layer has %d units but the dataset has %d %s",
                            p->file, n - 1, last_units, outputs,
                            d->task == NN_TASK_REGRESSION ? "targets" : "classes");
    if (p->training.loss != NN_AUTO)
        *loss = (nn_loss)p->training.loss;
    else if (d->task == NN_TASK_REGRESSION)
        *loss = NN_LOSS_MSE;
    else
        *loss = last_units == 1 ? NN_LOSS_BCE : NN_LOSS_CE;
    if (d->task == NN_TASK_REGRESSION && nn_loss_table[*loss].classification)
        return nn_error_set(err, NN_EINVAL, "%s: training.loss: %s needs a classification dataset", p->file,
                            nn_loss_name(*loss));
    return NN_OK;
}

static void *xcalloc(size_t n, size_t size, bool *ok)
{
    if (n == 0)
        n = 1;
    void *q = calloc(n, size);
    if (!q)
        *ok = false;
    return q;
}

/* Where a trainer's threads come from: a pool of its own (threads: 0 = one per core, 1 = none), or
 * a pool it borrows (borrowed: pool, NULL for one thread). */
typedef struct {
    int threads;
    bool borrowed;
    nn_pool *pool;
} pool_source;

static nn_status init_model(nn_trainer *t, const nn_preset *p, pool_source ps, nn_error *err);
static nn_status init_own_data(nn_trainer *t, const nn_preset *p, pool_source ps, nn_error *err);

nn_status nn_trainer_init(nn_trainer *t, const nn_preset *p, int threads, nn_error *err)
{
    pool_source ps = {threads, false, NULL};
    return init_own_data(t, p, ps, err);
}

/* Loads, splits and normalises the data, then builds the rest. */
static nn_status init_own_data(nn_trainer *t, const nn_preset *p, pool_source ps, nn_error *err)
{
    memset(t, 0, sizeof *t);
    t->preset = *p;
    t->best_val = INFINITY;
    nn_status st = load_dataset(&t->data, p, err);
    if (st != NN_OK)
        goto fail;

    nn_rng split_rng;
    seed_stream(&split_rng, p->seed, STREAM_SPLIT);
    nn_error e;
    st = nn_split_init(&t->split, &t->data, p->dataset.split_train, p->dataset.split_val,
                       p->dataset.split_test, p->dataset.shuffle, &split_rng, &e);
    if (st != NN_OK) {
        nn_error_set(err, st, "%s: %.400s", p->file, e.msg);
        goto fail;
    }
    st = nn_norm_fit(&t->norm, p->dataset.normalize, &t->data, t->split.train, t->split.n_train, err);
    if (st != NN_OK)
        goto fail;
    nn_norm_apply_dataset(&t->norm, &t->data);
    return init_model(t, p, ps, err);
fail:
    nn_trainer_free(t);
    return st;
}

/* The same data, split and normalisation: the dataset section (compared field by field through
 * the writer's text would be slow; the section is plain data, copied from one preset, so bytes do),
 * the folder relative paths start from, and the seed that drew the split and synthetic data. */
static bool same_data(const nn_preset *a, const nn_preset *b)
{
    return a->seed == b->seed && memcmp(&a->dataset, &b->dataset, sizeof a->dataset) == 0 &&
           strcmp(a->base_dir, b->base_dir) == 0;
}

static nn_status init_from_donor(nn_trainer *t, const nn_preset *p, const nn_trainer *donor, pool_source ps,
                                 nn_error *err)
{
    if (!donor || (!donor->data.x && !donor->data.x8) || !same_data(p, &donor->preset))
        return init_own_data(t, p, ps, err);
    memset(t, 0, sizeof *t);
    t->preset = *p;
    t->best_val = INFINITY;
    t->data = donor->data;
    t->split = donor->split;
    t->norm = donor->norm;
    t->shared_data = true;
    return init_model(t, p, ps, err);
}

nn_status nn_trainer_init_shared(nn_trainer *t, const nn_preset *p, const nn_trainer *donor, int threads,
                                 nn_error *err)
{
    pool_source ps = {threads, false, NULL};
    return init_from_donor(t, p, donor, ps, err);
}

nn_status nn_trainer_init_borrowed(nn_trainer *t, const nn_preset *p, const nn_trainer *donor, nn_pool *pool,
                                   nn_error *err)
{
    pool_source ps = {1, true, pool};
    return init_from_donor(t, p, donor, ps, err);
}

/* The rest of init, from the loaded, split and normalised data: network, optimizer, pool, buffers,
 * the first weights. On failure frees t. */
static nn_status init_model(nn_trainer *t, const nn_preset *p, pool_source ps, nn_error *err)
{
    nn_layer_spec specs[NN_MAX_LAYERS];
    nn_status st = resolve_model(p, &t->data, specs, &t->loss, err);
    if (st != NN_OK)
        goto fail;
    t->batch_size = p->training.batch_size;
    /* evaluation chunks of up to EVAL_CHUNK rows, fewer for very wide data (<= 4M floats a chunk) */
    int eval_rows = EVAL_CHUNK;
    if ((size_t)eval_rows * (size_t)t->data.n_features > ((size_t)1 << 22))
        eval_rows = (int)(((size_t)1 << 22) / (size_t)t->data.n_features) + 1;
    /* a batch never holds more rows than the training split */
    int batch_rows = t->batch_size < t->split.n_train ? t->batch_size : t->split.n_train;
    int max_batch = batch_rows > eval_rows ? batch_rows : eval_rows;
    st = nn_network_init(&t->net, t->data.n_features, specs, p->n_layers, max_batch, err);
    if (st != NN_OK)
        goto fail_named;
    t->outputs = nn_network_outputs(&t->net);
    st = nn_optimizer_init(&t->opt, &p->training.optimizer, t->net.n_params, err);
    if (st != NN_OK)
        goto fail_named;
    if (ps.borrowed) {
        t->pool = ps.pool;
        t->pool_borrowed = true;
    } else if (ps.threads != 1) {
        t->pool = nn_pool_create(ps.threads, err);
        if (!t->pool) {
            st = err ? err->code : NN_ENOMEM;
            goto fail;
        }
    }

    bool ok = true;
    size_t np = t->net.n_params;
    int k = t->data.task == NN_TASK_CLASSIFICATION ? t->data.n_classes : 1;
    t->order = xcalloc((size_t)t->split.n_train, sizeof *t->order, &ok);
    t->xb = xcalloc((size_t)max_batch * (size_t)t->data.n_features, sizeof(float), &ok);
    t->yb = xcalloc((size_t)max_batch * (size_t)t->outputs, sizeof(float), &ok);
    t->eval_out = xcalloc((size_t)max_batch * (size_t)t->outputs, sizeof(float), &ok);
    t->init_params = xcalloc(np, sizeof(float), &ok);
    t->good_params = xcalloc(np, sizeof(float), &ok);
    t->best_params = xcalloc(np, sizeof(float), &ok);
    t->history = xcalloc((size_t)p->training.epochs, sizeof *t->history, &ok);
    t->confusion = xcalloc((size_t)k * (size_t)k, sizeof(int), &ok);
    if (!ok) {
        st = nn_error_set(err, NN_ENOMEM, "%s: out of memory for the training buffers", p->file);
        goto fail;
    }
    t->n_batches = (t->split.n_train + t->batch_size - 1) / t->batch_size;
    t->base_lr = p->training.optimizer.lr;
    nn_trainer_reset(t, true, p->seed);
    return NN_OK;
fail_named:
    /* the network and optimizer name the preset field; add the file */
    if (err && strncmp(err->msg, p->file, strlen(p->file)) != 0) {
        char field[NN_ERRMSG];
        snprintf(field, sizeof field, "%s", err->msg);
        nn_error_set(err, st, "%s: %.400s", p->file, field);
    }
fail:
    nn_trainer_free(t);
    return st;
}

void nn_trainer_free(nn_trainer *t)
{
    if (t->shared_data) {
        memset(&t->data, 0, sizeof t->data);
        memset(&t->split, 0, sizeof t->split);
        memset(&t->norm, 0, sizeof t->norm);
        t->shared_data = false;
    }
    nn_dataset_free(&t->data);
    nn_split_free(&t->split);
    nn_norm_free(&t->norm);
    nn_network_free(&t->net);
    nn_optimizer_free(&t->opt);
    if (!t->pool_borrowed)
        nn_pool_destroy(t->pool);
    free(t->order);
    free(t->xb);
    free(t->yb);
    free(t->eval_out);
    free(t->init_params);
    free(t->good_params);
    free(t->best_params);
    free(t->history);
    free(t->confusion);
    memset(t, 0, sizeof *t);
}

void nn_trainer_reset(nn_trainer *t, bool new_seed, uint64_t seed)
{
    size_t bytes = t->net.n_params * sizeof(float);
    if (new_seed) {
        t->seed = seed;
        nn_rng wr;
        seed_stream(&wr, seed, STREAM_WEIGHTS);
        nn_network_init_weights(&t->net, &wr);
        memcpy(t->init_params, t->net.params, bytes);
    } else {
        memcpy(t->net.params, t->init_params, bytes);
    }
    memcpy(t->good_params, t->init_params, bytes);
    memcpy(t->best_params, t->init_params, bytes);
    seed_stream(&t->rng, t->seed, STREAM_RUN);
    memcpy(t->order, t->split.train, (size_t)t->split.n_train * sizeof *t->order);
    nn_optimizer_reset(&t->opt);
    t->state = NN_TRAINER_READY;
    t->epoch = 0;
    t->batch = 0;
    t->history_len = 0;
    t->best_val = INFINITY;
    t->best_epoch = 0;
    t->since_best = 0;
    t->stopped_early = false;
    t->epoch_seconds = 0;
    t->last_grad_norm = 0;
    t->samples_seen = 0;
    t->lr = nn_schedule_lr(&t->preset.training.schedule, t->base_lr, 0, t->preset.training.epochs);
    t->fault[0] = '\0';
    int k = t->data.task == NN_TASK_CLASSIFICATION ? t->data.n_classes : 1;
    nn_confusion_clear(t->confusion, k);
    memset(&t->metrics, 0, sizeof t->metrics);
    memset(&t->final_stats, 0, sizeof t->final_stats);
    nn_reg_metrics_clear(&t->reg);
}

void nn_trainer_set_lr(nn_trainer *t, double lr)
{
    if (!(lr > 0) || !isfinite(lr))
        return;
    t->base_lr = lr;
    t->preset.training.optimizer.lr = lr;   /* a saved model shows the live value */
    t->lr = nn_schedule_lr(&t->preset.training.schedule, t->base_lr, t->epoch, t->preset.training.epochs);
}

/* The live keys of the schema (NN_KEY_LIVE) as a message lists them: "training.optimizer.learning_rate;
 * training.regularization: method, lambda, r, dropout" (keys under one level after its path). */
static void live_key_list(char *out, size_t cap)
{
    size_t len = 0;
    out[0] = '\0';
    const nn_preset_key *up = NULL;
    for (int i = 0; i < nn_preset_key_count; i++) {
        const nn_preset_key *k = &nn_preset_keys[i];
        if (!(k->flags & NN_KEY_LIVE) || (k->flags & NN_KEY_ABOUT))   /* settings, not the name */
            continue;
        const nn_preset_key *parent = nn_preset_key_parent(k);
        const char *last = strrchr(k->path, '.') ? strrchr(k->path, '.') + 1 : k->path;
        bool next_same = false;
        for (int j = i + 1; j < nn_preset_key_count && !next_same; j++)
            next_same = (nn_preset_keys[j].flags & NN_KEY_LIVE) && nn_preset_key_parent(&nn_preset_keys[j]) == parent;
        int w;
        if (parent && parent == up)
            w = snprintf(out + len, cap - len, ", %s", last);
        else if (parent && next_same)
            w = snprintf(out + len, cap - len, "%s%s: %s", len ? "; " : "", parent->path, last);
        else
            w = snprintf(out + len, cap - len, "%s%s", len ? "; " : "", k->path);
        if (w < 0 || (size_t)w >= cap - len)
            break;   /* cut (the five live keys take about 90 bytes) */
        len += (size_t)w;
        up = parent;
    }
}

nn_status nn_trainer_set_param(nn_trainer *t, const char *key, const char *value, nn_error *err)
{
    if (!nn_preset_key_live(key)) {
        char keys[320];
        live_key_list(keys, sizeof keys);
        return nn_error_set(err, NN_EINVAL, "%s cannot change during a run; live keys: %s (edit the preset and reload "
                            "for the rest)", key, keys);
    }
    if (nn_preset_is_locked(&t->preset, key))
        return nn_error_set(err, NN_EINVAL, "%s is locked by this lesson", key);
    nn_status st = nn_preset_set(&t->preset, key, value, err);
    if (st != NN_OK)
        return st;
    if (strcmp(key, "training.optimizer.learning_rate") == 0)
        nn_trainer_set_lr(t, t->preset.training.optimizer.lr);
    return NN_OK;
}

// --- evaluation ---------------------------------------------------------------------------------

void nn_trainer_predict(nn_trainer *t, const float *x, int rows, float *out)
{
    int nf = t->data.n_features, no = t->outputs;
    for (int r0 = 0; r0 < rows; r0 += t->net.max_batch) {
        int r = rows - r0 < t->net.max_batch ? rows - r0 : t->net.max_batch;
        const float *o = nn_network_forward(&t->net, t->pool, x + (size_t)r0 * nf, r, 0.0f, NULL);
        memcpy(out + (size_t)r0 * no, o, (size_t)r * no * sizeof(float));
        if (t->data.task == NN_TASK_REGRESSION)
            nn_norm_unscale_targets(&t->norm, out + (size_t)r0 * no, r);
    }
}

typedef struct {
    double loss;      /* mean */
    double acc;       /* accuracy or R² */
} split_eval;

/* Loss and accuracy (R²) over rows idx[0..n); fills the confusion matrix / metrics when test. */
static split_eval eval_split(nn_trainer *t, const uint32_t *idx, int n, bool test)
{
    split_eval e = {NAN, NAN};
    if (n <= 0)
        return e;
    int no = t->outputs, k = t->data.n_classes;
    bool cls = t->data.task == NN_TASK_CLASSIFICATION;
    /* The split's loss whatever the chunking: mae, mse and the cross-entropies are means over the
     * rows, so the chunks' means weighted by their rows add up to the split's mean; rmse is the root
     * of the split's mse (the mean of the chunks' roots is not). */
    const bool root = nn_loss_table[t->loss].root_of_mse;
    const nn_loss summed = root ? NN_LOSS_MSE : t->loss;
    double loss_sum = 0;
    long correct = 0;
    nn_reg_metrics rm;
    nn_reg_metrics_clear(&rm);
    if (test && cls)
        nn_confusion_clear(t->confusion, k);
    int chunk = t->net.max_batch;
    const nn_layer *top = &t->net.layers[t->net.n_layers - 1];
    for (int r0 = 0; r0 < n; r0 += chunk) {
        int r = n - r0 < chunk ? n - r0 : chunk;
        /* targets raw (original units) for regression: the loss is reported in data units */
        nn_gather(t->xb, t->yb, no, &t->data, NULL, idx + r0, r);
        const float *o = nn_network_forward(&t->net, t->pool, t->xb, r, 0.0f, NULL);
        if (cls) {
            loss_sum += nn_loss_value_out(summed, top->act, top->z, o, t->yb, r, no) * r;
            for (int i = 0; i < r; i++) {
                int pred = nn_predict_class(o + (size_t)i * no, no);
                int actual = t->data.label[idx[r0 + i]];
                correct += pred == actual;
                if (test)
                    nn_confusion_add(t->confusion, k, actual, pred);
            }
        } else {
            memcpy(t->eval_out, o, (size_t)r * no * sizeof(float));
            nn_norm_unscale_targets(&t->norm, t->eval_out, r);
            loss_sum += nn_loss_value(summed, t->eval_out, t->yb, r, no) * r;
            nn_reg_metrics_add(&rm, t->eval_out, t->yb, r, no);
        }
    }
    e.loss = root ? sqrt(loss_sum / n) : loss_sum / n;
    if (cls) {
        e.acc = (double)correct / n;
        if (test)
            nn_metrics_from_confusion(&t->metrics, t->confusion, k);
    } else {
        nn_reg_metrics_finish(&rm);
        e.acc = rm.r2;
        if (test)
            t->reg = rm;
    }
    return e;
}

nn_status nn_trainer_evaluate(nn_trainer *t, nn_epoch_stats *s, nn_error *err)
{
    double t0 = now_seconds();
    memset(s, 0, sizeof *s);
    s->epoch = t->epoch;
    split_eval tr = eval_split(t, t->split.train, t->split.n_train, false);
    split_eval va = eval_split(t, t->split.val, t->split.n_val, false);
    split_eval te = eval_split(t, t->split.test, t->split.n_test, true);
    s->train_loss = tr.loss;
    s->train_acc = tr.acc;
    s->val_loss = va.loss;
    s->val_acc = va.acc;
    s->test_loss = te.loss;
    s->test_acc = te.acc;
    const nn_preset_training *tp = &t->preset.training;
    s->penalty = tp->reg == NN_REG_NONE ? 0.0 : nn_network_penalty(&t->net, tp->reg, tp->lambda, tp->r);
    s->lr = t->lr;
    s->grad_norm = t->last_grad_norm;
    s->eval_seconds = now_seconds() - t0;
    (void)err;
    return NN_OK;
}

// --- training -----------------------------------------------------------------------------------

static bool params_finite(const float *p, size_t n)
{
    float acc = 0.0f;
    for (size_t i = 0; i < n; i++)
        acc += p[i] * 0.0f; /* NaN or Inf makes acc NaN */
    return acc == 0.0f;
}

static nn_status diverge(nn_trainer *t, const char *what, nn_error *err)
{
    snprintf(t->fault, sizeof t->fault,
             "diverged at epoch %d, batch %d: %s (lower the learning rate or set training.clip_norm)",
             t->epoch + 1, t->batch + 1, what);
    memcpy(t->net.params, t->good_params, t->net.n_params * sizeof(float));
    t->state = NN_TRAINER_DIVERGED;
    return nn_error_set(err, NN_EDIVERGED, "%s: %s", t->preset.file, t->fault);
}

static void end_epoch(nn_trainer *t, nn_error *err)
{
    nn_epoch_stats s;
    double secs = t->epoch_seconds;
    t->epoch++;
    t->batch = 0;
    nn_trainer_evaluate(t, &s, err);
    s.seconds = secs;
    if (t->history_len < t->preset.training.epochs)
        t->history[t->history_len++] = s;
    memcpy(t->good_params, t->net.params, t->net.n_params * sizeof(float));

    int patience = t->preset.training.patience;
    if (patience > 0 && t->split.n_val > 0) {
        if (s.val_loss < t->best_val) {
            t->best_val = s.val_loss;
            t->best_epoch = t->epoch;
            t->since_best = 0;
            memcpy(t->best_params, t->net.params, t->net.n_params * sizeof(float));
        } else if (++t->since_best >= patience) {
            t->stopped_early = true;
        }
    }
    if (t->stopped_early || t->epoch >= t->preset.training.epochs) {
        if (patience > 0 && t->best_epoch > 0 && t->best_epoch != t->epoch) {
            /* restore the best weights; the final metrics describe them */
            memcpy(t->net.params, t->best_params, t->net.n_params * sizeof(float));
            nn_epoch_stats best;
            nn_trainer_evaluate(t, &best, err);
            best.seconds = secs;
            t->final_stats = best;
        } else {
            t->final_stats = s;
        }
        t->state = NN_TRAINER_DONE;
    }
    t->lr = nn_schedule_lr(&t->preset.training.schedule, t->base_lr, t->epoch, t->preset.training.epochs);
}

nn_status nn_trainer_step(nn_trainer *t, nn_error *err)
{
    if (t->state == NN_TRAINER_DONE || t->state == NN_TRAINER_DIVERGED)
        return t->state == NN_TRAINER_DIVERGED ? NN_EDIVERGED : NN_OK;
    double t0 = now_seconds();
    t->state = NN_TRAINER_TRAINING;
    if (t->batch == 0) {
        t->lr = nn_schedule_lr(&t->preset.training.schedule, t->base_lr, t->epoch, t->preset.training.epochs);
        t->epoch_seconds = 0;
        if (t->preset.dataset.shuffle)
            nn_rng_shuffle(&t->rng, t->order, (size_t)t->split.n_train);
    }
    const nn_preset_training *tp = &t->preset.training;
    int start = t->batch * t->batch_size;
    int rows = t->split.n_train - start < t->batch_size ? t->split.n_train - start : t->batch_size;
    nn_gather_pool(t->pool, t->xb, t->yb, t->outputs, &t->data, &t->norm, t->order + start, rows);
    float dropout = (float)tp->dropout;
    const float *out = nn_network_forward(&t->net, t->pool, t->xb, rows, dropout,
                                          dropout > 0.0f ? &t->rng : NULL);
    const nn_layer *top = &t->net.layers[t->net.n_layers - 1];
    double loss = nn_loss_value_out(t->loss, top->act, top->z, out, t->yb, rows, t->outputs);
    if (!isfinite(loss))
        return diverge(t, isnan(loss) ? "the loss is NaN" : "the loss is infinite", err);
    nn_network_backward(&t->net, t->pool, t->xb, t->yb, rows, t->loss);
    if (tp->reg != NN_REG_NONE)
        nn_network_add_penalty_grad(&t->net, tp->reg, tp->lambda, tp->r);
    if (tp->clip_norm > 0.0) {
        t->last_grad_norm = nn_network_clip_grads_pool(&t->net, t->pool, tp->clip_norm);
        if (!isfinite(t->last_grad_norm))
            return diverge(t, "a gradient is NaN or infinite", err);
        nn_optimizer_step_pool(&t->opt, t->pool, t->net.params, t->net.grads, t->lr);
    } else {
        /* No clipping: the norm (the same double) comes from the step's own pass over the
         * gradient; a non-finite one stops the run after the step, and diverge() puts back the
         * weights of the last finished epoch either way. */
        double ss;
        nn_optimizer_step_pool_sumsq(&t->opt, t->pool, t->net.params, t->net.grads, t->lr, &ss);
        t->last_grad_norm = sqrt(ss);
        if (!isfinite(t->last_grad_norm))
            return diverge(t, "a gradient is NaN or infinite", err);
    }
    t->batch++;
    t->samples_seen += rows;
    t->epoch_seconds += now_seconds() - t0;
    if (t->batch >= t->n_batches) {
        if (!params_finite(t->net.params, t->net.n_params))
            return diverge(t, "a weight is NaN or infinite", err);
        end_epoch(t, err);
        const nn_epoch_stats *s = nn_trainer_last(t);
        if (s && !isfinite(s->train_loss))
            return diverge(t, "the training loss is not finite", err);
    }
    return NN_OK;
}

bool nn_trainer_epoch_ended(const nn_trainer *t)
{
    return t->batch == 0 && t->epoch > 0 && t->state != NN_TRAINER_READY;
}

nn_status nn_trainer_epoch(nn_trainer *t, nn_error *err)
{
    int e = t->epoch;
    while (!nn_trainer_finished(t) && t->epoch == e) {
        nn_status st = nn_trainer_step(t, err);
        if (st != NN_OK)
            return st;
    }
    return NN_OK;
}

bool nn_trainer_finished(const nn_trainer *t)
{
    return t->state == NN_TRAINER_DONE || t->state == NN_TRAINER_DIVERGED;
}

const nn_epoch_stats *nn_trainer_last(const nn_trainer *t)
{
    return t->history_len > 0 ? &t->history[t->history_len - 1] : NULL;
}

// --- accessors ------------------------------------------------------------------------------------

void nn_trainer_progress_get(const nn_trainer *t, nn_trainer_progress *out)
{
    memset(out, 0, sizeof *out);
    out->state = t->state;
    out->epoch = t->epoch;
    out->epochs = t->preset.training.epochs;
    out->batch = t->batch;
    out->n_batches = t->n_batches;
    out->batch_size = t->batch_size;
    out->seed = t->seed;
    out->lr = t->lr;
    out->base_lr = t->base_lr;
    out->samples_seen = t->samples_seen;
    out->threads = nn_pool_threads(t->pool);
    out->stopped_early = t->stopped_early;
    out->best_epoch = t->preset.training.patience > 0 ? t->best_epoch : 0;
    out->history_len = t->history_len;
    out->optimizer = t->opt.p.kind;
    out->loss = t->loss;
    out->outputs = t->outputs;
}

const nn_preset *nn_trainer_preset(const nn_trainer *t) { return &t->preset; }
const nn_dataset *nn_trainer_data(const nn_trainer *t) { return &t->data; }
const nn_split *nn_trainer_split(const nn_trainer *t) { return &t->split; }
const nn_norm *nn_trainer_norm(const nn_trainer *t) { return &t->norm; }
const nn_network *nn_trainer_network(const nn_trainer *t) { return &t->net; }
const nn_optimizer *nn_trainer_optimizer(const nn_trainer *t) { return &t->opt; }

const nn_epoch_stats *nn_trainer_history(const nn_trainer *t, int *len)
{
    if (len)
        *len = t->history_len;
    return t->history;
}

const nn_epoch_stats *nn_trainer_final(const nn_trainer *t)
{
    return t->state == NN_TRAINER_DONE ? &t->final_stats : NULL;
}

const char *nn_trainer_fault(const nn_trainer *t)
{
    return t->fault;
}

const int *nn_trainer_confusion(const nn_trainer *t, int *k)
{
    if (k)
        *k = t->data.task == NN_TASK_CLASSIFICATION ? t->data.n_classes : 0;
    return t->confusion;
}

const nn_class_metrics *nn_trainer_metrics(const nn_trainer *t) { return &t->metrics; }
const nn_reg_metrics *nn_trainer_reg_metrics(const nn_trainer *t) { return &t->reg; }

int nn_trainer_sample_row(const nn_trainer *t, int k)
{
    return k >= 0 && k < t->split.n_train ? (int)t->split.train[k] : -1;
}

int nn_trainer_forward_batch(nn_trainer *t, int b)
{
    if (b < 0 || b >= t->n_batches)
        return 0;
    int start = b * t->batch_size;
    int rows = t->split.n_train - start < t->batch_size ? t->split.n_train - start : t->batch_size;
    if (rows <= 0)
        return 0;
    /* t->xb/yb are the step's scratch, free between steps */
    nn_gather(t->xb, t->yb, t->outputs, &t->data, &t->norm, t->order + start, rows);
    nn_network_forward(&t->net, t->pool, t->xb, rows, 0.0f, NULL);
    return rows;
}

nn_status nn_trainer_set_weights(nn_trainer *t, const float *params, size_t n, nn_error *err)
{
    if (n != t->net.n_params)
        return nn_error_set(err, NN_EINVAL, "%zu weights for a network of %zu", n, t->net.n_params);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(params[i]))
            return nn_error_set(err, NN_EINVAL, "weight %zu is not finite", i);
    memcpy(t->init_params, params, n * sizeof *params);
    nn_trainer_reset(t, false, t->seed);
    return NN_OK;
}

nn_status nn_trainer_save_model(const nn_trainer *t, const char *path, nn_error *err)
{
    return nn_model_save(path, &t->preset, &t->net, &t->norm, &t->data, err);
}
