/* optimizer.c — torch.optim update rules over one flat float buffer, and lr schedules.
 * Each optimizer makes one pass over the parameters (see "the update rules" below).
 * The rules follow torch.optim's implementation (torch 2.x, single-tensor path):
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
 *             u = rho u + (1 - rho) d^2; p -= lr d */
#include "optimizer.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#if defined(__SSE__) || defined(__AVX__)
#include <immintrin.h>
#endif
#include <stdlib.h>
#include <string.h>

const nn_opt_info nn_opt_table[NN_OPT_COUNT] = {
    {"sgd", NN_OPT_SGD,
     "sgd: g += wd*p; b = mu*b + (1-dampening)*g (b = g at step 1); p -= lr*(nesterov ? g + mu*b : b)"},
    {"rmsprop", NN_OPT_RMSPROP,
     "rmsprop: v = alpha*v + (1-alpha)*g^2 (centered: minus mean(g)^2); p -= lr*g/(sqrt(v)+eps)"},
    {"adam", NN_OPT_ADAM,
     "adam: m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g^2; p -= lr*(m/(1-b1^t))/(sqrt(v/(1-b2^t))+eps)"},
    {"adamw", NN_OPT_ADAMW, "adamw: p *= 1 - lr*wd; then the adam step (weight decay decoupled from g)"},
    {"adagrad", NN_OPT_ADAGRAD, "adagrad: s += g^2; p -= lr/(1+(t-1)*lr_decay) * g/(sqrt(s)+eps)"},
    {"adadelta", NN_OPT_ADADELTA,
     "adadelta: v = rho*v + (1-rho)*g^2; d = sqrt(u+eps)/sqrt(v+eps)*g; u = rho*u + (1-rho)*d^2; p -= lr*d"},
};

const nn_sched_info nn_sched_table[NN_SCHED_COUNT] = {
    {"constant", NN_SCHED_CONSTANT, "constant: lr"},
    {"step", NN_SCHED_STEP, "step: lr * gamma^floor(epoch / step_size)"},
    {"exponential", NN_SCHED_EXPONENTIAL, "exponential: lr * gamma^epoch"},
    {"cosine", NN_SCHED_COSINE,
     "cosine: eta_min + (lr - eta_min) * (1 + cos(pi * epoch / T)) / 2, T = t_max or (t_max 0) the run's epochs"},
};

int nn_opt_from_name(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < NN_OPT_COUNT; i++)
        if (strcmp(name, nn_opt_table[i].name) == 0)
            return i;
    return -1;
}

const char *nn_opt_name(nn_opt_kind k)
{
    if ((int)k < 0 || k >= NN_OPT_COUNT)
        return "unknown";
    return nn_opt_table[k].name;
}

int nn_sched_from_name(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < NN_SCHED_COUNT; i++)
        if (strcmp(name, nn_sched_table[i].name) == 0)
            return i;
    return -1;
}

void nn_opt_defaults(nn_opt_params *p, nn_opt_kind kind)
{
    memset(p, 0, sizeof *p);
    p->kind = kind;
    p->beta1 = 0.9;
    p->beta2 = 0.999;
    p->eps = 1e-8;
    p->alpha = 0.99;
    p->rho = 0.9;
    switch (kind) {
    case NN_OPT_SGD:
        p->lr = 1e-3;
        break;
    case NN_OPT_RMSPROP:
        p->lr = 1e-2;
        break;
    case NN_OPT_ADAM:
        p->lr = 1e-3;
        break;
    case NN_OPT_ADAMW:
        p->lr = 1e-3;
        p->weight_decay = 1e-2;
        break;
    case NN_OPT_ADAGRAD:
        p->lr = 1e-2;
        p->eps = 1e-10;
        break;
    case NN_OPT_ADADELTA:
        p->lr = 1.0;
        p->eps = 1e-6;
        break;
    case NN_OPT_COUNT:
        break;
    }
}

