/* test_encryption.c - the encryption of "/" on scratch Linux roots (sysfs,
 * or fstab, crypttab and LVM's backup), and the disk.encryption rule on
 * Linux and BitLocker facts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "checks.h"
#include "policy.h"
#include "security.h"

/* 2026-11-24 12:00 UTC */
#define NOW ((time_t)1795521600)

struct root {
        char dir[64];
        struct rootfs fs;
        json_t *facts;
};

static void root_new(struct root *r)
{
        snprintf(r->dir, sizeof(r->dir), "/tmp/test_encryption.XXXXXX");
        assert_non_null(mkdtemp(r->dir));
        r->facts = NULL;
}

/* Writes text to the root's rel, making the directories on the way; a
 * directory alone for NULL. */
static void put(struct root *r, const char *rel, const char *text)
{
        char path[512];
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s", r->dir, rel);
        for (char *p = path + strlen(r->dir) + 1; (p = strchr(p, '/')); p++) {
                *p = '\0';
                mkdir(path, 0755);
                *p = '/';
        }
        if (!text) {
                mkdir(path, 0755);
                return;
        }
        f = fopen(path, "w");
        assert_non_null(f);
        fputs(text, f);
        fclose(f);
}

/* A block device in sys/class/block: its device-mapper uuid and name
 * (NULL for none), the devices it sits on (space-separated), and whether it
 * is a partition. */
static void block(struct root *r, const char *name, const char *uuid, const char *dm_name,
                  const char *slaves, bool partition)
{
        char rel[256], list[256], *save = NULL;

        snprintf(rel, sizeof(rel), "sys/class/block/%s", name);
        put(r, rel, NULL);
        if (uuid) {
                snprintf(rel, sizeof(rel), "sys/class/block/%s/dm/uuid", name);
                put(r, rel, uuid);
                snprintf(rel, sizeof(rel), "sys/class/block/%s/dm/name", name);
                put(r, rel, dm_name);
        }
        snprintf(list, sizeof(list), "%s", slaves ? slaves : "");
        for (char *s = strtok_r(list, " ", &save); s; s = strtok_r(NULL, " ", &save)) {
                snprintf(rel, sizeof(rel), "sys/class/block/%s/slaves/%s", name, s);
                put(r, rel, NULL);
        }
        if (partition) {
                snprintf(rel, sizeof(rel), "sys/class/block/%s/partition", name);
                put(r, rel, "3\n");
        }
}

/* "/" mounted from source, device maj:min (devname in sys/dev/block). */
static void root_mount(struct root *r, const char *devnum, const char *devname, const char *fstype,
                       const char *source)
{
        char text[512], rel[128];

        snprintf(text, sizeof(text),
                 "25 1 %s / / rw,relatime shared:1 - %s %s rw\n"
                 "26 25 8:1 / /boot/efi rw - vfat /dev/sda1 rw\n",
                 devnum, fstype, source);
        put(r, "proc/self/mountinfo", text);
        if (devname) {
                snprintf(rel, sizeof(rel), "sys/dev/block/%s/uevent", devnum);
                snprintf(text, sizeof(text), "MAJOR=253\nMINOR=1\nDEVNAME=%s\nDEVTYPE=disk\n",
                         devname);
                put(r, rel, text);
        }
}

static const json_t *collect(struct root *r)
{
        struct collect_ctx ctx = { .root = &r->fs, .policy = NULL, .now = NOW };

        assert_int_equal(rootfs_init(&r->fs, r->dir), 0);
        r->facts = json_object();
        encryption_collect(&ctx, r->facts);
        rootfs_close(&r->fs);
        return json_object_get(r->facts, "encryption");
}

static void root_free(struct root *r)
{
        char cmd[128];

        json_decref(r->facts);
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", r->dir);
        assert_int_equal(system(cmd), 0);
}

static const char *s(const json_t *o, const char *key)
{
        return json_string_value(json_object_get(o, key));
}

#define LVM_UUID  "LVM-Yd3kUWx0Jq1uQw2yX0nF2Jx3EoyK6c6qz8mK0vY2uBqW3eR4tY5uI6oP7aS8dF"
#define LUKS_UUID "CRYPT-LUKS2-2f8d4c1e9a3b4d5e8f7a6b5c4d3e2f1a-sda3_crypt"

