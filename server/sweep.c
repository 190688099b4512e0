/* sweep.c - the collector's periodic sweep, in one transaction. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "log.h"
#include "policy.h"
#include "sweep.h"
#include "throttle.h"
#include "views.h"

struct sweep_tx {
        struct sweep *sw;
        const struct store_rules *rules;
        time_t now;
        bool snapshot;
};

static int sweep_in_tx(struct store *s, void *user, struct error *e)
{
        struct sweep_tx *t = user;
        int rc = store_sweep_silent(s, t->now, e), rc2;

        if (rc < 0 || (rc2 = throttle_prune(s, t->now, e)) < 0)
                return rc < 0 ? rc : rc2;
        t->sw->opened = rc;
        return view_sweep(s, t->rules, t->now, t->snapshot, e);
}

/* The default policy's rules ("" in the store), else the shipped defaults. */
static int default_rules(struct store *s, struct store_rules *r, struct error *e)
{
        struct policy *p = malloc(sizeof(*p));
        char *text = NULL;
        long revision;
        int rc;

        if (!p)
                return -ENOMEM;
        policy_defaults(p);
        rc = store_policy_get(s, "", &text, &revision, e);
        if (rc == 0 && policy_load_string(p, text, "policy", e) < 0) {
                log_warn("msg=\"stored policy refused, using the defaults\" finess=\"\""
                         " error=\"%s\"",
                         e->msg);
                policy_defaults(p);
        }
        if (rc == -ENOENT)
                rc = 0;
        free(text);
        store_rules_of(p, r);
        free(p);
        return rc;
}

int sweep_run(struct sweep *sw, struct store *s, time_t now, struct error *e)
{
        struct store_rules rules;
        struct sweep_tx t = { sw, &rules, now, false };
        int rc;

        if ((rc = default_rules(s, &rules, e)) < 0)
                return rc;
        t.snapshot = now / SWEEP_SNAPSHOT_EVERY != sw->last_snapshot / SWEEP_SNAPSHOT_EVERY;
        rc = store_tx(s, sweep_in_tx, &t, e);
        if (rc >= 0 && t.snapshot)
                sw->last_snapshot = now;
        return rc < 0 ? rc : 0;
}
