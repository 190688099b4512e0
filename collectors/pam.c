/* pam.c - pam.d(5) rules, "key value" files, and the length each password
 * module enforces.
 *
 * Module defaults come from their manuals: pam_unix(8) minlen 6;
 * pwquality.conf(5) minlen 8 (never below 6), credits 0; pam_cracklib(8)
 * minlen 9, credits 1 each; pam_passwdqc(8) min=disabled,24,11,8,7. Cracklib's
 * own floor of 6 applies to the last two whatever minlen says. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pam.h"

#define LINE_MAX_BYTES 8192
#define CRACKLIB_FLOOR 6

static bool is_space(char c)
{
        return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

/* The next token of s[*i..n): a word, or a "[...]" group (brackets kept)
 * where "\]" does not close. Returns its length, 0 at the end. */
static size_t token(const char *s, size_t n, size_t *i, const char **tok)
{
        size_t start, j;

        while (*i < n && is_space(s[*i]))
                (*i)++;
        start = *i;
        if (start >= n)
                return 0;
        if (s[start] == '[') {
                for (j = start + 1; j < n && s[j] != ']'; j++)
                        if (s[j] == '\\' && j + 1 < n)
                                j++;
                j = j < n ? j + 1 : n;
        } else {
                for (j = start; j < n && !is_space(s[j]); j++)
                        ;
        }
        *i = j;
        *tok = s + start;
        return j - start;
}

static void copy_cut(char *dst, size_t size, const char *s, size_t n)
{
        if (n >= size)
                n = size - 1;
        memcpy(dst, s, n);
        dst[n] = '\0';
}

static int pam_rule(const char *s, size_t n, const char *file, unsigned line, pam_line_fn *fn,
                    void *user, struct error *e)
{
        static const char *const types[] = { "account", "auth", "password", "session" };
        struct pam_line *l;
        const char *tok;
        size_t i = 0, len;
        bool known = false;
        int rc;

        len = token(s, n, &i, &tok);
        if (!len)
                return 0;
        l = calloc(1, sizeof(*l));
        if (!l)
                return -ENOMEM;
        l->line = line;
        if (len == 8 && memcmp(tok, "@include", 8) == 0) {
                snprintf(l->type, sizeof(l->type), "@include");
                len = token(s, n, &i, &tok);
                if (!len) {
                        error_set(e, file, line, "@include without a file");
                        rc = -EINVAL;
                        goto out;
                }
                copy_cut(l->module, sizeof(l->module), tok, len);
                rc = fn(user, l);
                goto out;
        }
        if (tok[0] == '-') {
                l->optional = true;
                tok++;
                len--;
        }
        copy_cut(l->type, sizeof(l->type), tok, len);
        for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++)
                if (strlen(types[t]) == len && strncasecmp(types[t], tok, len) == 0) {
                        known = true;
                        memcpy(l->type, types[t], len + 1);
                }
        if (!known) {
                error_set(e, file, line, "unknown rule type (account, auth, password, session)");
                rc = -EINVAL;
                goto out;
        }
        len = token(s, n, &i, &tok);
        if (len)
                copy_cut(l->control, sizeof(l->control), tok, len);
        len = len ? token(s, n, &i, &tok) : 0;
        if (!len) {
                error_set(e, file, line, "a rule needs a type, a control and a module");
                rc = -EINVAL;
                goto out;
        }
        copy_cut(l->module, sizeof(l->module), tok, len);
        while ((len = token(s, n, &i, &tok)) && l->nargs < PAM_ARGS_MAX) {
                /* PAM hands "[a b]" to the module as "a b". */
                if (tok[0] == '[' && len >= 2 && tok[len - 1] == ']')
                        copy_cut(l->args[l->nargs++], PAM_ARG_MAX, tok + 1, len - 2);
                else
                        copy_cut(l->args[l->nargs++], PAM_ARG_MAX, tok, len);
        }
        rc = fn(user, l);
out:
        explicit_bzero(l, sizeof(*l)); /* arguments may hold a password (pam_mysql) */
        free(l);
        return rc;
}

