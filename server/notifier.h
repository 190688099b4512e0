/* notifier.h - what the collector tells people: a JSON webhook on every
 * alert opened or resolved, its body signed with HMAC-SHA256, and an e-mail
 * digest to each regional user on a schedule.
 *
 * Both are sent from the store, never from memory: the webhook follows the
 * alert_events table with a cursor that moves only after a 2xx, a digest
 * covers the time since the last one sent. A receiver that is down delays
 * them (retried with backoff), never loses one. */
#ifndef HYGIE_NOTIFIER_H
#define HYGIE_NOTIFIER_H

#include <stdbool.h>
#include <uv.h>

#include "error.h"

struct notify_config {
        char webhook_url[512];
        char webhook_secret[256]; /* HMAC key; required with a webhook */
        char smtp_url[512];       /* smtp://host:port or smtps://... */
        char smtp_from[256];
        char smtp_user[128], smtp_password[256];
        char dashboard_url[256];  /* for the digest's links; "" none */
        unsigned digest_interval; /* seconds */
        unsigned retry_max;       /* seconds: the longest wait between tries */
        unsigned poll_ms;         /* how often the webhook looks for new events */
};

void notify_config_defaults(struct notify_config *c);
bool notify_enabled(const struct notify_config *c);

struct notifier {
        struct notify_config cfg;
        char *database, *data_dir;
        uv_thread_t thread;
        uv_mutex_t lock;
        uv_cond_t cond;
        bool stopping, started;
};

/* Starts the notifier's thread with its own store connection. */
int notifier_start(struct notifier *n, const struct notify_config *c, const char *database,
                   const char *data_dir, struct error *e);
/* Stops it at once (a send in progress is cut by its timeout). */
void notifier_stop(struct notifier *n);

/* The signature header's value for a body: "sha256=" and hex. */
void notify_sign(const char *secret, const char *body, size_t len, char out[72]);

#endif
