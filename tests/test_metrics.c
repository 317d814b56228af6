/* test_metrics.c — confusion matrix orientation, per-class and macro metrics checked by hand
 * (a class never predicted has precision 0, not NaN), regression metrics, class prediction. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "metrics.h"

#include <math.h>

static void assert_close(double got, double want, double eps)
{
    if (!(fabs(got - want) <= eps))
        fail_msg("got %.17g, want %.17g (tolerance %g)", got, want, eps);
}

static void test_confusion_rows_are_actual_and_columns_predicted(void **state)
{
    (void)state;
    int cm[9];
    nn_confusion_clear(cm, 3);
    nn_confusion_add(cm, 3, 2, 0);   /* actual 2, predicted 0 */
    nn_confusion_add(cm, 3, 2, 0);
    nn_confusion_add(cm, 3, 1, 1);
    nn_confusion_add(cm, 3, 5, 1);   /* out of range: ignored */
    assert_int_equal(cm[2 * 3 + 0], 2);
    assert_int_equal(cm[0 * 3 + 2], 0);
    assert_int_equal(cm[1 * 3 + 1], 1);
    int sum = 0;
    for (int i = 0; i < 9; i++)
        sum += cm[i];
    assert_int_equal(sum, 3);
}

/* Hand-made 3-class matrix; class 2 is present but never predicted.
 *            pred 0  pred 1  pred 2
 * actual 0      5       1       0
 * actual 1      2       3       0
 * actual 2      1       3       0
 * precision: 5/8, 3/7, 0      recall: 5/6, 3/5, 0
 * f1: 2pr/(p+r): c0 = 2*(5/8)(5/6)/(5/8+5/6) = 10/14 = 0.714285..., c1 = 2*(3/7)(3/5)/(3/7+3/5) = 0.5, c2 = 0 */
static void test_metrics_from_hand_made_confusion_with_a_never_predicted_class(void **state)
{
    (void)state;
    const int cm[9] = {5, 1, 0, 2, 3, 0, 1, 3, 0};
    nn_class_metrics m;
    nn_metrics_from_confusion(&m, cm, 3);
    assert_int_equal(m.k, 3);
    assert_int_equal(m.total, 15);
    assert_int_equal(m.correct, 8);
    assert_close(m.accuracy, 8.0 / 15.0, 1e-7);
    assert_close(m.precision[0], 5.0 / 8.0, 1e-7);
    assert_close(m.precision[1], 3.0 / 7.0, 1e-7);
    assert_false(isnan(m.precision[2]));
    assert_close(m.precision[2], 0.0, 0.0);
    assert_close(m.recall[0], 5.0 / 6.0, 1e-7);
    assert_close(m.recall[1], 3.0 / 5.0, 1e-7);
    assert_close(m.recall[2], 0.0, 0.0);
    assert_close(m.f1[0], 10.0 / 14.0, 1e-7);
    assert_close(m.f1[1], 0.5, 1e-7);
    assert_false(isnan(m.f1[2]));
    assert_close(m.f1[2], 0.0, 0.0);
    assert_int_equal(m.support[0], 6);
    assert_int_equal(m.support[1], 5);
    assert_int_equal(m.support[2], 4);
    assert_close(m.macro_precision, (5.0 / 8.0 + 3.0 / 7.0) / 3.0, 1e-7);
    assert_close(m.macro_recall, (5.0 / 6.0 + 0.6) / 3.0, 1e-7);
    assert_close(m.macro_f1, (10.0 / 14.0 + 0.5) / 3.0, 1e-7);
}

static void test_metrics_of_an_absent_class_and_an_empty_matrix_are_zero_not_nan(void **state)
{
    (void)state;
    const int cm[4] = {4, 0, 0, 0};   /* class 1 never present and never predicted */
    nn_class_metrics m;
    nn_metrics_from_confusion(&m, cm, 2);
    assert_close(m.accuracy, 1.0, 0.0);
    assert_close(m.precision[1], 0.0, 0.0);
    assert_close(m.recall[1], 0.0, 0.0);
    assert_close(m.f1[1], 0.0, 0.0);
    assert_close(m.macro_f1, 0.5, 1e-9);

    const int zero[4] = {0, 0, 0, 0};
    nn_metrics_from_confusion(&m, zero, 2);
    assert_false(isnan(m.accuracy));
    assert_close(m.accuracy, 0.0, 0.0);
    assert_close(m.macro_f1, 0.0, 0.0);
}

