/* preset.h — one experiment as JSON (docs/design.md, "Contracts" > "Preset"): reading with full
 * validation (every problem collected, each naming the file, the JSON path, the value and what is
 * allowed), dotted-key edits (--set and the UI), stable writing, atomic saving, and the built-in
 * presets. nn_preset is a plain fixed-size struct: copying it with = is a deep copy. Any thread. */
#ifndef NN_PRESET_H
#define NN_PRESET_H

#include "data.h"
#include "datasets.h"
#include "error.h"
#include "files.h"
#include "network.h"
#include "optimizer.h"

#include <stdbool.h>
#include <stdint.h>

#define NN_PRESET_MAX_BYTES (1024 * 1024)   /* a preset file larger than this is refused unread */
#define NN_AUTO (-1)          /* "not given: decide from the dataset" for act, loss, task, units 0 */
#define NN_MAX_LOCKED 16

typedef struct {
    int units;                /* 0 = auto: the last layer gets the dataset's outputs (hidden: must be > 0) */
    int act;                  /* nn_act, or NN_AUTO: relu for hidden layers; last: softmax (classification,
                                 >2 classes or any), linear (regression) */
    float alpha;              /* leaky_relu/elu parameter; NAN = the activation's default */
    nn_init init;             /* NN_INIT_AUTO: He if relu-like, else Xavier */
    nn_dist dist;
} nn_preset_layer;

typedef struct {
    int epochs;                          /* default 20; 0 = "forever": the trainer trains until paused */
    int batch_size;                      /* default 16 */
    int loss;                            /* nn_loss or NN_AUTO (crossentropy / mse by task) */
    nn_opt_params optimizer;             /* default sgd, learning_rate 0.03 (the seed) */
    nn_schedule schedule;                /* default constant */
    nn_reg reg;                          /* regularization.method, default none */
    double lambda, r, dropout;           /* defaults 0.0, 0.5, 0.0 */
    int patience;                        /* early_stopping.patience, 0 = off */
    double clip_norm;                    /* gradient clipping by global L2 norm, 0 = off */
} nn_preset_training;

typedef struct {
    bool present;
    char title[128];
    char text[4096];
    int n_locked;
    char locked[NN_MAX_LOCKED][96];      /* dotted keys that the UI must not edit */
} nn_preset_lesson;

/* What the trainer's screen starts with (`nnterm train` ignores it). */
typedef struct {
    int pace;                            /* epochs per second the trainer opens at: 1..200; 0 = "max" (as
                                            fast as it trains); NN_AUTO = the trainer's rule (README) */
    int view;                            /* the view of the lower right it opens on: an index into the names
                                            of ui.view's row (preset_schema.c); NN_AUTO = the trainer's rule */
} nn_preset_ui;

typedef struct {
    char name[128];
    char description[1024];
    uint64_t seed;                       /* default 1234 */
    nn_preset_dataset dataset;
    int n_layers;
    nn_preset_layer layers[NN_MAX_LAYERS];
    nn_preset_training training;
    nn_preset_ui ui;
    nn_preset_lesson lesson;
    char file[NN_PATH_MAX];              /* where it was read from ("builtin:iris.json"), for messages */
    char base_dir[NN_PATH_MAX];          /* relative dataset paths resolve against this */
} nn_preset;

/* The documented defaults (the iris seed configuration without a source). */
void nn_preset_defaults(nn_preset *p);

/* Parses and validates JSON text (UTF-8, at most NN_PRESET_MAX_BYTES). filename is used in messages
 * and to set base_dir.
 * Every problem goes to diags (may be NULL); err gets the first. On error *p is unspecified. */
nn_status nn_preset_parse(nn_preset *p, const char *json, size_t len, const char *filename,
                          nn_diags *diags, nn_error *err);
/* A built-in name ("iris", "spiral"; see nn_preset_builtin_*) or a path to a JSON file. */
nn_status nn_preset_load(nn_preset *p, const char *name_or_path, nn_diags *diags, nn_error *err);
/* Cross-field checks (split sums to 1, loss fits the task, ...), also run by parse. */
nn_status nn_preset_validate(const nn_preset *p, nn_diags *diags, nn_error *err);

