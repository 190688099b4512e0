/* cmd_policy.c - hygie-server policy set|show: the policy agents fetch. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "policy.h"
#include "rootfs.h"
#include "store.h"

static int count_one(void *user, const struct establishment *est)
{
        (void)est;
        ++*(int *)user;
        return 0;
}

/* A policy file, or standard input for "-", whole. */
static int read_all(const char *path, char **out, struct error *e)
{
        bool in = strcmp(path, "-") == 0;
        int fd = in ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
        int rc = fd < 0 ? -errno : rootfs_read_fd(fd, 1 << 20, out, NULL);

        if (fd >= 0 && !in)
                close(fd);
        if (rc == -EFBIG)
                error_set(e, path, 0, "too large for a policy");
        else if (rc < 0)
                error_set(e, path, 0, "cannot read: %s", strerror(-rc));
        return rc;
}

int cmd_policy(int argc, char **argv)
{
        static const struct option opts[] = {
                PLACE_OPTIONS,
                { "finess", required_argument, NULL, 'f' },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        struct place pl = PLACE_INIT;
        const char *finess = "", *what;
        struct store *st = NULL;
        struct policy *parsed;
        struct error e = { 0 };
        char *text = NULL;
        long revision = 0;
        int c, rc;

        if (argc < 2 || (strcmp(argv[1], "set") != 0 && strcmp(argv[1], "show") != 0)) {
                usage(stderr);
                return 2;
        }
        what = argv[1];
        optind = 2;
        while ((c = getopt_long(argc, argv, "d:B:f:h", opts, NULL)) != -1) {
                if (place_option(&pl, c))
                        continue;
                if (c == 'f') {
                        finess = optarg;
                } else {
                        usage(c == 'h' ? stdout : stderr);
                        return c == 'h' ? 0 : 2;
                }
        }
        if (argc - optind != (strcmp(what, "set") == 0)) {
                usage(stderr);
                return 2;
        }
        if (store_open(pl.database, pl.data, &st, &e) < 0) {
                say_error(&e);
                return 1;
        }
        if (strcmp(what, "show") == 0) {
                rc = store_policy_get(st, finess, &text, &revision, &e);
                if (rc == -ENOENT)
                        fprintf(stderr, "hygie-server: no policy set; agents use their "
                                        "shipped baseline\n");
                else if (rc == 0)
                        printf("; revision %ld\n%s", revision, text);
                else
                        say_error(&e);
                store_close(st);
                free(text);
                return rc == 0 ? 0 : 1;
        }
        /* The agents' own parser checks it before any agent sees it. */
        parsed = malloc(sizeof(*parsed));
        rc = parsed ? read_all(argv[optind], &text, &e) : -ENOMEM;
        if (rc == 0) {
                policy_defaults(parsed);
                rc = policy_load_string(parsed, text, argv[optind], &e);
        }
        if (rc == 0 && *finess) {
                struct store_filter f = { .finess = finess, .limit = 1 };
                int found = 0;

                rc = store_establishment_list(st, &f, count_one, &found, &e);
                if (rc == 0 && !found) {
                        error_set(&e, "", 0, "no establishment %s", finess);
                        rc = -ENOENT;
                }
        }
        if (rc == 0)
                rc = store_policy_set(st, finess, text, &revision, &e);
        if (rc < 0)
                say_error(&e);
        else
                printf("policy for %s: revision %ld\n", *finess ? finess : "every establishment",
                       revision);
        store_close(st);
        free(parsed);
        free(text);
        return rc < 0 ? 1 : 0;
}
