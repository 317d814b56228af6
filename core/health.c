/* health.c — per-layer health statistics and warnings, the per-epoch ring, and the step-through
 * of one sample. Everything is computed in double. The step-through deliberately does not call
 * network.c or activation.c: it is a second, plain implementation (one sample, one loop per
 * formula), so the tests can use it as an independent check of the batched engine. */
#include "health.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// --- health statistics ---------------------------------------------------------------------------

static double norm2(const float *v, size_t n)
{
    double s = 0.0;
    for (size_t k = 0; k < n; k++)
        s += (double)v[k] * (double)v[k];
    return sqrt(s);
}

static double diff_norm2(const float *a, const float *b, size_t n)
{
    double s = 0.0;
    for (size_t k = 0; k < n; k++) {
        double d = (double)a[k] - (double)b[k];
        s += d * d;
    }
    return sqrt(s);
}

void nn_health_block_mean_std(const float *a, int rows, int ld, int j0, int j1, double *mean, double *sd)
{
    *mean = *sd = 0.0;
    if (rows <= 0 || j1 <= j0)
        return;
    double sum = 0.0, sq = 0.0, n = (double)rows * (double)(j1 - j0);
    for (int r = 0; r < rows; r++)
        for (int j = j0; j < j1; j++)
            sum += (double)a[(size_t)r * (size_t)ld + (size_t)j];
    double m = sum / n;
    for (int r = 0; r < rows; r++)
        for (int j = j0; j < j1; j++) {
            double d = (double)a[(size_t)r * (size_t)ld + (size_t)j] - m;
            sq += d * d;
        }
    *mean = m;
    *sd = sqrt(sq / n);
}

/* Dead share, saturated share, mean and std of one layer over rows of its z/a workspace. */
static void activation_stats(nn_health_layer *hl, const nn_layer *L, int rows)
{
    hl->dead_share = NAN;
    hl->saturated_share = NAN;
    hl->act_mean = NAN;
    hl->act_std = NAN;
    if (rows <= 0 || !L->z || !L->a || L->out <= 0)
        return;
    const int out = L->out;
    const size_t n = (size_t)rows * (size_t)out;
    nn_health_block_mean_std(L->a, rows, out, 0, out, &hl->act_mean, &hl->act_std);

    if (L->act == NN_ACT_RELU || L->act == NN_ACT_LEAKY_RELU) {
        int dead = 0;
        for (int j = 0; j < out; j++) {
            int r = 0;
            while (r < rows && L->z[(size_t)r * out + j] <= 0.0f)
                r++;
            dead += r == rows;
        }
        hl->dead_share = (double)dead / (double)out;
    } else if (L->act == NN_ACT_SIGMOID || L->act == NN_ACT_TANH) {
        const float hi = (float)NN_HEALTH_SAT_EDGE, lo = (float)(1.0 - NN_HEALTH_SAT_EDGE);
        size_t sat = 0;
        for (size_t k = 0; k < n; k++) {
            float v = L->a[k];
            sat += L->act == NN_ACT_TANH ? fabsf(v) > hi : (v < lo || v > hi);
        }
        hl->saturated_share = (double)sat / (double)n;
    }
}

void nn_health_compute(nn_health *h, const nn_network *net, const float *prev_params)
{
    memset(h, 0, sizeof *h);
    h->n_layers = net->n_layers;
    h->rows = net->last_rows;
    for (int l = 0; l < net->n_layers; l++) {
        const nn_layer *L = &net->layers[l];
        nn_health_layer *hl = &h->layer[l];
        const size_t nw = (size_t)L->in * (size_t)L->out;
        hl->in = L->in;
        hl->out = L->out;
        hl->act = L->act;
        hl->weight_norm = net->params ? norm2(net->params + L->w_off, nw) : (double)NAN;
        hl->grad_norm = net->grads ? norm2(net->grads + L->w_off, nw) : (double)NAN;
        hl->update_ratio = NAN;
        if (prev_params && net->params) {
            double d = diff_norm2(net->params + L->w_off, prev_params + L->w_off, nw);
            hl->update_ratio = hl->weight_norm > 0.0 ? d / hl->weight_norm : (d > 0.0 ? (double)INFINITY : 0.0);
        }
        activation_stats(hl, L, net->last_rows);
    }
}

