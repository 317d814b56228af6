/* test_worker.c — the UI's training thread: commands, snapshots, history, views, shutdown.
 * Runs under -Db_sanitize=thread too. No timing assertions: every wait polls snapshots with a
 * generous deadline that only turns a hang into a failure, and alarm() is the last watchdog. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "model_io.h"
#include "worker.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "../nn_tmp.h"
#include "worker_clock.h"

#define WAIT_S 10.0        /* watchdog for one wait */

/* The built-in iris preset with some keys set ("key", "value", ..., NULL). */
static nn_preset iris_with(const char *key, ...)
{
    nn_preset p;
    nn_error err;
    nn_status st = nn_preset_load(&p, "iris", NULL, &err);
    if (st != NN_OK)
        fail_msg("iris preset: %s", err.msg);
    va_list ap;
    va_start(ap, key);
    for (const char *k = key; k; k = va_arg(ap, const char *)) {
        const char *v = va_arg(ap, const char *);
        if (nn_preset_set(&p, k, v, &err) != NN_OK)
            fail_msg("--set %s=%s: %s", k, v, err.msg);
    }
    va_end(ap);
    return p;
}

static ui_worker *start_worker(const nn_preset *p, int threads, int wake_fd)
{
    nn_error err;
    nn_error_clear(&err);
    ui_worker *w = ui_worker_create(p, threads, wake_fd, &err);
    if (!w)
        fail_msg("ui_worker_create: %s", err.msg);
    return w;
}

/* A UI-side view of the worker: the latest snapshot and the seq it was copied at. */
typedef struct {
    ui_worker *w;
    ui_snapshot *s;
    uint64_t seq;
} view;

static view view_open(ui_worker *w)
{
    view v = { w, calloc(1, sizeof(ui_snapshot)), 0 };
    assert_non_null(v.s);
    return v;
}

static void view_close(view *v)
{
    ui_worker_destroy(v->w);
    free(v->s);
    v->w = NULL;
    v->s = NULL;
}

typedef bool (*snap_pred)(const ui_snapshot *s, const void *ctx);

/* Polls snapshots until pred holds; fails the test after wait_s seconds. */
static void wait_for_s(view *v, snap_pred pred, const void *ctx, const char *what, double wait_s)
{
    double deadline = now_s() + wait_s;
    for (;;) {
        ui_worker_snapshot(v->w, v->s, &v->seq);
        if (pred(v->s, ctx))
            return;
        if (now_s() > deadline)
            fail_msg("waited %.0f s for %s; state %s, epoch %d, batch %d, message \"%s\"", wait_s, what,
                     ui_run_state_word(v->s->state), v->s->epoch, v->s->batch, v->s->message);
        sleep_us(500);
    }
}

static void wait_for(view *v, snap_pred pred, const void *ctx, const char *what)
{
    wait_for_s(v, pred, ctx, what, WAIT_S);
}

static bool state_is(const ui_snapshot *s, const void *ctx)
{
    return s->state == *(const ui_run_state *)ctx;
}

static bool finished(const ui_snapshot *s, const void *ctx)
{
    (void)ctx;
    return s->state == UI_RUN_DONE || s->state == UI_RUN_DIVERGED || s->state == UI_RUN_ERROR;
}

static bool settled(const ui_snapshot *s, const void *ctx)
{
    (void)ctx;
    return s->state != UI_RUN_LOADING && s->state != UI_RUN_RUNNING;
}

static bool running_mid_epoch(const ui_snapshot *s, const void *ctx)
{
    (void)ctx;
    return s->state == UI_RUN_RUNNING && s->batch > 0 && s->samples_seen > 0;
}

typedef struct {
    ui_run_state state;
    uint64_t run;
} state_in_run;

/* The state in a run other than ctx->run (after a reset or load). */
static bool state_in_new_run(const ui_snapshot *s, const void *ctx)
{
    const state_in_run *c = ctx;
    return s->state == c->state && s->run != c->run;
}

static void wait_state(view *v, ui_run_state st)
{
    wait_for(v, state_is, &st, ui_run_state_word(st));
}

static void wait_ready(view *v)
{
    wait_for(v, settled, NULL, "the end of loading");
    assert_int_equal(v->s->state, UI_RUN_READY);
}

static int confusion_sum(const ui_snapshot *s)
{
    int sum = 0;
    for (int i = 0; i < s->info.k * s->info.k; i++)
        sum += s->eval.confusion[i];
    return sum;
}

/* ---- tests ------------------------------------------------------------------------------ */

static void every_run_state_has_its_word(void **state)
{
    (void)state;
    const char *want[] = { "LOADING", "READY", "RUNNING", "PAUSED", "DONE", "DIVERGED", "ERROR" };
    for (int i = 0; i < UI_RUN_COUNT; i++)
        assert_string_equal(ui_run_state_word((ui_run_state)i), want[i]);
    assert_string_equal(ui_run_state_word(UI_RUN_COUNT), "?");
}

static void a_snapshot_exists_from_create_on_and_loading_ends_ready(void **state)
{
    (void)state;
    nn_preset p = iris_with(NULL);
    view v = view_open(start_worker(&p, 1, -1));
    uint64_t seq = 0;
    assert_true(ui_worker_snapshot(v.w, v.s, &seq));
    assert_true(seq > 0);
    assert_true(v.s->state == UI_RUN_LOADING || v.s->state == UI_RUN_READY);
    assert_string_equal(v.s->name, p.name);
    v.seq = seq;
    wait_ready(&v);
    assert_int_equal(v.s->epoch, 0);
    assert_false(v.s->has_last);
    assert_string_equal(v.s->info.source, "iris");
    assert_int_equal(v.s->info.n_features, 4);
    assert_int_equal(v.s->info.n_classes, 3);
    assert_int_equal(v.s->info.k, 3);
    assert_string_equal(v.s->info.class_names[0], "setosa");
    assert_int_equal(v.s->info.n_train + v.s->info.n_val + v.s->info.n_test, 150);
    assert_int_equal(v.s->boundary.kind, UI_VIEW_NONE);
    assert_true(v.s->info.n_layers >= 2);
    assert_int_equal(v.s->info.layers[0].in, 4);
    assert_int_equal(v.s->info.layers[v.s->info.n_layers - 1].out, 3);
    assert_true(v.s->info.n_params > 0);
    /* a second copy with the same seq copies nothing */
    uint64_t again = v.seq;
    assert_false(ui_worker_snapshot(v.w, v.s, &again));
    view_close(&v);
}

static void iris_runs_to_done_at_epoch_20_with_a_full_confusion_matrix(void **state)
{
    (void)state;
    nn_preset p = iris_with("training.epochs", "20", NULL);
    view v = view_open(start_worker(&p, 1, -1));
    assert_true(ui_worker_start(v.w));   /* queued while loading: applies after the load */
    wait_for(&v, finished, NULL, "the end of the run");
    assert_int_equal(v.s->state, UI_RUN_DONE);
    assert_int_equal(v.s->epoch, 20);
    assert_int_equal(v.s->epochs, 20);
    assert_true(v.s->has_last);
    assert_int_equal(v.s->last.epoch, 20);
    assert_int_equal(v.s->history_len, 20);
    assert_int_equal(confusion_sum(v.s), v.s->info.n_test);
    assert_true(v.s->info.n_test > 0);
    assert_true(isfinite(v.s->last.test_loss));
    assert_true(v.s->eval.metrics.accuracy > 0.5);
    assert_int_equal(v.s->samples_seen, 20L * v.s->info.n_train);
    assert_true(v.s->samples_per_s > 0.0);
    assert_true(v.s->eta_s == 0.0);
    assert_string_equal(v.s->message, "");
    assert_false(v.s->stopped_early);
    assert_true(v.s->final.test_loss == v.s->last.test_loss);
    assert_int_equal(v.s->threads, 1);
    view_close(&v);
}

static void early_stopping_ends_done_before_the_last_epoch(void **state)
{
    (void)state;
    nn_preset p = iris_with("training.epochs", "5000", "training.early_stopping.patience", "3", NULL);
    view v = view_open(start_worker(&p, 1, -1));
    assert_true(ui_worker_start(v.w));
    wait_for(&v, finished, NULL, "early stopping");
    assert_int_equal(v.s->state, UI_RUN_DONE);
    assert_true(v.s->stopped_early);
    assert_true(v.s->epoch < 5000);
    assert_true(v.s->best_epoch >= 1 && v.s->best_epoch < v.s->epoch);
    assert_int_equal(v.s->history_len, v.s->epoch);
    assert_int_equal(confusion_sum(v.s), v.s->info.n_test);
    assert_true(isfinite(v.s->final.test_loss));
    view_close(&v);
}

static void the_wake_pipe_gets_a_byte_when_a_snapshot_is_published(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(fcntl(fds[0], F_SETFL, O_NONBLOCK), 0);
    assert_int_equal(fcntl(fds[1], F_SETFL, O_NONBLOCK), 0);
    nn_preset p = iris_with(NULL);
    view v = view_open(start_worker(&p, 1, fds[1]));
    wait_ready(&v);
    char buf[64];
    ssize_t got = read(fds[0], buf, sizeof buf);
    assert_true(got >= 1);
    view_close(&v);
    close(fds[0]);
    close(fds[1]);
}

static void pause_stops_epoch_and_batch_from_changing(void **state)
{
    (void)state;
    nn_preset p = iris_with("training.epochs", "100000", "training.batch_size", "1", NULL);
    view v = view_open(start_worker(&p, 1, -1));
    wait_ready(&v);
    assert_true(ui_worker_start(v.w));
    wait_for(&v, running_mid_epoch, NULL, "training to start");
    /* toggle pauses and resumes */
    assert_true(ui_worker_toggle(v.w));
    wait_state(&v, UI_RUN_PAUSED);
    assert_true(ui_worker_toggle(v.w));
    wait_state(&v, UI_RUN_RUNNING);
    assert_true(ui_worker_pause(v.w));
    wait_state(&v, UI_RUN_PAUSED);
    int epoch = v.s->epoch, batch = v.s->batch;
    long seen = v.s->samples_seen;
    uint64_t seq = v.seq;
    assert_true(seen > 0);
    sleep_us(150000);
    /* nothing was published while paused, and nothing moved */
    assert_false(ui_worker_snapshot(v.w, v.s, &v.seq));
    assert_true(v.seq == seq);
    assert_int_equal(v.s->epoch, epoch);
    assert_int_equal(v.s->batch, batch);
    assert_int_equal(v.s->samples_seen, seen);
    /* and start resumes */
    assert_true(ui_worker_start(v.w));
    wait_state(&v, UI_RUN_RUNNING);
    view_close(&v);
}

