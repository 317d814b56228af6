/* grid.c — the cell grid views draw into (see grid.h). */
#include "grid.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool ui_grid_init(ui_grid *g, int w, int h)
{
    g->w = g->h = 0;
    g->ascii = false;
    g->cells = NULL;
    if (w <= 0 || h <= 0)
        return true;
    g->cells = calloc((size_t)w * (size_t)h, sizeof *g->cells);
    if (!g->cells)
        return false;
    g->w = w;
    g->h = h;
    ui_style s = {-1, -1, 0};
    ui_grid_clear(g, s);
    return true;
}

void ui_grid_free(ui_grid *g)
{
    free(g->cells);
    g->cells = NULL;
    g->w = g->h = 0;
}

bool ui_grid_resize(ui_grid *g, int w, int h)
{
    if (g->cells && g->w == w && g->h == h) {
        ui_style s = {-1, -1, 0};
        ui_grid_clear(g, s);
        return true;
    }
    ui_grid_free(g);
    return ui_grid_init(g, w, h);
}

void ui_grid_clear(ui_grid *g, ui_style s)
{
    for (int i = 0; i < g->w * g->h; i++) {
        g->cells[i].ch = ' ';
        g->cells[i].fg = s.fg;
        g->cells[i].bg = s.bg;
        g->cells[i].attr = s.attr;
        g->cells[i].comb = 0;
    }
}

ui_cell *ui_grid_at(ui_grid *g, int x, int y)
{
    if (x < 0 || y < 0 || x >= g->w || y >= g->h)
        return NULL;
    return &g->cells[y * g->w + x];
}

const ui_cell *ui_grid_cat(const ui_grid *g, int x, int y)
{
    if (x < 0 || y < 0 || x >= g->w || y >= g->h)
        return NULL;
    return &g->cells[y * g->w + x];
}

void ui_grid_put(ui_grid *g, int x, int y, uint32_t ch, ui_style s)
{
    ui_cell *c = ui_grid_at(g, x, y);
    if (!c)
        return;
    c->ch = ch;
    c->comb = 0;
    c->fg = s.fg;
    c->bg = s.bg;
    c->attr = s.attr;
}

/* Decodes one code point from s; returns bytes used (>= 1). Invalid bytes decode as '?'. */
int ui_utf8_decode(const unsigned char *s, uint32_t *cp)
{
    unsigned c = s[0];
    int n;
    uint32_t v;
    if (c < 0x80) { *cp = c; return 1; }
    if ((c & 0xE0) == 0xC0) { n = 2; v = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { n = 3; v = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { n = 4; v = c & 0x07; }
    else { *cp = '?'; return 1; }
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) { *cp = '?'; return i; }
        v = (v << 6) | (s[i] & 0x3F);
    }
    *cp = v;
    return n;
}

uint32_t ui_grid_ellipsis(const ui_grid *g)
{
    return g->ascii ? '>' : 0x2026;
}

void ui_grid_mark_cut(ui_grid *g, int x, int y)
{
    ui_cell *c = ui_grid_at(g, x, y);
    if (c) {
        c->ch = ui_grid_ellipsis(g);
        c->comb = 0;
    }
}

bool ui_text_has_ink(const char *utf8)
{
    for (const char *p = utf8; *p; p++)
        if (*p != ' ')
            return true;
    return false;
}

static int grid_text(ui_grid *g, int x, int y, int maxw, const char *utf8, ui_style s, bool mark)
{
    const unsigned char *p = (const unsigned char *)utf8;
    int col = 0;
    while (*p && col < maxw && x + col < g->w) {
        uint32_t cp;
        p += ui_utf8_decode(p, &cp);
        if (cp < 0x20 || cp == 0x7F)
            cp = '?';
        ui_grid_put(g, x + col, y, cp, s);
        col++;
    }
    if (mark && col > 0 && ui_text_has_ink((const char *)p))
        ui_grid_mark_cut(g, x + col - 1, y);
    return col;
}

int ui_grid_text(ui_grid *g, int x, int y, int maxw, const char *utf8, ui_style s)
{
    return grid_text(g, x, y, maxw, utf8, s, true);
}

int ui_grid_clip(ui_grid *g, int x, int y, int maxw, const char *utf8, ui_style s)
{
    return grid_text(g, x, y, maxw, utf8, s, false);
}

int ui_grid_printf(ui_grid *g, int x, int y, int maxw, ui_style s, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return ui_grid_text(g, x, y, maxw, buf, s);
}

void ui_grid_fill(ui_grid *g, ui_rect r, uint32_t ch, ui_style s)
{
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++)
            ui_grid_put(g, x, y, ch, s);
}

