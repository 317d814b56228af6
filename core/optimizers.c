/* optimizers.c — one row per optimizer: torch.optim's parameters and defaults, the state it keeps,
 * its update kernel, and the same step on one parameter written out for the Step view. optimizer.c
 * runs them (buffers, the pooled step, the gradient norm). The rules follow torch.optim's
 * implementation (torch 2.x, single-tensor path):
 *   SGD       g += wd p; b = g at step 1, else mu b + (1 - dampening) g;
 *             g = g + mu b (nesterov) or b; p -= lr g
 *   RMSprop   g += wd p; v = alpha v + (1 - alpha) g^2; centered: ga = alpha ga + (1 - alpha) g,
 *             v~ = v - ga^2; den = sqrt(v~) + eps; momentum: b = mu b + g / den, p -= lr b;
 *             else p -= lr g / den
 *   Adam      g += wd p; m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 *             amsgrad: vmax = max(vmax, v), used instead of v (the max of the raw second moment,
 *             bias-corrected afterwards, as torch's code does);
 *             p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 *   AdamW     p *= 1 - lr wd; then Adam without the wd term in g
 *   Adagrad   g += wd p; clr = lr / (1 + (t - 1) lr_decay); s += g^2 (s starts at
 *             initial_accumulator_value); p -= clr g / (sqrt(s) + eps)
 *   Adadelta  g += wd p; v = rho v + (1 - rho) g^2; d = sqrt(u + eps) / sqrt(v + eps) g;
 *             u = rho u + (1 - rho) d^2; p -= lr d
 *   NAdam     (torch.optim.NAdam's documented algorithm, which torch 1.13 computes on its foreach
 *             path; its default single-tensor path counts mu_t twice in the momentum's denominator,
 *             fixed in torch 2.0) mu_t = b1 (1 - 0.5 * 0.96^(t psi)), P_t = mu_1 ... mu_t;
 *             g += wd p; m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 *             den = sqrt(v) / sqrt(1 - b2^t) + eps;
 *             p -= lr (1 - mu_t) / (1 - P_t) g / den + lr mu_{t+1} / (1 - P_t mu_{t+1}) m / den */
#include "optimizer.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE__) || defined(__AVX__)
#include <immintrin.h>
#endif

// --- the update kernels -----------------------------------------------------------------------------
/* Each rule makes one pass over memory, in blocks of BLK parameters: a first loop updates the
 * state and leaves the argument of the square root in a block buffer, the roots are taken four or
 * eight at a time, and a second loop updates the parameters while the block is still in L1.
 * (A sqrtf inside a loop is never vectorised while it may set errno, so the roots have their own
 * SIMD loop.) The arithmetic is float, as torch's is for float tensors; only the per-step scalars
 * (bias corrections, lr decay) are computed in double. */
enum { BLK = 256 };

/* Loops in blocks of 8 then a tail, over restrict pointers: vectorised at -O2 as well as -O3
 * (the -O2 cost model refuses a loop that needs a scalar epilogue). */
#define EACH(n, i, stmt)                                   \
    do {                                                   \
        size_t b8_ = 0;                                    \
        for (; b8_ + 8 <= (n); b8_ += 8)                   \
            for (size_t i = b8_; i < b8_ + 8; i++)         \
                stmt;                                      \
        for (size_t i = b8_; i < (n); i++)                 \
            stmt;                                          \
    } while (0)

static inline size_t block_len(size_t i0, size_t n) { return n - i0 < BLK ? n - i0 : BLK; }

/* Run-time dispatch (the default build targets baseline x86-64, SSE2): the step loops are
 * compiled three times, for AVX-512, AVX2 and the baseline, and the loader picks one (GCC
 * target_clones; AVX-512 is about 10% faster than AVX2 for Adam on a Zen 5).
 * Same IEEE operations in both (no FMA contraction: ISO C mode), so the same bits. */
/* Not under TSan: the loader runs the clones' resolver before TSan's runtime is up, and the
 * instrumented resolver crashes every program at start. */
#if defined(__GNUC__) && !defined(__clang__) && (defined(__x86_64__) || defined(__i386__)) && \
    !defined(__AVX2__) && !defined(__SANITIZE_THREAD__)
#define NN_OPT_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#define NN_OPT_X86 1
#else
#define NN_OPT_CLONES
#endif

#if NN_OPT_X86
__attribute__((target("avx512f"))) static void sqrt_block_avx512(float *s, size_t n)
{
    size_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(s + i, _mm512_sqrt_ps(_mm512_loadu_ps(s + i)));
    for (; i < n; i++)
        s[i] = sqrtf(s[i]);
}

__attribute__((target("avx"))) static void sqrt_block_avx(float *s, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(s + i, _mm256_sqrt_ps(_mm256_loadu_ps(s + i)));
    for (; i < n; i++)
        s[i] = sqrtf(s[i]);
}
#endif

/* s[i] = sqrt(s[i]) for non-negative s. */
static void sqrt_block(float *s, size_t n)
{
    size_t i = 0;
#if NN_OPT_X86
    if (__builtin_cpu_supports("avx512f")) {
        sqrt_block_avx512(s, n);
        return;
    }
    if (__builtin_cpu_supports("avx")) {
        sqrt_block_avx(s, n);
        return;
    }
#endif
#if defined(__AVX__)
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(s + i, _mm256_sqrt_ps(_mm256_loadu_ps(s + i)));
#endif
#if defined(__SSE__)
    for (; i + 4 <= n; i += 4)
        _mm_storeu_ps(s + i, _mm_sqrt_ps(_mm_loadu_ps(s + i)));
#endif
    for (; i < n; i++)
        s[i] = sqrtf(s[i]);
}

