/* test_activation.c — activation values, stability, and backward against central differences. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "activation.h"
#include "rng.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn_assert.h"

static float fwd1(nn_act act, float alpha, float z)
{
    float a;
    nn_act_forward(act, alpha, &a, &z, 1, 1);
    return a;
}

static void test_table_rows_match_their_ids_and_names_round_trip(void **state)
{
    (void)state;
    for (int i = 0; i < NN_ACT_COUNT; i++) {
        assert_int_equal(nn_act_table[i].id, i);
        assert_non_null(nn_act_table[i].formula);
        assert_true(strlen(nn_act_table[i].formula) > 5);
        assert_int_equal(nn_act_from_name(nn_act_table[i].name), i);
        assert_string_equal(nn_act_name((nn_act)i), nn_act_table[i].name);
    }
    assert_int_equal(nn_act_from_name("relu6"), -1);
    assert_int_equal(nn_act_from_name(""), -1);
    assert_int_equal(nn_act_from_name(NULL), -1);
    assert_true(nn_act_table[NN_ACT_RELU].relu_like);
    assert_false(nn_act_table[NN_ACT_TANH].relu_like);
    assert_float_equal(nn_act_table[NN_ACT_LEAKY_RELU].default_alpha, 0.01f, 1e-9f);
    assert_float_equal(nn_act_table[NN_ACT_ELU].default_alpha, 1.0f, 1e-9f);
}

static void test_activations_give_known_values(void **state)
{
    (void)state;
    /* Reference values from python's math module. */
    ASSERT_NEAR(fwd1(NN_ACT_SIGMOID, 0, 0.0f), 0.5, 1e-7);
    ASSERT_NEAR(fwd1(NN_ACT_SIGMOID, 0, 2.0f), 0.8807970779778823, 1e-6);
    ASSERT_NEAR(fwd1(NN_ACT_SIGMOID, 0, -2.0f), 1.0 - 0.8807970779778823, 1e-6);
    ASSERT_NEAR(fwd1(NN_ACT_TANH, 0, 1.0f), 0.7615941559557649, 1e-6);
    ASSERT_NEAR(fwd1(NN_ACT_RELU, 0, -1.0f), 0.0, 0.0);
    ASSERT_NEAR(fwd1(NN_ACT_RELU, 0, 1.5f), 1.5, 0.0);
    ASSERT_NEAR(fwd1(NN_ACT_LEAKY_RELU, 0.01f, -2.0f), -0.02, 1e-7);
    ASSERT_NEAR(fwd1(NN_ACT_LEAKY_RELU, 0.2f, -2.0f), -0.4, 1e-7);
    ASSERT_NEAR(fwd1(NN_ACT_LEAKY_RELU, 0.01f, 3.0f), 3.0, 0.0);
    ASSERT_NEAR(fwd1(NN_ACT_LINEAR, 0, -3.25f), -3.25, 0.0);
    ASSERT_NEAR(fwd1(NN_ACT_ELU, 1.0f, -1.0f), -0.6321205588285577, 1e-6);
    ASSERT_NEAR(fwd1(NN_ACT_ELU, 2.0f, -1.0f), 2.0 * -0.6321205588285577, 1e-6);
    ASSERT_NEAR(fwd1(NN_ACT_ELU, 1.0f, 2.0f), 2.0, 0.0);
    ASSERT_NEAR(fwd1(NN_ACT_GELU, 0, 1.0f), 0.8413447460685429, 1e-6);
    ASSERT_NEAR(fwd1(NN_ACT_GELU, 0, -1.0f), -0.15865525393145707, 1e-6);
    ASSERT_NEAR(fwd1(NN_ACT_SWISH, 0, 1.0f), 0.7310585786300049, 1e-6);
    ASSERT_NEAR(fwd1(NN_ACT_SWISH, 0, 3.0f), 2.8577223804673, 1e-5);
    ASSERT_NEAR(fwd1(NN_ACT_SOFTPLUS, 0, 0.0f), 0.6931471805599453, 1e-6);
    ASSERT_NEAR(fwd1(NN_ACT_SOFTPLUS, 0, 2.0f), 2.1269280110429727, 1e-6);

    float z[6] = {1, 2, 3, 1001, 1002, 1003}, a[6];
    nn_act_forward(NN_ACT_SOFTMAX, 0, a, z, 2, 3);
    const double want[3] = {0.09003057317038046, 0.24472847105479767, 0.6652409557748219};
    for (int r = 0; r < 2; r++)
        for (int j = 0; j < 3; j++)
            ASSERT_NEAR(a[r * 3 + j], want[j], 1e-6);
}

