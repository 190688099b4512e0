/* pg.c - the driver of the shared store, for regions that outgrow one node:
 * several hygie-server processes on different hosts use one PostgreSQL.
 * Queued statements (report intake's) are prepared once per connection and
 * go out in pipeline mode, so a batch of reports costs a few round trips,
 * not a few per report; the others are planned for the values they run
 * with. Migrations run under an advisory lock, so servers starting together
 * apply each once. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "driver.h"
#include "migrations.h"
#include "stmt_cache.h"

/* Advisory lock keys: schema migrations ("hygie" in ASCII) and the lead of
 * the periodic work ("hlead"). */
#define MIGRATION_LOCK 0x6879676965LL
#define LEAD_LOCK      0x686c656164LL
#define PARAMS_MAX     32   /* parameters of one statement */
#define PIPELINE_MAX   1024 /* statements sent before their answers are read */

/* This engine's own migrations, up to STORE_BASELINE; the next ones are
 * written once, in migrations.c. */
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

        "ALTER TABLE agents ADD COLUMN machine TEXT,"
        "  ADD COLUMN last_seen BIGINT,"
        "  ADD COLUMN last_seq BIGINT NOT NULL DEFAULT -1,"
        "  ADD COLUMN report_interval BIGINT NOT NULL DEFAULT 3600;"
        "CREATE TABLE reports ("
        "  agent_id TEXT NOT NULL REFERENCES agents (id),"
        "  report_id TEXT NOT NULL,"
        "  seq BIGINT NOT NULL,"
        "  collected_at BIGINT NOT NULL,"
        "  received_at BIGINT NOT NULL,"
        "  encoding TEXT NOT NULL,"
        "  body BYTEA NOT NULL,"
        "  PRIMARY KEY (agent_id, report_id));"
        "CREATE INDEX reports_time ON reports (agent_id, collected_at);"
        "CREATE TABLE alerts ("
        "  id BIGSERIAL PRIMARY KEY,"
        "  agent_id TEXT NOT NULL REFERENCES agents (id),"
        "  check_id TEXT NOT NULL,"
        "  subject TEXT NOT NULL,"
        "  severity TEXT NOT NULL,"
        "  summary TEXT NOT NULL,"
        "  status TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),"
        "  opened_at BIGINT NOT NULL,"
        "  acknowledged_at BIGINT,"
        "  resolved_at BIGINT,"
        "  last_seen BIGINT NOT NULL,"
        "  last_seq BIGINT NOT NULL);"
        "CREATE UNIQUE INDEX alerts_live ON alerts (agent_id, check_id, subject)"
        "  WHERE status <> 'resolved';"
        "CREATE INDEX alerts_status ON alerts (status, severity);"
        "CREATE TABLE policies ("
        "  finess TEXT PRIMARY KEY,"
        "  revision BIGINT NOT NULL,"
        "  text TEXT NOT NULL,"
        "  updated_at TIMESTAMPTZ NOT NULL DEFAULT now());",

        "CREATE TABLE users ("
        "  id BIGSERIAL PRIMARY KEY,"
        "  login TEXT NOT NULL UNIQUE,"
        "  role TEXT NOT NULL CHECK (role IN ('admin', 'regional', 'establishment', 'funder')),"
        "  region TEXT NOT NULL DEFAULT '',"
        "  finess TEXT REFERENCES establishments (finess),"
        "  hash TEXT NOT NULL,"
        "  created_at BIGINT NOT NULL,"
        "  disabled_at BIGINT,"
        "  failures BIGINT NOT NULL DEFAULT 0,"
        "  last_failure BIGINT NOT NULL DEFAULT 0);"
        "CREATE TABLE sessions ("
        "  hash TEXT PRIMARY KEY,"
        "  user_id BIGINT NOT NULL REFERENCES users (id),"
        "  csrf TEXT NOT NULL,"
        "  created_at BIGINT NOT NULL,"
        "  expires_at BIGINT NOT NULL);"
        "CREATE INDEX sessions_user ON sessions (user_id);"
        "CREATE TABLE audit_log ("
        "  id BIGSERIAL PRIMARY KEY,"
        "  at BIGINT NOT NULL,"
        "  actor TEXT NOT NULL,"
        "  action TEXT NOT NULL,"
        "  target TEXT NOT NULL,"
        "  detail TEXT NOT NULL);",

        "ALTER TABLE agents ADD COLUMN checks TEXT NOT NULL DEFAULT '',"
        "  ADD COLUMN score BIGINT,"
        "  ADD COLUMN equipment BIGINT NOT NULL DEFAULT 0,"
        "  ADD COLUMN os_supported BIGINT;"
        "ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';"
        "ALTER TABLE alerts ALTER COLUMN agent_id DROP NOT NULL,"
        "  ADD COLUMN finess TEXT REFERENCES establishments (finess);"
        "UPDATE alerts al SET finess = ag.finess FROM agents ag WHERE ag.id = al.agent_id;"
        "ALTER TABLE alerts ALTER COLUMN finess SET NOT NULL;"
        "CREATE UNIQUE INDEX alerts_site_live ON alerts (finess, check_id, subject)"
        "  WHERE agent_id IS NULL AND status <> 'resolved';"
        "CREATE INDEX alerts_finess ON alerts (finess, status);"
        "CREATE TABLE alert_events ("
        "  id BIGSERIAL PRIMARY KEY,"
        "  alert_id BIGINT NOT NULL,"
        "  at BIGINT NOT NULL,"
        "  kind TEXT NOT NULL CHECK (kind IN ('opened', 'resolved')));"
        "CREATE FUNCTION alert_event() RETURNS trigger LANGUAGE plpgsql AS $$"
        "  BEGIN"
        "    IF TG_OP = 'INSERT' THEN"
        "      INSERT INTO alert_events (alert_id, at, kind) VALUES (NEW.id, NEW.opened_at, "
        "'opened');"
        "    ELSIF NEW.status = 'resolved' AND OLD.status <> 'resolved' THEN"
        "      INSERT INTO alert_events (alert_id, at, kind)"
        "      VALUES (NEW.id, coalesce(NEW.resolved_at, 0), 'resolved');"
        "    END IF;"
        "    RETURN NULL;"
        "  END $$;"
        "CREATE TRIGGER alerts_events AFTER INSERT OR UPDATE OF status ON alerts"
        "  FOR EACH ROW EXECUTE FUNCTION alert_event();"
        "CREATE TABLE machine_days ("
        "  agent_id TEXT NOT NULL REFERENCES agents (id),"
        "  day BIGINT NOT NULL,"
        "  score BIGINT NOT NULL,"
        "  PRIMARY KEY (agent_id, day));"
        "CREATE TABLE establishment_days ("
        "  finess TEXT NOT NULL REFERENCES establishments (finess),"
        "  day BIGINT NOT NULL,"
        "  score BIGINT NOT NULL,"
        "  machines BIGINT NOT NULL,"
        "  PRIMARY KEY (finess, day));"
        "CREATE TABLE records ("
        "  id BIGSERIAL PRIMARY KEY,"
        "  finess TEXT NOT NULL REFERENCES establishments (finess),"
        "  kind TEXT NOT NULL CHECK (kind IN ('exercise', 'awareness', 'restore_test')),"
        "  day BIGINT NOT NULL,"
        "  title TEXT NOT NULL,"
        "  people BIGINT NOT NULL DEFAULT 0,"
        "  result TEXT NOT NULL DEFAULT '',"
        "  notes TEXT NOT NULL DEFAULT '',"
        "  created_by TEXT NOT NULL,"
        "  created_at BIGINT NOT NULL);"
        "CREATE INDEX records_finess ON records (finess, kind, day);"
        "CREATE TABLE backup_jobs ("
        "  finess TEXT NOT NULL REFERENCES establishments (finess),"
        "  job TEXT NOT NULL,"
        "  last_seen BIGINT NOT NULL,"
        "  PRIMARY KEY (finess, job));"
        "CREATE TABLE notify_state ("
        "  name TEXT PRIMARY KEY,"
        "  cursor BIGINT NOT NULL DEFAULT 0,"
        "  attempts BIGINT NOT NULL DEFAULT 0,"
        "  next_at BIGINT NOT NULL DEFAULT 0);",

        /* A machine's page reads its reports newest first by seq, the order
         * its state follows, not by the time its clock gave. */
        "DROP INDEX reports_time; CREATE INDEX reports_seq ON reports (agent_id, seq);",

        /* Login tries, per login and per address (throttle.c). */
        "CREATE TABLE login_throttle ("
        "  key TEXT PRIMARY KEY,"
        "  failures BIGINT NOT NULL,"
        "  blocked_until BIGINT NOT NULL,"
        "  last_try BIGINT NOT NULL);",
};

