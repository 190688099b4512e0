/* patch.c - PLACEHOLDER until the patch collector lands. */
#include "collector.h"

int patch_collect(const struct collect_ctx *ctx, json_t *facts)
{
        (void)ctx;
        (void)facts;
        return 0;
}
