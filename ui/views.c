/* views.c — what the teaching views share (see views.h): the class, region and weight colours,
 * sparklines, text cut by display width, the ghost of the previous run. */
#include "views.h"

#include "input_features.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 256 colours: per class its bright colour (the theme's), then three region shades, dark to deep.
 * The order follows Okabe and Ito's colour-blind-safe palette: the first classes, the ones every
 * dataset has, are blue, orange, bluish green and yellow, which stay apart under deuteranopia and
 * protanopia (no red against green); the deepest shade stays darker than the class's point colour. */
static const int16_t region256[8][3] = {
    {17, 18, 25},    /* blue */
    {94, 130, 166},  /* orange */
    {22, 28, 29},    /* bluish green */
    {58, 100, 142},  /* yellow */
    {52, 88, 124},   /* vermillion */
    {53, 89, 125},   /* reddish purple */
    {60, 61, 97},    /* lavender */
    {23, 30, 37},    /* cyan */
};
#define REGION_UNSURE 237

int16_t ui_class_colour(const ui_theme *th, int cls)
{
    if (th->level == UI_COLOR_MONO)
        return -1;
    return th->cls[((cls % 8) + 8) % 8];
}

int16_t ui_region_colour(const ui_theme *th, int cls, double conf, int k)
{
    if (th->level == UI_COLOR_MONO)
        return -1;
    double base = k > 1 ? 1.0 / k : 0.0;
    double frac = k > 1 ? (conf - base) / (1.0 - base) : conf;
    if (!(frac > 0))
        frac = 0;
    if (frac > 1)
        frac = 1;
    int c = ((cls % 8) + 8) % 8;
    if (th->level == UI_COLOR_8)
        return frac < 0.2 ? 0 : th->cls[c];
    if (frac < 0.2)
        return REGION_UNSURE;
    return region256[c][frac < 0.5 ? 0 : frac < 0.8 ? 1 : 2];
}

int16_t ui_weight_colour(const ui_theme *th, double v, double vmax)
{
    static const int16_t neg[5] = {236, 18, 25, 32, 39};      /* blue */
    static const int16_t pos[5] = {236, 94, 130, 172, 214};   /* orange */
    if (th->level == UI_COLOR_MONO)
        return -1;
    double frac = vmax > 0 && isfinite(v) ? fabs(v) / vmax : 0;
    if (frac > 1)
        frac = 1;
    if (th->level == UI_COLOR_8)
        return frac < 0.15 ? 0 : v < 0 ? 4 : 3;
    int lv = frac < 0.1 ? 0 : 1 + (int)((frac - 0.1) / 0.9 * 4);
    if (lv > 4)
        lv = 4;
    return v < 0 ? neg[lv] : pos[lv];
}

void ui_sparkline(ui_grid *g, int x, int y, int w, const float *v, int n, double lo, double hi,
                  bool logscale, ui_style s, bool ascii)
{
    static const char asc[] = "_.-=^";
    if (w <= 0 || n <= 0)
        return;
    int from = n > w ? n - w : 0;
    if (logscale) {
        lo = lo > 0 ? log10(lo) : -12;
        hi = hi > 0 ? log10(hi) : -12;
    }
    for (int i = from; i < n; i++) {
        double t = (double)v[i];
        if (isnan(t))
            continue;
        if (logscale)
            t = t > 0 ? log10(t) : lo;
        double f = hi > lo ? (t - lo) / (hi - lo) : 0.5;
        if (f < 0) f = 0;
        if (f > 1) f = 1;
        int lv = ascii ? (int)lround(f * 4) : (int)lround(f * 7);
        ui_grid_put(g, x + i - from, y, ascii ? (uint32_t)asc[lv] : 0x2581u + (uint32_t)lv, s);
    }
}

static bool combining(uint32_t cp)
{
    return (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x20D0 && cp <= 0x20FF);
}


int ui_text_width(const char *utf8)
{
    int n = 0;
    for (const unsigned char *p = (const unsigned char *)utf8; *p;) {
        uint32_t cp;
        p += ui_utf8_decode(p, &cp);
        if (!combining(cp))
            n++;
    }
    return n;
}

