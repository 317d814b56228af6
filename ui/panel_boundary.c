/* panel_boundary.c — the Boundary view: the predicted class over the plane of the two features
 * as a half-block heatmap (hue by class, depth by confidence) with the train and test points on
 * top and axes in data units; the fitted curve over the data for 1-D regression; a note for data
 * with more features. The worker recomputes the grid every epoch (more often for small nets).
 * Keys: Enter shows or hides the points; d switches between hard class regions and confidence
 * shading; the arrows pick the two features of wider data (Right/Up the next feature, Left/Down the
 * previous). A square data range is drawn square (cells are about twice as tall as wide). */
#include "panel.h"

#include "chart.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static ui_braille canvas;   /* main thread only */

/* The region pixel (px, py) of a pw x ph pixel plot: colour, class and confidence (hard: every
 * region in its class's full colour, as if the network were sure). */
static void pixel(const ui_snapshot *s, const ui_theme *th, int px, int py, int pw, int ph, bool hard, int16_t *col,
                  int *cls, double *conf)
{
    int gc = (int)(((double)px + 0.5) * s->boundary.grid_w / pw);
    int gr = (int)(((double)py + 0.5) * s->boundary.grid_h / ph);
    if (gc >= s->boundary.grid_w) gc = s->boundary.grid_w - 1;
    if (gr >= s->boundary.grid_h) gr = s->boundary.grid_h - 1;
    int i = gr * s->boundary.grid_w + gc;
    *conf = (double)s->boundary.grid_conf[i];
    if (s->boundary.kind == UI_VIEW_SURFACE) {
        *cls = 0;
        *col = ui_theme_heat(th, *conf).bg;
        return;
    }
    *cls = s->boundary.grid_class[i];
    if (hard)
        *conf = 1.0;
    *col = ui_region_colour(th, *cls, *conf, s->info.k);
}

static const char mono_region[] = ".:-=+*#%";
static const char mono_ramp[] = " .:-=+*#%@";

