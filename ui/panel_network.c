/* panel_network.c — the Network view: each layer's weights as a heatmap (neurons as columns,
 * inputs as rows; negative blue, positive orange, magnitude as depth), side by side from the
 * input to the output, and the selected neuron in detail: its bias, its incoming weights and its
 * activation statistics on the last measured batch. Keys: the arrows pick the layer and the neuron
 * (Home, End: the first, the last); a click on a heatmap picks that neuron. [ and ] pick one of the
 * neuron's incoming weights or its bias (a click on its cell of the "incoming" strip too), Enter
 * then edits its value (the line editor; the worker sets it between batches), Esc drops the pick;
 * with nothing picked Enter switches to the diagram. */
#include "panel.h"

#include "activation.h"
#include "chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char mono_neg[] = " -=";
static const char mono_pos[] = " +#";

static void weight_cell(ui_grid *g, int x, int y, double top, double bot, bool two, double vmax, const ui_theme *th)
{
    if (th->level == UI_COLOR_MONO) {
        double v = two && fabs(bot) > fabs(top) ? bot : top;
        double f = vmax > 0 ? fabs(v) / vmax : 0;
        int lv = f < 0.15 ? 0 : f < 0.6 ? 1 : 2;
        ui_style st = {-1, -1, (uint16_t)(lv == 2 ? UI_A_BOLD : 0)};
        ui_grid_put(g, x, y, (uint32_t)(v < 0 ? mono_neg[lv] : mono_pos[lv]), st);
        return;
    }
    if (two) {
        ui_style st = {ui_weight_colour(th, top, vmax), ui_weight_colour(th, bot, vmax), 0};
        ui_grid_put(g, x, y, 0x2580, st);
    } else {
        ui_style st = {-1, ui_weight_colour(th, top, vmax), 0};
        ui_grid_put(g, x, y, ' ', st);
    }
}

void ui_weights_raster(ui_grid *g, ui_rect r, const float *w, int rows, int cols, double vmax,
                       const ui_theme *th)
{
    if (r.w <= 0 || r.h <= 0 || rows <= 0 || cols <= 0)
        return;
    bool half = th->utf8 && th->level != UI_COLOR_MONO;
    int cw = r.w / cols;
    if (cw < 1)
        cw = 1;
    int dcols = cols * cw <= r.w ? cols : r.w;          /* displayed columns (sampled if too many) */
    int prow = half ? 2 * r.h : r.h;                     /* pixel rows available */
    int drows = rows <= prow ? rows * (prow / rows) : prow;   /* displayed pixel rows: each input the same
                                                                 whole number of them, or sampled */
    int cells = half ? (drows + 1) / 2 : drows;
    for (int cy = 0; cy < cells; cy++)
        for (int dc = 0; dc < dcols; dc++) {
            int c = dcols == cols ? dc : (int)((long)dc * cols / dcols);
            int p0 = half ? 2 * cy : cy;
            int r0 = (int)((long)p0 * rows / drows);
            double top = (double)w[r0 * cols + c], bot = 0;
            bool two = half && p0 + 1 < drows;
            if (two)
                bot = (double)w[(int)((long)(p0 + 1) * rows / drows) * cols + c];
            else if (half) {
                /* odd row count: the lower half stays empty */
                ui_style st = {ui_weight_colour(th, top, vmax), -1, 0};
                for (int k = 0; k < (dcols == cols ? cw : 1); k++)
                    ui_grid_put(g, r.x + (dcols == cols ? dc * cw : dc) + k, r.y + cy, 0x2580, st);
                continue;
            }
            int span = dcols == cols ? cw : 1;
            int x0 = r.x + (dcols == cols ? dc * cw : dc);
            for (int k = 0; k < span; k++)
                weight_cell(g, x0 + k, r.y + cy, top, bot, two, vmax, th);
        }
}

static void num(char *b, size_t n, double v)
{
    char t[16];
    ui_fmt_num(t, sizeof t, v);
    snprintf(b, n, "%s%s", v >= 0 ? "+" : "", t);
}

void ui_weight_name(char *out, size_t n, int l, int i, int j)
{
    if (i < 0)
        snprintf(out, n, "b%d[%d]", l + 1, j);
    else
        snprintf(out, n, "W%d[%d][%d]", l + 1, i, j);
}

