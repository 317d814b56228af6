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
#include "explain.h"
#include "health.h"
#include "metrics.h"
#include "network.h"
#include "preset.h"
#include "race.h"
#include "trace.h"
#include "trainer.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    UI_RUN_LOADING,    /* the trainer is being built (dataset read, network allocated) */
    UI_RUN_READY,      /* built or reset, epoch 0, waiting for start */
    UI_RUN_RUNNING,    /* training batches */
    UI_RUN_PAUSED,     /* stopped between batches; start or step resumes */
    UI_RUN_DONE,       /* all epochs (or early stopping); reset, reseed or load to go again */
    UI_RUN_DIVERGED,   /* NaN/Inf; message says where; reset, reseed or load to go again */
    UI_RUN_ERROR,      /* the preset could not be built; message says why; load another */
    UI_RUN_COUNT
} ui_run_state;

/* "LOADING", "READY", "RUNNING", "PAUSED", "DONE", "DIVERGED", "ERROR"; "?" out of range. */
const char *ui_run_state_word(ui_run_state s);

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
    UI_CMD_QUIT,       /* the worker thread ends (ui_worker_destroy does this itself) */
    UI_CMD_COUNT
} ui_cmd_kind;

/* What the snapshot's view area holds, decided by the dataset. */
typedef enum {
    UI_VIEW_NONE,      /* more than 2 features (iris, MNIST) until ui_worker_view_features picks two (at most
                          UI_VIEW_MAX_FEATURES features); 1-feature classification: no picture */
    UI_VIEW_BOUNDARY,  /* 2+ features, classification: grid_class + grid_conf (probability 0..1) over
                          features fx, fy (the others at their mean) */
    UI_VIEW_SURFACE,   /* 2+ features, regression: grid_conf = (yhat - grid_vmin) / (grid_vmax - grid_vmin) */
    UI_VIEW_CURVE      /* 1 feature, regression (sine): curve_x/curve_y, points are (x, target) */
} ui_view_kind;

#define UI_GRID_W 96        /* decision-boundary grid, columns */
#define UI_GRID_H 64        /* rows */
#define UI_MAX_POINTS 512   /* data points in the snapshot */
#define UI_CURVE_MAX 128    /* fitted-curve points (1-D regression) */
#define UI_VIEW_MAX_FEATURES 64   /* the most features a boundary is drawn for (two chosen, others at the mean) */
#define UI_FIT_MAX 256      /* predicted-versus-actual pairs (regression) */

typedef struct {
    float x, y;         /* original units: features 0 and 1, or (feature 0, target 0) for UI_VIEW_CURVE */
    int16_t cls;        /* class (classification), 0 otherwise */
    uint8_t is_test;    /* 1: from the test split, 0: from the training split */
} ui_point;

typedef struct {
    int in, out;
    int act;            /* nn_act; nn_act_name() gives its name */
} ui_layer_info;

#define UI_WARN_MAX 8        /* health warnings in the snapshot */
#define UI_EVENT_MAX 32      /* live-change markers in the snapshot */
#define UI_EVENT_LEN 48
#define UI_TRACE_VEC 64      /* values kept per vector (per layer) in the step-through copy */
#define UI_RACE_HIST 256     /* loss points kept per optimizer in a race */
#define UI_NET_DIM 64        /* Network view: rows (inputs) and columns (neurons) kept per layer */

/* A live change during a run (ui_worker_set_lr, ui_worker_set_param), for a marker on the loss
 * chart at x = epoch + batch / n_batches. */
typedef struct {
    int epoch;               /* completed epochs when it happened */
    int batch;               /* next batch of the epoch then (0..n_batches) */
    char what[UI_EVENT_LEN]; /* ASCII, e.g. "lr 0.03 -> 0.06", "lambda 0 -> 0.001", "dropout 0.2 -> 0" */
} ui_event;

