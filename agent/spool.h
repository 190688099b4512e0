/* spool.h - the agent's reports on disk until the collector has them.
 *
 * A report is written to the spool before it is sent and removed only once
 * the collector acknowledged it: nothing is lost when the collector is down
 * for a week or the agent is killed at any moment. Reports are opaque byte
 * blobs (already compressed), one file each, named by sequence number and
 * check families so the name alone is the metadata. */
#ifndef HYGIE_SPOOL_H
#define HYGIE_SPOOL_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Check families a report covers: bits 0..5 of its mask. */
#define SPOOL_FAMILIES 0x3fu
/* Most entries the spool holds; past it, put evicts as for max_bytes. */
#define SPOOL_MAX_ENTRIES 100000
/* Largest single report put accepts and read reads. */
#define SPOOL_REPORT_MAX (64u << 20)
/* Where reports the collector refused for good are kept, in the spool
 * directory, and how many of the newest are kept. */
#define SPOOL_REFUSED_DIR "refused"
#define SPOOL_REFUSED_MAX 10

struct spool;

struct spool_entry {
        uint64_t seq;
        unsigned families;
        uint64_t bytes;
        char name[64]; /* file name in the spool directory */
};

/* Opens the spool directory dir, creating it (0700; its parent must exist)
 * when missing, and indexes its entries. The directory must belong to this
 * user and be writable by no other (-EPERM), and one process at a time holds
 * it (-EBUSY). Removes the temporary files of an interrupted put, and empty
 * entries (a crash on a file system that does not order writes can leave
 * them; they hold nothing to deliver). Leaves alone, and does not index,
 * anything else: unknown names, and entry names that are not regular files
 * (a link is never followed). More than SPOOL_MAX_ENTRIES entries: -E2BIG.
 * max_bytes is the budget put keeps to (see spool_put); it must be > 0.
 * *out is freed by spool_close. 0 or a negative errno; e names dir. */
int spool_open(const char *dir, uint64_t max_bytes, struct spool **out, struct error *e);

/* Durably adds report seq (> 0, not already spooled: -EEXIST) covering the
 * families in the mask (bits 0..5): the data (1 to SPOOL_REPORT_MAX bytes,
 * else -EINVAL or -EFBIG; the caller keeps it) goes to a temporary file,
 * synced, renamed to its entry name, and the directory synced. Only then are
 * the oldest entries evicted while the spool holds over max_bytes or
 * SPOOL_MAX_ENTRIES, except the entry just written and the newest entry of
 * each family: the newest state of every family is always kept, so the spool
 * may hold more than max_bytes (a report alone over it is kept too, and every
 * other evictable entry goes). On failure (-ENOSPC, -EIO, -EDQUOT...) no
 * temporary or partial file remains, existing entries are untouched, and e
 * names the directory and the cause. */
int spool_put(struct spool *s, uint64_t seq, unsigned families, const void *data, size_t len,
              struct error *e);

/* The oldest entry (lowest seq) into *ent; -ENOENT when the spool is empty. */
int spool_oldest(struct spool *s, struct spool_entry *ent);

/* Reads entry ent whole into *data (malloc'ed, the caller frees it) and *len.
 * -ENOENT when the file vanished (it leaves the index too); -EFBIG when it
 * is over SPOOL_REPORT_MAX; -EINVAL when it is no longer a regular file or
 * ent is not an entry name. e names the file. */
int spool_read(struct spool *s, const struct spool_entry *ent, void **data, size_t *len,
               struct error *e);

/* Removes a delivered entry durably (unlink, then sync the directory).
 * An entry already gone, or never indexed, is 0. e names the directory. */
int spool_remove(struct spool *s, const struct spool_entry *ent, struct error *e);

/* Moves entry ent, which the collector refused for good, out of the spool
 * into its SPOOL_REFUSED_DIR (made 0700 when missing), durably, for a person
 * to look at; only the SPOOL_REFUSED_MAX newest stay there. An entry already
 * gone, or never indexed, is 0. e names the directory. */
int spool_set_aside(struct spool *s, const struct spool_entry *ent, struct error *e);

/* Number of entries and their total size in bytes. */
void spool_stats(const struct spool *s, size_t *count, uint64_t *bytes);
/* Highest seq spooled, 0 when empty: a restarted agent numbers from here. */
uint64_t spool_last_seq(const struct spool *s);
/* Entries evicted by spool_put since spool_open, for the agent to report. */
uint64_t spool_evicted(const struct spool *s);

/* Closes the directory and frees s (NULL is fine). Entries stay on disk. */
void spool_close(struct spool *s);

#endif
