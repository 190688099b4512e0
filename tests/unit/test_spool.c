/* test_spool.c - the agent's report spool: reports survive restarts and a
 * full disk, come back oldest first, and eviction keeps each family's newest
 * state. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "spool.h"

struct fixture {
        char top[64];  /* the test's own directory */
        char dir[128]; /* the spool in it */
        bool mounted;  /* a tmpfs on top */
};

static int setup(void **state)
{
        struct fixture *f = calloc(1, sizeof(*f));

        if (!f)
                return -1;
        snprintf(f->top, sizeof(f->top), "/tmp/hygie-spool-XXXXXX");
        if (!mkdtemp(f->top))
                return -1;
        snprintf(f->dir, sizeof(f->dir), "%s/spool", f->top);
        *state = f;
        return 0;
}

static int teardown(void **state)
{
        struct fixture *f = *state;
        char cmd[128];

        /* Detached: a failed test may leave the spool open on it. */
        if (f->mounted && umount2(f->top, MNT_DETACH) < 0)
                return -1;
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->top);
        if (system(cmd) != 0)
                return -1;
        free(f);
        return 0;
}

static void put(struct spool *s, uint64_t seq, unsigned families, size_t len)
{
        char *data = malloc(len);
        struct error e;

        assert_non_null(data);
        memset(data, 'a' + (int)(seq % 26), len);
        if (spool_put(s, seq, families, data, len, &e) < 0)
                fail_msg("%s: %s", e.file, e.msg);
        free(data);
}

static void file_in(char *buf, size_t size, const char *dir, const char *name)
{
        snprintf(buf, size, "%s/%s", dir, name);
}

static void write_file(const char *dir, const char *name, const char *text)
{
        char path[256];
        int fd;

        file_in(path, sizeof(path), dir, name);
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
        assert_int_equal(close(fd), 0);
}

static bool exists(const char *dir, const char *name)
{
        char path[256];
        struct stat st;

        file_in(path, sizeof(path), dir, name);
        return lstat(path, &st) == 0;
}

/* Names in dir that start with prefix. */
static int count_prefixed(const char *dir, const char *prefix)
{
        struct dirent *de;
        DIR *d = opendir(dir);
        int n = 0;

        assert_non_null(d);
        while ((de = readdir(d)))
                n += strncmp(de->d_name, prefix, strlen(prefix)) == 0;
        closedir(d);
        return n;
}

