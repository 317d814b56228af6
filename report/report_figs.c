/* report_figs.c — the figures: loss curves, confusion matrix, predicted against actual, decision
 * boundary, network diagram. Each draws into (0, 0)-(w, h) at base font size fs, so the PNG, the
 * SVG and the tiles of report.pdf are one drawing code. Greyscale print keeps them readable: the
 * loss curves differ by dash and marker too, classes by marker shape, weight signs by dash. */
#include "report_draw.h"

#include "activation.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool finite_pos(double v, bool logy) { return isfinite(v) && (!logy || v > 0); }

/* The figure's title in bold, the run's name after it (not on the page, which has it on top). */
static void title(rp_pen *p, const nn_report *r, const char *t, double w, double fs)
{
    double tw = rp_text(p, 0, fs * 0.3, t, fs * 1.15, true, 0, 0, rp_ink, w);
    if (!p->page && r->name[0] && tw + fs * 2 < w)
        rp_text(p, tw + fs * 0.6, fs * 0.42, r->name, fs * 0.95, false, 0, 0, rp_grey, w - tw - fs * 0.6);
}

// --- loss ---------------------------------------------------------------------------------------

typedef struct {
    const char *label;
    rp_rgb colour;
    int dash, marker;
    double lw;
} series_style;

/* v (n values, x = 1..n) as a line broken at missing values, with markers when few. */
static void draw_series(rp_pen *p, const rp_plot *pl, const double *v, int n, const series_style *st, bool markers,
                        double fs)
{
    cairo_t *cr = p->cr;
    bool open = false;
    for (int i = 0; i < n; i++) {
        if (!finite_pos(v[i], pl->logy)) {
            open = false;
            continue;
        }
        double x = rp_px(pl, i + 1), y = rp_py(pl, v[i]);
        if (open)
            cairo_line_to(cr, x, y);
        else
            cairo_move_to(cr, x, y);
        open = true;
    }
    rp_colour(cr, st->colour);
    cairo_set_line_width(cr, st->lw);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    rp_dash(cr, st->dash, st->lw);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    if (!markers || st->marker < 0)
        return;
    for (int i = 0; i < n; i++)
        if (finite_pos(v[i], pl->logy))
            rp_marker(cr, st->marker, rp_px(pl, i + 1), rp_py(pl, v[i]), fs * 0.3, st->colour, true);
}

static void legend_entry(rp_pen *p, double x, double y, const series_style *st, bool marker, double fs, double max_w)
{
    cairo_t *cr = p->cr;
    rp_colour(cr, st->colour);
    cairo_set_line_width(cr, st->lw);
    rp_dash(cr, st->dash, st->lw);
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, x + fs * 2.4, y);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    if (marker && st->marker >= 0)
        rp_marker(cr, st->marker, x + fs * 1.2, y, fs * 0.3, st->colour, true);
    rp_text(p, x + fs * 3, y, st->label, fs * 0.9, false, 0, 0.5, rp_ink, max_w);
}

