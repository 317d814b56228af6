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

static void check_tiles(const ui_layout *l, int cols, int lines)
{
    for (int p = 0; p < UI_P_COUNT; p++) {
        ui_rect r = l->panel[p];
        assert_true(r.w > 0 && r.h > 0);
        assert_true(r.x >= 0 && r.y >= 0 && r.x + r.w <= cols && r.y + r.h <= lines - 1);
        for (int q = p + 1; q < UI_P_COUNT; q++)
            assert_false(overlap(r, l->panel[q]));
    }
    assert_int_equal(l->status.y, lines - 1);
    assert_int_equal(l->status.w, cols);
}

static void test_80x24_shows_every_panel_with_one_left_panel_open(void **state)
{
    (void)state;
    ui_layout l;
    ui_layout_compute(&l, 80, 24, UI_P_LOSS, UI_P_HPARAMS, false);
    assert_false(l.too_small);
    check_tiles(&l, 80, 24);
    assert_true(l.collapsed[UI_P_DATASET]);
    assert_true(l.collapsed[UI_P_ARCH]);
    assert_false(l.collapsed[UI_P_HPARAMS]);
    assert_int_equal(l.panel[UI_P_HPARAMS].h, 21);
    assert_int_equal(l.panel[UI_P_DATASET].h, 1);
    assert_int_equal(l.panel[UI_P_LOSS].x, 34);
    assert_int_equal(l.panel[UI_P_LOSS].w, 46);
    assert_true(l.panel[UI_P_CONFUSION].h >= 10);
    /* every left panel line and the right column fill the 23 rows */
    assert_int_equal(l.panel[UI_P_HPARAMS].y + l.panel[UI_P_HPARAMS].h, 23);
    assert_int_equal(l.panel[UI_P_CONFUSION].y + l.panel[UI_P_CONFUSION].h, 23);
}

static void test_160x50_opens_all_panels_at_once(void **state)
{
    (void)state;
    ui_layout l;
    ui_layout_compute(&l, 160, 50, UI_P_DATASET, UI_P_DATASET, false);
    assert_false(l.too_small);
    check_tiles(&l, 160, 50);
    for (int p = 0; p < UI_P_COUNT; p++)
        assert_false(l.collapsed[p]);
    assert_true(l.panel[UI_P_HPARAMS].h >= 22);
    assert_true(l.panel[UI_P_LOSS].w >= 100);
}

static void test_below_80x24_is_too_small(void **state)
{
    (void)state;
    ui_layout l;
    ui_layout_compute(&l, 79, 24, 0, 0, false);
    assert_true(l.too_small);
    ui_layout_compute(&l, 80, 23, 0, 0, false);
    assert_true(l.too_small);
    ui_layout_compute(&l, 50, 12, 0, 0, false);
    assert_true(l.too_small);
    assert_int_equal(ui_layout_hit(&l, 1, 1), -1);
}

static void test_300x100_still_tiles(void **state)
{
    (void)state;
    ui_layout l;
    ui_layout_compute(&l, 300, 100, 0, 0, false);
    check_tiles(&l, 300, 100);
    assert_int_equal(l.panel[UI_P_DATASET].w, 56);
}

static void test_zoom_gives_the_focused_panel_the_whole_screen(void **state)
{
    (void)state;
    ui_layout l;
    ui_layout_compute(&l, 80, 24, UI_P_CONFUSION, 0, true);
    assert_int_equal(l.panel[UI_P_CONFUSION].w, 80);
    assert_int_equal(l.panel[UI_P_CONFUSION].h, 23);
    assert_int_equal(l.panel[UI_P_LOSS].w, 0);
}

static void test_hit_finds_the_panel_under_the_mouse(void **state)
{
    (void)state;
    ui_layout l;
    ui_layout_compute(&l, 80, 24, 0, UI_P_DATASET, false);
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
        cmocka_unit_test(test_160x50_opens_all_panels_at_once),
        cmocka_unit_test(test_below_80x24_is_too_small),
        cmocka_unit_test(test_300x100_still_tiles),
        cmocka_unit_test(test_zoom_gives_the_focused_panel_the_whole_screen),
        cmocka_unit_test(test_hit_finds_the_panel_under_the_mouse),
        cmocka_unit_test(test_panel_titles_are_the_interface_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
