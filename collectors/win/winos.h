/* winos.h - what the Windows collectors share. */
#ifndef HYGIE_WINOS_H
#define HYGIE_WINOS_H

#include <jansson.h>

#include "collector.h"
#include "smbios.h"

/* The registry's CurrentVersion values. */
struct win_os {
        unsigned long build;
        long revision; /* UBR, -1 unknown */
        char product_name[128], edition_id[64], display_version[16], installation_type[32];
};

/* Reads it; an unreadable build is recorded in facts (when not NULL) with
 * source "registry". 0, or a negative errno. */
int win_os_read(struct win_os *os, json_t *facts);

/* The firmware's SMBIOS table, through GetSystemFirmwareTable, into sm
 * (hardware.c). 0; -ENOENT when Windows gives none; -EINVAL when it is
 * damaged (e says where; sm holds what came before). */
int win_smbios_read(struct smbios_info *sm, struct error *e);

/* facts.firewall and facts.encryption (security.c). */
void win_security_collect(const struct collect_ctx *ctx, json_t *facts);

#endif
