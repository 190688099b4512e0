/* store_sqlite.c - the embedded store: SQLite in WAL mode, fully synchronous,
 * with its schema brought up to date by numbered migrations on open. */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "checks.h"
#include "store.h"

/* Migration N brings the schema from version N to N + 1. Never edit one that
 * has shipped: add the next. */
static const char *const migrations[] = {
        "CREATE TABLE establishments ("
        "  finess TEXT PRIMARY KEY,"
        "  name TEXT NOT NULL,"
        "  region TEXT NOT NULL,"
        "  department TEXT NOT NULL,"
        "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')));"
        "CREATE INDEX establishments_region ON establishments (region, department);",

        "CREATE TABLE enrollment_tokens ("
        "  hash TEXT PRIMARY KEY,"
        "  finess TEXT NOT NULL REFERENCES establishments (finess),"
        "  uses_left INTEGER NOT NULL CHECK (uses_left >= 0),"
        "  expires_at INTEGER NOT NULL,"
        "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')));"
        "CREATE TABLE api_tokens ("
        "  hash TEXT PRIMARY KEY,"
        "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')));",

        "CREATE TABLE agents ("
        "  id TEXT PRIMARY KEY,"
        "  finess TEXT NOT NULL REFERENCES establishments (finess),"
        "  hostname TEXT NOT NULL,"
        "  enrolled_at INTEGER NOT NULL,"
        "  revoked_at INTEGER);"
        "CREATE INDEX agents_finess ON agents (finess);",

        /* Times are Unix seconds; machine is a digest of the machine's own
         * identifiers, never the identifiers themselves. */
        "ALTER TABLE agents ADD COLUMN machine TEXT;"
        "ALTER TABLE agents ADD COLUMN last_seen INTEGER;"
        "ALTER TABLE agents ADD COLUMN last_seq INTEGER NOT NULL DEFAULT -1;"
        "ALTER TABLE agents ADD COLUMN report_interval INTEGER NOT NULL DEFAULT 3600;"
        "CREATE TABLE reports ("
        "  agent_id TEXT NOT NULL REFERENCES agents (id),"
        "  report_id TEXT NOT NULL,"
        "  seq INTEGER NOT NULL,"
        "  collected_at INTEGER NOT NULL,"
        "  received_at INTEGER NOT NULL,"
        "  encoding TEXT NOT NULL,"
        "  body BLOB NOT NULL);"
        "CREATE UNIQUE INDEX reports_id ON reports (agent_id, report_id);"
        "CREATE INDEX reports_time ON reports (agent_id, collected_at);"
        "CREATE TABLE alerts ("
        "  id INTEGER PRIMARY KEY,"
        "  agent_id TEXT NOT NULL REFERENCES agents (id),"
        "  check_id TEXT NOT NULL,"
        "  subject TEXT NOT NULL,"
        "  severity TEXT NOT NULL,"
        "  summary TEXT NOT NULL,"
        "  status TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),"
        "  opened_at INTEGER NOT NULL,"
        "  acknowledged_at INTEGER,"
        "  resolved_at INTEGER,"
        "  last_seen INTEGER NOT NULL,"
        "  last_seq INTEGER NOT NULL);"
        "CREATE UNIQUE INDEX alerts_live ON alerts (agent_id, check_id, subject)"
        "  WHERE status <> 'resolved';"
        "CREATE INDEX alerts_status ON alerts (status, severity);"
        "CREATE TABLE policies ("
        "  finess TEXT PRIMARY KEY,"
        "  revision INTEGER NOT NULL,"
        "  text TEXT NOT NULL,"
        "  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')));",

        "CREATE TABLE users ("
        "  id INTEGER PRIMARY KEY,"
        "  login TEXT NOT NULL UNIQUE,"
        "  role TEXT NOT NULL CHECK (role IN ('admin', 'regional', 'establishment', 'funder')),"
        "  region TEXT NOT NULL DEFAULT '',"
        "  finess TEXT REFERENCES establishments (finess),"
        "  hash TEXT NOT NULL,"
        "  created_at INTEGER NOT NULL,"
        "  disabled_at INTEGER,"
        "  failures INTEGER NOT NULL DEFAULT 0,"
        "  last_failure INTEGER NOT NULL DEFAULT 0);"
        "CREATE TABLE sessions ("
        "  hash TEXT PRIMARY KEY,"
        "  user_id INTEGER NOT NULL REFERENCES users (id),"
        "  csrf TEXT NOT NULL,"
        "  created_at INTEGER NOT NULL,"
        "  expires_at INTEGER NOT NULL);"
        "CREATE INDEX sessions_user ON sessions (user_id);"
        "CREATE TABLE audit_log ("
        "  id INTEGER PRIMARY KEY,"
        "  at INTEGER NOT NULL,"
        "  actor TEXT NOT NULL,"
        "  action TEXT NOT NULL,"
        "  target TEXT NOT NULL,"
        "  detail TEXT NOT NULL);",

        /* Scores and equipment per machine, kept daily; what establishments
         * record (exercises, awareness actions, restore tests); alerts that
         * belong to an establishment rather than a machine (agent_id NULL);
         * the alert events notifications are sent from. */
        "ALTER TABLE agents ADD COLUMN checks TEXT NOT NULL DEFAULT '';"
        "ALTER TABLE agents ADD COLUMN score INTEGER;"
        "ALTER TABLE agents ADD COLUMN equipment INTEGER NOT NULL DEFAULT 0;"
        "ALTER TABLE agents ADD COLUMN os_supported INTEGER;"
        "ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';"
        "CREATE TABLE alerts6 ("
        "  id INTEGER PRIMARY KEY,"
        "  agent_id TEXT REFERENCES agents (id),"
        "  finess TEXT NOT NULL REFERENCES establishments (finess),"
        "  check_id TEXT NOT NULL,"
        "  subject TEXT NOT NULL,"
        "  severity TEXT NOT NULL,"
        "  summary TEXT NOT NULL,"
        "  status TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),"
        "  opened_at INTEGER NOT NULL,"
        "  acknowledged_at INTEGER,"
        "  resolved_at INTEGER,"
        "  last_seen INTEGER NOT NULL,"
        "  last_seq INTEGER NOT NULL);"
        "INSERT INTO alerts6 SELECT al.id, al.agent_id, ag.finess, al.check_id, al.subject,"
        "  al.severity, al.summary, al.status, al.opened_at, al.acknowledged_at, al.resolved_at,"
        "  al.last_seen, al.last_seq FROM alerts al JOIN agents ag ON ag.id = al.agent_id;"
        "DROP TABLE alerts;"
        "ALTER TABLE alerts6 RENAME TO alerts;"
        "CREATE UNIQUE INDEX alerts_live ON alerts (agent_id, check_id, subject)"
        "  WHERE status <> 'resolved';"
        "CREATE UNIQUE INDEX alerts_site_live ON alerts (finess, check_id, subject)"
        "  WHERE agent_id IS NULL AND status <> 'resolved';"
        "CREATE INDEX alerts_status ON alerts (status, severity);"
        "CREATE INDEX alerts_finess ON alerts (finess, status);"
        "CREATE TABLE alert_events ("
        "  id INTEGER PRIMARY KEY,"
        "  alert_id INTEGER NOT NULL,"
        "  at INTEGER NOT NULL,"
        "  kind TEXT NOT NULL CHECK (kind IN ('opened', 'resolved')));"
        "CREATE TRIGGER alerts_opened AFTER INSERT ON alerts BEGIN"
        "  INSERT INTO alert_events (alert_id, at, kind) VALUES (new.id, new.opened_at, 'opened');"
        "  END;"
        "CREATE TRIGGER alerts_resolved AFTER UPDATE OF status ON alerts"
        "  WHEN new.status = 'resolved' AND old.status <> 'resolved' BEGIN"
        "  INSERT INTO alert_events (alert_id, at, kind)"
        "  VALUES (new.id, coalesce(new.resolved_at, 0), 'resolved');"
        "  END;"
        "CREATE TABLE machine_days ("
        "  agent_id TEXT NOT NULL REFERENCES agents (id),"
        "  day INTEGER NOT NULL,"
        "  score INTEGER NOT NULL,"
        "  PRIMARY KEY (agent_id, day)) WITHOUT ROWID;"
        "CREATE TABLE establishment_days ("
        "  finess TEXT NOT NULL REFERENCES establishments (finess),"
        "  day INTEGER NOT NULL,"
        "  score INTEGER NOT NULL,"
        "  machines INTEGER NOT NULL,"
        "  PRIMARY KEY (finess, day)) WITHOUT ROWID;"
        "CREATE TABLE records ("
        "  id INTEGER PRIMARY KEY,"
        "  finess TEXT NOT NULL REFERENCES establishments (finess),"
        "  kind TEXT NOT NULL CHECK (kind IN ('exercise', 'awareness', 'restore_test')),"
        "  day INTEGER NOT NULL,"
        "  title TEXT NOT NULL,"
        "  people INTEGER NOT NULL DEFAULT 0,"
        "  result TEXT NOT NULL DEFAULT '',"
        "  notes TEXT NOT NULL DEFAULT '',"
        "  created_by TEXT NOT NULL,"
        "  created_at INTEGER NOT NULL);"
        "CREATE INDEX records_finess ON records (finess, kind, day);"
        "CREATE TABLE backup_jobs ("
        "  finess TEXT NOT NULL REFERENCES establishments (finess),"
        "  job TEXT NOT NULL,"
        "  last_seen INTEGER NOT NULL,"
        "  PRIMARY KEY (finess, job)) WITHOUT ROWID;"
        "CREATE TABLE notify_state ("
        "  name TEXT PRIMARY KEY,"
        "  cursor INTEGER NOT NULL DEFAULT 0,"
        "  attempts INTEGER NOT NULL DEFAULT 0,"
        "  next_at INTEGER NOT NULL DEFAULT 0);",

        /* A machine's page reads its reports newest first by seq, the order
         * its state follows, not by the time its clock gave. */
        "DROP INDEX reports_time; CREATE INDEX reports_seq ON reports (agent_id, seq);",

        /* Login tries, per login and per address (throttle.c). */
        "CREATE TABLE login_throttle ("
        "  key TEXT PRIMARY KEY,"
        "  failures INTEGER NOT NULL,"
        "  blocked_until INTEGER NOT NULL,"
        "  last_try INTEGER NOT NULL);",
};

/* Statements used on every report, prepared once. */
enum {
        ST_AGENT,
        ST_REPORT,
        ST_ALERT_UPSERT,
        ST_SILENT_RESOLVE,
        ST_AGENT_SEEN,
        ST_AGENT_APPLIED,
        ST_LIVE,
        ST_ALERT_UPDATE,
        ST_ALERT_RESOLVE_ONE,
        ST_BACKUP_JOB,
        ST_COUNT
};

static const char *const statements[ST_COUNT] = {
        [ST_AGENT] = "SELECT finess, coalesce(revoked_at, 0), coalesce(machine, ''), last_seq,"
                     " checks FROM agents WHERE id = ?",
        [ST_REPORT] = "INSERT INTO reports (agent_id, report_id, seq, collected_at, received_at,"
                      " encoding, body) VALUES (?, ?, ?, ?, ?, ?, ?)"
                      " ON CONFLICT (agent_id, report_id) DO NOTHING",
        [ST_ALERT_UPSERT] =
            "INSERT INTO alerts (agent_id, check_id, subject, severity, summary, status,"
            " opened_at, last_seen, last_seq, finess)"
            " VALUES (?1, ?2, ?3, ?4, ?5, 'open', ?6, ?6, ?7, ?8)"
            " ON CONFLICT (agent_id, check_id, subject) WHERE status <> 'resolved'"
            " DO UPDATE SET severity = excluded.severity, summary = excluded.summary,"
            " last_seen = excluded.last_seen, last_seq = excluded.last_seq",
        [ST_SILENT_RESOLVE] = "UPDATE alerts SET status = 'resolved', resolved_at = ?1"
                              " WHERE agent_id = ?2 AND status <> 'resolved'"
                              " AND check_id = 'agent.silent'",
        [ST_AGENT_SEEN] = "UPDATE agents SET last_seen = ?2 WHERE id = ?1",
        [ST_LIVE] = "SELECT id, check_id, subject, severity, summary FROM alerts"
                    " WHERE agent_id = ? AND status <> 'resolved' LIMIT 1024",
        [ST_ALERT_UPDATE] = "UPDATE alerts SET severity = ?2, summary = ?3, last_seen = ?4,"
                            " last_seq = ?5 WHERE id = ?1",
        [ST_ALERT_RESOLVE_ONE] = "UPDATE alerts SET status = 'resolved', resolved_at = ?2"
                                 " WHERE id = ?1",
        [ST_AGENT_APPLIED] = "UPDATE agents SET last_seen = ?2, last_seq = ?3, hostname = ?4,"
                             " report_interval = ?5, machine = coalesce(machine, nullif(?6, '')),"
                             " checks = coalesce(?7, checks), score = coalesce(?8, score),"
                             " equipment = coalesce(?9, equipment),"
                             " os_supported = CASE WHEN ?7 IS NULL THEN os_supported ELSE ?10 END"
                             " WHERE id = ?1",
        [ST_BACKUP_JOB] = "INSERT INTO backup_jobs (finess, job, last_seen) VALUES (?1, ?2, ?3)"
                          " ON CONFLICT (finess, job) DO UPDATE SET last_seen = excluded.last_seen"
                          " WHERE backup_jobs.last_seen < excluded.last_seen - 3600",
};

#define CACHED_STATEMENTS 64 /* shared queries kept prepared */

struct store_sqlite {
        struct store base;
        sqlite3 *db;
        sqlite3_stmt *st[ST_COUNT];
        struct store_scratch scratch; /* for reports_put */
        struct machine_state machine; /* for reports_put */
        struct cached {
                const char *sql;
                sqlite3_stmt *st;
        } cache[CACHED_STATEMENTS];
        char path[4096];
};

static int fail(struct store_sqlite *s, struct error *e, const char *what)
{
        error_set(e, s->path, 0, "%s: %s", what, sqlite3_errmsg(s->db));
        return -EIO;
}

static int exec(struct store_sqlite *s, const char *sql, struct error *e)
{
        return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : fail(s, e, sql);
}

static int migrate(struct store_sqlite *s, struct error *e)
{
        const int latest = (int)(sizeof(migrations) / sizeof(migrations[0]));
        sqlite3_stmt *st;
        int version = 0, rc;

        rc = exec(s,
                  "CREATE TABLE IF NOT EXISTS schema_migrations ("
                  " version INTEGER PRIMARY KEY,"
                  " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))",
                  e);
        if (rc < 0)
                return rc;
        if (sqlite3_prepare_v2(s->db, "SELECT coalesce(max(version), 0) FROM schema_migrations", -1,
                               &st, NULL) != SQLITE_OK)
                return fail(s, e, "reading the schema version");
        if (sqlite3_step(st) == SQLITE_ROW)
                version = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
        if (version > latest) {
                error_set(e, s->path, 0,
                          "the database schema (version %d) is newer than this hygie-server "
                          "knows (%d): upgrade hygie-server",
                          version, latest);
                return -EPROTO;
        }
        for (; version < latest; version++) {
                char mark[96];

                snprintf(mark, sizeof(mark), "INSERT INTO schema_migrations (version) VALUES (%d)",
                         version + 1);
                if ((rc = exec(s, "BEGIN IMMEDIATE", e)) < 0)
                        return rc;
                if ((rc = exec(s, migrations[version], e)) < 0 || (rc = exec(s, mark, e)) < 0 ||
                    (rc = exec(s, "COMMIT", e)) < 0) {
                        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
                        return rc;
                }
        }
        s->base.schema_version = latest;
        return 0;
}

static int sqlite_establishment_add(struct store *base, const struct establishment *est,
                                    struct error *e)
{
        struct store_sqlite *s = (struct store_sqlite *)base;
        sqlite3_stmt *st;
        int rc;

        if (sqlite3_prepare_v2(s->db,
                               "INSERT INTO establishments (finess, name, region, department)"
                               " VALUES (?, ?, ?, ?)",
                               -1, &st, NULL) != SQLITE_OK)
                return fail(s, e, "adding an establishment");
        sqlite3_bind_text(st, 1, est->finess, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, est->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, est->region, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, est->department, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc == SQLITE_CONSTRAINT) {
                error_set(e, "", 0, "establishment %s is already registered", est->finess);
                return -EEXIST;
        }
        return rc == SQLITE_DONE ? 0 : fail(s, e, "adding an establishment");
}

static void column(sqlite3_stmt *st, int i, char *buf, size_t size)
{
        const unsigned char *t = sqlite3_column_text(st, i);

        snprintf(buf, size, "%s", t ? (const char *)t : "");
}

static void text(sqlite3_stmt *st, int i, const char *v)
{
        sqlite3_bind_text(st, i, v ? v : "", -1, SQLITE_STATIC);
}

/* Binds the filter's fields as ?1..?6 (NULL when not filtering) and ?7 the
 * limit; the statements test "?N IS NULL OR column = ?N". */
static int sqlite_token_add(struct store *base, const char *finess, const char *hash, long uses,
                            time_t expires, struct error *e)
{
        struct store_sqlite *s = (struct store_sqlite *)base;
        sqlite3_stmt *st;
        int rc;

        if (sqlite3_prepare_v2(s->db,
                               "INSERT INTO enrollment_tokens (hash, finess, uses_left, expires_at)"
                               " SELECT ?, finess, ?, ? FROM establishments WHERE finess = ?",
                               -1, &st, NULL) != SQLITE_OK)
                return fail(s, e, "adding a token");
        sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, uses);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)expires);
        sqlite3_bind_text(st, 4, finess, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return fail(s, e, "adding a token");
        if (sqlite3_changes(s->db) == 0) {
                error_set(e, "", 0, "no establishment %s: add it first", finess);
                return -ENOENT;
        }
        return 0;
}

static int sqlite_token_consume(struct store *base, const char *hash, time_t now, char *finess,
                                struct error *e)
{
        struct store_sqlite *s = (struct store_sqlite *)base;
        sqlite3_stmt *st;
        int rc;

        /* One statement spends a use only when the token is valid. */
        if (sqlite3_prepare_v2(s->db,
                               "UPDATE enrollment_tokens SET uses_left = uses_left - 1"
                               " WHERE hash = ?1 AND uses_left > 0 AND expires_at > ?2"
                               " RETURNING finess",
                               -1, &st, NULL) != SQLITE_OK)
                return fail(s, e, "spending a token");
        sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                column(st, 0, finess, 10);
        while (rc == SQLITE_ROW)
                rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return fail(s, e, "spending a token");
        if (sqlite3_changes(s->db) == 1)
                return 0;
        /* Say why it was refused. */
        if (sqlite3_prepare_v2(s->db,
                               "SELECT uses_left, expires_at FROM enrollment_tokens WHERE hash = ?",
                               -1, &st, NULL) != SQLITE_OK)
                return fail(s, e, "reading a token");
        sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc != SQLITE_ROW) {
                sqlite3_finalize(st);
                error_set(e, "", 0, "unknown enrollment token");
                return -ENOENT;
        }
        rc = sqlite3_column_int64(st, 1) <= (sqlite3_int64)now ? -EKEYEXPIRED : -EDQUOT;
        sqlite3_finalize(st);
        error_set(e, "", 0,
                  rc == -EKEYEXPIRED ? "the enrollment token has expired"
                                     : "the enrollment token has been used up");
        return rc;
}

static int sqlite_agent_add(struct store *base, const struct agent *a, struct error *e)
{
        struct store_sqlite *s = (struct store_sqlite *)base;
        sqlite3_stmt *st;
        int rc;

        if (sqlite3_prepare_v2(s->db,
                               "INSERT INTO agents (id, finess, hostname, enrolled_at, machine)"
                               " VALUES (?, ?, ?, ?, nullif(?, ''))",
                               -1, &st, NULL) != SQLITE_OK)
                return fail(s, e, "adding an agent");
        sqlite3_bind_text(st, 1, a->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, a->finess, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, a->hostname, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, a->enrolled_at);
        sqlite3_bind_text(st, 5, a->machine, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc == SQLITE_CONSTRAINT) {
                error_set(e, "", 0, "agent %s is already enrolled", a->id);
                return -EEXIST;
        }
        return rc == SQLITE_DONE ? 0 : fail(s, e, "adding an agent");
}

static int sqlite_agent_revoke(struct store *base, const char *id, time_t now, struct error *e)
{
        struct store_sqlite *s = (struct store_sqlite *)base;
        struct agent a;
        sqlite3_stmt *st;
        int rc;

        if (sqlite3_prepare_v2(
                s->db, "UPDATE agents SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?", -1,
                &st, NULL) != SQLITE_OK)
                return fail(s, e, "revoking an agent");
        sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
        sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return fail(s, e, "revoking an agent");
        return sqlite3_changes(s->db) == 1 ? 0 : store_agent_get(base, id, &a, e);
}

static int sqlite_api_token_add(struct store *base, const char *hash, struct error *e)
{
        struct store_sqlite *s = (struct store_sqlite *)base;
        sqlite3_stmt *st;
        int rc;

        if (sqlite3_prepare_v2(s->db, "INSERT INTO api_tokens (hash) VALUES (?)", -1, &st, NULL) !=
            SQLITE_OK)
                return fail(s, e, "adding an API token");
        sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        return rc == SQLITE_DONE ? 0 : fail(s, e, "adding an API token");
}

/* Users, sessions, audit. */

/* Runs a statement of no rows and finalizes it; 0 or fail(what). */
static int run_once(struct store_sqlite *s, sqlite3_stmt *st, const char *what, struct error *e)
{
        int rc = sqlite3_step(st);

        sqlite3_finalize(st);
        return rc == SQLITE_DONE ? 0 : fail(s, e, what);
}

static int sqlite_user_add(struct store *base, const struct user *u, struct error *e)
{
        struct store_sqlite *s = (struct store_sqlite *)base;
        sqlite3_stmt *st;
        int rc;

        if (sqlite3_prepare_v2(s->db,
                               "INSERT INTO users (login, role, region, finess, hash, created_at,"
                               " email) VALUES (?, ?, ?, ?, ?, ?, ?)",
                               -1, &st, NULL) != SQLITE_OK)
                return fail(s, e, "adding a user");
        text(st, 1, u->login);
        text(st, 2, role_name(u->role));
        text(st, 3, u->region);
        if (*u->finess)
                text(st, 4, u->finess);
        text(st, 5, u->hash);
        sqlite3_bind_int64(st, 6, u->created_at);
        text(st, 7, u->email);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc == SQLITE_DONE)
                return 0;
        if (sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_UNIQUE) {
                error_set(e, "", 0, "login %s is taken", u->login);
                return -EEXIST;
        }
        if (sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_FOREIGNKEY) {
                error_set(e, "", 0, "no establishment %s", u->finess);
                return -ENOENT;
        }
        return fail(s, e, "adding a user");
}

static int sqlite_user_disable(struct store *base, const char *login, time_t now, struct error *e)
{
        struct store_sqlite *s = (struct store_sqlite *)base;
        sqlite3_stmt *st;
        int rc;

        if ((rc = exec(s, "BEGIN IMMEDIATE", e)) < 0)
                return rc;
        if (sqlite3_prepare_v2(s->db,
                               "UPDATE users SET disabled_at = coalesce(disabled_at, ?)"
                               " WHERE login = ?",
                               -1, &st, NULL) != SQLITE_OK) {
                rc = fail(s, e, "disabling a user");
                goto out;
        }
        sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
        text(st, 2, login);
        if ((rc = run_once(s, st, "disabling a user", e)) < 0)
                goto out;
        if (sqlite3_changes(s->db) == 0) {
                error_set(e, "", 0, "no user %s", login);
                rc = -ENOENT;
                goto out;
        }
        if (sqlite3_prepare_v2(s->db,
                               "DELETE FROM sessions WHERE user_id ="
                               " (SELECT id FROM users WHERE login = ?)",
                               -1, &st, NULL) != SQLITE_OK) {
                rc = fail(s, e, "ending sessions");
                goto out;
        }
        text(st, 1, login);
        rc = run_once(s, st, "ending sessions", e);
out:
        if (rc < 0) {
                sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
                return rc;
        }
        return exec(s, "COMMIT", e);
}

/* A statement of the table above, prepared on first use and reset. */
static sqlite3_stmt *prepared(struct store_sqlite *s, int id)
{
        if (!s->st[id] && sqlite3_prepare_v3(s->db, statements[id], -1, SQLITE_PREPARE_PERSISTENT,
                                             &s->st[id], NULL) != SQLITE_OK)
                return NULL;
        sqlite3_reset(s->st[id]);
        sqlite3_clear_bindings(s->st[id]);
        return s->st[id];
}

static int step_done(sqlite3_stmt *st)
{
        int rc = sqlite3_step(st);

        while (rc == SQLITE_ROW)
                rc = sqlite3_step(st);
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? 0 : -EIO;
}

static int alert_upsert(struct store_sqlite *s, const char *agent, const char *finess,
                        const char *check, const char *subject, const char *severity,
                        const char *summary, time_t now, long long seq)
{
        sqlite3_stmt *st = prepared(s, ST_ALERT_UPSERT);

        if (!st)
                return -EIO;
        text(st, 1, agent);
        text(st, 2, check);
        text(st, 3, subject);
        text(st, 4, severity);
        text(st, 5, summary);
        sqlite3_bind_int64(st, 6, (sqlite3_int64)now);
        sqlite3_bind_int64(st, 7, seq);
        text(st, 8, finess);
        return step_done(st);
}

/* Any report, even an older one, says the agent is alive. */
static int resolve_silent(struct store_sqlite *s, const char *agent, time_t now)
{
        sqlite3_stmt *st = prepared(s, ST_SILENT_RESOLVE);

        if (!st)
                return -EIO;
        sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
        text(st, 2, agent);
        return step_done(st);
}

/* Brings the agent's alerts up to one report: its live alerts read once,
 * then only what changed written. */
static int apply_findings(struct store_sqlite *s, const struct store_report *r, const char *finess,
                          int threshold, time_t now)
{
        sqlite3_stmt *st = prepared(s, ST_LIVE);
        size_t nlive = 0, nsteps;
        int rc;

        if (!st)
                return -EIO;
        if (r->nfindings > INTAKE_FINDINGS_LIMIT)
                return -E2BIG;
        text(st, 1, r->agent_id);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW && nlive < STORE_LIVE_MAX) {
                struct store_live *l = &s->scratch.live[nlive++];

                l->id = sqlite3_column_int64(st, 0);
                column(st, 1, l->check, sizeof(l->check));
                column(st, 2, l->subject, sizeof(l->subject));
                column(st, 3, l->severity, sizeof(l->severity));
                column(st, 4, l->summary, sizeof(l->summary));
        }
        sqlite3_reset(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                return -EIO;
        nsteps = store_plan_alerts(r, threshold, s->scratch.live, nlive, s->scratch.steps);
        for (size_t i = 0; i < nsteps; i++) {
                const struct store_step *p = &s->scratch.steps[i];

                if (p->act == STORE_INSERT) {
                        /* The upsert, as on PostgreSQL: no live alert is
                         * there, so it inserts. */
                        if (!(st = prepared(s, ST_ALERT_UPSERT)))
                                return -EIO;
                        text(st, 1, r->agent_id);
                        text(st, 2, p->f->check);
                        text(st, 3, p->f->subject);
                        text(st, 4, severity_name(p->f->severity));
                        text(st, 5, p->f->summary);
                        sqlite3_bind_int64(st, 6, (sqlite3_int64)now);
                        sqlite3_bind_int64(st, 7, r->seq);
                        text(st, 8, finess);
                } else if (p->act == STORE_UPDATE) {
                        if (!(st = prepared(s, ST_ALERT_UPDATE)))
                                return -EIO;
                        sqlite3_bind_int64(st, 1, p->id);
                        text(st, 2, severity_name(p->f->severity));
                        text(st, 3, p->f->summary);
                        sqlite3_bind_int64(st, 4, (sqlite3_int64)now);
                        sqlite3_bind_int64(st, 5, r->seq);
                } else {
                        if (!(st = prepared(s, ST_ALERT_RESOLVE_ONE)))
                                return -EIO;
                        sqlite3_bind_int64(st, 1, p->id);
                        sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
                }
                if ((rc = step_done(st)) < 0)
                        return rc;
        }
        return 0;
}

/* The backup jobs a report names, for establishment.restore_tested. */
static int note_backup_jobs(struct store_sqlite *s, const struct store_report *r,
                            const char *finess, time_t now)
{
        for (size_t i = 0; i < r->nfindings; i++) {
                const struct store_finding *f = &r->findings[i];
                sqlite3_stmt *st;
                int rc;

                if (strcmp(f->check, "backup.recent") != 0 || !*f->subject)
                        continue;
                if (!(st = prepared(s, ST_BACKUP_JOB)))
                        return -EIO;
                text(st, 1, finess);
                text(st, 2, f->subject);
                sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
                if ((rc = step_done(st)) < 0)
                        return rc;
        }
        return 0;
}

