/* panel.h — the one interface of the panels and the views, as htop's screens have one:
 *  - a panel or view draws from a read-only model (ui_model: the snapshot, the draft preset, the
 *    theme, ...) and its own selection state; prepare, called just before draw, may first bring
 *    that state in line with the model (a cursor past the end of a shorter list);
 *  - it answers a key (ui_cmd) with redraw bits and at most one intent (ui_intent), such as
 *    {UI_INTENT_SET_KEY, key, value}. It never calls the worker or the app: only app.c acts on
 *    intents (talks to the worker, applies the draft, asks to confirm, shows messages).
 * Panels: ui_panel_class (Dataset, Architecture, Hyperparameters, Loss, and the lower right slot,
 * which shows one of the views). Views: ui_view_def, one per row of viewlist.h.
 * Main thread only. */
#ifndef UI_PANEL_H
#define UI_PANEL_H

#include "field.h"
#include "grid.h"
#include "keys.h"
#include "layout.h"
#include "pins.h"
#include "theme.h"
#include "viewlist.h"
#include "views.h"
#include "worker.h"

#include "preset.h"
#include "preset_schema.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- the model ---- */

/* SAVE_NAME and SAVE_DESC: the name and the description that w asks for before the file name when
 * the experiment changed since it was opened (then SAVE_PRESET is step 3 of 3). WEIGHT: a weight or
 * bias of the network, picked in the Network view (a prompt; the worker sets it). */
typedef enum {
    UI_EDIT_ITEM, UI_EDIT_LAYER, UI_EDIT_SAVE_PRESET, UI_EDIT_SAVE_MODEL, UI_EDIT_SAVE_NAME, UI_EDIT_SAVE_DESC,
    UI_EDIT_WEIGHT
} ui_edit_kind;

/* The line being edited (mode EDIT): a field of a panel or a prompt (a file name; w's name and
 * description). */
typedef struct {
    ui_edit_kind kind;
    int panel;                  /* ITEM: the panel (ui_panel_id) whose field it is */
    char key[96];               /* ITEM, LAYER, SAVE_NAME, SAVE_DESC: the dotted preset key it sets;
                                   WEIGHT: what the weight is ("W1[0][3], from x into neuron 3, layer 1") */
    int wt[3];                  /* WEIGHT: layer (0-based), input i (-1: the bias), neuron j */
    ui_field field;
    char msg[NN_ERRMSG];        /* the validator's answer (or the prompt's hint), as typed */
    bool ok;                    /* the text would be accepted */
    int step;                   /* the prompts of w: 1..3 of a changed experiment's save, 0 otherwise */
    char note[320];             /* SAVE_NAME, SAVE_DESC: what changed since the experiment was opened */
} ui_edit;

/* True for the kinds drawn as a prompt over the panels (the file names, w's name and description). */
static inline bool ui_edit_is_prompt(ui_edit_kind k)
{
    return k == UI_EDIT_SAVE_PRESET || k == UI_EDIT_SAVE_MODEL || k == UI_EDIT_SAVE_NAME || k == UI_EDIT_SAVE_DESC ||
           k == UI_EDIT_WEIGHT;
}

/* What the panels and views draw from. Built by app.c for each frame and each key; every pointer
 * is borrowed and read-only. */
typedef struct {
    const ui_theme *th;
    const nn_preset *draft;         /* the configuration the panels edit */
    const ui_snapshot *snap;        /* the worker's last snapshot */
    const nn_epoch_stats *hist;     /* (hist_len) the run's epochs so far */
    const double *series;           /* (3, hist_cap): the train, val and test loss of hist */
    int hist_len, hist_cap;
    const ui_views *views;          /* the views' selections and the previous run's curves */
    const ui_pins *pins;            /* the pinned runs (P): the Loss overlay, the Compare view */
    const ui_layout *lay;
    ui_rect frame;                  /* the frame of the view slot being drawn or given a key (the
                                       views' geometry: a page, a click's place) */
    int focus;                      /* the focused panel (ui_panel_id) */
    bool logy;                      /* the loss charts' log scale */
    const ui_edit *edit;            /* the line being edited, or NULL */
    const char *msg;                /* the status bar's message while it shows, or NULL */
    bool msg_err;                   /* msg is an error */
    double msg_since;               /* when msg was shown (ui_now): tells one message from the next */
} ui_model;

