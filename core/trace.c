/* trace.c — the step-through of one sample, in double. It deliberately does not call network.c or
 * activation.c: it is a second, plain implementation (one sample, one loop per formula), so the
 * tests can use it as an independent check of the batched engine. */
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

static double sigmoid_d(double z)
{
    double e = exp(-fabs(z));
    double s = 1.0 / (1.0 + e);
    return z >= 0.0 ? s : e * s;
}

/* a = f(z) for one vector of n values. */
static void act_forward_d(nn_act act, double alpha, double *a, const double *z, int n)
{
    if (act == NN_ACT_SOFTMAX) {
        double m = z[0], sum = 0.0;
        for (int j = 1; j < n; j++)
            m = z[j] > m ? z[j] : m;
        for (int j = 0; j < n; j++) {
            a[j] = exp(z[j] - m);
            sum += a[j];
        }
        for (int j = 0; j < n; j++)
            a[j] /= sum;
        return;
    }
    for (int j = 0; j < n; j++) {
        double v = z[j];
        switch (act) {
        case NN_ACT_SIGMOID: a[j] = sigmoid_d(v); break;
        case NN_ACT_TANH: a[j] = tanh(v); break;
        case NN_ACT_RELU: a[j] = v > 0.0 ? v : 0.0; break;
        case NN_ACT_LEAKY_RELU: a[j] = v > 0.0 ? v : alpha * v; break;
        case NN_ACT_ELU: a[j] = v > 0.0 ? v : alpha * expm1(v); break;
        case NN_ACT_GELU: a[j] = 0.5 * v * (1.0 + erf(v / sqrt(2.0))); break;
        case NN_ACT_SWISH: a[j] = v * sigmoid_d(v); break;
        case NN_ACT_SOFTPLUS: a[j] = (v > 0.0 ? v : 0.0) + log1p(exp(-fabs(v))); break;
        case NN_ACT_LINEAR:
        case NN_ACT_SOFTMAX:
        case NN_ACT_COUNT:
        default: a[j] = v; break;
        }
    }
}

/* dz = da * f'(z) for one vector (softmax: the Jacobian-vector product). dz may alias da. */
static void act_backward_d(nn_act act, double alpha, double *dz, const double *da, const double *z,
                           const double *a, int n)
{
    if (act == NN_ACT_SOFTMAX) {
        double dot = 0.0;
        for (int j = 0; j < n; j++)
            dot += da[j] * a[j];
        for (int j = 0; j < n; j++)
            dz[j] = a[j] * (da[j] - dot);
        return;
    }
    for (int j = 0; j < n; j++) {
        double v = z[j], d;
        switch (act) {
        case NN_ACT_SIGMOID: d = a[j] * (1.0 - a[j]); break;
        case NN_ACT_TANH: d = 1.0 - a[j] * a[j]; break;
        case NN_ACT_RELU: d = v > 0.0 ? 1.0 : 0.0; break;
        case NN_ACT_LEAKY_RELU: d = v > 0.0 ? 1.0 : alpha; break;
        case NN_ACT_ELU: d = v > 0.0 ? 1.0 : alpha * exp(v); break;
        case NN_ACT_GELU:
            d = 0.5 * (1.0 + erf(v / sqrt(2.0))) + v * exp(-0.5 * v * v) / sqrt(2.0 * 3.14159265358979323846);
            break;
        case NN_ACT_SWISH: {
            double s = sigmoid_d(v);
            d = s + v * s * (1.0 - s);
            break;
        }
        case NN_ACT_SOFTPLUS: d = sigmoid_d(v); break;
        case NN_ACT_LINEAR:
        case NN_ACT_SOFTMAX:
        case NN_ACT_COUNT:
        default: d = 1.0; break;
        }
        dz[j] = da[j] * d;
    }
}

static double clamp_p(double p)
{
    if (!(p >= NN_LOSS_EPS))
        p = NN_LOSS_EPS;
    if (p > 1.0 - NN_LOSS_EPS)
        p = 1.0 - NN_LOSS_EPS;
    return p;
}

