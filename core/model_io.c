/* model_io.c — the trained-model file: writing (atomic), reading with every shape checked, and
 * prediction from raw features.
 *
 * Floats (weights, biases, normalisation statistics, alpha) are printed by us with "%.9g": nine
 * significant digits identify a float uniquely, and reading the decimal back as a double and
 * rounding to float gives the same bits. cJSON's own number printing is for doubles (and its
 * layout uses tabs), so the file is written as text here: 2-space indentation like a preset,
 * one line per float array. Reading goes through cJSON. */
#include "model_io.h"

#include "activation.h"
#include "strbuf.h"
#include "text.h"

#include <cJSON.h>

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREDICT_ROWS 256   /* rows the loaded network's workspace holds; predict goes in chunks */
#define PREDICT_FLOATS ((size_t)1 << 22)   /* ... fewer rows when a layer is wide: about 4M floats a layer */

static const char *const task_names[] = {"classification", "regression"};

// --- writing ------------------------------------------------------------------------------------

typedef nn_strbuf sbuf;

/* "[1.5, -0.25, ...]" with "%.9g" per float; a non-finite value fails the whole text. */
static void put_floats(sbuf *b, const float *v, size_t n)
{
    nn_strbuf_puts(b, "[");
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(v[i])) {
            b->oom = true;
            return;
        }
        nn_strbuf_printf(b, "%s%.9g", i ? ", " : "", (double)v[i]);
    }
    nn_strbuf_puts(b, "]");
}

/* A JSON array of the dataset's feature names (features true) or class names (false), or with raw
 * the raw features' names, each escaped by nn_text_json_string (control characters as \u escapes,
 * \u001b for ESC; the names were read as UTF-8). */
static void put_names(sbuf *b, const nn_dataset *d, bool features, bool raw)
{
    int n = raw ? d->n_raw : features ? d->n_features : d->task == NN_TASK_REGRESSION ? 0 : d->n_classes;
    nn_strbuf_puts(b, "[");
    for (int i = 0; i < n; i++) {
        char gen[32];
        const char *s;
        if (raw) {
            s = d->raw_names && d->raw_names[i] ? d->raw_names[i] : "";
        } else if (features) {
            s = nn_dataset_feature_name(d, i, gen, sizeof gen);
        } else {
            s = nn_dataset_class_name(d, i);
            if (!s[0]) {
                snprintf(gen, sizeof gen, "class%d", i + 1);
                s = gen;
            }
        }
        if (i)
            nn_strbuf_puts(b, ", ");
        nn_text_json_string(b, s);
    }
    nn_strbuf_puts(b, "]");
}

/* A double that reads back to the same bits ("%.17g"); null for NaN and infinities. */
static void put_double(sbuf *b, double v)
{
    if (isfinite(v))
        nn_strbuf_printf(b, "%.17g", v);
    else
        nn_strbuf_puts(b, "null");
}

/* The "state" object (docs/design.md, "Model file"). */
static void put_state(sbuf *b, const nn_train_state *s)
{
    nn_strbuf_printf(b, ",\n  \"state\": {\n    \"epoch\": %d, \"batch\": %d, \"seed\": \"%llu\", \"samples_seen\": %ld,"
                     "\n    \"rng\": [", s->epoch, s->batch, (unsigned long long)s->seed, s->samples_seen);
    for (int i = 0; i < 4; i++)
        nn_strbuf_printf(b, "%s\"%016llx\"", i ? ", " : "", (unsigned long long)s->rng.s[i]);
    nn_strbuf_puts(b, "], \"rng_spare\": ");
    put_double(b, s->rng.has_spare ? s->rng.spare : (double)NAN);
    nn_strbuf_puts(b, ",\n    \"lr\": ");
    put_double(b, s->lr);
    nn_strbuf_puts(b, ", \"grad_norm\": ");
    put_double(b, s->grad_norm);
    nn_strbuf_puts(b, ",\n    \"best_val\": ");
    put_double(b, s->best_val);
    nn_strbuf_printf(b, ", \"best_epoch\": %d, \"since_best\": %d, \"stopped_early\": %s,\n    \"data_dir\": ",
                     s->best_epoch, s->since_best, s->stopped_early ? "true" : "false");
    nn_text_json_string(b, s->data_dir);
    nn_strbuf_printf(b, ",\n    \"optimizer\": {\"name\": \"%s\", \"t\": %ld, \"acc\": ", nn_opt_name(s->opt_kind),
                     s->opt_t);
    put_double(b, s->opt_acc);
    for (int i = 0; i < 3; i++) {
        if (!s->opt_s[i])
            continue;
        nn_strbuf_printf(b, ",\n      \"s%d\": ", i + 1);
        put_floats(b, s->opt_s[i], s->n_params);
    }
    nn_strbuf_puts(b, "}");
    if (s->last_weights) {
        nn_strbuf_puts(b, ",\n    \"last_weights\": ");
        put_floats(b, s->last_weights, s->n_params);
    }
    if (s->best_weights) {
        nn_strbuf_puts(b, ",\n    \"best_weights\": ");
        put_floats(b, s->best_weights, s->n_params);
    }
    if (s->n_order > 0) {
        nn_strbuf_puts(b, ",\n    \"order\": [");
        for (int i = 0; i < s->n_order; i++)
            nn_strbuf_printf(b, "%s%u", i ? ", " : "", (unsigned)s->order[i]);
        nn_strbuf_puts(b, "]");
    }
    nn_strbuf_puts(b, ",\n    \"history\": [");
    for (int i = 0; i < s->history_len; i++) {
        const nn_epoch_stats *e = &s->history[i];
        const double v[] = {e->train_loss, e->val_loss, e->test_loss, e->train_acc, e->val_acc, e->test_acc,
                            e->penalty, e->lr, e->grad_norm, e->seconds, e->eval_seconds};
        nn_strbuf_printf(b, "%s\n      [%d", i ? "," : "", e->epoch);
        for (size_t j = 0; j < sizeof v / sizeof v[0]; j++) {
            nn_strbuf_puts(b, ", ");
            put_double(b, v[j]);
        }
        nn_strbuf_puts(b, "]");
    }
    nn_strbuf_puts(b, s->history_len ? "\n    ]\n  }" : "]\n  }");
}

