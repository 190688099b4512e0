/* sweep.c - the collector's periodic sweep, in one transaction. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "store.h"
#include "policy.h"
#include "sweep.h"
#include "throttle.h"
#include "views.h"

_Static_assert(EQUIP_REPLACE == 1 && EQUIP_RAM == 2 && EQUIP_SSD == 4,
               "the flags the rollup's SQL counts");

struct sweep_tx {
        struct sweep *sw;
        const struct store_rules *rules;
        time_t now;
        bool snapshot;
};

struct day_scores {
        struct store *s;
        char day[24];
        struct error *e;
};

static int keep_score(void *user, const char *finess, int score, long machines)
{
        struct day_scores *d = user;
        char sc[16], n[24];
        const char *p[] = { d->day, finess, sc, n };

        snprintf(sc, sizeof(sc), "%d", score);
        snprintf(n, sizeof(n), "%ld", machines);
        return store_rows(d->s,
                          "INSERT INTO establishment_days (finess, day, score, machines)"
                          " VALUES ($2, CAST($1 AS BIGINT), CAST($3 AS BIGINT),"
                          " CAST($4 AS BIGINT)) ON CONFLICT (finess, day)"
                          " DO UPDATE SET score = excluded.score, machines = excluded.machines",
                          4, p, NULL, NULL, d->e);
}

int sweep_snapshot(struct store *s, const struct store_rules *r, time_t now, struct error *e)
{
        struct day_scores d = { s, "", e };
        const char *p[] = { d.day };
        int rc;

        snprintf(d.day, sizeof(d.day), "%lld", (long long)store_day(now));
        rc = store_rows(s,
                        "INSERT INTO machine_days (agent_id, day, score, equipment, os_supported)"
                        " SELECT id, CAST($1 AS BIGINT), score, equipment, os_supported FROM agents"
                        " WHERE revoked_at IS NULL AND score IS NOT NULL"
                        " ON CONFLICT (agent_id, day) DO UPDATE SET score = excluded.score,"
                        " equipment = excluded.equipment, os_supported = excluded.os_supported",
                        1, p, NULL, NULL, e);
        if (rc >= 0)
                rc = view_scores(s, r, now, keep_score, &d, e);
        /* What funders read, kept for good: machines to replace (EQUIP_REPLACE),
         * to upgrade (another flag), on an OS past its support. */
        if (rc >= 0)
                rc = store_rows(s,
                                "UPDATE establishment_days SET"
                                " to_replace = (SELECT count(*) FROM agents a"
                                "  WHERE a.finess = establishment_days.finess"
                                "  AND a.revoked_at IS NULL AND (a.equipment & 1) <> 0),"
                                " to_upgrade = (SELECT count(*) FROM agents a"
                                "  WHERE a.finess = establishment_days.finess"
                                "  AND a.revoked_at IS NULL AND a.equipment IN (2, 4, 6)),"
                                " os_unsupported = (SELECT count(*) FROM agents a"
                                "  WHERE a.finess = establishment_days.finess"
                                "  AND a.revoked_at IS NULL AND a.os_supported = 0)"
                                " WHERE day = CAST($1 AS BIGINT)",
                                1, p, NULL, NULL, e);
        return rc;
}

static int sweep_in_tx(struct store *s, void *user, struct error *e)
{
        struct sweep_tx *t = user;
        int rc = store_sweep_silent(s, t->now, e), rc2;

        if (rc < 0 || (rc2 = throttle_prune(s, t->now, e)) < 0 ||
            (rc2 = store_plan_checks(s, t->rules, t->now, e)) < 0)
                return rc < 0 ? rc : rc2;
        t->sw->opened = rc;
        if (t->snapshot && (rc = sweep_snapshot(s, t->rules, t->now, e)) < 0)
                return rc;
        return store_duty_done(s, "sweep", t->sw->node, t->now, time(NULL), e);
}

void sweep_name(struct sweep *sw, const char *listen)
{
        char host[64] = "";

        gethostname(host, sizeof(host) - 1);
        snprintf(sw->node, sizeof(sw->node), "%s/%s", host, listen ? listen : "");
        for (char *c = sw->node; *c; c++)
                if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-/[]",
                            *c))
                        *c = '_';
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
