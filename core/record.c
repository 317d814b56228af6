/* record.c — run records: writing, reading, the fingerprint, comparing a re-run (record.h). */
#include "record.h"

#include "activation.h"
#include "preset_schema.h"
#include "files.h"
#include "optimizer.h"
#include "strbuf.h"
#include "text.h"
#include "trainer.h"

#include <cJSON.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

// --- the fingerprint ------------------------------------------------------------------------------

static uint64_t fnv(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static uint64_t fnv_str(uint64_t h, const char *s) { return fnv(h, s, strlen(s) + 1); }

/* Every value under it with its path: "path\tvalue\n" in document order. */
static uint64_t fp_value(uint64_t h, const cJSON *it, const char *path)
{
    char buf[64];
    h = fnv_str(h, path);
    if (cJSON_IsObject(it) || cJSON_IsArray(it)) {
        h = fnv_str(h, cJSON_IsObject(it) ? "{" : "[");
        int i = 0;
        for (const cJSON *c = it->child; c; c = c->next, i++) {
            char sub[512];
            if (cJSON_IsObject(it))
                snprintf(sub, sizeof sub, "%.200s.%.300s", path, c->string ? c->string : "");
            else
                snprintf(sub, sizeof sub, "%.200s.%d", path, i);
            h = fp_value(h, c, sub);
        }
        return fnv_str(h, cJSON_IsObject(it) ? "}" : "]");
    }
    if (cJSON_IsNumber(it)) {
        snprintf(buf, sizeof buf, "n%.17g", it->valuedouble);
        return fnv_str(h, buf);
    }
    if (cJSON_IsString(it)) {
        h = fnv_str(h, "s");
        return fnv_str(h, it->valuestring);
    }
    return fnv_str(h, cJSON_IsTrue(it) ? "true" : cJSON_IsFalse(it) ? "false" : "null");
}

static void fingerprint(const cJSON *root, char *out, size_t cap)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const cJSON *c = root->child; c; c = c->next)
        if (!c->string || strcmp(c->string, "fingerprint") != 0)
            h = fp_value(h, c, c->string ? c->string : "");
    snprintf(out, cap, "fnv1a64:%016llx", (unsigned long long)h);
}

// --- the --json objects -----------------------------------------------------------------------------

/* JSON number: %.6g, or null for NaN/Inf (not representable in JSON). */
static void jnum(nn_strbuf *b, const char *key, double v, bool comma)
{
    if (isfinite(v))
        nn_strbuf_printf(b, "\"%s\":%.6g%s", key, v, comma ? "," : "");
    else
        nn_strbuf_printf(b, "\"%s\":null%s", key, comma ? "," : "");
}

/* JSON string: control characters (C0, DEL, C1) escaped, never invalid UTF-8 (nn_text_json_string). */
static void jstr(nn_strbuf *b, const char *s)
{
    nn_text_json_string(b, s);
}

