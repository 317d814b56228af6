/* test_loss.c — loss values by hand, nn_loss_grad against central differences, and the complete
 * output gradient dL/dz (fused, or loss gradient then activation backward) for every loss paired
 * with every output activation it is used with. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "activation.h"
#include "loss.h"
#include "rng.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nn_assert.h"

static void test_table_rows_match_their_ids_and_names_round_trip(void **state)
{
    (void)state;
    for (int i = 0; i < NN_LOSS_COUNT; i++) {
        assert_int_equal(nn_loss_table[i].id, i);
        assert_true(strlen(nn_loss_table[i].formula) > 5);
        assert_int_equal(nn_loss_from_name(nn_loss_table[i].name), i);
        assert_string_equal(nn_loss_name((nn_loss)i), nn_loss_table[i].name);
    }
    assert_int_equal(nn_loss_from_name("binarycrossentropy"), NN_LOSS_BCE);
    assert_int_equal(nn_loss_from_name("crossentropy"), NN_LOSS_CE);
    assert_int_equal(nn_loss_from_name("hinge"), -1);
    assert_int_equal(nn_loss_from_name(NULL), -1);
}

static void test_losses_give_the_values_computed_by_hand(void **state)
{
    (void)state;
    /* Two samples, two outputs; errors 0.2, 0.2 (row 0) and 0.4, 0.4 (row 1). */
    const float yhat[4] = {0.2f, 0.8f, 0.6f, 0.4f};
    const float y[4] = {0.0f, 1.0f, 1.0f, 0.0f};
    /* mae: (0.2 + 0.2 + 0.4 + 0.4) / 2 rows */
    ASSERT_NEAR(nn_loss_value(NN_LOSS_MAE, yhat, y, 2, 2), 0.6, 1e-6);
    /* mse: (0.04 + 0.04 + 0.16 + 0.16) / 2 */
    ASSERT_NEAR(nn_loss_value(NN_LOSS_MSE, yhat, y, 2, 2), 0.2, 1e-6);
    /* rmse: sqrt(0.2) (not sqrt(sum)/n) */
    ASSERT_NEAR(nn_loss_value(NN_LOSS_RMSE, yhat, y, 2, 2), 0.4472135954999579, 1e-6);
    /* crossentropy: (-log 0.8 - log 0.6) / 2 */
    ASSERT_NEAR(nn_loss_value(NN_LOSS_CE, yhat, y, 2, 2), 0.3669845875401002, 1e-6);
    /* bce: every element contributes -log of the probability of its target:
     * (-log 0.8 - log 0.8 - log 0.6 - log 0.6) / 2 = -log 0.8 - log 0.6 */
    ASSERT_NEAR(nn_loss_value(NN_LOSS_BCE, yhat, y, 2, 2), 0.7339691750802004, 1e-6);
    /* The same batch as one row doubles the per-row sum. */
    ASSERT_NEAR(nn_loss_value(NN_LOSS_MSE, yhat, y, 1, 4), 0.4, 1e-6);
}

static void test_log_losses_clamp_probabilities_and_stay_finite(void **state)
{
    (void)state;
    const float yhat[2] = {0.0f, 1.0f};
    const float y[2] = {1.0f, 0.0f};
    double ce = nn_loss_value(NN_LOSS_CE, yhat, y, 1, 2);
    ASSERT_NEAR(ce, 16.11809565095832, 1e-3);   /* -log(1e-7) */
    double bce = nn_loss_value(NN_LOSS_BCE, yhat, y, 1, 2);
    ASSERT_NEAR(bce, 2.0 * 16.11809565095832, 2e-3);
    float g[2];
    nn_loss_grad(NN_LOSS_CE, g, yhat, y, 1, 2);
    assert_true(isfinite(g[0]) && isfinite(g[1]));
    assert_true(g[0] < 0.0f);
    nn_loss_grad(NN_LOSS_BCE, g, yhat, y, 1, 2);
    assert_true(isfinite(g[0]) && isfinite(g[1]));
    assert_true(g[0] < 0.0f && g[1] > 0.0f);
    /* A perfect prediction costs (almost) nothing. */
    const float perfect[2] = {1.0f, 0.0f};
    ASSERT_NEAR(nn_loss_value(NN_LOSS_CE, perfect, y, 1, 2), 0.0, 1e-6);
    ASSERT_NEAR(nn_loss_value(NN_LOSS_BCE, perfect, y, 1, 2), 0.0, 1e-6);
}

