/* preset_parse.c — reading a preset: the defaults, parsing JSON into nn_preset and validating it,
 * both by walking the key table (preset_schema.c) level by level, plus the few rules that tie keys
 * together (the split sums to 1, a source's required files, ...). Every problem becomes one line
 * "FILE: JSON.PATH: what is wrong (what is allowed)" in nn_diags; the first also goes to nn_error.
 *
 * Parse checks types, names and ranges while it copies values into the struct (a value that fails
 * is not stored, so nothing is reported twice); validate checks the struct again (ranges, names,
 * the rules), because the UI edits the struct directly. */
#include "preset_impl.h"

#include "datasets.h"
#include "loss.h"
#include "text.h"


#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_CHILDREN 32

// --- defaults ------------------------------------------------------------------------------------------

static bool is_kind_object(const nn_preset_key *k) { return k && k->takes; }

static const nn_preset_key *kind_child(const nn_preset_key **ch, int n)
{
    for (int i = 0; i < n; i++)
        if (ch[i]->flags & NN_KEY_KIND)
            return ch[i];
    return NULL;
}

static void layer_defaults(nn_preset *p, int layer)
{
    const nn_preset_key *layers = nn_preset_key_find("model.layers");
    const nn_preset_key *ch[MAX_CHILDREN];
    int n = preset_children(layers, ch, MAX_CHILDREN);
    memset(&p->layers[layer], 0, sizeof p->layers[layer]);
    for (int i = 0; i < n; i++)
        preset_put_value(p, ch[i], layer, ch[i]->dflt);
}

static void defaults_level(nn_preset *p, const nn_preset_key *level)
{
    const nn_preset_key *ch[MAX_CHILDREN];
    int n = preset_children(level, ch, MAX_CHILDREN);
    const nn_preset_key *kind = kind_child(ch, n);
    if (is_kind_object(level) && kind)
        level->start(p, (int)kind->dflt);   /* the default kind's own defaults */
    for (int i = 0; i < n; i++) {
        const nn_preset_key *k = ch[i];
        if (k->type == NN_KEY_OBJECT)
            defaults_level(p, k);
        else if (k->type == NN_KEY_STRING || k->type == NN_KEY_COLUMN || k->type == NN_KEY_STRINGS ||
                 k->type == NN_KEY_LAYERS)
            continue;   /* "" and none: the memset */
        else if (!is_kind_object(level) || (k->flags & (NN_KEY_KIND | NN_KEY_OWN_DEFAULT)))
            preset_put_value(p, k, -1, k->dflt);
    }
}

void nn_preset_defaults(nn_preset *p)
{
    memset(p, 0, sizeof *p);
    defaults_level(p, NULL);
    /* model.layers: 40 relu units, then the output layer (its keys' defaults: auto) */
    p->n_layers = 2;
    layer_defaults(p, 0);
    layer_defaults(p, 1);
    p->layers[0].units = 40;
    p->layers[0].act = NN_ACT_RELU;
    snprintf(p->base_dir, sizeof p->base_dir, ".");
}

// --- parse ---------------------------------------------------------------------------------------------

static const cJSON *member(const cJSON *obj, const char *key)
{
    return cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
}

static bool is_auto(const cJSON *it)
{
    return cJSON_IsString(it) && strcmp(it->valuestring, "auto") == 0;
}

/* Reports unknown and duplicate keys of obj, whose keys are ch[0..n). False if obj is no object. */
static bool check_object(preset_ctx *c, const cJSON *obj, const char *path, const nn_preset_key **ch, int n)
{
    if (!cJSON_IsObject(obj)) {
        preset_type_error(c, path, obj, "an object");
        return false;
    }
    const char *keys[MAX_CHILDREN];
    for (int i = 0; i < n; i++)
        keys[i] = preset_last(ch[i]);
    for (const cJSON *it = obj->child; it; it = it->next) {
        char p[PATH_LEN];
        preset_join(p, path, it->string ? it->string : "");
        bool known = false;
        for (int i = 0; i < n && it->string && !known; i++)
            known = strcmp(keys[i], it->string) == 0;
        if (!known) {
            char list[LIST_LEN];
            size_t len = 0;
            list[0] = '\0';
            for (int i = 0; i < n && len < sizeof list; i++)
                len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", keys[i]);
            const char *s = it->string ? preset_suggest(keys, n, it->string) : NULL;
            if (s)
                preset_report(c, NN_EINVAL, p, "unknown key; did you mean \"%s\"? (allowed here: %s)", s, list);
            else
                preset_report(c, NN_EINVAL, p, "unknown key (allowed here: %s)", list);
            continue;
        }
        for (const cJSON *prev = obj->child; prev != it; prev = prev->next) {
            if (prev->string && strcmp(prev->string, it->string) == 0) {
                preset_report(c, NN_EINVAL, p, "duplicate key (each key may appear once)");
                break;
            }
        }
    }
    return true;
}

