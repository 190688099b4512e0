/* fake_winapi.c - winapi.h answered from a fixture file, for the tests under
 * wine: $HYGIE_TEST_WINAPI names a JSON object with one member per call.
 *
 *   "security_center": [{"name", "state", "exe"}]    "updates": [{"title", "kb",
 *   "severity", "security"}]    "modals": {...}    "users": [{...}]
 *   "bitlocker": {...}    "firewall": {"domain", "private", "public"}
 *   "tpm": {"present", "version"}    "system_disk": {...}    "machine": {...}
 *
 * A member may instead be {"errno": "EACCES", "what": "..."}: the call fails
 * so. A missing member fails with ENOSYS, as an interface Windows lacks. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "winapi.h"

static json_t *fixture(void)
{
        static json_t *doc;
        const char *file = getenv("HYGIE_TEST_WINAPI");
        json_error_t err;

        if (!doc && file) {
                doc = json_load_file(file, 0, &err);
                if (!doc) {
                        fprintf(stderr, "fake winapi: %s:%d: %s\n", file, err.line, err.text);
                        exit(3);
                }
        }
        return doc;
}

static const char *s(const json_t *o, const char *key)
{
        const char *v = json_string_value(json_object_get(o, key));
        return v ? v : "";
}

static long long i(const json_t *o, const char *key, long long dflt)
{
        const json_t *v = json_object_get(o, key);
        return json_is_integer(v) ? json_integer_value(v) : dflt;
}

static bool b(const json_t *o, const char *key)
{
        return json_is_true(json_object_get(o, key));
}

/* The member for a call, or the failure it stands for. */
static const json_t *member(const char *name, struct winapi_error *e, int *rc)
{
        static const struct {
                const char *name;
                int value;
        } codes[] = { { "EACCES", EACCES },
                      { "ENOSYS", ENOSYS },
                      { "ETIMEDOUT", ETIMEDOUT },
                      { "EIO", EIO } };
        const json_t *m = json_object_get(fixture(), name);
        const char *code;

        *rc = 0;
        if (!m) {
                snprintf(e->what, sizeof(e->what), "%s: not available on this machine", name);
                *rc = -ENOSYS;
                return NULL;
        }
        code = json_string_value(json_object_get(m, "errno"));
        if (code) {
                *rc = -EIO;
                for (size_t k = 0; k < sizeof(codes) / sizeof(codes[0]); k++)
                        if (strcmp(code, codes[k].name) == 0)
                                *rc = -codes[k].value;
                snprintf(e->what, sizeof(e->what), "%s", s(m, "what"));
                return NULL;
        }
        return m;
}

int winapi_security_center(struct winapi_av *v, size_t max, size_t *n, struct winapi_error *e)
{
        int rc;
        const json_t *m = member("security_center", e, &rc), *p;
        size_t k;

        *n = 0;
        json_array_foreach(m, k, p)
        {
                if (*n == max)
                        break;
                snprintf(v[*n].name, sizeof(v[*n].name), "%s", s(p, "name"));
                snprintf(v[*n].exe, sizeof(v[*n].exe), "%s", s(p, "exe"));
                v[*n].state = (unsigned long)i(p, "state", 0);
                v[*n].timestamp = (time_t)i(p, "timestamp", 0);
                (*n)++;
        }
        return rc;
}

int winapi_update_search(unsigned timeout_ms, struct winapi_update *v, size_t max, size_t *n,
                         size_t *total, size_t *security, struct winapi_error *e)
{
        int rc;
        const json_t *m = member("updates", e, &rc), *p;
        size_t k;

        (void)timeout_ms;
        *n = *total = *security = 0;
        json_array_foreach(m, k, p)
        {
                (*total)++;
                *security += b(p, "security");
                if (*n == max)
                        continue;
                snprintf(v[*n].title, sizeof(v[*n].title), "%s", s(p, "title"));
                snprintf(v[*n].kb, sizeof(v[*n].kb), "%s", s(p, "kb"));
                snprintf(v[*n].severity, sizeof(v[*n].severity), "%s", s(p, "severity"));
                v[*n].security = b(p, "security");
                (*n)++;
        }
        return rc;
}