void rp_fig_loss(rp_pen *p, const nn_report *r, double w, double h, double fs)
{
    cairo_t *cr = p->cr;
    int n = r->n_hist;
    for (int i = 0; i < r->n_curves; i++)
        if (r->curves[i].n > n)
            n = r->curves[i].n;
    double *v[3];
    for (int s = 0; s < 3; s++)
        v[s] = calloc((size_t)(r->n_hist > 0 ? r->n_hist : 1), sizeof *v[s]);
    if (!v[0] || !v[1] || !v[2])
        goto out;
    bool present[3] = {false, false, false};
    double lo = HUGE_VAL, hi = -HUGE_VAL;
    for (int i = 0; i < r->n_hist; i++) {
        v[0][i] = r->hist[i].train_loss;
        v[1][i] = r->hist[i].val_loss;
        v[2][i] = r->hist[i].test_loss;
    }
    for (int s = 0; s < 3; s++)
        for (int i = 0; i < r->n_hist; i++)
            if (isfinite(v[s][i])) {
                present[s] = true;
                lo = fmin(lo, v[s][i]);
                hi = fmax(hi, v[s][i]);
            }
    for (int c = 0; c < r->n_curves; c++)
        for (int i = 0; i < r->curves[c].n; i++)
            if (isfinite(r->curves[c].loss[i])) {
                lo = fmin(lo, r->curves[c].loss[i]);
                hi = fmax(hi, r->curves[c].loss[i]);
            }
    /* title */
    double th = fs * 1.9;
    title(p, r, "Loss per epoch", w, fs);

    /* events take rows above the plot: their labels alternate between two */
    int ev_rows = r->n_events > 1 ? 2 : r->n_events;
    double top = th + fs * 0.4 + ev_rows * fs * 1.2;
    rp_plot pl = {.x = fs * 4.6, .y = top, .w = w - fs * 4.6 - fs * 1.2, .h = h - top - fs * 3.3};
    if (pl.w < fs * 4 || pl.h < fs * 4)
        goto out;
    if (n == 0 || !(hi >= lo)) {
        rp_frame(p, &(rp_plot){.x = pl.x, .y = pl.y, .w = pl.w, .h = pl.h, .x0 = 0, .x1 = 1, .y0 = 0, .y1 = 1}, fs,
                 "epoch", "loss", true);
        rp_text(p, pl.x + pl.w / 2, pl.y + pl.h / 2, r->no_history[0] ? r->no_history : "no epochs trained yet",
                fs, false, 0.5, 0.5, rp_grey, pl.w - fs * 2);
        goto out;
    }
    pl.x0 = 1;
    pl.x1 = n > 1 ? n : 2;
    if (n == 1)
        pl.x0 = 0;
    for (int e = 0; e < r->n_events; e++)
        if (r->events[e].x < pl.x0)
            pl.x0 = floor(r->events[e].x);
    pl.logy = lo > 0 && hi / lo > 30;
    if (pl.logy) {
        pl.y0 = log10(lo) - 0.05 * (log10(hi) - log10(lo));
        pl.y1 = log10(hi) + 0.05 * (log10(hi) - log10(lo));
    } else {
        pl.y0 = lo >= 0 && lo < 0.6 * hi ? 0 : lo - 0.05 * (hi - lo);
        pl.y1 = hi + 0.06 * (hi - lo) + (hi == lo ? fabs(hi) * 0.1 + 1e-3 : 0);
        if (hi == lo && pl.y0 == lo)
            pl.y0 = lo - fabs(lo) * 0.1 - 1e-3;
    }
    rp_frame(p, &pl, fs, "epoch", pl.logy ? "loss (log scale)" : "loss", true);

    /* live changes: a dashed grey line each, the label above the plot */
    for (int e = 0; e < r->n_events; e++) {
        double x = rp_px(&pl, r->events[e].x);
        if (x < pl.x - 0.5 || x > pl.x + pl.w + 0.5)
            continue;
        cairo_set_line_width(cr, fs * 0.08);
        rp_colour(cr, rp_grey);
        rp_dash(cr, 2, fs * 0.08 * 3);
        cairo_move_to(cr, x, pl.y - (e % 2 == 0 && ev_rows == 2 ? fs * 1.2 : 0));
        cairo_line_to(cr, x, pl.y + pl.h);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        double ly = pl.y - fs * 0.15 - (ev_rows == 2 && e % 2 == 0 ? fs * 1.2 : 0);
        double lx = x + fs * 0.25;
        double maxw = pl.x + pl.w - lx;
        double anchor = 0;
        if (maxw < fs * 8) {   /* near the right edge: the label goes left of its line */
            lx = x - fs * 0.25;
            anchor = 1;
            maxw = fs * 14;
        }
        rp_text(p, lx, ly, r->events[e].what, fs * 0.8, false, anchor, 1, rp_ink, fmin(maxw, fs * 16));
    }

    static const series_style st[3] = {
        {"train", {0, 0, 0}, 0, 0, 0}, {"validation", {0, 0, 0}, 1, 1, 0}, {"test", {0, 0, 0}, 2, 2, 0}};
    series_style s3[3];
    memcpy(s3, st, sizeof s3);
    s3[0].colour = rp_train;
    s3[1].colour = rp_val;
    s3[2].colour = rp_test;
    for (int s = 0; s < 3; s++)
        s3[s].lw = fs * 0.17;
    bool markers = n <= 40;
    cairo_save(cr);
    cairo_rectangle(cr, pl.x, pl.y, pl.w, pl.h);
    cairo_clip(cr);
    series_style pst[NN_REPORT_MAX_CURVES];
    for (int c = 0; c < r->n_curves; c++) {
        pst[c] = (series_style){r->curves[c].name, rp_pinned(c), 3 + c % 3, -1, fs * 0.11};
        draw_series(p, &pl, r->curves[c].loss, r->curves[c].n, &pst[c], false, fs);
    }
    for (int s = 2; s >= 0; s--)
        if (present[s])
            draw_series(p, &pl, v[s], r->n_hist, &s3[s], markers, fs);
    cairo_restore(cr);

    /* the legend, top right inside the plot */
    int entries = present[0] + present[1] + present[2] + r->n_curves + (r->n_events > 0);
    double lw = fs * 12, lh = entries * fs * 1.35 + fs * 0.5;
    double lx = pl.x + pl.w - lw - fs * 0.5, ly = pl.y + fs * 0.5;
    cairo_set_source_rgba(cr, 1, 1, 1, 0.88);
    cairo_rectangle(cr, lx, ly, lw, lh);
    cairo_fill_preserve(cr);
    rp_colour(cr, rp_light);
    cairo_set_line_width(cr, fs * 0.06);
    cairo_stroke(cr);
    double y = ly + fs * 0.9;
    for (int s = 0; s < 3; s++)
        if (present[s]) {
            legend_entry(p, lx + fs * 0.5, y, &s3[s], markers, fs, lw - fs * 3.8);
            y += fs * 1.35;
        }
    for (int c = 0; c < r->n_curves; c++) {
        legend_entry(p, lx + fs * 0.5, y, &pst[c], false, fs, lw - fs * 3.8);
        y += fs * 1.35;
    }
    if (r->n_events > 0) {
        series_style ev = {"live change", rp_grey, 2, -1, fs * 0.08 * 3};
        legend_entry(p, lx + fs * 0.5, y, &ev, false, fs, lw - fs * 3.8);
    }
out:
    for (int s = 0; s < 3; s++)
        free(v[s]);
}

