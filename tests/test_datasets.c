/* test_datasets.c — the source table, embedded iris, synthetic generators, the CSV reader (every
 * class of error message names the file and the line or column) and the IDX reader (plain and
 * gzip, truncated and malformed files, and the real Fashion-MNIST test files when installed). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "datasets.h"
#include "files.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "nn_tmp.h"

// --- helpers

static nn_status csv(nn_dataset *d, const char *text, const char *label, int task, nn_error *err)
{
    return nn_data_csv(d, text, strlen(text), "t.csv", label, task, err);
}

/* Expects a CSV error whose message contains every one of the given fragments. */
static void csv_fails(const char *text, const char *label, int task, const char *frag1, const char *frag2)
{
    nn_dataset d;
    nn_error err;
    nn_error_clear(&err);
    nn_status st = csv(&d, text, label, task, &err);
    if (st == NN_OK)
        fail_msg("expected an error for %s", text);
    if (strncmp(err.msg, "t.csv: ", 7) != 0)
        fail_msg("message does not start with the file name: %s", err.msg);
    if (frag1 && !strstr(err.msg, frag1))
        fail_msg("'%s' not in: %s", frag1, err.msg);
    if (frag2 && !strstr(err.msg, frag2))
        fail_msg("'%s' not in: %s", frag2, err.msg);
    assert_null(d.x);
    nn_dataset_free(&d);
}

static float at(const nn_dataset *d, int row, int col)
{
    return d->x[row * d->n_features + col];
}

static void assert_feq(float got, float want)
{
    assert_float_equal(got, want, 1e-6f);
}

// --- source table and iris

static void test_source_table_lists_every_source_with_a_description(void **state)
{
    (void)state;
    static const char *const names[] = {"iris", "xor", "circles", "spiral", "gaussians",
                                        "moons", "sine", "plane", "csv", "idx"};
    assert_int_equal(nn_source_count, 10);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const nn_source_info *s = nn_source_find(names[i]);
        assert_non_null(s);
        assert_string_equal(s->name, names[i]);
        assert_true(strlen(s->description) > 10);
        if (s->synthetic)
            assert_true(s->default_samples > 0 && s->default_noise >= 0.0);
    }
    assert_null(nn_source_find("mnist"));
    assert_null(nn_source_find(NULL));
    assert_int_equal(nn_source_find("sine")->task, NN_TASK_REGRESSION);
    assert_int_equal(nn_source_find("iris")->synthetic, 0);
}

static void test_iris_has_150_rows_50_per_class_and_fisher_column_sums(void **state)
{
    (void)state;
    nn_dataset d;
    nn_error err;
    assert_int_equal(nn_data_iris(&d, &err), NN_OK);
    assert_int_equal(d.n, 150);
    assert_int_equal(d.n_features, 4);
    assert_int_equal(d.n_classes, 3);
    assert_string_equal(d.feature_names[0], "sepal_length");
    assert_string_equal(d.feature_names[3], "petal_width");
    assert_string_equal(d.class_names[0], "setosa");
    assert_string_equal(d.class_names[1], "versicolor");
    assert_string_equal(d.class_names[2], "virginica");
    int count[3] = {0, 0, 0};
    double sum[4] = {0, 0, 0, 0};
    for (int i = 0; i < 150; i++) {
        count[d.label[i]]++;
        for (int j = 0; j < 4; j++)
            sum[j] += (double)at(&d, i, j);
    }
    assert_int_equal(count[0], 50);
    assert_int_equal(count[1], 50);
    assert_int_equal(count[2], 50);
    assert_int_equal(d.label[0], 0);
    assert_int_equal(d.label[50], 1);
    assert_int_equal(d.label[149], 2);
    /* Fisher's values (R, scikit-learn); UCI's iris.data gives 458.1, 563.8, 179.8. */
    assert_int_equal(lround(sum[0] * 10), 8765);
    assert_int_equal(lround(sum[1] * 10), 4586);
    assert_int_equal(lround(sum[2] * 10), 5637);
    assert_int_equal(lround(sum[3] * 10), 1799);
    /* first and last rows, and the two rows UCI transcribed wrongly */
    assert_feq(at(&d, 0, 0), 5.1f);
    assert_feq(at(&d, 149, 2), 5.1f);
    assert_feq(at(&d, 34, 3), 0.2f);
    assert_feq(at(&d, 37, 1), 3.6f);
    assert_feq(at(&d, 37, 2), 1.4f);
    nn_dataset_free(&d);
}

// --- synthetic generators

static const char *const synth[] = {"xor", "circles", "spiral", "gaussians", "moons", "sine", "plane"};

static void test_generators_are_deterministic_for_a_seed_and_differ_for_another(void **state)
{
    (void)state;
    for (size_t s = 0; s < sizeof synth / sizeof synth[0]; s++) {
        nn_dataset a, b, c;
        nn_rng r;
        nn_rng_seed(&r, 99);
        assert_int_equal(nn_data_synthetic(&a, synth[s], 200, 0.1, &r, NULL), NN_OK);
        nn_rng_seed(&r, 99);
        assert_int_equal(nn_data_synthetic(&b, synth[s], 200, 0.1, &r, NULL), NN_OK);
        nn_rng_seed(&r, 100);
        assert_int_equal(nn_data_synthetic(&c, synth[s], 200, 0.1, &r, NULL), NN_OK);
        size_t bytes = (size_t)a.n * (size_t)a.n_features * sizeof(float);
        assert_memory_equal(a.x, b.x, bytes);
        assert_memory_not_equal(a.x, c.x, bytes);
        if (a.task == NN_TASK_REGRESSION) {
            assert_memory_equal(a.y, b.y, 200 * sizeof(float));
        } else {
            assert_memory_equal(a.label, b.label, 200 * sizeof(int32_t));
        }
        nn_dataset_free(&a);
        nn_dataset_free(&b);
        nn_dataset_free(&c);
    }
}

