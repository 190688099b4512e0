/* tls.c - OpenSSL sessions over memory BIOs for the collector's loop. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "tls.h"

/* The handshake never fails on the client certificate: the verdict is kept
 * and the route answers it (tls_conn_peer). */
static int accept_any(int ok, X509_STORE_CTX *ctx)
{
        (void)ok;
        (void)ctx;
        ERR_clear_error(); /* a refused signature leaves its trace there */
        return 1;
}

static int load_failed(struct error *e, const char *dir, const char *file)
{
        char path[PATH_MAX];
        unsigned long err = ERR_peek_last_error();

        snprintf(path, sizeof(path), "%s/%s", dir, file);
        error_set(e, path, 0, "cannot load: %s", err ? ERR_reason_error_string(err) : "unreadable");
        ERR_clear_error();
        return -EINVAL;
}

int tls_context_new(const char *data_dir, SSL_CTX **out, struct error *e)
{
        static const unsigned char sid_ctx[] = "hygie-server";
        char path[PATH_MAX];
        STACK_OF(X509_NAME) * names;
        SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

        if (!ctx) {
                error_set(e, "", 0, "cannot create a TLS context");
                return -ENOMEM;
        }
        SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
        SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
        SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
        /* TLS 1.2 offers AEAD suites only (TLS 1.3 has no others); the key is
         * ECDSA, so those are the suites that can be agreed. */
        if (SSL_CTX_set1_groups_list(ctx, "X25519:P-256") != 1 ||
            SSL_CTX_set_cipher_list(ctx, "ECDHE-ECDSA-AES128-GCM-SHA256:"
                                         "ECDHE-ECDSA-AES256-GCM-SHA384:"
                                         "ECDHE-ECDSA-CHACHA20-POLY1305") != 1)
                goto fail_ctx;
        snprintf(path, sizeof(path), "%s/server.crt", data_dir);
        if (SSL_CTX_use_certificate_chain_file(ctx, path) != 1) {
                load_failed(e, data_dir, "server.crt");
                goto fail;
        }
        snprintf(path, sizeof(path), "%s/server.key", data_dir);
        if (SSL_CTX_use_PrivateKey_file(ctx, path, SSL_FILETYPE_PEM) != 1 ||
            SSL_CTX_check_private_key(ctx) != 1) {
                load_failed(e, data_dir, "server.key");
                goto fail;
        }
        snprintf(path, sizeof(path), "%s/ca.crt", data_dir);
        if (SSL_CTX_load_verify_locations(ctx, path, NULL) != 1) {
                load_failed(e, data_dir, "ca.crt");
                goto fail;
        }
        names = SSL_load_client_CA_file(path);
        if (!names) {
                load_failed(e, data_dir, "ca.crt");
                goto fail;
        }
        SSL_CTX_set_client_CA_list(ctx, names);
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, accept_any);
        SSL_CTX_set_verify_depth(ctx, 2);
        /* Resumed sessions keep the client's certificate verdict. */
        SSL_CTX_set_session_id_context(ctx, sid_ctx, sizeof(sid_ctx) - 1);
        SSL_CTX_set_num_tickets(ctx, 0);
        *out = ctx;
        return 0;
fail_ctx:
        error_set(e, "", 0, "cannot set up TLS");
fail:
        SSL_CTX_free(ctx);
        return -EINVAL;
}

int tls_conn_init(struct tls_conn *t, SSL_CTX *ctx)
{
        t->ssl = SSL_new(ctx);
        t->in = BIO_new(BIO_s_mem());
        t->out = BIO_new(BIO_s_mem());
        if (!t->ssl || !t->in || !t->out) {
                SSL_free(t->ssl);
                BIO_free(t->in);
                BIO_free(t->out);
                t->ssl = NULL;
                return -ENOMEM;
        }
        BIO_set_mem_eof_return(t->in, -1);
        SSL_set_bio(t->ssl, t->in, t->out);
        SSL_set_accept_state(t->ssl);
        return 0;
}

