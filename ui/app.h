/* app.h — the interactive trainer's state and the functions its three files share: app.c (the
 * loop, the frame, the worker's snapshots), input.c (keys and the mouse, by mode) and editing.c
 * (the only place that acts on the panels' intents: the draft, the worker, questions, messages).
 * The panels never see this struct: they get a ui_model (panel.h). Main thread only. */
#ifndef UI_APP_H
#define UI_APP_H

#include "grid.h"
#include "keys.h"
#include "layout.h"
#include "overlays.h"
#include "panel.h"
#include "theme.h"
#include "ui.h"
#include "views.h"
#include "worker.h"

#include "preset.h"

#include <stdbool.h>

typedef enum { UI_CONFIRM_NONE, UI_CONFIRM_QUIT, UI_CONFIRM_APPLY, UI_CONFIRM_LOAD, UI_CONFIRM_RACE } ui_confirm_kind;

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
    nn_preset loaded;                   /* the experiment as opened (or last written by w): what the
                                           draft is compared with ("changed", w's questions) */
    nn_preset_origin origin;            /* what the name opened held: a preset, a CSV file, a model */
    char model[NN_PATH_MAX];            /* the model file whose weights were loaded ("": none) */
    int changed;                        /* keys of the draft that differ from loaded (nn_preset_diff) */
    char changes[320];                  /* ... and which ("lr 0.03 -> 0.06, ...") */
    nn_preset changed_for;              /* the draft changed was computed for */
    char term_title[192];               /* the terminal's title as last set ("" none yet) */
    double msg_since;                   /* when the message was shown */
    ui_run_state msg_state;             /* the run's state when the message was shown: a message goes
                                           when the run starts, pauses or ends after it */
    nn_preset scratch;                  /* a trial copy of the draft (an edit before it is accepted) */
    ui_worker *w;
    int wake_r, wake_w;
    ui_snapshot snap;
    uint64_t seen_seq;
    uint64_t notice_seq;                /* the last worker notice shown */
    nn_epoch_stats *hist;               /* (hist_cap) copy of the worker's history */
    int hist_len, hist_cap;
    uint64_t hist_run;
    char hist_name[sizeof ((nn_preset *)0)->name];   /* the preset (loaded.name) the run of hist is of */
    double *series;                     /* (3, hist_cap) train, val, test loss */

    /* the panels (ui_app_init wires them) */
    ui_list_panel dataset, hparams;
    ui_arch_panel arch;
    ui_panel loss;
    ui_slot_panel slot;                 /* the lower right slot: slot.view, slot.views */
    ui_pins pins;                       /* the pinned runs (P; pins.h): owned here, main thread */
    ui_slot_panel slot2;                /* the second slot beside it (UI_TWO_VIEWS_W columns on):
                                           slot2.view; its views' state is slot.views */
    bool view2_set;                     /* the user picked slot2's view (v in it); else it is
                                           ui_view_pair of slot.view */
    ui_panel *panel[UI_P_COUNT];        /* by ui_panel_id */
    bool view_pick;                     /* pick the view for the next preset once it has loaded */

    ui_edit edit;                       /* the line being edited (mode EDIT) */

    /* a yes/no question, and what to do on yes */
    ui_confirm_kind confirm;
    char confirm_text[256];
    bool recording;                     /* runs are recorded (ui_worker_record): the quit question says so */
    nn_preset pending;                  /* APPLY/LOAD: the preset to load on yes */
    nn_preset save;                     /* w: the name and description its prompts collect */
    nn_preset_origin pending_origin;    /* LOAD: what the name held */
    char pending_model[NN_PATH_MAX];    /* LOAD of a model file: its path */
    ui_mode confirm_back;               /* mode to return to on no */

    ui_picker picker;
    ui_help help;

    int pace_asked;                     /* the pace last sent to the worker (< and >) */
    bool pace_pending;                  /* ... and not yet in a snapshot: the next key steps from it */

    char msg[NN_ERRMSG];                /* transient message in the status bar */
    bool msg_err;
    double msg_until;                   /* monotonic seconds */
} ui_app;

/* ---- app.c ---- */
/* Brings changed and changes in line with the draft (computed again only when the draft moved). */
void ui_app_update_changed(ui_app *a);
/* A zeroed app with its panels wired (a->panel[]); the rest is up to the caller. */
void ui_app_init(ui_app *a);
/* What the panels draw from, as of now (the message only while it shows). */
ui_model ui_app_model(const ui_app *a);
/* A new run began (snapshot.run changed): the history starts again, the previous run's curves stay
 * as the Loss chart's ghost when the run is of the same preset (a reset, new weights, a changed
 * setting), and go when another was opened (issue 14: they carried into a different preset). */
void ui_app_new_run(ui_app *a);
/* Lays the panels out again for the terminal's size (getmaxyx) and marks the frame dirty. */
void ui_app_relayout(ui_app *a);
/* The rows, frame included, the Dataset, Architecture and Hyperparameters panels want for the draft
 * (their lines, two for the hint under a list, the frame). */