int winapi_user_modals(struct winapi_modals *mo, struct winapi_error *e)
{
        int rc;
        const json_t *m = member("modals", e, &rc);

        if (m)
                *mo = (struct winapi_modals){
                        .min_length = (long)i(m, "min_length", 0),
                        .max_age_s = i(m, "max_age_s", -1),
                        .min_age_s = i(m, "min_age_s", 0),
                        .history = (long)i(m, "history", 0),
                        .lockout_threshold = (long)i(m, "lockout_threshold", 0),
                        .lockout_duration_s = i(m, "lockout_duration_s", 0),
                };
        return rc;
}

int winapi_users(struct winapi_user *v, size_t max, size_t *n, struct winapi_error *e)
{
        int rc;
        const json_t *m = member("users", e, &rc), *p;
        size_t k;

        *n = 0;
        json_array_foreach(m, k, p)
        {
                if (*n == max)
                        break;
                snprintf(v[*n].name, sizeof(v[*n].name), "%s", s(p, "name"));
                v[*n].flags = (unsigned long)i(p, "flags", 0);
                v[*n].rid = (unsigned long)i(p, "rid", 1000);
                v[*n].password_age_s = i(p, "password_age_s", -1);
                v[*n].last_logon = i(p, "last_logon", -1);
                v[*n].admin = b(p, "admin");
                (*n)++;
        }
        return rc;
}

int winapi_bitlocker(struct winapi_bitlocker *bl, struct winapi_error *e)
{
        int rc;
        const json_t *m = member("bitlocker", e, &rc);

        if (m) {
                memset(bl, 0, sizeof(*bl));
                snprintf(bl->volume, sizeof(bl->volume), "%s", s(m, "volume"));
                snprintf(bl->method, sizeof(bl->method), "%s", s(m, "method"));
                bl->protection = (int)i(m, "protection", 2);
                bl->conversion = (int)i(m, "conversion", 0);
                bl->percent = (int)i(m, "percent", -1);
        }
        return rc;
}

int winapi_firewall(struct winapi_firewall *f, struct winapi_error *e)
{
        int rc;
        const json_t *m = member("firewall", e, &rc);

        if (m)
                *f = (struct winapi_firewall){ .domain = b(m, "domain"),
                                               .private_ = b(m, "private"),
                                               .public_ = b(m, "public") };
        return rc;
}

int winapi_tpm(struct winapi_tpm *t, struct winapi_error *e)
{
        int rc;
        const json_t *m = member("tpm", e, &rc);

        if (m) {
                memset(t, 0, sizeof(*t));
                t->present = b(m, "present");
                snprintf(t->version, sizeof(t->version), "%s", s(m, "version"));
        }
        return rc;
}

int winapi_system_disk(struct winapi_disk *d, struct winapi_error *e)
{
        int rc;
        const json_t *m = member("system_disk", e, &rc);

        if (m) {
                memset(d, 0, sizeof(*d));
                d->size_bytes = (unsigned long long)i(m, "size_bytes", 0);
                d->seek_penalty = (int)i(m, "seek_penalty", -1);
                d->removable = (int)i(m, "removable", -1);
                snprintf(d->model, sizeof(d->model), "%s", s(m, "model"));
                snprintf(d->bus, sizeof(d->bus), "%s", s(m, "bus"));
        }
        return rc;
}

int winapi_machine(struct winapi_machine *m, struct winapi_error *e)
{
        int rc;
        const json_t *j = member("machine", e, &rc);

        if (j) {
                memset(m, 0, sizeof(*m));
                snprintf(m->vendor, sizeof(m->vendor), "%s", s(j, "vendor"));
                snprintf(m->model_name, sizeof(m->model_name), "%s", s(j, "model_name"));
                m->family = (int)i(j, "family", -1);
                m->model = (int)i(j, "model", -1);
                m->stepping = (int)i(j, "stepping", -1);
                m->bits64 = !json_is_false(json_object_get(j, "bits64"));
                m->hypervisor = b(j, "hypervisor");
                m->cores = (unsigned)i(j, "cores", 0);
                m->threads = (unsigned)i(j, "threads", 0);
                m->total_bytes = (unsigned long long)i(j, "total_bytes", 0);
                m->installed_bytes = (unsigned long long)i(j, "installed_bytes", 0);
        }
        return rc;
}
