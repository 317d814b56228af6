/* panel_arch.c — the Architecture panel: the layers as a table (units, activation, init,
 * distribution); add, remove and reorder hidden layers; the input width and the output layer's
 * units follow the dataset (units 0 = auto). Edits are intents (panel.h): EDIT for a cell, APPLY
 * for the changed list of layers. */
#include "panel.h"

#include "activation.h"
#include "network.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const col_key[4] = {"units", "activation", "init", "distribution"};
static const int col_w[4] = {6, 11, 7, 8};   /* after the 3-column "#" */

static void cell_text(const ui_model *m, int i, int col, char *out, int outlen)
{
    const nn_preset_layer *L = &m->draft->layers[i];
    const ui_snapshot *s = m->snap;
    bool live = s->info.n_layers == m->draft->n_layers && s->state != UI_RUN_ERROR && s->state != UI_RUN_LOADING;
    switch (col) {
    case 0:
        if (L->units > 0)
            snprintf(out, (size_t)outlen, "%d", L->units);
        else if (live)
            snprintf(out, (size_t)outlen, "%d*", s->info.layers[i].out);   /* auto, as the activation's "*" */
        else
            snprintf(out, (size_t)outlen, "auto");
        break;
    case 1:
        if (L->act >= 0 && L->act < NN_ACT_COUNT)
            snprintf(out, (size_t)outlen, "%s", nn_act_name((nn_act)L->act));
        else if (live && s->info.layers[i].act >= 0 && s->info.layers[i].act < NN_ACT_COUNT)
            snprintf(out, (size_t)outlen, "%s*", nn_act_name((nn_act)s->info.layers[i].act));
        else
            snprintf(out, (size_t)outlen, "auto");
        break;
    case 2:
        snprintf(out, (size_t)outlen, "%s", L->init >= 0 && L->init < NN_INIT_COUNT ? nn_init_names[L->init] : "?");
        break;
    default:
        snprintf(out, (size_t)outlen, "%s", L->dist >= 0 && L->dist < NN_DIST_COUNT ? nn_dist_names[L->dist] : "?");
        break;
    }
}

/* Rows of the layer list in r: after the input line and the header, above two hint rows. */
static int list_rows(ui_rect r)
{
    return r.h - (r.h >= 8 ? 2 : 0) - 2;
}

static void prepare(ui_panel *p, const ui_model *m, ui_rect r)
{
    ui_arch_panel *a = (ui_arch_panel *)p;
    int n = m->draft->n_layers;
    int *cur = &a->cursor;
    if (*cur >= n) *cur = n - 1;
    if (*cur < 0) *cur = 0;
    int list_h = list_rows(r);
    int *scroll = &a->scroll;
    if (*cur < *scroll) *scroll = *cur;
    if (*cur >= *scroll + list_h) *scroll = *cur - list_h + 1;
    if (*scroll < 0) *scroll = 0;
}

