/* store.h - where the collector keeps what it knows, behind one interface.
 *
 * The embedded default is SQLite in the data directory; PostgreSQL comes
 * behind the same operations for regions that outgrow one node, shared by
 * several collectors. The operations are written once (server/store/) over
 * a small driver per engine (store/driver.h); the schema is brought up to
 * date on open by numbered migrations (store/migrations.h). */
#ifndef HYGIE_STORE_H
#define HYGIE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "checks.h"
#include "digest.h"
#include "error.h"

struct store;

struct establishment {
        char finess[10];
        char name[256];
        char region[128];
        char department[4];
};

struct agent {
        char id[37];     /* UUID, the client certificate's subject */
        char finess[10]; /* the establishment that owns it */
        char hostname[256];
        long long enrolled_at, revoked_at; /* Unix times; revoked_at 0 while valid */
        long long last_seen;               /* last report received, 0 never */
        long long last_seq;                /* of the newest report applied, -1 none */
        char machine[65];                  /* digest of the machine's identifiers, "" unknown */
};

/* One finding of a report, as the alert logic needs it. */
struct store_finding {
        const char *check, *subject, *summary;    /* subject "" when the check has one finding */
        int status, severity;                     /* enum status, enum severity */
        const char *summary_fr;                   /* the summary in French, or NULL */
        const char *remediation, *remediation_fr; /* what to do, or NULL */
};

/* What the machine list shows of a machine, from its os and hardware facts
 * when a report carries them. */
struct machine_facts {
        bool os, hardware; /* which families the report carried */
        char os_name[128]; /* os.pretty_name, "" unknown */
        char model[160];   /* hardware.dmi: maker and product, "" unknown */
        long long ram_mib; /* -1 unknown */
        char disk[4];      /* the system disk: "ssd", "hdd", "" unknown */
        long long disk_gb; /* -1 unknown */
};

/* A validated report on its way into the store. */
/* A block of a report: a family's facts (name "os") or a check's findings
 * (name "os.supported", its findings as a JSON array), kept once while it
 * does not change. Its text is made of parts of the report's text once
 * unpacked: store_report.parts[first, first + nparts), joined by commas,
 * in brackets when it is a list. */
struct store_block {
        const char *name;
        char digest[DIGEST_HEX];
        bool list;
        size_t first, nparts;
};

/* A block a report does not carry because the agent sent it before, by its
 * digest: a family's facts left out, or a check's findings without their
 * evidence. */
struct store_unchanged {
        const char *name;
        char digest[DIGEST_HEX];
};
/* Orders two store_unchanged by name (qsort, bsearch). */
int store_unchanged_cmp(const void *a, const void *b);

struct store_report {
        const char *agent_id, *report_id, *hostname, *machine;
        long long seq, collected_at, interval; /* interval: seconds between reports */
        const void *body;                      /* as stored */
        size_t body_len;
        const char *encoding; /* "gzip" or "identity" */
        const struct store_finding *findings;
        size_t nfindings;
        const struct machine_facts *facts; /* NULL: none */
        const struct store_block *blocks;
        size_t nblocks;
        const size_t (*parts)[2]; /* offsets in the body once unpacked */
        const void *envelope;     /* the body without facts and findings, gzip'd */
        size_t envelope_len;
        const struct store_unchanged *unchanged; /* in order of name */
        size_t nunchanged;
        /* Set by reports_put: resend[i] when the collector does not hold
         * unchanged[i] (the agent sends it whole next time); NULL: not asked. */
        bool *resend;
        /* Set by reports_put: 0 stored and applied, STORE_SUPERSEDED stored
         * but older than the newest applied (it changes nothing),
         * STORE_DUPLICATE already there, STORE_SEQ_AHEAD refused (seq runs
         * too far ahead), -EKEYREJECTED revoked, -ENOENT unknown agent. */
        int result;
        long long newest_seq; /* the agent's newest applied seq, once stored */
};
#define STORE_DUPLICATE  1
#define STORE_SUPERSEDED 2
#define STORE_SEQ_AHEAD  3

