/* paths.c - locating installed data next to the executable. */
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"

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

const char *paths_site_policy(void)
{
        static char file[PATH_MAX];
        const char *env = getenv("HYGIE_CONFDIR");

        if (!file[0])
                snprintf(file, sizeof(file), "%s/policy.ini", env && *env ? env : "/etc/hygie");
        return file;
}