static void test_generators_balance_classes_and_stay_in_range(void **state)
{
    (void)state;
    for (size_t s = 0; s < sizeof synth / sizeof synth[0]; s++) {
        nn_dataset d;
        nn_rng r;
        nn_rng_seed(&r, 5);
        nn_error err;
        assert_int_equal(nn_data_synthetic(&d, synth[s], 300, 0.0, &r, &err), NN_OK);
        assert_int_equal(d.n, 300);
        /* sine's x spans [-pi, pi]; gaussian blobs have tails past 1 */
        float lim = strcmp(synth[s], "sine") == 0 ? 3.1416f : strcmp(synth[s], "gaussians") == 0 ? 1.8f : 1.0001f;
        for (int i = 0; i < d.n * d.n_features; i++)
            assert_true(fabsf(d.x[i]) <= lim);
        if (d.task == NN_TASK_CLASSIFICATION) {
            int count[3] = {0, 0, 0};
            for (int i = 0; i < d.n; i++) {
                assert_in_range(d.label[i], 0, d.n_classes - 1);
                count[d.label[i]]++;
            }
            for (int c = 0; c < d.n_classes; c++)
                assert_int_equal(count[c], 300 / d.n_classes);
            assert_string_equal(d.class_names[1], "1");
            assert_string_equal(d.feature_names[1], "x2");
        } else {
            assert_int_equal(d.n_targets, 1);
            assert_non_null(d.y);
            assert_int_equal(nn_dataset_outputs(&d), 1);
        }
        nn_dataset_free(&d);
    }
}

static void test_noiseless_generators_follow_their_definitions(void **state)
{
    (void)state;
    nn_dataset d;
    nn_rng r;
    nn_rng_seed(&r, 3);
    assert_int_equal(nn_data_synthetic(&d, "xor", 400, 0.0, &r, NULL), NN_OK);
    for (int i = 0; i < d.n; i++)
        assert_int_equal(d.label[i], at(&d, i, 0) * at(&d, i, 1) > 0.0f ? 1 : 0);
    nn_dataset_free(&d);

    assert_int_equal(nn_data_synthetic(&d, "circles", 400, 0.0, &r, NULL), NN_OK);
    for (int i = 0; i < d.n; i++) {
        float rad = hypotf(at(&d, i, 0), at(&d, i, 1));
        assert_true(d.label[i] == 0 ? rad <= 0.5001f : (rad >= 0.6999f && rad <= 1.0001f));
    }
    nn_dataset_free(&d);

    assert_int_equal(nn_data_synthetic(&d, "sine", 100, 0.0, &r, NULL), NN_OK);
    assert_string_equal(d.feature_names[0], "x");
    for (int i = 0; i < d.n; i++) {
        float want = sinf(d.x[i]);
        assert_float_equal(d.y[i], want, 1e-5f);
    }
    nn_dataset_free(&d);

    assert_int_equal(nn_data_synthetic(&d, "plane", 100, 0.0, &r, NULL), NN_OK);
    for (int i = 0; i < d.n; i++) {
        float want = 2.0f * at(&d, i, 0) - at(&d, i, 1);
        assert_float_equal(d.y[i], want, 1e-5f);
    }
    nn_dataset_free(&d);

    /* spiral and gaussians: three classes */
    assert_int_equal(nn_data_synthetic(&d, "spiral", 30, 0.0, &r, NULL), NN_OK);
    assert_int_equal(d.n_classes, 3);
    nn_dataset_free(&d);
}

static void test_noise_moves_points_off_the_noiseless_shape(void **state)
{
    (void)state;
    nn_dataset d;
    nn_rng r;
    nn_rng_seed(&r, 8);
    assert_int_equal(nn_data_synthetic(&d, "circles", 400, 0.3, &r, NULL), NN_OK);
    int outside = 0;
    for (int i = 0; i < d.n; i++) {
        float rad = hypotf(at(&d, i, 0), at(&d, i, 1));
        outside += d.label[i] == 0 ? rad > 0.5f : (rad < 0.7f || rad > 1.0f);
    }
    assert_true(outside > 40);
    nn_dataset_free(&d);
}

static void test_synthetic_rejects_bad_arguments_naming_the_field(void **state)
{
    (void)state;
    nn_dataset d;
    nn_rng r;
    nn_rng_seed(&r, 1);
    nn_error err;
    assert_int_equal(nn_data_synthetic(&d, "xor", 0, 0.1, &r, &err), NN_EINVAL);
    assert_non_null(strstr(err.msg, "dataset.samples"));
    assert_int_equal(nn_data_synthetic(&d, "xor", 10, -1.0, &r, &err), NN_EINVAL);
    assert_non_null(strstr(err.msg, "dataset.noise"));
    assert_int_equal(nn_data_synthetic(&d, "iris", 10, 0.1, &r, &err), NN_EINVAL);
    assert_non_null(strstr(err.msg, "iris"));
    assert_null(d.x);
}

// --- CSV

static void test_csv_reads_string_labels_in_order_of_first_appearance(void **state)
{
    (void)state;
    nn_dataset d;
    nn_error err;
    assert_int_equal(csv(&d, " a , b ,species\n1,2,dog\n3,4,cat\n5,6,dog\n", NULL, -1, &err), NN_OK);
    assert_int_equal(d.task, NN_TASK_CLASSIFICATION);
    assert_int_equal(d.n, 3);
    assert_int_equal(d.n_features, 2);
    assert_string_equal(d.feature_names[0], "a");
    assert_string_equal(d.feature_names[1], "b");
    assert_int_equal(d.n_classes, 2);
    assert_string_equal(d.class_names[0], "dog");
    assert_string_equal(d.class_names[1], "cat");
    assert_int_equal(d.label[0], 0);
    assert_int_equal(d.label[1], 1);
    assert_int_equal(d.label[2], 0);
    assert_feq(at(&d, 2, 1), 6.0f);
    nn_dataset_free(&d);
}

static void test_csv_integer_labels_become_classes_sorted_by_value(void **state)
{
    (void)state;
    nn_dataset d;
    assert_int_equal(csv(&d, "x,y\n0.5,10\n1.5,-2\n2.5,3\n3.5,10.0\n", NULL, -1, NULL), NN_OK);
    assert_int_equal(d.task, NN_TASK_CLASSIFICATION);
    assert_int_equal(d.n_classes, 3);
    assert_string_equal(d.class_names[0], "-2");
    assert_string_equal(d.class_names[1], "3");
    assert_string_equal(d.class_names[2], "10");
    assert_int_equal(d.label[0], 2);
    assert_int_equal(d.label[1], 0);
    assert_int_equal(d.label[2], 1);
    assert_int_equal(d.label[3], 2);
    nn_dataset_free(&d);
}

static void test_csv_non_integer_numeric_labels_mean_regression(void **state)
{
    (void)state;
    nn_dataset d;
    assert_int_equal(csv(&d, "x,y\n1,0.25\n2,1\n3,-7.5\n", NULL, -1, NULL), NN_OK);
    assert_int_equal(d.task, NN_TASK_REGRESSION);
    assert_int_equal(d.n_targets, 1);
    assert_null(d.label);
    assert_feq(d.y[0], 0.25f);
    assert_feq(d.y[2], -7.5f);
    nn_dataset_free(&d);
    /* integers forced to regression */
    assert_int_equal(csv(&d, "x,y\n1,2\n2,3\n", NULL, NN_TASK_REGRESSION, NULL), NN_OK);
    assert_int_equal(d.task, NN_TASK_REGRESSION);
    assert_feq(d.y[1], 3.0f);
    nn_dataset_free(&d);
}

