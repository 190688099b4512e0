/* fuzz_dpkg_version.c - the version order on any three strings: it must be
 * a total order (antisymmetric, transitive, equal versions interchangeable)
 * and never read past a string. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dpkg_version.h"

struct str {
        char *s;
        size_t len;
};

static int sign(int c)
{
        return (c > 0) - (c < 0);
}

static int cmp(struct str a, struct str b)
{
        return sign(dpkg_version_cmpn(a.s, a.len, b.s, b.len));
}

/* The next '\n'-separated part of data, copied to an exact-size buffer so
 * that ASan sees any overread. */
static struct str part(const uint8_t **data, size_t *size)
{
        const uint8_t *nl = memchr(*data, '\n', *size);
        struct str r = { NULL, nl ? (size_t)(nl - *data) : *size };

        r.s = malloc(r.len ? r.len : 1);
        if (!r.s)
                abort();
        memcpy(r.s, *data, r.len);
        *data += nl ? r.len + 1 : r.len;
        *size -= nl ? r.len + 1 : r.len;
        return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct str v[3];

        for (int i = 0; i < 3; i++)
                v[i] = part(&data, &size);
        for (int i = 0; i < 3; i++) {
                if (cmp(v[i], v[i]) != 0)
                        abort();
                (void)dpkg_version_valid(v[i].s, v[i].len);
                for (int j = 0; j < 3; j++) {
                        if (cmp(v[i], v[j]) != -cmp(v[j], v[i]))
                                abort();
                        for (int k = 0; k < 3; k++) {
                                int ij = cmp(v[i], v[j]), jk = cmp(v[j], v[k]);
                                /* Equal versions compare alike with any third. */
                                if (ij == 0 && cmp(v[i], v[k]) != jk)
                                        abort();
                                if (ij < 0 && jk < 0 && cmp(v[i], v[k]) >= 0)
                                        abort();
                        }
                }
        }
        for (int i = 0; i < 3; i++)
                free(v[i].s);
        return 0;
}
