/* test_matrix.c — nn_gemm against the double-accumulating reference nn_gemm_ref, for every
 * transpose combination, odd sizes, padded leading dimensions, alpha/beta, NaN in C with
 * beta = 0, every kernel this CPU has, bit-identical results for any pool size and between the
 * AVX2 and AVX-512 kernels, epilogues that see every block of C once, and several products run
 * as one job. */
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
    nn_gemm_isa isa;          /* NN_GEMM_AUTO unless a test asks for a kernel */
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
    nn_gemm_args g = {.trans_a = t->ta, .trans_b = t->tb, .m = t->m, .n = t->n, .k = t->k,
                      .alpha = t->alpha, .beta = t->beta, .a = d.a, .lda = d.lda, .b = d.b,
                      .ldb = d.ldb, .c = d.c, .ldc = d.ldc, .isa = t->isa};
    nn_gemm_run(pool, &g, 1);
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
                fail_msg("%s %s%s m=%d n=%d k=%d alpha=%g beta=%g: C[%d][%d] = %.9g, reference %.9g",
                         nn_gemm_isa_name(t->isa), t->ta ? "T" : "N", t->tb ? "T" : "N", t->m, t->n, t->k,
                         (double)t->alpha,
                         (double)t->beta, i, j, (double)d.c[at], (double)ref[at]);
        }
    }
    free(ref);
    data_free(&d);
}

static const int sizes[][3] = {
    {1, 1, 1}, {7, 5, 3}, {17, 33, 65}, {6, 16, 8}, {12, 32, 1}, {5, 15, 17}, {13, 47, 391},
    {128, 10, 128}, {33, 70, 800}, {130, 130, 20}, {9, 17, 5}, {8, 32, 7}, {16, 31, 33},
};
#define N_SIZES (int)(sizeof sizes / sizeof sizes[0])

