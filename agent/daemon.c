/* daemon.c - hygie-agent run: the schedule, the spool and delivery.
 *
 * One libuv loop. Each family runs on its own interval (with jitter); the
 * checks run on the loop's thread pool, and their report goes to the spool
 * (fsync'ed) before anything is sent. Delivery takes the oldest report,
 * sends it over the libcurl multi transport, and removes it only on 2xx; a
 * report the collector refuses for good (400, 413, 415, 422) is an error
 * and goes to the spool's refused/, so the rest still goes. Other
 * failures back off exponentially with jitter and honour Retry-After; a
 * backlog drains at a bounded pace so a collector coming back is not
 * flattened by every agent at once. Blocking file work (spool, status) runs
 * on the thread pool too; status.json has one write under way at a time, so
 * the newest status is the one left. A report's seq is on disk (state seq)
 * before the report is spooled, so seqs never go back.
 *
 * The service manager: systemd is told through sd_notify, SIGTERM stops and
 * SIGHUP reloads. On Windows, "run --service" hands the main thread to the
 * service control manager and runs all this on the service's thread
 * (win/service.c), whose stop and paramchange wake the loop. */
#include <errno.h>
#include <getopt.h>
#include <ini.h>
#include <jansson.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include <openssl/crypto.h>

#include "intl.h"
#include "agent.h"
#include "delta.h"
#include "lang.h"
#include "dirops.h"
#include "gzip.h"
#include "log.h"
#include "paths.h"
#include "report.h"
#include "report_limits.h"
#include "spool.h"
#include "state.h"
#include "transport.h"
#include "util.h"

#define _(s) dgettext("hygie", s)

#ifdef _WIN32
/* Ctrl-Break; SIGHUP is the console closing, a stop too. The service's
 * requests come through service.c. */
#define SIG_STOP SIGBREAK
#else
#define SIG_STOP SIGTERM
#include "notify.h"
#endif

struct daemon_config {
        char state[PATH_MAX];
        unsigned backoff_min_s, backoff_max_s;
        unsigned drain_per_minute; /* pace of a backlog */
        unsigned spool_max_mb;
};

struct daemon {
        uv_loop_t *loop;
        struct daemon_config cfg;
        struct agent_state st;
        struct transport t;
        struct spool *spool;
        uv_mutex_t spool_lock; /* the spool's, and the blocks sent (delta) */
        struct delta delta;
        struct policy *policy;
        struct msgcat fr; /* the reports' French texts; no data when it could not load */
        const char *policy_file, *root_path;
        const char *config_file, *state_dir; /* as given, or NULL */
        struct rootfs *root;
        char host[256];
        char machine[65]; /* this machine's digest, as reports carry it */
        uv_timer_t check_timer, send_timer;
        uv_signal_t sigstop, sigint, sighup;
#ifdef _WIN32
        uv_async_t wake;       /* the service control manager asks (service.c) */
        bool service, restart; /* restart: enrolled again, start afresh */
#endif
        uint64_t next_due[FAM_COUNT]; /* loop time, ms */
        bool checking, sending, stopping, once, reload_pending, once_checked;
        bool status_writing, status_again; /* a write under way; another asked */
        long long seq;
        unsigned failures;
        unsigned long long delivered;
        long long last_delivery, last_attempt;
        char last_error[1024], policy_etag[64];
        bool error_is_refusal; /* last_error stays until another error */
        unsigned refused;      /* reports refused for good by this run */
        json_t *last_refusal;  /* {"at", "seq", "error"}, kept across runs */
        struct transport_req send_req, policy_req;
        struct spool_entry sending_entry;
        unsigned cycle_mask;
        int exit_code;
};

static void deliver(struct daemon *d);
static void schedule_checks(struct daemon *d);
static void daemon_stop(struct daemon *d, int code);

/* Configuration: agent.ini in the configuration directory (paths_conf), or
 * --config. */

static int config_key(void *user, const char *section, const char *key, const char *value)
{
        struct daemon_config *c = user;
        char *end;
        unsigned long n;

        if (strcmp(section, "agent") != 0)
                return 0;
        if (strcmp(key, "state") == 0) {
                snprintf(c->state, sizeof(c->state), "%s", value);
                return 1;
        }
        n = strtoul(value, &end, 10);
        if (end == value || *end || n == 0 || n > 1000000)
                return 0;
        if (strcmp(key, "backoff_min") == 0)
                c->backoff_min_s = (unsigned)n;
        else if (strcmp(key, "backoff_max") == 0)
                c->backoff_max_s = (unsigned)n;
        else if (strcmp(key, "drain_per_minute") == 0)
                c->drain_per_minute = (unsigned)n;
        else if (strcmp(key, "spool_max_mb") == 0)
                c->spool_max_mb = (unsigned)n;
        else
                return 0;
        return 1;
}

static int config_load(struct daemon_config *c, const char *file, bool required)
{
        int rc;

        snprintf(c->state, sizeof(c->state), "%s", paths_statedir());
        c->backoff_min_s = 5;
        c->backoff_max_s = 600;
        c->drain_per_minute = 120;
        c->spool_max_mb = 50;
        if (!required && !util_exists(file))
                return 0;
        rc = ini_parse(file, config_key, c);
        if (rc < 0) {
                log_fail("hygie-agent: %s: %s", file, strerror(errno));
                return -1;
        }
        if (rc > 0) {
                log_fail(_("hygie-agent: %s:%d: unknown key or bad value (in [agent]: state, "
                           "backoff_min, backoff_max, drain_per_minute, spool_max_mb)"),
                         file, rc);
                return -1;
        }
        if (c->backoff_max_s < c->backoff_min_s)
                c->backoff_max_s = c->backoff_min_s;
        return 0;
}

