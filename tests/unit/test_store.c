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
#include "report_limits.h"
#include "records.h"
#include "store.h"
#include "store/driver.h"
#include "sweep.h"
#include "token.h"
#include "views.h"

struct fixture {
        char dir[64];
        struct store *s;
};

/* The engine under test: SQLite, or PostgreSQL at $HYGIE_TEST_PG (a
 * throwaway database: its schema is dropped before each test). */
/* The sweep's plan checks (and with snapshot, today's scores) under rules r. */
static int sweep_at(struct store *s, const struct store_rules *r, time_t now, bool snapshot,
                    struct error *e)
{
        int rc = store_plan_checks(s, r, now, e);

        return rc < 0 || !snapshot ? rc : sweep_snapshot(s, r, now, e);
}

/* A record added, as the route answers it in *out. */
static int record_add(struct store *s, const struct store_rules *r, const char *finess,
                      const json_t *body, const char *actor, time_t now, json_t **out,
                      struct error *e)
{
        long long id;
        int rc = records_add(s, r, NULL, finess, body, actor, now, &id, e);

        return rc < 0 ? rc : view_record(s, id, out, e);
}

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
            store_establishment_add(f->s, &est, &e) < 0) {
                fprintf(stderr, "setup: %s\n", e.msg);
                return -1;
        }
        *state = f;
        return 0;
}

static int first_number(void *user, int ncols, const char *const *v)
{
        *(long *)user = ncols > 0 && v[0] ? atol(v[0]) : -1;
        return 0;
}

/* How many groups alert_groups counts otherwise than the alerts themselves
 * (tests/groups_astray.sql): after every test, none. */
static long groups_astray(struct store *s)
{
        char sql[4096];
        FILE *fp = fopen(TESTS_DIR "/groups_astray.sql", "r");
        size_t n = fp ? fread(sql, 1, sizeof(sql) - 1, fp) : 0;
        struct error e;
        long astray = -1;

        if (fp)
                fclose(fp);
        sql[n] = '\0';
        if (n == 0 || n == sizeof(sql) - 1)
                fprintf(stderr, "groups_astray: cannot read %s\n", TESTS_DIR "/groups_astray.sql");
        else if (store_rows(s, sql, 0, NULL, first_number, &astray, &e) < 0)
                fprintf(stderr, "groups_astray: %s\n", e.msg);
        return astray;
}

static int teardown(void **state)
{
        struct fixture *f = *state;
        long astray = groups_astray(f->s);
        char cmd[128];

        if (astray != 0) {
                fprintf(stderr, "alert_groups: %ld groups astray\n", astray);
                return -1;
        }
        store_close(f->s);
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

        assert_int_equal(store_establishment_add(f->s, &est, &e), -EEXIST);
        assert_string_equal(e.msg, "establishment 750712184 is already registered");
}

/* A statement that fails among queued ones (sent together on PostgreSQL)
 * fails the flush with its kind, and the connection goes on after the
 * rollback. */
static void test_store_queued_failure_is_reported_and_rolled_back(void **state)
{
        struct fixture *f = *state;
        const struct sql_driver *d = f->s->drv;
        static const char add[] = "INSERT INTO establishments (finess, name, region, department)"
                                  " VALUES ($1, 'x', 'y', $2)";
        const struct sql_arg fresh[] = { sql_text("690781810"), sql_text("69") };
        const struct sql_arg taken[] = { sql_text("750712184"), sql_text("75") };
        struct establishment est;
        struct error e;
        int rc;

        assert_int_equal(d->exec(f->s, d->begin, &e), 0);
        rc = d->queue(f->s, add, 2, fresh, NULL, NULL, &e);
        if (rc == 0)
                rc = d->queue(f->s, add, 2, taken, NULL, NULL, &e);
        if (rc == 0)
                rc = d->queue(f->s, add, 2, fresh, NULL, NULL, &e); /* not run */
        if (rc == 0)
                rc = d->flush(f->s, &e);
        assert_int_equal(rc, -EEXIST);
        assert_int_equal(d->exec(f->s, "ROLLBACK", &e), 0);
        assert_int_equal(store_establishment_get(f->s, "690781810", &est, &e), -ENOENT);
        assert_int_equal(store_establishment_get(f->s, "750712184", &est, &e), 0);
        assert_int_equal(d->exec(f->s, d->begin, &e), 0);
        assert_int_equal(d->queue(f->s, add, 2, fresh, NULL, NULL, &e), 0);
        assert_int_equal(d->flush(f->s, &e), 0);
        assert_int_equal(d->exec(f->s, "COMMIT", &e), 0);
        assert_int_equal(store_establishment_get(f->s, "690781810", &est, &e), 0);
}

/* The collectors sharing a store record which one ran a duty last. */
static void test_store_duty_keeps_the_last_run(void **state)
{
        struct fixture *f = *state;
        char node[64];
        time_t at;
        struct error e;

        assert_int_equal(store_duty_get(f->s, "sweep", node, sizeof(node), &at, &e), -ENOENT);
        assert_int_equal(store_duty_done(f->s, "sweep", "a/10.0.0.1:8443", 100, 101, &e), 0);
        assert_int_equal(store_duty_done(f->s, "sweep", "b/10.0.0.2:8443", 160, 162, &e), 0);
        assert_int_equal(store_duty_get(f->s, "sweep", node, sizeof(node), &at, &e), 0);
        assert_string_equal(node, "b/10.0.0.2:8443");
        assert_int_equal(at, 162);
}

static void test_store_token_spends_each_use_once(void **state)
{
        struct fixture *f = *state;
        char finess[10];
        struct error e;
        time_t now = time(NULL);

        assert_int_equal(store_token_add(f->s, "750712184", "h1", 2, now + 3600, &e), 0);
        assert_int_equal(store_token_consume(f->s, "h1", now, finess, &e), 0);
        assert_string_equal(finess, "750712184");
        assert_int_equal(store_token_consume(f->s, "h1", now, finess, &e), 0);
        assert_int_equal(store_token_consume(f->s, "h1", now, finess, &e), -EDQUOT);
        assert_string_equal(e.msg, "the enrollment token has been used up");
}

static void test_store_expired_and_unknown_tokens_are_refused(void **state)
{
        struct fixture *f = *state;
        char finess[10];
        struct error e;
        time_t now = time(NULL);

        assert_int_equal(store_token_add(f->s, "750712184", "h2", 5, now, &e), 0);
        assert_int_equal(store_token_consume(f->s, "h2", now, finess, &e), -EKEYEXPIRED);
        assert_string_equal(e.msg, "the enrollment token has expired");
        assert_int_equal(store_token_consume(f->s, "nope", now, finess, &e), -ENOENT);
        assert_string_equal(e.msg, "unknown enrollment token");
        assert_int_equal(store_token_add(f->s, "690781810", "h3", 1, now + 60, &e), -ENOENT);
}

