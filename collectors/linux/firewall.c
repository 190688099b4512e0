/* firewall.c - whether a firewall filters what comes in.
 *
 * The kernel's firewall cannot be read by the agent: listing the nftables
 * ruleset or iptables' rules needs CAP_NET_ADMIN and a netlink socket, which
 * its unit does not grant. So a firewall is judged from what it loads at
 * boot (ufw, firewalld, nftables, iptables-persistent or iptables-services)
 * and, on this machine under systemd, from whether its unit is active now.
 * The legacy iptables tables the kernel lists are kept as evidence. */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firewall_conf.h"
#include "security.h"
#include "units.h"

#define CONF_MAX          (1u << 20)
#define NFT_INCLUDE_DEPTH 4
#define NFT_FILES_MAX     32
#define NFT_GLOB_MAX      64

struct fw {
        const char *name; /* as facts.firewall.how says it */
        const char *unit;
        bool installed; /* its unit or its configuration is there */
        bool set_up;    /* someone set it up to filter, whether it runs or not */
        bool active;
        bool failed; /* a file it loads could not be read or scanned */
        long rules;  /* -1: not counted */
        char why[256];
};

/* Whether fw's unit starts with the system and, on this machine under
 * systemd (live), is active now; why not into fw->why. */
static bool unit_on(const struct collect_ctx *ctx, struct fw *fw, bool live)
{
        char where[256];
        bool masked;

        if (!units_installed(ctx->root, fw->unit, where, sizeof(where), &masked))
                snprintf(fw->why, sizeof(fw->why), "%s is not installed", fw->unit);
        else if (masked)
                snprintf(fw->why, sizeof(fw->why), "%s is masked", fw->unit);
        else if (!units_enabled(ctx->root, fw->unit))
                snprintf(fw->why, sizeof(fw->why),
                         "%s is not enabled: it does not start with the system", fw->unit);
        else if (live && !units_active(ctx->root, fw->unit))
                snprintf(fw->why, sizeof(fw->why),
                         "%s is enabled but not active (failed or stopped)", fw->unit);
        else
                return true;
        return false;
}

/* Reads a configuration file; a file that is there but cannot be read is a
 * "firewall" error. 0, -ENOENT, or another negative errno (recorded). */
static int read_conf(const struct collect_ctx *ctx, json_t *facts, const char *file, char **text)
{
        int rc = rootfs_read(ctx->root, file, CONF_MAX, text, NULL);

        if (rc < 0 && rc != -ENOENT)
                facts_add_error(facts, "firewall", file, 0, "cannot read: %s", strerror(-rc));
        return rc;
}

/* ufw's user rules, from the files its version keeps them in; -1 when none
 * can be read. */
static long ufw_rules(const struct collect_ctx *ctx, int *err)
{
        static const char *const files[] = { "etc/ufw/user.rules", "etc/ufw/user6.rules",
                                             "lib/ufw/user.rules", "lib/ufw/user6.rules" };
        long n = -1;

        *err = 0;
        for (size_t i = 0; i < 4; i++) {
                char *text = NULL;
                int rc = rootfs_read(ctx->root, files[i], CONF_MAX, &text, NULL);
                if (rc == 0)
                        n = (n < 0 ? 0 : n) + ufw_rules_count(text);
                else if (rc != -ENOENT)
                        *err = rc;
                free(text);
                if (i == 1 && n >= 0)
                        break; /* ufw 0.36 moved them from lib/ to etc/ */
        }
        return n;
}

static void fw_ufw(const struct collect_ctx *ctx, json_t *facts, struct fw *fw, bool live)
{
        static const char conf[] = "etc/ufw/ufw.conf", defaults[] = "etc/default/ufw";
        char *text = NULL, enabled[16], policy[16] = "", where[256];
        int rc = read_conf(ctx, facts, conf, &text), err;
        bool masked;

        fw->installed =
            rc != -ENOENT || units_installed(ctx->root, fw->unit, where, sizeof(where), &masked);
        fw->set_up = fw->installed;
        if (rc < 0) {
                fw->failed = rc != -ENOENT;
                snprintf(fw->why, sizeof(fw->why), "%s %s", conf,
                         fw->failed ? "cannot be read" : "is missing");
                goto out;
        }
        /* ufw-init turns the firewall on for "yes" or "YES" only. */
        if (shellvar_get(text, "ENABLED", enabled, sizeof(enabled), NULL) < 0) {
                snprintf(fw->why, sizeof(fw->why), "ufw is off: %s does not set ENABLED", conf);
                goto out;
        }
        if (strcmp(enabled, "yes") != 0 && strcmp(enabled, "YES") != 0) {
                snprintf(fw->why, sizeof(fw->why), "ufw is off: ENABLED=%.16s in %s", enabled,
                         conf);
                goto out;
        }
        free(text);
        text = NULL;
        rc = read_conf(ctx, facts, defaults, &text);
        if (rc < 0) {
                fw->failed = rc != -ENOENT;
                snprintf(fw->why, sizeof(fw->why), "%s %s", defaults,
                         fw->failed ? "cannot be read" : "is missing: ufw cannot start");
                goto out;
        }
        shellvar_get(text, "DEFAULT_INPUT_POLICY", policy, sizeof(policy), NULL);
        fw->rules = ufw_rules(ctx, &err);
        if (strcmp(policy, "ACCEPT") == 0 && fw->rules <= 0) {
                if (fw->rules < 0 && err < 0) {
                        facts_add_error(facts, "firewall", "etc/ufw/user.rules", 0,
                                        "cannot read: %s", strerror(-err));
                        fw->failed = true;
                }
                snprintf(fw->why, sizeof(fw->why),
                         "ufw lets every connection in: DEFAULT_INPUT_POLICY=\"ACCEPT\" in %s, "
                         "and no rule",
                         defaults);
                goto out;
        }
        fw->active = unit_on(ctx, fw, live);
out:
        free(text);
}

static void fw_firewalld(const struct collect_ctx *ctx, json_t *facts, struct fw *fw, bool live)
{
        static const char conf[] = "etc/firewalld/firewalld.conf";
        char *text = NULL, zone[64] = "public", where[256];
        bool masked;
        int rc;

        fw->installed = units_installed(ctx->root, fw->unit, where, sizeof(where), &masked);
        if (!fw->installed)
                return;
        fw->set_up = true;
        rc = read_conf(ctx, facts, conf, &text);
        if (rc == 0)
                shellvar_get(text, "DefaultZone", zone, sizeof(zone), NULL);
        free(text);
        if (rc < 0 && rc != -ENOENT) {
                fw->failed = true;
                return;
        }
        if (strcmp(zone, "trusted") == 0) {
                snprintf(fw->why, sizeof(fw->why),
                         "firewalld's default zone is \"trusted\", which lets everything in (%s)",
                         conf);
                return;
        }
        fw->active = unit_on(ctx, fw, live);
}

struct nft_files {
        const struct collect_ctx *ctx;
        json_t *facts;
        struct nft_scan *scan;
        const char *file; /* being scanned */
        int depth;
        unsigned nfiles;
};

/* Scans file into nf->scan. 0, or -ECANCELED once what went wrong is
 * recorded: nft -f loads nothing when a file it includes fails. */
static int nft_file(struct nft_files *nf, const char *file);

