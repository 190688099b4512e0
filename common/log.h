/* log.h - the one way the programs write diagnostics.
 *
 * Lines are "level=... msg=\"...\" key=value ...", friendly to journald and
 * grep. Library code logs through here and never prints. */
#ifndef HYGIE_LOG_H
#define HYGIE_LOG_H

#include "error.h"

enum log_level { LOG_LEVEL_ERROR, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };

void log_set_level(enum log_level level);
/* Where lines go besides stderr: NULL (the default) for stderr only. The
 * Windows service sets log_eventlog() (common/win/eventlog.c), so that its
 * lines reach the Event Log, where a Windows administrator looks. */
typedef void log_sink_fn(enum log_level level, const char *line);
void log_set_sink(log_sink_fn *sink);
/* A message for the person who ran the command, as it is, on stderr; with
 * a sink set (a service), to the sink as an error line too. */
void log_fail(const char *fmt, ...) HYGIE_PRINTF(1, 2);
/* fmt gives the message; trailing key=value fields go in the format too. */
void log_msg(enum log_level level, const char *fmt, ...) HYGIE_PRINTF(2, 3);

#ifdef _WIN32
/* Opens the Event Log under source (registered by the installer:
 * HKLM\SYSTEM\CurrentControlSet\Services\EventLog\Application\SOURCE,
 * its EventMessageFile the executable) and sends every line there. 0, or a
 * negative errno when the Event Log cannot be opened (lines then go to
 * stderr alone). */
int log_eventlog(const char *source);
#endif

#define log_error(...) log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif
