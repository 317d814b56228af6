/* views.h — the rasterisers of the views in the lower right slot (viewlist.h): Boundary (decision
 * regions and points, or the fitted curve), Network (weights as heatmaps, one neuron in detail),
 * Health (per-layer statistics over epochs, warnings), Step (one sample through the network and one
 * weight's update), Race (one curve per optimizer) and Lesson (the preset's lesson text), their
 * shared colours and helpers, and the views' own state (ui_views). Each view's file also defines
 * its row of the view table (panel.h: ui_view_def) with its keys.
 * Every draw function is pure: it reads a snapshot, the views' own state and the theme, and
 * rasterises into a ui_grid (tests assert exact cells). Main thread only (static scratch). */
#ifndef UI_VIEWS_H
#define UI_VIEWS_H

#include "grid.h"
#include "theme.h"
#include "worker.h"

#include "preset.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What the views remember between frames (selections, scroll, the ghost of the previous run). */
typedef struct {
    int net_layer, net_unit;          /* Network: the selected layer and neuron (pooled column) */
    bool net_diagram;                 /* Network: the diagram instead of the heatmaps (Enter) */
    bool net_picked;                  /* Network: a weight of the selected neuron is picked ([ ]; Enter edits it) */
    int net_input;                    /* ... its input (0..in-1), or -1 (NN_TRAINER_BIAS): the neuron's bias */
    bool pic_asked;                   /* Network: a picture was asked of the worker: of unit pic_unit */
    int pic_unit;
    bool step_on;                     /* Step: a selection was sent to the worker */
    int step_index, step_layer, step_i, step_j;   /* step_i == NN_HEALTH_BIAS: the bias */
    int lesson_scroll;                /* Lesson: first line shown */
    bool hide_points;                 /* Boundary: regions only (Enter toggles) */
    bool hard_regions;                /* Boundary: hard class regions, not shaded by confidence (d toggles) */
    bool cell_on;                     /* Confusion: a cell is selected (arrows, Enter, a click) */
    int cell_a, cell_p;               /* ... its actual and predicted class */
    int cell_sent_a, cell_sent_p;     /* the cell last sent to the worker (-1: none) in run cell_run - 1 */
    uint64_t cell_run;
    uint64_t feat_asked;              /* Boundary: snapshot.run + 1 when two features were asked for */
    int feat_x, feat_y;               /* Boundary: the axes last asked for (in run feat_run - 1) */
    uint64_t feat_run;
    int neu_layer, neu_unit;          /* Neurons: the selected unit (layer 0: the first hidden layer) */
    bool neu_zoom;                    /* Neurons: the selected unit's map alone (Enter) */
    int samp_first;                   /* Samples: the first picture shown */
    bool samp_wrong;                  /* Samples: the mistakes only (Enter) */
    int cmp_sel;                      /* Compare: the selected row (0..pins: the pins oldest first, then the
                                         current run) */
    bool units_on;                    /* Neurons: the maps asked of the worker (on, layer, first unit) */
    int units_layer, units_first;
    /* the previous run's loss curves (kept when snapshot.run changes), drawn faint */
    double *ghost;                    /* (2, ghost_cap): train, then val loss */
    int ghost_len, ghost_cap;
    bool ghost_val;                   /* the val curve has values */
} ui_views;

/* ---- colours ---- */

/* Background colour of a decision-region pixel: class cls (wraps past 8) predicted with
 * probability conf among k classes. Uncertain pixels are grey; the more certain, the deeper the
 * class's hue. -1 in monochrome. */
int16_t ui_region_colour(const ui_theme *th, int cls, double conf, int k);
/* The class's own (bright) colour, for points and legends. */
int16_t ui_class_colour(const ui_theme *th, int cls);
/* Background colour of a weight: blue for negative, orange for positive (colour-blind safe),
 * deeper with |v| / vmax. -1 in monochrome. */
int16_t ui_weight_colour(const ui_theme *th, double v, double vmax);

/* ---- rasterisers ---- */

/* The decision regions of s (UI_VIEW_BOUNDARY or UI_VIEW_SURFACE) over r with the points on top.
 * UTF-8 with colours: two pixels per cell (U+2580, fg the top pixel, bg the bottom one); points
 * are U+25CF (train) and U+25CB (test) in the class colour over the region's colour. ASCII: one
 * pixel per cell, points 'o' and 'x'. Monochrome: region glyphs by class (blank where unsure) and
 * points as the class digit (bold: train, reverse: test). points: false draws the regions only. */
#define UI_BD_POINTS 1u   /* ui_boundary_raster: draw the points */
#define UI_BD_HARD 2u     /* ... and every region in its class's full colour (no confidence shading) */
#define UI_BD_CELL 4u     /* ... and mark the rows of the selected confusion cell (ui_snap_eval.cell) */
void ui_boundary_raster(ui_grid *g, ui_rect r, const ui_snapshot *s, const ui_theme *th, unsigned opts);
/* The plot inside the area plot that keeps the data's aspect ratio (a cell is about twice as tall
 * as wide), centred across or down; the whole area when the axes' ranges differ more than 3 times. */
