/* test_data.c — dataset allocation, split sizes, normalisation fitted on train rows only,
 * target scaling, and batch gathering. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "data.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void make_rows(nn_dataset *d, nn_task task, int n, int f, int k)
{
    nn_error err;
    assert_int_equal(nn_dataset_alloc(d, task, n, f, k, &err), NN_OK);
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < f; j++)
            d->x[i * f + j] = (float)(i * 10 + j);
        if (task == NN_TASK_CLASSIFICATION)
            d->label[i] = i % k;
        else
            for (int t = 0; t < k; t++)
                d->y[i * k + t] = (float)(2 * i + t);
    }
}

static void test_dataset_alloc_sets_shapes_and_free_is_idempotent(void **state)
{
    (void)state;
    nn_dataset d;
    make_rows(&d, NN_TASK_CLASSIFICATION, 10, 3, 4);
    assert_int_equal(d.n, 10);
    assert_int_equal(d.n_features, 3);
    assert_int_equal(d.n_classes, 4);
    assert_int_equal(d.n_targets, 0);
    assert_null(d.y);
    assert_non_null(d.label);
    assert_non_null(d.class_names);
    assert_null(d.class_names[3]);      /* not named yet */
    assert_string_equal(nn_dataset_class_name(&d, 3), "");
    assert_null(d.feature_names);       /* named on first use */
    assert_int_equal(nn_dataset_outputs(&d), 4);
    nn_dataset_free(&d);
    nn_dataset_free(&d);
    assert_null(d.x);

    nn_dataset z;
    memset(&z, 0, sizeof z);
    nn_dataset_free(&z);

    make_rows(&d, NN_TASK_REGRESSION, 5, 2, 2);
    assert_null(d.label);
    assert_null(d.class_names);
    assert_int_equal(nn_dataset_outputs(&d), 2);
    nn_dataset_free(&d);
}

static void test_dataset_alloc_rejects_overflowing_and_empty_shapes(void **state)
{
    (void)state;
    nn_dataset d;
    nn_error err;
    assert_int_equal(nn_dataset_alloc(&d, NN_TASK_CLASSIFICATION, 2000000000, 2000000000, 2, &err), NN_ENOMEM);
    assert_non_null(strstr(err.msg, "too large"));
    assert_null(d.x);
    assert_int_equal(nn_dataset_alloc(&d, NN_TASK_REGRESSION, 1 << 20, 1 << 12, 1, &err), NN_ENOMEM);
    assert_int_equal(nn_dataset_alloc(&d, NN_TASK_CLASSIFICATION, 0, 3, 2, &err), NN_EINVAL);
    assert_int_equal(nn_dataset_alloc(&d, NN_TASK_CLASSIFICATION, 5, 3, NN_MAX_CLASSES + 1, &err), NN_EINVAL);
    assert_non_null(strstr(err.msg, "classes"));
    nn_dataset_free(&d);
}

static void split_of(int n, double tr, double va, double te, int fixed, int *a, int *b, int *c, nn_status want)
{
    nn_dataset d;
    make_rows(&d, NN_TASK_CLASSIFICATION, n, 1, 2);
    d.n_fixed_test = fixed;
    nn_split s;
    nn_rng r;
    nn_rng_seed(&r, 7);
    nn_error err;
    assert_int_equal(nn_split_init(&s, &d, tr, va, te, true, &r, &err), want);
    *a = s.n_train;
    *b = s.n_val;
    *c = s.n_test;
    if (want == NN_OK) {
        /* Every row appears exactly once across the three splits. */
        int *seen = calloc((size_t)n, sizeof *seen);
        for (int i = 0; i < s.n_train; i++)
            seen[s.train[i]]++;
        for (int i = 0; i < s.n_val; i++)
            seen[s.val[i]]++;
        for (int i = 0; i < s.n_test; i++)
            seen[s.test[i]]++;
        for (int i = 0; i < n; i++)
            assert_int_equal(seen[i], 1);
        free(seen);
    }
    nn_split_free(&s);
    nn_split_free(&s);
    nn_dataset_free(&d);
}

static void test_split_of_iris_sized_data_is_105_15_30(void **state)
{
    (void)state;
    int a, b, c;
    split_of(150, 0.7, 0.1, 0.2, 0, &a, &b, &c, NN_OK);
    assert_int_equal(a, 105);
    assert_int_equal(b, 15);
    assert_int_equal(c, 30);
    split_of(150, 0.8, 0.0, 0.2, 0, &a, &b, &c, NN_OK);
    assert_int_equal(a, 120);
    assert_int_equal(b, 0);
    assert_int_equal(c, 30);
}

