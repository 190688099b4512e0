/* test_ca.c - signing agents' certificate requests with the collector's CA. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "ca.h"

struct fixture {
        char dir[64];
        struct ca *ca;
};

static int setup(void **state)
{
        struct fixture *f = calloc(1, sizeof(*f));
        char data[80];
        struct error e;

        snprintf(f->dir, sizeof(f->dir), "/tmp/hygie-ca-XXXXXX");
        if (!mkdtemp(f->dir))
                return -1;
        snprintf(data, sizeof(data), "%s/data", f->dir);
        if (ca_init(data, NULL, 0, &e) < 0 || ca_load(data, &f->ca, &e) < 0)
                return -1;
        *state = f;
        return 0;
}

static int teardown(void **state)
{
        struct fixture *f = *state;
        char cmd[128];

        ca_free(f->ca);
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
        free(f);
        return system(cmd) == 0 ? 0 : -1;
}

/* A PEM request for pub's key, signed by sign_with, asking for CN=cn. */
static char *csr_pem(EVP_PKEY *pub, EVP_PKEY *sign_with, const char *cn)
{
        X509_REQ *req = X509_REQ_new();
        BIO *b = BIO_new(BIO_s_mem());
        char *data, *out;
        long n;

        X509_NAME_add_entry_by_txt(X509_REQ_get_subject_name(req), "CN", MBSTRING_UTF8,
                                   (const unsigned char *)cn, -1, -1, 0);
        X509_REQ_set_pubkey(req, pub);
        X509_REQ_sign(req, sign_with, EVP_sha256());
        PEM_write_bio_X509_REQ(b, req);
        n = BIO_get_mem_data(b, &data);
        out = strndup(data, (size_t)n);
        BIO_free(b);
        X509_REQ_free(req);
        return out;
}

static void test_ca_signs_for_the_agent_id_not_the_asked_name(void **state)
{
        struct fixture *f = *state;
        EVP_PKEY *key = EVP_EC_gen("P-256");
        char *req = csr_pem(key, key, "root-of-everything"), *cert = NULL, cn[128];
        struct error e;
        BIO *b;
        X509 *x;

        assert_int_equal(ca_sign_csr(f->ca, req, strlen(req),
                                     "3f0c9a4e-1b2d-4c5e-8f90-a1b2c3d4e5f6", 365, &cert, &e),
                         0);
        b = BIO_new_mem_buf(cert, -1);
        x = PEM_read_bio_X509(b, NULL, NULL, NULL);
        assert_non_null(x);
        X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, cn, sizeof(cn));
        assert_string_equal(cn, "3f0c9a4e-1b2d-4c5e-8f90-a1b2c3d4e5f6");
        assert_true(X509_get_extended_key_usage(x) & XKU_SSL_CLIENT);
        assert_false(X509_get_extended_key_usage(x) & XKU_SSL_SERVER);
        assert_int_equal(X509_check_ca(x), 0);
        X509_free(x);
        BIO_free(b);
        free(cert);
        free(req);
        EVP_PKEY_free(key);
}

static void test_ca_refuses_bad_requests(void **state)
{
        struct fixture *f = *state;
        EVP_PKEY *key = EVP_EC_gen("P-256"), *other = EVP_EC_gen("P-256");
        EVP_PKEY *p384 = EVP_EC_gen("P-384"), *rsa = EVP_RSA_gen(2048);
        char *forged = csr_pem(key, other, "x"), *big = csr_pem(p384, p384, "x");
        char *r = csr_pem(rsa, rsa, "x"), *cert = NULL;
        struct error e;

        assert_int_equal(ca_sign_csr(f->ca, forged, strlen(forged), "a", 1, &cert, &e), -EINVAL);
        assert_string_equal(e.msg, "the request's signature does not hold");
        assert_int_equal(ca_sign_csr(f->ca, big, strlen(big), "a", 1, &cert, &e), -EINVAL);
        assert_string_equal(e.msg, "the request's key is not ECDSA P-256");
        assert_int_equal(ca_sign_csr(f->ca, r, strlen(r), "a", 1, &cert, &e), -EINVAL);
        assert_string_equal(e.msg, "the request's key is not ECDSA P-256");
        assert_int_equal(ca_sign_csr(f->ca, "hello", 5, "a", 1, &cert, &e), -EINVAL);
        assert_string_equal(e.msg, "not a PEM certificate request");
        assert_null(cert);
        free(forged);
        free(big);
        free(r);
        EVP_PKEY_free(key);
        EVP_PKEY_free(other);
        EVP_PKEY_free(p384);
        EVP_PKEY_free(rsa);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_ca_signs_for_the_agent_id_not_the_asked_name,
                                                setup, teardown),
                cmocka_unit_test_setup_teardown(test_ca_refuses_bad_requests, setup, teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