static bool samples_beyond(const ui_snapshot *s, const void *ctx)
{
    return s->state == UI_RUN_PAUSED && s->samples_seen > *(const long *)ctx;
}

static void step_batch_trains_one_batch_and_pauses(void **state)
{
    (void)state;
    nn_preset p = iris_with("training.batch_size", "16", NULL);
    view v = view_open(start_worker(&p, 1, -1));
    wait_ready(&v);
    long before = 0;
    for (int i = 1; i <= 3; i++) {
        assert_true(ui_worker_step_batch(v.w));
        wait_for(&v, samples_beyond, &before, "one batch");
        assert_int_equal(v.s->samples_seen, 16L * i);
        assert_int_equal(v.s->batch, i);
        assert_int_equal(v.s->epoch, 0);
        before = v.s->samples_seen;
    }
    view_close(&v);
}

static bool epoch_reached(const ui_snapshot *s, const void *ctx)
{
    return s->state == UI_RUN_PAUSED && s->epoch >= *(const int *)ctx;
}

static void step_epoch_advances_exactly_one_epoch(void **state)
{
    (void)state;
    nn_preset p = iris_with("training.epochs", "50", NULL);
    view v = view_open(start_worker(&p, 1, -1));
    wait_ready(&v);
    for (int e = 1; e <= 3; e++) {
        assert_true(ui_worker_step_epoch(v.w));
        wait_for(&v, epoch_reached, &e, "the end of the epoch");
        assert_int_equal(v.s->epoch, e);
        assert_int_equal(v.s->batch, 0);
        assert_int_equal(v.s->samples_seen, (long)e * v.s->info.n_train);
        assert_true(v.s->has_last);
        assert_int_equal(v.s->last.epoch, e);
    }
    /* from mid-epoch, a step runs to the end of that epoch only */
    long before = v.s->samples_seen;
    assert_true(ui_worker_step_batch(v.w));
    wait_for(&v, samples_beyond, &before, "one batch");
    int four = 4;
    assert_true(ui_worker_step_epoch(v.w));
    wait_for(&v, epoch_reached, &four, "the end of epoch 4");
    assert_int_equal(v.s->epoch, 4);
    assert_int_equal(v.s->samples_seen, 4L * v.s->info.n_train);
    view_close(&v);
}

static void reset_gives_epoch_0_and_then_the_same_run_again(void **state)
{
    (void)state;
    nn_preset p = iris_with("training.epochs", "20", NULL);
    view v = view_open(start_worker(&p, 2, -1));
    wait_ready(&v);
    assert_true(ui_worker_start(v.w));
    wait_for(&v, finished, NULL, "the first run");
    assert_int_equal(v.s->state, UI_RUN_DONE);
    double loss1 = v.s->last.test_loss;
    nn_epoch_stats h1[20], h2[20];
    assert_int_equal(ui_worker_history(v.w, h1, 0, 20, NULL), 20);

    state_in_run ready = { UI_RUN_READY, v.s->run };
    assert_true(ui_worker_reset(v.w));
    wait_for(&v, state_in_new_run, &ready, "READY after reset");
    assert_int_equal(v.s->epoch, 0);
    assert_int_equal(v.s->batch, 0);
    assert_int_equal(v.s->samples_seen, 0);
    assert_false(v.s->has_last);
    assert_int_equal(v.s->history_len, 0);
    assert_int_equal(confusion_sum(v.s), 0);
    assert_int_equal(ui_worker_history(v.w, h2, 0, 20, NULL), 0);

    assert_true(ui_worker_start(v.w));
    wait_for(&v, finished, NULL, "the second run");
    assert_int_equal(v.s->state, UI_RUN_DONE);
    assert_true(v.s->last.test_loss == loss1);
    assert_int_equal(ui_worker_history(v.w, h2, 0, 20, NULL), 20);
    for (int i = 0; i < 20; i++) {
        assert_true(h1[i].train_loss == h2[i].train_loss);
        assert_true(h1[i].test_loss == h2[i].test_loss);
    }

    /* a new seed gives other weights (and other numbers) */
    state_in_run ready2 = { UI_RUN_READY, v.s->run };
    assert_true(ui_worker_reseed(v.w, 987654321u));
    wait_for(&v, state_in_new_run, &ready2, "READY after reseed");
    assert_true(v.s->seed == 987654321u);
    assert_true(ui_worker_start(v.w));
    wait_for(&v, finished, NULL, "the reseeded run");
    assert_true(v.s->last.test_loss != loss1);
    view_close(&v);
}

static bool base_lr_is(const ui_snapshot *s, const void *ctx)
{
    return s->base_lr == *(const double *)ctx;
}

static void set_lr_changes_the_learning_rate_in_the_snapshot(void **state)
{
    (void)state;
    nn_preset p = iris_with("training.epochs", "100000", "training.batch_size", "1", NULL);
    view v = view_open(start_worker(&p, 1, -1));
    wait_ready(&v);
    assert_true(v.s->base_lr != 0.5);
    double lr = 0.5;
    assert_true(ui_worker_set_lr(v.w, lr));
    wait_for(&v, base_lr_is, &lr, "base_lr 0.5");
    assert_true(v.s->lr == 0.5);     /* constant schedule */
    assert_int_equal(v.s->state, UI_RUN_READY);

    /* and while running */
    assert_true(ui_worker_start(v.w));
    wait_for(&v, running_mid_epoch, NULL, "training to start");
    double lr2 = 0.001;
    assert_true(ui_worker_set_lr(v.w, lr2));
    wait_for(&v, base_lr_is, &lr2, "base_lr 0.001");
    assert_int_equal(v.s->state, UI_RUN_RUNNING);

    /* nonsense is refused at the door */
    assert_false(ui_worker_set_lr(v.w, -1.0));
    assert_false(ui_worker_set_lr(v.w, 0.0));
    assert_false(ui_worker_set_lr(v.w, (double)NAN));
    assert_false(ui_worker_command(v.w, UI_CMD_LOAD, 0.0));
    assert_false(ui_worker_command(v.w, UI_CMD_COUNT, 0.0));
    view_close(&v);
}

/* One command enum: the kinds with a payload (a path, a key and value, a list, indices) are queued by
 * their own functions only; the generic form refuses them, as it refuses LOAD. */
static void the_generic_command_refuses_the_kinds_with_a_payload(void **state)
{
    (void)state;
    nn_preset p = iris_with(NULL);
    view v = view_open(start_worker(&p, 1, -1));
    wait_ready(&v);
    const ui_cmd_kind payload[] = {UI_CMD_SAVE_MODEL, UI_CMD_TRACE, UI_CMD_SET_PARAM, UI_CMD_RACE,
                                   UI_CMD_VIEW_FEATURES, UI_CMD_REPORT,
                                   UI_CMD_UNITS, UI_CMD_PICTURE};
    for (size_t i = 0; i < sizeof payload / sizeof payload[0]; i++)
        assert_false(ui_worker_command(v.w, payload[i], 0.0));
    assert_false(ui_worker_command(v.w, (ui_cmd_kind)-1, 0.0));
    assert_true(ui_worker_command(v.w, UI_CMD_RESEED, 7.0));
    state_in_run ready = { UI_RUN_READY, v.s->run };
    wait_for(&v, state_in_new_run, &ready, "READY after the reseed");
    assert_int_equal(v.s->seed, 7);
    view_close(&v);
}

static void a_huge_learning_rate_ends_diverged_with_a_message(void **state)
{
    (void)state;
    nn_preset p = iris_with("training.epochs", "200", "training.optimizer.learning_rate", "1e6", NULL);
    view v = view_open(start_worker(&p, 1, -1));
    assert_true(ui_worker_start(v.w));
    wait_for(&v, finished, NULL, "divergence");
    assert_int_equal(v.s->state, UI_RUN_DIVERGED);
    assert_true(strlen(v.s->message) > 0);
    assert_non_null(strstr(v.s->message, "diverged"));
    assert_true(v.s->eta_s == 0.0);
    /* start does nothing now; reset brings it back to READY with the message gone */
    assert_true(ui_worker_start(v.w));
    state_in_run ready = { UI_RUN_READY, v.s->run };
    assert_true(ui_worker_reset(v.w));
    wait_for(&v, state_in_new_run, &ready, "READY after reset");
    assert_string_equal(v.s->message, "");
    view_close(&v);
}

static void destroy_while_running_mid_epoch_returns(void **state)
{
    (void)state;
    nn_preset p = iris_with("training.epochs", "100000", "training.batch_size", "1", NULL);
    for (int threads = 1; threads <= 2; threads++) {
        view v = view_open(start_worker(&p, threads, -1));
        assert_true(ui_worker_start(v.w));
        wait_for(&v, running_mid_epoch, NULL, "training to start");
        view_close(&v);   /* the alarm watchdog turns a hang here into a failure */
    }
    /* and right after create, while loading */
    view v = view_open(start_worker(&p, 1, -1));
    assert_true(ui_worker_start(v.w));
    view_close(&v);
    ui_worker_destroy(NULL);
}

static void the_history_tail_copies_are_consecutive_epochs(void **state)
{
    (void)state;
    nn_preset p = iris_with("training.epochs", "20", NULL);
    view v = view_open(start_worker(&p, 1, -1));
    assert_true(ui_worker_start(v.w));
    /* copy the tail while it grows, as the UI does */
    nn_epoch_stats hist[20];
    int have = 0;
    uint64_t run = 0;
    double deadline = now_s() + WAIT_S;
    for (;;) {
        ui_worker_snapshot(v.w, v.s, &v.seq);
        bool done = v.s->state == UI_RUN_DONE;
        int n = ui_worker_history(v.w, hist + have, have, 20 - have, &run);
        assert_true(n >= 0 && n <= 20 - have);
        have += n;
        if (done && have == 20)
            break;
        if (now_s() > deadline)
            fail_msg("history has %d of 20 entries", have);
        sleep_us(200);
    }
    assert_true(run == v.s->run);
    for (int i = 0; i < 20; i++) {
        assert_int_equal(hist[i].epoch, i + 1);
        assert_true(isfinite(hist[i].train_loss));
    }
    assert_true(hist[19].test_loss == v.s->last.test_loss);
    /* pieces of the finished history */
    nn_epoch_stats part[32];
    assert_int_equal(ui_worker_history(v.w, part, 0, 7, NULL), 7);
    assert_int_equal(part[6].epoch, 7);
    assert_int_equal(ui_worker_history(v.w, part, 7, 32, NULL), 13);
    for (int i = 0; i < 13; i++)
        assert_int_equal(part[i].epoch, 8 + i);
    assert_int_equal(ui_worker_history(v.w, part, 20, 32, NULL), 0);
    assert_int_equal(ui_worker_history(v.w, part, -1, 32, NULL), 0);
    view_close(&v);
}

