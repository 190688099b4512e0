/* cmd_backup.c - hygie-server backup and restore, for a collector on
 * SQLite.
 *
 * A backup is one SQLite file: a consistent copy of the running collector's
 * database (SQLite's online backup: the collector goes on storing reports
 * meanwhile), and in its table hygie_backup the data directory's CA and
 * server keys and certificates. It holds the CA key: it is made 0600 and
 * is to be kept as safely. restore makes a new data directory from it. On
 * PostgreSQL, pg_dump takes the database (README). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "cli.h"
#include "dirops.h"
#include "file.h"
#include "store.h"

/* The data directory's files a backup holds, and their modes. */
static const struct {
        const char *name;
        mode_t mode;
} kept[] = {
        { "ca.key", 0600 },
        { "ca.crt", 0644 },
        { "server.key", 0600 },
        { "server.crt", 0644 },
};
#define KEPT (sizeof(kept) / sizeof(kept[0]))

static int sqlite_fail(sqlite3 *db, const char *what, const char *path, struct error *e)
{
        error_set(e, path, 0, "%s: %s", what, db ? sqlite3_errmsg(db) : "out of memory");
        return -EIO;
}

/* Copies database from into to (both open). */
static int copy_db(sqlite3 *from, sqlite3 *to, const char *path, struct error *e)
{
        sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
        int rc;

        if (!b)
                return sqlite_fail(to, "cannot copy the database", path, e);
        /* All pages in one step: one read transaction, one consistent copy;
         * the collector's writes go on beside it (WAL). */
        while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED)
                sqlite3_sleep(50);
        sqlite3_backup_finish(b);
        if (rc != SQLITE_DONE) {
                error_set(e, path, 0, "cannot copy the database: %s", sqlite3_errstr(rc));
                return -EIO;
        }
        return 0;
}

static int exec(sqlite3 *db, const char *sql, const char *path, struct error *e)
{
        return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK
                   ? 0
                   : sqlite_fail(db, "cannot write the backup", path, e);
}

/* Whether SQLite finds the copy whole. */
static int check(sqlite3 *db, const char *path, struct error *e)
{
        sqlite3_stmt *st;
        int rc = 0;

        if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK)
                return sqlite_fail(db, "cannot check the backup", path, e);
        if (sqlite3_step(st) != SQLITE_ROW ||
            strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0) {
                error_set(e, path, 0, "the copy is damaged: %s",
                          sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0)
                                                     : "?");
                rc = -EIO;
        }
        sqlite3_finalize(st);
        return rc;
}

/* A new file at path, mode 0600, that no one else made first. */
static int create_private(const char *path, struct error *e)
{
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

        if (fd < 0) {
                error_set(e, path, 0, "%s",
                          errno == EEXIST ? "already there: not replaced" : strerror(errno));
                return -errno;
        }
        close(fd);
        return 0;
}

/* The data directory's files into table hygie_backup of db. */
static int keep_files(sqlite3 *db, const char *data, const char *path, struct error *e)
{
        sqlite3_stmt *st;
        struct dirops *d;
        int rc;

        if ((rc = exec(db,
                       "CREATE TABLE hygie_backup (name TEXT PRIMARY KEY,"
                       " mode INTEGER NOT NULL, content BLOB NOT NULL)",
                       path, e)) < 0)
                return rc;
        if ((rc = dirops_open(data, false, &d)) < 0) {
                error_set(e, data, 0, "cannot open: %s", strerror(-rc));
                return rc;
        }
        if (sqlite3_prepare_v2(db, "INSERT INTO hygie_backup VALUES (?, ?, ?)", -1, &st, NULL) !=
            SQLITE_OK) {
                dirops_close(d);
                return sqlite_fail(db, "cannot write the backup", path, e);
        }
        for (size_t i = 0; i < KEPT && rc == 0; i++) {
                void *content;
                size_t len;

                if ((rc = dirops_read(d, kept[i].name, 64 * 1024, &content, &len)) < 0) {
                        error_set(e, data, 0, "cannot read %s: %s", kept[i].name, strerror(-rc));
                        break;
                }
                sqlite3_bind_text(st, 1, kept[i].name, -1, SQLITE_STATIC);
                sqlite3_bind_int(st, 2, (int)kept[i].mode);
                sqlite3_bind_blob(st, 3, content, (int)len, free);
                if (sqlite3_step(st) != SQLITE_DONE)
                        rc = sqlite_fail(db, "cannot write the backup", path, e);
                sqlite3_reset(st);
        }
        sqlite3_finalize(st);
        dirops_close(d);
        return rc;
}