static void test_store_api_token_is_found_by_hash_only(void **state)
{
        struct fixture *f = *state;
        char token[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1], other[TOKEN_HASH_LEN + 1];
        struct error e;

        assert_int_equal(token_new("hya_", token, sizeof(token)), 0);
        assert_int_equal(token_hash(token, hash, sizeof(hash)), 0);
        assert_int_equal(store_api_token_add(f->s, hash, &e), 0);
        assert_int_equal(store_api_token_check(f->s, hash, &e), 0);
        token[10] = token[10] == 'A' ? 'B' : 'A';
        assert_int_equal(token_hash(token, other, sizeof(other)), 0);
        assert_int_equal(store_api_token_check(f->s, other, &e), -ENOENT);
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

        assert_int_equal(store_agent_add(f->s, &a, &e), 0);
        assert_int_equal(store_agent_add(f->s, &a, &e), -EEXIST);
        assert_int_equal(store_agent_get(f->s, a.id, &got, &e), 0);
        assert_string_equal(got.finess, "750712184");
        assert_string_equal(got.hostname, "poste-accueil");
        assert_int_equal(got.enrolled_at, 1700000000);
        assert_int_equal(got.revoked_at, 0);
        assert_int_equal(store_agent_revoke(f->s, a.id, 1800000000, &e), 0);
        assert_int_equal(store_agent_revoke(f->s, a.id, 1900000000, &e), 0);
        assert_int_equal(store_agent_get(f->s, a.id, &got, &e), 0);
        assert_int_equal(got.revoked_at, 1800000000);
        assert_int_equal(store_agent_revoke(f->s, "nope", 1, &e), -ENOENT);
        assert_string_equal(e.msg, "no agent nope");
        strcpy(a.id, "other");
        strcpy(a.finess, "690781810");
        assert_int_not_equal(store_agent_add(f->s, &a, &e), 0);
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
        assert_int_equal(store_agent_add(f->s, &a, &e), 0);
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

        assert_int_equal(store_alert_list(f->s, &filter, collect_alert, &c, &e), 0);
        return c;
}

static void test_store_report_is_stored_once(void **state)
{
        struct fixture *f = *state;
        struct store_report r = report("11111111-1111-4111-8111-111111111111", 1, NULL, 0);
        struct error e;

        add_agent(f, "aa");
        assert_int_equal(store_reports_put(f->s, &r, 1, 1700000100, threshold_medium, NULL, &e), 0);
        assert_int_equal(r.result, 0);
        assert_int_equal(store_reports_put(f->s, &r, 1, 1700000200, threshold_medium, NULL, &e), 0);
        assert_int_equal(r.result, STORE_DUPLICATE);
        r.agent_id = "00000000-0000-4000-8000-000000000000";
        assert_int_equal(store_reports_put(f->s, &r, 1, 1700000200, threshold_medium, NULL, &e), 0);
        assert_int_equal(r.result, -ENOENT);
}

