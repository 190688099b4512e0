/* db.c - the store's worker threads: job queues, group commit of reports. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "policy.h"

#define POLICY_SLOTS 1024
#define POLICY_TTL   30 /* seconds: a policy set elsewhere reaches alerts this fast */

struct policy_slot {
        char finess[10];
        struct store_rules rules;
        time_t fetched;
};

struct policy_cache {
        struct policy parsed; /* scratch */
        struct policy_slot slot[POLICY_SLOTS];
};

static unsigned slot_of(const char *finess)
{
        unsigned h = 2166136261u;

        for (; *finess; finess++)
                h = (h ^ (unsigned char)*finess) * 16777619u;
        return h % POLICY_SLOTS;
}

const struct store_rules *db_rules(void *user, const char *finess)
{
        struct db_worker *w = user;
        struct policy_cache *pc = w->policies;
        struct policy_slot *sl = &pc->slot[slot_of(finess)];
        time_t now = time(NULL);
        struct error e;
        char *text = NULL;
        long revision;
        int rc;

        if (strcmp(sl->finess, finess) == 0 && now - sl->fetched < POLICY_TTL)
                return &sl->rules;
        policy_defaults(&pc->parsed);
        rc = store_policy_get(w->store, finess, &text, &revision, &e);
        if (rc == 0 && policy_load_string(&pc->parsed, text, "policy", &e) < 0) {
                char msg[512];

                log_warn("msg=\"stored policy refused, using the defaults\" finess=%s error=\"%s\"",
                         finess, error_str(&e, msg, sizeof(msg)));
                policy_defaults(&pc->parsed);
        }
        free(text);
        snprintf(sl->finess, sizeof(sl->finess), "%s", finess);
        store_rules_of(&pc->parsed, &sl->rules);
        sl->fetched = now;
        return &sl->rules;
}

static void finish(struct db *d, struct db_job *first, struct db_job **last_next)
{
        if (!first)
                return;
        uv_mutex_lock(&d->lock);
        *d->finished_tail = first;
        d->finished_tail = last_next;
        uv_mutex_unlock(&d->lock);
        uv_async_send(&d->wake);
}

/* Stores the reports among jobs in one transaction. */
static void run_batch(struct db_worker *w, struct db_job **jobs, size_t n)
{
        struct db *d = w->db;
        struct store_report reports[DB_BATCH_MAX];
        struct error e = { 0 };
        uint64_t t0 = uv_hrtime();
        int rc;

        for (size_t i = 0; i < n; i++)
                reports[i] = *jobs[i]->report;
        rc = store_reports_put(w->store, reports, n, time(NULL), db_rules, w, &e);
        for (size_t i = 0; i < n; i++) {
                jobs[i]->rc = rc;
                jobs[i]->e = e;
                jobs[i]->report->result = reports[i].result;
                jobs[i]->report->newest_seq = reports[i].newest_seq;
        }
        /* A full disk is said once, by the reports' answers (route_reports.c). */
        if (rc < 0 && rc != -ENOSPC) {
                char msg[512];

                log_error("msg=\"reports not stored\" count=%zu error=\"%s\"", n,
                          error_str(&e, msg, sizeof(msg)));
        }
        uv_mutex_lock(&d->lock);
        d->stats.batches++;
        d->stats.reports += n;
        d->stats.failures += rc < 0;
        d->stats.commit_seconds += (double)(uv_hrtime() - t0) / 1e9;
        d->queued_reports -= n;
        uv_mutex_unlock(&d->lock);
}

static void worker(void *arg)
{
        struct db_worker *w = arg;
        struct db *d = w->db;
        struct db_job *batch[DB_BATCH_MAX];

        for (;;) {
                struct db_job *list, *j, *done = NULL, **done_tail = &done;
                size_t n = 0;

                uv_mutex_lock(&d->lock);
                while (!w->queue && !d->stopping)
                        uv_cond_wait(&w->cond, &d->lock);
                list = w->queue;
                w->queue = NULL;
                w->queue_tail = &w->queue;
                uv_mutex_unlock(&d->lock);
                if (!list)
                        break; /* stopping, nothing left */

                /* Keep the order of jobs: a run of reports becomes one batch. */
                while ((j = list)) {
                        list = j->next;
                        j->next = NULL;
                        j->worker = w;
                        if (j->report) {
                                batch[n++] = j;
                                if (n < DB_BATCH_MAX && list && list->report) {
                                        *done_tail = j;
                                        done_tail = &j->next;
                                        continue;
                                }
                                run_batch(w, batch, n);
                                n = 0;
                        } else {
                                memset(&j->e, 0, sizeof(j->e));
                                j->rc = j->run(w->store, j, &j->e);
                        }
                        *done_tail = j;
                        done_tail = &j->next;
                        /* Acknowledge as soon as committed. */
                        finish(d, done, done_tail);
                        done = NULL;
                        done_tail = &done;
                }
        }
}

