/* store_pg.c - the shared store for regions that outgrow one node: several
 * hygie-server processes on different hosts use one PostgreSQL. Migrations
 * run under an advisory lock, so servers starting together apply each once. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "checks.h"
#include "store.h"

/* pg_advisory_xact_lock key for schema migrations ("hygie" in ASCII). */
#define MIGRATION_LOCK 0x6879676965LL

struct store_pg {
        struct store base;
        PGconn *conn;
        struct store_scratch scratch; /* for reports_put */
        struct machine_state machine; /* for reports_put */
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
        r = query(s, "SELECT uses_left, expires_at FROM enrollment_tokens WHERE hash = $1", 1, p);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
                PQclear(r);
                return fail(s, e, "reading a token");
        }
        if (PQntuples(r) == 0) {
                error_set(e, "", 0, "unknown enrollment token");
                rc = -ENOENT;
        } else if (atoll(PQgetvalue(r, 0, 1)) <= atoll(p[1])) {
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
        const char *p[] = { a->id, a->finess, a->hostname, when, a->machine };
        PGresult *r;
        int rc = 0;

        snprintf(when, sizeof(when), "%lld", a->enrolled_at);
        r = query(s,
                  "INSERT INTO agents (id, finess, hostname, enrolled_at, machine)"
                  " VALUES ($1, $2, $3, $4::bigint, nullif($5, ''))",
                  5, p);
        if (sqlstate_is(r, "23505")) {
                error_set(e, "", 0, "agent %s is already enrolled", a->id);
                rc = -EEXIST;
        } else if (PQresultStatus(r) != PGRES_COMMAND_OK) {
                rc = fail(s, e, "adding an agent");
        }
        PQclear(r);
        return rc;
}

/* Users, sessions, audit. */

/* Runs a statement of no rows; 0, or fail(what). */
static int run_command(struct store_pg *s, const char *sql, int n, const char *const *p,
                       const char *what, struct error *e, int *changed)
{
        PGresult *r = query(s, sql, n, p);
        int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : fail(s, e, what);

        if (rc == 0 && changed)
                *changed = atoi(PQcmdTuples(r));
        PQclear(r);
        return rc;
}

static int pg_user_add(struct store *base, const struct user *u, struct error *e)
{
        struct store_pg *s = (struct store_pg *)base;
        char created[24];
        const char *p[] = { u->login,  role_name(u->role),
                            u->region, *u->finess ? u->finess : NULL,
                            u->hash,   created,
                            u->email };
        PGresult *r;
        int rc = 0;

        snprintf(created, sizeof(created), "%lld", u->created_at);
        r = query(s,
                  "INSERT INTO users (login, role, region, finess, hash, created_at, email)"
                  " VALUES ($1, $2, $3, $4, $5, $6::bigint, $7)",
                  7, p);
        if (sqlstate_is(r, "23505")) {
                error_set(e, "", 0, "login %s is taken", u->login);
                rc = -EEXIST;
        } else if (sqlstate_is(r, "23503")) {
                error_set(e, "", 0, "no establishment %s", u->finess);
                rc = -ENOENT;
        } else if (PQresultStatus(r) != PGRES_COMMAND_OK) {
                rc = fail(s, e, "adding a user");
        }
        PQclear(r);
        return rc;
}

