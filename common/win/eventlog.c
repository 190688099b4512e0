/* eventlog.c - log lines into the Windows Event Log. Every line is event 1
 * of the source, whose message ("%1", agent/win/messages.mc) the executable
 * carries: Event Viewer shows the line as it is. */
#include <windows.h>

#include <errno.h>
#include <stdlib.h>

#include "log.h"
#include "win.h"

#define HYGIE_EVENT_LINE 1 /* MessageId in agent/win/messages.mc */

static HANDLE source;

static void sink(enum log_level level, const char *line)
{
        static const WORD types[] = { EVENTLOG_ERROR_TYPE, EVENTLOG_WARNING_TYPE,
                                      EVENTLOG_INFORMATION_TYPE, EVENTLOG_INFORMATION_TYPE };
        wchar_t *w = win_wide(line);
        const wchar_t *strings[1] = { w ? w : L"(a log line that is not UTF-8)" };

        ReportEventW(source, types[level], 0, HYGIE_EVENT_LINE, NULL, 1, 0, strings, NULL);
        free(w);
}

int log_eventlog(const char *name)
{
        wchar_t *w = win_wide(name);

        if (!w)
                return -EINVAL;
        source = RegisterEventSourceW(NULL, w);
        free(w);
        if (!source)
                return -EIO;
        log_set_sink(sink);
        return 0;
}
