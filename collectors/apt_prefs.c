/* apt_prefs.c - apt_preferences(5): reading pins and matching them.
 *
 * Matching follows the manual: a release pin is a comma-separated list of
 * a= (archive/suite), n= (codename), v= (version), o= (origin), l= (label),
 * c= (component), b= (architecture), all of which must match; a bare word
 * is a release name (suite or codename), a bare number a release version. */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "apt_prefs.h"
#include "debctrl.h"
#include "util.h"

#define PREFS_MAX_PINS 4096
#define PREFS_MAX_PKGS 256

/* regcomp(3) on a pattern from the root, bounded: glibc expands each {m,n}
 * interval and each "+" by copying what it repeats, so stacked or nested
 * repetitions in a crafted preferences file ("a++++...", "((a+)+)+") could
 * take gigabytes. One interval with counts up to 32, at most four "+" and no
 * quantifier right after another, in a pattern of up to 128 bytes, cover what
 * pins use. */
static int regex_compile(regex_t *re, const char *src)
{
        const char *brace = strchr(src, '{');
        int plus = 0;

        if (strlen(src) > 128)
                return -E2BIG;
        for (const char *p = src; *p; p++) {
                if (*p == '\\' && p[1]) {
                        p++;
                        continue;
                }
                plus += *p == '+';
                if (strchr("*+?{", *p) && p > src && strchr("*+?}", p[-1]) &&
                    (p < src + 2 || p[-2] != '\\'))
                        return -E2BIG;
        }
        if (plus > 4)
                return -E2BIG;
        if (brace) {
                if (strchr(brace + 1, '{'))
                        return -E2BIG;
                for (const char *p = brace + 1; *p && *p != '}'; p++)
                        if (*p >= '0' && *p <= '9' && strtol(p, NULL, 10) > 32)
                                return -E2BIG;
        }
        return regcomp(re, src, REG_EXTENDED | REG_ICASE | REG_NOSUB) == 0 ? 0 : -EINVAL;
}

bool apt_expr_match(const char *pattern, const char *s)
{
        size_t n = strlen(pattern);

        if (n >= 2 && pattern[0] == '/' && pattern[n - 1] == '/') {
                char re_src[512];
                regex_t re;
                bool ok;
                if (n - 2 >= sizeof(re_src))
                        return false;
                memcpy(re_src, pattern + 1, n - 2);
                re_src[n - 2] = '\0';
                if (regex_compile(&re, re_src) < 0)
                        return false;
                ok = regexec(&re, s, 0, NULL, 0) == 0;
                regfree(&re);
                return ok;
        }
        return fnmatch(pattern, s, FNM_CASEFOLD) == 0;
}

static void pin_free(struct apt_pin *pin)
{
        for (size_t i = 0; i < pin->npkgs; i++) {
                if (pin->pkgs[i].regex)
                        regfree(&pin->pkgs[i].re);
                free(pin->pkgs[i].name);
                free(pin->pkgs[i].arch);
        }
        free(pin->pkgs);
        free(pin->data);
}

void apt_prefs_free(struct apt_prefs *p)
{
        for (size_t i = 0; i < p->n; i++)
                pin_free(&p->v[i]);
        free(p->v);
        memset(p, 0, sizeof(*p));
}