static int pg_user_disable(struct store *base, const char *login, time_t now, struct error *e)
{
        struct store_pg *s = (struct store_pg *)base;
        char when[24];
        const char *p[] = { when, login };
        int changed = 0, rc;

        snprintf(when, sizeof(when), "%lld", (long long)now);
        if ((rc = exec(s, "BEGIN", e)) < 0)
                return rc;
        rc = run_command(s,
                         "UPDATE users SET disabled_at = coalesce(disabled_at, $1::bigint)"
                         " WHERE login = $2",
                         2, p, "disabling a user", e, &changed);
        if (rc == 0 && changed == 0) {
                error_set(e, "", 0, "no user %s", login);
                rc = -ENOENT;
        }
        if (rc == 0)
                rc = run_command(s,
                                 "DELETE FROM sessions WHERE user_id ="
                                 " (SELECT id FROM users WHERE login = $1)",
                                 1, p + 1, "ending sessions", e, NULL);
        if (rc < 0) {
                PQclear(PQexec(s->conn, "ROLLBACK"));
                return rc;
        }
        return exec(s, "COMMIT", e);
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
                rc = strcmp(PQcmdTuples(r), "1") == 0 ? 0 : store_agent_get(base, id, &a, e);
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

static PGresult *run(struct store_pg *s, const char *sql, int n, const char *const *params,
                     const int *lengths, const int *formats)
{
        return PQexecParams(s->conn, sql, n, NULL, params, lengths, formats, 0);
}

static int command(struct store_pg *s, const char *sql, int n, const char *const *params)
{
        PGresult *r = query(s, sql, n, params);
        int rc = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK
                     ? 0
                     : -EIO;

        PQclear(r);
        return rc;
}

static int alert_upsert(struct store_pg *s, const char *agent, const char *finess,
                        const char *check, const char *subject, const char *severity,
                        const char *summary, const char *now, const char *seq)
{
        const char *p[] = { agent, check, subject ? subject : "", severity, summary, now,
                            seq,   finess };

        return command(s,
                       "INSERT INTO alerts (agent_id, check_id, subject, severity, summary, status,"
                       " opened_at, last_seen, last_seq, finess)"
                       " VALUES ($1, $2, $3, $4, $5, 'open', $6::bigint, $6::bigint, $7::bigint,"
                       " $8)"
                       " ON CONFLICT (agent_id, check_id, subject) WHERE status <> 'resolved'"
                       " DO UPDATE SET severity = excluded.severity, summary = excluded.summary,"
                       " last_seen = excluded.last_seen, last_seq = excluded.last_seq",
                       8, p);
}

/* Any report, even an older one, says the agent is alive. */
static int resolve_silent(struct store_pg *s, const char *agent, const char *now)
{
        const char *p[] = { now, agent };

        return command(s,
                       "UPDATE alerts SET status = 'resolved', resolved_at = $1::bigint"
                       " WHERE agent_id = $2 AND status <> 'resolved'"
                       " AND check_id = 'agent.silent'",
                       2, p);
}

/* Brings the agent's alerts up to one report: its live alerts read once,
 * then only what changed written. */
static int apply_findings(struct store_pg *s, const struct store_report *r, const char *finess,
                          int threshold, const char *now, const char *seq)
{
        const char *p[7] = { r->agent_id };
        char id[24];
        PGresult *res = query(s,
                              "SELECT id, check_id, subject, severity, summary FROM alerts"
                              " WHERE agent_id = $1 AND status <> 'resolved' LIMIT 1024",
                              1, p);
        size_t nlive = 0, nsteps;
        int rc;

        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
                PQclear(res);
                return -EIO;
        }
        for (int i = 0; i < PQntuples(res) && nlive < STORE_LIVE_MAX; i++) {
                struct store_live *l = &s->scratch.live[nlive++];

                l->id = atoll(PQgetvalue(res, i, 0));
                copy(l->check, sizeof(l->check), PQgetvalue(res, i, 1));
                copy(l->subject, sizeof(l->subject), PQgetvalue(res, i, 2));
                copy(l->severity, sizeof(l->severity), PQgetvalue(res, i, 3));
                copy(l->summary, sizeof(l->summary), PQgetvalue(res, i, 4));
        }
        PQclear(res);
        nsteps = store_plan_alerts(r, threshold, s->scratch.live, nlive, s->scratch.steps);
        for (size_t i = 0; i < nsteps; i++) {
                const struct store_step *st = &s->scratch.steps[i];

                snprintf(id, sizeof(id), "%lld", st->id);
                if (st->act == STORE_INSERT) {
                        rc = alert_upsert(s, r->agent_id, finess, st->f->check, st->f->subject,
                                          severity_name(st->f->severity), st->f->summary, now, seq);
                } else if (st->act == STORE_UPDATE) {
                        const char *u[] = { id, severity_name(st->f->severity), st->f->summary, now,
                                            seq };

                        rc = command(s,
                                     "UPDATE alerts SET severity = $2, summary = $3,"
                                     " last_seen = $4::bigint, last_seq = $5::bigint"
                                     " WHERE id = $1::bigint",
                                     5, u);
                } else {
                        const char *u[] = { id, now };

                        rc = command(
                            s,
                            "UPDATE alerts SET status = 'resolved', resolved_at = $2::bigint"
                            " WHERE id = $1::bigint",
                            2, u);
                }
                if (rc < 0)
                        return rc;
        }
        return 0;
}

