/* Braille canvas and line chart, asserted cell by cell. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "chart.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static ui_braille cv;

static void test_braille_rising_line_gives_the_two_expected_glyphs(void **state)
{
    (void)state;
    ui_braille_init(&cv, 2, 1);
    ui_braille_line(&cv, 0, 3, 3, 0, 7);
    assert_int_equal(cv.bits[0][0], 0x60);   /* U+2860 ⡠ */
    assert_int_equal(cv.bits[0][1], 0x0A);   /* U+280A ⠊ */
    ui_grid g;
    assert_true(ui_grid_init(&g, 2, 1));
    ui_braille_blit(&cv, &g, 0, 0, -1, false);
    assert_int_equal(ui_grid_at(&g, 0, 0)->ch, 0x2860);
    assert_int_equal(ui_grid_at(&g, 1, 0)->ch, 0x280A);
    assert_int_equal(ui_grid_at(&g, 0, 0)->fg, 7);
    ui_grid_free(&g);
}

static void test_braille_each_dot_has_its_own_bit(void **state)
{
    (void)state;
    static const uint8_t expect[4][2] = {{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}};
    for (int y = 0; y < 4; y++)
        for (int x = 0; x < 2; x++) {
            ui_braille_init(&cv, 1, 1);
            ui_braille_dot(&cv, x, y, 1);
            assert_int_equal(cv.bits[0][0], expect[y][x]);
        }
}

static void test_braille_steep_drop_leaves_no_gap_in_the_column(void **state)
{
    (void)state;
    ui_braille_init(&cv, 1, 3);
    ui_braille_line(&cv, 0, 0, 1, 11, 1);
    for (int r = 0; r < 3; r++)
        assert_int_not_equal(cv.bits[r][0], 0);
}

static void test_braille_other_colour_resets_the_cell(void **state)
{
    (void)state;
    ui_braille_init(&cv, 1, 1);
    ui_braille_dot(&cv, 0, 0, 1);
    ui_braille_dot(&cv, 0, 1, 1);
    assert_int_equal(cv.bits[0][0], 0x03);
    ui_braille_dot(&cv, 1, 3, 2);
    assert_int_equal(cv.bits[0][0], 0x80);
    assert_int_equal(cv.fg[0][0], 2);
}

static void test_braille_dots_outside_the_canvas_are_ignored(void **state)
{
    (void)state;
    ui_braille_init(&cv, 1, 1);
    ui_braille_dot(&cv, 2, 0, 1);
    ui_braille_dot(&cv, -1, 0, 1);
    ui_braille_dot(&cv, 0, 4, 1);
    assert_int_equal(cv.bits[0][0], 0);
}

static int count_braille(const ui_grid *g)
{
    int n = 0;
    for (int i = 0; i < g->w * g->h; i++)
        if (g->cells[i].ch > 0x2800 && g->cells[i].ch <= 0x28FF)
            n++;
    return n;
}

static int find_text(const ui_grid *g, const char *needle)
{
    char row[2048];
    for (int y = 0; y < g->h; y++) {
        ui_grid_row_text(g, y, 0, g->w, row, sizeof row);
        if (strstr(row, needle))
            return y;
    }
    return -1;
}

static void test_chart_draws_legend_axes_and_a_curve(void **state)
{
    (void)state;
    ui_theme th;
    ui_theme_init(&th, UI_COLOR_256, true);
    ui_grid g;
    assert_true(ui_grid_init(&g, 40, 12));
    double train[5] = {1.0, 0.6, 0.4, 0.3, 0.25};
    double val[5] = {1.1, 0.7, 0.5, 0.45, 0.4};
    ui_series s[2] = {{train, 5, UI_R_TRAIN, "train", 0, 0}, {val, 5, UI_R_VAL, "val", 0, 0}};
    ui_chart_draw(&g, ui_rect_make(0, 0, 40, 12), s, 2, 20, false, &th, &cv);
    assert_int_equal(find_text(&g, "train 0.25"), 0);
    assert_int_equal(find_text(&g, "val 0.4"), 0);
    assert_int_equal(find_text(&g, "epoch"), 11);
    assert_int_equal(find_text(&g, "    1.1\xe2\x94\x82"), 1);      /* max label and the y axis */
    assert_int_equal(find_text(&g, "   0.25\xe2\x94\x82"), 9);     /* min label on the last plot row */
    assert_int_equal(ui_grid_at(&g, 7, 10)->ch, 0x2514);           /* axis corner └ */
    assert_true(count_braille(&g) >= 4);
    /* the curve is in the series colours */
    bool train_col = false, val_col = false;
    for (int i = 0; i < g.w * g.h; i++) {
        if (g.cells[i].ch > 0x2800 && g.cells[i].ch <= 0x28FF) {
            train_col |= g.cells[i].fg == th.role[UI_R_TRAIN].fg;
            val_col |= g.cells[i].fg == th.role[UI_R_VAL].fg;
        }
    }
    assert_true(train_col);
    assert_true(val_col);
    ui_grid_free(&g);
}

