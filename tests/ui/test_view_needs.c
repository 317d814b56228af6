/* Each view reads only the snapshot sections its definition names (ui_view_def.needs, besides the
 * status part): drawn from a real worker's snapshot (iris after 3 epochs with a step-through and a
 * live change, sine, a race), then with every other section zeroed, each view draws the same cells;
 * and zeroing the sections it names does change what it draws (the names are not decoration). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "panel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WAIT_S 60.0

static const struct {
    unsigned bit;
    size_t off, size;
    const char *name;
} sections[] = {
#define SECTION(bit, f) {bit, offsetof(ui_snapshot, f), sizeof(((ui_snapshot *)0)->f), #f}
    SECTION(UI_NEED_INFO, info),     SECTION(UI_NEED_EVAL, eval),     SECTION(UI_NEED_BOUNDARY, boundary),
    SECTION(UI_NEED_FIT, fit),       SECTION(UI_NEED_HEALTH, health), SECTION(UI_NEED_TRACE, trace),
    SECTION(UI_NEED_EVENTS, events), SECTION(UI_NEED_RACE, race),     SECTION(UI_NEED_NET, net),
    SECTION(UI_NEED_UNITS, units), SECTION(UI_NEED_SAMPLES, samples),
    SECTION(UI_NEED_PICTURE, picture),
#undef SECTION
};
#define N_SECTIONS (sizeof sections / sizeof sections[0])

static ui_snapshot full, part;   /* large: static */
static nn_preset preset;
static ui_theme th;
static ui_grid ga, gb;
static ui_pins pins;   /* one pinned run, so the Compare view draws its table and maps */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

typedef bool (*pred)(const ui_snapshot *s);

/* The worker's snapshot in full, once pred holds. */
static void wait_until(ui_worker *w, pred p, const char *what)
{
    uint64_t seq = 0;
    double end = now_s() + WAIT_S;
    for (;;) {
        ui_worker_snapshot(w, &full, &seq);
        if (p(&full))
            return;
        if (now_s() > end)
            fail_msg("waited for %s; state %s, epoch %d", what, ui_run_state_word(full.state), full.epoch);
        sleep_ms(2);
    }
}

static bool ready(const ui_snapshot *s) { return s->state == UI_RUN_READY; }
static bool iris_done(const ui_snapshot *s)
{
    return s->state == UI_RUN_PAUSED && s->epoch == 3 && s->trace.valid && s->boundary.kind == UI_VIEW_BOUNDARY &&
           s->boundary.epoch == 3 && s->net.valid && s->health.valid && s->events.n == 1 && s->eval.seq > 0 && s->units.valid &&
           s->units.epoch == 3;
}
static bool sine_done(const ui_snapshot *s)
{
    return s->state == UI_RUN_PAUSED && s->epoch == 3 && s->boundary.kind == UI_VIEW_CURVE && s->boundary.epoch == 3 &&
           s->fit.n > 0;
}
static bool race_ready(const ui_snapshot *s) { return s->race.on && s->state == UI_RUN_READY; }
static bool race_done(const ui_snapshot *s) { return s->race.on && s->state == UI_RUN_PAUSED && s->epoch >= 1; }

static int want_epoch;
static bool paused_at(const ui_snapshot *s) { return s->state == UI_RUN_PAUSED && s->epoch == want_epoch; }

/* One epoch (s), then the pause after it. */
static void step_to(ui_worker *w, int epoch)
{
    for (int i = 0; i < 1000 && !ui_worker_step_epoch(w); i++)
        sleep_ms(2);
    want_epoch = epoch;
    wait_until(w, paused_at, "the pause after an epoch");
}

static bool same(const ui_grid *a, const ui_grid *b)
{
    for (int i = 0; i < a->w * a->h; i++) {
        const ui_cell *x = &a->cells[i], *y = &b->cells[i];
        if (x->ch != y->ch || x->fg != y->fg || x->bg != y->bg || x->attr != y->attr || x->comb != y->comb)
            return false;
    }
    return true;
}

