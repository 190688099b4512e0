/* fuzz_lz4.c - the lz4 frame reader. Any bytes, cut in any pieces, decode
 * or fail without reading or writing out of bounds; and what liblz4 encodes
 * with any block size and mode decodes, through the stream reader the patch
 * check uses, to the bytes it was given. */
#include <fcntl.h>
#include <lz4frame.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decompress.h"
#include "lz4_reader.h"

#define MAX_OUT (4u << 20)

static uint32_t next(uint32_t *x)
{
        *x = *x * 1103515245u + 12345u;
        return *x >> 8;
}

static const LZ4F_blockSizeID_t ids[] = { LZ4F_max64KB, LZ4F_max256KB, LZ4F_max1MB, LZ4F_max4MB };

static void prefs_of(LZ4F_preferences_t *prefs, uint8_t flags, size_t len)
{
        memset(prefs, 0, sizeof(*prefs));
        prefs->frameInfo.blockSizeID = ids[flags & 3];
        prefs->frameInfo.blockMode = flags & 4 ? LZ4F_blockIndependent : LZ4F_blockLinked;
        prefs->frameInfo.contentChecksumFlag = flags & 8 ? LZ4F_contentChecksumEnabled : 0;
        prefs->frameInfo.blockChecksumFlag = flags & 16 ? LZ4F_blockChecksumEnabled : 0;
        prefs->frameInfo.contentSize = flags & 32 ? len : 0;
        prefs->compressionLevel = flags & 64 ? 9 : 0;
}

/* The input as a stream of frames, fed in pieces of 1 to 64 bytes, into
 * output pieces of 1 to 4 KiB that follow each other in one buffer. Unless
 * its first byte has the high bit set, a sound frame header (whose checksum
 * a mutation would rarely get right) comes first, the bytes after as blocks. */
static void decode_raw(const uint8_t *data, size_t size)
{
        struct lz4_reader *r;
        uint8_t head[LZ4F_HEADER_SIZE_MAX], *in, *out = malloc(MAX_OUT);
        size_t hlen = 0, pos = 0, len = 0;
        uint32_t x = (uint32_t)size;

        if (size > 0 && !(data[0] & 0x80)) {
                LZ4F_cctx *c;
                LZ4F_preferences_t prefs;
                prefs_of(&prefs, data[0], 0);
                if (LZ4F_isError(LZ4F_createCompressionContext(&c, LZ4F_VERSION)))
                        abort();
                hlen = LZ4F_compressBegin(c, head, sizeof(head), &prefs);
                LZ4F_freeCompressionContext(c);
                if (LZ4F_isError(hlen))
                        abort();
                data++;
                size--;
        }
        in = malloc(hlen + size + 1);
        if (!in || !out || lz4_reader_new(&r) < 0)
                abort();
        memcpy(in, head, hlen);
        memcpy(in + hlen, data, size);
        size += hlen;
        while (len < MAX_OUT) {
                size_t piece = 1 + next(&x) % 64, room = 1 + next(&x) % 4096;
                if (piece > size - pos)
                        piece = size - pos;
                if (room > MAX_OUT - len)
                        room = MAX_OUT - len;
                /* Exact-size copies so that ASan sees any overread. */
                uint8_t *chunk = malloc(piece ? piece : 1);
                if (!chunk)
                        abort();
                memcpy(chunk, in + pos, piece);
                size_t used = piece;
                ssize_t n = lz4_reader_decode(r, chunk, &used, out + len, room);
                free(chunk);
                if (n < 0)
                        break;
                if (used > piece || (size_t)n > room || (n == 0 && used == 0 && piece > 0))
                        abort();
                pos += used;
                len += (size_t)n;
                if (n == 0 && used == 0 && pos == size)
                        break;
        }
        lz4_reader_free(r);
        free(out);
        free(in);
}

/* Plain text from the input: its bytes repeated with changes, so that
 * matches reach near and far and the text outgrows the reader's buffer. */
static uint8_t *plain_text(const uint8_t *data, size_t size, unsigned copies, size_t *len)
{
        uint8_t *t = malloc(size * copies + 1);

        if (!t)
                abort();
        for (unsigned c = 0; c < copies; c++) {
                memcpy(t + c * size, data, size);
                if (size)
                        t[c * size + c % size] ^= (uint8_t)c;
        }
        *len = size * copies;
        return t;
}

static void roundtrip(const uint8_t *data, size_t size)
{
        LZ4F_preferences_t prefs;
        uint8_t flags = data[0];
        unsigned copies = 1 + data[1] % 64;
        size_t len, plen, seen = 0;
        uint8_t *text = plain_text(data + 2, size - 2, copies, &len);
        char path[] = "/tmp/hygie-fuzz-lz4-XXXXXX";
        uint32_t x = flags;
        struct dz *z;
        const char *got;
        size_t n;
        int rc, fd;

        prefs_of(&prefs, flags, len);
        size_t cap = LZ4F_compressFrameBound(len, &prefs);
        char *packed = malloc(cap);
        if (!packed)
                abort();
        plen = LZ4F_compressFrame(packed, cap, text, len, &prefs);
        if (LZ4F_isError(plen))
                abort();
        fd = mkstemp(path);
        if (fd < 0 || write(fd, packed, plen) != (ssize_t)plen || lseek(fd, 0, SEEK_SET) != 0)
                abort();
        unlink(path);
        free(packed);
        /* A small maximum, consumed unevenly: the buffer moves and grows. */
        if (dz_open(&z, fd, DZ_LZ4, 200000) < 0)
                abort();
        while ((rc = dz_fill(z, &got, &n)) >= 0) {
                size_t take = rc == 0 || next(&x) % 2 ? n : n / 3;
                if (seen + take > len || memcmp(got, text + seen, take) != 0)
                        abort();
                seen += take;
                dz_consume(z, take);
                if (rc == 0)
                        break;
        }
        if (rc < 0 || seen != len)
                abort();
        dz_close(z);
        free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        decode_raw(data, size);
        if (size >= 2)
                roundtrip(data, size);
        return 0;
}
