/* test_record.c — run records (core/record.c): the text a record is made of reads back with its
 * fingerprint; an edited value breaks the fingerprint, whitespace does not; a re-run's epoch object
 * is compared figure by figure within a tolerance, timing aside; the default runs folder follows
 * XDG; records get free names. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "files.h"
#include "record.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const epochs[] = {
    "{\"epoch\":1,\"train_loss\":0.6,\"val_loss\":0.65,\"test_loss\":0.57,\"train_accuracy\":0.78,\"val_accuracy\":0.8,"
    "\"test_accuracy\":0.8,\"lr\":0.03,\"seconds\":0.000100,\"eval_seconds\":0.000050}\n",
    "{\"epoch\":2,\"train_loss\":0.48,\"val_loss\":null,\"test_loss\":0.46,\"train_accuracy\":0.82,\"val_accuracy\":null,"
    "\"test_accuracy\":0.83,\"lr\":0.03,\"seconds\":0.000100,\"eval_seconds\":0.000050}\n",
};
static const char final[] = "{\"final\":true,\"epochs\":2,\"train_loss\":0.48,\"val_loss\":null,\"test_loss\":0.46,"
                            "\"accuracy\":0.83,\"classes\":[\"a\",\"b\"],\"confusion_matrix\":[[3,1],[0,2]]}\n";

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/nnterm-record-%ld", (long)getpid());
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static char *make_text(void)
{
    nn_preset p;
    nn_error err;
    if (nn_preset_load(&p, "iris", NULL, &err) != NN_OK)
        fail_msg("%s", err.msg);
    char *t = nn_record_text(&p, "9.9.9", "2026-12-05T10:51:07Z", "builtin:", NULL, epochs, 2, "[]", final);
    assert_non_null(t);
    return t;
}

static void load_text(nn_record *r, const char *text, const char *name)
{
    char path[128];
    nn_error err;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_int_equal(nn_record_make_dir(dir, &err), NN_OK);
    assert_int_equal(nn_file_write_atomic(path, text, strlen(text), &err), NN_OK);
    if (nn_record_load(r, path, &err) != NN_OK)
        fail_msg("%s", err.msg);
}

/* text with the first `from` replaced by `to` (malloc'd) */
static char *edit(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    if (!at)
        fail_msg("'%s' not in the record", from);
    size_t n = strlen(text) + strlen(to) + 1;
    char *s = malloc(n);
    assert_non_null(s);
    snprintf(s, n, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    return s;
}

static void test_record_reads_back_with_its_fingerprint(void **state)
{
    (void)state;
    char *text = make_text();
    nn_record r;
    load_text(&r, text, "a.json");
    assert_true(r.fingerprint_ok);
    assert_string_equal(r.name, "Iris (seed configuration)");
    assert_string_equal(r.nnterm, "9.9.9");
    assert_int_equal(r.n_epochs, 2);
    assert_int_equal(r.last_epoch, 2);
    assert_int_equal(r.seed, 1234);
    assert_false(r.regression);
    assert_true(fabs(r.metric - 0.83) < 1e-12);
    assert_string_equal(r.config, "hidden 40 relu, sgd lr 0.03, batch 16");
    nn_record_free(&r);

    /* an edited figure, seed or preset key is seen; more spaces are not */
    static const char *const edits[][2] = {
        {"\"test_loss\":0.57", "\"test_loss\":0.56"},
        {"\"seed\": \"1234\"", "\"seed\": \"1235\""},
        {"\"learning_rate\": 0.03", "\"learning_rate\": 0.031"},
        {"[[3,1],[0,2]]", "[[3,1],[0,3]]"},
        {"\"live_changes\": []", "\"live_changes\": [{\"epoch\":1,\"batch\":0,\"lr\":0.1}]"},
    };
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        char *bad = edit(text, edits[i][0], edits[i][1]);
        load_text(&r, bad, "b.json");
        if (r.fingerprint_ok)
            fail_msg("edit %zu (%s) not detected", i, edits[i][1]);
        nn_record_free(&r);
        free(bad);
    }
    char *spaced = edit(text, "\"epoch\":1,", "\"epoch\" :  1 ,");
    load_text(&r, spaced, "c.json");
    assert_true(r.fingerprint_ok);
    nn_record_free(&r);
    free(spaced);
    free(text);
}

