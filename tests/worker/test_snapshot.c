/* test_snapshot.c — the worker's snapshot sections: a publish moves the seq of the sections it
 * changed and of no other, and the UI's copy made section by section always equals a full copy.
 * Runs under -Db_sanitize=thread too. No timing assertions: every wait polls with a generous
 * deadline that only turns a hang into a failure, and alarm() is the last watchdog. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "worker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "worker_clock.h"

#define WAIT_S 20.0

static nn_preset preset_with(const char *name, const char *key, ...)
{
    nn_preset p;
    nn_error err;
    if (nn_preset_load(&p, name, NULL, &err) != NN_OK)
        fail_msg("%s preset: %s", name, err.msg);
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

/* The sections' seqs, by name, in the snapshot's order. */
enum { S_INFO, S_EVAL, S_BOUNDARY, S_FIT, S_HEALTH, S_TRACE, S_EVENTS, S_RACE, S_NET, S_COUNT };
static const char *const section_name[S_COUNT] = {"info",  "eval",   "boundary", "fit", "health",
                                                  "trace", "events", "race",     "net"};

static void section_seqs(const ui_snapshot *s, uint64_t q[S_COUNT])
{
    q[S_INFO] = s->info.seq;
    q[S_EVAL] = s->eval.seq;
    q[S_BOUNDARY] = s->boundary.seq;
    q[S_FIT] = s->fit.seq;
    q[S_HEALTH] = s->health.seq;
    q[S_TRACE] = s->trace.seq;
    q[S_EVENTS] = s->events.seq;
    q[S_RACE] = s->race.seq;
    q[S_NET] = s->net.seq;
}

/* The UI's side: a copy kept up to date section by section, as the app keeps its own. */
typedef struct {
    ui_worker *w;
    ui_snapshot *s;
    uint64_t seq;
} ui_side;

static void refresh(ui_side *u)
{
    uint64_t before[S_COUNT], after[S_COUNT];
    section_seqs(u->s, before);
    bool fresh = u->seq == 0;
    if (!ui_worker_snapshot(u->w, u->s, &u->seq))
        return;
    section_seqs(u->s, after);
    for (int i = 0; i < S_COUNT; i++) {
        if (after[i] > u->s->seq)
            fail_msg("section %s has seq %llu after the snapshot's %llu", section_name[i],
                     (unsigned long long)after[i], (unsigned long long)u->s->seq);
        if (!fresh && after[i] < before[i])
            fail_msg("section %s went back from seq %llu to %llu", section_name[i],
                     (unsigned long long)before[i], (unsigned long long)after[i]);
    }
}

typedef bool (*snap_pred)(const ui_snapshot *s, const void *ctx);

static void wait_for(ui_side *u, snap_pred pred, const void *ctx, const char *what)
{
    double deadline = now_s() + WAIT_S;
    for (;;) {
        refresh(u);
        if (pred(u->s, ctx))
            return;
        if (now_s() > deadline)
            fail_msg("waited %.0f s for %s; state %s, message \"%s\"", WAIT_S, what,
                     ui_run_state_word(u->s->state), u->s->message);
        sleep_us(500);
    }
}

static bool state_is(const ui_snapshot *s, const void *ctx)
{
    return s->state == *(const ui_run_state *)ctx;
}

static bool state_in_race(const ui_snapshot *s, const void *ctx)
{
    return s->race.on && s->state == *(const ui_run_state *)ctx;
}

static bool paused_at_epoch_1(const ui_snapshot *s, const void *ctx)
{
    (void)ctx;
    return s->state == UI_RUN_PAUSED && s->epoch == 1;
}

static bool notice_after(const ui_snapshot *s, const void *ctx)
{
    return s->notice_seq > *(const uint64_t *)ctx;
}

typedef struct {
    ui_run_state state;
    uint64_t run;
} state_in_run;

static bool state_in_new_run(const ui_snapshot *s, const void *ctx)
{
    const state_in_run *c = ctx;
    return s->state == c->state && s->run != c->run;
}

static void wait_state(ui_side *u, ui_run_state st)
{
    wait_for(u, state_is, &st, ui_run_state_word(st));
}

static void wait_new_run(ui_side *u, ui_run_state st)
{
    state_in_run c = {st, u->s->run};
    wait_for(u, state_in_new_run, &c, ui_run_state_word(st));
}

static ui_side open_ui(const nn_preset *p)
{
    nn_error err;
    nn_error_clear(&err);
    ui_side u = {ui_worker_create(p, 1, -1, &err), calloc(1, sizeof(ui_snapshot)), 0};
    if (!u.w)
        fail_msg("ui_worker_create: %s", err.msg);
    assert_non_null(u.s);
    return u;
}

