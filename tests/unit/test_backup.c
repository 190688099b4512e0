/* test_backup.c - the backup collector on trees built here, and its rules
 * on hand-written facts. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "collector.h"
#include "rules.h"
#include "util.h"

#define HOUR 3600

struct tree {
        char dir[64];
        time_t now;
        struct policy policy;
        struct rootfs root;
        json_t *facts;
};

static void mkdirs(const struct tree *t, const char *rel)
{
        char path[PATH_MAX];

        snprintf(path, sizeof(path), "%s/%s", t->dir, rel);
        for (char *p = path + strlen(t->dir) + 1; *p; p++)
                if (*p == '/') {
                        *p = '\0';
                        mkdir(path, 0755);
                        *p = '/';
                }
        mkdir(path, 0755);
}

static void age(const struct tree *t, const char *rel, long secs)
{
        char path[PATH_MAX];
        struct timespec ts[2] = { { .tv_sec = t->now - secs }, { .tv_sec = t->now - secs } };

        snprintf(path, sizeof(path), "%s/%s", t->dir, rel);
        assert_int_equal(utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW), 0);
}

static void file(const struct tree *t, const char *rel, off_t size, long secs)
{
        char path[PATH_MAX], *slash;
        int fd;

        snprintf(path, sizeof(path), "%s", rel);
        slash = strrchr(path, '/');
        if (slash) {
                *slash = '\0';
                mkdirs(t, path);
        }
        snprintf(path, sizeof(path), "%s/%s", t->dir, rel);
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        assert_true(fd >= 0);
        assert_int_equal(ftruncate(fd, size), 0);
        close(fd);
        age(t, rel, secs);
}

static void text(const struct tree *t, const char *rel, const char *s)
{
        char path[PATH_MAX];
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s", t->dir, rel);
        f = fopen(path, "w");
        assert_non_null(f);
        fputs(s, f);
        fclose(f);
}

static int setup(void **state)
{
        struct tree *t = calloc(1, sizeof(*t));

        if (!t)
                return -1;
        snprintf(t->dir, sizeof(t->dir), "/tmp/hygie-test-backup-XXXXXX");
        if (!mkdtemp(t->dir))
                return -1;
        t->now = time(NULL);
        policy_defaults(&t->policy);
        *state = t;
        return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        (void)st;
        (void)flag;
        (void)ftw;
        return remove(path);
}

static int teardown(void **state)
{
        struct tree *t = *state;

        json_decref(t->facts);
        nftw(t->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
        free(t);
        return 0;
}

/* Declares the jobs of ini, collects, and returns facts.jobs. */
static const json_t *collect(struct tree *t, const char *ini)
{
        struct error e;
        struct collect_ctx ctx = { .root = &t->root, .policy = &t->policy, .now = t->now };

        assert_int_equal(policy_load_string(&t->policy, ini, "t.ini", &e), 0);
        assert_int_equal(rootfs_init(&t->root, t->dir), 0);
        json_decref(t->facts);
        t->facts = json_object();
        assert_int_equal(backup_collect(&ctx, t->facts), 0);
        rootfs_close(&t->root);
        return json_object_get(t->facts, "jobs");
}

static const char *sget(const json_t *o, const char *path)
{
        char key[64];
        const char *dot;

        while ((dot = strchr(path, '.'))) {
                snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
                o = json_object_get(o, key);
                path = dot + 1;
        }
        return json_string_value(json_object_get(o, path));
}

static long long iget(const json_t *o, const char *path)
{
        char key[64];
        const char *dot;

        while ((dot = strchr(path, '.'))) {
                snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
                o = json_object_get(o, key);
                path = dot + 1;
        }
        assert_true(json_is_integer(json_object_get(o, path)));
        return json_integer_value(json_object_get(o, path));
}

static void test_backup_files_newest_and_previous(void **state)
{
        struct tree *t = *state;
        const json_t *jobs;

        file(t, "b/a.tar", 5000, 50 * HOUR);
        file(t, "b/c.tar", 4000, 26 * HOUR);
        file(t, "b/b.tar", 3000, 2 * HOUR);
        file(t, "b/.partial", 1, 60);
        jobs = collect(t, "[backup:x]\npath = /b\n");
        assert_string_equal(sget(jobs, "x.kind"), "files");
        assert_int_equal(iget(jobs, "x.count"), 3);
        assert_string_equal(sget(jobs, "x.newest.name"), "b.tar");
        assert_int_equal(iget(jobs, "x.newest.size"), 3000);
        assert_int_equal(iget(jobs, "x.newest.mtime"), t->now - 2 * HOUR);
        assert_string_equal(sget(jobs, "x.previous.name"), "c.tar");
        assert_int_equal(iget(jobs, "x.previous.size"), 4000);
        assert_string_equal(sget(jobs, "x.resolved"), "/b");
}

