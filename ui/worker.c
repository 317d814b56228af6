/* worker.c — the training thread behind the UI (see worker.h for the contract).
 *
 * The story of one worker:
 *   create: copy the preset, publish a LOADING snapshot, start the thread (signals blocked).
 *   thread: build the trainer, publish READY (or ERROR). Then loop: take the commands queued
 *           in the ring (waiting on the condvar unless RUNNING), apply them in order, and while
 *           RUNNING train one batch with nn_trainer_step. Publish on every state change, and at
 *           most every PUBLISH_INTERVAL otherwise (epoch ends included).
 *   destroy: stop flag, broadcast, join, free.
 *
 * Ownership: everything under "worker thread only" is touched by the worker thread alone (and by
 * create/destroy before the thread starts and after it has been joined). Everything under
 * "guarded by mu" is shared and touched only while holding mu, and only to copy. */
#include "worker.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define RING_SIZE 64
#define PUBLISH_INTERVAL 0.040      /* seconds between snapshots while running (25 Hz) */
#define GRID_INTERVAL 0.100         /* seconds between boundary grids within an epoch */
#define GRID_MID_EPOCH_COST 32e6    /* grid cells x parameters below which mid-epoch grids are cheap */

typedef struct {
    ui_cmd_kind kind;
    double lr;
    uint64_t seed;
} ui_cmd;

typedef enum { STOP_AFTER_NONE, STOP_AFTER_BATCH, STOP_AFTER_EPOCH } stop_after;

struct ui_worker {
    int threads;
    int wake_fd;
    atomic_bool stop;
    pthread_t thread;
    bool thread_started;

    pthread_mutex_t mu;
    pthread_cond_t cv;
    /* guarded by mu */
    ui_cmd ring[RING_SIZE];
    int ring_head, ring_count;
    bool has_pending;            /* a preset waits for UI_CMD_LOAD */
    nn_preset pending;
    ui_snapshot shared;
    nn_epoch_stats *hist;        /* (hist_cap) the published history */
    int hist_len, hist_cap;
    uint64_t hist_run;

