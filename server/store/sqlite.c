/* sqlite.c - the embedded store's driver: SQLite in WAL mode, fully
 * synchronous, statements kept prepared, and the schema brought up to
 * date by numbered migrations on open. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "driver.h"
#include "migrations.h"
#include "stmt_cache.h"

/* This engine's own migrations, up to STORE_BASELINE: migration N brings the
 * schema from version N to N + 1. Never edit one that has shipped: the next
 * ones are written once, in migrations.c. */
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

struct store_sqlite {
        struct store base;
        sqlite3 *db;
        struct stmt_cache cache;
        char path[4096];
};

static int fail(struct store_sqlite *s, struct error *e, const char *what)
{
        error_set(e, s->path, 0, "%s: %s", what, sqlite3_errmsg(s->db));
        return -EIO;
}

static int errno_of(sqlite3 *db, int rc);

static int sqlite_exec(struct store *base, const char *sql, struct error *e)
{
        struct store_sqlite *s = (struct store_sqlite *)base;
        int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);

        if (rc == SQLITE_OK)
                return 0;
        fail(s, e, sql);
        return errno_of(s->db, rc); /* a COMMIT on a full disk: -ENOSPC */
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
        return own ? m->sqlite : m->sql;
}

static int migrate(struct store_sqlite *s, struct error *e)
{
        const int latest = STORE_BASELINE + store_migrations_count;
        sqlite3_stmt *st;
        int version = 0, rc;

        rc = sqlite_exec(
            &s->base,
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
                const char *own = migration(version, true);
                char mark[96];

                snprintf(mark, sizeof(mark), "INSERT INTO schema_migrations (version) VALUES (%d)",
                         version + 1);
                if ((rc = sqlite_exec(&s->base, "BEGIN IMMEDIATE", e)) < 0)
                        return rc;
                if ((migration(version, false) &&
                     (rc = sqlite_exec(&s->base, migration(version, false), e)) < 0) ||
                    (own && (rc = sqlite_exec(&s->base, own, e)) < 0) ||
                    (rc = sqlite_exec(&s->base, mark, e)) < 0 ||
                    (rc = sqlite_exec(&s->base, "COMMIT", e)) < 0) {
                        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
                        return rc;
                }
        }
        s->base.schema_version = latest;
        return 0;
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

static int bind(sqlite3_stmt *st, int n, const struct sql_arg *args)
{
        /* A statement wanting more parameters than given is a mistake
         * PostgreSQL refuses: so does this. */
        for (int j = 1; j <= sqlite3_bind_parameter_count(st); j++) {
                const char *name = sqlite3_bind_parameter_name(st, j);

                if (!name || name[0] != '$' || atoi(name + 1) > n)
                        return SQLITE_RANGE;
        }
        for (int i = 0; i < n; i++) {
                const struct sql_arg *a = &args[i];
                char name[16];
                int at, rc;

                snprintf(name, sizeof(name), "$%d", i + 1);
                if ((at = sqlite3_bind_parameter_index(st, name)) == 0)
                        continue;
                switch (a->type) {
                case SQL_INT:
                        rc = sqlite3_bind_int64(st, at, a->i);
                        break;
                case SQL_TEXT:
                        rc = sqlite3_bind_text(st, at, a->text, -1, SQLITE_STATIC);
                        break;
                case SQL_BLOB:
                        rc = sqlite3_bind_blob64(st, at, a->text, a->len, SQLITE_STATIC);
                        break;
                default:
                        rc = sqlite3_bind_null(st, at);
                }
                if (rc != SQLITE_OK)
                        return rc;
        }
        return SQLITE_OK;
}

/* What an SQLite result code means to the store. */
static int errno_of(sqlite3 *db, int rc)
{
        switch (rc == SQLITE_CONSTRAINT ? sqlite3_extended_errcode(db) : rc) {
        case SQLITE_CONSTRAINT_UNIQUE:
        case SQLITE_CONSTRAINT_PRIMARYKEY:
                return -EEXIST;
        case SQLITE_CONSTRAINT_FOREIGNKEY:
                return -ENOENT;
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
                return -EAGAIN;
        case SQLITE_NOMEM:
                return -ENOMEM;
        case SQLITE_FULL:
                return -ENOSPC;
        default:
                return -EIO;
        }
}

static int rows(struct store_sqlite *s, sqlite3_stmt *st, store_row_fn *fn, void *user,
                struct error *e)
{
        const char *values[64];
        int rc = 0, step, ncols = sqlite3_column_count(st);

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
        if (rc == 0 && step != SQLITE_DONE) {
                fail(s, e, "running a query");
                rc = errno_of(s->db, step);
        }
        return rc;
}

static int sqlite_run(struct store *base, const char *sql, int n, const struct sql_arg *args,
                      store_row_fn *fn, void *user, long long *changed, struct error *e)
{
        struct store_sqlite *s = (struct store_sqlite *)base;
        struct stmt_cached *sc = stmt_cache_get(&s->cache, sql);
        sqlite3_stmt *st = sc ? sc->handle : NULL;
        int rc;

        if (!st) {
                if (sqlite3_prepare_v3(s->db, sql, -1, sc ? SQLITE_PREPARE_PERSISTENT : 0, &st,
                                       NULL) != SQLITE_OK)
                        return fail(s, e, "preparing a query");
                if (sc)
                        sc->handle = st;
        }
        if ((rc = bind(st, n, args)) != SQLITE_OK) {
                fail(s, e, "binding a query's parameters");
                rc = errno_of(s->db, rc);
        } else {
                rc = rows(s, st, fn, user, e);
        }
        if (rc >= 0 && changed)
                *changed = sqlite3_changes64(s->db);
        if (sc) {
                sqlite3_reset(st);
                sqlite3_clear_bindings(st);
        } else {
                sqlite3_finalize(st);
        }
        return rc;
}

/* SQLite runs each statement as it comes: nothing to gain from holding it. */
static int sqlite_queue(struct store *s, const char *sql, int n, const struct sql_arg *args,
                        store_row_fn *fn, void *user, struct error *e)
{
        return sqlite_run(s, sql, n, args, fn, user, NULL, e);
}

static int sqlite_flush(struct store *s, struct error *e)
{
        (void)s;
        (void)e;
        return 0;
}

/* One PRAGMA's number. */
static long long pragma(struct store_sqlite *s, const char *sql)
{
        sqlite3_stmt *st;
        long long v = -1;

        if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
                return -1;
        if (sqlite3_step(st) == SQLITE_ROW)
                v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return v;
}

/* Free pages are reused by what comes next; past a quarter of the file
 * (after retention first prunes years of reports, say), they go back to
 * the file system down to an eighth, 10,000 pages (40 MiB) a call, when
 * the database was made for it (auto_vacuum = INCREMENTAL, as open sets it
 * on a new one; an older one keeps reusing its free pages). */
static int sqlite_compact(struct store *base, struct error *e)
{
        struct store_sqlite *s = (struct store_sqlite *)base;
        long long free_pages = pragma(s, "PRAGMA freelist_count");
        long long pages = pragma(s, "PRAGMA page_count");
        char sql[64];

        if (pragma(s, "PRAGMA auto_vacuum") != 2 || free_pages < 0 || pages <= 0 ||
            free_pages * 4 < pages)
                return 0;
        snprintf(sql, sizeof(sql), "PRAGMA incremental_vacuum(%lld)",
                 free_pages - pages / 8 < 10000 ? free_pages - pages / 8 : 10000);
        return sqlite_exec(base, sql, e);
}

/* Writes past max bytes fail as on a full disk (SQLITE_FULL). */
static int sqlite_max_size(struct store *base, long long max, struct error *e)
{
        struct store_sqlite *s = (struct store_sqlite *)base;
        long long page = pragma(s, "PRAGMA page_size");
        char sql[64];

        if (page <= 0) {
                error_set(e, s->path, 0, "cannot read the database's page size");
                return -EIO;
        }
        snprintf(sql, sizeof(sql), "PRAGMA max_page_count = %lld", max / page);
        return sqlite_exec(base, sql, e);
}

/* One collector per database: it always leads. */
static int sqlite_lead(struct store *s, struct error *e)
{
        (void)s;
        (void)e;
        return 1;
}

static void finalize(void *handle)
{
        sqlite3_finalize(handle);
}

static void sqlite_close(struct store *base)
{
        struct store_sqlite *s = (struct store_sqlite *)base;

        stmt_cache_free(&s->cache, finalize);
        sqlite3_close(s->db);
        free(s);
}

static const struct sql_driver sqlite_driver = {
        .name = "sqlite",
        /* Takes the write lock at once: a transaction that read first and
         * wrote later could fail with SQLITE_BUSY half-way. */
        .begin = "BEGIN IMMEDIATE",
        /* The write lock covers the whole database. */
        .for_update = "",
        .now = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
        .run = sqlite_run,
        .queue = sqlite_queue,
        .flush = sqlite_flush,
        .lead = sqlite_lead,
        .compact = sqlite_compact,
        .max_size = sqlite_max_size,
        .exec = sqlite_exec,
        .close = sqlite_close,
};

int store_open_sqlite(const char *data_dir, struct store **out, struct error *e)
{
        struct store_sqlite *s = calloc(1, sizeof(*s));
        int rc;

        if (!s)
                return -ENOMEM;
        s->base.drv = &sqlite_driver;
        snprintf(s->path, sizeof(s->path), "%s/hygie.db", data_dir);
        if (sqlite3_open_v2(s->path, &s->db,
                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                            NULL) != SQLITE_OK) {
                rc = fail(s, e, "cannot open the database");
                goto err;
        }
        sqlite3_busy_timeout(s->db, 5000);
        /* Space freed can go back to the file system: only a database
         * without tables yet takes it. Durable before any answer: WAL with a
         * full sync at each commit. */
        if ((rc = sqlite_exec(&s->base, "PRAGMA auto_vacuum=INCREMENTAL", e)) < 0 ||
            (rc = sqlite_exec(&s->base, "PRAGMA journal_mode=WAL", e)) < 0 ||
            (rc = sqlite_exec(&s->base, "PRAGMA synchronous=FULL", e)) < 0 ||
            (rc = sqlite_exec(&s->base, "PRAGMA foreign_keys=ON", e)) < 0 ||
            /* Index pages stay in memory rather than being read back. */
            (rc = sqlite_exec(&s->base, "PRAGMA cache_size=-65536", e)) < 0 ||
            (rc = migrate(s, e)) < 0)
                goto err;
        *out = &s->base;
        return 0;
err:
        sqlite3_close(s->db);
        free(s);
        return rc;
}
