/* duties.h - the work a collector does on its own rather than for a
 * request: the periodic sweep (sweep.c) and the notifications (notifier.c),
 * on a thread with its own store connection.
 *
 * Collectors that share one PostgreSQL do it once between them: the one
 * whose connection holds the lead (a session advisory lock) does it, and
 * when it goes, its lock goes with its connection and another takes the
 * lead within DUTIES_POLL_MS. The sweep runs inside the lead's session, so
 * two never run at once. On SQLite the one collector always leads. */
#ifndef HYGIE_DUTIES_H
#define HYGIE_DUTIES_H

#include <stdbool.h>
#include <uv.h>

#include "config.h"
#include "notifier.h"
#include "sweep.h"

#define DUTIES_POLL_MS 2000 /* how often a collector not leading tries to */

struct duties {
        char *database, *data_dir;
        unsigned sweep_interval_ms;
        long long report_retention;   /* seconds; 0: reports are kept for good */
        unsigned long long pruned[2]; /* reports and blocks retention deleted */
        struct notifier notifier;
        struct sweep sweep;
        uv_thread_t thread;
        uv_mutex_t lock;
        uv_cond_t cond;
        unsigned long long sweeps; /* run by this collector */
        bool stopping, started, leading;
};

/* Checks the [notify] settings and starts the thread. 0, or -errno with e
 * filled. */
int duties_start(struct duties *d, const struct server_config *cfg, struct error *e);
/* Stops it at once (a send in progress is cut by its timeout). */
void duties_stop(struct duties *d);
/* Whether this collector leads the duties now, and how many sweeps it ran. */
bool duties_leading(struct duties *d, unsigned long long *sweeps);
/* The reports and the blocks this collector's retention deleted. */
void duties_pruned(struct duties *d, unsigned long long pruned[2]);

#endif