static void draw(ui_grid *g, int v, const ui_snapshot *s)
{
    ui_views views;
    memset(&views, 0, sizeof views);
    views.step_on = true;   /* the Step view shows the step-through */
    ui_layout lay;
    ui_layout_compute(&lay, 120, 40, UI_P_CONFUSION, UI_P_HPARAMS, false, NULL);
    ui_model m;
    memset(&m, 0, sizeof m);
    m.th = &th;
    m.draft = &preset;
    m.snap = s;
    m.views = &views;
    m.pins = &pins;
    m.lay = &lay;
    m.focus = UI_P_CONFUSION;
    ui_grid_clear(g, ui_st(&th, UI_R_TEXT));
    const ui_view_def *d = ui_view(v);
    if (d->prepare)
        d->prepare(&views, &m);
    d->draw(g, ui_rect_make(0, 0, g->w, g->h), &m);
}

/* part = full with the sections of mask zeroed. */
static void zero(unsigned mask)
{
    part = full;
    for (size_t i = 0; i < N_SECTIONS; i++)
        if (mask & sections[i].bit)
            memset((char *)&part + sections[i].off, 0, sections[i].size);
}

/* Every view on the current snapshot; changed[v] notes when zeroing its own sections changed it. */
static void check_views(const char *what, bool *changed)
{
    for (int v = 0; v < UI_V_COUNT; v++) {
        unsigned needs = ui_view(v)->needs, all = (1u << N_SECTIONS) - 1;
        draw(&ga, v, &full);
        zero(all & ~needs);
        draw(&gb, v, &part);
        if (!same(&ga, &gb))
            fail_msg("%s: the %s view reads a section its needs do not name", what, ui_view_title(v));
        if (needs) {
            zero(needs);
            draw(&gb, v, &part);
            changed[v] |= !same(&ga, &gb);
        }
    }
}

static void test_views_read_only_the_sections_they_name(void **state)
{
    (void)state;
    bool changed[UI_V_COUNT] = {false};
    nn_error err;
    assert_int_equal(nn_preset_load(&preset, "iris", NULL, &err), NN_OK);
    ui_worker *w = ui_worker_create(&preset, 1, -1, &err);
    assert_non_null(w);
    wait_until(w, ready, "iris READY");
    assert_true(ui_worker_view_features(w, 2, 3));
    assert_true(ui_worker_units(w, true, 0, 0));
    for (int e = 1; e <= 3; e++) {
        step_to(w, e);
        if (e == 1)
            assert_true(ui_worker_set_lr(w, 0.06));
    }
    assert_true(ui_worker_trace(w, 0, 0, 0, 0));
    wait_until(w, iris_done, "iris: 3 epochs, boundary, trace, health, net, one event");
    check_views("iris", changed);

    assert_true(ui_worker_race(w, &preset, "sgd,adam"));
    wait_until(w, race_ready, "a race");
    for (int i = 0; i < 1000 && !ui_worker_step_epoch(w); i++)
        sleep_ms(2);
    wait_until(w, race_done, "a race's first round");
    check_views("race", changed);

    assert_int_equal(nn_preset_load(&preset, "sine", NULL, &err), NN_OK);
    assert_true(ui_worker_load(w, &preset));
    wait_until(w, ready, "sine READY");
    for (int e = 1; e <= 3; e++)
        step_to(w, e);
    wait_until(w, sine_done, "sine: 3 epochs, curve, fit");
    check_views("sine", changed);
    ui_worker_destroy(w);

    for (int v = 0; v < UI_V_COUNT; v++)
        if (ui_view(v)->needs && !changed[v])
            fail_msg("the %s view draws the same without the sections it names", ui_view_title(v));
}

int main(void)
{
    ui_theme_init(&th, UI_COLOR_256, true);
    if (!ui_grid_init(&ga, 100, 30) || !ui_grid_init(&gb, 100, 30))
        return 1;
    ui_pins_init(&pins);
    nn_epoch_stats e = {1, 0.5, 0.6, 0.7, 0.8, 0.8, 0.8, 0, 0.01, 0, 0, 0};
    if (ui_pins_add(&pins, &preset, &e, 1, &part, NULL) != 1)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_views_read_only_the_sections_they_name),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    ui_grid_free(&ga);
    ui_grid_free(&gb);
    ui_pins_free(&pins);
    return rc;
}
