/* agents.c - the enrolled agents: enrollment, revocation and reads. */
#include <errno.h>
#include <string.h>

#include "rows.h"

#define AGENT_COLUMNS                                                                              \
        " ag.id, ag.finess, ag.hostname, ag.enrolled_at, coalesce(ag.revoked_at, 0),"              \
        " coalesce(ag.last_seen, 0), ag.last_seq, coalesce(ag.machine, '')"

struct agent_rows {
        store_agent_fn *fn;
        void *user;
        struct agent *one; /* agent_get's */
};

static int agent_row(void *user, int ncols, const char *const *v)
{
        struct agent_rows *l = user;
        struct agent a, *to = l->one ? l->one : &a;

        if (ncols != 8)
                return -EIO;
        memset(to, 0, sizeof(*to));
        store_copy(to->id, sizeof(to->id), v[0]);
        store_copy(to->finess, sizeof(to->finess), v[1]);
        store_copy(to->hostname, sizeof(to->hostname), v[2]);
        to->enrolled_at = store_num(v[3]);
        to->revoked_at = store_num(v[4]);
        to->last_seen = store_num(v[5]);
        to->last_seq = store_num(v[6]);
        store_copy(to->machine, sizeof(to->machine), v[7]);
        return l->one ? 1 : l->fn(l->user, to);
}

int store_agent_get(struct store *s, const char *id, struct agent *a, struct error *e)
{
        static const char sql[] = "SELECT" AGENT_COLUMNS " FROM agents ag WHERE ag.id = $1";
        struct agent_rows l = { .one = a };
        const char *p[] = { id };
        int rc = store_rows(s, sql, 1, p, agent_row, &l, e);

        if (rc < 0)
                return rc;
        if (rc == 0) {
                error_set(e, "", 0, "no agent %s", id);
                return -ENOENT;
        }
        return 0;
}

int store_agent_list(struct store *s, const struct store_filter *f, store_agent_fn *fn, void *user,
                     struct error *e)
{
        static const char sql[] =
            "SELECT" AGENT_COLUMNS " FROM agents ag"
            " JOIN establishments e ON e.finess = ag.finess WHERE" SCOPE
            " AND (CAST($6 AS TEXT) IS NULL OR ag.id = $6)"
            " AND (CAST($4 AS TEXT) IS NULL OR true)"
            " AND (CAST($5 AS TEXT) IS NULL OR true)"
            " ORDER BY ag.finess, ag.hostname, ag.id LIMIT CAST($7 AS BIGINT)";
        struct filter_params fp;
        struct agent_rows l = { .fn = fn, .user = user };

        return store_rows(s, sql, 7, store_filter_params(&fp, f), agent_row, &l, e);
}

int store_agent_add(struct store *s, const struct agent *a, struct error *e)
{
        static const char sql[] = "INSERT INTO agents (id, finess, hostname, enrolled_at, machine)"
                                  " VALUES ($1, $2, $3, CAST($4 AS BIGINT), nullif($5, ''))";
        const struct sql_arg v[] = { sql_text(a->id), sql_text(a->finess), sql_text(a->hostname),
                                     sql_int(a->enrolled_at), sql_text(a->machine) };
        long long rc = store_change(s, sql, 5, v, e);

        if (rc == -EEXIST)
                error_set(e, "", 0, "agent %s is already enrolled", a->id);
        else if (rc == -ENOENT)
                error_set(e, "", 0, "no establishment %s", a->finess);
        return rc < 0 ? (int)rc : 0;
}

int store_agent_revoke(struct store *s, const char *id, time_t now, struct error *e)
{
        static const char sql[] =
            "UPDATE agents SET revoked_at = coalesce(revoked_at, CAST($1 AS BIGINT)) WHERE id = $2";
        const struct sql_arg v[] = { sql_int(now), sql_text(id) };
        long long rc = store_change(s, sql, 2, v, e);
        struct agent a;

        if (rc < 0)
                return (int)rc;
        return rc == 1 ? 0 : store_agent_get(s, id, &a, e);
}
