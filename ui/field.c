/* field.c — the line editor (see field.h). */
#include "field.h"

#include <string.h>

static bool cont(char c) { return ((unsigned char)c & 0xC0) == 0x80; }

void ui_field_set(ui_field *f, const char *text)
{
    size_t n = strlen(text);
    if (n >= UI_FIELD_MAX)
        n = UI_FIELD_MAX - 1;
    while (n > 0 && cont(text[n]))   /* never cut a code point */
        n--;
    memcpy(f->buf, text, n);
    f->buf[n] = 0;
    f->len = f->cur = (int)n;
    f->fresh = false;
}

void ui_field_select(ui_field *f) { f->fresh = f->len > 0; }

void ui_field_insert(ui_field *f, int byte)
{
    if (byte <= 0 || byte > 255)
        return;
    if (f->fresh) {   /* typing over the selected text */
        f->buf[0] = '\0';
        f->len = f->cur = 0;
        f->fresh = false;
    }
    if (f->len + 1 >= UI_FIELD_MAX)
        return;
    memmove(f->buf + f->cur + 1, f->buf + f->cur, (size_t)(f->len - f->cur + 1));
    f->buf[f->cur++] = (char)byte;
    f->len++;
}

void ui_field_left(ui_field *f)
{
    f->fresh = false;
    if (f->cur == 0)
        return;
    do f->cur--; while (f->cur > 0 && cont(f->buf[f->cur]));
}

void ui_field_right(ui_field *f)
{
    f->fresh = false;
    if (f->cur >= f->len)
        return;
    do f->cur++; while (f->cur < f->len && cont(f->buf[f->cur]));
}

void ui_field_backspace(ui_field *f)
{
    f->fresh = false;
    int end = f->cur;
    ui_field_left(f);
    memmove(f->buf + f->cur, f->buf + end, (size_t)(f->len - end + 1));
    f->len -= end - f->cur;
}

void ui_field_delete(ui_field *f)
{
    f->fresh = false;
    if (f->cur >= f->len)
        return;
    int start = f->cur;
    ui_field_right(f);
    int end = f->cur;
    memmove(f->buf + start, f->buf + end, (size_t)(f->len - end + 1));
    f->len -= end - start;
    f->cur = start;
}

void ui_field_home(ui_field *f)
{
    f->cur = 0;
    f->fresh = false;
}

void ui_field_end(ui_field *f)
{
    f->cur = f->len;
    f->fresh = false;
}

/* Deletes bytes [from, f->cur) (from on a code point boundary) and leaves the cursor at from. */
static void cut_before(ui_field *f, int from)
{
    f->fresh = false;
    memmove(f->buf + from, f->buf + f->cur, (size_t)(f->len - f->cur + 1));
    f->len -= f->cur - from;
    f->cur = from;
}

void ui_field_kill_start(ui_field *f) { cut_before(f, 0); }

void ui_field_kill_end(ui_field *f)
{
    f->fresh = false;
    f->len = f->cur;
    f->buf[f->len] = '\0';
}

void ui_field_kill_word(ui_field *f)
{
    f->fresh = false;
    int from = f->cur;
    while (from > 0 && f->buf[from - 1] == ' ')
        from--;
    while (from > 0 && f->buf[from - 1] != ' ')
        from--;   /* a space is one byte: any other byte, UTF-8 continuation bytes too, is the word */
    cut_before(f, from);
}

void ui_field_draw(const ui_field *f, ui_grid *g, int x, int y, int w, ui_style s, ui_style cursor_style)
{
    if (w <= 0)
        return;
    /* column of the cursor */
    int ccol = 0;
    for (int i = 0; i < f->cur; i++)
        if (!cont(f->buf[i]))
            ccol++;
    int skip = ccol >= w ? ccol - w + 1 : 0;
    ui_rect r = {x, y, w, 1};
    ui_grid_fill(g, r, ' ', s);
    const char *p = f->buf;
    for (int c = 0; c < skip && *p; c++)
        do p++; while (*p && cont(*p));
    ui_grid_clip(g, x, y, w, p, f->fresh ? cursor_style : s);   /* a window over the text: the cursor scrolls
                                                                    it; selected, in the cursor's style */
    /* text hidden on either side is marked there, unless the cursor stands on that cell */
    int right_cols = 0;
    for (const char *q = p; *q; q++)
        if (!cont(*q))
            right_cols++;
    if (skip > 0 && w > 1)
        ui_grid_put(g, x, y, g->ascii ? '<' : 0x2026, s);
    if (right_cols > w && ccol - skip != w - 1 && w > 1)
        ui_grid_put(g, x + w - 1, y, ui_grid_ellipsis(g), s);
    ui_cell *cc = ui_grid_at(g, x + ccol - skip, y);
    if (cc) {
        cc->fg = cursor_style.fg;
        cc->bg = cursor_style.bg;
        cc->attr = cursor_style.attr;
    }
}
