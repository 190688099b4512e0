/* hwinfo.c - /proc/cpuinfo, /proc/meminfo, DMI date and TPM caps parsing,
 * bounded: fixed-size results, capped counts, numbers range-checked. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hwinfo.h"

/* One "key : value" line: key and value trimmed, not NUL-terminated. */
struct kv {
        const char *key, *val;
        size_t klen, vlen;
};

static bool split_kv(const char *p, size_t len, struct kv *kv)
{
        const char *colon = memchr(p, ':', len);

        if (!colon)
                return false;
        kv->key = p;
        kv->klen = (size_t)(colon - p);
        while (kv->klen && (p[kv->klen - 1] == ' ' || p[kv->klen - 1] == '\t'))
                kv->klen--;
        kv->val = colon + 1;
        kv->vlen = len - (size_t)(colon - p) - 1;
        while (kv->vlen && (*kv->val == ' ' || *kv->val == '\t')) {
                kv->val++;
                kv->vlen--;
        }
        while (kv->vlen && (kv->val[kv->vlen - 1] == ' ' || kv->val[kv->vlen - 1] == '\t' ||
                            kv->val[kv->vlen - 1] == '\r'))
                kv->vlen--;
        return true;
}

static bool key_is(const struct kv *kv, const char *key)
{
        return strlen(key) == kv->klen && memcmp(kv->key, key, kv->klen) == 0;
}

/* A whole number from 0 to max, in base (0: C rules, so "0x51" works). */
static int parse_num(const char *v, size_t n, int base, long max, long *out)
{
        char buf[24], *end;
        long x;

        if (n == 0 || n >= sizeof(buf))
                return -EINVAL;
        memcpy(buf, v, n);
        buf[n] = '\0';
        errno = 0;
        x = strtol(buf, &end, base);
        if (errno || *end || end == buf || x < 0 || x > max || buf[0] == '-' || buf[0] == '+')
                return -EINVAL;
        *out = x;
        return 0;
}

static bool has_word(const char *list, size_t n, const char *word)
{
        size_t wlen = strlen(word);

        for (size_t i = 0; i < n;) {
                size_t len = 0;

                while (i + len < n && list[i + len] != ' ' && list[i + len] != '\t')
                        len++;
                if (len == wlen && memcmp(list + i, word, wlen) == 0)
                        return true;
                i += len ? len : 1;
        }
        return false;
}

static void copy_val(char *dst, size_t size, const struct kv *kv)
{
        size_t n = kv->vlen < size - 1 ? kv->vlen : size - 1;

        memcpy(dst, kv->val, n);
        dst[n] = '\0';
}

struct core_set {
        uint64_t v[CPUINFO_MAX_CORES];
        unsigned n;
        bool overflow;
};

static void core_add(struct core_set *s, long phys, long core)
{
        uint64_t id = ((uint64_t)(unsigned long)phys << 32) | (uint32_t)core;

        for (unsigned i = 0; i < s->n; i++)
                if (s->v[i] == id)
                        return;
        if (s->n < CPUINFO_MAX_CORES)
                s->v[s->n++] = id;
        else
                s->overflow = true;
}

