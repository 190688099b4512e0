/* stmt_cache.c - the statements a driver keeps prepared, found by their text. */
#include <stdlib.h>
#include <string.h>

#include "stmt_cache.h"

struct stmt_cached *stmt_cache_get(struct stmt_cache *c, const char *sql)
{
        unsigned h = 2166136261u;
        struct stmt_cached *sc, **b;
        size_t len = 0;

        for (; sql[len]; len++)
                h = (h ^ (unsigned char)sql[len]) * 16777619u;
        b = &c->bucket[h % (sizeof(c->bucket) / sizeof(c->bucket[0]))];
        for (sc = *b; sc; sc = sc->next)
                if (sc->hash == h && strcmp(sc->sql, sql) == 0)
                        return sc;
        if (c->count >= STMT_CACHE_MAX || !(sc = malloc(sizeof(*sc) + len + 1)))
                return NULL;
        memcpy(sc->sql, sql, len + 1);
        sc->hash = h;
        sc->serial = ++c->count;
        sc->handle = NULL;
        sc->next = *b;
        *b = sc;
        return sc;
}

void stmt_cache_free(struct stmt_cache *c, void (*drop)(void *handle))
{
        for (size_t i = 0; i < sizeof(c->bucket) / sizeof(c->bucket[0]); i++) {
                struct stmt_cached *sc = c->bucket[i], *next;

                for (; sc; sc = next) {
                        next = sc->next;
                        if (drop && sc->handle)
                                drop(sc->handle);
                        free(sc);
                }
                c->bucket[i] = NULL;
        }
        c->count = 0;
}
