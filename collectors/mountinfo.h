/* mountinfo.h - the mount table of /proc/<pid>/mountinfo (proc(5)), and
 * which mount holds a path. */
#ifndef HYGIE_MOUNTINFO_H
#define HYGIE_MOUNTINFO_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define MOUNTINFO_MAX_MOUNTS 16384
#define MOUNTINFO_MAX_TEXT   (8u << 20)

struct mount_entry {
        unsigned id, parent;
        unsigned major, minor;
        const char *root;   /* of the mount inside its filesystem */
        const char *point;  /* mount point, unescaped */
        const char *fstype; /* "ext4", "nfs4", "fuse.sshfs"... */
        const char *source; /* "/dev/sda2", "nas:/backups" or "none" */
};

struct mountinfo {
        struct mount_entry *v; /* in file order: a later entry mounts over an earlier one */
        size_t n;
        char *text; /* the unescaped copy the strings point into */
};

/* Parses mountinfo text (file names it in errors) into mi, which the
 * caller releases with mountinfo_free(), also after an error. 0, -EINVAL
 * with e set (the first malformed line), -E2BIG past the bounds above, or
 * -ENOMEM. */
int mountinfo_parse(const char *text, const char *file, struct mountinfo *mi, struct error *e);
void mountinfo_free(struct mountinfo *mi);
/* The mount holding the absolute path: the longest mount point that is a
 * whole-component prefix of it, the last one listed when several are equal.
 * NULL when none matches (no "/" in the table). */
const struct mount_entry *mountinfo_find(const struct mountinfo *mi, const char *path);
/* Whether a filesystem type reaches another machine over the network. */
bool mountinfo_is_network(const char *fstype);

#endif
