/* route_session.c - logging in (throttled, the password checked on a pool
 * thread), the session, logging out. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "password.h"
#include "throttle.h"
#include "log.h"
#include "route.h"

/* Sessions: logging in and out. */

struct login_job {
        struct db_job job;
        uv_work_t work; /* the password check, off the loop */
        struct conn *c;
        struct server *s;
        char login[65];
        char address[64];
        char password[PASSWORD_MAX + 1];
        struct user u;
        bool known, ok;
        long long wait; /* seconds before another try, when slowed down */
        char token[TOKEN_LEN + 1], csrf[TOKEN_LEN + 1];
        time_t expires;
};

static void login_free(struct login_job *l)
{
        OPENSSL_cleanse(l->password, sizeof(l->password));
        free(l);
}

static int login_record_in_tx(struct store *s, void *user, struct error *e)
{
        struct login_job *l = user;
        char detail[96];
        struct audit a = { time(NULL), l->login, l->ok ? "session.open" : "session.refused",
                           l->login, detail };
        char hash[TOKEN_HASH_LEN + 1];
        int rc;

        snprintf(detail, sizeof(detail), "from %s", l->address);
        if (l->known && (rc = store_user_login_result(s, l->u.id, l->ok, time(NULL), e)) < 0)
                return rc;
        if ((rc = store_audit_add(s, &a, e)) < 0 || !l->ok)
                return rc;
        if ((rc = throttle_clear(s, l->login, l->address, e)) < 0)
                return rc;
        if ((rc = token_new("hys_", l->token, sizeof(l->token))) < 0 ||
            (rc = token_new("hyc_", l->csrf, sizeof(l->csrf))) < 0)
                return rc;
        token_hash(l->token, hash, sizeof(hash));
        l->expires = time(NULL) + l->s->cfg.session_lifetime;
        return store_session_add(s, hash, l->u.id, l->csrf, time(NULL), l->expires, e);
}

static int run_login_record(struct store *s, struct db_job *j, struct error *e)
{
        return store_tx(s, login_record_in_tx, j, e);
}

static json_t *session_json(const char *login, int role, const char *region, const char *finess,
                            const char *csrf)
{
        return json_pack("{s:s, s:s, s:s*, s:s*, s:s}", "login", login, "role", role_name(role),
                         "region", *region ? region : NULL, "finess", *finess ? finess : NULL,
                         "csrf_token", csrf);
}

static void login_recorded(struct db_job *j)
{
        struct login_job *l = (struct login_job *)j;
        char cookie[256];

        if (j->rc < 0) {
                conn_reply_error(l->c, 503, "unavailable", "the database is unavailable");
        } else if (!l->ok) {
                log_info("msg=\"login refused\" login=\"%s\" peer=%s", l->login, l->address);
                conn_reply_error(l->c, 401, "invalid_credentials", "wrong login or password");
        } else {
                log_info("msg=\"login\" login=\"%s\" role=%s", l->login, role_name(l->u.role));
                snprintf(cookie, sizeof(cookie),
                         "Set-Cookie: " SESSION_COOKIE "=%s; Path=/; Max-Age=%u; HttpOnly; Secure;"
                         " SameSite=Strict\r\nCache-Control: no-store\r\n",
                         l->token, l->s->cfg.session_lifetime);
                api_reply_json(
                    l->c, 200,
                    session_json(l->u.login, l->u.role, l->u.region, l->u.finess, l->csrf), cookie);
        }
        login_free(l);
}

static void login_check(uv_work_t *w)
{
        struct login_job *l = w->data;

        /* An unknown or disabled login costs the same time as a known one. */
        l->ok = password_check(l->password, l->known ? l->u.hash : NULL) && l->known;
        OPENSSL_cleanse(l->password, sizeof(l->password));
}

static void login_checked(uv_work_t *w, int status)
{
        struct login_job *l = w->data;

        (void)status;
        memset(&l->job, 0, sizeof(l->job));
        l->job.run = run_login_record;
        l->job.done = login_recorded;
        db_submit(&l->s->db, &l->job);
}

/* The try is counted (or refused) and the user looked up in one
 * transaction, before the password is checked. */
