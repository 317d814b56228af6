/* loss.h — losses: value and gradient over a batch.
 * Value = mean over the rows (samples) of the per-sample loss summed over the outputs.
 * Owns the loss table (one row per loss: its value, gradient, fused pairing and double reference).
 * Pure functions; any thread. */
#ifndef NN_LOSS_H
#define NN_LOSS_H

#include "activation.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    NN_LOSS_MAE,
    NN_LOSS_MSE,
    NN_LOSS_RMSE,   /* sqrt of the MSE value (the seed's sqrt(sum)/n was wrong) */
    NN_LOSS_BCE,    /* "binarycrossentropy" */
    NN_LOSS_CE,     /* "crossentropy" (categorical; targets one-hot or probabilities) */
    NN_LOSS_COUNT
} nn_loss;

/* One row per loss; adding a loss is its enum value and one row (loss.c). */
typedef struct {
    const char *name;     /* preset name */
    nn_loss id;
    const char *formula;  /* one line for `nnterm keys --markdown` (the README's math section) */
    bool classification;  /* needs a classification task (the cross-entropies) */
    bool root_of_mse;     /* the root of the mse over the whole batch or split (rmse): an evaluation in
                             chunks sums the mse and takes the root at the end */
    int fused_act;        /* the output activation (nn_act) whose pairing trains with dL/dz = (a - y)/n
                             and reports from z (nn_loss_is_fused); -1: none */
    /* The engine, over a batch: the mean loss of yhat against y (n = rows * cols values), and
     * dL/dyhat of it (each row carries the 1/rows factor). */
    double (*value)(const float *yhat, const float *y, int rows, size_t n);
    void (*grad)(float *dyhat, const float *yhat, const float *y, int rows, size_t n);
    /* The fused pairing's mean loss from the output layer's z (and a = f(z)), stably and unclamped;
     * NULL when fused_act is -1. */
    double (*fused_value)(const float *z, const float *a, const float *y, int rows, int cols);
    /* The reference, double, one sample of n outputs: the per-sample loss and, into g, dL/dyhat; and
     * the fused pairing's per-sample loss from z. The Step view's trace uses them. */
    double (*ref)(double *g, const double *yhat, const double *y, int n);
    double (*fused_ref)(const double *z, const double *y, int n);
} nn_loss_info;

extern const nn_loss_info nn_loss_table[NN_LOSS_COUNT];

int nn_loss_from_name(const char *name);   /* -1 if unknown */
const char *nn_loss_name(nn_loss l);

/* nn_loss_value and nn_loss_grad clamp probabilities to [NN_LOSS_EPS, 1 - NN_LOSS_EPS] inside logs
 * (and the gradient is taken at the clamped value). The fused pairs never need it: see
 * nn_loss_value_out. */
#define NN_LOSS_EPS 1e-7

/* Mean loss of yhat against y, both (rows, cols). Accumulated in double. */
double nn_loss_value(nn_loss loss, const float *yhat, const float *y, int rows, int cols);

/* The loss of an output layer as it is reported: for softmax + crossentropy and sigmoid +
 * binarycrossentropy (nn_loss_is_fused) from the pre-activations z, stably and unclamped, as torch's
 * F.cross_entropy and F.binary_cross_entropy_with_logits: per row sum_j y_j (logsumexp(z) - z_j), and
 * per element max(z, 0) - y z + log(1 + exp(-|z|)); every other pairing nn_loss_value of the
 * activations a. z, a and y (rows, cols), a = f(z) of the last forward (softmax + crossentropy takes
 * logsumexp's sum from it). Accumulated in double. */
double nn_loss_value_out(nn_loss loss, nn_act out_act, const float *z, const float *a, const float *y, int rows,
                         int cols);

/* dL/dyhat of the mean loss (so each row carries a 1/rows factor), (rows, cols). */
void nn_loss_grad(nn_loss loss, float *dyhat, const float *yhat, const float *y, int rows, int cols);

/* True for softmax+crossentropy and sigmoid+binarycrossentropy: then dL/dz = (a - y) / rows,
 * which nn_loss_fused_grad computes. Every other pairing goes through nn_loss_grad and
 * nn_act_backward (the general chain rule). */
bool nn_loss_is_fused(nn_loss loss, nn_act out_act);
void nn_loss_fused_grad(float *dz, const float *a, const float *y, int rows, int cols);

#endif