/* Every size and transpose, on every kernel this CPU can run. */
static void run_all_sizes(nn_pool *pool, float alpha, float beta, int pad)
{
    for (int isa = 0; isa < NN_GEMM_ISA_COUNT; isa++) {
        if (!nn_gemm_isa_available((nn_gemm_isa)isa))
            continue;
        for (int s = 0; s < N_SIZES; s++)
            for (int tr = 0; tr < 4; tr++) {
                gemm_case t = {.ta = tr & 1, .tb = tr >> 1, .m = sizes[s][0], .n = sizes[s][1],
                               .k = sizes[s][2], .pad_a = pad, .pad_b = 2 * pad, .pad_c = pad + 1,
                               .alpha = alpha, .beta = beta, .isa = (nn_gemm_isa)isa};
                check_case(&t, pool);
            }
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
        {false, false, 128, 256, 784, 0, 0, 0, 1.0f, 0.0f, NN_GEMM_AUTO},
        {true, false, 784, 256, 128, 0, 0, 0, 1.0f, 1.0f, NN_GEMM_AUTO},
        {false, true, 128, 784, 256, 0, 0, 0, -1.0f, 0.0f, NN_GEMM_AUTO},
        {true, true, 101, 203, 307, 5, 1, 2, 0.5f, 2.0f, NN_GEMM_AUTO},
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

/* AVX2 and AVX-512 run the same FMA chain per element of C: the same bits, whatever the shape
 * (narrow n takes the 16-wide AVX-512 kernel), transposes, alpha and beta. Skipped (passes)
 * where the CPU lacks one of them. */
static void test_gemm_avx2_and_avx512_kernels_give_the_same_bits(void **state)
{
    (void)state;
    if (!nn_gemm_isa_available(NN_GEMM_AVX2) || !nn_gemm_isa_available(NN_GEMM_AVX512)) {
        printf("skipped: this CPU lacks AVX2 or AVX-512 (%s)\n", nn_gemm_kernel_name());
        return;
    }
    static const int dims[][3] = {{128, 256, 784}, {784, 256, 128}, {128, 784, 256}, {128, 10, 128},
                                  {128, 128, 10}, {77, 91, 1000}, {5, 3, 2}, {33, 17, 65}};
    static const float ab[][2] = {{1.0f, 0.0f}, {0.7f, 0.3f}, {-2.0f, 1.0f}};   /* 0.3: not exact */
    for (int s = 0; s < 8; s++)
        for (int tr = 0; tr < 4; tr++)
            for (int x = 0; x < 3; x++) {
                gemm_case t = {.ta = tr & 1, .tb = tr >> 1, .m = dims[s][0], .n = dims[s][1],
                               .k = dims[s][2], .pad_a = 1, .pad_c = 3, .alpha = ab[x][0], .beta = ab[x][1]};
                gemm_data d;
                data_alloc(&d, &t);
                float *c2 = malloc(d.nc * sizeof(float));
                assert_non_null(c2);
                memcpy(d.c, d.c0, d.nc * sizeof(float));
                memcpy(c2, d.c0, d.nc * sizeof(float));
                nn_gemm_args g = {.trans_a = t.ta, .trans_b = t.tb, .m = t.m, .n = t.n, .k = t.k,
                                  .alpha = t.alpha, .beta = t.beta, .a = d.a, .lda = d.lda, .b = d.b,
                                  .ldb = d.ldb, .c = d.c, .ldc = d.ldc, .isa = NN_GEMM_AVX2};
                nn_gemm_run(NULL, &g, 1);
                g.c = c2;
                g.isa = NN_GEMM_AVX512;
                nn_gemm_run(NULL, &g, 1);
                if (memcmp(d.c, c2, d.nc * sizeof(float)) != 0)
                    fail_msg("%s%s m=%d n=%d k=%d alpha=%g beta=%g: AVX2 and AVX-512 differ", t.ta ? "T" : "N",
                             t.tb ? "T" : "N", t.m, t.n, t.k, (double)t.alpha, (double)t.beta);
                free(c2);
                data_free(&d);
            }
}

/* The epilogue sees every element of C exactly once, after the product is final there, with
 * block coordinates that match the pointer it is given. */
typedef struct {
    int m, n, ldc;
    const float *c;
    int *seen;           /* (m, n) times each element was passed */
    const float *want;   /* the finished product */
    int bad;
} epi_check;

static void epi_record(void *ctx, float *c, int ldc, int r0, int rows, int c0, int cols)
{
    epi_check *e = ctx;
    if (ldc != e->ldc || c != e->c + (size_t)r0 * ldc + c0 || r0 < 0 || c0 < 0 || rows < 1 || cols < 1 ||
        r0 + rows > e->m || c0 + cols > e->n) {
        e->bad++;
        return;
    }
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++) {
            e->seen[(size_t)(r0 + i) * e->n + c0 + j]++;
            if (memcmp(&c[(size_t)i * ldc + j], &e->want[(size_t)(r0 + i) * ldc + c0 + j], sizeof(float)))
                e->bad++;
            c[(size_t)i * ldc + j] = -c[(size_t)i * ldc + j];   /* visible in C afterwards */
        }
}

static void test_gemm_epilogue_sees_each_final_element_once(void **state)
{
    (void)state;
    nn_error err;
    nn_pool *p = nn_pool_create(2, &err);
    assert_non_null(p);
    static const int dims[][3] = {{128, 256, 784}, {784, 10, 128}, {7, 5, 3}, {130, 130, 400}, {9, 40, 0}};
    for (int isa = 0; isa < NN_GEMM_ISA_COUNT; isa++) {
        if (!nn_gemm_isa_available((nn_gemm_isa)isa))
            continue;
        for (int s = 0; s < 5; s++)
            for (int tr = 0; tr < 4; tr++) {
                gemm_case t = {.ta = tr & 1, .tb = tr >> 1, .m = dims[s][0], .n = dims[s][1],
                               .k = dims[s][2], .pad_c = 2, .alpha = 1.0f, .beta = 0.5f};
                gemm_data d;
                data_alloc(&d, &t);
                float *want = malloc(d.nc * sizeof(float));
                int *seen = calloc((size_t)t.m * t.n, sizeof *seen);
                assert_non_null(want);
                assert_non_null(seen);
                memcpy(want, d.c0, d.nc * sizeof(float));
                nn_gemm_args g = {.trans_a = t.ta, .trans_b = t.tb, .m = t.m, .n = t.n, .k = t.k,
                                  .alpha = t.alpha, .beta = t.beta, .a = d.a, .lda = d.lda, .b = d.b,
                                  .ldb = d.ldb, .c = want, .ldc = d.ldc, .isa = (nn_gemm_isa)isa};
                nn_gemm_run(NULL, &g, 1);
                memcpy(d.c, d.c0, d.nc * sizeof(float));
                epi_check e = {t.m, t.n, d.ldc, d.c, seen, want, 0};
                g.c = d.c;
                g.epilogue = epi_record;
                g.ctx = &e;
                nn_gemm_run(p, &g, 1);
                assert_int_equal(e.bad, 0);
                for (int i = 0; i < t.m * t.n; i++)
                    if (seen[i] != 1)
                        fail_msg("%s m=%d n=%d k=%d: element %d seen %d times", nn_gemm_isa_name((nn_gemm_isa)isa),
                                 t.m, t.n, t.k, i, seen[i]);
                for (int i = 0; i < t.m; i++)
                    for (int j = 0; j < t.n; j++)
                        assert_true(d.c[(size_t)i * d.ldc + j] == -want[(size_t)i * d.ldc + j]);
                free(want);
                free(seen);
                data_free(&d);
            }
    }
    nn_pool_destroy(p);
}

/* Several independent products as one job: each C as if computed alone, inline or pooled. */
static void test_gemm_run_of_several_products_matches_each_alone(void **state)
{
    (void)state;
    nn_error err;
    nn_pool *p = nn_pool_create(2, &err);
    assert_non_null(p);
    enum { N = 11 };   /* more than one job's worth (8) */
    gemm_case t[N];
    gemm_data d[N];
    nn_gemm_args g[N];
    float *alone[N];
    for (int i = 0; i < N; i++) {
        t[i] = (gemm_case){.ta = i & 1, .tb = (i >> 1) & 1, .m = 20 + 37 * i, .n = 10 + 29 * i,
                           .k = 5 + 53 * i, .pad_a = i % 3, .pad_c = 1, .alpha = 1.0f, .beta = i % 2 ? 0.5f : 0.0f};
        data_alloc(&d[i], &t[i]);
        alone[i] = malloc(d[i].nc * sizeof(float));
        assert_non_null(alone[i]);
        memcpy(alone[i], d[i].c0, d[i].nc * sizeof(float));
        g[i] = (nn_gemm_args){.trans_a = t[i].ta, .trans_b = t[i].tb, .m = t[i].m, .n = t[i].n,
                              .k = t[i].k, .alpha = t[i].alpha, .beta = t[i].beta, .a = d[i].a,
                              .lda = d[i].lda, .b = d[i].b, .ldb = d[i].ldb, .c = alone[i], .ldc = d[i].ldc};
        nn_gemm_run(NULL, &g[i], 1);
        g[i].c = d[i].c;
    }
    for (int pooled = 0; pooled < 2; pooled++) {
        for (int i = 0; i < N; i++)
            memcpy(d[i].c, d[i].c0, d[i].nc * sizeof(float));
        nn_gemm_run(pooled ? p : NULL, g, N);
        for (int i = 0; i < N; i++)
            if (memcmp(d[i].c, alone[i], d[i].nc * sizeof(float)) != 0)
                fail_msg("product %d of %d (%s) differs from the product alone", i, N, pooled ? "pool" : "inline");
    }
    for (int i = 0; i < N; i++) {
        free(alone[i]);
        data_free(&d[i]);
    }
    nn_pool_destroy(p);
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
        cmocka_unit_test(test_gemm_avx2_and_avx512_kernels_give_the_same_bits),
        cmocka_unit_test(test_gemm_epilogue_sees_each_final_element_once),
        cmocka_unit_test(test_gemm_run_of_several_products_matches_each_alone),
        cmocka_unit_test(test_gemm_kernel_has_a_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
