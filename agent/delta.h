/* delta.h - what a report leaves out because the collector holds it.
 *
 * A report is made of blocks: each family's facts, each check's findings
 * (digest.h). A block the agent already sent, unchanged since, goes as its
 * digest in the report's "unchanged" member: a family's facts are left
 * out, a check's findings go without their evidence (alerts and scores
 * read the rest every cycle). The collector answers "resend" with the
 * names of blocks it does not hold: they go whole in the next report.
 * Reports are cut this way only once the collector has said it takes them
 * ("blocks" in its answer): an older one keeps reports whole. The digests
 * sent are kept in the state directory (sent.json). */
#ifndef HYGIE_DELTA_H
#define HYGIE_DELTA_H

#include <jansson.h>
#include <stdbool.h>

#include "error.h"

struct delta {
        json_t *sent;        /* block name -> digest of what was sent whole */
        bool collector_cuts; /* the collector takes "unchanged" */
        char agent_id[37];
};

/* Reads dir/sent.json for agent_id; a missing, damaged or another agent's
 * file starts afresh (the next report goes whole). */
void delta_load(struct delta *d, const char *dir, const char *agent_id);
int delta_save(const struct delta *d, const char *dir, struct error *e);
void delta_free(struct delta *d);

/* Cuts report doc (built whole) down to what the collector lacks, when it
 * takes cut reports, and records every block's digest as sent. 0 or
 * -ENOMEM. */
int delta_cut(struct delta *d, json_t *doc);

/* The collector's answer to a report: whether it takes cut reports, and the
 * blocks it lacks (forgotten, so that they go whole). Returns the bit mask
 * of the families those blocks belong to (the checks to run again soon). */
unsigned delta_answer(struct delta *d, const json_t *answer);

#endif
