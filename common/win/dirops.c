/* dirops.c - a directory held open, on Windows.
 *
 * Win32 has no calls relative to a directory handle, so names are joined to
 * the directory's path; the handle, held without FILE_SHARE_DELETE, keeps
 * the directory (and so its parents) from being renamed or removed
 * meanwhile, so the path names the same directory throughout. Each name is
 * opened with FILE_FLAG_OPEN_REPARSE_POINT and refused when it is one. */
#include <windows.h>
#include <aclapi.h>
#include <sddl.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "dirops.h"
#include "win.h"

struct dirops {
        HANDLE h;
        HANDLE lock; /* INVALID_HANDLE_VALUE until dirops_lock */
        wchar_t *path;
};

static int errno_of(DWORD code)
{
        switch (code) {
        case ERROR_FILE_NOT_FOUND:
        case ERROR_PATH_NOT_FOUND:
        case ERROR_INVALID_DRIVE:
                return -ENOENT;
        case ERROR_FILE_EXISTS:
        case ERROR_ALREADY_EXISTS:
                return -EEXIST;
        case ERROR_ACCESS_DENIED:
        case ERROR_PRIVILEGE_NOT_HELD:
                return -EACCES;
        case ERROR_SHARING_VIOLATION:
        case ERROR_LOCK_VIOLATION:
                return -EBUSY;
        case ERROR_DISK_FULL:
        case ERROR_HANDLE_DISK_FULL:
                return -ENOSPC;
        case ERROR_NOT_ENOUGH_MEMORY:
        case ERROR_OUTOFMEMORY:
                return -ENOMEM;
        case ERROR_INVALID_NAME:
        case ERROR_BAD_PATHNAME:
        case ERROR_INVALID_PARAMETER:
                return -EINVAL;
        case ERROR_FILENAME_EXCED_RANGE:
                return -ENAMETOOLONG;
        case ERROR_DIRECTORY:
                return -ENOTDIR;
        case ERROR_DIR_NOT_EMPTY:
                return -ENOTEMPTY;
        case ERROR_WRITE_PROTECT:
                return -EROFS;
        default:
                return -EIO;
        }
}

static int last_errno(void)
{
        return errno_of(GetLastError());
}

/* dir's path joined with name, a single component, into *out (freed by the
 * caller). -EINVAL for a name that is no single component or an alternate
 * data stream. */
static int child(const struct dirops *d, const char *name, wchar_t **out)
{
        wchar_t *w;
        size_t n, m;

        *out = NULL;
        if (!name[0] || strpbrk(name, "\\/:") || !strcmp(name, ".") || !strcmp(name, ".."))
                return -EINVAL;
        if (!(w = win_wide(name)))
                return -EINVAL;
        n = wcslen(d->path);
        m = wcslen(w);
        *out = malloc((n + 1 + m + 1) * sizeof(wchar_t));
        if (!*out) {
                free(w);
                return -ENOMEM;
        }
        memcpy(*out, d->path, n * sizeof(wchar_t));
        if (n > 0 && d->path[n - 1] != L'\\' && d->path[n - 1] != L'/')
                (*out)[n++] = L'\\';
        memcpy(*out + n, w, (m + 1) * sizeof(wchar_t));
        free(w);
        return 0;
}

/* The user this process runs as. */
struct user {
        union {
                TOKEN_USER tu;
                unsigned char buf[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE];
        } u;
};

static int user_get(struct user *user)
{
        HANDLE tok;
        DWORD n;
        BOOL ok;

        if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok))
                return last_errno();
        ok = GetTokenInformation(tok, TokenUser, user->u.buf, sizeof(user->u.buf), &n);
        CloseHandle(tok);
        return ok ? 0 : last_errno();
}

/* The 0700 of Windows: SYSTEM and Administrators, and this user when it is
 * neither, nothing inherited. *sd is freed with LocalFree. */
static int private_sd(PSECURITY_DESCRIPTOR *sd)
{
        wchar_t sddl[256], *sid = NULL;
        BYTE admins[SECURITY_MAX_SID_SIZE];
        DWORD n = sizeof(admins);
        struct user user;
        BOOL admin = FALSE;
        int rc;

        if ((rc = user_get(&user)) < 0)
                return rc;
        if (!CreateWellKnownSid(WinBuiltinAdministratorsSid, NULL, admins, &n) ||
            !CheckTokenMembership(NULL, admins, &admin))
                admin = FALSE;
        if (admin || IsWellKnownSid(user.u.tu.User.Sid, WinLocalSystemSid)) {
                wcscpy(sddl, L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)");
        } else {
                if (!ConvertSidToStringSidW(user.u.tu.User.Sid, &sid))
                        return last_errno();
                swprintf(sddl, sizeof(sddl) / sizeof(sddl[0]),
                         L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FA;;;%ls)", sid);
                LocalFree(sid);
        }
        if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, sd, NULL))
                return last_errno();
        return 0;
}

