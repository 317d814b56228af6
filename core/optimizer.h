/* optimizer.h — the torch.optim update rules over one flat parameter buffer, and the learning-rate
 * schedules. Names, hyperparameters and defaults are torch.optim's, so a step can be compared
 * number for number with PyTorch (per its documented pseudocode). Single-threaded object. */
#ifndef NN_OPTIMIZER_H
#define NN_OPTIMIZER_H

#include "error.h"
#include "pool.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    NN_OPT_SGD,       /* lr 1e-3, momentum 0, dampening 0, nesterov false, weight_decay 0 */
    NN_OPT_RMSPROP,   /* lr 1e-2, alpha 0.99, eps 1e-8, momentum 0, centered false, weight_decay 0 */
    NN_OPT_ADAM,      /* lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0 (L2, coupled), amsgrad false */
    NN_OPT_ADAMW,     /* lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 1e-2 (decoupled), amsgrad false */
    NN_OPT_ADAGRAD,   /* lr 1e-2, lr_decay 0, weight_decay 0, initial_accumulator_value 0, eps 1e-10 */
    NN_OPT_ADADELTA,  /* lr 1.0, rho 0.9, eps 1e-6, weight_decay 0 */
    NN_OPT_COUNT
} nn_opt_kind;

typedef struct {
    nn_opt_kind kind;
    double lr;
    double momentum, dampening;   /* sgd, rmsprop (momentum) */
    bool nesterov;                /* sgd */
    double weight_decay;
    double alpha;                 /* rmsprop smoothing */
    double eps;
    double beta1, beta2;          /* adam, adamw */
    bool amsgrad;                 /* adam, adamw */
    bool centered;                /* rmsprop */
    double rho;                   /* adadelta */
    double lr_decay;              /* adagrad */
    double initial_accumulator_value; /* adagrad */
} nn_opt_params;

typedef struct {
    const char *name;     /* preset name: "sgd", "rmsprop", "adam", "adamw", "adagrad", "adadelta" */
    nn_opt_kind id;
    const char *formula;  /* one line for the README and the help */
} nn_opt_info;

extern const nn_opt_info nn_opt_table[NN_OPT_COUNT];
int nn_opt_from_name(const char *name);  /* -1 if unknown */
const char *nn_opt_name(nn_opt_kind k);

/* Fills *p with torch.optim's defaults for kind. */
void nn_opt_defaults(nn_opt_params *p, nn_opt_kind kind);

typedef struct {
    nn_opt_params p;
    size_t n;          /* parameters */
    long t;            /* steps taken */
    float *s1, *s2, *s3; /* per-parameter state (momentum buffer, moments, accumulators); NULL if unused */
} nn_optimizer;

nn_status nn_optimizer_init(nn_optimizer *o, const nn_opt_params *p, size_t n, nn_error *err);
void nn_optimizer_free(nn_optimizer *o);     /* zeroed or half-built is fine; idempotent */
void nn_optimizer_reset(nn_optimizer *o);    /* state to zero, t = 0 (as a new torch optimizer) */
/* One step: params -= update(grads), with learning rate lr (from the schedule; it replaces p.lr).
 * grads is not modified (weight decay is applied to a local copy of each gradient). */
void nn_optimizer_step(nn_optimizer *o, float *params, const float *grads, double lr);
/* The same step split over a pool in parts of a fixed size (the partition depends on n alone and
 * every rule is element-wise, so the bits are those of nn_optimizer_step for any thread count).
 * pool NULL or a small n: nn_optimizer_step. */
void nn_optimizer_step_pool(nn_optimizer *o, nn_pool *pool, float *params, const float *grads,
                            double lr);

/* The gradient norm's sum of squares is added in fixed blocks of NN_SUMSQ_BLOCK floats (eight
 * float lanes within a block, then in double), the block sums in block order: the same double
 * however the blocks are spread over threads. nn_network_clip_grads and the step below share it. */
enum { NN_SUMSQ_BLOCK = 1024 };
double nn_sumsq_block(const float *x, size_t n);   /* n <= NN_SUMSQ_BLOCK */
double nn_sumsq(const float *x, size_t n);         /* all blocks, in order */

/* nn_optimizer_step_pool, and *sumsq = nn_sumsq(grads, n) (the same double), each block of the
 * gradient read for both while it is in L1: training without clipping needs the norm only to
 * report it and to stop on a non-finite gradient, which it can do after the step. */
void nn_optimizer_step_pool_sumsq(nn_optimizer *o, nn_pool *pool, float *params, const float *grads,
                                  double lr, double *sumsq);

/* Learning-rate schedules, stepped once per epoch (torch.optim.lr_scheduler, epoch 0 = base lr). */
typedef enum { NN_SCHED_CONSTANT, NN_SCHED_STEP, NN_SCHED_EXPONENTIAL, NN_SCHED_COSINE, NN_SCHED_COUNT } nn_sched_kind;

typedef struct {
    nn_sched_kind kind;
    int step_size;     /* step: multiply by gamma every step_size epochs (default 10) */
    double gamma;      /* step 0.1, exponential 0.95 by default */
    int t_max;         /* cosine: half period in epochs; 0 = the run's epochs */
    double eta_min;    /* cosine floor (default 0) */
} nn_schedule;

typedef struct {
    const char *name;     /* "constant", "step", "exponential", "cosine" */
    nn_sched_kind id;
    const char *formula;
} nn_sched_info;

extern const nn_sched_info nn_sched_table[NN_SCHED_COUNT];
int nn_sched_from_name(const char *name);  /* -1 if unknown */

/* Learning rate for 0-based epoch of a run of run_epochs epochs. step: base*gamma^floor(e/step_size);
 * exponential: base*gamma^e; cosine: eta_min + (base - eta_min)(1 + cos(pi*e/T))/2 (torch's closed
 * form) with T = t_max, or T = run_epochs when t_max is 0 (CosineAnnealingLR(T_max=epochs)). */
double nn_schedule_lr(const nn_schedule *s, double base_lr, int epoch, int run_epochs);

#endif
