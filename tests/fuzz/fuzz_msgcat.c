/* fuzz_msgcat.c - .mo catalogues (msgcat.c) from any bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msgcat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        unsigned char *copy = malloc(size ? size : 1);
        struct msgcat c;
        struct error e;

        if (!copy)
                return 0;
        memcpy(copy, data, size);
        if (msgcat_load(&c, copy, size, "fuzz.mo", &e) == 0) {
                (void)msgcat_get(&c, "Operating system");
                (void)msgcat_nget(&c, "%s: security support ends on %s, in %ld day", 2);
                msgcat_free(&c);
        }
        return 0;
}
