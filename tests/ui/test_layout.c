/* Panel rectangles for terminal sizes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "layout.h"

static bool overlap(ui_rect a, ui_rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/* Every shown panel inside the body, none overlapping, the status bar the last line. */
static void check_tiles(const ui_layout *l, int cols, int lines)
{
    for (int p = 0; p < UI_P_COUNT; p++) {
        ui_rect r = l->panel[p];
        if (p == UI_P_VIEW2 && r.w == 0)
            continue;
        assert_true(r.w > 0 && r.h > 0);
        assert_true(r.x >= 0 && r.y >= 0 && r.x + r.w <= cols && r.y + r.h <= lines - 1);
        for (int q = p + 1; q < UI_P_COUNT; q++)
            assert_false(overlap(r, l->panel[q]));
    }
    assert_int_equal(l->status.y, lines - 1);
    assert_int_equal(l->status.w, cols);
}

/* Every cell of the body belongs to a panel: nothing is left over (issue 14: the screen used to the full). */
static void check_filled(const ui_layout *l, int cols, int lines)
{
    for (int y = 0; y < lines - 1; y++)
        for (int x = 0; x < cols; x++)
            assert_true(ui_layout_hit(l, x, y) >= 0);
}

static void rect_is(ui_rect r, int x, int y, int w, int h)
{
    assert_int_equal(r.x, x);
    assert_int_equal(r.y, y);
    assert_int_equal(r.w, w);
    assert_int_equal(r.h, h);
}

/* What xor's panels want: Dataset 11 lines, Architecture 2 layers, Hyperparameters 18 lines. */
static const int xor_need[3] = {15, 8, 22};

static void test_80x24_shows_every_panel_with_one_left_panel_open(void **state)
{
    (void)state;
    ui_layout l;
    ui_layout_compute(&l, 80, 24, UI_P_LOSS, UI_P_HPARAMS, false, xor_need);
    assert_false(l.too_small);
    check_tiles(&l, 80, 24);
    check_filled(&l, 80, 24);
    assert_true(l.collapsed[UI_P_DATASET]);
    assert_true(l.collapsed[UI_P_ARCH]);
    assert_false(l.collapsed[UI_P_HPARAMS]);
    rect_is(l.panel[UI_P_DATASET], 0, 0, 34, 1);
    rect_is(l.panel[UI_P_ARCH], 0, 1, 34, 1);
    rect_is(l.panel[UI_P_HPARAMS], 0, 2, 34, 21);
    /* the view gets more than the Loss chart: 10 rows of Loss, 13 of view */
    rect_is(l.panel[UI_P_LOSS], 34, 0, 46, 10);
    rect_is(l.panel[UI_P_CONFUSION], 34, 10, 46, 13);
    assert_int_equal(l.panel[UI_P_VIEW2].w, 0);
}

/* 120x40 (issue 14: Dataset and Architecture were one line each while Hyperparameters had 13 empty
 * rows): all three open, each as tall as it needs and Dataset in the rest (it scrolls). */
