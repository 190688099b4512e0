/* records.c - what an establishment records for the plan: crisis
 * exercises, awareness actions and restore tests, checked field by field,
 * and the plan's alerts they resolve. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang.h"
#include "records.h"
#include "util.h"

static const char *text_field(const struct msgcat *cat, const json_t *body, const char *key,
                              size_t max, bool required, struct error *e)
{
        const json_t *v = json_object_get(body, key);
        const char *t = json_string_value(v);

        if (!v && !required)
                return "";
        if (!t || (required && !*t) || strlen(t) > max) {
                error_set(e, "", 0,
                          required
                              ? lang_tr(cat, "\"%s\" must be a text of 1 to %zu characters")
                              : lang_tr(cat, "\"%s\" must be a text of %zu characters at most"),
                          key, max);
                return NULL;
        }
        for (const char *c = t; *c; c++)
                if ((unsigned char)*c < 0x20 && *c != '\n' && *c != '\t') {
                        error_set(e, "", 0, lang_tr(cat, "\"%s\" holds a control character"), key);
                        return NULL;
                }
        return t;
}

static int count_field(const struct msgcat *cat, const json_t *body, const char *key, long max,
                       long *out, struct error *e)
{
        const json_t *v = json_object_get(body, key);

        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > max) {
                error_set(e, "", 0, lang_tr(cat, "\"%s\" must be a whole number from 0 to %ld"),
                          key, max);
                return -EINVAL;
        }
        *out = (long)json_integer_value(v);
        return 0;
}

struct record_kind {
        const char *kind, *title, *people, *result, *notes; /* the body's keys, or NULL */
};

static const struct record_kind kinds[] = {
        { "exercise", "scenario", "participants", NULL, "lessons" },
        { "awareness", "audience", "reached", NULL, "notes" },
        { "restore_test", "job", NULL, "result", "notes" },
};

static bool known_key(const struct record_kind *k, const char *key)
{
        const char *keys[] = { "kind", "date", k->title, k->people, k->result, k->notes };

        for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
                if (keys[i] && strcmp(keys[i], key) == 0)
                        return true;
        return false;
}

static int id_row(void *user, int ncols, const char *const *v)
{
        if (ncols != 1 || !v[0])
                return -EIO;
        *(long long *)user = strtoll(v[0], NULL, 10);
        return 0;
}

struct jobs {
        bool found;
        char list[512]; /* the establishment's jobs, for the message */
};

static int job_row(void *user, int ncols, const char *const *v)
{
        struct jobs *j = user;
        size_t n = strlen(j->list);

        if (ncols != 2 || !v[0])
                return -EIO;
        j->found |= v[1] && strcmp(v[1], "1") == 0;
        if (n + strlen(v[0]) + 8 < sizeof(j->list))
                snprintf(j->list + n, sizeof(j->list) - n, "%s\"%s\"", n ? ", " : "", v[0]);
        return 0;
}

/* A restore test names a backup job the establishment's machines report:
 * what a typo would name is refused, with the jobs there are. */
static int job_check(struct store *s, const struct msgcat *cat, const char *finess, const char *job,
                     struct error *e)
{
        struct jobs j = { 0 };
        const char *p[] = { finess, job };
        int rc = store_rows(s,
                            "SELECT job, CASE WHEN job = $2 THEN '1' ELSE '0' END FROM backup_jobs"
                            " WHERE finess = $1 ORDER BY job LIMIT 50",
                            2, p, job_row, &j, e);

        if (rc < 0 || j.found)
                return rc;
        if (!j.list[0])
                error_set(e, "", 0, "%s",
                          lang_tr(cat, "no machine of this establishment reports a backup job "
                                       "yet: a restore test is recorded for one of them"));
        else
                error_set(e, "", 0,
                          lang_tr(cat, "\"job\" must be one of the backup jobs the "
                                       "machines report: %s"),
                          j.list);
        return -EINVAL;
}

int records_add(struct store *s, const struct store_rules *r, const struct msgcat *cat,
                const char *finess, const json_t *body, const char *actor, time_t now,
                long long *id, struct error *e)
{
        const char *kind = json_string_value(json_object_get(body, "kind"));
        const char *date = json_string_value(json_object_get(body, "date"));
        const struct record_kind *k = NULL;
        const char *title, *result = "", *notes = "", *key;
        char day[24], people_s[24], created[24];
        long people = 0;
        time_t t;
        json_t *v;
        int rc;

        for (size_t i = 0; kind && i < sizeof(kinds) / sizeof(kinds[0]); i++)
                if (strcmp(kinds[i].kind, kind) == 0)
                        k = &kinds[i];
        if (!k) {
                error_set(e, "", 0, "%s",
                          lang_tr(cat, "\"kind\" must be exercise, awareness or restore_test"));
                return -EINVAL;
        }
        json_object_foreach((json_t *)body, key, v)
        {
                if (!known_key(k, key)) {
                        error_set(e, "", 0, lang_tr(cat, "unknown field \"%s\" for a %s"), key,
                                  kind);
                        return -EINVAL;
                }
        }
        if (!date || util_parse_date(date, &t) < 0 || t > now || t < 946684800) {
                error_set(e, "", 0, "%s",
                          lang_tr(cat, "\"date\" must be a past day since 2000, as YYYY-MM-DD"));
                return -EINVAL;
        }
        if (!(title = text_field(cat, body, k->title, 500, true, e)) ||
            (k->people && count_field(cat, body, k->people, 1000000, &people, e) < 0) ||
            (k->notes && !(notes = text_field(cat, body, k->notes, 4000, false, e))))
                return -EINVAL;
        if (k->result) {
                result = json_string_value(json_object_get(body, k->result));
                if (!result || (strcmp(result, "success") != 0 && strcmp(result, "failure") != 0)) {
                        error_set(e, "", 0, "%s",
                                  lang_tr(cat, "\"result\" must be success or failure"));
                        return -EINVAL;
                }
                if ((rc = job_check(s, cat, finess, title, e)) < 0)
                        return rc;
        }
        snprintf(day, sizeof(day), "%lld", (long long)store_day(t));
        snprintf(people_s, sizeof(people_s), "%ld", people);
        snprintf(created, sizeof(created), "%lld", (long long)now);
        const char *p[] = { finess, kind, day, title, people_s, result, notes, actor, created };
        *id = 0;
        rc = store_rows(s,
                        "INSERT INTO records (finess, kind, day, title, people, result, notes,"
                        " created_by, created_at) VALUES ($1, $2, CAST($3 AS BIGINT), $4,"
                        " CAST($5 AS BIGINT), $6, $7, $8, CAST($9 AS BIGINT)) RETURNING id",
                        9, p, id_row, id, e);
        if (rc < 0)
                return rc;
        return store_plan_checks(s, r, now, e);
}
