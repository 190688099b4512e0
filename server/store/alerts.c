/* alerts.c - alerts: the ones agents have gone silent for, the plan's
 * checks at establishment level, acknowledging, and reading them. (What a
 * report opens and resolves is planned in store.c, written in reports.c.) */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "rows.h"

static int count_row(void *user, int ncols, const char *const *values)
{
        long *counts = user;
        int sev = ncols == 2 && values[0] ? severity_from_name(values[0]) : -1;

        if (sev >= 0)
                counts[sev] = (long)store_num(values[1]);
        return 0;
}

/* The counts of alert_groups' columns, from critical to info. */
static int kept_counts_row(void *user, int ncols, const char *const *v)
{
        long *counts = user;

        if (ncols != SEV_COUNT)
                return -EIO;
        for (int i = 0; i < SEV_COUNT; i++)
                counts[SEV_CRITICAL - i] = (long)store_num(v[i]);
        return 0;
}

int store_alert_counts(struct store *s, long *counts, struct error *e)
{
        static const char sql[] = "SELECT sum(critical), sum(high), sum(medium), sum(low),"
                                  " sum(info) FROM alert_groups";

        memset(counts, 0, SEV_COUNT * sizeof(*counts));
        return store_rows(s, sql, 0, NULL, kept_counts_row, counts, e);
}

struct alert_list {
        store_alert_fn *fn;
        void *user;
};

static int alert_row(void *user, int ncols, const char *const *v)
{
        struct alert_list *l = user;
        struct alert a;

        if (ncols != 13)
                return -EIO;
        memset(&a, 0, sizeof(a));
        a.id = store_num(v[0]);
        store_copy(a.agent_id, sizeof(a.agent_id), v[1]);
        store_copy(a.hostname, sizeof(a.hostname), v[2]);
        store_copy(a.finess, sizeof(a.finess), v[3]);
        store_copy(a.check, sizeof(a.check), v[4]);
        store_copy(a.subject, sizeof(a.subject), v[5]);
        store_copy(a.severity, sizeof(a.severity), v[6]);
        store_copy(a.status, sizeof(a.status), v[7]);
        store_copy(a.summary, sizeof(a.summary), v[8]);
        a.opened_at = store_num(v[9]);
        a.acknowledged_at = store_num(v[10]);
        a.resolved_at = store_num(v[11]);
        store_copy(a.summary_fr, sizeof(a.summary_fr), v[12]);
        return l->fn(l->user, &a);
}

/* An alert filter as parameters: $1-$6 as store_filter_params, $7 opened
 * before (NULL: any time), $8 the severity; then $9 and $10, the limit and
 * the offset of a list. */
struct alert_params {
        const char *v[10];
        char before[24], limit[24], offset[24];
};

static const char *const *alert_params(struct alert_params *ap, const struct store_filter *f)
{
        struct filter_params fp;

        memcpy(ap->v, store_filter_params(&fp, f), 6 * sizeof(ap->v[0]));
        snprintf(ap->before, sizeof(ap->before), "%lld", f->opened_before);
        ap->v[6] = f->opened_before > 0 ? ap->before : NULL;
        ap->v[7] = store_or_null(f->severity);
        snprintf(ap->limit, sizeof(ap->limit), "%ld", f->limit > 0 ? f->limit : 1000);
        snprintf(ap->offset, sizeof(ap->offset), "%ld", f->offset > 0 ? f->offset : 0);
        ap->v[8] = ap->limit;
        ap->v[9] = ap->offset;
        return ap->v;
}

/* The alerts a filter lets through, in one of six forms, so that SQLite
 * reads them along an index (it cannot when a column's test is "$n IS NULL
 * OR ..."): by region or département (the establishments there, one by
 * one), by one establishment, or over them all; each with a status or any. */