void ui_boundary_raster(ui_grid *g, ui_rect r, const ui_snapshot *s, const ui_theme *th, unsigned opts)
{
    bool points = (opts & UI_BD_POINTS) != 0, hard = (opts & UI_BD_HARD) != 0;
    if (r.w <= 0 || r.h <= 0 || s->boundary.grid_w <= 0 || s->boundary.grid_h <= 0 ||
        (s->boundary.kind != UI_VIEW_BOUNDARY && s->boundary.kind != UI_VIEW_SURFACE))
        return;
    bool mono = th->level == UI_COLOR_MONO;
    bool half = th->utf8 && !mono;
    int pw = r.w, ph = half ? 2 * r.h : r.h;
    for (int cy = 0; cy < r.h; cy++)
        for (int cx = 0; cx < r.w; cx++) {
            int16_t top, bot;
            int cls;
            double conf;
            if (half) {
                pixel(s, th, cx, 2 * cy, pw, ph, hard, &top, &cls, &conf);
                pixel(s, th, cx, 2 * cy + 1, pw, ph, hard, &bot, &cls, &conf);
                ui_style st = {top, bot, 0};
                ui_grid_put(g, r.x + cx, r.y + cy, 0x2580, st);
            } else if (!mono) {
                pixel(s, th, cx, cy, pw, ph, hard, &top, &cls, &conf);
                ui_style st = {-1, top, 0};
                ui_grid_put(g, r.x + cx, r.y + cy, ' ', st);
            } else {
                pixel(s, th, cx, cy, pw, ph, hard, &top, &cls, &conf);
                /* shading: dim textures, blank where unsure; hard regions: every cell, not dim */
                ui_style st = {-1, -1, (uint16_t)(hard && s->boundary.kind != UI_VIEW_SURFACE ? 0 : UI_A_DIM)};
                uint32_t ch;
                if (s->boundary.kind == UI_VIEW_SURFACE) {
                    int lv = (int)lround((conf < 0 ? 0 : conf > 1 ? 1 : conf) * 9);
                    ch = (uint32_t)mono_ramp[lv];
                } else {
                    double base = s->info.k > 1 ? 1.0 / s->info.k : 0;
                    double frac = s->info.k > 1 ? (conf - base) / (1 - base) : conf;
                    ch = frac < 0.2 ? ' ' : (uint32_t)mono_region[cls % 8];
                }
                ui_grid_put(g, r.x + cx, r.y + cy, ch, st);
            }
        }
    /* the points: test after train, so a test point is never hidden */
    double xr = (double)s->boundary.x_max - (double)s->boundary.x_min;
    double yr = (double)s->boundary.y_max - (double)s->boundary.y_min;
    if ((opts & UI_BD_CELL) && s->eval.cell_xy && xr > 0 && yr > 0) {
        /* the rows of the selected confusion cell, over everything: a diamond (ASCII *) */
        for (int i = 0; i < s->eval.cell_shown && i < UI_CELL_ROWS; i++) {
            const ui_cell_row *c = &s->eval.cell[i];
            int px = (int)floor(((double)c->x - (double)s->boundary.x_min) / xr * pw);
            int py = (int)floor(((double)s->boundary.y_max - (double)c->y) / yr * ph);
            if (px < 0 || py < 0 || px >= pw || py >= ph)
                continue;
            ui_style st = mono ? (ui_style){-1, -1, UI_A_BOLD | UI_A_REVERSE}
                               : (ui_style){th->level == UI_COLOR_8 ? 7 : 231, th->level == UI_COLOR_8 ? 0 : 16, UI_A_BOLD};
            ui_grid_put(g, r.x + px, r.y + (half ? py / 2 : py), th->utf8 ? 0x25C6 : '*', st);
        }
        points = false;   /* the cell's rows alone, so that they stand out */
    }
    if (!points || !(xr > 0) || !(yr > 0))
        return;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < s->boundary.n_points && i < UI_MAX_POINTS; i++) {
            const ui_point *p = &s->boundary.points[i];
            if (p->is_test != pass)
                continue;
            int px = (int)floor(((double)p->x - (double)s->boundary.x_min) / xr * pw);
            int py = (int)floor(((double)s->boundary.y_max - (double)p->y) / yr * ph);
            if (px < 0 || py < 0 || px >= pw || py >= ph)
                continue;
            int cx = px, cy = half ? py / 2 : py;
            if (mono) {
                ui_style st = {-1, -1, (uint16_t)(p->is_test ? UI_A_REVERSE : UI_A_BOLD)};
                uint32_t ch = s->boundary.kind == UI_VIEW_SURFACE ? (p->is_test ? 'x' : 'o')
                                                                   : (uint32_t)('0' + p->cls % 10);
                ui_grid_put(g, r.x + cx, r.y + cy, ch, st);
                continue;
            }
            int16_t region;
            int cls;
            double conf;
            pixel(s, th, px, py, pw, ph, hard, &region, &cls, &conf);
            int16_t fg = s->boundary.kind == UI_VIEW_SURFACE ? (th->level == UI_COLOR_8 ? 7 : 231)
                                                             : ui_class_colour(th, p->cls);
            int16_t bg = th->level == UI_COLOR_8 ? 0 : region;
            ui_style st = {fg, bg, (uint16_t)(th->level == UI_COLOR_8 ? UI_A_BOLD : 0)};
            uint32_t ch = th->utf8 ? (p->is_test ? 0x25CB : 0x25CF) : (p->is_test ? 'x' : 'o');
            ui_grid_put(g, r.x + cx, r.y + cy, ch, st);
        }
}

