/* lz4_reader.c - lz4 frames decoded as a stream, in no more memory than
 * the 64 KiB a match reaches back.
 *
 * liblz4 decodes a block whole, so its frame decoder holds buffers of the
 * frame's block size (up to 4 MiB, for output and for input); apt's lists
 * and lz4(1)'s output use any size. Here a block is decoded sequence by
 * sequence straight into the caller's buffer, whose last 64 KiB of output
 * serve as history: memory is the same for every block size.
 * Formats: lz4's doc/lz4_Frame_format.md and doc/lz4_Block_format.md. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define XXH_STATIC_LINKING_ONLY /* XXH32_state_t held in the reader */
#include <xxhash.h>

#include "lz4_reader.h"

#define HIST     (64u << 10) /* how far back a match reaches: offsets are 16 bits */
#define MAGIC    0x184D2204u
#define SKIP     0x184D2A50u /* skippable frames: 0x184D2A50 to 0x184D2A5F */
#define MINMATCH 4u

enum stage {
        ST_MAGIC,
        ST_HEADER,
        ST_SKIP_SIZE,
        ST_SKIP,
        ST_BLOCK_SIZE,
        ST_BLOCK,
        ST_RAW,
        ST_BLOCK_SUM,
        ST_CONTENT_SUM,
};

enum seq { SQ_TOKEN, SQ_LITLEN, SQ_LIT, SQ_OFF, SQ_MATCHLEN, SQ_MATCH };

struct lz4_reader {
        enum stage stage;
        enum seq seq;
        unsigned char field[16]; /* a magic, header, size or checksum being gathered */
        size_t flen, fneed;
        bool indep, block_sum, content_sum, has_size;
        uint64_t content_size, produced;
        size_t block_max, block_out;
        size_t left;       /* of the block, raw block or skippable frame */
        size_t lit, match; /* literal and match bytes still to copy */
        unsigned token, off, off_bytes;
        uint64_t back;            /* output a match may reach: since the frame or block began */
        XXH32_state_t bsum, csum; /* the format's checksums: xxHash-32, seed 0 */
};

