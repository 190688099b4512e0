/* dpkg_version.c - the order of Debian versions (Debian policy 5.6.12).
 *
 * A version is [epoch:]upstream[-revision]. Epochs compare as numbers;
 * upstream and revision compare as alternating runs of non-digits (letters
 * sort before non-letters, '~' before everything, even the end of the
 * string) and digits (as numbers). */
#include <string.h>

#include "dpkg_version.h"

struct span {
        const char *p, *end;
};

static bool is_digit(char c)
{
        return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The weight of one character in a non-digit run; 0 is the end of the run. */
static int weight(const char *p, const char *end)
{
        if (p == end || is_digit(*p))
                return 0;
        if (*p == '~')
                return -1;
        if (is_alpha(*p))
                return (unsigned char)*p;
        return (unsigned char)*p + 256;
}

static int part_cmp(struct span a, struct span b)
{
        while (a.p < a.end || b.p < b.end) {
                while ((a.p < a.end && !is_digit(*a.p)) || (b.p < b.end && !is_digit(*b.p))) {
                        int wa = weight(a.p, a.end), wb = weight(b.p, b.end);
                        if (wa != wb)
                                return wa < wb ? -1 : 1;
                        if (a.p < a.end)
                                a.p++;
                        if (b.p < b.end)
                                b.p++;
                }
                while (a.p < a.end && *a.p == '0')
                        a.p++;
                while (b.p < b.end && *b.p == '0')
                        b.p++;
                /* Numbers of any length: the longer one is larger, else the
                 * first differing digit decides. */
                int first = 0;
                while (a.p < a.end && is_digit(*a.p) && b.p < b.end && is_digit(*b.p)) {
                        if (!first)
                                first = *a.p - *b.p;
                        a.p++;
                        b.p++;
                }
                if (a.p < a.end && is_digit(*a.p))
                        return 1;
                if (b.p < b.end && is_digit(*b.p))
                        return -1;
                if (first)
                        return first < 0 ? -1 : 1;
        }
        return 0;
}

static void split(const char *v, size_t len, struct span *epoch, struct span *up, struct span *rev)
{
        const char *end = v + len, *colon = memchr(v, ':', len), *dash = NULL;

        epoch->p = v;
        epoch->end = v;
        if (colon) {
                epoch->end = colon;
                v = colon + 1;
        }
        for (const char *p = v; p < end; p++)
                if (*p == '-')
                        dash = p;
        up->p = v;
        up->end = dash ? dash : end;
        rev->p = dash ? dash + 1 : end;
        rev->end = end;
}

/* Epochs are digit strings; compared as numbers without overflow. */
static int epoch_cmp(struct span a, struct span b)
{
        while (a.p < a.end && *a.p == '0')
                a.p++;
        while (b.p < b.end && *b.p == '0')
                b.p++;
        if (a.end - a.p != b.end - b.p)
                return a.end - a.p < b.end - b.p ? -1 : 1;
        int c = memcmp(a.p, b.p, (size_t)(a.end - a.p));
        return c < 0 ? -1 : c > 0;
}

int dpkg_version_cmpn(const char *a, size_t alen, const char *b, size_t blen)
{
        struct span ea, ua, ra, eb, ub, rb;
        int c;

        split(a, alen, &ea, &ua, &ra);
        split(b, blen, &eb, &ub, &rb);
        if ((c = epoch_cmp(ea, eb)))
                return c;
        if ((c = part_cmp(ua, ub)))
                return c;
        return part_cmp(ra, rb);
}

int dpkg_version_cmp(const char *a, const char *b)
{
        return dpkg_version_cmpn(a, strlen(a), b, strlen(b));
}

bool dpkg_version_valid(const char *v, size_t len)
{
        struct span e, u, r;

        if (len == 0 || len > 256)
                return false;
        split(v, len, &e, &u, &r);
        if (memchr(v, ':', len) && e.p == e.end)
                return false; /* ":1.0" */
        for (const char *p = e.p; p < e.end; p++)
                if (!is_digit(*p))
                        return false;
        if (u.p == u.end || !is_digit(*u.p))
                return false;
        for (const char *p = u.p; p < u.end; p++)
                if (!is_digit(*p) && !is_alpha(*p) && !strchr(".+~-:", *p))
                        return false;
        for (const char *p = r.p; p < r.end; p++)
                if (!is_digit(*p) && !is_alpha(*p) && !strchr(".+~", *p))
                        return false;
        if (r.p > u.end && r.p == r.end)
                return false; /* "1.0-" */
        return true;
}
