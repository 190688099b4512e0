/* decompress.c - one streaming reader over plain, gzip, xz and lz4 files.
 *
 * Decoded bytes go into one buffer that the caller parses in place and
 * consumes: a fixed input buffer and that one grow only as far as the
 * longest piece the caller waits for, whatever the size of the file, and
 * for lz4 whatever its block size (lz4_reader.c decodes into the buffer,
 * its matches reaching back into the 64 KiB kept there). Concatenated
 * members or frames are read through; a stream that ends inside one is
 * corrupt. */
#include <errno.h>
#include <lzma.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "decompress.h"
#include "lz4_reader.h"

#define DZ_INBUF (64u << 10)
#define DZ_FIRST (256u << 10) /* the output buffer's first size */
#define DZ_HIST  (64u << 10)  /* lz4 output kept for its matches */

struct dz {
        enum dz_kind kind;
        int fd;
        bool eof;      /* no more input from fd */
        bool in_frame; /* inside a gzip member not finished yet */
        bool done;     /* xz: the end of the last stream */
        size_t in_pos, in_len;
        z_stream zs;
        lzma_stream xs;
        struct lz4_reader *lz;
        unsigned char *buf;
        size_t cap, max;
        size_t rd, wr; /* buf[rd, wr) is decoded and not consumed */
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

int dz_open(struct dz **out, int fd, enum dz_kind kind, size_t max)
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
        z->max = max;
        z->cap = max + DZ_HIST < DZ_FIRST ? max + DZ_HIST : DZ_FIRST;
        z->buf = malloc(z->cap);
        if (!z->buf)
                goto nomem;
        if (kind == DZ_GZIP && inflateInit2(&z->zs, 15 + 32) != Z_OK)
                goto nomem;
        if (kind == DZ_XZ && lzma_stream_decoder(&z->xs, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
                goto nomem;
        if (kind == DZ_LZ4 && lz4_reader_new(&z->lz) < 0)
                goto nomem;
        *out = z;
        return 0;
nomem:
        dz_close(z);
        return -ENOMEM;
}

static ssize_t read_fd(int fd, void *buf, size_t size)
{
        ssize_t n;

        do
                n = read(fd, buf, size);
        while (n < 0 && errno == EINTR);
        return n < 0 ? -errno : n;
}

/* Refills the input buffer when empty. 0, or -errno. */
static int fill_in(struct dz *z)
{
        ssize_t n;

        if (z->in_pos < z->in_len || z->eof)
                return 0;
        n = read_fd(z->fd, z->in, sizeof(z->in));
        if (n < 0)
                return (int)n;
        z->in_pos = 0;
        z->in_len = (size_t)n;
        z->eof = n == 0;
        return 0;
}

/* Each read_KIND fills out[0, size) unless the data ends first: the count,
 * 0 at the end, or -errno. */
static ssize_t read_plain(struct dz *z, unsigned char *out, size_t size)
{
        size_t got = 0;

        while (got < size && !z->eof) {
                ssize_t n = read_fd(z->fd, out + got, size - got);
                if (n < 0)
                        return n;
                z->eof = n == 0;
                got += (size_t)n;
        }
        return (ssize_t)got;
}

static ssize_t read_gzip(struct dz *z, unsigned char *out, size_t size)
{
        z->zs.next_out = out;
        z->zs.avail_out = (uInt)size;
        while (z->zs.avail_out > 0) {
                int rc = fill_in(z);
                if (rc < 0)
                        return rc;
                if (z->in_pos == z->in_len) {
                        if (z->zs.avail_out < size)
                                break;
                        return z->in_frame ? -EBADMSG : 0;
                }
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

static ssize_t read_xz(struct dz *z, unsigned char *out, size_t size)
{
        z->xs.next_out = out;
        z->xs.avail_out = size;
        while (z->xs.avail_out > 0 && !z->done) {
                int rc = fill_in(z);
                if (rc < 0)
                        return rc;
                size_t before = z->xs.avail_out;
                z->xs.next_in = z->in + z->in_pos;
                z->xs.avail_in = z->in_len - z->in_pos;
                lzma_ret r = lzma_code(&z->xs, z->eof ? LZMA_FINISH : LZMA_RUN);
                z->in_pos = z->in_len - z->xs.avail_in;
                if (r == LZMA_STREAM_END)
                        z->done = true;
                else if (r != LZMA_OK && !(r == LZMA_BUF_ERROR && !z->eof))
                        return -EBADMSG;
                else if (z->eof && z->xs.avail_out == before)
                        break; /* LZMA_FINISH made no progress: truncated */
        }
        if (z->xs.avail_out == size && !z->done)
                return -EBADMSG;
        return (ssize_t)(size - z->xs.avail_out);
}

static ssize_t read_lz4(struct dz *z, unsigned char *out, size_t size)
{
        size_t got = 0;

        while (got < size) {
                int rc = fill_in(z);
                if (rc < 0)
                        return rc;
                size_t used = z->in_len - z->in_pos;
                ssize_t n =
                    lz4_reader_decode(z->lz, z->in + z->in_pos, &used, out + got, size - got);
                if (n < 0)
                        return n;
                z->in_pos += used;
                got += (size_t)n;
                if (n == 0 && used == 0 && z->in_pos < z->in_len)
                        return -EBADMSG; /* no progress: never from a sound reader */
                if (n == 0 && z->in_pos == z->in_len && z->eof) {
                        if (got == 0 && !lz4_reader_at_end(z->lz))
                                return -EBADMSG;
                        break;
                }
        }
        return (ssize_t)got;
}

/* Room after buf[wr]: what is consumed goes, but for the lz4 output its
 * matches may still reach; the buffer grows while that is not enough. */
static int make_room(struct dz *z)
{
        size_t keep = z->rd;

        if (z->wr - z->rd >= z->max)
                return -ENOBUFS;
        if (z->wr < z->cap)
                return 0;
        if (z->kind == DZ_LZ4 && z->wr - keep < DZ_HIST)
                keep = z->wr > DZ_HIST ? z->wr - DZ_HIST : 0;
        if (keep > 0) {
                memmove(z->buf, z->buf + keep, z->wr - keep);
                z->rd -= keep;
                z->wr -= keep;
        }
        if (z->wr < z->cap)
                return 0;
        size_t cap = z->cap * 2 < z->max + DZ_HIST ? z->cap * 2 : z->max + DZ_HIST;
        unsigned char *b = realloc(z->buf, cap);
        if (!b)
                return -ENOMEM;
        z->buf = b;
        z->cap = cap;
        return 0;
}

int dz_fill(struct dz *z, const char **data, size_t *len)
{
        unsigned char *out;
        size_t size;
        ssize_t n;
        int rc = make_room(z);

        *data = (const char *)z->buf + z->rd;
        *len = z->wr - z->rd;
        if (rc < 0)
                return rc;
        out = z->buf + z->wr;
        size = z->cap - z->wr;
        if (size > z->max - (z->wr - z->rd))
                size = z->max - (z->wr - z->rd);
        switch (z->kind) {
        case DZ_GZIP:
                n = read_gzip(z, out, size);
                break;
        case DZ_XZ:
                n = read_xz(z, out, size);
                break;
        case DZ_LZ4:
                n = read_lz4(z, out, size);
                break;
        default:
                n = read_plain(z, out, size);
                break;
        }
        if (n < 0)
                return (int)n;
        z->wr += (size_t)n;
        *data = (const char *)z->buf + z->rd;
        *len = z->wr - z->rd;
        return n > 0;
}

void dz_consume(struct dz *z, size_t n)
{
        z->rd += n < z->wr - z->rd ? n : z->wr - z->rd;
}

ssize_t dz_read(struct dz *z, void *buf, size_t size)
{
        const char *data;
        size_t len = z->wr - z->rd;
        int rc;

        if (len == 0 && (rc = dz_fill(z, &data, &len)) <= 0)
                return rc;
        if (len > size)
                len = size;
        memcpy(buf, z->buf + z->rd, len);
        z->rd += len;
        return (ssize_t)len;
}

void dz_close(struct dz *z)
{
        if (!z)
                return;
        if (z->kind == DZ_GZIP)
                inflateEnd(&z->zs);
        if (z->kind == DZ_XZ)
                lzma_end(&z->xs);
        lz4_reader_free(z->lz);
        if (z->fd >= 0)
                close(z->fd);
        free(z->buf);
        free(z);
}
