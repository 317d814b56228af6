/* panel_loss.c — the Loss panel: train, val and test loss per epoch as a braille line chart
 * (chart.c) with the latest values in the legend; L toggles a log y axis. Live changes (learning
 * rate, lambda, dropout, a weight set by hand) are marked under the x axis where they happened; after
 * a hand edit the losses of the edited weights are points over the curves (the legend and the
 * accuracy line give their figures until the next epoch ends), and after a reset or a
 * new configuration the previous run's curves stay as a faint ghost ("prev") for comparison. During a
 * race it shows the race's curves (as the Race view does). */
#include "panel.h"

#include "chart.h"

#include <math.h>
#include <stdio.h>

static ui_braille canvas;   /* scratch for the rasteriser; main thread only */

/* The markers of the snapshot's events on the x axis of a chart drawn by ui_chart_draw into cr
 * (same geometry: 7 label columns and the axis, the plot from cr.x + 8, the x axis on the line
 * cr.h - 2). Returns the index of the last event drawn, or -1. */
static int markers(const ui_model *m, ui_grid *g, ui_rect cr, int total)
{
    const ui_snapshot *s = m->snap;
    int px = cr.x + 8, pw = cr.w - 8, ay = cr.y + cr.h - 2;
    if (pw < 2 || cr.h < 4 || s->events.n <= 0 || m->hist_len <= 0)
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
        ui_grid_put(g, px + cx, ay, m->th->utf8 ? 0x25B2 : '^', ui_st(m->th, UI_R_WARN));
        last = i;
    }
    return last;
}