static void test_120x40_opens_the_left_panels_by_need(void **state)
{
    (void)state;
    ui_layout l;
    ui_layout_compute(&l, 120, 40, UI_P_HPARAMS, UI_P_HPARAMS, false, xor_need);
    check_tiles(&l, 120, 40);
    check_filled(&l, 120, 40);
    for (int p = 0; p < UI_P_VIEW2; p++)
        assert_false(l.collapsed[p]);
    rect_is(l.panel[UI_P_DATASET], 0, 0, 38, 9);
    rect_is(l.panel[UI_P_ARCH], 0, 9, 38, 8);
    rect_is(l.panel[UI_P_HPARAMS], 0, 17, 38, 22);
    rect_is(l.panel[UI_P_LOSS], 38, 0, 82, 15);
    rect_is(l.panel[UI_P_CONFUSION], 38, 15, 82, 24);
    assert_int_equal(l.panel[UI_P_VIEW2].w, 0);
    /* Dataset focused: it opens whole, Hyperparameters scrolls in the rest */
    ui_layout_compute(&l, 120, 40, UI_P_DATASET, UI_P_DATASET, false, xor_need);
    check_filled(&l, 120, 40);
    rect_is(l.panel[UI_P_DATASET], 0, 0, 38, 15);
    rect_is(l.panel[UI_P_ARCH], 0, 15, 38, 8);
    rect_is(l.panel[UI_P_HPARAMS], 0, 23, 38, 16);
    /* too little room for a panel to open (UI_PART_H rows, two of its lines): one line */
    static const int big[3] = {30, 8, 22};
    ui_layout_compute(&l, 120, 40, UI_P_HPARAMS, UI_P_HPARAMS, false, big);
    check_filled(&l, 120, 40);
    rect_is(l.panel[UI_P_DATASET], 0, 0, 38, 9);
    ui_layout_compute(&l, 120, 30, UI_P_HPARAMS, UI_P_HPARAMS, false, big);
    check_filled(&l, 120, 30);
    rect_is(l.panel[UI_P_ARCH], 0, 1, 38, 6);   /* Architecture first (smaller), Dataset a line */
    assert_true(l.collapsed[UI_P_DATASET]);
    rect_is(l.panel[UI_P_HPARAMS], 0, 7, 38, 22);
    /* 80x24, Architecture open (iris: 2 layers): Dataset whole; 4 rows left open Hyperparameters (two
     * of its lines, scrolling) rather than leave them blank; 3 rows do not, and go to Architecture */
    static const int iris[3] = {13, 6, 22}, iris2[3] = {14, 6, 22};
    ui_layout_compute(&l, 80, 24, UI_P_ARCH, UI_P_ARCH, false, iris);
    check_filled(&l, 80, 24);
    rect_is(l.panel[UI_P_DATASET], 0, 0, 34, 13);
    rect_is(l.panel[UI_P_ARCH], 0, 13, 34, 6);
    rect_is(l.panel[UI_P_HPARAMS], 0, 19, 34, 4);
    assert_false(l.collapsed[UI_P_HPARAMS]);
    ui_layout_compute(&l, 80, 24, UI_P_ARCH, UI_P_ARCH, false, iris2);
    check_filled(&l, 80, 24);
    rect_is(l.panel[UI_P_ARCH], 0, 14, 34, 8);
    rect_is(l.panel[UI_P_HPARAMS], 0, 22, 34, 1);
    assert_true(l.collapsed[UI_P_HPARAMS]);
}

/* 220x60 (issue 14: the left column half empty, one view): the left panels whole, two views side by
 * side under the Loss chart. */
static void test_220x60_two_views_side_by_side(void **state)
{
    (void)state;
    ui_layout l;
    ui_layout_compute(&l, 220, 60, UI_P_DATASET, UI_P_DATASET, false, xor_need);
    check_tiles(&l, 220, 60);
    check_filled(&l, 220, 60);
    for (int p = 0; p < UI_P_COUNT; p++)
        assert_false(l.collapsed[p]);
    rect_is(l.panel[UI_P_DATASET], 0, 0, 56, 15);
    rect_is(l.panel[UI_P_ARCH], 0, 15, 56, 8);
    rect_is(l.panel[UI_P_HPARAMS], 0, 23, 56, 36);
    rect_is(l.panel[UI_P_LOSS], 56, 0, 164, 22);
    rect_is(l.panel[UI_P_CONFUSION], 56, 22, 82, 37);
    rect_is(l.panel[UI_P_VIEW2], 138, 22, 82, 37);
    assert_int_equal(ui_layout_hit(&l, 100, 40), UI_P_CONFUSION);
    assert_int_equal(ui_layout_hit(&l, 138, 40), UI_P_VIEW2);
    /* from exactly 200 columns; 199 keeps one view */
    ui_layout_compute(&l, 200, 50, UI_P_LOSS, UI_P_DATASET, false, xor_need);
    check_filled(&l, 200, 50);
    rect_is(l.panel[UI_P_CONFUSION], 56, 19, 72, 30);
    rect_is(l.panel[UI_P_VIEW2], 128, 19, 72, 30);
    ui_layout_compute(&l, 199, 50, UI_P_LOSS, UI_P_DATASET, false, xor_need);
    check_filled(&l, 199, 50);
    assert_int_equal(l.panel[UI_P_VIEW2].w, 0);
    rect_is(l.panel[UI_P_CONFUSION], 56, 19, 143, 30);
    /* the second view zoomed; below 200 columns it cannot be */
    ui_layout_compute(&l, 220, 60, UI_P_VIEW2, UI_P_DATASET, true, xor_need);
    rect_is(l.panel[UI_P_VIEW2], 0, 0, 220, 59);
    ui_layout_compute(&l, 160, 50, UI_P_VIEW2, UI_P_DATASET, true, xor_need);
    assert_int_equal(l.panel[UI_P_VIEW2].w, 0);
    assert_true(l.panel[UI_P_CONFUSION].w > 0);
}

