/* apt_prefs.h - apt_preferences(5) pins, and how they match packages,
 * versions and the archives a version comes from. */
#ifndef HYGIE_APT_PREFS_H
#define HYGIE_APT_PREFS_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "apt_release.h"
#include "error.h"

enum apt_pin_type { APT_PIN_VERSION, APT_PIN_RELEASE, APT_PIN_ORIGIN };

/* One package pattern of a pin: exact name, glob, or /regex/; "" for a
 * general pin ("Package: *"), optional ":arch" kept apart. */
struct apt_pin_pkg {
        char *name;
        char *arch; /* NULL: the native architecture */
        bool regex, glob;
        regex_t re;
};

struct apt_pin {
        enum apt_pin_type type;
        char *data; /* what follows "release", "version" or "origin" */
        int priority;
        struct apt_pin_pkg *pkgs;
        size_t npkgs;
        bool general; /* Package: * */
};

struct apt_prefs {
        struct apt_pin *v;
        size_t n, cap;
};

/* What a pin is matched against: one list a version was found in. */
struct apt_origin {
        const struct apt_release *rel; /* NULL when the list has no Release file */
        const char *component, *arch, *site;
};

/* Appends the pins of one preferences file (text[len]). 0, or -EINVAL with e
 * set at the first bad stanza (the pins before it are kept); -ENOMEM. */
int apt_prefs_parse(struct apt_prefs *p, const char *text, size_t len, const char *file,
                    struct error *e);
void apt_prefs_free(struct apt_prefs *p);

/* apt's "expression" match: /regex/ or a glob (case-insensitive). */
bool apt_expr_match(const char *pattern, const char *s);
/* Whether a pin's package patterns cover package name of arch (native:
 * whether arch is the native architecture or "all"). */
bool apt_pin_covers(const struct apt_pin *pin, const char *name, const char *arch, bool native);
/* Whether a release/origin pin (or the data of APT::Default-Release, as a
 * release pin) matches a list. */
bool apt_pin_matches_origin(enum apt_pin_type type, const char *data, const struct apt_origin *o);
/* Whether a version pin matches the version string. */
bool apt_pin_matches_version(const char *data, const char *version);

#endif
