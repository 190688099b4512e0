/* decompress.h - reading a file as it is, or through gzip, xz or lz4, as a
 * stream of decoded bytes the reader holds until the caller consumes them
 * (apt stores its lists in any of these). */
#ifndef HYGIE_DECOMPRESS_H
#define HYGIE_DECOMPRESS_H

#include <stddef.h>
#include <sys/types.h>

enum dz_kind { DZ_PLAIN, DZ_GZIP, DZ_XZ, DZ_LZ4, DZ_UNKNOWN };

struct dz;

/* The kind a file name's suffix says (".gz", ".xz", ".lz4", none); DZ_UNKNOWN
 * for another compression suffix apt may use (".zst", ".bz2", ".lzma"). */
enum dz_kind dz_kind_of(const char *name);
/* Starts reading fd (taken over: dz_close closes it) as kind, holding at
 * most max decoded bytes not consumed yet. 0 or -errno. */
int dz_open(struct dz **out, int fd, enum dz_kind kind, size_t max);
/* Decodes more. *data and *len then give every decoded byte not consumed
 * yet (valid until the next call). 1 when more came, 0 at the end,
 * -ENOBUFS when max bytes wait to be consumed, -EBADMSG when the data is
 * corrupt or truncated, another -errno on I/O. */
int dz_fill(struct dz *z, const char **data, size_t *len);
/* Consumes the first n of the bytes dz_fill gave. */
void dz_consume(struct dz *z, size_t n);
/* Up to size decoded bytes copied into buf: the count, 0 at the end, or an
 * error as dz_fill says. */
ssize_t dz_read(struct dz *z, void *buf, size_t size);
void dz_close(struct dz *z);

#endif