static void test_luks_under_lvm_is_encrypted(void **state)
{
        struct root r;
        const json_t *enc, *layers;

        (void)state;
        root_new(&r);
        root_mount(&r, "253:1", "dm-1", "ext4", "/dev/mapper/vg-root");
        block(&r, "dm-1", LVM_UUID, "vg-root\n", "dm-0", false);
        block(&r, "dm-0", LUKS_UUID "\n", "sda3_crypt\n", "sda3", false);
        block(&r, "sda3", NULL, NULL, NULL, true);
        enc = collect(&r);
        assert_true(json_is_true(json_object_get(enc, "encrypted")));
        assert_string_equal(s(enc, "volume"), "/");
        assert_string_equal(s(enc, "how"), "dm-crypt");
        assert_string_equal(s(enc, "device"), "/dev/mapper/sda3_crypt");
        assert_string_equal(s(enc, "type"), "LUKS2");
        assert_string_equal(s(enc, "decided_from"), "sysfs");
        layers = json_object_get(enc, "layers");
        assert_int_equal(json_array_size(layers), 2);
        assert_string_equal(s(json_array_get(layers, 0), "kind"), "lvm");
        assert_string_equal(s(json_array_get(layers, 0), "dm_name"), "vg-root");
        assert_string_equal(s(json_array_get(layers, 1), "kind"), "dm-crypt");
        assert_null(json_object_get(r.facts, "errors"));
        root_free(&r);
}

static void test_plain_partition_is_not_encrypted(void **state)
{
        struct root r;
        const json_t *enc;

        (void)state;
        root_new(&r);
        root_mount(&r, "8:2", "sda2", "ext4", "/dev/sda2");
        block(&r, "sda2", NULL, NULL, NULL, true);
        enc = collect(&r);
        assert_true(json_is_false(json_object_get(enc, "encrypted")));
        assert_null(json_object_get(enc, "device"));
        assert_string_equal(s(json_array_get(json_object_get(enc, "layers"), 0), "kind"),
                            "partition");
        root_free(&r);
}

static void test_volume_group_half_on_plain_disk_is_not_encrypted(void **state)
{
        struct root r;
        const json_t *enc;

        (void)state;
        root_new(&r);
        root_mount(&r, "253:1", "dm-1", "ext4", "/dev/mapper/vg-root");
        block(&r, "dm-1", LVM_UUID, "vg-root", "dm-0 sdb1", false);
        block(&r, "dm-0", LUKS_UUID, "sda3_crypt", "sda3", false);
        block(&r, "sda3", NULL, NULL, NULL, true);
        block(&r, "sdb1", NULL, NULL, NULL, true);
        enc = collect(&r);
        assert_true(json_is_false(json_object_get(enc, "encrypted")));
        root_free(&r);
}

static void test_verity_is_not_encryption(void **state)
{
        struct root r;
        const json_t *enc;

        (void)state;
        root_new(&r);
        root_mount(&r, "253:1", "dm-1", "ext4", "/dev/mapper/root");
        block(&r, "dm-1", "CRYPT-VERITY-4b1e5c2d-root", "root", "sda3", false);
        block(&r, "sda3", NULL, NULL, NULL, true);
        enc = collect(&r);
        assert_true(json_is_false(json_object_get(enc, "encrypted")));
        assert_string_equal(s(json_array_get(json_object_get(enc, "layers"), 0), "kind"),
                            "device-mapper");
        root_free(&r);
}

static void test_btrfs_found_by_its_mapper_name(void **state)
{
        struct root r;
        const json_t *enc;

        (void)state;
        root_new(&r);
        root_mount(&r, "0:30", NULL, "btrfs", "/dev/mapper/cryptroot");
        block(&r, "dm-0", "CRYPT-PLAIN-cryptroot", "cryptroot", "nvme0n1p2", false);
        block(&r, "dm-3", "LVM-x", "other", "nvme0n1p3", false);
        block(&r, "nvme0n1p2", NULL, NULL, NULL, true);
        enc = collect(&r);
        assert_true(json_is_true(json_object_get(enc, "encrypted")));
        assert_string_equal(s(enc, "type"), "plain");
        assert_string_equal(s(enc, "device"), "/dev/mapper/cryptroot");
        root_free(&r);
}

static void test_root_on_no_block_device_cannot_tell(void **state)
{
        struct root r;
        const json_t *enc;

        (void)state;
        root_new(&r);
        root_mount(&r, "0:25", NULL, "zfs", "rpool/ROOT/debian");
        enc = collect(&r);
        assert_null(json_object_get(enc, "encrypted"));
        assert_string_equal(
            s(enc, "note"),
            "/ is on no block device: a zfs file system from \"rpool/ROOT/debian\"");
        root_free(&r);
}