/* Adam's and NAdam's moments over one block: g += wd * p (L2), m = b1 m + (1 - b1) g,
 * v = b2 v + (1 - b2) g^2, and den = v for the denominator that follows. */
static inline void adam_moments(size_t nb, const float *restrict P, const float *restrict G, float *restrict M,
                                float *restrict V, float *restrict den, float b1, float c1, float b2, float c2,
                                float wd)
{
    EACH(nb, j, {
        float gi = G[j] + wd * P[j];
        float vi = b2 * V[j] + c2 * gi * gi;
        M[j] = b1 * M[j] + c1 * gi;
        V[j] = vi;
        den[j] = vi;
    });
}


NN_OPT_CLONES static void step_sgd(const nn_opt_params *hp, float *restrict p, const float *restrict g, float *restrict b,
                     size_t n, long t, float lr)
{
    const float wd = (float)hp->weight_decay, mu = (float)hp->momentum, damp = (float)(1.0 - hp->dampening);
    const float nesterov_mu = hp->nesterov ? mu : 0.0f;
    if (!b) {
        EACH(n, i, p[i] -= lr * (g[i] + wd * p[i]));
    } else if (t == 1) {   /* the buffer starts as the gradient itself */
        EACH(n, i, {
            float gi = g[i] + wd * p[i];
            b[i] = gi;
            p[i] -= lr * (gi + nesterov_mu * gi);   /* b = g, so g + mu b with nesterov */
        });
    } else if (hp->nesterov) {
        EACH(n, i, {
            float gi = g[i] + wd * p[i];
            float bi = mu * b[i] + damp * gi;
            b[i] = bi;
            p[i] -= lr * (gi + mu * bi);
        });
    } else {
        EACH(n, i, {
            float gi = g[i] + wd * p[i];
            float bi = mu * b[i] + damp * gi;
            b[i] = bi;
            p[i] -= lr * bi;
        });
    }
}

NN_OPT_CLONES static void step_rmsprop(const nn_opt_params *hp, float *restrict p, const float *restrict g,
                         float *restrict v, float *restrict ga, float *restrict b, size_t n, float lr)
{
    const float wd = (float)hp->weight_decay, a = (float)hp->alpha, c = (float)(1.0 - hp->alpha);
    const float eps = (float)hp->eps, mu = (float)hp->momentum;
    float den[BLK];
    for (size_t i0 = 0; i0 < n; i0 += BLK) {
        const size_t nb = block_len(i0, n);
        float *restrict P = p + i0;
        const float *restrict G = g + i0;
        float *restrict V = v + i0;
        if (ga) {
            float *restrict GA = ga + i0;
            EACH(nb, j, {
                float gi = G[j] + wd * P[j];
                float vi = a * V[j] + c * gi * gi;
                float gai = a * GA[j] + c * gi;
                V[j] = vi;
                GA[j] = gai;
                float vt = vi - gai * gai;
                den[j] = vt > 0.0f ? vt : 0.0f;
            });
        } else {
            EACH(nb, j, {
                float gi = G[j] + wd * P[j];
                float vi = a * V[j] + c * gi * gi;
                V[j] = vi;
                den[j] = vi;
            });
        }
        sqrt_block(den, nb);
        if (b) {
            float *restrict B = b + i0;
            EACH(nb, j, {
                float gi = G[j] + wd * P[j];
                float bi = mu * B[j] + gi / (den[j] + eps);
                B[j] = bi;
                P[j] -= lr * bi;
            });
        } else {
            EACH(nb, j, {
                float gi = G[j] + wd * P[j];
                P[j] -= lr * gi / (den[j] + eps);
            });
        }
    }
}

/* Adam's per-step scalars, computed once per step (not once per part of it). */
typedef struct {
    float step_size, inv_bc2_sqrt;
} adam_consts;

#if NN_OPT_X86
/* Adam in one pass with the square root in registers (AVX-512): the same IEEE operations in the
 * same order as the loops below (no contraction), so the same bits. Whole vectors of 16 only;
 * returns how many parameters it did. */
