/* api.c - the collector's routes, all registered in one table.
 *
 * Each route says who may call it: anyone (the CA certificate, enrollment
 * with a token), an enrolled agent (its client certificate) or a holder of
 * an API token (bearer). Work that touches the store runs as a db job; the
 * answer goes out from its done callback. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "api.h"
#include "ca.h"
#include "checks.h"
#include "gzip.h"
#include "intake.h"
#include "log.h"
#include "password.h"
#include "server.h"
#include "throttle.h"
#include "token.h"
#include "util.h"
#include "views.h"
#include "web.h"

/* Who may call a route: anyone, an enrolled agent (its client certificate),
 * or a user (a session cookie, or an API token, which acts as an admin)
 * whose role is among the route's. */
enum auth { AUTH_NONE, AUTH_AGENT, AUTH_USER };

#define ADMIN         (1u << ROLE_ADMIN)
#define REGIONAL      (1u << ROLE_REGIONAL)
#define ESTABLISHMENT (1u << ROLE_ESTABLISHMENT)
#define FUNDER        (1u << ROLE_FUNDER)
#define STAFF         (ADMIN | REGIONAL | ESTABLISHMENT) /* who sees machines */
#define EVERYONE      (STAFF | FUNDER)

/* What a user route's answer covers: the caller's scope (a regional user's
 * region, an establishment user's establishment), or everything, for
 * aggregates that name no one (small cells suppressed). */
enum scope { SCOPE_OWN, SCOPE_ALL };

struct route;
typedef void route_fn(struct server *s, struct conn *c, struct http_request *r,
                      const struct route *rt);

/* What the "*" of a user route's path names: outside the caller's scope
 * it is not found, with the same answer as one that does not exist. */
enum names { NAMES_NONE, NAMES_ESTABLISHMENT, NAMES_MACHINE, NAMES_ALERT };

struct route {
        unsigned method;
        const char *path; /* a "*" segment matches one segment */
        enum auth auth;
        unsigned roles; /* AUTH_USER: the roles let in */
        bool write;     /* AUTH_USER: a change, which a session must back with its CSRF token */
        enum scope scope;
        route_fn *fn;
        enum names names;
};

static route_fn route_ca, route_enroll, route_reports, route_policy, route_alerts, route_agents,
    route_establishments, route_metrics, route_health, route_login, route_session, route_logout,
    route_acknowledge, route_establishment, route_record, route_machine, route_equipment,
    route_progress, route_opendata, route_static;

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
        { HTTP_POST, "/api/v1/alerts/*/acknowledge", AUTH_USER, STAFF, true, SCOPE_OWN,
          route_acknowledge, NAMES_ALERT },
        { HTTP_GET, "/api/v1/agents", AUTH_USER, STAFF, false, SCOPE_OWN, route_agents,
          NAMES_NONE },
        { HTTP_GET, "/api/v1/agents/*", AUTH_USER, STAFF, false, SCOPE_OWN, route_machine,
          NAMES_MACHINE },
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

#define SESSION_COOKIE "hygie_session"

static void reply_json(struct conn *c, unsigned status, json_t *o, const char *extra)
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

static void reply_text(struct conn *c, unsigned status, const char *type, const char *text,
                       const char *extra)
{
        conn_reply(c, status, type, text, strlen(text), extra);
}

static json_t *time_json(long long t)
{
        char buf[32];

        return t ? json_string(util_iso8601((time_t)t, buf, sizeof(buf))) : json_null();
}

/* User routes: a job that finds who is asking (API token or session),
 * checks the route's roles, the CSRF token of a session's write and the
 * caller's scope, then runs its query into a JSON answer. */

struct principal {
        int role;          /* enum role */
        long long user_id; /* 0 for an API token */
        char login[65];    /* "api-token" for one */
        char region[128];  /* a regional user's */
        char finess[10];   /* an establishment user's */
        char csrf[65];     /* a session's CSRF token */
        bool session;
};

struct query_job {
        struct db_job job;
        struct conn *c;
        const struct route *rt;
        char bearer[TOKEN_HASH_LEN + 1]; /* hash of the API token, or "" */
        char cookie[TOKEN_HASH_LEN + 1]; /* hash of the session token, or "" */
        char csrf_given[65];
        struct principal who;
        char values[6][128];
        struct store_filter filter;
        long long id;            /* of the object a route names */
        char key[64];            /* or its name: a FINESS number, an agent id */
        json_t *body;            /* of a POST */
        bool csv;                /* the answer as CSV */
        const char *bad_request; /* found before the caller was known: refused after */
        char *text;              /* a CSV answer */
        size_t text_len;
        int (*query)(struct store *s, struct query_job *q, struct error *e);
        json_t *out; /* the answer */
        unsigned status;
        const char *code;       /* with status >= 400: the error's code */
        const char *set_cookie; /* extra header lines of the answer */
};

