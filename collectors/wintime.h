/* wintime.h - Windows' ways of writing a time, read without Windows:
 * FILETIME (100-ns ticks since 1601-01-01 UTC), as a number or as the 8
 * little-endian bytes of a REG_BINARY value (Defender's
 * SignaturesLastUpdated), and the "YYYY-MM-DD HH:MM:SS" (UTC) strings of the
 * Windows Update registry keys. */
#ifndef HYGIE_WINTIME_H
#define HYGIE_WINTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* 2100-01-01T00:00:00Z: a time from the machine past this one is garbage. */
#define WINTIME_MAX 4102444800LL

/* ft as a time. false for 0 (never), before 1970 or from WINTIME_MAX on. */
bool filetime_to_time(unsigned long long ft, time_t *out);
/* The FILETIME in p's n bytes (little-endian). false when n is not 8. */
bool filetime_from_le(const void *p, size_t n, unsigned long long *ft);
/* "2024-05-14 09:12:03", UTC, exactly. false when malformed, not a day of
 * the calendar, or from WINTIME_MAX on. */
bool wintime_parse_wua(const char *s, time_t *out);

#endif
