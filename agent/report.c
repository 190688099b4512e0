/* report.c - building the report document and the human verdict.
 *
 * A document is built within what the collector takes (report_limits.h):
 * the collectors cap what grows with the machine, and a family whose facts
 * are still over REPORT_FAMILY_MAX goes as a note of its size, the checks
 * that read it as one error each, so the rest of the report still counts; a
 * finding over REPORT_FINDING_MAX goes with a note of its evidence's size. */
#include <string.h>
#include <stdlib.h>

#include "intl.h"
#include "report.h"
#include "report_limits.h"
#include "util.h"

#define _(s)  dgettext("hygie", s)
#define N_(s) s

#ifndef HYGIE_VERSION
#define HYGIE_VERSION "0.0.0"
#endif

/* Adds the texts of f's translation t (of another language, code) where
 * they differ from f's own. */
static void texts_json(json_t *o, const struct finding *f, const struct finding *t,
                       const char *code)
{
        json_t *x = json_object();

        if (strcmp(t->summary, f->summary) != 0)
                json_object_set_new(x, "summary", json_string(t->summary));
        if (t->remediation && f->remediation && strcmp(t->remediation, f->remediation) != 0)
                json_object_set_new(x, "remediation", json_string(t->remediation));
        if (json_object_size(x) == 0) {
                json_decref(x);
                return;
        }
        json_object_set_new(o, "texts", json_pack("{s:o}", code, x));
}

static json_t *finding_json(const struct finding *f, const struct finding *fr)
{
        json_t *o = json_object(), *refs = json_array();
        char buf[256];
        const char *r = f->check->refs;

        while (*r) {
                size_t n = strcspn(r, " ");
                snprintf(buf, sizeof(buf), "%.*s", (int)n, r);
                json_array_append_new(refs, json_string(buf));
                r += n;
                r += strspn(r, " ");
        }
        json_object_set_new(o, "check", json_string(f->check->id));
        json_object_set_new(o, "status", json_string(status_name(f->status)));
        json_object_set_new(o, "severity", json_string(severity_name(f->severity)));
        if (f->subject)
                json_object_set_new(o, "subject", json_string(f->subject));
        json_object_set_new(o, "summary", json_string(f->summary));
        json_object_set(o, "evidence", f->evidence);
        if (f->remediation)
                json_object_set_new(o, "remediation", json_string(f->remediation));
        json_object_set_new(o, "refs", refs);
        if (fr)
                texts_json(o, f, fr, "fr");
        return o;
}

/* facts (a new reference) with each family over REPORT_FAMILY_MAX replaced
 * by a note of its size: those families in *over, their sizes in bytes. */
static json_t *facts_within_limits(json_t *facts, unsigned *over, size_t bytes[FAM_COUNT])
{
        json_t *out = NULL;

        *over = 0;
        for (int fam = 0; fam < FAM_COUNT; fam++) {
                const json_t *v = json_object_get(facts, family_name(fam));
                size_t n = v ? json_dumpb(v, NULL, 0, JSON_COMPACT) : 0;

                if (n <= REPORT_FAMILY_MAX)
                        continue;
                if (!out && !(out = json_copy(facts)))
                        return NULL;
                json_object_set_new(out, family_name(fam),
                                    json_pack("{s:b, s:I, s:I}", "too_large", 1, "bytes",
                                              (json_int_t)n, "limit",
                                              (json_int_t)REPORT_FAMILY_MAX));
                *over |= 1u << fam;
                bytes[fam] = n;
        }
        return out ? out : json_incref(facts);
}

/* Finding o (taken over) within REPORT_FINDING_MAX: past it, its evidence
 * is replaced by a note of its size. */
static json_t *finding_within_limit(json_t *o)
{
        const json_t *ev = json_object_get(o, "evidence");
        size_t n;

        if (!o || !ev || json_dumpb(o, NULL, 0, JSON_COMPACT) <= REPORT_FINDING_MAX)
                return o;
        n = json_dumpb(ev, NULL, 0, JSON_COMPACT);
        json_object_set_new(o, "evidence",
                            json_pack("{s:b, s:I, s:I}", "too_large", 1, "bytes", (json_int_t)n,
                                      "limit", (json_int_t)REPORT_FINDING_MAX));
        return o;
}

/* In place of the findings of a check that reads families left out. */
static json_t *left_out_json(const struct finding *f, unsigned left_out, const size_t bytes[])
{
        struct finding x = { .check = f->check, .status = STATUS_ERROR, .severity = f->severity };
        char summary[300];
        json_t *o;
        int fam = 0;

        while (!(left_out & (1u << fam)))
                fam++;
        snprintf(summary, sizeof(summary),
                 "Not reported: the %s facts of this machine are too large to send (%zu KiB, "
                 "the collector takes %d KiB)",
                 family_name(fam), (bytes[fam] + 1023) / 1024, REPORT_FAMILY_MAX / 1024);
        x.summary = summary;
        x.evidence = json_pack("{s:s, s:I, s:I}", "family", family_name(fam), "bytes",
                               (json_int_t)bytes[fam], "limit", (json_int_t)REPORT_FAMILY_MAX);
        o = finding_json(&x, NULL);
        json_decref(x.evidence);
        return o;
}

/* Whether t is f run again in another language: the same checks and
 * subjects, in the same order. */
static bool same_run(const struct findings *f, const struct findings *t)
{
        if (!t || t->n != f->n)
                return false;
        for (size_t i = 0; i < f->n; i++)
                if (t->v[i].check != f->v[i].check || t->v[i].status != f->v[i].status ||
                    !t->v[i].subject != !f->v[i].subject ||
                    (f->v[i].subject && strcmp(t->v[i].subject, f->v[i].subject) != 0))
                        return false;
        return true;
}

