/* layout.h — where each panel goes for a terminal size: a left column (Dataset, Architecture,
 * Hyperparameters: each as tall as its content needs when they all fit, the rest of the height to
 * the last; else the open one whole and the others as far as they fit, a panel that does not fit
 * one line) and a right column (Loss above the slot that shows one view at a time, and from
 * UI_TWO_VIEWS_W columns a second slot beside it), a status bar at the bottom, a zoom mode where
 * the focused panel takes the screen, and the minimum size. Pure. */
#ifndef UI_LAYOUT_H
#define UI_LAYOUT_H

#include "grid.h"
#include "viewlist.h"

#include <stdbool.h>

/* UI_P_VIEW2: the second view slot, beside the first (UI_P_CONFUSION) from UI_TWO_VIEWS_W columns. */
typedef enum { UI_P_DATASET, UI_P_ARCH, UI_P_HPARAMS, UI_P_LOSS, UI_P_CONFUSION, UI_P_VIEW2, UI_P_COUNT } ui_panel_id;

#define UI_MIN_W 80
#define UI_MIN_H 24
#define UI_TWO_VIEWS_W 200   /* from this width on, two views side by side in the lower right */
#define UI_PART_H 4          /* the least rows (frame included) a left panel opens with, scrolling */

typedef struct {
    bool too_small;
    ui_rect panel[UI_P_COUNT];      /* the frame, border included; w == 0: not shown */
    bool collapsed[UI_P_COUNT];     /* only the title line is shown */
    ui_rect status;                 /* the status bar (one line) */
} ui_layout;

/* left_open: the left panel to open whole when they do not all fit (UI_P_DATASET..UI_P_HPARAMS);
 * need: the rows, frame included, Dataset, Architecture and Hyperparameters want for their content
 * (NULL: 15, 8, 24); zoom: the focused panel fills everything above the status bar. */
void ui_layout_compute(ui_layout *l, int cols, int lines, int focus, int left_open, bool zoom, const int need[3]);
/* The left column's width at cols columns (a third, 34 to 56). */
int ui_layout_left_w(int cols);
/* The panel under (x, y), or -1. */
int ui_layout_hit(const ui_layout *l, int x, int y);
/* "Dataset", "Architecture", "Hyperparameters", "Loss", "Confusion", "View". */
const char *ui_panel_title(int id);

#endif
