/* panel_step.c — the Step view: one training sample through the network (x, then z, a and delta
 * of every layer), the gradient of one selected weight by the chain rule, and the optimizer's
 * update of it written as the formula with the numbers filled in. Recomputed by the worker
 * whenever the run stops, so stepping one batch at a time (S) shows the numbers move. Keys pick
 * the sample ([ ]), the weight's input (Up/Down), neuron (Left/Right) and layer (PgUp/PgDn), and
 * send the selection to the worker (a TRACE intent). */
#include "panel.h"

#include "activation.h"
#include "chart.h"
#include "explain.h"
#include "health.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* v with a negative zero as 0: a number shown is never "-0" */
static double nz(double v)
{
    return v == 0 ? 0.0 : v;
}

/* One vector entry: three significant digits. */
static int entry(char *b, size_t n, bool space, double v)
{
    return snprintf(b, n, "%s%.3g", space ? " " : "", nz(v));
}

/* "name = [v0 v1 v2 ...]" in w columns: an entry is shown whole or not at all, with " ...]" when
 * the vector is longer than what fits. */
static void vec(ui_grid *g, int x, int y, int w, const char *name, const float *v, int n, int true_n, int mark,
                const ui_theme *th)
{
    ui_style lab = ui_st(th, UI_R_LABEL), val = ui_st(th, UI_R_TEXT), sel = ui_st(th, UI_R_WARN);
    int xe = x + w;
    x += ui_text_cols(g, x, y, xe - x, name, lab);
    x += ui_grid_text(g, x, y, xe - x, " [", val);
    for (int i = 0; i < n; i++) {
        char b[24];
        int bw = entry(b, sizeof b, i > 0, (double)v[i]);
        int tail = i < n - 1 || true_n > n ? 5 : 1;   /* room left for " ...]" or "]" */
        if (x + bw + tail > xe) {
            ui_grid_text(g, x, y, xe - x, " ...]", ui_st(th, UI_R_DIM));
            return;
        }
        ui_grid_text(g, x, y, xe - x, b, i == mark ? sel : val);
        x += bw;
    }
    if (true_n > n)
        x += ui_grid_text(g, x, y, xe - x, " ...", ui_st(th, UI_R_DIM));
    ui_grid_text(g, x, y, xe - x, "]", val);
}

/* The real last step of the parameter, beside the what-if below it: the batch's mean gradient and
 * what the step did to the weight. */
static void real_step(ui_grid *g, int x, int y, int w, const ui_trace *t, const ui_theme *th)
{
    ui_style lab = ui_st(th, UI_R_LABEL), val = ui_st(th, UI_R_VALUE), dim = ui_st(th, UI_R_DIM);
    const char *arrow = th->utf8 ? "\xe2\x86\x92" : "->";
    int xe = x + w;
    x += ui_grid_text(g, x, y, w, "real step: ", lab);
    if (isnan(t->batch_grad)) {
        ui_grid_text(g, x, y, xe - x, "none yet (S trains one batch)", dim);
        return;
    }
    /* the long form, then a short one when narrow */
    char b[2][160];
    if (t->last_kept) {
        snprintf(b[0], sizeof b[0], "the batch's mean gradient %.4g, lr %.4g: w %.6g %s %.6g", nz(t->batch_grad),
                 t->last_lr, nz(t->last_w_before), arrow, nz(t->last_w_after));
        snprintf(b[1], sizeof b[1], "batch mean g %.4g, w %.4g %s %.4g", nz(t->batch_grad), nz(t->last_w_before),
                 arrow, nz(t->last_w_after));
        if (ui_text_width(b[1]) > xe - x)
            snprintf(b[1], sizeof b[1], "w %.4g %s %.4g", nz(t->last_w_before), arrow, nz(t->last_w_after));
    } else {
        snprintf(b[0], sizeof b[0], "the last batch's mean gradient %.4g (S shows a step's w before and after)",
                 nz(t->batch_grad));
        if (ui_text_width(b[0]) > xe - x)
            snprintf(b[0], sizeof b[0], "the last batch's mean gradient %.4g", nz(t->batch_grad));
        snprintf(b[1], sizeof b[1], "last batch's mean g %.4g", nz(t->batch_grad));
    }
    const char *pick = ui_text_width(b[0]) <= xe - x ? b[0] : b[1];
    ui_text_cols(g, x, y, xe - x, pick, t->last_kept ? val : dim);
}

