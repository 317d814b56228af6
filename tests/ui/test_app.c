/* The app's state built by hand (no terminal, no worker): live-change markers and the ghost of the
 * previous run on the Loss panel, the slot's title strip, the default view of a preset, the keys of
 * the Network, Step, Race and Lesson views through their intents (ui_app_panel_key, ui_app_act),
 * and the README's key table. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ui_app app;
static ui_grid g;

static int setup(void **state)
{
    (void)state;
    ui_views_free(&app.slot.views);
    free(app.hist);
    free(app.series);
    ui_app_init(&app);
    ui_theme_init(&app.th, UI_COLOR_256, true);
    app.hist_cap = 10;
    app.hist = calloc((size_t)app.hist_cap, sizeof *app.hist);
    app.series = calloc(3 * (size_t)app.hist_cap, sizeof *app.series);
    if (!app.hist || !app.series)
        return -1;
    return ui_grid_init(&g, 100, 30) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ui_grid_free(&g);
    return 0;
}

static bool row_has(int y, const char *needle)
{
    char row[2048];
    ui_grid_row_text(&g, y, 0, g.w, row, sizeof row);
    return strstr(row, needle) != NULL;
}

/* The Loss panel drawn into r of g. */
static void loss_draw(ui_rect r)
{
    ui_model m = ui_app_model(&app);
    ui_panel_draw(app.panel[UI_P_LOSS], &g, r, &m);
}

static void history(int n, const double *train)
{
    app.hist_len = n;
    for (int i = 0; i < n; i++) {
        app.hist[i].epoch = i + 1;
        app.hist[i].train_loss = train[i];
        app.hist[i].val_loss = (double)NAN;
        app.hist[i].test_loss = (double)NAN;
        app.series[i] = train[i];
        app.series[app.hist_cap + i] = (double)NAN;
        app.series[2 * app.hist_cap + i] = (double)NAN;
    }
}

static void test_loss_chart_marks_live_changes(void **state)
{
    (void)state;
    const double tl[4] = {1.0, 0.8, 0.6, 0.5};
    history(4, tl);
    app.snap.epochs = 10;
    app.snap.n_batches = 10;
    app.snap.events.n = 1;
    app.snap.events.list[0].epoch = 2;
    app.snap.events.list[0].batch = 5;
    snprintf(app.snap.events.list[0].what, UI_EVENT_LEN, "lr 0.1 -> 0.2");
    ui_grid_clear(&g, ui_st(&app.th, UI_R_TEXT));
    loss_draw(ui_rect_make(0, 0, 60, 12));
    /* the plot starts at column 8, the x axis is on row 9: epoch 2.5 of 10 is dot 17 of 104 */
    const ui_cell *m = ui_grid_cat(&g, 16, 9);
    assert_true(row_has(11, "\xe2\x96\xb2 lr 0.1 -> 0.2 (epoc\xe2\x80\xa6"));   /* cut at the panel's edge, with an ellipsis */
    assert_int_equal(ui_grid_cat(&g, 60, 11)->ch, ' ');
    assert_int_equal(m->ch, 0x25B2);
    assert_int_equal(m->fg, ui_st(&app.th, UI_R_WARN).fg);
    assert_int_equal(ui_grid_cat(&g, 15, 9)->ch, 0x2500);
    assert_int_equal(ui_grid_cat(&g, 17, 9)->ch, 0x2500);
    ui_grid_clear(&g, ui_st(&app.th, UI_R_TEXT));
    loss_draw(ui_rect_make(0, 0, 80, 12));
    assert_true(row_has(11, "\xe2\x96\xb2 lr 0.1 -> 0.2 (epoch 3, batch 5)"));
    app.snap.events.list[0].batch = 0;   /* between epochs */
    ui_grid_clear(&g, ui_st(&app.th, UI_R_TEXT));
    loss_draw(ui_rect_make(0, 0, 80, 12));
    assert_true(row_has(11, "\xe2\x96\xb2 lr 0.1 -> 0.2 (after epoch 2)"));

    /* no events: no marker, the lr in the accuracy line instead */
    app.snap.events.n = 0;
    ui_grid_clear(&g, ui_st(&app.th, UI_R_TEXT));
    loss_draw(ui_rect_make(0, 0, 60, 12));
    assert_int_equal(ui_grid_cat(&g, 16, 9)->ch, 0x2500);
    assert_false(row_has(11, "lr 0.1 -> 0.2"));

    /* accuracy as a percent with one decimal, rounded as the Compare view and the status bar do
     * (0.9625 read 0.963 here and 96.2% there) */
    app.snap.info.task = NN_TASK_CLASSIFICATION;
    app.hist[3].train_acc = 0.8476;
    app.hist[3].val_acc = (double)NAN;
    app.hist[3].test_acc = 0.9625;
    app.hist[3].lr = 0.03;
    ui_grid_clear(&g, ui_st(&app.th, UI_R_TEXT));
    loss_draw(ui_rect_make(0, 0, 60, 12));
    assert_true(row_has(11, "acc  train 84.8%  val -  test 96.2%   lr 0.03"));
    ui_grid_clear(&g, ui_st(&app.th, UI_R_TEXT));
    loss_draw(ui_rect_make(0, 0, 44, 12));   /* the 80x24 Loss panel: no lr, every figure whole */
    assert_true(row_has(11, "acc  train 84.8%  val -  test 96.2% "));
}

