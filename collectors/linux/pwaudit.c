/* pwaudit.c - the dictionary audit on crypt_r(3), bounded by CPU time.
 *
 * CPU time of the calling thread, not wall time: the agent runs this on a
 * worker thread of a machine that may be busy, and the budget is about what
 * Hygie itself costs. struct crypt_data is large (tens of kB): on the heap. */
#include <crypt.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pwaudit.h"

int wordlist_parse(char *text, struct wordlist *wl)
{
        size_t cap = 256;

        memset(wl, 0, sizeof(*wl));
        wl->text = text;
        wl->words = malloc(cap * sizeof(*wl->words));
        if (!wl->words) {
                free(text);
                wl->text = NULL;
                return -ENOMEM;
        }
        for (char *p = text; *p && wl->n < WORDLIST_MAX;) {
                char *s = p;
                size_t len = strcspn(p, "\n");

                p += len;
                if (*p)
                        *p++ = '\0';
                if (len && s[len - 1] == '\r')
                        s[--len] = '\0';
                if (!len || s[0] == '#' || len > WORDLIST_WORD_MAX)
                        continue;
                if (wl->n == cap) {
                        const char **nw = realloc(wl->words, cap * 2 * sizeof(*nw));
                        if (!nw) {
                                wordlist_free(wl);
                                return -ENOMEM;
                        }
                        wl->words = nw;
                        cap *= 2;
                }
                wl->words[wl->n++] = s;
        }
        return 0;
}

void wordlist_free(struct wordlist *wl)
{
        free(wl->text);
        free(wl->words);
        memset(wl, 0, sizeof(*wl));
}

/* crypt(3)'s base-64 digit, or -1. */
static int b64(char c)
{
        static const char digits[] =
            "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        const char *p = c ? strchr(digits, c) : NULL;

        return p ? (int)(p - digits) : -1;
}

/* A decimal number of at most 10 digits after prefix, or -1. */
static long long cost_number(const char *s, const char *prefix)
{
        size_t n = strlen(prefix);
        long long v = 0;
        size_t i;

        if (strncmp(s, prefix, n) != 0)
                return -1;
        for (i = n; s[i] >= '0' && s[i] <= '9' && i - n < 10; i++)
                v = v * 10 + (s[i] - '0');
        return i == n ? -1 : v;
}

bool pwaudit_cost_ok(const char *h)
{
        long long v;

        if (strncmp(h, "$2", 2) == 0) { /* bcrypt: 2^cost rounds */
                const char *c = h[2] == '$' ? h + 3 : h[2] && h[3] == '$' ? h + 4 : NULL;
                return c && (v = cost_number(c, "")) >= 0 && v <= PWAUDIT_BCRYPT_COST_MAX;
        }
        if (strncmp(h, "$5$", 3) == 0 || strncmp(h, "$6$", 3) == 0)
                return (v = cost_number(h + 3, "rounds=")) < 0 || v <= PWAUDIT_ROUNDS_MAX;
        if ((v = cost_number(h, "$md5,rounds=")) >= 0 || (v = cost_number(h, "$sha1$")) >= 0)
                return v <= PWAUDIT_ROUNDS_MAX;
        if (strncmp(h, "$y$", 3) == 0 || strncmp(h, "$gy$", 4) == 0) {
                /* Flavour, log2(N) - 1 and r - 1 as one digit each, and no
                 * further parameter (p, t...): memory is 128 * r * N bytes. */
                const char *p = h + (h[1] == 'g' ? 4 : 3);
                int f = b64(p[0]), n = f < 0 ? -1 : b64(p[1]), r = n < 0 ? -1 : b64(p[2]);

                return f >= 0 && f <= 47 && n >= 0 && n <= 47 && r >= 0 && r <= 47 && p[3] == '$' &&
                       n + 1 <= 30 && (128ull * (unsigned)(r + 1) << (n + 1)) <= PWAUDIT_MEMORY_MAX;
        }
        if (strncmp(h, "$7$", 3) == 0) {
                /* scrypt: log2(N), then r and p as 30-bit little-endian numbers. */
                unsigned long long rp[2] = { 0, 0 };
                int n = b64(h[3]);

                if (n <= 0 || n > 30)
                        return false;
                for (int k = 0; k < 2; k++)
                        for (int i = 0; i < 5; i++) {
                                int d = b64(h[4 + k * 5 + i]);
                                if (d < 0)
                                        return false;
                                rp[k] |= (unsigned long long)d << (6 * i);
                        }
                return rp[0] && rp[1] && rp[0] <= 1024 && rp[1] <= 16 &&
                       (128ull * rp[0] * rp[1] << n) <= PWAUDIT_MEMORY_MAX;
        }
        return true; /* fixed cost (md5, des...), or crypt_r fails at once */
}

static long cpu_ms(void)
{
        struct timespec ts;

        if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) < 0)
                return 0;
        return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int pwaudit_run(struct pwaudit_target *t, size_t n, const struct wordlist *wl, long budget_ms,
                struct pwaudit_result *r)
{
        struct crypt_data *data = calloc(1, sizeof(*data));
        long start = cpu_ms();

        memset(r, 0, sizeof(*r));
        r->candidates = 1 + wl->n;
        if (!data)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                t[i].tried = t[i].start < r->candidates ? t[i].start : r->candidates;
                t[i].common = t[i].was_common;
                /* One hash is never interrupted: a crafted cost would hang. */
                t[i].costly = !pwaudit_cost_ok(t[i].hash);
                t[i].failed = t[i].costly;
        }
        /* An account that matched is still hashed to the end: otherwise the
         * tries, and the CPU time, left to the other accounts would tell how
         * far down the public list its password is. */
        for (size_t c = 0; c < r->candidates && !r->exhausted; c++) {
                for (size_t i = 0; i < n; i++) {
                        const char *word = c == 0 ? t[i].name : wl->words[c - 1], *out;

                        if (t[i].failed || c < t[i].start)
                                continue;
                        if (cpu_ms() - start >= budget_ms) {
                                r->exhausted = true;
                                break;
                        }
                        out = crypt_r(word, t[i].hash, data);
                        t[i].tried++;
                        /* libxcrypt fails with NULL or a "*0"/"*1" token, never a hash. */
                        if (!out || out[0] == '*')
                                t[i].failed = true;
                        else if (strcmp(out, t[i].hash) == 0)
                                t[i].common = true;
                }
        }
        r->cpu_ms = cpu_ms() - start;
        explicit_bzero(data, sizeof(*data));
        free(data);
        return 0;
}
