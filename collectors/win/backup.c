/* backup.c - the backup jobs the policy declares, on Windows: what each
 * folder holds, when its newest backup was written, how big it is and which
 * kind of disk holds it; and the backup software found on this machine.
 *
 * The jobs' facts have the shape collectors/linux/backup.c gives, so that
 * policy/rules_backup.c judges both: restic and borg repositories by their
 * layout, other folders as plain files or dated snapshot folders whose sizes
 * come from a walk bounded in depth, entries and time. Reparse points
 * (junctions, symbolic links, volume and cloud folders) are never followed
 * inside a folder. Only metadata is read, never a backup's contents.
 *
 * Windows' own backups (File History, Windows Backup, wbengine images) are
 * recognised with the date of their last success where Windows records it;
 * other products from policy/backup-products.conf are only "found". */
#include <windows.h>
#include <winioctl.h>
#include <winevt.h>
#include <winnetwk.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backup_products.h"
#include "collector.h"
#include "paths.h"
#include "reg.h"
#include "util.h"
#include "win.h"
#include "wintime.h"

#define TOP_MAX          100000 /* entries read from one directory listing */
#define WALK_MAX_ENTRIES 100000 /* files and directories counted per snapshot */
#define WALK_MAX_DEPTH   32
#define WALK_MAX_SECONDS 10 /* per snapshot: a slow network share stops here */
#define BORG_README      "This is a Borg Backup repository"
#define WPATH_MAX        32768         /* UTF-16 units of a \\?\ path */
#define SHOWN_MAX        4096          /* a path as shown, UTF-16 units */
#define EPOCH_DIFF       11644473600LL /* seconds from 1601 to 1970 */

#define SERVICES_KEY L"SYSTEM\\CurrentControlSet\\Services\\"
#define FH_CONFIGS   L"SYSTEM\\CurrentControlSet\\Services\\fhsvc\\Parameters\\Configs"
#define FH_POLICY    L"SOFTWARE\\Policies\\Microsoft\\Windows\\FileHistory"
#define FH_USER      L"\\Software\\Microsoft\\Windows\\CurrentVersion\\FileHistory"
#define WB_KEY       L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsBackup"

/* A path being walked: \\?\-prefixed, grown and cut back in place. */
struct wpath {
        wchar_t s[WPATH_MAX];
        size_t n;
};

struct item {
        wchar_t wname[MAX_PATH];
        char name[256];
        struct timespec mtime;
        long long size;
        bool have;
};

struct listing {
        struct item files[2], dirs[2]; /* newest first */
        size_t nfiles, ndirs;
        bool bound; /* TOP_MAX reached */
};

struct walk {
        unsigned long long bytes;
        size_t entries;
        ULONGLONG deadline; /* GetTickCount64, ms */
        const char *bound;  /* "entries", "depth" or "time" when one was reached */
};

/* ---- paths ------------------------------------------------------------ */

/* Appends "\name"; false when it would not fit. */
static bool wpath_push(struct wpath *p, const wchar_t *name)
{
        size_t len = wcslen(name);

        if (p->n + 1 + len >= WPATH_MAX)
                return false;
        if (p->n == 0 || p->s[p->n - 1] != L'\\') /* "D:\" already ends with one */
                p->s[p->n++] = L'\\';
        memcpy(p->s + p->n, name, (len + 1) * sizeof(wchar_t));
        p->n += len;
        return true;
}

static void wpath_cut(struct wpath *p, size_t n)
{
        p->n = n;
        p->s[n] = L'\0';
}

/* The policy's path (UTF-8, "D:\x", "D:/x" or "\\server\share\x") as an
 * absolute \\?\ path in p. -EINVAL when it is none of these. */
static int wpath_from_policy(struct wpath *p, const char *path)
{
        wchar_t *w = win_wide(path), full[SHOWN_MAX];
        DWORD n;
        bool unc;

        if (!w)
                return -EINVAL;
        for (wchar_t *c = w; *c; c++)
                if (*c == L'/')
                        *c = L'\\';
        unc =
            w[0] == L'\\' && w[1] == L'\\' && w[2] && w[2] != L'\\' && w[2] != L'?' && w[2] != L'.';
        if (!unc &&
            !(((w[0] | 0x20) >= L'a' && (w[0] | 0x20) <= L'z') && w[1] == L':' && w[2] == L'\\')) {
                free(w);
                return -EINVAL;
        }
        /* Folds "." and "..", which a \\?\ path does not. */
        n = GetFullPathNameW(w, SHOWN_MAX, full, NULL);
        free(w);
        if (n == 0 || n >= SHOWN_MAX)
                return -EINVAL;
        while (n > 3 && full[n - 1] == L'\\')
                full[--n] = L'\0';
        p->n = (size_t)swprintf(p->s, WPATH_MAX, unc ? L"\\\\?\\UNC\\%ls" : L"\\\\?\\%ls",
                                unc ? full + 2 : full);
        return 0;
}

/* A \\?\ path as people write it, UTF-8: "D:\x", "\\server\share\x". */
static const char *wpath_display(const wchar_t *w, char *buf, size_t size)
{
        if (wcsncmp(w, L"\\\\?\\UNC\\", 8) == 0 && size > 2) {
                buf[0] = buf[1] = '\\';
                win_utf8_buf(w + 8, buf + 2, size - 2);
                return buf;
        }
        return win_utf8_buf(wcsncmp(w, L"\\\\?\\", 4) == 0 ? w + 4 : w, buf, size);
}

/* ---- times and entries ---------------------------------------------------- */

static ULONGLONG monotonic_ms(void)
{
        return GetTickCount64();
}

static struct timespec filetime_ts(FILETIME ft)
{
        unsigned long long t = (unsigned long long)ft.dwHighDateTime << 32 | ft.dwLowDateTime;
        struct timespec ts = { .tv_sec = (time_t)((long long)(t / 10000000) - EPOCH_DIFF),
                               .tv_nsec = (long)(t % 10000000) * 100 };

