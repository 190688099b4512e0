/* reports.c - report intake: a batch of reports stored in one transaction,
 * each exactly once, with its agent's state and alerts brought up to it.
 *
 * A batch goes in segments of reports from distinct agents, each in three
 * steps whose statements the driver may send together: read the agents
 * (locked in id order, so collectors sharing a database cannot deadlock on
 * them) and their live alerts; insert the reports; then write what the
 * reports change, planned in C. On PostgreSQL that is a few round trips per
 * segment, whatever its size. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gzip.h"
#include "report_limits.h"
#include "rows.h"

#define SEGMENT_MAX 64   /* reports read and written together */
#define HELD_MAX    1024 /* latest blocks read per agent */
#define TX_TRIES    3    /* for a batch that lost a deadlock to another collector */

/* One report of a segment, and its agent as stored. */
struct item {
        struct intake *in;
        struct store_report *r;
        bool found, revoked, inserting;
        char finess[10], machine[65];
        long long last_seq, stored;
        size_t live_at, nlive; /* in in->live */
        size_t held_at, nheld; /* in in->held */
        bool in_blocks;        /* its body is kept as blocks, not whole */
        int order;             /* store_report_order() */
        struct store_rules rules;
        char checks[MACHINE_CHECKS_MAX];
};

/* A block the collector holds as the latest of its name, for an agent. */
struct held {
        char name[64];
        char digest[DIGEST_HEX];
};

struct intake {
        struct item items[SEGMENT_MAX];
        struct item *by_id[SEGMENT_MAX];
        struct store_live *live; /* the live alerts of the segment's agents */
        size_t nlive, cap;
        struct held *held; /* the latest blocks of the segment's agents */
        size_t nheld, held_cap;
        struct store_step steps[STORE_LIVE_MAX + INTAKE_FINDINGS_LIMIT];
        struct machine_state machine;
        char agent_sql[256];
        /* reports_put's arguments, for the transaction */
        struct store_report *v;
        size_t n;
        time_t now;
        store_rules_fn *rules_of;
        void *user;
};

static const char live_sql[] = "SELECT id, check_id, subject, severity, summary,"
                               " coalesce(summary_fr, '') FROM alerts"
                               " WHERE agent_id = $1 AND status <> 'resolved' LIMIT 1024";
static const char report_sql[] =
    "INSERT INTO reports (agent_id, report_id, seq, collected_at, received_at, encoding, body)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (agent_id, report_id) DO NOTHING"
    " RETURNING 1";
static const char upsert_sql[] =
    "INSERT INTO alerts (agent_id, check_id, subject, severity, summary, status,"
    " opened_at, last_seen, last_seq, finess, summary_fr, remediation, remediation_fr)"
    " VALUES ($1, $2, $3, $4, $5, 'open', $6, $6, $7, $8, $9, $10, $11)"
    " ON CONFLICT (agent_id, check_id, subject) WHERE status <> 'resolved'"
    " DO UPDATE SET severity = excluded.severity, summary = excluded.summary,"
    " summary_fr = excluded.summary_fr, last_seen = excluded.last_seen,"
    " last_seq = excluded.last_seq, remediation = excluded.remediation,"
    " remediation_fr = excluded.remediation_fr";
static const char update_sql[] = "UPDATE alerts SET severity = $2, summary = $3, last_seen = $4,"
                                 " last_seq = $5, summary_fr = $6, remediation = $7,"
                                 " remediation_fr = $8 WHERE id = $1";
static const char resolve_sql[] =
    "UPDATE alerts SET status = 'resolved', resolved_at = $2 WHERE id = $1";
static const char silent_sql[] = "UPDATE alerts SET status = 'resolved', resolved_at = $2"
                                 " WHERE agent_id = $1 AND status <> 'resolved'"
                                 " AND check_id = 'agent.silent'";
static const char seen_sql[] = "UPDATE agents SET last_seen = $2 WHERE id = $1";
static const char applied_sql[] =
    "UPDATE agents SET last_seen = $2, last_seq = $3, hostname = $4, report_interval = $5,"
    " machine = coalesce(machine, nullif($6, '')), checks = coalesce($7, checks),"
    " score = coalesce($8, score), equipment = coalesce($9, equipment),"
    " os_supported = CASE WHEN $7 IS NULL THEN os_supported ELSE $10 END WHERE id = $1";
