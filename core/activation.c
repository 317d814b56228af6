/* activation.c — activation functions over a batch (rows, cols), forward and backward.
 * Each activation has its own flat loop over rows*cols elements (softmax: per row), written so that
 * GCC vectorises it at -O2 and -O3: no libm calls (exp, expm1, tanh, erfc and log1p are our own
 * polynomials, within a few ulp of double-precision references, see test_activation.c), no
 * branches, restrict pointers. a may be z itself and dz may be da itself (in-place variants);
 * partly overlapping arrays are not supported. */
#include "activation.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

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

// --- branch-free float helpers -----------------------------------------------------------------
/* The loops below must vectorise in the training hot loop. GCC will not if-convert a float
 * comparison that guards arithmetic (it may trap under the default -ftrapping-math), and libm's
 * expf/tanhf are scalar calls. So the selections are done on the bits, and exp of a non-positive
 * argument -- every exp an activation needs can be written that way -- is a Cephes-style
 * polynomial (error below 1 ulp over [-87.3, 0]; 0 below, where exp is subnormal). */

static inline uint32_t f2u(float x)
{
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static inline float u2f(uint32_t u)
{
    float x;
    memcpy(&x, &u, sizeof x);
    return x;
}

/* All ones when z > 0 (not for +-0), else zero. */
static inline uint32_t pos_mask(float z)
{
    return 0u - (uint32_t)((int32_t)f2u(z) > 0);
}

/* All ones when |z| < 0.25, else zero. */
static inline uint32_t small_mask(float z)
{
    return 0u - (uint32_t)((f2u(z) & 0x7FFFFFFFu) < 0x3E800000u);
}

/* m ? a : b, bitwise. */
static inline float sel(uint32_t m, float a, float b)
{
    return u2f((f2u(a) & m) | (f2u(b) & ~m));
}

/* exp(x) for x <= 0. */
static inline float exp_nonpos(float x)
{
    const uint32_t lo = 0xC2AE999Au;   /* bits of -87.3f; for negative floats, larger bits = smaller value */
    uint32_t xb = f2u(x);
    uint32_t keep = xb > lo ? 0u : 0xFFFFFFFFu;
    float xc = u2f(xb > lo ? lo : xb);
    /* x = n ln2 + r, |r| <= ln2/2; n by the round-to-nearest trick 1.5*2^23 */
    float t = xc * 1.44269504088896341f + 12582912.0f;
    float n = t - 12582912.0f;
    float r = xc - n * 0.693359375f;
    r = r + n * 2.12194440e-4f;
    float r2 = r * r;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r2 + r + 1.0f;
    /* 2^n from the low bits of t, which hold n + 0x400000 */
    uint32_t e = ((f2u(t) - 0x4B400000u + 127u) << 23) & keep;
    return p * u2f(e);
}

/* exp(x) - 1 for x <= 0, accurate near 0 (Taylor series below |x| = 0.25). */
static inline float expm1_nonpos(float x)
{
    float series = x * (1.0f + x * (1.0f / 2 + x * (1.0f / 6 + x * (1.0f / 24 + x * (1.0f / 120 +
                   x * (1.0f / 720 + x * (1.0f / 5040)))))));
    return sel(small_mask(x), series, exp_nonpos(x) - 1.0f);
}

#define INV_SQRT2 0.70710678118654752440f
#define INV_SQRT2PI 0.39894228040143267794f

/* Phi(z), the standard normal CDF, as 0.5 erfc(-z/sqrt2) with erfc(x), x >= 0, from Numerical
 * Recipes' erfcc (fractional error below 1.2e-7): unlike 1 + erf(z/sqrt2) it keeps its relative
 * accuracy in the left tail, where gelu(z) = z Phi(z) is tiny. */
static inline float phi_cdf(float z)
{
    float x = fabsf(z) * INV_SQRT2;
    float t = 1.0f / (1.0f + 0.5f * x);
    float p = 0.17087277f;
    p = p * t - 0.82215223f;
    p = p * t + 1.48851587f;
    p = p * t - 1.13520398f;
    p = p * t + 0.27886807f;
    p = p * t - 0.18628806f;
    p = p * t + 0.09678418f;
    p = p * t + 0.37409196f;
    p = p * t + 1.00002368f;
    p = p * t - 1.26551223f;
    float half_erfc = 0.5f * t * exp_nonpos(p - x * x);   /* exponent <= ~3e-8 */
    return sel(pos_mask(z), 1.0f - half_erfc, half_erfc);
}

/* log(1 + u) for u in [0, 1]: Cephes' logf polynomial on the mantissa of y = 1 + u, plus the
 * rounding correction (u - (y - 1)) / y, so a tiny u gives u back. */
static inline float log1p_unit(float u)
{
    float y = 1.0f + u;
    uint32_t yb = f2u(y);
    uint32_t big = 0u - (uint32_t)((yb & 0x007FFFFFu) > 0x003504F3u);   /* mantissa > sqrt2 */
    float e = (float)((int32_t)(yb >> 23) - 127 + (int32_t)(big & 1u));   /* y = 2^e (1 + x) */
    float m = u2f((yb & 0x007FFFFFu) | 0x3F800000u);                      /* y / 2^floor(log2 y) */
    float x = sel(big, 0.5f * m, m) - 1.0f;
    float z = x * x;
    float p = 7.0376836292e-2f;
    p = p * x - 1.1514610310e-1f;
    p = p * x + 1.1676998740e-1f;
    p = p * x - 1.2420140846e-1f;
    p = p * x + 1.4249322787e-1f;
    p = p * x - 1.6668057665e-1f;
    p = p * x + 2.0000714765e-1f;
    p = p * x - 2.4999993993e-1f;
    p = p * x + 3.3333331174e-1f;
    float r = x * z * p - 2.12194440e-4f * e - 0.5f * z;
    r = x + r + 0.693359375f * e;
    return r + (u - (y - 1.0f)) / y;
}

/* Stable logistic: exp of a non-positive number only, so z = +-1000 gives 1 and 0, not NaN. */
static inline float sigmoidf(float z)
{
    float e = exp_nonpos(-fabsf(z));
    float s = 1.0f / (1.0f + e);
    return sel(pos_mask(z), s, e * s);
}

/* tanh(z) = sign(z) (1 - e) / (1 + e), e = exp(-2|z|); an odd series below |z| = 0.25. */
static inline float tanh_fast(float z)
{
    float az = fabsf(z);
    float em = expm1_nonpos(-2.0f * az);   /* e - 1 */
    float big = -em / (2.0f + em);
    float z2 = z * z;
    float series = az * (1.0f + z2 * (-1.0f / 3 + z2 * (2.0f / 15 + z2 * (-17.0f / 315 + z2 * (62.0f / 2835)))));
    return copysignf(sel(small_mask(z), series, big), z);
}


// --- per-element forms ----------------------------------------------------------------------------
/* For each element-wise activation NAME: NAME_v(z, alpha) = f(z) and NAME_g(g, z, a, alpha) =
 * g * f'(z) given a = f(z), in float (the engine), and NAME_r(z, alpha) = f(z) and NAME_rd(z, a, alpha)
 * = f'(z) in double with libm (the reference: the Step view's one-sample trace and the tests). The
 * two are written apart on purpose, so each checks the other. */

static inline float sigmoid_v(float z, float alpha) { return sigmoidf(z); }
static inline float sigmoid_g(float g, float z, float a, float alpha) { return g * a * (1.0f - a); }
static inline double sigmoid_r(double z, double alpha)
{
    double e = exp(-fabs(z));
    double s = 1.0 / (1.0 + e);
    return z >= 0.0 ? s : e * s;
}
static inline double sigmoid_rd(double z, double a, double alpha) { return a * (1.0 - a); }

static inline float tanh_v(float z, float alpha) { return tanh_fast(z); }
static inline float tanh_g(float g, float z, float a, float alpha) { return g * (1.0f - a * a); }
static inline double tanh_r(double z, double alpha) { return tanh(z); }
static inline double tanh_rd(double z, double a, double alpha) { return 1.0 - a * a; }

static inline float relu_v(float z, float alpha) { return u2f(f2u(z) & pos_mask(z)); }
static inline float relu_g(float g, float z, float a, float alpha) { return u2f(f2u(g) & pos_mask(z)); }
static inline double relu_r(double z, double alpha) { return z > 0.0 ? z : 0.0; }
static inline double relu_rd(double z, double a, double alpha) { return z > 0.0 ? 1.0 : 0.0; }

static inline float leaky_relu_v(float z, float alpha) { return sel(pos_mask(z), z, alpha * z); }
static inline float leaky_relu_g(float g, float z, float a, float alpha) { return sel(pos_mask(z), g, alpha * g); }
static inline double leaky_relu_r(double z, double alpha) { return z > 0.0 ? z : alpha * z; }
static inline double leaky_relu_rd(double z, double a, double alpha) { return z > 0.0 ? 1.0 : alpha; }

static inline float linear_v(float z, float alpha) { return z; }
static inline float linear_g(float g, float z, float a, float alpha) { return g; }
static inline double linear_r(double z, double alpha) { return z; }
static inline double linear_rd(double z, double a, double alpha) { return 1.0; }

static inline float elu_v(float z, float alpha)
{
    uint32_t pos = pos_mask(z);
    float neg = u2f(f2u(z) & ~pos);   /* min(z, 0) */
    return sel(pos, z, alpha * expm1_nonpos(neg));
}
/* for z <= 0, elu'(z) = alpha e^z = elu(z) + alpha */
static inline float elu_g(float g, float z, float a, float alpha) { return sel(pos_mask(z), g, g * (a + alpha)); }
static inline double elu_r(double z, double alpha) { return z > 0.0 ? z : alpha * expm1(z); }
static inline double elu_rd(double z, double a, double alpha) { return z > 0.0 ? 1.0 : alpha * exp(z); }

static inline float gelu_v(float z, float alpha) { return z * phi_cdf(z); }
/* gelu'(z) = Phi(z) + z phi(z) */
static inline float gelu_g(float g, float z, float a, float alpha)
{
    return g * (phi_cdf(z) + z * (INV_SQRT2PI * exp_nonpos(-0.5f * z * z)));
}
static inline double gelu_r(double z, double alpha) { return 0.5 * z * (1.0 + erf(z / sqrt(2.0))); }
static inline double gelu_rd(double z, double a, double alpha)
{
    return 0.5 * (1.0 + erf(z / sqrt(2.0))) + z * exp(-0.5 * z * z) / sqrt(2.0 * 3.14159265358979323846);
}

static inline float swish_v(float z, float alpha) { return z * sigmoidf(z); }
/* swish'(z) = s + z s (1 - s) = s + swish(z) (1 - s), s = sigmoid(z) */
static inline float swish_g(float g, float z, float a, float alpha)
{
    float s = sigmoidf(z);
    return g * (s + a * (1.0f - s));
}
static inline double swish_r(double z, double alpha) { return z * sigmoid_r(z, alpha); }
static inline double swish_rd(double z, double a, double alpha)
{
    double s = sigmoid_r(z, alpha);
    return s + z * s * (1.0 - s);
}

/* log(1 + e^z) = max(z, 0) + log1p(e^-|z|): no overflow for large z, no loss for small. */
static inline float softplus_v(float z, float alpha) { return relu_v(z, alpha) + log1p_unit(exp_nonpos(-fabsf(z))); }
static inline float softplus_g(float g, float z, float a, float alpha) { return g * sigmoidf(z); }
static inline double softplus_r(double z, double alpha) { return (z > 0.0 ? z : 0.0) + log1p(exp(-fabs(z))); }
static inline double softplus_rd(double z, double a, double alpha) { return sigmoid_r(z, alpha); }

/* torch.nn.SELU's constants (Klambauer et al. 2017): selu(z) = scale z for z > 0, else
 * scale alpha (e^z - 1); its derivative for z <= 0 is scale alpha e^z = selu(z) + scale alpha. */
#define SELU_ALPHA 1.6732632423543772848170429916717
#define SELU_SCALE 1.0507009873554804934193349852946
static inline float selu_v(float z, float alpha)
{
    uint32_t pos = pos_mask(z);
    float neg = u2f(f2u(z) & ~pos);   /* min(z, 0) */
    return sel(pos, (float)SELU_SCALE * z, (float)(SELU_SCALE * SELU_ALPHA) * expm1_nonpos(neg));
}
static inline float selu_g(float g, float z, float a, float alpha)
{
    return sel(pos_mask(z), g * (float)SELU_SCALE, g * (a + (float)(SELU_SCALE * SELU_ALPHA)));
}
static inline double selu_r(double z, double alpha)
{
    return z > 0.0 ? SELU_SCALE * z : SELU_SCALE * SELU_ALPHA * expm1(z);
}
static inline double selu_rd(double z, double a, double alpha)
{
    return z > 0.0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * exp(z);
}

// --- loops ----------------------------------------------------------------------------------------
/* Elementwise loops run in blocks of 8 over restrict pointers, then a tail: GCC vectorises the
 * fixed-length inner loop even at -O2, whose cost model refuses loops that need a scalar epilogue
 * or a run-time alias check. Each loop exists twice, out of place (restrict) and in place (one
 * pointer), which is why a and z may be the same array but must not partly overlap. */
#define EACH(n, i, stmt)                                   \
    do {                                                   \
        size_t b8_ = 0;                                    \
        for (; b8_ + 8 <= (n); b8_ += 8)                   \
            for (size_t i = b8_; i < b8_ + 8; i++)         \
                stmt;                                      \
        for (size_t i = b8_; i < (n); i++)                 \
            stmt;                                          \
    } while (0)

/* The row functions of an element-wise activation NAME, from NAME_v, NAME_g, NAME_r and NAME_rd:
 * forward and backward over a batch (in place or not), the two GEMM epilogues over a block (bias
 * and activation; mask and derivative), and the double reference over one vector. */
#define ELEMENTWISE(NAME)                                                                                          \
    static void NAME##_to(float alpha, float *restrict a, const float *restrict z, size_t n)                     \
    {                                                                                                              \
        EACH(n, i, a[i] = NAME##_v(z[i], alpha));                                                                  \
    }                                                                                                              \
    static void NAME##_in_place(float alpha, float *a, size_t n) { EACH(n, i, a[i] = NAME##_v(a[i], alpha)); }    \
    static void NAME##_forward(float alpha, float *a, const float *z, int rows, int cols)                          \
    {                                                                                                              \
        const size_t n = (size_t)rows * (size_t)cols;                                                              \
        if (a == z)                                                                                                \
            NAME##_in_place(alpha, a, n);                                                                          \
        else                                                                                                       \
            NAME##_to(alpha, a, z, n);                                                                             \
    }                                                                                                              \
    /* z and a are only read, so they may be the same array; dz must differ from both. */                        \
    static void NAME##_back_to(float alpha, float *restrict dz, const float *restrict da, const float *restrict z, \
                               const float *restrict a, size_t n)                                                  \
    {                                                                                                              \
        EACH(n, i, dz[i] = NAME##_g(da[i], z[i], a[i], alpha));                                                    \
    }                                                                                                              \
    static void NAME##_back_in_place(float alpha, float *restrict d, const float *restrict z,                      \
                                     const float *restrict a, size_t n)                                            \
    {                                                                                                              \
        EACH(n, i, d[i] = NAME##_g(d[i], z[i], a[i], alpha));                                                      \
    }                                                                                                              \
    static void NAME##_backward(float alpha, float *dz, const float *da, const float *z, const float *a, int rows, \
                                int cols)                                                                          \
    {                                                                                                              \
        const size_t n = (size_t)rows * (size_t)cols;                                                              \
        if (dz == da)                                                                                              \
            NAME##_back_in_place(alpha, dz, z, a, n);                                                              \
        else                                                                                                       \
            NAME##_back_to(alpha, dz, da, z, a, n);                                                                \
    }                                                                                                              \
    /* z += b, a = f(z) over one row: the bias add rounds first, as a separate pass would. */                    \
    static void NAME##_bias_row(float alpha, float *restrict a, float *restrict z, const float *restrict b,        \
                                size_t n)                                                                          \
    {                                                                                                              \
        EACH(n, i, {                                                                                               \
            float v = z[i] + b[i];                                                                                 \
            z[i] = v;                                                                                              \
            a[i] = NAME##_v(v, alpha);                                                                             \
        });                                                                                                        \
    }                                                                                                              \
    static void NAME##_bias_block(float alpha, float *a, size_t lda, float *z, size_t ldz, const float *b,         \
                                  int rows, int cols)                                                              \
    {                                                                                                              \
        for (size_t r = 0; r < (size_t)rows; r++)                                                                  \
            NAME##_bias_row(alpha, a + r * lda, z + r * ldz, b, (size_t)cols);                                     \
    }                                                                                                              \
    /* d = (d * mask) * f'(z) over one row (mask NULL: d * f'(z)). */                                            \
    static void NAME##_grad_row(float alpha, float *restrict d, const float *restrict mask,                        \
                                const float *restrict z, const float *restrict a, size_t n)                        \
    {                                                                                                              \
        if (mask)                                                                                                  \
            EACH(n, i, d[i] = NAME##_g(d[i] * mask[i], z[i], a[i], alpha));                                        \
        else                                                                                                       \
            EACH(n, i, d[i] = NAME##_g(d[i], z[i], a[i], alpha));                                                  \
    }                                                                                                              \
    static void NAME##_grad_block(float alpha, float *d, size_t ldd, const float *mask, const float *z,            \
                                  const float *a, size_t ldza, int rows, int cols)                                 \
    {                                                                                                              \
        for (size_t r = 0; r < (size_t)rows; r++)                                                                  \
            NAME##_grad_row(alpha, d + r * ldd, mask ? mask + r * ldza : NULL, z + r * ldza, a + r * ldza,         \
                            (size_t)cols);                                                                         \
    }                                                                                                              \
    static void NAME##_ref_forward(double alpha, double *a, const double *z, int n)                                \
    {                                                                                                              \
        for (int j = 0; j < n; j++)                                                                                \
            a[j] = NAME##_r(z[j], alpha);                                                                          \
    }                                                                                                              \
    static void NAME##_ref_backward(double alpha, double *dz, const double *da, const double *z, const double *a,  \
                                    int n)                                                                         \
    {                                                                                                              \
        for (int j = 0; j < n; j++)                                                                                \
            dz[j] = da[j] * NAME##_rd(z[j], a[j], alpha);                                                          \
    }

