/* ca.h - the collector's private certificate authority.
 *
 * hygie-server owns a CA (ECDSA P-256) that signs its own TLS certificate
 * and, at enrollment, each agent's client certificate. The files live in the
 * data directory: ca.crt, ca.key, server.crt, server.key (keys 0600). */
#ifndef HYGIE_CA_H
#define HYGIE_CA_H

#include <stddef.h>

#include "error.h"

#define CA_MAX_NAMES 16

/* Creates the CA and a server certificate for names (DNS names or IP
 * addresses; "localhost" and "127.0.0.1" are always added) in dir, which is
 * created 0700 if missing. Refuses (-EEXIST) when a CA is already there.
 * 0, or a negative errno with e filled. */
int ca_init(const char *dir, const char *const *names, size_t n, struct error *e);

/* "sha256:<hex>" of the CA certificate in dir, into buf (at least 72 bytes). */
int ca_fingerprint(const char *dir, char *buf, size_t size, struct error *e);

#endif
