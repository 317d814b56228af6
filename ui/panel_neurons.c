/* panel_neurons.c — the Neurons view, TensorFlow Playground's picture: what each hidden unit and
 * each output computes over the Boundary view's plane (the two features on its axes, the others
 * at their mean), one small half-block map per unit, the layers as columns from the input side to
 * the output. The selected unit is drawn large beside them (or alone, Enter) with its bias, its
 * range and its incoming weights. A network too big to show whole shows the selected layer, a page
 * of its units at a time. The worker computes the maps (core/probe.c: nn_probe_units) with the
 * boundary grid, and only while this view is shown (the units intent; input.c turns them off).
 * Keys: Left/Right the layer, Up/Down the unit (Home, End: first, last; PgUp, PgDn: a page),
 * Enter the large map alone; a click on a map selects it. */
#include "panel.h"

#include "activation.h"
#include "chart.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The value of map i at point (gr, gc), as a colour (bg) and, in monochrome, a glyph. */
static const char mono_ramp[] = " .:-=+*#%@";

static void unit_pixel(const ui_snapshot *s, int i, int gr, int gc, const ui_theme *th, int16_t *col, uint32_t *ch)
{
    const ui_snap_units *u = &s->units;
    int l = u->ulayer[i], unit = u->uindex[i];
    double v = (double)u->map[i][gr * UI_UNIT_GRID + gc], lo = (double)u->lo[i], hi = (double)u->hi[i];
    bool out = l == s->info.n_layers - 1;
    bool mono = th->level == UI_COLOR_MONO;
    if (!isfinite(v))
        v = 0;
    if (out && s->info.n_classes > 0) {
        /* an output of a classifier: a probability, in the Boundary view's class colours */
        int outs = s->info.layers[l].out;
        double p = v < 0 ? 0 : v > 1 ? 1 : v;
        if (outs == 1)
            *col = ui_region_colour(th, p >= 0.5 ? 1 : 0, p >= 0.5 ? p : 1 - p, 2);
        else
            *col = ui_region_colour(th, unit, p, outs);
        *ch = (uint32_t)mono_ramp[(int)lround(p * 9)];
        return;
    }
    if (out) {
        /* a regression output: the Surface view's heat over its own range */
        double t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        *col = mono ? -1 : ui_theme_heat(th, t).bg;
        *ch = (uint32_t)mono_ramp[(int)lround(t * 9)];
        return;
    }
    /* a hidden unit: its sign in the colours of classes 0 (negative) and 1 (positive), deeper with
     * |a| over the map's largest |a| */
    double m = fmax(fabs(lo), fabs(hi));
    double t = m > 0 ? v / m : 0;
    *col = ui_region_colour(th, t < 0 ? 0 : 1, fabs(t), 1);
    double a = fabs(t);
    *ch = a < 0.2 ? ' ' : t < 0 ? (a < 0.6 ? '-' : '=') : (a < 0.6 ? '+' : '#');
}

void ui_unit_map(ui_grid *g, ui_rect r, const ui_snapshot *s, int i, const ui_theme *th)
{
    if (r.w <= 0 || r.h <= 0 || i < 0 || i >= s->units.n || !s->units.valid)
        return;
    bool mono = th->level == UI_COLOR_MONO;
    bool half = th->utf8 && !mono;
    int ph = half ? 2 * r.h : r.h;
    for (int cy = 0; cy < r.h; cy++)
        for (int cx = 0; cx < r.w; cx++) {
            int gc = (int)(((double)cx + 0.5) * UI_UNIT_GRID / r.w);
            int16_t top, bot;
            uint32_t ch;
            if (half) {
                int g0 = (int)(((double)(2 * cy) + 0.5) * UI_UNIT_GRID / ph);
                int g1 = (int)(((double)(2 * cy + 1) + 0.5) * UI_UNIT_GRID / ph);
                unit_pixel(s, i, g0, gc, th, &top, &ch);
                unit_pixel(s, i, g1, gc, th, &bot, &ch);
                ui_style st = {top, bot, 0};
                ui_grid_put(g, r.x + cx, r.y + cy, 0x2580, st);
                continue;
            }
            int gr = (int)(((double)cy + 0.5) * UI_UNIT_GRID / ph);
            unit_pixel(s, i, gr, gc, th, &top, &ch);
            if (mono) {
                ui_style st = {-1, -1, 0};
                ui_grid_put(g, r.x + cx, r.y + cy, ch, st);
            } else {
                ui_style st = {-1, top, 0};
                ui_grid_put(g, r.x + cx, r.y + cy, ' ', st);
            }
        }
}