static int make_dir(const wchar_t *path)
{
        SECURITY_ATTRIBUTES sa = { .nLength = sizeof(sa),
                                   .lpSecurityDescriptor = NULL,
                                   .bInheritHandle = FALSE };
        int rc = private_sd(&sa.lpSecurityDescriptor);

        if (rc < 0)
                return rc;
        if (!CreateDirectoryW(path, &sa) && GetLastError() != ERROR_ALREADY_EXISTS)
                rc = last_errno();
        LocalFree(sa.lpSecurityDescriptor);
        return rc;
}

/* Opens directory path (taking it) into *out; a reparse point is followed
 * only when follow is set. */
static int open_dir(wchar_t *path, bool follow, struct dirops **out)
{
        BY_HANDLE_FILE_INFORMATION info;
        struct dirops *d = NULL;
        HANDLE h;
        int rc = 0;

        h = CreateFileW(path, FILE_LIST_DIRECTORY | FILE_READ_ATTRIBUTES | READ_CONTROL,
                        FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                        FILE_FLAG_BACKUP_SEMANTICS | (follow ? 0 : FILE_FLAG_OPEN_REPARSE_POINT),
                        NULL);
        if (h == INVALID_HANDLE_VALUE)
                rc = last_errno();
        else if (!GetFileInformationByHandle(h, &info))
                rc = last_errno();
        else if (!(info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) ||
                 (!follow && (info.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT)))
                rc = -ENOTDIR;
        else if (!(d = malloc(sizeof(*d))))
                rc = -ENOMEM;
        if (rc < 0) {
                if (h != INVALID_HANDLE_VALUE)
                        CloseHandle(h);
                free(path);
                return rc;
        }
        d->h = h;
        d->lock = INVALID_HANDLE_VALUE;
        d->path = path;
        *out = d;
        return 0;
}

int dirops_open(const char *path, bool create, struct dirops **out)
{
        wchar_t *w = win_wide(path);
        int rc;

        *out = NULL;
        if (!w)
                return -EINVAL;
        if (create && (rc = make_dir(w)) < 0) {
                free(w);
                return rc;
        }
        return open_dir(w, true, out);
}

int dirops_open_sub(struct dirops *d, const char *name, bool create, struct dirops **out)
{
        wchar_t *w;
        int rc;

        *out = NULL;
        if ((rc = child(d, name, &w)) < 0)
                return rc;
        if (create && (rc = make_dir(w)) < 0) {
                free(w);
                return rc;
        }
        return open_dir(w, false, out);
}

void dirops_close(struct dirops *d)
{
        if (!d)
                return;
        if (d->lock != INVALID_HANDLE_VALUE)
                CloseHandle(d->lock);
        CloseHandle(d->h);
        free(d->path);
        free(d);
}

static bool trusted(PSID sid, PSID user)
{
        return EqualSid(sid, user) || IsWellKnownSid(sid, WinLocalSystemSid) ||
               IsWellKnownSid(sid, WinBuiltinAdministratorsSid);
}

int dirops_private(struct dirops *d, const char **why)
{
        const DWORD writes = FILE_ADD_FILE | FILE_ADD_SUBDIRECTORY | FILE_DELETE_CHILD | DELETE |
                             WRITE_DAC | WRITE_OWNER | GENERIC_WRITE | GENERIC_ALL;
        PSECURITY_DESCRIPTOR sd = NULL;
        PSID owner = NULL;
        struct user user;
        PACL dacl = NULL;
        DWORD code;
        int rc;

        if ((rc = user_get(&user)) < 0)
                return rc;
        code = GetSecurityInfo(d->h, SE_FILE_OBJECT,
                               OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, &owner, NULL,
                               &dacl, NULL, &sd);
        if (code != ERROR_SUCCESS)
                return errno_of(code);
        if (!owner || !trusted(owner, user.u.tu.User.Sid)) {
                *why = "belongs to another user";
                rc = -EPERM;
        } else if (!dacl) { /* a NULL DACL lets everyone in */
                *why = "is writable by other users";
                rc = -EPERM;
        }
        for (DWORD i = 0; !rc && i < dacl->AceCount; i++) {
                ACCESS_ALLOWED_ACE *ace;
                PSID sid;

                if (!GetAce(dacl, i, (void **)&ace)) {
                        rc = last_errno();
                        break;
                }
                if (ace->Header.AceType != ACCESS_ALLOWED_ACE_TYPE ||
                    (ace->Header.AceFlags & INHERIT_ONLY_ACE) || !(ace->Mask & writes))
                        continue;
                sid = (PSID)&ace->SidStart;
                if (!trusted(sid, user.u.tu.User.Sid) &&
                    !IsWellKnownSid(sid, WinCreatorOwnerRightsSid)) {
                        *why = "is writable by other users";
                        rc = -EPERM;
                }
        }
        LocalFree(sd);
        return rc;
}