// clang-format off
#define ALERTS_REST                                                                                \
        " AND (CAST($4 AS TEXT) IS NULL OR al.check_id = $4)"                                      \
        " AND (CAST($6 AS TEXT) IS NULL OR al.agent_id = $6)"                                      \
        " AND (CAST($7 AS BIGINT) IS NULL OR al.opened_at < CAST($7 AS BIGINT))"
#define STATUS_IS  " AND al.status = CAST($5 AS TEXT)"
#define STATUS_ANY " AND CAST($5 AS TEXT) IS NULL"
#define FROM_PLACES(ST)                                                                            \
        " FROM alerts al WHERE al.finess IN (SELECT e.finess FROM establishments e WHERE" SCOPE    \
        ")" ST ALERTS_REST
#define FROM_ONE(ST)                                                                               \
        " FROM alerts al WHERE al.finess = $1 AND CAST($2 AS TEXT) IS NULL"                        \
        " AND CAST($3 AS TEXT) IS NULL" ST ALERTS_REST
#define FROM_ALL(ST)                                                                               \
        " FROM alerts al WHERE CAST($1 AS TEXT) IS NULL AND CAST($2 AS TEXT) IS NULL"              \
        " AND CAST($3 AS TEXT) IS NULL" ST ALERTS_REST
#define ALERTS_OF_SEVERITY " AND (CAST($8 AS TEXT) IS NULL OR al.severity = $8)"
/* A statement in its six forms, in the order form_of() numbers them. */
#define FORMS(S)                                                                                   \
        { S(FROM_PLACES(STATUS_IS)), S(FROM_PLACES(STATUS_ANY)), S(FROM_ONE(STATUS_IS)),           \
          S(FROM_ONE(STATUS_ANY)), S(FROM_ALL(STATUS_IS)), S(FROM_ALL(STATUS_ANY)) }

/* The page's ids: the oldest of each severity in turn, each read along
 * the (status, severity, opened_at) index, as many as the page needs;
 * then the page's rows, and only those. */
#define BRANCH(R, SEV, FROM)                                                                       \
        "SELECT * FROM (SELECT " #R " AS r, al.id, al.opened_at" FROM                              \
        " AND al.severity = '" SEV "' AND (CAST($8 AS TEXT) IS NULL OR CAST($8 AS TEXT) = '" SEV  \
        "') ORDER BY al.opened_at, al.id LIMIT CAST($9 AS BIGINT) + CAST($10 AS BIGINT)) b" #R
#define PAGE(FROM)                                                                                 \
        "SELECT al.id, coalesce(al.agent_id, ''), coalesce(ag.hostname, ''), al.finess,"           \
        " al.check_id, al.subject, al.severity, al.status, al.summary, al.opened_at,"              \
        " coalesce(al.acknowledged_at, 0), coalesce(al.resolved_at, 0),"                           \
        " coalesce(al.summary_fr, '') FROM (SELECT * FROM ("                                       \
        BRANCH(0, "critical", FROM) " UNION ALL " BRANCH(1, "high", FROM) " UNION ALL "            \
        BRANCH(2, "medium", FROM) " UNION ALL " BRANCH(3, "low", FROM) " UNION ALL "               \
        BRANCH(4, "info", FROM) ") branches ORDER BY r, opened_at, id"                             \
        " LIMIT CAST($9 AS BIGINT) OFFSET CAST($10 AS BIGINT)) page"                               \
        " JOIN alerts al ON al.id = page.id LEFT JOIN agents ag ON ag.id = al.agent_id"            \
        " ORDER BY page.r, page.opened_at, page.id"