/* The map of unit (l, u) in the snapshot, or -1. */
static int map_of(const ui_snapshot *s, int l, int u)
{
    if (!s->units.valid)
        return -1;
    for (int i = 0; i < s->units.n && i < UI_UNIT_MAX; i++)
        if (s->units.ulayer[i] == l && s->units.uindex[i] == u)
            return i;
    return -1;
}

/* Where the maps go in the view's rectangle r. */
typedef struct {
    ui_rect ov, det;           /* the maps, the selected unit in detail (w 0: none) */
    bool paged;                /* one layer, a page of its units */
    int mw, mh;                /* a small map's size in cells */
    int per_col;               /* maps per sub-column */
    int first, last;           /* layers shown [first, last) */
    int lx[NN_MAX_LAYERS], lw[NN_MAX_LAYERS];   /* each layer's column: x and width */
    int page0, page_n;         /* paged: the units [page0, page0 + page_n) of layer first */
    int ix, iw;                /* the inputs' column (iw 0: none): 2-D data, the whole network shown */
} neu_layout;

/* The selection clamped into the snapshot's network. */
static void selection(const ui_snapshot *s, const ui_views *v, int *l, int *u)
{
    int nl = s->info.n_layers > 0 ? s->info.n_layers : 1;
    *l = v->neu_layer < 0 ? 0 : v->neu_layer >= nl ? nl - 1 : v->neu_layer;
    int out = s->info.n_layers > 0 ? s->info.layers[*l].out : 1;
    *u = v->neu_unit < 0 ? 0 : v->neu_unit >= out ? out - 1 : v->neu_unit;
}

static void layout(neu_layout *L, const ui_snapshot *s, const ui_views *v, ui_rect r)
{
    memset(L, 0, sizeof *L);
    int sl, su;
    selection(s, v, &sl, &su);
    ui_rect body = ui_rect_make(r.x, r.y + 1, r.w, r.h - 1);   /* below the header */
    if (v->neu_zoom) {
        L->det = body;
        return;
    }
    if (body.w >= 70) {
        int dw = body.w * 2 / 5;
        if (dw < 30) dw = 30;
        L->det = ui_rect_make(body.x + body.w - dw, body.y, dw, body.h);
        L->ov = ui_rect_make(body.x, body.y, body.w - dw - 1, body.h);
    } else {
        L->ov = body;
    }
    int nl = s->info.n_layers;
    int H = L->ov.h - 1;   /* below the layer labels */
    if (H < 1 || L->ov.w < 4 || nl <= 0)
        return;
    bool whole = s->units.valid && s->units.layer < 0;
    for (int mh = 4; whole && mh >= 2; mh--) {   /* smaller maps show nothing: a layer a page instead */
        int mw = 2 * mh;
        int per = H / (mh + 1);   /* each map with the row under it for its number or name */
        if (per < 1)
            continue;
        int x = L->ov.x, ok = 1;
        L->iw = 0;
        if (s->units.n_in > 0) {   /* the inputs first, as in Playground */
            int sub = (s->units.n_in + per - 1) / per;
            L->ix = x;
            L->iw = sub * (mw + 1) < 6 ? 6 : sub * (mw + 1);
            x += L->iw + 1;
        }
        for (int l = 0; l < nl; l++) {
            int out = s->info.layers[l].out;
            int sub = (out + per - 1) / per;
            int w = sub * (mw + 1);
            if (w < 4) w = 4;
            L->lx[l] = x;
            L->lw[l] = w;
            x += w + 1;
        }
        if (x - 1 > L->ov.x + L->ov.w)
            ok = 0;
        if (ok) {
            L->mw = mw;
            L->mh = mh;
            L->per_col = per;
            L->first = 0;
            L->last = nl;
            return;
        }
    }
    /* the selected layer alone, a page of its units */
    L->paged = true;
    L->iw = 0;
    L->first = sl;
    L->last = sl + 1;
    /* the largest maps of which two fit one above the other, each with its number under it */
    L->mh = 1;
    for (int mh = 4; mh >= 2; mh--)
        if (H / (mh + 1) >= 2) {
            L->mh = mh;
            break;
        }
    L->mw = 2 * L->mh;
    L->per_col = L->mh >= 2 ? H / (L->mh + 1) : H;
    if (L->per_col < 1) L->per_col = 1;
    int cols = L->ov.w / (L->mw + 1);
    if (cols < 1) cols = 1;
    int cap = cols * L->per_col;
    if (cap > UI_UNIT_MAX) cap = UI_UNIT_MAX;
    int out = s->info.layers[sl].out;
    L->page0 = (su / cap) * cap;
    L->page_n = out - L->page0 < cap ? out - L->page0 : cap;
    L->lx[sl] = L->ov.x;
    L->lw[sl] = L->ov.w;
}