/* Random jitter in [-pct, +pct] percent of v. */
static uint64_t jitter(uint64_t v, unsigned pct)
{
        uint64_t span = v * pct / 100, r = 0;

        if (span == 0)
                return v;
        uv_random(NULL, NULL, &r, sizeof(r), 0, NULL);
        return v - span + r % (2 * span + 1);
}

/* Status: what "hygie-agent status" shows. */

struct file_work {
        uv_work_t w;
        struct daemon *d;
        char dir[PATH_MAX];
        char *text;
};

static void save_status(struct daemon *d);

static void write_status_work(uv_work_t *w)
{
        struct file_work *f = w->data;
        struct error e;

        if (file_replace(f->dir, "status.json", f->text, strlen(f->text), 0644, &e) < 0)
                log_warn("msg=\"status not saved\" file=%s error=\"%s\"", e.file, e.msg);
}

static void write_status_done(uv_work_t *w, int status)
{
        struct file_work *f = w->data;
        struct daemon *d = f->d;

        (void)status;
        free(f->text);
        free(f);
        d->status_writing = false;
        if (d->status_again) {
                d->status_again = false;
                save_status(d);
        }
}

static void save_status(struct daemon *d)
{
        uint64_t next = UINT64_MAX, now = uv_now(d->loop);
        unsigned long long resident, private_bytes;
        char when[32], last[32], attempt[32];
        struct file_work *f;
        json_t *o;

        /* Two writes at once could land in either order: the one under way
         * writes again when it is done, with what is new by then. */
        if (d->status_writing) {
                d->status_again = true;
                return;
        }
        f = calloc(1, sizeof(*f));
        if (!f)
                return;
        for (int i = 0; i < FAM_COUNT; i++)
                if (d->next_due[i] < next)
                        next = d->next_due[i];
        o = json_pack("{s:I, s:s, s:s?, s:s?, s:s?, s:O?, s:I, s:s, s:I}", "seq",
                      (json_int_t)d->seq, "next_run",
                      util_iso8601(time(NULL) + (time_t)((next > now ? next - now : 0) / 1000),
                                   when, sizeof(when)),
                      "last_delivery",
                      d->last_delivery ? util_iso8601(d->last_delivery, last, sizeof(last)) : NULL,
                      "last_attempt",
                      d->last_attempt ? util_iso8601(d->last_attempt, attempt, sizeof(attempt))
                                      : NULL,
                      "last_error", d->last_error[0] ? d->last_error : NULL, "last_refusal",
                      d->last_refusal, "delivered", (json_int_t)d->delivered, "policy_etag",
                      d->policy_etag, "pid", (json_int_t)getpid());
        if (o && agent_memory(&resident, &private_bytes) == 0)
                json_object_set_new(o, "memory",
                                    json_pack("{s:I, s:I}", "resident", (json_int_t)resident,
                                              "private", (json_int_t)private_bytes));
        f->text = o ? json_dumps(o, JSON_INDENT(2)) : NULL;
        json_decref(o);
        snprintf(f->dir, sizeof(f->dir), "%s", d->st.dir);
        f->d = d;
        f->w.data = f;
        d->status_writing = true;
        if (!f->text || uv_queue_work(d->loop, &f->w, write_status_work, write_status_done) < 0) {
                d->status_writing = false;
                free(f->text);
                free(f);
        }
}

/* The policy again, from the files: the shipped baseline, the one fetched
 * from the collector, this machine's own (or --policy alone). The one in
 * use is replaced only by a whole new one. Not while checks run: they read
 * it. 0, or -errno with the reason logged as what. */
static int reload_policy(struct daemon *d, const char *what)
{
        struct policy *p = malloc(sizeof(*p));
        char path[PATH_MAX];
        struct error e;

        if (!p)
                return -ENOMEM;
        policy_defaults(p);
        if (agent_load_policy(p, d->policy_file,
                              state_path(d->st.dir, "policy.ini", path, sizeof(path)), &e) < 0) {
                log_error("msg=\"%s\" error=\"%s:%u: %s\"", what, e.file, e.line, e.msg);
                free(p);
                return -EINVAL;
        }
        free(d->policy);
        d->policy = p;
        return 0;
}

/* Checks: on the thread pool, report into the spool. */

struct check_work {
        uv_work_t w;
        struct daemon *d;
        unsigned mask;
        long long seq;
        size_t failed;
        int rc;
        struct error e;
};

static long shortest_interval(const struct policy *p)
{
        long m = p->schedule[0];

        for (int i = 1; i < FAM_COUNT; i++)
                if (p->schedule[i] < m)
                        m = p->schedule[i];
        return m;
}

