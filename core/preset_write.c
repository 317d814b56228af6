/* preset_write.c — writing a preset: the cJSON tree in the key table's order (preset_schema.c), its
 * text, atomic saving, and the check that a save replaces none of the preset's own files. */
#include "preset_impl.h"

#include "datasets.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHILDREN 32

typedef struct {
    bool bad;      /* an allocation failed */
    bool full;     /* every key, auto values as "auto" (for nn_preset_get); else auto values omitted */
} builder;

static cJSON *add(builder *b, cJSON *obj, const char *key, cJSON *item)
{
    if (!item || !obj || !cJSON_AddItemToObject(obj, key, item)) {
        cJSON_Delete(item);
        b->bad = true;
        return NULL;
    }
    return item;
}

static void append(builder *b, cJSON *arr, cJSON *item)
{
    if (!item || !arr || !cJSON_AddItemToArray(arr, item)) {
        cJSON_Delete(item);
        b->bad = true;
    }
}

static bool is_auto_value(const nn_preset_key *k, double v)
{
    return (k->flags & NN_KEY_AUTO) && (isnan(k->auto_value) ? isnan(v) : v == k->auto_value);
}

/* One key of p into obj (left out where the rules say so). */
static void write_leaf(builder *b, cJSON *obj, const nn_preset *p, const nn_preset_key *k, int layer)
{
    const char *key = preset_last(k);
    const void *f = preset_cfield(p, k, layer);
    double v = preset_get_value(p, k, layer);
    if (k->type != NN_KEY_STRING && k->type != NN_KEY_COLUMN && k->type != NN_KEY_STRINGS) {
        if (is_auto_value(k, v)) {
            if (b->full)
                add(b, obj, key, cJSON_CreateString("auto"));
            return;
        }
        if (k->word && v == k->word_value) {
            add(b, obj, key, cJSON_CreateString(k->word));
            return;
        }
        if ((k->flags & NN_KEY_OMIT_DEFAULT) && v == k->dflt && !b->full)
            return;
    }
    switch (k->type) {
    case NN_KEY_STRING:
    case NN_KEY_COLUMN:
        if (*(const char *)f || b->full || !(k->flags & NN_KEY_OMIT_EMPTY))
            add(b, obj, key, cJSON_CreateString(f));
        break;
    case NN_KEY_STRINGS: {
        int count = *(const int *)(const void *)((const char *)p + k->count_off);
        if (count == 0 && !b->full && k->range.lo > 0)
            break;   /* none given (dataset.classes): left out */
        cJSON *arr = add(b, obj, key, cJSON_CreateArray());
        for (int i = 0; i < count && i < k->max && arr; i++)
            append(b, arr, cJSON_CreateString((const char *)p + k->off + (size_t)i * k->size));
        break;
    }
    case NN_KEY_INT:
    case NN_KEY_SEED:
    case NN_KEY_NUMBER:
    case NN_KEY_FLOAT:
        add(b, obj, key, cJSON_CreateNumber(v));
        break;
    case NN_KEY_BOOL:
        add(b, obj, key, cJSON_CreateBool(v != 0.0));
        break;
    case NN_KEY_NAME: {
        const char *name = v >= 0 ? k->names((int)v) : NULL;
        add(b, obj, key, cJSON_CreateString(name ? name : "invalid"));
        break;
    }
    case NN_KEY_OBJECT:
    case NN_KEY_LAYERS:
        break;
    }
}

/* The keys under level into obj. */
static void write_level(builder *b, cJSON *obj, const nn_preset *p, const nn_preset_key *level, int layer)
{
    const nn_preset_key *ch[MAX_CHILDREN];
    int n = preset_children(level, ch, MAX_CHILDREN);
    for (int i = 0; i < n && obj; i++) {
        const nn_preset_key *k = ch[i];
        if (level && level->takes && !level->takes(p, k))
            continue;   /* a parameter the current optimizer or schedule does not take */
        if (k->type == NN_KEY_OBJECT) {
            if (k->present && !k->present(p) && !b->full)
                continue;
            write_level(b, add(b, obj, preset_last(k), cJSON_CreateObject()), p, k, layer);
        } else if (k->type == NN_KEY_LAYERS) {
            cJSON *arr = add(b, obj, preset_last(k), cJSON_CreateArray());
            for (int l = 0; l < p->n_layers && l < k->max && arr; l++) {
                cJSON *lo = cJSON_CreateObject();
                append(b, arr, lo);
                if (!b->bad)
                    write_level(b, lo, p, k, l);
            }
        } else {
            write_leaf(b, obj, p, k, layer);
        }
    }
}