/* The unit index of slot k of layer l's column (paged: from the page's start; l -1: the inputs'
 * column), and its cell. */
static void slot_rect(const neu_layout *L, int l, int k, int *x, int *y)
{
    int gap = L->mh >= 2 ? 1 : 0;
    *x = (l < 0 ? L->ix : L->lx[l]) + (k / L->per_col) * (L->mw + 1) + 1;   /* column 0 of each slot: the marker */
    *y = L->ov.y + 1 + (k % L->per_col) * (L->mh + gap);
}

bool ui_neurons_hit(const ui_snapshot *s, const ui_views *v, ui_rect r, int x, int y, int *layer, int *unit)
{
    if (s->info.n_layers <= 0 || s->race.on || r.w < 8 || r.h < 3)
        return false;
    neu_layout L;
    layout(&L, s, v, r);
    if (L.mw <= 0)
        return false;
    for (int l = L.first; l < L.last; l++) {
        int n = L.paged ? L.page_n : s->info.layers[l].out;
        for (int k = 0; k < n; k++) {
            int mx, my;
            slot_rect(&L, l, k, &mx, &my);
            if (x >= mx - 1 && x < mx + L.mw && y >= my && y < my + L.mh) {
                *layer = l;
                *unit = (L.paged ? L.page0 : 0) + k;
                return true;
            }
        }
    }
    return false;
}

static void num(char *b, size_t n, double v)
{
    char t[16];
    ui_fmt_num(t, sizeof t, v);
    snprintf(b, n, "%s%s", v >= 0 ? "+" : "", t);
}

/* The name of input i of layer l: the feature's name (layer 0), else "h<i>". */
static void input_name(const ui_snapshot *s, int l, int i, bool utf8, char *out, size_t n)
{
    if (l == 0) {   /* the same names as the other views */
        char b[32];
        ui_input_name(s, i, utf8, b, sizeof b);
        snprintf(out, n, "%.14s", b);
        return;
    }
    snprintf(out, n, "h%d", i);
}

/* What unit (l, u) is, in words: "layer 1 unit 3 (tanh)", "output 2: versicolor (softmax)". */
static void unit_title(const ui_snapshot *s, int l, int u, char *out, size_t n)
{
    const char *act = nn_act_name(s->info.layers[l].act);
    if (l == s->info.n_layers - 1 && s->info.n_classes > 0 && s->info.layers[l].out > 1 && u < NN_MAX_CLASSES &&
        s->info.class_names[u][0])
        snprintf(out, n, "output %d: %.16s (%s)", u, s->info.class_names[u], act);
    else if (l == s->info.n_layers - 1)
        snprintf(out, n, "output %d (%s)", u, act);
    else
        snprintf(out, n, "layer %d unit %d (%s)", l + 1, u, act);
}