// --- confusion matrix ---------------------------------------------------------------------------

void rp_fig_confusion(rp_pen *p, const nn_report *r, double w, double h, double fs)
{
    cairo_t *cr = p->cr;
    int k = r->k;
    const nn_class_metrics *m = &r->metrics;
    char buf[256];
    title(p, r, "Confusion matrix", w, fs);
    snprintf(buf, sizeof buf, "%s split, %ld rows: accuracy %.4f", r->eval_split, m->total, m->accuracy);
    rp_text(p, 0, fs * 1.85, buf, fs * 0.95, false, 0, 0, rp_ink, w);
    double top = fs * 3.5;
    if (k <= 0)
        return;
    /* the table of per-class metrics: right of the matrix when there is room, else below it */
    double name_w = 0;
    for (int c = 0; c < k; c++) {
        double tw, th;
        rp_text_size(p, r->class_names[c], fs * 0.9, false, &tw, &th);
        name_w = fmax(name_w, tw);
    }
    name_w = fmin(fmax(name_w, fs * 5.5), fs * 9);
    double num_w, row_h = fs * 1.35, hh;
    rp_text_size(p, "precision", fs * 0.9, true, &num_w, &hh);
    num_w += fs * 0.7;
    double table_w = name_w + fs * 0.6 + 4 * num_w;
    double table_h = (k + 2) * row_h + fs * 0.3;
    bool side = w - table_w - fs * 1.5 >= (h - top) * 0.75;
    double mw = side ? w - table_w - fs * 1.5 : w, mh = side ? h - top : h - top - table_h - fs;
    if (!side && table_h > h - top)
        table_h = h - top;
    /* labels: rows (actual) on the left, columns (predicted) on top, turned when long */
    double lab_w = fmin(name_w, fs * 7) + fs * 0.5;
    double cell = fmin((mw - lab_w - fs * 1.6) / k, (mh - fs * 1.6 - fs * 1.5) / k);
    bool turn = false;
    for (int c = 0; c < k; c++) {
        double tw, th;
        rp_text_size(p, r->class_names[c], fs * 0.85, false, &tw, &th);
        if (tw > cell * 0.95)
            turn = true;
    }
    double col_h = turn ? fmin(name_w, fs * 6) + fs * 0.3 : fs * 1.4;
    cell = fmin(fmin((mw - lab_w - fs * 1.6) / k, (mh - fs * 1.6 - col_h) / k), fs * 5);
    if (cell < 2)
        cell = 2;
    double gx = fs * 1.6 + lab_w, gy = top + fs * 1.5 + col_h;
    rp_text(p, gx + cell * k / 2, top, "predicted", fs * 0.95, false, 0.5, 0, rp_ink, 0);
    rp_text_rot(p, fs * 0.1, gy + cell * k / 2, "actual", fs * 0.95, false, -M_PI / 2, 0.5, 0, rp_ink, 0);
    double label_fs = fmin(fs * 0.85, fmax(cell * 0.6, fs * 0.5));
    for (int c = 0; c < k; c++) {
        rp_text(p, gx - fs * 0.35, gy + (c + 0.5) * cell, r->class_names[c], label_fs, false, 1, 0.5, rp_ink,
                lab_w - fs * 0.4);
        if (turn)
            rp_text_rot(p, gx + (c + 0.5) * cell, gy - fs * 0.3, r->class_names[c], label_fs, false, -M_PI / 2, 0,
                        0.5, rp_ink, col_h - fs * 0.3);
        else
            rp_text(p, gx + (c + 0.5) * cell, gy - fs * 0.25, r->class_names[c], label_fs, false, 0.5, 1, rp_ink,
                    cell);
    }
    double count_fs = fmin(fs * 0.95, cell * 0.38);
    for (int a = 0; a < k; a++) {
        long row = 0;
        for (int b = 0; b < k; b++)
            row += r->confusion[a * k + b];
        for (int b = 0; b < k; b++) {
            int n = r->confusion[a * k + b];
            double frac = row > 0 ? (double)n / (double)row : 0;
            rp_rgb c = rp_mix(rp_white, rp_train, frac);
            rp_colour(cr, c);
            cairo_rectangle(cr, gx + b * cell, gy + a * cell, cell, cell);
            cairo_fill_preserve(cr);
            rp_colour(cr, a == b ? rp_ink : rp_light);
            cairo_set_line_width(cr, a == b ? fs * 0.09 : fs * 0.05);
            cairo_stroke(cr);
            if (count_fs >= fs * 0.4) {
                snprintf(buf, sizeof buf, "%d", n);
                rp_text(p, gx + (b + 0.5) * cell, gy + (a + 0.5) * cell, buf, count_fs, a == b, 0.5, 0.5,
                        frac > 0.5 ? rp_white : rp_ink, cell);
            }
        }
    }
    /* the table */
    double tx = side ? w - table_w : fs * 0.5, ty = side ? top + fs * 0.2 : gy + k * cell + fs;
    static const char *const head[4] = {"precision", "recall", "F1", "support"};
    rp_text(p, tx, ty, "class", fs * 0.9, true, 0, 0, rp_ink, name_w);
    for (int j = 0; j < 4; j++)
        rp_text(p, tx + name_w + fs * 0.6 + (j + 1) * num_w, ty, head[j], fs * 0.9, true, 1, 0, rp_ink, num_w);
    int rows = (int)((table_h - fs * 0.3) / row_h) - 2;   /* rows that fit, past the header and macro */
    for (int c = 0; c <= k; c++) {
        bool macro = c == k;
        if (!macro && c >= rows && k > rows) {
            if (c == rows) {
                snprintf(buf, sizeof buf, "... %d more classes", k - rows);
                rp_text(p, tx, ty + (c + 1) * row_h, buf, fs * 0.85, false, 0, 0, rp_grey, table_w);
            }
            continue;
        }
        double y = ty + ((macro ? (k > rows ? rows + 1 : k) : c) + 1) * row_h + (macro ? fs * 0.3 : 0);
        if (macro) {
            rp_colour(cr, rp_grey);
            cairo_set_line_width(cr, fs * 0.05);
            cairo_move_to(cr, tx, y - fs * 0.15);
            cairo_line_to(cr, tx + table_w, y - fs * 0.15);
            cairo_stroke(cr);
        }
        rp_text(p, tx, y, macro ? "macro avg" : r->class_names[c], fs * 0.9, macro, 0, 0, rp_ink, name_w);
        double vals[4] = {macro ? m->macro_precision : m->precision[c], macro ? m->macro_recall : m->recall[c],
                          macro ? m->macro_f1 : m->f1[c], (double)(macro ? m->total : m->support[c])};
        for (int j = 0; j < 4; j++) {
            if (j < 3)
                snprintf(buf, sizeof buf, "%.3f", vals[j]);
            else
                snprintf(buf, sizeof buf, "%.0f", vals[j]);
            rp_text(p, tx + name_w + fs * 0.6 + (j + 1) * num_w, y, buf, fs * 0.9, macro, 1, 0, rp_ink, num_w);
        }
    }
}