char *nn_record_epoch_json(const nn_trainer *t, const nn_epoch_stats *s)
{
    nn_strbuf b = {0};
    bool cls = t->data.task == NN_TASK_CLASSIFICATION;
    nn_strbuf_printf(&b, "{\"epoch\":%d,", s->epoch);
    jnum(&b, "train_loss", s->train_loss, true);
    jnum(&b, "val_loss", s->val_loss, true);
    jnum(&b, "test_loss", s->test_loss, true);
    jnum(&b, cls ? "train_accuracy" : "train_r2", s->train_acc, true);
    jnum(&b, cls ? "val_accuracy" : "val_r2", s->val_acc, true);
    jnum(&b, cls ? "test_accuracy" : "test_r2", s->test_acc, true);
    jnum(&b, "lr", s->lr, true);
    if (t->preset.training.reg != NN_REG_NONE)
        jnum(&b, "penalty", s->penalty, true);
    nn_strbuf_printf(&b, "\"seconds\":%.6f,\"eval_seconds\":%.6f}\n", s->seconds, s->eval_seconds);
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

char *nn_record_final_json(const nn_trainer *t, const nn_epoch_stats *f, const char *stopped)
{
    nn_strbuf sb = {0}, *b = &sb;
    nn_strbuf_printf(b, "{\"final\":true,\"epochs\":%d,", t->epoch);
    if (stopped)
        nn_strbuf_printf(b, "\"stopped\":\"%s\",", stopped);
    if (t->state == NN_TRAINER_DIVERGED) {
        nn_strbuf_printf(b, "\"diverged\":true,\"message\":");
        jstr(b, t->fault);
        nn_strbuf_printf(b, ",");
    }
    jnum(b, "train_loss", f->train_loss, true);
    jnum(b, "val_loss", f->val_loss, true);
    jnum(b, "test_loss", f->test_loss, true);
    if (t->data.task == NN_TASK_REGRESSION) {
        jnum(b, "r2", t->reg.r2, true);
        jnum(b, "mse", t->reg.mse, false);
        nn_strbuf_printf(b, "}\n");
        if (sb.oom) {
            free(sb.s);
            return NULL;
        }
        return sb.s;
    }
    const nn_class_metrics *m = &t->metrics;
    int k = t->data.n_classes;
    jnum(b, "accuracy", m->accuracy, true);
    nn_strbuf_printf(b, "\"classes\":[");
    for (int i = 0; i < k; i++) {
        if (i)
            nn_strbuf_printf(b, ",");
        jstr(b, nn_dataset_class_name(&t->data, i));
    }
    nn_strbuf_printf(b, "],\"confusion_matrix\":[");
    for (int i = 0; i < k; i++) {
        nn_strbuf_printf(b, "%s[", i ? "," : "");
        for (int j = 0; j < k; j++)
            nn_strbuf_printf(b, "%s%d", j ? "," : "", t->confusion[i * k + j]);
        nn_strbuf_printf(b, "]");
    }
    nn_strbuf_printf(b, "]");
    const double *arr[3] = {m->precision, m->recall, m->f1};
    const char *names[3] = {"precision", "recall", "f1"};
    for (int a = 0; a < 3; a++) {
        nn_strbuf_printf(b, ",\"%s\":[", names[a]);
        for (int i = 0; i < k; i++)
            nn_strbuf_printf(b, "%s%.6g", i ? "," : "", arr[a][i]);
        nn_strbuf_printf(b, "]");
    }
    nn_strbuf_printf(b, ",");
    jnum(b, "macro_precision", m->macro_precision, true);
    jnum(b, "macro_recall", m->macro_recall, true);
    jnum(b, "macro_f1", m->macro_f1, false);
    nn_strbuf_printf(b, "}\n");
    if (sb.oom) {
        free(sb.s);
        return NULL;
    }
    return sb.s;
}

// --- writing ----------------------------------------------------------------------------------------

/* A JSON text, one line (cJSON's own form), or NULL if it does not parse. */
static bool put_json_line(nn_strbuf *b, const char *text)
{
    cJSON *j = cJSON_Parse(text);
    if (!j)
        return false;
    char *s = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    if (!s)
        return false;
    /* the line as given, not cJSON's reprint: the figures keep their printed digits */
    size_t n = strlen(text);
    while (n && (text[n - 1] == '\n' || text[n - 1] == ' '))
        n--;
    nn_strbuf_put(b, text, n);
    free(s);
    return true;
}

char *nn_record_text(const nn_preset *p, const char *nnterm_version, const char *date, const char *data_dir,
                     const char *from_weights, const char *const *epochs, int n, const char *live, const char *final)
{
    nn_strbuf b = {0};
    nn_strbuf_printf(&b, "{\n  \"format\": \"%s\",\n  \"version\": %d,\n  \"nnterm\": ", NN_RECORD_FORMAT,
                     NN_RECORD_VERSION);
    nn_text_json_string(&b, nnterm_version);
    nn_strbuf_puts(&b, ",\n  \"date\": ");
    nn_text_json_string(&b, date);
    nn_strbuf_puts(&b, ",\n  \"name\": ");
    nn_text_json_string(&b, p->name);
    nn_strbuf_printf(&b, ",\n  \"seed\": \"%llu\",\n  \"data_dir\": ", (unsigned long long)p->seed);
    nn_text_json_string(&b, data_dir);
    if (from_weights && *from_weights) {
        nn_strbuf_puts(&b, ",\n  \"start\": {\"weights\": ");
        nn_text_json_string(&b, from_weights);
        nn_strbuf_puts(&b, "}");
    }
    nn_strbuf_puts(&b, ",\n  \"preset\": ");
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
    nn_strbuf_puts(&b, ",\n  \"epochs\": [");
    bool ok = true;
    for (int i = 0; i < n && ok; i++) {
        nn_strbuf_puts(&b, i ? ",\n    " : "\n    ");
        ok = put_json_line(&b, epochs[i]);
    }
    nn_strbuf_puts(&b, n ? "\n  ],\n  \"live_changes\": " : "],\n  \"live_changes\": ");
    ok = ok && put_json_line(&b, live && *live ? live : "[]");
    nn_strbuf_puts(&b, ",\n  \"final\": ");
    ok = ok && put_json_line(&b, final);
    nn_strbuf_puts(&b, "\n}\n");
    if (!ok || b.oom) {
        free(b.s);
        return NULL;
    }
    cJSON *root = cJSON_Parse(b.s);
    if (!root) {
        free(b.s);
        return NULL;
    }
    char fp[40];
    fingerprint(root, fp, sizeof fp);
    cJSON_Delete(root);
    b.len -= 3;   /* "\n}\n" */
    b.s[b.len] = '\0';
    nn_strbuf_printf(&b, ",\n  \"fingerprint\": \"%s\"\n}\n", fp);
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

/* mkdir -p */
nn_status nn_record_make_dir(const char *dir, nn_error *err)
{
    char p[NN_PATH_MAX];
    if (snprintf(p, sizeof p, "%s", dir) >= (int)sizeof p)
        return nn_error_set(err, NN_EINVAL, "%s: path too long", dir);
    for (char *s = p + 1; ; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST)
                return nn_error_set(err, NN_EIO, "%s: cannot create the folder: %s", p, strerror(errno));
            *s = c;
            if (!c)
                break;
        }
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return nn_error_set(err, NN_EIO, "%s: not a folder", dir);
    return NN_OK;
}

nn_status nn_record_write(const char *dir, const char *text, const char *name, const char *date, char *path,
                          size_t cap, nn_error *err)
{
    nn_status st = nn_record_make_dir(dir, err);
    if (st != NN_OK)
        return st;
    char stamp[32] = "", slug[64];
    /* "2026-12-05T10:51:07Z" -> "20261205-105107" */
    size_t k = 0;
    for (const char *c = date; *c && k < 15; c++) {
        if (*c >= '0' && *c <= '9')
            stamp[k++] = *c;
        if (k == 8 && stamp[8] != '-')
            stamp[k++] = '-';
    }
    stamp[k] = '\0';
    size_t j = 0;
    for (const char *c = name; *c && j < sizeof slug - 1; c++) {
        bool keep = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '-' ||
                    *c == '_';
        if (keep || (j > 0 && slug[j - 1] != '-'))
            slug[j++] = keep ? *c : '-';
    }
    while (j > 0 && slug[j - 1] == '-')
        j--;
    slug[j] = '\0';
    if (!j)
        snprintf(slug, sizeof slug, "run");
    struct stat sb;
    for (int i = 1; i < 1000; i++) {
        char suffix[16] = "";
        if (i > 1)
            snprintf(suffix, sizeof suffix, "-%d", i);
        if (snprintf(path, cap, "%s/%s-%s%s.json", dir, stamp, slug, suffix) >= (int)cap)
            return nn_error_set(err, NN_EINVAL, "%s: path too long", dir);
        if (lstat(path, &sb) != 0)
            return nn_file_write_atomic(path, text, strlen(text), err);
    }
    return nn_error_set(err, NN_EIO, "%s: no free name for the record", dir);
}

bool nn_record_default_dir(char *out, size_t cap)
{
    const char *env = getenv("NNTERM_RUNS");
    if (env)
        return *env && strcmp(env, "off") != 0 && snprintf(out, cap, "%s", env) < (int)cap;
    const char *xdg = getenv("XDG_DATA_HOME");
    if (xdg && xdg[0] == '/')   /* the spec: a relative path is invalid and ignored */
        return snprintf(out, cap, "%s/nnterm/runs", xdg) < (int)cap;
    const char *home = getenv("HOME");
    if (!home || !*home)
        return false;
    return snprintf(out, cap, "%s/.local/share/nnterm/runs", home) < (int)cap;
}

// --- reading ----------------------------------------------------------------------------------------

static const cJSON *item(const nn_record *r, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive((const cJSON *)r->root, key);
}

static void short_config(nn_record *r)
{
    const nn_preset *p = &r->preset;
    size_t off = 0, cap = sizeof r->config;
    char *c = r->config;
    c[0] = '\0';
    if (p->n_layers <= 1) {
        off += (size_t)snprintf(c + off, cap - off, "no hidden layer");
    } else {
        off += (size_t)snprintf(c + off, cap - off, "hidden ");
        for (int i = 0; i < p->n_layers - 1 && off < cap; i++)
            off += (size_t)snprintf(c + off, cap - off, "%s%d", i ? "-" : "", p->layers[i].units);
        const nn_preset_layer *L = &p->layers[0];
        if (off < cap && L->act != NN_AUTO)
            off += (size_t)snprintf(c + off, cap - off, " %s", nn_act_name((nn_act)L->act));
    }
    if (off < cap)
        off += (size_t)snprintf(c + off, cap - off, ", %s lr %g, batch %d", nn_opt_name(p->training.optimizer.kind),
                                p->training.optimizer.lr, p->training.batch_size);
}

// --- live changes -----------------------------------------------------------------------------------

void nn_record_live_json(nn_strbuf *b, int epoch, int batch, const char *key, const char *value, const char *what)
{
    nn_strbuf_printf(b, "{\"epoch\":%d,\"batch\":%d,", epoch, batch);
    if (strcmp(key, "continue") == 0) {
        nn_strbuf_puts(b, "\"continue\":true");
    } else if (strcmp(key, "lr") == 0) {
        nn_strbuf_printf(b, "\"lr\":%s", value);
    } else if (strcmp(key, "weight") == 0) {
        int l = 0, i = 0, j = 0;
        double v = 0.0;
        if (sscanf(value, "%d %d %d %lg", &l, &i, &j, &v) != 4)
            l = -1;   /* not written by the trainer: a change nn_record_load refuses */
        nn_strbuf_printf(b, "\"weight\":[%d,%d,%d],\"value\":%.9g", l, i, j, v);
    } else {
        nn_strbuf_puts(b, "\"set\":");
        nn_text_json_string(b, key);
        nn_strbuf_puts(b, ",\"value\":");
        nn_text_json_string(b, value);
    }
    nn_strbuf_puts(b, ",\"what\":");
    nn_text_json_string(b, what ? what : "");
    nn_strbuf_puts(b, "}");
}

static bool whole(const cJSON *n, double lo, double hi)
{
    return cJSON_IsNumber(n) && n->valuedouble >= lo && n->valuedouble <= hi && n->valuedouble == floor(n->valuedouble);
}

static bool live_position(const cJSON *e, int *epoch, int *batch)
{
    const cJSON *ep = cJSON_GetObjectItemCaseSensitive(e, "epoch"), *b = cJSON_GetObjectItemCaseSensitive(e, "batch");
    if (!cJSON_IsObject(e) || !whole(ep, 0, 1e6) || !whole(b, 0, 1e9))
        return false;
    *epoch = (int)ep->valuedouble;
    *batch = (int)b->valuedouble;
    return true;
}

/* 's': set key value, 'l': lr, 'c': continue, 'w': a weight set by hand; 0: none of them */
static char live_action(const cJSON *e)
{
    const cJSON *set = cJSON_GetObjectItemCaseSensitive(e, "set"), *lr = cJSON_GetObjectItemCaseSensitive(e, "lr");
    const cJSON *wt = cJSON_GetObjectItemCaseSensitive(e, "weight"), *val = cJSON_GetObjectItemCaseSensitive(e, "value");
    if (cJSON_IsString(set) && cJSON_IsString(val))
        return 's';
    if (cJSON_IsArray(wt) && cJSON_GetArraySize(wt) == 3 && whole(cJSON_GetArrayItem(wt, 0), 0, 1e6) &&
        whole(cJSON_GetArrayItem(wt, 1), -1, 1e9) && whole(cJSON_GetArrayItem(wt, 2), 0, 1e9) && cJSON_IsNumber(val) &&
        isfinite(val->valuedouble))
        return 'w';
    if (cJSON_IsNumber(lr) && lr->valuedouble > 0 && isfinite(lr->valuedouble))
        return 'l';
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "continue")))
        return 'c';
    return 0;
}

