/* store_pg.c - the shared store for regions that outgrow one node: several
 * hygie-server processes on different hosts use one PostgreSQL. Migrations
 * run under an advisory lock, so servers starting together apply each once. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "store.h"

/* pg_advisory_xact_lock key for schema migrations ("hygie" in ASCII). */
#define MIGRATION_LOCK 0x6879676965LL

struct store_pg {
        struct store base;
        PGconn *conn;
};

static const char *const migrations[] = {
        "CREATE TABLE establishments ("
        "  finess TEXT PRIMARY KEY,"
        "  name TEXT NOT NULL,"
        "  region TEXT NOT NULL,"
        "  department TEXT NOT NULL,"
        "  created_at TIMESTAMPTZ NOT NULL DEFAULT now());"
        "CREATE INDEX establishments_region ON establishments (region, department);",

        "CREATE TABLE enrollment_tokens ("
        "  hash TEXT PRIMARY KEY,"
        "  finess TEXT NOT NULL REFERENCES establishments (finess),"
        "  uses_left BIGINT NOT NULL CHECK (uses_left >= 0),"
        "  expires_at BIGINT NOT NULL,"
        "  created_at TIMESTAMPTZ NOT NULL DEFAULT now());"
        "CREATE TABLE api_tokens ("
        "  hash TEXT PRIMARY KEY,"
        "  created_at TIMESTAMPTZ NOT NULL DEFAULT now());",

        "CREATE TABLE agents ("
        "  id TEXT PRIMARY KEY,"
        "  finess TEXT NOT NULL REFERENCES establishments (finess),"
        "  hostname TEXT NOT NULL,"
        "  enrolled_at BIGINT NOT NULL,"
        "  revoked_at BIGINT);"
        "CREATE INDEX agents_finess ON agents (finess);",
};

static int fail(struct store_pg *s, struct error *e, const char *what)
{
        const char *msg = PQerrorMessage(s->conn);

        error_set(e, "postgresql", 0, "%s: %.*s", what, (int)strcspn(msg, "\n"), msg);
        return -EIO;
}

/* Runs sql; 0, or -EIO with e filled. The result is freed. */
static int exec(struct store_pg *s, const char *sql, struct error *e)
{
        PGresult *r = PQexec(s->conn, sql);
        int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;

        PQclear(r);
        return ok ? 0 : fail(s, e, "query");
}

static PGresult *query(struct store_pg *s, const char *sql, int n, const char *const *params)
{
        return PQexecParams(s->conn, sql, n, NULL, params, NULL, NULL, 0);
}

static bool sqlstate_is(const PGresult *r, const char *state)
{
        const char *got = PQresultErrorField(r, PG_DIAG_SQLSTATE);

        return got && strcmp(got, state) == 0;
}

