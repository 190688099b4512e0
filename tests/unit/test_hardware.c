/* test_hardware.c - the Windows 11 processor table and the equipment rules,
 * on hand-written facts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checks.h"
#include "hwinfo.h"
#include "paths.h"
#include "policy.h"
#include "rootfs.h"
#include "win11-cpus.h"

/* 2026-11-24 12:00 UTC */
#define NOW ((time_t)1795521600)

static struct win11_cpus *shipped(void)
{
        struct win11_cpus *t = malloc(sizeof(*t));
        char path[4096], *text = NULL;
        struct error e;
        int fd;

        assert_non_null(t);
        fd = open(paths_data("win11-cpus.conf", path, sizeof(path)), O_RDONLY);
        assert_true(fd >= 0);
        assert_int_equal(rootfs_read_fd(fd, 1 << 20, &text, NULL), 0);
        close(fd);
        assert_int_equal(win11_cpus_parse(text, path, t, &e), 0);
        free(text);
        return t;
}

static const char *verdict(const struct win11_cpus *t, const char *vendor, long family, long model,
                           long stepping, bool atomics)
{
        struct win11_cpu cpu = { vendor, family, model, stepping, atomics };
        const struct win11_rule *r = win11_cpus_match(t, &cpu);

        return r ? win11_verdict_name(r->verdict) : "none";
}

static void test_win11_table_follows_microsofts_rule(void **state)
{
        struct win11_cpus *t = shipped();

        (void)state;
        assert_string_equal(verdict(t, "GenuineIntel", 6, 60, 3, false), "unsupported");
        assert_string_equal(verdict(t, "GenuineIntel", 6, 95, 0, false), "unsupported");
        assert_string_equal(verdict(t, "GenuineIntel", 6, 85, 4, false), "supported");
        assert_string_equal(verdict(t, "GenuineIntel", 6, 142, 9, false), "uncertain");
        assert_string_equal(verdict(t, "GenuineIntel", 6, 158, 9, false), "uncertain");
        assert_string_equal(verdict(t, "GenuineIntel", 6, 142, 10, false), "supported");
        assert_string_equal(verdict(t, "GenuineIntel", 6, 158, 10, false), "supported");
        assert_string_equal(verdict(t, "GenuineIntel", 6, 154, 3, false), "supported");
        assert_string_equal(verdict(t, "GenuineIntel", 15, 4, 1, false), "unsupported");
        assert_string_equal(verdict(t, "AuthenticAMD", 21, 101, 1, false), "unsupported");
        assert_string_equal(verdict(t, "AuthenticAMD", 23, 1, 1, false), "unsupported");
        assert_string_equal(verdict(t, "AuthenticAMD", 23, 17, 0, false), "unsupported");
        assert_string_equal(verdict(t, "AuthenticAMD", 23, 8, 2, false), "supported");
        assert_string_equal(verdict(t, "AuthenticAMD", 25, 80, 0, false), "supported");
        assert_string_equal(verdict(t, "arm-0x51", 8, 0xd0b, 7, true), "supported");
        assert_string_equal(verdict(t, "arm-0x51", 8, 0x803, 7, false), "unsupported");
        assert_string_equal(verdict(t, "arm-0x41", 8, 0xd0b, 0, true), "unsupported");
        assert_string_equal(verdict(t, "HygonGenuine", 24, 0, 1, false), "unsupported");
        /* Unknown family: only "*" matches, so Intel falls to the last Intel rule. */
        assert_string_equal(verdict(t, "GenuineIntel", -1, -1, -1, false), "supported");
        free(t);
}

