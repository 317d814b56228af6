/* panel_health.c — the Health view: per layer the gradient norm, weight norm, update-to-weight
 * ratio, dead ReLU and saturated sigmoid/tanh shares of the last measured batch, the same over
 * epochs as sparklines (gradient norm, dead/saturated share, weight norm, update ratio), and the warnings in plain words.
 * No keys of its own. */
#include "panel.h"

#include "activation.h"
#include "chart.h"
#include "health.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void share(char *b, size_t n, double v)
{
    if (isnan(v))
        snprintf(b, n, "-");
    else
        snprintf(b, n, "%.0f%%", 100.0 * v);
}

/* t right-aligned in the w columns from x; never outside them */
static void cell(ui_grid *g, int x, int y, int w, const char *t, ui_style s)
{
    int n = ui_text_width(t);
    ui_text_cols(g, x + (w - n > 0 ? w - n : 0), y, w, t, s);
}

/* "mean+-std" in w columns: two decimals when they fit, else each number in its half */
static void mean_std(char *b, size_t n, double mean, double sd, int w, bool utf8)
{
    const char *pm = utf8 ? "\xc2\xb1" : "+-";
    int pw = utf8 ? 1 : 2;
    snprintf(b, n, "%.2f%s%.2f", mean, pm, sd);
    if (ui_text_width(b) <= w)
        return;
    char m[24], d[24];
    int half = (w - pw) / 2;
    ui_fmt_fit(m, sizeof m, mean, w - pw - half);
    ui_fmt_fit(d, sizeof d, sd, half);
    b[0] = 0;
    if (strlen(m) + strlen(pm) + strlen(d) < n) {
        strcat(b, m);
        strcat(b, pm);
        strcat(b, d);
    }
}

