/* util.h - small helpers with no better home: time stamps, identifiers. */
#ifndef HYGIE_UTIL_H
#define HYGIE_UTIL_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <time.h>

/* "2026-11-22T10:00:00Z" into buf (at least 21 bytes); "?" when t is past
 * what struct tm holds. */
const char *util_iso8601(time_t t, char *buf, size_t size);
/* "YYYY-MM-DD" (UTC midnight) to a time; -EINVAL when malformed. */
int util_parse_date(const char *s, time_t *out);
/* "YYYY-MM-DDTHH:MM:SSZ" (what util_iso8601 writes) to a time; -EINVAL when
 * malformed. */
int util_parse_iso8601(const char *s, time_t *out);
/* A random (version 4) UUID into buf (at least 37 bytes). 0 or -errno. */
int util_uuid4(char *buf, size_t size);
/* n random bytes from the system's generator: 0, or a negative errno
 * (common/unix/sys.c, common/win/win.c). */
int util_random(void *buf, size_t n);
/* fopen(3) of a UTF-8 path (on Windows too). */
FILE *util_fopen(const char *path, const char *mode);
/* Whether path names an existing file. */
bool util_exists(const char *path);
/* The length (1 to 4) of the well-formed UTF-8 character at s, within n
 * bytes; 0 when it is not one (overlong, a surrogate, past U+10FFFF, cut). */
size_t util_utf8_char(const unsigned char *s, size_t n);
/* Whether s[0..n) is well-formed UTF-8 with no NUL. */
bool util_utf8_ok(const char *s, size_t n);
/* Whether s[0..n) is one line of text: well-formed UTF-8, no control
 * character (NUL, newline, tab, DEL included), at most max bytes. */
bool util_line_ok(const char *s, size_t n, size_t max);
/* Cuts s short of a character its end cuts in two (after a truncating
 * snprintf, say). */
void util_utf8_trim(char *s);
/* Copies src into dst (size bytes, at least 4) as one line of well-formed
 * UTF-8: a control character or a byte that starts no character becomes
 * U+FFFD, and a character that does not fit is left out whole. Returns dst. */
/* The n bytes at s as a NUL-terminated string (malloc'ed), or NULL. */
char *util_strndup(const char *s, size_t n);
char *util_text_clean(const char *src, char *dst, size_t size);
/* Whole days from a to b, rounded down (negative when b is before a). */
long util_days_between(time_t a, time_t b);

#endif
