/* msi_actions.c - the installer's custom actions (hygie-msi.dll, carried in
 * the MSI's Binary table, run by msiexec as SYSTEM in the deferred phase).
 *
 * Enroll runs the installed hygie-agent.exe enroll and copies what it says
 * into the installation's log, so that a wrong token reads there in plain
 * words, and its failure rolls the installation back. Purge removes the
 * agent's state on an uninstallation asked with HYGIE_PURGE=1. Configure
 * sets what the ServiceInstall and CreateFolder tables cannot say: restart
 * on failure, a delayed start, a quoted command line, and who may change
 * the agent's settings. Each reads its arguments
 * from CustomActionData, fields separated by tabs. */
#include <windows.h>
#include <aclapi.h>
#include <msi.h>
#include <msiquery.h>
#include <sddl.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define EXPORT __declspec(dllexport)

/* Enrollment makes two requests, each under a minute (enroll.c). */
#define ENROLL_TIMEOUT_MS (5 * 60 * 1000)
#define OUTPUT_MAX        (64 * 1024)

#define SERVICE_NAME L"HygieAgent" /* AGENT_SERVICE_NAME */

/* One line into the log (and, for INSTALLMESSAGE_ERROR, to a user who
 * watches the installation). The installer formats the text, so brackets
 * are escaped to stay as they are. */
static void say(MSIHANDLE install, INSTALLMESSAGE kind, const wchar_t *text)
{
        MSIHANDLE rec = MsiCreateRecord(1);
        size_t n = wcslen(text), k = 0;
        wchar_t *esc = calloc(4 * n + 1, sizeof(*esc));

        if (rec && esc) {
                for (size_t i = 0; i < n; i++) {
                        if (text[i] == L'[' || text[i] == L']') {
                                wcscpy(esc + k, text[i] == L'[' ? L"[\\[]" : L"[\\]]");
                                k += 4;
                        } else {
                                esc[k++] = text[i];
                        }
                }
                MsiRecordSetStringW(rec, 0, esc);
                MsiProcessMessage(install, kind, rec);
        }
        free(esc);
        if (rec)
                MsiCloseHandle(rec);
}

/* CustomActionData, malloc'ed. */
static wchar_t *action_data(MSIHANDLE install)
{
        DWORD n = 0;
        wchar_t empty[1] = L"", *v;

        if (MsiGetPropertyW(install, L"CustomActionData", empty, &n) != ERROR_MORE_DATA)
                return NULL;
        v = calloc(++n, sizeof(*v));
        if (v && MsiGetPropertyW(install, L"CustomActionData", v, &n) != ERROR_SUCCESS) {
                free(v);
                v = NULL;
        }
        return v;
}

/* Splits s at tabs into up to max fields; returns how many. */
static int fields(wchar_t *s, wchar_t **out, int max)
{
        int n = 0;

        while (n < max) {
                out[n++] = s;
                s = wcschr(s, L'\t');
                if (!s)
                        break;
                *s++ = L'\0';
        }
        return n;
}

/* Whether a value can go between double quotes on a command line as is. */
static bool quotable(const wchar_t *s)
{
        return *s && !wcspbrk(s, L"\"\r\n") && s[wcslen(s) - 1] != L'\\';
}

/* Runs line, its stdout and stderr into *out (UTF-8, NUL-terminated,
 * bounded); the exit code, or -1 when it could not run or had to be
 * stopped. */
