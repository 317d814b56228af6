/* activation.c — activation functions over a batch (rows, cols), forward and backward.
 * Each activation has its own flat loop over rows*cols elements (softmax: per row), so the
 * compiler sees a simple elementwise loop. a may alias z and dz may alias da, element for element:
 * every loop reads element i before it writes element i. */
#include "activation.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

const nn_act_info nn_act_table[NN_ACT_COUNT] = {
    {"sigmoid", NN_ACT_SIGMOID, false, 0.0f, "sigmoid(z) = 1 / (1 + exp(-z))"},
    {"tanh", NN_ACT_TANH, false, 0.0f, "tanh(z) = (exp(z) - exp(-z)) / (exp(z) + exp(-z))"},
    {"relu", NN_ACT_RELU, true, 0.0f, "relu(z) = max(0, z)"},
    {"leaky_relu", NN_ACT_LEAKY_RELU, true, 0.01f, "leaky_relu(z) = z if z > 0, else alpha*z (alpha 0.01)"},
    {"linear", NN_ACT_LINEAR, false, 0.0f, "linear(z) = z"},
    {"softmax", NN_ACT_SOFTMAX, false, 0.0f, "softmax(z)_i = exp(z_i) / sum_j exp(z_j), per row"},
    {"elu", NN_ACT_ELU, true, 1.0f, "elu(z) = z if z > 0, else alpha*(exp(z) - 1) (alpha 1)"},
    {"gelu", NN_ACT_GELU, true, 0.0f, "gelu(z) = z/2 * (1 + erf(z/sqrt(2)))"},
    {"swish", NN_ACT_SWISH, true, 0.0f, "swish(z) = z * sigmoid(z)"},
    {"softplus", NN_ACT_SOFTPLUS, true, 0.0f, "softplus(z) = log(1 + exp(z))"},
};

int nn_act_from_name(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < NN_ACT_COUNT; i++)
        if (strcmp(name, nn_act_table[i].name) == 0)
            return i;
    return -1;
}

const char *nn_act_name(nn_act a)
{
    if ((int)a < 0 || a >= NN_ACT_COUNT)
        return "unknown";
    return nn_act_table[a].name;
}

/* Stable logistic: exp of a non-positive number only, so z = +-1000 gives 1 and 0, not NaN. */
static inline float sigmoidf(float z)
{
    float e = expf(-fabsf(z));
    float s = 1.0f / (1.0f + e);
    return z >= 0.0f ? s : e * s;
}

#define INV_SQRT2 0.70710678118654752440f
#define INV_SQRT2PI 0.39894228040143267794f

static void softmax_rows(float *a, const float *z, int rows, int cols)
{
    for (int r = 0; r < rows; r++) {
        const float *zr = z + (size_t)r * cols;
        float *ar = a + (size_t)r * cols;
        float m = zr[0];
        for (int j = 1; j < cols; j++)
            m = zr[j] > m ? zr[j] : m;
        float sum = 0.0f;
        for (int j = 0; j < cols; j++) {
            ar[j] = expf(zr[j] - m);
            sum += ar[j];
        }
        float inv = 1.0f / sum;   /* sum >= 1: the max element contributes exp(0) */
        for (int j = 0; j < cols; j++)
            ar[j] *= inv;
    }
}

