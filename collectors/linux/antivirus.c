/* antivirus.c - which antivirus is installed, whether it runs, how old its
 * signatures are and whether it scans files as they are opened.
 *
 * ClamAV is read in depth (database headers, clamd.conf); commercial products
 * are recognised from policy/antivirus-products.conf. On this machine a
 * process or service is "running" when seen in proc/ or its systemd cgroup;
 * on another root, when its service is enabled. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "avproducts.h"
#include "clamav.h"
#include "collector.h"
#include "paths.h"
#include "units.h"
#include "util.h"

#define MAX_WANTED   (AVPRODUCTS_MAX * AVPRODUCT_LIST + 8)
#define MAX_PIDS     (1 << 20)
#define MAX_ONACCESS 16
#define COMM_LEN     15 /* /proc/PID/comm keeps 15 bytes of the name */

/* The process names looked for, and which were seen. */
struct procs {
        const char *name[MAX_WANTED];
        bool seen[MAX_WANTED];
        size_t n;
        bool scanned;
};

static void procs_want(struct procs *p, const char *name)
{
        for (size_t i = 0; i < p->n; i++)
                if (strcmp(p->name[i], name) == 0)
                        return;
        if (p->n < MAX_WANTED)
                p->name[p->n++] = name;
}

/* argv[0]'s base name of a process is name (for names comm cuts short). */
static bool cmdline_is(const struct rootfs *root, const char *pid, const char *name)
{
        char path[64], buf[4096];
        const char *base;

        snprintf(path, sizeof(path), "proc/%s/cmdline", pid);
        if (rootfs_read_small(root, path, buf, sizeof(buf), NULL) < 0)
                return false;
        base = strrchr(buf, '/');
        return strcmp(base ? base + 1 : buf, name) == 0;
}

static void procs_scan(const struct rootfs *root, struct procs *p)
{
        DIR *d = rootfs_opendir(root, "proc");
        struct dirent *e;
        unsigned seen = 0;

        if (!d)
                return;
        p->scanned = true;
        while ((e = readdir(d)) && seen++ < MAX_PIDS) {
                char path[64], comm[32];
                size_t len;

                if (!isdigit((unsigned char)e->d_name[0]) || strlen(e->d_name) > 16)
                        continue;
                snprintf(path, sizeof(path), "proc/%s/comm", e->d_name);
                if (rootfs_read_small(root, path, comm, sizeof(comm), &len) < 0)
                        continue;
                comm[strcspn(comm, "\n")] = '\0';
                for (size_t i = 0; i < p->n; i++) {
                        size_t nlen = strlen(p->name[i]);
                        if (p->seen[i] || strncmp(comm, p->name[i], COMM_LEN) != 0 ||
                            strlen(comm) != (nlen < COMM_LEN ? nlen : COMM_LEN))
                                continue;
                        if (nlen <= COMM_LEN || cmdline_is(root, e->d_name, p->name[i]))
                                p->seen[i] = true;
                }
        }
        closedir(d);
}

static bool procs_seen(const struct procs *p, const char *name)
{
        for (size_t i = 0; i < p->n; i++)
                if (strcmp(p->name[i], name) == 0)
                        return p->seen[i];
        return false;
}

/* A component (a daemon and its service): installed, enabled, running. */
static bool component(const struct collect_ctx *ctx, const struct procs *procs, json_t *comps,
                      const char *process, const char *unit)
{
        char where[256] = "";
        bool masked, installed = units_installed(ctx->root, unit, where, sizeof(where), &masked);
        bool enabled = installed && !masked && units_enabled(ctx->root, unit);
        bool running = ctx->root->host
                           ? procs_seen(procs, process) || units_has_process(ctx->root, unit)
                           : enabled;
        json_array_append_new(comps, json_pack("{s:s, s:s, s:b, s:b, s:b}", "process", process,
                                               "service", unit, "installed", installed, "enabled",
                                               enabled, "running", running));
        return running;
}

static const char *judged_by(const struct collect_ctx *ctx)
{
        return ctx->root->host ? "a process or the service's cgroup seen on this machine"
                               : "the service enabled in etc/systemd/system/*.wants/";
}