static void test_split_gives_a_tiny_split_one_row_taken_from_train(void **state)
{
    (void)state;
    int a, b, c;
    split_of(4, 0.7, 0.1, 0.2, 0, &a, &b, &c, NN_OK);   /* 3, 0->1, 1 */
    assert_int_equal(a, 2);
    assert_int_equal(b, 1);
    assert_int_equal(c, 1);
    split_of(3, 0.7, 0.1, 0.2, 0, &a, &b, &c, NN_OK);
    assert_int_equal(a, 1);
    assert_int_equal(b, 1);
    assert_int_equal(c, 1);
    split_of(1, 1.0, 0.0, 0.0, 0, &a, &b, &c, NN_OK);
    assert_int_equal(a, 1);
    assert_int_equal(b + c, 0);
}

static void test_split_of_too_few_rows_names_the_split(void **state)
{
    (void)state;
    nn_dataset d;
    make_rows(&d, NN_TASK_CLASSIFICATION, 2, 1, 2);
    nn_split s;
    nn_error err;
    assert_int_equal(nn_split_init(&s, &d, 0.7, 0.1, 0.2, false, NULL, &err), NN_EINVAL);
    assert_non_null(strstr(err.msg, "2 rows"));
    assert_true(strstr(err.msg, "val") || strstr(err.msg, "test"));
    assert_null(s.train);
    assert_int_equal(nn_split_init(&s, &d, 0.7, 0.1, 0.1, false, NULL, &err), NN_EINVAL);
    assert_non_null(strstr(err.msg, "sum"));
    nn_dataset_free(&d);
}

/* 150 rows are plenty: what is wrong is a train fraction that rounds to no row. The message said
 * "150 rows are too few ... (need at least 2 rows)". */
static void test_split_with_a_train_fraction_that_rounds_to_nothing_says_so(void **state)
{
    (void)state;
    nn_dataset d;
    make_rows(&d, NN_TASK_CLASSIFICATION, 150, 1, 2);
    nn_split s;
    nn_error err;
    assert_int_equal(nn_split_init(&s, &d, 0.001, 0.0, 0.999, false, NULL, &err), NN_EINVAL);
    assert_string_equal(err.msg, "dataset.split.train: 0.001 of 150 rows leaves no row to train on (val and test take "
                        "150; raise the train fraction to at least 0.0133)");
    nn_dataset_free(&d);
    make_rows(&d, NN_TASK_CLASSIFICATION, 2, 1, 2);
    assert_int_equal(nn_split_init(&s, &d, 0.7, 0.1, 0.2, false, NULL, &err), NN_EINVAL);
    assert_string_equal(err.msg, "dataset.split: 2 rows for train 0.7, val 0.1, test 0.2: every split with a fraction "
                        "above 0 needs a row (at least 3 rows)");
    nn_dataset_free(&d);
}

static void test_split_with_fixed_test_rows_keeps_them_last(void **state)
{
    (void)state;
    int a, b, c;
    split_of(1000, 0.7, 0.1, 0.2, 200, &a, &b, &c, NN_OK);
    assert_int_equal(c, 200);
    assert_int_equal(a, 700);   /* 800 * 0.7/0.8 */
    assert_int_equal(b, 100);

    nn_dataset d;
    make_rows(&d, NN_TASK_CLASSIFICATION, 10, 1, 2);
    d.n_fixed_test = 4;
    nn_split s;
    nn_rng r;
    nn_rng_seed(&r, 1);
    assert_int_equal(nn_split_init(&s, &d, 0.5, 0.5, 0.0, true, &r, NULL), NN_OK);
    assert_int_equal(s.n_test, 4);
    for (int i = 0; i < 4; i++)
        assert_int_equal(s.test[i], 6 + i);
    for (int i = 0; i < s.n_train; i++)
        assert_true(s.train[i] < 6);
    nn_split_free(&s);
    nn_dataset_free(&d);
}

