/* units.c - systemd units read through a root: their files, their enabling
 * links, and on this machine their state, without talking to systemd. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "units.h"

bool units_installed(const struct rootfs *root, const char *unit, char *where, size_t size,
                     bool *masked)
{
        static const char *const dirs[] = { "etc/systemd/system", "lib/systemd/system",
                                            "usr/lib/systemd/system" };
        char path[256];
        struct stat st;

        *masked = false;
        for (size_t i = 0; i < 3; i++) {
                snprintf(path, sizeof(path), "%s/%s", dirs[i], unit);
                if (rootfs_lstat(root, path, &st) < 0)
                        continue;
                if (S_ISLNK(st.st_mode) &&
                    (rootfs_stat(root, path, &st) < 0 || S_ISCHR(st.st_mode)))
                        *masked = true;
                snprintf(where, size, "%.200s%s", path, *masked ? " (masked)" : "");
                return true;
        }
        return false;
}

bool units_enabled(const struct rootfs *root, const char *unit)
{
        DIR *d = rootfs_opendir(root, "etc/systemd/system");
        struct dirent *e;
        bool found = false;

        while (d && !found && (e = readdir(d))) {
                size_t n = strlen(e->d_name);
                char path[512];
                struct stat st;

                if (n < 6 || n > 200 || strcmp(e->d_name + n - 6, ".wants") != 0)
                        continue;
                snprintf(path, sizeof(path), "etc/systemd/system/%s/%s", e->d_name, unit);
                found = rootfs_lstat(root, path, &st) == 0;
        }
        if (d)
                closedir(d);
        return found;
}

bool units_has_process(const struct rootfs *root, const char *unit)
{
        static const char *const dirs[] = { "sys/fs/cgroup/system.slice",
                                            "sys/fs/cgroup/systemd/system.slice" };
        char path[256], buf[64];

        for (size_t i = 0; i < 2; i++) {
                snprintf(path, sizeof(path), "%s/%s/cgroup.procs", dirs[i], unit);
                if (rootfs_read_small(root, path, buf, sizeof(buf), NULL) == 0 && buf[0])
                        return true;
        }
        return false;
}

bool units_systemd_runs(const struct rootfs *root)
{
        struct stat st;

        return rootfs_stat(root, "run/systemd/system", &st) == 0 && S_ISDIR(st.st_mode);
}

bool units_active(const struct rootfs *root, const char *unit)
{
        char path[256];
        struct stat st;

        snprintf(path, sizeof(path), "run/systemd/units/invocation:%s", unit);
        return rootfs_lstat(root, path, &st) == 0;
}