__attribute__((target("avx512f"))) static size_t step_adam_avx512(const nn_opt_params *hp, bool decoupled,
                                                                   float *restrict p, const float *restrict g,
                                                                   float *restrict m, float *restrict v,
                                                                   float *restrict vmax, size_t n, adam_consts k,
                                                                   double lr)
{
    const __m512 b1 = _mm512_set1_ps((float)hp->beta1), c1 = _mm512_set1_ps((float)(1.0 - hp->beta1));
    const __m512 b2 = _mm512_set1_ps((float)hp->beta2), c2 = _mm512_set1_ps((float)(1.0 - hp->beta2));
    const __m512 eps = _mm512_set1_ps((float)hp->eps), step = _mm512_set1_ps(k.step_size);
    const __m512 inv = _mm512_set1_ps(k.inv_bc2_sqrt);
    const __m512 wd = _mm512_set1_ps(decoupled ? 0.0f : (float)hp->weight_decay);
    const __m512 shrink = _mm512_set1_ps(decoupled ? (float)(1.0 - lr * hp->weight_decay) : 1.0f);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 P = _mm512_loadu_ps(p + i);
        __m512 gi = _mm512_add_ps(_mm512_loadu_ps(g + i), _mm512_mul_ps(wd, P));
        __m512 vi = _mm512_add_ps(_mm512_mul_ps(b2, _mm512_loadu_ps(v + i)), _mm512_mul_ps(_mm512_mul_ps(c2, gi), gi));
        __m512 mi = _mm512_add_ps(_mm512_mul_ps(b1, _mm512_loadu_ps(m + i)), _mm512_mul_ps(c1, gi));
        _mm512_storeu_ps(m + i, mi);
        _mm512_storeu_ps(v + i, vi);
        __m512 den = vi;
        if (vmax) {
            den = _mm512_max_ps(_mm512_loadu_ps(vmax + i), vi);   /* vmax > vi ? vmax : vi */
            _mm512_storeu_ps(vmax + i, den);
        }
        den = _mm512_add_ps(_mm512_mul_ps(_mm512_sqrt_ps(den), inv), eps);
        P = _mm512_sub_ps(_mm512_mul_ps(P, shrink), _mm512_div_ps(_mm512_mul_ps(step, mi), den));
        _mm512_storeu_ps(p + i, P);
    }
    return i;
}
#endif

NN_OPT_CLONES static void step_adam(const nn_opt_params *hp, bool decoupled, float *restrict p, const float *restrict g,
                      float *restrict m, float *restrict v, float *restrict vmax, size_t n,
                      adam_consts k, double lr)
{
#if NN_OPT_X86
    if (__builtin_cpu_supports("avx512f")) {
        size_t done = step_adam_avx512(hp, decoupled, p, g, m, v, vmax, n, k, lr);
        p += done;
        g += done;
        m += done;
        v += done;
        vmax = vmax ? vmax + done : NULL;
        n -= done;
    }
#endif
    const float b1 = (float)hp->beta1, c1 = (float)(1.0 - hp->beta1);
    const float b2 = (float)hp->beta2, c2 = (float)(1.0 - hp->beta2), eps = (float)hp->eps;
    const float step_size = k.step_size, inv_bc2_sqrt = k.inv_bc2_sqrt;
    const float wd = decoupled ? 0.0f : (float)hp->weight_decay;
    const float shrink = decoupled ? (float)(1.0 - lr * hp->weight_decay) : 1.0f;
    float den[BLK];
    for (size_t i0 = 0; i0 < n; i0 += BLK) {
        const size_t nb = block_len(i0, n);
        float *restrict P = p + i0;
        const float *restrict G = g + i0;
        float *restrict M = m + i0;
        float *restrict V = v + i0;
        adam_moments(nb, P, G, M, V, den, b1, c1, b2, c2, wd);
        if (vmax) {
            float *restrict VM = vmax + i0;
            EACH(nb, j, {
                float mx = VM[j] > den[j] ? VM[j] : den[j];
                VM[j] = mx;
                den[j] = mx;
            });
        }
        sqrt_block(den, nb);
        EACH(nb, j, P[j] = P[j] * shrink - step_size * M[j] / (den[j] * inv_bc2_sqrt + eps));
    }
}

NN_OPT_CLONES static void step_adagrad(const nn_opt_params *hp, float *restrict p, const float *restrict g,
                         float *restrict s, size_t n, long t, double lr)
{
    const float wd = (float)hp->weight_decay, eps = (float)hp->eps;
    const float clr = (float)(lr / (1.0 + (double)(t - 1) * hp->lr_decay));
    float den[BLK];
    for (size_t i0 = 0; i0 < n; i0 += BLK) {
        const size_t nb = block_len(i0, n);
        float *restrict P = p + i0;
        const float *restrict G = g + i0;
        float *restrict S = s + i0;
        EACH(nb, j, {
            float gi = G[j] + wd * P[j];
            float si = S[j] + gi * gi;
            S[j] = si;
            den[j] = si;
        });
        sqrt_block(den, nb);
        EACH(nb, j, {
            float gi = G[j] + wd * P[j];
            P[j] -= clr * gi / (den[j] + eps);
        });
    }
}

NN_OPT_CLONES static void step_adadelta(const nn_opt_params *hp, float *restrict p, const float *restrict g,
                          float *restrict v, float *restrict u, size_t n, float lr)
{
    const float wd = (float)hp->weight_decay, rho = (float)hp->rho, c = (float)(1.0 - hp->rho);
    const float eps = (float)hp->eps;
    float num[BLK], den[BLK];
    for (size_t i0 = 0; i0 < n; i0 += BLK) {
        const size_t nb = block_len(i0, n);
        float *restrict P = p + i0;
        const float *restrict G = g + i0;
        float *restrict V = v + i0;
        float *restrict U = u + i0;
        EACH(nb, j, {
            float gi = G[j] + wd * P[j];
            float vi = rho * V[j] + c * gi * gi;
            V[j] = vi;
            den[j] = vi + eps;
            num[j] = U[j] + eps;
        });
        sqrt_block(den, nb);
        sqrt_block(num, nb);
        EACH(nb, j, {
            float gi = G[j] + wd * P[j];
            float d = num[j] / den[j] * gi;
            U[j] = rho * U[j] + c * d * d;
            P[j] -= lr * d;
        });
    }
}