char *nn_model_to_json(const nn_preset *p, const nn_network *net, const nn_norm *nm, const nn_dataset *d)
{
    return nn_model_to_json_state(p, net, nm, d, NULL);
}

char *nn_model_to_json_state(const nn_preset *p, const nn_network *net, const nn_norm *nm, const nn_dataset *d,
                             const nn_train_state *s)
{
    if ((int)nm->kind < 0 || nm->kind >= NN_NORM_COUNT)
        return NULL;
    sbuf b = {0};
    bool regression = d->task == NN_TASK_REGRESSION;
    nn_strbuf_printf(&b, "{\n  \"format\": \"%s\",\n  \"version\": %d,\n  \"preset\": ", NN_MODEL_FORMAT, NN_MODEL_VERSION);
    /* the preset as nn_preset_to_json writes it, indented one level */
    char *preset = nn_preset_to_json(p);
    if (!preset) {
        free(b.s);
        return NULL;
    }
    size_t plen = strlen(preset);
    while (plen && preset[plen - 1] == '\n')
        plen--;
    for (size_t i = 0; i < plen; i++) {
        nn_strbuf_put(&b, preset + i, 1);
        if (preset[i] == '\n')
            nn_strbuf_puts(&b, "  ");
    }
    free(preset);
    nn_strbuf_printf(&b, ",\n  \"task\": \"%s\",\n  \"features\": ", task_names[regression ? 1 : 0]);
    put_names(&b, d, true, false);
    if (d->n_raw > 0) {   /* Playground features: what predict reads and expands */
        nn_strbuf_puts(&b, ",\n  \"raw_features\": ");
        put_names(&b, d, true, true);
    }
    nn_strbuf_puts(&b, ",\n  \"classes\": ");
    put_names(&b, d, false, false);
    int nt = nm->y_shift && nm->y_scale ? nm->n_targets : 0;
    nn_strbuf_printf(&b, ",\n  \"normalization\": {\n    \"kind\": \"%s\",\n    \"shift\": ", nn_norm_names[nm->kind]);
    put_floats(&b, nm->shift, nm->shift ? (size_t)nm->n_features : 0);
    nn_strbuf_puts(&b, ",\n    \"scale\": ");
    put_floats(&b, nm->scale, nm->scale ? (size_t)nm->n_features : 0);
    nn_strbuf_puts(&b, ",\n    \"target_shift\": ");
    put_floats(&b, nm->y_shift, (size_t)nt);
    nn_strbuf_puts(&b, ",\n    \"target_scale\": ");
    put_floats(&b, nm->y_scale, (size_t)nt);
    nn_strbuf_puts(&b, "\n  },\n  \"layers\": [");
    for (int l = 0; l < net->n_layers; l++) {
        const nn_layer *L = &net->layers[l];
        float alpha = isfinite(L->alpha) ? L->alpha : nn_act_table[L->act].default_alpha;
        nn_strbuf_printf(&b, "%s\n    {\n      \"inputs\": %d, \"units\": %d, \"activation\": \"%s\", \"alpha\": %.9g,"
             "\n      \"weights\": ", l ? "," : "", L->in, L->out, nn_act_name(L->act), (double)alpha);
        put_floats(&b, net->params + L->w_off, (size_t)L->in * (size_t)L->out);
        nn_strbuf_puts(&b, ",\n      \"biases\": ");
        put_floats(&b, net->params + L->b_off, (size_t)L->out);
        nn_strbuf_puts(&b, "\n    }");
    }
    nn_strbuf_puts(&b, "\n  ]");
    if (s && s->present)
        put_state(&b, s);
    nn_strbuf_puts(&b, "\n}\n");
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

nn_status nn_model_check_save(const char *path, const nn_preset *p, nn_error *err)
{
    nn_status st = nn_file_check_save(path, err);
    return st != NN_OK ? st : nn_preset_check_save(p, path, true, err);
}

nn_status nn_model_save(const char *path, const nn_preset *p, const nn_network *net, const nn_norm *nm,
                        const nn_dataset *d, nn_error *err)
{
    return nn_model_save_state(path, p, net, nm, d, NULL, err);
}

nn_status nn_model_save_state(const char *path, const nn_preset *p, const nn_network *net, const nn_norm *nm,
                              const nn_dataset *d, const nn_train_state *s, nn_error *err)
{
    nn_status st = nn_model_check_save(path, p, err);
    if (st != NN_OK)
        return st;
    for (size_t i = 0; i < net->n_params; i++)
        if (!isfinite(net->params[i]))
            return nn_error_set(err, NN_EDIVERGED, "%s: not saved: the network has a non-finite weight", path);
    nn_preset *q = malloc(sizeof *q);   /* ~25 KB: not on the caller's stack */
    if (!q)
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory writing the model", path);
    *q = *p;
    nn_preset_rebase(q, path);   /* its relative data paths from the model's folder, where loading reads them */
    char *text = nn_model_to_json_state(q, net, nm, d, s);
    free(q);
    if (!text)
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory writing the model", path);
    st = nn_file_write_atomic(path, text, strlen(text), err);
    free(text);
    return st;
}

// --- reading ---------------------------------------------------------------------------------------

/* Reads a JSON array of n finite numbers into a new float array. */
static nn_status read_floats(const cJSON *arr, size_t want, const char *file, const char *field, float **out,
                             nn_error *err)
{
    *out = NULL;
    if (!cJSON_IsArray(arr))
        return nn_error_set(err, NN_EFORMAT, "%s: %s: missing or not an array of numbers", file, field);
    size_t n = (size_t)cJSON_GetArraySize(arr);
    if (n != want)
        return nn_error_set(err, NN_EFORMAT, "%s: %s: %zu numbers, expected %zu", file, field, n, want);
    float *v = malloc((want ? want : 1) * sizeof *v);
    if (!v)
        return nn_error_set(err, NN_ENOMEM, "%s: %s: out of memory", file, field);
    size_t i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble) || !isfinite((float)it->valuedouble)) {
            free(v);
            return nn_error_set(err, NN_EFORMAT, "%s: %s.%zu: %s, expected a finite number", file, field, i,
                                cJSON_IsNumber(it) ? "not finite as a float" : "not a number");
        }
        v[i] = (float)it->valuedouble;
    }
    *out = v;
    return NN_OK;
}