#define COUNTS(FROM) "SELECT al.severity, count(*)" FROM " GROUP BY al.severity"
#define GROUPS(FROM)                                                                               \
        "SELECT g.check_id, g.finess, e.name, g.c, g.h, g.m, g.l, g.i, g.machines, g.oldest,"      \
        " count(*) OVER () FROM (SELECT al.check_id, al.finess,"                                   \
        "   sum(CASE WHEN al.severity = 'critical' THEN 1 ELSE 0 END) AS c,"                       \
        "   sum(CASE WHEN al.severity = 'high' THEN 1 ELSE 0 END) AS h,"                           \
        "   sum(CASE WHEN al.severity = 'medium' THEN 1 ELSE 0 END) AS m,"                         \
        "   sum(CASE WHEN al.severity = 'low' THEN 1 ELSE 0 END) AS l,"                            \
        "   sum(CASE WHEN al.severity IN ('critical', 'high', 'medium', 'low') THEN 0"             \
        "     ELSE 1 END) AS i,"                                                                   \
        "   count(DISTINCT al.agent_id) AS machines, min(al.opened_at) AS oldest,"                 \
        "   min(" STORE_SEVERITY_RANK ") AS worst, count(*) AS n" FROM ALERTS_OF_SEVERITY                \
        "   GROUP BY al.check_id, al.finess) g JOIN establishments e ON e.finess = g.finess"       \
        " ORDER BY g.worst, g.n DESC, g.check_id, g.finess"                                        \
        " LIMIT CAST($9 AS BIGINT) OFFSET CAST($10 AS BIGINT)"
/* The groups and counts as alert_groups keeps them (migration 14), for a
 * filter on no agent, age or severity: one row per group to read. $6-$8
 * are there only to be typed, and NULL. */
#define KEPT                                                                                       \
        " FROM alert_groups g JOIN establishments e ON e.finess = g.finess WHERE" SCOPE             \
        " AND g.status = CAST($5 AS TEXT) AND (CAST($4 AS TEXT) IS NULL OR g.check_id = $4)"       \
        " AND CAST($6 AS TEXT) IS NULL AND CAST($7 AS BIGINT) IS NULL"
#define KEPT_COUNT "g.critical + g.high + g.medium + g.low + g.info"
static const char groups_kept_sql[] =
        "SELECT g.check_id, g.finess, e.name, g.critical, g.high, g.medium, g.low, g.info,"
        " g.machines, g.oldest, count(*) OVER ()" KEPT " AND CAST($8 AS TEXT) IS NULL"
        " ORDER BY CASE WHEN g.critical > 0 THEN 0 WHEN g.high > 0 THEN 1"
        "   WHEN g.medium > 0 THEN 2 WHEN g.low > 0 THEN 3 ELSE 4 END,"
        " " KEPT_COUNT " DESC, g.check_id, g.finess"
        " LIMIT CAST($9 AS BIGINT) OFFSET CAST($10 AS BIGINT)";
static const char counts_kept_sql[] =
        "SELECT sum(g.critical), sum(g.high), sum(g.medium), sum(g.low), sum(g.info)" KEPT;
// clang-format on

/* Whether alert_groups holds the answer: it counts the alerts open and
 * those acknowledged, of every agent, age and severity. */
static bool kept(const struct store_filter *f, bool severity)
{
        return f->status &&
               (strcmp(f->status, "open") == 0 || strcmp(f->status, "acknowledged") == 0) &&
               !(f->agent_id && *f->agent_id) && f->opened_before <= 0 &&
               !(severity && f->severity && *f->severity);
}

static int form_of(const struct store_filter *f)
{
        int any = !(f->status && *f->status);

        if ((f->region && *f->region) || (f->department && *f->department))
                return 0 + any;
        return (f->finess && *f->finess ? 2 : 4) + any;
}

int store_alert_list(struct store *s, const struct store_filter *f, store_alert_fn *fn, void *user,
                     struct error *e)
{
        static const char *const sql[] = FORMS(PAGE);
        struct alert_params ap;
        struct alert_list l = { .fn = fn, .user = user };

        return store_rows(s, sql[form_of(f)], 10, alert_params(&ap, f), alert_row, &l, e);
}

