/* panel_confusion.c — the Confusion view: the test confusion matrix as a heatmap with accuracy
 * and per-class precision, recall and F1 (heatmap.c), updated every epoch. A cell can be selected
 * (the arrows, Enter, a click): the view then lists the test rows behind it (their row or CSV line
 * numbers and values; for images the row numbers), and the Boundary view marks them. For regression it
 * shows R², MSE and MAE, and a scatter of predicted against actual test values (for 1-D data, the
 * fitted curve over the data points instead). */
#include "panel.h"

#include "chart.h"
#include "heatmap.h"
#include "views.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static ui_braille canvas;

/* Predicted (vertical) against actual (horizontal) for the sampled test rows, with the diagonal
 * y = x where a perfect fit lies; the range labels are in data units. */
static void fit_scatter(const ui_model *m, ui_grid *g, ui_rect r)
{
    const ui_snapshot *s = m->snap;
    if (r.w < 12 || r.h < 3 || s->fit.n <= 0)
        return;
    float lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < s->fit.n && i < UI_FIT_MAX; i++) {
        float v[2] = {s->fit.actual[i], s->fit.pred[i]};
        for (int j = 0; j < 2; j++)
            if (isfinite(v[j])) {
                lo = fminf(lo, v[j]);
                hi = fmaxf(hi, v[j]);
            }
    }
    if (!(hi > lo))
        return;
    char l0[16], l1[16];
    ui_fmt_num(l0, sizeof l0, (double)lo);
    ui_fmt_num(l1, sizeof l1, (double)hi);
    int lw = 8;
    ui_grid_text(g, r.x, r.y, lw - 1, l1, ui_st(m->th, UI_R_DIM));
    ui_grid_text(g, r.x, r.y + r.h - 2, lw - 1, l0, ui_st(m->th, UI_R_DIM));
    ui_rect c = ui_rect_make(r.x + lw, r.y, r.w - lw, r.h - 1);
    ui_grid_printf(g, c.x, r.y + r.h - 1, c.w, ui_st(m->th, UI_R_DIM), "%s  actual -> %s", l0, l1);
    ui_braille_init(&canvas, c.w, c.h);
    int xd = 2 * canvas.w - 1, yd = 4 * canvas.h - 1;
    ui_braille_line(&canvas, 0, yd, xd, 0, ui_st(m->th, UI_R_DIM).fg);
    int16_t pf = ui_st(m->th, UI_R_TEST).fg;
    for (int i = 0; i < s->fit.n && i < UI_FIT_MAX; i++) {
        if (!isfinite(s->fit.actual[i]) || !isfinite(s->fit.pred[i]))
            continue;
        int x = (int)lround((double)((s->fit.actual[i] - lo) / (hi - lo) * (float)xd));
        int y = (int)lround((double)((hi - s->fit.pred[i]) / (hi - lo) * (float)yd));
        ui_braille_dot(&canvas, x, y, pf);
    }
    ui_braille_blit(&canvas, g, c.x, c.y, -1, !m->th->utf8);
}

/* The selected cell's rows under the matrix: a line saying which cell, then a table of rows (row or
 * CSV line, values) or, for images, the row numbers. */
