/* fuzz_l10n.c - alert summaries read back in the reader's language
 * (l10n.c), whose text may come from an agent, and Accept-Language
 * headers (lang.c), from any bytes. The first byte picks the check. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "l10n.h"

static const char *const checks[] = { "agent.silent", "agent.duplicate", "establishment.awareness",
                                      "backup.restore_tested", "password.empty" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static struct msgcat fr;
        static int loaded;
        struct error e;
        char *text, buf[256];

        if (!loaded)
                loaded = lang_load(&fr, LANG_FR, &e) == 0 ? 1 : -1;
        if (loaded < 0 || size == 0 || !(text = malloc(size)))
                return 0;
        memcpy(text, data + 1, size - 1);
        text[size - 1] = '\0';
        (void)l10n_summary(&fr, checks[data[0] % 5], text, NULL, buf, sizeof(buf));
        (void)lang_from_accept(text, LANG_EN);
        free(text);
        return 0;
}