void nn_act_forward(nn_act act, float alpha, float *a, const float *z, int rows, int cols)
{
    if (rows <= 0 || cols <= 0)
        return;
    size_t n = (size_t)rows * (size_t)cols;
    switch (act) {
    case NN_ACT_SIGMOID:
        for (size_t i = 0; i < n; i++)
            a[i] = sigmoidf(z[i]);
        break;
    case NN_ACT_TANH:
        for (size_t i = 0; i < n; i++)
            a[i] = tanhf(z[i]);
        break;
    case NN_ACT_RELU:
        for (size_t i = 0; i < n; i++)
            a[i] = z[i] > 0.0f ? z[i] : 0.0f;
        break;
    case NN_ACT_LEAKY_RELU:
        for (size_t i = 0; i < n; i++)
            a[i] = z[i] > 0.0f ? z[i] : alpha * z[i];
        break;
    case NN_ACT_SOFTMAX:
        softmax_rows(a, z, rows, cols);
        break;
    case NN_ACT_ELU:
        for (size_t i = 0; i < n; i++)
            a[i] = z[i] > 0.0f ? z[i] : alpha * expm1f(z[i]);
        break;
    case NN_ACT_GELU:
        for (size_t i = 0; i < n; i++)
            a[i] = 0.5f * z[i] * (1.0f + erff(z[i] * INV_SQRT2));
        break;
    case NN_ACT_SWISH:
        for (size_t i = 0; i < n; i++)
            a[i] = z[i] * sigmoidf(z[i]);
        break;
    case NN_ACT_SOFTPLUS:
        /* log(1 + e^z) = max(z, 0) + log1p(e^-|z|): no overflow for large z, no loss for small. */
        for (size_t i = 0; i < n; i++)
            a[i] = (z[i] > 0.0f ? z[i] : 0.0f) + log1pf(expf(-fabsf(z[i])));
        break;
    case NN_ACT_LINEAR:
    default:
        if (a != z)
            memmove(a, z, n * sizeof *a);
        break;
    }
}

void nn_act_backward(nn_act act, float alpha, float *dz, const float *da, const float *z,
                     const float *a, int rows, int cols)
{
    if (rows <= 0 || cols <= 0)
        return;
    size_t n = (size_t)rows * (size_t)cols;
    switch (act) {
    case NN_ACT_SIGMOID:
        for (size_t i = 0; i < n; i++)
            dz[i] = da[i] * a[i] * (1.0f - a[i]);
        break;
    case NN_ACT_TANH:
        for (size_t i = 0; i < n; i++)
            dz[i] = da[i] * (1.0f - a[i] * a[i]);
        break;
    case NN_ACT_RELU:
        for (size_t i = 0; i < n; i++)
            dz[i] = z[i] > 0.0f ? da[i] : 0.0f;
        break;
    case NN_ACT_LEAKY_RELU:
        for (size_t i = 0; i < n; i++)
            dz[i] = z[i] > 0.0f ? da[i] : alpha * da[i];
        break;
    case NN_ACT_SOFTMAX:
        /* Jacobian-vector product per row: dz_j = a_j (da_j - sum_i da_i a_i). */
        for (int r = 0; r < rows; r++) {
            const float *dar = da + (size_t)r * cols;
            const float *ar = a + (size_t)r * cols;
            float *dzr = dz + (size_t)r * cols;
            float dot = 0.0f;
            for (int j = 0; j < cols; j++)
                dot += dar[j] * ar[j];
            for (int j = 0; j < cols; j++)
                dzr[j] = ar[j] * (dar[j] - dot);
        }
        break;
    case NN_ACT_ELU:
        /* For z <= 0, f'(z) = alpha e^z = f(z) + alpha. */
        for (size_t i = 0; i < n; i++)
            dz[i] = z[i] > 0.0f ? da[i] : da[i] * (a[i] + alpha);
        break;
    case NN_ACT_GELU:
        /* f'(z) = Phi(z) + z phi(z). */
        for (size_t i = 0; i < n; i++) {
            float zi = z[i];
            float cdf = 0.5f * (1.0f + erff(zi * INV_SQRT2));
            float pdf = INV_SQRT2PI * expf(-0.5f * zi * zi);
            dz[i] = da[i] * (cdf + zi * pdf);
        }
        break;
    case NN_ACT_SWISH:
        /* f'(z) = s + z s (1 - s) = s + f(z) (1 - s), s = sigmoid(z). */
        for (size_t i = 0; i < n; i++) {
            float s = sigmoidf(z[i]);
            dz[i] = da[i] * (s + a[i] * (1.0f - s));
        }
        break;
    case NN_ACT_SOFTPLUS:
        for (size_t i = 0; i < n; i++)
            dz[i] = da[i] * sigmoidf(z[i]);
        break;
    case NN_ACT_LINEAR:
    default:
        if (dz != da)
            memmove(dz, da, n * sizeof *dz);
        break;
    }
}
