/* api.c - the collector's routes, all registered in one table with who may
 * call each, and the checks of the caller every user route goes through.
 * The routes themselves are in route_*.c, by resource.
 *
 * Each route says who may call it: anyone (the CA certificate, enrollment
 * with a token), an enrolled agent (its client certificate) or a holder of
 * an API token (bearer). Work that touches the store runs as a db job; the
 * answer goes out from its done callback. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "api.h"
#include "l10n.h"
#include "route.h"
#include "intake.h"
#include "util.h"

/* Scopes: a regional user's answers hold its region only, an establishment
 * user's its establishment only; a filter naming something outside the
 * scope (a region, a département, an establishment, a machine) is refused
 * (403), an object a path names outside it is not found (404), answered as
 * one that does not exist. A funder's routes give aggregates only. */
static const struct route routes[] = {
        { HTTP_GET, "/api/v1/ca", AUTH_NONE, 0, false, SCOPE_ALL, route_ca, NAMES_NONE },
        { HTTP_POST, "/api/v1/enroll", AUTH_NONE, 0, false, SCOPE_ALL, route_enroll, NAMES_NONE },
        { HTTP_POST, "/api/v1/reports", AUTH_AGENT, 0, false, SCOPE_OWN, route_reports,
          NAMES_NONE },
        { HTTP_GET, "/api/v1/policy", AUTH_AGENT, 0, false, SCOPE_OWN, route_policy, NAMES_NONE },
        { HTTP_POST, "/api/v1/session", AUTH_NONE, 0, false, SCOPE_ALL, route_login, NAMES_NONE },
        { HTTP_GET, "/api/v1/session", AUTH_USER, EVERYONE, false, SCOPE_OWN, route_session,
          NAMES_NONE },
        { HTTP_DELETE, "/api/v1/session", AUTH_USER, EVERYONE, true, SCOPE_OWN, route_logout,
          NAMES_NONE },
        { HTTP_GET, "/api/v1/alerts", AUTH_USER, STAFF, false, SCOPE_OWN, route_alerts,
          NAMES_NONE },
        { HTTP_GET, "/api/v1/alerts/groups", AUTH_USER, STAFF, false, SCOPE_OWN, route_alert_groups,
          NAMES_NONE },
        { HTTP_POST, "/api/v1/alerts/acknowledge", AUTH_USER, STAFF, true, SCOPE_OWN,
          route_acknowledge_many, NAMES_NONE },
        { HTTP_POST, "/api/v1/alerts/*/acknowledge", AUTH_USER, STAFF, true, SCOPE_OWN,
          route_acknowledge, NAMES_ALERT },
        { HTTP_GET, "/api/v1/agents", AUTH_USER, STAFF, false, SCOPE_OWN, route_agents,
          NAMES_NONE },
        { HTTP_GET, "/api/v1/agents/*", AUTH_USER, STAFF, false, SCOPE_OWN, route_machine,
          NAMES_MACHINE },
        { HTTP_GET, "/api/v1/machines", AUTH_USER, STAFF, false, SCOPE_OWN, route_machines,
          NAMES_NONE },
        { HTTP_GET, "/api/v1/checks", AUTH_USER, STAFF, false, SCOPE_OWN, route_checks,
          NAMES_NONE },
        { HTTP_GET, "/api/v1/checks/machines", AUTH_USER, STAFF, false, SCOPE_OWN,
          route_check_machines, NAMES_NONE },
        { HTTP_GET, "/api/v1/establishments", AUTH_USER, EVERYONE, false, SCOPE_OWN,
          route_establishments, NAMES_NONE },
        { HTTP_GET, "/api/v1/establishments/*", AUTH_USER, STAFF, false, SCOPE_OWN,
          route_establishment, NAMES_ESTABLISHMENT },
        { HTTP_POST, "/api/v1/establishments/*/records", AUTH_USER, STAFF, true, SCOPE_OWN,
          route_record, NAMES_ESTABLISHMENT },
        { HTTP_GET, "/api/v1/equipment", AUTH_USER, EVERYONE, false, SCOPE_OWN, route_equipment,
          NAMES_NONE },
        { HTTP_GET, "/api/v1/progress", AUTH_USER, EVERYONE, false, SCOPE_ALL, route_progress,
          NAMES_NONE },
        { HTTP_GET, "/api/v1/opendata/departments.json", AUTH_USER, EVERYONE, false, SCOPE_ALL,
          route_opendata, NAMES_NONE },
        { HTTP_GET, "/api/v1/opendata/departments.csv", AUTH_USER, EVERYONE, false, SCOPE_ALL,
          route_opendata, NAMES_NONE },
        { HTTP_GET, "/metrics", AUTH_USER, ADMIN, false, SCOPE_ALL, route_metrics, NAMES_NONE },
        { HTTP_GET, "/healthz", AUTH_NONE, 0, false, SCOPE_ALL, route_health, NAMES_NONE },
        { HTTP_GET, "/", AUTH_NONE, 0, false, SCOPE_ALL, route_static, NAMES_NONE },
        { HTTP_GET, "/ui/*", AUTH_NONE, 0, false, SCOPE_ALL, route_static, NAMES_NONE },
};

