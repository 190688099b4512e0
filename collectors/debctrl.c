/* debctrl.c - a zero-copy reader of deb822 stanzas.
 *
 * Only the first line of a value is returned: every field the patch
 * collector needs is single-line. Lines are found with memchr; nothing is
 * allocated, so apt's 50 MB lists are walked at memory speed. */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "debctrl.h"

void debctrl_init(struct debctrl *d, const char *buf, size_t len, unsigned first_line)
{
        d->p = buf;
        d->end = buf + len;
        d->line = first_line;
}

/* End of the line at p (the '\n' or d->end). */
static const char *eol(const struct debctrl *d, const char *p)
{
        const char *q = memchr(p, '\n', (size_t)(d->end - p));

        return q ? q : d->end;
}

static bool blank(const char *p, const char *e)
{
        for (; p < e; p++)
                if (*p != ' ' && *p != '\t' && *p != '\r')
                        return false;
        return true;
}

static void next_line(struct debctrl *d, const char *e)
{
        d->p = e < d->end ? e + 1 : d->end;
        d->line++;
}

bool debctrl_next_stanza(struct debctrl *d)
{
        while (d->p < d->end) {
                const char *e = eol(d, d->p);
                if (!blank(d->p, e) && *d->p != '#')
                        return true;
                next_line(d, e);
        }
        return false;
}

int debctrl_field(struct debctrl *d, struct debctrl_field *f)
{
        for (;;) {
                if (d->p >= d->end)
                        return 0;
                const char *s = d->p, *e = eol(d, s);
                if (blank(s, e)) {
                        next_line(d, e);
                        return 0;
                }
                if (*s == '#') {
                        next_line(d, e);
                        continue;
                }
                if (*s == ' ' || *s == '\t')
                        return -EINVAL; /* continuation with no field before it */
                const char *colon = memchr(s, ':', (size_t)(e - s));
                if (!colon || colon == s || e - s > (long)DEBCTRL_MAX_LINE)
                        return -EINVAL;
                for (const char *p = s; p < colon; p++)
                        if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 127)
                                return -EINVAL;
                const char *v = colon + 1, *ve = e;
                while (v < ve && (*v == ' ' || *v == '\t'))
                        v++;
                while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t' || ve[-1] == '\r'))
                        ve--;
                if (memchr(v, '\0', (size_t)(ve - v)))
                        return -EINVAL;
                f->name = s;
                f->nlen = (size_t)(colon - s);
                f->val = v;
                f->vlen = (size_t)(ve - v);
                f->line = d->line;
                next_line(d, e);
                /* Continuation lines belong to this field. */
                while (d->p < d->end && (*d->p == ' ' || *d->p == '\t')) {
                        e = eol(d, d->p);
                        if (blank(d->p, e))
                                break;
                        next_line(d, e);
                }
                return 1;
        }
}

void debctrl_skip(struct debctrl *d)
{
        while (d->p < d->end) {
                const char *e = eol(d, d->p);
                bool b = *d->p == '\n' ||
                         ((*d->p == ' ' || *d->p == '\t' || *d->p == '\r') && blank(d->p, e));
                next_line(d, e);
                if (b)
                        return;
        }
}

bool debctrl_is(const struct debctrl_field *f, const char *name)
{
        return strlen(name) == f->nlen && strncasecmp(f->name, name, f->nlen) == 0;
}

size_t debctrl_complete(const char *buf, size_t len)
{
        while (len >= 2) {
                const char *q = memrchr(buf, '\n', len);
                if (!q)
                        return 0;
                if (q > buf && q[-1] == '\n')
                        return (size_t)(q - buf) + 1;
                len = (size_t)(q - buf);
        }
        return 0;
}
