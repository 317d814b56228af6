/* optimizer.c — running the optimizer rows (optimizers.c) over one flat float buffer: defaults,
 * torch's argument checks, the state buffers, one step or a pooled step (with the gradient's sum
 * of squares on the way), and the learning-rate schedules as rows. */
#include "optimizer.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#if defined(__SSE__) || defined(__AVX__)
#include <immintrin.h>
#endif
#include <stdlib.h>
#include <string.h>

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

bool nn_opt_takes(nn_opt_kind kind, size_t off)
{
    if ((int)kind < 0 || kind >= NN_OPT_COUNT)
        return false;
    const nn_opt_info *r = &nn_opt_table[kind];
    for (int i = 0; i < r->n_params; i++)
        if (r->params[i].off == off)
            return true;
    return false;
}

static void put_param(void *base, const nn_param *f, double v)
{
    char *at = (char *)base + f->off;
    switch (f->type) {
    case NN_PARAM_DOUBLE: *(double *)(void *)at = v; break;
    case NN_PARAM_INT: *(int *)(void *)at = (int)v; break;
    case NN_PARAM_BOOL: *(bool *)(void *)at = v != 0.0; break;
    }
}

/* Each field the first row that takes it gives (so a field the kind does not take is the same
 * whatever the kind), then kind's own. */
static void params_defaults(void *base, const nn_param *(*row_params)(int i, int *n), int rows, int kind)
{
    unsigned char set[256] = {0};   /* by offset: already given by an earlier row */
    for (int i = 0; i < rows; i++) {
        int n;
        const nn_param *ps = row_params(i, &n);
        for (int k = 0; k < n; k++)
            if (ps[k].off < sizeof set && !set[ps[k].off]) {
                set[ps[k].off] = 1;
                put_param(base, &ps[k], ps[k].dflt);
            }
    }
    if (kind >= 0 && kind < rows) {
        int n;
        const nn_param *ps = row_params(kind, &n);
        for (int k = 0; k < n; k++)
            put_param(base, &ps[k], ps[k].dflt);
    }
}

static const nn_param *opt_params(int i, int *n)
{
    *n = nn_opt_table[i].n_params;
    return nn_opt_table[i].params;
}

void nn_opt_defaults(nn_opt_params *p, nn_opt_kind kind)
{
    memset(p, 0, sizeof *p);
    params_defaults(p, opt_params, NN_OPT_COUNT, (int)kind);
    p->kind = kind;
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
    const nn_opt_info *r = &nn_opt_table[p->kind];
    return r->check ? r->check(p, err) : NN_OK;
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
    bool need[3] = {false, false, false};
    nn_opt_table[p->kind].state(p, need);
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

nn_status nn_optimizer_set_params(nn_optimizer *o, const nn_opt_params *p, nn_error *err)
{
    if (p->kind != o->p.kind)
        return nn_error_set(err, NN_EINVAL, "training.optimizer.name: %s is not %s (a new rule is a new optimizer)",
                            nn_opt_name(p->kind), nn_opt_name(o->p.kind));
    nn_status st = check_params(p, err);
    if (st != NN_OK)
        return st;
    bool need[3] = {false, false, false};
    nn_opt_table[p->kind].state(p, need);
    float **bufs[3] = {&o->s1, &o->s2, &o->s3};
    float *fresh[3] = {NULL, NULL, NULL};
    for (int i = 0; i < 3; i++) {
        if (!need[i] || *bufs[i])
            continue;
        fresh[i] = calloc(o->n ? o->n : 1, sizeof(float));
        if (!fresh[i]) {
            for (int j = 0; j < i; j++)
                free(fresh[j]);
            return nn_error_set(err, NN_ENOMEM, "optimizer: cannot allocate state for %zu parameters", o->n);
        }
    }
    for (int i = 0; i < 3; i++) {
        if (fresh[i]) {
            *bufs[i] = fresh[i];
            if (i == 0)
                o->s1_from = o->t;
        } else if (!need[i] && *bufs[i]) {
            free(*bufs[i]);
            *bufs[i] = NULL;
        }
    }
    o->p = *p;
    return NN_OK;
}

void nn_optimizer_reset(nn_optimizer *o)
{
    o->t = 0;
    o->s1_from = 0;
    size_t bytes = o->n * sizeof(float);
    if (o->s1)
        memset(o->s1, 0, bytes);
    if (o->s2)
        memset(o->s2, 0, bytes);
    if (o->s3)
        memset(o->s3, 0, bytes);
    o->acc = 1.0;
    if ((int)o->p.kind >= 0 && o->p.kind < NN_OPT_COUNT && nn_opt_table[o->p.kind].reset)
        nn_opt_table[o->p.kind].reset(&o->p, o->s1, o->s2, o->s3, o->n);
}

/* The rule over parameters [i0, i1), the step's scalars already prepared. Every rule is
 * element-wise, so any split of the buffer gives the same bits as one pass. */
static void step_range(nn_optimizer *o, float *params, const float *grads, size_t i0, size_t i1,
                       const nn_opt_step_args *a)
{
    float *s1 = o->s1 ? o->s1 + i0 : NULL, *s2 = o->s2 ? o->s2 + i0 : NULL;
    float *s3 = o->s3 ? o->s3 + i0 : NULL;
    if ((int)o->p.kind >= 0 && o->p.kind < NN_OPT_COUNT)
        nn_opt_table[o->p.kind].step(&o->p, a, params + i0, grads + i0, s1, s2, s3, i1 - i0);
}

/* Counts the step and computes its scalars, once per step. */
static nn_opt_step_args begin_step(nn_optimizer *o, double lr)
{
    o->t++;
    nn_opt_step_args a = {o->t, o->t - o->s1_from, lr, {0, 0, 0, 0}};
    if ((int)o->p.kind >= 0 && o->p.kind < NN_OPT_COUNT && nn_opt_table[o->p.kind].prepare)
        nn_opt_table[o->p.kind].prepare(&o->p, &a, &o->acc);
    return a;
}

void nn_optimizer_step(nn_optimizer *o, float *params, const float *grads, double lr)
{
    nn_opt_step_args a = begin_step(o, lr);
    step_range(o, params, grads, 0, o->n, &a);
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
    nn_opt_step_args a;
    double *sums;      /* NULL, or one sum of squares per NN_SUMSQ_BLOCK block of grads */
} pool_job;

static void step_part(void *arg, int part)
{
    const pool_job *j = arg;
    size_t i0 = (size_t)part * POOL_CHUNK;
    size_t i1 = j->o->n - i0 < POOL_CHUNK ? j->o->n : i0 + POOL_CHUNK;
    if (!j->sums) {
        step_range(j->o, j->params, j->grads, i0, i1, &j->a);
        return;
    }
    /* block by block: the squares, then the step, while the block of grads is in L1 */
    for (size_t b0 = i0; b0 < i1; b0 += NN_SUMSQ_BLOCK) {
        size_t b1 = i1 - b0 < NN_SUMSQ_BLOCK ? i1 : b0 + NN_SUMSQ_BLOCK;
        j->sums[b0 / NN_SUMSQ_BLOCK] = nn_sumsq_block(j->grads + b0, b1 - b0);
        step_range(j->o, j->params, j->grads, b0, b1, &j->a);
    }
}

static void step_pool(nn_optimizer *o, nn_pool *pool, float *params, const float *grads, double lr,
                      double *sums)
{
    const size_t parts = (o->n + POOL_CHUNK - 1) / POOL_CHUNK;
    pool_job j = {o, params, grads, begin_step(o, lr), sums};
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

static double lr_constant(const nn_schedule *s, double base_lr, int epoch, int run_epochs) { return base_lr; }

static double lr_step(const nn_schedule *s, double base_lr, int epoch, int run_epochs)
{
    int size = s->step_size > 0 ? s->step_size : 1;
    return base_lr * pow(s->gamma, (double)(epoch / size));
}

static double lr_exponential(const nn_schedule *s, double base_lr, int epoch, int run_epochs)
{
    return base_lr * pow(s->gamma, (double)epoch);
}

static double lr_cosine(const nn_schedule *s, double base_lr, int epoch, int run_epochs)
{
    /* t_max 0 is the run's epochs (a run of 0 epochs never asks past epoch 0: T = 1 then) */
    int period = s->t_max > 0 ? s->t_max : run_epochs;
    double t_max = period > 0 ? (double)period : 1.0;
    return s->eta_min + (base_lr - s->eta_min) * (1.0 + cos(3.14159265358979323846 * epoch / t_max)) / 2.0;
}

#define SI(field, v) {offsetof(nn_schedule, field), NN_PARAM_INT, v}
#define SD(field, v) {offsetof(nn_schedule, field), NN_PARAM_DOUBLE, v}

const nn_sched_info nn_sched_table[NN_SCHED_COUNT] = {
    [NN_SCHED_CONSTANT] = {"constant", NN_SCHED_CONSTANT, "`lr`, every epoch", 0, {{0}}, lr_constant},
    [NN_SCHED_STEP] = {"step", NN_SCHED_STEP, "`lr * gamma^floor(epoch / step_size)`", 2,
                       {SI(step_size, 10), SD(gamma, 0.1)}, lr_step},
    [NN_SCHED_EXPONENTIAL] = {"exponential", NN_SCHED_EXPONENTIAL, "`lr * gamma^epoch`", 1, {SD(gamma, 0.95)},
                              lr_exponential},
    [NN_SCHED_COSINE] = {"cosine", NN_SCHED_COSINE,
                         "`eta_min + (lr - eta_min) * (1 + cos(pi * epoch / T)) / 2`, T = t_max, or the run's "
                         "epochs when t_max is 0 (torch's `CosineAnnealingLR(T_max=epochs)`)",
                         2, {SI(t_max, 0), SD(eta_min, 0)}, lr_cosine},
};

static const nn_param *sched_params(int i, int *n)
{
    *n = nn_sched_table[i].n_params;
    return nn_sched_table[i].params;
}

void nn_sched_defaults(nn_schedule *s, nn_sched_kind kind)
{
    memset(s, 0, sizeof *s);
    params_defaults(s, sched_params, NN_SCHED_COUNT, (int)kind);
    s->kind = kind;
}

bool nn_sched_takes(nn_sched_kind kind, size_t off)
{
    if ((int)kind < 0 || kind >= NN_SCHED_COUNT)
        return false;
    const nn_sched_info *r = &nn_sched_table[kind];
    for (int i = 0; i < r->n_params; i++)
        if (r->params[i].off == off)
            return true;
    return false;
}

double nn_schedule_lr(const nn_schedule *s, double base_lr, int epoch, int run_epochs)
{
    if (epoch < 0)
        epoch = 0;
    if ((int)s->kind < 0 || s->kind >= NN_SCHED_COUNT)
        return base_lr;
    return nn_sched_table[s->kind].lr(s, base_lr, epoch, run_epochs);
}