static nn_status read_names(const cJSON *arr, const char *file, const char *field, char ***out, int *n_out,
                            nn_error *err)
{
    *out = NULL;
    *n_out = 0;
    if (!cJSON_IsArray(arr))
        return nn_error_set(err, NN_EFORMAT, "%s: %s: missing or not an array of names", file, field);
    int n = cJSON_GetArraySize(arr);
    if (n == 0)
        return NN_OK;
    char **names = calloc((size_t)n, sizeof *names);
    if (!names)
        return nn_error_set(err, NN_ENOMEM, "%s: %s: out of memory for %d names", file, field, n);
    *out = names;   /* the caller frees, also on failure */
    *n_out = n;
    int i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        if (!cJSON_IsString(it))
            return nn_error_set(err, NN_EFORMAT, "%s: %s.%d: not a string", file, field, i);
        size_t len = strlen(it->valuestring);
        if (!(names[i] = malloc(len + 1)))
            return nn_error_set(err, NN_ENOMEM, "%s: %s.%d: out of memory", file, field, i);
        memcpy(names[i], it->valuestring, len + 1);
    }
    return NN_OK;
}

/* Playground features: the preset's dataset.features must be the model's features, computed from the
 * two raw ones the file names (raw_features, absent without such features). */
static nn_status read_raw_features(nn_model *m, const cJSON *raw, const char *file, nn_error *err)
{
    const nn_preset_dataset *ds = &m->preset.dataset;
    int n = 0;
    for (int i = 0; i < ds->n_features && i < NN_FEAT_COUNT; i++)
        m->feat[n++] = nn_feature_find(ds->features[i]);
    bool expanded = n > 0 && !nn_features_identity(m->feat, n);
    if (!raw && !expanded)
        return NN_OK;
    if (!expanded)
        return nn_error_set(err, NN_EFORMAT, "%s: raw_features: given, but the preset has no dataset.features to "
                            "compute from them", file);
    if (!raw)
        return nn_error_set(err, NN_EFORMAT, "%s: raw_features: missing: the preset's dataset.features are computed "
                            "from two raw features, whose names predict reads", file);
    nn_status st = read_names(raw, file, "raw_features", &m->raw_names, &m->n_raw, err);
    if (st != NN_OK)
        return st;
    if (m->n_raw != 2)
        return nn_error_set(err, NN_EFORMAT, "%s: raw_features: %d names, expected the two raw features", file,
                            m->n_raw);
    if (n != m->n_features)
        return nn_error_set(err, NN_EFORMAT, "%s: features: %d names, but the preset's dataset.features has %d", file,
                            m->n_features, n);
    return NN_OK;
}

static bool get_int_field(const cJSON *obj, const char *key, int lo, int hi, int *out)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsNumber(it) || it->valuedouble != floor(it->valuedouble) || it->valuedouble < lo ||
        it->valuedouble > hi)
        return false;
    *out = (int)it->valuedouble;
    return true;
}

/* A number of the state: finite, or null where null_ok (then *out = null_value). */
static bool state_double(const cJSON *obj, const char *key, bool null_ok, double null_value, double *out)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (null_ok && cJSON_IsNull(it)) {
        *out = null_value;
        return true;
    }
    if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble))
        return false;
    *out = it->valuedouble;
    return true;
}

