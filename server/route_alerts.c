/* route_alerts.c - the alerts a user may see, and acknowledging one. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "l10n.h"
#include "route.h"

struct alert_rows {
        json_t *list;
        const struct msgcat *cat;
};

static int alert_row(void *user, const struct alert *a)
{
        struct alert_rows *rows = user;
        char buf[1024];
        const char *summary =
            l10n_summary(rows->cat, a->check, a->summary, a->summary_fr, buf, sizeof(buf));

        return json_array_append_new(
            rows->list, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o}",
                                  "id", (json_int_t)a->id, "agent_id", a->agent_id, "hostname",
                                  a->hostname, "finess", a->finess, "check", a->check, "subject",
                                  a->subject, "severity", a->severity, "status", a->status,
                                  "summary", summary, "opened_at", api_time_json(a->opened_at),
                                  "acknowledged_at", api_time_json(a->acknowledged_at),
                                  "resolved_at", api_time_json(a->resolved_at)));
}

static int query_alerts(struct store *s, struct query_job *q, struct error *e)
{
        struct alert_rows rows = { json_array(), q->cat };
        int rc = store_alert_list(s, &q->filter, alert_row, &rows, e);

        q->out = json_pack("{s:o}", "alerts", rows.list);
        return rc;
}

void route_alerts(struct server *s, struct conn *c, struct http_request *r, const struct route *rt)
{
        api_start_query(s, c, r, rt, query_alerts);
}

/* Acknowledging an alert: it stays live, marked as seen by someone. */

static int query_acknowledge(struct store *s, struct query_job *q, struct error *e)
{
        char target[32];
        struct audit a = { time(NULL), q->who.login, "alert.acknowledge", target, "" };
        int rc;

        snprintf(target, sizeof(target), "alert %lld", q->id);
        rc = store_alert_acknowledge(s, q->id, &q->filter, time(NULL), e);
        if (rc == -EALREADY)
                return api_refuse(q, 409, "not_open", e, e->msg);
        if (rc == -ENOENT)
                return api_not_found(q, rc, e);
        if (rc < 0 || (rc = store_audit_add(s, &a, e)) < 0)
                return rc;
        q->out = json_pack("{s:I, s:s}", "id", (json_int_t)q->id, "status", "acknowledged");
        return 0;
}

void route_acknowledge(struct server *s, struct conn *c, struct http_request *r,
                       const struct route *rt)
{
        char path[HTTP_URL_MAX + 1], *end;
        long long id;

        http_path(r, path, sizeof(path));
        id = strtoll(path + strlen("/api/v1/alerts/"), &end, 10);
        if (id <= 0 || strcmp(end, "/acknowledge") != 0) {
                conn_reply_error(c, 404, "not_found", "no such alert");
                return;
        }
        struct query_job *q;

        if ((q = api_start_job(s, c, r, rt, sizeof(struct query_job), id, query_acknowledge,
                               api_query_done)))
                db_submit(&s->db, &q->job);
}