/* What a statement sent in pipeline mode waits for. */
struct pending {
        struct stmt_cached *prepare; /* the statement being prepared, else a query */
        store_row_fn *fn;
        void *user;
};

struct store_pg {
        struct store base;
        PGconn *conn;
        struct stmt_cache cache;
        struct pending *pending;
        size_t npending, cap;
        bool piped;   /* in pipeline mode */
        bool leading; /* this session holds LEAD_LOCK */
};

/* Parameters as libpq takes them: text, but blobs in binary. */
struct params {
        const char *values[PARAMS_MAX];
        int lengths[PARAMS_MAX], formats[PARAMS_MAX];
        char ints[PARAMS_MAX][24];
};

static int fail(struct store_pg *s, struct error *e, const char *what)
{
        const char *msg = PQerrorMessage(s->conn);

        error_set(e, "postgresql", 0, "%s: %.*s", what, (int)strcspn(msg, "\n"), msg);
        return -EIO;
}

/* What a failed statement means to the store, by its SQLSTATE. */
static int result_error(struct store_pg *s, const PGresult *r, struct error *e)
{
        const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        const char *msg = PQresultErrorMessage(r);

        if (!msg || !*msg)
                msg = PQerrorMessage(s->conn);
        error_set(e, "postgresql", 0, "%.*s", (int)strcspn(msg, "\n"), msg);
        if (!state)
                return -EIO;
        if (strcmp(state, "23505") == 0)
                return -EEXIST;
        if (strcmp(state, "23503") == 0)
                return -ENOENT;
        if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
                return -EAGAIN;
        if (strcmp(state, "53100") == 0)
                return -ENOSPC;
        return -EIO;
}

