/* fuzz_sshd_config.c - sshd_config lines and settings on any bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sshd_config.h"

static int apply(void *user, const char *keyword, char *const *args, unsigned nargs, unsigned line)
{
        sshd_settings_apply(user, "etc/ssh/sshd_config", line, keyword, args, nargs);
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct sshd_settings *s = malloc(sizeof(*s));
        char *text = malloc(size + 1);
        struct error e;

        if (s && text) {
                memcpy(text, data, size);
                text[size] = '\0';
                sshd_settings_init(s);
                (void)sshd_config_parse(text, "etc/ssh/sshd_config", apply, s, &e);
        }
        free(text);
        free(s);
        return 0;
}
