/* users.c - dashboard users, their sessions and the audit log. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "rows.h"

#define USER_COLUMNS                                                                               \
        " u.id, u.login, u.role, u.region, coalesce(u.finess, ''), u.hash, u.created_at,"          \
        " coalesce(u.disabled_at, 0), u.failures, u.last_failure, u.email, u.lang"
#define USER_NCOLS 12

struct user_rows {
        store_user_fn *fn;
        void *user;
        struct user *one; /* user_get's and session_get's */
        char *csrf;       /* session_get's, 65 bytes */
};

static int user_row(void *user, int ncols, const char *const *v)
{
        struct user_rows *l = user;
        struct user u, *to = l->one ? l->one : &u;

        if (ncols != USER_NCOLS + (l->csrf != NULL))
                return -EIO;
        memset(to, 0, sizeof(*to));
        to->id = store_num(v[0]);
        store_copy(to->login, sizeof(to->login), v[1]);
        to->role = role_from_name(v[2] ? v[2] : "");
        store_copy(to->region, sizeof(to->region), v[3]);
        store_copy(to->finess, sizeof(to->finess), v[4]);
        store_copy(to->hash, sizeof(to->hash), v[5]);
        to->created_at = store_num(v[6]);
        to->disabled_at = store_num(v[7]);
        to->failures = (long)store_num(v[8]);
        to->last_failure = store_num(v[9]);
        store_copy(to->email, sizeof(to->email), v[10]);
        store_copy(to->lang, sizeof(to->lang), v[11]);
        if (l->csrf)
                store_copy(l->csrf, 65, v[USER_NCOLS]);
        return l->one ? 1 : l->fn(l->user, to);
}

int store_user_get(struct store *s, const char *login, struct user *u, struct error *e)
{
        static const char sql[] = "SELECT" USER_COLUMNS " FROM users u WHERE u.login = $1";
        struct user_rows l = { .one = u };
        const char *p[] = { login };
        int rc = store_rows(s, sql, 1, p, user_row, &l, e);

        if (rc == 0) {
                error_set(e, "", 0, "no user %s", login);
                return -ENOENT;
        }
        return rc < 0 ? rc : 0;
}

int store_user_list(struct store *s, store_user_fn *fn, void *user, struct error *e)
{
        static const char sql[] = "SELECT" USER_COLUMNS " FROM users u ORDER BY u.login";
        struct user_rows l = { .fn = fn, .user = user };

        return store_rows(s, sql, 0, NULL, user_row, &l, e);
}

int store_session_get(struct store *s, const char *hash, time_t now, struct user *u, char *csrf,
                      struct error *e)
{
        static const char sql[] = "SELECT" USER_COLUMNS ", se.csrf FROM sessions se"
                                  " JOIN users u ON u.id = se.user_id"
                                  " WHERE se.hash = $1 AND se.expires_at > CAST($2 AS BIGINT)"
                                  " AND u.disabled_at IS NULL";
        struct user_rows l = { .one = u, .csrf = csrf };
        char when[24];
        const char *p[] = { hash, when };
        int rc;

        snprintf(when, sizeof(when), "%lld", (long long)now);
        rc = store_rows(s, sql, 2, p, user_row, &l, e);
        if (rc == 0) {
                error_set(e, "", 0, "no such session, or it has expired");
                return -ENOENT;
        }
        return rc < 0 ? rc : 0;
}

/* The statements below return no row. */
static int no_row(void *user, int ncols, const char *const *v)
{
        (void)user;
        (void)ncols;
        (void)v;
        return -EIO;
}

int store_user_login_result(struct store *s, long long id, bool ok, time_t now, struct error *e)
{
        static const char cleared_sql[] =
            "UPDATE users SET failures = 0 WHERE id = CAST($1 AS BIGINT)";
        static const char failed_sql[] =
            "UPDATE users SET failures = failures + 1, last_failure = CAST($2 AS BIGINT)"
            " WHERE id = CAST($1 AS BIGINT)";
        char ids[24], when[24];
        const char *p[] = { ids, when };

        snprintf(ids, sizeof(ids), "%lld", id);
        snprintf(when, sizeof(when), "%lld", (long long)now);
        return ok ? store_rows(s, cleared_sql, 1, p, no_row, NULL, e)
                  : store_rows(s, failed_sql, 2, p, no_row, NULL, e);
}