static const char vg_backup[] = "contents = \"Text Format Volume Group\"\n"
                                "vg {\n"
                                "\tphysical_volumes {\n"
                                "\t\tpv0 {\n"
                                "\t\t\tdevice = \"/dev/mapper/sda3_crypt\"\t# Hint only\n"
                                "\t\t}\n"
                                "\t}\n"
                                "}\n";

static void test_boot_tables_lvm_on_luks(void **state)
{
        struct root r;
        const json_t *enc;

        (void)state;
        root_new(&r);
        put(&r, "etc/fstab",
            "/dev/mapper/vg-root / ext4 errors=remount-ro 0 1\n"
            "UUID=0a1b /boot ext2 defaults 0 2\n");
        put(&r, "etc/crypttab", "sda3_crypt UUID=77ee none luks,discard\n");
        put(&r, "etc/lvm/backup/vg", vg_backup);
        enc = collect(&r);
        assert_true(json_is_true(json_object_get(enc, "encrypted")));
        assert_string_equal(s(enc, "device"), "/dev/mapper/sda3_crypt");
        assert_string_equal(s(enc, "type"), "LUKS");
        assert_string_equal(s(enc, "source"), "/dev/mapper/vg-root");
        assert_string_equal(s(enc, "decided_from"), "etc/fstab, etc/lvm/backup and etc/crypttab");
        /* The same volume group on a plain partition. */
        put(&r, "etc/lvm/backup/vg",
            "vg {\n physical_volumes {\n  pv0 {\n   device = "
            "\"/dev/sda3\"\n  }\n }\n}\n");
        json_decref(r.facts);
        enc = collect(&r);
        assert_true(json_is_false(json_object_get(enc, "encrypted")));
        assert_string_equal(s(enc, "note"),
                            "the volume group vg lies on no volume etc/crypttab opens");
        root_free(&r);
}

static void test_boot_tables_root_opened_by_crypttab(void **state)
{
        struct root r;
        const json_t *enc;

        (void)state;
        root_new(&r);
        put(&r, "etc/fstab", "/dev/mapper/cryptroot / ext4 defaults 0 1\n");
        put(&r, "etc/crypttab", "# comment\ncryptroot PARTUUID=12 none\n");
        enc = collect(&r);
        assert_true(json_is_true(json_object_get(enc, "encrypted")));
        assert_string_equal(s(enc, "device"), "/dev/mapper/cryptroot");
        assert_null(json_object_get(enc, "type"));
        assert_string_equal(s(enc, "decided_from"), "etc/fstab and etc/crypttab");
        root_free(&r);
}

static void test_boot_tables_without_crypttab_volume_is_not_encrypted(void **state)
{
        struct root r;
        const json_t *enc;

        (void)state;
        root_new(&r);
        put(&r, "etc/fstab", "UUID=0a1b2c3d / ext4 errors=remount-ro 0 1\n");
        enc = collect(&r);
        assert_true(json_is_false(json_object_get(enc, "encrypted")));
        assert_string_equal(s(enc, "note"), "etc/crypttab opens no encrypted volume at boot");
        /* Encrypted swap alone, keyed anew at each boot, cannot hold "/". */
        put(&r, "etc/crypttab", "cswap /dev/sda2 /dev/urandom swap\n");
        json_decref(r.facts);
        enc = collect(&r);
        assert_true(json_is_false(json_object_get(enc, "encrypted")));
        /* A real volume: "/" may lie on it, or not. */
        put(&r, "etc/crypttab", "data_crypt UUID=99 none luks\n");
        json_decref(r.facts);
        enc = collect(&r);
        assert_null(json_object_get(enc, "encrypted"));
        assert_string_equal(s(enc, "note"),
                            "etc/crypttab opens data_crypt, but without the running system Hygie "
                            "cannot tell whether UUID=0a1b2c3d lies on it");
        root_free(&r);
}

