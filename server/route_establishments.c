/* route_establishments.c - establishments, an establishment's page, and the
 * records (exercises, awareness actions, restore tests) it adds. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "l10n.h"
#include "records.h"
#include "route.h"

static int query_establishments(struct store *s, struct query_job *q, struct error *e)
{
        struct view_scope sc = api_scope(q);

        return view_establishments(s, api_rules(q), &sc, time(NULL), &q->out, e);
}

/* A route naming one establishment: outside the caller's scope it does not
 * exist. */
static int named_establishment(struct query_job *q, struct view_scope *sc, struct error *e)
{
        if (q->filter.finess && strcmp(q->filter.finess, q->key) != 0)
                return api_refuse(q, 404, "not_found", e, "no such establishment");
        *sc = api_scope(q);
        sc->finess = q->key;
        return 0;
}

static int query_establishment(struct store *s, struct query_job *q, struct error *e)
{
        struct view_scope sc;
        int rc = named_establishment(q, &sc, e);

        if (rc < 0)
                return rc;
        rc = api_not_found(q, view_establishment(s, api_rules(q), &sc, time(NULL), &q->out, e), e);
        if (rc == 0) {
                l10n_alerts(json_object_get(q->out, "plan_alerts"), q->cat);
                l10n_alerts(json_object_get(q->out, "priorities"), q->cat);
        }
        return rc;
}

static int record_in_tx(struct store *s, void *user, struct error *e)
{
        struct query_job *q = user;
        char detail[64];
        time_t now = time(NULL);
        struct audit a = { now, q->who.login, "record.add", q->key, detail };
        json_t *resolved;
        long long id;
        int rc;

        if (!q->body)
                return api_refuse(q, 400, "bad_request", e, "the body must be a JSON object");
        rc = records_add(s, api_rules(q), q->cat, q->key, q->body, q->who.login, now, &id, e);
        if (rc == -EINVAL)
                return api_refuse(q, 400, "bad_request", e, e->msg);
        if (rc < 0 || (rc = view_record(s, id, &q->out, e)) < 0 ||
            (rc = view_resolved_by(s, q->key, now, &resolved, e)) < 0)
                return rc;
        l10n_alerts(resolved, q->cat);
        json_object_set_new(q->out, "resolved", resolved);
        snprintf(detail, sizeof(detail), "%s %lld",
                 json_string_value(json_object_get(q->out, "kind")),
                 (long long)json_integer_value(json_object_get(q->out, "id")));
        q->status = 201;
        return store_audit_add(s, &a, e);
}

static int query_record(struct store *s, struct query_job *q, struct error *e)
{
        struct view_scope sc;
        int rc = named_establishment(q, &sc, e);

        if (rc < 0)
                return rc;
        return store_tx(s, record_in_tx, q, e);
}

void route_establishments(struct server *s, struct conn *c, struct http_request *r,
                          const struct route *rt)
{
        api_start_query(s, c, r, rt, query_establishments);
}

void route_establishment(struct server *s, struct conn *c, struct http_request *r,
                         const struct route *rt)
{
        api_start_named(s, c, r, rt, "/api/v1/establishments/", "establishment",
                        query_establishment, NULL);
}

void route_record(struct server *s, struct conn *c, struct http_request *r, const struct route *rt)
{
        json_error_t je;
        json_t *body = json_loadb(r->body ? r->body : "", r->body_len, 0, &je);

        /* A bad body is refused once the caller is known. */
        if (!json_is_object(body)) {
                json_decref(body);
                body = NULL;
        }
        api_start_named(s, c, r, rt, "/api/v1/establishments/", "establishment", query_record,
                        body);
}
