/* hardware.c - PLACEHOLDER until the hardware collector lands. */
#include "collector.h"

int hardware_collect(const struct collect_ctx *ctx, json_t *facts)
{
        (void)ctx;
        (void)facts;
        return 0;
}
