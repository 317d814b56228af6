/* data.h — a dataset held once (as float, or image pixels as bytes), its train/val/test split (index
 * arrays, never copies), normalisation fitted on the training split, and mini-batch gathering.
 * Single-threaded objects; a finished dataset may be read from several threads. */
#ifndef NN_DATA_H
#define NN_DATA_H

#include "pool.h"
#include "error.h"
#include "rng.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NN_MAX_CLASSES 64
#define NN_NAME_MAX 64      /* fixed-size display copies (the UI's snapshot) hold NN_NAME_MAX-1 bytes;
                               datasets and models keep names whole */

typedef enum { NN_TASK_CLASSIFICATION, NN_TASK_REGRESSION } nn_task;
typedef enum { NN_NORM_ZSCORE, NN_NORM_MINMAX, NN_NORM_NONE, NN_NORM_COUNT } nn_normalize;
extern const char *const nn_norm_names[NN_NORM_COUNT];   /* "zscore", "minmax", "none" */

typedef struct {
    nn_task task;
    int n;                  /* rows */
    int n_features;
    float *x;               /* (n, n_features) features; normalised in place by the trainer; NULL when
                               the features are bytes (x8) */
    uint8_t *x8;            /* image data: (n, n_features) pixel bytes v, the feature being
                               nn_byte_value(v) = v / 255; kept as bytes and normalised as they are
                               read (nn_gather, nn_dataset_row); else NULL */
    const float *x8_shift, *x8_scale;   /* byte features' normalisation (n_features each), borrowed
                               from the trainer's nn_norm by nn_norm_apply_dataset; NULL: none */
    int n_targets;          /* regression: target columns (>= 1); classification: 0 */
    float *y;               /* regression: (n, n_targets) targets in original units; else NULL */
    int32_t *label;         /* classification: (n) class in [0, n_classes); else NULL */
    int n_classes;          /* classification: number of classes (<= NN_MAX_CLASSES); else 0 */
    char **class_names;     /* (n_classes) whole names, each malloc'd (NULL entry: not named yet);
                               NULL for regression */
    char **feature_names;   /* (n_features) whole names, each malloc'd (CSV header, "x1"); NULL when
                               the names are made on demand (image data): see nn_dataset_feature_name */
    long *row_line;         /* CSV: (n) the 1-based line each row starts on, for messages; else NULL */
    int n_fixed_test;       /* the last n_fixed_test rows are the test split (IDX test files); else 0 */
    int n_raw;              /* features expanded from two raw ones (input_features.h): 2; else 0 */
    float *raw;             /* (n, n_raw) the raw coordinates x1, x2 in original units (never normalised);
                               NULL unless expanded */
    char **raw_names;       /* (n_raw) their names (each malloc'd); NULL unless expanded */
    int feature_of[8];      /* expanded: the Playground feature (nn_feature) of each of the n_features columns */
    int image_rows, image_cols;   /* image data (IDX): each row is a rows x cols picture, row by row
                               (image_rows * image_cols == n_features); else 0 */
} nn_dataset;

/* Allocates x (and label or y) for n rows, and the class name table (entries NULL); no feature
 * names (see nn_dataset_set_feature_name). Checks n*n_features for overflow. */
nn_status nn_dataset_alloc(nn_dataset *d, nn_task task, int n, int n_features, int n_classes_or_targets,
                           nn_error *err);
void nn_dataset_free(nn_dataset *d);     /* zeroed or half-built is fine; idempotent */
/* The same with the features as bytes (x8, x NULL): a quarter of the memory for image data. */
nn_status nn_dataset_alloc_bytes(nn_dataset *d, nn_task task, int n, int n_features, int n_classes_or_targets,
                                 nn_error *err);

/* The feature value of pixel byte v: v / 255 in float (exact IEEE division, as IDX images were
 * always scaled). */
static inline float nn_byte_value(uint8_t v)
{
    return (float)v / 255.0f;
}

/* Row i's features as the network sees them (normalised), into out (n_features). */
void nn_dataset_row(const nn_dataset *d, int i, float *out);
/* Feature j of row i as the network sees it (normalised). */
float nn_dataset_value(const nn_dataset *d, int i, int j);

