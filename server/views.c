/* views.c - the dashboard's figures, from SQL both engines run.
 *
 * Days are whole UTC days since the epoch. An establishment's hygiene score
 * weighs its machines' average score and the plan's (the weighted share of
 * its own checks passed: the exercise, awareness and a restore test per
 * backup job) by the policy's plan_percent; unknown (null) until one of its
 * machines has been scored. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gzip.h"
#include "report_limits.h"
#include "util.h"
#include "views.h"

#define HISTORY_DAYS    365
#define MACHINE_REPORTS 48 /* newest reports a machine page merges */
#define NEED_SHARE      70 /* percent of the need that is the share of machines flagged */

static json_t *day_json(long day)
{
        char buf[32];

        if (day < 0)
                return json_null();
        util_iso8601((time_t)day * STORE_DAY, buf, sizeof(buf));
        buf[10] = '\0';
        return json_string(buf);
}

static json_t *maybe_int(long v)
{
        return v < 0 ? json_null() : json_integer(v);
}

static long num(const char *v, long dflt)
{
        return v ? strtol(v, NULL, 10) : dflt;
}

static void copy(char *dst, size_t size, const char *src)
{
        snprintf(dst, size, "%s", src ? src : "");
}

/* What the views know of each establishment, from one query. */

struct est {
        char finess[10], name[256], region[128], department[4];
        long machines, to_replace, ram, ssd, to_upgrade, os_ok, os_known, open_alerts;
        long last_exercise, last_awareness;              /* days, -1 none */
        int score, score_machines, score_plan, week_ago; /* -1 unknown */
};

struct est_list {
        struct est *v;
        size_t n, cap;
        const struct store_rules *rules;
};

#define SCOPE_WHERE                                                                                \
        " (CAST($1 AS TEXT) IS NULL OR e.finess = $1)"                                             \
        " AND (CAST($2 AS TEXT) IS NULL OR e.region = $2)"                                         \
        " AND (CAST($3 AS TEXT) IS NULL OR e.department = $3)"

/* The establishments in scope, to which each part below is restricted. */
#define IN_SCOPE(COL) " " COL " IN (SELECT e.finess FROM establishments e WHERE" SCOPE_WHERE ")"

/* Each establishment in scope: its machines, score, equipment, the weight
 * of the open alerts of its own checks, plan records and backup jobs, each
 * aggregated once per establishment, then joined; the establishment pages
 * also show the trend and the open alerts, which the fleet-wide views
 * leave out. */
#define SUMMARY_SQL(TREND, OPEN, OPEN_JOIN)                                                        \
        "SELECT e.finess, e.name, e.region, e.department, ag.machines, ag.score,"                  \
        " ag.to_replace, ag.ram, ag.ssd, ag.to_upgrade, ag.os_ok, ag.os_known, pl.lost, " TREND    \
        ", rec.exercise, rec.awareness, " OPEN ", coalesce(bj.jobs, 0)"                            \
        " FROM establishments e LEFT JOIN"                                                         \
        " (SELECT a.finess, count(*) AS machines, avg(a.score) AS score,"                          \
        "   sum(CASE WHEN (a.equipment & 1) <> 0 THEN 1 ELSE 0 END) AS to_replace,"                \
        "   sum(CASE WHEN (a.equipment & 1) = 0 AND (a.equipment & 2) <> 0 THEN 1 ELSE 0 END)"     \
        "     AS ram,"                                                                             \
        "   sum(CASE WHEN (a.equipment & 1) = 0 AND (a.equipment & 4) <> 0 THEN 1 ELSE 0 END)"     \
        "     AS ssd,"                                                                             \
        "   sum(CASE WHEN (a.equipment & 1) = 0 AND (a.equipment & 6) <> 0 THEN 1 ELSE 0 END)"     \
        "     AS to_upgrade,"                                                                      \
        "   sum(CASE WHEN a.os_supported = 1 THEN 1 ELSE 0 END) AS os_ok,"                         \
        "   count(a.os_supported) AS os_known"                                                     \
        "   FROM agents a WHERE a.revoked_at IS NULL AND" IN_SCOPE(                                \
            "a.finess") "   GROUP BY a.finess) ag ON ag.finess = e.finess"                         \
                        " LEFT JOIN (SELECT al.finess, sum(CASE al.severity"                       \
                        "   WHEN 'critical' THEN CAST($4 AS INTEGER) WHEN 'high' THEN CAST($5 AS " \
                        "INTEGER)"                                                                 \
                        "   WHEN 'medium' THEN CAST($6 AS INTEGER) WHEN 'low' THEN CAST($7 AS "    \
                        "INTEGER)"                                                                 \
                        "   ELSE CAST($8 AS INTEGER) END) AS lost"                                 \
                        "   FROM alerts al WHERE al.agent_id IS NULL AND al.status <> 'resolved' " \
                        "AND" IN_SCOPE(                                                            \
                            "al.finess") " GROUP BY al.finess) pl ON pl.finess = e.finess"         \
                                         " LEFT JOIN (SELECT r.finess,"                            \
                                         "   max(CASE WHEN r.kind = 'exercise' THEN r.day END) "   \
                                         "AS exercise,"                                            \
                                         "   max(CASE WHEN r.kind = 'awareness' THEN r.day END) "  \
                                         "AS awareness"                                            \
                                         "   FROM records r WHERE r.kind IN ('exercise', "         \
                                         "'awareness') AND" IN_SCOPE(                              \
                                             "r.finess") "   GROUP BY r.finess) rec ON "           \
                                                         "rec.finess = e.finess"                   \
                                                         " LEFT JOIN (SELECT j.finess, count(*) "  \
                                                         "AS jobs FROM backup_jobs j"              \
                                                         "   WHERE j.last_seen >= CAST($9 AS "     \
                                                         "BIGINT) AND" IN_SCOPE(                   \
                                                             "j.finess") "   GROUP BY j.finess) "  \
                                                                         "bj ON bj.finess = "      \
                                                                         "e.finess" OPEN_JOIN      \
                                                                         " WHERE" SCOPE_WHERE      \
                                                                         " ORDER BY e.finess"

static const char summary_sql[] = SUMMARY_SQL(
    "(SELECT d.score FROM establishment_days d WHERE d.finess = e.finess"
    "   AND d.day <= CAST($10 AS BIGINT) ORDER BY d.day DESC LIMIT 1)",
    "coalesce(op.n, 0)",
    " LEFT JOIN (SELECT g.finess, sum(g.critical + g.high + g.medium + g.low + g.info) AS n"
    "   FROM alert_groups g WHERE g.status = 'open' AND" IN_SCOPE(
        "g.finess") "   GROUP BY g.finess) op ON op.finess = e.finess");
