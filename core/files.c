/* files.c — whole-file reads (plain or embedded "builtin:NAME"), atomic writes, path helpers.
 * Reads open with O_NONBLOCK and take regular files only, so a FIFO or a device named as a preset or
 * data file cannot block (the trainer's picker froze on a FIFO) or never end (/dev/zero).
 * Atomic write: mkstemp "TARGET.tmp.XXXXXX" beside the target (links followed), write everything,
 * fsync, rename. Any failure (including a file-size limit, where SIGXFSZ is ignored and write
 * returns EFBIG) unlinks the temporary, so the old file is never touched. */
#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a file that is not a regular file is, for messages. */
static const char *file_kind(mode_t m)
{
    if (S_ISFIFO(m))
        return "a FIFO";
    if (S_ISCHR(m))
        return "a character device";
    if (S_ISBLK(m))
        return "a block device";
    if (S_ISSOCK(m))
        return "a socket";
    if (S_ISDIR(m))
        return "a directory";
    return "a special file";
}

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

nn_status nn_file_read(const char *path, char **buf, size_t *len, nn_error *err)
{
    *buf = NULL;
    *len = 0;
    if (!path || !*path)
        return nn_error_set(err, NN_EINVAL, "empty file name");
    if (strncmp(path, NN_BUILTIN_PREFIX, strlen(NN_BUILTIN_PREFIX)) == 0)
        return read_builtin(path, buf, len, err);

    /* O_NONBLOCK: opening a FIFO with no writer, or some devices, would wait; O_NOCTTY: a terminal
     * named as a file must not become ours. Only regular files are read (below), then blocking. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
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
    /* A device never ends (/dev/zero, a terminal) and a FIFO may never be written to: only regular
     * files are read. */
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return nn_error_set(err, NN_EIO, "%s: %s, not a regular file", path, file_kind(st.st_mode));
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    /* A file may still grow while it is read: stop at a quarter of the machine's memory rather than
     * meet the OOM killer (or an ASan abort) on the way. */
    size_t max_bytes = SIZE_MAX / 4;
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    if (pages > 0 && page > 0 && (unsigned long)pages < SIZE_MAX / (unsigned long)page / 2)
        max_bytes = (size_t)pages * (size_t)page / 4;
    if (st.st_size > 0 && (uintmax_t)st.st_size > (uintmax_t)max_bytes) {
        close(fd);
        return nn_error_set(err, NN_ENOMEM, "%s: file too large (%jd bytes, more than a quarter of this "
                            "machine's memory)", path, (intmax_t)st.st_size);
    }
    /* Start from the size fstat reports, but grow by doubling in case the file is a pipe or
     * is still growing: never trust st_size alone. */
    size_t cap = (st.st_size > 0 && (uintmax_t)st.st_size < SIZE_MAX - 1) ? (size_t)st.st_size + 1 : 4096;
    size_t n = 0;
    char *b = malloc(cap);
    if (!b) {
        close(fd);
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory (%zu bytes)", path, cap);
    }
    for (;;) {
        if (n + 1 >= cap) {
            if (cap > SIZE_MAX / 2 || cap > max_bytes / 2) {
                free(b);
                close(fd);
                return nn_error_set(err, NN_ENOMEM, "%s: file too large (more than %zu MB, a quarter of this "
                                    "machine's memory)", path, max_bytes >> 20);
            }
            char *nb = realloc(b, cap * 2);
            if (!nb) {
                free(b);
                close(fd);
                return nn_error_set(err, NN_ENOMEM, "%s: out of memory (%zu bytes)", path, cap * 2);
            }
            b = nb;
            cap *= 2;
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
/* A save through a symbolic link replaces the link's target, in the target's folder (the link stays
 * a link); a target that exists and is not a regular file (a FIFO, device, socket, folder) is
 * refused: a rename would put a regular file in its place (as root, even over /dev/null). */

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

/* Follows path while it names a symbolic link (at most 40, as the kernel does) into out (outlen
 * NN_PATH_MAX): the file a save replaces. A name that does not exist ends the walk, so the target
 * of a dangling link is created. Relative links are read against the link's own folder. */
static nn_status resolve_links(const char *path, char *out, size_t outlen, nn_error *err)
{
    if (snprintf(out, outlen, "%s", path) >= (int)outlen)
        return nn_error_set(err, NN_EINVAL, "%s: path too long", path);
    for (int hops = 0;; hops++) {
        struct stat st;
        if (lstat(out, &st) != 0 || !S_ISLNK(st.st_mode))
            return NN_OK;
        if (hops == 40)
            return nn_error_set(err, NN_EIO, "%s: %s", path, strerror(ELOOP));
        char link[NN_PATH_MAX], dir[NN_PATH_MAX];
        ssize_t n = readlink(out, link, sizeof link);
        if (n < 0)
            return nn_error_set(err, NN_EIO, "%s: %s", path, strerror(errno));
        if ((size_t)n >= sizeof link)
            return nn_error_set(err, NN_EINVAL, "%s: the link's target is too long", path);
        link[n] = '\0';
        nn_path_dir(dir, sizeof dir, out);
        if (nn_path_join(out, outlen, dir, link) != 0)
            return nn_error_set(err, NN_EINVAL, "%s: the link's target is too long", path);
    }
}

/* Checks the file a save of path would replace: fills target (NN_PATH_MAX) and *old (exists). */
static nn_status save_target(const char *path, char *target, struct stat *old, bool *exists, nn_error *err)
{
    if (!path || !*path)
        return nn_error_set(err, NN_EINVAL, "empty file name");
    if (strncmp(path, NN_BUILTIN_PREFIX, strlen(NN_BUILTIN_PREFIX)) == 0)
        return nn_error_set(err, NN_EINVAL, "%s: built-in files cannot be written", path);
    nn_status st = resolve_links(path, target, NN_PATH_MAX, err);
    if (st != NN_OK)
        return st;
    *exists = lstat(target, old) == 0;
    if (!*exists && errno != ENOENT)
        return nn_error_set(err, NN_EIO, "%s: %s", path, strerror(errno));
    if (*exists && S_ISDIR(old->st_mode))
        return nn_error_set(err, NN_EIO, "%s: %s", path, strerror(EISDIR));
    if (*exists && !S_ISREG(old->st_mode))
        return nn_error_set(err, NN_EIO, "%s: not saved: it is %s, not a regular file", path,
                            file_kind(old->st_mode));
    return NN_OK;
}

nn_status nn_file_check_save(const char *path, nn_error *err)
{
    char target[NN_PATH_MAX];
    struct stat old;
    bool exists;
    return save_target(path, target, &old, &exists, err);
}

nn_status nn_file_write_atomic(const char *path, const void *data, size_t len, nn_error *err)
{
    char target[NN_PATH_MAX];
    struct stat st;
    bool exists;
    nn_status s = save_target(path, target, &st, &exists, err);
    if (s != NN_OK)
        return s;

    char tmp[NN_PATH_MAX + 16];
    int k = snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", target);
    if (k < 0 || (size_t)k >= sizeof tmp)
        return nn_error_set(err, NN_EINVAL, "%s: path too long", path);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return nn_error_set(err, NN_EIO, "%s: cannot create a temporary file: %s", path, strerror(errno));
    /* mkstemp creates 0600: keep the old file's mode when replacing one, else 0644 (reading
     * the umask would mean changing it, which races with other threads). */
    mode_t mode = exists ? (st.st_mode & 07777) : 0644;
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
    if (rename(tmp, target) != 0)
        goto fail;
    /* Make the rename itself durable; a failure here cannot undo it, so it is not an error. */
    char dir[NN_PATH_MAX];
    nn_path_dir(dir, sizeof dir, target);
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

bool nn_file_same(const char *a, const char *b)
{
    struct stat sa, sb;
    if (!a || !b || !*a || !*b || strncmp(a, NN_BUILTIN_PREFIX, strlen(NN_BUILTIN_PREFIX)) == 0 ||
        strncmp(b, NN_BUILTIN_PREFIX, strlen(NN_BUILTIN_PREFIX)) == 0)
        return false;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
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
