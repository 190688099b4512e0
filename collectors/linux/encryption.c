/* encryption.c - whether the volume that holds "/" is encrypted.
 *
 * sysfs tells, down the device-mapper layers under "/" to the disk: a
 * dm-crypt layer on every way down means encrypted. A root that is not
 * running has no sysfs: its fstab, crypttab and LVM's metadata backup stand
 * in for it. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "backup_place.h"
#include "blockcrypt.h"
#include "security.h"

#define CONF_MAX         (1u << 20)
#define CRYPT_DEPTH_MAX  8
#define CRYPT_SLAVES_MAX 16
#define CRYPT_LAYERS_MAX 16

/* A small sysfs attribute, trailing blanks cut. 0 or a negative errno. */
static int read_attr(const struct rootfs *root, const char *path, char *buf, size_t size)
{
        size_t n;
        int rc = rootfs_read_small(root, path, buf, size, &n);

        if (rc < 0)
                return rc;
        while (n > 0 && isspace((unsigned char)buf[n - 1]))
                buf[--n] = '\0';
        return 0;
}

static bool block_name_ok(const char *name)
{
        return name[0] && name[0] != '.' && !strchr(name, '/') && strlen(name) < 64;
}

struct crypt_walk {
        const struct rootfs *root;
        json_t *layers;
        char device[160]; /* the first dm-crypt layer, /dev/mapper/NAME */
        const char *type;
};

/* 1 when every way from block device name down to a disk crosses a
 * dm-crypt layer, 0 when one does not, a negative errno when sysfs does not
 * say. */
static int crypt_walk(struct crypt_walk *w, const char *name, int depth)
{
        char path[256], uuid[256], dm_name[128] = "";
        const char *type = NULL, *kind;
        enum dm_kind dm = DM_OTHER;
        struct dirent *e;
        int rc = 1, n = 0;
        bool mapped;
        DIR *d;

        if (depth > CRYPT_DEPTH_MAX)
                return -ELOOP;
        if (!block_name_ok(name))
                return -EINVAL;
        snprintf(path, sizeof(path), "sys/class/block/%s", name);
        if (!rootfs_exists(w->root, path))
                return -ENOENT;
        snprintf(path, sizeof(path), "sys/class/block/%s/dm/uuid", name);
        mapped = read_attr(w->root, path, uuid, sizeof(uuid)) == 0;
        if (mapped) {
                dm = dm_uuid_kind(uuid, &type);
                snprintf(path, sizeof(path), "sys/class/block/%s/dm/name", name);
                if (read_attr(w->root, path, dm_name, sizeof(dm_name)) < 0)
                        dm_name[0] = '\0';
                kind = dm == DM_CRYPT ? "dm-crypt" : dm == DM_LVM ? "lvm" : "device-mapper";
        } else {
                snprintf(path, sizeof(path), "sys/class/block/%s/partition", name);
                kind = rootfs_exists(w->root, path) ? "partition" : "disk";
        }
        if (json_array_size(w->layers) < CRYPT_LAYERS_MAX) {
                json_t *l = json_pack("{s:o, s:s}", "device", facts_string(name), "kind", kind);
                if (dm_name[0])
                        json_object_set_new(l, "dm_name", facts_string(dm_name));
                if (type)
                        json_object_set_new(l, "type", json_string(type));
                json_array_append_new(w->layers, l);
        }
        if (dm == DM_CRYPT) {
                if (!w->device[0]) {
                        snprintf(w->device, sizeof(w->device), "/dev/mapper/%s",
                                 dm_name[0] ? dm_name : name);
                        w->type = type;
                }
                return 1;
        }
        snprintf(path, sizeof(path), "sys/class/block/%s/slaves", name);
        d = rootfs_opendir(w->root, path);
        while (d && rc != 0 && (e = readdir(d)) && n < CRYPT_SLAVES_MAX) {
                if (!block_name_ok(e->d_name))
                        continue;
                n++;
                int r = crypt_walk(w, e->d_name, depth + 1);
                if (r <= 0 && rc > 0)
                        rc = r;
                else if (r == 0)
                        rc = 0;
        }
        if (d)
                closedir(d);
        return n == 0 ? 0 : rc;
}

