/* migrations.h - the schema changes written once for both engines, after
 * each driver's own first STORE_BASELINE (migrations.c). */
#ifndef HYGIE_STORE_MIGRATIONS_H
#define HYGIE_STORE_MIGRATIONS_H

#define STORE_BASELINE 8 /* the schema version the drivers' own migrations reach */

/* A schema change: sql for both engines, then the engine's own part; each
 * may be NULL. store_migrations[i] brings the schema to version
 * STORE_BASELINE + i + 1. */
struct store_migration {
        const char *sql, *sqlite, *postgresql;
};
extern const struct store_migration store_migrations[];
extern const int store_migrations_count;

#endif