static int params(struct params *p, int n, const struct sql_arg *args, struct error *e)
{
        if (n > PARAMS_MAX) {
                error_set(e, "postgresql", 0, "a statement with %d parameters", n);
                return -E2BIG;
        }
        for (int i = 0; i < n; i++) {
                const struct sql_arg *a = &args[i];

                p->lengths[i] = 0;
                p->formats[i] = 0;
                switch (a->type) {
                case SQL_INT:
                        snprintf(p->ints[i], sizeof(p->ints[i]), "%lld", a->i);
                        p->values[i] = p->ints[i];
                        break;
                case SQL_BLOB:
                        p->lengths[i] = (int)a->len;
                        p->formats[i] = 1;
                        p->values[i] = a->text;
                        break;
                case SQL_TEXT:
                        p->values[i] = a->text;
                        break;
                default:
                        p->values[i] = NULL;
                }
        }
        return 0;
}

static void name_of(const struct stmt_cached *sc, char *name, size_t size)
{
        snprintf(name, size, "hygie_%u", sc->serial);
}

static int deliver(const PGresult *r, store_row_fn *fn, void *user)
{
        const char *values[64];
        int rc = 0, ncols = PQnfields(r);

        if (ncols > 64)
                ncols = 64;
        for (int i = 0; rc == 0 && fn && i < PQntuples(r); i++) {
                for (int j = 0; j < ncols; j++)
                        values[j] = PQgetisnull(r, i, j) ? NULL : PQgetvalue(r, i, j);
                rc = fn(user, ncols, values);
        }
        return rc;
}

static void forget_prepared(struct store_pg *s)
{
        for (size_t i = 0; i < sizeof(s->cache.bucket) / sizeof(s->cache.bucket[0]); i++)
                for (struct stmt_cached *sc = s->cache.bucket[i]; sc; sc = sc->next)
                        sc->handle = NULL;
}

/* Sets up a new connection. */
static int session(struct store_pg *s, struct error *e)
{
        PGresult *r = PQexec(s->conn, "SET client_min_messages = warning");
        int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : result_error(s, r, e);

        PQclear(r);
        return rc;
}

/* A connection the server closed (a restart, a failover) is opened again
 * between transactions; its prepared statements went with it. */
static int connected(struct store_pg *s, struct error *e)
{
        if (PQstatus(s->conn) == CONNECTION_OK)
                return 0;
        s->piped = false;
        s->npending = 0;
        s->leading = false;
        forget_prepared(s);
        PQreset(s->conn);
        return PQstatus(s->conn) == CONNECTION_OK ? session(s, e) : fail(s, e, "cannot connect");
}

/* Reads the answers to what was queued, up to the sync that ends them, and
 * leaves pipeline mode. The first error is kept; the rest are skipped. */