// --- predicted against actual (regression) -----------------------------------------------------

void rp_fig_fit(rp_pen *p, const nn_report *r, double w, double h, double fs)
{
    cairo_t *cr = p->cr;
    char buf[256];
    title(p, r, "Predicted against actual", w, fs);
    snprintf(buf, sizeof buf, "%s split, %ld values: R\xc2\xb2 %.4f, MSE %.4g", r->eval_split, r->reg.n, r->reg.r2,
             r->reg.mse);
    rp_text(p, 0, fs * 1.85, buf, fs * 0.95, false, 0, 0, rp_ink, w);
    double top = fs * 3.6;
    double side = fmin(w - fs * 5.5, h - top - fs * 3.5);
    if (side < fs * 4)
        return;
    rp_plot pl = {.x = fs * 4.6 + (w - fs * 5.5 - side) / 2, .y = top, .w = side, .h = side};
    double lo = HUGE_VAL, hi = -HUGE_VAL;
    for (int i = 0; i < r->fit_n; i++) {
        if (isfinite(r->fit_actual[i])) {
            lo = fmin(lo, r->fit_actual[i]);
            hi = fmax(hi, r->fit_actual[i]);
        }
        if (isfinite(r->fit_pred[i])) {
            lo = fmin(lo, r->fit_pred[i]);
            hi = fmax(hi, r->fit_pred[i]);
        }
    }
    if (!(hi >= lo)) {
        lo = 0;
        hi = 1;
    }
    double pad = hi > lo ? 0.05 * (hi - lo) : 0.5;
    pl.x0 = pl.y0 = lo - pad;
    pl.x1 = pl.y1 = hi + pad;
    rp_frame(p, &pl, fs, "actual", "predicted", false);
    cairo_save(cr);
    cairo_rectangle(cr, pl.x, pl.y, pl.w, pl.h);
    cairo_clip(cr);
    rp_colour(cr, rp_grey);
    cairo_set_line_width(cr, fs * 0.08);
    rp_dash(cr, 1, fs * 0.08 * 2);
    cairo_move_to(cr, rp_px(&pl, pl.x0), rp_py(&pl, pl.y0));
    cairo_line_to(cr, rp_px(&pl, pl.x1), rp_py(&pl, pl.y1));
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    for (int i = 0; i < r->fit_n; i++)
        if (isfinite(r->fit_actual[i]) && isfinite(r->fit_pred[i]))
            rp_marker(cr, 0, rp_px(&pl, r->fit_actual[i]), rp_py(&pl, r->fit_pred[i]), fs * 0.25, rp_train, true);
    cairo_restore(cr);
    rp_text(p, pl.x + fs * 0.5, pl.y + fs * 0.4, "dashed: predicted = actual", fs * 0.8, false, 0, 0, rp_grey, 0);
}

