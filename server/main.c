/* main.c - hygie-server: dispatch to the command named on the command line. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <pwd.h>

#include "ca.h"
#include "log.h"
#include "password.h"
#include "policy.h"
#include "rootfs.h"
#include "server.h"
#include "store.h"
#include "token.h"
#include "util.h"

#ifndef HYGIE_VERSION
#define HYGIE_VERSION "0.0.0"
#endif

#define DEFAULT_DATA   "/var/lib/hygie-server"
#define DEFAULT_CONFIG "/etc/hygie-server/server.ini"

static void usage(FILE *out)
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
              "  api-token create [--json]\n"
              "            a bearer token for the JSON API (it acts as an admin)\n"
              "  user add --login L --role admin|regional|establishment|funder\n"
              "            [--region R] [--finess N] [--email ADDR] --password-stdin\n"
              "            a dashboard user: a regional user sees one region, an establishment\n"
              "            user one establishment, a funder aggregates only; a regional\n"
              "            user with an e-mail address gets the digest\n"
              "  user list [--json]\n"
              "  user disable LOGIN\n"
              "            refuse this login and end its sessions\n"
              "  version   print the version\n"
              "\n"
              "Every command takes --data DIR (default " DEFAULT_DATA ") and\n"
              "--database URL (default: SQLite in the data directory; postgresql://...).\n",

              out);
}

/* Where a command finds the collector's files and database: --data, --database. */
struct place {
        const char *data, *database;
};

#define PLACE_INIT                                                                                 \
        {                                                                                          \
                DEFAULT_DATA, NULL                                                                 \
        }
#define PLACE_OPTIONS                                                                              \
        { "data", required_argument, NULL, 'd' },                                                  \
        {                                                                                          \
                "database", required_argument, NULL, 'B'                                           \
        }

/* Takes option c when it is one of PLACE_OPTIONS; false otherwise. */
static bool place_option(struct place *pl, int c)
{
        if (c == 'd')
                pl->data = optarg;
        else if (c == 'B')
                pl->database = optarg;
        return c == 'd' || c == 'B';
}

/* Prints doc, indented, on standard output, and frees it. */
static void print_json(json_t *doc)
{
        json_dumpf(doc, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
        json_decref(doc);
}

static void say_error(const struct error *e)
{
        char buf[600];

        fprintf(stderr, "hygie-server: %s\n", error_str(e, buf, sizeof(buf)));
}

static int cmd_init(int argc, char **argv)
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
        st->ops->close(st);
        if (json) {
                print_json(json_pack("{s:s, s:s}", "data", pl.data, "ca_fingerprint", fp));
        } else {
                printf("CA, server certificate and database created in %s\nCA fingerprint: %s\n",
                       pl.data, fp);
        }
        return fflush(stdout) == 0 ? 0 : 1;
}

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

/* Copies an option's value into a fixed field; -1 when it does not fit. */
static int field(char *dst, size_t size, const char *opt, const char *v)
{
        if (strlen(v) >= size) {
                fprintf(stderr, "hygie-server: --%s is too long (at most %zu characters)\n", opt,
                        size - 1);
                return -1;
        }
        memcpy(dst, v, strlen(v) + 1);
        return 0;
}

static int cmd_establishment(int argc, char **argv)
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
                if (st->ops->establishment_add(st, &est, &e) < 0)
                        goto out;
                if (json)
                        list = json_array();
                print_establishment(list, &est);
        } else {
                list = json ? json_array() : NULL;
                if (st->ops->establishment_list(st, &(struct store_filter){ 0 },
                                                print_establishment, list, &e) < 0)
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
                st->ops->close(st);
        return rc;
}

/* "token create" and "api-token create". */
static int cmd_token(int argc, char **argv, bool api)
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
        if (api ? st->ops->api_token_add(st, hash, &e) < 0
                : st->ops->token_add(st, finess, hash, uses, time(NULL) + expires, &e) < 0)
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
                st->ops->close(st);
        return rc;
}

static int count_one(void *user, const struct establishment *est)
{
        (void)est;
        ++*(int *)user;
        return 0;
}

