/* report.h - a run of the checks as a hygie.report/1 document, or as text. */
#ifndef HYGIE_REPORT_H
#define HYGIE_REPORT_H

#include <jansson.h>
#include <stdio.h>
#include <time.h>

#include "checks.h"
#include "policy.h"

struct report_meta {
        const char *agent_id; /* NULL before enrollment */
        const char *hostname;
        const char *machine; /* digest of the machine's identifiers, NULL in check */
        long interval;       /* seconds between reports, 0 in check */
        long long seq;
        time_t collected_at;
};

/* A new hygie.report/1 document (NULL when out of memory); facts are
 * referenced, not copied. A family whose facts are over REPORT_FAMILY_MAX as
 * JSON goes as {"too_large": true, "bytes": N, "limit": L}, and each check
 * that reads it as one "error" finding saying so; a finding over
 * REPORT_FINDING_MAX has such a note for evidence. fr, when given, is
 * the same run with French texts: each finding whose texts differ carries
 * them as "texts": {"fr": {"summary", "remediation"}}, for the collector's
 * French readers. */
json_t *report_build(const struct report_meta *m, const struct policy *p, json_t *facts,
                     const struct findings *f, const struct findings *fr);
/* The findings grouped by family for a person; colour when asked. */
void report_render(FILE *out, const struct report_meta *m, const struct findings *f, unsigned mask,
                   bool colour);

#endif
