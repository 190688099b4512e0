/* route_checks.c - the fleet per check: how many machines fail, warn, pass
 * each check, and which machines they are. */
#include <errno.h>
#include <string.h>

#include "route.h"

static int query_checks(struct store *s, struct query_job *q, struct error *e)
{
        struct view_scope sc = api_scope(q);

        return view_checks(s, &sc, &q->out, e);
}

void route_checks(struct server *s, struct conn *c, struct http_request *r, const struct route *rt)
{
        api_start_query(s, c, r, rt, query_checks);
}

struct check_job {
        struct query_job q; /* first */
        char result[16];
};

static int query_check_machines(struct store *s, struct query_job *q, struct error *e)
{
        struct check_job *j = (struct check_job *)q;
        struct view_scope sc = api_scope(q);

        if (!q->filter.check || !*q->filter.check)
                return api_refuse(q, 400, "bad_request", e, "this list needs a check");
        return view_check_machines(s, &sc, q->filter.check, j->result, q->filter.limit,
                                   q->filter.offset, &q->out, e);
}

void route_check_machines(struct server *s, struct conn *c, struct http_request *r,
                          const struct route *rt)
{
        struct check_job *j;
        char result[16] = "fail";
        int rc = http_query(r, "result", result, sizeof(result));

        if ((rc < 0 && rc != -ENOENT) || status_from_name(result) < 0) {
                conn_reply_error(c, 400, "bad_request",
                                 "result must be fail, error, warn, pass or skip");
                return;
        }
        j = (struct check_job *)api_start_job(s, c, r, rt, sizeof(*j), 0, query_check_machines,
                                              api_query_done);
        if (!j)
                return;
        memcpy(j->result, result, sizeof(result));
        db_submit(&s->db, &j->q.job);
}
