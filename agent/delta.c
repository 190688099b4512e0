/* delta.c - cutting reports down to what the collector lacks (delta.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "delta.h"
#include "digest.h"
#include "dirops.h"
#include "file.h"

#define SENT_JSON     "sent.json"
#define SENT_JSON_MAX (256 * 1024)

void delta_load(struct delta *d, const char *dir, const char *agent_id)
{
        struct dirops *ops;
        const char *name;
        json_t *o = NULL;
        void *text = NULL;
        size_t len = 0;

        memset(d, 0, sizeof(*d));
        snprintf(d->agent_id, sizeof(d->agent_id), "%s", agent_id ? agent_id : "");
        if (dirops_open(dir, false, &ops) == 0) {
                if (dirops_read(ops, SENT_JSON, SENT_JSON_MAX, &text, &len) == 0)
                        o = json_loadb(text, len, 0, NULL);
                dirops_close(ops);
        }
        free(text);
        name = json_string_value(json_object_get(o, "agent_id"));
        if (json_is_object(json_object_get(o, "blocks")) && name &&
            strcmp(name, d->agent_id) == 0) {
                d->sent = json_incref(json_object_get(o, "blocks"));
                d->collector_cuts = json_is_true(json_object_get(o, "collector_cuts"));
        }
        json_decref(o);
        if (!d->sent)
                d->sent = json_object();
}

int delta_save(const struct delta *d, const char *dir, struct error *e)
{
        json_t *o = json_pack("{s:s, s:b, s:O}", "agent_id", d->agent_id, "collector_cuts",
                              d->collector_cuts, "blocks", d->sent);
        char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
        int rc = text ? file_replace(dir, SENT_JSON, text, strlen(text), 0600, e) : -ENOMEM;

        free(text);
        json_decref(o);
        return rc;
}

void delta_free(struct delta *d)
{
        json_decref(d->sent);
        d->sent = NULL;
}

/* The digest of v as jansson writes it compactly, as the report goes. */
static int digest_of(const json_t *v, char hex[DIGEST_HEX])
{
        char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        struct digest dg;
        int rc = -ENOMEM;

        if (text && digest_begin(&dg) == 0) {
                digest_add(&dg, text, strlen(text));
                rc = digest_end(&dg, hex);
        }
        free(text);
        return rc;
}

/* Whether name's block was sent as hex, and it is so recorded now. */
static bool was_sent(json_t *sent, json_t *now, const char *name, const char *hex)
{
        const char *before = json_string_value(json_object_get(sent, name));

        json_object_set_new(now, name, json_string(hex));
        return before && strcmp(before, hex) == 0;
}

int delta_cut(struct delta *d, json_t *doc)
{
        json_t *facts = json_object_get(doc, "facts"), *findings = json_object_get(doc, "findings");
        json_t *now = json_object(), *unchanged = json_object(), *by_check = json_object(), *v, *f;
        const char *name;
        char hex[DIGEST_HEX];
        void *tmp;
        size_t i;
        int rc = now && unchanged && by_check ? 0 : -ENOMEM;

        json_object_foreach_safe(facts, tmp, name, v)
        {
                if (rc < 0 || (rc = digest_of(v, hex)) < 0)
                        break;
                if (was_sent(d->sent, now, name, hex) && d->collector_cuts) {
                        json_object_set_new(unchanged, name, json_string(hex));
                        json_object_del(facts, name);
                }
        }
        /* Each check's findings, in their order, as the collector takes them. */
        json_array_foreach(findings, i, f)
        {
                const char *check = json_string_value(json_object_get(f, "check"));
                json_t *list = check ? json_object_get(by_check, check) : NULL;

                if (!check)
                        continue;
                if (!list)
                        json_object_set_new(by_check, check, list = json_array());
                json_array_append(list, f);
        }
        json_object_foreach(by_check, name, v)
        {
                if (rc < 0 || (rc = digest_of(v, hex)) < 0)
                        break;
                if (was_sent(d->sent, now, name, hex) && d->collector_cuts) {
                        json_object_set_new(unchanged, name, json_string(hex));
                        json_array_foreach(v, i, f) json_object_del(f, "evidence");
                }
        }
        if (rc == 0) {
                json_object_update(d->sent, now);
                if (json_object_size(unchanged) > 0)
                        json_object_set(doc, "unchanged", unchanged);
        }
        json_decref(now);
        json_decref(unchanged);
        json_decref(by_check);
        return rc;
}

unsigned delta_answer(struct delta *d, const json_t *answer)
{
        const json_t *resend = json_object_get(answer, "resend"), *v;
        unsigned families = 0;
        size_t i;

        if (json_is_true(json_object_get(answer, "blocks")))
                d->collector_cuts = true;
        json_array_foreach(resend, i, v)
        {
                const char *name = json_string_value(v);
                const struct check *c;
                int fam;

                if (!name)
                        continue;
                json_object_del(d->sent, name);
                if (strchr(name, '.'))
                        fam = (c = checks_find(name)) ? (int)c->family : -1;
                else
                        fam = family_from_name(name);
                families |= fam >= 0 ? 1u << fam : FAM_ALL;
        }
        return families;
}
