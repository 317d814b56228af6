/* explain.c — one optimizer step on one parameter, written out as formulas with the numbers filled
 * in. The arithmetic mirrors optimizer.c in double, so w_new is what the step would write. */
#include "explain.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
