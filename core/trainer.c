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
#include "trainer_state.h"
#include "preset_schema.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EVAL_CHUNK 512
#define STEP_POOL_MIN 1e7

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

/* The seed of the data and split streams: dataset.seed, or the preset's seed when it is auto (as it
 * was before the key existed, so every run keeps its numbers). */
static uint64_t data_seed(const nn_preset *p)
{
    return isnan(p->dataset.seed) ? p->seed : (uint64_t)p->dataset.seed;
}

/* The preset's dataset.features as feature ids into f; returns how many, 0 for the data's own
 * features (none given, or x1, x2 as they are). */
static int preset_features(const nn_preset *p, int f[NN_FEAT_COUNT])
{
    int n = 0;
    for (int i = 0; i < p->dataset.n_features && i < NN_FEAT_COUNT; i++) {
        int id = nn_feature_find(p->dataset.features[i]);
        if (id >= 0)
            f[n++] = id;
    }
    return nn_features_identity(f, n) ? 0 : n;
}

static nn_status load_dataset(nn_dataset *d, const nn_preset *p, nn_error *err)
{
    const nn_preset_dataset *ds = &p->dataset;
    const nn_source_info *src = nn_source_find(ds->source);
    if (!src)
        return nn_error_set(err, NN_EINVAL, "%s: dataset.source: \"%s\" is not a known source", p->file,
                            ds->source);
    nn_rng r;
    seed_stream(&r, data_seed(p), STREAM_DATA);
    nn_status st = src->load(d, src, ds, p->base_dir, p->file, &r, err);
    if (st != NN_OK)
        return st;
    if (ds->task != NN_AUTO && (nn_task)ds->task != d->task)
        return nn_error_set(err, NN_EINVAL, "%s: dataset.task: source \"%s\" gives %s data", p->file,
                            src->name, d->task == NN_TASK_REGRESSION ? "regression" : "classification");
    int f[NN_FEAT_COUNT];
    int nf = preset_features(p, f);
    if (nf > 0) {
        /* the message names the data: "wine.csv has 13", "the iris source has 4" */
        char what[NN_PATH_MAX + 16];
        const char *base = strrchr(ds->path, '/');
        if (src->n_features == 0 && ds->path[0])
            snprintf(what, sizeof what, "%s", base ? base + 1 : ds->path);
        else
            snprintf(what, sizeof what, "the %s source", src->name);
        nn_error e;
        st = nn_dataset_expand_features(d, f, nf, what, &e);
        if (st != NN_OK)   /* the caller frees d */
            return nn_error_set(err, st, "%s: %.400s", p->file, e.msg);
    }
    return NN_OK;
}

