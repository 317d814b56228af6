/* diagram.c — the Network view's diagram (Enter switches between it and the heatmaps): the inputs,
 * every layer's units and the outputs as nodes in columns, every weight as an edge in braille dots,
 * coloured by its sign (negative blue, positive orange) and deeper with its magnitude; the strongest
 * edges are drawn last, so they stay on top. Up to UI_DIAGRAM_WHOLE units a layer are drawn whole;
 * a larger layer is summarised by its first units, a "+N" for the rest and its last unit. The input
 * features are labelled on the left, the classes on the right. Monochrome: negative edges dotted.
 * Pure: reads the snapshot's net and info sections. */
#include "panel.h"

#include "chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ui_braille canvas;   /* main thread only */

/* The units of a column that get a node: all of n up to UI_DIAGRAM_WHOLE, else the first
 * UI_DIAGRAM_WHOLE - 2, a gap (the "+N" row) and the last (and sel, the selected unit, before the last
 * when it is not among them). shown[k] is the unit of row k, -1 the gap. */
static int column_units(int n, int lim, int sel, int *shown)
{
    int m = 0;
    if (lim > UI_DIAGRAM_WHOLE)
        lim = UI_DIAGRAM_WHOLE;
    if (lim < 4)
        lim = 4;
    if (n <= lim) {
        for (int i = 0; i < n; i++)
            shown[m++] = i;
        return m;
    }
    bool mid = sel >= lim - 2 && sel < n - 1;   /* the selected unit is among the summarised ones */
    for (int i = 0; i < lim - (mid ? 3 : 2); i++)
        shown[m++] = i;
    shown[m++] = -1;
    if (mid)
        shown[m++] = sel;
    shown[m++] = n - 1;
    return m;
}

/* The weight from input i into unit j of layer l, through the net section's pooling. */
static float weight(const ui_snapshot *s, int l, int i, int j)
{
    int in = s->info.layers[l].in, out = s->info.layers[l].out;
    int rows = s->net.rows[l], cols = s->net.cols[l];
    if (rows <= 0 || cols <= 0)
        return 0.0f;
    int r = (int)((long)i * rows / in), c = (int)((long)j * cols / out);
    return s->net.w[l][r * cols + c];
}

typedef struct {
    int n_cols;                                /* inputs + layers */
    int x[NN_MAX_LAYERS + 1];                  /* each column's node cell x */
    int m[NN_MAX_LAYERS + 1];                  /* rows in each column */
    int unit[NN_MAX_LAYERS + 1][UI_DIAGRAM_WHOLE];
    int y[NN_MAX_LAYERS + 1][UI_DIAGRAM_WHOLE];
} diag_layout;

static int name_len(const char *t)
{
    int n = (int)strlen(t);
    return n > 10 ? 10 : n;
}

/* The label of input i (ui_input_name, at most 10 bytes of it). */
static void input_label(const ui_snapshot *s, int i, bool utf8, char *out, size_t n)
{
    char b[32];
    ui_input_name(s, i, utf8, b, sizeof b);
    snprintf(out, n, "%.10s", b);
}

static void output_label(const ui_snapshot *s, int j, char *out, size_t n)
{
    int outs = s->info.n_layers > 0 ? s->info.layers[s->info.n_layers - 1].out : 0;
    if (s->info.n_classes > 0 && outs > 1 && j < NN_MAX_CLASSES && s->info.class_names[j][0])
        snprintf(out, n, "%.10s", s->info.class_names[j]);
    else if (s->info.n_classes > 0 && outs == 1)
        snprintf(out, n, "P(%.7s)", s->info.class_names[1][0] ? s->info.class_names[1] : "1");
    else
        snprintf(out, n, "y%d", j + 1);
}

static bool layout(diag_layout *L, const ui_snapshot *s, ui_rect r, int sel_layer, int sel_unit, int *lw, int *rw)
{
    memset(L, 0, sizeof *L);
    int nl = s->info.n_layers;
    if (nl <= 0 || nl > NN_MAX_LAYERS)
        return false;
    L->n_cols = nl + 1;
    /* label widths */
    int shown[UI_DIAGRAM_WHOLE];
    int m0 = column_units(s->info.n_features, r.h, -1, shown);
    *lw = 0;
    for (int k = 0; k < m0; k++) {
        char b[24];
        if (shown[k] < 0)
            continue;
        input_label(s, shown[k], false, b, sizeof b);   /* the ASCII names: the wider, for hit and draw alike */
        if (name_len(b) > *lw)
            *lw = name_len(b);
    }
    *rw = 0;
    int mo = column_units(s->info.layers[nl - 1].out, r.h, sel_layer == nl - 1 ? sel_unit : -1, shown);
    for (int k = 0; k < mo; k++) {
        char b[24];
        if (shown[k] < 0)
            continue;
        output_label(s, shown[k], b, sizeof b);
        if (name_len(b) > *rw)
            *rw = name_len(b);
    }
    int x0 = r.x + *lw + 1, x1 = r.x + r.w - 1 - *rw - 1;
    if (x1 - x0 < 4 * nl || r.h < 3)
        return false;
    for (int c = 0; c < L->n_cols; c++) {
        int n = c == 0 ? s->info.n_features : s->info.layers[c - 1].out;
        L->x[c] = x0 + (int)((long)(x1 - x0) * c / nl);
        L->m[c] = column_units(n, r.h, c > 0 && c - 1 == sel_layer ? sel_unit : -1, L->unit[c]);
        int m = L->m[c];
        for (int k = 0; k < m; k++)   /* spread over the height, centred */
            L->y[c][k] = m >= r.h ? r.y + k : r.y + (int)(((long)(2 * k + 1) * r.h) / (2 * m));
    }
    return true;
}

