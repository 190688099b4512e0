/* win.h - the Windows helpers the rest of the code shares: text crosses the
 * Win32 API as UTF-16 and is UTF-8 everywhere else. */
#ifndef HYGIE_WIN_H
#define HYGIE_WIN_H

#include <stddef.h>
#include <stdio.h>
#include <wchar.h>

/* A new UTF-8 string from UTF-16 (n characters, or -1 for NUL-terminated);
 * unpaired surrogates become U+FFFD. NULL when out of memory. */
char *win_utf8(const wchar_t *w, int n);
/* Into buf (size bytes, always terminated, cut on a character boundary). */
char *win_utf8_buf(const wchar_t *w, char *buf, size_t size);
/* A new UTF-16 string from UTF-8; NULL when out of memory or not UTF-8. */
wchar_t *win_wide(const char *s);
/* fopen of a UTF-8 path. */
FILE *win_fopen(const char *path, const char *mode);
/* Reads a whole file of at most max bytes; *data is NUL-terminated and the
 * caller frees it. 0, or a negative errno (-EFBIG past max). */
int win_read_file(const char *path, size_t max, unsigned char **data, size_t *size);
/* The last Win32 error as text, UTF-8, without the final full stop and newline. */
const char *win_strerror(unsigned long code, char *buf, size_t size);

#endif