static void test_activations_stay_finite_for_huge_inputs(void **state)
{
    (void)state;
    const float big[2] = {1000.0f, -1000.0f};
    for (int i = 0; i < NN_ACT_COUNT; i++) {
        if (i == NN_ACT_SOFTMAX)
            continue;
        float a[2], dz[2], da[2] = {1.0f, 1.0f};
        nn_act_forward((nn_act)i, nn_act_table[i].default_alpha, a, big, 1, 2);
        nn_act_backward((nn_act)i, nn_act_table[i].default_alpha, dz, da, big, a, 1, 2);
        for (int j = 0; j < 2; j++) {
            if (!isfinite(a[j]) || !isfinite(dz[j])) {
                print_error("%s(%g) = %g, derivative %g\n", nn_act_table[i].name, (double)big[j],
                            (double)a[j], (double)dz[j]);
                fail();
            }
        }
    }
    ASSERT_NEAR(fwd1(NN_ACT_SIGMOID, 0, 1000.0f), 1.0, 0.0);
    ASSERT_NEAR(fwd1(NN_ACT_SIGMOID, 0, -1000.0f), 0.0, 0.0);
    ASSERT_NEAR(fwd1(NN_ACT_SOFTPLUS, 0, 1000.0f), 1000.0, 0.0);
    ASSERT_NEAR(fwd1(NN_ACT_SOFTPLUS, 0, -1000.0f), 0.0, 0.0);
    ASSERT_NEAR(fwd1(NN_ACT_SOFTPLUS, 0, -20.0f), 2.061153618190204e-09, 1e-15);
    ASSERT_NEAR(fwd1(NN_ACT_ELU, 1.0f, -1000.0f), -1.0, 0.0);
    ASSERT_NEAR(fwd1(NN_ACT_SWISH, 0, -1000.0f), 0.0, 0.0);

    float z[3] = {1000.0f, -1000.0f, 999.0f}, a[3];
    nn_act_forward(NN_ACT_SOFTMAX, 0, a, z, 1, 3);
    ASSERT_NEAR(a[0], 0.7310585786300049, 1e-6);
    ASSERT_NEAR(a[1], 0.0, 0.0);
    ASSERT_NEAR(a[2], 1.0 - 0.7310585786300049, 1e-6);
}

/* Double-precision references for the activations computed without libm's float functions. */
static double ref_act(nn_act act, double alpha, double z)
{
    switch (act) {
    case NN_ACT_SIGMOID: return 1.0 / (1.0 + exp(-z));
    case NN_ACT_TANH: return tanh(z);
    case NN_ACT_ELU: return z > 0 ? z : alpha * expm1(z);
    case NN_ACT_SWISH: return z / (1.0 + exp(-z));
    case NN_ACT_SOFTPLUS: return z > 0 ? z + log1p(exp(-z)) : log1p(exp(z));
    case NN_ACT_LEAKY_RELU: return z > 0 ? z : alpha * z;
    case NN_ACT_GELU: return 0.5 * z * erfc(-z / sqrt(2.0));
    default: return 0.0;
    }
}