void ui_step_panel(ui_grid *g, ui_rect r, const ui_snapshot *s, const ui_views *v, const ui_theme *th)
{
    ui_style dim = ui_st(th, UI_R_DIM), lab = ui_st(th, UI_R_LABEL), val = ui_st(th, UI_R_VALUE);
    ui_style txt = ui_st(th, UI_R_TEXT);
    if (r.w < 20 || r.h < 1)
        return;
    if (s->race.on) {
        ui_grid_wrap(g, r.x, r.y, r.w, r.h, "no step-through during a race", dim);
        return;
    }
    const ui_trace *t = &s->trace;
    int y = r.y, ye = r.y + r.h;
    if (!v->step_on || !t->valid) {
        const char *msg = !v->step_on
                              ? "Step-through: Enter picks a training sample and a weight. [ ] sample, Up/Down input i "
                                "(above 0: the bias), Left/Right neuron j, PgUp/PgDn layer; S trains one batch and "
                                "the numbers follow."
                              : s->state == UI_RUN_RUNNING ? "computed when training stops: Space pauses, S steps one batch"
                                                           : "computing ... (after a new configuration: Enter traces again)";
        ui_grid_wrap(g, r.x, y, r.w, r.h, msg, dim);
        return;
    }
    bool u = th->utf8;
    int x = r.x, xe = r.x + r.w;
    x += ui_grid_printf(g, x, y, r.w, val, "sample %d", t->index);
    x += ui_grid_printf(g, x, y, xe - x, dim, " (row %d)", t->row);
    if (t->label >= 0 && t->label < s->info.k)
        x += ui_grid_printf(g, x, y, xe - x, txt, "  class %s", s->info.class_names[t->label]);
    x += ui_grid_printf(g, x, y, xe - x, txt, "  loss %.4g", nz(t->loss_value));
    ui_grid_printf(g, x, y, xe - x, dim, "  after epoch %d, batch %d", t->epoch, t->batch);
    y++;

    /* the weight's block at the bottom: the sample's gradient (+ the penalty), the real step, the
     * what-if's title and formula */
    int wl = 3 + (t->penalty_grad != 0) + t->step.n_lines;
    int avail = ye - y - wl;           /* lines for the vectors */
    int nl = t->n_layers;
    /* three lines a layer (z, a, delta) when they fit, else a and delta, else a alone */
    int per = 3;
    while (per > 1 && 1 + per * nl > avail)
        per--;
    int L = t->layer;
    int shown = 1 + per * nl <= avail ? nl : avail > 1 ? (avail - 1) / per : 0;
    int l0 = 0;
    if (shown < nl) {
        /* keep the selected layer and the one before it in view */
        l0 = L - 1 < 0 ? 0 : L - 1;
        if (l0 + shown > nl)
            l0 = nl - shown < 0 ? 0 : nl - shown;
    }
    int xn = t->n_inputs < UI_TRACE_VEC ? t->n_inputs : UI_TRACE_VEC;
    if (avail >= 1 && y < ye) {
        vec(g, r.x, y++, r.w, "x", t->x, xn, t->n_inputs, L == 0 ? t->i : -1, th);
    }
    for (int l = l0; l < l0 + shown && l < nl && y + per <= ye - wl; l++) {
        int n = t->out[l] < UI_TRACE_VEC ? t->out[l] : UI_TRACE_VEC;
        char nm[32];
        if (per == 3) {
            snprintf(nm, sizeof nm, "z%d", l + 1);
            vec(g, r.x, y++, r.w, nm, t->z[l], n, t->out[l], l == L ? t->j : -1, th);
        }
        snprintf(nm, sizeof nm, "a%d=%.8s", l + 1, nn_act_name(t->act[l]));
        vec(g, r.x, y++, r.w, nm, t->a[l], n, t->out[l], l + 1 == L ? t->i : -1, th);
        if (per >= 2) {
            snprintf(nm, sizeof nm, u ? "\xce\xb4%d" : "d%d", l + 1);
            vec(g, r.x, y++, r.w, nm, t->delta[l], n, t->out[l], l == L ? t->j : -1, th);
        }
    }
    /* the selected weight */
    y = ye - wl > y ? ye - wl : y;
    if (y >= ye)
        return;
    char w[48], prev[48];
    if (t->i == NN_HEALTH_BIAS) {
        snprintf(w, sizeof w, "b%d[%d]", L + 1, t->j);
        snprintf(prev, sizeof prev, "1");
    } else {
        snprintf(w, sizeof w, "W%d[%d][%d]", L + 1, t->i, t->j);
        if (L == 0)
            snprintf(prev, sizeof prev, "x[%d]", t->i);
        else
            snprintf(prev, sizeof prev, "a%d[%d]", L, t->i);
    }
    /* the chain rule written out; narrower, without the names, then the gradient alone */
    char line[256];
    const char *dl = u ? "\xe2\x88\x82L/\xe2\x88\x82" : "dL/d", *times = u ? "\xc3\x97" : "x";
    if (u)
        snprintf(line, sizeof line, "%s%s = %s \xc2\xb7 \xce\xb4%d[%d] = %.4g %s %.4g = %.4g", dl, w, prev, L + 1, t->j,
                 nz(t->a_prev_i), times, nz(t->delta_j), nz(t->grad));
    else
        snprintf(line, sizeof line, "%s%s = %s * d%d[%d] = %.4g %s %.4g = %.4g", dl, w, prev, L + 1, t->j,
                 nz(t->a_prev_i), times, nz(t->delta_j), nz(t->grad));
    if (ui_text_width(line) > r.w)
        snprintf(line, sizeof line, "%s%s = %.4g %s %.4g = %.4g", dl, w, nz(t->a_prev_i), times, nz(t->delta_j),
                 nz(t->grad));
    if (ui_text_width(line) > r.w)
        snprintf(line, sizeof line, "%s%s = %.4g", dl, w, nz(t->grad));
    x = r.x + ui_text_cols(g, r.x, y, r.w, line, val);
    if (xe - x >= 15)
        ui_grid_text(g, x, y, xe - x, "  (this sample)", dim);
    if (++y >= ye)
        return;
    if (t->penalty_grad != 0) {
        ui_grid_printf(g, r.x, y, r.w, txt, "+ regularisation %.4g = %.4g", t->penalty_grad, nz(t->grad + t->penalty_grad));
        if (++y >= ye)
            return;
    }
    real_step(g, r.x, y, r.w, t, th);
    if (++y >= ye)
        return;
    x = r.x + ui_grid_text(g, r.x, y, r.w, "what-if", ui_st(th, UI_R_WARN));
    snprintf(line, sizeof line, ", this sample alone as the batch: %s step %ld, lr %.4g:", nn_opt_name(t->step.kind),
             t->step.t, t->step.lr);
    if (ui_text_width(line) > xe - x)
        snprintf(line, sizeof line, ", this sample as the batch:");
    ui_grid_text(g, x, y, xe - x, line, lab);
    y++;
    for (int i = 0; i < t->step.n_lines && i < NN_HEALTH_STEP_LINES && y < ye; i++, y++) {
        char folded[2 * NN_HEALTH_LINE];
        const char *fl = t->step.lines[i];
        if (!u) {
            ui_ascii_fold(fl, folded, (int)sizeof folded);
            fl = folded;
        }
        int n = ui_text_cols(g, r.x + 2, y, r.w - 2, fl, txt);
        if (ui_text_width(fl) > r.w - 2 && n > 0)
            ui_grid_put(g, r.x + r.w - 1, y, u ? 0x2026 : '>', dim);
    }
}

