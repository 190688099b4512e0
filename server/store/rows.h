/* rows.h - what the store's operations share (store/): the scope of a
 * filter, its parameters, and reading text values. */
#ifndef HYGIE_STORE_ROWS_H
#define HYGIE_STORE_ROWS_H

#include <stddef.h>

#include "driver.h"
#include "store.h"

/* The establishments a filter lets through ($1 finess, $2 region, $3
 * department; NULL lets all through). */
#define SCOPE                                                                                      \
        " (CAST($1 AS TEXT) IS NULL OR e.finess = $1)"                                             \
        " AND (CAST($2 AS TEXT) IS NULL OR e.region = $2)"                                         \
        " AND (CAST($3 AS TEXT) IS NULL OR e.department = $3)"

/* A list filter as store_rows() parameters: $1-$6 its fields (NULL unfiltered),
 * $7 the limit (1000 when none). */
struct filter_params {
        const char *v[7];
        char limit[24];
};
const char *const *store_filter_params(struct filter_params *fp, const struct store_filter *f);
/* v, or NULL when it is NULL or "". */
const char *store_or_null(const char *v);
/* A text value into a fixed field ("" for NULL); a number (0 for NULL). */
void store_copy(char *dst, size_t size, const char *v);
long long store_num(const char *v);

/* Frees what intake keeps between batches (store/reports.c). */
void store_intake_free(struct store *s);

#endif