void api_reply_json(struct conn *c, unsigned status, json_t *o, const char *extra)
{
        char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;

        json_decref(o);
        if (!text) {
                conn_reply_error(c, 500, "internal", "out of memory");
                return;
        }
        conn_reply(c, status, "application/json", text, strlen(text), extra);
        free(text);
}

void api_reply_text(struct conn *c, unsigned status, const char *type, const char *text,
                    const char *extra)
{
        conn_reply(c, status, type, text, strlen(text), extra);
}

json_t *api_time_json(long long t)
{
        char buf[32];

        return t ? json_string(util_iso8601((time_t)t, buf, sizeof(buf))) : json_null();
}

/* msg may be e->msg itself: a store's refusal passed on as the answer. */
int api_refuse(struct query_job *q, unsigned status, const char *code, struct error *e,
               const char *msg)
{
        char copy[sizeof(e->msg)];

        snprintf(copy, sizeof(copy), "%s", msg);
        q->status = status;
        q->code = code;
        error_set(e, "", 0, "%s", copy);
        return -EACCES;
}

static int who_is_asking(struct store *s, struct query_job *q, struct error *e)
{
        struct principal *w = &q->who;
        struct user u;
        int rc;

        if (*q->bearer) {
                rc = store_api_token_check(s, q->bearer, e);
                if (rc == -ENOENT)
                        return api_refuse(q, 401, "invalid_token", e, "unknown API token");
                if (rc < 0)
                        return rc;
                w->role = ROLE_ADMIN;
                snprintf(w->login, sizeof(w->login), "api-token");
                return 0;
        }
        rc = store_session_get(s, q->cookie, time(NULL), &u, w->csrf, e);
        if (rc == -ENOENT)
                return api_refuse(q, 401, "session_expired", e,
                                  "the session has ended or expired: log in again");
        if (rc < 0)
                return rc;
        w->role = u.role;
        w->user_id = u.id;
        w->session = true;
        snprintf(w->login, sizeof(w->login), "%s", u.login);
        snprintf(w->region, sizeof(w->region), "%s", u.region);
        snprintf(w->finess, sizeof(w->finess), "%s", u.finess);
        return 0;
}

/* Whether establishment finess is within the caller's scope: 1, 0 (or
 * unknown), or -errno. */
static int establishment_in_scope(struct store *s, const struct query_job *q, const char *finess,
                                  struct error *e)
{
        struct establishment est;
        int rc = store_establishment_get(s, finess, &est, e);

        if (rc == -ENOENT)
                return 0;
        if (rc < 0)
                return rc;
        switch (q->who.role) {
        case ROLE_REGIONAL:
                return strcmp(est.region, q->who.region) == 0;
        case ROLE_ESTABLISHMENT:
                return strcmp(est.finess, q->who.finess) == 0;
        default:
                return 1;
        }
}

