/* dirops.c - a directory held open, on Linux: every access relative to its
 * fd, O_NOFOLLOW on each name. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dirops.h"

struct dirops {
        int fd;
};

static int wrap(int fd, struct dirops **out)
{
        struct dirops *d = malloc(sizeof(*d));

        if (!d) {
                close(fd);
                return -ENOMEM;
        }
        d->fd = fd;
        *out = d;
        return 0;
}

int dirops_open(const char *path, bool create, struct dirops **out)
{
        int fd;

        *out = NULL;
        if (create && mkdir(path, 0700) < 0 && errno != EEXIST)
                return -errno;
        fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        return wrap(fd, out);
}

int dirops_open_sub(struct dirops *d, const char *name, bool create, struct dirops **out)
{
        int fd;

        *out = NULL;
        if (create && mkdirat(d->fd, name, 0700) < 0 && errno != EEXIST)
                return -errno;
        fd = openat(d->fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return errno == ELOOP ? -ENOTDIR : -errno;
        return wrap(fd, out);
}

void dirops_close(struct dirops *d)
{
        if (!d)
                return;
        close(d->fd);
        free(d);
}

int dirops_private(struct dirops *d, const char **why)
{
        struct stat st;

        if (fstat(d->fd, &st) < 0)
                return -errno;
        if (st.st_uid != geteuid()) {
                *why = "belongs to another user";
                return -EPERM;
        }
        if (st.st_mode & (S_IWGRP | S_IWOTH)) {
                *why = "is writable by other users";
                return -EPERM;
        }
        return 0;
}

int dirops_lock(struct dirops *d)
{
        if (flock(d->fd, LOCK_EX | LOCK_NB) < 0)
                return errno == EWOULDBLOCK ? -EBUSY : -errno;
        return 0;
}

int dirops_sync(struct dirops *d)
{
        return fsync(d->fd) < 0 ? -errno : 0;
}

static int write_all(int fd, const unsigned char *p, size_t len)
{
        while (len > 0) {
                ssize_t w = write(fd, p, len);

                if (w < 0 && errno == EINTR)
                        continue;
                if (w < 0)
                        return -errno;
                if (w == 0)
                        return -EIO;
                p += w;
                len -= (size_t)w;
        }
        return 0;
}

int dirops_create(struct dirops *d, const char *name, unsigned mode, const void *data, size_t len)
{
        int fd, rc;

        fd = openat(d->fd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
                return -errno;
        rc = write_all(fd, data, len);
        if (!rc && fchmod(fd, (mode_t)mode) < 0)
                rc = -errno;
        if (!rc && fsync(fd) < 0)
                rc = -errno;
        if (close(fd) < 0 && !rc)
                rc = -errno;
        if (rc)
                unlinkat(d->fd, name, 0);
        return rc;
}

int dirops_rename(struct dirops *from, const char *name, struct dirops *to, const char *newname,
                  bool replace)
{
        /* RENAME_NOREPLACE: ext4, xfs, btrfs and tmpfs have it. */
        if (renameat2(from->fd, name, to->fd, newname, replace ? 0 : RENAME_NOREPLACE) < 0)
                return -errno;
        return 0;
}

int dirops_remove(struct dirops *d, const char *name)
{
        return unlinkat(d->fd, name, 0) < 0 ? -errno : 0;
}

static enum dirops_type type_of(mode_t mode)
{
        return S_ISREG(mode) ? DIROPS_FILE : S_ISDIR(mode) ? DIROPS_DIR : DIROPS_OTHER;
}

int dirops_stat(struct dirops *d, const char *name, struct dirops_stat *st)
{
        struct stat sb;

        if (fstatat(d->fd, name, &sb, AT_SYMLINK_NOFOLLOW) < 0)
                return -errno;
        st->type = type_of(sb.st_mode);
        st->size = (uint64_t)sb.st_size;
        return 0;
}

static int read_all(int fd, unsigned char *buf, size_t size, size_t *got)
{
        *got = 0;
        while (*got < size) {
                ssize_t r = read(fd, buf + *got, size - *got);

                if (r < 0 && errno == EINTR)
                        continue;
                if (r < 0)
                        return -errno;
                if (r == 0)
                        break;
                *got += (size_t)r;
        }
        return 0;
}

int dirops_read(struct dirops *d, const char *name, size_t max, void **data, size_t *len)
{
        unsigned char *buf = NULL;
        struct stat st;
        int fd, rc;

        *data = NULL;
        *len = 0;
        fd = openat(d->fd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
        if (fd < 0)
                return errno == ELOOP ? -EINVAL : -errno;
        if (fstat(fd, &st) < 0)
                rc = -errno;
        else if (!S_ISREG(st.st_mode))
                rc = -EINVAL;
        else if ((uint64_t)st.st_size > max)
                rc = -EFBIG;
        else if (!(buf = malloc((size_t)st.st_size + 1)))
                rc = -ENOMEM;
        else
                rc = read_all(fd, buf, (size_t)st.st_size, len);
        close(fd);
        if (rc < 0) {
                free(buf);
                *len = 0;
                return rc;
        }
        buf[*len] = '\0';
        *data = buf;
        return 0;
}

int dirops_list(struct dirops *d, int (*fn)(const char *name, void *arg), void *arg)
{
        int fd = openat(d->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = 0;
        DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
        struct dirent *de;

        if (!dir) {
                rc = -errno;
                if (fd >= 0)
                        close(fd);
                return rc;
        }
        while ((errno = 0, de = readdir(dir))) {
                if (de->d_name[0] == '.' &&
                    (!de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2])))
                        continue;
                if ((rc = fn(de->d_name, arg)) != 0)
                        break;
        }
        if (!rc && errno)
                rc = -errno;
        closedir(dir);
        return rc;
}