/* Axis labels: y_max / feature 1 / y_min on the left (lw columns), x_min, feature 0, x_max below. */
static void axes(ui_grid *g, ui_rect plot, int lw, const ui_snapshot *s, const ui_theme *th, const char *xname,
                 const char *yname)
{
    ui_style ax = ui_st(th, UI_R_AXIS), lab = ui_st(th, UI_R_LABEL);
    char b[16], lo_y[16];
    ui_fmt_range(b, lo_y, sizeof b, (double)s->boundary.y_max, (double)s->boundary.y_min);
    ui_grid_printf(g, plot.x - lw, plot.y, lw - 1, ax, "%*s", lw - 1, b);
    ui_grid_printf(g, plot.x - lw, plot.y + plot.h - 1, lw - 1, ax, "%*s", lw - 1, lo_y);
    if (plot.h >= 3 && yname[0]) {
        int yn = (int)strlen(yname);   /* a longer name ends in an ellipsis (ui_grid_text) */
        ui_grid_text(g, plot.x - lw + (yn < lw - 1 ? lw - 1 - yn : 0), plot.y + plot.h / 2, lw - 1, yname, lab);
    }
    int y = plot.y + plot.h;
    char hi[16];
    ui_fmt_range(b, hi, sizeof b, (double)s->boundary.x_min, (double)s->boundary.x_max);
    int xn = (int)strlen(xname);
    if (xn > 0 && plot.w < xn + (int)(strlen(b) + strlen(hi)) + 2) {
        /* the axis name first: the shorter numbers where the aligned ones leave it no room */
        ui_fmt_num(b, sizeof b, (double)s->boundary.x_min);
        ui_fmt_num(hi, sizeof hi, (double)s->boundary.x_max);
    }
    int n = (int)strlen(hi), x0 = plot.x;
    /* a narrow plot (its aspect kept): x_min moves left, into the label column, so that the two
     * numbers keep a blank between them */
    if ((int)strlen(b) + 1 + n > plot.w) {
        x0 = plot.x + plot.w - n - 1 - (int)strlen(b);
        if (x0 < plot.x - lw + 1)
            x0 = plot.x - lw + 1;
    }
    ui_grid_text(g, x0, y, plot.x + plot.w - n - x0, b, ax);
    ui_grid_text(g, plot.x + plot.w - n, y, n, hi, ax);
    int lo = n + (int)strlen(b);   /* both numbers and a space either side of the name */
    if (xn > 0 && plot.w >= xn + lo + 2)
        ui_grid_text(g, plot.x + (plot.w - xn) / 2, y, xn, xname, lab);
}

const char ui_boundary_instead[] = "the Samples view (p: the pictures and their predictions), the Confusion view "
                                   "(5: Enter on a cell lists its rows) and the Network view (7: a unit's weights "
                                   "as a picture)";

ui_rect ui_boundary_aspect(ui_rect plot, const ui_snapshot *s)
{
    double xr = (double)s->boundary.x_max - (double)s->boundary.x_min;
    double yr = (double)s->boundary.y_max - (double)s->boundary.y_min;
    if (!(xr > 0) || !(yr > 0) || xr / yr > 3.0 || yr / xr > 3.0)
        return plot;   /* no range, or axes in units too different to compare: the whole area */
    /* a cell is about twice as tall as wide: w / (2 h) = xr / yr */
    int w = (int)lround(2.0 * plot.h * xr / yr);
    if (w <= plot.w) {
        if (w < 4)
            w = 4;
        plot.x += (plot.w - w) / 2;
        plot.w = w;
    } else {
        int h = (int)lround(plot.w * yr / (2.0 * xr));
        if (h < 2)
            h = 2;
        plot.y += (plot.h - h) / 2;   /* a wide plot in a tall area: centred down too */
        plot.h = h;
    }
    return plot;
}