/* The loss of p for data d and an output layer of last_units units (auto: by the task). */
static nn_status resolve_loss(const nn_preset *p, const nn_dataset *d, int last_units, nn_loss *loss, nn_error *err)
{
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
    return resolve_loss(p, d, last_units, loss, err);
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

static void free_cells(nn_trainer *t)
{
    free(t->test_pred);
    free(t->cell_rows);
    free(t->cell_start);
    free(t->cell_fill);
    t->test_pred = NULL;
    t->cell_rows = NULL;
    t->cell_start = t->cell_fill = NULL;
}

/* The per-cell test rows for the current data and split (classification), empty until an evaluation. */
static nn_status alloc_cells(nn_trainer *t)
{
    free_cells(t);
    if (t->data.task != NN_TASK_CLASSIFICATION)
        return NN_OK;
    bool ok = true;
    size_t kk = (size_t)t->data.n_classes * (size_t)t->data.n_classes;
    t->test_pred = xcalloc((size_t)t->split.n_test, sizeof *t->test_pred, &ok);
    t->cell_rows = xcalloc((size_t)t->split.n_test, sizeof *t->cell_rows, &ok);
    t->cell_start = xcalloc(kk + 1, sizeof *t->cell_start, &ok);
    t->cell_fill = xcalloc(kk, sizeof *t->cell_fill, &ok);
    if (!ok) {
        free_cells(t);
        return NN_ENOMEM;
    }
    return NN_OK;
}

/* The test rows idx[0..n) grouped by confusion cell (a counting sort over the confusion matrix just
 * filled, test_pred holding each row's prediction). */
static void build_cells(nn_trainer *t, const uint32_t *idx, int n)
{
    int k = t->data.n_classes, kk = k * k;
    if (!t->cell_rows || n > t->split.n_test)
        return;
    t->cell_start[0] = 0;
    for (int c = 0; c < kk; c++) {
        t->cell_start[c + 1] = t->cell_start[c] + t->confusion[c];
        t->cell_fill[c] = t->cell_start[c];
    }
    for (int i = 0; i < n; i++) {
        int c = t->data.label[idx[i]] * k + t->test_pred[i];
        t->cell_rows[t->cell_fill[c]++] = idx[i];
    }
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

/* Loads, splits and normalises p's data into d, s and nm (each filled, or freed on failure). */
static nn_status load_data(nn_dataset *d, nn_split *s, nn_norm *nm, const nn_preset *p, nn_error *err)
{
    memset(s, 0, sizeof *s);
    memset(nm, 0, sizeof *nm);
    nn_status st = load_dataset(d, p, err);
    if (st != NN_OK)
        goto fail;
    nn_rng split_rng;
    seed_stream(&split_rng, data_seed(p), STREAM_SPLIT);
    nn_error e;
    st = nn_split_init(s, d, p->dataset.split_train, p->dataset.split_val, p->dataset.split_test,
                       p->dataset.shuffle, &split_rng, &e);
    if (st != NN_OK) {
        nn_error_set(err, st, "%s: %.400s", p->file, e.msg);
        goto fail;
    }
    st = nn_norm_fit(nm, p->dataset.normalize, d, s->train, s->n_train, err);
    if (st != NN_OK)
        goto fail;
    nn_norm_apply_dataset(nm, d);
    return NN_OK;
fail:
    nn_dataset_free(d);
    nn_split_free(s);
    nn_norm_free(nm);
    return st;
}

/* Loads, splits and normalises the data, then builds the rest. */
static nn_status init_own_data(nn_trainer *t, const nn_preset *p, pool_source ps, nn_error *err)
{
    memset(t, 0, sizeof *t);
    t->preset = *p;
    t->best_val = INFINITY;
    nn_status st = load_data(&t->data, &t->split, &t->norm, p, err);
    if (st != NN_OK) {
        nn_trainer_free(t);
        return st;
    }
    return init_model(t, p, ps, err);
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
    t->history_cap = p->training.epochs > 0 ? p->training.epochs : 64;   /* grows with a longer run */
    t->history = xcalloc((size_t)t->history_cap, sizeof *t->history, &ok);
    t->confusion = xcalloc((size_t)k * (size_t)k, sizeof(int), &ok);
    st = alloc_cells(t);
    if (st != NN_OK)
        ok = false;
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
    free_cells(t);
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
    t->pos = 0;
    t->last_start = t->last_rows = 0;
    t->leg_start = 0;
    t->n_batches = (t->split.n_train + t->batch_size - 1) / t->batch_size;
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
    if (t->cell_start)   /* no rows behind the cells until the next evaluation */
        memset(t->cell_start, 0, ((size_t)k * (size_t)k + 1) * sizeof *t->cell_start);
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

/* The epoch the run ends at (0: never): leg_start + training.epochs, at most NN_TRAINER_EPOCHS_MAX. */
static int run_end(const nn_trainer *t)
{
    int epochs = t->preset.training.epochs;
    if (epochs <= 0)
        return 0;
    return epochs > NN_TRAINER_EPOCHS_MAX - t->leg_start ? NN_TRAINER_EPOCHS_MAX : t->leg_start + epochs;
}

static bool at_end(const nn_trainer *t)
{
    int end = run_end(t);
    return t->epoch >= NN_TRAINER_EPOCHS_MAX || (end > 0 && t->epoch >= end);
}

/* The batches of the current epoch: those done plus those of the current size left. */
static int batches_of_epoch(const nn_trainer *t)
{
    int left = t->split.n_train - t->pos;
    return t->batch + (left > 0 ? (left + t->batch_size - 1) / t->batch_size : 0);
}

/* Buffers for batches of rows rows (the training split's rows at most): the network's workspace and
 * the gather buffers grow (once, here); a smaller size keeps them. */
static nn_status reserve_batch(nn_trainer *t, int rows, nn_error *err)
{
    if (rows > t->split.n_train)
        rows = t->split.n_train;
    if (rows <= t->net.max_batch)
        return NN_OK;
    size_t nf = (size_t)t->data.n_features, no = (size_t)t->outputs;
    float *xb = calloc((size_t)rows * nf, sizeof(float));
    float *yb = calloc((size_t)rows * no, sizeof(float));
    float *ev = calloc((size_t)rows * no, sizeof(float));
    nn_status st = xb && yb && ev ? nn_network_reserve_batch(&t->net, rows, err)
                                  : nn_error_set(err, NN_ENOMEM, "%s: training.batch_size: out of memory for %d rows",
                                                 t->preset.file, rows);
    if (st != NN_OK) {
        free(xb);
        free(yb);
        free(ev);
        return st;
    }
    free(t->xb);
    free(t->yb);
    free(t->eval_out);
    t->xb = xb;
    t->yb = yb;
    t->eval_out = ev;
    return NN_OK;
}

/* DONE with s as the last epoch's evaluation: with early stopping the best weights come back and
 * the final evaluation describes them. */
static void finish(nn_trainer *t, const nn_epoch_stats *s, nn_error *err)
{
    int patience = t->preset.training.patience;
    if (patience > 0 && t->best_epoch > 0 && t->best_epoch != t->epoch) {
        memcpy(t->net.params, t->best_params, t->net.n_params * sizeof(float));
        nn_epoch_stats best;
        nn_trainer_evaluate(t, &best, err);
        best.seconds = s->seconds;
        t->final_stats = best;
    } else {
        t->final_stats = *s;
    }
    t->state = NN_TRAINER_DONE;
}

/* The live change of np (t's preset with one key set and validated) applied to t: everything that can
 * fail first, then the commit. */
static nn_status apply_live(nn_trainer *t, const nn_preset *np, nn_error *err)
{
    const nn_preset_training *was = &t->preset.training, *now = &np->training;
    nn_loss loss = t->loss;
    nn_status st = NN_OK;
    if (now->loss != was->loss)
        st = resolve_loss(np, &t->data, t->outputs, &loss, err);
    if (st == NN_OK && now->batch_size != was->batch_size)
        st = reserve_batch(t, now->batch_size, err);
    nn_optimizer fresh;
    bool new_rule = now->optimizer.kind != was->optimizer.kind;
    if (st == NN_OK && new_rule)
        st = nn_optimizer_init(&fresh, &now->optimizer, t->net.n_params, err);
    else if (st == NN_OK && memcmp(&now->optimizer, &was->optimizer, sizeof now->optimizer) != 0)
        st = nn_optimizer_set_params(&t->opt, &now->optimizer, err);
    if (st != NN_OK) {
        if (err && strncmp(err->msg, t->preset.file, strlen(t->preset.file)) != 0) {
            char msg[NN_ERRMSG];
            snprintf(msg, sizeof msg, "%s", err->msg);
            nn_error_set(err, st, "%s: %.400s", t->preset.file, msg);
        }
        return st;
    }
    if (new_rule) {   /* its state starts fresh: step 0, zero moments */
        nn_optimizer_free(&t->opt);
        t->opt = fresh;
    }
    bool watch = now->patience > 0 && was->patience <= 0;
    t->preset = *np;
    t->loss = loss;
    t->batch_size = now->batch_size;
    t->n_batches = t->batch == 0 ? (t->split.n_train + t->batch_size - 1) / t->batch_size : batches_of_epoch(t);
    if (watch) {   /* early stopping starts watching from here */
        t->best_val = INFINITY;
        t->best_epoch = 0;
        t->since_best = 0;
    }
    t->base_lr = now->optimizer.lr;
    t->lr = nn_schedule_lr(&now->schedule, t->base_lr, t->epoch, now->epochs);
    /* the end of the run moved: a run that ended at its epochs goes on, one at its new end stops */
    if (t->state == NN_TRAINER_DONE && !t->stopped_early && !at_end(t)) {
        t->state = NN_TRAINER_TRAINING;
        memset(&t->final_stats, 0, sizeof t->final_stats);
    } else if (t->state == NN_TRAINER_TRAINING && t->batch == 0 && t->epoch > 0 && at_end(t)) {
        finish(t, nn_trainer_last(t), err);
    }
    return NN_OK;
}

/* New data for the running experiment (a live change of dataset.seed, noise, samples or the split): p's
 * data loaded, split and normalised anew; the network, its weights and the optimizer's state stay, so
 * the data must give the network the same inputs and outputs. The epoch in progress starts over on
 * the new training rows, and the test metrics are those of the current weights on the new data. */
static nn_status reload_data(nn_trainer *t, const nn_preset *p, nn_error *err)
{
    nn_dataset d;
    nn_split s;
    nn_norm nm;
    nn_status st = load_data(&d, &s, &nm, p, err);
    if (st != NN_OK)
        return st;
    int rows = p->training.batch_size < s.n_train ? p->training.batch_size : s.n_train;
    const char *why = NULL;
    if (d.n_features != t->data.n_features || nn_dataset_outputs(&d) != nn_dataset_outputs(&t->data) ||
        d.task != t->data.task)
        why = "the new data gives the network other inputs or outputs";
    else if (rows > t->net.max_batch)
        why = "its batches no longer fit the network's workspace";
    uint32_t *order = why ? NULL : calloc((size_t)s.n_train + 1, sizeof *order);
    if (!why && !order)
        why = "out of memory";
    if (why) {
        free(order);
        nn_dataset_free(&d);
        nn_split_free(&s);
        nn_norm_free(&nm);
        return nn_error_set(err, NN_EINVAL, "%s: the data cannot change during this run: %s (edit the preset and "
                            "reload)", p->file, why);
    }
    if (t->shared_data) {   /* the donor's data stays the donor's */
        memset(&t->data, 0, sizeof t->data);
        memset(&t->split, 0, sizeof t->split);
        memset(&t->norm, 0, sizeof t->norm);
        t->shared_data = false;
    }
    nn_dataset_free(&t->data);
    nn_split_free(&t->split);
    nn_norm_free(&t->norm);
    t->data = d;
    t->split = s;
    t->norm = nm;
    t->preset = *p;
    free(t->order);
    t->order = order;
    memcpy(t->order, t->split.train, (size_t)t->split.n_train * sizeof *t->order);
    t->n_batches = (t->split.n_train + t->batch_size - 1) / t->batch_size;
    t->batch = 0;
    t->pos = 0;
    t->last_start = t->last_rows = 0;
    t->epoch_seconds = 0;
    if (alloc_cells(t) != NN_OK)
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory for the test rows", p->file);
    nn_epoch_stats now;
    return nn_trainer_evaluate(t, &now, err);
}

/* The keys whose live change is new data (reload_data). */
static bool data_key(const char *key)
{
    return strncmp(key, "dataset.", 8) == 0;
}

nn_status nn_trainer_set_param(nn_trainer *t, const char *key, const char *value, nn_error *err)
{
    if (!nn_preset_key_live(key))
        return nn_error_set(err, NN_EINVAL, "%s cannot change during a run: it changes the network, the data or the "
                            "seed (edit it, and the run starts over)", key);
    if (nn_preset_is_locked(&t->preset, key))
        return nn_error_set(err, NN_EINVAL, "%s is locked by this lesson", key);
    nn_preset *np = malloc(sizeof *np);
    if (!np)
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory", key);
    *np = t->preset;
    nn_status st = nn_preset_set(np, key, value, err);
    if (st == NN_OK)
        st = data_key(key) ? reload_data(t, np, err) : apply_live(t, np, err);
    free(np);
    return st;
}

nn_status nn_trainer_continue(nn_trainer *t, nn_error *err)
{
    if (t->state != NN_TRAINER_DONE)
        return nn_error_set(err, NN_EINVAL, "only a finished run goes on (this one is %s)",
                            t->state == NN_TRAINER_DIVERGED ? "diverged" : "not finished");
    if (t->epoch >= NN_TRAINER_EPOCHS_MAX)
        return nn_error_set(err, NN_EINVAL, "the run holds %d epochs, the most one keeps: reset to go again",
                            NN_TRAINER_EPOCHS_MAX);
    t->leg_start = t->epoch;
    t->stopped_early = false;
    t->since_best = 0;
    memcpy(t->good_params, t->net.params, t->net.n_params * sizeof(float));
    memset(&t->final_stats, 0, sizeof t->final_stats);
    t->state = NN_TRAINER_TRAINING;
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
                if (test) {
                    nn_confusion_add(t->confusion, k, actual, pred);
                    if (t->test_pred)
                        t->test_pred[r0 + i] = pred < 0 ? 0 : pred >= k ? k - 1 : pred;
                }
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
        if (test) {
            nn_metrics_from_confusion(&t->metrics, t->confusion, k);
            build_cells(t, idx, n);
        }
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
    t->pos = 0;
    nn_trainer_evaluate(t, &s, err);
    s.seconds = secs;
    if (t->history_len < t->history_cap)   /* room was made at the epoch's start */
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
    if (t->stopped_early || at_end(t))
        finish(t, &s, err);
    t->n_batches = (t->split.n_train + t->batch_size - 1) / t->batch_size;
    t->lr = nn_schedule_lr(&t->preset.training.schedule, t->base_lr, t->epoch, t->preset.training.epochs);
}

/* Room for one more epoch in the history: it doubles when full (a run that goes on or forever). */
static nn_status history_room(nn_trainer *t, nn_error *err)
{
    if (t->history_len < t->history_cap)
        return NN_OK;
    long cap = (long)t->history_cap * 2;
    if (cap < 64)
        cap = 64;
    if (cap > NN_TRAINER_EPOCHS_MAX)
        cap = NN_TRAINER_EPOCHS_MAX;
    nn_epoch_stats *h = realloc(t->history, (size_t)cap * sizeof *h);
    if (!h)
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory for the history of epoch %d", t->preset.file,
                            t->epoch + 1);
    t->history = h;
    t->history_cap = (int)cap;
    return NN_OK;
}

nn_status nn_trainer_step(nn_trainer *t, nn_error *err)
{
    if (t->state == NN_TRAINER_DONE || t->state == NN_TRAINER_DIVERGED)
        return t->state == NN_TRAINER_DIVERGED ? NN_EDIVERGED : NN_OK;
    double t0 = now_seconds();
    if (t->batch == 0) {
        nn_status st = history_room(t, err);
        if (st != NN_OK)
            return st;
        t->lr = nn_schedule_lr(&t->preset.training.schedule, t->base_lr, t->epoch, t->preset.training.epochs);
        t->epoch_seconds = 0;
        t->pos = 0;
        if (t->preset.dataset.shuffle)
            nn_rng_shuffle(&t->rng, t->order, (size_t)t->split.n_train);
    }
    t->state = NN_TRAINER_TRAINING;
    const nn_preset_training *tp = &t->preset.training;
    int start = t->pos;
    int rows = t->split.n_train - start < t->batch_size ? t->split.n_train - start : t->batch_size;
    /* A small step runs on this thread alone (the same bits: the partition does not depend on
     * the thread count). Below STEP_POOL_MIN rows x parameters (about 6 FLOP each: 60 MFLOP) the
     * second thread cost more than it gave on the 2-core machine: the weights the optimizer just
     * updated on one core are read by the next forward on the other, and each job waits for both
     * (784-256-128-10, batch 32: 1 thread 300-347 us a step against 375-459 on 2, quiet; under
     * load 71-84k against 58-66k samples/s in alternating runs). */
    nn_pool *pool = (double)rows * (double)t->net.n_params < STEP_POOL_MIN ? NULL : t->pool;
    nn_gather_pool(pool, t->xb, t->yb, t->outputs, &t->data, &t->norm, t->order + start, rows);
    float dropout = (float)tp->dropout;
    const float *out = nn_network_forward(&t->net, pool, t->xb, rows, dropout,
                                          dropout > 0.0f ? &t->rng : NULL);
    const nn_layer *top = &t->net.layers[t->net.n_layers - 1];
    double loss = nn_loss_value_out(t->loss, top->act, top->z, out, t->yb, rows, t->outputs);
    if (!isfinite(loss))
        return diverge(t, isnan(loss) ? "the loss is NaN" : "the loss is infinite", err);
    nn_network_backward(&t->net, pool, t->xb, t->yb, rows, t->loss);
    if (tp->reg != NN_REG_NONE)
        nn_network_add_penalty_grad(&t->net, tp->reg, tp->lambda, tp->r);
    if (tp->clip_norm > 0.0) {
        t->last_grad_norm = nn_network_clip_grads_pool(&t->net, pool, tp->clip_norm);
        if (!isfinite(t->last_grad_norm))
            return diverge(t, "a gradient is NaN or infinite", err);
        nn_optimizer_step_pool(&t->opt, pool, t->net.params, t->net.grads, t->lr);
    } else {
        /* No clipping: the norm (the same double) comes from the step's own pass over the
         * gradient; a non-finite one stops the run after the step, and diverge() puts back the
         * weights of the last finished epoch either way. */
        double ss;
        nn_optimizer_step_pool_sumsq(&t->opt, pool, t->net.params, t->net.grads, t->lr, &ss);
        t->last_grad_norm = sqrt(ss);
        if (!isfinite(t->last_grad_norm))
            return diverge(t, "a gradient is NaN or infinite", err);
    }
    t->batch++;
    t->pos += rows;
    t->last_start = start;
    t->last_rows = rows;
    t->samples_seen += rows;
    t->epoch_seconds += now_seconds() - t0;
    if (t->pos >= t->split.n_train) {
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
    out->epochs = run_end(t);
    out->leg_start = t->leg_start;
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

const uint32_t *nn_trainer_cell_rows(const nn_trainer *t, int actual, int predicted, int *n)
{
    int k = t->data.task == NN_TASK_CLASSIFICATION ? t->data.n_classes : 0;
    *n = 0;
    if (!t->cell_rows || actual < 0 || predicted < 0 || actual >= k || predicted >= k)
        return NULL;
    int c = actual * k + predicted;
    *n = t->cell_start[c + 1] - t->cell_start[c];
    return t->cell_rows + t->cell_start[c];
}

const nn_class_metrics *nn_trainer_metrics(const nn_trainer *t) { return &t->metrics; }
const nn_reg_metrics *nn_trainer_reg_metrics(const nn_trainer *t) { return &t->reg; }

int nn_trainer_sample_row(const nn_trainer *t, int k)
{
    return k >= 0 && k < t->split.n_train ? (int)t->split.train[k] : -1;
}

int nn_trainer_forward_last_batch(nn_trainer *t)
{
    int rows = t->last_rows;
    if (rows <= 0)
        return 0;
    nn_gather(t->xb, t->yb, t->outputs, &t->data, &t->norm, t->order + t->last_start, rows);
    nn_network_forward(&t->net, t->pool, t->xb, rows, 0.0f, NULL);
    return rows;
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

nn_status nn_trainer_set_weight(nn_trainer *t, int layer, int i, int j, double value, double *old, nn_error *err)
{
    if (layer < 0 || layer >= t->net.n_layers)
        return nn_error_set(err, NN_EINVAL, "layer %d: the network has layers 1 to %d", layer + 1, t->net.n_layers);
    const nn_layer *L = &t->net.layers[layer];
    if (j < 0 || j >= L->out)
        return nn_error_set(err, NN_EINVAL, "layer %d has units 0 to %d, not %d", layer + 1, L->out - 1, j);
    if (i != NN_TRAINER_BIAS && (i < 0 || i >= L->in))
        return nn_error_set(err, NN_EINVAL, "layer %d has inputs 0 to %d, not %d", layer + 1, L->in - 1, i);
    if (!isfinite(value) || fabs(value) > (double)FLT_MAX)
        return nn_error_set(err, NN_EINVAL, "a weight must be a finite number of at most %.3g in size, not %g",
                            (double)FLT_MAX, value);
    float *p = i == NN_TRAINER_BIAS ? t->net.params + L->b_off + j : t->net.params + L->w_off + (size_t)i * L->out + j;
    if (old)
        *old = (double)*p;
    *p = (float)value;
    if (t->state == NN_TRAINER_DONE) {   /* the final evaluation describes the weights the run holds */
        double secs = t->final_stats.seconds;
        nn_trainer_evaluate(t, &t->final_stats, err);
        t->final_stats.seconds = secs;
    }
    return NN_OK;
}

nn_status nn_trainer_save_model(const nn_trainer *t, const char *path, nn_error *err)
{
    nn_train_state s;
    nn_trainer_state_get(t, &s);
    return nn_model_save_state(path, &t->preset, &t->net, &t->norm, &t->data, &s, err);
}