static bool get_number(preset_ctx *c, const cJSON *it, const char *path, const nn_range *r, double *out)
{
    if (!cJSON_IsNumber(it)) {
        preset_type_error(c, path, it, r->integer ? "an integer" : "a number");
        return false;
    }
    double v = it->valuedouble;
    if (r->integer && isfinite(v) && v != floor(v)) {
        char d[64];
        preset_describe(d, sizeof d, it);
        preset_report(c, NN_EINVAL, path, "%s is not an integer", d);
        return false;
    }
    if (!nn_range_ok(r, v)) {
        preset_range_error(c, path, v, r);
        return false;
    }
    *out = v;
    return true;
}

static bool get_string(preset_ctx *c, const cJSON *it, const char *path, char *dst, size_t cap)
{
    if (!cJSON_IsString(it)) {
        preset_type_error(c, path, it, "a string");
        return false;
    }
    size_t len = strlen(it->valuestring);
    if (len >= cap) {
        preset_report(c, NN_EINVAL, path, "a string of %zu bytes is too long (at most %zu)", len, cap - 1);
        return false;
    }
    memcpy(dst, it->valuestring, len + 1);
    return true;
}

/* "5 is out of range (1..200), or \"max\"": the range of a key that also takes a word. */
static void word_range_error(preset_ctx *c, const char *path, double v, const nn_preset_key *k)
{
    char rt[64];
    nn_range_text(rt, sizeof rt, &k->range);
    size_t n = strlen(rt);
    if (n > 0 && rt[n - 1] == ')')
        rt[n - 1] = '\0';
    preset_report(c, NN_EINVAL, path, "%.17g is out of range %s, %s\"%s\"%s)", v, rt,
                  (k->flags & NN_KEY_AUTO) ? "" : "or ", k->word, (k->flags & NN_KEY_AUTO) ? " or \"auto\"" : "");
}

/* A number key that also takes a word for a value outside its range (training.epochs "forever" for 0,
 * ui.pace "max" for 0): the word, or a number in range. */
static bool get_word_number(preset_ctx *c, const cJSON *it, const char *path, const nn_preset_key *k, double *out)
{
    if (cJSON_IsString(it) && strcmp(it->valuestring, k->word) == 0) {
        *out = k->word_value;
        return true;
    }
    if (!cJSON_IsNumber(it)) {
        char expect[96];
        snprintf(expect, sizeof expect, "%s%s\"%s\"%s", k->range.integer ? "an integer" : "a number",
                 (k->flags & NN_KEY_AUTO) ? ", " : " or ", k->word, (k->flags & NN_KEY_AUTO) ? " or \"auto\"" : "");
        preset_type_error(c, path, it, expect);
        return false;
    }
    double v = it->valuedouble;
    if (nn_range_ok(&k->range, v)) {
        *out = v;
        return true;
    }
    if (k->range.integer && isfinite(v) && v != floor(v)) {
        char d[64];
        preset_describe(d, sizeof d, it);
        preset_report(c, NN_EINVAL, path, "%s is not an integer", d);
    } else {
        word_range_error(c, path, v, k);
    }
    return false;
}

/* A name from k's list, or "auto" (k AUTO). False if it is not one. */
static bool get_name(preset_ctx *c, const cJSON *it, const char *path, const nn_preset_key *k, int *dst)
{
    if (!cJSON_IsString(it)) {
        preset_type_error(c, path, it, "a string");
        return false;
    }
    if ((k->flags & NN_KEY_AUTO) && strcmp(it->valuestring, "auto") == 0) {
        *dst = (int)k->auto_value;
        return true;
    }
    int i = preset_find_name(k, it->valuestring);
    if (i < 0) {
        char list[LIST_LEN], v[96];
        preset_name_list(list, sizeof list, k, (k->flags & NN_KEY_AUTO) != 0);
        preset_describe(v, sizeof v, it);
        preset_report(c, NN_EINVAL, path, "%s is not one of %s", v, list);
        return false;
    }
    *dst = i;
    return true;
}