nn_status nn_record_live_apply(const nn_record *r, int *next, nn_trainer *t, nn_error *err)
{
    const cJSON *live = item(r, "live_changes");
    for (const cJSON *e = cJSON_GetArrayItem(live, *next); e; e = e->next) {
        nn_trainer_progress pr;
        nn_trainer_progress_get(t, &pr);
        int ep = 0, b = 0;
        live_position(e, &ep, &b);   /* checked by nn_record_load */
        if (ep > pr.epoch || (ep == pr.epoch && b > pr.batch))
            return NN_OK;   /* later */
        const cJSON *what = cJSON_GetObjectItemCaseSensitive(e, "what");
        const char *w = cJSON_IsString(what) ? what->valuestring : "";
        if (ep != pr.epoch || b != pr.batch)
            return nn_error_set(err, NN_EINVAL, "live change %d (%s) at epoch %d, batch %d: the re-run passed it "
                                "(it is at epoch %d, batch %d)", *next + 1, w, ep, b, pr.epoch, pr.batch);
        nn_status st = NN_OK;
        switch (live_action(e)) {
        case 's':
            st = nn_trainer_set_param(t, cJSON_GetObjectItemCaseSensitive(e, "set")->valuestring,
                                      cJSON_GetObjectItemCaseSensitive(e, "value")->valuestring, err);
            break;
        case 'l':
            nn_trainer_set_lr(t, cJSON_GetObjectItemCaseSensitive(e, "lr")->valuedouble);
            break;
        case 'c':
            st = nn_trainer_continue(t, err);
            break;
        case 'w': {
            const cJSON *wt = cJSON_GetObjectItemCaseSensitive(e, "weight");
            double old = 0.0;
            st = nn_trainer_set_weight(t, (int)cJSON_GetArrayItem(wt, 0)->valuedouble,
                                       (int)cJSON_GetArrayItem(wt, 1)->valuedouble,
                                       (int)cJSON_GetArrayItem(wt, 2)->valuedouble,
                                       cJSON_GetObjectItemCaseSensitive(e, "value")->valuedouble, &old, err);
            break;
        }
        default:
            st = nn_error_set(err, NN_EINVAL, "live change %d: not a change", *next + 1);
            break;
        }
        if (st != NN_OK) {
            char why[NN_ERRMSG];
            snprintf(why, sizeof why, "%s", err->msg);
            return nn_error_set(err, st, "live change %d (%s) at epoch %d, batch %d: %s", *next + 1, w, ep, b, why);
        }
        (*next)++;
    }
    return NN_OK;
}

