/* decompress.c - one streaming reader over plain, gzip, xz and lz4 files.
 *
 * A fixed input buffer and the caller's output buffer: memory stays flat
 * whatever the size of the file. Concatenated members or frames are read
 * through; a stream that ends inside one is corrupt. */
#include <errno.h>
#include <lz4frame.h>
#include <lzma.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "decompress.h"

#define DZ_INBUF (128u << 10)

struct dz {
        enum dz_kind kind;
        int fd;
        bool eof;      /* no more input from fd */
        bool in_frame; /* inside a member/frame not finished yet */
        size_t in_pos, in_len;
        z_stream zs;
        lzma_stream xs;
        LZ4F_dctx *lz;
        unsigned char in[DZ_INBUF];
};

static bool has_suffix(const char *s, const char *suf)
{
        size_t n = strlen(s), m = strlen(suf);

        return n >= m && strcmp(s + n - m, suf) == 0;
}

enum dz_kind dz_kind_of(const char *name)
{
        if (has_suffix(name, ".gz"))
                return DZ_GZIP;
        if (has_suffix(name, ".xz"))
                return DZ_XZ;
        if (has_suffix(name, ".lz4"))
                return DZ_LZ4;
        if (has_suffix(name, ".zst") || has_suffix(name, ".bz2") || has_suffix(name, ".lzma"))
                return DZ_UNKNOWN;
        return DZ_PLAIN;
}

int dz_open(struct dz **out, int fd, enum dz_kind kind)
{
        struct dz *z;

        *out = NULL;
        if (kind == DZ_UNKNOWN) {
                close(fd);
                return -ENOTSUP;
        }
        z = calloc(1, sizeof(*z));
        if (!z) {
                close(fd);
                return -ENOMEM;
        }
        z->kind = kind;
        z->fd = fd;
        if (kind == DZ_GZIP && inflateInit2(&z->zs, 15 + 32) != Z_OK)
                goto nomem;
        if (kind == DZ_XZ && lzma_stream_decoder(&z->xs, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
                goto nomem;
        if (kind == DZ_LZ4 && LZ4F_isError(LZ4F_createDecompressionContext(&z->lz, LZ4F_VERSION)))
                goto nomem;
        *out = z;
        return 0;
nomem:
        dz_close(z);
        return -ENOMEM;
}

/* Refills the input buffer when empty. 0, or -errno. */
static int fill(struct dz *z)
{
        ssize_t n;

        if (z->in_pos < z->in_len || z->eof)
                return 0;
        do
                n = read(z->fd, z->in, sizeof(z->in));
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return -errno;
        z->in_pos = 0;
        z->in_len = (size_t)n;
        if (n == 0)
                z->eof = true;
        return 0;
}

static ssize_t read_gzip(struct dz *z, void *buf, size_t size)
{
        z->zs.next_out = buf;
        z->zs.avail_out = (uInt)size;
        while (z->zs.avail_out == size) {
                int rc = fill(z);
                if (rc < 0)
                        return rc;
                if (z->in_pos == z->in_len)
                        return z->in_frame ? -EBADMSG : 0;
                z->zs.next_in = z->in + z->in_pos;
                z->zs.avail_in = (uInt)(z->in_len - z->in_pos);
                rc = inflate(&z->zs, Z_NO_FLUSH);
                z->in_pos = z->in_len - z->zs.avail_in;
                if (rc == Z_STREAM_END) {
                        z->in_frame = false;
                        inflateReset(&z->zs);
                } else if (rc == Z_OK || rc == Z_BUF_ERROR) {
                        z->in_frame = true;
                } else {
                        return -EBADMSG;
                }
        }
        return (ssize_t)(size - z->zs.avail_out);
}

static ssize_t read_xz(struct dz *z, void *buf, size_t size)
{
        z->xs.next_out = buf;
        z->xs.avail_out = size;
        while (z->xs.avail_out == size) {
                int rc = fill(z);
                if (rc < 0)
                        return rc;
                z->xs.next_in = z->in + z->in_pos;
                z->xs.avail_in = z->in_len - z->in_pos;
                lzma_ret r = lzma_code(&z->xs, z->eof ? LZMA_FINISH : LZMA_RUN);
                z->in_pos = z->in_len - z->xs.avail_in;
                if (r == LZMA_STREAM_END)
                        break;
                if (r != LZMA_OK && !(r == LZMA_BUF_ERROR && !z->eof))
                        return -EBADMSG;
                if (z->eof && z->xs.avail_out == size)
                        return -EBADMSG; /* LZMA_FINISH made no progress: truncated */
        }
        return (ssize_t)(size - z->xs.avail_out);
}

static ssize_t read_lz4(struct dz *z, void *buf, size_t size)
{
        size_t got = 0;

        while (got == 0) {
                int rc = fill(z);
                if (rc < 0)
                        return rc;
                if (z->in_pos == z->in_len)
                        return z->in_frame ? -EBADMSG : 0;
                size_t dst = size - got, src = z->in_len - z->in_pos;
                size_t hint =
                    LZ4F_decompress(z->lz, (char *)buf + got, &dst, z->in + z->in_pos, &src, NULL);
                if (LZ4F_isError(hint))
                        return -EBADMSG;
                z->in_pos += src;
                got += dst;
                z->in_frame = hint != 0;
        }
        return (ssize_t)got;
}

ssize_t dz_read(struct dz *z, void *buf, size_t size)
{
        ssize_t n;

        if (size == 0)
                return 0;
        switch (z->kind) {
        case DZ_GZIP:
                return read_gzip(z, buf, size);
        case DZ_XZ:
                return read_xz(z, buf, size);
        case DZ_LZ4:
                return read_lz4(z, buf, size);
        default:
                do
                        n = read(z->fd, buf, size);
                while (n < 0 && errno == EINTR);
                return n < 0 ? -errno : n;
        }
}

void dz_close(struct dz *z)
{
        if (!z)
                return;
        if (z->kind == DZ_GZIP)
                inflateEnd(&z->zs);
        if (z->kind == DZ_XZ)
                lzma_end(&z->xs);
        if (z->lz)
                LZ4F_freeDecompressionContext(z->lz);
        if (z->fd >= 0)
                close(z->fd);
        free(z);
}
