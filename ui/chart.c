/* chart.c — braille canvas and the line chart (see chart.h). */
#include "chart.h"

#include "pins.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Dot bits: left column rows 0..3, then right column rows 0..3. */
static const uint8_t dot_bit[2][4] = {{0x01, 0x02, 0x04, 0x40}, {0x08, 0x10, 0x20, 0x80}};

void ui_braille_init(ui_braille *b, int w, int h)
{
    b->w = w < 0 ? 0 : w > UI_BRAILLE_MAX_W ? UI_BRAILLE_MAX_W : w;
    b->h = h < 0 ? 0 : h > UI_BRAILLE_MAX_H ? UI_BRAILLE_MAX_H : h;
    for (int y = 0; y < b->h; y++) {
        memset(b->bits[y], 0, (size_t)b->w);
        for (int x = 0; x < b->w; x++)
            b->fg[y][x] = -1;
    }
}

void ui_braille_dot(ui_braille *b, int x, int y, int16_t fg)
{
    if (x < 0 || y < 0 || x >= 2 * b->w || y >= 4 * b->h)
        return;
    int cx = x / 2, cy = y / 4;
    if (b->bits[cy][cx] && b->fg[cy][cx] != fg)
        b->bits[cy][cx] = 0;          /* a different series takes the whole cell */
    b->bits[cy][cx] |= dot_bit[x % 2][y % 4];
    b->fg[cy][cx] = fg;
}

void ui_braille_line(ui_braille *b, int x0, int y0, int x1, int y1, int16_t fg)
{
    int dx = abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
    int dy = -abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
    int e = dx + dy;
    for (;;) {
        ui_braille_dot(b, x0, y0, fg);
        if (x0 == x1 && y0 == y1)
            break;
        int e2 = 2 * e;
        if (e2 >= dy) { e += dy; x0 += sx; }
        if (e2 <= dx) { e += dx; y0 += sy; }
    }
}

void ui_braille_blit(const ui_braille *b, ui_grid *g, int x, int y, int16_t bg, bool ascii)
{
    for (int cy = 0; cy < b->h; cy++)
        for (int cx = 0; cx < b->w; cx++) {
            if (!b->bits[cy][cx])
                continue;
            ui_style s = {b->fg[cy][cx], bg, 0};
            ui_grid_put(g, x + cx, y + cy, ascii ? '*' : 0x2800u + b->bits[cy][cx], s);
        }
}

void ui_fmt_num(char *out, int outlen, double v)
{
    double a = fabs(v);
    if (isnan(v))
        snprintf(out, (size_t)outlen, "-");
    else if (isinf(v))
        snprintf(out, (size_t)outlen, v > 0 ? "inf" : "-inf");
    else if (a == 0)
        snprintf(out, (size_t)outlen, "0");
    else if (a >= 0.001 && a < 10000)
        snprintf(out, (size_t)outlen, "%.4g", v);
    else
        snprintf(out, (size_t)outlen, "%.1e", v);
    if ((int)strlen(out) > 7 && a >= 0.001 && a < 10000)
        snprintf(out, (size_t)outlen, "%.3g", v);
}

void ui_fmt_range(char *a_out, char *b_out, int outlen, double a, double b)
{
    double range = fabs(b - a), big = fmax(fabs(a), fabs(b));
    if (!isfinite(a) || !isfinite(b) || !(range >= 0.001) || big >= 10000) {
        ui_fmt_num(a_out, outlen, a);
        ui_fmt_num(b_out, outlen, b);
        return;
    }
    int d = 1 - (int)floor(log10(range));
    d = d < 0 ? 0 : d > 4 ? 4 : d;
    snprintf(a_out, (size_t)outlen, "%.*f", d, a);
    snprintf(b_out, (size_t)outlen, "%.*f", d, b);
    if (strlen(a_out) > 7 || strlen(b_out) > 7) {   /* longer than a label column: the short form */
        ui_fmt_num(a_out, outlen, a);
        ui_fmt_num(b_out, outlen, b);
        return;
    }
    /* "-0.00": the sign of a value that rounds to zero says nothing */
    if (strspn(a_out, "-0.") == strlen(a_out) && a_out[0] == '-')
        memmove(a_out, a_out + 1, strlen(a_out));
    if (strspn(b_out, "-0.") == strlen(b_out) && b_out[0] == '-')
        memmove(b_out, b_out + 1, strlen(b_out));
}