int store_alert_counts_of(struct store *s, const struct store_filter *f, long counts[SEV_COUNT],
                          struct error *e)
{
        static const char *const sql[] = FORMS(COUNTS);
        struct alert_params ap;

        memset(counts, 0, SEV_COUNT * sizeof(*counts));
        if (kept(f, false))
                return store_rows(s, counts_kept_sql, 7, alert_params(&ap, f), kept_counts_row,
                                  counts, e);
        return store_rows(s, sql[form_of(f)], 7, alert_params(&ap, f), count_row, counts, e);
}

struct group_list {
        store_group_fn *fn;
        void *user;
        long *total;
};

static int group_row(void *user, int ncols, const char *const *v)
{
        struct group_list *l = user;
        struct alert_group g;

        if (ncols != 11)
                return -EIO;
        memset(&g, 0, sizeof(g));
        store_copy(g.check, sizeof(g.check), v[0]);
        store_copy(g.finess, sizeof(g.finess), v[1]);
        store_copy(g.name, sizeof(g.name), v[2]);
        for (int i = 0; i < SEV_COUNT; i++)
                g.counts[SEV_CRITICAL - i] = (long)store_num(v[3 + i]);
        g.machines = (long)store_num(v[8]);
        g.oldest = store_num(v[9]);
        *l->total = (long)store_num(v[10]);
        return l->fn(l->user, &g);
}

int store_alert_groups(struct store *s, const struct store_filter *f, store_group_fn *fn,
                       void *user, long *total, struct error *e)
{
        static const char *const sql[] = FORMS(GROUPS);
        struct alert_params ap;
        struct group_list l = { fn, user, total };

        *total = 0;
        return store_rows(s, kept(f, true) ? groups_kept_sql : sql[form_of(f)], 10,
                          alert_params(&ap, f), group_row, &l, e);
}

static int changed_row(void *user, int ncols, const char *const *v)
{
        (void)ncols;
        (void)v;
        ++*(long *)user;
        return 0;
}

int store_alert_acknowledge_many(struct store *s, const struct store_filter *f,
                                 const long long *ids, size_t nids, time_t now, long *n,
                                 struct error *e)
{
        /* $9 the time, $10 one alert's id or NULL for all. */
        static const char sql[] =
            "UPDATE alerts SET status = 'acknowledged', acknowledged_at = CAST($9 AS BIGINT)"
            " WHERE status = 'open' AND id IN (SELECT al.id" FROM_PLACES(STATUS_IS)
                ALERTS_OF_SEVERITY
            "   AND (CAST($10 AS BIGINT) IS NULL OR al.id = CAST($10 AS BIGINT)))"
            " RETURNING id";
        struct alert_params ap;
        const char *const *p = alert_params(&ap, f);
        const char *v[10];
        char when[24], id[24];
        int rc = 0;

        memcpy(v, p, sizeof(v));
        snprintf(when, sizeof(when), "%lld", (long long)now);
        v[8] = when;
        v[9] = NULL;
        *n = 0;
        if (nids == 0)
                return store_rows(s, sql, 10, v, changed_row, n, e);
        v[9] = id;
        for (size_t i = 0; i < nids && rc >= 0; i++) {
                snprintf(id, sizeof(id), "%lld", ids[i]);
                rc = store_rows(s, sql, 10, v, changed_row, n, e);
        }
        return rc;
}

struct alert_status {
        bool found;
        char text[16];
};

static int status_row(void *user, int ncols, const char *const *values)
{
        struct alert_status *st = user;

        st->found = true;
        snprintf(st->text, sizeof(st->text), "%s", ncols > 0 && values[0] ? values[0] : "");
        return 0;
}

