/* route.h - what the collector's routes share (route_*.c, by resource):
 * who may call a route, the user routes' job that checks the caller and its
 * scope before its query runs, and the answers. The routes are registered
 * in one table, with their access rules, in api.c. */
#ifndef HYGIE_ROUTE_H
#define HYGIE_ROUTE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "db.h"
#include "http.h"
#include "server.h"
#include "store.h"
#include "token.h"
#include "views.h"

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

#define SESSION_COOKIE "hygie_session"

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
        char values[7][128];
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
        const char *code;         /* with status >= 400: the error's code */
        const char *set_cookie;   /* extra header lines of the answer */
        const struct msgcat *cat; /* the reader's language; NULL for English */
};

typedef int route_query_fn(struct store *s, struct query_job *q, struct error *e);

/* Answers with o (whose reference is taken), or 500 without it. */
void api_reply_json(struct conn *c, unsigned status, json_t *o, const char *extra);
void api_reply_text(struct conn *c, unsigned status, const char *type, const char *text,
                    const char *extra);
/* A Unix time as ISO 8601, null for 0. */
json_t *api_time_json(long long t);
/* Sets the answer to status with code and msg (which may be e->msg). -EACCES. */
int api_refuse(struct query_job *q, unsigned status, const char *code, struct error *e,
               const char *msg);
/* -ENOENT as a 404 naming what the route names; other values as they are. */
int api_not_found(struct query_job *q, int rc, struct error *e);
/* A user route's job of size bytes (a struct query_job first), to queue
 * with db_submit: it finds the caller and checks it, then query runs and
 * done answers. NULL when it could not be made (the answer is sent). */
struct query_job *api_start_job(struct server *s, struct conn *c, struct http_request *r,
                                const struct route *rt, size_t size, long long id,
                                route_query_fn *query, db_done_fn *done);
/* The done of a user route's job: its answer, JSON or CSV, or its error. */
void api_query_done(struct db_job *j);
/* A user route's job with api_query_done, queued. */
void api_start_query(struct server *s, struct conn *c, struct http_request *r,
                     const struct route *rt, route_query_fn *query);
/* The same for the object the path names after prefix (404 "no such what"
 * when the path names none); body (a POST's, or NULL) goes to the job. */
void api_start_named(struct server *s, struct conn *c, struct http_request *r,
                     const struct route *rt, const char *prefix, const char *what,
                     route_query_fn *query, json_t *body);
/* The default policy's rules: scores, plan checks and prices are the same
 * for every establishment a view compares. */
const struct store_rules *api_rules(struct query_job *q);
/* The caller's scope, as the views take it. */
struct view_scope api_scope(const struct query_job *q);

/* The routes, by resource. */
route_fn route_ca, route_enroll;                   /* route_enrollment.c */
route_fn route_reports, route_policy;              /* route_reports.c: the agents' */
route_fn route_login, route_session, route_logout; /* route_session.c */
route_fn route_alerts, route_alert_groups, route_acknowledge,
    route_acknowledge_many;                                       /* route_alerts.c */
route_fn route_agents, route_machine, route_machines;             /* route_agents.c */
route_fn route_checks, route_check_machines;                      /* route_checks.c */
route_fn route_establishments, route_establishment, route_record; /* route_establishments.c */
route_fn route_equipment, route_progress, route_opendata;         /* route_equipment.c */
route_fn route_metrics, route_health;                             /* route_metrics.c */
route_fn route_static;                                            /* route_static.c */

#endif