/* "%.{d}e" with the exponent's '+' and leading zeros dropped: 2.5e+16 -> 2.5e16, 1e-05 -> 1e-5 */
static void short_exp(char *out, int outlen, double v, int d)
{
    char b[64];
    snprintf(b, sizeof b, "%.*e", d, v);
    char *e = strchr(b, 'e');
    if (!e) {
        snprintf(out, (size_t)outlen, "%s", b);
        return;
    }
    char *q = e + 1;
    bool neg = *q == '-';
    if (*q == '+' || *q == '-')
        q++;
    while (*q == '0' && q[1])
        q++;
    size_t m = (size_t)(e + 1 - b), k = strlen(q);
    if (neg)
        b[m++] = '-';
    memmove(b + m, q, k + 1);
    snprintf(out, (size_t)outlen, "%s", b);
}

int ui_fmt_fit(char *out, int outlen, double v, int width)
{
    char b[64];
    if (outlen <= 0)
        return 0;
    out[0] = 0;
    if (width < 1)
        return 0;
    if (width > outlen - 1)
        width = outlen - 1;
    ui_fmt_num(b, sizeof b, v);
    int n = (int)strlen(b);
    if (n > width && isfinite(v) && v != 0) {
        double a = fabs(v);
        n = 64;
        /* plain digits while they carry the magnitude, then the short exponent, most digits first */
        for (int p = 6; p >= 1 && n > width; p--) {
            if (a < 1e-3 || a >= 1e6)
                break;
            snprintf(b, sizeof b, "%.*g", p, v);
            n = strchr(b, 'e') ? 64 : (int)strlen(b);
        }
        for (int d = 2; d >= 0 && n > width; d--) {
            short_exp(b, sizeof b, v, d);
            n = (int)strlen(b);
        }
    }
    if (n > width) {
        memset(b, '#', (size_t)width);
        b[width] = 0;
        n = width;
    }
    memcpy(out, b, (size_t)n + 1);
    return n;
}

double ui_chart_y(double v, bool logy)
{
    if (!isfinite(v))
        return (double)NAN;
    if (logy)
        return v > 0 ? log10(v) : (double)NAN;
    return v;
}

/* Without colour the series differ by pattern: train solid, val dashed, test dotted (ASCII: by
 * glyph, '*', '+' and 'o'); the previous run's ghost solid and dim ('~'). The legend shows the
 * same patterns. */
typedef struct {
    const char *legend_utf8, *legend_ascii;
    uint8_t dots;             /* which of every 8 dots along the line are drawn (UTF-8) */
    char ascii;               /* the cell's glyph (ASCII) */
} series_look;

static series_look look(const ui_theme *th, ui_role role)
{
    series_look k = {"\xe2\x94\x81", "-", 0xFF, '*'};   /* ━ */
    if (th->level != UI_COLOR_MONO)
        return k;
    switch (role) {
    case UI_R_VAL: k = (series_look){"\xe2\x95\x8d", "+", 0x0F, '+'}; break;    /* ╍ dashed */
    case UI_R_TEST: k = (series_look){"\xe2\x94\x89", "o", 0x03, 'o'}; break;   /* ┉ dotted */
    case UI_R_DIM: k = (series_look){"\xe2\x94\x80", "~", 0xFF, '~'}; break;    /* ─ the ghost */
    default: k.legend_ascii = "*"; break;
    }
    return k;
}

/* A Bresenham segment drawing only the dots the pattern keeps; *phase counts the dots along the
 * whole curve, so the dashes run on across segments. */
static void line_pattern(ui_braille *b, int x0, int y0, int x1, int y1, int16_t fg, uint8_t dots, unsigned *phase)
{
    int dx = abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
    int dy = -abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
    int e = dx + dy;
    for (;;) {
        if ((dots >> (*phase % 8)) & 1)
            ui_braille_dot(b, x0, y0, fg);
        if (x0 == x1 && y0 == y1)
            break;
        (*phase)++;
        int e2 = 2 * e;
        if (e2 >= dy) { e += dy; x0 += sx; }
        if (e2 <= dx) { e += dx; y0 += sy; }
    }
}

void ui_chart_draw(ui_grid *g, ui_rect r, const ui_series *s, int ns, int x_total, bool logy,
                   const ui_theme *th, ui_braille *cv)
{
    ui_chart_draw_marks(g, r, s, ns, NULL, 0, x_total, logy, th, cv);
}

