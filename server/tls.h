/* tls.h - TLS for the collector's connections, over memory buffers.
 *
 * The loop owns the sockets; OpenSSL only sees bytes: ciphertext fed in,
 * plaintext read out, and ciphertext to send taken back. Client certificates
 * are asked for but not required, so a missing or foreign one is answered in
 * plain words by the route rather than by a bare TLS alert. */
#ifndef HYGIE_TLS_H
#define HYGIE_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <openssl/ssl.h>

#include "error.h"

/* Loads server.crt, server.key and ca.crt (the CA client certificates must
 * chain to) from the data directory. 0, or a negative errno with e filled. */
int tls_context_new(const char *data_dir, SSL_CTX **out, struct error *e);

struct tls_conn {
        SSL *ssl;
        BIO *in, *out; /* owned by ssl */
};

int tls_conn_init(struct tls_conn *t, SSL_CTX *ctx);
void tls_conn_free(struct tls_conn *t);
/* Takes len bytes received from the peer. 0 or -ENOMEM. */
int tls_conn_feed(struct tls_conn *t, const void *data, size_t len);
/* Plaintext into buf: the byte count, 0 when more input is needed, -EPIPE
 * when the peer closed the session, -EPROTO on a TLS error (*why says it). */
int tls_conn_read(struct tls_conn *t, char *buf, size_t size, const char **why);
/* Encrypts len bytes for the peer. 0 or -EPROTO. */
int tls_conn_write(struct tls_conn *t, const void *data, size_t len);
/* Ciphertext waiting to be sent, and taking it (returns the bytes copied). */
size_t tls_conn_pending(const struct tls_conn *t);
size_t tls_conn_take(struct tls_conn *t, char *buf, size_t size);
/* Gives back the memory buffers' space while the connection is idle (a
 * memory BIO keeps the size of the largest burst it held). */
void tls_conn_compact(struct tls_conn *t);
/* Sends close_notify (then take the pending bytes). */
void tls_conn_shutdown(struct tls_conn *t);
bool tls_conn_ready(const struct tls_conn *t);

/* Who the peer is: the CN of a client certificate issued by the CA.
 * 0 with the id in buf; -ENOKEY: no certificate; -EKEYREJECTED: one the CA
 * did not issue, or expired (*why says which). */
int tls_conn_peer(const struct tls_conn *t, char *buf, size_t size, const char **why);

#endif
