/* cmd_serve.c - hygie-server serve: the collector, with its configuration. */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "log.h"
#include "server.h"

int cmd_serve(int argc, char **argv)
{
        static const struct option opts[] = {
                PLACE_OPTIONS,
                { "listen", required_argument, NULL, 'l' },
                { "config", required_argument, NULL, 'c' },
                { "verbose", no_argument, NULL, 'v' },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        struct place pl = PLACE_INIT;
        struct server_config cfg;
        const char *listen = NULL, *config = NULL;
        char cfg_listen[256], cfg_database[1024];
        struct error e = { 0 };
        int c;

        optind = 1;
        while ((c = getopt_long(argc, argv, "d:B:l:c:vh", opts, NULL)) != -1) {
                if (place_option(&pl, c))
                        continue;
                switch (c) {
                case 'l':
                        listen = optarg;
                        break;
                case 'c':
                        config = optarg;
                        break;
                case 'v':
                        log_set_level(LOG_LEVEL_DEBUG);
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
        server_config_defaults(&cfg);
        if (!config && access(DEFAULT_CONFIG, F_OK) == 0)
                config = DEFAULT_CONFIG;
        if (config && server_config_load(&cfg, config, cfg_listen, sizeof(cfg_listen), cfg_database,
                                         sizeof(cfg_database), &e) < 0) {
                say_error(&e);
                return 1;
        }
        /* The command line wins over the file. */
        cfg.data_dir = pl.data;
        if (pl.database)
                cfg.database = pl.database;
        if (listen)
                cfg.listen = listen;
        if (server_run(&cfg, &e) < 0) {
                say_error(&e);
                return 1;
        }
        return 0;
}