/* A new run keeps the last one's curves as the ghost when it is of the same preset (reset, new
 * weights, a changed setting), and drops them when another preset was opened (issue 14: XOR's "prev"
 * curve showed over moons after l). */
static void test_the_ghost_stays_within_a_preset(void **state)
{
    (void)state;
    const double old[6] = {2.0, 1.5, 1.2, 1.0, 0.9, 0.85};
    snprintf(app.loaded.name, sizeof app.loaded.name, "XOR");
    app.snap.run = 1;
    ui_app_new_run(&app);
    assert_int_equal(app.slot.views.ghost_len, 0);
    history(6, old);
    app.snap.run = 2;   /* r: the same preset again */
    ui_app_new_run(&app);
    assert_int_equal(app.slot.views.ghost_len, 6);
    assert_int_equal(app.hist_len, 0);
    history(6, old);
    snprintf(app.loaded.name, sizeof app.loaded.name, "Two moons");   /* l moons */
    app.snap.run = 3;
    ui_app_new_run(&app);
    assert_int_equal(app.slot.views.ghost_len, 0);
    ui_grid_clear(&g, ui_st(&app.th, UI_R_TEXT));
    loss_draw(ui_rect_make(0, 0, 60, 12));
    assert_false(row_has(0, "prev"));
    history(4, old);
    app.snap.run = 4;   /* and moons again: its own ghost */
    ui_app_new_run(&app);
    assert_int_equal(app.slot.views.ghost_len, 4);
    ui_views_free(&app.slot.views);
}

static void test_the_previous_run_stays_as_a_ghost(void **state)
{
    (void)state;
    const double old[6] = {2.0, 1.5, 1.2, 1.0, 0.9, 0.85};
    history(6, old);
    ui_views_keep_ghost(&app.slot.views, app.hist, app.hist_len);
    assert_int_equal(app.slot.views.ghost_len, 6);
    assert_false(app.slot.views.ghost_val);          /* no val loss: the ghost is the train curve */
    const double now[2] = {2.0, 1.0};
    history(2, now);
    app.snap.epochs = 6;
    ui_grid_clear(&g, ui_st(&app.th, UI_R_TEXT));
    loss_draw(ui_rect_make(0, 0, 60, 12));
    assert_true(row_has(0, "prev 0.85"));
    assert_true(row_has(0, "train 1"));
    /* the ghost's tail (epochs 3..6) is drawn in the dim colour, right of the current run */
    int dim = 0;
    for (int y = 1; y < 9; y++)
        for (int x = 30; x < 60; x++) {
            const ui_cell *c = ui_grid_cat(&g, x, y);
            if ((c->ch & 0xFF00) == 0x2800 && c->fg == ui_st(&app.th, UI_R_DIM).fg)
                dim++;
        }
    assert_true(dim > 0);
    /* with a val curve both are kept, and the legend names the val one */
    for (int i = 0; i < 6; i++)
        app.hist[i].val_loss = 1.5;
    history(2, now);
    for (int i = 0; i < 6; i++)
        app.hist[i].val_loss = 1.5;
    ui_views_keep_ghost(&app.slot.views, app.hist, 6);
    assert_true(app.slot.views.ghost_val);
    ui_grid_clear(&g, ui_st(&app.th, UI_R_TEXT));
    loss_draw(ui_rect_make(0, 0, 70, 12));
    assert_true(row_has(0, "\xe2\x94\x81 prev val 1.5 \xe2\x94\x81 train"));
    char row[1024];
    ui_grid_row_text(&g, 0, 0, 70, row, sizeof row);
    assert_null(strstr(strstr(row, "prev") + 4, "prev"));   /* one legend entry for the ghost */
    ui_views_free(&app.slot.views);
    assert_int_equal(app.slot.views.ghost_len, 0);

    /* during a race the Loss panel shows the race */
    app.snap.race.on = true;
    app.snap.race.n = 1;
    app.snap.state = UI_RUN_READY;
    snprintf(app.snap.race.entries[0].name, 32, "adam");
    app.snap.race.entries[0].final_test_acc = (double)NAN;
    app.snap.race.entries[0].test_acc = (double)NAN;
    ui_grid_clear(&g, ui_st(&app.th, UI_R_TEXT));
    loss_draw(ui_rect_make(0, 0, 70, 12));
    assert_true(row_has(0, "\xe2\x94\x81 adam"));   /* the compact legend, even at 70 columns */
    assert_false(row_has(0, "optimizer"));
}