/* Splits "Package:" into patterns. 0, -EINVAL, -ENOMEM. */
static int parse_pkgs(struct apt_pin *pin, const char *s, size_t len)
{
        const char *end = s + len;

        if (len == 1 && *s == '*') {
                pin->general = true;
                return 0;
        }
        pin->pkgs = calloc(PREFS_MAX_PKGS, sizeof(*pin->pkgs));
        if (!pin->pkgs)
                return -ENOMEM;
        while (s < end) {
                while (s < end && (*s == ' ' || *s == '\t'))
                        s++;
                const char *w = s;
                while (s < end && *s != ' ' && *s != '\t')
                        s++;
                if (s == w)
                        break;
                if (pin->npkgs == PREFS_MAX_PKGS)
                        return -EINVAL;
                struct apt_pin_pkg *k = &pin->pkgs[pin->npkgs];
                size_t n = (size_t)(s - w);
                k->regex = n >= 2 && w[0] == '/' && w[n - 1] == '/';
                const char *colon = k->regex ? NULL : memchr(w, ':', n);
                if (colon) {
                        k->arch = util_strndup(colon + 1, (size_t)(w + n - colon - 1));
                        n = (size_t)(colon - w);
                        if (!k->arch)
                                return -ENOMEM;
                }
                k->name = k->regex ? util_strndup(w + 1, n - 2) : util_strndup(w, n);
                if (!k->name)
                        return -ENOMEM;
                pin->npkgs++;
                if (k->regex) {
                        if (regex_compile(&k->re, k->name) < 0) {
                                k->regex = false;
                                return -EINVAL;
                        }
                } else {
                        k->glob = strpbrk(k->name, "*?[") != NULL;
                }
        }
        return pin->npkgs ? 0 : -EINVAL;
}

static int parse_pin(struct apt_pin *pin, const struct debctrl_field *f)
{
        static const struct {
                const char *word;
                enum apt_pin_type type;
        } types[] = { { "release", APT_PIN_RELEASE },
                      { "version", APT_PIN_VERSION },
                      { "origin", APT_PIN_ORIGIN } };

        for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
                size_t n = strlen(types[i].word);
                if (f->vlen >= n && strncasecmp(f->val, types[i].word, n) == 0 &&
                    (f->vlen == n || f->val[n] == ' ' || f->val[n] == '\t')) {
                        const char *d = f->val + n, *e = f->val + f->vlen;
                        while (d < e && (*d == ' ' || *d == '\t'))
                                d++;
                        /* origin "" means local files. */
                        if (e - d >= 2 && d[0] == '"' && e[-1] == '"') {
                                d++;
                                e--;
                        }
                        pin->type = types[i].type;
                        pin->data = util_strndup(d, (size_t)(e - d));
                        return pin->data ? 0 : -ENOMEM;
                }
        }
        return -EINVAL;
}

static int parse_priority(const struct debctrl_field *f, int *out)
{
        char buf[16];
        char *end;
        long v;

        if (f->vlen == 0 || f->vlen >= sizeof(buf))
                return -EINVAL;
        memcpy(buf, f->val, f->vlen);
        buf[f->vlen] = '\0';
        v = strtol(buf, &end, 10);
        if (*end || v < -32768 || v > 32767 || v == 0)
                return -EINVAL;
        *out = (int)v;
        return 0;
}

int apt_prefs_parse(struct apt_prefs *p, const char *text, size_t len, const char *file,
                    struct error *e)
{
        struct debctrl d;
        struct debctrl_field f;