/* A time past any year struct tm holds (a crafted file time) is "?". */
static void test_time_out_of_range_is_a_question_mark(void **state)
{
        char buf[32];

        (void)state;
        memset(buf, 'x', sizeof(buf));
        assert_string_equal(util_iso8601((time_t)1 << 62, buf, sizeof(buf)), "?");
        assert_string_equal(util_iso8601(0, buf, sizeof(buf)), "1970-01-01T00:00:00Z");
}

/* An error naming a path that is not UTF-8 is kept, not dropped. */
static void test_error_with_bytes_not_utf8_is_kept(void **state)
{
        json_t *facts = json_object();
        const json_t *err;

        (void)state;
        facts_add_error(facts, "backup:x", "b/\xe9t\xe9", 0, "cannot read %s", "b/\xe9t\xe9");
        err = facts_error(facts, "backup:x");
        assert_non_null(err);
        assert_string_equal(json_string_value(json_object_get(err, "file")), "b/?t?");
        assert_string_equal(json_string_value(json_object_get(err, "message")),
                            "cannot read b/?t?");
        json_decref(facts);
}

/* A name in Latin-1 (not UTF-8) is still the newest backup, not "no backup". */
static void test_backup_name_not_utf8_is_kept(void **state)
{
        struct tree *t = *state;
        const json_t *jobs;

        file(t, "b/old.tar", 5000, 50 * HOUR);
        file(t, "b/\xe9t\xe9.tar", 4000, 2 * HOUR);
        jobs = collect(t, "[backup:x]\npath = /b\n");
        assert_string_equal(sget(jobs, "x.kind"), "files");
        assert_string_equal(sget(jobs, "x.newest.name"), "?t?.tar");
        assert_int_equal(iget(jobs, "x.newest.mtime"), t->now - 2 * HOUR);
        assert_string_equal(sget(jobs, "x.previous.name"), "old.tar");
}

static void test_backup_dirs_sum_sizes_without_following_links(void **state)
{
        struct tree *t = *state;
        char a[PATH_MAX], b[PATH_MAX];
        const json_t *jobs;

        file(t, "big", 1000000, 0);
        file(t, "s/2026-01-01/etc/x", 700, 0);
        file(t, "s/2026-01-01/home/y", 300, 0);
        file(t, "s/2026-01-02/etc/x", 700, 0);
        file(t, "s/2026-01-02/home/deep/er/z", 50, 0);
        snprintf(a, sizeof(a), "%s/s/2026-01-02/etc/x", t->dir);
        snprintf(b, sizeof(b), "%s/s/2026-01-02/x-again", t->dir);
        assert_int_equal(link(a, b), 0); /* --link-dest: counted in each tree */
        snprintf(a, sizeof(a), "%s/big", t->dir);
        snprintf(b, sizeof(b), "%s/s/2026-01-02/home/big", t->dir);
        assert_int_equal(symlink(a, b), 0);
        snprintf(b, sizeof(b), "%s/s/latest", t->dir);
        assert_int_equal(symlink("2026-01-02", b), 0);
        file(t, "s/log.txt", 10, 0);
        age(t, "s/2026-01-01", 30 * HOUR);
        age(t, "s/2026-01-02", 5 * HOUR);
        jobs = collect(t, "[backup:s]\npath = /s\n");
        assert_string_equal(sget(jobs, "s.kind"), "dirs");
        assert_int_equal(iget(jobs, "s.count"), 2);
        assert_string_equal(sget(jobs, "s.newest.name"), "2026-01-02");
        assert_int_equal(iget(jobs, "s.newest.size"), 700 + 50 + 700);
        assert_true(json_is_true(json_object_get(
            json_object_get(json_object_get(jobs, "s"), "newest"), "size_complete")));
        assert_string_equal(sget(jobs, "s.previous.name"), "2026-01-01");
        assert_int_equal(iget(jobs, "s.previous.size"), 1000);
        assert_int_equal(iget(jobs, "s.walk.max_depth"), 32);
        assert_false(json_is_true(
            json_object_get(json_object_get(json_object_get(jobs, "s"), "walk"), "bound_reached")));
}

static void test_backup_dirs_walk_stops_at_depth(void **state)
{
        struct tree *t = *state;
        char rel[PATH_MAX] = "d/snap";
        const json_t *jobs, *newest;

        file(t, "d/snap/top", 10, 0);
        for (int i = 0; i < 40; i++)
                strcat(rel, "/n");
        strcat(rel, "/bottom");
        file(t, rel, 1000, 0);
        jobs = collect(t, "[backup:d]\npath = /d\n");
        newest = json_object_get(json_object_get(jobs, "d"), "newest");
        assert_string_equal(sget(jobs, "d.kind"), "dirs");
        assert_int_equal(iget(jobs, "d.newest.size"), 10);
        assert_true(json_is_false(json_object_get(newest, "size_complete")));
        assert_string_equal(sget(jobs, "d.newest.bound"), "depth");
        assert_int_equal(iget(jobs, "d.walk.max_entries"), 100000);
        assert_true(json_is_true(
            json_object_get(json_object_get(json_object_get(jobs, "d"), "walk"), "bound_reached")));
}

