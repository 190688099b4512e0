/* log.c - leveled key=value logging to stderr.
 *
 * Every string a format inserts (%s) is a value that may come from outside
 * (a host name, a path, an error message): it is escaped, so it can neither
 * end the line nor close its quotes and forge another field. A bare value
 * (key=%s) that holds a blank, a quote or '=' is put in quotes. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "log.h"
#include "util.h"

static enum log_level log_threshold = LOG_LEVEL_WARN;

static log_sink_fn *log_sink;

void log_set_sink(log_sink_fn *sink)
{
        log_sink = sink;
}

void log_fail(const char *fmt, ...)
{
        char text[1536];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(text, sizeof(text), fmt, ap);
        va_end(ap);
        fprintf(stderr, "%s\n", text);
        if (log_sink)
                log_sink(LOG_LEVEL_ERROR, text);
}

void log_set_level(enum log_level level)
{
        log_threshold = level;
}

struct line {
        char buf[2048];
        size_t len;
};

static void put(struct line *l, const char *s, size_t n)
{
        if (n > sizeof(l->buf) - 1 - l->len)
                n = sizeof(l->buf) - 1 - l->len;
        memcpy(l->buf + l->len, s, n);
        l->len += n;
}

/* A value: printable UTF-8 as it is, '"' and '\' behind a backslash, other
 * bytes as \n, \t or \xNN. bare: quoted when it would not read as one
 * value. */
static void put_value(struct line *l, const char *s, bool bare)
{
        const unsigned char *p = (const unsigned char *)s;
        size_t n = strlen(s);
        bool quote = bare && (n == 0 || strcspn(s, " \"=\\") < n);

        if (quote)
                put(l, "\"", 1);
        for (size_t i = 0, k; i < n; i += k) {
                char esc[8];

                k = util_utf8_char(p + i, n - i);
                if (k > 1 ||
                    (k == 1 && p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' && p[i] != '\\')) {
                        put(l, s + i, k);
                        continue;
                }
                k = 1;
                if (p[i] == '"' || p[i] == '\\')
                        snprintf(esc, sizeof(esc), "\\%c", p[i]);
                else if (p[i] == '\n')
                        snprintf(esc, sizeof(esc), "\\n");
                else if (p[i] == '\t')
                        snprintf(esc, sizeof(esc), "\\t");
                else
                        snprintf(esc, sizeof(esc), "\\x%02x", p[i]);
                put(l, esc, strlen(esc));
        }
        if (quote)
                put(l, "\"", 1);
}

/* One conversion other than %s: spec is "%...X", its argument from ap. */
static void put_number(struct line *l, const char *spec, va_list *ap)
{
        size_t len = strlen(spec);
        char conv = spec[len - 1], out[64];
        int ll = strstr(spec, "ll") != NULL, lo = !ll && strchr(spec, 'l') != NULL,
            z = strchr(spec, 'z') != NULL;
        int n = -1;

        switch (conv) {
        case 'd':
        case 'i':
                n = ll   ? snprintf(out, sizeof(out), spec, va_arg(*ap, long long))
                    : lo ? snprintf(out, sizeof(out), spec, va_arg(*ap, long))
                    : z  ? snprintf(out, sizeof(out), spec, va_arg(*ap, ssize_t))
                         : snprintf(out, sizeof(out), spec, va_arg(*ap, int));
                break;
        case 'u':
        case 'x':
        case 'X':
        case 'o':
                n = ll   ? snprintf(out, sizeof(out), spec, va_arg(*ap, unsigned long long))
                    : lo ? snprintf(out, sizeof(out), spec, va_arg(*ap, unsigned long))
                    : z  ? snprintf(out, sizeof(out), spec, va_arg(*ap, size_t))
                         : snprintf(out, sizeof(out), spec, va_arg(*ap, unsigned));
                break;
        case 'f':
        case 'g':
        case 'e':
                n = snprintf(out, sizeof(out), spec, va_arg(*ap, double));
                break;
        case 'c':
                n = snprintf(out, sizeof(out), spec, va_arg(*ap, int));
                break;
        case 'p':
                n = snprintf(out, sizeof(out), spec, va_arg(*ap, void *));
                break;
        }
        if (n > 0)
                put(l, out, (size_t)n < sizeof(out) ? (size_t)n : sizeof(out) - 1);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
        static const char *const names[] = { "error", "warn", "info", "debug" };
        struct line l = { .len = 0 };
        va_list ap;

        if (level > log_threshold)
                return;
        put(&l, "level=", 6);
        put(&l, names[level], strlen(names[level]));
        put(&l, " ", 1);
        va_start(ap, fmt);
        for (const char *f = fmt; *f;) {
                size_t lit = strcspn(f, "%"), n;
                char spec[16];

                put(&l, f, lit);
                f += lit;
                if (!*f)
                        break;
                if (f[1] == '%') {
                        put(&l, "%", 1);
                        f += 2;
                        continue;
                }
                /* Flags, width, precision and length, then the letter. */
                n = 1 + strspn(f + 1, "-+ #0123456789.hlzjt");
                if (!f[n] || n + 2 > sizeof(spec))
                        break;
                memcpy(spec, f, n + 1);
                spec[n + 1] = '\0';
                if (f[n] == 's')
                        put_value(&l, va_arg(ap, const char *), f == fmt || f[-1] != '"');
                else
                        put_number(&l, spec, &ap);
                f += n + 1;
        }
        va_end(ap);
        l.buf[l.len] = '\0';
        util_utf8_trim(l.buf);
        /* One write per line, so threads never interleave. */
        fprintf(stderr, "%s\n", l.buf);
        if (log_sink)
                log_sink(level, l.buf);
}
