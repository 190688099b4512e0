/* paths.h - where the programs find their data: policies, tables, messages.
 *
 * Relative to the executable (bin/../share/hygie), so the build tree and an
 * installed package both work; HYGIE_DATADIR overrides. */
#ifndef HYGIE_PATHS_H
#define HYGIE_PATHS_H

#include <stddef.h>

/* share/hygie; never NULL. */
const char *paths_datadir(void);
/* share/locale. */
const char *paths_localedir(void);
/* This machine's own settings: /etc/hygie on Linux, %ProgramData%\Hygie on
 * Windows, or $HYGIE_CONFDIR. */
const char *paths_confdir(void);
/* The machine's own policy settings, read over the shipped baseline:
 * confdir/policy.ini. */
const char *paths_site_policy(void);
/* confdir/name into buf; returns buf. */
const char *paths_conf(const char *name, char *buf, size_t size);
/* Where the agent keeps its enrollment and spool: /var/lib/hygie-agent on
 * Linux, %ProgramData%\Hygie\state on Windows. */
const char *paths_statedir(void);
/* datadir/name into buf; returns buf. */
const char *paths_data(const char *name, char *buf, size_t size);

/* Reads a data file of Hygie's own: name as is when absolute, else in the
 * data directory; path (size bytes) receives the file's path for messages.
 * *text is NUL-terminated and the caller frees it. 0, or a negative errno
 * (-EFBIG past max bytes). */
int paths_read_data(const char *name, size_t max, char **text, char *path, size_t size);

#endif
