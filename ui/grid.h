/* grid.h — a plain cell grid that every view draws into, with no terminal behind it:
 * tests assert on its cells, and blit.c copies it to curses. Pure; any thread, but each grid
 * belongs to one. Colours are terminal colour numbers (-1 = the terminal's default). */
#ifndef UI_GRID_H_INCLUDED
#define UI_GRID_H_INCLUDED

#include <stdbool.h>
#include <stdint.h>

enum { UI_A_BOLD = 1, UI_A_REVERSE = 2, UI_A_UNDERLINE = 4, UI_A_DIM = 8 };

typedef struct {
    uint32_t ch;          /* Unicode code point; 0 = the right half of a wide glyph (unused) */
    int16_t fg, bg;       /* colour numbers, -1 = default */
    uint16_t attr;        /* UI_A_* bits */
    uint32_t comb;        /* a combining mark drawn over ch (the hat of m̂), 0 = none */
} ui_cell;

typedef struct {
    int w, h;
    ui_cell *cells;       /* (h, w) row-major */
    bool ascii;           /* the ellipsis of cut text is '>' instead of U+2026 (false after init) */
} ui_grid;

typedef struct { int x, y, w, h; } ui_rect;

/* A colour and attribute triple, as the theme hands them out. */
typedef struct { int16_t fg, bg; uint16_t attr; } ui_style;

/* Allocates a w x h grid of blanks. Returns false on allocation failure (grid left empty). */
bool ui_grid_init(ui_grid *g, int w, int h);
void ui_grid_free(ui_grid *g);   /* zeroed is fine; idempotent */
/* Reallocates to w x h if the size differs, and clears. */
bool ui_grid_resize(ui_grid *g, int w, int h);

void ui_grid_clear(ui_grid *g, ui_style s);
/* NULL outside the grid. */
ui_cell *ui_grid_at(ui_grid *g, int x, int y);
const ui_cell *ui_grid_cat(const ui_grid *g, int x, int y);
void ui_grid_put(ui_grid *g, int x, int y, uint32_t ch, ui_style s);
/* Writes UTF-8 text from (x, y), at most maxw columns (clipped to the grid). Returns the
 * columns written. Control characters become '?'. Text cut short (more than blanks left over)
 * ends in an ellipsis in its last column (ui_grid_ellipsis): nothing is cut without one. */
int ui_grid_text(ui_grid *g, int x, int y, int maxw, const char *utf8, ui_style s);
/* The same cut plainly, without the ellipsis: for a window over longer text (the line editor). */
int ui_grid_clip(ui_grid *g, int x, int y, int maxw, const char *utf8, ui_style s);
/* printf into the grid; returns columns written. */
int ui_grid_printf(ui_grid *g, int x, int y, int maxw, ui_style s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
/* Word-wraps UTF-8 text into at most rows lines of w columns from (x, y) (long words are cut).
 * Text left over after the last row ends that row with an ellipsis. Returns the lines used. */
int ui_grid_wrap(ui_grid *g, int x, int y, int w, int rows, const char *utf8, ui_style s);
/* The glyph that ends cut text: U+2026, or '>' in an ASCII grid. */
uint32_t ui_grid_ellipsis(const ui_grid *g);
/* Marks the cell (x, y), the last one text was written to, as cut: the ellipsis in its style. */
void ui_grid_mark_cut(ui_grid *g, int x, int y);
/* True if UTF-8 text has anything but blanks. */
bool ui_text_has_ink(const char *utf8);
/* Lines ui_grid_wrap takes for utf8 at width w, with rows enough. */
int ui_wrap_lines(const char *utf8, int w);
void ui_grid_fill(ui_grid *g, ui_rect r, uint32_t ch, ui_style s);
/* A frame around r with a title at the top left; ascii: +-| instead of box drawing. */
void ui_grid_box(ui_grid *g, ui_rect r, const char *title, ui_style border, ui_style title_style,
                 bool ascii);
/* The text of row y from x0, w cells, as UTF-8 into out (for tests and debugging). */
void ui_grid_row_text(const ui_grid *g, int y, int x0, int w, char *out, int outlen);

/* Columns a UTF-8 string takes (one per code point: nnterm only uses single-width glyphs). */
int ui_utf8_width(const char *s);
/* Decodes one UTF-8 sequence at s into *cp (malformed: '?'); returns the bytes used (>= 1). */
int ui_utf8_decode(const unsigned char *s, uint32_t *cp);
/* Encodes one code point; returns bytes (1..4). out needs 5 bytes; NUL-terminated. */
int ui_utf8_encode(uint32_t cp, char *out);

static inline ui_rect ui_rect_make(int x, int y, int w, int h) { ui_rect r = {x, y, w, h}; return r; }
static inline bool ui_rect_has(ui_rect r, int x, int y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

#endif
