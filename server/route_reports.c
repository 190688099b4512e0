/* route_reports.c - the enrolled agents' routes: reports in (unpacked and
 * checked on a pool thread, stored by the writer's group commit) and their
 * establishment's policy out. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gzip.h"
#include "intake.h"
#include "log.h"
#include "route.h"

/* Reports. */

struct report_job {
        struct db_job job;
        uv_work_t work; /* unpacking and checking, off the loop */
        struct conn *c;
        struct server *s;
        struct intake in;
        struct store_report report;
        char *body; /* as received */
        size_t len;
        bool *resend; /* the store's answer, per block said unchanged */
        bool gz;
        int rc; /* of the check */
        struct error e;
};

static void report_free(struct report_job *rj)
{
        intake_free(&rj->in);
        free(rj->resend);
        free(rj->body);
        free(rj);
}

/* 503 with a JSON body, and a Retry-After of base seconds plus up to
 * spread more, so that agents do not all come back together. */
static void reply_later(struct conn *c, const char *body, unsigned base, unsigned spread)
{
        char retry[48];

        snprintf(retry, sizeof(retry), "Retry-After: %u\r\n",
                 base + (unsigned)(uv_hrtime() % spread));
        api_reply_text(c, 503, "application/json", body, retry);
}

/* The database's disk filled up, or has room again: said once each way. */
static void storage_full(struct server *s, bool full, const struct error *e)
{
        char why[512];

        if (s->m.storage_full == full)
                return;
        s->m.storage_full = full;
        if (full)
                log_error(
                    "msg=\"the database's disk is full: reports are refused (503), agents keep "
                    "them\" error=\"%s\"",
                    error_str(e, why, sizeof(why)));
        else
                log_warn("msg=\"the database's disk has room again: reports are stored\"");
}

static void report_done(struct db_job *j)
{
        struct report_job *rj = (struct report_job *)j;
        struct conn *c = rj->c;
        struct server *s = rj->s;
        int result = rj->report.result;

        if (j->rc >= 0)
                storage_full(s, false, NULL);
        if (j->rc == -ENOSPC) {
                storage_full(s, true, &j->e);
                s->m.refused_full++;
                /* Agents keep it in their spools: a few minutes. */
                reply_later(c,
                            "{\"error\":{\"code\":\"storage_full\",\"message\":\"the "
                            "collector's disk is full; keep the report and send it again "
                            "later\"}}",
                            300, 120);
        } else if (j->rc < 0) {
                conn_reply_error(c, 503, "unavailable", "the report could not be stored; retry");
        } else if (result == 0 || result == STORE_SUPERSEDED) {
                /* Stored either way; the answer says whether it is the newest,
                 * that blocks sent before may go as their digest, and which of
                 * those the collector does not hold. */
                json_t *answer =
                    json_pack("{s:s, s:s, s:I, s:b}", "report_id", rj->in.report_id, "status",
                              result == 0 ? "stored" : "superseded", "newest_seq",
                              (json_int_t)rj->report.newest_seq, "blocks", 1);
                json_t *resend = json_array();

                for (size_t i = 0; rj->resend && i < rj->in.nunchanged; i++)
                        if (rj->resend[i])
                                json_array_append_new(resend,
                                                      json_string(rj->in.unchanged[i].name));
                if (json_array_size(resend) > 0) {
                        s->m.blocks_resend += json_array_size(resend);
                        json_object_set(answer, "resend", resend);
                }
                json_decref(resend);
                s->m.reports_stored++;
                api_reply_json(c, 201, answer, NULL);
        } else if (result == STORE_DUPLICATE) {
                s->m.reports_duplicate++;
                api_reply_json(
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
                .facts = rj->in.facts.os || rj->in.facts.hardware ? &rj->in.facts : NULL,
                .blocks = rj->in.blocks,
                .nblocks = rj->in.nblocks,
                .parts = (const size_t(*)[2])rj->in.parts,
                .envelope = rj->in.envelope,
                .envelope_len = rj->in.envelope_len,
                .unchanged = rj->in.unchanged,
                .nunchanged = rj->in.nunchanged,
        };
        if (rj->in.nunchanged > 0 &&
            !(rj->resend = rj->report.resend = calloc(rj->in.nunchanged, sizeof(bool)))) {
                conn_reply_error(c, 503, "unavailable", "out of memory");
                report_free(rj);
                return;
        }
        rj->job.report = &rj->report;
        rj->job.done = report_done;
        db_submit(&s->db, &rj->job);
}

static bool is_json(const char *type)
{
        return type && strncasecmp(type, "application/json", 16) == 0 &&
               (type[16] == '\0' || type[16] == ';');
}

void route_reports(struct server *s, struct conn *c, struct http_request *r, const struct route *rt)
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
                s->m.busy++;
                reply_later(c,
                            "{\"error\":{\"code\":\"busy\",\"message\":\"the collector is busy; "
                            "retry later\"}}",
                            10, 50);
                return;
        }
        if (!(rj = calloc(1, sizeof(*rj)))) {
                conn_reply_error(c, 503, "unavailable", "out of memory");
                return;
        }
        s->m.report_bytes += r->body_len;
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

void route_policy(struct server *s, struct conn *c, struct http_request *r, const struct route *rt)
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
