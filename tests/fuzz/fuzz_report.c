/* fuzz_report.c - an agent's report is untrusted JSON: the validator must
 * accept or refuse it, and what it accepts must hold what it promises and
 * load back with jansson, as the machine page reads it: the whole, each
 * block cut from it and its envelope. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "checks.h"
#include "gzip.h"
#include "intake.h"

/* Block b of in, as the store cuts it from text, loads back. */
static void block_loads(const struct intake *in, const char *text, size_t size,
                        const struct store_block *b)
{
        char *buf = malloc(size + b->nparts + 3);
        size_t at = 0;
        json_t *v;

        if (!buf)
                return;
        if (b->list)
                buf[at++] = '[';
        for (size_t i = 0; i < b->nparts; i++) {
                const size_t *p = in->parts[b->first + i];

                if (p[0] > p[1] || p[1] > size)
                        __builtin_trap();
                if (i)
                        buf[at++] = ',';
                memcpy(buf + at, text + p[0], p[1] - p[0]);
                at += p[1] - p[0];
        }
        if (b->list)
                buf[at++] = ']';
        if (!(v = json_loadb(buf, at, JSON_DECODE_ANY, NULL)) ||
            strlen(b->digest) != DIGEST_HEX - 1)
                __builtin_trap();
        json_decref(v);
        free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct intake in;
        struct error e;

        if (intake_parse(&in, (const char *)data, size, &e) == 0) {
                json_t *back = json_loadb((const char *)data, size, 0, NULL);

                if (!back)
                        __builtin_trap();
                json_decref(back);
                if (!intake_uuid_ok(in.report_id) || !intake_uuid_ok(in.agent_id) || in.seq < 0 ||
                    in.nfindings > INTAKE_FINDINGS_MAX || strlen(in.hostname) > 255 ||
                    in.collected_at < REPORT_TIME_MIN)
                        __builtin_trap();
                for (size_t i = 0; i < in.nfindings; i++)
                        if (in.findings[i].status < 0 || in.findings[i].status >= STATUS_COUNT ||
                            in.findings[i].severity < 0 || in.findings[i].severity >= SEV_COUNT ||
                            strlen(in.findings[i].subject) > 255)
                                __builtin_trap();
                for (size_t i = 0; i < in.nblocks; i++)
                        block_loads(&in, (const char *)data, size, &in.blocks[i]);
                char *env = NULL;
                size_t len;
                json_t *o;

                if (gzip_decompress(in.envelope, in.envelope_len, size + 16, &env, &len) < 0 ||
                    !(o = json_loadb(env, len, 0, NULL)) ||
                    json_object_size(json_object_get(o, "facts")) ||
                    json_array_size(json_object_get(o, "findings")))
                        __builtin_trap();
                json_decref(o);
                free(env);
        }
        intake_free(&in);
        return 0;
}
