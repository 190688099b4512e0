/* intake.c - the report validator: untrusted JSON to checked fields. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checks.h"
#include "intake.h"

bool intake_uuid_ok(const char *s)
{
        for (int i = 0; i < 36; i++) {
                bool dash = i == 8 || i == 13 || i == 18 || i == 23;

                if (dash ? s[i] != '-'
                         : !((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
                        return false;
        }
        return s[36] == '\0';
}

/* family.name: lower-case letters, digits and '_', one dot, at most 63 bytes. */
static bool check_id_ok(const char *s)
{
        size_t n = strlen(s), dots = 0;

        if (n == 0 || n > 63 || s[0] == '.' || s[n - 1] == '.')
                return false;
        for (size_t i = 0; i < n; i++) {
                if (s[i] == '.')
                        dots++;
                else if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
                           s[i] == '_'))
                        return false;
        }
        return dots == 1;
}

/* UTF-8 text without control characters, at most max bytes (jansson has
 * already checked the encoding). */
static bool text_ok(const char *s, size_t max)
{
        size_t n = strlen(s);

        if (n > max)
                return false;
        for (size_t i = 0; i < n; i++)
                if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
                        return false;
        return true;
}

static bool hex_ok(const char *s, size_t max)
{
        size_t n = strspn(s, "0123456789abcdef");

        return n > 0 && n <= max && s[n] == '\0';
}

/* "YYYY-MM-DDTHH:MM:SSZ" to Unix time. */
static int parse_time(const char *s, long long *out)
{
        struct tm tm = { 0 };
        char *end;

        end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
        if (!end || *end || strlen(s) != 20)
                return -EINVAL;
        *out = (long long)timegm(&tm);
        return 0;
}

static int bad(struct error *e, const char *path, const char *what)
{
        error_set(e, "", 0, "%s: %s", path, what);
        return -EINVAL;
}

static const char *string_at(json_t *o, const char *key)
{
        json_t *v = json_object_get(o, key);

        return json_is_string(v) ? json_string_value(v) : NULL;
}

static int check_report(struct intake *in, json_t *r, struct error *e);

static int parse_finding(json_t *f, size_t i, struct store_finding *out, struct error *e)
{
        char path[48];
        const char *check, *status, *severity, *subject, *summary;
        json_t *sub;

        snprintf(path, sizeof(path), "findings[%zu]", i);
        if (!json_is_object(f))
                return bad(e, path, "not an object");
        check = string_at(f, "check");
        status = string_at(f, "status");
        severity = string_at(f, "severity");
        summary = string_at(f, "summary");
        sub = json_object_get(f, "subject");
        if (!check || !check_id_ok(check))
                return bad(e, path, "\"check\" is not a check id (family.name)");
        if (!status || (out->status = status_from_name(status)) < 0)
                return bad(e, path, "\"status\" is not pass, warn, fail, error or skip");
        if (!severity || (out->severity = severity_from_name(severity)) < 0)
                return bad(e, path, "\"severity\" is not info, low, medium, high or critical");
        if (!summary || !text_ok(summary, 1024))
                return bad(e, path, "\"summary\" is not a line of text of at most 1024 bytes");
        if (sub && !json_is_null(sub)) {
                if (!json_is_string(sub) || !text_ok(json_string_value(sub), 255))
                        return bad(e, path,
                                   "\"subject\" is not a line of text of at most 255 bytes");
                subject = json_string_value(sub);
        } else {
                subject = "";
        }
        out->check = check;
        out->subject = subject;
        out->summary = summary;
        return 0;
}

