/* notifier.c - webhook and e-mail digest, from the store, at least once.
 *
 * Sent from the duties thread (duties.c), on its own store connection, so
 * that a slow receiver never holds the database thread. Webhook deliveries carry the event's id
 * (X-Hygie-Delivery): a receiver that sees one twice can drop it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>
#include <openssl/hmac.h>

#include "l10n.h"
#include "lang.h"
#include "log.h"
#include "notifier.h"
#include "store.h"
#include "util.h"

#define SEND_TIMEOUT 10 /* seconds a receiver gets per request */
/* Events are stamped when their transaction starts and seen when it
 * commits: an event younger than this may still have an older neighbour
 * on its way, so notifications stop short of it. */
#define SETTLE 2

void notify_config_defaults(struct notify_config *c)
{
        memset(c, 0, sizeof(*c));
        c->digest_interval = 86400;
        c->retry_max = 600;
        c->poll_ms = 2000;
}

bool notify_enabled(const struct notify_config *c)
{
        return c->webhook_url[0] || c->smtp_url[0];
}

void notify_sign(const char *secret, const char *body, size_t len, char out[72])
{
        unsigned char mac[32];
        unsigned int n = sizeof(mac);

        HMAC(EVP_sha256(), secret, (int)strlen(secret), (const unsigned char *)body, len, mac, &n);
        memcpy(out, "sha256=", 7);
        for (unsigned i = 0; i < n; i++)
                snprintf(out + 7 + 2 * i, 3, "%02x", mac[i]);
}

static void failed(struct notifier *n, struct notify_channel *ch, const char *what)
{
        ch->wait = ch->wait ? ch->wait * 2 : 1;
        if (ch->wait > n->cfg.retry_max)
                ch->wait = n->cfg.retry_max;
        ch->next = time(NULL) + ch->wait;
        log_warn("msg=\"notification not sent, will retry\" channel=%s retry_in=%u error=\"%s\"",
                 ch->name, ch->wait, what);
}

static void succeeded(struct notify_channel *ch)
{
        ch->wait = 0;
}

/* Cursors in notify_state. */

static int cursor_row(void *user, int ncols, const char *const *v)
{
        *(long long *)user = ncols > 0 && v[0] ? strtoll(v[0], NULL, 10) : 0;
        return 0;
}

/* The cursor called name; made with first's value when missing. */
static int cursor_get(struct store *s, const char *name, const char *first, long long *out,
                      struct error *e)
{
        const char *p[2] = { name, first };
        int rc = store_rows(s,
                            "INSERT INTO notify_state (name, cursor) VALUES ($1,"
                            " CAST($2 AS BIGINT)) ON CONFLICT (name) DO NOTHING",
                            2, p, NULL, NULL, e);

        if (rc < 0)
                return rc;
        return store_rows(s, "SELECT cursor FROM notify_state WHERE name = $1", 1, p, cursor_row,
                          out, e);
}

static int cursor_set(struct store *s, const char *name, long long value, struct error *e)
{
        char v[24];
        const char *p[2] = { name, v };

        snprintf(v, sizeof(v), "%lld", value);
        return store_rows(s, "UPDATE notify_state SET cursor = CAST($2 AS BIGINT) WHERE name = $1",
                          2, p, NULL, NULL, e);
}

/* The webhook. */

static json_t *time_json(const char *unix)
{
        char buf[32];

        return unix ? json_string(util_iso8601((time_t)strtoll(unix, NULL, 10), buf, sizeof(buf)))
                    : json_null();
}

#define EVENTS_PER_ROUND 100

struct events {
        json_t *list;
        long long at[EVENTS_PER_ROUND];
};

