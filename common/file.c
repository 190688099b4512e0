/* file.c - replacing a small file whole, durably.
 *
 * Each write has a temporary file of its own (".<name>.XXXXXX", made with
 * O_EXCL), so two writers of one file never share one: the last rename wins
 * and the file is always one writer's whole text. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"

static int write_all(int fd, const char *p, size_t len)
{
        while (len > 0) {
                ssize_t n = write(fd, p, len);

                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                p += n;
                len -= (size_t)n;
        }
        return 0;
}

int file_replace(const char *dir, const char *name, const void *data, size_t len, mode_t mode,
                 struct error *e)
{
        char tmp[PATH_MAX], path[PATH_MAX];
        int fd, dfd, rc;

        if ((size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dir, name) >= sizeof(tmp) ||
            (size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path)) {
                error_set(e, dir, 0, "cannot write %s: path too long", name);
                return -ENAMETOOLONG;
        }
        fd = mkostemp(tmp, O_CLOEXEC);
        if (fd < 0) {
                rc = -errno;
                error_set(e, path, 0, "cannot write: %s", strerror(-rc));
                return rc;
        }
        rc = write_all(fd, data, len);
        if (rc == 0 && fchmod(fd, mode) < 0)
                rc = -errno;
        if (rc == 0 && fsync(fd) < 0)
                rc = -errno;
        if (close(fd) < 0 && rc == 0)
                rc = -errno;
        if (rc == 0 && rename(tmp, path) < 0)
                rc = -errno;
        if (rc < 0) {
                unlink(tmp);
                error_set(e, path, 0, "cannot write: %s", strerror(-rc));
                return rc;
        }
        dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
                fsync(dfd);
                close(dfd);
        }
        return 0;
}
