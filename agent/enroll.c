/* enroll.c - hygie-agent enroll: pin the collector's CA, make a key and a
 * certificate request, trade them with a token for a client certificate. */
#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "intl.h"
#include "agent.h"
#include "curl_api.h"
#include "dirops.h"
#include "paths.h"
#include "spool.h"
#include "state.h"
#include "util.h"

#define _(s) dgettext("hygie", s)

static void enroll_usage(FILE *out)
{
        fprintf(
            out,
            _("Usage: hygie-agent enroll --server URL --token TOKEN --ca-fingerprint sha256:HEX\n"
              "                          [--state DIR] [--root DIR] [--force | --if-needed]\n"
              "\n"
              "Enrolls this machine with the collector at URL (https://host:port), using\n"
              "the token and the CA fingerprint that \"hygie-server token create\" printed.\n"
              "The key and the certificate go to DIR (default %s).\n"
              "--if-needed: nothing to do when this machine is already enrolled with URL\n"
              "(an installer run again).\n"),
            paths_statedir());
}

struct buf {
        char *data;
        size_t len;
};

static size_t on_data(char *p, size_t size, size_t n, void *user)
{
        struct buf *b = user;
        size_t len = size * n;
        char *q;

        if (b->len + len > 1024 * 1024)
                return 0;
        q = realloc(b->data, b->len + len + 1);
        if (!q)
                return 0;
        memcpy(q + b->len, p, len);
        b->data = q;
        b->len += len;
        q[b->len] = '\0';
        return len;
}

/* One blocking request (enrollment is a command, not the daemon). ca (PEM)
 * NULL: no verification, for fetching the CA that is then checked by hand. */
static int request(const char *url, const struct buf *ca, const char *body, struct buf *out,
                   long *status, char *err, size_t errsize)
{
        char errbuf[CURL_ERROR_SIZE] = "";
        struct curl_slist *h = NULL;
        struct error e;
        const struct curl_api *cu = curl_api(&e);
        CURL *c;
        CURLcode rc;

        if (!cu) {
                snprintf(err, errsize, "%s", e.msg);
                return -EIO;
        }
        if (!(c = cu->easy_init()))
                return -ENOMEM;
        cu->easy_setopt(c, CURLOPT_URL, url);
        cu->easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
        cu->easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        cu->easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 20L);
        cu->easy_setopt(c, CURLOPT_TIMEOUT, 60L);
        cu->easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
        cu->easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
        cu->easy_setopt(c, CURLOPT_WRITEDATA, out);
        if (ca) {
                struct curl_blob blob = { .data = ca->data,
                                          .len = ca->len,
                                          .flags = CURL_BLOB_COPY };

                cu->easy_setopt(c, CURLOPT_CAINFO_BLOB, &blob);
                cu->easy_setopt(c, CURLOPT_CAINFO, NULL);
                cu->easy_setopt(c, CURLOPT_CAPATH, NULL);
        } else {
                cu->easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
                cu->easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
        }
        if (body) {
                h = cu->slist_append(h, "Content-Type: application/json");
                cu->easy_setopt(c, CURLOPT_HTTPHEADER, h);
                cu->easy_setopt(c, CURLOPT_POSTFIELDS, body);
        }
        rc = cu->easy_perform(c);
        cu->easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
        cu->easy_cleanup(c);
        cu->slist_free_all(h);
        if (rc != CURLE_OK) {
                snprintf(err, errsize, "%s", errbuf[0] ? errbuf : cu->easy_strerror(rc));
                return -EIO;
        }
        return 0;
}

/* "sha256:<hex>" of the certificate in pem. */
static int fingerprint(const char *pem, char *out, size_t size)
{
        BIO *b = BIO_new_mem_buf(pem, -1);
        X509 *x = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int n = 0;
        int rc = -EINVAL;

        if (x && X509_digest(x, EVP_sha256(), md, &n) == 1 && size >= 8 + 2 * (size_t)n) {
                strcpy(out, "sha256:");
                for (unsigned i = 0; i < n; i++)
                        snprintf(out + 7 + 2 * i, 3, "%02x", md[i]);
                rc = 0;
        }
        X509_free(x);
        BIO_free(b);
        return rc;
}

