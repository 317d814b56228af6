/* files.h — reading whole files (plain, or embedded in the binary under "builtin:NAME"),
 * atomic writes, and path helpers. Any thread; nn_file_remove_temporaries also from a signal handler. */
#ifndef NN_FILES_H
#define NN_FILES_H

#include "error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* Reads a whole regular file into a malloc'd buffer with a terminating NUL (not counted in *len).
 * "builtin:NAME" reads the embedded file NAME. A FIFO, device or socket is refused without
 * blocking ("PATH: a FIFO, not a regular file"). Errors name the path. */
nn_status nn_file_read(const char *path, char **buf, size_t *len, nn_error *err);
/* The same, refusing (NN_ENOMEM, "PATH: file too large (more than MAX, WHY)") a file or pipe of more
 * than max_bytes bytes without reading more than that. nn_file_read's limit is nn_file_read_limit(). */
nn_status nn_file_read_max(const char *path, size_t max_bytes, const char *why, char **buf, size_t *len,
                           nn_error *err);
/* The first bytes of a regular file (or "builtin:NAME"): at most cap - 1 of them into out, NUL-ended,
 * *len how many. The same refusals as nn_file_read (a FIFO or device: an error, without blocking). */
nn_status nn_file_read_head(const char *path, char *out, size_t cap, size_t *len, nn_error *err);
/* A quarter of the machine's memory: the most nn_file_read reads. */
size_t nn_file_read_limit(void);

/* Writes data to path atomically. A symbolic link is followed: its target is replaced, in the
 * target's folder. A path that exists and is not a regular file (FIFO, device, socket, folder) is
 * refused (NN_EIO). The data goes to a file with no name (O_TMPFILE) or, where that is missing, to
 * "TARGET.tmp.PID.XXXXXX", fsync'd, then named or renamed over the target. On any failure the old
 * file is unchanged and nothing is left behind; stale temporaries of dead processes are removed. */
nn_status nn_file_write_atomic(const char *path, const void *data, size_t len, nn_error *err);
#define NN_WRITE_NAMED_TEMP 1u   /* flags: use the named temporary even where O_TMPFILE works (tests) */
nn_status nn_file_write_atomic_opt(const char *path, const void *data, size_t len, unsigned flags,
                                   nn_error *err);
/* The checks nn_file_write_atomic makes before writing (links followed, not a FIFO, device, socket
 * or folder), and that the target's folder exists, so a long run can refuse a bad --save path
 * before it starts. */
nn_status nn_file_check_save(const char *path, nn_error *err);
/* True when a and b both exist and are the same file (device and inode, links followed). */
bool nn_file_same(const char *a, const char *b);
/* Removes the temporaries of the saves running now (their names exist only for the duration of a
 * save). Async-signal-safe: for handlers that end the process. */
void nn_file_remove_temporaries(void);

/* dir of path into out ("." if none; "builtin:" stays "builtin:"). */
void nn_path_dir(char *out, size_t outlen, const char *path);
/* Joins dir and rel into out unless rel is absolute or dir is empty. Returns 0, or -1 if too long. */
int nn_path_join(char *out, size_t outlen, const char *dir, const char *rel);
/* The path of to (a file whose folder exists) relative to the folder from_dir ("../data/x.csv"), both
 * resolved first (links followed); "builtin:NAME" stays as it is. -1 when a folder cannot be
 * resolved or out is too small. */
int nn_path_relative(char *out, size_t outlen, const char *from_dir, const char *to);

/* Inflates gzip data in[0..inlen) (one or more members) into a malloc'd *out of *outlen bytes. At most
 * 16 GiB and nn_file_read_limit() come out: a gzip bomb is NN_ENOMEM with a message, never the OOM
 * killer. A truncated stream or garbage after it is NN_EFORMAT. path is for messages. */
nn_status nn_gunzip(const uint8_t *in, size_t inlen, const char *path, uint8_t **out, size_t *outlen, nn_error *err);

#endif
