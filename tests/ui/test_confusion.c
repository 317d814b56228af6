/* The confusion-matrix heatmap, asserted cell by cell. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "heatmap.h"

#include <stdio.h>
#include <string.h>

static const char names[3][NN_NAME_MAX] = {"setosa", "versicolor", "virginica"};
static const int cm[9] = {10, 0, 0, 0, 9, 1, 0, 2, 8};

static nn_class_metrics metrics(void)
{
    nn_class_metrics m;
    memset(&m, 0, sizeof m);
    m.k = 3; m.total = 30; m.correct = 27; m.accuracy = 0.9; m.macro_f1 = 0.899;
    m.precision[0] = 1; m.precision[1] = 9.0 / 11; m.precision[2] = 8.0 / 9;
    m.recall[0] = 1; m.recall[1] = 0.9; m.recall[2] = 0.8;
    m.f1[0] = 1; m.f1[1] = 0.857; m.f1[2] = 0.842;
    return m;
}

static void row(const ui_grid *g, int y, char *out)
{
    ui_grid_row_text(g, y, 0, g->w, out, 512);
}

static void test_heatmap_shows_accuracy_counts_and_metrics(void **state)
{
    (void)state;
    ui_theme th;
    ui_theme_init(&th, UI_COLOR_256, true);
    ui_grid g;
    assert_true(ui_grid_init(&g, 44, 9));
    nn_class_metrics m = metrics();
    ui_heatmap_confusion(&g, ui_rect_make(0, 0, 44, 9), cm, 3, names, &m, &th);
    char r[512];
    row(&g, 0, r);
    assert_non_null(strstr(r, "accuracy 90.0% (27/30)"));
    assert_non_null(strstr(r, "macro F1 0.899"));
    row(&g, 1, r);
    assert_non_null(strstr(r, "act\\pred"));
    row(&g, 2, r);
    assert_string_equal(r, "setosa      10   0   0                      ");
    row(&g, 3, r);
    assert_non_null(strstr(r, "versicolor   0   9   1"));
    /* 9 rows: no blank line between the tables, so every class keeps its metrics */
    row(&g, 5, r);
    assert_non_null(strstr(r, "precision"));
    row(&g, 7, r);
    assert_non_null(strstr(r, "versicolor     0.818     0.900     0.857"));
    row(&g, 8, r);
    assert_non_null(strstr(r, "virginica      0.889     0.800     0.842"));
    ui_grid_free(&g);
}

static void test_heatmap_colours_cells_by_their_share_of_the_row(void **state)
{
    (void)state;
    ui_theme th;
    ui_theme_init(&th, UI_COLOR_256, true);
    ui_grid g;
    assert_true(ui_grid_init(&g, 44, 9));
    nn_class_metrics m = metrics();
    ui_heatmap_confusion(&g, ui_rect_make(0, 0, 44, 9), cm, 3, names, &m, &th);
    /* name column 10 wide + 1, cells 4 wide: setosa/setosa at x = 11..14 */
    assert_int_equal(ui_grid_at(&g, 11, 2)->bg, th.heat_bg[th.heat_n - 1]);
    assert_int_equal(ui_grid_at(&g, 15, 2)->bg, th.heat_bg[0]);
    /* virginica predicted as versicolor: 2 of 10 -> 0.2 of the ramp */
    assert_int_equal(ui_grid_at(&g, 15, 4)->bg, ui_theme_heat(&th, 0.2).bg);
    assert_int_not_equal(ui_grid_at(&g, 15, 4)->bg, th.heat_bg[0]);
    ui_grid_free(&g);
}

static void test_heatmap_in_monochrome_marks_strong_cells_with_reverse(void **state)
{
    (void)state;
    ui_theme th;
    ui_theme_init(&th, UI_COLOR_MONO, false);
    ui_grid g;
    assert_true(ui_grid_init(&g, 44, 9));
    nn_class_metrics m = metrics();
    ui_heatmap_confusion(&g, ui_rect_make(0, 0, 44, 9), cm, 3, names, &m, &th);
    assert_true(ui_grid_at(&g, 12, 2)->attr & UI_A_REVERSE);
    assert_false(ui_grid_at(&g, 16, 2)->attr & UI_A_REVERSE);
    for (int i = 0; i < g.w * g.h; i++)
        assert_int_equal(g.cells[i].bg, -1);
    ui_grid_free(&g);
}

static void test_heatmap_with_many_classes_drops_counts_but_keeps_colours(void **state)
{
    (void)state;
    ui_theme th;
    ui_theme_init(&th, UI_COLOR_256, true);
    enum { K = 10 };
    char nm[K][NN_NAME_MAX];
    int big[K * K];
    for (int i = 0; i < K; i++) {
        snprintf(nm[i], NN_NAME_MAX, "%d", i);
        for (int j = 0; j < K; j++)
            big[i * K + j] = i == j ? 98000 : 10;
    }
    nn_class_metrics m;
    memset(&m, 0, sizeof m);
    ui_grid g;
    assert_true(ui_grid_init(&g, 30, 14));
    ui_heatmap_confusion(&g, ui_rect_make(0, 0, 30, 14), big, K, (const char (*)[NN_NAME_MAX])nm, &m, &th);
    char r[512];
    row(&g, 2, r);
    assert_null(strstr(r, "98000"));
    assert_int_equal(ui_grid_at(&g, 25, 11)->bg, th.heat_bg[th.heat_n - 1]);   /* class 9 diagonal: x = 7 + 9 * 2 */
    assert_int_equal(ui_grid_at(&g, 23, 11)->bg, th.heat_bg[0]);
    ui_grid_free(&g);
}

static void test_heatmap_numbers_the_columns_when_cut_names_collide(void **state)
{
    (void)state;
    ui_theme th;
    ui_theme_init(&th, UI_COLOR_256, true);
    static const char wine[3][NN_NAME_MAX] = {"cultivar_1", "cultivar_2", "cultivar_3"};
    ui_grid g;
    assert_true(ui_grid_init(&g, 44, 6));
    nn_class_metrics m = metrics();
    ui_heatmap_confusion(&g, ui_rect_make(0, 0, 44, 6), cm, 3, wine, &m, &th);
    char r[512];
    row(&g, 1, r);
    assert_non_null(strstr(r, "act\\pred     0   1   2"));
    row(&g, 2, r);
    assert_non_null(strstr(r, "0 cultivar  10   0   0"));
    ui_grid_free(&g);
}

/* Rows to spare (issue 14: the cells were small and the matrix used half the width): cells as tall as
 * the rows allow while they stay at least twice as many columns wide (here 4 rows by 23 columns; 3 rows
 * at most left a tall view half empty) and a row stays for the line under the sparklines, the counts and the heads centred, the whole cell coloured. */
static void test_heatmap_cells_grow_with_the_area(void **state)
{
    (void)state;
    ui_theme th;
    ui_theme_init(&th, UI_COLOR_256, true);
    ui_grid g;
    assert_true(ui_grid_init(&g, 80, 22));
    nn_class_metrics m = metrics();
    ui_heatmap_confusion(&g, ui_rect_make(0, 0, 80, 22), cm, 3, names, &m, &th);
    char r[512];
    row(&g, 1, r);
    assert_non_null(strstr(r, "act\\pred           setosa               versicolor              virginica"));
    row(&g, 4, r);
    assert_non_null(strstr(r, "setosa               10                      0                      0"));
    /* setosa's diagonal cell: columns 11..33, rows 2..5, all in the deepest colour */
    for (int y = 2; y <= 5; y++) {
        assert_int_equal(ui_grid_at(&g, 11, y)->bg, th.heat_bg[th.heat_n - 1]);
        assert_int_equal(ui_grid_at(&g, 33, y)->bg, th.heat_bg[th.heat_n - 1]);
    }
    assert_int_equal(ui_grid_at(&g, 34, 4)->bg, th.heat_bg[0]);
    assert_int_equal(ui_grid_at(&g, 11, 6)->bg, th.heat_bg[0]);   /* versicolor's row */
    row(&g, 8, r);
    assert_non_null(strstr(r, "versicolor            0                      9                      1"));
    /* the metrics table after a blank line */
    row(&g, 14, r);
    assert_null(strpbrk(r, "abcdefghijklmnopqrstuvwxyz0123456789"));
    row(&g, 15, r);
    assert_non_null(strstr(r, "precision"));
    row(&g, 18, r);
    assert_non_null(strstr(r, "virginica"));
    /* a click on the middle of virginica/versicolor */
    int a = -1, p = -1;
    assert_true(ui_heatmap_cell_at(ui_rect_make(0, 0, 80, 22), cm, 3, names, 45, 12, &a, &p));
    assert_int_equal(a, 2);
    assert_int_equal(p, 1);
    /* narrower: 44 columns give 11 a class, so 4 rows still; 30 give 6, so 3 rows */
    assert_int_equal(ui_heatmap_matrix_end(ui_rect_make(0, 0, 44, 22), cm, 3, names), 2 + 3 * 4);
    assert_int_equal(ui_heatmap_matrix_end(ui_rect_make(0, 0, 30, 22), cm, 3, names), 2 + 3 * 3);
    ui_grid_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_heatmap_cells_grow_with_the_area),
        cmocka_unit_test(test_heatmap_shows_accuracy_counts_and_metrics),
        cmocka_unit_test(test_heatmap_colours_cells_by_their_share_of_the_row),
        cmocka_unit_test(test_heatmap_in_monochrome_marks_strong_cells_with_reverse),
        cmocka_unit_test(test_heatmap_with_many_classes_drops_counts_but_keeps_colours),
        cmocka_unit_test(test_heatmap_numbers_the_columns_when_cut_names_collide),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