int store_alert_acknowledge(struct store *s, long long id, const struct store_filter *f, time_t now,
                            struct error *e)
{
        static const char acknowledge_sql[] =
            "UPDATE alerts SET status = 'acknowledged', acknowledged_at = CAST($5 AS BIGINT)"
            " WHERE id = CAST($4 AS BIGINT) AND status = 'open'"
            " AND finess IN (SELECT e.finess FROM establishments e WHERE" SCOPE ")"
            " RETURNING status";
        static const char status_sql[] =
            "SELECT al.status FROM alerts al JOIN establishments e ON e.finess = al.finess"
            " WHERE" SCOPE " AND al.id = CAST($4 AS BIGINT)";
        char ids[24], when[24];
        const char *p[] = { store_or_null(f->finess), store_or_null(f->region),
                            store_or_null(f->department), ids, when };
        struct alert_status st = { 0 };
        int rc;

        snprintf(ids, sizeof(ids), "%lld", id);
        snprintf(when, sizeof(when), "%lld", (long long)now);
        if ((rc = store_rows(s, acknowledge_sql, 5, p, status_row, &st, e)) < 0)
                return rc;
        if (st.found)
                return 0;
        /* Not acknowledged: say why, within the same scope. */
        if ((rc = store_rows(s, status_sql, 4, p, status_row, &st, e)) < 0)
                return rc;
        if (!st.found) {
                error_set(e, "", 0, "no alert %lld", id);
                return -ENOENT;
        }
        error_set(e, "", 0, "alert %lld is %s", id, st.text);
        return -EALREADY;
}

int store_sweep_silent(struct store *s, time_t now, struct error *e)
{
        static const char sql[] =
            "INSERT INTO alerts (agent_id, finess, check_id, subject, severity, summary,"
            " status, opened_at, last_seen, last_seq)"
            " SELECT id, finess, 'agent.silent', '', 'high', 'no report for '"
            "   || ((CAST($1 AS BIGINT) - coalesce(last_seen, enrolled_at)) / 3600)"
            "   || ' h (expected every ' || (report_interval / 60) || ' min)', 'open',"
            "   CAST($1 AS BIGINT), CAST($1 AS BIGINT), last_seq"
            " FROM agents WHERE revoked_at IS NULL"
            "   AND coalesce(last_seen, enrolled_at) < CAST($1 AS BIGINT) - 3 * report_interval"
            " ON CONFLICT (agent_id, check_id, subject) WHERE status <> 'resolved' DO NOTHING";
        const struct sql_arg a[] = { sql_int(now) };
        long long rc = store_change(s, sql, 1, a, e);

        return (int)rc;
}

/* The plan's checks at establishment level. */

/* For establishments that have machines enrolled: one alert per establishment (and backup job)
 * while a record is missing, resolved once it is there. */

static const char open_plan_sql[] =
    "INSERT INTO alerts (agent_id, finess, check_id, subject, severity, summary, status,"
    " opened_at, last_seen, last_seq)"
    " SELECT NULL, e.finess, $3, '', $5, $6, 'open', CAST($1 AS BIGINT),"
    "   CAST($1 AS BIGINT), 0"
    " FROM establishments e"
    " WHERE EXISTS (SELECT 1 FROM agents a WHERE a.finess = e.finess AND a.revoked_at IS NULL)"
    "   AND NOT EXISTS (SELECT 1 FROM records r WHERE r.finess = e.finess AND r.kind = $4"
    "     AND r.day >= CAST($2 AS BIGINT))"
    " ON CONFLICT (finess, check_id, subject) WHERE agent_id IS NULL AND status <> 'resolved'"
    " DO NOTHING";

static const char resolve_plan_sql[] =
    "UPDATE alerts SET status = 'resolved', resolved_at = CAST($1 AS BIGINT)"
    " WHERE agent_id IS NULL AND check_id = $3 AND status <> 'resolved'"
    "   AND (EXISTS (SELECT 1 FROM records r WHERE r.finess = alerts.finess AND r.kind = $4"
    "       AND r.day >= CAST($2 AS BIGINT))"
    "     OR NOT EXISTS (SELECT 1 FROM agents a WHERE a.finess = alerts.finess"
    "       AND a.revoked_at IS NULL))";