        return ts;
}

static bool dots(const wchar_t *name)
{
        return name[0] == L'.' && (!name[1] || (name[1] == L'.' && !name[2]));
}

/* A symbolic link or junction: a name standing for another. A reparse
 * point without its tag (wine gives none) is taken for one too; cloud and
 * deduplicated files carry tags that are not name surrogates. */
static bool is_link(const WIN32_FIND_DATAW *fd)
{
        return (fd->dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) &&
               (fd->dwReserved0 == 0 || IsReparseTagNameSurrogate(fd->dwReserved0));
}

/* What a backup folder's top holds besides backups: the volume's own
 * folders, Explorer's files and hidden system files. */
static bool ignored(const WIN32_FIND_DATAW *fd)
{
        static const wchar_t *const names[] = { L"$RECYCLE.BIN", L"System Volume Information",
                                                L"desktop.ini", L"Thumbs.db" };
        DWORD hs = FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM;

        if (fd->cFileName[0] == L'.' || (fd->dwFileAttributes & hs) == hs)
                return true;
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
                if (_wcsicmp(fd->cFileName, names[i]) == 0)
                        return true;
        return false;
}

static long long fd_size(const WIN32_FIND_DATAW *fd)
{
        unsigned long long n = (unsigned long long)fd->nFileSizeHigh << 32 | fd->nFileSizeLow;

        return n > (unsigned long long)LLONG_MAX ? LLONG_MAX : (long long)n;
}

static void set_item(struct item *it, const WIN32_FIND_DATAW *fd)
{
        memset(it, 0, sizeof(*it));
        it->have = true;
        wcsncpy(it->wname, fd->cFileName, MAX_PATH - 1);
        win_utf8_buf(fd->cFileName, it->name, sizeof(it->name));
        it->mtime = filetime_ts(fd->ftLastWriteTime);
        it->size = fd_size(fd);
}

static bool newer(const struct item *a, const struct item *b)
{
        if (!b->have)
                return true;
        if (a->mtime.tv_sec != b->mtime.tv_sec)
                return a->mtime.tv_sec > b->mtime.tv_sec;
        if (a->mtime.tv_nsec != b->mtime.tv_nsec)
                return a->mtime.tv_nsec > b->mtime.tv_nsec;
        return strcmp(a->name, b->name) > 0;
}

static void keep_two(struct item best[2], const struct item *it)
{
        if (newer(it, &best[0])) {
                best[1] = best[0];
                best[0] = *it;
        } else if (newer(it, &best[1])) {
                best[1] = *it;
        }
}

/* Opens a listing of the directory p; p is left as it was. */
static HANDLE find_first(struct wpath *p, WIN32_FIND_DATAW *fd)
{
        size_t n = p->n;
        HANDLE h;

        if (!wpath_push(p, L"*"))
                return INVALID_HANDLE_VALUE;
        h = FindFirstFileExW(p->s, FindExInfoBasic, fd, FindExSearchNameMatch, NULL,
                             FIND_FIRST_EX_LARGE_FETCH);
        wpath_cut(p, n);
        return h;
}

static DWORD attributes(struct wpath *p, const wchar_t *name)
{
        size_t n = p->n;
        DWORD a = wpath_push(p, name) ? GetFileAttributesW(p->s) : INVALID_FILE_ATTRIBUTES;

        wpath_cut(p, n);
        return a;
}

/* A file or directory (type) of that name in p, not a reparse point. */
static bool is_type(struct wpath *p, const wchar_t *name, bool dir)
{
        DWORD a = attributes(p, name);

        return a != INVALID_FILE_ATTRIBUTES && !(a & FILE_ATTRIBUTE_REPARSE_POINT) &&
               !!(a & FILE_ATTRIBUTE_DIRECTORY) == dir;
}

/* ---- listing and walking ----------------------------------------------- */

/* 0, or the Win32 error that kept p from being listed. */
static DWORD list_dir(struct wpath *p, struct listing *l)
{
        WIN32_FIND_DATAW fd;
        HANDLE h = find_first(p, &fd);
        size_t n = 0;
        DWORD e;

        memset(l, 0, sizeof(*l));
        if (h == INVALID_HANDLE_VALUE) {
                e = GetLastError();
                /* A drive's root has no "." entry: empty, not an error. */
                return e == ERROR_FILE_NOT_FOUND ? 0 : e ? e : ERROR_GEN_FAILURE;
        }
        do {
                struct item it;

                if (dots(fd.cFileName) || ignored(&fd))
                        continue;
                if (++n > TOP_MAX) {
                        l->bound = true;
                        break;
                }
                if (is_link(&fd))
                        continue;
                set_item(&it, &fd);
                if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) {
                        it.size = -1;
                        l->ndirs++;
                        keep_two(l->dirs, &it);
                } else {
                        l->nfiles++;
                        keep_two(l->files, &it);
                }
        } while (FindNextFileW(h, &fd));
        FindClose(h);
        return 0;
}

/* Sums the sizes of the files under p. */
static void walk_dir(struct wpath *p, unsigned depth, struct walk *w)
{
        WIN32_FIND_DATAW fd;
        HANDLE h = find_first(p, &fd);

        if (h == INVALID_HANDLE_VALUE)
                return;
        do {
                unsigned long long size;
                size_t n;

                if (dots(fd.cFileName))
                        continue;
                if (w->entries >= WALK_MAX_ENTRIES)
                        w->bound = "entries";
                else if (w->entries % 1024 == 1023 && monotonic_ms() >= w->deadline)
                        w->bound = "time";
                if (w->bound && strcmp(w->bound, "depth") != 0)
                        break;
                w->entries++;
                if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) {
                        /* Junctions, links, mounted volumes and cloud folders:
                         * another place, or one that would be fetched. */
                        if (fd.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT)
                                continue;
                        n = p->n;
                        if (depth + 1 >= WALK_MAX_DEPTH || !wpath_push(p, fd.cFileName)) {
                                w->bound = "depth";
                                continue;
                        }
                        walk_dir(p, depth + 1, w);
                        wpath_cut(p, n);
                        continue;
                }
                if (is_link(&fd))
                        continue;
                /* Sparse files may claim up to 2^63 bytes each: saturate. */
                size = (unsigned long long)fd_size(&fd);
                if (size > (unsigned long long)LLONG_MAX - w->bytes)
                        w->bytes = LLONG_MAX;
                else
                        w->bytes += size;
        } while (FindNextFileW(h, &fd));
        FindClose(h);
}