/* Sets one dotted key ("training.optimizer.learning_rate", "model.layers.0.units") to value, read
 * as JSON where it parses as JSON, else as a string. Validates the result; on error *p is unchanged
 * and err names the key, the value and what is allowed. Used by --set and by the UI's editor.
 * Setting model.layers.N for N == n_layers appends a layer; value null removes it. */
nn_status nn_preset_set(nn_preset *p, const char *key, const char *value, nn_error *err);
/* The current value of a dotted key as JSON text ("0.03", "\"relu\""). */
nn_status nn_preset_get(const nn_preset *p, const char *key, char *out, size_t outlen, nn_error *err);

/* JSON text with a stable key order (malloc'd; caller frees). NULL on allocation failure. */
char *nn_preset_to_json(const nn_preset *p);
/* As cJSON (struct cJSON *, caller deletes), for the model file. */
struct cJSON;
struct cJSON *nn_preset_to_cjson(const nn_preset *p);
nn_status nn_preset_from_cjson(nn_preset *p, const struct cJSON *root, const char *filename,
                               nn_diags *diags, nn_error *err);
/* Atomic save (files.h). Refused (NN_EIO) when path is one of the preset's data files
 * (nn_preset_check_save); it may replace the preset's own file (that is how an edit is kept).
 * Relative data paths are written relative to path's folder (nn_preset_rebase). */
nn_status nn_preset_save(const nn_preset *p, const char *path, nn_error *err);
/* NN_OK unless a save to path would replace a file the preset reads: its data files (dataset.path,
 * the idx files), resolved against base_dir, and when self is true the preset file itself. Compared
 * by device and inode, so another spelling, a symbolic or a hard link is caught. The message names
 * path and the file it would replace. */
nn_status nn_preset_check_save(const nn_preset *p, const char *path, bool self, nn_error *err);

/* p as it reads from the file target: its relative data paths (dataset.path, the idx files) rewritten
 * to name the same files from target's folder (a built-in preset's embedded file as "builtin:NAME"),
 * file = target, base_dir = its folder. A path whose folder cannot be resolved stays as it is. */
void nn_preset_rebase(nn_preset *p, const char *target);
/* The keys whose values differ between a and b, name and description aside (a changed experiment):
 * how many, and (out may be NULL) a list "lr 0.03 -> 0.06, layer 2 units 64 -> 16, model.layers 3 ->
 * 2 layers" cut to cap bytes ("..." at the end when cut). */
int nn_preset_diff(const nn_preset *a, const nn_preset *b, char *out, size_t cap);

/* What a name given as PRESET holds (nn_preset_open). */
typedef enum {
    NN_ORIGIN_PRESET,    /* a JSON preset, or a built-in one */
    NN_ORIGIN_CSV,       /* a CSV file (its name ends in .csv): the defaults on that data */
    NN_ORIGIN_MODEL      /* a model file (format "nnterm-model"): the preset it was trained with */
} nn_preset_origin;

/* What the command line and the trainer take as PRESET: a built-in name or a preset file
 * (nn_preset_load); a CSV file, whose name ends in .csv (any case), as the defaults with
 * dataset.source csv on it (label: the last column; name: the file's name); or a model file, whose
 * first bytes say "nnterm-model", as the preset inside it, after the whole model checks out
 * (nn_model_load; base_dir: the model's folder). origin (may be NULL) receives which. */
nn_status nn_preset_open(nn_preset *p, const char *name_or_path, nn_preset_origin *origin, nn_diags *diags,
                         nn_error *err);

/* The presets embedded from presets/ (names without ".json", in a fixed order, iris first). */
int nn_preset_builtin_count(void);
const char *nn_preset_builtin_name(int i);
/* True if key (or a parent of it) is listed in lesson.locked. */
bool nn_preset_is_locked(const nn_preset *p, const char *key);

#endif