static void test_store_alerts_open_once_and_resolve_when_fixed(void **state)
{
        struct fixture *f = *state;
        const struct store_finding bad[] = {
                { "backup.recent", "nightly", "30 h old", STATUS_FAIL, SEV_HIGH, NULL, NULL, NULL },
                { "backup.recent", "weekly", "fine", STATUS_PASS, SEV_HIGH, NULL, NULL, NULL },
                { "patch.updates_pending", "", "3 pending", STATUS_FAIL, SEV_LOW, NULL, NULL,
                  NULL },
                { "os.supported", "", "ends soon", STATUS_WARN, SEV_HIGH, NULL, NULL, NULL },
                { "antivirus.present", "", "none", STATUS_FAIL, SEV_HIGH, NULL, NULL, NULL },
        };
        const struct store_finding backup_fixed[] = {
                { "backup.recent", "nightly", "2 h old", STATUS_PASS, SEV_HIGH, NULL, NULL, NULL },
                { "backup.recent", "weekly", "fine", STATUS_PASS, SEV_HIGH, NULL, NULL, NULL },
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
        assert_int_equal(store_reports_put(f->s, r, 2, 1700000100, threshold_medium, NULL, &e), 0);
        c = alerts(f, "open");
        assert_int_equal(c.n, 2); /* as severe and as old: in the order they opened */
        assert_string_equal(c.lines[0], "backup.recent nightly high open -");
        assert_string_equal(c.lines[1], "antivirus.present - high open -");
        /* A report of the backup family alone resolves its alerts only. */
        assert_int_equal(store_reports_put(f->s, &fixed, 1, 1700000200, threshold_medium, NULL, &e),
                         0);
        c = alerts(f, "open");
        assert_int_equal(c.n, 1);
        assert_string_equal(c.lines[0], "antivirus.present - high open -");
        c = alerts(f, "resolved");
        assert_int_equal(c.n, 1);
        assert_string_equal(c.lines[0], "backup.recent nightly high resolved resolved_at");
        /* A report older than the newest applied is stored, says it is
         * superseded, and changes nothing. */
        assert_int_equal(store_reports_put(f->s, &late, 1, 1700000300, threshold_medium, NULL, &e),
                         0);
        assert_int_equal(late.result, STORE_SUPERSEDED);
        assert_int_equal(late.newest_seq, 3);
        assert_int_equal(alerts(f, "open").n, 1);
}

/* One batch as the collector's writer makes them: two reports of one
 * agent, the second fixing what the first found, the first again, and a
 * report of a revoked agent. Each sees what the ones before it did. */
static void test_store_batch_applies_in_order(void **state)
{
        struct fixture *f = *state;
        const struct store_finding bad[] = {
                { "antivirus.present", "", "none", STATUS_FAIL, SEV_HIGH, NULL, NULL, NULL },
        };
        const struct store_finding good[] = {
                { "antivirus.present", "", "ClamAV", STATUS_PASS, SEV_HIGH, NULL, NULL, NULL },
        };
        struct agent other = { .id = "b0000000-0000-4000-8000-00000000000b",
                               .finess = "750712184",
                               .hostname = "poste-2",
                               .enrolled_at = 1700000000 };
        struct store_report r[4] = {
                report("11111111-1111-4111-8111-111111111111", 1, bad, 1),
                report("22222222-2222-4222-8222-222222222222", 2, good, 1),
                report("11111111-1111-4111-8111-111111111111", 1, bad, 1),
                report("55555555-5555-4555-8555-555555555555", 1, bad, 1),
        };
        struct collected c;
        struct error e;

        add_agent(f, "aa");
        assert_int_equal(store_agent_add(f->s, &other, &e), 0);
        assert_int_equal(store_agent_revoke(f->s, other.id, 1700000050, &e), 0);
        r[3].agent_id = other.id;
        assert_int_equal(store_reports_put(f->s, r, 4, 1700000100, threshold_medium, NULL, &e), 0);
        assert_int_equal(r[0].result, 0);
        assert_int_equal(r[1].result, 0);
        assert_int_equal(r[2].result, STORE_DUPLICATE);
        assert_int_equal(r[3].result, -EKEYREJECTED);
        assert_int_equal(alerts(f, "open").n, 0);
        c = alerts(f, "resolved");
        assert_int_equal(c.n, 1);
        assert_string_equal(c.lines[0], "antivirus.present - high resolved resolved_at");
}

static void test_store_seq_cannot_run_far_ahead(void **state)
{
        struct fixture *f = *state;
        const struct store_finding bad[] = {
                { "antivirus.present", "", "no antivirus", STATUS_FAIL, SEV_HIGH, NULL, NULL,
                  NULL },
        };
        const struct store_finding good[] = {
                { "antivirus.present", "", "ClamAV", STATUS_PASS, SEV_HIGH, NULL, NULL, NULL },
        };
        struct store_report first = report("11111111-1111-4111-8111-111111111111", 1, bad, 1);
        struct store_report huge =
            report("22222222-2222-4222-8222-222222222222", 1LL << 53, good, 1);
        struct store_report next = report("33333333-3333-4333-8333-333333333333", 2, good, 1);
        struct error e;

        add_agent(f, "aa");
        assert_int_equal(store_reports_put(f->s, &first, 1, 1700000100, threshold_medium, NULL, &e),
                         0);
        assert_int_equal(alerts(f, "open").n, 1);
        /* A seq far past the agent's history is refused and stores nothing... */
        assert_int_equal(store_reports_put(f->s, &huge, 1, 1700000200, threshold_medium, NULL, &e),
                         0);
        assert_int_equal(huge.result, STORE_SEQ_AHEAD);
        assert_int_equal(huge.newest_seq, 1);
        assert_int_equal(alerts(f, "open").n, 1);
        /* ...so the agent's next report still counts. */
        assert_int_equal(store_reports_put(f->s, &next, 1, 1700000300, threshold_medium, NULL, &e),
                         0);
        assert_int_equal(next.result, 0);
        assert_int_equal(next.newest_seq, 2);
        assert_int_equal(alerts(f, "open").n, 0);
        /* Up to REPORT_SEQ_AHEAD_MAX ahead is a gap an outage can leave. */
        huge.seq = 2 + REPORT_SEQ_AHEAD_MAX;
        assert_int_equal(store_reports_put(f->s, &huge, 1, 1700000400, threshold_medium, NULL, &e),
                         0);
        assert_int_equal(huge.result, 0);
}

static void test_store_alert_follows_its_finding(void **state)
{
        struct fixture *f = *state;
        const struct store_finding twice[] = {
                { "patch.security_pending", "", "3 pending", STATUS_FAIL, SEV_HIGH, NULL, NULL,
                  NULL },
                { "patch.security_pending", "", "3 pending", STATUS_FAIL, SEV_HIGH, NULL, NULL,
                  NULL },
        };
        const struct store_finding worse[] = {
                { "patch.security_pending", "", "9 pending", STATUS_FAIL, SEV_CRITICAL, NULL, NULL,
                  NULL },
        };
        struct store_report r = report("11111111-1111-4111-8111-111111111111", 1, twice, 2);
        struct store_report r2 = report("22222222-2222-4222-8222-222222222222", 2, worse, 1);
        struct collected c;
        struct error e;

        add_agent(f, "aa");
        /* The same finding twice in one report: one alert, no error. */
        assert_int_equal(store_reports_put(f->s, &r, 1, 1700000100, threshold_medium, NULL, &e), 0);
        c = alerts(f, "open");
        assert_int_equal(c.n, 1);
        assert_string_equal(c.lines[0], "patch.security_pending - high open -");
        /* Worse since: the same alert, its severity raised. */
        if (store_reports_put(f->s, &r2, 1, 1700000200, threshold_medium, NULL, &e) != 0)
                fail_msg("%s", e.msg);
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
        struct store_report late = report("", 1, NULL, 0);
        struct collected c;
        struct error e;

        add_agent(f, "aa");
        assert_int_equal(store_reports_put(f->s, &r, 1, 1700000000, threshold_medium, NULL, &e), 0);
        /* Three intervals of an hour: not yet at 3 h, silent past it. */
        assert_int_equal(store_sweep_silent(f->s, 1700000000 + 3 * 3600 - 1, &e), 0);
        assert_int_equal(store_sweep_silent(f->s, 1700000000 + 3 * 3600 + 1, &e), 1);
        assert_int_equal(store_sweep_silent(f->s, 1700000000 + 5 * 3600, &e), 0);
        c = alerts(f, "open");
        assert_int_equal(c.n, 1);
        assert_string_equal(c.lines[0], "agent.silent - high open -");
        assert_int_equal(
            store_reports_put(f->s, &again, 1, 1700000000 + 6 * 3600, threshold_medium, NULL, &e),
            0);
        assert_int_equal(alerts(f, "open").n, 0);
        /* Silent again; a late report, older than the newest, still says
         * the agent is alive. */
        assert_int_equal(store_sweep_silent(f->s, 1700000000 + 10 * 3600, &e), 1);
        assert_int_equal(alerts(f, "open").n, 1);
        late.report_id = "33333333-3333-4333-8333-333333333333";
        assert_int_equal(
            store_reports_put(f->s, &late, 1, 1700000000 + 11 * 3600, threshold_medium, NULL, &e),
            0);
        assert_int_equal(late.result, STORE_SUPERSEDED);
        assert_int_equal(alerts(f, "open").n, 0);
        /* A revoked agent is not silent: it is gone. */
        assert_int_equal(store_agent_revoke(f->s, AGENT_ID, 1700000000 + 6 * 3600, &e), 0);
        assert_int_equal(store_sweep_silent(f->s, 1800000000, &e), 0);
}

static void test_store_report_from_another_machine_raises_duplicate(void **state)
{
        struct fixture *f = *state;
        const struct store_finding bad[] = {
                { "antivirus.present", "", "none", STATUS_FAIL, SEV_HIGH, NULL, NULL, NULL },
        };
        struct store_report r = report("11111111-1111-4111-8111-111111111111", 1, bad, 1);
        struct collected c;
        struct error e;

        add_agent(f, "bb");
        assert_int_equal(store_reports_put(f->s, &r, 1, 1700000100, threshold_medium, NULL, &e), 0);
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

        assert_int_equal(store_policy_get(f->s, "750712184", &text, &rev, &e), -ENOENT);
        assert_int_equal(store_policy_set(f->s, "", "[policy]\nrevision = 1\n", &rev, &e), 0);
        assert_int_equal(rev, 1);
        assert_int_equal(store_policy_set(f->s, "", "[policy]\nrevision = 2\n", &rev, &e), 0);
        assert_int_equal(rev, 2);
        assert_int_equal(store_establishment_add(f->s, &other, &e), 0);
        assert_int_equal(store_policy_set(f->s, "690781810", "[os]\n", &rev, &e), 0);
        assert_int_equal(rev, 1);
        assert_int_equal(store_policy_get(f->s, "750712184", &text, &rev, &e), 0);
        assert_string_equal(text, "[policy]\nrevision = 2\n");
        assert_int_equal(rev, 2);
        free(text);
        assert_int_equal(store_policy_get(f->s, "690781810", &text, &rev, &e), 0);
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

        assert_int_equal(store_user_add(f->s, &u, &e), 0);
        assert_int_equal(store_user_add(f->s, &u, &e), -EEXIST);
        assert_string_equal(e.msg, "login claire is taken");
        strcpy(u.login, "marc");
        strcpy(u.finess, "690781810");
        assert_int_equal(store_user_add(f->s, &u, &e), -ENOENT);
        assert_int_equal(store_user_get(f->s, "claire", &got, &e), 0);
        assert_int_equal(got.role, ROLE_ESTABLISHMENT);
        assert_string_equal(got.finess, "750712184");
        assert_string_equal(got.hash, "$y$j9T$salt$hash");
        assert_int_equal(got.failures, 0);
        assert_int_equal(store_user_login_result(f->s, got.id, false, 1700000001, &e), 0);
        assert_int_equal(store_user_login_result(f->s, got.id, false, 1700000002, &e), 0);
        assert_int_equal(store_user_get(f->s, "claire", &got, &e), 0);
        assert_int_equal(got.failures, 2);
        assert_int_equal(got.last_failure, 1700000002);
        assert_int_equal(store_user_login_result(f->s, got.id, true, 1700000003, &e), 0);
        assert_int_equal(store_user_get(f->s, "claire", &got, &e), 0);
        assert_int_equal(got.failures, 0);

        /* A session lasts until it expires, or until its user is disabled. */
        assert_int_equal(store_session_add(f->s, "h1", got.id, "c1", 1700000000, 1700003600, &e),
                         0);
        assert_int_equal(store_session_get(f->s, "h1", 1700000010, &got, csrf, &e), 0);
        assert_string_equal(got.login, "claire");
        assert_string_equal(csrf, "c1");
        assert_int_equal(store_session_get(f->s, "h1", 1700003600, &got, csrf, &e), -ENOENT);
        assert_int_equal(store_session_get(f->s, "h2", 1700000010, &got, csrf, &e), -ENOENT);
        assert_int_equal(store_session_delete(f->s, "h1", &e), 0);
        assert_int_equal(store_session_get(f->s, "h1", 1700000010, &got, csrf, &e), -ENOENT);
        assert_int_equal(store_session_add(f->s, "h3", got.id, "c3", 1700000000, 1700003600, &e),
                         0);
        assert_int_equal(store_user_disable(f->s, "claire", 1700000020, &e), 0);
        assert_int_equal(store_session_get(f->s, "h3", 1700000030, &got, csrf, &e), -ENOENT);
        assert_int_equal(store_user_get(f->s, "claire", &got, &e), 0);
        assert_int_equal(got.disabled_at, 1700000020);
        assert_int_equal(store_user_disable(f->s, "nobody", 1700000020, &e), -ENOENT);
        assert_int_equal(store_audit_add(f->s, &a, &e), 0);
}

/* Acknowledging: only an open alert, only within the caller's scope. */
static void test_store_alert_acknowledged_in_scope(void **state)
{
        struct fixture *f = *state;
        const struct store_finding bad[] = {
                { "antivirus.present", "", "none", STATUS_FAIL, SEV_HIGH, NULL, NULL, NULL },
        };
        struct store_report r = report("11111111-1111-4111-8111-111111111111", 1, bad, 1);
        struct store_filter other = { .region = "Bretagne", .limit = 1 };
        struct store_filter mine = { .finess = "750712184", .limit = 1 };
        struct store_filter all = { .limit = 1 };
        char want[64];
        struct collected c;
        struct error e;

        add_agent(f, "aa");
        assert_int_equal(store_reports_put(f->s, &r, 1, 1700000100, threshold_medium, NULL, &e), 0);
        c = alerts(f, "open");
        assert_int_equal(c.n, 1);
        assert_int_equal(store_alert_acknowledge(f->s, c.ids[0], &other, 1700000200, &e), -ENOENT);
        assert_int_equal(store_alert_acknowledge(f->s, c.ids[0] + 100, &all, 1700000200, &e),
                         -ENOENT);
        assert_int_equal(store_alert_acknowledge(f->s, c.ids[0], &mine, 1700000200, &e), 0);
        assert_int_equal(store_alert_acknowledge(f->s, c.ids[0], &all, 1700000300, &e), -EALREADY);
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

/* Views: scores, equipment, the plan's checks, open data. */

#define NOW  1790000000LL /* 2026-09-21 */
#define DAYS 86400

static const struct store_rules *baseline_rules(void *user, const char *finess)
{
        static struct store_rules rules;
        struct policy p;

        (void)user;
        (void)finess;
        policy_defaults(&p);
        store_rules_of(&p, &rules);
        return &rules;
}

static void est_add(struct fixture *f, const char *finess, const char *region, const char *dep)
{
        struct establishment est = { 0 };
        struct error e;

        snprintf(est.finess, sizeof(est.finess), "%s", finess);
        snprintf(est.name, sizeof(est.name), "Etablissement %s", finess);
        snprintf(est.region, sizeof(est.region), "%s", region);
        snprintf(est.department, sizeof(est.department), "%s", dep);
        assert_int_equal(store_establishment_add(f->s, &est, &e), 0);
}

static void agent_in(struct fixture *f, const char *id, const char *finess)
{
        struct agent a = { .enrolled_at = NOW - 30 * DAYS };
        struct error e;

        snprintf(a.id, sizeof(a.id), "%s", id);
        snprintf(a.finess, sizeof(a.finess), "%s", finess);
        snprintf(a.hostname, sizeof(a.hostname), "poste-%.8s", id);
        assert_int_equal(store_agent_add(f->s, &a, &e), 0);
}

/* Report seq of agent, taken (stored, superseded or not). */
static void report_from(struct fixture *f, const char *agent, long long seq,
                        const struct store_finding *v, size_t n, time_t now)
{
        char id[40];
        struct store_report r = report(id, seq, v, n);
        struct error e;

        snprintf(id, sizeof(id), "00000000-0000-4000-8000-%012lld", seq);
        r.agent_id = agent;
        r.machine = "";
        assert_int_equal(store_reports_put(f->s, &r, 1, now, baseline_rules, NULL, &e), 0);
        assert_true(r.result == 0 || r.result == STORE_SUPERSEDED);
}

static json_t *find_by(json_t *list, const char *key, const char *value)
{
        size_t i;
        json_t *o;

        json_array_foreach(list, i, o)
        {
                if (strcmp(json_string_value(json_object_get(o, key)), value) == 0)
                        return o;
        }
        fail_msg("no %s %s", key, value);
        return NULL;
}

static long long int_of(json_t *o, const char *key)
{
        json_t *v = json_object_get(o, key);

        if (!json_is_integer(v))
                fail_msg("%s is not a number", key);
        return json_integer_value(v);
}

#define A1 "a1000000-0000-4000-8000-000000000001"
#define A2 "a2000000-0000-4000-8000-000000000002"

/* The score is the weighted share of the checks that apply: it never
 * stops at 0, so two poor machines still rank. */
static void test_store_score_is_the_weighted_share(void **state)
{
        const struct store_rules *r = baseline_rules(NULL, "");

        (void)state;
        /* Critical 40, high 15, medium 6, low 2; a warning earns half. */
        assert_int_equal(store_checks_score("a.b=p4;c.d=p3;", r), 100);
        assert_int_equal(store_checks_score("a.b=f4;c.d=p3;", r), 27); /* 15 / 55 */
        assert_int_equal(store_checks_score("a.b=f4;c.d=f3;", r), 0);
        assert_int_equal(store_checks_score("a.b=f4;c.d=w3;", r), 14);        /* 7.5 / 55 */
        assert_int_equal(store_checks_score("a.b=e4;c.d=w3;e.f=p1;", r), 17); /* 9.5 / 57 */
        /* A skipped check does not count; nothing that weighs: no score. */
        assert_int_equal(store_checks_score("a.b=s4;c.d=p3;", r), 100);
        assert_int_equal(store_checks_score("a.b=s4;c.d=p0;", r), -1);
        assert_int_equal(store_checks_score("", r), -1);
}

/* Alerts at scale: the most severe and oldest first, a page at a time, with
 * the counts per severity; grouped by check and establishment; many
 * acknowledged at once, within the scope. */
static int collect_group(void *user, const struct alert_group *g)
{
        struct collected *c = user;

        if (c->n < 16)
                snprintf(c->lines[c->n++], sizeof(c->lines[0]), "%s %s c%ld h%ld m%ld on %ld",
                         g->check, g->finess, g->counts[SEV_CRITICAL], g->counts[SEV_HIGH],
                         g->counts[SEV_MEDIUM], g->machines);
        return 0;
}

static void test_store_alerts_at_scale(void **state)
{
        struct fixture *f = *state;
        struct store_finding one[] = {
                { "password.empty", "alice", "a", STATUS_FAIL, SEV_CRITICAL, NULL, NULL, NULL },
                { "password.empty", "bob", "b", STATUS_FAIL, SEV_CRITICAL, NULL, NULL, NULL },
                { "patch.security_pending", "", "p", STATUS_FAIL, SEV_HIGH, NULL, NULL, NULL },
                { "backup.offsite", "docs", "o", STATUS_FAIL, SEV_MEDIUM, NULL, NULL, NULL },
        };
        struct store_finding two[] = {
                { "password.empty", "carol", "c", STATUS_FAIL, SEV_CRITICAL, NULL, NULL, NULL },
                { "antivirus.present", "", "v", STATUS_FAIL, SEV_HIGH, NULL, NULL, NULL },
        };
        struct store_filter fl = { .status = "open", .limit = 100 };
        struct collected c = { .n = 0 };
        long counts[SEV_COUNT], total, n;
        long long ids[2];
        struct error e;

        est_add(f, "290000025", "Bretagne", "29");
        agent_in(f, A1, "750712184");
        agent_in(f, A2, "750712184");
        report_from(f, A1, 1, one, 4, NOW - 2 * DAYS);
        report_from(f, A2, 1, two, 2, NOW);
        assert_int_equal(store_alert_list(f->s, &fl, collect_alert, &c, &e), 0);
        assert_int_equal(c.n, 6);
        assert_string_equal(c.lines[0], "password.empty alice critical open -");
        assert_string_equal(c.lines[2], "password.empty carol critical open -"); /* newer */
        assert_string_equal(c.lines[3], "patch.security_pending - high open -");
        assert_string_equal(c.lines[5], "backup.offsite docs medium open -");
        ids[0] = c.ids[0];
        ids[1] = c.ids[2];

        /* A page: the second and third; the counts are the whole filter's. */
        fl.limit = 2;
        fl.offset = 1;
        c.n = 0;
        assert_int_equal(store_alert_list(f->s, &fl, collect_alert, &c, &e), 0);
        assert_int_equal(c.n, 2);
        assert_string_equal(c.lines[0], "password.empty bob critical open -");
        fl.severity = "high";
        assert_int_equal(store_alert_counts_of(f->s, &fl, counts, &e), 0);
        assert_int_equal(counts[SEV_CRITICAL], 3);
        assert_int_equal(counts[SEV_HIGH], 2);
        assert_int_equal(counts[SEV_MEDIUM], 1);
        /* Opened more than a day ago: A1's only. */
        fl = (struct store_filter){ .status = "open", .limit = 100, .opened_before = NOW - DAYS };
        assert_int_equal(store_alert_counts_of(f->s, &fl, counts, &e), 0);
        assert_int_equal(counts[SEV_CRITICAL] + counts[SEV_HIGH] + counts[SEV_MEDIUM], 4);

        fl.opened_before = 0;
        c.n = 0;
        assert_int_equal(store_alert_groups(f->s, &fl, collect_group, &c, &total, &e), 0);
        assert_int_equal(total, 4);
        assert_string_equal(c.lines[0], "password.empty 750712184 c3 h0 m0 on 2");
        assert_string_equal(c.lines[3], "backup.offsite 750712184 c0 h0 m1 on 1");

        /* Out of scope, nothing is acknowledged. */
        fl.region = "Bretagne";
        assert_int_equal(store_alert_acknowledge_many(f->s, &fl, ids, 2, NOW, &n, &e), 0);
        assert_int_equal(n, 0);
        fl.region = NULL;
        assert_int_equal(store_alert_acknowledge_many(f->s, &fl, ids, 2, NOW, &n, &e), 0);
        assert_int_equal(n, 2);
        fl.check = "patch.security_pending";
        fl.finess = "750712184";
        assert_int_equal(store_alert_acknowledge_many(f->s, &fl, NULL, 0, NOW, &n, &e), 0);
        assert_int_equal(n, 1);
        fl = (struct store_filter){ .status = "open", .limit = 100 };
        assert_int_equal(store_alert_counts_of(f->s, &fl, counts, &e), 0);
        assert_int_equal(counts[SEV_CRITICAL] + counts[SEV_HIGH] + counts[SEV_MEDIUM], 3);
}

static void test_views_machine_score_merges_its_reports(void **state)
{
        struct fixture *f = *state;
        const struct store_rules *r = baseline_rules(NULL, "");
        struct store_finding first[] = {
                { "patch.security_pending", "", "3 pending", STATUS_FAIL, SEV_HIGH, NULL, NULL,
                  NULL },
                { "os.supported", "", "supported", STATUS_PASS, SEV_HIGH, NULL, NULL, NULL },
                { "equipment.ram", "", "4 GiB", STATUS_FAIL, SEV_LOW, NULL, NULL, NULL },
                { "password.common", "alice", "common", STATUS_FAIL, SEV_CRITICAL, NULL, NULL,
                  NULL },
                { "password.common", "bob", "fine", STATUS_PASS, SEV_CRITICAL, NULL, NULL, NULL },
                { "backup.offsite", "docs", "same disk", STATUS_WARN, SEV_MEDIUM, NULL, NULL,
                  NULL },
        };
        struct store_finding patched[] = {
                { "patch.security_pending", "", "none", STATUS_PASS, SEV_HIGH, NULL, NULL, NULL },
        };
        struct view_scope sc = { 0 };
        struct error e;
        json_t *m, *est;

        agent_in(f, A1, "750712184");
        report_from(f, A1, 1, first, 6, NOW);
        assert_int_equal(view_machine(f->s, A1, &sc, NOW, &m, &e), 0);
        /* The weighted share passed: of 15 (high) + 15 (high) + 2 (low)
         * + 40 (critical, one account failing is enough) + 6 (medium), the
         * supported OS earns 15 and the medium warning half its 6: 18 / 78 */
        assert_int_equal(int_of(m, "hygiene_score"), 23);
        assert_int_equal(int_of(m, "equipment"), EQUIP_RAM);
        assert_int_equal(int_of(m, "os_supported"), 1);
        json_decref(m);

        /* A report of one family changes that family only. */
        report_from(f, A1, 2, patched, 1, NOW);
        /* An older report changes nothing. */
        report_from(f, A1, 0, patched, 0, NOW);
        assert_int_equal(view_machine(f->s, A1, &sc, NOW, &m, &e), 0);
        assert_int_equal(int_of(m, "hygiene_score"), 42); /* 33 / 78 */
        assert_non_null(
            strstr(json_string_value(json_object_get(m, "checks")), "patch.security_pending=p3;"));
        json_decref(m);

        /* The establishment's score: its machines' average for 80 %, the
         * plan (no check of it open: no sweep ran) for 20 %. */
        agent_in(f, A2, "750712184");
        report_from(f, A2, 1, patched, 1, NOW);
        assert_int_equal(view_establishments(f->s, r, &sc, NOW, &est, &e), 0);
        m = find_by(json_object_get(est, "establishments"), "finess", "750712184");
        assert_int_equal(int_of(m, "score_machines"), 71); /* (42 + 100) / 2 */
        assert_int_equal(int_of(m, "score_plan"), 100);
        assert_int_equal(int_of(m, "hygiene_score"), 77); /* 0.8 * 71 + 0.2 * 100 */
        assert_int_equal(int_of(m, "machines"), 2);
        assert_true(json_is_null(json_object_get(m, "trend")));
        json_decref(est);

        /* Out of scope, a machine is not found. */
        sc.region = "Bretagne";
        assert_int_equal(view_machine(f->s, A1, &sc, NOW, &m, &e), -ENOENT);
}

/* The machine list: silent machines first, then the lowest score. */
static void test_views_machine_list_puts_silent_ones_first(void **state)
{
        struct fixture *f = *state;
        struct store_finding bad[] = { { "antivirus.present", "", "none", STATUS_FAIL, SEV_HIGH,
                                         NULL, NULL, NULL } };
        struct store_finding good[] = { { "antivirus.present", "", "ok", STATUS_PASS, SEV_HIGH,
                                          NULL, NULL, NULL } };
        struct view_scope sc = { 0 };
        struct error e;
        json_t *v, *list;

        agent_in(f, A1, "750712184");
        agent_in(f, A2, "750712184");
        agent_in(f, "a3000000-0000-4000-8000-000000000003", "750712184");
        report_from(f, A2, 1, good, 1, NOW);
        report_from(f, "a3000000-0000-4000-8000-000000000003", 1, bad, 1, NOW);
        assert_int_equal(view_machines(f->s, &sc, NOW, 50, 0, &v, &e), 0);
        list = json_object_get(v, "machines");
        assert_int_equal(int_of(v, "total"), 3);
        assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "id")), A1);
        assert_true(json_is_true(json_object_get(json_array_get(list, 0), "silent")));
        assert_int_equal(int_of(json_array_get(list, 1), "hygiene_score"), 0);
        assert_int_equal(int_of(json_array_get(list, 1), "open_alerts"), 1);
        assert_int_equal(int_of(json_array_get(list, 2), "hygiene_score"), 100);
        json_decref(v);
        /* A page past the end still counts them. */
        assert_int_equal(view_machines(f->s, &sc, NOW, 50, 10, &v, &e), 0);
        assert_int_equal(json_array_size(json_object_get(v, "machines")), 0);
        assert_int_equal(int_of(v, "total"), 3);
        json_decref(v);
        sc.region = "Bretagne";
        assert_int_equal(view_machines(f->s, &sc, NOW, 50, 0, &v, &e), 0);
        assert_int_equal(int_of(v, "total"), 0);
        json_decref(v);
}

