/* main.c - hygie-agent: dispatch to the command named on the command line. */
#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include "agent.h"
#include "paths.h"

#define _(s) dgettext("hygie", s)

#ifndef HYGIE_VERSION
#define HYGIE_VERSION "0.0.0"
#endif

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

static void usage(FILE *out)
{
        fprintf(out, "%s",
                _("Usage: hygie-agent COMMAND [OPTIONS]\n"
                  "\n"
                  "Commands:\n"
                  "  check     run every check once on this machine and print the verdict\n"
                  "  enroll    enroll this machine with a collector\n"
                  "  run       run the checks on schedule and report to the collector\n"
                  "  status    enrollment, last delivery, spool and next run\n"
                  "  version   print the version\n"
                  "\n"
                  "\"hygie-agent COMMAND --help\" describes a command.\n"));
}

int main(int argc, char **argv)
{
        setlocale(LC_ALL, "");
        bindtextdomain("hygie", paths_localedir());
        bind_textdomain_codeset("hygie", "UTF-8");

        if (argc < 2) {
                usage(stderr);
                return 2;
        }
        if (strcmp(argv[1], "check") == 0)
                return agent_check(argc - 1, argv + 1);
        if (strcmp(argv[1], "enroll") == 0)
                return agent_enroll(argc - 1, argv + 1);
        if (strcmp(argv[1], "run") == 0)
                return agent_run(argc - 1, argv + 1);
        if (strcmp(argv[1], "status") == 0)
                return agent_status(argc - 1, argv + 1);
        if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
                printf("hygie-agent %s\n", HYGIE_VERSION);
                return 0;
        }
        if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0) {
                usage(stdout);
                return 0;
        }
        fprintf(stderr, _("hygie-agent: unknown command \"%s\"\n"), argv[1]);
        usage(stderr);
        return 2;
}