static int put_one(struct store_sqlite *s, struct store_report *r, time_t now,
                   store_rules_fn *rules_of, void *user)
{
        sqlite3_stmt *st = prepared(s, ST_AGENT);
        struct machine_state *ms = &s->machine;
        const struct store_rules *rules;
        char finess[10], machine[65];
        long long last_seq;
        int rc, revoked, order;

        if (!st)
                return -EIO;
        text(st, 1, r->agent_id);
        rc = sqlite3_step(st);
        if (rc != SQLITE_ROW) {
                sqlite3_reset(st);
                if (rc != SQLITE_DONE)
                        return -EIO;
                r->result = -ENOENT;
                return 0;
        }
        column(st, 0, finess, sizeof(finess));
        revoked = sqlite3_column_int64(st, 1) != 0;
        column(st, 2, machine, sizeof(machine));
        last_seq = sqlite3_column_int64(st, 3);
        column(st, 4, ms->checks, sizeof(ms->checks));
        sqlite3_reset(st);
        if (revoked) {
                r->result = -EKEYREJECTED;
                return 0;
        }
        if ((order = store_report_order(r, last_seq)) == STORE_SEQ_AHEAD) {
                r->result = order;
                r->newest_seq = last_seq;
                return 0;
        }

        if (!(st = prepared(s, ST_REPORT)))
                return -EIO;
        text(st, 1, r->agent_id);
        text(st, 2, r->report_id);
        sqlite3_bind_int64(st, 3, r->seq);
        sqlite3_bind_int64(st, 4, r->collected_at);
        sqlite3_bind_int64(st, 5, (sqlite3_int64)now);
        text(st, 6, r->encoding);
        sqlite3_bind_blob(st, 7, r->body, (int)r->body_len, SQLITE_STATIC);
        if ((rc = step_done(st)) < 0)
                return rc;
        if (sqlite3_changes(s->db) == 0) {
                r->result = STORE_DUPLICATE;
                return 0;
        }
        r->result = order;
        r->newest_seq = r->seq > last_seq ? r->seq : last_seq;

        if (store_machine_differs(machine, r->machine)) {
                char summary[160];

                store_duplicate_summary(r, summary, sizeof(summary));
                rc = alert_upsert(s, r->agent_id, finess, "agent.duplicate", r->machine, "high",
                                  summary, now, last_seq);
                if (rc < 0)
                        return rc;
                if (!(st = prepared(s, ST_AGENT_SEEN)))
                        return -EIO;
                text(st, 1, r->agent_id);
                sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
                return step_done(st);
        }
        rules = rules_of(user, finess);
        if (r->seq > last_seq) {
                /* ms->checks holds the state before: merged in place. */
                store_machine_update(ms->checks, r, rules, ms);
                if ((rc = apply_findings(s, r, finess, rules->threshold, now)) < 0 ||
                    (rc = note_backup_jobs(s, r, finess, now)) < 0)
                        return rc;
        } else if ((rc = resolve_silent(s, r->agent_id, now)) < 0) {
                return rc;
        }
        if (!(st = prepared(s, ST_AGENT_APPLIED)))
                return -EIO;
        text(st, 1, r->agent_id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
        sqlite3_bind_int64(st, 3, r->seq > last_seq ? r->seq : last_seq);
        text(st, 4, r->hostname);
        sqlite3_bind_int64(st, 5, r->interval);
        text(st, 6, r->machine);
        if (r->seq > last_seq) {
                text(st, 7, ms->checks);
                sqlite3_bind_int(st, 8, ms->score);
                sqlite3_bind_int(st, 9, (int)ms->equipment);
                if (ms->os_supported >= 0)
                        sqlite3_bind_int(st, 10, ms->os_supported);
                else
                        sqlite3_bind_null(st, 10);
        } else {
                /* An older report changes nothing: the stored state stays. */
                for (int i = 7; i <= 10; i++)
                        sqlite3_bind_null(st, i);
        }
        return step_done(st);
}

static int sqlite_reports_put(struct store *base, struct store_report *v, size_t n, time_t now,
                              store_rules_fn *rules, void *user, struct error *e)
{
        struct store_sqlite *s = (struct store_sqlite *)base;
        int rc;

        if ((rc = store_scratch_ready(&s->scratch)) < 0)
                return rc;
        if ((rc = exec(s, "BEGIN IMMEDIATE", e)) < 0)
                return rc;
        for (size_t i = 0; i < n; i++) {
                if ((rc = put_one(s, &v[i], now, rules, user)) < 0) {
                        if (rc == -EIO)
                                fail(s, e, "storing a report");
                        else
                                error_set(e, s->path, 0, "storing a report: %s", strerror(-rc));
                        goto rollback;
                }
        }
        return exec(s, "COMMIT", e);
rollback:
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
}

static int sqlite_sweep_silent(struct store *base, time_t now, struct error *e)
{
        struct store_sqlite *s = (struct store_sqlite *)base;
        sqlite3_stmt *st;
        int rc;

        if (sqlite3_prepare_v2(
                s->db,
                "INSERT INTO alerts (agent_id, finess, check_id, subject, severity, summary,"
                " status, opened_at, last_seen, last_seq)"
                " SELECT id, finess, 'agent.silent', '', 'high', 'no report for '"
                "   || ((?1 - coalesce(last_seen, enrolled_at)) / 3600) || ' h (expected every '"
                "   || (report_interval / 60) || ' min)', 'open', ?1, ?1, last_seq"
                " FROM agents WHERE revoked_at IS NULL"
                "   AND coalesce(last_seen, enrolled_at) < ?1 - 3 * report_interval"
                " ON CONFLICT (agent_id, check_id, subject) WHERE status <> 'resolved' DO NOTHING",
                -1, &st, NULL) != SQLITE_OK)
                return fail(s, e, "looking for silent agents");
        sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return fail(s, e, "looking for silent agents");
        return sqlite3_changes(s->db);
}

static int sqlite_policy_set(struct store *base, const char *finess, const char *body,
                             long *revision, struct error *e)
{
        struct store_sqlite *s = (struct store_sqlite *)base;
        sqlite3_stmt *st;
        int rc;

        if (sqlite3_prepare_v2(s->db,
                               "INSERT INTO policies (finess, revision, text) VALUES (?1, 1, ?2)"
                               " ON CONFLICT (finess) DO UPDATE SET text = excluded.text,"
                               " revision = policies.revision + 1,"
                               " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
                               " RETURNING revision",
                               -1, &st, NULL) != SQLITE_OK)
                return fail(s, e, "setting a policy");
        text(st, 1, finess);
        text(st, 2, body);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                *revision = sqlite3_column_int64(st, 0);
        while (rc == SQLITE_ROW)
                rc = sqlite3_step(st);
        sqlite3_finalize(st);
        return rc == SQLITE_DONE ? 0 : fail(s, e, "setting a policy");
}

static void sqlite_close(struct store *base)
{
        struct store_sqlite *s = (struct store_sqlite *)base;

        for (int i = 0; i < ST_COUNT; i++)
                sqlite3_finalize(s->st[i]);
        for (int i = 0; i < CACHED_STATEMENTS; i++)
                sqlite3_finalize(s->cache[i].st);
        store_scratch_free(&s->scratch);

        sqlite3_close(s->db);
        free(s);
}

/* The shared queries: statements kept prepared by their text's address. */

static sqlite3_stmt *cached(struct store_sqlite *s, const char *sql)
{
        struct cached *c = &s->cache[((uintptr_t)sql >> 4) % CACHED_STATEMENTS];

        if (c->sql != sql) {
                sqlite3_finalize(c->st);
                c->st = NULL;
                c->sql = NULL;
                if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &c->st, NULL) !=
                    SQLITE_OK)
                        return NULL;
                c->sql = sql;
        }
        sqlite3_reset(c->st);
        sqlite3_clear_bindings(c->st);
        return c->st;
}

