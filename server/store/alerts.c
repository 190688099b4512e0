/* alerts.c - the alert operations written once, over the engines' rows():
 * the same SQL text on SQLite and PostgreSQL. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "store.h"

/* The establishments a filter lets through ($1 finess, $2 region, $3
 * department; NULL lets all through). */
#define SCOPE                                                                                      \
        " (CAST($1 AS TEXT) IS NULL OR e.finess = $1)"                                             \
        " AND (CAST($2 AS TEXT) IS NULL OR e.region = $2)"                                         \
        " AND (CAST($3 AS TEXT) IS NULL OR e.department = $3)"

static const char *or_null(const char *v)
{
        return v && *v ? v : NULL;
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
        const char *p[] = { or_null(f->finess), or_null(f->region), or_null(f->department), ids,
                            when };
        struct alert_status st = { 0 };
        int rc;

        snprintf(ids, sizeof(ids), "%lld", id);
        snprintf(when, sizeof(when), "%lld", (long long)now);
        if ((rc = s->ops->rows(s, acknowledge_sql, 5, p, status_row, &st, e)) < 0)
                return rc;
        if (st.found)
                return 0;
        /* Not acknowledged: say why, within the same scope. */
        if ((rc = s->ops->rows(s, status_sql, 4, p, status_row, &st, e)) < 0)
                return rc;
        if (!st.found) {
                error_set(e, "", 0, "no alert %lld", id);
                return -ENOENT;
        }
        error_set(e, "", 0, "alert %lld is %s", id, st.text);
        return -EALREADY;
}
