/* input_features.c — Playground's input features (see input_features.h): the table, their values, and the
 * expansion of a two-feature dataset. */
#include "input_features.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(NN_FEAT_COUNT <= (int)(sizeof ((nn_dataset *)0)->feature_of / sizeof(int)),
               "nn_dataset.feature_of holds every feature");

const nn_feature_info nn_feature_table[NN_FEAT_COUNT] = {
    {"x1", "x1", "the first raw feature"},
    {"x2", "x2", "the second raw feature"},
    {"x1^2", "x1\xc2\xb2", "x1 squared"},
    {"x2^2", "x2\xc2\xb2", "x2 squared"},
    {"x1*x2", "x1\xc2\xb7x2", "the product x1 x2"},
    {"sin(x1)", "sin(x1)", "the sine of x1 (radians)"},
    {"sin(x2)", "sin(x2)", "the sine of x2 (radians)"},
};

int nn_feature_find(const char *name)
{
    for (int f = 0; name && f < NN_FEAT_COUNT; f++)
        if (strcmp(nn_feature_table[f].name, name) == 0)
            return f;
    return -1;
}

const char *nn_feature_name(int f)
{
    return f >= 0 && f < NN_FEAT_COUNT ? nn_feature_table[f].name : NULL;
}

float nn_feature_eval(int f, float x1, float x2)
{
    switch ((nn_feature)f) {
    case NN_FEAT_X1: return x1;
    case NN_FEAT_X2: return x2;
    case NN_FEAT_X1_SQ: return x1 * x1;
    case NN_FEAT_X2_SQ: return x2 * x2;
    case NN_FEAT_X1_X2: return x1 * x2;
    case NN_FEAT_SIN_X1: return (float)sin((double)x1);
    case NN_FEAT_SIN_X2: return (float)sin((double)x2);
    case NN_FEAT_COUNT: break;
    }
    return 0.0f;
}

void nn_features_row(const int *f, int n, float x1, float x2, float *out)
{
    for (int j = 0; j < n; j++)
        out[j] = nn_feature_eval(f[j], x1, x2);
}

bool nn_features_identity(const int *f, int n)
{
    return n == 2 && f[0] == NN_FEAT_X1 && f[1] == NN_FEAT_X2;
}

nn_status nn_dataset_expand_features(nn_dataset *d, const int *f, int n, const char *what, nn_error *err)
{
    if (n < 1 || n > NN_FEAT_COUNT)
        return nn_error_set(err, NN_EINVAL, "dataset.features: %d features (expected 1..%d)", n, NN_FEAT_COUNT);
    for (int j = 0; j < n; j++)
        if (f[j] < 0 || f[j] >= NN_FEAT_COUNT)
            return nn_error_set(err, NN_EINVAL, "dataset.features: feature %d is unknown", f[j]);
    if (d->n_features != 2 || !d->x || d->n_raw)
        return nn_error_set(err, NN_EINVAL, "dataset.features: needs data with two raw features (x1, x2); %s has %d",
                            what, d->n_features);
    size_t rows = (size_t)d->n;
    float *x = malloc(rows * (size_t)n * sizeof *x);
    char **names = calloc((size_t)n, sizeof *names);
    bool ok = x && names;
    for (int j = 0; j < n && ok; j++) {
        size_t len = strlen(nn_feature_table[f[j]].name);
        names[j] = malloc(len + 1);
        ok = names[j] != NULL;
        if (ok)
            memcpy(names[j], nn_feature_table[f[j]].name, len + 1);
    }
    if (!ok) {
        free(x);
        nn_names_free(names, n);
        return nn_error_set(err, NN_ENOMEM, "dataset.features: out of memory for %d rows x %d features", d->n, n);
    }
    for (size_t i = 0; i < rows; i++)
        nn_features_row(f, n, d->x[2 * i], d->x[2 * i + 1], x + i * (size_t)n);
    /* the raw columns stay as they are, beside the features */
    d->raw = d->x;
    d->n_raw = 2;
    if (!d->feature_names) {
        char b[8];
        for (int j = 0; j < 2 && ok; j++) {
            b[0] = 'x';
            b[1] = (char)('1' + j);
            b[2] = '\0';
            ok = nn_dataset_set_feature_name(d, j, b, NULL) == NN_OK;
        }
    }
    d->raw_names = d->feature_names;   /* (2) the raw columns' names */
    d->x = x;
    d->n_features = n;
    d->feature_names = names;
    for (int j = 0; j < n; j++)
        d->feature_of[j] = f[j];
    if (!ok)
        return nn_error_set(err, NN_ENOMEM, "dataset.features: out of memory for the raw features' names");
    return NN_OK;
}
