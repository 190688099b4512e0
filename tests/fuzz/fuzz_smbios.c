/* fuzz_smbios.c - SMBIOS table decoding on any bytes, read both as
 * RawSMBIOSData (Windows) and as a bare table (Linux). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "smbios.h"

static void check(const struct smbios_info *s)
{
        /* Every string ends within its field. */
        if (strnlen(s->bios_vendor, sizeof(s->bios_vendor)) == sizeof(s->bios_vendor) ||
            strnlen(s->serial, sizeof(s->serial)) == sizeof(s->serial) ||
            strnlen(s->bios_date_iso, sizeof(s->bios_date_iso)) == sizeof(s->bios_date_iso) ||
            strnlen(s->uuid, sizeof(s->uuid)) == sizeof(s->uuid) || s->chassis_type > 0x7f ||
            (s->uefi && !s->uefi_known))
                abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct smbios_info info;
        struct error e;

        (void)smbios_parse(data, size, true, &info, &e);
        check(&info);
        (void)smbios_parse(data, size, false, &info, &e);
        check(&info);
        return 0;
}
