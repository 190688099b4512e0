/* spool.c - reports kept on disk, one file each, until delivered.
 *
 * An entry is "<seq: 20 digits>-<families: 2 hex digits>.report", so names
 * sort as seqs do and carry the metadata. A put writes ".tmp-<seq>", syncs
 * it, renames it (never over an existing name: renameat2 RENAME_NOREPLACE,
 * which ext4, xfs, btrfs and tmpfs have) and syncs the directory. The index
 * is an array sorted by seq, built by scanning the directory on open. Every
 * file access is relative to the directory fd and follows no link. Reports
 * the collector refused for good go, under the same names, to refused/. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spool.h"

#define ENTRY_NAME_LEN 30 /* 20 digits, '-', 2 hex digits, ".report" */
#define TMP_PREFIX     ".tmp-"

struct item {
        uint64_t seq;
        uint64_t bytes;
        unsigned families;
        bool keep; /* scratch for spool_evict */
};

struct spool {
        int dirfd;
        char path[PATH_MAX]; /* as given, for messages */
        uint64_t max_bytes;
        struct item *items; /* sorted by seq, then families */
        size_t n, cap;
        uint64_t bytes;
        uint64_t evicted;
};

static void entry_name(char *buf, size_t size, uint64_t seq, unsigned families)
{
        snprintf(buf, size, "%020" PRIu64 "-%02x.report", seq, families);
}

/* True when name (at most size bytes) is an entry name; fills seq, families. */
static bool entry_parse(const char *name, size_t size, uint64_t *seq, unsigned *families)
{
        uint64_t v = 0;
        unsigned f = 0;

        if (strnlen(name, size) != ENTRY_NAME_LEN || name[20] != '-' ||
            memcmp(name + 23, ".report", 7) != 0)
                return false;
        for (int i = 0; i < 20; i++) {
                unsigned d = (unsigned)(name[i] - '0');

                if (d > 9 || v > (UINT64_MAX - d) / 10)
                        return false;
                v = v * 10 + d;
        }
        for (int i = 21; i < 23; i++) {
                char c = name[i];

                if (c >= '0' && c <= '9')
                        f = f * 16 + (unsigned)(c - '0');
                else if (c >= 'a' && c <= 'f')
                        f = f * 16 + (unsigned)(c - 'a' + 10);
                else
                        return false;
        }
        if (v == 0 || (f & ~SPOOL_FAMILIES))
                return false;
        *seq = v;
        *families = f;
        return true;
}

static int item_cmp(const void *a, const void *b)
{
        const struct item *x = a, *y = b;

        if (x->seq != y->seq)
                return x->seq < y->seq ? -1 : 1;
        return (x->families > y->families) - (x->families < y->families);
}

/* Index of the first item whose seq is not below seq. */
static size_t lower_bound(const struct spool *s, uint64_t seq)
{
        size_t lo = 0, hi = s->n;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;

                if (s->items[mid].seq < seq)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo;
}

/* Index of the item for (seq, families), or s->n when there is none. */
static size_t find(const struct spool *s, uint64_t seq, unsigned families)
{
        for (size_t i = lower_bound(s, seq); i < s->n && s->items[i].seq == seq; i++)
                if (s->items[i].families == families)
                        return i;
        return s->n;
}

static void drop(struct spool *s, size_t i)
{
        s->bytes -= s->items[i].bytes;
        memmove(&s->items[i], &s->items[i + 1], (s->n - i - 1) * sizeof(*s->items));
        s->n--;
}

static int reserve(struct spool *s, size_t n)
{
        struct item *items;
        size_t cap;

        if (n <= s->cap)
                return 0;
        if (n > SPOOL_MAX_ENTRIES + 1)
                return -E2BIG;
        cap = s->cap ? s->cap * 2 : 64;
        if (cap < n)
                cap = n;
        /* put may hold one over the bound until it evicts */
        if (cap > SPOOL_MAX_ENTRIES + 1)
                cap = SPOOL_MAX_ENTRIES + 1;
        items = realloc(s->items, cap * sizeof(*items));
        if (!items)
                return -ENOMEM;
        s->items = items;
        s->cap = cap;
        return 0;
}

