/* ca.c - making the CA and the server certificate with OpenSSL 3. */
#include <arpa/inet.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "ca.h"

#define CA_DAYS     (20 * 365)
#define SERVER_DAYS (2 * 365)

static int path_in(char *buf, size_t size, const char *dir, const char *name)
{
        return snprintf(buf, size, "%s/%s", dir, name) < (int)size ? 0 : -ENAMETOOLONG;
}

static int add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
        X509V3_CTX ctx;
        X509_EXTENSION *ext;
        int ok;

        X509V3_set_ctx_nodb(&ctx);
        X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
        ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
        if (!ext)
                return -EINVAL;
        ok = X509_add_ext(cert, ext, -1);
        X509_EXTENSION_free(ext);
        return ok ? 0 : -ENOMEM;
}

/* A new certificate for key, named cn, valid days, with a random serial. */
static X509 *cert_new(EVP_PKEY *key, const char *cn, long days)
{
        unsigned char serial[16];
        X509 *x = X509_new();
        BIGNUM *bn = NULL;
        bool ok;

        if (!x || RAND_bytes(serial, sizeof(serial)) != 1)
                goto fail;
        serial[0] &= 0x7f; /* positive */
        bn = BN_bin2bn(serial, sizeof(serial), NULL);
        ok = bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) && X509_set_version(x, 2) &&
             X509_gmtime_adj(X509_getm_notBefore(x), -3600) &&
             X509_gmtime_adj(X509_getm_notAfter(x), days * 86400) && X509_set_pubkey(x, key) &&
             X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_UTF8,
                                        (const unsigned char *)cn, -1, -1, 0);
        BN_free(bn);
        if (ok)
                return x;
fail:
        X509_free(x);
        return NULL;
}

/* Writes a key (0600) or a certificate (0644) as PEM, refusing to replace a file. */
static int write_pem(const char *dir, const char *name, EVP_PKEY *key, X509 *cert, struct error *e)
{
        char path[4096];
        FILE *f;
        int fd, ok;

        if (path_in(path, sizeof(path), dir, name) < 0) {
                error_set(e, dir, 0, "path too long");
                return -ENAMETOOLONG;
        }
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, key ? 0600 : 0644);
        if (fd < 0) {
                int err = errno;
                error_set(e, path, 0, "cannot create: %s", strerror(err));
                return -err;
        }
        f = fdopen(fd, "w");
        if (!f) {
                close(fd);
                return -ENOMEM;
        }
        ok =
            key ? PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) : PEM_write_X509(f, cert);
        if (fflush(f) != 0 || fsync(fileno(f)) != 0)
                ok = 0;
        if (fclose(f) != 0)
                ok = 0;
        if (!ok) {
                error_set(e, path, 0, "cannot write");
                return -EIO;
        }
        return 0;
}

/* "DNS:a,IP:127.0.0.1,..." for the names, localhost and 127.0.0.1 added. */
static int san_list(const char *const *names, size_t n, char *buf, size_t size, struct error *e)
{
        const char *all[CA_MAX_NAMES + 2];
        size_t count = 0, used = 0;

        if (n > CA_MAX_NAMES) {
                error_set(e, "", 0, "at most %d host names", CA_MAX_NAMES);
                return -E2BIG;
        }
        for (size_t i = 0; i < n; i++)
                all[count++] = names[i];
        all[count++] = "localhost";
        all[count++] = "127.0.0.1";
        buf[0] = '\0';
        for (size_t i = 0; i < count; i++) {
                unsigned char addr[16];
                bool ip =
                    inet_pton(AF_INET, all[i], addr) == 1 || inet_pton(AF_INET6, all[i], addr) == 1;
                bool dup = false;
                int w;

                if (!*all[i] || strpbrk(all[i], ", \t\r\n")) {
                        error_set(e, "", 0, "not a host name: \"%s\"", all[i]);
                        return -EINVAL;
                }
                for (size_t j = 0; j < i; j++)
                        dup = dup || strcmp(all[j], all[i]) == 0;
                if (dup)
                        continue;
                w = snprintf(buf + used, size - used, "%s%s:%s", used ? "," : "", ip ? "IP" : "DNS",
                             all[i]);
                if (w < 0 || (size_t)w >= size - used) {
                        error_set(e, "", 0, "host names too long");
                        return -E2BIG;
                }
                used += (size_t)w;
        }
        return 0;
}