/* Input i of layer l's weight into unit u as "name +0.42" at (x, y), coloured by sign; returns its width. */
static int weight_item(ui_grid *g, int x, int y, int maxw, const ui_snapshot *s, int l, int u, int i, const ui_theme *th)
{
    char name[24], b[24];
    input_name(s, l, i, th->utf8, name, sizeof name);
    double wv = (double)s->net.w[l][i * s->net.cols[l] + u], vmax = (double)s->net.wmax[l];
    num(b, sizeof b, wv);
    int nw = (int)strlen(name), bw = (int)strlen(b);
    if (nw + 1 + bw > maxw)
        return 0;
    ui_style vs = ui_st(th, UI_R_VALUE);
    if (th->level == UI_COLOR_256)
        vs.fg = fabs(wv) < 0.1 * vmax ? ui_st(th, UI_R_DIM).fg : wv < 0 ? 39 : 214;
    ui_grid_text(g, x, y, nw, name, ui_st(th, UI_R_DIM));
    ui_grid_text(g, x + nw + 1, y, bw, b, vs);
    return nw + 1 + bw;
}

/* The selected unit: what it is, its bias and range, its map large, its incoming weights (largest
 * first). Wide enough: the map on the left, the numbers beside it one a line; else stacked. */
static void detail(ui_grid *g, ui_rect r, const ui_snapshot *s, int l, int u, const ui_theme *th)
{
    ui_style lab = ui_st(th, UI_R_LABEL), val = ui_st(th, UI_R_VALUE), dim = ui_st(th, UI_R_DIM);
    if (r.w < 8 || r.h < 1)
        return;
    int y = r.y, ye = r.y + r.h;
    char b[64], t[96];
    unit_title(s, l, u, t, sizeof t);
    ui_grid_text(g, r.x, y, r.w, t, ui_st(th, UI_R_TITLE_FOCUS));
    if (++y >= ye)
        return;
    int i = map_of(s, l, u);
    bool exact = s->net.valid && s->net.cols[l] == s->info.layers[l].out && s->net.rows[l] == s->info.layers[l].in;
    int side_mh = ye - y;
    bool side = side_mh >= 4 && r.w - 2 * side_mh - 2 >= 22;
    int mh, mw;
    ui_rect info;
    if (side) {
        mh = side_mh;
        mw = 2 * mh;
        info = ui_rect_make(r.x + mw + 2, y, r.w - mw - 2, ye - y);
    } else {
        int wrows = r.h >= 16 ? 3 : r.h >= 6 ? 2 : 1;
        mh = ye - (y + 1) - wrows;
        if (mh > r.w / 2)
            mh = r.w / 2;
        mw = 2 * mh <= r.w ? 2 * mh : r.w;
        info = ui_rect_make(r.x, y, r.w, ye - y);
    }
    /* bias and range */
    int x = info.x, xe = info.x + info.w, iy = info.y;
    if (exact) {
        x += ui_grid_text(g, x, iy, xe - x, "bias ", lab);
        num(b, sizeof b, (double)s->net.b[l][u]);
        x += ui_grid_text(g, x, iy, xe - x, b, val);
        if (side) {
            x = info.x;
            iy++;
        } else {
            x += ui_grid_text(g, x, iy, xe - x, "  ", lab);
        }
    }
    if (i >= 0 && iy < ye) {
        char lo[16], hi[16], range[40];
        ui_fmt_num(lo, sizeof lo, (double)s->units.lo[i]);
        ui_fmt_num(hi, sizeof hi, (double)s->units.hi[i]);
        snprintf(range, sizeof range, "%s..%s", lo, hi);
        if (x > info.x && x + 7 + (int)strlen(range) > xe && iy + 1 < ye) {
            x = info.x;   /* on a line of its own rather than cut */
            iy++;
        }
        x += ui_grid_text(g, x, iy, xe - x, "output ", lab);
        ui_grid_text(g, x, iy, xe - x, range, val);
    }
    iy++;
    /* the map */
    int my = side ? y : iy;
    if (i >= 0 && mh >= 2) {
        ui_unit_map(g, ui_rect_make(r.x, my, mw, mh), s, i, th);
    } else if (i < 0) {
        ui_grid_text(g, r.x, my, r.w, s->units.valid ? "its map comes with the next picture ..." : "computing the maps ...",
                     dim);
        mh = 1;
    } else {
        mh = 0;
    }
    if (!side)
        iy = my + mh;
    if (iy >= ye)
        return;
    if (!exact) {
        ui_grid_wrap(g, info.x, iy, info.w, ye - iy, "incoming weights: in the Network view (7) for a layer this wide", dim);
        return;
    }
    /* incoming weights, largest first */
    int in = s->net.rows[l], nc = s->net.cols[l];
    const float *w = s->net.w[l];
    int order[UI_NET_DIM], n = 0;
    for (int k = 0; k < in; k++)
        order[n++] = k;
    for (int k = 1; k < n; k++) {
        int key = order[k], j = k - 1;
        while (j >= 0 && fabsf(w[order[j] * nc + u]) < fabsf(w[key * nc + u])) {
            order[j + 1] = order[j];
            j--;
        }
        order[j + 1] = key;
    }
    x = info.x;
    x += ui_grid_text(g, x, iy, xe - x, side ? "incoming weights" : "in ", lab);
    if (side) {
        x = info.x + 1;
        iy++;
    }
    int shown = 0;
    if (side) {
        /* one a line; the last line says how many are left when they do not all fit */
        int rows = ye - iy, fit = n <= rows ? n : rows - 1;
        for (int k = 0; k < fit; k++)
            if (weight_item(g, info.x + 1, iy + k, info.w - 1, s, l, u, order[k], th) > 0)
                shown++;
        iy += fit;
    } else {
        int row0 = x;
        for (int k = 0; k < n && iy < ye;) {
            bool last_row = iy == ye - 1;
            int room = xe - x - (last_row && n - k > 1 ? 9 : 0);
            int iw = weight_item(g, x, iy, room, s, l, u, order[k], th);
            if (iw > 0) {
                shown++;
                k++;
                x += iw + 2;
                continue;
            }
            if (x == row0 || last_row)
                break;
            iy++;
            x = row0 = info.x + 3;
        }
    }
    if (shown < n && iy <= ye - 1) {
        char more[24];
        snprintf(more, sizeof more, "+%d more", n - shown);
        if (side)
            ui_grid_text(g, info.x + 1, iy, info.w - 1, more, dim);
        else
            ui_grid_text(g, x, iy < ye ? iy : ye - 1, xe - x, more, dim);
    }
}

