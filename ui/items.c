/* items.c — the list-of-fields panels (Dataset, Hyperparameters): drawing, moving, cycling
 * choices and starting edits (as intents: panel.h). The lists themselves come from
 * panel_dataset.c and panel_hparams.c. Every change goes through nn_preset_set on a copy (the
 * engine validates). */
#include "panel.h"

#include "datasets.h"
#include "input_features.h"

#include <cjson/cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

ui_item *ui_item_add(ui_item *out, int *n, int max, ui_item_kind kind, const char *label, const char *key)
{
    if (*n >= max)
        return NULL;
    ui_item *it = &out[(*n)++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    snprintf(it->label, sizeof it->label, "%s", label);
    snprintf(it->key, sizeof it->key, "%s", key);
    return it;
}

int ui_items_from_table(const nn_preset *p, nn_panel panel, ui_item *out, int max)
{
    /* the panel's rows by their order field, equal ones in table order (a stable insertion sort) */
    const nn_preset_key *rows[UI_MAX_ITEMS];
    int n_rows = 0;
    for (int i = 0; i < nn_preset_key_count && n_rows < UI_MAX_ITEMS; i++) {
        const nn_preset_key *k = &nn_preset_keys[i];
        if (k->panel != panel || !nn_preset_key_used(p, k))
            continue;
        int j = n_rows++;
        for (; j > 0 && rows[j - 1]->order > k->order; j--)
            rows[j] = rows[j - 1];
        rows[j] = k;
    }
    int n = 0;
    for (int i = 0; i < n_rows; i++) {
        const nn_preset_key *k = rows[i];
        ui_item_kind kind = UI_ITEM_NUMBER;
        if (k->names && k->type == NN_KEY_STRINGS)
            kind = UI_ITEM_TOGGLES;
        else if (k->names)
            kind = UI_ITEM_CHOICE;
        else if (k->type == NN_KEY_BOOL)
            kind = UI_ITEM_BOOL;
        else if (k->type == NN_KEY_STRING || k->type == NN_KEY_COLUMN || k->type == NN_KEY_OBJECT ||
                 k->type == NN_KEY_STRINGS)
            kind = UI_ITEM_TEXT;
        char label[40];
        snprintf(label, sizeof label, "%s%s", (k->flags & NN_KEY_INDENT) ? "  " : "", k->label);
        ui_item *it = ui_item_add(out, &n, max, kind, label, k->path);
        const char *name;
        for (int c = 0; it && (kind == UI_ITEM_CHOICE || kind == UI_ITEM_TOGGLES) && c < 24 && (name = k->names(c)) != NULL; c++)
            it->choices[it->n_choices++] = name;
    }
    return n;
}

void ui_items_json_text(const char *key, const char *text, char *out, size_t n)
{
    const nn_preset_key *k = nn_preset_key_find(key);
    if (!k || !(k->flags & NN_KEY_ABOUT) || n < 3) {
        snprintf(out, n, "%s", text);
        return;
    }
    size_t len = 0;
    out[len++] = '"';
    for (const unsigned char *q = (const unsigned char *)text; *q && len + 8 < n; q++) {
        if (*q == '"' || *q == '\\') {
            out[len++] = '\\';
            out[len++] = (char)*q;
        } else if (*q == '\n') {
            out[len++] = '\\';
            out[len++] = 'n';
        } else if (*q < 0x20 || *q == 0x7f) {
            len += (size_t)snprintf(out + len, n - len, "\\u%04x", *q);
        } else {
            out[len++] = (char)*q;
        }
    }
    out[len++] = '"';
    out[len] = '\0';
}

const char *ui_items_what(const char *key)
{
    if (strncmp(key, "dataset.split", 13) == 0)
        return "split";
    if (strncmp(key, "dataset.", 8) == 0)
        return "dataset";
    if (strncmp(key, "model.", 6) == 0)
        return "architecture";
    return "hyperparameters";
}

static double json_num_after(const char *s, const char *name)
{
    const char *p = strstr(s, name);
    if (!p)
        return 0;
    p = strchr(p, ':');
    return p ? strtod(p + 1, NULL) : 0;
}

/* nn_preset_get builds a JSON tree per call, and the panels ask for ~40 keys per frame: remember
 * the answers for the last preset seen (any change of it, byte for byte, empties the memo). */
#define MEMO_MAX 64
static struct {
    nn_preset p;
    bool valid;
    int n;
    struct { char key[96]; char json[256]; bool ok; } e[MEMO_MAX];
} memo;

bool ui_items_get(const nn_preset *p, const char *key, char *out, int outlen)
{
    if (!memo.valid || memcmp(&memo.p, p, sizeof *p) != 0) {
        memo.p = *p;
        memo.valid = true;
        memo.n = 0;
    }
    for (int i = 0; i < memo.n; i++)
        if (strcmp(memo.e[i].key, key) == 0) {
            snprintf(out, (size_t)outlen, "%s", memo.e[i].json);
            return memo.e[i].ok;
        }
    bool ok = nn_preset_get(p, key, out, (size_t)outlen, NULL) == NN_OK;
    if (memo.n < MEMO_MAX && strlen(key) < sizeof memo.e[0].key && (!ok || strlen(out) < sizeof memo.e[0].json)) {
        snprintf(memo.e[memo.n].key, sizeof memo.e[0].key, "%s", key);
        snprintf(memo.e[memo.n].json, sizeof memo.e[0].json, "%s", ok ? out : "");
        memo.e[memo.n].ok = ok;
        memo.n++;
    }
    return ok;
}

void ui_items_value(const nn_preset *p, const char *key, char *out, int outlen)
{
    char buf[1200];
    if (!ui_items_get(p, key, buf, sizeof buf)) {
        snprintf(out, (size_t)outlen, "-");
        return;
    }
    if (strcmp(key, "dataset.split") == 0) {
        snprintf(out, (size_t)outlen, "%g/%g/%g", json_num_after(buf, "\"train\""),
                 json_num_after(buf, "\"val\""), json_num_after(buf, "\"test\""));
        return;
    }
    size_t n = strlen(buf);
    if (n >= 2 && buf[0] == '"' && buf[n - 1] == '"') {
        buf[n - 1] = 0;
        snprintf(out, (size_t)outlen, "%s", buf + 1);
    } else {
        snprintf(out, (size_t)outlen, "%s", buf);
    }
}

static bool is_path_key(const char *key)
{
    const nn_preset_key *k = nn_preset_key_find(key);
    return k && (k->flags & NN_KEY_PATH);
}

/* Appends " or " and "NAME KEY [KEY KEY]" (the source's file keys, the optional ones in brackets). */
static void source_form(char *out, size_t cap, const nn_source_info *src)
{
    size_t len = strlen(out);
    len += (size_t)snprintf(out + len, len < cap ? cap - len : 0, "%s\"%s", len ? " or " : "", src->name);
    bool open = false;
    for (int i = 0; i < src->n_keys && len < cap; i++) {
        if (!(src->keys[i].flags & NN_SOURCE_FILE))
            continue;
        bool opt = !(src->keys[i].flags & NN_SOURCE_REQUIRED);
        len += (size_t)snprintf(out + len, cap - len, " %s", opt && !open ? "[" : "");
        open |= opt;
        for (const char *c = src->keys[i].key; *c && len + 1 < cap; c++)
            out[len++] = *c >= 'a' && *c <= 'z' ? (char)(*c - 'a' + 'A') : *c;
        out[len < cap ? len : cap - 1] = '\0';
    }
    if (len < cap)
        snprintf(out + len, cap - len, "%s\"", open ? "]" : "");
}

/* "csv PATH" or "idx IMAGES LABELS [TEST_IMAGES TEST_LABELS]": a source that needs files is set
 * together with them (its file keys, in the order of its row in core/datasets.c), as one edit of
 * the dataset object (each alone would not validate). */
static nn_status set_source_with_files(nn_preset *dst, const char *text, nn_error *err)
{
    char words[1 + NN_SOURCE_MAX_KEYS][NN_PATH_MAX];
    int n = 0;
    const char *p = text;
    while (*p && n < 1 + NN_SOURCE_MAX_KEYS) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t len = strcspn(p, " ");
        snprintf(words[n++], NN_PATH_MAX, "%.*s", (int)len, p);
        p += len;
    }
    const nn_source_info *src = n ? nn_source_find(words[0]) : NULL;
    const char *file_keys[NN_SOURCE_MAX_KEYS];
    int n_files = 0, n_required = 0;
    for (int i = 0; src && i < src->n_keys; i++)
        if (src->keys[i].flags & NN_SOURCE_FILE) {
            n_required += (src->keys[i].flags & NN_SOURCE_REQUIRED) != 0;
            file_keys[n_files++] = src->keys[i].key;
        }
    if (!src || !nn_source_needs_files(src) || n < 1 + n_required) {
        char forms[512] = "";
        for (int s = 0; s < nn_source_count; s++)
            if (nn_source_needs_files(&nn_source_table[s]))
                source_form(forms, sizeof forms, &nn_source_table[s]);
        return nn_error_set(err, NN_EINVAL, "source: %s needs its files: type %s", n ? words[0] : "it", forms);
    }
    char json[8 * NN_PATH_MAX];
    if (nn_preset_get(dst, "dataset", json, sizeof json, err) != NN_OK)
        return NN_EINVAL;
    cJSON *d = cJSON_Parse(json);
    if (!d)
        return nn_error_set(err, NN_ENOMEM, "out of memory");
    cJSON_ReplaceItemInObjectCaseSensitive(d, "source", cJSON_CreateString(words[0]));
    for (int i = 1; i < n; i++) {
        const char *k = i - 1 < n_files ? file_keys[i - 1] : NULL;
        if (!k)
            break;
        char *abs = words[i][0] != '/' && access(words[i], R_OK) == 0 ? realpath(words[i], NULL) : NULL;
        cJSON_ReplaceItemInObjectCaseSensitive(d, k, cJSON_CreateString(abs ? abs : words[i]));
        free(abs);
    }
    char *out = cJSON_PrintUnformatted(d);
    cJSON_Delete(d);
    if (!out)
        return nn_error_set(err, NN_ENOMEM, "out of memory");
    nn_status st = nn_preset_set(dst, "dataset", out, err);
    free(out);
    return st;
}

