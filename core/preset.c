/* preset.c — presets as JSON: parsing with full validation, defaults, dotted-key edits, stable
 * writing and atomic saving. Every problem becomes one line "FILE: JSON.PATH: what is wrong (what is
 * allowed)" in nn_diags; the first also goes to the nn_error.
 *
 * Shape of the work: parse checks types, names and numeric ranges while it copies values into the
 * struct (a value that fails is not stored, so nothing is reported twice); validate checks the
 * struct again (ranges, enums, cross-field rules), because the UI edits the struct directly.
 * Writing goes through a cJSON tree and a small printer of our own (2-space indentation, short
 * flat objects on one line), since cJSON prints with tabs. */
#include "preset.h"

#include "activation.h"
#include "datasets.h"
#include "loss.h"
#include "strbuf.h"
#include "text.h"

#include "presets/builtin_presets.h"

#include <cJSON.h>

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PATH_LEN 160     /* a JSON path such as "training.optimizer.initial_accumulator_value" */
#define LIST_LEN 320     /* a comma-separated list of allowed names */

/* The names in lesson.locked, the --set keys and the to_json key order all follow these lists. */
static const char *const root_keys[] = {"name", "description", "seed", "dataset", "model", "training",
                                        "lesson", NULL};
static const char *const dataset_keys[] = {"source", "path", "label", "task", "images", "labels",
                                           "test_images", "test_labels", "samples", "noise",
                                           "normalize", "split", "shuffle", NULL};
static const char *const split_keys[] = {"train", "val", "test", NULL};
static const char *const model_keys[] = {"layers", NULL};
static const char *const layer_keys[] = {"units", "activation", "alpha", "init", "distribution", NULL};
static const char *const training_keys[] = {"epochs", "batch_size", "loss", "optimizer", "schedule",
                                            "regularization", "early_stopping", "clip_norm", NULL};
static const char *const optimizer_keys[] = {"name", "learning_rate", "momentum", "dampening", "nesterov",
                                             "weight_decay", "alpha", "epsilon", "beta1", "beta2",
                                             "amsgrad", "centered", "rho", "lr_decay",
                                             "initial_accumulator_value", NULL};
static const char *const schedule_keys[] = {"name", "step_size", "gamma", "t_max", "eta_min", NULL};
static const char *const reg_keys[] = {"method", "lambda", "r", "dropout", NULL};
static const char *const early_keys[] = {"patience", NULL};
static const char *const lesson_keys[] = {"title", "text", "locked", NULL};

/* Object levels by normalised path ("#" stands for a layer index). */
static const struct {
    const char *path;
    const char *const *keys;
} levels[] = {
    {"", root_keys},
    {"dataset", dataset_keys},
    {"dataset.split", split_keys},
    {"model", model_keys},
    {"model.layers.#", layer_keys},
    {"training", training_keys},
    {"training.optimizer", optimizer_keys},
    {"training.schedule", schedule_keys},
    {"training.regularization", reg_keys},
    {"training.early_stopping", early_keys},
    {"lesson", lesson_keys},
};

static const char *const task_names[] = {"classification", "regression"};

/* The embedded presets (the *.json files) without ".json", generated from presets/meson.build. */
static const char *const builtin_names[] = {NN_BUILTIN_PRESETS};

// --- ranges -----------------------------------------------------------------------------------

typedef struct {
    double lo, hi;
    bool lo_open, hi_open;
    bool integer;
} range;

static const range R_EPOCHS = {1, 1e6, false, false, true};
static const range R_BATCH = {1, 1e6, false, false, true};
static const range R_UNITS = {0, 65536, false, false, true};      /* 0 = auto; hidden layers need >= 1 */
static const range R_SAMPLES = {1, 1e7, false, false, true};
static const range R_STEP = {1, 1e6, false, false, true};
static const range R_TMAX = {0, 1e6, false, false, true};
static const range R_PATIENCE = {0, 1e6, false, false, true};
static const range R_SEED = {0, 9007199254740992.0, false, false, true};   /* 2^53 */
static const range R_POS = {0, INFINITY, true, false, false};      /* > 0 */
static const range R_NONNEG = {0, INFINITY, false, false, false};  /* >= 0 */
static const range R_UNIT_OPEN = {0, 1, false, true, false};       /* [0, 1) */
static const range R_UNIT = {0, 1, false, false, false};           /* [0, 1] */
/* Synthetic data lie in [-1, 1] (sine: [-pi, pi]); noise of 1000 already drowns them, and far larger
 * values overflow the float data (1e308 made infinities, then a bogus "diverged"). */
static const range R_NOISE = {0, 1000, false, false, false};
/* leaky_relu's slope, elu's alpha: stored as a float, so 1e308 would become infinity */
static const range R_ALPHA = {0, 1000, false, false, false};

static bool range_ok(const range *r, double v)
{
    if (!isfinite(v))
        return false;
    if (r->lo_open ? v <= r->lo : v < r->lo)
        return false;
    if (r->hi_open ? v >= r->hi : v > r->hi)
        return false;
    return !r->integer || v == floor(v);
}

/* "(1..1000000)", "[0, 1)", "(must be > 0)" */
static void range_text(char *buf, size_t n, const range *r)
{
    if (r->integer)
        snprintf(buf, n, "(%.0f..%.0f)", r->lo, r->hi);
    else if (isinf(r->hi))
        snprintf(buf, n, "(must be %s %g)", r->lo_open ? ">" : ">=", r->lo);
    else
        snprintf(buf, n, "%c%g, %g%c", r->lo_open ? '(' : '[', r->lo, r->hi, r->hi_open ? ')' : ']');
}

// --- optimizer and schedule parameter tables ----------------------------------------------------

#define K(kind) (1u << (kind))
#define ALL_OPT (K(NN_OPT_SGD) | K(NN_OPT_RMSPROP) | K(NN_OPT_ADAM) | K(NN_OPT_ADAMW) | K(NN_OPT_ADAGRAD) | \
                 K(NN_OPT_ADADELTA))

typedef struct {
    const char *key;
    size_t off;          /* into nn_opt_params */
    bool is_bool;
    const range *r;      /* doubles */
    unsigned kinds;      /* optimizers that take it (torch.optim's signatures) */
} opt_field;

static const opt_field opt_fields[] = {
    {"learning_rate", offsetof(nn_opt_params, lr), false, &R_POS, ALL_OPT},
    {"momentum", offsetof(nn_opt_params, momentum), false, &R_UNIT_OPEN, K(NN_OPT_SGD) | K(NN_OPT_RMSPROP)},
    {"dampening", offsetof(nn_opt_params, dampening), false, &R_UNIT, K(NN_OPT_SGD)},
    {"nesterov", offsetof(nn_opt_params, nesterov), true, NULL, K(NN_OPT_SGD)},
    {"weight_decay", offsetof(nn_opt_params, weight_decay), false, &R_NONNEG, ALL_OPT},
    {"alpha", offsetof(nn_opt_params, alpha), false, &R_UNIT_OPEN, K(NN_OPT_RMSPROP)},
    {"epsilon", offsetof(nn_opt_params, eps), false, &R_POS, ALL_OPT & ~K(NN_OPT_SGD)},
    {"beta1", offsetof(nn_opt_params, beta1), false, &R_UNIT_OPEN, K(NN_OPT_ADAM) | K(NN_OPT_ADAMW)},
    {"beta2", offsetof(nn_opt_params, beta2), false, &R_UNIT_OPEN, K(NN_OPT_ADAM) | K(NN_OPT_ADAMW)},
    {"amsgrad", offsetof(nn_opt_params, amsgrad), true, NULL, K(NN_OPT_ADAM) | K(NN_OPT_ADAMW)},
    {"centered", offsetof(nn_opt_params, centered), true, NULL, K(NN_OPT_RMSPROP)},
    {"rho", offsetof(nn_opt_params, rho), false, &R_UNIT, K(NN_OPT_ADADELTA)},
    {"lr_decay", offsetof(nn_opt_params, lr_decay), false, &R_NONNEG, K(NN_OPT_ADAGRAD)},
    {"initial_accumulator_value", offsetof(nn_opt_params, initial_accumulator_value), false, &R_NONNEG,
     K(NN_OPT_ADAGRAD)},
};
#define N_OPT_FIELDS ((int)(sizeof opt_fields / sizeof opt_fields[0]))