static void test_win11_table_errors_name_the_line(void **state)
{
        struct win11_cpus *t = malloc(sizeof(*t));
        struct error e;

        (void)state;
        assert_int_equal(win11_cpus_parse("# c\n\nA 6 1-3 * * supported  a note \n", "f", t, &e),
                         0);
        assert_int_equal(t->n, 1);
        assert_string_equal(t->v[0].note, "a note");
        assert_int_equal(t->v[0].model.lo, 1);
        assert_int_equal(t->v[0].model.hi, 3);
        assert_int_equal(t->v[0].line, 3);
        assert_int_equal(win11_cpus_parse("A 6 1 * * supported\nB x 1 * * supported\n", "f", t, &e),
                         -EINVAL);
        assert_int_equal(e.line, 2);
        assert_string_equal(e.msg, "family: bad value \"x\" (*, N, <N, >=N, N-M)");
        assert_int_equal(win11_cpus_parse("A 6 1 * * maybe\n", "f", t, &e), -EINVAL);
        assert_int_equal(win11_cpus_parse("A 6 1 *\n", "f", t, &e), -EINVAL);
        assert_int_equal(win11_cpus_parse("A 6 5-1 * * supported\n", "f", t, &e), -EINVAL);
        assert_int_equal(win11_cpus_parse("A 6 1 * avx supported\n", "f", t, &e), -EINVAL);
        assert_int_equal(win11_cpus_parse("# empty\n", "f", t, &e), -EINVAL);
        free(t);
}

struct run {
        struct policy policy;
        struct findings out;
        json_t *facts;
};

/* Runs check id on facts (JSON text); the findings stay in r->out. */
static void run(struct run *r, const char *id, const char *facts)
{
        json_error_t err;
        const struct check *c = checks_find(id);

        assert_non_null(c);
        policy_defaults(&r->policy);
        memset(&r->out, 0, sizeof(r->out));
        r->facts = json_loads(facts, 0, &err);
        assert_non_null(r->facts);
        struct check_ctx ctx = { .policy = &r->policy, .facts = r->facts, .now = NOW };
        c->fn(c, &ctx, &r->out);
        assert_int_equal(r->out.n, 1);
}

static void done(struct run *r)
{
        findings_free(&r->out);
        json_decref(r->facts);
}

static void test_ram_rounds_memtotal_up_to_the_gib(void **state)
{
        struct run r;

        (void)state;
        /* 7.6 GiB visible: an 8 GiB machine. */
        run(&r, "equipment.ram", "{\"hardware\": {\"memory\": {\"total_kib\": 7969177}}}");
        assert_int_equal(r.out.v[0].status, STATUS_PASS);
        assert_string_equal(r.out.v[0].summary, "8 GiB of RAM");
        done(&r);
        run(&r, "equipment.ram", "{\"hardware\": {\"memory\": {\"total_kib\": 7340032}}}");
        assert_int_equal(r.out.v[0].status, STATUS_FAIL);
        assert_string_equal(r.out.v[0].summary, "7 GiB of RAM, under the 8 GiB minimum: "
                                                "qualifies for the equipment catch-up");
        done(&r);
        /* Memory blocks, when present, are the installed size. */
        run(&r, "equipment.ram",
            "{\"hardware\": {\"memory\": {\"total_kib\": 3000000, \"blocks_bytes\": 8589934592}}}");
        assert_int_equal(r.out.v[0].status, STATUS_PASS);
        done(&r);
}

static void test_age_fails_from_the_seventh_birthday(void **state)
{
        struct run r;

        (void)state;
        run(&r, "equipment.age", "{\"hardware\": {\"dmi\": {\"bios_date_iso\": \"2019-11-24\"}}}");
        assert_int_equal(r.out.v[0].status, STATUS_FAIL);
        assert_string_equal(r.out.v[0].summary, "BIOS dated 2019-11-24, 7 years old (limit 7): "
                                                "qualifies for the equipment catch-up");
        done(&r);
        run(&r, "equipment.age", "{\"hardware\": {\"dmi\": {\"bios_date_iso\": \"2019-11-25\"}}}");
        assert_int_equal(r.out.v[0].status, STATUS_PASS);
        assert_string_equal(r.out.v[0].summary, "BIOS dated 2019-11-25, 6 years old");
        done(&r);
        run(&r, "equipment.age",
            "{\"hardware\": {\"virtual_machine\": true, \"dmi\": {\"bios_date_iso\": "
            "\"2014-04-01\"}}}");
        assert_int_equal(r.out.v[0].status, STATUS_SKIP);
        done(&r);
}

