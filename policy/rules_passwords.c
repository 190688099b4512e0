/* rules_passwords.c - PLACEHOLDER until the passwords family lands. */
#include "checks.h"

void rule_password_empty(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "not yet checked");
}

void rule_password_weak_hash(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "not yet checked");
}

void rule_password_common(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "not yet checked");
}

void rule_password_min_length(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "not yet checked");
}

void rule_password_max_age(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "not yet checked");
}

void rule_password_stale(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "not yet checked");
}

void rule_password_ssh_root(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "not yet checked");
}

