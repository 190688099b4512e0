/* fuzz_cpuinfo.c - cpuinfo, meminfo, DMI date and TPM caps parsing on any bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hwinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *text = malloc(size + 1);
        unsigned long long kib;
        struct cpuinfo ci;
        struct error e;
        int y, m, d, maj, min;

        if (!text)
                return 0;
        memcpy(text, data, size);
        text[size] = '\0';
        (void)cpuinfo_parse(text, "cpuinfo", &ci, &e);
        (void)meminfo_parse(text, "meminfo", &kib, &e);
        (void)dmi_date_parse(text, &y, &m, &d);
        (void)tpm_caps_version(text, &maj, &min);
        free(text);
        return 0;
}