static void on_wake(uv_async_t *a)
{
        struct db *d = a->data;
        struct db_job *list, *j;

        uv_mutex_lock(&d->lock);
        list = d->finished;
        d->finished = NULL;
        d->finished_tail = &d->finished;
        uv_mutex_unlock(&d->lock);
        while ((j = list)) {
                list = j->next;
                j->done(j);
        }
}

/* Opens a worker's store and starts its thread. */
static int worker_start(struct db *d, struct db_worker *w, const char *url, const char *data_dir,
                        struct error *e)
{
        int rc;

        w->db = d;
        w->queue_tail = &w->queue;
        if (!(w->policies = calloc(1, sizeof(*w->policies))))
                return -ENOMEM;
        if ((rc = store_open(url, data_dir, &w->store, e)) < 0) {
                free(w->policies);
                return rc;
        }
        uv_cond_init(&w->cond);
        if ((rc = uv_thread_create(&w->thread, worker, w)) < 0) {
                error_set(e, "", 0, "cannot start a database thread: %s", uv_strerror(rc));
                uv_cond_destroy(&w->cond);
                store_close(w->store);
                free(w->policies);
                return rc;
        }
        w->started = true;
        return 0;
}

/* Waits for a worker's thread (its queue done) and closes its store. */
static void worker_stop(struct db_worker *w)
{
        if (!w->started)
                return;
        uv_thread_join(&w->thread);
        uv_cond_destroy(&w->cond);
        store_close(w->store);
        free(w->policies);
        w->started = false;
}

int db_start(struct db *d, uv_loop_t *loop, const char *url, const char *data_dir,
             long long max_size, struct error *e)
{
        int rc;

        memset(d, 0, sizeof(*d));
        d->loop = loop;
        d->finished_tail = &d->finished;
        uv_mutex_init(&d->lock);
        uv_async_init(loop, &d->wake, on_wake);
        d->wake.data = d;
        /* The writer first: its store migrates the schema the reader opens. */
        if ((rc = worker_start(d, &d->writer, url, data_dir, e)) < 0 ||
            (max_size > 0 && (rc = store_max_size(d->writer.store, max_size, e)) < 0) ||
            (rc = worker_start(d, &d->reader, url, data_dir, e)) < 0) {
                d->started = true;
                db_stop(d);
                return rc;
        }
        d->started = true;
        return 0;
}

void db_submit(struct db *d, struct db_job *j)
{
        struct db_worker *w = j->read_only && !j->report ? &d->reader : &d->writer;

        j->next = NULL;
        uv_mutex_lock(&d->lock);
        *w->queue_tail = j;
        w->queue_tail = &j->next;
        if (j->report)
                d->queued_reports++;
        uv_cond_signal(&w->cond);
        uv_mutex_unlock(&d->lock);
}

size_t db_backlog(struct db *d)
{
        size_t n;

        uv_mutex_lock(&d->lock);
        n = d->queued_reports;
        uv_mutex_unlock(&d->lock);
        return n;
}

struct db_stats db_stats(struct db *d)
{
        struct db_stats s;

        uv_mutex_lock(&d->lock);
        s = d->stats;
        uv_mutex_unlock(&d->lock);
        return s;
}

static void on_closed(uv_handle_t *h)
{
        (void)h;
}

void db_stop(struct db *d)
{
        if (!d->started)
                return;
        uv_mutex_lock(&d->lock);
        d->stopping = true;
        if (d->writer.started)
                uv_cond_signal(&d->writer.cond);
        if (d->reader.started)
                uv_cond_signal(&d->reader.cond);
        uv_mutex_unlock(&d->lock);
        worker_stop(&d->reader);
        worker_stop(&d->writer);
        on_wake(&d->wake); /* the last acknowledgements */
        uv_close((uv_handle_t *)&d->wake, on_closed);
        uv_mutex_destroy(&d->lock);
        d->started = false;
}
