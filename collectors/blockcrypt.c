/* blockcrypt.c - device-mapper uuids and names, fstab's "/", crypttab, and
 * the physical volumes of LVM metadata.
 *
 * cryptsetup names its devices' uuids CRYPT-<FORMAT>-...; LVM names its
 * own LVM-<vg uuid><lv uuid>. Both are stable: udev rules and systemd rely
 * on them. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "blockcrypt.h"

#define LVM_DEPTH_MAX 16

enum dm_kind dm_uuid_kind(const char *uuid, const char **type)
{
        static const struct {
                const char *prefix, *type;
        } formats[] = {
                { "CRYPT-LUKS2-", "LUKS2" },     { "CRYPT-LUKS1-", "LUKS1" },
                { "CRYPT-PLAIN-", "plain" },     { "CRYPT-LOOPAES-", "loop-AES" },
                { "CRYPT-TCRYPT-", "TCRYPT" },   { "CRYPT-BITLK-", "BITLK" },
                { "CRYPT-FVAULT2-", "FVAULT2" },
        };

        *type = NULL;
        if (strncmp(uuid, "LVM-", 4) == 0)
                return DM_LVM;
        for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
                if (strncmp(uuid, formats[i].prefix, strlen(formats[i].prefix)) == 0) {
                        *type = formats[i].type;
                        return DM_CRYPT;
                }
        return DM_OTHER;
}

int dm_name_lvm(const char *name, char *vg, size_t vg_size, char *lv, size_t lv_size)
{
        char *out = vg;
        size_t n = 0, size = vg_size;

        for (const char *p = name;; p++) {
                char c = *p;
                if (c == '-' && p[1] == '-') {
                        p++;
                } else if (c == '-' || c == '\0') {
                        if (n == 0)
                                return -EINVAL;
                        out[n] = '\0';
                        if (out == lv)
                                return 0; /* what follows is a layer: "-real", "-cow" */
                        if (c == '\0')
                                return -EINVAL;
                        out = lv;
                        size = lv_size;
                        n = 0;
                        continue;
                }
                if (n + 1 >= size)
                        return -EINVAL;
                out[n++] = c;
        }
}