// --- decision boundary, surface or curve --------------------------------------------------------

/* The class boundaries as lines: marching squares over the cell centres, each edge whose ends
 * differ cut at its middle, the cuts of a square joined (through its centre when there are more
 * than two). */
static void contours(cairo_t *cr, const nn_report *r, const rp_plot *pl)
{
    int gw = r->grid_w, gh = r->grid_h;
    double cw = pl->w / gw, ch = pl->h / gh;
    for (int y = 0; y + 1 < gh; y++)
        for (int x = 0; x + 1 < gw; x++) {
            int a = r->grid_cls[y * gw + x], b = r->grid_cls[y * gw + x + 1];
            int c = r->grid_cls[(y + 1) * gw + x + 1], d = r->grid_cls[(y + 1) * gw + x];
            double px[4], py[4];
            int n = 0;
            double x0 = pl->x + (x + 0.5) * cw, y0 = pl->y + (y + 0.5) * ch;
            if (a != b) { px[n] = x0 + cw / 2; py[n++] = y0; }
            if (b != c) { px[n] = x0 + cw; py[n++] = y0 + ch / 2; }
            if (c != d) { px[n] = x0 + cw / 2; py[n++] = y0 + ch; }
            if (d != a) { px[n] = x0; py[n++] = y0 + ch / 2; }
            if (n == 2) {
                cairo_move_to(cr, px[0], py[0]);
                cairo_line_to(cr, px[1], py[1]);
            } else if (n > 2) {
                for (int i = 0; i < n; i++) {
                    cairo_move_to(cr, px[i], py[i]);
                    cairo_line_to(cr, x0 + cw / 2, y0 + ch / 2);
                }
            }
        }
    cairo_stroke(cr);
}

/* The grid as an image, one pixel per cell, drawn smoothly over the plot. */
static void grid_image(cairo_t *cr, const nn_report *r, const rp_plot *pl)
{
    int gw = r->grid_w, gh = r->grid_h;
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, gw, gh);
    if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(img);
        return;
    }
    cairo_surface_flush(img);
    unsigned char *data = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    double base = r->k > 1 ? 1.0 / r->k : 0.0;
    for (int y = 0; y < gh; y++)
        for (int x = 0; x < gw; x++) {
            double conf = r->grid_conf[y * gw + x];
            rp_rgb c;
            if (r->view == NN_PROBE_SURFACE) {
                c = rp_mix(rp_white, rp_train, 0.08 + 0.8 * conf);
            } else {
                double frac = r->k > 1 ? (conf - base) / (1.0 - base) : conf;
                c = rp_mix(rp_white, rp_class(r->grid_cls[y * gw + x]), 0.18 + 0.42 * (frac > 0 ? frac : 0));
            }
            uint32_t px = (uint32_t)lround(c.r * 255) << 16 | (uint32_t)lround(c.g * 255) << 8 |
                          (uint32_t)lround(c.b * 255);
            memcpy(data + (size_t)y * (size_t)stride + (size_t)x * 4, &px, 4);
        }
    cairo_surface_mark_dirty(img);
    cairo_save(cr);
    cairo_rectangle(cr, pl->x, pl->y, pl->w, pl->h);
    cairo_clip(cr);
    cairo_translate(cr, pl->x, pl->y);
    cairo_scale(cr, pl->w / gw, pl->h / gh);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
    cairo_paint(cr);
    cairo_restore(cr);
    cairo_surface_destroy(img);
}

/* A legend entry: a marker, a line, or text alone. */
typedef struct {
    int kind;                   /* 0 marker, 1 line, 2 text */
    int shape;
    rp_rgb colour;
    bool filled;
    char label[NN_NAME_MAX + 16];
} leg_item;

static int boundary_legend(const nn_report *r, leg_item *it, int max)
{
    int n = 0;
    if (r->view == NN_PROBE_BOUNDARY) {
        int shown = r->k <= 12 ? r->k : 11;
        for (int c = 0; c < shown && n < max; c++) {
            it[n] = (leg_item){0, c, rp_class(c), true, ""};
            snprintf(it[n++].label, sizeof it[0].label, "%s", r->class_names[c]);
        }
        if (shown < r->k && n < max) {
            it[n] = (leg_item){2, 0, rp_grey, false, ""};
            snprintf(it[n++].label, sizeof it[0].label, "... %d more", r->k - shown);
        }
    } else if (r->view == NN_PROBE_CURVE && n < max) {
        it[n++] = (leg_item){1, 0, rp_train, false, "prediction"};
    }
    if (n + 2 <= max) {
        it[n++] = (leg_item){0, 0, rp_grey, true, "train (filled)"};
        it[n++] = (leg_item){0, 0, rp_grey, false, "test (hollow)"};
    }
    return n;
}