static void parse_strings(preset_ctx *c, const cJSON *it, const char *path, nn_preset *p, const nn_preset_key *k)
{
    if (!cJSON_IsArray(it)) {
        preset_type_error(c, path, it, k->expect);
        return;
    }
    int *count = (int *)(void *)((char *)p + k->count_off);
    char *base = (char *)p + k->off;
    int size = cJSON_GetArraySize(it);
    if (size > k->max && k->range.lo == k->range.hi) {   /* exactly so many */
        preset_type_error(c, path, it, k->expect);
        return;
    }
    *count = 0;
    int i = 0;
    for (const cJSON *e = it->child; e; e = e->next, i++) {
        char ep[PATH_LEN];
        snprintf(ep, sizeof ep, "%.140s.%d", path, i);
        if (!cJSON_IsString(e)) {
            preset_type_error(c, ep, e, k->expect_item);
        } else if (*count >= k->max) {
            preset_report(c, NN_EINVAL, ep, "too many (at most %d)", k->max);
            break;
        } else if (strlen(e->valuestring) >= k->size) {
            preset_report(c, NN_EINVAL, ep, "too long (at most %zu bytes)", k->size - 1);
        } else {
            snprintf(base + (size_t)*count * k->size, k->size, "%s", e->valuestring);
            ++*count;
        }
    }
}

/* One key's value it (present) into p. */
static void parse_leaf(preset_ctx *c, const cJSON *it, const char *path, nn_preset *p, const nn_preset_key *k,
                       int layer)
{
    double v;
    int name;
    void *f = preset_field(p, k, layer);
    switch (k->type) {
    case NN_KEY_STRING:
        get_string(c, it, path, f, k->size);
        break;
    case NN_KEY_COLUMN:
        if (cJSON_IsNumber(it)) {   /* a 0-based column index */
            if (get_number(c, it, path, &k->range, &v))
                snprintf(f, k->size, "%d", (int)v);
        } else if (!cJSON_IsString(it)) {
            preset_type_error(c, path, it, k->expect);
        } else {
            get_string(c, it, path, f, k->size);
        }
        break;
    case NN_KEY_INT:
    case NN_KEY_SEED:
    case NN_KEY_NUMBER:
    case NN_KEY_FLOAT:
        if ((k->flags & NN_KEY_AUTO) && is_auto(it))
            preset_put_value(p, k, layer, k->auto_value);
        else if (k->word ? get_word_number(c, it, path, k, &v) : get_number(c, it, path, &k->range, &v))
            preset_put_value(p, k, layer, v);
        break;
    case NN_KEY_BOOL:
        if (cJSON_IsBool(it))
            preset_put_value(p, k, layer, cJSON_IsTrue(it) ? 1.0 : 0.0);
        else
            preset_type_error(c, path, it, "true or false");
        break;
    case NN_KEY_NAME:
        if (get_name(c, it, path, k, &name))
            preset_put_value(p, k, layer, name);
        break;
    case NN_KEY_STRINGS:
        parse_strings(c, it, path, p, k);
        break;
    case NN_KEY_OBJECT:
    case NN_KEY_LAYERS:
        break;
    }
}

static void parse_level(preset_ctx *c, const cJSON *obj, const char *path, nn_preset *p, const nn_preset_key *level,
                        int layer);

static void parse_layers(preset_ctx *c, const cJSON *arr, nn_preset *p, const nn_preset_key *k)
{
    if (!cJSON_IsArray(arr)) {
        preset_type_error(c, k->path, arr, k->expect);
        return;
    }
    int n = cJSON_GetArraySize(arr);
    if (n > k->max)
        preset_report(c, NN_EINVAL, k->path, "%d layers is too many (at most %d)", n, k->max);
    p->n_layers = 0;
    int i = 0;
    for (const cJSON *it = arr->child; it && i < k->max; it = it->next, i++) {
        char path[PATH_LEN];
        snprintf(path, sizeof path, "%.140s.%d", k->path, i);
        layer_defaults(p, i);
        parse_level(c, it, path, p, k, i);
        p->n_layers = i + 1;
    }
}