static int login_try_in_tx(struct store *s, void *user, struct error *e)
{
        struct login_job *l = user;
        char detail[96];
        struct audit a = { time(NULL), l->login, "session.throttled", l->login, detail };
        int rc = throttle_try(s, l->login, l->address, time(NULL), &l->wait, e);

        if (rc < 0)
                return rc;
        if (l->wait) {
                snprintf(detail, sizeof(detail), "from %s, %lld s to wait", l->address, l->wait);
                return store_audit_add(s, &a, e);
        }
        rc = store_user_get(s, l->login, &l->u, e);
        if (rc < 0 && rc != -ENOENT)
                return rc;
        l->known = rc == 0 && !l->u.disabled_at;
        return 0;
}

static int run_login_try(struct store *s, struct db_job *j, struct error *e)
{
        return store_tx(s, login_try_in_tx, j, e);
}

static void login_tried(struct db_job *j)
{
        struct login_job *l = (struct login_job *)j;
        char retry[64];

        if (j->rc < 0) {
                conn_reply_error(l->c, 503, "unavailable", "the database is unavailable");
                login_free(l);
                return;
        }
        if (l->wait) {
                /* The same answer whether the login exists or not. */
                log_info("msg=\"login throttled\" login=\"%s\" peer=%s wait=%lld", l->login,
                         l->address, l->wait);
                snprintf(retry, sizeof(retry), "Retry-After: %lld\r\n", l->wait);
                api_reply_json(l->c, 429,
                               json_pack("{s:{s:s, s:s}}", "error", "code", "too_many_attempts",
                                         "message",
                                         lang_tr(conn_reader(l->c),
                                                 "too many failed logins: wait, then try again")),
                               retry);
                login_free(l);
                return;
        }
        l->work.data = l;
        if (uv_queue_work(conn_server(l->c)->loop, &l->work, login_check, login_checked) < 0) {
                conn_reply_error(l->c, 503, "unavailable", "cannot check the password now");
                login_free(l);
        }
}

void route_login(struct server *s, struct conn *c, struct http_request *r, const struct route *rt)
{
        json_error_t je;
        json_t *body = json_loadb(r->body ? r->body : "", r->body_len, 0, &je);
        const char *login = json_string_value(json_object_get(body, "login"));
        const char *password = json_string_value(json_object_get(body, "password"));
        struct login_job *l;

        (void)rt;
        if (!login || !password || !login_valid(login) || strlen(password) > PASSWORD_MAX) {
                json_decref(body);
                conn_reply_error(c, 400, "bad_request", "expected {\"login\", \"password\"}");
                return;
        }
        if (!(l = calloc(1, sizeof(*l)))) {
                json_decref(body);
                conn_reply_error(c, 503, "unavailable", "out of memory");
                return;
        }
        l->c = c;
        l->s = s;
        snprintf(l->login, sizeof(l->login), "%s", login);
        snprintf(l->address, sizeof(l->address), "%s", conn_address(c));
        snprintf(l->password, sizeof(l->password), "%s", password);
        json_decref(body);
        l->job.run = run_login_try;
        l->job.done = login_tried;
        db_submit(&s->db, &l->job);
}

static int query_session(struct store *s, struct query_job *q, struct error *e)
{
        (void)s;
        (void)e;
        q->out = session_json(q->who.login, q->who.role, q->who.region, q->who.finess, q->who.csrf);
        return 0;
}

void route_session(struct server *s, struct conn *c, struct http_request *r, const struct route *rt)
{
        api_start_query(s, c, r, rt, query_session);
}

static int query_logout(struct store *s, struct query_job *q, struct error *e)
{
        struct audit a = { time(NULL), q->who.login, "session.close", q->who.login, "" };
        int rc;

        q->set_cookie = "Set-Cookie: " SESSION_COOKIE "=; Path=/; Max-Age=0; HttpOnly; Secure;"
                        " SameSite=Strict\r\n";
        if (!q->who.session)
                return 0;
        if ((rc = store_session_delete(s, q->cookie, e)) < 0)
                return rc;
        return store_audit_add(s, &a, e);
}

void route_logout(struct server *s, struct conn *c, struct http_request *r, const struct route *rt)
{
        api_start_query(s, c, r, rt, query_logout);
}
