/* app.h — the interactive trainer's state, shared by app.c (loop, keys, commands) and the
 * panel files (each draws its part into the frame grid and handles the keys of its panel).
 * Main thread only. */
#ifndef UI_APP_H
#define UI_APP_H

#include "field.h"
#include "grid.h"
#include "keys.h"
#include "layout.h"
#include "theme.h"
#include "ui.h"
#include "views.h"
#include "worker.h"

#include "preset.h"
#include "preset_schema.h"

#include <stdbool.h>

#define UI_MAX_ITEMS 48
#define UI_MAX_PICKS 64

typedef enum { UI_ITEM_NUMBER, UI_ITEM_TEXT, UI_ITEM_CHOICE, UI_ITEM_BOOL, UI_ITEM_INFO } ui_item_kind;

/* One editable line of the Dataset or Hyperparameters panel. */
typedef struct {
    ui_item_kind kind;
    char label[40];
    char key[96];                       /* dotted preset key; "" for INFO */
    const char *choices[24];            /* CHOICE */
    int n_choices;
    char info[160];                     /* INFO: the text */
} ui_item;

typedef enum { UI_CONFIRM_NONE, UI_CONFIRM_QUIT, UI_CONFIRM_APPLY, UI_CONFIRM_LOAD, UI_CONFIRM_RACE } ui_confirm_kind;
typedef enum { UI_EDIT_ITEM, UI_EDIT_LAYER, UI_EDIT_SAVE_PRESET, UI_EDIT_SAVE_MODEL } ui_edit_kind;

typedef struct {
    char name[NN_PATH_MAX];             /* what nn_preset_load takes */
    char title[160];
    char desc[512];
    bool ok;
} ui_pick;

typedef struct ui_app {
    ui_options opt;
    ui_theme th;
    ui_grid frame;
    ui_layout lay;
    int cols, lines;
    int focus, left_open;
    bool zoom, logy;
    ui_mode mode;                       /* NORMAL, EDIT, HELP, CONFIRM, PICKER (SMALL derived) */
    bool dirty, quit;

    nn_preset draft;                    /* what the panels edit */
    ui_worker *w;
    int wake_r, wake_w;
    ui_snapshot snap;
    uint64_t seen_seq;
    uint64_t notice_seq;                /* the last worker notice shown */
    nn_epoch_stats *hist;               /* (hist_cap) copy of the worker's history */
    int hist_len, hist_cap;
    uint64_t hist_run;
    double *series;                     /* (3, hist_cap) train, val, test loss */

    int view;                           /* ui_view_id shown in the lower right slot (UI_P_CONFUSION) */
    bool view_pick;                     /* pick the view for the next preset once it has loaded */
    ui_views views;                     /* the views' selections, scroll and the ghost curves */

    int cursor[UI_P_COUNT], scroll[UI_P_COUNT];
    int arch_col;                       /* 0 units, 1 activation, 2 init, 3 distribution */
    ui_item items[UI_MAX_ITEMS];        /* rebuilt for the focused item panel when needed */
    int n_items;

    /* editing a field or a prompt */
    ui_edit_kind edit_kind;
    int edit_panel;
    char edit_key[96];
    ui_field field;
    char edit_msg[NN_ERRMSG];
    bool edit_ok;

    /* a yes/no question, and what to do on yes */
    ui_confirm_kind confirm;
    char confirm_text[256];
    nn_preset pending;                  /* APPLY/LOAD: the preset to load on yes */
    ui_mode confirm_back;               /* mode to return to on no */

    ui_pick picks[UI_MAX_PICKS];
    int n_picks, pick_cur;
    int help_scroll;

    char msg[NN_ERRMSG];                /* transient message in the status bar */
    bool msg_err;
    double msg_until;                   /* monotonic seconds */
} ui_app;