static void test_slot_title_strip_and_default_view(void **state)
{
    (void)state;
    app.slot.view = UI_V_HEALTH;
    ui_grid_clear(&g, ui_st(&app.th, UI_R_TEXT));
    ui_rect fr = ui_rect_make(0, 0, 96, 10);
    ui_grid_box(&g, fr, "8 Health", ui_st(&app.th, UI_R_BORDER), ui_st(&app.th, UI_R_TITLE), false);
    ui_view_tabs(&g, fr, app.slot.view, &app.th, ui_st(&app.th, UI_R_BORDER));
    assert_true(row_has(0, "8 Health \xe2\x94\x80 5 Conf 6 Bound n Neur 7 Net p Samp 9 Step 0 Race c Cmp i Lesson "));
    /* a click on a tab picks its view */
    assert_int_equal(ui_view_tab_at(app.slot.view, fr, 12), -1);
    assert_int_equal(ui_view_tab_at(app.slot.view, fr, 13), UI_V_CONFUSION);
    assert_int_equal(ui_view_tab_at(app.slot.view, fr, 19), UI_V_CONFUSION);
    assert_int_equal(ui_view_tab_at(app.slot.view, fr, 20), UI_V_BOUNDARY);
    assert_int_equal(ui_view_tab_at(app.slot.view, fr, 28), UI_V_NEURONS);
    assert_int_equal(ui_view_tab_at(app.slot.view, fr, 41), UI_V_SAMPLES);
    assert_int_equal(ui_view_tab_at(app.slot.view, fr, 48), UI_V_STEP);
    assert_int_equal(ui_view_tab_at(app.slot.view, fr, 67), UI_V_COMPARE);
    assert_int_equal(ui_view_tab_at(app.slot.view, fr, 73), UI_V_LESSON);
    assert_int_equal(ui_view_tab_at(app.slot.view, fr, 81), -1);
    /* narrower: the first tabs that fit, then "v: views" so a student knows there are more (on the
     * screen's top row also room for the experiment's name at the right) */
    fr.w = 82;
    ui_grid_clear(&g, ui_st(&app.th, UI_R_TEXT));
    ui_grid_box(&g, fr, "8 Health", ui_st(&app.th, UI_R_BORDER), ui_st(&app.th, UI_R_TITLE), false);
    ui_view_tabs(&g, fr, app.slot.view, &app.th, ui_st(&app.th, UI_R_BORDER));
    assert_true(row_has(0, "8 Health \xe2\x94\x80 5 Conf 6 Bound n Neur 7 Net p Samp 9 Step v: views \xe2\x94\x80"));
    assert_int_equal(ui_view_tab_at(app.slot.view, fr, 54), UI_V_STEP);
    assert_int_equal(ui_view_tab_at(app.slot.view, fr, 56), -1);   /* the hint is no tab */
    for (int x = 64; x < 81; x++)
        assert_int_equal(ui_grid_cat(&g, x, 0)->ch, 0x2500);
    /* lower down (the 120x40 layout) the name is not on this border: the strip takes the width */
    fr.y = 3;
    ui_grid_clear(&g, ui_st(&app.th, UI_R_TEXT));
    ui_grid_box(&g, fr, "8 Health", ui_st(&app.th, UI_R_BORDER), ui_st(&app.th, UI_R_TITLE), false);
    ui_view_tabs(&g, fr, app.slot.view, &app.th, ui_st(&app.th, UI_R_BORDER));
    assert_true(row_has(3, "8 Health \xe2\x94\x80 5 Conf 6 Bound n Neur 7 Net p Samp 9 Step 0 Race c Cmp i Lesson \xe2\x94\x80"));
    assert_int_equal(ui_view_tab_at(app.slot.view, fr, 70), UI_V_LESSON);
    app.slot.view = UI_V_CONFUSION;
    ui_grid_clear(&g, ui_st(&app.th, UI_R_TEXT));
    ui_grid_box(&g, fr, "5 Confusion", ui_st(&app.th, UI_R_BORDER), ui_st(&app.th, UI_R_TITLE), false);
    ui_view_tabs(&g, fr, app.slot.view, &app.th, ui_st(&app.th, UI_R_BORDER));
    assert_true(row_has(3, "5 Confusion \xe2\x94\x80 6 Bound n Neur 7 Net p Samp 8 Health 9 Step 0 Race v: views \xe2\x94\x80"));
    app.slot.view = UI_V_HEALTH;
    fr.y = 0;
    fr.w = 46;
    ui_grid_clear(&g, ui_st(&app.th, UI_R_TEXT));
    ui_grid_box(&g, fr, "8 Health", ui_st(&app.th, UI_R_BORDER), ui_st(&app.th, UI_R_TITLE), false);
    ui_view_tabs(&g, fr, app.slot.view, &app.th, ui_st(&app.th, UI_R_BORDER));
    assert_true(row_has(0, "8 Health \xe2\x94\x80 v: views "));
    assert_int_equal(ui_view_tab_at(app.slot.view, fr, 13), -1);
    assert_int_equal(ui_grid_cat(&g, 45, 0)->ch, 0x256E);   /* the corner survives */

    nn_error err;
    assert_int_equal(nn_preset_load(&app.draft, "iris", NULL, &err), NN_OK);
    app.snap.boundary.kind = UI_VIEW_NONE;
    assert_int_equal(ui_view_default(&app.draft, &app.snap), UI_V_CONFUSION);
    app.snap.boundary.kind = UI_VIEW_BOUNDARY;
    assert_int_equal(ui_view_default(&app.draft, &app.snap), UI_V_BOUNDARY);
    assert_int_equal(nn_preset_load(&app.draft, "lesson-overfitting", NULL, &err), NN_OK);
    assert_int_equal(ui_view_default(&app.draft, &app.snap), UI_V_LESSON);
    /* the second view from 200 columns: the pair of the first, never the same */
    app.snap.boundary.kind = UI_VIEW_BOUNDARY;
    app.snap.samples.valid = false;
    assert_int_equal(ui_view_pair(UI_V_BOUNDARY, &app.snap), UI_V_NEURONS);
    assert_int_equal(ui_view_pair(UI_V_NEURONS, &app.snap), UI_V_BOUNDARY);
    assert_int_equal(ui_view_pair(UI_V_LESSON, &app.snap), UI_V_BOUNDARY);
    assert_int_equal(ui_view_pair(UI_V_CONFUSION, &app.snap), UI_V_BOUNDARY);
    app.snap.boundary.kind = UI_VIEW_CURVE;   /* 1-D regression: the Fit is the Boundary's curve */
    assert_int_equal(ui_view_pair(UI_V_BOUNDARY, &app.snap), UI_V_HEALTH);
    assert_int_equal(ui_view_pair(UI_V_CONFUSION, &app.snap), UI_V_HEALTH);
    assert_int_equal(ui_view_pair(UI_V_HEALTH, &app.snap), UI_V_CONFUSION);
    app.snap.boundary.kind = UI_VIEW_NONE;    /* images */
    app.snap.samples.valid = true;
    assert_int_equal(ui_view_pair(UI_V_CONFUSION, &app.snap), UI_V_SAMPLES);
    assert_int_equal(ui_view_pair(UI_V_SAMPLES, &app.snap), UI_V_CONFUSION);
    assert_int_equal(ui_view_pair(UI_V_LESSON, &app.snap), UI_V_CONFUSION);
    for (int v = 0; v < UI_V_COUNT; v++)
        assert_int_not_equal(ui_view_pair(v, &app.snap), v);
    app.snap.samples.valid = false;
    /* ui.view: the view it names, every one of them, lesson or not */
    static const struct { const char *name; int view; } named[] = {
        {"confusion", UI_V_CONFUSION}, {"boundary", UI_V_BOUNDARY}, {"neurons", UI_V_NEURONS},
        {"network", UI_V_NETWORK}, {"samples", UI_V_SAMPLES}, {"health", UI_V_HEALTH}, {"step", UI_V_STEP},
        {"race", UI_V_RACE}, {"lesson", UI_V_LESSON}, {"compare", UI_V_COMPARE}};
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        char v[32];
        snprintf(v, sizeof v, "\"%s\"", named[i].name);
        assert_int_equal(nn_preset_set(&app.draft, "ui.view", v, &err), NN_OK);
        assert_int_equal(ui_view_default(&app.draft, &app.snap), named[i].view);
    }
    assert_int_equal(nn_preset_load(&app.draft, "lesson-features", NULL, &err), NN_OK);
    assert_int_equal(ui_view_default(&app.draft, &app.snap), UI_V_NEURONS);
    assert_int_equal(nn_preset_set(&app.draft, "ui.view", "\"auto\"", &err), NN_OK);
    assert_int_equal(ui_view_default(&app.draft, &app.snap), UI_V_LESSON);
    assert_int_not_equal(nn_preset_set(&app.draft, "ui.view", "\"weights\"", &err), NN_OK);
}

