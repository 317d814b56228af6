/* report_fill.c — an nn_report from a trainer or a model file (see report.h): the text, the history,
 * the current weights' evaluation, the boundary (core/probe.c) and the network's parameters. */
#include "report.h"

#include "nn_config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nn_report_init(nn_report *r)
{
    memset(r, 0, sizeof *r);
    r->view = NN_PROBE_NONE;
}

void nn_report_free(nn_report *r)
{
    free(r->hist);
    for (int i = 0; i < r->n_curves; i++)
        free(r->curves[i].loss);
    free(r->confusion);
    free(r->fit_actual);
    free(r->fit_pred);
    free(r->grid_cls);
    free(r->grid_conf);
    free(r->curve_x);
    free(r->curve_y);
    free(r->points);
    for (int l = 0; l < r->n_layers && l < NN_MAX_LAYERS; l++) {
        free(r->layers[l].w);
        free(r->layers[l].b);
    }
    nn_report_init(r);
}

static void copy_text(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

static void add_config(nn_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_config(nn_report *r, const char *fmt, ...)
{
    if (r->n_config >= NN_REPORT_CONFIG_LINES)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->config[r->n_config++], NN_REPORT_LINE, fmt, ap);
    va_end(ap);
}

void nn_report_add_event(nn_report *r, double x, const char *what)
{
    if (r->n_events == NN_REPORT_MAX_EVENTS) {
        memmove(r->events, r->events + 1, (NN_REPORT_MAX_EVENTS - 1) * sizeof r->events[0]);
        r->n_events--;
    }
    nn_report_event *e = &r->events[r->n_events++];
    e->x = x;
    copy_text(e->what, sizeof e->what, what);
}

nn_status nn_report_add_curve(nn_report *r, const char *name, const double *loss, int n, nn_error *err)
{
    if (r->n_curves >= NN_REPORT_MAX_CURVES)
        return nn_error_set(err, NN_EINVAL, "report: at most %d pinned curves", NN_REPORT_MAX_CURVES);
    nn_report_curve *c = &r->curves[r->n_curves];
    c->loss = malloc((size_t)(n > 0 ? n : 1) * sizeof *c->loss);
    if (!c->loss)
        return nn_error_set(err, NN_ENOMEM, "report: out of memory for a curve of %d epochs", n);
    if (n > 0)
        memcpy(c->loss, loss, (size_t)n * sizeof *loss);
    c->n = n > 0 ? n : 0;
    copy_text(c->name, sizeof c->name, name);
    r->n_curves++;
    return NN_OK;
}

// --- the configuration, in the words of `nnterm train`'s header -----------------------------------

/* ", schedule step (step_size 10, gamma 0.1)", "; l2 lambda 0.01", ... after "training: ...". */
static void describe_extras(const nn_preset *p, char *out, size_t cap)
{
    const nn_preset_training *tr = &p->training;
    size_t off = 0;
    out[0] = '\0';
#define PUT(...) off += (size_t)snprintf(out + off, off < cap ? cap - off : 0, __VA_ARGS__)
    const nn_schedule *s = &tr->schedule;
    switch (s->kind) {
    case NN_SCHED_CONSTANT:
        break;
    case NN_SCHED_STEP:
        PUT("schedule step (every %d epochs x%g)", s->step_size, s->gamma);
        break;
    case NN_SCHED_EXPONENTIAL:
        PUT("schedule exponential (x%g per epoch)", s->gamma);
        break;
    case NN_SCHED_COSINE:
        PUT("schedule cosine (t_max %d, eta_min %g)", s->t_max, s->eta_min);
        break;
    case NN_SCHED_COUNT:
        break;
    }
    if (tr->reg != NN_REG_NONE)
        PUT("%s%s lambda %g", off ? "; " : "", nn_reg_names[tr->reg], tr->lambda);
    if (tr->reg == NN_REG_ELASTICNET)
        PUT(" r %g", tr->r);
    if (tr->dropout > 0)
        PUT("%sdropout %g", off ? "; " : "", tr->dropout);
    if (tr->patience > 0)
        PUT("%searly stopping (patience %d)", off ? "; " : "", tr->patience);
    if (tr->clip_norm > 0)
        PUT("%sclip norm %g", off ? "; " : "", tr->clip_norm);
#undef PUT
}

static void describe(nn_report *r, const nn_trainer *t)
{
    const nn_preset *p = nn_trainer_preset(t);
    const nn_dataset *d = nn_trainer_data(t);
    const nn_split *sp = nn_trainer_split(t);
    const nn_network *net = nn_trainer_network(t);
    nn_trainer_progress pr;
    nn_trainer_progress_get(t, &pr);
    r->n_config = 0;
    if (d->task == NN_TASK_CLASSIFICATION)
        add_config(r, "data: %s, %d samples (%d train / %d val / %d test), %d features, %d classes", p->dataset.source,
                   d->n, sp->n_train, sp->n_val, sp->n_test, d->n_features, d->n_classes);
    else
        add_config(r, "data: %s, %d samples (%d train / %d val / %d test), %d features, regression",
                   p->dataset.source, d->n, sp->n_train, sp->n_val, sp->n_test, d->n_features);
    char arch[NN_REPORT_LINE];
    size_t off = (size_t)snprintf(arch, sizeof arch, "%d", net->n_inputs);
    for (int i = 0; i < net->n_layers && off < sizeof arch; i++)
        off += (size_t)snprintf(arch + off, sizeof arch - off, "-%d", net->layers[i].out);
    for (int i = 0; i < net->n_layers && off < sizeof arch; i++)
        off += (size_t)snprintf(arch + off, sizeof arch - off, "%s%s%s", i ? ", " : " (", nn_act_name(net->layers[i].act),
                                i == net->n_layers - 1 ? ")" : "");
    add_config(r, "network: %s, %zu parameters", arch, net->n_params);
    add_config(r, "training: %s loss, %s lr %g, batch %d, %d epoch%s, seed %llu", nn_loss_name(pr.loss),
               nn_opt_name(pr.optimizer), pr.base_lr, pr.batch_size, pr.epochs, pr.epochs == 1 ? "" : "s",
               (unsigned long long)pr.seed);
    char extras[NN_REPORT_LINE];
    describe_extras(p, extras, sizeof extras);
    if (extras[0])
        add_config(r, "%s", extras);
}

/* The last config line: what the evaluation found. */
static void describe_result(nn_report *r, int epochs, bool stopped_early, int best_epoch)
{
    if (!r->has_eval)
        return;
    char when[64];
    if (stopped_early)
        snprintf(when, sizeof when, "after %d epochs (early stopping: epoch %d's weights)", epochs, best_epoch);
    else
        snprintf(when, sizeof when, "after %d epoch%s", epochs, epochs == 1 ? "" : "s");
    if (r->task == NN_TASK_CLASSIFICATION)
        add_config(r, "result: %s accuracy %.4f (%ld of %ld), macro F1 %.4f, %s", r->eval_split,
                   r->metrics.accuracy, r->metrics.correct, r->metrics.total, r->metrics.macro_f1, when);
    else
        add_config(r, "result: %s R\xc2\xb2 %.4f, MSE %.6g (%ld values), %s", r->eval_split, r->reg.r2, r->reg.mse,
                   r->reg.n, when);
}

// --- the evaluation of the current weights ------------------------------------------------------

#define EVAL_CHUNK 256

/* The confusion matrix and metrics (or R², MSE and the predicted-versus-actual sample) of t's
 * current weights on the test split (validation, then training, when it is empty). */
static nn_status evaluate(nn_report *r, nn_trainer *t, nn_error *err)
{
    const nn_dataset *d = nn_trainer_data(t);
    const nn_split *sp = nn_trainer_split(t);
    const uint32_t *idx = sp->test;
    int n = sp->n_test;
    copy_text(r->eval_split, sizeof r->eval_split, "test");
    if (n == 0) {
        idx = sp->val;
        n = sp->n_val;
        copy_text(r->eval_split, sizeof r->eval_split, "validation");
    }
    if (n == 0) {
        idx = sp->train;
        n = sp->n_train;
        copy_text(r->eval_split, sizeof r->eval_split, "training");
    }
    if (n == 0)
        return NN_OK;
    nn_trainer_progress pr;
    nn_trainer_progress_get(t, &pr);
    int nf = d->n_features, no = pr.outputs, k = r->k;
    bool cls = d->task == NN_TASK_CLASSIFICATION;
    float *x = malloc((size_t)EVAL_CHUNK * (size_t)nf * sizeof *x);
    float *out = malloc((size_t)EVAL_CHUNK * (size_t)no * sizeof *out);
    float *y = cls ? NULL : malloc((size_t)EVAL_CHUNK * (size_t)d->n_targets * sizeof *y);
    int stride = n > NN_REPORT_FIT ? (n + NN_REPORT_FIT - 1) / NN_REPORT_FIT : 1;
    if (cls) {
        r->confusion = calloc((size_t)k * (size_t)k, sizeof *r->confusion);
    } else {
        r->fit_actual = malloc((size_t)(n / stride + 1) * sizeof *r->fit_actual);
        r->fit_pred = malloc((size_t)(n / stride + 1) * sizeof *r->fit_pred);
    }
    if (!x || !out || (cls ? !r->confusion : (!y || !r->fit_actual || !r->fit_pred))) {
        free(x);
        free(out);
        free(y);
        return nn_error_set(err, NN_ENOMEM, "report: out of memory evaluating %d rows", n);
    }
    nn_reg_metrics_clear(&r->reg);
    for (int i0 = 0; i0 < n; i0 += EVAL_CHUNK) {
        int rows = n - i0 < EVAL_CHUNK ? n - i0 : EVAL_CHUNK;
        for (int j = 0; j < rows; j++)
            nn_dataset_row(d, (int)idx[i0 + j], x + (size_t)j * nf);
        nn_trainer_predict(t, x, rows, out);
        for (int j = 0; j < rows; j++) {
            int row = (int)idx[i0 + j];
            if (cls) {
                int pred = nn_predict_class(out + (size_t)j * no, no);
                nn_confusion_add(r->confusion, k, d->label[row], pred);
            } else {
                memcpy(y + (size_t)j * d->n_targets, d->y + (size_t)row * d->n_targets,
                       (size_t)d->n_targets * sizeof *y);
                if ((i0 + j) % stride == 0) {
                    r->fit_actual[r->fit_n] = d->y[(size_t)row * d->n_targets];
                    r->fit_pred[r->fit_n] = out[(size_t)j * no];
                    r->fit_n++;
                }
            }
        }
        if (!cls)
            nn_reg_metrics_add(&r->reg, out, y, rows, d->n_targets);
    }
    if (cls)
        nn_metrics_from_confusion(&r->metrics, r->confusion, k);
    else
        nn_reg_metrics_finish(&r->reg);
    free(x);
    free(out);
    free(y);
    r->has_eval = true;
    return NN_OK;
}

// --- the boundary and the network ---------------------------------------------------------------

static nn_status fill_view(nn_report *r, nn_trainer *t, int fx, int fy, nn_error *err)
{
    nn_probe pr;
    nn_probe_init(&pr, NN_REPORT_GRID, NN_REPORT_GRID, NN_REPORT_CURVE, 0, 64);
    bool chosen = fx >= 0 && fy >= 0;
    nn_status st = nn_probe_setup(&pr, t, chosen, chosen ? fx : 0, chosen ? fy : 1, err);
    if (st != NN_OK || pr.kind == NN_PROBE_NONE) {
        nn_probe_free(&pr);
        return st;
    }
    const nn_dataset *d = nn_trainer_data(t);
    r->points = malloc(NN_REPORT_POINTS * sizeof *r->points);
    if (pr.kind == NN_PROBE_CURVE) {
        r->curve_x = malloc(NN_REPORT_CURVE * sizeof *r->curve_x);
        r->curve_y = malloc(NN_REPORT_CURVE * sizeof *r->curve_y);
    } else {
        r->grid_cls = malloc((size_t)pr.grid_w * (size_t)pr.grid_h * sizeof *r->grid_cls);
        r->grid_conf = malloc((size_t)pr.grid_w * (size_t)pr.grid_h * sizeof *r->grid_conf);
    }
    if (!r->points || (pr.kind == NN_PROBE_CURVE ? !r->curve_x || !r->curve_y : !r->grid_cls || !r->grid_conf)) {
        nn_probe_free(&pr);
        return nn_error_set(err, NN_ENOMEM, "report: out of memory for the boundary");
    }
    r->n_points = nn_probe_points(&pr, t, r->points, NN_REPORT_POINTS);
    if (pr.kind == NN_PROBE_CURVE) {
        nn_probe_curve(&pr, t, r->curve_x, r->curve_y);
        r->curve_n = NN_REPORT_CURVE;
    } else {
        nn_probe_grid(&pr, t, r->grid_cls, r->grid_conf, &r->vmin, &r->vmax);
        r->grid_w = pr.grid_w;
        r->grid_h = pr.grid_h;
    }
    char buf[32];
    copy_text(r->axis[0], sizeof r->axis[0], nn_dataset_feature_name(d, pr.fx, buf, sizeof buf));
    copy_text(r->axis[1], sizeof r->axis[1], pr.fy >= 0 ? nn_dataset_feature_name(d, pr.fy, buf, sizeof buf) : "target");
    r->x_min = pr.x_min;
    r->x_max = pr.x_max;
    r->y_min = pr.y_min;
    r->y_max = pr.y_max;
    r->view = pr.kind;
    nn_probe_free(&pr);
    return NN_OK;
}

static nn_status fill_network(nn_report *r, const nn_trainer *t, nn_error *err)
{
    const nn_network *net = nn_trainer_network(t);
    const nn_dataset *d = nn_trainer_data(t);
    r->n_inputs = net->n_inputs;
    for (int l = 0; l < net->n_layers; l++) {
        const nn_layer *L = &net->layers[l];
        nn_report_layer *o = &r->layers[l];
        o->in = L->in;
        o->out = L->out;
        o->act = (int)L->act;
        o->w = malloc((size_t)L->in * (size_t)L->out * sizeof *o->w);
        o->b = malloc((size_t)L->out * sizeof *o->b);
        r->n_layers = l + 1;
        if (!o->w || !o->b)
            return nn_error_set(err, NN_ENOMEM, "report: out of memory for the network's weights");
        memcpy(o->w, net->params + L->w_off, (size_t)L->in * (size_t)L->out * sizeof *o->w);
        memcpy(o->b, net->params + L->b_off, (size_t)L->out * sizeof *o->b);
    }
    if (d->n_features <= 8) {
        char buf[32];
        for (int j = 0; j < d->n_features; j++)
            copy_text(r->input_names[j], sizeof r->input_names[j], nn_dataset_feature_name(d, j, buf, sizeof buf));
        r->n_input_names = d->n_features;
    }
    return NN_OK;
}

nn_status nn_report_from_trainer(nn_report *r, nn_trainer *t, int fx, int fy, const char *origin, nn_error *err)
{
    nn_report_free(r);
    const nn_preset *p = nn_trainer_preset(t);
    const nn_dataset *d = nn_trainer_data(t);
    copy_text(r->name, sizeof r->name, p->name);
    copy_text(r->description, sizeof r->description, p->description);
    if (origin)
        snprintf(r->origin, sizeof r->origin, "nnterm %s, %s", NN_VERSION, origin);
    else
        snprintf(r->origin, sizeof r->origin, "nnterm %s", NN_VERSION);
    r->task = d->task;
    r->k = d->task == NN_TASK_CLASSIFICATION ? d->n_classes : 0;
    for (int c = 0; c < r->k; c++)
        copy_text(r->class_names[c], sizeof r->class_names[c], nn_dataset_class_name(d, c));
    describe(r, t);

    int len = 0;
    const nn_epoch_stats *h = nn_trainer_history(t, &len);
    if (len > 0) {
        r->hist = malloc((size_t)len * sizeof *r->hist);
        if (!r->hist)
            return nn_error_set(err, NN_ENOMEM, "report: out of memory for %d epochs", len);
        memcpy(r->hist, h, (size_t)len * sizeof *h);
        r->n_hist = len;
    }
    r->has_penalty = p->training.reg != NN_REG_NONE;
    for (int i = 0; i < len; i++)
        if (h[i].penalty != 0.0)
            r->has_penalty = true;

    nn_status st = evaluate(r, t, err);
    if (st == NN_OK)
        st = fill_view(r, t, fx, fy, err);
    if (st == NN_OK)
        st = fill_network(r, t, err);
    if (st != NN_OK)
        return st;
    nn_trainer_progress pr;
    nn_trainer_progress_get(t, &pr);
    describe_result(r, pr.epoch, pr.stopped_early, pr.best_epoch);
    return NN_OK;
}

nn_status nn_report_from_model(nn_report *r, const nn_model *m, const char *model_file, int threads,
                               const char *origin, nn_error *err)
{
    nn_report_free(r);
    nn_trainer *t = calloc(1, sizeof *t);
    if (!t)
        return nn_error_set(err, NN_ENOMEM, "report: out of memory");
    nn_status st = nn_trainer_init(t, &m->preset, threads, err);
    if (st != NN_OK)
        goto out;
    const nn_network *net = nn_trainer_network(t);
    bool same = net->n_inputs == m->net.n_inputs && net->n_layers == m->net.n_layers &&
                net->n_params == m->net.n_params;
    for (int l = 0; same && l < net->n_layers; l++)
        same = net->layers[l].in == m->net.layers[l].in && net->layers[l].out == m->net.layers[l].out &&
               net->layers[l].act == m->net.layers[l].act && net->layers[l].w_off == m->net.layers[l].w_off &&
               net->layers[l].b_off == m->net.layers[l].b_off;
    if (!same) {
        st = nn_error_set(err, NN_EFORMAT, "%s: its preset builds another network than the one it holds", model_file);
        goto out;
    }
    const nn_norm *a = nn_trainer_norm(t), *b = &m->norm;
    bool norm_same = a->kind == b->kind && a->n_features == b->n_features && a->n_targets == b->n_targets;
    if (norm_same && a->n_features > 0 && a->shift && b->shift)
        norm_same = memcmp(a->shift, b->shift, (size_t)a->n_features * sizeof *a->shift) == 0 &&
                    memcmp(a->scale, b->scale, (size_t)a->n_features * sizeof *a->scale) == 0;
    if (norm_same && a->n_targets > 0)
        norm_same = memcmp(a->y_shift, b->y_shift, (size_t)a->n_targets * sizeof *a->y_shift) == 0 &&
                    memcmp(a->y_scale, b->y_scale, (size_t)a->n_targets * sizeof *a->y_scale) == 0;
    if (!norm_same) {
        st = nn_error_set(err, NN_EFORMAT,
                          "%s: its preset's data do not give the normalisation the model was trained with "
                          "(the data changed since it was saved?)", model_file);
        goto out;
    }
    memcpy(t->net.params, m->net.params, net->n_params * sizeof *t->net.params);
    st = nn_report_from_trainer(r, t, -1, -1, origin, err);
    if (st != NN_OK)
        goto out;
    /* the lines of a run describe one that has not started: say what the file is instead */
    r->n_config = r->has_eval ? r->n_config - 1 : r->n_config;
    if (r->has_eval) {
        if (r->task == NN_TASK_CLASSIFICATION)
            add_config(r, "result: the model's weights, %s accuracy %.4f (%ld of %ld), macro F1 %.4f", r->eval_split,
                       r->metrics.accuracy, r->metrics.correct, r->metrics.total, r->metrics.macro_f1);
        else
            add_config(r, "result: the model's weights, %s R\xc2\xb2 %.4f, MSE %.6g (%ld values)", r->eval_split,
                       r->reg.r2, r->reg.mse, r->reg.n);
    }
    snprintf(r->no_history, sizeof r->no_history,
             "no loss curves: a model file keeps its weights, not the epochs that made them "
             "(nnterm train --report draws them)");
out:
    nn_trainer_free(t);
    free(t);
    if (st != NN_OK)
        nn_report_free(r);
    return st;
}
