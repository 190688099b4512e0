/* throttle.c - login tries counted in the store, written once for both
 * engines. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "throttle.h"

/* Seconds a key with n failures waits before its next try: 1, 2, 4... from
 * the free tries on (2^10 is past THROTTLE_MAX_WAIT). */
static long long wait_after(long long n, long long free_tries)
{
        long long k = n - free_tries;

        return k < 0 ? 0 : k >= 10 ? THROTTLE_MAX_WAIT : 1LL << k;
}

static int first_number(void *user, int ncols, const char *const *v)
{
        *(long long *)user = ncols > 0 && v[0] ? atoll(v[0]) : 0;
        return 1;
}

/* Counts a try of key; *wait as throttle_try. */
static int count(struct store *s, const char *key, long long free_tries, time_t now,
                 long long *wait, struct error *e)
{
        char t[24], until[24];
        const char *p[3] = { key, t, until };
        long long n = 0;
        int rc;

        snprintf(t, sizeof(t), "%lld", (long long)now);
        /* The row is locked by the update, so tries to the same key
         * serialize; a key not blocked counts one more. */
        rc = store_rows(s,
                        "UPDATE login_throttle SET failures = failures + 1,"
                        " last_try = CAST($2 AS BIGINT)"
                        " WHERE key = $1 AND blocked_until < CAST($2 AS BIGINT)"
                        " RETURNING failures",
                        2, p, first_number, &n, e);
        if (rc == 0)
                rc =
                    store_rows(s,
                               "INSERT INTO login_throttle (key, failures, blocked_until, last_try)"
                               " VALUES ($1, 1, 0, CAST($2 AS BIGINT))"
                               " ON CONFLICT (key) DO NOTHING RETURNING failures",
                               2, p, first_number, &n, e);
        if (rc < 0)
                return rc;
        if (rc == 0) {
                /* Blocked: how long for. */
                if ((rc = store_rows(s, "SELECT blocked_until FROM login_throttle WHERE key = $1",
                                     1, p, first_number, &n, e)) < 0)
                        return rc;
                *wait = n >= now ? n - now + 1 : 1;
                return 0;
        }
        *wait = 0;
        n = wait_after(n, free_tries);
        snprintf(until, sizeof(until), "%lld", n ? (long long)now + n : 0LL);
        p[1] = until;
        return store_rows(s,
                          "UPDATE login_throttle SET blocked_until = CAST($2 AS BIGINT)"
                          " WHERE key = $1",
                          2, p, NULL, NULL, e);
}

int throttle_try(struct store *s, const char *login, const char *addr, time_t now, long long *wait,
                 struct error *e)
{
        char key[160];
        int rc;

        /* The address first: a try at a login that must wait still counts
         * against the address it came from. */
        snprintf(key, sizeof(key), "address:%s", addr);
        if ((rc = count(s, key, THROTTLE_ADDR_FREE, now, wait, e)) < 0 || *wait)
                return rc;
        snprintf(key, sizeof(key), "login:%s", login);
        return count(s, key, THROTTLE_LOGIN_FREE, now, wait, e);
}

int throttle_clear(struct store *s, const char *login, const char *addr, struct error *e)
{
        char key[160], free_tries[16];
        const char *p[2] = { key, free_tries };
        int rc;

        snprintf(key, sizeof(key), "login:%s", login);
        if ((rc = store_rows(s, "DELETE FROM login_throttle WHERE key = $1", 1, p, NULL, NULL, e)) <
            0)
                return rc;
        /* The address counted this try as a failure until now. */
        snprintf(key, sizeof(key), "address:%s", addr);
        snprintf(free_tries, sizeof(free_tries), "%d", THROTTLE_ADDR_FREE);
        return store_rows(s,
                          "UPDATE login_throttle SET failures = failures - 1,"
                          " blocked_until = CASE WHEN failures - 1 < CAST($2 AS BIGINT) THEN 0"
                          " ELSE blocked_until END WHERE key = $1 AND failures > 0",
                          2, p, NULL, NULL, e);
}

int throttle_prune(struct store *s, time_t now, struct error *e)
{
        char t[24];
        const char *p[1] = { t };

        snprintf(t, sizeof(t), "%lld", (long long)now - THROTTLE_FORGET);
        return store_rows(s, "DELETE FROM login_throttle WHERE last_try < CAST($1 AS BIGINT)", 1, p,
                          NULL, NULL, e);
}
