/* Without colour (--no-color, NO_COLOR, TERM=vt100) and in ASCII, on exact cells: the three loss
 * curves differ by pattern (solid, dashed, dotted; in ASCII '*', '+', 'o') and the legend shows the
 * patterns; the Boundary's train and test points differ as its legend says, and the legend explains
 * the region textures. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "chart.h"
#include "views.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view_fixture.h"

static int setup(void **state)
{
    (void)state;
    return fixture_setup(60, 16);
}

static ui_braille cv;

/* cells of row y in [x0, x1) that are not blank */
static int inked(int y, int x0, int x1)
{
    int n = 0;
    for (int x = x0; x < x1; x++) {
        uint32_t c = ui_grid_cat(&g, x, y)->ch;
        n += c != ' ' && c != 0x2800;
    }
    return n;
}

/* three flat curves, train at 3, val at 2, test at 1, over 40 epochs */
static double v3[3][40];

static void chart(ui_color_level level, bool utf8)
{
    for (int i = 0; i < 40; i++) {
        v3[0][i] = 3;
        v3[1][i] = 2;
        v3[2][i] = 1;
    }
    ui_series s[3] = {{v3[0], 40, UI_R_TRAIN, "train", 0, 0}, {v3[1], 40, UI_R_VAL, "val", 0, 0}, {v3[2], 40, UI_R_TEST, "test", 0, 0}};
    ui_theme_init(&th, level, utf8);
    ui_grid_clear(&g, ui_st(&th, UI_R_TEXT));
    ui_chart_draw(&g, ui_rect_make(0, 0, 60, 16), s, 3, 40, false, &th, &cv);
}

static void test_loss_curves_differ_by_pattern_without_colour(void **state)
{
    (void)state;
    char b[512];
    /* the plot is rows 1..13 (16 - 3), columns 8..59; train at the top row, test at the bottom one,
     * val in the middle (row 1 + (13*4 - 1) / 2 / 4) */
    chart(UI_COLOR_MONO, true);
    row(0, 0, 60, b, sizeof b);
    assert_string_equal(b, "\xe2\x94\x81 train 3 \xe2\x95\x8d val 2 \xe2\x94\x89 test 1");
    int train = inked(1, 8, 60), val = inked(7, 8, 60), test = inked(13, 8, 60);
    assert_int_equal(train, 52);        /* solid */
    assert_int_equal(val, 26);          /* dashed: four dots on, four off */
    assert_int_equal(test, 13);         /* dotted: two on, six off */
    assert_int_equal(ui_grid_cat(&g, 8, 7)->ch, 0x2800 + 0x24);    /* val: a dash of two cells ... */
    assert_int_equal(ui_grid_cat(&g, 9, 7)->ch, 0x2800 + 0x24);
    assert_int_equal(ui_grid_cat(&g, 10, 7)->ch, ' ');             /* ... then a gap of two */
    assert_int_equal(ui_grid_cat(&g, 8, 13)->ch, 0x2800 + 0xC0);   /* test: a dot ... */
    assert_int_equal(ui_grid_cat(&g, 9, 13)->ch, ' ');             /* ... and three empty cells */
    assert_int_equal(ui_grid_cat(&g, 11, 13)->ch, ' ');
    assert_int_equal(ui_grid_cat(&g, 12, 13)->ch, 0x2800 + 0xC0);
    /* each curve keeps its own attribute: train bold, test dim */
    assert_int_equal(ui_grid_cat(&g, 8, 1)->attr, UI_A_BOLD);
    assert_int_equal(ui_grid_cat(&g, 8, 13)->attr, UI_A_DIM);

    /* ASCII: by glyph, and the legend shows the glyphs */
    chart(UI_COLOR_MONO, false);
    row(0, 0, 60, b, sizeof b);
    assert_string_equal(b, "* train 3 + val 2 o test 1");
    row(1, 8, 52, b, sizeof b);
    assert_string_equal(b, "****************************************************");
    row(7, 8, 52, b, sizeof b);
    assert_string_equal(b, "++++++++++++++++++++++++++++++++++++++++++++++++++++");
    row(13, 8, 52, b, sizeof b);
    assert_string_equal(b, "oooooooooooooooooooooooooooooooooooooooooooooooooooo");

    /* with colour the curves stay solid, told apart by colour */
    chart(UI_COLOR_256, true);
    assert_int_equal(inked(7, 8, 60), 52);
    assert_int_equal(inked(13, 8, 60), 52);
}

/* Where curves meet without colour, a cell shows one of them: train, drawn last */
static void test_train_is_on_top_without_colour(void **state)
{
    (void)state;
    for (int i = 0; i < 40; i++)
        v3[0][i] = v3[1][i] = v3[2][i] = 1 + i;
    ui_series s[3] = {{v3[0], 40, UI_R_TRAIN, "train", 0, 0}, {v3[1], 40, UI_R_VAL, "val", 0, 0}, {v3[2], 40, UI_R_TEST, "test", 0, 0}};
    ui_theme_init(&th, UI_COLOR_MONO, false);
    ui_grid_clear(&g, ui_st(&th, UI_R_TEXT));
    ui_chart_draw(&g, ui_rect_make(0, 0, 60, 16), s, 3, 40, false, &th, &cv);
    assert_int_equal(ui_grid_cat(&g, 59, 1)->ch, '*');
    assert_int_equal(ui_grid_cat(&g, 8, 13)->ch, '*');
}

