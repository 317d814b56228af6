/* health.c — per-layer health statistics (norms, update ratios, dead and saturated units,
 * activation spread) and their warnings in plain words, and the per-epoch ring. Everything is
 * computed in double. The step-through of one sample is trace.c; the optimizer step written out
 * is explain.c. */
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

    const nn_act_info *row = &nn_act_table[L->act];
    if (row->can_die) {
        int dead = 0;
        for (int j = 0; j < out; j++) {
            int r = 0;
            while (r < rows && L->z[(size_t)r * out + j] <= 0.0f)
                r++;
            dead += r == rows;
        }
        hl->dead_share = (double)dead / (double)out;
    } else if (row->saturates) {
        const float hi = (float)row->sat_hi, lo = (float)row->sat_lo;
        size_t sat = 0;
        for (size_t k = 0; k < n; k++) {
            float v = L->a[k];
            sat += v < lo || v > hi;
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
            const char *what = (int)L->act >= 0 && L->act < NN_ACT_COUNT ? nn_act_table[L->act].dead_warning : NULL;
            warn(&w, "layer %d: %s of %s", l + 1, a, what ? what : "units are dead: lower the learning rate");
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