static void loading_xor_fills_a_boundary_grid_with_both_classes(void **state)
{
    (void)state;
    nn_preset p = iris_with(NULL);
    view v = view_open(start_worker(&p, 1, -1));
    wait_ready(&v);
    nn_preset x = iris_with("dataset.source", "xor", "training.epochs", "60",
                            "training.optimizer.learning_rate", "0.1", NULL);
    state_in_run ready = { UI_RUN_READY, v.s->run };
    assert_true(ui_worker_load(v.w, &x));
    wait_for(&v, state_in_new_run, &ready, "READY after loading xor");
    assert_string_equal(v.s->info.source, "xor");
    assert_int_equal(v.s->info.n_features, 2);
    assert_int_equal(v.s->boundary.kind, UI_VIEW_BOUNDARY);
    assert_int_equal(v.s->boundary.grid_w, UI_GRID_W);
    assert_int_equal(v.s->boundary.grid_h, UI_GRID_H);
    assert_int_equal(v.s->boundary.epoch, 0);     /* the initial weights' boundary */
    assert_true(v.s->boundary.x_min < v.s->boundary.x_max && v.s->boundary.y_min < v.s->boundary.y_max);
    assert_true(v.s->boundary.n_points > 0 && v.s->boundary.n_points <= UI_MAX_POINTS);
    int tests = 0;
    for (int i = 0; i < v.s->boundary.n_points; i++) {
        const ui_point *pt = &v.s->boundary.points[i];
        assert_true(pt->cls == 0 || pt->cls == 1);
        assert_true(pt->x >= v.s->boundary.x_min && pt->x <= v.s->boundary.x_max);
        assert_true(pt->y >= v.s->boundary.y_min && pt->y <= v.s->boundary.y_max);
        tests += pt->is_test;
    }
    assert_true(tests > 0 && tests < v.s->boundary.n_points);
    /* the view spans the data with a margin */
    float lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < v.s->boundary.n_points; i++) {
        lo = fminf(lo, v.s->boundary.points[i].x);
        hi = fmaxf(hi, v.s->boundary.points[i].x);
    }
    assert_true(v.s->boundary.x_min < lo && v.s->boundary.x_max > hi);

    assert_true(ui_worker_start(v.w));
    wait_for(&v, finished, NULL, "the xor run");
    assert_int_equal(v.s->state, UI_RUN_DONE);
    assert_int_equal(v.s->boundary.epoch, 60);
    int count[2] = { 0, 0 };
    for (int i = 0; i < v.s->boundary.grid_w * v.s->boundary.grid_h; i++) {
        assert_true(v.s->boundary.grid_class[i] <= 1);
        assert_true(v.s->boundary.grid_conf[i] >= 0.0f && v.s->boundary.grid_conf[i] <= 1.0f);
        assert_true(v.s->boundary.grid_conf[i] >= 0.5f - 1e-6f);   /* the winning class of two */
        count[v.s->boundary.grid_class[i]]++;
    }
    assert_true(count[0] > 0);
    assert_true(count[1] > 0);
    /* the grid agrees with most training labels at their points */
    int agree = 0, n = 0;
    for (int i = 0; i < v.s->boundary.n_points; i++) {
        const ui_point *pt = &v.s->boundary.points[i];
        const ui_snap_boundary *bd = &v.s->boundary;
        int c = (int)((pt->x - bd->x_min) / (bd->x_max - bd->x_min) * (float)bd->grid_w);
        int r = (int)((bd->y_max - pt->y) / (bd->y_max - bd->y_min) * (float)bd->grid_h);
        if (c < 0 || c >= v.s->boundary.grid_w || r < 0 || r >= v.s->boundary.grid_h)
            continue;
        n++;
        agree += v.s->boundary.grid_class[r * v.s->boundary.grid_w + c] == pt->cls;
    }
    assert_true(n > 0);
    assert_true(agree * 10 >= n * 8);
    view_close(&v);
}

static void loading_sine_gives_a_fitted_curve(void **state)
{
    (void)state;
    /* iris's crossentropy and softmax do not fit a regression: back to "auto" */
    nn_preset p = iris_with("training.epochs", "5", NULL);
    snprintf(p.dataset.source, sizeof p.dataset.source, "sine");
    p.dataset.task = NN_AUTO;
    p.training.loss = NN_AUTO;
    p.layers[p.n_layers - 1].act = NN_AUTO;
    p.layers[p.n_layers - 1].units = 0;
    nn_error err;
    if (nn_preset_validate(&p, NULL, &err) != NN_OK)
        fail_msg("sine preset: %s", err.msg);
    view v = view_open(start_worker(&p, 1, -1));
    wait_ready(&v);
    assert_int_equal(v.s->boundary.kind, UI_VIEW_CURVE);
    assert_int_equal(v.s->info.task, NN_TASK_REGRESSION);
    assert_int_equal(v.s->info.k, 0);
    assert_int_equal(v.s->boundary.curve_n, UI_CURVE_MAX);
    assert_true(v.s->boundary.curve_x[0] == v.s->boundary.x_min);
    for (int i = 1; i < v.s->boundary.curve_n; i++) {
        assert_true(v.s->boundary.curve_x[i] > v.s->boundary.curve_x[i - 1]);
        assert_true(isfinite(v.s->boundary.curve_y[i]));
    }
    assert_true(ui_worker_start(v.w));
    wait_for(&v, finished, NULL, "the sine run");
    assert_int_equal(v.s->state, UI_RUN_DONE);
    assert_int_equal(v.s->boundary.epoch, 5);
    /* predicted versus actual: the test rows in original units, the predictions those of the
     * network (their mean squared error equals the final test MSE within float rounding) */
    assert_int_equal(v.s->fit.n, v.s->info.n_test < UI_FIT_MAX ? v.s->info.n_test : UI_FIT_MAX);
    assert_int_equal(v.s->fit.epoch, 5);
    double sse = 0;
    for (int i = 0; i < v.s->fit.n; i++) {
        assert_true(v.s->fit.actual[i] >= -2.0f && v.s->fit.actual[i] <= 2.0f); /* sin(x) + noise */
        double d = (double)v.s->fit.pred[i] - (double)v.s->fit.actual[i];
        sse += d * d;
    }
    double mse = sse / v.s->fit.n;
    if (!(fabs(mse - v.s->eval.reg.mse) <= 1e-4 * (1.0 + v.s->eval.reg.mse)))
        fail_msg("fit mse %g, test mse %g", mse, v.s->eval.reg.mse);
    view_close(&v);
}

static bool iris_ready_in_new_run(const ui_snapshot *s, const void *ctx)
{
    return state_in_new_run(s, ctx) && strcmp(s->info.source, "iris") == 0;
}

static void a_preset_that_cannot_load_gives_error_and_a_later_load_recovers(void **state)
{
    (void)state;
    nn_preset p = iris_with(NULL);
    snprintf(p.dataset.source, sizeof p.dataset.source, "csv");
    snprintf(p.dataset.path, sizeof p.dataset.path, "/nonexistent/nnterm-worker-test.csv");
    view v = view_open(start_worker(&p, 1, -1));
    assert_true(ui_worker_start(v.w));
    wait_for(&v, settled, NULL, "the end of loading");
    assert_int_equal(v.s->state, UI_RUN_ERROR);
    assert_true(strlen(v.s->message) > 0);
    /* commands other than load are ignored, and nothing runs */
    assert_true(ui_worker_reset(v.w));
    assert_true(ui_worker_step_epoch(v.w));
    /* two loads in a row: the last one wins */
    nn_preset xor = iris_with("dataset.source", "xor", NULL);
    nn_preset iris = iris_with(NULL);
    state_in_run ready = { UI_RUN_READY, v.s->run };
    assert_true(ui_worker_load(v.w, &xor));
    assert_true(ui_worker_load(v.w, &iris));
    wait_for(&v, iris_ready_in_new_run, &ready, "READY after loading iris");
    assert_string_equal(v.s->message, "");
    assert_int_equal(v.s->epoch, 0);
    view_close(&v);
}

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005u + 1442695040888963407u;
    return *s >> 33;
}

static void rapid_commands_in_any_order_never_deadlock(void **state)
{
    (void)state;
    nn_preset p = iris_with("training.epochs", "30", "training.batch_size", "4", NULL);
    uint64_t rng = 42;
    for (int round = 0; round < 2; round++) {
        view v = view_open(start_worker(&p, round + 1, -1));
        for (int i = 0; i < 200; i++) {
            switch (lcg(&rng) % 9) {
            case 0: ui_worker_start(v.w); break;
            case 1: ui_worker_pause(v.w); break;
            case 2: ui_worker_toggle(v.w); break;
            case 3: ui_worker_step_epoch(v.w); break;
            case 4: ui_worker_step_batch(v.w); break;
            case 5: ui_worker_reset(v.w); break;
            case 6: ui_worker_reseed(v.w, lcg(&rng)); break;
            case 7: ui_worker_set_lr(v.w, 0.001 + (double)(lcg(&rng) % 100) / 1000.0); break;
            default: ui_worker_snapshot(v.w, v.s, &v.seq); break;
            }
            sleep_us((long)(lcg(&rng) % 300));
        }
        if (round == 0) {
            /* still answering: pause, then reset to a clean epoch 0 */
            while (!ui_worker_pause(v.w))
                sleep_us(1000);
            wait_for(&v, settled, NULL, "the commands to settle");
            state_in_run ready = { UI_RUN_READY, v.s->run };
            while (!ui_worker_reset(v.w))
                sleep_us(1000);
            wait_for(&v, state_in_new_run, &ready, "READY after the storm");
            assert_int_equal(v.s->epoch, 0);
            assert_int_equal(v.s->samples_seen, 0);
        }
        view_close(&v);   /* round 1: destroyed in whatever state the storm left it */
    }
}

