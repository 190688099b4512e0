/* collectors.c - the table of collectors, one per family. */
#include <stdarg.h>
#include <stdio.h>

#include "collector.h"

const struct collector collectors[FAM_COUNT] = {
        [FAM_OS] = { FAM_OS, os_collect },
        [FAM_PATCH] = { FAM_PATCH, patch_collect },
        [FAM_BACKUP] = { FAM_BACKUP, backup_collect },
        [FAM_PASSWORDS] = { FAM_PASSWORDS, passwords_collect },
        [FAM_ANTIVIRUS] = { FAM_ANTIVIRUS, antivirus_collect },
        [FAM_HARDWARE] = { FAM_HARDWARE, hardware_collect },
};

void facts_add_error(json_t *facts, const char *source, const char *file, unsigned line,
                     const char *fmt, ...)
{
        json_t *errors = json_object_get(facts, "errors");
        char msg[512];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        if (!errors) {
                errors = json_array();
                json_object_set_new(facts, "errors", errors);
        }
        json_array_append_new(errors, json_pack("{s:s, s:s, s:I, s:s}", "source", source, "file",
                                                file, "line", (json_int_t)line, "message", msg));
}
