/* test_soak.c — the worker under a thousand random commands (start, pause, toggle, steps, reset,
 * reseed, learning rate, load) sent with random pauses of 0-2 ms on the iris preset, and workers
 * destroyed at random moments. Checks the snapshot's invariants after every command, that the
 * worker still does exactly what it is told afterwards (reset, one epoch, a full run), and, under
 * ASan, that nothing leaks. A watchdog thread aborts with a message if a test is still running
 * after 120 s: a deadlock fails instead of hanging. No timing assertions.
 * NN_SOAK_SEED=N replays another command sequence (the timing still differs run to run). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "worker.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "worker_clock.h"

#define SOAK_COMMANDS 1000
#define WATCHDOG_S 120
#define EPOCHS 30

// --- watchdog --------------------------------------------------------------------------------

static pthread_mutex_t wd_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wd_cv = PTHREAD_COND_INITIALIZER;
static int wd_armed;            /* generation being watched; 0 = disarmed */
static int wd_quit;
static const char *wd_what = "";
static int wd_step;             /* progress, for the message */
static pthread_t wd_thread;

static void *watchdog_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&wd_mu);
    while (!wd_quit) {
        if (!wd_armed) {
            pthread_cond_wait(&wd_cv, &wd_mu);
            continue;
        }
        int gen = wd_armed;
        struct timespec dl;
        clock_gettime(CLOCK_REALTIME, &dl);
        dl.tv_sec += WATCHDOG_S;
        int rc = 0;
        while (!wd_quit && wd_armed == gen && rc != ETIMEDOUT)
            rc = pthread_cond_timedwait(&wd_cv, &wd_mu, &dl);
        if (!wd_quit && wd_armed == gen) {
            fprintf(stderr, "soak: watchdog: %s still running after %d s (step %d): deadlock?\n", wd_what,
                    WATCHDOG_S, wd_step);
            fflush(stderr);
            abort();
        }
    }
    pthread_mutex_unlock(&wd_mu);
    return NULL;
}

static void watchdog_arm(const char *what)
{
    static int gen;
    pthread_mutex_lock(&wd_mu);
    wd_armed = ++gen;
    wd_what = what;
    wd_step = 0;
    pthread_cond_signal(&wd_cv);
    pthread_mutex_unlock(&wd_mu);
}

static void watchdog_progress(int step)
{
    pthread_mutex_lock(&wd_mu);
    wd_step = step;
    pthread_mutex_unlock(&wd_mu);
}

static void watchdog_disarm(void)
{
    pthread_mutex_lock(&wd_mu);
    wd_armed = 0;
    pthread_cond_signal(&wd_cv);
    pthread_mutex_unlock(&wd_mu);
}

static int group_setup(void **state)
{
    (void)state;
    return pthread_create(&wd_thread, NULL, watchdog_main, NULL) == 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    pthread_mutex_lock(&wd_mu);
    wd_quit = 1;
    pthread_cond_signal(&wd_cv);
    pthread_mutex_unlock(&wd_mu);
    pthread_join(wd_thread, NULL);
    return 0;
}

// --- helpers ---------------------------------------------------------------------------------

static uint64_t rng_state;

static uint64_t rnd(void)   /* xorshift64*: the command sequence, reproducible from the seed */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

static int rnd_below(int n)
{
    return (int)(rnd() % (uint64_t)n);
}

static void seed_rng(void)
{
    const char *s = getenv("NN_SOAK_SEED");
    uint64_t seed = s ? strtoull(s, NULL, 10) : 20261124u;
    rng_state = seed ? seed : 1;
    printf("soak: NN_SOAK_SEED=%llu\n", (unsigned long long)seed);
}