static int name_cmp(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The seqs of the entry files in dir, in name order: "1,3". */
static const char *on_disk(const char *dir, char *buf, size_t size)
{
        char *names[64];
        struct dirent *de;
        DIR *d = opendir(dir);
        size_t n = 0, used = 0;

        assert_non_null(d);
        while ((de = readdir(d)))
                if (strstr(de->d_name, ".report") && n < 64)
                        names[n++] = strdup(de->d_name);
        closedir(d);
        qsort(names, n, sizeof(*names), name_cmp);
        buf[0] = '\0';
        for (size_t i = 0; i < n; i++) {
                used += (size_t)snprintf(buf + used, size - used, "%s%llu", i ? "," : "",
                                         strtoull(names[i], NULL, 10));
                free(names[i]);
        }
        return buf;
}

static void assert_reads_back(struct spool *s, const struct spool_entry *ent, uint64_t seq,
                              size_t len)
{
        struct error e;
        size_t got;
        void *data;

        assert_int_equal(spool_read(s, ent, &data, &got, &e), 0);
        assert_int_equal(got, len);
        for (size_t i = 0; i < len; i++)
                assert_int_equal(((unsigned char *)data)[i], 'a' + (int)(seq % 26));
        free(data);
}

static void test_spool_put_oldest_read_remove_round_trip(void **state)
{
        struct fixture *f = *state;
        struct spool_entry ent;
        struct spool *s;
        struct error e;
        uint64_t bytes;
        size_t count;

        assert_int_equal(spool_open(f->dir, 1 << 20, &s, &e), 0);
        assert_int_equal(spool_oldest(s, &ent), -ENOENT);
        assert_int_equal(spool_put(s, 7, 0x05, "gzip bytes", 10, &e), 0);
        assert_int_equal(spool_oldest(s, &ent), 0);
        assert_int_equal(ent.seq, 7);
        assert_int_equal(ent.families, 0x05);
        assert_int_equal(ent.bytes, 10);
        assert_string_equal(ent.name, "00000000000000000007-05.report");

        void *data;
        size_t len;
        assert_int_equal(spool_read(s, &ent, &data, &len, &e), 0);
        assert_int_equal(len, 10);
        assert_memory_equal(data, "gzip bytes", 10);
        free(data);

        assert_int_equal(spool_remove(s, &ent, &e), 0);
        assert_false(exists(f->dir, "00000000000000000007-05.report"));
        spool_stats(s, &count, &bytes);
        assert_int_equal(count, 0);
        assert_int_equal(bytes, 0);
        assert_int_equal(spool_oldest(s, &ent), -ENOENT);
        spool_close(s);
}

static void test_spool_open_creates_directory_0700_and_entries_0600(void **state)
{
        struct fixture *f = *state;
        char path[256];
        struct spool *s;
        struct error e;
        struct stat st;

        umask(022);
        assert_int_equal(spool_open(f->dir, 1 << 20, &s, &e), 0);
        assert_int_equal(stat(f->dir, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0700);
        put(s, 1, 0x01, 10);
        file_in(path, sizeof(path), f->dir, "00000000000000000001-01.report");
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0600);
        spool_close(s);
}

static void test_spool_oldest_is_lowest_seq(void **state)
{
        struct fixture *f = *state;
        struct spool_entry ent;
        struct spool *s;
        struct error e;

        assert_int_equal(spool_open(f->dir, 1 << 20, &s, &e), 0);
        put(s, 20, 0x01, 3);
        put(s, 3, 0x02, 4);
        put(s, 11, 0x01, 5);
        assert_int_equal(spool_oldest(s, &ent), 0);
        assert_int_equal(ent.seq, 3);
        assert_int_equal(spool_remove(s, &ent, &e), 0);
        assert_int_equal(spool_oldest(s, &ent), 0);
        assert_int_equal(ent.seq, 11);
        assert_int_equal(spool_remove(s, &ent, &e), 0);
        assert_int_equal(spool_oldest(s, &ent), 0);
        assert_int_equal(ent.seq, 20);
        spool_close(s);
}

static void test_spool_put_of_spooled_seq_is_refused(void **state)
{
        struct fixture *f = *state;
        struct spool *s;
        struct error e;
        char buf[64];

        assert_int_equal(spool_open(f->dir, 1 << 20, &s, &e), 0);
        put(s, 4, 0x01, 3);
        assert_int_equal(spool_put(s, 4, 0x02, "new", 3, &e), -EEXIST);
        assert_string_equal(e.msg, "report 4 is already in the spool");
        assert_string_equal(on_disk(f->dir, buf, sizeof(buf)), "4");
        spool_close(s);
}

static void test_spool_reopen_rebuilds_index_and_last_seq(void **state)
{
        struct fixture *f = *state;
        struct spool_entry ent;
        struct spool *s;
        struct error e;
        uint64_t bytes;
        size_t count;

        assert_int_equal(spool_open(f->dir, 1 << 20, &s, &e), 0);
        assert_int_equal(spool_last_seq(s), 0);
        put(s, 41, 0x01, 100);
        put(s, 42, 0x3f, 200);
        put(s, 40, 0x02, 50);
        spool_close(s);

        assert_int_equal(spool_open(f->dir, 1 << 20, &s, &e), 0);
        spool_stats(s, &count, &bytes);
        assert_int_equal(count, 3);
        assert_int_equal(bytes, 350);
        assert_int_equal(spool_last_seq(s), 42);
        assert_int_equal(spool_oldest(s, &ent), 0);
        assert_int_equal(ent.seq, 40);
        assert_int_equal(ent.families, 0x02);
        assert_int_equal(ent.bytes, 50);
        assert_reads_back(s, &ent, 40, 50);
        spool_close(s);
}

static void test_spool_open_removes_leftover_tmp_files(void **state)
{
        struct fixture *f = *state;
        struct spool *s;
        struct error e;
        uint64_t bytes;
        size_t count;

        assert_int_equal(mkdir(f->dir, 0700), 0);
        write_file(f->dir, ".tmp-00000000000000000009", "half a rep");
        write_file(f->dir, ".tmp-x", "");
        assert_int_equal(spool_open(f->dir, 1 << 20, &s, &e), 0);
        assert_int_equal(count_prefixed(f->dir, ".tmp-"), 0);
        spool_stats(s, &count, &bytes);
        assert_int_equal(count, 0);
        spool_close(s);
}

static void test_spool_open_leaves_unknown_files_alone(void **state)
{
        struct fixture *f = *state;
        const char *names[] = { "README",
                                "00000000000000000001-01.report.bak",
                                "1-01.report",
                                "00000000000000000000-01.report",
                                "00000000000000000001-40.report",
                                "00000000000000000001-0A.report",
                                "99999999999999999999-01.report" };
        struct spool *s;
        struct error e;
        uint64_t bytes;
        size_t count;

        assert_int_equal(mkdir(f->dir, 0700), 0);
        for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
                write_file(f->dir, names[i], "data");
        assert_int_equal(spool_open(f->dir, 1 << 20, &s, &e), 0);
        spool_stats(s, &count, &bytes);
        assert_int_equal(count, 0);
        assert_int_equal(spool_last_seq(s), 0);
        spool_close(s);
        for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
                assert_true(exists(f->dir, names[i]));
}

static void test_spool_open_removes_empty_entries(void **state)
{
        struct fixture *f = *state;
        struct spool *s;
        struct error e;
        uint64_t bytes;
        size_t count;

        assert_int_equal(mkdir(f->dir, 0700), 0);
        write_file(f->dir, "00000000000000000001-01.report", "");
        write_file(f->dir, "00000000000000000002-01.report", "report");
        assert_int_equal(spool_open(f->dir, 1 << 20, &s, &e), 0);
        spool_stats(s, &count, &bytes);
        assert_int_equal(count, 1);
        assert_int_equal(bytes, 6);
        assert_false(exists(f->dir, "00000000000000000001-01.report"));
        spool_close(s);
}

static void test_spool_symlink_at_entry_name_is_not_followed(void **state)
{
        struct fixture *f = *state;
        char target[256], link[256], buf[64];
        struct spool_entry ent = {
                .seq = 5, .families = 0x01, .bytes = 6, .name = "00000000000000000005-01.report"
        };
        struct spool *s;
        struct error e;
        uint64_t bytes;
        size_t count, len;
        void *data;

        assert_int_equal(mkdir(f->dir, 0700), 0);
        write_file(f->top, "secret", "secret");
        file_in(target, sizeof(target), f->top, "secret");
        file_in(link, sizeof(link), f->dir, ent.name);
        assert_int_equal(symlink(target, link), 0);

        assert_int_equal(spool_open(f->dir, 1 << 20, &s, &e), 0);
        spool_stats(s, &count, &bytes);
        assert_int_equal(count, 0);
        assert_int_equal(spool_read(s, &ent, &data, &len, &e), -EINVAL);
        assert_string_equal(e.file, link);
        assert_string_equal(e.msg, "cannot read: not a regular file");
        /* Nor is it replaced by a put of the same name. */
        assert_int_equal(spool_put(s, 5, 0x01, "report", 6, &e), -EEXIST);
        assert_string_equal(e.msg, "cannot store report 5: File exists");
        assert_int_equal(count_prefixed(f->dir, ".tmp-"), 0);
        spool_close(s);
        assert_int_equal(readlink(link, buf, sizeof(buf)), (ssize_t)strlen(target));
        assert_true(exists(f->top, "secret"));
        assert_string_equal(on_disk(f->dir, buf, sizeof(buf)), "5");
}

static void test_spool_read_of_vanished_entry_is_enoent(void **state)
{
        struct fixture *f = *state;
        struct spool_entry ent;
        char path[256];
        struct spool *s;
        struct error e;
        uint64_t bytes;
        size_t count, len;
        void *data = (void *)1;

        assert_int_equal(spool_open(f->dir, 1 << 20, &s, &e), 0);
        put(s, 1, 0x01, 10);
        assert_int_equal(spool_oldest(s, &ent), 0);
        file_in(path, sizeof(path), f->dir, ent.name);
        assert_int_equal(unlink(path), 0);
        assert_int_equal(spool_read(s, &ent, &data, &len, &e), -ENOENT);
        assert_null(data);
        assert_string_equal(e.file, path);
        assert_string_equal(e.msg, "cannot read: No such file or directory");
        spool_stats(s, &count, &bytes);
        assert_int_equal(count, 0);
        assert_int_equal(bytes, 0);
        spool_close(s);
}

static void test_spool_remove_of_gone_entry_is_zero(void **state)
{
        struct fixture *f = *state;
        struct spool_entry ent;
        struct spool *s;
        struct error e;

        assert_int_equal(spool_open(f->dir, 1 << 20, &s, &e), 0);
        put(s, 1, 0x01, 10);
        assert_int_equal(spool_oldest(s, &ent), 0);
        assert_int_equal(spool_remove(s, &ent, &e), 0);
        assert_int_equal(spool_remove(s, &ent, &e), 0);
        spool_close(s);
}

static void test_spool_eviction_drops_oldest_first(void **state)
{
        struct fixture *f = *state;
        struct spool *s;
        struct error e;
        uint64_t bytes;
        size_t count;
        char buf[64];

        assert_int_equal(spool_open(f->dir, 100, &s, &e), 0);
        put(s, 1, 0x01, 40);
        put(s, 2, 0x01, 40);
        assert_int_equal(spool_evicted(s), 0);
        put(s, 3, 0x01, 40);
        assert_int_equal(spool_evicted(s), 1);
        put(s, 4, 0x01, 40);
        assert_int_equal(spool_evicted(s), 2);
        spool_stats(s, &count, &bytes);
        assert_int_equal(count, 2);
        assert_int_equal(bytes, 80);
        assert_string_equal(on_disk(f->dir, buf, sizeof(buf)), "3,4");
        spool_close(s);
}

static void test_spool_eviction_keeps_just_written(void **state)
{
        struct fixture *f = *state;
        struct spool *s;
        struct error e;
        char buf[64];

        assert_int_equal(spool_open(f->dir, 100, &s, &e), 0);
        put(s, 1, 0x01, 50);
        put(s, 2, 0x01, 50);
        /* A report of no family protects nothing but itself, just written. */
        put(s, 3, 0x00, 60);
        assert_int_equal(spool_evicted(s), 1);
        assert_string_equal(on_disk(f->dir, buf, sizeof(buf)), "2,3");
        spool_close(s);
}

static void test_spool_eviction_keeps_newest_of_family_even_when_oldest(void **state)
{
        struct fixture *f = *state;
        struct spool_entry ent;
        struct spool *s;
        struct error e;
        char buf[64];

        assert_int_equal(spool_open(f->dir, 100, &s, &e), 0);
        put(s, 1, 0x04, 40);
        put(s, 2, 0x01, 40);
        put(s, 3, 0x01, 40);
        assert_int_equal(spool_evicted(s), 1);
        assert_string_equal(on_disk(f->dir, buf, sizeof(buf)), "1,3");
        assert_int_equal(spool_oldest(s, &ent), 0);
        assert_int_equal(ent.seq, 1);
        assert_reads_back(s, &ent, 1, 40);
        spool_close(s);
}

static void test_spool_report_alone_over_max_bytes_is_kept(void **state)
{
        struct fixture *f = *state;
        struct spool_entry ent;
        struct spool *s;
        struct error e;
        uint64_t bytes;
        size_t count;
        char buf[64];

        assert_int_equal(spool_open(f->dir, 100, &s, &e), 0);
        put(s, 1, 0x01, 40);
        put(s, 2, 0x02, 40);
        put(s, 3, 0x03, 150);
        assert_int_equal(spool_evicted(s), 2);
        spool_stats(s, &count, &bytes);
        assert_int_equal(count, 1);
        assert_int_equal(bytes, 150);
        assert_string_equal(on_disk(f->dir, buf, sizeof(buf)), "3");
        assert_int_equal(spool_oldest(s, &ent), 0);
        assert_reads_back(s, &ent, 3, 150);
        spool_close(s);
}

static void test_spool_put_over_report_max_is_refused(void **state)
{
        struct fixture *f = *state;
        static const char data[1];
        struct spool *s;
        struct error e;
        char buf[64];

        assert_int_equal(spool_open(f->dir, 1 << 20, &s, &e), 0);
        /* The size is refused before any byte is read. */
        assert_int_equal(spool_put(s, 1, 0x01, data, SPOOL_REPORT_MAX + 1, &e), -EFBIG);
        assert_string_equal(e.file, f->dir);
        assert_string_equal(e.msg, "report 1 is over 67108864 bytes");
        assert_string_equal(on_disk(f->dir, buf, sizeof(buf)), "");
        assert_int_equal(count_prefixed(f->dir, ".tmp-"), 0);
        spool_close(s);
}

static void test_spool_read_of_entry_over_report_max_is_efbig(void **state)
{
        struct fixture *f = *state;
        struct spool_entry ent;
        char path[256];
        struct spool *s;
        struct error e;
        size_t len;
        void *data;
        int fd;

        assert_int_equal(mkdir(f->dir, 0700), 0);
        file_in(path, sizeof(path), f->dir, "00000000000000000001-01.report");
        fd = open(path, O_WRONLY | O_CREAT, 0600);
        assert_true(fd >= 0);
        assert_int_equal(ftruncate(fd, SPOOL_REPORT_MAX + 1), 0); /* sparse */
        assert_int_equal(close(fd), 0);
        assert_int_equal(spool_open(f->dir, 1 << 20, &s, &e), 0);
        assert_int_equal(spool_oldest(s, &ent), 0);
        assert_int_equal(ent.bytes, SPOOL_REPORT_MAX + 1);
        assert_int_equal(spool_read(s, &ent, &data, &len, &e), -EFBIG);
        assert_string_equal(e.file, path);
        assert_string_equal(e.msg, "cannot read: over 67108864 bytes");
        assert_int_equal(spool_remove(s, &ent, &e), 0);
        spool_close(s);
}

static void test_spool_second_open_is_busy(void **state)
{
        struct fixture *f = *state;
        struct spool *s, *other;
        struct error e;

        assert_int_equal(spool_open(f->dir, 1 << 20, &s, &e), 0);
        assert_int_equal(spool_open(f->dir, 1 << 20, &other, &e), -EBUSY);
        assert_null(other);
        assert_string_equal(e.file, f->dir);
        assert_string_equal(e.msg, "the spool is in use by another process");
        spool_close(s);
        assert_int_equal(spool_open(f->dir, 1 << 20, &s, &e), 0);
        spool_close(s);
}

static void test_spool_open_refuses_directory_writable_by_others(void **state)
{
        struct fixture *f = *state;
        struct spool *s;
        struct error e;

        assert_int_equal(mkdir(f->dir, 0700), 0);
        assert_int_equal(chmod(f->dir, 0777), 0);
        assert_int_equal(spool_open(f->dir, 1 << 20, &s, &e), -EPERM);
        assert_null(s);
        assert_string_equal(e.file, f->dir);
        assert_string_equal(e.msg, "the spool directory is writable by other users");
}

/* A 64 KiB tmpfs on f->top, seen by this process alone. */
static bool mount_tiny_fs(struct fixture *f)
{
        if (geteuid() != 0 || unshare(CLONE_NEWNS) < 0)
                return false;
        /* Keep the mount from propagating to the rest of the machine (in a
         * chroot, "/" is no mount point and this cannot be done: skip). */
        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                return false;
        assert_int_equal(mount("tmpfs", f->top, "tmpfs", 0, "size=64k,mode=0700"), 0);
        f->mounted = true;
        return true;
}

static void test_spool_full_disk_fails_put_and_keeps_entries(void **state)
{
        struct fixture *f = *state;
        static char filler[4096];
        struct spool_entry ent;
        char path[256];
        struct spool *s;
        struct error e;
        uint64_t bytes;
        size_t count;
        int fd;

        if (!mount_tiny_fs(f)) {
                skip();
                return;
        }
        assert_int_equal(spool_open(f->dir, 1 << 20, &s, &e), 0);
        put(s, 1, 0x01, 8192);
        put(s, 2, 0x02, 100);
        file_in(path, sizeof(path), f->top, "filler");
        fd = open(path, O_WRONLY | O_CREAT, 0600);
        assert_true(fd >= 0);
        while (write(fd, filler, sizeof(filler)) > 0)
                ;
        assert_int_equal(errno, ENOSPC);
        assert_int_equal(close(fd), 0);

        char *report = calloc(1, 16384);
        assert_non_null(report);
        assert_int_equal(spool_put(s, 3, 0x04, report, 16384, &e), -ENOSPC);
        free(report);
        assert_string_equal(e.file, f->dir);
        assert_string_equal(e.msg, "cannot store report 3: No space left on device");
        assert_int_equal(count_prefixed(f->dir, ".tmp-"), 0);
        assert_false(exists(f->dir, "00000000000000000003-04.report"));
        spool_stats(s, &count, &bytes);
        assert_int_equal(count, 2);
        assert_int_equal(bytes, 8292);
        assert_int_equal(spool_last_seq(s), 2);
        assert_int_equal(spool_oldest(s, &ent), 0);
        assert_reads_back(s, &ent, 1, 8192);
        assert_int_equal(spool_remove(s, &ent, &e), 0);
        assert_int_equal(spool_oldest(s, &ent), 0);
        assert_reads_back(s, &ent, 2, 100);
        spool_close(s);
}

static void test_spool_set_aside_keeps_the_newest_refused(void **state)
{
        struct fixture *f = *state;
        char refused[256], buf[256];
        struct spool_entry ent;
        struct spool *s;
        struct error e;
        struct stat st;
        uint64_t bytes;
        size_t count;

        assert_int_equal(spool_open(f->dir, 1 << 20, &s, &e), 0);
        for (uint64_t seq = 1; seq <= SPOOL_REFUSED_MAX + 2; seq++)
                put(s, seq, 0x3f, 100);
        while (spool_oldest(s, &ent) == 0)
                assert_int_equal(spool_set_aside(s, &ent, &e), 0);
        spool_stats(s, &count, &bytes);
        assert_int_equal(count, 0);
        assert_int_equal(bytes, 0);
        assert_string_equal(on_disk(f->dir, buf, sizeof(buf)), "");
        file_in(refused, sizeof(refused), f->dir, SPOOL_REFUSED_DIR);
        assert_int_equal(stat(refused, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0700);
        assert_string_equal(on_disk(refused, buf, sizeof(buf)), "3,4,5,6,7,8,9,10,11,12");
        /* Set aside, not indexed again; an entry gone is no error. */
        assert_int_equal(spool_set_aside(s, &ent, &e), 0);
        spool_close(s);
        assert_int_equal(spool_open(f->dir, 1 << 20, &s, &e), 0);
        assert_int_equal(spool_oldest(s, &ent), -ENOENT);
        assert_int_equal(spool_last_seq(s), 0);
        spool_close(s);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
                T(test_spool_put_oldest_read_remove_round_trip),
                T(test_spool_open_creates_directory_0700_and_entries_0600),
                T(test_spool_oldest_is_lowest_seq),
                T(test_spool_put_of_spooled_seq_is_refused),
                T(test_spool_reopen_rebuilds_index_and_last_seq),
                T(test_spool_open_removes_leftover_tmp_files),
                T(test_spool_open_leaves_unknown_files_alone),
                T(test_spool_open_removes_empty_entries),
                T(test_spool_symlink_at_entry_name_is_not_followed),
                T(test_spool_read_of_vanished_entry_is_enoent),
                T(test_spool_remove_of_gone_entry_is_zero),
                T(test_spool_eviction_drops_oldest_first),
                T(test_spool_eviction_keeps_just_written),
                T(test_spool_eviction_keeps_newest_of_family_even_when_oldest),
                T(test_spool_report_alone_over_max_bytes_is_kept),
                T(test_spool_put_over_report_max_is_refused),
                T(test_spool_read_of_entry_over_report_max_is_efbig),
                T(test_spool_second_open_is_busy),
                T(test_spool_open_refuses_directory_writable_by_others),
                T(test_spool_set_aside_keeps_the_newest_refused),
                /* Last: it moves the process into its own mount namespace. */
                T(test_spool_full_disk_fails_put_and_keeps_entries),
#undef T
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
