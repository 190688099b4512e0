/* config.c - reading the collector's settings: each key checked for its
 * range, an unknown one refused with its line. */
#include <errno.h>
#include <ini.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "token.h"

void server_config_defaults(struct server_config *c)
{
        memset(c, 0, sizeof(*c));
        c->listen = "127.0.0.1:8443";
        c->handshake_timeout_ms = 10000;
        c->idle_timeout_ms = 120000;
        c->session_lifetime = 8 * 3600;
        c->sweep_interval_ms = 60000;
        c->report_retention = 90 * 86400;
        notify_config_defaults(&c->notify);
        c->request_timeout_ms = 30000;
        c->write_timeout_ms = 30000;
        c->max_connections = 20000;
        c->max_backlog = 20000;
}

struct config_load {
        struct server_config *c;
        char *listen, *database;
        size_t listen_size, database_size;
        struct error *e;
        const char *file;
        int rc;
};

/* A whole number from min to max, written plainly. */
static int count_value(const char *v, unsigned long min, unsigned long max, unsigned long *out)
{
        char *end;
        unsigned long n;

        if (*v < '0' || *v > '9')
                return -EINVAL;
        n = strtoul(v, &end, 10);
        if (*end || n < min || n > max)
                return -EINVAL;
        *out = n;
        return 0;
}

/* Seconds in the file, milliseconds in the configuration. */
static int ms_value(const char *v, unsigned *out)
{
        unsigned long n;
        int rc = count_value(v, 1, 3600, &n);

        if (rc == 0)
                *out = (unsigned)(n * 1000);
        return rc;
}

/* A secret from a file of its own (mode 0600), its first line. */
static int secret_file(const char *path, char *out, size_t size)
{
        FILE *f = fopen(path, "r");
        int rc = 0;

        if (!f)
                return -errno;
        if (!fgets(out, (int)size, f))
                rc = -EINVAL;
        fclose(f);
        out[strcspn(out, "\r\n")] = '\0';
        return rc == 0 && !*out ? -EINVAL : rc;
}

static int notify_key(struct config_load *l, const char *key, const char *value)
{
        struct notify_config *n = &l->c->notify;
        static const struct {
                const char *key;
                size_t off, size;
        } texts[] = {
#define TEXT(k, field)                                                                             \
        { k, offsetof(struct notify_config, field), sizeof(((struct notify_config *)0)->field) }
                TEXT("webhook_url", webhook_url),     TEXT("smtp_url", smtp_url),
                TEXT("smtp_from", smtp_from),         TEXT("smtp_user", smtp_user),
                TEXT("dashboard_url", dashboard_url),
#undef TEXT
        };
        long long secs;
        int rc = -ENOENT;

        for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
                if (strcmp(key, texts[i].key) != 0)
                        continue;
                rc = strlen(value) < texts[i].size && !strpbrk(value, "\r\n") ? 0 : -EINVAL;
                if (rc == 0)
                        snprintf((char *)n + texts[i].off, texts[i].size, "%s", value);
        }
        if (strcmp(key, "webhook_secret_file") == 0)
                rc = secret_file(value, n->webhook_secret, sizeof(n->webhook_secret));
        else if (strcmp(key, "smtp_password_file") == 0)
                rc = secret_file(value, n->smtp_password, sizeof(n->smtp_password));
        else if (strcmp(key, "digest_interval") == 0 || strcmp(key, "retry_max") == 0) {
                if ((rc = token_parse_duration(value, &secs)) == 0 && (secs < 1 || secs > 2592000))
                        rc = -EINVAL;
                if (rc == 0)
                        *(key[0] == 'd' ? &n->digest_interval : &n->retry_max) = (unsigned)secs;
        }
        if (rc == -ENOENT) {
                error_set(l->e, l->file, 0, "unknown key \"%s\" in [notify]", key);
                l->rc = -EINVAL;
                return 0;
        }
        if (rc < 0 && l->rc == 0) {
                error_set(l->e, l->file, 0, "bad value for %s in [notify]: \"%s\"", key, value);
                l->rc = rc;
        }
        return rc == 0;
}

