/* trace.h — the step-through of one training sample: z, a and delta of every layer in double,
 * recomputed from the network's parameters into the trace's own buffers, and the gradient of any
 * one weight or bias. Read-only on the network and the trainer; call from the thread that owns
 * them, between batches (the UI's worker). */
#ifndef NN_TRACE_H
#define NN_TRACE_H

#include "error.h"
#include "loss.h"
#include "network.h"
#include "trainer.h"

// --- step-through of one sample ------------------------------------------------------------------

#define NN_HEALTH_BIAS (-1)        /* i for the bias b[j] instead of the weight W[i][j] */

/* One sample through the network, in double, recomputed from net->params into its own buffers
 * (never the network's workspace), without dropout. Loss semantics as loss.h (docs/design.md,
 * "Engine rules") with rows = 1: delta[l] = dL/dz of layer l for this sample alone, so the
 * gradient of W[i][j] is a_prev[i] * delta[j] (a_prev = x for the first layer) and that of b[j]
 * is delta[j]. */
typedef struct {
    int n_inputs, n_layers;
    int in[NN_MAX_LAYERS], out[NN_MAX_LAYERS];
    nn_act act[NN_MAX_LAYERS];
    float alpha[NN_MAX_LAYERS];
    nn_loss loss;            /* of the last run */
    int sample;              /* dataset row of the last nn_health_trace_sample; -1 otherwise */
    int has_run;             /* 1 once a run filled the vectors */
    double loss_value;       /* this sample's loss */
    double *x;               /* (n_inputs) the sample's features, as the network sees them */
    double *y;               /* (outputs) its target, as the loss sees it */
    double *z[NN_MAX_LAYERS];     /* (out[l]) pre-activation */
    double *a[NN_MAX_LAYERS];     /* (out[l]) activation */
    double *delta[NN_MAX_LAYERS]; /* (out[l]) dL/dz */
    double *da;              /* (widest) scratch: dL/da */
    float *xf, *yf;          /* (n_inputs), (outputs) gather scratch */
    double *buf;             /* the one allocation every vector points into */
} nn_health_trace;

/* Sizes the trace for net's shape (allocates once). */
nn_status nn_health_trace_init(nn_health_trace *tr, const nn_network *net, nn_error *err);
void nn_health_trace_free(nn_health_trace *tr);   /* zeroed or half-built is fine; idempotent */

/* Forward and backward of one sample x (n_inputs), target y (outputs) with the current weights.
 * NN_EINVAL if net's shape is not the one the trace was sized for. */
nn_status nn_health_trace_run(nn_health_trace *tr, const nn_network *net, const float *x, const float *y,
                              nn_loss loss, nn_error *err);
/* The same for dataset row `row` (0..t->data.n-1; t->split.train[k] is the k-th training row) of a
 * trainer: its normalised features, and its target as training sees it (one-hot or 0/1, or the
 * standardised regression target). */
nn_status nn_health_trace_sample(nn_health_trace *tr, const nn_trainer *t, int row, nn_error *err);

/* dL/dW[i][j] of layer l (0-based) for the traced sample, or dL/db[j] with i = NN_HEALTH_BIAS.
 * NAN if out of range or before a run. */
double nn_health_trace_grad(const nn_health_trace *tr, int layer, int i, int j);

/* The regularisation term of a parameter's gradient, as nn_network_add_penalty_grad adds it:
 * l1 lambda*sign(w), l2 lambda*w, elasticnet lambda*(r*sign(w) + (1-r)*w); 0 for biases
 * (is_bias) and for none. The trace's gradients are the loss's only: add this to match training. */
double nn_health_penalty_grad(nn_reg reg, double lambda, double r, double w, int is_bias);

#endif
