/* fuzz_policy.c - policy INI parsing on any bytes (policies also come from the collector). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *text = malloc(size + 1);
        struct policy *p = malloc(sizeof(*p));
        struct error e;

        if (text && p) {
                memcpy(text, data, size);
                text[size] = '\0';
                policy_defaults(p);
                (void)policy_load_string(p, text, "fuzz.ini", &e);
        }
        free(p);
        free(text);
        return 0;
}