/* The fleet per check, and the machines behind a count. */
static void test_views_fleet_per_check(void **state)
{
        struct fixture *f = *state;
        struct store_finding one[] = {
                { "password.empty", "alice", "a", STATUS_FAIL, SEV_CRITICAL, NULL, NULL, NULL },
                { "password.empty", "bob", "b", STATUS_PASS, SEV_CRITICAL, NULL, NULL, NULL },
                { "antivirus.present", "", "ok", STATUS_PASS, SEV_HIGH, NULL, NULL, NULL },
                { "disk.encryption", "", "n/a", STATUS_SKIP, SEV_MEDIUM, NULL, NULL, NULL },
        };
        struct store_finding two[] = {
                { "antivirus.present", "", "none", STATUS_FAIL, SEV_HIGH, NULL, NULL, NULL },
                { "patch_x.y_z", "", "w", STATUS_WARN, SEV_LOW, NULL, NULL, NULL },
        };
        struct view_scope sc = { 0 };
        struct error e;
        json_t *v, *o;

        agent_in(f, A1, "750712184");
        agent_in(f, A2, "750712184");
        report_from(f, A1, 1, one, 4, NOW);
        report_from(f, A2, 1, two, 2, NOW);
        assert_int_equal(view_checks(f->s, &sc, &v, &e), 0);
        assert_int_equal(int_of(v, "machines"), 2);
        o = json_array_get(json_object_get(v, "checks"), 0); /* ties: by id */
        assert_string_equal(json_string_value(json_object_get(o, "check")), "antivirus.present");
        assert_int_equal(int_of(o, "fail"), 1);
        assert_int_equal(int_of(o, "pass"), 1);
        assert_int_equal(int_of(o, "machines"), 2);
        o = find_by(json_object_get(v, "checks"), "check", "disk.encryption");
        assert_int_equal(int_of(o, "skip"), 1);
        json_decref(v);

        assert_int_equal(view_check_machines(f->s, &sc, "antivirus.present", "fail", 50, 0, &v, &e),
                         0);
        assert_int_equal(int_of(v, "total"), 1);
        o = json_array_get(json_object_get(v, "machines"), 0);
        assert_string_equal(json_string_value(json_object_get(o, "id")), A2);
        json_decref(v);
        /* '_' in an id is not a wildcard: patch_x.y_z matches itself only. */
        assert_int_equal(view_check_machines(f->s, &sc, "patch_x.y_z", "warn", 50, 0, &v, &e), 0);
        assert_int_equal(int_of(v, "total"), 1);
        json_decref(v);
        assert_int_equal(view_check_machines(f->s, &sc, "patchXx.yXz", "warn", 50, 0, &v, &e), 0);
        assert_int_equal(int_of(v, "total"), 0);
        json_decref(v);
        sc.region = "Bretagne";
        assert_int_equal(view_checks(f->s, &sc, &v, &e), 0);
        assert_int_equal(json_array_size(json_object_get(v, "checks")), 0);
        json_decref(v);
}

