/* db.h - the collector's store, driven from threads of its own.
 *
 * The loop never waits on the database: routes hand jobs to two worker
 * threads, each with its own store connection. The writer takes every
 * change: reports that queue up while a transaction commits are stored
 * together in the next one and acknowledged together (group commit): one
 * fsync for many agents, never a weaker one. The reader takes what only
 * reads (dashboard pages, policies), so a heavy page never holds a report's
 * acknowledgement back. */
#ifndef HYGIE_DB_H
#define HYGIE_DB_H

#include <stdbool.h>
#include <uv.h>

#include "error.h"
#include "store.h"

#define DB_BATCH_MAX 512

struct db_job;
struct db_worker;
/* Runs on a worker thread; returns 0 or -errno (e filled). */
typedef int db_run_fn(struct store *s, struct db_job *j, struct error *e);
/* Runs on the loop thread once the job is done. */
typedef void db_done_fn(struct db_job *j);

struct db_job {
        db_run_fn *run;              /* NULL for a report */
        struct store_report *report; /* set for a report */
        db_done_fn *done;
        bool read_only;           /* it changes nothing: the reader may run it */
        struct db_worker *worker; /* the one running it, for db_rules */
        int rc;
        struct error e;
        struct db_job *next;
};

struct db_stats {
        unsigned long long batches, reports, failures;
        double commit_seconds; /* summed over batches */
};

struct db_worker {
        struct db *db;
        uv_thread_t thread;
        uv_cond_t cond;
        struct db_job *queue, **queue_tail; /* under db->lock */
        struct store *store;
        struct policy_cache *policies;
        bool started;
};

struct db {
        uv_loop_t *loop;
        uv_async_t wake;
        uv_mutex_t lock;
        struct db_worker writer, reader;
        struct db_job *finished, **finished_tail;
        size_t queued_reports;
        bool stopping, started;
        struct db_stats stats; /* under lock */
};

/* Opens the store twice (url as store_open) and starts the workers; the
 * writer stores reports within max_size bytes of database (0: the disk's;
 * store_max_size). */
int db_start(struct db *d, uv_loop_t *loop, const char *url, const char *data_dir,
             long long max_size, struct error *e);
/* Queues a job, on the reader when it is read_only; its done callback runs
 * on the loop. */
void db_submit(struct db *d, struct db_job *j);
/* Reports waiting for a transaction: what the 503 back-pressure looks at. */
size_t db_backlog(struct db *d);
struct db_stats db_stats(struct db *d);
/* Finishes the queued jobs (their done callbacks still run), then stops the
 * workers and closes the stores. */
void db_stop(struct db *d);

/* What an establishment's policy tells the collector ("" the default
 * policy), cached for a while by each worker; worker: a job's. */
const struct store_rules *db_rules(void *worker, const char *finess);

#endif