int ca_init(const char *dir, const char *const *names, size_t n, struct error *e)
{
        EVP_PKEY *ca_key = NULL, *srv_key = NULL;
        X509 *ca = NULL, *srv = NULL;
        char san[4096], path[4096];
        int rc = -ENOMEM;

        rc = san_list(names, n, san, sizeof(san), e);
        if (rc < 0)
                return rc;
        if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
                rc = -errno;
                error_set(e, dir, 0, "cannot create the data directory: %s", strerror(-rc));
                return rc;
        }
        if (path_in(path, sizeof(path), dir, "ca.key") == 0 && access(path, F_OK) == 0) {
                error_set(e, path, 0, "a CA already exists here; it is never replaced");
                return -EEXIST;
        }
        rc = -ENOMEM;
        ca_key = EVP_EC_gen("P-256");
        srv_key = EVP_EC_gen("P-256");
        if (!ca_key || !srv_key)
                goto crypto;
        ca = cert_new(ca_key, "Hygie CA", CA_DAYS);
        if (!ca || !X509_set_issuer_name(ca, X509_get_subject_name(ca)) ||
            add_ext(ca, ca, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") < 0 ||
            add_ext(ca, ca, NID_key_usage, "critical,keyCertSign,cRLSign") < 0 ||
            add_ext(ca, ca, NID_subject_key_identifier, "hash") < 0 ||
            !X509_sign(ca, ca_key, EVP_sha256()))
                goto crypto;
        srv = cert_new(srv_key, names && n ? names[0] : "localhost", SERVER_DAYS);
        if (!srv || !X509_set_issuer_name(srv, X509_get_subject_name(ca)) ||
            add_ext(srv, ca, NID_basic_constraints, "critical,CA:FALSE") < 0 ||
            add_ext(srv, ca, NID_key_usage, "critical,digitalSignature") < 0 ||
            add_ext(srv, ca, NID_ext_key_usage, "serverAuth") < 0 ||
            add_ext(srv, ca, NID_subject_alt_name, san) < 0 ||
            add_ext(srv, ca, NID_authority_key_identifier, "keyid") < 0 ||
            !X509_sign(srv, ca_key, EVP_sha256()))
                goto crypto;
        /* The key last: its presence says the CA is complete. */
        if ((rc = write_pem(dir, "ca.crt", NULL, ca, e)) < 0 ||
            (rc = write_pem(dir, "server.key", srv_key, NULL, e)) < 0 ||
            (rc = write_pem(dir, "server.crt", NULL, srv, e)) < 0 ||
            (rc = write_pem(dir, "ca.key", ca_key, NULL, e)) < 0)
                goto out;
        rc = 0;
        goto out;
crypto:
        error_set(e, dir, 0, "cannot make the certificates (OpenSSL)");
        rc = -EIO;
out:
        X509_free(ca);
        X509_free(srv);
        EVP_PKEY_free(ca_key);
        EVP_PKEY_free(srv_key);
        return rc;
}

int ca_fingerprint(const char *dir, char *buf, size_t size, struct error *e)
{
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int len = 0;
        char path[4096];
        X509 *x = NULL;
        FILE *f;
        int rc = -EIO;

        if (size < 8 + 64 + 1 || path_in(path, sizeof(path), dir, "ca.crt") < 0)
                return -ENOSPC;
        f = fopen(path, "re");
        if (!f) {
                rc = -errno;
                error_set(e, path, 0, "cannot read: %s", strerror(-rc));
                return rc;
        }
        x = PEM_read_X509(f, NULL, NULL, NULL);
        fclose(f);
        if (!x || !X509_digest(x, EVP_sha256(), md, &len) || len != 32) {
                error_set(e, path, 0, "not a certificate");
                goto out;
        }
        memcpy(buf, "sha256:", 7);
        for (unsigned int i = 0; i < len; i++)
                snprintf(buf + 7 + 2 * i, 3, "%02x", md[i]);
        rc = 0;
out:
        X509_free(x);
        return rc;
}

