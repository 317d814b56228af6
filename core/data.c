/* data.c — the dataset container, the train/val/test split (index arrays into one dataset),
 * normalisation statistics fitted on the training rows only, and mini-batch gathering.
 * Nothing here prints; sizes are checked before every allocation. */
#include "data.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const nn_norm_names[NN_NORM_COUNT] = {"zscore", "minmax", "none"};

/* 2^31 floats (8 GiB) is far beyond any dataset this trainer is for; above it, indices stop
 * fitting comfortably in int arithmetic elsewhere. */
#define MAX_CELLS ((size_t)1 << 31)

// --- dataset

static nn_status dataset_alloc(nn_dataset *d, nn_task task, int n, int n_features, int n_classes_or_targets,
                               bool bytes, nn_error *err)
{
    memset(d, 0, sizeof *d);
    if (n < 1)
        return nn_error_set(err, NN_EINVAL, "dataset: %d rows (expected at least 1)", n);
    if (n_features < 1)
        return nn_error_set(err, NN_EINVAL, "dataset: %d features (expected at least 1)", n_features);
    if (task == NN_TASK_CLASSIFICATION &&
        (n_classes_or_targets < 1 || n_classes_or_targets > NN_MAX_CLASSES))
        return nn_error_set(err, NN_EINVAL, "dataset: %d classes (expected 1..%d)", n_classes_or_targets,
                            NN_MAX_CLASSES);
    if (task == NN_TASK_REGRESSION && n_classes_or_targets < 0)
        return nn_error_set(err, NN_EINVAL, "dataset: %d targets (expected 0 or more)", n_classes_or_targets);
    if ((size_t)n > MAX_CELLS / (size_t)n_features)
        return nn_error_set(err, NN_ENOMEM, "dataset: %d rows x %d features is too large (limit %zu values)",
                            n, n_features, MAX_CELLS);
    if (task == NN_TASK_REGRESSION && n_classes_or_targets > 0 &&
        (size_t)n > MAX_CELLS / (size_t)n_classes_or_targets)
        return nn_error_set(err, NN_ENOMEM, "dataset: %d rows x %d targets is too large", n, n_classes_or_targets);

    d->task = task;
    d->n = n;
    d->n_features = n_features;
    if (bytes)
        d->x8 = calloc((size_t)n * (size_t)n_features, sizeof *d->x8);
    else
        d->x = calloc((size_t)n * (size_t)n_features, sizeof *d->x);
    if (!d->x && !d->x8)
        goto oom;
    if (task == NN_TASK_CLASSIFICATION) {
        d->n_classes = n_classes_or_targets;
        d->label = calloc((size_t)n, sizeof *d->label);
        d->class_names = calloc((size_t)d->n_classes, sizeof *d->class_names);
        if (!d->label || !d->class_names)
            goto oom;
    } else {
        d->n_targets = n_classes_or_targets;
        if (d->n_targets > 0) {
            d->y = calloc((size_t)n * (size_t)d->n_targets, sizeof *d->y);
            if (!d->y)
                goto oom;
        }
    }
    return NN_OK;
oom:
    nn_dataset_free(d);
    return nn_error_set(err, NN_ENOMEM, "dataset: out of memory for %d rows x %d features", n, n_features);
}

nn_status nn_dataset_alloc(nn_dataset *d, nn_task task, int n, int n_features, int n_classes_or_targets,
                           nn_error *err)
{
    return dataset_alloc(d, task, n, n_features, n_classes_or_targets, false, err);
}

nn_status nn_dataset_alloc_bytes(nn_dataset *d, nn_task task, int n, int n_features, int n_classes_or_targets,
                                 nn_error *err)
{
    return dataset_alloc(d, task, n, n_features, n_classes_or_targets, true, err);
}

