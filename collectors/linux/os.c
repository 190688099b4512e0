/* os.c - which operating system this is and until when it gets security
 * fixes, and the protections of the system itself (firewall.c, encryption.c).
 *
 * Reads os-release and the distro-info-data tables (the root's own copy, or
 * the one taken when Hygie was built for a root that has none or does not
 * know its release). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "collector.h"
#include "osinfo.h"
#include "security.h"

extern const char distro_info_debian_csv[];
extern const char distro_info_ubuntu_csv[];

static void set_str(json_t *o, const char *key, const char *v)
{
        if (v && *v)
                json_object_set_new(o, key, json_string(v));
}

/* The newest lib/modules/<version> of a root that is not running. */
static int newest_kernel(const struct rootfs *root, char *buf, size_t size)
{
        DIR *d = rootfs_opendir(root, "lib/modules");
        struct dirent *e;

        buf[0] = '\0';
        if (!d)
                return -errno;
        while ((e = readdir(d))) {
                if (e->d_name[0] == '.')
                        continue;
                if (!buf[0] || strverscmp(e->d_name, buf) > 0)
                        snprintf(buf, size, "%s", e->d_name);
        }
        closedir(d);
        return buf[0] ? 0 : -ENOENT;
}

static int support_from(const char *table, const char *source, const char *distro,
                        const struct os_release *osr, json_t *facts)
{
        struct distro_row row;

        /* A derivative's own version numbers mean nothing in its base's table. */
        const char *series = osr->ubuntu_codename[0] && strcmp(distro, "ubuntu") == 0
                                 ? osr->ubuntu_codename
                                 : osr->codename;
        const char *version = strcmp(osr->id, distro) == 0 ? osr->version_id : NULL;

        if (distro_info_find(table, series, version, &row) < 0)
                return -ENOENT;
        json_t *s = json_object();
        set_str(s, "distro", distro);
        set_str(s, "table", source);
        set_str(s, "series", row.series);
        set_str(s, "release", row.release);
        set_str(s, "eol", row.eol);
        /* Debian: LTS then ELTS; Ubuntu: server (same as eol since 18.04), ESM, legacy. */
        set_str(s, strcmp(distro, "debian") == 0 ? "eol_lts" : "eol_server", row.ext[0]);
        set_str(s, strcmp(distro, "debian") == 0 ? "eol_elts" : "eol_esm", row.ext[1]);
        if (strcmp(distro, "ubuntu") == 0)
                set_str(s, "eol_legacy", row.ext[2]);
        json_object_set_new(facts, "support", s);
        return 0;
}

static void os_support(const struct collect_ctx *ctx, const struct os_release *osr, json_t *facts)
{
        const char *distro = os_release_distro(osr);
        char path[64], *text = NULL;
        int rc;

        if (!distro)
                return;
        snprintf(path, sizeof(path), "usr/share/distro-info/%s.csv", distro);
        rc = rootfs_read(ctx->root, path, 1 << 20, &text, NULL);
        if (rc == 0 && support_from(text, "root", distro, osr, facts) == 0) {
                free(text);
                return;
        }
        free(text);
        support_from(strcmp(distro, "debian") == 0 ? distro_info_debian_csv
                                                   : distro_info_ubuntu_csv,
                     "builtin", distro, osr, facts);
}

int os_collect(const struct collect_ctx *ctx, json_t *facts)
{
        static const char *const files[] = { "etc/os-release", "usr/lib/os-release" };
        struct os_release osr;
        char *text = NULL, kernel[256];
        const char *file = NULL;
        struct error err;
        int rc = -ENOENT;

        for (size_t i = 0; i < 2 && rc == -ENOENT; i++) {
                file = files[i];
                rc = rootfs_read(ctx->root, file, 64 << 10, &text, NULL);
        }
        if (rc < 0) {
                facts_add_error(facts, "os-release", files[0], 0, "cannot read: %s", strerror(-rc));
        } else if (os_release_parse(text, file, &osr, &err) < 0) {
                facts_add_error(facts, "os-release", file, err.line, "%s", err.msg);
        } else {
                set_str(facts, "id", osr.id);
                set_str(facts, "id_like", osr.id_like);
                set_str(facts, "name", osr.name);
                set_str(facts, "pretty_name", osr.pretty_name);
                set_str(facts, "version", osr.version);
                set_str(facts, "version_id", osr.version_id);
                set_str(facts, "codename", osr.codename);
                os_support(ctx, &osr, facts);
        }
        free(text);
        text = NULL;
        if (rootfs_read(ctx->root, "etc/debian_version", 4096, &text, NULL) == 0) {
                text[strcspn(text, "\r\n")] = '\0';
                set_str(facts, "debian_version", text);
                free(text);
        }

        if (ctx->root->host) {
                struct utsname u;
                if (uname(&u) == 0) {
                        set_str(facts, "kernel", u.release);
                        set_str(facts, "kernel_source", "running");
                        set_str(facts, "arch", u.machine);
                }
        } else if (newest_kernel(ctx->root, kernel, sizeof(kernel)) == 0) {
                set_str(facts, "kernel", kernel);
                set_str(facts, "kernel_source", "installed");
        }
        firewall_collect(ctx, facts);
        encryption_collect(ctx, facts);
        return 0;
}