int store_session_add(struct store *s, const char *hash, long long user_id, const char *csrf,
                      time_t now, time_t expires, struct error *e)
{
        static const char expired_sql[] =
            "DELETE FROM sessions WHERE expires_at <= CAST($1 AS BIGINT)";
        static const char add_sql[] =
            "INSERT INTO sessions (hash, user_id, csrf, created_at, expires_at)"
            " VALUES ($1, CAST($2 AS BIGINT), $3, CAST($4 AS BIGINT), CAST($5 AS BIGINT))";
        char uid[24], created[24], until[24];
        const char *p[] = { hash, uid, csrf, created, until };
        int rc;

        snprintf(uid, sizeof(uid), "%lld", user_id);
        snprintf(created, sizeof(created), "%lld", (long long)now);
        snprintf(until, sizeof(until), "%lld", (long long)expires);
        /* Expired sessions go as new ones come. */
        if ((rc = store_rows(s, expired_sql, 1, p + 3, no_row, NULL, e)) < 0)
                return rc;
        return store_rows(s, add_sql, 5, p, no_row, NULL, e);
}

int store_session_delete(struct store *s, const char *hash, struct error *e)
{
        static const char sql[] = "DELETE FROM sessions WHERE hash = $1";
        const char *p[] = { hash };

        return store_rows(s, sql, 1, p, no_row, NULL, e);
}

int store_audit_add(struct store *s, const struct audit *a, struct error *e)
{
        static const char sql[] = "INSERT INTO audit_log (at, actor, action, target, detail)"
                                  " VALUES (CAST($1 AS BIGINT), $2, $3, $4, $5)";
        char at[24];
        const char *p[] = { at, a->actor ? a->actor : "", a->action ? a->action : "",
                            a->target ? a->target : "", a->detail ? a->detail : "" };

        snprintf(at, sizeof(at), "%lld", a->at);
        return store_rows(s, sql, 5, p, no_row, NULL, e);
}

int store_user_add(struct store *s, const struct user *u, struct error *e)
{
        static const char sql[] =
            "INSERT INTO users (login, role, region, finess, hash, created_at, email, lang)"
            " VALUES ($1, $2, $3, $4, $5, CAST($6 AS BIGINT), $7, $8)";
        const struct sql_arg a[] = { sql_text(u->login),  sql_text(role_name(u->role)),
                                     sql_text(u->region), sql_text(store_or_null(u->finess)),
                                     sql_text(u->hash),   sql_int(u->created_at),
                                     sql_text(u->email),  sql_text(*u->lang ? u->lang : "fr") };
        long long rc = store_change(s, sql, 8, a, e);

        if (rc == -EEXIST)
                error_set(e, "", 0, "login %s is taken", u->login);
        else if (rc == -ENOENT)
                error_set(e, "", 0, "no establishment %s", u->finess);
        return rc < 0 ? (int)rc : 0;
}

struct disable {
        const char *login;
        time_t now;
};

static int disable_in_tx(struct store *s, void *user, struct error *e)
{
        static const char disable_sql[] =
            "UPDATE users SET disabled_at = coalesce(disabled_at, CAST($2 AS BIGINT))"
            " WHERE login = $1";
        static const char end_sql[] =
            "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE login = $1)";
        const struct disable *d = user;
        const struct sql_arg a[] = { sql_text(d->login), sql_int(d->now) };
        long long rc = store_change(s, disable_sql, 2, a, e);

        if (rc == 0) {
                error_set(e, "", 0, "no user %s", d->login);
                return -ENOENT;
        }
        if (rc < 0 || (rc = store_change(s, end_sql, 1, a, e)) < 0)
                return (int)rc;
        return 0;
}

int store_user_disable(struct store *s, const char *login, time_t now, struct error *e)
{
        struct disable d = { login, now };

        return store_tx(s, disable_in_tx, &d, e);
}
