/* error.h — status codes and the error record every fallible core call fills.
 * Owns: nn_status, nn_error, nn_diags (a list of problems, for `nnterm check`).
 * Any thread may use these; an nn_error belongs to the caller that passes it. */
#ifndef NN_ERROR_H
#define NN_ERROR_H

#include <stddef.h>

typedef enum {
    NN_OK = 0,
    NN_EINVAL,    /* bad argument or bad input value (preset field, CSV cell) */
    NN_ENOMEM,    /* allocation failed or a size would overflow */
    NN_EIO,       /* open/read/write/rename failed */
    NN_EFORMAT,   /* a file is not in the expected format (JSON syntax, IDX magic, truncated) */
    NN_EDIVERGED, /* a NaN or Inf appeared in a loss, gradient or weight */
    NN_ESTOPPED   /* the run was asked to stop (signal, UI) */
} nn_status;

#define NN_ERRMSG 512

/* One error: the code and a one-line message naming the file, field or line. */
typedef struct {
    nn_status code;
    char msg[NN_ERRMSG];
} nn_error;

/* Sets *err (if err is not NULL) and returns code, so failing is one line (control characters in the
 * message are escaped as \xHH, and a message too long for msg is cut at a character, with "..."):
 *   return nn_error_set(err, NN_EINVAL, "%s: training.batch_size: %d is out of range (1..1000000)", f, v); */
nn_status nn_error_set(nn_error *err, nn_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Clears *err to NN_OK and an empty message (err may be NULL). */
void nn_error_clear(nn_error *err);

/* Name of a status ("ok", "invalid input", ...), never NULL. */
const char *nn_status_name(nn_status code);

/* A list of problems for validation that reports every problem, not only the first. */
#define NN_MAX_DIAGS 64
typedef struct {
    int count;                        /* messages stored (<= NN_MAX_DIAGS) */
    int dropped;                      /* further problems not stored */
    char msg[NN_MAX_DIAGS][NN_ERRMSG];
} nn_diags;

void nn_diags_clear(nn_diags *d);
void nn_diags_add(nn_diags *d, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif
