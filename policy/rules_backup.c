/* rules_backup.c - PLACEHOLDER until the backup family lands. */
#include "checks.h"

void rule_backup_configured(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "not yet checked");
}

void rule_backup_recent(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "not yet checked");
}

void rule_backup_offsite(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "not yet checked");
}

void rule_backup_shrunk(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "not yet checked");
}