/* The backup jobs a report names, for establishment.restore_tested. */
static int note_backup_jobs(struct store_pg *s, const struct store_report *r, const char *finess,
                            const char *now)
{
        for (size_t i = 0; i < r->nfindings; i++) {
                const struct store_finding *f = &r->findings[i];
                const char *p[] = { finess, f->subject, now };
                int rc;

                if (strcmp(f->check, "backup.recent") != 0 || !*f->subject)
                        continue;
                rc = command(s,
                             "INSERT INTO backup_jobs (finess, job, last_seen)"
                             " VALUES ($1, $2, $3::bigint) ON CONFLICT (finess, job)"
                             " DO UPDATE SET last_seen = excluded.last_seen"
                             " WHERE backup_jobs.last_seen < excluded.last_seen - 3600",
                             3, p);
                if (rc < 0)
                        return rc;
        }
        return 0;
}

static int put_one(struct store_pg *s, struct store_report *r, time_t now, store_rules_fn *rules_of,
                   void *user)
{
        char t[24], seq[24], last[24], interval[24], collected[24], finess[10], machine[65];
        char score[16], equipment[16];
        struct machine_state *ms = &s->machine;
        const struct store_rules *rules;
        const char *p[10];
        int lengths[8] = { 0 }, formats[8] = { 0 };
        long long last_seq;
        PGresult *res;
        int rc, order;

        snprintf(t, sizeof(t), "%lld", (long long)now);
        snprintf(seq, sizeof(seq), "%lld", r->seq);
        snprintf(interval, sizeof(interval), "%lld", r->interval);
        snprintf(collected, sizeof(collected), "%lld", r->collected_at);
        p[0] = r->agent_id;
        res = query(s,
                    "SELECT finess, coalesce(revoked_at, 0), coalesce(machine, ''), last_seq,"
                    " checks FROM agents WHERE id = $1 FOR UPDATE",
                    1, p);
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
                PQclear(res);
                return -EIO;
        }
        if (PQntuples(res) == 0) {
                PQclear(res);
                r->result = -ENOENT;
                return 0;
        }
        copy(finess, sizeof(finess), PQgetvalue(res, 0, 0));
        copy(machine, sizeof(machine), PQgetvalue(res, 0, 2));
        last_seq = atoll(PQgetvalue(res, 0, 3));
        copy(ms->checks, sizeof(ms->checks), PQgetvalue(res, 0, 4));
        rc = atoll(PQgetvalue(res, 0, 1)) != 0;
        PQclear(res);
        if (rc) {
                r->result = -EKEYREJECTED;
                return 0;
        }
        if ((order = store_report_order(r, last_seq)) == STORE_SEQ_AHEAD) {
                r->result = order;
                r->newest_seq = last_seq;
                return 0;
        }
        snprintf(last, sizeof(last), "%lld", last_seq);

        p[0] = r->agent_id;
        p[1] = r->report_id;
        p[2] = seq;
        p[3] = collected;
        p[4] = t;
        p[5] = r->encoding;
        p[6] = r->body;
        lengths[6] = (int)r->body_len;
        formats[6] = 1;
        res = run(s,
                  "INSERT INTO reports (agent_id, report_id, seq, collected_at, received_at,"
                  " encoding, body) VALUES ($1, $2, $3::bigint, $4::bigint, $5::bigint, $6, $7)"
                  " ON CONFLICT (agent_id, report_id) DO NOTHING",
                  7, p, lengths, formats);
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
                PQclear(res);
                return -EIO;
        }
        rc = strcmp(PQcmdTuples(res), "0") == 0;
        PQclear(res);
        if (rc) {
                r->result = STORE_DUPLICATE;
                return 0;
        }
        r->result = order;
        r->newest_seq = r->seq > last_seq ? r->seq : last_seq;

        if (store_machine_differs(machine, r->machine)) {
                char summary[160];

                store_duplicate_summary(r, summary, sizeof(summary));
                if ((rc = alert_upsert(s, r->agent_id, finess, "agent.duplicate", r->machine,
                                       "high", summary, t, last)) < 0)
                        return rc;
                p[0] = r->agent_id;
                p[1] = t;
                return command(s, "UPDATE agents SET last_seen = $2::bigint WHERE id = $1", 2, p);
        }
        rules = rules_of(user, finess);
        if (r->seq > last_seq) {
                /* ms->checks holds the state before: merged in place. */
                store_machine_update(ms->checks, r, rules, ms);
                if ((rc = apply_findings(s, r, finess, rules->threshold, t, seq)) < 0 ||
                    (rc = note_backup_jobs(s, r, finess, t)) < 0)
                        return rc;
        } else if ((rc = resolve_silent(s, r->agent_id, t)) < 0) {
                return rc;
        }
        p[0] = r->agent_id;
        p[1] = t;
        p[2] = r->seq > last_seq ? seq : last;
        p[3] = r->hostname ? r->hostname : "";
        p[4] = interval;
        p[5] = r->machine ? r->machine : "";
        p[6] = p[7] = p[8] = p[9] = NULL; /* an older report changes no state */
        if (r->seq > last_seq) {
                snprintf(score, sizeof(score), "%d", ms->score);
                snprintf(equipment, sizeof(equipment), "%u", ms->equipment);
                p[6] = ms->checks;
                p[7] = score;
                p[8] = equipment;
                p[9] = ms->os_supported < 0 ? NULL : ms->os_supported ? "1" : "0";
        }
        return command(s,
                       "UPDATE agents SET last_seen = $2::bigint, last_seq = $3::bigint,"
                       " hostname = $4, report_interval = $5::bigint,"
                       " machine = coalesce(machine, nullif($6, '')),"
                       " checks = coalesce($7, checks), score = coalesce($8::bigint, score),"
                       " equipment = coalesce($9::bigint, equipment),"
                       " os_supported = CASE WHEN $7 IS NULL THEN os_supported"
                       " ELSE $10::bigint END WHERE id = $1",
                       10, p);
}