static int run(MSIHANDLE install, wchar_t *line, char **out)
{
        SECURITY_ATTRIBUTES sa = { .nLength = sizeof(sa), .bInheritHandle = TRUE };
        STARTUPINFOW si = { .cb = sizeof(si), .dwFlags = STARTF_USESTDHANDLES };
        PROCESS_INFORMATION pi;
        HANDLE rd, wr;
        size_t len = 0;
        DWORD code = (DWORD)-1, got;
        char buf[4096];

        *out = calloc(1, OUTPUT_MAX + 1);
        if (!*out || !CreatePipe(&rd, &wr, &sa, 0))
                return -1;
        SetHandleInformation(rd, HANDLE_FLAG_INHERIT, 0);
        si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
        si.hStdOutput = si.hStdError = wr;
        if (!CreateProcessW(NULL, line, NULL, NULL, TRUE, CREATE_NO_WINDOW, NULL, NULL, &si, &pi)) {
                CloseHandle(rd);
                CloseHandle(wr);
                say(install, INSTALLMESSAGE_INFO, L"Hygie: hygie-agent.exe could not be started");
                return -1;
        }
        CloseHandle(wr);
        /* Until the agent closes its end, that is exits. */
        while (ReadFile(rd, buf, sizeof(buf), &got, NULL) && got > 0) {
                size_t room = OUTPUT_MAX - len;

                memcpy(*out + len, buf, got < room ? got : room);
                len += got < room ? got : room;
        }
        CloseHandle(rd);
        if (WaitForSingleObject(pi.hProcess, ENROLL_TIMEOUT_MS) != WAIT_OBJECT_0)
                TerminateProcess(pi.hProcess, 1);
        else
                GetExitCodeProcess(pi.hProcess, &code);
        CloseHandle(pi.hProcess);
        CloseHandle(pi.hThread);
        return (int)code;
}

/* Each line of the agent's UTF-8 output into the log, prefixed. */
static void say_output(MSIHANDLE install, INSTALLMESSAGE kind, const char *text)
{
        while (*text) {
                size_t n = strcspn(text, "\r\n");
                int w = MultiByteToWideChar(CP_UTF8, 0, text, (int)n, NULL, 0);
                wchar_t *line = calloc((size_t)w + 16, sizeof(*line));

                if (n > 0 && line) {
                        wcscpy(line, L"Hygie: ");
                        MultiByteToWideChar(CP_UTF8, 0, text, (int)n, line + 7, w);
                        say(install, kind, line);
                }
                free(line);
                text += n;
                text += strspn(text, "\r\n");
        }
}

/* CustomActionData: EXE \t SERVER \t TOKEN \t FINGERPRINT. */
EXPORT UINT __stdcall Enroll(MSIHANDLE install)
{
        wchar_t *data = action_data(install), *f[4], *line = NULL;
        char *out = NULL;
        UINT rc = ERROR_INSTALL_FAILURE;
        size_t n;
        int code;

        if (!data || fields(data, f, 4) != 4) {
                say(install, INSTALLMESSAGE_ERROR, L"Hygie: the enrollment's data is missing");
                goto out;
        }
        if (!quotable(f[0]) || !quotable(f[1]) || !quotable(f[2]) || !quotable(f[3])) {
                say(install, INSTALLMESSAGE_ERROR,
                    L"Hygie: HYGIE_SERVER, HYGIE_TOKEN and HYGIE_CA_FINGERPRINT must all be "
                    L"given, without quotes");
                goto out;
        }
        n = wcslen(f[0]) + wcslen(f[1]) + wcslen(f[2]) + wcslen(f[3]) + 128;
        line = calloc(n, sizeof(*line));
        if (!line)
                goto out;
        swprintf(line, n,
                 L"\"%ls\" enroll --if-needed --server \"%ls\" --token \"%ls\" "
                 L"--ca-fingerprint \"%ls\"",
                 f[0], f[1], f[2], f[3]);
        say(install, INSTALLMESSAGE_INFO, L"Hygie: enrolling this machine with the collector");
        code = run(install, line, &out);
        if (code == 0) {
                say_output(install, INSTALLMESSAGE_INFO, out);
                rc = ERROR_SUCCESS;
        } else {
                say_output(install, INSTALLMESSAGE_ERROR, out && *out ? out : "no output");
                say(install, INSTALLMESSAGE_ERROR,
                    L"Hygie: the enrollment failed, the installation is undone; check "
                    L"HYGIE_SERVER, HYGIE_TOKEN and HYGIE_CA_FINGERPRINT");
        }
out:
        if (line)
                SecureZeroMemory(line, wcslen(line) * sizeof(*line));
        free(line);
        free(out);
        free(data);
        return rc;
}

/* Removes path and what is below it; a link or junction is removed, never
 * followed. */
