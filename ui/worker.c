/* worker.c — the training thread behind the UI (see worker.h for the contract): the thread, the
 * command ring, publishing, and the functions the UI thread calls.
 *
 * The story of one worker:
 *   create: copy the preset, publish a LOADING snapshot, start the thread (signals blocked).
 *   thread: build the trainer, publish READY (or ERROR). Then loop: take the commands queued
 *           in the ring (waiting on the condvar unless RUNNING), apply them in order, and while
 *           RUNNING train one batch (worker_run.c). Publish on every state change, and at most
 *           25 times a second otherwise (epoch ends included).
 *   destroy: stop flag, broadcast, join, free.
 * The struct and who may touch what: worker_impl.h. */
#include "worker_impl.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

double worker_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

// --- publishing (worker thread) -------------------------------------------------------------------

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

/* The parts of the private snapshot that change while training. */
static void fill_status(ui_worker *w)
{
    ui_snapshot *s = &w->snap;
    s->state = w->state;
    s->run = w->run;
    s->pace = w->pace;
    if (w->race) {
        ui_snapshot_fill_race(s, w->race, &w->clock, w->state == UI_RUN_DONE);
    } else if (w->have_trainer) {
        ui_snapshot_fill_progress(s, &w->t, &w->clock, w->state == UI_RUN_DONE || w->state == UI_RUN_DIVERGED);
        /* paced: the epochs left take at least 1/pace s each */
        if (w->pace > 0 && s->eta_s > 0.0 && s->epochs > s->epoch) {
            double paced = (double)(s->epochs - s->epoch) / w->pace;
            if (paced > s->eta_s)
                s->eta_s = paced;
        }
        ui_snapshot_fill_cell(s, &w->t, &w->probe, w->cell_a, w->cell_p);
        if (!s->has_last && w->have_start)
            ui_snapshot_fill_start(s, &w->t, &w->start);
        if (s->has_edit)   /* a weight set by hand: the figures of the weights now */
            ui_snapshot_fill_start(s, &w->t, &s->edit);
    } else {
        s->has_last = false;
        s->history_len = 0;
    }
}

/* The worker is the only writer of shared, so it compares its snapshot with it (ui_snapshot_stamp)
 * without the lock; under the lock it copies the status part and the sections that changed. */
void worker_publish(ui_worker *w)
{
    fill_status(w);
    w->snap.seq = ++w->seq;
    ui_snapshot_stamp(&w->snap, &w->shared, w->seq);
    const nn_epoch_stats *th = NULL;
    int tlen = 0;
    if (w->have_trainer)
        th = nn_trainer_history(&w->t, &tlen);
    /* a run that goes on (continue, forever, more epochs) outgrows the shared history: a larger
     * copy, made here (only this thread writes hist), swapped in under the lock */
    nn_epoch_stats *grown = NULL, *old = NULL;
    int grown_cap = 0;
    if (tlen > w->hist_cap) {
        grown_cap = w->hist_cap * 2 > tlen ? w->hist_cap * 2 : tlen;
        grown = calloc((size_t)grown_cap, sizeof *grown);
        if (grown && w->hist_run == w->run && w->hist_len > 0)
            memcpy(grown, w->hist, (size_t)w->hist_len * sizeof *grown);
    }

    pthread_mutex_lock(&w->mu);
    if (grown) {
        old = w->hist;
        w->hist = grown;
        w->hist_cap = grown_cap;
    }
    ui_snapshot_copy(&w->shared, &w->snap, false);
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
    free(old);   /* out of memory for a larger copy: the history stops growing, the run goes on */

    w->last_publish = worker_now();
    wake(w);
}

void worker_notice(ui_worker *w, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->snap.notice, sizeof w->snap.notice, fmt, ap);
    va_end(ap);
    w->snap.notice_error = error;
    w->snap.notice_seq++;
}

// --- the thread -----------------------------------------------------------------------------------

