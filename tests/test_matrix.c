/* test_matrix.c — nn_gemm against the double-accumulating reference nn_gemm_ref, for every
 * transpose combination, odd sizes, padded leading dimensions, alpha/beta, NaN in C with
 * beta = 0, and bit-identical results for any pool size. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "matrix.h"
#include "pool.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    bool ta, tb;
    int m, n, k;
    int pad_a, pad_b, pad_c;  /* extra leading-dimension floats */
    float alpha, beta;
} gemm_case;

typedef struct {
    float *a, *b, *c, *c0;
    int lda, ldb, ldc;
    size_t na, nb, nc;
} gemm_data;

static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static void fill(float *v, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++)
        v[i] = (float)(lcg(&seed) & 0xffff) / 32768.0f - 1.0f;   /* [-1, 1) */
}

static void data_alloc(gemm_data *d, const gemm_case *t)
{
    int arows = t->ta ? t->k : t->m, acols = t->ta ? t->m : t->k;
    int brows = t->tb ? t->n : t->k, bcols = t->tb ? t->k : t->n;
    d->lda = acols + t->pad_a;
    d->ldb = bcols + t->pad_b;
    d->ldc = t->n + t->pad_c;
    d->na = (size_t)arows * d->lda + 1;
    d->nb = (size_t)brows * d->ldb + 1;
    d->nc = (size_t)t->m * d->ldc + 1;
    d->a = malloc(d->na * sizeof(float));
    d->b = malloc(d->nb * sizeof(float));
    d->c = malloc(d->nc * sizeof(float));
    d->c0 = malloc(d->nc * sizeof(float));
    assert_non_null(d->a);
    assert_non_null(d->b);
    assert_non_null(d->c);
    assert_non_null(d->c0);
    fill(d->a, d->na, 11u + (uint32_t)t->m);
    fill(d->b, d->nb, 23u + (uint32_t)t->n);
    fill(d->c0, d->nc, 37u + (uint32_t)t->k);
}

static void data_free(gemm_data *d)
{
    free(d->a);
    free(d->b);
    free(d->c);
    free(d->c0);
}

/* Runs nn_gemm and nn_gemm_ref on the same inputs and compares every element of C with a
 * tolerance for float accumulation over k terms of magnitude <= 1, and checks that the
 * padding between rows of C is untouched. */
static void check_case(const gemm_case *t, nn_pool *pool)
{
    gemm_data d;
    data_alloc(&d, t);
    float *ref = malloc(d.nc * sizeof(float));
    assert_non_null(ref);
    memcpy(ref, d.c0, d.nc * sizeof(float));
    memcpy(d.c, d.c0, d.nc * sizeof(float));
    nn_gemm_ref(t->ta, t->tb, t->m, t->n, t->k, t->alpha, d.a, d.lda, d.b, d.ldb, t->beta, ref, d.ldc);
    nn_gemm(pool, t->ta, t->tb, t->m, t->n, t->k, t->alpha, d.a, d.lda, d.b, d.ldb, t->beta, d.c, d.ldc);
    float tol = 1e-5f * (float)(t->k + 1) * (fabsf(t->alpha) + fabsf(t->beta) + 1.0f);
    for (int i = 0; i < t->m; i++) {
        for (int j = 0; j < d.ldc; j++) {
            size_t at = (size_t)i * d.ldc + j;
            if (j >= t->n) {
                if (memcmp(&d.c[at], &d.c0[at], sizeof(float)) != 0)
                    fail_msg("%s%s m=%d n=%d k=%d: padding C[%d][%d] was written", t->ta ? "T" : "N",
                             t->tb ? "T" : "N", t->m, t->n, t->k, i, j);
                continue;
            }
            if (!(fabsf(d.c[at] - ref[at]) <= tol * (1.0f + fabsf(ref[at]))))
                fail_msg("%s%s m=%d n=%d k=%d alpha=%g beta=%g: C[%d][%d] = %.9g, reference %.9g",
                         t->ta ? "T" : "N", t->tb ? "T" : "N", t->m, t->n, t->k, (double)t->alpha,
                         (double)t->beta, i, j, (double)d.c[at], (double)ref[at]);
        }
    }
    free(ref);
    data_free(&d);
}

