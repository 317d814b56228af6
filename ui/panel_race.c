/* panel_race.c — the Race view: the same network from the same initial weights trained once per
 * optimizer (ui_worker_race), the loss curves overlaid in one braille chart (one class colour per
 * optimizer) and a legend with each one's epoch, loss and (final) test accuracy. Enter starts a
 * race of every optimizer on the draft, or ends the race. */
#include "panel.h"

#include "chart.h"
#include "race.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static ui_braille canvas;   /* main thread only */

static const char *state_word(const ui_race_entry *e)
{
    switch (e->state) {
    case UI_RUN_READY: return "ready";
    case UI_RUN_RUNNING: return "training";
    case UI_RUN_DONE: return "done";
    case UI_RUN_DIVERGED: return "diverged";
    case UI_RUN_ERROR: return "error";
    default: return "";
    }
}

#define RACE_CELL 22   /* a compact legend entry: "━ nesterov 1.758 100%" */

static int compact_rows(const ui_snapshot *s, int w)
{
    int per = w / RACE_CELL > 0 ? w / RACE_CELL : 1;
    return (s->race.n + per - 1) / per;
}

/* The wide legend's header, and how the best entry is chosen: on the header's row when the width
 * has room for both, else on a row of its own under the entries. */
#define RACE_HEADER_W 52
#define RACE_RULE "*best: lowest %s, then test acc"
#define RACE_RULE_W 37

int ui_race_legend_rows(const ui_snapshot *s, int w)
{
    if (w >= RACE_WIDE)
        return s->race.n + 1 + (w < RACE_HEADER_W + RACE_RULE_W ? 1 : 0);
    return compact_rows(s, w) + 1;   /* + how best is chosen */
}

static double entry_acc(const ui_race_entry *e)
{
    return isfinite(e->final_test_acc) ? e->final_test_acc : e->test_acc;
}

/* The entry marked best: the lowest last val loss (train loss without a validation split), a tie
 * going to the higher test accuracy (nn_race_best, as `nnterm race` ranks); -1 none yet. */
static int race_best(const ui_snapshot *s)
{
    double loss[NN_RACE_MAX], acc[NN_RACE_MAX];
    int n = s->race.n < NN_RACE_MAX ? s->race.n : NN_RACE_MAX;
    for (int i = 0; i < n; i++) {
        const ui_race_entry *e = &s->race.entries[i];
        loss[i] = e->hist_len > 0 ? (double)e->loss[e->hist_len - 1] : (double)NAN;
        acc[i] = entry_acc(e);
    }
    return nn_race_best(loss, acc, n);
}

/* Entry i's legend mark ("━" in its colour; "-" in ASCII; a letter, bold, in monochrome). */
static ui_style legend_mark(const ui_theme *th, int i, char *mark, size_t n)
{
    if (th->level == UI_COLOR_MONO)
        snprintf(mark, n, "%c", 'a' + i % 26);
    else
        snprintf(mark, n, "%s", th->utf8 ? "\xe2\x94\x81" : "-");
    return (ui_style){ui_class_colour(th, i), -1, (uint16_t)(th->level == UI_COLOR_MONO ? UI_A_BOLD : 0)};
}

/* Narrow: several entries a row, each its colour, name, last loss and accuracy (* best). */
static void compact(ui_grid *g, ui_rect r, const ui_snapshot *s, const ui_theme *th, int best)
{
    int per = r.w / RACE_CELL > 0 ? r.w / RACE_CELL : 1;
    for (int i = 0; i < s->race.n; i++) {
        int row = i / per, col = i % per;
        if (row >= r.h)
            break;
        const ui_race_entry *e = &s->race.entries[i];
        int x = r.x + col * RACE_CELL, y = r.y + row, xe = x + RACE_CELL - 1 < r.x + r.w ? x + RACE_CELL - 1 : r.x + r.w;
        char mark[8];
        ui_style sw = legend_mark(th, i, mark, sizeof mark);
        x += ui_grid_text(g, x, y, xe - x, mark, sw) + 1;
        char loss[16], acc[16];
        ui_fmt_num(loss, sizeof loss, e->hist_len > 0 ? (double)e->loss[e->hist_len - 1] : (double)NAN);
        loss[5] = loss[5] ? '\0' : loss[5];
        double a = entry_acc(e);
        snprintf(acc, sizeof acc, isfinite(a) ? "%.0f%%%s" : "-", 100.0 * a, i == best ? "*" : "");
        ui_style ws = e->state == UI_RUN_DIVERGED || e->state == UI_RUN_ERROR ? ui_st(th, UI_R_ERROR) : ui_st(th, UI_R_TEXT);
        x += ui_grid_printf(g, x, y, xe - x, ws, "%-8.8s %5s ", e->name, loss);
        ui_grid_text(g, x, y, xe - x, acc, i == best ? ui_st(th, UI_R_VALUE) : ws);
    }
}

