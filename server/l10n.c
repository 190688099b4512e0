/* l10n.c - the collector's answers in the reader's language (see l10n.h). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "l10n.h"

/* As store/alerts.c, store.c and the sweep write them. */
const char *const l10n_collector_texts[] = {
        N_("no report for %ld h (expected every %ld min)"),
        N_("this agent's certificate reports from another machine (%.12s) as \"%.64s\": a "
           "cloned disk; re-enroll the copy"),
        N_("no cyber-crisis exercise recorded in the past %d months"),
        N_("no awareness action recorded in the past %d months"),
        N_("no successful restore test of backup job %s recorded in the past %s months"),
        NULL,
};

#define ARGS_MAX 4

/* The length of the conversion at fmt ('%' first: flags, width, precision,
 * length, the letter), 0 when it is not one. */
static size_t conversion(const char *fmt)
{
        size_t n = 1 + strspn(fmt + 1, "0123456789$.-+ #lhz");

        return fmt[n] && strchr("sdiu", fmt[n]) ? n + 1 : 0;
}

/* Reads text back as written by fmt: the text of each conversion into
 * args (pointing into copy, size bytes). Whether text is fmt's. */
static bool unformat(const char *fmt, const char *text, char *copy, size_t size,
                     const char *args[ARGS_MAX], int *nargs)
{
        size_t n = strlen(text), at = 0;

        *nargs = 0;
        if (n >= size)
                return false;
        memcpy(copy, text, n + 1);
        while (*fmt) {
                size_t conv = *fmt == '%' ? conversion(fmt) : 0, litlen;
                const char *lit, *end;
                char want[128];

                if (!conv) {
                        size_t step = fmt[0] == '%' && fmt[1] == '%' ? 2 : 1;

                        if (text[at] != fmt[step - 1])
                                return false;
                        at++;
                        fmt += step;
                        continue;
                }
                /* The argument runs to the literal text that follows it. */
                lit = fmt + conv;
                litlen = strcspn(lit, "%");
                if (litlen >= sizeof(want))
                        return false;
                memcpy(want, lit, litlen);
                want[litlen] = '\0';
                end = litlen ? strstr(text + at, want) : text + n;
                if (!end || end == text + at || *nargs == ARGS_MAX)
                        return false;
                if (fmt[conv - 1] != 's') {
                        const char *d = text + at + (text[at] == '-');

                        if (d == end || strspn(d, "0123456789") != (size_t)(end - d))
                                return false;
                }
                copy[end - text] = '\0';
                args[(*nargs)++] = copy + at;
                at = (size_t)(end - text);
                fmt = lit;
        }
        return at == n;
}

/* fmt (a translation) with its conversions replaced by args, in order or
 * as their n$ says; the precision of an %s is kept. */
static const char *reformat(const char *fmt, const char *const *args, int nargs, char *buf,
                            size_t size)
{
        size_t len = 0;
        int next = 0;

        for (const char *p = fmt; *p && len + 1 < size;) {
                size_t conv = *p == '%' ? conversion(p) : 0;
                const char *arg;
                int i = next, max = -1;

                if (p[0] == '%' && p[1] == '%') {
                        buf[len++] = '%';
                        p += 2;
                        continue;
                }
                if (!conv) {
                        buf[len++] = *p++;
                        continue;
                }
                if (p[1] >= '1' && p[1] <= '9' && p[2] == '$')
                        i = p[1] - '1';
                else
                        next++;
                if (i >= nargs)
                        return NULL;
                arg = args[i];
                const char *dot = memchr(p, '.', conv);
                if (dot && p[conv - 1] == 's')
                        max = atoi(dot + 1);
                len += (size_t)snprintf(buf + len, size - len, "%.*s",
                                        max < 0 ? (int)strlen(arg) : max, arg);
                if (len >= size)
                        len = size - 1;
                p += conv;
        }
        buf[len] = '\0';
        return buf;
}

const char *l10n_summary(const struct msgcat *cat, const char *check, const char *summary,
                         const char *summary_fr, char *buf, size_t size)
{
        const char *args[ARGS_MAX];
        char copy[1024];
        int nargs;

        if (!cat)
                return summary;
        if (summary_fr && *summary_fr)
                return summary_fr;
        if (strncmp(check, "agent.", 6) == 0 || strncmp(check, "establishment.", 14) == 0 ||
            strcmp(check, "backup.restore_tested") == 0) {
                for (const char *const *f = l10n_collector_texts; *f; f++) {
                        const char *t = lang_tr(cat, *f), *out;

                        if (t != *f && unformat(*f, summary, copy, sizeof(copy), args, &nargs) &&
                            (out = reformat(t, args, nargs, buf, size)))
                                return out;
                }
        }
        return lang_tr(cat, summary);
}

void l10n_alerts(json_t *alerts, const struct msgcat *cat)
{
        json_t *a;
        size_t i;

        json_array_foreach(alerts, i, a)
        {
                const char *check = json_string_value(json_object_get(a, "check"));
                const char *summary = json_string_value(json_object_get(a, "summary"));
                const char *fr = json_string_value(json_object_get(a, "summary_fr"));
                const char *rem = json_string_value(json_object_get(a, "remediation"));
                const char *rem_fr = json_string_value(json_object_get(a, "remediation_fr"));
                char buf[1024];

                if (cat && check && summary) {
                        const char *t = l10n_summary(cat, check, summary, fr, buf, sizeof(buf));

                        if (t != summary)
                                json_object_set_new(a, "summary", json_string(t));
                }
                if (cat && rem) {
                        const char *t = rem_fr && *rem_fr ? rem_fr : lang_tr(cat, rem);

                        if (t != rem)
                                json_object_set_new(a, "remediation", json_string(t));
                }
                json_object_del(a, "summary_fr");
                json_object_del(a, "remediation_fr");
        }
}

void l10n_findings(json_t *findings, const struct msgcat *cat)
{
        static const char *const keys[] = { "summary", "remediation" };
        json_t *f;
        size_t i;

        json_array_foreach(findings, i, f)
        {
                const json_t *fr = json_object_get(json_object_get(f, "texts"), "fr");

                for (int k = 0; cat && k < 2; k++) {
                        const char *own = json_string_value(json_object_get(f, keys[k]));
                        const char *t = json_string_value(json_object_get(fr, keys[k]));

                        if (!own)
                                continue;
                        if (!t)
                                t = lang_tr(cat, own);
                        if (t != own)
                                json_object_set_new(f, keys[k], json_string(t));
                }
                json_object_del(f, "texts");
        }
}
