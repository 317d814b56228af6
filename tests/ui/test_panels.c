/* The panels drawn into a grid from a real preset (no terminal, no worker thread): field lists,
 * edits through the engine's validator, the architecture table and the status bar words. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app.h"

#include "optimizer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ui_app app;

static int setup(void **state)
{
    (void)state;
    ui_app_init(&app);
    nn_error err;
    if (nn_preset_load(&app.draft, "iris", NULL, &err) != NN_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    ui_theme_init(&app.th, UI_COLOR_256, true);
    app.snap.state = UI_RUN_READY;
    app.snap.epochs = 20;
    app.snap.info.n_features = 4;
    app.snap.info.n_layers = 2;
    app.snap.info.layers[0].in = 4; app.snap.info.layers[0].out = 40; app.snap.info.layers[0].act = NN_ACT_RELU;
    app.snap.info.layers[1].in = 40; app.snap.info.layers[1].out = 3; app.snap.info.layers[1].act = NN_ACT_SOFTMAX;
    app.snap.info.n_params = 323;
    return 0;
}

static int find(const ui_item *it, int n, const char *key)
{
    for (int i = 0; i < n; i++)
        if (strcmp(it[i].key, key) == 0)
            return i;
    return -1;
}

static bool grid_has(const ui_grid *g, const char *needle)
{
    char row[4096];
    for (int y = 0; y < g->h; y++) {
        ui_grid_row_text(g, y, 0, g->w, row, sizeof row);
        if (strstr(row, needle))
            return true;
    }
    return false;
}

static void test_hparams_list_only_the_parameters_of_the_chosen_optimizer(void **state)
{
    (void)state;
    ui_item it[UI_MAX_ITEMS];
    ui_model m = ui_app_model(&app);
    int n = ui_hparams_items(&m, it, UI_MAX_ITEMS);
    assert_true(find(it, n, "training.optimizer.learning_rate") >= 0);
    assert_true(find(it, n, "training.optimizer.momentum") >= 0);
    assert_int_equal(find(it, n, "training.optimizer.beta1"), -1);
    assert_true(find(it, n, "training.batch_size") >= 0);
    assert_true(find(it, n, "training.regularization.dropout") >= 0);
    assert_true(find(it, n, "dataset.split") >= 0);
    assert_true(find(it, n, "seed") >= 0);

    nn_preset p;
    nn_error err;
    assert_int_equal(ui_items_try(&app.draft, &p, "training.optimizer.name", "adam", &err), NN_OK);
    ui_app b = app;
    b.draft = p;
    m = ui_app_model(&b);
    n = ui_hparams_items(&m, it, UI_MAX_ITEMS);
    assert_true(find(it, n, "training.optimizer.beta1") >= 0);
    assert_int_equal(find(it, n, "training.optimizer.momentum"), -1);
}

static void test_edits_go_through_the_validator_and_leave_the_draft_alone_on_error(void **state)
{
    (void)state;
    nn_preset p;
    nn_error err;
    assert_int_not_equal(ui_items_try(&app.draft, &p, "training.batch_size", "0", &err), NN_OK);
    assert_non_null(strstr(err.msg, "batch_size"));
    assert_int_equal(ui_items_try(&app.draft, &p, "training.batch_size", "32", &err), NN_OK);
    assert_int_equal(p.training.batch_size, 32);
    assert_int_equal(app.draft.training.batch_size, 16);
}

static void test_split_is_edited_as_three_fractions(void **state)
{
    (void)state;
    nn_preset p;
    nn_error err;
    char v[64];
    ui_items_value(&app.draft, "dataset.split", v, sizeof v);
    assert_string_equal(v, "0.7/0.1/0.2");
    assert_int_equal(ui_items_try(&app.draft, &p, "dataset.split", "0.8/0.1/0.1", &err), NN_OK);
    ui_items_value(&p, "dataset.split", v, sizeof v);
    assert_string_equal(v, "0.8/0.1/0.1");
    assert_int_not_equal(ui_items_try(&app.draft, &p, "dataset.split", "0.8/0.3/0.1", &err), NN_OK);
    assert_int_not_equal(ui_items_try(&app.draft, &p, "dataset.split", "most", &err), NN_OK);
}

static void test_changing_the_source_to_regression_lets_the_loss_follow(void **state)
{
    (void)state;
    nn_preset p;
    nn_error err;
    assert_int_equal(ui_items_try(&app.draft, &p, "dataset.source", "sine", &err), NN_OK);
    char v[64];
    ui_items_value(&p, "dataset.source", v, sizeof v);
    assert_string_equal(v, "sine");
    ui_app b = app;
    b.draft = p;
    ui_item it[UI_MAX_ITEMS];
    ui_model m = ui_app_model(&b);
    int n = ui_dataset_items(&m, it, UI_MAX_ITEMS);
    assert_true(find(it, n, "dataset.samples") >= 0);
    assert_true(find(it, n, "dataset.noise") >= 0);
    m = ui_app_model(&app);
    n = ui_dataset_items(&m, it, UI_MAX_ITEMS);
    assert_int_equal(find(it, n, "dataset.samples"), -1);
}

static void test_a_csv_source_is_set_together_with_its_path(void **state)
{
    (void)state;
    nn_preset p;
    nn_error err;
    assert_int_not_equal(ui_items_try(&app.draft, &p, "dataset.source", "csv", &err), NN_OK);
    assert_non_null(strstr(err.msg, "csv PATH"));
    const char *root = getenv("NN_SOURCE_ROOT");
    char text[1200];
    snprintf(text, sizeof text, "csv %s/presets/wine.csv", root ? root : ".");
    assert_int_equal(ui_items_try(&app.draft, &p, "dataset.source", text, &err), NN_OK);
    char v[1100];
    ui_items_value(&p, "dataset.source", v, sizeof v);
    assert_string_equal(v, "csv");
    ui_items_value(&p, "dataset.path", v, sizeof v);
    assert_non_null(strstr(v, "wine.csv"));
    ui_items_value(&p, "dataset.split", v, sizeof v);
    assert_string_equal(v, "0.7/0.1/0.2");            /* the rest of the dataset is kept */
}