static void close_ui(ui_side *u)
{
    ui_worker_destroy(u->w);
    free(u->s);
}

/* While the worker is idle (nothing is published), the copy kept up to date section by section
 * must equal a full copy, byte for byte. */
static void assert_copy_is_whole(ui_side *u, const char *when)
{
    ui_snapshot *full = calloc(1, sizeof *full);
    assert_non_null(full);
    uint64_t seq = 0;
    assert_true(ui_worker_snapshot(u->w, full, &seq));
    refresh(u);
    if (full->seq != u->s->seq)
        fail_msg("%s: the worker published between the two copies (%llu, %llu)", when,
                 (unsigned long long)full->seq, (unsigned long long)u->s->seq);
    if (memcmp(full, u->s, offsetof(ui_snapshot, info)) != 0)
        fail_msg("%s: the status part differs from a full copy", when);
    const struct {
        const char *name;
        size_t off, size;
    } sec[] = {
        {"info", offsetof(ui_snapshot, info), sizeof full->info},
        {"eval", offsetof(ui_snapshot, eval), sizeof full->eval},
        {"boundary", offsetof(ui_snapshot, boundary), sizeof full->boundary},
        {"fit", offsetof(ui_snapshot, fit), sizeof full->fit},
        {"health", offsetof(ui_snapshot, health), sizeof full->health},
        {"trace", offsetof(ui_snapshot, trace), sizeof full->trace},
        {"events", offsetof(ui_snapshot, events), sizeof full->events},
        {"race", offsetof(ui_snapshot, race), sizeof full->race},
        {"net", offsetof(ui_snapshot, net), sizeof full->net},
    };
    size_t covered = offsetof(ui_snapshot, info);
    for (size_t i = 0; i < sizeof sec / sizeof sec[0]; i++) {
        if (memcmp((const char *)full + sec[i].off, (const char *)u->s + sec[i].off, sec[i].size) != 0)
            fail_msg("%s: section %s differs from a full copy", when, sec[i].name);
        covered += sec[i].size;
    }
    assert_true(covered <= sizeof *full);
    free(full);
}

/* ---- tests ------------------------------------------------------------------------------ */

static void a_notice_alone_moves_no_section(void **state)
{
    (void)state;
    nn_preset p = preset_with("xor", NULL);
    ui_side u = open_ui(&p);
    wait_state(&u, UI_RUN_READY);
    uint64_t before[S_COUNT], after[S_COUNT];
    section_seqs(u.s, before);
    uint64_t seq = u.s->seq, notice = u.s->notice_seq;
    assert_true(ui_worker_set_param(u.w, "seed", "7"));   /* not live: an error notice */
    wait_for(&u, notice_after, &notice, "the notice");
    assert_true(u.s->notice_error);
    assert_true(u.s->seq > seq);
    section_seqs(u.s, after);
    for (int i = 0; i < S_COUNT; i++)
        if (after[i] != before[i])
            fail_msg("section %s moved (%llu -> %llu) for a notice", section_name[i],
                     (unsigned long long)before[i], (unsigned long long)after[i]);
    close_ui(&u);
}

static void an_epoch_moves_the_sections_it_changes_and_no_other(void **state)
{
    (void)state;
    nn_preset p = preset_with("xor", NULL);
    ui_side u = open_ui(&p);
    wait_state(&u, UI_RUN_READY);
    uint64_t before[S_COUNT], after[S_COUNT];
    section_seqs(u.s, before);
    assert_true(ui_worker_step_epoch(u.w));
    wait_state(&u, UI_RUN_PAUSED);
    assert_int_equal(u.s->epoch, 1);
    section_seqs(u.s, after);
    /* the metrics, the grid, the network's weights and its health follow the epoch */
    const int moved[] = {S_EVAL, S_BOUNDARY, S_HEALTH, S_NET};
    for (size_t i = 0; i < sizeof moved / sizeof moved[0]; i++)
        if (after[moved[i]] <= before[moved[i]])
            fail_msg("section %s did not move over an epoch", section_name[moved[i]]);
    /* the dataset, no regression fit, no step-through selected, no live change, no race */
    const int kept[] = {S_INFO, S_FIT, S_TRACE, S_EVENTS, S_RACE};
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
        if (after[kept[i]] != before[kept[i]])
            fail_msg("section %s moved over an epoch without changing", section_name[kept[i]]);
    close_ui(&u);
}

/* Every kind of change (training, pause, reset, a live change, a step-through, the view's axes,
 * a race, a load of other data), each checked against a full copy while the worker is idle. */