/* Draws item at (x, y) (its vertical middle); returns the width it took. */
static double leg_draw(rp_pen *p, const leg_item *it, double x, double y, double fs, double max_w)
{
    cairo_t *cr = p->cr;
    double ox = fs * 1.3;
    if (it->kind == 0) {
        rp_marker(cr, it->shape, x + fs * 0.5, y, fs * 0.32, it->colour, it->filled);
    } else if (it->kind == 1) {
        rp_colour(cr, it->colour);
        cairo_set_line_width(cr, fs * 0.2);
        cairo_move_to(cr, x, y);
        cairo_line_to(cr, x + fs * 1.0, y);
        cairo_stroke(cr);
    } else {
        ox = 0;
    }
    return ox + rp_text(p, x + ox, y, it->label, fs * 0.9, false, 0, 0.5, it->kind == 2 ? rp_grey : rp_ink,
                        max_w - ox);
}

void rp_fig_boundary(rp_pen *p, const nn_report *r, double w, double h, double fs)
{
    cairo_t *cr = p->cr;
    title(p, r, r->view == NN_PROBE_BOUNDARY ? "Decision boundary"
                : r->view == NN_PROBE_SURFACE ? "Prediction surface" : "Fitted curve", w, fs);
    double top = fs * 2.3;
    if (r->n_inputs > 2 && r->view != NN_PROBE_CURVE) {
        rp_text(p, 0, top, "the other features held at their mean", fs * 0.85, false, 0, 0, rp_grey, w);
        top += fs * 1.3;
    }
    leg_item items[16];
    int n_items = boundary_legend(r, items, 16);
    /* the legend: right of the plot on a wide figure, below it on a narrow one (a tile of the page) */
    bool below = w < h * 1.15;
    double legend_w = below ? 0 : fs * 10.5, legend_h = 0;
    if (below) {
        double x = 0, rows = 1;
        for (int i = 0; i < n_items; i++) {
            double tw, th;
            rp_text_size(p, items[i].label, fs * 0.9, false, &tw, &th);
            double iw = fmin(tw, fs * 10) + fs * 2.3;
            if (x > 0 && x + iw > w) {
                rows++;
                x = 0;
            }
            x += iw;
        }
        legend_h = rows * fs * 1.4 + fs * 0.4 + (r->view == NN_PROBE_SURFACE ? fs * 1.4 : 0);
    }
    double side = fmin(w - fs * 5 - legend_w, h - top - fs * 3.4 - legend_h);
    if (side < fs * 4)
        return;
    rp_plot pl = {.x = fs * 4.6, .y = top, .w = side, .h = side, .x0 = r->x_min, .x1 = r->x_max, .y0 = r->y_min,
                  .y1 = r->y_max};
    if (r->view == NN_PROBE_CURVE) {
        pl.w = w - fs * 5 - legend_w;
        pl.h = h - top - fs * 3.4 - legend_h;
    }
    if (r->view != NN_PROBE_CURVE && r->grid_cls && r->grid_conf)
        grid_image(cr, r, &pl);
    rp_frame(p, &pl, fs, r->axis[0], r->axis[1], false);
    cairo_save(cr);
    cairo_rectangle(cr, pl.x, pl.y, pl.w, pl.h);
    cairo_clip(cr);
    if (r->view == NN_PROBE_BOUNDARY && r->grid_cls) {
        rp_colour(cr, rp_ink);
        cairo_set_line_width(cr, fs * 0.09);
        contours(cr, r, &pl);
    }
    /* points: training rows filled, test rows hollow; the class by colour and shape */
    double ps = fs * (r->n_points > 600 ? 0.24 : 0.3);
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < r->n_points; i++) {
            const nn_probe_point *pt = &r->points[i];
            if (pt->is_test != pass)
                continue;
            int c = r->view == NN_PROBE_BOUNDARY ? pt->cls : 0;
            rp_marker(cr, c, rp_px(&pl, pt->x), rp_py(&pl, pt->y), ps,
                      r->view == NN_PROBE_BOUNDARY ? rp_class(c) : rp_grey, !pt->is_test);
        }
    if (r->view == NN_PROBE_CURVE && r->curve_n > 0) {
        for (int i = 0; i < r->curve_n; i++) {
            double x = rp_px(&pl, r->curve_x[i]), y = rp_py(&pl, r->curve_y[i]);
            if (i == 0)
                cairo_move_to(cr, x, y);
            else
                cairo_line_to(cr, x, y);
        }
        rp_colour(cr, rp_train);
        cairo_set_line_width(cr, fs * 0.2);
        cairo_stroke(cr);
    }
    cairo_restore(cr);

    char lo[32], hi[32], buf[128];
    rp_number(lo, sizeof lo, r->vmin);
    rp_number(hi, sizeof hi, r->vmax);
    if (below) {
        double x = 0, y = pl.y + pl.h + fs * 3.2;
        if (r->view == NN_PROBE_SURFACE) {
            snprintf(buf, sizeof buf, "prediction from %s (light) to %s (dark)", lo, hi);
            rp_text(p, 0, y, buf, fs * 0.9, false, 0, 0.5, rp_ink, w);
            y += fs * 1.4;
        }
        for (int i = 0; i < n_items; i++) {
            double tw, th;
            rp_text_size(p, items[i].label, fs * 0.9, false, &tw, &th);
            double iw = fmin(tw, fs * 10) + fs * 2.3;
            if (x > 0 && x + iw > w) {
                x = 0;
                y += fs * 1.4;
            }
            leg_draw(p, &items[i], x, y, fs, fs * 11.3);
            x += iw;
        }
        return;
    }
    double lx = pl.x + pl.w + fs * 1.0, y = top + fs * 0.6, maxw = legend_w - fs;
    if (r->view == NN_PROBE_SURFACE) {
        /* a colour bar from the lowest to the highest prediction */
        double bh = fs * 8;
        for (int i = 0; i < 64; i++) {
            rp_colour(cr, rp_mix(rp_white, rp_train, 0.08 + 0.8 * (1 - i / 63.0)));
            cairo_rectangle(cr, lx, y + bh * i / 64, fs * 1.2, bh / 64 + 0.5);
            cairo_fill(cr);
        }
        rp_text(p, lx + fs * 1.6, y, hi, fs * 0.85, false, 0, 0.5, rp_ink, maxw);
        rp_text(p, lx + fs * 1.6, y + bh, lo, fs * 0.85, false, 0, 0.5, rp_ink, maxw);
        rp_text(p, lx, y + bh + fs * 1.0, "prediction", fs * 0.85, false, 0, 0, rp_ink, legend_w);
        y += bh + fs * 3;
    }
    for (int i = 0; i < n_items; i++) {
        if (i == n_items - 2)
            y += fs * 0.6;   /* train and test apart from the classes */
        leg_draw(p, &items[i], lx, y, fs, maxw);
        y += fs * 1.35;
    }
}

