/* cmd_init.c - hygie-server init: the CA, the server certificate and the database. */
#include <getopt.h>
#include <stdbool.h>
#include <jansson.h>
#include <stdio.h>
#include <unistd.h>

#include "ca.h"
#include "cli.h"
#include "store.h"

int cmd_init(int argc, char **argv)
{
        static const struct option opts[] = {
                PLACE_OPTIONS,
                { "hostname", required_argument, NULL, 'n' },
                { "json", no_argument, NULL, 'j' },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        struct place pl = PLACE_INIT;
        const char *names[CA_MAX_NAMES + 1];
        char fp[80];
        struct error e;
        size_t n = 0;
        bool json = false;
        int c;

        optind = 1;
        while ((c = getopt_long(argc, argv, "d:B:n:jh", opts, NULL)) != -1) {
                if (place_option(&pl, c))
                        continue;
                switch (c) {
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
        struct store *st = NULL;

        if (ca_init(pl.data, names, n, &e) < 0 || ca_fingerprint(pl.data, fp, sizeof(fp), &e) < 0 ||
            store_open(pl.database, pl.data, &st, &e) < 0) {
                say_error(&e);
                return 1;
        }
        store_close(st);
        if (json) {
                print_json(json_pack("{s:s, s:s}", "data", pl.data, "ca_fingerprint", fp));
        } else {
                printf("CA, server certificate and database created in %s\nCA fingerprint: %s\n",
                       pl.data, fp);
        }
        return fflush(stdout) == 0 ? 0 : 1;
}