ui_rect ui_boundary_aspect(ui_rect plot, const ui_snapshot *s);
/* What to look at instead of the Boundary for data with too many features (images). */
extern const char ui_boundary_instead[];
/* 1-D regression: the data points as dots and the fitted curve (snapshot view CURVE) in plot. */
void ui_curve_plot(ui_grid *g, ui_rect plot, const ui_snapshot *s, const ui_theme *th);

/* A weight matrix w (rows, cols) as a heatmap over r: neurons as columns (each cw = r.w / cols
 * cells wide, at least 1; sampled when cols > r.w), inputs as rows (two per cell with UTF-8
 * colours; sampled when there are more than fit). vmax: the magnitude of the deepest colour. */
void ui_weights_raster(ui_grid *g, ui_rect r, const float *w, int rows, int cols, double vmax,
                       const ui_theme *th);

/* A sparkline of v[0..n) over w cells from (x, y): U+2581..U+2588 (ASCII: _.-=^), scaled to
 * [lo, hi] (log10 when logscale; values <= 0 then show as the lowest bar). NaN: blank. When n > w
 * the last w values are shown. */
void ui_sparkline(ui_grid *g, int x, int y, int w, const float *v, int n, double lo, double hi,
                  bool logscale, ui_style s, bool ascii);

/* UTF-8 text cut by display width: a combining mark (U+0300..U+036F, U+20D0..U+20FF) takes no
 * column and rides on the cell before it (ui_cell.comb; one per cell); text is cut at maxw
 * columns. Returns the columns written. */
int ui_text_cols(ui_grid *g, int x, int y, int maxw, const char *utf8, ui_style s);
/* Display width of UTF-8 text (combining marks count 0). */
int ui_text_width(const char *utf8);
/* UTF-8 text as ASCII for the ASCII mode: the formula symbols spelled out (← "<-", − "-", · "*",
 * × "x", √ "sqrt", ² "^2", β "b", ε "eps", a hat "^" ...), anything else '?'. out is NUL-terminated. */
void ui_ascii_fold(const char *utf8, char *out, int outlen);

/* ---- panels: each draws the inside of its frame ---- */

/* v may be NULL (points shown). */
void ui_boundary_panel(ui_grid *g, ui_rect r, const ui_snapshot *s, const ui_views *v, const ui_theme *th);
void ui_network_panel(ui_grid *g, ui_rect r, const ui_snapshot *s, const ui_views *v, const ui_theme *th);
/* The layer and neuron under (x, y) of a Network panel drawn into r (a click selects it); false if
 * (x, y) is not on a heatmap or its label. */
bool ui_network_hit(const ui_snapshot *s, const ui_views *v, ui_rect r, int x, int y, int *layer, int *unit);
/* The input (0..in-1) whose cell of the selected neuron's "incoming" strip is at (x, y) of a Network
 * panel drawn into r (a click picks that weight); false if none or the layer is drawn pooled. */
bool ui_network_strip_hit(const ui_snapshot *s, const ui_views *v, ui_rect r, int x, int y, int *input);
/* The weight picked in the Network view, if any: v->net_picked on a layer the snapshot holds whole
 * (at most UI_NET_DIM inputs and neurons), *input clamped into it (-1: the bias). */
bool ui_network_pick(const ui_snapshot *s, const ui_views *v, int *input);
/* "W1[0][3]" (layer l 0-based, the weight from input i into neuron j) or "b1[3]" (i = -1). */
void ui_weight_name(char *out, size_t n, int l, int i, int j);
/* v as the line editor offers it: the fewest significant digits that give the same float. */
void ui_weight_text(char *out, size_t n, float v);
/* No weight picked (ui_net_diagram's pick). */
#define UI_NET_NO_PICK (-2)
/* Network, as a diagram: the inputs, each layer's units and the outputs as nodes in columns
 * (UI_DIAGRAM_WHOLE a layer whole; a larger layer its first units, "+N", the selected unit and its
 * last), every
 * weight an edge in braille dots coloured by sign (ui_weight_colour; monochrome: negative dotted)
 * and deeper with |w|, the strongest on top; inputs labelled with the features, outputs with the
 * classes; the selected unit (sel_layer, sel_unit) marked; pick (the input of the picked weight, -1
 * its bias, UI_NET_NO_PICK none): that input's node marked too, and the weight and its value in the
 * header. */
#define UI_DIAGRAM_WHOLE 8
void ui_net_diagram(ui_grid *g, ui_rect r, const ui_snapshot *s, int sel_layer, int sel_unit, int pick,
                    const ui_theme *th);
/* The unit whose node is at (x, y) of a diagram drawn into r; false if none. */
bool ui_diagram_hit(const ui_snapshot *s, ui_rect r, int sel_layer, int sel_unit, int x, int y, int *layer, int *unit);
/* The snapshot's picture of a first-layer unit's weights (image data) over r, each cell the mean of
 * its block of pixels: UTF-8 with colours two pixels a cell (U+2580) in the weight colours
 * (ui_weight_colour over the picture's wmax); ASCII one a cell; monochrome the weight glyphs
 * " -=" and " +#". */