/* torch.optim's own argument checks, as messages naming the preset field. */
static nn_status check_params(const nn_opt_params *p, nn_error *err)
{
    const char *f = "training.optimizer";
    if ((int)p->kind < 0 || p->kind >= NN_OPT_COUNT)
        return nn_error_set(err, NN_EINVAL, "%s.name: unknown optimizer %d", f, (int)p->kind);
    if (!(p->lr >= 0.0) || !isfinite(p->lr))
        return nn_error_set(err, NN_EINVAL, "%s.learning_rate: %g is out of range (>= 0)", f, p->lr);
    if (!(p->eps >= 0.0))
        return nn_error_set(err, NN_EINVAL, "%s.epsilon: %g is out of range (>= 0)", f, p->eps);
    if (!(p->weight_decay >= 0.0))
        return nn_error_set(err, NN_EINVAL, "%s.weight_decay: %g is out of range (>= 0)", f,
                            p->weight_decay);
    if (!(p->momentum >= 0.0))
        return nn_error_set(err, NN_EINVAL, "%s.momentum: %g is out of range (>= 0)", f, p->momentum);
    if (p->kind == NN_OPT_SGD && p->nesterov && (p->momentum <= 0.0 || p->dampening != 0.0))
        return nn_error_set(err, NN_EINVAL,
                            "%s.nesterov: needs a momentum > 0 and zero dampening (momentum %g, dampening %g)",
                            f, p->momentum, p->dampening);
    if ((p->kind == NN_OPT_ADAM || p->kind == NN_OPT_ADAMW) &&
        (!(p->beta1 >= 0.0 && p->beta1 < 1.0) || !(p->beta2 >= 0.0 && p->beta2 < 1.0)))
        return nn_error_set(err, NN_EINVAL, "%s.beta1/beta2: (%g, %g) is out of range ([0, 1))", f,
                            p->beta1, p->beta2);
    if (p->kind == NN_OPT_RMSPROP && !(p->alpha >= 0.0))
        return nn_error_set(err, NN_EINVAL, "%s.alpha: %g is out of range (>= 0)", f, p->alpha);
    if (p->kind == NN_OPT_ADADELTA && !(p->rho >= 0.0 && p->rho <= 1.0))
        return nn_error_set(err, NN_EINVAL, "%s.rho: %g is out of range ([0, 1])", f, p->rho);
    if (p->kind == NN_OPT_ADAGRAD && (!(p->lr_decay >= 0.0) || !(p->initial_accumulator_value >= 0.0)))
        return nn_error_set(err, NN_EINVAL,
                            "%s.lr_decay/initial_accumulator_value: (%g, %g) is out of range (>= 0)", f,
                            p->lr_decay, p->initial_accumulator_value);
    return NN_OK;
}

/* Which state buffers a configuration uses. */
static void state_needs(const nn_opt_params *p, bool need[3])
{
    need[0] = need[1] = need[2] = false;
    switch (p->kind) {
    case NN_OPT_SGD:
        need[0] = p->momentum != 0.0;   /* momentum buffer */
        break;
    case NN_OPT_RMSPROP:
        need[0] = true;                 /* square_avg */
        need[1] = p->centered;          /* grad_avg */
        need[2] = p->momentum > 0.0;    /* momentum buffer */
        break;
    case NN_OPT_ADAM:
    case NN_OPT_ADAMW:
        need[0] = need[1] = true;       /* exp_avg, exp_avg_sq */
        need[2] = p->amsgrad;           /* max_exp_avg_sq */
        break;
    case NN_OPT_ADAGRAD:
        need[0] = true;                 /* state_sum */
        break;
    case NN_OPT_ADADELTA:
        need[0] = need[1] = true;       /* square_avg, acc_delta */
        break;
    case NN_OPT_COUNT:
        break;
    }
}

nn_status nn_optimizer_init(nn_optimizer *o, const nn_opt_params *p, size_t n, nn_error *err)
{
    memset(o, 0, sizeof *o);
    nn_status st = check_params(p, err);
    if (st != NN_OK)
        return st;
    if (n > SIZE_MAX / sizeof(float) / 4)
        return nn_error_set(err, NN_ENOMEM, "optimizer: %zu parameters is too large", n);
    o->p = *p;
    o->n = n;
    bool need[3];
    state_needs(p, need);
    float **bufs[3] = {&o->s1, &o->s2, &o->s3};
    for (int i = 0; i < 3; i++) {
        if (!need[i])
            continue;
        *bufs[i] = calloc(n ? n : 1, sizeof(float));
        if (!*bufs[i]) {
            nn_optimizer_free(o);
            return nn_error_set(err, NN_ENOMEM, "optimizer: cannot allocate state for %zu parameters", n);
        }
    }
    nn_optimizer_reset(o);
    return NN_OK;
}

