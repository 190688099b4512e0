/* rules_antivirus.c - PLACEHOLDER until the antivirus family lands. */
#include "checks.h"

void rule_antivirus_present(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "not yet checked");
}

void rule_antivirus_running(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "not yet checked");
}

void rule_antivirus_signatures_age(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "not yet checked");
}

void rule_antivirus_realtime(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "not yet checked");
}