typedef struct {
    const char *key;
    bool is_int;         /* else double */
    const range *r;
    unsigned kinds;      /* schedules that take it */
} sched_field;

static const sched_field sched_fields[] = {
    {"step_size", true, &R_STEP, K(NN_SCHED_STEP)},
    {"gamma", false, &R_POS, K(NN_SCHED_STEP) | K(NN_SCHED_EXPONENTIAL)},
    {"t_max", true, &R_TMAX, K(NN_SCHED_COSINE)},
    {"eta_min", false, &R_NONNEG, K(NN_SCHED_COSINE)},
};
#define N_SCHED_FIELDS ((int)(sizeof sched_fields / sizeof sched_fields[0]))

static double *opt_dbl(nn_opt_params *o, const opt_field *f) { return (double *)(void *)((char *)o + f->off); }
static bool *opt_bool(nn_opt_params *o, const opt_field *f) { return (bool *)(void *)((char *)o + f->off); }
static double opt_get_dbl(const nn_opt_params *o, const opt_field *f)
{
    return *(const double *)(const void *)((const char *)o + f->off);
}
static bool opt_get_bool(const nn_opt_params *o, const opt_field *f)
{
    return *(const bool *)(const void *)((const char *)o + f->off);
}

static double sched_get(const nn_schedule *s, int i)
{
    switch (i) {
    case 0: return s->step_size;
    case 1: return s->gamma;
    case 2: return s->t_max;
    default: return s->eta_min;
    }
}

static void sched_put(nn_schedule *s, int i, double v)
{
    switch (i) {
    case 0: s->step_size = (int)v; break;
    case 1: s->gamma = v; break;
    case 2: s->t_max = (int)v; break;
    default: s->eta_min = v; break;
    }
}

static void sched_defaults(nn_schedule *s, nn_sched_kind kind)
{
    s->kind = kind;
    s->step_size = 10;
    s->gamma = kind == NN_SCHED_EXPONENTIAL ? 0.95 : 0.1;
    s->t_max = 0;
    s->eta_min = 0.0;
}

// --- name tables ------------------------------------------------------------------------------

typedef const char *(*name_at_fn)(int i);
static const char *act_at(int i) { return nn_act_table[i].name; }
static const char *loss_at(int i) { return nn_loss_table[i].name; }
static const char *opt_at(int i) { return nn_opt_table[i].name; }
static const char *sched_at(int i) { return nn_sched_table[i].name; }
static const char *init_at(int i) { return nn_init_names[i]; }
static const char *dist_at(int i) { return nn_dist_names[i]; }
static const char *reg_at(int i) { return nn_reg_names[i]; }
static const char *norm_at(int i) { return nn_norm_names[i]; }
static const char *task_at(int i) { return task_names[i]; }
static const char *source_at(int i) { return nn_source_table[i].name; }

static int find_name(name_at_fn at, int count, const char *s)
{
    for (int i = 0; i < count; i++)
        if (strcmp(at(i), s) == 0)
            return i;
    return -1;
}

static void name_list(char *buf, size_t n, name_at_fn at, int count, bool with_auto)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < count + (with_auto ? 1 : 0) && len < n; i++) {
        const char *s = i < count ? at(i) : "auto";
        int w = snprintf(buf + len, n - len, "%s%s", i ? ", " : "", s);
        if (w < 0)
            break;
        len += (size_t)w;
    }
}

static void key_list(char *buf, size_t n, const char *const *keys)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; keys[i] && len < n; i++) {
        int w = snprintf(buf + len, n - len, "%s%s", i ? ", " : "", keys[i]);
        if (w < 0)
            break;
        len += (size_t)w;
    }
}

static bool in_list(const char *const *keys, const char *s)
{
    for (int i = 0; keys[i]; i++)
        if (strcmp(keys[i], s) == 0)
            return true;
    return false;
}

/* Edit distance, for "did you mean". Keys are short; longer strings get no suggestion. */
static int edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40)
        return 99;
    int prev[41], cur[41];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            int del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, sizeof prev);
    }
    return prev[lb];
}

static const char *suggest(const char *const *keys, const char *s)
{
    const char *best = NULL;
    int best_d = 3;
    for (int i = 0; keys[i]; i++) {
        int d = edit_distance(keys[i], s);
        if (d < best_d) {
            best_d = d;
            best = keys[i];
        }
    }
    return best;
}

// --- problem reporting ------------------------------------------------------------------------

typedef struct {
    const char *file;
    nn_diags *diags;
    nn_error *err;
    int problems;
    /* Paths parse already reported: validate checks the struct again (the UI edits it directly),
     * and a value that failed in parse was not stored, so validate would see the default there and
     * add a bogus second problem ("units": 1e+20 gave "0 (auto) is only allowed on the last layer"). */
    bool validating;
    int n_seen;
    char seen[NN_MAX_DIAGS][PATH_LEN];
} ctx;