static int event_row(void *user, int ncols, const char *const *v)
{
        struct events *evs = user;
        size_t n = json_array_size(evs->list);

        if (ncols < 14 || n >= EVENTS_PER_ROUND)
                return -EIO;
        evs->at[n] = strtoll(v[2], NULL, 10);
        return json_array_append_new(
            evs->list,
            json_pack("{s:I, s:s, s:o, s:{s:I, s:s, s:s, s:s, s:s, s:s*, s:s*}, s:{s:s, s:s, s:s,"
                      " s:s}}",
                      "id", (json_int_t)strtoll(v[0], NULL, 10), "event",
                      strcmp(v[1], "opened") == 0 ? "alert.opened" : "alert.resolved", "at",
                      time_json(v[2]), "alert", "id", (json_int_t)strtoll(v[3], NULL, 10), "check",
                      v[4], "subject", v[5], "severity", v[6], "summary", v[7], "agent_id",
                      v[12] && *v[12] ? v[12] : NULL, "hostname", v[13] && *v[13] ? v[13] : NULL,
                      "establishment", "finess", v[8], "name", v[9], "region", v[10], "department",
                      v[11]));
}

static size_t discard(char *p, size_t size, size_t n, void *user)
{
        (void)p;
        (void)user;
        return size * n;
}

/* POSTs one event; 0 on a 2xx. */
static int post_event(struct notifier *n, CURL *curl, json_t *ev, char *why, size_t whysize)
{
        char *body = json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS);
        char sig[72], h_sig[96], h_event[64], h_id[64];
        struct curl_slist *headers = NULL;
        long status = 0;
        CURLcode cc;

        if (!body) {
                snprintf(why, whysize, "out of memory");
                return -ENOMEM;
        }
        notify_sign(n->cfg.webhook_secret, body, strlen(body), sig);
        snprintf(h_sig, sizeof(h_sig), "X-Hygie-Signature: %s", sig);
        snprintf(h_event, sizeof(h_event), "X-Hygie-Event: %s",
                 json_string_value(json_object_get(ev, "event")));
        snprintf(h_id, sizeof(h_id), "X-Hygie-Delivery: %" JSON_INTEGER_FORMAT,
                 json_integer_value(json_object_get(ev, "id")));
        headers = curl_slist_append(headers, "Content-Type: application/json");
        headers = curl_slist_append(headers, h_sig);
        headers = curl_slist_append(headers, h_event);
        headers = curl_slist_append(headers, h_id);
        curl_easy_reset(curl);
        curl_easy_setopt(curl, CURLOPT_URL, n->cfg.webhook_url);
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
        curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)SEND_TIMEOUT);
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
        curl_easy_setopt(curl, CURLOPT_USERAGENT, "hygie-server");
        cc = curl_easy_perform(curl);
        if (cc == CURLE_OK)
                curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        curl_slist_free_all(headers);
        free(body);
        if (cc != CURLE_OK) {
                snprintf(why, whysize, "%s", curl_easy_strerror(cc));
                return -EIO;
        }
        if (status < 200 || status > 299) {
                snprintf(why, whysize, "the webhook answered %ld", status);
                return -EIO;
        }
        return 0;
}

static const char events_sql[] =
    "SELECT ev.id, ev.kind, ev.at, al.id, al.check_id, al.subject, al.severity, al.summary,"
    " al.finess, e.name, e.region, e.department, coalesce(al.agent_id, ''),"
    " coalesce(ag.hostname, '')"
    " FROM alert_events ev JOIN alerts al ON al.id = ev.alert_id"
    " JOIN establishments e ON e.finess = al.finess"
    " LEFT JOIN agents ag ON ag.id = al.agent_id"
    " WHERE ev.id > CAST($1 AS BIGINT) ORDER BY ev.id LIMIT 100"; /* EVENTS_PER_ROUND */

static void webhook_round(struct notifier *n, struct store *s, CURL *curl,
                          struct notify_channel *ch)
{
        char from[24], why[256];
        const char *p[1] = { from };
        long long cursor;
        struct events evs = { json_array(), { 0 } };
        json_t *ev;
        struct error e;
        size_t i;
        int rc = 0;

