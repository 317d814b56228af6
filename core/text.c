/* text.c — UTF-8 checks, escaping for terminals, CSV and JSON, positions, and a JSON syntax check
 * that follows cJSON 1.7's parser (parse_value, parse_string, parse_number, its whitespace and
 * nesting limit) closely enough that text cJSON refuses is refused here too: when cJSON fails on
 * text this check accepts, cJSON ran out of memory. */
#include "text.h"

#include <cJSON.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

_Static_assert(NN_JSON_MAX_DEPTH == CJSON_NESTING_LIMIT, "nn_json_check must nest as deep as cJSON");

// --- UTF-8

size_t nn_utf8_len(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0)
        return 0;
    unsigned char c = u[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;    /* allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;     /* no overlong forms */
        else if (c == 0xED)
            hi = 0x9F;     /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;     /* nothing above U+10FFFF */
    } else {
        return 0;
    }
    if (n < len || u[1] < lo || u[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (u[i] < 0x80 || u[i] > 0xBF)
            return 0;
    return len;
}

size_t nn_utf8_check(const char *buf, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if ((unsigned char)buf[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = nn_utf8_len(buf + i, len - i);
        if (k == 0)
            return i;
        i += k;
    }
    return len;
}

void nn_text_position(const char *buf, size_t off, size_t *line, size_t *col)
{
    size_t l = 1, c = 1;
    for (size_t i = 0; i < off; i++) {
        unsigned char ch = (unsigned char)buf[i];
        if (ch == '\n') {
            l++;
            c = 1;
        } else if ((ch & 0xC0) != 0x80) {   /* a continuation byte is not a new character */
            c++;
        }
    }
    *line = l;
    *col = c;
}

// --- escaping

/* The display form of the character at s[0..n) into e (at most 7 bytes and a NUL): *elen bytes.
 * Returns the bytes of s it took (>= 1). */
static size_t escape_one(char e[8], size_t *elen, const char *s, size_t n)
{
    unsigned char c = (unsigned char)s[0];
    size_t k = 1;
    if (c >= 0x20 && c < 0x7F) {
        e[0] = (char)c;
        e[1] = '\0';
    } else if (c < 0x80) {       /* C0 and DEL */
        snprintf(e, 8, "\\x%02x", c);
    } else if ((k = nn_utf8_len(s, n)) == 0) {
        k = 1;
        snprintf(e, 8, "\\x%02x", c);
    } else if (k == 2 && c == 0xC2 && (unsigned char)s[1] < 0xA0) {   /* C1: U+0080..U+009F */
        snprintf(e, 8, "\\u%04x", (unsigned char)s[1]);
    } else {
        memcpy(e, s, k);
        e[k] = '\0';
    }
    *elen = strlen(e);
    return k;
}

void nn_text_escape(nn_strbuf *b, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        char e[8];
        size_t el;
        i += escape_one(e, &el, s + i, n - i);
        nn_strbuf_put(b, e, el);
    }
}

char *nn_text_excerpt(char *out, size_t cap, const char *s, size_t max_in)
{
    if (cap == 0)
        return out;
    out[0] = '\0';
    if (!s)
        return out;
    size_t total = strlen(s), n = total;
    bool cut = n > max_in;
    if (cut)
        n = max_in;
    /* character by character, so that the result is never cut inside a character or an escape */
    size_t used = 0, i = 0;
    while (i < n) {
        char e[8];
        size_t el;
        size_t k = escape_one(e, &el, s + i, total - i);
        if (i + k > n || used + el + (cut ? 3 : 0) + 1 > cap) {
            cut = true;
            break;
        }
        memcpy(out + used, e, el);
        used += el;
        i += k;
    }
    if (cut && used + 4 <= cap) {
        memcpy(out + used, "...", 3);
        used += 3;
    }
    out[used] = '\0';
    return out;
}

void nn_text_json_string(nn_strbuf *b, const char *s)
{
    nn_strbuf_put(b, "\"", 1);
    size_t n = strlen(s);
    size_t i = 0;
    char e[8];
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            nn_strbuf_put(b, "\\", 1);
            nn_strbuf_put(b, s + i, 1);
            i++;
        } else if (c < 0x20 || c == 0x7F) {
            snprintf(e, sizeof e, "\\u%04x", c);
            nn_strbuf_puts(b, e);
            i++;
        } else if (c < 0x80) {
            nn_strbuf_put(b, s + i, 1);
            i++;
        } else {
            size_t k = nn_utf8_len(s + i, n - i);
            if (k == 0) {
                nn_strbuf_puts(b, "\\ufffd");
                i++;
            } else if (k == 2 && c == 0xC2 && (unsigned char)s[i + 1] < 0xA0) {
                snprintf(e, sizeof e, "\\u%04x", (unsigned char)s[i + 1]);
                nn_strbuf_puts(b, e);
                i += 2;
            } else {
                nn_strbuf_put(b, s + i, k);
                i += k;
            }
        }
    }
    nn_strbuf_put(b, "\"", 1);
}

