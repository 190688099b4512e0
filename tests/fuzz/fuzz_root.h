/* fuzz_root.h - a scratch root for fuzz targets that run the patch
 * collector: files are written into it, then patch_collect reads them. */
#ifndef HYGIE_FUZZ_ROOT_H
#define HYGIE_FUZZ_ROOT_H

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collector.h"

static char fuzz_root_path[64];

static int fuzz_root_rm(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
        (void)st;
        (void)type;
        (void)ftw;
        return remove(path);
}

static void fuzz_root_cleanup(void)
{
        nftw(fuzz_root_path, fuzz_root_rm, 16, FTW_DEPTH | FTW_PHYS);
}

static const char *fuzz_root_dir(void)
{
        char *dir = fuzz_root_path;

        if (!dir[0]) {
                snprintf(dir, sizeof(fuzz_root_path), "/tmp/hygie-fuzz-XXXXXX");
                if (!mkdtemp(dir))
                        abort();
                atexit(fuzz_root_cleanup);
                char p[256];
                static const char *const sub[] = { "/var",
                                                   "/var/lib",
                                                   "/var/lib/dpkg",
                                                   "/var/lib/apt",
                                                   "/var/lib/apt/lists",
                                                   "/etc",
                                                   "/etc/apt",
                                                   "/etc/apt/preferences.d",
                                                   "/etc/apt/apt.conf.d" };
                for (size_t i = 0; i < sizeof(sub) / sizeof(sub[0]); i++) {
                        snprintf(p, sizeof(p), "%s%s", dir, sub[i]);
                        mkdir(p, 0755);
                }
        }
        return dir;
}

static void fuzz_root_write(const char *rel, const void *data, size_t size)
{
        char p[512];
        int fd;

        snprintf(p, sizeof(p), "%s/%s", fuzz_root_dir(), rel);
        fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size))
                abort();
        close(fd);
}

static void fuzz_root_collect(void)
{
        struct rootfs root;
        struct collect_ctx ctx = { .root = &root, .policy = NULL, .now = 0 };
        json_t *facts = json_object();

        if (rootfs_init(&root, fuzz_root_dir()) < 0)
                abort();
        if (patch_collect(&ctx, facts) < 0)
                abort();
        json_decref(facts);
        rootfs_close(&root);
}

#endif
