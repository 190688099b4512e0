/* test_passwords.c - the passwords collector and rules on small roots: no
 * hash in the facts, and an unreadable shadow file said plainly. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "collector.h"

/* MD5 of "azerty": fast to audit. */
static const char md5_azerty[] = "$1$Nmt8AFXE$6j7VmmzFzBb3fFZgyoHEq/";

static void put(const char *dir, const char *rel, const char *text, mode_t mode)
{
        char path[512];
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s", dir, rel);
        f = fopen(path, "w");
        assert_non_null(f);
        fputs(text, f);
        fclose(f);
        assert_int_equal(chmod(path, mode), 0);
}

static char *make_root(char *dir)
{
        char etc[300], shadow[200];

        strcpy(dir, "/tmp/hygie-pw-XXXXXX");
        assert_non_null(mkdtemp(dir));
        assert_int_equal(chmod(dir, 0755), 0);
        snprintf(etc, sizeof(etc), "%s/etc", dir);
        assert_int_equal(mkdir(etc, 0755), 0);
        put(dir, "etc/passwd",
            "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n", 0644);
        snprintf(shadow, sizeof(shadow), "root:*:19000:0:99999:7:::\nalice:%s:19000:0:90:7:::\n",
                 md5_azerty);
        put(dir, "etc/shadow", shadow, 0640);
        put(dir, "etc/group", "root:x:0:\nsudo:x:27:alice\n", 0644);
        return dir;
}

static void remove_root(const char *dir)
{
        char cmd[300];

        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        assert_int_equal(system(cmd), 0);
}

static json_t *collect(const char *dir, long budget_ms)
{
        struct policy *p = malloc(sizeof(*p));
        struct rootfs root;
        json_t *facts = json_object();

        policy_defaults(p);
        p->pw_audit_budget_ms = budget_ms;
        assert_int_equal(rootfs_init(&root, dir), 0);
        struct collect_ctx ctx = { .root = &root, .policy = p, .now = 1764000000 };
        assert_int_equal(passwords_collect(&ctx, facts), 0);
        rootfs_close(&root);
        free(p);
        return facts;
}

static void test_facts_name_the_scheme_never_the_hash(void **state)
{
        char dir[64];
        json_t *facts, *alice;
        char *dump;

        (void)state;
        facts = collect(make_root(dir), 2000);
        dump = json_dumps(facts, 0);
        assert_null(strstr(dump, md5_azerty));
        assert_null(strstr(dump, "6j7VmmzFzBb3fFZgyoHEq"));
        assert_null(strstr(dump, "azerty"));
        alice = json_array_get(json_object_get(facts, "accounts"), 1);
        assert_string_equal(json_string_value(json_object_get(alice, "name")), "alice");
        assert_string_equal(json_string_value(json_object_get(alice, "scheme")), "md5");
        assert_true(json_is_true(json_object_get(alice, "admin")));
        assert_string_equal(json_string_value(json_object_get(alice, "last_change")), "2022-01-08");
        assert_true(json_is_true(json_object_get(json_object_get(alice, "audit"), "common")));
        free(dump);
        json_decref(facts);
        remove_root(dir);
}

/* Collects in a child that cannot read etc/shadow (mode 000; as root, the
 * child first becomes nobody) and returns the facts it printed. */
static json_t *collect_unprivileged(const char *dir)
{
        char path[300], buf[1 << 16];
        int fds[2], status;
        size_t n = 0;
        ssize_t got;
        pid_t pid;

        snprintf(path, sizeof(path), "%s/etc/shadow", dir);
        assert_int_equal(chmod(path, 0), 0);
        assert_int_equal(pipe(fds), 0);
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                close(fds[0]);
                if (geteuid() == 0 &&
                    (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 ||
                     setresuid(65534, 65534, 65534) < 0))
                        _exit(3);
                json_t *facts = collect(dir, 0);
                char *dump = json_dumps(facts, 0);
                if (write(fds[1], dump, strlen(dump)) < 0)
                        _exit(4);
                _exit(0);
        }
        close(fds[1]);
        while ((got = read(fds[0], buf + n, sizeof(buf) - 1 - n)) > 0)
                n += (size_t)got;
        close(fds[0]);
        buf[n] = '\0';
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
        return json_loads(buf, 0, NULL);
}

