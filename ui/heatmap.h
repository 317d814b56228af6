/* heatmap.h — the confusion matrix as a colour heatmap with counts (rows actual, columns
 * predicted; a cell's colour is its share of the row), accuracy and per-class precision,
 * recall and F1 below it. Pure: rasterises into a ui_grid. */
#ifndef UI_HEATMAP_H
#define UI_HEATMAP_H

#include "grid.h"
#include "theme.h"

#include "metrics.h"

/* cm (k, k), cm[actual * k + predicted]; names (k) class names. Uses as many rows of r as it
 * has: summary line, matrix (header + k rows), then the metrics table while rows remain. */
void ui_heatmap_confusion(ui_grid *g, ui_rect r, const int *cm, int k, const char (*names)[NN_NAME_MAX],
                          const nn_class_metrics *m, const ui_theme *th);
/* The cell (actual *a, predicted *p) drawn at (x, y) by ui_heatmap_confusion in r; false elsewhere. */
bool ui_heatmap_cell_at(ui_rect r, const int *cm, int k, const char (*names)[NN_NAME_MAX], int x, int y, int *a,
                        int *p);
/* The row of the first class of the metrics table ui_heatmap_confusion draws in r (-1: none) and,
 * in *x_end, the column after its numbers. */
int ui_heatmap_metrics_at(ui_rect r, const int *cm, int k, const char (*names)[NN_NAME_MAX], int *x_end);
/* The row after the matrix's last row in r (at most r's end), as ui_heatmap_confusion lays it out. */
int ui_heatmap_matrix_end(ui_rect r, const int *cm, int k, const char (*names)[NN_NAME_MAX]);
/* Marks cell (a, p) of the matrix drawn in r: its cells' attributes reversed. */
void ui_heatmap_mark(ui_grid *g, ui_rect r, const int *cm, int k, const char (*names)[NN_NAME_MAX], int a, int p);

#endif