void nn_dataset_free(nn_dataset *d)
{
    if (!d)
        return;
    free(d->x);
    free(d->x8);
    free(d->y);
    free(d->label);
    free(d->row_line);
    free(d->raw);
    nn_names_free(d->raw_names, d->n_raw);
    nn_names_free(d->class_names, d->n_classes);
    nn_names_free(d->feature_names, d->n_features);
    memset(d, 0, sizeof *d);
}

void nn_names_free(char **names, int k)
{
    if (!names)
        return;
    for (int i = 0; i < k; i++)
        free(names[i]);
    free(names);
}

static nn_status set_name(char **slot, const char *name, nn_error *err)
{
    size_t n = strlen(name);
    char *s = malloc(n + 1);
    if (!s)
        return nn_error_set(err, NN_ENOMEM, "dataset: out of memory for a name of %zu bytes", n);
    memcpy(s, name, n + 1);
    free(*slot);
    *slot = s;
    return NN_OK;
}

nn_status nn_dataset_set_feature_name(nn_dataset *d, int j, const char *name, nn_error *err)
{
    if (j < 0 || j >= d->n_features)
        return nn_error_set(err, NN_EINVAL, "dataset: feature %d of %d", j, d->n_features);
    if (!d->feature_names) {
        d->feature_names = calloc((size_t)d->n_features, sizeof *d->feature_names);
        if (!d->feature_names)
            return nn_error_set(err, NN_ENOMEM, "dataset: out of memory for %d feature names", d->n_features);
    }
    return set_name(&d->feature_names[j], name, err);
}

nn_status nn_dataset_set_class_name(nn_dataset *d, int c, const char *name, nn_error *err)
{
    if (c < 0 || c >= d->n_classes || !d->class_names)
        return nn_error_set(err, NN_EINVAL, "dataset: class %d of %d", c, d->n_classes);
    return set_name(&d->class_names[c], name, err);
}

const char *nn_dataset_feature_name(const nn_dataset *d, int j, char *buf, size_t n)
{
    if (d->feature_names && j >= 0 && j < d->n_features && d->feature_names[j])
        return d->feature_names[j];
    snprintf(buf, n, "px%d", j);
    return buf;
}

const char *nn_dataset_class_name(const nn_dataset *d, int c)
{
    if (d->class_names && c >= 0 && c < d->n_classes && d->class_names[c])
        return d->class_names[c];
    return "";
}

int nn_dataset_outputs(const nn_dataset *d)
{
    return d->task == NN_TASK_CLASSIFICATION ? d->n_classes : d->n_targets;
}

/* Loops in blocks of 8 then a tail, over restrict pointers: vectorised at -O2 as well as -O3. */
#define EACH(n, i, stmt)                                   \
    do {                                                   \
        size_t b8_ = 0;                                    \
        for (; b8_ + 8 <= (size_t)(n); b8_ += 8)           \
            for (size_t i = b8_; i < b8_ + 8; i++)         \
                stmt;                                      \
        for (size_t i = b8_; i < (size_t)(n); i++)         \
            stmt;                                          \
    } while (0)

/* Byte features to floats, normalised: (v / 255 - shift) / scale, or v / 255 without shift: two
 * correctly rounded divisions per value, sixteen or eight at a time where the CPU has AVX-512 or
 * AVX2 (the same IEEE operations as the scalar loop, so the same bits). */
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define NN_DATA_X86 1
#include <immintrin.h>

__attribute__((target("avx512f"))) static size_t byte_row_avx512(float *out, const uint8_t *v, const float *shift,
                                                                  const float *scale, size_t n)
{
    const __m512 k255 = _mm512_set1_ps(255.0f);
    size_t j = 0;
    for (; j + 16 <= n; j += 16) {
        __m512 x = _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(const void *)(v + j))));
        x = _mm512_div_ps(x, k255);
        if (shift)
            x = _mm512_div_ps(_mm512_sub_ps(x, _mm512_loadu_ps(shift + j)), _mm512_loadu_ps(scale + j));
        _mm512_storeu_ps(out + j, x);
    }
    return j;
}

