/* overlays.h — what is drawn over the panels: the "Key bindings" help (from the key table), the
 * yes/no question, the preset picker, the file-name prompt and the too-small message. Each draws
 * from its own state and the theme; the help and the picker answer keys with intents (panel.h),
 * which app.c acts on. Main thread only. */
#ifndef UI_OVERLAYS_H
#define UI_OVERLAYS_H

#include "panel.h"

#include "files.h"

#include <stdbool.h>

/* The help: the key table, scrolled. */
typedef struct {
    int scroll;                         /* first line shown */
} ui_help;

/* Before drawing on g: keeps the scroll within the table. */
void ui_help_prepare(ui_help *h, const ui_grid *g);
void ui_help_draw(ui_grid *g, const ui_theme *th, const ui_help *h);
/* Up/Down, PgUp/PgDn scroll; Esc (and ? q F1 F10 Enter) give a CLOSE intent. */
unsigned ui_help_key(ui_help *h, ui_cmd c, ui_intent *out);

/* The yes/no question. */
void ui_confirm_draw(ui_grid *g, const ui_theme *th, const char *question);
/* The file-name prompt of e (SAVE_PRESET, SAVE_MODEL). */
void ui_prompt_draw(ui_grid *g, const ui_theme *th, const ui_edit *e);
/* "terminal too small (COLSxLINES, need 80x24)", and how to quit (asking_quit: the quit question). */
void ui_small_draw(ui_grid *g, const ui_theme *th, int cols, int lines, bool asking_quit);

/* The preset picker: the built-in presets, then the *.json files of the current folder. */
#define UI_MAX_PICKS 64

typedef struct {
    char name[NN_PATH_MAX];             /* what nn_preset_load takes */
    char title[160];
    char desc[512];
    bool ok;                            /* it loads; else title and desc say why not */
} ui_pick;

typedef struct {
    ui_pick picks[UI_MAX_PICKS];
    int n, cur;
} ui_picker;

/* Fills the list (each preset read once for its title and description). */
void ui_picker_open(ui_picker *pk);
void ui_picker_draw(ui_grid *g, const ui_theme *th, const ui_picker *pk);
/* Up/Down/Home/End choose; Enter gives a LOAD intent for the chosen preset, Esc (q l) a CLOSE one. */
unsigned ui_picker_key(ui_picker *pk, ui_cmd c, ui_intent *out);
/* A click at screen cell (x, y) of a gw x gh screen: chooses the pick there, opens it (LOAD) when it
 * was already chosen; outside the dialog: CLOSE. */
unsigned ui_picker_click(ui_picker *pk, int gw, int gh, int x, int y, ui_intent *out);
/* The pick at screen cell (x, y) of a gw x gh screen with the picker open: its index, or
 * UI_PICK_NONE (inside the dialog, not on an entry) or UI_PICK_OUTSIDE. */
#define UI_PICK_NONE (-1)
#define UI_PICK_OUTSIDE (-2)
int ui_picker_hit(const ui_picker *pk, int gw, int gh, int x, int y);

#endif