/* The object obj at path, whose keys are the rows under level (NULL: the top; model.layers: a layer). */
static void parse_level(preset_ctx *c, const cJSON *obj, const char *path, nn_preset *p, const nn_preset_key *level,
                        int layer)
{
    const nn_preset_key *ch[MAX_CHILDREN];
    int n = preset_children(level, ch, MAX_CHILDREN);
    if (!check_object(c, obj, path, ch, n))
        return;
    /* the kind first: it decides what the other keys are, and their defaults */
    const nn_preset_key *kind = kind_child(ch, n);
    int kind_value = -1;
    bool known = true;
    if (kind) {
        kind_value = (int)kind->dflt;
        const cJSON *it = member(obj, preset_last(kind));
        if (it) {
            char kp[PATH_LEN];
            preset_join(kp, path, preset_last(kind));
            known = get_name(c, it, kp, kind, &kind_value);
            if (!known)
                kind_value = (int)kind->dflt;
        }
    }
    if (level && level->type == NN_KEY_OBJECT && level->start)
        level->start(p, kind_value);
    if (kind)
        preset_put_value(p, kind, layer, kind_value);
    for (int i = 0; i < n; i++) {
        const nn_preset_key *k = ch[i];
        const cJSON *it = member(obj, preset_last(k));
        if (!it || k == kind)
            continue;
        char kp[PATH_LEN];
        preset_join(kp, path, preset_last(k));
        if (known && is_kind_object(level) && !level->takes(p, k)) {
            char list[LIST_LEN];
            size_t len = 0;
            list[0] = '\0';
            for (int j = 0; j < n; j++)
                if (ch[j] != kind && level->takes(p, ch[j]) && len < sizeof list)
                    len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", len ? ", " : "", preset_last(ch[j]));
            preset_report(c, NN_EINVAL, kp, "%s%s%s takes no %s (its parameters: %s)", level->kind_before,
                          kind->names(kind_value), level->kind_after, preset_last(k), len ? list : "none");
            continue;
        }
        if (k->type == NN_KEY_OBJECT)
            parse_level(c, it, kp, p, k, layer);
        else if (k->type == NN_KEY_LAYERS)
            parse_layers(c, it, p, k);
        else
            parse_leaf(c, it, kp, p, k, layer);
    }
}

// --- validate --------------------------------------------------------------------------------------------

/* Text in a preset is UTF-8 without control characters (a --set value or the UI could bring others;
 * \n and \t are allowed where the key has NN_KEY_LINES): model files, --json output and the terminal,
 * which repeat these strings, get valid UTF-8 that cannot drive a terminal. */
static void check_text(preset_ctx *c, const char *path, const char *txt, bool lines)
{
    size_t n = strlen(txt), bad = nn_utf8_check(txt, n);
    if (bad < n) {
        preset_report(c, NN_EINVAL, path, "byte %zu (0x%02X) is not UTF-8 (text in a preset is UTF-8)", bad + 1,
                      (unsigned)(unsigned char)txt[bad]);
        return;
    }
    for (size_t k = 0; k < n; k++) {
        unsigned char ch = (unsigned char)txt[k];
        bool c1 = ch == 0xC2 && (unsigned char)txt[k + 1] < 0xA0;   /* U+0080..U+009F */
        if ((ch < 0x20 && !(lines && (ch == '\n' || ch == '\t'))) || ch == 0x7F || c1) {
            preset_report(c, NN_EINVAL, path, "a control character (%s%02X) at byte %zu: not allowed%s",
                          c1 ? "U+00" : "0x", c1 ? (unsigned)(unsigned char)txt[k + 1] : (unsigned)ch, k + 1,
                          lines ? " (only newlines and tabs are)" : "");
            return;
        }
    }
}

static void check_range(preset_ctx *c, const char *path, double v, const nn_range *r)
{
    if (!nn_range_ok(r, v))
        preset_range_error(c, path, v, r);
}

static bool is_auto_value(const nn_preset_key *k, double v)
{
    return (k->flags & NN_KEY_AUTO) && (isnan(k->auto_value) ? isnan(v) : v == k->auto_value);
}