void ui_weight_text(char *out, size_t n, float v)
{
    for (int d = 4; d <= 9; d++) {
        snprintf(out, n, "%.*g", d, (double)v);
        if (strtof(out, NULL) == v)
            return;
    }
}

/* The layer's weights are in the snapshot one by one (not pooled). */
static bool whole(const ui_snapshot *s, int l)
{
    return s->net.valid && l >= 0 && l < s->info.n_layers && s->net.rows[l] == s->info.layers[l].in &&
           s->net.cols[l] == s->info.layers[l].out;
}

bool ui_network_pick(const ui_snapshot *s, const ui_views *v, int *input)
{
    int l = v->net_layer;
    if (!v->net_picked || s->race.on || !whole(s, l))
        return false;
    int in = s->info.layers[l].in, i = v->net_input;
    *input = i < -1 ? -1 : i >= in ? in - 1 : i;
    return true;
}

/* The name of input `src` of layer l as the detail shows it: a feature's name, x3, h5. */
static void input_name(char *out, size_t n, const ui_snapshot *s, int l, int src, bool exact, bool utf8)
{
    char b[32];
    if (l == 0 && exact) {
        ui_input_name(s, src, utf8, b, sizeof b);   /* the same names as the other views */
        snprintf(out, n, "%.16s", b);
    } else {
        snprintf(out, n, "%s%d", l == 0 ? "x" : "h", src);
    }
}

/* The picked weight's line: its name, where it goes, its value (reversed) and the keys. */
static void pick_line(ui_grid *g, int x, int y, int xe, const ui_snapshot *s, int l, int j, int i, const ui_theme *th)
{
    ui_style lab = ui_st(th, UI_R_LABEL), dim = ui_st(th, UI_R_DIM), sel = ui_st(th, UI_R_VALUE);
    sel.attr |= UI_A_REVERSE | UI_A_BOLD;
    char name[32], from[48], b[32];
    ui_weight_name(name, sizeof name, l, i, j);
    float w = i < 0 ? s->net.b[l][j] : s->net.w[l][i * s->net.cols[l] + j];
    if (i < 0) {
        snprintf(from, sizeof from, "bias of %d", j);
    } else {
        char src[24];
        input_name(src, sizeof src, s, l, i, true, th->utf8);
        snprintf(from, sizeof from, "%s%s%d", src, th->utf8 ? "\xe2\x86\x92" : "->", j);
    }
    num(b, sizeof b, (double)w);
    /* the keys, in the longest form that fits; where none does, "x1->3" gives way first (the name
     * says it too): at 80 columns the line had no room for [ ] and Esc */
    static const char *const keys[] = {"  Enter: new value  [ ]: next  Esc: done", "  Enter edit  [ ] Esc",
                                       "  Enter [ ] Esc"};
    int fixed = 2 + (int)strlen(name) + (int)strlen(b) + 2, fw = ui_utf8_width(from) + 2;
    const char *k = "";
    bool show_from = true;
    for (int t = 0; t < 3 && !*k; t++)
        for (int f = 1; f >= 0 && !*k; f--)
            if (x + fixed + f * fw + (int)strlen(keys[t]) <= xe) {
                k = keys[t];
                show_from = f == 1;
            }
    x += ui_grid_text(g, x, y, xe - x, th->utf8 ? "\xe2\x96\xb6 " : "> ", ui_st(th, UI_R_WARN));
    x += ui_grid_text(g, x, y, xe - x, name, lab);
    if (show_from)
        x += ui_grid_printf(g, x, y, xe - x, dim, " %s ", from);
    else
        x += ui_grid_text(g, x, y, xe - x, " ", dim);
    x += ui_grid_printf(g, x, y, xe - x, sel, " %s ", b);
    ui_grid_text(g, x, y, xe - x, k, dim);
}