static void test_csv_label_by_name_and_by_index(void **state)
{
    (void)state;
    nn_dataset d;
    const char *text = "kind,w,h\nA,1,2\nB,3,4\n";
    assert_int_equal(csv(&d, text, "kind", -1, NULL), NN_OK);
    assert_int_equal(d.n_features, 2);
    assert_string_equal(d.feature_names[0], "w");
    assert_string_equal(d.class_names[1], "B");
    assert_feq(at(&d, 1, 1), 4.0f);
    nn_dataset_free(&d);
    assert_int_equal(csv(&d, text, "0", -1, NULL), NN_OK);
    assert_string_equal(d.class_names[0], "A");
    assert_string_equal(d.feature_names[1], "h");
    nn_dataset_free(&d);
    /* index 1: a middle column, with integer labels */
    assert_int_equal(csv(&d, "p,q,r\n1,2,3\n4,5,6\n", "1", -1, NULL), NN_OK);
    assert_int_equal(d.task, NN_TASK_CLASSIFICATION);
    assert_string_equal(d.class_names[1], "5");
    assert_string_equal(d.feature_names[1], "r");
    assert_feq(at(&d, 1, 1), 6.0f);
    nn_dataset_free(&d);
    /* a header named "0" is found by name before "0" is read as an index */
    assert_int_equal(csv(&d, "x,0\n1,a\n2,b\n", "0", -1, NULL), NN_OK);
    assert_string_equal(d.feature_names[0], "x");
    assert_string_equal(d.class_names[0], "a");
    nn_dataset_free(&d);
    csv_fails(text, "3", -1, "label column 3", "3 columns");
    csv_fails(text, "colour", -1, "'colour'", "line 1");
}

static void test_csv_handles_quotes_with_commas_quotes_and_newlines(void **state)
{
    (void)state;
    nn_dataset d;
    nn_error err;
    const char *text = "\"first, col\",\"say \"\"hi\"\"\",label\n"
                       "1,\"2.5\",\"a, b\"\n"
                       "3,4,\"multi\nline\"\n"
                       "5,6,\"q\"\"x\"\n"
                       "7,8,\"a, b\"\n";
    assert_int_equal(csv(&d, text, NULL, -1, &err), NN_OK);
    assert_int_equal(d.n, 4);
    assert_string_equal(d.feature_names[0], "first, col");
    assert_string_equal(d.feature_names[1], "say \"hi\"");
    assert_int_equal(d.n_classes, 3);
    assert_string_equal(d.class_names[0], "a, b");
    assert_string_equal(d.class_names[1], "multi\nline");
    assert_string_equal(d.class_names[2], "q\"x");
    assert_int_equal(d.label[3], 0);
    assert_feq(at(&d, 0, 1), 2.5f);
    assert_feq(at(&d, 3, 0), 7.0f);
    nn_dataset_free(&d);
}

static void test_csv_reports_lines_counted_across_quoted_newlines(void **state)
{
    (void)state;
    /* The quoted field spans lines 2-3, so the bad cell is on line 4. */
    csv_fails("a,b\n1,\"x\ny\"\nzz,1\n", NULL, -1, "line 4", "column 'a'");
}

static void test_csv_accepts_crlf_bom_no_final_newline_and_blank_trailing_lines(void **state)
{
    (void)state;
    nn_dataset d;
    assert_int_equal(csv(&d, "\xEF\xBB\xBFx1,x2,c\r\n1,2,u\r\n3,4,v", NULL, -1, NULL), NN_OK);
    assert_string_equal(d.feature_names[0], "x1");
    assert_string_equal(d.class_names[1], "v");
    assert_int_equal(d.n, 2);
    assert_feq(at(&d, 1, 1), 4.0f);
    nn_dataset_free(&d);
    assert_int_equal(csv(&d, "x,c\n1,u\n2,v\n\n\r\n\n", NULL, -1, NULL), NN_OK);
    assert_int_equal(d.n, 2);
    assert_string_equal(d.class_names[1], "v");
    nn_dataset_free(&d);
}

static void test_csv_reading_from_a_file_and_from_builtin(void **state)
{
    (void)state;
    char dir[64];
    assert_non_null(nn_tmp_dir(dir, sizeof dir, "nn_csv_"));
    char path[256];
    snprintf(path, sizeof path, "%s/d.csv", dir);
    const char *text = "x,y\n1,a\n2,b\n";
    assert_int_equal(nn_file_write_atomic(path, text, strlen(text), NULL), NN_OK);
    nn_dataset d;
    nn_error err;
    assert_int_equal(nn_data_csv_file(&d, path, NULL, -1, &err), NN_OK);
    assert_int_equal(d.n, 2);
    nn_dataset_free(&d);
    unlink(path);
    assert_int_equal(nn_data_csv_file(&d, path, NULL, -1, &err), NN_EIO);
    assert_non_null(strstr(err.msg, path));
    rmdir(dir);
    /* builtin: a CSV embedded from presets/ if there is one */
    for (size_t i = 0; i < nn_builtin_file_count; i++) {
        const char *nm = nn_builtin_files[i].name;
        size_t k = strlen(nm);
        if (k > 4 && strcmp(nm + k - 4, ".csv") == 0) {
            char bp[128];
            snprintf(bp, sizeof bp, "builtin:%s", nm);
            assert_int_equal(nn_data_csv_file(&d, bp, NULL, -1, &err), NN_OK);
            assert_true(d.n > 0);
            nn_dataset_free(&d);
        }
    }
}

static void test_csv_ragged_row_names_the_line_and_both_counts(void **state)
{
    (void)state;
    csv_fails("a,b,c,d,e\n1,2,3,4,x\n1,2,3,4,y\n1,2,3,4,z\n1,2,3,4,x\n1,2,3,4,x\n1,2,x\n", NULL, -1,
              "line 7 has 3 fields", "the header has 5");
    csv_fails("a,b\n1,2,3\n", NULL, -1, "line 2 has 3 fields", "header has 2");
}