        /* A new cursor starts at the newest event, not the whole history. */
        if (!ch->loaded) {
                rc = store_rows(s, "SELECT coalesce(max(id), 0) FROM alert_events", 0, NULL,
                                cursor_row, &cursor, &e);
                snprintf(from, sizeof(from), "%lld", cursor);
                if (rc == 0 && (rc = cursor_get(s, "webhook", from, &ch->cursor, &e)) == 0)
                        ch->loaded = true;
        }
        cursor = ch->cursor;
        snprintf(from, sizeof(from), "%lld", cursor);
        if (rc == 0)
                rc = store_rows(s, events_sql, 1, p, event_row, &evs, &e);
        if (rc < 0) {
                failed(n, ch, e.msg);
                json_decref(evs.list);
                return;
        }
        json_array_foreach(evs.list, i, ev)
        {
                long long id = json_integer_value(json_object_get(ev, "id"));

                if (evs.at[i] > (long long)time(NULL) - SETTLE)
                        break; /* the rest next round, in order */

                if (post_event(n, curl, ev, why, sizeof(why)) < 0) {
                        failed(n, ch, why);
                        break;
                }
                if (cursor_set(s, "webhook", id, &e) < 0) {
                        failed(n, ch, e.msg);
                        break;
                }
                ch->cursor = id;
                succeeded(ch);
        }
        json_decref(evs.list);
}

/* The digest. */

struct regional {
        long long id;
        char login[65], email[256], region[128];
        enum lang lang;
};

struct users {
        struct regional *v;
        size_t n;
};

static int user_row(void *user, int ncols, const char *const *v)
{
        struct users *u = user;
        struct regional *nv, *r;

        if (ncols < 5)
                return -EIO;
        if (!(nv = realloc(u->v, (u->n + 1) * sizeof(*nv))))
                return -ENOMEM;
        u->v = nv;
        r = &u->v[u->n++];
        r->id = strtoll(v[0], NULL, 10);
        snprintf(r->login, sizeof(r->login), "%s", v[1]);
        snprintf(r->email, sizeof(r->email), "%s", v[2]);
        snprintf(r->region, sizeof(r->region), "%s", v[3]);
        r->lang = v[4] && lang_from_code(v[4]) == LANG_EN ? LANG_EN : LANG_FR;
        return 0;
}

/* A section of the digest being written, in its reader's language (cat,
 * NULL for English). */
struct text {
        FILE *f;
        const struct msgcat *cat;
        long count;
};

/* The severities, as the digest names them. */
static const char *const severity_words[] = { N_("critical"), N_("high"), N_("medium"), N_("low"),
                                              N_("info") };

static const char *severity_word(const struct msgcat *cat, const char *sev)
{
        for (size_t i = 0; i < sizeof(severity_words) / sizeof(severity_words[0]); i++)
                if (sev && strcmp(sev, severity_words[i]) == 0)
                        return lang_tr(cat, severity_words[i]);
        return sev ? sev : "";
}

/* severity, count: in two columns, whatever the word's length in bytes */
static int count_row(void *user, int ncols, const char *const *v)
{
        struct text *t = user;
        const char *word;
        int width = 10;

        if (ncols != 2)
                return -EIO;
        t->count += v[1] ? strtol(v[1], NULL, 10) : 0;
        word = severity_word(t->cat, v[0]);
        for (const char *p = word; *p; p++)
                width -= (*p & 0xc0) != 0x80; /* one per character */
        fprintf(t->f, "  %s%*s%s\n", word, width > 1 ? width : 1, "", v[1] ? v[1] : "0");
        return 0;
}

/* severity, establishment, machine, check, summary, the agent's French summary */
static int severe_row(void *user, int ncols, const char *const *v)
{
        struct text *t = user;
        char buf[1024];

        if (ncols != 6)
                return -EIO;
        t->count++;
        fprintf(t->f, "  - %s | %s%s%s | %s | %s\n", severity_word(t->cat, v[0]), v[1],
                *v[2] ? ", " : "", v[2], v[3],
                l10n_summary(t->cat, v[3], v[4], v[5], buf, sizeof(buf)));
        return 0;
}

