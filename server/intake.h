/* intake.h - checking a hygie.report/1 document sent by an agent.
 *
 * The body is untrusted: every field the collector uses is checked for type,
 * form and length before anything is stored, and the findings are pulled out
 * for the alert logic. */
#ifndef HYGIE_INTAKE_H
#define HYGIE_INTAKE_H

#include <stddef.h>

#include "error.h"
#include "report_limits.h"
#include "store.h"

#define INTAKE_BODY_MAX     REPORT_TEXT_MAX /* decompressed */
#define INTAKE_FINDINGS_MAX INTAKE_FINDINGS_LIMIT
#define UNCHANGED_MAX       (REPORT_FAMILIES_MAX + INTAKE_FINDINGS_MAX)

struct intake {
        char *strings; /* owned: the strings below point into it */
        char report_id[37], agent_id[37];
        char machine[65];
        const char *hostname;
        long long seq, collected_at, interval;
        struct store_finding *findings; /* owned */
        size_t nfindings;
        struct machine_facts facts;
        struct store_block *blocks; /* owned: each family's facts, each check's findings */
        size_t nblocks;
        size_t (*parts)[2]; /* owned: where the blocks' texts lie in the report */
        void *envelope;     /* owned: the report without facts and findings, gzip'd */
        size_t envelope_len;
        struct store_unchanged *unchanged; /* owned: blocks the agent sent before */
        size_t nunchanged;
};

/* Parses and checks a report of len bytes, and keeps only what the store
 * needs (a report's tree is tens of times its size; thousands may wait for
 * a transaction). 0, or -EINVAL with e saying what is wrong and where (a
 * JSON path, or the line and column of a syntax error). intake_free in any
 * case. */
int intake_parse(struct intake *in, const char *text, size_t len, struct error *e);
void intake_free(struct intake *in);

/* Whether s is a lower-case UUID (8-4-4-4-12 hex). */
bool intake_uuid_ok(const char *s);

#endif