/* Stores a copy of name as feature j (the table is allocated on first use) or as class c. */
nn_status nn_dataset_set_feature_name(nn_dataset *d, int j, const char *name, nn_error *err);
nn_status nn_dataset_set_class_name(nn_dataset *d, int c, const char *name, nn_error *err);
/* Names features[0..nf) and classes[0..nc); either list may be NULL (features: no names stored,
 * classes: "0", "1", ...). On failure d is freed. */
nn_status nn_dataset_set_names(nn_dataset *d, const char *const *features, int nf, const char *const *classes,
                               int nc, nn_error *err);
/* Name of feature j: the stored one, else (image data, no stored names) "px<j>", pixel j row by
 * row from 0, written into buf[0..n). */
const char *nn_dataset_feature_name(const nn_dataset *d, int j, char *buf, size_t n);
/* Name of class c, "" when there is none. */
const char *nn_dataset_class_name(const nn_dataset *d, int c);
/* Frees a table of k malloc'd names (entries may be NULL) and the table. */
void nn_names_free(char **names, int k);

/* Width of the network's output for this dataset: n_classes, or n_targets for regression. */
int nn_dataset_outputs(const nn_dataset *d);

typedef struct {
    uint32_t *train, *val, *test;   /* row indices into the dataset (one allocation) */
    int n_train, n_val, n_test;
} nn_split;

/* Splits the rows by the fractions (which sum to 1): n_train = round(n*train), n_val = round(n*val),
 * n_test = the rest. Rows are shuffled with rng first when shuffle is true. With d->n_fixed_test,
 * the test split is those last rows and train/val divide the others by train/(train+val).
 * Every split must get at least one row when its fraction is > 0, and train at least one. */
nn_status nn_split_init(nn_split *s, const nn_dataset *d, double train, double val, double test,
                        bool shuffle, nn_rng *rng, nn_error *err);
void nn_split_free(nn_split *s);

typedef struct {
    nn_normalize kind;
    int n_features;
    float *shift, *scale;   /* (n_features): x' = (x - shift) / scale; scale 1 for a constant feature */
    int n_targets;          /* regression: targets standardised the same way; else 0 */
    float *y_shift, *y_scale;
} nn_norm;

/* Fits on the rows idx[0..n) (the training split). Targets of a regression dataset are always
 * z-scored (whatever kind says), features by kind. */
nn_status nn_norm_fit(nn_norm *nm, nn_normalize kind, const nn_dataset *d, const uint32_t *idx, int n,
                      nn_error *err);
/* Copies (for the model file and predict). */
nn_status nn_norm_copy(nn_norm *dst, const nn_norm *src, nn_error *err);
void nn_norm_free(nn_norm *nm);
/* x (rows, n_features) in place: x' = (x - shift) / scale. */
void nn_norm_apply(const nn_norm *nm, float *x, int rows);
/* Normalises the dataset's features: float features in place (nn_norm_apply over every row);
 * byte features keep their bytes, and d borrows nm's shift and scale so that nn_gather and
 * nn_dataset_row compute (v / 255 - shift) / scale as they read: the same bits as in place. nm
 * must outlive d's use (the trainer owns both). */
void nn_norm_apply_dataset(const nn_norm *nm, nn_dataset *d);
/* Standardised targets back to original units, v (rows, n_targets) in place. */
void nn_norm_unscale_targets(const nn_norm *nm, float *v, int rows);

/* Gathers rows idx[0..rows) into a contiguous batch:
 * xb (rows, n_features) copied from d->x, or from d->x8 normalised on the way (nn_dataset_row);
 * yb (rows, out): classification one-hot of width out (or, when out == 1 and n_classes == 2,
 * the label as 0/1); regression the targets standardised by nm (nm may be NULL: raw). */
void nn_gather(float *xb, float *yb, int out, const nn_dataset *d, const nn_norm *nm,
               const uint32_t *idx, int rows);
/* The same batch, the rows copied in parts of a fixed size over a pool (a copy: the same bytes
 * for any thread count). pool NULL or a small batch: nn_gather. */
void nn_gather_pool(nn_pool *pool, float *xb, float *yb, int out, const nn_dataset *d,
                    const nn_norm *nm, const uint32_t *idx, int rows);

#endif