static nn_preset iris_preset(int epochs, int units)
{
    nn_preset p;
    nn_error err;
    if (nn_preset_load(&p, "iris", NULL, &err) != NN_OK)
        fail_msg("iris preset: %s", err.msg);
    char v[32];
    snprintf(v, sizeof v, "%d", epochs);
    if (nn_preset_set(&p, "training.epochs", v, &err) != NN_OK)
        fail_msg("training.epochs: %s", err.msg);
    snprintf(v, sizeof v, "%d", units);
    if (nn_preset_set(&p, "model.layers.0.units", v, &err) != NN_OK)
        fail_msg("model.layers.0.units: %s", err.msg);
    return p;
}

typedef struct {
    ui_worker *w;
    ui_snapshot *s;     /* the UI's private copy */
    uint64_t seq;
    uint64_t run;       /* run of the history copied so far */
    int hist_len;       /* entries of that run copied so far */
    nn_epoch_stats hist[EPOCHS];
    int wake_rd;
} ui_side;

/* The sections' seqs, in the snapshot's order. */
static void section_seqs(const ui_snapshot *s, uint64_t q[9])
{
    const uint64_t v[9] = {s->info.seq,  s->eval.seq,   s->boundary.seq, s->fit.seq, s->health.seq,
                           s->trace.seq, s->events.seq, s->race.seq,     s->net.seq};
    memcpy(q, v, sizeof v);
}

/* Copies the snapshot if it changed and checks what must always hold. */
static void refresh(ui_side *u)
{
    uint64_t before = u->seq;
    uint64_t sec_before[9], sec_after[9];
    section_seqs(u->s, sec_before);
    if (!ui_worker_snapshot(u->w, u->s, &u->seq))
        return;
    const ui_snapshot *s = u->s;
    assert_true(u->seq > before);
    assert_int_equal(s->seq, u->seq);
    section_seqs(s, sec_after);
    for (int i = 0; i < 9; i++) {   /* a section's seq is that of the publish that last changed it */
        assert_true(sec_after[i] <= s->seq);
        if (before > 0)
            assert_true(sec_after[i] >= sec_before[i]);
    }
    assert_true(s->state >= UI_RUN_LOADING && s->state < UI_RUN_COUNT);
    if (s->state == UI_RUN_ERROR || s->state == UI_RUN_DIVERGED)
        fail_msg("worker went %s: %s", ui_run_state_word(s->state), s->message);
    assert_true(s->epoch >= 0 && s->epoch <= EPOCHS);
    if (s->state != UI_RUN_LOADING) {
        assert_int_equal(s->epochs, EPOCHS);
        assert_true(s->batch >= 0 && s->batch <= s->n_batches);
        assert_true(s->history_len >= 0 && s->history_len <= s->epoch);
        assert_true(s->has_last == (s->epoch > 0));
    }
    if (s->state == UI_RUN_READY)
        assert_int_equal(s->epoch, 0);
    if (s->state == UI_RUN_DONE)
        assert_int_equal(s->epoch, EPOCHS);
}

/* Copies the history tail the UI has not seen; entry i must be epoch i + 1 of one run. */
static void pull_history(ui_side *u)
{
    uint64_t run = 0;
    nn_epoch_stats tmp[EPOCHS];
    int from = u->hist_len;
    int n = ui_worker_history(u->w, tmp, from, EPOCHS - from, &run);
    if (run != u->run) {     /* reset, reseed or load: start over */
        u->run = run;
        u->hist_len = 0;
        return;
    }
    assert_true(n >= 0 && from + n <= EPOCHS);
    for (int i = 0; i < n; i++) {
        assert_int_equal(tmp[i].epoch, from + i + 1);
        u->hist[from + i] = tmp[i];
    }
    u->hist_len += n;
}

static void drain_wake(ui_side *u)
{
    char buf[256];
    while (read(u->wake_rd, buf, sizeof buf) > 0) {
    }
}

static bool in_state(const ui_snapshot *s, ui_run_state a, ui_run_state b)
{
    return s->state == a || s->state == b;
}

/* Polls until the snapshot is in state a or b (the watchdog ends a hang). */
static void wait_state(ui_side *u, ui_run_state a, ui_run_state b)
{
    for (;;) {
        refresh(u);
        drain_wake(u);
        if (in_state(u->s, a, b))
            return;
        sleep_us(300);
    }
}