static void test_panels_draw_their_fields_and_the_status_bar_its_words(void **state)
{
    (void)state;
    ui_grid g;
    assert_true(ui_grid_init(&g, 80, 24));
    app.focus = UI_P_HPARAMS;
    ui_model m = ui_app_model(&app);
    ui_panel_draw(app.panel[UI_P_HPARAMS], &g, ui_rect_make(1, 1, 32, 20), &m);
    assert_true(grid_has(&g, "learning rate  0.03"));
    assert_true(grid_has(&g, "batch size     16"));
    ui_panel_draw(app.panel[UI_P_ARCH], &g, ui_rect_make(40, 1, 32, 10), &m);
    assert_true(grid_has(&g, "input 4 features, 323 params"));
    assert_true(grid_has(&g, "1 40    relu       he     normal"));
    assert_true(grid_has(&g, "2 3*    softmax"));   /* auto units: the dataset's 3, starred as an auto activation */
    ui_status_draw(&g, ui_rect_make(0, 23, 80, 1), &m);
    assert_true(grid_has(&g, " READY "));
    assert_true(grid_has(&g, "Epoch 0/20"));
    assert_true(grid_has(&g, "Space Start"));
    app.snap.state = UI_RUN_RUNNING;
    app.snap.epoch = 3;
    ui_status_draw(&g, ui_rect_make(0, 23, 80, 1), &m);
    assert_true(grid_has(&g, " RUNNING "));
    assert_true(grid_has(&g, "Epoch 3/20"));
    assert_true(grid_has(&g, "Space Pause"));
    app.snap.state = UI_RUN_READY;
    app.snap.epoch = 0;
    ui_grid_free(&g);
}

