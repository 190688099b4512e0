/* store.h - where the collector keeps what it knows, behind one interface.
 *
 * The embedded default is SQLite in the data directory; PostgreSQL comes
 * behind the same operations for regions that outgrow one node. Each engine
 * carries its own versioned schema migrations, applied on open. */
#ifndef HYGIE_STORE_H
#define HYGIE_STORE_H

#include <stddef.h>
#include <time.h>

#include "error.h"

struct establishment {
        char finess[10];
        char name[256];
        char region[128];
        char department[4];
};

struct agent {
        char id[37];     /* UUID, the client certificate's subject */
        char finess[10]; /* the establishment that owns it */
        char hostname[256];
        long long enrolled_at, revoked_at; /* Unix times; revoked_at 0 while valid */
};

typedef int store_establishment_fn(void *user, const struct establishment *est);

struct store;

struct store_ops {
        /* -EEXIST when the FINESS number is already registered. */
        int (*establishment_add)(struct store *s, const struct establishment *est, struct error *e);
        /* Calls fn for each establishment, by FINESS number; stops at a
         * non-zero return and returns it. */
        int (*establishment_list)(struct store *s, store_establishment_fn *fn, void *user,
                                  struct error *e);
        /* An enrollment token for an establishment: its hash, how many
         * enrollments it allows, until when. -ENOENT: no such establishment. */
        int (*token_add)(struct store *s, const char *finess, const char *hash, long uses,
                         time_t expires, struct error *e);
        /* Spends one use of the token whose hash is given, at now, and names
         * its establishment (finess, 10 bytes). -ENOENT unknown, -EKEYEXPIRED
         * expired, -EDQUOT used up; nothing is spent then. */
        int (*token_consume)(struct store *s, const char *hash, time_t now, char *finess,
                             struct error *e);
        /* Records a newly enrolled agent (revoked_at ignored). */
        int (*agent_add)(struct store *s, const struct agent *a, struct error *e);
        /* Fills a for agent id. -ENOENT when unknown. */
        int (*agent_get)(struct store *s, const char *id, struct agent *a, struct error *e);
        /* Refuses agent id's certificate from now on. -ENOENT when unknown;
         * revoking twice keeps the first time. */
        int (*agent_revoke)(struct store *s, const char *id, time_t now, struct error *e);
        int (*api_token_add)(struct store *s, const char *hash, struct error *e);
        /* 0 when an API token with this hash exists, else -ENOENT. */
        int (*api_token_check)(struct store *s, const char *hash, struct error *e);
        void (*close)(struct store *s);
};

struct store {
        const struct store_ops *ops;
        int schema_version;
};

/* Opens the store a URL names: NULL or "" for SQLite in data_dir,
 * "postgresql://..." (or "postgres://", or a libpq key=value string) for
 * PostgreSQL. Brings its schema up to date. 0, or a negative errno with e filled. */
int store_open(const char *url, const char *data_dir, struct store **out, struct error *e);
int store_open_pg(const char *url, struct store **out, struct error *e);
/* Opens (creating if needed) the SQLite store in data_dir and brings its
 * schema up to date. 0, or a negative errno with e filled. */
int store_open_sqlite(const char *data_dir, struct store **out, struct error *e);

/* Checks an establishment's fields as an administrator typed them: FINESS
 * number and its key, département matching the number, non-empty names. */
int store_establishment_check(const struct establishment *est, struct error *e);

#endif