int cpuinfo_parse(const char *text, const char *file, struct cpuinfo *ci, struct error *e)
{
        static const struct {
                const char *key;
                size_t off;
                int base;
                long max;
        } nums[] = {
                { "cpu family", offsetof(struct cpuinfo, family), 10, 1 << 20 },
                { "model", offsetof(struct cpuinfo, model), 10, 1 << 20 },
                { "stepping", offsetof(struct cpuinfo, stepping), 10, 1 << 20 },
                { "CPU architecture", offsetof(struct cpuinfo, family), 10, 1 << 20 },
                { "CPU part", offsetof(struct cpuinfo, model), 0, 1 << 20 },
                { "CPU variant", offsetof(struct cpuinfo, stepping), 0, 1 << 20 },
        };
        struct core_set *cores = malloc(sizeof(*cores));
        long phys = -1, core = -1, x;
        unsigned line = 0, cpus_with_core = 0;

        if (!cores)
                return -ENOMEM;
        cores->n = 0;
        cores->overflow = false;
        memset(ci, 0, sizeof(*ci));
        ci->family = ci->model = ci->stepping = -1;
        for (const char *p = text; *p;) {
                size_t len = strcspn(p, "\n");
                struct kv kv;

                line++;
                if (split_kv(p, len, &kv)) {
                        bool first = ci->threads <= 1;

                        if (key_is(&kv, "processor")) {
                                if (phys >= 0 && core >= 0) {
                                        core_add(cores, phys, core);
                                        cpus_with_core++;
                                }
                                phys = core = -1;
                                if (ci->threads < 1u << 20)
                                        ci->threads++;
                        } else if (key_is(&kv, "physical id")) {
                                if (parse_num(kv.val, kv.vlen, 10, 1 << 30, &phys) < 0)
                                        phys = -1;
                        } else if (key_is(&kv, "core id")) {
                                if (parse_num(kv.val, kv.vlen, 10, 1 << 30, &core) < 0)
                                        core = -1;
                        } else if (first && key_is(&kv, "vendor_id")) {
                                copy_val(ci->vendor, sizeof(ci->vendor), &kv);
                        } else if (first && key_is(&kv, "CPU implementer")) {
                                if (parse_num(kv.val, kv.vlen, 0, 255, &x) < 0) {
                                        error_set(e, file, line, "bad CPU implementer");
                                        goto bad;
                                }
                                ci->arm = true;
                                snprintf(ci->vendor, sizeof(ci->vendor), "arm-0x%02lx", x);
                        } else if ((first && key_is(&kv, "model name")) ||
                                   (!ci->model_name[0] &&
                                    (key_is(&kv, "Hardware") || key_is(&kv, "Model")))) {
                                /* ARM names the machine once, after the processors. */
                                copy_val(ci->model_name, sizeof(ci->model_name), &kv);
                        } else if (first && key_is(&kv, "flags")) {
                                ci->lm = has_word(kv.val, kv.vlen, "lm");
                                ci->hypervisor = has_word(kv.val, kv.vlen, "hypervisor");
                        } else if (first && key_is(&kv, "Features")) {
                                ci->atomics = has_word(kv.val, kv.vlen, "atomics");
                        } else if (first) {
                                for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
                                        if (!key_is(&kv, nums[i].key))
                                                continue;
                                        if (parse_num(kv.val, kv.vlen, nums[i].base, nums[i].max,
                                                      &x) < 0) {
                                                error_set(e, file, line, "%s: not a number",
                                                          nums[i].key);
                                                goto bad;
                                        }
                                        *(long *)((char *)ci + nums[i].off) = x;
                                }
                        }
                }
                p += len;
                if (*p)
                        p++;
        }
        if (phys >= 0 && core >= 0) {
                core_add(cores, phys, core);
                cpus_with_core++;
        }
        if (ci->threads == 0) {
                error_set(e, file, 0, "no \"processor\" entry");
                goto bad;
        }
        /* Cores are told apart only when every processor names its core. */
        ci->cores = cpus_with_core == ci->threads && !cores->overflow ? cores->n : ci->threads;
        free(cores);
        return 0;
bad:
        free(cores);
        return -EINVAL;
}

int meminfo_parse(const char *text, const char *file, unsigned long long *kib, struct error *e)
{
        unsigned line = 0;

        for (const char *p = text; *p;) {
                size_t len = strcspn(p, "\n");
                struct kv kv;

                line++;
                if (split_kv(p, len, &kv) && key_is(&kv, "MemTotal")) {
                        char buf[32], *end;
                        unsigned long long n;

                        if (kv.vlen >= sizeof(buf))
                                goto bad;
                        memcpy(buf, kv.val, kv.vlen);
                        buf[kv.vlen] = '\0';
                        errno = 0;
                        n = strtoull(buf, &end, 10);
                        if (errno || end == buf || buf[0] == '-' || strcmp(end, " kB") != 0 ||
                            n == 0 || n > (1ull << 42))
                                goto bad;
                        *kib = n;
                        return 0;
                bad:
                        error_set(e, file, line, "MemTotal: expected a size in kB");
                        return -EINVAL;
                }
                p += len;
                if (*p)
                        p++;
        }
        error_set(e, file, 0, "no MemTotal line");
        return -EINVAL;
}

int dmi_date_parse(const char *text, int *y, int *m, int *d)
{
        static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
        int n = 0;

        if (sscanf(text, "%2d/%2d/%4d%n", m, d, y, &n) != 3 || (n != 10 && n != 8))
                return -EINVAL;
        if (text[n] && text[n] != '\n')
                return -EINVAL;
        for (int i = 0; i < n; i++)
                if ((i == 2 || i == 5) ? text[i] != '/' : (text[i] < '0' || text[i] > '9'))
                        return -EINVAL;
        if (n == 8)
                *y += *y >= 80 ? 1900 : 2000;
        if (*y < 1980 || *y > 2999 || *m < 1 || *m > 12 || *d < 1 || *d > mdays[*m - 1])
                return -EINVAL;
        return 0;
}

int tpm_caps_version(const char *text, int *major, int *minor)
{
        const char *p = strstr(text, "TCG version:");

        if (!p || sscanf(p + strlen("TCG version:"), " %3d.%3d", major, minor) != 2 || *major < 0 ||
            *minor < 0)
                return -ENOENT;
        return 0;
}