static void restic_repo(struct tree *t, const char *dir)
{
        char rel[PATH_MAX];
        static const char *const sub[] = { "data/00", "index", "keys", "snapshots" };

        for (size_t i = 0; i < 4; i++) {
                snprintf(rel, sizeof(rel), "%s/%s", dir, sub[i]);
                mkdirs(t, rel);
        }
        snprintf(rel, sizeof(rel), "%s/config", dir);
        file(t, rel, 155, 100 * HOUR);
}

static void test_backup_restic_newest_snapshot_file(void **state)
{
        struct tree *t = *state;
        const json_t *jobs;

        restic_repo(t, "r");
        file(t, "r/snapshots/aa11", 300, 30 * HOUR);
        file(t, "r/snapshots/bb22", 300, 4 * HOUR);
        file(t, "r/data/00/0011", 5000000, 0);
        restic_repo(t, "none");
        jobs = collect(t, "[backup:r]\npath = /r\n[backup:none]\npath = /none\n");
        assert_string_equal(sget(jobs, "r.kind"), "restic");
        assert_string_equal(sget(jobs, "r.newest.name"), "bb22");
        assert_int_equal(iget(jobs, "r.newest.mtime"), t->now - 4 * HOUR);
        assert_null(json_object_get(json_object_get(json_object_get(jobs, "r"), "newest"), "size"));
        assert_string_equal(sget(jobs, "r.previous.name"), "aa11");
        assert_non_null(sget(jobs, "r.size_note"));
        assert_string_equal(sget(jobs, "none.kind"), "empty");
}

static void test_backup_borg_last_transaction(void **state)
{
        struct tree *t = *state;
        const json_t *jobs;

        mkdirs(t, "g/data/0");
        text(t, "g/README", "This is a Borg Backup repository.\nSee https://borgbackup.org/\n");
        text(t, "g/config", "[repository]\nversion = 1\n");
        file(t, "g/data/0/5", 100, 40 * HOUR);
        file(t, "g/data/0/9", 100, 20 * HOUR);
        file(t, "g/data/1/10", 100, 3 * HOUR);
        file(t, "g/index.9", 100, 20 * HOUR);
        file(t, "g/hints.9", 100, 20 * HOUR);
        /* Not borg: the README is someone else's. */
        mkdirs(t, "n");
        text(t, "n/README", "Backups of the accounting PC\n");
        text(t, "n/config", "[repository]\n");
        jobs = collect(t, "[backup:g]\npath = /g\n[backup:n]\npath = /n\n");
        assert_string_equal(sget(jobs, "g.kind"), "borg");
        assert_int_equal(iget(jobs, "g.transaction"), 9);
        assert_string_equal(sget(jobs, "g.newest.name"), "data/1/10");
        assert_int_equal(iget(jobs, "g.newest.mtime"), t->now - 3 * HOUR);
        assert_string_equal(sget(jobs, "n.kind"), "files");
}

static void test_backup_missing_empty_and_single_file(void **state)
{
        struct tree *t = *state;
        const json_t *jobs;

        mkdirs(t, "e/lost+found");
        mkdirs(t, "e/.zfs");
        file(t, "db.sql.gz", 42, HOUR);
        jobs = collect(t, "[backup:m]\npath = /nowhere/b\n[backup:e]\npath = /e\n"
                          "[backup:f]\npath = /db.sql.gz\n");
        assert_string_equal(sget(jobs, "m.kind"), "missing");
        assert_string_equal(sget(jobs, "e.kind"), "empty");
        assert_string_equal(sget(jobs, "f.kind"), "files");
        assert_string_equal(sget(jobs, "f.newest.name"), "db.sql.gz");
        assert_int_equal(iget(jobs, "f.newest.size"), 42);
}

