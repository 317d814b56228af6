/* snapshot.h — what the UI draws, as the worker thread publishes it: ui_snapshot, one plain
 * fixed-size struct without pointers (copy it with ui_snapshot_copy, or =). A small status part
 * comes first, then one section per subject, each opening with its own seq, so that a copy can take
 * only the sections that changed. The worker thread fills it (worker_run.c, with the functions at
 * the end of this header); the panels read it. */
#ifndef UI_SNAPSHOT_H
#define UI_SNAPSHOT_H

#include "error.h"
#include "explain.h"
#include "files.h"
#include "health.h"
#include "inspect.h"
#include "metrics.h"
#include "network.h"
#include "probe.h"
#include "race.h"
#include "trace.h"
#include "trainer.h"

#include <stdbool.h>
#include <stddef.h>
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

/* A data point over the Boundary view: x, y in original units (features fx and fy, or feature 0
 * and target 0 for UI_VIEW_CURVE), cls its class (classification, else 0), is_test 1 for a test
 * row, 0 for a training row. */
typedef nn_probe_point ui_point;

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
#define UI_UNIT_GRID 24      /* Neurons view: a unit's map is UI_UNIT_GRID x UI_UNIT_GRID points */
#define UI_UNIT_MAX 64       /* Neurons view: unit maps in the snapshot */
#define UI_UNIT_IN_MAX 8     /* Neurons view: input maps (Playground's x1, x2, x1^2 ... sin(x2): 7) */
#define UI_SAMPLE_MAX 48     /* Samples view: pictures in the snapshot */
#define UI_SAMPLE_PIX 784    /* Samples view: pixels a picture at most (28 x 28) */

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
                                grad + penalty_grad (what training adds, except clipping), as if the
                                batch were this one sample (a what-if): step.lines[0..step.n_lines)
                                are the formulas with the numbers filled in */
    bool last_kept;          /* the real last step of the parameter was measured: with the batch's
                                mean gradient batch_grad at learning rate last_lr it went from
                                last_w_before to last_w_after (nn_inspect_last_step) */
    double last_w_before, last_w_after, last_lr;
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
    int n_raw;                 /* Playground features (dataset.features) of the 2 raw x1, x2: 2 (the Boundary's
                                  axes, feature_names their names); else 0 */
    int n_classes;             /* 0 for regression */
    int n_targets;             /* regression outputs, 0 for classification */
    int k;                     /* classes shown (classification: min(n_classes, NN_MAX_CLASSES)), else 0 */
    char class_names[NN_MAX_CLASSES][NN_NAME_MAX];
    char feature_names[2][NN_NAME_MAX];   /* the first two (the view's axes), "" if absent */
    char input_names[UI_NET_DIM][16];     /* the network's inputs, the first UI_NET_DIM (ui_input_name) */
    int8_t feature_of[UI_UNIT_IN_MAX];    /* n_raw 2: the Playground feature (nn_feature) of each input */
    int n_layers;
    ui_layer_info layers[NN_MAX_LAYERS];
    long n_params;
} ui_snap_info;

/* Test metrics of the last evaluation (valid when the status part's has_last): after each epoch;
 * when DONE they describe the final weights (see final). */
#define UI_CLS_HIST 64        /* epochs of per-class metrics kept for the sparklines (the newest) */
#define UI_CLS_MAX 16         /* classes with sparklines */
#define UI_CELL_ROWS 48       /* the rows of a confusion cell listed (the first, in test-split order) */
#define UI_CELL_VALS 6        /* ... with their first values */

/* A test row behind the selected confusion cell. */
typedef struct {
    uint32_t row;              /* dataset row (0-based) */
    long line;                 /* CSV: the file line it starts on; else 0 */
    float x, y;                /* on the Boundary's axes (original units), when cell_xy */
    float v[UI_CELL_VALS];     /* its first cell_nv values, original units (the raw x1, x2 for
                                  Playground features); none for images */
} ui_cell_row;