/* A newer report's os and hardware facts, when it carries them. */
static const char os_sql[] = "UPDATE agents SET os = $2 WHERE id = $1";
static const char hardware_sql[] =
    "UPDATE agents SET model = $2, ram_mib = $3, disk = $4, disk_gb = $5 WHERE id = $1";
static const char held_sql[] = "SELECT name, digest FROM blocks"
                               " WHERE agent_id = $1 AND replaced_at IS NULL LIMIT 1024";
static const char replaced_sql[] = "UPDATE blocks SET replaced_at = $3"
                                   " WHERE agent_id = $1 AND name = $2 AND replaced_at IS NULL";
static const char block_sql[] =
    "INSERT INTO blocks (agent_id, name, seq, digest, received_at, body)"
    " VALUES ($1, $2, $3, $4, $5, $6)";
static const char backup_sql[] =
    "INSERT INTO backup_jobs (finess, job, last_seen) VALUES ($1, $2, $3)"
    " ON CONFLICT (finess, job) DO UPDATE SET last_seen = excluded.last_seen"
    " WHERE backup_jobs.last_seen < excluded.last_seen - 3600";

void store_intake_free(struct store *s)
{
        if (s->intake) {
                free(s->intake->live);
                free(s->intake->held);
        }
        free(s->intake);
        s->intake = NULL;
}

static int agent_row(void *user, int ncols, const char *const *v)
{
        struct item *it = user;

        if (ncols != 5)
                return -EIO;
        it->found = true;
        store_copy(it->finess, sizeof(it->finess), v[0]);
        it->revoked = store_num(v[1]) != 0;
        store_copy(it->machine, sizeof(it->machine), v[2]);
        it->last_seq = v[3] ? store_num(v[3]) : -1;
        store_copy(it->checks, sizeof(it->checks), v[4]);
        return 0;
}

/* A statement's rows come together, so each agent's alerts are adjacent. */
static int live_row(void *user, int ncols, const char *const *v)
{
        struct item *it = user;
        struct intake *in = it->in;
        struct store_live *l;

        if (ncols != 6)
                return -EIO;
        if (it->nlive == STORE_LIVE_MAX)
                return 0;
        if (in->nlive == in->cap) {
                size_t cap = in->cap ? 2 * in->cap : 256;

                if (!(l = realloc(in->live, cap * sizeof(*l))))
                        return -ENOMEM;
                in->live = l;
                in->cap = cap;
        }
        if (it->nlive++ == 0)
                it->live_at = in->nlive;
        l = &in->live[in->nlive++];
        l->id = store_num(v[0]);
        store_copy(l->check, sizeof(l->check), v[1]);
        store_copy(l->subject, sizeof(l->subject), v[2]);
        store_copy(l->severity, sizeof(l->severity), v[3]);
        store_copy(l->summary, sizeof(l->summary), v[4]);
        store_copy(l->summary_fr, sizeof(l->summary_fr), v[5]);
        return 0;
}

static int held_row(void *user, int ncols, const char *const *v)
{
        struct item *it = user;
        struct intake *in = it->in;
        struct held *h;

        if (ncols != 2)
                return -EIO;
        if (it->nheld == HELD_MAX)
                return 0;
        if (in->nheld == in->held_cap) {
                size_t cap = in->held_cap ? 2 * in->held_cap : 256;

                if (!(h = realloc(in->held, cap * sizeof(*h))))
                        return -ENOMEM;
                in->held = h;
                in->held_cap = cap;
        }
        if (it->nheld++ == 0)
                it->held_at = in->nheld;
        h = &in->held[in->nheld++];
        store_copy(h->name, sizeof(h->name), v[0]);
        store_copy(h->digest, sizeof(h->digest), v[1]);
        return 0;
}

static int stored_row(void *user, int ncols, const char *const *v)
{
        (void)ncols;
        (void)v;
        ((struct item *)user)->stored++;
        return 0;
}

static int by_agent_id(const void *a, const void *b)
{
        return strcmp((*(struct item *const *)a)->r->agent_id,
                      (*(struct item *const *)b)->r->agent_id);
}

