/* route_agents.c - the machines: the list of enrolled agents, and a machine's page. */
#include "l10n.h"
#include "route.h"

static int agent_row(void *user, const struct agent *a)
{
        json_t *list = user;

        return json_array_append_new(
            list, json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:s}", "id", a->id, "finess", a->finess,
                            "hostname", a->hostname, "enrolled_at", api_time_json(a->enrolled_at),
                            "last_seen", api_time_json(a->last_seen), "revoked_at",
                            api_time_json(a->revoked_at), "status",
                            a->revoked_at  ? "revoked"
                            : a->last_seen ? "active"
                                           : "enrolled"));
}

static int query_agents(struct store *s, struct query_job *q, struct error *e)
{
        json_t *list = json_array();
        int rc = store_agent_list(s, &q->filter, agent_row, list, e);

        q->out = json_pack("{s:o}", "agents", list);
        return rc;
}

static int query_machine(struct store *s, struct query_job *q, struct error *e)
{
        struct view_scope sc = api_scope(q);
        int rc = api_not_found(q, view_machine(s, q->key, &sc, time(NULL), &q->out, e), e);

        if (rc == 0)
                l10n_findings(json_object_get(q->out, "findings"), q->cat);
        return rc;
}

static int query_machines(struct store *s, struct query_job *q, struct error *e)
{
        struct view_scope sc = api_scope(q);
        int rc = view_machines(s, &sc, time(NULL), q->filter.limit, q->filter.offset, &q->out, e);

        return rc;
}

void route_machines(struct server *s, struct conn *c, struct http_request *r,
                    const struct route *rt)
{
        api_start_query(s, c, r, rt, query_machines);
}

void route_agents(struct server *s, struct conn *c, struct http_request *r, const struct route *rt)
{
        api_start_query(s, c, r, rt, query_agents);
}

void route_machine(struct server *s, struct conn *c, struct http_request *r, const struct route *rt)
{
        api_start_named(s, c, r, rt, "/api/v1/agents/", "machine", query_machine, NULL);
}
