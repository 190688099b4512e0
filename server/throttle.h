/* throttle.h - slowing down password guessing, per login and per address.
 *
 * Every login try is counted before its password is checked, in one
 * transaction of the store, so tries sent together cannot slip past the
 * count, and several collectors sharing a database count together. A key
 * (a login, known or not, or a client address) gets a few failures free,
 * then waits 1 s, 2 s, 4 s... up to THROTTLE_MAX_WAIT between tries (times
 * are whole seconds: a wait of 1 s lasts to the end of the next second). */
#ifndef HYGIE_THROTTLE_H
#define HYGIE_THROTTLE_H

#include <time.h>

#include "error.h"
#include "store.h"

#define THROTTLE_LOGIN_FREE 5     /* failures in a row of one login */
#define THROTTLE_ADDR_FREE  20    /* failures from one address, any login */
#define THROTTLE_MAX_WAIT   900   /* seconds */
#define THROTTLE_FORGET     86400 /* a key with no try for this long starts over */

/* Counts a try of login from addr at now, within a transaction of s. 0 when
 * it may go on, with *wait 0; or the seconds it must wait in *wait (its
 * address counts it all the same, unless the address itself must wait).
 * -errno with e on a store error. */
int throttle_try(struct store *s, const char *login, const char *addr, time_t now, long long *wait,
                 struct error *e);
/* The password was right: login starts over, and the try no longer counts
 * as a failure of its address. */
int throttle_clear(struct store *s, const char *login, const char *addr, struct error *e);
/* Forgets keys with no try since THROTTLE_FORGET before now. */
int throttle_prune(struct store *s, time_t now, struct error *e);

#endif