static int pg_flush(struct store *base, struct error *e)
{
        struct store_pg *s = (struct store_pg *)base;
        PGresult *r;
        int rc = 0, got;

        if (!s->piped)
                return 0;
        if (!PQpipelineSync(s->conn)) {
                rc = fail(s, e, "sending queries");
                goto out;
        }
        for (size_t i = 0; i < s->npending; i++) {
                struct pending *p = &s->pending[i];
                int st;

                if (!(r = PQgetResult(s->conn))) {
                        rc = rc ? rc : fail(s, e, "reading the answers");
                        goto out;
                }
                st = PQresultStatus(r);
                if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
                        if (rc == 0 && p->fn && (got = deliver(r, p->fn, p->user)) < 0) {
                                error_set(e, "postgresql", 0, "reading the database's answer: %s",
                                          strerror(-got));
                                rc = got;
                        }
                } else {
                        if (p->prepare)
                                p->prepare->handle = NULL;
                        if (rc == 0)
                                rc = st == PGRES_PIPELINE_ABORTED ? -EIO : result_error(s, r, e);
                }
                PQclear(r);
                /* Each statement's answers end with a NULL. */
                while ((r = PQgetResult(s->conn)))
                        PQclear(r);
        }
        if (!(r = PQgetResult(s->conn)) || PQresultStatus(r) != PGRES_PIPELINE_SYNC)
                rc = rc ? rc : fail(s, e, "reading the end of the answers");
        PQclear(r);
        if (!PQexitPipelineMode(s->conn))
                rc = rc ? rc : fail(s, e, "leaving pipeline mode");
out:
        /* A lost connection is opened again by connected(), out of the pipeline. */
        s->piped =
            PQstatus(s->conn) == CONNECTION_OK && PQpipelineStatus(s->conn) != PQ_PIPELINE_OFF;
        s->npending = 0;
        return rc;
}

static int pg_run(struct store *base, const char *sql, int n, const struct sql_arg *args,
                  store_row_fn *fn, void *user, long long *changed, struct error *e)
{
        struct store_pg *s = (struct store_pg *)base;
        struct params p;
        PGresult *r;
        int rc, st;

        if ((rc = pg_flush(base, e)) < 0 || (rc = connected(s, e)) < 0 ||
            (rc = params(&p, n, args, e)) < 0)
                return rc;
        /* Planned for its values, as a statement is prepared for each run:
         * the dashboard's are written once for every scope ("$1 IS NULL OR
         * e.finess = $1"), and a generic plan of them reads the whole fleet. */
        r = PQexecParams(s->conn, sql, n, NULL, p.values, p.lengths, p.formats, 0);
        st = PQresultStatus(r);
        if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
                rc = deliver(r, fn, user);
                if (rc >= 0 && changed)
                        *changed = atoll(PQcmdTuples(r));
        } else {
                rc = result_error(s, r, e);
        }
        PQclear(r);
        return rc;
}

static int pg_queue(struct store *base, const char *sql, int n, const struct sql_arg *args,
                    store_row_fn *fn, void *user, struct error *e)
{
        struct store_pg *s = (struct store_pg *)base;
        struct stmt_cached *sc;
        struct params p;
        char name[32];
        int rc, sent;

        if (s->npending + 2 > PIPELINE_MAX && (rc = pg_flush(base, e)) < 0)
                return rc;
        if ((!s->piped && (rc = connected(s, e)) < 0) || (rc = params(&p, n, args, e)) < 0)
                return rc;
        if (s->npending + 2 > s->cap) {
                size_t cap = s->cap ? 2 * s->cap : 64;
                struct pending *grown = realloc(s->pending, cap * sizeof(*grown));

                if (!grown)
                        return -ENOMEM;
                s->pending = grown;
                s->cap = cap;
        }
        if (!s->piped) {
                if (!PQenterPipelineMode(s->conn))
                        return fail(s, e, "entering pipeline mode");
                s->piped = true;
        }
        if ((sc = stmt_cache_get(&s->cache, sql))) {
                name_of(sc, name, sizeof(name));
                if (!sc->handle) {
                        if (!PQsendPrepare(s->conn, name, sql, 0, NULL))
                                return fail(s, e, "sending a query");
                        sc->handle = sc;
                        s->pending[s->npending++] = (struct pending){ .prepare = sc };
                }
                sent = PQsendQueryPrepared(s->conn, name, n, p.values, p.lengths, p.formats, 0);
        } else {
                sent = PQsendQueryParams(s->conn, sql, n, NULL, p.values, p.lengths, p.formats, 0);
        }
        if (!sent)
                return fail(s, e, "sending a query");
        s->pending[s->npending++] = (struct pending){ .fn = fn, .user = user };
        return 0;
}