/* The fused pairs' reported loss comes from the pre-activations, unclamped: confidently wrong rows
 * cost what they cost (30 and 40, not -log(1e-7) = 16.1). Literals: torch 1.13's F.cross_entropy and
 * F.binary_cross_entropy_with_logits on the same z (float64). Other pairings keep the clamp. */
static void test_fused_losses_are_reported_from_the_logits_as_torch_does(void **state)
{
    (void)state;
    const float z[9] = {30.0f, 0.0f, 0.0f, 1.5f, -0.25f, 0.75f, -20.0f, 5.0f, 40.0f};
    const float y[9] = {0, 1, 0, 1, 0, 0, 1, 0, 0};
    float a[9];
    nn_act_forward(NN_ACT_SOFTMAX, 0.0f, a, z, 3, 3);
    /* within the float softmax's rounding (logsumexp's sum is taken from it) */
    ASSERT_NEAR(nn_loss_value_out(NN_LOSS_CE, NN_ACT_SOFTMAX, z, a, y, 3, 3), 30.166144484914444, 1e-6);
    /* the clamped probabilities gave (16.118 + 0.53 + 16.118) / 3 */
    assert_true(nn_loss_value(NN_LOSS_CE, a, y, 3, 3) < 11.0);

    const float zb[4] = {-40.0f, 3.0f, -0.5f, 25.0f}, yb[4] = {1, 0, 1, 0};
    float ab[4];
    nn_act_forward(NN_ACT_SIGMOID, 0.0f, ab, zb, 4, 1);
    ASSERT_NEAR(nn_loss_value_out(NN_LOSS_BCE, NN_ACT_SIGMOID, zb, ab, yb, 4, 1), 17.255666083941936, 1e-12);

    /* a moderate row: the same value as from the probabilities */
    ASSERT_NEAR(nn_loss_value_out(NN_LOSS_CE, NN_ACT_SOFTMAX, z + 3, a + 3, y + 3, 1, 3),
                nn_loss_value(NN_LOSS_CE, a + 3, y + 3, 1, 3), 1e-6);
    /* not fused (crossentropy of sigmoid outputs, bce of softmax outputs, mse): the activations,
     * clamped where a log needs it */
    nn_act_forward(NN_ACT_SIGMOID, 0.0f, a, z, 3, 3);
    ASSERT_NEAR(nn_loss_value_out(NN_LOSS_CE, NN_ACT_SIGMOID, z, a, y, 3, 3), nn_loss_value(NN_LOSS_CE, a, y, 3, 3),
                0.0);
    ASSERT_NEAR(nn_loss_value_out(NN_LOSS_BCE, NN_ACT_SOFTMAX, z, a, y, 3, 3),
                nn_loss_value(NN_LOSS_BCE, a, y, 3, 3), 0.0);
    ASSERT_NEAR(nn_loss_value_out(NN_LOSS_MSE, NN_ACT_SOFTMAX, z, a, y, 3, 3), nn_loss_value(NN_LOSS_MSE, a, y, 3, 3),
                0.0);
}

static void test_rmse_gradient_is_zero_for_a_perfect_prediction(void **state)
{
    (void)state;
    const float y[3] = {1.0f, -2.0f, 3.0f};
    float g[3] = {7, 7, 7};
    nn_loss_grad(NN_LOSS_RMSE, g, y, y, 1, 3);
    for (int i = 0; i < 3; i++)
        assert_true(g[i] == 0.0f);
    ASSERT_NEAR(nn_loss_value(NN_LOSS_RMSE, y, y, 1, 3), 0.0, 0.0);
}