nn_status nn_record_load(nn_record *r, const char *path, nn_error *err)
{
    memset(r, 0, sizeof *r);
    r->metric = NAN;
    snprintf(r->path, sizeof r->path, "%s", path);
    char *buf = NULL;
    size_t len = 0;
    nn_status st = nn_file_read(path, &buf, &len, err);
    if (st != NN_OK)
        return st;
    size_t bad = nn_utf8_check(buf, len);
    if (bad < len) {
        free(buf);
        return nn_error_set(err, NN_EFORMAT, "%s: byte %zu is not UTF-8 (a record is UTF-8 JSON)", path, bad);
    }
    cJSON *root = cJSON_ParseWithLengthOpts(buf, len, NULL, 0);
    if (!root) {
        st = nn_json_explain(err, buf, len, path);
        free(buf);
        return st;
    }
    free(buf);
    r->root = root;
    const cJSON *fmt = item(r, "format");
    if (!cJSON_IsString(fmt) || strcmp(fmt->valuestring, NN_RECORD_FORMAT) != 0) {
        nn_record_free(r);
        return nn_error_set(err, NN_EFORMAT, "%s: format: not an nnterm run record (expected \"%s\")", path,
                            NN_RECORD_FORMAT);
    }
    const cJSON *ver = item(r, "version");
    if (!cJSON_IsNumber(ver) || ver->valuedouble != NN_RECORD_VERSION) {
        nn_record_free(r);
        return nn_error_set(err, NN_EFORMAT, "%s: version: missing or not %d", path, NN_RECORD_VERSION);
    }
    static const char *const strings[] = {"nnterm", "date", "name", "seed", "data_dir", "fingerprint"};
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        if (!cJSON_IsString(item(r, strings[i]))) {
            nn_record_free(r);
            return nn_error_set(err, NN_EFORMAT, "%s: %s: missing or not a string", path, strings[i]);
        }
    snprintf(r->nnterm, sizeof r->nnterm, "%s", item(r, "nnterm")->valuestring);
    snprintf(r->date, sizeof r->date, "%s", item(r, "date")->valuestring);
    snprintf(r->name, sizeof r->name, "%s", item(r, "name")->valuestring);
    snprintf(r->fingerprint, sizeof r->fingerprint, "%s", item(r, "fingerprint")->valuestring);
    char pfile[NN_PATH_MAX + 16];
    snprintf(pfile, sizeof pfile, "%s: preset", path);
    const cJSON *preset = item(r, "preset");
    if (!preset) {
        nn_record_free(r);
        return nn_error_set(err, NN_EFORMAT, "%s: preset: missing", path);
    }
    if ((st = nn_preset_from_cjson(&r->preset, preset, pfile, NULL, err)) != NN_OK) {
        nn_record_free(r);
        return st;
    }
    snprintf(r->preset.file, sizeof r->preset.file, "%s", path);
    snprintf(r->preset.base_dir, sizeof r->preset.base_dir, "%s", item(r, "data_dir")->valuestring);
    r->seed = r->preset.seed;
    const cJSON *epochs = item(r, "epochs");
    if (!cJSON_IsArray(epochs)) {
        nn_record_free(r);
        return nn_error_set(err, NN_EFORMAT, "%s: epochs: missing or not an array", path);
    }
    int i = 0;
    for (const cJSON *e = epochs->child; e; e = e->next, i++) {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(e, "epoch");
        if (!cJSON_IsObject(e) || !cJSON_IsNumber(n) || n->valuedouble < 1 || n->valuedouble != floor(n->valuedouble) ||
            n->valuedouble > 1e6 || (int)n->valuedouble <= r->last_epoch) {
            nn_record_free(r);
            return nn_error_set(err, NN_EFORMAT, "%s: epochs.%d: not an epoch object (increasing \"epoch\" >= 1)",
                                path, i);
        }
        r->last_epoch = (int)n->valuedouble;
        if (!r->regression && cJSON_GetObjectItemCaseSensitive(e, "train_r2"))
            r->regression = true;
    }
    r->n_epochs = i;
    const cJSON *live = item(r, "live_changes");
    if (!cJSON_IsArray(live)) {
        nn_record_free(r);
        return nn_error_set(err, NN_EFORMAT, "%s: live_changes: missing or not an array", path);
    }
    int le = 0, lb = 0;
    i = 0;
    for (const cJSON *e = live->child; e; e = e->next, i++) {
        int ep, b;
        if (!live_position(e, &ep, &b) || ep < le || (ep == le && b < lb) || !live_action(e)) {
            nn_record_free(r);
            return nn_error_set(err, NN_EFORMAT, "%s: live_changes.%d: not a live change in order (\"epoch\", "
                                "\"batch\", and \"set\" with \"value\", \"lr\", \"continue\" or \"weight\" with \"value\")", path, i);
        }
        le = ep;
        lb = b;
    }
    r->n_live = i;
    const cJSON *start = item(r, "start");
    if (start) {
        const cJSON *wt = cJSON_GetObjectItemCaseSensitive(start, "weights");
        if (!cJSON_IsString(wt) || !wt->valuestring[0]) {
            nn_record_free(r);
            return nn_error_set(err, NN_EFORMAT, "%s: start: not {\"weights\": \"MODEL.json\"}", path);
        }
        snprintf(r->from_weights, sizeof r->from_weights, "%s", wt->valuestring);
    }
    const cJSON *fin = item(r, "final");
    if (!cJSON_IsObject(fin)) {
        nn_record_free(r);
        return nn_error_set(err, NN_EFORMAT, "%s: final: missing or not an object", path);
    }
    if (cJSON_GetObjectItemCaseSensitive(fin, "r2"))
        r->regression = true;
    r->metric = nn_record_final(r, r->regression ? "r2" : "accuracy");
    short_config(r);
    fingerprint(root, r->computed, sizeof r->computed);
    r->fingerprint_ok = strcmp(r->computed, r->fingerprint) == 0;
    return NN_OK;
}

