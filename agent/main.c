/* main.c - hygie-agent: dispatch to the command named on the command line. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "intl.h"
#include "agent.h"
#include "paths.h"

#define _(s) dgettext("hygie", s)

#ifndef HYGIE_VERSION
#define HYGIE_VERSION "0.0.0"
#endif

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

static const struct command {
        const char *name;
        int (*run)(int argc, char **argv);
} commands[] = {
        { "check", agent_check },
        { "enroll", agent_enroll },
        { "run", agent_run },
        { "status", agent_status },
};

int main(int argc, char **argv)
{
        agent_console_init(&argc, &argv);
        intl_init("hygie", paths_localedir());

        if (argc < 2) {
                usage(stderr);
                return 2;
        }
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
                if (strcmp(argv[1], commands[i].name) == 0)
                        return commands[i].run(argc - 1, argv + 1);
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