static void press(ui_action act)
{
    ui_cmd c = {act, 0};
    ui_app_panel_key(&app, UI_P_CONFUSION, c);
}

static void test_network_and_step_selection_stay_in_range(void **state)
{
    (void)state;
    ui_snapshot *s = &app.snap;
    s->net.valid = true;
    s->info.n_layers = 2;
    s->info.layers[0] = (ui_layer_info){2, 3, NN_ACT_RELU};
    s->info.layers[1] = (ui_layer_info){3, 2, NN_ACT_SOFTMAX};
    s->net.cols[0] = 3;
    s->net.cols[1] = 2;
    s->info.n_train = 5;
    s->state = UI_RUN_PAUSED;
    app.slot.view = UI_V_NETWORK;
    for (int i = 0; i < 5; i++)
        press(UI_ACT_RIGHT);
    assert_int_equal(app.slot.views.net_unit, 2);
    press(UI_ACT_DOWN);
    assert_int_equal(app.slot.views.net_layer, 1);
    assert_int_equal(app.slot.views.net_unit, 1);   /* the output layer has 2 neurons */
    press(UI_ACT_DOWN);
    assert_int_equal(app.slot.views.net_layer, 1);
    press(UI_ACT_UP);
    press(UI_ACT_HOME);
    assert_int_equal(app.slot.views.net_layer, 0);
    assert_int_equal(app.slot.views.net_unit, 0);

    /* step: no worker here, so the trace command is refused with a message, but the selection moves */
    app.slot.view = UI_V_STEP;
    press(UI_ACT_PREV_SAMPLE);
    assert_true(app.slot.views.step_on);
    assert_int_equal(app.slot.views.step_index, 0);
    for (int i = 0; i < 10; i++)
        press(UI_ACT_NEXT_SAMPLE);
    assert_int_equal(app.slot.views.step_index, 4);
    press(UI_ACT_UP);
    assert_int_equal(app.slot.views.step_i, NN_HEALTH_BIAS);
    press(UI_ACT_UP);
    assert_int_equal(app.slot.views.step_i, NN_HEALTH_BIAS);
    for (int i = 0; i < 5; i++)
        press(UI_ACT_DOWN);
    assert_int_equal(app.slot.views.step_i, 1);     /* layer 1 has 2 inputs */
    press(UI_ACT_PAGE_DOWN);
    assert_int_equal(app.slot.views.step_layer, 1);
    for (int i = 0; i < 5; i++)
        press(UI_ACT_RIGHT);
    assert_int_equal(app.slot.views.step_j, 1);     /* 2 outputs */
    assert_non_null(strstr(app.msg, "cannot queue the step-through"));
    /* during a race the step-through is refused */
    s->race.on = true;
    press(UI_ACT_NEXT_SAMPLE);
    assert_non_null(strstr(app.msg, "no step-through during a race"));
}

