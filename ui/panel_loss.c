/* panel_loss.c — the Loss panel: train, val and test loss per epoch as a braille line chart
 * (chart.c) with the latest values in the legend; L toggles a log y axis. */
#include "app.h"

#include "chart.h"

#include <stdio.h>

static ui_braille canvas;   /* scratch for the rasteriser; main thread only */

void ui_loss_draw(ui_app *a, ui_grid *g, ui_rect r)
{
    int n = a->hist_len;
    ui_series s[3] = {
        {a->series, n, UI_R_TRAIN, "train"},
        {a->series + a->hist_cap, n, UI_R_VAL, "val"},
        {a->series + 2 * a->hist_cap, n, UI_R_TEST, "test"},
    };
    int total = a->snap.epochs > n ? a->snap.epochs : n;
    ui_rect cr = r;
    if (r.h >= 8 && n > 0) {
        /* one line of accuracy under the chart */
        cr.h--;
        const nn_epoch_stats *e = &a->hist[n - 1];
        const char *what = a->snap.task == NN_TASK_REGRESSION ? "R2" : "acc";
        ui_grid_printf(g, r.x, r.y + r.h - 1, r.w, ui_st(&a->th, UI_R_DIM),
                       r.w >= 56 ? "%s  train %.3f  val %.3f  test %.3f   lr %.3g" : "%s  train %.3f  val %.3f  test %.3f",
                       what, e->train_acc, e->val_acc, e->test_acc, e->lr);
    }
    ui_chart_draw(g, cr, s, 3, total, a->logy, &a->th, &canvas);
}