/* The first bytes of a small regular file of p, NUL-terminated; "" when
 * unreadable. */
static void read_head(struct wpath *p, const wchar_t *name, char *buf, size_t size)
{
        size_t n0 = p->n;
        HANDLE h = INVALID_HANDLE_VALUE;
        DWORD got = 0;

        buf[0] = '\0';
        if (is_type(p, name, false) && wpath_push(p, name))
                h = CreateFileW(p->s, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                                OPEN_EXISTING, FILE_FLAG_OPEN_REPARSE_POINT, NULL);
        wpath_cut(p, n0);
        if (h == INVALID_HANDLE_VALUE)
                return;
        if (ReadFile(h, buf, (DWORD)(size - 1), &got, NULL))
                buf[got] = '\0';
        CloseHandle(h);
}

static json_t *item_json(const struct item *it, bool with_size)
{
        char when[32];
        json_t *o = json_pack("{s:o, s:s, s:I}", "name", facts_string(it->name), "time",
                              util_iso8601(it->mtime.tv_sec, when, sizeof(when)), "mtime",
                              (json_int_t)it->mtime.tv_sec);

        if (o && with_size && it->size >= 0)
                json_object_set_new(o, "size", json_integer(it->size));
        return o;
}

/* ---- restic and borg ----------------------------------------------------- */

static bool restic_layout(struct wpath *p)
{
        static const wchar_t *const dirs[] = { L"data", L"index", L"keys", L"snapshots" };

        if (!is_type(p, L"config", false))
                return false;
        for (size_t i = 0; i < 4; i++)
                if (!is_type(p, dirs[i], true))
                        return false;
        return true;
}

static void restic_scan(struct wpath *p, json_t *job)
{
        struct listing l;
        size_t n = p->n;
        bool ok = wpath_push(p, L"snapshots") && list_dir(p, &l) == 0 && l.files[0].have;

        wpath_cut(p, n);
        json_object_set_new(job, "kind", json_string("restic"));
        json_object_set_new(job, "decided_by",
                            json_string("restic repository: config, data/, index/, keys/ and "
                                        "snapshots/; the newest snapshot is the newest file in "
                                        "snapshots/"));
        json_object_set_new(job, "size_note",
                            json_string("restic encrypts its repository: the size of one backup "
                                        "is not available"));
        if (!ok) {
                json_object_set_new(job, "kind", json_string("empty"));
                json_object_set_new(job, "decided_by",
                                    json_string("restic repository without any snapshot"));
                return;
        }
        json_object_set_new(job, "count", json_integer((json_int_t)l.nfiles));
        json_object_set_new(job, "newest", item_json(&l.files[0], false));
        if (l.files[1].have)
                json_object_set_new(job, "previous", item_json(&l.files[1], false));
        if (l.bound)
                json_object_set_new(job, "list_bound_reached", json_true());
}

static bool borg_layout(struct wpath *p)
{
        char head[sizeof(BORG_README)], config[4096];

        read_head(p, L"README", head, sizeof(head));
        if (strcmp(head, BORG_README) != 0)
                return false;
        read_head(p, L"config", config, sizeof(config));
        for (const char *line = config; line; line = strchr(line, '\n')) {
                line += *line == '\n';
                if (strncmp(line, "[repository]", 12) == 0)
                        return true;
        }
        return false;
}

/* "index.N" and "N" names: N, or -1. */
static long long numbered(const wchar_t *name, const wchar_t *prefix)
{
        size_t n = wcslen(prefix);
        long long v = 0;

        if (wcsncmp(name, prefix, n) != 0 || !name[n] || wcslen(name + n) > 18)
                return -1;
        for (const wchar_t *c = name + n; *c; c++) {
                if (*c < L'0' || *c > L'9')
                        return -1;
                v = v * 10 + (*c - L'0');
        }
        return v;
}

/* The highest-numbered entry of p named prefix+N; -1 when none. */
static long long highest(struct wpath *p, const wchar_t *prefix, struct item *it)
{
        WIN32_FIND_DATAW fd;
        HANDLE h = find_first(p, &fd);
        long long best = -1, v;
        size_t n = 0;

        if (h == INVALID_HANDLE_VALUE)
                return -1;
        do {
                if (++n > TOP_MAX)
                        break;
                v = numbered(fd.cFileName, prefix);
                if (v <= best || is_link(&fd))
                        continue;
                best = v;
                set_item(it, &fd);
                it->size = -1;
        } while (FindNextFileW(h, &fd));
        FindClose(h);
        return best;
}