static void test_split_shuffle_is_deterministic_and_seed_dependent(void **state)
{
    (void)state;
    nn_dataset d;
    make_rows(&d, NN_TASK_CLASSIFICATION, 100, 1, 2);
    nn_split s1, s2, s3, s0;
    nn_rng r;
    nn_rng_seed(&r, 42);
    assert_int_equal(nn_split_init(&s1, &d, 0.7, 0.1, 0.2, true, &r, NULL), NN_OK);
    nn_rng_seed(&r, 42);
    assert_int_equal(nn_split_init(&s2, &d, 0.7, 0.1, 0.2, true, &r, NULL), NN_OK);
    nn_rng_seed(&r, 43);
    assert_int_equal(nn_split_init(&s3, &d, 0.7, 0.1, 0.2, true, &r, NULL), NN_OK);
    assert_int_equal(nn_split_init(&s0, &d, 0.7, 0.1, 0.2, false, NULL, NULL), NN_OK);
    assert_memory_equal(s1.train, s2.train, 100 * sizeof(uint32_t));
    assert_memory_not_equal(s1.train, s3.train, 100 * sizeof(uint32_t));
    for (int i = 0; i < 100; i++)
        assert_int_equal(s0.train[i], i);
    nn_split_free(&s0);
    nn_split_free(&s1);
    nn_split_free(&s2);
    nn_split_free(&s3);
    nn_dataset_free(&d);
}

/* Rows 0..3 are train, rows 4..5 (huge values) are not: the statistics must ignore them. */
static void fit_fixture(nn_dataset *d)
{
    nn_error err;
    assert_int_equal(nn_dataset_alloc(d, NN_TASK_REGRESSION, 6, 2, 1, &err), NN_OK);
    const float x[12] = {1, 5, 2, 5, 3, 5, 6, 5, 1000, -1000, -500, 77};
    const float y[6] = {10, 20, 30, 40, 9999, -9999};
    memcpy(d->x, x, sizeof x);
    memcpy(d->y, y, sizeof y);
}

static void test_zscore_is_fitted_on_train_rows_only_with_population_std(void **state)
{
    (void)state;
    nn_dataset d;
    fit_fixture(&d);
    const uint32_t train[4] = {0, 1, 2, 3};
    nn_norm nm;
    nn_error err;
    assert_int_equal(nn_norm_fit(&nm, NN_NORM_ZSCORE, &d, train, 4, &err), NN_OK);
    /* column 0: 1,2,3,6: mean 3, population var (4+1+0+9)/4 = 3.5 */
    float mean = 3.0f, sd = sqrtf(3.5f), got_shift = nm.shift[0], got_scale = nm.scale[0];
    assert_float_equal(got_shift, mean, 1e-6f);
    assert_float_equal(got_scale, sd, 1e-6f);
    /* column 1 is constant on train: scale 1, not 0 */
    float s1 = nm.scale[1], h1 = nm.shift[1], one = 1.0f, five = 5.0f;
    assert_float_equal(s1, one, 0.0f);
    assert_float_equal(h1, five, 0.0f);
    /* targets always z-scored: 10,20,30,40: mean 25, var 125 */
    assert_int_equal(nm.n_targets, 1);
    float ys = nm.y_shift[0], yc = nm.y_scale[0], want_ys = 25.0f, want_yc = sqrtf(125.0f);
    assert_float_equal(ys, want_ys, 1e-5f);
    assert_float_equal(yc, want_yc, 1e-5f);

    nn_norm_apply(&nm, d.x, 4);
    float z0 = d.x[0], want = (1.0f - 3.0f) / sqrtf(3.5f), z1 = d.x[1], zero = 0.0f;
    assert_float_equal(z0, want, 1e-6f);
    assert_float_equal(z1, zero, 0.0f);

    float v[2] = {0.0f, 1.0f};
    nn_norm_unscale_targets(&nm, v, 2);
    float v0 = v[0], v1 = v[1], want1 = 25.0f + sqrtf(125.0f);
    assert_float_equal(v0, want_ys, 1e-5f);
    assert_float_equal(v1, want1, 1e-4f);
    nn_norm_free(&nm);
    nn_norm_free(&nm);
    nn_dataset_free(&d);
}

/* Features and targets far from 0 (1e7 + -3, -1, 0, 1, 2, 3, 6): the statistics are two-pass, so the
 * scale is the spread sqrt(356)/7 (a one-pass E[x^2] - E[x]^2 gives 2.69258 here). */
