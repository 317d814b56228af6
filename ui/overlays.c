/* overlays.c — what is drawn over the panels: the "Key bindings" help (from the key table), the
 * yes/no question, the preset picker, the file-name prompt, and the too-small message (see
 * overlays.h). */
#include "overlays.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static ui_rect centred(const ui_grid *g, int w, int h)
{
    if (w > g->w) w = g->w;
    if (h > g->h) h = g->h;
    return ui_rect_make((g->w - w) / 2, (g->h - h) / 2, w, h);
}

static ui_rect dialog(const ui_theme *th, ui_grid *g, int w, int h, const char *title)
{
    ui_rect r = centred(g, w, h);
    ui_style d = ui_st(th, UI_R_DIALOG);
    ui_grid_fill(g, r, ' ', d);
    ui_style b = ui_st(th, UI_R_BORDER_FOCUS);
    if (d.bg >= 0)
        b.bg = d.bg;
    ui_style t = ui_st(th, UI_R_TITLE_FOCUS);
    if (d.bg >= 0)
        t.bg = d.bg;
    ui_grid_box(g, r, title, b, t, !th->utf8);
    return ui_rect_make(r.x + 2, r.y + 1, r.w - 4, r.h - 2);
}

/* The help's height on g: the table and its frame, or the screen's height less 2. */
static int help_h(const ui_grid *g)
{
    int n = ui_keytab_len;
    return n + 4 < g->h - 2 ? n + 4 : g->h - 2;
}

void ui_help_prepare(ui_help *h, const ui_grid *g)
{
    int n = ui_keytab_len;
    int rows = centred(g, 64, help_h(g)).h - 2 - 1;   /* inside the dialog, above the hint */
    if (h->scroll > n - rows) h->scroll = n - rows;
    if (h->scroll < 0) h->scroll = 0;
}

void ui_help_draw(ui_grid *g, const ui_theme *th, const ui_help *h)
{
    int n = ui_keytab_len;
    ui_rect c = dialog(th, g, 64, help_h(g), "Key bindings");
    ui_style d = ui_st(th, UI_R_DIALOG);
    int rows = c.h - 1;
    for (int i = 0; i < rows && h->scroll + i < n; i++) {
        char line[160];
        ui_key_help_line(h->scroll + i, line, sizeof line);
        ui_style ks = d;
        ks.attr |= UI_A_BOLD;
        ui_grid_text(g, c.x, c.y + i, c.w, line, d);
        ui_grid_text(g, c.x, c.y + i, 9, ui_keytab[h->scroll + i].label, ks);
    }
    ui_style dim = ui_st(th, UI_R_DIM);
    if (d.bg >= 0)
        dim.bg = d.bg;
    ui_grid_text(g, c.x, c.y + c.h - 1, c.w,
                 rows < n ? "Esc closes, arrows scroll; in a field: Ctrl-U clears it"
                          : "Esc closes. In a field: Ctrl-U clears, Ctrl-W cuts a word", dim);
}

unsigned ui_help_key(ui_help *h, ui_cmd c, ui_intent *out)
{
    if (c.act == UI_ACT_CANCEL) out->kind = UI_INTENT_CLOSE;
    else if (c.act == UI_ACT_UP) h->scroll--;
    else if (c.act == UI_ACT_DOWN) h->scroll++;
    else if (c.act == UI_ACT_PAGE_UP) h->scroll -= 10;
    else if (c.act == UI_ACT_PAGE_DOWN) h->scroll += 10;
    else return 0;
    return UI_REDRAW;
}

void ui_confirm_draw(ui_grid *g, const ui_theme *th, const char *question)
{
    int w = (int)strlen(question) + 6;
    if (w < 36) w = 36;
    ui_rect c = dialog(th, g, w, 5, "Confirm");
    ui_grid_text(g, c.x, c.y, c.w, question, ui_st(th, UI_R_DIALOG));
    ui_style k = ui_st(th, UI_R_DIALOG);
    k.attr |= UI_A_BOLD;
    ui_grid_text(g, c.x, c.y + 2, c.w, "y: yes    n / Esc: no", k);
}

/* The weight editor: what the weight is, its value in the field, the validator's answer. */
static void weight_prompt(ui_grid *g, const ui_theme *th, const ui_edit *e)
{
    int w = g->w - 8 < 64 ? g->w - 8 : 64;
    ui_rect c = dialog(th, g, w, 7, "Edit a weight");
    ui_style d = ui_st(th, UI_R_DIALOG);
    ui_grid_text(g, c.x, c.y, c.w, e->key, d);
    ui_grid_text(g, c.x, c.y + 1, c.w, "new value (Enter sets it, Esc cancels):", d);
    ui_style es = ui_st(th, UI_R_EDIT), cs = es;
    cs.attr ^= UI_A_REVERSE;
    ui_field_draw(&e->field, g, c.x, c.y + 2, c.w, es, cs);
    ui_style ms = ui_st(th, e->ok ? UI_R_DIM : UI_R_ERROR);
    if (d.bg >= 0)
        ms.bg = d.bg;
    ui_grid_wrap(g, c.x, c.y + 3, c.w, 2, e->msg, ms);
}