/* The selected neuron: bias, activation statistics and incoming weights (largest first). */
static void detail(ui_grid *g, ui_rect r, const ui_snapshot *s, int l, int c, int pick, const ui_theme *th)
{
    ui_style lab = ui_st(th, UI_R_LABEL), val = ui_st(th, UI_R_VALUE), dim = ui_st(th, UI_R_DIM);
    int in = s->info.layers[l].in, out = s->info.layers[l].out;
    int nr = s->net.rows[l], nc = s->net.cols[l];
    bool pooled = nc < out || nr < in;
    int y = r.y, ye = r.y + r.h, x = r.x, xe = r.x + r.w;
    char b[64];
    if (y >= ye)
        return;
    int j0 = (int)(((long)c * out + nc - 1) / nc), j1 = (int)(((long)(c + 1) * out + nc - 1) / nc) - 1;
    if (j1 > j0)
        x += ui_grid_printf(g, x, y, xe - x, val, "layer %d neurons %d-%d", l + 1, j0, j1);
    else
        x += ui_grid_printf(g, x, y, xe - x, val, "layer %d neuron %d", l + 1, j0);
    num(b, sizeof b, (double)s->net.b[l][c]);
    char kind[64];
    snprintf(kind, sizeof kind, " (%s, %d inputs)", nn_act_name(s->info.layers[l].act), in);
    /* the bias is the figure that matters: the activation and fan-in give way when both do not fit */
    if (x + (int)strlen(kind) + 7 + (int)strlen(b) <= xe)
        x += ui_grid_text(g, x, y, xe - x, kind, dim);
    x += ui_grid_text(g, x, y, xe - x, "  bias ", lab);
    ui_style bs = val;
    if (pick == -1)
        bs.attr |= UI_A_REVERSE | UI_A_BOLD;
    ui_grid_text(g, x, y, xe - x, b, bs);
    if (++y >= ye)
        return;
    x = r.x;
    bool narrow = r.w < 60;   /* short labels, so the figures are not cut */
    if (pick >= -1) {
        pick_line(g, x, y, xe, s, l, c, pick, th);   /* in place of the activation statistics */
    } else if (s->net.act_rows > 0) {
        x += ui_grid_text(g, x, y, xe - x, narrow ? "act " : "activation ", lab);
        x += ui_grid_printf(g, x, y, xe - x, val, "mean %.3g std %.3g", (double)s->net.amean[l][c],
                            (double)s->net.astd[l][c]);
        int act = s->info.layers[l].act;
        if (act >= 0 && act < NN_ACT_COUNT && nn_act_table[act].can_die) {
            double on = (double)s->net.active[l][c];
            x += ui_grid_printf(g, x, y, xe - x, on <= 0 ? ui_st(th, UI_R_WARN) : val, narrow ? "  on %.0f%%%s" : "  active on %.0f%% of rows%s",
                                100.0 * on, on <= 0 ? " (dead)" : "");
        } else if (act >= 0 && act < NN_ACT_COUNT && nn_act_table[act].saturates) {
            double sat = (double)s->net.sat[l][c];
            x += ui_grid_printf(g, x, y, xe - x, sat >= 0.5 ? ui_st(th, UI_R_WARN) : val, narrow ? "  sat %.0f%%" : "  saturated %.0f%%", 100.0 * sat);
        }
        if (!narrow)
            ui_grid_printf(g, x, y, xe - x, dim, "  (%d rows)", s->net.act_rows);
    } else {
        ui_grid_text(g, x, y, xe - x, xe - x >= 52 ? "activation statistics after the first measured batch"
                                                   : "activations: after a batch", dim);
    }
    if (++y >= ye)
        return;
    /* incoming weights: a strip in column order, then the largest by magnitude */
    x = r.x;
    x += ui_grid_text(g, x, y, xe - x, pooled ? "incoming (pooled) " : "incoming ", lab);
    const float *w = s->net.w[l];
    double vmax = (double)s->net.wmax[l];
    for (int i = 0; i < nr && x < xe; i++, x++) {
        weight_cell(g, x, y, (double)w[i * nc + c], 0, false, vmax, th);
        if (i == pick) {   /* the picked weight's cell: a pointer in it, over its colour */
            ui_style ps = ui_st(th, UI_R_WARN);
            ps.attr |= UI_A_BOLD;
            if (th->level != UI_COLOR_MONO)
                ps.bg = ui_weight_colour(th, (double)w[i * nc + c], vmax);
            ui_grid_put(g, x, y, th->utf8 ? 0x25BC : 'v', ps);
        }
    }
    if (++y >= ye)
        return;
    int order[UI_NET_DIM];
    int n = 0;
    for (int i = 0; i < nr; i++)
        order[n++] = i;
    for (int i = 1; i < n; i++) {   /* insertion sort by |w|, largest first */
        int k = order[i], j = i - 1;
        while (j >= 0 && fabsf(w[order[j] * nc + c]) < fabsf(w[k * nc + c])) {
            order[j + 1] = order[j];
            j--;
        }
        order[j + 1] = k;
    }
    x = r.x;
    for (int i = 0; i < n && x < xe; i++) {
        int row = order[i];
        int src = (int)(((long)row * in + nr - 1) / nr);
        char name[40];
        input_name(name, sizeof name, s, l, src, nr == in, th->utf8);
        num(b, sizeof b, (double)w[row * nc + c]);
        char item[128];
        snprintf(item, sizeof item, "%s %s  ", name, b);
        int iw = (int)strlen(item);
        if (x + iw > xe)
            break;
        ui_grid_text(g, x, y, iw, name, dim);
        ui_style vs = {ui_weight_colour(th, (double)w[row * nc + c], vmax * 2 < 1e-30 ? 1 : vmax), -1, 0};
        if (th->level != UI_COLOR_256)
            vs = val;
        else if (fabsf(w[row * nc + c]) < 0.1f * (float)vmax)
            vs = dim;
        else
            vs.fg = w[row * nc + c] < 0 ? 39 : 214;
        if (row == pick)
            vs.attr |= UI_A_REVERSE | UI_A_BOLD;
        ui_grid_text(g, x + (int)strlen(name) + 1, y, (int)strlen(b), b, vs);
        x += iw;
    }
}