__attribute__((target("avx2"))) static size_t byte_row_avx2(float *out, const uint8_t *v, const float *shift,
                                                             const float *scale, size_t n)
{
    const __m256 k255 = _mm256_set1_ps(255.0f);
    size_t j = 0;
    for (; j + 8 <= n; j += 8) {
        __m256 x = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(const void *)(v + j))));
        x = _mm256_div_ps(x, k255);
        if (shift)
            x = _mm256_div_ps(_mm256_sub_ps(x, _mm256_loadu_ps(shift + j)), _mm256_loadu_ps(scale + j));
        _mm256_storeu_ps(out + j, x);
    }
    return j;
}
#endif

static void byte_row(float *restrict out, const uint8_t *restrict v, const float *restrict shift,
                     const float *restrict scale, size_t n)
{
    if (!scale)
        shift = NULL;
    size_t j = 0;
#if NN_DATA_X86
    if (__builtin_cpu_supports("avx512f"))
        j = byte_row_avx512(out, v, shift, scale, n);
    else if (__builtin_cpu_supports("avx2"))
        j = byte_row_avx2(out, v, shift, scale, n);
#endif
    for (; j < n; j++) {
        float x = nn_byte_value(v[j]);
        out[j] = shift ? (x - shift[j]) / scale[j] : x;
    }
}

void nn_dataset_row(const nn_dataset *d, int i, float *out)
{
    size_t f = (size_t)d->n_features;
    if (d->x8)
        byte_row(out, d->x8 + (size_t)i * f, d->x8_shift, d->x8_scale, f);
    else
        memcpy(out, d->x + (size_t)i * f, f * sizeof *out);
}

float nn_dataset_value(const nn_dataset *d, int i, int j)
{
    size_t at = (size_t)i * (size_t)d->n_features + (size_t)j;
    if (!d->x8)
        return d->x[at];
    float v = nn_byte_value(d->x8[at]);
    return d->x8_shift && d->x8_scale ? (v - d->x8_shift[j]) / d->x8_scale[j] : v;
}

// --- split

/* Sizes c[0..3) for m rows and fractions f[0..3): round train and val, the rest to test;
 * a split with a fraction > 0 that rounds to 0 rows gets one row taken from train. */
static nn_status split_sizes(int c[3], int m, const double f[3], nn_error *err)
{
    c[0] = (int)lround((double)m * f[0]);
    c[1] = (int)lround((double)m * f[1]);
    if (c[0] > m)
        c[0] = m;
    if (c[1] > m - c[0])
        c[1] = m - c[0];
    c[2] = m - c[0] - c[1];
    if (f[2] <= 0.0) {      /* rounding leftovers belong to train, never to an unwanted split */
        c[0] += c[2];
        c[2] = 0;
    }
    for (int i = 1; i < 3; i++) {
        if (f[i] > 0.0 && c[i] == 0) {
            c[i] = 1;
            c[0]--;
        }
    }
    if (c[0] < 1) {
        int need = 1 + (f[1] > 0.0) + (f[2] > 0.0);
        if (m < need)
            return nn_error_set(err, NN_EINVAL, "dataset.split: %d row%s for train %.3g, val %.3g, test %.3g: every "
                                "split with a fraction above 0 needs a row (at least %d rows)", m, m == 1 ? "" : "s",
                                f[0], f[1], f[2], need);
        /* enough rows, but the train fraction rounds to none once val and test have theirs */
        return nn_error_set(err, NN_EINVAL, "dataset.split.train: %.3g of %d rows leaves no row to train on (val "
                            "and test take %d; raise the train fraction to at least %.3g)", f[0], m, c[1] + c[2],
                            (double)need / (double)m);
    }
    return NN_OK;
}