static int cmd_serve(int argc, char **argv)
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

static int cmd_policy(int argc, char **argv)
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
                rc = st->ops->policy_get(st, finess, &text, &revision, &e);
                if (rc == -ENOENT)
                        fprintf(stderr, "hygie-server: no policy set; agents use their "
                                        "shipped baseline\n");
                else if (rc == 0)
                        printf("; revision %ld\n%s", revision, text);
                else
                        say_error(&e);
                st->ops->close(st);
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

                rc = st->ops->establishment_list(st, &f, count_one, &found, &e);
                if (rc == 0 && !found) {
                        error_set(&e, "", 0, "no establishment %s", finess);
                        rc = -ENOENT;
                }
        }
        if (rc == 0)
                rc = st->ops->policy_set(st, finess, text, &revision, &e);
        if (rc < 0)
                say_error(&e);
        else
                printf("policy for %s: revision %ld\n", *finess ? finess : "every establishment",
                       revision);
        st->ops->close(st);
        free(parsed);
        free(text);
        return rc < 0 ? 1 : 0;
}

static int cmd_agent(int argc, char **argv)
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
            st->ops->agent_revoke(st, argv[argc - 1], time(NULL), &e) == 0) {
                printf("agent %s revoked: its certificate is refused from now on\n",
                       argv[argc - 1]);
                rc = 0;
        } else {
                say_error(&e);
        }
        if (st)
                st->ops->close(st);
        return rc;
}

/* Who ran a command, for the audit log. */
static void cli_actor(char *buf, size_t size)
{
        struct passwd *pw = getpwuid(getuid());

        if (pw)
                snprintf(buf, size, "cli:%s", pw->pw_name);
        else
                snprintf(buf, size, "cli:uid %u", (unsigned)getuid());
}

/* A password from standard input: one line, its newline dropped. */
static int read_password(char *buf, size_t size, struct error *e)
{
        size_t n;

        if (!fgets(buf, (int)size, stdin)) {
                error_set(e, "stdin", 0, "no password given");
                return -EINVAL;
        }
        n = strlen(buf);
        if (n && buf[n - 1] == '\n')
                buf[--n] = '\0';
        else if (!feof(stdin)) {
                error_set(e, "stdin", 0, "a password has at most %d bytes", PASSWORD_MAX);
                return -EINVAL;
        }
        if (n && buf[n - 1] == '\r')
                buf[--n] = '\0';
        return password_acceptable(buf, e);
}

/* local@domain, printable ASCII, no spaces, angle brackets or commas: it
 * goes into a mail header and an SMTP command. */
static bool email_valid(const char *s)
{
        const char *at = strchr(s, '@');

        if (!at || at == s || !at[1] || strchr(at + 1, '@') || !strchr(at + 1, '.'))
                return false;
        for (; *s; s++)
                if (*s <= ' ' || *s > '~' || strchr("<>,;:\"()[]\\", *s))
                        return false;
        return true;
}

static int print_user(void *user, const struct user *u)
{
        json_t *list = user;
        char when[32];

        if (list)
                return json_array_append_new(
                    list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "login", u->login, "role",
                                    role_name(u->role), "region", u->region, "finess", u->finess,
                                    "email", u->email, "disabled", u->disabled_at != 0));
        printf("%-24s %-14s %-20s %-10s %s\n", u->login, role_name(u->role), u->region, u->finess,
               u->disabled_at ? util_iso8601((time_t)u->disabled_at, when, sizeof(when)) : "");
        return 0;
}