/* msg may be e->msg itself: a store's refusal passed on as the answer. */
static int refuse(struct query_job *q, unsigned status, const char *code, struct error *e,
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
                        return refuse(q, 401, "invalid_token", e, "unknown API token");
                if (rc < 0)
                        return rc;
                w->role = ROLE_ADMIN;
                snprintf(w->login, sizeof(w->login), "api-token");
                return 0;
        }
        rc = store_session_get(s, q->cookie, time(NULL), &u, w->csrf, e);
        if (rc == -ENOENT)
                return refuse(q, 401, "session_expired", e,
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
                        return refuse(q, 403, "out_of_scope", e,
                                      "that region is outside your scope");
        }
        if (f->department && *f->department &&
            (rc = department_in_scope(s, q, f->department, e)) <= 0)
                return rc < 0 ? rc
                              : refuse(q, 403, "out_of_scope", e,
                                       "that département is outside your scope");
        if (f->finess && *f->finess && (rc = establishment_in_scope(s, q, f->finess, e)) <= 0)
                return rc < 0 ? rc
                              : refuse(q, 403, "out_of_scope", e,
                                       "that establishment is outside your scope");
        if (f->agent_id && *f->agent_id && (rc = machine_in_scope(s, q, f->agent_id, e)) <= 0)
                return rc < 0 ? rc
                              : refuse(q, 403, "out_of_scope", e,
                                       "that machine is outside your scope");
        if (q->who.role == ROLE_REGIONAL)
                f->region = q->who.region;
        else
                f->finess = q->who.finess;
        return 0;
}

/* -ENOENT as the answer: the object the route names is not found. */
static int not_found(struct query_job *q, int rc, struct error *e)
{
        static const char *const what[] = { "no such object", "no such establishment",
                                            "no such machine", "no such alert" };

        return rc == -ENOENT ? refuse(q, 404, "not_found", e, what[q->rt->names]) : rc;
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
        return rc < 0 ? rc : rc ? 0 : not_found(q, -ENOENT, e);
}

static int run_query(struct store *s, struct db_job *j, struct error *e)
{
        struct query_job *q = (struct query_job *)j;
        int rc = who_is_asking(s, q, e);

        if (rc < 0)
                return rc;
        if (!(q->rt->roles & (1u << q->who.role)))
                return refuse(q, 403, "forbidden", e, "your role does not give access to this");
        if (q->rt->write && q->who.session &&
            (strlen(q->csrf_given) != strlen(q->who.csrf) ||
             CRYPTO_memcmp(q->csrf_given, q->who.csrf, strlen(q->who.csrf)) != 0))
                return refuse(q, 403, "csrf", e,
                              "this change needs the session's X-CSRF-Token header");
        if (q->rt->scope == SCOPE_OWN && (rc = within_scope(s, q, e)) < 0)
                return rc;
        if ((rc = named_in_scope(s, q, e)) < 0)
                return rc;
        if (q->bad_request)
                return refuse(q, 400, "bad_request", e, q->bad_request);
        return q->query(s, q, e);
}

static void query_done(struct db_job *j)
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
                reply_json(q->c, q->status ? q->status : 200, q->out, q->set_cookie), q->out = NULL;
        json_decref(q->out);
        json_decref(q->body);
        free(q->text);
        free(q);
}

/* Reads the list filters from the query string. 0, or -EINVAL with e. */
static int read_filter(struct http_request *r, struct query_job *q, struct error *e)
{
        static const char *const names[6] = { "finess", "region", "department",
                                              "check",  "status", "agent" };
        const char **fields[6] = { &q->filter.finess, &q->filter.region, &q->filter.department,
                                   &q->filter.check,  &q->filter.status, &q->filter.agent_id };
        char limit[16];
        int rc;

        for (int i = 0; i < 6; i++) {
                rc = http_query(r, names[i], q->values[i], sizeof(q->values[i]));
                if (rc == -EINVAL) {
                        error_set(e, "", 0, "bad value for %s", names[i]);
                        return rc;
                }
                *fields[i] = rc == 0 ? q->values[i] : NULL;
        }
        if (q->filter.status && strcmp(q->filter.status, "open") != 0 &&
            strcmp(q->filter.status, "acknowledged") != 0 &&
            strcmp(q->filter.status, "resolved") != 0) {
                error_set(e, "", 0, "status must be open, acknowledged or resolved");
                return -EINVAL;
        }
        q->filter.limit = 1000;
        if ((rc = http_query(r, "limit", limit, sizeof(limit))) != -ENOENT) {
                char *end;
                long n = strtol(limit, &end, 10);

                if (rc < 0 || *end || end == limit || n < 1 || n > 10000) {
                        error_set(e, "", 0, "limit must be a number from 1 to 10000");
                        return -EINVAL;
                }
                q->filter.limit = n;
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

/* A user route's job of size bytes (a struct query_job first), to queue
 * with db_submit: it finds the caller and checks it, then query runs and
 * done answers. NULL when it could not be made (the answer is sent). */
static struct query_job *start_job(struct server *s, struct conn *c, struct http_request *r,
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

        (void)s;
        if (!q) {
                conn_reply_error(c, 503, "unavailable", "out of memory");
                return NULL;
        }
        q->c = c;
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

static void start_query(struct server *s, struct conn *c, struct http_request *r,
                        const struct route *rt,
                        int (*query)(struct store *, struct query_job *, struct error *))
{
        struct query_job *q =
            start_job(s, c, r, rt, sizeof(struct query_job), 0, query, query_done);

        if (q)
                db_submit(&s->db, &q->job);
}

static int alert_row(void *user, const struct alert *a)
{
        json_t *list = user;

        return json_array_append_new(
            list,
            json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "id",
                      (json_int_t)a->id, "agent_id", a->agent_id, "hostname", a->hostname, "finess",
                      a->finess, "check", a->check, "subject", a->subject, "severity", a->severity,
                      "status", a->status, "summary", a->summary, "opened_at",
                      time_json(a->opened_at), "acknowledged_at", time_json(a->acknowledged_at),
                      "resolved_at", time_json(a->resolved_at)));
}

static int query_alerts(struct store *s, struct query_job *q, struct error *e)
{
        json_t *list = json_array();
        int rc = store_alert_list(s, &q->filter, alert_row, list, e);

        q->out = json_pack("{s:o}", "alerts", list);
        return rc;
}

static int agent_row(void *user, const struct agent *a)
{
        json_t *list = user;

        return json_array_append_new(
            list, json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:s}", "id", a->id, "finess", a->finess,
                            "hostname", a->hostname, "enrolled_at", time_json(a->enrolled_at),
                            "last_seen", time_json(a->last_seen), "revoked_at",
                            time_json(a->revoked_at), "status",
                            a->revoked_at  ? "revoked"
                            : a->last_seen ? "active"
                                           : "enrolled"));
}