static void draw(const ui_panel *p, ui_grid *g, ui_rect r, const ui_model *m)
{
    const ui_arch_panel *a = (const ui_arch_panel *)p;
    const ui_theme *th = m->th;
    const ui_snapshot *s = m->snap;
    const ui_edit *e = m->edit;
    int n = m->draft->n_layers;
    const int *cur = &a->cursor;
    bool focused = m->focus == UI_P_ARCH;
    bool loaded = s->state != UI_RUN_LOADING && s->state != UI_RUN_ERROR;
    int y = r.y;
    if (loaded)
        ui_grid_printf(g, r.x, y, r.w, ui_st(th, UI_R_DIM), "input %d feature%s, %ld params",
                       s->info.n_features, s->info.n_features == 1 ? "" : "s", s->info.n_params);
    else
        ui_grid_text(g, r.x, y, r.w, "input: from the dataset", ui_st(th, UI_R_DIM));
    y++;
    ui_grid_printf(g, r.x, y, r.w, ui_st(th, UI_R_DIM), "# %-*s%-*s%-*s%s", col_w[0], "units", col_w[1],
                   "activation", col_w[2], "init", "dist");
    y++;
    int list_h = list_rows(r);
    const int *scroll = &a->scroll;
    for (int row = 0; row < list_h && *scroll + row < n; row++, y++) {
        int i = *scroll + row;
        bool sel = focused && i == *cur;
        ui_style base = ui_st(th, i == n - 1 ? UI_R_LABEL : UI_R_TEXT);
        ui_grid_printf(g, r.x, y, 2, ui_st(th, UI_R_DIM), "%-2d", i + 1);
        int x = r.x + 2;
        for (int c = 0; c < 4; c++) {
            int w = c == 3 ? r.x + r.w - x : col_w[c];
            if (w <= 0)
                break;
            bool cell_sel = sel && c == a->col;
            if (cell_sel && e && e->kind == UI_EDIT_LAYER) {
                ui_style es = ui_st(th, e->ok ? UI_R_EDIT : UI_R_ERROR);
                if (th->level != UI_COLOR_MONO)
                    es.bg = ui_st(th, UI_R_EDIT).bg;
                ui_style cs = es;
                cs.attr ^= UI_A_REVERSE;
                ui_field_draw(&e->field, g, x, y, w - 1 > 3 ? w - 1 : w, es, cs);
            } else {
                char t[32];
                cell_text(m, i, c, t, sizeof t);
                ui_style st = cell_sel ? ui_st(th, UI_R_SELECT) : sel ? ui_st(th, UI_R_VALUE) : base;
                int tw = c == 3 || w < 2 ? w : w - 1;   /* the last column may use its full width */
                ui_grid_printf(g, x, y, tw, st, "%-*s", tw, t);
            }
            x += w;
        }
    }
    if (r.h < 8)
        return;
    /* the hints: in the last two rows, or from higher up (the rows under the layers) when they
     * need more lines at this width */
    int yl = y, ye = r.y + r.h;
    ui_style dim = ui_st(th, UI_R_DIM);
    if (e && e->kind == UI_EDIT_LAYER) {
        ui_style ms = ui_st(th, e->ok ? UI_R_OK : UI_R_ERROR);
        char hint[256];
        int len = 0;
        for (int i = 0; i < NN_ACT_COUNT; i++)
            len += snprintf(hint + len, sizeof hint - (size_t)len, "%s%s", i ? " " : "", nn_act_table[i].name);
        int need = 1 + (a->col == 1 ? ui_wrap_lines(hint, r.w) : 1);
        y = ye - need < yl ? yl : ye - need;
        if (y > ye - 2)
            y = ye - 2;
        int used = ui_grid_wrap(g, r.x, y, r.w, 2, e->msg, ms);
        if (used < 2 && a->col == 1)
            ui_grid_wrap(g, r.x, y + used, r.w, ye - y - used, hint, dim);
    } else if (focused) {
        const char *const hints[2] = {ui_arch_hint(0, r.w), ui_arch_hint(1, r.w)};
        int need = ui_wrap_lines(hints[0], r.w) + ui_wrap_lines(hints[1], r.w);
        y = ye - need < yl ? yl : ye - need;
        if (y > ye - 2)
            y = ye - 2;
        y += ui_grid_wrap(g, r.x, y, r.w, ye - y - 1, hints[0], dim);
        ui_grid_wrap(g, r.x, y, r.w, ye - y, hints[1], dim);
    }
}

const char *ui_arch_hint(int i, int w)
{
    static const char *const wide = "Enter edit  a add  d remove  K/J move";
    if (i != 0)
        return "last layer = output (* = auto)";
    return ui_utf8_width(wide) <= w ? wide : "Enter edit a add d del K/J move";   /* whole at 80 columns */
}

/* The layers of next, if the engine accepts them, as an APPLY intent; else its message. */
static unsigned apply_layers(ui_arch_panel *a, ui_intent *out)
{
    nn_error err;
    if (nn_preset_validate(&a->next, NULL, &err) != NN_OK)
        return ui_intent_message(out, true, "%s", err.msg);
    out->kind = UI_INTENT_APPLY;
    out->preset = &a->next;
    snprintf(out->text, sizeof out->text, "architecture");
    return UI_REDRAW;
}

static unsigned layers_key(ui_arch_panel *a, const ui_model *m, ui_cmd c, ui_intent *out);