static void test_csv_non_numeric_nan_inf_and_empty_cells_name_line_and_column(void **state)
{
    (void)state;
    csv_fails("a,b,c\n1,2,x\n1,abc,x\n", NULL, -1, "line 3, column 'b'", "'abc' is not a finite number");
    csv_fails("a,b,c\n1,nan,x\n", NULL, -1, "line 2, column 'b'", "'nan'");
    csv_fails("a,b,c\ninf,1,x\n", NULL, -1, "line 2, column 'a'", "'inf'");
    csv_fails("a,b,c\n-Infinity,1,x\n", NULL, -1, "column 'a'", "not a finite number");
    csv_fails("a,b,c\n1e999,1,x\n", NULL, -1, "column 'a'", "not a finite number");
    csv_fails("a,b,c\n1,,x\n", NULL, -1, "line 2, column 'b'", "empty cell");
    csv_fails("a,b,c\n1,2 3,x\n", NULL, -1, "column 'b'", "'2 3'");
    csv_fails("a,b,c\n1,2,\n", NULL, -1, "line 2, column 'c'", "empty label");
    /* surrounding spaces around a number are fine */
    nn_dataset d;
    assert_int_equal(csv(&d, "a,b\n  1.5  ,x\n2,y\n", NULL, -1, NULL), NN_OK);
    assert_feq(at(&d, 0, 0), 1.5f);
    nn_dataset_free(&d);
}

static void test_csv_empty_and_header_only_files_are_errors(void **state)
{
    (void)state;
    csv_fails("", NULL, -1, "empty file", "header");
    csv_fails("\xEF\xBB\xBF\n\n", NULL, -1, "empty file", NULL);
    csv_fails("a,b,c\n", NULL, -1, "no data rows after the header", NULL);
    csv_fails("a,b,c", NULL, -1, "no data rows", NULL);
    csv_fails("label\n1\n", NULL, -1, "line 1", "feature");
}

static void test_csv_forced_task_mismatches_name_the_row(void **state)
{
    (void)state;
    csv_fails("x,y\n1,2\n2,2.5\n", NULL, NN_TASK_CLASSIFICATION, "line 3, column 'y'", "not an integer");
    csv_fails("x,y\n1,2\n2,b\n", NULL, NN_TASK_REGRESSION, "line 3, column 'y'", "'b'");
}

static void test_csv_more_classes_than_the_limit_is_an_error(void **state)
{
    (void)state;
    size_t cap = 100 * 32 + 16;
    char *text = malloc(cap), *p = text;
    p += sprintf(p, "x,c\n");
    for (int i = 0; i < NN_MAX_CLASSES + 1; i++)
        p += sprintf(p, "%d,k%d\n", i, i);
    csv_fails(text, NULL, -1, "more than 64", "line 66");
    p = text + sprintf(text, "x,c\n");
    for (int i = 0; i < NN_MAX_CLASSES + 1; i++)
        p += sprintf(p, "%d,%d\n", i, i);
    csv_fails(text, NULL, -1, "more than 64", "column 'c'");
    free(text);
}

static void test_csv_unclosed_quote_and_junk_after_quote_are_errors(void **state)
{
    (void)state;
    csv_fails("a,b\n1,\"open\n2,3\n", NULL, -1, "line 2", "never closed");
    csv_fails("a,b\n1,\"x\"y\n", NULL, -1, "line 2", "after a closing quote");
}

static void test_csv_is_not_fooled_by_a_buffer_without_a_terminating_nul(void **state)
{
    (void)state;
    /* The length stops inside the last number: "12" must be read, not "123". */
    const char text[] = "a,b\nx,1\ny,123";
    size_t len = sizeof text - 2;            /* "a,b\nx,1\ny,12", no NUL after it */
    char *copy = malloc(len);
    memcpy(copy, text, len);
    nn_dataset d;
    nn_error err;
    assert_int_equal(nn_data_csv(&d, copy, len, "t.csv", "a", -1, &err), NN_OK);
    assert_int_equal(d.n, 2);
    assert_feq(at(&d, 1, 0), 12.0f);
    nn_dataset_free(&d);
    free(copy);
}

static void test_csv_columns_picks_features_by_name_in_the_given_order(void **state)
{
    (void)state;
    const char *text = "id,h,label,w\n7,1.5,x,2.5\n8,3.5,y,4.5\n";
    const char *names[2] = {"w", "h"};
    nn_dataset d;
    nn_error err;
    assert_int_equal(nn_data_csv_columns(&d, text, strlen(text), "p.csv", names, 2, &err), NN_OK);
    assert_int_equal(d.task, NN_TASK_REGRESSION);
    assert_int_equal(d.n_targets, 0);
    assert_null(d.y);
    assert_null(d.label);
    assert_int_equal(d.n, 2);
    assert_int_equal(d.n_features, 2);
    assert_string_equal(d.feature_names[0], "w");
    assert_feq(at(&d, 0, 0), 2.5f);
    assert_feq(at(&d, 0, 1), 1.5f);
    assert_feq(at(&d, 1, 0), 4.5f);
    nn_dataset_free(&d);
    const char *missing[2] = {"w", "depth"};
    assert_int_equal(nn_data_csv_columns(&d, text, strlen(text), "p.csv", missing, 2, &err), NN_EINVAL);
    assert_non_null(strstr(err.msg, "p.csv"));
    assert_non_null(strstr(err.msg, "'depth'"));
}

static void test_csv_grows_past_many_doublings(void **state)
{
    (void)state;
    int rows = 50000;
    char *text = malloc((size_t)rows * 24 + 16), *p = text;
    p += sprintf(p, "a,b,c\n");
    for (int i = 0; i < rows; i++)
        p += sprintf(p, "%d,%d.5,%c\n", i, i % 7, 'a' + i % 3);
    nn_dataset d;
    assert_int_equal(csv(&d, text, NULL, -1, NULL), NN_OK);
    assert_int_equal(d.n, rows);
    assert_feq(at(&d, rows - 1, 0), (float)(rows - 1));
    assert_feq(at(&d, rows - 1, 1), (float)((rows - 1) % 7) + 0.5f);
    assert_int_equal(d.label[rows - 1], (rows - 1) % 3);
    nn_dataset_free(&d);
    free(text);
}

// --- IDX

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* n images of r x c with pixel (i, j) = (i * 7 + j * 13) % 256; returns the length. */
static size_t make_images(uint8_t **out, uint32_t n, uint32_t r, uint32_t c)
{
    size_t len = 16 + (size_t)n * r * c;
    uint8_t *b = malloc(len);
    put_be32(b, 0x803);
    put_be32(b + 4, n);
    put_be32(b + 8, r);
    put_be32(b + 12, c);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < (size_t)r * c; j++)
            b[16 + i * r * c + j] = (uint8_t)((i * 7 + j * 13) % 256);
    *out = b;
    return len;
}

static size_t make_labels(uint8_t **out, uint32_t n)
{
    uint8_t *b = malloc(8 + n);
    put_be32(b, 0x801);
    put_be32(b + 4, n);
    for (uint32_t i = 0; i < n; i++)
        b[8 + i] = (uint8_t)(i % 10);
    *out = b;
    return 8 + n;
}

