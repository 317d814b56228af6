/* worker.h — the training thread behind the UI. A ui_worker owns one nn_trainer on its own
 * thread (built there: loading a large dataset takes a while) and drives it from commands.
 *
 * Threads:
 *  - Commands go through a small fixed ring under a mutex + condvar. The worker drains it at
 *    batch boundaries and waits on the condvar while READY, PAUSED, DONE, DIVERGED or ERROR:
 *    an idle worker uses no CPU. Pause takes effect within one batch.
 *  - The worker publishes a ui_snapshot (fixed size, no pointers) after each epoch, at most
 *    ~25 times a second within an epoch, and always on a state change (loaded, paused,
 *    finished, reset, error). Publish = lock, copy the status part and the sections that changed,
 *    seq++, unlock, then one byte to wake_fd.
 *  - The UI copies the snapshot under the same mutex when seq changed (ui_worker_snapshot): the
 *    status part and the sections whose seq moved. It draws from its private copy and never
 *    touches the live trainer.
 *  - The loss history is append-only, preallocated to the run's epochs: the UI copies only
 *    the tail it has not seen (ui_worker_history). It starts over when snapshot.run changes.
 *  - The worker thread starts with SIGINT, SIGTERM, SIGWINCH, SIGHUP, SIGQUIT, SIGPIPE, SIGTSTP
 *    and SIGCONT blocked, so signals go to the UI thread. It never calls exit or abort, and
 *    never calls curses.
 * Every function below is called from the UI thread (any one thread), never from the worker. */
#ifndef UI_WORKER_H
#define UI_WORKER_H

#include "error.h"
#include "preset.h"
#include "snapshot.h"
#include "trainer.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    UI_CMD_START,      /* READY/PAUSED -> RUNNING */
    UI_CMD_PAUSE,      /* RUNNING -> PAUSED (also cancels a pending step) */
    UI_CMD_TOGGLE,     /* RUNNING -> PAUSED; READY/PAUSED -> RUNNING */
    UI_CMD_STEP_EPOCH, /* run to the end of the current epoch, then PAUSED (or DONE) */
    UI_CMD_STEP_BATCH, /* one batch, then PAUSED (or DONE) */
    UI_CMD_RESET,      /* epoch 0 with the same initial weights and shuffles -> READY */
    UI_CMD_RESEED,     /* epoch 0 with weights drawn from a new seed -> READY */
    UI_CMD_SET_LR,     /* base learning rate from the next batch on; state unchanged */
    UI_CMD_LOAD,       /* rebuild the trainer from a new preset -> LOADING -> READY or ERROR */
    UI_CMD_CONTINUE,   /* DONE -> RUNNING: another training.epochs epochs from the current weights */
    UI_CMD_SET_PACE,   /* epochs per second (arg: 1..200, 0 = max, UI_PACE_PRESET); state unchanged */
    UI_CMD_QUIT,       /* the worker thread ends (ui_worker_destroy does this itself) */
    /* with a payload: only through their own functions below (ui_worker_command refuses them) */
    UI_CMD_SAVE_MODEL,     /* ui_worker_save_model */
    UI_CMD_TRACE,          /* ui_worker_trace */
    UI_CMD_SET_PARAM,      /* ui_worker_set_param */
    UI_CMD_RACE,           /* ui_worker_race */
    UI_CMD_VIEW_FEATURES,  /* ui_worker_view_features */
    UI_CMD_REPORT,         /* ui_worker_report */
    UI_CMD_UNITS,          /* ui_worker_units */
    UI_CMD_PICTURE,        /* ui_worker_picture */
    UI_CMD_CELL,           /* ui_worker_cell */
    UI_CMD_SET_WEIGHT,     /* ui_worker_set_weight */
    UI_CMD_RECORD,         /* ui_worker_record */
    UI_CMD_COUNT
} ui_cmd_kind;

/* UI_CMD_SET_PACE's argument for "the preset's pace": its ui.pace, or the rule of core/pace.h for
 * auto, now and again at each load (until another pace is set). */
#define UI_PACE_PRESET (-1)

typedef struct ui_worker ui_worker;

/* Copies the preset, publishes a LOADING snapshot and starts the thread, which builds the trainer
 * (nn_trainer_init with threads: 0 = one per core, 1 = no pool) and goes to READY, or to ERROR with
 * the message in the snapshot. wake_fd: the write end of a non-blocking pipe that gets one byte
 * per publish (EAGAIN ignored), or -1; it must stay open until ui_worker_destroy returns.
 * Returns NULL (err set) only if memory or the thread could not be had. */
ui_worker *ui_worker_create(const nn_preset *p, int threads, int wake_fd, nn_error *err);

/* As ui_worker_create, then the weights of the model file model (NULL or "": none) as by
 * ui_worker_load_model, without building the trainer twice. */
ui_worker *ui_worker_create_model(const nn_preset *p, const char *model, int threads, int wake_fd, nn_error *err);