static void test_activations_match_double_precision_references_to_a_few_ulp(void **state)
{
    (void)state;
    const nn_act acts[] = {NN_ACT_SIGMOID, NN_ACT_TANH, NN_ACT_ELU, NN_ACT_SWISH, NN_ACT_SOFTPLUS,
                           NN_ACT_LEAKY_RELU, NN_ACT_GELU};
    /* relative tolerance: 4 ulp; gelu 1e-5: in its far left tail (z < -5, values below 1e-6)
     * exp(-z^2/2) inherits the rounding of the float argument z^2/2 (ulp 4e-6 near 45), still far
     * better than the textbook 0.5 z (1 + erff(z/sqrt2)), where 1 + erf cancels to nothing */
    const double tol[] = {4 * 1.1920929e-7, 4 * 1.1920929e-7, 4 * 1.1920929e-7, 4 * 1.1920929e-7,
                          4 * 1.1920929e-7, 4 * 1.1920929e-7, 1e-5};
    enum { N = 4096 };
    static float z[N], a[N];
    for (size_t k = 0; k < sizeof acts / sizeof *acts; k++) {
        double worst = 0.0;
        float worst_z = 0.0f;
        /* a dense sweep over [-90, 90], denser near 0 where series and formulas meet */
        for (int pass = 0; pass < 3; pass++) {
            for (int i = 0; i < N; i++) {
                if (pass == 0)
                    z[i] = -90.0f + 180.0f * (float)i / (float)(N - 1);
                else if (pass == 1)
                    z[i] = -1.0f + 2.0f * (float)i / (float)(N - 1);
                else   /* zero and powers of two down to 2^-126, both signs, where formulas switch */
                    z[i] = i < 2 ? 0.0f : ldexpf(i % 2 ? -1.0f : 1.0f, -(i / 2) % 127);
            }
            float alpha = nn_act_table[acts[k]].default_alpha;
            nn_act_forward(acts[k], alpha, a, z, 1, N);
            for (int i = 0; i < N; i++) {
                double ref = ref_act(acts[k], (double)alpha, (double)z[i]);
                double err = fabs((double)a[i] - ref) / fmax(fabs(ref), 1e-30);
                if (fabs(ref) < 1e-30)   /* underflow: exp below -87.3 is flushed to zero */
                    err = fabs((double)a[i]) < 1e-30 ? 0.0 : 1.0;
                if (err > worst) {
                    worst = err;
                    worst_z = z[i];
                }
            }
        }
        if (getenv("NN_TEST_VERBOSE"))
            fprintf(stderr, "%s: worst relative error %.3g at z = %.9g\n", nn_act_name(acts[k]), worst,
                    (double)worst_z);
        if (worst > tol[k]) {
            print_error("%s: relative error %g at z = %.9g\n", nn_act_name(acts[k]), worst, (double)worst_z);
            fail();
        }
    }
    /* softmax rows against a double computation */
    float zr[5] = {-3.0f, 0.5f, 2.0f, -50.0f, 1.25f}, ar[5];
    nn_act_forward(NN_ACT_SOFTMAX, 0, ar, zr, 1, 5);
    double sum = 0;
    for (int j = 0; j < 5; j++)
        sum += exp((double)zr[j] - 2.0);
    for (int j = 0; j < 5; j++) {
        double want = exp((double)zr[j] - 2.0) / sum;
        ASSERT_NEAR(ar[j], want, 4.0 * 1.1920929e-7 * want);
    }
}

static void test_gelu_derivative_matches_the_double_formula(void **state)
{
    (void)state;
    enum { N = 4001 };
    static float z[N], a[N], one[N], dz[N];
    for (int i = 0; i < N; i++) {
        z[i] = -10.0f + 20.0f * (float)i / (float)(N - 1);
        one[i] = 1.0f;
    }
    nn_act_forward(NN_ACT_GELU, 0, a, z, 1, N);
    nn_act_backward(NN_ACT_GELU, 0, dz, one, z, a, 1, N);
    for (int i = 0; i < N; i++) {
        double zd = (double)z[i];
        double want = 0.5 * erfc(-zd / sqrt(2.0)) + zd * exp(-0.5 * zd * zd) / sqrt(2.0 * 3.14159265358979323846);
        ASSERT_NEAR(dz[i], want, 4e-7);   /* absolute: the derivative crosses zero near z = -0.75 */
    }
}

static void test_forward_and_backward_work_in_place(void **state)
{
    (void)state;
    nn_rng rng;
    nn_rng_seed(&rng, 11);
    for (int i = 0; i < NN_ACT_COUNT; i++) {
        float z[12], a[12], inplace[12], da[12], dz[12];
        for (int j = 0; j < 12; j++) {
            z[j] = (float)(nn_rng_uniform(&rng) * 6.0 - 3.0);
            da[j] = (float)nn_rng_normal(&rng);
        }
        float alpha = nn_act_table[i].default_alpha;
        nn_act_forward((nn_act)i, alpha, a, z, 3, 4);
        memcpy(inplace, z, sizeof z);
        nn_act_forward((nn_act)i, alpha, inplace, inplace, 3, 4);
        assert_memory_equal(a, inplace, sizeof a);
        nn_act_backward((nn_act)i, alpha, dz, da, z, a, 3, 4);
        nn_act_backward((nn_act)i, alpha, da, da, z, a, 3, 4);
        assert_memory_equal(dz, da, sizeof dz);
    }
}