static void test_backup_mountinfo_decides_the_device(void **state)
{
        struct tree *t = *state;
        char b[PATH_MAX];
        const json_t *jobs;

        mkdirs(t, "proc/self");
        text(t, "proc/self/mountinfo",
             "1 0 8:2 / / rw - ext4 /dev/sda2 rw\n"
             "2 1 0:50 / /mnt/nas rw shared:3 - nfs4 nas:/b rw\n");
        file(t, "mnt/nas/b/x.tar", 10, HOUR);
        mkdirs(t, "srv");
        snprintf(b, sizeof(b), "%s/srv/backup", t->dir);
        assert_int_equal(symlink("/mnt/nas/b", b), 0); /* absolute: inside the root */
        jobs = collect(t, "[backup:n]\npath = /srv/backup\n");
        assert_string_equal(sget(t->facts, "mounts_from"), "proc/self/mountinfo");
        assert_string_equal(sget(jobs, "n.resolved"), "/mnt/nas/b");
        assert_string_equal(sget(jobs, "n.device.fstype"), "nfs4");
        assert_string_equal(sget(jobs, "n.device.mount"), "/mnt/nas");
        assert_string_equal(sget(jobs, "n.device.device"), "0:50");
        assert_string_equal(sget(jobs, "n.device.decided_from"), "mountinfo");
        assert_string_equal(sget(t->facts, "system.device"), "8:2");
        assert_string_equal(sget(t->facts, "system.source"), "/dev/sda2");
}

static void test_backup_corrupt_mountinfo_is_recorded(void **state)
{
        struct tree *t = *state;
        const json_t *err;

        mkdirs(t, "proc/self");
        text(t, "proc/self/mountinfo", "1 0 8:2 / / rw - ext4 /dev/sda2 rw\nnonsense\n");
        file(t, "b/x", 1, 0);
        collect(t, "[backup:b]\npath = /b\n");
        err = facts_error(t->facts, "mountinfo");
        assert_non_null(err);
        assert_int_equal(iget(err, "line"), 2);
        assert_string_equal(sget(err, "file"), "proc/self/mountinfo");
        assert_string_equal(sget(t->facts, "mounts_from"), "stat");
        assert_string_equal(sget(t->facts, "system.decided_from"), "st_dev");
}

/* Rules, on facts written by hand. */

struct run {
        struct policy policy;
        struct findings out;
        json_t *facts;
};

static const struct finding *run_rule(struct run *r, const char *id, const char *ini,
                                      const char *facts_json, time_t now)
{
        struct error e;
        json_error_t je;
        struct check_ctx ctx = { .policy = &r->policy, .now = now };
        const struct check *c = checks_find(id);

        findings_free(&r->out);
        json_decref(r->facts);
        policy_defaults(&r->policy);
        assert_int_equal(policy_load_string(&r->policy, ini, "t.ini", &e), 0);
        r->facts = json_pack("{s:o}", "backup", json_loads(facts_json, 0, &je));
        assert_non_null(json_object_get(r->facts, "backup"));
        ctx.facts = r->facts;
        assert_non_null(c);
        c->fn(c, &ctx, &r->out);
        assert_true(r->out.n > 0);
        return &r->out.v[0];
}

static void run_free(struct run *r)
{
        findings_free(&r->out);
        json_decref(r->facts);
}

static void test_rules_configured_says_how_to_declare(void **state)
{
        struct run r = { 0 };
        const struct finding *f;

        (void)state;
        f = run_rule(&r, "backup.configured", "", "{}", 0);
        assert_int_equal(f->status, STATUS_FAIL);
        assert_null(f->subject);
        assert_non_null(strstr(f->remediation, "[backup:NAME]"));
        assert_non_null(strstr(f->remediation, "path = /where/the/backups/are"));
        f = run_rule(&r, "backup.configured", "[backup:a]\npath=/a\n[backup:b]\npath=/b\n", "{}",
                     0);
        assert_int_equal(f->status, STATUS_PASS);
        assert_string_equal(f->summary, "2 backups are declared");
        run_free(&r);
}