        debctrl_init(&d, text, len, 1);
        while (debctrl_next_stanza(&d)) {
                struct apt_pin pin = { 0 };
                bool has_pkg = false, has_pin = false, has_prio = false;
                unsigned line = d.line;
                const char *what = NULL;
                int rc;

                while ((rc = debctrl_field(&d, &f)) > 0) {
                        if (debctrl_is(&f, "Package") && !has_pkg) {
                                has_pkg = true;
                                if ((rc = parse_pkgs(&pin, f.val, f.vlen)) < 0) {
                                        what = "bad Package field";
                                        line = f.line;
                                        break;
                                }
                        } else if (debctrl_is(&f, "Pin") && !has_pin) {
                                has_pin = true;
                                if ((rc = parse_pin(&pin, &f)) < 0) {
                                        what = "Pin must be \"release\", \"version\" or "
                                               "\"origin\" followed by what to match";
                                        line = f.line;
                                        break;
                                }
                        } else if (debctrl_is(&f, "Pin-Priority") && !has_prio) {
                                has_prio = true;
                                if ((rc = parse_priority(&f, &pin.priority)) < 0) {
                                        what = "Pin-Priority must be a non-zero number";
                                        line = f.line;
                                        break;
                                }
                        }
                }
                if (rc < 0 && !what) {
                        what = "not a \"Field: value\" line";
                        line = d.line;
                }
                if (!what && !has_pkg && !has_pin && !has_prio)
                        continue; /* a stanza of Explanation: lines only */
                if (!what && (!has_pkg || !has_pin || !has_prio)) {
                        what = !has_pkg   ? "pin without a Package field"
                               : !has_pin ? "pin without a Pin field"
                                          : "pin without a Pin-Priority field";
                }
                if (!what && p->n == PREFS_MAX_PINS)
                        what = "too many pins";
                if (!what && p->n == p->cap) {
                        size_t cap = p->cap ? p->cap * 2 : 16;
                        struct apt_pin *v = realloc(p->v, cap * sizeof(*v));
                        if (!v) {
                                pin_free(&pin);
                                return -ENOMEM;
                        }
                        p->v = v;
                        p->cap = cap;
                }
                if (what) {
                        pin_free(&pin);
                        if (rc == -ENOMEM)
                                return -ENOMEM;
                        error_set(e, file, line, "%s", what);
                        return -EINVAL;
                }
                p->v[p->n++] = pin;
        }
        return 0;
}

bool apt_pin_covers(const struct apt_pin *pin, const char *name, const char *arch, bool native)
{
        for (size_t i = 0; i < pin->npkgs; i++) {
                const struct apt_pin_pkg *k = &pin->pkgs[i];
                if (k->arch ? (strcmp(k->arch, "any") != 0 && strcmp(k->arch, arch) != 0) : !native)
                        continue;
                if (k->regex  ? regexec(&k->re, name, 0, NULL, 0) == 0
                    : k->glob ? fnmatch(k->name, name, FNM_CASEFOLD) == 0
                              : strcmp(k->name, name) == 0)
                        return true;
        }
        return false;
}

/* A value matches as an expression, or equal ignoring case. */
static bool value_match(const char *want, const char *have)
{
        if (!have || !*have)
                return false;
        return strcasecmp(want, have) == 0 || apt_expr_match(want, have);
}

bool apt_pin_matches_origin(enum apt_pin_type type, const char *data, const struct apt_origin *o)
{
        const struct apt_release *r = o->rel;
        char buf[512];

        if (type == APT_PIN_ORIGIN)
                return o->site ? apt_expr_match(data, o->site) : !*data;
        if (type != APT_PIN_RELEASE)
                return false;
        if (strcmp(data, "*") == 0)
                return true;
        if (!strchr(data, '=')) {
                if (!r)
                        return false;
                if (isdigit((unsigned char)data[0]))
                        return value_match(data, r->version);
                return value_match(data, r->suite) || value_match(data, r->codename);
        }
        snprintf(buf, sizeof(buf), "%s", data);
        for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
                while (*t == ' ')
                        t++;
                char *eq = strchr(t, '=');
                if (!eq || eq - t != 1)
                        return false;
                char *v = eq + 1, *ve = v + strlen(v);
                while (ve > v && ve[-1] == ' ')
                        *--ve = '\0';
                const char *have = NULL;
                switch (*t) {
                case 'a':
                        have = r ? r->suite : NULL;
                        break;
                case 'n':
                        have = r ? r->codename : NULL;
                        break;
                case 'v':
                        have = r ? r->version : NULL;
                        break;
                case 'o':
                        have = r ? r->origin : NULL;
                        break;
                case 'l':
                        have = r ? r->label : NULL;
                        break;
                case 'c':
                        have = o->component;
                        break;
                case 'b':
                        have = o->arch;
                        break;
                default:
                        return false;
                }
                if (!value_match(v, have))
                        return false;
        }
        return true;
}

bool apt_pin_matches_version(const char *data, const char *version)
{
        return strcmp(data, version) == 0 || apt_expr_match(data, version);
}
