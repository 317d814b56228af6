/* The key table and the modal dispatch. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "keys.h"
#include "layout.h"

#include <curses.h>
#include <string.h>

static ui_action act(ui_mode m, int panel, int key) { return ui_key_dispatch(m, panel, key).act; }

static void test_q_quits_in_normal_mode_but_is_text_while_editing(void **state)
{
    (void)state;
    assert_int_equal(act(UI_MODE_NORMAL, UI_P_HPARAMS, 'q'), UI_ACT_QUIT);
    ui_cmd c = ui_key_dispatch(UI_MODE_EDIT, UI_P_HPARAMS, 'q');
    assert_int_equal(c.act, UI_ACT_TEXT_INSERT);
    assert_int_equal(c.arg, 'q');
}

static void test_every_letter_and_digit_is_text_while_editing(void **state)
{
    (void)state;
    for (int k = 32; k < 127; k++) {
        ui_cmd c = ui_key_dispatch(UI_MODE_EDIT, UI_P_ARCH, k);
        assert_int_equal(c.act, UI_ACT_TEXT_INSERT);
        assert_int_equal(c.arg, k);
    }
}

static void test_enter_commits_and_escape_cancels_an_edit(void **state)
{
    (void)state;
    assert_int_equal(act(UI_MODE_EDIT, 0, '\n'), UI_ACT_COMMIT);
    assert_int_equal(act(UI_MODE_EDIT, 0, KEY_ENTER), UI_ACT_COMMIT);
    assert_int_equal(act(UI_MODE_EDIT, 0, 27), UI_ACT_CANCEL);
    /* Ctrl-C is the quit key in every mode, a field included (the app asks while training) */
    assert_int_equal(act(UI_MODE_NORMAL, UI_P_HPARAMS, 3), UI_ACT_QUIT);
    assert_int_equal(act(UI_MODE_EDIT, 0, 3), UI_ACT_QUIT);
    assert_int_equal(act(UI_MODE_HELP, 0, 3), UI_ACT_QUIT);
    assert_int_equal(act(UI_MODE_PICKER, 0, 3), UI_ACT_QUIT);
    assert_int_equal(act(UI_MODE_CONFIRM, 0, 3), UI_ACT_QUIT);
    assert_int_equal(act(UI_MODE_SMALL, 0, 3), UI_ACT_QUIT);
    /* readline keys in a field */
    assert_int_equal(act(UI_MODE_EDIT, 0, 0x15), UI_ACT_TEXT_KILL_START);   /* Ctrl-U */
    assert_int_equal(act(UI_MODE_EDIT, 0, 0x0b), UI_ACT_TEXT_KILL_END);     /* Ctrl-K */
    assert_int_equal(act(UI_MODE_EDIT, 0, 0x17), UI_ACT_TEXT_KILL_WORD);    /* Ctrl-W */
    assert_int_equal(act(UI_MODE_EDIT, 0, 0x01), UI_ACT_HOME);              /* Ctrl-A */
    assert_int_equal(act(UI_MODE_EDIT, 0, 0x05), UI_ACT_END);               /* Ctrl-E */
    assert_int_equal(act(UI_MODE_EDIT, 0, 0x04), UI_ACT_TEXT_DELETE);       /* Ctrl-D */
    assert_int_equal(act(UI_MODE_EDIT, 0, KEY_BACKSPACE), UI_ACT_TEXT_BACKSPACE);
    assert_int_equal(act(UI_MODE_EDIT, 0, 127), UI_ACT_TEXT_BACKSPACE);
    assert_int_equal(act(UI_MODE_EDIT, 0, KEY_F(10)), UI_ACT_NONE);
}

static void test_f10_quits_and_f1_opens_help(void **state)
{
    (void)state;
    assert_int_equal(act(UI_MODE_NORMAL, UI_P_LOSS, KEY_F(10)), UI_ACT_QUIT);
    assert_int_equal(act(UI_MODE_NORMAL, UI_P_LOSS, KEY_F(1)), UI_ACT_HELP);
    assert_int_equal(act(UI_MODE_NORMAL, UI_P_LOSS, '?'), UI_ACT_HELP);
}

