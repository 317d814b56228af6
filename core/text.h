/* text.h — text that comes from files and goes to a terminal, a CSV or a JSON file: UTF-8 checks,
 * escaping of control characters, short excerpts for messages, line:column positions, and a JSON
 * syntax check that says where and why text is not JSON (cJSON only says where it stopped).
 * No allocation, no state; any thread. */
#ifndef NN_TEXT_H
#define NN_TEXT_H

#include "error.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

/* Length (1..4) of the UTF-8 sequence at s[0..n), or 0 when it is not valid UTF-8 there
 * (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF). */
size_t nn_utf8_len(const char *s, size_t n);
/* Offset of the first byte of buf[0..len) that is not valid UTF-8, or len when all of it is. */
size_t nn_utf8_check(const char *buf, size_t len);

/* 1-based line and column (in characters) of offset off in buf. size_t: a line of more than 2^31
 * characters still counts right. */
void nn_text_position(const char *buf, size_t off, size_t *line, size_t *col);

/* Appends s[0..n) for display on a terminal or in a CSV cell: printable text as is, control
 * characters escaped (C0 and DEL as \xHH, C1 as \u00HH), bytes that are not UTF-8 as \xHH.
 * The result is valid UTF-8 without control characters. */
void nn_text_escape(nn_strbuf *b, const char *s, size_t n);
/* The same into out[0..cap) (always NUL-terminated, cut at a character boundary); at most
 * max_in bytes of s are shown, followed by "..." when s is longer. Returns out. For quoting a
 * cell or a name in a message. */
char *nn_text_excerpt(char *out, size_t cap, const char *s, size_t max_in);
#define NN_EXCERPT 32   /* bytes of a cell or name quoted in a message */

/* Appends s as a JSON string with its quotes: ", \ and control characters (C0, DEL, C1) escaped
 * as \uXXXX, bytes that are not UTF-8 as \ufffd. Always valid JSON and valid UTF-8. */
void nn_text_json_string(nn_strbuf *b, const char *s);

/* JSON syntax check with cJSON's rules (its whitespace, number and \u escape handling, and its
 * nesting limit), for explaining a parse failure: cJSON fails on syntax and on running out of
 * memory alike, and on too deep a nesting with no word of it. */
typedef enum {
    NN_JSON_OK,        /* one JSON value; *end is just after it */
    NN_JSON_SYNTAX,    /* *end is where the text stops being JSON */
    NN_JSON_EARLY_END, /* the text ends inside a value (truncated?) */
    NN_JSON_TOO_DEEP   /* arrays and objects nested more than NN_JSON_MAX_DEPTH deep; *end is there */
} nn_json_verdict;
#define NN_JSON_MAX_DEPTH 1000   /* cJSON's CJSON_NESTING_LIMIT */
nn_json_verdict nn_json_check(const char *buf, size_t len, size_t *end);
/* Why cJSON could not parse buf[0..len) (read from file): "FILE:LINE:COL: JSON syntax error near
 * ...", "... nested more than 1000 levels deep", "... the file ends early", or, when the text is
 * JSON, "FILE: out of memory reading N KB of JSON" (NN_ENOMEM; else NN_EFORMAT). Returns the code. */
nn_status nn_json_explain(nn_error *err, const char *buf, size_t len, const char *file);

#endif