static int pg_exec(struct store *base, const char *sql, struct error *e)
{
        struct store_pg *s = (struct store_pg *)base;
        PGresult *r;
        int rc;

        if ((rc = pg_flush(base, e)) < 0 || (rc = connected(s, e)) < 0)
                return rc;
        r = PQexec(s->conn, sql);
        rc = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK
                 ? 0
                 : result_error(s, r, e);
        PQclear(r);
        return rc;
}

_Static_assert(sizeof(migrations) / sizeof(migrations[0]) == STORE_BASELINE,
               "the engine's own migrations end at STORE_BASELINE");

/* The migration from version to version + 1: the part both engines share,
 * or this engine's own (NULL: none). */
static const char *migration(int version, bool own)
{
        const struct store_migration *m;

        if (version < STORE_BASELINE)
                return own ? NULL : migrations[version];
        m = &store_migrations[version - STORE_BASELINE];
        return own ? m->postgresql : m->sql;
}

/* A session lock: held until this connection ends, whoever ends it. */
static int pg_lead(struct store *base, struct error *e)
{
        struct store_pg *s = (struct store_pg *)base;
        char sql[96];
        PGresult *r;
        int rc;

        if ((rc = pg_flush(base, e)) < 0 || (rc = connected(s, e)) < 0)
                return rc;
        snprintf(sql, sizeof(sql), "SELECT pg_try_advisory_lock(%lld)", LEAD_LOCK);
        r = PQexec(s->conn, s->leading ? "SELECT true" : sql);
        if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
                s->leading = PQgetvalue(r, 0, 0)[0] == 't';
                rc = s->leading;
        } else {
                rc = result_error(s, r, e);
        }
        PQclear(r);
        return rc;
}

static int migrate(struct store_pg *s, struct error *e)
{
        const int latest = STORE_BASELINE + store_migrations_count;
        struct store *base = &s->base;
        char sql[128];
        PGresult *r;
        int version, rc;

        if ((rc = pg_exec(base, "BEGIN", e)) < 0)
                return rc;
        snprintf(sql, sizeof(sql), "SELECT pg_advisory_xact_lock(%lld)", MIGRATION_LOCK);
        if ((rc = pg_exec(base, sql, e)) < 0 ||
            (rc = pg_exec(base,
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
                const char *own = migration(version, true);

                snprintf(sql, sizeof(sql), "INSERT INTO schema_migrations (version) VALUES (%d)",
                         version + 1);
                if ((migration(version, false) &&
                     (rc = pg_exec(base, migration(version, false), e)) < 0) ||
                    (own && (rc = pg_exec(base, own, e)) < 0) || (rc = pg_exec(base, sql, e)) < 0)
                        goto rollback;
        }
        if ((rc = pg_exec(base, "COMMIT", e)) < 0)
                return rc;
        s->base.schema_version = latest;
        return 0;
rollback:
        PQclear(PQexec(s->conn, "ROLLBACK"));
        return rc;
}

static void pg_close(struct store *base)
{
        struct store_pg *s = (struct store_pg *)base;

        PQfinish(s->conn);
        stmt_cache_free(&s->cache, NULL);
        free(s->pending);
        free(s);
}

static const struct sql_driver pg_driver = {
        .name = "postgresql",
        .begin = "BEGIN",
        .for_update = " FOR UPDATE",
        .now = "now()",
        .run = pg_run,
        .queue = pg_queue,
        .flush = pg_flush,
        .lead = pg_lead,
        .exec = pg_exec,
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
        s->base.drv = &pg_driver;
        s->conn = PQconnectdb(url);
        if (PQstatus(s->conn) != CONNECTION_OK) {
                rc = fail(s, e, "cannot connect");
                goto err;
        }
        /* Library code never prints: NOTICEs go nowhere. */
        PQsetNoticeProcessor(s->conn, quiet, NULL);
        if ((rc = session(s, e)) < 0 || (rc = migrate(s, e)) < 0)
                goto err;
        *out = &s->base;
        return 0;
err:
        PQfinish(s->conn);
        free(s);
        return rc;
}
