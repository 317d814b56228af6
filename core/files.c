/* files.c — whole-file reads (plain or embedded "builtin:NAME"), atomic writes, path helpers.
 * Atomic write: mkstemp "PATH.tmp.XXXXXX" beside PATH, write everything, fsync, rename. Any
 * failure (including a file-size limit, where SIGXFSZ is ignored and write returns EFBIG)
 * unlinks the temporary, so the old file is never touched. */
#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

// --- reading

static nn_status read_builtin(const char *path, char **buf, size_t *len, nn_error *err)
{
    const char *name = path + strlen(NN_BUILTIN_PREFIX);
    for (size_t i = 0; i < nn_builtin_file_count; i++) {
        const nn_builtin_file *f = &nn_builtin_files[i];
        if (f->name && strcmp(f->name, name) == 0) {
            char *b = malloc(f->len + 1);
            if (!b)
                return nn_error_set(err, NN_ENOMEM, "%s: out of memory (%zu bytes)", path, f->len + 1);
            if (f->len)
                memcpy(b, f->data, f->len);
            b[f->len] = '\0';
            *buf = b;
            *len = f->len;
            return NN_OK;
        }
    }
    return nn_error_set(err, NN_EIO, "%s: no such built-in file", path);
}

/* "1536 MB", "64 KB", "100 bytes" */
static void size_text(char *out, size_t n, size_t bytes)
{
    if (bytes >= ((size_t)1 << 20) * 10)
        snprintf(out, n, "%zu MB", bytes >> 20);
    else if (bytes >= 10240)
        snprintf(out, n, "%zu KB", bytes >> 10);
    else
        snprintf(out, n, "%zu bytes", bytes);
}

size_t nn_file_read_limit(void)
{
    size_t max_bytes = SIZE_MAX / 4;
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    if (pages > 0 && page > 0 && (unsigned long)pages < SIZE_MAX / (unsigned long)page)
        max_bytes = (size_t)pages * (size_t)page / 4;
    return max_bytes;
}

nn_status nn_file_read(const char *path, char **buf, size_t *len, nn_error *err)
{
    return nn_file_read_max(path, nn_file_read_limit(), "a quarter of this machine's memory", buf, len, err);
}

nn_status nn_file_read_max(const char *path, size_t max_bytes, const char *why, char **buf, size_t *len,
                           nn_error *err)
{
    *buf = NULL;
    *len = 0;
    if (!path || !*path)
        return nn_error_set(err, NN_EINVAL, "empty file name");
    if (strncmp(path, NN_BUILTIN_PREFIX, strlen(NN_BUILTIN_PREFIX)) == 0)
        return read_builtin(path, buf, len, err);
    if (max_bytes > SIZE_MAX - 2)
        max_bytes = SIZE_MAX - 2;
    char lim[32];
    size_text(lim, sizeof lim, max_bytes);

    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return nn_error_set(err, NN_EIO, "%s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return nn_error_set(err, NN_EIO, "%s: %s", path, strerror(e));
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return nn_error_set(err, NN_EIO, "%s: %s", path, strerror(EISDIR));
    }
    /* A device never ends (/dev/zero, a terminal): only regular files and pipes are read. */
    if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
        close(fd);
        return nn_error_set(err, NN_EIO, "%s: not a regular file or a pipe", path);
    }
    /* A pipe may not end either: nothing longer than max_bytes is read (by default a quarter of the
     * machine's memory), rather than meet the OOM killer (or an ASan abort) on the way. */
    if (st.st_size > 0 && (uintmax_t)st.st_size > (uintmax_t)max_bytes) {
        close(fd);
        return nn_error_set(err, NN_ENOMEM, "%s: file too large (%jd bytes, more than %s, %s)", path,
                            (intmax_t)st.st_size, lim, why);
    }
    /* Start from the size fstat reports, but grow (by doubling, up to max_bytes) in case the file is
     * a pipe or is still growing: never trust st_size alone. */
    size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : (max_bytes + 1 < 4096 ? max_bytes + 1 : 4096);
    size_t n = 0;
    char *b = malloc(cap);
    if (!b) {
        close(fd);
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory reading it (%zu bytes)", path, cap);
    }
    for (;;) {
        if (n + 1 >= cap) {
            /* Full: at the end of the file (a regular file's usual case) nothing needs to grow. */
            char probe;
            ssize_t r = read(fd, &probe, 1);
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0) {
                int e = errno;
                free(b);
                close(fd);
                return nn_error_set(err, NN_EIO, "%s: %s", path, strerror(e));
            }
            if (r == 0)
                break;
            if (n + 1 > max_bytes) {
                free(b);
                close(fd);
                return nn_error_set(err, NN_ENOMEM, "%s: file too large (more than %s, %s)", path, lim, why);
            }
            size_t nc = cap <= (max_bytes + 1) / 2 ? cap * 2 : max_bytes + 1;
            char *nb = realloc(b, nc);
            if (!nb) {
                free(b);
                close(fd);
                return nn_error_set(err, NN_ENOMEM, "%s: out of memory reading it (%zu bytes)", path, nc);
            }
            b = nb;
            cap = nc;
            b[n++] = probe;
            continue;
        }
        ssize_t r = read(fd, b + n, cap - 1 - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(b);
            close(fd);
            return nn_error_set(err, NN_EIO, "%s: %s", path, strerror(e));
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    b[n] = '\0';
    *buf = b;
    *len = n;
    return NN_OK;
}