static void test_idx_parses_a_tiny_image_and_label_file(void **state)
{
    (void)state;
    uint8_t *img, *lab;
    size_t il = make_images(&img, 3, 2, 4), ll = make_labels(&lab, 3);
    float *x;
    int n, r, c;
    nn_error err;
    assert_int_equal(nn_idx_parse_images(img, il, "i.idx", &x, &n, &r, &c, &err), NN_OK);
    assert_int_equal(n, 3);
    assert_int_equal(r, 2);
    assert_int_equal(c, 4);
    float v = x[1 * 8 + 3], want = (float)((7 + 39) % 256) / 255.0f, one = x[0];
    assert_float_equal(v, want, 1e-7f);
    assert_float_equal(one, 0.0f, 0.0f);
    free(x);
    uint8_t *l;
    assert_int_equal(nn_idx_parse_labels(lab, ll, "l.idx", &l, &n, &err), NN_OK);
    assert_int_equal(n, 3);
    assert_int_equal(l[2], 2);
    free(l);
    free(img);
    free(lab);
}

static void test_idx_truncated_at_every_point_is_an_error_naming_the_file(void **state)
{
    (void)state;
    uint8_t *img, *lab;
    size_t il = make_images(&img, 2, 3, 3), ll = make_labels(&lab, 5);
    float *x;
    int n, r, c;
    nn_error err;
    for (size_t cut = 0; cut < il; cut++) {
        assert_int_equal(nn_idx_parse_images(img, cut, "i.idx", &x, &n, &r, &c, &err), NN_EFORMAT);
        assert_null(x);
        assert_non_null(strstr(err.msg, "i.idx: truncated"));
    }
    assert_int_equal(nn_idx_parse_images(img, il - 5, "i.idx", &x, &n, &r, &c, &err), NN_EFORMAT);
    assert_non_null(strstr(err.msg, "expected 18 bytes of pixel data, found 13"));
    uint8_t *l;
    for (size_t cut = 0; cut < ll; cut++) {
        assert_int_equal(nn_idx_parse_labels(lab, cut, "l.idx", &l, &n, &err), NN_EFORMAT);
        assert_non_null(strstr(err.msg, "l.idx: truncated"));
    }
    free(img);
    free(lab);
}

static void test_idx_wrong_magic_and_bad_dims_are_rejected(void **state)
{
    (void)state;
    uint8_t *img, *lab;
    size_t il = make_images(&img, 2, 3, 3), ll = make_labels(&lab, 2);
    float *x;
    uint8_t *l;
    int n, r, c;
    nn_error err;
    assert_int_equal(nn_idx_parse_images(lab, ll, "l.idx", &x, &n, &r, &c, &err), NN_EFORMAT);
    assert_non_null(strstr(err.msg, "l.idx: not an IDX image file"));
    assert_non_null(strstr(err.msg, "label file"));
    assert_int_equal(nn_idx_parse_labels(img, il, "i.idx", &l, &n, &err), NN_EFORMAT);
    assert_non_null(strstr(err.msg, "i.idx: not an IDX label file"));
    img[3] = 0x02;   /* 0x00000802: two dimensions */
    assert_int_equal(nn_idx_parse_images(img, il, "i.idx", &x, &n, &r, &c, &err), NN_EFORMAT);
    assert_non_null(strstr(err.msg, "magic 0x00000802"));
    img[3] = 0x03;
    put_be32(img + 8, 0);
    assert_int_equal(nn_idx_parse_images(img, il, "i.idx", &x, &n, &r, &c, &err), NN_EFORMAT);
    assert_non_null(strstr(err.msg, "dimensions"));
    /* a header that claims 2^31-1 images of 65536 x 65536 must not overflow */
    put_be32(img + 4, 0x7fffffff);
    put_be32(img + 8, 65536);
    put_be32(img + 12, 65536);
    assert_int_equal(nn_idx_parse_images(img, il, "i.idx", &x, &n, &r, &c, &err), NN_EFORMAT);
    assert_non_null(strstr(err.msg, "i.idx"));
    put_be32(img + 4, 0xffffffffu);
    put_be32(img + 8, 3);
    put_be32(img + 12, 3);
    assert_int_equal(nn_idx_parse_images(img, il, "i.idx", &x, &n, &r, &c, &err), NN_EFORMAT);
    free(img);
    free(lab);
}

/* Fashion-MNIST's class names, as presets/fashion-mnist.json gives them (dataset.classes). */
static const char *const fashion_names[10] = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
};

/* Writes buf to path with zlib's gzip writer. */
static void write_gz(const char *path, const uint8_t *buf, size_t len)
{
    gzFile g = gzopen(path, "wb");
    assert_non_null(g);
    assert_int_equal(gzwrite(g, buf, (unsigned)len), (int)len);
    assert_int_equal(gzclose(g), Z_OK);
}