static void test_views_weekly_trend_from_kept_scores(void **state)
{
        struct fixture *f = *state;
        const struct store_rules *r = baseline_rules(NULL, "");
        struct store_finding bad[] = {
                { "antivirus.present", "", "none", STATUS_FAIL, SEV_HIGH, NULL, NULL, NULL },
        };
        struct store_finding good[] = {
                { "antivirus.present", "", "clamav", STATUS_PASS, SEV_HIGH, NULL, NULL, NULL },
        };
        struct view_scope sc = { .finess = "750712184" };
        struct error e;
        json_t *v, *o;

        agent_in(f, A1, "750712184");
        report_from(f, A1, 1, bad, 1, NOW - 10 * DAYS);
        assert_int_equal(sweep_at(f->s, r, NOW - 10 * DAYS, true, &e), 0);
        report_from(f, A1, 2, good, 1, NOW);
        assert_int_equal(sweep_at(f->s, r, NOW, true, &e), 0);
        assert_int_equal(view_establishment(f->s, r, &sc, NOW, &v, &e), 0);
        /* No exercise and no awareness action: the plan's share is 0. Ten
         * days before, the machine's was 0 too. */
        assert_int_equal(int_of(v, "hygiene_score"), 80);
        assert_int_equal(int_of(v, "score_plan"), 0);
        assert_int_equal(int_of(v, "trend"), 80 - 0);
        assert_int_equal(json_array_size(json_object_get(v, "history")), 2);
        o = json_array_get(json_object_get(v, "weekly"), 11);
        assert_int_equal(int_of(o, "score"), 80);
        json_decref(v);
}