static void test_zscore_keeps_the_spread_of_values_with_a_large_offset(void **state)
{
    (void)state;
    const float v[7] = {-3.0f, -1.0f, 0.0f, 1.0f, 2.0f, 3.0f, 6.0f};
    nn_dataset d;
    nn_error err;
    assert_int_equal(nn_dataset_alloc(&d, NN_TASK_REGRESSION, 7, 1, 1, &err), NN_OK);
    const uint32_t rows[7] = {0, 1, 2, 3, 4, 5, 6};
    for (int i = 0; i < 7; i++)
        d.x[i] = d.y[i] = 1e7f + v[i];
    nn_norm nm;
    assert_int_equal(nn_norm_fit(&nm, NN_NORM_ZSCORE, &d, rows, 7, &err), NN_OK);
    float sd = (float)(sqrt(356.0) / 7.0), mean = (float)(1e7 + 8.0 / 7.0);
    float shift = nm.shift[0], scale = nm.scale[0], y_shift = nm.y_shift[0], y_scale = nm.y_scale[0];
    assert_float_equal(scale, sd, 0.0f);
    assert_float_equal(y_scale, sd, 0.0f);
    assert_float_equal(shift, mean, 0.0f);
    assert_float_equal(y_shift, mean, 0.0f);
    nn_norm_free(&nm);
    nn_dataset_free(&d);
}

static void test_minmax_maps_train_range_to_unit_interval(void **state)
{
    (void)state;
    nn_dataset d;
    fit_fixture(&d);
    const uint32_t train[4] = {3, 1, 0, 2};
    nn_norm nm;
    assert_int_equal(nn_norm_fit(&nm, NN_NORM_MINMAX, &d, train, 4, NULL), NN_OK);
    nn_norm_apply(&nm, d.x, 6);
    float lo = d.x[0], hi = d.x[6], mid = d.x[2], zero = 0.0f, one = 1.0f, fifth = 0.2f;
    assert_float_equal(lo, zero, 1e-7f);
    assert_float_equal(hi, one, 1e-7f);
    assert_float_equal(mid, fifth, 1e-6f);
    /* a non-train row maps outside [0, 1]: it was not part of the fit */
    assert_true(d.x[8] > 100.0f);
    /* targets are z-scored even with minmax features */
    float ys = nm.y_shift[0], want = 25.0f;
    assert_float_equal(ys, want, 1e-5f);
    nn_norm_free(&nm);
    nn_dataset_free(&d);
}

static void test_norm_none_leaves_features_and_copy_is_deep(void **state)
{
    (void)state;
    nn_dataset d;
    fit_fixture(&d);
    const uint32_t train[4] = {0, 1, 2, 3};
    nn_norm nm, cp;
    assert_int_equal(nn_norm_fit(&nm, NN_NORM_NONE, &d, train, 4, NULL), NN_OK);
    nn_norm_apply(&nm, d.x, 6);
    float x8 = d.x[8], want = 1000.0f;
    assert_float_equal(x8, want, 0.0f);
    assert_int_equal(nn_norm_copy(&cp, &nm, NULL), NN_OK);
    nn_norm_free(&nm);
    assert_int_equal(cp.kind, NN_NORM_NONE);
    assert_int_equal(cp.n_features, 2);
    assert_int_equal(cp.n_targets, 1);
    float sc = cp.scale[1], ys = cp.y_shift[0], one = 1.0f, m = 25.0f;
    assert_float_equal(sc, one, 0.0f);
    assert_float_equal(ys, m, 1e-5f);
    nn_norm_free(&cp);
    assert_string_equal(nn_norm_names[NN_NORM_MINMAX], "minmax");
    nn_dataset_free(&d);
}

/* Image data kept as bytes gives the numbers of the same values stored as floats: the same
 * normalisation statistics (zscore, minmax, none), the same gathered batches bit for bit (inline
 * and pooled, normalised as they are read), the same rows and values through the accessors. */
