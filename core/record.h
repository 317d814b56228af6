/* record.h — run records (docs/design.md, "Run record"): one JSON file per training run with the
 * preset as run, the seed, the nnterm version, every epoch's --json object, the live changes, the
 * final --json object and a fingerprint over all of it. `nnterm train --record DIR` writes one,
 * `nnterm runs` lists them, `nnterm verify` re-runs one, `nnterm compare` puts several side by side.
 *
 * The fingerprint is FNV-1a (64 bits) over a canonical form of the record's content (every value
 * with its path, numbers as %.17g of the value read), so whitespace does not matter but any edited
 * value does. It detects an edited record; it is not a signature (anyone with nnterm can make a
 * record with a matching fingerprint) -- `nnterm verify` is what shows a preset and seed produce it. */
#ifndef NN_RECORD_H
#define NN_RECORD_H

#include "error.h"
#include "preset.h"
#include "strbuf.h"
#include "trainer.h"

#include <stdbool.h>
#include <stddef.h>

#define NN_RECORD_FORMAT "nnterm-record"
#define NN_RECORD_VERSION 1

/* An epoch's object as `train --json` prints it, with its newline (malloc'd; NULL when out of memory). */
char *nn_record_epoch_json(const nn_trainer *t, const nn_epoch_stats *s);
/* The final object as `train --json` prints it: f the figures reported, stopped "early",
 * "interrupted" or NULL. */
char *nn_record_final_json(const nn_trainer *t, const nn_epoch_stats *f, const char *stopped);

/* The text of a record (malloc'd, with its fingerprint), from its parts: epochs[0..n) and final
 * are the --json lines as `train --json` prints them (one object each), live is a JSON array text
 * ("[]" for none; entries from nn_record_live_json). date is ISO 8601 UTC. from_weights (NULL or ""
 * for none): the model file whose weights (without a run state) the run began from. NULL when out
 * of memory or a part is not JSON. */
char *nn_record_text(const nn_preset *p, const char *nnterm_version, const char *date, const char *data_dir,
                     const char *from_weights, const char *const *epochs, int n, const char *live, const char *final);

/* Writes text atomically as DIR/DATE-NAME.json (DATE as YYYYMMDD-HHMMSS, NAME the preset's name
 * with anything but letters, digits, '-' and '_' as '-'; -2, -3... when taken), creating DIR and
 * its parents. path receives the file's path. */
nn_status nn_record_write(const char *dir, const char *text, const char *name, const char *date, char *path,
                          size_t cap, nn_error *err);

/* Creates dir and its parents where missing (mkdir -p); an error names the part that fails. */
nn_status nn_record_make_dir(const char *dir, nn_error *err);

/* The default runs folder: $NNTERM_RUNS if set (empty or "off": recording off, returns false), else
 * $XDG_DATA_HOME/nnterm/runs, else $HOME/.local/share/nnterm/runs. */
bool nn_record_default_dir(char *out, size_t cap);

typedef struct {
    char path[NN_PATH_MAX];
    char date[32];
    char nnterm[32];
    char name[128];
    char config[160];       /* "hidden 40 relu, sgd lr 0.03, batch 16" */
    nn_preset preset;       /* as run; base_dir = the record's data_dir */
    uint64_t seed;
    bool regression;
    int n_epochs;           /* epoch objects in the record */
    int last_epoch;         /* the last one's epoch number (0 if none) */
    double metric;          /* final accuracy or R² (NAN if missing) */
    int n_live;             /* live changes (nn_record_live_apply) */
    char from_weights[NN_PATH_MAX];   /* "start": {"weights": PATH}: the run began from a model's weights
                                         (not the seed's); "" when it began from the preset and seed */
    bool fingerprint_ok;    /* the stored fingerprint matches the content */
    char fingerprint[40];   /* stored */
    char computed[40];      /* over the content as read */
    void *root;             /* the parsed tree (cJSON) */
} nn_record;

/* Reads and checks a record: format, version, the preset (validated like a preset file), the
 * epochs and final objects. A wrong fingerprint is not an error: fingerprint_ok says it. */
nn_status nn_record_load(nn_record *r, const char *path, nn_error *err);
void nn_record_free(nn_record *r);

