/* pwaudit.h - the local dictionary audit: does an account use one of the
 * most common passwords?
 *
 * Hashes the account name and then each word of the list, most frequent
 * first, with the account's own salt and scheme (crypt_r), within a CPU-time
 * budget shared fairly between accounts. Only the verdict leaves: never the
 * hash, never the password. */
#ifndef HYGIE_PWAUDIT_H
#define HYGIE_PWAUDIT_H

#include <stdbool.h>
#include <stddef.h>

#define WORDLIST_MAX      100000
#define WORDLIST_WORD_MAX 128

struct wordlist {
        char *text;         /* owned, words point into it */
        const char **words; /* owned */
        size_t n;
};

/* Takes over text (malloc'ed, NUL-terminated): one word per line, empty lines
 * and lines starting with "#" skipped, at most WORDLIST_MAX words of at most
 * WORDLIST_WORD_MAX bytes (longer lines skipped). 0 or -ENOMEM (text freed). */
int wordlist_parse(char *text, struct wordlist *wl);
void wordlist_free(struct wordlist *wl);

struct pwaudit_target {
        const char *name;    /* the account name, also tried as a password */
        const char *hash;    /* the caller's copy; the caller wipes it */
        unsigned long start; /* candidates tried in earlier runs (pwcache) */
        bool was_common;     /* one of them matched */
        unsigned long tried;
        bool common; /* a candidate matched */
        bool failed; /* crypt_r refused the hash (unsupported scheme), or costly */
        bool costly; /* its cost parameters are past pwaudit_cost_ok's bounds */
};

/* Caps on what one hash may cost: a crafted shadow line may ask for 2^31
 * bcrypt rounds or a billion SHA-crypt rounds, and crypt_r cannot be
 * stopped half-way. libxcrypt's defaults are far below (bcrypt 10-12, 5000
 * rounds, yescrypt 16 MiB). */
#define PWAUDIT_BCRYPT_COST_MAX 16
#define PWAUDIT_ROUNDS_MAX      10000000
#define PWAUDIT_MEMORY_MAX      (1ull << 30)

/* Whether a hash's cost parameters are within the caps above. */
bool pwaudit_cost_ok(const char *hash);

struct pwaudit_result {
        unsigned long candidates; /* per account: the name plus the list */
        long cpu_ms;
        bool exhausted; /* the budget ran out before the end of the list */
};

/* Audits n targets; candidates in the outer loop, accounts in the inner one,
 * so each account meets the most frequent passwords first; an account that
 * matched goes on being hashed, so no count nor time tells where its
 * password is in the list. The budget is checked before each hash, so it may
 * be overrun by one hash's cost.
 * 0 or -ENOMEM. */
int pwaudit_run(struct pwaudit_target *t, size_t n, const struct wordlist *wl, long budget_ms,
                struct pwaudit_result *r);

#endif