static void report(ctx *c, nn_status code, const char *path, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void report(ctx *c, nn_status code, const char *path, const char *fmt, ...)
{
    if (path && path[0]) {
        for (int i = 0; i < c->n_seen && c->validating; i++)
            if (strcmp(c->seen[i], path) == 0)
                return;
        if (!c->validating && c->n_seen < NN_MAX_DIAGS)
            snprintf(c->seen[c->n_seen++], PATH_LEN, "%s", path);
    }
    char what[NN_ERRMSG], line[2 * NN_ERRMSG + 64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (path && path[0])
        snprintf(line, sizeof line, "%s: %s: %s", c->file, path, what);
    else
        snprintf(line, sizeof line, "%s: %s", c->file, what);
    if (c->diags)
        nn_diags_add(c->diags, "%s", line);
    if (c->problems == 0)
        nn_error_set(c->err, code, "%s", line);
    c->problems++;
}

static void join(char *out, const char *path, const char *key)
{
    if (path[0])
        snprintf(out, PATH_LEN, "%s.%s", path, key);
    else
        snprintf(out, PATH_LEN, "%s", key);
}

static const char *type_name(const cJSON *it)
{
    if (cJSON_IsString(it)) return "a string";
    if (cJSON_IsNumber(it)) return "a number";
    if (cJSON_IsBool(it)) return "a boolean";
    if (cJSON_IsNull(it)) return "null";
    if (cJSON_IsObject(it)) return "an object";
    if (cJSON_IsArray(it)) return "an array";
    return "an unknown value";
}

static void describe(char *buf, size_t n, const cJSON *it)
{
    if (cJSON_IsString(it))
        snprintf(buf, n, "\"%.60s%s\"", it->valuestring, strlen(it->valuestring) > 60 ? "..." : "");
    else if (cJSON_IsNumber(it))
        snprintf(buf, n, "%.17g", it->valuedouble);
    else if (cJSON_IsTrue(it))
        snprintf(buf, n, "true");
    else if (cJSON_IsFalse(it))
        snprintf(buf, n, "false");
    else if (cJSON_IsNull(it))
        snprintf(buf, n, "null");
    else
        snprintf(buf, n, "%s", type_name(it));
    if (cJSON_IsNumber(it)) {   /* shortest form that reads back the same */
        for (int prec = 6; prec <= 17; prec++) {
            snprintf(buf, n, "%.*g", prec, it->valuedouble);
            if (strtod(buf, NULL) == it->valuedouble)
                break;
        }
    }
}

static void type_error(ctx *c, const char *path, const cJSON *it, const char *expected)
{
    char v[96];
    describe(v, sizeof v, it);
    if (cJSON_IsObject(it) || cJSON_IsArray(it))
        report(c, NN_EINVAL, path, "%s, expected %s", type_name(it), expected);
    else
        report(c, NN_EINVAL, path, "%s is %s, expected %s", v, type_name(it), expected);
}

static void range_error(ctx *c, const char *path, double v, const range *r, const char *extra)
{
    char rt[64], vt[40];
    range_text(rt, sizeof rt, r);
    snprintf(vt, sizeof vt, "%.17g", v);
    for (int prec = 6; prec <= 17; prec++) {
        snprintf(vt, sizeof vt, "%.*g", prec, v);
        if (strtod(vt, NULL) == v)
            break;
    }
    report(c, NN_EINVAL, path, "%s is out of range %s%s", vt, rt, extra ? extra : "");
}

// --- typed getters (parse): report and leave *dst alone on any problem -------------------------

static bool check_object(ctx *c, const cJSON *obj, const char *path, const char *const *keys)
{
    if (!cJSON_IsObject(obj)) {
        type_error(c, path, obj, "an object");
        return false;
    }
    for (const cJSON *it = obj->child; it; it = it->next) {
        char p[PATH_LEN];
        join(p, path, it->string ? it->string : "");
        if (!it->string || !in_list(keys, it->string)) {
            char list[LIST_LEN];
            key_list(list, sizeof list, keys);
            const char *s = it->string ? suggest(keys, it->string) : NULL;
            if (s)
                report(c, NN_EINVAL, p, "unknown key; did you mean \"%s\"? (allowed here: %s)", s, list);
            else
                report(c, NN_EINVAL, p, "unknown key (allowed here: %s)", list);
            continue;
        }
        for (const cJSON *prev = obj->child; prev != it; prev = prev->next) {
            if (prev->string && strcmp(prev->string, it->string) == 0) {
                report(c, NN_EINVAL, p, "duplicate key (each key may appear once)");
                break;
            }
        }
    }
    return true;
}

static const cJSON *member(const cJSON *obj, const char *key)
{
    return cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
}

static bool is_auto(const cJSON *it)
{
    return cJSON_IsString(it) && strcmp(it->valuestring, "auto") == 0;
}

static void get_string(ctx *c, const cJSON *obj, const char *path, const char *key, char *dst, size_t cap)
{
    const cJSON *it = member(obj, key);
    if (!it)
        return;
    char p[PATH_LEN];
    join(p, path, key);
    if (!cJSON_IsString(it)) {
        type_error(c, p, it, "a string");
        return;
    }
    size_t len = strlen(it->valuestring);
    if (len >= cap) {
        report(c, NN_EINVAL, p, "a string of %zu bytes is too long (at most %zu)", len, cap - 1);
        return;
    }
    memcpy(dst, it->valuestring, len + 1);
}

static bool get_number(ctx *c, const cJSON *obj, const char *path, const char *key, const range *r,
                       double *out)
{
    const cJSON *it = member(obj, key);
    if (!it)
        return false;
    char p[PATH_LEN];
    join(p, path, key);
    if (!cJSON_IsNumber(it)) {
        type_error(c, p, it, r->integer ? "an integer" : "a number");
        return false;
    }
    double v = it->valuedouble;
    if (r->integer && isfinite(v) && v != floor(v)) {
        char d[64];
        describe(d, sizeof d, it);
        report(c, NN_EINVAL, p, "%s is not an integer", d);
        return false;
    }
    if (!range_ok(r, v)) {
        range_error(c, p, v, r, NULL);
        return false;
    }
    *out = v;
    return true;
}

static void get_int(ctx *c, const cJSON *obj, const char *path, const char *key, const range *r, int *dst)
{
    double v;
    if (get_number(c, obj, path, key, r, &v))
        *dst = (int)v;
}

static void get_double(ctx *c, const cJSON *obj, const char *path, const char *key, const range *r,
                       double *dst)
{
    double v;
    if (get_number(c, obj, path, key, r, &v))
        *dst = v;
}

static void get_bool(ctx *c, const cJSON *obj, const char *path, const char *key, bool *dst)
{
    const cJSON *it = member(obj, key);
    if (!it)
        return;
    if (!cJSON_IsBool(it)) {
        char p[PATH_LEN];
        join(p, path, key);
        type_error(c, p, it, "true or false");
        return;
    }
    *dst = cJSON_IsTrue(it);
}

/* A name from a table ("relu"), or "auto" when with_auto (-> NN_AUTO). Returns false if absent or bad. */
static bool get_enum(ctx *c, const cJSON *obj, const char *path, const char *key, name_at_fn at, int count,
                     bool with_auto, int *dst)
{
    const cJSON *it = member(obj, key);
    if (!it)
        return false;
    char p[PATH_LEN];
    join(p, path, key);
    if (!cJSON_IsString(it)) {
        type_error(c, p, it, "a string");
        return false;
    }
    if (with_auto && strcmp(it->valuestring, "auto") == 0) {
        *dst = NN_AUTO;
        return true;
    }
    int i = find_name(at, count, it->valuestring);
    if (i < 0) {
        char list[LIST_LEN], v[96];
        name_list(list, sizeof list, at, count, with_auto);
        describe(v, sizeof v, it);
        report(c, NN_EINVAL, p, "%s is not one of %s", v, list);
        return false;
    }
    *dst = i;
    return true;
}

// --- parse ------------------------------------------------------------------------------------

static void parse_dataset(ctx *c, const cJSON *obj, nn_preset_dataset *d)
{
    const char *path = "dataset";
    if (!check_object(c, obj, path, dataset_keys))
        return;
    /* source is a string here; validate checks it is a known source (once, also when missing) */
    get_string(c, obj, path, "source", d->source, sizeof d->source);
    get_string(c, obj, path, "path", d->path, sizeof d->path);
    const cJSON *lab = member(obj, "label");
    if (cJSON_IsNumber(lab)) {   /* a 0-based column index */
        double v;
        if (get_number(c, obj, path, "label", &(range){0, 1e6, false, false, true}, &v))
            snprintf(d->label, sizeof d->label, "%d", (int)v);
    } else if (lab && !cJSON_IsString(lab)) {
        type_error(c, "dataset.label", lab, "a column name or a 0-based column index");
    } else {
        get_string(c, obj, path, "label", d->label, sizeof d->label);
    }
    get_enum(c, obj, path, "task", task_at, 2, true, &d->task);
    get_string(c, obj, path, "images", d->images, sizeof d->images);
    get_string(c, obj, path, "labels", d->labels, sizeof d->labels);
    get_string(c, obj, path, "test_images", d->test_images, sizeof d->test_images);
    get_string(c, obj, path, "test_labels", d->test_labels, sizeof d->test_labels);
    if (is_auto(member(obj, "samples")))
        d->samples = 0;
    else
        get_int(c, obj, path, "samples", &R_SAMPLES, &d->samples);
    if (is_auto(member(obj, "noise")))
        d->noise = NAN;
    else
        get_double(c, obj, path, "noise", &R_NOISE, &d->noise);
    int v;
    if (get_enum(c, obj, path, "normalize", norm_at, NN_NORM_COUNT, false, &v))
        d->normalize = (nn_normalize)v;
    const cJSON *split = member(obj, "split");
    if (split && check_object(c, split, "dataset.split", split_keys)) {
        /* a given split starts from zeros: {"train": 0.8, "test": 0.2} means val 0 */
        d->split_train = d->split_val = d->split_test = 0.0;
        get_double(c, split, "dataset.split", "train", &R_UNIT, &d->split_train);
        get_double(c, split, "dataset.split", "val", &R_UNIT, &d->split_val);
        get_double(c, split, "dataset.split", "test", &R_UNIT, &d->split_test);
    }
    get_bool(c, obj, path, "shuffle", &d->shuffle);
}

static void parse_layer(ctx *c, const cJSON *obj, const char *path, nn_preset_layer *l)
{
    *l = (nn_preset_layer){.units = 0, .act = NN_AUTO, .alpha = NAN, .init = NN_INIT_AUTO,
                           .dist = NN_DIST_NORMAL};
    if (!check_object(c, obj, path, layer_keys))
        return;
    if (is_auto(member(obj, "units")))
        l->units = 0;
    else
        get_int(c, obj, path, "units", &R_UNITS, &l->units);
    get_enum(c, obj, path, "activation", act_at, NN_ACT_COUNT, true, &l->act);
    if (is_auto(member(obj, "alpha"))) {
        l->alpha = NAN;
    } else {
        double a;
        if (get_number(c, obj, path, "alpha", &R_ALPHA, &a))
            l->alpha = (float)a;
    }
    int v;
    if (get_enum(c, obj, path, "init", init_at, NN_INIT_COUNT, false, &v))
        l->init = (nn_init)v;
    if (get_enum(c, obj, path, "distribution", dist_at, NN_DIST_COUNT, false, &v))
        l->dist = (nn_dist)v;
}

static void parse_model(ctx *c, const cJSON *obj, nn_preset *p)
{
    if (!check_object(c, obj, "model", model_keys))
        return;
    const cJSON *layers = member(obj, "layers");
    if (!layers)
        return;
    if (!cJSON_IsArray(layers)) {
        type_error(c, "model.layers", layers, "an array of layer objects");
        return;
    }
    int n = cJSON_GetArraySize(layers);
    if (n > NN_MAX_LAYERS)
        report(c, NN_EINVAL, "model.layers", "%d layers is too many (at most %d)", n, NN_MAX_LAYERS);
    p->n_layers = 0;
    int i = 0;
    for (const cJSON *it = layers->child; it; it = it->next, i++) {
        char path[PATH_LEN];
        snprintf(path, sizeof path, "model.layers.%d", i);
        if (i < NN_MAX_LAYERS) {
            parse_layer(c, it, path, &p->layers[i]);
            p->n_layers = i + 1;
        }
    }
}

static void parse_optimizer(ctx *c, const cJSON *obj, nn_opt_params *o)
{
    const char *path = "training.optimizer";
    if (!check_object(c, obj, path, optimizer_keys))
        return;
    int kind = NN_OPT_SGD;
    bool known = true;
    if (member(obj, "name"))
        known = get_enum(c, obj, path, "name", opt_at, NN_OPT_COUNT, false, &kind);
    /* the chosen optimizer's torch defaults, then the given keys */
    nn_opt_defaults(o, (nn_opt_kind)kind);
    o->kind = (nn_opt_kind)kind;
    for (int i = 0; i < N_OPT_FIELDS; i++) {
        const opt_field *f = &opt_fields[i];
        if (!member(obj, f->key))
            continue;
        if (known && !(f->kinds & K(kind))) {
            char p[PATH_LEN], list[LIST_LEN];
            size_t len = 0;
            join(p, path, f->key);
            list[0] = '\0';
            for (int j = 0; j < N_OPT_FIELDS; j++)
                if (opt_fields[j].kinds & K(kind))
                    len += (size_t)snprintf(list + len, len < sizeof list ? sizeof list - len : 0, "%s%s",
                                            len ? ", " : "", opt_fields[j].key);
            report(c, NN_EINVAL, p, "%s takes no %s (its parameters: %s)", nn_opt_table[kind].name, f->key,
                   list);
            continue;
        }
        if (f->is_bool)
            get_bool(c, obj, path, f->key, opt_bool(o, f));
        else
            get_double(c, obj, path, f->key, f->r, opt_dbl(o, f));
    }
}

static void parse_schedule(ctx *c, const cJSON *obj, nn_schedule *s)
{
    const char *path = "training.schedule";
    if (!check_object(c, obj, path, schedule_keys))
        return;
    int kind = NN_SCHED_CONSTANT;
    bool known = true;
    if (member(obj, "name"))
        known = get_enum(c, obj, path, "name", sched_at, NN_SCHED_COUNT, false, &kind);
    sched_defaults(s, (nn_sched_kind)kind);
    for (int i = 0; i < N_SCHED_FIELDS; i++) {
        const sched_field *f = &sched_fields[i];
        if (!member(obj, f->key))
            continue;
        if (known && !(f->kinds & K(kind))) {
            char p[PATH_LEN];
            join(p, path, f->key);
            report(c, NN_EINVAL, p, "the %s schedule takes no %s (step: step_size, gamma; exponential: "
                   "gamma; cosine: t_max, eta_min; constant: none)", nn_sched_table[kind].name, f->key);
            continue;
        }
        double v;
        if (get_number(c, obj, path, f->key, f->r, &v))
            sched_put(s, i, v);
    }
}

static void parse_training(ctx *c, const cJSON *obj, nn_preset_training *t)
{
    const char *path = "training";
    if (!check_object(c, obj, path, training_keys))
        return;
    get_int(c, obj, path, "epochs", &R_EPOCHS, &t->epochs);
    get_int(c, obj, path, "batch_size", &R_BATCH, &t->batch_size);
    get_enum(c, obj, path, "loss", loss_at, NN_LOSS_COUNT, true, &t->loss);
    const cJSON *it;
    if ((it = member(obj, "optimizer")))
        parse_optimizer(c, it, &t->optimizer);
    if ((it = member(obj, "schedule")))
        parse_schedule(c, it, &t->schedule);
    if ((it = member(obj, "regularization")) && check_object(c, it, "training.regularization", reg_keys)) {
        int v;
        if (get_enum(c, it, "training.regularization", "method", reg_at, NN_REG_COUNT, false, &v))
            t->reg = (nn_reg)v;
        get_double(c, it, "training.regularization", "lambda", &R_NONNEG, &t->lambda);
        get_double(c, it, "training.regularization", "r", &R_UNIT, &t->r);
        get_double(c, it, "training.regularization", "dropout", &R_UNIT_OPEN, &t->dropout);
    }
    if ((it = member(obj, "early_stopping")) && check_object(c, it, "training.early_stopping", early_keys))
        get_int(c, it, "training.early_stopping", "patience", &R_PATIENCE, &t->patience);
    get_double(c, obj, path, "clip_norm", &R_NONNEG, &t->clip_norm);
}

static void parse_lesson(ctx *c, const cJSON *obj, nn_preset_lesson *l)
{
    if (!check_object(c, obj, "lesson", lesson_keys))
        return;
    l->present = true;
    get_string(c, obj, "lesson", "title", l->title, sizeof l->title);
    get_string(c, obj, "lesson", "text", l->text, sizeof l->text);
    const cJSON *locked = member(obj, "locked");
    if (!locked)
        return;
    if (!cJSON_IsArray(locked)) {
        type_error(c, "lesson.locked", locked, "an array of dotted keys");
        return;
    }
    int i = 0;
    for (const cJSON *it = locked->child; it; it = it->next, i++) {
        char p[PATH_LEN];
        snprintf(p, sizeof p, "lesson.locked.%d", i);
        if (!cJSON_IsString(it)) {
            type_error(c, p, it, "a dotted key such as \"training.optimizer.name\"");
        } else if (l->n_locked >= NN_MAX_LOCKED) {
            report(c, NN_EINVAL, p, "too many locked keys (at most %d)", NN_MAX_LOCKED);
            break;
        } else if (strlen(it->valuestring) >= sizeof l->locked[0]) {
            report(c, NN_EINVAL, p, "key too long (at most %zu bytes)", sizeof l->locked[0] - 1);
        } else {
            snprintf(l->locked[l->n_locked++], sizeof l->locked[0], "%s", it->valuestring);
        }
    }
}

static void parse_root(ctx *c, const cJSON *root, nn_preset *p)
{
    if (!cJSON_IsObject(root)) {
        report(c, NN_EINVAL, NULL, "the top level is %s, expected a JSON object {...}", type_name(root));
        return;
    }
    check_object(c, root, "", root_keys);
    get_string(c, root, "", "name", p->name, sizeof p->name);
    get_string(c, root, "", "description", p->description, sizeof p->description);
    double seed;
    if (get_number(c, root, "", "seed", &R_SEED, &seed))
        p->seed = (uint64_t)seed;
    const cJSON *it;
    if ((it = member(root, "dataset")))
        parse_dataset(c, it, &p->dataset);
    if ((it = member(root, "model")))
        parse_model(c, it, p);
    if ((it = member(root, "training")))
        parse_training(c, it, &p->training);
    if ((it = member(root, "lesson")))
        parse_lesson(c, it, &p->lesson);
}

// --- keys ---------------------------------------------------------------------------------------

static const char *const *level_keys(const char *norm)
{
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++)
        if (strcmp(levels[i].path, norm) == 0)
            return levels[i].keys;
    return NULL;
}

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

/* A dotted key that names a level or a value of the schema: "training", "model.layers",
 * "model.layers.0", "model.layers.*.activation", "training.optimizer.name". */
static bool valid_key(const char *key)
{
    char norm[PATH_LEN];
    if (!key[0] || strlen(key) >= sizeof norm - 4)
        return false;
    if (strncmp(key, "model.layers.", 13) == 0) {
        const char *idx = key + 13;
        const char *dot = strchr(idx, '.');
        char num[32];
        size_t n = dot ? (size_t)(dot - idx) : strlen(idx);
        if (n == 0 || n >= sizeof num)
            return false;
        memcpy(num, idx, n);
        num[n] = '\0';
        if (strcmp(num, "*") != 0 && !all_digits(num))
            return false;
        snprintf(norm, sizeof norm, "model.layers.#%s", dot ? dot : "");
    } else {
        snprintf(norm, sizeof norm, "%s", key);
    }
    if (level_keys(norm) || strcmp(norm, "model.layers") == 0)
        return true;
    char *last = strrchr(norm, '.');
    const char *const *keys;
    if (last) {
        *last = '\0';
        keys = level_keys(norm);
        last++;
    } else {
        keys = root_keys;
        last = norm;
    }
    return keys && in_list(keys, last);
}

// --- validate -------------------------------------------------------------------------------------

static void check_range(ctx *c, const char *path, double v, const range *r)
{
    if (!range_ok(r, v))
        range_error(c, path, v, r, NULL);
}

static void validate_into(ctx *c, const nn_preset *p)
{
    char list[LIST_LEN], path[PATH_LEN];
    const nn_preset_dataset *d = &p->dataset;
    const nn_preset_training *t = &p->training;

    check_range(c, "seed", (double)p->seed, &R_SEED);

    /* text is UTF-8 without control characters (a --set value or the UI could bring others; \n and
     * \t are allowed in the description and the lesson text): model files, --json output and the
     * terminal, which repeat these strings, get valid UTF-8 that cannot drive a terminal */
    const struct {
        const char *path, *s;
        bool lines;
    } strings[] = {
        {"name", p->name, false}, {"description", p->description, true}, {"dataset.source", d->source, false},
        {"dataset.path", d->path, false}, {"dataset.label", d->label, false}, {"dataset.images", d->images, false},
        {"dataset.labels", d->labels, false}, {"dataset.test_images", d->test_images, false},
        {"dataset.test_labels", d->test_labels, false}, {"lesson.title", p->lesson.title, false},
        {"lesson.text", p->lesson.text, true},
    };
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
        const char *txt = strings[i].s;
        size_t n = strlen(txt), bad = nn_utf8_check(txt, n);
        if (bad < n) {
            report(c, NN_EINVAL, strings[i].path, "byte %zu (0x%02X) is not UTF-8 (text in a preset is UTF-8)", bad + 1,
                   (unsigned)(unsigned char)txt[bad]);
            continue;
        }
        for (size_t k = 0; k < n; k++) {
            unsigned char ch = (unsigned char)txt[k];
            bool c1 = ch == 0xC2 && (unsigned char)txt[k + 1] < 0xA0;   /* U+0080..U+009F */
            if ((ch < 0x20 && !(strings[i].lines && (ch == '\n' || ch == '\t'))) || ch == 0x7F || c1) {
                report(c, NN_EINVAL, strings[i].path, "a control character (%s%02X) at byte %zu: not allowed%s",
                       c1 ? "U+00" : "0x", c1 ? (unsigned)(unsigned char)txt[k + 1] : (unsigned)ch, k + 1,
                       strings[i].lines ? " (only newlines and tabs are)" : "");
                break;
            }
        }
    }

    /* dataset */
    const nn_source_info *src = d->source[0] ? nn_source_find(d->source) : NULL;
    name_list(list, sizeof list, source_at, nn_source_count, false);
    if (!d->source[0])
        report(c, NN_EINVAL, "dataset.source", "missing (required: one of %s)", list);
    else if (!src)
        report(c, NN_EINVAL, "dataset.source", "\"%s\" is not one of %s", d->source, list);
    if (src && strcmp(src->name, "csv") == 0 && !d->path[0])
        report(c, NN_EINVAL, "dataset.path", "missing: the csv source needs the path of a CSV file "
               "(relative to the preset)");
    if (src && strcmp(src->name, "idx") == 0) {
        if (!d->images[0])
            report(c, NN_EINVAL, "dataset.images", "missing: the idx source needs an images file "
                   "(train-images-idx3-ubyte[.gz])");
        if (!d->labels[0])
            report(c, NN_EINVAL, "dataset.labels", "missing: the idx source needs a labels file "
                   "(train-labels-idx1-ubyte[.gz])");
        if (!d->test_images[0] != !d->test_labels[0])
            report(c, NN_EINVAL, d->test_images[0] ? "dataset.test_labels" : "dataset.test_images",
                   "missing: test_images and test_labels go together");
    }
    if (d->task != NN_AUTO && d->task != NN_TASK_CLASSIFICATION && d->task != NN_TASK_REGRESSION)
        report(c, NN_EINVAL, "dataset.task", "%d is not a task (classification, regression, auto)", d->task);
    if (d->samples != 0)
        check_range(c, "dataset.samples", d->samples, &R_SAMPLES);
    if (!isnan(d->noise))
        check_range(c, "dataset.noise", d->noise, &R_NOISE);
    if ((int)d->normalize < 0 || d->normalize >= NN_NORM_COUNT)
        report(c, NN_EINVAL, "dataset.normalize", "%d is not a normalisation (zscore, minmax, none)",
               (int)d->normalize);
    bool split_ok = true;
    const double fr[3] = {d->split_train, d->split_val, d->split_test};
    for (int i = 0; i < 3; i++) {
        join(path, "dataset.split", split_keys[i]);
        if (!range_ok(&R_UNIT, fr[i])) {
            range_error(c, path, fr[i], &R_UNIT, NULL);
            split_ok = false;
        }
    }
    if (split_ok) {
        double sum = fr[0] + fr[1] + fr[2];
        if (fabs(sum - 1.0) > 1e-6)
            report(c, NN_EINVAL, "dataset.split", "train %g + val %g + test %g = %g, expected the fractions "
                   "to sum to 1", fr[0], fr[1], fr[2], sum);
        if (fr[0] <= 0.0)
            report(c, NN_EINVAL, "dataset.split.train", "0 is out of range (the training split must be > 0)");
    }

    /* model */
    if (p->n_layers < 1)
        report(c, NN_EINVAL, "model.layers", "empty: a network needs at least one layer (the output layer)");
    if (p->n_layers > NN_MAX_LAYERS)
        report(c, NN_EINVAL, "model.layers", "%d layers is too many (at most %d)", p->n_layers, NN_MAX_LAYERS);
    for (int i = 0; i < p->n_layers && i < NN_MAX_LAYERS; i++) {
        const nn_preset_layer *l = &p->layers[i];
        bool last = i == p->n_layers - 1;
        snprintf(path, sizeof path, "model.layers.%d.units", i);
        if (!range_ok(&R_UNITS, l->units))
            range_error(c, path, l->units, &R_UNITS, NULL);
        else if (!last && l->units == 0)
            report(c, NN_EINVAL, path, "0 (auto) is only allowed on the last layer: a hidden layer needs "
                   "1..65536 units");
        if (l->act != NN_AUTO && (l->act < 0 || l->act >= NN_ACT_COUNT)) {
            snprintf(path, sizeof path, "model.layers.%d.activation", i);
            report(c, NN_EINVAL, path, "%d is not an activation", l->act);
        }
        if (!isnan(l->alpha)) {
            snprintf(path, sizeof path, "model.layers.%d.alpha", i);
            check_range(c, path, l->alpha, &R_ALPHA);
        }
        if ((int)l->init < 0 || l->init >= NN_INIT_COUNT) {
            snprintf(path, sizeof path, "model.layers.%d.init", i);
            report(c, NN_EINVAL, path, "%d is not an initialisation", (int)l->init);
        }
        if ((int)l->dist < 0 || l->dist >= NN_DIST_COUNT) {
            snprintf(path, sizeof path, "model.layers.%d.distribution", i);
            report(c, NN_EINVAL, path, "%d is not a distribution", (int)l->dist);
        }
    }

    /* training */
    check_range(c, "training.epochs", t->epochs, &R_EPOCHS);
    check_range(c, "training.batch_size", t->batch_size, &R_BATCH);
    if (t->loss != NN_AUTO && (t->loss < 0 || t->loss >= NN_LOSS_COUNT)) {
        report(c, NN_EINVAL, "training.loss", "%d is not a loss", t->loss);
    } else if (t->loss != NN_AUTO && nn_loss_table[t->loss].classification) {
        int task = d->task != NN_AUTO ? d->task : src && strcmp(src->name, "csv") != 0 ? (int)src->task : NN_AUTO;
        if (task == NN_TASK_REGRESSION)
            report(c, NN_EINVAL, "training.loss", "\"%s\" needs a classification task, but the %s dataset is "
                   "regression (use mse, mae or rmse)", nn_loss_table[t->loss].name,
                   d->task != NN_AUTO ? "given" : d->source);
    }
    const nn_opt_params *o = &t->optimizer;
    if ((int)o->kind < 0 || o->kind >= NN_OPT_COUNT) {
        report(c, NN_EINVAL, "training.optimizer.name", "%d is not an optimizer", (int)o->kind);
    } else {
        for (int i = 0; i < N_OPT_FIELDS; i++) {
            const opt_field *f = &opt_fields[i];
            if (f->is_bool || !(f->kinds & K(o->kind)))
                continue;
            join(path, "training.optimizer", f->key);
            check_range(c, path, opt_get_dbl(o, f), f->r);
        }
        if (o->kind == NN_OPT_SGD && o->nesterov && (o->momentum <= 0.0 || o->dampening != 0.0))
            report(c, NN_EINVAL, "training.optimizer.nesterov", "true needs momentum > 0 and dampening 0 "
                   "(momentum %g, dampening %g)", o->momentum, o->dampening);
    }
    const nn_schedule *s = &t->schedule;
    if ((int)s->kind < 0 || s->kind >= NN_SCHED_COUNT) {
        report(c, NN_EINVAL, "training.schedule.name", "%d is not a schedule", (int)s->kind);
    } else {
        for (int i = 0; i < N_SCHED_FIELDS; i++) {
            if (!(sched_fields[i].kinds & K(s->kind)))
                continue;
            join(path, "training.schedule", sched_fields[i].key);
            check_range(c, path, sched_get(s, i), sched_fields[i].r);
        }
    }
    if ((int)t->reg < 0 || t->reg >= NN_REG_COUNT)
        report(c, NN_EINVAL, "training.regularization.method", "%d is not a method", (int)t->reg);
    check_range(c, "training.regularization.lambda", t->lambda, &R_NONNEG);
    check_range(c, "training.regularization.r", t->r, &R_UNIT);
    check_range(c, "training.regularization.dropout", t->dropout, &R_UNIT_OPEN);
    check_range(c, "training.early_stopping.patience", t->patience, &R_PATIENCE);
    check_range(c, "training.clip_norm", t->clip_norm, &R_NONNEG);

    /* lesson */
    if (p->lesson.n_locked < 0 || p->lesson.n_locked > NN_MAX_LOCKED)
        report(c, NN_EINVAL, "lesson.locked", "%d keys (at most %d)", p->lesson.n_locked, NN_MAX_LOCKED);
    for (int i = 0; i < p->lesson.n_locked && i < NN_MAX_LOCKED; i++) {
        if (!valid_key(p->lesson.locked[i])) {
            snprintf(path, sizeof path, "lesson.locked.%d", i);
            report(c, NN_EINVAL, path, "\"%s\" is not a preset key (write a dotted path such as "
                   "\"training.optimizer.name\" or \"model.layers.0.units\")", p->lesson.locked[i]);
        }
    }
}

