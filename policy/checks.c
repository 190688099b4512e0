/* checks.c - the registry built from checks.def, and the findings list. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intl.h"
#include "lang.h"
#include "checks.h"
#include "policy.h"

#define F(fam)                               (1u << FAM_##fam)
#define CHECK(id, fam, sev, refs, needs, fn) { id, FAM_##fam, SEV_##sev, refs, needs, fn },
const struct check checks[] = {
#include "checks.def"
};
#undef CHECK
#undef F
const size_t checks_count = sizeof(checks) / sizeof(checks[0]);

_Static_assert(sizeof(checks) / sizeof(checks[0]) <=
                   sizeof(((struct policy *)0)->severity) / sizeof(int),
               "struct policy has room for every check's severity");

static const char *const family_names[FAM_COUNT] = { "os",        "patch",     "backup",
                                                     "passwords", "antivirus", "hardware" };
static const char *const status_names[STATUS_COUNT] = { "pass", "warn", "fail", "error", "skip" };
static const char *const severity_names[SEV_COUNT] = { "info", "low", "medium", "high",
                                                       "critical" };

const struct check *checks_find(const char *id)
{
        for (size_t i = 0; i < checks_count; i++)
                if (strcmp(checks[i].id, id) == 0)
                        return &checks[i];
        return NULL;
}

const char *family_name(enum family f)
{
        return family_names[f];
}

int family_from_name(const char *name)
{
        for (int i = 0; i < FAM_COUNT; i++)
                if (strcmp(family_names[i], name) == 0)
                        return i;
        return -1;
}

const char *status_name(enum status s)
{
        return status_names[s];
}

const char *severity_name(enum severity s)
{
        return severity_names[s];
}

int status_from_name(const char *name)
{
        for (int i = 0; i < STATUS_COUNT; i++)
                if (strcmp(status_names[i], name) == 0)
                        return i;
        return -1;
}

int severity_from_name(const char *name)
{
        for (int i = 0; i < SEV_COUNT; i++)
                if (strcmp(severity_names[i], name) == 0)
                        return i;
        return -1;
}

const char *tr(const struct check_ctx *ctx, const char *msgid)
{
        if (ctx->cat)
                return lang_tr(ctx->cat, msgid);
        return ctx->translate ? dgettext("hygie", msgid) : msgid;
}

const char *trn(const struct check_ctx *ctx, const char *singular, const char *plural,
                unsigned long n)
{
        if (ctx->cat)
                return lang_trn(ctx->cat, singular, plural, n);
        if (ctx->translate)
                return dngettext("hygie", singular, plural, n);
        return n == 1 ? singular : plural;
}

static char *xstrdup(const char *s)
{
        char *d = s ? strdup(s) : NULL;

        if (s && !d)
                abort();
        return d;
}

void finding_add(struct findings *out, const struct check *c, const struct check_ctx *ctx,
                 enum status status, const char *subject, json_t *evidence, const char *remediation,
                 const char *fmt, ...)
{
        struct finding *f;
        va_list ap;
        char *summary;

        if (out->n == out->cap) {
                size_t cap = out->cap ? out->cap * 2 : 32;
                struct finding *v = realloc(out->v, cap * sizeof(*v));
                if (!v)
                        abort();
                out->v = v;
                out->cap = cap;
        }
        va_start(ap, fmt);
        if (vasprintf(&summary, fmt, ap) < 0)
                abort();
        va_end(ap);
        f = &out->v[out->n++];
        f->check = c;
        f->status = status;
        f->severity = policy_severity(ctx->policy, c);
        f->subject = xstrdup(subject);
        f->summary = summary;
        f->remediation =
            status == STATUS_PASS || status == STATUS_SKIP ? NULL : xstrdup(remediation);
        f->evidence = evidence ? evidence : json_object();
}

void findings_free(struct findings *fs)
{
        for (size_t i = 0; i < fs->n; i++) {
                free(fs->v[i].subject);
                free(fs->v[i].summary);
                free(fs->v[i].remediation);
                json_decref(fs->v[i].evidence);
        }
        free(fs->v);
        memset(fs, 0, sizeof(*fs));
}

unsigned checks_needs(unsigned mask)
{
        unsigned needs = mask;

        for (size_t i = 0; i < checks_count; i++)
                if (mask & (1u << checks[i].family))
                        needs |= checks[i].needs;
        return needs;
}

void checks_run(const struct check_ctx *ctx, unsigned mask, struct findings *out)
{
        for (size_t i = 0; i < checks_count; i++)
                if (mask & (1u << checks[i].family))
                        checks[i].fn(&checks[i], ctx, out);
}

const json_t *facts_error(const json_t *family_facts, const char *source)
{
        const json_t *errors = json_object_get(family_facts, "errors"), *e;
        size_t i;

        json_array_foreach(errors, i, e)
        {
                const char *s = json_string_value(json_object_get(e, "source"));
                if (s && strcmp(s, source) == 0)
                        return e;
        }
        return NULL;
}

void finding_from_error(struct findings *out, const struct check *c, const struct check_ctx *ctx,
                        const json_t *error)
{
        const char *file = json_string_value(json_object_get(error, "file"));
        const char *msg = json_string_value(json_object_get(error, "message"));
        json_int_t line = json_integer_value(json_object_get(error, "line"));
        json_t *ev = json_deep_copy(error);

        if (!msg)
                msg = "";
        /* The collector's message is the system's, in English: a reader of
         * another language gets what could not be read, and the message in
         * the evidence. */
        if (ctx->cat && (!file || !*file))
                finding_add(out, c, ctx, STATUS_ERROR, NULL, ev,
                            tr(ctx, "Run the check again as an administrator; if the error "
                                    "stays, give this message to your IT provider."),
                            "%s", tr(ctx, "This check could not read what it needs"));
        else if (ctx->cat && line > 0)
                finding_add(out, c, ctx, STATUS_ERROR, NULL, ev,
                            tr(ctx, "Fix or restore the file named, then run the check again."),
                            tr(ctx, "This check could not read %s (line %lld)"), file,
                            (long long)line);
        else if (ctx->cat)
                finding_add(out, c, ctx, STATUS_ERROR, NULL, ev,
                            strncmp(file, "HKLM\\", 5) == 0
                                ? tr(ctx, "Check the registry value named (regedit), then run the "
                                          "check again.")
                                : tr(ctx, "Fix or restore the file named, then run the check "
                                          "again."),
                            tr(ctx, "This check could not read %s"), file);
        else if (!file || !*file) /* a system call or interface: the message names it */
                finding_add(out, c, ctx, STATUS_ERROR, NULL, ev,
                            tr(ctx, "Run the check again as an administrator; if the error "
                                    "stays, give this message to your IT provider."),
                            "%s", msg);
        else if (strncmp(file, "HKLM\\", 5) == 0)
                finding_add(out, c, ctx, STATUS_ERROR, NULL, ev,
                            tr(ctx, "Check the registry value named (regedit), then run the "
                                    "check again."),
                            "%s: %s", file, msg);
        else if (line > 0)
                finding_add(out, c, ctx, STATUS_ERROR, NULL, ev,
                            tr(ctx, "Fix or restore the file named, then run the check again."),
                            "%s:%lld: %s", file, (long long)line, msg);
        else
                finding_add(out, c, ctx, STATUS_ERROR, NULL, ev,
                            tr(ctx, "Fix or restore the file named, then run the check again."),
                            "%s: %s", file, msg);
}