/* One sample's loss of a fused pair from its pre-activations z: softmax + crossentropy
 * sum_j y_j (logsumexp(z) - z_j), sigmoid + binarycrossentropy sum_j max(z, 0) - y z + log1p(exp(-|z|)). */
static double fused_loss_d(nn_loss loss, const double *z, const double *y, int n)
{
    double s = 0.0;
    if (loss == NN_LOSS_CE) {
        double m = z[0], e = 0.0;
        for (int j = 1; j < n; j++)
            m = z[j] > m ? z[j] : m;
        for (int j = 0; j < n; j++)
            e += exp(z[j] - m);
        double lse = m + log(e);
        for (int j = 0; j < n; j++)
            if (y[j] != 0.0)
                s += y[j] * (lse - z[j]);
        return s;
    }
    for (int j = 0; j < n; j++)
        s += (z[j] > 0.0 ? z[j] : 0.0) - y[j] * z[j] + log1p(exp(-fabs(z[j])));
    return s;
}

/* The per-sample loss of yhat against y (n outputs) and, into g, dL/dyhat. */
static double loss_d(nn_loss loss, double *g, const double *yhat, const double *y, int n)
{
    double s = 0.0;
    switch (loss) {
    case NN_LOSS_MAE:
        for (int j = 0; j < n; j++) {
            double d = yhat[j] - y[j];
            s += fabs(d);
            g[j] = d > 0.0 ? 1.0 : (d < 0.0 ? -1.0 : 0.0);
        }
        return s;
    case NN_LOSS_MSE:
    case NN_LOSS_RMSE:
        for (int j = 0; j < n; j++) {
            double d = yhat[j] - y[j];
            s += d * d;
            g[j] = 2.0 * d;
        }
        if (loss == NN_LOSS_MSE)
            return s;
        /* d sqrt(m) = dm / (2 sqrt(m)); 0 when m = 0 */
        for (int j = 0; j < n; j++)
            g[j] = s > 0.0 ? g[j] / (2.0 * sqrt(s)) : 0.0;
        return sqrt(s);
    case NN_LOSS_BCE:
        for (int j = 0; j < n; j++) {
            double p = clamp_p(yhat[j]);
            s -= y[j] * log(p) + (1.0 - y[j]) * log(1.0 - p);
            g[j] = (p - y[j]) / (p * (1.0 - p));
        }
        return s;
    case NN_LOSS_CE:
        for (int j = 0; j < n; j++) {
            double p = clamp_p(yhat[j]);
            if (y[j] != 0.0)
                s -= y[j] * log(p);
            g[j] = -y[j] / p;
        }
        return s;
    case NN_LOSS_COUNT:
        break;
    }
    for (int j = 0; j < n; j++)
        g[j] = 0.0;
    return 0.0;
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
        act_forward_d(L->act, (double)L->alpha, tr->a[l], tr->z[l], L->out);
    }
    /* output delta: fused a - y for softmax+CE and sigmoid+BCE (as network.c), else chain rule */
    const nn_layer *top = &net->layers[nl - 1];
    tr->loss_value = loss_d(loss, tr->da, tr->a[nl - 1], tr->y, outputs);
    if (nn_loss_is_fused(loss, top->act)) {
        /* the loss as the trainer reports it: from z, unclamped (nn_loss_value_out) */
        tr->loss_value = fused_loss_d(loss, tr->z[nl - 1], tr->y, outputs);
        for (int j = 0; j < outputs; j++)
            tr->delta[nl - 1][j] = tr->a[nl - 1][j] - tr->y[j];
    } else {
        act_backward_d(top->act, (double)top->alpha, tr->delta[nl - 1], tr->da, tr->z[nl - 1], tr->a[nl - 1],
                       outputs);
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
        act_backward_d(P->act, (double)P->alpha, tr->delta[l - 1], tr->da, tr->z[l - 1], tr->a[l - 1], P->out);
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
