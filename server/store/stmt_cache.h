/* stmt_cache.h - the statements a driver keeps prepared, found by their
 * text: the store's operations pass the same texts again and again. */
#ifndef HYGIE_STORE_STMT_CACHE_H
#define HYGIE_STORE_STMT_CACHE_H

#include <stddef.h>

#define STMT_CACHE_MAX 512 /* statements kept; past it, the others run unprepared */

struct stmt_cached {
        struct stmt_cached *next;
        unsigned hash;
        unsigned serial; /* 1, 2... in the order added: names them on PostgreSQL */
        void *handle;    /* the driver's, NULL until it prepared the statement */
        char sql[];
};

struct stmt_cache {
        struct stmt_cached *bucket[256];
        unsigned count;
};

/* The entry for sql, added with a NULL handle the first time; NULL when the
 * cache is full or memory is short. */
struct stmt_cached *stmt_cache_get(struct stmt_cache *c, const char *sql);
/* Frees every entry, calling drop (when not NULL) on each handle set. */
void stmt_cache_free(struct stmt_cache *c, void (*drop)(void *handle));

#endif