static void test_boot_tables_errors_and_absence(void **state)
{
        struct root r;
        const json_t *enc, *err;

        (void)state;
        root_new(&r);
        enc = collect(&r);
        assert_null(json_object_get(enc, "encrypted"));
        assert_string_equal(s(enc, "note"),
                            "neither sysfs nor etc/fstab tells which device holds /");
        put(&r, "etc/fstab", "UUID=0a1b2c3d / ext4 defaults 0 1\n");
        put(&r, "etc/crypttab", "sda3_crypt UUID=1 none luks\nbroken\n");
        json_decref(r.facts);
        enc = collect(&r);
        assert_null(json_object_get(enc, "encrypted"));
        err = json_array_get(json_object_get(r.facts, "errors"), 0);
        assert_string_equal(s(err, "source"), "encryption");
        assert_string_equal(s(err, "file"), "etc/crypttab");
        assert_int_equal(json_integer_value(json_object_get(err, "line")), 2);
        root_free(&r);
}

struct run {
        struct policy policy;
        struct findings out;
        json_t *facts;
};

/* Runs disk.encryption on facts.os (JSON text); one finding in r->out. */
static const struct finding *judge(struct run *r, const char *os)
{
        const struct check *c = checks_find("disk.encryption");
        json_error_t err;

        assert_non_null(c);
        policy_defaults(&r->policy);
        memset(&r->out, 0, sizeof(r->out));
        r->facts = json_pack("{s:o}", "os", json_loads(os, 0, &err));
        assert_non_null(json_object_get(r->facts, "os"));
        struct check_ctx ctx = { .policy = &r->policy, .facts = r->facts, .now = NOW };
        c->fn(c, &ctx, &r->out);
        assert_int_equal(r->out.n, 1);
        assert_int_equal(r->out.v[0].severity, SEV_MEDIUM);
        return &r->out.v[0];
}

static void done(struct run *r)
{
        findings_free(&r->out);
        json_decref(r->facts);
}

static void test_rule_linux_every_status(void **state)
{
        const struct finding *f;
        struct run r;

        (void)state;
        f = judge(&r, "{\"encryption\": {\"volume\": \"/\", \"encrypted\": true, \"how\": "
                      "\"dm-crypt\", \"device\": \"/dev/mapper/sda3_crypt\", \"type\": "
                      "\"LUKS2\"}}");
        assert_int_equal(f->status, STATUS_PASS);
        assert_string_equal(f->summary, "The system volume (/) is encrypted (dm-crypt, LUKS2)");
        assert_null(f->remediation);
        assert_string_equal(json_string_value(json_object_get(f->evidence, "device")),
                            "/dev/mapper/sda3_crypt");
        done(&r);
        f = judge(&r, "{\"encryption\": {\"volume\": \"/\", \"encrypted\": true, \"how\": "
                      "\"dm-crypt\"}}");
        assert_string_equal(f->summary, "The system volume (/) is encrypted (dm-crypt)");
        done(&r);
        f = judge(&r, "{\"encryption\": {\"volume\": \"/\", \"encrypted\": false, \"how\": "
                      "\"dm-crypt\"}}");
        assert_int_equal(f->status, STATUS_FAIL);
        assert_string_equal(f->summary, "The system volume (/) is not encrypted");
        assert_string_equal(f->remediation,
                            "Plan with your IT support to reinstall this machine with disk "
                            "encryption (LUKS): it can only be set up at installation, after a "
                            "full backup.");
        done(&r);
        f = judge(&r, "{\"encryption\": {\"volume\": \"/\", \"how\": \"dm-crypt\", \"note\": "
                      "\"x\"}}");
        assert_int_equal(f->status, STATUS_SKIP);
        assert_string_equal(f->summary, "Cannot tell whether the system volume (/) is encrypted");
        done(&r);
        f = judge(&r, "{\"encryption\": {\"volume\": \"/\", \"how\": \"dm-crypt\"}, \"errors\": "
                      "[{\"source\": \"encryption\", \"file\": \"etc/crypttab\", \"line\": 2, "
                      "\"message\": \"a volume without its device, or too long\"}]}");
        assert_int_equal(f->status, STATUS_ERROR);
        assert_string_equal(f->summary, "etc/crypttab:2: a volume without its device, or too long");
        done(&r);
        f = judge(&r, "{}");
        assert_int_equal(f->status, STATUS_SKIP);
        done(&r);
}

