/* osinfo.c - os-release(5) and distro-info CSV parsing, bounded. */
#include <stdbool.h>
#include <stddef.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "osinfo.h"

/* Unquotes an os-release value into out; -EINVAL on an unterminated quote. */
static int unquote(const char *v, size_t n, char *out, size_t size)
{
        size_t o = 0;
        char q = 0;

        if (n && (v[0] == '"' || v[0] == '\'')) {
                q = v[0];
                if (n < 2 || v[n - 1] != q)
                        return -EINVAL;
                v++;
                n -= 2;
        }
        for (size_t i = 0; i < n; i++) {
                char c = v[i];
                if (c == '\\' && q != '\'' && i + 1 < n)
                        c = v[++i];
                if (o + 1 < size)
                        out[o++] = c;
        }
        out[o] = '\0';
        return 0;
}

int os_release_parse(const char *text, const char *file, struct os_release *osr, struct error *e)
{
        static const struct {
                const char *key;
                size_t off, size;
        } fields[] = {
#define FIELD(k, f) { k, offsetof(struct os_release, f), sizeof(((struct os_release *)0)->f) }
                FIELD("ID", id),
                FIELD("ID_LIKE", id_like),
                FIELD("NAME", name),
                FIELD("PRETTY_NAME", pretty_name),
                FIELD("VERSION", version),
                FIELD("VERSION_ID", version_id),
                FIELD("VERSION_CODENAME", codename),
                FIELD("UBUNTU_CODENAME", ubuntu_codename),
#undef FIELD
        };
        unsigned line = 0;

        memset(osr, 0, sizeof(*osr));
        for (const char *p = text; *p;) {
                size_t len = strcspn(p, "\n"), klen;
                const char *eq;

                line++;
                while (len && (p[len - 1] == '\r' || p[len - 1] == ' ' || p[len - 1] == '\t'))
                        len--;
                while (len && (*p == ' ' || *p == '\t')) {
                        p++;
                        len--;
                }
                if (len && *p != '#') {
                        eq = memchr(p, '=', len);
                        if (!eq || eq == p) {
                                error_set(e, file, line, "expected KEY=value");
                                return -EINVAL;
                        }
                        klen = (size_t)(eq - p);
                        for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
                                if (strlen(fields[i].key) != klen || memcmp(fields[i].key, p, klen))
                                        continue;
                                if (unquote(eq + 1, len - klen - 1, (char *)osr + fields[i].off,
                                            fields[i].size) < 0) {
                                        error_set(e, file, line, "unterminated quote");
                                        return -EINVAL;
                                }
                        }
                }
                p += strcspn(p, "\n");
                if (*p)
                        p++;
        }
        if (!osr->id[0])
                snprintf(osr->id, sizeof(osr->id), "linux"); /* os-release(5)'s default */
        if (!osr->codename[0] && osr->ubuntu_codename[0])
                snprintf(osr->codename, sizeof(osr->codename), "%s", osr->ubuntu_codename);
        return 0;
}

static int word_in(const char *list, const char *word)
{
        size_t n = strlen(word);

        for (const char *p = list; *p;) {
                size_t len = strcspn(p, " ");
                if (len == n && memcmp(p, word, n) == 0)
                        return 1;
                p += len;
                p += strspn(p, " ");
        }
        return 0;
}

const char *os_release_distro(const struct os_release *osr)
{
        if (strcmp(osr->id, "ubuntu") == 0 || osr->ubuntu_codename[0] ||
            word_in(osr->id_like, "ubuntu"))
                return "ubuntu";
        if (strcmp(osr->id, "debian") == 0 || word_in(osr->id_like, "debian"))
                return "debian";
        return NULL;
}

/* Splits one CSV line (no quoting in these tables) into at most max fields. */
static size_t split(const char *line, size_t len, char fields[][64], size_t max)
{
        size_t n = 0, start = 0;

        for (size_t i = 0; i <= len && n < max; i++) {
                if (i == len || line[i] == ',') {
                        size_t flen = i - start;
                        if (flen >= 64)
                                flen = 63;
                        memcpy(fields[n], line + start, flen);
                        fields[n][flen] = '\0';
                        n++;
                        start = i + 1;
                }
        }
        return n;
}

/* Copies src, cut to fit dst. */
static void copy(char *dst, size_t size, const char *src)
{
        size_t n = strnlen(src, size - 1);

        memcpy(dst, src, n);
        dst[n] = '\0';
}

int distro_info_find(const char *csv, const char *series, const char *version,
                     struct distro_row *row)
{
        char f[10][64], vnum[32];

        /* Match pass 1 on the series (codename), pass 2 on the version number. */
        for (int pass = 0; pass < 2; pass++) {
                const char *want = pass == 0 ? series : version;
                bool first = true;

                if (!want || !*want)
                        continue;
                for (const char *p = csv; *p;) {
                        size_t len = strcspn(p, "\n"), n;

                        if (len && p[len - 1] == '\r')
                                len--;
                        n = first ? 0 : split(p, len, f, 10);
                        first = false;
                        p += strcspn(p, "\n");
                        if (*p)
                                p++;
                        if (n < 6)
                                continue;
                        /* "24.04 LTS" in ubuntu.csv: compare the number alone. */
                        snprintf(vnum, sizeof(vnum), "%.*s", (int)strcspn(f[0], " "), f[0]);
                        if (strcmp(pass == 0 ? f[2] : vnum, want) != 0)
                                continue;
                        memset(row, 0, sizeof(*row));
                        copy(row->version, sizeof(row->version), f[0]);
                        copy(row->codename, sizeof(row->codename), f[1]);
                        copy(row->series, sizeof(row->series), f[2]);
                        copy(row->release, sizeof(row->release), f[4]);
                        copy(row->eol, sizeof(row->eol), f[5]);
                        for (size_t i = 6; i < n && i < 9; i++)
                                copy(row->ext[i - 6], sizeof(row->ext[0]), f[i]);
                        return 0;
                }
        }
        return -ENOENT;
}