static void *worker_main(void *arg)
{
    ui_worker *w = arg;
    worker_msg *cmds = w->drain;
    /* Training yields to the UI thread and the terminal under load: this thread, and the pool
     * threads it creates (they inherit it), run 5 nice levels lower. Best effort. */
    id_t tid = (id_t)syscall(SYS_gettid);
    errno = 0;
    int prio = getpriority(PRIO_PROCESS, tid);
    if (errno == 0 && prio < 15)
        (void)setpriority(PRIO_PROCESS, tid, prio + 5);
    worker_load(w);
    while (!atomic_load(&w->stop)) {
        pthread_mutex_lock(&w->mu);
        for (;;) {   /* idle, or a paced run between epochs: wait for a command (or the next epoch) */
            if (atomic_load(&w->stop) || w->ring_count > 0)
                break;
            if (w->state != UI_RUN_RUNNING) {
                pthread_cond_wait(&w->cv, &w->mu);
                continue;
            }
            double wait = worker_pace_wait(w);
            if (wait <= 0.0)
                break;
            struct timespec until;
            clock_gettime(CLOCK_MONOTONIC, &until);
            long long ns = (long long)until.tv_nsec + (long long)(wait * 1e9);   /* wait <= 1 s */
            until.tv_sec += (time_t)(ns / 1000000000);
            until.tv_nsec = (long)(ns % 1000000000);
            struct timespec t0, t1;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            pthread_cond_timedwait(&w->cv, &w->mu, &until);
            clock_gettime(CLOCK_MONOTONIC, &t1);
            /* a paced run's time on the clock is the time the class watched it */
            w->clock.waited_s += (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
        }
        int n = w->ring_count;
        for (int i = 0; i < n; i++)
            cmds[i] = w->ring[(w->ring_head + i) % WORKER_RING];
        w->ring_head = (w->ring_head + n) % WORKER_RING;
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
            else if (cmds[i].kind == UI_CMD_RACE)
                last_race = i;
        }
        for (int i = 0; i < n && !atomic_load(&w->stop); i++) {
            bool skip = (cmds[i].kind == UI_CMD_LOAD && i != last_load) ||
                        (cmds[i].kind == UI_CMD_RACE && (i != last_race || last_load > i));
            worker_apply(w, &cmds[i], skip);
        }
        if (!atomic_load(&w->stop) && w->state == UI_RUN_RUNNING)
            worker_train(w);
    }
    worker_record_end(w);   /* quit: the run under way leaves its record */
    return NULL;
}

// --- the UI thread's side -------------------------------------------------------------------------

static bool fits(char *dst, size_t cap, const char *src);

ui_worker *ui_worker_create(const nn_preset *p, int threads, int wake_fd, nn_error *err)
{
    return ui_worker_create_model(p, NULL, threads, wake_fd, err);
}

ui_worker *ui_worker_create_model(const nn_preset *p, const char *model, int threads, int wake_fd, nn_error *err)
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
    w->pic_unit = -1;   /* no picture until the Network view asks */
    w->threads = threads;
    w->wake_fd = wake_fd;
    atomic_init(&w->stop, false);
    w->preset = *p;
    if (model && !fits(w->model, sizeof w->model, model)) {
        free(w);
        nn_error_set(err, NN_EINVAL, "ui_worker_create: the model's path is too long");
        return NULL;
    }
    w->state = UI_RUN_LOADING;
    w->cell_a = w->cell_p = -1;
    nn_probe_init(&w->probe, UI_GRID_W, UI_GRID_H, UI_CURVE_MAX, UI_FIT_MAX, UI_VIEW_MAX_FEATURES);
    if (pthread_mutex_init(&w->mu, NULL) != 0) {
        free(w);
        nn_error_set(err, NN_ENOMEM, "ui_worker_create: cannot create a mutex");
        return NULL;
    }
    pthread_condattr_t ca;   /* the paced wait counts on the monotonic clock */
    bool ca_ok = pthread_condattr_init(&ca) == 0;
    if (ca_ok)
        pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    int cv_rc = pthread_cond_init(&w->cv, ca_ok ? &ca : NULL);
    if (ca_ok)
        pthread_condattr_destroy(&ca);
    if (cv_rc != 0) {
        pthread_mutex_destroy(&w->mu);
        free(w);
        nn_error_set(err, NN_ENOMEM, "ui_worker_create: cannot create a condition variable");
        return NULL;
    }
    /* a first snapshot exists before the thread runs: LOADING, with the preset's name */
    w->shared.seq = w->seq = 1;
    ui_snapshot_set_seqs(&w->shared, 1);
    w->shared.state = UI_RUN_LOADING;
    w->shared.boundary.epoch = -1;
    ui_snapshot_text(w->shared.name, sizeof w->shared.name, p->name);
    ui_snapshot_text(w->shared.file, sizeof w->shared.file, p->file);
    ui_snapshot_text(w->shared.info.source, sizeof w->shared.info.source, p->dataset.source);
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

