/* overlays.c — what is drawn over the panels: the "Key bindings" help (from the key table), the
 * yes/no question, the preset picker, the file-name prompt, and the too-small message. */
#include "app.h"

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

static ui_rect dialog(ui_app *a, ui_grid *g, int w, int h, const char *title)
{
    ui_rect r = centred(g, w, h);
    ui_style d = ui_st(&a->th, UI_R_DIALOG);
    ui_grid_fill(g, r, ' ', d);
    ui_style b = ui_st(&a->th, UI_R_BORDER_FOCUS);
    if (d.bg >= 0)
        b.bg = d.bg;
    ui_style t = ui_st(&a->th, UI_R_TITLE_FOCUS);
    if (d.bg >= 0)
        t.bg = d.bg;
    ui_grid_box(g, r, title, b, t, !a->th.utf8);
    return ui_rect_make(r.x + 2, r.y + 1, r.w - 4, r.h - 2);
}

void ui_help_draw(ui_app *a, ui_grid *g)
{
    int n = ui_keytab_len;
    int h = n + 4 < g->h - 2 ? n + 4 : g->h - 2;
    ui_rect c = dialog(a, g, 64, h, "Key bindings");
    ui_style d = ui_st(&a->th, UI_R_DIALOG);
    int rows = c.h - 1;
    if (a->help_scroll > n - rows) a->help_scroll = n - rows;
    if (a->help_scroll < 0) a->help_scroll = 0;
    for (int i = 0; i < rows && a->help_scroll + i < n; i++) {
        char line[160];
        ui_key_help_line(a->help_scroll + i, line, sizeof line);
        ui_style ks = d;
        ks.attr |= UI_A_BOLD;
        ui_grid_text(g, c.x, c.y + i, c.w, line, d);
        ui_grid_text(g, c.x, c.y + i, 9, ui_keytab[a->help_scroll + i].label, ks);
    }
    ui_style dim = ui_st(&a->th, UI_R_DIM);
    if (d.bg >= 0)
        dim.bg = d.bg;
    ui_grid_text(g, c.x, c.y + c.h - 1, c.w,
                 rows < n ? "Esc closes, arrows scroll; in a field: Ctrl-U clears it"
                          : "Esc closes. In a field: Ctrl-U clears, Ctrl-W cuts a word", dim);
}

void ui_confirm_draw(ui_app *a, ui_grid *g)
{
    int w = (int)strlen(a->confirm_text) + 6;
    if (w < 36) w = 36;
    ui_rect c = dialog(a, g, w, 5, "Confirm");
    ui_grid_text(g, c.x, c.y, c.w, a->confirm_text, ui_st(&a->th, UI_R_DIALOG));
    ui_style k = ui_st(&a->th, UI_R_DIALOG);
    k.attr |= UI_A_BOLD;
    ui_grid_text(g, c.x, c.y + 2, c.w, "y: yes    n / Esc: no", k);
}

void ui_prompt_draw(ui_app *a, ui_grid *g)
{
    const char *title = a->edit_kind == UI_EDIT_SAVE_MODEL ? "Save model" : "Save preset";
    ui_rect c = dialog(a, g, 60, 6, title);
    ui_style d = ui_st(&a->th, UI_R_DIALOG);
    ui_grid_text(g, c.x, c.y, c.w, "file name (Enter saves, Esc cancels):", d);
    ui_style es = ui_st(&a->th, UI_R_EDIT), cs = es;
    cs.attr ^= UI_A_REVERSE;
    ui_field_draw(&a->field, g, c.x, c.y + 1, c.w, es, cs);
    ui_style ms = ui_st(&a->th, a->edit_ok ? UI_R_DIM : UI_R_ERROR);
    if (d.bg >= 0)
        ms.bg = d.bg;
    ui_grid_text(g, c.x, c.y + 3, c.w, a->edit_msg, ms);
}

static int cmp_pick(const void *x, const void *y)
{
    return strcmp(((const ui_pick *)x)->name, ((const ui_pick *)y)->name);
}

static void add_pick(ui_app *a, const char *name, bool file)
{
    if (a->n_picks >= UI_MAX_PICKS)
        return;
    ui_pick *pk = &a->picks[a->n_picks++];
    memset(pk, 0, sizeof *pk);
    snprintf(pk->name, sizeof pk->name, "%s", name);
    static nn_preset p;   /* large; main thread only */
    nn_error err;
    if (nn_preset_load(&p, name, NULL, &err) == NN_OK) {
        pk->ok = true;
        snprintf(pk->title, sizeof pk->title, "%s%s: %s", name, file ? "" : " (built-in)", p.name);
        snprintf(pk->desc, sizeof pk->desc, "%.500s", p.description);
    } else {
        snprintf(pk->title, sizeof pk->title, "%s: cannot be read", name);
        snprintf(pk->desc, sizeof pk->desc, "%s", err.msg);
    }
}