void ui_chart_draw_marks(ui_grid *g, ui_rect r, const ui_series *s, int ns, const ui_chart_mark *marks, int nm,
                         int x_total, bool logy, const ui_theme *th, ui_braille *cv)
{
    bool ascii = !th->utf8, mono = th->level == UI_COLOR_MONO;
    if (r.w < 12 || r.h < 4)
        return;

    /* legend with the latest values */
    int lx = r.x;
    for (int i = 0; i < ns && lx < r.x + r.w; i++) {
        if (!s[i].name || !s[i].name[0])
            continue;   /* a series without a name has no legend entry */
        double last = (double)NAN;
        for (int j = s[i].n - 1; j >= 0; j--)
            if (isfinite(s[i].v[j])) { last = s[i].v[j]; break; }
        for (int k = 0; k < nm; k++)   /* a mark after the curve's end is its latest value */
            if (marks[k].role == s[i].role && isfinite(marks[k].v) && marks[k].x >= s[i].n - 1)
                last = marks[k].v;
        char num[16];
        ui_fmt_num(num, sizeof num, last);
        int left = r.x + r.w - lx;
        series_look k = look(th, s[i].role);
        lx += ui_grid_text(g, lx, r.y, left, ascii ? k.legend_ascii : k.legend_utf8, ui_st(th, s[i].role));
        lx += ui_grid_printf(g, lx, r.y, r.x + r.w - lx, ui_st(th, UI_R_TEXT), " %s ", s[i].name);
        lx += ui_grid_text(g, lx, r.y, r.x + r.w - lx, num, ui_st(th, UI_R_VALUE));
        lx += ui_grid_text(g, lx, r.y, r.x + r.w - lx, " ", ui_st(th, UI_R_TEXT));
    }
    if (logy)
        ui_grid_text(g, r.x + 1, r.y + r.h - 1, 5, "[log]", ui_st(th, UI_R_WARN));

    /* range */
    int n_max = 0;
    double lo = (double)INFINITY, hi = -(double)INFINITY;
    for (int i = 0; i < ns; i++) {
        int span = s[i].n * (s[i].step > 1 ? s[i].step : 1);
        if (span > n_max)
            n_max = span;
        for (int j = 0; j < s[i].n; j++) {
            double t = ui_chart_y(s[i].v[j], logy);
            if (isnan(t))
                continue;
            if (t < lo) lo = t;
            if (t > hi) hi = t;
        }
    }
    for (int i = 0; i < nm; i++) {
        double t = ui_chart_y(marks[i].v, logy);
        if (isnan(t))
            continue;
        if (t < lo) lo = t;
        if (t > hi) hi = t;
    }
    if (x_total < n_max)
        x_total = n_max;
    bool empty = !(lo <= hi);
    if (empty) { lo = 0; hi = 1; }
    if (hi - lo < 1e-12) {
        double pad = fabs(hi) > 1e-12 ? fabs(hi) * 0.05 : 0.5;
        lo -= pad;
        hi += pad;
    }

    const int lw = 7;                 /* y label width */
    int px = r.x + lw + 1, py = r.y + 1;
    int pw = r.w - lw - 1, ph = r.h - 3;
    if (pw < 2 || ph < 1)
        return;
    ui_style ax = ui_st(th, UI_R_AXIS);
    char buf[16];
    ui_fmt_num(buf, sizeof buf, logy ? pow(10, hi) : hi);
    ui_grid_printf(g, r.x, py, lw, ax, "%*s", lw, buf);
    ui_fmt_num(buf, sizeof buf, logy ? pow(10, lo) : lo);
    ui_grid_printf(g, r.x, py + ph - 1, lw, ax, "%*s", lw, buf);
    if (ph >= 5) {
        double mid = (lo + hi) / 2;
        ui_fmt_num(buf, sizeof buf, logy ? pow(10, mid) : mid);
        ui_grid_printf(g, r.x, py + (ph - 1) / 2, lw, ax, "%*s", lw, buf);
    }
    for (int y = py; y < py + ph; y++)
        ui_grid_put(g, px - 1, y, ascii ? '|' : 0x2502, ax);
    ui_grid_put(g, px - 1, py + ph, ascii ? '+' : 0x2514, ax);
    for (int x = px; x < px + pw; x++)
        ui_grid_put(g, x, py + ph, ascii ? '-' : 0x2500, ax);
    ui_grid_text(g, px, py + ph + 1, pw, "1", ax);
    int xt = x_total > 0 ? x_total : 1;
    int n = snprintf(buf, sizeof buf, "%d", xt);
    if (pw > n + 2)
        ui_grid_text(g, px + pw - n, py + ph + 1, n, buf, ax);
    if (pw > 16)
        ui_grid_text(g, px + pw / 2 - 2, py + ph + 1, 5, "epoch", ax);

    if (empty) {
        const char *msg = "no epochs yet";
        int mw = (int)strlen(msg);
        if (pw > mw)
            ui_grid_text(g, px + (pw - mw) / 2, py + ph / 2, mw, msg, ui_st(th, UI_R_DIM));
        return;
    }

    ui_braille_init(cv, pw, ph);
    int xd = 2 * cv->w, yd = 4 * cv->h;
    int ends[16][2];   /* a pin's last point (cell), -1: none */
    for (int i = 0; i < 16; i++)
        ends[i][0] = ends[i][1] = -1;
    /* without colour a cell shows one series, the last drawn: the previous run's first, then test,
     * val, and train on top; with colour in the given order */
    int order[16];
    int no = 0;
    for (int rank = 0; rank < 4; rank++)
        for (int i = 0; i < ns && no < 16; i++) {
            ui_role ro = s[i].role;
            int rk = !mono ? 0 : ro == UI_R_DIM || s[i].pin > 0 ? 0 : ro == UI_R_TEST ? 1 : ro == UI_R_TRAIN ? 3 : 2;
            if (rk == rank)
                order[no++] = i;
        }
    for (int oi = 0; oi < no; oi++) {
        int i = order[oi];
        /* without colour a series is told apart by its index (the cells keep it as their "colour") */
        int16_t fg = mono ? (int16_t)(1000 + i) : s[i].pin > 0 ? ui_pin_colour(th, s[i].pin - 1) : ui_st(th, s[i].role).fg;
        series_look k = look(th, s[i].role);
        if (s[i].pin > 0)
            k.dots = 0x55;   /* without colour a pin's curve is dotted (every other dot) */
        int step = s[i].step > 1 ? s[i].step : 1;
        unsigned phase = 0;
        int prev_x = 0, prev_y = 0;
        bool have_prev = false;
        /* at most ~8 points per dot column: long runs (10^5 epochs) stay cheap to redraw */
        int stride = s[i].n / (8 * xd) + 1;
        for (int j = 0; j < s[i].n; j = j + stride < s[i].n || j == s[i].n - 1 ? j + stride : s[i].n - 1) {
            double t = ui_chart_y(s[i].v[j], logy);
            if (isnan(t)) { have_prev = false; continue; }
            int e = (j + 1) * step - 1;   /* its epoch, 0-based */
            int x = xt > 1 ? (int)((double)e * (xd - 1) / (xt - 1) + 0.5) : 0;
            int y = (int)((hi - t) / (hi - lo) * (yd - 1) + 0.5);
            if (s[i].pin > 0 && i < 16) {
                ends[i][0] = x / 2;
                ends[i][1] = y / 4;
            }
            if (have_prev && mono && !ascii)
                line_pattern(cv, prev_x, prev_y, x, y, fg, k.dots, &phase);
            else if (have_prev)
                ui_braille_line(cv, prev_x, prev_y, x, y, fg);
            else
                ui_braille_dot(cv, x, y, fg);
            prev_x = x; prev_y = y;
            have_prev = true;
        }
    }
    if (!mono) {
        ui_braille_blit(cv, g, px, py, -1, ascii);
    } else {
        for (int cy = 0; cy < cv->h; cy++)
            for (int cx = 0; cx < cv->w; cx++) {
                int i = cv->fg[cy][cx] - 1000;
                if (!cv->bits[cy][cx] || i < 0 || i >= ns)
                    continue;
                uint32_t ch = !ascii ? 0x2800u + cv->bits[cy][cx]
                              : s[i].pin > 0 ? (uint32_t)('0' + s[i].pin) : (uint32_t)look(th, s[i].role).ascii;
                ui_grid_put(g, px + cx, py + cy, ch, s[i].pin > 0 ? ui_st(th, UI_R_DIM) : ui_st(th, s[i].role));
            }
    }
    /* each pin's number at the end of its curve, in its colour (bold without colour) */
    for (int oi = 0; oi < no; oi++) {
        int i = order[oi];
        if (s[i].pin > 0 && ends[i][0] >= 0) {
            /* curves that end in one cell: the next free row above or below, so that no number hides
               another (only the last pinned number showed) */
            int cx = ends[i][0], cy = ends[i][1];
            for (int d = 0; d < 2 * cv->h; d++) {
                int y = ends[i][1] + (d % 2 ? -(d + 1) / 2 : d / 2);
                if (y < 0 || y >= cv->h)
                    continue;
                const ui_cell *c = ui_grid_cat(g, px + cx, py + y);
                if (!c || c->ch < '1' || c->ch > '9') {
                    cy = y;
                    break;
                }
            }
            ui_grid_put(g, px + cx, py + cy, (uint32_t)('0' + s[i].pin), ui_pin_style(th, s[i].pin - 1));
        }
    }
    for (int i = 0; i < nm; i++) {   /* the marks on top, at the cell of their dot */
        double t = ui_chart_y(marks[i].v, logy);
        if (isnan(t))
            continue;
        int x = xt > 1 ? (int)(marks[i].x * (xd - 1) / (xt - 1) + 0.5) : 0;
        int y = (int)((hi - t) / (hi - lo) * (yd - 1) + 0.5);
        int cx = x / 2, cy = y / 4;
        if (cx < 0 || cx >= cv->w || cy < 0 || cy >= cv->h)
            continue;
        ui_style ms = ui_st(th, marks[i].role);
        ms.attr |= UI_A_BOLD;
        ui_grid_put(g, px + cx, py + cy, ascii ? '#' : 0x25C6, ms);
    }
}
