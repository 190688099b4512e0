/* duties.c - what the collectors sharing the store record of their periodic
 * work: which one last ran each duty, and when. */
#include <errno.h>

#include "rows.h"

int store_duty_done(struct store *s, const char *name, const char *node, time_t started,
                    time_t finished, struct error *e)
{
        static const char sql[] =
            "INSERT INTO duties (name, node, started_at, finished_at) VALUES ($1, $2, $3, $4)"
            " ON CONFLICT (name) DO UPDATE SET node = excluded.node,"
            " started_at = excluded.started_at, finished_at = excluded.finished_at";
        const struct sql_arg a[] = { sql_text(name), sql_text(node), sql_int(started),
                                     sql_int(finished) };
        long long rc = store_change(s, sql, 4, a, e);

        return rc < 0 ? (int)rc : 0;
}

struct duty_row {
        char *node;
        size_t size;
        long long finished;
};

static int duty_row(void *user, int ncols, const char *const *v)
{
        struct duty_row *d = user;

        if (ncols != 2)
                return -EIO;
        store_copy(d->node, d->size, v[0]);
        d->finished = store_num(v[1]);
        return 1;
}

int store_duty_get(struct store *s, const char *name, char *node, size_t size, time_t *finished,
                   struct error *e)
{
        static const char sql[] = "SELECT node, finished_at FROM duties WHERE name = $1";
        const struct sql_arg a[] = { sql_text(name) };
        struct duty_row d = { node, size, 0 };
        int rc = store_run(s, sql, 1, a, duty_row, &d, NULL, e);

        if (rc < 0)
                return rc;
        if (rc == 0) {
                error_set(e, "", 0, "%s has not run yet", name);
                return -ENOENT;
        }
        *finished = (time_t)d.finished;
        return 0;
}