/* Where the layers go in the panel's rectangle r (the first row is the legend). */
typedef struct {
    int dh;                        /* detail rows at the bottom */
    int top;                       /* the labels' row; heatmaps from top + 1 */
    int hh;                        /* heatmap rows (< 1: none) */
    bool marker;                   /* a row for the marker under the heatmaps */
    int first, last;               /* layers shown: [first, last) */
    int x[NN_MAX_LAYERS], bw[NN_MAX_LAYERS], hw[NN_MAX_LAYERS];   /* block x, width, heatmap width */
    int scale;                     /* columns a neuron takes, halved (1: 2 columns); an input takes up
                                      to 2 x scale pixel rows, the same in every layer */
    int maxrows;                   /* the most inputs a layer shown has (at least 1) */
} net_layout;

static void layout(net_layout *L, const ui_snapshot *s, ui_rect r, int sl)
{
    memset(L, 0, sizeof *L);
    L->dh = r.h >= 12 ? 4 : r.h >= 8 ? 2 : 0;
    L->top = r.y + 1;
    int bottom = r.y + r.h - L->dh;   /* [top, bottom): labels, heatmaps, marker */
    L->hh = bottom - L->top - 2;
    L->marker = L->hh >= 1;
    if (!L->marker)
        L->hh = bottom - L->top - 1;
    /* each layer 2 x scale columns a neuron (at least 8 for its label); squeezed to fit, never below 8.
     * scale > 1 when the layers are small for the area (xor at 220x60 filled 6 of 31 rows): the largest
     * whole number that fits every layer across and the tallest's inputs down (scale pixel rows each) */
    int nl = s->info.n_layers < NN_MAX_LAYERS ? s->info.n_layers : NN_MAX_LAYERS, avail = r.w - (nl - 1);
    L->maxrows = 1;
    for (int l = 0; l < nl; l++)
        L->maxrows = s->net.rows[l] > L->maxrows ? s->net.rows[l] : L->maxrows;
    L->scale = 1;
    for (int k = 2; k <= 8 && k * L->maxrows <= 2 * L->hh; k++) {   /* half-block pixels down */
        int w = 0;
        for (int l = 0; l < nl; l++)
            w += s->net.cols[l] * 2 * k > 8 ? s->net.cols[l] * 2 * k : 8;
        if (w > avail)
            break;
        L->scale = k;
    }
    int want = 0, extra = 0;
    for (int l = 0; l < nl; l++) {
        int bw = s->net.cols[l] * 2 * L->scale > 8 ? s->net.cols[l] * 2 * L->scale : 8;
        want += bw;
        extra += bw - 8;
    }
    for (int l = 0; l < nl; l++) {
        int bw = s->net.cols[l] * 2 * L->scale > 8 ? s->net.cols[l] * 2 * L->scale : 8;
        if (want > avail && extra > 0) {
            int over = want - avail;
            bw -= (int)(((long)(bw - 8) * over + extra - 1) / extra);
            if (bw < 8)
                bw = 8;
        }
        L->bw[l] = bw;
    }
    /* still too many layers: start late enough that the selected one is on screen ("<" marks it) */
    L->first = 0;
    for (;;) {
        int used = 0;
        for (int l = L->first; l <= sl && l < nl; l++)
            used += L->bw[l] + 1;
        if (used - 1 + (L->first > 0 ? 2 : 0) <= r.w || L->first >= sl)
            break;
        L->first++;
    }
    int x = r.x + (L->first > 0 ? 2 : 0), xe = r.x + r.w;
    int l = L->first;
    for (; l < nl && x < xe; l++) {
        int cols = s->net.cols[l] > 0 ? s->net.cols[l] : 1;
        if (x + L->bw[l] > xe)
            L->bw[l] = xe - x;
        int hw = cols * (L->bw[l] / cols) > 0 ? cols * (L->bw[l] / cols) : L->bw[l];
        L->x[l] = x;
        L->hw[l] = hw > L->bw[l] ? L->bw[l] : hw;
        x += L->bw[l] + 1;
    }
    L->last = l;
}

