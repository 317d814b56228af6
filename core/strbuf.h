/* strbuf.h — a growing NUL-terminated string for writing JSON text (presets and model files).
 * Running out of memory is sticky: every later call does nothing and oom stays true, so a writer
 * checks once at the end. A zeroed nn_strbuf is empty; the caller frees s. Any thread. */
#ifndef NN_STRBUF_H
#define NN_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *s;          /* the text, NUL-terminated (NULL while empty) */
    size_t len, cap;  /* bytes used (without the NUL), bytes allocated */
    bool oom;         /* an allocation failed: the text is incomplete */
} nn_strbuf;

void nn_strbuf_put(nn_strbuf *b, const char *s, size_t n);
void nn_strbuf_puts(nn_strbuf *b, const char *s);
void nn_strbuf_printf(nn_strbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif
