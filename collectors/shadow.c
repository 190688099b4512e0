/* shadow.c - passwd(5), shadow(5) and group(5) parsing, and what a password
 * field holds.
 *
 * Strict on shape (a line with missing fields is an error, as pwck says), so a
 * damaged file is reported rather than read as "no password". */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "shadow.h"

struct field {
        const char *p;
        size_t len;
};

/* Splits a line on ':' into at most max fields; returns how many it holds. */
static size_t split(const char *line, size_t len, struct field *f, size_t max)
{
        size_t n = 0, start = 0;

        for (size_t i = 0; i <= len; i++) {
                if (i < len && line[i] != ':')
                        continue;
                if (n < max)
                        f[n] = (struct field){ line + start, i - start };
                n++;
                start = i + 1;
        }
        return n;
}

static int copy_field(char *dst, size_t size, const struct field *f)
{
        if (f->len >= size)
                return -ENAMETOOLONG;
        memcpy(dst, f->p, f->len);
        dst[f->len] = '\0';
        return 0;
}

/* A decimal number of at most 18 digits; -1 for an empty field. */
static int number(const struct field *f, long long *out)
{
        long long n = 0;

        if (f->len == 0) {
                *out = -1;
                return 0;
        }
        if (f->len > 18)
                return -ERANGE;
        for (size_t i = 0; i < f->len; i++) {
                if (f->p[i] < '0' || f->p[i] > '9')
                        return -EINVAL;
                n = n * 10 + (f->p[i] - '0');
        }
        *out = n;
        return 0;
}

struct lines {
        const char *p;
        unsigned line;
};

/* The next non-empty line that is not a comment nor a NIS "+"/"-" entry. */
static bool next_line(struct lines *l, const char **line, size_t *len)
{
        while (*l->p) {
                const char *s = l->p;
                size_t n = strcspn(s, "\n");

                l->p += n;
                if (*l->p)
                        l->p++;
                l->line++;
                if (n && s[n - 1] == '\r')
                        n--;
                if (n == 0 || s[0] == '#' || s[0] == '+' || s[0] == '-')
                        continue;
                *line = s;
                *len = n;
                return true;
        }
        return false;
}

/* The next record of exactly want ':'-separated fields into f: 1, 0 at the
 * end, or -errno with e filled (too many lines, a wrong field count). */
static int next_record(struct lines *l, const char *file, struct field *f, size_t want,
                       struct error *e)
{
        const char *line;
        size_t len, n;

        if (!next_line(l, &line, &len))
                return 0;
        if (l->line > SHADOW_LINES_MAX) {
                error_set(e, file, l->line, "too many lines");
                return -EFBIG;
        }
        n = split(line, len, f, want);
        if (n != want) {
                error_set(e, file, l->line, "expected %zu fields separated by ':', found %zu", want,
                          n);
                return -EINVAL;
        }
        return 1;
}

int passwd_parse(const char *text, const char *file, passwd_fn *fn, void *user, struct error *e)
{
        struct lines l = { text, 0 };
        struct passwd_ent ent;
        struct field f[7];
        int rc;

        while ((rc = next_record(&l, file, f, 7, e)) > 0) {
                memset(&ent, 0, sizeof(ent));
                ent.line = l.line;
                if (f[0].len == 0 || copy_field(ent.name, sizeof(ent.name), &f[0]) < 0 ||
                    copy_field(ent.password, sizeof(ent.password), &f[1]) < 0 ||
                    copy_field(ent.shell, sizeof(ent.shell), &f[6]) < 0) {
                        error_set(e, file, l.line, "empty or too long name, password or shell");
                        rc = -EINVAL;
                } else if (number(&f[2], &ent.uid) < 0 || ent.uid < 0 ||
                           number(&f[3], &ent.gid) < 0 || ent.gid < 0) {
                        error_set(e, file, l.line, "the user or group id is not a number");
                        rc = -EINVAL;
                } else {
                        rc = fn(user, &ent);
                }
                explicit_bzero(&ent, sizeof(ent));
                if (rc != 0)
                        break;
        }
        return rc;
}

