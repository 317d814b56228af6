/* panel_arch.c — the Architecture panel: the layers as a table (units, activation, init,
 * distribution); add, remove and reorder hidden layers; the input width and the output layer's
 * units follow the dataset (units 0 = auto). */
#include "app.h"

#include "activation.h"
#include "network.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const col_key[4] = {"units", "activation", "init", "distribution"};
static const int col_w[4] = {6, 11, 7, 8};   /* after the 3-column "#" */

static void cell_text(const ui_app *a, int i, int col, char *out, int outlen)
{
    const nn_preset_layer *L = &a->draft.layers[i];
    const ui_snapshot *s = &a->snap;
    bool live = s->info.n_layers == a->draft.n_layers && s->state != UI_RUN_ERROR && s->state != UI_RUN_LOADING;
    switch (col) {
    case 0:
        if (L->units > 0)
            snprintf(out, (size_t)outlen, "%d", L->units);
        else if (live)
            snprintf(out, (size_t)outlen, "auto%d", s->info.layers[i].out);
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

void ui_arch_draw(ui_app *a, ui_grid *g, ui_rect r)
{
    const ui_theme *th = &a->th;
    const ui_snapshot *s = &a->snap;
    int n = a->draft.n_layers;
    int *cur = &a->cursor[UI_P_ARCH];
    if (*cur >= n) *cur = n - 1;
    if (*cur < 0) *cur = 0;
    bool focused = a->focus == UI_P_ARCH;
    bool loaded = s->state != UI_RUN_LOADING && s->state != UI_RUN_ERROR;
    int y = r.y, y_end = r.y + r.h - (r.h >= 8 ? 2 : 0);
    if (loaded)
        ui_grid_printf(g, r.x, y, r.w, ui_st(th, UI_R_DIM), "input %d features, %ld params",
                       s->info.n_features, s->info.n_params);
    else
        ui_grid_text(g, r.x, y, r.w, "input: from the dataset", ui_st(th, UI_R_DIM));
    y++;
    ui_grid_printf(g, r.x, y, r.w, ui_st(th, UI_R_DIM), "# %-*s%-*s%-*s%s", col_w[0], "units", col_w[1],
                   "activation", col_w[2], "init", "dist");
    y++;
    int list_h = y_end - y;
    int *scroll = &a->scroll[UI_P_ARCH];
    if (*cur < *scroll) *scroll = *cur;
    if (*cur >= *scroll + list_h) *scroll = *cur - list_h + 1;
    if (*scroll < 0) *scroll = 0;
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
            bool cell_sel = sel && c == a->arch_col;
            if (cell_sel && a->mode == UI_MODE_EDIT && a->edit_kind == UI_EDIT_LAYER) {
                ui_style es = ui_st(th, a->edit_ok ? UI_R_EDIT : UI_R_ERROR);
                if (th->level != UI_COLOR_MONO)
                    es.bg = ui_st(th, UI_R_EDIT).bg;
                ui_style cs = es;
                cs.attr ^= UI_A_REVERSE;
                ui_field_draw(&a->field, g, x, y, w - 1 > 3 ? w - 1 : w, es, cs);
            } else {
                char t[32];
                cell_text(a, i, c, t, sizeof t);
                ui_style st = cell_sel ? ui_st(th, UI_R_SELECT) : sel ? ui_st(th, UI_R_VALUE) : base;
                int tw = c == 3 || w < 2 ? w : w - 1;   /* the last column may use its full width */
                ui_grid_printf(g, x, y, tw, st, "%-*s", tw, t);
            }
            x += w;
        }
    }
    if (r.h < 8)
        return;
    y = r.y + r.h - 2;
    if (a->mode == UI_MODE_EDIT && a->edit_kind == UI_EDIT_LAYER) {
        ui_style ms = ui_st(th, a->edit_ok ? UI_R_OK : UI_R_ERROR);
        if (ui_grid_wrap(g, r.x, y, r.w, 2, a->edit_msg, ms) < 2 && a->arch_col == 1) {
            char hint[256];
            int len = 0;
            for (int i = 0; i < NN_ACT_COUNT; i++)
                len += snprintf(hint + len, sizeof hint - (size_t)len, "%s ", nn_act_table[i].name);
            ui_grid_text(g, r.x, y + 1, r.w, hint, ui_st(th, UI_R_DIM));
        }
    } else if (focused) {
        ui_grid_text(g, r.x, y, r.w, "Enter edit  a add  d remove  K/J move", ui_st(th, UI_R_DIM));
        ui_grid_text(g, r.x, y + 1, r.w, "last layer: the output (auto = dataset)", ui_st(th, UI_R_DIM));
    }
}