/* cg, cm: the gradient's and the momentum's step sizes of this step; inv: 1 / sqrt(1 - b2^t) */
NN_OPT_CLONES static void step_nadam(const nn_opt_params *hp, float *restrict p, const float *restrict g,
                                     float *restrict m, float *restrict v, size_t n, float cg, float cm, float inv)
{
    const float b1 = (float)hp->beta1, c1 = (float)(1.0 - hp->beta1);
    const float b2 = (float)hp->beta2, c2 = (float)(1.0 - hp->beta2), eps = (float)hp->eps;
    const float wd = (float)hp->weight_decay;
    float den[BLK];
    for (size_t i0 = 0; i0 < n; i0 += BLK) {
        const size_t nb = block_len(i0, n);
        float *restrict P = p + i0;
        const float *restrict G = g + i0;
        float *restrict M = m + i0;
        float *restrict V = v + i0;
        adam_moments(nb, P, G, M, V, den, b1, c1, b2, c2, wd);
        sqrt_block(den, nb);
        /* torch's two addcdiv_: p += -cg * (g / den), then p += -cm * (m / den) */
        EACH(nb, j, {
            float gi = G[j] + wd * P[j];
            float d = den[j] * inv + eps;
            float pj = P[j] - cg * (gi / d);
            P[j] = pj - cm * (M[j] / d);
        });
    }
}

// --- the steps written out ---------------------------------------------------------------------------

/* A value for a formula: 4 decimals in [1e-3, 1e5), else 3 significant digits in e-notation. */
typedef struct {
    char s[48];
} numstr;

/* printf's number t into n with the exponent written short: "1.234e-05" becomes "1.234e-5". */
static void short_exponent(numstr *n, char *t)
{
    char *e = strchr(t, 'e');
    if (e) {
        *e = 0;
        snprintf(n->s, sizeof n->s, "%se%d", t, atoi(e + 1));
    } else {
        snprintf(n->s, sizeof n->s, "%s", t);
    }
}

static numstr V(double x)
{
    numstr n;
    double ax = fabs(x);
    if (x == 0.0)
        snprintf(n.s, sizeof n.s, "0");
    else if (ax >= 1e-3 && ax < 1e5)
        snprintf(n.s, sizeof n.s, "%.4f", x);
    else if (!isfinite(x))
        snprintf(n.s, sizeof n.s, "%g", x);
    else {
        char t[24];
        snprintf(t, sizeof t, "%.3e", x);
        short_exponent(&n, t);
    }
    return n;
}

/* An operand: V, in parentheses when negative, so "0.9 × (-0.77)" and "(-0.18)²" read right. */
static numstr P(double x)
{
    numstr v = V(x), n;
    if (x < 0.0)
        snprintf(n.s, sizeof n.s, "(%.40s)", v.s);
    else
        n = v;
    return n;
}

/* A hyperparameter: as short as it reads (0.9, 0.001, 1e-8). */
static numstr H(double x)
{
    numstr n;
    char t[32];
    snprintf(t, sizeof t, "%g", x);
    short_exponent(&n, t);
    return n;
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void line(nn_opt_explain *s, const char *fmt, ...)
{
    if (s->n_lines >= NN_OPT_EXPLAIN_LINES)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->lines[s->n_lines], NN_OPT_EXPLAIN_LINE, fmt, ap);
    va_end(ap);
    s->n_lines++;
}

/* Coupled weight decay: g + wd*w, with its line when wd != 0. */
static double decay_grad(nn_opt_explain *s, double wd, double w, double g)
{
    if (wd == 0.0)
        return g;
    double ge = g + wd * w;
    line(s, "g ← g + wd·w = %s + %s × %s = %s", V(g).s, H(wd).s, P(w).s, V(ge).s);
    return ge;
}

static void explain_sgd(nn_opt_explain *s, const nn_opt_params *hp, const float *b, bool first)
{
    const double w = s->w, lr = s->lr, mu = hp->momentum;
    double g = decay_grad(s, hp->weight_decay, w, s->g);
    if (!b) {
        s->w_new = w - lr * g;
        line(s, "w ← w − lr·g = %s − %s × %s = %s", V(w).s, H(lr).s, P(g).s, V(s->w_new).s);
        return;
    }
    double bo = s->state[0], bn;
    if (first) {
        bn = g;
        line(s, "b ← g = %s (the first step starts the momentum buffer)", V(bn).s);
    } else if (hp->dampening == 0.0) {
        bn = mu * bo + g;
        line(s, "b ← μ·b + g = %s × %s + %s = %s", H(mu).s, P(bo).s, P(g).s, V(bn).s);
    } else {
        bn = mu * bo + (1.0 - hp->dampening) * g;
        line(s, "b ← μ·b + (1−dampening)·g = %s × %s + %s × %s = %s", H(mu).s, P(bo).s,
             H(1.0 - hp->dampening).s, P(g).s, V(bn).s);
    }
    s->state_new[0] = bn;   /* stored as float by optimizer.c, which steps with the double */
    if (hp->nesterov) {
        s->w_new = w - lr * (g + mu * bn);
        line(s, "w ← w − lr·(g + μ·b) = %s − %s × (%s + %s × %s) = %s", V(w).s, H(lr).s, P(g).s, H(mu).s,
             P(bn).s, V(s->w_new).s);
    } else {
        s->w_new = w - lr * bn;
        line(s, "w ← w − lr·b = %s − %s × %s = %s", V(w).s, H(lr).s, P(bn).s, V(s->w_new).s);
    }
}

