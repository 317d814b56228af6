/* panel_compare.c — the Compare view: the pinned runs (P, pins.h) and the current run side by side.
 * A table (the pin's number in its colour, what differs from the current run in the words of
 * `nnterm compare`, epochs, the final train, val and test loss, accuracy or R2) with the selected row
 * highlighted, and under it each run's decision boundary as a small half-block map (as the Boundary
 * view draws it, regions only), as many as fit with the selected one among them, or one line saying
 * why there are none. Keys: Up/Down select a row, Del removes the selected pin. */
#include "panel.h"

#include "chart.h"
#include "pins.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static ui_snapshot scratch;   /* a pin's map as a snapshot for the Boundary's rasterisers; main thread only */

/* The table's columns after the number and the words, in the order they are dropped as width runs out
 * (the last first): the metric, the val loss, the epochs, the test loss, the train loss. */
enum { COL_METRIC, COL_VAL, COL_EPOCHS, COL_TEST, COL_TRAIN, COL_N };
static const int col_w[COL_N] = {6, 7, 5, 7, 7};
static const int col_order[COL_N] = {COL_EPOCHS, COL_TRAIN, COL_VAL, COL_TEST, COL_METRIC};   /* left to right */
#define WORDS_MIN 14   /* the "differs" column keeps at least this many columns */
#define WORDS_MAX 44   /* ... and takes at most this many: the figures stay near the words */

/* One row's figures. */
typedef struct {
    int epochs;
    double loss[3], metric;
    bool regression;
} figures;

static void cell_num(char *out, size_t cap, double v, int w)
{
    if (!isfinite(v))
        snprintf(out, cap, "-");
    else
        ui_fmt_fit(out, (int)cap, v, w);
}

static void cell_metric(char *out, size_t cap, double v, bool regression)
{
    if (!isfinite(v))
        snprintf(out, cap, "-");
    else if (regression)
        ui_fmt_fit(out, (int)cap, v, 5);
    else
        snprintf(out, cap, "%.1f%%", 100.0 * v);
}

/* The columns shown at width w: shown[c]. Returns the width of the words column. */
static int columns(int w, bool shown[COL_N])
{
    int words = w - 2;   /* the number and a blank */
    for (int c = 0; c < COL_N; c++) {
        shown[c] = false;
    }
    for (int c = 0; c < COL_N; c++) {   /* add in priority order while the words keep their minimum */
        if (words - (col_w[c] + 1) < WORDS_MIN)
            break;
        shown[c] = true;
        words -= col_w[c] + 1;
    }
    return words > WORDS_MAX ? WORDS_MAX : words;
}

static void draw_row(ui_grid *g, int x, int y, int w, const char *mark, ui_style ms, const char *words,
                     const figures *f, const bool shown[COL_N], int words_w, bool sel, const ui_theme *th)
{
    ui_style txt = sel ? ui_st(th, UI_R_SELECT) : ui_st(th, UI_R_TEXT);
    if (sel)
        for (int i = 0; i < w; i++)
            ui_grid_put(g, x + i, y, ' ', txt);
    if (sel && th->level == UI_COLOR_MONO)
        ms.attr |= UI_A_REVERSE;
    ui_grid_text(g, x, y, 1, mark, sel && th->level != UI_COLOR_MONO ? (ui_style){ms.fg, txt.bg, ms.attr} : ms);
    char fit[256];
    int lw = ui_pin_label_fit(words, words_w - 1, !th->utf8, fit, sizeof fit);
    ui_grid_text(g, x + 2, y, lw, fit, txt);
    int cx = x + 2 + words_w;
    for (int k = 0; k < COL_N; k++) {
        int c = col_order[k];
        if (!shown[c])
            continue;
        char b[32];
        switch (c) {
        case COL_EPOCHS: snprintf(b, sizeof b, "%d", f->epochs); break;
        case COL_TRAIN: cell_num(b, sizeof b, f->loss[0], col_w[c] - 1); break;
        case COL_VAL: cell_num(b, sizeof b, f->loss[1], col_w[c] - 1); break;
        case COL_TEST: cell_num(b, sizeof b, f->loss[2], col_w[c] - 1); break;
        case COL_METRIC: cell_metric(b, sizeof b, f->metric, f->regression); break;
        }
        ui_grid_printf(g, cx, y, col_w[c] + 1, txt, "%*s", col_w[c], b);
        cx += col_w[c] + 1;
    }
}