static void test_only_softmax_crossentropy_and_sigmoid_bce_are_fused(void **state)
{
    (void)state;
    int fused = 0;
    for (int l = 0; l < NN_LOSS_COUNT; l++)
        for (int a = 0; a < NN_ACT_COUNT; a++)
            fused += nn_loss_is_fused((nn_loss)l, (nn_act)a);
    assert_int_equal(fused, 2);
    assert_true(nn_loss_is_fused(NN_LOSS_CE, NN_ACT_SOFTMAX));
    assert_true(nn_loss_is_fused(NN_LOSS_BCE, NN_ACT_SIGMOID));
    assert_false(nn_loss_is_fused(NN_LOSS_MSE, NN_ACT_SOFTMAX));
    assert_false(nn_loss_is_fused(NN_LOSS_CE, NN_ACT_SIGMOID));
}

enum { R = 3, C = 4, N = R * C };

/* Targets for a loss: one-hot rows for crossentropy, 0/1 (and a soft 0.3) for bce, reals else. */
static void make_targets(nn_loss loss, float *y, nn_rng *rng)
{
    for (int r = 0; r < R; r++) {
        int hot = (int)nn_rng_below(rng, C);
        for (int j = 0; j < C; j++) {
            float *t = &y[r * C + j];
            if (loss == NN_LOSS_CE)
                *t = j == hot ? 1.0f : 0.0f;
            else if (loss == NN_LOSS_BCE)
                *t = (r == 1 && j == 2) ? 0.3f : (float)nn_rng_below(rng, 2);
            else
                *t = (float)(nn_rng_uniform(rng) * 2.0 - 1.0);
        }
    }
}

static void report(const char *what, double worst, double norm)
{
    if (worst > 1e-3) {
        print_error("%s: worst relative error %g\n", what, worst);
        fail();
    }
    if (!(norm > 1e-3)) {
        print_error("%s: gradient is (nearly) all zero (sum |g| = %g)\n", what, norm);
        fail();
    }
}

static double rel_err(double num, double ana)
{
    return fabs(num - ana) / fmax(fmax(fabs(num), fabs(ana)), 5e-2);
}

static void test_every_loss_gradient_matches_central_differences(void **state)
{
    (void)state;
    nn_rng rng;
    nn_rng_seed(&rng, 21);
    for (int l = 0; l < NN_LOSS_COUNT; l++) {
        nn_loss loss = (nn_loss)l;
        float y[N], yhat[N], g[N];
        make_targets(loss, y, &rng);
        for (int i = 0; i < N; i++) {
            /* Probabilities in (0.1, 0.9) for the log losses; for mae, 0.05 away from the kink. */
            double v = 0.1 + 0.8 * nn_rng_uniform(&rng);
            if (loss == NN_LOSS_MAE || loss == NN_LOSS_MSE || loss == NN_LOSS_RMSE) {
                v = (double)y[i] + (nn_rng_uniform(&rng) - 0.5);
                if (fabs(v - (double)y[i]) < 0.05)
                    v = (double)y[i] + 0.05;
            }
            yhat[i] = (float)v;
        }
        nn_loss_grad(loss, g, yhat, y, R, C);
        double worst = 0, norm = 0;
        const float h = 1e-3f;
        for (int i = 0; i < N; i++) {
            float p[N], m[N];
            memcpy(p, yhat, sizeof p);
            memcpy(m, yhat, sizeof m);
            p[i] += h;
            m[i] -= h;
            double num = (nn_loss_value(loss, p, y, R, C) - nn_loss_value(loss, m, y, R, C)) /
                         ((double)p[i] - (double)m[i]);
            double e = rel_err(num, (double)g[i]);
            if (e > 1e-3)
                print_error("%s: yhat[%d]: analytic %.8g numeric %.8g\n", nn_loss_name(loss), i,
                            (double)g[i], num);
            worst = fmax(worst, e);
            norm += fabs((double)g[i]);
        }
        report(nn_loss_name(loss), worst, norm);
    }
}