static void explain_rmsprop(nn_opt_explain *s, const nn_opt_params *hp, const nn_optimizer *o)
{
    const double w = s->w, lr = s->lr, al = hp->alpha, eps = hp->eps, mu = hp->momentum;
    double g = decay_grad(s, hp->weight_decay, w, s->g);
    double v = s->state[0];
    double vn = al * v + (1.0 - al) * g * g;
    s->state_new[0] = vn;
    line(s, "v ← α·v + (1−α)·g² = %s × %s + %s × %s² = %s", H(al).s, P(v).s, H(1.0 - al).s, P(g).s, V(vn).s);
    double vt = vn;
    if (o->s2) {
        double ga = s->state[1], gan = al * ga + (1.0 - al) * g;
        s->state_new[1] = gan;
        vt = vn - gan * gan;
        line(s, "ḡ ← α·ḡ + (1−α)·g = %s × %s + %s × %s = %s; v ← v − ḡ² = %s", H(al).s, P(ga).s,
             H(1.0 - al).s, P(g).s, V(gan).s, V(vt).s);
    }
    double den = sqrt(vt > 0.0 ? vt : 0.0) + eps;
    if (o->s3) {
        double b = s->state[2], bn = mu * b + g / den;
        s->state_new[2] = bn;
        line(s, "b ← μ·b + g/(√v+ε) = %s × %s + %s / (√%s + %s) = %s", H(mu).s, P(b).s, P(g).s, P(vt).s,
             H(eps).s, V(bn).s);
        s->w_new = w - lr * bn;
        line(s, "w ← w − lr·b = %s − %s × %s = %s", V(w).s, H(lr).s, P(bn).s, V(s->w_new).s);
    } else {
        s->w_new = w - lr * g / den;
        line(s, "w ← w − lr·g/(√v+ε) = %s − %s × %s / (√%s + %s) = %s", V(w).s, H(lr).s, P(g).s, P(vt).s,
             H(eps).s, V(s->w_new).s);
    }
}

static void explain_adam(nn_opt_explain *s, const nn_opt_params *hp, const nn_optimizer *o)
{
    const double w = s->w, lr = s->lr, b1 = hp->beta1, b2 = hp->beta2, eps = hp->eps;
    const double t = (double)s->t;
    const int decoupled = s->kind == NN_OPT_ADAMW;
    double wp = w;
    if (decoupled && hp->weight_decay != 0.0) {
        wp = w * (1.0 - lr * hp->weight_decay);
        line(s, "w ← w·(1 − lr·wd) = %s × (1 − %s × %s) = %s", V(w).s, H(lr).s, H(hp->weight_decay).s, V(wp).s);
    }
    double g = decoupled ? s->g : decay_grad(s, hp->weight_decay, w, s->g);
    double m = s->state[0], v = s->state[1];
    double mn = b1 * m + (1.0 - b1) * g;
    double vn = b2 * v + (1.0 - b2) * g * g;
    s->state_new[0] = mn;
    s->state_new[1] = vn;
    line(s, "m ← β1·m + (1−β1)·g = %s × %s + %s × %s = %s", H(b1).s, P(m).s, H(1.0 - b1).s, P(g).s, V(mn).s);
    line(s, "v ← β2·v + (1−β2)·g² = %s × %s + %s × %s² = %s", H(b2).s, P(v).s, H(1.0 - b2).s, P(g).s, V(vn).s);
    double vu = vn;
    if (o->s3) {
        double vm = s->state[2];
        vu = vm > vn ? vm : vn;
        s->state_new[2] = vu;
        line(s, "v_max ← max(v_max, v) = max(%s, %s) = %s", P(vm).s, P(vn).s, V(vu).s);
    }
    const double bc1 = 1.0 - pow(b1, t), bc2 = 1.0 - pow(b2, t);
    double mh = mn / bc1, vh = vu / bc2;
    line(s, "m̂ = m/(1−β1^t) = %s / (1 − %s^%ld) = %s; v̂ = v/(1−β2^t) = %s / (1 − %s^%ld) = %s", V(mn).s,
         H(b1).s, s->t, V(mh).s, V(vu).s, H(b2).s, s->t, V(vh).s);
    /* optimizer.c's form, algebraically the same: lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps) */
    s->w_new = wp - lr / bc1 * mn / (sqrt(vu) / sqrt(bc2) + eps);
    line(s, "w ← w − lr·m̂/(√v̂+ε) = %s − %s × %s / (√%s + %s) = %s", V(wp).s, H(lr).s, P(mh).s, P(vh).s,
         H(eps).s, V(s->w_new).s);
}

static void explain_adagrad(nn_opt_explain *s, const nn_opt_params *hp)
{
    const double w = s->w, eps = hp->eps;
    double g = decay_grad(s, hp->weight_decay, w, s->g);
    double clr = s->lr;
    if (hp->lr_decay != 0.0) {
        clr = s->lr / (1.0 + (double)(s->t - 1) * hp->lr_decay);
        line(s, "lr ← lr/(1 + (t−1)·lr_decay) = %s / (1 + %ld × %s) = %s", H(s->lr).s, s->t - 1,
             H(hp->lr_decay).s, V(clr).s);
    }
    double sum = s->state[0], sn = sum + g * g;
    s->state_new[0] = sn;
    line(s, "s ← s + g² = %s + %s² = %s", V(sum).s, P(g).s, V(sn).s);
    s->w_new = w - clr * g / (sqrt(sn) + eps);
    line(s, "w ← w − lr·g/(√s+ε) = %s − %s × %s / (√%s + %s) = %s", V(w).s,
         hp->lr_decay != 0.0 ? V(clr).s : H(clr).s, P(g).s, P(sn).s, H(eps).s,
         V(s->w_new).s);
}