// --- JSON syntax check (cJSON's rules)

typedef struct {
    const unsigned char *s;
    size_t len, pos;
    nn_json_verdict v;
} jscan;

static bool jfail(jscan *j, nn_json_verdict v)
{
    if (j->v == NN_JSON_OK)
        j->v = v;
    return false;
}

/* cJSON's buffer_skip_whitespace: every byte <= 32 is whitespace. */
static void jws(jscan *j)
{
    while (j->pos < j->len && j->s[j->pos] <= 32)
        j->pos++;
}

static bool jend(jscan *j) { return j->pos >= j->len; }

static int hex4(const unsigned char *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned char c = p[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* cJSON's parse_string: find the closing quote (a backslash skips the next byte), then decode
 * the escapes: \b \f \n \r \t \" \\ \/ and \uXXXX with surrogate pairs checked. Raw bytes, control
 * characters included, are taken as they are. */
static bool jstring(jscan *j)
{
    size_t start = j->pos;   /* at the opening quote */
    size_t i = start + 1;
    while (i < j->len && j->s[i] != '"') {
        if (j->s[i] == '\\') {
            if (i + 1 >= j->len) {
                j->pos = j->len;
                return jfail(j, NN_JSON_EARLY_END);
            }
            i++;
        }
        i++;
    }
    if (i >= j->len) {
        j->pos = j->len;
        return jfail(j, NN_JSON_EARLY_END);
    }
    size_t close = i;
    for (size_t k = start + 1; k < close; k++) {
        if (j->s[k] != '\\')
            continue;
        unsigned char e = j->s[k + 1];
        if (strchr("bfnrt\"\\/", e) && e) {
            k++;
            continue;
        }
        if (e != 'u') {
            j->pos = k;
            return jfail(j, NN_JSON_SYNTAX);
        }
        if (close - k < 6) {
            j->pos = k;
            return jfail(j, NN_JSON_SYNTAX);
        }
        int first = hex4(j->s + k + 2);
        if (first < 0 || (first >= 0xDC00 && first <= 0xDFFF)) {
            j->pos = k;
            return jfail(j, NN_JSON_SYNTAX);
        }
        if (first >= 0xD800 && first <= 0xDBFF) {
            if (close - k < 12 || j->s[k + 6] != '\\' || j->s[k + 7] != 'u') {
                j->pos = k;
                return jfail(j, NN_JSON_SYNTAX);
            }
            int second = hex4(j->s + k + 8);
            if (second < 0xDC00 || second > 0xDFFF) {
                j->pos = k;
                return jfail(j, NN_JSON_SYNTAX);
            }
            k += 11;
        } else {
            k += 5;
        }
    }
    j->pos = close + 1;
    return true;
}

/* cJSON's parse_number: the run of [0-9+-eE.] goes to strtod, which takes the longest prefix of
 * the form [+-]? digits [. digits] [e [+-]? digits] (at least one mantissa digit). */
static bool jnumber(jscan *j)
{
    size_t n = 0;
    while (j->pos + n < j->len && j->s[j->pos + n] && strchr("0123456789+-eE.", j->s[j->pos + n]))
        n++;
    const unsigned char *p = j->s + j->pos;
    size_t i = 0, digits = 0;
    if (i < n && (p[i] == '+' || p[i] == '-'))
        i++;
    while (i < n && p[i] >= '0' && p[i] <= '9') {
        i++;
        digits++;
    }
    if (i < n && p[i] == '.') {
        i++;
        while (i < n && p[i] >= '0' && p[i] <= '9') {
            i++;
            digits++;
        }
    }
    if (digits == 0) {
        if (j->pos + n >= j->len)
            return jfail(j, NN_JSON_EARLY_END);
        return jfail(j, NN_JSON_SYNTAX);
    }
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        size_t k = i + 1;
        if (k < n && (p[k] == '+' || p[k] == '-'))
            k++;
        size_t ed = 0;
        while (k < n && p[k] >= '0' && p[k] <= '9') {
            k++;
            ed++;
        }
        if (ed > 0)
            i = k;
    }
    j->pos += i;
    return true;
}

static bool jvalue(jscan *j, int depth);

static bool jlist(jscan *j, int depth, bool object)
{
    if (depth >= NN_JSON_MAX_DEPTH)
        return jfail(j, NN_JSON_TOO_DEEP);
    unsigned char close = object ? '}' : ']';
    j->pos++;
    jws(j);
    if (jend(j))
        return jfail(j, NN_JSON_EARLY_END);
    if (j->s[j->pos] == close) {
        j->pos++;
        return true;
    }
    for (;;) {
        jws(j);
        if (object) {
            if (jend(j))
                return jfail(j, NN_JSON_EARLY_END);
            if (j->s[j->pos] != '"')
                return jfail(j, NN_JSON_SYNTAX);
            if (!jstring(j))
                return false;
            jws(j);
            if (jend(j))
                return jfail(j, NN_JSON_EARLY_END);
            if (j->s[j->pos] != ':')
                return jfail(j, NN_JSON_SYNTAX);
            j->pos++;
            jws(j);
        }
        if (!jvalue(j, depth + 1))
            return false;
        jws(j);
        if (jend(j))
            return jfail(j, NN_JSON_EARLY_END);
        if (j->s[j->pos] == ',') {
            j->pos++;
            continue;
        }
        if (j->s[j->pos] == close) {
            j->pos++;
            return true;
        }
        return jfail(j, NN_JSON_SYNTAX);
    }
}

static bool jliteral(jscan *j, const char *word)
{
    size_t n = strlen(word);
    size_t have = j->len - j->pos;
    if (have >= n && memcmp(j->s + j->pos, word, n) == 0) {
        j->pos += n;
        return true;
    }
    if (have < n && memcmp(j->s + j->pos, word, have) == 0)
        return jfail(j, NN_JSON_EARLY_END);
    return jfail(j, NN_JSON_SYNTAX);
}

static bool jvalue(jscan *j, int depth)
{
    if (jend(j))
        return jfail(j, NN_JSON_EARLY_END);
    unsigned char c = j->s[j->pos];
    switch (c) {
    case 'n': return jliteral(j, "null");
    case 'f': return jliteral(j, "false");
    case 't': return jliteral(j, "true");
    case '"': return jstring(j);
    case '[': return jlist(j, depth, false);
    case '{': return jlist(j, depth, true);
    default:
        if (c == '-' || (c >= '0' && c <= '9'))
            return jnumber(j);
        return jfail(j, NN_JSON_SYNTAX);
    }
}

nn_json_verdict nn_json_check(const char *buf, size_t len, size_t *end)
{
    jscan j = {(const unsigned char *)buf, len, 0, NN_JSON_OK};
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)   /* cJSON skips a UTF-8 byte order mark */
        j.pos = 3;
    jws(&j);
    jvalue(&j, 0);
    if (end)
        *end = j.pos < len ? j.pos : len;
    return j.v;
}

