/* idx.c — MNIST-style IDX files (plain or gzip): images (magic 0x803) scaled to [0, 1] and labels
 * (magic 0x801), a training pair and an optional fixed test pair. */
#include "datasets.h"
#include "files.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_CELLS ((size_t)1 << 31)   /* same limit as nn_dataset_alloc */

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
        st = nn_gunzip((const uint8_t *)raw, n, path, buf, len, err);
        free(raw);
        return st;
    }
    *buf = (uint8_t *)raw;
    *len = n;
    return NN_OK;
}

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
                      const char *test_labels, const char *const *classes, nn_error *err)
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
        d->image_rows = r;
        d->image_cols = c;
        /* no feature names stored: pixel j is "px<j>" on demand (nn_dataset_feature_name) */
        st = nn_dataset_set_names(d, NULL, 0, classes, 10, err);
    }
    free(img);
    free(lab);
    free(timg);
    free(tlab);
    if (st)
        nn_dataset_free(d);
    return st;
}
