/* The pinned runs (ui/pins.c): the store (at most six, the oldest replaced, a slot kept for its
 * number and colour), the legend's words (nnterm compare's, nn_preset_diff_label), the Loss panel's
 * overlay and legend on exact cells, and the Compare view's table. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app.h"
#include "record.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ui_app app;
static ui_grid g;
static nn_preset xor_preset;

static void set_key(nn_preset *p, const char *key, const char *value)
{
    nn_error err;
    if (nn_preset_set(p, key, value, &err) != NN_OK)
        fail_msg("%s", err.msg);
}

static int setup(void **state)
{
    (void)state;
    ui_app_init(&app);
    ui_theme_init(&app.th, UI_COLOR_256, true);
    app.hist_cap = 64;
    app.hist = calloc((size_t)app.hist_cap, sizeof *app.hist);
    app.series = calloc(3 * (size_t)app.hist_cap, sizeof *app.series);
    nn_error err;
    if (nn_preset_load(&xor_preset, "xor", NULL, &err) != NN_OK)
        return -1;
    app.draft = xor_preset;
    if (!app.hist || !app.series)
        return -1;
    return ui_grid_init(&g, 120, 40) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ui_grid_free(&g);
    ui_pins_free(&app.pins);
    ui_views_free(&app.slot.views);
    free(app.hist);
    free(app.series);
    app.hist = NULL;
    app.series = NULL;
    return 0;
}

static void row(int y, int x0, int w, char *out, int n)
{
    ui_grid_row_text(&g, y, x0, w, out, n);
    for (size_t k = strlen(out); k > 0 && out[k - 1] == ' '; k--)
        out[k - 1] = 0;
}

/* The rows of r, each without its trailing blanks, joined by one space. */
static void rows_text(ui_rect r, char *all, size_t cap)
{
    char text[512];
    all[0] = 0;
    for (int y = 0; y < r.h; y++) {
        row(r.y + y, r.x, r.w, text, sizeof text);
        strncat(all, text, cap - strlen(all) - 2);
        strcat(all, " ");
    }
}

static bool row_has(int y, const char *needle)
{
    char text[2048];
    ui_grid_row_text(&g, y, 0, g.w, text, sizeof text);
    return strstr(text, needle) != NULL;
}

/* n epochs of a run whose losses start at top and fall; val and test a little above */
static void history(int n, double top)
{
    app.hist_len = n;
    for (int i = 0; i < n; i++) {
        nn_epoch_stats *e = &app.hist[i];
        memset(e, 0, sizeof *e);
        e->epoch = i + 1;
        e->train_loss = top / (1 + i);
        e->val_loss = 1.1 * top / (1 + i);
        e->test_loss = 1.2 * top / (1 + i);
        e->train_acc = e->val_acc = 0.9;
        e->test_acc = 0.5 + 0.01 * i;
        app.series[i] = e->train_loss;
        app.series[app.hist_cap + i] = e->val_loss;
        app.series[2 * app.hist_cap + i] = e->test_loss;
    }
}

/* A run of the draft with its own lr (pinned through the app, as P does) */
static void pin_run(const char *lr, uint64_t run, int epochs)
{
    set_key(&app.draft, "training.optimizer.learning_rate", lr);
    app.snap.run = run;
    history(epochs, 1.0);
    ui_app_pin(&app);
}

