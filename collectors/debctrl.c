/* debctrl.c - a zero-copy reader of deb822 stanzas.
 *
 * Only the first line of a value is returned: every field the patch
 * collector needs is single-line. Lines are found with memchr; nothing is
 * allocated, so apt's 50 MB lists are walked at memory speed. */
#include <errno.h>
#include <stdint.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <string.h>
#include <strings.h>

#include "debctrl.h"

void debctrl_init(struct debctrl *d, const char *buf, size_t len, unsigned first_line)
{
        d->p = buf;
        d->end = buf + len;
        d->line = first_line;
}

/* End of the line at p (the '\n' or d->end). */
static const char *eol(const struct debctrl *d, const char *p)
{
        const char *q = memchr(p, '\n', (size_t)(d->end - p));

        return q ? q : d->end;
}

static bool blank(const char *p, const char *e)
{
        for (; p < e; p++)
                if (*p != ' ' && *p != '\t' && *p != '\r')
                        return false;
        return true;
}

static void next_line(struct debctrl *d, const char *e)
{
        d->p = e < d->end ? e + 1 : d->end;
        d->line++;
}

bool debctrl_next_stanza(struct debctrl *d)
{
        while (d->p < d->end) {
                const char *e = eol(d, d->p);
                if (!blank(d->p, e) && *d->p != '#')
                        return true;
                next_line(d, e);
        }
        return false;
}

int debctrl_field(struct debctrl *d, struct debctrl_field *f)
{
        for (;;) {
                if (d->p >= d->end)
                        return 0;
                const char *s = d->p, *e = eol(d, s);
                if (blank(s, e)) {
                        next_line(d, e);
                        return 0;
                }
                if (*s == '#') {
                        next_line(d, e);
                        continue;
                }
                if (*s == ' ' || *s == '\t')
                        return -EINVAL; /* continuation with no field before it */
                const char *colon = memchr(s, ':', (size_t)(e - s));
                if (!colon || colon == s || e - s > (long)DEBCTRL_MAX_LINE)
                        return -EINVAL;
                for (const char *p = s; p < colon; p++)
                        if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 127)
                                return -EINVAL;
                const char *v = colon + 1, *ve = e;
                while (v < ve && (*v == ' ' || *v == '\t'))
                        v++;
                while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t' || ve[-1] == '\r'))
                        ve--;
                if (memchr(v, '\0', (size_t)(ve - v)))
                        return -EINVAL;
                f->name = s;
                f->nlen = (size_t)(colon - s);
                f->val = v;
                f->vlen = (size_t)(ve - v);
                f->line = d->line;
                next_line(d, e);
                /* Continuation lines belong to this field. */
                while (d->p < d->end && (*d->p == ' ' || *d->p == '\t')) {
                        e = eol(d, d->p);
                        if (blank(d->p, e))
                                break;
                        next_line(d, e);
                }
                return 1;
        }
}

#if !defined(__SSE2__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* High bit set in each byte of w that is '\n', exactly (no carries). */
static inline uint64_t newlines(uint64_t w)
{
        const uint64_t low7 = 0x7f7f7f7f7f7f7f7full;
        uint64_t x = w ^ 0x0a0a0a0a0a0a0a0aull;

        return ~(((x & low7) + low7) | x | low7);
}

/* How many bytes newlines() marked. */
static inline unsigned count(uint64_t marks)
{
        return (unsigned)(((marks >> 7) * 0x0101010101010101ull) >> 56);
}

#endif

/* Most of a list is stanzas of packages not installed: they are passed
 * over eight bytes at a time, looking for "\n\n" and counting lines. */
void debctrl_skip(struct debctrl *d)
{
        const char *p = d->p, *end = d->end;
        unsigned lines = 0;

        if (p < end && *p == '\n') {
                next_line(d, p);
                return;
        }
#if defined(__SSE2__)
        /* Sixteen bytes at a time; newlines are summed per byte lane and
         * folded before a lane can overflow. */
        const __m128i nl = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
        __m128i acc = zero;
        unsigned rounds = 0;
        while (end - p >= 17) {
                __m128i ea = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)p), nl);
                __m128i eb =
                    _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 1)), nl);
                unsigned both = (unsigned)_mm_movemask_epi8(_mm_and_si128(ea, eb));
                if (both || ++rounds == 255) {
                        __m128i sum = _mm_sad_epu8(acc, zero);
                        lines +=
                            (unsigned)_mm_cvtsi128_si32(sum) + (unsigned)_mm_extract_epi16(sum, 4);
                        acc = zero;
                        rounds = 0;
                }
                if (both) {
                        unsigned i = (unsigned)__builtin_ctz(both);
                        unsigned ma = (unsigned)_mm_movemask_epi8(ea);
                        unsigned upto = i >= 14 ? 0xffffu : (1u << (i + 2)) - 1;
                        lines += (unsigned)__builtin_popcount(ma & upto) + (i == 15);
                        d->p = p + i + 2;
                        d->line += lines;
                        return;
                }
                acc = _mm_sub_epi8(acc, ea);
                p += 16;
        }
        {
                __m128i sum = _mm_sad_epu8(acc, zero);
                lines += (unsigned)_mm_cvtsi128_si32(sum) + (unsigned)_mm_extract_epi16(sum, 4);
        }
#elif __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        while (end - p >= 9) {
                uint64_t a, b;
                memcpy(&a, p, 8);
                memcpy(&b, p + 1, 8);
                uint64_t na = newlines(a), both = na & newlines(b);
                if (both) {
                        /* Little-endian order: the lowest byte comes first. */
                        unsigned i = (unsigned)__builtin_ctzll(both) / 8;
                        uint64_t upto = i >= 6 ? ~0ull : (1ull << ((i + 2) * 8)) - 1;
                        lines += count(na & upto) + (i == 7);
                        d->p = p + i + 2;
                        d->line += lines;
                        return;
                }
                lines += count(na);
                p += 8;
        }
#endif
        for (; p < end; p++) {
                if (*p != '\n')
                        continue;
                lines++;
                if (p + 1 < end && p[1] == '\n') {
                        d->p = p + 2;
                        d->line += lines + 1;
                        return;
                }
        }
        d->p = end;
        d->line += lines;
}

bool debctrl_is(const struct debctrl_field *f, const char *name)
{
        return strlen(name) == f->nlen && strncasecmp(f->name, name, f->nlen) == 0;
}

size_t debctrl_complete(const char *buf, size_t len)
{
        while (len >= 2) {
                const char *q = memrchr(buf, '\n', len);
                if (!q)
                        return 0;
                if (q > buf && q[-1] == '\n')
                        return (size_t)(q - buf) + 1;
                len = (size_t)(q - buf);
        }
        return 0;
}
