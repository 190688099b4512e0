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
                t[i].tried = 0;
                t[i].common = t[i].failed = false;
        }
        /* An account that matched is still hashed to the end: otherwise the
         * tries, and the CPU time, left to the other accounts would tell how
         * far down the public list its password is. */
        for (size_t c = 0; c < r->candidates && !r->exhausted; c++) {
                for (size_t i = 0; i < n; i++) {
                        const char *word = c == 0 ? t[i].name : wl->words[c - 1], *out;

                        if (t[i].failed)
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