int dirops_lock(struct dirops *d)
{
        OVERLAPPED ov = { .Internal = 0, .InternalHigh = 0, .Pointer = NULL, .hEvent = NULL };
        BY_HANDLE_FILE_INFORMATION info;
        wchar_t *w;
        HANDLE h;
        int rc;

        if ((rc = child(d, ".lock", &w)) < 0)
                return rc;
        h = CreateFileW(w, GENERIC_READ | GENERIC_WRITE,
                        FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, OPEN_ALWAYS,
                        FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, NULL);
        free(w);
        if (h == INVALID_HANDLE_VALUE)
                return last_errno();
        if (!GetFileInformationByHandle(h, &info))
                rc = last_errno();
        else if (info.dwFileAttributes & (FILE_ATTRIBUTE_REPARSE_POINT | FILE_ATTRIBUTE_DIRECTORY))
                rc = -EINVAL;
        else if (!LockFileEx(h, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ov))
                rc = last_errno();
        if (rc < 0) {
                CloseHandle(h);
                return rc;
        }
        d->lock = h;
        return 0;
}

int dirops_sync(struct dirops *d)
{
        (void)d;
        return 0;
}

/* FileDispositionInfoEx, which mingw-w64 declares only for a _WIN32_WINNT
 * past 0x0A00. */
#define DISPOSITION_INFO_EX ((FILE_INFO_BY_HANDLE_CLASS)21)

/* Removes the file h is open on (with DELETE access): at once where Windows
 * can (POSIX semantics, Windows 10 1607 and later), else when the last
 * handle on it closes. */
static int remove_open(HANDLE h)
{
        FILE_DISPOSITION_INFO_EX ex = { .Flags = FILE_DISPOSITION_FLAG_DELETE |
                                                 FILE_DISPOSITION_FLAG_POSIX_SEMANTICS };
        FILE_DISPOSITION_INFO old = { .DeleteFile = TRUE };

        if (SetFileInformationByHandle(h, DISPOSITION_INFO_EX, &ex, sizeof(ex)) ||
            SetFileInformationByHandle(h, FileDispositionInfo, &old, sizeof(old)))
                return 0;
        return last_errno();
}

