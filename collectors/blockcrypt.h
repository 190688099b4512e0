/* blockcrypt.h - what tells that a Linux system volume is encrypted: the
 * kind of a device-mapper device from its uuid (as cryptsetup and LVM name
 * them), and the tables a system reads at boot: /etc/fstab's entry for "/",
 * /etc/crypttab's volumes, and the physical volumes LVM's metadata backup
 * (/etc/lvm/backup/VG) records for a volume group. */
#ifndef HYGIE_BLOCKCRYPT_H
#define HYGIE_BLOCKCRYPT_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

enum dm_kind { DM_OTHER, DM_CRYPT, DM_LVM };

/* The kind of a device-mapper uuid ("CRYPT-LUKS2-...-name", "LVM-..."); for
 * DM_CRYPT its format ("LUKS2", "LUKS1", "plain", "loop-AES", "TCRYPT",
 * "BITLK", "FVAULT2") into *type. dm-verity and dm-integrity devices, which
 * cryptsetup names too (CRYPT-VERITY-, CRYPT-INTEGRITY-, CRYPT-SUBDEV-),
 * encrypt nothing: DM_OTHER. */
enum dm_kind dm_uuid_kind(const char *uuid, const char **type);

/* The volume group and logical volume of a device-mapper name: LVM names a
 * volume "VG-LV" and doubles each '-' inside VG and LV. 0, or -EINVAL when
 * name is not of that form or a part does not fit. */
int dm_name_lvm(const char *name, char *vg, size_t vg_size, char *lv, size_t lv_size);

/* The device ("UUID=...", "/dev/mapper/x") and type of the first fstab(5)
 * entry mounted on "/", octal escapes (\040) decoded. 0 or -ENOENT. */
int fstab_root(const char *text, char *spec, size_t spec_size, char *type, size_t type_size);

#define CRYPTTAB_MAX 64

struct crypttab_entry {
        char name[128];   /* opened as /dev/mapper/NAME */
        char device[256]; /* "UUID=...", "/dev/sda3" */
        char options[256];
        unsigned line;
};

struct crypttab {
        struct crypttab_entry v[CRYPTTAB_MAX];
        size_t n;
};

/* Parses crypttab(5) text (file names it in errors). 0, -EINVAL with e set
 * (a line without a device), or -E2BIG with e set past CRYPTTAB_MAX. */
int crypttab_parse(const char *text, const char *file, struct crypttab *ct, struct error *e);
/* The entry that opens /dev/mapper/name, or NULL. */
const struct crypttab_entry *crypttab_find(const struct crypttab *ct, const char *name);
/* The format the options name ("LUKS", "plain", "TCRYPT", "BITLK",
 * "loop-AES"), or NULL: cryptsetup then looks for a LUKS header. */
const char *crypttab_type(const struct crypttab_entry *entry);
/* A volume keyed anew at each boot (swap, tmp): it cannot hold "/". */
bool crypttab_ephemeral(const struct crypttab_entry *entry);

#define LVM_PVS_MAX    32
#define LVM_DEVICE_MAX 256

/* The device hints ("/dev/mapper/sda3_crypt") of the physical volumes an LVM
 * metadata backup lists, into pv (max of them); *n gets the count. 0,
 * -EINVAL with e set (an unbalanced brace, an unterminated string), or
 * -E2BIG with e set past max. */
int lvm_backup_pvs(const char *text, const char *file, char (*pv)[LVM_DEVICE_MAX], size_t max,
                   size_t *n, struct error *e);

#endif
