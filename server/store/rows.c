/* rows.c - what the operations written once share: running a statement
 * through the driver, transactions, and reading text values back. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "rows.h"

const char *store_or_null(const char *v)
{
        return v && *v ? v : NULL;
}

const char *const *store_filter_params(struct filter_params *fp, const struct store_filter *f)
{
        const char *v[] = { f->finess, f->region, f->department, f->check, f->status, f->agent_id };

        for (int i = 0; i < 6; i++)
                fp->v[i] = store_or_null(v[i]);
        snprintf(fp->limit, sizeof(fp->limit), "%ld", f->limit > 0 ? f->limit : 1000);
        fp->v[6] = fp->limit;
        return fp->v;
}

void store_copy(char *dst, size_t size, const char *v)
{
        snprintf(dst, size, "%s", v ? v : "");
}

long long store_num(const char *v)
{
        return v ? strtoll(v, NULL, 10) : 0;
}

int store_run(struct store *s, const char *sql, int n, const struct sql_arg *args, store_row_fn *fn,
              void *user, long long *changed, struct error *e)
{
        int rc;

        e->file[0] = '\0';
        e->line = 0;
        e->msg[0] = '\0';
        rc = s->drv->run(s, sql, n, args, fn, user, changed, e);
        if (rc < 0 && !e->msg[0])
                error_set(e, "", 0, "reading the database's answer: %s", strerror(-rc));
        return rc;
}

long long store_change(struct store *s, const char *sql, int n, const struct sql_arg *args,
                       struct error *e)
{
        long long changed = 0;
        int rc = store_run(s, sql, n, args, NULL, NULL, &changed, e);

        return rc < 0 ? rc : changed;
}

int store_rows(struct store *s, const char *sql, int nparams, const char *const *params,
               store_row_fn *fn, void *user, struct error *e)
{
        struct sql_arg args[32];

        if (nparams > (int)(sizeof(args) / sizeof(args[0]))) {
                error_set(e, "", 0, "a query with %d parameters", nparams);
                return -E2BIG;
        }
        for (int i = 0; i < nparams; i++)
                args[i] = sql_text(params[i]);
        return store_run(s, sql, nparams, args, fn, user, NULL, e);
}

int store_tx(struct store *s, store_tx_fn *fn, void *user, struct error *e)
{
        struct error ignored;
        int rc;

        /* Queued: BEGIN goes out with the first statements, COMMIT with
         * the last ones. */
        if ((rc = s->drv->queue(s, s->drv->begin, 0, NULL, NULL, NULL, e)) < 0)
                return rc;
        if ((rc = fn(s, user, e)) >= 0) {
                int done = s->drv->queue(s, "COMMIT", 0, NULL, NULL, NULL, e);

                if (done >= 0)
                        done = s->drv->flush(s, e);
                if (done >= 0)
                        return rc;
                rc = done;
        }
        s->drv->exec(s, "ROLLBACK", &ignored);
        return rc;
}

int store_max_size(struct store *s, long long max, struct error *e)
{
        if (!s->drv->max_size) {
                error_set(e, "", 0,
                          "max_database_size is for a collector on SQLite; on PostgreSQL, the "
                          "database's own disk is the limit");
                return -ENOTSUP;
        }
        return s->drv->max_size(s, max, e);
}

int store_lead(struct store *s, struct error *e)
{
        return s->drv->lead(s, e);
}

void store_close(struct store *s)
{
        if (s) {
                store_intake_free(s);
                s->drv->close(s);
        }
}
