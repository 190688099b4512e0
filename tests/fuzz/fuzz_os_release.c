/* fuzz_os_release.c - os-release(5) and distro-info CSV parsing on any bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "osinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *text = malloc(size + 1);
        struct os_release osr;
        struct distro_row row;
        struct error e;

        if (!text)
                return 0;
        memcpy(text, data, size);
        text[size] = '\0';
        if (os_release_parse(text, "os-release", &osr, &e) == 0)
                (void)os_release_distro(&osr);
        (void)distro_info_find(text, "bookworm", "12", &row);
        free(text);
        return 0;
}
