/* pam.h - PAM configuration lines, "key value" files (login.defs,
 * pwquality.conf), and the minimum length each password module enforces.
 *
 * Parsers work on NUL-terminated texts, bound every length and count, and
 * name file and line in errors. Following includes is the caller's job. */
#ifndef HYGIE_PAM_H
#define HYGIE_PAM_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define PAM_ARGS_MAX   32
#define PAM_ARG_MAX    256
#define PAM_LINES_MAX  4096
#define KEYVAL_KEY_MAX 64
#define KEYVAL_VAL_MAX 256

/* One rule of a pam.d file: "type control module args...", or "@include file"
 * (type "@include", module the file). */
struct pam_line {
        char type[16]; /* "password", "auth"..., without a leading '-' */
        bool optional; /* "-type": silently skipped when the module is missing */
        char control[128];
        char module[PAM_ARG_MAX];
        char args[PAM_ARGS_MAX][PAM_ARG_MAX];
        unsigned nargs;
        unsigned line;
};

typedef int pam_line_fn(void *user, const struct pam_line *l);

/* Calls fn for each rule of a pam.d file. 0, fn's negative errno, or -EINVAL
 * with e set on a line PAM would refuse. */
int pam_parse(const char *text, const char *file, pam_line_fn *fn, void *user, struct error *e);

typedef int keyval_fn(void *user, const char *key, const char *value, unsigned line);

/* "KEY VALUE" lines (sep ' ', login.defs) or "key = value" lines (sep '=',
 * pwquality.conf); '#' starts a comment line. A pwquality line without '='
 * is a bare flag (value ""). 0, fn's negative errno or -EINVAL with e set. */
int keyval_parse(const char *text, const char *file, char sep, keyval_fn *fn, void *user,
                 struct error *e);

/* The quality settings pam_pwquality reads from pwquality.conf(5), then from
 * its own arguments. */
struct pwquality {
        long minlen;
        long credit[4];        /* dcredit, ucredit, lcredit, ocredit */
        char minlen_file[256]; /* where minlen was last set, "" for the default */
        unsigned minlen_line;
};

/* The defaults of pwquality.conf(5): minlen 8, no credits. */
void pwquality_defaults(struct pwquality *q);
/* Applies one "key=value" setting; unknown keys are ignored. -EINVAL on a
 * value that is not a number. */
int pwquality_set(struct pwquality *q, const char *key, const char *value, const char *file,
                  unsigned line);

/* The shortest password a module of the password stack accepts. */
struct pam_minlen {
        long length;        /* -1: this module sets no minimum */
        const char *source; /* "argument", "pwquality.conf", "default" */
        long minlen;        /* the configured minlen (or min= value) */
        long credits;       /* length credits a password can earn (pwquality, cracklib) */
};

/* For module (a path or name: pam_unix.so, pam_pwquality.so, pam_cracklib.so,
 * pam_passwdqc.so), its arguments, and the pwquality.conf settings (used only
 * for pam_pwquality), fills m. Defaults are those of each module's manual. */
void pam_module_minlen(const struct pam_line *l, const struct pwquality *conf,
                       struct pam_minlen *m);

/* The module's file name without directories: "pam_unix.so". */
const char *pam_module_name(const char *module);

#endif
