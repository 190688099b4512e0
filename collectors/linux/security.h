/* security.h - the parts of the os collector that read the system's own
 * protections: its firewall (firewall.c) and the encryption of "/"
 * (encryption.c). */
#ifndef HYGIE_SECURITY_H
#define HYGIE_SECURITY_H

#include "collector.h"

/* facts.firewall: whether a firewall filters what comes in; what cannot be
 * read is a "firewall" error. */
void firewall_collect(const struct collect_ctx *ctx, json_t *facts);
/* facts.encryption: whether the volume holding "/" is encrypted; what
 * cannot be read is an "encryption" error. */
void encryption_collect(const struct collect_ctx *ctx, json_t *facts);

#endif