/* How many reports from v, at most SEGMENT_MAX, come from distinct agents. */
static size_t segment_len(const struct store_report *v, size_t n)
{
        size_t len = 0;

        for (; len < n && len < SEGMENT_MAX; len++)
                for (size_t j = 0; j < len; j++)
                        if (strcmp(v[j].agent_id, v[len].agent_id) == 0)
                                return len;
        return len;
}

static int by_held_name(const void *a, const void *b)
{
        return strcmp(((const struct held *)a)->name, ((const struct held *)b)->name);
}

/* Step 1: the agents, locked in id order, their live alerts and the latest
 * digest of each of their blocks. */
static int read_agents(struct store *s, struct intake *in, size_t n, struct error *e)
{
        int rc = 0;

        in->nlive = in->nheld = 0;
        for (size_t i = 0; i < n; i++)
                in->by_id[i] = &in->items[i];
        qsort(in->by_id, n, sizeof(in->by_id[0]), by_agent_id);
        for (size_t i = 0; i < n && rc == 0; i++) {
                struct item *it = in->by_id[i];
                const struct sql_arg a[] = { sql_text(it->r->agent_id) };

                if ((rc = s->drv->queue(s, in->agent_sql, 1, a, agent_row, it, e)) == 0 &&
                    (rc = s->drv->queue(s, live_sql, 1, a, live_row, it, e)) == 0)
                        rc = s->drv->queue(s, held_sql, 1, a, held_row, it, e);
        }
        if (rc < 0 || (rc = s->drv->flush(s, e)) < 0)
                return rc;
        /* Each agent's blocks by name, to be looked up (held_digest). */
        for (size_t i = 0; i < n; i++)
                if (in->items[i].nheld > 1)
                        qsort(&in->held[in->items[i].held_at], in->items[i].nheld,
                              sizeof(in->held[0]), by_held_name);
        return 0;
}

/* Step 2: the reports their agents take, each once. */
static int insert_reports(struct store *s, struct intake *in, size_t n, struct error *e)
{
        int rc = 0;

        for (size_t i = 0; i < n && rc == 0; i++) {
                struct item *it = &in->items[i];
                struct store_report *r = it->r;

                if (!it->found) {
                        r->result = -ENOENT;
                        continue;
                }
                if (it->revoked) {
                        r->result = -EKEYREJECTED;
                        continue;
                }
                if ((it->order = store_report_order(r, it->last_seq)) == STORE_SEQ_AHEAD) {
                        r->result = it->order;
                        r->newest_seq = it->last_seq;
                        continue;
                }
                /* A newer report that will be applied is kept as blocks;
                 * another is kept whole, as it came. */
                it->in_blocks = r->nblocks > 0 && r->envelope && r->seq > it->last_seq &&
                                !store_machine_differs(it->machine, r->machine);
                const struct sql_arg a[] = { sql_text(r->agent_id),
                                             sql_text(r->report_id),
                                             sql_int(r->seq),
                                             sql_int(r->collected_at),
                                             sql_int(in->now),
                                             sql_text(it->in_blocks ? "blocks" : r->encoding),
                                             it->in_blocks ? sql_blob(r->envelope, r->envelope_len)
                                                           : sql_blob(r->body, r->body_len) };

                it->inserting = true;
                rc = s->drv->queue(s, report_sql, 7, a, stored_row, it, e);
        }
        return rc < 0 ? rc : s->drv->flush(s, e);
}

static int queue_upsert(struct store *s, const struct item *it, const char *check,
                        const char *subject, const char *severity, const char *summary,
                        const struct store_finding *f, long long seq, struct error *e)
{
        const struct sql_arg a[] = { sql_text(it->r->agent_id),
                                     sql_text(check),
                                     sql_text(subject),
                                     sql_text(severity),
                                     sql_text(summary),
                                     sql_int(it->in->now),
                                     sql_int(seq),
                                     sql_text(it->finess),
                                     sql_text(f ? f->summary_fr : NULL),
                                     sql_text(f ? f->remediation : NULL),
                                     sql_text(f ? f->remediation_fr : NULL) };

        return s->drv->queue(s, upsert_sql, 11, a, NULL, NULL, e);
}

