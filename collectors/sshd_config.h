/* sshd_config.h - sshd_config(5) lines, and the settings that decide whether
 * root can log in over SSH with a password.
 *
 * sshd keeps the first value it reads for each keyword. Match blocks apply
 * only to some connections; their values are kept apart so a rule can assume
 * the worst. Include is the caller's job (it reads files). */
#ifndef HYGIE_SSHD_CONFIG_H
#define HYGIE_SSHD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define SSHD_ARGS_MAX  32
#define SSHD_ARG_MAX   512
#define SSHD_LINES_MAX 65536
#define SSHD_MATCH_MAX 64

typedef int sshd_line_fn(void *user, const char *keyword, char *const *args, unsigned nargs,
                         unsigned line);

/* Calls fn for each "Keyword args..." line (keyword as written; arguments
 * unquoted). 0, fn's negative errno, or -EINVAL with e set. */
int sshd_config_parse(const char *text, const char *file, sshd_line_fn *fn, void *user,
                      struct error *e);

struct sshd_value {
        char value[32]; /* lower case; "" when not set */
        char file[256];
        unsigned line;
};

enum sshd_key {
        SSHD_PERMIT_ROOT_LOGIN,
        SSHD_PASSWORD_AUTH,
        SSHD_KBD_INTERACTIVE,
        SSHD_USE_PAM,
        SSHD_KEY_COUNT
};

struct sshd_match {
        char criteria[128];
        char file[256];
        unsigned line;
        struct sshd_value v[SSHD_KEY_COUNT];
};

struct sshd_settings {
        struct sshd_value v[SSHD_KEY_COUNT]; /* outside any Match block */
        struct sshd_match match[SSHD_MATCH_MAX];
        size_t nmatch;
        size_t dropped_matches; /* beyond SSHD_MATCH_MAX */
        int cur;                /* index of the Match block being read, -1 for none */
};

void sshd_settings_init(struct sshd_settings *s);
/* Records one line (not Include). Keywords are case-insensitive;
 * ChallengeResponseAuthentication is KbdInteractiveAuthentication's old name. */
void sshd_settings_apply(struct sshd_settings *s, const char *file, unsigned line,
                         const char *keyword, char *const *args, unsigned nargs);
/* The keyword's name in sshd_config(5) and its default in OpenSSH. */
const char *sshd_key_name(enum sshd_key k);
const char *sshd_key_default(enum sshd_key k);

#endif