static void test_storage_without_system_disk_needs_every_disk_to_agree(void **state)
{
        struct run r;

        (void)state;
        run(&r, "equipment.storage",
            "{\"hardware\": {\"disks\": [{\"name\": \"sda\", \"rotational\": true}, "
            "{\"name\": \"sdb\", \"rotational\": true}, {\"name\": \"sdc\", \"rotational\": "
            "false, \"removable\": true}]}}");
        assert_int_equal(r.out.v[0].status, STATUS_FAIL);
        assert_string_equal(r.out.v[0].summary,
                            "All 2 disks spin: qualifies for the equipment catch-up");
        done(&r);
        run(&r, "equipment.storage",
            "{\"hardware\": {\"system_disk\": {\"name\": \"nvme0n1\", \"how\": \"x\"}, \"disks\": "
            "[{\"name\": \"nvme0n1\", \"rotational\": false, \"size_bytes\": 512110190592, "
            "\"model\": \"PC SN530\"}, {\"name\": \"sda\", \"rotational\": true}]}}");
        assert_int_equal(r.out.v[0].status, STATUS_PASS);
        assert_string_equal(r.out.v[0].summary,
                            "The system disk nvme0n1 (PC SN530, 512 GB) is a solid-state disk");
        done(&r);
}

static void test_win11_lists_every_unmet_requirement(void **state)
{
        struct run r;
        json_t *reqs;

        (void)state;
        run(&r, "equipment.win11_ready",
            "{\"hardware\": {\"cpu\": {\"vendor\": \"GenuineIntel\", \"family\": 6, \"model\": 60, "
            "\"stepping\": 3, \"cores\": 2, \"bits64\": true}, \"memory\": {\"total_kib\": "
            "3918208}, \"disks\": [{\"name\": \"sda\", \"size_bytes\": 500107862016}], "
            "\"tpm\": {\"present\": false}, \"firmware\": {\"uefi\": false}}}");
        assert_int_equal(r.out.v[0].status, STATUS_FAIL);
        assert_string_equal(r.out.v[0].summary,
                            "Cannot run Windows 11, qualifies for the equipment catch-up: "
                            "processor not on Microsoft's list (GenuineIntel family 6 model 60), "
                            "no TPM 2.0, no UEFI (legacy BIOS start), no Secure Boot");
        reqs = json_object_get(r.out.v[0].evidence, "requirements");
        assert_int_equal(json_array_size(reqs), 7);
        assert_string_equal(json_string_value(json_object_get(json_array_get(reqs, 2), "result")),
                            "pass");
        done(&r);
        run(&r, "equipment.win11_ready",
            "{\"hardware\": {\"cpu\": {\"vendor\": \"GenuineIntel\", \"family\": 6, \"model\": "
            "158, "
            "\"stepping\": 9, \"cores\": 4, \"bits64\": true}, \"memory\": {\"total_kib\": "
            "3918208}, \"disks\": [{\"name\": \"sda\", \"size_bytes\": 60000000000}], "
            "\"tpm\": {\"present\": true, \"version\": \"2.0\"}, \"firmware\": {\"uefi\": true, "
            "\"secure_boot_capable\": true}}}");
        assert_int_equal(r.out.v[0].status, STATUS_FAIL);
        assert_string_equal(r.out.v[0].summary,
                            "Cannot run Windows 11, qualifies for the equipment catch-up: "
                            "60 GB disk (needs 64); uncertain: processor GenuineIntel model 158 "
                            "stepping 9 supported on some platforms only");
        done(&r);
}

static void test_os_supported_fails_past_all_support(void **state)
{
        struct run r;

        (void)state;
        run(&r, "equipment.os_supported",
            "{\"os\": {\"pretty_name\": \"Debian GNU/Linux 10 (buster)\", \"support\": "
            "{\"distro\": \"debian\", \"eol\": \"2022-09-10\", \"eol_lts\": \"2024-06-30\"}}}");
        assert_int_equal(r.out.v[0].status, STATUS_FAIL);
        assert_string_equal(r.out.v[0].summary,
                            "Debian GNU/Linux 10 (buster) gets no security updates since "
                            "2024-06-30: qualifies for the equipment catch-up");
        done(&r);
        run(&r, "equipment.os_supported",
            "{\"os\": {\"id\": \"windows\", \"version_id\": \"10.0.19045\", "
            "\"pretty_name\": \"Windows 10 Pro 22H2\"}}");
        assert_int_equal(r.out.v[0].status, STATUS_FAIL);
        assert_string_equal(r.out.v[0].summary,
                            "Windows 10 Pro 22H2 gets no security updates since 2025-10-14: "
                            "qualifies for the equipment catch-up");
        done(&r);
        run(&r, "equipment.os_supported",
            "{\"os\": {\"id\": \"windows\", \"version_id\": \"10.0.22631\", "
            "\"pretty_name\": \"Windows 11 Pro\"}}");
        assert_int_equal(r.out.v[0].status, STATUS_SKIP);
        done(&r);
        run(&r, "equipment.os_supported", "{\"os\": {\"pretty_name\": \"Fedora Linux 41\"}}");
        assert_int_equal(r.out.v[0].status, STATUS_SKIP);
        done(&r);
}