/* The legend on the header row after "epoch N ". */
static void legend(ui_grid *g, int x, int y, int xe, const ui_snapshot *s, const ui_theme *th)
{
    ui_style txt = ui_st(th, UI_R_TEXT), dim = ui_st(th, UI_R_DIM);
    bool wide = xe - x >= 28, in = s->units.n_in > 0 && xe - x >= 36;   /* the inputs are drawn so too */
    if (th->level == UI_COLOR_MONO) {
        /* the longest that leaves room for the outputs' ramp (22 columns), else the longest that fits */
        const char *hid[4] = {in ? "inputs, hidden: - negative + positive (= # strong)" : "hidden: - negative + positive (= # strong)",
                              in ? "inputs, hidden: - negative + positive" : "hidden: - negative + positive",
                              in ? "inputs, hidden: - neg + pos" : "hidden: - neg + pos", "- neg + pos"};
        int pick = -1;
        for (int i = 0; i < 4 && pick < 0; i++)
            if ((int)strlen(hid[i]) + 22 <= xe - x)
                pick = i;
        for (int i = 0; i < 4 && pick < 0; i++)
            if ((int)strlen(hid[i]) <= xe - x)
                pick = i;
        x += ui_grid_text(g, x, y, xe - x, hid[pick < 0 ? 3 : pick], txt);
    } else {
        const char *sq = th->utf8 ? "\xe2\x96\xa0" : "#";
        ui_style neg = {ui_class_colour(th, 0), -1, 0}, pos = {ui_class_colour(th, 1), -1, 0};
        if (wide)
            x += ui_grid_text(g, x, y, xe - x, in ? "inputs, hidden " : "hidden ", txt);
        x += ui_grid_text(g, x, y, xe - x, sq, neg);
        x += ui_grid_text(g, x, y, xe - x, wide ? " negative " : " neg ", txt);
        x += ui_grid_text(g, x, y, xe - x, sq, pos);
        x += ui_grid_text(g, x, y, xe - x, wide ? " positive" : " pos", txt);
    }
    /* the outputs: the longest that fits, never the bare word (and without colour, their ramp) */
    bool cls = s->info.n_classes > 0, mono = th->level == UI_COLOR_MONO;
    const char *forms[4];
    int nf = 0;
    if (mono) {
        forms[nf++] = cls ? "; outputs: probability, low .:-=+*#%@ high" : "; output: low .:-=+*#%@ high";
        forms[nf++] = cls ? "; out: prob. .:-=+*#%@" : "; out: .:-=+*#%@";
    } else {
        forms[nf++] = cls ? "; outputs: the class's probability" : "; output: the prediction";
        forms[nf++] = cls ? "; outputs: probability" : "; output: prediction";
        forms[nf++] = cls ? "; out: prob." : "; out: pred.";
    }
    for (int i = 0; i < nf; i++)
        if (xe - x >= (int)strlen(forms[i])) {
            x += ui_grid_text(g, x, y, xe - x, forms[i], dim);
            break;
        }
}

