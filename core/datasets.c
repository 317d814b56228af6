/* datasets.c — where data comes from: the source table, iris (embedded), seeded 2-D generators,
 * a one-pass RFC 4180 CSV reader and an IDX (MNIST / Fashion-MNIST) reader with gzip support.
 * Every loader fills an nn_dataset or fails with one line naming the file and the line, column
 * or field. Never reads past len. No global state: the rng and buffers are the caller's. */
#include "datasets.h"
#include "files.h"
#include "text.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define PI 3.14159265358979323846
#define MAX_SAMPLES 10000000
#define MAX_CELLS ((size_t)1 << 31)   /* same limit as nn_dataset_alloc */

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

/* Names features[0..nf) and classes[0..nc) (either may be NULL: "x1".. / "0".. are made). */
static nn_status name_dataset(nn_dataset *d, const char *const *features, int nf, const char *const *classes,
                              int nc, nn_error *err)
{
    nn_status st = NN_OK;
    char buf[32];
    for (int j = 0; j < nf && !st; j++)
        st = nn_dataset_set_feature_name(d, j, features[j], err);
    for (int c = 0; c < nc && !st; c++) {
        snprintf(buf, sizeof buf, "%d", c);
        st = nn_dataset_set_class_name(d, c, classes ? classes[c] : buf, err);
    }
    if (st)
        nn_dataset_free(d);
    return st;
}

// --- iris

/* Fisher's iris data (1936) in the UCI order: 50 setosa, 50 versicolor, 50 virginica.
 * UCI's iris.data has two transcription errors that its iris.names documents; this table has
 * Fisher's values, as R's `iris` and scikit-learn do: row 35 is 4.9,3.1,1.5,0.2 (UCI: 0.1 in
 * the last column) and row 38 is 4.9,3.6,1.4,0.1 (UCI: 4.9,3.1,1.5,0.1). Column sums:
 * 876.5, 458.6, 563.7, 179.9 (UCI's file: 876.5, 458.1, 563.8, 179.8). */
static const float iris_x[150][4] = {
    {5.1f, 3.5f, 1.4f, 0.2f}, {4.9f, 3.0f, 1.4f, 0.2f}, {4.7f, 3.2f, 1.3f, 0.2f},
    {4.6f, 3.1f, 1.5f, 0.2f}, {5.0f, 3.6f, 1.4f, 0.2f}, {5.4f, 3.9f, 1.7f, 0.4f},
    {4.6f, 3.4f, 1.4f, 0.3f}, {5.0f, 3.4f, 1.5f, 0.2f}, {4.4f, 2.9f, 1.4f, 0.2f},
    {4.9f, 3.1f, 1.5f, 0.1f}, {5.4f, 3.7f, 1.5f, 0.2f}, {4.8f, 3.4f, 1.6f, 0.2f},
    {4.8f, 3.0f, 1.4f, 0.1f}, {4.3f, 3.0f, 1.1f, 0.1f}, {5.8f, 4.0f, 1.2f, 0.2f},
    {5.7f, 4.4f, 1.5f, 0.4f}, {5.4f, 3.9f, 1.3f, 0.4f}, {5.1f, 3.5f, 1.4f, 0.3f},
    {5.7f, 3.8f, 1.7f, 0.3f}, {5.1f, 3.8f, 1.5f, 0.3f}, {5.4f, 3.4f, 1.7f, 0.2f},
    {5.1f, 3.7f, 1.5f, 0.4f}, {4.6f, 3.6f, 1.0f, 0.2f}, {5.1f, 3.3f, 1.7f, 0.5f},
    {4.8f, 3.4f, 1.9f, 0.2f}, {5.0f, 3.0f, 1.6f, 0.2f}, {5.0f, 3.4f, 1.6f, 0.4f},
    {5.2f, 3.5f, 1.5f, 0.2f}, {5.2f, 3.4f, 1.4f, 0.2f}, {4.7f, 3.2f, 1.6f, 0.2f},
    {4.8f, 3.1f, 1.6f, 0.2f}, {5.4f, 3.4f, 1.5f, 0.4f}, {5.2f, 4.1f, 1.5f, 0.1f},
    {5.5f, 4.2f, 1.4f, 0.2f}, {4.9f, 3.1f, 1.5f, 0.2f}, {5.0f, 3.2f, 1.2f, 0.2f},
    {5.5f, 3.5f, 1.3f, 0.2f}, {4.9f, 3.6f, 1.4f, 0.1f}, {4.4f, 3.0f, 1.3f, 0.2f},
    {5.1f, 3.4f, 1.5f, 0.2f}, {5.0f, 3.5f, 1.3f, 0.3f}, {4.5f, 2.3f, 1.3f, 0.3f},
    {4.4f, 3.2f, 1.3f, 0.2f}, {5.0f, 3.5f, 1.6f, 0.6f}, {5.1f, 3.8f, 1.9f, 0.4f},
    {4.8f, 3.0f, 1.4f, 0.3f}, {5.1f, 3.8f, 1.6f, 0.2f}, {4.6f, 3.2f, 1.4f, 0.2f},
    {5.3f, 3.7f, 1.5f, 0.2f}, {5.0f, 3.3f, 1.4f, 0.2f}, {7.0f, 3.2f, 4.7f, 1.4f},
    {6.4f, 3.2f, 4.5f, 1.5f}, {6.9f, 3.1f, 4.9f, 1.5f}, {5.5f, 2.3f, 4.0f, 1.3f},
    {6.5f, 2.8f, 4.6f, 1.5f}, {5.7f, 2.8f, 4.5f, 1.3f}, {6.3f, 3.3f, 4.7f, 1.6f},
    {4.9f, 2.4f, 3.3f, 1.0f}, {6.6f, 2.9f, 4.6f, 1.3f}, {5.2f, 2.7f, 3.9f, 1.4f},
    {5.0f, 2.0f, 3.5f, 1.0f}, {5.9f, 3.0f, 4.2f, 1.5f}, {6.0f, 2.2f, 4.0f, 1.0f},
    {6.1f, 2.9f, 4.7f, 1.4f}, {5.6f, 2.9f, 3.6f, 1.3f}, {6.7f, 3.1f, 4.4f, 1.4f},
    {5.6f, 3.0f, 4.5f, 1.5f}, {5.8f, 2.7f, 4.1f, 1.0f}, {6.2f, 2.2f, 4.5f, 1.5f},
    {5.6f, 2.5f, 3.9f, 1.1f}, {5.9f, 3.2f, 4.8f, 1.8f}, {6.1f, 2.8f, 4.0f, 1.3f},
    {6.3f, 2.5f, 4.9f, 1.5f}, {6.1f, 2.8f, 4.7f, 1.2f}, {6.4f, 2.9f, 4.3f, 1.3f},
    {6.6f, 3.0f, 4.4f, 1.4f}, {6.8f, 2.8f, 4.8f, 1.4f}, {6.7f, 3.0f, 5.0f, 1.7f},
    {6.0f, 2.9f, 4.5f, 1.5f}, {5.7f, 2.6f, 3.5f, 1.0f}, {5.5f, 2.4f, 3.8f, 1.1f},
    {5.5f, 2.4f, 3.7f, 1.0f}, {5.8f, 2.7f, 3.9f, 1.2f}, {6.0f, 2.7f, 5.1f, 1.6f},
    {5.4f, 3.0f, 4.5f, 1.5f}, {6.0f, 3.4f, 4.5f, 1.6f}, {6.7f, 3.1f, 4.7f, 1.5f},
    {6.3f, 2.3f, 4.4f, 1.3f}, {5.6f, 3.0f, 4.1f, 1.3f}, {5.5f, 2.5f, 4.0f, 1.3f},
    {5.5f, 2.6f, 4.4f, 1.2f}, {6.1f, 3.0f, 4.6f, 1.4f}, {5.8f, 2.6f, 4.0f, 1.2f},
    {5.0f, 2.3f, 3.3f, 1.0f}, {5.6f, 2.7f, 4.2f, 1.3f}, {5.7f, 3.0f, 4.2f, 1.2f},
    {5.7f, 2.9f, 4.2f, 1.3f}, {6.2f, 2.9f, 4.3f, 1.3f}, {5.1f, 2.5f, 3.0f, 1.1f},
    {5.7f, 2.8f, 4.1f, 1.3f}, {6.3f, 3.3f, 6.0f, 2.5f}, {5.8f, 2.7f, 5.1f, 1.9f},
    {7.1f, 3.0f, 5.9f, 2.1f}, {6.3f, 2.9f, 5.6f, 1.8f}, {6.5f, 3.0f, 5.8f, 2.2f},
    {7.6f, 3.0f, 6.6f, 2.1f}, {4.9f, 2.5f, 4.5f, 1.7f}, {7.3f, 2.9f, 6.3f, 1.8f},
    {6.7f, 2.5f, 5.8f, 1.8f}, {7.2f, 3.6f, 6.1f, 2.5f}, {6.5f, 3.2f, 5.1f, 2.0f},
    {6.4f, 2.7f, 5.3f, 1.9f}, {6.8f, 3.0f, 5.5f, 2.1f}, {5.7f, 2.5f, 5.0f, 2.0f},
    {5.8f, 2.8f, 5.1f, 2.4f}, {6.4f, 3.2f, 5.3f, 2.3f}, {6.5f, 3.0f, 5.5f, 1.8f},
    {7.7f, 3.8f, 6.7f, 2.2f}, {7.7f, 2.6f, 6.9f, 2.3f}, {6.0f, 2.2f, 5.0f, 1.5f},
    {6.9f, 3.2f, 5.7f, 2.3f}, {5.6f, 2.8f, 4.9f, 2.0f}, {7.7f, 2.8f, 6.7f, 2.0f},
    {6.3f, 2.7f, 4.9f, 1.8f}, {6.7f, 3.3f, 5.7f, 2.1f}, {7.2f, 3.2f, 6.0f, 1.8f},
    {6.2f, 2.8f, 4.8f, 1.8f}, {6.1f, 3.0f, 4.9f, 1.8f}, {6.4f, 2.8f, 5.6f, 2.1f},
    {7.2f, 3.0f, 5.8f, 1.6f}, {7.4f, 2.8f, 6.1f, 1.9f}, {7.9f, 3.8f, 6.4f, 2.0f},
    {6.4f, 2.8f, 5.6f, 2.2f}, {6.3f, 2.8f, 5.1f, 1.5f}, {6.1f, 2.6f, 5.6f, 1.4f},
    {7.7f, 3.0f, 6.1f, 2.3f}, {6.3f, 3.4f, 5.6f, 2.4f}, {6.4f, 3.1f, 5.5f, 1.8f},
    {6.0f, 3.0f, 4.8f, 1.8f}, {6.9f, 3.1f, 5.4f, 2.1f}, {6.7f, 3.1f, 5.6f, 2.4f},
    {6.9f, 3.1f, 5.1f, 2.3f}, {5.8f, 2.7f, 5.1f, 1.9f}, {6.8f, 3.2f, 5.9f, 2.3f},
    {6.7f, 3.3f, 5.7f, 2.5f}, {6.7f, 3.0f, 5.2f, 2.3f}, {6.3f, 2.5f, 5.0f, 1.9f},
    {6.5f, 3.0f, 5.2f, 2.0f}, {6.2f, 3.4f, 5.4f, 2.3f}, {5.9f, 3.0f, 5.1f, 1.8f},
};

nn_status nn_data_iris(nn_dataset *d, nn_error *err)
{
    static const char *const features[4] = {"sepal_length", "sepal_width", "petal_length", "petal_width"};
    static const char *const classes[3] = {"setosa", "versicolor", "virginica"};
    nn_status st = nn_dataset_alloc(d, NN_TASK_CLASSIFICATION, 150, 4, 3, err);
    if (st)
        return st;
    memcpy(d->x, iris_x, sizeof iris_x);
    for (int i = 0; i < 150; i++)
        d->label[i] = i / 50;
    return name_dataset(d, features, 4, classes, 3, err);
}

// --- synthetic generators
/* Each generator writes row i's features and returns its class (or target). Classes take turns
 * (i % k), so every class gets n/k rows, plus one for the first n % k classes. The label is
 * decided before the noise, so noise makes the classes overlap as it grows. */

typedef struct {
    const char *name;
    int n_features, k;          /* k: classes, or 0 for regression (one target) */
    /* Fills x[0..n_features); returns the class, or writes *y for regression. */
    int (*gen)(float *x, float *y, int cls, double noise, nn_rng *r);
} generator;

static double uniform_in(nn_rng *r, double lo, double hi)
{
    return lo + (hi - lo) * nn_rng_uniform(r);
}

static void put2(float *x, double a, double b, double noise, nn_rng *r)
{
    x[0] = (float)(a + noise * nn_rng_normal(r));
    x[1] = (float)(b + noise * nn_rng_normal(r));
}

/* Quadrants: class 1 in (+,+) and (-,-), class 0 in (+,-) and (-,+); |x| kept 0.05 away from
 * the axes so the noiseless classes are separable. */
static int gen_xor(float *x, float *y, int cls, double noise, nn_rng *r)
{
    (void)y;
    double a = uniform_in(r, 0.05, 1.0), b = uniform_in(r, 0.05, 1.0);
    int sa = nn_rng_uniform(r) < 0.5 ? -1 : 1;
    int sb = cls == 1 ? sa : -sa;
    put2(x, sa * a, sb * b, noise, r);
    return cls;
}

/* Uniform over the area: radius sqrt(u) between the inner and outer radius. */
static int gen_circles(float *x, float *y, int cls, double noise, nn_rng *r)
{
    (void)y;
    double lo = cls == 0 ? 0.0 : 0.7, hi = cls == 0 ? 0.5 : 1.0;
    double rad = sqrt(lo * lo + (hi * hi - lo * lo) * nn_rng_uniform(r));
    double t = 2.0 * PI * nn_rng_uniform(r);
    put2(x, rad * cos(t), rad * sin(t), noise, r);
    return cls;
}

/* Arm k: radius t, angle 2*pi*k/3 + 3*pi*t for t in [0, 1]: one and a half half-turns. */
static int gen_spiral(float *x, float *y, int cls, double noise, nn_rng *r)
{
    (void)y;
    double t = nn_rng_uniform(r);
    double a = 2.0 * PI * cls / 3.0 + 3.0 * PI * t;
    double rad = 0.05 + 0.95 * t;
    put2(x, rad * cos(a), rad * sin(a), noise, r);
    return cls;
}

static int gen_gaussians(float *x, float *y, int cls, double noise, nn_rng *r)
{
    (void)y;
    double a = PI / 2.0 + 2.0 * PI * cls / 3.0;
    double cx = 0.6 * cos(a) + 0.15 * nn_rng_normal(r), cy = 0.6 * sin(a) + 0.15 * nn_rng_normal(r);
    put2(x, cx, cy, noise, r);
    return cls;
}

/* scikit-learn's make_moons (upper: (cos t, sin t); lower: (1 - cos t, 0.5 - sin t)), whose box
 * [-1, 2] x [-0.5, 1] is mapped onto [-1, 1] x [-0.5, 0.5] by (x - 0.5)/1.5, (y - 0.25)/1.5. */
static int gen_moons(float *x, float *y, int cls, double noise, nn_rng *r)
{
    (void)y;
    double t = PI * nn_rng_uniform(r);
    double a = cls == 0 ? cos(t) : 1.0 - cos(t);
    double b = cls == 0 ? sin(t) : 0.5 - sin(t);
    put2(x, (a - 0.5) / 1.5, (b - 0.25) / 1.5, noise, r);
    return cls;
}

static int gen_sine(float *x, float *y, int cls, double noise, nn_rng *r)
{
    (void)cls;
    double v = uniform_in(r, -PI, PI);
    x[0] = (float)v;
    y[0] = (float)(sin(v) + noise * nn_rng_normal(r));
    return 0;
}

