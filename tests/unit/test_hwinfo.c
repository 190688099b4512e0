/* test_hwinfo.c - cpuinfo, meminfo, DMI date and TPM caps parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>

#include <cmocka.h>

#include "hwinfo.h"

/* Two physical cores with two threads each, as an i3 shows them. */
static const char intel_ht[] = "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\n"
                               "model\t\t: 142\nmodel name\t: Intel(R) Core(TM) i3-7100U\n"
                               "stepping\t: 9\nphysical id\t: 0\ncore id\t\t: 0\n"
                               "flags\t\t: fpu lm sse2 ht\npower management:\n\n"
                               "processor\t: 1\nvendor_id\t: GenuineIntel\ncpu family\t: 6\n"
                               "model\t\t: 142\nstepping\t: 9\nphysical id\t: 0\ncore id\t\t: 1\n\n"
                               "processor\t: 2\nphysical id\t: 0\ncore id\t\t: 0\n\n"
                               "processor\t: 3\nphysical id\t: 0\ncore id\t\t: 1\n";

static void test_cpuinfo_counts_cores_and_threads(void **state)
{
        struct cpuinfo ci;
        struct error e;

        (void)state;
        assert_int_equal(cpuinfo_parse(intel_ht, "cpuinfo", &ci, &e), 0);
        assert_string_equal(ci.vendor, "GenuineIntel");
        assert_string_equal(ci.model_name, "Intel(R) Core(TM) i3-7100U");
        assert_int_equal(ci.family, 6);
        assert_int_equal(ci.model, 142);
        assert_int_equal(ci.stepping, 9);
        assert_int_equal(ci.threads, 4);
        assert_int_equal(ci.cores, 2);
        assert_true(ci.lm);
        assert_false(ci.hypervisor);
        assert_false(ci.arm);
}

static void test_cpuinfo_without_core_ids_counts_threads(void **state)
{
        struct cpuinfo ci;
        struct error e;

        (void)state;
        assert_int_equal(cpuinfo_parse("processor: 0\nvendor_id: AuthenticAMD\ncpu family: 23\n"
                                       "model: 8\nstepping: 2\nflags: lm hypervisor\n\n"
                                       "processor: 1\n",
                                       "cpuinfo", &ci, &e),
                         0);
        assert_int_equal(ci.threads, 2);
        assert_int_equal(ci.cores, 2);
        assert_true(ci.hypervisor);
}

static void test_cpuinfo_arm_reads_implementer_and_atomics(void **state)
{
        struct cpuinfo ci;
        struct error e;

        (void)state;
        assert_int_equal(cpuinfo_parse("processor\t: 0\nBogoMIPS\t: 38.40\n"
                                       "Features\t: fp asimd evtstrm aes atomics fphp\n"
                                       "CPU implementer\t: 0x51\nCPU architecture: 8\n"
                                       "CPU variant\t: 0x7\nCPU part\t: 0x803\n"
                                       "CPU revision\t: 12\n",
                                       "cpuinfo", &ci, &e),
                         0);
        assert_true(ci.arm);
        assert_string_equal(ci.vendor, "arm-0x51");
        assert_int_equal(ci.family, 8);
        assert_int_equal(ci.model, 0x803);
        assert_int_equal(ci.stepping, 7);
        assert_true(ci.atomics);
}

static void test_cpuinfo_bad_number_names_line(void **state)
{
        struct cpuinfo ci;
        struct error e;

        (void)state;
        assert_int_equal(cpuinfo_parse("processor\t: 0\nvendor_id\t: GenuineIntel\n"
                                       "cpu family\t: six\n",
                                       "proc/cpuinfo", &ci, &e),
                         -EINVAL);
        assert_int_equal(e.line, 3);
        assert_string_equal(e.msg, "cpu family: not a number");
        assert_int_equal(cpuinfo_parse("vendor_id: GenuineIntel\n", "f", &ci, &e), -EINVAL);
        assert_string_equal(e.msg, "no \"processor\" entry");
        assert_int_equal(cpuinfo_parse("processor: 0\nmodel: -3\n", "f", &ci, &e), -EINVAL);
}

static void test_meminfo_reads_memtotal(void **state)
{
        unsigned long long kib = 0;
        struct error e;

        (void)state;
        assert_int_equal(
            meminfo_parse("MemTotal:        3918208 kB\nMemFree: 1 kB\n", "m", &kib, &e), 0);
        assert_int_equal(kib, 3918208);
        assert_int_equal(meminfo_parse("MemFree: 1 kB\nMemTotal: lots\n", "m", &kib, &e), -EINVAL);
        assert_int_equal(e.line, 2);
        assert_int_equal(meminfo_parse("MemFree: 1 kB\n", "m", &kib, &e), -EINVAL);
        assert_string_equal(e.msg, "no MemTotal line");
        assert_int_equal(meminfo_parse("MemTotal: 12 MB\n", "m", &kib, &e), -EINVAL);
}

static void test_dmi_date_accepts_only_mm_dd_yyyy(void **state)
{
        int y, m, d;

        (void)state;
        assert_int_equal(dmi_date_parse("06/12/2015\n", &y, &m, &d), 0);
        assert_int_equal(y, 2015);
        assert_int_equal(m, 6);
        assert_int_equal(d, 12);
        assert_int_equal(dmi_date_parse("11/03/09", &y, &m, &d), 0);
        assert_int_equal(y, 2009);
        assert_int_equal(dmi_date_parse("2015-03-12", &y, &m, &d), -EINVAL);
        assert_int_equal(dmi_date_parse("13/01/2015", &y, &m, &d), -EINVAL);
        assert_int_equal(dmi_date_parse("02/30/2015", &y, &m, &d), -EINVAL);
        assert_int_equal(dmi_date_parse(" 6/12/2015", &y, &m, &d), -EINVAL);
        assert_int_equal(dmi_date_parse("06/12/2015x", &y, &m, &d), -EINVAL);
}

static void test_tpm_caps_reads_tcg_version(void **state)
{
        int maj, min;

        (void)state;
        assert_int_equal(
            tpm_caps_version("Manufacturer: 0x49465800\nTCG version: 1.2\n", &maj, &min), 0);
        assert_int_equal(maj, 1);
        assert_int_equal(min, 2);
        assert_int_equal(tpm_caps_version("Manufacturer: 0x1\n", &maj, &min), -ENOENT);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_cpuinfo_counts_cores_and_threads),
                cmocka_unit_test(test_cpuinfo_without_core_ids_counts_threads),
                cmocka_unit_test(test_cpuinfo_arm_reads_implementer_and_atomics),
                cmocka_unit_test(test_cpuinfo_bad_number_names_line),
                cmocka_unit_test(test_meminfo_reads_memtotal),
                cmocka_unit_test(test_dmi_date_accepts_only_mm_dd_yyyy),
                cmocka_unit_test(test_tpm_caps_reads_tcg_version),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
