/* keys.c — the key table and the modal dispatch (see keys.h). */
#include "keys.h"

#include "layout.h"

#include <curses.h>
#include <stdio.h>

#define ESC 27
#define CTRL_C 3   /* a key, not SIGINT: ui/term.c turns the terminal's interrupt character off */
#define CTX_ARCH UI_CTX_PANEL(UI_P_ARCH)
#define CTX_VIEW UI_CTX_PANEL(UI_P_CONFUSION)   /* the lower right slot, whatever view it shows */

const ui_keybind ui_keytab[] = {
    {{'?', KEY_F(1)}, UI_ACT_HELP, 0, UI_CTX_ALL, "? F1", "key bindings (this help)"},
    {{'q', KEY_F(10), CTRL_C}, UI_ACT_QUIT, 0, UI_CTX_ALL, "q F10 ^C", "quit (asks first while training)"},
    {{' '}, UI_ACT_START_PAUSE, 0, UI_CTX_ALL, "Space", "start, pause or resume; after DONE: train on"},
    {{'s'}, UI_ACT_STEP, 0, UI_CTX_ALL, "s", "train one epoch, then pause"},
    {{'S'}, UI_ACT_STEP_BATCH, 0, UI_CTX_ALL, "S", "train one mini-batch, then pause"},
    {{'r'}, UI_ACT_RESET, 0, UI_CTX_ALL, "r", "reset to the same initial weights"},
    {{'R'}, UI_ACT_RESEED, 0, UI_CTX_ALL, "R", "reset with new weights (next seed)"},
    {{'N'}, UI_ACT_NEW_DATA, 0, UI_CTX_ALL, "N", "new data: the next data seed (the weights stay)"},
    {{'+', '='}, UI_ACT_LR_UP, 0, UI_CTX_ALL, "+", "learning rate x2 (also while training)"},
    {{'-', '_'}, UI_ACT_LR_DOWN, 0, UI_CTX_ALL, "-", "learning rate /2 (also while training)"},
    {{'>', '.'}, UI_ACT_PACE_UP, 0, UI_CTX_ALL, "> .", "faster: epochs per second 1 2 5 .. 200, max"},
    {{'<', ','}, UI_ACT_PACE_DOWN, 0, UI_CTX_ALL, "< ,", "slower (the numbers are the same at every pace)"},
    {{'\t'}, UI_ACT_NEXT_PANEL, 0, UI_CTX_ALL, "Tab", "next panel"},
    {{KEY_BTAB}, UI_ACT_PREV_PANEL, 0, UI_CTX_ALL, "S-Tab", "previous panel"},
    {{'1'}, UI_ACT_FOCUS, UI_P_DATASET, UI_CTX_ALL, "1", "Dataset panel"},
    {{'2'}, UI_ACT_FOCUS, UI_P_ARCH, UI_CTX_ALL, "2", "Architecture panel"},
    {{'3'}, UI_ACT_FOCUS, UI_P_HPARAMS, UI_CTX_ALL, "3", "Hyperparameters panel"},
    {{'4'}, UI_ACT_FOCUS, UI_P_LOSS, UI_CTX_ALL, "4", "Loss panel"},
    /* 5 .. 9, 0, i: the views of the lower right slot, one per row of viewlist.h */
#define VIEW_KEY(id, name, key, label, help) {{key}, UI_ACT_VIEW, UI_V_##id, UI_CTX_ALL, label, help},
    UI_VIEW_ROWS(VIEW_KEY)
#undef VIEW_KEY
    {{'v'}, UI_ACT_NEXT_VIEW, 0, UI_CTX_ALL, "v", "next view in the lower right (5 .. i), or the focused one"},
    {{'V'}, UI_ACT_PREV_VIEW, 0, UI_CTX_ALL, "V", "previous view (two views from 200 columns: Tab, click)"},
    {{KEY_UP, 'k'}, UI_ACT_UP, 0, UI_CTX_ALL, "Up k", "previous field or layer"},
    {{KEY_DOWN, 'j'}, UI_ACT_DOWN, 0, UI_CTX_ALL, "Down j", "next field or layer"},
    {{KEY_LEFT, 'h'}, UI_ACT_LEFT, 0, UI_CTX_ALL, "Left h", "previous choice / column"},
    {{KEY_RIGHT}, UI_ACT_RIGHT, 0, UI_CTX_ALL, "Right", "next choice / column"},
    {{KEY_PPAGE}, UI_ACT_PAGE_UP, 0, UI_CTX_ALL, "PgUp", "page up"},
    {{KEY_NPAGE}, UI_ACT_PAGE_DOWN, 0, UI_CTX_ALL, "PgDn", "page down"},
    {{KEY_HOME, 'g'}, UI_ACT_HOME, 0, UI_CTX_ALL, "Home g", "first field"},
    {{KEY_END, 'G'}, UI_ACT_END, 0, UI_CTX_ALL, "End G", "last field"},
    {{'\n', '\r', KEY_ENTER}, UI_ACT_EDIT, 0, UI_CTX_ALL, "Enter", "edit the field (Enter again applies)"},
    {{ESC}, UI_ACT_CANCEL, 0, UI_CTX_ALL, "Esc", "cancel the edit, close a dialog or the zoom"},
    {{'a', KEY_IC}, UI_ACT_LAYER_ADD, 0, CTX_ARCH, "a Ins", "Architecture: add a layer below"},
    {{'d', KEY_DC}, UI_ACT_LAYER_DEL, 0, CTX_ARCH, "d Del", "Architecture: remove the layer"},
    {{'K', KEY_SR}, UI_ACT_LAYER_UP, 0, CTX_ARCH, "K S-Up", "Architecture: move the layer up"},
    {{'J', KEY_SF}, UI_ACT_LAYER_DOWN, 0, CTX_ARCH, "J S-Down", "Architecture: move the layer down"},
    {{'\n', '\r', KEY_ENTER}, UI_ACT_EDIT, 0, CTX_VIEW, "Enter", "points (Boundary), trace (Step), start/end (Race)"},
    {{KEY_LEFT, 'h'}, UI_ACT_LEFT, 0, CTX_VIEW, "Left h", "x feature (Boundary), neuron (Network, Step)"},
    {{KEY_UP, 'k'}, UI_ACT_UP, 0, CTX_VIEW, "Up k", "y feature (Boundary), layer (Network), input (Step)"},
    {{KEY_PPAGE}, UI_ACT_PAGE_UP, 0, CTX_VIEW, "PgUp", "Step: previous layer (PgDn: next); Lesson: scroll"},
    {{'d'}, UI_ACT_DISCRETIZE, 0, CTX_VIEW, "d", "Boundary: hard class regions / shading by confidence"},
    {{'['}, UI_ACT_PREV_SAMPLE, 0, CTX_VIEW, "[", "Step: previous sample; Network: previous weight"},
    {{']'}, UI_ACT_NEXT_SAMPLE, 0, CTX_VIEW, "]", "Step: next sample; Network: next weight or bias"},
    {{KEY_DC}, UI_ACT_UNPIN, 0, CTX_VIEW, "Del", "Compare: remove the selected pin"},
    {{'\n', '\r', KEY_ENTER}, UI_ACT_EDIT, 0, CTX_VIEW, "Enter", "Network: diagram; a picked weight: edit it"},
    {{ESC}, UI_ACT_CANCEL, 0, CTX_VIEW, "Esc", "Network: drop the picked weight"},
    {{'L'}, UI_ACT_LOG, 0, UI_CTX_ALL, "L", "Loss, Race: log / linear scale"},
    {{'z'}, UI_ACT_ZOOM, 0, UI_CTX_ALL, "z", "zoom the focused panel (projector mode, --big)"},
    {{'l'}, UI_ACT_LOAD, 0, UI_CTX_ALL, "l", "load a preset (built-in or *.json here)"},
    {{'w'}, UI_ACT_SAVE_PRESET, 0, UI_CTX_ALL, "w", "write the configuration as a preset"},
    {{'m'}, UI_ACT_SAVE_MODEL, 0, UI_CTX_ALL, "m", "save the model (its weights now)"},
    {{'P'}, UI_ACT_PIN, 0, UI_CTX_ALL, "P", "pin the run for comparing (Loss chart, view c)"},
    {{'e'}, UI_ACT_REPORT, 0, UI_CTX_ALL, "e", "write the report: pictures, PDF (PRESET-report/)"},
};
const int ui_keytab_len = (int)(sizeof ui_keytab / sizeof ui_keytab[0]);

