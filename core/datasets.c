/* datasets.c — the source table: every data source nnterm can read, its task, defaults, the dataset
 * keys it takes and its loader. The sources themselves are iris.c (embedded), synthetic.c (seeded
 * 2-D generators), csv.c (a one-pass RFC 4180 reader) and idx.c (MNIST-style image and label files,
 * plain or gzip). */
#include "datasets.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

static nn_status load_iris(nn_dataset *d, const nn_source_info *src, const nn_preset_dataset *ds,
                           const char *base_dir, const char *file, nn_rng *rng, nn_error *err)
{
    return nn_data_iris(d, err);
}

static nn_status load_synthetic(nn_dataset *d, const nn_source_info *src, const nn_preset_dataset *ds,
                                const char *base_dir, const char *file, nn_rng *rng, nn_error *err)
{
    int samples = ds->samples > 0 ? ds->samples : src->default_samples;
    double noise = isnan(ds->noise) ? src->default_noise : ds->noise;
    return nn_data_synthetic(d, src->name, samples, noise, rng, err);
}

static nn_status load_csv(nn_dataset *d, const nn_source_info *src, const nn_preset_dataset *ds,
                          const char *base_dir, const char *file, nn_rng *rng, nn_error *err)
{
    char path[NN_PATH_MAX];
    if (nn_path_join(path, sizeof path, base_dir, ds->path) != 0)
        return nn_error_set(err, NN_EINVAL, "%s: dataset.path: path too long", file);
    return nn_data_csv_file(d, path, ds->label, ds->task, err);
}

static nn_status load_idx(nn_dataset *d, const nn_source_info *src, const nn_preset_dataset *ds,
                          const char *base_dir, const char *file, nn_rng *rng, nn_error *err)
{
    char img[NN_PATH_MAX], lab[NN_PATH_MAX], ti[NN_PATH_MAX] = "", tl[NN_PATH_MAX] = "";
    if (nn_path_join(img, sizeof img, base_dir, ds->images) != 0 ||
        nn_path_join(lab, sizeof lab, base_dir, ds->labels) != 0 ||
        (ds->test_images[0] && nn_path_join(ti, sizeof ti, base_dir, ds->test_images) != 0) ||
        (ds->test_labels[0] && nn_path_join(tl, sizeof tl, base_dir, ds->test_labels) != 0))
        return nn_error_set(err, NN_EINVAL, "%s: dataset: an idx path is too long", file);
    const char *names[NN_IDX_CLASSES];
    for (int c = 0; c < NN_IDX_CLASSES; c++)
        names[c] = ds->classes[c];
    return nn_data_idx(d, img, lab, ti[0] ? ti : NULL, tl[0] ? tl : NULL, ds->n_classes ? names : NULL, err);
}

#define KEY(field, flags, what) {offsetof(nn_preset_dataset, field), #field, flags, what}
#define SYNTHETIC(NAME, TASK, FEATURES, SAMPLES, NOISE, DESCRIPTION)                                       \
    {NAME, TASK, false, 1, FEATURES, SAMPLES, NOISE, DESCRIPTION, 2,                                       \
     {KEY(samples, 0, "the number of points"), KEY(noise, 0, "the noise")}, load_synthetic}

const nn_source_info nn_source_table[] = {
    {"iris", NN_TASK_CLASSIFICATION, false, 0, 4, 150, 0.0,
     "Fisher's iris: 150 flowers, 4 measurements (cm), 3 species (embedded)", 0, {{0}}, load_iris},
    SYNTHETIC("xor", NN_TASK_CLASSIFICATION, 2, 400, 0.05,
              "2-D XOR: points in the four quadrants of [-1,1]^2; class 1 when x1*x2 > 0, else 0"),
    SYNTHETIC("circles", NN_TASK_CLASSIFICATION, 2, 400, 0.05,
              "2-D circles: class 0 a disc of radius 0.5, class 1 a ring from 0.7 to 1"),
    SYNTHETIC("spiral", NN_TASK_CLASSIFICATION, 2, 600, 0.03,
              "2-D spiral: three interleaved arms of radius up to 1, classes 0, 1, 2 (hard)"),
    SYNTHETIC("gaussians", NN_TASK_CLASSIFICATION, 2, 300, 0.1,
              "2-D blobs: three Gaussian clusters (sd 0.15 plus noise) at radius 0.6, classes 0, 1, 2"),
    SYNTHETIC("moons", NN_TASK_CLASSIFICATION, 2, 400, 0.1,
              "2-D moons: two interleaving half circles scaled into [-1,1], classes 0 (upper) and 1 (lower)"),
    SYNTHETIC("sine", NN_TASK_REGRESSION, 1, 200, 0.1, "1-D regression: x uniform in [-pi, pi], y = sin(x) + noise"),
    SYNTHETIC("plane", NN_TASK_REGRESSION, 2, 300, 0.1,
              "2-D regression: x1, x2 uniform in [-1,1], y = 2*x1 - x2 + noise"),
    {"csv", NN_TASK_CLASSIFICATION, true, 0, 0, 0, 0.0,
     "a CSV file with a header row; the label column by name or index (default: the last)", 2,
     {KEY(path, NN_SOURCE_REQUIRED | NN_SOURCE_FILE, "the path of a CSV file (relative to the preset)"),
      KEY(label, 0, "the label column")},
     load_csv},
    {"idx", NN_TASK_CLASSIFICATION, false, 0, -1, 0, 0.0,
     "IDX image and label files (MNIST, Fashion-MNIST; .gz allowed), pixels scaled to [0,1]", 5,
     {KEY(images, NN_SOURCE_REQUIRED | NN_SOURCE_FILE, "an images file (train-images-idx3-ubyte[.gz])"),
      KEY(labels, NN_SOURCE_REQUIRED | NN_SOURCE_FILE, "a labels file (train-labels-idx1-ubyte[.gz])"),
      KEY(test_images, NN_SOURCE_FILE | NN_SOURCE_PAIRED, "a test images file"),
      KEY(test_labels, NN_SOURCE_FILE, "a test labels file"),
      KEY(classes, 0, "the names of the 10 classes")},
     load_idx},
};
const int nn_source_count = (int)(sizeof nn_source_table / sizeof nn_source_table[0]);

const nn_source_info *nn_source_find(const char *name)
{
    if (!name)
        return NULL;
    for (int i = 0; i < nn_source_count; i++)
        if (strcmp(nn_source_table[i].name, name) == 0)
            return &nn_source_table[i];
    return NULL;
}

const nn_source_key *nn_source_key_find(const nn_source_info *src, const char *key)
{
    for (int i = 0; src && i < src->n_keys; i++)
        if (strcmp(src->keys[i].key, key) == 0)
            return &src->keys[i];
    return NULL;
}

bool nn_source_needs_files(const nn_source_info *src)
{
    for (int i = 0; src && i < src->n_keys; i++)
        if ((src->keys[i].flags & (NN_SOURCE_REQUIRED | NN_SOURCE_FILE)) == (NN_SOURCE_REQUIRED | NN_SOURCE_FILE))
            return true;
    return false;
}