static const char summary_short_sql[] = SUMMARY_SQL("NULL", "0", ""); /* $10 unused */

static int est_row(void *user, int ncols, const char *const *v)
{
        struct est_list *l = user;
        struct est *x;

        if (ncols < 18)
                return -EIO;
        if (l->n == l->cap) {
                size_t cap = l->cap ? 2 * l->cap : 64;
                struct est *nv = realloc(l->v, cap * sizeof(*nv));

                if (!nv)
                        return -ENOMEM;
                l->v = nv;
                l->cap = cap;
        }
        x = &l->v[l->n++];
        copy(x->finess, sizeof(x->finess), v[0]);
        copy(x->name, sizeof(x->name), v[1]);
        copy(x->region, sizeof(x->region), v[2]);
        copy(x->department, sizeof(x->department), v[3]);
        x->machines = num(v[4], 0);
        x->to_replace = num(v[6], 0);
        x->ram = num(v[7], 0);
        x->ssd = num(v[8], 0);
        x->to_upgrade = num(v[9], 0);
        x->os_ok = num(v[10], 0);
        x->os_known = num(v[11], 0);
        x->week_ago = (int)num(v[13], -1);
        x->last_exercise = num(v[14], -1);
        x->last_awareness = num(v[15], -1);
        x->open_alerts = num(v[16], 0);
        x->score = x->score_machines = x->score_plan = -1;
        if (v[5]) {
                const struct store_rules *r = l->rules;
                double machines = strtod(v[5], NULL), plan = 100;
                long weight = r->weight[SEV_HIGH] * (1 + num(v[17], 0)) + r->weight[SEV_MEDIUM];
                long lost = num(v[12], 0);

                if (weight > 0)
                        plan = 100.0 * (double)(weight - (lost < weight ? lost : weight)) / weight;
                x->score_machines = (int)lround(machines);
                x->score_plan = (int)lround(plan);
                x->score = (int)lround(
                    (machines * (100 - r->plan_percent) + plan * r->plan_percent) / 100.0);
        }
        return 0;
}

static int summaries(struct store *s, const struct store_rules *r, const struct view_scope *sc,
                     time_t now, bool full, struct est_list *out, struct error *e)
{
        char w[SEV_COUNT][12], week[24], jobs[24];
        const char *p[10] = { sc ? sc->finess : NULL, sc ? sc->region : NULL,
                              sc ? sc->department : NULL };
        int rc;

        for (int i = 0; i < SEV_COUNT; i++) {
                snprintf(w[i], sizeof(w[i]), "%d", r->weight[i]);
                p[3 + (SEV_CRITICAL - i)] = w[i];
        }
        snprintf(jobs, sizeof(jobs), "%lld", (long long)(now - STORE_JOB_FORGOTTEN));
        snprintf(week, sizeof(week), "%ld", store_day(now) - 7);
        p[8] = jobs;
        p[9] = week;
        memset(out, 0, sizeof(*out));
        out->rules = r;
        rc = store_rows(s, full ? summary_sql : summary_short_sql, full ? 10 : 9, p, est_row, out,
                        e);
        if (rc == -ENOMEM)
                error_set(e, "", 0, "out of memory");
        if (rc < 0) {
                free(out->v);
                out->v = NULL;
        }
        return rc;
}

static json_t *est_json(const struct est *x)
{
        return json_pack(
            "{s:s, s:s, s:s, s:s, s:I, s:o, s:o, s:o, s:o, s:I, s:o, s:o}", "finess", x->finess,
            "name", x->name, "region", x->region, "department", x->department, "machines",
            (json_int_t)x->machines, "hygiene_score", maybe_int(x->score), "score_machines",
            maybe_int(x->score_machines), "score_plan", maybe_int(x->score_plan), "trend",
            x->score >= 0 && x->week_ago >= 0 ? json_integer(x->score - x->week_ago) : json_null(),
            "open_alerts", (json_int_t)x->open_alerts, "last_exercise", day_json(x->last_exercise),
            "last_awareness", day_json(x->last_awareness));
}

int view_establishments(struct store *s, const struct store_rules *r, const struct view_scope *sc,
                        time_t now, json_t **out, struct error *e)
{
        struct est_list l;
        json_t *list;
        int rc = summaries(s, r, sc, now, true, &l, e);

        if (rc < 0)
                return rc;
        list = json_array();
        for (size_t i = 0; i < l.n; i++)
                json_array_append_new(list, est_json(&l.v[i]));
        free(l.v);
        *out = json_pack("{s:o}", "establishments", list);
        return 0;
}

/* Rows into a JSON array of objects, keys given in column order. */
struct table {
        json_t *list;
        const char *const *keys; /* a key starting with '#' is a number, '@' a day */
};

static int table_row(void *user, int ncols, const char *const *v)
{
        struct table *t = user;
        json_t *o = json_object();

        for (int i = 0; i < ncols && t->keys[i]; i++) {
                const char *k = t->keys[i];
                json_t *val;

                if (*k == '#')
                        val = v[i] ? json_integer(strtoll(v[i], NULL, 10)) : json_null();
                else if (*k == '@')
                        val = day_json(num(v[i], -1));
                else
                        val = v[i] ? json_string(v[i]) : json_null();
                json_object_set_new(o, *k == '#' || *k == '@' ? k + 1 : k, val ? val : json_null());
        }
        return json_array_append_new(t->list, o);
}

static int table(struct store *s, const char *sql, int n, const char *const *p,
                 const char *const *keys, json_t **out, struct error *e)
{
        struct table t = { json_array(), keys };
        int rc = store_rows(s, sql, n, p, table_row, &t, e);

        if (rc < 0) {
                json_decref(t.list);
                return rc;
        }
        *out = t.list;
        return 0;
}

/* Column keys more than one view uses. */
static const char *const history_keys[] = { "@day", "#score", NULL };
static const char *const record_keys[] = { "#id",         "kind",   "@date", "title",
                                           "#people",     "result", "notes", "created_by",
                                           "#created_at", NULL };

/* The score at the end of each of the last 12 weeks, from daily history. */
static json_t *weekly(const json_t *history, time_t now)
{
        json_t *weeks = json_array();
        long end = store_day(now);

        for (int w = 11; w >= 0; w--) {
                long until = end - 7L * w;
                json_t *score = json_null(), *h;
                size_t i;

                json_array_foreach(history, i, h)
                {
                        time_t t;
                        const char *d = json_string_value(json_object_get(h, "day"));

                        if (d && util_parse_date(d, &t) == 0 && t / STORE_DAY <= until)
                                score = json_object_get(h, "score");
                }
                json_array_append_new(
                    weeks, json_pack("{s:o, s:O}", "week_ending", day_json(until), "score", score));
        }
        return weeks;
}