typedef struct {
    uint64_t seq;
    int confusion[NN_MAX_CLASSES * NN_MAX_CLASSES];   /* k x k, confusion[actual * k + predicted] */
    nn_class_metrics metrics;  /* classification */
    nn_reg_metrics reg;        /* regression */
    /* the selected confusion cell (ui_worker_cell; -1: none) and the test rows behind it */
    int cell_a, cell_p;
    int cell_n;                /* rows in the cell (all of them) */
    int cell_shown;            /* listed in cell[] (<= UI_CELL_ROWS) */
    int cell_nv;               /* values per row (0 for images) */
    bool cell_xy;              /* cell[].x, y are on the Boundary's axes (a Boundary or Surface view) */
    char cell_names[UI_CELL_VALS][NN_NAME_MAX];   /* the values' names */
    ui_cell_row cell[UI_CELL_ROWS];
    /* per-class test precision, recall and F1 of the last cls_len epochs (the newest last, epoch
     * cls_last), for the first UI_CLS_MAX classes; cleared by reset and load */
    int cls_len, cls_last;
    float cls_p[UI_CLS_MAX][UI_CLS_HIST], cls_r[UI_CLS_MAX][UI_CLS_HIST], cls_f[UI_CLS_MAX][UI_CLS_HIST];
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


/* The Neurons view: what single units compute over the Boundary view's plane (its range, axes and
 * the other features at their mean), while the view asks for it (ui_worker_units): computed with the
 * boundary grid (every epoch, more often for small networks) and whenever the run stops. A network
 * whose hidden and output units number at most UI_UNIT_MAX gets every unit (layer -1); a larger one
 * gets up to UI_UNIT_MAX units of the layer asked for, from unit `first` (a page). Not valid without
 * a plane (BOUNDARY or SURFACE), in race mode, or when not asked for. */
typedef struct {
    uint64_t seq;
    bool valid;
    int epoch, batch;          /* completed epochs and next batch when computed */
    int layer, first;          /* -1, 0: every unit of the network; else the page's layer and first unit */
    int n;                     /* maps */
    int16_t ulayer[UI_UNIT_MAX], uindex[UI_UNIT_MAX];   /* map i is unit uindex[i] of layer ulayer[i] (0-based;
                                                            layer -1: input feature uindex[i]) */
    int n_in;                  /* input maps among them (the first n_in): 2-D data, the whole network shown;
                                  named by ui_input_name */
    float lo[UI_UNIT_MAX], hi[UI_UNIT_MAX];             /* each map's smallest and largest value */
    float map[UI_UNIT_MAX][UI_UNIT_GRID * UI_UNIT_GRID];/* point (r, c) at [r * UI_UNIT_GRID + c]: the unit's
                                                            activation at the boundary grid's place for it
                                                            (row 0 the top); output units before unscaling */
} ui_snap_units;

/* The Samples view: for image data (square pictures of byte pixels, at most UI_SAMPLE_PIX), an even
 * sample of the test rows (training rows without a test split) with their true and predicted class,
 * recomputed at every epoch's end and whenever the run stops. Not valid for other data or in race
 * mode. */
typedef struct {
    uint64_t seq;
    bool valid;
    int epoch;                 /* completed epochs when predicted */
    int side;                  /* pixels a side */
    int n;
    uint32_t row[UI_SAMPLE_MAX];            /* dataset row */
    int16_t label[UI_SAMPLE_MAX], pred[UI_SAMPLE_MAX];
    uint8_t pix[UI_SAMPLE_MAX][UI_SAMPLE_PIX];   /* row-major, side x side, 0 black .. 255 white */
} ui_snap_samples;

/* The Network view's picture of a first-layer unit of image data: its incoming weights laid out as
 * the pictures' pixels (what the unit looks for), for the unit the view asks for
 * (ui_worker_picture); copied with the net section. Not valid for other data or in race mode. */
typedef struct {
    uint64_t seq;
    bool valid;
    int unit;                  /* the first-layer unit */
    int side;                  /* pixels a side */
    float wmax;                /* max |w| over the picture */
    float w[UI_SAMPLE_PIX];    /* row-major, side x side */
} ui_snap_picture;

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
    int epochs;                /* the epoch the run ends at (it moves on after a continue); 0 = forever */
    int epoch;                 /* completed epochs */
    int pace;                  /* epochs per second the run is shown at (1..200); 0 = max (no waiting) */
    int batch, n_batches;      /* next batch of the current epoch, 0..n_batches */
    int batch_size;
    int optimizer;             /* nn_opt_kind */
    int loss;                  /* nn_loss */
    double lr;                 /* current (scheduled) learning rate */
    double base_lr;            /* before the schedule; what UI_CMD_SET_LR changes */
    long samples_seen;         /* since load or reset */
    double samples_per_s;      /* samples_seen / elapsed_s */
    double elapsed_s;          /* time spent training since load or reset, with a pace's waits between
                                  epochs (pauses excluded) */
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
    /* a weight set by hand (ui_worker_set_weight) since the last epoch ended: the evaluation of the
     * weights right after it (edit.epoch: completed epochs then; edit_batch: the next batch then);
     * has_last and last describe it too, and the eval section. Cleared at an epoch's end. */
    bool has_edit;
    nn_epoch_stats edit;
    int edit_batch;

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
    ui_snap_units units;       /* the Neurons view */
    ui_snap_samples samples;   /* the Samples view */
    ui_snap_picture picture;   /* the Network view's picture of a unit's weights */
} ui_snapshot;

/* Copies the status part of src and each of its sections whose seq differs from dst's (all: every
 * section). With dst a copy of an earlier src, the result equals src byte for byte. */