static void explain_adadelta(nn_opt_explain *s, const nn_opt_params *hp)
{
    const double w = s->w, rho = hp->rho, eps = hp->eps;
    double g = decay_grad(s, hp->weight_decay, w, s->g);
    double v = s->state[0], u = s->state[1];
    double vn = rho * v + (1.0 - rho) * g * g;
    line(s, "v ← ρ·v + (1−ρ)·g² = %s × %s + %s × %s² = %s", H(rho).s, P(v).s, H(1.0 - rho).s, P(g).s, V(vn).s);
    double d = sqrt(u + eps) / sqrt(vn + eps) * g;
    line(s, "d = √(u+ε)/√(v+ε)·g = √(%s + %s) / √(%s + %s) × %s = %s", P(u).s, H(eps).s, P(vn).s, H(eps).s,
         P(g).s, V(d).s);
    double un = rho * u + (1.0 - rho) * d * d;
    line(s, "u ← ρ·u + (1−ρ)·d² = %s × %s + %s × %s² = %s", H(rho).s, P(u).s, H(1.0 - rho).s, P(d).s, V(un).s);
    s->state_new[0] = vn;
    s->state_new[1] = un;
    s->w_new = w - s->lr * d;
    line(s, "w ← w − lr·d = %s − %s × %s = %s", V(w).s, H(s->lr).s, P(d).s, V(s->w_new).s);
}


/* NAdam's momentum schedule mu_t = b1 (1 - 0.5 * 0.96^(t psi)) */
static double nadam_mu(const nn_opt_params *hp, double t)
{
    return hp->beta1 * (1.0 - 0.5 * pow(0.96, t * hp->momentum_decay));
}

static void explain_nadam(nn_opt_explain *s, const nn_opt_params *hp, double prod_before)
{
    const double w = s->w, lr = s->lr, b1 = hp->beta1, b2 = hp->beta2, eps = hp->eps, t = (double)s->t;
    double g = decay_grad(s, hp->weight_decay, w, s->g);
    double m = s->state[0], v = s->state[1];
    double mn = b1 * m + (1.0 - b1) * g, vn = b2 * v + (1.0 - b2) * g * g;
    s->state_new[0] = mn;
    s->state_new[1] = vn;
    line(s, "m ← β1·m + (1−β1)·g = %s × %s + %s × %s = %s", H(b1).s, P(m).s, H(1.0 - b1).s, P(g).s, V(mn).s);
    line(s, "v ← β2·v + (1−β2)·g² = %s × %s + %s × %s² = %s", H(b2).s, P(v).s, H(1.0 - b2).s, P(g).s, V(vn).s);
    const double mu = nadam_mu(hp, t), mu_next = nadam_mu(hp, t + 1.0), prod = prod_before * mu;
    line(s, "μt = β1·(1 − 0.96^(t·ψ)/2) = %s; μt+1 = %s; Πμ = %s", V(mu).s, V(mu_next).s, V(prod).s);
    const double den = sqrt(vn) / sqrt(1.0 - pow(b2, t)) + eps;
    line(s, "d = √v/√(1−β2^t) + ε = √%s / √(1 − %s^%ld) + %s = %s", P(vn).s, H(b2).s, s->t, H(eps).s, V(den).s);
    const double cg = lr * (1.0 - mu) / (1.0 - prod), cm = lr * mu_next / (1.0 - prod * mu_next);
    s->w_new = w - cg * (g / den) - cm * (mn / den);
    line(s, "w ← w − lr·(1−μt)/(1−Πμ)·g/d − lr·μt+1/(1−Πμ·μt+1)·m/d = %s − %s × %s − %s × %s = %s", V(w).s,
         V(cg).s, P(g / den).s, V(cm).s, P(mn / den).s, V(s->w_new).s);
}

// --- the rows ---------------------------------------------------------------------------------------

static nn_status check_sgd(const nn_opt_params *p, nn_error *err)
{
    if (p->nesterov && (p->momentum <= 0.0 || p->dampening != 0.0))
        return nn_error_set(err, NN_EINVAL,
                            "training.optimizer.nesterov: needs a momentum > 0 and zero dampening (momentum %g, "
                            "dampening %g)", p->momentum, p->dampening);
    return NN_OK;
}

static nn_status check_betas(const nn_opt_params *p, nn_error *err)
{
    if (!(p->beta1 >= 0.0 && p->beta1 < 1.0) || !(p->beta2 >= 0.0 && p->beta2 < 1.0))
        return nn_error_set(err, NN_EINVAL, "training.optimizer.beta1/beta2: (%g, %g) is out of range ([0, 1))",
                            p->beta1, p->beta2);
    return NN_OK;
}

static nn_status check_rmsprop(const nn_opt_params *p, nn_error *err)
{
    if (!(p->alpha >= 0.0))
        return nn_error_set(err, NN_EINVAL, "training.optimizer.alpha: %g is out of range (>= 0)", p->alpha);
    return NN_OK;
}

