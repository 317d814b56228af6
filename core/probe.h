/* probe.h — what a network predicts over its data, for the views: the decision boundary
 * (classification) or the surface (regression) over two features, the others held at their mean;
 * the fitted curve of 1-feature regression; predicted versus actual for regression; and an even
 * sample of the data points to draw over them. Everything is in the data's original units; data
 * with Playground features (dataset.features) is drawn over its raw x1, x2, the grid's features
 * computed from each cell's x1, x2.
 * A probe owns its prediction buffers and reads the trainer (nn_trainer_predict, which uses the
 * network's workspace): call it from the thread that owns the trainer, between batches. */
#ifndef NN_PROBE_H
#define NN_PROBE_H

#include "error.h"
#include "trainer.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    NN_PROBE_NONE,       /* no picture: 3+ features with no axes chosen (or more than max_features),
                            1-feature classification, or no rows */
    NN_PROBE_BOUNDARY,   /* 2+ features, classification: class and probability per grid cell */
    NN_PROBE_SURFACE,    /* 2+ features, regression: the first output per grid cell, scaled to 0..1 */
    NN_PROBE_CURVE       /* 1 feature, regression: the first output along x */
} nn_probe_kind;

typedef struct {
    float x, y;          /* features fx and fy, or (feature 0, target 0) for NN_PROBE_CURVE */
    int16_t cls;         /* class (classification), 0 otherwise */
    uint8_t is_test;     /* 1: from the test split, 0: from the training split */
} nn_probe_point;

typedef struct {
    /* sizes, from nn_probe_init */
    int grid_w, grid_h;  /* BOUNDARY and SURFACE: cells */
    int curve_n;         /* CURVE: points */
    int fit_max;         /* regression: the most predicted-versus-actual pairs */
    int max_features;    /* the most features a chosen pair of axes is drawn for */
    /* from nn_probe_setup */
    nn_probe_kind kind;
    int fx, fy;          /* the features on the axes: 0 and 1 unless chosen; CURVE: 0 and -1 */
    float x_min, x_max;  /* the view's range in original units: the data's range +-5% */
    float y_min, y_max;  /* feature fy, or the target (CURVE) */
    int fit_n;           /* predicted-versus-actual pairs (0 for classification) */
    float *mean;         /* (n_features) every feature's mean over every row, original units (3+ features) */
    float *in, *out;     /* the grid's or curve's rows, and the network's outputs for them */
    uint32_t *fit_rows;  /* (fit_max) dataset rows of the predicted-versus-actual sample */
    float *fit_in, *fit_out;
} nn_probe;

/* A probe with these sizes, no buffers yet. */
void nn_probe_init(nn_probe *p, int grid_w, int grid_h, int curve_n, int fit_max, int max_features);
void nn_probe_free(nn_probe *p);   /* zeroed or half-built is fine; keeps the sizes */

/* Decides what t's data gets, and sizes the buffers for it. 2-feature data gets a grid over features
 * 0 and 1; 3..max_features features only when chosen, over fx and fy (0 and 1 unless they are two
 * different features of the data); 1-feature regression a curve. Regression data also gets an even
 * sample of up to fit_max test rows (training rows when there is no test split) for
 * predicted-versus-actual. NN_ENOMEM (err set, kind NONE) if the buffers cannot be had. */
nn_status nn_probe_setup(nn_probe *p, const nn_trainer *t, bool chosen, int fx, int fy, nn_error *err);

/* The two features that tell most about the target on the training split, for the axes of data with
 * more than two features: classification by Fisher's ratio per feature (the spread of the class means
 * over the spread within the classes; for iris the petal length and width), regression by the
 * largest |correlation| with the first target. *fx gets the best, *fy the second (ties: the lower
 * index). False (and 0, 1) for data with fewer than 3 features or no training rows. */
bool nn_probe_best_pair(const nn_trainer *t, int *fx, int *fy);

/* Row `row` of the dataset as a point on the probe's axes (original units; the raw x1, x2 for
 * Playground features): what the views draw for that row. */
void nn_probe_point_of(const nn_probe *p, const nn_trainer *t, int row, float *x, float *y);

/* An even sample of up to max training rows, then test rows (the same share of each as in the
 * data), at the probe's axes, into out; returns how many. 0 for NONE. */
int nn_probe_points(const nn_probe *p, const nn_trainer *t, nn_probe_point *out, int max);

/* The grid with the current weights (BOUNDARY, SURFACE; nothing for other kinds). Cell (r, c) at
 * [r * grid_w + c] is the prediction at x = x_min + (c + 0.5) * (x_max - x_min) / grid_w,
 * y = y_max - (r + 0.5) * (y_max - y_min) / grid_h (row 0 is the top). BOUNDARY: cls the predicted
 * class (clamped to 0..255), conf its probability in 0..1. SURFACE: cls 0, conf the first output as
 * (yhat - vmin) / (vmax - vmin) (0.5 when flat), vmin..vmax its range over the grid. */
void nn_probe_grid(nn_probe *p, nn_trainer *t, uint8_t *cls, float *conf, float *vmin, float *vmax);

/* What single units compute over the plane of the grid (BOUNDARY, SURFACE; NN_EINVAL otherwise):
 * gw x gh points placed as the grid's cells (row 0 the top), the other features at their mean,
 * through the network's own weights (its workspace is not touched, so a measured batch's z and a
 * stay). For each of the n units (layer[i], unit[i]), counted from the first hidden layer (the last
 * layer is the output), its activation a at cell (r, c) into maps[i * gw * gh + r * gw + c]. The
 * output layer's values are the network's outputs before any unscaling: probabilities for
 * classification, standardised targets for regression. NN_EINVAL (err names it) for a unit outside
 * the network, NN_ENOMEM without memory for the rows. Layer -1 is the input: unit j's map is feature
 * j as the network sees it (normalised; for Playground features, computed from the cell's x1, x2). */
nn_status nn_probe_units(const nn_probe *p, const nn_trainer *t, int gw, int gh, const int *layer, const int *unit,
                         int n, float *maps, nn_error *err);

/* The curve with the current weights (CURVE; nothing otherwise): x (curve_n) evenly on
 * [x_min, x_max], y the first output there. */
void nn_probe_curve(nn_probe *p, nn_trainer *t, float *x, float *y);

/* Predicted versus actual with the current weights (first target): fit_n pairs into actual and pred;
 * returns fit_n (0 for classification). */
int nn_probe_fit(nn_probe *p, nn_trainer *t, float *actual, float *pred);

/* Image data: the side of its square pictures (28 for 784 byte features), 0 when the data is not
 * pictures (float features, or a count of pixels that is not a square). */
int nn_probe_image_side(const nn_trainer *t);

/* Up to max rows of the test split (the training split when there is none), evenly spread, and the
 * class the network predicts for each with the current weights: rows[i], pred[i] (classification;
 * -1 for regression). Returns how many (0 without rows or memory). */
int nn_probe_predict_rows(nn_trainer *t, int max, uint32_t *rows, int *pred);

#endif
