/* fuzz_mountinfo.c - mountinfo parsing and mount lookup on any bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mountinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *text = malloc(size + 1);
        struct mountinfo mi;
        struct error e;

        if (!text)
                return 0;
        memcpy(text, data, size);
        text[size] = '\0';
        if (mountinfo_parse(text, "mountinfo", &mi, &e) == 0) {
                for (size_t i = 0; i < mi.n; i++) {
                        const struct mount_entry *m = mountinfo_find(&mi, mi.v[i].point);

                        /* A mount point is always held by some mount. */
                        if (mi.v[i].point[0] == '/' && !m)
                                abort();
                        (void)mountinfo_is_network(mi.v[i].fstype);
                }
                (void)mountinfo_find(&mi, "/srv/backup");
        }
        mountinfo_free(&mi);
        free(text);
        return 0;
}