ELEMENTWISE(sigmoid)
ELEMENTWISE(tanh)
ELEMENTWISE(relu)
ELEMENTWISE(leaky_relu)
ELEMENTWISE(linear)
ELEMENTWISE(elu)
ELEMENTWISE(gelu)
ELEMENTWISE(swish)
ELEMENTWISE(softplus)
ELEMENTWISE(selu)

// --- softmax: whole rows ----------------------------------------------------------------------------

/* One row of softmax, stably: max subtracted, so every exp argument is <= 0. */
#define SOFTMAX_ROW(OUT, IN, cols)                                                 \
    do {                                                                           \
        float m = IN[0];                                                           \
        for (size_t j = 1; j < (cols); j++)                                        \
            m = IN[j] > m ? IN[j] : m;                                             \
        EACH((cols), j, OUT[j] = exp_nonpos(IN[j] - m));                           \
        float sum = 0.0f;                                                          \
        for (size_t j = 0; j < (cols); j++)                                        \
            sum += OUT[j];                                                         \
        const float inv = 1.0f / sum;   /* sum >= 1: the max contributes exp(0) */ \
        EACH((cols), j, OUT[j] *= inv);                                            \
    } while (0)

static void softmax_row_to(float *restrict a, const float *restrict z, size_t cols)
{
    SOFTMAX_ROW(a, z, cols);
}