/* Indexes the entries; removes temporary files and empty entries. */
static int spool_scan(struct spool *s, struct error *e)
{
        struct dirent *de;
        DIR *d;
        int fd, rc = 0;

        fd = openat(s->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        d = fd >= 0 ? fdopendir(fd) : NULL;
        if (!d) {
                rc = -errno;
                if (fd >= 0)
                        close(fd);
                error_set(e, s->path, 0, "cannot list the spool directory: %s", strerror(-rc));
                return rc;
        }
        while ((errno = 0, de = readdir(d))) {
                bool tmp = strncmp(de->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) == 0;
                struct item it = { 0 };
                struct stat st;

                if (!tmp && !entry_parse(de->d_name, sizeof(de->d_name), &it.seq, &it.families))
                        continue;
                if (fstatat(s->dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                        if (errno == ENOENT)
                                continue;
                        rc = -errno;
                        error_set(e, s->path, 0, "cannot inspect %s: %s", de->d_name,
                                  strerror(-rc));
                        break;
                }
                if (!S_ISREG(st.st_mode))
                        continue;
                /* Not synced: a removal lost in a crash is made again. */
                if (tmp || st.st_size == 0) {
                        if (unlinkat(s->dirfd, de->d_name, 0) < 0 && errno != ENOENT) {
                                rc = -errno;
                                error_set(e, s->path, 0, "cannot remove %s: %s", de->d_name,
                                          strerror(-rc));
                                break;
                        }
                        continue;
                }
                if (s->n == SPOOL_MAX_ENTRIES) {
                        rc = -E2BIG;
                        error_set(e, s->path, 0, "more than %d reports in the spool",
                                  SPOOL_MAX_ENTRIES);
                        break;
                }
                if ((rc = reserve(s, s->n + 1)) < 0) {
                        error_set(e, s->path, 0, "out of memory");
                        break;
                }
                it.bytes = (uint64_t)st.st_size;
                s->items[s->n++] = it;
                s->bytes += it.bytes;
        }
        if (!rc && errno) {
                rc = -errno;
                error_set(e, s->path, 0, "cannot list the spool directory: %s", strerror(-rc));
        }
        closedir(d);
        if (s->n)
                qsort(s->items, s->n, sizeof(*s->items), item_cmp);
        return rc;
}

int spool_open(const char *dir, uint64_t max_bytes, struct spool **out, struct error *e)
{
        struct spool *s;
        struct stat st;
        int rc;

        *out = NULL;
        if (max_bytes == 0) {
                error_set(e, dir, 0, "the spool size limit must be above 0");
                return -EINVAL;
        }
        if (strlen(dir) >= sizeof(s->path)) {
                error_set(e, "", 0, "spool directory path too long");
                return -ENAMETOOLONG;
        }
        s = calloc(1, sizeof(*s));
        if (!s) {
                error_set(e, dir, 0, "out of memory");
                return -ENOMEM;
        }
        snprintf(s->path, sizeof(s->path), "%s", dir);
        s->max_bytes = max_bytes;
        s->dirfd = -1;
        if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
                rc = -errno;
                error_set(e, dir, 0, "cannot create the spool directory: %s", strerror(-rc));
                goto fail;
        }
        s->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (s->dirfd < 0 || fstat(s->dirfd, &st) < 0) {
                rc = -errno;
                error_set(e, dir, 0, "cannot open the spool directory: %s", strerror(-rc));
                goto fail;
        }
        /* Whoever may write here may have reports sent in the agent's name. */
        if (st.st_uid != geteuid()) {
                rc = -EPERM;
                error_set(e, dir, 0, "the spool directory belongs to another user");
                goto fail;
        }
        if (st.st_mode & (S_IWGRP | S_IWOTH)) {
                rc = -EPERM;
                error_set(e, dir, 0, "the spool directory is writable by other users");
                goto fail;
        }
        /* A second agent would remove the temporary file this one writes. */
        if (flock(s->dirfd, LOCK_EX | LOCK_NB) < 0) {
                rc = errno == EWOULDBLOCK ? -EBUSY : -errno;
                error_set(e, dir, 0, "the spool is in use by another process");
                goto fail;
        }
        rc = spool_scan(s, e);
        if (rc < 0)
                goto fail;
        *out = s;
        return 0;
fail:
        spool_close(s);
        return rc;
}

static int write_all(int fd, const unsigned char *p, size_t len)
{
        while (len > 0) {
                ssize_t w = write(fd, p, len);

                if (w < 0 && errno == EINTR)
                        continue;
                if (w < 0)
                        return -errno;
                if (w == 0)
                        return -EIO;
                p += w;
                len -= (size_t)w;
        }
        return 0;
}

/* Evicts the oldest entries while over budget, sparing the item at index
 * just and the newest entry of each family. */
static void spool_evict(struct spool *s, size_t just)
{
        size_t count = s->n, kept = 0;
        unsigned seen = 0;

        if (s->bytes <= s->max_bytes && s->n <= SPOOL_MAX_ENTRIES)
                return;
        for (size_t i = s->n; i-- > 0;) {
                s->items[i].keep = i == just || (s->items[i].families & ~seen);
                seen |= s->items[i].families;
        }
        for (size_t i = 0; i < s->n; i++) {
                struct item it = s->items[i];
                char name[64];

                if (!it.keep && (s->bytes > s->max_bytes || count > SPOOL_MAX_ENTRIES)) {
                        entry_name(name, sizeof(name), it.seq, it.families);
                        /* Not synced: an eviction lost in a crash only brings
                         * back a report, delivered as if never evicted. One
                         * that fails stays, to be evicted at the next put. */
                        if (unlinkat(s->dirfd, name, 0) == 0 || errno == ENOENT) {
                                s->bytes -= it.bytes;
                                s->evicted++;
                                count--;
                                continue;
                        }
                }
                s->items[kept++] = it;
        }
        s->n = kept;
}

int spool_put(struct spool *s, uint64_t seq, unsigned families, const void *data, size_t len,
              struct error *e)
{
        char tmp[64], name[64];
        size_t pos;
        int fd, rc;

        if (seq == 0 || (families & ~SPOOL_FAMILIES) || !data || len == 0) {
                error_set(e, s->path, 0, "report %" PRIu64 ": bad number, families or size", seq);
                return -EINVAL;
        }
        if (len > SPOOL_REPORT_MAX) {
                error_set(e, s->path, 0, "report %" PRIu64 " is over %u bytes", seq,
                          SPOOL_REPORT_MAX);
                return -EFBIG;
        }
        pos = lower_bound(s, seq);
        if (pos < s->n && s->items[pos].seq == seq) {
                error_set(e, s->path, 0, "report %" PRIu64 " is already in the spool", seq);
                return -EEXIST;
        }
        /* Before writing: once renamed, the entry must get into the index.
         * Past the bound only when evictions failed (see spool_evict). */
        rc = reserve(s, s->n + 1);
        if (rc < 0) {
                error_set(e, s->path, 0, "cannot store report %" PRIu64 ": %s", seq,
                          rc == -E2BIG ? "too many reports in the spool" : "out of memory");
                return rc;
        }
        snprintf(tmp, sizeof(tmp), TMP_PREFIX "%020" PRIu64, seq);
        entry_name(name, sizeof(name), seq, families);
        fd = openat(s->dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0) {
                rc = -errno;
                goto fail;
        }
        rc = write_all(fd, data, len);
        if (!rc && fsync(fd) < 0)
                rc = -errno;
        if (close(fd) < 0 && !rc)
                rc = -errno;
        if (!rc && renameat2(s->dirfd, tmp, s->dirfd, name, RENAME_NOREPLACE) < 0)
                rc = -errno;
        if (rc) {
                unlinkat(s->dirfd, tmp, 0);
                goto fail;
        }
        if (fsync(s->dirfd) < 0) {
                rc = -errno;
                unlinkat(s->dirfd, name, 0);
                goto fail;
        }
        memmove(&s->items[pos + 1], &s->items[pos], (s->n - pos) * sizeof(*s->items));
        s->items[pos] = (struct item){ .seq = seq, .bytes = len, .families = families };
        s->n++;
        s->bytes += len;
        spool_evict(s, pos);
        return 0;
fail:
        error_set(e, s->path, 0, "cannot store report %" PRIu64 ": %s", seq, strerror(-rc));
        return rc;
}

int spool_oldest(struct spool *s, struct spool_entry *ent)
{
        if (s->n == 0)
                return -ENOENT;
        ent->seq = s->items[0].seq;
        ent->families = s->items[0].families;
        ent->bytes = s->items[0].bytes;
        entry_name(ent->name, sizeof(ent->name), ent->seq, ent->families);
        return 0;
}

static int read_all(int fd, unsigned char *buf, size_t size, size_t *got)
{
        *got = 0;
        while (*got < size) {
                ssize_t r = read(fd, buf + *got, size - *got);

                if (r < 0 && errno == EINTR)
                        continue;
                if (r < 0)
                        return -errno;
                if (r == 0)
                        break;
                *got += (size_t)r;
        }
        return 0;
}

int spool_read(struct spool *s, const struct spool_entry *ent, void **data, size_t *len,
               struct error *e)
{
        char path[sizeof(s->path) + sizeof(ent->name) + 1];
        unsigned char *buf = NULL;
        unsigned families;
        struct stat st;
        uint64_t seq;
        int fd, rc = 0;
        size_t i;

        *data = NULL;
        *len = 0;
        if (!entry_parse(ent->name, sizeof(ent->name), &seq, &families)) {
                error_set(e, s->path, 0, "not a spool entry");
                return -EINVAL;
        }
        snprintf(path, sizeof(path), "%s/%s", s->path, ent->name);
        fd = openat(s->dirfd, ent->name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
        if (fd < 0) {
                rc = errno == ELOOP ? -EINVAL : -errno;
                if (rc == -ENOENT && (i = find(s, seq, families)) < s->n)
                        drop(s, i);
        } else if (fstat(fd, &st) < 0) {
                rc = -errno;
        } else if (!S_ISREG(st.st_mode)) {
                rc = -EINVAL;
        } else if (st.st_size > SPOOL_REPORT_MAX) {
                rc = -EFBIG;
        } else if (!(buf = malloc(st.st_size ? (size_t)st.st_size : 1))) {
                rc = -ENOMEM;
        } else {
                rc = read_all(fd, buf, (size_t)st.st_size, len);
        }
        if (fd >= 0)
                close(fd);
        if (rc == -EINVAL)
                error_set(e, path, 0, "cannot read: not a regular file");
        else if (rc == -EFBIG)
                error_set(e, path, 0, "cannot read: over %u bytes", SPOOL_REPORT_MAX);
        else if (rc < 0)
                error_set(e, path, 0, "cannot read: %s", strerror(-rc));
        if (rc < 0) {
                free(buf);
                *len = 0;
                return rc;
        }
        *data = buf;
        return 0;
}

/* Where entry ent is in the spool's index (*i == s->n: gone already). */
static int entry_index(struct spool *s, const struct spool_entry *ent, size_t *i, struct error *e)
{
        unsigned families;
        uint64_t seq;

        if (!entry_parse(ent->name, sizeof(ent->name), &seq, &families)) {
                error_set(e, s->path, 0, "not a spool entry");
                return -EINVAL;
        }
        *i = find(s, seq, families);
        return 0;
}

int spool_remove(struct spool *s, const struct spool_entry *ent, struct error *e)
{
        size_t i;
        int rc;

        if ((rc = entry_index(s, ent, &i, e)) < 0 || i == s->n)
                return rc;
        if (unlinkat(s->dirfd, ent->name, 0) < 0 && errno != ENOENT) {
                rc = -errno;
                error_set(e, s->path, 0, "cannot remove report %" PRIu64 ": %s", ent->seq,
                          strerror(-rc));
                return rc;
        }
        drop(s, i);
        if (fsync(s->dirfd) < 0) {
                rc = -errno;
                error_set(e, s->path, 0, "cannot remove report %" PRIu64 ": %s", ent->seq,
                          strerror(-rc));
                return rc;
        }
        return 0;
}

/* Removes all but the SPOOL_REFUSED_MAX newest entries of the directory rfd.
 * Not synced, as evictions are not. */
static void prune_refused(int rfd)
{
        int fd = openat(rfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
        struct item *v = NULL, *grown;
        size_t n = 0, cap = 0;
        struct dirent *de;
        char name[64];

        if (!d) {
                if (fd >= 0)
                        close(fd);
                return;
        }
        while ((de = readdir(d))) {
                struct item it = { 0 };

                if (!entry_parse(de->d_name, sizeof(de->d_name), &it.seq, &it.families))
                        continue;
                if (n == cap) {
                        cap = cap ? cap * 2 : 16;
                        if (!(grown = realloc(v, cap * sizeof(*v))))
                                break;
                        v = grown;
                }
                v[n++] = it;
        }
        closedir(d);
        if (n > SPOOL_REFUSED_MAX) {
                qsort(v, n, sizeof(*v), item_cmp);
                for (size_t i = 0; i < n - SPOOL_REFUSED_MAX; i++) {
                        entry_name(name, sizeof(name), v[i].seq, v[i].families);
                        unlinkat(rfd, name, 0);
                }
        }
        free(v);
}

int spool_set_aside(struct spool *s, const struct spool_entry *ent, struct error *e)
{
        size_t i;
        int rfd, rc;

        if ((rc = entry_index(s, ent, &i, e)) < 0 || i == s->n)
                return rc;
        if (mkdirat(s->dirfd, SPOOL_REFUSED_DIR, 0700) < 0 && errno != EEXIST)
                rc = -errno;
        rfd = rc ? -1
                 : openat(s->dirfd, SPOOL_REFUSED_DIR,
                          O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (!rc && rfd < 0)
                rc = -errno;
        if (!rc && renameat(s->dirfd, ent->name, rfd, ent->name) < 0 && errno != ENOENT)
                rc = -errno;
        if (!rc) {
                drop(s, i);
                prune_refused(rfd);
                if (fsync(rfd) < 0 || fsync(s->dirfd) < 0)
                        rc = -errno;
        }
        if (rfd >= 0)
                close(rfd);
        if (rc < 0)
                error_set(e, s->path, 0, "cannot set report %" PRIu64 " aside in %s: %s", ent->seq,
                          SPOOL_REFUSED_DIR, strerror(-rc));
        return rc;
}

void spool_stats(const struct spool *s, size_t *count, uint64_t *bytes)
{
        *count = s->n;
        *bytes = s->bytes;
}

uint64_t spool_last_seq(const struct spool *s)
{
        return s->n ? s->items[s->n - 1].seq : 0;
}

uint64_t spool_evicted(const struct spool *s)
{
        return s->evicted;
}

void spool_close(struct spool *s)
{
        if (!s)
                return;
        if (s->dirfd >= 0)
                close(s->dirfd);
        free(s->items);
        free(s);
}