cJSON *preset_build_tree(const nn_preset *p, bool full)
{
    builder b = {false, full};
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    write_level(&b, root, p, NULL, -1);
    if (b.bad) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

struct cJSON *nn_preset_to_cjson(const nn_preset *p)
{
    return preset_build_tree(p, false);
}

char *nn_preset_to_json(const nn_preset *p)
{
    cJSON *root = preset_build_tree(p, false);
    if (!root)
        return NULL;
    char *s = preset_tree_text(root, true);
    cJSON_Delete(root);
    return s;
}

nn_status nn_preset_check_save(const nn_preset *p, const char *path, bool self, nn_error *err)
{
    if (self && nn_file_same(path, p->file))
        return nn_error_set(err, NN_EIO, "%s: not saved: it would replace the preset being trained (%s)", path,
                            p->file);
    const nn_source_info *src = nn_source_find(p->dataset.source);
    for (int i = 0; src && i < src->n_keys; i++) {
        if (!(src->keys[i].flags & NN_SOURCE_FILE))
            continue;
        const char *rel = (const char *)&p->dataset + src->keys[i].off;
        char full[NN_PATH_MAX];
        if (rel[0] && nn_path_join(full, sizeof full, p->base_dir, rel) == 0 && nn_file_same(path, full))
            return nn_error_set(err, NN_EIO, "%s: not saved: it would replace the preset's data (dataset.%s: %s)",
                                path, src->keys[i].key, rel);
    }
    return NN_OK;
}

void nn_preset_rebase(nn_preset *p, const char *target)
{
    char dir[NN_PATH_MAX];
    nn_path_dir(dir, sizeof dir, target);
    char a[PATH_MAX], b[PATH_MAX];
    bool same = strcmp(dir, p->base_dir) == 0 ||
                (realpath(dir, a) && realpath(p->base_dir, b) && strcmp(a, b) == 0);
    const nn_source_info *src = nn_source_find(p->dataset.source);
    for (int i = 0; src && !same && i < src->n_keys; i++) {
        if (!(src->keys[i].flags & NN_SOURCE_FILE))
            continue;
        char *rel = (char *)&p->dataset + src->keys[i].off;   /* char[NN_PATH_MAX] */
        char full[NN_PATH_MAX], out[NN_PATH_MAX];
        if (!rel[0] || rel[0] == '/' || strncmp(rel, NN_BUILTIN_PREFIX, strlen(NN_BUILTIN_PREFIX)) == 0)
            continue;
        if (nn_path_join(full, sizeof full, p->base_dir, rel) == 0 &&
            nn_path_relative(out, sizeof out, dir, full) == 0)
            memcpy(rel, out, strlen(out) + 1);
    }
    snprintf(p->file, sizeof p->file, "%s", target);
    snprintf(p->base_dir, sizeof p->base_dir, "%s", dir);
}

// --- what changed -----------------------------------------------------------------------------------

typedef struct {
    char *out;
    size_t cap, len;
    int count;
} diff_list;

/* A value as the list shows it: a number or word as is, a string without quotes, an array by length. */
static void diff_value(char *buf, size_t n, const cJSON *it)
{
    if (!it)
        snprintf(buf, n, "-");
    else if (cJSON_IsString(it))
        snprintf(buf, n, "%.40s%s", it->valuestring, strlen(it->valuestring) > 40 ? "..." : "");
    else if (cJSON_IsArray(it))
        snprintf(buf, n, "%d item%s", cJSON_GetArraySize(it), cJSON_GetArraySize(it) == 1 ? "" : "s");
    else if (cJSON_IsObject(it))
        snprintf(buf, n, "{...}");
    else
        preset_describe(buf, n, it);
}

/* How the list names a path: a key's short name ("lr"), "layer 2 units", else the path. */
static void diff_name(char *buf, size_t n, const char *path)
{
    int layer;
    char key[64];
    if (sscanf(path, "model.layers.%d.%63s", &layer, key) == 2) {
        snprintf(buf, n, "layer %d %s", layer + 1, key);
        return;
    }
    const nn_preset_key *k = nn_preset_key_find(path);
    snprintf(buf, n, "%s", k && k->type != NN_KEY_OBJECT ? nn_preset_key_abbrev(k) : path);
}

static void diff_add(diff_list *d, const char *path, const cJSON *a, const cJSON *b)
{
    d->count++;
    if (!d->out || d->len + 1 >= d->cap)
        return;
    char name[PATH_LEN], va[64], vb[64];
    diff_name(name, sizeof name, path);
    diff_value(va, sizeof va, a);
    diff_value(vb, sizeof vb, b);
    if (cJSON_IsArray(a) && cJSON_IsArray(b) && strcmp(path, "model.layers") == 0) {
        snprintf(va, sizeof va, "%d", cJSON_GetArraySize(a));
        snprintf(vb, sizeof vb, "%d layers", cJSON_GetArraySize(b));
    }
    int k = snprintf(d->out + d->len, d->cap - d->len, "%s%s %s -> %s", d->count > 1 ? ", " : "", name, va, vb);
    if (k < 0 || (size_t)k >= d->cap - d->len) {   /* cut: end with "..." */
        size_t end = d->cap - 1;
        if (end >= 3)
            memcpy(d->out + end - 3, "...", 3);
        d->out[end] = '\0';
        d->len = d->cap;
        return;
    }
    d->len += (size_t)k;
}

static void diff_tree(diff_list *d, const char *path, const cJSON *a, const cJSON *b)
{
    if (cJSON_IsObject(a) && cJSON_IsObject(b)) {
        for (const cJSON *x = a->child; x; x = x->next) {
            if (!path[0] && (strcmp(x->string, "name") == 0 || strcmp(x->string, "description") == 0))
                continue;
            char kp[PATH_LEN];
            preset_join(kp, path, x->string);
            diff_tree(d, kp, x, cJSON_GetObjectItemCaseSensitive(b, x->string));
        }
        for (const cJSON *y = b->child; y; y = y->next) {
            if (cJSON_GetObjectItemCaseSensitive(a, y->string))
                continue;
            char kp[PATH_LEN];
            preset_join(kp, path, y->string);
            diff_add(d, kp, NULL, y);
        }
    } else if (cJSON_IsArray(a) && cJSON_IsArray(b) && strcmp(path, "model.layers") == 0 &&
               cJSON_GetArraySize(a) == cJSON_GetArraySize(b)) {
        int i = 0;
        for (const cJSON *x = a->child, *y = b->child; x && y; x = x->next, y = y->next, i++) {
            char kp[PATH_LEN];
            snprintf(kp, sizeof kp, "%s.%d", path, i);
            diff_tree(d, kp, x, y);
        }
    } else if (!b || !cJSON_Compare(a, b, true)) {
        diff_add(d, path, a, b);
    }
}

int nn_preset_diff(const nn_preset *a, const nn_preset *b, char *out, size_t cap)
{
    if (out && cap)
        out[0] = '\0';
    cJSON *ta = preset_build_tree(a, true), *tb = preset_build_tree(b, true);
    diff_list d = {out && cap ? out : NULL, cap, 0, 0};
    if (ta && tb)
        diff_tree(&d, "", ta, tb);
    else
        d.count = memcmp(a, b, sizeof *a) != 0;   /* out of memory: any difference at all */
    cJSON_Delete(ta);
    cJSON_Delete(tb);
    return d.count;
}

nn_status nn_preset_save(const nn_preset *p, const char *path, nn_error *err)
{
    nn_status st = nn_preset_check_save(p, path, false, err);
    if (st != NN_OK)
        return st;
    nn_preset *q = malloc(sizeof *q);   /* ~25 KB: not on the caller's stack */
    if (!q)
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory writing the preset", path);
    *q = *p;
    nn_preset_rebase(q, path);   /* relative data paths from the new file's folder */
    char *s = nn_preset_to_json(q);
    free(q);
    if (!s)
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory writing the preset", path);
    st = nn_file_write_atomic(path, s, strlen(s), err);
    free(s);
    return st;
}