static void test_training_keys_map_to_their_commands(void **state)
{
    (void)state;
    assert_int_equal(act(UI_MODE_NORMAL, UI_P_LOSS, ' '), UI_ACT_START_PAUSE);
    assert_int_equal(act(UI_MODE_NORMAL, UI_P_LOSS, 's'), UI_ACT_STEP);
    assert_int_equal(act(UI_MODE_NORMAL, UI_P_LOSS, 'S'), UI_ACT_STEP_BATCH);
    assert_int_equal(act(UI_MODE_NORMAL, UI_P_LOSS, 'r'), UI_ACT_RESET);
    assert_int_equal(act(UI_MODE_NORMAL, UI_P_LOSS, 'R'), UI_ACT_RESEED);
    assert_int_equal(act(UI_MODE_NORMAL, UI_P_LOSS, '+'), UI_ACT_LR_UP);
    assert_int_equal(act(UI_MODE_NORMAL, UI_P_LOSS, '-'), UI_ACT_LR_DOWN);
    assert_int_equal(act(UI_MODE_NORMAL, UI_P_LOSS, 'l'), UI_ACT_LOAD);
    assert_int_equal(act(UI_MODE_NORMAL, UI_P_LOSS, 'w'), UI_ACT_SAVE_PRESET);
    assert_int_equal(act(UI_MODE_NORMAL, UI_P_LOSS, 'm'), UI_ACT_SAVE_MODEL);
}

static void test_digits_focus_panels_and_tab_cycles(void **state)
{
    (void)state;
    for (int p = 0; p < UI_P_CONFUSION; p++) {
        ui_cmd c = ui_key_dispatch(UI_MODE_NORMAL, UI_P_DATASET, '1' + p);
        assert_int_equal(c.act, UI_ACT_FOCUS);
        assert_int_equal(c.arg, p);
    }
    /* 5, 6, n, 7, p, 8, 9, 0, c and i pick the view of the lower right slot */
    const int vk[UI_V_COUNT] = {'5', '6', 'n', '7', 'p', '8', '9', '0', 'c', 'i'};
    for (int v = 0; v < UI_V_COUNT; v++) {
        ui_cmd c = ui_key_dispatch(UI_MODE_NORMAL, UI_P_LOSS, vk[v]);
        assert_int_equal(c.act, UI_ACT_VIEW);
        assert_int_equal(c.arg, v);
        assert_int_equal(ui_view_key(v)[0], vk[v]);
    }
    assert_int_equal(act(UI_MODE_NORMAL, UI_P_LOSS, 'v'), UI_ACT_NEXT_VIEW);
    assert_int_equal(act(UI_MODE_NORMAL, UI_P_LOSS, 'V'), UI_ACT_PREV_VIEW);
    /* [ ] only in the view slot */
    assert_int_equal(act(UI_MODE_NORMAL, UI_P_CONFUSION, '['), UI_ACT_PREV_SAMPLE);
    assert_int_equal(act(UI_MODE_NORMAL, UI_P_CONFUSION, ']'), UI_ACT_NEXT_SAMPLE);
    assert_int_equal(act(UI_MODE_NORMAL, UI_P_LOSS, ']'), UI_ACT_NONE);
    assert_int_equal(act(UI_MODE_NORMAL, 0, '\t'), UI_ACT_NEXT_PANEL);
    assert_int_equal(act(UI_MODE_NORMAL, 0, KEY_BTAB), UI_ACT_PREV_PANEL);
}

static void test_vi_keys_move_like_arrows(void **state)
{
    (void)state;
    assert_int_equal(act(UI_MODE_NORMAL, UI_P_HPARAMS, 'j'), UI_ACT_DOWN);
    assert_int_equal(act(UI_MODE_NORMAL, UI_P_HPARAMS, KEY_DOWN), UI_ACT_DOWN);
    assert_int_equal(act(UI_MODE_NORMAL, UI_P_HPARAMS, 'k'), UI_ACT_UP);
    assert_int_equal(act(UI_MODE_NORMAL, UI_P_HPARAMS, 'h'), UI_ACT_LEFT);
    assert_int_equal(act(UI_MODE_NORMAL, UI_P_HPARAMS, KEY_RIGHT), UI_ACT_RIGHT);
}

static void test_layer_keys_act_only_in_the_architecture_panel(void **state)
{
    (void)state;
    assert_int_equal(act(UI_MODE_NORMAL, UI_P_ARCH, 'a'), UI_ACT_LAYER_ADD);
    assert_int_equal(act(UI_MODE_NORMAL, UI_P_ARCH, 'd'), UI_ACT_LAYER_DEL);
    assert_int_equal(act(UI_MODE_NORMAL, UI_P_ARCH, 'K'), UI_ACT_LAYER_UP);
    assert_int_equal(act(UI_MODE_NORMAL, UI_P_ARCH, 'J'), UI_ACT_LAYER_DOWN);
    assert_int_equal(act(UI_MODE_NORMAL, UI_P_HPARAMS, 'a'), UI_ACT_NONE);
    assert_int_equal(act(UI_MODE_NORMAL, UI_P_LOSS, 'd'), UI_ACT_NONE);
}

