/* error.c - the error object that says what and where. */
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "util.h"

void error_vset(struct error *e, const char *file, unsigned line, const char *fmt, va_list ap)
{
        if (!e)
                return;
        snprintf(e->file, sizeof(e->file), "%s", file ? file : "");
        e->line = line;
        if (vsnprintf(e->msg, sizeof(e->msg), fmt, ap) >= (int)sizeof(e->msg))
                util_utf8_trim(e->msg);
}

void error_set(struct error *e, const char *file, unsigned line, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        error_vset(e, file, line, fmt, ap);
        va_end(ap);
}

const char *error_str(const struct error *e, char *buf, size_t size)
{
        if (e->file[0] && e->line)
                snprintf(buf, size, "%s:%u: %s", e->file, e->line, e->msg);
        else if (e->file[0])
                snprintf(buf, size, "%s: %s", e->file, e->msg);
        else
                snprintf(buf, size, "%s", e->msg);
        return buf;
}
