/* fuzz_idx.c — the IDX loaders: nn_idx_parse_images and nn_idx_parse_labels on the same bytes,
 * for gzip input (1f 8b) nn_idx_read_file's decompression through a temporary file, and, for
 * input starting "PAIR", nn_data_idx over image/label file pairs (see pair()).
 * Promises checked: a refusal has a code and a message naming the file and leaves no buffer;
 * accepted images have n*rows*cols pixels (every one read, so ASan checks the size) in [0, 1]; an
 * accepted pair is a dataset of the images of both pairs, labels 0..9, the test rows counted. */
#include "fuzz.h"

#include "datasets.h"

#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILE_NAME "fuzz/images.idx"

static void check_error(nn_status st, const nn_error *err, const char *what)
{
    FUZZ_CHECK(err->code == st, "%s: err.code %d != status %d", what, (int)err->code, (int)st);
    FUZZ_CHECK(fuzz_terminated(err->msg, sizeof err->msg), "%s: message not terminated", what);
    FUZZ_CHECK(err->msg[0] != '\0', "%s: no message", what);
}

static void parse(const uint8_t *buf, size_t size, const char *name)
{
    nn_error err;
    float *img = NULL;
    int n = -1, rows = -1, cols = -1;
    nn_status st = nn_idx_parse_images(buf, size, name, &img, &n, &rows, &cols, &err);
    if (st == NN_OK) {
        FUZZ_CHECK(n >= 1 && rows >= 1 && cols >= 1, "shape %d x %d x %d", n, rows, cols);
        FUZZ_CHECK(img != NULL, "no pixels");
        size_t px = (size_t)n * (size_t)rows * (size_t)cols;
        FUZZ_CHECK(px <= size, "%zu pixels from %zu bytes", px, size);
        for (size_t i = 0; i < px; i++)
            FUZZ_CHECK(img[i] >= 0.0f && img[i] <= 1.0f, "pixel %zu = %g", i, (double)img[i]);
    } else {
        check_error(st, &err, "nn_idx_parse_images");
        FUZZ_CHECK(strstr(err.msg, name) != NULL, "message does not name the file: %s", err.msg);
    }
    free(img);

    uint8_t *lab = NULL;
    n = -1;
    st = nn_idx_parse_labels(buf, size, name, &lab, &n, &err);
    if (st == NN_OK) {
        FUZZ_CHECK(n >= 1 && lab != NULL, "n %d", n);
        FUZZ_CHECK((size_t)n <= size, "%d labels from %zu bytes", n, size);
        unsigned sum = 0;
        for (int i = 0; i < n; i++)
            sum += lab[i];
        (void)sum;
    } else {
        check_error(st, &err, "nn_idx_parse_labels");
        FUZZ_CHECK(strstr(err.msg, name) != NULL, "message does not name the file: %s", err.msg);
    }
    free(lab);
}

/* gzip input: write it to a file and read it back through the loader's gunzip. */
static void gunzip(const uint8_t *data, size_t size)
{
    static char path[64];
    if (!path[0])
        snprintf(path, sizeof path, "/tmp/nnterm-fuzz-idx-%ld.gz", (long)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return;
    size_t w = fwrite(data, 1, size, f);
    fclose(f);
    if (w != size) {
        unlink(path);
        return;
    }
    uint8_t *buf = NULL;
    size_t len = 0;
    nn_error err;
    nn_status st = nn_idx_read_file(path, &buf, &len, &err);
    unlink(path);
    if (st == NN_OK) {
        FUZZ_CHECK(buf != NULL || len == 0, "no buffer");
        parse(buf, len, path);
    } else {
        check_error(st, &err, "nn_idx_read_file");
    }
    free(buf);
}

/* "PAIR", a flags byte (bit 0: test files too; bit 1: Fashion-MNIST class names), then the files
 * images, labels[, test images, test labels], each a 2-byte big-endian length and its bytes (a
 * length past the end takes what is left), written to a temporary folder and read by nn_data_idx. */
static char dir[64];   /* pair()'s temporary folder, removed at exit */

static void remove_dir(void)
{
    rmdir(dir);
}

static void pair(const uint8_t *buf, size_t size)
{
    static const char *const names[4] = {"images", "labels", "test-images", "test-labels"};
    static const char *const names10[10] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"};
    char paths[4][96];
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/nnterm-fuzz-pair-%ld", (long)getpid());
        atexit(remove_dir);
    }
    mkdir(dir, 0700);
    int flags = buf[4], files = flags & 1 ? 4 : 2;
    size_t at = 5;
    for (int k = 0; k < files; k++) {
        size_t n = 0;
        if (at + 2 <= size) {
            n = (size_t)buf[at] << 8 | buf[at + 1];
            at += 2;
        } else {
            at = size;
        }
        if (n > size - at)
            n = size - at;
        snprintf(paths[k], sizeof paths[k], "%s/%s", dir, names[k]);
        FILE *f = fopen(paths[k], "wb");
        if (!f)
            return;
        size_t w = fwrite(buf + at, 1, n, f);
        fclose(f);
        if (w != n)
            return;
        at += n;
    }
    nn_dataset d;
    nn_error err;
    nn_status st = nn_data_idx(&d, paths[0], paths[1], files == 4 ? paths[2] : NULL, files == 4 ? paths[3] : NULL,
                               (flags & 2) ? names10 : NULL, &err);
    if (st == NN_OK) {
        FUZZ_CHECK(d.n >= 1 && d.n_features >= 1 && d.n_classes == 10, "n %d, features %d, classes %d", d.n,
                   d.n_features, d.n_classes);
        FUZZ_CHECK(files == 4 ? d.n_fixed_test >= 1 && d.n_fixed_test < d.n : d.n_fixed_test == 0,
                   "%d fixed test rows of %d", d.n_fixed_test, d.n);
        for (int i = 0; i < d.n; i++)
            FUZZ_CHECK(d.label[i] >= 0 && d.label[i] <= 9, "row %d: label %d", i, d.label[i]);
        FUZZ_CHECK(d.x == NULL && d.x8 != NULL, "pixels not kept as bytes");
        for (int i = 0; i < d.n; i++)
            for (int j = 0; j < d.n_features; j++) {
                float v = nn_dataset_value(&d, i, j);
                FUZZ_CHECK(v >= 0.0f && v <= 1.0f, "pixel %d,%d = %g", i, j, (double)v);
            }
        FUZZ_CHECK(d.class_names != NULL && d.class_names[9] != NULL && d.class_names[9][0], "no name for class 9");
        /* no name per pixel (64 bytes each made a 32 KB .gz take 2.2 GB): made on demand */
        FUZZ_CHECK(d.feature_names == NULL, "image data store feature names");
        nn_dataset_free(&d);
    } else {
        check_error(st, &err, "nn_data_idx");
        FUZZ_CHECK(strstr(err.msg, dir) != NULL, "message does not name the file: %s", err.msg);
        FUZZ_CHECK(d.x == NULL && d.x8 == NULL && d.label == NULL, "a refused pair left a dataset");
    }
    for (int k = 0; k < files; k++)
        unlink(paths[k]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *buf = (uint8_t *)fuzz_dup(data, size);
    if (!buf)
        return 0;
    if (size >= 5 && memcmp(buf, "PAIR", 4) == 0) {
        pair(buf, size);
        free(buf);
        return 0;
    }
    parse(buf, size, FILE_NAME);
    if (size >= 2 && buf[0] == 0x1f && buf[1] == 0x8b)
        gunzip(buf, size);
    free(buf);
    return 0;
}
