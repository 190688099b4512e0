/* hardware.c - what this machine is made of, for the equipment catch-up:
 * CPU, RAM, disks (and which holds the system), DMI identity and BIOS date,
 * TPM, UEFI and Secure Boot, battery wear.
 *
 * Everything is read through the root (its proc/ and sys/), so a fixture tree
 * stands in for a machine; only on the host is "/" itself stat'ed. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "collector.h"
#include "hwinfo.h"

#define MAX_DISKS     64
#define MAX_BATTERIES 8
#define MAX_DEPTH     4 /* dm over md over a partition... */

static void set_str(json_t *o, const char *key, const char *v)
{
        if (v && *v)
                json_object_set_new(o, key, facts_string(v));
}

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

static int read_ull(const struct rootfs *root, const char *path, int base, unsigned long long *v)
{
        char buf[64], *end;
        int rc = read_attr(root, path, buf, sizeof(buf));

        if (rc < 0)
                return rc;
        errno = 0;
        *v = strtoull(buf, &end, base);
        return errno || end == buf || *end || buf[0] == '-' ? -EINVAL : 0;
}

static void collect_cpu(const struct collect_ctx *ctx, json_t *facts, struct cpuinfo *ci)
{
        char *text = NULL;
        struct error err;
        int rc = rootfs_read(ctx->root, "proc/cpuinfo", 8 << 20, &text, NULL);

        if (rc < 0) {
                /* A root that is not running (a mounted disk) has an empty proc/. */
                if (ctx->root->host || rc != -ENOENT)
                        facts_add_error(facts, "cpuinfo", "proc/cpuinfo", 0, "cannot read: %s",
                                        strerror(-rc));
                ci->threads = 0;
                return;
        }
        rc = cpuinfo_parse(text, "proc/cpuinfo", ci, &err);
        free(text);
        if (rc < 0) {
                facts_add_error(facts, "cpuinfo", "proc/cpuinfo", err.line, "%s", err.msg);
                ci->threads = 0;
                return;
        }
        json_t *cpu = json_object();
        set_str(cpu, "vendor", ci->vendor);
        set_str(cpu, "model_name", ci->model_name);
        if (ci->family >= 0)
                json_object_set_new(cpu, "family", json_integer(ci->family));
        if (ci->model >= 0)
                json_object_set_new(cpu, "model", json_integer(ci->model));
        if (ci->stepping >= 0)
                json_object_set_new(cpu, "stepping", json_integer(ci->stepping));
        json_object_set_new(cpu, "cores", json_integer(ci->cores));
        json_object_set_new(cpu, "threads", json_integer(ci->threads));
        json_object_set_new(cpu, "arch", json_string(ci->arm ? "arm" : "x86"));
        if (ci->arm)
                json_object_set_new(cpu, "atomics", json_boolean(ci->atomics));
        else
                json_object_set_new(cpu, "bits64", json_boolean(ci->lm));
        json_object_set_new(facts, "cpu", cpu);
}

/* MemTotal, and the installed size the kernel's memory blocks add up to:
 * unlike MemTotal it includes what firmware and the kernel hold back. */
static void collect_memory(const struct collect_ctx *ctx, json_t *facts)
{
        unsigned long long kib, block, count = 0;
        char *text = NULL;
        struct error err;
        json_t *mem = json_object();
        int rc = rootfs_read(ctx->root, "proc/meminfo", 1 << 20, &text, NULL);

        if (rc < 0) {
                if (ctx->root->host || rc != -ENOENT)
                        facts_add_error(facts, "meminfo", "proc/meminfo", 0, "cannot read: %s",
                                        strerror(-rc));
        } else if (meminfo_parse(text, "proc/meminfo", &kib, &err) < 0)
                facts_add_error(facts, "meminfo", "proc/meminfo", err.line, "%s", err.msg);
        else
                json_object_set_new(mem, "total_kib", json_integer((json_int_t)kib));
        free(text);

        DIR *d = rootfs_opendir(ctx->root, "sys/devices/system/memory");
        if (d &&
            read_ull(ctx->root, "sys/devices/system/memory/block_size_bytes", 16, &block) == 0 &&
            block > 0 && block <= (1ull << 40)) {
                struct dirent *e;
                while ((e = readdir(d)) && count < (1u << 20))
                        if (strncmp(e->d_name, "memory", 6) == 0 &&
                            isdigit((unsigned char)e->d_name[6]))
                                count++;
                if (count)
                        json_object_set_new(mem, "blocks_bytes",
                                            json_integer((json_int_t)(count * block)));
        }
        if (d)
                closedir(d);
        json_object_set_new(facts, "memory", mem);
}

