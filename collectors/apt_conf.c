/* apt_conf.c - a small reader of apt.conf(5) syntax: "A::B "v";", scopes
 * "A { B "v"; };", comments (//, #, C-style). Only what the patch collector
 * asks for is looked up; list values and directives are passed over. */
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "apt_conf.h"

#define CONF_DEPTH 16
#define CONF_KEY   256

struct tok {
        const char *p;
        size_t n;
        char kind; /* 'w' word, 's' string, ';', '{', '}', 0 end */
};

static struct tok next(const char **pp, const char *end)
{
        const char *p = *pp;
        struct tok t = { NULL, 0, 0 };

        for (;;) {
                while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
                        p++;
                if (p + 1 < end && p[0] == '/' && p[1] == '/') {
                        while (p < end && *p != '\n')
                                p++;
                } else if (p < end && *p == '#') {
                        while (p < end && *p != '\n')
                                p++;
                } else if (p + 1 < end && p[0] == '/' && p[1] == '*') {
                        const char *q = memmem(p + 2, (size_t)(end - p - 2), "*/", 2);
                        p = q ? q + 2 : end;
                } else {
                        break;
                }
        }
        if (p >= end) {
                *pp = end;
                return t;
        }
        if (*p == ';' || *p == '{' || *p == '}') {
                t.kind = *p;
                *pp = p + 1;
                return t;
        }
        if (*p == '"') {
                const char *q = memchr(p + 1, '"', (size_t)(end - p - 1));
                if (!q)
                        q = end;
                t.kind = 's';
                t.p = p + 1;
                t.n = (size_t)(q - p - 1);
                *pp = q < end ? q + 1 : end;
                return t;
        }
        t.kind = 'w';
        t.p = p;
        while (p < end && !memchr(" \t\r\n;{}\"", *p, 8))
                p++;
        t.n = (size_t)(p - t.p);
        *pp = p;
        return t;
}

int apt_conf_get(const char *text, size_t len, const char *key, char *val, size_t size)
{
        const char *p = text, *end = text + len;
        size_t scope[CONF_DEPTH + 1], depth = 0;
        char full[CONF_KEY * 2];
        size_t flen = 0;
        struct tok k = { 0 }, v = { 0 };
        int found = 0;

        scope[0] = 0;
        for (;;) {
                struct tok t = next(&p, end);
                if (t.kind == 0)
                        break;
                if (t.kind == 'w' || t.kind == 's') {
                        if (!k.kind && t.kind == 'w')
                                k = t;
                        else if (!v.kind)
                                v = t;
                        continue;
                }
                if (t.kind == '{') {
                        if (k.kind && depth < CONF_DEPTH && flen + k.n + 2 < CONF_KEY) {
                                memcpy(full + flen, k.p, k.n);
                                flen += k.n;
                                memcpy(full + flen, "::", 2);
                                flen += 2;
                        }
                        scope[++depth < CONF_DEPTH ? depth : CONF_DEPTH] = flen;
                } else if (t.kind == '}') {
                        if (depth > 0)
                                depth--;
                        flen = scope[depth < CONF_DEPTH ? depth : CONF_DEPTH];
                } else if (t.kind == ';' && k.kind && v.kind && k.n < CONF_KEY &&
                           flen + k.n == strlen(key) && strncasecmp(full, key, flen) == 0 &&
                           strncasecmp(k.p, key + flen, k.n) == 0) {
                        size_t n = v.n < size - 1 ? v.n : size - 1;
                        memcpy(val, v.p, n);
                        val[n] = '\0';
                        found = 1;
                }
                k.kind = v.kind = 0;
        }
        return found;
}