/* "1e-7", "3.2e-6": %.1e without the ".0" and the exponent's leading zeros. */
static void sci(char *out, size_t len, double x)
{
    if (x == 0.0) {
        snprintf(out, len, "0");
        return;
    }
    char t[32];
    snprintf(t, sizeof t, "%.1e", x);
    char *e = strchr(t, 'e');
    if (!e) {
        snprintf(out, len, "%s", t);
        return;
    }
    char mant[16];
    size_t ml = (size_t)(e - t) < sizeof mant - 1 ? (size_t)(e - t) : sizeof mant - 1;
    memcpy(mant, t, ml);
    mant[ml] = 0;
    if (ml >= 2 && strcmp(mant + ml - 2, ".0") == 0)
        mant[ml - 2] = 0;
    int ex = atoi(e + 1);
    snprintf(out, len, "%se%d", mant, ex);
}

static void pct(char *out, size_t len, double share)
{
    double p = 100.0 * share;
    snprintf(out, len, p >= 10.0 || p == 0.0 ? "%.0f%%" : "%.1f%%", p);
}

typedef struct {
    char (*out)[NN_HEALTH_WARN_LEN];
    int max, n;
} warn_list;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void warn(warn_list *w, const char *fmt, ...)
{
    if (w->n >= w->max)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->out[w->n], NN_HEALTH_WARN_LEN, fmt, ap);
    va_end(ap);
    w->n++;
}

/* "1-5" for a run of layers, else "1, 3, 4" (1-based), from the flags in vanish[0..n). */
static void layer_list(char *out, size_t len, const int *vanish, int n)
{
    int first = -1, last = -1, count = 0;
    for (int l = 0; l < n; l++)
        if (vanish[l]) {
            first = first < 0 ? l : first;
            last = l;
            count++;
        }
    if (count > 2 && last - first + 1 == count) {
        snprintf(out, len, "%d-%d", first + 1, last + 1);
        return;
    }
    size_t used = 0;
    out[0] = 0;
    for (int l = 0; l < n && used < len; l++)
        if (vanish[l]) {
            int k = snprintf(out + used, len - used, used ? ", %d" : "%d", l + 1);
            used += k > 0 ? (size_t)k : 0;
        }
}

