/* test_passwords.c - the passwords collector and rules on small roots: no
 * hash in the facts, and an unreadable shadow file said plainly; the rules
 * on Windows facts, and no automatic logon password anywhere. */
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
#include "winacct.h"

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
                if (strcmp(id, "password.min_length") == 0 ||
                    strcmp(id, "password.ssh_root") == 0 || strcmp(id, "password.autologon") == 0)
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

/* Display managers: autologin on Linux ----------------------------------- */

static void mkdirs(const char *dir, const char *rel)
{
        char cmd[600];

        snprintf(cmd, sizeof(cmd), "mkdir -p '%s/%s'", dir, rel);
        assert_int_equal(system(cmd), 0);
}

static void test_lightdm_autologin_from_its_conf_d(void **state)
{
        char dir[64];
        json_t *facts, *al;
        struct findings out = { 0 };

        (void)state;
        make_root(dir);
        mkdirs(dir, "usr/sbin");
        mkdirs(dir, "etc/lightdm/lightdm.conf.d");
        put(dir, "usr/sbin/lightdm", "", 0755);
        put(dir, "etc/lightdm/lightdm.conf.d/10-base.conf", "[Seat:*]\nautologin-user=nobody\n",
            0644);
        put(dir, "etc/lightdm/lightdm.conf.d/50-accueil.conf",
            "# set up by the supplier\n[Seat:*]\nautologin-user = accueil\n", 0644);
        put(dir, "etc/lightdm/lightdm.conf", "[LightDM]\nminimum-vt=1\n", 0644);
        /* GDM's file, without GDM: not read. */
        mkdirs(dir, "etc/gdm3");
        put(dir, "etc/gdm3/daemon.conf", "[daemon]\nAutomaticLoginEnable=true\nAutomaticLogin=x\n",
            0644);
        facts = collect(dir, 0);
        al = json_object_get(facts, "autologon");
        assert_true(json_is_true(json_object_get(al, "enabled")));
        assert_string_equal(json_string_value(json_object_get(al, "display_manager")), "lightdm");
        assert_string_equal(json_string_value(json_object_get(al, "user")), "accueil");
        assert_string_equal(json_string_value(json_object_get(al, "how")),
                            "autologin-user=accueil");
        assert_string_equal(json_string_value(json_object_get(al, "file")),
                            "etc/lightdm/lightdm.conf.d/50-accueil.conf");
        assert_int_equal(json_integer_value(json_object_get(al, "line")), 3);
        assert_int_equal(json_array_size(json_object_get(al, "display_managers")), 1);

        json_t *report = json_pack("{s:O}", "passwords", facts);
        struct policy p;
        const struct check *c = checks_find("password.autologon");

        policy_defaults(&p);
        struct check_ctx ctx = { .policy = &p, .facts = report, .now = 1764000000 };
        c->fn(c, &ctx, &out);
        assert_int_equal(out.n, 1);
        assert_int_equal(out.v[0].status, STATUS_WARN);
        assert_string_equal(out.v[0].summary,
                            "The computer opens a session as accueil without asking for a "
                            "password (autologin-user=accueil in "
                            "etc/lightdm/lightdm.conf.d/50-accueil.conf, line 3)");
        findings_free(&out);
        json_decref(report);
        json_decref(facts);
        remove_root(dir);
}

