/* optimizer.h — the torch.optim update rules over one flat parameter buffer, and the learning-rate
 * schedules, each a row of a table (optimizers.c; the schedules in optimizer.c). Names,
 * hyperparameters and defaults are torch.optim's, so a step can be compared number for number with
 * PyTorch (per its documented pseudocode). Single-threaded object. */
#ifndef NN_OPTIMIZER_H
#define NN_OPTIMIZER_H

#include "error.h"
#include "pool.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    NN_OPT_SGD,
    NN_OPT_RMSPROP,
    NN_OPT_ADAM,
    NN_OPT_ADAMW,
    NN_OPT_ADAGRAD,
    NN_OPT_ADADELTA,
    NN_OPT_NADAM,
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
    double momentum_decay;        /* nadam: psi of its momentum schedule */
} nn_opt_params;

/* A hyperparameter that an optimizer (or a schedule) takes, and its default there: a field of
 * nn_opt_params (nn_schedule) by offset. The preset schema names the field (its key, range,
 * label and documentation); the rows say who takes it. */
typedef enum { NN_PARAM_DOUBLE, NN_PARAM_INT, NN_PARAM_BOOL } nn_param_type;
typedef struct {
    size_t off;
    nn_param_type type;
    double dflt;             /* booleans: 0 or 1 */
} nn_param;

#define NN_OPT_MAX_PARAMS 10
#define NN_OPT_MAX_RACE 3

/* A race entry: an optimizer at the learning rate it is usually run with, and maybe a variant of it
 * ("momentum" is sgd with momentum 0.9). */
typedef struct {
    const char *name;        /* race name: "sgd", "momentum", "adam" */
    double lr;
    int n_set;
    nn_param set[2];         /* other parameters the entry sets (dflt: the value) */
    bool optional;           /* not in the default race (which is the seed project's eight optimizers) */
} nn_opt_race;

/* One optimizer step on one parameter, written out for the Step view (nn_health_explain_step). */
#define NN_OPT_EXPLAIN_LINES 6
#define NN_OPT_EXPLAIN_LINE 256
typedef struct {
    int layer, i, j;         /* where the parameter sits in the network (filled by nn_health_explain_step;
                                i == -1: the bias b[j]) */
    size_t index;            /* offset of the parameter in params */
    nn_opt_kind kind;
    long t;                  /* the step this would be: opt->t + 1 */
    double lr;
    double w, g;             /* the weight now and the gradient given */
    double w_new;            /* the weight after the step */
    double state[3];         /* opt s1/s2/s3 of this parameter before the step (0 if unused) */
    double state_new[3];     /* ... and after */
    int n_lines;
    char lines[NN_OPT_EXPLAIN_LINES][NN_OPT_EXPLAIN_LINE];  /* UTF-8, one update per line, e.g.
                                "w ← w − lr·g = 0.3120 − 0.03 × 0.0841 = 0.3095" */
} nn_opt_explain;

/* The scalars of one step, computed once per step (not once per part of a pooled step). */
typedef struct {
    long t;                  /* the step, from 1 */
    long t1;                 /* the step counted from when s1 came into use: t, unless a live change
                                (nn_optimizer_set_params) brought s1 in later (sgd's momentum buffer) */
    double lr;               /* its learning rate */
    double k[4];             /* the rule's own per-step constants (its prepare fills them) */
} nn_opt_step_args;

typedef struct nn_optimizer nn_optimizer;

/* One row per optimizer (optimizers.c). Adding one is its enum value and one row: its parameters
 * with torch's defaults, the state it keeps, its update kernel and its written-out step. */