void nn_record_free(nn_record *r)
{
    if (r->root)
        cJSON_Delete((cJSON *)r->root);
    r->root = NULL;
}

int nn_record_epoch(const nn_record *r, int i)
{
    const cJSON *e = cJSON_GetArrayItem(item(r, "epochs"), i);
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(e, "epoch");
    return cJSON_IsNumber(n) ? (int)n->valuedouble : 0;
}

bool nn_record_live_at(const nn_record *r, int i, int *epoch, int *batch, const char **what)
{
    const cJSON *e = i >= 0 ? cJSON_GetArrayItem(item(r, "live_changes"), i) : NULL;
    if (!e || !live_position(e, epoch, batch))
        return false;
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(e, "what");
    *what = cJSON_IsString(w) ? w->valuestring : "";
    return true;
}

double nn_record_epoch_value(const nn_record *r, int i, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(item(r, "epochs"), i), key);
    return cJSON_IsNumber(v) ? v->valuedouble : (double)NAN;
}

double nn_record_final(const nn_record *r, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(item(r, "final"), key);
    return cJSON_IsNumber(v) ? v->valuedouble : (double)NAN;
}

static bool timing(const char *key) { return strcmp(key, "seconds") == 0 || strcmp(key, "eval_seconds") == 0; }

/* Compares b (now) with a (the record) under path: numbers within tol, everything else equal; keys
 * in both directions; timing keys skipped. */