/* What to do first at an establishment: its open alerts by check, the most
 * severe first, then those touching the most machines, three of them; each
 * with what to do (the most severe alert's), and whether it is the
 * establishment's own to do or its IT provider's. */
static const char priorities_sql[] =
    "SELECT al.check_id, min(" STORE_SEVERITY_RANK ") AS worst, count(DISTINCT al.agent_id) AS m,"
    " count(*) AS n, min(al.subject), max(al.remediation), max(al.remediation_fr)"
    " FROM alerts al WHERE al.finess = $1 AND al.status <> 'resolved'"
    " GROUP BY al.check_id ORDER BY worst, m DESC, n DESC, al.check_id LIMIT 3";
static const char *const priority_keys[] = { "check",   "#worst",      "#machines",      "#alerts",
                                             "subject", "remediation", "remediation_fr", NULL };

/* The checks an establishment sees to itself: the plan's records, and a
 * machine that has gone silent (is it on, is it connected?). The rest is
 * its IT provider's. */
static const char *const own_checks[] = { "establishment.crisis_exercise",
                                          "establishment.awareness", "backup.restore_tested",
                                          "agent.silent", NULL };

static void priorities_finish(json_t *list)
{
        json_t *o;
        size_t i;

        json_array_foreach(list, i, o)
        {
                const char *check = json_string_value(json_object_get(o, "check"));
                json_int_t worst = json_integer_value(json_object_get(o, "worst"));
                const char *who = "it";

                for (const char *const *c = own_checks; *c; c++)
                        if (check && strcmp(*c, check) == 0)
                                who = "you";
                json_object_set_new(o, "severity",
                                    json_string(severity_name(SEV_CRITICAL - (int)worst)));
                json_object_set_new(o, "for", json_string(who));
                json_object_del(o, "worst");
        }
}

int view_establishment(struct store *s, const struct store_rules *r, const struct view_scope *sc,
                       time_t now, json_t **out, struct error *e)
{
        static const char *const machine_keys[] = { "id",
                                                    "hostname",
                                                    "#hygiene_score",
                                                    "#equipment",
                                                    "#os_supported",
                                                    "#last_seen",
                                                    "#open_alerts",
                                                    NULL };
        static const char *const check_keys[] = { "check",      "subject",    "severity", "summary",
                                                  "summary_fr", "#opened_at", NULL };
        static const char *const job_keys[] = { "job", "@last_restore_test", NULL };
        struct est_list l;
        json_t *o, *history = NULL, *machines = NULL, *records = NULL, *alerts = NULL, *jobs = NULL,
                   *priorities = NULL;
        char since[24], finess[10];
        const char *p[2] = { finess, since };
        int rc;

        if ((rc = summaries(s, r, sc, now, true, &l, e)) < 0)
                return rc;
        if (l.n != 1) {
                free(l.v);
                error_set(e, "", 0, "no such establishment");
                return -ENOENT;
        }
        o = est_json(&l.v[0]);
        copy(finess, sizeof(finess), l.v[0].finess);
        snprintf(since, sizeof(since), "%ld", store_day(now) - HISTORY_DAYS);
        free(l.v);
        if ((rc = table(s,
                        "SELECT day, score FROM establishment_days WHERE finess = $1"
                        " AND day >= CAST($2 AS BIGINT) ORDER BY day",
                        2, p, history_keys, &history, e)) < 0 ||
            (rc = table(s,
                        "SELECT a.id, a.hostname, a.score, a.equipment, a.os_supported,"
                        " a.last_seen, (SELECT count(*) FROM alerts al WHERE al.agent_id = a.id"
                        "   AND al.status <> 'resolved')"
                        " FROM agents a WHERE a.finess = $1 AND a.revoked_at IS NULL"
                        " ORDER BY coalesce(a.score, 101), a.hostname, a.id",
                        1, p, machine_keys, &machines, e)) < 0 ||
            (rc = table(s,
                        "SELECT id, kind, day, title, people, result, notes, created_by,"
                        " created_at FROM records WHERE finess = $1"
                        " ORDER BY day DESC, id DESC LIMIT 200",
                        1, p, record_keys, &records, e)) < 0 ||
            (rc = table(s,
                        "SELECT check_id, subject, severity, summary, summary_fr, opened_at"
                        " FROM alerts"
                        " WHERE finess = $1 AND agent_id IS NULL AND status <> 'resolved'"
                        " ORDER BY check_id, subject",
                        1, p, check_keys, &alerts, e)) < 0 ||
            (rc = table(s, priorities_sql, 1, p, priority_keys, &priorities, e)) < 0 ||
            (rc = table(s,
                        "SELECT j.job, (SELECT max(r.day) FROM records r WHERE r.finess = j.finess"
                        "   AND r.kind = 'restore_test' AND r.title = j.job"
                        "   AND r.result = 'success')"
                        " FROM backup_jobs j WHERE j.finess = $1 ORDER BY j.job",
                        1, p, job_keys, &jobs, e)) < 0) {
                json_decref(o);
                json_decref(history);
                json_decref(machines);
                json_decref(records);
                json_decref(alerts);
                json_decref(priorities);
                return rc;
        }
        priorities_finish(priorities);
        json_object_set_new(o, "priorities", priorities);
        json_object_set_new(o, "plan_percent", json_integer(r->plan_percent));
        json_object_set_new(o, "weekly", weekly(history, now));
        json_object_set_new(o, "history", history);
        json_object_set_new(o, "machines", machines);
        json_object_set_new(o, "records", records);
        json_object_set_new(o, "plan_alerts", alerts);
        json_object_set_new(o, "backup_jobs", jobs);
        *out = o;
        return 0;
}

/* A machine page merges its newest reports: each family's facts and each
 * check's findings from the newest report that carries them. What it reads
 * and returns is bounded: the newest report whole, older ones while what
 * was read before stays within PAGE_STORED_MAX bytes as stored and
 * PAGE_READ_MAX unpacked, at most REPORT_FAMILIES_MAX families and
 * PAGE_FINDINGS_MAX checks. */

#define PAGE_REPORTS      "48"
#define PAGE_STORED_MAX   REPORT_SENT_MAX
#define PAGE_READ_MAX     REPORT_TEXT_MAX
#define PAGE_FINDINGS_MAX 500

struct merge {
        json_t *facts, *findings;
        json_t *seen; /* check ids taken */
        int reports, unreadable;
        size_t read; /* bytes of report text */
};

