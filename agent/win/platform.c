/* platform.c - the agent on Windows: the machine through its API, the
 * console in UTF-8. */
#include <windows.h>
#include <psapi.h>
#include <shellapi.h>

#include <errno.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>

#include "agent.h"
#include "intl.h"
#include "reg.h"
#include "winos.h"
#include "state.h"
#include "win.h"

#define _(s) dgettext("hygie", s)

const char *agent_hostname(const struct rootfs *root, char *buf, size_t size)
{
        wchar_t name[256];
        DWORD n = sizeof(name) / sizeof(name[0]);

        (void)root;
        buf[0] = '\0';
        if (GetComputerNameExW(ComputerNameDnsHostname, name, &n) ||
            (n = sizeof(name) / sizeof(name[0]), GetComputerNameW(name, &n)))
                win_utf8_buf(name, buf, size);
        return buf;
}

int agent_open_root(const char *path, struct rootfs **root)
{
        *root = NULL;
        if (path) {
                fprintf(stderr,
                        _("hygie-agent: --root inspects a Linux system's files; on Windows the "
                          "agent reads this machine only\n"));
                return -EINVAL;
        }
        return 0;
}

void agent_close_root(struct rootfs *root)
{
        (void)root;
}

int agent_machine_digest(const struct rootfs *root, char *out, size_t size)
{
        char guid[128] = "";
        struct smbios_info sm;
        struct error e;

        (void)root;
        /* Made by Windows setup, new on each installation (and on each
         * sysprep'ed image): a cloned disk keeps it, another PC's does not. */
        reg_string(HKEY_LOCAL_MACHINE, L"SOFTWARE\\Microsoft\\Cryptography", L"MachineGuid", guid,
                   sizeof(guid));
        if (win_smbios_read(&sm, &e) < 0)
                sm.uuid[0] = '\0';
        return state_machine_digest(guid, sm.uuid, out, size);
}

static bool vt_enabled;

void agent_console_init(int *argc, char ***argv)
{
        HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
        DWORD mode;
        wchar_t **wargv;
        char **utf8;
        int n;

        SetConsoleOutputCP(CP_UTF8);
        if (out != INVALID_HANDLE_VALUE && GetConsoleMode(out, &mode))
                vt_enabled = SetConsoleMode(out, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING) != 0;
        /* The C runtime's argv is in the ANSI code page: take the command
         * line as Windows holds it, in UTF-16, and make it UTF-8. Kept for
         * the life of the process. */
        wargv = CommandLineToArgvW(GetCommandLineW(), &n);
        if (!wargv)
                return;
        utf8 = calloc((size_t)n + 1, sizeof(*utf8));
        for (int i = 0; utf8 && i < n; i++) {
                utf8[i] = win_utf8(wargv[i], -1);
                if (!utf8[i]) {
                        utf8 = NULL; /* out of memory: keep the C runtime's */
                        break;
                }
        }
        LocalFree(wargv);
        if (utf8) {
                *argc = n;
                *argv = utf8;
        }
}

int agent_memory(unsigned long long *resident, unsigned long long *private_bytes)
{
        PROCESS_MEMORY_COUNTERS_EX pmc = { .cb = sizeof(pmc) };

        if (!GetProcessMemoryInfo(GetCurrentProcess(), (PROCESS_MEMORY_COUNTERS *)&pmc,
                                  sizeof(pmc)))
                return -EIO;
        *resident = pmc.WorkingSetSize;
        *private_bytes = pmc.PrivateUsage;
        return 0;
}

bool agent_colors(FILE *out)
{
        const char *nc = getenv("NO_COLOR");

        return vt_enabled && _isatty(_fileno(out)) && !(nc && *nc);
}