static void test_compare_epoch_within_tolerance(void **state)
{
    (void)state;
    char *text = make_text();
    nn_record r;
    load_text(&r, text, "a.json");
    double dev = 0;
    char what[256] = "";
    /* the same figures, other timing */
    const char *same = "{\"epoch\":1,\"train_loss\":0.6,\"val_loss\":0.65,\"test_loss\":0.57,\"train_accuracy\":0.78,"
                       "\"val_accuracy\":0.8,\"test_accuracy\":0.8,\"lr\":0.03,\"seconds\":9,\"eval_seconds\":9}";
    assert_true(nn_record_compare_epoch(&r, 0, same, 0.0, &dev, what, sizeof what));
    assert_true(dev == 0.0);
    const char *close = "{\"epoch\":1,\"train_loss\":0.600001,\"val_loss\":0.65,\"test_loss\":0.57,\"train_accuracy\":0.78,"
                        "\"val_accuracy\":0.8,\"test_accuracy\":0.8,\"lr\":0.03,\"seconds\":9,\"eval_seconds\":9}";
    assert_true(nn_record_compare_epoch(&r, 0, close, 1e-4, &dev, what, sizeof what));
    assert_true(dev > 0 && dev < 2e-6);
    assert_false(nn_record_compare_epoch(&r, 0, close, 0.0, &dev, what, sizeof what));
    assert_non_null(strstr(what, "epoch 1 train_loss: 0.6 in the record, 0.600001 now"));
    const char *missing = "{\"epoch\":1,\"train_loss\":0.6}";
    assert_false(nn_record_compare_epoch(&r, 0, missing, 1e-4, &dev, what, sizeof what));
    assert_non_null(strstr(what, "val_loss"));
    const char *null_now = "{\"epoch\":2,\"train_loss\":0.48,\"val_loss\":0.5,\"test_loss\":0.46,\"train_accuracy\":0.82,"
                           "\"val_accuracy\":null,\"test_accuracy\":0.83,\"lr\":0.03}";
    assert_false(nn_record_compare_epoch(&r, 1, null_now, 1e-4, &dev, what, sizeof what));
    assert_non_null(strstr(what, "epoch 2 val_loss"));
    assert_true(nn_record_compare_final(&r, final, 0.0, &dev, what, sizeof what));
    assert_false(nn_record_compare_final(&r, "{\"final\":true,\"epochs\":2,\"train_loss\":0.48,\"val_loss\":null,"
                 "\"test_loss\":0.46,\"accuracy\":0.83,\"classes\":[\"a\",\"b\"],\"confusion_matrix\":[[3,1],[1,1]]}",
                 1e-4, &dev, what, sizeof what));
    assert_non_null(strstr(what, "final confusion_matrix.1.0"));
    nn_record_free(&r);
    free(text);
}

static void test_default_dir_follows_xdg(void **state)
{
    (void)state;
    char d[256];
    unsetenv("NNTERM_RUNS");
    setenv("XDG_DATA_HOME", "/x/data", 1);
    assert_true(nn_record_default_dir(d, sizeof d));
    assert_string_equal(d, "/x/data/nnterm/runs");
    setenv("XDG_DATA_HOME", "relative", 1);   /* ignored, as the spec says */
    setenv("HOME", "/home/s", 1);
    assert_true(nn_record_default_dir(d, sizeof d));
    assert_string_equal(d, "/home/s/.local/share/nnterm/runs");
    unsetenv("XDG_DATA_HOME");
    assert_true(nn_record_default_dir(d, sizeof d));
    assert_string_equal(d, "/home/s/.local/share/nnterm/runs");
    setenv("NNTERM_RUNS", "/class/runs", 1);
    assert_true(nn_record_default_dir(d, sizeof d));
    assert_string_equal(d, "/class/runs");
    setenv("NNTERM_RUNS", "off", 1);
    assert_false(nn_record_default_dir(d, sizeof d));
    setenv("NNTERM_RUNS", "", 1);
    assert_false(nn_record_default_dir(d, sizeof d));
    unsetenv("NNTERM_RUNS");
}

static void test_record_names(void **state)
{
    (void)state;
    char sub[128], path[256];
    nn_error err;
    snprintf(sub, sizeof sub, "%s/deep/er", dir);
    assert_int_equal(nn_record_write(sub, "{}", "Iris (seed/x)", "2026-12-05T10:51:07Z", path, sizeof path, &err), NN_OK);
    assert_non_null(strstr(path, "/deep/er/20261205-105107-Iris-seed-x.json"));
    assert_int_equal(nn_record_write(sub, "{}", "Iris (seed/x)", "2026-12-05T10:51:07Z", path, sizeof path, &err), NN_OK);
    assert_non_null(strstr(path, "/deep/er/20261205-105107-Iris-seed-x-2.json"));
    assert_int_equal(nn_record_write(sub, "{}", "***", "2026-12-05T10:51:07Z", path, sizeof path, &err), NN_OK);
    assert_non_null(strstr(path, "20261205-105107-run.json"));
}


