/* activation.h — activation functions over a batch, forward and backward.
 * Owns: the activation table (one row per activation: name, behaviour, reference, what Health
 * says), which the engine, the preset parser, the UI pickers, `nnterm keys` and the tests iterate.
 * Pure functions; any thread. */
#ifndef NN_ACTIVATION_H
#define NN_ACTIVATION_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    NN_ACT_SIGMOID,
    NN_ACT_TANH,
    NN_ACT_RELU,
    NN_ACT_LEAKY_RELU,
    NN_ACT_LINEAR,
    NN_ACT_SOFTMAX,
    NN_ACT_ELU,
    NN_ACT_GELU,
    NN_ACT_SWISH,
    NN_ACT_SOFTPLUS,
    NN_ACT_SELU,
    NN_ACT_COUNT
} nn_act;

/* Health's edge for a saturated unit: a past this share of the way to the end of its range. */
#define NN_ACT_SAT_EDGE 0.99

/* One row per activation: what it is, how the engine computes it, and what the teaching views say
 * about it. Adding an activation is its enum value and one row (activation.c). */
typedef struct {
    const char *name;        /* preset name: "sigmoid", "leaky_relu", ... */
    nn_act id;
    const char *formula;     /* one line for `nnterm keys --markdown` (the README's math section) */
    bool relu_like;          /* default init is He when true, Xavier otherwise */
    float default_alpha;     /* the value of model.layers.N.alpha when auto (leaky_relu 0.01, elu 1.0) */
    const char *alpha_doc;   /* what model.layers.N.alpha means for it; NULL: it takes none */
    bool probabilities;      /* outputs are probabilities already (softmax, sigmoid): predict shows them */
    bool can_die;            /* a unit with z <= 0 on every row of a batch is dead (Health counts them) */
    const char *dead_warning;/* the Health warning after "layer N: 80% of ", when can_die */
    bool saturates;          /* a unit with a < sat_lo or a > sat_hi is saturated (Health counts them) */
    double sat_lo, sat_hi;
    bool elementwise;        /* false: needs whole rows (softmax); the block epilogues are NULL then */
    /* The engine, float, over a batch (rows, cols) row-major. a may be z, dz may be da. */
    void (*forward)(float alpha, float *a, const float *z, int rows, int cols);
    void (*backward)(float alpha, float *dz, const float *da, const float *z, const float *a, int rows, int cols);
    void (*bias_forward_block)(float alpha, float *a, size_t lda, float *z, size_t ldz, const float *b, int rows,
                               int cols);
    void (*backward_block)(float alpha, float *d, size_t ldd, const float *mask, const float *z, const float *a,
                           size_t ldza, int rows, int cols);
    /* The reference, double and libm, over one vector of n values (one sample): a = f(z) and
     * dz = da * f'(z) (softmax: the Jacobian-vector product). The Step view and the tests use it. */
    void (*ref_forward)(double alpha, double *a, const double *z, int n);
    void (*ref_backward)(double alpha, double *dz, const double *da, const double *z, const double *a, int n);
} nn_act_info;

extern const nn_act_info nn_act_table[NN_ACT_COUNT];

/* Returns the id, or -1 for an unknown name. */
int nn_act_from_name(const char *name);
const char *nn_act_name(nn_act a);

/* a = f(z), both (rows, cols) row-major, may alias (a == z allowed).
 * alpha: the slope of leaky_relu or the alpha of elu; ignored otherwise.
 * softmax is per row, computed stably (max subtracted). gelu is the exact erf form. */
void nn_act_forward(nn_act act, float alpha, float *a, const float *z, int rows, int cols);

/* dz = da * f'(z), all (rows, cols); z is the pre-activation and a = f(z) from forward.
 * For softmax this is the row-wise Jacobian-vector product dz_j = a_j (da_j - sum_i da_i a_i).
 * dz may alias da. */
void nn_act_backward(nn_act act, float alpha, float *dz, const float *da, const float *z,
                     const float *a, int rows, int cols);

/* The forward pass's epilogue over a block of a larger matrix: z += b (b indexed by column), then
 * a = f(z); row r of a at a + r*lda, of z at z + r*ldz; a, z and b are different arrays. For the
 * element-wise activations only (softmax needs whole rows: nothing is done). The same bits as
 * adding the bias and calling nn_act_forward on the same elements. */
void nn_act_bias_forward_block(nn_act act, float alpha, float *a, size_t lda, float *z, size_t ldz,
                               const float *b, int rows, int cols);

/* The backward pass's epilogue, in place over a block: d = (d * mask) * f'(z), mask NULL for none;
 * row r of d at d + r*ldd, of mask, z and a at + r*ldza. Element-wise activations only (softmax:
 * nothing is done). The same bits as multiplying by the mask, then nn_act_backward(act, alpha,
 * d, d, z, a, ...). */
void nn_act_backward_block(nn_act act, float alpha, float *d, size_t ldd, const float *mask, const float *z,
                           const float *a, size_t ldza, int rows, int cols);

#endif
