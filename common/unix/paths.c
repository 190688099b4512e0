/* paths.c - locating installed data next to the executable. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"
#include "rootfs.h"

#ifndef HYGIE_FALLBACK_PREFIX
#define HYGIE_FALLBACK_PREFIX "/usr"
#endif

static const char *paths_share(char *buf, size_t size, const char *sub)
{
        char exe[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

        if (n > 0) {
                exe[n] = '\0';
                snprintf(buf, size, "%s/../share/%s", dirname(exe), sub);
                if (access(buf, F_OK) == 0)
                        return buf;
        }
        snprintf(buf, size, "%s/share/%s", HYGIE_FALLBACK_PREFIX, sub);
        return buf;
}

const char *paths_datadir(void)
{
        static char dir[PATH_MAX];
        const char *env = getenv("HYGIE_DATADIR");

        if (env && *env)
                return env;
        if (!dir[0])
                paths_share(dir, sizeof(dir), "hygie");
        return dir;
}

const char *paths_localedir(void)
{
        static char dir[PATH_MAX];

        if (!dir[0])
                paths_share(dir, sizeof(dir), "locale");
        return dir;
}

const char *paths_data(const char *name, char *buf, size_t size)
{
        snprintf(buf, size, "%s/%s", paths_datadir(), name);
        return buf;
}

const char *paths_confdir(void)
{
        const char *env = getenv("HYGIE_CONFDIR");

        return env && *env ? env : "/etc/hygie";
}

const char *paths_conf(const char *name, char *buf, size_t size)
{
        snprintf(buf, size, "%s/%s", paths_confdir(), name);
        return buf;
}

const char *paths_site_policy(void)
{
        static char file[PATH_MAX];

        if (!file[0])
                paths_conf("policy.ini", file, sizeof(file));
        return file;
}

const char *paths_statedir(void)
{
        return "/var/lib/hygie-agent";
}

int paths_read_data(const char *name, size_t max, char **text, char *path, size_t size)
{
        int fd, rc;

        if (name[0] == '/')
                snprintf(path, size, "%s", name);
        else
                paths_data(name, path, size);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        rc = rootfs_read_fd(fd, max, text, NULL);
        close(fd);
        return rc;
}
