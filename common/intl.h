/* intl.h - messages in the user's language: GNU gettext on Linux, the .mo
 * catalogues read by msgcat.c on Windows, behind the same calls. */
#ifndef HYGIE_INTL_H
#define HYGIE_INTL_H

#ifdef _WIN32
char *dgettext(const char *domain, const char *msgid) __attribute__((format_arg(2)));
char *dngettext(const char *domain, const char *singular, const char *plural, unsigned long n)
    __attribute__((format_arg(2), format_arg(3)));
#else
#include <libintl.h>
#endif

/* Chooses the user's language (the locale on Linux; on Windows LANGUAGE,
 * LC_ALL, LC_MESSAGES or LANG when set, else the user's display language)
 * and loads domain's messages from localedir/LANG/LC_MESSAGES/domain.mo. */
void intl_init(const char *domain, const char *localedir);

#endif