static void borg_scan(struct wpath *p, json_t *job)
{
        struct item index = { 0 }, dir = { 0 }, segment = { 0 };
        long long txn = highest(p, L"index.", &index);
        size_t n = p->n;

        json_object_set_new(job, "kind", json_string("borg"));
        json_object_set_new(job, "decided_by",
                            json_string("borg repository: README and config [repository]; the "
                                        "last transaction is the newest index.N or data segment"));
        json_object_set_new(job, "size_note",
                            json_string("borg deduplicates and encrypts its segments: the size of "
                                        "one backup is not available"));
        if (wpath_push(p, L"data") && highest(p, L"", &dir) >= 0 && wpath_push(p, dir.wname))
                highest(p, L"", &segment);
        wpath_cut(p, n);
        if (txn < 0 && !segment.have) {
                json_object_set_new(job, "kind", json_string("empty"));
                json_object_set_new(job, "decided_by",
                                    json_string("borg repository without index or segment"));
                return;
        }
        if (txn >= 0)
                json_object_set_new(job, "transaction", json_integer(txn));
        if (segment.have) {
                char name[600];

                snprintf(name, sizeof(name), "data/%s/%s", dir.name, segment.name);
                snprintf(segment.name, sizeof(segment.name), "%s", name);
        }
        json_object_set_new(
            job, "newest",
            item_json(!segment.have || (index.have && newer(&index, &segment)) ? &index : &segment,
                      false));
}

/* ---- plain files and snapshot folders ------------------------------------ */

/* 0, or the Win32 error that kept p from being listed (kind "error"). */
static DWORD files_scan(struct wpath *p, json_t *job)
{
        struct listing l;
        bool dirs, reached = false;
        char why[160];
        const struct item *best;
        DWORD e = list_dir(p, &l);

        if (e) {
                json_object_set_new(job, "kind", json_string("error"));
                return e;
        }
        if (l.bound)
                json_object_set_new(job, "list_bound_reached", json_true());
        if (!l.nfiles && !l.ndirs) {
                json_object_set_new(job, "kind", json_string("empty"));
                json_object_set_new(job, "decided_by",
                                    json_string("no file or directory under the path"));
                return 0;
        }
        dirs = l.ndirs > l.nfiles;
        snprintf(why, sizeof(why), "%zu files and %zu directories at the top: %s", l.nfiles,
                 l.ndirs,
                 dirs ? "the newest directory is the newest backup"
                      : "the newest file is the newest backup");
        json_object_set_new(job, "kind", json_string(dirs ? "dirs" : "files"));
        json_object_set_new(job, "decided_by", json_string(why));
        json_object_set_new(job, "count", json_integer((json_int_t)(dirs ? l.ndirs : l.nfiles)));
        best = dirs ? l.dirs : l.files;
        if (!dirs) {
                json_object_set_new(job, "newest", item_json(&best[0], true));
                if (best[1].have)
                        json_object_set_new(job, "previous", item_json(&best[1], true));
                return 0;
        }
        for (int i = 0; i < 2 && best[i].have; i++) {
                struct item it = best[i];
                struct walk w = { .deadline = monotonic_ms() + WALK_MAX_SECONDS * 1000ULL };
                size_t n = p->n;
                bool opened = wpath_push(p, it.wname);
                json_t *o;

                if (opened)
                        walk_dir(p, 0, &w);
                wpath_cut(p, n);
                it.size = (long long)w.bytes;
                o = item_json(&it, true);
                json_object_set_new(o, "size_complete", json_boolean(opened && !w.bound));
                json_object_set_new(o, "entries", json_integer((json_int_t)w.entries));
                if (w.bound)
                        json_object_set_new(o, "bound", json_string(w.bound));
                json_object_set_new(job, i == 0 ? "newest" : "previous", o);
                reached = reached || w.bound;
        }
        json_object_set_new(job, "walk",
                            json_pack("{s:i, s:i, s:i, s:b}", "max_depth", WALK_MAX_DEPTH,
                                      "max_entries", WALK_MAX_ENTRIES, "max_seconds",
                                      WALK_MAX_SECONDS, "bound_reached", reached));
        return 0;
}

/* ---- where a path lives ------------------------------------------------- */

static void set_str(json_t *o, const char *key, const char *v)
{
        if (v && *v)
                json_object_set_new(o, key, facts_string(v));
}

static const char *bus_name(STORAGE_BUS_TYPE t)
{
        switch (t) {
        case BusTypeUsb:
                return "usb";
        case BusTypeSata:
                return "sata";
        case BusTypeAta:
                return "ata";
        case BusTypeNvme:
                return "nvme";
        case BusTypeScsi:
                return "scsi";
        case BusTypeSas:
                return "sas";
        case BusTypeRAID:
                return "raid";
        case BusTypeiScsi:
                return "iscsi";
        case BusTypeSd:
                return "sd";
        case BusTypeMmc:
                return "mmc";
        case BusType1394:
                return "1394";
        case BusTypeVirtual:
                return "virtual";
        case BusTypeFileBackedVirtual:
                return "vhd";
        case BusTypeSpaces:
                return "spaces";
        default:
                return NULL;
        }
}

/* The bus and the physical disk of a volume (\\.\X: or \\?\Volume{...},
 * without a final backslash), asked with no access right so that no
 * administrator is needed. */
static void volume_disk(const wchar_t *device, json_t *o)
{
        STORAGE_PROPERTY_QUERY q = { .PropertyId = StorageDeviceProperty,
                                     .QueryType = PropertyStandardQuery };
        union {
                STORAGE_DEVICE_DESCRIPTOR d;
                VOLUME_DISK_EXTENTS x;
                unsigned char raw[1024];
        } buf;
        DWORD got;
        HANDLE h = CreateFileW(device, 0, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                               0, NULL);

        if (h == INVALID_HANDLE_VALUE)
                return;
        if (DeviceIoControl(h, IOCTL_STORAGE_QUERY_PROPERTY, &q, sizeof(q), &buf, sizeof(buf), &got,
                            NULL) &&
            got >= offsetof(STORAGE_DEVICE_DESCRIPTOR, BusType) + sizeof(buf.d.BusType)) {
                set_str(o, "bus", bus_name(buf.d.BusType));
                json_object_set_new(o, "usb", json_boolean(buf.d.BusType == BusTypeUsb));
                if (buf.d.RemovableMedia)
                        json_object_set_new(o, "removable", json_true());
        }
        if (DeviceIoControl(h, IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS, NULL, 0, &buf, sizeof(buf),
                            &got, NULL) &&
            buf.x.NumberOfDiskExtents >= 1) {
                char disk[32];

                snprintf(disk, sizeof(disk), "PhysicalDrive%lu",
                         (unsigned long)buf.x.Extents[0].DiskNumber);
                json_object_set_new(o, "disk", json_string(disk));
                if (buf.x.NumberOfDiskExtents > 1)
                        json_object_set_new(o, "disks_spanned",
                                            json_integer(buf.x.NumberOfDiskExtents));
        }
        CloseHandle(h);
}

