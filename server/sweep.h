/* sweep.h - the collector's periodic sweep: agents gone silent, the plan's
 * establishment-level checks (exercise, awareness, restore tests), the
 * login throttle's old entries, and every SWEEP_SNAPSHOT_EVERY seconds
 * today's scores kept for the history. In a cluster one collector runs it
 * at a time (duties.c). */
#ifndef HYGIE_SWEEP_H
#define HYGIE_SWEEP_H

#include <time.h>

#include "store.h"

#define SWEEP_SNAPSHOT_EVERY 900

struct sweep {
        char node[128];       /* this collector, as the duties table names it */
        time_t last_snapshot; /* 0: none yet */
        int opened;           /* agent.silent alerts the last run opened */
};

/* Names this collector "host/listen" (letters, digits and . _ : - / [ ]). */
void sweep_name(struct sweep *sw, const char *listen);
/* Runs one sweep at now in one transaction, with the default policy's
 * rules, and records it in the duties table. 0, or -errno with e filled
 * (nothing is kept then). */
int sweep_run(struct sweep *sw, struct store *s, time_t now, struct error *e);

/* Keeps today's score of every machine and establishment, for the history. */
int sweep_snapshot(struct store *s, const struct store_rules *r, time_t now, struct error *e);

#endif