static int hexval(int c)
{
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A stored body, as the row shows it (bytea hex), unpacked when gzip'd: its
 * JSON, or NULL. */
static json_t *unpack(struct merge *m, const char *encoding, const char *hex)
{
        size_t n, len, i;
        unsigned char *raw;
        char *text = NULL;
        json_t *doc;

        hex = hex ? hex : "";
        n = strlen(hex) / 2 - 1;
        if (strncmp(hex, "\\x", 2) != 0 || !(raw = malloc(n + 1)))
                return NULL;
        for (i = 0; i < n; i++) {
                int hi = hexval(hex[2 + 2 * i]), lo = hexval(hex[3 + 2 * i]);

                if (hi < 0 || lo < 0)
                        break;
                raw[i] = (unsigned char)(hi << 4 | lo);
        }
        if (i < n || (encoding && strcmp(encoding, "gzip") == 0 &&
                      gzip_decompress(raw, n, REPORT_TEXT_MAX, &text, &len) < 0)) {
                free(raw);
                return NULL;
        }
        m->read += text ? len : n;
        doc = text ? json_loadb(text, len, JSON_DECODE_ANY, NULL)
                   : json_loadb((const char *)raw, n, JSON_DECODE_ANY, NULL);
        free(text);
        free(raw);
        return doc;
}

/* Takes the findings of array findings whose checks were not taken yet. */
static void take_findings(struct merge *m, const json_t *findings)
{
        json_t *taken = json_object(), *f; /* checks these findings add */
        size_t i;

        json_array_foreach(findings, i, f)
        {
                const char *check = json_string_value(json_object_get(f, "check"));

                if (!check || json_object_get(m->seen, check) ||
                    json_array_size(m->findings) >= PAGE_FINDINGS_MAX)
                        continue;
                json_object_set_new(taken, check, json_true());
                json_array_append(m->findings, f);
        }
        json_object_update(m->seen, taken);
        json_decref(taken);
}

/* A latest block (blocks): a family's facts, or a check's findings. */
static int merge_block(void *user, int ncols, const char *const *v)
{
        struct merge *m = user;
        json_t *doc;

        if (ncols != 2 || !v[0])
                return 0;
        if (m->read >= PAGE_READ_MAX)
                return 1;
        if (!(doc = unpack(m, "gzip", v[1]))) {
                m->unreadable++;
                return 0;
        }
        if (!strchr(v[0], '.')) {
                if (!json_object_get(m->facts, v[0]) &&
                    json_object_size(m->facts) < REPORT_FAMILIES_MAX)
                        json_object_set(m->facts, v[0], doc);
        } else {
                take_findings(m, doc);
        }
        json_decref(doc);
        return 0;
}

/* A report kept whole (before blocks, or one not applied): what the blocks
 * did not give. */
static int merge_report(void *user, int ncols, const char *const *v)
{
        struct merge *m = user;
        json_t *doc, *facts, *val;
        const char *key;
        void *tmp;

        if (m->reports > 0 && m->read >= PAGE_READ_MAX)
                return 1; /* enough read: the rows stop here */
        m->reports++;
        doc = unpack(m, ncols >= 1 ? v[0] : NULL, ncols >= 2 ? v[1] : NULL);
        if (!json_is_object(doc)) {
                json_decref(doc);
                m->unreadable++;
                return 0;
        }
        facts = json_object_get(doc, "facts");
        json_object_foreach_safe(facts, tmp, key, val)
        {
                if (!json_object_get(m->facts, key) &&
                    json_object_size(m->facts) < REPORT_FAMILIES_MAX)
                        json_object_set(m->facts, key, val);
        }
        take_findings(m, json_object_get(doc, "findings"));
        json_decref(doc);
        return 0;
}

int view_machine(struct store *s, const char *agent_id, const struct view_scope *sc, time_t now,
                 json_t **out, struct error *e)
{
        static const char *const agent_keys[] = {
                "id",         "finess",         "establishment", "hostname",      "#enrolled_at",
                "#last_seen", "#hygiene_score", "#equipment",    "#os_supported", "checks",
                NULL
        };
        const char *p[4] = { agent_id, sc ? sc->finess : NULL, sc ? sc->region : NULL,
                             sc ? sc->department : NULL };
        struct merge m = { json_object(), json_array(), json_object(), 0, 0, 0 };
        json_t *rows = NULL, *o, *history = NULL;
        char since[24], stored_max[24];
        int rc;

        rc = table(s,
                   "SELECT a.id, a.finess, e.name, a.hostname, a.enrolled_at, a.last_seen, a.score,"
                   " a.equipment, a.os_supported, a.checks FROM agents a"
                   " JOIN establishments e ON e.finess = a.finess WHERE a.id = $1"
                   " AND (CAST($2 AS TEXT) IS NULL OR e.finess = $2)"
                   " AND (CAST($3 AS TEXT) IS NULL OR e.region = $3)"
                   " AND (CAST($4 AS TEXT) IS NULL OR e.department = $4)",
                   4, p, agent_keys, &rows, e);
        if (rc == 0 && json_array_size(rows) != 1) {
                error_set(e, "", 0, "no such machine");
                rc = -ENOENT;
        }
        snprintf(since, sizeof(since), "%ld", store_day(now) - HISTORY_DAYS);
        p[1] = since;
        if (rc == 0)
                rc = table(s,
                           "SELECT day, score FROM machine_days WHERE agent_id = $1"
                           " AND day >= CAST($2 AS BIGINT) ORDER BY day",
                           2, p, history_keys, &history, e);
        snprintf(stored_max, sizeof(stored_max), "%d", PAGE_STORED_MAX);
        p[1] = stored_max;
        if (rc == 0 && (rc = store_rows(s,
                                        "SELECT name, body FROM blocks WHERE agent_id = $1"
                                        " AND replaced_at IS NULL ORDER BY name LIMIT 1024",
                                        1, p, merge_block, &m, e)) > 0)
                rc = 0;
        if (rc == 0 &&
            (rc = store_rows(s,
                             "SELECT r.encoding, r.body FROM reports r JOIN"
                             " (SELECT report_id, seq,"
                             "  sum(size) OVER (ORDER BY seq DESC, report_id) - size AS before"
                             "  FROM (SELECT report_id, seq, length(body) AS size FROM reports"
                             "   WHERE agent_id = $1 AND encoding <> 'blocks'"
                             "   ORDER BY seq DESC, report_id"
                             "   LIMIT " PAGE_REPORTS ") newest) w"
                             " ON r.agent_id = $1 AND r.report_id = w.report_id"
                             " WHERE w.before < CAST($2 AS BIGINT)"
                             " ORDER BY w.seq DESC, w.report_id",
                             2, p, merge_report, &m, e)) > 0)
                rc = 0;
        if (rc < 0) {
                json_decref(rows);
                json_decref(history);
                json_decref(m.facts);
                json_decref(m.findings);
                json_decref(m.seen);
                return rc;
        }
        o = json_incref(json_array_get(rows, 0));
        json_decref(rows);
        json_object_set_new(o, "history", history);
        json_object_set_new(o, "facts", m.facts);
        json_object_set_new(o, "findings", m.findings);
        json_object_set_new(o, "reports_read", json_integer(m.reports));
        json_object_set_new(o, "reports_unreadable", json_integer(m.unreadable));
        json_decref(m.seen);
        *out = o;
        return 0;
}

/* One report as the collector keeps it (view_report). */
struct kept {
        struct merge m;
        json_t *doc;
        bool blocks; /* its facts and findings are in blocks */
};

static int kept_report(void *user, int ncols, const char *const *v)
{
        struct kept *k = user;

        if (ncols != 2 || k->doc)
                return 0;
        k->blocks = v[0] && strcmp(v[0], "blocks") == 0;
        if (!(k->doc = unpack(&k->m, k->blocks ? "gzip" : v[0], v[1])))
                k->m.unreadable++;
        return 0;
}

int view_report(struct store *s, const char *agent_id, long long seq, json_t **out, struct error *e)
{
        struct kept k = { { json_object(), json_array(), json_object(), 0, 0, 0 }, NULL, false };
        char seqs[24];
        const char *p[2] = { agent_id, seqs };
        int rc;

        snprintf(seqs, sizeof(seqs), "%lld", seq);
        rc = store_rows(s,
                        "SELECT encoding, body FROM reports WHERE agent_id = $1"
                        " AND (CAST($2 AS BIGINT) < 0 OR seq = CAST($2 AS BIGINT))"
                        " ORDER BY seq DESC, report_id LIMIT 1",
                        2, p, kept_report, &k, e);
        if (rc >= 0 && !k.doc) {
                error_set(e, "", 0,
                          k.m.unreadable ? "the report is stored but cannot be read"
                                         : "no such report");
                rc = k.m.unreadable ? -EIO : -ENOENT;
        }
        if (rc >= 0 && k.blocks && json_is_object(k.doc)) {
                /* Kept as blocks: those in force at its seq. */
                snprintf(seqs, sizeof(seqs), "%lld",
                         (long long)json_integer_value(json_object_get(k.doc, "seq")));
                rc = store_rows(s,
                                "SELECT b.name, b.body FROM blocks b WHERE b.agent_id = $1"
                                " AND b.seq = (SELECT max(seq) FROM blocks WHERE agent_id = $1"
                                "  AND name = b.name AND seq <= CAST($2 AS BIGINT))"
                                " ORDER BY b.name",
                                2, p, merge_block, &k.m, e);
                if (rc >= 0) {
                        json_object_set(k.doc, "facts", k.m.facts);
                        json_object_set(k.doc, "findings", k.m.findings);
                }
        }
        json_decref(k.m.facts);
        json_decref(k.m.findings);
        json_decref(k.m.seen);
        if (rc < 0) {
                json_decref(k.doc);
                return rc;
        }
        *out = k.doc;
        return 0;
}

/* Equipment: machines to replace and to upgrade, an estimated cost, and a
 * need that ranks establishments: NEED_SHARE % the share of machines
 * flagged, the rest how far the hygiene score is from 100. */

struct ranked {
        struct est *x;
        long cost;
        double need;
};

/* -1 for an establishment no machine has reported for: no data, not no need. */
static double need_of(const struct est *x)
{
        double flagged = x->machines ? (double)(x->to_replace + x->to_upgrade) / x->machines : 0;
        double gap = x->score >= 0 ? (100.0 - x->score) / 100.0 : 0;

        return x->machines && x->score >= 0 ? NEED_SHARE * flagged + (100 - NEED_SHARE) * gap : -1;
}

static int by_need(const void *a, const void *b)
{
        const struct ranked *x = a, *y = b;

        if (x->need != y->need)
                return x->need < y->need ? 1 : -1;
        if (x->cost != y->cost)
                return x->cost < y->cost ? 1 : -1;
        return strcmp(x->x->finess, y->x->finess);
}

int view_equipment(struct store *s, const struct store_rules *r, const struct view_scope *sc,
                   time_t now, json_t **out, struct error *e)
{
        struct est_list l;
        struct est total = { 0 };
        struct ranked *v;
        long cost = 0, unknown = 0;
        json_t *list;
        int rc = summaries(s, r, sc, now, false, &l, e);

        if (rc < 0)
                return rc;
        if (!(v = calloc(l.n + 1, sizeof(*v)))) {
                free(l.v);
                error_set(e, "", 0, "out of memory");
                return -ENOMEM;
        }
        for (size_t i = 0; i < l.n; i++) {
                struct est *x = &l.v[i];

                v[i].x = x;
                v[i].cost =
                    x->to_replace * r->cost_pc + x->ram * r->cost_ram + x->ssd * r->cost_ssd;
                v[i].need = need_of(x);
        }
        qsort(v, l.n, sizeof(*v), by_need);
        list = json_array();
        for (size_t i = 0; i < l.n; i++) {
                const struct est *x = v[i].x;
                bool known = v[i].need >= 0;

                total.machines += x->machines;
                total.to_replace += x->to_replace;
                total.to_upgrade += x->to_upgrade;
                total.ram += x->ram;
                total.ssd += x->ssd;
                cost += v[i].cost;
                unknown += !known;
                json_array_append_new(
                    list,
                    json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o}",
                              "finess", x->finess, "name", x->name, "region", x->region,
                              "department", x->department, "machines", (json_int_t)x->machines,
                              "to_replace", (json_int_t)x->to_replace, "to_upgrade",
                              (json_int_t)x->to_upgrade, "ram_upgrades", (json_int_t)x->ram,
                              "ssd_upgrades", (json_int_t)x->ssd, "estimated_cost_eur",
                              (json_int_t)v[i].cost, "hygiene_score", maybe_int(x->score), "need",
                              known ? json_real(round(v[i].need * 10) / 10) : json_null(),
                              "need_rank",
                              known ? json_integer((json_int_t)(i + 1)) : json_null()));
        }
        free(v);
        free(l.v);
        *out = json_pack(
            "{s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}, s:{s:I, s:I, s:I}}",
            "establishments", list, "total", "establishments", (json_int_t)l.n, "without_data",
            (json_int_t)unknown, "machines", (json_int_t)total.machines, "to_replace",
            (json_int_t)total.to_replace, "to_upgrade", (json_int_t)total.to_upgrade,
            "ram_upgrades", (json_int_t)total.ram, "ssd_upgrades", (json_int_t)total.ssd,
            "estimated_cost_eur", (json_int_t)cost, "costs_eur", "pc", (json_int_t)r->cost_pc,
            "ram", (json_int_t)r->cost_ram, "ssd", (json_int_t)r->cost_ssd);
        return 0;
}