/* "state" (optional): what resuming needs. n_params: the model's. */
static nn_status parse_state(nn_train_state *s, const cJSON *st, size_t n_params, const char *file, nn_error *err)
{
    memset(s, 0, sizeof *s);
    s->owned = true;
    if (!cJSON_IsObject(st))
        return nn_error_set(err, NN_EFORMAT, "%s: state: not an object", file);
    double v;
    if (!get_int_field(st, "epoch", 0, 1000000, &s->epoch))
        return nn_error_set(err, NN_EFORMAT, "%s: state.epoch: missing or not an integer in 0..1000000", file);
    if (!get_int_field(st, "batch", 0, INT_MAX, &s->batch))
        return nn_error_set(err, NN_EFORMAT, "%s: state.batch: missing or not an integer >= 0", file);
    const cJSON *seed = cJSON_GetObjectItemCaseSensitive(st, "seed");
    char *end = NULL;
    if (cJSON_IsString(seed))
        s->seed = strtoull(seed->valuestring, &end, 10);
    if (!cJSON_IsString(seed) || !seed->valuestring[0] || *end || seed->valuestring[0] == '-')
        return nn_error_set(err, NN_EFORMAT, "%s: state.seed: missing or not a whole number in a string", file);
    if (!state_double(st, "samples_seen", false, 0, &v) || v < 0 || v != floor(v) || v > 9e15)
        return nn_error_set(err, NN_EFORMAT, "%s: state.samples_seen: missing or not a count", file);
    s->samples_seen = (long)v;
    const cJSON *rng = cJSON_GetObjectItemCaseSensitive(st, "rng");
    if (!cJSON_IsArray(rng) || cJSON_GetArraySize(rng) != 4)
        return nn_error_set(err, NN_EFORMAT, "%s: state.rng: missing or not 4 hexadecimal strings", file);
    int i = 0;
    for (const cJSON *it = rng->child; it; it = it->next, i++) {
        end = NULL;
        if (cJSON_IsString(it) && strlen(it->valuestring) == 16)
            s->rng.s[i] = strtoull(it->valuestring, &end, 16);
        if (!end || *end || it->valuestring[0] == '-' || it->valuestring[0] == '+')
            return nn_error_set(err, NN_EFORMAT, "%s: state.rng.%d: not 16 hexadecimal digits", file, i);
    }
    if (!s->rng.s[0] && !s->rng.s[1] && !s->rng.s[2] && !s->rng.s[3])
        return nn_error_set(err, NN_EFORMAT, "%s: state.rng: all zero (xoshiro256** would only draw zeros)", file);
    double spare;
    if (!state_double(st, "rng_spare", true, NAN, &spare))
        return nn_error_set(err, NN_EFORMAT, "%s: state.rng_spare: not a finite number or null", file);
    s->rng.has_spare = !isnan(spare);
    s->rng.spare = s->rng.has_spare ? spare : 0.0;
    if (!state_double(st, "lr", false, 0, &s->lr) || !(s->lr >= 0))
        return nn_error_set(err, NN_EFORMAT, "%s: state.lr: missing or not a number >= 0", file);
    if (!state_double(st, "grad_norm", true, NAN, &s->grad_norm))
        return nn_error_set(err, NN_EFORMAT, "%s: state.grad_norm: not a finite number or null", file);
    if (!state_double(st, "best_val", true, INFINITY, &s->best_val))
        return nn_error_set(err, NN_EFORMAT, "%s: state.best_val: not a finite number or null", file);
    if (!get_int_field(st, "best_epoch", 0, s->epoch, &s->best_epoch))
        return nn_error_set(err, NN_EFORMAT, "%s: state.best_epoch: missing or not an integer in 0..%d", file,
                            s->epoch);
    if (!get_int_field(st, "since_best", 0, s->epoch, &s->since_best))
        return nn_error_set(err, NN_EFORMAT, "%s: state.since_best: missing or not an integer in 0..%d", file,
                            s->epoch);
    const cJSON *se = cJSON_GetObjectItemCaseSensitive(st, "stopped_early");
    if (!cJSON_IsBool(se))
        return nn_error_set(err, NN_EFORMAT, "%s: state.stopped_early: missing or not true/false", file);
    s->stopped_early = cJSON_IsTrue(se);
    const cJSON *dd = cJSON_GetObjectItemCaseSensitive(st, "data_dir");
    if (dd && (!cJSON_IsString(dd) || strlen(dd->valuestring) >= sizeof s->data_dir))
        return nn_error_set(err, NN_EFORMAT, "%s: state.data_dir: not a path", file);
    if (dd)
        snprintf(s->data_dir, sizeof s->data_dir, "%s", dd->valuestring);

    s->n_params = n_params;
    const cJSON *opt = cJSON_GetObjectItemCaseSensitive(st, "optimizer");
    if (!cJSON_IsObject(opt))
        return nn_error_set(err, NN_EFORMAT, "%s: state.optimizer: missing or not an object", file);
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(opt, "name");
    int kind = cJSON_IsString(name) ? nn_opt_from_name(name->valuestring) : -1;
    if (kind < 0)
        return nn_error_set(err, NN_EFORMAT, "%s: state.optimizer.name: missing or not an optimizer", file);
    s->opt_kind = (nn_opt_kind)kind;
    if (!state_double(opt, "t", false, 0, &v) || v < 0 || v != floor(v) || v > 9e15)
        return nn_error_set(err, NN_EFORMAT, "%s: state.optimizer.t: missing or not a step count", file);
    s->opt_t = (long)v;
    if (!state_double(opt, "acc", false, 0, &s->opt_acc))
        return nn_error_set(err, NN_EFORMAT, "%s: state.optimizer.acc: missing or not a finite number", file);
    nn_status rc;
    for (int k = 0; k < 3; k++) {
        char key[4] = {'s', (char)('1' + k), 0, 0}, field[32];
        const cJSON *arr = cJSON_GetObjectItemCaseSensitive(opt, key);
        if (!arr)
            continue;
        snprintf(field, sizeof field, "state.optimizer.%s", key);
        if ((rc = read_floats(arr, n_params, file, field, &s->opt_s[k], err)) != NN_OK)
            return rc;
    }
    const cJSON *lw = cJSON_GetObjectItemCaseSensitive(st, "last_weights");
    if (lw && (rc = read_floats(lw, n_params, file, "state.last_weights", &s->last_weights, err)) != NN_OK)
        return rc;
    const cJSON *bw = cJSON_GetObjectItemCaseSensitive(st, "best_weights");
    if (bw && (rc = read_floats(bw, n_params, file, "state.best_weights", &s->best_weights, err)) != NN_OK)
        return rc;
    const cJSON *order = cJSON_GetObjectItemCaseSensitive(st, "order");
    if (order) {
        if (!cJSON_IsArray(order))
            return nn_error_set(err, NN_EFORMAT, "%s: state.order: not an array of row numbers", file);
        int n = cJSON_GetArraySize(order);
        s->order = malloc((size_t)(n > 0 ? n : 1) * sizeof *s->order);
        if (!s->order)
            return nn_error_set(err, NN_ENOMEM, "%s: state.order: out of memory", file);
        s->n_order = n;
        i = 0;
        for (const cJSON *it = order->child; it; it = it->next, i++) {
            if (!cJSON_IsNumber(it) || it->valuedouble != floor(it->valuedouble) || it->valuedouble < 0 ||
                it->valuedouble > (double)UINT32_MAX)
                return nn_error_set(err, NN_EFORMAT, "%s: state.order.%d: not a row number", file, i);
            s->order[i] = (uint32_t)it->valuedouble;
        }
    }
    const cJSON *hist = cJSON_GetObjectItemCaseSensitive(st, "history");
    if (!cJSON_IsArray(hist) || cJSON_GetArraySize(hist) != s->epoch)
        return nn_error_set(err, NN_EFORMAT, "%s: state.history: missing, or not one entry per epoch (%d)", file,
                            s->epoch);
    s->history = calloc((size_t)(s->epoch > 0 ? s->epoch : 1), sizeof *s->history);
    if (!s->history)
        return nn_error_set(err, NN_ENOMEM, "%s: state.history: out of memory", file);
    s->history_len = s->epoch;
    i = 0;
    for (const cJSON *it = hist->child; it; it = it->next, i++) {
        nn_epoch_stats *e = &s->history[i];
        double *f[] = {&e->train_loss, &e->val_loss, &e->test_loss, &e->train_acc, &e->val_acc, &e->test_acc,
                       &e->penalty, &e->lr, &e->grad_norm, &e->seconds, &e->eval_seconds};
        const int nf = (int)(sizeof f / sizeof f[0]);
        if (!cJSON_IsArray(it) || cJSON_GetArraySize(it) != nf + 1 || !cJSON_IsNumber(it->child) ||
            it->child->valuedouble != i + 1)
            return nn_error_set(err, NN_EFORMAT, "%s: state.history.%d: not [%d, %d numbers]", file, i, i + 1, nf);
        e->epoch = i + 1;
        int j = 0;
        for (const cJSON *x = it->child->next; x; x = x->next, j++) {
            if (cJSON_IsNull(x))
                *f[j] = NAN;
            else if (cJSON_IsNumber(x) && isfinite(x->valuedouble))
                *f[j] = x->valuedouble;
            else
                return nn_error_set(err, NN_EFORMAT, "%s: state.history.%d.%d: not a number or null", file, i, j + 1);
        }
    }
    s->present = true;
    return NN_OK;
}