int nn_health_warnings(const nn_health *h, char (*out)[NN_HEALTH_WARN_LEN], int max)
{
    warn_list w = {out, out ? max : 0, 0};
    const int nl = h->n_layers < NN_MAX_LAYERS ? h->n_layers : NN_MAX_LAYERS;
    if (nl <= 0)
        return 0;
    char a[32], b[32], c[64];

    /* units: dead ReLUs and saturated sigmoid/tanh in hidden layers */
    for (int l = 0; l < nl - 1; l++) {
        const nn_health_layer *L = &h->layer[l];
        if (L->dead_share >= NN_HEALTH_DEAD_WARN) {
            pct(a, sizeof a, L->dead_share);
            if (L->act == NN_ACT_RELU)
                warn(&w, "layer %d: %s of ReLUs are dead: lower the learning rate or try leaky_relu", l + 1, a);
            else
                warn(&w, "layer %d: %s of leaky ReLUs only get negative inputs: lower the learning rate", l + 1,
                     a);
        }
        if (L->saturated_share >= NN_HEALTH_SAT_WARN) {
            pct(a, sizeof a, L->saturated_share);
            warn(&w, "layer %d: %s of %s units are saturated: gradients vanish; try relu or a smaller init",
                 l + 1, a, nn_act_name(L->act));
        }
    }

    /* gradients: flat at the output, vanishing on the way back, or exploding */
    const nn_health_layer *top = &h->layer[nl - 1];
    double max_grad = 0.0;
    int max_layer = -1;
    for (int l = 0; l < nl; l++)
        if (isfinite(h->layer[l].grad_norm) && h->layer[l].grad_norm > max_grad) {
            max_grad = h->layer[l].grad_norm;
            max_layer = l;
        }
    const int flat = isfinite(top->grad_norm) && top->grad_norm < NN_HEALTH_TINY_GRAD;
    if (flat) {
        sci(a, sizeof a, top->grad_norm);
        warn(&w,
             "layer %d (output): gradient norm %s: the loss is flat on this batch; if the loss is still high, "
             "the units are stuck (lower the learning rate)",
             nl, a);
    } else {
        int vanish[NN_MAX_LAYERS] = {0}, nv = 0, only = -1;
        double lo = INFINITY, hi = 0.0;
        for (int l = 0; l < nl - 1; l++) {
            double g = h->layer[l].grad_norm;
            if (isfinite(g) && (g < NN_HEALTH_TINY_GRAD || g < NN_HEALTH_VANISH_RATIO * max_grad)) {
                vanish[l] = 1;
                nv++;
                only = l;
                lo = g < lo ? g : lo;
                hi = g > hi ? g : hi;
            }
        }
        sci(b, sizeof b, max_grad);
        if (nv == 1 && h->layer[only].grad_norm < NN_HEALTH_TINY_GRAD) {
            sci(a, sizeof a, lo);
            warn(&w, "layer %d: gradient norm %s is tiny: gradients vanish (deep sigmoid layers?)", only + 1, a);
        } else if (nv == 1) {
            sci(a, sizeof a, lo);
            warn(&w, "layer %d: gradient norm %s is under 1%% of layer %d's (%s): gradients vanish on the way back",
                 only + 1, a, max_layer + 1, b);
        } else if (nv > 1) {
            layer_list(c, sizeof c, vanish, nl - 1);
            sci(a, sizeof a, lo);
            char d[32];
            sci(d, sizeof d, hi);
            warn(&w,
                 "layers %s: gradient norms %s to %s, layer %d's %s: gradients vanish on the way back (deep "
                 "sigmoid layers?)",
                 c, a, d, max_layer + 1, b);
        }
    }
    for (int l = 0; l < nl; l++)
        if (h->layer[l].grad_norm > NN_HEALTH_HUGE_GRAD) {
            sci(a, sizeof a, h->layer[l].grad_norm);
            warn(&w, "layer %d: gradient norm %s is huge: gradients explode; lower the learning rate or set "
                     "training.clip_norm",
                 l + 1, a);
        }

    /* updates: too large for the weights, or too small while the gradient is not */
    double max_ratio = -1.0;
    int finite_ratios = 0;
    for (int l = 0; l < nl; l++) {
        double r = h->layer[l].update_ratio;
        if (isfinite(r)) {
            finite_ratios++;
            max_ratio = r > max_ratio ? r : max_ratio;
        }
        if (r >= NN_HEALTH_HIGH_UPDATE) {   /* INFINITY too; NAN compares false */
            pct(a, sizeof a, r);
            if (isfinite(r))
                warn(&w, "layer %d: updates are %s of the weights per step: the learning rate is too high", l + 1,
                     a);
            else
                warn(&w, "layer %d: the weights were all zero and moved: the learning rate is too high", l + 1);
        }
    }
    if (finite_ratios > 0 && max_ratio < NN_HEALTH_LOW_UPDATE && max_grad >= NN_HEALTH_TINY_GRAD) {
        sci(a, sizeof a, max_ratio);
        warn(&w, "updates are %s of the weights: the learning rate is too low", a);
    }
    return w.n;
}

void nn_health_history_clear(nn_health_history *hist)
{
    hist->len = 0;
    hist->head = 0;
}

void nn_health_history_push(nn_health_history *hist, const nn_health *h, int epoch)
{
    int slot;
    if (hist->len < NN_HEALTH_HISTORY) {
        slot = (hist->head + hist->len) % NN_HEALTH_HISTORY;
        hist->len++;
    } else {
        slot = hist->head;
        hist->head = (hist->head + 1) % NN_HEALTH_HISTORY;
    }
    nn_health_row *r = &hist->rows[slot];
    memset(r, 0, sizeof *r);
    r->epoch = epoch;
    r->n_layers = h->n_layers < NN_MAX_LAYERS ? h->n_layers : NN_MAX_LAYERS;
    for (int l = 0; l < r->n_layers; l++) {
        const nn_health_layer *L = &h->layer[l];
        r->grad_norm[l] = (float)L->grad_norm;
        r->weight_norm[l] = (float)L->weight_norm;
        r->update_ratio[l] = (float)L->update_ratio;
        r->dead_share[l] = (float)L->dead_share;
        r->saturated_share[l] = (float)L->saturated_share;
        r->act_std[l] = (float)L->act_std;
    }
}

