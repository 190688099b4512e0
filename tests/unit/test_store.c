/* test_store.c - the collector's store: establishments and tokens. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "checks.h"
#include "policy.h"
#include "store.h"
#include "token.h"

struct fixture {
        char dir[64];
        struct store *s;
};

/* The engine under test: SQLite, or PostgreSQL at $HYGIE_TEST_PG (a
 * throwaway database: its schema is dropped before each test). */
static const char *pg_url;

static int pg_reset(void)
{
        PGconn *c = PQconnectdb(pg_url);
        PGresult *r;
        int ok;

        if (PQstatus(c) != CONNECTION_OK) {
                fprintf(stderr, "%s", PQerrorMessage(c));
                PQfinish(c);
                return -1;
        }
        r = PQexec(c, "SET client_min_messages = warning;"
                      "DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
        PQfinish(c);
        return ok ? 0 : -1;
}

static int setup(void **state)
{
        struct fixture *f = calloc(1, sizeof(*f));
        struct establishment est = { "750712184", "EHPAD Les Tilleuls", "Île-de-France", "75" };
        struct error e;

        snprintf(f->dir, sizeof(f->dir), "/tmp/hygie-store-XXXXXX");
        if (!mkdtemp(f->dir) || (pg_url && pg_reset() < 0) ||
            store_open(pg_url, f->dir, &f->s, &e) < 0 ||
            f->s->ops->establishment_add(f->s, &est, &e) < 0) {
                fprintf(stderr, "setup: %s\n", e.msg);
                return -1;
        }
        *state = f;
        return 0;
}

static int teardown(void **state)
{
        struct fixture *f = *state;
        char cmd[128];

        f->s->ops->close(f->s);
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
        if (system(cmd) != 0)
                return -1;
        free(f);
        return 0;
}

static void test_store_duplicate_establishment_is_refused(void **state)
{
        struct fixture *f = *state;
        struct establishment est = { "750712184", "Other", "Île-de-France", "75" };
        struct error e;

        assert_int_equal(f->s->ops->establishment_add(f->s, &est, &e), -EEXIST);
        assert_string_equal(e.msg, "establishment 750712184 is already registered");
}

static void test_store_token_spends_each_use_once(void **state)
{
        struct fixture *f = *state;
        char finess[10];
        struct error e;
        time_t now = time(NULL);

        assert_int_equal(f->s->ops->token_add(f->s, "750712184", "h1", 2, now + 3600, &e), 0);
        assert_int_equal(f->s->ops->token_consume(f->s, "h1", now, finess, &e), 0);
        assert_string_equal(finess, "750712184");
        assert_int_equal(f->s->ops->token_consume(f->s, "h1", now, finess, &e), 0);
        assert_int_equal(f->s->ops->token_consume(f->s, "h1", now, finess, &e), -EDQUOT);
        assert_string_equal(e.msg, "the enrollment token has been used up");
}

static void test_store_expired_and_unknown_tokens_are_refused(void **state)
{
        struct fixture *f = *state;
        char finess[10];
        struct error e;
        time_t now = time(NULL);

        assert_int_equal(f->s->ops->token_add(f->s, "750712184", "h2", 5, now, &e), 0);
        assert_int_equal(f->s->ops->token_consume(f->s, "h2", now, finess, &e), -EKEYEXPIRED);
        assert_string_equal(e.msg, "the enrollment token has expired");
        assert_int_equal(f->s->ops->token_consume(f->s, "nope", now, finess, &e), -ENOENT);
        assert_string_equal(e.msg, "unknown enrollment token");
        assert_int_equal(f->s->ops->token_add(f->s, "690781810", "h3", 1, now + 60, &e), -ENOENT);
}

static void test_store_api_token_is_found_by_hash_only(void **state)
{
        struct fixture *f = *state;
        char token[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1], other[TOKEN_HASH_LEN + 1];
        struct error e;

        assert_int_equal(token_new("hya_", token, sizeof(token)), 0);
        assert_int_equal(token_hash(token, hash, sizeof(hash)), 0);
        assert_int_equal(f->s->ops->api_token_add(f->s, hash, &e), 0);
        assert_int_equal(f->s->ops->api_token_check(f->s, hash, &e), 0);
        token[10] = token[10] == 'A' ? 'B' : 'A';
        assert_int_equal(token_hash(token, other, sizeof(other)), 0);
        assert_int_equal(f->s->ops->api_token_check(f->s, other, &e), -ENOENT);
}

static void test_store_agent_revocation_is_kept(void **state)
{
        struct fixture *f = *state;
        struct agent a = { .id = "3f0c9a4e-1b2d-4c5e-8f90-a1b2c3d4e5f6",
                           .finess = "750712184",
                           .hostname = "poste-accueil",
                           .enrolled_at = 1700000000 },
                     got;
        struct error e;

        assert_int_equal(f->s->ops->agent_add(f->s, &a, &e), 0);
        assert_int_equal(f->s->ops->agent_add(f->s, &a, &e), -EEXIST);
        assert_int_equal(f->s->ops->agent_get(f->s, a.id, &got, &e), 0);
        assert_string_equal(got.finess, "750712184");
        assert_string_equal(got.hostname, "poste-accueil");
        assert_int_equal(got.enrolled_at, 1700000000);
        assert_int_equal(got.revoked_at, 0);
        assert_int_equal(f->s->ops->agent_revoke(f->s, a.id, 1800000000, &e), 0);
        assert_int_equal(f->s->ops->agent_revoke(f->s, a.id, 1900000000, &e), 0);
        assert_int_equal(f->s->ops->agent_get(f->s, a.id, &got, &e), 0);
        assert_int_equal(got.revoked_at, 1800000000);
        assert_int_equal(f->s->ops->agent_revoke(f->s, "nope", 1, &e), -ENOENT);
        assert_string_equal(e.msg, "no agent nope");
        strcpy(a.id, "other");
        strcpy(a.finess, "690781810");
        assert_int_not_equal(f->s->ops->agent_add(f->s, &a, &e), 0);
}

/* Reports and alerts: the same behaviour on both engines. */

#define AGENT_ID "3f0c9a4e-1b2d-4c5e-8f90-a1b2c3d4e5f6"

static void add_agent(struct fixture *f, const char *machine)
{
        struct agent a = { .id = AGENT_ID,
                           .finess = "750712184",
                           .hostname = "poste-accueil",
                           .enrolled_at = 1700000000 };
        struct error e;

        snprintf(a.machine, sizeof(a.machine), "%s", machine);
        assert_int_equal(f->s->ops->agent_add(f->s, &a, &e), 0);
}

/* The baseline's rules: alerts from medium up. */
static const struct store_rules *threshold_medium(void *user, const char *finess)
{
        static struct store_rules rules;
        struct policy p;

        (void)user;
        assert_string_equal(finess, "750712184");
        policy_defaults(&p);
        store_rules_of(&p, &rules);
        return &rules;
}

static struct store_report report(const char *id, long long seq, const struct store_finding *v,
                                  size_t n)
{
        return (struct store_report){ .agent_id = AGENT_ID,
                                      .report_id = id,
                                      .hostname = "poste-accueil",
                                      .machine = "aa",
                                      .seq = seq,
                                      .collected_at = 1700000000 + seq,
                                      .interval = 3600,
                                      .body = "{}",
                                      .body_len = 2,
                                      .encoding = "identity",
                                      .findings = v,
                                      .nfindings = n };
}

struct collected {
        char lines[16][1024];
        long long ids[16];
        int n;
};

static int collect_alert(void *user, const struct alert *a)
{
        struct collected *c = user;

        if (c->n == 16)
                return 0;
        c->ids[c->n] = a->id;
        snprintf(c->lines[c->n++], sizeof(c->lines[0]), "%s %s %s %s %s", a->check,
                 a->subject[0] ? a->subject : "-", a->severity, a->status,
                 a->resolved_at ? "resolved_at" : "-");
        return 0;
}

static struct collected alerts(struct fixture *f, const char *status)
{
        struct store_filter filter = { .status = status, .limit = 100 };
        struct collected c = { .n = 0 };
        struct error e;

        assert_int_equal(f->s->ops->alert_list(f->s, &filter, collect_alert, &c, &e), 0);
        return c;
}

static void test_store_report_is_stored_once(void **state)
{
        struct fixture *f = *state;
        struct store_report r = report("11111111-1111-4111-8111-111111111111", 1, NULL, 0);
        struct error e;

        add_agent(f, "aa");
        assert_int_equal(
            f->s->ops->reports_put(f->s, &r, 1, 1700000100, threshold_medium, NULL, &e), 0);
        assert_int_equal(r.result, 0);
        assert_int_equal(
            f->s->ops->reports_put(f->s, &r, 1, 1700000200, threshold_medium, NULL, &e), 0);
        assert_int_equal(r.result, STORE_DUPLICATE);
        r.agent_id = "00000000-0000-4000-8000-000000000000";
        assert_int_equal(
            f->s->ops->reports_put(f->s, &r, 1, 1700000200, threshold_medium, NULL, &e), 0);
        assert_int_equal(r.result, -ENOENT);
}

static void test_store_alerts_open_once_and_resolve_when_fixed(void **state)
{
        struct fixture *f = *state;
        const struct store_finding bad[] = {
                { "backup.recent", "nightly", "30 h old", STATUS_FAIL, SEV_HIGH },
                { "backup.recent", "weekly", "fine", STATUS_PASS, SEV_HIGH },
                { "patch.updates_pending", "", "3 pending", STATUS_FAIL, SEV_LOW },
                { "os.supported", "", "ends soon", STATUS_WARN, SEV_HIGH },
                { "antivirus.present", "", "none", STATUS_FAIL, SEV_HIGH },
        };
        const struct store_finding backup_fixed[] = {
                { "backup.recent", "nightly", "2 h old", STATUS_PASS, SEV_HIGH },
                { "backup.recent", "weekly", "fine", STATUS_PASS, SEV_HIGH },
        };
        struct store_report r[2] = {
                report("11111111-1111-4111-8111-111111111111", 1, bad, 5),
                report("22222222-2222-4222-8222-222222222222", 2, bad, 5),
        };
        struct store_report fixed =
            report("33333333-3333-4333-8333-333333333333", 3, backup_fixed, 2);
        struct store_report late = report("44444444-4444-4444-8444-444444444444", 2, bad, 5);
        struct collected c;
        struct error e;

        add_agent(f, "aa");
        /* Two reports in one transaction: one alert per (check, subject). */
        assert_int_equal(f->s->ops->reports_put(f->s, r, 2, 1700000100, threshold_medium, NULL, &e),
                         0);
        c = alerts(f, "open");
        assert_int_equal(c.n, 2);
        assert_string_equal(c.lines[0], "antivirus.present - high open -");
        assert_string_equal(c.lines[1], "backup.recent nightly high open -");
        /* A report of the backup family alone resolves its alerts only. */
        assert_int_equal(
            f->s->ops->reports_put(f->s, &fixed, 1, 1700000200, threshold_medium, NULL, &e), 0);
        c = alerts(f, "open");
        assert_int_equal(c.n, 1);
        assert_string_equal(c.lines[0], "antivirus.present - high open -");
        c = alerts(f, "resolved");
        assert_int_equal(c.n, 1);
        assert_string_equal(c.lines[0], "backup.recent nightly high resolved resolved_at");
        /* A report older than the newest applied is stored, and changes nothing. */
        assert_int_equal(
            f->s->ops->reports_put(f->s, &late, 1, 1700000300, threshold_medium, NULL, &e), 0);
        assert_int_equal(late.result, 0);
        assert_int_equal(alerts(f, "open").n, 1);
}

static void test_store_alert_follows_its_finding(void **state)
{
        struct fixture *f = *state;
        const struct store_finding twice[] = {
                { "patch.security_pending", "", "3 pending", STATUS_FAIL, SEV_HIGH },
                { "patch.security_pending", "", "3 pending", STATUS_FAIL, SEV_HIGH },
        };
        const struct store_finding worse[] = {
                { "patch.security_pending", "", "9 pending", STATUS_FAIL, SEV_CRITICAL },
        };
        struct store_report r = report("11111111-1111-4111-8111-111111111111", 1, twice, 2);
        struct store_report r2 = report("22222222-2222-4222-8222-222222222222", 2, worse, 1);
        struct collected c;
        struct error e;

        add_agent(f, "aa");
        /* The same finding twice in one report: one alert, no error. */
        assert_int_equal(
            f->s->ops->reports_put(f->s, &r, 1, 1700000100, threshold_medium, NULL, &e), 0);
        c = alerts(f, "open");
        assert_int_equal(c.n, 1);
        assert_string_equal(c.lines[0], "patch.security_pending - high open -");
        /* Worse since: the same alert, its severity raised. */
        assert_int_equal(
            f->s->ops->reports_put(f->s, &r2, 1, 1700000200, threshold_medium, NULL, &e), 0);
        c = alerts(f, "open");
        assert_int_equal(c.n, 1);
        assert_string_equal(c.lines[0], "patch.security_pending - critical open -");
        assert_int_equal(alerts(f, NULL).n, 1);
}

static void test_store_silent_agent_opens_and_resolves(void **state)
{
        struct fixture *f = *state;
        struct store_report r = report("11111111-1111-4111-8111-111111111111", 1, NULL, 0);
        struct store_report again = report("22222222-2222-4222-8222-222222222222", 2, NULL, 0);
        struct collected c;
        struct error e;

        add_agent(f, "aa");
        assert_int_equal(
            f->s->ops->reports_put(f->s, &r, 1, 1700000000, threshold_medium, NULL, &e), 0);
        /* Three intervals of an hour: not yet at 3 h, silent past it. */
        assert_int_equal(f->s->ops->sweep_silent(f->s, 1700000000 + 3 * 3600 - 1, &e), 0);
        assert_int_equal(f->s->ops->sweep_silent(f->s, 1700000000 + 3 * 3600 + 1, &e), 1);
        assert_int_equal(f->s->ops->sweep_silent(f->s, 1700000000 + 5 * 3600, &e), 0);
        c = alerts(f, "open");
        assert_int_equal(c.n, 1);
        assert_string_equal(c.lines[0], "agent.silent - high open -");
        assert_int_equal(f->s->ops->reports_put(f->s, &again, 1, 1700000000 + 6 * 3600,
                                                threshold_medium, NULL, &e),
                         0);
        assert_int_equal(alerts(f, "open").n, 0);
        /* A revoked agent is not silent: it is gone. */
        assert_int_equal(f->s->ops->agent_revoke(f->s, AGENT_ID, 1700000000 + 6 * 3600, &e), 0);
        assert_int_equal(f->s->ops->sweep_silent(f->s, 1800000000, &e), 0);
}

static void test_store_report_from_another_machine_raises_duplicate(void **state)
{
        struct fixture *f = *state;
        const struct store_finding bad[] = {
                { "antivirus.present", "", "none", STATUS_FAIL, SEV_HIGH },
        };
        struct store_report r = report("11111111-1111-4111-8111-111111111111", 1, bad, 1);
        struct collected c;
        struct error e;

        add_agent(f, "bb");
        assert_int_equal(
            f->s->ops->reports_put(f->s, &r, 1, 1700000100, threshold_medium, NULL, &e), 0);
        assert_int_equal(r.result, 0);
        c = alerts(f, "open");
        assert_int_equal(c.n, 1);
        assert_string_equal(c.lines[0], "agent.duplicate aa high open -");
}

static void test_store_policy_revision_goes_up_and_falls_back(void **state)
{
        struct fixture *f = *state;
        struct establishment other = { "690781810", "SSIAD du Rhône", "Auvergne-Rhône-Alpes",
                                       "69" };
        char *text = NULL;
        long rev = 0;
        struct error e;

        assert_int_equal(f->s->ops->policy_get(f->s, "750712184", &text, &rev, &e), -ENOENT);
        assert_int_equal(f->s->ops->policy_set(f->s, "", "[policy]\nrevision = 1\n", &rev, &e), 0);
        assert_int_equal(rev, 1);
        assert_int_equal(f->s->ops->policy_set(f->s, "", "[policy]\nrevision = 2\n", &rev, &e), 0);
        assert_int_equal(rev, 2);
        assert_int_equal(f->s->ops->establishment_add(f->s, &other, &e), 0);
        assert_int_equal(f->s->ops->policy_set(f->s, "690781810", "[os]\n", &rev, &e), 0);
        assert_int_equal(rev, 1);
        assert_int_equal(f->s->ops->policy_get(f->s, "750712184", &text, &rev, &e), 0);
        assert_string_equal(text, "[policy]\nrevision = 2\n");
        assert_int_equal(rev, 2);
        free(text);
        assert_int_equal(f->s->ops->policy_get(f->s, "690781810", &text, &rev, &e), 0);
        assert_string_equal(text, "[os]\n");
        free(text);
}

/* Users: unique logins, an existing establishment, failures counted. */
static void test_store_users_sessions_and_audit(void **state)
{
        struct fixture *f = *state;
        struct user u = { .login = "claire",
                          .role = ROLE_ESTABLISHMENT,
                          .finess = "750712184",
                          .hash = "$y$j9T$salt$hash",
                          .created_at = 1700000000 },
                    got;
        struct audit a = { 1700000005, "admin", "user.disable", "claire", "" };
        char csrf[65];
        struct error e;

        assert_int_equal(f->s->ops->user_add(f->s, &u, &e), 0);
        assert_int_equal(f->s->ops->user_add(f->s, &u, &e), -EEXIST);
        assert_string_equal(e.msg, "login claire is taken");
        strcpy(u.login, "marc");
        strcpy(u.finess, "690781810");
        assert_int_equal(f->s->ops->user_add(f->s, &u, &e), -ENOENT);
        assert_int_equal(f->s->ops->user_get(f->s, "claire", &got, &e), 0);
        assert_int_equal(got.role, ROLE_ESTABLISHMENT);
        assert_string_equal(got.finess, "750712184");
        assert_string_equal(got.hash, "$y$j9T$salt$hash");
        assert_int_equal(got.failures, 0);
        assert_int_equal(f->s->ops->user_login_result(f->s, got.id, false, 1700000001, &e), 0);
        assert_int_equal(f->s->ops->user_login_result(f->s, got.id, false, 1700000002, &e), 0);
        assert_int_equal(f->s->ops->user_get(f->s, "claire", &got, &e), 0);
        assert_int_equal(got.failures, 2);
        assert_int_equal(got.last_failure, 1700000002);
        assert_int_equal(f->s->ops->user_login_result(f->s, got.id, true, 1700000003, &e), 0);
        assert_int_equal(f->s->ops->user_get(f->s, "claire", &got, &e), 0);
        assert_int_equal(got.failures, 0);

        /* A session lasts until it expires, or until its user is disabled. */
        assert_int_equal(
            f->s->ops->session_add(f->s, "h1", got.id, "c1", 1700000000, 1700003600, &e), 0);
        assert_int_equal(f->s->ops->session_get(f->s, "h1", 1700000010, &got, csrf, &e), 0);
        assert_string_equal(got.login, "claire");
        assert_string_equal(csrf, "c1");
        assert_int_equal(f->s->ops->session_get(f->s, "h1", 1700003600, &got, csrf, &e), -ENOENT);
        assert_int_equal(f->s->ops->session_get(f->s, "h2", 1700000010, &got, csrf, &e), -ENOENT);
        assert_int_equal(f->s->ops->session_delete(f->s, "h1", &e), 0);
        assert_int_equal(f->s->ops->session_get(f->s, "h1", 1700000010, &got, csrf, &e), -ENOENT);
        assert_int_equal(
            f->s->ops->session_add(f->s, "h3", got.id, "c3", 1700000000, 1700003600, &e), 0);
        assert_int_equal(f->s->ops->user_disable(f->s, "claire", 1700000020, &e), 0);
        assert_int_equal(f->s->ops->session_get(f->s, "h3", 1700000030, &got, csrf, &e), -ENOENT);
        assert_int_equal(f->s->ops->user_get(f->s, "claire", &got, &e), 0);
        assert_int_equal(got.disabled_at, 1700000020);
        assert_int_equal(f->s->ops->user_disable(f->s, "nobody", 1700000020, &e), -ENOENT);
        assert_int_equal(f->s->ops->audit_add(f->s, &a, &e), 0);
}

/* Acknowledging: only an open alert, only within the caller's scope. */
static void test_store_alert_acknowledged_in_scope(void **state)
{
        struct fixture *f = *state;
        const struct store_finding bad[] = {
                { "antivirus.present", "", "none", STATUS_FAIL, SEV_HIGH },
        };
        struct store_report r = report("11111111-1111-4111-8111-111111111111", 1, bad, 1);
        struct store_filter other = { .region = "Bretagne", .limit = 1 };
        struct store_filter mine = { .finess = "750712184", .limit = 1 };
        struct store_filter all = { .limit = 1 };
        char want[64];
        struct collected c;
        struct error e;

        add_agent(f, "aa");
        assert_int_equal(
            f->s->ops->reports_put(f->s, &r, 1, 1700000100, threshold_medium, NULL, &e), 0);
        c = alerts(f, "open");
        assert_int_equal(c.n, 1);
        assert_int_equal(f->s->ops->alert_acknowledge(f->s, c.ids[0], &other, 1700000200, &e),
                         -ENOENT);
        assert_int_equal(f->s->ops->alert_acknowledge(f->s, c.ids[0] + 100, &all, 1700000200, &e),
                         -ENOENT);
        assert_int_equal(f->s->ops->alert_acknowledge(f->s, c.ids[0], &mine, 1700000200, &e), 0);
        assert_int_equal(f->s->ops->alert_acknowledge(f->s, c.ids[0], &all, 1700000300, &e),
                         -EALREADY);
        snprintf(want, sizeof(want), "alert %lld is acknowledged", c.ids[0]);
        assert_string_equal(e.msg, want);
        assert_int_equal(alerts(f, "acknowledged").n, 1);
}

static void test_token_shape_and_durations(void **state)
{
        char a[TOKEN_LEN + 1], b[TOKEN_LEN + 1];
        long long secs;

        (void)state;
        assert_int_equal(token_new("hye_", a, sizeof(a)), 0);
        assert_int_equal(token_new("hye_", b, sizeof(b)), 0);
        assert_int_equal(strlen(a), TOKEN_LEN);
        assert_memory_equal(a, "hye_", 4);
        assert_int_equal(strspn(a + 4, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                       "0123456789-_"),
                         43);
        assert_string_not_equal(a, b);
        assert_int_equal(token_parse_duration("7d", &secs), 0);
        assert_int_equal(secs, 7 * 86400);
        assert_int_equal(token_parse_duration("12h", &secs), 0);
        assert_int_equal(secs, 12 * 3600);
        assert_int_equal(token_parse_duration("2w", &secs), 0);
        assert_int_equal(secs, 14 * 86400);
        assert_int_equal(token_parse_duration("7", &secs), -EINVAL);
        assert_int_equal(token_parse_duration("0d", &secs), -EINVAL);
        assert_int_equal(token_parse_duration("7dd", &secs), -EINVAL);
        assert_int_equal(token_parse_duration("99999w", &secs), -EINVAL);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_store_duplicate_establishment_is_refused,
                                                setup, teardown),
                cmocka_unit_test_setup_teardown(test_store_token_spends_each_use_once, setup,
                                                teardown),
                cmocka_unit_test_setup_teardown(test_store_expired_and_unknown_tokens_are_refused,
                                                setup, teardown),
                cmocka_unit_test_setup_teardown(test_store_api_token_is_found_by_hash_only, setup,
                                                teardown),
                cmocka_unit_test_setup_teardown(test_store_agent_revocation_is_kept, setup,
                                                teardown),
                cmocka_unit_test_setup_teardown(test_store_report_is_stored_once, setup, teardown),
                cmocka_unit_test_setup_teardown(test_store_alerts_open_once_and_resolve_when_fixed,
                                                setup, teardown),
                cmocka_unit_test_setup_teardown(test_store_alert_follows_its_finding, setup,
                                                teardown),
                cmocka_unit_test_setup_teardown(test_store_silent_agent_opens_and_resolves, setup,
                                                teardown),
                cmocka_unit_test_setup_teardown(
                    test_store_report_from_another_machine_raises_duplicate, setup, teardown),
                cmocka_unit_test_setup_teardown(test_store_policy_revision_goes_up_and_falls_back,
                                                setup, teardown),
                cmocka_unit_test_setup_teardown(test_store_users_sessions_and_audit, setup,
                                                teardown),
                cmocka_unit_test_setup_teardown(test_store_alert_acknowledged_in_scope, setup,
                                                teardown),
                cmocka_unit_test(test_token_shape_and_durations),
        };
        int failed;

        pg_url = getenv("HYGIE_TEST_PG");
        if (pg_url && !*pg_url)
                pg_url = NULL;
        failed = pg_url ? cmocka_run_group_tests_name("store on PostgreSQL", tests, NULL, NULL)
                        : cmocka_run_group_tests_name("store on SQLite", tests, NULL, NULL);
        return failed;
}