static void test_views_plan_checks_open_and_resolve(void **state)
{
        struct fixture *f = *state;
        const struct store_rules *r = baseline_rules(NULL, "");
        struct store_finding backup[] = {
                { "backup.recent", "dossiers", "12 h old", STATUS_PASS, SEV_HIGH, NULL, NULL,
                  NULL },
        };
        json_t *ex = json_pack("{s:s, s:s, s:s, s:i, s:s}", "kind", "exercise", "date",
                               "2026-06-02", "scenario", "ransomware on the care records",
                               "participants", 9, "lessons", "print the on-call list");
        json_t *restore_failed = json_pack("{s:s, s:s, s:s, s:s}", "kind", "restore_test", "date",
                                           "2026-09-01", "job", "dossiers", "result", "failure");
        json_t *restore_ok = json_pack("{s:s, s:s, s:s, s:s}", "kind", "restore_test", "date",
                                       "2026-09-10", "job", "dossiers", "result", "success");
        json_t *bad[] = {
                json_pack("{s:s, s:s}", "kind", "party", "date", "2026-06-02"),
                json_pack("{s:s, s:s, s:s, s:i}", "kind", "awareness", "date", "2027-01-01",
                          "audience", "all", "reached", 3),
                json_pack("{s:s, s:s, s:s, s:i, s:s}", "kind", "awareness", "date", "2026-01-01",
                          "audience", "all", "reached", 3, "owner", "x"),
                json_pack("{s:s, s:s, s:s, s:i}", "kind", "awareness", "date", "2026-01-01",
                          "audience", "", "reached", 3),
                json_pack("{s:s, s:s, s:s, s:s}", "kind", "restore_test", "date", "2026-01-01",
                          "job", "dossiers", "result", "maybe"),
                json_pack("{s:s, s:s, s:s, s:s}", "kind", "restore_test", "date", "2026-01-01",
                          "job", "dosiers", "result", "success"),
        };
        struct collected c;
        struct error e;
        json_t *out;

        agent_in(f, A1, "750712184");
        report_from(f, A1, 1, backup, 1, NOW);
        assert_int_equal(sweep_at(f->s, r, NOW, false, &e), 0);
        c = alerts(f, "open");
        assert_int_equal(c.n, 3);
        assert_string_equal(c.lines[0], "establishment.crisis_exercise - high open -");
        assert_string_equal(c.lines[1], "backup.restore_tested dossiers high open -");
        assert_string_equal(c.lines[2], "establishment.awareness - medium open -");

        assert_int_equal(record_add(f->s, r, "750712184", ex, "direction", NOW, &out, &e), 0);
        assert_int_equal(int_of(out, "people"), 9);
        assert_string_equal(json_string_value(json_object_get(out, "date")), "2026-06-02");
        json_decref(out);
        assert_int_equal(
            record_add(f->s, r, "750712184", restore_failed, "direction", NOW, &out, &e), 0);
        json_decref(out);
        c = alerts(f, "open");
        assert_int_equal(c.n, 2); /* a failed restore proves nothing */
        assert_int_equal(record_add(f->s, r, "750712184", restore_ok, "direction", NOW, &out, &e),
                         0);
        json_decref(out);
        c = alerts(f, "open");
        assert_int_equal(c.n, 1);
        assert_string_equal(c.lines[0], "establishment.awareness - medium open -");
        {
                struct view_scope sc = { .finess = "750712184" };
                json_t *page;

                if (view_establishment(f->s, r, &sc, NOW, &page, &e) < 0)
                        fail_msg("%s", e.msg);
                assert_int_equal(json_array_size(json_object_get(page, "records")), 3);
                out = json_array_get(json_object_get(page, "backup_jobs"), 0);
                assert_string_equal(json_string_value(json_object_get(out, "last_restore_test")),
                                    "2026-09-10");
                json_decref(page);
        }

        /* Twelve months later the exercise is due again. */
        assert_int_equal(sweep_at(f->s, r, NOW + 366 * DAYS, false, &e), 0);
        c = alerts(f, "open");
        assert_int_equal(c.n, 2);

        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                assert_int_equal(
                    record_add(f->s, r, "750712184", bad[i], "direction", NOW, &out, &e), -EINVAL);
                json_decref(bad[i]);
        }
        /* The last, a typo of the job's name, names the jobs there are. */
        assert_string_equal(e.msg, "\"job\" must be one of the backup jobs the machines report: "
                                   "\"dossiers\"");
        json_decref(ex);
        json_decref(restore_failed);
        json_decref(restore_ok);
}

