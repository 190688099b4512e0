/* migrations.c - the schema changes written once for both engines: those
 * after the eight each driver shipped in its own SQL (store/sqlite.c,
 * store/pg.c). They use only what both engines take as it is: TEXT, BIGINT
 * for numbers and Unix times, no engine's own functions. Migration N
 * brings the schema from version N - 1 to N. Never edit one that has
 * shipped: add the next. */
#include "migrations.h"

const char *const store_migrations[] = {
        /* 9: the periodic work of the collectors that share the store: which
         * one last ran each, and when (duties.c; /metrics on every node). */
        "CREATE TABLE duties ("
        "  name TEXT PRIMARY KEY,"
        "  node TEXT NOT NULL,"
        "  started_at BIGINT NOT NULL,"
        "  finished_at BIGINT NOT NULL)",

        /* 10: an alert's summary in French, as the agent sent it beside the
         * English (NULL: none, an older agent's or the collector's own). */
        "ALTER TABLE alerts ADD COLUMN summary_fr TEXT",

        /* 11: what the machine list shows of a machine, from its latest os
         * and hardware facts (intake.c). */
        "ALTER TABLE agents ADD COLUMN os TEXT;"
        "ALTER TABLE agents ADD COLUMN model TEXT;"
        "ALTER TABLE agents ADD COLUMN ram_mib BIGINT;"
        "ALTER TABLE agents ADD COLUMN disk TEXT;"
        "ALTER TABLE agents ADD COLUMN disk_gb BIGINT",

        /* 12: what to do about an alert, in English and French, as the
         * agent's finding said (the establishment's "what to do first"). */
        "ALTER TABLE alerts ADD COLUMN remediation TEXT;"
        "ALTER TABLE alerts ADD COLUMN remediation_fr TEXT",

        /* 13: the alerts pages: the most severe and oldest first, counted
         * per severity, grouped by check and establishment. */
        "CREATE INDEX alerts_rank ON alerts (status, severity, opened_at, id);"
        "CREATE INDEX alerts_place ON alerts (finess, status, severity, opened_at, id);"
        "CREATE INDEX alerts_groups ON alerts (status, check_id, finess, agent_id, severity,"
        " opened_at)",
};

const int store_migrations_count = sizeof(store_migrations) / sizeof(store_migrations[0]);
