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

struct ca;

/* Loads the CA of dir for signing. 0, or a negative errno with e filled. */
int ca_load(const char *dir, struct ca **out, struct error *e);
void ca_free(struct ca *ca);

/* Signs a certificate signing request (PEM, untrusted, at most 16 KiB) for
 * an agent: the subject is CN=agent_id whatever the request asked, the key
 * must be ECDSA P-256 and the request's own signature must hold. *cert_pem
 * is a new NUL-terminated PEM the caller frees. 0, or -EINVAL with e saying
 * what is wrong with the request. */
int ca_sign_csr(struct ca *ca, const char *csr, size_t len, const char *agent_id, long days,
                char **cert_pem, struct error *e);

#endif
