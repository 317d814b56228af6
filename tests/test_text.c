/* test_text.c — UTF-8 checks, escaping for terminals, CSV cells and JSON, excerpts, positions
 * (past 2^31 characters: test_model_io), and the JSON syntax check that explains cJSON's failures. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "text.h"

#include <cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_utf8_check_finds_the_first_byte_that_is_not_utf8(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t bad;   /* offset of the first bad byte, or strlen(s) */
    } cases[] = {
        {"plain ascii", 11},
        {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14},   /* é € 😀 */
        {"caf\xe9", 3},                                        /* Windows-1252 é */
        {"a\xc0\x80", 1},                                      /* overlong NUL */
        {"ab\xe0\x80\xaf", 2},                                 /* overlong '/' */
        {"\xed\xa0\x80", 0},                                   /* a surrogate */
        {"\xf4\x90\x80\x80", 0},                               /* above U+10FFFF */
        {"x\xe2\x82", 1},                                      /* cut short */
        {"\x80", 0},                                           /* a lone continuation byte */
        {"\xff\xfe", 0},                                       /* a UTF-16 byte order mark */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t got = nn_utf8_check(cases[i].s, strlen(cases[i].s));
        if (got != cases[i].bad)
            fail_msg("case %zu: first bad byte at %zu, expected %zu", i, got, cases[i].bad);
    }
}

static char *escaped(const char *s)
{
    nn_strbuf b = {0};
    nn_text_escape(&b, s, strlen(s));
    assert_false(b.oom);
    return b.s ? b.s : calloc(1, 1);
}

static void test_escape_shows_control_characters_and_keeps_printable_utf8(void **state)
{
    (void)state;
    char *e = escaped("\x1b]0;pwned\x07 ok");
    assert_string_equal(e, "\\x1b]0;pwned\\x07 ok");
    free(e);
    e = escaped("tab\there\r\nDEL\x7f");
    assert_string_equal(e, "tab\\x09here\\x0d\\x0aDEL\\x7f");
    free(e);
    e = escaped("CSI \xc2\x9b" "31m, caf\xc3\xa9");     /* U+009B: an 8-bit CSI some terminals obey */
    assert_string_equal(e, "CSI \\u009b31m, caf\xc3\xa9");
    free(e);
    e = escaped("cp1252 caf\xe9!");
    assert_string_equal(e, "cp1252 caf\\xe9!");
    free(e);
    /* the result is always valid UTF-8 without control characters */
    char all[256];
    for (int i = 1; i < 256; i++)
        all[i - 1] = (char)i;
    all[255] = '\0';
    e = escaped(all);
    assert_int_equal(nn_utf8_check(e, strlen(e)), strlen(e));
    for (const char *p = e; *p; p++)
        assert_true((unsigned char)*p >= 0x20 && (unsigned char)*p != 0x7f);
    free(e);
}

static void test_excerpt_is_short_escaped_and_never_cuts_a_character(void **state)
{
    (void)state;
    char out[NN_EXCERPT * 4 + 8];
    assert_string_equal(nn_text_excerpt(out, sizeof out, "short", NN_EXCERPT), "short");
    /* a secret's first line: at most NN_EXCERPT bytes of it are quoted */
    const char *line = "root:$y$j9T$F5Jx5fExrKuPp53xLKQ..1$X3DX6M94c7o.9agCG9G317fhZg9SqC.tEKydPPNo4fD:19000:0:99999:7:::";
    nn_text_excerpt(out, sizeof out, line, NN_EXCERPT);
    assert_int_equal(strlen(out), NN_EXCERPT + 3);
    assert_int_equal(strncmp(out, line, NN_EXCERPT), 0);
    assert_string_equal(out + NN_EXCERPT, "...");
    /* é is two bytes: a cut between them backs off to the character before */
    nn_text_excerpt(out, sizeof out, "ab\xc3\xa9z", 3);
    assert_string_equal(out, "ab...");
    nn_text_excerpt(out, sizeof out, "\x1b[2J", 8);
    assert_string_equal(out, "\\x1b[2J");
    /* a small buffer: cut, still terminated and whole escapes only */
    char small[8];
    nn_text_excerpt(small, sizeof small, "\x1b\x1b\x1b", 8);
    assert_string_equal(small, "\\x1b...");
}

static void test_json_string_escapes_controls_and_replaces_bytes_that_are_not_utf8(void **state)
{
    (void)state;
    nn_strbuf b = {0};
    nn_text_json_string(&b, "a\"b\\c\x1b]0;x\x07\x7f\xc2\x9b\xc3\xa9\xff");
    assert_false(b.oom);
    assert_string_equal(b.s, "\"a\\\"b\\\\c\\u001b]0;x\\u0007\\u007f\\u009b\xc3\xa9\\ufffd\"");
    cJSON *j = cJSON_Parse(b.s);
    assert_non_null(j);
    assert_true(cJSON_IsString(j));
    assert_string_equal(j->valuestring, "a\"b\\c\x1b]0;x\x07\x7f\xc2\x9b\xc3\xa9\xef\xbf\xbd");
    cJSON_Delete(j);
    free(b.s);
}

static void test_position_counts_lines_and_characters(void **state)
{
    (void)state;
    const char *t = "ab\ncaf\xc3\xa9 x";
    size_t line, col;
    nn_text_position(t, 0, &line, &col);
    assert_true(line == 1 && col == 1);
    nn_text_position(t, 3, &line, &col);
    assert_true(line == 2 && col == 1);
    nn_text_position(t, strlen(t) - 1, &line, &col);   /* 'x': é counts once */
    assert_true(line == 2 && col == 6);
}

static void test_json_check_agrees_with_cjson_and_says_why(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        nn_json_verdict v;
        size_t at;   /* where the check stops (for errors) */
    } cases[] = {
        {"{\"a\": [1, 2.5e3, -0.5, true, false, null, \"s\\u00e9\\ud83d\\ude00\"]}", NN_JSON_OK, 0},
        {"  [1]  ", NN_JSON_OK, 0},
        {"\xEF\xBB\xBF{}", NN_JSON_OK, 0},
        {"{\"a\": 1,}", NN_JSON_SYNTAX, 8},
        {"{\"a\" 1}", NN_JSON_SYNTAX, 5},
        {"[1 2]", NN_JSON_SYNTAX, 3},
        {"[01x]", NN_JSON_SYNTAX, 3},
        {"[\"\\ud800\"]", NN_JSON_SYNTAX, 2},      /* a lone high surrogate */
        {"[\"\\udc00\"]", NN_JSON_SYNTAX, 2},      /* a lone low surrogate */
        {"[\"\\q\"]", NN_JSON_SYNTAX, 2},
        {"[nul]", NN_JSON_SYNTAX, 1},
        {"// c\n{}", NN_JSON_SYNTAX, 0},
        {"{\"a\": [1, 2", NN_JSON_EARLY_END, 11},
        {"{\"a\": \"open", NN_JSON_EARLY_END, 11},
        {"[tru", NN_JSON_EARLY_END, 1},
        {"", NN_JSON_EARLY_END, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *t = cases[i].text;
        size_t at = 0;
        nn_json_verdict v = nn_json_check(t, strlen(t), &at);
        if (v != cases[i].v)
            fail_msg("case %zu (%s): verdict %d, expected %d", i, t, (int)v, (int)cases[i].v);
        if (v != NN_JSON_OK && at != cases[i].at)
            fail_msg("case %zu (%s): stops at %zu, expected %zu", i, t, at, cases[i].at);
        cJSON *j = cJSON_ParseWithLength(t, strlen(t));
        if ((j != NULL) != (v == NN_JSON_OK))
            fail_msg("case %zu (%s): cJSON %s, the check %s", i, t, j ? "parses" : "fails",
                     v == NN_JSON_OK ? "accepts" : "refuses");
        cJSON_Delete(j);
    }
    /* cJSON's own number rules: strtod's prefix of the [0-9+-eE.] run, and no length limit */
    static const char *const more[] = {"[1.]", "[-.5]", "[01]", "[1E5]", "[-0]", "[-]", "[1e]", "[1e+]", "[.5]",
                                       "[1.2.3]", "[1+2]", "[0x10]", "[1e5.5]", "[--1]", "[1-]", "[\"\\ud800\\u0041\"]",
                                       "[1111111111111111111111111111111111111111111111111111111111111111111111]",
                                       "[\"tab\tand \x01 inside\"]", "\x01[1]\x1f"};
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) {
        cJSON *j = cJSON_Parse(more[i]);
        nn_json_verdict v = nn_json_check(more[i], strlen(more[i]), NULL);
        if ((j != NULL) != (v == NN_JSON_OK))
            fail_msg("%s: cJSON %s, the check %s", more[i], j ? "parses" : "fails", v == NN_JSON_OK ? "accepts" : "refuses");
        cJSON_Delete(j);
    }
}

static void test_json_nesting_beyond_the_limit_is_named_as_such(void **state)
{
    (void)state;
    for (int depth = NN_JSON_MAX_DEPTH; depth <= NN_JSON_MAX_DEPTH + 1; depth++) {
        char *t = malloc((size_t)depth * 2 + 1);
        memset(t, '[', (size_t)depth);
        memset(t + depth, ']', (size_t)depth);
        t[depth * 2] = '\0';
        size_t at = 0;
        nn_json_verdict v = nn_json_check(t, strlen(t), &at);
        cJSON *j = cJSON_Parse(t);
        if (depth == NN_JSON_MAX_DEPTH) {
            assert_int_equal(v, NN_JSON_OK);
            assert_non_null(j);
        } else {
            assert_int_equal(v, NN_JSON_TOO_DEEP);
            assert_int_equal(at, NN_JSON_MAX_DEPTH);
            assert_null(j);
            nn_error e;
            assert_int_equal(nn_json_explain(&e, t, strlen(t), "deep.json"), NN_EFORMAT);
            assert_non_null(strstr(e.msg, "deep.json:1:1001: arrays and objects nested more than 1000 levels deep"));
        }
        cJSON_Delete(j);
        free(t);
    }
}

static void test_json_explain_says_out_of_memory_for_text_that_is_json(void **state)
{
    (void)state;
    nn_error e;
    const char *t = "[0, 0, 0]";
    assert_int_equal(nn_json_explain(&e, t, strlen(t), "p.json"), NN_ENOMEM);
    assert_non_null(strstr(e.msg, "p.json: out of memory reading"));
    t = "{\"a\": 1,\n \"b\": @\x7f}";
    assert_int_equal(nn_json_explain(&e, t, strlen(t), "p.json"), NN_EFORMAT);
    assert_non_null(strstr(e.msg, "p.json:2:7: JSON syntax error near \"@\\x7f}\""));
}

/* Messages quote cells, names and paths from files: printing one must not drive the terminal. */
static void test_error_messages_escape_control_characters_and_stay_utf8(void **state)
{
    (void)state;
    nn_error e;
    nn_error_set(&e, NN_EINVAL, "%s: line 2: '%s' is bad", "d\x1b[2J.csv", "\x1b]0;pwned\x07");
    assert_string_equal(e.msg, "d\\x1b[2J.csv: line 2: '\\x1b]0;pwned\\x07' is bad");
    /* too long for the message: cut at a character, never inside \xHH or a UTF-8 sequence */
    char big[3 * NN_ERRMSG];
    size_t n = 0;
    while (n + 2 < sizeof big - 1) {
        memcpy(big + n, "\xc3\xa9", 2);
        n += 2;
    }
    big[n] = '\0';
    nn_error_set(&e, NN_EINVAL, "x%s", big);
    assert_int_equal(nn_utf8_check(e.msg, strlen(e.msg)), strlen(e.msg));
    assert_true(strlen(e.msg) < NN_ERRMSG);
    nn_diags d;
    nn_diags_clear(&d);
    nn_diags_add(&d, "name: \x07%s", "\xff");
    assert_string_equal(d.msg[0], "name: \\x07\\xff");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_check_finds_the_first_byte_that_is_not_utf8),
        cmocka_unit_test(test_escape_shows_control_characters_and_keeps_printable_utf8),
        cmocka_unit_test(test_excerpt_is_short_escaped_and_never_cuts_a_character),
        cmocka_unit_test(test_json_string_escapes_controls_and_replaces_bytes_that_are_not_utf8),
        cmocka_unit_test(test_position_counts_lines_and_characters),
        cmocka_unit_test(test_json_check_agrees_with_cjson_and_says_why),
        cmocka_unit_test(test_json_nesting_beyond_the_limit_is_named_as_such),
        cmocka_unit_test(test_json_explain_says_out_of_memory_for_text_that_is_json),
        cmocka_unit_test(test_error_messages_escape_control_characters_and_stay_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