/* ---- issue 6 additions: notices, health, step-through, live changes, race ------------------ */

static bool notice_after(const ui_snapshot *s, const void *ctx)
{
    return s->notice_seq > *(const uint64_t *)ctx;
}

/* Waits for the next notice after the current one. */
static void wait_notice(view *v, uint64_t before)
{
    wait_for(v, notice_after, &before, "a notice");
}

static void save_model_writes_a_loadable_file_and_reports_errors(void **state)
{
    (void)state;
    nn_preset p = iris_with("training.epochs", "5", NULL);
    view v = view_open(start_worker(&p, 1, -1));
    assert_true(ui_worker_start(v.w));
    wait_for(&v, finished, NULL, "the run");
    assert_int_equal(v.s->state, UI_RUN_DONE);

    char dir[64];
    assert_non_null(nn_tmp_dir(dir, sizeof dir, "nnterm-worker-"));
    char path[256];
    snprintf(path, sizeof path, "%s/model.json", dir);
    uint64_t before = v.s->notice_seq;
    assert_true(ui_worker_save_model(v.w, path));
    wait_notice(&v, before);
    assert_false(v.s->notice_error);
    assert_non_null(strstr(v.s->notice, "model saved to"));
    assert_non_null(strstr(v.s->notice, path));

    nn_model m;
    nn_error err;
    memset(&m, 0, sizeof m);
    if (nn_model_load(&m, path, &err) != NN_OK)
        fail_msg("nn_model_load: %s", err.msg);
    assert_int_equal(m.n_features, 4);
    assert_int_equal(m.n_classes, 3);
    assert_int_equal((long)m.net.n_params, v.s->info.n_params);
    assert_int_equal(m.net.n_layers, v.s->info.n_layers);
    /* the saved model predicts probabilities */
    float x[4] = { 5.1f, 3.5f, 1.4f, 0.2f }, out[3];
    assert_int_equal(nn_model_predict(&m, x, 1, out, &err), NN_OK);
    assert_float_equal(out[0] + out[1] + out[2], 1.0f, 1e-5f);
    nn_model_free(&m);
    unlink(path);
    rmdir(dir);

    /* a folder that does not exist: an error notice, the run untouched */
    before = v.s->notice_seq;
    assert_true(ui_worker_save_model(v.w, "/nonexistent-nnterm-dir/model.json"));
    wait_notice(&v, before);
    assert_true(v.s->notice_error);
    assert_true(strlen(v.s->notice) > 0);
    assert_int_equal(v.s->state, UI_RUN_DONE);

    /* refused at the door */
    assert_false(ui_worker_save_model(v.w, NULL));
    assert_false(ui_worker_save_model(v.w, ""));
    assert_false(ui_worker_save_model(NULL, path));
    char longpath[NN_PATH_MAX + 8];
    memset(longpath, 'a', sizeof longpath - 1);
    longpath[sizeof longpath - 1] = '\0';
    assert_false(ui_worker_save_model(v.w, longpath));

    /* the notice survives a load, and its seq never goes back */
    uint64_t nseq = v.s->notice_seq;
    state_in_run ready = { UI_RUN_READY, v.s->run };
    assert_true(ui_worker_load(v.w, &p));
    wait_for(&v, state_in_new_run, &ready, "READY after load");
    assert_true(v.s->notice_seq == nseq);
    view_close(&v);
}

static bool file_nonempty(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    bool some = fgetc(f) != EOF;
    fclose(f);
    return some;
}

static int lines_of(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    int n = 0, c;
    while ((c = fgetc(f)) != EOF)
        n += c == '\n';
    fclose(f);
    return n;
}

