/* fuzz_apt_release.c - Release and InRelease files on any bytes. */
#include <stdint.h>

#include "apt_release.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct apt_release r;
        struct error e;

        if (apt_release_parse((const char *)data, size, "Release", &r, &e) == 0)
                (void)apt_release_is_security(&r);
        return 0;
}
