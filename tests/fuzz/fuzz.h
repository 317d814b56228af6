/* fuzz.h — shared by the fuzz targets (fuzz_*.c) and the standalone replay driver.
 * A target feeds one input to a core parser and checks what the parser promises: no crash, no read
 * past the input (ASan), no undefined behaviour (UBSan), an error message when it refuses, and
 * consistent results when it accepts. A broken promise aborts with a message (FUZZ_CHECK). */
#ifndef NN_FUZZ_H
#define NN_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, ...)                                                         \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond);  \
            fprintf(stderr, __VA_ARGS__);                                             \
            fputc('\n', stderr);                                                      \
            abort();                                                                  \
        }                                                                             \
    } while (0)

/* True if s holds a NUL within cap bytes (a message that can be printed). */
static inline int fuzz_terminated(const char *s, size_t cap)
{
    return memchr(s, '\0', cap) != NULL;
}

/* A copy of the input in a buffer of exactly size bytes (libFuzzer's buffer is exact already, but
 * the copy keeps the target independent of the driver). Never NULL for size 0. */
static inline char *fuzz_dup(const uint8_t *data, size_t size)
{
    char *b = malloc(size ? size : 1);
    if (b && size)
        memcpy(b, data, size);
    return b;
}

#endif