void ui_neurons_panel(ui_grid *g, ui_rect r, const ui_snapshot *s, const ui_views *v, const ui_theme *th)
{
    ui_style dim = ui_st(th, UI_R_DIM), lab = ui_st(th, UI_R_LABEL);
    if (r.w < 8 || r.h < 1)
        return;
    if (s->race.on) {
        ui_grid_wrap(g, r.x, r.y, r.w, r.h, "no single network during a race: the Race view shows the curves", dim);
        return;
    }
    if (s->state == UI_RUN_LOADING || s->state == UI_RUN_ERROR || s->info.n_layers <= 0) {
        ui_grid_text(g, r.x, r.y, r.w, s->state == UI_RUN_ERROR ? "no network (see the message)" : "loading ...", dim);
        return;
    }
    if (s->boundary.kind != UI_VIEW_BOUNDARY && s->boundary.kind != UI_VIEW_SURFACE) {
        const char *why = s->boundary.kind == UI_VIEW_CURVE
                              ? "Neurons draws each unit over a plane of two features; this data has one: the "
                                "Network view (7) shows the weights"
                          : s->info.n_features > UI_VIEW_MAX_FEATURES
                              ? "Neurons draws each unit over a plane of two features; this data has too many to "
                                "hold at their mean: the Network view (7) shows the weights"
                              : "Neurons draws each unit over the Boundary view's plane: choosing two features ...";
        ui_grid_wrap(g, r.x, r.y, r.w, r.h, why, ui_st(th, UI_R_WARN));
        return;
    }
    int sl, su;
    selection(s, v, &sl, &su);
    int x = r.x, xe = r.x + r.w;
    if (!s->units.valid) {
        ui_grid_text(g, r.x, r.y, r.w, "computing the maps ...", dim);
        return;
    }
    neu_layout L;
    layout(&L, s, v, r);
    /* the hint for the large map on the right of the header, when there is no detail pane beside */
    const char *hint = v->neu_zoom ? "Enter: every unit" : L.det.w > 0 ? "" : "Enter: large";
    int hw = (int)strlen(hint);
    if (hw > 0 && r.w >= hw + 30) {
        ui_grid_text(g, xe - hw, r.y, hw, hint, dim);
        xe -= hw + 1;
    }
    x += ui_grid_printf(g, x, r.y, xe - x, dim, "epoch %d  ", s->units.epoch);
    legend(g, x, r.y, xe, s, th);
    if (L.det.w > 0)
        detail(g, L.det, s, sl, su, th);
    if (v->neu_zoom || L.mw <= 0)
        return;
    /* the inputs' column: each feature as the network sees it, named under its map */
    if (L.iw > 0) {
        ui_grid_text(g, L.ix, L.ov.y, L.iw, L.iw >= 6 ? "inputs" : "in", lab);
        for (int k = 0; k < s->units.n_in && k < UI_UNIT_IN_MAX; k++) {
            int mx, my, i = map_of(s, -1, k);
            slot_rect(&L, -1, k, &mx, &my);
            if (i < 0 || my + L.mh > L.ov.y + L.ov.h || mx + L.mw > L.ov.x + L.ov.w)
                continue;
            ui_unit_map(g, ui_rect_make(mx, my, L.mw, L.mh), s, i, th);
            if (L.mh >= 2 && my + L.mh < L.ov.y + L.ov.h)
            {
                /* the last sub-column's names may use the blank column after it too */
                int nw = k + L.per_col < s->units.n_in ? L.mw : L.mw + 1;
                char nm[32];
                ui_input_name(s, s->units.uindex[i], th->utf8, nm, sizeof nm);
                ui_grid_text(g, mx, my + L.mh, nw, nm, dim);
            }
        }
    }
    /* the columns: a label, then the maps, the selected one marked on its left */
    for (int l = L.first; l < L.last; l++) {
        bool out = l == s->info.n_layers - 1;
        char t[96];
        int n = s->info.layers[l].out;
        if (L.paged) {
            /* the longest label that fits: the layer, its activation, the page, the keys */
            bool after = L.page0 + L.page_n < n, before = L.page0 > 0;   /* pages either side */
            const char *lk = after && before ? "  PgUp PgDn: more" : after ? "  PgDn: more" : before ? "  PgUp: back" : "";
            const char *sk = after && before ? " (PgUp PgDn)" : after ? " (PgDn)" : before ? " (PgUp)" : "";
            const char *act = nn_act_name(s->info.layers[l].act);
            char name[32];
            if (out)
                snprintf(name, sizeof name, "outputs");
            else
                snprintf(name, sizeof name, "layer %d", l + 1);
            snprintf(t, sizeof t, "%s (%s) units %d-%d of %d%s", name, act, L.page0, L.page0 + L.page_n - 1, n, lk);
            if ((int)strlen(t) > L.lw[l])
                snprintf(t, sizeof t, "%s units %d-%d of %d%s", name, L.page0, L.page0 + L.page_n - 1, n, sk);
            if ((int)strlen(t) > L.lw[l])
                snprintf(t, sizeof t, "%s %d-%d/%d", out ? "out" : name, L.page0, L.page0 + L.page_n - 1, n);
        } else if (out) {
            snprintf(t, sizeof t, L.lw[l] >= 7 ? "outputs" : "out");
        } else {
            snprintf(t, sizeof t, L.lw[l] >= 7 ? "layer %d" : "L%d", l + 1);
        }
        ui_grid_text(g, L.lx[l], L.ov.y, L.lw[l], t, l == sl ? ui_st(th, UI_R_TITLE_FOCUS) : lab);
        int cnt = L.paged ? L.page_n : n;
        for (int k = 0; k < cnt; k++) {
            int u = (L.paged ? L.page0 : 0) + k, mx, my;
            slot_rect(&L, l, k, &mx, &my);
            if (my + L.mh > L.ov.y + L.ov.h || mx + L.mw > L.ov.x + L.ov.w)
                continue;
            int i = map_of(s, l, u);
            if (i >= 0)
                ui_unit_map(g, ui_rect_make(mx, my, L.mw, L.mh), s, i, th);
            else
                ui_grid_text(g, mx, my, L.mw, "...", dim);
            if (l == sl && u == su)
                ui_grid_put(g, mx - 1, my + (L.mh - 1) / 2, th->utf8 ? 0x25B6 : '>', ui_st(th, UI_R_WARN));
            /* the unit's number in the blank row under its map, so that the rows between maps do not
             * read as missing units */
            if (L.mh >= 2 && my + L.mh < L.ov.y + L.ov.h && L.mw >= 3)
                ui_grid_printf(g, mx, my + L.mh, L.mw, l == sl && u == su ? ui_st(th, UI_R_WARN) : dim, "%d", u);
        }
    }
}