static void softmax_row_in_place(float *a, size_t cols)
{
    SOFTMAX_ROW(a, a, cols);
}

/* Jacobian-vector product of one row: dz_j = a_j (da_j - sum_i da_i a_i). */
#define SOFTMAX_BACK_ROW(OUT, G, a, cols)                 \
    do {                                                  \
        float dot = 0.0f;                                 \
        for (size_t j = 0; j < (cols); j++)               \
            dot += G[j] * a[j];                           \
        EACH((cols), j, OUT[j] = a[j] * (G[j] - dot));    \
    } while (0)

static void softmax_back_row_to(float *restrict dz, const float *restrict da, const float *restrict a,
                                size_t cols)
{
    SOFTMAX_BACK_ROW(dz, da, a, cols);
}

static void softmax_back_row_in_place(float *restrict d, const float *restrict a, size_t cols)
{
    SOFTMAX_BACK_ROW(d, d, a, cols);
}

static void softmax_forward(float alpha, float *a, const float *z, int rows, int cols)
{
    const size_t c = (size_t)cols;
    for (size_t r = 0; r < (size_t)rows; r++) {
        if (a == z)
            softmax_row_in_place(a + r * c, c);
        else
            softmax_row_to(a + r * c, z + r * c, c);
    }
}

static void softmax_backward(float alpha, float *dz, const float *da, const float *z, const float *a, int rows,
                             int cols)
{
    const size_t c = (size_t)cols;
    for (size_t r = 0; r < (size_t)rows; r++) {
        if (dz == da)
            softmax_back_row_in_place(dz + r * c, a + r * c, c);
        else
            softmax_back_row_to(dz + r * c, da + r * c, a + r * c, c);
    }
}

