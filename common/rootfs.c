/* rootfs.c - confined file access under a root directory.
 *
 * openat2(2) with RESOLVE_IN_ROOT makes "/" and ".." stop at the root, so
 * absolute links in a debootstrapped tree resolve inside it. */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "rootfs.h"

int rootfs_init(struct rootfs *r, const char *path)
{
        struct stat st, host;

        r->fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (r->fd < 0)
                return -errno;
        snprintf(r->path, sizeof(r->path), "%s", path);
        r->host = fstat(r->fd, &st) == 0 && stat("/", &host) == 0 && st.st_dev == host.st_dev &&
                  st.st_ino == host.st_ino;
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

int rootfs_read(const struct rootfs *r, const char *rel, size_t max, char **out, size_t *len)
{
        /* O_NONBLOCK: opening a FIFO planted in the root must not wait for a
         * writer; only regular files are read (procfs and sysfs files are). */
        int fd = rootfs_open(r, rel, O_RDONLY | O_NONBLOCK);
        struct stat st;
        int ret;

        if (fd < 0)
                return fd;
        if (fstat(fd, &st) < 0)
                ret = -errno;
        else if (S_ISDIR(st.st_mode))
                ret = -EISDIR;
        else if (!S_ISREG(st.st_mode))
                ret = -EINVAL;
        else
                ret = rootfs_read_fd(fd, max, out, len);
        close(fd);
        return ret;
}
