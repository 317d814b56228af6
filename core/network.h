/* network.h — a multilayer perceptron of dense layers: parameters, batched forward and backward.
 * Owns: one allocation for every parameter (W and b of each layer are views into it), the same
 * layout for gradients, and a workspace sized for max_batch rows allocated at init, so nothing
 * is allocated in forward or backward. Single-threaded object (a pool may parallelise inside).
 *
 * Layout: layer l has W (in, out) row-major at params + w_off, then b (out) at params + b_off.
 * Forward:  Z = X·W + b, A = f(Z)       X (rows, in), Z and A (rows, out)    one GEMM (NN)
 * Backward: dW = Xᵀ·dZ (TN), db = colsum(dZ), dX = dZ·Wᵀ (NT)                 no transposed copies */
#ifndef NN_NETWORK_H
#define NN_NETWORK_H

#include "activation.h"
#include "error.h"
#include "loss.h"
#include "pool.h"
#include "rng.h"

#include <stddef.h>

#define NN_MAX_LAYERS 16

typedef enum { NN_INIT_AUTO, NN_INIT_HE, NN_INIT_XAVIER, NN_INIT_COUNT } nn_init;   /* auto: He if relu-like */
typedef enum { NN_DIST_NORMAL, NN_DIST_UNIFORM, NN_DIST_COUNT } nn_dist;
typedef enum { NN_REG_NONE, NN_REG_L1, NN_REG_L2, NN_REG_ELASTICNET, NN_REG_COUNT } nn_reg;

extern const char *const nn_init_names[NN_INIT_COUNT];   /* "auto", "he", "xavier" */
extern const char *const nn_dist_names[NN_DIST_COUNT];   /* "normal", "uniform" */
extern const char *const nn_reg_names[NN_REG_COUNT];     /* "none", "l1", "l2", "elasticnet" */

/* What the preset says about one layer. */
typedef struct {
    int units;          /* outputs of the layer */
    nn_act act;
    float alpha;        /* leaky_relu slope / elu alpha */
    nn_init init;
    nn_dist dist;
} nn_layer_spec;

typedef struct {
    int in, out;        /* W is (in, out) */
    nn_act act;
    float alpha;
    nn_init init;       /* resolved: never NN_INIT_AUTO after init */
    nn_dist dist;
    size_t w_off, b_off;/* offsets of W and b in params / grads */
    float *z;           /* (max_batch, out) pre-activation of the last forward (workspace) */
    float *a;           /* (max_batch, out) activation of the last forward, before dropout */
    float *h;           /* (max_batch, out) what the next layer reads: a, or a*mask with dropout (may == a) */
    float *mask;        /* (max_batch, out) inverted-dropout mask {0, 1/(1-p)}; NULL on the output layer */
    float *delta;       /* (max_batch, out) dL/dz of the last backward */
} nn_layer;

typedef struct {
    int n_inputs, n_layers;
    nn_layer layers[NN_MAX_LAYERS];
    size_t n_params;    /* total floats in params (and in grads) */
    float *params;      /* every W and b, one allocation */
    float *grads;       /* same layout as params */
    int max_batch;      /* rows the workspace holds */
    int last_rows;      /* rows of the last forward */
    int last_dropout;   /* 1 if the last forward applied dropout */
    float *ws;          /* the workspace that z/a/h/mask/delta point into, plus scratch */
    float *scratch;     /* (max_batch, widest layer) */
} nn_network;

/* Builds the layers (specs[i].units outputs each) and allocates params, grads and workspace.
 * Weights are zero until nn_network_init_weights. Sizes are checked for overflow. */
nn_status nn_network_init(nn_network *net, int n_inputs, const nn_layer_spec *specs, int n_layers,
                          int max_batch, nn_error *err);
/* Makes the workspace hold at least max_batch rows (a larger training batch during a run): a new
 * workspace, the parameters and gradients kept. The last forward's z and a are gone after a change.
 * Nothing changes when it already does; on error (out of memory, too large) the network is unchanged. */
nn_status nn_network_reserve_batch(nn_network *net, int max_batch, nn_error *err);
/* Frees everything; accepts a zeroed or half-built network; idempotent. */
void nn_network_free(nn_network *net);

/* He (std sqrt(2/in), or uniform ±sqrt(6/in)) or Xavier (std sqrt(2/(in+out)), or uniform
 * ±sqrt(6/(in+out))) per layer; biases zero. Draws the layers in order from rng. */
void nn_network_init_weights(nn_network *net, nn_rng *rng);

/* Forward pass over rows <= max_batch rows of x (rows, n_inputs). Returns the output layer's
 * activations (rows, out), valid until the next forward. With dropout > 0 and rng != NULL,
 * applies inverted dropout to every hidden layer (training); otherwise none (evaluation). */
const float *nn_network_forward(nn_network *net, nn_pool *pool, const float *x, int rows,
                                float dropout, nn_rng *rng);

/* Backward pass for the mean loss of the last forward (same x and rows) against y (rows, out).
 * Overwrites grads. Uses the fused output gradient where nn_loss_is_fused, the chain rule
 * otherwise; honours the dropout masks of the last forward. */
void nn_network_backward(nn_network *net, nn_pool *pool, const float *x, const float *y, int rows,
                         nn_loss loss);

/* Regularisation on weights (not biases):
 * l1: lambda*sum|w|; l2: lambda/2*sum w^2; elasticnet: lambda*(r*sum|w| + (1-r)/2*sum w^2). */
double nn_network_penalty(const nn_network *net, nn_reg reg, double lambda, double r);
/* Adds the penalty's gradient to grads (sign(0) = 0 for l1). */
void nn_network_add_penalty_grad(nn_network *net, nn_reg reg, double lambda, double r);

/* L2 norm of the gradient, and gradient clipping as torch.nn.utils.clip_grad_norm_: the gradient is
 * multiplied by max_norm / (norm + 1e-6) when that is below 1 (max_norm > 0). Returns the norm. */
double nn_network_clip_grads(nn_network *net, double max_norm);
/* The same, the sum of squares split over a pool in fixed blocks added in order: the same norm
 * and gradients for any thread count. */
double nn_network_clip_grads_pool(nn_network *net, nn_pool *pool, double max_norm);

/* Output width (units of the last layer). */
int nn_network_outputs(const nn_network *net);

#endif