/* Block devices that are not disks of their own. */
static bool disk_skipped(const char *name)
{
        static const char *const prefixes[] = { "loop", "ram", "zram", "dm-", "md",
                                                "nbd",  "sr",  "fd",   "drbd" };

        if (name[0] == '.')
                return true;
        for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
                if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
                        return true;
        /* eMMC boot and replay-protected areas show up beside the disk. */
        return strncmp(name, "mmcblk", 6) == 0 && (strstr(name, "boot") || strstr(name, "rpmb"));
}

static bool disk_virtual(const char *name, const char *vendor, const char *model)
{
        static const char *const marks[] = { "QEMU", "VBOX", "VMware", "Virtual Disk",
                                             "Virtual disk" };

        if (strncmp(name, "vd", 2) == 0 || strncmp(name, "xvd", 3) == 0)
                return true;
        for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
                if (strstr(vendor, marks[i]) || strstr(model, marks[i]))
                        return true;
        return false;
}

static json_t *collect_disks(const struct collect_ctx *ctx)
{
        json_t *disks = json_array();
        DIR *d = rootfs_opendir(ctx->root, "sys/block");
        struct dirent *e;

        if (!d)
                return disks;
        while ((e = readdir(d)) && json_array_size(disks) < MAX_DISKS) {
                char path[512], model[128] = "", vendor[64] = "";
                unsigned long long sectors, v;
                json_t *disk;

                if (disk_skipped(e->d_name) || strlen(e->d_name) > 64)
                        continue;
                snprintf(path, sizeof(path), "sys/block/%s/size", e->d_name);
                if (read_ull(ctx->root, path, 10, &sectors) < 0)
                        continue;
                disk = json_pack("{s:s, s:I}", "name", e->d_name, "size_bytes",
                                 (json_int_t)(sectors > (1ull << 50) ? 0 : sectors * 512));
                snprintf(path, sizeof(path), "sys/block/%s/device/model", e->d_name);
                read_attr(ctx->root, path, model, sizeof(model));
                snprintf(path, sizeof(path), "sys/block/%s/device/vendor", e->d_name);
                read_attr(ctx->root, path, vendor, sizeof(vendor));
                set_str(disk, "model", model);
                set_str(disk, "vendor", vendor);
                snprintf(path, sizeof(path), "sys/block/%s/queue/rotational", e->d_name);
                if (read_ull(ctx->root, path, 10, &v) == 0)
                        json_object_set_new(disk, "rotational", json_boolean(v != 0));
                snprintf(path, sizeof(path), "sys/block/%s/removable", e->d_name);
                if (read_ull(ctx->root, path, 10, &v) == 0)
                        json_object_set_new(disk, "removable", json_boolean(v != 0));
                json_object_set_new(disk, "virtual",
                                    json_boolean(disk_virtual(e->d_name, vendor, model)));
                json_array_append_new(disks, disk);
        }
        closedir(d);
        return disks;
}

/* DEVNAME= of a uevent file. */
static int uevent_name(const struct rootfs *root, const char *path, char *name, size_t size)
{
        char buf[1024], *p;
        int rc = read_attr(root, path, buf, sizeof(buf));

        if (rc < 0)
                return rc;
        p = strstr(buf, "DEVNAME=");
        if (!p || (p != buf && p[-1] != '\n'))
                return -ENOENT;
        p += strlen("DEVNAME=");
        p[strcspn(p, "\n")] = '\0';
        if (!*p || strchr(p, '/') || strlen(p) >= size)
                return -ENOENT;
        snprintf(name, size, "%s", p);
        return 0;
}

/* The whole disk under the block device at dev (a sys/ directory): a
 * partition's parent, or what a device-mapper or md device sits on. */