/* Whether machine (an agent id) is within the caller's scope: as above. */
static int machine_in_scope(struct store *s, const struct query_job *q, const char *id,
                            struct error *e)
{
        struct agent a;
        int rc = intake_uuid_ok(id) ? store_agent_get(s, id, &a, e) : -ENOENT;

        if (rc == -ENOENT)
                return 0;
        return rc < 0 ? rc : establishment_in_scope(s, q, a.finess, e);
}

static int found(void *user, int ncols, const char *const *v)
{
        (void)ncols;
        (void)v;
        *(bool *)user = true;
        return 1;
}

/* Whether département dep holds an establishment of the caller's scope. */
static int department_in_scope(struct store *s, const struct query_job *q, const char *dep,
                               struct error *e)
{
        const char *p[3] = { dep, q->who.region, q->who.finess };
        bool any = false;
        int rc = store_rows(s,
                            "SELECT 1 FROM establishments WHERE department = $1"
                            " AND (region = $2 OR finess = $3) LIMIT 1",
                            3, p, found, &any, e);

        return rc < 0 ? rc : any;
}

/* The caller's own region: a regional user's, an establishment user's
 * establishment's ("" when it has none). */
static int own_region(struct store *s, const struct query_job *q, char *region, size_t size,
                      struct error *e)
{
        struct establishment est;
        int rc;

        if (q->who.role == ROLE_REGIONAL) {
                snprintf(region, size, "%s", q->who.region);
                return 0;
        }
        rc = store_establishment_get(s, q->who.finess, &est, e);
        if (rc < 0 && rc != -ENOENT)
                return rc;
        snprintf(region, size, "%s", rc == 0 ? est.region : "");
        return 0;
}

/* Refuses a filter outside the caller's scope (403), then narrows q->filter
 * to the scope. */
static int within_scope(struct store *s, struct query_job *q, struct error *e)
{
        struct store_filter *f = &q->filter;
        char region[128];
        int rc = 1;

        if (q->who.role != ROLE_REGIONAL && q->who.role != ROLE_ESTABLISHMENT)
                return 0;
        if (f->region && *f->region) {
                if ((rc = own_region(s, q, region, sizeof(region), e)) < 0)
                        return rc;
                if (strcmp(f->region, region) != 0)
                        return api_refuse(q, 403, "out_of_scope", e,
                                          "that region is outside your scope");
        }
        if (f->department && *f->department &&
            (rc = department_in_scope(s, q, f->department, e)) <= 0)
                return rc < 0 ? rc
                              : api_refuse(q, 403, "out_of_scope", e,
                                           "that département is outside your scope");
        if (f->finess && *f->finess && (rc = establishment_in_scope(s, q, f->finess, e)) <= 0)
                return rc < 0 ? rc
                              : api_refuse(q, 403, "out_of_scope", e,
                                           "that establishment is outside your scope");
        if (f->agent_id && *f->agent_id && (rc = machine_in_scope(s, q, f->agent_id, e)) <= 0)
                return rc < 0 ? rc
                              : api_refuse(q, 403, "out_of_scope", e,
                                           "that machine is outside your scope");
        if (q->who.role == ROLE_REGIONAL)
                f->region = q->who.region;
        else
                f->finess = q->who.finess;
        return 0;
}

/* -ENOENT as the answer: the object the route names is not found. */
int api_not_found(struct query_job *q, int rc, struct error *e)
{
        static const char *const what[] = { N_("no such object"), N_("no such establishment"),
                                            N_("no such machine"), N_("no such alert") };

        return rc == -ENOENT ? api_refuse(q, 404, "not_found", e, what[q->rt->names]) : rc;
}

/* The object the path names, within the caller's scope, or not found: the
 * same answer whether it exists elsewhere or nowhere. */
static int named_in_scope(struct store *s, struct query_job *q, struct error *e)
{
        int rc;

        switch (q->rt->names) {
        case NAMES_ESTABLISHMENT:
                rc = establishment_in_scope(s, q, q->key, e);
                break;
        case NAMES_MACHINE:
                rc = machine_in_scope(s, q, q->key, e);
                break;
        default:
                return 0; /* an alert: the store looks within the scope */
        }
        return rc < 0 ? rc : rc ? 0 : api_not_found(q, -ENOENT, e);
}

static int run_query(struct store *s, struct db_job *j, struct error *e)
{
        struct query_job *q = (struct query_job *)j;
        int rc = who_is_asking(s, q, e);

        if (rc < 0)
                return rc;
        if (!(q->rt->roles & (1u << q->who.role)))
                return api_refuse(q, 403, "forbidden", e, "your role does not give access to this");
        if (q->rt->write && q->who.session &&
            (strlen(q->csrf_given) != strlen(q->who.csrf) ||
             CRYPTO_memcmp(q->csrf_given, q->who.csrf, strlen(q->who.csrf)) != 0))
                return api_refuse(q, 403, "csrf", e,
                                  "this change needs the session's X-CSRF-Token header");
        if (q->rt->scope == SCOPE_OWN && (rc = within_scope(s, q, e)) < 0)
                return rc;
        if ((rc = named_in_scope(s, q, e)) < 0)
                return rc;
        if (q->bad_request)
                return api_refuse(q, 400, "bad_request", e, q->bad_request);
        return q->query(s, q, e);
}

void api_query_done(struct db_job *j)
{
        struct query_job *q = (struct query_job *)j;

        if (q->job.rc < 0 && q->status >= 400)
                conn_reply_error(q->c, q->status, q->code, "%s", q->job.e.msg);
        else if (q->job.rc == -EINVAL)
                conn_reply_error(q->c, 400, "bad_request", "%s", q->job.e.msg);
        else if (q->job.rc < 0)
                conn_reply_error(q->c, 503, "unavailable", "the database is unavailable");
        else if (q->text)
                conn_reply(q->c, 200, "text/csv; charset=utf-8", q->text, q->text_len,
                           "Content-Disposition: attachment\r\n");
        else if (!q->out)
                conn_reply(q->c, q->status ? q->status : 204, "application/json", "", 0,
                           q->set_cookie);
        else
                api_reply_json(q->c, q->status ? q->status : 200, q->out, q->set_cookie),
                    q->out = NULL;
        json_decref(q->out);
        json_decref(q->body);
        free(q->text);
        free(q);
}

/* The whole number parameter name of the query string, from min to max:
 * 0, -ENOENT when it is not there, -EINVAL when it is not such a number. */
static int number(struct http_request *r, const char *name, long min, long max, long *out)
{
        char buf[24], *end;
        int rc = http_query(r, name, buf, sizeof(buf));
        long n;

        if (rc < 0)
                return rc == -ENOENT ? rc : -EINVAL;
        errno = 0;
        n = strtol(buf, &end, 10);
        if (errno || *end || end == buf || n < min || n > max)
                return -EINVAL;
        *out = n;
        return 0;
}