static unsigned key(ui_panel *p, const ui_model *m, ui_cmd c, ui_intent *out)
{
    ui_arch_panel *a = (ui_arch_panel *)p;
    int n = m->draft->n_layers;
    int *cur = &a->cursor;
    switch (c.act) {
    case UI_ACT_UP: if (*cur > 0) (*cur)--; break;
    case UI_ACT_DOWN: if (*cur < n - 1) (*cur)++; break;
    case UI_ACT_HOME: *cur = 0; break;
    case UI_ACT_END: *cur = n - 1; break;
    case UI_ACT_LEFT: if (a->col > 0) a->col--; break;
    case UI_ACT_RIGHT: if (a->col < 3) a->col++; break;
    case UI_ACT_EDIT: {
        char k[96], t[32];
        snprintf(k, sizeof k, "model.layers.%d.%s", *cur, col_key[a->col]);
        if (nn_preset_is_locked(m->draft, k))
            return ui_intent_message(out, true, "%s is locked by this lesson", k);
        cell_text(m, *cur, a->col, t, sizeof t);
        if (strncmp(t, "auto", 4) == 0)
            snprintf(t, sizeof t, a->col == 0 ? "0" : "auto");
        size_t tl = strlen(t);
        if (tl && t[tl - 1] == '*')
            t[tl - 1] = 0;
        ui_intent_key(out, UI_INTENT_EDIT, k, t);
        out->edit = UI_EDIT_LAYER;
        break;
    }
    case UI_ACT_LAYER_ADD:
    case UI_ACT_LAYER_DEL:
    case UI_ACT_LAYER_UP:
    case UI_ACT_LAYER_DOWN:
        /* a lesson that locks the model (or its layers) keeps them as they are, as Enter does */
        if (nn_preset_is_locked(m->draft, "model.layers"))
            return ui_intent_message(out, true, "model.layers is locked by this lesson");
        return layers_key(a, m, c, out);
    default:
        return 0;
    }
    return UI_REDRAW;
}

/* a, d, K and J of key(): a layer added, removed or moved. */
static unsigned layers_key(ui_arch_panel *a, const ui_model *m, ui_cmd c, ui_intent *out)
{
    int n = m->draft->n_layers;
    int *cur = &a->cursor;
    nn_preset *q = &a->next;
    switch (c.act) {
    case UI_ACT_LAYER_ADD: {
        if (n >= NN_MAX_LAYERS)
            return ui_intent_message(out, true, "at most %d layers", NN_MAX_LAYERS);
        int at = *cur + 1 < n ? *cur + 1 : n - 1;   /* never after the output layer */
        *q = *m->draft;
        memmove(&q->layers[at + 1], &q->layers[at], sizeof q->layers[0] * (size_t)(n - at));
        nn_preset_layer L = {16, NN_ACT_RELU, NAN, NN_INIT_AUTO, NN_DIST_NORMAL};
        q->layers[at] = L;
        q->n_layers = n + 1;
        *cur = at;
        return apply_layers(a, out);
    }
    case UI_ACT_LAYER_DEL:
        if (*cur == n - 1)
            return ui_intent_message(out, true, "the last layer is the output layer; remove a hidden layer");
        *q = *m->draft;
        memmove(&q->layers[*cur], &q->layers[*cur + 1], sizeof q->layers[0] * (size_t)(n - *cur - 1));
        q->n_layers = n - 1;
        return apply_layers(a, out);
    case UI_ACT_LAYER_UP:
    case UI_ACT_LAYER_DOWN: {
        int j = c.act == UI_ACT_LAYER_UP ? *cur - 1 : *cur + 1;
        if (*cur == n - 1 || j < 0 || j >= n - 1)
            return ui_intent_message(out, true, "hidden layers move among themselves; the output layer stays last");
        *q = *m->draft;
        nn_preset_layer t = q->layers[*cur];
        q->layers[*cur] = q->layers[j];
        q->layers[j] = t;
        *cur = j;
        return apply_layers(a, out);
    }
    default:
        return 0;
    }
    return UI_REDRAW;
}

/* A click selects the layer of its row and the column under it. */
static void click(ui_panel *p, const ui_model *m, ui_rect r, int x, int y)
{
    ui_arch_panel *a = (ui_arch_panel *)p;
    int i = a->scroll + (y - r.y) - 2;
    if (i >= 0 && i < m->draft->n_layers)
        a->cursor = i;
    int cx = x - r.x - 2;
    a->col = cx < 6 ? 0 : cx < 17 ? 1 : cx < 24 ? 2 : 3;
}

/* Collapsed: "4-40-3". */
static void summary(const ui_model *m, char *out, size_t n)
{
    const ui_snap_info *in = &m->snap->info;
    int len = snprintf(out, n, "%d", in->n_features);
    for (int i = 0; i < in->n_layers && len < (int)n - 8; i++)
        len += snprintf(out + len, n - (size_t)len, "-%d", in->layers[i].out);
}

const ui_panel_class ui_arch_class = {prepare, draw, key, click, summary};