static void clamav_signatures(const struct collect_ctx *ctx, json_t *facts, json_t *product)
{
        static const char *const names[] = { "daily.cvd", "daily.cld", "main.cvd", "main.cld" };
        char dir[256] = "var/lib/clamav", conf[256], *text = NULL;
        json_t *files = json_array(), *newest = NULL;
        time_t newest_t = 0;
        int rc;

        if (rootfs_read(ctx->root, "etc/clamav/freshclam.conf", 1 << 20, &text, NULL) == 0 &&
            clamav_conf_get(text, "DatabaseDirectory", 0, conf, sizeof(conf)) == 0 &&
            conf[0] == '/' && conf[1])
                snprintf(dir, sizeof(dir), "%s", conf + 1);
        free(text);
        for (size_t i = 0; i < 4; i++) {
                char path[512], buf[CLAMAV_HEADER_SIZE + 1], iso[32];
                struct clamav_header h;
                size_t len;

                snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
                rc = rootfs_read_small(ctx->root, path, buf, sizeof(buf), &len);
                if (rc == -EINVAL || rc == -EISDIR)
                        facts_add_error(facts, "clamav-signatures", path, 0, "not a regular file");
                if (rc < 0)
                        continue;
                if (clamav_header_parse(buf, len, &h) < 0) {
                        facts_add_error(facts, "clamav-signatures", path, 0,
                                        "not a ClamAV database header");
                        continue;
                }
                time_t t = h.has_built ? h.built : h.stime;
                json_t *f =
                    json_pack("{s:o, s:I, s:I, s:s, s:I, s:s}", "file", facts_string(path),
                              "version", (json_int_t)h.version, "signatures", (json_int_t)h.sigs,
                              "built", util_iso8601(t, iso, sizeof(iso)), "time", (json_int_t)t,
                              "time_from", h.has_built ? "build time" : "stime");
                json_array_append_new(files, f);
                if (!newest || t > newest_t) {
                        newest = f;
                        newest_t = t;
                }
        }
        json_t *sig = json_pack("{s:o, s:o}", "directory", facts_string(dir), "files", files);
        if (newest) {
                json_object_set(sig, "newest_file", json_object_get(newest, "file"));
                json_object_set_new(sig, "newest_time", json_integer((json_int_t)newest_t));
        }
        json_object_set_new(product, "signatures", sig);
}

static void clamav_collect(const struct collect_ctx *ctx, const struct procs *procs, json_t *facts,
                           json_t *products)
{
        static const char *const bins[] = { "usr/sbin/clamd", "usr/bin/clamscan",
                                            "usr/bin/freshclam", "usr/bin/clamdscan" };
        static const char *const units[] = { "clamav-daemon.service", "clamav-freshclam.service" };
        json_t *found = json_array(), *comps = json_array(), *paths = json_array();
        char where[256], *conf = NULL, value[512];
        bool clamd, fresh, onacc, masked;

        for (size_t i = 0; i < 4; i++)
                if (rootfs_exists(ctx->root, bins[i]))
                        json_array_append_new(found, json_string(bins[i]));
        for (size_t i = 0; i < 2; i++)
                if (units_installed(ctx->root, units[i], where, sizeof(where), &masked))
                        json_array_append_new(found, json_string(where));
        if (json_array_size(found) == 0) {
                json_decref(found);
                json_decref(comps);
                json_decref(paths);
                return;
        }
        json_t *p = json_pack("{s:s, s:s, s:o, s:o, s:s}", "id", "clamav", "name", "ClamAV",
                              "found_by", found, "components", comps, "judged_by", judged_by(ctx));
        clamd = component(ctx, procs, comps, "clamd", "clamav-daemon.service");
        fresh = component(ctx, procs, comps, "freshclam", "clamav-freshclam.service");
        onacc = component(ctx, procs, comps, "clamonacc", "clamav-clamonacc.service");
        json_object_set_new(p, "running", json_boolean(clamd && fresh));

        /* On-access scanning: paths to watch in clamd.conf, and clamonacc up. */
        if (rootfs_read(ctx->root, "etc/clamav/clamd.conf", 1 << 20, &conf, NULL) == 0) {
                static const char *const keys[] = { "OnAccessIncludePath", "OnAccessMountPath" };
                for (size_t k = 0; k < 2; k++)
                        for (unsigned i = 0; i < MAX_ONACCESS; i++) {
                                if (clamav_conf_get(conf, keys[k], i, value, sizeof(value)) < 0)
                                        break;
                                json_array_append_new(paths, facts_string(value));
                        }
                free(conf);
        }
        json_object_set_new(p, "realtime", json_boolean(json_array_size(paths) && onacc && clamd));
        json_object_set_new(p, "onaccess_paths", paths);
        json_object_set_new(p, "realtime_how",
                            json_string("OnAccessIncludePath or OnAccessMountPath in "
                                        "etc/clamav/clamd.conf, with clamd and clamonacc running"));
        clamav_signatures(ctx, facts, p);
        json_array_append_new(products, p);
}