/* Progress toward the plan: the share of establishments with an exercise,
 * and with an awareness action, within the policy's months. */

#define PLAN_TARGET 0.8

struct tally {
        char name[128];
        long establishments, exercise, awareness;
};

static json_t *tally_json(const struct tally *t)
{
        return json_pack(
            "{s:I, s:I, s:I, s:o, s:o}", "establishments", (json_int_t)t->establishments,
            "with_exercise", (json_int_t)t->exercise, "with_awareness", (json_int_t)t->awareness,
            "exercise_share",
            t->establishments ? json_real((double)t->exercise / t->establishments) : json_null(),
            "awareness_share",
            t->establishments ? json_real((double)t->awareness / t->establishments) : json_null());
}

int view_progress(struct store *s, const struct store_rules *r, const struct view_scope *sc,
                  time_t now, json_t **out, struct error *e)
{
        long ex_since = store_day(now) - store_months_days(r->exercise_months);
        long aw_since = store_day(now) - store_months_days(r->awareness_months);
        struct tally all = { "", 0, 0, 0 }, *regions = NULL;
        size_t nregions = 0;
        struct est_list l;
        json_t *list;
        int rc = summaries(s, r, sc, now, false, &l, e);

        if (rc < 0)
                return rc;
        if (l.n && !(regions = calloc(l.n, sizeof(*regions)))) {
                free(l.v);
                return -ENOMEM;
        }
        for (size_t i = 0; i < l.n; i++) {
                const struct est *x = &l.v[i];
                struct tally *t = NULL;

                for (size_t j = 0; j < nregions && !t; j++)
                        if (strcmp(regions[j].name, x->region) == 0)
                                t = &regions[j];
                if (!t) {
                        t = &regions[nregions++];
                        copy(t->name, sizeof(t->name), x->region);
                }
                for (int k = 0; k < 2; k++) {
                        struct tally *u = k ? &all : t;

                        u->establishments++;
                        u->exercise += x->last_exercise >= ex_since;
                        u->awareness += x->last_awareness >= aw_since;
                }
        }
        list = json_array();
        for (size_t j = 0; j < nregions; j++) {
                json_t *o = tally_json(&regions[j]);

                json_object_set_new(o, "region", json_string(regions[j].name));
                json_array_append_new(list, o);
        }
        free(regions);
        free(l.v);
        *out = json_pack("{s:f, s:i, s:i, s:o, s:o}", "target", PLAN_TARGET, "exercise_months",
                         r->exercise_months, "awareness_months", r->awareness_months, "regions",
                         list, "national", tally_json(&all));
        return 0;
}