nn_status nn_split_init(nn_split *s, const nn_dataset *d, double train, double val, double test,
                        bool shuffle, nn_rng *rng, nn_error *err)
{
    memset(s, 0, sizeof *s);
    if (!(train > 0.0) || !(val >= 0.0) || !(test >= 0.0) || train > 1.0 || val > 1.0 || test > 1.0)
        return nn_error_set(err, NN_EINVAL,
                            "split: fractions train %g, val %g, test %g (expected train in (0, 1], "
                            "val and test in [0, 1])", train, val, test);
    if (fabs(train + val + test - 1.0) > 1e-6)
        return nn_error_set(err, NN_EINVAL, "split: fractions train %g + val %g + test %g sum to %g (expected 1)",
                            train, val, test, train + val + test);
    if (d->n < 1)
        return nn_error_set(err, NN_EINVAL, "split: the dataset has no rows");
    if (d->n_fixed_test < 0 || d->n_fixed_test >= d->n)
        return nn_error_set(err, NN_EINVAL, "split: %d fixed test rows of %d (expected fewer than the rows)",
                            d->n_fixed_test, d->n);

    int c[3];
    int m = d->n - d->n_fixed_test;     /* rows that train/val (and test unless fixed) divide */
    if (d->n_fixed_test > 0) {
        double f[3] = {train / (train + val), val / (train + val), 0.0};
        nn_status st = split_sizes(c, m, f, err);
        if (st)
            return st;
        c[2] = d->n_fixed_test;
    } else {
        double f[3] = {train, val, test};
        nn_status st = split_sizes(c, m, f, err);
        if (st)
            return st;
    }

    uint32_t *all = malloc((size_t)d->n * sizeof *all);
    if (!all)
        return nn_error_set(err, NN_ENOMEM, "split: out of memory for %d rows", d->n);
    for (int i = 0; i < d->n; i++)
        all[i] = (uint32_t)i;
    if (shuffle && rng)
        nn_rng_shuffle(rng, all, (size_t)m);   /* fixed test rows stay last, in file order */
    s->train = all;
    s->val = all + c[0];
    s->test = all + c[0] + c[1];
    s->n_train = c[0];
    s->n_val = c[1];
    s->n_test = c[2];
    return NN_OK;
}

void nn_split_free(nn_split *s)
{
    if (!s)
        return;
    free(s->train);
    memset(s, 0, sizeof *s);
}

// --- normalisation

/* Mean and (population) standard deviation of every column over the rows idx[0..n), in double and
 * in two passes, the mean first (the one-pass E[x^2] - E[x]^2 loses the spread of values far from 0),
 * walking the rows in order (one pass over memory per statistic, not one per column): each
 * column's sums add the same values in the same order as a column-by-column walk would, so the
 * results are the same bits. mean and sd: (cols) doubles, written. */
#define COLUMNS_MEAN_STD(ROWS, VALUE)                                          \
    do {                                                                       \
        for (int j = 0; j < cols; j++)                                         \
            mean[j] = sd[j] = 0.0;                                             \
        for (int i = 0; i < n; i++) {                                          \
            ROWS;                                                              \
            for (int j = 0; j < cols; j++)                                     \
                mean[j] += (double)(VALUE);                                    \
        }                                                                      \
        for (int j = 0; j < cols; j++)                                         \
            mean[j] /= n;                                                      \
        for (int i = 0; i < n; i++) {                                          \
            ROWS;                                                              \
            for (int j = 0; j < cols; j++) {                                   \
                double dv = (double)(VALUE) - mean[j];                         \
                sd[j] += dv * dv;                                              \
            }                                                                  \
        }                                                                      \
        for (int j = 0; j < cols; j++)                                         \
            sd[j] = sqrt(sd[j] / n);                                           \
    } while (0)

/* The same over byte features: each value nn_byte_value(v), added as its float would be. */
static void columns_mean_std_bytes(const uint8_t *a, int cols, const uint32_t *idx, int n, double *mean, double *sd)
{
    COLUMNS_MEAN_STD(const uint8_t *row = a + (size_t)idx[i] * (size_t)cols, nn_byte_value(row[j]));
}

