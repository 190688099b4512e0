/* cmd_agent.c - hygie-server agent revoke, agent report. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "store.h"
#include "views.h"

int cmd_agent(int argc, char **argv)
{
        static const struct option opts[] = {
                PLACE_OPTIONS,
                { "seq", required_argument, NULL, 's' },
                { 0 },
        };
        struct place pl = PLACE_INIT;
        struct store *st = NULL;
        struct error e;
        long long seq = -1;
        json_t *doc;
        char *end;
        int c, rc = 1;
        bool report = argc >= 2 && strcmp(argv[1], "report") == 0;

        if (argc < 2 || (!report && strcmp(argv[1], "revoke") != 0)) {
                usage(stderr);
                return 2;
        }
        optind = 1;
        while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
                if (place_option(&pl, c))
                        continue;
                switch (c) {
                case 's':
                        seq = strtoll(optarg, &end, 10);
                        if (report && *optarg && !*end && seq >= 0)
                                break;
                        /* fall through */
                default:
                        usage(stderr);
                        return 2;
                }
        }
        if (optind != argc - 2) {
                usage(stderr);
                return 2;
        }
        if (report) {
                if (store_open(pl.database, pl.data, &st, &e) == 0 &&
                    view_report(st, argv[argc - 1], seq, &doc, &e) == 0) {
                        print_json(doc);
                        rc = 0;
                } else {
                        say_error(&e);
                }
                if (st)
                        store_close(st);
                return rc;
        }
        if (store_open(pl.database, pl.data, &st, &e) == 0 &&
            store_agent_revoke(st, argv[argc - 1], time(NULL), &e) == 0) {
                printf("agent %s revoked: its certificate is refused from now on\n",
                       argv[argc - 1]);
                rc = 0;
        } else {
                say_error(&e);
        }
        if (st)
                store_close(st);
        return rc;
}
