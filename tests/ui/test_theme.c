/* Colour policy and palettes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "theme.h"

static void test_no_color_set_and_non_empty_means_monochrome(void **state)
{
    (void)state;
    assert_int_equal(ui_color_level_pick(true, 256, "1", false), UI_COLOR_MONO);
    assert_int_equal(ui_color_level_pick(true, 256, "", false), UI_COLOR_256);
    assert_int_equal(ui_color_level_pick(true, 256, NULL, false), UI_COLOR_256);
}

static void test_no_color_flag_means_monochrome(void **state)
{
    (void)state;
    assert_int_equal(ui_color_level_pick(true, 256, NULL, true), UI_COLOR_MONO);
}

static void test_colour_level_follows_the_terminal(void **state)
{
    (void)state;
    assert_int_equal(ui_color_level_pick(true, 65536, NULL, false), UI_COLOR_256);
    assert_int_equal(ui_color_level_pick(true, 16, NULL, false), UI_COLOR_8);
    assert_int_equal(ui_color_level_pick(true, 8, NULL, false), UI_COLOR_8);
    assert_int_equal(ui_color_level_pick(true, 2, NULL, false), UI_COLOR_MONO);
    assert_int_equal(ui_color_level_pick(false, 256, NULL, false), UI_COLOR_MONO);
}

static void test_utf8_only_for_a_utf8_codeset_without_ascii_flag(void **state)
{
    (void)state;
    assert_true(ui_utf8_ok("UTF-8", false));
    assert_true(ui_utf8_ok("utf8", false));
    assert_false(ui_utf8_ok("UTF-8", true));
    assert_false(ui_utf8_ok("ANSI_X3.4-1968", false));
    assert_false(ui_utf8_ok(NULL, false));
}

static void test_monochrome_uses_no_colour_numbers_at_all(void **state)
{
    (void)state;
    ui_theme t;
    ui_theme_init(&t, UI_COLOR_MONO, true);
    for (int r = 0; r < UI_R_COUNT; r++) {
        assert_int_equal(t.role[r].fg, -1);
        assert_int_equal(t.role[r].bg, -1);
    }
    assert_int_equal(t.heat_n, 0);
    assert_true(ui_theme_heat(&t, 1.0).attr & UI_A_REVERSE);
    assert_false(ui_theme_heat(&t, 0.0).attr & UI_A_REVERSE);
}

static void test_eight_colour_palette_stays_below_eight(void **state)
{
    (void)state;
    ui_theme t;
    ui_theme_init(&t, UI_COLOR_8, true);
    for (int r = 0; r < UI_R_COUNT; r++) {
        assert_true(t.role[r].fg < 8);
        assert_true(t.role[r].bg < 8);
    }
    for (int i = 0; i < t.heat_n; i++)
        assert_true(t.heat_bg[i] < 8);
}

static void test_heat_ramp_runs_from_the_first_to_the_last_colour(void **state)
{
    (void)state;
    ui_theme t;
    ui_theme_init(&t, UI_COLOR_256, true);
    assert_int_equal(ui_theme_heat(&t, 0).bg, t.heat_bg[0]);
    assert_int_equal(ui_theme_heat(&t, 1).bg, t.heat_bg[t.heat_n - 1]);
    assert_int_equal(ui_theme_heat(&t, 7.0).bg, t.heat_bg[t.heat_n - 1]);
    assert_int_equal(ui_theme_heat(&t, -1).bg, t.heat_bg[0]);
    assert_true(t.role[UI_R_TRAIN].fg != t.role[UI_R_VAL].fg);
    assert_true(t.role[UI_R_VAL].fg != t.role[UI_R_TEST].fg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_color_set_and_non_empty_means_monochrome),
        cmocka_unit_test(test_no_color_flag_means_monochrome),
        cmocka_unit_test(test_colour_level_follows_the_terminal),
        cmocka_unit_test(test_utf8_only_for_a_utf8_codeset_without_ascii_flag),
        cmocka_unit_test(test_monochrome_uses_no_colour_numbers_at_all),
        cmocka_unit_test(test_eight_colour_palette_stays_below_eight),
        cmocka_unit_test(test_heat_ramp_runs_from_the_first_to_the_last_colour),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
