/* fuzz_policy.c - policy INI parsing on any bytes (policies also come from the
 * collector), and what the rules make of the Windows table it holds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "rules.h"

static void windows_table(const struct policy *p)
{
        static const char *const families[] = { "home_pro", "enterprise", "ltsc",
                                                "iot_ltsc", "server",     NULL };

        for (size_t i = 0; i < p->nwin_builds; i++) {
                for (size_t f = 0; f < sizeof(families) / sizeof(families[0]); f++) {
                        json_decref(rules_windows_support(p, p->win_builds[i].build, families[f]));
                        json_decref(rules_windows_latest(p, p->win_builds[i].build, families[f]));
                }
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *text = malloc(size + 1);
        struct policy *p = malloc(sizeof(*p));
        struct error e;

        if (text && p) {
                memcpy(text, data, size);
                text[size] = '\0';
                policy_defaults(p);
                if (policy_load_string(p, text, "fuzz.ini", &e) == 0)
                        windows_table(p);
        }
        free(p);
        free(text);
        return 0;
}