/* $2 the day since which a successful test counts, $3 the oldest last_seen
 * of a job still in use, $4 the months. */
static const char open_restore_sql[] =
    "INSERT INTO alerts (agent_id, finess, check_id, subject, severity, summary, status,"
    " opened_at, last_seen, last_seq)"
    " SELECT NULL, j.finess, 'backup.restore_tested', j.job, 'high',"
    "   'no successful restore test of backup job ' || j.job || ' recorded in the past '"
    "   || $4 || ' months', 'open', CAST($1 AS BIGINT), CAST($1 AS BIGINT), 0"
    " FROM backup_jobs j WHERE j.last_seen >= CAST($3 AS BIGINT)"
    "   AND NOT EXISTS (SELECT 1 FROM records r WHERE r.finess = j.finess"
    "     AND r.kind = 'restore_test' AND r.title = j.job AND r.result = 'success'"
    "     AND r.day >= CAST($2 AS BIGINT))"
    " ON CONFLICT (finess, check_id, subject) WHERE agent_id IS NULL AND status <> 'resolved'"
    " DO NOTHING";

static const char resolve_restore_sql[] =
    "UPDATE alerts SET status = 'resolved', resolved_at = CAST($1 AS BIGINT)"
    " WHERE agent_id IS NULL AND check_id = 'backup.restore_tested' AND status <> 'resolved'"
    "   AND (EXISTS (SELECT 1 FROM records r WHERE r.finess = alerts.finess"
    "       AND r.kind = 'restore_test' AND r.title = alerts.subject AND r.result = 'success'"
    "       AND r.day >= CAST($2 AS BIGINT))"
    "     OR NOT EXISTS (SELECT 1 FROM backup_jobs j WHERE j.finess = alerts.finess"
    "       AND j.job = alerts.subject AND j.last_seen >= CAST($3 AS BIGINT)))";

static int plan_check(struct store *s, time_t now, const char *check, const char *severity,
                      const char *summary, const char *kind, int months, struct error *e)
{
        char t[24], since[24];
        const char *p[6] = { t, since, check, kind, severity, summary };
        int rc;

        snprintf(t, sizeof(t), "%lld", (long long)now);
        snprintf(since, sizeof(since), "%ld", store_day(now) - store_months_days(months));
        if ((rc = store_rows(s, resolve_plan_sql, 4, p, NULL, NULL, e)) < 0)
                return rc;
        return store_rows(s, open_plan_sql, 6, p, NULL, NULL, e);
}

int store_plan_checks(struct store *s, const struct store_rules *r, time_t now, struct error *e)
{
        char t[24], since[24], months[16], seen[24];
        const char *p[4] = { t, since, seen, months };
        char ex[128], aw[128];
        int rc;

        snprintf(ex, sizeof(ex), "no cyber-crisis exercise recorded in the past %d months",
                 r->exercise_months);
        snprintf(aw, sizeof(aw), "no awareness action recorded in the past %d months",
                 r->awareness_months);
        if ((rc = plan_check(s, now, "establishment.crisis_exercise", "high", ex, "exercise",
                             r->exercise_months, e)) < 0 ||
            (rc = plan_check(s, now, "establishment.awareness", "medium", aw, "awareness",
                             r->awareness_months, e)) < 0)
                return rc;
        snprintf(t, sizeof(t), "%lld", (long long)now);
        snprintf(since, sizeof(since), "%ld",
                 store_day(now) - store_months_days(r->restore_test_months));
        snprintf(months, sizeof(months), "%d", r->restore_test_months);
        snprintf(seen, sizeof(seen), "%lld", (long long)(now - STORE_JOB_FORGOTTEN));
        if ((rc = store_rows(s, resolve_restore_sql, 3, p, NULL, NULL, e)) < 0)
                return rc;
        return store_rows(s, open_restore_sql, 4, p, NULL, NULL, e);
}