/* Stops the thread (stop flag, wake, join) and frees everything. Safe at any moment, also
 * mid-epoch (it returns after the current batch) or while loading (after the load). NULL is fine. */
void ui_worker_destroy(ui_worker *w);

/* Commands. Each queues one command and returns at once; false if the ring (64) is full (the
 * command is dropped) or w is NULL. Commands that make no sense in the current state are ignored
 * (start while DONE, step while RUNNING ...). Commands sent while LOADING apply after the load. */
bool ui_worker_start(ui_worker *w);
bool ui_worker_pause(ui_worker *w);
bool ui_worker_toggle(ui_worker *w);
bool ui_worker_step_epoch(ui_worker *w);
bool ui_worker_step_batch(ui_worker *w);   /* a selected step-through (ui_worker_trace) is recomputed after it */
bool ui_worker_reset(ui_worker *w);
bool ui_worker_reseed(ui_worker *w, uint64_t seed);
bool ui_worker_set_lr(ui_worker *w, double lr);   /* lr > 0 and finite, else false */
/* A DONE run goes on (nn_trainer_continue): RUNNING for another training.epochs epochs (forever
 * with 0), the history and the x axis go on; an event marks where. Ignored unless DONE. */
bool ui_worker_continue(ui_worker *w);
/* The pace: epochs per second (1..200), 0 = max, or UI_PACE_PRESET. A paced run waits between
 * epochs (on the condvar: commands still act at once) so that each epoch starts 1/pace s after the
 * one before, and publishes every epoch with its view; an epoch that takes longer is not waited
 * for. The numbers are the same at every pace. Steps (s, S) and races are not paced. The worker
 * starts at max; false for a pace outside those values. */
bool ui_worker_set_pace(ui_worker *w, int pace);
/* Rebuilds the trainer from a copy of p (e.g. after an architecture edit). Only the newest
 * preset is kept if several loads are queued before the worker gets to them. */
bool ui_worker_load(ui_worker *w, const nn_preset *p);
/* As ui_worker_load, then the saved model at path model (< NN_PATH_MAX bytes; p is its preset,
 * nn_preset_open). A model with its run state (nn_trainer_state_set) goes on where it stopped, as
 * `train --resume` does (a finished run with another training.epochs epochs); reset returns to epoch
 * 0 of that run. A model without it: READY at epoch 0 with the model's weights, which reset returns
 * to (reseed draws new ones), evaluated at once (has_last, last and the eval section describe them
 * until the first epoch), and a notice that the optimizer starts fresh. A model that does not fit
 * the built trainer leaves the seed's weights, with an error notice. */
bool ui_worker_load_model(ui_worker *w, const nn_preset *p, const char *model);
/* The generic form of the above (for a key table): arg is the lr for SET_LR, the seed for RESEED
 * (exact up to 2^53) and the pace for SET_PACE; other kinds ignore it. UI_CMD_LOAD and the kinds with a payload are
 * refused here. */
bool ui_worker_command(ui_worker *w, ui_cmd_kind kind, double arg);

/* Copies the latest snapshot into *out only if its seq differs from *seen_seq; then sets
 * *seen_seq and returns true. Start with *seen_seq = 0: a snapshot exists from create on. */
bool ui_worker_snapshot(ui_worker *w, ui_snapshot *out, uint64_t *seen_seq);

/* Copies history entries [from, from + max) that exist (entry i is epoch i + 1) into out and
 * returns how many (0 if from >= the history length). run (may be NULL) receives the snapshot.run
 * the entries belong to, so a copy that raced with a reset can be told apart. */
int ui_worker_history(ui_worker *w, nn_epoch_stats *out, int from, int max, uint64_t *run);

/* ---- commands with a payload ----
 * Like the commands above: each queues one command and returns at once; false if w is NULL, an
 * argument is unusable (NULL, empty, or too long for the command), or the ring is full. Results
 * and errors reach the UI as a notice in the snapshot (notice_seq, notice, notice_error). */

/* Saves the trained model (nn_model_save of the trainer's preset, with live changes, network,
 * normalisation and dataset names) to path (< NN_PATH_MAX bytes), between batches or at once
 * when idle. Notice: "model saved to PATH (epoch N)" or the error. */
bool ui_worker_save_model(ui_worker *w, const char *path);

/* Writes the report of the run as it is now (report/: history.csv, the loss curves with the live
 * changes, the confusion matrix, the boundary over the view's features, the network, report.pdf)
 * into the folder dir (< NN_PATH_MAX bytes; made if missing, its parent must exist), between
 * batches or at once when idle. Notice: "report written to DIR/ (N files)" or the error. */
bool ui_worker_report(ui_worker *w, const char *dir);
/* As ui_worker_report, with up to UI_REPORT_CURVES other runs' loss curves on loss.svg/png (the
 * pinned runs): curve k is named name[k] and has len[k] values, loss[k][i] after epoch (i + 1) *
 * step[k] (NAN: none). The curves are copied. false: too many, no memory, or the ring is full. */