/* establishment, machine, summary */
static int silent_row(void *user, int ncols, const char *const *v)
{
        struct text *t = user;
        char buf[1024];

        if (ncols != 3)
                return -EIO;
        t->count++;
        fprintf(t->f, "  - %s, %s | %s\n", v[0], v[1],
                l10n_summary(t->cat, "agent.silent", v[2], NULL, buf, sizeof(buf)));
        return 0;
}

/* A header's value without line breaks. */
static void header_safe(char *s)
{
        for (; *s; s++)
                if (*s == '\r' || *s == '\n')
                        *s = ' ';
}

/* The digest's sections: each a query on the region ($1) and the window
 * ($2, $3], or the end of it ($2) for a state rather than a change. */
static const struct section {
        const char *title, *none, *sql;
        int nparams;
        store_row_fn *row;
        bool counts; /* toward "something to say" */
} sections[] = {
        { N_("New alerts by severity"), N_("none"),
          "SELECT al.severity, count(*) FROM alerts al"
          " JOIN establishments e ON e.finess = al.finess WHERE e.region = $1"
          " AND al.opened_at > CAST($2 AS BIGINT) AND al.opened_at <= CAST($3 AS BIGINT)"
          " GROUP BY al.severity ORDER BY count(*) DESC",
          3, count_row, true },
        { N_("Most severe"), N_("none"),
          "SELECT al.severity, e.name, coalesce(ag.hostname, ''), al.check_id, al.summary,"
          " al.summary_fr"
          " FROM alerts al JOIN establishments e ON e.finess = al.finess"
          " LEFT JOIN agents ag ON ag.id = al.agent_id WHERE e.region = $1"
          " AND al.opened_at > CAST($2 AS BIGINT) AND al.opened_at <= CAST($3 AS BIGINT)"
          " AND al.severity IN ('critical', 'high') ORDER BY " STORE_SEVERITY_RANK
          ", al.id LIMIT 20",
          3, severe_row, false },
        { N_("Resolved"), N_("none"),
          "SELECT al.severity, count(*) FROM alerts al"
          " JOIN establishments e ON e.finess = al.finess WHERE e.region = $1"
          " AND al.resolved_at > CAST($2 AS BIGINT) AND al.resolved_at <= CAST($3 AS BIGINT)"
          " GROUP BY al.severity ORDER BY count(*) DESC",
          3, count_row, true },
        { N_("Silent machines"), N_("no silent machine"),
          "SELECT e.name, ag.hostname, al.summary FROM alerts al"
          " JOIN establishments e ON e.finess = al.finess"
          " JOIN agents ag ON ag.id = al.agent_id WHERE e.region = $1"
          " AND al.check_id = 'agent.silent' AND al.status <> 'resolved'"
          " AND al.opened_at <= CAST($2 AS BIGINT) ORDER BY al.opened_at LIMIT 50",
          2, silent_row, true },
};

/* Writes the digest of u's region for (from, to] into f; how many things
 * it holds (0: nothing to say). */
static long digest_text(struct store *s, const struct regional *u, const struct msgcat *cat,
                        long long from, long long to, const char *dashboard, FILE *f,
                        struct error *e)
{
        char a[24], b[24], day[32];
        long total = 0;

        snprintf(a, sizeof(a), "%lld", from);
        snprintf(b, sizeof(b), "%lld", to);
        util_iso8601((time_t)to, day, sizeof(day));
        fprintf(f, "Hygie - %s - %s\n", u->region, day);
        for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
                const struct section *sc = &sections[i];
                const char *p[3] = { u->region, sc->nparams == 2 ? b : a, b };
                struct text t = { f, cat, 0 };
                int rc;

                fputc('\n', f);
                fprintf(f, lang_tr(cat, "%s:"), lang_tr(cat, sc->title));
                fputc('\n', f);
                if ((rc = store_rows(s, sc->sql, sc->nparams, p, sc->row, &t, e)) < 0)
                        return rc;
                if (!t.count)
                        fprintf(f, "  %s\n", lang_tr(cat, sc->none));
                if (sc->counts)
                        total += t.count;
        }
        if (*dashboard)
                fprintf(f, "\n%s\n", dashboard);
        return total;
}

