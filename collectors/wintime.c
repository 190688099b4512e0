/* wintime.c - FILETIME and Windows Update time strings to time_t. */
#include <string.h>

#include "util.h"
#include "wintime.h"

/* 100-ns ticks from 1601-01-01 to 1970-01-01. */
#define EPOCH_TICKS      116444736000000000ULL
#define TICKS_PER_SECOND 10000000ULL

bool filetime_to_time(unsigned long long ft, time_t *out)
{
        unsigned long long s;

        if (ft < EPOCH_TICKS)
                return false;
        s = (ft - EPOCH_TICKS) / TICKS_PER_SECOND;
        if (s >= (unsigned long long)WINTIME_MAX)
                return false;
        /* A 32-bit time_t ends in 2038. */
        if ((unsigned long long)(time_t)s != s)
                return false;
        *out = (time_t)s;
        return true;
}

bool filetime_from_le(const void *p, size_t n, unsigned long long *ft)
{
        const unsigned char *b = p;
        unsigned long long v = 0;

        if (n != 8)
                return false;
        for (int i = 7; i >= 0; i--)
                v = v << 8 | b[i];
        *ft = v;
        return true;
}

/* The number in s[0..n), all digits. -1 when not. */
static int digits(const char *s, size_t n)
{
        int v = 0;

        for (size_t i = 0; i < n; i++) {
                if (s[i] < '0' || s[i] > '9')
                        return -1;
                v = v * 10 + (s[i] - '0');
        }
        return v;
}

bool wintime_parse_wua(const char *s, time_t *out)
{
        char date[11];
        int h, m, sec;
        time_t day;

        if (!s || strlen(s) != 19 || s[10] != ' ' || s[13] != ':' || s[16] != ':')
                return false;
        /* util_parse_date's sscanf lets signs and spaces by: digits only. */
        if (digits(s, 4) < 0 || s[4] != '-' || digits(s + 5, 2) < 0 || s[7] != '-' ||
            digits(s + 8, 2) < 0)
                return false;
        h = digits(s + 11, 2);
        m = digits(s + 14, 2);
        sec = digits(s + 17, 2);
        if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59)
                return false;
        memcpy(date, s, 10);
        date[10] = '\0';
        if (util_parse_date(date, &day) < 0)
                return false;
        day += (time_t)h * 3600 + m * 60 + sec;
        if ((long long)day >= WINTIME_MAX)
                return false;
        *out = day;
        return true;
}