/* The current run's figures: its last epoch's, or after a weight set by hand since, the edit's. */
static figures current(const ui_snapshot *s, const nn_epoch_stats *hist, int n)
{
    figures f = {n, {(double)NAN, (double)NAN, (double)NAN}, (double)NAN, s->info.task == NN_TASK_REGRESSION};
    const nn_epoch_stats *e = ui_run_figures(hist, n, s);
    if (e) {
        f.loss[0] = e->train_loss;
        f.loss[1] = e->val_loss;
        f.loss[2] = e->test_loss;
        f.metric = isfinite(e->test_acc) ? e->test_acc : isfinite(e->val_acc) ? e->val_acc : e->train_acc;
    }
    return f;
}

static bool has_map(const ui_snap_boundary *b)
{
    return b->kind != UI_VIEW_NONE && b->epoch >= 0 && (b->kind == UI_VIEW_CURVE ? b->curve_n > 0 : b->grid_w > 0);
}

/* One map into r: a boundary or surface as the Boundary view's regions, a curve as its plot. */
static void map(ui_grid *g, ui_rect r, const ui_snap_boundary *b, int k, const ui_theme *th)
{
    scratch.boundary = *b;
    scratch.info.k = k;
    if (b->kind == UI_VIEW_CURVE)
        ui_curve_plot(g, r, &scratch, th);
    else
        ui_boundary_raster(g, r, &scratch, th, 0);
}

/* Why the current run has no map. */
static const char *no_map_why(const ui_snapshot *s)
{
    if (s->boundary.kind == UI_VIEW_NONE && s->info.n_features > UI_VIEW_MAX_FEATURES)
        return "no maps: images have no plane to draw";
    if (s->boundary.kind == UI_VIEW_NONE && s->info.n_features > 2)
        return "no maps: no two features picked yet";
    if (s->boundary.kind == UI_VIEW_NONE && s->info.n_features == 1)
        return "no maps: one feature has no plane";
    return "no maps yet: train an epoch";
}

static void maps(ui_grid *g, ui_rect r, const ui_snapshot *s, const ui_pins *ps, const nn_preset *cur, const ui_views *v,
                 const ui_theme *th)
{
    int rows = ps->n + 1, sel = v->cmp_sel;
    bool any = has_map(&s->boundary);
    for (int i = 0; i < ps->n; i++)
        any = any || ps->pin[i].map;
    ui_style dim = ui_st(th, UI_R_DIM);
    if (!any) {
        ui_grid_text(g, r.x, r.y, r.w, no_map_why(s), dim);
        return;
    }
    if (r.h < 4)
        return;
    /* maps of mw columns and mh rows (a cell is about twice as tall as wide: mw / 2 rows is square),
       one column apart; as many as fit, at least 10 columns each */
    int mh = r.h - 1, mw = 2 * mh;
    int fit = (r.w + 1) / (mw + 1);
    if (fit < rows) {
        fit = (r.w + 1) / 11;
        if (fit > rows)
            fit = rows;
        mw = fit > 0 ? (r.w + 1) / fit - 1 : r.w;
        if (mw > 2 * mh)
            mw = 2 * mh;
    } else {
        fit = rows;
    }
    if (fit < 1)
        return;
    if (mh > mw / 2 + 1)
        mh = mw / 2 + 1;
    int first = sel - fit + 1 > 0 ? sel - fit + 1 : 0;
    for (int j = 0; j < fit && first + j < rows; j++) {
        int i = first + j;
        int x = r.x + j * (mw + 1);
        ui_rect mr = ui_rect_make(x, r.y + 1, mw, mh);
        /* the caption: the pin's number and what differs (the selected run's reversed), or "now" */
        ui_style cap = i == sel ? ui_st(th, UI_R_SELECT) : ui_st(th, UI_R_TEXT);
        if (i < ps->n) {
            const ui_pin *p = &ps->pin[i];
            char label[256], words[256];
            ui_pin_label(p, cur, label, sizeof label);
            int lw = ui_pin_label_fit(label, mw - 2, !th->utf8, words, sizeof words);
            ui_style ms = ui_pin_style(th, p->slot);
            if (i == sel)
                ms = th->level == UI_COLOR_MONO ? (ui_style){-1, -1, UI_A_BOLD | UI_A_REVERSE} : (ui_style){ms.fg, cap.bg, ms.attr};
            ui_grid_put(g, x, r.y, (uint32_t)('0' + p->slot + 1), ms);
            ui_grid_put(g, x + 1, r.y, ' ', cap);
            ui_grid_text(g, x + 2, r.y, lw, words, cap);
            if (p->map)
                map(g, mr, p->map, p->k, th);
            else
                ui_grid_wrap(g, mr.x, mr.y, mr.w, mr.h, mr.w >= 16 ? p->no_map : "no map", dim);   /* why, when it fits */
        } else {
            ui_grid_text(g, x, r.y, mw, "now", cap);
            if (has_map(&s->boundary))
                map(g, mr, &s->boundary, s->info.k, th);
            else
                ui_grid_wrap(g, mr.x, mr.y, mr.w, mr.h, "no map yet", dim);
        }
    }
    if (fit < rows)
        ui_grid_printf(g, r.x, r.y + r.h - 1 < r.y + mh + 1 ? r.y + r.h - 1 : r.y + mh + 1, r.w, dim,
                       "%d of %d maps (Up/Down)", fit, rows);
}