/* Open data per département. */

static int by_long(const void *a, const void *b)
{
        long x = *(const long *)a, y = *(const long *)b;

        return (x > y) - (x < y);
}

static json_t *share(long part, long whole, long from, bool suppress)
{
        if (suppress || from < OPENDATA_MIN || whole == 0)
                return json_null();
        return json_real(round(1000.0 * part / whole) / 1000.0);
}

int view_opendata(struct store *s, const struct store_rules *r, time_t now, json_t **out,
                  struct error *e)
{
        long ex_since = store_day(now) - store_months_days(r->exercise_months);
        struct est_list l;
        long *scores;
        json_t *list = json_array();
        int rc = summaries(s, r, NULL, now, false, &l, e);

        if (rc < 0) {
                json_decref(list);
                return rc;
        }
        if (!(scores = calloc(l.n + 1, sizeof(*scores)))) {
                free(l.v);
                json_decref(list);
                return -ENOMEM;
        }
        /* Summaries come by FINESS number, and so grouped by département
         * but for Corsica and overseas: gather each one's rows. */
        for (size_t i = 0; i < l.n; i++) {
                long ests = 0, machines = 0, os_ok = 0, os_known = 0, os_from = 0, flagged = 0,
                     exercise = 0, nscores = 0;
                bool seen = false, small;

                for (size_t j = 0; j < i && !seen; j++)
                        seen = strcmp(l.v[j].department, l.v[i].department) == 0;
                if (seen)
                        continue;
                for (size_t j = i; j < l.n; j++) {
                        const struct est *x = &l.v[j];

                        if (strcmp(x->department, l.v[i].department) != 0)
                                continue;
                        ests++;
                        machines += x->machines;
                        os_ok += x->os_ok;
                        os_known += x->os_known;
                        os_from += x->os_known > 0;
                        flagged += x->to_replace + x->to_upgrade;
                        exercise += x->last_exercise >= ex_since;
                        if (x->score >= 0)
                                scores[nscores++] = x->score;
                }
                small = ests < OPENDATA_MIN;
                qsort(scores, (size_t)nscores, sizeof(*scores), by_long);
                json_array_append_new(
                    list,
                    json_pack(
                        "{s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "department", l.v[i].department,
                        "establishments", small ? json_null() : json_integer(ests), "machines",
                        small ? json_null() : json_integer(machines), "median_score",
                        small || nscores < OPENDATA_MIN
                            ? json_null()
                            : json_real(nscores % 2
                                            ? (double)scores[nscores / 2]
                                            : (scores[nscores / 2 - 1] + scores[nscores / 2]) /
                                                  2.0),
                        "supported_os_share", share(os_ok, os_known, os_from, small),
                        "equipment_flagged_share", share(flagged, machines, ests, small),
                        "exercise_share", share(exercise, ests, ests, small)));
        }
        free(scores);
        free(l.v);
        *out = json_pack("{s:i, s:o}", "minimum_establishments", OPENDATA_MIN, "departments", list);
        return 0;
}

/* CSV (RFC 4180). A text cell that a spreadsheet would take for a formula
 * starts with a quote mark. */