/* + and - act on the rate just set, not on the snapshot's, which lags until the worker publishes:
 * "++" typed as one burst doubled once. */
static void test_learning_rate_keys_count_every_press(void **state)
{
    (void)state;
    nn_error err;
    assert_int_equal(nn_preset_load(&app.draft, "xor", NULL, &err), NN_OK);
    app.snap.base_lr = app.draft.training.optimizer.lr;   /* 0.01; the snapshot is not refreshed here */
    ui_app_change_lr(&app, 2.0);   /* + */
    ui_app_change_lr(&app, 2.0);   /* + */
    assert_true(fabs(app.draft.training.optimizer.lr - 0.04) < 1e-12);
    ui_app_change_lr(&app, 0.5);   /* - */
    ui_app_change_lr(&app, 0.5);   /* - */
    ui_app_change_lr(&app, 0.5);   /* - */
    assert_true(fabs(app.draft.training.optimizer.lr - 0.005) < 1e-12);
}

/* s and S after DONE: the worker does not step a finished run; the status bar says what does go on
 * (they did nothing, silently). */
static void test_step_after_done_says_what_goes_on(void **state)
{
    (void)state;
    nn_error err;
    assert_int_equal(nn_preset_load(&app.draft, "xor", NULL, &err), NN_OK);
    app.snap.state = UI_RUN_DONE;
    app.msg[0] = '\0';
    ui_app_on_key(&app, 's');
    assert_non_null(strstr(app.msg, "the run is done: Space trains on (another 60 epochs)"));
    app.msg[0] = '\0';
    ui_app_on_key(&app, 'S');
    assert_non_null(strstr(app.msg, "the run is done"));
}