void ui_compare_panel(ui_grid *g, ui_rect r, const ui_snapshot *s, const ui_pins *ps, const nn_preset *cur,
                      const nn_epoch_stats *hist, int n, const ui_views *v, const ui_theme *th)
{
    ui_style dim = ui_st(th, UI_R_DIM), head = ui_st(th, UI_R_LABEL);
    if (r.w < 20 || r.h < 1)
        return;
    if (!ps || ps->n == 0) {
        /* in a lesson, suggest a change it leaves open (lessons lock keys: lesson.locked) */
        bool lr_locked = cur && nn_preset_is_locked(cur, "training.optimizer.learning_rate");
        bool seed_locked = cur && nn_preset_is_locked(cur, "seed");
        char text[512];
        snprintf(text, sizeof text,
                 "Compare: P pins the run shown (its curves, final figures, configuration and decision boundary). "
                 "Pin a run, change something (%s), train again: the Loss chart "
                 "overlays the pinned curves, and this view lists the runs side by side with what differs and "
                 "their boundaries. Up to 6 pins; Del here removes the selected one.",
                 !lr_locked     ? "+ doubles the learning rate, r resets"
                 : !seed_locked ? "R draws new weights, r resets"
                                : "edit a setting the lesson leaves open, r resets");
        ui_grid_wrap(g, r.x, r.y, r.w, r.h, text, dim);
        return;
    }
    bool shown[COL_N];
    int words_w = columns(r.w, shown);
    int tw = 2 + words_w;   /* the table's width */
    for (int c = 0; c < COL_N; c++)
        tw += shown[c] ? col_w[c] + 1 : 0;
    /* the header */
    bool regression = s->info.task == NN_TASK_REGRESSION;
    ui_grid_text(g, r.x, r.y, 1, "#", head);
    ui_grid_text(g, r.x + 2, r.y, words_w - 1, words_w > 22 ? "what differs from now" : "differs", head);
    int cx = r.x + 2 + words_w;
    for (int k = 0; k < COL_N; k++) {
        int c = col_order[k];
        if (!shown[c])
            continue;
        static const char *const names[COL_N] = {"acc", "val", "epoch", "test", "train"};
        const char *name = c == COL_METRIC && regression ? "R2" : names[c];
        ui_grid_printf(g, cx, r.y, col_w[c] + 1, head, "%*s", col_w[c], name);
        cx += col_w[c] + 1;
    }
    int rows = ps->n + 1, sel = v->cmp_sel < 0 ? 0 : v->cmp_sel >= rows ? rows - 1 : v->cmp_sel;
    int y = r.y + 1;
    for (int i = 0; i < rows && y < r.y + r.h; i++, y++) {
        if (i < ps->n) {
            const ui_pin *p = &ps->pin[i];
            char label[256], mark[16];
            ui_pin_label(p, cur, label, sizeof label);
            snprintf(mark, sizeof mark, "%d", p->slot + 1);
            figures f = {p->epochs, {p->final[0], p->final[1], p->final[2]}, p->metric, p->regression};
            draw_row(g, r.x, y, tw, mark, ui_pin_style(th, p->slot), label, &f, shown, words_w, i == sel, th);
        } else {
            figures f = current(s, hist, n);
            bool edited = n > 0 && ui_run_figures(hist, n, s) != &hist[n - 1];
            const char *now = words_w > 36 && edited ? "now: the run shown, edited by hand"
                              : edited               ? "now, edited"
                              : words_w > 22         ? "now: the run shown"
                                                     : "now";
            draw_row(g, r.x, y, tw, "*", ui_st(th, UI_R_VALUE), now, &f, shown, words_w, i == sel, th);
        }
    }
    int left = r.y + r.h - y;
    if (left >= 12 && r.w >= 46) {   /* the keys, when there is room to spare */
        ui_grid_text(g, r.x, y, r.w, "Up/Down select  Del removes the pin  P pins now", dim);
        y++;
        left--;
    }
    if (left >= 8) {   /* a blank line before the maps */
        y++;
        left--;
    }
    if (left >= 1)
        maps(g, ui_rect_make(r.x, y, r.w, left), s, ps, cur, v, th);
    (void)sel;
}