/* Debian's etc/X11/default-display-manager says which one starts. */
static void test_autologin_of_the_display_manager_in_use_only(void **state)
{
        char dir[64];
        json_t *facts, *al;
        struct findings out = { 0 };

        (void)state;
        make_root(dir);
        mkdirs(dir, "usr/sbin");
        mkdirs(dir, "etc/lightdm");
        mkdirs(dir, "etc/gdm3");
        mkdirs(dir, "etc/X11");
        put(dir, "usr/sbin/lightdm", "", 0755);
        put(dir, "usr/sbin/gdm3", "", 0755);
        put(dir, "etc/X11/default-display-manager", "/usr/sbin/gdm3\n", 0644);
        put(dir, "etc/lightdm/lightdm.conf", "[Seat:*]\nautologin-user=accueil\n", 0644);
        put(dir, "etc/gdm3/daemon.conf", "[daemon]\n#AutomaticLoginEnable = true\n", 0644);
        facts = collect(dir, 0);
        al = json_object_get(facts, "autologon");
        assert_false(json_is_true(json_object_get(al, "enabled")));
        assert_int_equal(json_array_size(json_object_get(al, "display_managers")), 1);
        assert_string_equal(
            json_string_value(json_array_get(json_object_get(al, "display_managers"), 0)), "gdm3");

        json_t *report = json_pack("{s:O}", "passwords", facts);
        struct policy p;
        const struct check *c = checks_find("password.autologon");

        policy_defaults(&p);
        struct check_ctx ctx = { .policy = &p, .facts = report, .now = 1764000000 };
        c->fn(c, &ctx, &out);
        assert_int_equal(out.n, 1);
        assert_int_equal(out.v[0].status, STATUS_PASS);
        assert_string_equal(out.v[0].summary, "No display manager opens a session by itself");
        findings_free(&out);
        json_decref(report);
        json_decref(facts);
        remove_root(dir);
}

static void test_malformed_display_manager_file_is_an_error(void **state)
{
        char dir[64];
        json_t *facts;
        const json_t *err;

        (void)state;
        make_root(dir);
        mkdirs(dir, "usr/bin");
        put(dir, "usr/bin/sddm", "", 0755);
        put(dir, "etc/sddm.conf", "[Autologin]\nUser accueil\n", 0644);
        facts = collect(dir, 0);
        err = facts_error(facts, "display_manager");
        assert_non_null(err);
        assert_string_equal(json_string_value(json_object_get(err, "file")), "etc/sddm.conf");
        assert_int_equal(json_integer_value(json_object_get(err, "line")), 2);
        assert_string_equal(json_string_value(json_object_get(err, "message")),
                            "expected \"key=value\"");
        json_decref(facts);
        remove_root(dir);
}

/* Windows facts as collectors/winacct.c writes them --------------------- */

#define WIN_NOW 1764000000 /* 2025-11-24T16:00:00Z */

/* Enabled, "password not required": may be blank. */
#define ACCUEIL                                                                                    \
        "{\"name\": \"accueil\", \"uid\": 1001, \"admin\": false, \"stored_in\": \"sam\", "        \
        "\"login_capable\": true, \"locked\": false, \"locked_out\": false, "                      \
        "\"password\": \"not_required\", \"password_never_expires\": false, \"max_days\": 42, "    \
        "\"last_change\": \"2025-11-01\", \"password_age_days\": 23}"
/* Disabled, as Windows ships it: to be ignored. */
#define GUEST                                                                                      \
        "{\"name\": \"Invité\", \"uid\": 501, \"builtin\": \"guest\", \"admin\": false, "         \
        "\"stored_in\": \"sam\", \"login_capable\": false, \"locked\": true, "                     \
        "\"locked_out\": false, \"password\": \"not_required\", "                                  \
        "\"password_never_expires\": true, \"max_days\": null}"
#define BUILTIN_ADMIN                                                                              \
        "{\"name\": \"Administrateur\", \"uid\": 500, \"builtin\": \"administrator\", "            \
        "\"admin\": true, \"stored_in\": \"sam\", \"login_capable\": false, \"locked\": true, "    \
        "\"locked_out\": false, \"password\": \"set\", \"password_never_expires\": true, "         \
        "\"max_days\": null, \"last_change\": \"2019-01-01\"}"
/* The administrator in daily use, password unchanged since 2024-01-10. */
#define DIRECTION                                                                                  \
        "{\"name\": \"direction\", \"uid\": 1000, \"admin\": true, \"stored_in\": \"sam\", "       \
        "\"login_capable\": true, \"locked\": false, \"locked_out\": false, "                      \
        "\"password\": \"set\", \"password_never_expires\": true, \"max_days\": null, "            \
        "\"last_change\": \"2024-01-10\", \"password_age_days\": 684}"
/* An administrator whose password Windows does not require: its age still
 * counts. */