static int backup(const char *data, const char *to, struct error *e)
{
        char src[4096], tmp[4096];
        sqlite3 *from = NULL, *db = NULL;
        struct stat sb;
        int rc;

        snprintf(src, sizeof(src), "%s/hygie.db", data);
        if (snprintf(tmp, sizeof(tmp), "%s.partial", to) >= (int)sizeof(tmp)) {
                error_set(e, to, 0, "path too long");
                return -ENAMETOOLONG;
        }
        if (stat(to, &sb) == 0) {
                error_set(e, to, 0, "already there: not replaced");
                return -EEXIST;
        }
        if (stat(src, &sb) < 0) {
                error_set(e, src, 0, "no collector's database here: %s", strerror(errno));
                return -errno;
        }
        unlink(tmp); /* a backup cut short before */
        if ((rc = create_private(tmp, e)) < 0)
                return rc;
        if (sqlite3_open_v2(src, &from, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
                rc = sqlite_fail(from, "cannot open the database", src, e);
        else if (sqlite3_busy_timeout(from, 5000),
                 sqlite3_open_v2(tmp, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
                rc = sqlite_fail(db, "cannot open the backup", tmp, e);
        else if ((rc = copy_db(from, db, src, e)) == 0 &&
                 (rc = exec(db, "PRAGMA journal_mode=DELETE", tmp, e)) == 0 &&
                 (rc = keep_files(db, data, tmp, e)) == 0)
                rc = check(db, tmp, e);
        sqlite3_close(from);
        if (sqlite3_close(db) != SQLITE_OK && rc == 0)
                rc = sqlite_fail(db, "cannot close the backup", tmp, e);
        if (rc == 0 && rename(tmp, to) < 0) {
                error_set(e, to, 0, "cannot put the backup in place: %s", strerror(errno));
                rc = -errno;
        }
        if (rc < 0)
                unlink(tmp);
        return rc;
}

/* The backup's files into dir, then the database without them. */
static int restore(const char *from_path, const char *dir, struct error *e)
{
        char dst[4096];
        sqlite3 *from = NULL, *db = NULL;
        sqlite3_stmt *st = NULL;
        size_t files = 0;
        int rc = 0;

        if (mkdir(dir, 0700) < 0 && (errno != EEXIST || rmdir(dir) < 0 || mkdir(dir, 0700) < 0)) {
                error_set(e, dir, 0, "%s",
                          errno == ENOTEMPTY || errno == EEXIST
                              ? "not empty: restore makes a new data directory"
                              : strerror(errno));
                return -EEXIST;
        }
        snprintf(dst, sizeof(dst), "%s/hygie.db", dir);
        if (sqlite3_open_v2(from_path, &from, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
            sqlite3_prepare_v2(from, "SELECT name, mode, content FROM hygie_backup", -1, &st,
                               NULL) != SQLITE_OK) {
                error_set(e, from_path, 0, "not a hygie-server backup: %s",
                          from ? sqlite3_errmsg(from) : "out of memory");
                rc = -EINVAL;
        }
        while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
                const char *name = (const char *)sqlite3_column_text(st, 0);
                int mode = sqlite3_column_int(st, 1);

                for (size_t i = 0; i < KEPT; i++)
                        if (name && strcmp(name, kept[i].name) == 0 && mode == (int)kept[i].mode) {
                                rc = file_replace(dir, name, sqlite3_column_blob(st, 2),
                                                  (size_t)sqlite3_column_bytes(st, 2), (mode_t)mode,
                                                  e);
                                files++;
                        }
        }
        sqlite3_finalize(st);
        if (rc == 0 && files != KEPT) {
                error_set(e, from_path, 0, "the backup holds %zu of the %zu files it should", files,
                          (size_t)KEPT);
                rc = -EINVAL;
        }
        if (rc == 0 && (rc = create_private(dst, e)) == 0) {
                if (sqlite3_open_v2(dst, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
                        rc = sqlite_fail(db, "cannot open", dst, e);
                /* The keys leave the database, and no page keeps them. */
                else if ((rc = copy_db(from, db, from_path, e)) == 0 &&
                         (rc = exec(db, "PRAGMA secure_delete=ON", dst, e)) == 0 &&
                         (rc = exec(db, "DROP TABLE hygie_backup", dst, e)) == 0 &&
                         (rc = exec(db, "VACUUM", dst, e)) == 0)
                        rc = exec(db, "PRAGMA journal_mode=WAL", dst, e);
                sqlite3_close(db);
        }
        sqlite3_close(from);
        return rc;
}

int cmd_backup(int argc, char **argv, bool restoring)
{
        static const struct option opts[] = {
                PLACE_OPTIONS,
                { "to", required_argument, NULL, 't' },
                { "from", required_argument, NULL, 'f' },
                { 0 },
        };
        struct place pl = PLACE_INIT;
        const char *to = NULL, *from = NULL;
        struct store *st = NULL;
        struct error e;
        int c, rc;

        optind = 1;
        while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
                if (place_option(&pl, c))
                        continue;
                if (c == 't' && !restoring)
                        to = optarg;
                else if (c == 'f' && restoring)
                        from = optarg;
                else {
                        usage(stderr);
                        return 2;
                }
        }
        if (optind != argc || (restoring ? !from : !to)) {
                usage(stderr);
                return 2;
        }
        if (pl.database) {
                fprintf(stderr,
                        "hygie-server: %s copies a collector on SQLite; on PostgreSQL, "
                        "pg_dump takes the database, and %s's ca.key, ca.crt, server.key "
                        "and server.crt are to be kept beside it (README, Backups)\n",
                        restoring ? "restore" : "backup", pl.data);
                return 2;
        }
        if (!restoring) {
                if ((rc = backup(pl.data, to, &e)) < 0) {
                        say_error(&e);
                        return 1;
                }
                printf("%s: a backup of %s, with its CA key: keep it as safe as the key\n", to,
                       pl.data);
                return 0;
        }
        /* Opening it brings its schema up to this hygie-server's. */
        if ((rc = restore(from, pl.data, &e)) < 0 ||
            (rc = store_open(NULL, pl.data, &st, &e)) < 0) {
                say_error(&e);
                return 1;
        }
        store_close(st);
        printf("%s restored from %s: hygie-server serve --data %s\n", pl.data, from, pl.data);
        return 0;
}