/* ---- the view in the slot ---- */

static void draw(ui_grid *g, ui_rect r, const ui_model *m)
{
    ui_neurons_panel(g, r, m->snap, m->views, m->th);
}

/* The view's layout in the slot as the frame draws it (the inside of the slot's border). */
static void slot_layout(neu_layout *L, const ui_model *m, const ui_views *v)
{
    ui_rect f = ui_model_frame(m);
    memset(L, 0, sizeof *L);
    if (f.w > 2 && f.h > 2)
        layout(L, m->snap, v, ui_rect_make(f.x + 1, f.y + 1, f.w - 2, f.h - 2));
}

/* Asks for the maps (and, for data with more features, two of them on the axes, as the Boundary
 * view does) when what is shown is not what was asked for. */
static void sync(ui_views *v, const ui_model *m, ui_intent *out)
{
    const ui_snapshot *s = m->snap;
    if (s->race.on || s->state == UI_RUN_LOADING || s->state == UI_RUN_ERROR)
        return;
    if (s->boundary.kind == UI_VIEW_NONE && s->info.n_features > 2 && s->info.n_features <= UI_VIEW_MAX_FEATURES &&
        v->feat_asked != s->run + 1) {
        v->feat_asked = s->run + 1;
        out->kind = UI_INTENT_FEATURES;
        out->arg[0] = 0;
        out->arg[1] = 1;
        out->arg[2] = 0;
        return;
    }
    int sl, su;
    selection(s, v, &sl, &su);
    neu_layout L;
    slot_layout(&L, m, v);
    int first = L.paged ? L.page0 : (su / UI_UNIT_MAX) * UI_UNIT_MAX;
    if (v->units_on && v->units_layer == sl && v->units_first == first)
        return;
    out->kind = UI_INTENT_UNITS;
    out->arg[0] = 1;
    out->arg[1] = sl;
    out->arg[2] = first;
}