void ui_prompt_draw(ui_grid *g, const ui_theme *th, const ui_edit *e)
{
    if (e->kind == UI_EDIT_WEIGHT) {
        weight_prompt(g, th, e);
        return;
    }
    char title[64];
    const char *what = e->kind == UI_EDIT_SAVE_MODEL ? "Save model" : "Save preset";
    if (e->step > 0)
        snprintf(title, sizeof title, "%s (%d/3)", what, e->step);
    else
        snprintf(title, sizeof title, "%s", what);
    bool about = e->kind == UI_EDIT_SAVE_NAME || e->kind == UI_EDIT_SAVE_DESC;
    int w = !e->note[0] ? 60 : g->w - 8 < 76 ? g->w - 8 : 76;
    ui_rect c = dialog(th, g, w, e->note[0] ? 9 : 6, title);
    ui_style d = ui_st(th, UI_R_DIALOG);
    int y = c.y;
    if (e->note[0]) {   /* what changed since the experiment was opened */
        ui_grid_text(g, c.x, y, c.w, "changed since it was opened:", d);
        ui_style ns = ui_st(th, UI_R_DIM);
        if (d.bg >= 0)
            ns.bg = d.bg;
        ui_grid_wrap(g, c.x, y + 1, c.w, 2, e->note, ns);
        y += 3;
    }
    ui_grid_text(g, c.x, y, c.w,
                 !about ? "file name (Enter saves, Esc cancels):"
                 : e->kind == UI_EDIT_SAVE_NAME ? "its name (say what it is now):"
                                                : "its description (what it shows, what to expect):",
                 d);
    ui_style es = ui_st(th, UI_R_EDIT), cs = es;
    cs.attr ^= UI_A_REVERSE;
    ui_field_draw(&e->field, g, c.x, y + 1, c.w, es, cs);
    ui_style ms = ui_st(th, e->ok ? UI_R_DIM : UI_R_ERROR);
    if (d.bg >= 0)
        ms.bg = d.bg;
    ui_grid_text(g, c.x, y + 3, c.w, e->msg, ms);
}

static int cmp_pick(const void *x, const void *y)
{
    return strcmp(((const ui_pick *)x)->name, ((const ui_pick *)y)->name);
}

/* Adds the preset name (a file when file, else built-in: a preset or a saved model, nn_preset_open),
 * read into p for its title. */
static void add_pick(ui_picker *pr, nn_preset *p, const char *name, bool file)
{
    if (pr->n >= UI_MAX_PICKS)
        return;
    ui_pick *pk = &pr->picks[pr->n++];
    memset(pk, 0, sizeof *pk);
    snprintf(pk->name, sizeof pk->name, "%s", name);
    nn_error err;
    nn_preset_origin origin;
    if (!p) {
        snprintf(pk->title, sizeof pk->title, "%s: cannot be read", name);
        snprintf(pk->desc, sizeof pk->desc, "out of memory");
    } else if (nn_preset_open(p, name, &origin, NULL, &err) == NN_OK) {
        pk->ok = true;
        snprintf(pk->title, sizeof pk->title, "%s%s: %s", name,
                 !file ? " (built-in)" : origin == NN_ORIGIN_MODEL ? " (model, trained weights)" : "", p->name);
        snprintf(pk->desc, sizeof pk->desc, "%.500s", p->description);
    } else {
        snprintf(pk->title, sizeof pk->title, "%s: cannot be read", name);
        snprintf(pk->desc, sizeof pk->desc, "%s", err.msg);
    }
}

void ui_picker_open(ui_picker *pr)
{
    nn_preset *p = malloc(sizeof *p);   /* large: on the heap for the time of the listing */
    pr->n = 0;
    pr->cur = 0;
    for (int i = 0; i < nn_preset_builtin_count(); i++)
        add_pick(pr, p, nn_preset_builtin_name(i), false);
    int first_file = pr->n;
    DIR *d = opendir(".");
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            size_t n = strlen(e->d_name);
            if (n > 5 && strcmp(e->d_name + n - 5, ".json") == 0 && e->d_name[0] != '.') {
                /* regular files only (links followed): a FIFO named *.json would block the read, a
                 * device never end; stat itself opens nothing */
                struct stat st;
                if (fstatat(dirfd(d), e->d_name, &st, 0) != 0 || !S_ISREG(st.st_mode))
                    continue;
                char path[NN_PATH_MAX];
                snprintf(path, sizeof path, "./%s", e->d_name);
                add_pick(pr, p, path, true);
            }
        }
        closedir(d);
    }
    free(p);
    qsort(pr->picks + first_file, (size_t)(pr->n - first_file), sizeof pr->picks[0], cmp_pick);
}

/* The picker's geometry on a gw x gh screen: the dialog's outer rectangle, its inside (as dialog()
 * returns it), the number of list rows and the first pick shown. Drawing and clicks share it. */