static void validate_leaf(preset_ctx *c, const nn_preset *p, const nn_preset_key *k, int layer, const char *path)
{
    const void *f = preset_cfield(p, k, layer);
    char list[LIST_LEN];
    double v;
    switch (k->type) {
    case NN_KEY_STRING:
    case NN_KEY_COLUMN:
        check_text(c, path, f, (k->flags & NN_KEY_LINES) != 0);
        if (k->names) {
            preset_name_list(list, sizeof list, k, false);
            if (!*(const char *)f && (k->flags & NN_KEY_REQUIRED))
                preset_report(c, NN_EINVAL, path, "missing (required: one of %s)", list);
            else if (*(const char *)f && preset_find_name(k, f) < 0)
                preset_report(c, NN_EINVAL, path, "\"%s\" is not one of %s", (const char *)f, list);
        }
        break;
    case NN_KEY_STRINGS: {
        int count = *(const int *)(const void *)((const char *)p + k->count_off);
        if (count < 0 || count > k->max || (count && !nn_range_ok(&k->range, count))) {
            preset_report(c, NN_EINVAL, path, "%d strings (at most %d)", count, k->max);
            break;
        }
        for (int i = 0; i < count; i++) {
            char ep[PATH_LEN];
            snprintf(ep, sizeof ep, "%.140s.%d", path, i);
            const char *item = (const char *)p + k->off + (size_t)i * k->size;
            check_text(c, ep, item, false);
            if (!k->names)
                continue;
            /* chosen from a list (dataset.features): each a name of it, once */
            if (preset_find_name(k, item) < 0) {
                preset_name_list(list, sizeof list, k, false);
                preset_report(c, NN_EINVAL, ep, "\"%s\" is not one of %s", item, list);
                continue;
            }
            for (int j = 0; j < i; j++)
                if (strcmp(item, (const char *)p + k->off + (size_t)j * k->size) == 0) {
                    preset_report(c, NN_EINVAL, ep, "\"%s\" is given twice (each at most once)", item);
                    break;
                }
        }
        break;
    }
    case NN_KEY_INT:
    case NN_KEY_SEED:
    case NN_KEY_NUMBER:
    case NN_KEY_FLOAT:
        v = preset_get_value(p, k, layer);
        if (is_auto_value(k, v) || (k->word && v == k->word_value))
            break;
        if (k->word && !nn_range_ok(&k->range, v))
            word_range_error(c, path, v, k);
        else
            check_range(c, path, v, &k->range);
        break;
    case NN_KEY_NAME:
        v = preset_get_value(p, k, layer);
        if (!is_auto_value(k, v) && (v < 0 || !k->names((int)v))) {
            preset_name_list(list, sizeof list, k, (k->flags & NN_KEY_AUTO) != 0);
            if (k->noun)
                preset_report(c, NN_EINVAL, path, "%d is not %s", (int)v, k->noun);
            else
                preset_report(c, NN_EINVAL, path, "%d is not one of %s", (int)v, list);
        }
        break;
    case NN_KEY_BOOL:
    case NN_KEY_OBJECT:
    case NN_KEY_LAYERS:
        break;
    }
}

/* --- the rules that tie keys together, checked after the key they are attached to */

/* the source's required keys, and keys that go in pairs */
static void rule_source(preset_ctx *c, const nn_preset *p)
{
    const nn_source_info *src = p->dataset.source[0] ? nn_source_find(p->dataset.source) : NULL;
    for (int i = 0; src && i < src->n_keys; i++) {
        const nn_source_key *k = &src->keys[i];
        const char *v = (const char *)&p->dataset + k->off;
        char path[PATH_LEN];
        snprintf(path, sizeof path, "dataset.%s", k->key);
        if ((k->flags & NN_SOURCE_REQUIRED) && !v[0])
            preset_report(c, NN_EINVAL, path, "missing: the %s source needs %s", src->name, k->what);
        if ((k->flags & NN_SOURCE_PAIRED) && i + 1 < src->n_keys) {
            const nn_source_key *next = &src->keys[i + 1];
            const char *w = (const char *)&p->dataset + next->off;
            if (!v[0] != !w[0]) {
                snprintf(path, sizeof path, "dataset.%s", v[0] ? next->key : k->key);
                preset_report(c, NN_EINVAL, path, "missing: %s and %s go together", k->key, next->key);
            }
        }
    }
}

static void rule_split(preset_ctx *c, const nn_preset *p)
{
    const nn_preset_dataset *d = &p->dataset;
    const double fr[3] = {d->split_train, d->split_val, d->split_test};
    const nn_range unit = {0, 1, false, false, false};
    for (int i = 0; i < 3; i++)
        if (!nn_range_ok(&unit, fr[i]))
            return;   /* reported as out of range */
    double sum = fr[0] + fr[1] + fr[2];
    if (fabs(sum - 1.0) > 1e-6)
        preset_report(c, NN_EINVAL, "dataset.split", "train %g + val %g + test %g = %g, expected the fractions "
                      "to sum to 1", fr[0], fr[1], fr[2], sum);
    if (fr[0] <= 0.0)
        preset_report(c, NN_EINVAL, "dataset.split.train", "0 is out of range (the training split must be > 0)");
}