struct ca {
        EVP_PKEY *key;
        X509 *cert;
};

void ca_free(struct ca *ca)
{
        if (!ca)
                return;
        EVP_PKEY_free(ca->key);
        X509_free(ca->cert);
        free(ca);
}

int ca_load(const char *dir, struct ca **out, struct error *e)
{
        struct ca *ca = calloc(1, sizeof(*ca));
        char path[4096];
        FILE *f;

        if (!ca)
                return -ENOMEM;
        if (path_in(path, sizeof(path), dir, "ca.crt") < 0 || !(f = fopen(path, "re")))
                goto fail;
        ca->cert = PEM_read_X509(f, NULL, NULL, NULL);
        fclose(f);
        if (!ca->cert || path_in(path, sizeof(path), dir, "ca.key") < 0 || !(f = fopen(path, "re")))
                goto fail;
        ca->key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
        fclose(f);
        if (!ca->key || X509_check_private_key(ca->cert, ca->key) != 1)
                goto fail;
        *out = ca;
        return 0;
fail:
        error_set(e, path, 0, "cannot load the CA: run \"hygie-server init\" first");
        ca_free(ca);
        return -ENOENT;
}

/* True when key is an EC key on P-256. */
static bool key_is_p256(EVP_PKEY *key)
{
        char group[32];
        size_t len = 0;

        return EVP_PKEY_is_a(key, "EC") &&
               EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof(group), &len) == 1 &&
               strcmp(group, "prime256v1") == 0;
}

int ca_sign_csr(struct ca *ca, const char *csr, size_t len, const char *agent_id, long days,
                char **cert_pem, struct error *e)
{
        BIO *in = NULL, *out = NULL;
        X509_REQ *req = NULL;
        EVP_PKEY *key = NULL;
        X509 *x = NULL;
        char *data;
        long n;
        int rc = -EINVAL;

        *cert_pem = NULL;
        if (len > 16384 || len > INT_MAX) {
                error_set(e, "", 0, "the certificate request is too large");
                return -EINVAL;
        }
        in = BIO_new_mem_buf(csr, (int)len);
        if (!in || !(req = PEM_read_bio_X509_REQ(in, NULL, NULL, NULL))) {
                error_set(e, "", 0, "not a PEM certificate request");
                goto out;
        }
        key = X509_REQ_get_pubkey(req);
        if (!key || !key_is_p256(key)) {
                error_set(e, "", 0, "the request's key is not ECDSA P-256");
                goto out;
        }
        if (X509_REQ_verify(req, key) != 1) {
                error_set(e, "", 0, "the request's signature does not hold");
                goto out;
        }
        rc = -EIO;
        x = cert_new(key, agent_id, days);
        if (!x || !X509_set_issuer_name(x, X509_get_subject_name(ca->cert)) ||
            add_ext(x, ca->cert, NID_basic_constraints, "critical,CA:FALSE") < 0 ||
            add_ext(x, ca->cert, NID_key_usage, "critical,digitalSignature") < 0 ||
            add_ext(x, ca->cert, NID_ext_key_usage, "clientAuth") < 0 ||
            add_ext(x, ca->cert, NID_authority_key_identifier, "keyid") < 0 ||
            !X509_sign(x, ca->key, EVP_sha256()) || !(out = BIO_new(BIO_s_mem())) ||
            !PEM_write_bio_X509(out, x)) {
                error_set(e, "", 0, "cannot sign the certificate (OpenSSL)");
                goto out;
        }
        n = BIO_get_mem_data(out, &data);
        *cert_pem = malloc((size_t)n + 1);
        if (!*cert_pem) {
                rc = -ENOMEM;
                goto out;
        }
        memcpy(*cert_pem, data, (size_t)n);
        (*cert_pem)[n] = '\0';
        rc = 0;
out:
        BIO_free(in);
        BIO_free(out);
        X509_REQ_free(req);
        EVP_PKEY_free(key);
        X509_free(x);
        return rc;
}