// --- public: defaults, parse, load, validate --------------------------------------------------------

void nn_preset_defaults(nn_preset *p)
{
    memset(p, 0, sizeof *p);
    p->seed = 1234;
    nn_preset_dataset *d = &p->dataset;
    d->task = NN_AUTO;
    d->samples = 0;
    d->noise = NAN;
    d->normalize = NN_NORM_ZSCORE;
    d->split_train = 0.7;
    d->split_val = 0.1;
    d->split_test = 0.2;
    d->shuffle = true;
    p->n_layers = 2;
    p->layers[0] = (nn_preset_layer){.units = 40, .act = NN_ACT_RELU, .alpha = NAN, .init = NN_INIT_AUTO,
                                     .dist = NN_DIST_NORMAL};
    p->layers[1] = (nn_preset_layer){.units = 0, .act = NN_AUTO, .alpha = NAN, .init = NN_INIT_AUTO,
                                     .dist = NN_DIST_NORMAL};
    nn_preset_training *t = &p->training;
    t->epochs = 20;
    t->batch_size = 16;
    t->loss = NN_AUTO;
    nn_opt_defaults(&t->optimizer, NN_OPT_SGD);
    t->optimizer.kind = NN_OPT_SGD;
    t->optimizer.lr = 0.03;    /* the seed's; an optimizer object without learning_rate gets torch's */
    sched_defaults(&t->schedule, NN_SCHED_CONSTANT);
    t->reg = NN_REG_NONE;
    t->lambda = 0.0;
    t->r = 0.5;
    t->dropout = 0.0;
    t->patience = 0;
    t->clip_norm = 0.0;
    snprintf(p->base_dir, sizeof p->base_dir, ".");
}

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
    ctx c = {.file = p->file, .diags = diags, .err = err};
    parse_root(&c, root, p);
    c.validating = true;
    if (cJSON_IsObject(root))
        validate_into(&c, p);
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
    ctx c = {.file = filename, .diags = diags, .err = err};
    /* A preset describes one experiment in a few KB; its data live in CSV or IDX files. The cap
     * keeps a hostile file from building a parse tree of gigabytes (cJSON spends ~64 bytes a value). */
    if (len > NN_PRESET_MAX_BYTES) {
        report(&c, NN_ENOMEM, NULL, "too large (%zu bytes, more than %d KB, the most a preset may hold: a preset "
               "describes an experiment, its data go in a CSV or IDX file)", len, NN_PRESET_MAX_BYTES / 1024);
        return NN_ENOMEM;
    }
    const unsigned char *u = (const unsigned char *)json;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        report(&c, NN_EFORMAT, NULL, "the file is UTF-16 (it starts with a UTF-16 byte order mark): JSON presets "
               "are read as UTF-8 (save the file as UTF-8)");
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
        report(&c, NN_EFORMAT, NULL, "empty file (a preset is a JSON object: {\"dataset\": {\"source\": "
               "\"iris\"}} is the smallest)");
        return NN_EFORMAT;
    }
    size_t line, col, bad_byte = nn_utf8_check(json, len);
    char at[NN_PATH_MAX + 48];
    if (bad_byte < len) {
        nn_text_position(json, bad_byte, &line, &col);
        snprintf(at, sizeof at, "%s:%zu:%zu", filename, line, col);
        ctx c2 = {.file = at, .diags = diags, .err = err};
        report(&c2, NN_EFORMAT, NULL, "byte 0x%02X is not UTF-8 (a Windows-1252 or Latin-1 file?): JSON is read as "
               "UTF-8 (save the file as UTF-8)", (unsigned)(unsigned char)json[bad_byte]);
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
        ctx c2 = {.file = at, .diags = diags, .err = err};
        report(&c2, NN_EFORMAT, NULL, "JSON syntax error: unexpected text after the end of the object (near \"%s\")",
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
    ctx c = {.file = p->file[0] ? p->file : "preset", .diags = diags, .err = err};
    validate_into(&c, p);
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

// --- writing ------------------------------------------------------------------------------------

typedef struct {
    cJSON *root;
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

static void add_str(builder *b, cJSON *obj, const char *key, const char *s)
{
    add(b, obj, key, cJSON_CreateString(s));
}

static void add_num(builder *b, cJSON *obj, const char *key, double v)
{
    add(b, obj, key, cJSON_CreateNumber(v));
}

static void add_opt_str(builder *b, cJSON *obj, const char *key, const char *s)
{
    if (s[0] || b->full)
        add_str(b, obj, key, s);
}

static const char *name_or(name_at_fn at, int count, int i)
{
    return i >= 0 && i < count ? at(i) : "invalid";
}

static cJSON *build_tree(const nn_preset *p, bool full)
{
    builder b = {cJSON_CreateObject(), false, full};
    cJSON *root = b.root;
    if (!root)
        return NULL;
    add_str(&b, root, "name", p->name);
    add_str(&b, root, "description", p->description);
    add_num(&b, root, "seed", (double)p->seed);

    const nn_preset_dataset *d = &p->dataset;
    cJSON *ds = add(&b, root, "dataset", cJSON_CreateObject());
    add_str(&b, ds, "source", d->source);
    add_opt_str(&b, ds, "path", d->path);
    add_opt_str(&b, ds, "label", d->label);
    if (d->task != NN_AUTO)
        add_str(&b, ds, "task", name_or(task_at, 2, d->task));
    else if (full)
        add_str(&b, ds, "task", "auto");
    add_opt_str(&b, ds, "images", d->images);
    add_opt_str(&b, ds, "labels", d->labels);
    add_opt_str(&b, ds, "test_images", d->test_images);
    add_opt_str(&b, ds, "test_labels", d->test_labels);
    if (d->samples != 0)
        add_num(&b, ds, "samples", d->samples);
    else if (full)
        add_str(&b, ds, "samples", "auto");
    if (!isnan(d->noise))
        add_num(&b, ds, "noise", d->noise);
    else if (full)
        add_str(&b, ds, "noise", "auto");
    add_str(&b, ds, "normalize", name_or(norm_at, NN_NORM_COUNT, (int)d->normalize));
    cJSON *split = add(&b, ds, "split", cJSON_CreateObject());
    add_num(&b, split, "train", d->split_train);
    add_num(&b, split, "val", d->split_val);
    add_num(&b, split, "test", d->split_test);
    add(&b, ds, "shuffle", cJSON_CreateBool(d->shuffle));

    cJSON *model = add(&b, root, "model", cJSON_CreateObject());
    cJSON *layers = add(&b, model, "layers", cJSON_CreateArray());
    for (int i = 0; i < p->n_layers && i < NN_MAX_LAYERS && layers; i++) {
        const nn_preset_layer *l = &p->layers[i];
        cJSON *lo = cJSON_CreateObject();
        if (!lo || !cJSON_AddItemToArray(layers, lo)) {
            cJSON_Delete(lo);
            b.bad = true;
            break;
        }
        if (l->units != 0)
            add_num(&b, lo, "units", l->units);
        else if (full)
            add_str(&b, lo, "units", "auto");
        if (l->act != NN_AUTO)
            add_str(&b, lo, "activation", name_or(act_at, NN_ACT_COUNT, l->act));
        else if (full)
            add_str(&b, lo, "activation", "auto");
        if (!isnan(l->alpha))
            add_num(&b, lo, "alpha", (double)l->alpha);
        else if (full)
            add_str(&b, lo, "alpha", "auto");
        if (l->init != NN_INIT_AUTO || full)
            add_str(&b, lo, "init", name_or(init_at, NN_INIT_COUNT, (int)l->init));
        add_str(&b, lo, "distribution", name_or(dist_at, NN_DIST_COUNT, (int)l->dist));
    }

    const nn_preset_training *t = &p->training;
    cJSON *tr = add(&b, root, "training", cJSON_CreateObject());
    add_num(&b, tr, "epochs", t->epochs);
    add_num(&b, tr, "batch_size", t->batch_size);
    if (t->loss != NN_AUTO)
        add_str(&b, tr, "loss", name_or(loss_at, NN_LOSS_COUNT, t->loss));
    else if (full)
        add_str(&b, tr, "loss", "auto");
    const nn_opt_params *o = &t->optimizer;
    cJSON *opt = add(&b, tr, "optimizer", cJSON_CreateObject());
    add_str(&b, opt, "name", name_or(opt_at, NN_OPT_COUNT, (int)o->kind));
    for (int i = 0; i < N_OPT_FIELDS; i++) {
        const opt_field *f = &opt_fields[i];
        if ((int)o->kind < 0 || o->kind >= NN_OPT_COUNT || !(f->kinds & K(o->kind)))
            continue;
        if (f->is_bool)
            add(&b, opt, f->key, cJSON_CreateBool(opt_get_bool(o, f)));
        else
            add_num(&b, opt, f->key, opt_get_dbl(o, f));
    }
    const nn_schedule *s = &t->schedule;
    cJSON *sch = add(&b, tr, "schedule", cJSON_CreateObject());
    add_str(&b, sch, "name", name_or(sched_at, NN_SCHED_COUNT, (int)s->kind));
    for (int i = 0; i < N_SCHED_FIELDS; i++)
        if ((int)s->kind >= 0 && s->kind < NN_SCHED_COUNT && (sched_fields[i].kinds & K(s->kind)))
            add_num(&b, sch, sched_fields[i].key, sched_get(s, i));
    cJSON *reg = add(&b, tr, "regularization", cJSON_CreateObject());
    add_str(&b, reg, "method", name_or(reg_at, NN_REG_COUNT, (int)t->reg));
    add_num(&b, reg, "lambda", t->lambda);
    add_num(&b, reg, "r", t->r);
    add_num(&b, reg, "dropout", t->dropout);
    cJSON *es = add(&b, tr, "early_stopping", cJSON_CreateObject());
    add_num(&b, es, "patience", t->patience);
    add_num(&b, tr, "clip_norm", t->clip_norm);

    if (p->lesson.present || full) {
        cJSON *ls = add(&b, root, "lesson", cJSON_CreateObject());
        add_str(&b, ls, "title", p->lesson.title);
        add_str(&b, ls, "text", p->lesson.text);
        cJSON *locked = add(&b, ls, "locked", cJSON_CreateArray());
        for (int i = 0; i < p->lesson.n_locked && i < NN_MAX_LOCKED && locked; i++) {
            cJSON *k = cJSON_CreateString(p->lesson.locked[i]);
            if (!k || !cJSON_AddItemToArray(locked, k)) {
                cJSON_Delete(k);
                b.bad = true;
            }
        }
    }
    if (b.bad) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

struct cJSON *nn_preset_to_cjson(const nn_preset *p)
{
    return build_tree(p, false);
}

typedef nn_strbuf sbuf;

static void sb_number(sbuf *b, double v)
{
    char t[40];
    if (!isfinite(v)) {
        nn_strbuf_puts(b, "null");
        return;
    }
    if (v == floor(v) && fabs(v) < 9007199254740992.0) {
        snprintf(t, sizeof t, "%.0f", v == 0.0 ? 0.0 : v);
    } else {
        for (int prec = 15; prec <= 17; prec++) {   /* shortest that reads back the same double */
            snprintf(t, sizeof t, "%.*g", prec, v);
            if (strtod(t, NULL) == v)
                break;
        }
    }
    nn_strbuf_puts(b, t);
}

static void sb_json_string(sbuf *b, const char *s)
{
    nn_strbuf_put(b, "\"", 1);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        char e[8];
        switch (ch) {
        case '"': nn_strbuf_puts(b, "\\\""); break;
        case '\\': nn_strbuf_puts(b, "\\\\"); break;
        case '\n': nn_strbuf_puts(b, "\\n"); break;
        case '\t': nn_strbuf_puts(b, "\\t"); break;
        case '\r': nn_strbuf_puts(b, "\\r"); break;
        case '\b': nn_strbuf_puts(b, "\\b"); break;
        case '\f': nn_strbuf_puts(b, "\\f"); break;
        default:
            if (ch < 0x20) {
                snprintf(e, sizeof e, "\\u%04x", ch);
                nn_strbuf_puts(b, e);
            } else {
                nn_strbuf_put(b, s, 1);
            }
        }
    }
    nn_strbuf_put(b, "\"", 1);
}

/* One line: {"units": 40, "activation": "relu"} */
static void print_compact(sbuf *b, const cJSON *it)
{
    if (cJSON_IsObject(it) || cJSON_IsArray(it)) {
        bool obj = cJSON_IsObject(it);
        nn_strbuf_puts(b, obj ? "{" : "[");
        for (const cJSON *c = it->child; c; c = c->next) {
            if (obj) {
                sb_json_string(b, c->string);
                nn_strbuf_puts(b, ": ");
            }
            print_compact(b, c);
            if (c->next)
                nn_strbuf_puts(b, ", ");
        }
        nn_strbuf_puts(b, obj ? "}" : "]");
    } else if (cJSON_IsString(it)) {
        sb_json_string(b, it->valuestring);
    } else if (cJSON_IsNumber(it)) {
        sb_number(b, it->valuedouble);
    } else if (cJSON_IsTrue(it)) {
        nn_strbuf_puts(b, "true");
    } else if (cJSON_IsFalse(it)) {
        nn_strbuf_puts(b, "false");
    } else if (cJSON_IsRaw(it)) {
        nn_strbuf_puts(b, it->valuestring);
    } else {
        nn_strbuf_puts(b, "null");
    }
}

static bool has_nested(const cJSON *it)
{
    for (const cJSON *c = it->child; c; c = c->next)
        if ((cJSON_IsObject(c) || cJSON_IsArray(c)) && c->child)
            return true;
    return false;
}

static void indent(sbuf *b, int n)
{
    for (int i = 0; i < n; i++)
        nn_strbuf_put(b, "  ", 2);
}

/* 2-space indentation; a container with no nested containers goes on one line if it fits in 100 columns. */
static void print_pretty(sbuf *b, const cJSON *it, int depth, size_t key_len)
{
    if (!(cJSON_IsObject(it) || cJSON_IsArray(it)) || !it->child) {
        print_compact(b, it);
        return;
    }
    if (depth > 0 && !has_nested(it)) {
        sbuf t = {0};
        print_compact(&t, it);
        bool fits = !t.oom && (size_t)depth * 2 + key_len + t.len <= 100;
        if (fits)
            nn_strbuf_puts(b, t.s);
        free(t.s);
        if (fits)
            return;
    }
    bool obj = cJSON_IsObject(it);
    nn_strbuf_puts(b, obj ? "{\n" : "[\n");
    for (const cJSON *c = it->child; c; c = c->next) {
        indent(b, depth + 1);
        size_t kl = 0;
        if (obj) {
            sb_json_string(b, c->string);
            nn_strbuf_puts(b, ": ");
            kl = strlen(c->string) + 4;
        }
        print_pretty(b, c, depth + 1, kl);
        nn_strbuf_puts(b, c->next ? ",\n" : "\n");
    }
    indent(b, depth);
    nn_strbuf_puts(b, obj ? "}" : "]");
}

static char *tree_text(const cJSON *root, bool pretty)
{
    sbuf b = {0};
    if (pretty) {
        print_pretty(&b, root, 0, 0);
        nn_strbuf_puts(&b, "\n");
    } else {
        print_compact(&b, root);
    }
    if (b.oom || !b.s) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

char *nn_preset_to_json(const nn_preset *p)
{
    cJSON *root = build_tree(p, false);
    if (!root)
        return NULL;
    char *s = tree_text(root, true);
    cJSON_Delete(root);
    return s;
}

nn_status nn_preset_check_save(const nn_preset *p, const char *path, bool self, nn_error *err)
{
    const nn_preset_dataset *ds = &p->dataset;
    const char *key[4], *rel[4];
    int n = 0;
    if (strcmp(ds->source, "csv") == 0) {
        key[n] = "dataset.path", rel[n++] = ds->path;
    } else if (strcmp(ds->source, "idx") == 0) {
        key[n] = "dataset.images", rel[n++] = ds->images;
        key[n] = "dataset.labels", rel[n++] = ds->labels;
        key[n] = "dataset.test_images", rel[n++] = ds->test_images;
        key[n] = "dataset.test_labels", rel[n++] = ds->test_labels;
    }
    if (self && nn_file_same(path, p->file))
        return nn_error_set(err, NN_EIO, "%s: not saved: it would replace the preset being trained (%s)", path,
                            p->file);
    for (int i = 0; i < n; i++) {
        char full[NN_PATH_MAX];
        if (rel[i][0] && nn_path_join(full, sizeof full, p->base_dir, rel[i]) == 0 && nn_file_same(path, full))
            return nn_error_set(err, NN_EIO, "%s: not saved: it would replace the preset's data (%s: %s)", path,
                                key[i], rel[i]);
    }
    return NN_OK;
}

nn_status nn_preset_save(const nn_preset *p, const char *path, nn_error *err)
{
    nn_status st = nn_preset_check_save(p, path, false, err);
    if (st != NN_OK)
        return st;
    char *s = nn_preset_to_json(p);
    if (!s)
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory writing the preset", path);
    st = nn_file_write_atomic(path, s, strlen(s), err);
    free(s);
    return st;
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
    cJSON *root = build_tree(p, false);
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
                              type_name(cur), comps[i]);
            break;
        }
        char np[PATH_LEN];
        join(np, path, comps[i]);
        memcpy(path, np, sizeof path);
        cur = next;
    }
    const char *last = comps[n - 1];
    if (st == NN_OK) {
        if (cJSON_IsObject(cur)) {
            /* a new optimizer or schedule starts from its own defaults (set learning_rate after it) */
            bool rename = strcmp(last, "name") == 0 &&
                          (strcmp(path, "training.optimizer") == 0 || strcmp(path, "training.schedule") == 0);
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
                              type_name(cur), last);
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
    if (n < 1 || !valid_key(key))
        return nn_error_set(err, NN_EINVAL, "%s: not a preset key", key);
    cJSON *root = build_tree(p, true);
    if (!root)
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory", key);
    const cJSON *cur = root;
    for (int i = 0; i < n && cur; i++) {
        int idx;
        if (cJSON_IsArray(cur))
            cur = parse_index(comps[i], &idx) ? cJSON_GetArrayItem(cur, idx) : NULL;
        else
            cur = member(cur, comps[i]);
    }
    nn_status st = NN_OK;
    if (!cur) {
        st = nn_error_set(err, NN_EINVAL, "%s: not used by this preset (a parameter of another optimizer or "
                          "schedule, or a layer that does not exist)", key);
    } else {
        char *s = tree_text(cur, false);
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
    for (int i = 0; i < p->lesson.n_locked && i < NN_MAX_LOCKED; i++)
        if (key_has_prefix(key, p->lesson.locked[i]))
            return true;
    return false;
}