int dirops_create(struct dirops *d, const char *name, unsigned mode, const void *data, size_t len)
{
        SECURITY_ATTRIBUTES sa = { .nLength = sizeof(sa),
                                   .lpSecurityDescriptor = NULL,
                                   .bInheritHandle = FALSE };
        const unsigned char *p = data;
        wchar_t *w;
        HANDLE h;
        int rc;

        if ((rc = child(d, name, &w)) < 0)
                return rc;
        /* The handle has the access asked for whatever the new DACL says. */
        if (mode == DIROPS_SECRET &&
            !ConvertStringSecurityDescriptorToSecurityDescriptorW(
                L"D:P(A;;FA;;;SY)", SDDL_REVISION_1, &sa.lpSecurityDescriptor, NULL)) {
                free(w);
                return last_errno();
        }
        h = CreateFileW(w, GENERIC_WRITE | DELETE, 0, sa.lpSecurityDescriptor ? &sa : NULL,
                        CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
        free(w);
        LocalFree(sa.lpSecurityDescriptor);
        if (h == INVALID_HANDLE_VALUE)
                return last_errno();
        while (!rc && len > 0) {
                DWORD chunk = len > (1u << 30) ? (1u << 30) : (DWORD)len, done = 0;

                if (!WriteFile(h, p, chunk, &done, NULL))
                        rc = last_errno();
                else if (done == 0)
                        rc = -EIO;
                p += done;
                len -= done;
        }
        if (!rc && !FlushFileBuffers(h))
                rc = last_errno();
        if (rc)
                remove_open(h);
        if (!CloseHandle(h) && !rc)
                rc = last_errno();
        return rc;
}

int dirops_rename(struct dirops *from, const char *name, struct dirops *to, const char *newname,
                  bool replace)
{
        wchar_t *src = NULL, *dst = NULL;
        int rc;

        if ((rc = child(from, name, &src)) == 0 && (rc = child(to, newname, &dst)) == 0 &&
            !MoveFileExW(src, dst,
                         MOVEFILE_WRITE_THROUGH | (replace ? MOVEFILE_REPLACE_EXISTING : 0)))
                rc = last_errno();
        free(src);
        free(dst);
        return rc;
}

int dirops_remove(struct dirops *d, const char *name)
{
        BY_HANDLE_FILE_INFORMATION info;
        wchar_t *w;
        HANDLE h;
        int rc;

        if ((rc = child(d, name, &w)) < 0)
                return rc;
        /* The link itself, as unlink(2) removes it. */
        h = CreateFileW(w, DELETE | FILE_READ_ATTRIBUTES,
                        FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, OPEN_EXISTING,
                        FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_BACKUP_SEMANTICS, NULL);
        free(w);
        if (h == INVALID_HANDLE_VALUE)
                return last_errno();
        if (!GetFileInformationByHandle(h, &info))
                rc = last_errno();
        else if ((info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) &&
                 !(info.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT))
                rc = -EISDIR;
        else
                rc = remove_open(h);
        CloseHandle(h);
        return rc;
}

static enum dirops_type type_of(DWORD attrs)
{
        if (attrs & (FILE_ATTRIBUTE_REPARSE_POINT | FILE_ATTRIBUTE_DEVICE))
                return DIROPS_OTHER;
        return attrs & FILE_ATTRIBUTE_DIRECTORY ? DIROPS_DIR : DIROPS_FILE;
}

int dirops_stat(struct dirops *d, const char *name, struct dirops_stat *st)
{
        WIN32_FILE_ATTRIBUTE_DATA fad;
        wchar_t *w;
        int rc;

        if ((rc = child(d, name, &w)) < 0)
                return rc;
        /* Of the reparse point itself, not of what it points to. */
        if (!GetFileAttributesExW(w, GetFileExInfoStandard, &fad))
                rc = last_errno();
        free(w);
        if (rc < 0)
                return rc;
        st->type = type_of(fad.dwFileAttributes);
        st->size = (uint64_t)fad.nFileSizeHigh << 32 | fad.nFileSizeLow;
        return 0;
}

int dirops_read(struct dirops *d, const char *name, size_t max, void **data, size_t *len)
{
        BY_HANDLE_FILE_INFORMATION info;
        unsigned char *buf = NULL;
        uint64_t size = 0;
        wchar_t *w;
        HANDLE h;
        int rc;

        *data = NULL;
        *len = 0;
        if ((rc = child(d, name, &w)) < 0)
                return rc;
        h = CreateFileW(w, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                        NULL, OPEN_EXISTING, FILE_FLAG_OPEN_REPARSE_POINT, NULL);
        if (h == INVALID_HANDLE_VALUE) {
                rc = last_errno();
                /* A directory cannot be opened as a file. */
                if (rc == -EACCES && (GetFileAttributesW(w) & FILE_ATTRIBUTE_DIRECTORY) &&
                    GetFileAttributesW(w) != INVALID_FILE_ATTRIBUTES)
                        rc = -EINVAL;
                free(w);
                return rc;
        }
        free(w);
        if (!GetFileInformationByHandle(h, &info))
                rc = last_errno();
        else if (type_of(info.dwFileAttributes) != DIROPS_FILE)
                rc = -EINVAL;
        else if ((size = (uint64_t)info.nFileSizeHigh << 32 | info.nFileSizeLow) > max)
                rc = -EFBIG;
        else if (!(buf = malloc((size_t)size + 1)))
                rc = -ENOMEM;
        while (!rc && *len < size) {
                uint64_t left = size - *len;
                DWORD chunk = left > (1u << 30) ? (1u << 30) : (DWORD)left, got = 0;

                if (!ReadFile(h, buf + *len, chunk, &got, NULL))
                        rc = last_errno();
                else if (got == 0)
                        break;
                *len += got;
        }
        CloseHandle(h);
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
        WIN32_FIND_DATAW fd;
        wchar_t *pattern;
        HANDLE find;
        int rc;

        if ((rc = child(d, "*", &pattern)) < 0)
                return rc;
        find = FindFirstFileExW(pattern, FindExInfoBasic, &fd, FindExSearchNameMatch, NULL,
                                FIND_FIRST_EX_LARGE_FETCH);
        free(pattern);
        if (find == INVALID_HANDLE_VALUE)
                return GetLastError() == ERROR_FILE_NOT_FOUND ? 0 : last_errno();
        do {
                char *name;

                if (!wcscmp(fd.cFileName, L".") || !wcscmp(fd.cFileName, L".."))
                        continue;
                if (!(name = win_utf8(fd.cFileName, -1))) {
                        rc = -ENOMEM;
                        break;
                }
                rc = fn(name, arg);
                free(name);
        } while (!rc && FindNextFileW(find, &fd));
        if (!rc && GetLastError() != ERROR_NO_MORE_FILES)
                rc = last_errno();
        FindClose(find);
        return rc;
}
