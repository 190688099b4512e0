/* driver.h - what an SQL engine gives the store: statements run with typed
 * parameters, rows read back as text, and the few words where SQLite and
 * PostgreSQL differ. The store's operations (server/store/) are written once
 * over this; store/sqlite.c and store/pg.c are the two drivers, each with
 * the schema migrations it shipped. */
#ifndef HYGIE_STORE_DRIVER_H
#define HYGIE_STORE_DRIVER_H

#include <stddef.h>

#include "store.h"

/* A statement's parameter. Statements number theirs $1, $2...; a parameter
 * a statement does not name is ignored. */
enum sql_type { SQL_NULL, SQL_INT, SQL_TEXT, SQL_BLOB };
struct sql_arg {
        enum sql_type type;
        long long i;      /* SQL_INT */
        const char *text; /* SQL_TEXT (NUL-terminated), SQL_BLOB (len bytes) */
        size_t len;
};
static inline struct sql_arg sql_int(long long v)
{
        return (struct sql_arg){ .type = SQL_INT, .i = v };
}
/* NULL is SQL NULL. */
static inline struct sql_arg sql_text(const char *v)
{
        return (struct sql_arg){ .type = v ? SQL_TEXT : SQL_NULL, .text = v };
}
static inline struct sql_arg sql_blob(const void *p, size_t len)
{
        return (struct sql_arg){ .type = SQL_BLOB, .text = p, .len = len };
}

struct sql_driver {
        const char *name;
        /* The dialect. */
        const char *begin;      /* opens a transaction that will write */
        const char *for_update; /* ends a SELECT of rows the transaction will change */
        const char *now;        /* the time now, as timestamp columns hold it */
        /* Runs sql, calling fn (when not NULL) for each row it returns with
         * the values as text (NULL for SQL NULL, a blob as "\x" and hex);
         * stops at fn's non-zero return and returns it. *changed (when not
         * NULL) gets how many rows it inserted, updated or deleted. Fails
         * with -EEXIST on a unique key, -ENOENT on a foreign key, -EAGAIN on
         * a serialization failure or deadlock (the transaction is lost:
         * retry it), -EIO otherwise, e saying what the engine said. */
        int (*run)(struct store *s, const char *sql, int n, const struct sql_arg *args,
                   store_row_fn *fn, void *user, long long *changed, struct error *e);
        /* Runs sql as run() does, or holds it back to send it with the ones
         * after it (PostgreSQL prepares it once, and plans it once for all
         * values: for statements of few rows, such as intake's): fn is called, and errors come, by
         * flush() at the latest (run() flushes first). What args point to may be reused once it
         * returns. user must live until the flush. */
        int (*queue)(struct store *s, const char *sql, int n, const struct sql_arg *args,
                     store_row_fn *fn, void *user, struct error *e);
        int (*flush)(struct store *s, struct error *e);
        /* store_lead(): 1 when this connection leads, 0 when another does. */
        int (*lead)(struct store *s, struct error *e);
        /* Gives back to the file system the space pruning freed, when the
         * engine does not on its own (NULL: it does). */
        int (*compact)(struct store *s, struct error *e);
        /* Caps the database at max bytes, as a full disk would (NULL: the
         * engine cannot). */
        int (*max_size)(struct store *s, long long max, struct error *e);
        /* Runs a statement without parameters (BEGIN, COMMIT, ROLLBACK...). */
        int (*exec)(struct store *s, const char *sql, struct error *e);
        void (*close)(struct store *s);
};

/* run() with text parameters, and e always saying what went wrong, also
 * when fn itself failed. */
int store_run(struct store *s, const char *sql, int n, const struct sql_arg *args, store_row_fn *fn,
              void *user, long long *changed, struct error *e);
/* Runs a statement for what it changes; the number of rows, or -errno. */
long long store_change(struct store *s, const char *sql, int n, const struct sql_arg *args,
                       struct error *e);

#endif
