/* fuzz_blockcrypt.c - fstab, crypttab, LVM metadata and device-mapper
 * names on any bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "blockcrypt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct crypttab *ct = malloc(sizeof(*ct));
        char(*pv)[LVM_DEVICE_MAX] = malloc(LVM_PVS_MAX * sizeof(*pv));
        char *text = malloc(size + 1), spec[256], type[32], vg[128], lv[128];
        const char *t;
        struct error e;
        size_t n;

        if (ct && pv && text) {
                memcpy(text, data, size);
                text[size] = '\0';
                (void)fstab_root(text, spec, sizeof(spec), type, sizeof(type));
                if (crypttab_parse(text, "etc/crypttab", ct, &e) == 0)
                        for (size_t i = 0; i < ct->n; i++) {
                                (void)crypttab_type(&ct->v[i]);
                                (void)crypttab_ephemeral(&ct->v[i]);
                                (void)crypttab_find(ct, ct->v[i].name);
                        }
                (void)lvm_backup_pvs(text, "etc/lvm/backup/vg", pv, LVM_PVS_MAX, &n, &e);
                (void)dm_name_lvm(text, vg, sizeof(vg), lv, sizeof(lv));
                (void)dm_uuid_kind(text, &t);
        }
        free(text);
        free(pv);
        free(ct);
        return 0;
}