void ui_curve_plot(ui_grid *g, ui_rect plot, const ui_snapshot *s, const ui_theme *th)
{
    const ui_snap_boundary *bd = &s->boundary;
    if (plot.w < 2 || plot.h < 1 || !(bd->x_max > bd->x_min) || !(bd->y_max > bd->y_min))
        return;
    ui_braille_init(&canvas, plot.w, plot.h);
    int xd = 2 * canvas.w - 1, yd = 4 * canvas.h - 1;
    int16_t pf = ui_st(th, UI_R_DIM).fg, cf = ui_st(th, UI_R_TRAIN).fg;
    if (th->level == UI_COLOR_MONO)
        pf = -2;   /* a different "colour" so the curve still resets the dots' cells */
    for (int i = 0; i < bd->n_points && i < UI_MAX_POINTS; i++) {
        int x = (int)lround((double)((bd->points[i].x - bd->x_min) / (bd->x_max - bd->x_min) * xd));
        int y = (int)lround((double)((bd->y_max - bd->points[i].y) / (bd->y_max - bd->y_min) * yd));
        ui_braille_dot(&canvas, x, y, pf);
    }
    int px = 0, py = 0;
    for (int i = 0; i < bd->curve_n && i < UI_CURVE_MAX; i++) {
        int x = (int)lround((double)((bd->curve_x[i] - bd->x_min) / (bd->x_max - bd->x_min) * xd));
        int y = (int)lround((double)((bd->y_max - bd->curve_y[i]) / (bd->y_max - bd->y_min) * yd));
        if (i)
            ui_braille_line(&canvas, px, py, x, y, cf);
        px = x;
        py = y;
    }
    for (int cy = 0; cy < canvas.h; cy++)
        for (int cx = 0; cx < canvas.w; cx++)
            if (canvas.fg[cy][cx] == -2)
                canvas.fg[cy][cx] = -1;
    ui_braille_blit(&canvas, g, plot.x, plot.y, -1, !th->utf8);
}

/* The legend without colour, drawn as the plot draws: the points as a class digit (bold: train,
 * reverse: test; on a surface 'o' and 'x'), and on a second line (from 8 rows) the texture of each
 * class's region, blank where the network is unsure, or the shading ramp of a surface. */
static int mono_legend(ui_grid *g, ui_rect r, int x, const ui_snapshot *s, const ui_theme *th, bool points,
                       bool hard)
{
    ui_style txt = ui_st(th, UI_R_TEXT), dim = ui_st(th, UI_R_DIM);
    ui_style bold = {-1, -1, UI_A_BOLD}, rev = {-1, -1, UI_A_REVERSE};
    int xe = r.x + r.w;
    bool surface = s->boundary.kind == UI_VIEW_SURFACE;
    if (points) {
        if (surface) {
            x += ui_grid_text(g, x, r.y, xe - x, " points: ", txt);
            x += ui_grid_text(g, x, r.y, xe - x, "o", bold);
            x += ui_grid_text(g, x, r.y, xe - x, " train  ", txt);
            x += ui_grid_text(g, x, r.y, xe - x, "x", rev);
            x += ui_grid_text(g, x, r.y, xe - x, " test", txt);
        } else {
            /* the points are their class's digit (the line below says so): "0 train" would read as
             * "no train points" */
            x += ui_grid_text(g, x, r.y, xe - x, " points: ", txt);
            x += ui_grid_text(g, x, r.y, xe - x, "train", bold);
            x += ui_grid_text(g, x, r.y, xe - x, " bold, ", txt);
            x += ui_grid_text(g, x, r.y, xe - x, "test", rev);
            x += ui_grid_text(g, x, r.y, xe - x, " reversed", txt);
        }
    } else {
        x += ui_grid_text(g, x, r.y, xe - x, "points hidden (Enter)", dim);
    }
    if (surface) {
        char lo[16], hi[16];
        ui_fmt_num(lo, sizeof lo, (double)s->boundary.grid_vmin);
        ui_fmt_num(hi, sizeof hi, (double)s->boundary.grid_vmax);
        x += ui_grid_printf(g, x, r.y, xe - x, dim, "  prediction %s..%s", lo, hi);
    }
    int after = x;
    if (r.h < 8)
        return after;
    int y = r.y + 1;
    x = r.x;
    if (surface) {
        x += ui_grid_text(g, x, y, xe - x, "shading, low to high: ", txt);
        ui_grid_printf(g, x, y, xe - x, ui_st(th, UI_R_VALUE), "%s", mono_ramp + 1);
        return after;
    }
    x += ui_grid_text(g, x, y, xe - x, "digit = class; regions:", txt);
    for (int c = 0; c < s->info.k && x < xe - 3; c++) {
        char b[NN_NAME_MAX + 16];
        snprintf(b, sizeof b, "  %c %d %.12s", mono_region[c % 8], c, s->info.class_names[c]);
        x += ui_grid_text(g, x, y, xe - x, b, txt);
    }
    if (!hard && xe - x >= 14)   /* hard regions leave no cell blank */
        ui_grid_text(g, x, y, xe - x, "  blank unsure", dim);
    return after;
}