static int disk_under(const struct rootfs *root, const char *dev, int depth, char *name,
                      size_t size)
{
        char path[512];
        DIR *d;
        struct dirent *e;

        if (depth > MAX_DEPTH)
                return -ELOOP;
        snprintf(path, sizeof(path), "%s/partition", dev);
        if (rootfs_exists(root, path)) {
                snprintf(path, sizeof(path), "%s/../uevent", dev);
                return uevent_name(root, path, name, size);
        }
        snprintf(path, sizeof(path), "%s/slaves", dev);
        d = rootfs_opendir(root, path);
        if (d) {
                while ((e = readdir(d))) {
                        if (e->d_name[0] == '.' || strlen(e->d_name) > 64)
                                continue;
                        snprintf(path, sizeof(path), "sys/class/block/%s", e->d_name);
                        closedir(d);
                        return disk_under(root, path, depth + 1, name, size);
                }
                closedir(d);
        }
        snprintf(path, sizeof(path), "%s/uevent", dev);
        return uevent_name(root, path, name, size);
}

int hardware_disk_of(const struct rootfs *root, const char *dev, char *name, size_t size)
{
        return disk_under(root, dev, 0, name, size);
}

/* The source of the last mount on "/" in mountinfo, for file systems whose
 * st_dev is not a block device (btrfs, for one). */
static int root_mount_source(const struct rootfs *root, char *dev, size_t size)
{
        char *text = NULL;
        int rc = rootfs_read(root, "proc/self/mountinfo", 4 << 20, &text, NULL);

        if (rc < 0)
                return rc;
        rc = -ENOENT;
        char *save = NULL;
        for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char mnt[8], src[256];
                const char *sep = strstr(line, " - ");
                if (sscanf(line, "%*s %*s %*s %*s %7s", mnt) != 1 || strcmp(mnt, "/") != 0 || !sep)
                        continue;
                if (sscanf(sep + 3, "%*s %255s", src) == 1 && strncmp(src, "/dev/", 5) == 0 &&
                    !strchr(src + 5, '/') && strlen(src + 5) < size) {
                        snprintf(dev, size, "%.*s", (int)(size - 1), src + 5);
                        rc = 0;
                }
        }
        free(text);
        return rc;
}

static void system_disk_host(const struct collect_ctx *ctx, json_t *facts)
{
        struct stat st;
        char dev[512], name[80], src[80], how[256];

        if (rootfs_stat(ctx->root, ".", &st) < 0)
                return;
        if (major(st.st_dev) != 0) {
                snprintf(dev, sizeof(dev), "sys/dev/block/%u:%u", major(st.st_dev),
                         minor(st.st_dev));
                if (hardware_disk_of(ctx->root, dev, name, sizeof(name)) < 0)
                        return;
                snprintf(how, sizeof(how), "stat(\"/\") gives device %u:%u, sys/dev/block/%u:%u",
                         major(st.st_dev), minor(st.st_dev), major(st.st_dev), minor(st.st_dev));
        } else {
                if (root_mount_source(ctx->root, src, sizeof(src)) < 0)
                        return;
                snprintf(dev, sizeof(dev), "sys/class/block/%s", src);
                if (hardware_disk_of(ctx->root, dev, name, sizeof(name)) < 0)
                        return;
                snprintf(how, sizeof(how), "/ is mounted from /dev/%s (proc/self/mountinfo)", src);
        }
        json_object_set_new(facts, "system_disk",
                            json_pack("{s:s, s:s}", "name", name, "how", how));
}

/* Another root: the one fixed disk, when there is only one. */
static void system_disk_guess(json_t *facts, const json_t *disks)
{
        const json_t *disk, *only = NULL;
        size_t i, fixed = 0;

        json_array_foreach(disks, i, disk)
        {
                if (json_is_true(json_object_get(disk, "removable")))
                        continue;
                fixed++;
                only = disk;
        }
        if (fixed == 1)
                json_object_set_new(
                    facts, "system_disk",
                    json_pack("{s:O, s:s}", "name", json_object_get(only, "name"), "how",
                              "the only non-removable disk of the root's sys/block"));
}