typedef struct {
    const char *name;        /* preset name: "sgd", "rmsprop", "adam", "adamw", "adagrad", "adadelta" */
    nn_opt_kind id;
    const char *formula;     /* the update in one line, for `nnterm keys --markdown` (the README) */
    int n_params;
    nn_param params[NN_OPT_MAX_PARAMS];   /* what it takes (learning_rate first), torch's defaults */
    int n_race;
    nn_opt_race race[NN_OPT_MAX_RACE];
    /* torch.optim's own argument checks beyond nn_optimizer_init's common ones (lr, eps, weight_decay,
     * momentum >= 0); NULL: none. Messages name the preset field. */
    nn_status (*check)(const nn_opt_params *p, nn_error *err);
    /* which state buffers (s1, s2, s3) a configuration uses */
    void (*state)(const nn_opt_params *p, bool need[3]);
    /* after the buffers are zeroed (a new optimizer): a rule that starts elsewhere sets them; NULL: none */
    void (*reset)(const nn_opt_params *p, float *s1, float *s2, float *s3, size_t n);
    /* once per step, t already counted: a->k, and *acc, a running scalar of the rule's (1 at reset) */
    void (*prepare)(const nn_opt_params *p, nn_opt_step_args *a, double *acc);
    /* the update over parameters p[0..n) with gradients g and state s1..s3 (NULL where unused) */
    void (*step)(const nn_opt_params *p, const nn_opt_step_args *a, float *params, const float *g, float *s1,
                 float *s2, float *s3, size_t n);
    /* the same step on one parameter in double, written out: from e->t, lr, w, g and state to w_new,
     * state_new and the lines (o: the optimizer before the step) */
    void (*explain)(nn_opt_explain *e, const nn_optimizer *o);
} nn_opt_info;

extern const nn_opt_info nn_opt_table[NN_OPT_COUNT];
int nn_opt_from_name(const char *name);  /* -1 if unknown */
const char *nn_opt_name(nn_opt_kind k);
/* True if kind takes the field of nn_opt_params at offset off (its row lists it). */
bool nn_opt_takes(nn_opt_kind kind, size_t off);

/* Fills *p with torch.optim's defaults for kind (a field kind does not take gets the default of the
 * first row that takes it, so the struct is the same whatever fields are read). */
void nn_opt_defaults(nn_opt_params *p, nn_opt_kind kind);

struct nn_optimizer {
    nn_opt_params p;
    size_t n;          /* parameters */
    long t;            /* steps taken */
    float *s1, *s2, *s3; /* per-parameter state (momentum buffer, moments, accumulators); NULL if unused */
    double acc;        /* a running scalar of the rule's own (nadam: the product of its mu_t); 1 at reset */
    long s1_from;      /* steps taken before s1 came into use (0, unless nn_optimizer_set_params brought it in) */
};

nn_status nn_optimizer_init(nn_optimizer *o, const nn_opt_params *p, size_t n, nn_error *err);
void nn_optimizer_free(nn_optimizer *o);     /* zeroed or half-built is fine; idempotent */
void nn_optimizer_reset(nn_optimizer *o);    /* state to zero, t = 0 (as a new torch optimizer) */
/* New hyperparameters for the same rule (p->kind == o->p.kind), from the next step: torch's checks as
 * in nn_optimizer_init, then the step count and the state go on; a state buffer the change brings into
 * use (sgd or rmsprop momentum, rmsprop centered, amsgrad) starts as a new optimizer's would (zero; sgd's
 * momentum buffer takes its first gradient), one it takes out of use is dropped. The only allocation is
 * of such a buffer. On error o is unchanged. */
nn_status nn_optimizer_set_params(nn_optimizer *o, const nn_opt_params *p, nn_error *err);
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

#define NN_SCHED_MAX_PARAMS 4
/* One row per schedule (optimizer.c): its parameters (fields of nn_schedule) with defaults and its
 * learning rate for an epoch. */
typedef struct {
    const char *name;     /* "constant", "step", "exponential", "cosine" */
    nn_sched_kind id;
    const char *formula;  /* for `nnterm keys --markdown` (the README) */
    int n_params;
    nn_param params[NN_SCHED_MAX_PARAMS];
    double (*lr)(const nn_schedule *s, double base_lr, int epoch, int run_epochs);
} nn_sched_info;

extern const nn_sched_info nn_sched_table[NN_SCHED_COUNT];
int nn_sched_from_name(const char *name);  /* -1 if unknown */
/* Fills *s with kind's defaults (fields it does not take: the first row's that does). */
void nn_sched_defaults(nn_schedule *s, nn_sched_kind kind);
/* True if kind takes the field of nn_schedule at offset off. */
bool nn_sched_takes(nn_sched_kind kind, size_t off);

/* Learning rate for 0-based epoch of a run of run_epochs epochs. step: base*gamma^floor(e/step_size);
 * exponential: base*gamma^e; cosine: eta_min + (base - eta_min)(1 + cos(pi*e/T))/2 (torch's closed
 * form) with T = t_max, or T = run_epochs when t_max is 0 (CosineAnnealingLR(T_max=epochs)). */
double nn_schedule_lr(const nn_schedule *s, double base_lr, int epoch, int run_epochs);

#endif