void ui_boundary_panel(ui_grid *g, ui_rect r, const ui_snapshot *s, const ui_views *v, const ui_theme *th)
{
    bool points = !v || !v->hide_points, hard = v && v->hard_regions;
    bool cell = v && v->cell_on && s->eval.cell_a >= 0 && s->eval.cell_xy;
    ui_style dim = ui_st(th, UI_R_DIM), txt = ui_st(th, UI_R_TEXT);
    if (r.w < 8 || r.h < 1)
        return;
    if (s->race.on) {
        ui_grid_wrap(g, r.x, r.y, r.w, r.h, "no boundary during a race: the Race view shows the curves", dim);
        return;
    }
    if (s->state == UI_RUN_LOADING || s->state == UI_RUN_ERROR) {
        ui_grid_text(g, r.x, r.y, r.w, s->state == UI_RUN_LOADING ? "loading ..." : "no network (see the message)", dim);
        return;
    }
    if (s->boundary.kind == UI_VIEW_NONE) {
        char b[384];
        if (s->info.n_features > 2 && s->info.n_features <= UI_VIEW_MAX_FEATURES)
            snprintf(b, sizeof b, "Boundary needs 2 features (this dataset has %d): drawing it over two of them, "
                     "the others at their mean ...", s->info.n_features);
        else if (s->info.n_features == 1)
            snprintf(b, sizeof b, "Boundary needs 2 features, or 1 feature and a regression target (this dataset has 1 feature and %d classes)", s->info.n_classes);
        else if (s->info.n_features > UI_VIEW_MAX_FEATURES)
            snprintf(b, sizeof b, "Boundary needs 2 features (this dataset has %d, too many to draw two at a "
                     "time): see %s", s->info.n_features, ui_boundary_instead);
        else
            snprintf(b, sizeof b, "Boundary needs 2 features (this dataset has %d)", s->info.n_features);
        ui_grid_wrap(g, r.x, r.y, r.w, r.h, b, ui_st(th, UI_R_WARN));
        return;
    }
    if (s->boundary.epoch < 0 || (s->boundary.kind != UI_VIEW_CURVE && s->boundary.grid_w <= 0)) {
        ui_grid_text(g, r.x, r.y, r.w, "computing the first picture ...", dim);
        return;
    }
    /* header: what and when, then the legend */
    int x = r.x, xe = r.x + r.w;
    x += ui_grid_printf(g, x, r.y, r.w, dim, "epoch %d ", s->boundary.epoch);
    if (s->boundary.kind == UI_VIEW_CURVE) {
        x += ui_grid_text(g, x, r.y, xe - x, th->utf8 ? "\xe2\x94\x81" : "-", ui_st(th, UI_R_TRAIN));
        x += ui_grid_text(g, x, r.y, xe - x, " fit  ", txt);
        x += ui_grid_text(g, x, r.y, xe - x, th->utf8 ? "\xe2\xa0\x82" : "*", dim);
        ui_grid_text(g, x, r.y, xe - x, " data", txt);
    } else if (th->level == UI_COLOR_MONO && !cell) {
        x = mono_legend(g, r, x, s, th, points, hard);
    } else {
        if (cell && s->eval.cell_a < s->info.k && s->eval.cell_p < s->info.k)
            x += ui_grid_printf(g, x, r.y, xe - x, txt, "%s %d test rows: actual %.12s, predicted %.12s (5)",
                                th->utf8 ? "\xe2\x97\x86" : "*", s->eval.cell_n, s->info.class_names[s->eval.cell_a],
                                s->info.class_names[s->eval.cell_p]);
        else if (points)
            x += ui_grid_text(g, x, r.y, xe - x, th->utf8 ? "\xe2\x97\x8f train \xe2\x97\x8b test" : "o train x test",
                              txt);
        else
            x += ui_grid_text(g, x, r.y, xe - x, "points hidden (Enter)", ui_st(th, UI_R_DIM));
        if (s->boundary.kind == UI_VIEW_SURFACE) {
            char lo[16], hi[16];
            ui_fmt_num(lo, sizeof lo, (double)s->boundary.grid_vmin);
            ui_fmt_num(hi, sizeof hi, (double)s->boundary.grid_vmax);
            ui_grid_printf(g, x, r.y, xe - x, dim, "  prediction %s..%s", lo, hi);
        } else {
            for (int c = 0; c < s->info.k && x < xe - 3; c++) {
                x += ui_grid_text(g, x, r.y, xe - x, "  ", txt);
                ui_style sw = {ui_class_colour(th, c), -1, 0};
                x += ui_grid_text(g, x, r.y, xe - x, th->utf8 ? "\xe2\x96\xa0 " : "# ", sw);
                x += ui_grid_printf(g, x, r.y, xe - x, txt, "%.12s", s->info.class_names[c]);
            }
        }
    }
    if (hard && s->boundary.kind == UI_VIEW_BOUNDARY)   /* whole, or shorter ("hard regi..." at 80 columns) */
        ui_grid_text(g, x, r.y, xe - x, xe - x >= 18 ? "  hard regions (d)" : xe - x >= 10 ? "  hard (d)" : "", dim);
    char xb[NN_NAME_MAX + 8], yb[NN_NAME_MAX + 8];
    const char *xname = s->boundary.names[0][0] ? s->boundary.names[0] : s->info.feature_names[0];
    const char *yname = s->boundary.names[1][0] ? s->boundary.names[1] : s->info.feature_names[1];
    if (!xname[0]) {
        snprintf(xb, sizeof xb, "x%d", s->boundary.fx + 1);
        xname = xb;
    }
    if (!yname[0]) {
        snprintf(yb, sizeof yb, "x%d", s->boundary.fy + 1);
        yname = yb;
    }
    if (s->boundary.kind == UI_VIEW_CURVE)
        yname = "target";
    int top = th->level == UI_COLOR_MONO && !cell && s->boundary.kind != UI_VIEW_CURVE && r.h >= 8 ? 2 : 1;
    if (s->info.n_raw == 2 && s->boundary.kind != UI_VIEW_CURVE && r.h >= 8) {
        /* Playground features: the picture stays in the raw coordinates */
        ui_grid_printf(g, r.x, r.y + top, r.w, dim, "x %s, y %s; the network's %d inputs are computed from them "
                       "(dataset.features)", xname, yname, s->info.n_features);
        top++;
    } else if (s->info.n_features > 2 && s->boundary.kind != UI_VIEW_CURVE && r.h >= 8) {
        /* which two features, and that the others are held at their mean */
        ui_grid_printf(g, r.x, r.y + top, r.w, dim, "x %s, y %s; %d other features at their mean (arrows pick)",
                       xname, yname, s->info.n_features - 2);
        top++;
    }
    const int lw = 8;
    ui_rect plot = ui_rect_make(r.x + lw, r.y + top, r.w - lw, r.h - top - 1);
    if (plot.w < 4 || plot.h < 2)
        return;
    if (s->boundary.kind != UI_VIEW_CURVE)
        plot = ui_boundary_aspect(plot, s);
    axes(g, plot, lw, s, th, xname, yname);
    if (s->boundary.kind == UI_VIEW_CURVE)
        ui_curve_plot(g, plot, s, th);
    else
        ui_boundary_raster(g, plot, s, th, (points ? UI_BD_POINTS : 0u) | (hard ? UI_BD_HARD : 0u) | (cell ? UI_BD_CELL : 0u));
}