static void collect_dmi(const struct collect_ctx *ctx, json_t *facts)
{
        static const char *const attrs[] = { "sys_vendor",  "product_name", "product_serial",
                                             "bios_vendor", "bios_version", "bios_date" };
        json_t *dmi = json_object();
        char path[128], buf[256];
        int y, m, d;

        for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
                snprintf(path, sizeof(path), "sys/class/dmi/id/%s", attrs[i]);
                if (read_attr(ctx->root, path, buf, sizeof(buf)) == 0)
                        set_str(dmi, attrs[i], buf);
        }
        const char *date = json_string_value(json_object_get(dmi, "bios_date"));
        if (date && dmi_date_parse(date, &y, &m, &d) == 0) {
                snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, d);
                json_object_set_new(dmi, "bios_date_iso", json_string(buf));
        } else if (date) {
                facts_add_error(facts, "dmi", "sys/class/dmi/id/bios_date", 0,
                                "not a date MM/DD/YYYY: \"%s\"", date);
        }
        json_object_set_new(facts, "dmi", dmi);
}

static void collect_tpm(const struct collect_ctx *ctx, json_t *facts)
{
        DIR *d = rootfs_opendir(ctx->root, "sys/class/tpm");
        json_t *tpm = json_pack("{s:b}", "present", 0);
        char path[256], buf[4096], name[64] = "";
        unsigned long long major;
        struct dirent *e;
        int maj, min;

        while (d && (e = readdir(d)))
                if (strncmp(e->d_name, "tpm", 3) == 0 && strlen(e->d_name) < sizeof(name) &&
                    (!name[0] || strcmp(e->d_name, name) < 0))
                        snprintf(name, sizeof(name), "%s", e->d_name);
        if (d)
                closedir(d);
        if (name[0]) {
                json_object_set_new(tpm, "present", json_true());
                json_object_set_new(tpm, "device", json_string(name));
                snprintf(path, sizeof(path), "sys/class/tpm/%s/tpm_version_major", name);
                if (read_ull(ctx->root, path, 10, &major) == 0 && major > 0 && major < 100) {
                        snprintf(buf, sizeof(buf), "%llu.0", major);
                        if (major == 1)
                                snprintf(buf, sizeof(buf), "1.2");
                        json_object_set_new(tpm, "version", json_string(buf));
                        json_object_set_new(tpm, "how", json_string("tpm_version_major"));
                } else {
                        snprintf(path, sizeof(path), "sys/class/tpm/%s/device/caps", name);
                        if (read_attr(ctx->root, path, buf, sizeof(buf)) < 0) {
                                snprintf(path, sizeof(path), "sys/class/tpm/%s/caps", name);
                                if (read_attr(ctx->root, path, buf, sizeof(buf)) < 0)
                                        buf[0] = '\0';
                        }
                        if (tpm_caps_version(buf, &maj, &min) == 0) {
                                snprintf(buf, sizeof(buf), "%d.%d", maj, min);
                                json_object_set_new(tpm, "version", json_string(buf));
                                json_object_set_new(tpm, "how", json_string("caps"));
                        } else if (rootfs_exists(ctx->root, "sys/class/tpmrm")) {
                                /* The resource manager exists for TPM 2.0 only. */
                                json_object_set_new(tpm, "version", json_string("2.0"));
                                json_object_set_new(tpm, "how", json_string("tpmrm"));
                        }
                }
        }
        json_object_set_new(facts, "tpm", tpm);
}

static void collect_firmware(const struct collect_ctx *ctx, json_t *facts)
{
        static const char *const vars[] = {
                "sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c",
                "sys/firmware/efi/vars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c/data",
        };
        bool uefi = rootfs_exists(ctx->root, "sys/firmware/efi");
        json_t *fw = json_pack("{s:b}", "uefi", uefi);
        unsigned char buf[16];

        for (size_t i = 0; uefi && i < 2; i++) {
                struct stat st;
                int fd = rootfs_open_file(ctx->root, vars[i], &st);
                ssize_t n;

                if (fd < 0)
                        continue;
                n = read(fd, buf, sizeof(buf));
                close(fd);
                /* efivarfs: 4 attribute bytes, then the value; the old sysfs
                 * interface gives the value alone. */
                size_t at = i == 0 ? 4 : 0;
                if (n > (ssize_t)at) {
                        json_object_set_new(fw, "secure_boot_capable", json_true());
                        json_object_set_new(fw, "secure_boot", json_boolean(buf[at] == 1));
                        json_object_set_new(fw, "secure_boot_var", json_string(vars[i]));
                        break;
                }
        }
        json_object_set_new(facts, "firmware", fw);
}

