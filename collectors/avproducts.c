/* avproducts.c - reading the antivirus products table with inih.
 * One [id] section a product; lists are space-separated and bounded. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <ini.h>

#include "avproducts.h"

struct load {
        struct avproducts *t;
        char msg[200];
};

static int fail(struct load *l, const char *fmt, const char *a)
{
        if (!l->msg[0])
                snprintf(l->msg, sizeof(l->msg), fmt, a);
        return 0;
}

/* Splits value into at most AVPRODUCT_LIST words of at most size-1 bytes. */
static int split(struct load *l, const char *name, const char *value, char *list, size_t size,
                 size_t *n)
{
        *n = 0;
        for (const char *p = value + strspn(value, " \t"); *p; p += strspn(p, " \t")) {
                size_t len = strcspn(p, " \t");

                if (*n == AVPRODUCT_LIST || len >= size)
                        return fail(l, "%s: too many or too long entries", name);
                memcpy(list + *n * size, p, len);
                list[*n * size + len] = '\0';
                (*n)++;
                p += len;
        }
        return 1;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
        struct load *l = user;
        struct avproducts *t = l->t;
        struct avproduct *p = t->n ? &t->v[t->n - 1] : NULL;

        if (!p || strcmp(p->id, section) != 0) { /* the first key of a section */
                if (t->n == AVPRODUCTS_MAX)
                        return fail(l, "more than 64 products%s", "");
                if (!*section || strlen(section) >= sizeof(p->id))
                        return fail(l, "[%s]: a product id has 1 to 31 characters", section);
                for (size_t i = 0; i < t->n; i++)
                        if (strcmp(t->v[i].id, section) == 0)
                                return fail(l, "[%s]: declared twice", section);
                p = &t->v[t->n++];
                memset(p, 0, sizeof(*p));
                snprintf(p->id, sizeof(p->id), "%s", section);
        }
        if (strcmp(name, "name") == 0) {
                if (!*value || strlen(value) >= sizeof(p->name))
                        return fail(l, "name: empty or too long: \"%s\"", value);
                snprintf(p->name, sizeof(p->name), "%s", value);
        } else if (strcmp(name, "paths") == 0) {
                if (!split(l, name, value, p->paths[0], sizeof(p->paths[0]), &p->npaths))
                        return 0;
                for (size_t i = 0; i < p->npaths; i++)
                        if (p->paths[i][0] != '/')
                                return fail(l, "paths: \"%s\" is not absolute", p->paths[i]);
        } else if (strcmp(name, "services") == 0) {
                return split(l, name, value, p->services[0], sizeof(p->services[0]), &p->nservices);
        } else if (strcmp(name, "processes") == 0) {
                return split(l, name, value, p->processes[0], sizeof(p->processes[0]),
                             &p->nprocesses);
        } else if (strcmp(name, "windows_services") == 0) {
                return split(l, name, value, p->windows_services[0], sizeof(p->windows_services[0]),
                             &p->nwindows_services);
        } else if (strcmp(name, "realtime") == 0) {
                if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0)
                        return fail(l, "realtime: yes or no, not \"%s\"", value);
                p->realtime = strcmp(value, "yes") == 0;
        } else {
                return fail(l,
                            "unknown key \"%s\" (name, paths, services, processes, "
                            "windows_services, realtime)",
                            name);
        }
        return 1;
}

int avproducts_parse(const char *text, const char *file, struct avproducts *t, struct error *e)
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
                if (!t->v[i].npaths && !t->v[i].nservices && !t->v[i].nprocesses &&
                    !t->v[i].nwindows_services) {
                        error_set(e, file, 0, "[%s]: nothing to recognise it by", t->v[i].id);
                        return -EINVAL;
                }
        }
        return 0;
}
