/* store_sqlite.c - the embedded store: SQLite in WAL mode, fully synchronous,
 * with its schema brought up to date by numbered migrations on open. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store.h"

struct store_sqlite {
        struct store base;
        sqlite3 *db;
        char path[4096];
};

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
                               "INSERT INTO agents (id, finess, hostname, enrolled_at)"
                               " VALUES (?, ?, ?, ?)",
                               -1, &st, NULL) != SQLITE_OK)
                return fail(s, e, "adding an agent");
        sqlite3_bind_text(st, 1, a->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, a->finess, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, a->hostname, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, a->enrolled_at);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc == SQLITE_CONSTRAINT) {
                error_set(e, "", 0, "agent %s is already enrolled", a->id);
                return -EEXIST;
        }
        return rc == SQLITE_DONE ? 0 : fail(s, e, "adding an agent");
}

static int sqlite_agent_get(struct store *base, const char *id, struct agent *a, struct error *e)
{
        struct store_sqlite *s = (struct store_sqlite *)base;
        sqlite3_stmt *st;
        int rc;

        if (sqlite3_prepare_v2(s->db,
                               "SELECT id, finess, hostname, enrolled_at, coalesce(revoked_at, 0)"
                               " FROM agents WHERE id = ?",
                               -1, &st, NULL) != SQLITE_OK)
                return fail(s, e, "reading an agent");
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
                column(st, 0, a->id, sizeof(a->id));
                column(st, 1, a->finess, sizeof(a->finess));
                column(st, 2, a->hostname, sizeof(a->hostname));
                a->enrolled_at = sqlite3_column_int64(st, 3);
                a->revoked_at = sqlite3_column_int64(st, 4);
        }
        sqlite3_finalize(st);
        if (rc == SQLITE_ROW)
                return 0;
        if (rc != SQLITE_DONE)
                return fail(s, e, "reading an agent");
        error_set(e, "", 0, "no agent %s", id);
        return -ENOENT;
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
        return sqlite3_changes(s->db) == 1 ? 0 : sqlite_agent_get(base, id, &a, e);
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

static int sqlite_api_token_check(struct store *base, const char *hash, struct error *e)
{
        struct store_sqlite *s = (struct store_sqlite *)base;
        sqlite3_stmt *st;
        int rc;

        if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM api_tokens WHERE hash = ?", -1, &st, NULL) !=
            SQLITE_OK)
                return fail(s, e, "checking an API token");
        sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc == SQLITE_ROW)
                return 0;
        if (rc != SQLITE_DONE)
                return fail(s, e, "checking an API token");
        error_set(e, "", 0, "unknown API token");
        return -ENOENT;
}

static int sqlite_establishment_list(struct store *base, store_establishment_fn *fn, void *user,
                                     struct error *e)
{
        struct store_sqlite *s = (struct store_sqlite *)base;
        struct establishment est;
        sqlite3_stmt *st;
        int rc = 0, step;

        if (sqlite3_prepare_v2(s->db,
                               "SELECT finess, name, region, department FROM establishments"
                               " ORDER BY finess",
                               -1, &st, NULL) != SQLITE_OK)
                return fail(s, e, "listing establishments");
        while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
                column(st, 0, est.finess, sizeof(est.finess));
                column(st, 1, est.name, sizeof(est.name));
                column(st, 2, est.region, sizeof(est.region));
                column(st, 3, est.department, sizeof(est.department));
                rc = fn(user, &est);
        }
        if (rc == 0 && step != SQLITE_DONE)
                rc = fail(s, e, "listing establishments");
        sqlite3_finalize(st);
        return rc;
}

static void sqlite_close(struct store *base)
{
        struct store_sqlite *s = (struct store_sqlite *)base;

        sqlite3_close(s->db);
        free(s);
}

static const struct store_ops sqlite_ops = {
        .establishment_add = sqlite_establishment_add,
        .establishment_list = sqlite_establishment_list,
        .token_add = sqlite_token_add,
        .token_consume = sqlite_token_consume,
        .agent_add = sqlite_agent_add,
        .agent_get = sqlite_agent_get,
        .agent_revoke = sqlite_agent_revoke,
        .api_token_add = sqlite_api_token_add,
        .api_token_check = sqlite_api_token_check,
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
            (rc = exec(s, "PRAGMA foreign_keys=ON", e)) < 0 || (rc = migrate(s, e)) < 0)
                goto err;
        *out = &s->base;
        return 0;
err:
        sqlite3_close(s->db);
        free(s);
        return rc;
}