nn_status ui_items_try(const nn_preset *src, nn_preset *dst, const char *key, const char *text, nn_error *err)
{
    char conv[UI_FIELD_MAX + 64];
    *dst = *src;
    if (strcmp(key, "dataset.split") == 0 && text[0] != '{') {
        double t, v, s;
        if (sscanf(text, "%lf%*[/ ,]%lf%*[/ ,]%lf", &t, &v, &s) != 3)
            return nn_error_set(err, NN_EINVAL, "split: write train/val/test, e.g. 0.7/0.1/0.2");
        snprintf(conv, sizeof conv, "{\"train\":%.17g,\"val\":%.17g,\"test\":%.17g}", t, v, s);
        text = conv;
    } else if (is_path_key(key) && text[0] && text[0] != '/' && access(text, R_OK) == 0) {
        /* a path typed here is relative to the current folder, not to the preset's */
        char *abs = realpath(text, NULL);
        if (abs) {
            snprintf(conv, sizeof conv, "%s", abs);
            free(abs);
            text = conv;
        }
    }
    bool source = strcmp(key, "dataset.source") == 0;
    nn_status st = source && strchr(text, ' ') ? set_source_with_files(dst, text, err)
                                               : nn_preset_set(dst, key, text, err);
    if (st != NN_OK && source && nn_source_needs_files(nn_source_find(text)))
        return set_source_with_files(dst, text, err);   /* says which files to type */
    if (st != NN_OK && source) {
        /* another task (classification <-> regression): let the loss and the output activation
         * follow the new source, as they do for a preset that does not name them */
        char last[64];
        snprintf(last, sizeof last, "model.layers.%d.activation", src->n_layers - 1);
        *dst = *src;
        if (nn_preset_set(dst, "training.loss", "null", NULL) == NN_OK &&
            nn_preset_set(dst, last, "null", NULL) == NN_OK &&
            (strchr(text, ' ') ? set_source_with_files(dst, text, NULL) : nn_preset_set(dst, key, text, NULL)) == NN_OK)
            return NN_OK;
        *dst = *src;
    }
    return st;
}

static bool selectable(const ui_item *it) { return it->kind != UI_ITEM_INFO; }

/* TOGGLES: whether choice c is on in the key's value v (a JSON array of names; [] is the data's own
 * features, x1 and x2: the first two). */
static bool toggle_on(const ui_item *it, const char *v, int c)
{
    if (strcmp(v, "[]") == 0 || strcmp(v, "-") == 0)
        return c < 2;
    char q[64];
    snprintf(q, sizeof q, "\"%s\"", it->choices[c]);
    return strstr(v, q) != NULL;
}

/* TOGGLES: the names that are on, as the screen writes them ("x1 x2 x1\xc2\xb2"), into out. */
static void toggles_text(const ui_item *it, const char *v, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = '\0';
    for (int c = 0; c < it->n_choices && len < cap; c++)
        if (toggle_on(it, v, c)) {
            int f = nn_feature_find(it->choices[c]);
            len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? " " : "",
                                    f >= 0 ? nn_feature_table[f].label : it->choices[c]);
        }
}

/* TOGGLES: choice c turned on or off, as a SET_KEY intent with the new array (in the choices' order). */
static unsigned toggle(const ui_model *m, const ui_item *it, int c, ui_intent *out)
{
    char v[256], json[256];
    ui_items_value(m->draft, it->key, v, sizeof v);
    size_t len = (size_t)snprintf(json, sizeof json, "[");
    int on = 0;
    for (int i = 0; i < it->n_choices && len < sizeof json; i++)
        if (toggle_on(it, v, i) != (i == c)) {
            len += (size_t)snprintf(json + len, sizeof json - len, "%s\"%s\"", on ? "," : "", it->choices[i]);
            on++;
        }
    if (on == 0)
        return ui_intent_message(out, true, "%s: at least one input (turn another on first)", it->key);
    if (len < sizeof json)
        snprintf(json + len, sizeof json - len, "]");
    return ui_intent_key(out, UI_INTENT_SET_KEY, it->key, json);
}