static int load_table(struct avproducts *t, struct error *e, char *path, size_t size)
{
        char *text = NULL;
        int rc = paths_read_data("antivirus-products.conf", 1 << 20, &text, path, size);

        if (rc < 0) {
                error_set(e, path, 0, "cannot read: %s", strerror(-rc));
                return rc;
        }
        rc = avproducts_parse(text, path, t, e);
        free(text);
        return rc;
}

static void product_collect(const struct collect_ctx *ctx, const struct procs *procs,
                            const struct avproduct *ap, json_t *products)
{
        json_t *found = json_array(), *comps = json_array();
        bool running = false, judged = false, masked;
        char where[256];

        for (size_t i = 0; i < ap->npaths; i++)
                if (rootfs_exists(ctx->root, ap->paths[i] + 1))
                        json_array_append_new(found, json_string(ap->paths[i] + 1));
        for (size_t i = 0; i < ap->nservices; i++)
                if (units_installed(ctx->root, ap->services[i], where, sizeof(where), &masked))
                        json_array_append_new(found, json_string(where));
        for (size_t i = 0; ctx->root->host && i < ap->nprocesses; i++)
                if (procs_seen(procs, ap->processes[i])) {
                        json_array_append_new(found,
                                              json_pack("{s:s}", "process", ap->processes[i]));
                        running = judged = true;
                }
        if (json_array_size(found) == 0) {
                json_decref(found);
                json_decref(comps);
                return;
        }
        for (size_t i = 0; i < ap->nservices; i++) {
                bool installed =
                    units_installed(ctx->root, ap->services[i], where, sizeof(where), &masked);
                bool enabled = installed && !masked && units_enabled(ctx->root, ap->services[i]);
                bool up = ctx->root->host ? units_has_process(ctx->root, ap->services[i]) : enabled;
                if (!installed)
                        continue;
                json_array_append_new(comps,
                                      json_pack("{s:s, s:b, s:b}", "service", ap->services[i],
                                                "enabled", enabled, "running", up));
                running = running || up;
                judged = true;
        }
        if (ctx->root->host && ap->nprocesses)
                judged = true;
        json_t *p = json_pack("{s:s, s:s, s:o, s:o, s:s, s:b}", "id", ap->id, "name", ap->name,
                              "found_by", found, "components", comps, "judged_by", judged_by(ctx),
                              "signatures_readable", 0);
        if (judged) {
                json_object_set_new(p, "running", json_boolean(running));
                json_object_set_new(p, "realtime", json_boolean(running && ap->realtime));
                json_object_set_new(p, "realtime_how",
                                    json_string(ap->realtime ? "scans in real time when running "
                                                               "(antivirus-products.conf)"
                                                             : "no real-time scanning "
                                                               "(antivirus-products.conf)"));
        }
        json_array_append_new(products, p);
}

int antivirus_collect(const struct collect_ctx *ctx, json_t *facts)
{
        struct avproducts *table = malloc(sizeof(*table));
        struct procs *procs = calloc(1, sizeof(*procs));
        json_t *products = json_array();
        char path[4096];
        struct error e;
        bool have_table;

        if (!table || !procs) {
                free(table);
                free(procs);
                json_decref(products);
                return -ENOMEM;
        }
        have_table = load_table(table, &e, path, sizeof(path)) == 0;
        if (!have_table)
                facts_add_error(facts, "products", e.file, e.line, "%s", e.msg);
        procs_want(procs, "clamd");
        procs_want(procs, "freshclam");
        procs_want(procs, "clamonacc");
        for (size_t i = 0; have_table && i < table->n; i++)
                for (size_t j = 0; j < table->v[i].nprocesses; j++)
                        procs_want(procs, table->v[i].processes[j]);
        if (ctx->root->host)
                procs_scan(ctx->root, procs);

        clamav_collect(ctx, procs, facts, products);
        for (size_t i = 0; have_table && i < table->n; i++)
                product_collect(ctx, procs, &table->v[i], products);
        json_object_set_new(facts, "products", products);
        json_object_set_new(facts, "host", json_boolean(ctx->root->host));
        free(table);
        free(procs);
        return 0;
}