static void csv_cell(FILE *f, const json_t *v, const struct csv_format *fmt)
{
        const char *t;
        char num[64];

        if (json_is_integer(v)) {
                fprintf(f, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        } else if (json_is_real(v)) {
                snprintf(num, sizeof(num), "%g", json_real_value(v));
                for (char *c = num; *c; c++)
                        if (*c == '.')
                                *c = fmt->decimal;
                fputs(num, f);
        } else if ((t = json_string_value(v))) {
                bool formula = strchr("=+-@\t\r", *t) && *t;
                const char special[] = { fmt->separator, '"', '\r', '\n', '\0' };

                if (!formula && !t[strcspn(t, special)]) {
                        fputs(t, f);
                        return;
                }
                fputc('"', f);
                if (formula)
                        fputc('\'', f);
                for (; *t; t++) {
                        if (*t == '"')
                                fputc('"', f);
                        fputc(*t, f);
                }
                fputc('"', f);
        }
}

static void csv_row(FILE *f, const json_t *row, const char *const *columns,
                    const struct csv_format *fmt)
{
        for (int c = 0; columns[c]; c++) {
                if (c)
                        fputc(fmt->separator, f);
                csv_cell(f, json_object_get(row, columns[c]), fmt);
        }
        fputs("\r\n", f);
}

int view_csv(const json_t *list, const char *const *columns, const struct csv_format *fmt,
             char **csv, size_t *len)
{
        static const struct csv_format plain = { ',', '.', NULL, NULL };
        FILE *f = open_memstream(csv, len);
        const json_t *row;
        size_t i;

        if (!f)
                return -ENOMEM;
        if (!fmt)
                fmt = &plain;
        fputs("\xef\xbb\xbf", f);
        for (int c = 0; columns[c]; c++) {
                json_t *h = json_string(fmt->headers ? fmt->headers[c] : columns[c]);

                if (c)
                        fputc(fmt->separator, f);
                csv_cell(f, h, fmt);
                json_decref(h);
        }
        fputs("\r\n", f);
        json_array_foreach(list, i, row)
        {
                csv_row(f, row, columns, fmt);
        }
        if (fmt->last)
                csv_row(f, fmt->last, columns, fmt);
        return fclose(f) == 0 ? 0 : -ENOMEM;
}

int view_record(struct store *s, long long id, json_t **out, struct error *e)
{
        char ids[24];
        const char *p[] = { ids };
        json_t *list;
        int rc;

        snprintf(ids, sizeof(ids), "%lld", id);
        rc = table(s,
                   "SELECT id, kind, day, title, people, result, notes, created_by, created_at"
                   " FROM records WHERE id = CAST($1 AS BIGINT)",
                   1, p, record_keys, &list, e);
        if (rc < 0)
                return rc;
        *out = json_incref(json_array_get(list, 0));
        json_decref(list);
        return *out ? 0 : -ENOENT;
}

int view_machines(struct store *s, const struct view_scope *sc, time_t now, long limit, long offset,
                  json_t **out, struct error *e)
{
        static const char *const keys[] = {
                "id",           "hostname", "finess",   "establishment",
                "#last_seen",   "#silent",  "os",       "model",
                "#ram_mib",     "disk",     "#disk_gb", "#hygiene_score",
                "#open_alerts", "#total",   NULL
        };
        /* The page first, then what each of its machines needs counting. */
        static const char sql[] =
            "SELECT a.id, a.hostname, a.finess, e.name, a.last_seen, p.silent, a.os, a.model,"
            " a.ram_mib, a.disk, a.disk_gb, a.score,"
            " (SELECT count(*) FROM alerts al WHERE al.agent_id = a.id AND al.status <> "
            "'resolved'),"
            " p.total FROM (SELECT x.id, x.silent, x.seen, x.score, x.hostname,"
            "   count(*) OVER () AS total FROM (SELECT a.id, a.hostname,"
            "     CASE WHEN coalesce(a.last_seen, a.enrolled_at)"
            "       < CAST($4 AS BIGINT) - 3 * a.report_interval THEN 1 ELSE 0 END AS silent,"
            "     coalesce(a.last_seen, a.enrolled_at) AS seen, coalesce(a.score, -1) AS score"
            "     FROM agents a JOIN establishments e ON e.finess = a.finess"
            "     WHERE a.revoked_at IS NULL AND" SCOPE_WHERE ") x"
            "   ORDER BY x.silent DESC, CASE WHEN x.silent = 1 THEN x.seen ELSE 0 END, x.score,"
            "     x.hostname, x.id LIMIT CAST($5 AS BIGINT) OFFSET CAST($6 AS BIGINT)) p"
            " JOIN agents a ON a.id = p.id JOIN establishments e ON e.finess = a.finess"
            " ORDER BY p.silent DESC, CASE WHEN p.silent = 1 THEN p.seen ELSE 0 END, p.score,"
            " p.hostname, p.id";
        char at[24], lim[24], off[24];
        const char *p[6] = { sc ? sc->finess : NULL,
                             sc ? sc->region : NULL,
                             sc ? sc->department : NULL,
                             at,
                             lim,
                             off };
        json_t *rows, *o;
        long long total = 0;
        size_t i;
        int rc;

        snprintf(at, sizeof(at), "%lld", (long long)now);
        snprintf(lim, sizeof(lim), "%ld", limit);
        snprintf(off, sizeof(off), "%ld", offset);
        if ((rc = table(s, sql, 6, p, keys, &rows, e)) < 0)
                return rc;
        json_array_foreach(rows, i, o)
        {
                total = json_integer_value(json_object_get(o, "total"));
                json_object_del(o, "total");
                json_object_set_new(o, "silent",
                                    json_boolean(json_integer_value(json_object_get(o, "silent"))));
        }
        if (json_array_size(rows) == 0 && offset > 0) {
                /* Past the end: the total still counts. */
                const char *q[6] = { p[0], p[1], p[2], at, "1", "0" };
                json_t *first;

                if ((rc = table(s, sql, 6, q, keys, &first, e)) < 0) {
                        json_decref(rows);
                        return rc;
                }
                total = json_integer_value(json_object_get(json_array_get(first, 0), "total"));
                json_decref(first);
        }
        *out = json_pack("{s:o, s:I, s:I, s:I}", "machines", rows, "total", (json_int_t)total,
                         "offset", (json_int_t)offset, "limit", (json_int_t)limit);
        return 0;
}

/* The fleet per check, counted from each machine's checks string: one pass
 * over the machines in scope. */

#define CHECKS_MAX 256 /* distinct checks a fleet reports */

struct check_count {
        char id[64];
        long n[STATUS_COUNT];
};

struct check_counts {
        struct check_count v[CHECKS_MAX];
        size_t n;
        long machines;
};

static int count_checks_row(void *user, int ncols, const char *const *v)
{
        struct check_counts *c = user;
        const char *text = ncols == 1 && v[0] ? v[0] : "";
        char id[64];
        int status, severity;

        c->machines++;
        while (store_checks_next(&text, id, &status, &severity)) {
                size_t i = 0;

                while (i < c->n && strcmp(c->v[i].id, id) != 0)
                        i++;
                if (i == c->n) {
                        if (c->n == CHECKS_MAX)
                                continue;
                        memset(&c->v[c->n], 0, sizeof(c->v[0]));
                        memcpy(c->v[c->n++].id, id, sizeof(id));
                }
                c->v[i].n[status]++;
        }
        return 0;
}

static int by_failing(const void *a, const void *b)
{
        const struct check_count *x = a, *y = b;
        long fx = x->n[STATUS_FAIL] + x->n[STATUS_ERROR],
             fy = y->n[STATUS_FAIL] + y->n[STATUS_ERROR];

        if (fx != fy)
                return fx > fy ? -1 : 1;
        if (x->n[STATUS_WARN] != y->n[STATUS_WARN])
                return x->n[STATUS_WARN] > y->n[STATUS_WARN] ? -1 : 1;
        return strcmp(x->id, y->id);
}

int view_checks(struct store *s, const struct view_scope *sc, json_t **out, struct error *e)
{
        const char *p[3] = { sc ? sc->finess : NULL, sc ? sc->region : NULL,
                             sc ? sc->department : NULL };
        struct check_counts *c = calloc(1, sizeof(*c));
        json_t *list;
        int rc;

        if (!c)
                return -ENOMEM;
        rc = store_rows(s,
                        "SELECT a.checks FROM agents a JOIN establishments e ON e.finess = a.finess"
                        " WHERE a.revoked_at IS NULL AND" SCOPE_WHERE,
                        3, p, count_checks_row, c, e);
        if (rc < 0) {
                free(c);
                return rc;
        }
        qsort(c->v, c->n, sizeof(c->v[0]), by_failing);
        list = json_array();
        for (size_t i = 0; i < c->n; i++) {
                const long *n = c->v[i].n;

                json_array_append_new(
                    list,
                    json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I}", "check", c->v[i].id, "fail",
                              (json_int_t)n[STATUS_FAIL], "error", (json_int_t)n[STATUS_ERROR],
                              "warn", (json_int_t)n[STATUS_WARN], "pass",
                              (json_int_t)n[STATUS_PASS], "skip", (json_int_t)n[STATUS_SKIP],
                              "machines", (json_int_t)(n[0] + n[1] + n[2] + n[3] + n[4])));
        }
        *out = json_pack("{s:o, s:I}", "checks", list, "machines", (json_int_t)c->machines);
        free(c);
        return 0;
}