/* A newer report: its alerts planned against the live ones, then its
 * backup jobs (for establishment.restore_tested). */
static int queue_findings(struct store *s, struct item *it, struct error *e)
{
        struct intake *in = it->in;
        const struct store_report *r = it->r;
        size_t nsteps;
        int rc = 0;

        if (r->nfindings > INTAKE_FINDINGS_LIMIT) {
                error_set(e, "", 0, "a report with %zu findings", r->nfindings);
                return -E2BIG;
        }
        nsteps = store_plan_alerts(r, it->rules.threshold,
                                   it->nlive ? &in->live[it->live_at] : NULL, it->nlive, in->steps);
        for (size_t i = 0; i < nsteps && rc == 0; i++) {
                const struct store_step *p = &in->steps[i];

                if (p->act == STORE_INSERT) {
                        rc = queue_upsert(s, it, p->f->check, p->f->subject,
                                          severity_name(p->f->severity), p->f->summary, p->f,
                                          r->seq, e);
                } else if (p->act == STORE_UPDATE) {
                        const struct sql_arg a[] = {
                                sql_int(p->id),
                                sql_text(severity_name(p->f->severity)),
                                sql_text(p->f->summary),
                                sql_int(in->now),
                                sql_int(r->seq),
                                sql_text(p->f->summary_fr),
                                sql_text(p->f->remediation),
                                sql_text(p->f->remediation_fr),
                        };

                        rc = s->drv->queue(s, update_sql, 8, a, NULL, NULL, e);
                } else {
                        const struct sql_arg a[] = { sql_int(p->id), sql_int(in->now) };

                        rc = s->drv->queue(s, resolve_sql, 2, a, NULL, NULL, e);
                }
        }
        for (size_t i = 0; i < r->nfindings && rc == 0; i++) {
                const struct store_finding *f = &r->findings[i];
                const struct sql_arg a[] = { sql_text(it->finess), sql_text(f->subject),
                                             sql_int(in->now) };

                if (strcmp(f->check, "backup.recent") == 0 && *f->subject)
                        rc = s->drv->queue(s, backup_sql, 3, a, NULL, NULL, e);
        }
        return rc;
}

/* The digest held for name, or NULL. */
static const char *held_digest(const struct intake *in, const struct item *it, const char *name)
{
        struct held key;
        const struct held *h;

        if (it->nheld == 0 ||
            snprintf(key.name, sizeof(key.name), "%s", name) >= (int)sizeof(key.name))
                return NULL;
        h = bsearch(&key, &in->held[it->held_at], it->nheld, sizeof(*h), by_held_name);
        return h ? h->digest : NULL;
}

/* Block b's text, from the report's unpacked text, into *buf. */
static int block_text(const struct store_report *r, const char *text, size_t len,
                      const struct store_block *b, char **buf, size_t *size, size_t *out)
{
        size_t need = 2 + b->nparts, at = 0;

        for (size_t i = 0; i < b->nparts; i++) {
                const size_t *p = r->parts[b->first + i];

                if (p[0] > p[1] || p[1] > len)
                        return -EINVAL;
                need += p[1] - p[0];
        }
        if (need > *size) {
                char *grown = realloc(*buf, need);

                if (!grown)
                        return -ENOMEM;
                *buf = grown;
                *size = need;
        }
        if (b->list)
                (*buf)[at++] = '[';
        for (size_t i = 0; i < b->nparts; i++) {
                const size_t *p = r->parts[b->first + i];

                if (i > 0)
                        (*buf)[at++] = ',';
                memcpy(*buf + at, text + p[0], p[1] - p[0]);
                at += p[1] - p[0];
        }
        if (b->list)
                (*buf)[at++] = ']';
        *out = at;
        return 0;
}

/* Whether the report says name is unchanged: it does not carry it whole. */
/* r->unchanged is in order of name (intake.c). */
static bool is_unchanged(const struct store_report *r, const char *name)
{
        const struct store_unchanged key = { .name = name };

        return r->nunchanged &&
               bsearch(&key, r->unchanged, r->nunchanged, sizeof(key), store_unchanged_cmp);
}

