/* paths.c - the data files beside hygie-agent.exe, this machine's policy
 * under %ProgramData%\Hygie. */
#include <windows.h>
#include <knownfolders.h>
#include <shlobj.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paths.h"
#include "win.h"

/* The directory of the executable, UTF-8, without a final separator. */
static const char *exe_dir(void)
{
        static char dir[MAX_PATH * 3];
        wchar_t w[MAX_PATH * 2];
        DWORD n;

        if (dir[0])
                return dir;
        n = GetModuleFileNameW(NULL, w, sizeof(w) / sizeof(w[0]));
        if (n == 0 || n >= sizeof(w) / sizeof(w[0]))
                return ".";
        while (n > 0 && w[n - 1] != L'\\' && w[n - 1] != L'/')
                n--;
        w[n > 0 ? n - 1 : 0] = L'\0';
        win_utf8_buf(w, dir, sizeof(dir));
        return dir[0] ? dir : ".";
}

const char *paths_datadir(void)
{
        const char *env = getenv("HYGIE_DATADIR");

        return env && *env ? env : exe_dir();
}

const char *paths_localedir(void)
{
        static char dir[MAX_PATH * 3 + 8];

        if (!dir[0])
                snprintf(dir, sizeof(dir), "%s\\locale", paths_datadir());
        return dir;
}

const char *paths_data(const char *name, char *buf, size_t size)
{
        snprintf(buf, size, "%s\\%s", paths_datadir(), name);
        return buf;
}

/* %ProgramData%, from the shell rather than the environment, which a
 * service may be given otherwise. */
static const char *program_data(void)
{
        static char dir[MAX_PATH * 3];
        wchar_t *w = NULL;

        if (!dir[0]) {
                if (SHGetKnownFolderPath(&FOLDERID_ProgramData, 0, NULL, &w) == S_OK)
                        win_utf8_buf(w, dir, sizeof(dir));
                CoTaskMemFree(w);
                if (!dir[0])
                        snprintf(dir, sizeof(dir), "C:\\ProgramData");
        }
        return dir;
}

const char *paths_confdir(void)
{
        static char dir[MAX_PATH * 3 + 8];
        const char *env = getenv("HYGIE_CONFDIR");

        if (env && *env)
                return env;
        if (!dir[0])
                snprintf(dir, sizeof(dir), "%s\\Hygie", program_data());
        return dir;
}

const char *paths_conf(const char *name, char *buf, size_t size)
{
        snprintf(buf, size, "%s\\%s", paths_confdir(), name);
        return buf;
}

const char *paths_site_policy(void)
{
        static char file[MAX_PATH * 3 + 16];

        if (!file[0])
                paths_conf("policy.ini", file, sizeof(file));
        return file;
}

const char *paths_statedir(void)
{
        static char dir[MAX_PATH * 3 + 16];

        /* Not below $HYGIE_CONFDIR: the state is the service's, wherever
         * the settings are read from. */
        if (!dir[0])
                snprintf(dir, sizeof(dir), "%s\\Hygie\\state", program_data());
        return dir;
}

static int absolute(const char *name)
{
        return name[0] == '\\' || name[0] == '/' || (name[0] && name[1] == ':');
}

int paths_read_data(const char *name, size_t max, char **text, char *path, size_t size)
{
        unsigned char *data;
        size_t n;
        int rc;

        if (absolute(name))
                snprintf(path, size, "%s", name);
        else
                paths_data(name, path, size);
        rc = win_read_file(path, max, &data, &n);
        if (rc < 0)
                return rc;
        *text = (char *)data;
        return 0;
}
