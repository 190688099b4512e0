/* migrations.c - the schema changes written once for both engines: those
 * after the eight each driver shipped in its own SQL (store/sqlite.c,
 * store/pg.c). They use only what both engines take as it is: TEXT, BIGINT
 * for numbers and Unix times, no engine's own functions; only triggers,
 * whose languages differ, are written twice. Migration N brings the schema
 * from version N - 1 to N. Never edit one that has shipped: add the next. */
#include "migrations.h"

/* Migration 14: the counts of one group of alerts (status, finess,
 * check_id), as alert_groups keeps them. */
#define GROUP_COUNTS                                                                               \
        " sum(CASE WHEN severity = 'critical' THEN 1 ELSE 0 END),"                                 \
        " sum(CASE WHEN severity = 'high' THEN 1 ELSE 0 END),"                                     \
        " sum(CASE WHEN severity = 'medium' THEN 1 ELSE 0 END),"                                   \
        " sum(CASE WHEN severity = 'low' THEN 1 ELSE 0 END),"                                      \
        " sum(CASE WHEN severity IN ('critical', 'high', 'medium', 'low') THEN 0 ELSE 1 END),"     \
        " count(DISTINCT agent_id), min(opened_at)"
/* The group of S, C, F counted again from its alerts (none if resolved). */
#define GROUP_REFRESH(S, C, F)                                                                     \
        "DELETE FROM alert_groups WHERE status = " S " AND finess = " F " AND check_id = " C ";"   \
        "INSERT INTO alert_groups SELECT status, finess, check_id," GROUP_COUNTS                   \
        " FROM alerts WHERE status = " S " AND finess = " F " AND check_id = " C " AND " S         \
        " <> 'resolved' GROUP BY status, finess, check_id;"
/* An update that moves an alert between groups, or changes its counts. */
#define GROUP_MOVED(OLD, NEW, DIFFERS)                                                             \
        "(" OLD ".status <> 'resolved' OR " NEW ".status <> 'resolved') AND (" OLD                 \
        ".status " DIFFERS " " NEW ".status OR " OLD ".finess " DIFFERS " " NEW ".finess OR " OLD  \
        ".check_id " DIFFERS " " NEW ".check_id OR " OLD ".severity " DIFFERS " " NEW              \
        ".severity OR " OLD ".agent_id " DIFFERS " " NEW ".agent_id OR " OLD ".opened_at " DIFFERS \
        " " NEW ".opened_at)"