static void check_work(uv_work_t *w)
{
        struct check_work *cw = w->data;
        struct daemon *d = cw->d;
        struct findings findings = { 0 }, fr = { 0 };
        time_t now = time(NULL);
        json_t *facts, *doc, *sent_before;
        struct error de;
        char *text = NULL;
        void *gz = NULL;
        size_t gzlen = 0;

        facts = agent_run_checks(d->root, d->policy, cw->mask, now, false, d->st.dir, &findings);
        struct report_meta meta = {
                .agent_id = d->st.agent_id,
                .hostname = d->host,
                .machine = d->machine[0] ? d->machine : NULL,
                .interval = shortest_interval(d->policy),
                .seq = cw->seq,
                .collected_at = now,
        };
        if (d->fr.data)
                agent_run_texts(d->policy, facts, cw->mask, now, &d->fr, &fr);
        doc = report_build(&meta, d->policy, facts, &findings, &fr);
        /* What was sent before goes as its digest; kept as it was if this
         * report is not spooled. */
        uv_mutex_lock(&d->spool_lock);
        sent_before = json_deep_copy(d->delta.sent);
        if (doc && sent_before && delta_cut(&d->delta, doc) < 0) {
                json_decref(doc);
                doc = NULL;
        }
        uv_mutex_unlock(&d->spool_lock);
        for (size_t i = 0; i < findings.n; i++)
                cw->failed += findings.v[i].status == STATUS_FAIL;
        text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
        cw->rc = text ? gzip_compress(text, strlen(text), 6, &gz, &gzlen) : -ENOMEM;
        if (cw->rc < 0) {
                error_set(&cw->e, "", 0, "cannot build the report: %s", strerror(-cw->rc));
        } else if (strlen(text) > REPORT_TEXT_MAX || gzlen > REPORT_SENT_MAX) {
                /* The collector would refuse it: said now, not lost later. */
                cw->rc = -EFBIG;
                error_set(&cw->e, "", 0,
                          "the report is too large to send (%zu bytes, %zu compressed; the "
                          "collector takes %d and %d)",
                          strlen(text), gzlen, REPORT_TEXT_MAX, REPORT_SENT_MAX);
        } else {
                cw->rc = state_seq_save(d->st.dir, (unsigned long long)cw->seq, &cw->e);
        }
        uv_mutex_lock(&d->spool_lock);
        if (cw->rc == 0)
                cw->rc = spool_put(d->spool, (uint64_t)cw->seq, cw->mask, gz, gzlen, &cw->e);
        if (cw->rc == 0 && delta_save(&d->delta, d->st.dir, &de) < 0)
                log_warn("msg=\"blocks sent not saved: the next report goes whole\" error=\"%s\"",
                         de.msg);
        if (cw->rc < 0 && sent_before) {
                json_decref(d->delta.sent);
                d->delta.sent = json_incref(sent_before);
        }
        uv_mutex_unlock(&d->spool_lock);
        json_decref(sent_before);
        free(gz);
        free(text);
        json_decref(doc);
        json_decref(facts);
        findings_free(&findings);
        findings_free(&fr);
        /* The audit's work area goes back to the system. */
#ifdef _WIN32
        _heapmin();
#else
        malloc_trim(0);
#endif
}

static void check_done(uv_work_t *w, int status)
{
        struct check_work *cw = w->data;
        struct daemon *d = cw->d;

        (void)status;
        d->checking = false;
        if (cw->rc < 0) {
                char why[600];

                /* A full disk must not stop the agent: the next cycle retries. */
                error_str(&cw->e, why, sizeof(why));
                log_error("msg=\"report not spooled\" seq=%lld error=\"%s\"", cw->seq, why);
                snprintf(d->last_error, sizeof(d->last_error), "report %lld not spooled: %s",
                         cw->seq, why);
                d->error_is_refusal = false;
        } else {
                log_info("msg=\"checks done\" seq=%lld families=%#x failed=%zu", cw->seq, cw->mask,
                         cw->failed);
        }
        if (d->once && cw->rc < 0)
                d->exit_code = 1;
        free(cw);
        if (d->once)
                d->once_checked = true;
        if (d->once && d->exit_code) {
                daemon_stop(d, d->exit_code);
                return;
        }
        save_status(d);
        if (d->stopping) {
                daemon_stop(d, d->exit_code);
                return;
        }
        if (d->reload_pending) {
                d->reload_pending = false;
                reload_policy(d, "policy not reloaded");
        }
        if (!d->once)
                schedule_checks(d);
        deliver(d);
}

static void run_checks(struct daemon *d, unsigned mask)
{
        struct check_work *cw = calloc(1, sizeof(*cw));

        if (!cw)
                return;
        cw->d = d;
        cw->mask = mask;
        cw->seq = ++d->seq;
        cw->w.data = cw;
        d->checking = true;
        if (uv_queue_work(d->loop, &cw->w, check_work, check_done) < 0) {
                d->checking = false;
                free(cw);
        }
}

/* The policy from the collector, fetched before each run of the checks. */

static void apply_policy(struct daemon *d, struct transport_req *r)
{
        char path[PATH_MAX];
        struct error e;

        if (r->status == 204) {
                unlink(state_path(d->st.dir, "policy.ini", path, sizeof(path)));
                d->policy_etag[0] = '\0';
        } else if (r->status == 200 && r->body) {
                /* Checked whole before it is saved and used. */
                struct policy *p = malloc(sizeof(*p));
                int rc = p ? 0 : -ENOMEM;

                if (rc == 0) {
                        policy_defaults(p);
                        rc = policy_load_string(p, r->body, "collector policy", &e);
                        free(p);
                        if (rc < 0)
                                log_error("msg=\"collector policy refused\" "
                                          "error=\"line %u: %s\"",
                                          e.line, e.msg);
                }
                if (rc == 0 &&
                    (rc = file_replace(d->st.dir, "policy.ini", r->body, r->len, 0600, &e)) < 0)
                        log_error("msg=\"policy not saved\" error=\"%s\"", e.msg);
                if (rc < 0)
                        return;
                snprintf(d->policy_etag, sizeof(d->policy_etag), "%s", r->etag);
        } else {
                return;
        }
        if (reload_policy(d, "policy not applied") < 0)
                return;
        log_info("msg=\"policy updated\" etag=%s", d->policy_etag[0] ? d->policy_etag : "none");
}