static int gen_plane(float *x, float *y, int cls, double noise, nn_rng *r)
{
    (void)cls;
    double a = uniform_in(r, -1.0, 1.0), b = uniform_in(r, -1.0, 1.0);
    x[0] = (float)a;
    x[1] = (float)b;
    y[0] = (float)(2.0 * a - b + noise * nn_rng_normal(r));
    return 0;
}

static const generator generators[] = {
    {"xor", 2, 2, gen_xor},         {"circles", 2, 2, gen_circles}, {"spiral", 2, 3, gen_spiral},
    {"gaussians", 2, 3, gen_gaussians}, {"moons", 2, 2, gen_moons}, {"sine", 1, 0, gen_sine},
    {"plane", 2, 0, gen_plane},
};

nn_status nn_data_synthetic(nn_dataset *d, const char *name, int samples, double noise, nn_rng *rng,
                            nn_error *err)
{
    memset(d, 0, sizeof *d);
    const generator *g = NULL;
    for (size_t i = 0; i < sizeof generators / sizeof generators[0]; i++)
        if (name && strcmp(generators[i].name, name) == 0)
            g = &generators[i];
    if (!g)
        return nn_error_set(err, NN_EINVAL, "dataset.source: \"%s\" is not a synthetic source", name ? name : "");
    if (samples < 1 || samples > MAX_SAMPLES)
        return nn_error_set(err, NN_EINVAL, "dataset.samples: %d is out of range (1..%d)", samples, MAX_SAMPLES);
    if (!(noise >= 0.0) || !isfinite(noise))
        return nn_error_set(err, NN_EINVAL, "dataset.noise: %g is out of range (expected a finite value >= 0)",
                            noise);
    nn_task task = g->k > 0 ? NN_TASK_CLASSIFICATION : NN_TASK_REGRESSION;
    nn_status st = nn_dataset_alloc(d, task, samples, g->n_features, g->k > 0 ? g->k : 1, err);
    if (st)
        return st;
    for (int i = 0; i < samples; i++) {
        float *x = d->x + (size_t)i * (size_t)g->n_features;
        if (g->k > 0)
            d->label[i] = g->gen(x, NULL, i % g->k, noise, rng);
        else
            g->gen(x, d->y + i, 0, noise, rng);
    }
    static const char *const one[1] = {"x"}, *const two[2] = {"x1", "x2"};
    return name_dataset(d, g->n_features == 1 ? one : two, g->n_features, NULL, g->k, err);
}

// --- CSV
/* One pass: a byte loop splits records into fields (unquoting into a scratch row buffer, so a
 * field is always NUL-terminated and strtod never sees past it), and each record is converted
 * as soon as it ends. Features go straight into a float array that doubles when full; labels
 * are kept both as numbers and as string-class ids until the end decides the task:
 * any non-numeric label -> string classes; all integers -> classes sorted by value; else
 * regression. Lines are physical, 1-based, the header being line 1; a record that spans lines
 * (a quoted newline) is reported at its first line. Completely blank lines are skipped. */

typedef struct {
    char *b;        /* field text, each field NUL-terminated */
    size_t len, cap;
    size_t *off;    /* (nf) field start offsets into b */
    int nf, fcap;
} csv_row;

static int row_putc(csv_row *r, char c)
{
    if (r->len == r->cap) {
        size_t nc = r->cap ? r->cap * 2 : 256;
        char *nb = realloc(r->b, nc);
        if (!nb)
            return -1;
        r->b = nb;
        r->cap = nc;
    }
    r->b[r->len++] = c;
    return 0;
}

static int row_put(csv_row *r, const char *s, size_t n)
{
    if (n == 0)
        return 0;
    if (r->cap - r->len < n) {
        size_t nc = r->cap ? r->cap : 256;
        while (nc - r->len < n)
            nc *= 2;
        char *nb = realloc(r->b, nc);
        if (!nb)
            return -1;
        r->b = nb;
        r->cap = nc;
    }
    memcpy(r->b + r->len, s, n);
    r->len += n;
    return 0;
}