static const int sizes[][3] = {
    {1, 1, 1}, {7, 5, 3}, {17, 33, 65}, {6, 16, 8}, {12, 32, 1}, {5, 15, 17}, {13, 47, 391},
    {128, 10, 128}, {33, 70, 800}, {130, 130, 20},
};
#define N_SIZES (int)(sizeof sizes / sizeof sizes[0])

static void run_all_sizes(nn_pool *pool, float alpha, float beta, int pad)
{
    for (int s = 0; s < N_SIZES; s++)
        for (int tr = 0; tr < 4; tr++) {
            gemm_case t = {.ta = tr & 1, .tb = tr >> 1, .m = sizes[s][0], .n = sizes[s][1],
                           .k = sizes[s][2], .pad_a = pad, .pad_b = 2 * pad, .pad_c = pad + 1,
                           .alpha = alpha, .beta = beta};
            check_case(&t, pool);
        }
}

static void test_gemm_matches_reference_for_all_transposes_and_odd_sizes(void **state)
{
    (void)state;
    run_all_sizes(NULL, 1.0f, 0.0f, 0);
}

static void test_gemm_matches_reference_with_leading_dimensions_wider_than_rows(void **state)
{
    (void)state;
    run_all_sizes(NULL, 1.0f, 0.0f, 3);
}

static void test_gemm_applies_alpha_and_beta(void **state)
{
    (void)state;
    static const float ab[][2] = {{2.5f, 1.0f}, {-0.5f, 0.25f}, {1.0f, -1.0f}, {0.0f, 2.0f}};
    for (int i = 0; i < 4; i++)
        run_all_sizes(NULL, ab[i][0], ab[i][1], 1);
}

static void test_gemm_matches_reference_on_a_pool_of_two_threads(void **state)
{
    (void)state;
    nn_error err;
    nn_pool *p = nn_pool_create(2, &err);
    assert_non_null(p);
    run_all_sizes(p, 1.5f, 0.5f, 2);
    /* Big enough to be split across the pool. */
    gemm_case big[] = {
        {false, false, 128, 256, 784, 0, 0, 0, 1.0f, 0.0f},
        {true, false, 784, 256, 128, 0, 0, 0, 1.0f, 1.0f},
        {false, true, 128, 784, 256, 0, 0, 0, -1.0f, 0.0f},
        {true, true, 101, 203, 307, 5, 1, 2, 0.5f, 2.0f},
    };
    for (int i = 0; i < 4; i++)
        check_case(&big[i], p);
    nn_pool_destroy(p);
}

static void test_gemm_with_beta_zero_does_not_propagate_nan_from_c(void **state)
{
    (void)state;
    nn_error err;
    nn_pool *p = nn_pool_create(2, &err);
    assert_non_null(p);
    static const int dims[][3] = {{1, 1, 1}, {7, 5, 3}, {17, 33, 65}, {128, 256, 784}};
    for (int s = 0; s < 4; s++)
        for (int tr = 0; tr < 4; tr++)
            for (int withpool = 0; withpool < 2; withpool++) {
                gemm_case t = {.ta = tr & 1, .tb = tr >> 1, .m = dims[s][0], .n = dims[s][1],
                               .k = dims[s][2], .alpha = 1.0f, .beta = 0.0f};
                gemm_data d;
                data_alloc(&d, &t);
                for (size_t i = 0; i < d.nc; i++)
                    d.c[i] = NAN;
                nn_gemm(withpool ? p : NULL, t.ta, t.tb, t.m, t.n, t.k, 1.0f, d.a, d.lda, d.b,
                        d.ldb, 0.0f, d.c, d.ldc);
                for (int i = 0; i < t.m * t.n; i++)
                    if (isnan(d.c[i]))
                        fail_msg("m=%d n=%d k=%d: C[%d] is NaN", t.m, t.n, t.k, i);
                data_free(&d);
            }
    nn_pool_destroy(p);
}

