/* blit.c — the only place that draws with curses: copies a frame grid to stdscr, turning
 * (fg, bg) into colour pairs with alloc_pair (cached here), and UI_A_* into curses attributes.
 * Main thread only. */
#include "term.h"

#include <curses.h>
#include <string.h>
#include <wchar.h>

#define NCOL 258
static short pair_cache[NCOL * NCOL];   /* 0 = not yet allocated; (fg+1)*NCOL + bg+1 */
static bool cache_ok;

void ui_blit_reset(void)
{
    memset(pair_cache, 0, sizeof pair_cache);
    cache_ok = true;
}

static int pair_for(int fg, int bg)
{
    if (fg < -1 || bg < -1 || fg >= NCOL - 1 || bg >= NCOL - 1 || !has_colors())
        return 0;
    if (fg == -1 && bg == -1)
        return 0;
    if (!cache_ok)
        ui_blit_reset();
    short *slot = &pair_cache[(fg + 1) * NCOL + (bg + 1)];
    if (*slot == 0) {
        int p = alloc_pair(fg, bg);
        *slot = (short)(p > 0 ? p : -1);
    }
    return *slot > 0 ? *slot : 0;
}

void ui_blit(const ui_grid *g, bool utf8)
{
    int maxy = getmaxy(stdscr), maxx = getmaxx(stdscr);
    for (int y = 0; y < g->h && y < maxy; y++)
        for (int x = 0; x < g->w && x < maxx; x++) {
            const ui_cell *c = &g->cells[y * g->w + x];
            attr_t at = 0;
            if (c->attr & UI_A_BOLD) at |= A_BOLD;
            if (c->attr & UI_A_REVERSE) at |= A_REVERSE;
            if (c->attr & UI_A_UNDERLINE) at |= A_UNDERLINE;
            if (c->attr & UI_A_DIM) at |= A_DIM;
            uint32_t ch = c->ch ? c->ch : ' ';
            if (!utf8 && ch > 126)
                ch = '?';
            wchar_t wc[3] = {(wchar_t)ch, (wchar_t)(utf8 ? c->comb : 0), 0};   /* a base and its mark */
            cchar_t cc;
            int pair = pair_for(c->fg, c->bg);
            setcchar(&cc, wc, at, (short)pair, NULL);
            mvwadd_wch(stdscr, y, x, &cc);
        }
    wnoutrefresh(stdscr);
}
