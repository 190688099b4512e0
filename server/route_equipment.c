/* route_equipment.c - what funders read: the equipment ranking, the plan's
 * progress and the open data, in JSON or CSV. */
#include <errno.h>
#include <string.h>

#include "l10n.h"
#include "route.h"

/* A column: its key, and its header for a reader of another language than
 * the keys' (translated from the English given). */
struct column {
        const char *key, *header;
};

#define COLUMNS_MAX 16

/* The answer as CSV when asked: for a French reader, ';', a decimal comma
 * and French headers, as French spreadsheets read it; last, a row after the
 * others (NULL: none). */
static int answer_csv(struct query_job *q, const char *list, const struct column *columns,
                      const json_t *last)
{
        const char *keys[COLUMNS_MAX + 1], *headers[COLUMNS_MAX];
        struct csv_format fmt = { ',', '.', NULL, last };
        size_t n = 0;
        int rc;

        if (!q->csv)
                return 0;
        for (; columns[n].key && n < COLUMNS_MAX; n++) {
                keys[n] = columns[n].key;
                headers[n] = lang_tr(q->cat, columns[n].header);
        }
        keys[n] = NULL;
        if (q->cat) {
                fmt = (struct csv_format){ ';', ',', headers, last };
        }
        rc = view_csv(json_object_get(q->out, list), keys, &fmt, &q->text, &q->text_len);
        json_decref(q->out);
        q->out = NULL;
        return rc;
}

static int query_equipment(struct store *s, struct query_job *q, struct error *e)
{
        static const struct column columns[] = {
                { "need_rank", N_("Rank by need") },
                { "finess", N_("FINESS") },
                { "name", N_("Establishment") },
                { "region", N_("Region") },
                { "department", N_("Département") },
                { "machines", N_("Machines") },
                { "to_replace", N_("To replace") },
                { "to_upgrade", N_("To upgrade") },
                { "ram_upgrades", N_("RAM upgrades") },
                { "ssd_upgrades", N_("SSD upgrades") },
                { "estimated_cost_eur", N_("Estimated cost (EUR)") },
                { "hygiene_score", N_("Hygiene score") },
                { "need", N_("Need") },
                { NULL, NULL },
        };
        struct view_scope sc = api_scope(q);
        json_t *total;
        int rc = view_equipment(s, api_rules(q), &sc, time(NULL), &q->out, e);

        if (rc < 0)
                return rc;
        /* The totals' row, named in the name column. */
        total = json_deep_copy(json_object_get(q->out, "total"));
        json_object_set_new(total, "name", json_string(lang_tr(q->cat, "Total")));
        json_object_del(total, "establishments");
        rc = answer_csv(q, "establishments", columns, total);
        json_decref(total);
        return rc;
}

static int query_progress(struct store *s, struct query_job *q, struct error *e)
{
        return view_progress(s, api_rules(q), NULL, time(NULL), &q->out, e);
}

static int query_opendata(struct store *s, struct query_job *q, struct error *e)
{
        static const struct column columns[] = {
                { "department", N_("Département") },
                { "establishments", N_("Establishments") },
                { "machines", N_("Machines") },
                { "median_score", N_("Median hygiene score") },
                { "supported_os_share", N_("Share of machines on a supported system") },
                { "equipment_flagged_share", N_("Share of machines to equip") },
                { "exercise_share", N_("Share of establishments with an exercise") },
                { NULL, NULL },
        };
        int rc = view_opendata(s, api_rules(q), time(NULL), &q->out, e);

        return rc < 0 ? rc : answer_csv(q, "departments", columns, NULL);
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