int pam_parse(const char *text, const char *file, pam_line_fn *fn, void *user, struct error *e)
{
        char *buf = malloc(LINE_MAX_BYTES);
        unsigned line = 0, first = 0;
        size_t used = 0;
        int rc = 0;

        if (!buf)
                return -ENOMEM;
        for (const char *p = text; *p && rc == 0;) {
                size_t n = strcspn(p, "\n");
                bool more;

                line++;
                if (line > PAM_LINES_MAX) {
                        error_set(e, file, line, "too many lines");
                        rc = -EFBIG;
                        break;
                }
                if (!used)
                        first = line;
                if (n && p[n - 1] == '\r')
                        n--;
                more = n && p[n - 1] == '\\';
                if (more)
                        n--;
                if (used + n + 1 >= LINE_MAX_BYTES) {
                        error_set(e, file, first, "line too long");
                        rc = -EINVAL;
                        break;
                }
                memcpy(buf + used, p, n);
                used += n;
                buf[used++] = ' ';
                p += strcspn(p, "\n");
                if (*p)
                        p++;
                if (more && *p)
                        continue;
                buf[used] = '\0';
                buf[strcspn(buf, "#")] = '\0';
                rc = pam_rule(buf, strlen(buf), file, first, fn, user, e);
                used = 0;
        }
        explicit_bzero(buf, LINE_MAX_BYTES);
        free(buf);
        return rc;
}

static size_t trim(const char **s, size_t n)
{
        while (n && is_space(**s)) {
                (*s)++;
                n--;
        }
        while (n && is_space((*s)[n - 1]))
                n--;
        return n;
}

int keyval_parse(const char *text, const char *file, char sep, keyval_fn *fn, void *user,
                 struct error *e)
{
        char key[KEYVAL_KEY_MAX], value[KEYVAL_VAL_MAX];
        unsigned line = 0;
        int rc = 0;

        for (const char *p = text; *p && rc == 0;) {
                const char *s = p, *v;
                size_t n = strcspn(p, "\n"), klen, vlen;

                p += n;
                if (*p)
                        p++;
                if (++line > PAM_LINES_MAX) {
                        error_set(e, file, line, "too many lines");
                        return -EFBIG;
                }
                /* libpwquality cuts a line at any '#'; login.defs only at the start. */
                if (sep == '=' && memchr(s, '#', n))
                        n = (size_t)((const char *)memchr(s, '#', n) - s);
                n = trim(&s, n);
                if (!n || s[0] == '#')
                        continue;
                for (klen = 0; klen < n && !is_space(s[klen]) && !(sep == '=' && s[klen] == '=');
                     klen++)
                        ;
                v = s + klen;
                vlen = (size_t)(s + n - v);
                vlen = trim(&v, vlen);
                if (sep == '=' && vlen && v[0] == '=') {
                        v++;
                        vlen = trim(&v, vlen - 1);
                }
                /* login.defs values may be quoted. */
                if (sep == ' ' && vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
                        v++;
                        vlen -= 2;
                }
                klen = trim(&s, klen);
                if (!klen) {
                        error_set(e, file, line, "expected a setting name");
                        return -EINVAL;
                }
                if (klen >= sizeof(key) || vlen >= sizeof(value)) {
                        error_set(e, file, line, "setting name or value too long");
                        return -EINVAL;
                }
                memcpy(key, s, klen);
                key[klen] = '\0';
                memcpy(value, v, vlen);
                value[vlen] = '\0';
                rc = fn(user, key, value, line);
        }
        return rc;
}

void pwquality_defaults(struct pwquality *q)
{
        memset(q, 0, sizeof(*q));
        q->minlen = 8;
}

static int parse_long(const char *v, long *out)
{
        char *end;
        long n;

        errno = 0;
        n = strtol(v, &end, 10);
        if (errno || end == v || *end || n < -1000 || n > 1000)
                return -EINVAL;
        *out = n;
        return 0;
}