void nn_optimizer_free(nn_optimizer *o)
{
    if (!o)
        return;
    free(o->s1);
    free(o->s2);
    free(o->s3);
    o->s1 = o->s2 = o->s3 = NULL;
    o->n = 0;
    o->t = 0;
}

void nn_optimizer_reset(nn_optimizer *o)
{
    o->t = 0;
    size_t bytes = o->n * sizeof(float);
    if (o->s1)
        memset(o->s1, 0, bytes);
    if (o->s2)
        memset(o->s2, 0, bytes);
    if (o->s3)
        memset(o->s3, 0, bytes);
    if (o->p.kind == NN_OPT_ADAGRAD && o->s1) {
        const float init = (float)o->p.initial_accumulator_value;
        for (size_t i = 0; i < o->n; i++)
            o->s1[i] = init;
    }
}

// --- the update rules ---------------------------------------------------------------------------
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

static adam_consts adam_consts_for(const nn_opt_params *hp, long t, double lr)
{
    adam_consts k = {(float)(lr / (1.0 - pow(hp->beta1, (double)t))),
                     (float)(1.0 / sqrt(1.0 - pow(hp->beta2, (double)t)))};
    return k;
}

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
        EACH(nb, j, {
            float gi = G[j] + wd * P[j];
            float vi = b2 * V[j] + c2 * gi * gi;
            M[j] = b1 * M[j] + c1 * gi;
            V[j] = vi;
            den[j] = vi;
        });
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

/* The rules over parameters [i0, i1), step o->t already counted. Every rule is element-wise, so
 * any split of the buffer gives the same bits as one pass. */
static void step_range(nn_optimizer *o, float *params, const float *grads, double lr, size_t i0,
                       size_t i1, adam_consts k)
{
    const size_t n = i1 - i0;
    float *p = params + i0;
    const float *g = grads + i0;
    float *s1 = o->s1 ? o->s1 + i0 : NULL, *s2 = o->s2 ? o->s2 + i0 : NULL;
    float *s3 = o->s3 ? o->s3 + i0 : NULL;
    switch (o->p.kind) {
    case NN_OPT_SGD:
        step_sgd(&o->p, p, g, s1, n, o->t, (float)lr);
        break;
    case NN_OPT_RMSPROP:
        if (s1)
            step_rmsprop(&o->p, p, g, s1, s2, s3, n, (float)lr);
        break;
    case NN_OPT_ADAM:
    case NN_OPT_ADAMW:
        if (s1 && s2)
            step_adam(&o->p, o->p.kind == NN_OPT_ADAMW, p, g, s1, s2, s3, n, k, lr);
        break;
    case NN_OPT_ADAGRAD:
        if (s1)
            step_adagrad(&o->p, p, g, s1, n, o->t, lr);
        break;
    case NN_OPT_ADADELTA:
        if (s1 && s2)
            step_adadelta(&o->p, p, g, s1, s2, n, (float)lr);
        break;
    case NN_OPT_COUNT:
        break;
    }
}

void nn_optimizer_step(nn_optimizer *o, float *params, const float *grads, double lr)
{
    o->t++;
    step_range(o, params, grads, lr, 0, o->n, adam_consts_for(&o->p, o->t, lr));
}

/* Parts of the pooled step: a fixed number of parameters each (a multiple of BLK and of
 * NN_SUMSQ_BLOCK), so the partition depends on n alone. */
enum { POOL_CHUNK = 16384, SUMSQ_MAX_BLOCKS = 4096 };

double nn_sumsq_block(const float *restrict x, size_t n)
{
    float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    size_t j = 0;
    for (; j + 8 <= n; j += 8)
        for (int k = 0; k < 8; k++)
            acc[k] += x[j + k] * x[j + k];
    double s = 0.0;
    for (int k = 0; k < 8; k++)
        s += (double)acc[k];
    for (; j < n; j++)
        s += (double)x[j] * (double)x[j];
    return s;
}

