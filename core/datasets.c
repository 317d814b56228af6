/* datasets.c — the source table: every data source nnterm can read, its task and defaults. The
 * sources themselves are iris.c (embedded), synthetic.c (seeded 2-D generators), csv.c (a one-pass
 * RFC 4180 reader) and idx.c (MNIST-style image and label files, plain or gzip). */
#include "datasets.h"

#include <string.h>

// --- source table

const nn_source_info nn_source_table[] = {
    {"iris", NN_TASK_CLASSIFICATION, 0, 150, 0.0,
     "Fisher's iris: 150 flowers, 4 measurements (cm), 3 species (embedded)"},
    {"xor", NN_TASK_CLASSIFICATION, 1, 400, 0.05,
     "2-D XOR: points in the four quadrants of [-1,1]^2; class 1 when x1*x2 > 0, else 0"},
    {"circles", NN_TASK_CLASSIFICATION, 1, 400, 0.05,
     "2-D circles: class 0 a disc of radius 0.5, class 1 a ring from 0.7 to 1"},
    {"spiral", NN_TASK_CLASSIFICATION, 1, 600, 0.03,
     "2-D spiral: three interleaved arms of radius up to 1, classes 0, 1, 2 (hard)"},
    {"gaussians", NN_TASK_CLASSIFICATION, 1, 300, 0.1,
     "2-D blobs: three Gaussian clusters (sd 0.15 plus noise) at radius 0.6, classes 0, 1, 2"},
    {"moons", NN_TASK_CLASSIFICATION, 1, 400, 0.1,
     "2-D moons: two interleaving half circles scaled into [-1,1], classes 0 (upper) and 1 (lower)"},
    {"sine", NN_TASK_REGRESSION, 1, 200, 0.1,
     "1-D regression: x uniform in [-pi, pi], y = sin(x) + noise"},
    {"plane", NN_TASK_REGRESSION, 1, 300, 0.1,
     "2-D regression: x1, x2 uniform in [-1,1], y = 2*x1 - x2 + noise"},
    {"csv", NN_TASK_CLASSIFICATION, 0, 0, 0.0,
     "a CSV file with a header row; the label column by name or index (default: the last)"},
    {"idx", NN_TASK_CLASSIFICATION, 0, 0, 0.0,
     "IDX image and label files (MNIST, Fashion-MNIST; .gz allowed), pixels scaled to [0,1]"},
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
