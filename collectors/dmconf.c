/* dmconf.c - display-manager INI files, for automatic login only.
 *
 * GKeyFile (GDM, LightDM) and QSettings (SDDM) agree on what matters here:
 * "[section]" lines, "key=value" lines with blanks around both trimmed, '#'
 * (and for SDDM ';') starting a comment line. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dmconf.h"

void dmconf_init(struct dmconf *c, enum dm dm)
{
        memset(c, 0, sizeof(*c));
        c->dm = dm;
}

const char *dmconf_name(enum dm dm)
{
        static const char *const names[] = {
                [DM_GDM] = "gdm3", [DM_LIGHTDM] = "lightdm", [DM_SDDM] = "sddm"
        };

        return names[dm];
}

static bool blank(char c)
{
        return c == ' ' || c == '\t' || c == '\r';
}

static size_t trim(const char **s, size_t n)
{
        while (n && blank(**s)) {
                (*s)++;
                n--;
        }
        while (n && blank((*s)[n - 1]))
                n--;
        return n;
}

/* The setting key of section names for c's display manager, or NULL. */
static struct dmconf_value *slot(struct dmconf *c, const char *section, const char *key)
{
        switch (c->dm) {
        case DM_GDM:
                if (strcmp(section, "daemon") != 0)
                        return NULL;
                if (strcmp(key, "AutomaticLoginEnable") == 0)
                        return &c->enable;
                if (strcmp(key, "AutomaticLogin") == 0)
                        return &c->user;
                if (strcmp(key, "TimedLoginEnable") == 0)
                        return &c->timed_enable;
                if (strcmp(key, "TimedLogin") == 0)
                        return &c->timed_user;
                return NULL;
        case DM_LIGHTDM:
                /* Every seat, and the older name of their defaults. */
                if (strncmp(section, "Seat:", 5) != 0 && strcmp(section, "SeatDefaults") != 0)
                        return NULL;
                if (strcmp(key, "autologin-user") == 0)
                        return &c->user;
                if (strcmp(key, "autologin-guest") == 0)
                        return &c->enable;
                return NULL;
        case DM_SDDM:
                if (strcmp(section, "Autologin") == 0 && strcmp(key, "User") == 0)
                        return &c->user;
                return NULL;
        }
        return NULL;
}

static void set(struct dmconf_value *v, const char *value, size_t n, const char *file,
                unsigned line)
{
        if (n >= sizeof(v->value))
                n = sizeof(v->value) - 1;
        memcpy(v->value, value, n);
        v->value[n] = '\0';
        snprintf(v->file, sizeof(v->file), "%s", file);
        v->line = line;
}

int dmconf_parse(struct dmconf *c, const char *text, const char *file, struct error *e)
{
        char section[DMCONF_LINE_MAX] = "", key[DMCONF_LINE_MAX];
        unsigned line = 0;

        for (const char *p = text; *p;) {
                const char *s = p, *eq;
                size_t n = strcspn(p, "\n"), klen;
                struct dmconf_value *v;

                p += n;
                if (*p)
                        p++;
                if (++line > DMCONF_LINES_MAX) {
                        error_set(e, file, line, "too many lines");
                        return -EFBIG;
                }
                if (n > DMCONF_LINE_MAX) {
                        error_set(e, file, line, "line too long");
                        return -EFBIG;
                }
                n = trim(&s, n);
                if (!n || s[0] == '#' || (c->dm == DM_SDDM && s[0] == ';'))
                        continue;
                if (s[0] == '[') {
                        if (s[n - 1] != ']' || n < 3) {
                                error_set(e, file, line, "expected \"[section]\"");
                                return -EINVAL;
                        }
                        memcpy(section, s + 1, n - 2);
                        section[n - 2] = '\0';
                        continue;
                }
                eq = memchr(s, '=', n);
                if (!eq) {
                        error_set(e, file, line, "expected \"key=value\"");
                        return -EINVAL;
                }
                klen = (size_t)(eq - s);
                klen = trim(&s, klen);
                if (!klen) {
                        error_set(e, file, line, "expected a setting name before '='");
                        return -EINVAL;
                }
                memcpy(key, s, klen);
                key[klen] = '\0';
                v = slot(c, section, key);
                if (v) {
                        const char *val = eq + 1;
                        size_t vlen = trim(&val, n - (size_t)(val - s));

                        set(v, val, vlen, file, line);
                }
        }
        return 0;
}

/* GDM reads "true" in any case, or "1" (gdm_settings_parse_value_as_boolean);
 * GKeyFile, for LightDM, only "true" or "1". */
static bool truth(enum dm dm, const char *v)
{
        return strcmp(v, "1") == 0 ||
               (dm == DM_GDM ? strcasecmp(v, "true") == 0 : strcmp(v, "true") == 0);
}

static void found(struct dmconf_autologin *out, const char *user, const char *key,
                  const struct dmconf_value *at)
{
        out->enabled = true;
        snprintf(out->user, sizeof(out->user), "%s", user);
        snprintf(out->how, sizeof(out->how), "%s=%s", key, at->value);
        snprintf(out->file, sizeof(out->file), "%s", at->file);
        out->line = at->line;
}

void dmconf_autologin(const struct dmconf *c, struct dmconf_autologin *out)
{
        memset(out, 0, sizeof(*out));
        switch (c->dm) {
        case DM_GDM:
                if (truth(c->dm, c->enable.value) && c->user.value[0])
                        found(out, c->user.value, "AutomaticLoginEnable", &c->enable);
                else if (truth(c->dm, c->timed_enable.value) && c->timed_user.value[0])
                        found(out, c->timed_user.value, "TimedLoginEnable", &c->timed_enable);
                break;
        case DM_LIGHTDM:
                if (c->user.value[0])
                        found(out, c->user.value, "autologin-user", &c->user);
                else if (truth(c->dm, c->enable.value))
                        found(out, "guest", "autologin-guest", &c->enable);
                break;
        case DM_SDDM:
                if (c->user.value[0])
                        found(out, c->user.value, "User", &c->user);
                break;
        }
}
