/* datasets.h — dataset sources: iris (embedded), seeded synthetic generators, CSV and IDX loaders.
 * Loaders take a buffer as well as a path, so fuzzers and tests need no files. Errors name the
 * file and the row, column or field. Never reads past the data present. Any thread. */
#ifndef NN_DATASETS_H
#define NN_DATASETS_H

#include "data.h"
#include "error.h"
#include "input_features.h"
#include "files.h"
#include "rng.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NN_IDX_CLASSES 10   /* IDX labels are 0..9 */
#define NN_CLASS_NAME_MAX 32

/* The "dataset" section of a preset: which source and its settings (preset.h reads and writes it). */
typedef struct {
    char source[32];                     /* required: a name in nn_source_table */
    char path[NN_PATH_MAX];              /* csv: relative to the preset's folder */
    char label[128];                     /* csv: column name or index; "" = last column */
    int task;                            /* nn_task or NN_AUTO (-1: the source's default) */
    char images[NN_PATH_MAX], labels[NN_PATH_MAX];
    char test_images[NN_PATH_MAX], test_labels[NN_PATH_MAX];
    int n_classes;                       /* idx: class names given (0: "0".."9") */
    char classes[NN_IDX_CLASSES][NN_CLASS_NAME_MAX];
    int samples;                         /* synthetic; 0 = the source's default */
    double noise;                        /* synthetic; NAN = the source's default */
    nn_normalize normalize;              /* default zscore */
    double split_train, split_val, split_test;   /* default 0.7 / 0.1 / 0.2 */
    bool shuffle;                        /* default true */
    int n_features;                      /* dataset.features given: how many names (0: the data's own features) */
    char features[NN_FEAT_COUNT][NN_FEAT_NAME_MAX];   /* their names ("x1", "sin(x1)"), nn_feature_table's */
    double seed;                         /* dataset.seed: draws the synthetic data and the split; NAN = auto
                                            (the preset's seed, as before the key existed) */
} nn_preset_dataset;

/* A key of the dataset section that a source takes: the field of nn_preset_dataset, its key, and
 * what it is for the "missing" message ("a labels file (train-labels-idx1-ubyte[.gz])"). */
enum {
    NN_SOURCE_REQUIRED = 1,   /* the source cannot load without it */
    NN_SOURCE_FILE = 2,       /* a path, relative to the preset (a save must not replace it) */
    NN_SOURCE_PAIRED = 4,     /* given together with the next key, or not at all */
};
typedef struct {
    size_t off;
    const char *key;          /* "path", "images", ... */
    unsigned flags;
    const char *what;
} nn_source_key;

#define NN_SOURCE_MAX_KEYS 6

typedef struct nn_source_info nn_source_info;
/* Loads source src as ds describes it; relative paths against base_dir, file (the preset) in
 * messages, rng for generated data. */
typedef nn_status (*nn_source_load_fn)(nn_dataset *d, const nn_source_info *src, const nn_preset_dataset *ds,
                                       const char *base_dir, const char *file, nn_rng *rng, nn_error *err);

/* One row per data source (datasets.c). Adding one is its loader and one row. */
struct nn_source_info {
    const char *name;          /* "iris", "xor", "circles", "spiral", "gaussians", "moons", "sine", "plane", "csv",
                                  "idx" */
    nn_task task;              /* its task, unless task_from_data */
    bool task_from_data;       /* the file decides (csv: string or integer labels are classes) */
    int synthetic;             /* generated: takes samples and noise */
    int n_features;            /* the raw features it gives (iris 4, 2-D sources 2); 0: its file decides (csv);
                                  -1: images, hundreds of pixels (idx) */
    int default_samples;
    double default_noise;
    const char *description;   /* one line for the README and the UI */
    int n_keys;
    nn_source_key keys[NN_SOURCE_MAX_KEYS];   /* the dataset keys it takes beyond the common ones */
    nn_source_load_fn load;
};

extern const nn_source_info nn_source_table[];
extern const int nn_source_count;
const nn_source_info *nn_source_find(const char *name);    /* NULL if unknown */
/* The key of src named key ("path"), or NULL if src does not take it. */
const nn_source_key *nn_source_key_find(const nn_source_info *src, const char *key);
/* True if src needs files (its keys include a required file: csv, idx). */
bool nn_source_needs_files(const nn_source_info *src);

/* Iris: 150 rows, 4 named features, 3 named classes (setosa, versicolor, virginica). */
nn_status nn_data_iris(nn_dataset *d, nn_error *err);

/* Synthetic sources (2 features, 2 classes unless said): xor, circles, spiral (3 classes),
 * gaussians (3 classes), moons; regression: sine (1 feature: y = sin(x) + noise), plane (2 features).
 * samples >= 1, noise >= 0. Same rng state, same data. */
nn_status nn_data_synthetic(nn_dataset *d, const char *name, int samples, double noise, nn_rng *rng,
                            nn_error *err);

/* CSV (RFC 4180: quotes, embedded commas, quotes and newlines, CRLF, UTF-8 BOM) with a header row.
 * label: the target column by header name or 0-based index ("4"); NULL or "" = the last column.
 * task: NN_TASK_* or -1 for auto (string labels -> classification; all-integer labels ->
 * classification; otherwise regression). String labels become classes in order of first
 * appearance. Every other column is a feature and must be a finite number.
 * filename is used in messages only. One pass over the buffer. */
nn_status nn_data_csv(nn_dataset *d, const char *buf, size_t len, const char *filename,
                      const char *label, int task, nn_error *err);
nn_status nn_data_csv_file(nn_dataset *d, const char *path, const char *label, int task, nn_error *err);

/* CSV for prediction: the features are the columns named in names[0..n) (found by header name, in
 * that order); other columns are ignored; no labels (task regression, n_targets 0, y NULL). */
nn_status nn_data_csv_columns(nn_dataset *d, const char *buf, size_t len, const char *filename,
                              const char *const *names, int n, nn_error *err);

/* IDX (MNIST / Fashion-MNIST). buf is the decompressed file. images: magic 0x00000803, dims (n, r, c),
 * pixels scaled to [0, 1]; labels: magic 0x00000801. Shapes and lengths are checked. */
nn_status nn_idx_parse_images(const uint8_t *buf, size_t len, const char *filename,
                              float **out, int *n, int *rows, int *cols, nn_error *err);
nn_status nn_idx_parse_labels(const uint8_t *buf, size_t len, const char *filename,
                              uint8_t **out, int *n, nn_error *err);
/* Reads a file, gunzipping it when it starts with the gzip magic. */
nn_status nn_idx_read_file(const char *path, uint8_t **buf, size_t *len, nn_error *err);
/* The whole dataset: train images+labels, and when test_images/test_labels are given (non-NULL,
 * non-empty) those rows appended as the fixed test split (d->n_fixed_test). 10 classes named
 * classes[0..9], or "0".."9" when classes is NULL (a preset's dataset.classes). */
nn_status nn_data_idx(nn_dataset *d, const char *images, const char *labels, const char *test_images,
                      const char *test_labels, const char *const *classes, nn_error *err);

#endif