static void columns_mean_std(const float *a, int cols, const uint32_t *idx, int n, double *mean, double *sd)
{
    COLUMNS_MEAN_STD(const float *row = a + (size_t)idx[i] * (size_t)cols, row[j]);
}

static float safe_scale(double v)
{
    float f = (float)v;
    return (f > 0.0f && isfinite(f)) ? f : 1.0f;
}

nn_status nn_norm_fit(nn_norm *nm, nn_normalize kind, const nn_dataset *d, const uint32_t *idx, int n,
                      nn_error *err)
{
    memset(nm, 0, sizeof *nm);
    if ((int)kind < 0 || kind >= NN_NORM_COUNT)
        return nn_error_set(err, NN_EINVAL, "normalize: unknown kind %d", (int)kind);
    if (n < 1)
        return nn_error_set(err, NN_EINVAL, "normalize: no training rows to fit on");
    nm->kind = kind;
    nm->n_features = d->n_features;
    nm->shift = calloc((size_t)d->n_features, sizeof *nm->shift);
    nm->scale = calloc((size_t)d->n_features, sizeof *nm->scale);
    if (!nm->shift || !nm->scale)
        goto oom;
    int nf = d->n_features, nt = d->task == NN_TASK_REGRESSION ? d->n_targets : 0;
    int wide = nf > nt ? nf : nt;
    double *mu = calloc((size_t)wide + 1, sizeof *mu), *sd = calloc((size_t)wide + 1, sizeof *sd);
    if (!mu || !sd) {
        free(mu);
        free(sd);
        goto oom;
    }
    if (kind == NN_NORM_ZSCORE && d->x8) {
        columns_mean_std_bytes(d->x8, nf, idx, n, mu, sd);
    } else if (kind == NN_NORM_ZSCORE) {
        columns_mean_std(d->x, nf, idx, n, mu, sd);
    } else if (kind == NN_NORM_MINMAX) {
        /* lo in mu, hi in sd; a row's values as the features' floats (bytes: v / 255) */
#define MINMAX(ROW, VALUE)                                                     \
    do {                                                                       \
        for (int i = 0; i < n; i++) {                                          \
            ROW;                                                               \
            for (int j = 0; j < nf; j++) {                                     \
                double v = (double)(VALUE);                                    \
                mu[j] = i == 0 || v < mu[j] ? v : mu[j];                       \
                sd[j] = i == 0 || v > sd[j] ? v : sd[j];                       \
            }                                                                  \
        }                                                                      \
    } while (0)
        if (d->x8)
            MINMAX(const uint8_t *row = d->x8 + (size_t)idx[i] * (size_t)nf, nn_byte_value(row[j]));
        else
            MINMAX(const float *row = d->x + (size_t)idx[i] * (size_t)nf, row[j]);
#undef MINMAX
        for (int j = 0; j < nf; j++)
            sd[j] -= mu[j];   /* hi - lo */
    }
    for (int j = 0; j < nf; j++) {
        nm->shift[j] = kind == NN_NORM_NONE ? 0.0f : (float)mu[j];
        nm->scale[j] = safe_scale(kind == NN_NORM_NONE ? 1.0 : sd[j]);
    }
    if (d->task == NN_TASK_REGRESSION && d->n_targets > 0) {
        nm->n_targets = d->n_targets;
        nm->y_shift = calloc((size_t)d->n_targets, sizeof *nm->y_shift);
        nm->y_scale = calloc((size_t)d->n_targets, sizeof *nm->y_scale);
        if (!nm->y_shift || !nm->y_scale) {
            free(mu);
            free(sd);
            goto oom;
        }
        columns_mean_std(d->y, d->n_targets, idx, n, mu, sd);
        for (int j = 0; j < d->n_targets; j++) {
            nm->y_shift[j] = (float)mu[j];
            nm->y_scale[j] = safe_scale(sd[j]);
        }
    }
    free(mu);
    free(sd);
    return NN_OK;
oom:
    nn_norm_free(nm);
    return nn_error_set(err, NN_ENOMEM, "normalize: out of memory");
}

