/* log.c - leveled key=value logging to stderr. */
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

static enum log_level log_threshold = LOG_LEVEL_WARN;

void log_set_level(enum log_level level)
{
        log_threshold = level;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
        static const char *const names[] = { "error", "warn", "info", "debug" };
        va_list ap;

        if (level > log_threshold)
                return;
        fprintf(stderr, "level=%s ", names[level]);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
}