/* Times past 2038-01-19 fit (a 32-bit cast in shared SQL would fail on
 * PostgreSQL). */
static void test_views_sweep_past_2038(void **state)
{
        struct fixture *f = *state;
        const struct store_rules *r = baseline_rules(NULL, "");
        const long long later = 2200000000LL; /* 2039-09-18 */
        struct store_finding backup[] = {
                { "backup.recent", "dossiers", "12 h old", STATUS_PASS, SEV_HIGH, NULL, NULL,
                  NULL },
        };
        struct collected c;
        struct error e;

        agent_in(f, A1, "750712184");
        report_from(f, A1, 1, backup, 1, later);
        if (sweep_at(f->s, r, later, true, &e) < 0)
                fail_msg("%s", e.msg);
        c = alerts(f, "open");
        assert_int_equal(c.n, 3);
        assert_string_equal(c.lines[0], "establishment.crisis_exercise - high open -");
}

static void test_views_equipment_ranking(void **state)
{
        struct fixture *f = *state;
        const struct store_rules *r = baseline_rules(NULL, "");
        struct store_finding old[] = {
                { "equipment.win11_ready", "", "no", STATUS_FAIL, SEV_LOW, NULL, NULL, NULL },
                { "equipment.ram", "", "4 GiB", STATUS_FAIL, SEV_LOW, NULL, NULL, NULL },
        };
        struct store_finding ram[] = { { "equipment.ram", "", "4 GiB", STATUS_FAIL, SEV_LOW, NULL,
                                         NULL, NULL } };
        struct store_finding both[] = {
                { "equipment.ram", "", "4 GiB", STATUS_FAIL, SEV_LOW, NULL, NULL, NULL },
                { "equipment.storage", "", "hdd", STATUS_FAIL, SEV_LOW, NULL, NULL, NULL },
        };
        struct store_finding fine[] = {
                { "equipment.win11_ready", "", "yes", STATUS_PASS, SEV_LOW, NULL, NULL, NULL },
        };
        struct view_scope all = { 0 };
        struct error e;
        json_t *v, *list, *o;
        char *csv;
        size_t len;
        static const char *const cols[] = { "need_rank", "finess", "name", NULL };

        est_add(f, "750000010", "Île-de-France", "75");
        est_add(f, "290000025", "Bretagne", "29");
        est_add(f, "750000028", "Île-de-France", "75"); /* no machine: no data */
        agent_in(f, "b1000000-0000-4000-8000-000000000001", "750712184");
        agent_in(f, "b2000000-0000-4000-8000-000000000002", "750712184");
        agent_in(f, "c1000000-0000-4000-8000-000000000001", "750000010");
        agent_in(f, "c2000000-0000-4000-8000-000000000002", "750000010");
        agent_in(f, "c3000000-0000-4000-8000-000000000003", "750000010");
        agent_in(f, "d1000000-0000-4000-8000-000000000001", "290000025");
        report_from(f, "b1000000-0000-4000-8000-000000000001", 1, old, 2, NOW);
        report_from(f, "b2000000-0000-4000-8000-000000000002", 1, fine, 1, NOW);
        report_from(f, "c1000000-0000-4000-8000-000000000001", 1, ram, 1, NOW);
        report_from(f, "c2000000-0000-4000-8000-000000000002", 1, both, 2, NOW);
        report_from(f, "c3000000-0000-4000-8000-000000000003", 1, fine, 1, NOW);
        report_from(f, "d1000000-0000-4000-8000-000000000001", 1, fine, 1, NOW);

        assert_int_equal(view_equipment(f->s, r, &all, NOW, &v, &e), 0);
        list = json_object_get(v, "establishments");
        assert_int_equal(json_array_size(list), 4);
        /* No machine has reported: no need known, ranked after the others,
         * never a need of 0. */
        o = json_array_get(list, 3);
        assert_string_equal(json_string_value(json_object_get(o, "finess")), "750000028");
        assert_true(json_is_null(json_object_get(o, "need")));
        assert_true(json_is_null(json_object_get(o, "need_rank")));
        json_array_remove(list, 3);
        o = json_object_get(v, "total");
        assert_int_equal(int_of(o, "machines"), 6);
        assert_int_equal(int_of(o, "without_data"), 1);
        assert_int_equal(int_of(o, "estimated_cost_eur"), 750 + 60 + 60 + 70);
        /* 750712184: 1 of 2 to replace, machines (0 + 100) / 2, score
         *   0.8 * 50 + 0.2 * 100 = 60: need 70 * 0.5 + 30 * 0.4 = 47
         * 750000010: 2 of 3 to upgrade, machines (0 + 0 + 100) / 3, score
         *   0.8 * 33.3 + 20 = 47: need 70 * 2/3 + 30 * 0.53 = 62.6
         * 290000025: nothing flagged, score 100: need 0 */
        o = json_array_get(list, 0);
        assert_string_equal(json_string_value(json_object_get(o, "finess")), "750000010");
        assert_int_equal(int_of(o, "need_rank"), 1);
        assert_int_equal(int_of(o, "to_upgrade"), 2);
        assert_int_equal(int_of(o, "to_replace"), 0);
        assert_int_equal(int_of(o, "estimated_cost_eur"), 60 + 60 + 70);
        assert_int_equal(int_of(o, "hygiene_score"), 47);
        o = json_array_get(list, 1);
        assert_string_equal(json_string_value(json_object_get(o, "finess")), "750712184");
        assert_int_equal(int_of(o, "to_replace"), 1);
        assert_int_equal(int_of(o, "to_upgrade"), 0); /* replaced, not upgraded */
        assert_int_equal(int_of(o, "estimated_cost_eur"), 750);
        o = json_array_get(list, 2);
        assert_string_equal(json_string_value(json_object_get(o, "finess")), "290000025");
        assert_int_equal(int_of(o, "need_rank"), 3);
        assert_int_equal(view_csv(list, cols, NULL, &csv, &len), 0);
        assert_string_equal(csv, "\xef\xbb\xbfneed_rank,finess,name\r\n"
                                 "1,750000010,Etablissement 750000010\r\n"
                                 "2,750712184,EHPAD Les Tilleuls\r\n"
                                 "3,290000025,Etablissement 290000025\r\n");
        free(csv);
        {
                /* For a French spreadsheet: ';', a decimal comma, a last row. */
                static const char *const fr_cols[] = { "name", "need", NULL };
                static const char *const headers[] = { "\xc3\x89tablissement", "Besoin" };
                json_t *last = json_pack("{s:s, s:f}", "name", "Total; tous", "need", 2.5);
                struct csv_format fmt = { ';', ',', headers, last };

                assert_int_equal(view_csv(list, fr_cols, &fmt, &csv, &len), 0);
                assert_string_equal(csv, "\xef\xbb\xbf\xc3\x89tablissement;Besoin\r\n"
                                         "Etablissement 750000010;62,6\r\n"
                                         "EHPAD Les Tilleuls;47\r\n"
                                         "Etablissement 290000025;0\r\n"
                                         "\"Total; tous\";2,5\r\n");
                json_decref(last);
        }
        free(csv);
        json_decref(v);

        /* A region sees its own ranking. */
        all.region = "Bretagne";
        assert_int_equal(view_equipment(f->s, r, &all, NOW, &v, &e), 0);
        assert_int_equal(json_array_size(json_object_get(v, "establishments")), 1);
        json_decref(v);
}

