/* backup_place.h - where a path of the inspected root lives: its mount,
 * device, filesystem type, disk, and whether that disk is removable. */
#ifndef HYGIE_BACKUP_PLACE_H
#define HYGIE_BACKUP_PLACE_H

#include <jansson.h>
#include <stddef.h>

#include "mountinfo.h"
#include "rootfs.h"

/* The mount table of the root, or what stands in for it. */
struct places {
        const struct rootfs *root;
        struct mountinfo mi;
        bool have_mi; /* else devices come from stat(2) and types from statfs(2) */
};

/* Reads proc/self/mountinfo through the root; a file that is there but
 * unreadable or malformed is recorded in facts.errors (source "mountinfo").
 * The caller releases p with places_free(). */
void places_init(struct places *p, const struct rootfs *root, json_t *facts);
void places_free(struct places *p);
/* The absolute path rel resolves to inside the root, symbolic links
 * followed, into buf; the path as given when it cannot be resolved. */
const char *places_resolve(const struct places *p, const char *rel, char *buf, size_t size);
/* A new object describing where the resolved absolute path lives:
 * {mount, device "MAJ:MIN", fstype, source, network, disk, removable, usb,
 * decided_from}; keys that are unknown are left out. NULL without memory. */
json_t *places_describe(const struct places *p, const char *path);

#endif