int shadow_parse(const char *text, const char *file, shadow_fn *fn, void *user, struct error *e)
{
        struct lines l = { text, 0 };
        struct shadow_ent ent;
        struct field f[9];
        int rc;

        while ((rc = next_record(&l, file, f, 9, e)) > 0) {
                memset(&ent, 0, sizeof(ent));
                ent.line = l.line;
                if (f[0].len == 0 || copy_field(ent.name, sizeof(ent.name), &f[0]) < 0) {
                        error_set(e, file, l.line, "empty or too long account name");
                        rc = -EINVAL;
                } else if (copy_field(ent.hash, sizeof(ent.hash), &f[1]) < 0) {
                        error_set(e, file, l.line, "password field too long");
                        rc = -EINVAL;
                } else if (number(&f[2], &ent.lastchg) < 0) {
                        error_set(e, file, l.line, "the date of last change is not a number");
                        rc = -EINVAL;
                } else if (number(&f[4], &ent.max) < 0) {
                        error_set(e, file, l.line, "the maximum age is not a number");
                        rc = -EINVAL;
                } else {
                        rc = fn(user, &ent);
                }
                explicit_bzero(&ent, sizeof(ent));
                if (rc != 0)
                        break;
        }
        return rc;
}

int group_parse(const char *text, const char *file, group_fn *fn, void *user, struct error *e)
{
        struct lines l = { text, 0 };
        struct group_ent ent;
        struct field f[4];
        int rc;

        while ((rc = next_record(&l, file, f, 4, e)) > 0) {
                memset(&ent, 0, sizeof(ent));
                ent.line = l.line;
                if (f[0].len == 0 || copy_field(ent.name, sizeof(ent.name), &f[0]) < 0) {
                        error_set(e, file, l.line, "empty or too long group name");
                        rc = -EINVAL;
                } else if (number(&f[2], &ent.gid) < 0 || ent.gid < 0) {
                        error_set(e, file, l.line, "the group id is not a number");
                        rc = -EINVAL;
                } else {
                        ent.members = f[3].p;
                        ent.members_len = f[3].len;
                        rc = fn(user, &ent);
                }
                if (rc != 0)
                        break;
        }
        return rc;
}

bool group_has_member(const struct group_ent *g, const char *name)
{
        size_t n = strlen(name), start = 0;

        for (size_t i = 0; i <= g->members_len; i++) {
                if (i < g->members_len && g->members[i] != ',')
                        continue;
                if (i - start == n && n && memcmp(g->members + start, name, n) == 0)
                        return true;
                start = i + 1;
        }
        return false;
}

static bool crypt64(const char *s, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                char c = s[i];
                if (!(c == '.' || c == '/' || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
                      (c >= 'a' && c <= 'z')))
                        return false;
        }
        return true;
}

static const char *scheme_of(const char *h)
{
        static const struct {
                const char *prefix, *name;
        } schemes[] = {
                { "$y$", "yescrypt" },  { "$gy$", "gost-yescrypt" }, { "$7$", "scrypt" },
                { "$2b$", "bcrypt" },   { "$2y$", "bcrypt" },        { "$2a$", "bcrypt" },
                { "$2x$", "bcrypt-x" }, { "$6$", "sha512" },         { "$5$", "sha256" },
                { "$1$", "md5" },       { "$md5", "sun-md5" },       { "$sha1$", "sha1" },
                { "$3$", "nthash" },
        };
        size_t n = strlen(h);

        for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
                if (strncmp(h, schemes[i].prefix, strlen(schemes[i].prefix)) == 0)
                        return schemes[i].name;
        if (h[0] == '$')
                return "unknown";
        if (n == 13 && crypt64(h, n))
                return "des";
        if (n == 20 && h[0] == '_' && crypt64(h + 1, n - 1))
                return "bsdi-des";
        return NULL;
}

enum hash_state shadow_hash_state(const char *field, const char **scheme)
{
        const char *s;

        *scheme = "none";
        if (!field[0])
                return HASH_EMPTY;
        if (field[0] == '!' || field[0] == '*') {
                s = scheme_of(field + strspn(field, "!"));
                if (s)
                        *scheme = s;
                return HASH_LOCKED;
        }
        s = scheme_of(field);
        if (!s)
                return HASH_DISABLED;
        *scheme = s;
        return HASH_SET;
}