static void test_views_opendata_suppresses_small_cells(void **state)
{
        struct fixture *f = *state;
        const struct store_rules *r = baseline_rules(NULL, "");
        static const char *const paris[] = { "750000010", "750000028", "750000036", "750000044",
                                             "750000051" };
        struct store_finding fine[] = { { "os.supported", "", "yes", STATUS_PASS, SEV_HIGH, NULL,
                                          NULL, NULL } };
        json_t *v, *deps, *o, *ex;
        struct error e;
        char agent[40];

        for (size_t i = 0; i < 5; i++) {
                est_add(f, paris[i], "Île-de-France", "75");
                snprintf(agent, sizeof(agent), "e%07zu-0000-4000-8000-000000000001", i);
                agent_in(f, agent, paris[i]);
                report_from(f, agent, 1, fine, 1, NOW);
        }
        est_add(f, "290000025", "Bretagne", "29");
        ex = json_pack("{s:s, s:s, s:s, s:i}", "kind", "exercise", "date", "2026-05-01", "scenario",
                       "outage", "participants", 4);
        assert_int_equal(record_add(f->s, r, "750000010", ex, "x", NOW, &o, &e), 0);
        json_decref(o);
        json_decref(ex);

        assert_int_equal(view_opendata(f->s, r, NOW, &v, &e), 0);
        deps = json_object_get(v, "departments");
        o = find_by(deps, "department", "75");
        assert_int_equal(int_of(o, "establishments"), 6); /* with 750712184 */
        assert_int_equal(int_of(o, "machines"), 5);
        assert_true(json_real_value(json_object_get(o, "supported_os_share")) == 1.0);
        assert_true(json_real_value(json_object_get(o, "exercise_share")) == 0.167);
        /* Recording the exercise swept the plan checks: one establishment
         * lacks an awareness action (80 + 0.2 * 15 / 21 * 100 = 94), four
         * lack both (80). */
        assert_true(json_real_value(json_object_get(o, "median_score")) == 80.0);
        o = find_by(deps, "department", "29");
        assert_true(json_is_null(json_object_get(o, "establishments")));
        assert_true(json_is_null(json_object_get(o, "exercise_share")));
        json_decref(v);

        assert_int_equal(view_progress(f->s, r, NULL, NOW, &v, &e), 0);
        o = json_object_get(v, "national");
        assert_int_equal(int_of(o, "establishments"), 7);
        assert_int_equal(int_of(o, "with_exercise"), 1);
        json_decref(v);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_store_duplicate_establishment_is_refused,
                                                setup, teardown),
                cmocka_unit_test_setup_teardown(
                    test_store_queued_failure_is_reported_and_rolled_back, setup, teardown),
                cmocka_unit_test_setup_teardown(test_store_duty_keeps_the_last_run, setup,
                                                teardown),
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
                cmocka_unit_test_setup_teardown(test_store_batch_applies_in_order, setup, teardown),
                cmocka_unit_test_setup_teardown(test_store_seq_cannot_run_far_ahead, setup,
                                                teardown),
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
                cmocka_unit_test(test_store_score_is_the_weighted_share),
                cmocka_unit_test_setup_teardown(test_store_alerts_at_scale, setup, teardown),
                cmocka_unit_test_setup_teardown(test_views_machine_score_merges_its_reports, setup,
                                                teardown),
                cmocka_unit_test_setup_teardown(test_views_machine_list_puts_silent_ones_first,
                                                setup, teardown),
                cmocka_unit_test_setup_teardown(test_views_fleet_per_check, setup, teardown),
                cmocka_unit_test_setup_teardown(test_views_weekly_trend_from_kept_scores, setup,
                                                teardown),
                cmocka_unit_test_setup_teardown(test_views_plan_checks_open_and_resolve, setup,
                                                teardown),
                cmocka_unit_test_setup_teardown(test_views_sweep_past_2038, setup, teardown),
                cmocka_unit_test_setup_teardown(test_views_equipment_ranking, setup, teardown),
                cmocka_unit_test_setup_teardown(test_views_opendata_suppresses_small_cells, setup,
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
