/* lang.c - the built-in catalogues and the reader's language (see lang.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lang.h"

static const char *const codes[LANG_COUNT] = { "en", "fr" };

const char *lang_code(enum lang l)
{
        return codes[l];
}

int lang_from_code(const char *code)
{
        size_t n = code ? strcspn(code, "-_") : 0;

        for (int i = 0; i < LANG_COUNT; i++)
                if (n == 2 && strncasecmp(code, codes[i], 2) == 0)
                        return i;
        return -1;
}

/* One range of an Accept-Language header: "fr-FR;q=0.8". Its weight in
 * thousandths (RFC 9110: at most three decimals), -1 when malformed. */
static int range_weight(const char *s, size_t n)
{
        const char *q = memchr(s, ';', n);
        int w = 0, digits = 0;

        if (!q)
                return 1000;
        n -= (size_t)(q - s) + 1;
        s = q + 1;
        while (n && (*s == ' ' || *s == '\t'))
                s++, n--;
        if (n < 3 || (s[0] != 'q' && s[0] != 'Q') || s[1] != '=')
                return -1;
        s += 2;
        n -= 2;
        if (*s == '1')
                return 1000;
        if (*s != '0')
                return -1;
        for (s++, n--; n && *s == '.' && digits == 0; s++, n--)
                ;
        for (; n && *s >= '0' && *s <= '9' && digits < 3; s++, n--, digits++)
                w = w * 10 + (*s - '0');
        while (digits++ < 3)
                w *= 10;
        return w;
}

enum lang lang_from_accept(const char *header, enum lang dflt)
{
        int best = dflt, best_w = 0;

        for (const char *s = header; s && *s;) {
                size_t n = strcspn(s, ","), lead = strspn(s, " \t");
                size_t tag = lead < n ? strcspn(s + lead, "-; \t,") : 0;
                char code[3] = "";
                int l = -1, w = 0;

                if (tag == 2) {
                        memcpy(code, s + lead, 2);
                        l = lang_from_code(code);
                        w = range_weight(s + lead, n - lead);
                }
                if (l >= 0 && w > best_w) {
                        best = l;
                        best_w = w;
                }
                s += n + (s[n] == ',');
        }
        return (enum lang)best;
}

int lang_load(struct msgcat *c, enum lang l, struct error *e)
{
        for (const struct lang_blob *b = lang_blobs; b->code; b++) {
                unsigned char *data;

                if (strcmp(b->code, codes[l]) != 0)
                        continue;
                if (!(data = malloc(b->size)))
                        return -ENOMEM;
                memcpy(data, b->data, b->size);
                return msgcat_load(c, data, b->size, b->code, e);
        }
        return -ENOENT;
}

const char *lang_tr(const struct msgcat *cat, const char *msgid)
{
        const char *t = cat && *msgid ? msgcat_get(cat, msgid) : NULL; /* "": the header */

        return t ? t : msgid;
}

const char *lang_trn(const struct msgcat *cat, const char *singular, const char *plural,
                     unsigned long n)
{
        const char *t = cat ? msgcat_nget(cat, singular, n) : NULL;

        return t ? t : n == 1 ? singular : plural;
}
