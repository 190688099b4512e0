/* backup.c - PLACEHOLDER until the backup collector lands. */
#include "collector.h"

int backup_collect(const struct collect_ctx *ctx, json_t *facts)
{
        (void)ctx;
        (void)facts;
        return 0;
}