/* ---- the view in the slot ---- */

static void draw(ui_grid *g, ui_rect r, const ui_model *m)
{
    ui_step_panel(g, r, m->snap, m->views, m->th);
}

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static unsigned key(ui_views *v, const ui_model *m, ui_cmd c, ui_intent *out)
{
    const ui_snapshot *s = m->snap;
    if (s->race.on)
        return ui_intent_message(out, true, "no step-through during a race (Enter in the Race view ends it)");
    if (s->info.n_layers <= 0 || s->info.n_train <= 0)
        return 0;
    switch (c.act) {
    case UI_ACT_EDIT: break;
    case UI_ACT_PREV_SAMPLE: v->step_index--; break;
    case UI_ACT_NEXT_SAMPLE: v->step_index++; break;
    case UI_ACT_LEFT: v->step_j--; break;
    case UI_ACT_RIGHT: v->step_j++; break;
    case UI_ACT_UP: v->step_i--; break;
    case UI_ACT_DOWN: v->step_i++; break;
    case UI_ACT_PAGE_UP: v->step_layer--; break;
    case UI_ACT_PAGE_DOWN: v->step_layer++; break;
    case UI_ACT_HOME: v->step_index = 0; break;
    default: return 0;
    }
    v->step_index = clampi(v->step_index, 0, s->info.n_train - 1);
    v->step_layer = clampi(v->step_layer, 0, s->info.n_layers - 1);
    v->step_i = clampi(v->step_i, NN_HEALTH_BIAS, s->info.layers[v->step_layer].in - 1);
    v->step_j = clampi(v->step_j, 0, s->info.layers[v->step_layer].out - 1);
    v->step_on = true;
    out->kind = UI_INTENT_TRACE;
    out->arg[0] = v->step_index;
    out->arg[1] = v->step_layer;
    out->arg[2] = v->step_i;
    out->arg[3] = v->step_j;
    return UI_REDRAW;
}

const ui_view_def ui_step_view = {
    "Step", "Step", UI_NEED_INFO | UI_NEED_TRACE | UI_NEED_RACE, NULL, draw, key, NULL, NULL,
};