/* ---- the view in the slot ---- */

static void prepare(ui_views *v, const ui_model *m)
{
    int rows = (m->pins ? m->pins->n : 0) + 1;
    if (v->cmp_sel >= rows)
        v->cmp_sel = rows - 1;
    if (v->cmp_sel < 0)
        v->cmp_sel = 0;
}

static void draw(ui_grid *g, ui_rect r, const ui_model *m)
{
    ui_compare_panel(g, r, m->snap, m->pins, m->draft, m->hist, m->hist_len, m->views, m->th);
}

/* Data with 3..UI_VIEW_MAX_FEATURES features has no map until two are picked: asked as the Boundary
 * view asks, the pair it opens on. */
static void sync(ui_views *v, const ui_model *m, ui_intent *out)
{
    ui_boundary_ask_features(v, m, out);
}

/* Up/Down (Home/End) select a row; Del removes the selected pin. */
static unsigned key(ui_views *v, const ui_model *m, ui_cmd c, ui_intent *out)
{
    int rows = (m->pins ? m->pins->n : 0) + 1;
    switch (c.act) {
    case UI_ACT_UP: v->cmp_sel = v->cmp_sel > 0 ? v->cmp_sel - 1 : 0; return UI_REDRAW;
    case UI_ACT_DOWN: v->cmp_sel = v->cmp_sel + 1 < rows ? v->cmp_sel + 1 : rows - 1; return UI_REDRAW;
    case UI_ACT_HOME: v->cmp_sel = 0; return UI_REDRAW;
    case UI_ACT_END: v->cmp_sel = rows - 1; return UI_REDRAW;
    case UI_ACT_UNPIN:
        if (!m->pins || v->cmp_sel >= m->pins->n)
            return ui_intent_message(out, true, "%s", m->pins && m->pins->n ? "this run is not pinned: select a pin (Up)"
                                                                            : "nothing is pinned (P pins the run)");
        out->kind = UI_INTENT_UNPIN;
        out->arg[0] = v->cmp_sel;
        return UI_REDRAW;
    default: return 0;
    }
}

const ui_view_def ui_compare_view = {"Compare", "Cmp", UI_NEED_INFO | UI_NEED_BOUNDARY, prepare, draw, key, sync, NULL};