/* q while paused: quitting ends the run, and the question says whether its record is kept (the
 * trainer records runs that trained an epoch: README "Run records"); it said the run was lost. */
static void test_quit_question_says_what_is_kept(void **state)
{
    (void)state;
    app.snap.state = UI_RUN_PAUSED;
    app.snap.epoch = 3;
    app.recording = true;
    ui_app_on_key(&app, 'q');
    assert_int_equal(app.mode, UI_MODE_CONFIRM);
    assert_string_equal(app.confirm_text, "Training is paused; quitting ends the run (record kept). Quit nnterm?");
    assert_true(strlen(app.confirm_text) + 6 <= 80);   /* the dialog fits 80 columns */
    ui_app_on_key(&app, 'n');
    assert_int_equal(app.mode, UI_MODE_NORMAL);
    app.recording = false;   /* NNTERM_RUNS=off, --no-record */
    ui_app_on_key(&app, 'q');
    assert_string_equal(app.confirm_text, "Training is paused; quitting ends the run (not recorded). Quit nnterm?");
    ui_app_on_key(&app, 'n');
    app.recording = true;
    app.snap.epoch = 0;   /* paused within the first epoch: a run of 0 epochs leaves no record */
    ui_app_on_key(&app, 'q');
    assert_non_null(strstr(app.confirm_text, "(not recorded)"));
    ui_app_on_key(&app, 'n');
    assert_false(app.quit);
}

/* r then Space before the worker publishes: the UI reads READY at once, so Space starts the new run
 * and does not say "training on ... from the current weights" (the finished run's continue). */
static void test_space_right_after_reset_starts(void **state)
{
    (void)state;
    nn_error err;
    assert_int_equal(nn_preset_load(&app.draft, "xor", NULL, &err), NN_OK);
    app.snap.state = UI_RUN_DONE;
    ui_app_reset_sent(&app);
    assert_int_equal(app.snap.state, UI_RUN_READY);
    app.msg[0] = '\0';
    ui_app_on_key(&app, ' ');
    assert_null(strstr(app.msg, "training on"));
}

