/* db.c - the store's worker thread: a job queue, group commit of reports. */
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
        struct db *d = user;
        struct policy_cache *pc = d->policies;
        struct policy_slot *sl = &pc->slot[slot_of(finess)];
        time_t now = time(NULL);
        struct error e;
        char *text = NULL;
        long revision;
        int rc;

        if (strcmp(sl->finess, finess) == 0 && now - sl->fetched < POLICY_TTL)
                return &sl->rules;
        policy_defaults(&pc->parsed);
        rc = d->store->ops->policy_get(d->store, finess, &text, &revision, &e);
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
static void run_batch(struct db *d, struct db_job **jobs, size_t n)
{
        struct store_report reports[DB_BATCH_MAX];
        struct error e = { 0 };
        uint64_t t0 = uv_hrtime();
        int rc;

        for (size_t i = 0; i < n; i++)
                reports[i] = *jobs[i]->report;
        rc = d->store->ops->reports_put(d->store, reports, n, time(NULL), db_rules, d, &e);
        for (size_t i = 0; i < n; i++) {
                jobs[i]->rc = rc;
                jobs[i]->e = e;
                jobs[i]->report->result = reports[i].result;
        }
        if (rc < 0) {
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
        struct db *d = arg;
        struct db_job *batch[DB_BATCH_MAX];

        for (;;) {
                struct db_job *list, *j, *done = NULL, **done_tail = &done;
                size_t n = 0;

                uv_mutex_lock(&d->lock);
                while (!d->queue && !d->stopping)
                        uv_cond_wait(&d->cond, &d->lock);
                list = d->queue;
                d->queue = NULL;
                d->queue_tail = &d->queue;
                uv_mutex_unlock(&d->lock);
                if (!list)
                        break; /* stopping, nothing left */

                /* Keep the order of jobs: a run of reports becomes one batch. */
                while ((j = list)) {
                        list = j->next;
                        j->next = NULL;
                        if (j->report) {
                                batch[n++] = j;
                                if (n < DB_BATCH_MAX && list && list->report) {
                                        *done_tail = j;
                                        done_tail = &j->next;
                                        continue;
                                }
                                run_batch(d, batch, n);
                                n = 0;
                        } else {
                                memset(&j->e, 0, sizeof(j->e));
                                j->rc = j->run(d->store, j, &j->e);
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

int db_start(struct db *d, uv_loop_t *loop, const char *url, const char *data_dir, struct error *e)
{
        int rc;

        memset(d, 0, sizeof(*d));
        d->loop = loop;
        d->queue_tail = &d->queue;
        d->finished_tail = &d->finished;
        d->policies = calloc(1, sizeof(*d->policies));
        if (!d->policies)
                return -ENOMEM;
        if ((rc = store_open(url, data_dir, &d->store, e)) < 0) {
                free(d->policies);
                return rc;
        }
        uv_mutex_init(&d->lock);
        uv_cond_init(&d->cond);
        uv_async_init(loop, &d->wake, on_wake);
        d->wake.data = d;
        if ((rc = uv_thread_create(&d->thread, worker, d)) < 0) {
                error_set(e, "", 0, "cannot start the database thread: %s", uv_strerror(rc));
                d->store->ops->close(d->store);
                free(d->policies);
                return rc;
        }
        d->started = true;
        return 0;
}

void db_submit(struct db *d, struct db_job *j)
{
        j->next = NULL;
        uv_mutex_lock(&d->lock);
        *d->queue_tail = j;
        d->queue_tail = &j->next;
        if (j->report)
                d->queued_reports++;
        uv_cond_signal(&d->cond);
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
        uv_cond_signal(&d->cond);
        uv_mutex_unlock(&d->lock);
        uv_thread_join(&d->thread);
        on_wake(&d->wake); /* the last acknowledgements */
        uv_close((uv_handle_t *)&d->wake, on_closed);
        d->store->ops->close(d->store);
        uv_mutex_destroy(&d->lock);
        uv_cond_destroy(&d->cond);
        free(d->policies);
        d->started = false;
}
