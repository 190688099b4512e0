/* pwcache.c - the audit's memory: keyed digests, counts, atomic writes. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "file.h"
#include "pwcache.h"

struct entry {
        char id[33]; /* 16 bytes of the HMAC, hex */
        unsigned long tried;
        bool common;
};

struct pwcache {
        char dir[PATH_MAX];
        unsigned char key[32], list[32];
        struct entry *old, *now;
        size_t nold, nnow;
};

static int read_key(struct pwcache *c)
{
        char path[PATH_MAX + 16];
        struct error e;
        ssize_t n;
        int fd;

        snprintf(path, sizeof(path), "%s/pwaudit.key", c->dir);
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd >= 0) {
                n = read(fd, c->key, sizeof(c->key));
                close(fd);
                if (n == (ssize_t)sizeof(c->key))
                        return 0;
        }
        if (RAND_bytes(c->key, sizeof(c->key)) != 1)
                return -EIO;
        return file_replace(c->dir, "pwaudit.key", c->key, sizeof(c->key), 0600, &e);
}

static void entry_id(const struct pwcache *c, const char *hash, char out[33])
{
        unsigned char md[EVP_MAX_MD_SIZE], msg[512 + 32];
        unsigned int len = 0;
        size_t n = strlen(hash);

        if (n > 512)
                n = 512;
        memcpy(msg, hash, n);
        memcpy(msg + n, c->list, 32);
        HMAC(EVP_sha256(), c->key, sizeof(c->key), msg, n + 32, md, &len);
        explicit_bzero(msg, sizeof(msg));
        for (int i = 0; i < 16; i++)
                snprintf(out + 2 * i, 3, "%02x", md[i]);
}

int pwcache_open(const char *dir, const unsigned char list_digest[32], struct pwcache **out)
{
        struct pwcache *c = calloc(1, sizeof(*c));
        char path[PATH_MAX + 16], line[128];
        FILE *f;
        int rc;

        if (!c)
                return -ENOMEM;
        snprintf(c->dir, sizeof(c->dir), "%s", dir);
        memcpy(c->list, list_digest, 32);
        if ((rc = read_key(c)) < 0) {
                free(c);
                return rc;
        }
        c->old = calloc(PWCACHE_MAX, sizeof(*c->old));
        c->now = calloc(PWCACHE_MAX, sizeof(*c->now));
        if (!c->old || !c->now) {
                pwcache_free(c);
                return -ENOMEM;
        }
        snprintf(path, sizeof(path), "%s/pwaudit.cache", dir);
        f = fopen(path, "re");
        while (f && c->nold < PWCACHE_MAX && fgets(line, sizeof(line), f)) {
                struct entry *e = &c->old[c->nold];
                int common;

                if (sscanf(line, "%32[0-9a-f] %lu %d", e->id, &e->tried, &common) == 3 &&
                    strlen(e->id) == 32 && (common == 0 || common == 1)) {
                        e->common = common;
                        c->nold++;
                }
        }
        if (f)
                fclose(f);
        *out = c;
        return 0;
}

void pwcache_get(const struct pwcache *c, const char *hash, unsigned long *tried, bool *common)
{
        char id[33];

        *tried = 0;
        *common = false;
        entry_id(c, hash, id);
        for (size_t i = 0; i < c->nold; i++) {
                if (strcmp(c->old[i].id, id) == 0) {
                        *tried = c->old[i].tried;
                        *common = c->old[i].common;
                        return;
                }
        }
}

void pwcache_put(struct pwcache *c, const char *hash, unsigned long tried, bool common)
{
        struct entry *e;

        if (c->nnow == PWCACHE_MAX)
                return;
        e = &c->now[c->nnow++];
        entry_id(c, hash, e->id);
        e->tried = tried;
        e->common = common;
}

int pwcache_save(struct pwcache *c)
{
        char *text = NULL;
        size_t len = 0;
        struct error e;
        FILE *f = open_memstream(&text, &len);
        int rc;

        if (!f)
                return -ENOMEM;
        for (size_t i = 0; i < c->nnow; i++)
                fprintf(f, "%s %lu %d\n", c->now[i].id, c->now[i].tried, c->now[i].common);
        if (fclose(f) != 0) {
                free(text);
                return -ENOMEM;
        }
        rc = file_replace(c->dir, "pwaudit.cache", text, len, 0600, &e);
        free(text);
        return rc;
}

void pwcache_free(struct pwcache *c)
{
        if (!c)
                return;
        explicit_bzero(c->key, sizeof(c->key));
        free(c->old);
        free(c->now);
        free(c);
}