static void test_race_key_asks_once_training_has_begun(void **state)
{
    (void)state;
    nn_error err;
    assert_int_equal(nn_preset_load(&app.draft, "xor", NULL, &err), NN_OK);
    app.slot.view = UI_V_RACE;
    app.snap.state = UI_RUN_READY;
    press(UI_ACT_EDIT);                       /* not begun: straight to the worker (none here) */
    assert_int_equal(app.mode, UI_MODE_NORMAL);
    assert_non_null(strstr(app.msg, "cannot queue the race"));
    app.snap.state = UI_RUN_PAUSED;
    app.snap.epoch = 3;
    press(UI_ACT_EDIT);
    assert_int_equal(app.mode, UI_MODE_CONFIRM);
    assert_int_equal(app.confirm, UI_CONFIRM_RACE);
    assert_non_null(strstr(app.confirm_text, "Race every optimizer"));
    /* a lesson that locks the optimizer has no race */
    app.mode = UI_MODE_NORMAL;
    app.confirm = UI_CONFIRM_NONE;
    assert_int_equal(nn_preset_load(&app.draft, "lesson-learning-rate", NULL, &err), NN_OK);
    press(UI_ACT_EDIT);
    assert_int_equal(app.mode, UI_MODE_NORMAL);
    assert_non_null(strstr(app.msg, "training.optimizer.name is locked by this lesson"));
}

static void test_lesson_scrolls_within_its_text(void **state)
{
    (void)state;
    nn_error err;
    assert_int_equal(nn_preset_load(&app.draft, "lesson-overfitting", NULL, &err), NN_OK);
    app.slot.view = UI_V_LESSON;
    app.lay.panel[UI_P_CONFUSION] = ui_rect_make(0, 0, 60, 20);
    for (int i = 0; i < 200; i++)
        press(UI_ACT_DOWN);
    int total = ui_lesson_lines(&app.draft, 57);
    int rows = 20 - 2 - 1 - 2 - 1;   /* the frame, the title, the locked keys, the line saying more */
    assert_int_equal(app.slot.views.lesson_scroll, total - rows);
    press(UI_ACT_UP);
    assert_int_equal(app.slot.views.lesson_scroll, total - rows - 1);
    press(UI_ACT_HOME);
    assert_int_equal(app.slot.views.lesson_scroll, 0);
    press(UI_ACT_UP);
    assert_int_equal(app.slot.views.lesson_scroll, 0);
}

/* The lines of the Lesson view's text at scroll (the slot of app.lay, as the frame draws it) into
 * lines[]: how many. */
static int lesson_page(char lines[][256], int max)
{
    ui_rect fr = app.lay.panel[UI_P_CONFUSION];
    ui_rect c = ui_rect_make(fr.x + 1, fr.y + 1, fr.w - 2, fr.h - 2);
    ui_grid pg;
    assert_true(ui_grid_init(&pg, fr.x + fr.w, fr.y + fr.h));
    ui_grid_clear(&pg, ui_st(&app.th, UI_R_TEXT));
    ui_lesson_panel(&pg, c, &app.draft, &app.slot.views, &app.th, true);
    /* the text's rows: under the title, above the line saying more (every lesson here scrolls) and the
     * locked keys */
    int lockrows = app.draft.lesson.n_locked > 0 ? 2 : 0, n = 0;
    for (int y = c.y + 1; y < c.y + c.h - lockrows - 1 && n < max; y++, n++) {
        ui_grid_row_text(&pg, y, c.x, c.w - 1, lines[n], 256);
        for (size_t k = strlen(lines[n]); k > 0 && lines[n][k - 1] == ' '; k--)
            lines[n][k - 1] = 0;
    }
    ui_grid_free(&pg);
    return n;
}

/* PgDn pages by what shows, at 80x24 and 100x30 (issue 13: it skipped "Press start and watch the two
 * loss curves", then "Now set regularization.method to l2"): PgDn after PgDn shows every line of the
 * text once, in order, as Down after Down does; PgUp comes back the same way. */