static bool remove_tree(const wchar_t *path)
{
        DWORD attr = GetFileAttributesW(path);
        WIN32_FIND_DATAW fd;
        size_t n = wcslen(path);
        wchar_t *pattern;
        HANDLE h;
        bool ok = true;

        if (attr == INVALID_FILE_ATTRIBUTES)
                return GetLastError() == ERROR_FILE_NOT_FOUND ||
                       GetLastError() == ERROR_PATH_NOT_FOUND;
        if (!(attr & FILE_ATTRIBUTE_DIRECTORY))
                return (SetFileAttributesW(path, FILE_ATTRIBUTE_NORMAL) && DeleteFileW(path)) ||
                       DeleteFileW(path);
        if (attr & FILE_ATTRIBUTE_REPARSE_POINT)
                return RemoveDirectoryW(path);
        pattern = calloc(n + 3, sizeof(*pattern));
        if (!pattern)
                return false;
        swprintf(pattern, n + 3, L"%ls\\*", path);
        h = FindFirstFileW(pattern, &fd);
        free(pattern);
        if (h != INVALID_HANDLE_VALUE) {
                do {
                        wchar_t *child;
                        size_t m;

                        if (!wcscmp(fd.cFileName, L".") || !wcscmp(fd.cFileName, L".."))
                                continue;
                        m = n + wcslen(fd.cFileName) + 2;
                        child = calloc(m, sizeof(*child));
                        if (!child) {
                                ok = false;
                                continue;
                        }
                        swprintf(child, m, L"%ls\\%ls", path, fd.cFileName);
                        ok = remove_tree(child) && ok;
                        free(child);
                } while (FindNextFileW(h, &fd));
                FindClose(h);
        }
        return RemoveDirectoryW(path) && ok;
}

/* CustomActionData: the directory of the agent's state and settings. A
 * failure is logged, never fatal: the program is gone either way. */
EXPORT UINT __stdcall Purge(MSIHANDLE install)
{
        wchar_t *dir = action_data(install), msg[600];

        if (!dir || wcslen(dir) < 4 || !wcsstr(dir, L"Hygie")) {
                say(install, INSTALLMESSAGE_INFO, L"Hygie: nothing to purge");
        } else if (remove_tree(dir)) {
                swprintf(msg, 600, L"Hygie: removed %ls", dir);
                say(install, INSTALLMESSAGE_INFO, msg);
        } else {
                swprintf(msg, 600, L"Hygie: %ls could not be removed whole (error %lu)", dir,
                         GetLastError());
                say(install, INSTALLMESSAGE_INFO, msg);
        }
        free(dir);
        return ERROR_SUCCESS;
}

/* %ProgramData%\\Hygie, made when missing: SYSTEM and Administrators change
 * it, users only read it (the settings a "check" of theirs reads). Its DACL
 * is set whole, not inherited from %ProgramData%, where any user may add
 * files: else a user could write agent.ini or policy.ini for the service.
 * The state directory below keeps its own (SYSTEM and Administrators). */
static void secure_confdir(MSIHANDLE install, const wchar_t *dir)
{
        PSECURITY_DESCRIPTOR sd = NULL;
        SECURITY_ATTRIBUTES sa = { .nLength = sizeof(sa) };
        BOOL present = FALSE, defaulted = FALSE;
        PACL dacl = NULL;
        wchar_t msg[600];
        DWORD rc;

        if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(
                L"D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)", SDDL_REVISION_1,
                &sd, NULL) ||
            !GetSecurityDescriptorDacl(sd, &present, &dacl, &defaulted)) {
                rc = GetLastError();
                goto out;
        }
        sa.lpSecurityDescriptor = sd;
        if (CreateDirectoryW(dir, &sa))
                rc = ERROR_SUCCESS;
        else if (GetLastError() == ERROR_ALREADY_EXISTS)
                rc = SetNamedSecurityInfoW((wchar_t *)dir, SE_FILE_OBJECT,
                                           DACL_SECURITY_INFORMATION |
                                               PROTECTED_DACL_SECURITY_INFORMATION,
                                           NULL, NULL, dacl, NULL);
        else
                rc = GetLastError();