bool ui_network_hit(const ui_snapshot *s, const ui_views *v, ui_rect r, int x, int y, int *layer, int *unit)
{
    if (!s->net.valid || s->race.on || s->info.n_layers <= 0 || r.w < 10)
        return false;
    int sl = v->net_layer >= 0 && v->net_layer < s->info.n_layers ? v->net_layer : 0;
    net_layout L;
    layout(&L, s, r, sl);
    if (L.hh < 1 || y < L.top || y > L.top + L.hh)   /* the label row and the heatmap rows */
        return false;
    for (int l = L.first; l < L.last; l++) {
        if (x < L.x[l] || x >= L.x[l] + L.hw[l])
            continue;
        int cols = s->net.cols[l] > 0 ? s->net.cols[l] : 1;
        *layer = l;
        *unit = (int)((long)(x - L.x[l]) * cols / L.hw[l]);
        return true;
    }
    return false;
}

bool ui_network_strip_hit(const ui_snapshot *s, const ui_views *v, ui_rect r, int x, int y, int *input)
{
    if (!s->net.valid || s->race.on || s->info.n_layers <= 0 || r.w < 10)
        return false;
    int sl = v->net_layer >= 0 && v->net_layer < s->info.n_layers ? v->net_layer : 0;
    if (!whole(s, sl))
        return false;
    net_layout L;
    layout(&L, s, r, sl);
    int x0 = r.x + (int)strlen("incoming "), in = s->info.layers[sl].in;
    if (L.dh < 3 || y != r.y + r.h - L.dh + 2 || x < x0 || x >= x0 + in || x >= r.x + r.w)
        return false;
    *input = x - x0;
    return true;
}