static void test_softmax_rows_sum_to_one(void **state)
{
    (void)state;
    nn_rng rng;
    nn_rng_seed(&rng, 2);
    float z[40], a[40];
    for (int j = 0; j < 40; j++)
        z[j] = (float)(nn_rng_normal(&rng) * 10.0);
    nn_act_forward(NN_ACT_SOFTMAX, 0, a, z, 5, 8);
    for (int r = 0; r < 5; r++) {
        double s = 0;
        for (int j = 0; j < 8; j++) {
            assert_true(a[r * 8 + j] >= 0.0f && a[r * 8 + j] <= 1.0f);
            s += (double)a[r * 8 + j];
        }
        ASSERT_NEAR(s, 1.0, 1e-5);
    }
}

/* S(z) = sum_ij c_ij f(z)_ij. Backward with da = c must give dS/dz; compare it with a central
 * difference of S evaluated in double over the float forward. Inputs stay 0.1 away from the
 * kinks of relu, leaky_relu and elu, and the step is 1e-2. The error is relative, with a floor of
 * 5e-2 on the denominator: float rounding in the forward limits a tiny derivative to ~1e-5. */
static void check_gradient(nn_act act, float alpha, uint64_t seed)
{
    enum { R = 4, C = 5, N = R * C };
    nn_rng rng;
    nn_rng_seed(&rng, seed);
    float z[N], a[N], c[N], dz[N];
    for (int i = 0; i < N; i++) {
        double v = nn_rng_uniform(&rng) * 8.0 - 4.0;
        if (fabs(v) < 0.1)
            v = v < 0 ? v - 0.1 : v + 0.1;
        z[i] = (float)v;
        c[i] = (float)nn_rng_normal(&rng);
    }
    nn_act_forward(act, alpha, a, z, R, C);
    nn_act_backward(act, alpha, dz, c, z, a, R, C);

    const float h = 1e-2f;
    double worst = 0.0, norm = 0.0;
    for (int i = 0; i < N; i++) {
        float zp[N], zm[N], ap[N], am[N];
        memcpy(zp, z, sizeof z);
        memcpy(zm, z, sizeof z);
        zp[i] = z[i] + h;
        zm[i] = z[i] - h;
        nn_act_forward(act, alpha, ap, zp, R, C);
        nn_act_forward(act, alpha, am, zm, R, C);
        double sp = 0.0, sm = 0.0;
        for (int j = 0; j < N; j++) {
            sp += (double)c[j] * (double)ap[j];
            sm += (double)c[j] * (double)am[j];
        }
        double num = (sp - sm) / ((double)zp[i] - (double)zm[i]);
        double ana = (double)dz[i];
        double err = fabs(num - ana) / fmax(fmax(fabs(num), fabs(ana)), 5e-2);
        if (err > worst)
            worst = err;
        norm += fabs(ana);
        if (err > 1e-3)
            print_error("%s: z[%d] = %g: analytic %.8g, numeric %.8g\n", nn_act_name(act), i,
                        (double)z[i], ana, num);
    }
    if (worst > 1e-3) {
        print_error("%s: worst relative error %g\n", nn_act_name(act), worst);
        fail();
    }
    if (!(norm > 1e-2)) {
        print_error("%s: gradient is (nearly) all zero: sum |dz| = %g\n", nn_act_name(act), norm);
        fail();
    }
}

/* Every row carries the engine's functions and a double reference; the reference agrees with the
 * engine on a sweep (forward and backward, one sample at a time as the Step view runs it), so a new
 * row cannot silently fall back to another activation in the Step view. */
/* selu against torch.nn.functional.selu (float64, torch 1.13): values and derivatives, the derivative
 * at 0 from the negative side as torch takes it. */