static void draw(const ui_panel *p, ui_grid *g, ui_rect r, const ui_model *m)
{
    (void)p;
    if (m->snap->race.on) {   /* a race has no single history: its curves, larger */
        ui_race_chart(g, r, m->snap, m->th, !m->logy);
        return;
    }
    int n = m->hist_len;
    const ui_views *v = m->views;
    ui_series s[3 + UI_PIN_MAX];
    int ns = 0;
    const ui_pins *pins = m->pins;
    int total = m->snap->epochs > n ? m->snap->epochs : n;
    /* the pinned runs' curves (val, else train) under the current ones, their legend above the chart;
       while runs are pinned they stand for the previous run's ghost */
    for (int i = 0; pins && i < pins->n; i++) {
        const ui_pin *q = &pins->pin[i];
        ui_series ps = {ui_pin_curve(q), q->n, UI_R_DIM, NULL, q->step, q->slot + 1};
        s[ns++] = ps;
        if (q->epochs > total)
            total = q->epochs;
    }
    if (v->ghost_len > 0 && ns == 0) {
        /* the previous run's train and val curves, dim, under the current ones; one legend entry */
        ui_series gt = {v->ghost, v->ghost_len, UI_R_DIM, v->ghost_val ? NULL : "prev", 0, 0};
        s[ns++] = gt;
        if (v->ghost_val) {
            ui_series gv = {v->ghost + v->ghost_cap, v->ghost_len, UI_R_DIM, "prev val", 0, 0};
            s[ns++] = gv;
        }
    }
    ui_series cur[3] = {
        {m->series, n, UI_R_TRAIN, "train", 0, 0},
        {m->series + m->hist_cap, n, UI_R_VAL, "val", 0, 0},
        {m->series + 2 * m->hist_cap, n, UI_R_TEST, "test", 0, 0},
    };
    for (int i = 0; i < 3; i++)
        s[ns++] = cur[i];
    if (v->ghost_len > total && !(pins && pins->n))
        total = v->ghost_len;
    ui_rect cr = r;
    bool pinned = pins && pins->n && r.h >= 8;
    if (pinned) {
        int rows = ui_pins_legend_rows(pins, m->draft, r.w, r.h >= 16 ? 3 : 1);
        ui_pins_legend(g, ui_rect_make(r.x, r.y, r.w, rows), pins, m->draft, m->th);
        cr.y += rows;
        cr.h -= rows;
    }
    /* 8 rows (80x24): the pins' legend takes the accuracy line's place, so that the chart keeps its rows */
    bool acc_line = r.h >= (pinned ? 9 : 8) && n > 0;
    if (acc_line)
        cr.h--;   /* one line of accuracy under the chart */
    /* a weight edited by hand since the last epoch: the losses of the weights now, where it happened */
    const ui_snapshot *sn = m->snap;
    bool edited = sn->has_edit && n > 0 && sn->edit.epoch == n;
    ui_chart_mark mk[3];
    int nm = 0;
    if (edited) {
        double x = sn->edit.epoch - 1 + (sn->n_batches > 0 ? (double)sn->edit_batch / sn->n_batches : 0.0);
        mk[nm++] = (ui_chart_mark){x, sn->edit.train_loss, UI_R_TRAIN};
        mk[nm++] = (ui_chart_mark){x, sn->edit.val_loss, UI_R_VAL};
        mk[nm++] = (ui_chart_mark){x, sn->edit.test_loss, UI_R_TEST};
    }
    ui_chart_draw_marks(g, cr, s, ns, mk, nm, total, m->logy, m->th, &canvas);
    if (edited) {
        /* the legend now gives the edited weights' losses: say so at its row's end, where it is blank */
        static const char *const say[2][2] = {{"# = after the edit", "# edit"},
                                              {"\xe2\x97\x86 = after the edit", "\xe2\x97\x86 edit"}};
        for (int k = 0; k < 2; k++) {
            const char *t = say[m->th->utf8 ? 1 : 0][k];
            int tw = k == 0 ? 18 : 6, x0 = cr.x + cr.w - tw;
            bool blank = x0 > cr.x;
            for (int x = x0 - 1; blank && x < cr.x + cr.w; x++) {
                const ui_cell *c = ui_grid_cat(g, x, cr.y);
                blank = c && c->ch == ' ';
            }
            if (blank) {
                ui_style st = ui_st(m->th, UI_R_WARN);
                st.attr |= UI_A_BOLD;
                ui_grid_text(g, x0, cr.y, tw, t, st);
                break;
            }
        }
    }
    int ev = markers(m, g, cr, total);
    if (acc_line) {
        const nn_epoch_stats *e = edited ? &sn->edit : &m->hist[n - 1];
        bool reg = m->snap->info.task == NN_TASK_REGRESSION;
        char pct[3][16];   /* accuracy as a percent with one decimal, as the status bar and the views show it */
        const double acc[3] = {e->train_acc, e->val_acc, e->test_acc};
        for (int k = 0; k < 3; k++)
            if (!isfinite(acc[k]))
                snprintf(pct[k], sizeof pct[k], "-");
            else
                snprintf(pct[k], sizeof pct[k], reg ? "%.3f" : "%.1f%%", reg ? acc[k] : 100.0 * acc[k]);
        int x = r.x, xe = r.x + r.w, y = r.y + r.h - 1;
        x += ui_grid_printf(g, x, y, r.w, ui_st(m->th, UI_R_DIM),
                            r.w >= 60 && ev < 0 ? "%s  train %s  val %s  test %s   lr %.3g"
                                                : "%s  train %s  val %s  test %s",
                            reg ? "R2" : "acc", pct[0], pct[1], pct[2], e->lr);
        if (ev >= 0 && xe - x > 12) {
            x += ui_grid_text(g, x, y, xe - x, m->th->utf8 ? "  \xe2\x96\xb2 " : "  ^ ", ui_st(m->th, UI_R_WARN));
            const ui_event *le = &m->snap->events.list[ev];
            if (le->batch > 0)
                ui_grid_printf(g, x, y, xe - x, ui_st(m->th, UI_R_WARN), "%s (epoch %d, batch %d)", le->what,
                               le->epoch + 1, le->batch);
            else
                ui_grid_printf(g, x, y, xe - x, ui_st(m->th, UI_R_WARN), "%s (after epoch %d)", le->what, le->epoch);
        }
    }
}

/* Enter: log / linear scale (as L anywhere). */
static unsigned key(ui_panel *p, const ui_model *m, ui_cmd c, ui_intent *out)
{
    (void)p;
    (void)m;
    if (c.act != UI_ACT_EDIT)
        return 0;
    out->kind = UI_INTENT_TOGGLE_LOG;
    return UI_REDRAW;
}

const ui_panel_class ui_loss_class = {NULL, draw, key, NULL, NULL};
