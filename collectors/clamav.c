/* clamav.c - ClamAV database header and configuration parsing, bounded. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clamav.h"

#define FIELDS 9

/* "16 Nov 2023 08-22 -0400" to a UTC time. */
static int parse_built(const char *s, time_t *out)
{
        static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
        struct tm tm = { 0 };
        char mon[4], sign;
        int day, year, hh, mm, off, n = 0;
        const char *m;

        if (sscanf(s, "%2d %3s %4d %2d-%2d %c%4d%n", &day, mon, &year, &hh, &mm, &sign, &off, &n) !=
                7 ||
            s[n] || strlen(mon) != 3)
                return -EINVAL;
        m = strstr(months, mon);
        if (!m || (m - months) % 3 || day < 1 || day > 31 || year < 1990 || year > 9999 ||
            hh > 23 || mm > 59 || hh < 0 || mm < 0 || (sign != '+' && sign != '-') || off < 0 ||
            off > 1400 || off % 100 > 59)
                return -EINVAL;
        tm.tm_year = year - 1900;
        tm.tm_mon = (int)((m - months) / 3);
        tm.tm_mday = day;
        tm.tm_hour = hh;
        tm.tm_min = mm;
        *out = timegm(&tm) - (sign == '+' ? 1 : -1) * ((off / 100) * 3600 + (off % 100) * 60);
        return 0;
}

static int parse_long(const char *s, long max, long *out)
{
        char *end;

        if (*s < '0' || *s > '9')
                return -EINVAL;
        errno = 0;
        *out = strtol(s, &end, 10);
        return errno || *end || *out > max ? -EINVAL : 0;
}

int clamav_header_parse(const char *buf, size_t len, struct clamav_header *h)
{
        char hdr[CLAMAV_HEADER_SIZE + 1], *f[FIELDS], *p;
        size_t n = 0;
        long stime;

        memset(h, 0, sizeof(*h));
        if (len > CLAMAV_HEADER_SIZE)
                len = CLAMAV_HEADER_SIZE;
        memcpy(hdr, buf, len);
        hdr[len] = '\0';
        if (strncmp(hdr, "ClamAV-VDB:", 11) != 0)
                return -EINVAL;
        /* The header is padded with spaces (or NULs, cut above) to 512 bytes. */
        for (size_t i = strlen(hdr); i > 0 && (hdr[i - 1] == ' ' || hdr[i - 1] == '\n');)
                hdr[--i] = '\0';
        for (p = hdr; n < FIELDS;) {
                f[n++] = p;
                p = strchr(p, ':');
                if (!p)
                        break;
                *p++ = '\0';
        }
        if (n < 8 || p) /* builder at least; no tenth field */
                return -EINVAL;
        if (parse_long(f[2], 1L << 40, &h->version) < 0 ||
            parse_long(f[3], 1L << 40, &h->sigs) < 0 || parse_long(f[4], 1L << 20, &h->flevel) < 0)
                return -EINVAL;
        snprintf(h->builder, sizeof(h->builder), "%s", f[7]);
        h->has_built = parse_built(f[1], &h->built) == 0;
        if (n == FIELDS && parse_long(f[8], 1L << 40, &stime) == 0) {
                h->has_stime = true;
                h->stime = (time_t)stime;
        }
        return h->has_built || h->has_stime ? 0 : -EINVAL;
}

int clamav_conf_get(const char *text, const char *key, unsigned index, char *buf, size_t size)
{
        size_t klen = strlen(key);

        for (const char *p = text; *p;) {
                size_t len = strcspn(p, "\n");
                const char *l = p, *v;

                p += len;
                if (*p)
                        p++;
                while (len && (*l == ' ' || *l == '\t')) {
                        l++;
                        len--;
                }
                if (len <= klen || memcmp(l, key, klen) != 0 || (l[klen] != ' ' && l[klen] != '\t'))
                        continue;
                v = l + klen;
                len -= klen;
                while (len && (*v == ' ' || *v == '\t')) {
                        v++;
                        len--;
                }
                while (len && (v[len - 1] == ' ' || v[len - 1] == '\t' || v[len - 1] == '\r'))
                        len--;
                if (len >= 2 && (v[0] == '"' || v[0] == '\'') && v[len - 1] == v[0]) {
                        v++;
                        len -= 2;
                }
                if (!len || index-- > 0)
                        continue;
                if (len >= size)
                        len = size - 1;
                memcpy(buf, v, len);
                buf[len] = '\0';
                return 0;
        }
        return -ENOENT;
}