out:
        if (rc != ERROR_SUCCESS) {
                swprintf(msg, 600, L"Hygie: the permissions of %ls are not set (error %lu)", dir,
                         rc);
                say(install, INSTALLMESSAGE_INFO, msg);
        }
        LocalFree(sd);
}

/* The service's command line with its program's path in quotes: left bare,
 * "C:\\Program Files\\Hygie\\hygie-agent.exe" would let Windows try
 * "C:\\Program.exe" first (wine's installer leaves it bare). */
static bool quote_image_path(SC_HANDLE svc)
{
        QUERY_SERVICE_CONFIGW *qc = NULL;
        DWORD need = 0;
        wchar_t *line = NULL, *exe;
        bool ok = false;

        QueryServiceConfigW(svc, NULL, 0, &need);
        if (!need || !(qc = malloc(need)) || !QueryServiceConfigW(svc, qc, need, &need))
                goto out;
        exe = wcsstr(qc->lpBinaryPathName, L".exe");
        if (qc->lpBinaryPathName[0] == L'"' || !exe) {
                ok = true;
                goto out;
        }
        exe += 4;
        line = calloc(wcslen(qc->lpBinaryPathName) + 3, sizeof(*line));
        if (!line)
                goto out;
        swprintf(line, wcslen(qc->lpBinaryPathName) + 3, L"\"%.*ls\"%ls",
                 (int)(exe - qc->lpBinaryPathName), qc->lpBinaryPathName, exe);
        ok = ChangeServiceConfigW(svc, SERVICE_NO_CHANGE, SERVICE_NO_CHANGE, SERVICE_NO_CHANGE,
                                  line, NULL, NULL, NULL, NULL, NULL, NULL);
out:
        free(line);
        free(qc);
        return ok;
}

/* Restart after 1 minute, twice, then after 10; the count starts again after
 * a day without failure. A non-zero exit code counts as a failure as a crash
 * does. Started a little after boot, not in its rush. Failures are logged:
 * the service works without them. CustomActionData: %ProgramData%\\Hygie. */
EXPORT UINT __stdcall Configure(MSIHANDLE install)
{
        SC_ACTION actions[] = {
                { SC_ACTION_RESTART, 60 * 1000 },
                { SC_ACTION_RESTART, 60 * 1000 },
                { SC_ACTION_RESTART, 10 * 60 * 1000 },
        };
        SERVICE_FAILURE_ACTIONSW fa = { .dwResetPeriod = 24 * 3600,
                                        .cActions = sizeof(actions) / sizeof(actions[0]),
                                        .lpsaActions = actions };
        SERVICE_FAILURE_ACTIONS_FLAG flag = { .fFailureActionsOnNonCrashFailures = TRUE };
        SERVICE_DELAYED_AUTO_START_INFO delayed = { .fDelayedAutostart = TRUE };
        SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT), svc;
        wchar_t *dir = action_data(install), msg[200];
        const wchar_t *what = NULL;

        if (dir && wcslen(dir) > 3)
                secure_confdir(install, dir);
        free(dir);
        svc = scm ? OpenServiceW(scm, SERVICE_NAME, SERVICE_CHANGE_CONFIG | SERVICE_QUERY_CONFIG)
                  : NULL;
        if (!svc)
                what = L"service";
        else if (!quote_image_path(svc))
                what = L"command line";
        else if (!ChangeServiceConfig2W(svc, SERVICE_CONFIG_FAILURE_ACTIONS, &fa) ||
                 !ChangeServiceConfig2W(svc, SERVICE_CONFIG_FAILURE_ACTIONS_FLAG, &flag))
                what = L"recovery actions";
        else if (!ChangeServiceConfig2W(svc, SERVICE_CONFIG_DELAYED_AUTO_START_INFO, &delayed))
                what = L"delayed start";
        if (what) {
                swprintf(msg, 200, L"Hygie: the service's %ls not set (error %lu)", what,
                         GetLastError());
                say(install, INSTALLMESSAGE_INFO, msg);
        }
        if (svc)
                CloseServiceHandle(svc);
        if (scm)
                CloseServiceHandle(scm);
        return ERROR_SUCCESS;
}