/* The blocks of a newer report that differ from those held: the held one
 * is replaced, the new one kept, gzip'd. Most reports change none, and
 * then cost no unpacking. Those it says unchanged are checked against the
 * held ones: the agent is asked to send again what is not held. */
static int keep_blocks(struct store *s, const struct item *it, struct error *e)
{
        const struct store_report *r = it->r;
        char *text = NULL, *buf = NULL;
        size_t len = 0, size = 0;
        int rc = 0;

        for (size_t i = 0; i < r->nunchanged && r->resend; i++) {
                const char *held = held_digest(it->in, it, r->unchanged[i].name);

                r->resend[i] = !held || strcmp(held, r->unchanged[i].digest) != 0;
        }
        for (size_t i = 0; i < r->nblocks && rc == 0; i++) {
                const struct store_block *b = &r->blocks[i];
                const char *held = held_digest(it->in, it, b->name);
                void *gz = NULL;
                size_t n, gzlen;

                if ((held && strcmp(held, b->digest) == 0) || is_unchanged(r, b->name))
                        continue;
                if (!text && strcmp(r->encoding, "gzip") == 0 &&
                    gzip_decompress(r->body, r->body_len, REPORT_TEXT_MAX, &text, &len) < 0) {
                        error_set(e, "", 0, "report %s: its body cannot be unpacked again",
                                  r->report_id);
                        rc = -EIO;
                        break;
                }
                if (!text && strcmp(r->encoding, "gzip") != 0) {
                        text = malloc(r->body_len + 1);
                        if (!text) {
                                rc = -ENOMEM;
                                break;
                        }
                        memcpy(text, r->body, r->body_len);
                        len = r->body_len;
                }
                if ((rc = block_text(r, text, len, b, &buf, &size, &n)) < 0 ||
                    (rc = gzip_compress(buf, n, 6, &gz, &gzlen)) < 0) {
                        if (rc == -EINVAL)
                                error_set(e, "", 0, "report %s: block %s out of its body",
                                          r->report_id, b->name);
                        break;
                }
                const struct sql_arg old[] = { sql_text(r->agent_id), sql_text(b->name),
                                               sql_int(it->in->now) };
                const struct sql_arg a[] = { sql_text(r->agent_id), sql_text(b->name),
                                             sql_int(r->seq),       sql_text(b->digest),
                                             sql_int(it->in->now),  sql_blob(gz, gzlen) };

                if (held)
                        rc = s->drv->queue(s, replaced_sql, 3, old, NULL, NULL, e);
                if (rc == 0)
                        rc = s->drv->queue(s, block_sql, 6, a, NULL, NULL, e);
                free(gz);
        }
        free(buf);
        free(text);
        return rc;
}