/* inih calls this per key; 0 stops it and makes it return the line. */
static int config_key(void *user, const char *section, const char *key, const char *value)
{
        struct config_load *l = user;
        struct server_config *c = l->c;
        unsigned long n;
        int rc = 0;

        if (strcmp(section, "notify") == 0)
                return notify_key(l, key, value);
        if (strcmp(section, "server") != 0) {
                error_set(l->e, l->file, 0, "unknown section [%s]", section);
                l->rc = -EINVAL;
                return 0;
        }
        if (strcmp(key, "listen") == 0) {
                snprintf(l->listen, l->listen_size, "%s", value);
                c->listen = l->listen;
        } else if (strcmp(key, "database") == 0) {
                snprintf(l->database, l->database_size, "%s", value);
                c->database = l->database;
        } else if (strcmp(key, "idle_timeout") == 0) {
                rc = ms_value(value, &c->idle_timeout_ms);
        } else if (strcmp(key, "request_timeout") == 0) {
                rc = ms_value(value, &c->request_timeout_ms);
        } else if (strcmp(key, "sweep_interval") == 0) {
                rc = ms_value(value, &c->sweep_interval_ms);
        } else if (strcmp(key, "handshake_timeout") == 0) {
                rc = ms_value(value, &c->handshake_timeout_ms);
        } else if (strcmp(key, "session_lifetime") == 0) {
                long long secs;

                if ((rc = token_parse_duration(value, &secs)) == 0 && (secs < 60 || secs > 2592000))
                        rc = -EINVAL;
                if (rc == 0)
                        c->session_lifetime = (unsigned)secs;
        } else if (strcmp(key, "report_retention") == 0) {
                long long secs = 0;

                /* 0 keeps them for good; else at least a day. */
                if (strcmp(value, "0") != 0 &&
                    ((rc = token_parse_duration(value, &secs)) == 0 && secs < 86400))
                        rc = -EINVAL;
                if (rc == 0)
                        c->report_retention = secs;
        } else if (strcmp(key, "max_database_size") == 0) {
                char *end;
                double v = strtod(value, &end);
                long long unit = strcmp(end, "K") == 0   ? 1LL << 10
                                 : strcmp(end, "M") == 0 ? 1LL << 20
                                 : strcmp(end, "G") == 0 ? 1LL << 30
                                 : strcmp(end, "T") == 0 ? 1LL << 40
                                                         : 0;

                /* 64K to 1024T, e.g. 20G. */
                if (end == value || unit == 0 || v * (double)unit < 65536 ||
                    v > 1024 * (double)(1LL << 40) / unit)
                        rc = -EINVAL;
                else
                        c->max_database_size = (long long)(v * (double)unit);
        } else if (strcmp(key, "max_backlog") == 0) {
                if ((rc = count_value(value, 0, 1000000, &n)) == 0)
                        c->max_backlog = n;
        } else if (strcmp(key, "max_connections") == 0) {
                if ((rc = count_value(value, 1, 1000000, &n)) == 0)
                        c->max_connections = (unsigned)n;
        } else {
                error_set(l->e, l->file, 0, "unknown key \"%s\" in [server]", key);
                l->rc = -EINVAL;
                return 0;
        }
        if (rc < 0 && l->rc == 0) {
                error_set(l->e, l->file, 0, "bad value for %s: \"%s\"", key, value);
                l->rc = rc;
        }
        return rc == 0;
}

int server_config_load(struct server_config *c, const char *file, char *listen, size_t listen_size,
                       char *database, size_t database_size, struct error *e)
{
        struct config_load l = { c, listen, database, listen_size, database_size, e, file, 0 };
        int rc = ini_parse(file, config_key, &l);

        if (rc < 0) {
                error_set(e, file, 0, "cannot read: %s", rc == -1 ? strerror(errno) : "error");
                return -ENOENT;
        }
        if (rc > 0 && l.rc == 0) {
                error_set(e, file, (unsigned)rc, "not a key = value line");
                return -EINVAL;
        }
        e->line = rc > 0 ? (unsigned)rc : 0;
        return l.rc;
}

/* Phases and their deadlines. */