    /* worker thread only */
    nn_preset preset;            /* the preset of the next or current load */
    nn_trainer t;
    bool have_trainer;
    ui_run_state state;
    stop_after after;
    ui_snapshot snap;            /* built here, then copied to shared */
    uint64_t seq, run;
    float *view_in, *view_out;   /* prediction buffers for the grid or curve */
    double busy_s;               /* time inside nn_trainer_step since load/reset */
    double eval_s;               /* of which evaluation at epoch ends */
    double busy_at_epoch;        /* busy_s at the last epoch end */
    double last_publish, last_grid;
    long grid_samples;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

const char *ui_run_state_word(ui_run_state s)
{
    static const char *const words[UI_RUN_COUNT] = {
        "LOADING", "READY", "RUNNING", "PAUSED", "DONE", "DIVERGED", "ERROR"
    };
    return (s >= 0 && s < UI_RUN_COUNT) ? words[s] : "?";
}

static void copy_str(char *dst, size_t cap, const char *src)
{
    if (cap == 0)
        return;
    size_t n = src ? strlen(src) : 0;
    if (n >= cap)
        n = cap - 1;
    if (n > 0)
        memcpy(dst, src, n);
    dst[n] = '\0';
}

/* ---- publishing ------------------------------------------------------------------------ */

static void wake(const ui_worker *w)
{
    if (w->wake_fd < 0)
        return;
    ssize_t r;
    do {
        r = write(w->wake_fd, "x", 1);
    } while (r < 0 && errno == EINTR);
    /* EAGAIN: the pipe is full, so the UI is awake already. Other errors: nothing to do. */
}

/* Fills the parts of the private snapshot that change while training. */
static void fill_dynamic(ui_worker *w)
{
    ui_snapshot *s = &w->snap;
    s->state = w->state;
    s->run = w->run;
    if (!w->have_trainer) {
        s->has_last = false;
        s->history_len = 0;
        return;
    }
    const nn_trainer *t = &w->t;
    s->seed = t->seed;
    s->epochs = t->preset.training.epochs;
    s->epoch = t->epoch;
    s->batch = t->batch;
    s->n_batches = t->n_batches;
    s->batch_size = t->batch_size;
    s->lr = t->lr;
    s->base_lr = t->base_lr;
    s->samples_seen = t->samples_seen;
    s->elapsed_s = w->busy_s;
    double train_s = w->busy_s - w->eval_s;
    s->samples_per_s = train_s > 0.0 ? (double)t->samples_seen / train_s : 0.0;

    double eta = 0.0;
    bool finished = w->state == UI_RUN_DONE || w->state == UI_RUN_DIVERGED;
    if (!finished && s->epochs > t->epoch) {
        double in_epoch = w->busy_s - w->busy_at_epoch;
        double per_epoch = 0.0;
        if (t->epoch > 0)
            per_epoch = w->busy_at_epoch / (double)t->epoch;
        else if (t->batch > 0 && t->n_batches > 0)
            per_epoch = in_epoch / (double)t->batch * (double)t->n_batches;
        eta = per_epoch * (double)(s->epochs - t->epoch) - in_epoch;
        if (eta < 0.0)
            eta = 0.0;
    }
    s->eta_s = eta;

    s->threads = nn_pool_threads(t->pool);
    s->stopped_early = t->stopped_early;
    s->best_epoch = t->preset.training.patience > 0 ? t->best_epoch : 0;
    if (t->state == NN_TRAINER_DONE)
        s->final = t->final_stats;
    else
        memset(&s->final, 0, sizeof s->final);

    const nn_epoch_stats *last = nn_trainer_last(t);
    s->has_last = last != NULL;
    s->history_len = t->history_len;
    int k = s->k;
    if (last) {
        s->last = *last;
        if (k > 0 && t->confusion)
            memcpy(s->confusion, t->confusion, (size_t)k * (size_t)k * sizeof *s->confusion);
        s->metrics = t->metrics;
        s->reg = t->reg;
    } else {
        memset(&s->last, 0, sizeof s->last);
        if (k > 0)
            memset(s->confusion, 0, (size_t)k * (size_t)k * sizeof *s->confusion);
        memset(&s->metrics, 0, sizeof s->metrics);
        memset(&s->reg, 0, sizeof s->reg);
    }
}

/* Copies the private snapshot and the new history entries to the shared block, then wakes the UI. */
static void publish(ui_worker *w)
{
    fill_dynamic(w);
    w->snap.seq = ++w->seq;
    const nn_epoch_stats *th = w->have_trainer ? w->t.history : NULL;
    int tlen = w->have_trainer ? w->t.history_len : 0;

    pthread_mutex_lock(&w->mu);
    w->shared = w->snap;
    if (w->hist_run != w->run) {
        w->hist_run = w->run;
        w->hist_len = 0;
    }
    if (tlen > w->hist_cap)
        tlen = w->hist_cap;
    if (tlen < w->hist_len)      /* cannot happen within one run; keep the copy consistent */
        w->hist_len = tlen;
    if (th && tlen > w->hist_len)
        memcpy(w->hist + w->hist_len, th + w->hist_len, (size_t)(tlen - w->hist_len) * sizeof *th);
    w->hist_len = tlen;
    pthread_mutex_unlock(&w->mu);

    w->last_publish = now_s();
    wake(w);
}

/* ---- the view: decision boundary, surface or curve --------------------------------------- */

static void denorm_feature(const nn_norm *nm, int j, float *v)
{
    if (nm->shift && nm->scale && j < nm->n_features)
        *v = *v * nm->scale[j] + nm->shift[j];
}

static void expand_range(float *lo, float *hi)
{
    float span = *hi - *lo;
    if (!(span > 0.0f) || !isfinite(span)) {
        *lo -= 0.5f;
        *hi += 0.5f;
        return;
    }
    *lo -= 0.05f * span;
    *hi += 0.05f * span;
}

/* Static parts of the snapshot: dataset, network, class names, data range, sample of points. */
static void fill_static(ui_worker *w)
{
    ui_snapshot *s = &w->snap;
    const nn_trainer *t = &w->t;
    const nn_dataset *d = &t->data;

    copy_str(s->source, sizeof s->source, t->preset.dataset.source);
    s->task = (int)d->task;
    s->n_train = t->split.n_train;
    s->n_val = t->split.n_val;
    s->n_test = t->split.n_test;
    s->n_features = d->n_features;
    s->n_classes = d->task == NN_TASK_CLASSIFICATION ? d->n_classes : 0;
    s->n_targets = d->task == NN_TASK_REGRESSION ? d->n_targets : 0;
    s->k = s->n_classes > NN_MAX_CLASSES ? NN_MAX_CLASSES : s->n_classes;
    for (int c = 0; c < s->k; c++)
        copy_str(s->class_names[c], NN_NAME_MAX, d->class_names ? d->class_names[c] : "");
    for (int j = 0; j < 2; j++)
        copy_str(s->feature_names[j], NN_NAME_MAX,
                 (d->feature_names && j < d->n_features) ? d->feature_names[j] : "");

    s->n_layers = t->net.n_layers;
    for (int l = 0; l < t->net.n_layers && l < NN_MAX_LAYERS; l++) {
        s->layers[l].in = t->net.layers[l].in;
        s->layers[l].out = t->net.layers[l].out;
        s->layers[l].act = (int)t->net.layers[l].act;
    }
    s->n_params = (long)t->net.n_params;
    s->batch_size = t->batch_size;
    s->optimizer = (int)t->opt.p.kind;
    s->loss = (int)t->loss;
    copy_str(s->name, sizeof s->name, t->preset.name);
    copy_str(s->file, sizeof s->file, t->preset.file);

    s->view = UI_VIEW_NONE;
    s->view_epoch = -1;
    s->grid_w = s->grid_h = 0;
    s->n_points = 0;
    s->curve_n = 0;
    if (d->n_features == 2 && d->task == NN_TASK_CLASSIFICATION)
        s->view = UI_VIEW_BOUNDARY;
    else if (d->n_features == 2 && d->task == NN_TASK_REGRESSION)
        s->view = UI_VIEW_SURFACE;
    else if (d->n_features == 1 && d->task == NN_TASK_REGRESSION && d->y)
        s->view = UI_VIEW_CURVE;
    if (s->view == UI_VIEW_NONE || d->n <= 0)
        return;

    /* the data range in original units over every row */
    float xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
    for (int i = 0; i < d->n; i++) {
        float a = d->x[(size_t)i * (size_t)d->n_features];
        denorm_feature(&t->norm, 0, &a);
        float b;
        if (s->view == UI_VIEW_CURVE) {
            b = d->y[(size_t)i * (size_t)d->n_targets];
        } else {
            b = d->x[(size_t)i * (size_t)d->n_features + 1];
            denorm_feature(&t->norm, 1, &b);
        }
        if (isfinite(a)) {
            xlo = fminf(xlo, a);
            xhi = fmaxf(xhi, a);
        }
        if (isfinite(b)) {
            ylo = fminf(ylo, b);
            yhi = fmaxf(yhi, b);
        }
    }
    if (!(xlo <= xhi))
        xlo = xhi = 0.0f;
    if (!(ylo <= yhi))
        ylo = yhi = 0.0f;
    expand_range(&xlo, &xhi);
    expand_range(&ylo, &yhi);
    s->x_min = xlo;
    s->x_max = xhi;
    s->y_min = ylo;
    s->y_max = yhi;

    /* an even sample of the training rows, then the test rows */
    long total = (long)t->split.n_train + (long)t->split.n_test;
    int want = total < UI_MAX_POINTS ? (int)total : UI_MAX_POINTS;
    for (int i = 0; i < want; i++) {
        long pos = (long)((double)i * (double)total / (double)want);
        bool is_test = pos >= t->split.n_train;
        uint32_t row = is_test ? t->split.test[pos - t->split.n_train] : t->split.train[pos];
        ui_point *pt = &s->points[i];
        pt->x = d->x[(size_t)row * (size_t)d->n_features];
        denorm_feature(&t->norm, 0, &pt->x);
        if (s->view == UI_VIEW_CURVE) {
            pt->y = d->y[(size_t)row * (size_t)d->n_targets];
        } else {
            pt->y = d->x[(size_t)row * (size_t)d->n_features + 1];
            denorm_feature(&t->norm, 1, &pt->y);
        }
        pt->cls = (int16_t)(d->task == NN_TASK_CLASSIFICATION && d->label ? d->label[row] : 0);
        pt->is_test = is_test ? 1 : 0;
    }
    s->n_points = want;
    if (s->view == UI_VIEW_CURVE) {
        s->curve_n = UI_CURVE_MAX;
    } else {
        s->grid_w = UI_GRID_W;
        s->grid_h = UI_GRID_H;
    }
}

/* Predicts the grid or the curve with the current weights (worker thread, between batches). */
static void compute_view(ui_worker *w)
{
    ui_snapshot *s = &w->snap;
    nn_trainer *t = &w->t;
    if (!w->have_trainer || s->view == UI_VIEW_NONE || !w->view_in || !w->view_out)
        return;
    int outs = t->outputs;
    if (s->view == UI_VIEW_CURVE) {
        int n = s->curve_n;
        for (int i = 0; i < n; i++) {
            float x = s->x_min + (s->x_max - s->x_min) * (float)i / (float)(n - 1);
            s->curve_x[i] = x;
            w->view_in[i] = x;
        }
        nn_norm_apply(&t->norm, w->view_in, n);
        nn_trainer_predict(t, w->view_in, n, w->view_out);
        for (int i = 0; i < n; i++)
            s->curve_y[i] = w->view_out[(size_t)i * (size_t)outs];
    } else {
        int gw = s->grid_w, gh = s->grid_h, cells = gw * gh;
        float dx = (s->x_max - s->x_min) / (float)gw, dy = (s->y_max - s->y_min) / (float)gh;
        for (int r = 0; r < gh; r++)
            for (int c = 0; c < gw; c++) {
                float *p = &w->view_in[2 * (size_t)(r * gw + c)];
                p[0] = s->x_min + ((float)c + 0.5f) * dx;
                p[1] = s->y_max - ((float)r + 0.5f) * dy;
            }
        nn_norm_apply(&t->norm, w->view_in, cells);
        nn_trainer_predict(t, w->view_in, cells, w->view_out);
        if (s->view == UI_VIEW_BOUNDARY) {
            for (int i = 0; i < cells; i++) {
                const float *row = &w->view_out[(size_t)i * (size_t)outs];
                int cls = nn_predict_class(row, outs);
                float conf = outs == 1 ? (cls == 1 ? row[0] : 1.0f - row[0]) : row[cls];
                if (!(conf >= 0.0f))
                    conf = 0.0f;
                if (conf > 1.0f)
                    conf = 1.0f;
                s->grid_class[i] = (uint8_t)(cls < 0 ? 0 : cls > 255 ? 255 : cls);
                s->grid_conf[i] = conf;
            }
        } else {
            float lo = INFINITY, hi = -INFINITY;
            for (int i = 0; i < cells; i++) {
                float v = w->view_out[(size_t)i * (size_t)outs];
                if (isfinite(v)) {
                    lo = fminf(lo, v);
                    hi = fmaxf(hi, v);
                }
            }
            if (!(lo <= hi))
                lo = hi = 0.0f;
            float span = hi - lo;
            for (int i = 0; i < cells; i++) {
                float v = w->view_out[(size_t)i * (size_t)outs];
                float u = span > 0.0f && isfinite(v) ? (v - lo) / span : 0.5f;
                s->grid_class[i] = 0;
                s->grid_conf[i] = u < 0.0f ? 0.0f : u > 1.0f ? 1.0f : u;
            }
            s->grid_vmin = lo;
            s->grid_vmax = hi;
        }
    }
    s->view_epoch = t->epoch;
    w->last_grid = now_s();
    w->grid_samples = t->samples_seen;
}

/* ---- loading, resetting, training -------------------------------------------------------- */

static void free_trainer(ui_worker *w)
{
    if (w->have_trainer)
        nn_trainer_free(&w->t);
    w->have_trainer = false;
    free(w->view_in);
    free(w->view_out);
    w->view_in = w->view_out = NULL;
}

static void zero_timers(ui_worker *w)
{
    w->busy_s = w->eval_s = w->busy_at_epoch = 0.0;
    w->grid_samples = 0;
}

static void set_message(ui_worker *w, const char *msg)
{
    copy_str(w->snap.message, sizeof w->snap.message, msg);
}

/* Rebuilds the trainer from w->preset: LOADING, then READY (or DONE) or ERROR. */
static void do_load(ui_worker *w)
{
    free_trainer(w);
    w->run++;
    w->after = STOP_AFTER_NONE;
    uint64_t seq = w->snap.seq;
    memset(&w->snap, 0, sizeof w->snap);
    w->snap.seq = seq;
    w->snap.view_epoch = -1;
    copy_str(w->snap.name, sizeof w->snap.name, w->preset.name);
    copy_str(w->snap.file, sizeof w->snap.file, w->preset.file);
    copy_str(w->snap.source, sizeof w->snap.source, w->preset.dataset.source);
    w->snap.epochs = w->preset.training.epochs;
    w->state = UI_RUN_LOADING;
    publish(w);

    nn_error err;
    nn_error_clear(&err);
    memset(&w->t, 0, sizeof w->t);
    nn_status st = nn_trainer_init(&w->t, &w->preset, w->threads, &err);
    if (st != NN_OK) {
        nn_trainer_free(&w->t);
        w->state = UI_RUN_ERROR;
        set_message(w, err.msg[0] ? err.msg : nn_status_name(st));
        publish(w);
        return;
    }
    w->have_trainer = true;

    /* the shared history, preallocated to the run's epochs */
    int cap = w->t.preset.training.epochs > 0 ? w->t.preset.training.epochs : 1;
    nn_epoch_stats *hist = calloc((size_t)cap, sizeof *hist);
    fill_static(w);
    size_t in_n = 0, out_n = 0;
    if (w->snap.view == UI_VIEW_CURVE) {
        in_n = UI_CURVE_MAX;
        out_n = (size_t)UI_CURVE_MAX * (size_t)w->t.outputs;
    } else if (w->snap.view != UI_VIEW_NONE) {
        in_n = 2 * (size_t)UI_GRID_W * UI_GRID_H;
        out_n = (size_t)UI_GRID_W * UI_GRID_H * (size_t)w->t.outputs;
    }
    if (in_n > 0) {
        w->view_in = malloc(in_n * sizeof *w->view_in);
        w->view_out = malloc(out_n * sizeof *w->view_out);
    }
    if (!hist || (in_n > 0 && (!w->view_in || !w->view_out))) {
        free(hist);
        free_trainer(w);
        w->state = UI_RUN_ERROR;
        set_message(w, "out of memory building the trainer's view");
        publish(w);
        return;
    }
    pthread_mutex_lock(&w->mu);
    nn_epoch_stats *old = w->hist;
    w->hist = hist;
    w->hist_cap = cap;
    w->hist_len = 0;
    pthread_mutex_unlock(&w->mu);
    free(old);

    zero_timers(w);
    compute_view(w);
    w->state = nn_trainer_finished(&w->t) ? UI_RUN_DONE : UI_RUN_READY;
    publish(w);
}

static void do_reset(ui_worker *w, bool new_seed, uint64_t seed)
{
    if (!w->have_trainer)
        return;
    nn_trainer_reset(&w->t, new_seed, seed);
    w->run++;
    w->after = STOP_AFTER_NONE;
    zero_timers(w);
    set_message(w, "");
    compute_view(w);
    w->state = nn_trainer_finished(&w->t) ? UI_RUN_DONE : UI_RUN_READY;
    publish(w);
}

/* One batch while RUNNING. */
static void run_batch(ui_worker *w)
{
    nn_trainer *t = &w->t;
    nn_error err;
    nn_error_clear(&err);
    double t0 = now_s();
    nn_status st = nn_trainer_step(t, &err);
    double t1 = now_s();
    w->busy_s += t1 - t0;

    bool changed = false, epoch_end = false;
    if (st == NN_EDIVERGED || t->state == NN_TRAINER_DIVERGED) {
        w->state = UI_RUN_DIVERGED;
        set_message(w, t->fault[0] ? t->fault : (err.msg[0] ? err.msg : "diverged"));
        changed = true;
    } else if (st != NN_OK) {
        w->state = UI_RUN_ERROR;
        set_message(w, err.msg[0] ? err.msg : nn_status_name(st));
        free_trainer(w);
        publish(w);
        return;
    } else {
        epoch_end = nn_trainer_epoch_ended(t);
        if (epoch_end) {
            const nn_epoch_stats *last = nn_trainer_last(t);
            if (last)
                w->eval_s += last->eval_seconds;
            w->busy_at_epoch = w->busy_s;
        }
        if (nn_trainer_finished(t)) {
            w->state = UI_RUN_DONE;
            changed = true;
        } else if (w->after == STOP_AFTER_BATCH || (w->after == STOP_AFTER_EPOCH && epoch_end)) {
            w->state = UI_RUN_PAUSED;
            changed = true;
        }
    }
    if (changed) {
        w->after = STOP_AFTER_NONE;
        compute_view(w);
        publish(w);
        return;
    }
    double now = t1;
    if (now - w->last_publish < PUBLISH_INTERVAL)
        return;
    bool small = (double)UI_GRID_W * UI_GRID_H * (double)t->net.n_params <= GRID_MID_EPOCH_COST;
    if (w->snap.view != UI_VIEW_NONE && t->samples_seen != w->grid_samples &&
        (w->snap.view_epoch != t->epoch || (small && now - w->last_grid >= GRID_INTERVAL)))
        compute_view(w);
    publish(w);
}

/* Applies one command (worker thread). */
static void apply(ui_worker *w, const ui_cmd *c, bool load_later)
{
    ui_run_state s = w->state;
    bool idle = s == UI_RUN_READY || s == UI_RUN_PAUSED;
    switch (c->kind) {
    case UI_CMD_START:
        if (idle || (s == UI_RUN_RUNNING && w->after != STOP_AFTER_NONE)) {
            w->state = UI_RUN_RUNNING;
            w->after = STOP_AFTER_NONE;
            if (idle)
                publish(w);
        }
        break;
    case UI_CMD_PAUSE:
        if (s == UI_RUN_RUNNING) {
            w->state = UI_RUN_PAUSED;
            w->after = STOP_AFTER_NONE;
            compute_view(w);
            publish(w);
        }
        break;
    case UI_CMD_TOGGLE: {
        ui_cmd alt = *c;
        alt.kind = s == UI_RUN_RUNNING ? UI_CMD_PAUSE : UI_CMD_START;
        apply(w, &alt, load_later);
        break;
    }
    case UI_CMD_STEP_EPOCH:
    case UI_CMD_STEP_BATCH:
        if (idle) {
            w->state = UI_RUN_RUNNING;
            w->after = c->kind == UI_CMD_STEP_EPOCH ? STOP_AFTER_EPOCH : STOP_AFTER_BATCH;
            publish(w);
        }
        break;
    case UI_CMD_RESET:
        do_reset(w, false, 0);
        break;
    case UI_CMD_RESEED:
        do_reset(w, true, c->seed);
        break;
    case UI_CMD_SET_LR:
        if (w->have_trainer) {
            nn_trainer_set_lr(&w->t, c->lr);
            publish(w);
        }
        break;
    case UI_CMD_LOAD:
        if (!load_later)
            do_load(w);
        break;
    case UI_CMD_QUIT:
        atomic_store(&w->stop, true);
        break;
    case UI_CMD_COUNT:
        break;
    }
}

static void *worker_main(void *arg)
{
    ui_worker *w = arg;
    ui_cmd cmds[RING_SIZE];
    do_load(w);
    while (!atomic_load(&w->stop)) {
        pthread_mutex_lock(&w->mu);
        while (!atomic_load(&w->stop) && w->ring_count == 0 && w->state != UI_RUN_RUNNING)
            pthread_cond_wait(&w->cv, &w->mu);
        int n = w->ring_count;
        for (int i = 0; i < n; i++)
            cmds[i] = w->ring[(w->ring_head + i) % RING_SIZE];
        w->ring_head = (w->ring_head + n) % RING_SIZE;
        w->ring_count = 0;
        if (w->has_pending) {
            w->preset = w->pending;
            w->has_pending = false;
        }
        pthread_mutex_unlock(&w->mu);

        int last_load = -1;
        for (int i = 0; i < n; i++)
            if (cmds[i].kind == UI_CMD_LOAD)
                last_load = i;
        for (int i = 0; i < n && !atomic_load(&w->stop); i++)
            apply(w, &cmds[i], cmds[i].kind == UI_CMD_LOAD && i != last_load);
        if (!atomic_load(&w->stop) && w->state == UI_RUN_RUNNING && w->have_trainer)
            run_batch(w);
    }
    return NULL;
}

/* ---- the UI thread's side ---------------------------------------------------------------- */

ui_worker *ui_worker_create(const nn_preset *p, int threads, int wake_fd, nn_error *err)
{
    if (!p) {
        nn_error_set(err, NN_EINVAL, "ui_worker_create: no preset");
        return NULL;
    }
    ui_worker *w = calloc(1, sizeof *w);
    if (!w) {
        nn_error_set(err, NN_ENOMEM, "ui_worker_create: out of memory");
        return NULL;
    }
    w->threads = threads;
    w->wake_fd = wake_fd;
    atomic_init(&w->stop, false);
    w->preset = *p;
    w->state = UI_RUN_LOADING;
    if (pthread_mutex_init(&w->mu, NULL) != 0) {
        free(w);
        nn_error_set(err, NN_ENOMEM, "ui_worker_create: cannot create a mutex");
        return NULL;
    }
    if (pthread_cond_init(&w->cv, NULL) != 0) {
        pthread_mutex_destroy(&w->mu);
        free(w);
        nn_error_set(err, NN_ENOMEM, "ui_worker_create: cannot create a condition variable");
        return NULL;
    }
    /* a first snapshot exists before the thread runs: LOADING, with the preset's name */
    w->shared.seq = w->seq = 1;
    w->shared.state = UI_RUN_LOADING;
    w->shared.view_epoch = -1;
    copy_str(w->shared.name, sizeof w->shared.name, p->name);
    copy_str(w->shared.file, sizeof w->shared.file, p->file);
    copy_str(w->shared.source, sizeof w->shared.source, p->dataset.source);
    w->shared.epochs = p->training.epochs;
    w->snap = w->shared;

    sigset_t block, old;
    sigemptyset(&block);
    int sigs[] = { SIGINT, SIGTERM, SIGWINCH, SIGHUP, SIGQUIT, SIGPIPE, SIGTSTP, SIGCONT };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaddset(&block, sigs[i]);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    int rc = pthread_create(&w->thread, NULL, worker_main, w);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        pthread_cond_destroy(&w->cv);
        pthread_mutex_destroy(&w->mu);
        free(w);
        nn_error_set(err, NN_ENOMEM, "ui_worker_create: cannot start the worker thread: %s", strerror(rc));
        return NULL;
    }
    w->thread_started = true;
    return w;
}