static void remove_report(const char *dir)
{
    const char *names[] = { "history.csv", "loss.svg", "loss.png", "confusion.svg", "confusion.png",
                            "boundary.png", "network.svg", "report.pdf" };
    char path[512];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

/* The trainer's `e`: the report of the run as it is (mid-run, after a live change) into a folder
 * it makes; the boundary once two features are chosen (iris has four); errors as notices. */
static void report_writes_the_run_now_and_names_the_folder(void **state)
{
    (void)state;
    nn_preset p = iris_with("training.epochs", "5", NULL);
    view v = view_open(start_worker(&p, 1, -1));
    wait_ready(&v);
    int e1 = 1, e2 = 2;
    assert_true(ui_worker_step_epoch(v.w));
    wait_for(&v, epoch_reached, &e1, "epoch 1");
    assert_true(ui_worker_set_lr(v.w, 0.02));
    assert_true(ui_worker_step_epoch(v.w));
    wait_for(&v, epoch_reached, &e2, "epoch 2");

    char parent[64];
    assert_non_null(nn_tmp_dir(parent, sizeof parent, "nnterm-worker-"));
    char dir[256];
    snprintf(dir, sizeof dir, "%s/iris-report", parent);
    uint64_t before = v.s->notice_seq;
    assert_true(ui_worker_report(v.w, dir));
    wait_notice(&v, before);
    if (v.s->notice_error)
        fail_msg("report: %s", v.s->notice);
    assert_non_null(strstr(v.s->notice, "report written to"));
    assert_non_null(strstr(v.s->notice, dir));
    assert_non_null(strstr(v.s->notice, "7 files"));
    const char *files[] = { "history.csv", "loss.svg", "loss.png", "confusion.svg", "confusion.png",
                            "network.svg", "report.pdf" };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        if (!file_nonempty(dir, files[i]))
            fail_msg("%s/%s was not written", dir, files[i]);
    assert_int_equal(lines_of(dir, "history.csv"), 1 + 2);   /* a header and the two epochs */
    assert_false(file_nonempty(dir, "boundary.png"));         /* four features, none chosen */
    assert_int_equal(v.s->state, UI_RUN_PAUSED);               /* the run goes on where it was */
    assert_int_equal(v.s->epoch, 2);

    /* two features chosen in the Boundary view: the boundary over them */
    assert_true(ui_worker_view_features(v.w, 2, 3));
    before = v.s->notice_seq;
    assert_true(ui_worker_report(v.w, dir));
    wait_notice(&v, before);
    assert_false(v.s->notice_error);
    assert_true(file_nonempty(dir, "boundary.png"));
    remove_report(dir);
    rmdir(parent);

    /* a folder whose parent does not exist: an error notice, nothing made */
    before = v.s->notice_seq;
    assert_true(ui_worker_report(v.w, "/nonexistent-nnterm-dir/iris-report"));
    wait_notice(&v, before);
    assert_true(v.s->notice_error);
    assert_non_null(strstr(v.s->notice, "report"));
    assert_int_equal(v.s->state, UI_RUN_PAUSED);
    assert_false(ui_worker_report(v.w, NULL));
    assert_false(ui_worker_report(v.w, ""));
    view_close(&v);
}

static void health_is_finite_after_each_epoch_with_one_row_per_epoch(void **state)
{
    (void)state;
    /* batch 16 (8 batches: the second-to-last is measured) and one full batch (pass again) */
    const char *sizes[] = { "16", "1000" };
    for (int c = 0; c < 2; c++) {
        nn_preset p = iris_with("training.epochs", "50", "training.batch_size", sizes[c], NULL);
        view v = view_open(start_worker(&p, 1, -1));
        wait_ready(&v);
        assert_false(v.s->health.valid);
        assert_int_equal(v.s->health.hist.len, 0);
        for (int e = 1; e <= 3; e++) {
            assert_true(ui_worker_step_epoch(v.w));
            wait_for(&v, epoch_reached, &e, "the end of the epoch");
        }
        assert_true(v.s->health.valid);
        assert_int_equal(v.s->health.last.n_layers, v.s->info.n_layers);
        assert_int_equal(v.s->health.epoch, 3);
        assert_true(v.s->health.batch >= 1 && v.s->health.batch <= v.s->n_batches);
        if (v.s->n_batches > 1)
            assert_int_equal(v.s->health.batch, v.s->n_batches - 1);
        assert_true(v.s->health.last.rows > 0);
        for (int l = 0; l < v.s->health.last.n_layers; l++) {
            const nn_health_layer *hl = &v.s->health.last.layer[l];
            assert_true(isfinite(hl->grad_norm) && hl->grad_norm > 0.0);
            assert_true(isfinite(hl->weight_norm) && hl->weight_norm > 0.0);
            assert_true(isfinite(hl->update_ratio) && hl->update_ratio > 0.0);
            assert_true(isfinite(hl->act_mean) && isfinite(hl->act_std));
        }
        assert_true(isfinite(v.s->health.last.layer[0].dead_share));   /* relu */
        assert_int_equal(v.s->health.hist.len, 3);
        for (int i = 0; i < 3; i++) {
            const nn_health_row *row = nn_health_history_get(&v.s->health.hist, i);
            assert_non_null(row);
            assert_int_equal(row->epoch, i + 1);
            assert_true(isfinite(row->grad_norm[0]) && row->grad_norm[0] > 0.0f);
            assert_true(isfinite(row->update_ratio[0]));
        }
        assert_true(v.s->health.n_warnings >= 0 && v.s->health.n_warnings <= UI_WARN_MAX);

        /* a step-batch is measured too, at its own batch */
        long seen = v.s->samples_seen;
        assert_true(ui_worker_step_batch(v.w));
        wait_for(&v, samples_beyond, &seen, "one batch");
        assert_int_equal(v.s->health.epoch, 4);
        assert_int_equal(v.s->health.batch, 1);

        /* reset clears health */
        state_in_run ready = { UI_RUN_READY, v.s->run };
        assert_true(ui_worker_reset(v.w));
        wait_for(&v, state_in_new_run, &ready, "READY after reset");
        assert_false(v.s->health.valid);
        assert_int_equal(v.s->health.hist.len, 0);
        assert_int_equal(v.s->health.n_warnings, 0);
        view_close(&v);
    }
}

static bool warned(const ui_snapshot *s, const char *what)
{
    for (int i = 0; i < s->health.n_warnings && i < UI_WARN_MAX; i++)
        if (strstr(s->health.warnings[i], what))
            return true;
    return false;
}

static void bad_training_raises_health_warnings(void **state)
{
    (void)state;
    /* a learning rate far too low */
    nn_preset p = iris_with("training.optimizer.learning_rate", "1e-9", NULL);
    view v = view_open(start_worker(&p, 1, -1));
    wait_ready(&v);
    int one = 1;
    assert_true(ui_worker_step_epoch(v.w));
    wait_for(&v, epoch_reached, &one, "epoch 1");
    assert_true(v.s->health.n_warnings >= 1);
    assert_true(warned(v.s, "learning rate is too low"));

    /* deep sigmoid stack (the vanishing-gradients lesson) */
    nn_preset deep;
    nn_error err;
    if (nn_preset_load(&deep, "lesson-vanishing", NULL, &err) != NN_OK)
        fail_msg("lesson-vanishing: %s", err.msg);
    state_in_run ready = { UI_RUN_READY, v.s->run };
    assert_true(ui_worker_load(v.w, &deep));
    wait_for(&v, state_in_new_run, &ready, "READY after loading the lesson");
    assert_int_equal(v.s->health.n_warnings, 0);
    assert_true(ui_worker_step_epoch(v.w));
    wait_for(&v, epoch_reached, &one, "epoch 1");
    assert_true(warned(v.s, "gradients vanish"));
    /* the lesson locks training.*: live changes are refused */
    uint64_t before = v.s->notice_seq;
    assert_true(ui_worker_set_param(v.w, "training.regularization.lambda", "0.01"));
    wait_notice(&v, before);
    assert_true(v.s->notice_error);
    assert_non_null(strstr(v.s->notice, "locked"));
    assert_int_equal(v.s->events.n, 0);
    view_close(&v);
}

typedef struct {
    int batch;
    uint64_t notice_seq;
} trace_ctx;

static bool trace_valid(const ui_snapshot *s, const void *ctx)
{
    (void)ctx;
    return s->trace.valid && s->state != UI_RUN_RUNNING;
}

static bool trace_at_batch(const ui_snapshot *s, const void *ctx)
{
    return s->trace.valid && s->state == UI_RUN_PAUSED && s->trace.batch == *(const int *)ctx;
}

static bool trace_is_bias(const ui_snapshot *s, const void *ctx)
{
    (void)ctx;
    return s->trace.valid && s->trace.i == NN_HEALTH_BIAS;
}

static void check_trace(const ui_snapshot *s, int k, int layer, int i, int j)
{
    const ui_trace *t = &s->trace;
    assert_true(t->valid);
    assert_int_equal(t->index, k);
    assert_int_equal(t->layer, layer);
    assert_int_equal(t->i, i);
    assert_int_equal(t->j, j);
    assert_int_equal(t->n_layers, s->info.n_layers);
    assert_int_equal(t->n_inputs, 4);
    assert_int_equal(t->n_y, 3);
    assert_true(t->label >= 0 && t->label < 3);
    assert_true(t->y[t->label] == 1.0f);
    int last = t->n_layers - 1;
    float sum = 0.0f;
    for (int c = 0; c < t->out[last]; c++) {
        assert_true(t->a[last][c] >= 0.0f && t->a[last][c] <= 1.0f);
        sum += t->a[last][c];
    }
    assert_float_equal(sum, 1.0f, 1e-5f);
    assert_true(isfinite(t->loss_value) && t->loss_value > 0.0);
    assert_true(isfinite(t->grad));
    assert_true(fabs(t->grad - t->a_prev_i * t->delta_j) <= 1e-9 + 1e-6 * fabs(t->grad));
    assert_true(t->step.n_lines > 0);
    assert_true(strlen(t->step.lines[0]) > 0);
    assert_true(isfinite(t->step.w_new));
}

static void trace_steps_through_one_sample_and_follows_step_batch(void **state)
{
    (void)state;
    nn_preset p = iris_with("training.epochs", "50", NULL);
    view v = view_open(start_worker(&p, 1, -1));
    wait_ready(&v);
    assert_false(v.s->trace.valid);

    /* READY: computed at once; no batch yet, so no batch gradient */
    assert_true(ui_worker_trace(v.w, 5, 1, 2, 1));
    wait_for(&v, trace_valid, NULL, "the trace");
    check_trace(v.s, 5, 1, 2, 1);
    assert_true(isnan(v.s->trace.batch_grad));
    assert_int_equal(v.s->trace.batch, 0);
    assert_true(fabs(v.s->trace.a_prev_i - (double)v.s->trace.a[0][2]) <= 1e-6 * (1.0 + fabs(v.s->trace.a_prev_i)));

    assert_false(v.s->trace.last_kept);

    /* step one batch at a time: the trace follows with the new weights, and the real step (the
     * batch's mean gradient) went from the weight shown before to the one shown now */
    double w_before = v.s->trace.step.w;
    for (int b = 1; b <= 2; b++) {
        double w_prev = v.s->trace.step.w;
        assert_true(ui_worker_step_batch(v.w));
        wait_for(&v, trace_at_batch, &b, "the trace after a batch");
        check_trace(v.s, 5, 1, 2, 1);
        assert_true(isfinite(v.s->trace.batch_grad));
        assert_true(v.s->trace.last_kept);
        assert_true(v.s->trace.last_w_before == w_prev);
        assert_true(v.s->trace.last_w_after == v.s->trace.step.w);
    }
    assert_true(v.s->trace.step.w != w_before);

    /* a bias of the first layer */
    assert_true(ui_worker_trace(v.w, 0, 0, NN_HEALTH_BIAS, 3));
    wait_for(&v, trace_is_bias, NULL, "the bias trace");
    assert_int_equal(v.s->trace.batch, 2);
    assert_true(v.s->trace.a_prev_i == 1.0);
    assert_true(v.s->trace.grad == v.s->trace.delta_j);

    /* while RUNNING the selection waits for the next pause */
    p = iris_with("training.epochs", "100000", "training.batch_size", "1", NULL);
    state_in_run ready = { UI_RUN_READY, v.s->run };
    assert_true(ui_worker_load(v.w, &p));
    wait_for(&v, state_in_new_run, &ready, "READY after load");
    assert_false(v.s->trace.valid);   /* a load clears the selection */
    assert_true(ui_worker_start(v.w));
    wait_for(&v, running_mid_epoch, NULL, "training to start");
    assert_true(ui_worker_trace(v.w, 3, 0, 1, 0));
    assert_true(ui_worker_pause(v.w));
    wait_for(&v, trace_valid, NULL, "the trace at the pause");
    assert_int_equal(v.s->state, UI_RUN_PAUSED);
    check_trace(v.s, 3, 0, 1, 0);

    /* out of range: an error notice, and the selection is gone */
    uint64_t before = v.s->notice_seq;
    assert_true(ui_worker_trace(v.w, 100000, 0, 0, 0));
    wait_notice(&v, before);
    assert_true(v.s->notice_error);
    assert_false(v.s->trace.valid);
    before = v.s->notice_seq;
    assert_true(ui_worker_trace(v.w, 0, 0, 0, 999));
    wait_notice(&v, before);
    assert_true(v.s->notice_error);
    assert_false(v.s->trace.valid);
    view_close(&v);
}

static bool events_at_least(const ui_snapshot *s, const void *ctx)
{
    return s->events.n >= *(const int *)ctx;
}

/* After DONE a live change says it applies to the epochs trained next, not "from epoch 4" of a 3-epoch
 * run (issue 13: "l1 -> l2 from epoch 301" after a 300-epoch run); the name changes with no marker
 * and no notice (words about the run, NN_KEY_ABOUT). */
static void set_param_after_done_names_no_epoch_past_the_end(void **state)
{
    (void)state;
    nn_preset p = iris_with("training.epochs", "3", NULL);
    view v = view_open(start_worker(&p, 1, -1));
    wait_state(&v, UI_RUN_READY);
    assert_true(ui_worker_start(v.w));
    wait_state(&v, UI_RUN_DONE);
    uint64_t before = v.s->notice_seq;
    assert_true(ui_worker_set_param(v.w, "name", "\"Iris, renamed\""));
    assert_true(ui_worker_set_param(v.w, "training.regularization.method", "l2"));
    wait_notice(&v, before);
    assert_false(v.s->notice_error);
    assert_string_equal(v.s->notice, "regularization none -> l2 for the epochs trained next");
    assert_int_equal(v.s->notice_seq, before + 1);   /* the name's change said nothing */
    assert_int_equal(v.s->events.n, 1);
    assert_string_equal(v.s->events.list[0].what, "regularization none -> l2");
    view_close(&v);
}

static void set_param_changes_regularization_live_and_records_events(void **state)
{
    (void)state;
    nn_preset p = iris_with("training.epochs", "100000", NULL);
    view v = view_open(start_worker(&p, 1, -1));
    assert_true(ui_worker_start(v.w));
    wait_for(&v, running_mid_epoch, NULL, "training to start");
    assert_int_equal(v.s->events.n, 0);

    assert_true(ui_worker_set_param(v.w, "training.regularization.method", "l2"));
    assert_true(ui_worker_set_param(v.w, "training.regularization.lambda", "0.01"));
    int two = 2;
    wait_for(&v, events_at_least, &two, "two events");
    assert_string_equal(v.s->events.list[0].what, "regularization none -> l2");
    assert_string_equal(v.s->events.list[1].what, "lambda 0 -> 0.01");
    assert_true(v.s->events.list[1].epoch >= 0);
    assert_true(v.s->events.list[1].batch >= 0 && v.s->events.list[1].batch <= v.s->n_batches);
    assert_false(v.s->notice_error);
    assert_int_equal(v.s->state, UI_RUN_RUNNING);

    /* the penalty now counts in the epoch's statistics */
    assert_true(ui_worker_pause(v.w));
    wait_state(&v, UI_RUN_PAUSED);
    int next = v.s->epoch + 1;
    assert_true(ui_worker_step_epoch(v.w));
    wait_for(&v, epoch_reached, &next, "one more epoch");
    assert_true(v.s->last.penalty > 0.0);

    /* the learning rate through set_param and through set_lr: both are events */
    assert_true(ui_worker_set_param(v.w, "training.optimizer.learning_rate", "0.06"));
    double lr = 0.06;
    wait_for(&v, base_lr_is, &lr, "lr 0.06");
    assert_true(ui_worker_set_lr(v.w, 0.01));
    int four = 4;
    wait_for(&v, events_at_least, &four, "four events");
    assert_string_equal(v.s->events.list[2].what, "lr 0.03 -> 0.06");
    assert_string_equal(v.s->events.list[3].what, "lr 0.06 -> 0.01");
    assert_true(v.s->base_lr == 0.01);
    assert_true(ui_worker_set_param(v.w, "training.regularization.dropout", "0.2"));
    int five = 5;
    wait_for(&v, events_at_least, &five, "five events");
    assert_string_equal(v.s->events.list[4].what, "dropout 0 -> 0.2");

    /* refusals: not a live key, a bad value; nothing recorded */
    uint64_t before = v.s->notice_seq;
    assert_true(ui_worker_set_param(v.w, "model.layers.0.units", "8"));
    wait_notice(&v, before);
    assert_true(v.s->notice_error);
    before = v.s->notice_seq;
    assert_true(ui_worker_set_param(v.w, "training.regularization.lambda", "-1"));
    wait_notice(&v, before);
    assert_true(v.s->notice_error);
    assert_int_equal(v.s->events.n, 5);
    assert_false(ui_worker_set_param(v.w, NULL, "1"));
    assert_false(ui_worker_set_param(v.w, "training.regularization.lambda", NULL));

    /* the list keeps the newest UI_EVENT_MAX */
    for (int i = 0; i < UI_EVENT_MAX; i++)
        assert_true(ui_worker_set_lr(v.w, 0.001 * (i + 1)));
    double last_lr = 0.001 * UI_EVENT_MAX;
    wait_for(&v, base_lr_is, &last_lr, "the last lr");
    assert_int_equal(v.s->events.n, UI_EVENT_MAX);
    char want[UI_EVENT_LEN];
    snprintf(want, sizeof want, "lr %g -> %g", 0.001 * (UI_EVENT_MAX - 1), last_lr);
    assert_string_equal(v.s->events.list[UI_EVENT_MAX - 1].what, want);

    /* reset clears the markers */
    state_in_run ready = { UI_RUN_READY, v.s->run };
    assert_true(ui_worker_reset(v.w));
    wait_for(&v, state_in_new_run, &ready, "READY after reset");
    assert_int_equal(v.s->events.n, 0);
    view_close(&v);
}

static bool cell_is(const ui_snapshot *s, const void *ctx)
{
    const int *c = ctx;
    return s->eval.cell_a == c[0] && s->eval.cell_p == c[1];
}

static bool n_train_is(const ui_snapshot *s, const void *ctx)
{
    return s->info.n_train == *(const int *)ctx;
}

/* Issue 14: a selected confusion cell brings the test rows behind it into the eval section (as
 * many as the cell counts, iris's values in centimetres, points on the Boundary's axes: the
 * petals, which the view opens on); a live change of the split is new data for the same network. */
static void a_confusion_cell_lists_its_rows_and_the_split_changes_live(void **state)
{
    (void)state;
    nn_preset p = iris_with("training.epochs", "100", NULL);
    view v = view_open(start_worker(&p, 1, -1));
    wait_ready(&v);
    assert_int_equal(v.s->eval.cell_a, -1);
    assert_true(ui_worker_view_features(v.w, -1, -1));   /* the best pair: the petals */
    assert_true(ui_worker_step_epoch(v.w));
    int one = 1;
    wait_for(&v, epoch_reached, &one, "epoch 1");
    int k = v.s->info.k, best = -1, a = 0, pr = 0;
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++)
            if (v.s->eval.confusion[i * k + j] > best) {
                best = v.s->eval.confusion[i * k + j];
                a = i;
                pr = j;
            }
    /* the epoch's per-class metrics, for the sparklines */
    assert_int_equal(v.s->eval.cls_len, 1);
    assert_int_equal(v.s->eval.cls_last, 1);
    for (int i = 0; i < k; i++) {
        assert_float_equal(v.s->eval.cls_p[i][0], (float)v.s->eval.metrics.precision[i], 0.0f);
        assert_float_equal(v.s->eval.cls_f[i][0], (float)v.s->eval.metrics.f1[i], 0.0f);
    }
    assert_true(ui_worker_cell(v.w, a, pr));
    int c[2] = {a, pr};
    wait_for(&v, cell_is, c, "the cell's rows");
    assert_int_equal(v.s->eval.cell_n, best);
    assert_int_equal(v.s->eval.cell_shown, best < UI_CELL_ROWS ? best : UI_CELL_ROWS);
    assert_int_equal(v.s->eval.cell_nv, 4);
    assert_string_equal(v.s->eval.cell_names[2], "petal_length");
    assert_true(v.s->eval.cell_xy);
    for (int i = 0; i < v.s->eval.cell_shown; i++) {
        const ui_cell_row *r = &v.s->eval.cell[i];
        assert_true(r->row < 150);
        assert_int_equal(r->line, 0);
        assert_true(r->v[0] > 4.0f && r->v[0] < 8.0f);                 /* sepal length in cm */
        assert_float_equal(r->v[0] * 10.0f, roundf(r->v[0] * 10.0f), 1e-3f);   /* one decimal, as in the data */
        assert_float_equal(r->x, r->v[2], 1e-5f);                      /* x petal length, y petal width */
        assert_float_equal(r->y, r->v[3], 1e-5f);
    }
    /* a live split: the same network, 75 training rows, the cell still listed */
    assert_true(ui_worker_set_param(v.w, "dataset.split", "{\"train\":0.5,\"val\":0.1,\"test\":0.4}"));
    int n75 = 75;
    wait_for(&v, n_train_is, &n75, "the new split");
    assert_int_equal(v.s->info.n_test, 60);
    assert_int_equal(v.s->epoch, 1);
    assert_int_equal(confusion_sum(v.s), 60);
    int two = 2;
    assert_true(ui_worker_step_epoch(v.w));
    wait_for(&v, epoch_reached, &two, "epoch 2");
    assert_int_equal(v.s->eval.cls_len, 2);
    assert_float_equal(v.s->eval.cls_r[0][1], (float)v.s->eval.metrics.recall[0], 0.0f);
    /* none: -1 */
    assert_true(ui_worker_cell(v.w, -1, 0));
    int none[2] = {-1, -1};
    wait_for(&v, cell_is, none, "no cell");
    assert_int_equal(v.s->eval.cell_n, 0);
    /* a reset starts the sparklines over */
    state_in_run ready = { UI_RUN_READY, v.s->run };
    assert_true(ui_worker_reset(v.w));
    wait_for(&v, state_in_new_run, &ready, "READY after reset");
    assert_int_equal(v.s->eval.cls_len, 0);
    view_close(&v);
}