struct mail {
        const char *data;
        size_t len, off;
};

static size_t mail_read(char *buf, size_t size, size_t n, void *user)
{
        struct mail *m = user;
        size_t k = size * n < m->len - m->off ? size * n : m->len - m->off;

        memcpy(buf, m->data + m->off, k);
        m->off += k;
        return k;
}

static int send_mail(struct notifier *n, CURL *curl, const struct regional *u, const char *body,
                     size_t len, char *why, size_t whysize)
{
        char *msg = NULL, date[64], to[256], from[256], region[128];
        size_t mlen = 0;
        struct curl_slist *rcpt = curl_slist_append(NULL, u->email);
        struct mail m;
        time_t now = time(NULL);
        struct tm tm;
        FILE *f = open_memstream(&msg, &mlen);
        CURLcode cc;

        if (!f || !rcpt) {
                if (f)
                        fclose(f);
                free(msg);
                curl_slist_free_all(rcpt);
                snprintf(why, whysize, "out of memory");
                return -ENOMEM;
        }
        gmtime_r(&now, &tm);
        strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
        snprintf(to, sizeof(to), "%s", u->email);
        snprintf(from, sizeof(from), "%s", n->cfg.smtp_from);
        snprintf(region, sizeof(region), "%s", u->region);
        header_safe(to);
        header_safe(from);
        header_safe(region);
        fprintf(f,
                "Date: %s\r\nFrom: %s\r\nTo: %s\r\nSubject: %s %s\r\n"
                "Message-ID: <hygie-%lld-%lld@hygie>\r\nMIME-Version: 1.0\r\n"
                "Content-Type: text/plain; charset=utf-8\r\nContent-Language: %s\r\n"
                "Content-Transfer-Encoding: 8bit\r\n\r\n",
                date, from, to,
                u->lang == LANG_FR ? "=?UTF-8?Q?Hygie_-_r=C3=A9sum=C3=A9?=" : "Hygie - digest",
                region, u->id, (long long)now, lang_code(u->lang));
        for (size_t i = 0; i < len; i++) {
                if (body[i] == '\n')
                        fputc('\r', f);
                fputc(body[i], f);
        }
        fclose(f);
        m = (struct mail){ msg, mlen, 0 };
        curl_easy_reset(curl);
        curl_easy_setopt(curl, CURLOPT_URL, n->cfg.smtp_url);
        curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
        curl_easy_setopt(curl, CURLOPT_MAIL_FROM, n->cfg.smtp_from);
        curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
        curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(curl, CURLOPT_READFUNCTION, mail_read);
        curl_easy_setopt(curl, CURLOPT_READDATA, &m);
        curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)SEND_TIMEOUT);
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        if (n->cfg.smtp_user[0]) {
                curl_easy_setopt(curl, CURLOPT_USERNAME, n->cfg.smtp_user);
                curl_easy_setopt(curl, CURLOPT_PASSWORD, n->cfg.smtp_password);
                curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
        }
        cc = curl_easy_perform(curl);
        curl_slist_free_all(rcpt);
        free(msg);
        if (cc != CURLE_OK) {
                snprintf(why, whysize, "%s", curl_easy_strerror(cc));
                return -EIO;
        }
        return 0;
}