/* "smb", or "webdav" for the WebClient's \\host@SSL\DavWWWRoot forms. */
static const char *share_fstype(const char *unc)
{
        return strstr(unc, "@SSL") || strstr(unc, "DavWWWRoot") ? "webdav" : "smb";
}

/* "\\server\share" of a UNC path, UTF-8. */
static void unc_share(const char *unc, char *buf, size_t size)
{
        const char *server_end = strchr(unc + 2, '\\');
        const char *share_end = server_end ? strchr(server_end + 1, '\\') : NULL;
        size_t n = share_end ? (size_t)(share_end - unc) : strlen(unc);

        snprintf(buf, size, "%.*s", (int)n, unc);
}

/* A new object describing where the display path lives, in the keys of
 * collectors/linux/backup_place.h: {mount, device, fstype, source, network,
 * disk, removable, usb, decided_from}, and "bus" and "drive_type". Unknown
 * keys are left out. NULL without memory. */
static json_t *place_describe(const char *path)
{
        static const char *const types[] = { "unknown", "none",  "removable", "fixed",
                                             "remote",  "cdrom", "ramdisk" };
        json_t *o = json_object();
        wchar_t *w = win_wide(path), root[MAX_PATH + 1], volume[64], fs[32];
        char share[MAX_PATH * 3], where[MAX_PATH * 3];
        UINT type;

        if (!o || !w) {
                free(w);
                return o;
        }
        if (path[0] == '\\' && path[1] == '\\') {
                unc_share(path, share, sizeof(share));
                json_object_set_new(o, "mount", facts_string(share));
                json_object_set_new(o, "device", facts_string(share));
                json_object_set_new(o, "source", facts_string(share));
                json_object_set_new(o, "fstype", json_string(share_fstype(share)));
                json_object_set_new(o, "network", json_true());
                json_object_set_new(o, "decided_from", json_string("UNC path"));
                free(w);
                return o;
        }
        /* The volume holding the path: "D:\", or a folder a volume is
         * mounted on. A path that does not exist yet falls back to its drive. */
        if (!GetVolumePathNameW(w, root, MAX_PATH)) {
                root[0] = w[0];
                wcscpy(root + 1, L":\\");
        }
        free(w);
        type = GetDriveTypeW(root);
        json_object_set_new(o, "mount", facts_string(win_utf8_buf(root, where, sizeof(where))));
        json_object_set_new(o, "drive_type", json_string(type < 7 ? types[type] : "unknown"));
        json_object_set_new(o, "decided_from", json_string("GetDriveTypeW"));
        if (type == DRIVE_NO_ROOT_DIR || type == DRIVE_UNKNOWN)
                return o;
        if (type == DRIVE_REMOTE) {
                /* A mapped drive: the share it stands for, as this account sees it. */
                wchar_t drive[3] = { root[0], L':', L'\0' }, remote[MAX_PATH * 2];
                DWORD n = sizeof(remote) / sizeof(remote[0]);

                json_object_set_new(o, "network", json_true());
                if (WNetGetConnectionW(drive, remote, &n) == NO_ERROR) {
                        win_utf8_buf(remote, share, sizeof(share));
                        json_object_set_new(o, "source", facts_string(share));
                        json_object_set_new(o, "device", facts_string(share));
                        json_object_set_new(o, "fstype", json_string(share_fstype(share)));
                } else {
                        json_object_set_new(o, "device", facts_string(where));
                }
                return o;
        }
        json_object_set_new(o, "network", json_false());
        json_object_set_new(o, "removable",
                            json_boolean(type == DRIVE_REMOVABLE || type == DRIVE_CDROM));
        if (GetVolumeInformationW(root, NULL, 0, NULL, NULL, NULL, fs, 32)) {
                char name[64];

                win_utf8_buf(fs, name, sizeof(name));
                for (char *c = name; *c; c++)
                        *c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
                json_object_set_new(o, "fstype", json_string(name));
        }
        if (GetVolumeNameForVolumeMountPointW(root, volume, 64)) {
                size_t n = wcslen(volume);

                json_object_set_new(o, "device",
                                    facts_string(win_utf8_buf(volume, where, sizeof(where))));
                if (n > 0 && volume[n - 1] == L'\\')
                        volume[n - 1] = L'\0';
                volume_disk(volume, o);
        } else {
                wchar_t dev[8] = { L'\\', L'\\', L'.', L'\\', root[0], L':', L'\0' };

                json_object_set_new(o, "device",
                                    facts_string(win_utf8_buf(dev + 4, where, sizeof(where))));
                volume_disk(dev, o);
        }
        return o;
}

/* The final path of p once links, junctions and mapped drives are followed,
 * for display; false when it cannot be asked. */
