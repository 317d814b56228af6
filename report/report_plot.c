/* report_plot.c — what the figures share: the palette, text through pango (escaped, ellipsized,
 * wrapped, rotated), marker shapes, and plot frames with nice ticks. */
#include "report_draw.h"

#include "strbuf.h"
#include "text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RGB(r, g, b) {(r) / 255.0, (g) / 255.0, (b) / 255.0}
const rp_rgb rp_train = RGB(0, 114, 178);     /* blue */
const rp_rgb rp_val = RGB(230, 159, 0);       /* orange */
const rp_rgb rp_test = RGB(204, 121, 167);    /* reddish purple */
const rp_rgb rp_pos = RGB(230, 159, 0);       /* positive weights: orange, as the Network view */
const rp_rgb rp_neg = RGB(0, 114, 178);       /* negative: blue */
const rp_rgb rp_ink = RGB(34, 34, 34);
const rp_rgb rp_grey = RGB(110, 110, 110);
const rp_rgb rp_light = RGB(225, 225, 225);
const rp_rgb rp_white = RGB(255, 255, 255);

static const rp_rgb classes[8] = {
    RGB(0, 114, 178),   /* blue */
    RGB(230, 159, 0),   /* orange */
    RGB(0, 158, 115),   /* bluish green */
    RGB(240, 228, 66),  /* yellow */
    RGB(213, 94, 0),    /* vermillion */
    RGB(204, 121, 167), /* reddish purple */
    RGB(86, 180, 233),  /* sky blue */
    RGB(0, 0, 0),       /* black */
};

/* Pinned runs: the palette's colours the run's own three curves do not use. */
static const rp_rgb pinned[6] = {
    RGB(0, 158, 115), RGB(213, 94, 0), RGB(86, 180, 233), RGB(0, 0, 0), RGB(150, 150, 150), RGB(153, 136, 0),
};

rp_rgb rp_class(int c) { return classes[((c % 8) + 8) % 8]; }
rp_rgb rp_pinned(int i) { return pinned[((i % 6) + 6) % 6]; }

rp_rgb rp_mix(rp_rgb a, rp_rgb b, double t)
{
    if (!(t > 0))
        t = 0;
    if (t > 1)
        t = 1;
    rp_rgb m = {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t};
    return m;
}

