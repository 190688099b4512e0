/* state.c - the agent's state directory: durable files, identity. Files
 * are read through dirops.h, following no link, on Linux and Windows; the
 * machine's identity is a digest of identifiers the platform reads. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "dirops.h"
#include "state.h"

/* Larger than any state.json enrollment writes. */
#define STATE_JSON_MAX (64u << 10)

const char *state_path(const char *dir, const char *name, char *buf, size_t size)
{
        snprintf(buf, size, "%s" DIROPS_SEP "%s", dir, name);
        return buf;
}

/* dir/name whole into *data (the caller frees it). */
static int read_in(const char *dir, const char *name, size_t max, void **data, size_t *len)
{
        struct dirops *d;
        int rc;

        *data = NULL;
        *len = 0;
        if ((rc = dirops_open(dir, false, &d)) < 0)
                return rc;
        rc = dirops_read(d, name, max, data, len);
        dirops_close(d);
        return rc;
}

static int copy_string(json_t *o, const char *key, char *buf, size_t size, bool required)
{
        const char *v = json_string_value(json_object_get(o, key));

        if (!v)
                return required ? -EINVAL : 0;
        if (strlen(v) >= size)
                return -EINVAL;
        memcpy(buf, v, strlen(v) + 1);
        return 0;
}

int state_load(const char *dir, struct agent_state *st, struct error *e)
{
        char path[PATH_MAX];
        json_error_t je;
        void *text;
        size_t len;
        json_t *o;
        int rc;

        memset(st, 0, sizeof(*st));
        snprintf(st->dir, sizeof(st->dir), "%s", dir);
        state_path(dir, "state.json", path, sizeof(path));
        rc = read_in(dir, "state.json", STATE_JSON_MAX, &text, &len);
        if (rc == -ENOENT) {
                error_set(e, path, 0,
                          "not enrolled: run hygie-agent enroll --server URL --token T "
                          "--ca-fingerprint sha256:...");
                return -ENOENT;
        }
        if (rc < 0 && rc != -EFBIG) {
                error_set(e, path, 0, "cannot read: %s", strerror(-rc));
                return rc;
        }
        o = rc < 0 ? NULL : json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
        free(text);
        if (!o) {
                if (rc == -EFBIG)
                        error_set(e, path, 0, "damaged: over %u bytes; enroll again",
                                  STATE_JSON_MAX);
                else
                        error_set(e, path, (unsigned)je.line, "damaged: %s; enroll again", je.text);
                return -EINVAL;
        }
        rc = copy_string(o, "server", st->server, sizeof(st->server), true);
        if (rc == 0)
                rc = copy_string(o, "agent_id", st->agent_id, sizeof(st->agent_id), true);
        if (rc == 0)
                rc = copy_string(o, "finess", st->finess, sizeof(st->finess), false);
        if (rc == 0)
                rc = copy_string(o, "machine", st->machine, sizeof(st->machine), false);
        st->enrolled_at = json_integer_value(json_object_get(o, "enrolled_at"));
        json_decref(o);
        if (rc < 0)
                error_set(e, path, 0, "damaged: a field is missing or too long; enroll again");
        return rc;
}

int state_save(const struct agent_state *st, struct error *e)
{
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I}", "server", st->server, "agent_id",
                              st->agent_id, "finess", st->finess, "machine", st->machine,
                              "enrolled_at", (json_int_t)st->enrolled_at);
        char *text = o ? json_dumps(o, JSON_INDENT(2)) : NULL;
        int rc;

        json_decref(o);
        if (!text)
                return -ENOMEM;
        rc = file_replace(st->dir, "state.json", text, strlen(text), 0600, e);
        free(text);
        return rc;
}

int state_seq_load(const char *dir, unsigned long long *seq, struct error *e)
{
        char path[PATH_MAX], *buf, *end = NULL;
        void *text;
        size_t len;
        int rc;

        *seq = 0;
        state_path(dir, "seq", path, sizeof(path));
        rc = read_in(dir, "seq", 31, &text, &len);
        if (rc == -ENOENT)
                return 0;
        if (rc < 0 && rc != -EFBIG) {
                error_set(e, path, 0, "cannot read: %s", strerror(-rc));
                return rc;
        }
        buf = text;
        errno = 0;
        if (rc == 0)
                *seq = strtoull(buf, &end, 10);
        if (rc < 0 || errno || end == buf || (*end && strcmp(end, "\n") != 0) || buf[0] == '-') {
                *seq = 0;
                free(text);
                error_set(e, path, 0,
                          "damaged: it should hold the number of the last report sent; write "
                          "there the highest seq the collector has from this agent");
                return -EINVAL;
        }
        free(text);
        return 0;
}

int state_seq_save(const char *dir, unsigned long long seq, struct error *e)
{
        char buf[32];
        int n = snprintf(buf, sizeof(buf), "%llu\n", seq);

        return file_replace(dir, "seq", buf, (size_t)n, 0600, e);
}

int state_machine_digest(const char *id, const char *uuid, char *out, size_t size)
{
        static const char key[] = "hygie machine identity";
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int mdlen = 0;
        char msg[300];

        out[0] = '\0';
        if (!id[0] && !uuid[0])
                return 0;
        snprintf(msg, sizeof(msg), "%s\n%s", id, uuid);
        if (!HMAC(EVP_sha256(), key, sizeof(key) - 1, (const unsigned char *)msg, strlen(msg), md,
                  &mdlen) ||
            size < 2 * (size_t)mdlen + 1)
                return -EINVAL;
        for (unsigned i = 0; i < mdlen; i++)
                snprintf(out + 2 * i, 3, "%02x", md[i]);
        return 0;
}
