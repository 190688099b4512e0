/* password.h - dashboard passwords, hashed with yescrypt (libcrypt).
 *
 * Hashing and checking are slow on purpose (tens of milliseconds): run them
 * off the event loop. */
#ifndef HYGIE_PASSWORD_H
#define HYGIE_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define PASSWORD_MIN 12  /* characters at least */
#define PASSWORD_MAX 256 /* bytes at most */

/* The crypt(3) string of password into out. 0, or -errno with e filled. */
int password_hash(const char *password, char *out, size_t size, struct error *e);
/* Whether password matches hash. With hash NULL (an unknown login) it
 * spends the same time and says no, so timing does not tell logins apart. */
bool password_check(const char *password, const char *hash);
/* -EINVAL with e filled when password is too short or too long. */
int password_acceptable(const char *password, struct error *e);

#endif