static int pg_reports_put(struct store *base, struct store_report *v, size_t n, time_t now,
                          store_rules_fn *rules, void *user, struct error *e)
{
        struct store_pg *s = (struct store_pg *)base;
        int rc;

        if ((rc = store_scratch_ready(&s->scratch)) < 0)
                return rc;
        if ((rc = exec(s, "BEGIN", e)) < 0)
                return rc;
        for (size_t i = 0; i < n; i++) {
                if ((rc = put_one(s, &v[i], now, rules, user)) < 0) {
                        if (rc == -EIO)
                                fail(s, e, "storing a report");
                        else
                                error_set(e, "postgresql", 0, "storing a report: %s",
                                          strerror(-rc));
                        goto rollback;
                }
        }
        return exec(s, "COMMIT", e);
rollback:
        PQclear(PQexec(s->conn, "ROLLBACK"));
        return rc;
}

static int pg_sweep_silent(struct store *base, time_t now, struct error *e)
{
        struct store_pg *s = (struct store_pg *)base;
        char t[24];
        const char *p[] = { t };
        PGresult *r;
        int rc;

        snprintf(t, sizeof(t), "%lld", (long long)now);
        r = query(s,
                  "INSERT INTO alerts (agent_id, finess, check_id, subject, severity, summary,"
                  " status, opened_at, last_seen, last_seq)"
                  " SELECT id, finess, 'agent.silent', '', 'high', 'no report for '"
                  "   || (($1::bigint - coalesce(last_seen, enrolled_at)) / 3600) || ' h (expected"
                  " every ' || (report_interval / 60) || ' min)', 'open', $1::bigint, $1::bigint,"
                  "   last_seq"
                  " FROM agents WHERE revoked_at IS NULL"
                  "   AND coalesce(last_seen, enrolled_at) < $1::bigint - 3 * report_interval"
                  " ON CONFLICT (agent_id, check_id, subject) WHERE status <> 'resolved'"
                  " DO NOTHING",
                  1, p);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
                PQclear(r);
                return fail(s, e, "looking for silent agents");
        }
        rc = atoi(PQcmdTuples(r));
        PQclear(r);
        return rc;
}