/* ---- the view in the slot ---- */

static void draw(ui_grid *g, ui_rect r, const ui_model *m)
{
    ui_boundary_panel(g, r, m->snap, m->views, m->th);
}

/* The features on the axes can be chosen: 3..UI_VIEW_MAX_FEATURES features, a network, no race. */
static bool can_choose(const ui_snapshot *s)
{
    return !s->race.on && s->info.n_raw == 0 && s->info.n_features > 2 && s->info.n_features <= UI_VIEW_MAX_FEATURES &&
           s->state != UI_RUN_LOADING && s->state != UI_RUN_ERROR;
}

void ui_boundary_ask_features(ui_views *v, const ui_model *m, ui_intent *out)
{
    const ui_snapshot *s = m->snap;
    if (s->boundary.kind != UI_VIEW_NONE || !can_choose(s) || v->feat_asked == s->run + 1)
        return;
    v->feat_asked = s->run + 1;
    out->kind = UI_INTENT_FEATURES;
    out->arg[0] = -1;
    out->arg[1] = -1;
    out->arg[2] = 0;
}

/* Enter: points on or off. Left/Right move the x feature, Up/Down the y feature (skipping the
 * other axis). */
static void sync(ui_views *v, const ui_model *m, ui_intent *out)
{
    ui_boundary_ask_features(v, m, out);
}