/* A standalone run of one race entry, as nnterm race does it. */
static void standalone(const nn_preset *base, const char *entry, nn_trainer *t)
{
    nn_preset *p = malloc(sizeof *p);
    assert_non_null(p);
    *p = *base;
    nn_error err;
    assert_int_equal(nn_race_apply(p, entry, &err), NN_OK);
    if (nn_trainer_init(t, p, 1, &err) != NN_OK)
        fail_msg("standalone %s: %s", entry, err.msg);
    while (!nn_trainer_finished(t))
        assert_int_equal(nn_trainer_epoch(t, &err), NN_OK);
    free(p);
}

static bool race_in_state(const ui_snapshot *s, const void *ctx)
{
    return s->race.on && s->state == *(const ui_run_state *)ctx;
}

static void a_race_matches_standalone_runs_of_each_optimizer(void **state)
{
    (void)state;
    nn_preset p = iris_with("training.epochs", "15", NULL);
    const char *entries[] = { "sgd", "adam", "rmsprop:0.01" };
    view v = view_open(start_worker(&p, 2, -1));
    wait_ready(&v);
    assert_false(v.s->race.on);
    assert_true(ui_worker_race(v.w, &p, "sgd,adam,rmsprop:0.01"));
    ui_run_state ready = UI_RUN_READY;
    wait_for(&v, race_in_state, &ready, "the race to be READY");
    assert_int_equal(v.s->race.n, 3);
    assert_true(v.s->race.loss_is_val);
    assert_int_equal(v.s->info.n_features, 4);
    assert_int_equal(v.s->boundary.kind, UI_VIEW_NONE);
    for (int r = 0; r < 3; r++) {
        assert_string_equal(v.s->race.entries[r].name, entries[r]);
        assert_int_equal(v.s->race.entries[r].state, UI_RUN_READY);
        assert_int_equal(v.s->race.entries[r].hist_len, 0);
    }
    assert_int_equal(v.s->race.entries[1].optimizer, NN_OPT_ADAM);
    assert_true(v.s->race.entries[2].lr == 0.01);

    assert_true(ui_worker_start(v.w));
    wait_for(&v, finished, NULL, "the end of the race");
    assert_int_equal(v.s->state, UI_RUN_DONE);
    assert_true(v.s->race.on);
    assert_false(v.s->has_last);
    assert_int_equal(v.s->history_len, 0);
    assert_int_equal(v.s->epoch, 15);
    assert_int_equal(v.s->samples_seen, 3L * 15 * v.s->info.n_train);
    for (int r = 0; r < 3; r++) {
        const ui_race_entry *e = &v.s->race.entries[r];
        nn_trainer t;
        standalone(&p, entries[r], &t);
        assert_int_equal(e->state, UI_RUN_DONE);
        assert_int_equal(e->epoch, 15);
        assert_true(e->final_test_loss == t.final_stats.test_loss);
        assert_true(e->final_test_acc == t.final_stats.test_acc);
        assert_true(e->test_loss == nn_trainer_last(&t)->test_loss);
        assert_int_equal(e->hist_len, 15);
        assert_int_equal(e->hist_step, 1);
        for (int i = 0; i < 15; i++)
            assert_true(e->loss[i] == (float)t.history[i].val_loss);
        nn_trainer_free(&t);
    }
    /* different optimizers, different curves */
    assert_true(v.s->race.entries[0].final_test_loss != v.s->race.entries[1].final_test_loss);

    /* start, set_lr, set_param, trace and save are no-ops or refused in a finished race */
    uint64_t before = v.s->notice_seq;
    assert_true(ui_worker_set_lr(v.w, 0.5));
    wait_notice(&v, before);
    assert_true(v.s->notice_error);
    before = v.s->notice_seq;
    assert_true(ui_worker_save_model(v.w, "/tmp/nnterm-worker-race-model.json"));
    wait_notice(&v, before);
    assert_true(v.s->notice_error);

    /* reset runs the same race again */
    state_in_run again = { UI_RUN_READY, v.s->run };
    double first = v.s->race.entries[1].final_test_loss;
    assert_true(ui_worker_reset(v.w));
    wait_for(&v, state_in_new_run, &again, "READY after reset");
    assert_true(v.s->race.on);
    assert_int_equal(v.s->race.entries[0].hist_len, 0);
    assert_int_equal(v.s->race.entries[0].epoch, 0);
    assert_true(ui_worker_start(v.w));
    wait_for(&v, finished, NULL, "the second race");
    assert_true(v.s->race.entries[1].final_test_loss == first);
    view_close(&v);
}