void ui_weight_picture(ui_grid *g, ui_rect r, const ui_snapshot *s, const ui_theme *th);
/* Neurons: every hidden and output unit's map over the Boundary plane (snapshot units), the layers
 * as columns, the selected unit (v->neu_layer, neu_unit) large with its bias and incoming weights
 * beside them from 70 columns on (alone with v->neu_zoom); the selected layer a page at a time when
 * the network does not fit. */
void ui_neurons_panel(ui_grid *g, ui_rect r, const ui_snapshot *s, const ui_views *v, const ui_theme *th);
/* The unit under (x, y) of a Neurons panel drawn into r (a click selects it); false if none. */
bool ui_neurons_hit(const ui_snapshot *s, const ui_views *v, ui_rect r, int x, int y, int *layer, int *unit);
/* Map i of the snapshot's units over r: hidden units by sign (class 0's colour negative, class 1's
 * positive, deeper with |a| over the map's largest), classifier outputs in the Boundary view's class
 * colours by probability, regression outputs in the heat ramp. UTF-8 with colours: two points per
 * cell (U+2580); ASCII: one, as a background; monochrome: glyphs (hidden " -=+#" by sign and
 * strength, outputs the ramp " .:-=+*#%@"). */
void ui_unit_map(ui_grid *g, ui_rect r, const ui_snapshot *s, int i, const ui_theme *th);
/* Samples: image data's test pictures (snapshot samples) in a grid, each with its true class and
 * the predicted one (green right, red wrong), from v->samp_first, the mistakes only with
 * v->samp_wrong; a note for other data. */
void ui_samples_panel(ui_grid *g, ui_rect r, const ui_snapshot *s, const ui_views *v, const ui_theme *th);
/* Picture i of the snapshot's samples over r, each cell the mean of its block of pixels: 256 colours
 * with UTF-8 two grey levels a cell (U+2580, greys 232..255), ASCII one grey background; 8 colours and
 * monochrome the glyph ramp " .:-=+*#%@". */
void ui_picture(ui_grid *g, ui_rect r, const ui_snapshot *s, int i, const ui_theme *th);
void ui_health_panel(ui_grid *g, ui_rect r, const ui_snapshot *s, const ui_theme *th);
void ui_step_panel(ui_grid *g, ui_rect r, const ui_snapshot *s, const ui_views *v, const ui_theme *th);
/* logy: log10 loss axis. */
void ui_race_panel(ui_grid *g, ui_rect r, const ui_snapshot *s, const ui_theme *th, bool logy);
/* The same with the compact legend at any width (more room for the curves): the Loss panel's
 * picture during a race. */
void ui_race_chart(ui_grid *g, ui_rect r, const ui_snapshot *s, const ui_theme *th, bool logy);
/* The race's legend: from RACE_WIDE columns on, a header and one row per optimizer (colour, name,
 * lr, epoch, loss, test accuracy, state, "*best"); narrower, several "━ name loss acc%" entries a
 * row (the best accuracy marked *). */
#define RACE_WIDE 64
void ui_race_legend(ui_grid *g, ui_rect r, const ui_snapshot *s, const ui_theme *th);
/* Rows the legend takes at width w. */
int ui_race_legend_rows(const ui_snapshot *s, int w);
/* The name of the network's input i as every view writes it: a Playground feature's label ("x1²",
 * ASCII "x1^2"), the data's feature name ("petal_length"), else "x<i+1>". */
void ui_input_name(const ui_snapshot *s, int i, bool utf8, char *out, size_t n);

/* Compare: the pinned runs (pins.h) and the current run as a table (what differs from the current
 * run, epochs, final train, val and test loss, accuracy or R2), the selected row (v->cmp_sel)
 * highlighted, and under it their decision boundaries side by side as small maps (as many as fit,
 * the selected one among them), or one line saying why there are none. cur: the current
 * configuration; hist, n: the current run's epochs. */
struct ui_pins_;
void ui_compare_panel(ui_grid *g, ui_rect r, const ui_snapshot *s, const struct ui_pins_ *pins, const nn_preset *cur,
                      const nn_epoch_stats *hist, int n, const ui_views *v, const ui_theme *th);
/* The lesson's title, its text from v->lesson_scroll and the keys it locks; when the text does not fit,
 * a line under it says how many lines are left and the key that shows them (focused: the view has
 * the focus, so PgDn reaches it). */
void ui_lesson_panel(ui_grid *g, ui_rect r, const nn_preset *p, const ui_views *v, const ui_theme *th, bool focused);
/* Lines the lesson text takes at width w (for scrolling). */
int ui_lesson_lines(const nn_preset *p, int w);
/* The built-in presets that have a lesson, in their order ("xor, spiral, lesson-..."): what the view
 * offers for a preset without one. */
const char *ui_lesson_presets(void);

/* ---- state helpers ---- */

/* Keeps the previous run's loss curves: call with the history before it is cleared for a new run. */
void ui_views_keep_ghost(ui_views *v, const nn_epoch_stats *hist, int n);
void ui_views_free(ui_views *v);
/* Clamps the Network selection to the snapshot's layers and columns. */
void ui_views_clamp(ui_views *v, const ui_snapshot *s);

#endif