// --- the network --------------------------------------------------------------------------------

#define NET_SHOW 8   /* a layer wider than this shows its first 4 and last 3 units */

/* Unit of slot s in a layer of n units (-1: the gap of a summarised layer). */
static int slot_unit(int n, int s)
{
    if (n <= NET_SHOW)
        return s;
    return s < 4 ? s : s == 4 ? -1 : n - (NET_SHOW - s);
}

static int slots(int n) { return n <= NET_SHOW ? n : NET_SHOW; }

void rp_fig_network(rp_pen *p, const nn_report *r, double w, double h, double fs)
{
    cairo_t *cr = p->cr;
    int cols = r->n_layers + 1;
    char buf[128];
    title(p, r, "Network", w, fs);
    if (r->n_layers <= 0)
        return;
    bool names_in = r->n_input_names > 0, names_out = r->k > 0 && r->layers[r->n_layers - 1].out == r->k &&
                                                       r->k <= NET_SHOW;
    double left = names_in ? fs * 7 : fs * 2.5, right = names_out ? fs * 7.5 : fs * 2.5;
    double head = fs * 4.4, foot = fs * 3.2;
    double top = head, area = h - head - foot;
    if (area < fs * 3)
        return;
    double spacing = area / NET_SHOW;
    double rad = fmin(spacing * 0.3, fs * 0.7);
    double colw = cols > 1 ? (w - left - right) / (cols - 1) : 0;
    int sizes[NN_MAX_LAYERS + 1];
    sizes[0] = r->n_inputs;
    for (int l = 0; l < r->n_layers; l++)
        sizes[l + 1] = r->layers[l].out;
    bool summarised = false;
    /* column headers */
    for (int c = 0; c < cols; c++) {
        double x = left + c * colw;
        const char *what = c == 0 ? "input" : c == cols - 1 ? "output" : NULL;
        if (!what) {
            snprintf(buf, sizeof buf, "hidden %d", c);
            what = buf;
        }
        rp_text(p, x, fs * 2.0, what, fs * 0.9, true, 0.5, 0, rp_ink, colw > 0 ? colw * 0.95 : w);
        char sub[64];
        if (c == 0)
            snprintf(sub, sizeof sub, "%d", sizes[0]);
        else
            snprintf(sub, sizeof sub, "%d %s", sizes[c], nn_act_name((nn_act)r->layers[c - 1].act));
        rp_text(p, x, fs * 3.1, sub, fs * 0.85, false, 0.5, 0, rp_grey, colw > 0 ? colw * 0.95 : w);
        if (sizes[c] > NET_SHOW)
            summarised = true;
    }
    /* node positions */
    double ny[NN_MAX_LAYERS + 1][NET_SHOW];
    for (int c = 0; c < cols; c++) {
        int ns = slots(sizes[c]);
        double y0 = top + (area - ns * spacing) / 2;
        for (int s = 0; s < ns; s++)
            ny[c][s] = y0 + (s + 0.5) * spacing;
    }
    /* edges: colour and dash by sign, width and strength by |w| against the layer's largest */
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    for (int l = 0; l < r->n_layers; l++) {
        const nn_report_layer *L = &r->layers[l];
        double wmax = 0;
        for (size_t i = 0; i < (size_t)L->in * (size_t)L->out; i++)
            wmax = fmax(wmax, fabs(L->w[i]));
        if (!(wmax > 0))
            continue;
        double x0 = left + l * colw, x1 = left + (l + 1) * colw;
        for (int si = 0; si < slots(L->in); si++) {
            int i = slot_unit(L->in, si);
            if (i < 0)
                continue;
            for (int sj = 0; sj < slots(L->out); sj++) {
                int j = slot_unit(L->out, sj);
                if (j < 0)
                    continue;
                double v = L->w[(size_t)i * L->out + j];
                double a = fabs(v) / wmax;
                if (!(a > 0.02))
                    continue;
                rp_rgb c = v >= 0 ? rp_pos : rp_neg;
                cairo_set_source_rgba(cr, c.r, c.g, c.b, 0.3 + 0.7 * a);
                double lw = fs * (0.04 + 0.26 * a);
                cairo_set_line_width(cr, lw);
                if (v < 0)
                    rp_dash(cr, 1, fs * 0.15);
                else
                    cairo_set_dash(cr, NULL, 0, 0);
                cairo_move_to(cr, x0 + rad, ny[l][si]);
                cairo_line_to(cr, x1 - rad, ny[l + 1][sj]);
                cairo_stroke(cr);
            }
        }
    }
    cairo_set_dash(cr, NULL, 0, 0);
    /* nodes: inputs white; other units tinted by their bias */
    for (int c = 0; c < cols; c++) {
        double x = left + c * colw;
        double bmax = 0;
        if (c > 0)
            for (int j = 0; j < sizes[c]; j++)
                bmax = fmax(bmax, fabs(r->layers[c - 1].b[j]));
        for (int s = 0; s < slots(sizes[c]); s++) {
            int u = slot_unit(sizes[c], s);
            double y = ny[c][s];
            if (u < 0) {
                snprintf(buf, sizeof buf, "+%d", sizes[c] - 7);
                rp_text(p, x, y, buf, fs * 0.8, false, 0.5, 0.5, rp_grey, colw > 0 ? colw * 0.5 : w);
                continue;
            }
            rp_rgb fill = rp_white;
            if (c > 0 && bmax > 0) {
                double b = r->layers[c - 1].b[u];
                fill = rp_mix(rp_white, b >= 0 ? rp_pos : rp_neg, 0.8 * fabs(b) / bmax);
            }
            cairo_new_sub_path(cr);
            cairo_arc(cr, x, y, rad, 0, 2 * M_PI);
            rp_colour(cr, fill);
            cairo_fill_preserve(cr);
            rp_colour(cr, rp_ink);
            cairo_set_line_width(cr, fs * 0.07);
            cairo_stroke(cr);
            if (c == 0 && names_in && u < r->n_input_names)
                rp_text(p, x - rad - fs * 0.4, y, r->input_names[u], fs * 0.85, false, 1, 0.5, rp_ink, left - rad - fs);
            if (c == cols - 1 && names_out)
                rp_text(p, x + rad + fs * 0.4, y, r->class_names[u], fs * 0.85, false, 0, 0.5, rp_ink,
                        right - rad - fs);
        }
    }
    /* legend */
    double ly = h - foot + fs * 1.0, lx = fs * 0.5;
    rp_colour(cr, rp_pos);
    cairo_set_line_width(cr, fs * 0.18);
    cairo_move_to(cr, lx, ly);
    cairo_line_to(cr, lx + fs * 2.2, ly);
    cairo_stroke(cr);
    lx += fs * 2.6;
    lx += rp_text(p, lx, ly, "positive weight", fs * 0.85, false, 0, 0.5, rp_ink, 0) + fs * 1.2;
    rp_colour(cr, rp_neg);
    rp_dash(cr, 1, fs * 0.15);
    cairo_move_to(cr, lx, ly);
    cairo_line_to(cr, lx + fs * 2.2, ly);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    lx += fs * 2.6;
    lx += rp_text(p, lx, ly, "negative (dashed)", fs * 0.85, false, 0, 0.5, rp_ink, 0) + fs * 1.2;
    rp_text(p, lx, ly, "width: |weight| against the layer's largest; node: its bias", fs * 0.85, false, 0, 0.5, rp_grey,
            w - lx);
    if (summarised)
        rp_text(p, fs * 0.5, ly + fs * 1.3, "layers wider than 8 units: the first 4 and the last 3 are drawn",
                fs * 0.85, false, 0, 0.5, rp_grey, w - fs);
}