static void test_the_store_keeps_six_and_replaces_the_oldest(void **state)
{
    (void)state;
    assert_int_equal(app.pins.n, 0);
    app.hist_len = 0;
    ui_app_pin(&app);   /* nothing to pin before an epoch */
    assert_int_equal(app.pins.n, 0);
    assert_non_null(strstr(app.msg, "nothing to pin"));
    static const char *const lrs[7] = {"0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7"};
    for (int i = 0; i < 6; i++) {
        pin_run(lrs[i], (uint64_t)i + 1, 10);
        assert_int_equal(app.pins.n, i + 1);
        assert_int_equal(app.pins.pin[i].slot, i);
    }
    pin_run("0.6", 6, 10);   /* the same run again: not a second pin */
    assert_int_equal(app.pins.n, 6);
    assert_non_null(strstr(app.msg, "pinned already as 6"));
    /* a seventh replaces the oldest (lr 0.1), in its slot (number 1), and says so */
    pin_run(lrs[6], 7, 10);
    assert_int_equal(app.pins.n, 6);
    assert_non_null(strstr(app.msg, "in place of the oldest"));
    assert_int_equal(app.pins.pin[5].slot, 0);
    assert_int_equal(app.pins.pin[0].slot, 1);
    char v[32];
    nn_preset_diff_value(&app.pins.pin[0].preset, "training.optimizer.learning_rate", v, sizeof v);
    assert_string_equal(v, "0.2");
    nn_preset_diff_value(&app.pins.pin[5].preset, "training.optimizer.learning_rate", v, sizeof v);
    assert_string_equal(v, "0.7");
    /* the Compare view's Del: an UNPIN intent removes that pin; the next pin takes the free slot */
    ui_intent in;
    memset(&in, 0, sizeof in);
    in.kind = UI_INTENT_UNPIN;
    in.arg[0] = 2;   /* lr 0.4, slot 3 */
    ui_app_act(&app, &in);
    assert_int_equal(app.pins.n, 5);
    pin_run("0.8", 8, 10);
    assert_int_equal(app.pins.pin[5].slot, 3);
    /* the figures kept: the last epoch's, accuracy from the test split */
    const ui_pin *p = &app.pins.pin[5];
    assert_int_equal(p->epochs, 10);
    assert_true(fabs(p->final[0] - 0.1) < 1e-12);
    assert_true(fabs(p->metric - 0.59) < 1e-12);
    assert_true(p->has[1]);
    assert_ptr_equal(ui_pin_curve(p), p->loss + p->n);   /* val, as there is a val split */
}

static void test_a_long_run_keeps_at_most_the_pin_points(void **state)
{
    (void)state;
    int n = 5000;
    nn_epoch_stats *h = calloc((size_t)n, sizeof *h);
    assert_non_null(h);
    for (int i = 0; i < n; i++) {
        h[i].train_loss = i;
        h[i].val_loss = h[i].test_loss = (double)NAN;
    }
    int replaced;
    assert_int_equal(ui_pins_add(&app.pins, &app.draft, h, n, &app.snap, &replaced), 1);
    const ui_pin *p = &app.pins.pin[0];
    assert_true(p->n <= UI_PIN_POINTS);
    assert_int_equal(p->step, 3);
    assert_true(p->loss[p->n - 1] == (double)(p->n * p->step - 1));   /* point i is epoch (i+1)*step */
    assert_false(p->has[1]);
    assert_ptr_equal(ui_pin_curve(p), p->loss);   /* no val split: the train curve */
    free(h);
}

/* A weight set by hand after the last epoch: the pin keeps the figures of the weights now (the
 * snapshot's edit), says so, and pinning again is not refused as the same weights. */
static void test_a_pin_after_a_hand_edit_keeps_the_edited_figures(void **state)
{
    (void)state;
    pin_run("0.01", 1, 5);                       /* before the edit */
    assert_int_equal(app.pins.n, 1);
    assert_false(app.pins.pin[0].edited);
    app.snap.has_edit = true;
    app.snap.edit = app.hist[4];
    app.snap.edit.train_loss = 7.5;
    app.snap.edit.val_loss = 8.5;
    app.snap.edit.test_loss = 9.5;
    app.snap.edit.test_acc = 0.25;
    ui_app_pin(&app);                            /* same run and epoch, other weights */
    assert_int_equal(app.pins.n, 2);
    const ui_pin *p = &app.pins.pin[1];
    assert_true(p->edited);
    assert_true(p->final[0] == 7.5 && p->final[1] == 8.5 && p->final[2] == 9.5);
    assert_true(p->metric == 0.25);
    assert_non_null(strstr(app.msg, "edited by hand"));
    char label[128];
    ui_pin_label(p, &app.draft, label, sizeof label);
    assert_string_equal(label, "edited by hand");
    ui_app_pin(&app);                            /* the same edited weights again */
    assert_int_equal(app.pins.n, 2);
    assert_non_null(strstr(app.msg, "pinned already as 2"));
    /* the Compare view's current row: the figures after the edit, and says so */
    ui_model m = ui_app_model(&app);
    ui_grid_clear(&g, ui_st(&app.th, UI_R_TEXT));
    ui_compare_panel(&g, ui_rect_make(0, 0, 100, 30), m.snap, m.pins, m.draft, m.hist, m.hist_len, m.views, m.th);
    assert_true(row_has(3, "* now: the run shown, edited by hand"));
    assert_true(row_has(3, "7.5") && row_has(3, "9.5") && row_has(3, "25.0%"));
    /* an edit made before an epoch that has ended since is not the weights now */
    app.snap.edit.epoch = 4;
    history(6, 1.0);
    ui_app_pin(&app);
    assert_int_equal(app.pins.n, 3);
    assert_false(app.pins.pin[2].edited);
    assert_true(fabs(app.pins.pin[2].final[0] - 1.0 / 6) < 1e-12);
    app.snap.has_edit = false;
}