static void test_regression_metrics_match_hand_values(void **state)
{
    (void)state;
    /* y = 1,2,3,4 (mean 2.5, SST 5); yhat = 1.5,2,2,5: errors .5,0,-1,1, SSE 2.25, SAE 2.5 */
    const float y[4] = {1, 2, 3, 4};
    const float yhat[4] = {1.5f, 2, 2, 5};
    nn_reg_metrics m;
    nn_reg_metrics_clear(&m);
    nn_reg_metrics_add(&m, yhat, y, 2, 1);          /* in two pieces: pooled */
    nn_reg_metrics_add(&m, yhat + 2, y + 2, 2, 1);
    nn_reg_metrics_finish(&m);
    assert_int_equal(m.n, 4);
    assert_close(m.sse, 2.25, 1e-9);
    assert_close(m.mse, 2.25 / 4.0, 1e-9);
    assert_close(m.mae, 2.5 / 4.0, 1e-9);
    assert_close(m.r2, 1.0 - 2.25 / 5.0, 1e-9);

    /* A perfect fit has R² 1; a constant target has R² 0 by definition (SST 0). */
    nn_reg_metrics_clear(&m);
    nn_reg_metrics_add(&m, y, y, 2, 2);
    nn_reg_metrics_finish(&m);
    assert_close(m.r2, 1.0, 1e-12);
    const float c[3] = {7, 7, 7};
    nn_reg_metrics_clear(&m);
    nn_reg_metrics_add(&m, yhat, c, 3, 1);
    nn_reg_metrics_finish(&m);
    assert_close(m.r2, 0.0, 0.0);
    assert_true(m.mse > 0.0);
}

static void test_predict_class_is_argmax_or_threshold_for_one_column(void **state)
{
    (void)state;
    const float a[4] = {0.1f, 0.7f, 0.2f, 0.7f};
    assert_int_equal(nn_predict_class(a, 4), 1);   /* first of equal maxima */
    const float b[3] = {-3.0f, -1.0f, -2.0f};
    assert_int_equal(nn_predict_class(b, 3), 1);
    const float p[1] = {0.5f}, q[1] = {0.49f};
    assert_int_equal(nn_predict_class(p, 1), 1);
    assert_int_equal(nn_predict_class(q, 1), 0);
}

/* Targets far from 0: mean 1e6 (and 1e5) with a spread of a few float steps. The one-pass
 * sum(y^2) - sum(y)^2/n lost the variance and reported R² 0; sklearn's r2_score on the same values
 * (as doubles) gives 0.9166344179842023 for both, and MSE 0.0078125 and 0.0001220703125. Added in
 * pieces of 512 rows as the trainer's evaluation does. */
static void test_r2_of_targets_with_a_large_offset_matches_sklearn(void **state)
{
    (void)state;
    const double base[2] = {1e6, 1e5}, step[2] = {0.0625, 0.0078125}, mse[2] = {0.0078125, 0.0001220703125};
    enum { N = 1200 };
    static float y[N], yhat[N];
    for (int c = 0; c < 2; c++) {
        for (int i = 0; i < N; i++) {
            y[i] = (float)(base[c] + step[c] * (double)((i * 37) % 17 - 8));
            yhat[i] = (float)((double)y[i] + step[c] * (double)((i * 11) % 5 - 2));
        }
        nn_reg_metrics m;
        nn_reg_metrics_clear(&m);
        for (int r0 = 0; r0 < N; r0 += 512)
            nn_reg_metrics_add(&m, yhat + r0, y + r0, N - r0 < 512 ? N - r0 : 512, 1);
        nn_reg_metrics_finish(&m);
        assert_close(m.r2, 0.9166344179842023, 1e-12);
        assert_close(m.mse, mse[c], 1e-15);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_confusion_rows_are_actual_and_columns_predicted),
        cmocka_unit_test(test_metrics_from_hand_made_confusion_with_a_never_predicted_class),
        cmocka_unit_test(test_metrics_of_an_absent_class_and_an_empty_matrix_are_zero_not_nan),
        cmocka_unit_test(test_regression_metrics_match_hand_values),
        cmocka_unit_test(test_r2_of_targets_with_a_large_offset_matches_sklearn),
        cmocka_unit_test(test_predict_class_is_argmax_or_threshold_for_one_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