static float *copy_floats(const float *src, int n)
{
    if (!src || n <= 0)
        return NULL;
    float *p = malloc((size_t)n * sizeof *p);
    if (p)
        memcpy(p, src, (size_t)n * sizeof *p);
    return p;
}

nn_status nn_norm_copy(nn_norm *dst, const nn_norm *src, nn_error *err)
{
    memset(dst, 0, sizeof *dst);
    dst->kind = src->kind;
    dst->n_features = src->n_features;
    dst->n_targets = src->n_targets;
    dst->shift = copy_floats(src->shift, src->n_features);
    dst->scale = copy_floats(src->scale, src->n_features);
    dst->y_shift = copy_floats(src->y_shift, src->n_targets);
    dst->y_scale = copy_floats(src->y_scale, src->n_targets);
    if ((src->shift && src->n_features > 0 && !dst->shift) || (src->scale && src->n_features > 0 && !dst->scale) ||
        (src->y_shift && src->n_targets > 0 && !dst->y_shift) ||
        (src->y_scale && src->n_targets > 0 && !dst->y_scale)) {
        nn_norm_free(dst);
        return nn_error_set(err, NN_ENOMEM, "normalize: out of memory");
    }
    return NN_OK;
}

void nn_norm_free(nn_norm *nm)
{
    if (!nm)
        return;
    free(nm->shift);
    free(nm->scale);
    free(nm->y_shift);
    free(nm->y_scale);
    memset(nm, 0, sizeof *nm);
}

void nn_norm_apply(const nn_norm *nm, float *x, int rows)
{
    if (!nm || !nm->shift || !nm->scale || nm->kind == NN_NORM_NONE)
        return;
    int f = nm->n_features;
    for (int i = 0; i < rows; i++) {
        float *r = x + (size_t)i * (size_t)f;
        for (int j = 0; j < f; j++)
            r[j] = (r[j] - nm->shift[j]) / nm->scale[j];
    }
}

void nn_norm_apply_dataset(const nn_norm *nm, nn_dataset *d)
{
    if (d->x) {
        nn_norm_apply(nm, d->x, d->n);
        return;
    }
    bool on = nm && nm->shift && nm->scale && nm->kind != NN_NORM_NONE && nm->n_features == d->n_features;
    d->x8_shift = on ? nm->shift : NULL;
    d->x8_scale = on ? nm->scale : NULL;
}

void nn_norm_unscale_targets(const nn_norm *nm, float *v, int rows)
{
    if (!nm || !nm->y_shift || !nm->y_scale)
        return;
    int t = nm->n_targets;
    for (int i = 0; i < rows; i++) {
        float *r = v + (size_t)i * (size_t)t;
        for (int j = 0; j < t; j++)
            r[j] = r[j] * nm->y_scale[j] + nm->y_shift[j];
    }
}

// --- batches

/* Rows ahead whose cache lines are prefetched: the rows of a shuffled batch are random, and a
 * row's first lines miss all caches (Fashion-MNIST's 47 MB of pixels), so the copy of row i
 * waits for memory unless row i + GATHER_AHEAD's lines were asked for while it ran. */
enum { GATHER_AHEAD = 4 };

static void prefetch_row(const void *p, size_t bytes)
{
    const char *c = p;
    for (size_t off = 0; off < bytes; off += 64)
        __builtin_prefetch(c + off, 0, 0);
    __builtin_prefetch(c + bytes - 1, 0, 0);
}