static void cell_rows(ui_grid *g, ui_rect r, const ui_snapshot *s, const ui_theme *th)
{
    const ui_snap_eval *e = &s->eval;
    ui_style dim = ui_st(th, UI_R_DIM), txt = ui_st(th, UI_R_TEXT), lab = ui_st(th, UI_R_LABEL);
    if (r.h < 1 || e->cell_a < 0 || e->cell_a >= s->info.k || e->cell_p >= s->info.k)
        return;
    int x = r.x, xe = r.x + r.w, y = r.y, ye = r.y + r.h;
    x += ui_grid_printf(g, x, y, xe - x, txt, "actual %.16s, predicted %.16s: %d test row%s", s->info.class_names[e->cell_a],
                        s->info.class_names[e->cell_p], e->cell_n, e->cell_n == 1 ? "" : "s");
    if (e->cell_xy && e->cell_n > 0 && xe - x >= 23)   /* the note whole, or not at all */
        ui_grid_text(g, x, y, xe - x, th->utf8 ? ", \xe2\x97\x86 in the Boundary (6)" : ", * in the Boundary (6)", dim);
    if (++y >= ye || e->cell_n == 0)
        return;
    if (e->cell_nv == 0) {   /* images: the row numbers */
        char b[16];
        x = r.x;
        x += ui_grid_text(g, x, y, xe - x, "rows", lab);
        for (int i = 0; i < e->cell_shown; i++) {
            int n = snprintf(b, sizeof b, " %u", e->cell[i].row + 1);
            bool last = i == e->cell_shown - 1 && e->cell_shown == e->cell_n;
            if (x + n + (last ? 0 : 6) > xe) {   /* room for " (+N)" after it */
                if (++y >= ye)
                    return;
                x = r.x + 4;
            }
            x += ui_grid_text(g, x, y, xe - x, b, txt);
        }
        if (e->cell_shown < e->cell_n)
            ui_grid_printf(g, x, y, xe - x, dim, " (+%d)", e->cell_n - e->cell_shown);
        return;
    }
    bool csv = e->cell_shown > 0 && e->cell[0].line > 0;
    int cols = (r.w - 7) / 10;
    if (cols > e->cell_nv)
        cols = e->cell_nv;
    x = r.x + ui_grid_printf(g, r.x, y, 7, lab, "%6s", csv ? "line" : "row");
    for (int j = 0; j < cols; j++)
        x += ui_grid_printf(g, x, y, 10, lab, " %9.9s", e->cell_names[j]);
    if (cols < e->cell_nv)
        ui_grid_text(g, x, y, xe - x, " ...", dim);
    for (int i = 0; i < e->cell_shown && ++y < ye; i++) {
        if (y == ye - 1 && i < e->cell_n - 1) {   /* the last line says how many more */
            ui_grid_printf(g, r.x, y, r.w, dim, "%6s and %d more", "", e->cell_n - i);
            return;
        }
        const ui_cell_row *c = &e->cell[i];
        x = r.x + ui_grid_printf(g, r.x, y, 7, dim, "%6ld", csv ? c->line : (long)c->row + 1);
        for (int j = 0; j < cols; j++) {
            char b[16];
            ui_fmt_num(b, sizeof b, (double)c->v[j]);
            x += ui_grid_printf(g, x, y, 10, txt, " %9.9s", b);
        }
    }
    if (e->cell_shown < e->cell_n && y + 1 < ye)
        ui_grid_printf(g, r.x, y + 1, r.w, dim, "%6s and %d more", "", e->cell_n - e->cell_shown);
}

/* Per class, beside the metrics table: precision, recall and F1 over the epochs as sparklines
 * (0 to 1), under a head naming them, when there are two epochs or more and room for 4 cells each. */
static void class_sparklines(ui_grid *g, ui_rect a, const ui_snapshot *s, const ui_theme *th)
{
    const ui_snap_eval *e = &s->eval;
    int k = s->info.k, xe = a.x + a.w, x0 = 0;
    if (e->cls_len < 2)
        return;
    int y0 = ui_heatmap_metrics_at(a, e->confusion, k, (const char (*)[NN_NAME_MAX])s->info.class_names, &x0);
    int sw = (xe - x0 - 1) / 3 - 2;   /* three sparklines, two columns apart */
    if (y0 < 0 || sw < 4)
        return;
    if (sw > e->cls_len)
        sw = e->cls_len;
    ui_style dim = ui_st(th, UI_R_DIM), sp = ui_st(th, UI_R_TRAIN);
    const char *head[3] = {"precision", "recall", "F1"}, *letter[3] = {"P", "R", "F1"};
    for (int m = 0; m < 3; m++) {
        int x = x0 + 2 + m * (sw + 2);
        ui_grid_text(g, x, y0 - 1, sw, (int)strlen(head[m]) <= sw ? head[m] : letter[m], dim);
    }
    int c = 0;
    for (; c < k && c < UI_CLS_MAX && y0 + c < a.y + a.h; c++)
        for (int m = 0; m < 3; m++) {
            const float *v = m == 0 ? e->cls_p[c] : m == 1 ? e->cls_r[c] : e->cls_f[c];
            ui_sparkline(g, x0 + 2 + m * (sw + 2), y0 + c, sw, v, e->cls_len, 0.0, 1.0, false, sp, !th->utf8);
        }
    if (c == k && y0 + c < a.y + a.h) {   /* what the sparklines span, under them when it fits whole */
        char b[64];
        int n = snprintf(b, sizeof b, "epochs %d-%d, 0 to 1", e->cls_last - sw + 1, e->cls_last);
        if (n <= 3 * sw + 4)
            ui_grid_text(g, x0 + 2, y0 + c, xe - x0 - 2, b, dim);
    }
}

/* Rows the selected cell's list wants under the matrix: its line, the table's head, two rows. */
#define CELL_ROWS_MIN 4

/* Where the matrix goes in the view's rectangle r: below a line saying which epoch when there is room.
 * A selected cell's rows go under the matrix, in place of the metrics table, with the matrix as large
 * as without a selection; only where that leaves fewer than CELL_ROWS_MIN rows (and a blank) for
 * them does the matrix shrink to one row a class (the summary, the head and k rows). */