#define CADRE                                                                                      \
        "{\"name\": \"cadre\", \"uid\": 1003, \"admin\": true, \"stored_in\": \"sam\", "           \
        "\"login_capable\": true, \"locked\": false, \"locked_out\": false, "                      \
        "\"password\": \"not_required\", \"password_never_expires\": false, \"max_days\": 42, "    \
        "\"last_change\": \"2025-03-01\", \"password_age_days\": 268}"
#define NURSE                                                                                      \
        "{\"name\": \"infirmiere\", \"uid\": 1002, \"admin\": false, \"stored_in\": \"sam\", "     \
        "\"login_capable\": true, \"locked\": false, \"locked_out\": false, "                      \
        "\"password\": \"set\", \"password_never_expires\": false, \"max_days\": 42, "             \
        "\"last_change\": \"2025-10-01\", \"password_age_days\": 54}"
#define WINE_USER                                                                                  \
        "{\"name\": \"wineuser\", \"admin\": false, \"stored_in\": \"sam\", "                      \
        "\"flags_known\": false, \"password\": \"unknown\"}"
#define POLICY(min, max)                                                                           \
        "\"policy\": {\"source\": \"NetUserModalsGet\", \"min_length\": " min                      \
        ", \"max_days\": " max ", \"min_days\": 0, \"history\": 0}"

/* {"passwords": {"platform": "windows", "accounts": [accounts], rest}}. */
static char *win_facts(const char *accounts, const char *rest)
{
        char *text;

        assert_true(asprintf(&text,
                             "{\"passwords\": {\"platform\": \"windows\", \"accounts\": [%s]%s%s}}",
                             accounts, rest[0] ? ", " : "", rest) > 0);
        return text;
}

/* Runs check id on Windows facts at WIN_NOW; returns how many findings. */
static size_t run_win(const char *id, const char *accounts, const char *rest, struct findings *out)
{
        char *text = win_facts(accounts, rest);

        findings_free(out);
        run_rule(id, text, WIN_NOW, out);
        free(text);
        return out->n;
}

static void test_win_empty_fails_enabled_accounts_without_required_password(void **state)
{
        struct findings out = { 0 };

        (void)state;
        assert_int_equal(
            run_win("password.empty", GUEST "," ACCUEIL "," NURSE, POLICY("8", "42"), &out), 1);
        assert_int_equal(out.v[0].status, STATUS_FAIL);
        assert_string_equal(out.v[0].subject, "accueil");
        assert_string_equal(out.v[0].summary, "Windows lets account accueil log in without a "
                                              "password (\"password not required\" is set)");
        assert_string_equal(out.v[0].remediation,
                            "Give this account a password (as administrator: net user accueil *), "
                            "then make Windows require one (net user accueil /passwordreq:yes); "
                            "if nobody uses the account, turn it off (net user accueil "
                            "/active:no).");
        assert_int_equal(json_integer_value(json_object_get(out.v[0].evidence, "uid")), 1001);
        assert_null(json_object_get(out.v[0].evidence, "shell"));
        findings_free(&out);
}

static void test_win_empty_passes_and_warns_on_the_minimum_length(void **state)
{
        struct findings out = { 0 };

        (void)state;
        assert_int_equal(
            run_win("password.empty", GUEST "," NURSE "," DIRECTION, POLICY("8", "42"), &out), 1);
        assert_int_equal(out.v[0].status, STATUS_PASS);
        assert_string_equal(out.v[0].summary,
                            "No login account is exempt from needing a password (2 login "
                            "accounts)");
        /* No minimum length: any password may be blank. */
        assert_int_equal(
            run_win("password.empty", GUEST "," NURSE "," DIRECTION, POLICY("0", "42"), &out), 1);
        assert_int_equal(out.v[0].status, STATUS_WARN);
        assert_string_equal(out.v[0].summary,
                            "Any account may have an empty password: Windows sets no minimum "
                            "length");
        assert_string_equal(out.v[0].remediation,
                            "As administrator, run \"net accounts /minpwlen:12\" so that no "
                            "password can be empty, then make sure each person's password is not "
                            "(Ctrl+Alt+Del, \"Change a password\").");
        findings_free(&out);
}