/* Writes text to dir/rel, making the directories on the way. */
static void put(const char *dir, const char *rel, const char *text)
{
        char path[512];
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s", dir, rel);
        for (char *p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
                *p = '\0';
                mkdir(path, 0755);
                *p = '/';
        }
        if (!text)
                return;
        f = fopen(path, "w");
        assert_non_null(f);
        fputs(text, f);
        fclose(f);
}

static void link_at(const char *dir, const char *rel, const char *target)
{
        char path[512];

        put(dir, rel, NULL);
        snprintf(path, sizeof(path), "%s/%s", dir, rel);
        assert_int_equal(symlink(target, path), 0);
}

static void test_disk_of_walks_partitions_and_device_mapper(void **state)
{
        char dir[] = "/tmp/test_hardware.XXXXXX", name[64], cmd[600];
        struct rootfs root;

        (void)state;
        assert_non_null(mkdtemp(dir));
        /* sda with partition sda2, under LUKS (dm-0), as sysfs links them. */
        put(dir, "sys/devices/pci0/block/sda/uevent", "MAJOR=8\nMINOR=0\nDEVNAME=sda\n");
        put(dir, "sys/devices/pci0/block/sda/sda2/uevent", "MAJOR=8\nMINOR=2\nDEVNAME=sda2\n");
        put(dir, "sys/devices/pci0/block/sda/sda2/partition", "2\n");
        put(dir, "sys/devices/virtual/block/dm-0/uevent", "MAJOR=253\nMINOR=0\nDEVNAME=dm-0\n");
        link_at(dir, "sys/devices/virtual/block/dm-0/slaves/sda2",
                "../../../../pci0/block/sda/sda2");
        link_at(dir, "sys/class/block/sda2", "../../devices/pci0/block/sda/sda2");
        link_at(dir, "sys/dev/block/8:0", "../../devices/pci0/block/sda");
        link_at(dir, "sys/dev/block/8:2", "../../devices/pci0/block/sda/sda2");
        link_at(dir, "sys/dev/block/253:0", "../../devices/virtual/block/dm-0");
        assert_int_equal(rootfs_init(&root, dir), 0);
        assert_int_equal(hardware_disk_of(&root, "sys/dev/block/8:0", name, sizeof(name)), 0);
        assert_string_equal(name, "sda");
        assert_int_equal(hardware_disk_of(&root, "sys/dev/block/8:2", name, sizeof(name)), 0);
        assert_string_equal(name, "sda");
        assert_int_equal(hardware_disk_of(&root, "sys/dev/block/253:0", name, sizeof(name)), 0);
        assert_string_equal(name, "sda");
        assert_true(hardware_disk_of(&root, "sys/dev/block/9:9", name, sizeof(name)) < 0);
        rootfs_close(&root);
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        assert_int_equal(system(cmd), 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_win11_table_follows_microsofts_rule),
                cmocka_unit_test(test_win11_table_errors_name_the_line),
                cmocka_unit_test(test_ram_rounds_memtotal_up_to_the_gib),
                cmocka_unit_test(test_age_fails_from_the_seventh_birthday),
                cmocka_unit_test(test_storage_without_system_disk_needs_every_disk_to_agree),
                cmocka_unit_test(test_win11_lists_every_unmet_requirement),
                cmocka_unit_test(test_os_supported_fails_past_all_support),
                cmocka_unit_test(test_disk_of_walks_partitions_and_device_mapper),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