void ui_network_panel(ui_grid *g, ui_rect r, const ui_snapshot *s, const ui_views *v, const ui_theme *th)
{
    ui_style dim = ui_st(th, UI_R_DIM), txt = ui_st(th, UI_R_TEXT), lab = ui_st(th, UI_R_LABEL);
    if (r.w < 10 || r.h < 1)
        return;
    if (s->race.on) {
        ui_grid_wrap(g, r.x, r.y, r.w, r.h, "no single network during a race: the Race view shows the curves", dim);
        return;
    }
    if (!s->net.valid || s->info.n_layers <= 0) {
        ui_grid_text(g, r.x, r.y, r.w, s->state == UI_RUN_LOADING ? "loading ..." : "no network yet", dim);
        return;
    }
    int sl = v->net_layer, sc = v->net_unit;
    if (sl < 0 || sl >= s->info.n_layers) sl = 0;
    if (sc < 0 || sc >= s->net.cols[sl]) sc = 0;
    /* header: legend */
    int x = r.x, xe = r.x + r.w;
    x += ui_grid_printf(g, x, r.y, r.w, dim, "epoch %d ", s->net.epoch);
    if (th->level == UI_COLOR_MONO) {
        /* - and + small, = and # large (weight_cell); the short form where the long one would be cut */
        const char *lg = " - negative  + positive  (= # large)  ";
        if (xe - x < (int)strlen(lg))
            lg = " - neg + pos (= # large) ";
        x += ui_grid_text(g, x, r.y, xe - x, lg, txt);
    } else {
        ui_style neg = {ui_weight_colour(th, -1, 1), -1, 0}, pos = {ui_weight_colour(th, 1, 1), -1, 0};
        const char *sq = th->utf8 ? "\xe2\x96\xa0" : "#";
        x += ui_grid_text(g, x, r.y, xe - x, sq, neg);
        x += ui_grid_text(g, x, r.y, xe - x, " negative  ", txt);
        x += ui_grid_text(g, x, r.y, xe - x, sq, pos);
        x += ui_grid_text(g, x, r.y, xe - x, " positive  ", txt);
    }
    int pick = UI_NET_NO_PICK;
    char hint[48] = "  Enter: diagram";
    if (ui_network_pick(s, v, &pick) && sl == v->net_layer) {
        char name[32];
        ui_weight_name(name, sizeof name, sl, pick, sc);
        snprintf(hint, sizeof hint, "  Enter: edit %s", name);
    } else {
        pick = UI_NET_NO_PICK;
    }
    int hint_w = (int)strlen(hint);
    if (xe - x >= 30 + (pick >= -1 ? hint_w : 0))
        x += ui_grid_text(g, x, r.y, xe - x, "rows: inputs, columns: neurons", dim);
    if (xe - x >= hint_w)
        ui_grid_text(g, x, r.y, xe - x, hint, pick >= -1 ? ui_st(th, UI_R_LABEL) : dim);

    net_layout L;
    layout(&L, s, r, sl);
    if (L.hh < 1)
        return;
    if (L.first > 0)
        ui_grid_text(g, r.x, L.top + 1, 2, "< ", ui_st(th, UI_R_WARN));
    bool half = th->utf8 && th->level != UI_COLOR_MONO;   /* as ui_weights_raster draws */
    for (int l = L.first; l < L.last; l++) {
        int cols = s->net.cols[l], x0 = L.x[l], hw = L.hw[l];
        bool sel = l == sl;
        char t[48];
        snprintf(t, sizeof t, "%s%d %d\xe2\x86\x92%d", sel ? ">" : "", l + 1, s->info.layers[l].in,
                 s->info.layers[l].out);
        if (!th->utf8)
            snprintf(t, sizeof t, "%s%d %d>%d", sel ? ">" : "", l + 1, s->info.layers[l].in, s->info.layers[l].out);
        ui_text_cols(g, x0, L.top, L.bw[l], t, sel ? ui_st(th, UI_R_TITLE_FOCUS) : lab);
        /* every layer's inputs the same height: up to square blocks (2 x scale columns, as many
         * half-block pixels) where the tallest layer leaves room, so the layers stay comparable */
        int px = half ? 2 * L.hh : L.hh, f = px / L.maxrows;
        if (f > 2 * L.scale)
            f = 2 * L.scale;
        if (f < 1)
            f = 1;
        int rows = s->net.rows[l], hh = rows * f <= px ? (half ? (rows * f + 1) / 2 : rows * f) : L.hh;
        ui_weights_raster(g, ui_rect_make(x0, L.top + 1, hw, hh), s->net.w[l], rows, cols,
                          (double)s->net.wmax[l], th);
        /* marker under the selected neuron */
        if (sel && L.marker) {
            int cw = hw / cols;
            int mx = cw >= 1 ? x0 + sc * cw + (cw - 1) / 2 : x0 + (int)((long)sc * hw / cols);
            ui_grid_put(g, mx, L.top + 1 + hh, th->utf8 ? 0x25B2 : '^', ui_st(th, UI_R_WARN));   /* under its heatmap */
        }
    }
    int dh = L.dh, bottom = r.y + r.h - dh;
    if (dh > 0)
        detail(g, ui_rect_make(r.x, bottom, r.w, dh), s, sl, sc, pick, th);
}

/* ---- the view in the slot ---- */

static void prepare(ui_views *v, const ui_model *m)
{
    ui_views_clamp(v, m->snap);
}