/* Playground's features need data with two raw features (x1, x2): known here for the built-in
 * sources; a CSV file is checked when it is loaded (the trainer) */
static void rule_features(preset_ctx *c, const nn_preset *p)
{
    const nn_preset_dataset *d = &p->dataset;
    int f[NN_FEAT_COUNT];
    int n = 0;
    for (int i = 0; i < d->n_features && i < NN_FEAT_COUNT; i++)
        f[n++] = nn_feature_find(d->features[i]);
    if (n == 0 || nn_features_identity(f, n))
        return;   /* the data's own features, whatever their number */
    const nn_source_info *src = d->source[0] ? nn_source_find(d->source) : NULL;
    if (src && src->n_features < 0)
        preset_report(c, NN_EINVAL, "dataset.features", "needs data with two raw features (x1, x2); the %s source "
                      "gives images (hundreds of pixels)", src->name);
    else if (src && src->n_features > 0 && src->n_features != 2)
        preset_report(c, NN_EINVAL, "dataset.features", "needs data with two raw features (x1, x2); the %s source "
                      "gives %d", src->name, src->n_features);
}

static void rule_layers(preset_ctx *c, const nn_preset *p)
{
    if (p->n_layers < 1)
        preset_report(c, NN_EINVAL, "model.layers", "empty: a network needs at least one layer (the output layer)");
    if (p->n_layers > NN_MAX_LAYERS)
        preset_report(c, NN_EINVAL, "model.layers", "%d layers is too many (at most %d)", p->n_layers, NN_MAX_LAYERS);
}

/* a loss that needs classes, on a dataset that is regression */
static void rule_loss(preset_ctx *c, const nn_preset *p)
{
    const nn_preset_dataset *d = &p->dataset;
    int loss = p->training.loss;
    if (loss < 0 || loss >= NN_LOSS_COUNT || !nn_loss_table[loss].classification)
        return;
    const nn_source_info *src = d->source[0] ? nn_source_find(d->source) : NULL;
    int task = d->task != NN_AUTO ? d->task : src && !src->task_from_data ? (int)src->task : NN_AUTO;
    if (task == NN_TASK_REGRESSION)
        preset_report(c, NN_EINVAL, "training.loss", "\"%s\" needs a classification task, but the %s dataset is "
                      "regression (use mse, mae or rmse)", nn_loss_table[loss].name,
                      d->task != NN_AUTO ? "given" : d->source);
}

static void rule_nesterov(preset_ctx *c, const nn_preset *p)
{
    const nn_opt_params *o = &p->training.optimizer;
    if (o->kind == NN_OPT_SGD && o->nesterov && (o->momentum <= 0.0 || o->dampening != 0.0))
        preset_report(c, NN_EINVAL, "training.optimizer.nesterov", "true needs momentum > 0 and dampening 0 "
                      "(momentum %g, dampening %g)", o->momentum, o->dampening);
}

/* cosine with t_max 0 anneals over the run's epochs, which a run that goes on forever does not have */
static void rule_schedule(preset_ctx *c, const nn_preset *p)
{
    const nn_schedule *s = &p->training.schedule;
    if (s->kind == NN_SCHED_COSINE && s->t_max == 0 && p->training.epochs == 0)
        preset_report(c, NN_EINVAL, "training.schedule.t_max", "0 anneals over the run's epochs, and training.epochs "
                      "is \"forever\": give t_max (the half period in epochs)");
}

static void rule_locked(preset_ctx *c, const nn_preset *p)
{
    for (int i = 0; i < p->lesson.n_locked && i < NN_MAX_LOCKED; i++) {
        if (!preset_valid_key(p->lesson.locked[i])) {
            char path[PATH_LEN];
            snprintf(path, sizeof path, "lesson.locked.%d", i);
            preset_report(c, NN_EINVAL, path, "\"%s\" is not a preset key (write a dotted path such as "
                          "\"training.optimizer.name\" or \"model.layers.0.units\")", p->lesson.locked[i]);
        }
    }
}

static const struct {
    const char *path;   /* checked after this key (an object: after everything under it) */
    void (*rule)(preset_ctx *c, const nn_preset *p);
} rules[] = {
    {"dataset.source", rule_source}, {"dataset.split", rule_split},       {"dataset.features", rule_features},
    {"model.layers", rule_layers},
    {"training.loss", rule_loss},    {"training.optimizer", rule_nesterov}, {"training.schedule", rule_schedule},
    {"lesson.locked", rule_locked},
};