/* An alert's severity as a rank for SQL to sort by, the most severe 0. */
#define STORE_SEVERITY_RANK                                                                        \
        "CASE al.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2"          \
        " WHEN 'low' THEN 3 ELSE 4 END"

/* What an establishment's policy tells the collector. */
/* A backup job no machine has reported for this long is no longer the
 * plan's: no restore test is asked of it. */
#define STORE_JOB_FORGOTTEN (30 * STORE_DAY)

struct store_rules {
        int threshold;         /* enum severity: failing findings at or above raise alerts */
        int weight[SEV_COUNT]; /* what a check of each severity weighs in the score */
        int warn_percent;      /* the share of its weight a warning loses */
        int plan_percent;      /* the plan's share of an establishment's score */
        int exercise_months, awareness_months, restore_test_months;
        long cost_pc, cost_ram, cost_ssd; /* euros */
};
typedef const struct store_rules *store_rules_fn(void *user, const char *finess);
struct policy;
void store_rules_of(const struct policy *p, struct store_rules *r);

/* What a machine's reports say, check by check: a report carries only the
 * families that ran, so each report is merged over the previous state. */
#define EQUIP_REPLACE      1u /* not Windows 11 ready, too old or no TPM 2.0 */
#define EQUIP_RAM          2u /* a RAM upgrade */
#define EQUIP_SSD          4u /* an SSD in place of a spinning disk */
#define MACHINE_CHECKS_MAX 4096
struct machine_state {
        char checks[MACHINE_CHECKS_MAX]; /* "check=SV;"...: status letter, severity digit */
        int score;                       /* 0 to 100, -1 when no check weighs */
        unsigned equipment;              /* EQUIP_* */
        int os_supported;                /* 1, 0, or -1 not known */
};
/* Merges report r over before (a checks string as stored) into ms, and
 * scores it: the weighted share of its checks that pass, 0 to 100, where a
 * check weighs its severity's weight, a warning earns (100 - warn_percent) %
 * of it, a failure or a check that could not run nothing, and a skipped
 * check does not count. */
void store_machine_update(const char *before, const struct store_report *r,
                          const struct store_rules *rules, struct machine_state *ms);
/* The next entry of a checks string at *text (which moves past it): its
 * check id, status and severity. false at the end or at what is not one. */
bool store_checks_next(const char **text, char id[64], int *status, int *severity);
/* The letter that stands for an enum status in a checks string. */
char store_status_letter(int status);
/* The score of a checks string, -1 when no check weighs. */
int store_checks_score(const char *text, const struct store_rules *rules);

/* Caps this connection's writes at max bytes of database, as a full disk
 * would (SQLite; -ENOTSUP on PostgreSQL, whose disk is its own). */
int store_max_size(struct store *s, long long max, struct error *e);

/* Retention: deletes the reports received, and the blocks replaced, over
 * retention seconds before now (none when retention <= 0), some thousands
 * of rows a call in transactions of a few hundred; how many of each into
 * pruned. The blocks in force and the daily rollups stay. */
int store_prune(struct store *s, time_t now, long long retention, long long pruned[2],
                struct error *e);

/* One row of a query: each value as text, NULL for SQL NULL. */
typedef int store_row_fn(void *user, int ncols, const char *const *values);
typedef int store_tx_fn(struct store *s, void *user, struct error *e);

struct alert {
        long long id;
        char agent_id[37], hostname[256], finess[10];
        char check[64], subject[256], severity[16], status[16];
        char summary[512], summary_fr[512];                /* summary_fr "" when none */
        long long opened_at, acknowledged_at, resolved_at; /* 0: not yet */
};

/* Filters of the list routes; NULL or "" fields do not filter. */
struct store_filter {
        const char *finess, *region, *department, *check, *status, *agent_id;
        const char *severity;    /* alerts of this severity only */
        long long opened_before; /* alerts opened before this time only (0: any) */
        long limit;              /* at most this many rows (> 0) */
        long offset;             /* after skipping this many */
};

