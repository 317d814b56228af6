/* files.h — reading whole files (plain, or embedded in the binary under "builtin:NAME"),
 * atomic writes, and path helpers. Any thread. */
#ifndef NN_FILES_H
#define NN_FILES_H

#include "error.h"

#include <stddef.h>

#define NN_PATH_MAX 1024
#define NN_BUILTIN_PREFIX "builtin:"

/* Files embedded at build time from presets/ (generated: builtin_files.c). */
typedef struct {
    const char *name;              /* file name inside presets/: "iris.json", "wine.csv" */
    const unsigned char *data;
    size_t len;
} nn_builtin_file;
extern const nn_builtin_file nn_builtin_files[];
extern const size_t nn_builtin_file_count;

/* Reads a whole file into a malloc'd buffer with a terminating NUL (not counted in *len).
 * "builtin:NAME" reads the embedded file NAME. Errors name the path. */
nn_status nn_file_read(const char *path, char **buf, size_t *len, nn_error *err);
/* The same, refusing (NN_ENOMEM, "PATH: file too large (more than MAX, WHY)") a file or pipe of more
 * than max_bytes bytes without reading more than that. nn_file_read's limit is nn_file_read_limit(). */
nn_status nn_file_read_max(const char *path, size_t max_bytes, const char *why, char **buf, size_t *len,
                           nn_error *err);
/* A quarter of the machine's memory: the most nn_file_read reads. */
size_t nn_file_read_limit(void);

/* Writes data to path atomically: a temporary file in the same folder, written, fsync'd and
 * renamed over path. On any failure the old file is unchanged and the temporary is removed. */
nn_status nn_file_write_atomic(const char *path, const void *data, size_t len, nn_error *err);

/* dir of path into out ("." if none; "builtin:" stays "builtin:"). */
void nn_path_dir(char *out, size_t outlen, const char *path);
/* Joins dir and rel into out unless rel is absolute or dir is empty. Returns 0, or -1 if too long. */
int nn_path_join(char *out, size_t outlen, const char *dir, const char *rel);

#endif
