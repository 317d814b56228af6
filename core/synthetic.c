/* synthetic.c — seeded 2-D (and 1-D) generators: xor, circles, spiral, gaussians, moons, and the
 * regressions sine and plane. Same rng state, same data. */
#include "datasets.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define PI 3.14159265358979323846
#define MAX_SAMPLES 10000000

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
    return nn_dataset_set_names(d, g->n_features == 1 ? one : two, g->n_features, NULL, g->k, err);
}
