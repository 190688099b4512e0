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
#include <time.h>

#include "error.h"
#include "msgcat.h"

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

/* A channel's retries: each failure doubles the wait, up to retry_max. */
struct notify_channel {
        const char *name;
        time_t next;
        unsigned wait;
        long long cursor; /* the webhook's, once read */
        bool loaded;
};

struct notifier {
        struct notify_config cfg;
        struct notify_channel hook, mail;
        void *curl;       /* CURL *, NULL when notifications are off */
        struct msgcat fr; /* the French digests' texts, while curl is set */
};

struct store;
/* Checks c and readies n; 0 (notifications off or on) or -errno with e
 * filled. */
int notifier_init(struct notifier *n, const struct notify_config *c, struct error *e);
/* Sends what is due, through s: webhook events after the cursor, digests
 * whose time has come. The milliseconds until the next round is due, 0
 * when notifications are off. */
unsigned notifier_round(struct notifier *n, struct store *s);
/* Forgets what was read from the store: another collector may have moved
 * the cursors since this one last did. */
void notifier_reset(struct notifier *n);
void notifier_free(struct notifier *n);

/* The signature header's value for a body: "sha256=" and hex. */
void notify_sign(const char *secret, const char *body, size_t len, char out[72]);

#endif