static void test_help_closes_on_escape_question_mark_and_q(void **state)
{
    (void)state;
    assert_int_equal(act(UI_MODE_HELP, 0, 27), UI_ACT_CANCEL);
    assert_int_equal(act(UI_MODE_HELP, 0, '?'), UI_ACT_CANCEL);
    assert_int_equal(act(UI_MODE_HELP, 0, 'q'), UI_ACT_CANCEL);
    assert_int_equal(act(UI_MODE_HELP, 0, ' '), UI_ACT_PAGE_DOWN);
    assert_int_equal(act(UI_MODE_HELP, 0, 'r'), UI_ACT_NONE);
}

static void test_confirm_takes_only_yes_and_no(void **state)
{
    (void)state;
    assert_int_equal(act(UI_MODE_CONFIRM, 0, 'y'), UI_ACT_YES);
    assert_int_equal(act(UI_MODE_CONFIRM, 0, '\n'), UI_ACT_YES);
    assert_int_equal(act(UI_MODE_CONFIRM, 0, 'n'), UI_ACT_NO);
    assert_int_equal(act(UI_MODE_CONFIRM, 0, 27), UI_ACT_NO);
    assert_int_equal(act(UI_MODE_CONFIRM, 0, ' '), UI_ACT_NONE);
}

static void test_too_small_still_accepts_q_and_resize(void **state)
{
    (void)state;
    assert_int_equal(act(UI_MODE_SMALL, 0, 'q'), UI_ACT_QUIT);
    assert_int_equal(act(UI_MODE_SMALL, 0, KEY_RESIZE), UI_ACT_RESIZE);
    assert_int_equal(act(UI_MODE_SMALL, 0, ' '), UI_ACT_NONE);
    assert_int_equal(act(UI_MODE_EDIT, 0, KEY_RESIZE), UI_ACT_RESIZE);
}

static void test_every_binding_has_keys_a_label_and_help_text(void **state)
{
    (void)state;
    char line[256];
    for (int i = 0; i < ui_keytab_len; i++) {
        assert_non_null(ui_keytab[i].label);
        assert_true(strlen(ui_keytab[i].label) > 0);
        assert_true(strlen(ui_keytab[i].help) > 3);
        assert_int_not_equal(ui_keytab[i].keys[0], 0);
        assert_true(ui_key_help_line(i, line, sizeof line));
        assert_non_null(strstr(line, ui_keytab[i].help));
    }
    assert_false(ui_key_help_line(ui_keytab_len, line, sizeof line));
}

static void test_every_normal_mode_key_in_the_table_dispatches_to_its_binding(void **state)
{
    (void)state;
    for (int i = 0; i < ui_keytab_len; i++) {
        const ui_keybind *b = &ui_keytab[i];
        int panel = b->ctx == UI_CTX_ALL ? UI_P_LOSS : __builtin_ctz(b->ctx);
        for (int j = 0; j < 4 && b->keys[j]; j++) {
            ui_cmd c = ui_key_dispatch(UI_MODE_NORMAL, panel, b->keys[j]);
            assert_int_equal(c.act, b->act);
            assert_int_equal(c.arg, b->arg);
        }
    }
}

static void test_label_for_an_action_comes_from_the_table(void **state)
{
    (void)state;
    assert_string_equal(ui_key_label_for(UI_ACT_START_PAUSE), "Space");
    assert_string_equal(ui_key_label_for(UI_ACT_TEXT_INSERT), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_q_quits_in_normal_mode_but_is_text_while_editing),
        cmocka_unit_test(test_every_letter_and_digit_is_text_while_editing),
        cmocka_unit_test(test_enter_commits_and_escape_cancels_an_edit),
        cmocka_unit_test(test_f10_quits_and_f1_opens_help),
        cmocka_unit_test(test_training_keys_map_to_their_commands),
        cmocka_unit_test(test_digits_focus_panels_and_tab_cycles),
        cmocka_unit_test(test_vi_keys_move_like_arrows),
        cmocka_unit_test(test_layer_keys_act_only_in_the_architecture_panel),
        cmocka_unit_test(test_help_closes_on_escape_question_mark_and_q),
        cmocka_unit_test(test_confirm_takes_only_yes_and_no),
        cmocka_unit_test(test_too_small_still_accepts_q_and_resize),
        cmocka_unit_test(test_every_binding_has_keys_a_label_and_help_text),
        cmocka_unit_test(test_every_normal_mode_key_in_the_table_dispatches_to_its_binding),
        cmocka_unit_test(test_label_for_an_action_comes_from_the_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