static void test_byte_features_give_the_bits_of_the_same_values_as_floats(void **state)
{
    (void)state;
    enum { N = 300, F = 100 };   /* 210 training rows x 100: the pooled gather splits them */
    nn_dataset b, f;
    assert_int_equal(nn_dataset_alloc_bytes(&b, NN_TASK_CLASSIFICATION, N, F, 10, NULL), NN_OK);
    assert_int_equal(nn_dataset_alloc(&f, NN_TASK_CLASSIFICATION, N, F, 10, NULL), NN_OK);
    assert_null(b.x);
    assert_non_null(b.x8);
    nn_rng rng;
    nn_rng_seed(&rng, 12);
    for (int i = 0; i < N * F; i++) {
        /* mostly dark pixels, some columns never lit, one always 255 */
        int col = i % F;
        uint8_t v = col == 3 ? 0 : col == 4 ? 255 : (uint8_t)(nn_rng_below(&rng, 4) ? 0 : nn_rng_below(&rng, 256));
        b.x8[i] = v;
        f.x[i] = (float)v / 255.0f;
    }
    for (int i = 0; i < N; i++)
        b.label[i] = f.label[i] = (int32_t)nn_rng_below(&rng, 10);
    nn_split sb, sf;
    nn_rng r1, r2;
    nn_rng_seed(&r1, 3);
    nn_rng_seed(&r2, 3);
    assert_int_equal(nn_split_init(&sb, &b, 0.7, 0.1, 0.2, true, &r1, NULL), NN_OK);
    assert_int_equal(nn_split_init(&sf, &f, 0.7, 0.1, 0.2, true, &r2, NULL), NN_OK);
    nn_error err;
    nn_pool *pool = nn_pool_create(2, &err);
    assert_non_null(pool);
    for (int kind = 0; kind < NN_NORM_COUNT; kind++) {
        nn_dataset fk;   /* a fresh float copy per kind: the float path normalises in place */
        assert_int_equal(nn_dataset_alloc(&fk, NN_TASK_CLASSIFICATION, N, F, 10, NULL), NN_OK);
        memcpy(fk.x, f.x, sizeof(float) * N * F);
        memcpy(fk.label, f.label, sizeof(int32_t) * N);
        nn_norm nb, nf;
        assert_int_equal(nn_norm_fit(&nb, (nn_normalize)kind, &b, sb.train, sb.n_train, NULL), NN_OK);
        assert_int_equal(nn_norm_fit(&nf, (nn_normalize)kind, &fk, sf.train, sf.n_train, NULL), NN_OK);
        assert_memory_equal(nb.shift, nf.shift, sizeof(float) * F);
        assert_memory_equal(nb.scale, nf.scale, sizeof(float) * F);
        nn_norm_apply_dataset(&nb, &b);
        nn_norm_apply_dataset(&nf, &fk);
        static float xb[N * F], xf[N * F], yb[N * 10], yf[N * 10];
        for (int pooled = 0; pooled < 2; pooled++) {
            nn_gather_pool(pooled ? pool : NULL, xb, yb, 10, &b, NULL, sb.train, sb.n_train);
            nn_gather_pool(pooled ? pool : NULL, xf, yf, 10, &fk, NULL, sf.train, sf.n_train);
            assert_memory_equal(xb, xf, sizeof(float) * (size_t)sb.n_train * F);
            assert_memory_equal(yb, yf, sizeof(float) * (size_t)sb.n_train * 10);
        }
        for (int i = 0; i < N; i += 7) {
            nn_dataset_row(&b, i, xb);
            nn_dataset_row(&fk, i, xf);
            assert_memory_equal(xb, xf, sizeof(float) * F);
            for (int j = 0; j < F; j++) {
                float v1 = nn_dataset_value(&b, i, j), v2 = nn_dataset_value(&fk, i, j);
                assert_memory_equal(&v1, &xf[j], sizeof v1);
                assert_memory_equal(&v2, &xf[j], sizeof v2);
            }
        }
        nn_norm_free(&nb);
        nn_norm_free(&nf);
        nn_dataset_free(&fk);
    }
    nn_pool_destroy(pool);
    nn_split_free(&sb);
    nn_split_free(&sf);
    nn_dataset_free(&b);
    nn_dataset_free(&f);
}

static void test_gather_builds_one_hot_and_binary_targets(void **state)
{
    (void)state;
    nn_dataset d;
    make_rows(&d, NN_TASK_CLASSIFICATION, 6, 2, 3);   /* labels 0,1,2,0,1,2 */
    const uint32_t idx[3] = {5, 0, 4};
    float xb[6], yb[9];
    nn_gather(xb, yb, 3, &d, NULL, idx, 3);
    const float wx[6] = {50, 51, 0, 1, 40, 41};
    const float wy[9] = {0, 0, 1, 1, 0, 0, 0, 1, 0};
    assert_memory_equal(xb, wx, sizeof wx);
    assert_memory_equal(yb, wy, sizeof wy);
    nn_dataset_free(&d);

    make_rows(&d, NN_TASK_CLASSIFICATION, 4, 1, 2);   /* labels 0,1,0,1 */
    const uint32_t idx2[4] = {1, 2, 3, 0};
    float y1[4], xb1[4];
    nn_gather(xb1, y1, 1, &d, NULL, idx2, 4);
    const float w1[4] = {1, 0, 1, 0};
    assert_memory_equal(y1, w1, sizeof w1);
    float y2[8];
    nn_gather(xb1, y2, 2, &d, NULL, idx2, 4);
    const float w2[8] = {0, 1, 1, 0, 0, 1, 1, 0};
    assert_memory_equal(y2, w2, sizeof w2);
    nn_dataset_free(&d);
}