/* The panels answer keys with intents and leave the draft alone: only the app acts on them. */
static void test_list_panels_answer_keys_with_intents(void **state)
{
    (void)state;
    static ui_app b;
    b = app;
    ui_app_init(&b);
    b.draft = app.draft;
    b.snap = app.snap;
    b.focus = UI_P_HPARAMS;
    ui_model m = ui_app_model(&b);
    ui_intent in;
    ui_panel *hp = b.panel[UI_P_HPARAMS];
    ui_panel_key(hp, &m, (ui_cmd){UI_ACT_HOME, 0}, &in);
    assert_int_equal(ui_panel_key(hp, &m, (ui_cmd){UI_ACT_DOWN, 0}, &in), UI_REDRAW);
    assert_int_equal(in.kind, UI_INTENT_NONE);
    /* Right on the optimizer (sgd): the next one in the table, as a SET_KEY intent */
    assert_int_equal(ui_panel_key(hp, &m, (ui_cmd){UI_ACT_RIGHT, 0}, &in), UI_REDRAW);
    assert_int_equal(in.kind, UI_INTENT_SET_KEY);
    assert_string_equal(in.key, "training.optimizer.name");
    int sgd = -1;
    for (int i = 0; i < NN_OPT_COUNT; i++)
        if (strcmp(nn_opt_table[i].name, "sgd") == 0)
            sgd = i;
    assert_true(sgd >= 0);
    assert_string_equal(in.text, nn_opt_table[(sgd + 1) % NN_OPT_COUNT].name);
    assert_int_equal(b.draft.training.optimizer.kind, app.draft.training.optimizer.kind);
    /* Enter on the learning rate: an EDIT intent with its value */
    ui_panel_key(hp, &m, (ui_cmd){UI_ACT_DOWN, 0}, &in);
    ui_panel_key(hp, &m, (ui_cmd){UI_ACT_EDIT, 0}, &in);
    assert_int_equal(in.kind, UI_INTENT_EDIT);
    assert_int_equal(in.edit, UI_EDIT_ITEM);
    assert_int_equal(in.panel, UI_P_HPARAMS);
    assert_string_equal(in.key, "training.optimizer.learning_rate");
    assert_string_equal(in.text, "0.03");
    assert_int_equal(b.mode, UI_MODE_NORMAL);
    /* a lesson's locked key: a MESSAGE intent, an error */
    nn_error err;
    assert_int_equal(nn_preset_load(&b.draft, "lesson-learning-rate", NULL, &err), NN_OK);
    m = ui_app_model(&b);
    ui_panel_key(hp, &m, (ui_cmd){UI_ACT_UP, 0}, &in);   /* the optimizer, locked */
    ui_panel_key(hp, &m, (ui_cmd){UI_ACT_EDIT, 0}, &in);
    assert_int_equal(in.kind, UI_INTENT_MESSAGE);
    assert_true(in.err);
    assert_non_null(strstr(in.text, "is locked by this lesson"));
    /* Architecture: a adds a hidden layer to a copy, as an APPLY intent; the draft keeps its layers */
    b.draft = app.draft;
    m = ui_app_model(&b);
    ui_panel *ar = b.panel[UI_P_ARCH];
    ui_panel_key(ar, &m, (ui_cmd){UI_ACT_HOME, 0}, &in);
    assert_int_equal(ui_panel_key(ar, &m, (ui_cmd){UI_ACT_LAYER_ADD, 0}, &in), UI_REDRAW);
    assert_int_equal(in.kind, UI_INTENT_APPLY);
    assert_string_equal(in.text, "architecture");
    assert_non_null(in.preset);
    assert_int_equal(in.preset->n_layers, app.draft.n_layers + 1);
    assert_int_equal(in.preset->layers[1].units, 16);
    assert_int_equal(b.draft.n_layers, app.draft.n_layers);
    assert_int_equal(b.arch.cursor, 1);
    /* the output layer cannot go: a message */
    ui_panel_key(ar, &m, (ui_cmd){UI_ACT_END, 0}, &in);
    ui_panel_key(ar, &m, (ui_cmd){UI_ACT_LAYER_DEL, 0}, &in);
    assert_int_equal(in.kind, UI_INTENT_MESSAGE);
    assert_non_null(strstr(in.text, "the last layer is the output layer"));
    /* a lesson that locks the model: a, d, K and J refuse as Enter on units does (issue 13: "2 a" turned
     * lesson-overfitting's 2-64-64-2 into 2-64-16-64-2) */
    static const char *const locks_model[] = {"lesson-overfitting", "lesson-learning-rate"};
    for (int k = 0; k < 2; k++) {
        assert_int_equal(nn_preset_load(&b.draft, locks_model[k], NULL, &err), NN_OK);
        m = ui_app_model(&b);
        static const ui_action layer_keys[] = {UI_ACT_LAYER_ADD, UI_ACT_LAYER_DEL, UI_ACT_LAYER_UP, UI_ACT_LAYER_DOWN};
        for (int i = 0; i < 4; i++) {
            ui_panel_key(ar, &m, (ui_cmd){UI_ACT_HOME, 0}, &in);
            ui_panel_key(ar, &m, (ui_cmd){UI_ACT_DOWN, 0}, &in);   /* a hidden layer that could move */
            memset(&in, 0, sizeof in);
            ui_panel_key(ar, &m, (ui_cmd){layer_keys[i], 0}, &in);
            assert_int_equal(in.kind, UI_INTENT_MESSAGE);
            assert_true(in.err);
            assert_string_equal(in.text, "model.layers is locked by this lesson");
        }
        ui_panel_key(ar, &m, (ui_cmd){UI_ACT_EDIT, 0}, &in);   /* as Enter on units */
        assert_int_equal(in.kind, UI_INTENT_MESSAGE);
        assert_non_null(strstr(in.text, "is locked by this lesson"));
    }
}

