/* util.c - time stamps and identifiers. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "util.h"

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
        return 0;
}

int util_uuid4(char *buf, size_t size)
{
        unsigned char b[16];

        if (size < 37)
                return -ENOSPC;
        if (getrandom(b, sizeof(b), 0) != sizeof(b))
                return -errno;
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
