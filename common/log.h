/* log.h - the one way the programs write diagnostics.
 *
 * Lines are "level=... msg=\"...\" key=value ...", friendly to journald and
 * grep. Library code logs through here and never prints. */
#ifndef HYGIE_LOG_H
#define HYGIE_LOG_H

#include "error.h"

enum log_level { LOG_LEVEL_ERROR, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };

void log_set_level(enum log_level level);
/* fmt gives the message; trailing key=value fields go in the format too. */
void log_msg(enum log_level level, const char *fmt, ...) HYGIE_PRINTF(2, 3);

#define log_error(...) log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif
