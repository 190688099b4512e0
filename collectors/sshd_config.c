/* sshd_config.c - sshd_config(5) lines and the first-value-wins settings.
 *
 * Defaults are OpenSSH's (sshd_config(5)): PermitRootLogin prohibit-password
 * since 7.0, PasswordAuthentication yes, KbdInteractiveAuthentication yes,
 * UsePAM no (distributions turn it on in their sshd_config). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sshd_config.h"

static bool is_space(char c)
{
        return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

struct words {
        char *v[SSHD_ARGS_MAX + 1];
        unsigned n;
        char buf[SSHD_ARGS_MAX + 1][SSHD_ARG_MAX];
};

/* Splits a line into words: "double quotes" group, a word starting with '#'
 * ends the line, "Keyword=value" splits at the first '='. */
static int split(const char *s, size_t n, struct words *w)
{
        size_t i = 0;

        w->n = 0;
        while (i < n) {
                size_t o = 0;
                char *out;

                while (i < n && is_space(s[i]))
                        i++;
                if (w->n == 1 && i < n && s[i] == '=') /* "Keyword = value" */
                        for (i++; i < n && is_space(s[i]); i++)
                                ;
                if (i >= n || s[i] == '#')
                        break;
                if (w->n > SSHD_ARGS_MAX)
                        return -E2BIG;
                out = w->buf[w->n];
                if (s[i] == '"') {
                        for (i++; i < n && s[i] != '"'; i++) {
                                if (o + 1 >= SSHD_ARG_MAX)
                                        return -ENAMETOOLONG;
                                out[o++] = s[i];
                        }
                        if (i >= n)
                                return -EINVAL;
                        i++;
                } else {
                        for (; i < n && !is_space(s[i]) && !(w->n == 0 && s[i] == '='); i++) {
                                if (o + 1 >= SSHD_ARG_MAX)
                                        return -ENAMETOOLONG;
                                out[o++] = s[i];
                        }
                        if (w->n == 0 && i < n && s[i] == '=')
                                i++;
                }
                out[o] = '\0';
                w->v[w->n++] = out;
        }
        return 0;
}

int sshd_config_parse(const char *text, const char *file, sshd_line_fn *fn, void *user,
                      struct error *e)
{
        struct words *w = malloc(sizeof(*w));
        unsigned line = 0;
        int rc = 0;

        if (!w)
                return -ENOMEM;
        for (const char *p = text; *p && rc == 0;) {
                size_t n = strcspn(p, "\n");
                const char *s = p;

                p += n;
                if (*p)
                        p++;
                if (++line > SSHD_LINES_MAX) {
                        error_set(e, file, line, "too many lines");
                        rc = -EFBIG;
                        break;
                }
                rc = split(s, n, w);
                if (rc == -EINVAL)
                        error_set(e, file, line, "unterminated quote");
                else if (rc < 0)
                        error_set(e, file, line, "too many or too long arguments");
                else if (w->n)
                        rc = fn(user, w->v[0], w->v + 1, w->n - 1, line);
        }
        free(w);
        return rc;
}

static const char *const key_names[SSHD_KEY_COUNT] = {
        [SSHD_PERMIT_ROOT_LOGIN] = "PermitRootLogin",
        [SSHD_PASSWORD_AUTH] = "PasswordAuthentication",
        [SSHD_KBD_INTERACTIVE] = "KbdInteractiveAuthentication",
        [SSHD_USE_PAM] = "UsePAM",
};

static const char *const key_defaults[SSHD_KEY_COUNT] = {
        [SSHD_PERMIT_ROOT_LOGIN] = "prohibit-password",
        [SSHD_PASSWORD_AUTH] = "yes",
        [SSHD_KBD_INTERACTIVE] = "yes",
        [SSHD_USE_PAM] = "no",
};

const char *sshd_key_name(enum sshd_key k)
{
        return key_names[k];
}

const char *sshd_key_default(enum sshd_key k)
{
        return key_defaults[k];
}

void sshd_settings_init(struct sshd_settings *s)
{
        memset(s, 0, sizeof(*s));
        s->cur = -1;
}

static void set(struct sshd_value *v, const char *file, unsigned line, const char *value)
{
        size_t i;

        if (v->value[0])
                return;
        for (i = 0; value[i] && i + 1 < sizeof(v->value); i++)
                v->value[i] = (char)(value[i] >= 'A' && value[i] <= 'Z' ? value[i] + 32 : value[i]);
        v->value[i] = '\0';
        snprintf(v->file, sizeof(v->file), "%s", file);
        v->line = line;
}

void sshd_settings_apply(struct sshd_settings *s, const char *file, unsigned line,
                         const char *keyword, char *const *args, unsigned nargs)
{
        struct sshd_value *v;
        int key = -1;

        if (strcasecmp(keyword, "Match") == 0) {
                struct sshd_match *m;
                size_t o = 0;

                if (s->nmatch == SSHD_MATCH_MAX) {
                        s->dropped_matches++;
                        s->cur = SSHD_MATCH_MAX - 1; /* the last block stands for the rest */
                        return;
                }
                s->cur = (int)s->nmatch;
                m = &s->match[s->nmatch++];
                memset(m, 0, sizeof(*m));
                snprintf(m->file, sizeof(m->file), "%s", file);
                m->line = line;
                for (unsigned i = 0; i < nargs && o + 1 < sizeof(m->criteria); i++)
                        o += (size_t)snprintf(m->criteria + o, sizeof(m->criteria) - o, "%s%s",
                                              i ? " " : "", args[i]);
                return;
        }
        for (int k = 0; k < SSHD_KEY_COUNT; k++)
                if (strcasecmp(keyword, key_names[k]) == 0)
                        key = k;
        if (strcasecmp(keyword, "ChallengeResponseAuthentication") == 0)
                key = SSHD_KBD_INTERACTIVE;
        if (key < 0 || nargs < 1)
                return;
        v = s->cur >= 0 ? &s->match[s->cur].v[key] : &s->v[key];
        set(v, file, line, args[0]);
}
