/* preset_keys.c — dotted keys: --set and get (through the JSON tree, so a set is validated as a file
 * is), which keys exist, lesson locks, and the names of the built-in presets. */
#include "preset_impl.h"

#include "presets/builtin_presets.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The embedded presets (the *.json files) without ".json", generated from presets/meson.build. */
static const char *const builtin_names[] = {NN_BUILTIN_PRESETS};

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

bool preset_valid_key(const char *key)
{
    if (!key[0])
        return false;
    if (nn_preset_key_find(key))
        return true;
    /* a layer as a whole: "model.layers.0" or "model.layers.*" */
    static const char prefix[] = "model.layers.";
    const char *idx = key + sizeof prefix - 1;
    return strncmp(key, prefix, sizeof prefix - 1) == 0 &&
           (strcmp(idx, "*") == 0 || (all_digits(idx) && strlen(idx) < 8));
}

// --- dotted keys: set and get ----------------------------------------------------------------------

/* Splits key at dots into comps (pointers into buf). Returns the count, or -1 for an empty part. */
static int split_key(char *buf, size_t cap, const char *key, char **comps, int max)
{
    if (snprintf(buf, cap, "%s", key) >= (int)cap)
        return -1;
    int n = 0;
    char *s = buf;
    for (;;) {
        char *dot = strchr(s, '.');
        if (dot)
            *dot = '\0';
        if (!*s || n == max)
            return -1;
        comps[n++] = s;
        if (!dot)
            return n;
        s = dot + 1;
    }
}

static bool parse_index(const char *s, int *out)
{
    if (!all_digits(s) || strlen(s) > 6)
        return false;
    *out = atoi(s);
    return true;
}

nn_status nn_preset_set(nn_preset *p, const char *key, const char *value, nn_error *err)
{
    const char *file = p->file[0] ? p->file : "preset";
    char buf[PATH_LEN];
    char *comps[16];
    int n = split_key(buf, sizeof buf, key, comps, 16);
    if (n < 1)
        return nn_error_set(err, NN_EINVAL, "%s: \"%s\" is not a key (write a dotted path such as "
                            "training.optimizer.learning_rate or model.layers.0.units)", file, key);

    /* VALUE is JSON where it parses as JSON, else a string */
    cJSON *v = NULL;
    const char *end = NULL;
    size_t vlen = strlen(value);
    if (vlen) {
        v = cJSON_ParseWithLengthOpts(value, vlen, &end, 0);
        if (v && end) {
            while (*end && isspace((unsigned char)*end))
                end++;
            if (*end) {
                cJSON_Delete(v);
                v = NULL;
            }
        }
    }
    if (!v)
        v = cJSON_CreateString(value);
    cJSON *root = preset_build_tree(p, false);
    if (!v || !root) {
        cJSON_Delete(v);
        cJSON_Delete(root);
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory setting %s", file, key);
    }

    nn_status st = NN_OK;
    cJSON *cur = root;
    char path[PATH_LEN] = "";
    for (int i = 0; i < n - 1 && st == NN_OK; i++) {
        cJSON *next = NULL;
        int idx;
        if (cJSON_IsObject(cur)) {
            next = cJSON_GetObjectItemCaseSensitive(cur, comps[i]);
            if (!next) {
                next = cJSON_CreateObject();
                if (!next || !cJSON_AddItemToObject(cur, comps[i], next)) {
                    cJSON_Delete(next);
                    st = nn_error_set(err, NN_ENOMEM, "%s: out of memory setting %s", file, key);
                    break;
                }
            }
        } else if (cJSON_IsArray(cur)) {
            int size = cJSON_GetArraySize(cur);
            if (!parse_index(comps[i], &idx) || idx > size) {
                st = nn_error_set(err, NN_EINVAL, "%s: %s.%s: no such element (indices 0..%d; %d appends)",
                                  file, path, comps[i], size - 1, size);
                break;
            }
            if (idx == size) {
                next = cJSON_CreateObject();
                if (!next || !cJSON_AddItemToArray(cur, next)) {
                    cJSON_Delete(next);
                    st = nn_error_set(err, NN_ENOMEM, "%s: out of memory setting %s", file, key);
                    break;
                }
            } else {
                next = cJSON_GetArrayItem(cur, idx);
            }
        } else {
            st = nn_error_set(err, NN_EINVAL, "%s: %s: is %s, so it has no key \"%s\"", file, path,
                              preset_type_name(cur), comps[i]);
            break;
        }
        char np[PATH_LEN];
        preset_join(np, path, comps[i]);
        memcpy(path, np, sizeof path);
        cur = next;
    }
    const char *last = comps[n - 1];
    if (st == NN_OK) {
        if (cJSON_IsObject(cur)) {
            /* a new optimizer or schedule starts from its own defaults (set learning_rate after it) */
            char full[PATH_LEN];
            preset_join(full, path, last);
            const nn_preset_key *row = nn_preset_key_find(full);
            bool rename = row && (row->flags & NN_KEY_KIND);
            const cJSON *old = cJSON_GetObjectItemCaseSensitive(cur, last);
            if (rename && !(cJSON_IsString(old) && cJSON_IsString(v) &&
                            strcmp(old->valuestring, v->valuestring) == 0)) {
                while (cur->child)
                    cJSON_DeleteItemFromObjectCaseSensitive(cur, cur->child->string);
            }
            if (cJSON_IsNull(v)) {
                cJSON_DeleteItemFromObjectCaseSensitive(cur, last);   /* back to the default */
                cJSON_Delete(v);
            } else if (cJSON_GetObjectItemCaseSensitive(cur, last)) {
                cJSON_ReplaceItemInObjectCaseSensitive(cur, last, v);
            } else {
                cJSON_AddItemToObject(cur, last, v);
            }
            v = NULL;
        } else if (cJSON_IsArray(cur)) {
            int size = cJSON_GetArraySize(cur), idx;
            if (!parse_index(last, &idx) || idx > size || (idx == size && cJSON_IsNull(v))) {
                st = nn_error_set(err, NN_EINVAL, "%s: %s.%s: no such element (indices 0..%d; %d appends)",
                                  file, path, last, size - 1, size);
            } else if (cJSON_IsNull(v)) {
                cJSON_DeleteItemFromArray(cur, idx);
            } else if (idx == size) {
                cJSON_AddItemToArray(cur, v);
                v = NULL;
            } else {
                cJSON_ReplaceItemInArray(cur, idx, v);
                v = NULL;
            }
        } else {
            st = nn_error_set(err, NN_EINVAL, "%s: %s: is %s, so it has no key \"%s\"", file, path,
                              preset_type_name(cur), last);
        }
    }
    cJSON_Delete(v);
    if (st == NN_OK) {
        nn_preset tmp;
        st = nn_preset_from_cjson(&tmp, root, file, NULL, err);
        if (st == NN_OK) {
            memcpy(tmp.file, p->file, sizeof tmp.file);
            memcpy(tmp.base_dir, p->base_dir, sizeof tmp.base_dir);
            *p = tmp;
        }
    }
    cJSON_Delete(root);
    return st;
}