/* The step-through of one training sample and one weight (ui_worker_trace), copied out of
 * nn_health_trace / nn_health_step (core/trace.h, core/explain.h) into fixed arrays. A vector
 * longer than UI_TRACE_VEC keeps its first UI_TRACE_VEC values; its true length is in n_inputs /
 * out[l]. Computed when the selection arrives while READY, PAUSED, DONE or DIVERGED, and again every
 * time the run stops (pause, the end of a step-batch or step-epoch, done, reset), so stepping one
 * batch at a time shows the numbers change. Not while RUNNING. A section of the snapshot: seq as for
 * the others. */
typedef struct {
    uint64_t seq;
    bool valid;              /* false: nothing selected, or the selection failed (the notice says why) */
    int index;               /* k: the k-th training row (0..n_train-1) */
    int row;                 /* its dataset row (split.train[k]) */
    int label;               /* its class (classification), else -1 */
    int layer, i, j;         /* the weight explained: W[i][j] of layer (0-based); i == NN_HEALTH_BIAS: b[j] */
    int epoch, batch;        /* the trainer's position (completed epochs, next batch) when computed */
    int n_inputs, n_layers;
    int in[NN_MAX_LAYERS], out[NN_MAX_LAYERS];
    int act[NN_MAX_LAYERS];  /* nn_act */
    int loss;                /* nn_loss */
    double loss_value;       /* this sample's loss */
    int n_y;                 /* outputs (targets) */
    float x[UI_TRACE_VEC];   /* the features as the network sees them (normalised) */
    float y[UI_TRACE_VEC];   /* the target as the loss sees it (one-hot, 0/1, or standardised) */
    float z[NN_MAX_LAYERS][UI_TRACE_VEC];      /* pre-activation of layer l */
    float a[NN_MAX_LAYERS][UI_TRACE_VEC];      /* activation (the last layer's: the output, e.g. probabilities) */
    float delta[NN_MAX_LAYERS][UI_TRACE_VEC];  /* dL/dz */
    double a_prev_i;         /* what the weight multiplies: x[i] (layer 0) or a[layer-1][i]; 1 for a bias */
    double delta_j;          /* delta[layer][j] */
    double grad;             /* this sample's dL/dW[i][j] = a_prev_i * delta_j (dL/db[j] = delta_j) */
    double penalty_grad;     /* the regularisation term of the gradient (nn_health_penalty_grad; 0 for
                                a bias or without regularisation) */
    double batch_grad;       /* the parameter's gradient in the last training batch (penalty and clipping
                                included); NAN before the first batch of the run */
    nn_health_step step;     /* the optimizer's next step on this parameter with gradient
                                grad + penalty_grad (what training adds, except clipping):
                                step.lines[0..step.n_lines) are the formulas with the numbers filled in */
} ui_trace;

/* One optimizer of a race (ui_worker_race). */
typedef struct {
    char name[32];           /* the race entry as given: "adam", "sgd:0.1" */
    int optimizer;           /* nn_opt_kind */
    double lr;
    ui_run_state state;      /* READY (no batch yet), RUNNING (started, not finished: also while the race
                                is paused), DONE, DIVERGED, or ERROR (a step failed; message says why) */
    int epoch;               /* completed epochs */
    double train_loss, val_loss, test_loss, test_acc;   /* the last epoch's; NAN before the first */
    double final_test_loss, final_test_acc;   /* DONE: the final weights' (the best ones with early
                                                 stopping), as nn_trainer's final_stats; else NAN */
    char message[160];       /* DIVERGED / ERROR: why */
    int hist_len;            /* points in loss[] */
    int hist_step;           /* epochs per point: 1, then 2, 4, ... (halved when full) */
    float loss[UI_RACE_HIST];/* point p is the loss after epoch (p + 1) * hist_step: the val loss,
                                or the train loss when there is no val split (race_loss_is_val) */
} ui_race_entry;

/* ---- the snapshot -------------------------------------------------------------------------------
 * Everything the UI draws, as one plain fixed-size struct without pointers: a small status part
 * that every publish copies, then one section per subject (the run's data and network, the test
 * metrics, each view's numbers). Each section opens with its own seq, which moves when the worker
 * changes the section, so a publish copies only the sections that changed, and ui_worker_snapshot
 * copies only those whose seq moved since the UI's copy. A section's seq is the snapshot seq of the
 * publish that last changed it. */