static void policy_fetched(struct transport_req *r)
{
        struct daemon *d = r->user;

        if (r->result == CURLE_OK && (r->status == 200 || r->status == 204) && !d->policy_file)
                apply_policy(d, r);
        else if (r->result != CURLE_OK || (r->status != 304 && r->status != 200)) {
                log_info("msg=\"policy not fetched\" error=\"%s\"",
                         transport_describe(r, d->last_error, sizeof(d->last_error)));
                d->error_is_refusal = false;
        }
        transport_req_free(r);
        if (d->stopping)
                return;
        run_checks(d, d->cycle_mask);
}

static void start_cycle(struct daemon *d, unsigned mask)
{
        char inm[96], path[PATH_MAX];
        const char *headers[] = { inm, NULL };

        /* The ETag names the saved policy.ini: without it, ask for it whole. */
        if (d->policy_etag[0] &&
            !util_exists(state_path(d->st.dir, "policy.ini", path, sizeof(path))))
                d->policy_etag[0] = '\0';
        d->cycle_mask = mask;
        d->checking = true; /* the fetch is part of the cycle */
        snprintf(inm, sizeof(inm), "If-None-Match: %s", d->policy_etag);
        memset(&d->policy_req, 0, sizeof(d->policy_req));
        d->policy_req.done = policy_fetched;
        d->policy_req.user = d;
        if (transport_start(&d->t, &d->policy_req, "GET", "/api/v1/policy", NULL, 0,
                            d->policy_etag[0] ? headers : NULL) < 0) {
                transport_req_free(&d->policy_req);
                run_checks(d, mask);
        }
}

static void on_check_timer(uv_timer_t *t)
{
        struct daemon *d = t->data;
        uint64_t now = uv_now(d->loop);
        unsigned mask = 0;

        if (d->checking)
                return; /* check_done schedules again */
        for (int i = 0; i < FAM_COUNT; i++) {
                if (d->next_due[i] <= now + 1000) {
                        mask |= 1u << i;
                        d->next_due[i] = now + jitter((uint64_t)d->policy->schedule[i] * 1000,
                                                      (unsigned)d->policy->schedule_jitter_percent);
                }
        }
        if (mask)
                start_cycle(d, mask);
        else
                schedule_checks(d);
}

static void schedule_checks(struct daemon *d)
{
        uint64_t next = UINT64_MAX, now = uv_now(d->loop);

        for (int i = 0; i < FAM_COUNT; i++)
                if (d->next_due[i] < next)
                        next = d->next_due[i];
        uv_timer_start(&d->check_timer, on_check_timer, next > now ? next - now : 0, 0);
}

/* Delivery: read the oldest report (thread pool), send it, remove it on 2xx
 * or set it aside when refused for good (thread pool), then the next one
 * after the drain pace. */

enum send_step {
        SEND_READ,      /* the oldest report into data */
        SEND_REMOVE,    /* ent, delivered */
        SEND_SET_ASIDE, /* ent, refused for good */
};

struct send_work {
        uv_work_t w;
        struct daemon *d;
        enum send_step step;
        struct spool_entry ent;
        void *data;
        size_t len, left;
        int rc;
        struct error e;
};

static void send_work(uv_work_t *w)
{
        struct send_work *sw = w->data;
        struct daemon *d = sw->d;
        uint64_t bytes;

        uv_mutex_lock(&d->spool_lock);
        if (sw->step == SEND_REMOVE) {
                sw->rc = spool_remove(d->spool, &sw->ent, &sw->e);
        } else if (sw->step == SEND_SET_ASIDE) {
                sw->rc = spool_set_aside(d->spool, &sw->ent, &sw->e);
                if (sw->rc < 0) {
                        /* Kept, it would be refused again and hold back the rest. */
                        log_error("msg=\"refused report not set aside, dropped\" seq=%llu "
                                  "error=\"%s\"",
                                  (unsigned long long)sw->ent.seq, sw->e.msg);
                        spool_remove(d->spool, &sw->ent, &sw->e);
                }
        } else {
                sw->rc = spool_oldest(d->spool, &sw->ent);
                if (sw->rc == 0)
                        sw->rc = spool_read(d->spool, &sw->ent, &sw->data, &sw->len, &sw->e);
                if (sw->rc < 0 && sw->rc != -ENOENT) {
                        /* Unreadable: it can never be delivered; the rest can. */
                        log_error("msg=\"spooled report unreadable, dropped\" file=%s "
                                  "error=\"%s\"",
                                  sw->e.file, sw->e.msg);
                        spool_remove(d->spool, &sw->ent, &sw->e);
                }
        }
        spool_stats(d->spool, &sw->left, &bytes);
        uv_mutex_unlock(&d->spool_lock);
}

static void sent(struct transport_req *r);
static void on_send_timer(uv_timer_t *t);
static void queue_send(struct daemon *d, enum send_step step);

/* The report being sent will never be accepted: an error, and the report is
 * set aside so that the rest goes. */