static void test_160x50_opens_all_panels_at_once(void **state)
{
    (void)state;
    ui_layout l;
    ui_layout_compute(&l, 160, 50, UI_P_DATASET, UI_P_DATASET, false, NULL);
    assert_false(l.too_small);
    check_tiles(&l, 160, 50);
    check_filled(&l, 160, 50);
    for (int p = 0; p < UI_P_COUNT; p++)
        assert_false(l.collapsed[p]);
    assert_true(l.panel[UI_P_HPARAMS].h >= 24);
    assert_true(l.panel[UI_P_LOSS].w >= 100);
}

static void test_below_80x24_is_too_small(void **state)
{
    (void)state;
    ui_layout l;
    ui_layout_compute(&l, 79, 24, 0, 0, false, NULL);
    assert_true(l.too_small);
    ui_layout_compute(&l, 80, 23, 0, 0, false, NULL);
    assert_true(l.too_small);
    ui_layout_compute(&l, 50, 12, 0, 0, false, NULL);
    assert_true(l.too_small);
    assert_int_equal(ui_layout_hit(&l, 1, 1), -1);
}

static void test_300x100_still_tiles(void **state)
{
    (void)state;
    ui_layout l;
    ui_layout_compute(&l, 300, 100, 0, 0, false, NULL);
    check_filled(&l, 300, 100);
    check_tiles(&l, 300, 100);
    assert_int_equal(l.panel[UI_P_DATASET].w, 56);
}

static void test_zoom_gives_the_focused_panel_the_whole_screen(void **state)
{
    (void)state;
    ui_layout l;
    ui_layout_compute(&l, 80, 24, UI_P_CONFUSION, 0, true, NULL);
    assert_int_equal(l.panel[UI_P_CONFUSION].w, 80);
    assert_int_equal(l.panel[UI_P_CONFUSION].h, 23);
    assert_int_equal(l.panel[UI_P_LOSS].w, 0);
}

static void test_hit_finds_the_panel_under_the_mouse(void **state)
{
    (void)state;
    ui_layout l;
    ui_layout_compute(&l, 80, 24, 0, UI_P_DATASET, false, NULL);
    assert_int_equal(ui_layout_hit(&l, 5, 0), UI_P_DATASET);
    assert_int_equal(ui_layout_hit(&l, 5, 22), UI_P_HPARAMS);
    assert_int_equal(ui_layout_hit(&l, 50, 2), UI_P_LOSS);
    assert_int_equal(ui_layout_hit(&l, 50, 20), UI_P_CONFUSION);
    assert_int_equal(ui_layout_hit(&l, 50, 23), -1);
}

static void test_panel_titles_are_the_interface_words(void **state)
{
    (void)state;
    assert_string_equal(ui_panel_title(UI_P_LOSS), "Loss");
    assert_string_equal(ui_panel_title(UI_P_CONFUSION), "Confusion");
    assert_string_equal(ui_panel_title(UI_P_HPARAMS), "Hyperparameters");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_80x24_shows_every_panel_with_one_left_panel_open),
        cmocka_unit_test(test_120x40_opens_the_left_panels_by_need),
        cmocka_unit_test(test_220x60_two_views_side_by_side),
        cmocka_unit_test(test_160x50_opens_all_panels_at_once),
        cmocka_unit_test(test_below_80x24_is_too_small),
        cmocka_unit_test(test_300x100_still_tiles),
        cmocka_unit_test(test_zoom_gives_the_focused_panel_the_whole_screen),
        cmocka_unit_test(test_hit_finds_the_panel_under_the_mouse),
        cmocka_unit_test(test_panel_titles_are_the_interface_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