static nn_status parse_tree(nn_model *m, const cJSON *root, const char *file, nn_error *err)
{
    if (!cJSON_IsObject(root))
        return nn_error_set(err, NN_EFORMAT, "%s: not an nnterm model (the top level is not a JSON object)", file);
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(root, "format");
    if (!cJSON_IsString(fmt) || strcmp(fmt->valuestring, NN_MODEL_FORMAT) != 0)
        return nn_error_set(err, NN_EFORMAT, "%s: format: %s%s%s is not an nnterm model (expected \"%s\")", file,
                            cJSON_IsString(fmt) ? "\"" : "", cJSON_IsString(fmt) ? fmt->valuestring : "missing",
                            cJSON_IsString(fmt) ? "\"" : "", NN_MODEL_FORMAT);
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(root, "version");
    if (!cJSON_IsNumber(ver) || ver->valuedouble != floor(ver->valuedouble) || ver->valuedouble < 1)
        return nn_error_set(err, NN_EFORMAT, "%s: version: missing or not a positive integer", file);
    if (ver->valuedouble > NN_MODEL_VERSION)
        return nn_error_set(err, NN_EFORMAT, "%s: version: %.0f is newer than this nnterm reads (%d): "
                            "update nnterm to load it", file, ver->valuedouble, NN_MODEL_VERSION);

    /* the preset it came from, validated like a preset file */
    char pfile[NN_PATH_MAX + 16];
    snprintf(pfile, sizeof pfile, "%s: preset", file);
    const cJSON *preset = cJSON_GetObjectItemCaseSensitive(root, "preset");
    if (!preset)
        return nn_error_set(err, NN_EFORMAT, "%s: preset: missing", file);
    nn_status st = nn_preset_from_cjson(&m->preset, preset, pfile, NULL, err);
    if (st != NN_OK)
        return st;
    snprintf(m->preset.file, sizeof m->preset.file, "%s", file);
    nn_path_dir(m->preset.base_dir, sizeof m->preset.base_dir, file);

    const cJSON *task = cJSON_GetObjectItemCaseSensitive(root, "task");
    if (cJSON_IsString(task) && strcmp(task->valuestring, task_names[0]) == 0)
        m->task = NN_TASK_CLASSIFICATION;
    else if (cJSON_IsString(task) && strcmp(task->valuestring, task_names[1]) == 0)
        m->task = NN_TASK_REGRESSION;
    else
        return nn_error_set(err, NN_EFORMAT, "%s: task: missing or not \"classification\" or \"regression\"", file);

    st = read_names(cJSON_GetObjectItemCaseSensitive(root, "features"), file, "features", &m->feature_names,
                    &m->n_features, err);
    if (st != NN_OK)
        return st;
    if (m->n_features < 1)
        return nn_error_set(err, NN_EFORMAT, "%s: features: empty, expected the input names", file);
    st = read_names(cJSON_GetObjectItemCaseSensitive(root, "classes"), file, "classes", &m->class_names,
                    &m->n_classes, err);
    if (st != NN_OK)
        return st;
    st = read_raw_features(m, cJSON_GetObjectItemCaseSensitive(root, "raw_features"), file, err);
    if (st != NN_OK)
        return st;

    /* layers: shapes chain from n_features to the outputs */
    const cJSON *layers = cJSON_GetObjectItemCaseSensitive(root, "layers");
    if (!cJSON_IsArray(layers))
        return nn_error_set(err, NN_EFORMAT, "%s: layers: missing or not an array", file);
    int n_layers = cJSON_GetArraySize(layers);
    if (n_layers < 1 || n_layers > NN_MAX_LAYERS)
        return nn_error_set(err, NN_EFORMAT, "%s: layers: %d layers, expected 1..%d", file, n_layers, NN_MAX_LAYERS);
    nn_layer_spec specs[NN_MAX_LAYERS];
    int in = m->n_features, l = 0, widest = m->n_features;
    for (const cJSON *lo = layers->child; lo; lo = lo->next, l++) {
        int inputs, units;
        if (!cJSON_IsObject(lo))
            return nn_error_set(err, NN_EFORMAT, "%s: layers.%d: not an object", file, l);
        if (!get_int_field(lo, "inputs", 1, 1 << 24, &inputs))
            return nn_error_set(err, NN_EFORMAT, "%s: layers.%d.inputs: missing or not an integer >= 1", file, l);
        if (inputs != in)
            return nn_error_set(err, NN_EFORMAT, "%s: layers.%d.inputs: %d, expected %d (%s)", file, l, inputs, in,
                                l == 0 ? "the number of features" : "the previous layer's units");
        if (!get_int_field(lo, "units", 1, 1 << 24, &units))
            return nn_error_set(err, NN_EFORMAT, "%s: layers.%d.units: missing or not an integer >= 1", file, l);
        const cJSON *act = cJSON_GetObjectItemCaseSensitive(lo, "activation");
        int a = cJSON_IsString(act) ? nn_act_from_name(act->valuestring) : -1;
        if (a < 0)
            return nn_error_set(err, NN_EFORMAT, "%s: layers.%d.activation: missing or not an activation name",
                                file, l);
        const cJSON *alpha = cJSON_GetObjectItemCaseSensitive(lo, "alpha");
        float al = nn_act_table[a].default_alpha;
        if (alpha) {
            if (!cJSON_IsNumber(alpha) || !isfinite(alpha->valuedouble))
                return nn_error_set(err, NN_EFORMAT, "%s: layers.%d.alpha: not a finite number", file, l);
            al = (float)alpha->valuedouble;
        }
        /* the parameters must be in the file: a few bytes cannot claim gigabytes of network */
        const cJSON *w = cJSON_GetObjectItemCaseSensitive(lo, "weights");
        const cJSON *b = cJSON_GetObjectItemCaseSensitive(lo, "biases");
        size_t nw = (size_t)inputs * (size_t)units;
        if (!cJSON_IsArray(w))
            return nn_error_set(err, NN_EFORMAT, "%s: layers.%d.weights: missing or not an array of numbers", file, l);
        if ((size_t)cJSON_GetArraySize(w) != nw)
            return nn_error_set(err, NN_EFORMAT, "%s: layers.%d.weights: %d numbers, expected %zu (%d inputs x %d "
                                "units)", file, l, cJSON_GetArraySize(w), nw, inputs, units);
        if (!cJSON_IsArray(b))
            return nn_error_set(err, NN_EFORMAT, "%s: layers.%d.biases: missing or not an array of numbers", file, l);
        if (cJSON_GetArraySize(b) != units)
            return nn_error_set(err, NN_EFORMAT, "%s: layers.%d.biases: %d numbers, expected %d (one per unit)", file,
                                l, cJSON_GetArraySize(b), units);
        specs[l] = (nn_layer_spec){units, (nn_act)a, al, NN_INIT_AUTO, NN_DIST_NORMAL};
        if (units > widest)
            widest = units;
        in = units;
    }
    int outputs = in;
    if (m->task == NN_TASK_CLASSIFICATION) {
        if (m->n_classes < 2)
            return nn_error_set(err, NN_EFORMAT, "%s: classes: %d name%s, expected at least 2 for classification",
                                file, m->n_classes, m->n_classes == 1 ? "" : "s");
        if (m->n_classes != outputs && !(outputs == 1 && m->n_classes == 2))
            return nn_error_set(err, NN_EFORMAT, "%s: classes: %d names for %d outputs of the last layer", file,
                                m->n_classes, outputs);
    } else if (m->n_classes != 0) {
        return nn_error_set(err, NN_EFORMAT, "%s: classes: %d names, expected none for regression", file,
                            m->n_classes);
    }

    /* normalisation */
    const cJSON *norm = cJSON_GetObjectItemCaseSensitive(root, "normalization");
    if (!cJSON_IsObject(norm))
        return nn_error_set(err, NN_EFORMAT, "%s: normalization: missing or not an object", file);
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(norm, "kind");
    int k = -1;
    for (int i = 0; i < NN_NORM_COUNT && cJSON_IsString(kind); i++)
        if (strcmp(kind->valuestring, nn_norm_names[i]) == 0)
            k = i;
    if (k < 0)
        return nn_error_set(err, NN_EFORMAT, "%s: normalization.kind: missing or not zscore, minmax or none", file);
    m->norm.kind = (nn_normalize)k;
    m->norm.n_features = m->n_features;
    int nt = m->task == NN_TASK_REGRESSION ? outputs : 0;
    m->norm.n_targets = nt;
    if ((st = read_floats(cJSON_GetObjectItemCaseSensitive(norm, "shift"), (size_t)m->n_features, file,
                          "normalization.shift", &m->norm.shift, err)) != NN_OK ||
        (st = read_floats(cJSON_GetObjectItemCaseSensitive(norm, "scale"), (size_t)m->n_features, file,
                          "normalization.scale", &m->norm.scale, err)) != NN_OK ||
        (st = read_floats(cJSON_GetObjectItemCaseSensitive(norm, "target_shift"), (size_t)nt, file,
                          "normalization.target_shift", &m->norm.y_shift, err)) != NN_OK ||
        (st = read_floats(cJSON_GetObjectItemCaseSensitive(norm, "target_scale"), (size_t)nt, file,
                          "normalization.target_scale", &m->norm.y_scale, err)) != NN_OK)
        return st;
    /* features are divided by their scale: a scale of 1e-45 would make every input infinite */
    for (int j = 0; j < m->n_features; j++)
        if (!(m->norm.scale[j] >= FLT_MIN))
            return nn_error_set(err, NN_EFORMAT, "%s: normalization.scale.%d: %.9g, expected a positive scale of at "
                                "least %.9g (a normal float)", file, j, (double)m->norm.scale[j], (double)FLT_MIN);
    for (int j = 0; j < nt; j++)
        if (!(m->norm.y_scale[j] > 0.0f))
            return nn_error_set(err, NN_EFORMAT, "%s: normalization.target_scale.%d: %.9g, expected a positive scale",
                                file, j, (double)m->norm.y_scale[j]);
    if (nt == 0) {   /* classification: no target statistics */
        free(m->norm.y_shift);
        free(m->norm.y_scale);
        m->norm.y_shift = m->norm.y_scale = NULL;
    }

    /* the network (its workspace: PREDICT_ROWS rows, fewer for wide layers), then its parameters */
    int rows = PREDICT_ROWS;
    if ((size_t)widest * (size_t)rows > PREDICT_FLOATS)
        rows = (int)(PREDICT_FLOATS / (size_t)widest) + 1;
    nn_error e;
    if ((st = nn_network_init(&m->net, m->n_features, specs, n_layers, rows, &e)) != NN_OK)
        return nn_error_set(err, st, "%s: %.400s", file, e.msg);
    l = 0;
    for (const cJSON *lo = layers->child; lo; lo = lo->next, l++) {
        const nn_layer *L = &m->net.layers[l];
        char field[48];
        float *v = NULL;
        snprintf(field, sizeof field, "layers.%d.weights", l);
        if ((st = read_floats(cJSON_GetObjectItemCaseSensitive(lo, "weights"), (size_t)L->in * (size_t)L->out,
                              file, field, &v, err)) != NN_OK)
            return st;
        memcpy(m->net.params + L->w_off, v, (size_t)L->in * (size_t)L->out * sizeof *v);
        free(v);
        snprintf(field, sizeof field, "layers.%d.biases", l);
        if ((st = read_floats(cJSON_GetObjectItemCaseSensitive(lo, "biases"), (size_t)L->out, file, field, &v,
                              err)) != NN_OK)
            return st;
        memcpy(m->net.params + L->b_off, v, (size_t)L->out * sizeof *v);
        free(v);
    }
    const cJSON *state = cJSON_GetObjectItemCaseSensitive(root, "state");
    if (state)
        return parse_state(&m->state, state, m->net.n_params, file, err);
    return NN_OK;
}


