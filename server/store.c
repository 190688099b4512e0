/* store.c - what every storage engine shares: checking what goes in. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <stdlib.h>

#include "checks.h"
#include "finess.h"
#include "store.h"

/* FINESS codes the overseas départements 971-976 as 9A-9F. */
static bool department_matches(const char *finess, const char *dep)
{
        if (finess[0] == '9' && finess[1] >= 'A' && finess[1] <= 'F')
                return strlen(dep) == 3 && dep[0] == '9' && dep[1] == '7' &&
                       dep[2] == '1' + (finess[1] - 'A');
        if (finess[0] == '9' && finess[1] == '7')
                return strlen(dep) == 3 && dep[0] == '9' && dep[1] == '7';
        return strlen(dep) == 2 && dep[0] == finess[0] && dep[1] == finess[1];
}

int store_establishment_check(const struct establishment *est, struct error *e)
{
        const char *why;

        if (finess_check(est->finess, &why) < 0) {
                error_set(e, "", 0, "FINESS %s: %s", est->finess, why);
                return -EINVAL;
        }
        if (!department_matches(est->finess, est->department)) {
                error_set(e, "", 0, "FINESS %s is not in département %s", est->finess,
                          est->department);
                return -EINVAL;
        }
        if (!est->name[0] || !est->region[0]) {
                error_set(e, "", 0, "an establishment needs a name and a region");
                return -EINVAL;
        }
        return 0;
}

int store_open(const char *url, const char *data_dir, struct store **out, struct error *e)
{
        if (!url || !*url)
                return store_open_sqlite(data_dir, out, e);
        if (strncmp(url, "sqlite:", 7) == 0)
                return store_open_sqlite(url + 7, out, e);
        return store_open_pg(url, out, e);
}

bool store_finding_alerts(const struct store_finding *f, int threshold)
{
        return (f->status == STATUS_FAIL || f->status == STATUS_ERROR) && f->severity >= threshold;
}

int store_checklist_build(struct store_checklist *cl, const struct store_report *r)
{
        size_t len = 0, need = sizeof("[\"agent.silent\"]");

        for (size_t i = 0; i < r->nfindings; i++)
                need += strlen(r->findings[i].check) + 3;
        if (need > cl->cap) {
                char *p = realloc(cl->json, need);

                if (!p)
                        return -ENOMEM;
                cl->json = p;
                cl->cap = need;
        }
        cl->json[len++] = '[';
        for (size_t i = 0; i < r->nfindings; i++) {
                const char *c = r->findings[i].check;
                size_t n = strlen(c);

                /* Findings of one check are adjacent in a report; a repeat
                 * elsewhere only costs a duplicate in the list. */
                if (i > 0 && strcmp(r->findings[i - 1].check, c) == 0)
                        continue;
                cl->json[len++] = '"';
                memcpy(cl->json + len, c, n);
                len += n;
                cl->json[len++] = '"';
                cl->json[len++] = ',';
        }
        memcpy(cl->json + len, "\"agent.silent\"]", sizeof("\"agent.silent\"]"));
        return 0;
}

void store_checklist_free(struct store_checklist *cl)
{
        free(cl->json);
        cl->json = NULL;
        cl->cap = 0;
}

bool store_machine_differs(const char *recorded, const char *reported)
{
        return recorded && *recorded && reported && *reported && strcmp(recorded, reported) != 0;
}

void store_duplicate_summary(const struct store_report *r, char *buf, size_t size)
{
        snprintf(buf, size,
                 "this agent's certificate reports from another machine (%.12s) as \"%.64s\": "
                 "a cloned disk; re-enroll the copy",
                 r->machine, r->hostname ? r->hostname : "");
}
