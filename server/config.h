/* config.h - the collector's settings: [server] and [notify] of
 * /etc/hygie-server/server.ini (or --config), over the defaults. */
#ifndef HYGIE_SERVER_CONFIG_H
#define HYGIE_SERVER_CONFIG_H

#include <stddef.h>

#include "error.h"
#include "notifier.h"

struct server_config {
        const char *data_dir, *database, *listen; /* listen: "ADDR:PORT" */
        unsigned handshake_timeout_ms, idle_timeout_ms, request_timeout_ms, write_timeout_ms;
        unsigned max_connections;
        size_t max_backlog;          /* queued reports past which agents are told 503 */
        unsigned session_lifetime;   /* seconds a dashboard session lasts */
        unsigned sweep_interval_ms;  /* silent agents, plan checks, scores kept */
        long long report_retention;  /* seconds raw reports are kept; 0: for good */
        long long max_database_size; /* bytes the SQLite database may take; 0: the disk's */
        struct notify_config notify; /* [notify] */
};

void server_config_defaults(struct server_config *c);
/* Reads [server] keys from an INI file over c. 0 or -errno with e filled. */
int server_config_load(struct server_config *c, const char *file, char *listen, size_t listen_size,
                       char *database, size_t database_size, struct error *e);

#endif