nn_status nn_model_parse(nn_model *m, const char *buf, size_t len, const char *filename, nn_error *err)
{
    memset(m, 0, sizeof *m);
    if (!filename)
        filename = "model";
    size_t bad = nn_utf8_check(buf, len);
    if (bad < len) {
        size_t line, col;
        nn_text_position(buf, bad, &line, &col);
        return nn_error_set(err, NN_EFORMAT, "%s:%zu:%zu: byte 0x%02X is not UTF-8 (a model file is UTF-8 JSON)",
                            filename, line, col, (unsigned)(unsigned char)buf[bad]);
    }
    /* cJSON spends about 64 bytes a value: check that the tree can be had before building it
     * (values <= commas + brackets + 1) */
    size_t values = 1;
    for (size_t i = 0; i < len; i++)
        values += buf[i] == ',' || buf[i] == '[' || buf[i] == '{';
    size_t limit = nn_file_read_limit();
    if (values > limit / (sizeof(cJSON) + 16))
        return nn_error_set(err, NN_ENOMEM, "%s: too large to read: up to %zu values would take more than %zu MB "
                            "(a quarter of this machine's memory)", filename, values, limit >> 20);
    cJSON *root = cJSON_ParseWithLengthOpts(buf, len, NULL, 0);
    if (!root)
        return nn_json_explain(err, buf, len, filename);
    nn_status st = parse_tree(m, root, filename, err);
    cJSON_Delete(root);
    if (st != NN_OK)
        nn_model_free(m);
    return st;
}