static void legend(ui_grid *g, ui_rect r, const ui_snapshot *s, const ui_theme *th, bool small)
{
    ui_style dim = ui_st(th, UI_R_DIM), txt = ui_st(th, UI_R_TEXT), val = ui_st(th, UI_R_VALUE);
    if (r.h < 1 || r.w < 20)
        return;
    const char *lw = s->race.loss_is_val ? "val loss" : "train loss";
    int best = race_best(s);
    if (small) {
        compact(g, r, s, th, best);
        int rows = compact_rows(s, r.w);
        if (rows < r.h)
            ui_grid_printf(g, r.x, r.y + rows, r.w, dim, RACE_RULE, lw);
        return;
    }
    ui_grid_printf(g, r.x, r.y, r.w, dim, "   %-12s %8s %5s %10s %8s", "optimizer", "lr", "epoch", lw, "test acc");
    bool rule_below = r.w < RACE_HEADER_W + RACE_RULE_W;
    if (!rule_below)
        ui_grid_printf(g, r.x + RACE_HEADER_W, r.y, r.w - RACE_HEADER_W, dim, RACE_RULE, lw);
    else if (s->race.n + 1 < r.h)
        ui_grid_printf(g, r.x + 3, r.y + s->race.n + 1, r.w - 3, dim, RACE_RULE, lw);
    int y = r.y + 1;
    for (int i = 0; i < s->race.n && y < r.y + r.h; i++, y++) {
        const ui_race_entry *e = &s->race.entries[i];
        char mark[8];
        ui_style sw = legend_mark(th, i, mark, sizeof mark);
        int x = r.x + ui_grid_text(g, r.x, y, 2, mark, sw) + 1;
        char loss[16], acc[24];
        ui_fmt_num(loss, sizeof loss, e->hist_len > 0 ? (double)e->loss[e->hist_len - 1] : (double)NAN);
        double a = entry_acc(e);
        if (isfinite(a))
            snprintf(acc, sizeof acc, "%.1f%%", 100.0 * a);
        else
            snprintf(acc, sizeof acc, "-");
        x += ui_grid_printf(g, x, y, r.x + r.w - x, txt, "%-12.12s %8.3g %5d %10s ", e->name, e->lr, e->epoch, loss);
        x += ui_grid_printf(g, x, y, r.x + r.w - x, i == best ? val : txt, "%8s", acc);
        const char *w = isfinite(e->final_test_acc) ? "final" : state_word(e);
        ui_style ws = e->state == UI_RUN_DIVERGED || e->state == UI_RUN_ERROR ? ui_st(th, UI_R_ERROR) : dim;
        x += ui_grid_printf(g, x, y, r.x + r.w - x, ws, "  %s", w);
        if (i == best)
            x += ui_grid_text(g, x, y, r.x + r.w - x, " *best", val);
        if (e->message[0])
            ui_grid_printf(g, x, y, r.x + r.w - x, ws, "  %s", e->message);
    }
}

void ui_race_legend(ui_grid *g, ui_rect r, const ui_snapshot *s, const ui_theme *th)
{
    legend(g, r, s, th, r.w < RACE_WIDE);
}