/* The dataset and the network of the run: set at load (or race), constant until the next one. */
typedef struct {
    uint64_t seq;
    char source[32];
    int task;                  /* nn_task */
    int n_train, n_val, n_test;
    int n_features;
    int n_classes;             /* 0 for regression */
    int n_targets;             /* regression outputs, 0 for classification */
    int k;                     /* classes shown (classification: min(n_classes, NN_MAX_CLASSES)), else 0 */
    char class_names[NN_MAX_CLASSES][NN_NAME_MAX];
    char feature_names[2][NN_NAME_MAX];   /* the first two (the view's axes), "" if absent */
    int n_layers;
    ui_layer_info layers[NN_MAX_LAYERS];
    long n_params;
} ui_snap_info;

/* Test metrics of the last evaluation (valid when the status part's has_last): after each epoch;
 * when DONE they describe the final weights (see final). */
typedef struct {
    uint64_t seq;
    int confusion[NN_MAX_CLASSES * NN_MAX_CLASSES];   /* k x k, confusion[actual * k + predicted] */
    nn_class_metrics metrics;  /* classification */
    nn_reg_metrics reg;        /* regression */
} ui_snap_eval;

/* The Boundary view: decision boundary (2-D), surface (regression) or fitted curve (1-D regression).
 * BOUNDARY and SURFACE are drawn over features fx (x) and fy (y): 0 and 1 for 2-feature data. Data
 * with 3..UI_VIEW_MAX_FEATURES features has no view (NONE) until ui_worker_view_features picks two;
 * then the others are held at their mean over every row, and x_min..y_max, the points and the grid
 * follow. CURVE: fx 0, fy -1. */
typedef struct {
    uint64_t seq;
    ui_view_kind kind;
    int epoch;                 /* the epoch (completed) the grid/curve was computed at, -1 if never */
    float x_min, x_max;        /* the view's range in original units: data range +-5% */
    float y_min, y_max;        /* feature fy (2-D) or the target (1-D curve) */
    int grid_w, grid_h;        /* <= UI_GRID_W, UI_GRID_H; 0 if no grid */
    /* Cell (r, c) at [r * grid_w + c] is the prediction at the cell centre
     * x = x_min + (c + 0.5) * (x_max - x_min) / grid_w,  y = y_max - (r + 0.5) * (y_max - y_min) / grid_h:
     * row 0 is the top (largest y), as drawn on a screen. */
    uint8_t grid_class[UI_GRID_W * UI_GRID_H];   /* predicted class (BOUNDARY), 0 (SURFACE) */
    float grid_conf[UI_GRID_W * UI_GRID_H];      /* BOUNDARY: probability of that class, 0..1; SURFACE:
                                                    (yhat - grid_vmin) / (grid_vmax - grid_vmin) */
    float grid_vmin, grid_vmax;                  /* SURFACE: the range of yhat over the grid */
    int n_points;
    ui_point points[UI_MAX_POINTS];   /* an even sample of the train and test rows */
    int curve_n;                      /* CURVE: points on [x_min, x_max], increasing x */
    float curve_x[UI_CURVE_MAX], curve_y[UI_CURVE_MAX];   /* yhat in original units */
    int fx, fy;                       /* the features on the axes */
    char names[2][NN_NAME_MAX];       /* their names ("" when the dataset has none) */
} ui_snap_boundary;

/* Predicted versus actual (regression, any number of features): an even sample of up to UI_FIT_MAX
 * test rows (training rows when there is no test split), first target, original units; recomputed
 * with the Boundary view (each epoch, ~10 Hz within one). n is 0 for classification and before the
 * first computation. */
typedef struct {
    uint64_t seq;
    int n;
    int epoch;                 /* completed epochs when computed */
    float actual[UI_FIT_MAX], pred[UI_FIT_MAX];
} ui_snap_fit;