static void refuse(struct daemon *d, const char *why)
{
        unsigned long long seq = (unsigned long long)d->sending_entry.seq;
        char when[32];

        snprintf(d->last_error, sizeof(d->last_error),
                 "report %llu refused (%s); set aside in spool/" SPOOL_REFUSED_DIR, seq, why);
        d->error_is_refusal = true;
        d->refused++;
        json_decref(d->last_refusal);
        d->last_refusal =
            json_pack("{s:s, s:I, s:s}", "at", util_iso8601(time(NULL), when, sizeof(when)), "seq",
                      (json_int_t)seq, "error", why);
        log_error("msg=\"report refused, set aside\" seq=%llu dir=%s/spool/%s "
                  "error=\"%s\"",
                  seq, d->st.dir, SPOOL_REFUSED_DIR, why);
        save_status(d);
        queue_send(d, SEND_SET_ASIDE);
}

static void send_work_done(uv_work_t *w, int status)
{
        struct send_work *sw = w->data;
        struct daemon *d = sw->d;
        static const char *const headers[] = { "Content-Type: application/json",
                                               "Content-Encoding: gzip", NULL };

        (void)status;
        d->sending = false;
        if (d->stopping)
                goto out;
        if (sw->step != SEND_READ) {
                if (sw->step == SEND_REMOVE && sw->rc < 0)
                        log_error("msg=\"delivered report not removed\" error=\"%s\"", sw->e.msg);
                if (sw->left > 0)
                        uv_timer_start(&d->send_timer, on_send_timer,
                                       jitter(60000 / d->cfg.drain_per_minute, 50), 0);
                else if (d->once && d->once_checked && !d->checking)
                        daemon_stop(d, d->refused ? 1 : 0);
                goto out;
        }
        if (sw->rc == -ENOENT) {
                if (d->once && d->once_checked && !d->checking)
                        daemon_stop(d, d->refused ? 1 : 0);
                goto out;
        }
        if (sw->rc < 0) {
                uv_timer_start(&d->send_timer, on_send_timer, 1000, 0);
                goto out;
        }
        d->sending_entry = sw->ent;
        if (sw->len > REPORT_SENT_MAX) {
                char why[128];

                /* Spooled by an agent that did not keep to the limits. */
                snprintf(why, sizeof(why), "%zu bytes, over the %d bytes the collector takes",
                         sw->len, REPORT_SENT_MAX);
                refuse(d, why);
                goto out;
        }
        memset(&d->send_req, 0, sizeof(d->send_req));
        d->send_req.done = sent;
        d->send_req.user = d;
        d->last_attempt = (long long)time(NULL);
        d->sending = true;
        if (transport_start(&d->t, &d->send_req, "POST", "/api/v1/reports", sw->data, sw->len,
                            headers) < 0) {
                transport_req_free(&d->send_req);
                d->sending = false;
                uv_timer_start(&d->send_timer, on_send_timer, 5000, 0);
        }
out:
        free(sw->data);
        free(sw);
}

static void queue_send(struct daemon *d, enum send_step step)
{
        struct send_work *sw = calloc(1, sizeof(*sw));

        if (!sw)
                return;
        sw->d = d;
        sw->step = step;
        sw->ent = d->sending_entry;
        sw->w.data = sw;
        d->sending = true;
        if (uv_queue_work(d->loop, &sw->w, send_work, send_work_done) < 0) {
                d->sending = false;
                free(sw);
        }
}

static void deliver(struct daemon *d)
{
        if (d->sending || d->stopping || uv_is_active((uv_handle_t *)&d->send_timer))
                return;
        queue_send(d, SEND_READ);
}

static void on_send_timer(uv_timer_t *t)
{
        deliver(t->data);
}

/* The collector stored the report but holds newer ones from this agent (a
 * state directory restored from a backup, say): numbering goes on after
 * the newest it has, so that the next reports count. */
static void catch_up(struct daemon *d, const struct transport_req *r)
{
        json_t *answer = r->body ? json_loadb(r->body, r->len, 0, NULL) : NULL;
        const char *status = json_string_value(json_object_get(answer, "status"));
        json_int_t newest = json_integer_value(json_object_get(answer, "newest_seq"));
        bool cut_before = d->delta.collector_cuts;
        unsigned again;
        struct error e;

        /* Blocks the collector lacks go whole, with their checks run soon. */
        uv_mutex_lock(&d->spool_lock);
        again = delta_answer(&d->delta, answer);
        if ((again || cut_before != d->delta.collector_cuts) &&
            delta_save(&d->delta, d->st.dir, &e) < 0)
                log_warn("msg=\"blocks sent not saved\" error=\"%s\"", e.msg);
        uv_mutex_unlock(&d->spool_lock);
        if (again) {
                log_info("msg=\"the collector lacks blocks of this machine: they go whole\" "
                         "families=%#x",
                         again);
                for (int i = 0; i < FAM_COUNT; i++)
                        if (again & 1u << i)
                                d->next_due[i] = uv_now(d->loop);
                if (!d->checking && !d->once)
                        schedule_checks(d);
        }

        if (status && strcmp(status, "superseded") == 0 && newest > d->seq) {
                log_warn("msg=\"the collector holds newer reports of this agent: numbering goes on "
                         "after them\" seq=%lld newest=%lld",
                         d->seq, (long long)newest);
                d->seq = newest;
                if (state_seq_save(d->st.dir, (unsigned long long)d->seq, &e) < 0)
                        log_error("msg=\"report number not saved\" error=\"%s\"", e.msg);
        }
        json_decref(answer);
}

