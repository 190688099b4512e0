/* fuzz_shadow.c - passwd, shadow and group parsing on any bytes; the first
 * byte picks the parser (0 passwd, 1 shadow, 2 group, else the hash field
 * and the audit's reading of its cost parameters). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pwaudit.h"
#include "shadow.h"

static int on_passwd(void *user, const struct passwd_ent *e)
{
        const char *scheme;

        (void)user;
        (void)shadow_hash_state(e->password, &scheme);
        return 0;
}

static int on_shadow(void *user, const struct shadow_ent *e)
{
        const char *scheme;

        (void)user;
        (void)shadow_hash_state(e->hash, &scheme);
        (void)pwaudit_cost_ok(e->hash);
        return 0;
}

static int on_group(void *user, const struct group_ent *g)
{
        (void)user;
        (void)group_has_member(g, "alice");
        (void)group_has_member(g, "");
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const char *scheme;
        struct error e;
        char *text;

        if (size < 1)
                return 0;
        text = malloc(size);
        if (!text)
                return 0;
        memcpy(text, data + 1, size - 1);
        text[size - 1] = '\0';
        switch (data[0] % 4) {
        case 0:
                (void)passwd_parse(text, "etc/passwd", on_passwd, NULL, &e);
                break;
        case 1:
                (void)shadow_parse(text, "etc/shadow", on_shadow, NULL, &e);
                break;
        case 2:
                (void)group_parse(text, "etc/group", on_group, NULL, &e);
                break;
        default:
                (void)shadow_hash_state(text, &scheme);
                (void)pwaudit_cost_ok(text);
                break;
        }
        free(text);
        return 0;
}
