/* digest.c - block digests (digest.h) over OpenSSL's SHA-256. */
#include <errno.h>

#include <openssl/evp.h>

#include "digest.h"

int digest_begin(struct digest *d)
{
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();

        if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
                EVP_MD_CTX_free(ctx);
                d->ctx = NULL;
                return -ENOMEM;
        }
        d->ctx = ctx;
        return 0;
}

void digest_add(struct digest *d, const void *data, size_t len)
{
        if (d->ctx && len && EVP_DigestUpdate(d->ctx, data, len) != 1) {
                EVP_MD_CTX_free(d->ctx);
                d->ctx = NULL;
        }
}

int digest_end(struct digest *d, char hex[DIGEST_HEX])
{
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned len = 0;
        int ok = d->ctx && EVP_DigestFinal_ex(d->ctx, md, &len) == 1 && len >= (DIGEST_HEX - 1) / 2;

        EVP_MD_CTX_free(d->ctx);
        d->ctx = NULL;
        if (!ok)
                return -ENOMEM;
        for (int i = 0; i < (DIGEST_HEX - 1) / 2; i++) {
                hex[2 * i] = "0123456789abcdef"[md[i] >> 4];
                hex[2 * i + 1] = "0123456789abcdef"[md[i] & 15];
        }
        hex[DIGEST_HEX - 1] = '\0';
        return 0;
}
