/* preset_json.c — the JSON side of presets: problem lines, value descriptions for messages, "did you
 * mean" suggestions, and a printer of our own (2-space indentation, short flat objects on one line;
 * cJSON prints with tabs). */
#include "preset_impl.h"

#include "strbuf.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

const char *preset_suggest(const char *const *keys, int n, const char *s)
{
    const char *best = NULL;
    int best_d = 3;
    for (int i = 0; i < n; i++) {
        int d = edit_distance(keys[i], s);
        if (d < best_d) {
            best_d = d;
            best = keys[i];
        }
    }
    return best;
}

void preset_report(preset_ctx *c, nn_status code, const char *path, const char *fmt, ...)
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

void preset_join(char *out, const char *path, const char *key)
{
    if (path[0])
        snprintf(out, PATH_LEN, "%s.%s", path, key);
    else
        snprintf(out, PATH_LEN, "%s", key);
}

const char *preset_type_name(const cJSON *it)
{
    if (cJSON_IsString(it)) return "a string";
    if (cJSON_IsNumber(it)) return "a number";
    if (cJSON_IsBool(it)) return "a boolean";
    if (cJSON_IsNull(it)) return "null";
    if (cJSON_IsObject(it)) return "an object";
    if (cJSON_IsArray(it)) return "an array";
    return "an unknown value";
}

void preset_describe(char *buf, size_t n, const cJSON *it)
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
        snprintf(buf, n, "%s", preset_type_name(it));
    if (cJSON_IsNumber(it)) {   /* shortest form that reads back the same */
        for (int prec = 6; prec <= 17; prec++) {
            snprintf(buf, n, "%.*g", prec, it->valuedouble);
            if (strtod(buf, NULL) == it->valuedouble)
                break;
        }
    }
}

void preset_type_error(preset_ctx *c, const char *path, const cJSON *it, const char *expected)
{
    char v[96];
    preset_describe(v, sizeof v, it);
    if (cJSON_IsObject(it) || cJSON_IsArray(it))
        preset_report(c, NN_EINVAL, path, "%s, expected %s", preset_type_name(it), expected);
    else
        preset_report(c, NN_EINVAL, path, "%s is %s, expected %s", v, preset_type_name(it), expected);
}

void preset_range_error(preset_ctx *c, const char *path, double v, const nn_range *r)
{
    char rt[64], vt[40];
    nn_range_text(rt, sizeof rt, r);
    snprintf(vt, sizeof vt, "%.17g", v);
    for (int prec = 6; prec <= 17; prec++) {
        snprintf(vt, sizeof vt, "%.*g", prec, v);
        if (strtod(vt, NULL) == v)
            break;
    }
    preset_report(c, NN_EINVAL, path, "%s is out of range %s", vt, rt);
}

// --- printing --------------------------------------------------------------------------------------

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

char *preset_tree_text(const cJSON *root, bool pretty)
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

// --- names -----------------------------------------------------------------------------------------

void preset_name_list(char *buf, size_t n, const nn_preset_key *k, bool with_auto)
{
    size_t len = 0;
    buf[0] = '\0';
    int i = 0;
    for (const char *s; (s = k->names(i)) != NULL && len < n; i++) {
        int w = snprintf(buf + len, n - len, "%s%s", i ? ", " : "", s);
        if (w < 0)
            return;
        len += (size_t)w;
    }
    if (with_auto && len < n)
        snprintf(buf + len, n - len, "%sauto", i ? ", " : "");
}

int preset_find_name(const nn_preset_key *k, const char *s)
{
    const char *name;
    for (int i = 0; (name = k->names(i)) != NULL; i++)
        if (strcmp(name, s) == 0)
            return i;
    return -1;
}