nn_status nn_json_explain(nn_error *err, const char *buf, size_t len, const char *file)
{
    size_t at = 0;
    nn_json_verdict v = nn_json_check(buf, len, &at);
    if (v == NN_JSON_OK)
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory reading %zu KB of JSON", file, (len + 1023) / 1024);
    size_t line, col;
    nn_text_position(buf, at, &line, &col);
    if (v == NN_JSON_TOO_DEEP)
        return nn_error_set(err, NN_EFORMAT, "%s:%zu:%zu: arrays and objects nested more than %d levels deep (nnterm "
                            "reads JSON nested at most %d levels)", file, line, col, NN_JSON_MAX_DEPTH,
                            NN_JSON_MAX_DEPTH);
    if (v == NN_JSON_EARLY_END)
        return nn_error_set(err, NN_EFORMAT, "%s:%zu:%zu: JSON syntax error: the file ends early (an unclosed { [ or "
                            "\"? truncated?)", file, line, col);
    char near[24], out[NN_EXCERPT * 4 + 8];
    size_t k = 0;
    while (at + k < len && k + 1 < sizeof near && buf[at + k] != '\n' && buf[at + k] != '\0') {
        near[k] = buf[at + k];
        k++;
    }
    near[k] = '\0';
    return nn_error_set(err, NN_EFORMAT, "%s:%zu:%zu: JSON syntax error near \"%s\" (a missing comma or quote? JSON "
                        "has no comments and no trailing commas)", file, line, col,
                        nn_text_excerpt(out, sizeof out, near, sizeof near));
}