static void test_win_empty_errors_when_flags_are_unknown_or_denied(void **state)
{
        struct findings out = { 0 };

        (void)state;
        assert_int_equal(run_win("password.empty", WINE_USER, "", &out), 1);
        assert_int_equal(out.v[0].status, STATUS_ERROR);
        assert_string_equal(out.v[0].summary, "The settings of 1 account could not be read: "
                                              "whether it needs a password is unknown");
        assert_int_equal(
            run_win("password.empty", "",
                    "\"errors\": [{\"source\": \"accounts\", \"file\": \"NetUserEnum\", "
                    "\"line\": 0, \"message\": \"access denied\", \"code\": \"EACCES\"}]",
                    &out),
            1);
        assert_int_equal(out.v[0].status, STATUS_ERROR);
        assert_string_equal(out.v[0].summary,
                            "Cannot read NetUserEnum: access denied — run as administrator");
        assert_string_equal(out.v[0].remediation, "Run Hygie as an administrator: only "
                                                  "administrators may read the account settings.");
        findings_free(&out);
}

static void test_win_weak_hash_is_the_lm_hash(void **state)
{
        struct findings out = { 0 };

        (void)state;
        assert_int_equal(run_win("password.weak_hash", NURSE,
                                 "\"lm_hash\": {\"stored\": true, \"how\": \"NoLMHash=0\"}", &out),
                         1);
        assert_int_equal(out.v[0].status, STATUS_FAIL);
        assert_string_equal(out.v[0].summary, "Windows also stores passwords as LM hashes, which "
                                              "can be cracked in seconds (NoLMHash=0)");
        assert_true(json_is_true(json_object_get(out.v[0].evidence, "stored")));
        assert_int_equal(run_win("password.weak_hash", NURSE,
                                 "\"lm_hash\": {\"stored\": false, \"how\": \"NoLMHash=1\"}", &out),
                         1);
        assert_int_equal(out.v[0].status, STATUS_PASS);
        assert_string_equal(out.v[0].summary,
                            "Windows does not store passwords as LM hashes (NoLMHash=1)");
        assert_int_equal(run_win("password.weak_hash", NURSE, "", &out), 1);
        assert_int_equal(out.v[0].status, STATUS_ERROR);
        assert_string_equal(out.v[0].summary, "Whether Windows stores LM hashes was not collected");
        findings_free(&out);
}

static void test_win_common_and_ssh_root_skip(void **state)
{
        struct findings out = { 0 };

        (void)state;
        assert_int_equal(run_win("password.common", NURSE, "", &out), 1);
        assert_int_equal(out.v[0].status, STATUS_SKIP);
        assert_string_equal(out.v[0].summary, "The dictionary audit needs the password hashes, "
                                              "which Windows keeps in the SAM out of reach");
        assert_int_equal(run_win("password.ssh_root", NURSE, "", &out), 1);
        assert_int_equal(out.v[0].status, STATUS_SKIP);
        assert_string_equal(out.v[0].summary,
                            "Windows has no root account: SSH root login is a Linux setting");
        findings_free(&out);
}

static void test_win_min_length_reads_the_modals(void **state)
{
        struct findings out = { 0 };

        (void)state;
        assert_int_equal(run_win("password.min_length", NURSE, POLICY("12", "42"), &out), 1);
        assert_int_equal(out.v[0].status, STATUS_PASS);
        assert_string_equal(out.v[0].summary,
                            "Passwords need at least 12 characters, set by the local security "
                            "policy");
        assert_int_equal(run_win("password.min_length", NURSE, POLICY("8", "42"), &out), 1);
        assert_int_equal(out.v[0].status, STATUS_FAIL);
        assert_string_equal(out.v[0].summary, "Passwords may be as short as 8 characters (policy: "
                                              "12), set by the local security policy");
        assert_string_equal(out.v[0].remediation,
                            "As administrator, run \"net accounts /minpwlen:12\", or set "
                            "\"Minimum password length\" in the local security policy "
                            "(secpol.msc: Account Policies, Password Policy).");
        assert_int_equal(run_win("password.min_length", NURSE, POLICY("0", "42"), &out), 1);
        assert_int_equal(out.v[0].status, STATUS_FAIL);
        assert_string_equal(out.v[0].summary,
                            "Windows accepts passwords of any length, even empty (policy: 12 "
                            "characters)");
        assert_int_equal(run_win("password.min_length", NURSE, "", &out), 1);
        assert_int_equal(out.v[0].status, STATUS_ERROR);
        assert_string_equal(out.v[0].summary, "Windows' password rules were not collected");
        findings_free(&out);
}