static bool resolve(const struct wpath *p, char *buf, size_t size)
{
        wchar_t final[SHOWN_MAX];
        HANDLE h = CreateFileW(p->s, 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                               NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
        DWORD n;

        if (h == INVALID_HANDLE_VALUE)
                return false;
        n = GetFinalPathNameByHandleW(h, final, SHOWN_MAX, FILE_NAME_NORMALIZED | VOLUME_NAME_DOS);
        CloseHandle(h);
        if (n == 0 || n >= SHOWN_MAX)
                return false;
        wpath_display(final, buf, size);
        return true;
}

static bool missing_error(DWORD e)
{
        switch (e) {
        case ERROR_FILE_NOT_FOUND:
        case ERROR_PATH_NOT_FOUND:
        case ERROR_INVALID_DRIVE:
        case ERROR_NOT_READY:   /* a card reader or drive without its medium */
        case ERROR_BAD_NETPATH: /* the server, or its share, is not there */
        case ERROR_BAD_NET_NAME:
        case ERROR_BAD_DEV_TYPE: /* wine's answer for an unknown server */
        case ERROR_NETNAME_DELETED:
        case ERROR_NETWORK_UNREACHABLE:
        case ERROR_HOST_UNREACHABLE:
        case ERROR_REM_NOT_LIST:
        case ERROR_INVALID_NAME:
                return true;
        default:
                return false;
        }
}

static json_t *job_scan(const struct backup_job *jb, struct wpath *p, json_t *facts)
{
        json_t *job = json_pack("{s:o}", "path", facts_string(jb->path));
        WIN32_FILE_ATTRIBUTE_DATA fad;
        char shown[SHOWN_MAX * 3], msg[256], source[80];
        DWORD e;

        if (!job)
                return NULL;
        snprintf(source, sizeof(source), "backup:%s", jb->name);
        if (wpath_from_policy(p, jb->path) < 0) {
                facts_add_error(facts, source, jb->path, 0,
                                "not an absolute Windows path (D:\\folder or \\\\server\\share)");
                json_object_set_new(job, "kind", json_string("error"));
                return job;
        }
        if (!GetFileAttributesExW(p->s, GetFileExInfoStandard, &fad)) {
                e = GetLastError();

                if (missing_error(e)) {
                        json_object_set_new(job, "kind", json_string("missing"));
                        json_object_set_new(job, "decided_by",
                                            json_string("the path does not exist"));
                        /* Where it would be: the drive, when there is one. */
                        json_object_set_new(
                            job, "device",
                            place_describe(wpath_display(p->s, shown, sizeof(shown))));
                        return job;
                }
                facts_add_error(facts, source, jb->path, 0, "%s",
                                win_strerror(e, msg, sizeof(msg)));
                json_object_set_new(job, "kind", json_string("error"));
                return job;
        }
        if (!resolve(p, shown, sizeof(shown)))
                wpath_display(p->s, shown, sizeof(shown));
        json_object_set_new(job, "resolved", facts_string(shown));
        json_object_set_new(job, "device", place_describe(shown));
        if (!(fad.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)) {
                const char *base = strrchr(jb->path, '\\'), *slash = strrchr(jb->path, '/');
                struct item it = { .mtime = filetime_ts(fad.ftLastWriteTime),
                                   .size = (long long)((unsigned long long)fad.nFileSizeHigh << 32 |
                                                       fad.nFileSizeLow),
                                   .have = true };

                if (slash > base)
                        base = slash;
                snprintf(it.name, sizeof(it.name), "%s", base ? base + 1 : jb->path);
                json_object_set_new(job, "kind", json_string("files"));
                json_object_set_new(job, "decided_by", json_string("the path is a single file"));
                json_object_set_new(job, "count", json_integer(1));
                json_object_set_new(job, "newest", item_json(&it, true));
                return job;
        }
        if (restic_layout(p))
                restic_scan(p, job);
        else if (borg_layout(p))
                borg_scan(p, job);
        else if ((e = files_scan(p, job)) != 0)
                facts_add_error(facts, source, jb->path, 0, "%s",
                                win_strerror(e, msg, sizeof(msg)));
        return job;
}

/* ---- backup software --------------------------------------------------- */

/* {time, mtime, from} of a FILETIME Windows recorded; NULL when it is no
 * date (0, before 1970, past 2100). */
static json_t *dated(unsigned long long ft, const char *from)
{
        char when[32];
        time_t t;

        if (!filetime_to_time(ft, &t))
                return NULL;
        return json_pack("{s:s, s:I, s:s}", "time", util_iso8601(t, when, sizeof(when)), "mtime",
                         (json_int_t)t, "from", from);
}

static void set_dated(json_t *o, const char *key, unsigned long long ft, const char *from)
{
        json_t *d = dated(ft, from);

        if (d)
                json_object_set_new(o, key, d);
}

static json_t *product(const char *id, const char *name, const char *source, json_t *found_by)
{
        return json_pack("{s:s, s:o, s:s, s:o}", "id", id, "name", facts_string(name), "source",
                         source, "found_by", found_by);
}

static int value_count(HKEY root, const wchar_t *key, unsigned long *n)
{
        HKEY k;
        DWORD values = 0;

        *n = 0;
        if (RegOpenKeyExW(root, key, 0, KEY_READ | KEY_WOW64_64KEY, &k) != ERROR_SUCCESS)
                return -ENOENT;
        if (RegQueryInfoKeyW(k, NULL, NULL, NULL, NULL, NULL, NULL, &values, NULL, NULL, NULL,
                             NULL) == ERROR_SUCCESS)
                *n = values;
        RegCloseKey(k);
        return 0;
}

struct fh_users {
        unsigned long long newest; /* FILETIME */
        char from[300];
};

static int fh_user(const char *sid, void *arg)
{
        struct fh_users *u = arg;
        wchar_t key[512], *wsid;
        unsigned long long t;
        size_t n = strlen(sid);

        /* Users' hives only, not their _Classes halves or service accounts. */
        if (strncmp(sid, "S-1-5-21-", 9) != 0 || (n > 8 && strcmp(sid + n - 8, "_Classes") == 0))
                return 0;
        wsid = win_wide(sid);
        if (!wsid)
                return 0;
        swprintf(key, 512, L"%ls%ls", wsid, FH_USER);
        free(wsid);
        if (reg_qword(HKEY_USERS, key, L"ProtectedUpToTime", &t) == 0 && t > u->newest) {
                u->newest = t;
                snprintf(u->from, sizeof(u->from),
                         "HKU\\%s\\Software\\Microsoft\\Windows\\CurrentVersion\\FileHistory\\"
                         "ProtectedUpToTime",
                         sid);
        }
        return 0;
}

/* File History: users registered with its service (machine-wide), and the
 * time each logged-on user's files are protected up to (their own hive). */
static void file_history(json_t *products)
{
        struct fh_users u = { 0 };
        unsigned long configs = 0, disabled = 0;
        json_t *found = json_array(), *p;
        char where[300];

        if (value_count(HKEY_LOCAL_MACHINE, FH_CONFIGS, &configs) == 0 && configs > 0) {
                snprintf(where, sizeof(where),
                         "HKLM\\SYSTEM\\CurrentControlSet\\Services\\fhsvc\\Parameters\\Configs "
                         "(%lu user%s)",
                         configs, configs > 1 ? "s" : "");
                json_array_append_new(found, json_string(where));
        }
        reg_subkeys(HKEY_USERS, L"", fh_user, &u);
        if (u.newest)
                json_array_append_new(found, json_string(u.from));
        if (json_array_size(found) == 0) {
                json_decref(found);
                return;
        }
        p = product("file-history", "File History", "windows", found);
        json_object_set_new(p, "configured_users", json_integer((json_int_t)configs));
        if (reg_dword(HKEY_LOCAL_MACHINE, FH_POLICY, L"Disabled", &disabled) == 0 && disabled)
                json_object_set_new(p, "disabled_by_policy", json_true());
        set_dated(p, "last_success", u.newest, u.from);
        if (!json_object_get(p, "last_success"))
                json_object_set_new(p, "last_success_note",
                                    json_string("File History keeps the time of its last backup "
                                                "in each user's registry, readable only while "
                                                "that user is logged on"));
        json_array_append_new(products, p);
}

/* Windows Backup ("Backup and Restore (Windows 7)", sdclt): its schedule's
 * target and the status it keeps under WindowsBackup\Status. */
static void windows_backup(json_t *products)
{
        static const wchar_t target_key[] = WB_KEY L"\\ScheduleParams\\TargetDevice";
        static const wchar_t status_key[] = WB_KEY L"\\Status";
        json_t *found = json_array(), *p;
        unsigned long long success = 0, result = 0;
        unsigned long code;
        char target[512] = "";

        if (reg_key_exists(HKEY_LOCAL_MACHINE, target_key)) {
                json_array_append_new(found, json_string("HKLM\\SOFTWARE\\Microsoft\\Windows\\"
                                                         "CurrentVersion\\WindowsBackup\\"
                                                         "ScheduleParams\\TargetDevice"));
                reg_string(HKEY_LOCAL_MACHINE, target_key, L"PresentableName", target,
                           sizeof(target));
        }
        reg_qword(HKEY_LOCAL_MACHINE, status_key, L"LastSuccess", &success);
        reg_qword(HKEY_LOCAL_MACHINE, status_key, L"LastResultTime", &result);
        if (success || result)
                json_array_append_new(found, json_string("HKLM\\SOFTWARE\\Microsoft\\Windows\\"
                                                         "CurrentVersion\\WindowsBackup\\Status"));
        if (json_array_size(found) == 0) {
                json_decref(found);
                return;
        }
        p = product("windows-backup", "Windows Backup (Backup and Restore)", "windows", found);
        set_str(p, "target", target);
        set_dated(p, "last_success", success,
                  "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsBackup\\Status\\"
                  "LastSuccess");
        set_dated(p, "last_result", result,
                  "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsBackup\\Status\\"
                  "LastResultTime");
        /* 0 is success; Windows records LastSuccess for it and for 12. */
        if (json_object_get(p, "last_result") &&
            reg_dword(HKEY_LOCAL_MACHINE, status_key, L"LastResultCode", &code) == 0)
                json_object_set_new(json_object_get(p, "last_result"), "code",
                                    json_integer((json_int_t)code));
        json_array_append_new(products, p);
}

typedef EVT_HANDLE(WINAPI *evt_query_fn)(EVT_HANDLE, LPCWSTR, LPCWSTR, DWORD);
typedef BOOL(WINAPI *evt_next_fn)(EVT_HANDLE, DWORD, EVT_HANDLE *, DWORD, DWORD, PDWORD);
typedef EVT_HANDLE(WINAPI *evt_context_fn)(DWORD, LPCWSTR *, DWORD);
typedef BOOL(WINAPI *evt_render_fn)(EVT_HANDLE, EVT_HANDLE, DWORD, DWORD, PVOID, PDWORD, PDWORD);
typedef BOOL(WINAPI *evt_close_fn)(EVT_HANDLE);

/* The time of the newest event id in the channel, FILETIME; 0 when none or
 * when the event log cannot be asked. wevtapi.dll is loaded here so that
 * the agent still starts where it is missing. */
static unsigned long long newest_event(const wchar_t *channel, unsigned id)
{
        HMODULE dll = LoadLibraryExW(L"wevtapi.dll", NULL, LOAD_LIBRARY_SEARCH_SYSTEM32);
        evt_query_fn query;
        evt_next_fn next;
        evt_context_fn context;
        evt_render_fn render;
        evt_close_fn close_;
        EVT_HANDLE q = NULL, ev = NULL, ctx = NULL;
        unsigned long long t = 0;
        wchar_t xpath[64];
        DWORD got = 0, used = 0, count = 0;
        EVT_VARIANT *values = NULL;

        if (!dll)
                return 0;
        query = (evt_query_fn)(void (*)(void))GetProcAddress(dll, "EvtQuery");
        next = (evt_next_fn)(void (*)(void))GetProcAddress(dll, "EvtNext");
        context = (evt_context_fn)(void (*)(void))GetProcAddress(dll, "EvtCreateRenderContext");
        render = (evt_render_fn)(void (*)(void))GetProcAddress(dll, "EvtRender");
        close_ = (evt_close_fn)(void (*)(void))GetProcAddress(dll, "EvtClose");
        if (!query || !next || !context || !render || !close_)
                goto out;
        swprintf(xpath, 64, L"*[System[(EventID=%u)]]", id);
        q = query(NULL, channel, xpath, EvtQueryChannelPath | EvtQueryReverseDirection);
        if (!q || !next(q, 1, &ev, 2000, 0, &got) || got != 1)
                goto out;
        ctx = context(0, NULL, EvtRenderContextSystem);
        /* First the size the values and their strings need, then them. */
        if (!ctx || render(ctx, ev, EvtRenderEventValues, 0, NULL, &used, &count) ||
            GetLastError() != ERROR_INSUFFICIENT_BUFFER || used > 1 << 20 ||
            !(values = malloc(used)))
                goto out;
        if (render(ctx, ev, EvtRenderEventValues, used, values, &used, &count) &&
            count > EvtSystemTimeCreated && values[EvtSystemTimeCreated].Type == EvtVarTypeFileTime)
                t = values[EvtSystemTimeCreated].FileTimeVal;
out:
        free(values);
        if (ctx)
                close_(ctx);
        if (ev)
                close_(ev);
        if (q)
                close_(q);
        FreeLibrary(dll);
        return t;
}

/* wbengine (Windows Server Backup, and system images of Backup and
 * Restore): event 4 of Microsoft-Windows-Backup, "the backup operation has
 * finished successfully", is its last success. */
static void wbengine(json_t *products)
{
        static const char from[] = "event log Microsoft-Windows-Backup, event 4";
        unsigned long long t = newest_event(L"Microsoft-Windows-Backup", 4);
        json_t *p;

        if (!t)
                return;
        p = product("windows-server-backup", "Windows Server Backup (wbengine)", "windows",
                    json_pack("[s]", from));
        set_dated(p, "last_success", t, from);
        json_array_append_new(products, p);
}

static int load_table(struct backup_products *t, struct error *e, char *path, size_t size)
{
        char *text = NULL;
        int rc = paths_read_data("backup-products.conf", 1 << 20, &text, path, size);

        if (rc < 0) {
                error_set(e, path, 0, "cannot read: %s", strerror(-rc));
                return rc;
        }
        rc = backup_products_parse(text, path, t, e);
        free(text);
        return rc;
}

/* A table path with its %Variable% expanded for this process, into buf;
 * false when it does not expand. */
static bool expand(const char *path, wchar_t *buf, DWORD size)
{
        wchar_t *w = win_wide(path);
        DWORD n = w ? ExpandEnvironmentStringsW(w, buf, size) : 0;

        free(w);
        return n > 0 && n <= size && !wcschr(buf, L'%');
}

static void third_party(const struct backup_product *bp, json_t *products)
{
        json_t *found = json_array();
        wchar_t w[MAX_PATH * 2], *name;
        char where[MAX_PATH * 3 + 32];

        for (size_t i = 0; i < bp->nservices; i++) {
                name = win_wide(bp->services[i]);
                if (name && swprintf(w, MAX_PATH * 2, L"%ls%ls", SERVICES_KEY, name) > 0 &&
                    reg_key_exists(HKEY_LOCAL_MACHINE, w)) {
                        snprintf(where, sizeof(where), "service %s", bp->services[i]);
                        json_array_append_new(found, facts_string(where));
                }
                free(name);
        }
        for (size_t i = 0; i < bp->npaths; i++) {
                DWORD a;

                if (!expand(bp->paths[i], w, MAX_PATH * 2))
                        continue;
                a = GetFileAttributesW(w);
                if (a != INVALID_FILE_ATTRIBUTES && (a & FILE_ATTRIBUTE_DIRECTORY))
                        json_array_append_new(found,
                                              facts_string(win_utf8_buf(w, where, sizeof(where))));
        }
        for (size_t i = 0; i < bp->nkeys; i++) {
                name = win_wide(bp->keys[i]);
                if (name && reg_key_exists(HKEY_LOCAL_MACHINE, name)) {
                        snprintf(where, sizeof(where), "HKLM\\%s", bp->keys[i]);
                        json_array_append_new(found, facts_string(where));
                }
                free(name);
        }
        if (json_array_size(found) == 0) {
                json_decref(found);
                return;
        }
        json_array_append_new(products, product(bp->id, bp->name, "backup-products.conf", found));
}

static void products_collect(json_t *facts)
{
        struct backup_products *table = malloc(sizeof(*table));
        json_t *products = json_array();
        char path[MAX_PATH * 3];
        struct error e;

        file_history(products);
        windows_backup(products);
        wbengine(products);
        if (table && load_table(table, &e, path, sizeof(path)) == 0)
                for (size_t i = 0; i < table->n; i++)
                        third_party(&table->v[i], products);
        else if (table)
                facts_add_error(facts, "backup-products", e.file, e.line, "%s", e.msg);
        free(table);
        json_object_set_new(facts, "products", products);
}

int backup_collect(const struct collect_ctx *ctx, json_t *facts)
{
        const struct policy *pol = ctx->policy;
        struct wpath *p = malloc(sizeof(*p));
        wchar_t windir[MAX_PATH];
        char shown[MAX_PATH * 3];
        json_t *jobs;

        if (!p)
                return -ENOMEM;
        json_object_set_new(facts, "platform", json_string("windows"));
        json_object_set_new(facts, "mounts_from", json_string("windows-volumes"));
        if (GetSystemWindowsDirectoryW(windir, MAX_PATH))
                json_object_set_new(facts, "system",
                                    place_describe(win_utf8_buf(windir, shown, sizeof(shown))));
        jobs = json_object();
        for (size_t i = 0; i < pol->njobs; i++)
                json_object_set_new(jobs, pol->jobs[i].name, job_scan(&pol->jobs[i], p, facts));
        json_object_set_new(facts, "jobs", jobs);
        free(p);
        products_collect(facts);
        return 0;
}
