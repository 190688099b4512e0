/* spool.c - reports kept on disk, one file each, until delivered.
 *
 * An entry is "<seq: 20 digits>-<families: 2 hex digits>.report", so names
 * sort as seqs do and carry the metadata. A put writes ".tmp-<seq>", syncs
 * it, renames it (never over an existing name) and syncs the directory. The
 * index is an array sorted by seq, built by scanning the directory on open.
 * Every file access is relative to the directory held open (dirops.h) and
 * follows no link. Reports the collector refused for good go, under the same
 * names, to refused/. */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dirops.h"
#include "spool.h"

/* Room for the directory's path: Linux's PATH_MAX; in UTF-8, Windows' 260
 * UTF-16 units take more than its PATH_MAX bytes. */
#define PATH_LEN 4096

#define ENTRY_NAME_LEN 30 /* 20 digits, '-', 2 hex digits, ".report" */
#define TMP_PREFIX     ".tmp-"

struct item {
        uint64_t seq;
        uint64_t bytes;
        unsigned families;
        bool keep; /* scratch for spool_evict */
};

struct spool {
        struct dirops *dir;
        char path[PATH_LEN]; /* as given, for messages */
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

struct scan {
        struct spool *s;
        struct error *e;
        bool said; /* e filled */
};

static int scan_one(const char *name, void *arg)
{
        struct scan *sc = arg;
        struct spool *s = sc->s;
        bool tmp = strncmp(name, TMP_PREFIX, strlen(TMP_PREFIX)) == 0;
        struct item it = { 0 };
        struct dirops_stat st;
        int rc;

        if (!tmp && !entry_parse(name, strlen(name) + 1, &it.seq, &it.families))
                return 0;
        if ((rc = dirops_stat(s->dir, name, &st)) < 0) {
                if (rc == -ENOENT)
                        return 0;
                sc->said = true;
                error_set(sc->e, s->path, 0, "cannot inspect %s: %s", name, strerror(-rc));
                return rc;
        }
        if (st.type != DIROPS_FILE)
                return 0;
        /* Not synced: a removal lost in a crash is made again. */
        if (tmp || st.size == 0) {
                if ((rc = dirops_remove(s->dir, name)) < 0 && rc != -ENOENT) {
                        sc->said = true;
                        error_set(sc->e, s->path, 0, "cannot remove %s: %s", name, strerror(-rc));
                        return rc;
                }
                return 0;
        }
        if (s->n == SPOOL_MAX_ENTRIES) {
                sc->said = true;
                error_set(sc->e, s->path, 0, "more than %d reports in the spool",
                          SPOOL_MAX_ENTRIES);
                return -E2BIG;
        }
        if ((rc = reserve(s, s->n + 1)) < 0) {
                sc->said = true;
                error_set(sc->e, s->path, 0, "out of memory");
                return rc;
        }
        it.bytes = st.size;
        s->items[s->n++] = it;
        s->bytes += it.bytes;
        return 0;
}

/* Indexes the entries; removes temporary files and empty entries. */
static int spool_scan(struct spool *s, struct error *e)
{
        struct scan sc = { .s = s, .e = e, .said = false };
        int rc = dirops_list(s->dir, scan_one, &sc);

        if (rc < 0 && !sc.said)
                error_set(e, s->path, 0, "cannot list the spool directory: %s", strerror(-rc));
        if (s->n)
                qsort(s->items, s->n, sizeof(*s->items), item_cmp);
        return rc;
}

int spool_open(const char *dir, uint64_t max_bytes, struct spool **out, struct error *e)
{
        const char *why = "";
        struct spool *s;
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
        if ((rc = dirops_open(dir, true, &s->dir)) < 0) {
                error_set(e, dir, 0, "cannot open the spool directory: %s", strerror(-rc));
                goto fail;
        }
        /* Whoever may write here may have reports sent in the agent's name. */
        if ((rc = dirops_private(s->dir, &why)) < 0) {
                if (rc == -EPERM)
                        error_set(e, dir, 0, "the spool directory %s", why);
                else
                        error_set(e, dir, 0, "cannot open the spool directory: %s", strerror(-rc));
                goto fail;
        }
        /* A second agent would remove the temporary file this one writes. */
        if ((rc = dirops_lock(s->dir)) < 0) {
                if (rc == -EBUSY)
                        error_set(e, dir, 0, "the spool is in use by another process");
                else
                        error_set(e, dir, 0, "cannot lock the spool directory: %s", strerror(-rc));
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

/* Evicts the oldest entries while over budget, sparing the item at index
 * just and the newest entry of each family. */
static void spool_evict(struct spool *s, size_t just)
{
        size_t count = s->n, kept = 0;
        unsigned seen = 0;
        int rc;

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
                        if ((rc = dirops_remove(s->dir, name)) == 0 || rc == -ENOENT) {
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
        int rc;

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
        if ((rc = dirops_create(s->dir, tmp, 0600, data, len)) < 0)
                goto fail;
        if ((rc = dirops_rename(s->dir, tmp, s->dir, name, false)) < 0) {
                dirops_remove(s->dir, tmp);
                goto fail;
        }
        if ((rc = dirops_sync(s->dir)) < 0) {
                dirops_remove(s->dir, name);
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

int spool_read(struct spool *s, const struct spool_entry *ent, void **data, size_t *len,
               struct error *e)
{
        char path[sizeof(s->path) + sizeof(ent->name) + 1];
        unsigned families;
        uint64_t seq;
        size_t i;
        int rc;

        *data = NULL;
        *len = 0;
        if (!entry_parse(ent->name, sizeof(ent->name), &seq, &families)) {
                error_set(e, s->path, 0, "not a spool entry");
                return -EINVAL;
        }
        snprintf(path, sizeof(path), "%s" DIROPS_SEP "%s", s->path, ent->name);
        rc = dirops_read(s->dir, ent->name, SPOOL_REPORT_MAX, data, len);
        if (rc == -ENOENT && (i = find(s, seq, families)) < s->n)
                drop(s, i);
        if (rc == -EINVAL)
                error_set(e, path, 0, "cannot read: not a regular file");
        else if (rc == -EFBIG)
                error_set(e, path, 0, "cannot read: over %u bytes", SPOOL_REPORT_MAX);
        else if (rc < 0)
                error_set(e, path, 0, "cannot read: %s", strerror(-rc));
        return rc;
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
        if ((rc = dirops_remove(s->dir, ent->name)) < 0 && rc != -ENOENT) {
                error_set(e, s->path, 0, "cannot remove report %" PRIu64 ": %s", ent->seq,
                          strerror(-rc));
                return rc;
        }
        drop(s, i);
        if ((rc = dirops_sync(s->dir)) < 0) {
                error_set(e, s->path, 0, "cannot remove report %" PRIu64 ": %s", ent->seq,
                          strerror(-rc));
                return rc;
        }
        return 0;
}

struct refused {
        struct item *v;
        size_t n, cap;
};

static int refused_one(const char *name, void *arg)
{
        struct refused *r = arg;
        struct item it = { 0 }, *grown;

        if (!entry_parse(name, strlen(name) + 1, &it.seq, &it.families))
                return 0;
        if (r->n == r->cap) {
                size_t cap = r->cap ? r->cap * 2 : 16;

                if (!(grown = realloc(r->v, cap * sizeof(*r->v))))
                        return -ENOMEM;
                r->v = grown;
                r->cap = cap;
        }
        r->v[r->n++] = it;
        return 0;
}

/* Removes all but the SPOOL_REFUSED_MAX newest entries of the directory rd.
 * Not synced, as evictions are not. */
static void prune_refused(struct dirops *rd)
{
        struct refused r = { .v = NULL, .n = 0, .cap = 0 };
        char name[64];

        dirops_list(rd, refused_one, &r);
        if (r.n > SPOOL_REFUSED_MAX) {
                qsort(r.v, r.n, sizeof(*r.v), item_cmp);
                for (size_t i = 0; i < r.n - SPOOL_REFUSED_MAX; i++) {
                        entry_name(name, sizeof(name), r.v[i].seq, r.v[i].families);
                        dirops_remove(rd, name);
                }
        }
        free(r.v);
}

int spool_set_aside(struct spool *s, const struct spool_entry *ent, struct error *e)
{
        struct dirops *rd = NULL;
        size_t i;
        int rc;

        if ((rc = entry_index(s, ent, &i, e)) < 0 || i == s->n)
                return rc;
        rc = dirops_open_sub(s->dir, SPOOL_REFUSED_DIR, true, &rd);
        if (!rc && (rc = dirops_rename(s->dir, ent->name, rd, ent->name, true)) == -ENOENT)
                rc = 0;
        if (!rc) {
                drop(s, i);
                prune_refused(rd);
                if ((rc = dirops_sync(rd)) == 0)
                        rc = dirops_sync(s->dir);
        }
        dirops_close(rd);
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
        dirops_close(s->dir);
        free(s->items);
        free(s);
}
