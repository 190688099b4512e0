/* fuzz_clamav_header.c - ClamAV database headers and clamd.conf lines on any bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "clamav.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *text = malloc(size + 1), value[64];
        struct clamav_header h;

        if (!text)
                return 0;
        memcpy(text, data, size);
        text[size] = '\0';
        /* The header as read from a file: raw bytes, no terminator. */
        (void)clamav_header_parse((const char *)data, size, &h);
        for (unsigned i = 0; i < 4; i++)
                if (clamav_conf_get(text, "OnAccessIncludePath", i, value, sizeof(value)) < 0)
                        break;
        free(text);
        return 0;
}