/* The legend says what nnterm compare's columns say for the same pair. */
static void test_the_label_is_the_compare_wording(void **state)
{
    (void)state;
    pin_run("0.01", 1, 5);
    set_key(&app.draft, "training.optimizer.learning_rate", "0.02");
    char label[128], same[128];
    ui_pin_label(&app.pins.pin[0], &app.draft, label, sizeof label);
    nn_preset_diff_label(&app.pins.pin[0].preset, &app.draft, same, sizeof same);
    assert_string_equal(label, same);
    assert_string_equal(label, "lr 0.01");
    const nn_preset *ps[2] = {&app.pins.pin[0].preset, &app.draft};
    char keys[4][96], heads[4][48], v[32];
    assert_int_equal(nn_preset_diff_keys(ps, 2, keys, heads, 4), 1);
    nn_preset_diff_value(ps[0], keys[0], v, sizeof v);
    char phrase[128];
    snprintf(phrase, sizeof phrase, "%s %s", heads[0], v);
    assert_string_equal(label, phrase);
}

static void test_label_fit_drops_whole_phrases(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(ui_pin_label_fit("lr 0.1, sgd, batch_size 64", 40, false, out, sizeof out), 26);
    assert_string_equal(out, "lr 0.1, sgd, batch_size 64");
    ui_pin_label_fit("lr 0.1, sgd, batch_size 64", 20, false, out, sizeof out);
    assert_string_equal(out, "lr 0.1, sgd, \xe2\x80\xa6");
    ui_pin_label_fit("lr 0.1, sgd, batch_size 64", 12, true, out, sizeof out);
    assert_string_equal(out, "lr 0.1, >");
    ui_pin_label_fit("batch_size 64, sgd", 8, true, out, sizeof out);   /* one phrase too wide: no word cut */
    assert_string_equal(out, ">");
}

/* The Loss panel with two pins: the legend above the chart (each pin's number in its colour, what
 * differs), the curves under the current ones, each pin's number at its curve's end. */