static void clamp_cursor(ui_list_panel *l, int dir)
{
    int *c = &l->cursor;
    if (l->n_items == 0) { *c = 0; return; }
    if (*c < 0) *c = 0;
    if (*c >= l->n_items) *c = l->n_items - 1;
    int start = *c;
    while (!selectable(&l->items[*c])) {
        *c += dir ? dir : 1;
        if (*c < 0 || *c >= l->n_items) {
            *c = start;
            for (int i = 0; i < l->n_items; i++)
                if (selectable(&l->items[i])) { *c = i; if (dir < 0) continue; break; }
            return;
        }
    }
}

/* Rows of the message area under the list: the validator's message, an error or the hint. */
static int msg_rows(const ui_list_panel *l, const ui_model *m, ui_rect r)
{
    return m->focus == l->base.id && r.h >= 6 ? 2 : 0;
}

void ui_list_prepare(ui_panel *p, const ui_model *m, ui_rect r)
{
    ui_list_panel *l = (ui_list_panel *)p;
    l->n_items = l->build(m, l->items, UI_MAX_ITEMS);
    clamp_cursor(l, 1);
    if (m->msg && m->msg_err && m->msg_since != l->msg_at) {   /* a new error: of the line the cursor is on */
        l->msg_at = m->msg_since;
        l->msg_line = l->cursor;
    }
    int list_h = r.h - msg_rows(l, m, r);
    int *scroll = &l->scroll;
    int cur = l->cursor;
    if (cur < *scroll) *scroll = cur;
    if (cur >= *scroll + list_h) *scroll = cur - list_h + 1;
    if (*scroll > l->n_items - list_h) *scroll = l->n_items - list_h;
    if (*scroll < 0) *scroll = 0;
}

/* Text wrapped into the last two rows of r, or from higher up (the free rows under the shown
 * items) when it needs more lines at this width. */
static void bottom_text(ui_grid *g, ui_rect r, int shown, const char *text, ui_style s)
{
    int ye = r.y + r.h, need = ui_wrap_lines(text, r.w);
    int y = ye - need < r.y + shown ? r.y + shown : ye - need;
    if (y > ye - 2)
        y = ye - 2;
    ui_grid_wrap(g, r.x, y, r.w, ye - y, text, s);
}

