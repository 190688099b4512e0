/* util.h - small helpers with no better home: time stamps, identifiers. */
#ifndef HYGIE_UTIL_H
#define HYGIE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* "2026-11-22T10:00:00Z" into buf (at least 21 bytes); "?" when t is past
 * what struct tm holds. */
const char *util_iso8601(time_t t, char *buf, size_t size);
/* "YYYY-MM-DD" (UTC midnight) to a time; -EINVAL when malformed. */
int util_parse_date(const char *s, time_t *out);
/* A random (version 4) UUID into buf (at least 37 bytes). 0 or -errno. */
int util_uuid4(char *buf, size_t size);
/* Whole days from a to b, rounded down (negative when b is before a). */
long util_days_between(time_t a, time_t b);

#endif
