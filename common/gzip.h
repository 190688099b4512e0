/* gzip.h - whole-buffer gzip, for report bodies on the wire and on disk. */
#ifndef HYGIE_GZIP_H
#define HYGIE_GZIP_H

#include <stddef.h>

/* Compresses len bytes into a new buffer (*out, the caller frees). 0 or -ENOMEM. */
int gzip_compress(const void *data, size_t len, int level, void **out, size_t *out_len);
/* Decompresses one gzip member into a new NUL-terminated buffer of at most
 * max bytes (*out, the caller frees). -EFBIG past max, -EBADMSG when the data
 * is not gzip, is corrupt, is truncated or has bytes after its end. */
int gzip_decompress(const void *data, size_t len, size_t max, char **out, size_t *out_len);

#endif