static int cmd_user(int argc, char **argv)
{
        static const struct option opts[] = {
                PLACE_OPTIONS,
                { "login", required_argument, NULL, 'l' },
                { "role", required_argument, NULL, 'r' },
                { "region", required_argument, NULL, 'R' },
                { "finess", required_argument, NULL, 'f' },
                { "email", required_argument, NULL, 'm' },
                { "password-stdin", no_argument, NULL, 'p' },
                { "json", no_argument, NULL, 'j' },
                { 0 },
        };
        const char *verb = argc > 1 ? argv[1] : "", *role = NULL;
        bool add = strcmp(verb, "add") == 0, list = strcmp(verb, "list") == 0;
        bool disable = strcmp(verb, "disable") == 0, json = false, stdin_pw = false;
        struct user u = { 0 };
        struct place pl = PLACE_INIT;
        struct store *st = NULL;
        char password[PASSWORD_MAX + 2], actor[64];
        struct audit a = { 0 };
        json_t *rows = NULL;
        struct error e;
        int c, rc = 1;

        if (!add && !list && !disable) {
                usage(stderr);
                return 2;
        }
        optind = 1;
        while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
                if (place_option(&pl, c))
                        continue;
                switch (c) {
                case 'l':
                        if (field(u.login, sizeof(u.login), "login", optarg) < 0)
                                return 2;
                        break;
                case 'r':
                        role = optarg;
                        break;
                case 'R':
                        if (field(u.region, sizeof(u.region), "region", optarg) < 0)
                                return 2;
                        break;
                case 'f':
                        if (field(u.finess, sizeof(u.finess), "finess", optarg) < 0)
                                return 2;
                        break;
                case 'm':
                        if (field(u.email, sizeof(u.email), "email", optarg) < 0)
                                return 2;
                        if (!email_valid(u.email)) {
                                fprintf(stderr, "hygie-server: \"%s\" is not an e-mail address\n",
                                        optarg);
                                return 2;
                        }
                        break;
                case 'p':
                        stdin_pw = true;
                        break;
                case 'j':
                        json = true;
                        break;
                default:
                        usage(stderr);
                        return 2;
                }
        }
        if (optind != argc - 1 - disable) {
                usage(stderr);
                return 2;
        }
        if (add) {
                u.role = role_from_name(role);
                if (!login_valid(u.login)) {
                        fputs("hygie-server: a login is 1 to 64 letters, digits, '.', '_', '@'"
                              " or '-'\n",
                              stderr);
                        return 2;
                }
                if (u.role < 0 || !stdin_pw) {
                        fputs("hygie-server: user add needs --login, --role (admin, regional,"
                              " establishment or funder) and --password-stdin\n",
                              stderr);
                        return 2;
                }
                if ((u.role == ROLE_REGIONAL) != (*u.region != '\0') ||
                    (u.role == ROLE_ESTABLISHMENT) != (*u.finess != '\0')) {
                        fputs("hygie-server: a regional user needs --region, an establishment"
                              " user --finess, and no one else takes either\n",
                              stderr);
                        return 2;
                }
                if (read_password(password, sizeof(password), &e) < 0 ||
                    password_hash(password, u.hash, sizeof(u.hash), &e) < 0) {
                        OPENSSL_cleanse(password, sizeof(password));
                        say_error(&e);
                        return 2;
                }
                OPENSSL_cleanse(password, sizeof(password));
                u.created_at = time(NULL);
        }
        if (store_open(pl.database, pl.data, &st, &e) < 0)
                goto out;
        cli_actor(actor, sizeof(actor));
        a = (struct audit){ time(NULL), actor, add ? "user.add" : "user.disable",
                            add ? u.login : argv[argc - 1], add ? role_name(u.role) : "" };
        if (add) {
                if (st->ops->user_add(st, &u, &e) < 0 || st->ops->audit_add(st, &a, &e) < 0)
                        goto out;
                printf("user %s added (%s)\n", u.login, role_name(u.role));
        } else if (disable) {
                if (st->ops->user_disable(st, argv[argc - 1], time(NULL), &e) < 0 ||
                    st->ops->audit_add(st, &a, &e) < 0)
                        goto out;
                printf("user %s disabled: its sessions are over\n", argv[argc - 1]);
        } else {
                rows = json ? json_array() : NULL;
                if (st->ops->user_list(st, print_user, rows, &e) < 0)
                        goto out;
                if (rows)
                        print_json(json_pack("{s:O}", "users", rows));
        }
        rc = 0;
out:
        if (rc)
                say_error(&e);
        json_decref(rows);
        if (st)
                st->ops->close(st);
        return rc;
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