static bool race_paused_round(const ui_snapshot *s, const void *ctx)
{
    return s->race.on && s->state == UI_RUN_PAUSED && s->epoch >= *(const int *)ctx;
}

static void race_steps_rounds_decimates_long_curves_and_load_leaves_it(void **state)
{
    (void)state;
    nn_preset p = iris_with("training.epochs", "600", NULL);
    view v = view_open(start_worker(&p, 1, -1));
    wait_ready(&v);

    /* a list that does not parse: an error notice, the current run stays */
    uint64_t before = v.s->notice_seq;
    assert_true(ui_worker_race(v.w, &p, "adam,nosuch"));
    wait_notice(&v, before);
    assert_true(v.s->notice_error);
    assert_false(v.s->race.on);
    assert_int_equal(v.s->state, UI_RUN_READY);
    assert_false(ui_worker_race(v.w, NULL, "adam"));

    assert_true(ui_worker_race(v.w, &p, "adam,sgd"));
    ui_run_state ready = UI_RUN_READY;
    wait_for(&v, race_in_state, &ready, "the race to be READY");
    /* one step-epoch is one round: every optimizer one epoch */
    int one = 1;
    assert_true(ui_worker_step_epoch(v.w));
    wait_for(&v, race_paused_round, &one, "one round");
    assert_int_equal(v.s->race.entries[0].epoch, 1);
    assert_int_equal(v.s->race.entries[1].epoch, 1);
    assert_int_equal(v.s->race.entries[0].hist_len, 1);
    assert_int_equal(v.s->race.current, 0);
    /* a step-batch trains one batch of the optimizer whose turn it is */
    long seen = v.s->samples_seen;
    assert_true(ui_worker_step_batch(v.w));
    wait_for(&v, samples_beyond, &seen, "one batch");
    assert_int_equal(v.s->race.entries[0].state, UI_RUN_RUNNING);
    assert_int_equal(v.s->batch, 1);
    assert_int_equal(v.s->race.entries[1].epoch, 1);

    /* to the end: 600 epochs fit in UI_RACE_HIST points, every 4th epoch (a long wait: this is
     * 1200 epochs, slow under TSan on a loaded machine) */
    assert_true(ui_worker_start(v.w));
    wait_for_s(&v, finished, NULL, "the end of the race", 6 * WAIT_S);
    assert_int_equal(v.s->state, UI_RUN_DONE);
    nn_trainer t;
    standalone(&p, "adam", &t);
    const ui_race_entry *e = &v.s->race.entries[0];
    assert_int_equal(e->epoch, 600);
    assert_int_equal(e->hist_step, 4);
    assert_int_equal(e->hist_len, 150);
    for (int i = 0; i < e->hist_len; i++)
        assert_true(e->loss[i] == (float)t.history[(i + 1) * e->hist_step - 1].val_loss);
    assert_true(e->final_test_loss == t.final_stats.test_loss);
    nn_trainer_free(&t);

    /* load leaves race mode */
    state_in_run back = { UI_RUN_READY, v.s->run };
    nn_preset iris = iris_with(NULL);
    assert_true(ui_worker_load(v.w, &iris));
    wait_for(&v, state_in_new_run, &back, "READY after load");
    assert_false(v.s->race.on);
    assert_int_equal(v.s->race.n, 0);
    assert_true(ui_worker_start(v.w));
    wait_for(&v, finished, NULL, "the iris run after the race");
    assert_int_equal(v.s->state, UI_RUN_DONE);
    assert_true(v.s->has_last);
    view_close(&v);
}

static bool ready_not_racing(const ui_snapshot *s, const void *ctx)
{
    (void)ctx;
    return s->state == UI_RUN_READY && !s->race.on;
}

static void a_race_that_cannot_build_ends_in_error_and_a_load_recovers(void **state)
{
    (void)state;
    nn_preset p = iris_with(NULL);
    view v = view_open(start_worker(&p, 1, -1));
    wait_ready(&v);
    nn_preset bad = p;
    snprintf(bad.dataset.source, sizeof bad.dataset.source, "csv");
    snprintf(bad.dataset.path, sizeof bad.dataset.path, "/nonexistent/nnterm-worker-race.csv");
    state_in_run err = { UI_RUN_ERROR, v.s->run };
    assert_true(ui_worker_race(v.w, &bad, NULL));
    wait_for(&v, state_in_new_run, &err, "ERROR from the race");
    assert_true(strlen(v.s->message) > 0);
    assert_false(v.s->race.on);
    /* a race queued before a load: the load wins (dropped unbuilt if both are taken together) */
    assert_true(ui_worker_race(v.w, &p, "adam"));
    assert_true(ui_worker_load(v.w, &p));
    wait_for(&v, ready_not_racing, NULL, "READY after load");
    assert_false(v.s->race.on);
    assert_true(ui_worker_start(v.w));
    wait_for(&v, finished, NULL, "the run after the load");
    assert_true(v.s->has_last);
    /* the default list is every optimizer of the table */
    assert_true(ui_worker_race(v.w, &p, NULL));
    ui_run_state rr = UI_RUN_READY;
    wait_for(&v, race_in_state, &rr, "the default race");
    assert_int_equal(v.s->race.n, nn_race_default_count());
    assert_string_equal(v.s->race.entries[0].name, nn_race_default_name(0));
    assert_true(ui_worker_start(v.w));
    view_close(&v);   /* destroyed in race mode, probably mid-race */
}

static bool ready_in_new_run_not_racing(const ui_snapshot *s, const void *ctx)
{
    return state_in_new_run(s, ctx) && !s->race.on;
}

/* The additions' commands mixed with the old ones, in any order and state. */
static void rapid_new_commands_in_any_order_never_deadlock(void **state)
{
    (void)state;
    nn_preset p = iris_with("training.epochs", "30", "training.batch_size", "8", NULL);
    nn_preset xor = iris_with("dataset.source", "xor", "training.epochs", "30", NULL);
    char dir[64];
    assert_non_null(nn_tmp_dir(dir, sizeof dir, "nnterm-worker-"));
    char path[256];
    snprintf(path, sizeof path, "%s/m.json", dir);
    static const char *const keys[] = { "training.regularization.lambda", "training.regularization.dropout",
                                        "training.optimizer.learning_rate", "model.layers.0.units" };
    static const char *const values[] = { "0.001", "0.1", "0.05", "-3" };
    uint64_t rng = 7;
    for (int round = 0; round < 2; round++) {
        view v = view_open(start_worker(&p, round + 1, -1));
        for (int i = 0; i < 150; i++) {
            switch (lcg(&rng) % 12) {
            case 0: ui_worker_start(v.w); break;
            case 1: ui_worker_pause(v.w); break;
            case 2: ui_worker_step_batch(v.w); break;
            case 3: ui_worker_step_epoch(v.w); break;
            case 4: ui_worker_reset(v.w); break;
            case 5: ui_worker_trace(v.w, (int)(lcg(&rng) % 130) - 5, (int)(lcg(&rng) % 3), (int)(lcg(&rng) % 5) - 1, (int)(lcg(&rng) % 4)); break;
            case 6: ui_worker_set_param(v.w, keys[lcg(&rng) % 4], values[lcg(&rng) % 4]); break;
            case 7: ui_worker_save_model(v.w, path); break;
            case 8: if (lcg(&rng) % 8 == 0) ui_worker_race(v.w, &p, "sgd,adam"); break;
            case 9: if (lcg(&rng) % 8 == 0) ui_worker_load(v.w, lcg(&rng) % 2 ? &p : &xor); break;
            case 10: ui_worker_set_lr(v.w, 0.01); break;
            default: ui_worker_snapshot(v.w, v.s, &v.seq); break;
            }
            sleep_us((long)(lcg(&rng) % 300));
        }
        if (round == 0) {
            /* still answering: pause, then a load gives a clean READY */
            while (!ui_worker_pause(v.w))
                sleep_us(1000);
            state_in_run ready = { UI_RUN_READY, v.s->run };
            ui_worker_snapshot(v.w, v.s, &v.seq);
            ready.run = v.s->run;
            while (!ui_worker_load(v.w, &p))
                sleep_us(1000);
            wait_for(&v, ready_in_new_run_not_racing, &ready, "READY after the storm");
            assert_int_equal(v.s->epoch, 0);
            assert_int_equal(v.s->events.n, 0);
        }
        view_close(&v);
    }
    unlink(path);
    rmdir(dir);
}

// --- pace, and a run that goes on ------------------------------------------------------------------

static bool pace_is(const ui_snapshot *s, const void *ctx)
{
    return s->pace == *(const int *)ctx;
}

/* The trained weights of the worker's model, through a saved model file (malloc'd; *n their count). */
static float *saved_weights(view *v, const char *path, size_t *n)
{
    uint64_t before = v->s->notice_seq;
    assert_true(ui_worker_save_model(v->w, path));
    wait_notice(v, before);
    if (v->s->notice_error)
        fail_msg("save: %s", v->s->notice);
    nn_model m;
    nn_error err;
    memset(&m, 0, sizeof m);
    if (nn_model_load(&m, path, &err) != NN_OK)
        fail_msg("nn_model_load: %s", err.msg);
    *n = m.net.n_params;
    float *w = malloc(*n * sizeof *w);
    assert_non_null(w);
    memcpy(w, m.net.params, *n * sizeof *w);
    nn_model_free(&m);
    unlink(path);
    return w;
}

/* Pace only waits between epochs: the same preset and seed end with the same weights, bit for bit,
 * at max, 200 and 50 epochs per second (and with 2 threads at 20/s). A paced run of 10 epochs takes
 * at least its 9 waits (a lower bound: pacing that did nothing fails it; a slow machine cannot).
 * UI_PACE_PRESET gives iris its rule's 1/s; values that are no pace are refused. */