static void apply_rules(preset_ctx *c, const nn_preset *p, const nn_preset_key *k)
{
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (strcmp(rules[i].path, k->path) == 0)
            rules[i].rule(c, p);
}

static void validate_level(preset_ctx *c, const nn_preset *p, const nn_preset_key *level, int layer,
                           const char *path)
{
    const nn_preset_key *ch[MAX_CHILDREN];
    int n = preset_children(level, ch, MAX_CHILDREN);
    for (int i = 0; i < n; i++) {
        const nn_preset_key *k = ch[i];
        if (is_kind_object(level) && !level->takes(p, k))
            continue;
        char kp[PATH_LEN];
        preset_join(kp, path, preset_last(k));
        if (k->type == NN_KEY_OBJECT) {
            validate_level(c, p, k, layer, kp);
        } else if (k->type == NN_KEY_LAYERS) {
            apply_rules(c, p, k);   /* the count first */
            for (int l = 0; l < p->n_layers && l < k->max; l++) {
                char lp[PATH_LEN];
                snprintf(lp, sizeof lp, "%.140s.%d", k->path, l);
                validate_level(c, p, k, l, lp);
            }
            continue;
        } else {
            validate_leaf(c, p, k, layer, kp);
            /* a layer's units: 0 (auto) only on the last layer */
            if (layer >= 0 && strcmp(k->path, "model.layers.*.units") == 0 && layer < p->n_layers - 1 &&
                p->layers[layer].units == 0)
                preset_report(c, NN_EINVAL, kp, "0 (auto) is only allowed on the last layer: a hidden layer needs "
                              "1..65536 units");
        }
        apply_rules(c, p, k);
    }
}

// --- public: parse, load, validate -------------------------------------------------------------------------

static void set_file(nn_preset *p, const char *filename)
{
    snprintf(p->file, sizeof p->file, "%s", filename);
    nn_path_dir(p->base_dir, sizeof p->base_dir, filename);
}

nn_status nn_preset_from_cjson(nn_preset *p, const struct cJSON *root, const char *filename,
                               nn_diags *diags, nn_error *err)
{
    if (!filename)
        filename = "preset";
    nn_preset_defaults(p);
    set_file(p, filename);
    preset_ctx c = {.file = p->file, .diags = diags, .err = err};
    if (!cJSON_IsObject(root)) {
        preset_report(&c, NN_EINVAL, NULL, "the top level is %s, expected a JSON object {...}",
                      preset_type_name(root));
    } else {
        parse_level(&c, root, "", p, NULL, -1);
        c.validating = true;
        validate_level(&c, p, NULL, -1, "");
    }
    if (c.problems)
        return err ? err->code : NN_EINVAL;
    nn_error_clear(err);
    return NN_OK;
}