static int query_agents(struct store *s, struct query_job *q, struct error *e)
{
        json_t *list = json_array();
        int rc = store_agent_list(s, &q->filter, agent_row, list, e);

        q->out = json_pack("{s:o}", "agents", list);
        return rc;
}

/* The default policy's rules: scores, plan checks and prices are the same
 * for every establishment a view compares. */
static const struct store_rules *rules(struct query_job *q)
{
        return db_rules(q->job.worker, "");
}

static struct view_scope scope_of(const struct query_job *q)
{
        return (struct view_scope){ q->filter.finess, q->filter.region, q->filter.department };
}

static int query_establishments(struct store *s, struct query_job *q, struct error *e)
{
        struct view_scope sc = scope_of(q);

        return view_establishments(s, rules(q), &sc, time(NULL), &q->out, e);
}

/* A route naming one establishment: outside the caller's scope it does not
 * exist. */
static int named_establishment(struct query_job *q, struct view_scope *sc, struct error *e)
{
        if (q->filter.finess && strcmp(q->filter.finess, q->key) != 0)
                return refuse(q, 404, "not_found", e, "no such establishment");
        *sc = scope_of(q);
        sc->finess = q->key;
        return 0;
}

static int query_establishment(struct store *s, struct query_job *q, struct error *e)
{
        struct view_scope sc;
        int rc = named_establishment(q, &sc, e);

        if (rc < 0)
                return rc;
        return not_found(q, view_establishment(s, rules(q), &sc, time(NULL), &q->out, e), e);
}

static int query_machine(struct store *s, struct query_job *q, struct error *e)
{
        struct view_scope sc = scope_of(q);

        return not_found(q, view_machine(s, q->key, &sc, time(NULL), &q->out, e), e);
}

static int answer_csv(struct query_job *q, const char *list, const char *const *columns)
{
        int rc;

        if (!q->csv)
                return 0;
        rc = view_csv(json_object_get(q->out, list), columns, &q->text, &q->text_len);
        json_decref(q->out);
        q->out = NULL;
        return rc;
}

static int query_equipment(struct store *s, struct query_job *q, struct error *e)
{
        static const char *const columns[] = { "need_rank",
                                               "finess",
                                               "name",
                                               "region",
                                               "department",
                                               "machines",
                                               "to_replace",
                                               "to_upgrade",
                                               "ram_upgrades",
                                               "ssd_upgrades",
                                               "estimated_cost_eur",
                                               "hygiene_score",
                                               "need",
                                               NULL };
        struct view_scope sc = scope_of(q);
        int rc = view_equipment(s, rules(q), &sc, time(NULL), &q->out, e);

        return rc < 0 ? rc : answer_csv(q, "establishments", columns);
}

static int query_progress(struct store *s, struct query_job *q, struct error *e)
{
        return view_progress(s, rules(q), NULL, time(NULL), &q->out, e);
}

static int query_opendata(struct store *s, struct query_job *q, struct error *e)
{
        static const char *const columns[] = { "department",         "establishments",
                                               "machines",           "median_score",
                                               "supported_os_share", "equipment_flagged_share",
                                               "exercise_share",     NULL };
        int rc = view_opendata(s, rules(q), time(NULL), &q->out, e);

        return rc < 0 ? rc : answer_csv(q, "departments", columns);
}

static int record_in_tx(struct store *s, void *user, struct error *e)
{
        struct query_job *q = user;
        char detail[64];
        struct audit a = { time(NULL), q->who.login, "record.add", q->key, detail };
        int rc;

        if (!q->body)
                return refuse(q, 400, "bad_request", e, "the body must be a JSON object");
        rc = view_record_add(s, rules(q), q->key, q->body, q->who.login, time(NULL), &q->out, e);
        if (rc == -EINVAL)
                return refuse(q, 400, "bad_request", e, e->msg);
        if (rc < 0)
                return rc;
        snprintf(detail, sizeof(detail), "%s %lld",
                 json_string_value(json_object_get(q->out, "kind")),
                 (long long)json_integer_value(json_object_get(q->out, "id")));
        q->status = 201;
        return store_audit_add(s, &a, e);
}

static int query_record(struct store *s, struct query_job *q, struct error *e)
{
        struct view_scope sc;
        int rc = named_establishment(q, &sc, e);

        if (rc < 0)
                return rc;
        return store_tx(s, record_in_tx, q, e);
}

static void route_alerts(struct server *s, struct conn *c, struct http_request *r,
                         const struct route *rt)
{
        start_query(s, c, r, rt, query_alerts);
}

static void route_agents(struct server *s, struct conn *c, struct http_request *r,
                         const struct route *rt)
{
        start_query(s, c, r, rt, query_agents);
}