static void test_rules_recent_says_how_old(void **state)
{
        struct run r = { 0 };
        const struct finding *f;
        const time_t now = 2000000000;
        char facts[256];

        (void)state;
        snprintf(facts, sizeof(facts),
                 "{\"jobs\":{\"j\":{\"kind\":\"files\",\"newest\":{\"mtime\":%lld,\"size\":10}}}}",
                 (long long)(now - 30 * HOUR - 59));
        f = run_rule(&r, "backup.recent", "[backup:j]\npath = /b\n", facts, now);
        assert_int_equal(f->status, STATUS_FAIL);
        assert_string_equal(f->subject, "j");
        assert_string_equal(f->summary,
                            "The newest backup in /b is 30 hours old (limit: 26 hours)");
        f = run_rule(&r, "backup.recent", "[backup:j]\npath = /b\nmax_age_hours = 31\n", facts,
                     now);
        assert_int_equal(f->status, STATUS_PASS);
        assert_string_equal(f->summary, "The newest backup in /b is 30 hours old");
        snprintf(facts, sizeof(facts),
                 "{\"jobs\":{\"j\":{\"kind\":\"dirs\",\"newest\":{\"mtime\":%lld,\"size\":10}}}}",
                 (long long)(now - 5 * 24 * HOUR));
        f = run_rule(&r, "backup.recent", "[backup:j]\npath = /b\nmax_age_hours = 72\n", facts,
                     now);
        assert_string_equal(f->summary, "The newest backup in /b is 5 days old (limit: 3 days)");
        f = run_rule(&r, "backup.recent",
                     "[backup:j]\npath = /b\nmax_age_hours = 200\nmin_bytes = 2500000\n", facts,
                     now);
        assert_int_equal(f->status, STATUS_FAIL);
        assert_string_equal(f->summary,
                            "The newest backup in /b is only 10 bytes, under the 2.5 MB minimum");
        f = run_rule(&r, "backup.recent", "[backup:j]\npath = /b\n",
                     "{\"jobs\":{\"j\":{\"kind\":\"missing\"}}}", now);
        assert_int_equal(f->status, STATUS_FAIL);
        assert_string_equal(f->summary, "The backup folder /b does not exist");
        f = run_rule(&r, "backup.recent", "[backup:j]\npath = /b\n", "{\"jobs\":{}}", now);
        assert_int_equal(f->status, STATUS_SKIP);
        /* Dated near -2^63: as old as can be, not wrapped round to fresh. */
        f = run_rule(&r, "backup.recent", "[backup:j]\npath = /b\n",
                     "{\"jobs\":{\"j\":{\"kind\":\"files\",\"newest\":"
                     "{\"mtime\":-9223372036854775807}}}}",
                     now);
        assert_int_equal(f->status, STATUS_FAIL);
        run_free(&r);
}

static void test_rules_offsite_network_removable_same_other(void **state)
{
        static const char sys[] = "\"system\":{\"device\":\"8:2\",\"disk\":\"sda\"}";
        struct run r = { 0 };
        const struct finding *f;
        char facts[512];

        (void)state;
        snprintf(facts, sizeof(facts),
                 "{%s,\"jobs\":{\"j\":{\"kind\":\"files\",\"device\":{\"device\":\"0:50\","
                 "\"fstype\":\"cifs\",\"source\":\"//nas/b\",\"network\":true}}}}",
                 sys);
        f = run_rule(&r, "backup.offsite", "[backup:j]\npath = /b\n", facts, 0);
        assert_int_equal(f->status, STATUS_PASS);
        assert_string_equal(f->summary, "/b is on a network share (cifs //nas/b)");
        snprintf(facts, sizeof(facts),
                 "{%s,\"jobs\":{\"j\":{\"kind\":\"files\",\"device\":{\"device\":\"8:17\","
                 "\"disk\":\"sdb\",\"usb\":true,\"removable\":false}}}}",
                 sys);
        f = run_rule(&r, "backup.offsite", "[backup:j]\npath = /b\n", facts, 0);
        assert_int_equal(f->status, STATUS_PASS);
        assert_string_equal(f->summary, "/b is on a removable disk (sdb)");
        snprintf(facts, sizeof(facts),
                 "{%s,\"jobs\":{\"j\":{\"kind\":\"files\",\"device\":{\"device\":\"8:3\","
                 "\"disk\":\"sda\",\"usb\":false}}}}",
                 sys);
        f = run_rule(&r, "backup.offsite", "[backup:j]\npath = /b\n", facts, 0);
        assert_int_equal(f->status, STATUS_FAIL);
        assert_string_equal(f->summary, "/b is on the same disk as the system (sda)");
        snprintf(facts, sizeof(facts),
                 "{%s,\"jobs\":{\"j\":{\"kind\":\"files\",\"device\":{\"device\":\"8:33\","
                 "\"disk\":\"sdc\",\"usb\":false}}}}",
                 sys);
        f = run_rule(&r, "backup.offsite", "[backup:j]\npath = /b\n", facts, 0);
        assert_int_equal(f->status, STATUS_WARN);
        assert_string_equal(f->summary, "/b is on another disk inside this machine (sdc)");
        run_free(&r);
}

