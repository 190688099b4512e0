/* antivirus.c - PLACEHOLDER until the antivirus collector lands. */
#include "collector.h"

int antivirus_collect(const struct collect_ctx *ctx, json_t *facts)
{
        (void)ctx;
        (void)facts;
        return 0;
}