static nn_status check_adadelta(const nn_opt_params *p, nn_error *err)
{
    if (!(p->rho >= 0.0 && p->rho <= 1.0))
        return nn_error_set(err, NN_EINVAL, "training.optimizer.rho: %g is out of range ([0, 1])", p->rho);
    return NN_OK;
}

static nn_status check_adagrad(const nn_opt_params *p, nn_error *err)
{
    if (!(p->lr_decay >= 0.0) || !(p->initial_accumulator_value >= 0.0))
        return nn_error_set(err, NN_EINVAL,
                            "training.optimizer.lr_decay/initial_accumulator_value: (%g, %g) is out of range (>= 0)",
                            p->lr_decay, p->initial_accumulator_value);
    return NN_OK;
}

/* --- sgd: s1 the momentum buffer */
static void state_sgd(const nn_opt_params *p, bool need[3]) { need[0] = p->momentum != 0.0; }

static void run_sgd(const nn_opt_params *hp, const nn_opt_step_args *a, float *p, const float *g, float *s1,
                    float *s2, float *s3, size_t n)
{
    step_sgd(hp, p, g, s1, n, a->t1, (float)a->lr);
}

static void show_sgd(nn_opt_explain *e, const nn_optimizer *o)
{
    explain_sgd(e, &o->p, o->s1, o->t - o->s1_from == 0);   /* the next step is the buffer's first */
}

/* --- rmsprop: s1 square_avg, s2 grad_avg (centered), s3 the momentum buffer */
static void state_rmsprop(const nn_opt_params *p, bool need[3])
{
    need[0] = true;
    need[1] = p->centered;
    need[2] = p->momentum > 0.0;
}

static void run_rmsprop(const nn_opt_params *hp, const nn_opt_step_args *a, float *p, const float *g, float *s1,
                        float *s2, float *s3, size_t n)
{
    if (s1)
        step_rmsprop(hp, p, g, s1, s2, s3, n, (float)a->lr);
}

static void show_rmsprop(nn_opt_explain *e, const nn_optimizer *o) { explain_rmsprop(e, &o->p, o); }

/* --- adam, adamw: s1 exp_avg, s2 exp_avg_sq, s3 max_exp_avg_sq (amsgrad) */
static void state_adam(const nn_opt_params *p, bool need[3])
{
    need[0] = need[1] = true;
    need[2] = p->amsgrad;
}

/* the step size lr / (1 - b1^t) and 1 / sqrt(1 - b2^t) */
static void prepare_adam(const nn_opt_params *p, nn_opt_step_args *a, double *acc)
{
    a->k[0] = a->lr / (1.0 - pow(p->beta1, (double)a->t));
    a->k[1] = 1.0 / sqrt(1.0 - pow(p->beta2, (double)a->t));
}

static void run_adam(const nn_opt_params *hp, const nn_opt_step_args *a, float *p, const float *g, float *s1,
                     float *s2, float *s3, size_t n)
{
    if (s1 && s2)
        step_adam(hp, hp->kind == NN_OPT_ADAMW, p, g, s1, s2, s3, n, (adam_consts){(float)a->k[0], (float)a->k[1]},
                  a->lr);
}

static void show_adam(nn_opt_explain *e, const nn_optimizer *o) { explain_adam(e, &o->p, o); }

/* --- adagrad: s1 state_sum, starting at initial_accumulator_value */
static void state_one(const nn_opt_params *p, bool need[3]) { need[0] = true; }

static void reset_adagrad(const nn_opt_params *p, float *s1, float *s2, float *s3, size_t n)
{
    const float init = (float)p->initial_accumulator_value;
    for (size_t i = 0; i < n && s1; i++)
        s1[i] = init;
}

static void run_adagrad(const nn_opt_params *hp, const nn_opt_step_args *a, float *p, const float *g, float *s1,
                        float *s2, float *s3, size_t n)
{
    if (s1)
        step_adagrad(hp, p, g, s1, n, a->t, a->lr);
}

static void show_adagrad(nn_opt_explain *e, const nn_optimizer *o) { explain_adagrad(e, &o->p); }

/* --- adadelta: s1 square_avg, s2 acc_delta */
static void state_two(const nn_opt_params *p, bool need[3]) { need[0] = need[1] = true; }

static void run_adadelta(const nn_opt_params *hp, const nn_opt_step_args *a, float *p, const float *g, float *s1,
                         float *s2, float *s3, size_t n)
{
    if (s1 && s2)
        step_adadelta(hp, p, g, s1, s2, n, (float)a->lr);
}

static void show_adadelta(nn_opt_explain *e, const nn_optimizer *o) { explain_adadelta(e, &o->p); }

/* --- nadam: s1 exp_avg, s2 exp_avg_sq; acc the product of its mu_t */
static nn_status check_nadam(const nn_opt_params *p, nn_error *err)
{
    nn_status st = check_betas(p, err);
    if (st == NN_OK && !(p->momentum_decay >= 0.0))
        return nn_error_set(err, NN_EINVAL, "training.optimizer.momentum_decay: %g is out of range (>= 0)",
                            p->momentum_decay);
    return st;
}

