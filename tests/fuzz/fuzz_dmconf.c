/* fuzz_dmconf.c - display-manager INI files on any bytes; the first byte
 * picks the display manager (0 GDM, 1 LightDM, else SDDM). The text is
 * applied twice, as two files would be, before reading the autologin. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dmconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static const enum dm dms[] = { DM_GDM, DM_LIGHTDM, DM_SDDM };
        struct dmconf c;
        struct dmconf_autologin al;
        struct error e;
        char *text;

        if (size < 1)
                return 0;
        text = malloc(size);
        if (!text)
                return 0;
        memcpy(text, data + 1, size - 1);
        text[size - 1] = '\0';
        dmconf_init(&c, dms[data[0] % 3]);
        (void)dmconf_parse(&c, text, "a.conf", &e);
        (void)dmconf_parse(&c, text, "b.conf", &e);
        dmconf_autologin(&c, &al);
        if (al.enabled && (strlen(al.user) >= sizeof(al.user) || !al.how[0]))
                abort();
        free(text);
        return 0;
}
