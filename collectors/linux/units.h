/* units.h - systemd units as a root shows them: installed, masked, enabled
 * (a link in etc/systemd/system/NAME.wants/), and on this machine whether
 * one runs now. */
#ifndef HYGIE_UNITS_H
#define HYGIE_UNITS_H

#include <stdbool.h>
#include <stddef.h>

#include "rootfs.h"

/* The unit file of a unit; where it was found into where. A masked unit
 * (linked to /dev/null) counts as installed, never as enabled. */
bool units_installed(const struct rootfs *root, const char *unit, char *where, size_t size,
                     bool *masked);
/* A link to the unit in any etc/systemd/system/NAME.wants/ directory. */
bool units_enabled(const struct rootfs *root, const char *unit);
/* On this machine: the unit's systemd cgroup holds a process. */
bool units_has_process(const struct rootfs *root, const char *unit);
/* systemd runs the root (run/systemd/system): only meaningful for this
 * machine's own root, whose run/ is live. */
bool units_systemd_runs(const struct rootfs *root);
/* Under systemd, the unit is active, a one-shot unit that remains after its
 * command included: systemd keeps the link run/systemd/units/invocation:UNIT
 * from a unit's start until it is inactive or failed (journald reads it
 * too). Only meaningful for this machine's own root. */
bool units_active(const struct rootfs *root, const char *unit);

#endif
