/* records.h - what an establishment records for the plan: crisis exercises,
 * awareness actions and restore tests. */
#ifndef HYGIE_RECORDS_H
#define HYGIE_RECORDS_H

#include <jansson.h>
#include <time.h>

#include "store.h"

/* Records what establishment finess did (body: {"kind": "exercise" |
 * "awareness" | "restore_test", "date": "YYYY-MM-DD", ...}) as actor, and
 * brings the plan's checks up to date; *id the record's. A restore test
 * names one of the backup jobs the establishment's machines report.
 * -EINVAL with e saying what is wrong, in cat's language (NULL: English). */
struct msgcat;
int records_add(struct store *s, const struct store_rules *r, const struct msgcat *cat,
                const char *finess, const json_t *body, const char *actor, time_t now,
                long long *id, struct error *e);

#endif
