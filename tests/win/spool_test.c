/* spool_test.c - the agent's spool on Windows, run under wine: entries come
 * back oldest first, eviction keeps each family's newest, refused reports
 * are set aside, a crash's temporary file is removed, a second agent is
 * refused and a directory named in French works. Exits 1 on any mismatch.
 * Usage: spool-test.exe [DIR-WRITABLE-BY-ALL]; it works in a directory of its
 * own under %TEMP%. */
#include <windows.h>
#include <aclapi.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dirops.h"
#include "spool.h"
#include "state.h"
#include "win.h"

static int failures;

#define CHECK(cond)                                                                                \
        do {                                                                                       \
                if (!(cond)) {                                                                     \
                        fprintf(stderr, "spool-test: %s:%d: %s\n", __FILE__, __LINE__, #cond);     \
                        failures++;                                                                \
                }                                                                                  \
        } while (0)

/* Whether name is in dir, not following it. */
static bool exists(const char *dir, const char *name)
{
        struct dirops_stat st;
        struct dirops *d;
        bool found;

        if (dirops_open(dir, false, &d) < 0)
                return false;
        found = dirops_stat(d, name, &st) == 0;
        dirops_close(d);
        return found;
}

struct seqs {
        char *buf;
        size_t size, used;
        uint64_t v[64];
        size_t n;
};

static int seq_of(const char *name, void *arg)
{
        struct seqs *s = arg;

        if (strstr(name, ".report") && s->n < 64)
                s->v[s->n++] = strtoull(name, NULL, 10);
        return 0;
}

static int u64_cmp(const void *a, const void *b)
{
        uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

        return (x > y) - (x < y);
}

/* The seqs of the entry files in dir, sorted: "1,3". */
static const char *on_disk(const char *dir, char *buf, size_t size)
{
        struct seqs s = { .buf = buf, .size = size, .used = 0, .v = { 0 }, .n = 0 };
        struct dirops *d;

        buf[0] = '\0';
        if (dirops_open(dir, false, &d) < 0)
                return "(no directory)";
        dirops_list(d, seq_of, &s);
        dirops_close(d);
        qsort(s.v, s.n, sizeof(s.v[0]), u64_cmp);
        for (size_t i = 0; i < s.n; i++)
                s.used += (size_t)snprintf(buf + s.used, size - s.used, "%s%" PRIu64, i ? "," : "",
                                           s.v[i]);
        return buf;
}

static void put(struct spool *s, uint64_t seq, unsigned families, size_t len)
{
        char *data = malloc(len);
        struct error e;
        int rc;

        memset(data, 'a' + (int)(seq % 26), len);
        rc = spool_put(s, seq, families, data, len, &e);
        if (rc < 0)
                fprintf(stderr, "spool-test: put %" PRIu64 ": %s: %s\n", seq, e.file, e.msg);
        CHECK(rc == 0);
        free(data);
}

static void write_file(const char *dir, const char *name, const char *text)
{
        struct dirops *d;

        CHECK(dirops_open(dir, false, &d) == 0);
        if (d)
                CHECK(dirops_create(d, name, 0600, text, strlen(text)) == 0);
        dirops_close(d);
}

static void test_spool(const char *dir)
{
        char buf[256], refused[1024];
        struct spool *s, *other;
        struct spool_entry ent;
        struct error e;
        uint64_t bytes;
        size_t count, len;
        void *data;

        CHECK(spool_open(dir, 100, &s, &e) == 0);
        if (!s) {
                fprintf(stderr, "spool-test: %s: %s\n", e.file, e.msg);
                return;
        }
        /* One agent at a time. */
        CHECK(spool_open(dir, 100, &other, &e) == -EBUSY);
        CHECK(!strcmp(e.msg, "the spool is in use by another process"));

        put(s, 20, 0x01, 10);
        put(s, 3, 0x02, 10);
        put(s, 11, 0x01, 10);
        CHECK(spool_put(s, 11, 0x04, "x", 1, &e) == -EEXIST);
        CHECK(spool_oldest(s, &ent) == 0 && ent.seq == 3 && ent.families == 0x02);
        CHECK(!strcmp(ent.name, "00000000000000000003-02.report"));
        CHECK(spool_read(s, &ent, &data, &len, &e) == 0 && len == 10 &&
              !memcmp(data, "dddddddddd", 10));
        free(data);
        CHECK(spool_remove(s, &ent, &e) == 0);
        CHECK(!exists(dir, ent.name));
        CHECK(spool_remove(s, &ent, &e) == 0);
        CHECK(!strcmp(on_disk(dir, buf, sizeof(buf)), "11,20"));

        /* Over 100 bytes: the oldest go, but the newest of family 0x04 (the
         * oldest entry) and the report just written stay. */
        put(s, 21, 0x04, 30);
        put(s, 22, 0x01, 40);
        put(s, 23, 0x01, 40);
        CHECK(!strcmp(on_disk(dir, buf, sizeof(buf)), "21,23"));
        CHECK(spool_evicted(s) == 3);
        spool_stats(s, &count, &bytes);
        CHECK(count == 2 && bytes == 70);

        /* Refused for good: set aside, the newest SPOOL_REFUSED_MAX kept. */
        CHECK(spool_oldest(s, &ent) == 0 && ent.seq == 21);
        CHECK(spool_set_aside(s, &ent, &e) == 0);
        for (uint64_t seq = 30; seq < 30 + SPOOL_REFUSED_MAX; seq++)
                put(s, seq, 0x3f, 5);
        while (spool_oldest(s, &ent) == 0)
                CHECK(spool_set_aside(s, &ent, &e) == 0);
        snprintf(refused, sizeof(refused), "%s\\%s", dir, SPOOL_REFUSED_DIR);
        CHECK(!strcmp(on_disk(refused, buf, sizeof(buf)), "30,31,32,33,34,35,36,37,38,39"));
        CHECK(!strcmp(on_disk(dir, buf, sizeof(buf)), ""));
        CHECK(spool_last_seq(s) == 0);
        put(s, 50, 0x01, 7);
        spool_close(s);

        /* A crash's temporary file is removed, an empty entry too, an
         * unknown file left alone; the entries are indexed again. */
        write_file(dir, ".tmp-00000000000000000051", "partial");
        write_file(dir, "00000000000000000049-01.report", "");
        write_file(dir, "notes.txt", "mine");
        CHECK(spool_open(dir, 100, &s, &e) == 0);
        if (!s)
                return;
        CHECK(!exists(dir, ".tmp-00000000000000000051"));
        CHECK(!exists(dir, "00000000000000000049-01.report"));
        CHECK(exists(dir, "notes.txt"));
        CHECK(spool_last_seq(s) == 50);
        CHECK(spool_oldest(s, &ent) == 0 && ent.seq == 50 && ent.bytes == 7);
        CHECK(spool_read(s, &ent, &data, &len, &e) == 0 && len == 7);
        free(data);
        spool_close(s);
}

/* The state files: replaced whole, read back, a damaged one said so. */
static void test_state(const char *dir)
{
        struct agent_state st = { 0 }, back;
        unsigned long long seq;
        struct dirops *d;
        struct error e;

        CHECK(state_seq_load(dir, &seq, &e) == 0 && seq == 0);
        CHECK(state_seq_save(dir, 41, &e) == 0);
        CHECK(state_seq_save(dir, 42, &e) == 0);
        CHECK(state_seq_load(dir, &seq, &e) == 0 && seq == 42);
        CHECK(state_load(dir, &back, &e) == -ENOENT);
        snprintf(st.dir, sizeof(st.dir), "%s", dir);
        snprintf(st.server, sizeof(st.server), "https://collecteur.example:8443");
        snprintf(st.agent_id, sizeof(st.agent_id), "0b6f8f5e-8d2a-4f4e-9a43-3c1d2f8e7a10");
        st.enrolled_at = 1700000000;
        CHECK(state_save(&st, &e) == 0);
        CHECK(state_load(dir, &back, &e) == 0);
        CHECK(!strcmp(back.server, st.server) && !strcmp(back.agent_id, st.agent_id) &&
              back.enrolled_at == 1700000000);
        CHECK(dirops_open(dir, false, &d) == 0);
        if (d) {
                CHECK(dirops_remove(d, "seq") == 0);
                CHECK(dirops_create(d, "seq", 0600, "4x\n", 3) == 0);
        }
        dirops_close(d);
        CHECK(state_seq_load(dir, &seq, &e) == -EINVAL && seq == 0);
        CHECK(!strncmp(e.msg, "damaged: ", 9));
}

/* The private key's file: its DACL lets SYSTEM alone in. */
static void test_secret(const char *dir)
{
        PSECURITY_DESCRIPTOR sd = NULL;
        ACCESS_ALLOWED_ACE *ace = NULL;
        PACL dacl = NULL;
        wchar_t *path;
        char file[MAX_PATH * 3 + 16];
        struct error e;

        CHECK(file_replace(dir, "agent.key", "key", 3, DIROPS_SECRET, &e) == 0);
        snprintf(file, sizeof(file), "%s\\agent.key", dir);
        path = win_wide(file);
        CHECK(path && GetNamedSecurityInfoW(path, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, NULL,
                                            NULL, &dacl, NULL, &sd) == ERROR_SUCCESS);
        free(path);
        if (!sd || !dacl) {
                CHECK(!"no DACL on agent.key");
                LocalFree(sd);
                return;
        }
        /* Wine does not keep SE_DACL_PROTECTED: the ACEs say it here. */
        CHECK(dacl->AceCount == 1 && GetAce(dacl, 0, (void **)&ace) &&
              ace->Header.AceType == ACCESS_ALLOWED_ACE_TYPE &&
              IsWellKnownSid((PSID)&ace->SidStart, WinLocalSystemSid));
        LocalFree(sd);
}

/* Directory open, made by the caller so that everyone may write to it (wine
 * derives a DACL from the Unix mode: chmod 0777), is refused. */
static void test_open_refuses_directory_writable_by_others(const char *open)
{
        struct spool *s;
        struct error e;

        CHECK(spool_open(open, 100, &s, &e) == -EPERM);
        CHECK(!s && !strcmp(e.msg, "the spool directory is writable by other users"));
        spool_close(s);
}

/* A directory of its own under %TEMP%, UTF-8, into top. */
static int make_top(char *top, size_t size)
{
        wchar_t tmp[MAX_PATH + 1], dir[MAX_PATH + 64];

        if (!GetTempPathW(MAX_PATH + 1, tmp))
                return -1;
        swprintf(dir, sizeof(dir) / sizeof(dir[0]), L"%lshygie-spool-%lu", tmp,
                 GetCurrentProcessId());
        if (!CreateDirectoryW(dir, NULL))
                return -1;
        win_utf8_buf(dir, top, size);
        return 0;
}

int main(int argc, char **argv)
{
        char top[MAX_PATH * 3], dir[MAX_PATH * 3 + 64];

        if (make_top(top, sizeof(top)) < 0) {
                fprintf(stderr, "spool-test: cannot make a directory in %%TEMP%%\n");
                return 1;
        }
        snprintf(dir, sizeof(dir), "%s\\spool", top);
        test_spool(dir);
        /* Not ASCII: UTF-8 here, UTF-16 in the Win32 API. */
        snprintf(dir, sizeof(dir), "%s\\file d'attente \xc3\xa9t\xc3\xa9 \xe6\x97\xa5", top);
        test_spool(dir);
        test_state(dir);
        test_secret(dir);
        if (argc > 1)
                test_open_refuses_directory_writable_by_others(argv[1]);
        CHECK(exists(top, "file d'attente \xc3\xa9t\xc3\xa9 \xe6\x97\xa5"));
        if (failures) {
                fprintf(stderr, "spool-test: %d failures\n", failures);
                return 1;
        }
        printf("spool-test: add, order, eviction, set aside, crash leftovers, lock, non-ASCII "
               "directory, one writable by others refused, state files, the key for SYSTEM alone: "
               "ok\n");
        return 0;
}