nn_status nn_preset_parse(nn_preset *p, const char *json, size_t len, const char *filename,
                          nn_diags *diags, nn_error *err)
{
    if (!filename)
        filename = "preset";
    preset_ctx c = {.file = filename, .diags = diags, .err = err};
    /* A preset describes one experiment in a few KB; its data live in CSV or IDX files. The cap
     * keeps a hostile file from building a parse tree of gigabytes (cJSON spends ~64 bytes a value). */
    if (len > NN_PRESET_MAX_BYTES) {
        preset_report(&c, NN_ENOMEM, NULL, "too large (%zu bytes, more than %d KB, the most a preset may hold: "
                      "a preset describes an experiment, its data go in a CSV or IDX file)", len,
                      NN_PRESET_MAX_BYTES / 1024);
        return NN_ENOMEM;
    }
    const unsigned char *u = (const unsigned char *)json;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        preset_report(&c, NN_EFORMAT, NULL, "the file is UTF-16 (it starts with a UTF-16 byte order mark): "
                      "JSON presets are read as UTF-8 (save the file as UTF-8)");
        return NN_EFORMAT;
    }
    if (len >= 3 && memcmp(json, "\xEF\xBB\xBF", 3) == 0) {   /* a UTF-8 byte order mark, as some editors write */
        json += 3;
        len -= 3;
    }
    size_t i = 0;
    while (i < len && isspace((unsigned char)json[i]))
        i++;
    if (i == len) {
        preset_report(&c, NN_EFORMAT, NULL, "empty file (a preset is a JSON object: {\"dataset\": {\"source\": "
                      "\"iris\"}} is the smallest)");
        return NN_EFORMAT;
    }
    size_t line, col, bad_byte = nn_utf8_check(json, len);
    char at[NN_PATH_MAX + 48];
    if (bad_byte < len) {
        nn_text_position(json, bad_byte, &line, &col);
        snprintf(at, sizeof at, "%s:%zu:%zu", filename, line, col);
        preset_ctx c2 = {.file = at, .diags = diags, .err = err};
        preset_report(&c2, NN_EFORMAT, NULL, "byte 0x%02X is not UTF-8 (a Windows-1252 or Latin-1 file?): "
                      "JSON is read as UTF-8 (save the file as UTF-8)", (unsigned)(unsigned char)json[bad_byte]);
        return NN_EFORMAT;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
    if (!root) {
        nn_error e;
        nn_status st = nn_json_explain(&e, json, len, filename);
        if (diags)
            nn_diags_add(diags, "%s", e.msg);
        if (err)
            *err = e;
        return st;
    }
    const char *q = end && end >= json && end <= json + len ? end : json + len;
    while (q < json + len && isspace((unsigned char)*q))
        q++;
    if (q < json + len) {   /* text after the top-level value */
        char near[24], ex[NN_EXCERPT * 4 + 8];
        size_t k = 0;
        while (q + k < json + len && q[k] != '\n' && k + 1 < sizeof near) {
            near[k] = q[k];
            k++;
        }
        near[k] = '\0';
        nn_text_position(json, (size_t)(q - json), &line, &col);
        snprintf(at, sizeof at, "%s:%zu:%zu", filename, line, col);
        preset_ctx c2 = {.file = at, .diags = diags, .err = err};
        preset_report(&c2, NN_EFORMAT, NULL,
                      "JSON syntax error: unexpected text after the end of the object (near \"%s\")",
               nn_text_excerpt(ex, sizeof ex, near, sizeof near));
        cJSON_Delete(root);
        return NN_EFORMAT;
    }
    nn_status st = nn_preset_from_cjson(p, root, filename, diags, err);
    cJSON_Delete(root);
    return st;
}

nn_status nn_preset_validate(const nn_preset *p, nn_diags *diags, nn_error *err)
{
    preset_ctx c = {.file = p->file[0] ? p->file : "preset", .diags = diags, .err = err};
    validate_level(&c, p, NULL, -1, "");
    if (c.problems)
        return err ? err->code : NN_EINVAL;
    nn_error_clear(err);
    return NN_OK;
}

static bool builtin_exists(const char *file)
{
    for (size_t i = 0; i < nn_builtin_file_count; i++)
        if (nn_builtin_files[i].name && strcmp(nn_builtin_files[i].name, file) == 0)
            return true;
    return false;
}

nn_status nn_preset_load(nn_preset *p, const char *name_or_path, nn_diags *diags, nn_error *err)
{
    char path[NN_PATH_MAX + 32];
    size_t n = strlen(name_or_path);
    bool looks_like_path = strchr(name_or_path, '/') || (n >= 5 && strcmp(name_or_path + n - 5, ".json") == 0) ||
                           access(name_or_path, F_OK) == 0;
    if (looks_like_path) {
        snprintf(path, sizeof path, "%s", name_or_path);
    } else {
        char file[NN_PATH_MAX + 8];
        snprintf(file, sizeof file, "%s.json", name_or_path);
        if (!builtin_exists(file)) {
            char list[LIST_LEN];
            size_t len = 0;
            list[0] = '\0';
            for (int i = 0; i < nn_preset_builtin_count() && len < sizeof list; i++)
                len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "",
                                        nn_preset_builtin_name(i));
            nn_error_set(err, NN_EINVAL, "%s: no such file, and not a built-in preset (built-in: %s)",
                         name_or_path, list);
            if (diags)
                nn_diags_add(diags, "%s", err ? err->msg : name_or_path);
            return NN_EINVAL;
        }
        snprintf(path, sizeof path, "%s%s", NN_BUILTIN_PREFIX, file);
    }
    char *buf = NULL;
    size_t len = 0;
    nn_error e;
    nn_status st = nn_file_read_max(path, NN_PRESET_MAX_BYTES, "the most a preset may hold: a preset describes an "
                                    "experiment, its data go in a CSV or IDX file", &buf, &len, &e);
    if (st != NN_OK) {
        if (diags)
            nn_diags_add(diags, "%s", e.msg);
        if (err)
            *err = e;
        return st;
    }
    st = nn_preset_parse(p, buf, len, path, diags, err);
    free(buf);
    return st;
}