nn_status nn_model_load(nn_model *m, const char *path, nn_error *err)
{
    memset(m, 0, sizeof *m);
    char *buf = NULL;
    size_t len = 0;
    nn_status st = nn_file_read(path, &buf, &len, err);
    if (st != NN_OK)
        return st;
    st = nn_model_parse(m, buf, len, path, err);
    free(buf);
    return st;
}

void nn_model_free(nn_model *m)
{
    if (!m)
        return;
    nn_names_free(m->feature_names, m->n_features);
    nn_names_free(m->class_names, m->n_classes);
    nn_names_free(m->raw_names, m->n_raw);
    nn_norm_free(&m->norm);
    nn_network_free(&m->net);
    nn_train_state_free(&m->state);
    memset(m, 0, sizeof *m);
}

// --- into a trainer ------------------------------------------------------------------------------

/* "4-40-3" */
static void shape_text(char *out, size_t n, const nn_network *net)
{
    int len = snprintf(out, n, "%d", net->n_inputs);
    for (int l = 0; l < net->n_layers && len > 0 && (size_t)len < n; l++)
        len += snprintf(out + len, n - (size_t)len, "-%d", net->layers[l].out);
}

/* Two normalisation figures agree: the same data and split give the same bits; 1e-5 relative allows
 * for the nine printed digits. */