/* dL/dz the way the network computes it. */
static void output_delta(nn_loss loss, nn_act act, float *dz, const float *z, const float *a,
                         const float *y)
{
    if (nn_loss_is_fused(loss, act)) {
        nn_loss_fused_grad(dz, a, y, R, C);
    } else {
        nn_loss_grad(loss, dz, a, y, R, C);
        nn_act_backward(act, nn_act_table[act].default_alpha, dz, dz, z, a, R, C);
    }
}

static double loss_of_z(nn_loss loss, nn_act act, const float *z, const float *y)
{
    float a[N];
    nn_act_forward(act, nn_act_table[act].default_alpha, a, z, R, C);
    return nn_loss_value(loss, a, y, R, C);
}

static void check_pair(nn_loss loss, nn_act act, uint64_t seed)
{
    nn_rng rng;
    nn_rng_seed(&rng, seed);
    float y[N], z[N], a[N], dz[N];
    make_targets(loss, y, &rng);
    for (int i = 0; i < N; i++) {
        double v = nn_rng_uniform(&rng) * 3.0 - 1.5;
        if (fabs(v) < 0.1)
            v += 0.2;
        z[i] = (float)v;
    }
    nn_act_forward(act, nn_act_table[act].default_alpha, a, z, R, C);
    if (loss == NN_LOSS_MAE)   /* keep the predictions away from the kink of |yhat - y| */
        for (int i = 0; i < N; i++)
            if (fabsf(a[i] - y[i]) < 0.02f)
                y[i] += 0.1f;
    output_delta(loss, act, dz, z, a, y);

    const float h = 2e-3f;
    double worst = 0, norm = 0;
    for (int i = 0; i < N; i++) {
        float p[N], m[N];
        memcpy(p, z, sizeof p);
        memcpy(m, z, sizeof m);
        p[i] += h;
        m[i] -= h;
        double num = (loss_of_z(loss, act, p, y) - loss_of_z(loss, act, m, y)) /
                     ((double)p[i] - (double)m[i]);
        double e = rel_err(num, (double)dz[i]);
        if (e > 1e-3)
            print_error("%s + %s: z[%d]: analytic %.8g numeric %.8g\n", nn_loss_name(loss),
                        nn_act_name(act), i, (double)dz[i], num);
        worst = fmax(worst, e);
        norm += fabs((double)dz[i]);
    }
    char what[64];
    snprintf(what, sizeof what, "%s + %s", nn_loss_name(loss), nn_act_name(act));
    report(what, worst, norm);
}

static void test_output_gradient_matches_central_differences_for_every_loss_and_output_activation(void **state)
{
    (void)state;
    /* Regression losses with every output activation that makes sense for them (softmax + mse is
     * the pairing the seed got wrong by using the crossentropy form). */
    const nn_act regression_acts[] = {NN_ACT_LINEAR, NN_ACT_SIGMOID, NN_ACT_TANH, NN_ACT_SOFTMAX,
                                      NN_ACT_RELU, NN_ACT_SOFTPLUS, NN_ACT_ELU};
    const nn_loss regression[] = {NN_LOSS_MAE, NN_LOSS_MSE, NN_LOSS_RMSE};
    for (size_t l = 0; l < sizeof regression / sizeof *regression; l++)
        for (size_t a = 0; a < sizeof regression_acts / sizeof *regression_acts; a++)
            for (uint64_t s = 1; s <= 2; s++)
                check_pair(regression[l], regression_acts[a], s);
    /* Probability losses with the activations that output probabilities: fused and not. */
    for (uint64_t s = 1; s <= 3; s++) {
        check_pair(NN_LOSS_CE, NN_ACT_SOFTMAX, s);
        check_pair(NN_LOSS_CE, NN_ACT_SIGMOID, s);
        check_pair(NN_LOSS_BCE, NN_ACT_SIGMOID, s);
        check_pair(NN_LOSS_BCE, NN_ACT_SOFTMAX, s);
    }
}