static void test_the_loss_chart_overlays_the_pins(void **state)
{
    (void)state;
    pin_run("0.01", 1, 20);
    set_key(&app.draft, "training.optimizer.name", "\"sgd\"");
    set_key(&app.draft, "training.optimizer.learning_rate", "0.01");
    app.snap.run = 2;
    history(15, 2.0);
    ui_app_pin(&app);
    set_key(&app.draft, "training.optimizer.name", "\"adam\"");
    set_key(&app.draft, "training.optimizer.learning_rate", "0.02");
    app.snap.run = 3;
    history(10, 1.5);
    app.snap.epochs = 20;
    ui_grid_clear(&g, ui_st(&app.th, UI_R_TEXT));
    ui_model m = ui_app_model(&app);
    ui_rect r = ui_rect_make(0, 0, 60, 16);
    ui_panel_draw(app.panel[UI_P_LOSS], &g, r, &m);
    char text[256];
    row(0, 0, 60, text, sizeof text);
    assert_string_equal(text, "1 lr 0.01  2 sgd, lr 0.01");
    assert_int_equal(ui_grid_cat(&g, 0, 0)->ch, '1');
    assert_int_equal(ui_grid_cat(&g, 0, 0)->fg, ui_pin_colour(&app.th, 0));
    assert_int_equal(ui_grid_cat(&g, 11, 0)->ch, '2');
    assert_int_equal(ui_grid_cat(&g, 11, 0)->fg, ui_pin_colour(&app.th, 1));
    assert_int_not_equal(ui_pin_colour(&app.th, 0), ui_st(&app.th, UI_R_TRAIN).fg);
    assert_int_not_equal(ui_pin_colour(&app.th, 0), ui_st(&app.th, UI_R_VAL).fg);
    assert_int_not_equal(ui_pin_colour(&app.th, 0), ui_pin_colour(&app.th, 1));
    assert_true(row_has(1, "train 0.15"));   /* the current run's legend on the next row */
    /* the pins' curves: cells in their colours, and their numbers at the end (epoch 20: the last column) */
    int c1 = 0, c2 = 0;
    for (int y = 2; y < 13; y++)
        for (int x = 8; x < 60; x++) {
            const ui_cell *c = ui_grid_cat(&g, x, y);
            c1 += c->fg == ui_pin_colour(&app.th, 0);
            c2 += c->fg == ui_pin_colour(&app.th, 1);
        }
    assert_true(c1 > 10);
    assert_true(c2 > 10);
    bool end1 = false, end2 = false;   /* pin 2 ran 15 epochs of 20: its end is at dot 14 * 103 / 19 = 76 */
    for (int y = 2; y < 13; y++) {
        end1 = end1 || ui_grid_cat(&g, 59, y)->ch == '1';
        end2 = end2 || ui_grid_cat(&g, 8 + 38, y)->ch == '2';
    }
    assert_true(end1);
    assert_true(end2);
    /* no ghost while pins stand for it */
    ui_views_keep_ghost(&app.slot.views, app.hist, app.hist_len);
    ui_grid_clear(&g, ui_st(&app.th, UI_R_TEXT));
    m = ui_app_model(&app);
    ui_panel_draw(app.panel[UI_P_LOSS], &g, r, &m);
    assert_false(row_has(1, "prev"));

    /* narrow: what does not fit goes with an ellipsis, whole phrases only */
    ui_grid_clear(&g, ui_st(&app.th, UI_R_TEXT));
    ui_panel_draw(app.panel[UI_P_LOSS], &g, ui_rect_make(0, 0, 20, 12), &m);   /* one legend row */
    row(0, 0, 20, text, sizeof text);
    assert_string_equal(text, "1 lr 0.01  2 sgd, \xe2\x80\xa6");
    ui_grid_clear(&g, ui_st(&app.th, UI_R_TEXT));
    ui_panel_draw(app.panel[UI_P_LOSS], &g, ui_rect_make(0, 0, 20, 16), &m);   /* up to three rows */
    row(0, 0, 20, text, sizeof text);
    assert_string_equal(text, "1 lr 0.01");
    row(1, 0, 20, text, sizeof text);
    assert_string_equal(text, "2 sgd, lr 0.01");

    /* without colour and in ASCII: the digits are the glyphs of the curves too */
    ui_theme_init(&app.th, UI_COLOR_MONO, false);
    g.ascii = true;
    ui_grid_clear(&g, ui_st(&app.th, UI_R_TEXT));
    m = ui_app_model(&app);
    ui_panel_draw(app.panel[UI_P_LOSS], &g, r, &m);
    row(0, 0, 60, text, sizeof text);
    assert_string_equal(text, "1 lr 0.01  2 sgd, lr 0.01");
    int d1 = 0, d2 = 0;
    for (int y = 2; y < 13; y++)
        for (int x = 8; x < 60; x++) {
            d1 += ui_grid_cat(&g, x, y)->ch == '1';
            d2 += ui_grid_cat(&g, x, y)->ch == '2';
        }
    assert_true(d1 > 10);
    assert_true(d2 > 10);
    g.ascii = false;
}

