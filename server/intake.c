/* intake.c - the report validator: untrusted JSON to checked fields.
 *
 * One streaming pass (yajl) with no tree: the fields the collector uses are
 * checked as they go by and copied into one buffer; everything else (the
 * facts above all) is checked to be JSON that the collector's own readers
 * (jansson) take back, within the bounds of report_limits.h. A report's
 * tree would cost tens of times its size and most of the parse. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <yajl/yajl_parse.h>

#include "checks.h"
#include "digest.h"
#include "gzip.h"
#include "intake.h"
#include "util.h"

#define DEPTH_MAX REPORT_DEPTH_MAX

bool intake_uuid_ok(const char *s)
{
        for (int i = 0; i < 36; i++) {
                bool dash = i == 8 || i == 13 || i == 18 || i == 23;

                if (dash ? s[i] != '-'
                         : !((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
                        return false;
        }
        return s[36] == '\0';
}

/* family.name: lower-case letters, digits and '_', one dot, at most 63 bytes. */
static bool check_id_ok(const char *s, size_t n)
{
        size_t dots = 0;

        if (n == 0 || n > 63 || s[0] == '.' || s[n - 1] == '.')
                return false;
        for (size_t i = 0; i < n; i++) {
                if (s[i] == '.')
                        dots++;
                else if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
                           s[i] == '_'))
                        return false;
        }
        return dots == 1;
}

static bool hex_ok(const unsigned char *s, size_t n, size_t max)
{
        if (n == 0 || n > max)
                return false;
        for (size_t i = 0; i < n; i++)
                if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
                        return false;
        return true;
}

/* A non-negative integer written plainly, within max. */
static bool whole_ok(const char *s, size_t n, long long max, long long *out)
{
        long long v = 0;

        if (n == 0 || n > 18)
                return false;
        for (size_t i = 0; i < n; i++) {
                if (s[i] < '0' || s[i] > '9')
                        return false;
                v = v * 10 + (s[i] - '0');
        }
        if (v > max)
                return false;
        *out = v;
        return true;
}

/* "YYYY-MM-DDTHH:MM:SSZ" to Unix time: a real moment, written the one way
 * (no February 30, no 24:00, no leap second), from 2020 on. */
static bool time_ok(const unsigned char *s, size_t n, long long *out)
{
        struct tm tm = { 0 }, back;
        char buf[21], again[21];
        time_t t;

        if (n != 20)
                return false;
        memcpy(buf, s, 20);
        buf[20] = '\0';
        if (sscanf(buf, "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                   &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
                return false;
        tm.tm_year -= 1900;
        tm.tm_mon -= 1;
        t = timegm(&tm);
        if (t < REPORT_TIME_MIN || !gmtime_r(&t, &back) ||
            !strftime(again, sizeof(again), "%Y-%m-%dT%H:%M:%SZ", &back) || strcmp(again, buf))
                return false;
        *out = (long long)t;
        return true;
}

/* A number jansson reads back: an integer within 64 bits, a real that does
 * not overflow. */
static bool number_ok(const char *s, size_t n)
{
        char buf[512], *end;

        if (n >= sizeof(buf))
                return false;
        memcpy(buf, s, n);
        buf[n] = '\0';
        errno = 0;
        if (!strpbrk(buf, ".eE")) {
                (void)strtoll(buf, &end, 10);
                return errno != ERANGE && *end == '\0';
        }
        double v = strtod(buf, &end);

        return !(errno == ERANGE && isinf(v)) && *end == '\0';
}

#define REMEDIATION_MAX 2048 /* bytes of what to do an alert keeps */

/* Where the parser is: the kind of each open container. */
enum where {
        W_ROOT,
        W_AGENT,
        W_FACTS,
        W_FINDINGS,
        W_FINDING,
        W_TEXTS,
        W_TEXT,
        W_UNCHANGED,
        W_OTHER
};

/* The keys the collector reads, per container; bit i of "seen" is key i. */
enum { K_SCHEMA, K_REPORT_ID, K_SEQ, K_AGENT, K_COLLECTED_AT, K_FACTS, K_FINDINGS, K_UNCHANGED };
#define K_REQUIRED K_UNCHANGED /* the keys before it */
enum { A_ID, A_HOSTNAME, A_INTERVAL, A_MACHINE };
enum { F_CHECK, F_STATUS, F_SEVERITY, F_SUMMARY, F_SUBJECT, F_TEXTS, F_REMEDIATION };
enum { T_FR };
enum { X_SUMMARY, X_REMEDIATION };

static const char *const root_keys[] = { "schema",   "report_id",    "seq",
                                         "agent",    "collected_at", "facts",
                                         "findings", "unchanged",    NULL };
static const char *const agent_keys[] = { "id", "hostname", "interval", "machine", NULL };
static const char *const finding_keys[] = { "check",   "status", "severity",    "summary",
                                            "subject", "texts",  "remediation", NULL };
/* A finding's texts in other languages than its own English: those the
 * collector shows (French), each a summary and a remediation. */
static const char *const texts_keys[] = { "fr", NULL };
static const char *const text_keys[] = { "summary", "remediation", NULL };

/* A finding under way: its strings are offsets until the buffer stays put;
 * its text lies at [at, end). */
struct pending {
        size_t check, subject, summary, summary_fr, remediation, remediation_fr;
        size_t at, end;
        int status, severity;
};

/* A family of facts: its name (an offset in strings) and where its value
 * lies (from the key's end: a colon and blanks come first). */
struct facts_span {
        size_t name, at, end;
};

/* A block the agent sent before: its name (an offset in strings), its
 * digest. */
struct unchanged {
        size_t name;
        char digest[DIGEST_HEX];
};

enum part_kind { PART_OTHER, PART_FAMILY, PART_FINDING };

/* A value whose text is bounded: where it started, its limit, its name. */
struct part {
        size_t start, max;
        int depth; /* of the container holding it */
        enum part_kind kind;
        char name[48];
};

struct sax {
        struct intake *in;
        struct error *e;
        yajl_handle h; /* for the offset of each token */
        int rc;
        int depth;
        struct part part; /* the bounded value under way, max 0 none */
        struct facts_span fam[REPORT_FAMILIES_MAX];
        size_t families;
        size_t facts[2], findings[2], unchanged[2]; /* where the root's members lie */
        struct unchanged *uv;                       /* "unchanged" */
        size_t nunchanged, ucap, uname;
        size_t end; /* where the document's last brace ends */
        enum where where[DEPTH_MAX];
        int key;          /* the key whose value comes next in the open container, -1 other */
        unsigned seen[5]; /* root, agent, the finding under way, its texts, one language's */
        size_t nfindings, fcap;
        struct pending *fv;
        size_t hostname;
        char *strings;
        size_t len, cap;
};

static int fail(struct sax *x, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(struct sax *x, const char *path, const char *fmt, ...)
{
        char msg[200];
        va_list ap;

        if (x->rc == 0) {
                va_start(ap, fmt);
                vsnprintf(msg, sizeof(msg), fmt, ap);
                va_end(ap);
                error_set(x->e, "", 0, "%s: %s", path, msg);
                x->rc = -EINVAL;
        }
        return 0; /* stops yajl */
}

static int finding_fail(struct sax *x, const char *what)
{
        char path[32];

        snprintf(path, sizeof(path), "findings[%zu]", x->nfindings - 1);
        return fail(x, path, "%s", what);
}

/* Keeps a string; its offset in *off. */
static int keep(struct sax *x, const unsigned char *s, size_t n, size_t *off)
{
        if (x->len + n + 1 > x->cap) {
                size_t cap = x->cap ? x->cap : 4096;
                char *p;

                while (cap < x->len + n + 1)
                        cap *= 2;
                if (!(p = realloc(x->strings, cap))) {
                        x->rc = -ENOMEM;
                        return 0;
                }
                x->strings = p;
                x->cap = cap;
        }
        memcpy(x->strings + x->len, s, n);
        x->strings[x->len + n] = '\0';
        *off = x->len;
        x->len += n + 1;
        return 1;
}

static enum where here(const struct sax *x)
{
        return x->depth > 0 && x->depth <= DEPTH_MAX ? x->where[x->depth - 1] : W_OTHER;
}

/* Starts bounding the value that comes next, held at the current depth. */
static void part_start(struct sax *x, size_t max, enum part_kind kind, const char *fmt,
                       const char *arg)
{
        x->part.start = yajl_get_bytes_consumed(x->h);
        x->part.max = max;
        x->part.depth = x->depth;
        x->part.kind = kind;
        snprintf(x->part.name, sizeof(x->part.name), fmt, arg);
}

/* A value ended back at depth: was it within its bound? */
static int part_end(struct sax *x)
{
        size_t size, max = x->part.max;

        if (!max || x->depth != x->part.depth)
                return 1;
        size = yajl_get_bytes_consumed(x->h) - x->part.start;
        x->part.max = 0;
        if (x->part.kind == PART_FAMILY)
                x->fam[x->families - 1].end = x->part.start + size;
        else if (x->part.kind == PART_FINDING)
                x->fv[x->nfindings - 1].end = x->part.start + size;
        return size <= max ? 1 : fail(x, x->part.name, "larger than %zu bytes", max);
}

/* A scalar or a container starts as the value of x->key: may it? type is
 * 's'tring, 'n'umber, 'b'oolean, 0 null, '{' or '['. */
static int value(struct sax *x, char type, const unsigned char *s, size_t n)
{
        enum where w = here(x);
        int k = x->key;

        x->key = -1;
        if (x->depth == 0)
                return type == '{' ? 1 : fail(x, "report", "not an object");
        if (w == W_UNCHANGED) {
                struct unchanged *u;

                if (type != 's' || !hex_ok(s, n, DIGEST_HEX - 1) || n != DIGEST_HEX - 1)
                        return fail(x, "unchanged", "a digest is not %d hexadecimal digits",
                                    DIGEST_HEX - 1);
                if (x->nunchanged == UNCHANGED_MAX)
                        return fail(x, "unchanged", "more than %d names", UNCHANGED_MAX);
                if (x->nunchanged == x->ucap) {
                        size_t cap = x->ucap ? 2 * x->ucap : 64;

                        if (!(u = realloc(x->uv, cap * sizeof(*u)))) {
                                x->rc = -ENOMEM;
                                return 0;
                        }
                        x->uv = u;
                        x->ucap = cap;
                }
                u = &x->uv[x->nunchanged++];
                u->name = x->uname;
                memcpy(u->digest, s, n);
                u->digest[n] = '\0';
                return 1;
        }
        if (w == W_FINDINGS) {
                struct pending *f;
                char index[24];

                if (type != '{') {
                        x->nfindings++;
                        return finding_fail(x, "not an object");
                }
                if (x->nfindings == INTAKE_FINDINGS_MAX)
                        return fail(x, "findings", "too many");
                if (x->nfindings == x->fcap) {
                        size_t cap = x->fcap ? x->fcap * 2 : 64;
                        struct pending *v = realloc(x->fv, cap * sizeof(*v));

                        if (!v) {
                                x->rc = -ENOMEM;
                                return 0;
                        }
                        x->fv = v;
                        x->fcap = cap;
                }
                f = &x->fv[x->nfindings++];
                f->check = f->subject = f->summary = f->summary_fr = SIZE_MAX;
                f->remediation = f->remediation_fr = SIZE_MAX;
                f->at = f->end = 0;
                x->seen[2] = 0;
                snprintf(index, sizeof(index), "%zu", x->nfindings - 1);
                part_start(x, REPORT_FINDING_MAX, PART_FINDING, "findings[%s]", index);
                /* The object's text begins at its brace, just read. */
                f->at = x->part.start ? x->part.start - 1 : 0;
                return 1;
        }
        if (w == W_ROOT) {
                switch (k) {
                case K_SCHEMA:
                        return type == 's' && n == 14 && memcmp(s, "hygie.report/1", 14) == 0
                                   ? 1
                                   : fail(x, "schema", "not \"hygie.report/1\"");
                case K_REPORT_ID:
                        if (type != 's' || n != 36)
                                return fail(x, "report_id", "not a UUID");
                        memcpy(x->in->report_id, s, 36);
                        x->in->report_id[36] = '\0';
                        return intake_uuid_ok(x->in->report_id)
                                   ? 1
                                   : fail(x, "report_id", "not a UUID");
                case K_SEQ:
                        return type == 'n' && whole_ok((const char *)s, n, 1LL << 53, &x->in->seq)
                                   ? 1
                                   : fail(x, "seq", "not a non-negative integer");
                case K_AGENT:
                        return type == '{' ? 1 : fail(x, "agent", "not an object");
                case K_COLLECTED_AT:
                        return type == 's' && time_ok(s, n, &x->in->collected_at)
                                   ? 1
                                   : fail(x, "collected_at",
                                          "not a UTC time (YYYY-MM-DDTHH:MM:SSZ)");
                case K_FACTS:
                        x->facts[0] = yajl_get_bytes_consumed(x->h);
                        return type == '{' ? 1 : fail(x, "facts", "not an object");
                case K_FINDINGS:
                        x->findings[0] = yajl_get_bytes_consumed(x->h);
                        return type == '[' ? 1 : fail(x, "findings", "not an array");
                case K_UNCHANGED:
                        x->unchanged[0] = yajl_get_bytes_consumed(x->h);
                        return type == '{' ? 1 : fail(x, "unchanged", "not an object");
                }
                return 1;
        }
        if (w == W_AGENT) {
                switch (k) {
                case A_ID:
                        if (type != 's' || n != 36)
                                return fail(x, "agent.id", "not a UUID");
                        memcpy(x->in->agent_id, s, 36);
                        x->in->agent_id[36] = '\0';
                        return intake_uuid_ok(x->in->agent_id) ? 1
                                                               : fail(x, "agent.id", "not a UUID");
                case A_HOSTNAME:
                        if (type != 's' || !util_line_ok((const char *)s, n, 255))
                                return fail(x, "agent.hostname",
                                            "not a host name of at most 255 bytes");
                        return keep(x, s, n, &x->hostname);
                case A_INTERVAL:
                        return type == 'n' &&
                                       whole_ok((const char *)s, n, 30 * 86400, &x->in->interval) &&
                                       x->in->interval >= 60
                                   ? 1
                                   : fail(x, "agent.interval",
                                          "not a number of seconds from 60 to 30 days");
                case A_MACHINE:
                        if (type == 0)
                                return 1;
                        if (type != 's' || !hex_ok(s, n, 64))
                                return fail(x, "agent.machine", "not a hexadecimal digest");
                        memcpy(x->in->machine, s, n);
                        x->in->machine[n] = '\0';
                        return 1;
                }
                return 1;
        }
        if (w == W_FINDING) {
                struct pending *f = &x->fv[x->nfindings - 1];
                char word[16] = "";

                if (type == 's' && n < sizeof(word) && !memchr(s, 0, n)) {
                        memcpy(word, s, n);
                        word[n] = '\0';
                }
                switch (k) {
                case F_CHECK:
                        if (type != 's' || !check_id_ok((const char *)s, n))
                                return finding_fail(x, "\"check\" is not a check id (family.name)");
                        return keep(x, s, n, &f->check);
                case F_STATUS:
                        return (f->status = status_from_name(word)) >= 0 && type == 's'
                                   ? 1
                                   : finding_fail(x, "\"status\" is not pass, warn, fail, error "
                                                     "or skip");
                case F_SEVERITY:
                        return (f->severity = severity_from_name(word)) >= 0 && type == 's'
                                   ? 1
                                   : finding_fail(x, "\"severity\" is not info, low, medium, "
                                                     "high or critical");
                case F_SUMMARY:
                        if (type != 's' || !util_line_ok((const char *)s, n, 1024))
                                return finding_fail(x, "\"summary\" is not a line of text of at "
                                                       "most 1024 bytes");
                        return keep(x, s, n, &f->summary);
                case F_SUBJECT:
                        if (type == 0)
                                return 1;
                        if (type != 's' || !util_line_ok((const char *)s, n, 255))
                                return finding_fail(x, "\"subject\" is not a line of text of at "
                                                       "most 255 bytes");
                        return keep(x, s, n, &f->subject);
                case F_REMEDIATION:
                        /* Kept when it is a line of text; anything else is
                         * the body's only, not a reason to refuse. */
                        if (type == 's' && util_line_ok((const char *)s, n, REMEDIATION_MAX))
                                return keep(x, s, n, &f->remediation);
                        return 1;
                case F_TEXTS:
                        x->seen[3] = 0;
                        return type == '{' ? 1 : finding_fail(x, "\"texts\" is not an object");
                }
        }
        if (w == W_TEXTS && k == T_FR) {
                x->seen[4] = 0;
                return type == '{' ? 1 : finding_fail(x, "\"texts.fr\" is not an object");
        }
        if (w == W_TEXT && k == X_SUMMARY) {
                struct pending *f = &x->fv[x->nfindings - 1];

                if (type != 's' || !util_line_ok((const char *)s, n, 1024))
                        return finding_fail(x, "\"texts.fr.summary\" is not a line of text of "
                                               "at most 1024 bytes");
                return keep(x, s, n, &f->summary_fr);
        }
        if (w == W_TEXT && k == X_REMEDIATION) {
                struct pending *f = &x->fv[x->nfindings - 1];

                if (type == 's' && util_line_ok((const char *)s, n, REMEDIATION_MAX))
                        return keep(x, s, n, &f->remediation_fr);
        }
        return 1;
}

static int open_container(struct sax *x, char type)
{
        enum where w = here(x), next = W_OTHER;
        int k = x->key;

        if (!value(x, type, NULL, 0))
                return 0;
        if (x->depth == DEPTH_MAX)
                return fail(x, x->part.max ? x->part.name : "report", "nested deeper than %d",
                            DEPTH_MAX);
        if (x->depth == 0)
                next = W_ROOT;
        else if (w == W_ROOT && k == K_AGENT)
                next = W_AGENT;
        else if (w == W_ROOT && k == K_FACTS)
                next = W_FACTS;
        else if (w == W_ROOT && k == K_FINDINGS)
                next = W_FINDINGS;
        else if (w == W_ROOT && k == K_UNCHANGED)
                next = W_UNCHANGED;
        else if (w == W_FINDINGS)
                next = W_FINDING;
        else if (w == W_FINDING && k == F_TEXTS)
                next = W_TEXTS;
        else if (w == W_TEXTS && k == T_FR)
                next = W_TEXT;
        x->where[x->depth++] = next;
        return 1;
}

static int on_start_map(void *ctx)
{
        return open_container(ctx, '{');
}

static int on_start_array(void *ctx)
{
        return open_container(ctx, '[');
}

static int on_end_map(void *ctx)
{
        struct sax *x = ctx;
        enum where w = here(x);

        if (w == W_FACTS)
                x->facts[1] = yajl_get_bytes_consumed(x->h);
        else if (w == W_UNCHANGED)
                x->unchanged[1] = yajl_get_bytes_consumed(x->h);
        if (w == W_FINDING) {
                unsigned need = 1u << F_CHECK | 1u << F_STATUS | 1u << F_SEVERITY | 1u << F_SUMMARY;

                if ((x->seen[2] & need) != need)
                        return finding_fail(x, "\"check\", \"status\", \"severity\" and "
                                               "\"summary\" are required");
        } else if (w == W_AGENT) {
                if (!(x->seen[1] & 1u << A_ID))
                        return fail(x, "agent.id", "not a UUID");
                if (!(x->seen[1] & 1u << A_HOSTNAME))
                        return fail(x, "agent.hostname", "not a host name of at most 255 bytes");
        }
        if (--x->depth == 0)
                x->end = yajl_get_bytes_consumed(x->h);
        return part_end(x);
}

static int on_end_array(void *ctx)
{
        struct sax *x = ctx;

        if (here(x) == W_FINDINGS)
                x->findings[1] = yajl_get_bytes_consumed(x->h);
        x->depth--;
        return part_end(x);
}

/* A string (a value or a key) jansson takes back: well-formed UTF-8 (no
 * overlong form, no surrogate) without NUL. */
static int string_ok(struct sax *x, const unsigned char *s, size_t n)
{
        return util_utf8_ok((const char *)s, n)
                   ? 1
                   : fail(x, x->part.max ? x->part.name : "report",
                          "a string is not well-formed UTF-8, or holds \\u0000");
}

/* A family of facts: lower-case letters, digits and '_', 1 to 32 bytes. */
static bool family_ok(const unsigned char *s, size_t n)
{
        if (n == 0 || n > 32)
                return false;
        for (size_t i = 0; i < n; i++)
                if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
                        return false;
        return true;
}

static int on_key(void *ctx, const unsigned char *s, size_t n)
{
        struct sax *x = ctx;
        enum where w = here(x);
        const char *const *keys = w == W_ROOT      ? root_keys
                                  : w == W_AGENT   ? agent_keys
                                  : w == W_FINDING ? finding_keys
                                  : w == W_TEXTS   ? texts_keys
                                  : w == W_TEXT    ? text_keys
                                                   : NULL;
        unsigned *seen = w == W_ROOT      ? &x->seen[0]
                         : w == W_AGENT   ? &x->seen[1]
                         : w == W_FINDING ? &x->seen[2]
                         : w == W_TEXTS   ? &x->seen[3]
                                          : &x->seen[4];
        char name[33];

        x->key = -1;
        if (!string_ok(x, s, n))
                return 0;
        if (w == W_UNCHANGED) {
                if (!family_ok(s, n) && !check_id_ok((const char *)s, n))
                        return fail(x, "unchanged", "a name is neither a family nor a check id");
                return keep(x, s, n, &x->uname);
        }
        if (w == W_FACTS) {
                if (!family_ok(s, n))
                        return fail(x, "facts",
                                    "a family is not named with a-z, 0-9 and _ "
                                    "(at most 32)");
                if (++x->families > REPORT_FAMILIES_MAX)
                        return fail(x, "facts", "more than %d families", REPORT_FAMILIES_MAX);
                memcpy(name, s, n);
                name[n] = '\0';
                if (!keep(x, s, n, &x->fam[x->families - 1].name))
                        return 0;
                part_start(x, REPORT_FAMILY_MAX, PART_FAMILY, "facts.%s", name);
                x->fam[x->families - 1].at = x->part.start;
                x->fam[x->families - 1].end = x->part.start;
                return 1;
        }
        for (int i = 0; keys && keys[i]; i++) {
                if (strlen(keys[i]) == n && memcmp(keys[i], s, n) == 0) {
                        if (*seen & 1u << i)
                                return fail(x, keys[i], "given twice");
                        *seen |= 1u << i;
                        x->key = i;
                        break;
                }
        }
        if (w == W_ROOT && x->key == K_AGENT)
                part_start(x, 4096, PART_OTHER, "%s", "agent");
        /* A member the collector does not read is bounded like a family. */
        if (w == W_ROOT && x->key < 0) {
                snprintf(name, sizeof(name), "%.*s", n < 32 ? (int)n : 32, (const char *)s);
                part_start(x, REPORT_FAMILY_MAX, PART_OTHER, "%s", name);
        }
        return 1;
}

static int on_string(void *ctx, const unsigned char *s, size_t n)
{
        return string_ok(ctx, s, n) && value(ctx, 's', s, n) && part_end(ctx);
}

static int on_number(void *ctx, const char *s, size_t n)
{
        struct sax *x = ctx;

        if (!number_ok(s, n))
                return fail(x, x->part.max ? x->part.name : "report",
                            "a number beyond what 64 bits hold");
        return value(ctx, 'n', (const unsigned char *)s, n) && part_end(ctx);
}

static int on_boolean(void *ctx, int v)
{
        (void)v;
        return value(ctx, 'b', NULL, 0) && part_end(ctx);
}

static int on_null(void *ctx)
{
        return value(ctx, 0, NULL, 0) && part_end(ctx);
}

static const yajl_callbacks callbacks = {
        .yajl_null = on_null,
        .yajl_boolean = on_boolean,
        .yajl_number = on_number,
        .yajl_string = on_string,
        .yajl_start_map = on_start_map,
        .yajl_map_key = on_key,
        .yajl_end_map = on_end_map,
        .yajl_start_array = on_start_array,
        .yajl_end_array = on_end_array,
};

/* The root's required keys, once the document is whole. */
static int check_complete(struct sax *x)
{
        static const char *const what[] = { "not \"hygie.report/1\"",
                                            "not a UUID",
                                            "not a non-negative integer",
                                            "not an object",
                                            "not a UTC time (YYYY-MM-DDTHH:MM:SSZ)",
                                            "not an object",
                                            "not an array" };

        for (int i = 0; i < K_REQUIRED; i++)
                if (!(x->seen[0] & 1u << i))
                        return fail(x, root_keys[i], "%s", what[i]);
        return 1;
}

/* The JSON value of family f, or NULL. */
static json_t *family_value(const char *text, const struct facts_span *f)
{
        return f && f->at < f->end
                   ? json_loadb(text + f->at, f->end - f->at, JSON_DISABLE_EOF_CHECK, NULL)
                   : NULL;
}

static void copy_line(char *dst, size_t size, const char *a, const char *b)
{
        snprintf(dst, size, "%s%s%s", a ? a : "", a && *a && b && *b ? " " : "", b ? b : "");
        for (char *p = dst; *p; p++)
                if ((unsigned char)*p < 0x20)
                        *p = ' ';
        util_utf8_trim(dst);
}

/* What the machine list shows, from the os and hardware facts (checked by
 * the parse: objects within their bounds, UTF-8 strings). */
static void machine_facts(struct machine_facts *m, const char *text, const struct facts_span *osf,
                          const struct facts_span *hwf)
{
        json_t *os = family_value(text, osf);
        json_t *hw = family_value(text, hwf);

        memset(m, 0, sizeof(*m));
        m->ram_mib = m->disk_gb = -1;
        if (json_is_object(os)) {
                m->os = true;
                copy_line(m->os_name, sizeof(m->os_name),
                          json_string_value(json_object_get(os, "pretty_name")), NULL);
        }
        if (json_is_object(hw)) {
                const json_t *dmi = json_object_get(hw, "dmi"), *d;
                const char *sys =
                    json_string_value(json_object_get(json_object_get(hw, "system_disk"), "name"));
                json_int_t kib =
                    json_integer_value(json_object_get(json_object_get(hw, "memory"), "total_kib"));
                size_t i;

                m->hardware = true;
                copy_line(m->model, sizeof(m->model),
                          json_string_value(json_object_get(dmi, "sys_vendor")),
                          json_string_value(json_object_get(dmi, "product_name")));
                if (kib > 0)
                        m->ram_mib = kib / 1024;
                json_array_foreach(json_object_get(hw, "disks"), i, d)
                {
                        const char *name = json_string_value(json_object_get(d, "name"));
                        const json_t *rot = json_object_get(d, "rotational");
                        json_int_t bytes = json_integer_value(json_object_get(d, "size_bytes"));

                        if (!sys || !name || strcmp(name, sys) != 0)
                                continue;
                        if (json_is_boolean(rot))
                                snprintf(m->disk, sizeof(m->disk), "%s",
                                         json_is_true(rot) ? "hdd" : "ssd");
                        if (bytes > 0)
                                m->disk_gb = bytes / 1000000000;
                        break;
                }
        }
        json_decref(os);
        json_decref(hw);
}

/* The \uXXXX escape at s (after the backslash and 'u'), or -1. */
static long escape_at(const char *s, const char *end)
{
        long v = 0;

        if (end - s < 4)
                return -1;
        for (int i = 0; i < 4; i++) {
                int h = s[i] >= '0' && s[i] <= '9'   ? s[i] - '0'
                        : s[i] >= 'a' && s[i] <= 'f' ? s[i] - 'a' + 10
                        : s[i] >= 'A' && s[i] <= 'F' ? s[i] - 'A' + 10
                                                     : -1;

                if (h < 0)
                        return -1;
                v = v * 16 + h;
        }
        return v;
}

/* Where a string escapes half of a UTF-16 surrogate pair alone, which yajl
 * lets through as '?' and jansson refuses; len when none. */
static size_t lone_surrogate(const char *text, size_t len)
{
        const char *p = text, *end = text + len;
        bool in_string = false;

        for (; p < end; p++) {
                long c, next;

                if (*p == '"') {
                        in_string = !in_string;
                        continue;
                }
                if (!in_string || *p != '\\' || p + 1 >= end)
                        continue;
                if (p[1] != 'u') {
                        p++; /* \" and \\ among them */
                        continue;
                }
                c = escape_at(p + 2, end);
                if (c >= 0xdc00 && c <= 0xdfff)
                        return (size_t)(p - text);
                if (c >= 0xd800 && c <= 0xdbff) {
                        next = end - p >= 12 && p[6] == '\\' && p[7] == 'u' ? escape_at(p + 8, end)
                                                                            : -1;
                        if (next < 0xdc00 || next > 0xdfff)
                                return (size_t)(p - text);
                        p += 6;
                }
                p += 5;
        }
        return len;
}

/* Where the parse left a family's value and a finding's object, to the
 * exact text: a family from after its key's colon and blanks, a finding
 * from its brace. */
static void exact_spans(const char *text, struct sax *x)
{
        for (size_t i = 0; i < x->families; i++) {
                struct facts_span *f = &x->fam[i];

                while (f->at < f->end && strchr(" \t\r\n:", text[f->at]))
                        f->at++;
                while (f->end > f->at && strchr(" \t\r\n", text[f->end - 1]))
                        f->end--;
        }
        for (size_t i = 0; i < x->nfindings; i++) {
                struct pending *f = &x->fv[i];

                while (f->at < f->end && text[f->at] != '{')
                        f->at++;
        }
}

static const struct facts_span *family_named(const struct sax *x, const char *name)
{
        for (size_t i = 0; i < x->families; i++)
                if (strcmp(x->strings + x->fam[i].name, name) == 0)
                        return &x->fam[i];
        return NULL;
}

/* A finding, to order them by check and then by place. */
struct order {
        const char *check;
        size_t i;
};

static int by_check(const void *a, const void *b)
{
        const struct order *x = a, *y = b;
        int c = strcmp(x->check, y->check);

        return c ? c : x->i < y->i ? -1 : x->i > y->i;
}

/* The digest of block b, whose parts are in in->parts. */
static int block_digest(const struct intake *in, const char *text, struct store_block *b)
{
        struct digest d;

        if (digest_begin(&d) < 0)
                return -ENOMEM;
        if (b->list)
                digest_add(&d, "[", 1);
        for (size_t i = 0; i < b->nparts; i++) {
                const size_t *p = in->parts[b->first + i];

                if (i > 0)
                        digest_add(&d, ",", 1);
                digest_add(&d, text + p[0], p[1] - p[0]);
        }
        if (b->list)
                digest_add(&d, "]", 1);
        return digest_end(&d, b->digest);
}

/* The report's blocks: each family's facts, then each check's findings. */
static int blocks(struct intake *in, const char *text, const struct sax *x)
{
        size_t n = x->families + x->nfindings, nb = 0;
        struct order *o = NULL;
        int rc = 0;

        if (n == 0)
                return 0;
        in->blocks = calloc(n, sizeof(*in->blocks));
        in->parts = calloc(n, sizeof(*in->parts));
        o = calloc(x->nfindings + 1, sizeof(*o));
        if (!in->blocks || !in->parts || !o) {
                free(o);
                return -ENOMEM;
        }
        for (size_t i = 0; i < x->families; i++) {
                in->parts[i][0] = x->fam[i].at;
                in->parts[i][1] = x->fam[i].end;
                in->blocks[nb++] = (struct store_block){ .name = in->strings + x->fam[i].name,
                                                         .first = i,
                                                         .nparts = 1 };
        }
        for (size_t i = 0; i < x->nfindings; i++)
                o[i] = (struct order){ in->findings[i].check, i };
        qsort(o, x->nfindings, sizeof(*o), by_check);
        for (size_t i = 0; i < x->nfindings; i++) {
                size_t at = x->families + i;

                in->parts[at][0] = x->fv[o[i].i].at;
                in->parts[at][1] = x->fv[o[i].i].end;
                if (i == 0 || strcmp(o[i].check, o[i - 1].check) != 0)
                        in->blocks[nb++] =
                            (struct store_block){ .name = o[i].check, .list = true, .first = at };
                in->blocks[nb - 1].nparts++;
        }
        free(o);
        in->nblocks = nb;
        for (size_t i = 0; i < nb && rc == 0; i++)
                rc = block_digest(in, text, &in->blocks[i]);
        return rc;
}

/* The container at span, from its opening bracket b (the parse's offsets
 * may be just past it) to its end. */
static void bracket(const char *text, size_t span[2], char b)
{
        while (span[0] > 0 && text[span[0]] != b)
                span[0]--;
}

static int by_start(const void *a, const void *b)
{
        const size_t *x = *(const size_t *const *)a, *y = *(const size_t *const *)b;

        return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* The report without its facts, findings and unchanged blocks, which the
 * blocks hold: its envelope, gzip'd, as the collector keeps it. Each of
 * those containers is emptied: "facts":{...} becomes "facts":{}. */
static int envelope(struct intake *in, const char *text, size_t len, struct sax *x)
{
        size_t *spans[3] = { x->facts, x->findings, x->unchanged }, at = 0, from = 0, n = 2;
        char *buf = malloc(len + 1);
        int rc;

        if (!buf)
                return -ENOMEM;
        bracket(text, x->facts, '{');
        bracket(text, x->findings, '[');
        if (x->unchanged[1]) {
                bracket(text, x->unchanged, '{');
                n = 3;
        }
        qsort(spans, n, sizeof(spans[0]), by_start);
        for (size_t i = 0; i < n; i++) {
                memcpy(buf + at, text + from, spans[i][0] + 1 - from);
                at += spans[i][0] + 1 - from;
                buf[at++] = text[spans[i][1] - 1];
                from = spans[i][1];
        }
        memcpy(buf + at, text + from, len - from);
        at += len - from;
        rc = gzip_compress(buf, at, 6, &in->envelope, &in->envelope_len);
        free(buf);
        return rc;
}

int intake_parse(struct intake *in, const char *text, size_t len, struct error *e)
{
        struct sax x = { .in = in, .e = e, .key = -1 };
        size_t lone;
        yajl_handle h;
        yajl_status st;

        memset(in, 0, sizeof(*in));
        in->interval = 3600;
        h = yajl_alloc(&callbacks, NULL, &x);
        if (!h)
                return -ENOMEM;
        x.h = h;
        /* yajl takes form feeds and vertical tabs for blanks; JSON does not,
         * and a string holds no raw control character either. */
        if (memchr(text, '\f', len) || memchr(text, '\v', len))
                fail(&x, "report", "a form feed or vertical tab outside a string");
        else if ((lone = lone_surrogate(text, len)) < len)
                fail(&x, "report", "a \\u escape near byte %zu is half of a UTF-16 pair alone",
                     lone);
        st = x.rc ? yajl_status_ok : yajl_parse(h, (const unsigned char *)text, len);
        if (st == yajl_status_ok)
                st = yajl_complete_parse(h);
        if (x.rc == 0 && st != yajl_status_ok) {
                unsigned char *why = yajl_get_error(h, 0, (const unsigned char *)text, len);
                size_t at = yajl_get_bytes_consumed(h);

                error_set(e, "", 0, "not JSON: %s near byte %zu",
                          why ? (const char *)why : "syntax error", at);
                if (why)
                        yajl_free_error(h, why);
                x.rc = -EINVAL;
        }
        yajl_free(h);
        /* yajl lets a token cut short after the document pass: only
         * blanks may follow it. */
        for (size_t i = x.end; x.rc == 0 && x.end > 0 && i < len; i++)
                if (!strchr(" \t\r\n", text[i]) || !text[i])
                        fail(&x, "report", "bytes after the document");
        if (x.rc == 0)
                check_complete(&x);
        if (x.rc == 0 && x.nfindings > 0 &&
            !(in->findings = calloc(x.nfindings, sizeof(*in->findings))))
                x.rc = -ENOMEM;
        if (x.rc == 0) {
                exact_spans(text, &x);
                machine_facts(&in->facts, text, family_named(&x, "os"),
                              family_named(&x, "hardware"));
        }
        if (x.rc == 0) {
                /* Offsets become pointers now that the buffer stays put. */
                in->strings = x.strings;
                x.strings = NULL;
                in->hostname = in->strings + x.hostname;
                in->nfindings = x.nfindings;
                for (size_t i = 0; i < x.nfindings; i++) {
                        struct pending *f = &x.fv[i];

                        in->findings[i] = (struct store_finding){
                                .check = in->strings + f->check,
                                .summary = in->strings + f->summary,
                                .summary_fr =
                                    f->summary_fr == SIZE_MAX ? NULL : in->strings + f->summary_fr,
                                .remediation = f->remediation == SIZE_MAX
                                                   ? NULL
                                                   : in->strings + f->remediation,
                                .remediation_fr = f->remediation_fr == SIZE_MAX
                                                      ? NULL
                                                      : in->strings + f->remediation_fr,
                                .subject = f->subject == SIZE_MAX ? "" : in->strings + f->subject,
                                .status = f->status,
                                .severity = f->severity,
                        };
                }
                x.rc = blocks(in, text, &x);
                if (x.rc == 0)
                        x.rc = envelope(in, text, len, &x);
                if (x.rc == 0 && x.nunchanged > 0 &&
                    !(in->unchanged = calloc(x.nunchanged, sizeof(*in->unchanged))))
                        x.rc = -ENOMEM;
                for (size_t i = 0; x.rc == 0 && i < x.nunchanged; i++) {
                        in->unchanged[i].name = in->strings + x.uv[i].name;
                        memcpy(in->unchanged[i].digest, x.uv[i].digest, DIGEST_HEX);
                }
                in->nunchanged = x.rc == 0 ? x.nunchanged : 0;
                /* In order of name, for the store to look them up. */
                if (in->nunchanged > 1)
                        qsort(in->unchanged, in->nunchanged, sizeof(*in->unchanged),
                              store_unchanged_cmp);
        }
        free(x.strings);
        free(x.fv);
        free(x.uv);
        return x.rc;
}

void intake_free(struct intake *in)
{
        free(in->strings);
        free(in->findings);
        free(in->blocks);
        free(in->parts);
        free(in->envelope);
        free(in->unchanged);
        memset(in, 0, sizeof(*in));
}
