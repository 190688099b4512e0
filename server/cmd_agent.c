/* cmd_agent.c - hygie-server agent revoke. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "store.h"

int cmd_agent(int argc, char **argv)
{
        static const struct option opts[] = {
                PLACE_OPTIONS,
                { 0 },
        };
        struct place pl = PLACE_INIT;
        struct store *st = NULL;
        struct error e;
        int c, rc = 1;

        if (argc < 2 || strcmp(argv[1], "revoke") != 0) {
                usage(stderr);
                return 2;
        }
        optind = 1;
        while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
                if (place_option(&pl, c))
                        continue;
                switch (c) {
                default:
                        usage(stderr);
                        return 2;
                }
        }
        if (optind != argc - 2) {
                usage(stderr);
                return 2;
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
