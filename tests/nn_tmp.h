/* nn_tmp.h — a unique temporary folder or file for a test: /tmp/PREFIX followed by mkdtemp's or
 * mkstemp's six random characters. Include after the feature-test macros and <stdlib.h>. */
#ifndef NN_TMP_H
#define NN_TMP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The template "/tmp/PREFIX" + six 'X' in out (n bytes); NULL when it does not fit. */
static inline char *nn_tmp_template(char *out, size_t n, const char *prefix)
{
    int len = snprintf(out, n, "/tmp/%s", prefix);
    if (len < 0 || (size_t)len + 7 > n)
        return NULL;
    memset(out + len, 'X', 6);
    out[len + 6] = '\0';
    return out;
}

/* A new folder: its path in out, or NULL (errno set by mkdtemp). */
static inline char *nn_tmp_dir(char *out, size_t n, const char *prefix)
{
    return nn_tmp_template(out, n, prefix) ? mkdtemp(out) : NULL;
}

/* A new file, open for reading and writing: its descriptor (path in out), or -1. */
static inline int nn_tmp_file(char *out, size_t n, const char *prefix)
{
    return nn_tmp_template(out, n, prefix) ? mkstemp(out) : -1;
}

#endif
