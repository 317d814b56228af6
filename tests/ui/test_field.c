/* The line editor and the grid it draws into. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "field.h"

#include <string.h>

static void test_typing_inserts_at_the_cursor(void **state)
{
    (void)state;
    ui_field f;
    ui_field_set(&f, "0.3");
    ui_field_left(&f);
    ui_field_insert(&f, '0');
    assert_string_equal(f.buf, "0.03");
    assert_int_equal(f.cur, 3);
    ui_field_home(&f);
    ui_field_insert(&f, '-');
    assert_string_equal(f.buf, "-0.03");
}

/* A value offered selected: the first byte typed replaces it; a move keeps it. */
static void test_a_selected_value_is_replaced_by_typing(void **state)
{
    (void)state;
    ui_field f;
    ui_field_set(&f, "1.278476");
    ui_field_select(&f);
    ui_field_insert(&f, '5');
    assert_string_equal(f.buf, "5");
    ui_field_insert(&f, '0');
    assert_string_equal(f.buf, "50");   /* only the first byte replaces */
    ui_field_set(&f, "0.01");
    ui_field_select(&f);
    ui_field_left(&f);
    ui_field_insert(&f, '0');
    assert_string_equal(f.buf, "0.001");
    ui_field_set(&f, "0.01");
    ui_field_select(&f);
    ui_field_backspace(&f);
    ui_field_insert(&f, '2');
    assert_string_equal(f.buf, "0.02");
    ui_field_set(&f, "iris");   /* set alone does not select */
    ui_field_insert(&f, '2');
    assert_string_equal(f.buf, "iris2");
}

static void test_backspace_and_delete_remove_whole_code_points(void **state)
{
    (void)state;
    ui_field f;
    ui_field_set(&f, "a\xc3\xa9z");   /* aéz */
    ui_field_left(&f);
    ui_field_backspace(&f);
    assert_string_equal(f.buf, "az");
    assert_int_equal(f.cur, 1);
    ui_field_delete(&f);
    assert_string_equal(f.buf, "a");
    ui_field_backspace(&f);
    ui_field_backspace(&f);
    assert_string_equal(f.buf, "");
    assert_int_equal(f.len, 0);
}

static void test_kill_keys_cut_like_a_shell(void **state)
{
    (void)state;
    ui_field f;
    ui_field_set(&f, "csv my data.csv");
    ui_field_kill_word(&f);                      /* Ctrl-W: the last word */
    assert_string_equal(f.buf, "csv my ");
    assert_int_equal(f.cur, 7);
    ui_field_kill_word(&f);                      /* the spaces before the cursor go with the word */
    assert_string_equal(f.buf, "csv ");
    ui_field_set(&f, "iris");
    ui_field_kill_start(&f);                     /* Ctrl-U: all before the cursor */
    assert_string_equal(f.buf, "");
    assert_int_equal(f.len, 0);
    assert_int_equal(f.cur, 0);
    ui_field_set(&f, "0.03 \xc3\xa9t\xc3\xa9");    /* "0.03 été" */
    ui_field_home(&f);
    ui_field_right(&f);
    ui_field_right(&f);
    ui_field_kill_start(&f);
    assert_string_equal(f.buf, "03 \xc3\xa9t\xc3\xa9");
    assert_int_equal(f.cur, 0);
    ui_field_right(&f);
    ui_field_kill_end(&f);                       /* Ctrl-K: all after the cursor */
    assert_string_equal(f.buf, "0");
    assert_int_equal(f.len, 1);
    ui_field_set(&f, "a \xc3\xa9t\xc3\xa9");
    ui_field_kill_word(&f);                      /* a multi-byte word goes whole */
    assert_string_equal(f.buf, "a ");
    ui_field_kill_word(&f);
    ui_field_kill_word(&f);                      /* nothing left: nothing happens */
    assert_string_equal(f.buf, "");
    assert_int_equal(f.cur, 0);
}

static void test_draw_scrolls_so_the_cursor_stays_visible(void **state)
{
    (void)state;
    ui_field f;
    ui_field_set(&f, "abcdefghij");
    ui_grid g;
    assert_true(ui_grid_init(&g, 6, 1));
    ui_style s = {-1, -1, 0}, cs = {-1, -1, UI_A_REVERSE};
    ui_field_draw(&f, &g, 0, 0, 6, s, cs);
    char row[64];
    ui_grid_row_text(&g, 0, 0, 6, row, sizeof row);
    assert_string_equal(row, "\xe2\x80\xa6ghij ");   /* text hidden on the left is marked there */
    assert_int_equal(ui_grid_at(&g, 5, 0)->attr, UI_A_REVERSE);
    ui_field_home(&f);
    ui_field_draw(&f, &g, 0, 0, 6, s, cs);
    ui_grid_row_text(&g, 0, 0, 6, row, sizeof row);
    assert_string_equal(row, "abcde\xe2\x80\xa6");   /* and on the right */
    assert_int_equal(ui_grid_at(&g, 0, 0)->attr, UI_A_REVERSE);
    ui_grid_free(&g);
}