/* Past 14 characters, net accounts refuses: the setting that allows it
 * comes first. */
static void test_win_min_length_above_14_needs_the_relaxed_limit(void **state)
{
        struct policy p;
        struct findings out = { 0 };
        char *text = win_facts(NURSE, POLICY("14", "42"));
        json_t *report = json_loads(text, 0, NULL);
        const struct check *c = checks_find("password.min_length");

        (void)state;
        policy_defaults(&p);
        p.pw_min_length = 16;
        struct check_ctx ctx = { .policy = &p, .facts = report, .now = WIN_NOW };
        c->fn(c, &ctx, &out);
        assert_int_equal(out.n, 1);
        assert_int_equal(out.v[0].status, STATUS_FAIL);
        assert_string_equal(out.v[0].remediation,
                            "In the local security policy (secpol.msc: Account Policies, Password "
                            "Policy), enable \"Relax minimum password length limits\", then set "
                            "\"Minimum password length\" to 16.");
        findings_free(&out);
        json_decref(report);
        free(text);
}

static void test_win_max_age_never_fails_once_then_per_exempt_account(void **state)
{
        struct findings out = { 0 };

        (void)state;
        /* Machine: never; direction: exempt; infirmiere follows the
         * machine (already said); the disabled built-ins do not count. */
        assert_int_equal(run_win("password.max_age",
                                 GUEST "," BUILTIN_ADMIN "," DIRECTION "," NURSE,
                                 POLICY("12", "null"), &out),
                         2);
        assert_int_equal(out.v[0].status, STATUS_FAIL);
        assert_null(out.v[0].subject);
        assert_string_equal(out.v[0].summary,
                            "Passwords never expire (local security policy, policy: 365 days)");
        assert_string_equal(out.v[0].remediation,
                            "As administrator, run \"net accounts /maxpwage:365\", or set "
                            "\"Maximum password age\" in the local security policy (secpol.msc: "
                            "Account Policies, Password Policy).");
        assert_int_equal(out.v[1].status, STATUS_FAIL);
        assert_string_equal(out.v[1].subject, "direction");
        assert_string_equal(out.v[1].summary,
                            "The password of direction never expires (policy: 365 days)");
        assert_string_equal(out.v[1].remediation,
                            "Untick \"Password never expires\" for direction in Computer "
                            "Management (Local Users and Groups), or run in PowerShell as "
                            "administrator: Set-LocalUser -Name \"direction\" "
                            "-PasswordNeverExpires $false");
        assert_int_equal(run_win("password.max_age", NURSE, POLICY("12", "400"), &out), 1);
        assert_int_equal(out.v[0].status, STATUS_FAIL);
        assert_string_equal(out.v[0].summary, "Passwords last 400 days (policy: 365), set by the "
                                              "local security policy");
        assert_int_equal(
            run_win("password.max_age", GUEST "," NURSE "," ACCUEIL, POLICY("12", "90"), &out), 1);
        assert_int_equal(out.v[0].status, STATUS_PASS);
        assert_string_equal(out.v[0].summary,
                            "Passwords expire within 365 days, for new accounts and the 2 "
                            "existing ones");
        assert_int_equal(run_win("password.max_age", NURSE, "", &out), 1);
        assert_int_equal(out.v[0].status, STATUS_ERROR);
        findings_free(&out);
}