// --- atomic writes

static int write_all(int fd, const unsigned char *p, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (w == 0) {
            errno = EIO;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

nn_status nn_file_write_atomic(const char *path, const void *data, size_t len, nn_error *err)
{
    if (!path || !*path)
        return nn_error_set(err, NN_EINVAL, "empty file name");
    if (strncmp(path, NN_BUILTIN_PREFIX, strlen(NN_BUILTIN_PREFIX)) == 0)
        return nn_error_set(err, NN_EINVAL, "%s: built-in files cannot be written", path);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return nn_error_set(err, NN_EIO, "%s: %s", path, strerror(EISDIR));

    char tmp[NN_PATH_MAX + 16];
    int k = snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", path);
    if (k < 0 || (size_t)k >= sizeof tmp)
        return nn_error_set(err, NN_EINVAL, "%s: path too long", path);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return nn_error_set(err, NN_EIO, "%s: cannot create a temporary file: %s", path, strerror(errno));
    /* mkstemp creates 0600: keep the old file's mode when replacing one, else 0644 (reading
     * the umask would mean changing it, which races with other threads). */
    mode_t mode = (stat(path, &st) == 0) ? (st.st_mode & 07777) : 0644;
    (void)fchmod(fd, mode);

    const char *what = "write";
    if (write_all(fd, data, len) != 0)
        goto fail;
    what = "fsync";
    if (fsync(fd) != 0)
        goto fail;
    what = "close";
    int c = close(fd);
    fd = -1;
    if (c != 0)
        goto fail;
    what = "rename";
    if (rename(tmp, path) != 0)
        goto fail;
    /* Make the rename itself durable; a failure here cannot undo it, so it is not an error. */
    char dir[NN_PATH_MAX];
    nn_path_dir(dir, sizeof dir, path);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
    return NN_OK;

fail:;
    int e = errno;
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    return nn_error_set(err, NN_EIO, "%s: %s failed: %s (the old file is unchanged)", path, what, strerror(e));
}

// --- paths

void nn_path_dir(char *out, size_t outlen, const char *path)
{
    if (outlen == 0)
        return;
    size_t plen = strlen(NN_BUILTIN_PREFIX);
    if (strncmp(path, NN_BUILTIN_PREFIX, plen) == 0) {
        snprintf(out, outlen, "%s", NN_BUILTIN_PREFIX);
        return;
    }
    const char *slash = strrchr(path, '/');
    if (!slash) {
        snprintf(out, outlen, ".");
        return;
    }
    size_t n = (size_t)(slash - path);
    if (n == 0)
        n = 1;      /* "/x" -> "/" */
    if (n >= outlen)
        n = outlen - 1;
    memcpy(out, path, n);
    out[n] = '\0';
}

int nn_path_join(char *out, size_t outlen, const char *dir, const char *rel)
{
    int k;
    if (rel[0] == '/' || !dir || !*dir ||
        strncmp(rel, NN_BUILTIN_PREFIX, strlen(NN_BUILTIN_PREFIX)) == 0)
        k = snprintf(out, outlen, "%s", rel);
    else if (strcmp(dir, NN_BUILTIN_PREFIX) == 0 || dir[strlen(dir) - 1] == '/')
        k = snprintf(out, outlen, "%s%s", dir, rel);
    else
        k = snprintf(out, outlen, "%s/%s", dir, rel);
    if (k < 0 || (size_t)k >= outlen)
        return -1;
    return 0;
}