static void route_establishments(struct server *s, struct conn *c, struct http_request *r,
                                 const struct route *rt)
{
        start_query(s, c, r, rt, query_establishments);
}

/* Metrics: counters of this process, and alerts from the store. */

struct metrics_job {
        struct query_job q;
        long counts[SEV_COUNT];
};

static int query_metrics(struct store *s, struct query_job *q, struct error *e)
{
        struct metrics_job *m = (struct metrics_job *)q;

        return store_alert_counts(s, m->counts, e);
}

static void metrics_done(struct db_job *j)
{
        struct metrics_job *mj = (struct metrics_job *)j;
        struct conn *c = mj->q.c;
        struct server *s = conn_server(c);
        const struct server_metrics *m = &s->m;
        struct db_stats ds = db_stats(&s->db);
        static const char *const bounds[LATENCY_BUCKETS] = {
                "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05",
                "0.1",   "0.25",   "0.5",   "1",    "2.5",   "10",
        };
        unsigned long long cum = 0, sweeps;
        bool leading;
        char *buf;
        size_t size;
        FILE *f;

        if (j->rc < 0) {
                query_done(j);
                return;
        }
        f = open_memstream(&buf, &size);
        if (!f) {
                conn_reply_error(c, 503, "unavailable", "out of memory");
                free(mj);
                return;
        }
        fputs("# HELP hygie_reports_total Reports received, by outcome.\n"
              "# TYPE hygie_reports_total counter\n",
              f);
        fprintf(f, "hygie_reports_total{result=\"stored\"} %llu\n", m->reports_stored);
        fprintf(f, "hygie_reports_total{result=\"duplicate\"} %llu\n", m->reports_duplicate);
        fprintf(f, "hygie_reports_total{result=\"rejected\"} %llu\n", m->reports_rejected);
        fputs("# HELP hygie_http_requests_total HTTP requests answered, by status class.\n"
              "# TYPE hygie_http_requests_total counter\n",
              f);
        for (int i = 1; i <= 5; i++)
                fprintf(f, "hygie_http_requests_total{code=\"%dxx\"} %llu\n", i, m->requests[i]);
        fputs("# HELP hygie_errors_total Connections ended by an error.\n"
              "# TYPE hygie_errors_total counter\n",
              f);
        fprintf(f, "hygie_errors_total{kind=\"tls\"} %llu\n", m->tls_errors);
        fprintf(f, "hygie_errors_total{kind=\"timeout\"} %llu\n", m->timeouts);
        fprintf(f, "hygie_errors_total{kind=\"too_many_connections\"} %llu\n", m->refused_busy);
        fprintf(f, "hygie_errors_total{kind=\"busy\"} %llu\n", m->busy);
        fprintf(f, "hygie_errors_total{kind=\"database\"} %llu\n", ds.failures);
        fputs("# HELP hygie_report_duration_seconds Time from a report's last byte to its answer.\n"
              "# TYPE hygie_report_duration_seconds histogram\n",
              f);
        for (int i = 0; i < LATENCY_BUCKETS; i++) {
                cum += m->latency[i];
                fprintf(f, "hygie_report_duration_seconds_bucket{le=\"%s\"} %llu\n", bounds[i],
                        cum);
        }
        cum += m->latency[LATENCY_BUCKETS];
        fprintf(f, "hygie_report_duration_seconds_bucket{le=\"+Inf\"} %llu\n", cum);
        fprintf(f, "hygie_report_duration_seconds_sum %.6f\n", m->latency_sum);
        fprintf(f, "hygie_report_duration_seconds_count %llu\n", cum);
        fputs("# HELP hygie_db_commits_total Store transactions of reports (group commits).\n"
              "# TYPE hygie_db_commits_total counter\n",
              f);
        fprintf(f, "hygie_db_commits_total %llu\n", ds.batches);
        fputs("# HELP hygie_leading 1 on the collector that runs the sweep and notifications.\n"
              "# TYPE hygie_leading gauge\n",
              f);
        leading = duties_leading(&s->duties, &sweeps);
        fprintf(f, "hygie_leading %d\n", leading);
        fputs("# HELP hygie_sweeps_total Sweeps this collector ran.\n"
              "# TYPE hygie_sweeps_total counter\n",
              f);
        fprintf(f, "hygie_sweeps_total %llu\n", sweeps);
        fputs("# HELP hygie_connections Open connections.\n# TYPE hygie_connections gauge\n", f);
        fprintf(f, "hygie_connections %u\n", m->connections);
        fputs("# HELP hygie_agents_connected Connections from enrolled agents.\n"
              "# TYPE hygie_agents_connected gauge\n",
              f);
        fprintf(f, "hygie_agents_connected %u\n", m->agents_connected);
        fputs("# HELP hygie_alerts Alerts not resolved, by severity.\n"
              "# TYPE hygie_alerts gauge\n",
              f);
        for (int i = 0; i < SEV_COUNT; i++)
                fprintf(f, "hygie_alerts{severity=\"%s\"} %ld\n", severity_name(i), mj->counts[i]);
        fclose(f);
        conn_reply(c, 200, "text/plain; version=0.0.4", buf, size, NULL);
        free(buf);
        free(mj);
}

static void route_metrics(struct server *s, struct conn *c, struct http_request *r,
                          const struct route *rt)
{
        struct query_job *q =
            start_job(s, c, r, rt, sizeof(struct metrics_job), 0, query_metrics, metrics_done);

        if (q)
                db_submit(&s->db, &q->job);
}

