/* error.h - where a problem is and what it is, for a person to read.
 *
 * Functions return 0 or a negative errno; when a person must see where the
 * problem lies (a policy line, a corrupt status file), they also fill a
 * struct error. The caller decides how to show it. */
#ifndef HYGIE_ERROR_H
#define HYGIE_ERROR_H

#include <stdarg.h>
#include <stdio.h>

/* printf-style format checking as the C library formats: with mingw-w64's
 * C99 stdio that is GNU's, where gcc's default "printf" means Microsoft's. */
#ifdef __MINGW_PRINTF_FORMAT
#define HYGIE_PRINTF(fmt, first) __attribute__((format(__MINGW_PRINTF_FORMAT, fmt, first)))
#else
#define HYGIE_PRINTF(fmt, first) __attribute__((format(printf, fmt, first)))
#endif

struct error {
        char file[256]; /* path as the user knows it, "" if none */
        unsigned line;  /* 1-based, 0 if none */
        char msg[256];
};

void error_set(struct error *e, const char *file, unsigned line, const char *fmt, ...)
    HYGIE_PRINTF(4, 5);
void error_vset(struct error *e, const char *file, unsigned line, const char *fmt, va_list ap)
    HYGIE_PRINTF(4, 0);
/* "file:line: msg", "file: msg" or "msg" into buf. */
const char *error_str(const struct error *e, char *buf, size_t size);

#endif
