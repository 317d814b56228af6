/* pins.h — pinned runs (P): copies of a run the trainer keeps for comparing, owned by the main
 * thread (app.c pins, editing.c drops them when other data is loaded; the Loss panel overlays their
 * curves, the Compare view lists them). A pin holds the run's loss per epoch (train, val, test; at most
 * UI_PIN_POINTS points a curve, a longer run every k-th epoch), its final figures, its preset (to name
 * what differs from the current run: nn_preset_diff_label, the words of `nnterm compare`) and its
 * decision boundary when the data has one to draw. At most UI_PIN_MAX pins; one more replaces the
 * oldest. Memory: a pin is about 100 KB at most (the preset 15 KB, the boundary section 38 KB,
 * three curves of 2048 doubles 48 KB), so the pins take at most about 0.6 MB. */
#ifndef UI_PINS_H
#define UI_PINS_H

#include "grid.h"
#include "theme.h"
#include "worker.h"

#include "preset.h"
#include "trainer.h"

#include <stdbool.h>
#include <stdint.h>

#define UI_PIN_MAX 6
#define UI_PIN_POINTS 2048

typedef struct {
    int slot;                       /* 0..UI_PIN_MAX-1: its number (slot + 1), colour and glyph */
    uint64_t age;                   /* order of pinning: the oldest has the smallest */
    uint64_t run;                   /* the snapshot's run it came from */
    nn_preset preset;               /* the configuration it ran */
    int epochs;                     /* epochs run */
    int n, step;                    /* points kept per curve, epochs per point (point i: epoch (i+1)*step) */
    double *loss;                   /* (3, n): train, val, test; NAN where a split is empty */
    bool has[3];                    /* the curve has a value */
    double final[3];                /* the last epoch's train, val, test loss (NAN: none); after a
                                       weight set by hand since that epoch, the edited weights' */
    bool edited;                    /* pinned after a weight set by hand: final, metric and map are
                                       of the edited weights */
    double metric;                  /* accuracy or R2: test, else val, else train (NAN: none) */
    bool regression;
    ui_snap_boundary *map;          /* the Boundary view's section when pinned (NULL: none) */
    int k;                          /* classes, for the map's colours */
    char no_map[96];                /* why there is no map ("" with one) */
} ui_pin;

typedef struct ui_pins_ {
    ui_pin pin[UI_PIN_MAX];         /* pin[0..n): oldest first */
    int n;
    uint64_t age;
} ui_pins;

void ui_pins_init(ui_pins *ps);
void ui_pins_free(ui_pins *ps);
/* Pins the run: its preset p, its history hist[0..n) and the snapshot s (run, task, the boundary;
 * a weight set by hand since the last epoch: the figures of the weights now, s->edit).
 * With UI_PIN_MAX pins already, the oldest goes (*replaced receives its number, else 0). Returns the
 * new pin's number (1..UI_PIN_MAX), 0 when there is nothing to pin (no epoch) or memory ran out. */
int ui_pins_add(ui_pins *ps, const nn_preset *p, const nn_epoch_stats *hist, int n, const ui_snapshot *s,
                int *replaced);
/* The figures of the weights now: those of a weight set by hand since the last epoch ended (the
 * snapshot's edit), else the last epoch's (NULL before the first). */
const nn_epoch_stats *ui_run_figures(const nn_epoch_stats *hist, int n, const ui_snapshot *s);
/* The pin of these weights (the snapshot's run, n epochs, and the same figures: a weight set by
 * hand since makes other weights), if pinned already (its index), else -1. */
int ui_pins_find(const ui_pins *ps, const nn_epoch_stats *hist, int n, const ui_snapshot *s);
/* Removes pin i (0..n-1). */
void ui_pins_remove(ui_pins *ps, int i);
void ui_pins_clear(ui_pins *ps);
/* True when runs of a and b can be compared on one chart: the same data source, data file and
 * input features (what pins keep across loading another preset). */
bool ui_pins_same_data(const nn_preset *a, const nn_preset *b);
/* The curve the Loss chart overlays for pin: val when the run had a val split, else train. */
const double *ui_pin_curve(const ui_pin *pin);
/* What pin differs in from the current configuration cur: nn_preset_diff_label ("lr 0.1, adam"),
 * and "edited by hand" for a pin of weights set by hand (Network view). */
void ui_pin_label(const ui_pin *pin, const nn_preset *cur, char *out, size_t cap);
/* The pin's colour (its slot's, from the class palette after the train and val colours), -1 without
 * colour; its glyph is the digit of its number. */
int16_t ui_pin_colour(const ui_theme *th, int slot);
static inline ui_style ui_pin_style(const ui_theme *th, int slot)
{
    return (ui_style){ui_pin_colour(th, slot), -1, UI_A_BOLD};
}

/* label (phrases joined by ", ") in at most w columns: the whole phrases that fit, then an ellipsis
 * ("\xe2\x80\xa6", ASCII ">") for those left out, so no word is cut (the ellipsis alone when not even
 * the first phrase fits). Returns the columns of out. */
int ui_pin_label_fit(const char *label, int w, bool ascii, char *out, size_t cap);
/* The pins' legend over r (its top rows): each pin's number in its style and what it differs in from
 * cur (ui_pin_label), entries side by side while they fit, then on the next row; "+N more (c)" when
 * rows run out. Returns the rows used (0 without pins). */
int ui_pins_legend(ui_grid *g, ui_rect r, const ui_pins *ps, const nn_preset *cur, const ui_theme *th);
/* The rows ui_pins_legend takes at width w (no more than max_rows). */
int ui_pins_legend_rows(const ui_pins *ps, const nn_preset *cur, int w, int max_rows);

#endif
