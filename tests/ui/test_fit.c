/* Numbers and text that must fit their columns: the width-bounded number formatter (ui_fmt_fit),
 * text cut with an ellipsis, and the views that use them on exact cells (the Health table after a
 * divergence). */
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

static ui_snapshot snap;   /* large: static */
static ui_theme th;
static ui_grid g;

static int setup(void **state)
{
    (void)state;
    memset(&snap, 0, sizeof snap);
    ui_theme_init(&th, UI_COLOR_256, true);
    return ui_grid_init(&g, 100, 30) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ui_grid_free(&g);
    return 0;
}

static void row(int y, int x0, int w, char *out, int n) { ui_grid_row_text(&g, y, x0, w, out, n); }

static void assert_fit(double v, int width, const char *want)
{
    char b[32];
    int n = ui_fmt_fit(b, sizeof b, v, width);
    if (strcmp(b, want) != 0 || n != (int)strlen(want))
        fail_msg("ui_fmt_fit(%g, %d) = \"%s\" (%d), want \"%s\"", v, width, b, n, want);
}

static void test_fmt_fit_keeps_to_its_width(void **state)
{
    (void)state;
    /* ui_fmt_num's form where it fits */
    assert_fit(0.5, 8, "0.5");
    assert_fit(2.5e16, 8, "2.5e+16");
    assert_fit(NAN, 3, "-");
    assert_fit(0, 1, "0");
    /* narrower: fewer digits, then the short exponent */
    assert_fit(2.5e16, 6, "2.5e16");
    assert_fit(2.7e16, 4, "3e16");
    assert_fit(-1.25e-12, 7, "-1e-12");
    assert_fit(-1.25e-12, 8, "-1.2e-12");
    assert_fit(123.456, 5, "123.5");
    assert_fit(123.456, 3, "123");
    assert_fit(-0.0123456, 5, "-0.01");
    assert_fit(449365253339.6, 6, "4.5e11");
    assert_fit(-INFINITY, 4, "-inf");
    /* nothing fits: the spreadsheet's #### */
    assert_fit(2.5e16, 3, "###");
    assert_fit(-INFINITY, 2, "##");
    /* every value at every width stays inside it */
    const double vs[] = {1e300, -1e-300, 3.14159, -271828.0, 1e-4, 99999.5, 7e22, -0.0};
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++)
        for (int w = 1; w <= 10; w++) {
            char b[32];
            int n = ui_fmt_fit(b, sizeof b, vs[i], w);
            if (n > w || (int)strlen(b) != n)
                fail_msg("ui_fmt_fit(%g, %d) = \"%s\"", vs[i], w, b);
        }
}

/* lesson-learning-rate with lr 50: after a few epochs the numbers are astronomical */
static void test_health_row_after_divergence_stays_in_its_columns(void **state)
{
    (void)state;
    snap.health.valid = true;
    snap.health.epoch = 8;
    snap.health.batch = 1;
    nn_health *h = &snap.health.last;
    h->n_layers = 2;
    h->rows = 32;
    h->layer[0] = (nn_health_layer){2, 8, NN_ACT_RELU, 2.5e16, 1.2e18, 1.0e3, 0.25, (double)NAN, 4.49365253339e11, 8.1e12};
    h->layer[1] = (nn_health_layer){8, 2, NN_ACT_SOFTMAX, 3.0e15, -7.5e17, INFINITY, (double)NAN, (double)NAN, 0.5, 0.5};
    ui_grid_clear(&g, ui_st(&th, UI_R_TEXT));
    ui_health_panel(&g, ui_rect_make(0, 0, 90, 20), &snap, &th);
    char b[256];
    /* columns: layer 6, act 8, |grad W| 9, |W| 9, dW/W 9, dead 6, satur 6, a mean+-std 14 */
    row(2, 0, 74, b, sizeof b);
    assert_string_equal(b, "1      relu       2.5e+16   1.2e+18   1.0e+03    25%      - 4.5e+11\xc2\xb1" "8.1e12");
    row(3, 0, 74, b, sizeof b);
    assert_string_equal(b, "2 out  softmax    3.0e+15  -7.5e+17       inf      -      -      0.50\xc2\xb1" "0.50");
    /* nothing past the last column */
    row(2, 74, 16, b, sizeof b);
    assert_string_equal(b, "                ");
    /* the history's latest value fits its 8 columns too */
    for (int e = 1; e <= 3; e++)
        nn_health_history_push(&snap.health.hist, h, e);
    ui_grid_clear(&g, ui_st(&th, UI_R_TEXT));
    ui_health_panel(&g, ui_rect_make(0, 0, 90, 20), &snap, &th);
    int hr = -1;
    for (int y = 0; y < g.h && hr < 0; y++) {
        row(y, 0, 60, b, sizeof b);
        if (strstr(b, "weight norm |W| (log scale)"))
            hr = y;
    }
    assert_true(hr > 0);
    row(hr + 2, 0, 13, b, sizeof b);
    assert_string_equal(b, "  2 -7.5e+17 ");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fmt_fit_keeps_to_its_width, setup, teardown),
        cmocka_unit_test_setup_teardown(test_health_row_after_divergence_stays_in_its_columns, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
