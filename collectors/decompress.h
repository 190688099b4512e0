/* decompress.h - reading a file as it is, or through gzip, xz or lz4, as a
 * stream into the caller's buffer (apt stores its lists in any of them). */
#ifndef HYGIE_DECOMPRESS_H
#define HYGIE_DECOMPRESS_H

#include <stddef.h>
#include <sys/types.h>

enum dz_kind { DZ_PLAIN, DZ_GZIP, DZ_XZ, DZ_LZ4, DZ_UNKNOWN };

struct dz;

/* The kind a file name's suffix says (".gz", ".xz", ".lz4", none); DZ_UNKNOWN
 * for another compression suffix apt may use (".zst", ".bz2", ".lzma"). */
enum dz_kind dz_kind_of(const char *name);
/* Starts reading fd (taken over: dz_close closes it) as kind. 0 or -errno. */
int dz_open(struct dz **out, int fd, enum dz_kind kind);
/* Up to size bytes of decompressed data into buf: the count, 0 at the end,
 * -EBADMSG when the data is corrupt or truncated, another -errno on I/O. */
ssize_t dz_read(struct dz *z, void *buf, size_t size);
void dz_close(struct dz *z);

#endif
