/* The Step view on exact cells: the real batch step beside the one-sample what-if, each labelled,
 * and the vectors' numbers shown whole (never cut mid-number, never "-0"). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "views.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view_fixture.h"

static ui_views v;

static int setup(void **state)
{
    (void)state;
    memset(&v, 0, sizeof v);
    v.step_on = true;
    return fixture_setup(100, 30);
}


/* moons at lr 0.1 after one step: this sample's gradient alone would give w -0.0988, the batch's
 * mean gradient gave -0.0993 */
static void step_snapshot(void)
{
    snap.state = UI_RUN_PAUSED;
    snap.info.k = 2;
    snprintf(snap.info.class_names[0], NN_NAME_MAX, "inner");
    ui_trace *t = &snap.trace;
    t->valid = true;
    t->index = 0; t->row = 3; t->label = 0;
    t->layer = 0; t->i = 0; t->j = 1;
    t->epoch = 0; t->batch = 1;
    t->n_inputs = 2; t->n_layers = 2;
    t->in[0] = 2; t->out[0] = 2; t->act[0] = NN_ACT_RELU;
    t->in[1] = 2; t->out[1] = 2; t->act[1] = NN_ACT_SOFTMAX;
    t->loss_value = 0.5;
    t->x[0] = 0.5f; t->x[1] = 1.0f;
    t->a_prev_i = 0.5; t->delta_j = 0.02; t->grad = 0.01;
    t->batch_grad = 0.05;
    t->last_kept = true;
    t->last_w_before = -0.0943; t->last_w_after = -0.0993; t->last_lr = 0.1;
    t->step.kind = NN_OPT_SGD;
    t->step.t = 2;
    t->step.lr = 0.1;
    t->step.n_lines = 1;
    snprintf(t->step.lines[0], NN_HEALTH_LINE, "w \xe2\x86\x90 w \xe2\x88\x92 lr\xc2\xb7g = -0.0978 \xe2\x88\x92 0.1 \xc3\x97 0.01 = -0.0988");
}

static void test_the_real_step_and_the_what_if_are_labelled(void **state)
{
    (void)state;
    step_snapshot();
    clear();
    ui_step_panel(&g, ui_rect_make(0, 0, 100, 12), &snap, &v, &th);
    char b[512];
    /* the block at the bottom: gradient, real step, what-if title, formula */
    row(8, 0, 100, b, sizeof b);
    assert_string_equal(b, "\xe2\x88\x82L/\xe2\x88\x82W1[0][1] = x[0] \xc2\xb7 \xce\xb4" "1[1] = 0.5 \xc3\x97 0.02 = 0.01  (this sample)");
    row(9, 0, 100, b, sizeof b);
    assert_string_equal(b, "real step: the batch's mean gradient 0.05, lr 0.1: w -0.0943 \xe2\x86\x92 -0.0993");
    row(10, 0, 100, b, sizeof b);
    assert_string_equal(b, "what-if, this sample alone as the batch: sgd step 2, lr 0.1:");
    row(11, 0, 60, b, sizeof b);
    assert_string_equal(b, "  w \xe2\x86\x90 w \xe2\x88\x92 lr\xc2\xb7g = -0.0978 \xe2\x88\x92 0.1 \xc3\x97 0.01 = -0.0988");
    /* styles: the real step is a value, "what-if" a warning */
    assert_int_equal(ui_grid_cat(&g, 11, 9)->fg, ui_st(&th, UI_R_VALUE).fg);
    assert_int_equal(ui_grid_cat(&g, 0, 10)->fg, ui_st(&th, UI_R_WARN).fg);

    /* the last step was not measured (Space ran, then paused): only its gradient is known */
    snap.trace.last_kept = false;
    clear();
    ui_step_panel(&g, ui_rect_make(0, 0, 100, 12), &snap, &v, &th);
    row(9, 0, 100, b, sizeof b);
    assert_string_equal(b, "real step: the last batch's mean gradient 0.05 (S shows a step's w before and after)");
    /* no batch yet */
    snap.trace.batch_grad = NAN;
    clear();
    ui_step_panel(&g, ui_rect_make(0, 0, 100, 12), &snap, &v, &th);
    row(9, 0, 50, b, sizeof b);
    assert_string_equal(b, "real step: none yet (S trains one batch)");

    /* ASCII */
    snap.trace.batch_grad = 0.05;
    snap.trace.last_kept = true;
    ui_theme_init(&th, UI_COLOR_MONO, false);
    clear();
    ui_step_panel(&g, ui_rect_make(0, 0, 100, 12), &snap, &v, &th);
    row(9, 0, 80, b, sizeof b);
    assert_string_equal(b, "real step: the batch's mean gradient 0.05, lr 0.1: w -0.0943 -> -0.0993");
    /* narrow (the Step view at 80x24): the short forms */
    clear();
    ui_step_panel(&g, ui_rect_make(0, 0, 44, 12), &snap, &v, &th);
    row(8, 0, 44, b, sizeof b);
    assert_string_equal(b, "dL/dW1[0][1] = 0.5 x 0.02 = 0.01");
    row(9, 0, 44, b, sizeof b);
    assert_string_equal(b, "real step: w -0.0943 -> -0.0993");
    row(10, 0, 44, b, sizeof b);
    assert_string_equal(b, "what-if, this sample as the batch:");
}

static void test_vector_numbers_are_whole_and_never_minus_zero(void **state)
{
    (void)state;
    step_snapshot();
    snap.trace.n_inputs = 3;
    snap.trace.x[0] = -0.0f;
    snap.trace.x[1] = -4.0417e-05f;
    snap.trace.x[2] = -4.0417e-05f;
    char b[256];
    /* "x [0 -4.04e-05 -4.04e-05]" is 25 columns: whole at 25; at 24 the last entry goes whole */
    clear();
    ui_step_panel(&g, ui_rect_make(0, 0, 25, 12), &snap, &v, &th);
    row(1, 0, 30, b, sizeof b);
    assert_string_equal(b, "x [0 -4.04e-05 -4.04e-05]");
    clear();
    ui_step_panel(&g, ui_rect_make(0, 0, 24, 12), &snap, &v, &th);
    row(1, 0, 30, b, sizeof b);
    assert_string_equal(b, "x [0 -4.04e-05 ...]");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_the_real_step_and_the_what_if_are_labelled, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vector_numbers_are_whole_and_never_minus_zero, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