void ui_snapshot_copy(ui_snapshot *dst, const ui_snapshot *src, bool all);
/* Gives each section of s that differs from prev's (byte for byte, seq aside) the seq `seq`, and
 * each other section prev's seq: then ui_snapshot_copy(prev, s, false) copies just the changes. */
void ui_snapshot_stamp(ui_snapshot *s, const ui_snapshot *prev, uint64_t seq);
/* Sets every section's seq. */
void ui_snapshot_set_seqs(ui_snapshot *s, uint64_t seq);

// --- filling it from the engine (the worker thread, between batches) -------------------------------

/* The worker's clock of a run, for the throughput and the ETA. */
typedef struct {
    double busy_s;           /* time in training steps since load or reset (pauses excluded) */
    double eval_s;           /* of which evaluation at epoch ends */
    double busy_at_epoch;    /* busy_s at the last epoch's end */
    double waited_s;         /* time spent waiting for the pace's next epoch while running */
} ui_run_clock;

/* src into dst (cap bytes), cut at a UTF-8 character when too long; NULL is "". */
void ui_snapshot_text(char *dst, size_t cap, const char *src);
/* Everything cleared for a new run of p (its name, file, source and epochs set), but seq and the
 * notice: notice_seq never goes back. */
void ui_snapshot_fresh(ui_snapshot *s, const nn_preset *p);
/* Health, warnings, events, the step-through and the activation statistics start over. */
void ui_snapshot_clear_teaching(ui_snapshot *s);
/* The info section (dataset, network), batch size, optimizer, loss and the run's names. */
void ui_snapshot_fill_info(ui_snapshot *s, const nn_trainer *t);
/* Appends the epoch's per-class test metrics m to the eval section's history (the oldest dropped
 * when full). */
void ui_snapshot_push_class_metrics(ui_snapshot *s, const nn_class_metrics *m, int epoch);
/* The eval section's selected cell (actual a, predicted p; a < 0: none) and the test rows behind it
 * from t's last evaluation; their points on probe p's axes. */
void ui_snapshot_fill_cell(ui_snapshot *s, const nn_trainer *t, const nn_probe *p, int a, int pr);
/* The status part and the eval section from a single trainer; finished (DONE or DIVERGED): no ETA. */
void ui_snapshot_fill_progress(ui_snapshot *s, const nn_trainer *t, const ui_run_clock *c, bool finished);
/* After ui_snapshot_fill_progress at epoch 0: has_last, last = *st (the evaluation of weights that did
 * not start from the seed: a saved model's) and the eval section from t's last evaluation. */
void ui_snapshot_fill_start(ui_snapshot *s, const nn_trainer *t, const nn_epoch_stats *st);
/* The status part and the race section's entries from a race whose entries are all built (see
 * ui_snap_race); finished (DONE): no ETA. */
void ui_snapshot_fill_race(ui_snapshot *s, const nn_race *race, const ui_run_clock *c, bool finished);
/* Appends a loss point to a race entry, halving the points when full (see ui_race_entry.loss). */
void ui_snapshot_push_race_point(ui_race_entry *e, int epoch, double loss);
/* The boundary section's kind, axes, names, range and points from a probe set up for t (p or t
 * NULL: no view); the grid or curve itself comes from nn_probe_grid / nn_probe_curve. */
void ui_snapshot_fill_boundary(ui_snapshot *s, const nn_probe *p, const nn_trainer *t);
/* The net section from t's network (NULL: not valid): the weights pooled to UI_NET_DIM, and with
 * acts the activation statistics of the last forward. */
void ui_snapshot_fill_net(ui_snapshot *s, const nn_trainer *t, bool acts);
/* The units section from probe p set up for t: every unit when they fit UI_UNIT_MAX, else the page of
 * `layer` from `first` (clamped into the network); t NULL or no plane: not valid. */
void ui_snapshot_fill_units(ui_snapshot *s, const nn_probe *p, const nn_trainer *t, int layer, int first);
/* The samples section from t (NULL, or data that is not square byte pictures: not valid). */
void ui_snapshot_fill_samples(ui_snapshot *s, nn_trainer *t);
/* The picture section: unit `unit` of t's first layer (t NULL, unit < 0 or out of range, or data
 * that is not square byte pictures: not valid). */
void ui_snapshot_fill_picture(ui_snapshot *s, const nn_trainer *t, int unit);
/* The health section's measurement of batch `batch` of epoch `epoch` (both 1-based) and its
 * warnings (the history is pushed by the caller at the epoch's end). */
void ui_snapshot_fill_health(ui_snapshot *s, const nn_health *h, int epoch, int batch);
/* The step-through of selection sel (training row, layer, i, j) at the trainer's position (epoch,
 * batch): the trace's vectors cut to UI_TRACE_VEC, and the sample step; out->seq is kept. */
void ui_snapshot_fill_trace(ui_trace *out, const nn_health_trace *tr, const nn_sample_step *ss, const int sel[4],
                            int epoch, int batch);

#endif