static void softmax_ref_forward(double alpha, double *a, const double *z, int n)
{
    double m = z[0], sum = 0.0;
    for (int j = 1; j < n; j++)
        m = z[j] > m ? z[j] : m;
    for (int j = 0; j < n; j++) {
        a[j] = exp(z[j] - m);
        sum += a[j];
    }
    for (int j = 0; j < n; j++)
        a[j] /= sum;
}

static void softmax_ref_backward(double alpha, double *dz, const double *da, const double *z, const double *a, int n)
{
    double dot = 0.0;
    for (int j = 0; j < n; j++)
        dot += da[j] * a[j];
    for (int j = 0; j < n; j++)
        dz[j] = a[j] * (da[j] - dot);
}

// --- the table ----------------------------------------------------------------------------------------

#define ROW_FNS(NAME)                                                                                         \
    .elementwise = true, .forward = NAME##_forward, .backward = NAME##_backward,                          \
    .bias_forward_block = NAME##_bias_block, .backward_block = NAME##_grad_block,                         \
    .ref_forward = NAME##_ref_forward, .ref_backward = NAME##_ref_backward

const nn_act_info nn_act_table[NN_ACT_COUNT] = {
    [NN_ACT_SIGMOID] = {"sigmoid", NN_ACT_SIGMOID, .formula = "sigmoid(z) = 1 / (1 + exp(-z))",
                        .probabilities = true, .saturates = true,
                        .sat_lo = 1.0 - NN_ACT_SAT_EDGE, .sat_hi = NN_ACT_SAT_EDGE, ROW_FNS(sigmoid)},
    [NN_ACT_TANH] = {"tanh", NN_ACT_TANH, .formula = "tanh(z) = (exp(z) - exp(-z)) / (exp(z) + exp(-z))",
                     .saturates = true, .sat_lo = -NN_ACT_SAT_EDGE, .sat_hi = NN_ACT_SAT_EDGE, ROW_FNS(tanh)},
    [NN_ACT_RELU] = {"relu", NN_ACT_RELU, .formula = "relu(z) = max(0, z)", .relu_like = true, .can_die = true,
                     .dead_warning = "ReLUs are dead: lower the learning rate or try leaky_relu", ROW_FNS(relu)},
    [NN_ACT_LEAKY_RELU] = {"leaky_relu", NN_ACT_LEAKY_RELU,
                           .formula = "leaky_relu(z) = z if z > 0, else alpha*z (alpha 0.01)", .relu_like = true,
                           .default_alpha = 0.01f, .alpha_doc = "slope of leaky_relu", .can_die = true,
                           .dead_warning = "leaky ReLUs only get negative inputs: lower the learning rate",
                           ROW_FNS(leaky_relu)},
    [NN_ACT_LINEAR] = {"linear", NN_ACT_LINEAR, .formula = "linear(z) = z", ROW_FNS(linear)},
    [NN_ACT_SOFTMAX] = {"softmax", NN_ACT_SOFTMAX, .formula = "softmax(z)_i = exp(z_i) / sum_j exp(z_j), per row",
                        .probabilities = true, .elementwise = false, .forward = softmax_forward,
                        .backward = softmax_backward, .ref_forward = softmax_ref_forward,
                        .ref_backward = softmax_ref_backward},
    [NN_ACT_ELU] = {"elu", NN_ACT_ELU, .formula = "elu(z) = z if z > 0, else alpha*(exp(z) - 1) (alpha 1)",
                    .relu_like = true, .default_alpha = 1.0f, .alpha_doc = "alpha of elu", ROW_FNS(elu)},
    [NN_ACT_GELU] = {"gelu", NN_ACT_GELU, .formula = "gelu(z) = z/2 * (1 + erf(z/sqrt(2)))", .relu_like = true,
                     ROW_FNS(gelu)},
    [NN_ACT_SWISH] = {"swish", NN_ACT_SWISH, .formula = "swish(z) = z * sigmoid(z)", .relu_like = true,
                      ROW_FNS(swish)},
    [NN_ACT_SOFTPLUS] = {"softplus", NN_ACT_SOFTPLUS, .formula = "softplus(z) = log(1 + exp(z))", .relu_like = true,
                         ROW_FNS(softplus)},
    /* not relu_like: SELU's self-normalisation wants LeCun's std sqrt(1/in), and Xavier's sqrt(2/(in+out))
     * is the closer of the two */
    [NN_ACT_SELU] = {"selu", NN_ACT_SELU,
                     .formula = "selu(z) = scale*z if z > 0, else scale*alpha*(exp(z) - 1) (torch's SELU: alpha "
                                "1.6732632423543772, scale 1.0507009873554805)",
                     ROW_FNS(selu)},
};