static void test_win_stale_counts_enabled_administrators(void **state)
{
        struct findings out = { 0 };

        (void)state;
        /* The built-in Administrator, disabled, is not counted. */
        assert_int_equal(run_win("password.stale", BUILTIN_ADMIN "," DIRECTION "," NURSE, "", &out),
                         1);
        assert_int_equal(out.v[0].status, STATUS_FAIL);
        assert_string_equal(out.v[0].subject, "direction");
        assert_string_equal(out.v[0].summary, "Administrator direction has not changed password "
                                              "for 684 days (since 2024-01-10)");
        assert_string_equal(out.v[0].remediation,
                            "Change the password of direction now for a long one used nowhere "
                            "else: logged in as direction, press Ctrl+Alt+Del and choose "
                            "\"Change a password\".");
        assert_int_equal(run_win("password.stale", BUILTIN_ADMIN "," CADRE "," NURSE, "", &out), 1);
        assert_int_equal(out.v[0].status, STATUS_PASS);
        assert_string_equal(out.v[0].summary, "1 administrator changed password within 365 days");
        assert_int_equal(run_win("password.stale", BUILTIN_ADMIN "," NURSE, "", &out), 1);
        assert_int_equal(out.v[0].status, STATUS_PASS);
        assert_string_equal(out.v[0].summary, "No administrator logs in with a password");
        findings_free(&out);
}

#define AUTOLOGON(enabled, stored)                                                                 \
        "\"autologon\": {\"enabled\": " enabled ", \"user\": \"accueil\", "                        \
        "\"password_in_registry\": " stored ", \"how\": \"Winlogon AutoAdminLogon\"}"

static void test_win_autologon_each_status(void **state)
{
        struct findings out = { 0 };

        (void)state;
        assert_int_equal(run_win("password.autologon", ACCUEIL, AUTOLOGON("true", "true"), &out),
                         1);
        assert_int_equal(out.v[0].status, STATUS_FAIL);
        assert_string_equal(out.v[0].subject, "accueil");
        assert_string_equal(out.v[0].summary, "Windows logs on automatically as accueil, with "
                                              "that account's password written in clear in the "
                                              "registry");
        assert_string_equal(
            out.v[0].remediation,
            "Turn off automatic logon: run netplwiz, tick \"Users must enter a user name and "
            "password to use this computer\" and confirm, or, as administrator, delete the "
            "DefaultPassword value in regedit "
            "(HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon). "
            "Then change this account's password: anyone using the computer could read it. If "
            "several people share this computer, give each one their own account and password; "
            "if one shared account is needed, have it ask for a password the team knows, and "
            "lock the screen after a few minutes.");
        assert_int_equal(run_win("password.autologon", ACCUEIL, AUTOLOGON("false", "true"), &out),
                         1);
        assert_int_equal(out.v[0].status, STATUS_FAIL);
        assert_string_equal(out.v[0].summary, "Automatic logon is off, but the password of "
                                              "accueil is still written in clear in the registry");
        assert_int_equal(run_win("password.autologon", ACCUEIL, AUTOLOGON("true", "false"), &out),
                         1);
        assert_int_equal(out.v[0].status, STATUS_WARN);
        assert_string_equal(out.v[0].summary,
                            "Windows logs on automatically as accueil, without asking for a "
                            "password");
        assert_int_equal(run_win("password.autologon", ACCUEIL, AUTOLOGON("false", "false"), &out),
                         1);
        assert_int_equal(out.v[0].status, STATUS_PASS);
        assert_string_equal(out.v[0].summary,
                            "Automatic logon is off: a password is asked for every session");
        assert_int_equal(run_win("password.autologon", ACCUEIL, "", &out), 1);
        assert_int_equal(out.v[0].status, STATUS_ERROR);
        assert_string_equal(out.v[0].summary, "The automatic logon settings were not collected");
        findings_free(&out);
}

