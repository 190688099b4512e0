/* backup_products.c - reading the Windows backup products table with inih.
 *
 * One [id] section a product. Windows paths and service names hold spaces,
 * so a list is written one entry a line ("path = ..." repeated), at most
 * BACKUP_PRODUCT_LIST of each; every entry is checked for its shape here so
 * that the collector only ever joins, expands and looks up safe text. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <ini.h>

#include "backup_products.h"

const char *const backup_products_path_vars[] = {
        "%ProgramFiles%", "%ProgramFiles(x86)%", "%ProgramData%",
        "%SystemRoot%",   "%SystemDrive%",       NULL,
};

struct load {
        struct backup_products *t;
        char msg[200];
};

static int fail(struct load *l, const char *fmt, const char *a)
{
        if (!l->msg[0])
                snprintf(l->msg, sizeof(l->msg), fmt, a);
        return 0;
}

/* Printable ASCII, or bytes of UTF-8 text (checked where the text is used). */
static bool printable(const char *s)
{
        for (; *s; s++)
                if ((unsigned char)*s < 0x20 || *s == 0x7f)
                        return false;
        return true;
}

static bool valid_id(const char *s)
{
        size_t n = strlen(s);

        if (n == 0 || n >= sizeof(((struct backup_product *)0)->id) || s[0] == '-')
                return false;
        for (; *s; s++)
                if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
                        return false;
        return true;
}

static bool prefix_nocase(const char *s, const char *prefix)
{
        for (; *prefix; s++, prefix++) {
                char a = *s >= 'A' && *s <= 'Z' ? (char)(*s + 32) : *s;
                char b = *prefix >= 'A' && *prefix <= 'Z' ? (char)(*prefix + 32) : *prefix;

                if (a != b)
                        return false;
        }
        return true;
}

/* Backslash-separated components after the root: none empty, "." or "..",
 * none with a character Windows forbids in a name. */
static bool clean_components(const char *s, bool path)
{
        if (!*s || s[strlen(s) - 1] == '\\')
                return false;
        while (*s) {
                size_t n = strcspn(s, "\\");

                if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
                        return false;
                for (size_t i = 0; path && i < n; i++)
                        if (strchr("<>:\"/|?*%", s[i]))
                                return false;
                s += n + (s[n] == '\\');
        }
        return true;
}

/* "X:\..." or "%Var%\..." with Var one of backup_products_path_vars. */
static bool valid_path(const char *s)
{
        if (!printable(s))
                return false;
        if (((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')) && s[1] == ':' &&
            s[2] == '\\')
                return clean_components(s + 3, true);
        for (size_t i = 0; backup_products_path_vars[i]; i++) {
                size_t n = strlen(backup_products_path_vars[i]);

                if (strncmp(s, backup_products_path_vars[i], n) == 0 && s[n] == '\\')
                        return clean_components(s + n + 1, true);
        }
        return false;
}

static bool valid_key(const char *s)
{
        return printable(s) && prefix_nocase(s, "SOFTWARE\\") && clean_components(s + 9, false);
}

static bool valid_service(const char *s)
{
        return *s && printable(s) && !strchr(s, '\\') && !strchr(s, '/');
}

static int add(struct load *l, const char *name, const char *value, char *list, size_t size,
               size_t *n, bool (*valid)(const char *), const char *shape)
{
        if (l->msg[0])
                return 0;
        if (*n == BACKUP_PRODUCT_LIST)
                snprintf(l->msg, sizeof(l->msg), "%s: more than %d entries", name,
                         BACKUP_PRODUCT_LIST);
        else if (strlen(value) >= size)
                snprintf(l->msg, sizeof(l->msg), "%s: longer than %zu bytes: \"%.100s\"", name,
                         size - 1, value);
        else if (!valid(value))
                snprintf(l->msg, sizeof(l->msg), "%s: \"%.100s\" is not %s", name, value, shape);
        if (l->msg[0])
                return 0;
        memcpy(list + *n * size, value, strlen(value) + 1);
        (*n)++;
        return 1;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
        struct load *l = user;
        struct backup_products *t = l->t;
        struct backup_product *p = t->n ? &t->v[t->n - 1] : NULL;

        if (!p || strcmp(p->id, section) != 0) { /* the first key of a section */
                if (t->n == BACKUP_PRODUCTS_MAX)
                        return fail(l, "more than 64 products%s", "");
                if (!valid_id(section))
                        return fail(l, "[%s]: a product id has 1 to 31 characters a-z, 0-9 or -",
                                    section);
                for (size_t i = 0; i < t->n; i++)
                        if (strcmp(t->v[i].id, section) == 0)
                                return fail(l, "[%s]: declared twice", section);
                p = &t->v[t->n++];
                memset(p, 0, sizeof(*p));
                snprintf(p->id, sizeof(p->id), "%s", section);
        }
        if (strcmp(name, "name") == 0) {
                if (p->name[0])
                        return fail(l, "name: given twice%s", "");
                if (!*value || strlen(value) >= sizeof(p->name) || !printable(value))
                        return fail(l, "name: empty or too long: \"%s\"", value);
                snprintf(p->name, sizeof(p->name), "%s", value);
                return 1;
        }
        if (strcmp(name, "service") == 0)
                return add(l, name, value, p->services[0], sizeof(p->services[0]), &p->nservices,
                           valid_service, "a service name");
        if (strcmp(name, "path") == 0)
                return add(l, name, value, p->paths[0], sizeof(p->paths[0]), &p->npaths, valid_path,
                           "a path X:\\... or %ProgramFiles%\\...");
        if (strcmp(name, "registry") == 0)
                return add(l, name, value, p->keys[0], sizeof(p->keys[0]), &p->nkeys, valid_key,
                           "a key SOFTWARE\\...");
        return fail(l, "unknown key \"%s\" (name, service, path, registry)", name);
}

int backup_products_parse(const char *text, const char *file, struct backup_products *t,
                          struct error *e)
{
        struct load l = { .t = t };
        int rc;

        t->n = 0;
        rc = ini_parse_string(text, handler, &l);
        if (rc != 0) {
                error_set(e, file, rc > 0 ? (unsigned)rc : 0, "%s",
                          l.msg[0] ? l.msg : "not an INI line");
                return -EINVAL;
        }
        for (size_t i = 0; i < t->n; i++) {
                if (!t->v[i].name[0]) {
                        error_set(e, file, 0, "[%s]: no name", t->v[i].id);
                        return -EINVAL;
                }
                if (!t->v[i].nservices && !t->v[i].npaths && !t->v[i].nkeys) {
                        error_set(e, file, 0, "[%s]: nothing to recognise it by", t->v[i].id);
                        return -EINVAL;
                }
        }
        return 0;
}