static void apply_layers(ui_app *a, const nn_preset *p, const char *what)
{
    nn_error err;
    if (nn_preset_validate(p, NULL, &err) != NN_OK) {
        ui_app_message(a, true, "%s", err.msg);
        return;
    }
    ui_app_apply(a, p, what);
}

void ui_arch_key(ui_app *a, ui_cmd c)
{
    int n = a->draft.n_layers;
    int *cur = &a->cursor[UI_P_ARCH];
    nn_preset p = a->draft;
    switch (c.act) {
    case UI_ACT_UP: if (*cur > 0) (*cur)--; break;
    case UI_ACT_DOWN: if (*cur < n - 1) (*cur)++; break;
    case UI_ACT_HOME: *cur = 0; break;
    case UI_ACT_END: *cur = n - 1; break;
    case UI_ACT_LEFT: if (a->arch_col > 0) a->arch_col--; break;
    case UI_ACT_RIGHT: if (a->arch_col < 3) a->arch_col++; break;
    case UI_ACT_EDIT: {
        char key[96], t[32];
        snprintf(key, sizeof key, "model.layers.%d.%s", *cur, col_key[a->arch_col]);
        if (nn_preset_is_locked(&a->draft, key)) {
            ui_app_message(a, true, "%s is locked by this lesson", key);
            break;
        }
        cell_text(a, *cur, a->arch_col, t, sizeof t);
        if (strncmp(t, "auto", 4) == 0)
            snprintf(t, sizeof t, a->arch_col == 0 ? "0" : "auto");
        size_t tl = strlen(t);
        if (tl && t[tl - 1] == '*')
            t[tl - 1] = 0;
        ui_app_begin_edit(a, UI_EDIT_LAYER, key, t);
        break;
    }
    case UI_ACT_LAYER_ADD: {
        if (n >= NN_MAX_LAYERS) {
            ui_app_message(a, true, "at most %d layers", NN_MAX_LAYERS);
            break;
        }
        int at = *cur + 1 < n ? *cur + 1 : n - 1;   /* never after the output layer */
        memmove(&p.layers[at + 1], &p.layers[at], sizeof p.layers[0] * (size_t)(n - at));
        nn_preset_layer L = {16, NN_ACT_RELU, NAN, NN_INIT_AUTO, NN_DIST_NORMAL};
        p.layers[at] = L;
        p.n_layers = n + 1;
        *cur = at;
        apply_layers(a, &p, "architecture");
        break;
    }
    case UI_ACT_LAYER_DEL:
        if (*cur == n - 1) {
            ui_app_message(a, true, "the last layer is the output layer; remove a hidden layer");
            break;
        }
        memmove(&p.layers[*cur], &p.layers[*cur + 1], sizeof p.layers[0] * (size_t)(n - *cur - 1));
        p.n_layers = n - 1;
        apply_layers(a, &p, "architecture");
        break;
    case UI_ACT_LAYER_UP:
    case UI_ACT_LAYER_DOWN: {
        int j = c.act == UI_ACT_LAYER_UP ? *cur - 1 : *cur + 1;
        if (*cur == n - 1 || j < 0 || j >= n - 1) {
            ui_app_message(a, true, "hidden layers move among themselves; the output layer stays last");
            break;
        }
        nn_preset_layer t = p.layers[*cur];
        p.layers[*cur] = p.layers[j];
        p.layers[j] = t;
        *cur = j;
        apply_layers(a, &p, "architecture");
        break;
    }
    default:
        break;
    }
}

void ui_arch_click(ui_app *a, int row)
{
    int i = a->scroll[UI_P_ARCH] + row - 2;
    if (i >= 0 && i < a->draft.n_layers)
        a->cursor[UI_P_ARCH] = i;
}