/* The Dataset panel's inputs (dataset.features) for 2-D data: one line listing the inputs; on it
 * Left/Right pick one of the seven, Enter turns it on or off as a SET_KEY intent of the whole list
 * (in the table's order); the last input cannot go. Iris (4 features) has no such line. */
static void test_dataset_inputs_are_toggled(void **state)
{
    (void)state;
    static ui_app b;
    ui_app_init(&b);
    nn_error err;
    assert_int_equal(nn_preset_load(&b.draft, "moons", NULL, &err), NN_OK);
    b.snap = app.snap;
    ui_theme_init(&b.th, UI_COLOR_256, true);
    b.focus = UI_P_DATASET;
    ui_model m = ui_app_model(&b);
    ui_item it[UI_MAX_ITEMS];
    int n = ui_dataset_items(&m, it, UI_MAX_ITEMS);
    int row = find(it, n, "dataset.features");
    assert_true(row >= 0);
    assert_int_equal(it[row].kind, UI_ITEM_TOGGLES);
    assert_string_equal(it[row].label, "inputs");
    ui_panel *dp = b.panel[UI_P_DATASET];
    ui_intent in;
    ui_panel_key(dp, &m, (ui_cmd){UI_ACT_HOME, 0}, &in);
    for (int i = 0; i < row; i++)
        ui_panel_key(dp, &m, (ui_cmd){UI_ACT_DOWN, 0}, &in);
    /* Right twice: x1^2; Enter turns it on */
    ui_panel_key(dp, &m, (ui_cmd){UI_ACT_RIGHT, 0}, &in);
    assert_int_equal(ui_panel_key(dp, &m, (ui_cmd){UI_ACT_RIGHT, 0}, &in), UI_REDRAW);
    assert_int_equal(in.kind, UI_INTENT_NONE);
    ui_panel_key(dp, &m, (ui_cmd){UI_ACT_EDIT, 0}, &in);
    assert_int_equal(in.kind, UI_INTENT_SET_KEY);
    assert_string_equal(in.key, "dataset.features");
    assert_string_equal(in.text, "[\"x1\",\"x2\",\"x1^2\"]");
    /* drawn: the selected input with its state, then the list when the cursor is elsewhere */
    assert_int_equal(nn_preset_set(&b.draft, "dataset.features", "[\"x2\",\"sin(x1)\"]", &err), NN_OK);
    m = ui_app_model(&b);
    ui_grid g;
    assert_true(ui_grid_init(&g, 38, 20));
    ui_panel_draw(dp, &g, ui_rect_make(0, 0, 38, 20), &m);
    assert_true(grid_has(&g, "inputs         \xe2\x97\x82 x1\xc2\xb2 \xe2\x96\xb8 off"));
    assert_true(grid_has(&g, "Inputs now: x2 sin(x1)"));
    /* Left back to x1 (off), Left to sin(x2): the list wraps */
    ui_panel_key(dp, &m, (ui_cmd){UI_ACT_LEFT, 0}, &in);
    ui_panel_key(dp, &m, (ui_cmd){UI_ACT_LEFT, 0}, &in);
    ui_panel_key(dp, &m, (ui_cmd){UI_ACT_LEFT, 0}, &in);
    ui_panel_key(dp, &m, (ui_cmd){UI_ACT_EDIT, 0}, &in);
    assert_string_equal(in.text, "[\"x2\",\"sin(x1)\",\"sin(x2)\"]");
    ui_panel_key(dp, &m, (ui_cmd){UI_ACT_DOWN, 0}, &in);
    ui_grid_clear(&g, (ui_style){-1, -1, 0});
    ui_panel_draw(dp, &g, ui_rect_make(0, 0, 38, 20), &m);
    assert_true(grid_has(&g, "inputs         x2 sin(x1)"));
    /* the last input cannot go */
    assert_int_equal(nn_preset_set(&b.draft, "dataset.features", "[\"x1\"]", &err), NN_OK);
    m = ui_app_model(&b);
    ui_panel_key(dp, &m, (ui_cmd){UI_ACT_UP, 0}, &in);
    ui_panel_key(dp, &m, (ui_cmd){UI_ACT_HOME, 0}, &in);
    for (int i = 0; i < row; i++)
        ui_panel_key(dp, &m, (ui_cmd){UI_ACT_DOWN, 0}, &in);
    ui_panel_key(dp, &m, (ui_cmd){UI_ACT_RIGHT, 0}, &in);   /* from sin(x2) (6) round to x1 (0) */
    ui_panel_key(dp, &m, (ui_cmd){UI_ACT_EDIT, 0}, &in);
    assert_int_equal(in.kind, UI_INTENT_MESSAGE);
    assert_true(in.err);
    assert_non_null(strstr(in.text, "at least one input"));
    ui_grid_free(&g);
    /* iris: no inputs line */
    assert_int_equal(nn_preset_load(&b.draft, "iris", NULL, &err), NN_OK);
    m = ui_app_model(&b);
    n = ui_dataset_items(&m, it, UI_MAX_ITEMS);
    assert_int_equal(find(it, n, "dataset.features"), -1);
}