static bool compare_json(const cJSON *a, const cJSON *b, const char *path, double tol, double *max_dev, char *what,
                         size_t cap)
{
    if (cJSON_IsNumber(a) && cJSON_IsNumber(b)) {
        double x = a->valuedouble, y = b->valuedouble;
        double dev = fabs(x - y) / (fabs(x) > 1 ? fabs(x) : 1);
        if (dev > *max_dev)
            *max_dev = dev;
        if (dev <= tol)
            return true;
        if (what)
            snprintf(what, cap, "%s: %.6g in the record, %.6g now", path, x, y);
        return false;
    }
    if ((cJSON_IsObject(a) && cJSON_IsObject(b)) || (cJSON_IsArray(a) && cJSON_IsArray(b))) {
        if (cJSON_IsArray(a) && cJSON_GetArraySize(a) != cJSON_GetArraySize(b)) {
            if (what)
                snprintf(what, cap, "%s: %d values in the record, %d now", path, cJSON_GetArraySize(a),
                         cJSON_GetArraySize(b));
            return false;
        }
        int i = 0;
        const cJSON *y = b->child;
        for (const cJSON *x = a->child; x; x = x->next, i++) {
            char sub[256];
            if (cJSON_IsObject(a)) {
                if (timing(x->string))
                    continue;
                snprintf(sub, sizeof sub, "%.120s%s%.100s", path, path[0] ? " " : "", x->string);
                y = cJSON_GetObjectItemCaseSensitive(b, x->string);
                if (!y) {
                    if (what)
                        snprintf(what, cap, "%s: in the record, not now", sub);
                    return false;
                }
            } else {
                snprintf(sub, sizeof sub, "%.120s.%d", path, i);
            }
            if (!compare_json(x, y, sub, tol, max_dev, what, cap))
                return false;
            if (cJSON_IsArray(a))
                y = y->next;
        }
        if (cJSON_IsObject(b))
            for (const cJSON *x = b->child; x; x = x->next)
                if (!timing(x->string) && !cJSON_GetObjectItemCaseSensitive(a, x->string)) {
                    if (what)
                        snprintf(what, cap, "%.120s%s%.100s: now, not in the record", path, path[0] ? " " : "",
                                 x->string);
                    return false;
                }
        return true;
    }
    char *sa = cJSON_PrintUnformatted(a), *sb = cJSON_PrintUnformatted(b);
    bool same = sa && sb && strcmp(sa, sb) == 0;
    if (!same && what)
        snprintf(what, cap, "%s: %.80s in the record, %.80s now", path, sa ? sa : "?", sb ? sb : "?");
    free(sa);
    free(sb);
    return same;
}