/* Public routes. */

static void route_health(struct server *s, struct conn *c, struct http_request *r,
                         const struct route *rt)
{
        (void)rt;
        (void)r;
        if (s->stopping)
                conn_reply_error(c, 503, "stopping", "the collector is stopping");
        else
                reply_text(c, 200, "application/json", "{\"status\":\"ok\"}", NULL);
}

static void route_ca(struct server *s, struct conn *c, struct http_request *r,
                     const struct route *rt)
{
        (void)rt;
        (void)r;
        conn_reply(c, 200, "application/x-pem-file", s->ca_pem, strlen(s->ca_pem), NULL);
}

struct enroll_job {
        struct db_job job;
        struct conn *c;
        struct ca *ca;
        char hash[TOKEN_HASH_LEN + 1];
        const char *csr; /* in body */
        json_t *body;
        struct agent agent;
        char *cert;
        unsigned status;
        const char *code;
};

static int run_enroll(struct store *s, struct db_job *j, struct error *e)
{
        struct enroll_job *en = (struct enroll_job *)j;
        int rc;

        /* The request is checked before a use of the token is spent. */
        if ((rc = util_uuid4(en->agent.id, sizeof(en->agent.id))) < 0)
                return rc;
        rc = ca_sign_csr(en->ca, en->csr, strlen(en->csr), en->agent.id, 825, &en->cert, e);
        if (rc < 0) {
                en->status = 400;
                en->code = "bad_csr";
                return rc;
        }
        rc = store_token_consume(s, en->hash, time(NULL), en->agent.finess, e);
        if (rc == -ENOENT || rc == -EKEYEXPIRED || rc == -EDQUOT) {
                en->status = 401;
                en->code = rc == -ENOENT        ? "invalid_token"
                           : rc == -EKEYEXPIRED ? "token_expired"
                                                : "token_used_up";
                return rc;
        }
        if (rc < 0)
                return rc;
        en->agent.enrolled_at = time(NULL);
        return store_agent_add(s, &en->agent, e);
}

static void enroll_done(struct db_job *j)
{
        struct enroll_job *en = (struct enroll_job *)j;
        struct server *s = conn_server(en->c);

        if (j->rc == 0) {
                log_info("msg=\"agent enrolled\" agent=%s finess=%s hostname=\"%s\"", en->agent.id,
                         en->agent.finess, en->agent.hostname);
                reply_json(en->c, 201,
                           json_pack("{s:s, s:s, s:s, s:s}", "agent_id", en->agent.id, "finess",
                                     en->agent.finess, "certificate", en->cert, "ca_certificate",
                                     s->ca_pem),
                           NULL);
        } else if (en->status) {
                log_info("msg=\"enrollment refused\" reason=%s", en->code);
                conn_reply_error(en->c, en->status, en->code, "%s", j->e.msg);
        } else {
                conn_reply_error(en->c, 503, "unavailable", "enrollment failed: %s", j->e.msg);
        }
        json_decref(en->body);
        free(en->cert);
        free(en);
}

static void route_enroll(struct server *s, struct conn *c, struct http_request *r,
                         const struct route *rt)
{
        (void)rt;
        json_error_t je;
        json_t *body = json_loadb(r->body ? r->body : "", r->body_len, 0, &je);
        const char *token, *csr, *hostname, *machine;
        struct enroll_job *en;

        if (!json_is_object(body)) {
                json_decref(body);
                conn_reply_error(c, 400, "bad_request", "the body must be a JSON object");
                return;
        }
        token = json_string_value(json_object_get(body, "token"));
        csr = json_string_value(json_object_get(body, "csr"));
        hostname = json_string_value(json_object_get(body, "hostname"));
        machine = json_string_value(json_object_get(body, "machine"));
        if (!token || !csr || !hostname || !*hostname ||
            !util_line_ok(hostname, strlen(hostname), 255) || strlen(csr) > 16384 ||
            (machine &&
             (strlen(machine) > 64 || strspn(machine, "0123456789abcdef") != strlen(machine)))) {
                json_decref(body);
                conn_reply_error(c, 400, "bad_request",
                                 "expected {\"token\", \"csr\", \"hostname\"[, \"machine\"]},"
                                 " the host name one line of at most 255 bytes");
                return;
        }
        en = calloc(1, sizeof(*en));
        if (!en) {
                json_decref(body);
                conn_reply_error(c, 503, "unavailable", "out of memory");
                return;
        }
        en->c = c;
        en->ca = s->ca;
        en->body = body;
        en->csr = csr;
        token_hash(token, en->hash, sizeof(en->hash));
        snprintf(en->agent.hostname, sizeof(en->agent.hostname), "%s", hostname);
        snprintf(en->agent.machine, sizeof(en->agent.machine), "%s", machine ? machine : "");
        en->job.run = run_enroll;
        en->job.done = enroll_done;
        db_submit(&s->db, &en->job);
}

/* Reports. */

struct report_job {
        struct db_job job;
        uv_work_t work; /* unpacking and checking, off the loop */
        struct conn *c;
        struct server *s;
        struct intake in;
        struct store_report report;
        char *body; /* as received, and as stored */
        size_t len;
        bool gz;
        int rc; /* of the check */
        struct error e;
};

static void report_free(struct report_job *rj)
{
        intake_free(&rj->in);
        free(rj->body);
        free(rj);
}