void ui_app_left_need(const ui_app *a, int need[3]);
/* The panels laid out for a->cols x a->lines and the draft's left panels (ui_app_left_need). */
void ui_app_layout(ui_app *a);
/* The second slot is on the screen (UI_TWO_VIEWS_W columns on, not zoomed on another panel). */
bool ui_app_two_views(const ui_app *a);
/* slot2 shows the pair of slot.view unless the user picked another (never slot.view). */
void ui_app_pair_view(ui_app *a);
/* The model for view slot p (UI_P_CONFUSION or UI_P_VIEW2): frame is that slot's. */
ui_model ui_app_slot_model(const ui_app *a, int p);
double ui_now(void);

/* P: pins the current run (its curves, figures, preset, boundary), with a message. */
void ui_app_pin(ui_app *a);

/* ---- input.c ---- */
/* One getch() value, by mode (keys.h's dispatch): the quit rules, the overlays, the panels. */
void ui_app_on_key(ui_app *a, int key);
/* Offers c to panel p and acts on its intent; the frame is marked dirty when the panel asks. */
void ui_app_panel_key(ui_app *a, int p, ui_cmd c);
/* The slot shows view v (wrapped into range), and gets the focus. */
void ui_app_show_view(ui_app *a, int v);
/* Calls the shown view's sync hook (after a snapshot or a change of view) and acts on its intent. */
void ui_app_sync_view(ui_app *a);

/* ---- editing.c ---- */
void ui_app_message(ui_app *a, bool err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
bool ui_app_training_begun(const ui_app *a);
/* Acts on what a panel, a view or an overlay asked for. */
void ui_app_act(ui_app *a, const ui_intent *in);
/* Applies p as the new configuration: directly when training has not begun, else after asking.
 * what: "architecture", "dataset", ... for the question. */
void ui_app_apply(ui_app *a, const nn_preset *p, const char *what);
/* Sets key to text in the draft through the validator (training.epochs typed 0, inf or ∞ is
 * "forever"): once training has begun, every key of training goes to the running experiment (no
 * reset, a marker on the Loss chart), other keys through ui_app_apply; errors become a message. */
void ui_app_commit_key(ui_app *a, const char *key, const char *text);
/* Opens the line editor (mode EDIT) on key with initial text, validated at once. */
void ui_app_begin_edit(ui_app *a, ui_edit_kind kind, const char *key, const char *initial);
/* The line editor's keys (insert, delete, move, Enter commits, Esc cancels). */
void ui_app_edit_key(ui_app *a, ui_cmd c);
/* A weight typed into the editor (UI_EDIT_WEIGHT): a number (spaces around it allowed) that is a
 * finite float. false: why (one line) says what is wrong. */
bool ui_weight_parse(const char *text, double *value, char *why, size_t cap);
/* Loads the draft into the worker; false (with a message) when the worker is busy. */
bool ui_app_load_draft(ui_app *a);
/* Starts a race of every optimizer on the draft (ui_worker_race), with a message. */
void ui_app_race(ui_app *a);
/* The learning rate times factor (+ and -), also while training. */
void ui_app_change_lr(ui_app *a, double factor);
/* New initial weights from the next seed (R). */
void ui_app_reseed(ui_app *a);
/* After a reset or reseed was queued: the UI's copy of the state reads READY until the worker publishes,
 * so that Space right after r starts the new run (it continued the finished one, which the reset ended). */
void ui_app_reset_sent(ui_app *a);
/* Space after DONE: another training.epochs epochs from the current weights. */
void ui_app_continue(ui_app *a);
/* The pace one step faster (dir > 0, >) or slower (<), from the last one asked for; with a message. */
void ui_app_step_pace(ui_app *a, int dir);
/* The pace the next preset opens at: --pace, or the preset's own. */
void ui_app_preset_pace(ui_app *a);
/* n: new data from the next data seed (dataset.seed), a live edit once training has begun (the
 * weights stay), else a reload; refused in a race and when a lesson locks the key. */
void ui_app_new_data(ui_app *a);
/* The prompts of w (preset) or m (model): the file name, with a name from the preset's; for w of an
 * experiment that changed since it was opened, its name and description first (prefilled, with what
 * changed), so that a changed experiment is not saved under its old words. */
void ui_app_save_prompt(ui_app *a, ui_edit_kind kind);
/* Opens name (a preset, a CSV file or a model file: nn_preset_open) as the new experiment: at once
 * before training, else after asking. */
void ui_app_open(ui_app *a, const char *name);
/* The experiment opened (or written): the draft becomes the reference of "changed". */
void ui_app_opened(ui_app *a);
/* The answer y (yes) or n to the question (mode CONFIRM). */
void ui_app_confirm(ui_app *a, bool yes);

#endif