typedef int store_alert_fn(void *user, const struct alert *a);
typedef int store_agent_fn(void *user, const struct agent *a);

typedef int store_establishment_fn(void *user, const struct establishment *est);

/* Dashboard users. A regional user sees one region, an establishment user
 * one establishment, a funder aggregates only, an admin everything. */
enum role { ROLE_ADMIN, ROLE_REGIONAL, ROLE_ESTABLISHMENT, ROLE_FUNDER, ROLE_COUNT };

struct user {
        long long id;
        char login[65];
        int role;                          /* enum role */
        char region[128];                  /* a regional user's region */
        char finess[10];                   /* an establishment user's establishment */
        char hash[256];                    /* crypt(3) string */
        char email[256];                   /* where digests go, "" none */
        char lang[3];                      /* the digest's language: "fr" or "en" */
        long long created_at, disabled_at; /* disabled_at 0 while active */
        long failures;                     /* failed logins in a row */
        long long last_failure;
};

typedef int store_user_fn(void *user, const struct user *u);

/* One line of the audit log: who did what to what, when. */
struct audit {
        long long at;
        const char *actor, *action, *target, *detail;
};

/* Opens the store a URL names: NULL or "" for SQLite in data_dir,
 * "postgresql://..." (or "postgres://", or a libpq key=value string) for
 * PostgreSQL. Brings its schema up to date. 0, or a negative errno with e filled. */
int store_open(const char *url, const char *data_dir, struct store **out, struct error *e);
int store_open_pg(const char *url, struct store **out, struct error *e);

/* Days: the day number of a Unix time (days since 1970-01-01, UTC), and
 * the days in a number of months as the plan counts them (365/12 each). */
#define STORE_DAY 86400
long store_day(time_t t);
long store_months_days(int months);

/* Whether a login is 1 to 64 of letters, digits and . _ @ - */
bool login_valid(const char *login);
const char *role_name(int role);
/* enum role for a name, or -1. */
int role_from_name(const char *name);
/* Opens (creating if needed) the SQLite store in data_dir and brings its
 * schema up to date. 0, or a negative errno with e filled. */
int store_open_sqlite(const char *data_dir, struct store **out, struct error *e);

/* What the engines share when storing reports. */

/* Whether a finding keeps an alert open: it fails (or could not be checked)
 * at or above the threshold. */
bool store_finding_alerts(const struct store_finding *f, int threshold);
/* An agent's alert not resolved, as the store holds it. */
struct store_live {
        long long id;
        char check[64], subject[256], severity[16], summary[512], summary_fr[512];
        bool kept;
};
#define STORE_LIVE_MAX        1024
#define INTAKE_FINDINGS_LIMIT 2000 /* findings per report the store takes */

enum store_act { STORE_INSERT, STORE_UPDATE, STORE_RESOLVE };
struct store_step {
        enum store_act act;
        long long id;                  /* UPDATE, RESOLVE */
        const struct store_finding *f; /* INSERT, UPDATE */
};

/* The writes that bring an agent's live alerts up to report r: a failing
 * finding keeps (or opens) its alert, updated only when its severity or
 * summary changed; an alert of a check the report carries that no finding
 * fails any more resolves, and so does agent.silent. steps has room for
 * r->nfindings + nlive. Returns how many steps. */
size_t store_plan_alerts(const struct store_report *r, int threshold, struct store_live *live,
                         size_t nlive, struct store_step *steps);

/* Where report r stands against its agent's newest applied seq (-1 none):
 * 0 newer, to apply; STORE_SUPERSEDED older or the same, to store only;
 * STORE_SEQ_AHEAD further ahead than REPORT_SEQ_AHEAD_MAX, to refuse. */
int store_report_order(const struct store_report *r, long long last_seq);

/* Whether a report comes from another machine than the agent's first. */
bool store_machine_differs(const char *recorded, const char *reported);
void store_duplicate_summary(const struct store_report *r, char *buf, size_t size);

/* Checks an establishment's fields as an administrator typed them: FINESS
 * number and its key, département matching the number, non-empty names. */
