/* view_fixture.h — what the view tests share: a snapshot, a theme and a grid (static: the snapshot is
 * large), their setup and teardown, and the ways to read cells and rows back. Include after cmocka.h
 * and "views.h"; each test's setup calls fixture_setup with its grid's size. */
#ifndef VIEW_FIXTURE_H
#define VIEW_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

static ui_snapshot snap;
static ui_theme th;
static ui_grid g;

/* A zeroed snapshot, the 256-colour UTF-8 theme and a w x h grid; 0 or -1 for cmocka. */
static inline int fixture_setup(int w, int h)
{
    memset(&snap, 0, sizeof snap);
    ui_theme_init(&th, UI_COLOR_256, true);
    return ui_grid_init(&g, w, h) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ui_grid_free(&g);
    return 0;
}

static inline const ui_cell *at(int x, int y) { return ui_grid_cat(&g, x, y); }

static inline void assert_cell(int x, int y, uint32_t ch, int fg, int bg)
{
    const ui_cell *c = at(x, y);
    assert_non_null(c);
    if (c->ch != ch || c->fg != fg || c->bg != bg)
        fail_msg("cell (%d,%d): U+%04X fg %d bg %d, want U+%04X fg %d bg %d", x, y, c->ch, c->fg, c->bg, ch, fg, bg);
}

static inline bool row_has(int y, const char *needle)
{
    char text[2048];
    ui_grid_row_text(&g, y, 0, g.w, text, sizeof text);
    return strstr(text, needle) != NULL;
}

static inline int find_row(const char *needle)
{
    for (int y = 0; y < g.h; y++)
        if (row_has(y, needle))
            return y;
    return -1;
}

/* row y from x0, w cells, without its trailing blanks */
static inline void row(int y, int x0, int w, char *out, int n)
{
    ui_grid_row_text(&g, y, x0, w, out, n);
    for (size_t k = strlen(out); k > 0 && out[k - 1] == ' '; k--)
        out[k - 1] = 0;
}

static inline void clear(void) { ui_grid_clear(&g, ui_st(&th, UI_R_TEXT)); }

#endif