static void the_same_preset_and_seed_give_the_same_weights_at_every_pace(void **state)
{
    (void)state;
    nn_preset p = iris_with("training.epochs", "10", NULL);
    const int paces[] = {0, 200, 50, 20};
    char dir[64];
    assert_non_null(nn_tmp_dir(dir, sizeof dir, "nnterm-pace-"));
    char path[256];
    snprintf(path, sizeof path, "%s/model.json", dir);
    float *first = NULL;
    size_t n0 = 0;
    for (size_t i = 0; i < sizeof paces / sizeof paces[0]; i++) {
        view v = view_open(start_worker(&p, paces[i] == 20 ? 2 : 1, -1));
        wait_ready(&v);
        assert_true(ui_worker_set_pace(v.w, paces[i]));
        wait_for(&v, pace_is, &paces[i], "the pace");
        double t0 = now_s();
        assert_true(ui_worker_start(v.w));
        wait_for(&v, finished, NULL, "the run");
        double took = now_s() - t0;
        assert_int_equal(v.s->state, UI_RUN_DONE);
        assert_int_equal(v.s->epoch, 10);
        if (paces[i] > 0 && !(took >= 9.0 / paces[i]))
            fail_msg("pace %d/s: 10 epochs in %.3f s, less than 9 waits of 1/%d s", paces[i], took, paces[i]);
        print_message("pace %3d: 10 epochs in %.3f s\n", paces[i], took);
        size_t n;
        float *w = saved_weights(&v, path, &n);
        if (!first) {
            first = w;
            n0 = n;
        } else {
            assert_int_equal(n, n0);
            if (memcmp(w, first, n * sizeof *w) != 0)
                fail_msg("pace %d/s: the weights differ from those at max", paces[i]);
            free(w);
        }
        view_close(&v);
    }
    free(first);
    rmdir(dir);

    view v = view_open(start_worker(&p, 1, -1));
    wait_ready(&v);
    assert_int_equal(v.s->pace, 0);   /* the worker starts at max */
    assert_true(ui_worker_set_pace(v.w, UI_PACE_PRESET));
    int one = 1;
    wait_for(&v, pace_is, &one, "iris's pace (10 epochs: 1/s)");
    assert_false(ui_worker_set_pace(v.w, 201));
    assert_false(ui_worker_set_pace(v.w, -2));
    assert_false(ui_worker_command(v.w, UI_CMD_SET_PACE, 2.5));
    view_close(&v);
}

/* Space after DONE (ui_worker_continue) trains another `epochs` epochs: the published history grows
 * past the run's first length, the end moves, an event marks where. More epochs after DONE
 * (set_param) is PAUSED, then goes on to the new end; fewer than done is DONE at once. */
static void a_done_run_goes_on_and_epochs_change_without_a_reset(void **state)
{
    (void)state;
    nn_preset p = iris_with("training.epochs", "4", NULL);
    view v = view_open(start_worker(&p, 1, -1));
    wait_ready(&v);
    uint64_t run = v.s->run;
    assert_true(ui_worker_continue(v.w));   /* not DONE: a start, as Space (then start: nothing more) */
    assert_true(ui_worker_start(v.w));
    wait_for(&v, finished, NULL, "the run");
    assert_int_equal(v.s->epoch, 4);
    assert_true(ui_worker_continue(v.w));
    int ev = 1;
    wait_for(&v, events_at_least, &ev, "the event of the continue");
    assert_non_null(strstr(v.s->events.list[0].what, "continued for 4 more epochs"));
    assert_int_equal(v.s->events.list[0].epoch, 4);
    wait_for(&v, finished, NULL, "the continued run");
    assert_int_equal(v.s->state, UI_RUN_DONE);
    assert_int_equal(v.s->epoch, 8);
    assert_int_equal(v.s->epochs, 8);
    assert_int_equal(v.s->history_len, 8);
    assert_int_equal(v.s->run, run);   /* the same run: the chart goes on */
    nn_epoch_stats h[16];
    assert_int_equal(ui_worker_history(v.w, h, 0, 16, NULL), 8);
    for (int i = 0; i < 8; i++)
        assert_int_equal(h[i].epoch, i + 1);

    uint64_t before = v.s->notice_seq;
    assert_true(ui_worker_set_param(v.w, "training.epochs", "7"));   /* the end: 4 + 7 */
    wait_notice(&v, before);
    assert_false(v.s->notice_error);
    assert_int_equal(v.s->state, UI_RUN_PAUSED);
    assert_int_equal(v.s->epochs, 11);
    assert_true(ui_worker_start(v.w));
    wait_for(&v, finished, NULL, "the run to its new end");
    assert_int_equal(v.s->epoch, 11);
    assert_true(ui_worker_set_param(v.w, "training.epochs", "forever"));
    wait_state(&v, UI_RUN_PAUSED);
    assert_int_equal(v.s->epochs, 0);
    for (int e = 12; e <= 14; e++) {   /* no end: it trains on, here one epoch at a time */
        assert_true(ui_worker_step_epoch(v.w));
        wait_for(&v, epoch_reached, &e, "the next epoch");
    }
    before = v.s->notice_seq;
    assert_true(ui_worker_set_param(v.w, "training.epochs", "2"));   /* 4 + 2, done already */
    wait_notice(&v, before);
    assert_int_equal(v.s->state, UI_RUN_DONE);
    view_close(&v);
}

/* r then Space before the UI has seen READY: the UI, still reading DONE, sends a continue after the
 * reset; the worker takes it as the start of the new run (it was ignored, and nothing trained). */
static void a_continue_right_after_a_reset_starts_the_new_run(void **state)
{
    (void)state;
    nn_preset p = iris_with("training.epochs", "3", NULL);
    view v = view_open(start_worker(&p, 1, -1));
    wait_ready(&v);
    assert_true(ui_worker_start(v.w));
    wait_for(&v, finished, NULL, "the run");
    uint64_t run = v.s->run;
    assert_true(ui_worker_reset(v.w));
    assert_true(ui_worker_continue(v.w));
    state_in_run done = {UI_RUN_DONE, run};
    wait_for(&v, state_in_new_run, &done, "the new run, to its end");   /* ignored, it stayed READY */
    assert_int_equal(v.s->epoch, 3);
    assert_int_equal(v.s->history_len, 3);
    view_close(&v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(every_run_state_has_its_word, watchdog, watchdog_off),
        cmocka_unit_test_setup_teardown(a_continue_right_after_a_reset_starts_the_new_run, watchdog, watchdog_off),
        cmocka_unit_test_setup_teardown(a_snapshot_exists_from_create_on_and_loading_ends_ready, watchdog, watchdog_off),
        cmocka_unit_test_setup_teardown(iris_runs_to_done_at_epoch_20_with_a_full_confusion_matrix, watchdog, watchdog_off),
        cmocka_unit_test_setup_teardown(early_stopping_ends_done_before_the_last_epoch, watchdog, watchdog_off),
        cmocka_unit_test_setup_teardown(the_wake_pipe_gets_a_byte_when_a_snapshot_is_published, watchdog, watchdog_off),
        cmocka_unit_test_setup_teardown(pause_stops_epoch_and_batch_from_changing, watchdog, watchdog_off),
        cmocka_unit_test_setup_teardown(step_batch_trains_one_batch_and_pauses, watchdog, watchdog_off),
        cmocka_unit_test_setup_teardown(step_epoch_advances_exactly_one_epoch, watchdog, watchdog_off),
        cmocka_unit_test_setup_teardown(reset_gives_epoch_0_and_then_the_same_run_again, watchdog, watchdog_off),
        cmocka_unit_test_setup_teardown(set_lr_changes_the_learning_rate_in_the_snapshot, watchdog, watchdog_off),
        cmocka_unit_test_setup_teardown(a_confusion_cell_lists_its_rows_and_the_split_changes_live, watchdog,
                                        watchdog_off),
        cmocka_unit_test_setup_teardown(the_generic_command_refuses_the_kinds_with_a_payload, watchdog,
                                        watchdog_off),
        cmocka_unit_test_setup_teardown(a_huge_learning_rate_ends_diverged_with_a_message, watchdog, watchdog_off),
        cmocka_unit_test_setup_teardown(destroy_while_running_mid_epoch_returns, watchdog, watchdog_off),
        cmocka_unit_test_setup_teardown(the_history_tail_copies_are_consecutive_epochs, watchdog, watchdog_off),
        cmocka_unit_test_setup_teardown(loading_xor_fills_a_boundary_grid_with_both_classes, watchdog, watchdog_off),
        cmocka_unit_test_setup_teardown(loading_sine_gives_a_fitted_curve, watchdog, watchdog_off),
        cmocka_unit_test_setup_teardown(a_preset_that_cannot_load_gives_error_and_a_later_load_recovers, watchdog, watchdog_off),
        cmocka_unit_test_setup_teardown(rapid_commands_in_any_order_never_deadlock, watchdog, watchdog_off),
        cmocka_unit_test_setup_teardown(save_model_writes_a_loadable_file_and_reports_errors, watchdog, watchdog_off),
        cmocka_unit_test_setup_teardown(report_writes_the_run_now_and_names_the_folder, watchdog, watchdog_off),
        cmocka_unit_test_setup_teardown(health_is_finite_after_each_epoch_with_one_row_per_epoch, watchdog, watchdog_off),
        cmocka_unit_test_setup_teardown(bad_training_raises_health_warnings, watchdog, watchdog_off),
        cmocka_unit_test_setup_teardown(trace_steps_through_one_sample_and_follows_step_batch, watchdog, watchdog_off),
        cmocka_unit_test_setup_teardown(set_param_changes_regularization_live_and_records_events, watchdog, watchdog_off),
        cmocka_unit_test_setup_teardown(set_param_after_done_names_no_epoch_past_the_end, watchdog, watchdog_off),
        cmocka_unit_test_setup_teardown(a_race_matches_standalone_runs_of_each_optimizer, watchdog, watchdog_off),
        cmocka_unit_test_setup_teardown(race_steps_rounds_decimates_long_curves_and_load_leaves_it, watchdog, watchdog_off),
        cmocka_unit_test_setup_teardown(a_race_that_cannot_build_ends_in_error_and_a_load_recovers, watchdog, watchdog_off),
        cmocka_unit_test_setup_teardown(rapid_new_commands_in_any_order_never_deadlock, watchdog, watchdog_off),
        cmocka_unit_test_setup_teardown(the_same_preset_and_seed_give_the_same_weights_at_every_pace, watchdog,
                                        watchdog_off),
        cmocka_unit_test_setup_teardown(a_done_run_goes_on_and_epochs_change_without_a_reset, watchdog, watchdog_off),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