static void test_rule_bitlocker_every_status(void **state)
{
        const struct finding *f;
        struct run r;

        (void)state;
        f = judge(&r, "{\"encryption\": {\"volume\": \"C:\", \"encrypted\": true, \"how\": "
                      "\"bitlocker\", \"protection\": \"on\", \"percent\": 100}}");
        assert_int_equal(f->status, STATUS_PASS);
        assert_string_equal(f->summary, "The system volume (C:) is encrypted with BitLocker");
        done(&r);
        f = judge(&r, "{\"encryption\": {\"volume\": \"C:\", \"encrypted\": true, \"how\": "
                      "\"bitlocker\", \"protection\": \"on\"}}");
        assert_int_equal(f->status, STATUS_PASS);
        done(&r);
        f = judge(&r, "{\"encryption\": {\"volume\": \"C:\", \"encrypted\": true, \"how\": "
                      "\"bitlocker\", \"protection\": \"suspended\", \"percent\": 100}}");
        assert_int_equal(f->status, STATUS_WARN);
        assert_string_equal(
            f->summary,
            "The system volume (C:) is encrypted with BitLocker, but its protection is suspended");
        assert_string_equal(f->remediation,
                            "Resume BitLocker protection (Control Panel > BitLocker Drive "
                            "Encryption > Resume protection): until then the drive's key is "
                            "stored unprotected on it.");
        done(&r);
        f = judge(&r, "{\"encryption\": {\"volume\": \"C:\", \"encrypted\": true, \"how\": "
                      "\"bitlocker\", \"protection\": \"off\"}}");
        assert_int_equal(f->status, STATUS_WARN);
        assert_string_equal(
            f->summary,
            "The system volume (C:) is encrypted with BitLocker, but its protection is off");
        done(&r);
        f = judge(&r, "{\"encryption\": {\"volume\": \"C:\", \"encrypted\": true, \"how\": "
                      "\"bitlocker\", \"protection\": \"off\", \"percent\": 42}}");
        assert_int_equal(f->status, STATUS_WARN);
        assert_string_equal(f->summary,
                            "BitLocker has encrypted only 42% of the system volume (C:)");
        assert_string_equal(f->remediation,
                            "Leave the machine on until BitLocker has finished encrypting the "
                            "drive; if it is decrypting it instead, turn BitLocker back on.");
        done(&r);
        f = judge(&r, "{\"encryption\": {\"volume\": \"C:\", \"encrypted\": false, \"how\": "
                      "\"bitlocker\", \"protection\": \"off\", \"percent\": 0}}");
        assert_int_equal(f->status, STATUS_FAIL);
        assert_string_equal(f->summary, "The system volume (C:) is not encrypted");
        assert_string_equal(f->remediation,
                            "Turn BitLocker on for the system drive (Control Panel > BitLocker "
                            "Drive Encryption), and keep the recovery key in a safe place, away "
                            "from the machine.");
        done(&r);
        f = judge(&r, "{\"encryption\": {\"how\": \"bitlocker\"}}");
        assert_int_equal(f->status, STATUS_SKIP);
        assert_string_equal(f->summary, "Cannot tell whether the system volume (C:) is encrypted");
        done(&r);
        /* As the Windows collector records a call that failed: no file. */
        f = judge(&r, "{\"encryption\": {\"how\": \"bitlocker\"}, \"errors\": [{\"source\": "
                      "\"encryption\", \"file\": \"\", \"line\": 0, \"message\": "
                      "\"Win32_EncryptableVolume: access denied\"}]}");
        assert_int_equal(f->status, STATUS_ERROR);
        assert_string_equal(f->summary, "Win32_EncryptableVolume: access denied");
        assert_string_equal(f->remediation, "Run the check again as an administrator; if the "
                                            "error stays, give this message to your IT provider.");
        done(&r);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_luks_under_lvm_is_encrypted),
                cmocka_unit_test(test_plain_partition_is_not_encrypted),
                cmocka_unit_test(test_volume_group_half_on_plain_disk_is_not_encrypted),
                cmocka_unit_test(test_verity_is_not_encryption),
                cmocka_unit_test(test_btrfs_found_by_its_mapper_name),
                cmocka_unit_test(test_root_on_no_block_device_cannot_tell),
                cmocka_unit_test(test_boot_tables_lvm_on_luks),
                cmocka_unit_test(test_boot_tables_root_opened_by_crypttab),
                cmocka_unit_test(test_boot_tables_without_crypttab_volume_is_not_encrypted),
                cmocka_unit_test(test_boot_tables_errors_and_absence),
                cmocka_unit_test(test_rule_linux_every_status),
                cmocka_unit_test(test_rule_bitlocker_every_status),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