static void digest_round(struct notifier *n, struct store *s, CURL *curl, struct notify_channel *ch)
{
        struct users users = { NULL, 0 };
        time_t now = time(NULL);
        time_t soonest = now + n->cfg.digest_interval;
        struct error e;
        int rc;

        rc = store_rows(s,
                        "SELECT id, login, email, region, lang FROM users WHERE role = 'regional'"
                        " AND disabled_at IS NULL AND email <> '' ORDER BY id",
                        0, NULL, user_row, &users, &e);
        if (rc < 0) {
                failed(n, ch, e.msg);
                free(users.v);
                return;
        }
        for (size_t i = 0; i < users.n; i++) {
                const struct regional *u = &users.v[i];
                char name[48], first[24], why[256], *text = NULL;
                long long from;
                size_t len = 0;
                FILE *f;
                long total;

                snprintf(name, sizeof(name), "digest:%lld", u->id);
                snprintf(first, sizeof(first), "%lld",
                         (long long)(now - SETTLE - n->cfg.digest_interval));
                if ((rc = cursor_get(s, name, first, &from, &e)) < 0) {
                        failed(n, ch, e.msg);
                        break;
                }
                if (from + n->cfg.digest_interval > now - SETTLE) {
                        if (from + n->cfg.digest_interval + SETTLE < soonest)
                                soonest = from + n->cfg.digest_interval + SETTLE;
                        continue;
                }
                if (!(f = open_memstream(&text, &len)))
                        break;
                total = digest_text(s, u, u->lang == LANG_FR ? &n->fr : NULL, from, now - SETTLE,
                                    n->cfg.dashboard_url, f, &e);
                fclose(f);
                if (total < 0) {
                        free(text);
                        failed(n, ch, e.msg);
                        break;
                }
                /* Nothing new: no mail, and the next digest starts now. */
                if (total > 0 && send_mail(n, curl, u, text, len, why, sizeof(why)) < 0) {
                        free(text);
                        failed(n, ch, why);
                        break;
                }
                free(text);
                if (cursor_set(s, name, now - SETTLE, &e) < 0) {
                        failed(n, ch, e.msg);
                        break;
                }
                if (total > 0)
                        log_info("msg=\"digest sent\" login=%s items=%ld", u->login, total);
                succeeded(ch);
        }
        if (!ch->wait)
                ch->next = soonest;
        free(users.v);
}

int notifier_init(struct notifier *n, const struct notify_config *c, struct error *e)
{
        memset(n, 0, sizeof(*n));
        n->hook.name = "webhook";
        n->mail.name = "digest";
        if (!notify_enabled(c))
                return 0;
        if (c->webhook_url[0] && !c->webhook_secret[0]) {
                error_set(e, "", 0, "a webhook needs webhook_secret_file, to sign its bodies");
                return -EINVAL;
        }
        if (c->smtp_url[0] && !c->smtp_from[0]) {
                error_set(e, "", 0, "an SMTP digest needs smtp_from");
                return -EINVAL;
        }
        n->cfg = *c;
        if (lang_load(&n->fr, LANG_FR, e) < 0)
                return -EINVAL;
        curl_global_init(CURL_GLOBAL_DEFAULT);
        if (!(n->curl = curl_easy_init())) {
                msgcat_free(&n->fr);
                error_set(e, "", 0, "cannot start the notifier");
                return -ENOMEM;
        }
        log_info("msg=\"notifications on\" webhook=%s digest=%s", c->webhook_url[0] ? "yes" : "no",
                 c->smtp_url[0] ? "yes" : "no");
        return 0;
}

void notifier_reset(struct notifier *n)
{
        n->hook.loaded = n->mail.loaded = false;
        n->hook.next = n->mail.next = 0;
        n->hook.wait = n->mail.wait = 0;
}

unsigned notifier_round(struct notifier *n, struct store *s)
{
        time_t now = time(NULL);
        unsigned wait_ms = n->cfg.poll_ms;

        if (!n->curl)
                return 0;
        if (n->cfg.webhook_url[0] && now >= n->hook.next) {
                webhook_round(n, s, n->curl, &n->hook);
                if (!n->hook.wait)
                        n->hook.next = 0;
        }
        if (n->cfg.smtp_url[0] && now >= n->mail.next)
                digest_round(n, s, n->curl, &n->mail);
        now = time(NULL);
        if (n->cfg.smtp_url[0] && n->mail.next > now &&
            (unsigned long long)(n->mail.next - now) * 1000 < wait_ms)
                wait_ms = (unsigned)(n->mail.next - now) * 1000;
        return wait_ms ? wait_ms : 1;
}

void notifier_free(struct notifier *n)
{
        if (n->curl) {
                curl_easy_cleanup(n->curl);
                msgcat_free(&n->fr);
        }
        n->curl = NULL;
}