/* Step 3: what each stored report changes, in batch order. */
static int apply_reports(struct store *s, struct intake *in, size_t n, struct error *e)
{
        int rc = 0;

        /* The rules first: reading one may take a statement of its own. */
        for (size_t i = 0; i < n; i++)
                if (in->items[i].stored)
                        in->items[i].rules = *in->rules_of(in->user, in->items[i].finess);
        for (size_t i = 0; i < n && rc == 0; i++) {
                struct item *it = &in->items[i];
                struct store_report *r = it->r;
                struct machine_state *ms = &in->machine;
                bool newer = r->seq > it->last_seq;

                if (!it->stored) {
                        if (it->inserting)
                                r->result = STORE_DUPLICATE;
                        continue;
                }
                r->result = it->order;
                r->newest_seq = newer ? r->seq : it->last_seq;
                if (store_machine_differs(it->machine, r->machine)) {
                        const struct sql_arg a[] = { sql_text(r->agent_id), sql_int(in->now) };
                        char summary[160];

                        store_duplicate_summary(r, summary, sizeof(summary));
                        if ((rc = queue_upsert(s, it, "agent.duplicate", r->machine, "high",
                                               summary, NULL, it->last_seq, e)) == 0)
                                rc = s->drv->queue(s, seen_sql, 2, a, NULL, NULL, e);
                        continue;
                }
                if (newer) {
                        store_machine_update(it->checks, r, &it->rules, ms);
                        rc = queue_findings(s, it, e);
                        if (rc == 0 && it->in_blocks)
                                rc = keep_blocks(s, it, e);
                } else {
                        /* Any report, even an older one, says the agent is alive. */
                        const struct sql_arg a[] = { sql_text(r->agent_id), sql_int(in->now) };

                        rc = s->drv->queue(s, silent_sql, 2, a, NULL, NULL, e);
                }
                if (rc == 0) {
                        /* An older report changes no state: the stored one stays. */
                        const struct sql_arg a[] = {
                                sql_text(r->agent_id),
                                sql_int(in->now),
                                sql_int(r->newest_seq),
                                sql_text(r->hostname ? r->hostname : ""),
                                sql_int(r->interval),
                                sql_text(r->machine ? r->machine : ""),
                                newer ? sql_text(ms->checks) : sql_text(NULL),
                                newer && ms->score >= 0 ? sql_int(ms->score) : sql_text(NULL),
                                newer ? sql_int(ms->equipment) : sql_text(NULL),
                                newer && ms->os_supported >= 0 ? sql_int(ms->os_supported)
                                                               : sql_text(NULL),
                        };

                        rc = s->drv->queue(s, applied_sql, 10, a, NULL, NULL, e);
                }
                if (rc == 0 && newer && r->facts && r->facts->os) {
                        const struct sql_arg a[] = { sql_text(r->agent_id),
                                                     sql_text(r->facts->os_name) };

                        rc = s->drv->queue(s, os_sql, 2, a, NULL, NULL, e);
                }
                if (rc == 0 && newer && r->facts && r->facts->hardware) {
                        const struct machine_facts *m = r->facts;
                        const struct sql_arg a[] = {
                                sql_text(r->agent_id),
                                sql_text(m->model),
                                m->ram_mib >= 0 ? sql_int(m->ram_mib) : sql_text(NULL),
                                sql_text(m->disk),
                                m->disk_gb >= 0 ? sql_int(m->disk_gb) : sql_text(NULL),
                        };

                        rc = s->drv->queue(s, hardware_sql, 5, a, NULL, NULL, e);
                }
        }
        return rc;
}

static int put_in_tx(struct store *s, void *user, struct error *e)
{
        struct intake *in = user;
        size_t n;
        int rc;

        for (size_t at = 0; at < in->n; at += n) {
                n = segment_len(in->v + at, in->n - at);
                for (size_t i = 0; i < n; i++) {
                        struct item *it = &in->items[i];

                        it->in = in;
                        it->r = &in->v[at + i];
                        it->found = it->revoked = it->inserting = false;
                        it->stored = 0;
                        it->nlive = it->live_at = 0;
                        it->nheld = it->held_at = 0;
                        it->in_blocks = false;
                        it->last_seq = -1;
                }
                if ((rc = read_agents(s, in, n, e)) < 0 || (rc = insert_reports(s, in, n, e)) < 0 ||
                    (rc = apply_reports(s, in, n, e)) < 0)
                        return rc;
        }
        return 0;
}

int store_reports_put(struct store *s, struct store_report *v, size_t n, time_t now,
                      store_rules_fn *rules, void *user, struct error *e)
{
        struct intake *in = s->intake;
        int rc, tries = 0;

        if (!in) {
                if (!(in = s->intake = calloc(1, sizeof(*in))))
                        return -ENOMEM;
                snprintf(in->agent_sql, sizeof(in->agent_sql),
                         "SELECT finess, coalesce(revoked_at, 0), coalesce(machine, ''),"
                         " last_seq, checks FROM agents WHERE id = $1%s",
                         s->drv->for_update);
        }
        in->v = v;
        in->n = n;
        in->now = now;
        in->rules_of = rules;
        in->user = user;
        do
                rc = store_tx(s, put_in_tx, in, e);
        while (rc == -EAGAIN && ++tries < TX_TRIES);
        /* A hostile batch's alerts are not kept in memory. */
        if (in->cap > 4096) {
                free(in->live);
                in->live = NULL;
                in->cap = 0;
        }
        if (in->held_cap > 4096) {
                free(in->held);
                in->held = NULL;
                in->held_cap = 0;
        }
        return rc < 0 ? rc : 0;
}
