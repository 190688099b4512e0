/* pwcache.h - what the dictionary audit already tried, between runs.
 *
 * The daemon keeps, per password hash, how many candidates were tried and
 * whether one matched, so an unchanged account costs nothing on the next
 * run and a long list is worked through over several runs. An entry is
 * named by HMAC-SHA256 under a key kept in the agent's state, over the hash
 * and the list's digest: the file never holds a hash, and names nothing
 * without the key. A changed password or list starts afresh. */
#ifndef HYGIE_PWCACHE_H
#define HYGIE_PWCACHE_H

#include <stdbool.h>

#define PWCACHE_MAX 10000

struct pwcache;

/* Reads dir/pwaudit.cache with the key dir/pwaudit.key (made, 0600, when
 * missing). 0 or -errno; a damaged cache is started afresh. */
int pwcache_open(const char *dir, const unsigned char list_digest[32], struct pwcache **out);
/* What was tried for hash: 0 and false when unknown. */
void pwcache_get(const struct pwcache *c, const char *hash, unsigned long *tried, bool *common);
/* Records hash for this run. */
void pwcache_put(struct pwcache *c, const char *hash, unsigned long tried, bool common);
/* Writes the entries recorded this run (the others are of old passwords). */
int pwcache_save(struct pwcache *c);
void pwcache_free(struct pwcache *c);

#endif