static void test_chart_first_point_is_at_the_left_and_top_for_the_max(void **state)
{
    (void)state;
    ui_theme th;
    ui_theme_init(&th, UI_COLOR_MONO, true);
    ui_grid g;
    assert_true(ui_grid_init(&g, 30, 8));
    double v[2] = {2.0, 1.0};
    ui_series s = {v, 2, UI_R_TRAIN, "train", 0, 0};
    ui_chart_draw(&g, ui_rect_make(0, 0, 30, 8), &s, 1, 2, false, &th, &cv);
    /* plot starts at x = 8, y = 1; the first value is the max: top-left dot */
    uint32_t c = ui_grid_at(&g, 8, 1)->ch;
    assert_true(c >= 0x2800 && c <= 0x28FF);
    assert_true((c - 0x2800) & 0x01);
    /* the last value is the min: the bottom-right dot of the plot */
    uint32_t d = ui_grid_at(&g, 29, 5)->ch;
    assert_true(d >= 0x2800 && d <= 0x28FF);
    assert_true((d - 0x2800) & 0x80);
    ui_grid_free(&g);
}

/* A mark (the losses after a weight set by hand): a glyph at its place over the curve, its value in
 * the y range and, as the newest value of its series, in the legend; ASCII '#'. */
static void test_chart_marks_a_point_and_its_value_is_the_legends(void **state)
{
    (void)state;
    ui_theme th;
    ui_theme_init(&th, UI_COLOR_256, true);
    ui_grid g;
    assert_true(ui_grid_init(&g, 30, 8));
    double v[2] = {1.0, 0.5};
    ui_series s = {v, 2, UI_R_TRAIN, "train", 0, 0};
    ui_chart_mark mk[2] = {{1.0, 3.0, UI_R_TRAIN}, {1.0, NAN, UI_R_VAL}};
    ui_chart_draw_marks(&g, ui_rect_make(0, 0, 30, 8), &s, 1, mk, 2, 2, false, &th, &cv);
    /* plot from x = 8, y = 1, 22 x 5 cells: epoch 2 is the last column, 3.0 the top */
    const ui_cell *c = ui_grid_at(&g, 29, 1);
    assert_int_equal(c->ch, 0x25C6);
    assert_int_equal(c->fg, th.role[UI_R_TRAIN].fg);
    assert_true(c->attr & UI_A_BOLD);
    assert_int_equal(find_text(&g, "train 3 "), 0);
    assert_int_equal(find_text(&g, "      3\xe2\x94\x82"), 1);
    /* without marks: the series' own last value and range */
    ui_grid_clear(&g, ui_st(&th, UI_R_TEXT));
    ui_chart_draw(&g, ui_rect_make(0, 0, 30, 8), &s, 1, 2, false, &th, &cv);
    assert_int_equal(find_text(&g, "train 0.5 "), 0);
    assert_int_not_equal(ui_grid_at(&g, 29, 1)->ch, 0x25C6);
    ui_theme_init(&th, UI_COLOR_MONO, false);
    ui_grid_clear(&g, ui_st(&th, UI_R_TEXT));
    ui_chart_draw_marks(&g, ui_rect_make(0, 0, 30, 8), &s, 1, mk, 1, 2, false, &th, &cv);
    assert_int_equal(ui_grid_at(&g, 29, 1)->ch, '#');
    ui_grid_free(&g);
}

static void test_chart_log_scale_labels_powers_and_marks_the_legend(void **state)
{
    (void)state;
    ui_theme th;
    ui_theme_init(&th, UI_COLOR_8, true);
    ui_grid g;
    assert_true(ui_grid_init(&g, 40, 10));
    double v[3] = {1.0, 0.1, 0.01};
    ui_series s = {v, 3, UI_R_TRAIN, "train", 0, 0};
    ui_chart_draw(&g, ui_rect_make(0, 0, 40, 10), &s, 1, 3, true, &th, &cv);
    assert_int_equal(find_text(&g, "[log]"), 9);   /* left of the x labels */
    assert_int_equal(find_text(&g, "      1\xe2\x94\x82"), 1);
    assert_int_equal(find_text(&g, "   0.01\xe2\x94\x82"), 7);
    assert_int_equal(find_text(&g, "    0.1\xe2\x94\x82"), 1 + (7 - 1) / 2);  /* mid label = 10^-1 */
    ui_grid_free(&g);
}

static void test_chart_without_points_says_so_and_draws_no_dots(void **state)
{
    (void)state;
    ui_theme th;
    ui_theme_init(&th, UI_COLOR_256, true);
    ui_grid g;
    assert_true(ui_grid_init(&g, 40, 10));
    double v[1] = {(double)NAN};
    ui_series s = {v, 1, UI_R_TRAIN, "train", 0, 0};
    ui_chart_draw(&g, ui_rect_make(0, 0, 40, 10), &s, 1, 20, false, &th, &cv);
    assert_int_not_equal(find_text(&g, "no epochs yet"), -1);
    assert_int_equal(count_braille(&g), 0);
    assert_int_not_equal(find_text(&g, "train -"), -1);
    ui_grid_free(&g);
}

static void test_chart_ascii_mode_uses_stars_and_plain_axes(void **state)
{
    (void)state;
    ui_theme th;
    ui_theme_init(&th, UI_COLOR_MONO, false);
    ui_grid g;
    assert_true(ui_grid_init(&g, 30, 8));
    double v[3] = {3, 2, 1};
    ui_series s = {v, 3, UI_R_TRAIN, "train", 0, 0};
    ui_chart_draw(&g, ui_rect_make(0, 0, 30, 8), &s, 1, 3, false, &th, &cv);
    for (int i = 0; i < g.w * g.h; i++)
        assert_true(g.cells[i].ch < 128);
    assert_int_not_equal(find_text(&g, "*"), -1);
    assert_int_equal(ui_grid_at(&g, 7, 6)->ch, '+');
    ui_grid_free(&g);
}

static void test_fmt_num_keeps_labels_short(void **state)
{
    (void)state;
    char b[16];
    ui_fmt_num(b, sizeof b, 0.123456);
    assert_string_equal(b, "0.1235");
    ui_fmt_num(b, sizeof b, 0.00001234);
    assert_string_equal(b, "1.2e-05");
    ui_fmt_num(b, sizeof b, 0);
    assert_string_equal(b, "0");
    ui_fmt_num(b, sizeof b, (double)NAN);
    assert_string_equal(b, "-");
    ui_fmt_num(b, sizeof b, 1234.5678);
    assert_true(strlen(b) <= 7);
}

static void test_fmt_range_gives_both_ends_the_same_decimals(void **state)
{
    (void)state;
    char a[16], b[16];
    ui_fmt_range(a, b, sizeof a, 1.283, -1.3);   /* ui_fmt_num gave 1.283 and -1.3 */
    assert_string_equal(a, "1.3");
    assert_string_equal(b, "-1.3");
    ui_fmt_range(a, b, sizeof a, -3.0, 3.0);
    assert_string_equal(a, "-3.0");
    assert_string_equal(b, "3.0");
    ui_fmt_range(a, b, sizeof a, 0.12, 0.6049);
    assert_string_equal(a, "0.12");
    assert_string_equal(b, "0.60");
    ui_fmt_range(a, b, sizeof a, 0.0, 250.0);
    assert_string_equal(a, "0");
    assert_string_equal(b, "250");
    ui_fmt_range(a, b, sizeof a, -0.001, 0.5);   /* no "-0.00" */
    assert_string_equal(a, "0.00");
    assert_string_equal(b, "0.50");
    ui_fmt_range(a, b, sizeof a, -1234.5, -1234.499);   /* would not fit a label: the short form */
    assert_true(strlen(a) <= 7 && strlen(b) <= 7);
    ui_fmt_range(a, b, sizeof a, 1e5, 2e5);
    assert_string_equal(a, "1.0e+05");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_braille_rising_line_gives_the_two_expected_glyphs),
        cmocka_unit_test(test_braille_each_dot_has_its_own_bit),
        cmocka_unit_test(test_braille_steep_drop_leaves_no_gap_in_the_column),
        cmocka_unit_test(test_braille_other_colour_resets_the_cell),
        cmocka_unit_test(test_braille_dots_outside_the_canvas_are_ignored),
        cmocka_unit_test(test_chart_draws_legend_axes_and_a_curve),
        cmocka_unit_test(test_chart_first_point_is_at_the_left_and_top_for_the_max),
        cmocka_unit_test(test_chart_marks_a_point_and_its_value_is_the_legends),
        cmocka_unit_test(test_chart_log_scale_labels_powers_and_marks_the_legend),
        cmocka_unit_test(test_chart_without_points_says_so_and_draws_no_dots),
        cmocka_unit_test(test_chart_ascii_mode_uses_stars_and_plain_axes),
        cmocka_unit_test(test_fmt_num_keeps_labels_short),
        cmocka_unit_test(test_fmt_range_gives_both_ends_the_same_decimals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
