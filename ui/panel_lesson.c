/* panel_lesson.c — the Lesson view: a lesson preset's title, its text (paragraphs word-wrapped,
 * scrolled with Up/Down, PgUp/PgDn, Home) and the keys it locks (edits to them are refused with a
 * message). */
#include "panel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Calls the wrapper over each paragraph of text; with g == NULL it only counts lines. */
static int layout(ui_grid *g, int x, int y0, int w, int skip, int rows, const char *text, ui_style s)
{
    int line = 0;
    const char *p = text;
    char para[4096];
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n >= sizeof para)
            n = sizeof para - 1;
        memcpy(para, p, n);
        para[n] = 0;
        /* lay the paragraph out word by word */
        const char *q = para;
        if (!*q)
            line++;   /* an empty line between paragraphs */
        while (*q) {
            int col = 0;
            const char *start = q, *cut = q;
            while (*q && col <= w) {
                if (*q == ' ')
                    cut = q;
                if ((*q & 0xC0) != 0x80)
                    col++;
                if (col > w)
                    break;
                q++;
            }
            if (!*q) {
                cut = q;
            } else if (cut == start) {
                cut = q;   /* a word longer than the line: cut it */
            }
            if (g && line >= skip && line - skip < rows) {
                char buf[4096];
                size_t len = (size_t)(cut - start);
                memcpy(buf, start, len);
                buf[len] = 0;
                ui_text_cols(g, x, y0 + line - skip, w, buf, s);
            }
            line++;
            q = cut;
            while (*q == ' ')
                q++;
        }
        if (!e)
            break;
        p = e + 1;
    }
    return line;
}

const char *ui_lesson_presets(void)
{
    static char list[768];   /* the built-in presets do not change: listed once */
    if (list[0])
        return list;
    nn_preset *p = malloc(sizeof *p);
    size_t len = 0;
    int n = 0;
    for (int i = 0; p && i < nn_preset_builtin_count(); i++) {
        const char *name = nn_preset_builtin_name(i);
        if (nn_preset_load(p, name, NULL, NULL) != NN_OK || !p->lesson.present)
            continue;
        int w = snprintf(list + len, sizeof list - len, "%s%s", n++ ? ", " : "", name);
        if (w < 0 || (size_t)w >= sizeof list - len)
            break;
        len += (size_t)w;
    }
    free(p);
    if (!list[0])
        snprintf(list, sizeof list, "none");
    return list;
}

int ui_lesson_lines(const nn_preset *p, int w)
{
    if (!p->lesson.present || w < 4)
        return 0;
    return layout(NULL, 0, 0, w, 0, 0, p->lesson.text, (ui_style){-1, -1, 0});
}

/* The lesson's text as drawn (ASCII mode: its few non-ASCII symbols spelled out) into out. */
static const char *lesson_text(const nn_preset *p, bool utf8, char *out, int n)
{
    if (utf8)
        return p->lesson.text;
    ui_ascii_fold(p->lesson.text, out, n);
    return out;
}

/* The lines of the text shown at once in the view's content rectangle r (below the title, above the
 * locked keys; when the text does not fit, above the line that says there is more) and the lines of
 * the text in all; draw and key share them, so a page is what shows. */
static void geometry(ui_rect r, const nn_preset *p, const char *tx, int *rows, int *total)
{
    int lockrows = p->lesson.n_locked > 0 && r.h >= 6 ? 2 : 0;
    int avail = r.h - 1 - lockrows;
    *total = layout(NULL, 0, 0, r.w - 1, 0, 0, tx, (ui_style){-1, -1, 0});
    *rows = *total > avail && avail >= 3 ? avail - 1 : avail;
}