static void report_done(struct db_job *j)
{
        struct report_job *rj = (struct report_job *)j;
        struct conn *c = rj->c;
        struct server *s = rj->s;
        int result = rj->report.result;

        if (j->rc < 0) {
                conn_reply_error(c, 503, "unavailable", "the report could not be stored; retry");
        } else if (result == 0 || result == STORE_SUPERSEDED) {
                /* Stored either way; the answer says whether it is the newest. */
                s->m.reports_stored++;
                reply_json(c, 201,
                           json_pack("{s:s, s:s, s:I}", "report_id", rj->in.report_id, "status",
                                     result == 0 ? "stored" : "superseded", "newest_seq",
                                     (json_int_t)rj->report.newest_seq),
                           NULL);
        } else if (result == STORE_DUPLICATE) {
                s->m.reports_duplicate++;
                reply_json(
                    c, 200,
                    json_pack("{s:s, s:s}", "report_id", rj->in.report_id, "status", "duplicate"),
                    NULL);
        } else if (result == STORE_SEQ_AHEAD) {
                s->m.reports_rejected++;
                conn_reply_error(c, 422, "invalid_report",
                                 "seq: %lld runs more than %d ahead of this agent's newest "
                                 "report (%lld)",
                                 rj->in.seq, REPORT_SEQ_AHEAD_MAX, rj->report.newest_seq);
        } else {
                s->m.reports_rejected++;
                if (result == -EKEYREJECTED)
                        conn_reply_error(c, 403, "revoked",
                                         "this agent's certificate has been revoked; enroll again");
                else
                        conn_reply_error(c, 401, "unknown_agent",
                                         "this collector does not know agent %s; enroll again",
                                         rj->in.agent_id);
        }
        report_free(rj);
}

/* On a pool thread: unpack and check; a big report must not hold the loop. */
static void report_check(uv_work_t *w)
{
        struct report_job *rj = w->data;
        char *text = rj->body;
        size_t len = rj->len;

        if (rj->gz) {
                rj->rc = gzip_decompress(rj->body, rj->len, INTAKE_BODY_MAX, &text, &len);
                if (rj->rc < 0)
                        return;
        }
        rj->rc = intake_parse(&rj->in, text ? text : "", len, &rj->e); /* -EINVAL, -ENOMEM */
        if (rj->gz)
                free(text);
}

static void report_checked(uv_work_t *w, int status)
{
        struct report_job *rj = w->data;
        struct conn *c = rj->c;
        struct server *s = rj->s;
        const struct conn_peer *peer = conn_peer(c);

        if (status < 0 || rj->rc == -ENOMEM) {
                conn_reply_error(c, 503, "unavailable", "out of memory");
                report_free(rj);
                return;
        }
        if (rj->rc == -EFBIG || rj->rc == -EBADMSG) {
                s->m.reports_rejected++;
                conn_reply_error(c, rj->rc == -EFBIG ? 413 : 400, "bad_encoding",
                                 rj->rc == -EFBIG ? "the report is too large once unpacked"
                                                  : "the body is not valid gzip");
                report_free(rj);
                return;
        }
        if (rj->rc < 0) {
                s->m.reports_rejected++;
                conn_reply_error(c, 422, "invalid_report", "%s", rj->e.msg);
                report_free(rj);
                return;
        }
        if (strcmp(rj->in.agent_id, peer->agent_id) != 0) {
                s->m.reports_rejected++;
                conn_reply_error(c, 403, "wrong_agent",
                                 "the report names agent %s but the certificate is agent %s",
                                 rj->in.agent_id, peer->agent_id);
                report_free(rj);
                return;
        }
        if (rj->in.collected_at > (long long)time(NULL) + REPORT_CLOCK_AHEAD_MAX) {
                s->m.reports_rejected++;
                conn_reply_error(c, 422, "invalid_report",
                                 "collected_at: %lld h ahead of the collector's clock; set this "
                                 "machine's clock",
                                 (rj->in.collected_at - (long long)time(NULL)) / 3600);
                report_free(rj);
                return;
        }
        rj->report = (struct store_report){
                .agent_id = rj->in.agent_id,
                .report_id = rj->in.report_id,
                .hostname = rj->in.hostname,
                .machine = rj->in.machine,
                .seq = rj->in.seq,
                .collected_at = rj->in.collected_at,
                .interval = rj->in.interval,
                .body = rj->body,
                .body_len = rj->len,
                .encoding = rj->gz ? "gzip" : "identity",
                .findings = rj->in.findings,
                .nfindings = rj->in.nfindings,
        };
        rj->job.report = &rj->report;
        rj->job.done = report_done;
        db_submit(&s->db, &rj->job);
}

static bool is_json(const char *type)
{
        return type && strncasecmp(type, "application/json", 16) == 0 &&
               (type[16] == '\0' || type[16] == ';');
}