/* A live change for the record's "live_changes" array, appended to b as one JSON object: at the
 * trainer's position (epoch: completed epochs, batch: the next batch of the epoch), one of
 *   key and value: nn_trainer_set_param(key, value)         {"set": key, "value": value}
 *   key "lr", value the number (%.17g): nn_trainer_set_lr   {"lr": number}
 *   key "continue", value NULL: nn_trainer_continue        {"continue": true}
 *   key "weight", value "L I J V": nn_trainer_set_weight    {"weight": [L, I, J], "value": V}
 *     (layer L, input I or -1 for the bias, unit J, 0-based; V the float set, %.9g)
 * with what, the words of the loss chart's marker ("lr 0.03 -> 0.06"). */
void nn_record_live_json(nn_strbuf *b, int epoch, int batch, const char *key, const char *value, const char *what);

/* Replays the record's live changes (nn_record_live_json) on t, a re-run of its preset and seed: every
 * change from *next on whose position is t's position now is applied, in order, and *next moves past
 * it. Call it before each nn_trainer_step and once more when t has finished (a "continue" after DONE).
 * A change whose position t has passed without reaching it, or that t refuses, is an error naming it. */
nn_status nn_record_live_apply(const nn_record *r, int *next, nn_trainer *t, nn_error *err);

/* Live change i (0..n_live-1): its place and its words; false out of range. */
bool nn_record_live_at(const nn_record *r, int i, int *epoch, int *batch, const char **what);
/* A number of epoch object i ("seconds", "val_loss"...): NAN if absent or null. */
double nn_record_epoch_value(const nn_record *r, int i, const char *key);

/* Epoch object i's "epoch" number. */
int nn_record_epoch(const nn_record *r, int i);
/* Compares epoch object i of r with line (a --json epoch object of a re-run): every number but
 * "seconds" and "eval_seconds". A figure differs when |a - b| > tol * max(1, |a|). *max_dev is
 * raised to the largest such difference seen (0: the same printed values); what describes the first
 * differing figure ("epoch 3 val_loss: 0.41 in the record, 0.42 now"). Returns true when all agree. */
bool nn_record_compare_epoch(const nn_record *r, int i, const char *line, double tol, double *max_dev, char *what,
                             size_t cap);
/* The same for the final object (numbers, arrays of numbers, class names). */
bool nn_record_compare_final(const nn_record *r, const char *line, double tol, double *max_dev, char *what,
                             size_t cap);
/* A number of the final object ("accuracy", "test_loss"...): NAN if absent. */
double nn_record_final(const nn_record *r, const char *key);

/* ---- the differences between presets: the columns of `nnterm compare` and the legend of the
 * trainer's pinned runs (ui/pins.c), one wording for both ---- */

#define NN_DIFF_MAX 64

/* The keys whose values differ between presets ps[0..n), in table order (a layer's keys for every
 * layer index any of them has): keys[] receives the dotted key, heads[] a short column name ("lr",
 * "L1 units", "optimizer"). A key counts when two presets that use it have different values, or when
 * a layer is in some presets and not in others; a parameter only one optimizer takes is not listed
 * when the optimizers differ (the optimizer's own column says it). Returns how many, at most max. */
int nn_preset_diff_keys(const nn_preset *const *ps, int n, char (*keys)[96], char (*heads)[48], int max);
/* The value of a dotted key in p as the compare table shows it: nn_preset_get's text without a
 * string's quotes; "-" when p does not use the key (another optimizer's parameter, a missing layer). */
void nn_preset_diff_value(const nn_preset *p, const char *key, char *v, size_t cap);
/* What p has that ref has not, short, for a legend: the phrases of nn_preset_diff_keys over {p, ref}
 * with p's values, joined by ", ": "HEAD VALUE" for numbers ("lr 0.1", "batch_size 64", "L1 units 4"),
 * the word alone for names and kinds ("adam", "L1 relu"), and "N hidden layers" (or "no hidden
 * layer") instead of the layers' keys when the networks differ in depth; "same" when nothing differs.
 * Cut to cap bytes with "..." at the end. Returns the number of phrases (0: the same). */
int nn_preset_diff_label(const nn_preset *p, const nn_preset *ref, char *out, size_t cap);

#endif
