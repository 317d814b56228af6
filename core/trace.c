/* trace.c — the step-through of one sample, in double. It deliberately does not call network.c or
 * the engine's float activations: it is a second, plain implementation (one sample, one loop per
 * formula, the activations' double references from their rows), so the tests can use it as an
 * independent check of the batched engine. */
#include "trace.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// --- step-through: one sample in double ------------------------------------------------------------

nn_status nn_health_trace_init(nn_health_trace *tr, const nn_network *net, nn_error *err)
{
    memset(tr, 0, sizeof *tr);
    tr->sample = -1;
    if (net->n_layers <= 0 || net->n_layers > NN_MAX_LAYERS || net->n_inputs <= 0)
        return nn_error_set(err, NN_EINVAL, "health: the network has %d layers and %d inputs", net->n_layers,
                            net->n_inputs);
    tr->n_inputs = net->n_inputs;
    tr->n_layers = net->n_layers;
    size_t total = (size_t)net->n_inputs;   /* x */
    int widest = net->n_inputs;
    for (int l = 0; l < net->n_layers; l++) {
        const nn_layer *L = &net->layers[l];
        tr->in[l] = L->in;
        tr->out[l] = L->out;
        tr->act[l] = L->act;
        tr->alpha[l] = L->alpha;
        total += 3 * (size_t)L->out;        /* z, a, delta */
        widest = L->out > widest ? L->out : widest;
    }
    const int outputs = net->layers[net->n_layers - 1].out;
    total += (size_t)outputs + (size_t)widest;          /* y, da */
    size_t floats = (size_t)net->n_inputs + (size_t)outputs;
    size_t bytes = total * sizeof(double) + floats * sizeof(float);
    tr->buf = malloc(bytes);
    if (!tr->buf)
        return nn_error_set(err, NN_ENOMEM, "health: cannot allocate the step-through (%zu bytes)", bytes);
    double *p = tr->buf;
    tr->x = p;
    p += net->n_inputs;
    for (int l = 0; l < net->n_layers; l++) {
        tr->z[l] = p;
        p += tr->out[l];
        tr->a[l] = p;
        p += tr->out[l];
        tr->delta[l] = p;
        p += tr->out[l];
    }
    tr->y = p;
    p += outputs;
    tr->da = p;
    p += widest;
    tr->xf = (float *)p;              /* the float tail after the doubles: alignment is fine */
    tr->yf = tr->xf + net->n_inputs;
    memset(tr->buf, 0, bytes);
    return NN_OK;
}

void nn_health_trace_free(nn_health_trace *tr)
{
    if (!tr)
        return;
    free(tr->buf);
    memset(tr, 0, sizeof *tr);
    tr->sample = -1;
}

static int shape_matches(const nn_health_trace *tr, const nn_network *net)
{
    if (!tr->buf || tr->n_layers != net->n_layers || tr->n_inputs != net->n_inputs || !net->params)
        return 0;
    for (int l = 0; l < net->n_layers; l++)
        if (tr->in[l] != net->layers[l].in || tr->out[l] != net->layers[l].out)
            return 0;
    return 1;
}