static void test_gather_standardises_regression_targets_by_the_norm(void **state)
{
    (void)state;
    nn_dataset d;
    fit_fixture(&d);
    const uint32_t train[4] = {0, 1, 2, 3};
    nn_norm nm;
    assert_int_equal(nn_norm_fit(&nm, NN_NORM_ZSCORE, &d, train, 4, NULL), NN_OK);
    const uint32_t idx[2] = {3, 0};
    float xb[4], yb[2], raw[2];
    nn_gather(xb, yb, 1, &d, &nm, idx, 2);
    nn_gather(xb, raw, 1, &d, NULL, idx, 2);
    float a = yb[0], b = yb[1], wa = 15.0f / sqrtf(125.0f), wb = -15.0f / sqrtf(125.0f);
    assert_float_equal(a, wa, 1e-5f);
    assert_float_equal(b, wb, 1e-5f);
    float r0 = raw[0], forty = 40.0f;
    assert_float_equal(r0, forty, 0.0f);
    nn_norm_unscale_targets(&nm, yb, 2);
    float u0 = yb[0];
    assert_float_equal(u0, forty, 1e-4f);
    nn_norm_free(&nm);
    nn_dataset_free(&d);
}

/* The pooled gather copies the same bytes as nn_gather, for any pool and a short last part. */
static void test_pooled_gather_gives_the_bytes_of_nn_gather_for_any_thread_count(void **state)
{
    (void)state;
    const int n = 500, f = 300, k = 7, rows = 101;
    for (int task = 0; task < 2; task++) {
        nn_dataset d;
        make_rows(&d, task ? NN_TASK_REGRESSION : NN_TASK_CLASSIFICATION, n, f, task ? 2 : k);
        const int out = task ? 2 : k;
        uint32_t idx[101];
        for (int i = 0; i < rows; i++)
            idx[i] = (uint32_t)((i * 37 + 11) % n);
        float *xw = malloc((size_t)rows * f * sizeof *xw), *xg = malloc((size_t)rows * f * sizeof *xg);
        float yw[101 * 7], yg[101 * 7];
        assert_non_null(xw);
        assert_non_null(xg);
        nn_gather(xw, yw, out, &d, NULL, idx, rows);
        for (int threads = 0; threads <= 3; threads++) {
            nn_pool *pool = threads ? nn_pool_create(threads, NULL) : NULL;
            memset(xg, 0xFF, (size_t)rows * f * sizeof *xg);
            memset(yg, 0xFF, sizeof yg);
            nn_gather_pool(pool, xg, yg, out, &d, NULL, idx, rows);
            assert_memory_equal(xg, xw, (size_t)rows * f * sizeof *xg);
            assert_memory_equal(yg, yw, (size_t)rows * (size_t)out * sizeof *yg);
            nn_pool_destroy(pool);
        }
        free(xw);
        free(xg);
        nn_dataset_free(&d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dataset_alloc_sets_shapes_and_free_is_idempotent),
        cmocka_unit_test(test_dataset_alloc_rejects_overflowing_and_empty_shapes),
        cmocka_unit_test(test_split_of_iris_sized_data_is_105_15_30),
        cmocka_unit_test(test_split_gives_a_tiny_split_one_row_taken_from_train),
        cmocka_unit_test(test_split_of_too_few_rows_names_the_split),
        cmocka_unit_test(test_split_with_a_train_fraction_that_rounds_to_nothing_says_so),
        cmocka_unit_test(test_split_with_fixed_test_rows_keeps_them_last),
        cmocka_unit_test(test_split_shuffle_is_deterministic_and_seed_dependent),
        cmocka_unit_test(test_zscore_is_fitted_on_train_rows_only_with_population_std),
        cmocka_unit_test(test_zscore_keeps_the_spread_of_values_with_a_large_offset),
        cmocka_unit_test(test_minmax_maps_train_range_to_unit_interval),
        cmocka_unit_test(test_norm_none_leaves_features_and_copy_is_deep),
        cmocka_unit_test(test_gather_builds_one_hot_and_binary_targets),
        cmocka_unit_test(test_gather_standardises_regression_targets_by_the_norm),
        cmocka_unit_test(test_pooled_gather_gives_the_bytes_of_nn_gather_for_any_thread_count),
        cmocka_unit_test(test_byte_features_give_the_bits_of_the_same_values_as_floats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
