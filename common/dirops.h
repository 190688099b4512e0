/* dirops.h - a directory held open, and the few things the spool and the
 * state files do in it, the same on Linux (common/unix/dirops.c) and Windows
 * (common/win/dirops.c). Names are UTF-8, one path component, relative to
 * the directory; a name that is a link (on Windows any reparse point) is
 * never followed. Every function returns 0 or a negative errno. */
#ifndef HYGIE_DIROPS_H
#define HYGIE_DIROPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef _WIN32
#define DIROPS_SEP "\\"
#else
#define DIROPS_SEP "/"
#endif

struct dirops;

enum dirops_type {
        DIROPS_FILE, /* a regular file */
        DIROPS_DIR,
        DIROPS_OTHER, /* a link, a reparse point, a device... */
};

/* Opens directory path (a link there is followed), first creating it when
 * create is set and it is missing: 0700 on Linux; on Windows with a DACL of
 * its own, not inherited, that gives SYSTEM and Administrators full control
 * (and this user, when neither). -ENOTDIR when it is no directory. *out is freed by
 * dirops_close. */
int dirops_open(const char *path, bool create, struct dirops **out);
/* Directory name in d, made as dirops_open makes one; a link there is
 * -ENOTDIR. */
int dirops_open_sub(struct dirops *d, const char *name, bool create, struct dirops **out);
/* Closes d and frees it, its lock released (NULL is fine). */
void dirops_close(struct dirops *d);

/* Whether d is for this user alone: -EPERM with *why ("belongs to another
 * user", "is writable by other users") when not. On Windows, owned by this
 * user, SYSTEM or Administrators, and no ACE that lets anyone else add,
 * delete or change the entries or the DACL. */
int dirops_private(struct dirops *d, const char **why);
/* Takes d for this process, until dirops_close: -EBUSY when another holds
 * it. Linux: flock(2) of the directory; Windows, where a directory cannot be
 * locked: LockFileEx on a file ".lock" in it, created when missing. */
int dirops_lock(struct dirops *d);
/* Makes the entries' creations, renames and removals durable. Linux: fsync
 * of the directory; Windows: nothing, renames are written through (see
 * dirops_rename) and NTFS journals the rest. */
int dirops_sync(struct dirops *d);

/* The mode of a private key: 0400 on Linux; on Windows a DACL of its own
 * that lets SYSTEM alone open it (an administrator can still take it, but
 * no program running as one reads it by mistake). */
#define DIROPS_SECRET 0400

/* Creates file name (-EEXIST when it is there), writes the len bytes of data
 * and flushes them to the disk; mode on Linux, where the umask does not apply;
 * on Windows the file takes the directory's inheritable ACEs, or with
 * DIROPS_SECRET SYSTEM's alone. On failure nothing of it remains. */
int dirops_create(struct dirops *d, const char *name, unsigned mode, const void *data, size_t len);
/* Renames name in from to newname in to: over an existing newname when
 * replace is set, else -EEXIST. Atomic. Windows: MoveFileExW, written
 * through to the disk before it returns. */
int dirops_rename(struct dirops *from, const char *name, struct dirops *to, const char *newname,
                  bool replace);
/* Removes file name; -ENOENT when it is not there. */
int dirops_remove(struct dirops *d, const char *name);

struct dirops_stat {
        enum dirops_type type;
        uint64_t size;
};

/* What name is, not following it. */
int dirops_stat(struct dirops *d, const char *name, struct dirops_stat *st);
/* Reads file name whole into *data (malloc'ed, NUL-terminated past *len,
 * the caller frees it). -EINVAL when it is not a regular file (a link
 * included), -EFBIG when over max bytes, before reading any. */
int dirops_read(struct dirops *d, const char *name, size_t max, void **data, size_t *len);
/* Calls fn with each name in d but "." and "..", in no order, until fn
 * returns other than 0; returns that, or a listing error. */
int dirops_list(struct dirops *d, int (*fn)(const char *name, void *arg), void *arg);

#endif