static void route_reports(struct server *s, struct conn *c, struct http_request *r,
                          const struct route *rt)
{
        (void)rt;
        const char *enc = http_header(r, "Content-Encoding");
        bool gz = enc && strcasecmp(enc, "gzip") == 0;
        struct report_job *rj;

        if (!is_json(http_header(r, "Content-Type"))) {
                conn_reply_error(c, 415, "unsupported_media_type",
                                 "a report is sent as application/json");
                return;
        }
        if (enc && !gz && strcasecmp(enc, "identity") != 0) {
                conn_reply_error(c, 415, "unsupported_encoding",
                                 "Content-Encoding must be gzip or identity");
                return;
        }
        if (db_backlog(&s->db) >= s->cfg.max_backlog) {
                char retry[48];

                s->m.busy++;
                /* Spread the retries so agents do not come back together. */
                snprintf(retry, sizeof(retry), "Retry-After: %u\r\n",
                         10 + (unsigned)(uv_hrtime() % 50));
                reply_text(c, 503, "application/json",
                           "{\"error\":{\"code\":\"busy\",\"message\":\"the collector is busy; "
                           "retry later\"}}",
                           retry);
                return;
        }
        if (!(rj = calloc(1, sizeof(*rj)))) {
                conn_reply_error(c, 503, "unavailable", "out of memory");
                return;
        }
        /* The body is kept as it came: compressed when the agent sent gzip. */
        rj->c = c;
        rj->s = s;
        rj->gz = gz;
        rj->body = r->body;
        rj->len = r->body_len;
        r->body = NULL;
        r->body_cap = 0;
        r->body_len = 0;
        rj->work.data = rj;
        if (uv_queue_work(s->loop, &rj->work, report_check, report_checked) < 0) {
                conn_reply_error(c, 503, "unavailable", "cannot check the report now");
                report_free(rj);
        }
}

/* The policy for the calling agent's establishment. */

struct policy_job {
        struct db_job job;
        struct conn *c;
        char agent_id[64];
        char etag[40];
        char *text;
        long revision;
        unsigned status;
};

static int run_policy(struct store *s, struct db_job *j, struct error *e)
{
        struct policy_job *p = (struct policy_job *)j;
        struct agent a;
        int rc = store_agent_get(s, p->agent_id, &a, e);

        if (rc == -ENOENT) {
                p->status = 401;
                return rc;
        }
        if (rc < 0)
                return rc;
        if (a.revoked_at) {
                p->status = 403;
                return -EKEYREJECTED;
        }
        rc = store_policy_get(s, a.finess, &p->text, &p->revision, e);
        if (rc == -ENOENT) {
                p->status = 204; /* none set: the agent keeps its shipped baseline */
                return 0;
        }
        return rc;
}

static void policy_done(struct db_job *j)
{
        struct policy_job *p = (struct policy_job *)j;
        char etag[40], extra[80];

        if (p->status == 401) {
                conn_reply_error(p->c, 401, "unknown_agent",
                                 "this collector does not know agent %s", p->agent_id);
        } else if (p->status == 403) {
                conn_reply_error(p->c, 403, "revoked", "this agent's certificate has been revoked");
        } else if (j->rc < 0) {
                conn_reply_error(p->c, 503, "unavailable", "the database is unavailable");
        } else if (p->status == 204) {
                conn_reply(p->c, 204, "text/plain", "", 0, NULL);
        } else {
                snprintf(etag, sizeof(etag), "\"%ld\"", p->revision);
                snprintf(extra, sizeof(extra), "ETag: %s\r\n", etag);
                if (strcmp(p->etag, etag) == 0)
                        conn_reply(p->c, 304, "text/plain", "", 0, extra);
                else
                        conn_reply(p->c, 200, "text/plain; charset=utf-8", p->text, strlen(p->text),
                                   extra);
        }
        free(p->text);
        free(p);
}

