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

static json_t *counts_json(const long counts[SEV_COUNT])
{
        json_t *o = json_object();

        for (int i = SEV_CRITICAL; i >= 0; i--)
                json_object_set_new(o, severity_name(i), json_integer(counts[i]));
        return o;
}

/* The page of alerts, with how many the filter lets through in all and per
 * severity (whatever the filter's severity: the choices it has). */
static int query_alerts(struct store *s, struct query_job *q, struct error *e)
{
        struct alert_rows rows = { json_array(), q->cat };
        long counts[SEV_COUNT], total = 0;
        int rc = store_alert_list(s, &q->filter, alert_row, &rows, e);

        if (rc == 0)
                rc = store_alert_counts_of(s, &q->filter, counts, e);
        if (rc < 0) {
                json_decref(rows.list);
                return rc;
        }
        for (int i = 0; i < SEV_COUNT; i++)
                if (!q->filter.severity || severity_from_name(q->filter.severity) == i)
                        total += counts[i];
        q->out = json_pack("{s:o, s:I, s:I, s:I, s:o}", "alerts", rows.list, "total",
                           (json_int_t)total, "offset", (json_int_t)q->filter.offset, "limit",
                           (json_int_t)q->filter.limit, "counts", counts_json(counts));
        return 0;
}

static int group_row(void *user, const struct alert_group *g)
{
        json_t *list = user;

        return json_array_append_new(
            list, json_pack("{s:s, s:s, s:s, s:o, s:I, s:I, s:o}", "check", g->check, "finess",
                            g->finess, "name", g->name, "counts", counts_json(g->counts), "total",
                            (json_int_t)(g->counts[0] + g->counts[1] + g->counts[2] + g->counts[3] +
                                         g->counts[4]),
                            "machines", (json_int_t)g->machines, "oldest_opened_at",
                            api_time_json(g->oldest)));
}

/* The alerts by check and establishment: what regional support works
 * through, a group at a time. */
static int query_groups(struct store *s, struct query_job *q, struct error *e)
{
        json_t *list = json_array();
        long total;
        int rc = store_alert_groups(s, &q->filter, group_row, list, &total, e);

        if (rc < 0) {
                json_decref(list);
                return rc;
        }
        q->out =
            json_pack("{s:o, s:I, s:I, s:I}", "groups", list, "total", (json_int_t)total, "offset",
                      (json_int_t)q->filter.offset, "limit", (json_int_t)q->filter.limit);
        return 0;
}

void route_alert_groups(struct server *s, struct conn *c, struct http_request *r,
                        const struct route *rt)
{
        api_start_query(s, c, r, rt, query_groups);
}

void route_alerts(struct server *s, struct conn *c, struct http_request *r, const struct route *rt)
{
        api_start_query(s, c, r, rt, query_alerts);
}

/* Acknowledging alerts: they stay live, marked as seen by someone. Many at
 * once: {"ids": [...]} (at most 1000), or those of a check at an
 * establishment ({"check", "finess"}), within the caller's scope and the
 * query string's filters. */

#define ACK_IDS_MAX 1000

static int acknowledge_many_in_tx(struct store *s, void *user, struct error *e)
{
        struct query_job *q = user;
        const json_t *ids = json_object_get(q->body, "ids"), *v;
        const char *check = json_string_value(json_object_get(q->body, "check"));
        const char *finess = json_string_value(json_object_get(q->body, "finess"));
        long long list[ACK_IDS_MAX];
        char detail[160];
        struct audit a = { time(NULL), q->who.login, "alert.acknowledge", "alerts", detail };
        size_t n = 0, i;
        long done;
        int rc;

        if (!q->body || (ids && !json_is_array(ids)) || (!ids && !(check && finess)) ||
            (ids && (json_array_size(ids) == 0 || json_array_size(ids) > ACK_IDS_MAX)))
                return api_refuse(q, 400, "bad_request", e,
                                  lang_tr(q->cat, "expected {\"ids\": [1 to 1000 alert ids]} or "
                                                  "{\"check\", \"finess\"}"));
        json_array_foreach(ids, i, v)
        {
                if (!json_is_integer(v) || json_integer_value(v) <= 0)
                        return api_refuse(q, 400, "bad_request", e,
                                          lang_tr(q->cat, "an alert id is a positive number"));
                list[n++] = json_integer_value(v);
        }
        if (!ids) {
                if (strlen(check) >= 64 || strlen(finess) != 9)
                        return api_refuse(q, 400, "bad_request", e,
                                          lang_tr(q->cat, "no such check or establishment"));
                if (q->filter.finess && strcmp(q->filter.finess, finess) != 0)
                        return api_refuse(q, 403, "out_of_scope", e,
                                          "that establishment is outside your scope");
                q->filter.check = check;
                q->filter.finess = finess;
        }
        q->filter.status = "open";
        if ((rc = store_alert_acknowledge_many(s, &q->filter, list, n, time(NULL), &done, e)) < 0)
                return rc;
        if (ids)
                snprintf(detail, sizeof(detail), "%ld of %zu by id", done, n);
        else
                snprintf(detail, sizeof(detail), "%ld of %s at %s", done, check, finess);
        if (done && (rc = store_audit_add(s, &a, e)) < 0)
                return rc;
        q->out = json_pack("{s:I}", "acknowledged", (json_int_t)done);
        return 0;
}

static int query_acknowledge_many(struct store *s, struct query_job *q, struct error *e)
{
        return store_tx(s, acknowledge_many_in_tx, q, e);
}

void route_acknowledge_many(struct server *s, struct conn *c, struct http_request *r,
                            const struct route *rt)
{
        json_error_t je;
        json_t *body = json_loadb(r->body ? r->body : "", r->body_len, 0, &je);
        struct query_job *q;

        if (!json_is_object(body)) {
                json_decref(body);
                body = NULL;
        }
        if ((q = api_start_job(s, c, r, rt, sizeof(struct query_job), 0, query_acknowledge_many,
                               api_query_done))) {
                q->body = body;
                db_submit(&s->db, &q->job);
        } else {
                json_decref(body);
        }
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