/* An id out of range acts as linear (a programmer error; the preset and model readers refuse it). */
static const nn_act_info *row(nn_act act)
{
    return (int)act >= 0 && act < NN_ACT_COUNT ? &nn_act_table[act] : &nn_act_table[NN_ACT_LINEAR];
}

void nn_act_forward(nn_act act, float alpha, float *a, const float *z, int rows, int cols)
{
    if (rows > 0 && cols > 0)
        row(act)->forward(alpha, a, z, rows, cols);
}

void nn_act_backward(nn_act act, float alpha, float *dz, const float *da, const float *z, const float *a, int rows,
                     int cols)
{
    if (rows > 0 && cols > 0)
        row(act)->backward(alpha, dz, da, z, a, rows, cols);
}

/* relu's two GEMM epilogues written out for AVX-512 and AVX2 (the generic loops above stay
 * scalar for relu: GCC does not vectorise the bias row's store to z next to the masked store to a).
 * The same IEEE add and multiply, and the same mask as relu_v and relu_g (a lane is kept when its
 * bits, read as a signed integer, are above zero), so the same bits as the scalar loops. */
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__)) && !defined(NN_GEMM_FORCE_PORTABLE)
#define NN_ACT_X86 1
#include <immintrin.h>

__attribute__((target("avx512f"))) static void relu_bias_block_avx512(float *a, size_t lda, float *z, size_t ldz,
                                                                      const float *b, int rows, int cols)
{
    const __m512i zero = _mm512_setzero_si512();
    for (size_t r = 0; r < (size_t)rows; r++) {
        float *zr = z + r * ldz, *ar = a + r * lda;
        for (int j = 0; j < cols; j += 16) {
            int left = cols - j;
            __mmask16 m = (__mmask16)(left >= 16 ? 0xFFFFu : (1u << left) - 1u);
            __m512 v = _mm512_add_ps(_mm512_maskz_loadu_ps(m, zr + j), _mm512_maskz_loadu_ps(m, b + j));
            _mm512_mask_storeu_ps(zr + j, m, v);
            __mmask16 pos = _mm512_mask_cmpgt_epi32_mask(m, _mm512_castps_si512(v), zero);
            _mm512_mask_storeu_ps(ar + j, m, _mm512_maskz_mov_ps(pos, v));
        }
    }
}