bool nn_record_compare_epoch(const nn_record *r, int i, const char *line, double tol, double *max_dev, char *what,
                             size_t cap)
{
    const cJSON *e = cJSON_GetArrayItem(item(r, "epochs"), i);
    cJSON *now = cJSON_Parse(line);
    char path[32];
    snprintf(path, sizeof path, "epoch %d", nn_record_epoch(r, i));
    bool ok = e && now && compare_json(e, now, path, tol, max_dev, what, cap);
    if (!(e && now) && what)
        snprintf(what, cap, "epoch object %d: missing", i);
    cJSON_Delete(now);
    return ok;
}

bool nn_record_compare_final(const nn_record *r, const char *line, double tol, double *max_dev, char *what,
                             size_t cap)
{
    cJSON *now = cJSON_Parse(line);
    bool ok = now && compare_json(item(r, "final"), now, "final", tol, max_dev, what, cap);
    if (!now && what)
        snprintf(what, cap, "final: not JSON");
    cJSON_Delete(now);
    return ok;
}

// --- the differences between presets (nnterm compare, the trainer's pinned runs) --------------------

/* A key's value in p as nn_preset_get writes it, without the quotes of a string; "-" when p does
 * not use the key (a parameter of another optimizer, a layer it does not have). */
static void key_value(const nn_preset *p, const nn_preset_key *row, const char *key, int layer, char *v, size_t cap)
{
    nn_error err;
    if ((layer >= 0 && layer >= p->n_layers) || !nn_preset_key_used(p, row) ||
        nn_preset_get(p, key, v, cap, &err) != NN_OK) {
        snprintf(v, cap, "-");
        return;
    }
    size_t n = strlen(v);
    if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
        memmove(v, v + 1, n - 2);
        v[n - 2] = '\0';
    }
}

/* The layer index of a dotted key "model.layers.N.KEY", or -1. */
static int key_layer(const char *key)
{
    int l;
    return sscanf(key, "model.layers.%d.", &l) == 1 ? l : -1;
}

void nn_preset_diff_value(const nn_preset *p, const char *key, char *v, size_t cap)
{
    const nn_preset_key *row = nn_preset_key_find(key);
    if (!row) {
        snprintf(v, cap, "-");
        return;
    }
    key_value(p, row, key, key_layer(key), v, cap);
}