static void test_rules_shrunk_needs_two_measured_sizes(void **state)
{
        struct run r = { 0 };
        const struct finding *f;

        (void)state;
        f = run_rule(&r, "backup.shrunk", "[backup:j]\npath = /b\n",
                     "{\"jobs\":{\"j\":{\"kind\":\"files\",\"newest\":{\"size\":4999999},"
                     "\"previous\":{\"size\":10000000}}}}",
                     0);
        assert_int_equal(f->status, STATUS_WARN);
        assert_string_equal(
            f->summary,
            "The newest backup in /b is 5.0 MB, less than half the previous one (10 MB)");
        f = run_rule(&r, "backup.shrunk", "[backup:j]\npath = /b\n",
                     "{\"jobs\":{\"j\":{\"kind\":\"files\",\"newest\":{\"size\":5000000},"
                     "\"previous\":{\"size\":10000000}}}}",
                     0);
        assert_int_equal(f->status, STATUS_PASS);
        /* Sizes near 2^63 (sparse files): no overflow in the comparison. */
        f = run_rule(
            &r, "backup.shrunk", "[backup:j]\npath = /b\n",
            "{\"jobs\":{\"j\":{\"kind\":\"files\",\"newest\":{\"size\":5000000000000000000},"
            "\"previous\":{\"size\":9000000000000000000}}}}",
            0);
        assert_int_equal(f->status, STATUS_PASS);
        /* The newest cut short: its real size is unknown. */
        f = run_rule(&r, "backup.shrunk", "[backup:j]\npath = /b\n",
                     "{\"jobs\":{\"j\":{\"kind\":\"dirs\",\"newest\":{\"size\":1,"
                     "\"size_complete\":false},\"previous\":{\"size\":10000000}}}}",
                     0);
        assert_int_equal(f->status, STATUS_SKIP);
        f = run_rule(&r, "backup.shrunk", "[backup:j]\npath = /b\n",
                     "{\"jobs\":{\"j\":{\"kind\":\"dirs\",\"newest\":{\"size\":1,"
                     "\"size_complete\":false,\"bound\":\"depth\"},\"previous\":{\"size\":2},"
                     "\"walk\":{\"max_depth\":32}}}}",
                     0);
        assert_string_equal(f->summary, "/b: the backups hold folders nested more than 32 deep; "
                                        "their sizes are not compared");
        /* The previous cut short: still at least this big. */
        f = run_rule(&r, "backup.shrunk", "[backup:j]\npath = /b\n",
                     "{\"jobs\":{\"j\":{\"kind\":\"dirs\",\"newest\":{\"size\":1},"
                     "\"previous\":{\"size\":10000000,\"size_complete\":false}}}}",
                     0);
        assert_int_equal(f->status, STATUS_WARN);
        f = run_rule(&r, "backup.shrunk", "[backup:j]\npath = /b\n",
                     "{\"jobs\":{\"j\":{\"kind\":\"restic\",\"newest\":{\"mtime\":1}}}}", 0);
        assert_int_equal(f->status, STATUS_SKIP);
        assert_string_equal(f->summary,
                            "/b: a restic repository does not show the size of one backup");
        f = run_rule(&r, "backup.shrunk", "[backup:j]\npath = /b\n",
                     "{\"jobs\":{\"j\":{\"kind\":\"files\",\"newest\":{\"size\":1}}}}", 0);
        assert_int_equal(f->status, STATUS_SKIP);
        assert_string_equal(f->summary, "/b: only one backup, nothing to compare");
        run_free(&r);
}

/* Windows facts: the same shape, with "platform" and the products found. */
#define WIN_VEEAM                                                                                  \
        "{\"id\":\"veeam-agent\",\"name\":\"Veeam Agent for Microsoft Windows\","                  \
        "\"source\":\"backup-products.conf\",\"found_by\":[\"service VeeamEndpointBackupSvc\"]}"

static void test_rules_configured_windows_products_without_jobs(void **state)
{
        struct run r = { 0 };
        const struct finding *f;

        (void)state;
        f = run_rule(&r, "backup.configured", "", "{\"platform\":\"windows\",\"products\":[]}", 0);
        assert_int_equal(f->status, STATUS_FAIL);
        assert_non_null(strstr(f->remediation, "%ProgramData%\\Hygie\\policy.ini"));
        assert_non_null(strstr(f->remediation, "\"path = D:\\Sauvegardes\""));
        assert_non_null(strstr(f->remediation, "\"path = \\\\server\\share\\folder\""));
        f = run_rule(&r, "backup.configured", "",
                     "{\"platform\":\"windows\",\"products\":[" WIN_VEEAM "]}", 0);
        assert_int_equal(f->status, STATUS_PASS);
        assert_string_equal(f->summary,
                            "Backup software found: Veeam Agent for Microsoft Windows. Declare "
                            "where it writes as a [backup:NAME] job so that Hygie checks its "
                            "backups");
        assert_string_equal(json_string_value(json_object_get(
                                json_array_get(json_object_get(f->evidence, "products"), 0), "id")),
                            "veeam-agent");
        /* Declared jobs speak first; the products stay in the evidence. */
        f = run_rule(&r, "backup.configured", "[backup:j]\npath = /b\n",
                     "{\"platform\":\"windows\",\"products\":[" WIN_VEEAM "]}", 0);
        assert_string_equal(f->summary, "1 backup is declared");
        assert_int_equal(json_array_size(json_object_get(f->evidence, "products")), 1);
        run_free(&r);
}

