/* chart.h — braille line charts: a dot canvas of 2x4 dots per cell (U+2800 + the dot bits),
 * Bresenham segments, one colour per cell (a series painting over a different colour resets the
 * cell, as bottom does), rasterised into a ui_grid with axes, labels and a legend.
 * Pure; the caller owns every buffer. */
#ifndef UI_CHART_H
#define UI_CHART_H

#include "grid.h"
#include "theme.h"

#include <stdbool.h>
#include <stdint.h>

#define UI_BRAILLE_MAX_W 400   /* cells */
#define UI_BRAILLE_MAX_H 120

typedef struct {
    int w, h;                                  /* cells; dots are 2w x 4h */
    uint8_t bits[UI_BRAILLE_MAX_H][UI_BRAILLE_MAX_W];
    int16_t fg[UI_BRAILLE_MAX_H][UI_BRAILLE_MAX_W];
} ui_braille;

/* Sizes are clamped to the maxima. */
void ui_braille_init(ui_braille *b, int w, int h);
/* Dot (x, y), y = 0 at the top; outside is ignored. */
void ui_braille_dot(ui_braille *b, int x, int y, int16_t fg);
void ui_braille_line(ui_braille *b, int x0, int y0, int x1, int y1, int16_t fg);
/* Copies the non-empty cells to g at (x, y): U+2800 + bits, or '*' when ascii. */
void ui_braille_blit(const ui_braille *b, ui_grid *g, int x, int y, int16_t bg, bool ascii);

typedef struct {
    const double *v;        /* v[i] is the value at epoch i + 1; NaN = no value */
    int n;
    ui_role role;           /* colour */
    const char *name;       /* legend; NULL or "": not in the legend */
    int step;               /* epochs per value (v[i] at epoch (i + 1) * step); 0 or 1: every epoch */
    int pin;                /* 1..6: a pinned run's curve (pins.h): its colour (ui_pin_colour), under
                               the others, its number at its end; without colour dotted (ASCII: the
                               digit as its glyph); 0: role's look */
} ui_series;

/* Draws ns series into r: legend with the latest values on the first row, a y axis with
 * min/max labels, an x axis of epochs 1..x_total (x_total >= the longest series), and the curves.
 * logy: log10 y axis (values <= 0 skipped). scratch is a caller-provided canvas. */
void ui_chart_draw(ui_grid *g, ui_rect r, const ui_series *s, int ns, int x_total, bool logy,
                   const ui_theme *th, ui_braille *scratch);

/* A single point drawn over the curves as a glyph (U+25C6 ◆; ASCII '#'), in role's colour, bold. */
typedef struct {
    double x;               /* where on the x axis: 0 is epoch 1, x_total - 1 the last (fractions between) */
    double v;               /* the value; NaN: not drawn */
    ui_role role;
} ui_chart_mark;

/* As ui_chart_draw, with nm marks whose values count in the y range (a point after a hand edit of
 * a weight); a mark at or after the end of the series of its role is that series' latest value in
 * the legend. */
void ui_chart_draw_marks(ui_grid *g, ui_rect r, const ui_series *s, int ns, const ui_chart_mark *marks, int nm,
                         int x_total, bool logy, const ui_theme *th, ui_braille *scratch);

/* Short number for axis labels and legends: at most 7 columns ("0.0123", "1.2e-05", "123"). */
void ui_fmt_num(char *out, int outlen, double v);
/* The two ends of an axis, a and b, with the same number of decimals, enough to tell values a
 * tenth to a hundredth of the range apart (1.283 and -1.3 become 1.3 and -1.3, 4 and -1 4.0 and -1.0); ui_fmt_num's form for
 * numbers of 10000 and more, or a range under 0.001. Both buffers outlen bytes. */
void ui_fmt_range(char *a_out, char *b_out, int outlen, double a, double b);
/* v in at most width columns (width >= 1): ui_fmt_num's form when it fits, else fewer significant
 * digits, then a short exponent ("2.5e16", "-1e-9"); '#' x width when not even that fits (as a
 * spreadsheet does). Never longer than width: a number never spills into the next column.
 * Returns the length written. */
int ui_fmt_fit(char *out, int outlen, double v, int width);
/* A value as the chart's y axis plots it: log10 on a log scale (NAN for v <= 0), NAN if not finite. */
double ui_chart_y(double v, bool logy);

#endif
