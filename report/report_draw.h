/* report_draw.h — the report's drawing code, shared by its files and by nothing else: a pen (cairo
 * context, a pango layout and the palette) and one function per figure that draws into the box
 * (0, 0)-(w, h) of the pen's current transformation, at base font size fs. The same functions draw
 * the PNG and SVG figures and the tiles of report.pdf. */
#ifndef NN_REPORT_DRAW_H
#define NN_REPORT_DRAW_H

#include "report.h"

#include <cairo.h>
#include <pango/pangocairo.h>

typedef struct {
    double r, g, b;
} rp_rgb;

/* Okabe and Ito's colour-blind-safe palette, in the trainer's order (ui/theme.c, ui/views.c): the
 * loss curves are train blue, val orange, test reddish purple; classes blue, orange, bluish green,
 * yellow, vermillion, reddish purple, then sky blue and black. */
extern const rp_rgb rp_train, rp_val, rp_test, rp_pos, rp_neg, rp_ink, rp_grey, rp_light, rp_white;
rp_rgb rp_class(int c);                  /* class c's colour (c modulo 8) */
rp_rgb rp_pinned(int i);                 /* the i-th pinned run's colour */
rp_rgb rp_mix(rp_rgb a, rp_rgb b, double t);   /* a + (b - a) t, t clamped to 0..1 */
void rp_colour(cairo_t *cr, rp_rgb c);

typedef struct {
    cairo_t *cr;
    PangoLayout *lay;
    PangoFontDescription *font;
    bool page;                  /* drawing a tile of report.pdf: the titles leave out the run's name */
} rp_pen;

/* NN_ENOMEM when pango could not be had. */
nn_status rp_pen_open(rp_pen *p, cairo_t *cr, nn_error *err);
void rp_pen_close(rp_pen *p);

/* Text (escaped for display: control characters and bytes that are not UTF-8 shown as \\x escapes)
 * at (x, y), anchored at (ax, ay) of its extents (0 left/top, 0.5 centre, 1 right/bottom); max_w > 0
 * cuts it with an ellipsis. Returns its width. */
double rp_text(rp_pen *p, double x, double y, const char *s, double size, bool bold, double ax, double ay, rp_rgb c,
               double max_w);
/* The same turned by angle (radians) around (x, y). */
double rp_text_rot(rp_pen *p, double x, double y, const char *s, double size, bool bold, double angle, double ax,
                   double ay, rp_rgb c, double max_w);
/* Wrapped to width w from the top-left (x, y), newlines kept, at most max_lines lines (the last
 * ellipsized). Returns the height. */
double rp_text_wrap(rp_pen *p, double x, double y, double w, const char *s, double size, bool bold, rp_rgb c,
                    int max_lines);
void rp_text_size(rp_pen *p, const char *s, double size, bool bold, double *w, double *h);

/* Marker shapes (kind modulo 8: circle, square, triangle, diamond, triangle down, hexagon, star,
 * cross) of radius about s: the path, or drawn filled (with a dark outline) or hollow. */
void rp_shape(cairo_t *cr, int kind, double x, double y, double s);
void rp_marker(cairo_t *cr, int kind, double x, double y, double s, rp_rgb c, bool filled);
/* Dash style (0 solid, 1 long dashes, 2 short dashes, 3 dash-dot, 4 long-short, 5 dots) for width lw. */
void rp_dash(cairo_t *cr, int style, double lw);

/* A plot area (x, y, w, h) and its data ranges; logy: y0, y1 are log10 of the range. */
typedef struct {
    double x, y, w, h;
    double x0, x1, y0, y1;
    bool logy;
} rp_plot;
double rp_px(const rp_plot *pl, double v);
double rp_py(const rp_plot *pl, double v);
/* About want round ticks on [lo, hi] (steps of 1, 2 or 5 times a power of ten) into out. */
int rp_ticks(double lo, double hi, int want, bool integers, double *out, int max);
void rp_number(char *buf, size_t cap, double v);   /* a tick label: 4 significant digits */
/* Grid lines, ticks and their labels, the frame and the axis labels (NULL: none). */
void rp_frame(rp_pen *p, const rp_plot *pl, double fs, const char *xlabel, const char *ylabel, bool xint);

void rp_fig_loss(rp_pen *p, const nn_report *r, double w, double h, double fs);
void rp_fig_confusion(rp_pen *p, const nn_report *r, double w, double h, double fs);
void rp_fig_fit(rp_pen *p, const nn_report *r, double w, double h, double fs);
void rp_fig_boundary(rp_pen *p, const nn_report *r, double w, double h, double fs);
void rp_fig_network(rp_pen *p, const nn_report *r, double w, double h, double fs);
void rp_fig_page(rp_pen *p, const nn_report *r, double w, double h);

#endif