/* A new P-256 key and a request for it, both PEM (the caller frees). */
static int make_key(const char *hostname, char **key_pem, char **csr_pem)
{
        EVP_PKEY *key = EVP_EC_gen("P-256");
        X509_REQ *req = X509_REQ_new();
        X509_NAME *name = X509_NAME_new();
        BIO *kb = BIO_new(BIO_s_mem()), *rb = BIO_new(BIO_s_mem());
        char *p;
        long n;
        int rc = -ENOMEM;

        if (!key || !req || !name || !kb || !rb)
                goto out;
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)hostname, -1,
                                   -1, 0);
        if (X509_REQ_set_version(req, 0) != 1 || X509_REQ_set_subject_name(req, name) != 1 ||
            X509_REQ_set_pubkey(req, key) != 1 || X509_REQ_sign(req, key, EVP_sha256()) <= 0 ||
            PEM_write_bio_PrivateKey(kb, key, NULL, NULL, 0, NULL, NULL) != 1 ||
            PEM_write_bio_X509_REQ(rb, req) != 1)
                goto out;
        n = BIO_get_mem_data(kb, &p);
        *key_pem = util_strndup(p, (size_t)n);
        n = BIO_get_mem_data(rb, &p);
        *csr_pem = util_strndup(p, (size_t)n);
        rc = *key_pem && *csr_pem ? 0 : -ENOMEM;
out:
        EVP_PKEY_free(key);
        X509_REQ_free(req);
        X509_NAME_free(name);
        BIO_free(kb);
        BIO_free(rb);
        return rc;
}

static int remove_entry(const char *name, void *arg)
{
        struct dirops_stat st;

        if (dirops_stat(arg, name, &st) == 0 && st.type == DIROPS_FILE)
                dirops_remove(arg, name);
        return 0;
}

/* Reports made under another identity would be refused: start afresh. The
 * spool's directories stay, emptied. */
static void forget_old_state(const char *dir)
{
        static const char *const files[] = { "policy.ini", "status.json", "seq", "pwaudit.cache" };
        struct dirops *d, *spool, *refused;

        if (dirops_open(dir, false, &d) < 0)
                return;
        for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
                dirops_remove(d, files[i]);
        if (dirops_open_sub(d, "spool", false, &spool) == 0) {
                if (dirops_open_sub(spool, SPOOL_REFUSED_DIR, false, &refused) == 0) {
                        dirops_list(refused, remove_entry, refused);
                        dirops_close(refused);
                }
                dirops_list(spool, remove_entry, spool);
                dirops_close(spool);
        }
        dirops_close(d);
}

/* Creates the state directory when missing; on Windows its parent too
 * (%ProgramData%\\Hygie), which the installer otherwise makes. */
static int make_state_dir(const char *dir)
{
        struct dirops *d;
        int rc = dirops_open(dir, true, &d);

#ifdef _WIN32
        if (rc == -ENOENT && strcmp(dir, paths_statedir()) == 0 &&
            dirops_open(paths_confdir(), true, &d) == 0) {
                dirops_close(d);
                rc = dirops_open(dir, true, &d);
        }
#endif
        if (rc == 0)
                dirops_close(d);
        return rc;
}

static int fail(const char *fmt, ...) HYGIE_PRINTF(1, 2);
static int fail(const char *fmt, ...)
{
        va_list ap;

        fputs("hygie-agent: ", stderr);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
        return 1;
}

int agent_enroll(int argc, char **argv)
{
        static const struct option opts[] = {
                { "server", required_argument, NULL, 's' },
                { "token", required_argument, NULL, 't' },
                { "ca-fingerprint", required_argument, NULL, 'f' },
                { "state", required_argument, NULL, 'S' },
                { "root", required_argument, NULL, 'r' },
                { "force", no_argument, NULL, 'F' },
                { "if-needed", no_argument, NULL, 'n' },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        const char *server = NULL, *token = NULL, *pin = NULL, *dir = paths_statedir();
        const char *root_path = NULL;
        bool force = false, if_needed = false;
        struct agent_state st, old;
        struct rootfs *root = NULL;
        struct buf ca = { 0 }, resp = { 0 };
        char url[1024], fp[80], err[CURL_ERROR_SIZE + 64], host[256];
        char *key_pem = NULL, *csr_pem = NULL, *body = NULL;
        json_t *o = NULL;
        struct error e;
        long status = 0;
        int c, rc = 1;

        optind = 1;
        while ((c = getopt_long(argc, argv, "s:t:f:S:r:Fnh", opts, NULL)) != -1) {
                switch (c) {
                case 's':
                        server = optarg;
                        break;
                case 't':
                        token = optarg;
                        break;
                case 'f':
                        pin = optarg;
                        break;
                case 'S':
                        dir = optarg;
                        break;
                case 'r':
                        root_path = optarg;
                        break;
                case 'F':
                        force = true;
                        break;
                case 'n':
                        if_needed = true;
                        break;
                case 'h':
                        enroll_usage(stdout);
                        return 0;
                default:
                        enroll_usage(stderr);
                        return 2;
                }
        }
        if (optind != argc || !server || !token || !pin || (force && if_needed)) {
                enroll_usage(stderr);
                return 2;
        }
        if (strncmp(server, "https://", 8) != 0 || strlen(server) >= sizeof(st.server))
                return fail(_("--server must be an https:// URL, e.g. https://hygie.example:8443")),
                       2;
        if (strncasecmp(pin, "sha256:", 7) != 0 || strlen(pin) != 7 + 64)
                return fail(_("--ca-fingerprint must be sha256: and 64 hex digits, as printed by "
                              "hygie-server token create")),
                       2;
        if (agent_open_root(root_path, &root) < 0)
                return 1;

        memset(&st, 0, sizeof(st));
        snprintf(st.dir, sizeof(st.dir), "%s", dir);
        snprintf(st.server, sizeof(st.server), "%.*s", (int)strcspn(server, "?#"), server);
        while (st.server[strlen(st.server) - 1] == '/')
                st.server[strlen(st.server) - 1] = '\0';
        agent_machine_digest(root, st.machine, sizeof(st.machine));
        agent_hostname(root, host, sizeof(host));
        if (!host[0])
                snprintf(host, sizeof(host), "unknown");

        if (state_load(dir, &old, &e) == 0 && !force && strcmp(old.machine, st.machine) == 0) {
                if (!if_needed) {
                        fail(_("already enrolled as agent %s with %s; add --force to enroll "
                               "again"),
                             old.agent_id, old.server);
                        goto out;
                }
                if (strcmp(old.server, st.server) == 0) {
                        printf(_("Already enrolled as agent %s with %s.\n"), old.agent_id,
                               old.server);
                        rc = 0;
                        goto out;
                }
                /* Deployed again with another collector: enrolled with that one. */
        }

        /* Fetch the CA without trusting it, then trust it only if it is the
         * one whose fingerprint the administrator was given. */
        snprintf(url, sizeof(url), "%s/api/v1/ca", st.server);
        if (request(url, NULL, NULL, &ca, &status, err, sizeof(err)) < 0) {
                fail(_("cannot reach %s: %s"), st.server, err);
                goto out;
        }
        if (status != 200 || fingerprint(ca.data ? ca.data : "", fp, sizeof(fp)) < 0) {
                fail(_("%s did not answer like a Hygie collector (HTTP %ld)"), st.server, status);
                goto out;
        }
        if (strcasecmp(fp, pin) != 0) {
                fail(_("the collector's CA is %s, not the fingerprint given: check the address "
                       "and the fingerprint"),
                     fp);
                goto out;
        }
        if (make_key(host, &key_pem, &csr_pem) < 0) {
                fail(_("cannot make a key: %s"), strerror(ENOMEM));
                goto out;
        }

        o = json_pack("{s:s, s:s, s:s, s:s}", "token", token, "csr", csr_pem, "hostname", host,
                      "machine", st.machine);
        body = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        o = NULL;
        snprintf(url, sizeof(url), "%s/api/v1/enroll", st.server);
        if (!body || request(url, &ca, body, &resp, &status, err, sizeof(err)) < 0) {
                fail(_("cannot enroll with %s: %s"), st.server, body ? err : "out of memory");
                goto out;
        }
        o = json_loads(resp.data ? resp.data : "", 0, NULL);
        if (status != 201) {
                const char *msg =
                    json_string_value(json_object_get(json_object_get(o, "error"), "message"));

                fail(_("the collector refused the enrollment: %s"), msg ? msg : "no reason given");
                goto out;
        }
        const char *id = json_string_value(json_object_get(o, "agent_id"));
        const char *cert = json_string_value(json_object_get(o, "certificate"));
        const char *finess = json_string_value(json_object_get(o, "finess"));

        if (!id || strlen(id) != 36 || !cert) {
                fail(_("the collector's answer is not an enrollment"));
                goto out;
        }
        snprintf(st.agent_id, sizeof(st.agent_id), "%s", id);
        snprintf(st.finess, sizeof(st.finess), "%s", finess ? finess : "");
        st.enrolled_at = (long long)time(NULL);
        /* Nothing is written before the collector said yes: a refused
         * enrollment (an installer rolled back) leaves no trace. */
        if ((c = make_state_dir(dir)) < 0) {
                fail(_("cannot create %s: %s"), dir, strerror(-c));
                goto out;
        }
        forget_old_state(dir);
        if (file_replace(dir, "ca.crt", ca.data, ca.len, 0644, &e) < 0 ||
            file_replace(dir, "agent.key", key_pem, strlen(key_pem), DIROPS_SECRET, &e) < 0 ||
            file_replace(dir, "agent.crt", cert, strlen(cert), 0600, &e) < 0 ||
            state_save(&st, &e) < 0) {
                fail("%s: %s", e.file, e.msg);
                goto out;
        }
        printf(_("Enrolled as agent %s with %s (establishment %s).\n"), st.agent_id, st.server,
               st.finess);
#ifdef _WIN32
        agent_service_kick(); /* a service waiting for the enrollment goes on */
#endif
        rc = 0;
out:
        if (key_pem)
                OPENSSL_cleanse(key_pem, strlen(key_pem));
        free(key_pem);
        free(csr_pem);
        free(body);
        free(ca.data);
        free(resp.data);
        json_decref(o);
        agent_close_root(root);
        return rc;
}
