/* duties.c - the sweep and the notifications, on one collector at a time. */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "duties.h"
#include "log.h"
#include "store.h"

/* Waits ms or until stopped; false once stopping. */
static bool nap(struct duties *d, unsigned ms)
{
        bool go;

        uv_mutex_lock(&d->lock);
        if (!d->stopping && ms)
                uv_cond_timedwait(&d->cond, &d->lock, (uint64_t)ms * 1000000ull);
        go = !d->stopping;
        uv_mutex_unlock(&d->lock);
        return go;
}

static void set_leading(struct duties *d, bool leading)
{
        uv_mutex_lock(&d->lock);
        d->leading = leading;
        uv_mutex_unlock(&d->lock);
}

static void sweep(struct duties *d, struct store *s)
{
        long long pruned[2] = { 0, 0 };
        struct error e;

        /* After a burst, give back what it left in the heap. */
        malloc_trim(0);
        uv_mutex_lock(&d->lock);
        d->sweeps++;
        uv_mutex_unlock(&d->lock);
        if (sweep_run(&d->sweep, s, time(NULL), &e) < 0)
                log_warn("msg=\"sweep failed\" error=\"%s\"", e.msg);
        else if (d->sweep.opened > 0)
                log_info("msg=\"silent agents\" opened=%d", d->sweep.opened);
        if (store_prune(s, time(NULL), d->report_retention, pruned, &e) < 0)
                log_warn("msg=\"retention failed\" error=\"%s\"", e.msg);
        if (pruned[0] || pruned[1]) {
                log_info("msg=\"retention\" reports=%lld blocks=%lld", pruned[0], pruned[1]);
                uv_mutex_lock(&d->lock);
                d->pruned[0] += (unsigned long long)pruned[0];
                d->pruned[1] += (unsigned long long)pruned[1];
                uv_mutex_unlock(&d->lock);
        }
}

static void run(void *arg)
{
        struct duties *d = arg;
        struct store *s = NULL;
        uint64_t next_sweep = uv_hrtime() / 1000000 + 1000; /* ms */
        struct error e;
        bool warned = false;

        while (!s) {
                if (store_open(d->database, d->data_dir, &s, &e) < 0) {
                        log_warn("msg=\"cannot open the store for the sweep and notifications\""
                                 " error=\"%s\"",
                                 e.msg);
                        s = NULL;
                        if (!nap(d, 5000))
                                return;
                }
        }
        for (;;) {
                uint64_t now;
                unsigned wait = DUTIES_POLL_MS;
                int lead = store_lead(s, &e);

                if (lead < 0 && !warned)
                        log_warn("msg=\"cannot tell which collector leads\" error=\"%s\"", e.msg);
                warned = lead < 0;
                if ((lead > 0) != duties_leading(d, NULL)) {
                        log_info("msg=\"%s\"", lead > 0 ? "leading the sweep and notifications"
                                                        : "another collector leads the sweep"
                                                          " and notifications");
                        set_leading(d, lead > 0);
                        /* Another one may have moved the cursors meanwhile. */
                        notifier_reset(&d->notifier);
                        next_sweep = 0;
                }
                if (lead > 0) {
                        unsigned n;

                        if ((now = uv_hrtime() / 1000000) >= next_sweep) {
                                sweep(d, s);
                                next_sweep = now + d->sweep_interval_ms;
                        }
                        if ((n = notifier_round(&d->notifier, s)) && n < wait)
                                wait = n;
                        now = uv_hrtime() / 1000000;
                        if (next_sweep > now && next_sweep - now < wait)
                                wait = (unsigned)(next_sweep - now);
                        else if (next_sweep <= now)
                                wait = 1;
                }
                if (!nap(d, wait))
                        break;
        }
        store_close(s);
}

int duties_start(struct duties *d, const struct server_config *cfg, struct error *e)
{
        int rc;

        memset(d, 0, sizeof(*d));
        if ((rc = notifier_init(&d->notifier, &cfg->notify, e)) < 0)
                return rc;
        d->sweep_interval_ms = cfg->sweep_interval_ms;
        d->report_retention = cfg->report_retention;
        sweep_name(&d->sweep, cfg->listen);
        d->database = cfg->database ? strdup(cfg->database) : NULL;
        d->data_dir = cfg->data_dir ? strdup(cfg->data_dir) : NULL;
        if (uv_mutex_init(&d->lock) < 0 || uv_cond_init(&d->cond) < 0 ||
            uv_thread_create(&d->thread, run, d) < 0) {
                notifier_free(&d->notifier);
                error_set(e, "", 0, "cannot start the sweep and notifications");
                return -EAGAIN;
        }
        d->started = true;
        return 0;
}

void duties_stop(struct duties *d)
{
        if (!d->started)
                return;
        uv_mutex_lock(&d->lock);
        d->stopping = true;
        uv_cond_signal(&d->cond);
        uv_mutex_unlock(&d->lock);
        uv_thread_join(&d->thread);
        uv_cond_destroy(&d->cond);
        uv_mutex_destroy(&d->lock);
        notifier_free(&d->notifier);
        free(d->database);
        free(d->data_dir);
        d->started = false;
}

bool duties_leading(struct duties *d, unsigned long long *sweeps)
{
        bool leading;

        if (!d->started) {
                if (sweeps)
                        *sweeps = 0;
                return false;
        }
        uv_mutex_lock(&d->lock);
        leading = d->leading;
        if (sweeps)
                *sweeps = d->sweeps;
        uv_mutex_unlock(&d->lock);
        return leading;
}

void duties_pruned(struct duties *d, unsigned long long pruned[2])
{
        pruned[0] = pruned[1] = 0;
        if (!d->started)
                return;
        uv_mutex_lock(&d->lock);
        pruned[0] = d->pruned[0];
        pruned[1] = d->pruned[1];
        uv_mutex_unlock(&d->lock);
}
