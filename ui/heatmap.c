/* heatmap.c — the confusion-matrix heatmap (see heatmap.h). */
#include "heatmap.h"

#include <stdio.h>
#include <string.h>

static int digits(long v)
{
    int d = 1;
    while (v >= 10) { v /= 10; d++; }
    return d;
}

/* The matrix's columns in r: the name column's width *nw, each cell's *cw columns and *ch rows; the
 * largest count. A cell is one row, as wide as its count, until r has rows to spare beyond the summary,
 * the matrix, a blank line and the metrics table: then up to 3 rows a cell, 6 columns a row of it
 * while the width allows, and more rows (up to 8) while it stays twice as many columns wide. */
static int layout(ui_rect r, const int *cm, int k, const char (*names)[NN_NAME_MAX], int *nw_out, int *cw_out,
                  int *ch_out)
{
    int maxc = 0;
    for (int i = 0; i < k * k; i++)
        if (cm[i] > maxc)
            maxc = cm[i];
    /* name column, then k cells */
    int nw = 0;
    for (int i = 0; i < k; i++) {
        int w = (int)strlen(names[i]);
        if (w > nw) nw = w;
    }
    if (nw < 6) nw = 6;
    if (nw > 12) nw = 12;
    int cw = digits(maxc) + 2;
    if (cw < 4) cw = 4;
    int ch = 1 + (r.h - (2 + k) - (2 + k)) / k;
    /* beyond 3 rows a cell (a tall view, 220x60, was half empty) only while the cell stays at least
     * twice as many columns wide (a terminal cell is about twice as tall as wide), and with a row
     * kept for the line under the metrics' sparklines */
    int chmax = (r.w - nw - 1) / k / 2;
    if (chmax > 8) chmax = 8;
    if (ch > 3) {
        ch = 1 + (r.h - (2 + k) - (3 + k)) / k;
        if (ch > chmax) ch = chmax;
        if (ch < 3) ch = 3;
    }
    if (ch < 1) ch = 1;
    if (ch > 1 && cw < 6 * ch)
        cw = (r.w - nw - 1) / k < 6 * ch ? (r.w - nw - 1) / k : 6 * ch;
    if (cw < digits(maxc) + 2)
        cw = digits(maxc) + 2 < 4 ? 4 : digits(maxc) + 2;
    if (nw + 1 + k * cw > r.w) {
        cw = (r.w - nw - 1) / k;
        if (cw < 2) {
            nw = r.w - 1 - 2 * k;
            cw = 2;
        }
    }
    if (nw < 2)
        nw = 2;
    *nw_out = nw;
    *cw_out = cw;
    *ch_out = ch;
    return maxc;
}

bool ui_heatmap_cell_at(ui_rect r, const int *cm, int k, const char (*names)[NN_NAME_MAX], int x, int y, int *a,
                        int *p)
{
    if (k <= 0 || r.w < 10)
        return false;
    int nw, cw, ch;
    layout(r, cm, k, names, &nw, &cw, &ch);
    int dy = y - (r.y + 2), i = dy >= 0 ? dy / ch : -1, j = x - (r.x + nw + 1);
    if (i < 0 || i >= k || dy + 2 >= r.h || j < 0 || j >= k * cw)
        return false;
    *a = i;
    *p = j / cw;
    return true;
}

int ui_heatmap_metrics_at(ui_rect r, const int *cm, int k, const char (*names)[NN_NAME_MAX], int *x_end)
{
    if (k <= 0 || r.w < 10)
        return -1;
    int nw, cw, ch;
    layout(r, cm, k, names, &nw, &cw, &ch);
    int y = r.y + 2 + k * ch, y_end = r.y + r.h;   /* as ui_heatmap_confusion lays it out */
    if (y + 2 > y_end)
        return -1;
    if (y + 2 + k <= y_end)
        y++;
    *x_end = r.x + nw + 30;
    return y + 1;
}

int ui_heatmap_matrix_end(ui_rect r, const int *cm, int k, const char (*names)[NN_NAME_MAX])
{
    if (k <= 0 || r.w < 10)
        return r.y;
    int nw, cw, ch;
    layout(r, cm, k, names, &nw, &cw, &ch);
    int y = r.y + 2 + k * ch;
    return y < r.y + r.h ? y : r.y + r.h;
}

void ui_heatmap_mark(ui_grid *g, ui_rect r, const int *cm, int k, const char (*names)[NN_NAME_MAX], int a, int p)
{
    if (k <= 0 || r.w < 10 || a < 0 || p < 0 || a >= k || p >= k)
        return;
    int nw, cw, ch;
    layout(r, cm, k, names, &nw, &cw, &ch);
    if (a * ch + 2 >= r.h)
        return;
    /* reverse video alone reads like the diagonal's: the cell is also underlined and, where its
     * first column is blank, pointed at (U+25B6, '>' in ASCII) on the count's row */
    for (int dy = 0; dy < ch && a * ch + dy + 2 < r.h; dy++)
        for (int x = 0; x < cw; x++) {
            ui_cell *c = ui_grid_at(g, r.x + nw + 1 + p * cw + x, r.y + 2 + a * ch + dy);
            if (!c)
                continue;
            c->attr ^= UI_A_REVERSE;
            c->attr |= UI_A_UNDERLINE;
            if (x == 0 && dy == ch / 2 && c->ch == ' ')
                c->ch = g->ascii ? '>' : 0x25B6;
        }
}