static int check_machine_row(void *user, int ncols, const char *const *v)
{
        json_t *list = user;
        const char *text = v[5] ? v[5] : "";
        char id[64];
        int status, severity = -1;

        if (ncols != 8)
                return -EIO;
        while (store_checks_next(&text, id, &status, &severity))
                if (strcmp(id, v[7]) == 0)
                        break;
        return json_array_append_new(
            list, json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:I}", "id", v[0], "hostname",
                            v[1] ? v[1] : "", "finess", v[2] ? v[2] : "", "establishment",
                            v[3] ? v[3] : "", "last_seen",
                            v[4] ? json_integer(strtoll(v[4], NULL, 10)) : json_null(), "severity",
                            severity >= 0 ? severity_name(severity) : "", "total",
                            (json_int_t)strtoll(v[6], NULL, 10)));
}

int view_check_machines(struct store *s, const struct view_scope *sc, const char *check,
                        const char *status, long limit, long offset, json_t **out, struct error *e)
{
        /* The machines whose checks string holds "check=S", first or after
         * a ';': LIKE with the wildcards in the check id escaped, so the
         * count and the page come from SQL. */
        static const char sql[] =
            "SELECT a.id, a.hostname, a.finess, e.name, a.last_seen, a.checks, count(*) OVER (),"
            " CAST($7 AS TEXT) FROM agents a JOIN establishments e ON e.finess = a.finess"
            " WHERE a.revoked_at IS NULL AND" SCOPE_WHERE
            " AND (a.checks LIKE CAST($4 AS TEXT) ESCAPE '\\'"
            "   OR a.checks LIKE CAST($8 AS TEXT) ESCAPE '\\')"
            " ORDER BY e.name, a.hostname, a.id LIMIT CAST($5 AS BIGINT) OFFSET CAST($6 AS BIGINT)";
        int st = status_from_name(status);
        char pattern[2 * 64 + 8], first[2 * 64 + 8], lim[24], off[24];
        const char *p[8] = { sc ? sc->finess : NULL,
                             sc ? sc->region : NULL,
                             sc ? sc->department : NULL,
                             pattern,
                             lim,
                             off,
                             check,
                             first };
        size_t n = 0;
        json_t *list, *o;
        long long total = 0;
        size_t i;
        int rc;

        if (st < 0 || strlen(check) >= 64)
                return -EINVAL;
        pattern[n++] = '%';
        pattern[n++] = ';';
        for (const char *c = check; *c; c++) {
                if (*c == '%' || *c == '_' || *c == '\\')
                        pattern[n++] = '\\';
                pattern[n++] = *c;
        }
        snprintf(pattern + n, sizeof(pattern) - n, "=%c%%", store_status_letter(st));
        snprintf(first, sizeof(first), "%s", pattern + 2); /* without "%;" */
        snprintf(lim, sizeof(lim), "%ld", limit);
        snprintf(off, sizeof(off), "%ld", offset);
        list = json_array();
        rc = store_rows(s, sql, 8, p, check_machine_row, list, e);
        if (rc == 0 && json_array_size(list) == 0 && offset > 0) {
                /* Past the end: the first row still says how many there are. */
                p[5] = "0";
                rc = store_rows(s, sql, 8, p, check_machine_row, list, e);
                total = json_integer_value(json_object_get(json_array_get(list, 0), "total"));
                json_array_clear(list);
        }
        if (rc < 0) {
                json_decref(list);
                return rc;
        }
        json_array_foreach(list, i, o)
        {
                total = json_integer_value(json_object_get(o, "total"));
                json_object_del(o, "total");
        }
        *out = json_pack("{s:s, s:s, s:o, s:I, s:I, s:I}", "check", check, "status", status,
                         "machines", list, "total", (json_int_t)total, "offset", (json_int_t)offset,
                         "limit", (json_int_t)limit);
        return 0;
}

int view_resolved_by(struct store *s, const char *finess, time_t now, json_t **out, struct error *e)
{
        static const char *const keys[] = { "check", "subject", "severity", "summary", NULL };
        char at[24];
        const char *p[] = { finess, at };

        snprintf(at, sizeof(at), "%lld", (long long)now);
        return table(s,
                     "SELECT check_id, subject, severity, summary FROM alerts WHERE finess = $1"
                     " AND agent_id IS NULL AND status = 'resolved'"
                     " AND resolved_at = CAST($2 AS BIGINT) ORDER BY check_id, subject",
                     2, p, keys, out, e);
}

int view_scores(struct store *s, const struct store_rules *r, time_t now, view_score_fn *fn,
                void *user, struct error *e)
{
        struct est_list l;
        int rc = summaries(s, r, NULL, now, false, &l, e);

        for (size_t i = 0; rc == 0 && i < l.n; i++)
                if (l.v[i].score >= 0)
                        rc = fn(user, l.v[i].finess, l.v[i].score, l.v[i].machines);
        free(l.v);
        return rc;
}