/* Health of the network (core/health.h), measured on a training batch right after its step.
 * Each epoch measures its second-to-last batch (then z/a are still that batch's: the last batch
 * ends the epoch and the evaluation overwrites them). With one batch per epoch, or when a
 * step-batch ends an epoch, the finished batch's rows are passed forward again with the new
 * weights and no dropout, and the activation statistics come from that pass (the gradient
 * and update statistics are still the batch's own). Within long epochs a batch is also
 * measured about 10 times a second, and every batch run by ui_worker_step_batch is measured.
 * Not measured in race mode. Cleared on reset, reseed and load. */
typedef struct {
    uint64_t seq;
    bool valid;                /* false before the first measured batch */
    int epoch;                 /* the measured batch: its epoch (1-based) */
    int batch;                 /* ... and its number in that epoch (1-based) */
    nn_health last;            /* the latest measurement */
    nn_health_history hist;    /* one row per completed epoch: its last measured batch */
    int n_warnings;            /* nn_health_warnings of `last` (0: healthy) */
    char warnings[UI_WARN_MAX][NN_HEALTH_WARN_LEN];
} ui_snap_health;

/* Live changes since the last reset or load, oldest first; when full the oldest is dropped. */
typedef struct {
    uint64_t seq;
    int n;
    ui_event list[UI_EVENT_MAX];
} ui_snap_events;

/* The optimizer race (ui_worker_race). In race mode (on): the status part's state, epoch (the fewest
 * completed epochs among the optimizers still training; the most once all are finished), epochs,
 * batch (of the optimizer training now), n_batches, samples_seen (all optimizers), elapsed_s and the
 * info section (dataset, network: the first entry's) describe the race; has_last is false,
 * history_len 0, the Boundary view NONE, no health and no trace: the numbers are in entries.
 * Start, pause, toggle, reset and reseed apply to the race (reseed: every optimizer from the
 * same new weights); step-batch runs one batch of the optimizer whose turn it is; step-epoch
 * runs to the end of the current round (every unfinished optimizer one epoch). set_lr,
 * set_param, trace and save_model are refused with a notice. UI_CMD_LOAD leaves race mode. */
typedef struct {
    uint64_t seq;
    bool on;                   /* race mode */
    int n;                     /* entries, <= NN_RACE_MAX */
    int current;               /* the entry whose turn it is (round robin, one epoch each) */
    bool loss_is_val;          /* entries[].loss holds val losses (else train losses) */
    ui_race_entry entries[NN_RACE_MAX];
} ui_snap_race;

/* The network's parameters for the Network view. Copied at load, at reset and reseed, whenever the
 * run stops (pause, step, done) and with every health measurement, so they follow training at about
 * 10 Hz. Layer l's W (in, out) is pooled to rows[l] = min(in, UI_NET_DIM) rows (inputs) by
 * cols[l] = min(out, UI_NET_DIM) columns (neurons): cell (r, c) at [r * cols[l] + c] holds the
 * weight of largest magnitude (sign kept) in its block of inputs [r * in / rows, (r + 1) * in / rows)
 * and neurons [c * out / cols, (c + 1) * out / cols): exact when in and out are <= UI_NET_DIM. Not
 * filled in race mode (valid false). */
typedef struct {
    uint64_t seq;
    bool valid;
    int epoch, batch;          /* completed epochs and next batch when copied */
    int rows[NN_MAX_LAYERS], cols[NN_MAX_LAYERS];
    float wmax[NN_MAX_LAYERS]; /* max |W| over the whole layer (not only the pooled cells) */
    float w[NN_MAX_LAYERS][UI_NET_DIM * UI_NET_DIM];
    float b[NN_MAX_LAYERS][UI_NET_DIM];   /* bias of column c (largest magnitude of its block) */
    /* Per column, over the rows of the last measured batch (act_rows of them; 0: not measured yet,
     * e.g. after load or reset), from the same forward as health: the mean and (population) std of
     * a, the share of (row, unit) values with z > 0 (relu: 0 means dead), and the share saturated as
     * NN_HEALTH_SAT_EDGE defines it (sigmoid and tanh; 0 for other activations). A pooled column
     * averages its units. */
    int act_rows;
    float amean[NN_MAX_LAYERS][UI_NET_DIM], astd[NN_MAX_LAYERS][UI_NET_DIM];
    float active[NN_MAX_LAYERS][UI_NET_DIM], sat[NN_MAX_LAYERS][UI_NET_DIM];
} ui_snap_net;

