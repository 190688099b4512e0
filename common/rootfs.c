/* rootfs.c - confined file access under a root directory.
 *
 * openat2(2) with RESOLVE_IN_ROOT makes "/" and ".." stop at the root, so
 * absolute links in a debootstrapped tree resolve inside it. Where a sandbox
 * refuses openat2, this machine's own "/" is still read with openat(2). */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "rootfs.h"

/* Files that hold password hashes. */
static const char *const secrets[ROOTFS_SECRETS] = { "etc/shadow",  "etc/gshadow",  "etc/passwd",
                                                     "etc/shadow-", "etc/gshadow-", "etc/passwd-" };

int rootfs_init(struct rootfs *r, const char *path)
{
        struct stat st, host;

        r->nsecret = 0;
        r->fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (r->fd < 0)
                return -errno;
        snprintf(r->path, sizeof(r->path), "%s", path);
        r->host = fstat(r->fd, &st) == 0 && stat("/", &host) == 0 && st.st_dev == host.st_dev &&
                  st.st_ino == host.st_ino;
        for (size_t i = 0; i < ROOTFS_SECRETS; i++)
                if (rootfs_stat(r, secrets[i], &st) == 0 && S_ISREG(st.st_mode)) {
                        r->secret[r->nsecret].dev = st.st_dev;
                        r->secret[r->nsecret].ino = st.st_ino;
                        r->nsecret++;
                }
        return 0;
}

void rootfs_close(struct rootfs *r)
{
        if (r->fd >= 0)
                close(r->fd);
        r->fd = -1;
}

static const char *rootfs_rel(const char *rel)
{
        while (*rel == '/')
                rel++;
        return *rel ? rel : ".";
}

int rootfs_open(const struct rootfs *r, const char *rel, int flags)
{
        struct open_how how = {
                .flags = (unsigned long long)(flags | O_CLOEXEC),
                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };
        long fd = syscall(SYS_openat2, r->fd, rootfs_rel(rel), &how, sizeof(how));

        if (fd < 0 && errno == EAGAIN) /* a rename raced the lookup */
                fd = syscall(SYS_openat2, r->fd, rootfs_rel(rel), &how, sizeof(how));
        /* A seccomp filter may refuse openat2, whose flags it cannot see
         * (systemd's RestrictSUIDSGID= does). Under this machine's own "/",
         * plain resolution stays inside the root; under any other root,
         * nothing is opened unconfined. */
        if (fd < 0 && errno == ENOSYS && r->host)
                fd = openat(r->fd, rootfs_rel(rel), flags | O_CLOEXEC);
        return fd < 0 ? -errno : (int)fd;
}

int rootfs_stat(const struct rootfs *r, const char *rel, struct stat *st)
{
        int fd = rootfs_open(r, rel, O_PATH);
        int ret;

        if (fd < 0)
                return fd;
        ret = fstat(fd, st) < 0 ? -errno : 0;
        close(fd);
        return ret;
}

int rootfs_lstat(const struct rootfs *r, const char *rel, struct stat *st)
{
        int fd = rootfs_open(r, rel, O_PATH | O_NOFOLLOW);
        int ret;

        if (fd < 0)
                return fd;
        ret = fstat(fd, st) < 0 ? -errno : 0;
        close(fd);
        return ret;
}

bool rootfs_exists(const struct rootfs *r, const char *rel)
{
        struct stat st;

        return rootfs_stat(r, rel, &st) == 0;
}

DIR *rootfs_opendir(const struct rootfs *r, const char *rel)
{
        int fd = rootfs_open(r, rel, O_RDONLY | O_DIRECTORY);
        DIR *d;

        if (fd < 0) {
                errno = -fd;
                return NULL;
        }
        d = fdopendir(fd);
        if (!d)
                close(fd);
        return d;
}

int rootfs_read_fd(int fd, size_t max, char **out, size_t *len)
{
        size_t cap = 4096, n = 0;
        char *buf = malloc(cap + 1), *nb;
        ssize_t got;

        if (!buf)
                return -ENOMEM;
        for (;;) {
                if (n == cap) {
                        if (cap > max) {
                                free(buf);
                                return -EFBIG;
                        }
                        cap *= 2;
                        nb = realloc(buf, cap + 1);
                        if (!nb) {
                                free(buf);
                                return -ENOMEM;
                        }
                        buf = nb;
                }
                got = read(fd, buf + n, cap - n);
                if (got < 0 && errno == EINTR)
                        continue;
                if (got < 0) {
                        int err = -errno;
                        free(buf);
                        return err;
                }
                if (got == 0)
                        break;
                n += (size_t)got;
        }
        if (n > max) {
                free(buf);
                return -EFBIG;
        }
        buf[n] = '\0';
        *out = buf;
        if (len)
                *len = n;
        return 0;
}

static bool is_secret(const struct rootfs *r, const struct stat *st)
{
        for (size_t i = 0; i < r->nsecret; i++)
                if (r->secret[i].dev == st->st_dev && r->secret[i].ino == st->st_ino)
                        return true;
        return false;
}

static int open_file(const struct rootfs *r, const char *rel, struct stat *st, bool secret_ok)
{
        struct stat seen;
        int fd = rootfs_open(r, rel, O_PATH);

        /* Opening a FIFO waits for a writer, opening a device may act on it
         * (a tape rewinds, a watchdog arms): look at the inode first. */
        if (fd < 0)
                return fd;
        if (fstat(fd, &seen) < 0) {
                int err = -errno;
                close(fd);
                return err;
        }
        close(fd);
        if (!S_ISREG(seen.st_mode))
                return S_ISDIR(seen.st_mode) ? -EISDIR : -EINVAL;
        if (!secret_ok && is_secret(r, &seen))
                return -EACCES;
        /* O_NONBLOCK in case another inode took its place since. */
        fd = rootfs_open(r, rel, O_RDONLY | O_NONBLOCK);
        if (fd < 0)
                return fd;
        if (fstat(fd, st) < 0 || st->st_dev != seen.st_dev || st->st_ino != seen.st_ino) {
                close(fd);
                return -EAGAIN;
        }
        return fd;
}

int rootfs_open_file(const struct rootfs *r, const char *rel, struct stat *st)
{
        return open_file(r, rel, st, false);
}

int rootfs_open_secret(const struct rootfs *r, const char *rel, struct stat *st)
{
        return open_file(r, rel, st, true);
}

int rootfs_read(const struct rootfs *r, const char *rel, size_t max, char **out, size_t *len)
{
        struct stat st;
        int fd = rootfs_open_file(r, rel, &st);
        int ret;

        if (fd < 0)
                return fd;
        ret = rootfs_read_fd(fd, max, out, len);
        close(fd);
        return ret;
}

int rootfs_read_small(const struct rootfs *r, const char *rel, char *buf, size_t size, size_t *len)
{
        struct stat st;
        int fd = rootfs_open_file(r, rel, &st);
        ssize_t n;

        if (fd < 0)
                return fd;
        do
                n = read(fd, buf, size - 1);
        while (n < 0 && errno == EINTR);
        close(fd);
        if (n < 0)
                return -errno;
        buf[n] = '\0';
        if (len)
                *len = (size_t)n;
        return 0;
}
