/* load.c - hygie-load: many agents against one collector, for bench/load.sh.
 *
 * Enrolls N agents (each its own key and certificate), then, on one epoll
 * loop with non-blocking OpenSSL:
 *   reports     C keep-alive mTLS connections send gzip'd ~10 KB reports as
 *               fast as they are answered, for S seconds: reports/s, p50/p99;
 *   handshakes  C connections make full mTLS handshakes (no resumption) and
 *               close, for S seconds: handshakes/s;
 *   hold        every agent connects, reports once and stays connected.
 * With --pid, the collector's CPU time per report (or handshake) and its RSS. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

struct agent {
        char id[37];
        X509 *cert;
        EVP_PKEY *key;
        long long seq;
};

enum cstate { C_CONNECT, C_HANDSHAKE, C_SEND, C_RECV, C_IDLE, C_DEAD };

struct conn {
        int fd;
        SSL *ssl;
        enum cstate st;
        struct agent *agent;
        char *out;
        size_t out_len, out_off;
        char in[4096];
        size_t in_len;
        double started;
};

static const char *host = "127.0.0.1";
static int port = 8443;
static SSL_CTX *ctx;
static struct sockaddr_in addr;
static int ep;

static double now(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
        fprintf(stderr, "hygie-load: %s\n", what);
        ERR_print_errors_fp(stderr);
        exit(1);
}

/* Blocking TLS request for enrollment: status, body into resp. */
static int blocking_request(SSL *ssl, const char *req, size_t len, char *resp, size_t size)
{
        size_t got = 0;
        char *body;

        if (SSL_write(ssl, req, (int)len) <= 0)
                return -1;
        for (;;) {
                int n = SSL_read(ssl, resp + got, (int)(size - got - 1));
                char *cl;

                if (n <= 0)
                        return -1;
                got += (size_t)n;
                resp[got] = '\0';
                body = strstr(resp, "\r\n\r\n");
                cl = strstr(resp, "Content-Length: ");
                if (body && cl && got >= (size_t)(body + 4 - resp) + strtoul(cl + 16, NULL, 10))
                        return atoi(resp + 9);
        }
}

static int tcp_connect(int nonblock)
{
        int fd = socket(AF_INET, SOCK_STREAM | (nonblock ? SOCK_NONBLOCK : 0) | SOCK_CLOEXEC, 0);
        int one = 1;

        if (fd < 0)
                return -1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 && errno != EINPROGRESS) {
                close(fd);
                return -1;
        }
        return fd;
}

static char *json_escape_pem(const char *pem)
{
        char *out = malloc(strlen(pem) * 2 + 1), *o = out;

        for (; *pem; pem++) {
                if (*pem == '\n') {
                        *o++ = '\\';
                        *o++ = 'n';
                } else {
                        *o++ = *pem;
                }
        }
        *o = '\0';
        return out;
}

static void enroll(struct agent *agents, int n, const char *token)
{
        int fd = tcp_connect(0);
        SSL *ssl = SSL_new(ctx);
        static char resp[65536];

        if (fd < 0 || !ssl)
                die("cannot connect to enroll");
        SSL_set_fd(ssl, fd);
        SSL_set_tlsext_host_name(ssl, "localhost");
        if (SSL_connect(ssl) != 1)
                die("TLS handshake for enrollment failed");
        for (int i = 0; i < n; i++) {
                EVP_PKEY *key = EVP_EC_gen("P-256");
                X509_REQ *req = X509_REQ_new();
                BIO *b = BIO_new(BIO_s_mem());
                char *pem, *esc, body[4096], request[5000], *p, *q;
                long len;
                int status;

                X509_REQ_set_pubkey(req, key);
                X509_REQ_sign(req, key, EVP_sha256());
                PEM_write_bio_X509_REQ(b, req);
                len = BIO_get_mem_data(b, &pem);
                pem = strndup(pem, (size_t)len);
                esc = json_escape_pem(pem);
                snprintf(body, sizeof(body),
                         "{\"token\":\"%s\",\"csr\":\"%s\",\"hostname\":\"poste-%d\"}", token, esc,
                         i);
                len = snprintf(request, sizeof(request),
                               "POST /api/v1/enroll HTTP/1.1\r\nHost: localhost\r\n"
                               "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                               strlen(body), body);
                status = blocking_request(ssl, request, (size_t)len, resp, sizeof(resp));
                if (status != 201) {
                        fprintf(stderr, "%s\n", resp);
                        die("enrollment refused");
                }
                p = strstr(resp, "\"agent_id\":\"") + 12;
                memcpy(agents[i].id, p, 36);
                agents[i].id[36] = '\0';
                p = strstr(resp, "\"certificate\":\"") + 15;
                q = strchr(p, '"');
                *q = '\0';
                /* Unescape \n. */
                for (char *r = p, *w = p;; r++) {
                        if (r[0] == '\\' && r[1] == 'n') {
                                *w++ = '\n';
                                r++;
                        } else if (!(*w++ = *r)) {
                                break;
                        }
                }
                BIO_free(b);
                b = BIO_new_mem_buf(p, -1);
                agents[i].cert = PEM_read_bio_X509(b, NULL, NULL, NULL);
                agents[i].key = key;
                if (!agents[i].cert)
                        die("bad certificate in the answer");
                BIO_free(b);
                X509_REQ_free(req);
                free(pem);
                free(esc);
        }
        SSL_free(ssl);
        close(fd);
}

/* A report body: a small deflate head with the ids, then a tail compressed
 * once (raw deflate, standalone), glued into one gzip member. */
static unsigned char *tail_z;
static size_t tail_z_len, tail_len;
static uLong tail_crc;

static void make_tail(void)
{
        static char tail[16384];
        size_t o = 0;
        z_stream zs = { 0 };
        static const char *const checks[] = {
                "os.supported",        "patch.security_pending", "patch.updates_pending",
                "patch.refresh_age",   "patch.reboot_required",  "patch.auto_updates",
                "backup.configured",   "backup.recent",          "backup.offsite",
                "password.min_length", "password.max_age",       "password.common",
                "antivirus.present",   "antivirus.running",      "antivirus.signatures_age",
                "equipment.ram",       "equipment.storage",      "equipment.tpm",
        };

        o += (size_t)snprintf(tail + o, sizeof(tail) - o,
                              ",\"collected_at\":\"2026-11-24T10:00:00Z\","
                              "\"policy\":{\"id\":\"esms-baseline\",\"revision\":1},\"facts\":{");
        for (int i = 0; i < 4; i++)
                o += (size_t)snprintf(tail + o, sizeof(tail) - o,
                                      "%s\"pkg%d\":{\"name\":\"libexample%d\",\"installed\":"
                                      "\"2.%d.1-1+deb12u%d\",\"candidate\":\"2.%d.1-1+deb12u%d\","
                                      "\"security\":%s}",
                                      i ? "," : "", i, i, i, i % 7, i, i % 7 + 1,
                                      i % 3 ? "false" : "true");
        o += (size_t)snprintf(tail + o, sizeof(tail) - o, "},\"findings\":[");
        for (int i = 0; i < 45; i++)
                o += (size_t)snprintf(
                    tail + o, sizeof(tail) - o,
                    "%s{\"check\":\"%s\",\"status\":\"%s\",\"severity\":\"%s\",\"subject\":"
                    "\"job-%d\",\"summary\":\"Finding %d: what was seen on this machine, in a "
                    "line of plain words\",\"evidence\":{\"n\":%d},\"remediation\":\"What to do "
                    "about it, in plain words.\",\"refs\":[\"anssi-hygiene-%d\"]}",
                    i ? "," : "", checks[i % 18], i % 9 == 0 ? "fail" : "pass",
                    i % 2 ? "high" : "medium", i / 18, i, i, 30 + i % 12);
        o += (size_t)snprintf(tail + o, sizeof(tail) - o, "]}");
        tail_len = o;
        tail_crc = crc32(0, (const Bytef *)tail, (uInt)o);
        tail_z = malloc(o + 1024);
        deflateInit2(&zs, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
        zs.next_in = (Bytef *)tail;
        zs.avail_in = (uInt)o;
        zs.next_out = tail_z;
        zs.avail_out = (uInt)(o + 1024);
        deflate(&zs, Z_FINISH);
        tail_z_len = zs.total_out;
        deflateEnd(&zs);
}

static char *make_request(struct agent *a, size_t *len)
{
        char head[512], rid[40];
        unsigned char hz[1024], *body;
        size_t hlen, hz_len, blen;
        uLong crc;
        uint32_t isize;
        char *req;
        int n;

        a->seq++;
        snprintf(rid, sizeof(rid), "%08x-%04x-4%03x-8%03x-%012llx", (unsigned)rand(),
                 (unsigned)rand() & 0xffff, (unsigned)rand() & 0xfff, (unsigned)rand() & 0xfff,
                 (unsigned long long)a->seq);
        hlen = (size_t)snprintf(head, sizeof(head),
                                "{\"schema\":\"hygie.report/1\",\"report_id\":\"%s\",\"seq\":%lld,"
                                "\"agent\":{\"id\":\"%s\",\"version\":\"0.1.0\",\"hostname\":"
                                "\"poste\",\"interval\":3600}",
                                rid, a->seq, a->id);
        /* A stored (uncompressed) deflate block: no compressor to set up. */
        hz[0] = 0x00;
        hz[1] = (unsigned char)hlen;
        hz[2] = (unsigned char)(hlen >> 8);
        hz[3] = (unsigned char)~hlen;
        hz[4] = (unsigned char)(~hlen >> 8);
        memcpy(hz + 5, head, hlen);
        hz_len = hlen + 5;
        crc = crc32_combine(crc32(0, (const Bytef *)head, (uInt)hlen), tail_crc, (z_off_t)tail_len);
        isize = (uint32_t)(hlen + tail_len);
        blen = 10 + hz_len + tail_z_len + 8;
        req = malloc(blen + 512);
        n = snprintf(req, 512,
                     "POST /api/v1/reports HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                     "application/json\r\nContent-Encoding: gzip\r\nContent-Length: %zu\r\n\r\n",
                     blen);
        body = (unsigned char *)req + n;
        memcpy(body, "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
        memcpy(body + 10, hz, hz_len);
        memcpy(body + 10 + hz_len, tail_z, tail_z_len);
        for (int i = 0; i < 4; i++) {
                body[10 + hz_len + tail_z_len + i] = (unsigned char)(crc >> (8 * i));
                body[14 + hz_len + tail_z_len + i] = (unsigned char)(isize >> (8 * i));
        }
        *len = (size_t)n + blen;
        return req;
}

/* The event loop. */

static double *lat;
static size_t nlat, cap_lat;
static unsigned long long done_reports, done_handshakes, errors;
static int mode_handshakes, mode_hold;

static void watch(struct conn *c, uint32_t events, int op)
{
        struct epoll_event ev = { .events = events, .data.ptr = c };

        epoll_ctl(ep, op, c->fd, &ev);
}

static void conn_start(struct conn *c)
{
        c->fd = tcp_connect(1);
        if (c->fd < 0) {
                c->st = C_DEAD;
                errors++;
                return;
        }
        c->ssl = SSL_new(ctx);
        SSL_set_fd(c->ssl, c->fd);
        SSL_set_connect_state(c->ssl);
        SSL_set_tlsext_host_name(c->ssl, "localhost");
        SSL_use_certificate(c->ssl, c->agent->cert);
        SSL_use_PrivateKey(c->ssl, c->agent->key);
        c->st = C_HANDSHAKE;
        c->in_len = 0;
        /* Edge-triggered, registered once: step() always goes on until the
         * socket says EAGAIN, so no epoll_ctl per request. */
        watch(c, EPOLLIN | EPOLLOUT | EPOLLET, EPOLL_CTL_ADD);
}

static void conn_end(struct conn *c)
{
        epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
        SSL_free(c->ssl);
        close(c->fd);
        c->ssl = NULL;
        c->fd = -1;
}

static void next_report(struct conn *c)
{
        free(c->out);
        c->out = make_request(c->agent, &c->out_len);
        c->out_off = 0;
        c->in_len = 0;
        c->started = now();
        c->st = C_SEND;
}

static void step(struct conn *c)
{
        int n;

        for (;;) {
                switch (c->st) {
                case C_HANDSHAKE:
                        n = SSL_do_handshake(c->ssl);
                        if (n == 1) {
                                done_handshakes++;
                                if (mode_handshakes) {
                                        conn_end(c);
                                        conn_start(c);
                                        continue;
                                }
                                next_report(c);
                                continue;
                        }
                        goto want;
                case C_SEND:
                        n = SSL_write(c->ssl, c->out + c->out_off, (int)(c->out_len - c->out_off));
                        if (n > 0) {
                                c->out_off += (size_t)n;
                                if (c->out_off == c->out_len)
                                        c->st = C_RECV;
                                continue;
                        }
                        goto want;
                case C_RECV: {
                        char *end, *cl;

                        n = SSL_read(c->ssl, c->in + c->in_len,
                                     (int)(sizeof(c->in) - c->in_len - 1));
                        if (n <= 0)
                                goto want;
                        c->in_len += (size_t)n;
                        c->in[c->in_len] = '\0';
                        end = strstr(c->in, "\r\n\r\n");
                        cl = strstr(c->in, "Content-Length: ");
                        if (!end || !cl ||
                            c->in_len < (size_t)(end + 4 - c->in) + strtoul(cl + 16, NULL, 10))
                                continue;
                        if (strncmp(c->in, "HTTP/1.1 20", 11) != 0) {
                                errors++;
                                if (errors < 5)
                                        fprintf(stderr, "hygie-load: %.60s\n", c->in);
                        } else {
                                done_reports++;
                                if (nlat == cap_lat) {
                                        cap_lat = cap_lat ? cap_lat * 2 : 65536;
                                        lat = realloc(lat, cap_lat * sizeof(*lat));
                                }
                                lat[nlat++] = now() - c->started;
                        }
                        if (mode_hold) {
                                c->st = C_IDLE;
                                continue;
                        }
                        next_report(c);
                        continue;
                }
                case C_IDLE:
                        n = SSL_read(c->ssl, c->in, sizeof(c->in));
                        if (n > 0)
                                continue;
                        goto want;
                default:
                        return;
                }
        want:
                switch (SSL_get_error(c->ssl, n)) {
                case SSL_ERROR_WANT_READ:
                case SSL_ERROR_WANT_WRITE:
                        return;
                default:
                        errors++;
                        if (errors <= 3) {
                                fprintf(stderr, "hygie-load: TLS error %d (errno %d) in state %d\n",
                                        SSL_get_error(c->ssl, n), errno, c->st);
                                ERR_print_errors_fp(stderr);
                        }
                        ERR_clear_error();
                        conn_end(c);
                        if (mode_hold) {
                                c->st = C_DEAD;
                                return;
                        }
                        conn_start(c);
                        return;
                }
        }
}

static double cpu_seconds(int pid)
{
        char path[64], buf[1024], *p;
        unsigned long ut, st;
        FILE *f;

        snprintf(path, sizeof(path), "/proc/%d/stat", pid);
        f = fopen(path, "r");
        if (!f || !fgets(buf, sizeof(buf), f)) {
                if (f)
                        fclose(f);
                return 0;
        }
        fclose(f);
        p = strrchr(buf, ')');
        if (!p ||
            sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
                return 0;
        return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static long rss_kib(int pid)
{
        char path[64], line[256];
        long v = 0;
        FILE *f;

        snprintf(path, sizeof(path), "/proc/%d/status", pid);
        if (!(f = fopen(path, "r")))
                return 0;
        while (fgets(line, sizeof(line), f))
                if (sscanf(line, "VmRSS: %ld", &v) == 1)
                        break;
        fclose(f);
        return v;
}

static int cmp_double(const void *a, const void *b)
{
        double x = *(const double *)a, y = *(const double *)b;

        return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
        static const struct option opts[] = {
                { "port", required_argument, NULL, 'p' },
                { "ca", required_argument, NULL, 'a' },
                { "token", required_argument, NULL, 't' },
                { "agents", required_argument, NULL, 'n' },
                { "connections", required_argument, NULL, 'c' },
                { "seconds", required_argument, NULL, 's' },
                { "mode", required_argument, NULL, 'm' },
                { "pid", required_argument, NULL, 'P' },
                { 0 },
        };
        const char *ca = NULL, *token = NULL, *mode = "reports";
        int nagents = 100, nconns = 32, pid = 0, c;
        double seconds = 10, t0, cpu0, self0, elapsed;
        struct agent *agents;
        struct conn *conns;
        struct rlimit rl;
        struct epoll_event evs[256];

        while ((c = getopt_long(argc, argv, "p:a:t:n:c:s:m:P:", opts, NULL)) != -1) {
                switch (c) {
                case 'p':
                        port = atoi(optarg);
                        break;
                case 'a':
                        ca = optarg;
                        break;
                case 't':
                        token = optarg;
                        break;
                case 'n':
                        nagents = atoi(optarg);
                        break;
                case 'c':
                        nconns = atoi(optarg);
                        break;
                case 's':
                        seconds = atof(optarg);
                        break;
                case 'm':
                        mode = optarg;
                        break;
                case 'P':
                        pid = atoi(optarg);
                        break;
                default:
                        return 2;
                }
        }
        if (!ca || !token || nagents < 1 || nconns < 1) {
                fprintf(stderr, "usage: hygie-load --ca CA.crt --token T [--port P] [--agents N] "
                                "[--connections C] [--seconds S] "
                                "[--mode reports|handshakes|hold] [--pid SERVER_PID]\n");
                return 2;
        }
        mode_handshakes = strcmp(mode, "handshakes") == 0;
        mode_hold = strcmp(mode, "hold") == 0;
        if (mode_hold)
                nconns = nagents;
        if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
                rl.rlim_cur = rl.rlim_max;
                setrlimit(RLIMIT_NOFILE, &rl);
        }
        addr.sin_family = AF_INET;
        addr.sin_port = htons((uint16_t)port);
        inet_pton(AF_INET, host, &addr.sin_addr);
        ctx = SSL_CTX_new(TLS_client_method());
        SSL_CTX_load_verify_locations(ctx, ca, NULL);
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
        /* Every handshake is a full one. */
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
        SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
        /* Whole reads rather than a record header and then its body. */
        SSL_CTX_set_read_ahead(ctx, 1);
        make_tail();
        agents = calloc((size_t)nagents, sizeof(*agents));
        t0 = now();
        enroll(agents, nagents, token);
        fprintf(stderr, "hygie-load: %d agents enrolled in %.1f s\n", nagents, now() - t0);

        ep = epoll_create1(EPOLL_CLOEXEC);
        conns = calloc((size_t)nconns, sizeof(*conns));
        cpu0 = pid ? cpu_seconds(pid) : 0;
        self0 = cpu_seconds(getpid());
        t0 = now();
        for (int i = 0; i < nconns; i++) {
                conns[i].agent = &agents[i % nagents];
                conn_start(&conns[i]);
        }
        for (;;) {
                int n = epoll_wait(ep, evs, 256, 100);

                for (int i = 0; i < n; i++)
                        step(evs[i].data.ptr);
                elapsed = now() - t0;
                if (mode_hold ? done_reports + errors >= (unsigned long long)nconns
                              : elapsed >= seconds)
                        break;
        }
        elapsed = now() - t0;
        if (nlat)
                qsort(lat, nlat, sizeof(*lat), cmp_double);
        if (mode_handshakes) {
                double cpu = pid ? cpu_seconds(pid) - cpu0 : 0;

                printf("handshakes: %llu in %.1f s = %.0f/s", done_handshakes, elapsed,
                       (double)done_handshakes / elapsed);
                if (pid && cpu > 0)
                        printf(", collector CPU %.2f s = %.0f per core-second", cpu,
                               (double)done_handshakes / cpu);
                printf(", errors %llu\n", errors);
        } else if (mode_hold) {
                sleep(1);
                printf("held: %llu agents connected and reported (%llu errors) in %.1f s",
                       done_reports, errors, elapsed);
                if (pid)
                        printf(", collector RSS %.1f MiB", (double)rss_kib(pid) / 1024);
                printf("\n");
        } else {
                double cpu = pid ? cpu_seconds(pid) - cpu0 : 0;

                printf("reports: %llu in %.1f s = %.0f/s, p50 %.1f ms, p99 %.1f ms, errors %llu",
                       done_reports, elapsed, (double)done_reports / elapsed,
                       nlat ? lat[nlat / 2] * 1000 : 0, nlat ? lat[nlat * 99 / 100] * 1000 : 0,
                       errors);
                if (pid && done_reports)
                        printf(", collector CPU %.0f us/report", cpu / (double)done_reports * 1e6);
                if (done_reports)
                        printf(", load generator %.0f us/report",
                               (cpu_seconds(getpid()) - self0) / (double)done_reports * 1e6);
                printf(" (report %zu bytes of JSON, %zu gzip'd)\n", tail_len + 200,
                       tail_z_len + 60);
        }
        return 0;
}