static void sent(struct transport_req *r)
{
        struct daemon *d = r->user;
        long status = r->result == CURLE_OK ? r->status : 0;
        long retry_after = r->retry_after;
        char why[300];
        uint64_t delay;

        d->sending = false;
        if (status >= 200 && status < 300) {
                d->failures = 0;
                d->delivered++;
                d->last_delivery = (long long)time(NULL);
                if (!d->error_is_refusal)
                        d->last_error[0] = '\0';
                log_info("msg=\"report delivered\" seq=%llu status=%ld",
                         (unsigned long long)d->sending_entry.seq, status);
                catch_up(d, r);
                transport_req_free(r);
                save_status(d);
                queue_send(d, SEND_REMOVE);
                return;
        }
        transport_describe(r, why, sizeof(why));
        transport_req_free(r);
        if (status == 400 || status == 413 || status == 415 || status == 422) {
                refuse(d, why);
                return;
        }
        snprintf(d->last_error, sizeof(d->last_error), "%s", why);
        d->error_is_refusal = false;
        if (status == 401 || status == 403)
                log_error("msg=\"the collector refuses this agent: enroll it again\" error=\"%s\"",
                          why);
        else
                log_warn("msg=\"report not delivered, kept in the spool\" error=\"%s\"", why);
        save_status(d);
        if (d->once) {
                daemon_stop(d, 1);
                return;
        }
        d->failures++;
        if (retry_after >= 0) {
                delay = (uint64_t)retry_after * 1000;
        } else {
                unsigned shift = d->failures > 16 ? 16 : d->failures - 1;

                delay = (uint64_t)d->cfg.backoff_min_s * 1000 << shift;
                if (delay > (uint64_t)d->cfg.backoff_max_s * 1000)
                        delay = (uint64_t)d->cfg.backoff_max_s * 1000;
        }
        uv_timer_start(&d->send_timer, on_send_timer, jitter(delay, 25), 0);
}

/* Signals, the service manager and stopping. */

/* Tells systemd (sd_notify) or the Windows service control manager. */
static void tell_manager(struct daemon *d, const char *state)
{
#ifdef _WIN32
        if (!d->service)
                return;
        if (strcmp(state, "READY=1") == 0)
                agent_service_running(&d->wake);
        else if (strcmp(state, "STOPPING=1") == 0)
                agent_service_stopping(d->restart);
#else
        (void)d;
        notify_send(state);
#endif
}

static void on_closed(uv_handle_t *h)
{
        (void)h;
}

static void daemon_stop(struct daemon *d, int code)
{
        if (!d->stopping) {
                d->stopping = true;
                d->exit_code = code;
                tell_manager(d, "STOPPING=1");
                uv_timer_stop(&d->check_timer);
                uv_timer_stop(&d->send_timer);
                transport_close(&d->t);
                transport_req_free(&d->send_req);
                transport_req_free(&d->policy_req);
                uv_signal_stop(&d->sigstop);
                uv_signal_stop(&d->sigint);
                uv_signal_stop(&d->sighup);
        }
        /* The checks under way finish first (check_done calls again). */
        if (d->checking)
                return;
        if (!uv_is_closing((uv_handle_t *)&d->check_timer)) {
                uv_close((uv_handle_t *)&d->check_timer, on_closed);
                uv_close((uv_handle_t *)&d->send_timer, on_closed);
                uv_close((uv_handle_t *)&d->sigstop, on_closed);
                uv_close((uv_handle_t *)&d->sigint, on_closed);
                uv_close((uv_handle_t *)&d->sighup, on_closed);
#ifdef _WIN32
                if (d->service)
                        uv_close((uv_handle_t *)&d->wake, on_closed);
#endif
        }
}

static void reload(struct daemon *d)
{
        log_info("msg=\"reloading the policy\"");
        tell_manager(d, "RELOADING=1");
        d->reload_pending = d->checking; /* else now */
        if (!d->checking)
                reload_policy(d, "policy not reloaded");
        tell_manager(d, "READY=1");
}

static void on_signal(uv_signal_t *s, int signum)
{
        struct daemon *d = s->data;

#ifndef _WIN32
        if (signum == SIGHUP) {
                reload(d);
                return;
        }
#endif
        log_info("msg=\"stopping\" signal=%d", signum);
        daemon_stop(d, 0);
}

#ifdef _WIN32
/* Stop, shutdown, preshutdown or paramchange from the service manager. */
static void on_wake(uv_async_t *a)
{
        struct daemon *d = a->data;
        unsigned asked = agent_service_requests();

        if (asked & AGENT_SERVICE_STOP) {
                log_info("msg=\"stopping\" by=\"service control manager\"");
                daemon_stop(d, 0);
        } else if (asked & AGENT_SERVICE_ENROLLED) {
                log_info("msg=\"enrolled again: starting afresh\"");
                d->restart = true;
                daemon_stop(d, 0);
        } else if (asked & AGENT_SERVICE_RELOAD) {
                reload(d);
        }
}

static int daemon_main(void *arg);

/* The service's thread: the daemon, again from scratch when it was enrolled
 * anew while it ran. */
static int service_main(void *arg)
{
        const struct daemon *options = arg;
        struct daemon *d;
        bool again;
        int rc;

        do {
                d = calloc(1, sizeof(*d));
                if (!d)
                        return 1;
                d->policy_file = options->policy_file;
                d->root_path = options->root_path;
                d->config_file = options->config_file;
                d->state_dir = options->state_dir;
                d->service = true;
                rc = daemon_main(d);
                again = d->restart && rc == 0;
                free(d);
        } while (again);
        return rc;
}
#endif