static void test_rules_recent_judges_products_windows_dates(void **state)
{
        struct run r = { 0 };
        const struct finding *f;
        const time_t now = 2000000000;
        char facts[1024];

        (void)state;
        snprintf(facts, sizeof(facts),
                 "{\"platform\":\"windows\",\"products\":["
                 "{\"id\":\"file-history\",\"name\":\"File History\",\"source\":\"windows\","
                 "\"last_success\":{\"mtime\":%lld}},"
                 "{\"id\":\"windows-backup\",\"name\":\"Windows Backup (Backup and Restore)\","
                 "\"source\":\"windows\",\"last_success\":{\"mtime\":%lld}}," WIN_VEEAM "]}",
                 (long long)(now - 2 * HOUR - 5), (long long)(now - 5 * 24 * HOUR));
        f = run_rule(&r, "backup.recent", "", facts, now);
        assert_int_equal(r.out.n, 3);
        assert_int_equal(f->status, STATUS_PASS);
        assert_string_equal(f->subject, "file-history");
        assert_string_equal(f->summary, "File History last succeeded 2 hours ago");
        f = &r.out.v[1];
        assert_int_equal(f->status, STATUS_FAIL);
        assert_string_equal(f->subject, "windows-backup");
        assert_string_equal(
            f->summary, "Windows Backup (Backup and Restore) last succeeded 5 days ago (limit: 26 "
                        "hours)");
        assert_non_null(strstr(f->remediation, "max_age_hours"));
        f = &r.out.v[2];
        assert_int_equal(f->status, STATUS_SKIP);
        assert_string_equal(f->subject, "veeam-agent");
        assert_string_equal(f->summary,
                            "Veeam Agent for Microsoft Windows: Hygie cannot read when it last "
                            "succeeded; declare where it writes as a [backup:NAME] job");
        /* The policy's default age applies. */
        f = run_rule(&r, "backup.recent", "[backup]\nmax_age_hours = 168\n", facts, now);
        assert_int_equal(r.out.v[1].status, STATUS_PASS);
        /* With a job declared, an undated product says nothing more. */
        snprintf(facts, sizeof(facts),
                 "{\"platform\":\"windows\",\"products\":[" WIN_VEEAM "],\"jobs\":{\"j\":{"
                 "\"kind\":\"files\",\"newest\":{\"mtime\":%lld,\"size\":10}}}}",
                 (long long)(now - HOUR));
        f = run_rule(&r, "backup.recent", "[backup:j]\npath = /b\n", facts, now);
        assert_int_equal(r.out.n, 1);
        assert_string_equal(f->subject, "j");
        run_free(&r);
}

static void test_rules_windows_missing_and_unreadable_say_why(void **state)
{
        struct run r = { 0 };
        const struct finding *f;

        (void)state;
        f = run_rule(&r, "backup.recent", "[backup:j]\npath = /b\n",
                     "{\"platform\":\"windows\",\"jobs\":{\"j\":{\"kind\":\"missing\"}}}", 0);
        assert_int_equal(f->status, STATUS_FAIL);
        assert_non_null(strstr(f->remediation, "A drive letter mapped by a user"));
        f = run_rule(&r, "backup.recent", "[backup:j]\npath = /b\n",
                     "{\"platform\":\"windows\",\"jobs\":{\"j\":{\"kind\":\"error\"}},"
                     "\"errors\":[{\"source\":\"backup:j\",\"file\":\"\\\\\\\\nas\\\\b\","
                     "\"line\":0,\"message\":\"Access is denied.\"}]}",
                     0);
        assert_int_equal(f->status, STATUS_ERROR);
        assert_string_equal(f->summary, "/b: cannot read the backup folder: Access is denied.");
        assert_non_null(strstr(f->remediation, "LocalSystem"));
        assert_non_null(strstr(f->remediation, "DOMAIN\\COMPUTER$"));
        run_free(&r);
}