static void test_lesson_page_down_skips_no_line(void **state)
{
    (void)state;
    static const char *const presets[] = {"lesson-overfitting", "lesson-learning-rate", "spiral", "xor"};
    static const int sizes[][2] = {{80, 24}, {100, 30}};
    static char all[400][256], page[200][256];
    for (size_t pi = 0; pi < sizeof presets / sizeof presets[0]; pi++) {
        for (int si = 0; si < 2; si++) {
            nn_error err;
            assert_int_equal(nn_preset_load(&app.draft, presets[pi], NULL, &err), NN_OK);
            app.slot.view = UI_V_LESSON;
            ui_layout_compute(&app.lay, sizes[si][0], sizes[si][1], UI_P_HPARAMS, UI_P_HPARAMS, false, NULL);
            /* every line of the text, from Down pressed one line at a time */
            app.slot.views.lesson_scroll = 0;
            int n_all = 0, shown = lesson_page(page, 200);
            assert_true(shown >= 3);
            for (int i = 0; i < shown; i++)
                memcpy(all[n_all++], page[i], 256);
            for (int k = 0; k < 300; k++) {
                int before = app.slot.views.lesson_scroll;
                press(UI_ACT_DOWN);
                if (app.slot.views.lesson_scroll == before)
                    break;
                lesson_page(page, 200);
                memcpy(all[n_all++], page[shown - 1], 256);
            }
            /* the same lines, page by page */
            press(UI_ACT_HOME);
            int seen = 0;
            for (int k = 0; k < 100 && seen < n_all; k++) {
                int top = app.slot.views.lesson_scroll, got = lesson_page(page, 200);
                assert_int_equal(got, shown);
                assert_true(top <= seen);   /* no line skipped: the page starts at or before the next unseen */
                for (int i = 0; i < got; i++)
                    assert_string_equal(page[i], all[top + i]);
                seen = top + got;
                press(UI_ACT_PAGE_DOWN);
            }
            assert_int_equal(seen, n_all);
            press(UI_ACT_PAGE_UP);
            assert_int_equal(app.slot.views.lesson_scroll, n_all - 2 * shown > 0 ? n_all - 2 * shown : 0);
        }
    }
}

/* The README's key table is the key table, row for row (what the help overlay shows). */
static void test_readme_lists_every_key_binding(void **state)
{
    (void)state;
    const char *root = getenv("NN_SOURCE_ROOT");
    if (!root)
        skip();
    char path[1024];
    snprintf(path, sizeof path, "%s/README.md", root);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char text[1 << 20];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = 0;
    for (int i = 0; i < ui_keytab_len; i++) {
        char row[256];
        snprintf(row, sizeof row, "| `%s` | %s |\n", ui_keytab[i].label, ui_keytab[i].help);
        if (!strstr(text, row))
            fail_msg("README.md lacks the key row: %s", row);
    }
}

/* Editing a number offers it selected, so typing replaces it; a name is typed after. */
static void test_an_edit_offers_a_number_selected(void **state)
{
    (void)state;
    nn_error err;
    assert_int_equal(nn_preset_load(&app.draft, "xor", NULL, &err), NN_OK);
    ui_app_begin_edit(&app, UI_EDIT_ITEM, "training.optimizer.learning_rate", "0.01");
    ui_app_edit_key(&app, (ui_cmd){UI_ACT_TEXT_INSERT, '0'});
    ui_app_edit_key(&app, (ui_cmd){UI_ACT_TEXT_INSERT, '.'});
    ui_app_edit_key(&app, (ui_cmd){UI_ACT_TEXT_INSERT, '1'});
    assert_string_equal(app.edit.field.buf, "0.1");
    ui_app_begin_edit(&app, UI_EDIT_ITEM, "name", "XOR");
    ui_app_edit_key(&app, (ui_cmd){UI_ACT_TEXT_INSERT, '2'});
    assert_string_equal(app.edit.field.buf, "XOR2");
    app.mode = UI_MODE_NORMAL;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_loss_chart_marks_live_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_the_ghost_stays_within_a_preset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_the_previous_run_stays_as_a_ghost, setup, teardown),
        cmocka_unit_test_setup_teardown(test_slot_title_strip_and_default_view, setup, teardown),
        cmocka_unit_test_setup_teardown(test_network_and_step_selection_stay_in_range, setup, teardown),
        cmocka_unit_test_setup_teardown(test_learning_rate_keys_count_every_press, setup, teardown),
        cmocka_unit_test_setup_teardown(test_step_after_done_says_what_goes_on, setup, teardown),
        cmocka_unit_test_setup_teardown(test_space_right_after_reset_starts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quit_question_says_what_is_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_race_key_asks_once_training_has_begun, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lesson_scrolls_within_its_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lesson_page_down_skips_no_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_an_edit_offers_a_number_selected, setup, teardown),
        cmocka_unit_test(test_readme_lists_every_key_binding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