/* Every row's double reference (the Step view's) gives the engine's loss and gradient for one
 * sample, and a row has its fused functions exactly when it names a fused output activation. */
static void test_every_row_has_a_reference_that_agrees_with_the_engine(void **state)
{
    (void)state;
    const float yhat[3] = {0.2f, 0.7f, 0.1f}, y[3] = {0.0f, 1.0f, 0.0f}, z[3] = {-0.4f, 0.9f, -1.3f};
    for (int i = 0; i < NN_LOSS_COUNT; i++) {
        const nn_loss_info *r = &nn_loss_table[i];
        assert_non_null(r->value);
        assert_non_null(r->grad);
        assert_non_null(r->ref);
        assert_true((r->fused_act >= 0) == (r->fused_value != NULL));
        assert_true((r->fused_act >= 0) == (r->fused_ref != NULL));
        double yd[3], yhd[3], zd[3], g[3];
        float gf[3];
        for (int j = 0; j < 3; j++) {
            yd[j] = (double)y[j];
            yhd[j] = (double)yhat[j];
            zd[j] = (double)z[j];
        }
        double v = r->ref(g, yhd, yd, 3);
        ASSERT_NEAR(v, nn_loss_value((nn_loss)i, yhat, y, 1, 3), 1e-6);
        nn_loss_grad((nn_loss)i, gf, yhat, y, 1, 3);
        for (int j = 0; j < 3; j++)
            ASSERT_NEAR(g[j], gf[j], 1e-5 * fmax(1.0, fabs(g[j])));
        if (r->fused_act >= 0) {
            float a[3];
            nn_act_forward((nn_act)r->fused_act, 0.0f, a, z, 1, 3);
            ASSERT_NEAR(r->fused_ref(zd, yd, 3), nn_loss_value_out((nn_loss)i, (nn_act)r->fused_act, z, a, y, 1, 3),
                        1e-6);
        }
    }
    assert_true(nn_loss_table[NN_LOSS_CE].classification && nn_loss_table[NN_LOSS_BCE].classification);
    assert_false(nn_loss_table[NN_LOSS_MSE].classification);
    assert_true(nn_loss_table[NN_LOSS_RMSE].root_of_mse);
}

static void test_fused_gradient_is_activation_minus_target_over_rows(void **state)
{
    (void)state;
    const float a[4] = {0.25f, 0.75f, 0.5f, 0.5f};
    const float y[4] = {0.0f, 1.0f, 1.0f, 0.0f};
    float dz[4];
    nn_loss_fused_grad(dz, a, y, 2, 2);
    const float want[4] = {0.125f, -0.125f, -0.25f, 0.25f};
    for (int i = 0; i < 4; i++)
        assert_float_equal(dz[i], want[i], 1e-7f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_rows_match_their_ids_and_names_round_trip),
        cmocka_unit_test(test_losses_give_the_values_computed_by_hand),
        cmocka_unit_test(test_log_losses_clamp_probabilities_and_stay_finite),
        cmocka_unit_test(test_fused_losses_are_reported_from_the_logits_as_torch_does),
        cmocka_unit_test(test_rmse_gradient_is_zero_for_a_perfect_prediction),
        cmocka_unit_test(test_only_softmax_crossentropy_and_sigmoid_bce_are_fused),
        cmocka_unit_test(test_every_loss_gradient_matches_central_differences),
        cmocka_unit_test(test_output_gradient_matches_central_differences_for_every_loss_and_output_activation),
        cmocka_unit_test(test_every_row_has_a_reference_that_agrees_with_the_engine),
        cmocka_unit_test(test_fused_gradient_is_activation_minus_target_over_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
