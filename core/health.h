/* health.h — teaching tools over a network: per-layer health statistics (gradient and weight
 * norms, update-to-weight ratio, dead ReLUs, saturated sigmoid/tanh units, activation mean and
 * spread) with warnings in plain words, and a small per-epoch history. The step-through of one
 * sample is trace.h; one optimizer step written out is explain.h.
 * Nothing here changes the network. Call from the thread that owns it, between batches (the UI's
 * worker). nn_health and nn_health_history are plain fixed-size structs: = copies them. */
#ifndef NN_HEALTH_H
#define NN_HEALTH_H

#include "network.h"

#include <stddef.h>

// --- health statistics ---------------------------------------------------------------------------

/* Warning thresholds (nn_health_warnings). Layers are numbered from 1 in messages; the output
 * layer is skipped for the dead, saturated and vanishing checks (a confident sigmoid output is
 * meant to be near 0 or 1). A tiny gradient at the output means the loss is flat on the batch,
 * which gets its own warning instead of the vanishing one. */
#define NN_HEALTH_DEAD_WARN 0.5     /* a layer that can die (relu, leaky_relu: nn_act_info.can_die): >= 50% of
                                       the units dead on the batch */
#define NN_HEALTH_SAT_WARN 0.5      /* sigmoid/tanh layer: >= 50% of (row, unit) values saturated */
#define NN_HEALTH_SAT_EDGE NN_ACT_SAT_EDGE   /* saturated: past the row's sat_lo/sat_hi (tanh |a| > 0.99;
                                                 sigmoid a < 0.01 or a > 0.99) */
#define NN_HEALTH_TINY_GRAD 1e-5    /* a hidden layer's ||dL/dW|| below this: gradients vanish */
#define NN_HEALTH_VANISH_RATIO 1e-2 /* ...or below 1% of the largest layer's ||dL/dW|| */
#define NN_HEALTH_HUGE_GRAD 1e3     /* a layer's ||dL/dW|| above this: gradients explode */
#define NN_HEALTH_HIGH_UPDATE 1e-1  /* a layer's ||ΔW||/||W|| at or above this: learning rate too high
                                       (a healthy ratio is around 1e-3; small nets run near 1e-2) */
#define NN_HEALTH_LOW_UPDATE 1e-5   /* every layer's ||ΔW||/||W|| below this, while the gradient is not
                                       tiny: learning rate too low */

#define NN_HEALTH_WARN_LEN 160      /* bytes per warning, with the terminating 0 */

typedef struct {
    int in, out;             /* W is (in, out) */
    nn_act act;
    double grad_norm;        /* ||dL/dW||_2 of the last backward (net->grads, W only, biases not) */
    double weight_norm;      /* ||W||_2 */
    double update_ratio;     /* ||W - W_prev||_2 / ||W||_2 (the last optimizer step); NAN without
                                prev_params; INFINITY if ||W|| = 0 and W moved */
    double dead_share;       /* can_die (relu, leaky_relu): share of units with z <= 0 on every row of the
                                last forward, in [0,1]; NAN for other activations */
    double saturated_share;  /* saturates (sigmoid, tanh): share of (row, unit) values past the edges;
                                NAN for other activations */
    double act_mean, act_std;/* mean and (population) std of a over rows x units of the last forward */
} nn_health_layer;

typedef struct {
    int n_layers;
    int rows;                /* rows of the forward the activation statistics come from (0: none) */
    nn_health_layer layer[NN_MAX_LAYERS];
} nn_health;

/* Mean and population standard deviation of the columns [j0, j1) of rows (rows, ld) row-major, in
 * double and in two passes (the mean first), so a large common offset keeps the spread: a one-pass
 * E[a^2] - E[a]^2 loses it. Both 0 for no values. */
void nn_health_block_mean_std(const float *a, int rows, int ld, int j0, int j1, double *mean, double *sd);

/* Fills h from the network as it is now: norms from params and grads, activation statistics
 * from the z/a workspace of the last forward (net->last_rows rows: after a training batch that is
 * the batch; after nn_trainer_step ended an epoch it is the last chunk of the evaluation pass).
 * prev_params: a copy of net->params (n_params floats) taken before the last optimizer step
 * (e.g. memcpy before nn_trainer_step), or NULL (update_ratio NAN). Reads only; never fails. */
void nn_health_compute(nn_health *h, const nn_network *net, const float *prev_params);

/* Writes up to max warnings in plain words into out[0..max), e.g.
 *   "layer 2: 80% of ReLUs are dead: lower the learning rate or try leaky_relu"
 *   "layer 1: 95% of sigmoid units are saturated: gradients vanish; try relu or a smaller init"
 *   "layer 3: gradient norm 1e-7 is tiny: gradients vanish (deep sigmoid layers?)"
 *   "layers 1-5: gradient norms 7.9e-7 to 3.2e-4, layer 8's 5.1e-2: gradients vanish on the way
 *    back (deep sigmoid layers?)"          (several layers: one line)
 *   "layer 3 (output): gradient norm 0: the loss is flat on this batch; ..."
 *   "layer 2: gradient norm 5e4 is huge: gradients explode; ..."
 *   "layer 1: updates are 10% of the weights per step: the learning rate is too high"
 *   "updates are 1e-6 of the weights: the learning rate is too low"
 * in that order: units, gradients, updates. NAN statistics raise nothing.
 * Returns the number written (0: healthy). out may be NULL when max is 0. */
int nn_health_warnings(const nn_health *h, char (*out)[NN_HEALTH_WARN_LEN], int max);

/* Health over epochs: a compact row per epoch and a fixed ring of the last NN_HEALTH_HISTORY. */
#define NN_HEALTH_HISTORY 64
typedef struct {
    int epoch;
    int n_layers;
    float grad_norm[NN_MAX_LAYERS];
    float weight_norm[NN_MAX_LAYERS];
    float update_ratio[NN_MAX_LAYERS];
    float dead_share[NN_MAX_LAYERS];
    float saturated_share[NN_MAX_LAYERS];
    float act_std[NN_MAX_LAYERS];
} nn_health_row;

typedef struct {
    int len;                 /* rows held, <= NN_HEALTH_HISTORY */
    int head;                /* index of the oldest row */
    nn_health_row rows[NN_HEALTH_HISTORY];
} nn_health_history;

void nn_health_history_clear(nn_health_history *hist);
/* Appends h as the row of epoch; when full, the oldest row is dropped. */
void nn_health_history_push(nn_health_history *hist, const nn_health *h, int epoch);
/* The i-th row, 0 = oldest held; NULL if i is out of range. */
const nn_health_row *nn_health_history_get(const nn_health_history *hist, int i);

#endif