static int row_start_field(csv_row *r)
{
    if (r->nf == r->fcap) {
        if (r->fcap > INT_MAX / 2)
            return -1;
        int nc = r->fcap ? r->fcap * 2 : 32;
        size_t *no = realloc(r->off, (size_t)nc * sizeof *no);
        if (!no)
            return -1;
        r->off = no;
        r->fcap = nc;
    }
    r->off[r->nf++] = r->len;
    return 0;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

/* A cell or name quoted in a message: at most NN_EXCERPT bytes, control characters escaped. */
#define EXCERPT_CAP (NN_EXCERPT * 4 + 8)
static const char *excerpt(char *out, const char *s)
{
    return nn_text_excerpt(out, EXCERPT_CAP, s, NN_EXCERPT);
}

/* Parses the whole (trimmed) cell as a finite double; 0 on success. */
static int parse_number(const char *s, double *v)
{
    if (!*s)
        return -1;
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (end == s || *end != '\0' || !isfinite(x))
        return -1;
    if (errno == ERANGE && fabs(x) > 1.0)    /* overflow (underflow to 0 or a denormal is fine) */
        return -1;
    *v = x;
    return 0;
}

typedef struct {
    const char *file;
    int mode_columns;               /* nn_data_csv_columns: no label */
    const char *label_arg;
    const char *const *names;       /* mode_columns: the wanted features */
    int n_names;
    int task;                       /* -1 auto */

    int header_done;
    int ncols, label_col, nfeat;
    int *col_feat;                  /* (ncols) feature index of each column, or -1 */
    char **feat_names;              /* (nfeat) whole names, malloc'd */
    char *label_name;               /* the label column's name, malloc'd */

    int n, cap;                     /* data rows */
    float *x;                       /* (cap, nfeat) */
    long *line;                     /* (cap) the line each row starts on */
    double *val;                    /* (cap) numeric label, NAN if not a number */
    int32_t *sid;                   /* (cap) string class id, -1 after the table overflowed */
    char **sclass;                  /* (NN_MAX_CLASSES) string classes in order of appearance, whole */
    int n_sclass;
    long overflow_line;             /* first line with a 65th distinct label string, or 0 */
    long first_text_line;           /* first line with a non-numeric label, or 0 */
    char first_text[EXCERPT_CAP];
    long first_frac_line;           /* first line with a non-integer numeric label, or 0 */
    char first_frac[EXCERPT_CAP];
    long first_big_line;            /* first line with an integer label beyond int range, or 0 */
    char first_big[EXCERPT_CAP];
} csv_state;

static void csv_state_free(csv_state *s)
{
    free(s->col_feat);
    nn_names_free(s->feat_names, s->nfeat);
    free(s->label_name);
    free(s->x);
    free(s->line);
    free(s->val);
    free(s->sid);
    nn_names_free(s->sclass, NN_MAX_CLASSES);
}

static char *dup_str(const char *src)
{
    size_t n = strlen(src);
    char *d = malloc(n + 1);
    if (d)
        memcpy(d, src, n + 1);
    return d;
}

/* A header of one column that holds ';' or tabs: a CSV from a spreadsheet in a locale that
 * separates with semicolons, or a TSV file. */
static nn_status check_separator(csv_state *s, int ncols, const char *first, nn_error *err)
{
    if (ncols != 1)
        return NN_OK;
    const char *kind = strchr(first, ';') ? "semicolon" : strchr(first, '\t') ? "tab" : NULL;
    if (!kind)
        return NN_OK;
    return nn_error_set(err, NN_EINVAL, "%s: line 1: the header has no commas but looks %s-separated: nnterm reads "
                        "comma-separated CSV (save the file with commas as separators)", s->file, kind);
}

/* Every header name is non-empty and unique (after trimming), so that a model trained on this file
 * can find its columns by name in the same file again. Columns are counted from 1 here. */
static nn_status check_names(csv_state *s, char **names, nn_error *err)
{
    for (int j = 0; j < s->ncols; j++)
        if (!names[j][0])
            return nn_error_set(err, NN_EINVAL, "%s: line 1: column %d has no name in the header (every column "
                                "needs a name: predict finds the features by their names)", s->file, j + 1);
    /* duplicates: sort the column numbers by name (O(n log n): headers can have a million columns) */
    int *ord = malloc((size_t)s->ncols * sizeof *ord);
    if (!ord)
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory for the header", s->file);
    for (int j = 0; j < s->ncols; j++)
        ord[j] = j;
    /* a merge sort by (name, column): stable and without a global for qsort's comparator */
    int *tmp = malloc((size_t)s->ncols * sizeof *tmp);
    if (!tmp) {
        free(ord);
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory for the header", s->file);
    }
    for (int w = 1; w < s->ncols; w *= 2) {
        for (int lo = 0; lo < s->ncols; lo += 2 * w) {
            int mid = lo + w < s->ncols ? lo + w : s->ncols;
            int hi = lo + 2 * w < s->ncols ? lo + 2 * w : s->ncols;
            int a = lo, b = mid, k = lo;
            while (a < mid && b < hi)
                tmp[k++] = strcmp(names[ord[a]], names[ord[b]]) <= 0 ? ord[a++] : ord[b++];
            while (a < mid)
                tmp[k++] = ord[a++];
            while (b < hi)
                tmp[k++] = ord[b++];
        }
        memcpy(ord, tmp, (size_t)s->ncols * sizeof *ord);
    }
    free(tmp);
    int first = -1, second = -1;
    for (int k = 1; k < s->ncols; k++) {
        if (strcmp(names[ord[k - 1]], names[ord[k]]) != 0)
            continue;
        int a = ord[k - 1] < ord[k] ? ord[k - 1] : ord[k], b = ord[k - 1] < ord[k] ? ord[k] : ord[k - 1];
        if (first < 0 || b < second) {   /* report the pair whose later column comes first */
            first = a;
            second = b;
        }
    }
    free(ord);
    if (first >= 0) {
        char ex[EXCERPT_CAP];
        return nn_error_set(err, NN_EINVAL, "%s: line 1: columns %d and %d are both named '%s' (header names must "
                            "be unique: predict finds the features by their names)", s->file, first + 1, second + 1,
                            excerpt(ex, names[first]));
    }
    return NN_OK;
}

static nn_status csv_header(csv_state *s, csv_row *r, nn_error *err)
{
    s->ncols = r->nf;
    s->col_feat = malloc((size_t)s->ncols * sizeof *s->col_feat);
    if (!s->col_feat)
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory for the header", s->file);
    char **names = malloc((size_t)s->ncols * sizeof *names);
    if (!names)
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory for the header", s->file);
    for (int j = 0; j < s->ncols; j++)
        names[j] = trim(r->b + r->off[j]);

    char ex[EXCERPT_CAP];
    nn_status st = check_separator(s, s->ncols, names[0], err);
    if (!st)
        st = check_names(s, names, err);
    if (!st && s->mode_columns) {
        s->label_col = -1;
        for (int j = 0; j < s->ncols; j++)
            s->col_feat[j] = -1;
        for (int k = 0; k < s->n_names && !st; k++) {
            int found = -1;
            for (int j = 0; j < s->ncols && found < 0; j++)
                if (strcmp(names[j], s->names[k]) == 0)
                    found = j;
            if (found < 0)
                st = nn_error_set(err, NN_EINVAL, "%s: line 1: no column named '%s' in the header (the model needs it)",
                                  s->file, excerpt(ex, s->names[k]));
            else if (s->col_feat[found] >= 0)
                st = nn_error_set(err, NN_EINVAL, "%s: line 1: column '%s' is asked for twice", s->file,
                                  excerpt(ex, s->names[k]));
            else
                s->col_feat[found] = k;
        }
        if (!st)
            s->nfeat = s->n_names;
    } else if (!st) {
        /* The label: a header name first, else a 0-based index, else the last column. */
        s->label_col = -1;
        const char *lab = s->label_arg;
        if (!lab || !*lab) {
            s->label_col = s->ncols - 1;
        } else {
            for (int j = 0; j < s->ncols && s->label_col < 0; j++)
                if (strcmp(names[j], lab) == 0)
                    s->label_col = j;
            if (s->label_col < 0 && strspn(lab, "0123456789") == strlen(lab) && strlen(lab) < 10) {
                long k = strtol(lab, NULL, 10);
                if (k >= s->ncols)
                    st = nn_error_set(err, NN_EINVAL,
                                      "%s: label column %ld is out of range (the header has %d columns, 0..%d)",
                                      s->file, k, s->ncols, s->ncols - 1);
                else
                    s->label_col = (int)k;
            } else if (s->label_col < 0) {
                st = nn_error_set(err, NN_EINVAL, "%s: line 1: no column named '%s' in the header (give a name or a "
                                  "0-based index)", s->file, excerpt(ex, lab));
            }
        }
        if (!st && s->ncols < 2)
            st = nn_error_set(err, NN_EINVAL, "%s: line 1: the header has one column, '%s' (expected feature columns "
                              "and a label column, separated by commas)", s->file, excerpt(ex, names[0]));
        if (!st) {
            int k = 0;
            for (int j = 0; j < s->ncols; j++)
                s->col_feat[j] = j == s->label_col ? -1 : k++;
            s->label_name = dup_str(names[s->label_col]);
            if (!s->label_name)
                st = nn_error_set(err, NN_ENOMEM, "%s: out of memory for the header", s->file);
            else
                s->nfeat = s->ncols - 1;
        }
    }
    if (!st) {
        s->feat_names = calloc((size_t)s->nfeat, sizeof *s->feat_names);
        if (!s->feat_names) {
            s->nfeat = 0;
            st = nn_error_set(err, NN_ENOMEM, "%s: out of memory for the header", s->file);
        }
        for (int j = 0; j < s->ncols && !st; j++) {
            int f = s->col_feat[j];
            if (f >= 0 && !(s->feat_names[f] = dup_str(names[j])))
                st = nn_error_set(err, NN_ENOMEM, "%s: out of memory for the header", s->file);
        }
    } else {
        s->nfeat = 0;
    }
    free(names);
    s->header_done = 1;
    return st;
}

static nn_status csv_grow(csv_state *s, nn_error *err)
{
    if (s->cap > INT_MAX / 2)
        return nn_error_set(err, NN_ENOMEM, "%s: too many rows", s->file);
    /* start small for wide files: memory grows with the data read, never rows x fields up front */
    int first = s->nfeat <= 256 ? 1024 : (int)(262144 / (size_t)s->nfeat);
    int nc = s->cap ? s->cap * 2 : (first > 4 ? first : 4);
    if ((size_t)nc > MAX_CELLS / (size_t)s->nfeat) {
        nc = (int)(MAX_CELLS / (size_t)s->nfeat);
        if (nc <= s->cap)
            return nn_error_set(err, NN_ENOMEM, "%s: more than %zu values: too large", s->file, MAX_CELLS);
    }
    float *x = realloc(s->x, (size_t)nc * (size_t)s->nfeat * sizeof *x);
    if (x)
        s->x = x;
    long *ln = realloc(s->line, (size_t)nc * sizeof *ln);
    if (ln)
        s->line = ln;
    if (!ln)
        x = NULL;
    if (!s->mode_columns) {
        double *v = realloc(s->val, (size_t)nc * sizeof *v);
        if (v)
            s->val = v;
        int32_t *id = realloc(s->sid, (size_t)nc * sizeof *id);
        if (id)
            s->sid = id;
        if (!v || !id)
            x = NULL;
    }
    if (!x)
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory at %d rows", s->file, s->cap);
    s->cap = nc;
    return NN_OK;
}

static nn_status csv_label(csv_state *s, char *cell, long line, nn_error *err)
{
    int i = s->n;
    double v;
    if (parse_number(cell, &v) == 0) {
        s->val[i] = v;
        if (!s->first_frac_line && v != trunc(v)) {
            s->first_frac_line = line;
            excerpt(s->first_frac, cell);
        } else if (!s->first_big_line && v == trunc(v) && fabs(v) > (double)INT_MAX) {
            s->first_big_line = line;
            excerpt(s->first_big, cell);
        }
    } else {
        s->val[i] = (double)NAN;
        if (!s->first_text_line) {
            s->first_text_line = line;
            excerpt(s->first_text, cell);
        }
    }
    /* String classes in order of first appearance, while there are at most NN_MAX_CLASSES. */
    s->sid[i] = -1;
    if (s->overflow_line)
        return NN_OK;
    for (int c = s->n_sclass - 1; c >= 0; c--)
        if (strcmp(s->sclass[c], cell) == 0) {
            s->sid[i] = c;
            return NN_OK;
        }
    if (s->n_sclass == NN_MAX_CLASSES) {
        s->overflow_line = line;
        return NN_OK;
    }
    if (!(s->sclass[s->n_sclass] = dup_str(cell)))
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory at line %ld", s->file, line);
    s->sid[i] = s->n_sclass++;
    return NN_OK;
}

static nn_status csv_record(csv_state *s, csv_row *r, long line, nn_error *err)
{
    if (!s->header_done)
        return csv_header(s, r, err);
    if (r->nf != s->ncols)
        return nn_error_set(err, NN_EINVAL, "%s: line %ld has %d field%s, the header has %d", s->file, line, r->nf,
                            r->nf == 1 ? "" : "s", s->ncols);
    if (s->n == s->cap) {
        nn_status st = csv_grow(s, err);
        if (st)
            return st;
    }
    float *x = s->x + (size_t)s->n * (size_t)s->nfeat;
    char ex[EXCERPT_CAP], ex2[EXCERPT_CAP];
    for (int j = 0; j < s->ncols; j++) {
        char *cell = trim(r->b + r->off[j]);
        int f = s->col_feat[j];
        if (j == s->label_col) {
            if (!*cell)
                return nn_error_set(err, NN_EINVAL, "%s: line %ld, column '%s': empty label", s->file, line,
                                    excerpt(ex, s->label_name));
            nn_status st = csv_label(s, cell, line, err);
            if (st)
                return st;
        } else if (f >= 0) {
            double v;
            if (!*cell)
                return nn_error_set(err, NN_EINVAL, "%s: line %ld, column '%s': empty cell (expected a finite number)",
                                    s->file, line, excerpt(ex, s->feat_names[f]));
            if (parse_number(cell, &v) != 0)
                return nn_error_set(err, NN_EINVAL, "%s: line %ld, column '%s': '%s' is not a finite number",
                                    s->file, line, excerpt(ex, s->feat_names[f]), excerpt(ex2, cell));
            if (!isfinite((float)v))
                return nn_error_set(err, NN_EINVAL, "%s: line %ld, column '%s': %s is beyond the float range "
                                    "(about -3.4e38..3.4e38)", s->file, line, excerpt(ex, s->feat_names[f]),
                                    excerpt(ex2, cell));
            x[f] = (float)v;
        }
    }
    s->line[s->n] = line;
    s->n++;
    return NN_OK;
}

/* The tokenizer: calls csv_record for every non-blank record. */
static nn_status csv_scan(csv_state *s, const char *buf, size_t len, nn_error *err)
{
    csv_row r = {0};
    nn_status st = NN_OK;
    size_t i = 0;
    long line = 1;
    if (len >= 3 && (unsigned char)buf[0] == 0xEF && (unsigned char)buf[1] == 0xBB && (unsigned char)buf[2] == 0xBF)
        i = 3;
    while (i < len && !st) {
        long rec_line = line;
        int quoted_any = 0;
        r.len = 0;
        r.nf = 0;
        for (;;) {
            if (row_start_field(&r) != 0)
                goto oom;
            if (i < len && buf[i] == '"') {
                quoted_any = 1;
                long qline = line;
                i++;
                for (;;) {
                    if (i >= len) {
                        st = nn_error_set(err, NN_EINVAL, "%s: line %ld: a quoted field is never closed", s->file,
                                          qline);
                        goto done;
                    }
                    char c = buf[i];
                    if (c == '"') {
                        if (i + 1 < len && buf[i + 1] == '"') {
                            if (row_putc(&r, '"') != 0)
                                goto oom;
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    if (c == '\n' || (c == '\r' && !(i + 1 < len && buf[i + 1] == '\n')))
                        line++;
                    if (row_putc(&r, c) != 0)
                        goto oom;
                    i++;
                }
                while (i < len && (buf[i] == ' ' || buf[i] == '\t'))
                    i++;
                if (i < len && buf[i] != ',' && buf[i] != '\n' && buf[i] != '\r') {
                    char c4[5] = {0}, ex[EXCERPT_CAP];
                    size_t k = nn_utf8_len(buf + i, len - i);
                    memcpy(c4, buf + i, k ? k : 1);
                    st = nn_error_set(err, NN_EINVAL, "%s: line %ld: unexpected '%s' after a closing quote (expected "
                                      "a comma or the end of the line)", s->file, line, excerpt(ex, c4));
                    goto done;
                }
            } else {
                size_t a = i;
                while (i < len && buf[i] != ',' && buf[i] != '\n' && buf[i] != '\r')
                    i++;
                if (row_put(&r, buf + a, i - a) != 0)
                    goto oom;
            }
            if (row_putc(&r, '\0') != 0)
                goto oom;
            if (i >= len)
                break;
            if (buf[i] == ',') {
                i++;
                continue;
            }
            if (buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n')
                i++;
            i++;
            line++;
            break;
        }
        int blank = r.nf == 1 && !quoted_any && r.b[0] == '\0';
        if (!blank)
            st = csv_record(s, &r, rec_line, err);
    }
    goto done;
oom:
    st = nn_error_set(err, NN_ENOMEM, "%s: out of memory at line %ld", s->file, line);
done:
    free(r.b);
    free(r.off);
    return st;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Classification needs two classes at least: one class would train a one-unit network to say
 * "yes" to everything, and predict would read a second class name that does not exist. */
static nn_status check_classes(csv_state *s, int k, const char *only, nn_error *err)
{
    if (k >= 2)
        return NN_OK;
    char ex[EXCERPT_CAP], ex2[EXCERPT_CAP];
    return nn_error_set(err, NN_EINVAL, "%s: column '%s': every row has the label '%s': classification needs at "
                        "least 2 classes (for a numeric target set dataset.task to \"regression\")", s->file,
                        excerpt(ex, s->label_name), excerpt(ex2, only));
}

/* Classes from integer labels: the distinct values sorted, each row mapped by binary search. */
static nn_status integer_classes(csv_state *s, nn_dataset *d, nn_error *err)
{
    double vals[NN_MAX_CLASSES] = {0};
    int k = 0;
    char ex[EXCERPT_CAP];
    for (int i = 0; i < s->n; i++) {
        double v = s->val[i];
        int lo = 0, hi = k;
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (vals[mid] < v)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < k && vals[lo] == v)
            continue;
        if (k == NN_MAX_CLASSES)
            return nn_error_set(err, NN_EINVAL, "%s: line %ld, column '%s': more than %d distinct integer labels "
                                "(the limit is %d classes; use task regression for a numeric target)", s->file,
                                d->row_line[i], excerpt(ex, s->label_name), NN_MAX_CLASSES, NN_MAX_CLASSES);
        memmove(vals + lo + 1, vals + lo, (size_t)(k - lo) * sizeof *vals);
        vals[lo] = v;
        k++;
    }
    char one[32];
    snprintf(one, sizeof one, "%.0f", vals[0]);
    nn_status st = check_classes(s, k, one, err);
    if (st)
        return st;
    d->n_classes = k;
    d->label = malloc((size_t)s->n * sizeof *d->label);
    d->class_names = calloc((size_t)k, sizeof *d->class_names);
    if (!d->label || !d->class_names)
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory", s->file);
    for (int c = 0; c < k; c++) {
        snprintf(one, sizeof one, "%.0f", vals[c]);
        if ((st = nn_dataset_set_class_name(d, c, one, NULL)) != NN_OK)
            return nn_error_set(err, st, "%s: out of memory for the class names", s->file);
    }
    for (int i = 0; i < s->n; i++) {
        double *p = bsearch(&s->val[i], vals, (size_t)k, sizeof *vals, cmp_double);
        d->label[i] = (int32_t)(p - vals);
    }
    return NN_OK;
}

/* Decides the task from the labels seen and moves everything into d. */
static nn_status csv_finish(csv_state *s, nn_dataset *d, nn_error *err)
{
    if (s->n == 0)
        return nn_error_set(err, NN_EINVAL, "%s: no data rows after the header", s->file);
    d->n = s->n;
    d->n_features = s->nfeat;
    d->feature_names = s->feat_names;
    s->feat_names = NULL;
    float *x = realloc(s->x, (size_t)s->n * (size_t)s->nfeat * sizeof *x);   /* shrink to fit */
    if (x)
        s->x = x;       /* if the shrink failed, the old block is still good */
    d->x = s->x;
    s->x = NULL;
    d->row_line = s->line;
    s->line = NULL;
    if (s->mode_columns) {
        d->task = NN_TASK_REGRESSION;
        return NN_OK;
    }
    char ex[EXCERPT_CAP];
    int task = s->task;
    if (task == NN_TASK_REGRESSION || (task < 0 && !s->first_text_line && (s->first_frac_line || s->first_big_line))) {
        if (s->first_text_line)
            return nn_error_set(err, NN_EINVAL, "%s: line %ld, column '%s': '%s' is not a finite number (the task "
                                "is regression)", s->file, s->first_text_line, excerpt(ex, s->label_name),
                                s->first_text);
        d->task = NN_TASK_REGRESSION;
        d->n_targets = 1;
        d->y = malloc((size_t)s->n * sizeof *d->y);
        if (!d->y)
            return nn_error_set(err, NN_ENOMEM, "%s: out of memory", s->file);
        for (int i = 0; i < s->n; i++) {
            d->y[i] = (float)s->val[i];
            if (!isfinite(d->y[i]))
                return nn_error_set(err, NN_EINVAL, "%s: line %ld, column '%s': label %g is beyond the float range "
                                    "(about -3.4e38..3.4e38)", s->file, d->row_line[i], excerpt(ex, s->label_name),
                                    s->val[i]);
        }
        return NN_OK;
    }
    d->task = NN_TASK_CLASSIFICATION;
    if (!s->first_text_line) {
        if (s->first_frac_line)
            return nn_error_set(err, NN_EINVAL, "%s: line %ld, column '%s': label %s is not an integer class (the "
                                "task is classification)", s->file, s->first_frac_line, excerpt(ex, s->label_name),
                                s->first_frac);
        if (s->first_big_line)
            return nn_error_set(err, NN_EINVAL, "%s: line %ld, column '%s': label %s is too large for an integer "
                                "class (integer classes lie in -%d..%d; for a numeric target set dataset.task to "
                                "\"regression\")", s->file, s->first_big_line, excerpt(ex, s->label_name),
                                s->first_big, INT_MAX, INT_MAX);
        return integer_classes(s, d, err);
    }
    if (s->overflow_line)
        return nn_error_set(err, NN_EINVAL, "%s: line %ld, column '%s': more than %d distinct labels (the limit is %d "
                            "classes)", s->file, s->overflow_line, excerpt(ex, s->label_name), NN_MAX_CLASSES,
                            NN_MAX_CLASSES);
    nn_status st = check_classes(s, s->n_sclass, s->sclass[0], err);
    if (st)
        return st;
    d->n_classes = s->n_sclass;
    d->label = malloc((size_t)s->n * sizeof *d->label);
    d->class_names = calloc((size_t)s->n_sclass, sizeof *d->class_names);
    if (!d->label || !d->class_names)
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory", s->file);
    memcpy(d->label, s->sid, (size_t)s->n * sizeof *d->label);
    for (int c = 0; c < s->n_sclass; c++) {   /* hand the names over */
        d->class_names[c] = s->sclass[c];
        s->sclass[c] = NULL;
    }
    return NN_OK;
}

/* The line (1-based, counted as csv_scan counts: \n, \r\n or a lone \r) of offset off. */
static long line_at(const char *buf, size_t off)
{
    long line = 1;
    for (size_t i = 0; i < off; i++)
        if (buf[i] == '\n' || (buf[i] == '\r' && !(i + 1 <= off && buf[i + 1] == '\n')))
            line++;
    return line;
}

/* nnterm reads CSV as UTF-8 (a UTF-8 byte order mark is skipped). A UTF-16 file, a NUL byte (UTF-16
 * without a byte order mark, or a binary file) or bytes that are not UTF-8 (a Windows-1252 or
 * Latin-1 export) are refused with the line, so that names are never garbled and everything
 * nnterm writes (--json, model files, predictions) stays valid UTF-8. */
static nn_status csv_check_text(const csv_state *s, const char *buf, size_t len, nn_error *err)
{
    const unsigned char *u = (const unsigned char *)buf;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
        return nn_error_set(err, NN_EINVAL, "%s: the file is UTF-16 (it starts with a UTF-16 %s byte order mark): "
                            "nnterm reads CSV as UTF-8 (save the file as UTF-8 or \"CSV UTF-8\")", s->file,
                            u[0] == 0xFF ? "little-endian" : "big-endian");
    const char *nul = memchr(buf, '\0', len);
    size_t bad = nn_utf8_check(buf, nul ? (size_t)(nul - buf) : len);
    if (nul && bad == (size_t)(nul - buf))
        return nn_error_set(err, NN_EINVAL, "%s: line %ld: a NUL byte: this is not a text file (UTF-16 without a "
                            "byte order mark, or binary data?); nnterm reads CSV as UTF-8", s->file,
                            line_at(buf, bad));
    if (bad < (nul ? (size_t)(nul - buf) : len))
        return nn_error_set(err, NN_EINVAL, "%s: line %ld: byte 0x%02X is not UTF-8 (a Windows-1252 or Latin-1 "
                            "file?): nnterm reads CSV as UTF-8 (save the file as UTF-8 or \"CSV UTF-8\")", s->file,
                            line_at(buf, bad), (unsigned)u[bad]);
    return NN_OK;
}

/* Runs the scan in the C numeric locale (the UI may have set LC_ALL for UTF-8, and strtod would
 * then want a decimal comma); uselocale is per thread, so other threads are not affected. */
static nn_status csv_run(csv_state *s, nn_dataset *d, const char *buf, size_t len, nn_error *err)
{
    memset(d, 0, sizeof *d);
    nn_status st = csv_check_text(s, buf, len, err);
    if (st)
        return st;
    locale_t c_loc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    locale_t old = c_loc ? uselocale(c_loc) : (locale_t)0;
    if (!s->mode_columns) {
        s->sclass = calloc(NN_MAX_CLASSES, sizeof *s->sclass);
        if (!s->sclass)
            st = nn_error_set(err, NN_ENOMEM, "%s: out of memory", s->file);
    }
    if (!st)
        st = csv_scan(s, buf, len, err);
    if (!st && !s->header_done)
        st = nn_error_set(err, NN_EINVAL, "%s: empty file (expected a header row)", s->file);
    if (!st)
        st = csv_finish(s, d, err);
    if (c_loc) {
        uselocale(old);
        freelocale(c_loc);
    }
    csv_state_free(s);
    if (st)
        nn_dataset_free(d);
    return st;
}

nn_status nn_data_csv(nn_dataset *d, const char *buf, size_t len, const char *filename,
                      const char *label, int task, nn_error *err)
{
    csv_state s = {0};
    s.file = filename ? filename : "(csv)";
    s.label_arg = label;
    s.task = task;
    if (task != -1 && task != NN_TASK_CLASSIFICATION && task != NN_TASK_REGRESSION) {
        memset(d, 0, sizeof *d);
        return nn_error_set(err, NN_EINVAL, "%s: unknown task %d", s.file, task);
    }
    return csv_run(&s, d, buf, len, err);
}

nn_status nn_data_csv_file(nn_dataset *d, const char *path, const char *label, int task, nn_error *err)
{
    char *buf;
    size_t len;
    memset(d, 0, sizeof *d);
    nn_status st = nn_file_read(path, &buf, &len, err);
    if (st)
        return st;
    st = nn_data_csv(d, buf, len, path, label, task, err);
    free(buf);
    return st;
}

nn_status nn_data_csv_columns(nn_dataset *d, const char *buf, size_t len, const char *filename,
                              const char *const *names, int n, nn_error *err)
{
    csv_state s = {0};
    s.file = filename ? filename : "(csv)";
    s.mode_columns = 1;
    s.names = names;
    s.n_names = n;
    if (n < 1 || !names) {
        memset(d, 0, sizeof *d);
        return nn_error_set(err, NN_EINVAL, "%s: no feature columns asked for", s.file);
    }
    return csv_run(&s, d, buf, len, err);
}

// --- IDX
/* IDX: a big-endian header (magic 0x0000 08 NDIMS, then NDIMS 32-bit sizes) and unsigned bytes.
 * Sizes are multiplied in 64 bits with overflow checks before they are compared with the bytes
 * present, so a lying header can neither overflow nor make us read past the buffer. */

#define IDX_IMAGES 0x00000803u
#define IDX_LABELS 0x00000801u
#define FASHION_DIR "/usr/share/datasets/fashion-mnist"

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* Checks an image file's header; *n, *rows, *cols on success. */
static nn_status idx_image_header(const uint8_t *buf, size_t len, const char *fn, int *n, int *rows, int *cols,
                                  nn_error *err)
{
    if (len < 4)
        return nn_error_set(err, NN_EFORMAT, "%s: truncated: expected a 16-byte IDX header, found %zu bytes", fn, len);
    uint32_t magic = be32(buf);
    if (magic != IDX_IMAGES)
        return nn_error_set(err, NN_EFORMAT, "%s: not an IDX image file (magic 0x%08x, expected 0x%08x%s)", fn,
                            (unsigned)magic, (unsigned)IDX_IMAGES,
                            magic == IDX_LABELS ? ": this is a label file" : "");
    if (len < 16)
        return nn_error_set(err, NN_EFORMAT, "%s: truncated: expected a 16-byte IDX header, found %zu bytes", fn, len);
    uint32_t d0 = be32(buf + 4), d1 = be32(buf + 8), d2 = be32(buf + 12);
    if (d0 == 0 || d1 == 0 || d2 == 0 || d0 > (uint32_t)INT_MAX || d1 > 65536 || d2 > 65536)
        return nn_error_set(err, NN_EFORMAT, "%s: bad IDX dimensions %u x %u x %u (expected images x rows x columns, "
                            "each at least 1, rows and columns at most 65536)", fn, (unsigned)d0, (unsigned)d1,
                            (unsigned)d2);
    uint64_t pix = (uint64_t)d1 * d2;      /* <= 2^32 */
    if (pix > (uint64_t)INT_MAX || (uint64_t)d0 > UINT64_MAX / pix)
        return nn_error_set(err, NN_EFORMAT, "%s: IDX dimensions %u x %u x %u are too large", fn, (unsigned)d0,
                            (unsigned)d1, (unsigned)d2);
    uint64_t need = (uint64_t)d0 * pix, have = (uint64_t)(len - 16);
    if (have < need)
        return nn_error_set(err, NN_EFORMAT, "%s: truncated: expected %llu bytes of pixel data, found %llu", fn,
                            (unsigned long long)need, (unsigned long long)have);
    if (have > need)
        return nn_error_set(err, NN_EFORMAT, "%s: %llu bytes after the %llu bytes of pixel data (expected none)", fn,
                            (unsigned long long)(have - need), (unsigned long long)need);
    if (need > MAX_CELLS)
        return nn_error_set(err, NN_ENOMEM, "%s: %llu pixels: too large (limit %zu)", fn, (unsigned long long)need,
                            MAX_CELLS);
    *n = (int)d0;
    *rows = (int)d1;
    *cols = (int)d2;
    return NN_OK;
}

/* Pixels after the 16-byte header to v / 255 (a table of the 256 exact quotients). */
static void idx_pixels(float *out, const uint8_t *buf, size_t count)
{
    float lut[256];
    for (int v = 0; v < 256; v++)
        lut[v] = nn_byte_value((uint8_t)v);
    const uint8_t *p = buf + 16;
    for (size_t i = 0; i < count; i++)
        out[i] = lut[p[i]];
}

nn_status nn_idx_parse_images(const uint8_t *buf, size_t len, const char *filename,
                              float **out, int *n, int *rows, int *cols, nn_error *err)
{
    *out = NULL;
    const char *fn = filename ? filename : "(idx)";
    nn_status st = idx_image_header(buf, len, fn, n, rows, cols, err);
    if (st)
        return st;
    size_t count = (size_t)*n * (size_t)*rows * (size_t)*cols;
    float *x = malloc(count * sizeof *x);
    if (!x)
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory for %zu pixels", fn, count);
    idx_pixels(x, buf, count);
    *out = x;
    return NN_OK;
}

nn_status nn_idx_parse_labels(const uint8_t *buf, size_t len, const char *filename,
                              uint8_t **out, int *n, nn_error *err)
{
    *out = NULL;
    const char *fn = filename ? filename : "(idx)";
    if (len < 4)
        return nn_error_set(err, NN_EFORMAT, "%s: truncated: expected an 8-byte IDX header, found %zu bytes", fn, len);
    uint32_t magic = be32(buf);
    if (magic != IDX_LABELS)
        return nn_error_set(err, NN_EFORMAT, "%s: not an IDX label file (magic 0x%08x, expected 0x%08x%s)", fn,
                            (unsigned)magic, (unsigned)IDX_LABELS,
                            magic == IDX_IMAGES ? ": this is an image file" : "");
    if (len < 8)
        return nn_error_set(err, NN_EFORMAT, "%s: truncated: expected an 8-byte IDX header, found %zu bytes", fn, len);
    uint32_t d0 = be32(buf + 4);
    if (d0 == 0 || d0 > (uint32_t)INT_MAX)
        return nn_error_set(err, NN_EFORMAT, "%s: bad IDX dimension %u (expected 1 or more labels)", fn, (unsigned)d0);
    uint64_t have = (uint64_t)(len - 8);
    if (have < d0)
        return nn_error_set(err, NN_EFORMAT, "%s: truncated: expected %u bytes of label data, found %llu", fn,
                            (unsigned)d0, (unsigned long long)have);
    if (have > d0)
        return nn_error_set(err, NN_EFORMAT, "%s: %llu bytes after the %u labels (expected none)", fn,
                            (unsigned long long)(have - d0), (unsigned)d0);
    uint8_t *l = malloc(d0);
    if (!l)
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory", fn);
    memcpy(l, buf + 8, d0);
    *out = l;
    *n = (int)d0;
    return NN_OK;
}

/* Inflates a gzip buffer (one or more members) into a buffer that doubles as it fills. */
static nn_status gunzip(const uint8_t *in, size_t inlen, const char *path, uint8_t **out, size_t *outlen,
                        nn_error *err)
{
    /* ISIZE (the last 4 bytes, little-endian) is the size mod 2^32 of the last member: a good
     * first guess, never trusted beyond that. Deflate expands at most ~1032:1, which bounds what
     * a lying trailer can make us allocate. */
    size_t cap = inlen * 4 + 1024;
    if (inlen >= 18) {
        const uint8_t *t = in + inlen - 4;
        size_t isize = (size_t)t[0] | (size_t)t[1] << 8 | (size_t)t[2] << 16 | (size_t)t[3] << 24;
        if (isize > 0 && isize / 1032 <= inlen)
            cap = isize + 1;
    }
    /* A gzip bomb must end in a message, not the OOM killer: at most 16 GiB, and at most a quarter
     * of the machine's memory. */
    size_t max_out = (size_t)1 << 34;
    if (nn_file_read_limit() < max_out)
        max_out = nn_file_read_limit();
    if (cap > max_out)
        cap = max_out;
    uint8_t *o = malloc(cap);
    if (!o)
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory", path);
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
        free(o);
        return nn_error_set(err, NN_ENOMEM, "%s: cannot start zlib", path);
    }
    size_t pos = 0, used = 0;
    nn_status st = NN_OK;
    for (;;) {
        if (used == cap) {
            /* grow by doubling, the last step only up to the limit itself (a refusal at half the
             * limit made it 1/8 of memory where the docs say 1/4) */
            if (cap >= max_out) {
                st = nn_error_set(err, NN_ENOMEM, "%s: decompressed data larger than %zu MB (16 GiB or a quarter "
                                  "of this machine's memory)", path, max_out >> 20);
                break;
            }
            size_t nc = cap <= max_out / 2 ? cap * 2 : max_out;
            uint8_t *no = realloc(o, nc);
            if (!no) {
                st = nn_error_set(err, NN_ENOMEM, "%s: out of memory while decompressing (%zu MB)", path, nc >> 20);
                break;
            }
            o = no;
            cap = nc;
        }
        /* zlib counts in uInt: feed and drain at most 1 GiB per call. */
        size_t in_avail = inlen - pos, out_avail = cap - used;
        z.next_in = (Bytef *)(uintptr_t)(in + pos);
        z.avail_in = (uInt)(in_avail < (1u << 30) ? in_avail : (1u << 30));
        z.next_out = o + used;
        z.avail_out = (uInt)(out_avail < (1u << 30) ? out_avail : (1u << 30));
        uInt ai = z.avail_in, ao = z.avail_out;
        int rc = inflate(&z, Z_NO_FLUSH);
        pos += ai - z.avail_in;
        used += ao - z.avail_out;
        if (rc == Z_STREAM_END) {
            /* Another member may follow (concatenated .gz); anything else after it is an error. */
            if (pos < inlen && in[pos] == 0x1f && pos + 1 < inlen && in[pos + 1] == 0x8b) {
                inflateReset(&z);
                continue;
            }
            if (pos < inlen)
                st = nn_error_set(err, NN_EFORMAT, "%s: broken gzip data: %zu bytes of garbage after the end", path,
                                  inlen - pos);
            break;
        }
        if (rc == Z_OK)
            continue;
        if (rc == Z_BUF_ERROR && used == cap)
            continue;   /* output full: grow and go on */
        if (rc == Z_BUF_ERROR) {
            st = nn_error_set(err, NN_EFORMAT, "%s: broken gzip data: the compressed stream ends early (truncated "
                              "file?)", path);
            break;
        }
        st = nn_error_set(err, rc == Z_MEM_ERROR ? NN_ENOMEM : NN_EFORMAT, "%s: broken gzip data (zlib: %s)", path,
                          z.msg ? z.msg : zError(rc));
        break;
    }
    inflateEnd(&z);
    if (st) {
        free(o);
        return st;
    }
    *out = o;
    *outlen = used;
    return NN_OK;
}

static int under_fashion_dir(const char *path)
{
    size_t k = strlen(FASHION_DIR);
    return strncmp(path, FASHION_DIR, k) == 0 && (path[k] == '/' || path[k] == '\0');
}

nn_status nn_idx_read_file(const char *path, uint8_t **buf, size_t *len, nn_error *err)
{
    *buf = NULL;
    *len = 0;
    char *raw;
    size_t n;
    nn_error e;
    nn_status st = nn_file_read(path, &raw, &n, &e);
    if (st) {
        struct stat sb;
        if (path && under_fashion_dir(path) && stat(path, &sb) != 0)
            return nn_error_set(err, st, "%s (install the Debian package dataset-fashion-mnist)", e.msg);
        return nn_error_set(err, st, "%s", e.msg);
    }
    if (n >= 2 && (unsigned char)raw[0] == 0x1f && (unsigned char)raw[1] == 0x8b) {
        st = gunzip((const uint8_t *)raw, n, path, buf, len, err);
        free(raw);
        return st;
    }
    *buf = (uint8_t *)raw;
    *len = n;
    return NN_OK;
}

static const char *const fashion_names[10] = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
};

/* Reads one image file and its label file; checks that they agree. Returns the raw image bytes
 * (converted later, straight into the dataset) and the labels. */
static nn_status idx_pair(const char *images, const char *labels, uint8_t **img, size_t *img_len, uint8_t **lab,
                          int *n, int *rows, int *cols, nn_error *err)
{
    *img = NULL;
    *lab = NULL;
    nn_status st = nn_idx_read_file(images, img, img_len, err);
    if (st)
        return st;
    st = idx_image_header(*img, *img_len, images, n, rows, cols, err);
    if (st)
        return st;
    uint8_t *lbuf;
    size_t llen;
    st = nn_idx_read_file(labels, &lbuf, &llen, err);
    if (st)
        return st;
    int nl = 0;
    st = nn_idx_parse_labels(lbuf, llen, labels, lab, &nl, err);
    free(lbuf);
    if (st)
        return st;
    if (nl != *n)
        return nn_error_set(err, NN_EFORMAT, "%s: %d labels for the %d images of %s (expected as many)", labels, nl,
                            *n, images);
    for (int i = 0; i < nl; i++)
        if ((*lab)[i] > 9)
            return nn_error_set(err, NN_EFORMAT, "%s: item %d: label %d is out of range (expected 0..9)", labels, i,
                                (*lab)[i]);
    return NN_OK;
}

nn_status nn_data_idx(nn_dataset *d, const char *images, const char *labels, const char *test_images,
                      const char *test_labels, int fashion, nn_error *err)
{
    memset(d, 0, sizeof *d);
    if (!images || !*images || !labels || !*labels)
        return nn_error_set(err, NN_EINVAL, "dataset: idx needs \"images\" and \"labels\" files");
    int with_test = test_images && *test_images && test_labels && *test_labels;
    if (!with_test && ((test_images && *test_images) || (test_labels && *test_labels)))
        return nn_error_set(err, NN_EINVAL, "dataset: idx test files need both \"test_images\" and \"test_labels\"");

    uint8_t *img = NULL, *lab = NULL, *timg = NULL, *tlab = NULL;
    size_t img_len = 0, timg_len = 0;
    int n = 0, r = 0, c = 0, tn = 0, tr = 0, tc = 0;
    nn_status st = idx_pair(images, labels, &img, &img_len, &lab, &n, &r, &c, err);
    if (!st && with_test) {
        st = idx_pair(test_images, test_labels, &timg, &timg_len, &tlab, &tn, &tr, &tc, err);
        if (!st && (tr != r || tc != c))
            st = nn_error_set(err, NN_EFORMAT, "%s: images are %d x %d, but %d x %d in %s", test_images, tr, tc, r, c,
                              images);
        if (!st && (int64_t)n + tn > INT_MAX)
            st = nn_error_set(err, NN_ENOMEM, "%s: too many images", test_images);
    }
    if (!st && (!img || !lab || (with_test && (!timg || !tlab)))) {   /* cannot happen; for the analyzer */
        nn_error_set(err, NN_EFORMAT, "%s: no data", images);
        st = NN_EFORMAT;
    }
    if (!st) {
        nn_error e;
        st = nn_dataset_alloc_bytes(d, NN_TASK_CLASSIFICATION, n + tn, r * c, 10, &e);
        if (st)
            nn_error_set(err, st, "%s: %.400s", images, e.msg);
    }
    if (!st) {
        size_t f = (size_t)r * (size_t)c;
        /* the pixel bytes as they are (a quarter of floats' memory): the feature is v / 255,
           computed as the batches are gathered (nn_byte_value) */
        memcpy(d->x8, img + 16, (size_t)n * f);
        for (int i = 0; i < n; i++)
            d->label[i] = lab[i];
        if (with_test) {
            memcpy(d->x8 + (size_t)n * f, timg + 16, (size_t)tn * f);
            for (int i = 0; i < tn; i++)
                d->label[n + i] = tlab[i];
            d->n_fixed_test = tn;
        }
        /* no feature names stored: pixel j is "px<j>" on demand (nn_dataset_feature_name) */
        st = name_dataset(d, NULL, 0, fashion ? fashion_names : NULL, 10, err);
    }
    free(img);
    free(lab);
    free(timg);
    free(tlab);
    if (st)
        nn_dataset_free(d);
    return st;
}
