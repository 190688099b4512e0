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
        char line[2048];
        va_list ap;
        int n;

        if (level > log_threshold)
                return;
        /* One write per line, so threads never interleave. */
        n = snprintf(line, sizeof(line), "level=%s ", names[level]);
        va_start(ap, fmt);
        vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
        va_end(ap);
        fprintf(stderr, "%s\n", line);
}
