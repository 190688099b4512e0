/* migrations.h - the schema changes written once for both engines, after
 * each driver's own first STORE_BASELINE (migrations.c). */
#ifndef HYGIE_STORE_MIGRATIONS_H
#define HYGIE_STORE_MIGRATIONS_H

#define STORE_BASELINE 8 /* the schema version the drivers' own migrations reach */

/* store_migrations[i] brings the schema to version STORE_BASELINE + i + 1. */
extern const char *const store_migrations[];
extern const int store_migrations_count;

#endif
