/* cmd_establishment.c - hygie-server establishment add|list. */
#include <getopt.h>
#include <stdbool.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "store.h"

static int print_establishment(void *user, const struct establishment *est)
{
        json_t *list = user;

        if (list)
                return json_array_append_new(list,
                                             json_pack("{s:s, s:s, s:s, s:s}", "finess",
                                                       est->finess, "name", est->name, "region",
                                                       est->region, "department", est->department));
        printf("%s  %-3s  %-24s  %s\n", est->finess, est->department, est->region, est->name);
        return 0;
}

int cmd_establishment(int argc, char **argv)
{
        static const struct option opts[] = {
                PLACE_OPTIONS,
                { "finess", required_argument, NULL, 'f' },
                { "name", required_argument, NULL, 'n' },
                { "region", required_argument, NULL, 'r' },
                { "department", required_argument, NULL, 'D' },
                { "json", no_argument, NULL, 'j' },
                { 0 },
        };
        struct establishment est = { 0 };
        struct place pl = PLACE_INIT;
        const char *verb = argc > 1 ? argv[1] : "";
        struct store *st = NULL;
        json_t *list = NULL;
        struct error e;
        bool json = false, add = strcmp(verb, "add") == 0;
        int c, rc = 1;

        if (!add && strcmp(verb, "list") != 0) {
                usage(stderr);
                return 2;
        }
        optind = 1;
        while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
                if (place_option(&pl, c))
                        continue;
                switch (c) {
                case 'f':
                        if (field(est.finess, sizeof(est.finess), "finess", optarg) < 0)
                                return 2;
                        break;
                case 'n':
                        if (field(est.name, sizeof(est.name), "name", optarg) < 0)
                                return 2;
                        break;
                case 'r':
                        if (field(est.region, sizeof(est.region), "region", optarg) < 0)
                                return 2;
                        break;
                case 'D':
                        if (field(est.department, sizeof(est.department), "department", optarg) < 0)
                                return 2;
                        break;
                case 'j':
                        json = true;
                        break;
                default:
                        usage(stderr);
                        return 2;
                }
        }
        if (optind != argc - 1) {
                usage(stderr);
                return 2;
        }
        if (add && store_establishment_check(&est, &e) < 0) {
                say_error(&e);
                return 2;
        }
        if (store_open(pl.database, pl.data, &st, &e) < 0)
                goto out;
        if (add) {
                if (store_establishment_add(st, &est, &e) < 0)
                        goto out;
                if (json)
                        list = json_array();
                print_establishment(list, &est);
        } else {
                list = json ? json_array() : NULL;
                if (store_establishment_list(st, &(struct store_filter){ 0 }, print_establishment,
                                             list, &e) < 0)
                        goto out;
        }
        if (list)
                print_json(add ? json_incref(json_array_get(list, 0))
                               : json_pack("{s:O}", "establishments", list));
        rc = 0;
out:
        if (rc)
                say_error(&e);
        json_decref(list);
        if (st)
                store_close(st);
        return rc;
}
