/* rules.h - helpers the rule files share. */
#ifndef HYGIE_RULES_H
#define HYGIE_RULES_H

#include <jansson.h>
#include <time.h>

#include "checks.h"
#include "policy.h"

enum support_state {
        SUPPORT_UNKNOWN, /* no table describes this system */
        SUPPORT_OK,
        SUPPORT_ENDING,   /* regular support ends within the policy's warning time */
        SUPPORT_EXTENDED, /* regular support over; only LTS or ESM fixes remain */
        SUPPORT_ENDED,    /* no security fixes at all */
};

struct support {
        enum support_state state;
        const char *system;   /* pretty name */
        const char *eol;      /* end of regular security support, may be NULL */
        const char *ext;      /* end of LTS/ESM, may be NULL */
        const char *ext_name; /* "LTS" or "ESM" */
        long days_left;       /* to the end that matters for the state */
};

/* Where facts.os (may be NULL) stands on security support at now. */
void rules_os_support(const json_t *os, time_t now, long warn_months, struct support *s);

/* facts.<family name> of the context, or NULL. */
const json_t *rules_facts(const struct check_ctx *ctx, enum family f);

#endif