static void test_unreadable_shadow_is_an_error_saying_run_as_root(void **state)
{
        char dir[64];
        json_t *facts, *report;
        struct policy p;
        struct findings out = { 0 };
        const json_t *err;

        (void)state;
        facts = collect_unprivileged(make_root(dir));
        assert_non_null(facts);
        err = facts_error(facts, "shadow");
        assert_non_null(err);
        assert_string_equal(json_string_value(json_object_get(err, "code")), "EACCES");
        assert_string_equal(json_string_value(json_object_get(err, "file")), "etc/shadow");

        policy_defaults(&p);
        report = json_pack("{s:O}", "passwords", facts);
        struct check_ctx ctx = { .policy = &p, .facts = report, .now = 1764000000 };
        checks_run(&ctx, 1u << FAM_PASSWORDS, &out);
        for (size_t i = 0; i < out.n; i++) {
                const char *id = out.v[i].check->id;
                if (strcmp(id, "password.min_length") == 0 || strcmp(id, "password.ssh_root") == 0)
                        continue;
                assert_int_equal(out.v[i].status, STATUS_ERROR);
                assert_string_equal(out.v[i].summary,
                                    "Cannot read etc/shadow: permission denied — run as root");
        }
        findings_free(&out);
        json_decref(report);
        json_decref(facts);
        remove_root(dir);
}

/* A NUL byte would end the parse early and hide the accounts after it: an
 * account with an empty password must not go unseen. */
static void test_nul_byte_in_shadow_is_an_error(void **state)
{
        static const char shadow[] = "root:*:19000:0:99999:7:::\n\0\nalice::19000:0:90:7:::\n";
        char dir[64], path[300];
        const json_t *err;
        json_t *facts;
        FILE *f;

        (void)state;
        make_root(dir);
        snprintf(path, sizeof(path), "%s/etc/shadow", dir);
        f = fopen(path, "w");
        assert_non_null(f);
        assert_int_equal(fwrite(shadow, 1, sizeof(shadow) - 1, f), sizeof(shadow) - 1);
        fclose(f);
        facts = collect(dir, 0);
        err = facts_error(facts, "shadow");
        assert_non_null(err);
        assert_string_equal(json_string_value(json_object_get(err, "message")),
                            "etc/shadow holds a NUL byte: it is damaged");
        json_decref(facts);
        remove_root(dir);
}

/* pam_mysql takes its database password as an argument: the facts keep the
 * argument's name, never its value. */
static void test_pam_argument_holding_a_password_is_hidden(void **state)
{
        char dir[64], pamd[300];
        json_t *facts, *args;
        char *dump;

        (void)state;
        make_root(dir);
        snprintf(pamd, sizeof(pamd), "%s/etc/pam.d", dir);
        assert_int_equal(mkdir(pamd, 0755), 0);
        put(dir, "etc/pam.d/common-password",
            "password required pam_mysql.so user=pam passwd=Db-S3cret-42 BindPW=Other-S3cret\n"
            "password required pam_unix.so minlen=12 use_authtok\n",
            0644);
        facts = collect(dir, 0);
        dump = json_dumps(facts, 0);
        assert_null(strstr(dump, "S3cret"));
        args = json_object_get(
            json_array_get(json_object_get(json_object_get(facts, "pam"), "password_modules"), 0),
            "args");
        assert_int_equal(json_array_size(args), 3);
        assert_string_equal(json_string_value(json_array_get(args, 0)), "user=pam");
        assert_string_equal(json_string_value(json_array_get(args, 1)), "passwd=(hidden)");
        assert_string_equal(json_string_value(json_array_get(args, 2)), "BindPW=(hidden)");
        free(dump);
        json_decref(facts);
        remove_root(dir);
}

