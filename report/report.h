/* report.h — a run kept as pictures and a one-page handout: history.csv, the loss curves, the
 * confusion matrix (or predicted against actual), the decision boundary, the network, and
 * report.pdf. Drawn with cairo (PNG, SVG and PDF from one drawing code) and pango for the text;
 * a library of its own (nnreport), so core stays free of cairo.
 *
 * An nn_report is plain data, filled from a trainer (nn_report_from_trainer: `nnterm train --report`
 * and the trainer's key), from a model file (nn_report_from_model: everything but the history), or
 * field by field (a run record: name, description, config, history, events and the final test
 * metrics, with no weights, so no boundary and no network). Each figure is drawn only when the
 * report holds what it needs (nn_report_has). Rendering and writing are pure and thread-safe
 * (separate reports on separate threads); the fillers read the trainer on the thread that owns it. */
#ifndef NN_REPORT_H
#define NN_REPORT_H

#include "data.h"
#include "error.h"
#include "metrics.h"
#include "model_io.h"
#include "probe.h"
#include "strbuf.h"
#include "trainer.h"

#include <stdbool.h>
#include <stdint.h>

#define NN_REPORT_CONFIG_LINES 6
#define NN_REPORT_LINE 200
#define NN_REPORT_MAX_EVENTS 64
#define NN_REPORT_MAX_CURVES 8
#define NN_REPORT_GRID 160          /* the boundary's cells per side */
#define NN_REPORT_POINTS 1200       /* the most data points drawn over it */
#define NN_REPORT_FIT 1000          /* the most predicted-versus-actual pairs */
#define NN_REPORT_CURVE 240         /* points of a 1-D regression's fitted curve */

/* A live change during the run, marked on the loss chart. */
typedef struct {
    double x;                       /* on the epoch axis: completed epochs + batch / batches (2.5: half-way
                                       through epoch 3) */
    char what[64];                  /* "lr 0.03 -> 0.06" (UTF-8) */
} nn_report_event;

/* Another run's loss curve over this one's (a pinned run). */
typedef struct {
    char name[64];                  /* legend entry: what differs from this run ("lr 0.1") */
    int n;                          /* epochs */
    double *loss;                   /* (n) owned: loss after epoch i + 1 (NAN: none) */
} nn_report_curve;

/* One dense layer: W (in, out) row-major, b (out), both owned. */
typedef struct {
    int in, out;
    int act;                        /* nn_act */
    float *w, *b;
} nn_report_layer;

typedef struct {
    /* ---- what was run: text (UTF-8) ---- */
    char name[128];
    char description[1024];
    int n_config;
    char config[NN_REPORT_CONFIG_LINES][NN_REPORT_LINE];   /* "data: ...", "network: ...", ... */
    char origin[NN_REPORT_LINE];    /* the footer: "nnterm 0.1.0, nnterm train spiral" */
    nn_task task;
    int k;                          /* classification: classes (<= NN_MAX_CLASSES); else 0 */
    char class_names[NN_MAX_CLASSES][NN_NAME_MAX];

    /* ---- the history: one entry per epoch, the --json epoch objects ---- */
    int n_hist;
    nn_epoch_stats *hist;           /* (n_hist) owned; entry i is epoch i + 1 */
    bool has_penalty;               /* a regulariser: history.csv has the penalty column */
    char no_history[NN_REPORT_LINE];/* why there is none ("a model file keeps no history"), or "" */
    int n_events;
    nn_report_event events[NN_REPORT_MAX_EVENTS];
    int n_curves;
    nn_report_curve curves[NN_REPORT_MAX_CURVES];   /* pinned runs */

    /* ---- the final evaluation ---- */
    bool has_eval;
    char eval_split[16];            /* "test" (else "validation" or "training" when there is no test split) */
    int *confusion;                 /* (k, k) owned, [actual * k + predicted] */
    nn_class_metrics metrics;       /* classification */
    nn_reg_metrics reg;             /* regression */
    int fit_n;                      /* regression: predicted-versus-actual pairs (first target) */
    float *fit_actual, *fit_pred;   /* (fit_n) owned, original units */

    /* ---- the Boundary view's picture ---- */
    nn_probe_kind view;             /* NONE: no boundary.png */
    char axis[2][NN_NAME_MAX];      /* the features on x and y (CURVE: the feature and "target") */
    float x_min, x_max, y_min, y_max;
    int grid_w, grid_h;             /* BOUNDARY, SURFACE: cell (r, c) at [r * grid_w + c], row 0 the top */
    uint8_t *grid_cls;              /* owned: predicted class */
    float *grid_conf;               /* owned: its probability; SURFACE: the output scaled to 0..1 */
    float vmin, vmax;               /* SURFACE: the output's range over the grid */
    int curve_n;                    /* CURVE */
    float *curve_x, *curve_y;       /* owned */
    int n_points;
    nn_probe_point *points;         /* owned: train and test points */

    /* ---- the network (absent: n_layers 0) ---- */
    int n_inputs, n_layers;
    nn_report_layer layers[NN_MAX_LAYERS];
    int n_input_names;              /* the inputs' names, when 8 or fewer */
    char input_names[8][NN_NAME_MAX];
} nn_report;

