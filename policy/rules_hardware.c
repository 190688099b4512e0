/* rules_hardware.c - PLACEHOLDER until the hardware family lands. */
#include "checks.h"

void rule_equipment_ram(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "not yet checked");
}

void rule_equipment_age(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "not yet checked");
}

void rule_equipment_storage(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "not yet checked");
}

void rule_equipment_tpm(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "not yet checked");
}

void rule_equipment_win11_ready(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "not yet checked");
}

void rule_equipment_os_supported(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "not yet checked");
}