static void test_rules_offsite_windows_volumes(void **state)
{
        static const char sys[] = "\"platform\":\"windows\",\"system\":{\"device\":"
                                  "\"\\\\\\\\?\\\\Volume{a}\\\\\",\"disk\":\"PhysicalDrive0\","
                                  "\"mount\":\"C:\\\\\",\"network\":false,\"usb\":false}";
        struct run r = { 0 };
        const struct finding *f;
        char facts[1024];

        (void)state;
        /* Another partition of the system's disk. */
        snprintf(facts, sizeof(facts),
                 "{%s,\"jobs\":{\"j\":{\"kind\":\"files\",\"device\":{\"device\":"
                 "\"\\\\\\\\?\\\\Volume{b}\\\\\",\"disk\":\"PhysicalDrive0\",\"mount\":\"D:\\\\\","
                 "\"network\":false,\"removable\":false,\"usb\":false}}}}",
                 sys);
        f = run_rule(&r, "backup.offsite", "[backup:j]\npath = /b\n", facts, 0);
        assert_int_equal(f->status, STATUS_FAIL);
        assert_string_equal(f->summary, "/b is on the same disk as the system (PhysicalDrive0)");
        /* A fixed disk on USB. */
        snprintf(facts, sizeof(facts),
                 "{%s,\"jobs\":{\"j\":{\"kind\":\"files\",\"device\":{\"device\":"
                 "\"\\\\\\\\?\\\\Volume{c}\\\\\",\"disk\":\"PhysicalDrive2\",\"mount\":\"E:\\\\\","
                 "\"network\":false,\"removable\":false,\"usb\":true,\"bus\":\"usb\"}}}}",
                 sys);
        f = run_rule(&r, "backup.offsite", "[backup:j]\npath = /b\n", facts, 0);
        assert_int_equal(f->status, STATUS_PASS);
        assert_string_equal(f->summary, "/b is on a removable disk (PhysicalDrive2)");
        /* A share, named or mapped. */
        snprintf(facts, sizeof(facts),
                 "{%s,\"jobs\":{\"j\":{\"kind\":\"files\",\"device\":{\"device\":"
                 "\"\\\\\\\\nas\\\\sauvegardes\",\"source\":\"\\\\\\\\nas\\\\sauvegardes\","
                 "\"fstype\":\"smb\",\"network\":true}}}}",
                 sys);
        f = run_rule(&r, "backup.offsite", "[backup:j]\npath = /b\n", facts, 0);
        assert_int_equal(f->status, STATUS_PASS);
        assert_string_equal(f->summary, "/b is on a network share (smb \\\\nas\\sauvegardes)");
        /* The disk unknown (its extents unreadable): the volume's letter. */
        snprintf(facts, sizeof(facts),
                 "{%s,\"jobs\":{\"j\":{\"kind\":\"files\",\"device\":{\"device\":"
                 "\"\\\\\\\\?\\\\Volume{a}\\\\\",\"mount\":\"C:\\\\\",\"network\":false}}}}",
                 sys);
        f = run_rule(&r, "backup.offsite", "[backup:j]\npath = /b\n", facts, 0);
        assert_int_equal(f->status, STATUS_FAIL);
        assert_string_equal(f->summary, "/b is on the same disk as the system (C:\\)");
        snprintf(facts, sizeof(facts),
                 "{%s,\"jobs\":{\"j\":{\"kind\":\"files\",\"device\":{\"device\":"
                 "\"\\\\\\\\?\\\\Volume{d}\\\\\",\"mount\":\"D:\\\\\",\"network\":false}}}}",
                 sys);
        f = run_rule(&r, "backup.offsite", "[backup:j]\npath = /b\n", facts, 0);
        assert_int_equal(f->status, STATUS_WARN);
        assert_string_equal(f->summary,
                            "/b is on another volume of this machine (D:\\), perhaps on the "
                            "system's disk");
        run_free(&r);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_backup_files_newest_and_previous, setup,
                                                teardown),
                cmocka_unit_test_setup_teardown(test_backup_name_not_utf8_is_kept, setup, teardown),
                cmocka_unit_test(test_error_with_bytes_not_utf8_is_kept),
                cmocka_unit_test(test_time_out_of_range_is_a_question_mark),
                cmocka_unit_test_setup_teardown(test_backup_dirs_sum_sizes_without_following_links,
                                                setup, teardown),
                cmocka_unit_test_setup_teardown(test_backup_dirs_walk_stops_at_depth, setup,
                                                teardown),
                cmocka_unit_test_setup_teardown(test_backup_restic_newest_snapshot_file, setup,
                                                teardown),
                cmocka_unit_test_setup_teardown(test_backup_borg_last_transaction, setup, teardown),
                cmocka_unit_test_setup_teardown(test_backup_missing_empty_and_single_file, setup,
                                                teardown),
                cmocka_unit_test_setup_teardown(test_backup_mountinfo_decides_the_device, setup,
                                                teardown),
                cmocka_unit_test_setup_teardown(test_backup_corrupt_mountinfo_is_recorded, setup,
                                                teardown),
                cmocka_unit_test(test_rules_configured_says_how_to_declare),
                cmocka_unit_test(test_rules_recent_says_how_old),
                cmocka_unit_test(test_rules_offsite_network_removable_same_other),
                cmocka_unit_test(test_rules_shrunk_needs_two_measured_sizes),
                cmocka_unit_test(test_rules_configured_windows_products_without_jobs),
                cmocka_unit_test(test_rules_recent_judges_products_windows_dates),
                cmocka_unit_test(test_rules_windows_missing_and_unreadable_say_why),
                cmocka_unit_test(test_rules_offsite_windows_volumes),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