double nn_sumsq(const float *x, size_t n)
{
    double ss = 0.0;
    for (size_t i0 = 0; i0 < n; i0 += NN_SUMSQ_BLOCK)
        ss += nn_sumsq_block(x + i0, n - i0 < NN_SUMSQ_BLOCK ? n - i0 : NN_SUMSQ_BLOCK);
    return ss;
}

typedef struct {
    nn_optimizer *o;
    float *params;
    const float *grads;
    double lr;
    adam_consts k;
    double *sums;      /* NULL, or one sum of squares per NN_SUMSQ_BLOCK block of grads */
} pool_job;

static void step_part(void *arg, int part)
{
    const pool_job *j = arg;
    size_t i0 = (size_t)part * POOL_CHUNK;
    size_t i1 = j->o->n - i0 < POOL_CHUNK ? j->o->n : i0 + POOL_CHUNK;
    if (!j->sums) {
        step_range(j->o, j->params, j->grads, j->lr, i0, i1, j->k);
        return;
    }
    /* block by block: the squares, then the step, while the block of grads is in L1 */
    for (size_t b0 = i0; b0 < i1; b0 += NN_SUMSQ_BLOCK) {
        size_t b1 = i1 - b0 < NN_SUMSQ_BLOCK ? i1 : b0 + NN_SUMSQ_BLOCK;
        j->sums[b0 / NN_SUMSQ_BLOCK] = nn_sumsq_block(j->grads + b0, b1 - b0);
        step_range(j->o, j->params, j->grads, j->lr, b0, b1, j->k);
    }
}

static void step_pool(nn_optimizer *o, nn_pool *pool, float *params, const float *grads, double lr,
                      double *sums)
{
    const size_t parts = (o->n + POOL_CHUNK - 1) / POOL_CHUNK;
    o->t++;
    pool_job j = {o, params, grads, lr, adam_consts_for(&o->p, o->t, lr), sums};
    if (!pool || nn_pool_threads(pool) < 2 || parts < 2 || parts > INT_MAX) {
        for (size_t part = 0; part < parts; part++)
            step_part(&j, (int)part);
        return;
    }
    nn_pool_run(pool, step_part, &j, (int)parts);
}

void nn_optimizer_step_pool(nn_optimizer *o, nn_pool *pool, float *params, const float *grads,
                            double lr)
{
    step_pool(o, pool, params, grads, lr, NULL);
}

void nn_optimizer_step_pool_sumsq(nn_optimizer *o, nn_pool *pool, float *params, const float *grads,
                                  double lr, double *sumsq)
{
    const size_t blocks = (o->n + NN_SUMSQ_BLOCK - 1) / NN_SUMSQ_BLOCK;
    if (blocks > SUMSQ_MAX_BLOCKS) {   /* over 4M parameters: two passes */
        *sumsq = nn_sumsq(grads, o->n);
        step_pool(o, pool, params, grads, lr, NULL);
        return;
    }
    double sums[SUMSQ_MAX_BLOCKS];
    step_pool(o, pool, params, grads, lr, sums);
    double ss = 0.0;
    for (size_t b = 0; b < blocks; b++)
        ss += sums[b];
    *sumsq = ss;
}

// --- schedules --------------------------------------------------------------------------------

double nn_schedule_lr(const nn_schedule *s, double base_lr, int epoch, int run_epochs)
{
    if (epoch < 0)
        epoch = 0;
    switch (s->kind) {
    case NN_SCHED_STEP: {
        int size = s->step_size > 0 ? s->step_size : 1;
        return base_lr * pow(s->gamma, (double)(epoch / size));
    }
    case NN_SCHED_EXPONENTIAL:
        return base_lr * pow(s->gamma, (double)epoch);
    case NN_SCHED_COSINE: {
        /* t_max 0 is the run's epochs (a run of 0 epochs never asks past epoch 0: T = 1 then) */
        int period = s->t_max > 0 ? s->t_max : run_epochs;
        double t_max = period > 0 ? (double)period : 1.0;
        return s->eta_min + (base_lr - s->eta_min) * (1.0 + cos(3.14159265358979323846 * epoch / t_max)) / 2.0;
    }
    case NN_SCHED_CONSTANT:
    case NN_SCHED_COUNT:
        break;
    }
    return base_lr;
}