void ui_grid_box(ui_grid *g, ui_rect r, const char *title, ui_style border, ui_style title_style,
                 bool ascii)
{
    if (r.w < 2 || r.h < 1)
        return;
    uint32_t h = ascii ? '-' : 0x2500, v = ascii ? '|' : 0x2502;
    uint32_t tl = ascii ? '+' : 0x256D, tr = ascii ? '+' : 0x256E;
    uint32_t bl = ascii ? '+' : 0x2570, br = ascii ? '+' : 0x256F;
    int x1 = r.x + r.w - 1, y1 = r.y + r.h - 1;
    for (int x = r.x + 1; x < x1; x++) {
        ui_grid_put(g, x, r.y, h, border);
        if (r.h > 1)
            ui_grid_put(g, x, y1, h, border);
    }
    for (int y = r.y + 1; y < y1; y++) {
        ui_grid_put(g, r.x, y, v, border);
        ui_grid_put(g, x1, y, v, border);
    }
    ui_grid_put(g, r.x, r.y, tl, border);
    ui_grid_put(g, x1, r.y, tr, border);
    if (r.h > 1) {
        ui_grid_put(g, r.x, y1, bl, border);
        ui_grid_put(g, x1, y1, br, border);
    }
    if (title && *title && r.w > 4) {
        ui_grid_put(g, r.x + 1, r.y, ' ', border);
        int n = ui_grid_text(g, r.x + 2, r.y, r.w - 4, title, title_style);
        ui_grid_put(g, r.x + 2 + n, r.y, ' ', border);
    }
}

int ui_utf8_encode(uint32_t cp, char *out)
{
    int n;
    if (cp < 0x80) { out[0] = (char)cp; n = 1; }
    else if (cp < 0x800) { out[0] = (char)(0xC0 | (cp >> 6)); out[1] = (char)(0x80 | (cp & 0x3F)); n = 2; }
    else if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12)); out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F)); n = 3;
    } else {
        out[0] = (char)(0xF0 | (cp >> 18)); out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); out[3] = (char)(0x80 | (cp & 0x3F)); n = 4;
    }
    out[n] = 0;
    return n;
}

void ui_grid_row_text(const ui_grid *g, int y, int x0, int w, char *out, int outlen)
{
    int len = 0;
    out[0] = 0;
    for (int x = x0; x < x0 + w; x++) {
        const ui_cell *c = ui_grid_cat(g, x, y);
        if (!c)
            break;
        char b[5];
        int n = ui_utf8_encode(c->ch ? c->ch : ' ', b);
        if (len + n >= outlen)
            break;
        memcpy(out + len, b, (size_t)n + 1);
        len += n;
        if (c->comb) {
            n = ui_utf8_encode(c->comb, b);
            if (len + n >= outlen)
                break;
            memcpy(out + len, b, (size_t)n + 1);
            len += n;
        }
    }
}

int ui_utf8_width(const char *s)
{
    int n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80)
            n++;
    return n;
}

int ui_grid_wrap(ui_grid *g, int x, int y, int w, int rows, const char *utf8, ui_style s)
{
    const char *p = utf8;
    int line = 0;
    char buf[1024];
    while (*p && line < rows && w > 0) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        /* take up to w code points, then back up to the last space if the line is cut mid-word */
        const char *q = p, *cut = NULL;
        int cols = 0;
        while (*q && cols < w) {
            if (*q == ' ')
                cut = q;
            q++;
            while (((unsigned char)*q & 0xC0) == 0x80)
                q++;
            cols++;
        }
        const char *end = q;
        if (*q && *q != ' ' && cut && cut > p)
            end = cut;
        size_t n = (size_t)(end - p);
        if (n >= sizeof buf)
            n = sizeof buf - 1;
        memcpy(buf, p, n);
        buf[n] = 0;
        int done = ui_grid_text(g, x, y + line, w, buf, s);
        line++;
        p = end;
        if (line == rows && ui_text_has_ink(p) && done > 0) {
            /* more text than rows: the last row says so */
            if (done < w)
                ui_grid_put(g, x + done, y + line - 1, ui_grid_ellipsis(g), s);
            else
                ui_grid_mark_cut(g, x + done - 1, y + line - 1);
        }
    }
    return line;
}

int ui_wrap_lines(const char *utf8, int w)
{
    ui_grid none = {0, 0, NULL, false};   /* draws nothing: only the lines are counted */
    ui_style s = {-1, -1, 0};
    return ui_grid_wrap(&none, 0, 0, w, 1 << 20, utf8, s);
}