static void the_copy_kept_by_sections_always_equals_a_full_copy(void **state)
{
    (void)state;
    nn_preset p = preset_with("xor", "training.epochs", "3", NULL);
    ui_side u = open_ui(&p);
    wait_state(&u, UI_RUN_READY);
    assert_copy_is_whole(&u, "ready");
    assert_true(ui_worker_start(u.w));
    wait_state(&u, UI_RUN_DONE);
    assert_copy_is_whole(&u, "done");
    assert_true(ui_worker_reset(u.w));
    wait_new_run(&u, UI_RUN_READY);
    assert_copy_is_whole(&u, "reset");
    uint64_t notice = u.s->notice_seq;
    assert_true(ui_worker_set_param(u.w, "training.regularization.lambda", "0.01"));
    wait_for(&u, notice_after, &notice, "the live change");
    assert_int_equal(u.s->events.n, 1);
    assert_copy_is_whole(&u, "live change");
    assert_true(ui_worker_step_batch(u.w));
    wait_state(&u, UI_RUN_PAUSED);
    assert_true(ui_worker_trace(u.w, 3, 0, 1, 2));
    uint64_t seq = u.s->trace.seq;
    double deadline = now_s() + WAIT_S;
    while (!u.s->trace.valid && now_s() < deadline) {
        refresh(&u);
        sleep_us(500);
    }
    assert_true(u.s->trace.valid);
    assert_true(u.s->trace.seq > seq);
    assert_copy_is_whole(&u, "step-through");
    assert_int_equal(u.s->epoch, 0);
    assert_true(ui_worker_step_epoch(u.w));
    wait_for(&u, paused_at_epoch_1, NULL, "the end of the epoch");
    assert_copy_is_whole(&u, "step epoch");

    nn_preset iris = preset_with("iris", "training.epochs", "2", NULL);
    assert_true(ui_worker_load(u.w, &iris));
    wait_new_run(&u, UI_RUN_READY);
    assert_int_equal(u.s->info.n_features, 4);
    assert_copy_is_whole(&u, "load iris");
    notice = u.s->notice_seq;
    assert_true(ui_worker_view_features(u.w, 2, 3));
    deadline = now_s() + WAIT_S;
    while (u.s->boundary.kind != UI_VIEW_BOUNDARY && now_s() < deadline) {
        refresh(&u);
        sleep_us(500);
    }
    assert_int_equal(u.s->boundary.kind, UI_VIEW_BOUNDARY);
    assert_copy_is_whole(&u, "view features");

    assert_true(ui_worker_race(u.w, &p, "sgd,adam"));
    wait_for(&u, state_in_race, &(ui_run_state){UI_RUN_READY}, "the race");
    assert_copy_is_whole(&u, "race ready");
    assert_true(ui_worker_start(u.w));
    wait_for(&u, state_in_race, &(ui_run_state){UI_RUN_DONE}, "the race's end");
    assert_copy_is_whole(&u, "race done");
    close_ui(&u);
}

/* A buffer that held another worker's snapshot gets a whole copy when seq starts again from 0: the
 * same preset with another seed publishes the same sequence, so the two workers' sections carry the
 * same seqs over different numbers (weights, data points, grid). */
static void a_reused_buffer_with_seq_0_gets_every_section(void **state)
{
    (void)state;
    nn_preset one = preset_with("xor", "seed", "1", NULL), two = preset_with("xor", "seed", "2", NULL);
    ui_side u = open_ui(&one);
    wait_state(&u, UI_RUN_READY);
    assert_int_equal(u.s->seed, 1);
    uint64_t first[S_COUNT];
    section_seqs(u.s, first);
    ui_worker_destroy(u.w);
    nn_error err;
    u.w = ui_worker_create(&two, 1, -1, &err);
    assert_non_null(u.w);
    /* wait for READY in another buffer, so u.s's first copy from this worker is at the same seqs */
    ui_side probe = {u.w, calloc(1, sizeof(ui_snapshot)), 0};
    assert_non_null(probe.s);
    wait_state(&probe, UI_RUN_READY);
    free(probe.s);
    u.seq = 0;
    refresh(&u);
    assert_int_equal(u.s->seed, 2);
    uint64_t second[S_COUNT];
    section_seqs(u.s, second);
    assert_memory_equal(first, second, sizeof first);   /* what makes the test bite */
    assert_copy_is_whole(&u, "second worker");
    close_ui(&u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_notice_alone_moves_no_section, watchdog, watchdog_off),
        cmocka_unit_test_setup_teardown(an_epoch_moves_the_sections_it_changes_and_no_other, watchdog,
                                        watchdog_off),
        cmocka_unit_test_setup_teardown(the_copy_kept_by_sections_always_equals_a_full_copy, watchdog,
                                        watchdog_off),
        cmocka_unit_test_setup_teardown(a_reused_buffer_with_seq_0_gets_every_section, watchdog, watchdog_off),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
