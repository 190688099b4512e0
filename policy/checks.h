/* checks.h - the check registry and the findings it produces.
 *
 * A check is a rule: it reads facts (JSON, from the collectors or from a
 * report) and the policy, and adds findings. It never reads the system.
 * The registry itself is checks.def. */
#ifndef HYGIE_CHECKS_H
#define HYGIE_CHECKS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "error.h"

enum family {
        FAM_OS,
        FAM_PATCH,
        FAM_BACKUP,
        FAM_PASSWORDS,
        FAM_ANTIVIRUS,
        FAM_HARDWARE,
        FAM_COUNT
};
#define FAM_ALL ((1u << FAM_COUNT) - 1)

enum status { STATUS_PASS, STATUS_WARN, STATUS_FAIL, STATUS_ERROR, STATUS_SKIP, STATUS_COUNT };
enum severity { SEV_INFO, SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL, SEV_COUNT };

struct policy;
struct check;
struct findings;
struct msgcat;

struct check_ctx {
        const struct policy *policy;
        const json_t *facts; /* the report's "facts" object */
        time_t now;
        bool translate;           /* texts in the user's language (terminal) or English (JSON) */
        const struct msgcat *cat; /* when set, texts in its language instead */
};

typedef void check_fn(const struct check *c, const struct check_ctx *ctx, struct findings *out);

struct check {
        const char *id;
        enum family family;
        enum severity severity; /* default; the policy's [severity] may override */
        const char *refs;       /* space-separated */
        unsigned needs;         /* bit mask of families whose facts it reads */
        check_fn *fn;
};

#define CHECK(id, fam, sev, refs, needs, fn) check_fn fn;
#include "checks.def"
#undef CHECK

extern const struct check checks[];
extern const size_t checks_count;

struct finding {
        const struct check *check;
        enum status status;
        enum severity severity;
        char *subject; /* NULL when the check has one finding */
        char *summary;
        char *remediation; /* NULL on pass */
        json_t *evidence;  /* object, owned */
};

struct findings {
        struct finding *v;
        size_t n, cap;
};

const struct check *checks_find(const char *id);
const char *family_name(enum family f);
int family_from_name(const char *name); /* enum family or -1 */
const char *status_name(enum status s);
int status_from_name(const char *name); /* enum status or -1 */
const char *severity_name(enum severity s);
int severity_from_name(const char *name); /* enum severity or -1 */

/* The message in ctx->cat's language when set, else in the user's language
 * when ctx->translate, else as given. */
const char *tr(const struct check_ctx *ctx, const char *msgid) __attribute__((format_arg(2)));
const char *trn(const struct check_ctx *ctx, const char *singular, const char *plural,
                unsigned long n) __attribute__((format_arg(2), format_arg(3)));

/* Adds a finding. evidence is taken over (NULL for none); remediation is
 * copied (NULL for none). The summary is formatted from fmt. */
void finding_add(struct findings *out, const struct check *c, const struct check_ctx *ctx,
                 enum status status, const char *subject, json_t *evidence, const char *remediation,
                 const char *fmt, ...) HYGIE_PRINTF(8, 9);
void findings_free(struct findings *f);

/* Runs every check of the families in mask, in registry order. */
void checks_run(const struct check_ctx *ctx, unsigned mask, struct findings *out);
/* Families whose facts the checks of mask need. */
unsigned checks_needs(unsigned mask);

/* Facts helpers for rules. */
/* The error a collector recorded for source ("shadow", "status"...), or NULL. */
const json_t *facts_error(const json_t *family_facts, const char *source);
/* Adds an error finding that names the file and line of a collector error. */
void finding_from_error(struct findings *out, const struct check *c, const struct check_ctx *ctx,
                        const json_t *error);

#endif