static void collect_batteries(const struct collect_ctx *ctx, json_t *facts)
{
        DIR *d = rootfs_opendir(ctx->root, "sys/class/power_supply");
        json_t *bats = json_array();
        struct dirent *e;

        while (d && (e = readdir(d)) && json_array_size(bats) < MAX_BATTERIES) {
                char path[256], type[32];
                unsigned long long cap, full, design;
                json_t *bat;

                if (e->d_name[0] == '.' || strlen(e->d_name) > 64)
                        continue;
                snprintf(path, sizeof(path), "sys/class/power_supply/%s/type", e->d_name);
                if (read_attr(ctx->root, path, type, sizeof(type)) < 0 ||
                    strcmp(type, "Battery") != 0)
                        continue;
                bat = json_pack("{s:s}", "name", e->d_name);
                snprintf(path, sizeof(path), "sys/class/power_supply/%s/capacity", e->d_name);
                if (read_ull(ctx->root, path, 10, &cap) == 0 && cap <= 100)
                        json_object_set_new(bat, "capacity_percent", json_integer((json_int_t)cap));
                for (int k = 0; k < 2; k++) {
                        const char *what = k == 0 ? "energy" : "charge";
                        snprintf(path, sizeof(path), "sys/class/power_supply/%s/%s_full", e->d_name,
                                 what);
                        if (read_ull(ctx->root, path, 10, &full) < 0)
                                continue;
                        snprintf(path, sizeof(path), "sys/class/power_supply/%s/%s_full_design",
                                 e->d_name, what);
                        if (read_ull(ctx->root, path, 10, &design) < 0 || design == 0 ||
                            design > (1ull << 40) || full > (1ull << 40))
                                continue;
                        json_object_set_new(bat, "full", json_integer((json_int_t)full));
                        json_object_set_new(bat, "full_design", json_integer((json_int_t)design));
                        json_object_set_new(
                            bat, "wear_percent",
                            json_integer(full >= design ? 0
                                                        : (json_int_t)(100 - full * 100 / design)));
                        break;
                }
                json_array_append_new(bats, bat);
        }
        if (d)
                closedir(d);
        json_object_set_new(facts, "batteries", bats);
}

/* Why this looks like a virtual machine, or NULL. */
static const char *virtual_machine(const struct collect_ctx *ctx, const struct cpuinfo *ci,
                                   const json_t *dmi)
{
        static const char *const marks[] = { "QEMU",       "KVM", "VMware",
                                             "VirtualBox", "Xen", "Virtual Machine",
                                             "Bochs" };
        const char *vendor = json_string_value(json_object_get(dmi, "sys_vendor"));
        const char *product = json_string_value(json_object_get(dmi, "product_name"));

        if (ci->threads && ci->hypervisor)
                return "the CPU's \"hypervisor\" flag";
        for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
                if ((vendor && strstr(vendor, marks[i])) || (product && strstr(product, marks[i])))
                        return "the DMI vendor or product name";
        if (rootfs_exists(ctx->root, "sys/hypervisor/type"))
                return "sys/hypervisor/type";
        return NULL;
}

int hardware_collect(const struct collect_ctx *ctx, json_t *facts)
{
        struct cpuinfo ci;
        json_t *disks;
        const char *vm;

        collect_cpu(ctx, facts, &ci);
        collect_memory(ctx, facts);
        disks = collect_disks(ctx);
        json_object_set_new(facts, "disks", disks);
        if (ctx->root->host)
                system_disk_host(ctx, facts);
        if (!json_object_get(facts, "system_disk"))
                system_disk_guess(facts, disks);
        /* Without sys/ (a root that is not running), absence proves nothing. */
        json_object_set_new(facts, "sysfs",
                            json_boolean(rootfs_exists(ctx->root, "sys/class") ||
                                         rootfs_exists(ctx->root, "sys/block")));
        collect_dmi(ctx, facts);
        collect_tpm(ctx, facts);
        collect_firmware(ctx, facts);
        collect_batteries(ctx, facts);
        vm = virtual_machine(ctx, &ci, json_object_get(facts, "dmi"));
        json_object_set_new(facts, "virtual_machine", json_boolean(vm != NULL));
        if (vm)
                json_object_set_new(facts, "virtual_machine_how", json_string(vm));
        return 0;
}