void ui_weight_picture(ui_grid *g, ui_rect r, const ui_snapshot *s, const ui_theme *th)
{
    const ui_snap_picture *p = &s->picture;
    if (r.w <= 0 || r.h <= 0 || !p->valid || p->side <= 0)
        return;
    bool mono = th->level == UI_COLOR_MONO, half = th->utf8 && !mono;
    int side = p->side, ph = half ? 2 * r.h : r.h;
    double vmax = p->wmax > 0 ? (double)p->wmax : 1.0;
    for (int cy = 0; cy < r.h; cy++)
        for (int cx = 0; cx < r.w; cx++) {
            int x0 = cx * side / r.w, x1 = (cx + 1) * side / r.w;
            double v[2];
            for (int k = 0; k < (half ? 2 : 1); k++) {
                int py = half ? 2 * cy + k : cy;
                int y0 = py * side / ph, y1 = (py + 1) * side / ph;
                double sum = 0;
                int n = 0;
                for (int y = y0; y < (y1 > y0 ? y1 : y0 + 1) && y < side; y++)
                    for (int x = x0; x < (x1 > x0 ? x1 : x0 + 1) && x < side; x++, n++)
                        sum += (double)p->w[y * side + x];
                v[k] = n > 0 ? sum / n : 0;
            }
            weight_cell(g, r.x + cx, r.y + cy, v[0], half ? v[1] : 0, half, vmax, th);
        }
}

/* The first-layer unit of the selection (the first of a pooled column's units), or -1. */
static int picture_unit(const ui_views *v, const ui_snapshot *s)
{
    if (v->net_layer != 0 || s->info.n_layers <= 0 || s->race.on)
        return -1;
    int out = s->info.layers[0].out, nc = s->net.cols[0] > 0 ? s->net.cols[0] : out;
    int c = v->net_unit < 0 ? 0 : v->net_unit;
    return (int)(((long)c * out + nc - 1) / nc);
}

static void draw(ui_grid *g, ui_rect r, const ui_model *m)
{
    const ui_snapshot *s = m->snap;
    if (m->views->net_diagram && s->net.valid && !s->race.on && s->info.n_layers > 0) {
        int pick;
        if (!ui_network_pick(s, m->views, &pick))
            pick = UI_NET_NO_PICK;
        ui_net_diagram(g, r, s, m->views->net_layer, m->views->net_unit, pick, m->th);
        return;
    }
    /* image data, a first-layer unit selected: its weights as a picture on the right */
    int u = picture_unit(m->views, s);
    const ui_snap_picture *p = &s->picture;
    if (u >= 0 && p->valid && p->unit == u && r.w >= 60 && r.h >= 9) {
        int ph = r.h - 2 >= p->side / 2 ? p->side / 2 : (r.h - 2 >= p->side / 4 ? p->side / 4 : r.h - 2);
        int pw = 2 * ph;
        ui_rect pr = ui_rect_make(r.x + r.w - pw, r.y + 1, pw, ph);
        ui_network_panel(g, ui_rect_make(r.x, r.y, r.w - pw - 2, r.h), s, m->views, m->th);
        ui_grid_printf(g, pr.x, r.y, pw, ui_st(m->th, UI_R_LABEL), "unit %d as %dx%d", u, p->side, p->side);
        ui_weight_picture(g, pr, s, m->th);
        return;
    }
    ui_network_panel(g, r, s, m->views, m->th);
}

/* Image data: the picture of the selected first-layer unit, asked for when it changes. */
static void sync(ui_views *v, const ui_model *m, ui_intent *out)
{
    const ui_snapshot *s = m->snap;
    int nf = s->info.n_features, side = 2;
    while (side * side < nf)
        side++;
    int u = side * side == nf && nf >= 16 ? picture_unit(v, s) : -1;
    if (v->pic_asked && v->pic_unit == u)
        return;
    if (!v->pic_asked && u < 0)
        return;
    out->kind = UI_INTENT_PICTURE;
    out->arg[0] = u;
}

/* [ and ]: the previous or next of the selected neuron's bias and incoming weights (dir -1, +1). */
static unsigned pick_key(ui_views *v, const ui_model *m, int dir, ui_intent *out)
{
    const ui_snapshot *s = m->snap;
    if (s->race.on)
        return ui_intent_message(out, true, "no single network during a race: load a preset to edit its weights");
    if (!s->net.valid || s->info.n_layers <= 0)
        return ui_intent_message(out, true, "no network yet");
    ui_views_clamp(v, s);
    int l = v->net_layer;
    if (!whole(s, l))
        return ui_intent_message(out, true, "layer %d (%d inputs, %d neurons) is drawn pooled: weights are picked one "
                                 "by one in layers of at most %d", l + 1, s->info.layers[l].in, s->info.layers[l].out,
                                 UI_NET_DIM);
    int in = s->info.layers[l].in;
    if (!v->net_picked) {
        v->net_picked = true;
        v->net_input = dir > 0 ? -1 : in - 1;   /* ]: from the bias; [: from the last input */
    } else {
        v->net_input += dir;
        if (v->net_input > in - 1) v->net_input = -1;
        if (v->net_input < -1) v->net_input = in - 1;
    }
    return UI_REDRAW;
}