/* Copies the strings the store needs out of the tree, so it can go. */
static int keep_strings(struct intake *in)
{
        size_t need = strlen(in->hostname) + 1, off = 0;
        char *p;

        for (size_t i = 0; i < in->nfindings; i++)
                need += strlen(in->findings[i].check) + strlen(in->findings[i].subject) +
                        strlen(in->findings[i].summary) + 3;
        if (!(in->strings = malloc(need)))
                return -ENOMEM;
        p = in->strings;
#define KEEP(field)                                                                                \
        do {                                                                                       \
                size_t l = strlen(field) + 1;                                                      \
                memcpy(p + off, field, l);                                                         \
                field = p + off;                                                                   \
                off += l;                                                                          \
        } while (0)
        KEEP(in->hostname);
        for (size_t i = 0; i < in->nfindings; i++) {
                KEEP(in->findings[i].check);
                KEEP(in->findings[i].subject);
                KEEP(in->findings[i].summary);
        }
#undef KEEP
        return 0;
}

int intake_parse(struct intake *in, const char *text, size_t len, struct error *e)
{
        json_error_t je;
        json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
        int rc;

        memset(in, 0, sizeof(*in));
        if (!root) {
                error_set(e, "", 0, "not JSON: %s at line %d, column %d", je.text, je.line,
                          je.column);
                return -EINVAL;
        }
        rc = check_report(in, root, e);
        if (rc == 0)
                rc = keep_strings(in);
        json_decref(root);
        return rc;
}

static int check_report(struct intake *in, json_t *r, struct error *e)
{
        json_t *agent, *findings, *v, *machine;
        const char *s;
        size_t n;
        int rc;

        if (!json_is_object(r))
                return bad(e, "report", "not an object");
        s = string_at(r, "schema");
        if (!s || strcmp(s, "hygie.report/1") != 0)
                return bad(e, "schema", "not \"hygie.report/1\"");
        s = string_at(r, "report_id");
        if (!s || !intake_uuid_ok(s))
                return bad(e, "report_id", "not a UUID");
        memcpy(in->report_id, s, 37);
        v = json_object_get(r, "seq");
        if (!json_is_integer(v) || json_integer_value(v) < 0)
                return bad(e, "seq", "not a non-negative integer");
        in->seq = json_integer_value(v);
        agent = json_object_get(r, "agent");
        if (!json_is_object(agent))
                return bad(e, "agent", "not an object");
        s = string_at(agent, "id");
        if (!s || !intake_uuid_ok(s))
                return bad(e, "agent.id", "not a UUID");
        memcpy(in->agent_id, s, 37);
        s = string_at(agent, "hostname");
        if (!s || !text_ok(s, 255))
                return bad(e, "agent.hostname", "not a host name of at most 255 bytes");
        in->hostname = s;
        in->interval = 3600;
        v = json_object_get(agent, "interval");
        if (v) {
                if (!json_is_integer(v) || json_integer_value(v) < 60 ||
                    json_integer_value(v) > 30 * 86400)
                        return bad(e, "agent.interval",
                                   "not a number of seconds from 60 to 30 days");
                in->interval = json_integer_value(v);
        }
        machine = json_object_get(agent, "machine");
        if (machine && !json_is_null(machine)) {
                if (!json_is_string(machine) || !hex_ok(json_string_value(machine), 64))
                        return bad(e, "agent.machine", "not a hexadecimal digest");
                snprintf(in->machine, sizeof(in->machine), "%s", json_string_value(machine));
        }
        s = string_at(r, "collected_at");
        if (!s || parse_time(s, &in->collected_at) < 0)
                return bad(e, "collected_at", "not a UTC time (YYYY-MM-DDTHH:MM:SSZ)");
        if (!json_is_object(json_object_get(r, "facts")))
                return bad(e, "facts", "not an object");
        findings = json_object_get(r, "findings");
        if (!json_is_array(findings))
                return bad(e, "findings", "not an array");
        n = json_array_size(findings);
        if (n > INTAKE_FINDINGS_MAX)
                return bad(e, "findings", "too many");
        if (n > 0 && !(in->findings = calloc(n, sizeof(*in->findings))))
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                rc = parse_finding(json_array_get(findings, i), i, &in->findings[i], e);
                if (rc < 0)
                        return rc;
        }
        in->nfindings = n;
        return 0;
}

void intake_free(struct intake *in)
{
        free(in->strings);
        free(in->findings);
        memset(in, 0, sizeof(*in));
}
