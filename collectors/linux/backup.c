/* backup.c - the backup jobs the policy declares: what each path holds, when
 * its newest backup was written, how big it is, and where it lives.
 *
 * restic and borg repositories are recognised by their layout; any other
 * directory is read as plain files or as dated snapshot directories (rsync
 * --link-dest trees), whose sizes come from a walk bounded in depth and
 * entries. Only metadata is read, never a backup's contents. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backup_place.h"
#include "collector.h"
#include "util.h"

#define TOP_MAX          100000 /* entries read from one directory listing */
#define WALK_MAX_ENTRIES 100000 /* files and directories counted per snapshot */
#define WALK_MAX_DEPTH   32
#define WALK_MAX_SECONDS 10 /* per snapshot: a slow network share stops here */
#define BORG_README      "This is a Borg Backup repository"

struct item {
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
        time_t deadline;   /* CLOCK_MONOTONIC */
        const char *bound; /* "entries", "depth" or "time" when one was reached */
};

static time_t monotonic(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec;
}

/* Names longer than an item holds are cut; they only label facts. */
static void set_name(struct item *it, const char *name)
{
        size_t n = strnlen(name, sizeof(it->name) - 1);

        memcpy(it->name, name, n);
        it->name[n] = '\0';
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

static bool ignored(const char *name)
{
        return name[0] == '.' || strcmp(name, "lost+found") == 0;
}

/* Lists the directory fd (taken over) without following links. */
static int list_dir(int fd, struct listing *l)
{
        DIR *d = fdopendir(fd);
        struct dirent *e;
        struct stat st;
        size_t n = 0;

        memset(l, 0, sizeof(*l));
        if (!d) {
                int rc = -errno;
                close(fd);
                return rc;
        }
        while ((e = readdir(d))) {
                struct item it = { .have = true };

                if (ignored(e->d_name))
                        continue;
                if (++n > TOP_MAX) {
                        l->bound = true;
                        break;
                }
                if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        continue;
                set_name(&it, e->d_name);
                it.mtime = st.st_mtim;
                it.size = (long long)st.st_size;
                if (S_ISREG(st.st_mode)) {
                        l->nfiles++;
                        keep_two(l->files, &it);
                } else if (S_ISDIR(st.st_mode)) {
                        it.size = -1;
                        l->ndirs++;
                        keep_two(l->dirs, &it);
                }
        }
        closedir(d);
        return 0;
}

static int sub_open(int dfd, const char *name)
{
        int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

        return fd < 0 ? -errno : fd;
}

/* Sums the sizes of the regular files under the directory fd (taken over). */
static void walk_dir(int fd, unsigned depth, struct walk *w)
{
        DIR *d = fdopendir(fd);
        struct dirent *e;
        struct stat st;

        if (!d) {
                close(fd);
                return;
        }
        while ((e = readdir(d))) {
                if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                        continue;
                if (w->entries >= WALK_MAX_ENTRIES)
                        w->bound = "entries";
                else if (w->entries % 1024 == 1023 && monotonic() >= w->deadline)
                        w->bound = "time";
                if (w->bound && strcmp(w->bound, "depth") != 0)
                        break;
                w->entries++;
                if (e->d_type == DT_DIR) {
                        int sub;

                        if (depth + 1 >= WALK_MAX_DEPTH) {
                                w->bound = "depth";
                                continue;
                        }
                        sub = sub_open(dirfd(d), e->d_name);
                        if (sub >= 0)
                                walk_dir(sub, depth + 1, w);
                        continue;
                }
                if (e->d_type != DT_REG && e->d_type != DT_UNKNOWN)
                        continue;
                if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        continue;
                if (S_ISREG(st.st_mode)) {
                        /* Sparse files may claim up to 2^63 bytes each: saturate. */
                        if (st.st_size < 0 || (unsigned long long)st.st_size >
                                                  (unsigned long long)LLONG_MAX - w->bytes)
                                w->bytes = LLONG_MAX;
                        else
                                w->bytes += (unsigned long long)st.st_size;
                } else if (S_ISDIR(st.st_mode) && depth + 1 < WALK_MAX_DEPTH) {
                        int sub = sub_open(dirfd(d), e->d_name);
                        if (sub >= 0)
                                walk_dir(sub, depth + 1, w);
                }
        }
        closedir(d);
}

static bool is_type(int dfd, const char *name, mode_t type)
{
        struct stat st;

        return fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && (st.st_mode & S_IFMT) == type;
}

/* The first bytes of a small file, NUL-terminated; "" when unreadable. A
 * FIFO or device of that name is not opened. */
static void read_head(int dfd, const char *name, char *buf, size_t size)
{
        int fd = is_type(dfd, name, S_IFREG)
                     ? openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
                     : -1;
        ssize_t n = fd < 0 ? -1 : read(fd, buf, size - 1);

        buf[n > 0 ? n : 0] = '\0';
        if (fd >= 0)
                close(fd);
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

static bool restic_layout(int dfd)
{
        static const char *const dirs[] = { "data", "index", "keys", "snapshots" };

        if (!is_type(dfd, "config", S_IFREG))
                return false;
        for (size_t i = 0; i < 4; i++)
                if (!is_type(dfd, dirs[i], S_IFDIR))
                        return false;
        return true;
}

static void restic_scan(int dfd, json_t *job)
{
        struct listing l;
        int fd = sub_open(dfd, "snapshots");

        json_object_set_new(job, "kind", json_string("restic"));
        json_object_set_new(job, "decided_by",
                            json_string("restic repository: config, data/, index/, keys/ and "
                                        "snapshots/; the newest snapshot is the newest file in "
                                        "snapshots/"));
        json_object_set_new(job, "size_note",
                            json_string("restic encrypts its repository: the size of one backup "
                                        "is not available"));
        if (fd < 0 || list_dir(fd, &l) < 0 || !l.files[0].have) {
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

static bool borg_layout(int dfd)
{
        char head[sizeof(BORG_README)], *text = NULL;
        bool found = false;
        int fd;

        read_head(dfd, "README", head, sizeof(head));
        if (strcmp(head, BORG_README) != 0)
                return false;
        fd = is_type(dfd, "config", S_IFREG)
                 ? openat(dfd, "config", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
                 : -1;
        if (fd < 0)
                return false;
        if (rootfs_read_fd(fd, 64 << 10, &text, NULL) == 0) {
                for (char *line = text; line && *line && !found; line = strchr(line, '\n')) {
                        line += *line == '\n';
                        found = strncmp(line, "[repository]", 12) == 0;
                }
                free(text);
        }
        close(fd);
        return found;
}

/* "index.N" and "N" names: N, or -1. */
static long long numbered(const char *name, const char *prefix)
{
        size_t n = strlen(prefix);
        long long v = 0;

        if (strncmp(name, prefix, n) != 0 || !name[n] || strlen(name + n) > 18)
                return -1;
        for (const char *p = name + n; *p; p++) {
                if (*p < '0' || *p > '9')
                        return -1;
                v = v * 10 + (*p - '0');
        }
        return v;
}

/* The highest-numbered entry of the directory fd (taken over) named
 * prefix+N, with its stat; -1 when none. */
static long long highest(int fd, const char *prefix, struct item *it)
{
        DIR *d = fdopendir(fd);
        struct dirent *e;
        struct stat st;
        long long best = -1, v;
        size_t n = 0;

        if (!d) {
                close(fd);
                return -1;
        }
        while ((e = readdir(d)) && ++n <= TOP_MAX) {
                v = numbered(e->d_name, prefix);
                if (v <= best || fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        continue;
                best = v;
                set_name(it, e->d_name);
                it->mtime = st.st_mtim;
                it->size = -1;
                it->have = true;
        }
        closedir(d);
        return best;
}

static void borg_scan(int dfd, json_t *job)
{
        struct item index = { 0 }, dir = { 0 }, segment = { 0 };
        long long txn = highest(dup(dfd), "index.", &index);
        int fd;

        json_object_set_new(job, "kind", json_string("borg"));
        json_object_set_new(job, "decided_by",
                            json_string("borg repository: README and config [repository]; the "
                                        "last transaction is the newest index.N or data segment"));
        json_object_set_new(job, "size_note",
                            json_string("borg deduplicates and encrypts its segments: the size of "
                                        "one backup is not available"));
        fd = sub_open(dfd, "data");
        if (fd >= 0 && highest(fd, "", &dir) >= 0 && (fd = sub_open(dfd, "data")) >= 0) {
                int sub = sub_open(fd, dir.name);

                close(fd);
                if (sub >= 0)
                        highest(sub, "", &segment);
        }
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
                set_name(&segment, name);
        }
        json_object_set_new(
            job, "newest",
            item_json(!segment.have || (index.have && newer(&index, &segment)) ? &index : &segment,
                      false));
}

static void files_scan(int dfd, json_t *job)
{
        struct listing l;
        bool dirs;
        char why[160];
        const struct item *best;

        if (list_dir(dup(dfd), &l) < 0) {
                json_object_set_new(job, "kind", json_string("error"));
                return;
        }
        if (l.bound)
                json_object_set_new(job, "list_bound_reached", json_true());
        if (!l.nfiles && !l.ndirs) {
                json_object_set_new(job, "kind", json_string("empty"));
                json_object_set_new(job, "decided_by",
                                    json_string("no file or directory under the path"));
                return;
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
                return;
        }

        bool reached = false;
        for (int i = 0; i < 2 && best[i].have; i++) {
                struct item it = best[i];
                struct walk w = { .deadline = monotonic() + WALK_MAX_SECONDS };
                int fd = sub_open(dfd, it.name);
                json_t *o;

                if (fd >= 0)
                        walk_dir(fd, 0, &w);
                it.size = (long long)w.bytes;
                o = item_json(&it, true);
                json_object_set_new(o, "size_complete", json_boolean(fd >= 0 && !w.bound));
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
}

static json_t *job_scan(const struct collect_ctx *ctx, const struct places *pl,
                        const struct backup_job *jb, json_t *facts)
{
        json_t *job = json_pack("{s:s}", "path", jb->path);
        char resolved[PATH_MAX];
        struct stat st;
        int fd, rc;

        if (!job)
                return NULL;
        rc = rootfs_stat(ctx->root, jb->path, &st);
        if (rc == -ENOENT || rc == -ENOTDIR) {
                json_object_set_new(job, "kind", json_string("missing"));
                json_object_set_new(job, "decided_by", json_string("the path does not exist"));
                /* Where it would be: an unmounted disk leaves the path on "/". */
                if (pl->have_mi)
                        json_object_set_new(job, "device", places_describe(pl, jb->path));
                return job;
        }
        places_resolve(pl, jb->path, resolved, sizeof(resolved));
        json_object_set_new(job, "resolved", facts_string(resolved));
        json_object_set_new(job, "device", places_describe(pl, resolved));
        if (rc == 0 && S_ISREG(st.st_mode)) {
                const char *base = strrchr(jb->path, '/');
                struct item it = { .mtime = st.st_mtim,
                                   .size = (long long)st.st_size,
                                   .have = true };

                set_name(&it, base ? base + 1 : jb->path);
                json_object_set_new(job, "kind", json_string("files"));
                json_object_set_new(job, "decided_by", json_string("the path is a single file"));
                json_object_set_new(job, "count", json_integer(1));
                json_object_set_new(job, "newest", item_json(&it, true));
                return job;
        }
        fd = rc < 0 ? rc : rootfs_open(ctx->root, jb->path, O_RDONLY | O_DIRECTORY);
        if (fd < 0) {
                char source[80];

                snprintf(source, sizeof(source), "backup:%s", jb->name);
                facts_add_error(facts, source, jb->path, 0, "%s", strerror(-fd));
                json_object_set_new(job, "kind", json_string("error"));
                return job;
        }
        if (restic_layout(fd))
                restic_scan(fd, job);
        else if (borg_layout(fd))
                borg_scan(fd, job);
        else
                files_scan(fd, job);
        close(fd);
        return job;
}

int backup_collect(const struct collect_ctx *ctx, json_t *facts)
{
        const struct policy *p = ctx->policy;
        struct places pl;
        json_t *jobs;

        places_init(&pl, ctx->root, facts);
        json_object_set_new(facts, "mounts_from",
                            json_string(pl.have_mi ? "proc/self/mountinfo" : "stat"));
        json_object_set_new(facts, "system", places_describe(&pl, "/"));
        jobs = json_object();
        for (size_t i = 0; i < p->njobs; i++)
                json_object_set_new(jobs, p->jobs[i].name, job_scan(ctx, &pl, &p->jobs[i], facts));
        json_object_set_new(facts, "jobs", jobs);
        places_free(&pl);
        return 0;
}