/* Sends a command, retrying while the ring is full (the worker drains it at batch boundaries). */
static void send(ui_side *u, bool (*cmd)(ui_worker *))
{
    while (!cmd(u->w)) {
        refresh(u);
        sleep_us(200);
    }
}

static ui_side open_ui(const nn_preset *p, int threads, int fds[2])
{
    ui_side u;
    memset(&u, 0, sizeof u);
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(fcntl(fds[0], F_SETFL, O_NONBLOCK), 0);
    assert_int_equal(fcntl(fds[1], F_SETFL, O_NONBLOCK), 0);
    u.wake_rd = fds[0];
    u.s = calloc(1, sizeof *u.s);
    assert_non_null(u.s);
    nn_error err;
    nn_error_clear(&err);
    u.w = ui_worker_create(p, threads, fds[1], &err);
    if (!u.w)
        fail_msg("ui_worker_create: %s", err.msg);
    return u;
}

static void close_ui(ui_side *u, int fds[2])
{
    ui_worker_destroy(u->w);
    free(u->s);
    close(fds[0]);
    close(fds[1]);
}

// --- tests -----------------------------------------------------------------------------------

/* 1000 random commands with random pauses, then the worker must still obey exactly. */
static void test_soak_random_commands_then_worker_still_obeys(void **state)
{
    (void)state;
    watchdog_arm("random commands");
    seed_rng();
    nn_preset p = iris_preset(EPOCHS, 40);
    nn_preset small = iris_preset(EPOCHS, 8);
    int fds[2];
    ui_side u = open_ui(&p, 2, fds);
    int sent = 0, refused = 0;
    int counts[UI_CMD_COUNT] = {0};
    for (int i = 0; i < SOAK_COMMANDS; i++) {
        watchdog_progress(i);
        int r = rnd_below(100);
        bool ok;
        ui_cmd_kind k;
        if (r < 18) {
            k = UI_CMD_START;
            ok = ui_worker_start(u.w);
        } else if (r < 32) {
            k = UI_CMD_PAUSE;
            ok = ui_worker_pause(u.w);
        } else if (r < 44) {
            k = UI_CMD_TOGGLE;
            ok = ui_worker_toggle(u.w);
        } else if (r < 56) {
            k = UI_CMD_STEP_EPOCH;
            ok = ui_worker_step_epoch(u.w);
        } else if (r < 70) {
            k = UI_CMD_STEP_BATCH;
            ok = ui_worker_step_batch(u.w);
        } else if (r < 82) {
            k = UI_CMD_RESET;
            ok = ui_worker_reset(u.w);
        } else if (r < 88) {
            k = UI_CMD_RESEED;
            ok = ui_worker_reseed(u.w, rnd() >> 20);
        } else if (r < 97) {
            k = UI_CMD_SET_LR;
            ok = ui_worker_set_lr(u.w, 0.001 + 0.05 * (double)rnd_below(1000) / 1000.0);
        } else {
            k = UI_CMD_LOAD;
            ok = ui_worker_load(u.w, rnd_below(2) ? &p : &small);
        }
        counts[k]++;
        sent += ok;
        refused += !ok;
        int pause = rnd_below(2001);   /* 0..2000 us; one in ten commands without a pause */
        if (rnd_below(10))
            sleep_us(pause);
        if (rnd_below(4) == 0)
            drain_wake(&u);
        refresh(&u);
        if (rnd_below(3) == 0)
            pull_history(&u);
    }
    printf("soak: %d commands queued, %d refused (ring full); start %d pause %d toggle %d step-epoch %d "
           "step-batch %d reset %d reseed %d lr %d load %d\n",
           sent, refused, counts[UI_CMD_START], counts[UI_CMD_PAUSE], counts[UI_CMD_TOGGLE],
           counts[UI_CMD_STEP_EPOCH], counts[UI_CMD_STEP_BATCH], counts[UI_CMD_RESET], counts[UI_CMD_RESEED],
           counts[UI_CMD_SET_LR], counts[UI_CMD_LOAD]);
    assert_true(sent > SOAK_COMMANDS / 2);

    /* Now exactly: load the 40-unit preset, then reseed with a seed the random phase never used
     * (commands apply in order, so READY with that seed means everything before it is done). */
    const uint64_t magic = (1ULL << 50) + 7;
    while (!ui_worker_load(u.w, &p))
        sleep_us(200);
    while (!ui_worker_reseed(u.w, magic))
        sleep_us(200);
    for (;;) {
        wait_state(&u, UI_RUN_READY, UI_RUN_READY);
        if (u.s->seed == magic)
            break;
        sleep_us(300);
    }
    assert_int_equal(u.s->epoch, 0);
    assert_false(u.s->has_last);
    assert_int_equal(u.s->history_len, 0);
    assert_int_equal(u.s->info.layers[0].out, 40);
    send(&u, ui_worker_step_epoch);
    wait_state(&u, UI_RUN_PAUSED, UI_RUN_PAUSED);
    assert_int_equal(u.s->epoch, 1);
    assert_int_equal(u.s->batch, 0);
    assert_true(u.s->has_last);
    send(&u, ui_worker_start);
    wait_state(&u, UI_RUN_DONE, UI_RUN_DONE);
    assert_int_equal(u.s->epoch, EPOCHS);
    assert_int_equal(u.s->history_len, EPOCHS);
    u.hist_len = 0;
    u.run = 0;
    pull_history(&u);   /* learns the run */
    pull_history(&u);
    assert_int_equal(u.hist_len, EPOCHS);
    assert_true(u.s->eval.metrics.accuracy > 0.5);   /* it learned something: the run was real */
    close_ui(&u, fds);
    watchdog_disarm();
}