static void test_idx_gz_files_round_trip_and_plain_files_read_as_they_are(void **state)
{
    (void)state;
    char dir[64];
    assert_non_null(nn_tmp_dir(dir, sizeof dir, "nn_idx_"));
    char gi[256], gl[256], pi[256], pl[256];
    snprintf(gi, sizeof gi, "%s/img.gz", dir);
    snprintf(gl, sizeof gl, "%s/lab.gz", dir);
    snprintf(pi, sizeof pi, "%s/t-img", dir);
    snprintf(pl, sizeof pl, "%s/t-lab", dir);
    uint8_t *img, *lab, *timg, *tlab;
    /* large enough that the inflate buffer must grow several times */
    size_t il = make_images(&img, 500, 28, 28), ll = make_labels(&lab, 500);
    size_t til = make_images(&timg, 7, 28, 28), tll = make_labels(&tlab, 7);
    write_gz(gi, img, il);
    write_gz(gl, lab, ll);
    assert_int_equal(nn_file_write_atomic(pi, timg, til, NULL), NN_OK);
    assert_int_equal(nn_file_write_atomic(pl, tlab, tll, NULL), NN_OK);

    uint8_t *back;
    size_t blen;
    nn_error err;
    assert_int_equal(nn_idx_read_file(gi, &back, &blen, &err), NN_OK);
    assert_int_equal(blen, il);
    assert_memory_equal(back, img, il);
    free(back);
    assert_int_equal(nn_idx_read_file(pl, &back, &blen, &err), NN_OK);
    assert_int_equal(blen, tll);
    assert_memory_equal(back, tlab, tll);
    free(back);

    nn_dataset d;
    assert_int_equal(nn_data_idx(&d, gi, gl, pi, pl, fashion_names, &err), NN_OK);
    assert_int_equal(d.n, 507);
    assert_int_equal(d.n_fixed_test, 7);
    assert_int_equal(d.n_features, 784);
    assert_int_equal(d.n_classes, 10);
    assert_string_equal(d.class_names[0], "T-shirt/top");
    assert_string_equal(d.class_names[9], "Ankle boot");
    char px[16];
    assert_null(d.feature_names);   /* made on demand, not stored per pixel */
    assert_string_equal(nn_dataset_feature_name(&d, 783, px, sizeof px), "px783");
    assert_int_equal(d.label[503], 3);
    /* pixels kept as bytes (a quarter of the memory), read as v / 255 */
    assert_null(d.x);
    assert_non_null(d.x8);
    assert_int_equal(d.x8[500 * 784 + 5], timg[16 + 5]);
    float v = nn_dataset_value(&d, 500, 5), want = (float)timg[16 + 5] / 255.0f;
    assert_memory_equal(&v, &want, sizeof v);
    nn_dataset_free(&d);

    assert_int_equal(nn_data_idx(&d, gi, gl, NULL, NULL, NULL, &err), NN_OK);
    assert_int_equal(d.n, 500);
    assert_int_equal(d.n_fixed_test, 0);
    assert_string_equal(d.class_names[9], "9");
    nn_dataset_free(&d);

    /* counts that disagree */
    assert_int_equal(nn_data_idx(&d, gi, pl, NULL, NULL, NULL, &err), NN_EFORMAT);
    assert_non_null(strstr(err.msg, pl));
    assert_non_null(strstr(err.msg, "7 labels for the 500 images"));
    assert_null(d.x);
    assert_null(d.x8);

    unlink(gi);
    unlink(gl);
    unlink(pi);
    unlink(pl);
    rmdir(dir);
    free(img);
    free(lab);
    free(timg);
    free(tlab);
}

static void test_idx_broken_gzip_is_an_error_naming_the_file(void **state)
{
    (void)state;
    char dir[64];
    assert_non_null(nn_tmp_dir(dir, sizeof dir, "nn_gz_"));
    char p[256], q[256];
    snprintf(p, sizeof p, "%s/a.gz", dir);
    snprintf(q, sizeof q, "%s/b.gz", dir);
    uint8_t *img;
    size_t il = make_images(&img, 40, 28, 28);
    write_gz(p, img, il);
    char *gz;
    size_t gzlen;
    assert_int_equal(nn_file_read(p, &gz, &gzlen, NULL), NN_OK);
    uint8_t *back;
    size_t blen;
    nn_error err;

    /* truncated in the middle */
    assert_int_equal(nn_file_write_atomic(q, gz, gzlen / 2, NULL), NN_OK);
    assert_int_equal(nn_idx_read_file(q, &back, &blen, &err), NN_EFORMAT);
    assert_null(back);
    assert_non_null(strstr(err.msg, q));
    assert_non_null(strstr(err.msg, "broken gzip"));

    /* corrupted deflate data */
    for (size_t i = 20; i < 60 && i < gzlen; i++)
        gz[i] = (char)0xff;
    assert_int_equal(nn_file_write_atomic(q, gz, gzlen, NULL), NN_OK);
    assert_int_equal(nn_idx_read_file(q, &back, &blen, &err), NN_EFORMAT);
    assert_non_null(strstr(err.msg, q));
    assert_non_null(strstr(err.msg, "broken gzip"));

    /* just the magic */
    assert_int_equal(nn_file_write_atomic(q, "\x1f\x8b", 2, NULL), NN_OK);
    assert_int_equal(nn_idx_read_file(q, &back, &blen, &err), NN_EFORMAT);
    assert_non_null(strstr(err.msg, q));

    free(gz);
    free(img);
    unlink(p);
    unlink(q);
    rmdir(dir);
}

static void test_idx_missing_file_says_the_path_and_the_package_hint(void **state)
{
    (void)state;
    uint8_t *b;
    size_t n;
    nn_error err;
    assert_int_equal(nn_idx_read_file("/nonexistent/x-idx3-ubyte", &b, &n, &err), NN_EIO);
    assert_non_null(strstr(err.msg, "/nonexistent/x-idx3-ubyte"));
    assert_null(strstr(err.msg, "dataset-fashion-mnist"));
    assert_int_equal(nn_idx_read_file("/usr/share/datasets/fashion-mnist/nope-idx3-ubyte.gz", &b, &n, &err), NN_EIO);
    assert_non_null(strstr(err.msg, "/usr/share/datasets/fashion-mnist/nope-idx3-ubyte.gz"));
    assert_non_null(strstr(err.msg, "(install the Debian package dataset-fashion-mnist)"));
}

