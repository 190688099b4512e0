/* password.c - yescrypt through libcrypt's crypt_gensalt_rn and crypt_rn. */
#include <crypt.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "password.h"

int password_acceptable(const char *password, struct error *e)
{
        size_t n = strlen(password);

        if (n > PASSWORD_MAX) {
                error_set(e, "", 0, "a password has at most %d bytes", PASSWORD_MAX);
                return -EINVAL;
        }
        /* Characters, not bytes: count the bytes that start one in UTF-8. */
        n = 0;
        for (const unsigned char *p = (const unsigned char *)password; *p; p++)
                n += (*p & 0xc0) != 0x80;
        if (n < PASSWORD_MIN) {
                error_set(e, "", 0, "a password has at least %d characters", PASSWORD_MIN);
                return -EINVAL;
        }
        return 0;
}

int password_hash(const char *password, char *out, size_t size, struct error *e)
{
        char setting[CRYPT_GENSALT_OUTPUT_SIZE];
        struct crypt_data *cd = calloc(1, sizeof(*cd));
        const char *h;
        int rc = 0;

        if (!cd)
                return -ENOMEM;
        /* Cost 0: libcrypt's default for yescrypt; salt from the kernel. */
        if (!crypt_gensalt_rn("$y$", 0, NULL, 0, setting, sizeof(setting))) {
                error_set(e, "", 0, "cannot make a yescrypt salt: %s", strerror(errno));
                rc = -EIO;
        } else if (!(h = crypt_rn(password, setting, cd, sizeof(*cd))) || h[0] == '*') {
                error_set(e, "", 0, "cannot hash the password");
                rc = -EIO;
        } else if (strlen(h) >= size) {
                error_set(e, "", 0, "password hash too long");
                rc = -ENAMETOOLONG;
        } else {
                memcpy(out, h, strlen(h) + 1);
        }
        OPENSSL_cleanse(cd, sizeof(*cd));
        free(cd);
        return rc;
}

/* A hash of nothing anyone knows, for unknown logins. */
static char decoy[CRYPT_OUTPUT_SIZE];
static pthread_once_t decoy_once = PTHREAD_ONCE_INIT;

static void make_decoy(void)
{
        struct error e;

        if (password_hash("no such user, no such password", decoy, sizeof(decoy), &e) < 0)
                decoy[0] = '\0';
}

bool password_check(const char *password, const char *hash)
{
        struct crypt_data *cd = calloc(1, sizeof(*cd));
        const char *h;
        bool ok = false;

        if (!cd)
                return false;
        if (!hash) {
                pthread_once(&decoy_once, make_decoy);
                if (decoy[0])
                        crypt_rn(password, decoy, cd, sizeof(*cd));
        } else if ((h = crypt_rn(password, hash, cd, sizeof(*cd))) && h[0] != '*' &&
                   strlen(h) == strlen(hash)) {
                ok = CRYPTO_memcmp(h, hash, strlen(hash)) == 0;
        }
        OPENSSL_cleanse(cd, sizeof(*cd));
        free(cd);
        return ok;
}