static void test_selu_gives_torchs_values_and_derivatives(void **state)
{
    (void)state;
    const float z[6] = {-3.0f, -1.0f, -0.5f, 0.0f, 0.5f, 2.0f};
    const double a_torch[6] = {-1.6705687287671118, -1.1113307378125625, -0.6917581878028713, 0.0,
                               0.5253504936777402, 2.101401974710961};
    const double d_torch[6] = {0.08753061208026487, 0.646768603034814, 1.0663411530445053, 1.7580993408473766,
                               1.0507009873554805, 1.0507009873554805};
    float a[6], one[6] = {1, 1, 1, 1, 1, 1}, d[6];
    nn_act_forward(NN_ACT_SELU, 0.0f, a, z, 2, 3);
    nn_act_backward(NN_ACT_SELU, 0.0f, d, one, z, a, 2, 3);
    for (int i = 0; i < 6; i++) {
        ASSERT_NEAR(a[i], a_torch[i], 2e-7 * fmax(1.0, fabs(a_torch[i])));
        ASSERT_NEAR(d[i], d_torch[i], 2e-7 * fmax(1.0, fabs(d_torch[i])));
    }
    assert_int_equal(nn_act_from_name("selu"), NN_ACT_SELU);
    assert_false(nn_act_table[NN_ACT_SELU].relu_like);   /* Xavier by default, the closest to LeCun's */
}

/* The GEMM epilogues (bias + activation; mask + derivative) on a block inside a wider matrix give
 * the same bits as the separate passes they replace, for every element-wise activation and every
 * block width up to 40 (the vector paths' masked edges), with signed zeros, infinities, NaN and
 * subnormals among the inputs; nothing outside the block is written. */
static void test_block_epilogues_give_the_bits_of_the_separate_passes(void **state)
{
    (void)state;
    enum { ROWS = 3, LD = 45 };
    const float special[] = {0.0f, -0.0f, INFINITY, -INFINITY, NAN, 1e-40f, -1e-40f, 1e-30f, -3.5f, 2.25f};
    const size_t ns = sizeof special / sizeof special[0];
    for (int i = 0; i < NN_ACT_COUNT; i++) {
        const nn_act_info *r = &nn_act_table[i];
        if (!r->elementwise)
            continue;
        for (int cols = 1; cols <= 40; cols++) {
            for (int masked = 0; masked < 2; masked++) {
                float z[ROWS * LD], a[ROWS * LD], b[LD], d[ROWS * LD], mask[ROWS * LD];
                float ze[ROWS * LD], ae[ROWS * LD], de[ROWS * LD];
                for (int k = 0; k < ROWS * LD; k++) {
                    z[k] = (k * 7) % 11 == 0 ? special[(size_t)k % ns] : (float)(((k * 37) % 23) - 11) * 0.173f;
                    d[k] = (k * 5) % 13 == 0 ? special[(size_t)(k + 3) % ns] : (float)(((k * 29) % 19) - 9) * 0.31f;
                    mask[k] = k % 3 == 0 ? 0.0f : 1.25f;
                    a[k] = -7.0f;
                }
                for (int j = 0; j < LD; j++)
                    b[j] = j % 9 == 4 ? special[(size_t)j % ns] : 0.01f * (float)(j - 20);
                /* the separate passes, row by row on copies */
                memcpy(ze, z, sizeof z);
                memcpy(ae, a, sizeof a);
                memcpy(de, d, sizeof d);
                for (int row = 0; row < ROWS; row++) {
                    float *zr = ze + row * LD + 2;
                    for (int j = 0; j < cols; j++)
                        zr[j] = zr[j] + b[j + 2];
                    nn_act_forward((nn_act)i, r->default_alpha, ae + row * LD + 2, zr, 1, cols);
                    float *dr = de + row * LD + 2;
                    if (masked)
                        for (int j = 0; j < cols; j++)
                            dr[j] = dr[j] * mask[row * LD + 2 + j];
                    nn_act_backward((nn_act)i, r->default_alpha, dr, dr, zr, ae + row * LD + 2, 1, cols);
                }
                /* the epilogues on the block at column 2 */
                nn_act_bias_forward_block((nn_act)i, r->default_alpha, a + 2, LD, z + 2, LD, b + 2, ROWS, cols);
                nn_act_backward_block((nn_act)i, r->default_alpha, d + 2, LD, masked ? mask + 2 : NULL, z + 2, a + 2,
                                      LD, ROWS, cols);
                if (memcmp(z, ze, sizeof z) != 0 || memcmp(a, ae, sizeof a) != 0 || memcmp(d, de, sizeof d) != 0)
                    fail_msg("%s: the block epilogues differ from the separate passes at width %d%s", r->name, cols,
                             masked ? " with a dropout mask" : "");
            }
        }
    }
}