static void route_policy(struct server *s, struct conn *c, struct http_request *r,
                         const struct route *rt)
{
        (void)rt;
        const char *inm = http_header(r, "If-None-Match");
        struct policy_job *p = calloc(1, sizeof(*p));

        if (!p) {
                conn_reply_error(c, 503, "unavailable", "out of memory");
                return;
        }
        p->c = c;
        snprintf(p->agent_id, sizeof(p->agent_id), "%s", conn_peer(c)->agent_id);
        snprintf(p->etag, sizeof(p->etag), "%s", inm ? inm : "");
        p->job.run = run_policy;
        p->job.done = policy_done;
        p->job.read_only = true;
        db_submit(&s->db, &p->job);
}

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
                reply_json(l->c, 200,
                           session_json(l->u.login, l->u.role, l->u.region, l->u.finess, l->csrf),
                           cookie);
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
                reply_json(l->c, 429,
                           json_pack("{s:{s:s, s:s}}", "error", "code", "too_many_attempts",
                                     "message", "too many failed logins: wait, then try again"),
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

static void route_login(struct server *s, struct conn *c, struct http_request *r,
                        const struct route *rt)
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

static void route_session(struct server *s, struct conn *c, struct http_request *r,
                          const struct route *rt)
{
        start_query(s, c, r, rt, query_session);
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

static void route_logout(struct server *s, struct conn *c, struct http_request *r,
                         const struct route *rt)
{
        start_query(s, c, r, rt, query_logout);
}

/* Acknowledging an alert: it stays live, marked as seen by someone. */

static int query_acknowledge(struct store *s, struct query_job *q, struct error *e)
{
        char target[32];
        struct audit a = { time(NULL), q->who.login, "alert.acknowledge", target, "" };
        int rc;

        snprintf(target, sizeof(target), "alert %lld", q->id);
        rc = store_alert_acknowledge(s, q->id, &q->filter, time(NULL), e);
        if (rc == -EALREADY)
                return refuse(q, 409, "not_open", e, e->msg);
        if (rc == -ENOENT)
                return not_found(q, rc, e);
        if (rc < 0 || (rc = store_audit_add(s, &a, e)) < 0)
                return rc;
        q->out = json_pack("{s:I, s:s}", "id", (json_int_t)q->id, "status", "acknowledged");
        return 0;
}

static void route_acknowledge(struct server *s, struct conn *c, struct http_request *r,
                              const struct route *rt)
{
        char path[HTTP_URL_MAX + 1], *end;
        long long id;

        http_path(r, path, sizeof(path));
        id = strtoll(path + strlen("/api/v1/alerts/"), &end, 10);
        if (id <= 0 || strcmp(end, "/acknowledge") != 0) {
                conn_reply_error(c, 404, "not_found", "no such alert");
                return;
        }
        struct query_job *q;

        if ((q = start_job(s, c, r, rt, sizeof(struct query_job), id, query_acknowledge,
                           query_done)))
                db_submit(&s->db, &q->job);
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
static void start_named(struct server *s, struct conn *c, struct http_request *r,
                        const struct route *rt, const char *prefix, const char *what,
                        int (*query)(struct store *, struct query_job *, struct error *),
                        json_t *body)
{
        char key[64];
        struct query_job *q;

        if (!path_key(r, prefix, key, sizeof(key))) {
                json_decref(body);
                conn_reply_error(c, 404, "not_found", "no such %s", what);
                return;
        }
        q = start_job(s, c, r, rt, sizeof(struct query_job), 0, query, query_done);
        if (!q) {
                json_decref(body);
                return;
        }
        snprintf(q->key, sizeof(q->key), "%s", key);
        q->body = body;
        db_submit(&s->db, &q->job);
}

static void route_establishment(struct server *s, struct conn *c, struct http_request *r,
                                const struct route *rt)
{
        start_named(s, c, r, rt, "/api/v1/establishments/", "establishment", query_establishment,
                    NULL);
}

static void route_machine(struct server *s, struct conn *c, struct http_request *r,
                          const struct route *rt)
{
        start_named(s, c, r, rt, "/api/v1/agents/", "machine", query_machine, NULL);
}

static void route_record(struct server *s, struct conn *c, struct http_request *r,
                         const struct route *rt)
{
        json_error_t je;
        json_t *body = json_loadb(r->body ? r->body : "", r->body_len, 0, &je);

        /* A bad body is refused once the caller is known. */
        if (!json_is_object(body)) {
                json_decref(body);
                body = NULL;
        }
        start_named(s, c, r, rt, "/api/v1/establishments/", "establishment", query_record, body);
}

/* ?format=csv, or a path ending in .csv, asks for CSV. 0, or -EINVAL. */
static int want_csv(struct http_request *r, bool *csv)
{
        char path[HTTP_URL_MAX + 1], format[8];
        int rc = http_query(r, "format", format, sizeof(format));
        size_t n;

        http_path(r, path, sizeof(path));
        n = strlen(path);
        *csv = n > 4 && strcmp(path + n - 4, ".csv") == 0;
        if (rc == -ENOENT)
                return 0;
        if (rc < 0 || (strcmp(format, "csv") != 0 && strcmp(format, "json") != 0))
                return -EINVAL;
        *csv = strcmp(format, "csv") == 0;
        return 0;
}

static void start_export(struct server *s, struct conn *c, struct http_request *r,
                         const struct route *rt,
                         int (*query)(struct store *, struct query_job *, struct error *))
{
        struct query_job *q =
            start_job(s, c, r, rt, sizeof(struct query_job), 0, query, query_done);

        if (!q)
                return;
        if (want_csv(r, &q->csv) < 0)
                q->bad_request = "format must be csv or json";
        db_submit(&s->db, &q->job);
}

static void route_equipment(struct server *s, struct conn *c, struct http_request *r,
                            const struct route *rt)
{
        start_export(s, c, r, rt, query_equipment);
}

static void route_opendata(struct server *s, struct conn *c, struct http_request *r,
                           const struct route *rt)
{
        start_export(s, c, r, rt, query_opendata);
}

static void route_progress(struct server *s, struct conn *c, struct http_request *r,
                           const struct route *rt)
{
        start_query(s, c, r, rt, query_progress);
}

/* The dashboard's files: public, and holding no data; the data comes from
 * the routes above, which check who asks. */

#define PAGE_HEADERS                                                                               \
        "Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self';"        \
        " img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none';"          \
        " frame-ancestors 'none'\r\n"                                                              \
        "X-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n"                      \
        "X-Frame-Options: DENY\r\nCache-Control: no-cache\r\n"

static void route_static(struct server *s, struct conn *c, struct http_request *r,
                         const struct route *rt)
{
        char path[HTTP_URL_MAX + 1], extra[1024];
        const char *name, *match;
        const struct web_asset *a;

        (void)s;
        (void)rt;
        http_path(r, path, sizeof(path));
        name = strcmp(path, "/") == 0 ? "index.html" : path + strlen("/ui/");
        for (a = web_assets; a->name && strcmp(a->name, name) != 0; a++)
                ;
        if (!a->name) {
                conn_reply_error(c, 404, "not_found", "no such file: %s", path);
                return;
        }
        snprintf(extra, sizeof(extra), PAGE_HEADERS "ETag: %s\r\n", a->etag);
        match = http_header(r, "If-None-Match");
        if (match && strcmp(match, a->etag) == 0)
                conn_reply(c, 304, a->type, "", 0, extra);
        else
                conn_reply(c, 200, a->type, (const char *)a->data, a->len, extra);
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
                        reply_text(c, 401, "application/json",
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
