/* token.c - making, hashing and timing bearer tokens. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "token.h"

int token_new(const char *prefix, char *buf, size_t size)
{
        static const char b64url[] =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        unsigned char r[32];
        size_t o = strlen(prefix);
        unsigned bits = 0, acc = 0;

        if (o != 4 || size < TOKEN_LEN + 1)
                return -EINVAL;
        if (RAND_bytes(r, sizeof(r)) != 1)
                return -EIO;
        memcpy(buf, prefix, 4);
        for (size_t i = 0; i < sizeof(r); i++) {
                acc = (acc << 8) | r[i];
                bits += 8;
                while (bits >= 6) {
                        bits -= 6;
                        buf[o++] = b64url[(acc >> bits) & 63];
                }
        }
        if (bits)
                buf[o++] = b64url[(acc << (6 - bits)) & 63];
        buf[o] = '\0';
        OPENSSL_cleanse(r, sizeof(r));
        return 0;
}

int token_hash(const char *token, char *hex, size_t size)
{
        unsigned char md[32];
        unsigned int len = 0;

        if (size < TOKEN_HASH_LEN + 1)
                return -EINVAL;
        if (!EVP_Digest(token, strlen(token), md, &len, EVP_sha256(), NULL) || len != 32)
                return -EIO;
        for (unsigned i = 0; i < 32; i++)
                snprintf(hex + 2 * i, 3, "%02x", md[i]);
        return 0;
}

int token_parse_duration(const char *s, long long *seconds)
{
        static const struct {
                char unit;
                long long secs;
        } units[] = { { 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 }, { 'w', 604800 } };
        char *end;
        long long n;

        errno = 0;
        n = strtoll(s, &end, 10);
        if (errno || end == s || n <= 0 || end[0] == '\0' || end[1] != '\0')
                return -EINVAL;
        for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
                if (units[i].unit != *end)
                        continue;
                if (n > 3650LL * 86400 / units[i].secs)
                        return -EINVAL;
                *seconds = n * units[i].secs;
                return 0;
        }
        return -EINVAL;
}