nn_status nn_preset_get(const nn_preset *p, const char *key, char *out, size_t outlen, nn_error *err)
{
    char buf[PATH_LEN];
    char *comps[16];
    int n = split_key(buf, sizeof buf, key, comps, 16);
    if (n < 1 || !preset_valid_key(key))
        return nn_error_set(err, NN_EINVAL, "%s: not a preset key", key);
    cJSON *root = preset_build_tree(p, true);
    if (!root)
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory", key);
    const cJSON *cur = root;
    for (int i = 0; i < n && cur; i++) {
        int idx;
        if (cJSON_IsArray(cur))
            cur = parse_index(comps[i], &idx) ? cJSON_GetArrayItem(cur, idx) : NULL;
        else
            cur = cJSON_IsObject(cur) ? cJSON_GetObjectItemCaseSensitive(cur, comps[i]) : NULL;
    }
    nn_status st = NN_OK;
    if (!cur) {
        st = nn_error_set(err, NN_EINVAL, "%s: not used by this preset (a parameter of another optimizer or "
                          "schedule, or a layer that does not exist)", key);
    } else {
        char *s = preset_tree_text(cur, false);
        if (!s)
            st = nn_error_set(err, NN_ENOMEM, "%s: out of memory", key);
        else if (strlen(s) >= outlen)
            st = nn_error_set(err, NN_EINVAL, "%s: the value is longer than %zu bytes", key, outlen);
        else
            memcpy(out, s, strlen(s) + 1);
        free(s);
    }
    cJSON_Delete(root);
    return st;
}

// --- built-ins and locks ----------------------------------------------------------------------------

int nn_preset_builtin_count(void)
{
    return (int)(sizeof builtin_names / sizeof builtin_names[0]);
}

/* iris sorts first, then strcmp order */
static bool builtin_before(const char *a, const char *b)
{
    bool ia = strcmp(a, "iris") == 0, ib = strcmp(b, "iris") == 0;
    if (ia != ib)
        return ia;
    return strcmp(a, b) < 0;
}

/* The i-th name in display order: the one with exactly i names before it (no cached sort: the
 * list is short and core keeps no mutable state). */
const char *nn_preset_builtin_name(int i)
{
    int n = nn_preset_builtin_count();
    for (int k = 0; k < n; k++) {
        int rank = 0;
        for (int j = 0; j < n; j++)
            rank += builtin_before(builtin_names[j], builtin_names[k]);
        if (rank == i)
            return builtin_names[k];
    }
    return NULL;
}

static bool all_digits_n(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

/* Component-wise: a locked "model.layers.*.activation" matches any layer index. */
static bool key_has_prefix(const char *key, const char *lock)
{
    for (;;) {
        size_t lk = strcspn(lock, "."), kk = strcspn(key, ".");
        bool star = lk == 1 && lock[0] == '*' && all_digits_n(key, kk);
        if (!star && (lk != kk || strncmp(key, lock, lk) != 0))
            return false;
        lock += lk;
        key += kk;
        if (!*lock)
            return *key == '\0' || *key == '.';
        if (!*key)
            return false;
        lock++;
        key++;
    }
}

bool nn_preset_is_locked(const nn_preset *p, const char *key)
{
    /* an edit of a key that changes its whole group (a new optimizer resets every parameter) is
     * locked when any key of the group is */
    const nn_preset_key *k = nn_preset_key_find(key);
    const char *group = k && (k->flags & NN_KEY_EDITS_GROUP) ? k->lock_group : NULL;
    for (int i = 0; i < p->lesson.n_locked && i < NN_MAX_LOCKED; i++)
        if (key_has_prefix(key, p->lesson.locked[i]) || (group && key_has_prefix(p->lesson.locked[i], group)))
            return true;
    return false;
}
