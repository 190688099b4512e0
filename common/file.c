/* file.c - replacing a small file whole, durably.
 *
 * Each write has a temporary file of its own (".<name>.XXXXXX", made
 * exclusively), so two writers of one file never share one: the last rename
 * wins and the file is always one writer's whole text. Over dirops.h, so the
 * same on Windows (where mode is not used: the file takes the directory's
 * ACL). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dirops.h"
#include "file.h"
#include "util.h"

#define TMP_TRIES 100

/* ".<name>.XXXXXX" made exclusively in d, holding data, into tmp. */
static int create_tmp(struct dirops *d, const char *name, const void *data, size_t len, mode_t mode,
                      char *tmp, size_t size)
{
        static const char chars[] =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        unsigned char r[6];
        int rc = -EEXIST;

        for (int i = 0; i < TMP_TRIES && rc == -EEXIST; i++) {
                char suffix[sizeof(r) + 1];

                if ((rc = util_random(r, sizeof(r))) < 0)
                        return rc;
                for (size_t j = 0; j < sizeof(r); j++)
                        suffix[j] = chars[r[j] % (sizeof(chars) - 1)];
                suffix[sizeof(r)] = '\0';
                if ((size_t)snprintf(tmp, size, ".%s.%s", name, suffix) >= size)
                        return -ENAMETOOLONG;
                rc = dirops_create(d, tmp, (unsigned)mode, data, len);
        }
        return rc;
}

int file_replace(const char *dir, const char *name, const void *data, size_t len, mode_t mode,
                 struct error *e)
{
        char tmp[256], path[4096];
        struct dirops *d;
        int rc;

        if ((size_t)snprintf(path, sizeof(path), "%s" DIROPS_SEP "%s", dir, name) >= sizeof(path) ||
            strlen(name) + 9 > sizeof(tmp)) {
                error_set(e, dir, 0, "cannot write %s: path too long", name);
                return -ENAMETOOLONG;
        }
        if ((rc = dirops_open(dir, false, &d)) < 0) {
                error_set(e, path, 0, "cannot write: %s", strerror(-rc));
                return rc;
        }
        rc = create_tmp(d, name, data, len, mode, tmp, sizeof(tmp));
        if (rc == 0 && (rc = dirops_rename(d, tmp, d, name, true)) < 0)
                dirops_remove(d, tmp);
        if (rc == 0)
                dirops_sync(d);
        dirops_close(d);
        if (rc < 0)
                error_set(e, path, 0, "cannot write: %s", strerror(-rc));
        return rc;
}