static uint32_t le32(const unsigned char *p)
{
        return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static size_t min_size(size_t a, size_t b)
{
        return a < b ? a : b;
}

/* Gathers the bytes of a field that input may split: true once complete. */
static bool gather(struct lz4_reader *r, const unsigned char **ip, const unsigned char *iend)
{
        size_t n = min_size(r->fneed - r->flen, (size_t)(iend - *ip));

        memcpy(r->field + r->flen, *ip, n);
        r->flen += n;
        *ip += n;
        return r->flen == r->fneed;
}

static void expect(struct lz4_reader *r, enum stage stage, size_t n)
{
        r->stage = stage;
        r->flen = 0;
        r->fneed = n;
}

int lz4_reader_new(struct lz4_reader **out)
{
        struct lz4_reader *r = calloc(1, sizeof(*r));

        *out = r;
        if (!r)
                return -ENOMEM;
        expect(r, ST_MAGIC, 4);
        return 0;
}

void lz4_reader_free(struct lz4_reader *r)
{
        free(r);
}

bool lz4_reader_at_end(const struct lz4_reader *r)
{
        return r->stage == ST_MAGIC && r->flen == 0;
}

/* The frame descriptor once FLG and BD are in: how long it is, then its
 * fields. 0, or -EBADMSG. */
static int header(struct lz4_reader *r)
{
        unsigned flg = r->field[0], bd = r->field[1];

        if (r->fneed == 2) {
                if (flg >> 6 != 1 || flg & 0x02 || bd & 0x8F || (bd >> 4 & 7) < 4)
                        return -EBADMSG;
                r->fneed = 3 + (flg & 0x08 ? 8 : 0) + (flg & 0x01 ? 4 : 0);
                return 0;
        }
        if ((XXH32(r->field, r->fneed - 1, 0) >> 8 & 0xFF) != r->field[r->fneed - 1])
                return -EBADMSG;
        r->indep = flg & 0x20;
        r->block_sum = flg & 0x10;
        r->has_size = flg & 0x08;
        r->content_sum = flg & 0x04;
        r->content_size = r->has_size ? le32(r->field + 2) | (uint64_t)le32(r->field + 6) << 32 : 0;
        r->block_max = (size_t)1 << (8 + 2 * (bd >> 4 & 7));
        r->produced = 0;
        r->back = 0;
        XXH32_reset(&r->csum, 0);
        expect(r, ST_BLOCK_SIZE, 4);
        return 0;
}

static int end_frame(struct lz4_reader *r)
{
        if (r->has_size && r->produced != r->content_size)
                return -EBADMSG;
        expect(r, ST_MAGIC, 4);
        return 0;
}

static int block_size(struct lz4_reader *r)
{
        uint32_t v = le32(r->field);
        size_t size = v & 0x7FFFFFFFu;

        if (v == 0) {
                if (r->content_sum) {
                        expect(r, ST_CONTENT_SUM, 4);
                        return 0;
                }
                return end_frame(r);
        }
        if (size > r->block_max)
                return -EBADMSG;
        r->left = size;
        r->block_out = 0;
        r->lit = r->match = 0;
        r->seq = SQ_TOKEN;
        r->off_bytes = 0;
        if (r->indep)
                r->back = 0;
        if (r->block_sum)
                XXH32_reset(&r->bsum, 0);
        r->stage = v >> 31 ? ST_RAW : ST_BLOCK;
        return 0;
}

static void end_block(struct lz4_reader *r)
{
        if (r->block_sum)
                expect(r, ST_BLOCK_SUM, 4);
        else
                expect(r, ST_BLOCK_SIZE, 4);
}

/* Copies n bytes in 32-byte steps, writing up to 31 bytes past dst + n and
 * reading as far past src + n; when src is before dst, at least 16 bytes. */
static inline void copy32(unsigned char *dst, const unsigned char *src, size_t n)
{
        unsigned char *end = dst + n;

        do {
                memcpy(dst, src, 16);
                memcpy(dst + 16, src + 16, 16);
                dst += 32;
                src += 32;
        } while (dst < end);
}

/* Copies a match of n bytes from off bytes back, byte by byte where they
 * overlap. */
static void copy_match(unsigned char *op, size_t off, size_t n)
{
        const unsigned char *m = op - off;

        if (off >= n) {
                memcpy(op, m, n);
                return;
        }
        for (size_t i = 0; i < n; i++)
                op[i] = m[i];
}

/* Sequences of a compressed block from [*ip, iend) (all of it the block's)
 * to *op, until input runs out, oend is reached, or an error. The common
 * case goes through the fast loop; a sequence that input or room cuts goes
 * through the states one field at a time. */
static int sequences(struct lz4_reader *r, const unsigned char **pip, const unsigned char *iend,
                     unsigned char **pop, unsigned char *oend)
{
        const unsigned char *ip = *pip;
        unsigned char *op = *pop, *const op0 = op;
        const unsigned char *lo = op - (r->back < HIST ? r->back : HIST);
        size_t room = r->block_max - r->block_out;
        bool capped = false;
        int rc = 0;

        if ((size_t)(oend - op) > room) {
                oend = op + room;
                capped = true;
        }
        for (;;) {
                switch (r->seq) {
                case SQ_TOKEN:
                        /* At least 32 bytes of input and 64 of room: a short
                         * sequence (under 15 literals, a match under 19) is
                         * copied 16 bytes at a time without further checks. */
                        while (iend - ip >= 32 && oend - op >= 64) {
                                const unsigned char *start = ip;
                                unsigned token = *ip++, b;
                                size_t ll = token >> 4, ml = token & 15, off;
                                if (ll < 15) {
                                        memcpy(op, ip, 16);
                                } else {
                                        do {
                                                if (iend - ip < 16)
                                                        goto cut;
                                                b = *ip++;
                                                ll += b;
                                        } while (b == 255);
                                        if (ll > (size_t)(iend - ip) ||
                                            ll + 32 > (size_t)(oend - op))
                                                goto cut;
                                        if (ll + 32 <= (size_t)(iend - ip))
                                                copy32(op, ip, ll);
                                        else
                                                memcpy(op, ip, ll);
                                }
                                op += ll;
                                ip += ll;
                                if (iend - ip < 2) {
                                        r->token = token;
                                        r->seq = SQ_OFF;
                                        r->off_bytes = 0;
                                        goto next;
                                }
                                off = ip[0] | (size_t)ip[1] << 8;
                                ip += 2;
                                if (off == 0 || (size_t)(op - lo) < off) {
                                        rc = -EBADMSG;
                                        goto out;
                                }
                                if (ml < 15 && off >= 16) {
                                        memcpy(op, op - off, 16);
                                        if (ml > 12)
                                                memcpy(op + 16, op + 16 - off, 2);
                                        op += ml + MINMATCH;
                                        continue;
                                }
                                r->off = (unsigned)off;
                                if (ml == 15)
                                        do {
                                                if (ip == iend) {
                                                        r->match = ml;
                                                        r->seq = SQ_MATCHLEN;
                                                        goto next;
                                                }
                                                b = *ip++;
                                                ml += b;
                                        } while (b == 255);
                                ml += MINMATCH;
                                if (ml + 32 > (size_t)(oend - op)) {
                                        r->match = ml;
                                        r->seq = SQ_MATCH;
                                        goto next;
                                }
                                if (off >= 16)
                                        copy32(op, op - off, ml);
                                else
                                        copy_match(op, off, ml);
                                op += ml;
                                continue;
                        cut:
                                ip = start;
                                break;
                        }
                        if (ip == iend)
                                goto out;
                        r->token = *ip++;
                        r->lit = r->token >> 4;
                        r->seq = r->lit == 15 ? SQ_LITLEN : SQ_LIT;
                        break;
                case SQ_LITLEN:
                        while (ip < iend && r->seq == SQ_LITLEN) {
                                unsigned b = *ip++;
                                r->lit += b;
                                if (b != 255)
                                        r->seq = SQ_LIT;
                        }
                        if (r->seq == SQ_LITLEN)
                                goto out;
                        break;
                case SQ_LIT: {
                        size_t n =
                            min_size(r->lit, min_size((size_t)(iend - ip), (size_t)(oend - op)));
                        memcpy(op, ip, n);
                        op += n;
                        ip += n;
                        r->lit -= n;
                        if (r->lit)
                                goto out;
                        r->seq = SQ_OFF;
                        r->off_bytes = 0;
                        break;
                }
                case SQ_OFF:
                        /* The block may end here, after its last literals. */
                        if (ip == iend)
                                goto out;
                        if (r->off_bytes == 0) {
                                r->off = *ip++;
                                r->off_bytes = 1;
                                if (ip == iend)
                                        goto out;
                        }
                        r->off |= (unsigned)*ip++ << 8;
                        r->off_bytes = 0;
                        if (r->off == 0) {
                                rc = -EBADMSG;
                                goto out;
                        }
                        r->match = r->token & 15;
                        if (r->match == 15) {
                                r->seq = SQ_MATCHLEN;
                        } else {
                                r->match += MINMATCH;
                                r->seq = SQ_MATCH;
                        }
                        break;
                case SQ_MATCHLEN:
                        while (ip < iend && r->seq == SQ_MATCHLEN) {
                                unsigned b = *ip++;
                                r->match += b;
                                if (b != 255) {
                                        r->match += MINMATCH;
                                        r->seq = SQ_MATCH;
                                }
                        }
                        if (r->seq == SQ_MATCHLEN)
                                goto out;
                        break;
                case SQ_MATCH: {
                        if ((size_t)(op - lo) < r->off) {
                                rc = -EBADMSG;
                                goto out;
                        }
                        size_t n = min_size(r->match, (size_t)(oend - op));
                        copy_match(op, r->off, n);
                        op += n;
                        r->match -= n;
                        if (r->match)
                                goto out;
                        r->seq = SQ_TOKEN;
                        break;
                }
                }
        next:;
        }
out:
        /* Output wanted past the block's declared maximum size. */
        if (!rc && capped && op == oend && (r->lit || (r->seq == SQ_MATCH && r->match)))
                rc = -EBADMSG;
        r->block_out += (size_t)(op - op0);
        *pip = ip;
        *pop = op;
        return rc;
}

/* A match cut short by the end of the output goes on without input. */
static bool pending(const struct lz4_reader *r)
{
        return r->stage == ST_BLOCK && r->seq == SQ_MATCH && r->match;
}

/* Consumes what input it can toward the next output. 0 or -EBADMSG. */
static int step(struct lz4_reader *r, const unsigned char **ip, const unsigned char *iend,
                unsigned char **op, unsigned char *oend)
{
        unsigned char *o0 = *op;
        const unsigned char *i0 = *ip;
        int rc = 0;

        switch (r->stage) {
        case ST_MAGIC:
                if (!gather(r, ip, iend))
                        break;
                if (le32(r->field) == MAGIC)
                        expect(r, ST_HEADER, 2);
                else if ((le32(r->field) & 0xFFFFFFF0u) == SKIP)
                        expect(r, ST_SKIP_SIZE, 4);
                else
                        rc = -EBADMSG;
                break;
        case ST_HEADER:
                if (gather(r, ip, iend))
                        rc = header(r);
                break;
        case ST_SKIP_SIZE:
                if (gather(r, ip, iend)) {
                        r->left = le32(r->field);
                        r->stage = ST_SKIP;
                }
                break;
        case ST_SKIP: {
                size_t n = min_size(r->left, (size_t)(iend - *ip));
                *ip += n;
                r->left -= n;
                if (r->left == 0)
                        expect(r, ST_MAGIC, 4);
                break;
        }
        case ST_BLOCK_SIZE:
                if (gather(r, ip, iend))
                        rc = block_size(r);
                break;
        case ST_BLOCK: {
                const unsigned char *end = *ip + min_size(r->left, (size_t)(iend - *ip));
                rc = sequences(r, ip, end, op, oend);
                if (r->block_sum)
                        XXH32_update(&r->bsum, i0, (size_t)(*ip - i0));
                r->left -= (size_t)(*ip - i0);
                if (!rc && r->left == 0 && !pending(r)) {
                        if (r->seq != SQ_OFF || r->off_bytes)
                                rc = -EBADMSG; /* a block ends after its last literals */
                        else
                                end_block(r);
                }
                break;
        }
        case ST_RAW: {
                size_t n = min_size(r->left, min_size((size_t)(iend - *ip), (size_t)(oend - *op)));
                memcpy(*op, *ip, n);
                if (r->block_sum)
                        XXH32_update(&r->bsum, *ip, n);
                *op += n;
                *ip += n;
                r->left -= n;
                if (r->left == 0)
                        end_block(r);
                break;
        }
        case ST_BLOCK_SUM:
                if (gather(r, ip, iend)) {
                        if (le32(r->field) != XXH32_digest(&r->bsum))
                                rc = -EBADMSG;
                        expect(r, ST_BLOCK_SIZE, 4);
                }
                break;
        case ST_CONTENT_SUM:
                if (gather(r, ip, iend)) {
                        if (le32(r->field) != XXH32_digest(&r->csum))
                                rc = -EBADMSG;
                        else
                                rc = end_frame(r);
                }
                break;
        }
        if (*op > o0) {
                size_t n = (size_t)(*op - o0);
                if (r->content_sum)
                        XXH32_update(&r->csum, o0, n);
                r->produced += n;
                r->back += n;
        }
        return rc;
}

ssize_t lz4_reader_decode(struct lz4_reader *r, const void *in, size_t *in_len, void *out,
                          size_t out_len)
{
        const unsigned char *ip = in, *iend = ip + *in_len;
        unsigned char *op = out, *oend = op + out_len;

        while (op < oend && (ip < iend || pending(r))) {
                int rc = step(r, &ip, iend, &op, oend);
                if (rc < 0)
                        return rc;
        }
        *in_len = (size_t)(ip - (const unsigned char *)in);
        return op - (unsigned char *)out;
}
