/* files.c — whole-file reads (plain or embedded "builtin:NAME"), atomic writes, path helpers.
 * Reads open with O_NONBLOCK and take regular files only, so a FIFO or a device named as a preset or
 * data file cannot block (the trainer's picker froze on a FIFO) or never end (/dev/zero).
 * Atomic writes: see "atomic writes" below. Any failure (including a file-size limit, where SIGXFSZ
 * is ignored and write returns EFBIG) leaves the old file untouched and no temporary behind. */
#define _GNU_SOURCE   /* O_TMPFILE, AT_EMPTY_PATH (Linux); the rest is POSIX */
#include "files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

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

/* Opens path for reading if it is a regular file (*fd blocking, *st its stat); else an error naming it. */
static nn_status open_regular(const char *path, int *fd_out, struct stat *st, nn_error *err)
{
    /* O_NONBLOCK: opening a FIFO with no writer, or some devices, would wait; O_NOCTTY: a terminal
     * named as a file must not become ours. Only regular files are read (below), then blocking. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return nn_error_set(err, NN_EIO, "%s: %s", path, strerror(errno));
    if (fstat(fd, st) != 0) {
        int e = errno;
        close(fd);
        return nn_error_set(err, NN_EIO, "%s: %s", path, strerror(e));
    }
    if (S_ISDIR(st->st_mode)) {
        close(fd);
        return nn_error_set(err, NN_EIO, "%s: %s", path, strerror(EISDIR));
    }
    /* A device never ends (/dev/zero, a terminal) and a FIFO may never be written to: only regular
     * files are read. */
    if (!S_ISREG(st->st_mode)) {
        close(fd);
        return nn_error_set(err, NN_EIO, "%s: %s, not a regular file", path, file_kind(st->st_mode));
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    *fd_out = fd;
    return NN_OK;
}

nn_status nn_file_read_head(const char *path, char *out, size_t cap, size_t *len, nn_error *err)
{
    *len = 0;
    if (cap == 0)
        return NN_OK;
    out[0] = '\0';
    if (!path || !*path)
        return nn_error_set(err, NN_EINVAL, "empty file name");
    if (strncmp(path, NN_BUILTIN_PREFIX, strlen(NN_BUILTIN_PREFIX)) == 0) {
        char *b = NULL;
        size_t n = 0;
        nn_status st = read_builtin(path, &b, &n, err);
        if (st != NN_OK)
            return st;
        *len = n < cap - 1 ? n : cap - 1;
        memcpy(out, b, *len);
        out[*len] = '\0';
        free(b);
        return NN_OK;
    }
    int fd;
    struct stat st;
    nn_status s = open_regular(path, &fd, &st, err);
    if (s != NN_OK)
        return s;
    size_t n = 0;
    while (n < cap - 1) {
        ssize_t r = read(fd, out + n, cap - 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            close(fd);
            out[0] = '\0';
            return nn_error_set(err, NN_EIO, "%s: %s", path, strerror(e));
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    out[n] = '\0';
    *len = n;
    return NN_OK;
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

    int fd;
    struct stat st;
    nn_status os = open_regular(path, &fd, &st, err);
    if (os != NN_OK)
        return os;
    /* A file may still grow while it is read: nothing longer than max_bytes is read (by default a
     * quarter of the machine's memory), rather than meet the OOM killer (or an ASan abort) on the way. */
    if (st.st_size > 0 && (uintmax_t)st.st_size > (uintmax_t)max_bytes) {
        close(fd);
        return nn_error_set(err, NN_ENOMEM, "%s: file too large (%jd bytes, more than %s, %s)", path,
                            (intmax_t)st.st_size, lim, why);
    }
    /* Start from the size fstat reports, but grow (by doubling, up to max_bytes) in case the file is
     * still growing (or /proc-like, with st_size 0): never trust st_size alone. */
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
/* nn_file_write_atomic, step by step:
 *  1. Follow the path while it is a symbolic link: a save through a link replaces the link's target,
 *     in the target's folder, and the link stays a link.
 *  2. Refuse a target that exists and is not a regular file (a FIFO, device, socket, folder): a
 *     rename would put a regular file in its place (as root, even over /dev/null).
 *  3. Remove stale temporaries of this target left by an nnterm that was killed (below).
 *  4. Write everything into a file with no name (Linux: open(dir, O_TMPFILE)), fsync it, then give
 *     it a name: straight as the target when there is none yet (linkat fails rather than replace
 *     a file), else as "TARGET.tmp.PID.XXXXXX", renamed over the target. A kill -9 while the data is
 *     written leaves nothing: the kernel frees a file without a name. Only the two system calls
 *     linkat and rename, with no data written between them, run with a name on disk; this thread
 *     blocks signals over them, and the name is in the list a handler removes.
 *  5. Without O_TMPFILE (another kernel, a filesystem that lacks it, no /proc to link through):
 *     mkstemp "TARGET.tmp.PID.XXXXXX" and rename, with that name in the same list for the whole write.
 * What can still leave a name: SIGKILL (or a power cut) between linkat and rename, or at any time
 * during a fallback write. Step 3 of the next save of the same file removes it: the PID in the name
 * is that of a process that no longer exists, and the file is ours. */

/* The temporaries that have a name on disk while a save runs, for nn_file_remove_temporaries: the
 * one piece of process-wide state in core, because a signal handler has no other way to find them.
 * A slot goes FREE -> FILLING (one saving thread writes the name) -> LIVE, and back to FREE when the
 * name is gone; a handler takes a LIVE slot to REMOVING, which no saver reuses (the process is
 * ending). Lock-free atomics only, so the handler side is async-signal-safe. */
enum { SLOT_FREE, SLOT_FILLING, SLOT_LIVE, SLOT_REMOVING };
#define TMP_SLOTS 8
static struct {
    atomic_int state;
    char name[NN_PATH_MAX + 64];
} tmp_slots[TMP_SLOTS];

/* Records name; returns the slot, or -1 when all are taken (then a signal cannot remove it). */
static int tmp_claim(const char *name)
{
    for (int i = 0; i < TMP_SLOTS; i++) {
        int expect = SLOT_FREE;
        if (atomic_compare_exchange_strong(&tmp_slots[i].state, &expect, SLOT_FILLING)) {
            snprintf(tmp_slots[i].name, sizeof tmp_slots[i].name, "%s", name);
            atomic_store(&tmp_slots[i].state, SLOT_LIVE);
            return i;
        }
    }
    return -1;
}

static void tmp_release(int slot)
{
    int expect = SLOT_LIVE;
    if (slot >= 0)
        atomic_compare_exchange_strong(&tmp_slots[slot].state, &expect, SLOT_FREE);
}

void nn_file_remove_temporaries(void)
{
    for (int i = 0; i < TMP_SLOTS; i++) {
        int expect = SLOT_LIVE;
        if (atomic_compare_exchange_strong(&tmp_slots[i].state, &expect, SLOT_REMOVING))
            (void)unlink(tmp_slots[i].name);
    }
}

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
    char target[NN_PATH_MAX], dir[NN_PATH_MAX];
    struct stat old, ds;
    bool exists;
    nn_status st = save_target(path, target, &old, &exists, err);
    if (st != NN_OK)
        return st;
    nn_path_dir(dir, sizeof dir, target);
    if (stat(dir, &ds) != 0)
        return nn_error_set(err, NN_EIO, "%s: cannot save into %s: %s", path, dir, strerror(errno));
    if (!S_ISDIR(ds.st_mode))
        return nn_error_set(err, NN_EIO, "%s: cannot save into %s: %s", path, dir, strerror(ENOTDIR));
    return NN_OK;
}

/* Step 3: removes "BASE.tmp.PID.XXXXXX" in dir when process PID no longer exists (ESRCH: EPERM
 * means it lives under another user) and the file is a regular file of this user. */
static void remove_stale(const char *dir, const char *base)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    size_t bl = strlen(base);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *n = e->d_name;
        if (strncmp(n, base, bl) != 0 || strncmp(n + bl, ".tmp.", 5) != 0)
            continue;
        const char *q = n + bl + 5;
        char *end;
        errno = 0;
        long pid = (*q >= '0' && *q <= '9') ? strtol(q, &end, 10) : 0;
        if (pid <= 0 || errno || *end != '.' || strlen(end + 1) != 6 || pid == (long)getpid())
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        char p[NN_PATH_MAX + 300];
        struct stat st;
        if (snprintf(p, sizeof p, "%s/%s", dir, n) < (int)sizeof p && lstat(p, &st) == 0 &&
            S_ISREG(st.st_mode) && st.st_uid == geteuid())
            (void)unlink(p);
    }
    closedir(d);
}

/* A fresh "TARGET.tmp.PID.XXXXXX" in out; attempt makes retries differ. */
static void temp_name(char *out, size_t n, const char *target, unsigned attempt)
{
    static const char abc[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^ ((uint64_t)getpid() << 20) ^
                 (uint64_t)(uintptr_t)out ^ ((uint64_t)attempt * 0x9E3779B97F4A7C15u);
    x ^= x >> 31;
    x *= 0xBF58476D1CE4E5B9u;
    x ^= x >> 27;
    char suf[7];
    for (int i = 0; i < 6; i++) {
        suf[i] = abc[x % 62];
        x /= 62;
    }
    suf[6] = '\0';
    snprintf(out, n, "%s.tmp.%ld.%s", target, (long)getpid(), suf);
}

#ifdef O_TMPFILE
/* Gives the unnamed file fd the name name: through /proc (any user), else AT_EMPTY_PATH (needs
 * CAP_DAC_READ_SEARCH). -1 with errno on failure (EEXIST: the name is taken). */
static int link_unnamed(int fd, const char *name)
{
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    if (linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0)
        return 0;
    if (errno != ENOENT)
        return -1;
    return linkat(fd, "", AT_FDCWD, name, AT_EMPTY_PATH);
}
#endif

/* One attempt at steps 4 or 5. *retry: O_TMPFILE worked but its file could not be named (no /proc):
 * try again the named way. */
static nn_status save_once(const char *path, const char *target, const struct stat *old, const void *data,
                           size_t len, bool unnamed, bool *retry, nn_error *err)
{
    char dir[NN_PATH_MAX], tmp[NN_PATH_MAX + 64] = "";
    nn_path_dir(dir, sizeof dir, target);
    int fd = -1, slot = -1;
    bool anon = false, blocked = false;
    sigset_t all, saved;
    const char *what = "cannot create a temporary file";
    *retry = false;
#ifdef O_TMPFILE
    if (unnamed) {
        fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
        if (fd >= 0)
            anon = true;
        else if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
            goto fail;   /* no such folder, no permission, no space: the named way would fail too */
    }
#else
    (void)unnamed;
#endif
    if (!anon) {
        int k = snprintf(tmp, sizeof tmp, "%s.tmp.%ld.XXXXXX", target, (long)getpid());
        if (k < 0 || (size_t)k >= sizeof tmp)
            return nn_error_set(err, NN_EINVAL, "%s: path too long", path);
        fd = mkstemp(tmp);
        if (fd < 0) {
            tmp[0] = '\0';
            goto fail;
        }
        slot = tmp_claim(tmp);
        (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
    /* A new file gets 0644 (reading the umask would mean changing it, which races with other
     * threads); a replaced one keeps its mode and, where allowed, its owner. */
    (void)fchmod(fd, old ? (old->st_mode & 07777) : 0644);
    if (old && (old->st_uid != geteuid() || old->st_gid != getegid())) {
        if (fchown(fd, old->st_uid, old->st_gid) != 0) {
            /* not ours to give away: the new file stays ours, as a rename would leave it */
        }
    }
    what = "write failed";
    if (write_all(fd, data, len) != 0)
        goto fail;
    what = "fsync failed";
    if (fsync(fd) != 0)
        goto fail;
#ifdef O_TMPFILE
    if (anon) {
        sigfillset(&all);
        pthread_sigmask(SIG_BLOCK, &all, &saved);
        blocked = true;
        what = "link failed";
        bool linked = false;
        if (!old) {   /* nothing to replace: the name appears with all the data, or not at all */
            if (link_unnamed(fd, target) == 0)
                linked = true;
            else if (errno != EEXIST)
                goto unlinkable;
        }
        for (unsigned attempt = 0; !linked; attempt++) {
            temp_name(tmp, sizeof tmp, target, attempt);
            slot = tmp_claim(tmp);
            if (link_unnamed(fd, tmp) == 0)
                break;
            int e = errno;
            tmp_release(slot);
            slot = -1;
            tmp[0] = '\0';
            errno = e;
            if (e != EEXIST || attempt == 100)
                goto unlinkable;
        }
        /* the data is written and synced: close cannot lose it */
        close(fd);
        fd = -1;
    }
#endif
    if (fd >= 0) {
        what = "close failed";
        int c = close(fd);
        fd = -1;
        if (c != 0)
            goto fail;
    }
    if (tmp[0]) {
        what = "rename failed";
        if (rename(tmp, target) != 0)
            goto fail;
        tmp[0] = '\0';
        tmp_release(slot);
    }
    if (blocked)
        pthread_sigmask(SIG_SETMASK, &saved, NULL);
    /* Make the new name durable; a failure here cannot undo it, so it is not an error. */
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
    return NN_OK;

#ifdef O_TMPFILE
unlinkable:
    if (errno == ENOENT || errno == EPERM || errno == EXDEV || errno == EOPNOTSUPP) {
        close(fd);
        pthread_sigmask(SIG_SETMASK, &saved, NULL);
        *retry = true;
        return NN_OK;
    }
#endif
fail:;
    int e = errno;
    if (fd >= 0)
        close(fd);
    if (tmp[0])
        unlink(tmp);
    tmp_release(slot);
    if (blocked)
        pthread_sigmask(SIG_SETMASK, &saved, NULL);
    return nn_error_set(err, NN_EIO, "%s: %s: %s (%s)", path, what, strerror(e),
                        old ? "the old file is unchanged" : "nothing was written");
}

nn_status nn_file_write_atomic_opt(const char *path, const void *data, size_t len, unsigned flags, nn_error *err)
{
    char target[NN_PATH_MAX];
    struct stat old;
    bool exists;
    nn_status st = save_target(path, target, &old, &exists, err);
    if (st != NN_OK)
        return st;
    const char *slash = strrchr(target, '/');
    char dir[NN_PATH_MAX];
    nn_path_dir(dir, sizeof dir, target);
    remove_stale(dir, slash ? slash + 1 : target);
    bool retry;
    st = save_once(path, target, exists ? &old : NULL, data, len, !(flags & NN_WRITE_NAMED_TEMP), &retry, err);
    if (st == NN_OK && retry)
        st = save_once(path, target, exists ? &old : NULL, data, len, false, &retry, err);
    return st;
}

nn_status nn_file_write_atomic(const char *path, const void *data, size_t len, nn_error *err)
{
    return nn_file_write_atomic_opt(path, data, len, 0, err);
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

/* The canonical absolute form of a path whose folder exists (its name need not): realpath of the
 * folder, then the name. -1 when the folder cannot be resolved or the result is too long. */
static int canonical(char *out, size_t outlen, const char *path)
{
    char dir[NN_PATH_MAX], real[PATH_MAX];
    nn_path_dir(dir, sizeof dir, path);
    if (!realpath(dir, real))
        return -1;
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    int k;
    if (!*name || strcmp(name, ".") == 0)
        k = snprintf(out, outlen, "%s", real);
    else
        k = snprintf(out, outlen, "%s%s%s", real, strcmp(real, "/") == 0 ? "" : "/", name);
    return k < 0 || (size_t)k >= outlen ? -1 : 0;
}

int nn_path_relative(char *out, size_t outlen, const char *from_dir, const char *to)
{
    if (strncmp(to, NN_BUILTIN_PREFIX, strlen(NN_BUILTIN_PREFIX)) == 0) {
        int k = snprintf(out, outlen, "%s", to);
        return k < 0 || (size_t)k >= outlen ? -1 : 0;
    }
    char from[PATH_MAX + 8], dest[NN_PATH_MAX];
    if (!realpath(from_dir, from) || canonical(dest, sizeof dest, to) != 0)
        return -1;
    /* the longest common run of whole components */
    size_t common = 0;
    for (size_t i = 0;; i++) {
        bool fe = from[i] == '\0' || from[i] == '/', te = dest[i] == '\0' || dest[i] == '/';
        if (fe && te)
            common = i;
        if (from[i] != dest[i] || from[i] == '\0')
            break;
    }
    if (strcmp(from, "/") == 0)
        common = 0;
    size_t len = 0;
    out[0] = '\0';
    /* one ".." for every component of from after the common part */
    for (const char *q = from + common; *q; q++) {
        if (*q != '/' || q[1] == '\0')
            continue;
        int k = snprintf(out + len, outlen - len, "../");
        if (k < 0 || (size_t)k >= outlen - len)
            return -1;
        len += (size_t)k;
    }
    const char *rest = dest + common;
    while (*rest == '/')
        rest++;
    int k = snprintf(out + len, outlen - len, "%s", rest);
    return k < 0 || (size_t)k >= outlen - len ? -1 : 0;
}

// --- gzip

/* Inflates a gzip buffer (one or more members) into a buffer that doubles as it fills. */
nn_status nn_gunzip(const uint8_t *in, size_t inlen, const char *path, uint8_t **out, size_t *outlen,
                        nn_error *err)
{
    /* ISIZE (the last 4 bytes, little-endian) is the size mod 2^32 of the last member: a good
     * first guess, never trusted beyond that. Deflate expands at most ~1032:1, which bounds what
     * a lying trailer can make us allocate. */
    size_t cap = inlen * 4 + 1024;
    if (inlen >= 18) {
        const uint8_t *t = in + inlen - 4;
        size_t isize = (size_t)t[0] | (size_t)t[1] << 8 | (size_t)t[2] << 16 | (size_t)t[3] << 24;
        if (isize > 0 && isize / 1032 <= inlen)
            cap = isize + 1;
    }
    /* A gzip bomb must end in a message, not the OOM killer: at most 16 GiB, and at most a quarter
     * of the machine's memory. */
    size_t max_out = (size_t)1 << 34;
    if (nn_file_read_limit() < max_out)
        max_out = nn_file_read_limit();
    if (cap > max_out)
        cap = max_out;
    uint8_t *o = malloc(cap);
    if (!o)
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory", path);
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
        free(o);
        return nn_error_set(err, NN_ENOMEM, "%s: cannot start zlib", path);
    }
    size_t pos = 0, used = 0;
    nn_status st = NN_OK;
    for (;;) {
        if (used == cap) {
            /* grow by doubling, the last step only up to the limit itself (a refusal at half the
             * limit made it 1/8 of memory where the docs say 1/4) */
            if (cap >= max_out) {
                st = nn_error_set(err, NN_ENOMEM, "%s: decompressed data larger than %zu MB (16 GiB or a quarter "
                                  "of this machine's memory)", path, max_out >> 20);
                break;
            }
            size_t nc = cap <= max_out / 2 ? cap * 2 : max_out;
            uint8_t *no = realloc(o, nc);
            if (!no) {
                st = nn_error_set(err, NN_ENOMEM, "%s: out of memory while decompressing (%zu MB)", path, nc >> 20);
                break;
            }
            o = no;
            cap = nc;
        }
        /* zlib counts in uInt: feed and drain at most 1 GiB per call. */
        size_t in_avail = inlen - pos, out_avail = cap - used;
        z.next_in = (Bytef *)(uintptr_t)(in + pos);
        z.avail_in = (uInt)(in_avail < (1u << 30) ? in_avail : (1u << 30));
        z.next_out = o + used;
        z.avail_out = (uInt)(out_avail < (1u << 30) ? out_avail : (1u << 30));
        uInt ai = z.avail_in, ao = z.avail_out;
        int rc = inflate(&z, Z_NO_FLUSH);
        pos += ai - z.avail_in;
        used += ao - z.avail_out;
        if (rc == Z_STREAM_END) {
            /* Another member may follow (concatenated .gz); anything else after it is an error. */
            if (pos < inlen && in[pos] == 0x1f && pos + 1 < inlen && in[pos + 1] == 0x8b) {
                inflateReset(&z);
                continue;
            }
            if (pos < inlen)
                st = nn_error_set(err, NN_EFORMAT, "%s: broken gzip data: %zu bytes of garbage after the end", path,
                                  inlen - pos);
            break;
        }
        if (rc == Z_OK)
            continue;
        if (rc == Z_BUF_ERROR && used == cap)
            continue;   /* output full: grow and go on */
        if (rc == Z_BUF_ERROR) {
            st = nn_error_set(err, NN_EFORMAT, "%s: broken gzip data: the compressed stream ends early (truncated "
                              "file?)", path);
            break;
        }
        st = nn_error_set(err, rc == Z_MEM_ERROR ? NN_ENOMEM : NN_EFORMAT, "%s: broken gzip data (zlib: %s)", path,
                          z.msg ? z.msg : zError(rc));
        break;
    }
    inflateEnd(&z);
    if (st) {
        free(o);
        return st;
    }
    *out = o;
    *outlen = used;
    return NN_OK;
}
