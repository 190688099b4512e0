/* establishments.c - establishments, their enrollment tokens, their
 * policies and the API tokens. */
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

int store_establishment_add(struct store *s, const struct establishment *est, struct error *e)
{
        static const char sql[] = "INSERT INTO establishments (finess, name, region, department)"
                                  " VALUES ($1, $2, $3, $4)";
        const struct sql_arg a[] = { sql_text(est->finess), sql_text(est->name),
                                     sql_text(est->region), sql_text(est->department) };
        long long rc = store_change(s, sql, 4, a, e);

        if (rc == -EEXIST)
                error_set(e, "", 0, "establishment %s is already registered", est->finess);
        return rc < 0 ? (int)rc : 0;
}

int store_token_add(struct store *s, const char *finess, const char *hash, long uses,
                    time_t expires, struct error *e)
{
        static const char sql[] =
            "INSERT INTO enrollment_tokens (hash, finess, uses_left, expires_at)"
            " SELECT $1, finess, CAST($2 AS BIGINT), CAST($3 AS BIGINT) FROM establishments"
            " WHERE finess = $4";
        const struct sql_arg a[] = { sql_text(hash), sql_int(uses), sql_int(expires),
                                     sql_text(finess) };
        long long rc = store_change(s, sql, 4, a, e);

        if (rc == 0) {
                error_set(e, "", 0, "no establishment %s: add it first", finess);
                return -ENOENT;
        }
        return rc < 0 ? (int)rc : 0;
}

struct token_row {
        char *finess;
        long long uses_left, expires_at;
};

static int spent_row(void *user, int ncols, const char *const *v)
{
        struct token_row *t = user;

        if (ncols != 1)
                return -EIO;
        store_copy(t->finess, 10, v[0]);
        return 1;
}

static int token_row(void *user, int ncols, const char *const *v)
{
        struct token_row *t = user;

        if (ncols != 2)
                return -EIO;
        t->uses_left = store_num(v[0]);
        t->expires_at = store_num(v[1]);
        return 1;
}

int store_token_consume(struct store *s, const char *hash, time_t now, char *finess,
                        struct error *e)
{
        /* One statement spends a use only when the token is valid. */
        static const char spend_sql[] = "UPDATE enrollment_tokens SET uses_left = uses_left - 1"
                                        " WHERE hash = $1 AND uses_left > 0"
                                        " AND expires_at > CAST($2 AS BIGINT) RETURNING finess";
        static const char why_sql[] =
            "SELECT uses_left, expires_at FROM enrollment_tokens WHERE hash = $1";
        const struct sql_arg a[] = { sql_text(hash), sql_int(now) };
        struct token_row t = { .finess = finess };
        int rc = store_run(s, spend_sql, 2, a, spent_row, &t, NULL, e);

        if (rc != 0)
                return rc < 0 ? rc : 0;
        /* Say why it was refused. */
        if ((rc = store_run(s, why_sql, 1, a, token_row, &t, NULL, e)) < 0)
                return rc;
        if (rc == 0) {
                error_set(e, "", 0, "unknown enrollment token");
                return -ENOENT;
        }
        if (t.expires_at <= (long long)now) {
                error_set(e, "", 0, "the enrollment token has expired");
                return -EKEYEXPIRED;
        }
        error_set(e, "", 0, "the enrollment token has been used up");
        return -EDQUOT;
}

int store_api_token_add(struct store *s, const char *hash, struct error *e)
{
        static const char sql[] = "INSERT INTO api_tokens (hash) VALUES ($1)";
        const struct sql_arg a[] = { sql_text(hash) };
        long long rc = store_change(s, sql, 1, a, e);

        return rc < 0 ? (int)rc : 0;
}

static int revision_row(void *user, int ncols, const char *const *v)
{
        if (ncols != 1)
                return -EIO;
        *(long *)user = (long)store_num(v[0]);
        return 1;
}

int store_policy_set(struct store *s, const char *finess, const char *text, long *revision,
                     struct error *e)
{
        char sql[512];
        const struct sql_arg a[] = { sql_text(finess), sql_text(text) };
        int rc;

        snprintf(sql, sizeof(sql),
                 "INSERT INTO policies (finess, revision, text) VALUES ($1, 1, $2)"
                 " ON CONFLICT (finess) DO UPDATE SET text = excluded.text,"
                 " revision = policies.revision + 1, updated_at = %s RETURNING revision",
                 s->drv->now);
        rc = store_run(s, sql, 2, a, revision_row, revision, NULL, e);
        if (rc == 0) {
                error_set(e, "", 0, "setting a policy: no revision came back");
                return -EIO;
        }
        return rc < 0 ? rc : 0;
}