/* The frame of the view slot m is for: m->frame, or (a model built without it) the first slot's. */
static inline ui_rect ui_model_frame(const ui_model *m)
{
    if (m->frame.w > 0)
        return m->frame;
    return m->lay ? m->lay->panel[UI_P_CONFUSION] : ui_rect_make(0, 0, 0, 0);
}

/* ---- what a key asks for ---- */

enum { UI_REDRAW = 1u };            /* a key handler's bits: the frame must be drawn again */

typedef enum {
    UI_INTENT_NONE,
    UI_INTENT_MESSAGE,    /* show text in the status bar (err: as an error) */
    UI_INTENT_SET_KEY,    /* key = text through the validator: the learning rate and regularisation
                             go to the running experiment, other keys apply (asking once training
                             has begun) */
    UI_INTENT_EDIT,       /* open the line editor (edit: UI_EDIT_ITEM or UI_EDIT_LAYER) on key with
                             text; panel: the panel whose field it is; UI_EDIT_WEIGHT: on the weight
                             arg[0] layer, arg[1] input (-1 bias), arg[2] neuron, key its description */
    UI_INTENT_APPLY,      /* preset becomes the configuration (asking once training has begun);
                             text: what changes ("architecture") */
    UI_INTENT_TOGGLE_LOG, /* the loss charts' log / linear scale */
    UI_INTENT_RACE,       /* race every optimizer on the draft (asking once training has begun) */
    UI_INTENT_END_RACE,   /* back to training one network */
    UI_INTENT_TRACE,      /* the step-through selection: arg = sample, layer, i, j */
    UI_INTENT_FEATURES,   /* the Boundary view's axes: arg[0] x, arg[1] y; arg[2] = 1: a choice of the
                             user (remembered in ui_views once the worker took it, else a message) */
    UI_INTENT_CELL,       /* the Confusion view's selected cell: arg[0] actual, arg[1] predicted (-1: none) */
    UI_INTENT_LOAD,       /* open the preset named text (asking once training has begun) */
    UI_INTENT_REPORT,     /* write the report of the run now into PRESET-report/ (report/) */
    UI_INTENT_UNITS,      /* the Neurons view's maps: arg[0] 1 on, 0 off; arg[1] layer, arg[2] first unit
                             (remembered in ui_views once the worker took it) */
    UI_INTENT_PICTURE,    /* the Network view's picture of first-layer unit arg[0] (-1: none) */
    UI_INTENT_CLOSE,      /* close the overlay */
    UI_INTENT_UNPIN       /* the Compare view: remove pin arg[0] (an index into the pins, oldest first) */
} ui_intent_kind;

typedef struct {
    ui_intent_kind kind;
    bool err;                       /* MESSAGE */
    ui_edit_kind edit;              /* EDIT */
    int panel;                      /* EDIT */
    int arg[4];                     /* TRACE, FEATURES, UNITS, CELL, EDIT of a WEIGHT */
    char key[96];                   /* SET_KEY, EDIT */
    char text[UI_FIELD_MAX];        /* MESSAGE, SET_KEY, EDIT, APPLY, LOAD */
    const nn_preset *preset;        /* APPLY: borrowed from the panel's state until the intent is acted on */
} ui_intent;