static int migrate(struct store_pg *s, struct error *e)
{
        const int latest = (int)(sizeof(migrations) / sizeof(migrations[0]));
        char sql[128];
        PGresult *r;
        int version, rc;

        if ((rc = exec(s, "BEGIN", e)) < 0)
                return rc;
        snprintf(sql, sizeof(sql), "SELECT pg_advisory_xact_lock(%lld)", MIGRATION_LOCK);
        if ((rc = exec(s, sql, e)) < 0 ||
            (rc = exec(s,
                       "CREATE TABLE IF NOT EXISTS schema_migrations ("
                       " version INTEGER PRIMARY KEY,"
                       " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                       e)) < 0)
                goto rollback;
        r = PQexec(s->conn, "SELECT coalesce(max(version), 0) FROM schema_migrations");
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
                PQclear(r);
                rc = fail(s, e, "reading the schema version");
                goto rollback;
        }
        version = atoi(PQgetvalue(r, 0, 0));
        PQclear(r);
        if (version > latest) {
                error_set(e, "postgresql", 0,
                          "the database schema (version %d) is newer than this hygie-server "
                          "knows (%d): upgrade hygie-server",
                          version, latest);
                rc = -EPROTO;
                goto rollback;
        }
        for (; version < latest; version++) {
                snprintf(sql, sizeof(sql), "INSERT INTO schema_migrations (version) VALUES (%d)",
                         version + 1);
                if ((rc = exec(s, migrations[version], e)) < 0 || (rc = exec(s, sql, e)) < 0)
                        goto rollback;
        }
        if ((rc = exec(s, "COMMIT", e)) < 0)
                return rc;
        s->base.schema_version = latest;
        return 0;
rollback:
        PQclear(PQexec(s->conn, "ROLLBACK"));
        return rc;
}

static int pg_establishment_add(struct store *base, const struct establishment *est,
                                struct error *e)
{
        struct store_pg *s = (struct store_pg *)base;
        const char *p[] = { est->finess, est->name, est->region, est->department };
        PGresult *r = query(s,
                            "INSERT INTO establishments (finess, name, region, department)"
                            " VALUES ($1, $2, $3, $4)",
                            4, p);
        int rc = 0;

        if (sqlstate_is(r, "23505")) {
                error_set(e, "", 0, "establishment %s is already registered", est->finess);
                rc = -EEXIST;
        } else if (PQresultStatus(r) != PGRES_COMMAND_OK) {
                rc = fail(s, e, "adding an establishment");
        }
        PQclear(r);
        return rc;
}

static void copy(char *dst, size_t size, const char *src)
{
        snprintf(dst, size, "%s", src ? src : "");
}

static int pg_establishment_list(struct store *base, store_establishment_fn *fn, void *user,
                                 struct error *e)
{
        struct store_pg *s = (struct store_pg *)base;
        PGresult *r = PQexec(s->conn, "SELECT finess, name, region, department"
                                      " FROM establishments ORDER BY finess");
        struct establishment est;
        int rc = 0;

        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
                PQclear(r);
                return fail(s, e, "listing establishments");
        }
        for (int i = 0; rc == 0 && i < PQntuples(r); i++) {
                copy(est.finess, sizeof(est.finess), PQgetvalue(r, i, 0));
                copy(est.name, sizeof(est.name), PQgetvalue(r, i, 1));
                copy(est.region, sizeof(est.region), PQgetvalue(r, i, 2));
                copy(est.department, sizeof(est.department), PQgetvalue(r, i, 3));
                rc = fn(user, &est);
        }
        PQclear(r);
        return rc;
}

static int pg_token_add(struct store *base, const char *finess, const char *hash, long uses,
                        time_t expires, struct error *e)
{
        struct store_pg *s = (struct store_pg *)base;
        char u[32], x[32];
        const char *p[] = { hash, u, x, finess };
        PGresult *r;
        int rc = 0;

        snprintf(u, sizeof(u), "%ld", uses);
        snprintf(x, sizeof(x), "%lld", (long long)expires);
        r = query(
            s,
            "INSERT INTO enrollment_tokens (hash, finess, uses_left, expires_at)"
            " SELECT $1, finess, $2::bigint, $3::bigint FROM establishments WHERE finess = $4",
            4, p);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
                rc = fail(s, e, "adding a token");
        } else if (strcmp(PQcmdTuples(r), "0") == 0) {
                error_set(e, "", 0, "no establishment %s: add it first", finess);
                rc = -ENOENT;
        }
        PQclear(r);
        return rc;
}

static int pg_token_consume(struct store *base, const char *hash, time_t now, char *finess,
                            struct error *e)
{
        struct store_pg *s = (struct store_pg *)base;
        char n[32];
        const char *p[] = { hash, n };
        PGresult *r;
        int rc;

        snprintf(n, sizeof(n), "%lld", (long long)now);
        r = query(s,
                  "UPDATE enrollment_tokens SET uses_left = uses_left - 1"
                  " WHERE hash = $1 AND uses_left > 0 AND expires_at > $2::bigint"
                  " RETURNING finess",
                  2, p);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
                PQclear(r);
                return fail(s, e, "spending a token");
        }
        if (PQntuples(r) == 1) {
                copy(finess, 10, PQgetvalue(r, 0, 0));
                PQclear(r);
                return 0;
        }
        PQclear(r);
        r = query(s, "SELECT expires_at <= $2::bigint FROM enrollment_tokens WHERE hash = $1", 2,
                  p);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
                PQclear(r);
                return fail(s, e, "reading a token");
        }
        if (PQntuples(r) == 0) {
                error_set(e, "", 0, "unknown enrollment token");
                rc = -ENOENT;
        } else if (strcmp(PQgetvalue(r, 0, 0), "t") == 0) {
                error_set(e, "", 0, "the enrollment token has expired");
                rc = -EKEYEXPIRED;
        } else {
                error_set(e, "", 0, "the enrollment token has been used up");
                rc = -EDQUOT;
        }
        PQclear(r);
        return rc;
}

static int pg_agent_add(struct store *base, const struct agent *a, struct error *e)
{
        struct store_pg *s = (struct store_pg *)base;
        char when[32];
        const char *p[] = { a->id, a->finess, a->hostname, when };
        PGresult *r;
        int rc = 0;

        snprintf(when, sizeof(when), "%lld", a->enrolled_at);
        r = query(s,
                  "INSERT INTO agents (id, finess, hostname, enrolled_at)"
                  " VALUES ($1, $2, $3, $4::bigint)",
                  4, p);
        if (sqlstate_is(r, "23505")) {
                error_set(e, "", 0, "agent %s is already enrolled", a->id);
                rc = -EEXIST;
        } else if (PQresultStatus(r) != PGRES_COMMAND_OK) {
                rc = fail(s, e, "adding an agent");
        }
        PQclear(r);
        return rc;
}

