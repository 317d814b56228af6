/* worker_impl.h — the worker's insides, shared by its two files and by nothing else:
 *   worker.c      the thread and the command ring, publishing, and the UI thread's functions;
 *   worker_run.c  what the worker thread does with the trainer: the commands, training one batch,
 *                 the views, the teaching tools and the race (the computations are core's).
 * Ownership: fields under "worker thread only" are touched by the worker thread alone (and by
 * create/destroy before the thread starts and after it has been joined); fields under "guarded by
 * mu" only while holding mu, and only to copy. */
#ifndef UI_WORKER_IMPL_H
#define UI_WORKER_IMPL_H

#include "worker.h"

#include "inspect.h"
#include "probe.h"
#include "race.h"
#include "strbuf.h"

#include <pthread.h>
#include <stdatomic.h>

#define WORKER_RING 64
#define WORKER_KEY_MAX 96

/* One queued command and its payload. */
typedef struct {
    ui_cmd_kind kind;
    double lr;                   /* SET_LR; SET_WEIGHT: the value */
    uint64_t seed;               /* RESEED */
    int pace;                    /* SET_PACE */
    int arg[4];                  /* TRACE: train index, layer, i, j; SET_WEIGHT: layer, i, j; VIEW_FEATURES: fx, fy; UNITS: on, layer, first */
    char key[WORKER_KEY_MAX];    /* SET_PARAM: the key */
    char text[NN_PATH_MAX];      /* SAVE_MODEL: path; REPORT: folder; SET_PARAM: value; RACE: the optimizer
                                    list; LOAD: a model file whose weights to take ("" none) */
} worker_msg;

typedef enum { STOP_AFTER_NONE, STOP_AFTER_BATCH, STOP_AFTER_EPOCH } stop_after;

struct ui_worker {
    int threads;
    int wake_fd;
    atomic_bool stop;
    pthread_t thread;
    bool thread_started;

    pthread_mutex_t mu;
    pthread_cond_t cv;
    /* guarded by mu */
    worker_msg ring[WORKER_RING];
    int ring_head, ring_count;
    bool has_pending;            /* a preset waits for UI_CMD_LOAD */
    nn_preset pending;
    bool has_race_pending;       /* a preset waits for UI_CMD_RACE */
    nn_preset race_pending;
    /* the pinned runs' curves for the next UI_CMD_REPORT (ui_worker_report_curves; owned, per epoch) */
    int rep_n;
    char rep_name[UI_REPORT_CURVES][96];
    double *rep_loss[UI_REPORT_CURVES];
    int rep_len[UI_REPORT_CURVES];
    ui_snapshot shared;
    nn_epoch_stats *hist;        /* (hist_cap) the published history */
    int hist_len, hist_cap;
    uint64_t hist_run;

    /* worker thread only */
    worker_msg drain[WORKER_RING];   /* the commands taken from the ring */
    nn_preset preset;            /* the preset of the next or current load */
    nn_trainer t;
    bool have_trainer;
    ui_run_state state;
    stop_after after;
    ui_snapshot snap;            /* built here; publish copies what changed to shared */
    uint64_t seq, run;
    ui_run_clock clock;          /* time training since load or reset */
    int pace;                    /* epochs per second; 0 = max */
    bool pace_preset;            /* the pace follows the preset (UI_PACE_PRESET) at each load */
    double epoch_began;          /* when the current (or last) epoch's first batch began */
    double next_epoch_at;        /* a paced run starts its next epoch not before this; 0: now */
    double last_publish, last_grid, last_health;
    long grid_samples;           /* samples_seen when the grid was computed */
    nn_probe probe;              /* the Boundary view's and the fit's predictions */
    int view_fx, view_fy;        /* the features on the view's axes (ui_worker_view_features) */
    bool view_chosen;            /* ui_worker_view_features was called: views for > 2 features too */
    struct {
        bool on;
        int layer, first;
    } units;                     /* the Neurons view's request (ui_worker_units) */
    int pic_unit;                /* the Network view's picture: first-layer unit (ui_worker_picture), -1 none */
    int cell_a, cell_p;          /* the selected confusion cell (ui_worker_cell), -1: none */
    nn_step_meter meter;         /* health: the params before a measured step (sized at load) */
    nn_health_trace tr;          /* step-through: sized at load for the network */
    bool have_tr;
    nn_health row_health;        /* the epoch's latest measurement, pushed at its end */
    bool row_pending;
    struct {
        bool on;
        int sel[4];              /* training row, layer, i, j */
    } sel;                       /* the step-through selection */
    char model[NN_PATH_MAX];     /* the model file of the next or current load ("": none) */
    bool from_model;             /* the weights reset returns to are that model's */
    bool have_start;             /* start: the evaluation of the model's weights (epoch 0), shown until the
                                    first epoch; false after reseed */
    nn_epoch_stats start;
    nn_preset race_preset;       /* the preset of the next or current race */
    nn_race *race;               /* the race (NULL: none): its trainers replace t */
    struct {
        char dir[NN_PATH_MAX];   /* the runs folder ("": no records) */
        bool failed;             /* a write failed this session (told once) */
        bool active;             /* a run is under way: it began with a batch after the base */
        int first;               /* the history index of its first epoch */
        char date[32];           /* when it began, ISO 8601 UTC */
        nn_preset base;          /* the trainer's preset at the last load or reset */
        char from_weights[NN_PATH_MAX];   /* the model whose weights the base started from ("": the seed's) */
        nn_strbuf live;          /* the live changes since the base: JSON objects, comma-separated */
        int n_live;
    } rec;                       /* the run record (worker_record.c) */
};

/* worker.c */
double worker_now(void);
/* Fills the status part, stamps and copies what changed to shared with the new history entries,
 * then wakes the UI. */
void worker_publish(ui_worker *w);
/* A one-off result for the UI, published with the next snapshot. */
void worker_notice(ui_worker *w, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* worker_record.c: the run records (see there) */
void worker_record_dir(ui_worker *w, const char *dir);   /* UI_CMD_RECORD: the runs folder, "" none */
void worker_record_base(ui_worker *w);    /* after a load, reset or reseed: the preset runs start from */
void worker_record_begin(ui_worker *w);   /* a batch is about to be trained: a run begins, unless under way */
/* a live change at the trainer's position (nn_record_live_json's key, value and words) */
void worker_record_live(ui_worker *w, const char *key, const char *value, const char *what);
void worker_record_end(ui_worker *w);     /* the run ends: its record is written (if it has epochs) */
void worker_record_free(ui_worker *w);

/* worker_run.c */
void worker_load(ui_worker *w);                               /* (re)builds the trainer from w->preset */
void worker_apply(ui_worker *w, const worker_msg *c, bool skip);   /* skip: a replaced load or race */
void worker_train(ui_worker *w);                              /* one batch while RUNNING */
double worker_pace_wait(const ui_worker *w);                  /* seconds a paced run waits now; 0: none */
void worker_free_run(ui_worker *w);                           /* the trainer or the race, and their buffers */

#endif