static void prepare_nadam(const nn_opt_params *p, nn_opt_step_args *a, double *acc)
{
    const double t = (double)a->t, mu = nadam_mu(p, t), mu_next = nadam_mu(p, t + 1.0);
    *acc *= mu;
    a->k[0] = a->lr * (1.0 - mu) / (1.0 - *acc);          /* the gradient's step size */
    a->k[1] = a->lr * mu_next / (1.0 - *acc * mu_next);   /* the momentum's */
    a->k[2] = 1.0 / sqrt(1.0 - pow(p->beta2, t));
}

static void run_nadam(const nn_opt_params *hp, const nn_opt_step_args *a, float *p, const float *g, float *s1,
                      float *s2, float *s3, size_t n)
{
    if (s1 && s2)
        step_nadam(hp, p, g, s1, s2, n, (float)a->k[0], (float)a->k[1], (float)a->k[2]);
}

static void show_nadam(nn_opt_explain *e, const nn_optimizer *o) { explain_nadam(e, &o->p, o->acc); }

#define D(field, v) {offsetof(nn_opt_params, field), NN_PARAM_DOUBLE, v}
#define B(field, v) {offsetof(nn_opt_params, field), NN_PARAM_BOOL, v}
#define RACE(name, lr) {name, lr, 0, {{0}}, false}

const nn_opt_info nn_opt_table[NN_OPT_COUNT] = {
    [NN_OPT_SGD] = {"sgd", NN_OPT_SGD,
                    "`g += wd*p; b = mu*b + (1-dampening)*g (b = g at step 1); p -= lr*(nesterov ? g + mu*b : b)`",
                    5, {D(lr, 1e-3), D(momentum, 0), D(dampening, 0), B(nesterov, 0), D(weight_decay, 0)},
                    3, {RACE("sgd", 0.1),
                        {"momentum", 0.01, 1, {D(momentum, 0.9)}, false},
                        {"nesterov", 0.01, 2, {D(momentum, 0.9), B(nesterov, 1)}, false}},
                    check_sgd, state_sgd, NULL, NULL, run_sgd, show_sgd},
    [NN_OPT_RMSPROP] = {"rmsprop", NN_OPT_RMSPROP,
                        "`v = alpha*v + (1-alpha)*g^2 (centered: minus mean(g)^2); p -= lr*g/(sqrt(v)+eps)`",
                        6, {D(lr, 1e-2), D(momentum, 0), D(weight_decay, 0), D(alpha, 0.99), D(eps, 1e-8),
                            B(centered, 0)},
                        1, {RACE("rmsprop", 0.001)},
                        check_rmsprop, state_rmsprop, NULL, NULL, run_rmsprop, show_rmsprop},
    [NN_OPT_ADAM] = {"adam", NN_OPT_ADAM,
                     "`m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g^2; p -= lr*(m/(1-b1^t))/(sqrt(v/(1-b2^t))+eps)`",
                     6, {D(lr, 1e-3), D(weight_decay, 0), D(eps, 1e-8), D(beta1, 0.9), D(beta2, 0.999),
                         B(amsgrad, 0)},
                     1, {RACE("adam", 0.001)},
                     check_betas, state_adam, NULL, prepare_adam, run_adam, show_adam},
    [NN_OPT_ADAMW] = {"adamw", NN_OPT_ADAMW, "`p *= 1 - lr*wd; then the adam step (weight decay decoupled from g)`",
                      6, {D(lr, 1e-3), D(weight_decay, 1e-2), D(eps, 1e-8), D(beta1, 0.9), D(beta2, 0.999),
                          B(amsgrad, 0)},
                      1, {RACE("adamw", 0.001)},
                      check_betas, state_adam, NULL, prepare_adam, run_adam, show_adam},
    [NN_OPT_ADAGRAD] = {"adagrad", NN_OPT_ADAGRAD, "`s += g^2; p -= lr/(1+(t-1)*lr_decay) * g/(sqrt(s)+eps)`",
                        5, {D(lr, 1e-2), D(weight_decay, 0), D(eps, 1e-10), D(lr_decay, 0),
                            D(initial_accumulator_value, 0)},
                        1, {RACE("adagrad", 0.01)},
                        check_adagrad, state_one, reset_adagrad, NULL, run_adagrad, show_adagrad},
    [NN_OPT_ADADELTA] = {"adadelta", NN_OPT_ADADELTA,
                         "`v = rho*v + (1-rho)*g^2; d = sqrt(u+eps)/sqrt(v+eps)*g; u = rho*u + (1-rho)*d^2; "
                         "p -= lr*d`",
                         4, {D(lr, 1.0), D(weight_decay, 0), D(eps, 1e-6), D(rho, 0.9)},
                         1, {RACE("adadelta", 1.0)},
                         check_adadelta, state_two, NULL, NULL, run_adadelta, show_adadelta},
    [NN_OPT_NADAM] = {"nadam", NN_OPT_NADAM,
                      "`mu_t = b1*(1 - 0.5*0.96^(t*psi)); m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g^2; "
                      "p -= lr*((1-mu_t)/(1-prod(mu_1..t))*g + mu_t+1/(1-prod(mu_1..t+1))*m)/(sqrt(v/(1-b2^t))+eps)`",
                      6, {D(lr, 2e-3), D(weight_decay, 0), D(eps, 1e-8), D(beta1, 0.9), D(beta2, 0.999),
                          D(momentum_decay, 4e-3)},
                      1, {{"nadam", 0.002, 0, {{0}}, true}},
                      check_nadam, state_two, NULL, prepare_nadam, run_nadam, show_nadam},
};
