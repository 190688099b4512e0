/* win11-cpus.c - parsing and matching the Windows 11 processor table.
 * Bounded: at most WIN11_CPUS_MAX rules, fixed-size fields, numbers checked. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "win11-cpus.h"

static const char *const verdicts[] = { "supported", "unsupported", "uncertain" };

const char *win11_verdict_name(enum win11_verdict v)
{
        return verdicts[v];
}

static int parse_long(const char *s, long *out)
{
        char *end;

        if (*s < '0' || *s > '9')
                return -EINVAL;
        errno = 0;
        *out = strtol(s, &end, 10);
        return errno || *end || *out > 1000000 ? -EINVAL : 0;
}

static int parse_range(const char *s, struct win11_range *r)
{
        const char *dash;
        char lo[16];
        long n;

        r->any = false;
        r->lo = LONG_MIN;
        r->hi = LONG_MAX;
        if (strcmp(s, "*") == 0) {
                r->any = true;
                return 0;
        }
        if (strncmp(s, "<=", 2) == 0 || strncmp(s, ">=", 2) == 0) {
                if (parse_long(s + 2, &n) < 0)
                        return -EINVAL;
                *(s[0] == '<' ? &r->hi : &r->lo) = n;
                return 0;
        }
        if (s[0] == '<' || s[0] == '>') {
                if (parse_long(s + 1, &n) < 0)
                        return -EINVAL;
                if (s[0] == '<')
                        r->hi = n - 1;
                else
                        r->lo = n + 1;
                return 0;
        }
        dash = strchr(s, '-');
        if (dash) {
                if ((size_t)(dash - s) >= sizeof(lo))
                        return -EINVAL;
                memcpy(lo, s, (size_t)(dash - s));
                lo[dash - s] = '\0';
                if (parse_long(lo, &r->lo) < 0 || parse_long(dash + 1, &r->hi) < 0 || r->lo > r->hi)
                        return -EINVAL;
                return 0;
        }
        if (parse_long(s, &n) < 0)
                return -EINVAL;
        r->lo = r->hi = n;
        return 0;
}

static bool in_range(const struct win11_range *r, long v)
{
        return r->any || (v >= 0 && v >= r->lo && v <= r->hi);
}

int win11_cpus_parse(const char *text, const char *file, struct win11_cpus *t, struct error *e)
{
        static const char *const names[] = { "family", "model", "stepping" };
        unsigned line = 0;

        t->n = 0;
        for (const char *p = text; *p;) {
                size_t len = strcspn(p, "\n");
                char buf[256], *save = NULL, *tok[6];
                const char *rest;
                struct win11_rule *r;
                size_t ntok = 0;

                line++;
                if (len >= sizeof(buf)) {
                        error_set(e, file, line, "line too long");
                        return -EINVAL;
                }
                memcpy(buf, p, len);
                buf[len] = '\0';
                p += len;
                if (*p)
                        p++;
                buf[strcspn(buf, "#\r")] = '\0';
                for (char *w = strtok_r(buf, " \t", &save); w;) {
                        tok[ntok++] = w;
                        if (ntok == 6)
                                break;
                        w = strtok_r(NULL, " \t", &save);
                }
                if (ntok == 0)
                        continue;
                if (ntok < 6) {
                        error_set(e, file, line,
                                  "expected: vendor family model stepping feature verdict [note]");
                        return -EINVAL;
                }
                if (t->n == WIN11_CPUS_MAX) {
                        error_set(e, file, line, "more than %d rules", WIN11_CPUS_MAX);
                        return -EINVAL;
                }
                r = &t->v[t->n];
                memset(r, 0, sizeof(*r));
                r->line = line;
                if (strlen(tok[0]) >= sizeof(r->vendor) || strlen(tok[4]) >= sizeof(r->feature)) {
                        error_set(e, file, line, "vendor or feature too long");
                        return -EINVAL;
                }
                snprintf(r->vendor, sizeof(r->vendor), "%s", tok[0]);
                struct win11_range *ranges[] = { &r->family, &r->model, &r->stepping };
                for (int i = 0; i < 3; i++)
                        if (parse_range(tok[i + 1], ranges[i]) < 0) {
                                error_set(e, file, line,
                                          "%s: bad value \"%s\" (*, N, <N, >=N, N-M)", names[i],
                                          tok[i + 1]);
                                return -EINVAL;
                        }
                if (strcmp(tok[4], "*") != 0 && strcmp(tok[4], "atomics") != 0) {
                        error_set(e, file, line, "unknown feature \"%s\" (*, atomics)", tok[4]);
                        return -EINVAL;
                }
                if (strcmp(tok[4], "*") != 0)
                        snprintf(r->feature, sizeof(r->feature), "%s", tok[4]);
                for (size_t i = 0;; i++) {
                        if (i == sizeof(verdicts) / sizeof(verdicts[0])) {
                                error_set(e, file, line,
                                          "verdict \"%s\": supported, unsupported or uncertain",
                                          tok[5]);
                                return -EINVAL;
                        }
                        if (strcmp(tok[5], verdicts[i]) == 0) {
                                r->verdict = (enum win11_verdict)i;
                                break;
                        }
                }
                /* The note is the rest of the line after the verdict. */
                rest = save ? save + strspn(save, " \t") : "";
                snprintf(r->note, sizeof(r->note), "%s", rest);
                for (size_t n = strlen(r->note);
                     n && (r->note[n - 1] == ' ' || r->note[n - 1] == '\t');)
                        r->note[--n] = '\0';
                t->n++;
        }
        if (t->n == 0) {
                error_set(e, file, 0, "no rule");
                return -EINVAL;
        }
        return 0;
}

const struct win11_rule *win11_cpus_match(const struct win11_cpus *t, const struct win11_cpu *cpu)
{
        for (size_t i = 0; i < t->n; i++) {
                const struct win11_rule *r = &t->v[i];

                if (strcmp(r->vendor, "*") != 0 && (!cpu->vendor || strcmp(r->vendor, cpu->vendor)))
                        continue;
                if (!in_range(&r->family, cpu->family) || !in_range(&r->model, cpu->model) ||
                    !in_range(&r->stepping, cpu->stepping))
                        continue;
                if (strcmp(r->feature, "atomics") == 0 && !cpu->atomics)
                        continue;
                return r;
        }
        return NULL;
}