static bool blank(char c)
{
        return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Field i (0-based) of a blank-separated line [p, end) into buf, "\NNN"
 * octal escapes decoded. false when the line has no such field or it does
 * not fit. */
static bool field(const char *p, const char *end, unsigned i, char *buf, size_t size)
{
        for (;;) {
                size_t n = 0;

                while (p < end && blank(*p))
                        p++;
                if (p == end)
                        return false;
                for (; p < end && !blank(*p); p++) {
                        char c = *p;
                        if (c == '\\' && end - p >= 4 && p[1] >= '0' && p[1] <= '3' &&
                            p[2] >= '0' && p[2] <= '7' && p[3] >= '0' && p[3] <= '7') {
                                c = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
                                p += 3;
                        }
                        if (i == 0) {
                                if (n + 1 >= size)
                                        return false;
                                buf[n++] = c;
                        }
                }
                if (i == 0) {
                        buf[n] = '\0';
                        return true;
                }
                i--;
        }
}

/* The next line of text that holds something (not blank, not a comment):
 * its first non-blank byte, its end into *end; NULL at the end of text. */
static const char *next_line(const char **text, const char **end, unsigned *lineno)
{
        while (**text) {
                const char *p = *text;
                *end = p + strcspn(p, "\n");
                *text = **end ? *end + 1 : *end;
                (*lineno)++;
                p += strspn(p, " \t\r\v\f");
                if (p != *end && *p != '#')
                        return p;
        }
        return NULL;
}

int fstab_root(const char *text, char *spec, size_t spec_size, char *type, size_t type_size)
{
        const char *rest = text, *p, *end;
        unsigned lineno = 0;
        char dir[8];

        while ((p = next_line(&rest, &end, &lineno))) {
                if (field(p, end, 1, dir, sizeof(dir)) && strcmp(dir, "/") == 0 &&
                    field(p, end, 0, spec, spec_size)) {
                        if (!field(p, end, 2, type, type_size) && type_size)
                                type[0] = '\0';
                        return 0;
                }
        }
        return -ENOENT;
}

int crypttab_parse(const char *text, const char *file, struct crypttab *ct, struct error *e)
{
        const char *rest = text, *p, *end;
        unsigned lineno = 0;

        ct->n = 0;
        while ((p = next_line(&rest, &end, &lineno))) {
                struct crypttab_entry *c;

                if (ct->n == CRYPTTAB_MAX) {
                        error_set(e, file, lineno, "more than %d volumes", CRYPTTAB_MAX);
                        return -E2BIG;
                }
                c = &ct->v[ct->n];
                memset(c, 0, sizeof(*c));
                if (!field(p, end, 0, c->name, sizeof(c->name)) ||
                    !field(p, end, 1, c->device, sizeof(c->device))) {
                        error_set(e, file, lineno, "a volume without its device, or too long");
                        return -EINVAL;
                }
                if (!field(p, end, 3, c->options, sizeof(c->options)))
                        c->options[0] = '\0';
                c->line = lineno;
                ct->n++;
        }
        return 0;
}

const struct crypttab_entry *crypttab_find(const struct crypttab *ct, const char *name)
{
        for (size_t i = 0; i < ct->n; i++)
                if (strcmp(ct->v[i].name, name) == 0)
                        return &ct->v[i];
        return NULL;
}

/* Whether the comma-separated options hold opt, alone or as "opt=value". */
static bool has_option(const char *options, const char *opt)
{
        size_t len = strlen(opt);

        for (const char *p = options; *p;) {
                size_t n = strcspn(p, ",");
                if (n >= len && strncmp(p, opt, len) == 0 && (n == len || p[len] == '='))
                        return true;
                p += n + (p[n] == ',');
        }
        return false;
}

const char *crypttab_type(const struct crypttab_entry *entry)
{
        static const struct {
                const char *option, *type;
        } types[] = {
                { "luks", "LUKS" },   { "plain", "plain" },      { "tcrypt", "TCRYPT" },
                { "bitlk", "BITLK" }, { "loopaes", "loop-AES" },
        };

        for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
                if (has_option(entry->options, types[i].option))
                        return types[i].type;
        return NULL;
}

bool crypttab_ephemeral(const struct crypttab_entry *entry)
{
        return has_option(entry->options, "swap") || has_option(entry->options, "tmp");
}

int lvm_backup_pvs(const char *text, const char *file, char (*pv)[LVM_DEVICE_MAX], size_t max,
                   size_t *n, struct error *e)
{
        char stack[LVM_DEPTH_MAX][32], word[32] = "";
        unsigned depth = 0, line = 1;
        bool device_next = false;

        *n = 0;
        for (const char *p = text; *p;) {
                char c = *p;

                if (c == '\n')
                        line++;
                if (c == '#') {
                        p += strcspn(p, "\n");
                } else if (c == '"') {
                        char value[LVM_DEVICE_MAX];
                        size_t len = 0;
                        unsigned start = line;

                        for (p++; *p != '"'; p++) {
                                if (*p == '\0') {
                                        error_set(e, file, start,
                                                  "a string without its closing quote");
                                        return -EINVAL;
                                }
                                if (*p == '\\' && p[1])
                                        p++;
                                line += *p == '\n';
                                if (len + 1 < sizeof(value))
                                        value[len++] = *p;
                        }
                        p++;
                        value[len] = '\0';
                        if (device_next && depth >= 2 &&
                            strcmp(stack[depth - 2], "physical_volumes") == 0) {
                                if (*n == max) {
                                        error_set(e, file, line, "more than %zu physical volumes",
                                                  max);
                                        return -E2BIG;
                                }
                                snprintf(pv[(*n)++], LVM_DEVICE_MAX, "%s", value);
                        }
                        device_next = false;
                        word[0] = '\0';
                } else if (c == '{') {
                        if (depth == LVM_DEPTH_MAX) {
                                error_set(e, file, line, "braces nested deeper than %d",
                                          LVM_DEPTH_MAX);
                                return -E2BIG;
                        }
                        snprintf(stack[depth++], sizeof(stack[0]), "%s", word);
                        word[0] = '\0';
                        p++;
                } else if (c == '}') {
                        if (depth == 0) {
                                error_set(e, file, line, "a \"}\" that closes no section");
                                return -EINVAL;
                        }
                        depth--;
                        word[0] = '\0';
                        p++;
                } else if (c == '=') {
                        device_next = strcmp(word, "device") == 0;
                        p++;
                } else if (c == '_' || c == '-' || c == '.' || (c >= '0' && c <= '9') ||
                           ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) {
                        size_t len = 0;
                        for (; *p == '_' || *p == '-' || *p == '.' || (*p >= '0' && *p <= '9') ||
                               ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z');
                             p++)
                                if (len + 1 < sizeof(word))
                                        word[len++] = *p;
                        word[len] = '\0';
                        device_next = false;
                } else {
                        p++;
                }
        }
        if (depth) {
                error_set(e, file, line, "%u section%s never closed", depth, depth > 1 ? "s" : "");
                return -EINVAL;
        }
        return 0;
}
