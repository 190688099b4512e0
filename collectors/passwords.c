/* passwords.c - PLACEHOLDER until the passwords collector lands. */
#include "collector.h"

int passwords_collect(const struct collect_ctx *ctx, json_t *facts)
{
        (void)ctx;
        (void)facts;
        return 0;
}