static void boundary_snapshot(void)
{
    snap.state = UI_RUN_PAUSED;
    snap.boundary.kind = UI_VIEW_BOUNDARY;
    snap.boundary.epoch = 3;
    snap.info.k = 2;
    snap.info.n_classes = 2;
    snap.info.n_features = 2;
    snprintf(snap.info.class_names[0], NN_NAME_MAX, "inner");
    snprintf(snap.info.class_names[1], NN_NAME_MAX, "outer");
    /* x over 52/18 of y's range: at the Boundary's aspect (a cell twice as tall as wide) the 52 x 9
     * plot is filled */
    snap.boundary.x_min = 0; snap.boundary.x_max = 52.0f / 18.0f; snap.boundary.y_min = 0; snap.boundary.y_max = 1;
    snap.boundary.grid_w = 2;
    snap.boundary.grid_h = 2;
    for (int i = 0; i < 4; i++) {
        snap.boundary.grid_class[i] = (uint8_t)(i % 2);   /* left class 0, right class 1 */
        snap.boundary.grid_conf[i] = i < 2 ? 1.0f : 0.5f; /* the bottom row unsure */
    }
    snap.boundary.n_points = 2;
    snap.boundary.points[0] = (ui_point){0.1f * 52.0f / 18.0f, 0.9f, 1, 0};   /* train, class 1, top left */
    snap.boundary.points[1] = (ui_point){0.9f * 52.0f / 18.0f, 0.1f, 0, 1};   /* test, class 0, bottom right */
}

static void test_boundary_legend_without_colour(void **state)
{
    (void)state;
    boundary_snapshot();
    ui_theme_init(&th, UI_COLOR_MONO, true);
    ui_grid_clear(&g, ui_st(&th, UI_R_TEXT));
    ui_boundary_panel(&g, ui_rect_make(0, 0, 60, 12), &snap, NULL, &th);
    char b[512];
    row(0, 0, 60, b, sizeof b);
    assert_string_equal(b, "epoch 3  points: train bold, test reversed");
    /* the words are drawn as the points are: "train" bold, "test" reversed */
    assert_int_equal(ui_grid_cat(&g, 17, 0)->attr, UI_A_BOLD);
    assert_int_equal(ui_grid_cat(&g, 29, 0)->attr, UI_A_REVERSE);
    row(1, 0, 60, b, sizeof b);
    assert_string_equal(b, "digit = class; regions:  . 0 inner  : 1 outer  blank unsure");
    /* the plot (from row 2, column 8, 52 x 9): the textures the legend names, and the points */
    assert_int_equal(ui_grid_cat(&g, 8, 3)->ch, '.');    /* class 0, sure */
    assert_int_equal(ui_grid_cat(&g, 59, 3)->ch, ':');   /* class 1, sure */
    assert_int_equal(ui_grid_cat(&g, 30, 9)->ch, ' ');   /* unsure */
    const ui_cell *tr = ui_grid_cat(&g, 8 + 5, 2), *te = ui_grid_cat(&g, 8 + 46, 2 + 8);
    assert_int_equal(tr->ch, '1');
    assert_int_equal(tr->attr, UI_A_BOLD);
    assert_int_equal(te->ch, '0');
    assert_int_equal(te->attr, UI_A_REVERSE);
    assert_int_equal(ui_grid_cat(&g, 8, 3)->attr, UI_A_DIM);   /* shading: the textures dim */

    /* hard regions (d): no cell blank, the textures not dim, and the legend does not promise blanks */
    ui_views hv = {0};
    hv.hard_regions = true;
    ui_grid_clear(&g, ui_st(&th, UI_R_TEXT));
    ui_boundary_panel(&g, ui_rect_make(0, 0, 60, 12), &snap, &hv, &th);
    row(1, 0, 60, b, sizeof b);
    assert_string_equal(b, "digit = class; regions:  . 0 inner  : 1 outer");
    assert_int_equal(ui_grid_cat(&g, 30, 9)->ch, '.');   /* the unsure cell, in its class's texture */
    assert_int_equal(ui_grid_cat(&g, 8, 3)->attr, 0);

    /* a surface: points 'o' and 'x', and the shading ramp */
    snap.boundary.kind = UI_VIEW_SURFACE;
    snap.boundary.grid_vmin = -1;
    snap.boundary.grid_vmax = 2;
    ui_grid_clear(&g, ui_st(&th, UI_R_TEXT));
    ui_boundary_panel(&g, ui_rect_make(0, 0, 60, 12), &snap, NULL, &th);
    row(0, 0, 60, b, sizeof b);
    assert_string_equal(b, "epoch 3  points: o train  x test  prediction -1..2");
    row(1, 0, 60, b, sizeof b);
    assert_string_equal(b, "shading, low to high: .:-=+*#%@");

    /* too short for a second line: the legend's first line only, the plot right under it */
    snap.boundary.kind = UI_VIEW_BOUNDARY;
    ui_grid_clear(&g, ui_st(&th, UI_R_TEXT));
    ui_boundary_panel(&g, ui_rect_make(0, 0, 60, 7), &snap, NULL, &th);
    row(1, 8, 52, b, sizeof b);
    assert_true(strstr(b, "regions") == NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_loss_curves_differ_by_pattern_without_colour, setup, teardown),
        cmocka_unit_test_setup_teardown(test_train_is_on_top_without_colour, setup, teardown),
        cmocka_unit_test_setup_teardown(test_boundary_legend_without_colour, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
