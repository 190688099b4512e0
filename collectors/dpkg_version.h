/* dpkg_version.h - Debian version strings ([epoch:]upstream[-revision]) and
 * their order, as the Debian policy manual (section 5.6.12) defines it. */
#ifndef HYGIE_DPKG_VERSION_H
#define HYGIE_DPKG_VERSION_H

#include <stdbool.h>
#include <stddef.h>

/* Compares the versions a and b (NUL-terminated): <0, 0 or >0 as dpkg
 * orders them. Malformed strings are compared as best it can, never read
 * past their end. */
int dpkg_version_cmp(const char *a, const char *b);
/* Same, on strings of the given lengths (no NUL needed). */
int dpkg_version_cmpn(const char *a, size_t alen, const char *b, size_t blen);
/* Whether v (length len) is a syntactically valid version. */
bool dpkg_version_valid(const char *v, size_t len);

#endif