void ui_lesson_panel(ui_grid *g, ui_rect r, const nn_preset *p, const ui_views *v, const ui_theme *th, bool focused)
{
    ui_style dim = ui_st(th, UI_R_DIM);
    if (r.w < 10 || r.h < 1)
        return;
    if (!p->lesson.present) {
        char b[1024];
        snprintf(b, sizeof b, "This preset has no lesson. The presets with a lesson: %s. Open one with l.",
                 ui_lesson_presets());
        ui_grid_wrap(g, r.x, r.y, r.w, r.h, b, dim);
        return;
    }
    int y = r.y, ye = r.y + r.h;
    /* ASCII mode: the text's few non-ASCII symbols spelled out */
    static char text[2 * sizeof p->lesson.text], title[2 * sizeof p->lesson.title];
    const char *tx = lesson_text(p, th->utf8, text, (int)sizeof text), *ti = p->lesson.title;
    if (!th->utf8) {
        ui_ascii_fold(ti, title, (int)sizeof title);
        ti = title;
    }
    ui_text_cols(g, r.x, y++, r.w, ti, ui_st(th, UI_R_TITLE_FOCUS));
    /* the locked keys at the bottom */
    char locked[512] = "";
    int len = 0;
    for (int i = 0; i < p->lesson.n_locked && len < (int)sizeof locked - 100; i++)
        len += snprintf(locked + len, sizeof locked - (size_t)len, "%s%s", i ? ", " : "", p->lesson.locked[i]);
    int lockrows = p->lesson.n_locked > 0 && r.h >= 6 ? 2 : 0;
    int rows, total;
    geometry(r, p, tx, &rows, &total);
    if (rows < 1)
        return;
    int skip = v->lesson_scroll;
    if (skip > total - rows)
        skip = total - rows;
    if (skip < 0)
        skip = 0;
    layout(g, r.x, y, r.w - 1, skip, rows, tx, ui_st(th, UI_R_TEXT));
    if (total > rows) {
        /* a scroll mark in the last column */
        int pos = (int)((long)skip * (rows - 1) / (total - rows > 0 ? total - rows : 1));
        ui_grid_put(g, r.x + r.w - 1, y + pos, th->utf8 ? 0x2590 : '#', dim);
        /* under the text, what is left and the key that shows it (issue 14: at 80x24 the text
         * stopped mid-sentence with only the mark to say so) */
        int left = total - skip - rows;
        if (left > 0 && rows < r.h - 1 - lockrows) {
            char b[96];
            snprintf(b, sizeof b, "%s %d more line%s: %s", th->utf8 ? "\xe2\x96\xbe" : "v", left, left == 1 ? "" : "s",
                     focused ? "PgDn" : "i, then PgDn");
            ui_text_cols(g, r.x, y + rows, r.w - 1, b, ui_st(th, UI_R_LABEL));
        }
    }
    if (lockrows) {
        char b[600];
        snprintf(b, sizeof b, "locked by the lesson (# in the panels): %s", locked);
        ui_grid_wrap(g, r.x, ye - lockrows, r.w, lockrows, b, dim);
    }
}

/* ---- the view in the slot ---- */

static void draw(ui_grid *g, ui_rect r, const ui_model *m)
{
    /* the keys reach the view when its slot has the focus */
    ui_rect fr = ui_model_frame(m);
    bool focused = m->lay && m->focus >= 0 && m->focus < UI_P_COUNT &&
                   memcmp(&m->lay->panel[m->focus], &fr, sizeof fr) == 0;
    ui_lesson_panel(g, r, m->draft, m->views, m->th, focused);
}

static unsigned key(ui_views *v, const ui_model *m, ui_cmd c, ui_intent *out)
{
    (void)out;
    /* the view's content: the slot inside its frame, as the frame draws it */
    ui_rect fr = ui_model_frame(m);
    static char text[2 * sizeof m->draft->lesson.text];
    int rows, total;
    geometry(ui_rect_make(fr.x + 1, fr.y + 1, fr.w - 2, fr.h - 2), m->draft,
             lesson_text(m->draft, m->th->utf8, text, (int)sizeof text), &rows, &total);
    int page = rows > 1 ? rows : 1;   /* a page is what shows: the next starts at the line after it */
    if (c.act == UI_ACT_UP) v->lesson_scroll--;
    else if (c.act == UI_ACT_DOWN) v->lesson_scroll++;
    else if (c.act == UI_ACT_PAGE_UP) v->lesson_scroll -= page;
    else if (c.act == UI_ACT_PAGE_DOWN) v->lesson_scroll += page;
    else if (c.act == UI_ACT_HOME) v->lesson_scroll = 0;
    if (v->lesson_scroll < 0)
        v->lesson_scroll = 0;
    /* no further than the last page of the text */
    if (v->lesson_scroll > total - rows)
        v->lesson_scroll = total - rows > 0 ? total - rows : 0;
    return UI_REDRAW;
}

const ui_view_def ui_lesson_view = {"Lesson", "Lesson", 0, NULL, draw, key, NULL, NULL};
