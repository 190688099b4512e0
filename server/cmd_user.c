/* cmd_user.c - hygie-server user add|list|disable: the dashboard's users. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <pwd.h>

#include "cli.h"
#include "lang.h"
#include "password.h"
#include "store.h"
#include "util.h"

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
                    list,
                    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "login", u->login, "role",
                              role_name(u->role), "region", u->region, "finess", u->finess, "email",
                              u->email, "lang", u->lang, "disabled", u->disabled_at != 0));
        printf("%-24s %-14s %-20s %-10s %s\n", u->login, role_name(u->role), u->region, u->finess,
               u->disabled_at ? util_iso8601((time_t)u->disabled_at, when, sizeof(when)) : "");
        return 0;
}

int cmd_user(int argc, char **argv)
{
        static const struct option opts[] = {
                PLACE_OPTIONS,
                { "login", required_argument, NULL, 'l' },
                { "role", required_argument, NULL, 'r' },
                { "region", required_argument, NULL, 'R' },
                { "finess", required_argument, NULL, 'f' },
                { "email", required_argument, NULL, 'm' },
                { "lang", required_argument, NULL, 'L' },
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
                case 'L':
                        if (lang_from_code(optarg) < 0 || strlen(optarg) != 2) {
                                fprintf(stderr, "hygie-server: --lang is fr or en, not \"%s\"\n",
                                        optarg);
                                return 2;
                        }
                        snprintf(u.lang, sizeof(u.lang), "%s", lang_code(lang_from_code(optarg)));
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
                if (store_user_add(st, &u, &e) < 0 || store_audit_add(st, &a, &e) < 0)
                        goto out;
                printf("user %s added (%s)\n", u.login, role_name(u.role));
        } else if (disable) {
                if (store_user_disable(st, argv[argc - 1], time(NULL), &e) < 0 ||
                    store_audit_add(st, &a, &e) < 0)
                        goto out;
                printf("user %s disabled: its sessions are over\n", argv[argc - 1]);
        } else {
                rows = json ? json_array() : NULL;
                if (store_user_list(st, print_user, rows, &e) < 0)
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
                store_close(st);
        return rc;
}
