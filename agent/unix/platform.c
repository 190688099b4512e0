/* platform.c - the agent on Linux: a root directory, the terminal. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "intl.h"
#include "state.h"

#define _(s) dgettext("hygie", s)

const char *agent_hostname(const struct rootfs *root, char *buf, size_t size)
{
        char *text = NULL;

        buf[0] = '\0';
        if (root->host) {
                if (gethostname(buf, size) < 0)
                        buf[0] = '\0';
                buf[size - 1] = '\0';
        } else if (rootfs_read(root, "etc/hostname", 4096, &text, NULL) == 0) {
                snprintf(buf, size, "%.*s", (int)strcspn(text, " \t\r\n"), text);
                free(text);
        }
        return buf;
}

int agent_open_root(const char *path, struct rootfs **root)
{
        struct rootfs *r = malloc(sizeof(*r));
        int rc;

        *root = NULL;
        if (!r)
                return -ENOMEM;
        rc = rootfs_init(r, path ? path : "/");
        if (rc < 0) {
                fprintf(stderr, _("hygie-agent: cannot open the root %s: %s\n"), path ? path : "/",
                        strerror(-rc));
                free(r);
                return rc;
        }
        *root = r;
        return 0;
}

void agent_close_root(struct rootfs *root)
{
        if (!root)
                return;
        rootfs_close(root);
        free(root);
}

int agent_machine_digest(const struct rootfs *root, char *out, size_t size)
{
        char id[128] = "", uuid[128] = "";
        size_t len;

        if (rootfs_read_small(root, "etc/machine-id", id, sizeof(id), &len) == 0)
                id[strcspn(id, " \t\r\n")] = '\0';
        if (rootfs_read_small(root, "sys/class/dmi/id/product_uuid", uuid, sizeof(uuid), &len) == 0)
                uuid[strcspn(uuid, " \t\r\n")] = '\0';
        return state_machine_digest(id, uuid, out, size);
}

void agent_console_init(int *argc, char ***argv)
{
        (void)argc;
        (void)argv;
}

int agent_memory(unsigned long long *resident, unsigned long long *private_bytes)
{
        FILE *f = fopen("/proc/self/status", "re");
        char line[256];
        int found = 0;

        if (!f)
                return -errno;
        while (fgets(line, sizeof(line), f))
                found += sscanf(line, "VmRSS: %llu kB", resident) == 1 ||
                         sscanf(line, "RssAnon: %llu kB", private_bytes) == 1;
        fclose(f);
        if (found != 2)
                return -ENODATA;
        *resident <<= 10;
        *private_bytes <<= 10;
        return 0;
}

bool agent_colors(FILE *out)
{
        const char *nc = getenv("NO_COLOR");

        return isatty(fileno(out)) && !(nc && *nc);
}
