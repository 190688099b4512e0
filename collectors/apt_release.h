/* apt_release.h - the fields of an archive's Release or InRelease file that
 * decide a list's default priority and whether it carries security fixes. */
#ifndef HYGIE_APT_RELEASE_H
#define HYGIE_APT_RELEASE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

struct apt_release {
        char origin[128], label[128], suite[128], codename[128], version[64];
        bool not_automatic, but_automatic_upgrades;
};

/* Parses the first stanza of a Release file, or of an InRelease file's
 * signed text (text[len], no NUL needed). 0, or -EINVAL with e set (file
 * names it). */
int apt_release_parse(const char *text, size_t len, const char *file, struct apt_release *r,
                      struct error *e);
/* Whether the archive is a security one, from its fields: Label
 * "Debian-Security", or a Suite or Codename ending in "-security". */
bool apt_release_is_security(const struct apt_release *r);

#endif