static void free_report_curves(ui_worker *w)   /* with mu held, or from the last thread */
{
    for (int k = 0; k < w->rep_n; k++) {
        free(w->rep_loss[k]);
        w->rep_loss[k] = NULL;
    }
    w->rep_n = 0;
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
    worker_free_run(w);
    worker_record_free(w);
    free_report_curves(w);
    free(w->hist);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    free(w);
}

/* Queues c; p (may be NULL) is the preset of a load or of a race (kind UI_CMD_RACE). */
static bool push(ui_worker *w, const worker_msg *c, const nn_preset *p)
{
    if (!w)
        return false;
    bool ok = false;
    pthread_mutex_lock(&w->mu);
    if (w->ring_count < WORKER_RING) {
        w->ring[(w->ring_head + w->ring_count) % WORKER_RING] = *c;
        w->ring_count++;
        if (p && c->kind == UI_CMD_RACE) {
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

bool ui_worker_command(ui_worker *w, ui_cmd_kind kind, double arg)
{
    if (kind < 0 || kind > UI_CMD_QUIT || kind == UI_CMD_LOAD)
        return false;   /* LOAD and the kinds with a payload have their own functions */
    worker_msg c = { .kind = kind, .lr = 0.0, .seed = 0 };
    if (kind == UI_CMD_SET_PACE) {
        if (!(arg == UI_PACE_PRESET || (arg >= 0.0 && arg <= 200.0 && arg == (double)(int)arg)))
            return false;
        c.pace = (int)arg;
    } else if (kind == UI_CMD_SET_LR) {
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
bool ui_worker_continue(ui_worker *w) { return ui_worker_command(w, UI_CMD_CONTINUE, 0.0); }
bool ui_worker_set_pace(ui_worker *w, int pace) { return ui_worker_command(w, UI_CMD_SET_PACE, pace); }

bool ui_worker_reseed(ui_worker *w, uint64_t seed)
{
    worker_msg c = { .kind = UI_CMD_RESEED, .lr = 0.0, .seed = seed };
    return push(w, &c, NULL);
}

bool ui_worker_load(ui_worker *w, const nn_preset *p)
{
    if (!p)
        return false;
    worker_msg c = { .kind = UI_CMD_LOAD, .lr = 0.0, .seed = 0 };
    return push(w, &c, p);
}

bool ui_worker_load_model(ui_worker *w, const nn_preset *p, const char *model)
{
    if (!p || !model)
        return false;
    worker_msg *c = calloc(1, sizeof *c);   /* 1 KB: not on the caller's stack */
    if (!c)
        return false;
    c->kind = UI_CMD_LOAD;
    bool ok = fits(c->text, sizeof c->text, model) && push(w, c, p);
    free(c);
    return ok;
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

/* Queues a command with a payload: kind, up to four ints, key and text (either may be NULL: empty;
 * false if one does not fit), and the preset of a race. */
static bool push_payload(ui_worker *w, ui_cmd_kind kind, const int arg[4], const char *key, const char *text,
                         const nn_preset *p)
{
    if (!w)
        return false;
    worker_msg *c = calloc(1, sizeof *c);   /* 1 KB: not on the caller's stack */
    if (!c)
        return false;
    c->kind = kind;
    if (arg)
        memcpy(c->arg, arg, sizeof c->arg);
    bool ok = (!key || fits(c->key, sizeof c->key, key)) && (!text || fits(c->text, sizeof c->text, text)) &&
              push(w, c, p);
    free(c);
    return ok;
}

bool ui_worker_save_model(ui_worker *w, const char *path)
{
    if (!path || !path[0])
        return false;
    return push_payload(w, UI_CMD_SAVE_MODEL, NULL, NULL, path, NULL);
}

bool ui_worker_record(ui_worker *w, const char *dir)
{
    if (!dir)
        return false;
    return push_payload(w, UI_CMD_RECORD, NULL, NULL, dir, NULL);
}

bool ui_worker_report(ui_worker *w, const char *dir)
{
    return ui_worker_report_curves(w, dir, 0, NULL, NULL, NULL, NULL);
}

bool ui_worker_report_curves(ui_worker *w, const char *dir, int n, const char *const *name, const double *const *loss,
                             const int *len, const int *step)
{
    if (!w || !dir || !dir[0] || n < 0 || n > UI_REPORT_CURVES)
        return false;
    double *v[UI_REPORT_CURVES] = {0};
    int vl[UI_REPORT_CURVES] = {0};
    bool ok = true;
    for (int k = 0; k < n && ok; k++) {
        int st = step[k] > 0 ? step[k] : 1;
        vl[k] = len[k] * st;   /* one value per epoch: the kept ones at their epochs, NAN between */
        v[k] = vl[k] > 0 ? malloc((size_t)vl[k] * sizeof *v[k]) : NULL;
        ok = vl[k] > 0 && v[k];
        for (int i = 0; ok && i < vl[k]; i++)
            v[k][i] = (i + 1) % st == 0 ? loss[k][(i + 1) / st - 1] : (double)NAN;
    }
    if (ok) {
        pthread_mutex_lock(&w->mu);
        free_report_curves(w);   /* a report not yet written gives way to this one */
        for (int k = 0; k < n; k++) {
            snprintf(w->rep_name[k], sizeof w->rep_name[k], "%s", name[k]);
            w->rep_loss[k] = v[k];
            w->rep_len[k] = vl[k];
        }
        w->rep_n = n;
        pthread_mutex_unlock(&w->mu);
        if (push_payload(w, UI_CMD_REPORT, NULL, NULL, dir, NULL))
            return true;
        pthread_mutex_lock(&w->mu);
        free_report_curves(w);
        pthread_mutex_unlock(&w->mu);
        return false;
    }
    for (int k = 0; k < n; k++)
        free(v[k]);
    return false;
}

bool ui_worker_trace(ui_worker *w, int train_index, int layer, int i, int j)
{
    const int arg[4] = {train_index, layer, i, j};
    return push_payload(w, UI_CMD_TRACE, arg, NULL, NULL, NULL);
}

bool ui_worker_view_features(ui_worker *w, int fx, int fy)
{
    const int arg[4] = {fx, fy, 0, 0};
    return push_payload(w, UI_CMD_VIEW_FEATURES, arg, NULL, NULL, NULL);
}

bool ui_worker_units(ui_worker *w, bool on, int layer, int first)
{
    const int arg[4] = {on ? 1 : 0, layer, first, 0};
    return push_payload(w, UI_CMD_UNITS, arg, NULL, NULL, NULL);
}

bool ui_worker_picture(ui_worker *w, int unit)
{
    const int arg[4] = {unit, 0, 0, 0};
    return push_payload(w, UI_CMD_PICTURE, arg, NULL, NULL, NULL);
}

bool ui_worker_cell(ui_worker *w, int a, int p)
{
    const int arg[4] = {a, p, 0, 0};
    return push_payload(w, UI_CMD_CELL, arg, NULL, NULL, NULL);
}

bool ui_worker_set_weight(ui_worker *w, int layer, int i, int j, double value)
{
    if (!isfinite(value))
        return false;
    worker_msg c = { .kind = UI_CMD_SET_WEIGHT, .lr = value, .seed = 0, .arg = {layer, i, j, 0} };
    return push(w, &c, NULL);
}

bool ui_worker_set_param(ui_worker *w, const char *key, const char *value)
{
    if (!key || !key[0] || !value)
        return false;
    return push_payload(w, UI_CMD_SET_PARAM, NULL, key, value, NULL);
}

bool ui_worker_race(ui_worker *w, const nn_preset *p, const char *optimizers)
{
    if (!p)
        return false;
    return push_payload(w, UI_CMD_RACE, NULL, NULL, optimizers ? optimizers : "", p);
}

bool ui_worker_snapshot(ui_worker *w, ui_snapshot *out, uint64_t *seen_seq)
{
    if (!w || !out || !seen_seq)
        return false;
    bool copied = false;
    pthread_mutex_lock(&w->mu);
    if (w->shared.seq != *seen_seq) {
        ui_snapshot_copy(out, &w->shared, *seen_seq == 0);
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
