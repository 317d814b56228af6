/* layout.c — panel rectangles for a terminal size (see layout.h). */
#include "layout.h"

#include <string.h>

static const char *const titles[UI_P_COUNT] = {"Dataset", "Architecture", "Hyperparameters", "Loss",
                                                "Confusion"};

const char *ui_panel_title(int id)
{
    return id >= 0 && id < UI_P_COUNT ? titles[id] : "?";
}

void ui_layout_compute(ui_layout *l, int cols, int lines, int focus, int left_open, bool zoom)
{
    memset(l, 0, sizeof *l);
    if (cols < UI_MIN_W || lines < UI_MIN_H) {
        l->too_small = true;
        return;
    }
    int body = lines - 1;
    l->status = ui_rect_make(0, lines - 1, cols, 1);
    if (zoom && focus >= 0 && focus < UI_P_COUNT) {
        l->panel[focus] = ui_rect_make(0, 0, cols, body);
        return;
    }
    int lw = cols * 32 / 100;
    if (lw < 34) lw = 34;
    if (lw > 56) lw = 56;
    int rw = cols - lw;

    if (lines >= UI_FULL_LEFT_H) {
        int dh = 13, ah = 11;
        l->panel[UI_P_DATASET] = ui_rect_make(0, 0, lw, dh);
        l->panel[UI_P_ARCH] = ui_rect_make(0, dh, lw, ah);
        l->panel[UI_P_HPARAMS] = ui_rect_make(0, dh + ah, lw, body - dh - ah);
    } else {
        if (left_open < UI_P_DATASET || left_open > UI_P_HPARAMS)
            left_open = UI_P_DATASET;
        int y = 0;
        for (int p = UI_P_DATASET; p <= UI_P_HPARAMS; p++) {
            int h = p == left_open ? body - 2 : 1;
            l->panel[p] = ui_rect_make(0, y, lw, h);
            l->collapsed[p] = p != left_open;
            y += h;
        }
    }
    int loss_h = body / 2 + (body >= 30 ? 0 : 1);
    l->panel[UI_P_LOSS] = ui_rect_make(lw, 0, rw, loss_h);
    l->panel[UI_P_CONFUSION] = ui_rect_make(lw, loss_h, rw, body - loss_h);
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