void ui_picker_open(ui_app *a)
{
    a->n_picks = 0;
    a->pick_cur = 0;
    for (int i = 0; i < nn_preset_builtin_count(); i++)
        add_pick(a, nn_preset_builtin_name(i), false);
    int first_file = a->n_picks;
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
                add_pick(a, path, true);
            }
        }
        closedir(d);
    }
    qsort(a->picks + first_file, (size_t)(a->n_picks - first_file), sizeof a->picks[0], cmp_pick);
    a->mode = UI_MODE_PICKER;
}

/* The picker's geometry on a gw x gh screen: the dialog's outer rectangle, its inside (as dialog()
 * returns it), the number of list rows and the first pick shown. Drawing and clicks share it. */
static void picker_geom(const ui_app *a, int gw, int gh, ui_rect *outer, ui_rect *inner, int *rows, int *top)
{
    int h = gh - 2 < a->n_picks + 8 ? gh - 2 : a->n_picks + 8;
    int w = gw - 8 < 100 ? gw - 8 : 100;
    ui_grid dims = {.w = gw, .h = gh};
    *outer = centred(&dims, w, h);
    *inner = ui_rect_make(outer->x + 2, outer->y + 1, outer->w - 4, outer->h - 2);
    *rows = inner->h - 5;
    *top = a->pick_cur - *rows + 1 > 0 ? a->pick_cur - *rows + 1 : 0;
}

int ui_picker_hit(const ui_app *a, int gw, int gh, int x, int y)
{
    ui_rect outer, c;
    int rows, top;
    picker_geom(a, gw, gh, &outer, &c, &rows, &top);
    if (x < outer.x || x >= outer.x + outer.w || y < outer.y || y >= outer.y + outer.h)
        return UI_PICK_OUTSIDE;
    int i = y - c.y;
    if (x < c.x || x >= c.x + c.w || i < 0 || i >= rows || top + i >= a->n_picks)
        return UI_PICK_NONE;
    return top + i;
}

void ui_picker_draw(ui_app *a, ui_grid *g)
{
    ui_rect outer, c;
    int rows, top;
    picker_geom(a, g->w, g->h, &outer, &c, &rows, &top);
    dialog(a, g, outer.w, outer.h, "Presets");
    ui_style d = ui_st(&a->th, UI_R_DIALOG);
    for (int i = 0; i < rows && top + i < a->n_picks; i++) {
        const ui_pick *pk = &a->picks[top + i];
        ui_style s = top + i == a->pick_cur ? ui_st(&a->th, UI_R_SELECT) : d;
        if (!pk->ok && top + i != a->pick_cur) {
            s = ui_st(&a->th, UI_R_ERROR);
            if (d.bg >= 0) s.bg = d.bg;
        }
        ui_grid_fill(g, ui_rect_make(c.x, c.y + i, c.w, 1), ' ', s);
        ui_grid_text(g, c.x + 1, c.y + i, c.w - 1, pk->title, s);
    }
    if (a->n_picks > 0) {
        const char *desc = a->picks[a->pick_cur].desc;
        int y = c.y + c.h - 3;
        ui_style ds = ui_st(&a->th, UI_R_DIM);
        if (d.bg >= 0) ds.bg = d.bg;
        ui_grid_wrap(g, c.x, y - 1, c.w, 3, desc, ds);
    }
    ui_grid_text(g, c.x, c.y + c.h - 1, c.w, "Enter opens   Up/Down choose   Esc cancels   click: choose, again: open", d);
}

void ui_small_draw(ui_app *a, ui_grid *g)
{
    char line[96];
    snprintf(line, sizeof line, "terminal too small (%dx%d, need %dx%d)", a->cols, a->lines, UI_MIN_W, UI_MIN_H);
    const char *l2 = a->confirm == UI_CONFIRM_QUIT ? "training runs: quit? y / n" : "q quits";
    int y = g->h / 2 - 1;
    if (y < 0) y = 0;
    int w = (int)strlen(line);
    ui_grid_text(g, g->w > w ? (g->w - w) / 2 : 0, y, g->w, line, ui_st(&a->th, UI_R_WARN));
    w = (int)strlen(l2);
    ui_grid_text(g, g->w > w ? (g->w - w) / 2 : 0, y + 1, g->w, l2, ui_st(&a->th, UI_R_TEXT));
}