/* Two pins whose curves end in one cell: both numbers show, one a row off (the later hid the earlier). */
static void test_pin_numbers_that_meet_both_show(void **state)
{
    (void)state;
    pin_run("0.01", 1, 20);
    pin_run("0.02", 2, 20);   /* the same curve: the same last cell */
    set_key(&app.draft, "training.optimizer.learning_rate", "0.04");
    app.snap.run = 3;
    history(20, 1.0);
    ui_grid_clear(&g, ui_st(&app.th, UI_R_TEXT));
    ui_model m = ui_app_model(&app);
    ui_panel_draw(app.panel[UI_P_LOSS], &g, ui_rect_make(0, 0, 60, 16), &m);
    bool one = false, two = false;
    for (int y = 2; y < 14; y++) {
        one = one || ui_grid_cat(&g, 59, y)->ch == '1';
        two = two || ui_grid_cat(&g, 59, y)->ch == '2';
    }
    assert_true(one);
    assert_true(two);
}

/* Loading another preset keeps the pins when the data is the same, drops them otherwise. */
static void test_pins_follow_the_data(void **state)
{
    (void)state;
    pin_run("0.01", 1, 5);
    nn_preset other = xor_preset;
    set_key(&other, "training.batch_size", "64");
    assert_true(ui_pins_same_data(&app.pins.pin[0].preset, &other));
    set_key(&other, "dataset.source", "\"spiral\"");
    assert_false(ui_pins_same_data(&app.pins.pin[0].preset, &other));
}

/* The Compare view: a row per pin and one for now, what differs, the figures; narrow the columns go
 * (never a cut word), the selected row reversed; the maps under the table. */