void nn_gather(float *xb, float *yb, int out, const nn_dataset *d, const nn_norm *nm,
               const uint32_t *idx, int rows)
{
    size_t f = (size_t)d->n_features;
    if (xb && d->x8) {
        for (int i = 0; i < rows && i < GATHER_AHEAD; i++)
            prefetch_row(d->x8 + (size_t)idx[i] * f, f);
        for (int i = 0; i < rows; i++) {
            if (i + GATHER_AHEAD < rows)
                prefetch_row(d->x8 + (size_t)idx[i + GATHER_AHEAD] * f, f);
            byte_row(xb + (size_t)i * f, d->x8 + (size_t)idx[i] * f, d->x8_shift, d->x8_scale, f);
        }
    } else if (xb) {
        for (int i = 0; i < rows && i < GATHER_AHEAD; i++)
            prefetch_row(d->x + (size_t)idx[i] * f, f * sizeof *xb);
        for (int i = 0; i < rows; i++) {
            if (i + GATHER_AHEAD < rows)
                prefetch_row(d->x + (size_t)idx[i + GATHER_AHEAD] * f, f * sizeof *xb);
            memcpy(xb + (size_t)i * f, d->x + (size_t)idx[i] * f, f * sizeof *xb);
        }
    }
    if (!yb || out < 1)
        return;
    if (d->task == NN_TASK_CLASSIFICATION) {
        if (out == 1 && d->n_classes == 2) {
            for (int i = 0; i < rows; i++)
                yb[i] = d->label[idx[i]] == 1 ? 1.0f : 0.0f;
            return;
        }
        memset(yb, 0, (size_t)rows * (size_t)out * sizeof *yb);
        for (int i = 0; i < rows; i++) {
            int32_t c = d->label[idx[i]];
            if (c >= 0 && c < out)
                yb[(size_t)i * (size_t)out + (size_t)c] = 1.0f;
        }
        return;
    }
    /* Regression: out columns of the targets (out == n_targets in normal use). */
    int t = d->n_targets;
    bool std = nm && nm->y_shift && nm->y_scale && nm->n_targets == t;
    for (int i = 0; i < rows; i++) {
        const float *src = d->y + (size_t)idx[i] * (size_t)t;
        float *dst = yb + (size_t)i * (size_t)out;
        for (int j = 0; j < out; j++) {
            float v = j < t ? src[j] : 0.0f;
            dst[j] = (std && j < t) ? (v - nm->y_shift[j]) / nm->y_scale[j] : v;
        }
    }
}

/* Parts of the pooled gather: GATHER_PART rows each. Random rows of a large set are memory
 * latency bound, so two threads copy about twice the rows per microsecond. */
enum { GATHER_PART = 32 };

typedef struct {
    float *xb, *yb;
    int out, rows;
    const nn_dataset *d;
    const nn_norm *nm;
    const uint32_t *idx;
} gather_job;

static void gather_part(void *arg, int part)
{
    const gather_job *j = arg;
    int r0 = part * GATHER_PART;
    int r = j->rows - r0 < GATHER_PART ? j->rows - r0 : GATHER_PART;
    size_t f = (size_t)j->d->n_features;
    nn_gather(j->xb ? j->xb + (size_t)r0 * f : NULL, j->yb ? j->yb + (size_t)r0 * (size_t)j->out : NULL,
              j->out, j->d, j->nm, j->idx + r0, r);
}

void nn_gather_pool(nn_pool *pool, float *xb, float *yb, int out, const nn_dataset *d,
                    const nn_norm *nm, const uint32_t *idx, int rows)
{
    /* Below 64 KiB of features a batch is copied faster than the pool wakes. */
    if (!pool || nn_pool_threads(pool) < 2 || rows <= GATHER_PART ||
        (size_t)rows * (size_t)d->n_features < 16384) {
        nn_gather(xb, yb, out, d, nm, idx, rows);
        return;
    }
    gather_job j = {xb, yb, out, rows, d, nm, idx};
    nn_pool_run(pool, gather_part, &j, (rows + GATHER_PART - 1) / GATHER_PART);
}

nn_status nn_dataset_set_names(nn_dataset *d, const char *const *features, int nf, const char *const *classes,
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
