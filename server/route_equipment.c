/* route_equipment.c - what funders read: the equipment ranking, the plan's
 * progress and the open data, in JSON or CSV. */
#include <errno.h>
#include <string.h>

#include "l10n.h"
#include "route.h"

static int answer_csv(struct query_job *q, const char *list, const char *const *columns)
{
        int rc;

        if (!q->csv)
                return 0;
        rc = view_csv(json_object_get(q->out, list), columns, &q->text, &q->text_len);
        json_decref(q->out);
        q->out = NULL;
        return rc;
}

static int query_equipment(struct store *s, struct query_job *q, struct error *e)
{
        static const char *const columns[] = { "need_rank",
                                               "finess",
                                               "name",
                                               "region",
                                               "department",
                                               "machines",
                                               "to_replace",
                                               "to_upgrade",
                                               "ram_upgrades",
                                               "ssd_upgrades",
                                               "estimated_cost_eur",
                                               "hygiene_score",
                                               "need",
                                               NULL };
        struct view_scope sc = api_scope(q);
        int rc = view_equipment(s, api_rules(q), &sc, time(NULL), &q->out, e);

        return rc < 0 ? rc : answer_csv(q, "establishments", columns);
}

static int query_progress(struct store *s, struct query_job *q, struct error *e)
{
        return view_progress(s, api_rules(q), NULL, time(NULL), &q->out, e);
}

static int query_opendata(struct store *s, struct query_job *q, struct error *e)
{
        static const char *const columns[] = { "department",         "establishments",
                                               "machines",           "median_score",
                                               "supported_os_share", "equipment_flagged_share",
                                               "exercise_share",     NULL };
        int rc = view_opendata(s, api_rules(q), time(NULL), &q->out, e);

        return rc < 0 ? rc : answer_csv(q, "departments", columns);
}

/* ?format=csv, or a path ending in .csv, asks for CSV. 0, or -EINVAL. */
static int want_csv(struct http_request *r, bool *csv)
{
        char path[HTTP_URL_MAX + 1], format[8];
        int rc = http_query(r, "format", format, sizeof(format));
        size_t n;

        http_path(r, path, sizeof(path));
        n = strlen(path);
        *csv = n > 4 && strcmp(path + n - 4, ".csv") == 0;
        if (rc == -ENOENT)
                return 0;
        if (rc < 0 || (strcmp(format, "csv") != 0 && strcmp(format, "json") != 0))
                return -EINVAL;
        *csv = strcmp(format, "csv") == 0;
        return 0;
}

static void start_export(struct server *s, struct conn *c, struct http_request *r,
                         const struct route *rt,
                         int (*query)(struct store *, struct query_job *, struct error *))
{
        struct query_job *q =
            api_start_job(s, c, r, rt, sizeof(struct query_job), 0, query, api_query_done);

        if (!q)
                return;
        if (want_csv(r, &q->csv) < 0)
                q->bad_request = N_("format must be csv or json");
        db_submit(&s->db, &q->job);
}

void route_equipment(struct server *s, struct conn *c, struct http_request *r,
                     const struct route *rt)
{
        start_export(s, c, r, rt, query_equipment);
}

void route_opendata(struct server *s, struct conn *c, struct http_request *r,
                    const struct route *rt)
{
        start_export(s, c, r, rt, query_opendata);
}

void route_progress(struct server *s, struct conn *c, struct http_request *r,
                    const struct route *rt)
{
        api_start_query(s, c, r, rt, query_progress);
}
