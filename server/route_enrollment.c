/* route_enrollment.c - the CA certificate agents pin, and enrollment: a
 * token and a CSR in, a certificate the CA signed out. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ca.h"
#include "util.h"
#include "log.h"
#include "route.h"

void route_ca(struct server *s, struct conn *c, struct http_request *r, const struct route *rt)
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
                api_reply_json(en->c, 201,
                               json_pack("{s:s, s:s, s:s, s:s}", "agent_id", en->agent.id, "finess",
                                         en->agent.finess, "certificate", en->cert,
                                         "ca_certificate", s->ca_pem),
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

void route_enroll(struct server *s, struct conn *c, struct http_request *r, const struct route *rt)
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