int nn_preset_diff_keys(const nn_preset *const *ps, int n, char (*keys)[96], char (*heads)[48], int max)
{
    int found = 0;
    int layers = 0;
    for (int i = 0; i < n; i++)
        if (ps[i]->n_layers > layers)
            layers = ps[i]->n_layers;
    for (int k = 0; k < nn_preset_key_count && found < max; k++) {
        const nn_preset_key *row = &nn_preset_keys[k];
        if (row->type == NN_KEY_OBJECT || row->type == NN_KEY_LAYERS || (row->flags & NN_KEY_LINES) ||
            strcmp(row->path, "name") == 0)
            continue;
        const char *star = strstr(row->path, ".*.");
        int copies = star ? layers : 1;
        for (int l = 0; l < copies && found < max; l++) {
            char key[96];
            if (star)
                snprintf(key, sizeof key, "%.*s.%d.%s", (int)(star - row->path), row->path, l, star + 3);
            else
                snprintf(key, sizeof key, "%s", row->path);
            char first[256] = "", v[256];
            bool have_first = false, differs = false, some_missing = false, some_present = false;
            for (int i = 0; i < n && !differs; i++) {
                key_value(ps[i], row, key, star ? l : -1, v, sizeof v);
                if (strcmp(v, "-") == 0) {
                    some_missing = true;
                    continue;
                }
                some_present = true;
                if (!have_first) {
                    snprintf(first, sizeof first, "%s", v);
                    have_first = true;
                } else {
                    differs = strcmp(first, v) != 0;
                }
            }
            /* a layer some presets lack: its units column says it */
            if (star && some_missing && some_present && strcmp(star + 3, "units") == 0)
                differs = true;
            if (differs) {
                snprintf(keys[found], sizeof keys[0], "%s", key);
                if (star)
                    snprintf(heads[found], sizeof heads[0], "L%d %s", l + 1, nn_preset_key_abbrev(row));
                else if ((row->flags & NN_KEY_KIND) && nn_preset_key_parent(row))   /* "optimizer", not "name" */
                    snprintf(heads[found], sizeof heads[0], "%s", strrchr(nn_preset_key_parent(row)->path, '.')
                             ? strrchr(nn_preset_key_parent(row)->path, '.') + 1 : nn_preset_key_parent(row)->path);
                else
                    snprintf(heads[found], sizeof heads[0], "%s", nn_preset_key_abbrev(row));
                found++;
            }
        }
    }
    return found;
}

/* Appends ", " (after the first) and s to out at *len; false once out is full ("..." at its end). */
static bool label_add(char *out, size_t cap, size_t *len, const char *s)
{
    if (*len >= cap)
        return false;
    int k = snprintf(out + *len, cap - *len, "%s%s", *len ? ", " : "", s);
    if (k < 0 || (size_t)k >= cap - *len) {
        if (cap >= 4)
            memcpy(out + cap - 4, "...", 4);
        *len = cap;
        return false;
    }
    *len += (size_t)k;
    return true;
}

int nn_preset_diff_label(const nn_preset *p, const nn_preset *ref, char *out, size_t cap)
{
    char keys[NN_DIFF_MAX][96], heads[NN_DIFF_MAX][48];
    const nn_preset *ps[2] = {p, ref};
    int nk = nn_preset_diff_keys(ps, 2, keys, heads, NN_DIFF_MAX);
    size_t len = 0;
    if (cap)
        out[0] = '\0';
    int phrases = 0;
    /* a different number of layers: one phrase for it, and the keys of the layers both have */
    if (p->n_layers != ref->n_layers) {
        char s[48];
        int hidden = p->n_layers - 1;
        if (hidden <= 0)
            snprintf(s, sizeof s, "no hidden layer");
        else
            snprintf(s, sizeof s, "%d hidden layer%s", hidden, hidden == 1 ? "" : "s");
        label_add(out, cap, &len, s);
        phrases++;
    }
    int common = p->n_layers < ref->n_layers ? p->n_layers : ref->n_layers;
    for (int k = 0; k < nk; k++) {
        int layer = key_layer(keys[k]);
        /* the output layer is the last one: its keys (and the hidden layers past the shorter
           network) are said by the phrase above when the counts differ */
        if (layer >= 0 && p->n_layers != ref->n_layers && (layer >= common - 1))
            continue;
        char v[256], s[320];
        nn_preset_diff_value(p, keys[k], v, sizeof v);
        if (strcmp(v, "-") == 0)
            continue;
        const nn_preset_key *row = nn_preset_key_find(keys[k]);
        bool word = row && (row->type == NN_KEY_NAME || (row->flags & NN_KEY_KIND));
        if (word && strcmp(v, "none") == 0)
            snprintf(s, sizeof s, "no %.47s", heads[k]);         /* "no regularization", not "none" */
        else if (word && layer >= 0)
            snprintf(s, sizeof s, "L%d %s", layer + 1, v);   /* "L1 relu" */
        else if (word)
            snprintf(s, sizeof s, "%s", v);                   /* "adam" */
        else
            snprintf(s, sizeof s, "%.47s %s", heads[k], v);      /* "lr 0.1", "L1 units 4" */
        label_add(out, cap, &len, s);
        phrases++;
    }
    if (phrases == 0)
        label_add(out, cap, &len, "same");
    return phrases;
}