#define UI_REPORT_CURVES 6
bool ui_worker_report_curves(ui_worker *w, const char *dir, int n, const char *const *name, const double *const *loss,
                             const int *len, const int *step);

/* Selects the step-through of the train_index-th training row (0..n_train-1) and the weight
 * W[i][j] of layer (0-based; i = NN_HEALTH_BIAS for the bias b[j]); see ui_trace for when it
 * is computed. After ui_worker_step_batch it is recomputed with the new weights. A negative
 * train_index clears the selection. Out-of-range values give an error notice and clear it. */
bool ui_worker_trace(ui_worker *w, int train_index, int layer, int i, int j);

/* Changes one preset key of the running experiment from the next batch on, in any state with a
 * trainer (nn_trainer_set_param: the live keys of the preset schema, training.optimizer.learning_rate
 * (the same as ui_worker_set_lr) and training.regularization.method, .lambda, .r, .dropout). The
 * value is read as by nn_preset_set. Records an event ("lambda 0 -> 0.001") and gives a notice;
 * other keys, locked keys (lesson.locked) and bad values give an error notice and change nothing.
 * Reset keeps the change (it is part of the trainer's preset); load starts from the loaded preset. */
bool ui_worker_set_param(ui_worker *w, const char *key, const char *value);

/* Starts a race: one trainer per entry of optimizers (a comma-separated list as for `nnterm race`,
 * "sgd,adam:0.01"; NULL or "" = the default race, nn_race_default_name), each from a copy of p with
 * nn_race_apply of its entry, so all start from the same weights and shuffles. The current run
 * is dropped (LOADING, then READY, or ERROR if a trainer cannot be built); a list that does not
 * parse gives an error notice and keeps the current run. Then start trains them round-robin,
 * one epoch each in turn, and the race ends DONE when every one is DONE or DIVERGED. The trainers
 * share one copy of the dataset (nn_trainer_init_shared). Loads and races queued together: the
 * newest wins. */
bool ui_worker_race(ui_worker *w, const nn_preset *p, const char *optimizers);

/* Turns on the Boundary (or Surface) view for data with 3..UI_VIEW_MAX_FEATURES features, over
 * x = feature fx and y = feature fy, every other feature held at its mean; fx or fy < 0: the two
 * features that best separate the classes on the training split (nn_probe_best_pair). The grid is computed
 * at once with the current weights, then like any view (every epoch ...). The choice is kept
 * across reset and load (back to 0 and 1 when it does not fit the new data). Bad indices, 2 or
 * fewer features, a race: an error notice and nothing changes. */
bool ui_worker_view_features(ui_worker *w, int fx, int fy);

/* The Neurons view's unit maps (snapshot units): on, they are computed at once with the current
 * weights and then with the Boundary view's grid; off (the view is not shown), no longer computed.
 * layer and first: the page asked for when the network has more than UI_UNIT_MAX units. */
bool ui_worker_units(ui_worker *w, bool on, int layer, int first);

/* The Network view's picture (snapshot picture) of first-layer unit `unit` of image data, copied
 * with the network's weights from now on; -1: none. */
bool ui_worker_picture(ui_worker *w, int unit);
/* Selects the confusion cell (actual a, predicted p; a < 0: none): from the next publish the eval
 * section lists the test rows behind it (ui_snap_eval.cell), after every evaluation. Cleared by a
 * load. */
bool ui_worker_cell(ui_worker *w, int a, int p);
/* Sets one weight by hand (nn_trainer_set_weight: W[i][j] of layer, 0-based, or the bias b[j] with
 * i = NN_TRAINER_BIAS) to value, between batches: while READY, PAUSED or DONE, and while RUNNING
 * from the next batch on; the optimizer's state is kept. Then the weights are evaluated at once (the
 * status part's has_edit and edit, until the next epoch ends), the views (Boundary, Neurons, Network,
 * Samples, the step-through) follow, an event marks it on the loss chart ("W1[0][3] 0.52 -> 1") and a
 * notice gives the losses before and after. A race, a diverged run, a bad index or a value that is not
 * a finite float: an error notice, nothing changes. false: value not finite, or the ring is full. */
bool ui_worker_set_weight(ui_worker *w, int layer, int i, int j, double value);
/* Records every run from now on into the folder dir (< NN_PATH_MAX bytes; made with its parents when
 * the first record is written; "" : no records, the default): a run goes from its first batch after
 * a load, reset, reseed or DONE to DONE, a divergence, a reset, reseed, load, race or the worker's
 * end, and leaves one record (core/record.h) if it trained an epoch, with the live changes since the
 * last load or reset for `nnterm verify` to make again. A failed write: one error notice naming the
 * path, and no more records. */
bool ui_worker_record(ui_worker *w, const char *dir);

#endif
