/* keys.h — the one key table: it drives the dispatch (ui_key_dispatch) and the help overlay
 * (ui_key_help_line). The dispatch is modal: while a text field is edited, printable keys are
 * text (q does not quit); dialogs take only their own keys. Pure; keys are getch() values. */
#ifndef UI_KEYS_H
#define UI_KEYS_H

#include <stdbool.h>

typedef enum {
    UI_MODE_NORMAL,    /* panels */
    UI_MODE_EDIT,      /* a text field or the file-name prompt */
    UI_MODE_HELP,      /* the "Key bindings" overlay */
    UI_MODE_CONFIRM,   /* a yes/no question */
    UI_MODE_PICKER,    /* the preset picker */
    UI_MODE_SMALL      /* the terminal is below the minimum size */
} ui_mode;

typedef enum {
    UI_ACT_NONE, UI_ACT_QUIT, UI_ACT_HELP, UI_ACT_START_PAUSE, UI_ACT_STEP, UI_ACT_RESET,
    UI_ACT_RESEED, UI_ACT_STEP_BATCH, UI_ACT_LR_UP, UI_ACT_LR_DOWN, UI_ACT_NEXT_PANEL, UI_ACT_PREV_PANEL,
    UI_ACT_FOCUS, UI_ACT_UP, UI_ACT_DOWN, UI_ACT_LEFT, UI_ACT_RIGHT, UI_ACT_PAGE_UP,
    UI_ACT_PAGE_DOWN, UI_ACT_HOME, UI_ACT_END, UI_ACT_EDIT, UI_ACT_CANCEL, UI_ACT_LOAD,
    UI_ACT_SAVE_PRESET, UI_ACT_SAVE_MODEL, UI_ACT_LOG, UI_ACT_ZOOM, UI_ACT_LAYER_ADD,
    UI_ACT_LAYER_DEL, UI_ACT_LAYER_UP, UI_ACT_LAYER_DOWN, UI_ACT_TEXT_INSERT,
    UI_ACT_TEXT_BACKSPACE, UI_ACT_TEXT_DELETE, UI_ACT_COMMIT, UI_ACT_YES, UI_ACT_NO,
    UI_ACT_RESIZE, UI_ACT_MOUSE, UI_ACT_VIEW, UI_ACT_NEXT_VIEW, UI_ACT_PREV_VIEW, UI_ACT_PREV_SAMPLE,
    UI_ACT_NEXT_SAMPLE, UI_ACT_TEXT_KILL_START, UI_ACT_TEXT_KILL_END, UI_ACT_TEXT_KILL_WORD, UI_ACT_REPORT, UI_ACT_PACE_UP,
    UI_ACT_PACE_DOWN, UI_ACT_DISCRETIZE, UI_ACT_NEW_DATA, UI_ACT_PIN, UI_ACT_UNPIN, UI_ACT_COUNT
} ui_action;

typedef struct {
    ui_action act;
    int arg;           /* FOCUS: panel index; VIEW: ui_view_id; TEXT_INSERT: the byte */
} ui_cmd;

/* Contexts of a binding: a bit per panel (layout.h's ui_panel_id), or all. */
#define UI_CTX_ALL 0xFFFFu
#define UI_CTX_PANEL(p) (1u << (p))

typedef struct {
    int keys[4];        /* getch() values; 0 ends the list */
    ui_action act;
    int arg;
    unsigned ctx;       /* where it applies in UI_MODE_NORMAL */
    const char *label;  /* how help shows the keys: "Space", "q F10" */
    const char *help;   /* what it does */
} ui_keybind;

extern const ui_keybind ui_keytab[];
extern const int ui_keytab_len;

/* What key means in mode with panel focused. */
ui_cmd ui_key_dispatch(ui_mode mode, int panel, int key);
/* Help text for binding i: "  Space      start, pause or resume training". Returns false past
 * the end. */
bool ui_key_help_line(int i, char *out, int outlen);
/* The first key label of the binding for act (e.g. "Space"), or "" if none; for the status bar. */
const char *ui_key_label_for(ui_action act);

#endif
