/* apt_conf.h - reading one option from apt.conf(5) text. */
#ifndef HYGIE_APT_CONF_H
#define HYGIE_APT_CONF_H

#include <stddef.h>

/* Looks for key ("APT::Periodic::Unattended-Upgrade", case-insensitive) in
 * apt.conf text, written flat or in nested scopes. When set, the last value
 * is copied into val (truncated to size) and 1 is returned; 0 when the text
 * does not set it. Unbalanced or odd syntax is read as far as it goes. */
int apt_conf_get(const char *text, size_t len, const char *key, char *val, size_t size);

#endif