/* Runs the check id on hand-made passwords facts at now. */
static void run_rule(const char *id, const char *facts, time_t now, struct findings *out)
{
        struct policy p;
        json_t *report = json_loads(facts, 0, NULL);
        const struct check *c = checks_find(id);

        assert_non_null(report);
        assert_non_null(c);
        policy_defaults(&p);
        struct check_ctx ctx = { .policy = &p, .facts = report, .now = now };
        c->fn(c, &ctx, out);
        json_decref(report);
}

static void test_stale_counts_days_from_now(void **state)
{
        /* 2025-11-24 + 365 days = 2026-11-24. */
        static const char facts[] =
            "{\"passwords\": {\"accounts\": ["
            "{\"name\": \"root\", \"admin\": true, \"login_capable\": true, "
            "\"password\": \"set\", \"last_change\": \"2025-11-24\"},"
            "{\"name\": \"alice\", \"admin\": false, \"login_capable\": true, "
            "\"password\": \"set\", \"last_change\": \"2000-01-01\"}]}}";
        struct findings out = { 0 };
        time_t day = 86400, nov24 = 1795478400; /* 2026-11-24T00:00:00Z */

        (void)state;
        run_rule("password.stale", facts, nov24 + day / 2, &out);
        assert_int_equal(out.n, 1);
        assert_int_equal(out.v[0].status, STATUS_PASS);
        assert_string_equal(out.v[0].summary, "1 administrator changed password within 365 days");
        findings_free(&out);
        run_rule("password.stale", facts, nov24 + day, &out);
        assert_int_equal(out.n, 1);
        assert_int_equal(out.v[0].status, STATUS_FAIL);
        assert_string_equal(out.v[0].subject, "root");
        assert_string_equal(out.v[0].summary,
                            "Administrator root has not changed password for 366 days (since "
                            "2025-11-24)");
        findings_free(&out);
        /* Dated two days ahead: not a fresh password, an unknown age. */
        run_rule("password.stale", facts, nov24 - 365 * day - 2 * day, &out);
        assert_int_equal(out.n, 1);
        assert_int_equal(out.v[0].status, STATUS_WARN);
        assert_string_equal(out.v[0].summary, "Administrator root: the last password change is "
                                              "dated in the future (2025-11-24)");
        findings_free(&out);
        run_rule("password.stale", facts, nov24 - 365 * day - day / 2, &out);
        assert_int_equal(out.v[0].status, STATUS_PASS);
        findings_free(&out);
}

static void test_ssh_root_assumes_match_blocks_apply(void **state)
{
        static const char facts[] =
            "{\"passwords\": {\"sshd\": {\"installed\": true, \"settings\": {"
            "\"PermitRootLogin\": {\"value\": \"yes\", \"file\": \"etc/ssh/sshd_config\", "
            "\"line\": 3},"
            "\"PasswordAuthentication\": {\"value\": \"no\"},"
            "\"KbdInteractiveAuthentication\": {\"value\": \"no\"}},"
            "\"match\": [{\"criteria\": \"Address 10.0.0.0/8\", \"settings\": {"
            "\"PasswordAuthentication\": {\"value\": \"yes\"}}}]}}}";
        struct findings out = { 0 };

        (void)state;
        run_rule("password.ssh_root", facts, 0, &out);
        assert_int_equal(out.n, 1);
        assert_int_equal(out.v[0].status, STATUS_FAIL);
        assert_string_equal(out.v[0].summary,
                            "The root account can log in over SSH with a password "
                            "(PermitRootLogin yes in etc/ssh/sshd_config, line 3)");
        findings_free(&out);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_facts_name_the_scheme_never_the_hash),
                cmocka_unit_test(test_unreadable_shadow_is_an_error_saying_run_as_root),
                cmocka_unit_test(test_nul_byte_in_shadow_is_an_error),
                cmocka_unit_test(test_pam_argument_holding_a_password_is_hidden),
                cmocka_unit_test(test_stale_counts_days_from_now),
                cmocka_unit_test(test_ssh_root_assumes_match_blocks_apply),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