static void test_the_compare_table(void **state)
{
    (void)state;
    app.snap.info.task = NN_TASK_CLASSIFICATION;
    app.snap.info.k = 2;
    /* a 2-class boundary: left half class 0, right half class 1 */
    ui_snap_boundary *b = &app.snap.boundary;
    b->kind = UI_VIEW_BOUNDARY;
    b->epoch = 1;
    b->grid_w = 8;
    b->grid_h = 8;
    b->x_min = b->y_min = -1;
    b->x_max = b->y_max = 1;
    for (int i = 0; i < 64; i++) {
        b->grid_class[i] = (uint8_t)(i % 8 >= 4);
        b->grid_conf[i] = 1.0f;
    }
    pin_run("0.01", 1, 20);
    set_key(&app.draft, "training.optimizer.learning_rate", "0.02");
    app.snap.run = 2;
    history(10, 2.0);
    app.snap.boundary.kind = UI_VIEW_NONE;   /* the current run: no map yet */
    ui_model m = ui_app_model(&app);
    ui_grid_clear(&g, ui_st(&app.th, UI_R_TEXT));
    app.slot.views.cmp_sel = 0;
    ui_rect r = ui_rect_make(0, 0, 44, 10);   /* the slot's inside at 80x24 */
    ui_compare_panel(&g, r, m.snap, m.pins, m.draft, m.hist, m.hist_len, m.views, m.th);
    char text[256];
    row(0, 0, 44, text, sizeof text);
    assert_string_equal(text, "# differs              epoch     val    acc");
    row(1, 0, 44, text, sizeof text);
    assert_string_equal(text, "1 lr 0.01                 20   0.055  69.0%");
    row(2, 0, 44, text, sizeof text);
    assert_string_equal(text, "* now                     10    0.22  59.0%");
    /* the selected row (pin 1) reversed across the table, its number in its colour */
    assert_int_equal(ui_grid_cat(&g, 5, 1)->bg, ui_st(&app.th, UI_R_SELECT).bg);
    assert_int_equal(ui_grid_cat(&g, 0, 1)->fg, ui_pin_colour(&app.th, 0));
    assert_int_equal(ui_grid_cat(&g, 5, 2)->bg, ui_st(&app.th, UI_R_TEXT).bg);
    /* the maps: pin 1's as half blocks in the class colours, now's "no map yet" */
    row(3, 0, 44, text, sizeof text);
    assert_string_equal(text, "1 lr 0.01    now");   /* maps of 12 x 6 cells, one column apart */
    assert_int_equal(ui_grid_cat(&g, 0, 4)->ch, 0x2580);
    assert_int_equal(ui_grid_cat(&g, 0, 4)->fg, ui_region_colour(&app.th, 0, 1.0, 2));
    assert_int_equal(ui_grid_cat(&g, 11, 4)->fg, ui_region_colour(&app.th, 1, 1.0, 2));
    assert_true(row_has(4, "no map yet"));

    /* wide: every column, the words in full */
    ui_grid_clear(&g, ui_st(&app.th, UI_R_TEXT));
    ui_compare_panel(&g, ui_rect_make(0, 0, 100, 30), m.snap, m.pins, m.draft, m.hist, m.hist_len, m.views, m.th);
    row(0, 0, 100, text, sizeof text);
    assert_string_equal(text, "# what differs from now                       epoch   train     val    test    acc");
    row(2, 0, 100, text, sizeof text);
    assert_string_equal(text, "* now: the run shown                             10     0.2    0.22    0.24  59.0%");

    /* Down selects now; Del there is refused, on pin 1 it asks to remove it */
    ui_intent in;
    memset(&in, 0, sizeof in);
    assert_true(ui_compare_view.key(&app.slot.views, &m, (ui_cmd){UI_ACT_DOWN, 0}, &in) & UI_REDRAW);
    assert_int_equal(app.slot.views.cmp_sel, 1);
    ui_compare_view.key(&app.slot.views, &m, (ui_cmd){UI_ACT_UNPIN, 0}, &in);
    assert_int_equal(in.kind, UI_INTENT_MESSAGE);
    memset(&in, 0, sizeof in);
    ui_compare_view.key(&app.slot.views, &m, (ui_cmd){UI_ACT_UP, 0}, &in);
    ui_compare_view.key(&app.slot.views, &m, (ui_cmd){UI_ACT_UNPIN, 0}, &in);
    assert_int_equal(in.kind, UI_INTENT_UNPIN);
    assert_int_equal(in.arg[0], 0);

    /* without pins: what the view is for */
    ui_pins_clear(&app.pins);
    ui_grid_clear(&g, ui_st(&app.th, UI_R_TEXT));
    ui_compare_panel(&g, r, m.snap, m.pins, m.draft, m.hist, m.hist_len, m.views, m.th);
    assert_true(row_has(0, "Compare: P pins the run shown"));
    char all[4096];
    rows_text(r, all, sizeof all);
    assert_non_null(strstr(all, "+ doubles the learning rate"));
    /* a lesson that locks the learning rate: the hint suggests what it leaves open */
    set_key(&app.draft, "lesson.locked", "[\"training.optimizer.learning_rate\"]");
    ui_grid_clear(&g, ui_st(&app.th, UI_R_TEXT));
    ui_compare_panel(&g, r, m.snap, m.pins, &app.draft, m.hist, m.hist_len, m.views, m.th);
    rows_text(r, all, sizeof all);
    assert_null(strstr(all, "+ doubles"));
    assert_non_null(strstr(all, "R draws new"));
    /* every lesson locks the seed too: then neither key */
    set_key(&app.draft, "lesson.locked", "[\"training.optimizer.learning_rate\", \"seed\"]");
    ui_grid_clear(&g, ui_st(&app.th, UI_R_TEXT));
    ui_compare_panel(&g, r, m.snap, m.pins, &app.draft, m.hist, m.hist_len, m.views, m.th);
    rows_text(r, all, sizeof all);
    assert_null(strstr(all, "+ doubles"));
    assert_null(strstr(all, "R draws"));
    assert_non_null(strstr(all, "a setting the lesson leaves open"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_the_store_keeps_six_and_replaces_the_oldest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_long_run_keeps_at_most_the_pin_points, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_pin_after_a_hand_edit_keeps_the_edited_figures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_the_label_is_the_compare_wording, setup, teardown),
        cmocka_unit_test_setup_teardown(test_label_fit_drops_whole_phrases, setup, teardown),
        cmocka_unit_test_setup_teardown(test_the_loss_chart_overlays_the_pins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pin_numbers_that_meet_both_show, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pins_follow_the_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_the_compare_table, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