static int by_name(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

/* An include: an absolute path in the root, or one relative to etc/ (nft's
 * default include directory); a pattern in its last part is matched the way
 * glob(3) would, in name order. */
static int nft_include(void *user, const char *path, unsigned line)
{
        struct nft_files *nf = user;
        char rel[512], dir[512], *names[NFT_GLOB_MAX], file[1024];
        const char *base;
        size_t n = 0;
        int rc = 0;
        DIR *d;
        struct dirent *e;

        snprintf(rel, sizeof(rel), "%s%s", path[0] == '/' ? "" : "etc/", path + (path[0] == '/'));
        if (nf->depth >= NFT_INCLUDE_DEPTH) {
                facts_add_error(nf->facts, "firewall", nf->file, line,
                                "includes nested deeper than %d", NFT_INCLUDE_DEPTH);
                return -ECANCELED;
        }
        if (!strpbrk(rel, "*?["))
                return nft_file(nf, rel);
        base = strrchr(rel, '/');
        snprintf(dir, sizeof(dir), "%.*s", base ? (int)(base - rel) : 0, rel);
        base = base ? base + 1 : rel;
        if (strpbrk(dir, "*?[") || !(d = rootfs_opendir(nf->ctx->root, dir)))
                return 0; /* nft includes nothing when a pattern matches nothing */
        while ((e = readdir(d)) && n < NFT_GLOB_MAX)
                if (e->d_name[0] != '.' && fnmatch(base, e->d_name, FNM_PERIOD) == 0 &&
                    (names[n] = strdup(e->d_name)))
                        n++;
        closedir(d);
        qsort(names, n, sizeof(names[0]), by_name);
        for (size_t i = 0; i < n; i++) {
                snprintf(file, sizeof(file), "%s/%s", dir, names[i]);
                if (rc == 0)
                        rc = nft_file(nf, file);
                free(names[i]);
        }
        return rc;
}

static int nft_file(struct nft_files *nf, const char *file)
{
        const char *outer = nf->file;
        char *text = NULL;
        struct error err;
        int rc;

        if (++nf->nfiles > NFT_FILES_MAX) {
                facts_add_error(nf->facts, "firewall", file, 0, "more than %d files included",
                                NFT_FILES_MAX);
                return -ECANCELED;
        }
        rc = rootfs_read(nf->ctx->root, file, CONF_MAX, &text, NULL);
        if (rc < 0) {
                facts_add_error(nf->facts, "firewall", file, 0, "cannot read: %s", strerror(-rc));
                return -ECANCELED;
        }
        nf->file = file;
        nf->depth++;
        rc = nft_scan_text(nf->scan, text, file, nft_include, nf, &err);
        nf->depth--;
        nf->file = outer;
        free(text);
        if (rc == -EINVAL || rc == -E2BIG)
                facts_add_error(nf->facts, "firewall", err.file, err.line, "%s", err.msg);
        else if (rc < 0 && rc != -ECANCELED)
                facts_add_error(nf->facts, "firewall", file, 0, "cannot scan: %s", strerror(-rc));
        return rc < 0 ? -ECANCELED : 0;
}

static void fw_nftables(const struct collect_ctx *ctx, json_t *facts, struct fw *fw, bool live)
{
        static const char *const confs[] = { "etc/nftables.conf", "etc/sysconfig/nftables.conf" };
        struct nft_files nf = { .ctx = ctx, .facts = facts };
        const char *conf = NULL;
        struct nft_summary sum;
        char where[256];
        bool masked;

        fw->installed = units_installed(ctx->root, fw->unit, where, sizeof(where), &masked);
        for (size_t i = 0; i < 2 && !conf; i++)
                if (rootfs_exists(ctx->root, confs[i]))
                        conf = confs[i];
        if (!fw->installed && !conf)
                return;
        fw->installed = true;
        fw->set_up = !masked && units_enabled(ctx->root, fw->unit);
        if (!conf) {
                snprintf(fw->why, sizeof(fw->why), "there is no %s", confs[0]);
                return;
        }
        nf.scan = malloc(sizeof(*nf.scan));
        if (!nf.scan) {
                fw->failed = true;
                return;
        }
        nft_scan_init(nf.scan);
        if (nft_file(&nf, conf) < 0) {
                fw->failed = true;
                free(nf.scan);
                return;
        }
        nft_scan_summary(nf.scan, &sum);
        free(nf.scan);
        fw->rules = sum.rules;
        fw->set_up = fw->set_up || sum.filters;
        if (!sum.filters) {
                if (sum.tables == 0)
                        snprintf(fw->why, sizeof(fw->why), "%s loads no table", conf);
                else
                        snprintf(fw->why, sizeof(fw->why),
                                 "%s filters nothing coming in: no input chain drops by default "
                                 "or holds a rule",
                                 conf);
                return;
        }
        fw->active = unit_on(ctx, fw, live);
}

static void fw_iptables(const struct collect_ctx *ctx, json_t *facts, struct fw *fw, bool live)
{
        static const struct {
                const char *unit, *v4, *v6;
        } sets[] = {
                { "netfilter-persistent.service", "etc/iptables/rules.v4",
                  "etc/iptables/rules.v6" },
                { "iptables.service", "etc/sysconfig/iptables", "etc/sysconfig/ip6tables" },
        };
        struct ipt_summary v4, v6;
        char where[256], *text = NULL;
        struct error err;
        bool masked;
        size_t i;
        int rc;

        for (i = 0; i < 2 && !fw->installed; i++)
                fw->installed =
                    units_installed(ctx->root, sets[i].unit, where, sizeof(where), &masked);
        if (!fw->installed)
                return;
        i--;
        fw->unit = sets[i].unit;
        fw->set_up = !masked && units_enabled(ctx->root, fw->unit);
        rc = read_conf(ctx, facts, sets[i].v4, &text);
        if (rc < 0) {
                fw->failed = rc != -ENOENT;
                snprintf(fw->why, sizeof(fw->why), "%s %s", sets[i].v4,
                         fw->failed ? "cannot be read" : "is missing");
                return;
        }
        rc = ipt_scan(text, sets[i].v4, &v4, &err);
        free(text);
        text = NULL;
        if (rc < 0) {
                facts_add_error(facts, "firewall", err.file, err.line, "%s", err.msg);
                fw->failed = true;
                return;
        }
        fw->rules = v4.rules;
        if (read_conf(ctx, facts, sets[i].v6, &text) == 0 &&
            ipt_scan(text, sets[i].v6, &v6, &err) == 0)
                fw->rules += v6.rules;
        free(text);
        fw->set_up = fw->set_up || v4.filters;
        if (!v4.filters) {
                snprintf(fw->why, sizeof(fw->why),
                         "%s filters nothing coming in: INPUT accepts by default and has no rule",
                         sets[i].v4);
                return;
        }
        fw->active = unit_on(ctx, fw, live);
}

/* The legacy iptables tables the kernel holds (proc/net/ip_tables_names,
 * which CAP_DAC_READ_SEARCH reads); NULL when it cannot be read. */
static json_t *kernel_ip_tables(const struct collect_ctx *ctx)
{
        char buf[512], *save = NULL;
        json_t *names;

        if (!ctx->root->host ||
            rootfs_read_small(ctx->root, "proc/net/ip_tables_names", buf, sizeof(buf), NULL) < 0)
                return NULL;
        names = json_array();
        for (char *t = strtok_r(buf, "\n", &save); t && json_array_size(names) < 16;
             t = strtok_r(NULL, "\n", &save))
                json_array_append_new(names, facts_string(t));
        return names;
}

void firewall_collect(const struct collect_ctx *ctx, json_t *facts)
{
        bool live = ctx->root->host && units_systemd_runs(ctx->root), failed = false;
        struct fw fws[] = {
                { .name = "ufw", .unit = "ufw.service", .rules = -1 },
                { .name = "firewalld", .unit = "firewalld.service", .rules = -1 },
                { .name = "nftables", .unit = "nftables.service", .rules = -1 },
                { .name = "iptables", .unit = "netfilter-persistent.service", .rules = -1 },
        };
        const struct fw *decided = NULL, *set_up = NULL;
        json_t *fw = json_object(), *active = json_array(), *seen = json_array(), *kernel;
        bool kernel_filter = false;

        fw_ufw(ctx, facts, &fws[0], live);
        fw_firewalld(ctx, facts, &fws[1], live);
        fw_nftables(ctx, facts, &fws[2], live);
        fw_iptables(ctx, facts, &fws[3], live);
        for (size_t i = 0; i < sizeof(fws) / sizeof(fws[0]); i++) {
                struct fw *f = &fws[i];
                if (!f->installed && !f->failed)
                        continue;
                if (f->failed && !f->why[0])
                        snprintf(f->why, sizeof(f->why),
                                 "a file %s loads cannot be read or scanned", f->name);
                json_t *o = json_pack("{s:s, s:s, s:b}", "name", f->name, "unit", f->unit, "active",
                                      f->active);
                if (!f->active && f->why[0])
                        json_object_set_new(o, "why", facts_string(f->why));
                if (f->rules >= 0)
                        json_object_set_new(o, "rules", json_integer(f->rules));
                json_array_append_new(seen, o);
                if (f->active) {
                        json_array_append_new(active, json_string(f->name));
                        decided = decided ? decided : f;
                }
                if (f->set_up && !set_up)
                        set_up = f;
                failed = failed || f->failed;
        }
        kernel = kernel_ip_tables(ctx);
        if (kernel) {
                json_t *t;
                size_t i;
                json_array_foreach(kernel, i, t)
                {
                        if (strcmp(json_string_value(t), "filter") == 0)
                                kernel_filter = true;
                }
                json_object_set_new(fw, "kernel_ip_tables", kernel);
        }

        if (decided) {
                json_object_set_new(fw, "enabled", json_true());
                json_object_set_new(fw, "how", json_string(decided->name));
                if (decided->rules >= 0)
                        json_object_set_new(fw, "rules", json_integer(decided->rules));
        } else {
                if (set_up) {
                        json_object_set_new(fw, "how", json_string(set_up->name));
                        json_object_set_new(fw, "note", facts_string(set_up->why));
                } else if (kernel_filter) {
                        json_object_set_new(
                            fw, "note",
                            json_string("no firewall Hygie knows is set up, but the kernel holds "
                                        "an iptables filter table: its rules cannot be read "
                                        "without CAP_NET_ADMIN"));
                } else {
                        json_object_set_new(
                            fw, "note",
                            json_string("no firewall is set up (ufw, firewalld, nftables, "
                                        "iptables-persistent)"));
                }
                /* What could not be read, or cannot be read, might be on. */
                if (!failed && (set_up || !kernel_filter))
                        json_object_set_new(fw, "enabled", json_false());
        }
        json_object_set_new(fw, "active", active);
        json_object_set_new(fw, "firewalls", seen);
        json_object_set_new(fw, "decided_from",
                            json_string(live ? "configuration, and the units systemd runs"
                                             : "configuration loaded at boot"));
        json_object_set_new(facts, "firewall", fw);
}