static void test_autologon_on_linux_facts(void **state)
{
        struct findings out = { 0 };

        (void)state;
        run_rule("password.autologon", "{\"passwords\": {\"accounts\": []}}", WIN_NOW, &out);
        assert_int_equal(out.n, 1);
        assert_int_equal(out.v[0].status, STATUS_SKIP);
        assert_string_equal(out.v[0].summary,
                            "Automatic logon with a stored password is a Windows setting");
        findings_free(&out);
        run_rule("password.autologon",
                 "{\"passwords\": {\"autologon\": {\"enabled\": true, \"user\": \"accueil\", "
                 "\"display_manager\": \"lightdm\", \"how\": \"autologin-user=accueil\", "
                 "\"file\": \"etc/lightdm/lightdm.conf\", \"line\": 4}}}",
                 WIN_NOW, &out);
        assert_int_equal(out.n, 1);
        assert_int_equal(out.v[0].status, STATUS_WARN);
        assert_string_equal(out.v[0].summary,
                            "The computer opens a session as accueil without asking for a "
                            "password (autologin-user=accueil in etc/lightdm/lightdm.conf, line "
                            "4)");
        assert_string_equal(out.v[0].remediation,
                            "Turn off automatic login: as root, delete line 4 of "
                            "etc/lightdm/lightdm.conf (autologin-user=accueil) and restart the "
                            "computer. If several "
                            "people share this computer, give each one their own account and "
                            "password; if one shared account is needed, have it ask for a "
                            "password the team knows, and lock the screen after a few minutes.");
        findings_free(&out);
}

/* From the registry values to the findings, every status: the password
 * itself appears nowhere, not in facts, summary, remediation or evidence. */
static void test_autologon_password_leaves_no_trace(void **state)
{
        static const char password[] = "Accueil-Ehpad-2025";
        static const char *const on[] = { "1", "0" };
        static const char *const stored[] = { password, NULL };

        (void)state;
        for (size_t i = 0; i < 2; i++)
                for (size_t j = 0; j < 2; j++) {
                        struct win_autologon w = { .auto_admin_logon = on[i],
                                                   .user = "accueil",
                                                   .domain = "EHPAD",
                                                   .default_password = stored[j],
                                                   .auto_logon_count = -1,
                                                   .lsa_password = -1 };
                        json_t *pw =
                            json_pack("{s:s, s:[], s:o}", "platform", WINACCT_PLATFORM, "accounts",
                                      "autologon", winacct_autologon_facts(&w));
                        json_t *facts = json_pack("{s:o}", "passwords", pw);
                        struct policy p;
                        struct findings out = { 0 };
                        const struct check *c = checks_find("password.autologon");
                        char *dump;

                        policy_defaults(&p);
                        struct check_ctx ctx = { .policy = &p, .facts = facts, .now = WIN_NOW };
                        c->fn(c, &ctx, &out);
                        assert_int_equal(out.n, 1);
                        assert_int_equal(out.v[0].status, i == 0 && j == 1   ? STATUS_WARN
                                                          : i == 1 && j == 1 ? STATUS_PASS
                                                                             : STATUS_FAIL);
                        dump = json_dumps(facts, 0);
                        assert_null(strstr(dump, "Ehpad-2025"));
                        free(dump);
                        dump = json_dumps(out.v[0].evidence, 0);
                        assert_null(strstr(dump, "Ehpad-2025"));
                        free(dump);
                        assert_null(strstr(out.v[0].summary, "Ehpad-2025"));
                        assert_true(!out.v[0].remediation ||
                                    !strstr(out.v[0].remediation, "Ehpad-2025"));
                        findings_free(&out);
                        json_decref(facts);
                }
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
                cmocka_unit_test(test_lightdm_autologin_from_its_conf_d),
                cmocka_unit_test(test_autologin_of_the_display_manager_in_use_only),
                cmocka_unit_test(test_malformed_display_manager_file_is_an_error),
                cmocka_unit_test(test_win_empty_fails_enabled_accounts_without_required_password),
                cmocka_unit_test(test_win_empty_passes_and_warns_on_the_minimum_length),
                cmocka_unit_test(test_win_empty_errors_when_flags_are_unknown_or_denied),
                cmocka_unit_test(test_win_weak_hash_is_the_lm_hash),
                cmocka_unit_test(test_win_common_and_ssh_root_skip),
                cmocka_unit_test(test_win_min_length_reads_the_modals),
                cmocka_unit_test(test_win_min_length_above_14_needs_the_relaxed_limit),
                cmocka_unit_test(test_win_max_age_never_fails_once_then_per_exempt_account),
                cmocka_unit_test(test_win_stale_counts_enabled_administrators),
                cmocka_unit_test(test_win_autologon_each_status),
                cmocka_unit_test(test_autologon_on_linux_facts),
                cmocka_unit_test(test_autologon_password_leaves_no_trace),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