typedef enum {
    NN_REPORT_LOSS,                 /* loss.svg, loss.png */
    NN_REPORT_CONFUSION,            /* confusion.svg/png; regression: fit.svg/png */
    NN_REPORT_BOUNDARY,             /* boundary.png */
    NN_REPORT_NETWORK,              /* network.svg */
    NN_REPORT_PAGE,                 /* report.pdf: one A4 page */
    NN_REPORT_FIG_COUNT
} nn_report_fig;

typedef enum { NN_REPORT_PNG, NN_REPORT_SVG, NN_REPORT_PDF } nn_report_format;

/* A zeroed report (nothing to draw). */
void nn_report_init(nn_report *r);
/* Frees what it owns; a zeroed or half-filled report is fine; idempotent. */
void nn_report_free(nn_report *r);

/* Everything from t as it is now (any state, also mid-epoch): name, description, config, the
 * history so far, the current weights' confusion matrix and metrics on the test split (computed
 * here: they describe the weights now), the boundary, curve or surface with points, and the
 * network. fx, fy: the Boundary view's features for data with 3 to 64 features (-1: none chosen, then
 * such data gets no boundary, as in the view). origin: the footer ("nnterm train spiral"), or NULL.
 * Uses t's network workspace (call it between batches). NN_ENOMEM with err set. */
nn_status nn_report_from_trainer(nn_report *r, nn_trainer *t, int fx, int fy, const char *origin, nn_error *err);
/* A saved model: its preset's data are loaded and split as in training (a model file holds the
 * preset and the seed), the model's weights evaluated on them: confusion matrix, boundary, network.
 * A model file holds no history: no curves, and no_history says so. threads as nn_trainer_init.
 * Data that do not give the model's normalisation (the data file changed) are an error naming the
 * model file. */
nn_status nn_report_from_model(nn_report *r, const nn_model *m, const char *model_file, int threads,
                               const char *origin, nn_error *err);

/* A live-change marker; beyond NN_REPORT_MAX_EVENTS the oldest is dropped. */
void nn_report_add_event(nn_report *r, double x, const char *what);
/* A pinned run's loss curve (n values, NAN where none) named name; NN_EINVAL past
 * NN_REPORT_MAX_CURVES, NN_ENOMEM. */
nn_status nn_report_add_curve(nn_report *r, const char *name, const double *loss, int n, nn_error *err);

/* The report holds what figure f needs: LOSS a history (or curves), CONFUSION an evaluation,
 * BOUNDARY a view, NETWORK layers; PAGE always. */
bool nn_report_has(const nn_report *r, nn_report_fig f);
/* The figure's size: pixels for PNG, points for SVG and PDF (report.pdf: A4, 595 x 842). */
void nn_report_size(const nn_report *r, nn_report_fig f, int *w, int *h);
/* Draws figure f as fmt into out (appended). NN_EINVAL if the report lacks what f needs;
 * NN_ENOMEM or NN_EIO (cairo's status in err) when drawing fails. */
nn_status nn_report_render(const nn_report *r, nn_report_fig f, nn_report_format fmt, nn_strbuf *out,
                           nn_error *err);
/* history.csv: a header, then one row per epoch; the columns are the fields of the --json epoch
 * object in its order (epoch, train_loss, val_loss, test_loss, train_accuracy or train_r2, ...,
 * lr, penalty with a regulariser, seconds, eval_seconds), numbers as --json writes them, an empty
 * cell where --json has null. */
void nn_report_history_csv(const nn_report *r, nn_strbuf *out);

/* Writes every file the report has into dir, each atomically: history.csv, loss.svg, loss.png,
 * confusion.svg and .png (regression: fit.svg and .png), boundary.png, network.svg, report.pdf.
 * dir is created if missing (its parent must exist). written receives the names, comma-separated.
 * On an error (naming the file) the files written before it stay. */
nn_status nn_report_write(const nn_report *r, const char *dir, char *written, size_t cap, nn_error *err);

#endif