/* app.c */
void ui_app_message(ui_app *a, bool err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Applies p as the new configuration: directly when training has not begun, else after asking.
 * what: "architecture", "dataset", ... for the question. */
void ui_app_apply(ui_app *a, const nn_preset *p, const char *what);
bool ui_app_training_begun(const ui_app *a);
/* Sets key to text in the draft through the validator: the learning rate and regularisation go to
 * the running experiment, other keys through ui_app_apply; errors become a message. */
void ui_app_commit_key(ui_app *a, const char *key, const char *text);
void ui_app_begin_edit(ui_app *a, ui_edit_kind kind, const char *key, const char *initial);
double ui_now(void);

/* items.c: the Dataset and Hyperparameters panels (lists of preset fields) */
int ui_items_build(ui_app *a, int panel, ui_item *out, int max);
/* Appends an item (kind, label, preset key) to out[0..max) at *n; NULL when full. */
ui_item *ui_item_add(ui_item *out, int *n, int max, ui_item_kind kind, const char *label, const char *key);
/* The items of a panel from the preset key table (core/preset_schema.c): its keys in table order with
 * their labels, those p uses (the current optimizer's parameters, the current source's keys). */
int ui_items_from_table(const nn_preset *p, nn_panel panel, ui_item *out, int max);
int ui_dataset_items(ui_app *a, ui_item *out, int max);   /* panel_dataset.c */
int ui_hparams_items(ui_app *a, ui_item *out, int max);   /* panel_hparams.c */
void ui_items_draw(ui_app *a, int panel, ui_grid *g, ui_rect r);
void ui_items_key(ui_app *a, int panel, ui_cmd c);
void ui_items_click(ui_app *a, int panel, int row);
/* nn_preset_get through a memo of the last preset's answers; false if the preset lacks key. */
bool ui_items_get(const nn_preset *p, const char *key, char *out, int outlen);
/* The value of key in the draft, without JSON quotes. */
void ui_items_value(const nn_preset *p, const char *key, char *out, int outlen);
/* Sets key to text (quoted as a JSON string when it is not JSON) on a copy of src. */
nn_status ui_items_try(const nn_preset *src, nn_preset *dst, const char *key, const char *text, nn_error *err);
const char *ui_items_what(const char *key);   /* "dataset", "architecture", "hyperparameters" */

/* panel_arch.c */
void ui_arch_draw(ui_app *a, ui_grid *g, ui_rect r);
void ui_arch_key(ui_app *a, ui_cmd c);
void ui_arch_click(ui_app *a, int row);
/* panel_loss.c, panel_confusion.c */
void ui_loss_draw(ui_app *a, ui_grid *g, ui_rect r);
void ui_confusion_draw(ui_app *a, ui_grid *g, ui_rect r);
/* panel_views.c: the lower right slot's views in the app (draw, keys, the default view) */
void ui_view_draw(ui_app *a, ui_grid *g, ui_rect r);
void ui_view_handle(ui_app *a, ui_cmd c);
/* After a snapshot or a view change: the Boundary view of data with 3..UI_VIEW_MAX_FEATURES
 * features asks the worker for a picture over features 1 and 2 (once per run). */
void ui_view_sync(ui_app *a);
/* The view a freshly loaded preset opens on: Lesson if it has one, else Boundary when the data
 * has a picture, else Confusion. */
int ui_view_default(const ui_app *a);
/* Starts a race of every optimizer on the draft (ui_worker_race), with a message. */
void ui_app_race(ui_app *a);
/* The title strip of the slot: its views with their keys, the current one highlighted. */
void ui_view_tabs(ui_app *a, ui_grid *g, ui_rect frame, ui_style border, ui_style title);
/* The view whose tab is at column x of the strip on frame's top row, or -1. */
int ui_view_tab_at(const ui_app *a, ui_rect frame, int x);
/* statusbar.c */
void ui_status_draw(ui_app *a, ui_grid *g, ui_rect r);
/* overlays.c: help, confirm, picker, prompt, too small */
void ui_help_draw(ui_app *a, ui_grid *g);
void ui_confirm_draw(ui_app *a, ui_grid *g);
void ui_picker_draw(ui_app *a, ui_grid *g);
void ui_picker_open(ui_app *a);
/* The pick at screen cell (x, y) of a gw x gh screen with the picker open: its index, or
 * UI_PICK_NONE (inside the dialog, not on an entry) or UI_PICK_OUTSIDE. */
#define UI_PICK_NONE (-1)
#define UI_PICK_OUTSIDE (-2)
int ui_picker_hit(const ui_app *a, int gw, int gh, int x, int y);
void ui_small_draw(ui_app *a, ui_grid *g);
void ui_prompt_draw(ui_app *a, ui_grid *g);
/* term.c: terminal set-up and tear-down (the SCREEN type comes from curses.h) */
void ui_term_install_handlers(void);
int ui_term_signal(void);             /* the last SIGINT/SIGTERM/SIGHUP received, or 0 */
struct screen;
struct screen *ui_term_start(ui_theme *th, const ui_options *opt);   /* NULL: no terminal */
void ui_term_stop(struct screen *scr);
/* blit.c: the only curses drawing */
void ui_blit(const ui_grid *g, bool utf8);
void ui_blit_reset(void);

#endif
