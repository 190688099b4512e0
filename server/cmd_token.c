/* cmd_token.c - hygie-server token create and api-token create. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "ca.h"
#include "cli.h"
#include "store.h"
#include "token.h"

/* "token create" and "api-token create". */
int cmd_token(int argc, char **argv, bool api)
{
        static const struct option opts[] = {
                PLACE_OPTIONS,
                { "finess", required_argument, NULL, 'f' },
                { "uses", required_argument, NULL, 'u' },
                { "expires", required_argument, NULL, 'x' },
                { "json", no_argument, NULL, 'j' },
                { 0 },
        };
        struct place pl = PLACE_INIT;
        const char *finess = NULL;
        char token[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1], fp[80], *end;
        long long expires = 7 * 86400;
        struct store *st = NULL;
        struct error e;
        bool json = false;
        long uses = 1;
        int c, rc = 1;

        if (argc < 2 || strcmp(argv[1], "create") != 0) {
                usage(stderr);
                return 2;
        }
        optind = 1;
        while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
                if (place_option(&pl, c))
                        continue;
                switch (c) {
                case 'f':
                        finess = optarg;
                        break;
                case 'u':
                        errno = 0;
                        uses = strtol(optarg, &end, 10);
                        if (errno || *end || uses < 1 || uses > 100000) {
                                fprintf(stderr,
                                        "hygie-server: --uses: a number from 1 to 100000\n");
                                return 2;
                        }
                        break;
                case 'x':
                        if (token_parse_duration(optarg, &expires) < 0) {
                                fprintf(stderr, "hygie-server: --expires: a duration such as 12h, "
                                                "7d or 2w (at most 10 years)\n");
                                return 2;
                        }
                        break;
                case 'j':
                        json = true;
                        break;
                default:
                        usage(stderr);
                        return 2;
                }
        }
        if (optind != argc - 1 || api == (finess != NULL)) {
                usage(stderr);
                return 2;
        }
        if (token_new(api ? "hya_" : "hye_", token, sizeof(token)) < 0 ||
            token_hash(token, hash, sizeof(hash)) < 0) {
                error_set(&e, "", 0, "cannot make a token");
                goto out;
        }
        if ((!api && ca_fingerprint(pl.data, fp, sizeof(fp), &e) < 0) ||
            store_open(pl.database, pl.data, &st, &e) < 0)
                goto out;
        if (api ? store_api_token_add(st, hash, &e) < 0
                : store_token_add(st, finess, hash, uses, time(NULL) + expires, &e) < 0)
                goto out;
        if (json) {
                print_json(api ? json_pack("{s:s}", "token", token)
                               : json_pack("{s:s, s:s}", "token", token, "ca_fingerprint", fp));
        } else if (api) {
                printf("%s\n", token);
        } else {
                printf("Enrollment token: %s\nCA fingerprint:   %s\n", token, fp);
        }
        rc = 0;
out:
        if (rc)
                say_error(&e);
        OPENSSL_cleanse(token, sizeof(token));
        if (st)
                store_close(st);
        return rc;
}