/* DEVNAME of sys/dev/block/MAJ:MIN/uevent into name. */
static int block_from_devnum(const struct rootfs *root, unsigned major, unsigned minor, char *name,
                             size_t size)
{
        char path[64], buf[1024], *p;

        snprintf(path, sizeof(path), "sys/dev/block/%u:%u/uevent", major, minor);
        if (read_attr(root, path, buf, sizeof(buf)) < 0)
                return -ENOENT;
        for (p = buf; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
                if (strncmp(p, "DEVNAME=", 8) == 0) {
                        p += 8;
                        p[strcspn(p, "\n")] = '\0';
                        if (!block_name_ok(p) || strlen(p) >= size)
                                return -EINVAL;
                        snprintf(name, size, "%s", p);
                        return 0;
                }
        return -ENOENT;
}

/* The block device of "/dev/NAME" or "/dev/mapper/NAME" in sysfs. */
static int block_from_source(const struct rootfs *root, const char *source, char *name, size_t size)
{
        char path[256], dm_name[128];
        struct dirent *e;
        DIR *d;
        int rc = -ENOENT;

        if (strncmp(source, "/dev/mapper/", 12) == 0) {
                d = rootfs_opendir(root, "sys/class/block");
                while (d && rc < 0 && (e = readdir(d))) {
                        if (strncmp(e->d_name, "dm-", 3) != 0 || !block_name_ok(e->d_name))
                                continue;
                        snprintf(path, sizeof(path), "sys/class/block/%s/dm/name", e->d_name);
                        if (read_attr(root, path, dm_name, sizeof(dm_name)) == 0 &&
                            strcmp(dm_name, source + 12) == 0 && strlen(e->d_name) < size) {
                                snprintf(name, size, "%s", e->d_name);
                                rc = 0;
                        }
                }
                if (d)
                        closedir(d);
                return rc;
        }
        if (strncmp(source, "/dev/", 5) != 0 || !block_name_ok(source + 5) ||
            strlen(source + 5) >= size)
                return -ENOENT;
        snprintf(path, sizeof(path), "sys/class/block/%s", source + 5);
        if (!rootfs_exists(root, path))
                return -ENOENT;
        snprintf(name, size, "%s", source + 5);
        return 0;
}

static void set_encrypted(json_t *enc, bool encrypted, const char *device, const char *type)
{
        json_object_set_new(enc, "encrypted", json_boolean(encrypted));
        if (encrypted && device)
                json_object_set_new(enc, "device", facts_string(device));
        if (encrypted && type)
                json_object_set_new(enc, "type", json_string(type));
}

static void set_note(json_t *enc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void set_note(json_t *enc, const char *fmt, ...)
{
        char note[512];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(note, sizeof(note), fmt, ap);
        va_end(ap);
        json_object_set_new(enc, "note", facts_string(note));
}

/* A volume group whose physical volumes crypttab opens: 1 all, 0 none, -1
 * some or not known. The first encrypted one into device and type. */
static int lvm_on_crypt(const struct collect_ctx *ctx, json_t *facts, const struct crypttab *ct,
                        const char *vg, char *device, size_t size, const char **type)
{
        char path[256], *text = NULL, (*pv)[LVM_DEVICE_MAX];
        size_t n = 0, crypt = 0;
        struct error err;
        int rc;

        if (!block_name_ok(vg) || strcmp(vg, "..") == 0)
                return -1;
        snprintf(path, sizeof(path), "etc/lvm/backup/%s", vg);
        rc = rootfs_read(ctx->root, path, CONF_MAX, &text, NULL);
        if (rc < 0) {
                if (rc != -ENOENT)
                        facts_add_error(facts, "encryption", path, 0, "cannot read: %s",
                                        strerror(-rc));
                return -1;
        }
        pv = malloc(LVM_PVS_MAX * sizeof(*pv));
        rc = pv ? lvm_backup_pvs(text, path, pv, LVM_PVS_MAX, &n, &err) : -ENOMEM;
        free(text);
        if (rc == -EINVAL || rc == -E2BIG)
                facts_add_error(facts, "encryption", err.file, err.line, "%s", err.msg);
        for (size_t i = 0; rc == 0 && i < n; i++) {
                const struct crypttab_entry *c =
                    strncmp(pv[i], "/dev/mapper/", 12) == 0 ? crypttab_find(ct, pv[i] + 12) : NULL;
                if (!c || crypttab_ephemeral(c))
                        continue;
                if (crypt++ == 0) {
                        snprintf(device, size, "%s", pv[i]);
                        *type = crypttab_type(c);
                }
        }
        free(pv);
        if (rc < 0 || n == 0)
                return -1;
        return crypt == n ? 1 : crypt == 0 ? 0 : -1;
}

/* A root that is not running: "/" as etc/fstab mounts it, and what
 * etc/crypttab opens at boot. */
static void encryption_from_boot(const struct collect_ctx *ctx, json_t *facts, json_t *enc)
{
        char *text = NULL, spec[256], type[32], vg[128], lv[128], device[LVM_DEVICE_MAX];
        struct crypttab *ct = NULL;
        const struct crypttab_entry *c;
        const char *ctype = NULL;
        size_t keyed = 0;
        struct error err;
        int rc;

        rc = rootfs_read(ctx->root, "etc/fstab", CONF_MAX, &text, NULL);
        if (rc < 0) {
                if (rc != -ENOENT)
                        facts_add_error(facts, "encryption", "etc/fstab", 0, "cannot read: %s",
                                        strerror(-rc));
                set_note(enc, "neither sysfs nor etc/fstab tells which device holds /");
                goto out;
        }
        rc = fstab_root(text, spec, sizeof(spec), type, sizeof(type));
        free(text);
        text = NULL;
        if (rc < 0) {
                set_note(enc, "etc/fstab mounts nothing on /");
                goto out;
        }
        json_object_set_new(enc, "source", facts_string(spec));
        if (type[0])
                json_object_set_new(enc, "fstype", facts_string(type));
        json_object_set_new(enc, "decided_from", json_string("etc/fstab and etc/crypttab"));
        ct = malloc(sizeof(*ct));
        if (!ct)
                goto out;
        ct->n = 0;
        rc = rootfs_read(ctx->root, "etc/crypttab", CONF_MAX, &text, NULL);
        if (rc < 0 && rc != -ENOENT) {
                facts_add_error(facts, "encryption", "etc/crypttab", 0, "cannot read: %s",
                                strerror(-rc));
                goto out;
        }
        if (rc == 0 && (rc = crypttab_parse(text, "etc/crypttab", ct, &err)) < 0) {
                facts_add_error(facts, "encryption", err.file, err.line, "%s", err.msg);
                goto out;
        }
        for (size_t i = 0; i < ct->n; i++)
                keyed += !crypttab_ephemeral(&ct->v[i]);
        if (strncmp(spec, "/dev/mapper/", 12) == 0) {
                c = crypttab_find(ct, spec + 12);
                if (c && !crypttab_ephemeral(c)) {
                        set_encrypted(enc, true, spec, crypttab_type(c));
                        goto out;
                }
                if (!c && dm_name_lvm(spec + 12, vg, sizeof(vg), lv, sizeof(lv)) == 0) {
                        rc = lvm_on_crypt(ctx, facts, ct, vg, device, sizeof(device), &ctype);
                        if (rc >= 0) {
                                json_object_set_new(
                                    enc, "decided_from",
                                    json_string("etc/fstab, etc/lvm/backup and etc/crypttab"));
                                set_encrypted(enc, rc == 1, device, ctype);
                                if (rc == 0)
                                        set_note(enc,
                                                 "the volume group %s lies on no volume "
                                                 "etc/crypttab opens",
                                                 vg);
                                goto out;
                        }
                }
        }
        if (keyed == 0) {
                set_encrypted(enc, false, NULL, NULL);
                set_note(enc, "etc/crypttab opens no encrypted volume at boot");
        } else {
                set_note(enc,
                         "etc/crypttab opens %s, but without the running system Hygie cannot "
                         "tell whether %s lies on it",
                         ct->v[0].name, spec);
        }
out:
        free(text);
        free(ct);
}

void encryption_collect(const struct collect_ctx *ctx, json_t *facts)
{
        json_t *enc = json_pack("{s:s, s:s}", "volume", "/", "how", "dm-crypt");
        json_t *scratch = json_object(), *e;
        const struct mount_entry *m = NULL;
        struct places p;
        char name[64];
        int rc = -ENOENT;
        size_t i;

        /* The mount table, as the backup collector reads it; its errors are
         * this fact's. */
        places_init(&p, ctx->root, scratch);
        json_array_foreach(json_object_get(scratch, "errors"), i, e)
            facts_add_error(facts, "encryption", json_string_value(json_object_get(e, "file")),
                            (unsigned)json_integer_value(json_object_get(e, "line")), "%s",
                            json_string_value(json_object_get(e, "message")));
        json_decref(scratch);
        if (p.have_mi)
                m = mountinfo_find(&p.mi, "/");
        if (m) {
                json_object_set_new(enc, "source", facts_string(m->source));
                json_object_set_new(enc, "fstype", facts_string(m->fstype));
                if (m->major != 0)
                        rc = block_from_devnum(ctx->root, m->major, m->minor, name, sizeof(name));
                if (rc < 0)
                        rc = block_from_source(ctx->root, m->source, name, sizeof(name));
                if (rc < 0 && m->major == 0 && strncmp(m->source, "/dev/", 5) != 0) {
                        set_note(enc, "/ is on no block device: a %s file system from \"%s\"",
                                 m->fstype, m->source);
                        goto out;
                }
        } else if (ctx->root->host) {
                struct stat st;
                if (rootfs_stat(ctx->root, ".", &st) == 0 && major(st.st_dev) != 0)
                        rc = block_from_devnum(ctx->root, major(st.st_dev), minor(st.st_dev), name,
                                               sizeof(name));
        }
        if (rc == 0) {
                struct crypt_walk w = { .root = ctx->root, .layers = json_array() };
                rc = crypt_walk(&w, name, 0);
                json_object_set_new(enc, "layers", w.layers);
                json_object_set_new(enc, "decided_from", json_string("sysfs"));
                if (rc >= 0)
                        set_encrypted(enc, rc == 1, w.device, w.type);
                else
                        set_note(enc, "sysfs does not tell what lies under %s (%s)", name,
                                 strerror(-rc));
        } else if (!ctx->root->host) {
                encryption_from_boot(ctx, facts, enc);
        } else {
                set_note(enc, "sysfs does not describe the device that holds /");
        }
out:
        places_free(&p);
        json_object_set_new(facts, "encryption", enc);
}