static int pg_agent_get(struct store *base, const char *id, struct agent *a, struct error *e)
{
        struct store_pg *s = (struct store_pg *)base;
        const char *p[] = { id };
        PGresult *r = query(s,
                            "SELECT id, finess, hostname, enrolled_at, coalesce(revoked_at, 0)"
                            " FROM agents WHERE id = $1",
                            1, p);
        int rc = 0;

        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
                rc = fail(s, e, "reading an agent");
        } else if (PQntuples(r) == 0) {
                error_set(e, "", 0, "no agent %s", id);
                rc = -ENOENT;
        } else {
                copy(a->id, sizeof(a->id), PQgetvalue(r, 0, 0));
                copy(a->finess, sizeof(a->finess), PQgetvalue(r, 0, 1));
                copy(a->hostname, sizeof(a->hostname), PQgetvalue(r, 0, 2));
                a->enrolled_at = atoll(PQgetvalue(r, 0, 3));
                a->revoked_at = atoll(PQgetvalue(r, 0, 4));
        }
        PQclear(r);
        return rc;
}

static int pg_agent_revoke(struct store *base, const char *id, time_t now, struct error *e)
{
        struct store_pg *s = (struct store_pg *)base;
        char when[32];
        const char *p[] = { when, id };
        struct agent a;
        PGresult *r;
        int rc;

        snprintf(when, sizeof(when), "%lld", (long long)now);
        r = query(s,
                  "UPDATE agents SET revoked_at = coalesce(revoked_at, $1::bigint) WHERE id = $2",
                  2, p);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
                rc = fail(s, e, "revoking an agent");
        else
                rc = strcmp(PQcmdTuples(r), "1") == 0 ? 0 : pg_agent_get(base, id, &a, e);
        PQclear(r);
        return rc;
}

static int pg_api_token_add(struct store *base, const char *hash, struct error *e)
{
        struct store_pg *s = (struct store_pg *)base;
        const char *p[] = { hash };
        PGresult *r = query(s, "INSERT INTO api_tokens (hash) VALUES ($1)", 1, p);
        int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : fail(s, e, "adding an API token");

        PQclear(r);
        return rc;
}

static int pg_api_token_check(struct store *base, const char *hash, struct error *e)
{
        struct store_pg *s = (struct store_pg *)base;
        const char *p[] = { hash };
        PGresult *r = query(s, "SELECT 1 FROM api_tokens WHERE hash = $1", 1, p);
        int rc = 0;

        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
                rc = fail(s, e, "checking an API token");
        } else if (PQntuples(r) == 0) {
                error_set(e, "", 0, "unknown API token");
                rc = -ENOENT;
        }
        PQclear(r);
        return rc;
}

static void pg_close(struct store *base)
{
        struct store_pg *s = (struct store_pg *)base;

        PQfinish(s->conn);
        free(s);
}

static const struct store_ops pg_ops = {
        .establishment_add = pg_establishment_add,
        .establishment_list = pg_establishment_list,
        .token_add = pg_token_add,
        .token_consume = pg_token_consume,
        .agent_add = pg_agent_add,
        .agent_get = pg_agent_get,
        .agent_revoke = pg_agent_revoke,
        .api_token_add = pg_api_token_add,
        .api_token_check = pg_api_token_check,
        .close = pg_close,
};

static void quiet(void *arg, const char *message)
{
        (void)arg;
        (void)message;
}

int store_open_pg(const char *url, struct store **out, struct error *e)
{
        struct store_pg *s = calloc(1, sizeof(*s));
        int rc;

        if (!s)
                return -ENOMEM;
        s->base.ops = &pg_ops;
        s->conn = PQconnectdb(url);
        if (PQstatus(s->conn) != CONNECTION_OK) {
                rc = fail(s, e, "cannot connect");
                goto err;
        }
        /* Library code never prints: NOTICEs go nowhere. */
        PQsetNoticeProcessor(s->conn, quiet, NULL);
        if ((rc = exec(s, "SET client_min_messages = warning", e)) < 0 || (rc = migrate(s, e)) < 0)
                goto err;
        *out = &s->base;
        return 0;
err:
        PQfinish(s->conn);
        free(s);
        return rc;
}
