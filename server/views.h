/* views.h - what the dashboard shows, computed from the store.
 *
 * Every view is SQL that both engines run (store_rows) and a little C that
 * turns rows into JSON or CSV. Views only read; they take the caller's scope
 * already narrowed and never decide who may see what. */
#ifndef HYGIE_VIEWS_H
#define HYGIE_VIEWS_H

#include <jansson.h>
#include <stdbool.h>
#include <time.h>

#include "store.h"

/* Which establishments a view covers; NULL fields do not narrow. */
struct view_scope {
        const char *finess, *region, *department;
};

/* Each establishment with its hygiene score, weekly trend, machines and
 * open alerts: {"establishments": [...]}. */
int view_establishments(struct store *s, const struct store_rules *r, const struct view_scope *sc,
                        time_t now, json_t **out, struct error *e);
/* One establishment in full: score history, machines, records, the state
 * of its plan checks. -ENOENT when it is not in scope. */
int view_establishment(struct store *s, const struct store_rules *r, const struct view_scope *sc,
                       time_t now, json_t **out, struct error *e);
/* One machine: its checks, score history, and the findings (with
 * remediation) and facts of its latest reports. -ENOENT when not in scope. */
int view_machine(struct store *s, const char *agent_id, const struct view_scope *sc, time_t now,
                 json_t **out, struct error *e);
/* A report of a machine as the collector keeps it: the one of seq (the
 * newest when seq < 0), its facts and findings as they stood then (those
 * of the families and checks it did not carry too). -ENOENT when none. */
int view_report(struct store *s, const char *agent_id, long long seq, json_t **out,
                struct error *e);
/* The machines in scope, silent ones first (the longest silent first), then
 * the lowest score: {"machines": [...], "total"}, limit of them after
 * offset. */
int view_machines(struct store *s, const struct view_scope *sc, time_t now, long limit, long offset,
                  json_t **out, struct error *e);
/* The fleet per check: for each check the machines in scope report, how
 * many fail it (or could not run it), warn, pass and skip it, the most
 * failing first: {"checks": [{"check", "fail", "error", "warn", "pass",
 * "skip", "machines"}], "machines"}. */
int view_checks(struct store *s, const struct view_scope *sc, json_t **out, struct error *e);
/* The machines in scope whose latest result of check is status (a status
 * name), by establishment and host name: {"machines": [...], "total"},
 * limit of them after offset. */
int view_check_machines(struct store *s, const struct view_scope *sc, const char *check,
                        const char *status, long limit, long offset, json_t **out, struct error *e);
/* The equipment catch-up ranking: {"establishments": [...]} by need_rank. */
int view_equipment(struct store *s, const struct store_rules *r, const struct view_scope *sc,
                   time_t now, json_t **out, struct error *e);
/* Progress toward the plan's targets, per region and nationally. */
int view_progress(struct store *s, const struct store_rules *r, const struct view_scope *sc,
                  time_t now, json_t **out, struct error *e);
/* Open data per département, cells of fewer than OPENDATA_MIN
 * establishments suppressed (null). */
#define OPENDATA_MIN 5
int view_opendata(struct store *s, const struct store_rules *r, time_t now, json_t **out,
                  struct error *e);

/* How a CSV is written: for a French spreadsheet, ';' between cells and a
 * decimal comma; headers (NULL: the columns' keys); a last row (NULL:
 * none). Every CSV starts with a UTF-8 byte order mark, which spreadsheets
 * need to read accents right. */
struct csv_format {
        char separator, decimal;
        const char *const *headers;
        const json_t *last;
};
/* A view's "establishments" (or "departments") list as CSV, columns in
 * the order given; *csv malloc'ed. fmt NULL: ',' and '.'. */
int view_csv(const json_t *list, const char *const *columns, const struct csv_format *fmt,
             char **csv, size_t *len);

/* One record as the establishment page lists it; -ENOENT when none. */
int view_record(struct store *s, long long id, json_t **out, struct error *e);
/* The establishment's own alerts (the plan's) resolved at now, as a record
 * made then resolves them: [{"check", "subject", "severity", "summary"}]. */
int view_resolved_by(struct store *s, const char *finess, time_t now, json_t **out,
                     struct error *e);

/* Calls fn for each establishment that has a score now, with its number of
 * machines; stops at fn's non-zero return and returns it. */
typedef int view_score_fn(void *user, const char *finess, int score, long machines);
int view_scores(struct store *s, const struct store_rules *r, time_t now, view_score_fn *fn,
                void *user, struct error *e);

#endif