/* out becomes a MESSAGE intent with the formatted text. Returns UI_REDRAW. */
unsigned ui_intent_message(ui_intent *out, bool err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* out becomes a SET_KEY (or, with kind UI_INTENT_EDIT, an EDIT) intent for key and text. */
unsigned ui_intent_key(ui_intent *out, ui_intent_kind kind, const char *key, const char *text);

/* ---- panels ---- */

typedef struct ui_panel ui_panel;

/* What a panel does; every hook but draw may be NULL. r is the inside of the panel's frame. */
typedef struct {
    void (*prepare)(ui_panel *p, const ui_model *m, ui_rect r);      /* before draw */
    void (*draw)(const ui_panel *p, ui_grid *g, ui_rect r, const ui_model *m);
    unsigned (*key)(ui_panel *p, const ui_model *m, ui_cmd c, ui_intent *out);
    /* a click at (x, y) inside r, the panel just focused */
    void (*click)(ui_panel *p, const ui_model *m, ui_rect r, int x, int y);
    /* the line a collapsed panel shows after its title ("iris, 150 rows") */
    void (*summary)(const ui_model *m, char *out, size_t n);
} ui_panel_class;

/* Every panel's state starts with this. */
struct ui_panel {
    const ui_panel_class *cls;
    int id;                         /* ui_panel_id */
};

/* prepare (if any), then draw. */
void ui_panel_draw(ui_panel *p, ui_grid *g, ui_rect r, const ui_model *m);
/* The panel's key handler; 0 (and no intent) if it has none. out is cleared first. */
unsigned ui_panel_key(ui_panel *p, const ui_model *m, ui_cmd c, ui_intent *out);

/* Dataset and Hyperparameters: a list of preset fields (items.c). */
#define UI_MAX_ITEMS 48

/* TOGGLES: a list of names each on or off (dataset.features): Left/Right pick one, Enter turns it on or off. */
typedef enum { UI_ITEM_NUMBER, UI_ITEM_TEXT, UI_ITEM_CHOICE, UI_ITEM_BOOL, UI_ITEM_INFO, UI_ITEM_TOGGLES } ui_item_kind;

/* One line of a list panel. */
typedef struct {
    ui_item_kind kind;
    char label[40];
    char key[96];                       /* dotted preset key; "" for INFO */
    const char *choices[24];            /* CHOICE, TOGGLES */
    int n_choices;
    char info[160];                     /* INFO: the text */
} ui_item;

typedef struct {
    ui_panel base;
    int (*build)(const ui_model *m, ui_item *out, int max);   /* its lines for the model */
    int cursor, scroll;
    int sub;                            /* TOGGLES: the name picked on the cursor's line */
    double msg_at;                      /* the error message last seen (its msg_since) ... */
    int msg_line;                       /* ... and the line the cursor was on: the error takes the
                                           hint's place while the cursor stays there */
    int n_items;
    ui_item items[UI_MAX_ITEMS];        /* built for the last model seen */
} ui_list_panel;

/* Architecture (panel_arch.c). */
typedef struct {
    ui_panel base;
    int cursor, scroll;
    int col;                            /* 0 units, 1 activation, 2 init, 3 distribution */
    nn_preset next;                     /* the layers an APPLY intent proposes */
} ui_arch_panel;

/* A view slot (panel_views.c): one view at a time; the lower right one (UI_P_CONFUSION) and, from
 * UI_TWO_VIEWS_W columns, the second beside it (UI_P_VIEW2), which shares the first's state. */
typedef struct {
    ui_panel base;
    int view;                           /* ui_view_id */
    ui_views views;                     /* the views' own state */
    ui_views *shared;                   /* the state used instead of views (the second slot), or NULL */
} ui_slot_panel;

/* The Architecture panel's two hints under the layers while it has the focus (i 0 or 1), for w columns:
 * the keys in a shorter form where the wide one would wrap ("K/J" and "move" split at 80 columns). */
const char *ui_arch_hint(int i, int w);

extern const ui_panel_class ui_dataset_class, ui_hparams_class, ui_arch_class, ui_loss_class, ui_slot_class;

/* ---- views ---- */

/* Bits of ui_view_def.needs: the snapshot's sections a view reads, besides its status part. */
enum {
    UI_NEED_INFO = 1u << 0, UI_NEED_EVAL = 1u << 1, UI_NEED_BOUNDARY = 1u << 2, UI_NEED_FIT = 1u << 3,
    UI_NEED_HEALTH = 1u << 4, UI_NEED_TRACE = 1u << 5, UI_NEED_EVENTS = 1u << 6, UI_NEED_RACE = 1u << 7,
    UI_NEED_NET = 1u << 8, UI_NEED_UNITS = 1u << 9, UI_NEED_SAMPLES = 1u << 10,
    UI_NEED_PICTURE = 1u << 11
};

/* One view of the slot. Its key (and help line) is its row in viewlist.h. */
typedef struct {
    const char *title;                  /* "Boundary": the slot's title */
    const char *tab;                    /* "Bound": its tab in the slot's title strip */
    unsigned needs;                     /* UI_NEED_* */
    /* before draw: bring the selection in line with the snapshot */
    void (*prepare)(ui_views *v, const ui_model *m);
    void (*draw)(ui_grid *g, ui_rect r, const ui_model *m);   /* the views' state: m->views */
    /* the keys bound to the slot (UI_CTX_PANEL(UI_P_CONFUSION)) and the moving keys */
    unsigned (*key)(ui_views *v, const ui_model *m, ui_cmd c, ui_intent *out);
    /* after a snapshot and when the view is picked: what to ask the worker for */
    void (*sync)(ui_views *v, const ui_model *m, ui_intent *out);
    /* a click at (x, y) inside r */
    void (*click)(ui_views *v, const ui_model *m, ui_rect r, int x, int y);
} ui_view_def;

#define UI_VIEW_DECL_(id, name, key, label, help) extern const ui_view_def ui_##name##_view;
UI_VIEW_ROWS(UI_VIEW_DECL_)
#undef UI_VIEW_DECL_

/* The definition of view v (clamped into range). */
const ui_view_def *ui_view(int v);

/* panel_views.c: the slot */
/* The slot's title for view v: the view's, or "Fit" for Confusion once a regression has a result. */
const char *ui_view_name(int v, const ui_snapshot *s);
/* The view a freshly loaded preset opens on: its ui.view when given, else Lesson if it has one, else
 * Boundary when the data has a picture, else Confusion. */
int ui_view_default(const nn_preset *draft, const ui_snapshot *s);
/* The view the second slot shows beside v when the user has not picked one: for data drawn in the
 * Boundary view Boundary and Neurons, for image data Confusion and Samples, else Confusion and Health
 * (a 1-D fit: Boundary and Health, the Fit being the same curve; Lesson beside the preset's first
 * view, Network beside Step). Never v. */
int ui_view_pair(int v, const ui_snapshot *s);
/* Data with 3..UI_VIEW_MAX_FEATURES features has no Boundary picture until two are picked: asks
 * the worker for the pair that best separates the classes (FEATURES -1, -1), once per run. For
 * every view that draws over the Boundary's plane (Boundary, Compare). */
void ui_boundary_ask_features(ui_views *v, const ui_model *m, ui_intent *out);
/* The title strip on the slot's top border: its views with their keys, the current one (view)
 * highlighted by the box's title. */
void ui_view_tabs(ui_grid *g, ui_rect frame, int view, const ui_theme *th, ui_style border);
/* The second slot's hint on its top border while it has the focus: which keys change its view. */
void ui_view2_hint(ui_grid *g, ui_rect frame, int view, const ui_theme *th);
/* The view whose tab is at column x of the strip on frame's top row, or -1. */
int ui_view_tab_at(int view, ui_rect frame, int x);

/* items.c: the list panels' hooks (the lists come from panel_dataset.c and panel_hparams.c) */
void ui_list_prepare(ui_panel *p, const ui_model *m, ui_rect r);
void ui_list_draw(const ui_panel *p, ui_grid *g, ui_rect r, const ui_model *m);
unsigned ui_list_key(ui_panel *p, const ui_model *m, ui_cmd c, ui_intent *out);
void ui_list_click(ui_panel *p, const ui_model *m, ui_rect r, int x, int y);
/* Appends an item (kind, label, preset key) to out[0..max) at *n; NULL when full. */
ui_item *ui_item_add(ui_item *out, int *n, int max, ui_item_kind kind, const char *label, const char *key);
/* The items of a panel from the preset key table (core/preset_schema.c): its keys in the order their
 * rows give, with their labels, those p uses (the current optimizer's parameters, the source's keys). */
int ui_items_from_table(const nn_preset *p, nn_panel panel, ui_item *out, int max);
int ui_dataset_items(const ui_model *m, ui_item *out, int max);
int ui_hparams_items(const ui_model *m, ui_item *out, int max);
/* nn_preset_get through a memo of the last preset's answers; false if the preset lacks key. */
bool ui_items_get(const nn_preset *p, const char *key, char *out, int outlen);
/* The value of key in p, without JSON quotes. */
void ui_items_value(const nn_preset *p, const char *key, char *out, int outlen);
/* Sets key to text (quoted as a JSON string when it is not JSON) on a copy of src. */
nn_status ui_items_try(const nn_preset *src, nn_preset *dst, const char *key, const char *text, nn_error *err);
const char *ui_items_what(const char *key);
/* What nn_preset_set takes for text typed into key's field: the free text of an ABOUT key (the name,
 * the description) as a JSON string (so "42" or "null" stay words); any other text as it is. */
void ui_items_json_text(const char *key, const char *text, char *out, size_t n);   /* "dataset", "split", "architecture", "hyperparameters" */

/* statusbar.c: the bottom line */
void ui_status_draw(ui_grid *g, ui_rect r, const ui_model *m);
/* The status bar's word for Space in state st: Start, Pause (RUNNING), Resume (PAUSED), Continue (DONE). */
const char *ui_space_word(ui_run_state st);
/* The experiment's name on the top row, right-aligned over the rightmost run of border glyphs (at
 * least 8 of them), with " (changed)" when changed and there is room; cut with an ellipsis when
 * long. Nothing when the row has no such run. */
void ui_name_draw(ui_grid *g, const ui_theme *th, const char *name, bool changed);

#endif
