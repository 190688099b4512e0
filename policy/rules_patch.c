/* rules_patch.c - PLACEHOLDER until the patch family lands. */
#include "checks.h"

void rule_patch_security_pending(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "not yet checked");
}

void rule_patch_updates_pending(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "not yet checked");
}

void rule_patch_refresh_age(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "not yet checked");
}

void rule_patch_reboot_required(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "not yet checked");
}

void rule_patch_auto_updates(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "not yet checked");
}

