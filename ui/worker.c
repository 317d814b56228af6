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
 * "guarded by mu" is shared and touched only while holding mu, and only to copy.
 *
 * Additions for the teaching tools (issue 6):
 *   health:  run_batch decides before each step whether that batch is measured (measure_due);
 *            only then it copies the params to prev_params (allocated at load), and right after
 *            the step it runs nn_health_compute (see the snapshot's comment for which batches).
 *   trace:   the selection is kept (sel) and recomputed by settle() whenever the run stops.
 *   notices, events: written into the private snapshot, published with it.
 *   race:    race_on replaces the single trainer by race[0..race_n), which share one pool and race[0]'s
 *            data (nn_trainer_init_shared), and are stepped round-robin by race_batch, one epoch
 *            each in turn. */
#include "worker.h"

#include "model_io.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define RING_SIZE 64
#define PUBLISH_INTERVAL 0.040      /* seconds between snapshots while running (25 Hz) */
#define GRID_INTERVAL 0.100         /* seconds between boundary grids within an epoch */
#define GRID_MID_EPOCH_COST 32e6    /* grid cells x parameters below which mid-epoch grids are cheap */
#define HEALTH_INTERVAL 0.100       /* seconds between health measurements within an epoch */

/* Commands with a payload, queued by the additions' functions only (ui_worker_command refuses them). */
enum {
    CMD_SAVE_MODEL = UI_CMD_COUNT + 1,
    CMD_TRACE,
    CMD_SET_PARAM,
    CMD_RACE,
    CMD_VIEW_FEATURES
};

#define CMD_KEY_MAX 96

typedef struct {
    int kind;                    /* ui_cmd_kind or one of the CMD_ above */
    double lr;
    uint64_t seed;
    int arg[4];                  /* CMD_TRACE: train index, layer, i, j */
    char key[CMD_KEY_MAX];       /* CMD_SET_PARAM: the key */
    char text[NN_PATH_MAX];      /* CMD_SAVE_MODEL: path; CMD_SET_PARAM: value; CMD_RACE: list */
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
    bool has_race_pending;       /* a preset waits for CMD_RACE */
    nn_preset race_pending;
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
    int view_fx, view_fy;        /* the features on the view's axes (ui_worker_view_features) */
    bool view_chosen;            /* ui_worker_view_features was called: views for > 2 features too */
    float *view_mean;            /* (n_features) their means in original units, for > 2 features */
    float *fit_in, *fit_out;     /* (UI_FIT_MAX, features/outputs) regression predicted-vs-actual */
    uint32_t fit_rows[UI_FIT_MAX];
    double busy_s;               /* time inside nn_trainer_step since load/reset */
    double eval_s;               /* of which evaluation at epoch ends */
    double busy_at_epoch;        /* busy_s at the last epoch end */
    double last_publish, last_grid;
    long grid_samples;
    ui_cmd drain[RING_SIZE];     /* the commands taken from the ring */

    /* health and step-through (worker thread only) */
    float *prev_params;          /* (n_params) the params before a measured step */
    nn_health_trace tr;          /* sized at load for the network */
    bool have_tr;
    nn_health row_health;        /* the epoch's latest measurement, pushed at its end */
    bool row_pending;
    double last_health;
    struct {
        bool on;
        int k, layer, i, j;
    } sel;                       /* the step-through selection */

    /* the race (worker thread only) */
    nn_preset race_preset;       /* the preset of the next or current race */
    bool race_on;
    nn_trainer *race;            /* (race_n) */
    bool race_err[NN_RACE_MAX];  /* a step failed (not a divergence): out of the race */
    int race_n, race_cur;
    nn_pool *race_pool;          /* shared by the race's trainers; NULL = one thread */
    nn_preset scratch;           /* a preset that does not fit on the stack nicely */
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
    if (n >= cap) {   /* names are whole in the dataset; the display copy is cut at a character */
        n = cap - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
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

static bool race_entry_finished(const ui_worker *w, int r)
{
    return w->race_err[r] || nn_trainer_finished(&w->race[r]);
}

/* The dynamic parts of the snapshot in race mode. */
static void fill_race(ui_worker *w)
{
    ui_snapshot *s = &w->snap;
    const nn_trainer *r0 = &w->race[0];
    const nn_trainer *cur = &w->race[w->race_cur];
    s->seed = r0->seed;
    s->epochs = r0->preset.training.epochs;
    int lo = -1, hi = 0;
    long seen = 0, left = 0, done = 0;
    for (int r = 0; r < w->race_n; r++) {
        const nn_trainer *t = &w->race[r];
        ui_race_entry *e = &s->race_entries[r];
        seen += t->samples_seen;
        done += t->epoch;
        if (t->epoch > hi)
            hi = t->epoch;
        if (!race_entry_finished(w, r)) {
            if (lo < 0 || t->epoch < lo)
                lo = t->epoch;
            left += s->epochs - t->epoch;
        }
        if (w->race_err[r])
            e->state = UI_RUN_ERROR;
        else if (t->state == NN_TRAINER_DONE)
            e->state = UI_RUN_DONE;
        else if (t->state == NN_TRAINER_DIVERGED)
            e->state = UI_RUN_DIVERGED;
        else if (t->state == NN_TRAINER_READY)
            e->state = UI_RUN_READY;
        else
            e->state = UI_RUN_RUNNING;
        e->epoch = t->epoch;
        const nn_epoch_stats *last = nn_trainer_last(t);
        e->train_loss = last ? last->train_loss : (double)NAN;
        e->val_loss = last ? last->val_loss : (double)NAN;
        e->test_loss = last ? last->test_loss : (double)NAN;
        e->test_acc = last ? last->test_acc : (double)NAN;
        bool fin = t->state == NN_TRAINER_DONE;
        e->final_test_loss = fin ? t->final_stats.test_loss : (double)NAN;
        e->final_test_acc = fin ? t->final_stats.test_acc : (double)NAN;
    }
    s->epoch = lo >= 0 ? lo : hi;
    s->batch = cur->batch;
    s->n_batches = r0->n_batches;
    s->batch_size = r0->batch_size;
    s->optimizer = (int)cur->opt.p.kind;
    s->lr = cur->lr;
    s->base_lr = cur->base_lr;
    s->samples_seen = seen;
    s->elapsed_s = w->busy_s;
    double train_s = w->busy_s - w->eval_s;
    s->samples_per_s = train_s > 0.0 ? (double)seen / train_s : 0.0;
    bool finished = w->state == UI_RUN_DONE;
    s->eta_s = !finished && done > 0 ? w->busy_s / (double)done * (double)left : 0.0;
    s->threads = nn_pool_threads(w->race_pool);
    s->race_current = w->race_cur;
    s->has_last = false;
    s->history_len = 0;
    s->stopped_early = false;
    s->best_epoch = 0;
    memset(&s->final, 0, sizeof s->final);
    memset(&s->last, 0, sizeof s->last);
}

/* Fills the parts of the private snapshot that change while training. */
static void fill_dynamic(ui_worker *w)
{
    ui_snapshot *s = &w->snap;
    s->state = w->state;
    s->run = w->run;
    if (w->race_on) {
        fill_race(w);
        return;
    }
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

/* A one-off result for the UI, published with the next snapshot. */
__attribute__((format(printf, 3, 4)))
static void notice(ui_worker *w, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->snap.notice, sizeof w->snap.notice, fmt, ap);
    va_end(ap);
    w->snap.notice_error = error;
    w->snap.notice_seq++;
}

/* A live change at the trainer's position; the oldest is dropped when the list is full. */
__attribute__((format(printf, 2, 3)))
static void add_event(ui_worker *w, const char *fmt, ...)
{
    ui_snapshot *s = &w->snap;
    if (s->n_events >= UI_EVENT_MAX) {
        memmove(s->events, s->events + 1, (UI_EVENT_MAX - 1) * sizeof *s->events);
        s->n_events = UI_EVENT_MAX - 1;
    }
    ui_event *e = &s->events[s->n_events++];
    e->epoch = w->have_trainer ? w->t.epoch : 0;
    e->batch = w->have_trainer ? w->t.batch : 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->what, sizeof e->what, fmt, ap);
    va_end(ap);
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

/* The view's kind, axes, data range and sample of points (part of fill_static; again when the
 * axes change). Classification or regression data with 2..UI_VIEW_MAX_FEATURES features gets a
 * grid over features view_fx and view_fy (the others held at their mean); 1-feature regression a
 * curve. */
static void fill_view(ui_worker *w, const nn_trainer *t)
{
    ui_snapshot *s = &w->snap;
    const nn_dataset *d = &t->data;
    int nf = d->n_features;
    s->view = UI_VIEW_NONE;
    s->view_epoch = -1;
    s->grid_w = s->grid_h = 0;
    s->n_points = 0;
    s->curve_n = 0;
    s->view_fx = 0;
    s->view_fy = -1;
    s->view_names[0][0] = s->view_names[1][0] = '\0';
    /* more than 2 features: only once the UI has asked for two (ui_worker_view_features) */
    bool plane = nf == 2 || (nf > 2 && nf <= UI_VIEW_MAX_FEATURES && w->view_chosen);
    if (plane && d->task == NN_TASK_CLASSIFICATION)
        s->view = UI_VIEW_BOUNDARY;
    else if (plane && d->task == NN_TASK_REGRESSION)
        s->view = UI_VIEW_SURFACE;
    else if (nf == 1 && d->task == NN_TASK_REGRESSION && d->y)
        s->view = UI_VIEW_CURVE;
    if (s->view == UI_VIEW_NONE || d->n <= 0)
        return;
    int fx = 0, fy = 1;
    if (s->view != UI_VIEW_CURVE && w->view_fx >= 0 && w->view_fy >= 0 && w->view_fx < nf && w->view_fy < nf &&
        w->view_fx != w->view_fy) {
        fx = w->view_fx;
        fy = w->view_fy;
    }
    if (s->view == UI_VIEW_CURVE)
        fy = -1;
    s->view_fx = fx;
    s->view_fy = fy;
    char px[32];
    copy_str(s->view_names[0], NN_NAME_MAX, nn_dataset_feature_name(d, fx, px, sizeof px));
    if (fy >= 0)
        copy_str(s->view_names[1], NN_NAME_MAX, nn_dataset_feature_name(d, fy, px, sizeof px));

    /* every feature's mean in original units (what the features off the axes are held at) */
    if (s->view != UI_VIEW_CURVE && nf > 2) {
        float *m = realloc(w->view_mean, (size_t)nf * sizeof *m);
        if (!m) {
            s->view = UI_VIEW_NONE;
            return;
        }
        w->view_mean = m;
        for (int j = 0; j < nf; j++) {
            double sum = 0.0;
            long cnt = 0;
            for (int i = 0; i < d->n; i++) {
                float v = nn_dataset_value(d, i, j);
                denorm_feature(&t->norm, j, &v);
                if (isfinite(v)) {
                    sum += (double)v;
                    cnt++;
                }
            }
            m[j] = cnt > 0 ? (float)(sum / (double)cnt) : 0.0f;
        }
    }

    /* the data range in original units over every row */
    float xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
    for (int i = 0; i < d->n; i++) {
        float a = nn_dataset_value(d, i, fx);
        denorm_feature(&t->norm, fx, &a);
        float b;
        if (s->view == UI_VIEW_CURVE) {
            b = d->y[(size_t)i * (size_t)d->n_targets];
        } else {
            b = nn_dataset_value(d, i, fy);
            denorm_feature(&t->norm, fy, &b);
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
        pt->x = nn_dataset_value(d, (int)row, fx);
        denorm_feature(&t->norm, fx, &pt->x);
        if (s->view == UI_VIEW_CURVE) {
            pt->y = d->y[(size_t)row * (size_t)d->n_targets];
        } else {
            pt->y = nn_dataset_value(d, (int)row, fy);
            denorm_feature(&t->norm, fy, &pt->y);
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

/* Static parts of the snapshot: dataset, network, class names, data range, sample of points. */
static void fill_static(ui_worker *w, const nn_trainer *t)
{
    ui_snapshot *s = &w->snap;
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
        copy_str(s->class_names[c], NN_NAME_MAX, nn_dataset_class_name(d, c));
    for (int j = 0; j < 2; j++) {
        char px[32];
        copy_str(s->feature_names[j], NN_NAME_MAX,
                 j < d->n_features ? nn_dataset_feature_name(d, j, px, sizeof px) : "");
    }

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

    fill_view(w, t);
}

/* Regression: predictions of the sampled rows against their targets (original units). */
static void compute_fit(ui_worker *w)
{
    ui_snapshot *s = &w->snap;
    nn_trainer *t = &w->t;
    if (!w->have_trainer || s->fit_n <= 0 || !w->fit_in || !w->fit_out)
        return;
    int nf = t->data.n_features, k = s->fit_n;
    for (int i = 0; i < k; i++)
        nn_dataset_row(&t->data, (int)w->fit_rows[i], &w->fit_in[(size_t)i * nf]);
    nn_trainer_predict(t, w->fit_in, k, w->fit_out); /* the features are normalised in place already */
    for (int i = 0; i < k; i++) {
        s->fit_pred[i] = w->fit_out[(size_t)i * (size_t)t->outputs];
        s->fit_actual[i] = t->data.y[(size_t)w->fit_rows[i] * (size_t)t->data.n_targets];
    }
    s->fit_epoch = t->epoch;
}

/* Predicts the grid or the curve with the current weights (worker thread, between batches). */
static void compute_view(ui_worker *w)
{
    ui_snapshot *s = &w->snap;
    nn_trainer *t = &w->t;
    compute_fit(w);
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
        int nf = t->data.n_features, fx = s->view_fx, fy = s->view_fy;
        for (int r = 0; r < gh; r++)
            for (int c = 0; c < gw; c++) {
                float *p = &w->view_in[(size_t)nf * (size_t)(r * gw + c)];
                if (nf > 2 && w->view_mean)
                    memcpy(p, w->view_mean, (size_t)nf * sizeof *p);   /* the other features at their mean */
                p[fx] = s->x_min + ((float)c + 0.5f) * dx;
                p[fy] = s->y_max - ((float)r + 0.5f) * dy;
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

static void free_race(ui_worker *w)
{
    if (w->race) {
        for (int r = w->race_n - 1; r >= 0; r--) {   /* race[0] owns the data the others borrow: last */
            w->race[r].pool = NULL;   /* shared: destroyed below, once */
            nn_trainer_free(&w->race[r]);
        }
        free(w->race);
    }
    w->race = NULL;
    w->race_n = 0;
    w->race_cur = 0;
    nn_pool_destroy(w->race_pool);
    w->race_pool = NULL;
    w->race_on = false;
    memset(w->race_err, 0, sizeof w->race_err);
}

static void free_trainer(ui_worker *w)
{
    if (w->have_trainer)
        nn_trainer_free(&w->t);
    w->have_trainer = false;
    free(w->view_in);
    free(w->view_out);
    w->view_in = w->view_out = NULL;
    free(w->fit_in);
    free(w->fit_out);
    w->fit_in = w->fit_out = NULL;
    free(w->prev_params);
    w->prev_params = NULL;
    if (w->have_tr)
        nn_health_trace_free(&w->tr);
    w->have_tr = false;
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

/* Health, warnings, events and the step-through start over (reset, reseed, load). */
static void clear_teaching(ui_worker *w)
{
    ui_snapshot *s = &w->snap;
    s->has_health = false;
    s->health_epoch = s->health_batch = 0;
    memset(&s->health, 0, sizeof s->health);
    nn_health_history_clear(&s->health_hist);
    s->n_warnings = 0;
    s->n_events = 0;
    s->trace.valid = false;
    s->net_act_rows = 0;
    w->row_pending = false;
    w->last_health = 0.0;
}

/* The network's parameters (and, with acts, per-unit activation statistics of the last forward)
 * into the snapshot for the Network view: pooled to UI_NET_DIM x UI_NET_DIM per layer. */
static void fill_net(ui_worker *w, bool acts)
{
    ui_snapshot *s = &w->snap;
    if (w->race_on || !w->have_trainer) {
        s->has_net = false;
        return;
    }
    const nn_network *net = &w->t.net;
    s->has_net = true;
    s->net_epoch = w->t.epoch;
    s->net_batch = w->t.batch;
    int rows = net->last_rows;
    if (acts)
        s->net_act_rows = rows;
    for (int l = 0; l < net->n_layers && l < NN_MAX_LAYERS; l++) {
        const nn_layer *L = &net->layers[l];
        int in = L->in, out = L->out;
        int nr = in < UI_NET_DIM ? in : UI_NET_DIM, nc = out < UI_NET_DIM ? out : UI_NET_DIM;
        s->net_rows[l] = nr;
        s->net_cols[l] = nc;
        const float *W = net->params + L->w_off, *b = net->params + L->b_off;
        float *dst = s->net_w[l];
        for (int i = 0; i < nr * nc; i++)
            dst[i] = 0.0f;
        float wmax = 0.0f;
        for (int i = 0; i < in; i++) {
            int r = (int)((long)i * nr / in);
            for (int j = 0; j < out; j++) {
                float v = W[(size_t)i * (size_t)out + (size_t)j];
                float m = fabsf(v);
                if (m > wmax)
                    wmax = m;
                float *c = &dst[r * nc + (int)((long)j * nc / out)];
                if (m > fabsf(*c))
                    *c = v;
            }
        }
        s->net_wmax[l] = wmax;
        for (int c = 0; c < nc; c++)
            s->net_b[l][c] = 0.0f;
        for (int j = 0; j < out; j++) {
            float *c = &s->net_b[l][(long)j * nc / out];
            if (fabsf(b[j]) > fabsf(*c))
                *c = b[j];
        }
        if (!acts)
            continue;
        bool sig = L->act == NN_ACT_SIGMOID, th = L->act == NN_ACT_TANH;
        for (int c = 0; c < nc; c++) {
            int j0 = (int)(((long)c * out + nc - 1) / nc), j1 = (int)(((long)(c + 1) * out + nc - 1) / nc);
            double act = 0.0, sat = 0.0, n = 0.0;
            for (int r = 0; r < rows; r++)
                for (int j = j0; j < j1 && j < out; j++) {
                    double a = (double)L->a[(size_t)r * (size_t)out + (size_t)j];
                    double z = (double)L->z[(size_t)r * (size_t)out + (size_t)j];
                    act += z > 0.0;
                    if (sig)
                        sat += a < 1.0 - NN_HEALTH_SAT_EDGE || a > NN_HEALTH_SAT_EDGE;
                    else if (th)
                        sat += fabs(a) > NN_HEALTH_SAT_EDGE;
                    n += 1.0;
                }
            double mean, sd;   /* two passes: a large common offset keeps the spread */
            nn_health_block_mean_std(L->a, rows, out, j0, j1 < out ? j1 : out, &mean, &sd);
            s->net_amean[l][c] = (float)mean;
            s->net_astd[l][c] = (float)sd;
            s->net_active[l][c] = n > 0.0 ? (float)(act / n) : 0.0f;
            s->net_sat[l][c] = n > 0.0 ? (float)(sat / n) : 0.0f;
        }
    }
}

/* A fresh private snapshot for a new run: the notice survives (its seq never goes back). */
static void fresh_snapshot(ui_worker *w, const nn_preset *p)
{
    uint64_t seq = w->snap.seq, nseq = w->snap.notice_seq;
    bool nerr = w->snap.notice_error;
    char note[NN_ERRMSG];
    memcpy(note, w->snap.notice, sizeof note);
    memset(&w->snap, 0, sizeof w->snap);
    w->snap.seq = seq;
    w->snap.notice_seq = nseq;
    w->snap.notice_error = nerr;
    memcpy(w->snap.notice, note, sizeof note);
    w->snap.view_epoch = -1;
    copy_str(w->snap.name, sizeof w->snap.name, p->name);
    copy_str(w->snap.file, sizeof w->snap.file, p->file);
    copy_str(w->snap.source, sizeof w->snap.source, p->dataset.source);
    w->snap.epochs = p->training.epochs;
}

/* The step-through of the selection with the current weights, into snap.trace. */
static void update_trace(ui_worker *w)
{
    ui_trace *out = &w->snap.trace;
    if (!w->sel.on || !w->have_trainer || !w->have_tr || w->race_on) {
        out->valid = false;
        return;
    }
    nn_trainer *t = &w->t;
    nn_error err;
    nn_error_clear(&err);
    int k = w->sel.k, layer = w->sel.layer, i = w->sel.i, j = w->sel.j;
    memset(out, 0, sizeof *out);
    if (k < 0 || k >= t->split.n_train) {
        w->sel.on = false;
        notice(w, true, "step-through: training row %d is out of range (0..%d)", k, t->split.n_train - 1);
        return;
    }
    int row = (int)t->split.train[k];
    nn_status st = nn_health_trace_sample(&w->tr, t, row, &err);
    double g = st == NN_OK ? nn_health_trace_grad(&w->tr, layer, i, j) : (double)NAN;
    double pen = 0.0;
    if (st == NN_OK && isfinite(g)) {
        /* the parameter's value, for the penalty term (explain_step checks the ranges again) */
        const nn_layer *L = &t->net.layers[layer];
        size_t at = i == NN_HEALTH_BIAS ? L->b_off + (size_t)j : L->w_off + (size_t)i * (size_t)L->out + (size_t)j;
        const nn_preset_training *tp = &t->preset.training;
        pen = nn_health_penalty_grad(tp->reg, tp->lambda, tp->r, (double)t->net.params[at], i == NN_HEALTH_BIAS);
    }
    if (st == NN_OK)
        st = nn_health_explain_step(&out->step, &t->net, &t->opt, t->lr, layer, i, j, g + pen, &err);
    if (st != NN_OK) {
        w->sel.on = false;
        memset(out, 0, sizeof *out);
        notice(w, true, "step-through: %s", err.msg[0] ? err.msg : nn_status_name(st));
        return;
    }
    const nn_health_trace *tr = &w->tr;
    out->index = k;
    out->row = row;
    out->label = t->data.task == NN_TASK_CLASSIFICATION && t->data.label ? t->data.label[row] : -1;
    out->layer = layer;
    out->i = i;
    out->j = j;
    out->epoch = t->epoch;
    out->batch = t->batch;
    out->n_inputs = tr->n_inputs;
    out->n_layers = tr->n_layers;
    out->loss = (int)tr->loss;
    out->loss_value = tr->loss_value;
    out->n_y = tr->n_layers > 0 ? tr->out[tr->n_layers - 1] : 0;
    for (int v = 0; v < tr->n_inputs && v < UI_TRACE_VEC; v++)
        out->x[v] = (float)tr->x[v];
    for (int v = 0; v < out->n_y && v < UI_TRACE_VEC; v++)
        out->y[v] = (float)tr->y[v];
    for (int l = 0; l < tr->n_layers && l < NN_MAX_LAYERS; l++) {
        out->in[l] = tr->in[l];
        out->out[l] = tr->out[l];
        out->act[l] = (int)tr->act[l];
        for (int v = 0; v < tr->out[l] && v < UI_TRACE_VEC; v++) {
            out->z[l][v] = (float)tr->z[l][v];
            out->a[l][v] = (float)tr->a[l][v];
            out->delta[l][v] = (float)tr->delta[l][v];
        }
    }
    if (i == NN_HEALTH_BIAS)
        out->a_prev_i = 1.0;
    else
        out->a_prev_i = layer == 0 ? tr->x[i] : tr->a[layer - 1][i];
    out->delta_j = tr->delta[layer][j];
    out->grad = g;
    out->penalty_grad = pen;
    out->batch_grad = t->samples_seen > 0 ? (double)t->net.grads[out->step.index] : (double)NAN;
    out->valid = true;
}

/* The run stopped (or was rebuilt): the view and the step-through with the current weights. */
static void settle(ui_worker *w)
{
    compute_view(w);
    update_trace(w);
    fill_net(w, false);
}

/* Rebuilds the trainer from w->preset: LOADING, then READY (or DONE) or ERROR. */
static void do_load(ui_worker *w)
{
    free_trainer(w);
    free_race(w);
    w->run++;
    w->after = STOP_AFTER_NONE;
    w->sel.on = false;
    fresh_snapshot(w, &w->preset);
    clear_teaching(w);
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
    fill_static(w, &w->t);
    size_t in_n = 0, out_n = 0;
    if (w->snap.view == UI_VIEW_CURVE) {
        in_n = UI_CURVE_MAX;
        out_n = (size_t)UI_CURVE_MAX * (size_t)w->t.outputs;
    } else if (w->snap.view != UI_VIEW_NONE) {
        in_n = (size_t)w->t.data.n_features * UI_GRID_W * UI_GRID_H;
        out_n = (size_t)UI_GRID_W * UI_GRID_H * (size_t)w->t.outputs;
    }
    if (in_n > 0) {
        w->view_in = malloc(in_n * sizeof *w->view_in);
        w->view_out = malloc(out_n * sizeof *w->view_out);
    }
    w->snap.fit_n = 0;
    if (w->t.data.task == NN_TASK_REGRESSION) {
        /* an even sample of the test rows (or the training rows), gathered once */
        const uint32_t *rows = w->t.split.n_test > 0 ? w->t.split.test : w->t.split.train;
        int n = w->t.split.n_test > 0 ? w->t.split.n_test : w->t.split.n_train;
        int k = n < UI_FIT_MAX ? n : UI_FIT_MAX;
        w->fit_in = malloc(((size_t)k + 1) * (size_t)w->t.data.n_features * sizeof *w->fit_in);
        w->fit_out = malloc(((size_t)k + 1) * (size_t)w->t.outputs * sizeof *w->fit_out);
        if (w->fit_in && w->fit_out) {
            for (int i = 0; i < k; i++)
                w->fit_rows[i] = rows[(long)i * n / k];
            w->snap.fit_n = k;
        }
    }
    size_t np = w->t.net.n_params > 0 ? w->t.net.n_params : 1;
    w->prev_params = malloc(np * sizeof *w->prev_params);
    memset(&w->tr, 0, sizeof w->tr);
    w->have_tr = nn_health_trace_init(&w->tr, &w->t.net, &err) == NN_OK;
    if (!hist || (in_n > 0 && (!w->view_in || !w->view_out)) || !w->prev_params || !w->have_tr) {
        free(hist);
        if (!w->have_tr)
            nn_health_trace_free(&w->tr);
        free_trainer(w);
        w->state = UI_RUN_ERROR;
        set_message(w, "out of memory building the trainer's view and health buffers");
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
    fill_net(w, false);
    w->state = nn_trainer_finished(&w->t) ? UI_RUN_DONE : UI_RUN_READY;
    publish(w);
}

/* Back to epoch 0 for every optimizer of the race. */
static void race_reset(ui_worker *w, bool new_seed, uint64_t seed)
{
    for (int r = 0; r < w->race_n; r++) {
        nn_trainer_reset(&w->race[r], new_seed, seed);
        w->race_err[r] = false;
        ui_race_entry *e = &w->snap.race_entries[r];
        e->message[0] = '\0';
        e->hist_len = 0;
        e->hist_step = 1;
    }
    w->race_cur = 0;
    w->run++;
    w->after = STOP_AFTER_NONE;
    zero_timers(w);
    set_message(w, "");
    w->state = UI_RUN_READY;
    publish(w);
}

static void do_reset(ui_worker *w, bool new_seed, uint64_t seed)
{
    if (w->race_on) {
        race_reset(w, new_seed, seed);
        return;
    }
    if (!w->have_trainer)
        return;
    nn_trainer_reset(&w->t, new_seed, seed);
    w->run++;
    w->after = STOP_AFTER_NONE;
    zero_timers(w);
    set_message(w, "");
    clear_teaching(w);
    w->state = nn_trainer_finished(&w->t) ? UI_RUN_DONE : UI_RUN_READY;
    settle(w);
    publish(w);
}

/* Builds the race from w->race_preset and the list: LOADING, then READY or ERROR. A list that
 * does not parse leaves the current run alone. */
static void do_race(ui_worker *w, const char *list)
{
    nn_error err;
    nn_error_clear(&err);
    char buf[NN_PATH_MAX];
    const char *names[NN_RACE_MAX];
    int n;
    copy_str(buf, sizeof buf, list);
    if (buf[0]) {
        n = nn_race_parse_list(buf, names, &w->race_preset, &err);
    } else {
        n = nn_race_count < NN_RACE_MAX ? nn_race_count : NN_RACE_MAX;
        for (int r = 0; r < n; r++)
            names[r] = nn_race_table[r].name;
    }
    if (n <= 0) {
        notice(w, true, "%s", err.msg[0] ? err.msg : "race: the optimizer list is empty");
        publish(w);
        return;
    }

    free_trainer(w);
    free_race(w);
    w->run++;
    w->after = STOP_AFTER_NONE;
    w->sel.on = false;
    fresh_snapshot(w, &w->race_preset);
    clear_teaching(w);
    w->state = UI_RUN_LOADING;
    w->snap.race = true;
    w->snap.race_n = n;
    for (int r = 0; r < n; r++) {
        copy_str(w->snap.race_entries[r].name, sizeof w->snap.race_entries[r].name, names[r]);
        w->snap.race_entries[r].hist_step = 1;
    }
    publish(w);

    const char *why = NULL;
    w->race = calloc((size_t)n, sizeof *w->race);
    if (!w->race)
        why = "race: out of memory";
    if (!why && w->threads != 1) {
        w->race_pool = nn_pool_create(w->threads, &err);
        if (!w->race_pool)
            why = err.msg[0] ? err.msg : "race: cannot start the thread pool";
    }
    for (int r = 0; r < n && !why; r++) {
        if (atomic_load(&w->stop)) {   /* destroy while building: stop between trainers */
            why = "race: stopped";
            break;
        }
        w->scratch = w->race_preset;
        nn_status st = nn_race_apply(&w->scratch, names[r], &err);
        if (st == NN_OK)
            st = nn_trainer_init_shared(&w->race[r], &w->scratch, r > 0 ? &w->race[0] : NULL, 1, &err);
        w->race_n = r + 1;   /* free_race frees a failed (zeroed) trainer too */
        if (st != NN_OK)
            why = err.msg[0] ? err.msg : nn_status_name(st);
        else
            w->race[r].pool = w->race_pool;
    }
    if (why) {
        char msg[NN_ERRMSG];
        copy_str(msg, sizeof msg, why);
        free_race(w);
        w->snap.race = false;
        w->snap.race_n = 0;
        w->state = UI_RUN_ERROR;
        set_message(w, msg);
        publish(w);
        return;
    }
    w->race_on = true;
    w->race_cur = 0;
    fill_static(w, &w->race[0]);
    ui_snapshot *s = &w->snap;
    s->view = UI_VIEW_NONE;
    s->grid_w = s->grid_h = 0;
    s->n_points = 0;
    s->curve_n = 0;
    s->race_loss_is_val = w->race[0].split.n_val > 0;
    for (int r = 0; r < n; r++) {
        s->race_entries[r].optimizer = (int)w->race[r].opt.p.kind;
        s->race_entries[r].lr = w->race[r].base_lr;
    }
    zero_timers(w);
    w->state = UI_RUN_READY;
    publish(w);
}

/* Appends a loss point to a race entry, halving the points when full (see ui_race_entry.loss). */
static void race_push_point(ui_race_entry *e, int epoch, double loss)
{
    if (e->hist_step < 1)
        e->hist_step = 1;
    if (epoch % e->hist_step != 0)
        return;
    if (e->hist_len >= UI_RACE_HIST) {
        for (int p = 0; p < UI_RACE_HIST / 2; p++)
            e->loss[p] = e->loss[2 * p + 1];
        e->hist_len = UI_RACE_HIST / 2;
        e->hist_step *= 2;
        if (epoch % e->hist_step != 0)
            return;
    }
    e->loss[e->hist_len++] = (float)loss;
}

/* The next optimizer whose turn it is after r (r itself last), or -1 if all are finished. */
static int race_next(const ui_worker *w, int r)
{
    for (int d = 1; d <= w->race_n; d++) {
        int q = (r + d) % w->race_n;
        if (!race_entry_finished(w, q))
            return q;
    }
    return -1;
}

/* One batch of the race while RUNNING: the optimizer whose turn it is. */
static void race_batch(ui_worker *w)
{
    int c = w->race_cur;
    if (race_entry_finished(w, c)) {   /* e.g. right after a reset of a finished race */
        c = race_next(w, c);
        if (c < 0) {
            w->state = UI_RUN_DONE;
            w->after = STOP_AFTER_NONE;
            publish(w);
            return;
        }
        w->race_cur = c;
    }
    nn_trainer *t = &w->race[c];
    ui_race_entry *e = &w->snap.race_entries[c];
    nn_error err;
    nn_error_clear(&err);
    double t0 = now_s();
    nn_status st = nn_trainer_step(t, &err);
    double t1 = now_s();
    w->busy_s += t1 - t0;

    bool turn_over = false;
    if (st == NN_EDIVERGED || t->state == NN_TRAINER_DIVERGED) {
        copy_str(e->message, sizeof e->message, t->fault[0] ? t->fault : (err.msg[0] ? err.msg : "diverged"));
        turn_over = true;
    } else if (st != NN_OK) {
        w->race_err[c] = true;
        copy_str(e->message, sizeof e->message, err.msg[0] ? err.msg : nn_status_name(st));
        turn_over = true;
    } else if (nn_trainer_epoch_ended(t) || nn_trainer_finished(t)) {
        const nn_epoch_stats *last = nn_trainer_last(t);
        if (last) {
            w->eval_s += last->eval_seconds;
            race_push_point(e, last->epoch, w->snap.race_loss_is_val ? last->val_loss : last->train_loss);
        }
        turn_over = true;
    }
    bool changed = false, round_end = false;
    if (turn_over) {
        int next = race_next(w, c);
        if (next < 0) {
            w->state = UI_RUN_DONE;
            changed = true;
        } else {
            round_end = next <= c;
            w->race_cur = next;
        }
    }
    if (!changed && (w->after == STOP_AFTER_BATCH || (w->after == STOP_AFTER_EPOCH && round_end))) {
        w->state = UI_RUN_PAUSED;
        changed = true;
    }
    if (changed) {
        w->after = STOP_AFTER_NONE;
        publish(w);
        return;
    }
    if (t1 - w->last_publish >= PUBLISH_INTERVAL)
        publish(w);
}

/* Whether the batch about to run (t->batch) gets a health measurement. */
static bool measure_due(const ui_worker *w, double now)
{
    const nn_trainer *t = &w->t;
    if (!w->prev_params || nn_trainer_finished(t))
        return false;
    int b = t->batch, nb = t->n_batches;
    if (nb <= 1 || b == nb - 2 || w->after == STOP_AFTER_BATCH)
        return true;
    return b < nb - 1 && now - w->last_health >= HEALTH_INTERVAL;
}

/* Health of the batch just trained (number batch1 of epoch epoch1), into the snapshot. */
static void measure_health(ui_worker *w, bool epoch_ended, int epoch1, int batch1)
{
    nn_trainer *t = &w->t;
    const float *prev = w->prev_params;
    if (epoch_ended) {
        /* The evaluation overwrote z/a: pass the epoch's last batch forward again (training rows,
         * the new weights, no dropout). t->xb/yb are the trainer's scratch, free between steps. */
        int start = (t->n_batches - 1) * t->batch_size;
        int rows = t->split.n_train - start;
        if (rows > 0) {
            nn_gather(t->xb, t->yb, t->outputs, &t->data, &t->norm, t->order + start, rows);
            nn_network_forward(&t->net, t->pool, t->xb, rows, 0.0f, NULL);
        }
        /* early stopping put the best weights back: the step's update is not what params show */
        if (t->state == NN_TRAINER_DONE && t->preset.training.patience > 0 && t->best_epoch > 0 &&
            t->best_epoch != t->epoch)
            prev = NULL;
    }
    nn_health h;
    nn_health_compute(&h, &t->net, prev);
    ui_snapshot *s = &w->snap;
    s->health = h;
    s->has_health = true;
    s->health_epoch = epoch1;
    s->health_batch = batch1;
    s->n_warnings = nn_health_warnings(&h, s->warnings, UI_WARN_MAX);
    w->row_health = h;
    w->row_pending = true;
    fill_net(w, true);
    w->last_health = now_s();
}

/* One batch while RUNNING. */
static void run_batch(ui_worker *w)
{
    nn_trainer *t = &w->t;
    nn_error err;
    nn_error_clear(&err);
    int epoch1 = t->epoch + 1, batch1 = t->batch + 1;
    bool measure = measure_due(w, now_s());
    if (measure)
        memcpy(w->prev_params, t->net.params, t->net.n_params * sizeof *w->prev_params);
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
        if (measure)
            measure_health(w, epoch_end, epoch1, batch1);
        if (epoch_end) {
            const nn_epoch_stats *last = nn_trainer_last(t);
            if (last)
                w->eval_s += last->eval_seconds;
            w->busy_at_epoch = w->busy_s;
            if (w->row_pending) {
                nn_health_history_push(&w->snap.health_hist, &w->row_health, t->epoch);
                w->row_pending = false;
            }
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
        settle(w);
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

/* ---- the additions' commands (worker thread) ------------------------------------------------ */

static void do_save_model(ui_worker *w, const char *path)
{
    if (w->race_on) {
        notice(w, true, "save model: a race has no single model; load a preset and train it to save one");
    } else if (!w->have_trainer) {
        notice(w, true, "save model: no model is loaded");
    } else {
        nn_error err;
        nn_error_clear(&err);
        nn_trainer *t = &w->t;
        nn_status st = nn_model_save(path, &t->preset, &t->net, &t->norm, &t->data, &err);
        if (st == NN_OK && t->epoch == 0 && t->batch == 0)
            notice(w, false, "model saved to %s (the initial weights, untrained)", path);
        else if (st == NN_OK && t->batch > 0)
            notice(w, false, "model saved to %s (epoch %d, after batch %d)", path, t->epoch + 1, t->batch);
        else if (st == NN_OK)
            notice(w, false, "model saved to %s (epoch %d)", path, t->epoch);
        else
            notice(w, true, "save model: %s", err.msg[0] ? err.msg : nn_status_name(st));
    }
    publish(w);
}

static void do_set_lr(ui_worker *w, double lr)
{
    if (w->race_on) {
        notice(w, true, "learning rate: each optimizer of a race keeps its own; load a preset to change it");
        publish(w);
        return;
    }
    if (!w->have_trainer)
        return;
    double old = w->t.base_lr;
    nn_trainer_set_lr(&w->t, lr);
    w->t.preset.training.optimizer.lr = w->t.base_lr;   /* a saved model shows the live value */
    if (w->t.base_lr != old)
        add_event(w, "lr %g -> %g", old, w->t.base_lr);
    if (w->state != UI_RUN_RUNNING)
        update_trace(w);   /* the step's formula uses the learning rate */
    publish(w);
}

/* The keys ui_worker_set_param changes live, and their short names for events. */
static const struct {
    const char *key, *label;
} live_keys[] = {
    {"training.regularization.lambda", "lambda"},
    {"training.regularization.dropout", "dropout"},
    {"training.regularization.r", "r"},
    {"training.regularization.method", "regularization"},
    {"training.optimizer.learning_rate", "lr"},
};

/* A preset value as nn_preset_get gives it, without the quotes of a string. */
static void get_plain(const nn_preset *p, const char *key, char *out, size_t cap)
{
    nn_error err;
    if (nn_preset_get(p, key, out, cap, &err) != NN_OK) {
        copy_str(out, cap, "?");
        return;
    }
    size_t n = strlen(out);
    if (n >= 2 && out[0] == '"' && out[n - 1] == '"') {
        memmove(out, out + 1, n - 2);
        out[n - 2] = '\0';
    }
}

static void do_set_param(ui_worker *w, const char *key, const char *value)
{
    const char *label = NULL;
    for (size_t k = 0; k < sizeof live_keys / sizeof live_keys[0]; k++)
        if (strcmp(key, live_keys[k].key) == 0)
            label = live_keys[k].label;
    nn_trainer *t = &w->t;
    if (w->race_on) {
        notice(w, true, "%s: a race keeps its settings; load a preset to change them", key);
    } else if (!w->have_trainer) {
        notice(w, true, "%s: no model is loaded", key);
    } else if (!label) {
        notice(w, true,
               "%s cannot change during a run; live keys: training.regularization.lambda, .dropout, .r, "
               ".method, training.optimizer.learning_rate (edit the preset and reload for the rest)",
               key);
    } else if (nn_preset_is_locked(&t->preset, key)) {
        notice(w, true, "%s is locked by this lesson", key);
    } else {
        char before[64], after[64];
        get_plain(&t->preset, key, before, sizeof before);
        nn_error err;
        nn_error_clear(&err);
        nn_status st = nn_preset_set(&t->preset, key, value, &err);
        if (st != NN_OK) {
            notice(w, true, "%s", err.msg[0] ? err.msg : nn_status_name(st));
        } else {
            if (strcmp(label, "lr") == 0)
                nn_trainer_set_lr(t, t->preset.training.optimizer.lr);
            get_plain(&t->preset, key, after, sizeof after);
            if (strcmp(before, after) != 0)
                add_event(w, "%s %s -> %s", label, before, after);
            notice(w, false, "%s %s -> %s from epoch %d, batch %d", label, before, after, t->epoch + 1,
                   t->batch + 1);
            if (w->state != UI_RUN_RUNNING)
                update_trace(w);
        }
    }
    publish(w);
}

static void do_trace(ui_worker *w, const ui_cmd *c)
{
    if (w->race_on) {
        notice(w, true, "step-through: not in a race; load a preset to step through it");
        publish(w);
        return;
    }
    if (c->arg[0] < 0) {
        w->sel.on = false;
        w->snap.trace.valid = false;
        publish(w);
        return;
    }
    w->sel.on = true;
    w->sel.k = c->arg[0];
    w->sel.layer = c->arg[1];
    w->sel.i = c->arg[2];
    w->sel.j = c->arg[3];
    if (!w->have_trainer) {
        w->sel.on = false;
        w->snap.trace.valid = false;
        notice(w, true, "step-through: no model is loaded");
    } else if (w->state != UI_RUN_RUNNING && w->state != UI_RUN_LOADING) {
        update_trace(w);
    } else {
        w->snap.trace.valid = false;   /* computed at the next stop */
    }
    publish(w);
}

/* New axes for the Boundary view: the grid, range and points over features fx and fy. */
static void do_view_features(ui_worker *w, int fx, int fy)
{
    int nf = w->have_trainer ? w->t.data.n_features : 0;
    if (w->race_on || !w->have_trainer) {
        notice(w, true, "view features: %s", w->race_on ? "not during a race" : "no model is loaded");
    } else if (nf <= 2 || nf > UI_VIEW_MAX_FEATURES) {
        notice(w, true, "view features: this dataset has %d features; choosing two needs 3 to %d", nf,
               UI_VIEW_MAX_FEATURES);
    } else if (fx < 0 || fy < 0 || fx >= nf || fy >= nf || fx == fy) {
        notice(w, true, "view features: %d and %d must be two different features of 0..%d", fx, fy, nf - 1);
    } else {
        /* the grid's buffers: load allocated them only if the data had a view then */
        size_t cells = (size_t)UI_GRID_W * UI_GRID_H;
        if (!w->view_in || !w->view_out) {
            free(w->view_in);
            free(w->view_out);
            w->view_in = malloc((size_t)nf * cells * sizeof *w->view_in);
            w->view_out = malloc((size_t)w->t.outputs * cells * sizeof *w->view_out);
        }
        if (!w->view_in || !w->view_out) {
            notice(w, true, "view features: out of memory for the grid");
        } else {
            w->view_fx = fx;
            w->view_fy = fy;
            w->view_chosen = true;
            fill_view(w, &w->t);
            w->grid_samples = -1;
            compute_view(w);
        }
    }
    publish(w);
}

/* Applies one command (worker thread). skip: a load or race that a newer one replaces. */
static void apply(ui_worker *w, const ui_cmd *c, bool skip)
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
            settle(w);
            publish(w);
        }
        break;
    case UI_CMD_TOGGLE: {
        ui_cmd alt = *c;
        alt.kind = s == UI_RUN_RUNNING ? UI_CMD_PAUSE : UI_CMD_START;
        apply(w, &alt, skip);
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
        do_set_lr(w, c->lr);
        break;
    case UI_CMD_LOAD:
        if (!skip)
            do_load(w);
        break;
    case UI_CMD_QUIT:
        atomic_store(&w->stop, true);
        break;
    case CMD_SAVE_MODEL:
        do_save_model(w, c->text);
        break;
    case CMD_TRACE:
        do_trace(w, c);
        break;
    case CMD_SET_PARAM:
        do_set_param(w, c->key, c->text);
        break;
    case CMD_RACE:
        if (!skip)
            do_race(w, c->text);
        break;
    case CMD_VIEW_FEATURES:
        do_view_features(w, c->arg[0], c->arg[1]);
        break;
    default:
        break;
    }
}

static void *worker_main(void *arg)
{
    ui_worker *w = arg;
    ui_cmd *cmds = w->drain;
    /* Training yields to the UI thread and the terminal under load: this thread, and the pool
     * threads it creates (they inherit it), run 5 nice levels lower. Best effort. */
    id_t tid = (id_t)syscall(SYS_gettid);
    errno = 0;
    int prio = getpriority(PRIO_PROCESS, tid);
    if (errno == 0 && prio < 15)
        (void)setpriority(PRIO_PROCESS, tid, prio + 5);
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
        if (w->has_race_pending) {
            w->race_preset = w->race_pending;
            w->has_race_pending = false;
        }
        pthread_mutex_unlock(&w->mu);

        /* only the newest rebuild counts: a load replaces earlier loads and races, a race earlier races */
        int last_load = -1, last_race = -1;
        for (int i = 0; i < n; i++) {
            if (cmds[i].kind == UI_CMD_LOAD)
                last_load = i;
            else if (cmds[i].kind == CMD_RACE)
                last_race = i;
        }
        for (int i = 0; i < n && !atomic_load(&w->stop); i++) {
            bool skip = (cmds[i].kind == UI_CMD_LOAD && i != last_load) ||
                        (cmds[i].kind == CMD_RACE && (i != last_race || last_load > i));
            apply(w, &cmds[i], skip);
        }
        if (!atomic_load(&w->stop) && w->state == UI_RUN_RUNNING) {
            if (w->race_on)
                race_batch(w);
            else if (w->have_trainer)
                run_batch(w);
        }
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
    free_race(w);
    free(w->hist);
    free(w->view_mean);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    free(w);
}

/* Queues c; p (may be NULL) is the preset of a load or (race) of a race. */
static bool push_preset(ui_worker *w, const ui_cmd *c, const nn_preset *p, bool race)
{
    if (!w)
        return false;
    bool ok = false;
    pthread_mutex_lock(&w->mu);
    if (w->ring_count < RING_SIZE) {
        w->ring[(w->ring_head + w->ring_count) % RING_SIZE] = *c;
        w->ring_count++;
        if (p && race) {
            w->race_pending = *p;
            w->has_race_pending = true;
        } else if (p) {
            w->pending = *p;
            w->has_pending = true;
        }
        pthread_cond_signal(&w->cv);
        ok = true;
    }
    pthread_mutex_unlock(&w->mu);
    return ok;
}

static bool push(ui_worker *w, const ui_cmd *c, const nn_preset *p)
{
    return push_preset(w, c, p, false);
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

/* Copies src into dst (cap bytes); false if src is NULL or does not fit. */
static bool fits(char *dst, size_t cap, const char *src)
{
    if (!src)
        return false;
    size_t n = strlen(src);
    if (n >= cap)
        return false;
    memcpy(dst, src, n + 1);
    return true;
}

bool ui_worker_save_model(ui_worker *w, const char *path)
{
    if (!w || !path || !path[0])
        return false;
    ui_cmd *c = calloc(1, sizeof *c);
    if (!c)
        return false;
    c->kind = CMD_SAVE_MODEL;
    bool ok = fits(c->text, sizeof c->text, path) && push(w, c, NULL);
    free(c);
    return ok;
}

bool ui_worker_trace(ui_worker *w, int train_index, int layer, int i, int j)
{
    if (!w)
        return false;
    ui_cmd *c = calloc(1, sizeof *c);
    if (!c)
        return false;
    c->kind = CMD_TRACE;
    c->arg[0] = train_index;
    c->arg[1] = layer;
    c->arg[2] = i;
    c->arg[3] = j;
    bool ok = push(w, c, NULL);
    free(c);
    return ok;
}

bool ui_worker_view_features(ui_worker *w, int fx, int fy)
{
    if (!w)
        return false;
    ui_cmd *c = calloc(1, sizeof *c);
    if (!c)
        return false;
    c->kind = CMD_VIEW_FEATURES;
    c->arg[0] = fx;
    c->arg[1] = fy;
    bool ok = push(w, c, NULL);
    free(c);
    return ok;
}

bool ui_worker_set_param(ui_worker *w, const char *key, const char *value)
{
    if (!w || !key || !key[0] || !value)
        return false;
    ui_cmd *c = calloc(1, sizeof *c);
    if (!c)
        return false;
    c->kind = CMD_SET_PARAM;
    bool ok = fits(c->key, sizeof c->key, key) && fits(c->text, sizeof c->text, value) && push(w, c, NULL);
    free(c);
    return ok;
}

bool ui_worker_race(ui_worker *w, const nn_preset *p, const char *optimizers)
{
    if (!w || !p)
        return false;
    ui_cmd *c = calloc(1, sizeof *c);
    if (!c)
        return false;
    c->kind = CMD_RACE;
    bool ok = fits(c->text, sizeof c->text, optimizers ? optimizers : "") && push_preset(w, c, p, true);
    free(c);
    return ok;
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