int pwquality_set(struct pwquality *q, const char *key, const char *value, const char *file,
                  unsigned line)
{
        static const char *const credits[4] = { "dcredit", "ucredit", "lcredit", "ocredit" };
        long n;

        if (strcasecmp(key, "minlen") == 0) {
                if (parse_long(value, &n) < 0)
                        return -EINVAL;
                q->minlen = n;
                snprintf(q->minlen_file, sizeof(q->minlen_file), "%s", file ? file : "");
                q->minlen_line = line;
                return 0;
        }
        for (int i = 0; i < 4; i++)
                if (strcasecmp(key, credits[i]) == 0) {
                        if (parse_long(value, &n) < 0)
                                return -EINVAL;
                        q->credit[i] = n;
                }
        return 0;
}

const char *pam_module_name(const char *module)
{
        const char *slash = strrchr(module, '/');

        return slash ? slash + 1 : module;
}

/* The value of "key=..." among the arguments, or NULL. */
static const char *arg(const struct pam_line *l, const char *key)
{
        size_t n = strlen(key);
        const char *v = NULL;

        for (unsigned i = 0; i < l->nargs; i++)
                if (strncmp(l->args[i], key, n) == 0 && l->args[i][n] == '=')
                        v = l->args[i] + n + 1;
        return v;
}

static long credits(const long c[4])
{
        long sum = 0;

        for (int i = 0; i < 4; i++)
                if (c[i] > 0)
                        sum += c[i];
        return sum;
}

static void quality_minlen(const struct pam_line *l, struct pwquality *q, const char *source,
                           long lowest, struct pam_minlen *m)
{
        m->source = source;
        for (unsigned i = 0; i < l->nargs; i++) {
                const char *eq = strchr(l->args[i], '=');
                char key[32];

                if (!eq || (size_t)(eq - l->args[i]) >= sizeof(key))
                        continue;
                snprintf(key, sizeof(key), "%.*s", (int)(eq - l->args[i]), l->args[i]);
                if (pwquality_set(q, key, eq + 1, NULL, 0) == 0 && strcasecmp(key, "minlen") == 0)
                        m->source = "argument";
        }
        if (q->minlen < lowest)
                q->minlen = lowest;
        m->minlen = q->minlen;
        m->credits = credits(q->credit);
        m->length = q->minlen - m->credits;
        if (m->length < CRACKLIB_FLOOR)
                m->length = CRACKLIB_FLOOR;
}

void pam_module_minlen(const struct pam_line *l, const struct pwquality *conf, struct pam_minlen *m)
{
        const char *name = pam_module_name(l->module), *v;
        struct pwquality q;
        long n;

        memset(m, 0, sizeof(*m));
        m->length = -1;
        if (strcmp(name, "pam_unix.so") == 0) {
                v = arg(l, "minlen");
                m->source = v && parse_long(v, &n) == 0 ? "argument" : "default";
                m->minlen = m->length = strcmp(m->source, "argument") == 0 ? n : 6;
        } else if (strcmp(name, "pam_pwquality.so") == 0) {
                q = *conf;
                /* pwquality.conf(5): minlen "cannot be set to lower value than 6". */
                quality_minlen(l, &q, q.minlen_file[0] ? "pwquality.conf" : "default", 6, m);
        } else if (strcmp(name, "pam_cracklib.so") == 0) {
                pwquality_defaults(&q);
                q.minlen = 9;
                for (int i = 0; i < 4; i++)
                        q.credit[i] = 1;
                quality_minlen(l, &q, "default", 0, m);
        } else if (strcmp(name, "pam_passwdqc.so") == 0) {
                const char *p = arg(l, "min");
                char buf[PAM_ARG_MAX];

                m->source = p ? "argument" : "default";
                snprintf(buf, sizeof(buf), "%s", p ? p : "disabled,24,11,8,7");
                for (char *save = NULL, *t = strtok_r(buf, ",", &save); t;
                     t = strtok_r(NULL, ",", &save))
                        if (parse_long(t, &n) == 0 && n > 0 && (m->length < 0 || n < m->length))
                                m->length = n;
                m->minlen = m->length;
        }
}
