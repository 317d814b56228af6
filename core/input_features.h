/* input_features.h — TensorFlow Playground's input features over two raw coordinates: x1, x2, x1^2, x2^2,
 * x1*x2, sin(x1), sin(x2) (the preset key dataset.features). A dataset with two raw features is
 * expanded into the chosen ones (computed from the raw coordinates, before normalisation), and keeps
 * its raw coordinates beside them, for the views (the Boundary view stays in x1/x2) and for the
 * model file (predict reads x1, x2 and expands them the same way). Pure; any thread. */
#ifndef NN_INPUT_FEATURES_H
#define NN_INPUT_FEATURES_H

#include "data.h"
#include "error.h"

#include <stdbool.h>

typedef enum {
    NN_FEAT_X1, NN_FEAT_X2, NN_FEAT_X1_SQ, NN_FEAT_X2_SQ, NN_FEAT_X1_X2, NN_FEAT_SIN_X1, NN_FEAT_SIN_X2,
    NN_FEAT_COUNT
} nn_feature;

#define NN_FEAT_NAME_MAX 12   /* the longest name, "sin(x1)", with room to spare */

typedef struct {
    const char *name;      /* as a preset writes it: "x1", "x1^2", "x1*x2", "sin(x1)" */
    const char *label;     /* as a screen shows it: "x1²", "x1·x2" (UTF-8) */
    const char *doc;       /* one line for the documentation */
} nn_feature_info;

extern const nn_feature_info nn_feature_table[NN_FEAT_COUNT];

/* The feature named name ("x1^2"), or -1. */
int nn_feature_find(const char *name);
/* Its name, or NULL out of range (the preset schema's names hook). */
const char *nn_feature_name(int f);

/* Feature f at raw coordinates (x1, x2), as the network's input is computed (before normalisation):
 * x1*x1, x1*x2 in float; sin in double, rounded to float. 0 for an unknown f. */
float nn_feature_eval(int f, float x1, float x2);
/* The features f[0..n) at (x1, x2) into out[0..n). */
void nn_features_row(const int *f, int n, float x1, float x2, float *out);

/* True if f[0..n) is the data's own two features as they are: x1, x2 in that order (no expansion). */
bool nn_features_identity(const int *f, int n);

/* Replaces d's features (float data with exactly two raw features, in original units, not yet
 * normalised) by the features f[0..n) of them, named by their names; d->raw keeps the two raw
 * columns and d->raw_names their names. what names the data in the message of a dataset with another
 * number of features ("the iris source", "wine.csv"). NN_EINVAL when d does not have two raw features
 * (or is image data), NN_ENOMEM without memory; d is unchanged then. */
nn_status nn_dataset_expand_features(nn_dataset *d, const int *f, int n, const char *what, nn_error *err);

#endif
