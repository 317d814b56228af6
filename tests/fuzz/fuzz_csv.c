/* fuzz_csv.c — the CSV loaders: nn_data_csv (auto task, last column; a label by name and by
 * index; forced classification and regression) and nn_data_csv_columns (features by name).
 * Promises checked: a refusal has a code and a message naming the file; an accepted dataset has
 * rows (each with its line, in order), finite features, at least 2 classes and labels inside
 * [0, n_classes), finite regression targets, and names that are non-empty, unique (features) and
 * UTF-8; nn_data_csv_columns finds every feature by its name and reads the same numbers. */
#include "fuzz.h"

#include "datasets.h"
#include "text.h"

#include <math.h>

#define FILE_NAME "fuzz/data.csv"

static void check_error(nn_status st, const nn_error *err, const char *what)
{
    FUZZ_CHECK(err->code == st, "%s: err.code %d != status %d", what, (int)err->code, (int)st);
    FUZZ_CHECK(fuzz_terminated(err->msg, sizeof err->msg), "%s: message not terminated", what);
    FUZZ_CHECK(strstr(err->msg, FILE_NAME) != NULL, "%s: message does not name the file: %s", what, err->msg);
}

static void check_dataset(const nn_dataset *d, int with_targets)
{
    FUZZ_CHECK(d->n >= 1, "accepted dataset with %d rows", d->n);
    FUZZ_CHECK(d->n_features >= 1, "accepted dataset with %d features", d->n_features);
    FUZZ_CHECK(d->x != NULL, "no features");
    size_t cells = (size_t)d->n * (size_t)d->n_features;
    for (size_t i = 0; i < cells; i++)
        FUZZ_CHECK(isfinite(d->x[i]), "feature %zu is not finite", i);
    FUZZ_CHECK(d->feature_names != NULL, "no feature names");
    for (int j = 0; j < d->n_features; j++) {
        const char *f = d->feature_names[j];
        FUZZ_CHECK(f != NULL && f[0] != '\0', "feature name %d is missing or empty", j);
        FUZZ_CHECK(nn_utf8_check(f, strlen(f)) == strlen(f), "feature name %d is not UTF-8", j);
    }
    FUZZ_CHECK(d->row_line != NULL, "no line numbers");
    for (int i = 0; i < d->n; i++)
        FUZZ_CHECK(d->row_line[i] >= 2 && (i == 0 || d->row_line[i] > d->row_line[i - 1]), "row %d: line %ld", i,
                   d->row_line[i]);
    if (!with_targets)
        return;
    if (d->task == NN_TASK_CLASSIFICATION) {
        FUZZ_CHECK(d->n_classes >= 2 && d->n_classes <= NN_MAX_CLASSES, "n_classes %d", d->n_classes);
        FUZZ_CHECK(d->label != NULL && d->class_names != NULL, "no labels or class names");
        for (int i = 0; i < d->n; i++)
            FUZZ_CHECK(d->label[i] >= 0 && d->label[i] < d->n_classes, "label %d of row %d", d->label[i], i);
        for (int c = 0; c < d->n_classes; c++) {
            const char *n = d->class_names[c];
            FUZZ_CHECK(n != NULL && n[0] != '\0', "class name %d is missing or empty", c);
            FUZZ_CHECK(nn_utf8_check(n, strlen(n)) == strlen(n), "class name %d is not UTF-8", c);
            for (int k = 0; k < c; k++)
                FUZZ_CHECK(strcmp(d->class_names[k], n) != 0, "classes %d and %d have one name", k, c);
        }
    } else {
        FUZZ_CHECK(d->task == NN_TASK_REGRESSION, "task %d", (int)d->task);
        FUZZ_CHECK(d->n_targets >= 1 && d->y != NULL, "regression without targets");
        size_t t = (size_t)d->n * (size_t)d->n_targets;
        for (size_t i = 0; i < t; i++)
            FUZZ_CHECK(isfinite(d->y[i]), "target %zu is not finite", i);
    }
}

/* The prediction loader, asked for the feature columns the training loader found (by their header
 * names, which are whole, non-empty and unique), must find them all and read the same numbers. */
static void check_columns_agree(const nn_dataset *d, const char *buf, size_t size)
{
    if (d->n_features > 64)
        return;
    const char *names[64];
    for (int j = 0; j < d->n_features; j++) {
        names[j] = d->feature_names[j];
        for (int k = 0; k < j; k++)
            FUZZ_CHECK(strcmp(names[k], names[j]) != 0, "features %d and %d have one name", k, j);
    }
    nn_dataset c;
    memset(&c, 0, sizeof c);
    nn_error err;
    nn_status st = nn_data_csv_columns(&c, buf, size, FILE_NAME, names, d->n_features, &err);
    FUZZ_CHECK(st == NN_OK, "training loader accepted the file, prediction loader refuses its columns: %s",
               err.msg);
    FUZZ_CHECK(c.n == d->n && c.n_features == d->n_features, "shape %d x %d vs %d x %d", c.n, c.n_features, d->n,
               d->n_features);
    size_t cells = (size_t)d->n * (size_t)d->n_features;
    for (size_t i = 0; i < cells; i++)
        FUZZ_CHECK(memcmp(&c.x[i], &d->x[i], sizeof c.x[i]) == 0, "value %zu: %.9g vs %.9g", i, (double)c.x[i],
                   (double)d->x[i]);
    nn_dataset_free(&c);
}

static void load(const char *buf, size_t size, const char *label, int task)
{
    nn_dataset d;
    memset(&d, 0, sizeof d);
    nn_error err;
    nn_status st = nn_data_csv(&d, buf, size, FILE_NAME, label, task, &err);
    if (st == NN_OK) {
        check_dataset(&d, 1);
        if (task >= 0)
            FUZZ_CHECK((int)d.task == task, "asked for task %d, got %d", task, (int)d.task);
        if (!label && task < 0)
            check_columns_agree(&d, buf, size);
    } else {
        check_error(st, &err, "nn_data_csv");
    }
    nn_dataset_free(&d);
    nn_dataset_free(&d);   /* idempotent */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = fuzz_dup(data, size);
    if (!buf)
        return 0;
    load(buf, size, NULL, -1);
    load(buf, size, "0", -1);
    load(buf, size, "label", NN_TASK_CLASSIFICATION);
    load(buf, size, "", NN_TASK_REGRESSION);

    static const char *const names[] = {"b", "a", "x1"};
    for (int n = 1; n <= 3; n += 2) {
        nn_dataset d;
        memset(&d, 0, sizeof d);
        nn_error err;
        nn_status st = nn_data_csv_columns(&d, buf, size, FILE_NAME, names, n, &err);
        if (st == NN_OK) {
            check_dataset(&d, 0);
            FUZZ_CHECK(d.n_features == n, "asked for %d columns, got %d", n, d.n_features);
        } else {
            check_error(st, &err, "nn_data_csv_columns");
        }
        nn_dataset_free(&d);
    }
    free(buf);
    return 0;
}
