/* inspect.c — a trainer looked at between batches (see inspect.h). */
#include "inspect.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

nn_status nn_step_meter_init(nn_step_meter *m, const nn_trainer *t, nn_error *err)
{
    size_t np = nn_trainer_network(t)->n_params;
    m->n_params = np;
    m->t = -1;
    m->lr = 0.0;
    m->kept = false;
    m->prev = malloc((np > 0 ? np : 1) * sizeof *m->prev);
    if (!m->prev)
        return nn_error_set(err, NN_ENOMEM, "out of memory for the health measurement");
    return NN_OK;
}

void nn_step_meter_free(nn_step_meter *m)
{
    free(m->prev);
    m->prev = NULL;
    m->n_params = 0;
}

void nn_step_meter_before(nn_step_meter *m, const nn_trainer *t)
{
    memcpy(m->prev, nn_trainer_network(t)->params, m->n_params * sizeof *m->prev);
    nn_trainer_progress pr;
    nn_trainer_progress_get(t, &pr);
    m->t = nn_trainer_optimizer(t)->t;
    m->lr = pr.lr;
    m->kept = false;   /* until the step is measured */
}

void nn_step_meter_after(nn_step_meter *m, nn_trainer *t, bool epoch_ended, nn_health *h)
{
    const float *prev = m->prev;
    if (epoch_ended) {
        nn_trainer_progress pr;
        nn_trainer_progress_get(t, &pr);
        nn_trainer_forward_last_batch(t);
        if (pr.state == NN_TRAINER_DONE && pr.best_epoch > 0 && pr.best_epoch != pr.epoch)
            prev = NULL;
    }
    nn_health_compute(h, nn_trainer_network(t), prev);
    m->kept = prev != NULL;
}

nn_status nn_inspect_sample(nn_health_trace *tr, nn_trainer *t, int k, int layer, int i, int j, nn_sample_step *out,
                            nn_error *err)
{
    memset(out, 0, sizeof *out);
    const nn_split *sp = nn_trainer_split(t);
    if (k < 0 || k >= sp->n_train)
        return nn_error_set(err, NN_EINVAL, "training row %d is out of range (0..%d)", k, sp->n_train - 1);
    int row = nn_trainer_sample_row(t, k);
    nn_status st = nn_health_trace_sample(tr, t, row, err);
    if (st != NN_OK)
        return st;
    const nn_network *net = nn_trainer_network(t);
    double g = nn_health_trace_grad(tr, layer, i, j);
    double pen = 0.0;
    if (isfinite(g)) {
        /* the parameter's value, for the penalty term (explain_step checks the ranges again) */
        const nn_layer *L = &net->layers[layer];
        size_t at = i == NN_HEALTH_BIAS ? L->b_off + (size_t)j : L->w_off + (size_t)i * (size_t)L->out + (size_t)j;
        const nn_preset_training *tp = &nn_trainer_preset(t)->training;
        pen = nn_health_penalty_grad(tp->reg, tp->lambda, tp->r, (double)net->params[at], i == NN_HEALTH_BIAS);
    }
    nn_trainer_progress pr;
    nn_trainer_progress_get(t, &pr);
    st = nn_health_explain_step(&out->step, net, nn_trainer_optimizer(t), pr.lr, layer, i, j, g + pen, err);
    if (st != NN_OK) {
        memset(out, 0, sizeof *out);
        return st;
    }
    const nn_dataset *d = nn_trainer_data(t);
    out->row = row;
    out->label = d->task == NN_TASK_CLASSIFICATION && d->label ? d->label[row] : -1;
    out->grad = g;
    out->penalty_grad = pen;
    out->batch_grad = pr.samples_seen > 0 ? (double)net->grads[out->step.index] : (double)NAN;
    return NN_OK;
}

void nn_inspect_last_step(const nn_step_meter *m, const nn_trainer *t, nn_sample_step *out)
{
    const nn_network *net = nn_trainer_network(t);
    size_t at = out->step.index;
    out->last_kept = m->prev && m->kept && m->t + 1 == nn_trainer_optimizer(t)->t && at < m->n_params &&
                     at < net->n_params && !isnan(out->batch_grad);
    out->last_w_before = out->last_kept ? (double)m->prev[at] : (double)NAN;
    out->last_w_after = out->last_kept ? (double)net->params[at] : (double)NAN;
    out->last_lr = out->last_kept ? m->lr : (double)NAN;
}