bool ui_diagram_hit(const ui_snapshot *s, ui_rect r, int sel_layer, int sel_unit, int x, int y, int *layer, int *unit)
{
    diag_layout L;
    int lw, rw;
    ui_rect body = ui_rect_make(r.x, r.y + 1, r.w, r.h - 1);
    if (!s->net.valid || s->race.on || !layout(&L, s, body, sel_layer, sel_unit, &lw, &rw))
        return false;
    for (int c = 1; c < L.n_cols; c++)
        for (int k = 0; k < L.m[c]; k++)
            if (L.unit[c][k] >= 0 && y == L.y[c][k] && x >= L.x[c] - 1 && x <= L.x[c] + 1) {
                *layer = c - 1;
                *unit = L.unit[c][k];
                return true;
            }
    return false;
}

void ui_net_diagram(ui_grid *g, ui_rect r, const ui_snapshot *s, int sel_layer, int sel_unit, int pick,
                    const ui_theme *th)
{
    ui_style txt = ui_st(th, UI_R_TEXT), dim = ui_st(th, UI_R_DIM), lab = ui_st(th, UI_R_LABEL);
    bool mono = th->level == UI_COLOR_MONO;
    if (r.w < 12 || r.h < 2)
        return;
    /* header: the legend; a picked weight (its name, value and Enter) first when both do not fit */
    int x = r.x, xe = r.x + r.w;
    bool picked = pick >= -1 && sel_layer >= 0 && sel_layer < s->info.n_layers;
    char pb[80] = "";
    if (picked) {
        char name[32], val[24];
        ui_weight_name(name, sizeof name, sel_layer, pick, sel_unit);
        float w = pick < 0 ? s->net.b[sel_layer][sel_unit] : s->net.w[sel_layer][pick * s->net.cols[sel_layer] + sel_unit];
        ui_fmt_num(val, sizeof val, (double)w);
        snprintf(pb, sizeof pb, " %s = %s%s ", name, w >= 0 ? "+" : "", val);
    }
    int legend_w = mono ? (th->utf8 ? 37 : 39) : 20;
    x += ui_grid_printf(g, x, r.y, r.w, dim, "epoch %d  ", s->net.epoch);
    if (picked && xe - x < legend_w + (int)strlen(pb) + 15) {
        /* no room for the legend */
    } else if (mono) {   /* the short form where the long one would be cut ("dotted negat..." at 80 columns) */
        const char *lg = th->utf8 ? "\xe2\xa3\xbf solid positive  \xe2\xa1\x81 dotted negative"
                                  : "* edges: solid positive, dotted negative";
        if (ui_utf8_width(lg) > xe - x)
            lg = th->utf8 ? "\xe2\xa3\xbf positive  \xe2\xa1\x81 negative" : "edges: solid +, dotted -";
        x += ui_grid_text(g, x, r.y, xe - x, lg, txt);
    } else {
        const char *sq = th->utf8 ? "\xe2\x96\xa0" : "#";
        ui_style neg = {ui_weight_colour(th, -1, 1), -1, 0}, pos = {ui_weight_colour(th, 1, 1), -1, 0};
        x += ui_grid_text(g, x, r.y, xe - x, sq, neg);
        x += ui_grid_text(g, x, r.y, xe - x, " negative ", txt);
        x += ui_grid_text(g, x, r.y, xe - x, sq, pos);
        x += ui_grid_text(g, x, r.y, xe - x, " positive", txt);
    }
    if (picked) {   /* a weight picked: its name and value, and what Enter does now */
        ui_style ps = ui_st(th, UI_R_VALUE);
        ps.attr |= UI_A_REVERSE | UI_A_BOLD;
        x += ui_grid_text(g, x, r.y, xe - x, " ", txt);
        x += ui_grid_text(g, x, r.y, xe - x, pb, ps);
        if (xe - x >= 13)
            ui_grid_text(g, x, r.y, xe - x, "  Enter: edit", dim);
    } else if (xe - x >= 36) {
        ui_grid_text(g, x, r.y, xe - x, ", deeper = stronger  (Enter: heatmaps)", dim);
    } else if (xe - x >= 18) {
        ui_grid_text(g, x, r.y, xe - x, "  Enter: heatmaps", dim);
    }
    ui_rect body = ui_rect_make(r.x, r.y + 1, r.w, r.h - 1);
    diag_layout L;
    int lw, rw;
    if (!layout(&L, s, body, sel_layer, sel_unit, &lw, &rw)) {
        ui_grid_wrap(g, body.x, body.y, body.w, body.h, "too many layers for a diagram this narrow: Enter shows the heatmaps",
                     dim);
        return;
    }
    /* the edges, weakest first, so the strongest stay on top */
    ui_braille_init(&canvas, body.w, body.h);
    for (int pass = 0; pass < 4; pass++)
        for (int c = 1; c < L.n_cols; c++) {
            int l = c - 1;
            double vmax = (double)s->net.wmax[l];
            for (int a = 0; a < L.m[c - 1]; a++) {
                int i = L.unit[c - 1][a];
                if (i < 0)
                    continue;
                for (int b = 0; b < L.m[c]; b++) {
                    int j = L.unit[c][b];
                    if (j < 0)
                        continue;
                    double w = (double)weight(s, l, i, j);
                    double f = vmax > 0 && isfinite(w) ? fabs(w) / vmax : 0;
                    int q = f < 0.1 ? -1 : f < 0.4 ? 0 : f < 0.7 ? 1 : f < 0.9 ? 2 : 3;
                    if (q != pass)
                        continue;
                    int16_t fg = mono ? (w < 0 ? -3 : -2) : ui_weight_colour(th, w, vmax);
                    int px0 = 2 * (L.x[c - 1] - body.x) + 2, py0 = 4 * (L.y[c - 1][a] - body.y) + 2;
                    int px1 = 2 * (L.x[c] - body.x) - 1, py1 = 4 * (L.y[c][b] - body.y) + 2;
                    if (mono && w < 0) {
                        /* dotted: every third dot of the line */
                        int n = abs(px1 - px0) > abs(py1 - py0) ? abs(px1 - px0) : abs(py1 - py0);
                        for (int k = 0; k <= n; k += 3)
                            ui_braille_dot(&canvas, px0 + (int)lround((double)(px1 - px0) * k / (n ? n : 1)),
                                           py0 + (int)lround((double)(py1 - py0) * k / (n ? n : 1)), fg);
                    } else {
                        ui_braille_line(&canvas, px0, py0, px1, py1, fg);
                    }
                }
            }
        }
    if (mono)
        for (int cy = 0; cy < canvas.h; cy++)
            for (int cx = 0; cx < canvas.w; cx++)
                if (canvas.fg[cy][cx] < -1)
                    canvas.fg[cy][cx] = -1;
    ui_braille_blit(&canvas, g, body.x, body.y, -1, !th->utf8);
    /* the nodes on top, with their labels */
    for (int c = 0; c < L.n_cols; c++) {
        int n = c == 0 ? s->info.n_features : s->info.layers[c - 1].out;
        for (int k = 0; k < L.m[c]; k++) {
            int u = L.unit[c][k], nx = L.x[c], ny = L.y[c][k];
            if (u < 0) {
                char more[16];
                snprintf(more, sizeof more, "+%d", n - (L.m[c] - 1));
                int mw = (int)strlen(more);
                ui_grid_text(g, nx - mw / 2, ny, mw, more, dim);
                continue;
            }
            /* the selected unit, and the input of its picked weight */
            bool sel = (c > 0 && c - 1 == sel_layer && u == sel_unit) || (pick >= 0 && c == sel_layer && u == pick);
            ui_style ns = sel ? ui_st(th, UI_R_WARN) : c == 0 ? lab : txt;
            if (sel)
                ns.attr |= UI_A_BOLD;
            ui_grid_put(g, nx, ny, th->utf8 ? (sel ? 0x25C9 : 0x25CF) : (sel ? '@' : 'o'), ns);
            char b[24];
            if (c == 0) {
                input_label(s, u, th->utf8, b, sizeof b);
                int bw = name_len(b);
                ui_grid_text(g, nx - 1 - bw, ny, bw, b, lab);
            } else if (c == L.n_cols - 1) {
                output_label(s, u, b, sizeof b);
                ui_grid_text(g, nx + 2, ny, name_len(b), b, lab);
            }
        }
    }
}
