/* panel_loss.c — the Loss panel: train, val and test loss per epoch as a braille line chart
 * (chart.c) with the latest values in the legend; L toggles a log y axis. Live changes (learning
 * rate, lambda, dropout) are marked under the x axis where they happened, and after a reset or a
 * new configuration the previous run's curves stay as a faint ghost ("prev") for comparison. During a
 * race it shows the race's curves (as the Race view does). */
#include "app.h"

#include "chart.h"

#include <math.h>
#include <stdio.h>

static ui_braille canvas;   /* scratch for the rasteriser; main thread only */

/* The markers of the snapshot's events on the x axis of a chart drawn by ui_chart_draw into cr
 * (same geometry: 7 label columns and the axis, the plot from cr.x + 8, the x axis on the line
 * cr.h - 2). Returns the index of the last event drawn, or -1. */
static int markers(ui_app *a, ui_grid *g, ui_rect cr, int total)
{
    const ui_snapshot *s = &a->snap;
    int px = cr.x + 8, pw = cr.w - 8, ay = cr.y + cr.h - 2;
    if (pw < 2 || cr.h < 4 || s->events.n <= 0 || a->hist_len <= 0)
        return -1;
    int xd = 2 * pw, xt = total > 0 ? total : 1;
    int last = -1;
    for (int i = 0; i < s->events.n && i < UI_EVENT_MAX; i++) {
        const ui_event *e = &s->events.list[i];
        double pos = e->epoch - 1 + (s->n_batches > 0 ? (double)e->batch / s->n_batches : 0.0);
        if (pos < 0)
            pos = 0;
        int dot = xt > 1 ? (int)(pos * (xd - 1) / (xt - 1) + 0.5) : 0;
        int cx = dot / 2;
        if (cx >= pw)
            cx = pw - 1;
        ui_grid_put(g, px + cx, ay, a->th.utf8 ? 0x25B2 : '^', ui_st(&a->th, UI_R_WARN));
        last = i;
    }
    return last;
}

void ui_loss_draw(ui_app *a, ui_grid *g, ui_rect r)
{
    if (a->snap.race.on) {   /* a race has no single history: its curves, larger */
        ui_race_chart(g, r, &a->snap, &a->th, !a->logy);
        return;
    }
    int n = a->hist_len;
    const ui_views *v = &a->views;
    ui_series s[5];
    int ns = 0;
    if (v->ghost_len > 0) {
        /* the previous run's train and val curves, dim, under the current ones; one legend entry */
        ui_series gt = {v->ghost, v->ghost_len, UI_R_DIM, v->ghost_val ? NULL : "prev"};
        s[ns++] = gt;
        if (v->ghost_val) {
            ui_series gv = {v->ghost + v->ghost_cap, v->ghost_len, UI_R_DIM, "prev val"};
            s[ns++] = gv;
        }
    }
    ui_series cur[3] = {
        {a->series, n, UI_R_TRAIN, "train"},
        {a->series + a->hist_cap, n, UI_R_VAL, "val"},
        {a->series + 2 * a->hist_cap, n, UI_R_TEST, "test"},
    };
    for (int i = 0; i < 3; i++)
        s[ns++] = cur[i];
    int total = a->snap.epochs > n ? a->snap.epochs : n;
    if (v->ghost_len > total)
        total = v->ghost_len;
    ui_rect cr = r;
    bool acc_line = r.h >= 8 && n > 0;
    if (acc_line)
        cr.h--;   /* one line of accuracy under the chart */
    ui_chart_draw(g, cr, s, ns, total, a->logy, &a->th, &canvas);
    int ev = markers(a, g, cr, total);
    if (acc_line) {
        const nn_epoch_stats *e = &a->hist[n - 1];
        const char *what = a->snap.info.task == NN_TASK_REGRESSION ? "R2" : "acc";
        int x = r.x, xe = r.x + r.w, y = r.y + r.h - 1;
        x += ui_grid_printf(g, x, y, r.w, ui_st(&a->th, UI_R_DIM),
                            r.w >= 56 && ev < 0 ? "%s  train %.3f  val %.3f  test %.3f   lr %.3g"
                                                : "%s  train %.3f  val %.3f  test %.3f",
                            what, e->train_acc, e->val_acc, e->test_acc, e->lr);
        if (ev >= 0 && xe - x > 12) {
            x += ui_grid_text(g, x, y, xe - x, a->th.utf8 ? "  \xe2\x96\xb2 " : "  ^ ", ui_st(&a->th, UI_R_WARN));
            const ui_event *le = &a->snap.events.list[ev];
            if (le->batch > 0)
                ui_grid_printf(g, x, y, xe - x, ui_st(&a->th, UI_R_WARN), "%s (epoch %d, batch %d)", le->what,
                               le->epoch + 1, le->batch);
            else
                ui_grid_printf(g, x, y, xe - x, ui_st(&a->th, UI_R_WARN), "%s (after epoch %d)", le->what, le->epoch);
        }
    }
}