static unsigned key(ui_views *v, const ui_model *m, ui_cmd c, ui_intent *out)
{
    const ui_snapshot *s = m->snap;
    int sl, su;
    selection(s, v, &sl, &su);
    v->neu_layer = sl;
    v->neu_unit = su;
    int n = s->info.n_layers > 0 ? s->info.layers[sl].out : 1;
    neu_layout L;
    slot_layout(&L, m, v);
    int page = L.paged && L.page_n > 0 ? L.page_n : L.per_col > 0 ? L.per_col : 8;
    if (L.paged) {
        int cols = L.ov.w / (L.mw + 1);
        page = (cols < 1 ? 1 : cols) * L.per_col;
        if (page > UI_UNIT_MAX) page = UI_UNIT_MAX;
    }
    if (c.act == UI_ACT_EDIT) v->neu_zoom = !v->neu_zoom;
    else if (c.act == UI_ACT_CANCEL && v->neu_zoom) v->neu_zoom = false;
    else if (c.act == UI_ACT_LEFT) v->neu_layer--;
    else if (c.act == UI_ACT_RIGHT) v->neu_layer++;
    else if (c.act == UI_ACT_UP) v->neu_unit--;
    else if (c.act == UI_ACT_DOWN) v->neu_unit++;
    else if (c.act == UI_ACT_HOME) v->neu_unit = 0;
    else if (c.act == UI_ACT_END) v->neu_unit = n - 1;
    else if (c.act == UI_ACT_PAGE_UP) v->neu_unit -= page;
    else if (c.act == UI_ACT_PAGE_DOWN) v->neu_unit += page;
    else return 0;
    if (c.act == UI_ACT_LEFT || c.act == UI_ACT_RIGHT) {
        selection(s, v, &sl, &su);
        v->neu_layer = sl;
        v->neu_unit = su;
    } else if (v->neu_unit < 0) {
        v->neu_unit = 0;
    } else if (v->neu_unit >= n) {
        v->neu_unit = n - 1;
    }
    sync(v, m, out);
    return UI_REDRAW;
}

static void click(ui_views *v, const ui_model *m, ui_rect r, int x, int y)
{
    int l, u;
    if (ui_neurons_hit(m->snap, v, r, x, y, &l, &u)) {
        v->neu_layer = l;
        v->neu_unit = u;
    }
}

const ui_view_def ui_neurons_view = {
    "Neurons", "Neur", UI_NEED_INFO | UI_NEED_BOUNDARY | UI_NEED_NET | UI_NEED_RACE | UI_NEED_UNITS, NULL, draw, key,
    sync, click,
};