static void test_help_overlay_is_titled_key_bindings(void **state)
{
    (void)state;
    ui_grid g;
    assert_true(ui_grid_init(&g, 80, 24));
    ui_help_prepare(&app.help, &g);
    ui_help_draw(&g, &app.th, &app.help);
    assert_true(grid_has(&g, "Key bindings"));
    assert_true(grid_has(&g, "quit (asks first while training)"));
    ui_grid_free(&g);
}

/* A click lands on the pick drawn under it, wherever the list is scrolled; the dialog's border and
 * hint line are not picks, and outside the dialog is UI_PICK_OUTSIDE. */
static void test_picker_click_hits_the_pick_drawn_there(void **state)
{
    (void)state;
    static ui_app b;
    b = app;
    ui_picker_open(&b.picker);
    assert_true(b.picker.n >= 13);   /* the built-in presets */
    ui_grid g;
    assert_true(ui_grid_init(&g, 80, 24));   /* 24 rows: the list scrolls */
    char row[4096];
    for (int cur = 0; cur < b.picker.n; cur += 5) {
        b.picker.cur = cur;
        ui_grid_clear(&g, (ui_style){-1, -1, 0});
        ui_picker_draw(&g, &b.th, &b.picker);
        int hits = 0;
        for (int y = 0; y < g.h; y++) {
            ui_grid_row_text(&g, y, 0, g.w, row, sizeof row);
            int best = -1;   /* the longest title on the row (one title may hold another) */
            for (int i = 0; i < b.picker.n; i++)
                if (strlen(b.picker.picks[i].title) >= 4 && strstr(row, b.picker.picks[i].title) &&
                    (best < 0 || strlen(b.picker.picks[i].title) > strlen(b.picker.picks[best].title)))
                    best = i;
            if (best >= 0) {
                assert_int_equal(ui_picker_hit(&b.picker, g.w, g.h, 40, y), best);
                hits++;
            }
        }
        assert_true(hits >= 5);
        /* the selected pick is among those drawn, and clicking its row returns it */
        bool seen = false;
        for (int y = 0; y < g.h; y++)
            seen |= ui_picker_hit(&b.picker, g.w, g.h, 40, y) == cur;
        assert_true(seen);
    }
    /* the corners and the hint line are no pick; the screen's corner is outside the dialog */
    b.picker.cur = 0;
    assert_int_equal(ui_picker_hit(&b.picker, 80, 24, 0, 0), UI_PICK_OUTSIDE);
    assert_int_equal(ui_picker_hit(&b.picker, 80, 24, 79, 23), UI_PICK_OUTSIDE);
    assert_int_equal(ui_picker_hit(&b.picker, 80, 24, 4, 1), UI_PICK_NONE);     /* the top border */
    assert_int_equal(ui_picker_hit(&b.picker, 80, 24, 40, 21), UI_PICK_NONE);   /* the hint line */
    ui_grid_free(&g);
}

