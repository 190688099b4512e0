/* intl.c - GNU gettext, as glibc provides it. */
#include <locale.h>

#include "intl.h"

void intl_init(const char *domain, const char *localedir)
{
        setlocale(LC_ALL, "");
        bindtextdomain(domain, localedir);
        bind_textdomain_codeset(domain, "UTF-8");
}
