/* test_file.c - replacing a small file whole: several writers at once each
 * succeed, a reader only ever sees one writer's whole text, and nothing
 * temporary is left behind. */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "file.h"

#define WRITERS 4
#define ROUNDS  400

struct fixture {
        char dir[64];
        atomic_bool stop;
        atomic_int failures;  /* file_replace calls that failed */
        atomic_int bad_reads; /* a missing, partial or mixed file seen */
        char last_error[600];
};

struct writer {
        struct fixture *f;
        int id;
};

static int setup(void **state)
{
        struct fixture *f = calloc(1, sizeof(*f));

        if (!f)
                return -1;
        snprintf(f->dir, sizeof(f->dir), "/tmp/hygie-file-XXXXXX");
        if (!mkdtemp(f->dir))
                return -1;
        *state = f;
        return 0;
}

static int teardown(void **state)
{
        struct fixture *f = *state;
        char cmd[128];

        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
        if (system(cmd) != 0)
                return -1;
        free(f);
        return 0;
}

/* Writer id's text of round r: "<id> <len>\n" then len times 'a' + id, so a
 * reader can tell a whole text from a part or a mix of two. */
static size_t text_of(int id, int r, char *buf, size_t size)
{
        size_t len = 100 + (size_t)((id * 131 + r * 17) % 900);
        int n = snprintf(buf, size, "%d %zu\n", id, len);

        memset(buf + n, 'a' + id, len);
        return (size_t)n + len;
}

static bool text_whole(const char *buf, size_t n)
{
        int id;
        size_t len;
        const char *body = memchr(buf, '\n', n);

        if (!body || sscanf(buf, "%d %zu", &id, &len) != 2 || id < 0 || id >= WRITERS)
                return false;
        body++;
        if ((size_t)(buf + n - body) != len)
                return false;
        for (size_t i = 0; i < len; i++)
                if (body[i] != 'a' + id)
                        return false;
        return true;
}

static void *write_loop(void *arg)
{
        struct writer *w = arg;
        char buf[2048];
        struct error e;

        for (int r = 0; r < ROUNDS; r++) {
                size_t len = text_of(w->id, r, buf, sizeof(buf));

                if (file_replace(w->f->dir, "status.json", buf, len, 0644, &e) < 0 &&
                    atomic_fetch_add(&w->f->failures, 1) == 0)
                        error_str(&e, w->f->last_error, sizeof(w->f->last_error));
        }
        return NULL;
}

static void *read_loop(void *arg)
{
        struct fixture *f = arg;
        char path[128], buf[4096];

        snprintf(path, sizeof(path), "%s/status.json", f->dir);
        while (!atomic_load(&f->stop)) {
                FILE *fp = fopen(path, "r");
                size_t n;

                if (!fp) {
                        atomic_fetch_add(&f->bad_reads, 1);
                        continue;
                }
                n = fread(buf, 1, sizeof(buf), fp);
                fclose(fp);
                if (!text_whole(buf, n))
                        atomic_fetch_add(&f->bad_reads, 1);
        }
        return NULL;
}

static size_t leftovers(const char *dir)
{
        DIR *d = opendir(dir);
        struct dirent *de;
        size_t n = 0;

        assert_non_null(d);
        while ((de = readdir(d)))
                n += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0 &&
                     strcmp(de->d_name, "status.json") != 0;
        closedir(d);
        return n;
}

static void test_file_replace_concurrent_writers_each_succeed_whole(void **state)
{
        struct fixture *f = *state;
        struct writer w[WRITERS];
        pthread_t wt[WRITERS], rt;
        char buf[2048];
        struct error e;
        size_t len = text_of(0, 0, buf, sizeof(buf));

        /* The reader starts on a whole file: from then on it must never
         * find the file missing, short or mixed. */
        assert_int_equal(file_replace(f->dir, "status.json", buf, len, 0644, &e), 0);
        assert_int_equal(pthread_create(&rt, NULL, read_loop, f), 0);
        for (int i = 0; i < WRITERS; i++) {
                w[i] = (struct writer){ .f = f, .id = i };
                assert_int_equal(pthread_create(&wt[i], NULL, write_loop, &w[i]), 0);
        }
        for (int i = 0; i < WRITERS; i++)
                pthread_join(wt[i], NULL);
        atomic_store(&f->stop, true);
        pthread_join(rt, NULL);
        if (atomic_load(&f->failures))
                fail_msg("%d of %d writes failed, first: %s", atomic_load(&f->failures),
                         WRITERS * ROUNDS, f->last_error);
        assert_int_equal(atomic_load(&f->bad_reads), 0);
        assert_int_equal(leftovers(f->dir), 0);
}

static void test_file_replace_failed_rename_leaves_no_temporary(void **state)
{
        struct fixture *f = *state;
        char path[128];
        struct error e;
        struct stat st;

        snprintf(path, sizeof(path), "%s/status.json", f->dir);
        assert_int_equal(mkdir(path, 0700), 0);
        assert_int_equal(file_replace(f->dir, "status.json", "{}", 2, 0644, &e), -EISDIR);
        assert_string_equal(e.file, path);
        assert_int_equal(stat(path, &st), 0);
        assert_true(S_ISDIR(st.st_mode));
        assert_int_equal(leftovers(f->dir), 0);
}

static void test_file_replace_sets_mode(void **state)
{
        struct fixture *f = *state;
        char path[128];
        struct error e;
        struct stat st;

        snprintf(path, sizeof(path), "%s/status.json", f->dir);
        assert_int_equal(file_replace(f->dir, "status.json", "{}", 2, 0644, &e), 0);
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0644);
        assert_int_equal(st.st_size, 2);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(
                    test_file_replace_concurrent_writers_each_succeed_whole, setup, teardown),
                cmocka_unit_test_setup_teardown(test_file_replace_failed_rename_leaves_no_temporary,
                                                setup, teardown),
                cmocka_unit_test_setup_teardown(test_file_replace_sets_mode, setup, teardown),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