/* A blob as PostgreSQL shows a bytea: "\\x" and hex digits. */
static char *blob_hex(sqlite3_stmt *st, int col)
{
        const unsigned char *b = sqlite3_column_blob(st, col);
        size_t n = (size_t)sqlite3_column_bytes(st, col);
        char *out = malloc(2 * n + 3);

        if (!out)
                return NULL;
        out[0] = '\\';
        out[1] = 'x';
        for (size_t i = 0; i < n; i++) {
                out[2 + 2 * i] = "0123456789abcdef"[b[i] >> 4];
                out[3 + 2 * i] = "0123456789abcdef"[b[i] & 15];
        }
        out[2 + 2 * n] = '\0';
        return out;
}

static int sqlite_rows(struct store *base, const char *sql, int nparams, const char *const *params,
                       store_row_fn *fn, void *user, struct error *e)
{
        struct store_sqlite *s = (struct store_sqlite *)base;
        sqlite3_stmt *st = cached(s, sql);
        const char *values[64];
        int rc = 0, step = SQLITE_DONE, ncols;

        if (!st)
                return fail(s, e, "preparing a query");
        for (int i = 0; i < nparams; i++) {
                char name[16];
                int at;

                snprintf(name, sizeof(name), "$%d", i + 1);
                if ((at = sqlite3_bind_parameter_index(st, name)) > 0 && params[i])
                        sqlite3_bind_text(st, at, params[i], -1, SQLITE_STATIC);
        }
        ncols = sqlite3_column_count(st);
        if (ncols > 64)
                ncols = 64;
        while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
                char *hex[64] = { NULL };

                for (int i = 0; i < ncols && rc == 0; i++) {
                        /* The type first: reading the text converts it. */
                        if (sqlite3_column_type(st, i) != SQLITE_BLOB)
                                values[i] = (const char *)sqlite3_column_text(st, i);
                        else if (!(values[i] = hex[i] = blob_hex(st, i)))
                                rc = -ENOMEM;
                }
                if (rc == 0 && fn)
                        rc = fn(user, ncols, values);
                for (int i = 0; i < ncols; i++)
                        free(hex[i]);
        }
        if (rc == 0 && step != SQLITE_DONE)
                rc = fail(s, e, "running a query");
        sqlite3_reset(st);
        return rc;
}

static int sqlite_tx(struct store *base, store_tx_fn *fn, void *user, struct error *e)
{
        struct store_sqlite *s = (struct store_sqlite *)base;
        int rc;

        if ((rc = exec(s, "BEGIN IMMEDIATE", e)) < 0)
                return rc;
        if ((rc = fn(base, user, e)) < 0) {
                sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
                return rc;
        }
        return exec(s, "COMMIT", e) < 0 ? -EIO : rc;
}

static const struct store_ops sqlite_ops = {
        .rows = sqlite_rows,
        .tx = sqlite_tx,
        .establishment_add = sqlite_establishment_add,
        .establishment_list = store_establishment_list,
        .token_add = sqlite_token_add,
        .token_consume = sqlite_token_consume,
        .agent_add = sqlite_agent_add,
        .agent_get = store_agent_get,
        .agent_revoke = sqlite_agent_revoke,
        .reports_put = sqlite_reports_put,
        .sweep_silent = sqlite_sweep_silent,
        .alert_counts = store_alert_counts,
        .alert_list = store_alert_list,
        .agent_list = store_agent_list,
        .policy_get = store_policy_get,
        .policy_set = sqlite_policy_set,
        .establishment_get = store_establishment_get,
        .user_add = sqlite_user_add,
        .user_get = store_user_get,
        .user_list = store_user_list,
        .user_disable = sqlite_user_disable,
        .user_login_result = store_user_login_result,
        .session_add = store_session_add,
        .session_get = store_session_get,
        .session_delete = store_session_delete,
        .audit_add = store_audit_add,
        .alert_acknowledge = store_alert_acknowledge,
        .api_token_add = sqlite_api_token_add,
        .api_token_check = store_api_token_check,
        .close = sqlite_close,
};

int store_open_sqlite(const char *data_dir, struct store **out, struct error *e)
{
        struct store_sqlite *s = calloc(1, sizeof(*s));
        int rc;

        if (!s)
                return -ENOMEM;
        s->base.ops = &sqlite_ops;
        snprintf(s->path, sizeof(s->path), "%s/hygie.db", data_dir);
        if (sqlite3_open_v2(s->path, &s->db,
                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                            NULL) != SQLITE_OK) {
                rc = fail(s, e, "cannot open the database");
                goto err;
        }
        sqlite3_busy_timeout(s->db, 5000);
        /* Durable before any answer: WAL with a full sync at each commit. */
        if ((rc = exec(s, "PRAGMA journal_mode=WAL", e)) < 0 ||
            (rc = exec(s, "PRAGMA synchronous=FULL", e)) < 0 ||
            (rc = exec(s, "PRAGMA foreign_keys=ON", e)) < 0 ||
            /* Index pages stay in memory rather than being read back. */
            (rc = exec(s, "PRAGMA cache_size=-65536", e)) < 0 || (rc = migrate(s, e)) < 0)
                goto err;
        *out = &s->base;
        return 0;
err:
        sqlite3_close(s->db);
        free(s);
        return rc;
}