typedef struct {
    /* ---- the status part: small, copied by every publish ---- */
    uint64_t seq;              /* bumps on every publish */
    uint64_t run;              /* bumps on reset, reseed and load: history starts over */
    ui_run_state state;
    char message[NN_ERRMSG];   /* ERROR: why loading failed; DIVERGED: the trainer's fault; else "" */

    /* the run */
    char name[128];            /* preset name */
    char file[NN_PATH_MAX];    /* preset file ("builtin:iris.json") */
    uint64_t seed;             /* seed of the current weights */
    int epochs;                /* planned */
    int epoch;                 /* completed epochs */
    int batch, n_batches;      /* next batch of the current epoch, 0..n_batches */
    int batch_size;
    int optimizer;             /* nn_opt_kind */
    int loss;                  /* nn_loss */
    double lr;                 /* current (scheduled) learning rate */
    double base_lr;            /* before the schedule; what UI_CMD_SET_LR changes */
    long samples_seen;         /* since load or reset */
    double samples_per_s;      /* samples_seen / elapsed_s */
    double elapsed_s;          /* time spent training since load or reset (pauses excluded) */
    double eta_s;              /* to the last epoch, from the mean epoch time; 0 when unknown or finished */
    int threads;               /* threads training (the pool's size; 1 without a pool) */

    /* the last completed epoch, and the history */
    bool has_last;             /* false before the first epoch (and after reset) */
    nn_epoch_stats last;
    int history_len;           /* entries available through ui_worker_history */
    bool stopped_early;        /* DONE by early stopping (training.early_stopping.patience) */
    int best_epoch;            /* early stopping: the epoch whose weights were kept; else 0 */
    nn_epoch_stats final;      /* DONE: evaluation of the final weights (the best ones with early
                                  stopping; else the same as last); zero otherwise. The eval
                                  section describes these weights. */

    /* Notices: the one-off results of ui_worker_save_model, ui_worker_set_param, ui_worker_trace,
     * ui_worker_race and of commands refused in race mode. Show notice when notice_seq changes. */
    uint64_t notice_seq;       /* bumps with every notice; never goes back (not even on load) */
    char notice[NN_ERRMSG];    /* "model saved to PATH", "lambda 0 -> 0.01", or what went wrong */
    bool notice_error;         /* true: notice is an error */

    /* ---- the sections: each copied only when its seq moved (info must stay the first) ---- */
    ui_snap_info info;         /* the dataset and the network */
    ui_snap_eval eval;         /* test confusion matrix and metrics */
    ui_snap_boundary boundary; /* the Boundary view */
    ui_snap_fit fit;           /* predicted versus actual */
    ui_snap_health health;     /* the Health view */
    ui_trace trace;            /* the Step view (ui_worker_trace) */
    ui_snap_events events;     /* live-change markers on the loss chart */
    ui_snap_race race;         /* the Race view */
    ui_snap_net net;           /* the Network view */
} ui_snapshot;

typedef struct ui_worker ui_worker;

/* Copies the preset, publishes a LOADING snapshot and starts the thread, which builds the trainer
 * (nn_trainer_init with threads: 0 = one per core, 1 = no pool) and goes to READY, or to ERROR with
 * the message in the snapshot. wake_fd: the write end of a non-blocking pipe that gets one byte
 * per publish (EAGAIN ignored), or -1; it must stay open until ui_worker_destroy returns.
 * Returns NULL (err set) only if memory or the thread could not be had. */
ui_worker *ui_worker_create(const nn_preset *p, int threads, int wake_fd, nn_error *err);

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
/* Rebuilds the trainer from a copy of p (e.g. after an architecture edit). Only the newest
 * preset is kept if several loads are queued before the worker gets to them. */