__attribute__((target("avx512f"))) static void relu_grad_block_avx512(float *d, size_t ldd, const float *mask,
                                                                      const float *z, size_t ldza, int rows,
                                                                      int cols)
{
    const __m512i zero = _mm512_setzero_si512();
    for (size_t r = 0; r < (size_t)rows; r++) {
        float *dr = d + r * ldd;
        const float *zr = z + r * ldza, *mr = mask ? mask + r * ldza : NULL;
        for (int j = 0; j < cols; j += 16) {
            int left = cols - j;
            __mmask16 m = (__mmask16)(left >= 16 ? 0xFFFFu : (1u << left) - 1u);
            __m512 g = _mm512_maskz_loadu_ps(m, dr + j);
            if (mr)
                g = _mm512_mul_ps(g, _mm512_maskz_loadu_ps(m, mr + j));
            __mmask16 pos = _mm512_mask_cmpgt_epi32_mask(m, _mm512_castps_si512(_mm512_maskz_loadu_ps(m, zr + j)), zero);
            _mm512_mask_storeu_ps(dr + j, m, _mm512_maskz_mov_ps(pos, g));
        }
    }
}

__attribute__((target("avx2"))) static __m256i lanes_below(int left)
{
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(left), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

__attribute__((target("avx2"))) static void relu_bias_block_avx2(float *a, size_t lda, float *z, size_t ldz,
                                                                 const float *b, int rows, int cols)
{
    const __m256i zero = _mm256_setzero_si256();
    for (size_t r = 0; r < (size_t)rows; r++) {
        float *zr = z + r * ldz, *ar = a + r * lda;
        for (int j = 0; j < cols; j += 8) {
            __m256i m = lanes_below(cols - j);
            __m256 v = _mm256_add_ps(_mm256_maskload_ps(zr + j, m), _mm256_maskload_ps(b + j, m));
            _mm256_maskstore_ps(zr + j, m, v);
            __m256 pos = _mm256_castsi256_ps(_mm256_cmpgt_epi32(_mm256_castps_si256(v), zero));
            _mm256_maskstore_ps(ar + j, m, _mm256_and_ps(v, pos));
        }
    }
}

__attribute__((target("avx2"))) static void relu_grad_block_avx2(float *d, size_t ldd, const float *mask,
                                                                 const float *z, size_t ldza, int rows, int cols)
{
    const __m256i zero = _mm256_setzero_si256();
    for (size_t r = 0; r < (size_t)rows; r++) {
        float *dr = d + r * ldd;
        const float *zr = z + r * ldza, *mr = mask ? mask + r * ldza : NULL;
        for (int j = 0; j < cols; j += 8) {
            __m256i m = lanes_below(cols - j);
            __m256 g = _mm256_maskload_ps(dr + j, m);
            if (mr)
                g = _mm256_mul_ps(g, _mm256_maskload_ps(mr + j, m));
            __m256 pos = _mm256_castsi256_ps(_mm256_cmpgt_epi32(_mm256_castps_si256(_mm256_maskload_ps(zr + j, m)), zero));
            _mm256_maskstore_ps(dr + j, m, _mm256_and_ps(g, pos));
        }
    }
}
#endif

void nn_act_bias_forward_block(nn_act act, float alpha, float *a, size_t lda, float *z, size_t ldz,
                               const float *b, int rows, int cols)
{
    const nn_act_info *r = row(act);
    if (rows <= 0 || cols <= 0 || !r->bias_forward_block)
        return;
#if NN_ACT_X86
    if (act == NN_ACT_RELU && __builtin_cpu_supports("avx512f")) {
        relu_bias_block_avx512(a, lda, z, ldz, b, rows, cols);
        return;
    }
    if (act == NN_ACT_RELU && __builtin_cpu_supports("avx2")) {
        relu_bias_block_avx2(a, lda, z, ldz, b, rows, cols);
        return;
    }
#endif
    r->bias_forward_block(alpha, a, lda, z, ldz, b, rows, cols);
}

void nn_act_backward_block(nn_act act, float alpha, float *d, size_t ldd, const float *mask, const float *z,
                           const float *a, size_t ldza, int rows, int cols)
{
    const nn_act_info *r = row(act);
    if (rows <= 0 || cols <= 0 || !r->backward_block)
        return;
#if NN_ACT_X86
    if (act == NN_ACT_RELU && __builtin_cpu_supports("avx512f")) {
        relu_grad_block_avx512(d, ldd, mask, z, ldza, rows, cols);
        return;
    }
    if (act == NN_ACT_RELU && __builtin_cpu_supports("avx2")) {
        relu_grad_block_avx2(d, ldd, mask, z, ldza, rows, cols);
        return;
    }
#endif
    r->backward_block(alpha, d, ldd, mask, z, a, ldza, rows, cols);
}