int ui_text_cols(ui_grid *g, int x, int y, int maxw, const char *utf8, ui_style s)
{
    int col = 0;
    const unsigned char *p = (const unsigned char *)utf8;
    while (*p) {
        uint32_t cp;
        int n = ui_utf8_decode(p, &cp);
        if (combining(cp)) {
            /* a hat or bar over the previous letter: it rides on that cell (ui_cell.comb) */
            p += n;
            ui_cell *prev = col > 0 ? ui_grid_at(g, x + col - 1, y) : NULL;
            if (prev)
                prev->comb = cp;
            continue;
        }
        if (col >= maxw)
            break;
        p += n;
        if (cp < 0x20 || cp == 0x7F)
            cp = '?';
        ui_grid_put(g, x + col, y, cp, s);
        col++;
    }
    if (col > 0 && ui_text_has_ink((const char *)p))
        ui_grid_mark_cut(g, x + col - 1, y);   /* cut: the ellipsis */
    return col;
}

void ui_views_keep_ghost(ui_views *v, const nn_epoch_stats *hist, int n)
{
    if (n <= 0)
        return;
    if (n > v->ghost_cap) {
        double *q = realloc(v->ghost, sizeof *q * 2 * (size_t)n);
        if (!q)
            return;
        v->ghost = q;
        v->ghost_cap = n;
    }
    v->ghost_val = false;
    for (int i = 0; i < n; i++) {
        v->ghost[i] = hist[i].train_loss;
        v->ghost[v->ghost_cap + i] = hist[i].val_loss;
        if (isfinite(hist[i].val_loss))
            v->ghost_val = true;
    }
    v->ghost_len = n;
}

void ui_views_free(ui_views *v)
{
    free(v->ghost);
    v->ghost = NULL;
    v->ghost_len = v->ghost_cap = 0;
}

void ui_views_clamp(ui_views *v, const ui_snapshot *s)
{
    int nl = s->info.n_layers > 0 ? s->info.n_layers : 1;
    if (v->net_layer >= nl) v->net_layer = nl - 1;
    if (v->net_layer < 0) v->net_layer = 0;
    int nc = s->net.valid ? s->net.cols[v->net_layer] : (s->info.n_layers > 0 ? s->info.layers[v->net_layer].out : 1);
    if (nc > UI_NET_DIM) nc = UI_NET_DIM;
    if (v->net_unit >= nc) v->net_unit = nc - 1;
    if (v->net_unit < 0) v->net_unit = 0;
}

void ui_ascii_fold(const char *utf8, char *out, int outlen)
{
    /* the symbols of the optimizers' written-out steps (core/optimizers.c), then anything else as '?' */
    static const struct {
        uint32_t cp;
        const char *ascii;
    } map[] = {{0x2212, "-"}, {0x00D7, "x"}, {0x00B7, "*"}, {0x2190, "<-"}, {0x221A, "sqrt"}, {0x00B2, "^2"},
               {0x03B5, "eps"}, {0x03B2, "b"}, {0x03C1, "rho"}, {0x03BC, "mu"}, {0x03B1, "a"}, {0x1E21, "g~"},
               {0x2014, "-"}, {0x03B4, "d"}, {0x2202, "d"}, {0x03BB, "lambda"}, {0x2016, "|"}, {0x2207, "grad "},
               {0x00B1, "+-"}, {0x2192, ">"}, {0x2026, "..."}};
    int len = 0;
    if (outlen <= 0)
        return;
    for (const unsigned char *p = (const unsigned char *)utf8; *p && len < outlen - 1;) {
        uint32_t cp;
        p += ui_utf8_decode(p, &cp);
        const char *rep = NULL;
        char one[2] = {(char)cp, 0};
        if (cp < 0x80) {
            rep = one;
        } else if (combining(cp)) {
            rep = cp == 0x302 ? "^" : cp == 0x304 ? "~" : "";   /* m̂ -> m^ */
        } else {
            rep = "?";
            for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
                if (map[i].cp == cp)
                    rep = map[i].ascii;
        }
        for (; *rep && len < outlen - 1; rep++)
            out[len++] = *rep;
    }
    out[len] = 0;
}

void ui_input_name(const ui_snapshot *s, int i, bool utf8, char *out, size_t n)
{
    if (s->info.n_raw == 2 && i >= 0 && i < s->info.n_features && i < UI_UNIT_IN_MAX) {
        int f = s->info.feature_of[i];
        if (f >= 0 && f < NN_FEAT_COUNT) {
            snprintf(out, n, "%s", utf8 ? nn_feature_table[f].label : nn_feature_table[f].name);
            return;
        }
    }
    if (i >= 0 && i < UI_NET_DIM && s->info.input_names[i][0])
        snprintf(out, n, "%s", s->info.input_names[i]);
    else
        snprintf(out, n, "x%d", i + 1);
}