/* Reads the list filters from the query string. 0, or -EINVAL with e. */
static int read_filter(struct http_request *r, struct query_job *q, struct error *e)
{
        static const char *const names[6] = { "finess", "region", "department",
                                              "check",  "status", "agent" };
        const char **fields[6] = { &q->filter.finess, &q->filter.region, &q->filter.department,
                                   &q->filter.check,  &q->filter.status, &q->filter.agent_id };
        long n;
        int rc;

        for (int i = 0; i < 6; i++) {
                rc = http_query(r, names[i], q->values[i], sizeof(q->values[i]));
                if (rc == -EINVAL) {
                        error_set(e, "", 0, lang_tr(q->cat, "bad value for %s"), names[i]);
                        return rc;
                }
                *fields[i] = rc == 0 ? q->values[i] : NULL;
        }
        if (q->filter.status && strcmp(q->filter.status, "open") != 0 &&
            strcmp(q->filter.status, "acknowledged") != 0 &&
            strcmp(q->filter.status, "resolved") != 0) {
                error_set(e, "", 0, "%s",
                          lang_tr(q->cat, "status must be open, acknowledged or resolved"));
                return -EINVAL;
        }
        rc = http_query(r, "severity", q->values[6], sizeof(q->values[6]));
        if (rc != -ENOENT && (rc < 0 || severity_from_name(q->values[6]) < 0)) {
                error_set(e, "", 0, "%s",
                          lang_tr(q->cat, "severity must be critical, high, medium, low or info"));
                return -EINVAL;
        }
        q->filter.severity = rc == 0 ? q->values[6] : NULL;
        q->filter.limit = 1000;
        if ((rc = number(r, "limit", 1, 10000, &n)) == 0)
                q->filter.limit = n;
        else if (rc != -ENOENT) {
                error_set(e, "", 0, "%s",
                          lang_tr(q->cat, "limit must be a number from 1 to 10000"));
                return -EINVAL;
        }
        if ((rc = number(r, "offset", 0, 10000000, &n)) == 0)
                q->filter.offset = n;
        else if (rc != -ENOENT) {
                error_set(e, "", 0, "%s",
                          lang_tr(q->cat, "offset must be a number from 0 to 10000000"));
                return -EINVAL;
        }
        if ((rc = number(r, "min_age_days", 0, 36500, &n)) == 0)
                q->filter.opened_before = n ? (long long)time(NULL) - n * 86400LL : 0;
        else if (rc != -ENOENT) {
                error_set(e, "", 0, "%s",
                          lang_tr(q->cat, "min_age_days must be a number of days from 0 to 36500"));
                return -EINVAL;
        }
        return 0;
}

/* The value of cookie name in the request, or NULL; *len its length. */
static const char *cookie_value(struct http_request *r, const char *name, size_t *len)
{
        const char *h = http_header(r, "Cookie");
        size_t n = strlen(name);

        while (h && *h) {
                h += strspn(h, " ;");
                if (strncmp(h, name, n) == 0 && h[n] == '=') {
                        *len = strcspn(h + n + 1, ";");
                        return h + n + 1;
                }
                h = strchr(h, ';');
        }
        return NULL;
}

struct query_job *api_start_job(struct server *s, struct conn *c, struct http_request *r,
                                const struct route *rt, size_t size, long long id,
                                int (*query)(struct store *, struct query_job *, struct error *),
                                db_done_fn *done)
{
        const char *auth = http_header(r, "Authorization"), *csrf = http_header(r, "X-CSRF-Token");
        struct query_job *q = calloc(1, size);
        const char *cookie;
        char token[128];
        size_t len;
        struct error e;

        if (!q) {
                conn_reply_error(c, 503, "unavailable", "out of memory");
                return NULL;
        }
        q->c = c;
        q->cat = server_reader(s, r);
        q->rt = rt;
        q->id = id;
        q->query = query;
        q->job.run = run_query;
        q->job.done = done;
        /* What a GET asks only reads: the reader's, beside reports. */
        q->job.read_only = rt->method == HTTP_GET;
        if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
                token_hash(auth + 7, q->bearer, sizeof(q->bearer));
        } else if ((cookie = cookie_value(r, SESSION_COOKIE, &len)) && len < sizeof(token)) {
                memcpy(token, cookie, len);
                token[len] = '\0';
                token_hash(token, q->cookie, sizeof(q->cookie));
        }
        snprintf(q->csrf_given, sizeof(q->csrf_given), "%s", csrf ? csrf : "");
        if (read_filter(r, q, &e) < 0) {
                conn_reply_error(c, 400, "bad_request", "%s", e.msg);
                free(q);
                return NULL;
        }
        return q;
}

void api_start_query(struct server *s, struct conn *c, struct http_request *r,
                     const struct route *rt,
                     int (*query)(struct store *, struct query_job *, struct error *))
{
        struct query_job *q =
            api_start_job(s, c, r, rt, sizeof(struct query_job), 0, query, api_query_done);

        if (q)
                db_submit(&s->db, &q->job);
}

/* The default policy's rules: scores, plan checks and prices are the same
 * for every establishment a view compares. */