static void panel(ui_grid *g, ui_rect r, const ui_snapshot *s, const ui_theme *th, bool logy, bool compact)
{
    ui_style dim = ui_st(th, UI_R_DIM), ax = ui_st(th, UI_R_AXIS);
    if (r.w < 24 || r.h < 1)
        return;
    if (!s->race.on) {
        ui_grid_wrap(g, r.x, r.y, r.w, r.h,
                     "Optimizer race: Enter trains this network once per optimizer (sgd, momentum, nesterov, rmsprop, "
                     "adam, adamw, adagrad, adadelta), every one from the same initial weights and the same shuffles, "
                     "with the curves overlaid here. Space then starts and pauses the race; loading a preset (l) ends it.",
                     dim);
        return;
    }
    if (s->state == UI_RUN_LOADING) {
        ui_grid_text(g, r.x, r.y, r.w, "building one trainer per optimizer ...", dim);
        return;
    }
    int lh = compact ? compact_rows(s, r.w) : ui_race_legend_rows(s, r.w);
    if (lh > r.h - 5)
        lh = r.h - 5 > 2 ? r.h - 5 : (r.h < lh ? r.h : lh);
    legend(g, ui_rect_make(r.x, r.y, r.w, lh), s, th, compact || r.w < RACE_WIDE);
    ui_rect c = ui_rect_make(r.x, r.y + lh, r.w, r.h - lh);
    if (c.h < 4)
        return;
    /* the range over every curve */
    double lo = (double)INFINITY, hi = -(double)INFINITY;
    int xt = s->epochs > 0 ? s->epochs : 1;
    for (int i = 0; i < s->race.n; i++) {
        const ui_race_entry *e = &s->race.entries[i];
        for (int p = 0; p < e->hist_len; p++) {
            double t = ui_chart_y((double)e->loss[p], logy);
            if (isnan(t))
                continue;
            if (t < lo) lo = t;
            if (t > hi) hi = t;
        }
        int last = e->hist_len * (e->hist_step > 0 ? e->hist_step : 1);
        if (last > xt)
            xt = last;
    }
    const int lw = 7;
    int px = c.x + lw + 1, py = c.y, pw = c.w - lw - 1, ph = c.h - 2;
    for (int y = py; y < py + ph; y++)
        ui_grid_put(g, px - 1, y, th->utf8 ? 0x2502 : '|', ax);
    ui_grid_put(g, px - 1, py + ph, th->utf8 ? 0x2514 : '+', ax);
    for (int x = px; x < px + pw; x++)
        ui_grid_put(g, x, py + ph, th->utf8 ? 0x2500 : '-', ax);
    char b[16];
    ui_grid_text(g, px, py + ph + 1, pw, "1", ax);
    int n = snprintf(b, sizeof b, "%d", xt);
    ui_grid_text(g, px + pw - n, py + ph + 1, n, b, ax);
    if (pw > 30)
        ui_grid_printf(g, px + pw / 2 - 6, py + ph + 1, 14, ax, "epoch%s", logy ? "  [log]" : "");
    if (!(lo <= hi)) {
        ui_grid_text(g, px + 1, py + ph / 2, pw - 1, "no epochs yet (Space starts the race)", dim);
        return;
    }
    if (hi - lo < 1e-12) {
        double pad = fabs(hi) > 1e-12 ? fabs(hi) * 0.05 : 0.5;
        lo -= pad;
        hi += pad;
    }
    ui_fmt_num(b, sizeof b, logy ? pow(10, hi) : hi);
    ui_grid_printf(g, c.x, py, lw, ax, "%*s", lw, b);
    ui_fmt_num(b, sizeof b, logy ? pow(10, lo) : lo);
    ui_grid_printf(g, c.x, py + ph - 1, lw, ax, "%*s", lw, b);
    ui_braille_init(&canvas, pw, ph);
    int xd = 2 * canvas.w, yd = 4 * canvas.h;
    for (int i = 0; i < s->race.n; i++) {
        const ui_race_entry *e = &s->race.entries[i];
        int16_t fg = th->level == UI_COLOR_MONO ? (int16_t)(-2 - i) : ui_class_colour(th, i);
        int step = e->hist_step > 0 ? e->hist_step : 1;
        int ppx = 0, ppy = 0;
        bool have = false;
        for (int p = 0; p < e->hist_len; p++) {
            double t = ui_chart_y((double)e->loss[p], logy);
            if (isnan(t)) { have = false; continue; }
            int ep = (p + 1) * step;   /* epoch of this point, 1-based */
            int x = xt > 1 ? (int)((double)(ep - 1) * (xd - 1) / (xt - 1) + 0.5) : 0;
            int y = (int)((hi - t) / (hi - lo) * (yd - 1) + 0.5);
            if (have)
                ui_braille_line(&canvas, ppx, ppy, x, y, fg);
            else
                ui_braille_dot(&canvas, x, y, fg);
            ppx = x;
            ppy = y;
            have = true;
        }
    }
    for (int cy = 0; cy < canvas.h; cy++)
        for (int cx = 0; cx < canvas.w; cx++)
            if (canvas.fg[cy][cx] < -1)
                canvas.fg[cy][cx] = -1;
    ui_braille_blit(&canvas, g, px, py, -1, !th->utf8);
}

void ui_race_panel(ui_grid *g, ui_rect r, const ui_snapshot *s, const ui_theme *th, bool logy)
{
    panel(g, r, s, th, logy, false);
}

void ui_race_chart(ui_grid *g, ui_rect r, const ui_snapshot *s, const ui_theme *th, bool logy)
{
    panel(g, r, s, th, logy, true);
}

/* ---- the view in the slot ---- */

static void draw(ui_grid *g, ui_rect r, const ui_model *m)
{
    ui_race_panel(g, r, m->snap, m->th, !m->logy);   /* log first: losses span decades */
}

static unsigned key(ui_views *v, const ui_model *m, ui_cmd c, ui_intent *out)
{
    (void)v;
    if (c.act != UI_ACT_EDIT)
        return 0;
    if (m->snap->race.on)
        out->kind = UI_INTENT_END_RACE;
    else if (nn_preset_is_locked(m->draft, "training.optimizer.name"))
        return ui_intent_message(out, true, "training.optimizer.name is locked by this lesson: no race");
    else
        out->kind = UI_INTENT_RACE;
    return UI_REDRAW;
}

const ui_view_def ui_race_view = {"Race", "Race", UI_NEED_RACE, NULL, draw, key, NULL, NULL};