static void picker_geom(const ui_picker *pr, int gw, int gh, ui_rect *outer, ui_rect *inner, int *rows, int *top)
{
    int h = gh - 2 < pr->n + 8 ? gh - 2 : pr->n + 8;
    int w = gw - 8 < 100 ? gw - 8 : 100;
    ui_grid dims = {.w = gw, .h = gh};
    *outer = centred(&dims, w, h);
    *inner = ui_rect_make(outer->x + 2, outer->y + 1, outer->w - 4, outer->h - 2);
    *rows = inner->h - 5;
    *top = pr->cur - *rows + 1 > 0 ? pr->cur - *rows + 1 : 0;
}

int ui_picker_hit(const ui_picker *pr, int gw, int gh, int x, int y)
{
    ui_rect outer, c;
    int rows, top;
    picker_geom(pr, gw, gh, &outer, &c, &rows, &top);
    if (x < outer.x || x >= outer.x + outer.w || y < outer.y || y >= outer.y + outer.h)
        return UI_PICK_OUTSIDE;
    int i = y - c.y;
    if (x < c.x || x >= c.x + c.w || i < 0 || i >= rows || top + i >= pr->n)
        return UI_PICK_NONE;
    return top + i;
}

void ui_picker_draw(ui_grid *g, const ui_theme *th, const ui_picker *pr)
{
    ui_rect outer, c;
    int rows, top;
    picker_geom(pr, g->w, g->h, &outer, &c, &rows, &top);
    dialog(th, g, outer.w, outer.h, "Presets");
    ui_style d = ui_st(th, UI_R_DIALOG);
    for (int i = 0; i < rows && top + i < pr->n; i++) {
        const ui_pick *pk = &pr->picks[top + i];
        ui_style s = top + i == pr->cur ? ui_st(th, UI_R_SELECT) : d;
        if (!pk->ok && top + i != pr->cur) {
            s = ui_st(th, UI_R_ERROR);
            if (d.bg >= 0) s.bg = d.bg;
        }
        ui_grid_fill(g, ui_rect_make(c.x, c.y + i, c.w, 1), ' ', s);
        ui_grid_text(g, c.x + 1, c.y + i, c.w - 1, pk->title, s);
    }
    if (pr->n > 0) {
        const char *desc = pr->picks[pr->cur].desc;
        /* from the row after the list (at the latest three rows above the keys) to the keys */
        int shown = pr->n - top < rows ? pr->n - top : rows;
        int y = c.y + shown + 1, ylast = c.y + c.h - 2;
        if (y > ylast - 2)
            y = ylast - 2;
        ui_style ds = ui_st(th, UI_R_DIM);
        if (d.bg >= 0) ds.bg = d.bg;
        ui_grid_wrap(g, c.x, y, c.w, ylast - y + 1, desc, ds);
    }
    ui_grid_text(g, c.x, c.y + c.h - 1, c.w, "Enter opens   Up/Down choose   Esc cancels   click: choose, again: open", d);
}

unsigned ui_picker_key(ui_picker *pr, ui_cmd c, ui_intent *out)
{
    if (c.act == UI_ACT_UP && pr->cur > 0) pr->cur--;
    else if (c.act == UI_ACT_DOWN && pr->cur < pr->n - 1) pr->cur++;
    else if (c.act == UI_ACT_HOME) pr->cur = 0;
    else if (c.act == UI_ACT_END) pr->cur = pr->n > 0 ? pr->n - 1 : 0;
    else if (c.act == UI_ACT_CANCEL) out->kind = UI_INTENT_CLOSE;
    else if (c.act == UI_ACT_COMMIT && pr->n > 0) ui_intent_key(out, UI_INTENT_LOAD, "", pr->picks[pr->cur].name);
    else return 0;
    return UI_REDRAW;
}

unsigned ui_picker_click(ui_picker *pr, int gw, int gh, int x, int y, ui_intent *out)
{
    int i = ui_picker_hit(pr, gw, gh, x, y);
    if (i == UI_PICK_OUTSIDE)
        out->kind = UI_INTENT_CLOSE;
    else if (i >= 0 && i == pr->cur)
        ui_intent_key(out, UI_INTENT_LOAD, "", pr->picks[i].name);
    else if (i >= 0)
        pr->cur = i;
    return UI_REDRAW;
}

void ui_small_draw(ui_grid *g, const ui_theme *th, int cols, int lines, bool asking_quit)
{
    char line[96];
    snprintf(line, sizeof line, "terminal too small (%dx%d, need %dx%d)", cols, lines, UI_MIN_W, UI_MIN_H);
    const char *l2 = asking_quit ? "training goes on: quit? y / n" : "q quits";
    int y = g->h / 2 - 1;
    if (y < 0) y = 0;
    int w = (int)strlen(line);
    ui_grid_text(g, g->w > w ? (g->w - w) / 2 : 0, y, g->w, line, ui_st(th, UI_R_WARN));
    w = (int)strlen(l2);
    ui_grid_text(g, g->w > w ? (g->w - w) / 2 : 0, y + 1, g->w, l2, ui_st(th, UI_R_TEXT));
}