void tls_conn_free(struct tls_conn *t)
{
        SSL_free(t->ssl); /* frees both BIOs */
        t->ssl = NULL;
}

int tls_conn_feed(struct tls_conn *t, const void *data, size_t len)
{
        while (len > 0) {
                int chunk = len > INT_MAX ? INT_MAX : (int)len;
                int n = BIO_write(t->in, data, chunk);

                if (n <= 0)
                        return -ENOMEM;
                data = (const char *)data + n;
                len -= (size_t)n;
        }
        return 0;
}

static const char *last_error(void)
{
        unsigned long err = ERR_get_error();
        const char *why = err ? ERR_reason_error_string(err) : NULL;

        ERR_clear_error();
        return why ? why : "TLS protocol error";
}

int tls_conn_read(struct tls_conn *t, char *buf, size_t size, const char **why)
{
        int chunk = size > INT_MAX ? INT_MAX : (int)size;
        int n;

        /* SSL_get_error reads the thread's queue: start it empty. */
        ERR_clear_error();
        n = SSL_read(t->ssl, buf, chunk);
        if (n > 0)
                return n;
        switch (SSL_get_error(t->ssl, n)) {
        case SSL_ERROR_WANT_READ:
        case SSL_ERROR_WANT_WRITE:
                return 0;
        case SSL_ERROR_ZERO_RETURN:
                return -EPIPE;
        default:
                *why = last_error();
                return -EPROTO;
        }
}

int tls_conn_write(struct tls_conn *t, const void *data, size_t len)
{
        while (len > 0) {
                int chunk = len > INT_MAX ? INT_MAX : (int)len;
                int n;

                ERR_clear_error();
                n = SSL_write(t->ssl, data, chunk);

                if (n <= 0) {
                        ERR_clear_error();
                        return -EPROTO;
                }
                data = (const char *)data + n;
                len -= (size_t)n;
        }
        return 0;
}

size_t tls_conn_pending(const struct tls_conn *t)
{
        return BIO_ctrl_pending(t->out);
}

size_t tls_conn_take(struct tls_conn *t, char *buf, size_t size)
{
        int chunk = size > INT_MAX ? INT_MAX : (int)size;
        int n = BIO_read(t->out, buf, chunk);

        return n > 0 ? (size_t)n : 0;
}

void tls_conn_compact(struct tls_conn *t)
{
        BIO *in, *out;

        if (BIO_ctrl_pending(t->in) || BIO_ctrl_pending(t->out) || SSL_pending(t->ssl))
                return;
        in = BIO_new(BIO_s_mem());
        out = BIO_new(BIO_s_mem());
        if (!in || !out) {
                BIO_free(in);
                BIO_free(out);
                return;
        }
        BIO_set_mem_eof_return(in, -1);
        SSL_set_bio(t->ssl, in, out); /* frees the old pair */
        t->in = in;
        t->out = out;
}

void tls_conn_shutdown(struct tls_conn *t)
{
        if (SSL_is_init_finished(t->ssl))
                SSL_shutdown(t->ssl);
        ERR_clear_error();
}

bool tls_conn_ready(const struct tls_conn *t)
{
        return SSL_is_init_finished(t->ssl);
}

int tls_conn_peer(const struct tls_conn *t, char *buf, size_t size, const char **why)
{
        X509 *cert = SSL_get0_peer_certificate(t->ssl);
        X509_NAME *subject;
        long verdict;
        int n;

        if (!cert)
                return -ENOKEY;
        verdict = SSL_get_verify_result(t->ssl);
        if (verdict != X509_V_OK) {
                *why = X509_verify_cert_error_string(verdict);
                return -EKEYREJECTED;
        }
        subject = X509_get_subject_name(cert);
        n = X509_NAME_get_text_by_NID(subject, NID_commonName, buf, (int)size);
        if (n <= 0 || (size_t)n >= size) {
                *why = "certificate without an agent id";
                return -EKEYREJECTED;
        }
        return 0;
}
