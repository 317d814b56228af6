/* layout.c — panel rectangles for a terminal size (see layout.h). */
#include "layout.h"

#include <string.h>

static const char *const titles[UI_P_COUNT] = {"Dataset", "Architecture", "Hyperparameters", "Loss",
                                                "Confusion", "View"};

const char *ui_panel_title(int id)
{
    return id >= 0 && id < UI_P_COUNT ? titles[id] : "?";
}

/* The heights of the three left panels in body rows: h[p] == 1 is a collapsed panel. */
static void left_heights(int body, int left_open, const int need_in[3], int h[3])
{
    static const int dflt[3] = {15, 8, 24};
    int n[3];
    for (int p = 0; p < 3; p++) {
        n[p] = need_in ? need_in[p] : dflt[p];
        if (n[p] < 3)
            n[p] = 3;
    }
    if (n[0] + n[1] + n[2] <= body) {
        /* all open, each as tall as it needs; the rest to Hyperparameters, whose list grows with
         * the optimizer's parameters */
        h[0] = n[0];
        h[1] = n[1];
        h[2] = body - n[0] - n[1];
        return;
    }
    int o = left_open >= UI_P_DATASET && left_open <= UI_P_HPARAMS ? left_open : UI_P_DATASET;
    h[o] = n[o] < body - 2 ? n[o] : body - 2;
    int rest = body - h[o];
    /* the other two, the smaller first: whole when it fits, else the room left when that is at
     * least UI_PART_H rows (it scrolls), else one line */
    int q[2], k = 0;
    for (int p = 0; p < 3; p++)
        if (p != o)
            q[k++] = p;
    if (n[q[1]] < n[q[0]]) {
        int t = q[0];
        q[0] = q[1];
        q[1] = t;
    }
    for (int i = 0; i < 2; i++) {
        int space = rest - (1 - i);   /* a line for the panel after it */
        int p = q[i];
        h[p] = n[p] <= space ? n[p] : space >= UI_PART_H ? space : 1;
        rest -= h[p];
    }
    h[o] += rest;
}

int ui_layout_left_w(int cols)
{
    int lw = cols * 32 / 100;
    return lw < 34 ? 34 : lw > 56 ? 56 : lw;
}

void ui_layout_compute(ui_layout *l, int cols, int lines, int focus, int left_open, bool zoom, const int need[3])
{
    memset(l, 0, sizeof *l);
    if (cols < UI_MIN_W || lines < UI_MIN_H) {
        l->too_small = true;
        return;
    }
    int body = lines - 1;
    l->status = ui_rect_make(0, lines - 1, cols, 1);
    bool two = cols >= UI_TWO_VIEWS_W;
    if (zoom && focus >= 0 && focus < UI_P_COUNT && (focus != UI_P_VIEW2 || two)) {
        l->panel[focus] = ui_rect_make(0, 0, cols, body);
        return;
    }
    int lw = ui_layout_left_w(cols);
    int rw = cols - lw;

    int h[3];
    left_heights(body, left_open, need, h);
    for (int p = UI_P_DATASET, y = 0; p <= UI_P_HPARAMS; y += h[p], p++) {
        l->panel[p] = ui_rect_make(0, y, lw, h[p]);
        l->collapsed[p] = h[p] == 1;
    }
    /* Loss two fifths of the height (10 to 22 rows), the view(s) the rest */
    int loss_h = body * 2 / 5;
    if (loss_h < 10) loss_h = 10;
    if (loss_h > 22) loss_h = 22;
    l->panel[UI_P_LOSS] = ui_rect_make(lw, 0, rw, loss_h);
    if (two) {
        int w1 = (rw + 1) / 2;
        l->panel[UI_P_CONFUSION] = ui_rect_make(lw, loss_h, w1, body - loss_h);
        l->panel[UI_P_VIEW2] = ui_rect_make(lw + w1, loss_h, rw - w1, body - loss_h);
    } else {
        l->panel[UI_P_CONFUSION] = ui_rect_make(lw, loss_h, rw, body - loss_h);
    }
}

int ui_layout_hit(const ui_layout *l, int x, int y)
{
    if (l->too_small)
        return -1;
    for (int p = 0; p < UI_P_COUNT; p++)
        if (l->panel[p].w > 0 && ui_rect_has(l->panel[p], x, y))
            return p;
    return -1;
}