void ui_list_draw(const ui_panel *p, ui_grid *g, ui_rect r, const ui_model *m)
{
    const ui_list_panel *l = (const ui_list_panel *)p;
    const ui_theme *th = m->th;
    bool focused = m->focus == p->id;
    int rows = msg_rows(l, m, r);
    int list_h = r.h - rows;
    int scroll = l->scroll;
    int cur = l->cursor;
    int lw = r.w >= 40 ? 20 : 16;
    const ui_edit *e = m->edit;
    for (int row = 0; row < list_h; row++) {
        int i = scroll + row;
        if (i >= l->n_items)
            break;
        const ui_item *it = &l->items[i];
        int y = r.y + row;
        if (it->kind == UI_ITEM_INFO) {
            ui_grid_printf(g, r.x, y, lw, ui_st(th, UI_R_DIM), "%s", it->label);
            ui_grid_text(g, r.x + lw, y, r.w - lw, it->info, ui_st(th, UI_R_TEXT));
            continue;
        }
        bool sel = focused && i == cur;
        bool editing = sel && e && e->kind == UI_EDIT_ITEM;
        ui_style ls = sel ? ui_st(th, UI_R_SELECT) : ui_st(th, UI_R_LABEL);
        ui_style vs = sel ? ui_st(th, UI_R_SELECT) : ui_st(th, UI_R_VALUE);
        if (sel)
            ui_grid_fill(g, ui_rect_make(r.x, y, r.w, 1), ' ', ls);
        bool locked = nn_preset_is_locked(m->draft, it->key);
        ui_grid_printf(g, r.x, y, lw - 1, ls, "%s%s", locked ? "#" : " ", it->label);
        if (editing) {
            ui_style es = ui_st(th, e->ok ? UI_R_EDIT : UI_R_ERROR);
            if (th->level != UI_COLOR_MONO)
                es.bg = ui_st(th, UI_R_EDIT).bg;
            ui_style cs = es;
            cs.attr ^= UI_A_REVERSE;
            ui_field_draw(&e->field, g, r.x + lw, y, r.w - lw, es, cs);
        } else {
            char v[256];
            ui_items_value(m->draft, it->key, v, sizeof v);
            if (it->kind == UI_ITEM_TOGGLES && sel) {
                int c = l->sub < 0 || l->sub >= it->n_choices ? 0 : l->sub;
                int f = nn_feature_find(it->choices[c]);
                ui_grid_printf(g, r.x + lw, y, r.w - lw, vs, "%s %s %s %s", th->utf8 ? "\xe2\x97\x82" : "<",
                               f >= 0 && th->utf8 ? nn_feature_table[f].label : it->choices[c],
                               th->utf8 ? "\xe2\x96\xb8" : ">", toggle_on(it, v, c) ? "on" : "off");
            } else if (it->kind == UI_ITEM_TOGGLES) {
                char t[256];
                toggles_text(it, v, t, sizeof t);
                ui_grid_text(g, r.x + lw, y, r.w - lw, t, vs);
            } else if (sel && (it->kind == UI_ITEM_CHOICE || it->kind == UI_ITEM_BOOL))
                ui_grid_printf(g, r.x + lw, y, r.w - lw, vs, "%s %s %s", th->utf8 ? "\xe2\x97\x82" : "<", v,
                               th->utf8 ? "\xe2\x96\xb8" : ">");
            else
                ui_grid_text(g, r.x + lw, y, r.w - lw, v, vs);
        }
    }
    if (l->n_items > list_h && list_h > 1) {
        if (scroll > 0)
            ui_grid_put(g, r.x + r.w - 1, r.y, th->utf8 ? 0x25B4 : '^', ui_st(th, UI_R_DIM));
        if (scroll + list_h < l->n_items)
            ui_grid_put(g, r.x + r.w - 1, r.y + list_h - 1, th->utf8 ? 0x25BE : 'v', ui_st(th, UI_R_DIM));
    }
    if (!rows || l->n_items == 0)
        return;
    int shown = l->n_items - scroll < list_h ? l->n_items - scroll : list_h;
    if (e && e->kind == UI_EDIT_ITEM && e->panel == p->id) {
        ui_style ms = ui_st(th, e->ok ? UI_R_OK : UI_R_ERROR);
        /* the validator's message, wrapped over the last rows */
        bottom_text(g, r, shown, e->msg, ms);
    } else if (focused && m->msg_err && m->msg && m->msg_since == l->msg_at && cur == l->msg_line) {
        /* the error in the hint's place until the cursor moves on (issue 14: a locked key's message
         * stayed over the next line's hint for the message's whole time) */
        bottom_text(g, r, shown, m->msg, ui_st(th, UI_R_ERROR));
    } else if (focused) {
        const ui_item *it = &l->items[cur];
        char hint[512] = "";
        if (nn_preset_is_locked(m->draft, it->key)) {   /* the # mark: no key would change it */
            snprintf(hint, sizeof hint, "#: locked by this lesson");   /* one line at 80 columns */
        } else if (it->kind == UI_ITEM_TOGGLES) {
            char v[256], t[256];
            ui_items_value(m->draft, it->key, v, sizeof v);
            toggles_text(it, v, t, sizeof t);
            snprintf(hint, sizeof hint, "Left/Right: an input; Enter: on or off. Inputs now: %s", t);
        } else if (strcmp(it->key, "dataset.source") == 0) {
            snprintf(hint, sizeof hint, "Left/Right: built-in sources; Enter: csv PATH or idx IMAGES LABELS");
        } else if (it->kind == UI_ITEM_CHOICE) {
            int len = snprintf(hint, sizeof hint, "Left/Right:");
            for (int i = 0; i < it->n_choices && len < (int)sizeof hint - 20; i++)
                len += snprintf(hint + len, sizeof hint - (size_t)len, " %s", it->choices[i]);
        } else if (it->kind == UI_ITEM_BOOL) {
            snprintf(hint, sizeof hint, "Left/Right: true or false");
        } else {
            snprintf(hint, sizeof hint, "Enter: edit %s", it->key);
        }
        bottom_text(g, r, shown, hint, ui_st(th, UI_R_DIM));
    }
}