void ui_heatmap_confusion(ui_grid *g, ui_rect r, const int *cm, int k, const char (*names)[NN_NAME_MAX],
                          const nn_class_metrics *m, const ui_theme *th)
{
    if (k <= 0 || r.w < 10 || r.h < 1)
        return;
    ui_style txt = ui_st(th, UI_R_TEXT), lab = ui_st(th, UI_R_LABEL), val = ui_st(th, UI_R_VALUE);
    ui_style dim = ui_st(th, UI_R_DIM);
    int y = r.y, y_end = r.y + r.h;

    int x = r.x;
    x += ui_grid_text(g, x, y, r.w, "accuracy ", lab);
    x += ui_grid_printf(g, x, y, r.x + r.w - x, val, "%.1f%%", 100.0 * m->accuracy);
    x += ui_grid_printf(g, x, y, r.x + r.w - x, dim, " (%ld/%ld)", m->correct, m->total);
    x += ui_grid_text(g, x, y, r.x + r.w - x, "  macro F1 ", lab);
    ui_grid_printf(g, x, y, r.x + r.w - x, val, "%.3f", m->macro_f1);
    if (++y >= y_end)
        return;
    int nw, cw, ch;
    int maxc = layout(r, cm, k, names, &nw, &cw, &ch);
    bool counts = cw >= digits(maxc) + 1;
    /* header: predicted class initials / indices */
    ui_grid_printf(g, r.x, y, nw, dim, "%-*s", nw, "act\\pred");
    /* column heads: the names cut to the cell, or the class numbers when cut names collide */
    bool numbers = false;
    for (int i = 0; i < k && !numbers; i++)
        for (int j = i + 1; j < k && !numbers; j++)
            numbers = strncmp(names[i], names[j], (size_t)(cw - 1)) == 0;
    for (int j = 0; j < k; j++) {
        char h[16];
        if (numbers)
            snprintf(h, sizeof h, "%d", j);
        else
            snprintf(h, sizeof h, "%.*s", cw - 1, names[j]);
        int pad = ch > 1 ? (cw - (int)strlen(h)) / 2 : 0;   /* over the counts: centred in tall cells */
        ui_grid_printf(g, r.x + nw + 1 + j * cw + pad, y, cw - pad, dim, "%*s", ch > 1 ? (int)strlen(h) : cw - 1, h);
    }
    y++;
    for (int i = 0; i < k && y < y_end; i++, y += ch) {
        int mid = y + ch / 2 < y_end ? y + ch / 2 : y;   /* the name and the counts: the cell's middle row */
        if (numbers) {
            char nm[NN_NAME_MAX + 8];
            snprintf(nm, sizeof nm, "%d %s", i, names[i]);
            ui_grid_printf(g, r.x, mid, nw, lab, "%-*.*s", nw, nw, nm);
        } else {
            ui_grid_printf(g, r.x, mid, nw, lab, "%-*.*s", nw, nw, names[i]);
        }
        long row = 0;
        for (int j = 0; j < k; j++)
            row += cm[i * k + j];
        int rows = y + ch <= y_end ? ch : y_end - y;
        for (int j = 0; j < k; j++) {
            int c = cm[i * k + j];
            double frac = row > 0 ? (double)c / (double)row : 0;
            ui_style hs = ui_theme_heat(th, frac);
            if (i == j && th->heat_n == 0)
                hs.attr |= UI_A_UNDERLINE;
            int cx = r.x + nw + 1 + j * cw;
            ui_grid_fill(g, ui_rect_make(cx, y, cw, rows), ' ', hs);
            /* one-row cells right-aligned as a table's numbers; taller ones centred */
            int pad = ch > 1 ? (cw - digits(c)) / 2 : 0;
            if (counts)
                ui_grid_printf(g, cx + pad, mid, cw - pad, hs, "%*d ", ch > 1 ? digits(c) : cw - 1, c);
        }
    }
    if (y > y_end)
        y = y_end;
    if (y + 2 > y_end)
        return;
    if (y + 2 + k <= y_end)   /* a blank line between the tables when everything still fits */
        y++;
    ui_grid_printf(g, r.x, y, r.w, dim, "%-*s %9s %9s %9s", nw, "class", "precision", "recall", "F1");
    y++;
    for (int i = 0; i < k && y < y_end; i++, y++) {
        ui_grid_printf(g, r.x, y, nw, lab, "%-*.*s", nw, nw, names[i]);
        ui_grid_printf(g, r.x + nw, y, r.w - nw, txt, " %9.3f %9.3f %9.3f", m->precision[i], m->recall[i],
                       m->f1[i]);
    }
}