const struct store_migration store_migrations[] = {
        /* 9: the periodic work of the collectors that share the store: which
         * one last ran each, and when (duties.c; /metrics on every node). */
        { .sql = "CREATE TABLE duties ("
                 "  name TEXT PRIMARY KEY,"
                 "  node TEXT NOT NULL,"
                 "  started_at BIGINT NOT NULL,"
                 "  finished_at BIGINT NOT NULL)" },

        /* 10: an alert's summary in French, as the agent sent it beside the
         * English (NULL: none, an older agent's or the collector's own). */
        { .sql = "ALTER TABLE alerts ADD COLUMN summary_fr TEXT" },

        /* 11: what the machine list shows of a machine, from its latest os
         * and hardware facts (intake.c). */
        { .sql = "ALTER TABLE agents ADD COLUMN os TEXT;"
                 "ALTER TABLE agents ADD COLUMN model TEXT;"
                 "ALTER TABLE agents ADD COLUMN ram_mib BIGINT;"
                 "ALTER TABLE agents ADD COLUMN disk TEXT;"
                 "ALTER TABLE agents ADD COLUMN disk_gb BIGINT" },

        /* 12: what to do about an alert, in English and French, as the
         * agent's finding said (the establishment's "what to do first"). */
        { .sql = "ALTER TABLE alerts ADD COLUMN remediation TEXT;"
                 "ALTER TABLE alerts ADD COLUMN remediation_fr TEXT" },

        /* 13: the alerts pages: the most severe and oldest first, counted
         * per severity, grouped by check and establishment. */
        { .sql =
              "CREATE INDEX alerts_rank ON alerts (status, severity, opened_at, id);"
              "CREATE INDEX alerts_place ON alerts (finess, status, severity, opened_at, id);"
              "CREATE INDEX alerts_groups ON alerts (status, check_id, finess, agent_id, severity,"
              " opened_at)" },

        /* 14: the alerts that are not resolved, counted per status,
         * establishment and check, so that the grouped alerts and the
         * counts per severity read one row per group instead of every
         * alert. Triggers keep the counts: a change recounts the groups it
         * touches, along alerts_groups. On PostgreSQL a transaction that
         * recounts holds a lock until it commits, so that two recounting
         * the same group cannot both miss the other's alerts. It is one
         * lock for all groups, which no two transactions can take in
         * opposite orders: the transactions that change alerts take turns
         * (most reports change none). The lock is advisory, in the two-key
         * space ("hygi" in ASCII, 0), apart from the collector's others. */
        // clang-format off
        { .sql = "CREATE TABLE alert_groups ("
                 "  status TEXT NOT NULL,"
                 "  finess TEXT NOT NULL,"
                 "  check_id TEXT NOT NULL,"
                 "  critical BIGINT NOT NULL,"
                 "  high BIGINT NOT NULL,"
                 "  medium BIGINT NOT NULL,"
                 "  low BIGINT NOT NULL,"
                 "  info BIGINT NOT NULL,"
                 "  machines BIGINT NOT NULL,"
                 "  oldest BIGINT NOT NULL,"
                 "  PRIMARY KEY (status, finess, check_id));"
                 "INSERT INTO alert_groups SELECT status, finess, check_id," GROUP_COUNTS
                 " FROM alerts WHERE status <> 'resolved' GROUP BY status, finess, check_id",
          .sqlite =
                 "CREATE TRIGGER alert_groups_insert AFTER INSERT ON alerts"
                 "  WHEN new.status <> 'resolved' BEGIN "
                 GROUP_REFRESH("new.status", "new.check_id", "new.finess") " END;"
                 "CREATE TRIGGER alert_groups_delete AFTER DELETE ON alerts"
                 "  WHEN old.status <> 'resolved' BEGIN "
                 GROUP_REFRESH("old.status", "old.check_id", "old.finess") " END;"
                 "CREATE TRIGGER alert_groups_update AFTER UPDATE OF status, finess, check_id,"
                 "  severity, agent_id, opened_at ON alerts"
                 "  WHEN " GROUP_MOVED("old", "new", "IS NOT") " BEGIN "
                 GROUP_REFRESH("old.status", "old.check_id", "old.finess")
                 GROUP_REFRESH("new.status", "new.check_id", "new.finess") " END",
          .postgresql =
                 "CREATE FUNCTION alert_group_refresh(s TEXT, c TEXT, f TEXT) RETURNS void"
                 "  LANGUAGE plpgsql AS $$"
                 "  BEGIN"
                 "    IF s = 'resolved' THEN RETURN; END IF;"
                 "    PERFORM pg_advisory_xact_lock(1752786793, 0);"
                 "    " GROUP_REFRESH("s", "c", "f")
                 "  END $$;"
                 "CREATE FUNCTION alert_groups_change() RETURNS trigger LANGUAGE plpgsql AS $$"
                 "  BEGIN"
                 "    IF TG_OP <> 'INSERT' THEN"
                 "      PERFORM alert_group_refresh(OLD.status, OLD.check_id, OLD.finess);"
                 "    END IF;"
                 "    IF TG_OP <> 'DELETE' THEN"
                 "      PERFORM alert_group_refresh(NEW.status, NEW.check_id, NEW.finess);"
                 "    END IF;"
                 "    RETURN NULL;"
                 "  END $$;"
                 "CREATE TRIGGER alert_groups_insert AFTER INSERT OR DELETE ON alerts"
                 "  FOR EACH ROW EXECUTE FUNCTION alert_groups_change();"
                 "CREATE TRIGGER alert_groups_update AFTER UPDATE OF status, finess, check_id,"
                 "  severity, agent_id, opened_at ON alerts FOR EACH ROW"
                 "  WHEN (" GROUP_MOVED("OLD", "NEW", "IS DISTINCT FROM") ")"
                 "  EXECUTE FUNCTION alert_groups_change()" },
        // clang-format on

        /* 15: the language of the e-mail digest a user receives ("fr" or
         * "en"), where no browser says which it reads. */
        { .sql = "ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT 'fr'" },

        /* 16: what reports carry, kept once for as long as it does not
         * change: a family's facts (name "os") or a check's findings (name
         * "os.supported"), from the report seq on, gzip'd JSON named by its
         * digest (digest.h), until replaced_at; NULL: the latest. Reports
         * whose blocks are kept so keep only their envelope (encoding
         * "blocks"); a machine's page reads the others, kept whole, by their
         * own index. */
        { .sql = "CREATE INDEX reports_whole ON reports (agent_id, seq) WHERE encoding <> 'blocks'",
          .sqlite = "CREATE TABLE blocks ("
                    "  agent_id TEXT NOT NULL REFERENCES agents (id),"
                    "  name TEXT NOT NULL,"
                    "  seq INTEGER NOT NULL,"
                    "  digest TEXT NOT NULL,"
                    "  received_at INTEGER NOT NULL,"
                    "  replaced_at INTEGER,"
                    "  body BLOB NOT NULL,"
                    "  PRIMARY KEY (agent_id, name, seq));"
                    "CREATE UNIQUE INDEX blocks_latest ON blocks (agent_id, name)"
                    "  WHERE replaced_at IS NULL",
          .postgresql = "CREATE TABLE blocks ("
                        "  agent_id TEXT NOT NULL REFERENCES agents (id),"
                        "  name TEXT NOT NULL,"
                        "  seq BIGINT NOT NULL,"
                        "  digest TEXT NOT NULL,"
                        "  received_at BIGINT NOT NULL,"
                        "  replaced_at BIGINT,"
                        "  body BYTEA NOT NULL,"
                        "  PRIMARY KEY (agent_id, name, seq));"
                        "CREATE UNIQUE INDEX blocks_latest ON blocks (agent_id, name)"
                        "  WHERE replaced_at IS NULL" },

        /* 17: what retention prunes, oldest first (store/prune.c); the daily
         * rollups kept for good, each machine's equipment flags (EQUIP_*)
         * and OS support, and per establishment the machines to replace, to
         * upgrade, and on an OS past its support. */
        { .sql = "CREATE INDEX reports_received ON reports (received_at);"
                 "CREATE INDEX blocks_replaced ON blocks (replaced_at)"
                 "  WHERE replaced_at IS NOT NULL;"
                 "ALTER TABLE machine_days ADD COLUMN equipment BIGINT;"
                 "ALTER TABLE machine_days ADD COLUMN os_supported BIGINT;"
                 "ALTER TABLE establishment_days ADD COLUMN to_replace BIGINT;"
                 "ALTER TABLE establishment_days ADD COLUMN to_upgrade BIGINT;"
                 "ALTER TABLE establishment_days ADD COLUMN os_unsupported BIGINT" },
};

const int store_migrations_count = sizeof(store_migrations) / sizeof(store_migrations[0]);
