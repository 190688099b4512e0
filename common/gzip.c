/* gzip.c - whole-buffer gzip over zlib. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "gzip.h"

int gzip_compress(const void *data, size_t len, int level, void **out, size_t *out_len)
{
        z_stream zs = { 0 };
        size_t cap;
        unsigned char *buf;
        int rc;

        if (len > UINT_MAX)
                return -EFBIG;
        if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
                return -ENOMEM;
        cap = deflateBound(&zs, (uLong)len) + 32;
        buf = malloc(cap);
        if (!buf) {
                deflateEnd(&zs);
                return -ENOMEM;
        }
        zs.next_in = (Bytef *)data;
        zs.avail_in = (uInt)len;
        zs.next_out = buf;
        zs.avail_out = (uInt)cap;
        rc = deflate(&zs, Z_FINISH);
        *out_len = zs.total_out;
        deflateEnd(&zs);
        if (rc != Z_STREAM_END) {
                free(buf);
                return -ENOMEM;
        }
        *out = buf;
        return 0;
}

int gzip_decompress(const void *data, size_t len, size_t max, char **out, size_t *out_len)
{
        z_stream zs = { 0 };
        size_t cap = len < (max - 64) / 4 ? len * 4 + 64 : max + 1, used = 0;
        char *buf = malloc(cap + 1);
        int rc = -EBADMSG, z;

        if (!buf)
                return -ENOMEM;
        if (len > UINT_MAX || inflateInit2(&zs, 15 + 16) != Z_OK) {
                free(buf);
                return len > UINT_MAX ? -EFBIG : -ENOMEM;
        }
        zs.next_in = (Bytef *)data;
        zs.avail_in = (uInt)len;
        for (;;) {
                if (used == cap) {
                        char *p;

                        if (cap > max) {
                                rc = -EFBIG;
                                goto out;
                        }
                        cap = cap > max / 2 ? max + 1 : cap * 2;
                        if (!(p = realloc(buf, cap + 1))) {
                                rc = -ENOMEM;
                                goto out;
                        }
                        buf = p;
                }
                zs.next_out = (Bytef *)buf + used;
                zs.avail_out = (uInt)(cap - used);
                z = inflate(&zs, Z_NO_FLUSH);
                used = cap - zs.avail_out;
                if (z == Z_STREAM_END)
                        break;
                if (z == Z_OK || (z == Z_BUF_ERROR && zs.avail_out == 0))
                        continue;
                goto out; /* corrupt, or truncated (Z_BUF_ERROR with the input used up) */
        }
        if (used > max) {
                rc = -EFBIG;
                goto out;
        }
        if (zs.avail_in != 0)
                goto out;
        buf[used] = '\0';
        *out = buf;
        *out_len = used;
        buf = NULL;
        rc = 0;
out:
        inflateEnd(&zs);
        free(buf);
        return rc;
}