static void test_idx_loads_the_real_fashion_mnist_test_files_when_installed(void **state)
{
    (void)state;
    const char *ti = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";
    const char *tl = "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz";
    if (access(ti, R_OK) != 0 || access(tl, R_OK) != 0)
        skip();
    nn_dataset d;
    nn_error err;
    assert_int_equal(nn_data_idx(&d, ti, tl, NULL, NULL, fashion_names, &err), NN_OK);
    assert_int_equal(d.n, 10000);
    assert_int_equal(d.n_features, 784);
    int count[10] = {0};
    for (int i = 0; i < d.n; i++)
        count[d.label[i]]++;
    for (int k = 0; k < 10; k++)
        assert_int_equal(count[k], 1000);    /* Fashion-MNIST's test set is balanced */
    float lo = 1.0f, hi = 0.0f;
    for (int i = 0; i < d.n; i++)
        for (int j = 0; j < 784; j++) {
            float v = nn_dataset_value(&d, i, j);
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
    assert_float_equal(lo, 0.0f, 0.0f);
    assert_float_equal(hi, 1.0f, 0.0f);
    assert_int_equal(d.label[0], 9);         /* the first test image is an ankle boot */
    nn_dataset_free(&d);
}

// --- hostile input (issue 11)

static void test_csv_one_class_is_refused_naming_the_file_and_the_label_column(void **state)
{
    (void)state;
    /* one string class: it trained a 2-40-1 sigmoid network, and predict read class_names[1] */
    csv_fails("x,y,kind\n1,2,a\n3,4,a\n5,6,a\n", NULL, -1, "column 'kind': every row has the label 'a'",
              "classification needs at least 2 classes");
    /* one integer class, and a forced classification of a constant column */
    csv_fails("x,y\n1,7\n3,7\n", NULL, -1, "column 'y': every row has the label '7'", "at least 2 classes");
    csv_fails("x,y\n1,7\n3,7\n", "y", NN_TASK_CLASSIFICATION, "column 'y'", "at least 2 classes");
    /* as regression the same column is fine */
    nn_dataset d;
    assert_int_equal(csv(&d, "x,y\n1,7\n3,7\n", NULL, NN_TASK_REGRESSION, NULL), NN_OK);
    nn_dataset_free(&d);
}

static void test_csv_names_are_kept_whole(void **state)
{
    (void)state;
    /* two labels that agree in their first 63 bytes are two classes, and a long header name is whole */
    char a[80], b[80], hdr[160], text[512];
    memset(a, 'L', 70);
    a[70] = '\0';
    memcpy(b, a, 71);
    b[69] = 'M';
    memset(hdr, 'F', 100);
    hdr[100] = '\0';
    snprintf(text, sizeof text, "%s,label\n1,%s\n2,%s\n3,%s\n", hdr, a, b, a);
    nn_dataset d;
    nn_error err;
    if (csv(&d, text, NULL, -1, &err) != NN_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(d.n_classes, 2);
    assert_string_equal(d.class_names[0], a);
    assert_string_equal(d.class_names[1], b);
    assert_string_equal(d.feature_names[0], hdr);
    assert_int_equal(d.label[0], 0);
    assert_int_equal(d.label[1], 1);
    assert_int_equal(d.label[2], 0);
    nn_dataset_free(&d);
    /* predict finds the long name in the same file */
    const char *names[1] = {hdr};
    assert_int_equal(nn_data_csv_columns(&d, text, strlen(text), "t.csv", names, 1, &err), NN_OK);
    assert_int_equal(d.n, 3);
    assert_feq(at(&d, 2, 0), 3.0f);
    nn_dataset_free(&d);
}

static void test_csv_empty_or_repeated_header_names_are_refused_with_the_column(void **state)
{
    (void)state;
    csv_fails(",a,label\n1,2,x\n3,4,y\n", NULL, -1, "line 1: column 1 has no name", "every column needs a name");
    csv_fails("a, ,label\n1,2,x\n3,4,y\n", NULL, -1, "line 1: column 2 has no name", NULL);
    csv_fails("x,y,x,label\n1,2,3,a\n4,5,6,b\n", NULL, -1, "line 1: columns 1 and 3 are both named 'x'",
              "must be unique");
    csv_fails("x,y, y ,label\n1,2,3,a\n4,5,6,b\n", NULL, -1, "columns 2 and 3 are both named 'y'", NULL);
    /* predict applies the same rule to the file it reads */
    const char *names[1] = {"y"};
    nn_dataset d;
    nn_error err;
    const char *t = "x,y,x\n1,2,3\n";
    assert_int_equal(nn_data_csv_columns(&d, t, strlen(t), "p.csv", names, 1, &err), NN_EINVAL);
    assert_non_null(strstr(err.msg, "p.csv: line 1: columns 1 and 3 are both named 'x'"));
}

static void test_csv_that_is_not_utf8_is_refused_with_the_line(void **state)
{
    (void)state;
    /* Windows-1252: caf\xe9 */
    csv_fails("x,label\n1,tea\n2,caf\xe9\n", NULL, -1, "line 3: byte 0xE9 is not UTF-8", "nnterm reads CSV as UTF-8");
    csv_fails("x,caf\xe9\n1,a\n2,b\n", NULL, -1, "line 1: byte 0xE9", NULL);
    /* UTF-16 with its byte order mark, both byte orders */
    static const char le[] = "\xff\xfex\0,\0y\0\n\0";
    static const char be[] = "\xfe\xff\0x\0,\0y\0\n";
    const char *files[2] = {le, be};
    for (int i = 0; i < 2; i++) {
        nn_dataset d;
        nn_error err;
        assert_int_equal(nn_data_csv(&d, files[i], sizeof le - 1, "u16.csv", NULL, -1, &err), NN_EINVAL);
        assert_non_null(strstr(err.msg, "u16.csv: the file is UTF-16"));
        assert_non_null(strstr(err.msg, i ? "big-endian" : "little-endian"));
    }
    /* UTF-16 without a byte order mark: NUL bytes */
    nn_dataset d;
    nn_error err;
    static const char nul[] = "x,y\n1,\0a\n";
    assert_int_equal(nn_data_csv(&d, nul, sizeof nul - 1, "n.csv", NULL, -1, &err), NN_EINVAL);
    assert_non_null(strstr(err.msg, "n.csv: line 2: a NUL byte"));
    /* UTF-8, with and without its byte order mark, is read; names stay UTF-8 */
    assert_int_equal(csv(&d, "\xef\xbb\xbfx,esp\xc3\xa8" "ce\n1,caf\xc3\xa9\n2,th\xc3\xa9\n", NULL, -1, &err), NN_OK);
    assert_string_equal(d.class_names[0], "caf\xc3\xa9");
    assert_string_equal(d.feature_names[0], "x");
    nn_dataset_free(&d);
}

static void test_csv_semicolon_or_tab_separated_files_are_named_as_such(void **state)
{
    (void)state;
    csv_fails("x;y;label\n1;2;a\n3;4;b\n", NULL, -1, "line 1: the header has no commas but looks semicolon-separated",
              "nnterm reads comma-separated CSV");
    csv_fails("x\ty\tlabel\n1\t2\ta\n", NULL, -1, "looks tab-separated", "comma-separated");
    const char *names[1] = {"x"};
    nn_dataset d;
    nn_error err;
    const char *t = "x;y\n1;2\n";
    assert_int_equal(nn_data_csv_columns(&d, t, strlen(t), "p.csv", names, 1, &err), NN_EINVAL);
    assert_non_null(strstr(err.msg, "p.csv: line 1: the header has no commas but looks semicolon-separated"));
}

static void test_csv_label_messages_give_the_line_and_the_real_problem(void **state)
{
    (void)state;
    /* 2^53 + 1 is an integer, but no integer class: say so, with the text as written */
    csv_fails("x,c\n1,1\n2,9007199254740993\n", "c", NN_TASK_CLASSIFICATION,
              "line 3, column 'c': label 9007199254740993 is too large for an integer class", "regression");
    csv_fails("x,c\n1,1\n2,1.5\n", "c", NN_TASK_CLASSIFICATION, "line 3, column 'c': label 1.5 is not an integer class",
              NULL);
    /* a regression target beyond float range: the line */
    csv_fails("x,y\n1,0.5\n\n2,1e39\n", NULL, -1, "line 4, column 'y': label 1e+39 is beyond the float range", NULL);
    /* a feature beyond float range: said as such */
    csv_fails("x,y\n1e39,0.5\n", NULL, -1, "line 2, column 'x': 1e39 is beyond the float range", NULL);
}

static void test_csv_header_of_one_long_column_is_quoted_as_a_short_excerpt(void **state)
{
    (void)state;
    /* a path to a file that is not a CSV (../../../etc/shadow): at most a short excerpt of its first
     * line reaches the message, escaped */
    const char *t = "root:$y$j9T$F5Jx5fExrKuPp53xLKQ..1$X3DX6M94c7o.9agCG9G317fh\x1b[2J:19000:0:99999:7:::\n";
    nn_dataset d;
    nn_error err;
    assert_int_equal(nn_data_csv(&d, t, strlen(t), "../../../etc/shadow", NULL, -1, &err), NN_EINVAL);
    assert_non_null(strstr(err.msg, "../../../etc/shadow: line 1: the header has one column, 'root:$y$j9T$F5Jx5fExrKuPp53xLKQ....'"));
    assert_null(strstr(err.msg, "X3DX6M94"));
    for (const char *p = err.msg; *p; p++)
        assert_true((unsigned char)*p >= 0x20);
}

static void test_csv_rows_remember_their_lines(void **state)
{
    (void)state;
    nn_dataset d;
    nn_error err;
    assert_int_equal(csv(&d, "x,c\n1,a\n\n2,\"b\nb\"\n3,a\n", NULL, -1, &err), NN_OK);
    assert_int_equal(d.n, 3);
    assert_non_null(d.row_line);
    assert_int_equal(d.row_line[0], 2);
    assert_int_equal(d.row_line[1], 4);
    assert_int_equal(d.row_line[2], 6);
    nn_dataset_free(&d);
}

/* A 32 KB .gz holding one 8192 x 4096 image reached 2.2 GB: 64 bytes of feature name per pixel. */
static void test_idx_one_huge_image_stores_no_feature_names(void **state)
{
    (void)state;
    char dir[64];
    assert_non_null(nn_tmp_dir(dir, sizeof dir, "nn_big_"));
    char gi[256], gl[256];
    snprintf(gi, sizeof gi, "%s/img.gz", dir);
    snprintf(gl, sizeof gl, "%s/lab", dir);
    size_t il = 16 + (size_t)8192 * 4096;
    uint8_t *img = calloc(il, 1), *lab;
    assert_non_null(img);
    put_be32(img, 0x803);
    put_be32(img + 4, 1);
    put_be32(img + 8, 8192);
    put_be32(img + 12, 4096);
    size_t ll = make_labels(&lab, 1);
    write_gz(gi, img, il);
    assert_int_equal(nn_file_write_atomic(gl, lab, ll, NULL), NN_OK);
    nn_dataset d;
    nn_error err;
    if (nn_data_idx(&d, gi, gl, NULL, NULL, NULL, &err) != NN_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(d.n_features, 8192 * 4096);
    assert_null(d.feature_names);
    char px[32];
    assert_string_equal(nn_dataset_feature_name(&d, 8192 * 4096 - 1, px, sizeof px), "px33554431");
    nn_dataset_free(&d);
    unlink(gi);
    unlink(gl);
    rmdir(dir);
    free(img);
    free(lab);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_source_table_lists_every_source_with_a_description),
        cmocka_unit_test(test_iris_has_150_rows_50_per_class_and_fisher_column_sums),
        cmocka_unit_test(test_generators_are_deterministic_for_a_seed_and_differ_for_another),
        cmocka_unit_test(test_generators_balance_classes_and_stay_in_range),
        cmocka_unit_test(test_noiseless_generators_follow_their_definitions),
        cmocka_unit_test(test_noise_moves_points_off_the_noiseless_shape),
        cmocka_unit_test(test_synthetic_rejects_bad_arguments_naming_the_field),
        cmocka_unit_test(test_csv_reads_string_labels_in_order_of_first_appearance),
        cmocka_unit_test(test_csv_integer_labels_become_classes_sorted_by_value),
        cmocka_unit_test(test_csv_non_integer_numeric_labels_mean_regression),
        cmocka_unit_test(test_csv_label_by_name_and_by_index),
        cmocka_unit_test(test_csv_handles_quotes_with_commas_quotes_and_newlines),
        cmocka_unit_test(test_csv_reports_lines_counted_across_quoted_newlines),
        cmocka_unit_test(test_csv_accepts_crlf_bom_no_final_newline_and_blank_trailing_lines),
        cmocka_unit_test(test_csv_reading_from_a_file_and_from_builtin),
        cmocka_unit_test(test_csv_ragged_row_names_the_line_and_both_counts),
        cmocka_unit_test(test_csv_non_numeric_nan_inf_and_empty_cells_name_line_and_column),
        cmocka_unit_test(test_csv_empty_and_header_only_files_are_errors),
        cmocka_unit_test(test_csv_forced_task_mismatches_name_the_row),
        cmocka_unit_test(test_csv_more_classes_than_the_limit_is_an_error),
        cmocka_unit_test(test_csv_unclosed_quote_and_junk_after_quote_are_errors),
        cmocka_unit_test(test_csv_is_not_fooled_by_a_buffer_without_a_terminating_nul),
        cmocka_unit_test(test_csv_columns_picks_features_by_name_in_the_given_order),
        cmocka_unit_test(test_csv_grows_past_many_doublings),
        cmocka_unit_test(test_idx_parses_a_tiny_image_and_label_file),
        cmocka_unit_test(test_idx_truncated_at_every_point_is_an_error_naming_the_file),
        cmocka_unit_test(test_idx_wrong_magic_and_bad_dims_are_rejected),
        cmocka_unit_test(test_idx_gz_files_round_trip_and_plain_files_read_as_they_are),
        cmocka_unit_test(test_idx_broken_gzip_is_an_error_naming_the_file),
        cmocka_unit_test(test_idx_missing_file_says_the_path_and_the_package_hint),
        cmocka_unit_test(test_idx_loads_the_real_fashion_mnist_test_files_when_installed),
        cmocka_unit_test(test_csv_one_class_is_refused_naming_the_file_and_the_label_column),
        cmocka_unit_test(test_csv_names_are_kept_whole),
        cmocka_unit_test(test_csv_empty_or_repeated_header_names_are_refused_with_the_column),
        cmocka_unit_test(test_csv_that_is_not_utf8_is_refused_with_the_line),
        cmocka_unit_test(test_csv_semicolon_or_tab_separated_files_are_named_as_such),
        cmocka_unit_test(test_csv_label_messages_give_the_line_and_the_real_problem),
        cmocka_unit_test(test_csv_header_of_one_long_column_is_quoted_as_a_short_excerpt),
        cmocka_unit_test(test_csv_rows_remember_their_lines),
        cmocka_unit_test(test_idx_one_huge_image_stores_no_feature_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