void rp_colour(cairo_t *cr, rp_rgb c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

// --- text ---------------------------------------------------------------------------------------

nn_status rp_pen_open(rp_pen *p, cairo_t *cr, nn_error *err)
{
    memset(p, 0, sizeof *p);
    p->cr = cr;
    p->lay = pango_cairo_create_layout(cr);
    p->font = pango_font_description_from_string("DejaVu Sans, Sans 10");
    if (!p->lay || !p->font) {
        rp_pen_close(p);
        return nn_error_set(err, NN_ENOMEM, "report: pango could not make a text layout");
    }
    return NN_OK;
}

void rp_pen_close(rp_pen *p)
{
    if (p->lay)
        g_object_unref(p->lay);
    if (p->font)
        pango_font_description_free(p->font);
    p->lay = NULL;
    p->font = NULL;
}

/* s made safe to show: control characters and bytes that are not UTF-8 escaped (nn_text_escape),
 * newlines kept when keep_newlines. Into buf (cap bytes, cut at a character). */
static const char *clean(const char *s, char *buf, size_t cap, bool keep_newlines)
{
    nn_strbuf b = {0};
    const char *p = s ? s : "";
    while (*p) {
        const char *nl = keep_newlines ? strchr(p, '\n') : NULL;
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        nn_text_escape(&b, p, n);
        if (!nl)
            break;
        nn_strbuf_put(&b, "\n", 1);
        p = nl + 1;
    }
    const char *t = b.s && !b.oom ? b.s : "";
    size_t n = strlen(t);
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)t[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(buf, t, n);
    buf[n] = '\0';
    free(b.s);
    return buf;
}

static void set_text(rp_pen *p, const char *s, double size, bool bold, double max_w, int max_lines)
{
    char buf[2048];
    pango_font_description_set_absolute_size(p->font, size * PANGO_SCALE);
    pango_font_description_set_weight(p->font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(p->lay, p->font);
    pango_layout_set_width(p->lay, max_w > 0 ? (int)(max_w * PANGO_SCALE) : -1);
    pango_layout_set_wrap(p->lay, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_height(p->lay, max_lines > 0 ? -max_lines : -1);
    pango_layout_set_ellipsize(p->lay, max_w > 0 ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
    pango_layout_set_text(p->lay, clean(s, buf, sizeof buf, max_lines != 1), -1);
}

static void extents(rp_pen *p, double *w, double *h)
{
    PangoRectangle log;
    pango_layout_get_extents(p->lay, NULL, &log);
    *w = (double)log.width / PANGO_SCALE;
    *h = (double)log.height / PANGO_SCALE;
}

void rp_text_size(rp_pen *p, const char *s, double size, bool bold, double *w, double *h)
{
    set_text(p, s, size, bold, 0, 1);
    extents(p, w, h);
}

double rp_text(rp_pen *p, double x, double y, const char *s, double size, bool bold, double ax, double ay, rp_rgb c,
               double max_w)
{
    set_text(p, s, size, bold, max_w, 1);
    double w, h;
    extents(p, &w, &h);
    cairo_move_to(p->cr, x - ax * w, y - ay * h);
    rp_colour(p->cr, c);
    pango_cairo_update_layout(p->cr, p->lay);
    pango_cairo_show_layout(p->cr, p->lay);
    cairo_new_path(p->cr);
    return w;
}

double rp_text_rot(rp_pen *p, double x, double y, const char *s, double size, bool bold, double angle, double ax,
                   double ay, rp_rgb c, double max_w)
{
    set_text(p, s, size, bold, max_w, 1);
    double w, h;
    extents(p, &w, &h);
    cairo_save(p->cr);
    cairo_translate(p->cr, x, y);
    cairo_rotate(p->cr, angle);
    cairo_move_to(p->cr, -ax * w, -ay * h);
    rp_colour(p->cr, c);
    pango_cairo_update_layout(p->cr, p->lay);
    pango_cairo_show_layout(p->cr, p->lay);
    cairo_new_path(p->cr);
    cairo_restore(p->cr);
    pango_cairo_update_layout(p->cr, p->lay);
    return w;
}

double rp_text_wrap(rp_pen *p, double x, double y, double w, const char *s, double size, bool bold, rp_rgb c,
                    int max_lines)
{
    set_text(p, s, size, bold, w, max_lines > 1 ? max_lines : 2);
    double tw, th;
    extents(p, &tw, &th);
    cairo_move_to(p->cr, x, y);
    rp_colour(p->cr, c);
    pango_cairo_update_layout(p->cr, p->lay);
    pango_cairo_show_layout(p->cr, p->lay);
    cairo_new_path(p->cr);
    return th;
}

// --- shapes -------------------------------------------------------------------------------------

static void polygon(cairo_t *cr, double x, double y, double s, int n, double rot, double inner)
{
    int m = inner > 0 ? 2 * n : n;
    for (int i = 0; i < m; i++) {
        double a = rot + 2 * M_PI * i / m;
        double rr = inner > 0 && (i & 1) ? s * inner : s;
        double px = x + rr * sin(a), py = y - rr * cos(a);
        if (i == 0)
            cairo_move_to(cr, px, py);
        else
            cairo_line_to(cr, px, py);
    }
    cairo_close_path(cr);
}

void rp_shape(cairo_t *cr, int kind, double x, double y, double s)
{
    switch (((kind % 8) + 8) % 8) {
    case 0: cairo_new_sub_path(cr); cairo_arc(cr, x, y, s, 0, 2 * M_PI); cairo_close_path(cr); break;
    case 1: cairo_rectangle(cr, x - s * 0.85, y - s * 0.85, s * 1.7, s * 1.7); break;
    case 2: polygon(cr, x, y + s * 0.15, s * 1.2, 3, 0, 0); break;
    case 3: polygon(cr, x, y, s * 1.2, 4, 0, 0); break;
    case 4: polygon(cr, x, y - s * 0.15, s * 1.2, 3, M_PI, 0); break;
    case 5: polygon(cr, x, y, s * 1.05, 6, M_PI / 6, 0); break;
    case 6: polygon(cr, x, y, s * 1.35, 5, 0, 0.45); break;
    case 7: polygon(cr, x, y, s * 1.3, 4, M_PI / 4, 0.4); break;   /* a cross */
    }
}

void rp_marker(cairo_t *cr, int kind, double x, double y, double s, rp_rgb c, bool filled)
{
    rp_shape(cr, kind, x, y, s);
    if (filled) {
        rp_colour(cr, c);
        cairo_fill_preserve(cr);
        rp_colour(cr, rp_ink);
        cairo_set_line_width(cr, s * 0.22);
        cairo_stroke(cr);
    } else {
        /* hollow: a dark rim around the class colour, readable on any region and in grey */
        cairo_set_line_width(cr, s * 0.62);
        rp_colour(cr, rp_ink);
        cairo_stroke_preserve(cr);
        cairo_set_line_width(cr, s * 0.3);
        rp_colour(cr, c);
        cairo_stroke(cr);
    }
}

void rp_dash(cairo_t *cr, int style, double lw)
{
    /* 0 solid, 1 long dashes, 2 short dashes, 3 dash-dot, 4 long-short, 5 dots */
    static const double pat[6][4] = {{0}, {4, 2, 0, 0}, {1.2, 1.3, 0, 0}, {4, 1.5, 1, 1.5}, {6, 2, 2, 2}, {0.6, 1.6, 0, 0}};
    static const int len[6] = {0, 2, 2, 4, 4, 2};
    int k = ((style % 6) + 6) % 6;
    double d[4];
    for (int i = 0; i < len[k]; i++)
        d[i] = pat[k][i] * lw * 1.6;
    cairo_set_dash(cr, d, len[k], 0);
}

// --- plots --------------------------------------------------------------------------------------

double rp_px(const rp_plot *pl, double v) { return pl->x + (v - pl->x0) / (pl->x1 - pl->x0) * pl->w; }

double rp_py(const rp_plot *pl, double v)
{
    if (pl->logy)
        v = v > 0 ? log10(v) : -HUGE_VAL;
    return pl->y + pl->h - (v - pl->y0) / (pl->y1 - pl->y0) * pl->h;
}

int rp_ticks(double lo, double hi, int want, bool integers, double *out, int max)
{
    double span = hi - lo;
    if (!(span > 0) || !isfinite(span) || want < 1)
        return 0;
    double raw = span / want;
    double mag = pow(10, floor(log10(raw)));
    double f = raw / mag;
    double step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
    if (integers && step < 1)
        step = 1;
    int n = 0;
    for (double t = ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9 && n < max; t += step)
        out[n++] = fabs(t) < step * 1e-9 ? 0 : t;
    return n;
}

void rp_number(char *buf, size_t cap, double v)
{
    if (v != 0 && (fabs(v) >= 1e5 || fabs(v) < 1e-3))
        snprintf(buf, cap, "%.2g", v);
    else
        snprintf(buf, cap, "%.4g", v);
}

void rp_frame(rp_pen *p, const rp_plot *pl, double fs, const char *xlabel, const char *ylabel, bool xint)
{
    cairo_t *cr = p->cr;
    double t[32];
    char buf[32];
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_set_line_width(cr, fs * 0.06);
    int nx = rp_ticks(pl->x0, pl->x1, (int)(pl->w / (fs * 5)) + 1, xint, t, 32);
    for (int i = 0; i < nx; i++) {
        double x = rp_px(pl, t[i]);
        rp_colour(cr, rp_light);
        cairo_move_to(cr, x, pl->y);
        cairo_line_to(cr, x, pl->y + pl->h);
        cairo_stroke(cr);
        rp_number(buf, sizeof buf, t[i]);
        rp_text(p, x, pl->y + pl->h + fs * 0.3, buf, fs * 0.85, false, 0.5, 0, rp_grey, 0);
    }
    int ny;
    if (pl->logy) {
        ny = 0;
        for (double e = ceil(pl->y0 - 1e-9); e <= pl->y1 + 1e-9 && ny < 32; e++)
            t[ny++] = pow(10, e);
        if (ny < 2) {   /* less than a decade: 1, 2 and 5 times its powers */
            ny = 0;
            for (double e = floor(pl->y0) ; e <= pl->y1 && ny < 30; e++)
                for (int m = 1; m <= 5; m += (m == 1 ? 1 : 3))
                    if (log10(m * pow(10, e)) >= pl->y0 - 1e-9 && log10(m * pow(10, e)) <= pl->y1 + 1e-9)
                        t[ny++] = m * pow(10, e);
        }
    } else {
        ny = rp_ticks(pl->y0, pl->y1, (int)(pl->h / (fs * 3)) + 1, false, t, 32);
    }
    for (int i = 0; i < ny; i++) {
        double y = rp_py(pl, t[i]);
        rp_colour(cr, rp_light);
        cairo_move_to(cr, pl->x, y);
        cairo_line_to(cr, pl->x + pl->w, y);
        cairo_stroke(cr);
        rp_number(buf, sizeof buf, t[i]);
        rp_text(p, pl->x - fs * 0.35, y, buf, fs * 0.85, false, 1, 0.5, rp_grey, 0);
    }
    rp_colour(cr, rp_grey);
    cairo_set_line_width(cr, fs * 0.07);
    cairo_rectangle(cr, pl->x, pl->y, pl->w, pl->h);
    cairo_stroke(cr);
    if (xlabel)
        rp_text(p, pl->x + pl->w / 2, pl->y + pl->h + fs * 1.55, xlabel, fs * 0.95, false, 0.5, 0, rp_ink, pl->w);
    if (ylabel)
        rp_text_rot(p, pl->x - fs * 3.3, pl->y + pl->h / 2, ylabel, fs * 0.95, false, -M_PI / 2, 0.5, 1, rp_ink,
                    pl->h);
}
