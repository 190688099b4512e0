/* main.c - hygie-server: dispatch to the command named on the command line. */
#include <getopt.h>
#include <stdbool.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "ca.h"

#ifndef HYGIE_VERSION
#define HYGIE_VERSION "0.0.0"
#endif

#define DEFAULT_DATA "/var/lib/hygie-server"

static void usage(FILE *out)
{
        fputs("Usage: hygie-server COMMAND [OPTIONS]\n"
              "\n"
              "Commands:\n"
              "  init [--data DIR] [--hostname NAME]... [--json]\n"
              "            create the CA and the server certificate (names: DNS names or\n"
              "            IP addresses; localhost and 127.0.0.1 are always included)\n"
              "  version   print the version\n",
              out);
}

static int cmd_init(int argc, char **argv)
{
        static const struct option opts[] = {
                { "data", required_argument, NULL, 'd' },
                { "hostname", required_argument, NULL, 'n' },
                { "json", no_argument, NULL, 'j' },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        const char *data = DEFAULT_DATA, *names[CA_MAX_NAMES + 1];
        char fp[80], ebuf[600];
        struct error e;
        size_t n = 0;
        bool json = false;
        int c;

        optind = 1;
        while ((c = getopt_long(argc, argv, "d:n:jh", opts, NULL)) != -1) {
                switch (c) {
                case 'd':
                        data = optarg;
                        break;
                case 'n':
                        if (n == CA_MAX_NAMES + 1) {
                                fprintf(stderr, "hygie-server: at most %d host names\n",
                                        CA_MAX_NAMES);
                                return 2;
                        }
                        names[n++] = optarg;
                        break;
                case 'j':
                        json = true;
                        break;
                case 'h':
                        usage(stdout);
                        return 0;
                default:
                        usage(stderr);
                        return 2;
                }
        }
        if (optind != argc) {
                usage(stderr);
                return 2;
        }
        if (ca_init(data, names, n, &e) < 0 || ca_fingerprint(data, fp, sizeof(fp), &e) < 0) {
                fprintf(stderr, "hygie-server: %s\n", error_str(&e, ebuf, sizeof(ebuf)));
                return 1;
        }
        if (json) {
                json_t *o = json_pack("{s:s, s:s}", "data", data, "ca_fingerprint", fp);
                json_dumpf(o, stdout, JSON_INDENT(2));
                fputc('\n', stdout);
                json_decref(o);
        } else {
                printf("CA and server certificate created in %s\nCA fingerprint: %s\n", data, fp);
        }
        return fflush(stdout) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
        if (argc < 2) {
                usage(stderr);
                return 2;
        }
        if (strcmp(argv[1], "init") == 0)
                return cmd_init(argc - 1, argv + 1);
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
