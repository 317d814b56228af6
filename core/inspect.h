/* inspect.h — a trainer looked at between batches, for the teaching views: the health of one
 * training step (measured right after it, with the update it made), and the step-through of one
 * training sample with what the optimizer would do to one of its parameters. Nothing here changes
 * the weights, the optimizer or the run; call from the thread that owns the trainer. */
#ifndef NN_INSPECT_H
#define NN_INSPECT_H

#include "error.h"
#include "explain.h"
#include "health.h"
#include "trace.h"
#include "trainer.h"

#include <stdbool.h>

/* The health of a step: the parameters before it (for the update ratio), then the statistics of the
 * network right after it. */
typedef struct {
    float *prev;             /* (n_params) the parameters before the measured step */
    size_t n_params;
    long t;                  /* the optimizer's steps before the measured step */
    double lr;               /* the learning rate of the measured step */
    bool kept;               /* prev holds the parameters right before the step that made the current
                                ones (false before a measurement, and when early stopping put the best
                                weights back) */
} nn_step_meter;

/* Sized for t's network. NN_ENOMEM (err set) without memory. */
nn_status nn_step_meter_init(nn_step_meter *m, const nn_trainer *t, nn_error *err);
void nn_step_meter_free(nn_step_meter *m);   /* zeroed is fine; idempotent */
/* Right before the nn_trainer_step to measure: keeps the parameters. */
void nn_step_meter_before(nn_step_meter *m, const nn_trainer *t);
/* Right after it: h from the network. When that step ended an epoch, the evaluation has
 * overwritten the forward workspace: the epoch's last batch (training rows, the new weights, no
 * dropout) is passed forward again and the activation statistics come from that pass; and when
 * early stopping put the best weights back, the parameters are not the step's update (update ratio
 * NAN). The gradient statistics are the step's own. */
void nn_step_meter_after(nn_step_meter *m, nn_trainer *t, bool epoch_ended, nn_health *h);

/* The step-through of training row k (0..n_train-1) and parameter W[i][j] of layer (b[j] with
 * i = NN_HEALTH_BIAS), with the current weights. */
typedef struct {
    int row;                 /* its dataset row */
    int label;               /* its class (classification), else -1 */
    double grad;             /* this sample's dL/dW[i][j] (dL/db[j]) */
    double penalty_grad;     /* the regularisation term of the gradient (0 for a bias or without
                                regularisation) */
    double batch_grad;       /* the parameter's gradient in the last training batch (penalty and
                                clipping included); NAN before the first batch of the run */
    nn_health_step step;     /* the optimizer's next step with gradient grad + penalty_grad: a what-if,
                                as if the batch were this one sample */
    /* the real last step of the parameter (nn_inspect_last_step): with the batch's mean gradient
     * batch_grad it went from last_w_before to last_w_after at learning rate last_lr */
    bool last_kept;          /* false: the step was not measured (only batch_grad is known) */
    double last_w_before, last_w_after, last_lr;
} nn_sample_step;

/* Runs the sample through tr (sized for t's network by nn_health_trace_init) and fills out.
 * NN_EINVAL with a message ("training row 500 is out of range (0..119)", a parameter out of range)
 * otherwise. */
nn_status nn_inspect_sample(nn_health_trace *tr, nn_trainer *t, int k, int layer, int i, int j, nn_sample_step *out,
                            nn_error *err);
/* The real last step of out's parameter (after nn_inspect_sample filled out): its value before and
 * after, when m measured the step that made the current weights (m->t + 1 optimizer steps taken
 * and m->kept); else out->last_kept is false. */
void nn_inspect_last_step(const nn_step_meter *m, const nn_trainer *t, nn_sample_step *out);

#endif