json_t *report_build(const struct report_meta *m, const struct policy *p, json_t *facts,
                     const struct findings *f, const struct findings *fr)
{
        json_t *r, *findings, *sent;
        size_t bytes[FAM_COUNT] = { 0 };
        unsigned over;
        bool *replaced;
        char id[37], when[32];

        if (util_uuid4(id, sizeof(id)) < 0)
                return NULL;
        sent = facts_within_limits(facts, &over, bytes);
        replaced = calloc(checks_count, sizeof(*replaced));
        if (!sent || !replaced) {
                json_decref(sent);
                free(replaced);
                return NULL;
        }
        r = json_object();
        findings = json_array();
        json_object_set_new(r, "schema", json_string("hygie.report/1"));
        json_object_set_new(r, "report_id", json_string(id));
        json_object_set_new(r, "seq", json_integer(m->seq));
        json_object_set_new(
            r, "agent",
            json_pack("{s:o, s:s, s:s}", "id", m->agent_id ? json_string(m->agent_id) : json_null(),
                      "version", HYGIE_VERSION, "hostname", m->hostname ? m->hostname : ""));
        if (m->machine)
                json_object_set_new(json_object_get(r, "agent"), "machine",
                                    json_string(m->machine));
        if (m->interval > 0)
                json_object_set_new(json_object_get(r, "agent"), "interval",
                                    json_integer(m->interval));
        json_object_set_new(r, "collected_at",
                            json_string(util_iso8601(m->collected_at, when, sizeof(when))));
        json_object_set_new(
            r, "policy", json_pack("{s:s, s:I}", "id", p->id, "revision", (json_int_t)p->revision));
        json_object_set_new(r, "facts", sent);
        if (!same_run(f, fr))
                fr = NULL;
        for (size_t i = 0; i < f->n; i++) {
                const struct check *c = f->v[i].check;
                unsigned left_out = (c->needs | 1u << c->family) & over;

                if (!left_out)
                        json_array_append_new(findings, finding_within_limit(finding_json(
                                                            &f->v[i], fr ? &fr->v[i] : NULL)));
                else if (!replaced[c - checks]) {
                        replaced[c - checks] = true;
                        json_array_append_new(findings, left_out_json(&f->v[i], left_out, bytes));
                }
        }
        free(replaced);
        json_object_set_new(r, "findings", findings);
        return r;
}

static const char *const family_titles[FAM_COUNT] = {
        N_("Operating system"), N_("Updates"),   N_("Backups"),
        N_("Passwords"),        N_("Antivirus"), N_("Hardware"),
};

static const char *const status_labels[STATUS_COUNT] = {
        N_("PASS"), N_("WARN"), N_("FAIL"), N_("ERROR"), N_("SKIP"),
};

static const char *const status_colours[STATUS_COUNT] = {
        "\033[32m", "\033[33m", "\033[1;31m", "\033[35m", "\033[2m",
};

/* Prints s padded with spaces to width columns. The labels are UTF-8 text
 * of the catalogues, one column a character (Latin letters, accented or not). */
static void pad(FILE *out, const char *s, int width)
{
        size_t len = strlen(s), step;
        int cols = 0;

        for (size_t at = 0; at < len; at += step ? step : 1, cols++)
                step = util_utf8_char((const unsigned char *)s + at, len - at);

        fputs(s, out);
        for (; cols < width; cols++)
                fputc(' ', out);
}

/* Text that comes from the inspected root (names, a hostname) may hold
 * control characters: a crafted one could move the cursor or recolour a
 * line, so each is printed as '?'. */
static void put_text(FILE *out, const char *s)
{
        for (; *s; s++)
                fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, out);
}

void report_render(FILE *out, const struct report_meta *m, const struct findings *f, unsigned mask,
                   bool colour)
{
        size_t count[STATUS_COUNT] = { 0 };
        const char *reset = colour ? "\033[0m" : "", *dim = colour ? "\033[2m" : "";

        char host[512];
        size_t n = 0;

        for (const char *h = m->hostname && *m->hostname ? m->hostname : "?";
             *h && n + 1 < sizeof(host); h++)
                host[n++] = (unsigned char)*h < 0x20 || *h == 0x7f ? '?' : *h;
        host[n] = '\0';
        fprintf(out, _("Hygie check of %s"), host);
        fputc('\n', out);
        for (int fam = 0; fam < FAM_COUNT; fam++) {
                if (!(mask & (1u << fam)))
                        continue;
                fprintf(out, "\n%s%s%s\n", colour ? "\033[1m" : "", _(family_titles[fam]), reset);
                for (size_t i = 0; i < f->n; i++) {
                        const struct finding *x = &f->v[i];
                        if (x->check->family != (enum family)fam)
                                continue;
                        count[x->status]++;
                        fprintf(out, "  %s", colour ? status_colours[x->status] : "");
                        pad(out, _(status_labels[x->status]), 8);
                        fputs(reset, out);
                        put_text(out, x->summary);
                        fprintf(out, " %s(%s)%s\n", dim, x->check->id, reset);
                        if (x->remediation && *x->remediation) {
                                fprintf(out, "            %s ", _("Fix:"));
                                put_text(out, x->remediation);
                                fputc('\n', out);
                        }
                }
        }
        fputc('\n', out);
        fprintf(out, _("Failed: %zu  Warnings: %zu  Errors: %zu  Passed: %zu  Skipped: %zu"),
                count[STATUS_FAIL], count[STATUS_WARN], count[STATUS_ERROR], count[STATUS_PASS],
                count[STATUS_SKIP]);
        fputc('\n', out);
}
