/* fuzz_pam.c - pam.d rules, login.defs and pwquality.conf parsing on any
 * bytes; the first byte picks the parser (0 pam.d, 1 login.defs, else
 * pwquality.conf). Each PAM rule also goes through the minimum-length rules. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pam.h"

static int on_rule(void *user, const struct pam_line *l)
{
        struct pam_minlen m;

        pam_module_minlen(l, user, &m);
        (void)pam_module_name(l->module);
        return 0;
}

static int on_key(void *user, const char *key, const char *value, unsigned line)
{
        (void)pwquality_set(user, key, value, "pwquality.conf", line);
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct pwquality q;
        struct error e;
        char *text;

        if (size < 1)
                return 0;
        text = malloc(size);
        if (!text)
                return 0;
        memcpy(text, data + 1, size - 1);
        text[size - 1] = '\0';
        pwquality_defaults(&q);
        switch (data[0] % 3) {
        case 0:
                (void)pam_parse(text, "etc/pam.d/passwd", on_rule, &q, &e);
                break;
        case 1:
                (void)keyval_parse(text, "etc/login.defs", ' ', on_key, &q, &e);
                break;
        default:
                (void)keyval_parse(text, "etc/security/pwquality.conf", '=', on_key, &q, &e);
                break;
        }
        free(text);
        return 0;
}