static ui_rect matrix_area(ui_rect r, const ui_snapshot *s, bool selected)
{
    int k = s->info.k;
    bool room = r.h >= k + 7 + k;
    ui_rect a = ui_rect_make(r.x, r.y + room, r.w, r.h - room);
    const char (*names)[NN_NAME_MAX] = (const char (*)[NN_NAME_MAX])s->info.class_names;
    if (selected && a.h > k + 2 && a.y + a.h - ui_heatmap_matrix_end(a, s->eval.confusion, k, names) < CELL_ROWS_MIN + 1)
        a.h = k + 2;
    return a;
}

static bool has_matrix(const ui_snapshot *s)
{
    return s->has_last && s->info.task == NN_TASK_CLASSIFICATION && s->info.k > 0 &&
           !((s->state == UI_RUN_ERROR || s->state == UI_RUN_DIVERGED) && s->message[0]);
}

static void draw(ui_grid *g, ui_rect r, const ui_model *m)
{
    const ui_snapshot *s = m->snap;
    const ui_theme *th = m->th;
    if ((s->state == UI_RUN_ERROR || s->state == UI_RUN_DIVERGED) && s->message[0]) {
        int n = ui_grid_wrap(g, r.x, r.y, r.w, r.h - 1, s->message, ui_st(th, UI_R_ERROR));
        ui_grid_text(g, r.x, r.y + n, r.w,
                     s->state == UI_RUN_ERROR ? "fix the preset (panels 1-3) or load another (l)"
                                              : "r resets, R new weights, - halves the rate",
                     ui_st(th, UI_R_DIM));
        if (s->state == UI_RUN_ERROR || !s->has_last)
            return;
        r.y += n + 2;
        r.h -= n + 2;
        if (r.h < 3)
            return;
    }
    if (!s->has_last) {
        ui_grid_text(g, r.x, r.y, r.w, "no evaluation yet (Space trains)", ui_st(th, UI_R_DIM));
        return;
    }
    if (s->info.task == NN_TASK_CLASSIFICATION && s->info.k > 0) {
        bool room = r.h >= s->info.k + 7 + s->info.k;
        const ui_views *v = m->views;
        bool sel = v && v->cell_on && v->cell_a < s->info.k && v->cell_p < s->info.k;
        if (room)
            ui_grid_printf(g, r.x, r.y, r.w, ui_st(th, UI_R_DIM), "test split after epoch %d (rows: actual)",
                           s->last.epoch);
        const char (*names)[NN_NAME_MAX] = (const char (*)[NN_NAME_MAX])s->info.class_names;
        ui_rect a = matrix_area(r, s, sel);
        ui_heatmap_confusion(g, a, s->eval.confusion, s->info.k, names, &s->eval.metrics, th);
        if (!sel)
            class_sparklines(g, a, s, th);
        if (sel) {
            ui_heatmap_mark(g, a, s->eval.confusion, s->info.k, names, v->cell_a, v->cell_p);
            int me = ui_heatmap_matrix_end(a, s->eval.confusion, s->info.k, names);
            ui_grid_fill(g, ui_rect_make(r.x, me, r.w, r.y + r.h - me), ' ', ui_st(th, UI_R_TEXT));   /* the metrics' rows */
            if (s->eval.cell_a == v->cell_a && s->eval.cell_p == v->cell_p)
                cell_rows(g, ui_rect_make(r.x, me + 1, r.w, r.y + r.h - me - 1), s, th);
        }
        return;
    }
    int x = r.x;
    x += ui_grid_text(g, x, r.y, r.w, "test R\xc2\xb2 ", ui_st(th, UI_R_LABEL));
    x += ui_grid_printf(g, x, r.y, r.x + r.w - x, ui_st(th, UI_R_VALUE), "%.4f", s->eval.reg.r2);
    x += ui_grid_text(g, x, r.y, r.x + r.w - x, "  MSE ", ui_st(th, UI_R_LABEL));
    x += ui_grid_printf(g, x, r.y, r.x + r.w - x, ui_st(th, UI_R_VALUE), "%.4g", s->eval.reg.mse);
    x += ui_grid_text(g, x, r.y, r.x + r.w - x, "  MAE ", ui_st(th, UI_R_LABEL));
    ui_grid_printf(g, x, r.y, r.x + r.w - x, ui_st(th, UI_R_VALUE), "%.4g", s->eval.reg.mae);
    ui_grid_printf(g, r.x, r.y + 1, r.w, ui_st(th, UI_R_DIM), "%ld test values, epoch %d", s->eval.reg.n,
                   s->last.epoch);
    if (s->boundary.kind == UI_VIEW_CURVE && r.h > 4) {
        ui_grid_text(g, r.x, r.y + 2, r.w, "fitted curve (line) over the data (dots)", ui_st(th, UI_R_DIM));
        ui_curve_plot(g, ui_rect_make(r.x, r.y + 3, r.w, r.h - 3), s, th);
    } else if (r.h > 5 && s->fit.n > 0) {
        ui_grid_printf(g, r.x, r.y + 2, r.w, ui_st(th, UI_R_DIM),
                       "predicted (up) vs actual, %d test rows; diagonal: exact", s->fit.n);
        fit_scatter(m, g, ui_rect_make(r.x, r.y + 3, r.w, r.h - 3));
    }
}