static void set_key(nn_preset *p, const char *key, const char *value)
{
    nn_error err;
    if (nn_preset_set(p, key, value, &err) != NN_OK)
        fail_msg("%s", err.msg);
}

/* The legend of a pinned run (nn_preset_diff_label) says what differs in the words and values of the
 * columns of `nnterm compare` (nn_preset_diff_keys, nn_preset_diff_value): one wording for both. */
static void test_diff_label_names_what_differs(void **state)
{
    (void)state;
    nn_preset a, b;
    nn_error err;
    if (nn_preset_load(&a, "xor", NULL, &err) != NN_OK)
        fail_msg("%s", err.msg);
    b = a;
    char out[160];
    assert_int_equal(nn_preset_diff_label(&a, &b, out, sizeof out), 0);
    assert_string_equal(out, "same");
    set_key(&b, "training.optimizer.learning_rate", "0.02");
    assert_int_equal(nn_preset_diff_label(&a, &b, out, sizeof out), 1);
    assert_string_equal(out, "lr 0.01");
    assert_int_equal(nn_preset_diff_label(&b, &a, out, sizeof out), 1);
    assert_string_equal(out, "lr 0.02");
    /* the same pair in the compare table: the column "lr", the values 0.01 and 0.02 */
    const nn_preset *ps[2] = {&a, &b};
    char keys[NN_DIFF_MAX][96], heads[NN_DIFF_MAX][48], v[64];
    assert_int_equal(nn_preset_diff_keys(ps, 2, keys, heads, NN_DIFF_MAX), 1);
    assert_string_equal(keys[0], "training.optimizer.learning_rate");
    assert_string_equal(heads[0], "lr");
    nn_preset_diff_value(&a, keys[0], v, sizeof v);
    assert_string_equal(v, "0.01");

    /* a kind and a name say their word; a number its column's head */
    set_key(&b, "training.optimizer.name", "\"sgd\"");   /* with sgd's own default lr */
    set_key(&b, "training.optimizer.learning_rate", "0.02");
    set_key(&b, "model.layers.0.activation", "\"relu\"");
    set_key(&b, "training.batch_size", "64");
    assert_int_equal(nn_preset_diff_keys(ps, 2, keys, heads, NN_DIFF_MAX), 4);
    assert_int_equal(nn_preset_diff_label(&b, &a, out, sizeof out), 4);
    assert_string_equal(out, "L1 relu, batch_size 64, sgd, lr 0.02");
    for (int k = 0; k < 4; k++) {   /* every phrase holds the table's value of its key */
        nn_preset_diff_value(&b, keys[k], v, sizeof v);
        assert_non_null(strstr(out, v));
    }

    /* "none" alone says nothing: the head says what is absent */
    nn_preset r = a;
    set_key(&r, "training.regularization.method", "\"l2\"");
    assert_int_equal(nn_preset_diff_label(&a, &r, out, sizeof out), 1);
    assert_string_equal(out, "no regularization");
    assert_int_equal(nn_preset_diff_label(&r, &a, out, sizeof out), 1);
    assert_string_equal(out, "l2");

    /* a hidden layer less: its count, not the keys of the layers that moved */
    nn_preset c = a;
    set_key(&c, "model.layers.0", "null");
    assert_int_equal(nn_preset_diff_label(&c, &a, out, sizeof out), 1);
    assert_string_equal(out, "no hidden layer");
    assert_int_equal(nn_preset_diff_label(&a, &c, out, sizeof out), 1);
    assert_string_equal(out, "1 hidden layer");

    char small[12];
    nn_preset_diff_label(&b, &a, small, sizeof small);
    assert_int_equal(strlen(small), sizeof small - 1);
    assert_string_equal(small + sizeof small - 4, "...");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_reads_back_with_its_fingerprint),
        cmocka_unit_test(test_compare_epoch_within_tolerance),
        cmocka_unit_test(test_default_dir_follows_xdg),
        cmocka_unit_test(test_record_names),
        cmocka_unit_test(test_diff_label_names_what_differs),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
