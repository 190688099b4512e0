/* route_metrics.c - /metrics (this process's counters and the store's alerts,
 * in the Prometheus text format) and /healthz. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "route.h"

/* Metrics: counters of this process, and alerts from the store. */

struct metrics_job {
        struct query_job q;
        long counts[SEV_COUNT];
        char sweep_node[128]; /* "" before the first sweep */
        time_t sweep_at;
};

static int query_metrics(struct store *s, struct query_job *q, struct error *e)
{
        struct metrics_job *m = (struct metrics_job *)q;
        int rc = store_alert_counts(s, m->counts, e);

        if (rc == 0 && (rc = store_duty_get(s, "sweep", m->sweep_node, sizeof(m->sweep_node),
                                            &m->sweep_at, e)) == -ENOENT)
                rc = 0;
        return rc;
}

static void metrics_done(struct db_job *j)
{
        struct metrics_job *mj = (struct metrics_job *)j;
        struct conn *c = mj->q.c;
        struct server *s = conn_server(c);
        const struct server_metrics *m = &s->m;
        struct db_stats ds = db_stats(&s->db);
        static const char *const bounds[LATENCY_BUCKETS] = {
                "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05",
                "0.1",   "0.25",   "0.5",   "1",    "2.5",   "10",
        };
        unsigned long long cum = 0, sweeps, pruned[2];
        bool leading;
        char *buf;
        size_t size;
        FILE *f;

        if (j->rc < 0) {
                api_query_done(j);
                return;
        }
        f = open_memstream(&buf, &size);
        if (!f) {
                conn_reply_error(c, 503, "unavailable", "out of memory");
                free(mj);
                return;
        }
        fputs("# HELP hygie_reports_total Reports received, by outcome.\n"
              "# TYPE hygie_reports_total counter\n",
              f);
        fprintf(f, "hygie_reports_total{result=\"stored\"} %llu\n", m->reports_stored);
        fprintf(f, "hygie_reports_total{result=\"duplicate\"} %llu\n", m->reports_duplicate);
        fprintf(f, "hygie_reports_total{result=\"rejected\"} %llu\n", m->reports_rejected);
        fputs("# HELP hygie_storage_full 1 while reports are refused for a full disk under the "
              "database.\n"
              "# TYPE hygie_storage_full gauge\n",
              f);
        fprintf(f, "hygie_storage_full %d\n", m->storage_full);
        fputs("# HELP hygie_report_bytes_total Bytes of report bodies received, as sent.\n"
              "# TYPE hygie_report_bytes_total counter\n",
              f);
        fprintf(f, "hygie_report_bytes_total %llu\n", m->report_bytes);
        fputs("# HELP hygie_blocks_resend_total Blocks a report said unchanged that the collector "
              "did not hold, asked again.\n"
              "# TYPE hygie_blocks_resend_total counter\n",
              f);
        fprintf(f, "hygie_blocks_resend_total %llu\n", m->blocks_resend);
        fputs("# HELP hygie_http_requests_total HTTP requests answered, by status class.\n"
              "# TYPE hygie_http_requests_total counter\n",
              f);
        for (int i = 1; i <= 5; i++)
                fprintf(f, "hygie_http_requests_total{code=\"%dxx\"} %llu\n", i, m->requests[i]);
        fputs("# HELP hygie_errors_total Connections ended by an error.\n"
              "# TYPE hygie_errors_total counter\n",
              f);
        fprintf(f, "hygie_errors_total{kind=\"tls\"} %llu\n", m->tls_errors);
        fprintf(f, "hygie_errors_total{kind=\"timeout\"} %llu\n", m->timeouts);
        fprintf(f, "hygie_errors_total{kind=\"too_many_connections\"} %llu\n", m->refused_busy);
        fprintf(f, "hygie_errors_total{kind=\"busy\"} %llu\n", m->busy);
        fprintf(f, "hygie_errors_total{kind=\"storage_full\"} %llu\n", m->refused_full);
        fprintf(f, "hygie_errors_total{kind=\"database\"} %llu\n", ds.failures);
        fputs("# HELP hygie_report_duration_seconds Time from a report's last byte to its answer.\n"
              "# TYPE hygie_report_duration_seconds histogram\n",
              f);
        for (int i = 0; i < LATENCY_BUCKETS; i++) {
                cum += m->latency[i];
                fprintf(f, "hygie_report_duration_seconds_bucket{le=\"%s\"} %llu\n", bounds[i],
                        cum);
        }
        cum += m->latency[LATENCY_BUCKETS];
        fprintf(f, "hygie_report_duration_seconds_bucket{le=\"+Inf\"} %llu\n", cum);
        fprintf(f, "hygie_report_duration_seconds_sum %.6f\n", m->latency_sum);
        fprintf(f, "hygie_report_duration_seconds_count %llu\n", cum);
        fputs("# HELP hygie_db_commits_total Store transactions of reports (group commits).\n"
              "# TYPE hygie_db_commits_total counter\n",
              f);
        fprintf(f, "hygie_db_commits_total %llu\n", ds.batches);
        fputs("# HELP hygie_leading 1 on the collector that runs the sweep and notifications.\n"
              "# TYPE hygie_leading gauge\n",
              f);
        leading = duties_leading(&s->duties, &sweeps);
        fprintf(f, "hygie_leading %d\n", leading);
        fputs("# HELP hygie_sweeps_total Sweeps this collector ran.\n"
              "# TYPE hygie_sweeps_total counter\n",
              f);
        fprintf(f, "hygie_sweeps_total %llu\n", sweeps);
        duties_pruned(&s->duties, pruned);
        fputs("# HELP hygie_pruned_total Rows retention deleted: raw reports, replaced blocks.\n"
              "# TYPE hygie_pruned_total counter\n",
              f);
        fprintf(f, "hygie_pruned_total{kind=\"reports\"} %llu\n", pruned[0]);
        fprintf(f, "hygie_pruned_total{kind=\"blocks\"} %llu\n", pruned[1]);
        if (mj->sweep_node[0]) {
                fputs("# HELP hygie_sweep_last_timestamp_seconds When the last sweep of the"
                      " collectors sharing the store finished, and which one ran it.\n"
                      "# TYPE hygie_sweep_last_timestamp_seconds gauge\n",
                      f);
                fprintf(f, "hygie_sweep_last_timestamp_seconds{node=\"%s\"} %lld\n", mj->sweep_node,
                        (long long)mj->sweep_at);
        }
        fputs("# HELP hygie_connections Open connections.\n# TYPE hygie_connections gauge\n", f);
        fprintf(f, "hygie_connections %u\n", m->connections);
        fputs("# HELP hygie_agents_connected Connections from enrolled agents.\n"
              "# TYPE hygie_agents_connected gauge\n",
              f);
        fprintf(f, "hygie_agents_connected %u\n", m->agents_connected);
        fputs("# HELP hygie_alerts Alerts not resolved, by severity.\n"
              "# TYPE hygie_alerts gauge\n",
              f);
        for (int i = 0; i < SEV_COUNT; i++)
                fprintf(f, "hygie_alerts{severity=\"%s\"} %ld\n", severity_name(i), mj->counts[i]);
        fclose(f);
        conn_reply(c, 200, "text/plain; version=0.0.4", buf, size, NULL);
        free(buf);
        free(mj);
}

void route_metrics(struct server *s, struct conn *c, struct http_request *r, const struct route *rt)
{
        struct query_job *q =
            api_start_job(s, c, r, rt, sizeof(struct metrics_job), 0, query_metrics, metrics_done);

        if (q)
                db_submit(&s->db, &q->job);
}

/* Public routes. */

void route_health(struct server *s, struct conn *c, struct http_request *r, const struct route *rt)
{
        (void)rt;
        (void)r;
        if (s->stopping)
                conn_reply_error(c, 503, "stopping", "the collector is stopping");
        else
                api_reply_text(c, 200, "application/json", "{\"status\":\"ok\"}", NULL);
}
