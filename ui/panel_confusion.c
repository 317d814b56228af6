/* panel_confusion.c — the Confusion panel: the test confusion matrix as a heatmap with accuracy
 * and per-class precision, recall and F1 (heatmap.c), updated every epoch. For regression it
 * shows R², MSE and MAE, and a scatter of predicted against actual test values (for 1-D data, the
 * fitted curve over the data points instead). */
#include "app.h"

#include "chart.h"
#include "heatmap.h"
#include "views.h"

#include <math.h>
#include <stdio.h>

static ui_braille canvas;

/* Predicted (vertical) against actual (horizontal) for the sampled test rows, with the diagonal
 * y = x where a perfect fit lies; the range labels are in data units. */
static void fit_scatter(ui_app *a, ui_grid *g, ui_rect r)
{
    const ui_snapshot *s = &a->snap;
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
    ui_grid_text(g, r.x, r.y, lw - 1, l1, ui_st(&a->th, UI_R_DIM));
    ui_grid_text(g, r.x, r.y + r.h - 2, lw - 1, l0, ui_st(&a->th, UI_R_DIM));
    ui_rect c = ui_rect_make(r.x + lw, r.y, r.w - lw, r.h - 1);
    ui_grid_printf(g, c.x, r.y + r.h - 1, c.w, ui_st(&a->th, UI_R_DIM), "%s  actual -> %s", l0, l1);
    ui_braille_init(&canvas, c.w, c.h);
    int xd = 2 * canvas.w - 1, yd = 4 * canvas.h - 1;
    ui_braille_line(&canvas, 0, yd, xd, 0, ui_st(&a->th, UI_R_DIM).fg);
    int16_t pf = ui_st(&a->th, UI_R_TEST).fg;
    for (int i = 0; i < s->fit.n && i < UI_FIT_MAX; i++) {
        if (!isfinite(s->fit.actual[i]) || !isfinite(s->fit.pred[i]))
            continue;
        int x = (int)lround((double)((s->fit.actual[i] - lo) / (hi - lo) * (float)xd));
        int y = (int)lround((double)((hi - s->fit.pred[i]) / (hi - lo) * (float)yd));
        ui_braille_dot(&canvas, x, y, pf);
    }
    ui_braille_blit(&canvas, g, c.x, c.y, -1, !a->th.utf8);
}

void ui_confusion_draw(ui_app *a, ui_grid *g, ui_rect r)
{
    const ui_snapshot *s = &a->snap;
    const ui_theme *th = &a->th;
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
        if (room)
            ui_grid_printf(g, r.x, r.y, r.w, ui_st(th, UI_R_DIM), "test split after epoch %d (rows: actual)",
                           s->last.epoch);
        ui_heatmap_confusion(g, ui_rect_make(r.x, r.y + room, r.w, r.h - room), s->eval.confusion, s->info.k,
                             (const char (*)[NN_NAME_MAX])s->info.class_names, &s->eval.metrics, th);
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
        fit_scatter(a, g, ui_rect_make(r.x, r.y + 3, r.w, r.h - 3));
    }
}