/* The next (dir 1) or previous (-1) choice of it, or the other boolean: a SET_KEY intent. */
static unsigned cycle(const ui_model *m, const ui_item *it, int dir, ui_intent *out)
{
    char v[256];
    ui_items_value(m->draft, it->key, v, sizeof v);
    if (it->kind == UI_ITEM_BOOL)
        return ui_intent_key(out, UI_INTENT_SET_KEY, it->key, strcmp(v, "true") == 0 ? "false" : "true");
    int cur = -1;
    for (int i = 0; i < it->n_choices; i++)
        if (strcmp(v, it->choices[i]) == 0)
            cur = i;
    int next = cur < 0 ? 0 : (cur + dir + it->n_choices) % it->n_choices;
    if (strcmp(it->key, "dataset.source") == 0)   /* csv and idx need files: Enter, then "csv PATH" */
        for (int k = 0; k < it->n_choices && nn_source_needs_files(nn_source_find(it->choices[next])); k++)
            next = (next + dir + it->n_choices) % it->n_choices;
    return ui_intent_key(out, UI_INTENT_SET_KEY, it->key, it->choices[next]);
}

unsigned ui_list_key(ui_panel *p, const ui_model *m, ui_cmd c, ui_intent *out)
{
    ui_list_panel *l = (ui_list_panel *)p;
    l->n_items = l->build(m, l->items, UI_MAX_ITEMS);
    int *cur = &l->cursor;
    switch (c.act) {
    case UI_ACT_UP: (*cur)--; clamp_cursor(l, -1); break;
    case UI_ACT_DOWN: (*cur)++; clamp_cursor(l, 1); break;
    case UI_ACT_PAGE_UP: *cur -= 8; clamp_cursor(l, -1); break;
    case UI_ACT_PAGE_DOWN: *cur += 8; clamp_cursor(l, 1); break;
    case UI_ACT_HOME: *cur = 0; clamp_cursor(l, 1); break;
    case UI_ACT_END: *cur = l->n_items - 1; clamp_cursor(l, -1); break;
    case UI_ACT_LEFT:
    case UI_ACT_RIGHT:
    case UI_ACT_EDIT: {
        if (l->n_items == 0)
            break;
        clamp_cursor(l, 1);
        const ui_item *it = &l->items[*cur];
        if (it->kind == UI_ITEM_INFO)
            break;
        if (nn_preset_is_locked(m->draft, it->key))
            return ui_intent_message(out, true, "%s is locked by this lesson", it->key);
        if (it->kind == UI_ITEM_TOGGLES) {
            if (c.act == UI_ACT_EDIT)
                return toggle(m, it, l->sub < 0 || l->sub >= it->n_choices ? 0 : l->sub, out);
            l->sub = (l->sub + (c.act == UI_ACT_LEFT ? -1 : 1) + it->n_choices) % it->n_choices;
            break;
        }
        if (c.act != UI_ACT_EDIT) {
            if (it->kind == UI_ITEM_CHOICE || it->kind == UI_ITEM_BOOL)
                return cycle(m, it, c.act == UI_ACT_LEFT ? -1 : 1, out);
            break;
        }
        char v[256];
        ui_items_value(m->draft, it->key, v, sizeof v);
        ui_intent_key(out, UI_INTENT_EDIT, it->key, v);
        out->edit = UI_EDIT_ITEM;
        out->panel = p->id;
        break;
    }
    default:
        return 0;
    }
    return UI_REDRAW;
}

void ui_list_click(ui_panel *p, const ui_model *m, ui_rect r, int x, int y)
{
    ui_list_panel *l = (ui_list_panel *)p;
    (void)x;
    l->n_items = l->build(m, l->items, UI_MAX_ITEMS);
    int i = l->scroll + (y - r.y);
    if (i >= 0 && i < l->n_items && selectable(&l->items[i]))
        l->cursor = i;
}