const struct store_rules *api_rules(struct query_job *q)
{
        return db_rules(q->job.worker, "");
}

struct view_scope api_scope(const struct query_job *q)
{
        return (struct view_scope){ q->filter.finess, q->filter.region, q->filter.department };
}

/* The dashboard's routes. */

/* The segment of the path after prefix into key; false when it is empty,
 * too long or holds other than letters, digits and '-'. */
static bool path_key(struct http_request *r, const char *prefix, char *key, size_t size)
{
        char path[HTTP_URL_MAX + 1];
        size_t n;

        http_path(r, path, sizeof(path));
        n = strcspn(path + strlen(prefix), "/");
        if (n == 0 || n >= size ||
            strspn(path + strlen(prefix),
                   "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-") < n)
                return false;
        memcpy(key, path + strlen(prefix), n);
        key[n] = '\0';
        return true;
}

/* Queues a route's query on the object the path names after prefix. */
void api_start_named(struct server *s, struct conn *c, struct http_request *r,
                     const struct route *rt, const char *prefix, const char *what,
                     int (*query)(struct store *, struct query_job *, struct error *), json_t *body)
{
        char key[64];
        struct query_job *q;

        if (!path_key(r, prefix, key, sizeof(key))) {
                json_decref(body);
                conn_reply_error(c, 404, "not_found", "no such %s", what);
                return;
        }
        q = api_start_job(s, c, r, rt, sizeof(struct query_job), 0, query, api_query_done);
        if (!q) {
                json_decref(body);
                return;
        }
        snprintf(q->key, sizeof(q->key), "%s", key);
        q->body = body;
        db_submit(&s->db, &q->job);
}

/* Dispatch. */

/* Whether path matches pattern, where a "*" segment stands for any one
 * non-empty segment. */
static bool path_matches(const char *pattern, const char *path)
{
        while (*pattern && *path) {
                if (pattern[0] == '*' && (pattern[1] == '/' || !pattern[1])) {
                        size_t n = strcspn(path, "/");

                        if (n == 0)
                                return false;
                        path += n;
                        pattern++;
                        continue;
                }
                if (*pattern++ != *path++)
                        return false;
        }
        return !*pattern && !*path;
}

void api_handle(struct server *s, struct conn *c, struct http_request *r)
{
        char path[HTTP_URL_MAX + 1];
        const struct route *match = NULL;
        unsigned method = r->method == HTTP_HEAD ? HTTP_GET : r->method;
        bool found = false;

        http_path(r, path, sizeof(path));
        for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
                if (!path_matches(routes[i].path, path))
                        continue;
                found = true;
                if (routes[i].method == method) {
                        match = &routes[i];
                        break;
                }
        }
        if (!match && found) {
                conn_reply_error(c, 405, "method_not_allowed", "%s is not allowed on %s",
                                 http_method_str(r->method), path);
                return;
        }
        if (!match) {
                conn_reply_error(c, 404, "not_found", "no such route: %s", path);
                return;
        }
        if (match->auth == AUTH_USER) {
                const char *auth = http_header(r, "Authorization");
                size_t len;

                if (!(auth && strncasecmp(auth, "Bearer ", 7) == 0) &&
                    !cookie_value(r, SESSION_COOKIE, &len)) {
                        api_reply_text(
                            c, 401, "application/json",
                            "{\"error\":{\"code\":\"unauthorized\",\"message\":"
                            "\"log in, or give an API token (Authorization: Bearer ...)\"}}",
                            "WWW-Authenticate: Bearer\r\n");
                        return;
                }
        }
        if (match->auth == AUTH_AGENT) {
                const struct conn_peer *peer = conn_peer(c);

                if (peer->rc == -ENOKEY) {
                        conn_reply_error(c, 401, "certificate_required",
                                         "this route needs the agent's client certificate");
                        return;
                }
                if (peer->rc < 0) {
                        conn_reply_error(c, 401, "bad_certificate",
                                         "the client certificate was refused: %s", peer->why);
                        return;
                }
        }
        match->fn(s, c, r, match);
}