static int pg_policy_set(struct store *base, const char *finess, const char *text, long *revision,
                         struct error *e)
{
        struct store_pg *s = (struct store_pg *)base;
        const char *p[] = { finess, text };
        PGresult *r = query(s,
                            "INSERT INTO policies (finess, revision, text) VALUES ($1, 1, $2)"
                            " ON CONFLICT (finess) DO UPDATE SET text = excluded.text,"
                            " revision = policies.revision + 1, updated_at = now()"
                            " RETURNING revision",
                            2, p);
        int rc = 0;

        if (PQresultStatus(r) != PGRES_TUPLES_OK)
                rc = fail(s, e, "setting a policy");
        else
                *revision = atol(PQgetvalue(r, 0, 0));
        PQclear(r);
        return rc;
}

static void pg_close(struct store *base)
{
        struct store_pg *s = (struct store_pg *)base;

        PQfinish(s->conn);
        store_scratch_free(&s->scratch);
        free(s);
}

static int pg_rows(struct store *base, const char *sql, int nparams, const char *const *params,
                   store_row_fn *fn, void *user, struct error *e)
{
        struct store_pg *s = (struct store_pg *)base;
        PGresult *r = query(s, sql, nparams, params);
        const char *values[64];
        int rc = 0, ncols = PQnfields(r);

        if (PQresultStatus(r) != PGRES_TUPLES_OK && PQresultStatus(r) != PGRES_COMMAND_OK) {
                PQclear(r);
                return fail(s, e, "running a query");
        }
        if (ncols > 64)
                ncols = 64;
        for (int i = 0; rc == 0 && fn && i < PQntuples(r); i++) {
                for (int j = 0; j < ncols; j++)
                        values[j] = PQgetisnull(r, i, j) ? NULL : PQgetvalue(r, i, j);
                rc = fn(user, ncols, values);
        }
        PQclear(r);
        return rc;
}

static int pg_tx(struct store *base, store_tx_fn *fn, void *user, struct error *e)
{
        struct store_pg *s = (struct store_pg *)base;
        int rc;

        if ((rc = exec(s, "BEGIN", e)) < 0)
                return rc;
        if ((rc = fn(base, user, e)) < 0) {
                PQclear(PQexec(s->conn, "ROLLBACK"));
                return rc;
        }
        return exec(s, "COMMIT", e) < 0 ? -EIO : rc;
}

static const struct store_ops pg_ops = {
        .rows = pg_rows,
        .tx = pg_tx,
        .establishment_add = pg_establishment_add,
        .establishment_list = store_establishment_list,
        .token_add = pg_token_add,
        .token_consume = pg_token_consume,
        .agent_add = pg_agent_add,
        .agent_get = store_agent_get,
        .agent_revoke = pg_agent_revoke,
        .reports_put = pg_reports_put,
        .sweep_silent = pg_sweep_silent,
        .alert_counts = store_alert_counts,
        .alert_list = store_alert_list,
        .agent_list = store_agent_list,
        .policy_get = store_policy_get,
        .policy_set = pg_policy_set,
        .establishment_get = store_establishment_get,
        .user_add = pg_user_add,
        .user_get = store_user_get,
        .user_list = store_user_list,
        .user_disable = pg_user_disable,
        .user_login_result = store_user_login_result,
        .session_add = store_session_add,
        .session_get = store_session_get,
        .session_delete = store_session_delete,
        .audit_add = store_audit_add,
        .alert_acknowledge = store_alert_acknowledge,
        .api_token_add = pg_api_token_add,
        .api_token_check = store_api_token_check,
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
