/* lang.h - the languages Hygie writes for a reader who is not the process's
 * own user: the collector's readers, the French texts of a report. English
 * is the sources' own text; the other languages' catalogues (po/LANG.po)
 * are built into the binary, so no file has to be found at run time. */
#ifndef HYGIE_LANG_H
#define HYGIE_LANG_H

#include <stddef.h>

#include "error.h"
#include "msgcat.h"

enum lang { LANG_EN, LANG_FR, LANG_COUNT };

struct lang_blob {
        const char *code;
        const unsigned char *data;
        size_t size;
};
extern const struct lang_blob lang_blobs[]; /* generated: catalogs.c */

/* "en", "fr". */
const char *lang_code(enum lang l);
/* The enum lang of a code ("fr", "fr-FR", "FR" too), or -1. */
int lang_from_code(const char *code);
/* The reader's language from an Accept-Language header (may be NULL):
 * the supported one with the highest weight, else dflt. */
enum lang lang_from_accept(const char *header, enum lang dflt);
/* Loads l's built-in catalogue into c (msgcat_free frees it). 0, -ENOENT
 * for English (it has none), or a negative errno with e filled. */
int lang_load(struct msgcat *c, enum lang l, struct error *e);
/* msgid in the catalogue's language; msgid itself when cat is NULL (English)
 * or holds no translation. */
const char *lang_tr(const struct msgcat *cat, const char *msgid) __attribute__((format_arg(2)));
/* The same for the form of singular/plural that suits n. */
const char *lang_trn(const struct msgcat *cat, const char *singular, const char *plural,
                     unsigned long n) __attribute__((format_arg(2), format_arg(3)));

#endif