static void test_every_row_has_a_reference_that_agrees_with_the_engine(void **state)
{
    (void)state;
    enum { N = 7 };
    for (int i = 0; i < NN_ACT_COUNT; i++) {
        const nn_act_info *r = &nn_act_table[i];
        assert_non_null(r->forward);
        assert_non_null(r->backward);
        assert_non_null(r->ref_forward);
        assert_non_null(r->ref_backward);
        assert_true(r->elementwise == (r->bias_forward_block != NULL));
        assert_true(r->elementwise == (r->backward_block != NULL));
        assert_true(!r->can_die || r->dead_warning);
        assert_true(!r->saturates || r->sat_lo < r->sat_hi);
        float alpha = r->default_alpha;
        for (int k = 0; k < 40; k++) {
            float z[N], a[N], da[N], dz[N];
            double zd[N], ad[N], dad[N], dzd[N];
            for (int j = 0; j < N; j++) {
                z[j] = (float)(-6.0 + 0.3 * k + 0.11 * j);
                da[j] = (float)(0.5 - 0.13 * j);
                zd[j] = (double)z[j];
                dad[j] = (double)da[j];
            }
            nn_act_forward((nn_act)i, alpha, a, z, 1, N);
            nn_act_backward((nn_act)i, alpha, dz, da, z, a, 1, N);
            r->ref_forward((double)alpha, ad, zd, N);
            r->ref_backward((double)alpha, dzd, dad, zd, ad, N);
            for (int j = 0; j < N; j++) {
                ASSERT_NEAR(a[j], ad[j], 1e-5 * fmax(1.0, fabs(ad[j])));
                ASSERT_NEAR(dz[j], dzd[j], 1e-5 * fmax(1.0, fabs(dzd[j])));
            }
        }
    }
    /* what Health counts, from the rows */
    assert_true(nn_act_table[NN_ACT_RELU].can_die && nn_act_table[NN_ACT_LEAKY_RELU].can_die);
    assert_true(nn_act_table[NN_ACT_SIGMOID].saturates && nn_act_table[NN_ACT_TANH].saturates);
    assert_false(nn_act_table[NN_ACT_GELU].can_die || nn_act_table[NN_ACT_GELU].saturates);
    assert_false(nn_act_table[NN_ACT_SOFTMAX].elementwise);
}

static void test_every_backward_matches_central_differences(void **state)
{
    (void)state;
    for (int i = 0; i < NN_ACT_COUNT; i++)
        for (uint64_t seed = 1; seed <= 3; seed++)
            check_gradient((nn_act)i, nn_act_table[i].default_alpha, seed);
    /* Non-default slopes too. */
    check_gradient(NN_ACT_LEAKY_RELU, 0.3f, 9);
    check_gradient(NN_ACT_ELU, 0.5f, 9);
}

static void test_relu_backward_passes_gradient_only_for_positive_inputs(void **state)
{
    (void)state;
    float z[4] = {-2.0f, -0.5f, 0.5f, 2.0f}, a[4], da[4] = {1, 2, 3, 4}, dz[4];
    nn_act_forward(NN_ACT_RELU, 0, a, z, 2, 2);
    nn_act_backward(NN_ACT_RELU, 0, dz, da, z, a, 2, 2);
    const float want[4] = {0, 0, 3, 4};
    assert_memory_equal(dz, want, sizeof want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_rows_match_their_ids_and_names_round_trip),
        cmocka_unit_test(test_activations_give_known_values),
        cmocka_unit_test(test_activations_stay_finite_for_huge_inputs),
        cmocka_unit_test(test_activations_match_double_precision_references_to_a_few_ulp),
        cmocka_unit_test(test_gelu_derivative_matches_the_double_formula),
        cmocka_unit_test(test_forward_and_backward_work_in_place),
        cmocka_unit_test(test_softmax_rows_sum_to_one),
        cmocka_unit_test(test_selu_gives_torchs_values_and_derivatives),
        cmocka_unit_test(test_block_epilogues_give_the_bits_of_the_separate_passes),
        cmocka_unit_test(test_every_row_has_a_reference_that_agrees_with_the_engine),
        cmocka_unit_test(test_every_backward_matches_central_differences),
        cmocka_unit_test(test_relu_backward_passes_gradient_only_for_positive_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
