/* file.h - replacing a small file whole, durably: a temporary file of its
 * own beside it, fsync, rename over it, fsync of the directory. A reader
 * sees the old file or a new one, never a part, also with several writers at
 * once; a crash leaves one of the two (and may leave a ".<name>.XXXXXX"). */
#ifndef HYGIE_FILE_H
#define HYGIE_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "error.h"

/* Replaces dir/name with data, with mode. 0 or -errno with e (the path). */
int file_replace(const char *dir, const char *name, const void *data, size_t len, mode_t mode,
                 struct error *e);

#endif
