/* cli.h - what hygie-server's commands (cmd_*.c) share: where the
 * collector's files are, and how a command answers. */
#ifndef HYGIE_SERVER_CLI_H
#define HYGIE_SERVER_CLI_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"

#define DEFAULT_DATA   "/var/lib/hygie-server"
#define DEFAULT_CONFIG "/etc/hygie-server/server.ini"

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
bool place_option(struct place *pl, int c);
/* The commands' usage, on out. */
void usage(FILE *out);
/* Prints doc, indented, on standard output, and frees it. */
void print_json(json_t *doc);
void say_error(const struct error *e);
/* Copies an option's value into a fixed field; -1 when it does not fit. */
int field(char *dst, size_t size, const char *opt, const char *v);

/* The commands: argv[0] is the command's name. */
int cmd_init(int argc, char **argv);
int cmd_establishment(int argc, char **argv);
int cmd_token(int argc, char **argv, bool api);
int cmd_serve(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_agent(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_backup(int argc, char **argv, bool restoring);

#endif