static void test_grid_text_clips_and_decodes_utf8(void **state)
{
    (void)state;
    ui_grid g;
    assert_true(ui_grid_init(&g, 4, 2));
    ui_style s = {3, -1, 0};
    assert_int_equal(ui_grid_text(&g, 1, 0, 10, "\xe2\x96\x80xyz", s), 3);
    assert_int_equal(ui_grid_at(&g, 1, 0)->ch, 0x2580);
    assert_int_equal(ui_grid_at(&g, 3, 0)->ch, 0x2026);   /* "z" did not fit: the ellipsis, never a silent cut */
    assert_int_equal(ui_grid_at(&g, 3, 0)->fg, 3);
    assert_int_equal(ui_grid_at(&g, 2, 0)->ch, 'x');
    /* what fits exactly, or is cut only in trailing blanks, has none */
    assert_int_equal(ui_grid_text(&g, 0, 1, 4, "abcd  ", s), 4);
    assert_int_equal(ui_grid_at(&g, 3, 1)->ch, 'd');
    /* ASCII: '>'; ui_grid_clip cuts plainly */
    g.ascii = true;
    ui_grid_text(&g, 0, 1, 3, "abcd", s);
    assert_int_equal(ui_grid_at(&g, 2, 1)->ch, '>');
    ui_grid_clip(&g, 0, 1, 3, "abcd", s);
    assert_int_equal(ui_grid_at(&g, 2, 1)->ch, 'c');
    g.ascii = false;
    assert_null(ui_grid_at(&g, 4, 0));
    ui_grid_box(&g, ui_rect_make(0, 0, 4, 2), "T", s, s, true);
    assert_int_equal(ui_grid_at(&g, 0, 0)->ch, '+');
    assert_int_equal(ui_grid_at(&g, 1, 1)->ch, '-');
    ui_grid_free(&g);
}

static void test_box_puts_the_title_in_the_top_border(void **state)
{
    (void)state;
    ui_grid g;
    assert_true(ui_grid_init(&g, 12, 3));
    ui_style s = {-1, -1, 0};
    ui_grid_box(&g, ui_rect_make(0, 0, 12, 3), "Loss", s, s, false);
    char row[128];
    ui_grid_row_text(&g, 0, 0, 12, row, sizeof row);
    assert_string_equal(row, "\xe2\x95\xad Loss \xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x95\xae");
    ui_grid_free(&g);
}

static void test_wrap_breaks_lines_at_spaces(void **state)
{
    (void)state;
    ui_grid g;
    assert_true(ui_grid_init(&g, 10, 3));
    ui_style s = {-1, -1, 0};
    assert_int_equal(ui_grid_wrap(&g, 0, 0, 10, 3, "the quick brown fox jumps", s), 3);
    char row[64];
    ui_grid_row_text(&g, 0, 0, 10, row, sizeof row);
    assert_string_equal(row, "the quick ");
    ui_grid_row_text(&g, 1, 0, 10, row, sizeof row);
    assert_string_equal(row, "brown fox ");
    ui_grid_row_text(&g, 2, 0, 10, row, sizeof row);
    assert_string_equal(row, "jumps     ");
    ui_grid_clear(&g, s);
    assert_int_equal(ui_grid_wrap(&g, 0, 0, 4, 2, "abcdefghij", s), 2);   /* a long word is cut ... */
    ui_grid_row_text(&g, 1, 0, 4, row, sizeof row);
    assert_string_equal(row, "efg\xe2\x80\xa6");                          /* ... with an ellipsis */
    /* more words than rows: the last row ends with an ellipsis after its last word */
    ui_grid_clear(&g, s);
    assert_int_equal(ui_grid_wrap(&g, 0, 0, 10, 2, "the quick brown fox jumps", s), 2);
    ui_grid_row_text(&g, 1, 0, 10, row, sizeof row);
    assert_string_equal(row, "brown fox\xe2\x80\xa6");
    ui_grid_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_typing_inserts_at_the_cursor),
        cmocka_unit_test(test_a_selected_value_is_replaced_by_typing),
        cmocka_unit_test(test_backspace_and_delete_remove_whole_code_points),
        cmocka_unit_test(test_draw_scrolls_so_the_cursor_stays_visible),
        cmocka_unit_test(test_grid_text_clips_and_decodes_utf8),
        cmocka_unit_test(test_box_puts_the_title_in_the_top_border),
        cmocka_unit_test(test_wrap_breaks_lines_at_spaces),
        cmocka_unit_test(test_kill_keys_cut_like_a_shell),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
