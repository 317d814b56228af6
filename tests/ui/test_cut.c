/* Nothing cut without an ellipsis, on exact cells: the panels drawn from a real preset (no
 * terminal, no worker) at widths where their text does not fit: the Architecture panel's hints
 * take a short form or wrap instead of losing "K/J move" and "(* = auto)", the activation list wraps, the Dataset
 * panel's long values end in an ellipsis, and the preset picker shows a whole description. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ui_app app;
static ui_grid g;

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
    return ui_grid_init(&g, 120, 40) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ui_grid_free(&g);
    return 0;
}

static void row(int y, int x0, int w, char *out, int n)
{
    ui_grid_row_text(&g, y, x0, w, out, n);
    for (size_t k = strlen(out); k > 0 && out[k - 1] == ' '; k--)
        out[k - 1] = 0;
}

static int count_ellipses(int x0, int y0, int w, int h)
{
    int n = 0;
    for (int y = y0; y < y0 + h; y++)
        for (int x = x0; x < x0 + w; x++)
            n += ui_grid_cat(&g, x, y)->ch == 0x2026;
    return n;
}

/* 80x24: the Architecture panel is 32 columns wide */
static void test_architecture_hints_wrap(void **state)
{
    (void)state;
    app.focus = UI_P_ARCH;
    ui_model m = ui_app_model(&app);
    ui_grid_clear(&g, ui_st(&app.th, UI_R_TEXT));
    ui_panel_draw(app.panel[UI_P_ARCH], &g, ui_rect_make(0, 0, 32, 12), &m);
    char b[256];
    row(10, 0, 32, b, sizeof b);   /* the keys in their short form, whole on one row ("K/J" and "move" were split) */
    assert_string_equal(b, "Enter edit a add d del K/J move");
    row(11, 0, 32, b, sizeof b);
    assert_string_equal(b, "last layer = output (* = auto)");
    assert_int_equal(count_ellipses(0, 0, 32, 12), 0);
    /* narrower still: the short form wraps between words */
    ui_grid_clear(&g, ui_st(&app.th, UI_R_TEXT));
    ui_panel_draw(app.panel[UI_P_ARCH], &g, ui_rect_make(0, 0, 24, 12), &m);
    row(8, 0, 24, b, sizeof b);
    assert_string_equal(b, "Enter edit a add d del");
    row(9, 0, 24, b, sizeof b);
    assert_string_equal(b, "K/J move");
    assert_int_equal(count_ellipses(0, 8, 24, 4), 0);
    /* wide enough: the two hints in the last two rows, as before */
    ui_grid_clear(&g, ui_st(&app.th, UI_R_TEXT));
    ui_panel_draw(app.panel[UI_P_ARCH], &g, ui_rect_make(0, 0, 60, 12), &m);
    row(10, 0, 60, b, sizeof b);
    assert_string_equal(b, "Enter edit  a add  d remove  K/J move");
    row(11, 0, 60, b, sizeof b);
    assert_string_equal(b, "last layer = output (* = auto)");
}

/* the Dataset panel's values are cut with an ellipsis in the panel's last column */
static void test_dataset_values_end_in_an_ellipsis(void **state)
{
    (void)state;
    app.focus = UI_P_DATASET;
    app.snap.info.n_train = 105; app.snap.info.n_val = 15; app.snap.info.n_test = 30;
    app.snap.info.k = 3;
    app.snap.info.n_classes = 3;
    snprintf(app.snap.info.class_names[0], NN_NAME_MAX, "setosa");
    snprintf(app.snap.info.class_names[1], NN_NAME_MAX, "versicolor");
    snprintf(app.snap.info.class_names[2], NN_NAME_MAX, "virginica");
    ui_model m = ui_app_model(&app);
    ui_grid_clear(&g, ui_st(&app.th, UI_R_TEXT));
    ui_panel_draw(app.panel[UI_P_DATASET], &g, ui_rect_make(0, 0, 36, 20), &m);
    char b[256];
    int hits = 0;
    for (int y = 0; y < 20; y++) {
        row(y, 0, 36, b, sizeof b);
        if (strncmp(b, " classes", 8) == 0) {
            assert_string_equal(b, " classes        3: setosa versicolo\xe2\x80\xa6");
            hits++;
        }
    }
    assert_int_equal(hits, 1);
}

/* a list panel's hint takes the free rows it needs instead of two rows cut short */
static void test_list_hint_takes_the_rows_it_needs(void **state)
{
    (void)state;
    app.focus = UI_P_DATASET;
    ui_model m = ui_app_model(&app);
    /* the source row: below the name and the description */
    ui_intent in;
    ui_panel_key(app.panel[UI_P_DATASET], &m, (ui_cmd){UI_ACT_HOME, 0}, &in);
    ui_panel_key(app.panel[UI_P_DATASET], &m, (ui_cmd){UI_ACT_DOWN, 0}, &in);
    ui_panel_key(app.panel[UI_P_DATASET], &m, (ui_cmd){UI_ACT_DOWN, 0}, &in);
    ui_grid_clear(&g, ui_st(&app.th, UI_R_TEXT));
    ui_panel_draw(app.panel[UI_P_DATASET], &g, ui_rect_make(0, 0, 32, 20), &m);
    char b[256];
    row(17, 0, 32, b, sizeof b);
    assert_string_equal(b, "Left/Right: built-in sources;");
    row(18, 0, 32, b, sizeof b);
    assert_string_equal(b, "Enter: csv PATH or idx IMAGES");
    row(19, 0, 32, b, sizeof b);
    assert_string_equal(b, "LABELS");
}

/* the picker at 120x40: XOR's description whole, under the list */
static void test_picker_shows_a_whole_description(void **state)
{
    (void)state;
    static ui_app b;
    b = app;
    ui_picker_open(&b.picker);
    int xor = -1;
    for (int i = 0; i < b.picker.n; i++)
        if (strncmp(b.picker.picks[i].title, "xor ", 4) == 0)
            xor = i;
    assert_true(xor >= 0);
    b.picker.cur = xor;
    ui_grid_clear(&g, ui_st(&b.th, UI_R_TEXT));
    ui_picker_draw(&g, &b.th, &b.picker);
    assert_int_equal(count_ellipses(0, 0, 120, 40), 0);
    /* its last word is on the screen */
    const char *desc = b.picker.picks[xor].desc, *last = strrchr(desc, ' ');
    assert_non_null(last);
    char r[1024];
    bool seen = false;
    for (int y = 0; y < 40; y++) {
        ui_grid_row_text(&g, y, 0, 120, r, sizeof r);
        seen |= strstr(r, last + 1) != NULL;
    }
    assert_true(seen);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_architecture_hints_wrap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dataset_values_end_in_an_ellipsis, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_hint_takes_the_rows_it_needs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_picker_shows_a_whole_description, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
