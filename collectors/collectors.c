/* collectors.c - the table of collectors, one per family. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector.h"

const struct collector collectors[FAM_COUNT] = {
        [FAM_OS] = { FAM_OS, os_collect },
        [FAM_PATCH] = { FAM_PATCH, patch_collect },
        [FAM_BACKUP] = { FAM_BACKUP, backup_collect },
        [FAM_PASSWORDS] = { FAM_PASSWORDS, passwords_collect },
        [FAM_ANTIVIRUS] = { FAM_ANTIVIRUS, antivirus_collect },
        [FAM_HARDWARE] = { FAM_HARDWARE, hardware_collect },
};

json_t *facts_string(const char *s)
{
        json_t *j = json_string(s);
        char *copy;

        if (j || !s)
                return j;
        copy = strdup(s);
        if (!copy)
                return NULL;
        for (char *p = copy; *p; p++)
                if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
                        *p = '?';
        j = json_string(copy);
        free(copy);
        return j;
}

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
        /* A path or a message cut short may not be UTF-8: the error must stay. */
        json_array_append_new(errors,
                              json_pack("{s:o, s:o, s:I, s:o}", "source", facts_string(source),
                                        "file", facts_string(file), "line", (json_int_t)line,
                                        "message", facts_string(msg)));
}
