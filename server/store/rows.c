/* rows.c - what the operations written once over rows() share. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int store_rows(struct store *s, const char *sql, int nparams, const char *const *params,
               store_row_fn *fn, void *user, struct error *e)
{
        int rc;

        e->file[0] = '\0';
        e->line = 0;
        e->msg[0] = '\0';
        rc = s->ops->rows(s, sql, nparams, params, fn, user, e);
        if (rc < 0 && !e->msg[0])
                error_set(e, "", 0, "reading the database's answer: %s", strerror(-rc));
        return rc;
}