static void run_usage(FILE *out)
{
        fputs(_("Usage: hygie-agent run [--config FILE] [--state DIR] [--root DIR]\n"
                "                       [--policy FILE] [--once] [--verbose]\n"
                "\n"
                "Runs the checks on their schedule and reports to the collector this agent\n"
                "was enrolled with. --once: one run of every check, deliver what is spooled,\n"
                "exit 0 when everything was delivered, 1 when a report is still waiting or\n"
                "was refused by the collector (set aside in spool/refused).\n"),
              out);
#ifdef _WIN32
        fputs(_("--service: run as the Windows service (its command line, not for a console).\n"),
              out);
#endif
}

/* seq only grows, across restarts too: the collector orders by it.
 * status.json kept it before the seq file did; it also keeps the policy's
 * ETag and the last refusal. */
static int restore_status(struct daemon *d, struct error *e)
{
        char path[PATH_MAX];
        json_t *st =
            json_load_file(state_path(d->st.dir, "status.json", path, sizeof(path)), 0, NULL);
        long long saved = json_integer_value(json_object_get(st, "seq"));
        const char *etag = json_string_value(json_object_get(st, "policy_etag"));
        unsigned long long kept;

        if (state_seq_load(d->st.dir, &kept, e) < 0) {
                json_decref(st);
                return -EINVAL;
        }
        d->seq = saved > (long long)spool_last_seq(d->spool) ? saved
                                                             : (long long)spool_last_seq(d->spool);
        if ((long long)kept > d->seq)
                d->seq = (long long)kept;
        if (etag && util_exists(state_path(d->st.dir, "policy.ini", path, sizeof(path))))
                snprintf(d->policy_etag, sizeof(d->policy_etag), "%s", etag);
        if (json_is_object(json_object_get(st, "last_refusal")))
                d->last_refusal = json_incref(json_object_get(st, "last_refusal"));
        json_decref(st);
        return 0;
}

/* The key must be readable before anything is sent: a clear word now
 * rather than a TLS error at each delivery. */
static int check_key(const struct daemon *d)
{
        char path[PATH_MAX];
        struct dirops *dir;
        void *key = NULL;
        size_t len = 0;
        int rc = dirops_open(d->st.dir, false, &dir);

        if (rc == 0) {
                rc = dirops_read(dir, "agent.key", 64 << 10, &key, &len);
                dirops_close(dir);
        }
        if (key)
                OPENSSL_cleanse(key, len);
        free(key);
        state_path(d->st.dir, "agent.key", path, sizeof(path));
        if (rc == -EACCES || rc == -EPERM)
                log_fail(_("hygie-agent: %s is the service's alone: start the service, or run "
                           "this as its account (SYSTEM on Windows)"),
                         path);
        else if (rc < 0)
                log_fail(_("hygie-agent: %s: %s; enroll again"), path, strerror(-rc));
        return rc;
}