/* Enter with a weight picked: the line editor on its value. */
static unsigned edit_key(const ui_views *v, const ui_model *m, int i, ui_intent *out)
{
    const ui_snapshot *s = m->snap;
    if (s->state == UI_RUN_DIVERGED)
        return ui_intent_message(out, true, "the run diverged: r resets to the initial weights, R draws new ones");
    if (s->state == UI_RUN_LOADING || s->state == UI_RUN_ERROR)
        return ui_intent_message(out, true, "no model to edit yet");
    int l = v->net_layer, j = v->net_unit;
    float w = i < 0 ? s->net.b[l][j] : s->net.w[l][i * s->net.cols[l] + j];
    char name[24], from[48];
    ui_weight_name(name, sizeof name, l, i, j);
    if (i < 0) {
        snprintf(from, sizeof from, "the bias of neuron %d", j);
    } else {
        char src[24];
        input_name(src, sizeof src, s, l, i, true, m->th->utf8);
        snprintf(from, sizeof from, "from %s into neuron %d", src, j);
    }
    out->kind = UI_INTENT_EDIT;
    out->edit = UI_EDIT_WEIGHT;
    out->arg[0] = l;
    out->arg[1] = i;
    out->arg[2] = j;
    snprintf(out->key, sizeof out->key, "%.23s, %.47s, layer %d", name, from, l + 1);
    ui_weight_text(out->text, sizeof out->text, w);
    return UI_REDRAW;
}

static unsigned key(ui_views *v, const ui_model *m, ui_cmd c, ui_intent *out)
{
    int i;
    if (c.act == UI_ACT_PREV_SAMPLE || c.act == UI_ACT_NEXT_SAMPLE)
        return pick_key(v, m, c.act == UI_ACT_NEXT_SAMPLE ? 1 : -1, out);
    if (c.act == UI_ACT_CANCEL) {
        if (!v->net_picked)
            return 0;
        v->net_picked = false;
        return UI_REDRAW;
    }
    if (c.act == UI_ACT_EDIT && ui_network_pick(m->snap, v, &i))
        return edit_key(v, m, i, out);
    if (c.act == UI_ACT_EDIT) v->net_diagram = !v->net_diagram;
    else if (c.act == UI_ACT_LEFT) v->net_unit--;
    else if (c.act == UI_ACT_RIGHT) v->net_unit++;
    else if (c.act == UI_ACT_UP) v->net_layer--;
    else if (c.act == UI_ACT_DOWN) v->net_layer++;
    else if (c.act == UI_ACT_HOME) v->net_unit = 0;
    else if (c.act == UI_ACT_END) v->net_unit = UI_NET_DIM;
    else return 0;
    ui_views_clamp(v, m->snap);
    if (v->net_picked && !ui_network_pick(m->snap, v, &i))
        v->net_picked = false;   /* a layer drawn pooled: nothing to pick in it */
    else if (v->net_picked)
        v->net_input = i;        /* the same input, or the last one of a narrower layer */
    sync(v, m, out);
    return UI_REDRAW;
}

static void click(ui_views *v, const ui_model *m, ui_rect r, int x, int y)
{
    int l, u;
    if (!v->net_diagram && ui_network_strip_hit(m->snap, v, r, x, y, &u)) {
        v->net_picked = true;   /* a cell of the incoming strip: that weight */
        v->net_input = u;
        return;
    }
    bool hit = v->net_diagram ? ui_diagram_hit(m->snap, r, v->net_layer, v->net_unit, x, y, &l, &u) : ui_network_hit(m->snap, v, r, x, y, &l, &u);
    if (hit) {
        v->net_layer = l;
        v->net_unit = u;
        ui_views_clamp(v, m->snap);
        if (v->net_picked && !ui_network_pick(m->snap, v, &u))
            v->net_picked = false;
        else if (v->net_picked)
            v->net_input = u;
    }
}

const ui_view_def ui_network_view = {
    "Network", "Net", UI_NEED_INFO | UI_NEED_NET | UI_NEED_RACE | UI_NEED_PICTURE, prepare, draw, key, sync, click,
};
