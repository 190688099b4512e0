/* util.c - time stamps, identifiers and UTF-8 text. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#ifdef _WIN32
#define timegm _mkgmtime /* the same, in the Microsoft C runtime */
#endif

const char *util_iso8601(time_t t, char *buf, size_t size)
{
        struct tm tm;

        /* A file time from the root may be past any year an int holds. */
        if (!gmtime_r(&t, &tm)) {
                snprintf(buf, size, "?");
                return buf;
        }
        strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
        return buf;
}

int util_parse_date(const char *s, time_t *out)
{
        struct tm tm = { 0 };
        int y, m, d, n = 0;

        if (!s || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 || s[10])
                return -EINVAL;
        if (y < 1970 || m < 1 || m > 12 || d < 1 || d > 31)
                return -EINVAL;
        tm.tm_year = y - 1900;
        tm.tm_mon = m - 1;
        tm.tm_mday = d;
        *out = timegm(&tm);
        /* A day the month does not have (February 30) is refused, not moved
         * into the next month. */
        return tm.tm_mon == m - 1 && tm.tm_mday == d ? 0 : -EINVAL;
}

int util_parse_iso8601(const char *s, time_t *out)
{
        char date[11], end;
        unsigned h, m, sec;

        if (!s || strlen(s) != 20 || s[10] != 'T' ||
            sscanf(s + 11, "%2u:%2u:%2uZ%c", &h, &m, &sec, &end) != 3 || s[19] != 'Z' || h > 23 ||
            m > 59 || sec > 60)
                return -EINVAL;
        memcpy(date, s, 10);
        date[10] = '\0';
        if (util_parse_date(date, out) < 0)
                return -EINVAL;
        *out += (time_t)h * 3600 + (time_t)m * 60 + sec;
        return 0;
}

int util_uuid4(char *buf, size_t size)
{
        unsigned char b[16];

        if (size < 37)
                return -ENOSPC;
        int rc = util_random(b, sizeof(b));

        if (rc < 0)
                return rc;
        b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
        b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
        snprintf(buf, size, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
                 b[13], b[14], b[15]);
        return 0;
}

long util_days_between(time_t a, time_t b)
{
        double d = difftime(b, a) / 86400.0;

        return d >= 0 ? (long)d : -(long)(-d + 0.999999);
}

size_t util_utf8_char(const unsigned char *s, size_t n)
{
        unsigned char c = s[0], lo = 0x80, hi = 0xbf;
        size_t len;

        if (c < 0x80)
                return 1;
        if (c >= 0xc2 && c <= 0xdf)
                len = 2;
        else if (c >= 0xe0 && c <= 0xef)
                len = 3;
        else if (c >= 0xf0 && c <= 0xf4)
                len = 4;
        else
                return 0;
        /* The second byte's range rules out overlong forms, surrogates and
         * code points past U+10FFFF. */
        if (c == 0xe0)
                lo = 0xa0;
        else if (c == 0xed)
                hi = 0x9f;
        else if (c == 0xf0)
                lo = 0x90;
        else if (c == 0xf4)
                hi = 0x8f;
        if (n < len || s[1] < lo || s[1] > hi)
                return 0;
        for (size_t i = 2; i < len; i++)
                if (s[i] < 0x80 || s[i] > 0xbf)
                        return 0;
        return len;
}

bool util_utf8_ok(const char *s, size_t n)
{
        const unsigned char *p = (const unsigned char *)s;

        for (size_t i = 0, k; i < n; i += k)
                if (p[i] == 0 || !(k = util_utf8_char(p + i, n - i)))
                        return false;
        return true;
}

bool util_line_ok(const char *s, size_t n, size_t max)
{
        if (n > max)
                return false;
        for (size_t i = 0; i < n; i++)
                if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
                        return false;
        return util_utf8_ok(s, n);
}

void util_utf8_trim(char *s)
{
        size_t n = strlen(s), lead = n;

        /* Back over continuation bytes to the last lead byte, at most 3. */
        while (lead > 0 && n - lead < 4 && ((unsigned char)s[lead - 1] & 0xc0) == 0x80)
                lead--;
        if (lead > 0 && (unsigned char)s[lead - 1] >= 0xc0 &&
            util_utf8_char((const unsigned char *)s + lead - 1, n - lead + 1) == 0)
                s[lead - 1] = '\0';
}

char *util_text_clean(const char *src, char *dst, size_t size)
{
        static const char replacement[] = "\xef\xbf\xbd";
        const unsigned char *s = (const unsigned char *)src;
        size_t n = strlen(src), o = 0;

        for (size_t i = 0, k; i < n; i += k) {
                const char *from = src + i;
                size_t len;

                k = util_utf8_char(s + i, n - i);
                len = k;
                if (k == 0 || s[i] < 0x20 || s[i] == 0x7f) {
                        from = replacement;
                        len = sizeof(replacement) - 1;
                        k = k ? k : 1;
                }
                if (o + len >= size)
                        break;
                memcpy(dst + o, from, len);
                o += len;
        }
        dst[o] = '\0';
        return dst;
}

char *util_strndup(const char *s, size_t n)
{
        char *d = malloc(n + 1);

        if (d) {
                memcpy(d, s, n);
                d[n] = '\0';
        }
        return d;
}