static void test_regression_fit_panel_plots_predicted_against_actual(void **state)
{
    (void)state;
    static ui_app r; /* a regression snapshot: a perfect fit puts every dot on the diagonal */
    r = app;
    r.snap.has_last = true;
    r.snap.info.task = NN_TASK_REGRESSION;
    r.snap.boundary.kind = UI_VIEW_SURFACE;
    r.snap.eval.reg.r2 = 1.0;
    r.snap.fit.n = 3;
    const float v[3] = {-1.0f, 0.0f, 1.0f};
    for (int i = 0; i < 3; i++)
        r.snap.fit.actual[i] = r.snap.fit.pred[i] = v[i];
    ui_grid g;
    assert_true(ui_grid_init(&g, 60, 14));
    ui_model m = ui_app_model(&r);
    ui_confusion_view.draw(&g, ui_rect_make(0, 0, 60, 14), &m);
    assert_true(grid_has(&g, "test R\xc2\xb2 1.0000"));
    assert_true(grid_has(&g, "predicted (up) vs actual, 3 test rows"));
    assert_true(grid_has(&g, "-1  actual -> 1"));
    /* the largest value is plotted at the top right of the plot area, the smallest bottom left */
    const ui_cell *tr = ui_grid_cat(&g, 59, 3), *bl = ui_grid_cat(&g, 8, 12);
    assert_true(tr->ch >= 0x2801 && tr->ch <= 0x28FF);
    assert_true(bl->ch >= 0x2801 && bl->ch <= 0x28FF);
    ui_grid_free(&g);
}

/* A locked key's error takes the hint's place in the focused Dataset panel while the cursor stays on
 * its line; on the next line that line's own hint is back (issue 14: the error stayed over it for the
 * message's whole time). */
