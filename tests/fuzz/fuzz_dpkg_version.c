/* fuzz_dpkg_version.c - the version order on any two strings: it must be
 * antisymmetric and never read past either string. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dpkg_version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const char *s = (const char *)data;
        const char *nul = memchr(s, '\n', size);
        size_t alen = nul ? (size_t)(nul - s) : size / 2;
        size_t boff = nul ? alen + 1 : alen;
        /* Exact-size copies so that ASan sees any overread. */
        char *a = malloc(alen ? alen : 1), *b = malloc(size - boff ? size - boff : 1);

        memcpy(a, s, alen);
        memcpy(b, s + boff, size - boff);
        int ab = dpkg_version_cmpn(a, alen, b, size - boff);
        int ba = dpkg_version_cmpn(b, size - boff, a, alen);
        if ((ab < 0) != (ba > 0) || (ab == 0) != (ba == 0))
                abort();
        (void)dpkg_version_valid(a, alen);
        free(a);
        free(b);
        return 0;
}