const nn_health_row *nn_health_history_get(const nn_health_history *hist, int i)
{
    if (i < 0 || i >= hist->len)
        return NULL;
    return &hist->rows[(hist->head + i) % NN_HEALTH_HISTORY];
}

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

// --- the optimizer step as a formula -------------------------------------------------------------

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
static void line(nn_health_step *s, const char *fmt, ...)
{
    if (s->n_lines >= NN_HEALTH_STEP_LINES)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->lines[s->n_lines], NN_HEALTH_LINE, fmt, ap);
    va_end(ap);
    s->n_lines++;
}

/* Coupled weight decay: g + wd*w, with its line when wd != 0. */
static double decay_grad(nn_health_step *s, double wd, double w, double g)
{
    if (wd == 0.0)
        return g;
    double ge = g + wd * w;
    line(s, "g ← g + wd·w = %s + %s × %s = %s", V(g).s, H(wd).s, P(w).s, V(ge).s);
    return ge;
}

static void explain_sgd(nn_health_step *s, const nn_opt_params *hp, const float *b)
{
    const double w = s->w, lr = s->lr, mu = hp->momentum;
    double g = decay_grad(s, hp->weight_decay, w, s->g);
    if (!b) {
        s->w_new = w - lr * g;
        line(s, "w ← w − lr·g = %s − %s × %s = %s", V(w).s, H(lr).s, P(g).s, V(s->w_new).s);
        return;
    }
    double bo = s->state[0], bn;
    if (s->t == 1) {
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

static void explain_rmsprop(nn_health_step *s, const nn_opt_params *hp, const nn_optimizer *o)
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

static void explain_adam(nn_health_step *s, const nn_opt_params *hp, const nn_optimizer *o)
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

static void explain_adagrad(nn_health_step *s, const nn_opt_params *hp)
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

static void explain_adadelta(nn_health_step *s, const nn_opt_params *hp)
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

nn_status nn_health_explain_step(nn_health_step *s, const nn_network *net, const nn_optimizer *opt,
                                 double lr, int layer, int i, int j, double g, nn_error *err)
{
    memset(s, 0, sizeof *s);
    if (layer < 0 || layer >= net->n_layers)
        return nn_error_set(err, NN_EINVAL, "health: layer %d is out of range (0..%d)", layer, net->n_layers - 1);
    const nn_layer *L = &net->layers[layer];
    if (j < 0 || j >= L->out || i < NN_HEALTH_BIAS || i >= L->in)
        return nn_error_set(err, NN_EINVAL, "health: weight (%d, %d) of layer %d is out of range (%d x %d)", i, j,
                            layer, L->in, L->out);
    if (!net->params || opt->n != net->n_params)
        return nn_error_set(err, NN_EINVAL, "health: the optimizer has %zu parameters, the network %zu", opt->n,
                            net->n_params);
    s->layer = layer;
    s->i = i;
    s->j = j;
    s->index = i == NN_HEALTH_BIAS ? L->b_off + (size_t)j : L->w_off + (size_t)i * (size_t)L->out + (size_t)j;
    s->kind = opt->p.kind;
    s->t = opt->t + 1;
    s->lr = lr;
    s->w = (double)net->params[s->index];
    s->g = g;
    const float *st[3] = {opt->s1, opt->s2, opt->s3};
    for (int k = 0; k < 3; k++)
        s->state[k] = s->state_new[k] = st[k] ? (double)st[k][s->index] : 0.0;
    switch (opt->p.kind) {
    case NN_OPT_SGD:
        explain_sgd(s, &opt->p, opt->s1);
        break;
    case NN_OPT_RMSPROP:
        explain_rmsprop(s, &opt->p, opt);
        break;
    case NN_OPT_ADAM:
    case NN_OPT_ADAMW:
        explain_adam(s, &opt->p, opt);
        break;
    case NN_OPT_ADAGRAD:
        explain_adagrad(s, &opt->p);
        break;
    case NN_OPT_ADADELTA:
        explain_adadelta(s, &opt->p);
        break;
    case NN_OPT_COUNT:
        return nn_error_set(err, NN_EINVAL, "health: unknown optimizer %d", (int)opt->p.kind);
    }
    return NN_OK;
}
