/* prune.c - retention: raw reports and replaced blocks older than the
 * retention go, in small transactions that never hold intake back for
 * long. What stays: every block still in force (the latest facts of each
 * family and findings of each check of each machine), the daily rollups,
 * and each machine's newest report kept whole (from before blocks): all the
 * collector may know of a machine that has not reported since. The rows
 * kept are so few that a batch finds its 500 at once, however old the
 * store. */
#include <errno.h>

#include "driver.h"
#include "rows.h"

#define PRUNE_BATCH 500 /* rows a transaction deletes */
#define PRUNE_MAX   50  /* transactions a call runs, at most */

// clang-format off
static const char *const prune_sql[] = {
        "DELETE FROM reports WHERE (agent_id, report_id) IN"
        " (SELECT agent_id, report_id FROM reports r WHERE received_at < $1"
        "  AND (encoding = 'blocks' OR seq < (SELECT max(seq) FROM reports w"
        "   WHERE w.agent_id = r.agent_id AND w.encoding <> 'blocks'))"
        "  ORDER BY received_at LIMIT 500)",
        "DELETE FROM blocks WHERE (agent_id, name, seq) IN"
        " (SELECT agent_id, name, seq FROM blocks WHERE replaced_at < $1"
        "  ORDER BY replaced_at LIMIT 500)",
};
// clang-format on
_Static_assert(PRUNE_BATCH == 500, "the statements' LIMIT");

struct batch {
        const char *sql;
        long long before, deleted;
};

static int batch_tx(struct store *s, void *user, struct error *e)
{
        struct batch *b = user;
        const struct sql_arg a[] = { sql_int(b->before) };

        return s->drv->run(s, b->sql, 1, a, NULL, NULL, &b->deleted, e);
}

int store_prune(struct store *s, time_t now, long long retention, long long pruned[2],
                struct error *e)
{
        int rc = 0, txs = 0;

        pruned[0] = pruned[1] = 0;
        if (retention <= 0)
                return 0;
        for (int i = 0; i < 2 && rc == 0; i++) {
                struct batch b = { prune_sql[i], (long long)now - retention, PRUNE_BATCH };

                while (rc == 0 && b.deleted == PRUNE_BATCH && txs++ < PRUNE_MAX) {
                        b.deleted = 0;
                        if ((rc = store_tx(s, batch_tx, &b, e)) == 0)
                                pruned[i] += b.deleted;
                }
        }
        if (rc == 0 && (pruned[0] || pruned[1]) && s->drv->compact)
                rc = s->drv->compact(s, e);
        return rc < 0 ? rc : 0;
}