void ui_health_panel(ui_grid *g, ui_rect r, const ui_snapshot *s, const ui_theme *th)
{
    ui_style dim = ui_st(th, UI_R_DIM), lab = ui_st(th, UI_R_LABEL), val = ui_st(th, UI_R_TEXT);
    ui_style warn = ui_st(th, UI_R_WARN);
    if (r.w < 20 || r.h < 1)
        return;
    if (s->race.on) {
        ui_grid_wrap(g, r.x, r.y, r.w, r.h, "health is not measured during a race", dim);
        return;
    }
    if (!s->health.valid) {
        ui_grid_wrap(g, r.x, r.y, r.w, r.h,
                     "no measurement yet: health is measured on training batches (Space trains, S steps one batch)", dim);
        return;
    }
    const nn_health *h = &s->health.last;
    int y = r.y, ye = r.y + r.h;
    ui_grid_printf(g, r.x, y, r.w, dim, "batch %d of epoch %d (%d rows)", s->health.batch, s->health.epoch, h->rows);
    if (++y >= ye)
        return;
    /* the table */
    static const int cw[] = {6, 8, 9, 9, 9, 6, 6, 14};
    static const char *const head[] = {"layer", "act", "|grad W|", "|W|", "dW/W", "dead", "satur", "a mean+-std"};
    /* columns that do not fit go, least useful first: a mean+-std, act, |W|, satur, dead */
    static const int drop[] = {7, 1, 3, 6, 5};
    bool on[8] = {true, true, true, true, true, true, true, true};
    int xs[8];
    for (int k = 0;; k++) {
        int x = r.x;
        for (int i = 0; i < 8; i++) {
            xs[i] = x;
            if (on[i])
                x += cw[i] + 1;
        }
        if (x - 1 <= r.x + r.w || k == (int)(sizeof drop / sizeof drop[0]))
            break;
        on[drop[k]] = false;
    }
    const int ncol = 8;
    for (int i = 0; i < ncol; i++)
        on[i] = on[i] && xs[i] + cw[i] <= r.x + r.w;   /* still too narrow: what does not fit goes */
    for (int i = 0; i < ncol; i++) {
        if (!on[i])
            continue;
        const char *t = head[i];
        if (th->utf8 && i == 2) t = "\xe2\x80\x96\xe2\x88\x87W\xe2\x80\x96";
        if (th->utf8 && i == 3) t = "\xe2\x80\x96W\xe2\x80\x96";
        if (th->utf8 && i == 4) t = "\xce\x94W/W";
        if (th->utf8 && i == 7) t = "a mean\xc2\xb1std";
        if (i <= 1)
            ui_text_cols(g, xs[i], y, cw[i], t, lab);
        else {
            int n = ui_text_width(t);
            ui_text_cols(g, xs[i] + cw[i] - n, y, cw[i], t, lab);
        }
    }
    y++;
    double gmax = 0;
    for (int l = 0; l < h->n_layers; l++)
        if (h->layer[l].grad_norm > gmax)
            gmax = h->layer[l].grad_norm;
    for (int l = 0; l < h->n_layers && y < ye; l++, y++) {
        const nn_health_layer *L = &h->layer[l];
        bool out = l == h->n_layers - 1;
        char b[32];
        snprintf(b, sizeof b, "%d%s", l + 1, out ? " out" : "");
        if (on[0])
            ui_grid_text(g, xs[0], y, cw[0], b, lab);
        if (on[1])
            ui_grid_printf(g, xs[1], y, cw[1], dim, "%.8s", nn_act_name(L->act));
        ui_fmt_fit(b, sizeof b, L->grad_norm, cw[2]);
        bool gbad = (!out && (L->grad_norm < NN_HEALTH_TINY_GRAD || L->grad_norm < NN_HEALTH_VANISH_RATIO * gmax)) ||
                    L->grad_norm > NN_HEALTH_HUGE_GRAD;
        if (on[2])
            cell(g, xs[2], y, cw[2], b, gbad ? warn : val);
        ui_fmt_fit(b, sizeof b, L->weight_norm, cw[3]);
        if (on[3])
            cell(g, xs[3], y, cw[3], b, val);
        if (isnan(L->update_ratio))
            snprintf(b, sizeof b, "-");
        else if (snprintf(b, sizeof b, "%.1e", L->update_ratio) > cw[4])
            ui_fmt_fit(b, sizeof b, L->update_ratio, cw[4]);
        if (on[4])
            cell(g, xs[4], y, cw[4], b, L->update_ratio >= NN_HEALTH_HIGH_UPDATE ? warn : val);
        if (on[5]) {
            share(b, sizeof b, L->dead_share);
            cell(g, xs[5], y, cw[5], b, !out && L->dead_share >= NN_HEALTH_DEAD_WARN ? warn : val);
        }
        if (on[6]) {
            share(b, sizeof b, L->saturated_share);
            cell(g, xs[6], y, cw[6], b, !out && L->saturated_share >= NN_HEALTH_SAT_WARN ? warn : val);
        }
        if (on[7]) {
            mean_std(b, sizeof b, L->act_mean, L->act_std, cw[7], th->utf8);
            cell(g, xs[7], y, cw[7], b, val);
        }
    }
    /* warnings */
    if (y < ye) {
        if (s->health.n_warnings == 0) {
            ui_grid_text(g, r.x, y++, r.w, "healthy: no warnings", ui_st(th, UI_R_OK));
        } else {
            for (int i = 0; i < s->health.n_warnings && i < UI_WARN_MAX && y < ye; i++) {
                ui_grid_text(g, r.x, y, 2, "! ", warn);
                y += ui_grid_wrap(g, r.x + 2, y, r.w - 2, ye - y, s->health.warnings[i], warn);
            }
        }
    }
    /* over epochs */
    const nn_health_history *hh = &s->health.hist;
    if (hh->len < 1 || y + 2 > ye)
        return;
    float v[NN_HEALTH_HISTORY];
    int n = hh->len, nl = h->n_layers;
    int first = nn_health_history_get(hh, 0)->epoch, last = nn_health_history_get(hh, n - 1)->epoch;
    int sw = r.w - 16;
    if (sw < 4)
        return;
    struct {
        const char *title;
        int what;
    } rows[] = {{"gradient norm per layer over epochs (log scale)", 0}, {"update/weight ratio (log scale)", 1},
                {"dead or saturated share (0..100%)", 2}, {"weight norm |W| (log scale)", 3}};
    /* gradient norms first, then dead/saturated shares (when there are such units), weight norms,
     * then updates; what does not fit goes from the end */
    static const int order[4] = {0, 2, 3, 1};
    for (int oi = 0; oi < 4 && y + 2 <= ye; oi++) {
        int k = order[oi];
        if (k == 2) {
            bool any = false;
            for (int l = 0; l < nl - 1; l++) {
                int a = h->layer[l].act;
                any |= a >= 0 && a < NN_ACT_COUNT && (nn_act_table[a].can_die || nn_act_table[a].saturates);
            }
            if (!any)
                continue;
        }
        if (y + 1 + nl > ye && oi > 0)
            break;
        ui_grid_printf(g, r.x, y++, r.w, lab, "%s, epochs %d-%d", rows[k].title, first, last);
        double lo = (double)INFINITY, hi = -(double)INFINITY;
        for (int i = 0; i < n; i++) {
            const nn_health_row *row = nn_health_history_get(hh, i);
            for (int l = 0; l < row->n_layers && l < NN_MAX_LAYERS; l++) {
                double t = k == 0   ? (double)row->grad_norm[l]
                           : k == 1 ? (double)row->update_ratio[l]
                           : k == 3 ? (double)row->weight_norm[l]
                                    : 0;
                if (k != 2 && t > 0 && isfinite(t)) {
                    if (t < lo) lo = t;
                    if (t > hi) hi = t;
                }
            }
        }
        if (k == 2) { lo = 0; hi = 1; }
        if (!(lo <= hi)) { lo = 1e-8; hi = 1; }
        for (int l = 0; l < nl && y < ye; l++, y++) {
            for (int i = 0; i < n; i++) {
                const nn_health_row *row = nn_health_history_get(hh, i);
                float t = NAN;
                if (l < row->n_layers) {
                    if (k == 0) t = row->grad_norm[l];
                    else if (k == 1) t = row->update_ratio[l];
                    else if (k == 3) t = row->weight_norm[l];
                    else t = !isnan(row->dead_share[l]) ? row->dead_share[l] : row->saturated_share[l];
                }
                v[i] = t;
            }
            double latest = (double)v[n - 1];
            char b[16];
            if (k == 2)
                share(b, sizeof b, latest);
            else
                ui_fmt_fit(b, sizeof b, latest, 8);
            ui_grid_printf(g, r.x, y, 16, dim, "%3d %8s ", l + 1, b);
            ui_sparkline(g, r.x + 13, y, sw, v, n, lo, hi, k != 2, ui_st(th, l == nl - 1 ? UI_R_VAL : UI_R_TRAIN),
                         !th->utf8);
        }
    }
}

/* ---- the view in the slot ---- */

static void draw(ui_grid *g, ui_rect r, const ui_model *m)
{
    ui_health_panel(g, r, m->snap, m->th);
}

const ui_view_def ui_health_view = {"Health", "Health", UI_NEED_HEALTH | UI_NEED_RACE, NULL, draw, NULL, NULL, NULL};
