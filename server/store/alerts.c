/* alerts.c - the alert operations written once, over the engines' rows():
 * the same SQL text on SQLite and PostgreSQL. */
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

int store_alert_counts(struct store *s, long *counts, struct error *e)
{
        static const char sql[] = "SELECT severity, count(*) FROM alerts"
                                  " WHERE status <> 'resolved' GROUP BY severity";

        memset(counts, 0, SEV_COUNT * sizeof(*counts));
        return store_rows(s, sql, 0, NULL, count_row, counts, e);
}

struct alert_list {
        store_alert_fn *fn;
        void *user;
};

static int alert_row(void *user, int ncols, const char *const *v)
{
        struct alert_list *l = user;
        struct alert a;

        if (ncols != 12)
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
        return l->fn(l->user, &a);
}

int store_alert_list(struct store *s, const struct store_filter *f, store_alert_fn *fn, void *user,
                     struct error *e)
{
        static const char sql[] =
            "SELECT al.id, coalesce(al.agent_id, ''), coalesce(ag.hostname, ''), al.finess,"
            " al.check_id, al.subject, al.severity, al.status, al.summary, al.opened_at,"
            " coalesce(al.acknowledged_at, 0), coalesce(al.resolved_at, 0)"
            " FROM alerts al LEFT JOIN agents ag ON ag.id = al.agent_id"
            " JOIN establishments e ON e.finess = al.finess WHERE" SCOPE
            " AND (CAST($4 AS TEXT) IS NULL OR al.check_id = $4)"
            " AND (CAST($5 AS TEXT) IS NULL OR al.status = $5)"
            " AND (CAST($6 AS TEXT) IS NULL OR al.agent_id = $6)"
            " ORDER BY al.id DESC LIMIT CAST($7 AS BIGINT)";
        struct filter_params fp;
        struct alert_list l = { .fn = fn, .user = user };

        return store_rows(s, sql, 7, store_filter_params(&fp, f), alert_row, &l, e);
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
