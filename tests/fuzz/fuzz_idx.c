/* fuzz_idx.c — the IDX loaders: nn_idx_parse_images and nn_idx_parse_labels on the same bytes,
 * and, for gzip input (1f 8b), nn_idx_read_file's decompression through a temporary file.
 * Promises checked: a refusal has a code and a message naming the file and leaves no buffer;
 * accepted images have n*rows*cols pixels (every one read, so ASan checks the size) in [0, 1]. */
#include "fuzz.h"

#include "datasets.h"

#include <math.h>
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *buf = (uint8_t *)fuzz_dup(data, size);
    if (!buf)
        return 0;
    parse(buf, size, FILE_NAME);
    if (size >= 2 && buf[0] == 0x1f && buf[1] == 0x8b)
        gunzip(buf, size);
    free(buf);
    return 0;
}
