/* digest.h - the name of a block of a report (a family's facts, a check's
 * findings): SHA-256 of its JSON text, the first 64 bits in lower-case hex.
 * The agent and the collector compute it alike, over the text as jansson
 * writes it compactly. It tells one version of a machine's block from the
 * next: 64 bits make a change that keeps it a chance in 2^64, and keep the
 * digests a report carries short. */
#ifndef HYGIE_DIGEST_H
#define HYGIE_DIGEST_H

#include <stddef.h>

#define DIGEST_HEX 17 /* 16 hex digits and the NUL */

struct digest {
        void *ctx;
};

/* 0, or -ENOMEM. Then digest_add any number of times, then digest_end,
 * which frees it whatever happened. */
int digest_begin(struct digest *d);
void digest_add(struct digest *d, const void *data, size_t len);
int digest_end(struct digest *d, char hex[DIGEST_HEX]);

#endif