/* Everything but the command line: on the main thread, or on the service's. */
static int daemon_main(void *arg)
{
        struct daemon *d = arg;
        char path[PATH_MAX];
        struct error e;
        int c, rc = 1;

        if (config_load(&d->cfg,
                        d->config_file ? d->config_file
                                       : paths_conf("agent.ini", path, sizeof(path)),
                        d->config_file != NULL) < 0)
                return 1;
        if (d->state_dir)
                snprintf(d->cfg.state, sizeof(d->cfg.state), "%s", d->state_dir);
        c = state_load(d->cfg.state, &d->st, &e);
#ifdef _WIN32
        /* Installed without the enrollment's properties: the service runs
         * and waits for "hygie-agent enroll", which wakes it. */
        while (c == -ENOENT && d->service) {
                log_warn("msg=\"not enrolled yet: waiting for hygie-agent enroll\" state=%s",
                         d->cfg.state);
                if (!agent_service_wait_enrollment())
                        return 0;
                c = state_load(d->cfg.state, &d->st, &e);
        }
#endif
        if (c < 0) {
                log_fail("hygie-agent: %s: %s", e.file, e.msg);
                return 1;
        }
        if (agent_open_root(d->root_path, &d->root) < 0)
                return 1;
        agent_machine_digest(d->root, d->machine, sizeof(d->machine));
        if (d->st.machine[0] && strcmp(d->machine, d->st.machine) != 0) {
                log_fail(_("hygie-agent: %s was made on another machine (a cloned disk?); this "
                           "machine must be enrolled on its own: hygie-agent enroll --force "
                           "--server %s --token T --ca-fingerprint sha256:..."),
                         d->st.dir, d->st.server);
                goto out_root;
        }
        if (check_key(d) < 0)
                goto out_root;
        agent_hostname(d->root, d->host, sizeof(d->host));
        d->policy = malloc(sizeof(*d->policy));
        if (!d->policy)
                goto out_root;
        policy_defaults(d->policy);
        if (agent_load_policy(d->policy, d->policy_file,
                              state_path(d->st.dir, "policy.ini", path, sizeof(path)), &e) < 0) {
                log_fail("hygie-agent: %s:%u: %s", e.file, e.line, e.msg);
                goto out_root;
        }
        if (lang_load(&d->fr, LANG_FR, &e) < 0)
                log_warn("msg=\"reports go without French texts\" error=\"%s\"", e.msg);
        /* The spool's lock is the state directory's: one run at a time. */
        c = spool_open(state_path(d->st.dir, "spool", path, sizeof(path)),
                       (uint64_t)d->cfg.spool_max_mb << 20, &d->spool, &e);
        if (c == -EBUSY) {
                log_fail(_("hygie-agent: another hygie-agent run (the service?) is using %s; "
                           "try again once it is done"),
                         d->st.dir);
                goto out_root;
        } else if (c < 0) {
                log_fail("hygie-agent: %s: %s", e.file, e.msg);
                goto out_root;
        }
        uv_mutex_init(&d->spool_lock);
        delta_load(&d->delta, d->st.dir, d->st.agent_id);
        if (restore_status(d, &e) < 0) {
                log_fail("hygie-agent: %s: %s", e.file, e.msg);
                goto out_spool;
        }

        d->loop = uv_default_loop();
        if (transport_init(&d->t, d->loop, &d->st) < 0)
                goto out_spool;
        uv_timer_init(d->loop, &d->check_timer);
        uv_timer_init(d->loop, &d->send_timer);
        d->check_timer.data = d->send_timer.data = d;
        uv_signal_init(d->loop, &d->sigstop);
        uv_signal_init(d->loop, &d->sigint);
        uv_signal_init(d->loop, &d->sighup);
        d->sigstop.data = d->sigint.data = d->sighup.data = d;
        uv_signal_start(&d->sigstop, on_signal, SIG_STOP);
        uv_signal_start(&d->sigint, on_signal, SIGINT);
        uv_signal_start(&d->sighup, on_signal, SIGHUP);
#ifdef _WIN32
        if (d->service) {
                uv_async_init(d->loop, &d->wake, on_wake);
                d->wake.data = d;
        }
#endif
        log_info("msg=\"started\" agent=%s server=%s", d->st.agent_id, d->st.server);
        tell_manager(d, "READY=1");
        if (d->once) {
                start_cycle(d, FAM_ALL);
        } else {
                /* Everything runs now, then on its own schedule. */
                for (int i = 0; i < FAM_COUNT; i++)
                        d->next_due[i] = uv_now(d->loop);
                schedule_checks(d);
                deliver(d);
        }
        uv_run(d->loop, UV_RUN_DEFAULT);
        rc = d->exit_code;
        if (d->once && rc != 0) {
                size_t n;
                uint64_t bytes;
                const char *why = json_string_value(json_object_get(d->last_refusal, "error"));
                char refused[PATH_MAX];

                spool_stats(d->spool, &n, &bytes);
                if (d->refused)
                        fprintf(stderr,
                                _("hygie-agent: %u report(s) refused, set aside in %s; the last: "
                                  "%s\n"),
                                d->refused,
                                state_path(path, SPOOL_REFUSED_DIR, refused, sizeof(refused)),
                                why ? why : "?");
                if (!d->refused || n > 0)
                        fprintf(stderr,
                                _("hygie-agent: not delivered (%s); %zu report(s) kept in %s\n"),
                                d->last_error, n, path);
        }
        uv_loop_close(d->loop);
out_spool:
        json_decref(d->last_refusal);
        delta_free(&d->delta);
        spool_close(d->spool);
        uv_mutex_destroy(&d->spool_lock);
out_root:
        msgcat_free(&d->fr);
        free(d->policy);
        agent_close_root(d->root);
        return rc;
}

int agent_run(int argc, char **argv)
{
        static const struct option opts[] = {
                { "config", required_argument, NULL, 'c' },
                { "state", required_argument, NULL, 'S' },
                { "root", required_argument, NULL, 'r' },
                { "policy", required_argument, NULL, 'p' },
                { "once", no_argument, NULL, '1' },
                { "verbose", no_argument, NULL, 'v' },
#ifdef _WIN32
                { "service", no_argument, NULL, 'W' },
#endif
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        struct daemon *d = calloc(1, sizeof(*d));
        bool service = false;
        int c, rc = 2;

        if (!d)
                return 1;
        optind = 1;
        while ((c = getopt_long(argc, argv, "c:S:r:p:1vh", opts, NULL)) != -1) {
                switch (c) {
                case 'c':
                        d->config_file = optarg;
                        break;
                case 'S':
                        d->state_dir = optarg;
                        break;
                case 'r':
                        d->root_path = optarg;
                        break;
                case 'p':
                        d->policy_file = optarg;
                        break;
                case '1':
                        d->once = true;
                        break;
                case 'v':
                        log_set_level(LOG_LEVEL_DEBUG);
                        break;
                case 'W':
                        service = true;
                        break;
                case 'h':
                        run_usage(stdout);
                        free(d);
                        return 0;
                default:
                        run_usage(stderr);
                        free(d);
                        return 2;
                }
        }
        if (optind != argc || (service && d->once)) {
                run_usage(stderr);
                free(d);
                return 2;
        }
        if (!getenv("HYGIE_LOG_QUIET"))
                log_set_level(LOG_LEVEL_INFO);
#ifdef _WIN32
        /* The lines go to the Event Log, under the source the installer
         * registered; a console run keeps them on stderr alone. */
        if (service && log_eventlog(AGENT_EVENT_SOURCE) < 0)
                fprintf(stderr, "hygie-agent: the Event Log source %s cannot be opened\n",
                        AGENT_EVENT_SOURCE);
        d->service = service;
#endif
#ifdef _WIN32
        if (service)
                rc = agent_service_dispatch(service_main, d);
        else
#endif
                rc = daemon_main(d);
        free(d);
        return rc;
}
