/* layout.h — where each panel goes for a terminal size: a left column (Dataset, Architecture,
 * Hyperparameters: all open when tall enough, else one open and the others one line each) and
 * a right column (Loss above the slot that shows one view at a time), a status bar at the
 * bottom, a zoom mode where the focused panel takes the screen, and the minimum size. Pure. */
#ifndef UI_LAYOUT_H
#define UI_LAYOUT_H

#include "grid.h"
#include "viewlist.h"

#include <stdbool.h>

typedef enum { UI_P_DATASET, UI_P_ARCH, UI_P_HPARAMS, UI_P_LOSS, UI_P_CONFUSION, UI_P_COUNT } ui_panel_id;

#define UI_MIN_W 80
#define UI_MIN_H 24
#define UI_FULL_LEFT_H 45    /* from this height on, the three left panels are all open */

typedef struct {
    bool too_small;
    ui_rect panel[UI_P_COUNT];      /* the frame, border included; w == 0: not shown */
    bool collapsed[UI_P_COUNT];     /* only the title line is shown */
    ui_rect status;                 /* the status bar (one line) */
} ui_layout;

/* left_open: the left panel to open when they do not all fit (UI_P_DATASET..UI_P_HPARAMS);
 * zoom: the focused panel fills everything above the status bar. */
void ui_layout_compute(ui_layout *l, int cols, int lines, int focus, int left_open, bool zoom);
/* The panel under (x, y), or -1. */
int ui_layout_hit(const ui_layout *l, int x, int y);
/* "Dataset", "Architecture", "Hyperparameters", "Loss", "Confusion". */
const char *ui_panel_title(int id);

#endif
