/* intl.c - gettext's lookups over one .mo catalogue (msgcat.c), for the one
 * text domain the programs use. */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intl.h"
#include "msgcat.h"
#include "win.h"

static struct msgcat catalogue;

/* "fr" from "fr_FR.UTF-8", "fr:en" or the user's display language. */
static void language(char *lang, size_t size)
{
        static const char *const vars[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };

        for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
                const char *v = getenv(vars[i]);

                if (v && *v) {
                        snprintf(lang, size, "%.*s", (int)strcspn(v, "_.:@"), v);
                        return;
                }
        }
        switch (PRIMARYLANGID(GetUserDefaultUILanguage())) {
        case LANG_FRENCH:
                snprintf(lang, size, "fr");
                break;
        default:
                snprintf(lang, size, "en");
                break;
        }
}

void intl_init(const char *domain, const char *localedir)
{
        char lang[16], file[MAX_PATH * 3];
        unsigned char *data = NULL;
        size_t size = 0;
        struct error e;

        language(lang, sizeof(lang));
        if (strcmp(lang, "en") == 0 || strcmp(lang, "C") == 0)
                return;
        snprintf(file, sizeof(file), "%s\\%s\\LC_MESSAGES\\%s.mo", localedir, lang, domain);
        /* No catalogue for the language: the messages stay in English. */
        if (win_read_file(file, 4 << 20, &data, &size) < 0)
                return;
        if (msgcat_load(&catalogue, data, size, file, &e) < 0) {
                char buf[600];
                fprintf(stderr, "hygie: %s\n", error_str(&e, buf, sizeof(buf)));
        }
}

char *dgettext(const char *domain, const char *msgid)
{
        const char *t = msgcat_get(&catalogue, msgid);

        (void)domain;
        return (char *)(t ? t : msgid);
}

char *dngettext(const char *domain, const char *singular, const char *plural, unsigned long n)
{
        const char *t = msgcat_nget(&catalogue, singular, n);

        (void)domain;
        if (t)
                return (char *)t;
        return (char *)(n == 1 ? singular : plural);
}
