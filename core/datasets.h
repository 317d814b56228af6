/* datasets.h — dataset sources: iris (embedded), seeded synthetic generators, CSV and IDX loaders.
 * Loaders take a buffer as well as a path, so fuzzers and tests need no files. Errors name the
 * file and the row, column or field. Never reads past the data present. Any thread. */
#ifndef NN_DATASETS_H
#define NN_DATASETS_H

#include "data.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *name;          /* "iris", "xor", "circles", "spiral", "gaussians", "moons", "sine", "plane", "csv", "idx" */
    nn_task task;              /* default task */
    int synthetic;             /* takes samples and noise */
    int default_samples;
    double default_noise;
    const char *description;   /* one line for the README and the UI */
} nn_source_info;

extern const nn_source_info nn_source_table[];
extern const int nn_source_count;
const nn_source_info *nn_source_find(const char *name);    /* NULL if unknown */

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
 * "0".."9", or Fashion-MNIST's names when fashion is true. */
nn_status nn_data_idx(nn_dataset *d, const char *images, const char *labels, const char *test_images,
                      const char *test_labels, int fashion, nn_error *err);

#endif
