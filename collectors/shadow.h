/* shadow.h - parsers for passwd(5), shadow(5) and group(5) texts, bounded.
 *
 * Each parser walks a NUL-terminated text and calls back once per entry; a
 * malformed line stops it with an error naming file and line. Entries that
 * carry a password field are wiped after the call: callers copy what they keep
 * and wipe it themselves. */
#ifndef HYGIE_SHADOW_H
#define HYGIE_SHADOW_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define SHADOW_NAME_MAX  64 /* bytes, NUL included */
#define SHADOW_HASH_MAX  512
#define SHADOW_SHELL_MAX 256
#define SHADOW_LINES_MAX 65536

struct passwd_ent {
        char name[SHADOW_NAME_MAX];
        char password[SHADOW_HASH_MAX]; /* "x" when the hash is in shadow */
        long long uid, gid;
        char shell[SHADOW_SHELL_MAX]; /* "" means /bin/sh */
        unsigned line;
};

struct shadow_ent {
        char name[SHADOW_NAME_MAX];
        char hash[SHADOW_HASH_MAX];
        long long lastchg; /* days since 1970-01-01; -1 when empty */
        long long max;     /* days; -1 when empty */
        unsigned line;
};

struct group_ent {
        char name[SHADOW_NAME_MAX];
        long long gid;
        const char *members; /* comma-separated, points into the text, not NUL-terminated */
        size_t members_len;
        unsigned line;
};

/* Callbacks return 0 to go on, or a negative errno to stop the parse with it. */
typedef int passwd_fn(void *user, const struct passwd_ent *ent);
typedef int shadow_fn(void *user, const struct shadow_ent *ent);
typedef int group_fn(void *user, const struct group_ent *ent);

/* 0, the callback's negative errno, or -EINVAL with e set (file and line). */
int passwd_parse(const char *text, const char *file, passwd_fn *fn, void *user, struct error *e);
int shadow_parse(const char *text, const char *file, shadow_fn *fn, void *user, struct error *e);
int group_parse(const char *text, const char *file, group_fn *fn, void *user, struct error *e);

/* Whether name is in a group's member list. */
bool group_has_member(const struct group_ent *g, const char *name);

enum hash_state {
        HASH_SET,      /* a hash a password can match */
        HASH_EMPTY,    /* no password at all */
        HASH_LOCKED,   /* "!..." or "*...": locked by an administrator */
        HASH_DISABLED, /* no password can match ("x" in shadow, "NP"...) */
};

/* What a password field holds, and the scheme's name ("yescrypt", "md5",
 * "des", "unknown"; "none" when no hash). Locked fields name the scheme of the
 * hash behind the "!". Never copies nor returns any part of the hash. */
enum hash_state shadow_hash_state(const char *field, const char **scheme);

#endif
