/* test_blockcrypt.c - device-mapper uuids and names, fstab, crypttab and
 * LVM metadata backups. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "blockcrypt.h"

static void test_dm_uuid_tells_crypt_from_verity_and_lvm(void **state)
{
        const char *type;

        (void)state;
        assert_int_equal(
            dm_uuid_kind("CRYPT-LUKS2-2f8d4c1e9a3b4d5e8f7a6b5c4d3e2f1a-sda3_crypt", &type),
            DM_CRYPT);
        assert_string_equal(type, "LUKS2");
        assert_int_equal(dm_uuid_kind("CRYPT-LUKS1-0123-root", &type), DM_CRYPT);
        assert_string_equal(type, "LUKS1");
        assert_int_equal(dm_uuid_kind("CRYPT-PLAIN-cryptroot", &type), DM_CRYPT);
        assert_string_equal(type, "plain");
        assert_int_equal(dm_uuid_kind("CRYPT-BITLK-x", &type), DM_CRYPT);
        assert_string_equal(type, "BITLK");
        assert_int_equal(dm_uuid_kind("CRYPT-VERITY-4b1e-usr", &type), DM_OTHER);
        assert_null(type);
        assert_int_equal(dm_uuid_kind("CRYPT-INTEGRITY-x", &type), DM_OTHER);
        assert_int_equal(dm_uuid_kind("CRYPT-SUBDEV-x", &type), DM_OTHER);
        assert_int_equal(dm_uuid_kind("LVM-Yd3kUWx0Jq1uQw2yX0nF2Jx3EoyK6c6qz8mK0vY2uB", &type),
                         DM_LVM);
        assert_int_equal(dm_uuid_kind("mpath-3600508b400105e210000900000490000", &type), DM_OTHER);
        assert_int_equal(dm_uuid_kind("", &type), DM_OTHER);
}

static void test_dm_name_lvm_undoubles_dashes(void **state)
{
        char vg[32], lv[32];

        (void)state;
        assert_int_equal(dm_name_lvm("vg-root", vg, sizeof(vg), lv, sizeof(lv)), 0);
        assert_string_equal(vg, "vg");
        assert_string_equal(lv, "root");
        assert_int_equal(dm_name_lvm("ubuntu--vg-ubuntu--lv", vg, sizeof(vg), lv, sizeof(lv)), 0);
        assert_string_equal(vg, "ubuntu-vg");
        assert_string_equal(lv, "ubuntu-lv");
        assert_int_equal(dm_name_lvm("vg-root-real", vg, sizeof(vg), lv, sizeof(lv)), 0);
        assert_string_equal(lv, "root");
        assert_int_equal(dm_name_lvm("sda3_crypt", vg, sizeof(vg), lv, sizeof(lv)), -EINVAL);
        assert_int_equal(dm_name_lvm("-root", vg, sizeof(vg), lv, sizeof(lv)), -EINVAL);
        assert_int_equal(dm_name_lvm("vg-", vg, sizeof(vg), lv, sizeof(lv)), -EINVAL);
        assert_int_equal(dm_name_lvm("averyveryverylongvolumegroupname-x", vg, 8, lv, sizeof(lv)),
                         -EINVAL);
}

static void test_fstab_root_takes_the_first_entry_on_slash(void **state)
{
        char spec[64], type[16];

        (void)state;
        assert_int_equal(fstab_root("# <file system> <mount point> <type>\n"
                                    "UUID=1234-ABCD /boot/efi vfat umask=0077 0 1\n"
                                    "  /dev/mapper/vg-root\t/ ext4 errors=remount-ro 0 1\n"
                                    "/dev/mapper/other / xfs defaults 0 0\n",
                                    spec, sizeof(spec), type, sizeof(type)),
                         0);
        assert_string_equal(spec, "/dev/mapper/vg-root");
        assert_string_equal(type, "ext4");
        assert_int_equal(
            fstab_root("LABEL=my\\040root / btrfs\n", spec, sizeof(spec), type, sizeof(type)), 0);
        assert_string_equal(spec, "LABEL=my root");
        assert_int_equal(fstab_root("/dev/sda1 /home ext4\nproc /proc proc\n", spec, sizeof(spec),
                                    type, sizeof(type)),
                         -ENOENT);
}

static void test_crypttab_reads_names_devices_and_options(void **state)
{
        struct crypttab *ct = malloc(sizeof(*ct));
        struct error e;

        (void)state;
        assert_non_null(ct);
        assert_int_equal(crypttab_parse("# <target name> <source device> <key file> <options>\n"
                                        "sda3_crypt UUID=0a1b2c3d none luks,discard\n"
                                        "\n"
                                        "cswap /dev/sda2 /dev/urandom swap,cipher=aes-xts-plain64\n"
                                        "data\tPARTUUID=77\n",
                                        "etc/crypttab", ct, &e),
                         0);
        assert_int_equal(ct->n, 3);
        assert_string_equal(ct->v[0].name, "sda3_crypt");
        assert_string_equal(ct->v[0].device, "UUID=0a1b2c3d");
        assert_string_equal(crypttab_type(&ct->v[0]), "LUKS");
        assert_false(crypttab_ephemeral(&ct->v[0]));
        assert_true(crypttab_ephemeral(&ct->v[1]));
        assert_null(crypttab_type(&ct->v[2]));
        assert_int_equal(ct->v[2].line, 5);
        assert_ptr_equal(crypttab_find(ct, "data"), &ct->v[2]);
        assert_null(crypttab_find(ct, "dat"));
        assert_int_equal(crypttab_parse("ok /dev/sda1\nlonely\n", "etc/crypttab", ct, &e), -EINVAL);
        assert_int_equal(e.line, 2);
        assert_string_equal(e.file, "etc/crypttab");
        free(ct);
}

static const char vg_backup[] =
    "# Generated by LVM2 version 2.03.16(2) (2022-05-18): Mon Nov 23 10:00:00 2026\n"
    "\n"
    "contents = \"Text Format Volume Group\"\n"
    "version = 1\n"
    "description = \"Created *after* executing 'vgcfgbackup' {}\"\n"
    "\n"
    "vg {\n"
    "\tid = \"Yd3kUW-x0Jq-1uQw-2yX0-nF2J-x3Eo-yK6c6q\"\n"
    "\tphysical_volumes {\n"
    "\n"
    "\t\tpv0 {\n"
    "\t\t\tid = \"z8mK0v-Y2uB-...\"\n"
    "\t\t\tdevice = \"/dev/mapper/sda3_crypt\"\t# Hint only\n"
    "\t\t\tstatus = [\"ALLOCATABLE\"]\n"
    "\t\t}\n"
    "\t}\n"
    "\tlogical_volumes {\n"
    "\t\troot {\n"
    "\t\t\tsegment1 {\n"
    "\t\t\t\tstripes = [\n"
    "\t\t\t\t\t\"pv0\", 0\n"
    "\t\t\t\t]\n"
    "\t\t\t\tdevice = \"not a pv\"\n"
    "\t\t\t}\n"
    "\t\t}\n"
    "\t}\n"
    "}\n";

static void test_lvm_backup_lists_physical_volume_hints(void **state)
{
        char pv[LVM_PVS_MAX][LVM_DEVICE_MAX];
        struct error e;
        size_t n;

        (void)state;
        assert_int_equal(lvm_backup_pvs(vg_backup, "etc/lvm/backup/vg", pv, LVM_PVS_MAX, &n, &e),
                         0);
        assert_int_equal(n, 1);
        assert_string_equal(pv[0], "/dev/mapper/sda3_crypt");
        assert_int_equal(lvm_backup_pvs("vg {\n physical_volumes {\n  pv0 {\n   device = "
                                        "\"/dev/sda2\"\n  }\n  pv1 {\n   device = \"/dev/sdb\"\n"
                                        "  }\n }\n}\n",
                                        "f", pv, 1, &n, &e),
                         -E2BIG);
        assert_int_equal(
            lvm_backup_pvs("vg {\n physical_volumes {\n", "f", pv, LVM_PVS_MAX, &n, &e), -EINVAL);
        assert_int_equal(lvm_backup_pvs("vg {\n}\n}\n", "f", pv, LVM_PVS_MAX, &n, &e), -EINVAL);
        assert_int_equal(e.line, 3);
        assert_int_equal(lvm_backup_pvs("a = \"open\n", "f", pv, LVM_PVS_MAX, &n, &e), -EINVAL);
        assert_int_equal(e.line, 1);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_dm_uuid_tells_crypt_from_verity_and_lvm),
                cmocka_unit_test(test_dm_name_lvm_undoubles_dashes),
                cmocka_unit_test(test_fstab_root_takes_the_first_entry_on_slash),
                cmocka_unit_test(test_crypttab_reads_names_devices_and_options),
                cmocka_unit_test(test_lvm_backup_lists_physical_volume_hints),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