static void test_gemm_with_k_zero_scales_c_by_beta(void **state)
{
    (void)state;
    float c[6] = {1, 2, 3, 4, 5, 6}, a[1] = {7}, b[1] = {9};
    nn_gemm(NULL, false, false, 2, 3, 0, 1.0f, a, 1, b, 3, 0.5f, c, 3);
    for (int i = 0; i < 6; i++)
        assert_float_equal(c[i], 0.5f * (float)(i + 1), 0.0f);
    for (int i = 0; i < 6; i++)
        c[i] = NAN;
    nn_gemm(NULL, false, false, 2, 3, 0, 1.0f, a, 1, b, 3, 0.0f, c, 3);
    for (int i = 0; i < 6; i++)
        assert_float_equal(c[i], 0.0f, 0.0f);
}

static void test_gemm_gives_bit_identical_results_for_any_thread_count(void **state)
{
    (void)state;
    nn_error err;
    nn_pool *pools[4] = {NULL, NULL, NULL, NULL};
    for (int t = 1; t <= 3; t++) {
        pools[t] = nn_pool_create(t, &err);
        assert_non_null(pools[t]);
    }
    static const int dims[][3] = {{128, 256, 784}, {784, 256, 128}, {128, 784, 256},
                                  {1000, 10, 128}, {77, 91, 1000}, {128, 128, 10}};
    for (int s = 0; s < 6; s++)
        for (int tr = 0; tr < 4; tr++) {
            gemm_case t = {.ta = tr & 1, .tb = tr >> 1, .m = dims[s][0], .n = dims[s][1],
                           .k = dims[s][2], .pad_c = 1, .alpha = 0.75f, .beta = 0.5f};
            gemm_data d;
            data_alloc(&d, &t);
            float *first = malloc(d.nc * sizeof(float));
            assert_non_null(first);
            for (int pi = 0; pi < 4; pi++) {
                memcpy(d.c, d.c0, d.nc * sizeof(float));
                nn_gemm(pools[pi], t.ta, t.tb, t.m, t.n, t.k, t.alpha, d.a, d.lda, d.b, d.ldb,
                        t.beta, d.c, d.ldc);
                if (pi == 0)
                    memcpy(first, d.c, d.nc * sizeof(float));
                else if (memcmp(first, d.c, d.nc * sizeof(float)) != 0)
                    fail_msg("%s%s m=%d n=%d k=%d: %d threads differ from NULL pool",
                             t.ta ? "T" : "N", t.tb ? "T" : "N", t.m, t.n, t.k, pi);
            }
            free(first);
            data_free(&d);
        }
    for (int t = 1; t <= 3; t++)
        nn_pool_destroy(pools[t]);
}

static void test_gemm_kernel_has_a_name(void **state)
{
    (void)state;
    const char *name = nn_gemm_kernel_name();
    assert_non_null(name);
    assert_true(strlen(name) > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gemm_matches_reference_for_all_transposes_and_odd_sizes),
        cmocka_unit_test(test_gemm_matches_reference_with_leading_dimensions_wider_than_rows),
        cmocka_unit_test(test_gemm_applies_alpha_and_beta),
        cmocka_unit_test(test_gemm_matches_reference_on_a_pool_of_two_threads),
        cmocka_unit_test(test_gemm_with_beta_zero_does_not_propagate_nan_from_c),
        cmocka_unit_test(test_gemm_with_k_zero_scales_c_by_beta),
        cmocka_unit_test(test_gemm_gives_bit_identical_results_for_any_thread_count),
        cmocka_unit_test(test_gemm_kernel_has_a_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