int store_establishment_check(const struct establishment *est, struct error *e);

struct sql_driver;
/* An open store: a driver's connection, and what intake keeps between
 * batches. Used by one thread at a time. */
struct store {
        const struct sql_driver *drv;
        int schema_version;
        struct intake *intake; /* store/reports.c's, made on first use */
};

/* The operations, written once over the driver (server/store/). Each returns 0
 * or a negative errno with e filled, unless it says otherwise. */

/* -EEXIST when the FINESS number is already registered. */
int store_establishment_add(struct store *s, const struct establishment *est, struct error *e);
/* Calls fn for each establishment, by FINESS number; stops at a
 * non-zero return and returns it. */
int store_establishment_list(struct store *s, const struct store_filter *f,
                             store_establishment_fn *fn, void *user, struct error *e);
/* An enrollment token for an establishment: its hash, how many
 * enrollments it allows, until when. -ENOENT: no such establishment. */
int store_token_add(struct store *s, const char *finess, const char *hash, long uses,
                    time_t expires, struct error *e);
/* Spends one use of the token whose hash is given, at now, and names
 * its establishment (finess, 10 bytes). -ENOENT unknown, -EKEYEXPIRED
 * expired, -EDQUOT used up; nothing is spent then. */
int store_token_consume(struct store *s, const char *hash, time_t now, char *finess,
                        struct error *e);
/* Records a newly enrolled agent (revoked_at, last_* ignored). */
int store_agent_add(struct store *s, const struct agent *a, struct error *e);
/* Fills a for agent id. -ENOENT when unknown. */
int store_agent_get(struct store *s, const char *id, struct agent *a, struct error *e);
/* Refuses agent id's certificate from now on. -ENOENT when unknown;
 * revoking twice keeps the first time. */
int store_agent_revoke(struct store *s, const char *id, time_t now, struct error *e);
/* Stores reports in one transaction, each exactly once (by agent and
 * report id), and brings the agents' alerts up to date: each failing
 * finding at or above the threshold opens (or keeps) one alert per
 * (agent, check, subject); a report that carries a check resolves
 * that check's alerts it no longer fails. A report from another
 * machine than the agent's raises agent.duplicate and changes no
 * other alert. Sets each report's result; fails as a whole. */
int store_reports_put(struct store *s, struct store_report *v, size_t n, time_t now,
                      store_rules_fn *rules, void *user, struct error *e);
/* The plan's checks at establishment level, for establishments with
 * machines enrolled: opens an alert while no crisis exercise, awareness
 * action or successful restore test of each backup job in use is recorded
 * within the rules' months, resolves it once one is. */
int store_plan_checks(struct store *s, const struct store_rules *r, time_t now, struct error *e);
/* Opens agent.silent for agents that missed three report intervals
 * by now; a report resolves it. The number opened, or -errno. */
int store_sweep_silent(struct store *s, time_t now, struct error *e);
/* Alerts not resolved, by severity (counts[SEV_COUNT]). */
int store_alert_counts(struct store *s, long *counts, struct error *e);
/* The alerts f lets through, the most severe first, then the oldest: limit
 * of them after offset. */
int store_alert_list(struct store *s, const struct store_filter *f, store_alert_fn *fn, void *user,
                     struct error *e);
/* How many alerts f lets through, per severity, whatever f's severity. */
int store_alert_counts_of(struct store *s, const struct store_filter *f, long counts[SEV_COUNT],
                          struct error *e);
/* The alerts f lets through, grouped by check and establishment. */
struct alert_group {
        char check[64], finess[10], name[256];
        long counts[SEV_COUNT]; /* per severity */
        long machines;          /* distinct machines (none: the establishment's own check) */
        long long oldest;       /* when the oldest opened */
};
typedef int store_group_fn(void *user, const struct alert_group *g);
/* The most severe groups first, then the largest; limit after offset; *total
 * how many groups there are. */
int store_alert_groups(struct store *s, const struct store_filter *f, store_group_fn *fn,
                       void *user, long *total, struct error *e);