static void test_an_error_in_a_list_stays_with_its_line(void **state)
{
    (void)state;
    static ui_app b;
    ui_app_init(&b);
    ui_theme_init(&b.th, UI_COLOR_256, true);
    nn_error err;
    assert_int_equal(nn_preset_load(&b.draft, "xor", NULL, &err), NN_OK);
    b.focus = UI_P_DATASET;
    ui_model m = ui_app_model(&b);
    ui_panel *dp = b.panel[UI_P_DATASET];
    ui_intent in;
    ui_panel_key(dp, &m, (ui_cmd){UI_ACT_HOME, 0}, &in);
    ui_panel_key(dp, &m, (ui_cmd){UI_ACT_DOWN, 0}, &in);
    ui_panel_key(dp, &m, (ui_cmd){UI_ACT_DOWN, 0}, &in);   /* the source, locked by the lesson */
    ui_panel_key(dp, &m, (ui_cmd){UI_ACT_EDIT, 0}, &in);
    assert_int_equal(in.kind, UI_INTENT_MESSAGE);
    assert_true(in.err);
    /* the app shows it (as ui_app_act does) */
    snprintf(b.msg, sizeof b.msg, "%.200s", in.text);
    b.msg_err = true;
    b.msg_since = ui_now();
    b.msg_until = b.msg_since + 6;
    m = ui_app_model(&b);
    ui_grid g;
    assert_true(ui_grid_init(&g, 38, 20));
    ui_panel_draw(dp, &g, ui_rect_make(0, 0, 38, 20), &m);
    assert_true(grid_has(&g, "dataset.source is locked"));
    ui_panel_key(dp, &m, (ui_cmd){UI_ACT_DOWN, 0}, &in);
    ui_grid_clear(&g, (ui_style){-1, -1, 0});
    ui_panel_draw(dp, &g, ui_rect_make(0, 0, 38, 20), &m);
    assert_false(grid_has(&g, "dataset.source is locked"));
    assert_true(grid_has(&g, "#: locked by this lesson"));   /* the next line's own hint (xor locks it too) */
    ui_panel_key(dp, &m, (ui_cmd){UI_ACT_UP, 0}, &in);   /* back on it while it shows: still its line */
    ui_grid_clear(&g, (ui_style){-1, -1, 0});
    ui_panel_draw(dp, &g, ui_rect_make(0, 0, 38, 20), &m);
    assert_true(grid_has(&g, "dataset.source is locked"));
    /* once the message is gone the line's hint says the same, not the keys that would edit it */
    b.msg_err = false;
    b.msg[0] = 0;
    m = ui_app_model(&b);
    ui_grid_clear(&g, (ui_style){-1, -1, 0});
    ui_panel_draw(dp, &g, ui_rect_make(0, 0, 38, 20), &m);
    assert_true(grid_has(&g, "#: locked by this lesson"));
    assert_false(grid_has(&g, "Left/Right"));
    ui_grid_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_an_error_in_a_list_stays_with_its_line),
        cmocka_unit_test(test_hparams_list_only_the_parameters_of_the_chosen_optimizer),
        cmocka_unit_test(test_edits_go_through_the_validator_and_leave_the_draft_alone_on_error),
        cmocka_unit_test(test_split_is_edited_as_three_fractions),
        cmocka_unit_test(test_changing_the_source_to_regression_lets_the_loss_follow),
        cmocka_unit_test(test_a_csv_source_is_set_together_with_its_path),
        cmocka_unit_test(test_panels_draw_their_fields_and_the_status_bar_its_words),
        cmocka_unit_test(test_list_panels_answer_keys_with_intents),
        cmocka_unit_test(test_dataset_inputs_are_toggled),
        cmocka_unit_test(test_help_overlay_is_titled_key_bindings),
        cmocka_unit_test(test_regression_fit_panel_plots_predicted_against_actual),
        cmocka_unit_test(test_picker_click_hits_the_pick_drawn_there),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