bool ui_worker_load(ui_worker *w, const nn_preset *p);
/* The generic form of the above (for a key table): arg is the lr for SET_LR and the seed for
 * RESEED (exact up to 2^53); other kinds ignore it. UI_CMD_LOAD is refused here (no preset). */
bool ui_worker_command(ui_worker *w, ui_cmd_kind kind, double arg);

/* Copies the latest snapshot into *out only if its seq differs from *seen_seq; then sets
 * *seen_seq and returns true. Start with *seen_seq = 0: a snapshot exists from create on. */
bool ui_worker_snapshot(ui_worker *w, ui_snapshot *out, uint64_t *seen_seq);

/* Copies history entries [from, from + max) that exist (entry i is epoch i + 1) into out and
 * returns how many (0 if from >= the history length). run (may be NULL) receives the snapshot.run
 * the entries belong to, so a copy that raced with a reset can be told apart. */
int ui_worker_history(ui_worker *w, nn_epoch_stats *out, int from, int max, uint64_t *run);

/* ---- added for issue 6 (teaching tools, live changes, race) and issue 4 (save the model) ----
 * Like the commands above: each queues one command and returns at once; false if w is NULL, an
 * argument is unusable (NULL, empty, or too long for the command), or the ring is full. Results
 * and errors reach the UI as a notice in the snapshot (notice_seq, notice, notice_error). */

/* Saves the trained model (nn_model_save of the trainer's preset, with live changes, network,
 * normalisation and dataset names) to path (< NN_PATH_MAX bytes), between batches or at once
 * when idle. Notice: "model saved to PATH (epoch N)" or the error. */
bool ui_worker_save_model(ui_worker *w, const char *path);

/* Selects the step-through of the train_index-th training row (0..n_train-1) and the weight
 * W[i][j] of layer (0-based; i = NN_HEALTH_BIAS for the bias b[j]); see ui_trace for when it
 * is computed. After ui_worker_step_batch it is recomputed with the new weights. A negative
 * train_index clears the selection. Out-of-range values give an error notice and clear it. */
bool ui_worker_trace(ui_worker *w, int train_index, int layer, int i, int j);

/* Changes one preset key of the running experiment from the next batch on, in any state with a
 * trainer: training.regularization.lambda, .dropout, .r, .method, or
 * training.optimizer.learning_rate (the same as ui_worker_set_lr). The value is read as by
 * nn_preset_set. Records an event ("lambda 0 -> 0.001") and gives a notice; other keys, locked
 * keys (lesson.locked) and bad values give an error notice and change nothing. Reset keeps the
 * change (it is part of the trainer's preset); load starts from the loaded preset. */
bool ui_worker_set_param(ui_worker *w, const char *key, const char *value);

/* Starts a race: one trainer per entry of optimizers (a comma-separated list as for `nnterm race`,
 * "sgd,adam:0.01"; NULL or "" = every optimizer of nn_race_table), each from a copy of p with
 * nn_race_apply of its entry, so all start from the same weights and shuffles. The current run
 * is dropped (LOADING, then READY, or ERROR if a trainer cannot be built); a list that does not
 * parse gives an error notice and keeps the current run. Then start trains them round-robin,
 * one epoch each in turn, and the race ends DONE when every one is DONE or DIVERGED. The trainers
 * share one copy of the dataset (nn_trainer_init_shared). Loads and races queued together: the
 * newest wins. */
bool ui_worker_race(ui_worker *w, const nn_preset *p, const char *optimizers);

/* Turns on the Boundary (or Surface) view for data with 3..UI_VIEW_MAX_FEATURES features, over
 * x = feature fx and y = feature fy, every other feature held at its mean. The grid is computed
 * at once with the current weights, then like any view (every epoch ...). The choice is kept
 * across reset and load (back to 0 and 1 when it does not fit the new data). Bad indices, 2 or
 * fewer features, a race: an error notice and nothing changes. */
bool ui_worker_view_features(ui_worker *w, int fx, int fy);

#endif
