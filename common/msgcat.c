/* msgcat.c - reading .mo catalogues (see msgcat.h). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msgcat.h"

#define MO_MAGIC 0x950412deu

static uint32_t word(const struct msgcat *c, size_t at)
{
        const unsigned char *p = c->data + at;

        if (c->swap)
                return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
        return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* The i-th string of the table at off: its text and length (without the
 * NUL, which msgcat_load checked is there). */
static const char *entry(const struct msgcat *c, size_t table, uint32_t i, uint32_t *len)
{
        *len = word(c, table + 8 * (size_t)i);
        return (const char *)c->data + word(c, table + 8 * (size_t)i + 4);
}

static int bad(struct msgcat *c, struct error *e, const char *file, const char *what)
{
        error_set(e, file, 0, "not a valid message catalogue: %s", what);
        free(c->data);
        memset(c, 0, sizeof(*c));
        return -EINVAL;
}

int msgcat_load(struct msgcat *c, unsigned char *data, size_t size, const char *file,
                struct error *e)
{
        const char *header, *rule;
        uint32_t len;

        memset(c, 0, sizeof(*c));
        c->data = data;
        c->size = size;
        if (size < 28)
                return bad(c, e, file, "shorter than its header");
        if (word(c, 0) != MO_MAGIC) {
                c->swap = 1;
                if (word(c, 0) != MO_MAGIC)
                        return bad(c, e, file, "wrong magic number");
        }
        if (word(c, 4) >> 16 != 0)
                return bad(c, e, file, "unknown major revision");
        c->count = word(c, 8);
        c->originals = word(c, 12);
        c->translations = word(c, 16);
        for (int t = 0; t < 2; t++) {
                size_t table = t ? c->translations : c->originals;

                if (table > size || (size - table) / 8 < c->count)
                        return bad(c, e, file, "a table runs past the end");
                for (uint32_t i = 0; i < c->count; i++) {
                        uint32_t off = word(c, table + 8 * (size_t)i + 4);

                        len = word(c, table + 8 * (size_t)i);
                        if (off > size || size - off <= len || data[off + len] != '\0')
                                return bad(c, e, file, "a string runs past the end");
                }
        }
        /* msgfmt sorts the originals; a lookup by bisection relies on it. */
        for (uint32_t i = 1; i < c->count; i++) {
                const char *a = entry(c, c->originals, i - 1, &len),
                           *b = entry(c, c->originals, i, &len);
                if (strcmp(a, b) >= 0)
                        return bad(c, e, file, "the messages are not sorted");
        }
        header = msgcat_get(c, "");
        rule = header ? strstr(header, "plural=") : NULL;
        if (rule) {
                char compact[16];
                size_t n = 0;

                for (rule += 7; *rule && *rule != ';' && *rule != '\n' && n < sizeof(compact) - 1;
                     rule++)
                        if (*rule != ' ' && *rule != '(' && *rule != ')')
                                compact[n++] = *rule;
                compact[n] = '\0';
                c->plural_gt1 = strcmp(compact, "n>1") == 0;
        }
        return 0;
}

/* The index of msgid among the originals, or -1. Plural entries are stored
 * as "singular\0plural": comparing as C strings matches on the singular. */
static long find(const struct msgcat *c, const char *msgid)
{
        uint32_t lo = 0, hi = c->count, len;

        while (lo < hi) {
                uint32_t mid = lo + (hi - lo) / 2;
                int cmp = strcmp(msgid, entry(c, c->originals, mid, &len));

                if (cmp == 0)
                        return mid;
                if (cmp < 0)
                        hi = mid;
                else
                        lo = mid + 1;
        }
        return -1;
}

const char *msgcat_get(const struct msgcat *c, const char *msgid)
{
        long i = c->data ? find(c, msgid) : -1;
        uint32_t len;
        const char *t;

        if (i < 0)
                return NULL;
        t = entry(c, c->translations, (uint32_t)i, &len);
        return len ? t : NULL;
}

const char *msgcat_nget(const struct msgcat *c, const char *singular, unsigned long n)
{
        long i = c->data ? find(c, singular) : -1;
        unsigned form = c->plural_gt1 ? n > 1 : n != 1;
        const char *t, *end;
        uint32_t len;

        if (i < 0)
                return NULL;
        t = entry(c, c->translations, (uint32_t)i, &len);
        end = t + len;
        /* The forms follow each other, NUL-separated, within len bytes. */
        for (; form > 0 && t < end; form--)
                t += strlen(t) + 1;
        return t < end && *t ? t : NULL;
}

void msgcat_free(struct msgcat *c)
{
        free(c->data);
        memset(c, 0, sizeof(*c));
}