nn_status nn_health_trace_run(nn_health_trace *tr, const nn_network *net, const float *x, const float *y,
                              nn_loss loss, nn_error *err)
{
    if (!shape_matches(tr, net))
        return nn_error_set(err, NN_EINVAL,
                            "health: the step-through was sized for another network; init it again");
    if ((int)loss < 0 || loss >= NN_LOSS_COUNT)
        return nn_error_set(err, NN_EINVAL, "health: unknown loss %d", (int)loss);
    const int nl = tr->n_layers, outputs = tr->out[nl - 1];
    for (int i = 0; i < tr->n_inputs; i++)
        tr->x[i] = (double)x[i];
    for (int j = 0; j < outputs; j++)
        tr->y[j] = (double)y[j];
    /* for layer l, z_j = b_j + sum_i a_prev_i W[i][j]: W (in, out) row-major, then b */
    for (int l = 0; l < nl; l++) {
        const nn_layer *L = &net->layers[l];
        const float *W = net->params + L->w_off, *b = net->params + L->b_off;
        const double *prev = l == 0 ? tr->x : tr->a[l - 1];
        for (int j = 0; j < L->out; j++) {
            double s = (double)b[j];
            for (int i = 0; i < L->in; i++)
                s += prev[i] * (double)W[(size_t)i * L->out + j];
            tr->z[l][j] = s;
        }
        nn_act_table[L->act].ref_forward((double)L->alpha, tr->a[l], tr->z[l], L->out);
    }
    /* output delta: fused a - y for softmax+CE and sigmoid+BCE (as network.c), else chain rule */
    const nn_layer *top = &net->layers[nl - 1];
    tr->loss_value = nn_loss_table[loss].ref(tr->da, tr->a[nl - 1], tr->y, outputs);
    if (nn_loss_is_fused(loss, top->act)) {
        /* the loss as the trainer reports it: from z, unclamped (nn_loss_value_out) */
        tr->loss_value = nn_loss_table[loss].fused_ref(tr->z[nl - 1], tr->y, outputs);
        for (int j = 0; j < outputs; j++)
            tr->delta[nl - 1][j] = tr->a[nl - 1][j] - tr->y[j];
    } else {
        nn_act_table[top->act].ref_backward((double)top->alpha, tr->delta[nl - 1], tr->da, tr->z[nl - 1],
                                            tr->a[nl - 1], outputs);
    }
    /* hidden deltas: da_prev_i = sum_j W[i][j] delta_j, then times f'(z_prev) */
    for (int l = nl - 1; l >= 1; l--) {
        const nn_layer *L = &net->layers[l], *P = &net->layers[l - 1];
        const float *W = net->params + L->w_off;
        for (int i = 0; i < L->in; i++) {
            double s = 0.0;
            for (int j = 0; j < L->out; j++)
                s += (double)W[(size_t)i * L->out + j] * tr->delta[l][j];
            tr->da[i] = s;
        }
        nn_act_table[P->act].ref_backward((double)P->alpha, tr->delta[l - 1], tr->da, tr->z[l - 1], tr->a[l - 1],
                                          P->out);
    }
    tr->loss = loss;
    tr->sample = -1;
    tr->has_run = 1;
    return NN_OK;
}

nn_status nn_health_trace_sample(nn_health_trace *tr, const nn_trainer *t, int row, nn_error *err)
{
    if (row < 0 || row >= t->data.n)
        return nn_error_set(err, NN_EINVAL, "health: sample %d is out of range (0..%d)", row, t->data.n - 1);
    if (!shape_matches(tr, &t->net))
        return nn_error_set(err, NN_EINVAL,
                            "health: the step-through was sized for another network; init it again");
    uint32_t idx = (uint32_t)row;
    nn_gather(tr->xf, tr->yf, t->outputs, &t->data, &t->norm, &idx, 1);
    nn_status st = nn_health_trace_run(tr, &t->net, tr->xf, tr->yf, t->loss, err);
    if (st == NN_OK)
        tr->sample = row;
    return st;
}

double nn_health_trace_grad(const nn_health_trace *tr, int layer, int i, int j)
{
    if (!tr->has_run || layer < 0 || layer >= tr->n_layers || j < 0 || j >= tr->out[layer])
        return NAN;
    if (i == NN_HEALTH_BIAS)
        return tr->delta[layer][j];
    if (i < 0 || i >= tr->in[layer])
        return NAN;
    const double *prev = layer == 0 ? tr->x : tr->a[layer - 1];
    return prev[i] * tr->delta[layer][j];
}

double nn_health_penalty_grad(nn_reg reg, double lambda, double r, double w, int is_bias)
{
    if (is_bias || lambda == 0.0)
        return 0.0;
    double sign = w > 0.0 ? 1.0 : (w < 0.0 ? -1.0 : 0.0);
    switch (reg) {
    case NN_REG_L1: return lambda * sign;
    case NN_REG_L2: return lambda * w;
    case NN_REG_ELASTICNET: return lambda * (r * sign + (1.0 - r) * w);
    case NN_REG_NONE:
    case NN_REG_COUNT:
        break;
    }
    return 0.0;
}
