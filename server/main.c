/* main.c - hygie-server: dispatch to the command named on the command line
 * (each in its cmd_*.c), and what the commands share. */
#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#ifndef HYGIE_VERSION
#define HYGIE_VERSION "0.0.0"
#endif

void usage(FILE *out)
{
        fputs("Usage: hygie-server COMMAND [OPTIONS]\n"
              "\n"
              "Commands:\n"
              "  init [--hostname NAME]... [--json]\n"
              "            create the CA, the server certificate (names: DNS names or IP\n"
              "            addresses; localhost and 127.0.0.1 are always included) and the\n"
              "            database\n"
              "  establishment add --finess N --name S --region R --department D\n"
              "            [--json]\n"
              "            register an establishment (the FINESS number and its key are checked)\n"
              "  establishment list [--json]\n"
              "  token create --finess N [--uses K] [--expires DURATION] [--json]\n"
              "            an enrollment token for the establishment's machines (default: 1 use,\n"
              "            7d; durations in s, m, h, d, w) and the CA fingerprint to pin\n"
              "  serve [--listen ADDR:PORT] [--config FILE] [--verbose]\n"
              "            run the collector (default 127.0.0.1:8443; [server] keys listen,\n"
              "            database, idle_timeout... in " DEFAULT_CONFIG "); SIGTERM stops it\n"
              "  policy set [--finess N] FILE\n"
              "            the policy agents fetch: for one establishment, or the default\n"
              "  policy show [--finess N]\n"
              "  agent revoke AGENT_ID\n"
              "            refuse this agent's certificate from now on\n"
              "  agent report AGENT_ID [--seq N]\n"
              "            a report of the machine as kept (the newest by default), with its\n"
              "            facts and findings as they stood then, as JSON\n"
              "  backup --to FILE\n"
              "            a consistent copy of a running collector on SQLite, with its CA key\n"
              "            (FILE is made 0600: keep it as safe as the key)\n"
              "  restore --from FILE\n"
              "            a new data directory (--data) from a backup\n"
              "  api-token create [--json]\n"
              "            a bearer token for the JSON API (it acts as an admin)\n"
              "  user add --login L --role admin|regional|establishment|funder\n"
              "            [--region R] [--finess N] [--email ADDR] [--lang fr|en]\n"
              "            --password-stdin\n"
              "            a dashboard user: a regional user sees one region, an establishment\n"
              "            user one establishment, a funder aggregates only; a regional\n"
              "            user with an e-mail address gets the digest, in French unless\n"
              "            --lang en\n"
              "  user list [--json]\n"
              "  user disable LOGIN\n"
              "            refuse this login and end its sessions\n"
              "  version   print the version\n"
              "\n"
              "Every command takes --data DIR (default " DEFAULT_DATA ") and\n"
              "--database URL (default: SQLite in the data directory; postgresql://...).\n",

              out);
}

/* Takes option c when it is one of PLACE_OPTIONS; false otherwise. */
bool place_option(struct place *pl, int c)
{
        if (c == 'd')
                pl->data = optarg;
        else if (c == 'B')
                pl->database = optarg;
        return c == 'd' || c == 'B';
}

void print_json(json_t *doc)
{
        json_dumpf(doc, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
        json_decref(doc);
}

int field(char *dst, size_t size, const char *opt, const char *v)
{
        if (strlen(v) >= size) {
                fprintf(stderr, "hygie-server: --%s is too long (at most %zu characters)\n", opt,
                        size - 1);
                return -1;
        }
        memcpy(dst, v, strlen(v) + 1);
        return 0;
}

void say_error(const struct error *e)
{
        char buf[600];

        fprintf(stderr, "hygie-server: %s\n", error_str(e, buf, sizeof(buf)));
}

int main(int argc, char **argv)
{
        if (argc < 2) {
                usage(stderr);
                return 2;
        }
        if (strcmp(argv[1], "init") == 0)
                return cmd_init(argc - 1, argv + 1);
        if (strcmp(argv[1], "establishment") == 0)
                return cmd_establishment(argc - 1, argv + 1);
        if (strcmp(argv[1], "token") == 0)
                return cmd_token(argc - 1, argv + 1, false);
        if (strcmp(argv[1], "agent") == 0)
                return cmd_agent(argc - 1, argv + 1);
        if (strcmp(argv[1], "serve") == 0)
                return cmd_serve(argc - 1, argv + 1);
        if (strcmp(argv[1], "policy") == 0)
                return cmd_policy(argc - 1, argv + 1);
        if (strcmp(argv[1], "user") == 0)
                return cmd_user(argc - 1, argv + 1);
        if (strcmp(argv[1], "backup") == 0 || strcmp(argv[1], "restore") == 0)
                return cmd_backup(argc - 1, argv + 1, strcmp(argv[1], "restore") == 0);
        if (strcmp(argv[1], "api-token") == 0)
                return cmd_token(argc - 1, argv + 1, true);
        if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
                printf("hygie-server %s\n", HYGIE_VERSION);
                return 0;
        }
        if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0) {
                usage(stdout);
                return 0;
        }
        fprintf(stderr, "hygie-server: unknown command \"%s\"\n", argv[1]);
        usage(stderr);
        return 2;
}