void ui_worker_destroy(ui_worker *w)
{
    if (!w)
        return;
    if (w->thread_started) {
        atomic_store(&w->stop, true);
        pthread_mutex_lock(&w->mu);
        pthread_cond_broadcast(&w->cv);
        pthread_mutex_unlock(&w->mu);
        pthread_join(w->thread, NULL);
    }
    free_trainer(w);
    free(w->hist);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    free(w);
}

static bool push(ui_worker *w, const ui_cmd *c, const nn_preset *p)
{
    if (!w)
        return false;
    bool ok = false;
    pthread_mutex_lock(&w->mu);
    if (w->ring_count < RING_SIZE) {
        w->ring[(w->ring_head + w->ring_count) % RING_SIZE] = *c;
        w->ring_count++;
        if (p) {
            w->pending = *p;
            w->has_pending = true;
        }
        pthread_cond_signal(&w->cv);
        ok = true;
    }
    pthread_mutex_unlock(&w->mu);
    return ok;
}

bool ui_worker_command(ui_worker *w, ui_cmd_kind kind, double arg)
{
    if (kind < 0 || kind >= UI_CMD_COUNT || kind == UI_CMD_LOAD)
        return false;
    ui_cmd c = { .kind = kind, .lr = 0.0, .seed = 0 };
    if (kind == UI_CMD_SET_LR) {
        if (!(arg > 0.0) || !isfinite(arg))
            return false;
        c.lr = arg;
    } else if (kind == UI_CMD_RESEED) {
        if (!(arg >= 0.0) || !(arg < 18446744073709551616.0))
            return false;
        c.seed = (uint64_t)arg;
    }
    return push(w, &c, NULL);
}

bool ui_worker_start(ui_worker *w) { return ui_worker_command(w, UI_CMD_START, 0.0); }
bool ui_worker_pause(ui_worker *w) { return ui_worker_command(w, UI_CMD_PAUSE, 0.0); }
bool ui_worker_toggle(ui_worker *w) { return ui_worker_command(w, UI_CMD_TOGGLE, 0.0); }
bool ui_worker_step_epoch(ui_worker *w) { return ui_worker_command(w, UI_CMD_STEP_EPOCH, 0.0); }
bool ui_worker_step_batch(ui_worker *w) { return ui_worker_command(w, UI_CMD_STEP_BATCH, 0.0); }
bool ui_worker_reset(ui_worker *w) { return ui_worker_command(w, UI_CMD_RESET, 0.0); }
bool ui_worker_set_lr(ui_worker *w, double lr) { return ui_worker_command(w, UI_CMD_SET_LR, lr); }

bool ui_worker_reseed(ui_worker *w, uint64_t seed)
{
    ui_cmd c = { .kind = UI_CMD_RESEED, .lr = 0.0, .seed = seed };
    return push(w, &c, NULL);
}

bool ui_worker_load(ui_worker *w, const nn_preset *p)
{
    if (!p)
        return false;
    ui_cmd c = { .kind = UI_CMD_LOAD, .lr = 0.0, .seed = 0 };
    return push(w, &c, p);
}

bool ui_worker_snapshot(ui_worker *w, ui_snapshot *out, uint64_t *seen_seq)
{
    if (!w || !out || !seen_seq)
        return false;
    bool copied = false;
    pthread_mutex_lock(&w->mu);
    if (w->shared.seq != *seen_seq) {
        *out = w->shared;
        *seen_seq = w->shared.seq;
        copied = true;
    }
    pthread_mutex_unlock(&w->mu);
    return copied;
}

int ui_worker_history(ui_worker *w, nn_epoch_stats *out, int from, int max, uint64_t *run)
{
    if (!w || !out || from < 0 || max <= 0)
        return 0;
    int n = 0;
    pthread_mutex_lock(&w->mu);
    if (from < w->hist_len) {
        n = w->hist_len - from;
        if (n > max)
            n = max;
        memcpy(out, w->hist + from, (size_t)n * sizeof *out);
    }
    if (run)
        *run = w->hist_run;
    pthread_mutex_unlock(&w->mu);
    return n;
}
