/* msgcat.h - message catalogues in GNU gettext's .mo format, read without
 * libintl: what the Windows agent uses where glibc's gettext is not there.
 *
 * The catalogue is read whole into memory and checked once; lookups are a
 * binary search over the sorted originals msgfmt writes. Plural forms: the
 * rule is taken from the header's Plural-Forms, "n > 1" (French) or
 * "n != 1" (English and the default); other rules fall back to the second. */
#ifndef HYGIE_MSGCAT_H
#define HYGIE_MSGCAT_H

#include <stddef.h>

#include "error.h"

struct msgcat {
        unsigned char *data; /* the file, owned */
        size_t size;
        unsigned count;
        size_t originals, translations; /* offsets of the two tables */
        int swap;                       /* the file's words are big-endian */
        int plural_gt1;                 /* plural=(n > 1) */
};

/* Takes over data (malloc'd, size bytes) and checks every entry's bounds and
 * terminating NUL. 0, or -EINVAL with e naming file and what is wrong (data
 * is freed then). */
int msgcat_load(struct msgcat *c, unsigned char *data, size_t size, const char *file,
                struct error *e);
/* The translation of msgid, or NULL when the catalogue has none. */
const char *msgcat_get(const struct msgcat *c, const char *msgid);
/* The translation of singular/plural for n; NULL when none. */
const char *msgcat_nget(const struct msgcat *c, const char *singular, unsigned long n);
void msgcat_free(struct msgcat *c);

#endif
