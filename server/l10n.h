/* l10n.h - the collector's answers in the reader's language.
 *
 * An agent's findings carry their English texts and, beside them, the same
 * texts in French ("texts": {"fr": ...}); an alert keeps both summaries.
 * The collector's own alerts (a silent machine, a cloned disk, the plan's
 * checks) are written in English in the store and put in the reader's
 * language when shown. Texts with no translation (an older agent's) stay
 * as they are, or are looked up whole in the catalogue. cat is the reader's
 * catalogue, NULL for English. */
#ifndef HYGIE_L10N_H
#define HYGIE_L10N_H

#include <jansson.h>
#include <stddef.h>

#include "lang.h"

#define N_(s) s

/* The texts the collector writes into its own alerts' summaries: the
 * formats they are written with, which l10n_summary reads back. */
extern const char *const l10n_collector_texts[];

/* The summary of an alert of check, in cat's language: summary_fr (what the
 * agent sent, may be NULL or "") when there is one, else the collector's
 * own text rewritten, else summary looked up whole, else summary as it is.
 * The result is summary, summary_fr, a catalogue string or buf. */
const char *l10n_summary(const struct msgcat *cat, const char *check, const char *summary,
                         const char *summary_fr, char *buf, size_t size);
/* Each object of the array alerts, in cat's language: "summary" from
 * "summary", "summary_fr" and "check", "remediation" from "remediation"
 * and "remediation_fr" (the _fr keys go). */
void l10n_alerts(json_t *alerts, const struct msgcat *cat);
/* Each finding of the array findings, in cat's language: "summary" and
 * "remediation" from the finding's "texts" (which goes). */
void l10n_findings(json_t *findings, const struct msgcat *cat);

#endif