/* Workers destroyed at any moment: while loading, running, paused, right after a command. */
static void test_soak_destroy_at_random_moments(void **state)
{
    (void)state;
    watchdog_arm("destroy at random moments");
    seed_rng();
    nn_preset p = iris_preset(EPOCHS, 40);
    for (int i = 0; i < 60; i++) {
        watchdog_progress(i);
        nn_error err;
        ui_worker *w = ui_worker_create(&p, 1 + rnd_below(2), -1, &err);
        if (!w)
            fail_msg("ui_worker_create: %s", err.msg);
        int what = rnd_below(4);
        if (what >= 1)
            ui_worker_start(w);
        if (what == 2)
            ui_worker_pause(w);
        if (what == 3)
            ui_worker_load(w, &p);
        sleep_us(rnd_below(3000));
        ui_worker_destroy(w);
    }
    watchdog_disarm();
}

/* The long headless-like run through the worker: 20 full runs back to back by reseeding. */
static void test_soak_many_full_runs(void **state)
{
    (void)state;
    watchdog_arm("many full runs");
    nn_preset p = iris_preset(EPOCHS, 40);
    int fds[2];
    ui_side u = open_ui(&p, 1, fds);
    wait_state(&u, UI_RUN_READY, UI_RUN_READY);
    for (int i = 0; i < 20; i++) {
        watchdog_progress(i);
        send(&u, ui_worker_start);
        wait_state(&u, UI_RUN_DONE, UI_RUN_DONE);
        assert_int_equal(u.s->history_len, EPOCHS);
        while (!ui_worker_reseed(u.w, 1000u + (uint64_t)i))
            sleep_us(200);
        wait_state(&u, UI_RUN_READY, UI_RUN_READY);
        assert_int_equal(u.s->seed, 1000u + (uint64_t)i);
    }
    close_ui(&u, fds);
    watchdog_disarm();
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_soak_random_commands_then_worker_still_obeys),
        cmocka_unit_test(test_soak_destroy_at_random_moments),
        cmocka_unit_test(test_soak_many_full_runs),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