static unsigned key(ui_views *v, const ui_model *m, ui_cmd c, ui_intent *out)
{
    const ui_snapshot *s = m->snap;
    if (c.act == UI_ACT_EDIT) {
        v->hide_points = !v->hide_points;
        return UI_REDRAW;
    }
    if (c.act == UI_ACT_DISCRETIZE) {
        v->hard_regions = !v->hard_regions;
        return ui_intent_message(out, false, "%s", v->hard_regions ? "Boundary: hard class regions (d: shading)"
                                                                    : "Boundary: shaded by confidence (d: hard)");
    }
    if (!can_choose(s) || s->boundary.kind == UI_VIEW_NONE) {
        if (c.act == UI_ACT_LEFT || c.act == UI_ACT_RIGHT || c.act == UI_ACT_UP || c.act == UI_ACT_DOWN)
            return ui_intent_message(out, false, "%s", s->info.n_raw == 2 ? "the picture stays in x1, x2 (the inputs are computed from them)"
                                                       : s->info.n_features <= 2 ? "this dataset has only these two features"
                                                                                : "no picture to choose features for");
        return 0;
    }
    int nf = s->info.n_features, fx = s->boundary.fx, fy = s->boundary.fy, d = 0;
    if (v->feat_run == s->run + 1 && v->feat_x < nf && v->feat_y < nf) {
        fx = v->feat_x;   /* keys faster than the worker: go on from the last request */
        fy = v->feat_y;
    }
    bool x = false;
    if (c.act == UI_ACT_LEFT) { d = -1; x = true; }
    else if (c.act == UI_ACT_RIGHT) { d = 1; x = true; }
    else if (c.act == UI_ACT_UP) d = 1;
    else if (c.act == UI_ACT_DOWN) d = -1;
    else return 0;
    int *f = x ? &fx : &fy, other = x ? fy : fx;
    do {
        *f = (*f + d + nf) % nf;
    } while (*f == other);
    out->kind = UI_INTENT_FEATURES;
    out->arg[0] = fx;
    out->arg[1] = fy;
    out->arg[2] = 1;
    return UI_REDRAW;
}

const ui_view_def ui_boundary_view = {
    "Boundary", "Bound", UI_NEED_INFO | UI_NEED_BOUNDARY | UI_NEED_RACE | UI_NEED_EVAL, NULL, draw, key, sync, NULL,
};
