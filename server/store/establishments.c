/* establishments.c - establishments, their policies and the API tokens
 * read once, over the engines' rows(). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rows.h"

struct establishment_rows {
        store_establishment_fn *fn;
        void *user;
        struct establishment *one; /* establishment_get's */
};

static int establishment_row(void *user, int ncols, const char *const *v)
{
        struct establishment_rows *l = user;
        struct establishment est, *to = l->one ? l->one : &est;

        if (ncols != 4)
                return -EIO;
        memset(to, 0, sizeof(*to));
        store_copy(to->finess, sizeof(to->finess), v[0]);
        store_copy(to->name, sizeof(to->name), v[1]);
        store_copy(to->region, sizeof(to->region), v[2]);
        store_copy(to->department, sizeof(to->department), v[3]);
        return l->one ? 1 : l->fn(l->user, to);
}

int store_establishment_list(struct store *s, const struct store_filter *f,
                             store_establishment_fn *fn, void *user, struct error *e)
{
        static const char sql[] = "SELECT finess, name, region, department FROM establishments e"
                                  " WHERE" SCOPE " AND (CAST($4 AS TEXT) IS NULL OR true)"
                                  " AND (CAST($5 AS TEXT) IS NULL OR true)"
                                  " AND (CAST($6 AS TEXT) IS NULL OR true)"
                                  " ORDER BY finess LIMIT CAST($7 AS BIGINT)";
        struct filter_params fp;
        struct establishment_rows l = { .fn = fn, .user = user };

        return store_rows(s, sql, 7, store_filter_params(&fp, f), establishment_row, &l, e);
}

int store_establishment_get(struct store *s, const char *finess, struct establishment *est,
                            struct error *e)
{
        static const char sql[] = "SELECT finess, name, region, department FROM establishments"
                                  " WHERE finess = $1";
        struct establishment_rows l = { .one = est };
        const char *p[] = { finess };
        int rc = store_rows(s, sql, 1, p, establishment_row, &l, e);

        if (rc == 0) {
                error_set(e, "", 0, "no establishment %s", finess);
                return -ENOENT;
        }
        return rc < 0 ? rc : 0;
}

struct policy_row {
        char *text;
        long revision;
};

static int policy_row(void *user, int ncols, const char *const *v)
{
        struct policy_row *p = user;

        if (ncols != 2)
                return -EIO;
        p->text = strdup(v[0] ? v[0] : "");
        p->revision = (long)store_num(v[1]);
        return p->text ? 1 : -ENOMEM;
}

int store_policy_get(struct store *s, const char *finess, char **text, long *revision,
                     struct error *e)
{
        static const char sql[] = "SELECT text, revision FROM policies WHERE finess IN ($1, '')"
                                  " ORDER BY finess DESC LIMIT 1";
        struct policy_row p = { 0 };
        const char *params[] = { finess };
        int rc = store_rows(s, sql, 1, params, policy_row, &p, e);

        if (rc <= 0) {
                free(p.text);
                return rc < 0 ? rc : -ENOENT;
        }
        *text = p.text;
        *revision = p.revision;
        return 0;
}

static int found(void *user, int ncols, const char *const *v)
{
        (void)user;
        (void)ncols;
        (void)v;
        return 1;
}

int store_api_token_check(struct store *s, const char *hash, struct error *e)
{
        static const char sql[] = "SELECT 1 FROM api_tokens WHERE hash = $1";
        const char *p[] = { hash };
        int rc = store_rows(s, sql, 1, p, found, NULL, e);

        if (rc == 0) {
                error_set(e, "", 0, "unknown API token");
                return -ENOENT;
        }
        return rc < 0 ? rc : 0;
}