/* The cell the user chose, to the worker when it differs from what was sent (a new run clears the
 * worker's). */
static void send_cell(ui_views *v, const ui_snapshot *s, ui_intent *out)
{
    int a = v->cell_on ? v->cell_a : -1, p = v->cell_on ? v->cell_p : -1;
    if (v->cell_run == s->run + 1 && a == v->cell_sent_a && p == v->cell_sent_p)
        return;
    if (v->cell_run != s->run + 1 && !v->cell_on && s->eval.cell_a < 0)
        return;   /* nothing selected, nothing asked */
    v->cell_sent_a = a;
    v->cell_sent_p = p;
    v->cell_run = s->run + 1;
    out->kind = UI_INTENT_CELL;
    out->arg[0] = a;
    out->arg[1] = p;
}

/* The largest off-diagonal cell (the commonest mistake), else the first diagonal one. */
static void first_cell(ui_views *v, const ui_snapshot *s)
{
    int k = s->info.k, best = -1;
    v->cell_a = v->cell_p = 0;
    for (int a = 0; a < k; a++)
        for (int p = 0; p < k; p++)
            if (a != p && s->eval.confusion[a * k + p] > best && s->eval.confusion[a * k + p] > 0) {
                best = s->eval.confusion[a * k + p];
                v->cell_a = a;
                v->cell_p = p;
            }
}

static void sync(ui_views *v, const ui_model *m, ui_intent *out)
{
    const ui_snapshot *s = m->snap;
    if (v->cell_on && (s->info.task != NN_TASK_CLASSIFICATION || v->cell_a >= s->info.k || v->cell_p >= s->info.k))
        v->cell_on = false;   /* another dataset */
    send_cell(v, s, out);
}

/* The arrows select a cell (the first press the commonest mistake) and move it: Left/Right the
 * predicted class, Up/Down the actual one; Enter selects or lets go. */
static unsigned key(ui_views *v, const ui_model *m, ui_cmd c, ui_intent *out)
{
    const ui_snapshot *s = m->snap;
    bool arrow = c.act == UI_ACT_LEFT || c.act == UI_ACT_RIGHT || c.act == UI_ACT_UP || c.act == UI_ACT_DOWN;
    if (!arrow && c.act != UI_ACT_EDIT)
        return 0;
    if (!has_matrix(s))
        return ui_intent_message(out, false, "%s", s->info.task == NN_TASK_REGRESSION ? "regression: no confusion matrix"
                                                                                    : "no confusion matrix yet (Space trains)");
    int k = s->info.k;
    if (!v->cell_on) {
        v->cell_on = true;
        first_cell(v, s);
    } else if (c.act == UI_ACT_EDIT) {
        v->cell_on = false;
    } else {
        if (c.act == UI_ACT_LEFT) v->cell_p--;
        if (c.act == UI_ACT_RIGHT) v->cell_p++;
        if (c.act == UI_ACT_UP) v->cell_a--;
        if (c.act == UI_ACT_DOWN) v->cell_a++;
        v->cell_a = v->cell_a < 0 ? 0 : v->cell_a >= k ? k - 1 : v->cell_a;
        v->cell_p = v->cell_p < 0 ? 0 : v->cell_p >= k ? k - 1 : v->cell_p;
    }
    send_cell(v, s, out);
    return UI_REDRAW;
}

static void click(ui_views *v, const ui_model *m, ui_rect r, int x, int y)
{
    const ui_snapshot *s = m->snap;
    if (!has_matrix(s))
        return;
    bool sel = v->cell_on && v->cell_a < s->info.k && v->cell_p < s->info.k;
    int a, p;
    if (ui_heatmap_cell_at(matrix_area(r, s, sel), s->eval.confusion, s->info.k,
                           (const char (*)[NN_NAME_MAX])s->info.class_names, x, y, &a, &p)) {
        v->cell_on = true;
        v->cell_a = a;
        v->cell_p = p;
    }
}

const ui_view_def ui_confusion_view = {
    "Confusion", "Conf", UI_NEED_INFO | UI_NEED_EVAL | UI_NEED_BOUNDARY | UI_NEED_FIT, NULL, draw, key, sync, click,
};