static bool close_enough(float a, float b)
{
    return fabsf(a - b) <= 1e-5f * fmaxf(1.0f, fmaxf(fabsf(a), fabsf(b)));
}

nn_status nn_model_apply(const nn_model *m, const char *file, nn_trainer *t, nn_error *err)
{
    const nn_network *mn = &m->net, *tn = nn_trainer_network(t);
    bool same = mn->n_inputs == tn->n_inputs && mn->n_layers == tn->n_layers && mn->n_params == tn->n_params;
    for (int l = 0; same && l < mn->n_layers; l++)
        same = mn->layers[l].in == tn->layers[l].in && mn->layers[l].out == tn->layers[l].out &&
               mn->layers[l].act == tn->layers[l].act;
    if (!same) {
        char a[160], b[160];
        shape_text(a, sizeof a, mn);
        shape_text(b, sizeof b, tn);
        return nn_error_set(err, NN_EINVAL, "%s: the model's network %s does not match the preset's %s%s", file, a,
                            b, strcmp(a, b) == 0 ? " (the activations differ)" : "");
    }
    const nn_norm *tm = nn_trainer_norm(t);
    if (tm->kind != m->norm.kind || tm->n_features != m->norm.n_features)
        return nn_error_set(err, NN_EINVAL, "%s: the data is normalised differently from when the model was saved",
                            file);
    for (int j = 0; j < tm->n_features && tm->shift && m->norm.shift; j++)
        if (!close_enough(tm->shift[j], m->norm.shift[j]) || !close_enough(tm->scale[j], m->norm.scale[j]))
            return nn_error_set(err, NN_EINVAL, "%s: the data changed since the model was saved (feature %d: "
                                "shift %.6g, scale %.6g; the model's %.6g, %.6g): its weights were not loaded",
                                file, j, (double)tm->shift[j], (double)tm->scale[j], (double)m->norm.shift[j],
                                (double)m->norm.scale[j]);
    nn_error e;
    if (nn_trainer_set_weights(t, mn->params, mn->n_params, &e) != NN_OK)
        return nn_error_set(err, NN_EINVAL, "%s: %s", file, e.msg);
    return NN_OK;
}

// --- prediction -----------------------------------------------------------------------------------

char *const *nn_model_inputs(const nn_model *m, int *n)
{
    *n = m->n_raw > 0 ? m->n_raw : m->n_features;
    return m->n_raw > 0 ? m->raw_names : m->feature_names;
}

nn_status nn_model_predict(nn_model *m, const float *x, int rows, float *out, nn_error *err)
{
    if (rows < 0)
        return nn_error_set(err, NN_EINVAL, "predict: %d rows", rows);
    if (!m->net.params)
        return nn_error_set(err, NN_EINVAL, "predict: no model loaded");
    int f = m->n_features, k = nn_network_outputs(&m->net);
    int chunk = m->net.max_batch;
    float *xb = malloc((size_t)chunk * (size_t)f * sizeof *xb);
    if (!xb)
        return nn_error_set(err, NN_ENOMEM, "predict: out of memory");
    const nn_layer *top = &m->net.layers[m->net.n_layers - 1];
    /* probabilities: softmax and sigmoid outputs already are; other classification outputs get a softmax */
    bool need_softmax = m->task == NN_TASK_CLASSIFICATION && k > 1 && !nn_act_table[top->act].probabilities;
    for (int r0 = 0; r0 < rows; r0 += chunk) {
        int n = rows - r0 < chunk ? rows - r0 : chunk;
        if (m->n_raw > 0)   /* Playground features of x1, x2, as the trainer computed them */
            for (int i = 0; i < n; i++)
                nn_features_row(m->feat, f, x[(size_t)(r0 + i) * 2], x[(size_t)(r0 + i) * 2 + 1],
                                xb + (size_t)i * (size_t)f);
        else
            memcpy(xb, x + (size_t)r0 * (size_t)f, (size_t)n * (size_t)f * sizeof *xb);
        nn_norm_apply(&m->norm, xb, n);
        const float *y = nn_network_forward(&m->net, NULL, xb, n, 0.0f, NULL);
        float *o = out + (size_t)r0 * (size_t)k;
        memcpy(o, y, (size_t)n * (size_t)k * sizeof *o);
        if (need_softmax)
            nn_act_forward(NN_ACT_SOFTMAX, 0.0f, o, o, n, k);
        if (m->task == NN_TASK_REGRESSION)
            nn_norm_unscale_targets(&m->norm, o, n);
    }
    free(xb);
    return NN_OK;
}
