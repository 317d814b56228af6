/* activation.h — activation functions over a batch, forward and backward.
 * Owns: the activation table (name, id, relu_like, formula), which the preset parser,
 * the UI pickers, --help and the tests iterate. Pure functions; any thread. */
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
    NN_ACT_COUNT
} nn_act;

typedef struct {
    const char *name;        /* preset name: "sigmoid", "leaky_relu", ... */
    nn_act id;
    bool relu_like;          /* default init is He when true, Xavier otherwise */
    float default_alpha;     /* leaky_relu 0.01, elu 1.0, others 0 (unused) */
    const char *formula;     /* one line for the README and the help: "relu(z) = max(0, z)" */
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