static bool is_enter(int k) { return k == '\n' || k == '\r' || k == KEY_ENTER; }

static ui_cmd cmd(ui_action a, int arg)
{
    ui_cmd c = {a, arg};
    return c;
}

#define CTRL_KEY(c) ((c) & 0x1f)   /* the code a terminal sends for Ctrl and a letter */

ui_cmd ui_key_dispatch(ui_mode mode, int panel, int key)
{
    if (key == KEY_RESIZE)
        return cmd(UI_ACT_RESIZE, 0);
    if (key == CTRL_C)   /* quit from anywhere, a field or a dialog too (on_key: asks while training) */
        return cmd(UI_ACT_QUIT, 0);
    switch (mode) {
    case UI_MODE_EDIT:
        if (is_enter(key)) return cmd(UI_ACT_COMMIT, 0);
        if (key == ESC) return cmd(UI_ACT_CANCEL, 0);
        if (key == KEY_BACKSPACE || key == 127 || key == 8) return cmd(UI_ACT_TEXT_BACKSPACE, 0);
        if (key == KEY_DC) return cmd(UI_ACT_TEXT_DELETE, 0);
        if (key == KEY_LEFT) return cmd(UI_ACT_LEFT, 0);
        if (key == KEY_RIGHT) return cmd(UI_ACT_RIGHT, 0);
        if (key == KEY_HOME) return cmd(UI_ACT_HOME, 0);
        if (key == KEY_END) return cmd(UI_ACT_END, 0);
        /* the readline keys a shell user types without thinking */
        if (key == CTRL_KEY('a')) return cmd(UI_ACT_HOME, 0);
        if (key == CTRL_KEY('e')) return cmd(UI_ACT_END, 0);
        if (key == CTRL_KEY('b')) return cmd(UI_ACT_LEFT, 0);
        if (key == CTRL_KEY('f')) return cmd(UI_ACT_RIGHT, 0);
        if (key == CTRL_KEY('d')) return cmd(UI_ACT_TEXT_DELETE, 0);
        if (key == CTRL_KEY('u')) return cmd(UI_ACT_TEXT_KILL_START, 0);
        if (key == CTRL_KEY('k')) return cmd(UI_ACT_TEXT_KILL_END, 0);
        if (key == CTRL_KEY('w')) return cmd(UI_ACT_TEXT_KILL_WORD, 0);
        if ((key >= 32 && key < 127) || (key >= 128 && key < 256)) return cmd(UI_ACT_TEXT_INSERT, key);
        return cmd(UI_ACT_NONE, 0);
    case UI_MODE_HELP:
        if (key == ESC || key == '?' || key == 'q' || key == KEY_F(1) || key == KEY_F(10) || is_enter(key))
            return cmd(UI_ACT_CANCEL, 0);
        if (key == KEY_UP || key == 'k') return cmd(UI_ACT_UP, 0);
        if (key == KEY_DOWN || key == 'j') return cmd(UI_ACT_DOWN, 0);
        if (key == KEY_PPAGE) return cmd(UI_ACT_PAGE_UP, 0);
        if (key == KEY_NPAGE || key == ' ') return cmd(UI_ACT_PAGE_DOWN, 0);
        if (key == KEY_MOUSE) return cmd(UI_ACT_MOUSE, 0);
        return cmd(UI_ACT_NONE, 0);
    case UI_MODE_CONFIRM:
        if (key == 'y' || key == 'Y' || is_enter(key)) return cmd(UI_ACT_YES, 0);
        if (key == 'n' || key == 'N' || key == ESC || key == 'q') return cmd(UI_ACT_NO, 0);
        return cmd(UI_ACT_NONE, 0);
    case UI_MODE_PICKER:
        if (is_enter(key)) return cmd(UI_ACT_COMMIT, 0);
        if (key == ESC || key == 'q' || key == 'l') return cmd(UI_ACT_CANCEL, 0);
        if (key == KEY_UP || key == 'k') return cmd(UI_ACT_UP, 0);
        if (key == KEY_DOWN || key == 'j') return cmd(UI_ACT_DOWN, 0);
        if (key == KEY_HOME || key == 'g') return cmd(UI_ACT_HOME, 0);
        if (key == KEY_END || key == 'G') return cmd(UI_ACT_END, 0);
        if (key == KEY_MOUSE) return cmd(UI_ACT_MOUSE, 0);
        return cmd(UI_ACT_NONE, 0);
    case UI_MODE_SMALL:
        if (key == 'q' || key == KEY_F(10)) return cmd(UI_ACT_QUIT, 0);
        return cmd(UI_ACT_NONE, 0);
    case UI_MODE_NORMAL:
        break;
    }
    if (key == KEY_MOUSE)
        return cmd(UI_ACT_MOUSE, 0);
    unsigned bit = panel >= 0 && panel < 16 ? UI_CTX_PANEL(panel) : 0;
    /* panel-specific bindings win over global ones */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < ui_keytab_len; i++) {
            const ui_keybind *b = &ui_keytab[i];
            bool specific = b->ctx != UI_CTX_ALL;
            if (pass == 0 ? !(specific && (b->ctx & bit)) : specific)
                continue;
            for (int j = 0; j < 4 && b->keys[j]; j++)
                if (b->keys[j] == key)
                    return cmd(b->act, b->arg);
        }
    return cmd(UI_ACT_NONE, 0);
}

bool ui_key_help_line(int i, char *out, int outlen)
{
    if (i < 0 || i >= ui_keytab_len)
        return false;
    snprintf(out, (size_t)outlen, "%-9s %s", ui_keytab[i].label, ui_keytab[i].help);
    return true;
}

const char *ui_key_label_for(ui_action act)
{
    for (int i = 0; i < ui_keytab_len; i++)
        if (ui_keytab[i].act == act)
            return ui_keytab[i].label;
    return "";
}