/* Acknowledges the open alerts f lets through (ids: among these only, when
 * nids > 0), at now; *n how many. */
int store_alert_acknowledge_many(struct store *s, const struct store_filter *f,
                                 const long long *ids, size_t nids, time_t now, long *n,
                                 struct error *e);
int store_agent_list(struct store *s, const struct store_filter *f, store_agent_fn *fn, void *user,
                     struct error *e);
/* The policy text for an establishment (its own, else the default one
 * set with finess ""); *text malloc'ed. -ENOENT when none is set. */
int store_policy_get(struct store *s, const char *finess, char **text, long *revision,
                     struct error *e);
/* Sets it ("" for the default); the revision goes up by one. */
int store_policy_set(struct store *s, const char *finess, const char *text, long *revision,
                     struct error *e);
/* Fills est for a FINESS number; -ENOENT when unknown. */
int store_establishment_get(struct store *s, const char *finess, struct establishment *est,
                            struct error *e);
/* Adds a user (id, failures, disabled_at ignored). -EEXIST when the
 * login is taken, -ENOENT when its establishment is unknown. */
int store_user_add(struct store *s, const struct user *u, struct error *e);
/* Fills u for a login; -ENOENT when unknown. */
int store_user_get(struct store *s, const char *login, struct user *u, struct error *e);
int store_user_list(struct store *s, store_user_fn *fn, void *user, struct error *e);
/* Disables a login and ends its sessions; -ENOENT when unknown. */
int store_user_disable(struct store *s, const char *login, time_t now, struct error *e);
/* Counts a failed login (ok false) or clears the count. */
int store_user_login_result(struct store *s, long long id, bool ok, time_t now, struct error *e);
/* A session: the hash of its token, its user, its CSRF token. */
int store_session_add(struct store *s, const char *hash, long long user_id, const char *csrf,
                      time_t now, time_t expires, struct error *e);
/* The user of a session still valid at now, and its CSRF token
 * (65 bytes). -ENOENT when unknown, expired or the user disabled. */
int store_session_get(struct store *s, const char *hash, time_t now, struct user *u, char *csrf,
                      struct error *e);
int store_session_delete(struct store *s, const char *hash, struct error *e);
int store_audit_add(struct store *s, const struct audit *a, struct error *e);
/* Acknowledges an open alert among those f lets through. -ENOENT
 * when there is none such, -EALREADY when it is not open. */
int store_alert_acknowledge(struct store *s, long long id, const struct store_filter *f, time_t now,
                            struct error *e);
/* Runs sql, one text both engines take ($1, $2... parameters bound
 * as text, NULL as SQL NULL), calling fn for each row it returns;
 * stops at fn's non-zero return and returns it. The dashboard's
 * queries go through here, written once. */
int store_rows(struct store *s, const char *sql, int nparams, const char *const *params,
               store_row_fn *fn, void *user, struct error *e);
/* Runs fn in one transaction: committed when it returns >= 0. */
int store_tx(struct store *s, store_tx_fn *fn, void *user, struct error *e);
int store_api_token_add(struct store *s, const char *hash, struct error *e);
/* 0 when an API token with this hash exists, else -ENOENT. */
int store_api_token_check(struct store *s, const char *hash, struct error *e);

/* Records that node ran duty name (such as "sweep") from started to
 * finished. */
int store_duty_done(struct store *s, const char *name, const char *node, time_t started,
                    time_t finished, struct error *e);
/* Which node last ran duty name (node, size bytes), finished when.
 * -ENOENT when it has not run yet. */
int store_duty_get(struct store *s, const char *name, char *node, size_t size, time_t *finished,
                   struct error *e);
/* Whether this connection leads the periodic work of the collectors that
 * share the store, taking the lead when no one holds it: 1 yes, 0 another
 * connection does, or -errno. It keeps the lead until it closes or its
 * connection is lost. Always 1 on SQLite, which has one collector. */
int store_lead(struct store *s, struct error *e);
/* Closes the store and frees s. */
void store_close(struct store *s);

#endif
