/* test_smbios.c - SMBIOS table decoding, on tables built here structure by
 * structure in the shapes real firmware writes (Dell, HP, Lenovo, an AMI
 * desktop board, wine), and broken ones.
 *
 * `test_smbios --seeds DIR` writes these tables into DIR instead: the seed
 * corpus of fuzz_smbios (tests/fuzz/corpus/smbios). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "smbios.h"

struct table {
        unsigned char b[4096];
        size_t n;
        bool raw;
};

#define FIELDS(...)                                                                                \
        (const unsigned char[]){ __VA_ARGS__ }, sizeof((const unsigned char[]){ __VA_ARGS__ })
#define STRINGS(...)                                                                               \
        (const char *const[])                                                                      \
        {                                                                                          \
                __VA_ARGS__, NULL                                                                  \
        }

static void put(struct table *t, const void *p, size_t n)
{
        assert_true(t->n + n <= sizeof(t->b));
        memcpy(t->b + t->n, p, n);
        t->n += n;
}

/* The RawSMBIOSData header; finish() writes its Length. */
static void start(struct table *t, bool raw, unsigned major, unsigned minor)
{
        memset(t, 0, sizeof(*t));
        t->raw = raw;
        if (raw)
                put(t,
                    (unsigned char[]){ 0, (unsigned char)major, (unsigned char)minor, 0, 0, 0, 0,
                                       0 },
                    8);
}

/* A structure: its fields after the 4-byte header, then its strings. */
static void add(struct table *t, unsigned type, unsigned handle, const unsigned char *fields,
                size_t nfields, const char *const *strings)
{
        size_t count = 0;

        put(t,
            (unsigned char[]){ (unsigned char)type, (unsigned char)(4 + nfields),
                               (unsigned char)handle, (unsigned char)(handle >> 8) },
            4);
        if (nfields)
                put(t, fields, nfields);
        for (; strings && strings[count]; count++)
                put(t, strings[count], strlen(strings[count]) + 1);
        put(t, "\0", count ? 1 : 2);
}

static void finish(struct table *t)
{
        size_t len = t->n - 8;

        if (!t->raw)
                return;
        for (int i = 0; i < 4; i++)
                t->b[4 + i] = (unsigned char)(len >> (8 * i));
}

static void end(struct table *t)
{
        add(t, 127, 0xfeff, NULL, 0, NULL);
        finish(t);
}

/* A type 17 structure of len bytes (0x15 in SMBIOS 2.1, 0x28 in 2.8). */
static void memory(struct table *t, unsigned handle, size_t len, unsigned size, uint32_t ext,
                   const char *locator)
{
        unsigned char f[0x28 - 4] = { 0 };

        assert_true(len >= 0x15 && len <= 0x28);
        f[0x0c - 4] = (unsigned char)size;
        f[0x0d - 4] = (unsigned char)(size >> 8);
        f[0x0e - 4] = 0x0d; /* SODIMM */
        f[0x10 - 4] = 1;
        f[0x11 - 4] = 2;
        f[0x12 - 4] = 0x1a; /* DDR4 */
        f[0x17 - 4] = 3;
        f[0x18 - 4] = 4;
        f[0x1a - 4] = 5;
        for (int i = 0; i < 4 && 0x1c + i < 0x28; i++)
                f[0x1c - 4 + i] = (unsigned char)(ext >> (8 * i));
        add(t, 17, handle, f, len - 4,
            size ? STRINGS(locator, "BANK 0", "Samsung", "0A1B2C3D", "M471A2K43DB1-CWE")
                 : STRINGS(locator, "BANK 2", "Not Specified"));
}

/* A Dell Latitude's SMBIOS 3.3 table: UEFI, two 16 GiB modules, a slot free. */
static void dell(struct table *t, bool raw)
{
        start(t, raw, 3, 3);
        add(t, 0, 0x0000,
            FIELDS(1, 2, 0x00, 0x00, 3, 0xff, 0x80, 0x98, 0x9b, 0x0b, 0x00, 0x00, 0x00, 0x00, 0x03,
                   0x0c, 1, 21, 0xff, 0xff, 0x20, 0x00),
            STRINGS("Dell Inc.", "1.21.0", "07/12/2023"));
        add(t, 1, 0x0001,
            FIELDS(1, 2, 0, 3, 0x44, 0x45, 0x4c, 0x4c, 0x58, 0x00, 0x10, 0x4b, 0x80, 0x39, 0xb7,
                   0xc0, 0x4f, 0x51, 0x48, 0x33, 0x06, 4, 5),
            STRINGS("Dell Inc.", "Latitude 7420", "7XK9QH3", "0A4D", "Latitude"));
        add(t, 2, 0x0002, FIELDS(1, 2, 3, 4, 0, 0x09, 0, 0x03, 0x00, 0x0a, 0),
            STRINGS("Dell Inc.", "0Y3TNR", "A00", "/7XK9QH3/CNWS20011L00SS/"));
        add(t, 3, 0x0003, FIELDS(1, 0x0a, 0, 2, 0, 3, 3, 3, 3, 0, 0, 0, 0, 0, 1, 0, 3, 3),
            STRINGS("Dell Inc.", "7XK9QH3", "Notebook"));
        add(t, 4, 0x0400,
            FIELDS(1, 3, 0xc6, 2, 0xc1, 0x06, 0x08, 0x00, 0xff, 0xfb, 0xeb, 0xbf, 3, 0x8c),
            STRINGS("CPU 1", "Intel(R) Corporation", "11th Gen Intel(R) Core(TM) i7-1185G7"));
        memory(t, 0x1100, 0x28, 16384, 0, "DIMM A");
        memory(t, 0x1101, 0x28, 16384, 0, "DIMM B");
        memory(t, 0x1102, 0x28, 0, 0, "DIMM C");
        end(t);
}

/* An HP EliteBook's SMBIOS 3.1 table: a 32 GiB module told in the Extended
 * Size, no product version. */
static void hp(struct table *t)
{
        start(t, true, 3, 1);
        add(t, 0, 0x0000,
            FIELDS(1, 2, 0x00, 0xf0, 3, 0xff, 0x80, 0x98, 0xcb, 0x7f, 0x01, 0x00, 0x00, 0x0e, 0x33,
                   0x0f, 1, 25, 0x15, 0x5a, 0x40, 0x00),
            STRINGS("HP", "Q78 Ver. 01.25.00", "03/15/2023"));
        add(t, 1, 0x0001,
            FIELDS(1, 2, 0, 3, 0x30, 0x37, 0x42, 0x5e, 0xb2, 0x4f, 0x28, 0xe6, 0xb9, 0x4c, 0x12,
                   0x9f, 0x60, 0xd1, 0x3e, 0x7a, 0x06, 4, 5),
            STRINGS("HP", "HP EliteBook 840 G5", "5CG8291XYZ", "3JX71EA#ABF",
                    "103C_5336AN HP EliteBook"));
        add(t, 2, 0x0002, FIELDS(1, 2, 3, 4, 0, 0x09, 0, 0x03, 0x00, 0x0a, 0),
            STRINGS("HP", "83B2", "KBC Version 15.5A.00", "PHBVN0BCYB1234"));
        add(t, 3, 0x0003, FIELDS(1, 0x0a, 0, 2, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0, 1, 0, 3),
            STRINGS("HP", "5CG8291XYZ", "5CG8291XYZ"));
        memory(t, 0x0020, 0x28, 0x7fff, 32768, "Bottom-Slot 1(left)");
        memory(t, 0x0021, 0x28, 8192, 0, "Bottom-Slot 2(right)");
        end(t);
}

/* A ThinkPad's SMBIOS 3.2 table: Lenovo's padded strings, soldered memory. */
static void lenovo(struct table *t)
{
        start(t, true, 3, 2);
        add(t, 0, 0x000b,
            FIELDS(1, 2, 0x00, 0xe8, 3, 0xff, 0x80, 0x98, 0x1a, 0x7d, 0x01, 0x00, 0x00, 0x00, 0x03,
                   0x0d, 1, 76, 1, 33, 0x20, 0x00),
            STRINGS("LENOVO", "N2IET98W (1.76 )", "10/25/2022"));
        add(t, 1, 0x000c,
            FIELDS(1, 2, 3, 4, 0x9e, 0x6b, 0x8a, 0x2c, 0x1f, 0x4d, 0x11, 0xb2, 0xa8, 0x3c, 0x5e,
                   0x90, 0x71, 0x2f, 0xd4, 0x01, 0x06, 5, 6),
            STRINGS("LENOVO", "  20QDS3E200  ", "ThinkPad X1 Carbon 7th", "PF1ABCDE",
                    "LENOVO_MT_20QD_BU_Think_FM_ThinkPad X1 Carbon 7th", "ThinkPad X1 Carbon 7th"));
        add(t, 2, 0x000d, FIELDS(1, 2, 3, 4, 0, 0x09, 0, 0x0e, 0x00, 0x0a, 0),
            STRINGS("LENOVO", "20QDS3E200", "SDK0J40697 WIN", "L1HF9AB0123"));
        add(t, 3, 0x000e, FIELDS(1, 0x0a, 2, 3, 4, 3, 3, 3, 2, 0, 0, 0, 0, 0, 1, 0, 3),
            STRINGS("LENOVO", "None", "PF1ABCDE", "No Asset Information"));
        memory(t, 0x003c, 0x28, 8192, 0, "ChannelA-DIMM0");
        memory(t, 0x003d, 0x28, 8192, 0, "ChannelB-DIMM0");
        end(t);
}

/* An AMI desktop board's SMBIOS 2.8 table, left as the board maker shipped
 * it: placeholders, a serial of spaces, a UUID of zeros, legacy boot only. */
static void ami_desktop(struct table *t)
{
        start(t, true, 2, 8);
        add(t, 0, 0x0000,
            FIELDS(1, 2, 0x00, 0xf0, 3, 0xff, 0x80, 0x98, 0x8b, 0x3f, 0x01, 0x00, 0x00, 0x00, 0xfd,
                   0x05, 4, 6, 0xff, 0xff),
            STRINGS("American Megatrends Inc.", "1201", "11/09/2012"));
        add(t, 1, 0x0001,
            FIELDS(1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x06, 5, 6),
            STRINGS("System manufacturer", "System Product Name", "System Version", "        ",
                    "SKU", "To be filled by O.E.M."));
        add(t, 2, 0x0002, FIELDS(1, 2, 3, 4, 5, 0x09, 6, 0x03, 0x00, 0x0a, 0),
            STRINGS("ASUSTeK COMPUTER INC.", "P8Z77-V LX", "Rev X.0x", "0123456789",
                    "To be filled by O.E.M.", "To be filled by O.E.M."));
        add(t, 3, 0x0003, FIELDS(1, 0x83, 2, 3, 4, 3, 3, 3, 3, 0, 0, 0, 0, 0, 1, 0, 3),
            STRINGS("Chassis Manufacture", "Chassis Version", "Chassis Serial Number",
                    "Default string"));
        memory(t, 0x0041, 0x28, 4096, 0, "ChannelA-DIMM0");
        end(t);
}

/* Wine's SMBIOS 2.4 table for a user who may not read /sys/class/dmi/id's
 * serials: empty strings are string 0, the UUID all FF. */
static void wine(struct table *t)
{
        start(t, true, 2, 4);
        add(t, 0, 0x0000,
            FIELDS(0, 0, 0, 0, 0, 0, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff),
            NULL);
        add(t, 1, 0x0001,
            FIELDS(0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                   0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0),
            NULL);
        add(t, 3, 0x0002, FIELDS(0, 10, 0, 0, 0, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 3), NULL);
        add(t, 2, 0x0003, FIELDS(0, 0, 0, 0, 0, 0x05, 0, 0x02, 0x00, 0x0a, 0), NULL);
        add(t, 32, 0x0004, FIELDS(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), NULL);
        end(t);
}

static int parse(const struct table *t, struct smbios_info *s, struct error *e)
{
        memset(e, 0, sizeof(*e));
        return smbios_parse(t->b, t->n, t->raw, s, e);
}

static void test_smbios_reads_a_dell_laptop(void **state)
{
        struct table t;
        struct smbios_info s;
        struct error e;

        (void)state;
        dell(&t, true);
        assert_int_equal(parse(&t, &s, &e), 0);
        assert_int_equal(s.major, 3);
        assert_int_equal(s.minor, 3);
        assert_string_equal(s.bios_vendor, "Dell Inc.");
        assert_string_equal(s.bios_version, "1.21.0");
        assert_string_equal(s.bios_date, "07/12/2023");
        assert_string_equal(s.bios_date_iso, "2023-07-12");
        assert_string_equal(s.sys_vendor, "Dell Inc.");
        assert_string_equal(s.product_name, "Latitude 7420");
        assert_string_equal(s.product_version, "");
        assert_string_equal(s.serial, "7XK9QH3");
        assert_string_equal(s.uuid, "4c4c4544-0058-4b10-8039-b7c04f514833");
        assert_string_equal(s.board_vendor, "Dell Inc.");
        assert_string_equal(s.board_name, "0Y3TNR");
        assert_int_equal(s.chassis_type, 10);
        assert_true(s.memory_bytes == 32ULL << 30);
        assert_int_equal(s.memory_devices, 2);
        assert_true(s.uefi_known);
        assert_true(s.uefi);
}

static void test_smbios_reads_the_extended_memory_size(void **state)
{
        struct table t;
        struct smbios_info s;
        struct error e;

        (void)state;
        hp(&t);
        assert_int_equal(parse(&t, &s, &e), 0);
        assert_string_equal(s.bios_version, "Q78 Ver. 01.25.00");
        assert_string_equal(s.bios_date_iso, "2023-03-15");
        assert_string_equal(s.product_name, "HP EliteBook 840 G5");
        assert_string_equal(s.product_version, "");
        assert_string_equal(s.serial, "5CG8291XYZ");
        assert_string_equal(s.uuid, "5e423730-4fb2-e628-b94c-129f60d13e7a");
        assert_string_equal(s.board_name, "83B2");
        assert_true(s.memory_bytes == 40ULL << 30);
        assert_int_equal(s.memory_devices, 2);
        assert_true(s.uefi);
}

static void test_smbios_trims_surrounding_spaces_only(void **state)
{
        struct table t;
        struct smbios_info s;
        struct error e;

        (void)state;
        lenovo(&t);
        assert_int_equal(parse(&t, &s, &e), 0);
        assert_string_equal(s.bios_vendor, "LENOVO");
        assert_string_equal(s.bios_version, "N2IET98W (1.76 )");
        assert_string_equal(s.bios_date_iso, "2022-10-25");
        assert_string_equal(s.product_name, "20QDS3E200");
        assert_string_equal(s.product_version, "ThinkPad X1 Carbon 7th");
        assert_string_equal(s.serial, "PF1ABCDE");
        assert_string_equal(s.uuid, "2c8a6b9e-4d1f-b211-a83c-5e90712fd401");
        assert_string_equal(s.board_name, "20QDS3E200");
        assert_int_equal(s.chassis_type, 10);
        assert_true(s.memory_bytes == 16ULL << 30);
        assert_int_equal(s.memory_devices, 2);
        assert_true(s.uefi);
}

static void test_smbios_keeps_placeholders_as_written(void **state)
{
        struct table t;
        struct smbios_info s;
        struct error e;

        (void)state;
        ami_desktop(&t);
        assert_int_equal(parse(&t, &s, &e), 0);
        assert_int_equal(s.major, 2);
        assert_int_equal(s.minor, 8);
        assert_string_equal(s.bios_vendor, "American Megatrends Inc.");
        assert_string_equal(s.bios_date_iso, "2012-11-09");
        assert_string_equal(s.sys_vendor, "System manufacturer");
        assert_string_equal(s.product_name, "System Product Name");
        assert_string_equal(s.product_version, "System Version");
        assert_string_equal(s.serial, ""); /* all spaces */
        assert_string_equal(s.uuid, "");   /* all 00 */
        assert_string_equal(s.board_vendor, "ASUSTeK COMPUTER INC.");
        assert_string_equal(s.board_name, "P8Z77-V LX");
        assert_int_equal(s.chassis_type, 3); /* 0x83: a desktop with a lock */
        assert_true(s.memory_bytes == 4ULL << 30);
        assert_int_equal(s.memory_devices, 1);
        /* SMBIOS 2.8 defines the bit: clear, so no UEFI. */
        assert_true(s.uefi_known);
        assert_false(s.uefi);
}

static void test_smbios_reads_wine_empty_strings(void **state)
{
        struct table t;
        struct smbios_info s;
        struct error e;

        (void)state;
        wine(&t);
        assert_int_equal(parse(&t, &s, &e), 0);
        assert_int_equal(s.major, 2);
        assert_int_equal(s.minor, 4);
        assert_string_equal(s.bios_vendor, "");
        assert_string_equal(s.bios_date, "");
        assert_string_equal(s.bios_date_iso, "");
        assert_string_equal(s.product_name, "");
        assert_string_equal(s.serial, "");
        assert_string_equal(s.uuid, ""); /* all FF */
        assert_string_equal(s.board_vendor, "");
        assert_int_equal(s.chassis_type, 10);
        assert_true(s.memory_bytes == 0);
        assert_int_equal(s.memory_devices, 0);
        /* SMBIOS 2.4 left the bit reserved: its being clear says nothing. */
        assert_false(s.uefi_known);
        assert_false(s.uefi);
}

static void test_smbios_reads_a_bare_table(void **state)
{
        struct table t;
        struct smbios_info s;
        struct error e;

        (void)state;
        dell(&t, false);
        assert_int_equal(parse(&t, &s, &e), 0);
        assert_int_equal(s.major, 0);
        assert_int_equal(s.minor, 0);
        assert_string_equal(s.product_name, "Latitude 7420");
        assert_string_equal(s.uuid, "4c4c4544-0058-4b10-8039-b7c04f514833");
        assert_true(s.memory_bytes == 32ULL << 30);
        assert_true(s.uefi_known);
        assert_true(s.uefi);
}

static void test_smbios_bare_table_clear_uefi_bit_is_unknown(void **state)
{
        struct table t;
        struct smbios_info s;
        struct error e;

        (void)state;
        start(&t, false, 0, 0);
        add(&t, 0, 0, FIELDS(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00), STRINGS("X"));
        end(&t);
        assert_int_equal(parse(&t, &s, &e), 0);
        assert_false(s.uefi_known);
        assert_false(s.uefi);
        /* A type 0 too short for the extension bytes (SMBIOS 2.3). */
        start(&t, true, 3, 0);
        add(&t, 0, 0, FIELDS(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), STRINGS("X"));
        end(&t);
        assert_int_equal(parse(&t, &s, &e), 0);
        assert_string_equal(s.bios_vendor, "X");
        assert_false(s.uefi_known);
}

static void test_smbios_memory_sizes_in_each_unit(void **state)
{
        struct table t;
        struct smbios_info s;
        struct error e;

        (void)state;
        start(&t, true, 3, 0);
        memory(&t, 1, 0x28, 0x8000 | 512, 0, "KiB");             /* 512 KiB */
        memory(&t, 2, 0x28, 0xffff, 0, "unknown");               /* installed, size unknown */
        memory(&t, 3, 0x1b, 0x7fff, 0, "short");                 /* no Extended Size to read */
        memory(&t, 4, 0x28, 0, 0, "empty");                      /* no module */
        memory(&t, 5, 0x15, 2048, 0, "2.1");                     /* SMBIOS 2.1 length */
        memory(&t, 6, 0x28, 0x7fff, 0x80000000u | 65536, "ext"); /* bit 31 reserved */
        end(&t);
        assert_int_equal(parse(&t, &s, &e), 0);
        assert_true(s.memory_bytes == (512ULL << 10) + (2048ULL << 20) + (65536ULL << 20));
        assert_int_equal(s.memory_devices, 5);
}

static void test_smbios_first_structure_of_a_type_counts(void **state)
{
        struct table t;
        struct smbios_info s;
        struct error e;

        (void)state;
        start(&t, true, 3, 0);
        add(&t, 1, 1, FIELDS(1, 2, 0, 0), STRINGS("First", "One"));
        add(&t, 2, 2, FIELDS(1, 2), STRINGS("Board A", "A1"));
        add(&t, 1, 3, FIELDS(1, 2, 0, 0), STRINGS("Second", "Two"));
        add(&t, 2, 4, FIELDS(1, 2), STRINGS("Board B", "B1"));
        end(&t);
        assert_int_equal(parse(&t, &s, &e), 0);
        assert_string_equal(s.sys_vendor, "First");
        assert_string_equal(s.product_name, "One");
        assert_string_equal(s.board_name, "A1");
        assert_string_equal(s.uuid, ""); /* SMBIOS 2.0 length: no UUID */
}

static void test_smbios_string_index_past_the_set_reads_empty(void **state)
{
        struct table t;
        struct smbios_info s;
        struct error e;

        (void)state;
        start(&t, true, 3, 0);
        add(&t, 1, 1, FIELDS(1, 5, 2, 0xff), STRINGS("Acme", "v2"));
        add(&t, 2, 2, FIELDS(1, 1), NULL);
        end(&t);
        assert_int_equal(parse(&t, &s, &e), 0);
        assert_string_equal(s.sys_vendor, "Acme");
        assert_string_equal(s.product_name, "");
        assert_string_equal(s.product_version, "v2");
        assert_string_equal(s.serial, "");
        assert_string_equal(s.board_vendor, "");
}

static void test_smbios_strings_become_clean_utf8_cut_to_the_field(void **state)
{
        char long_string[101], want[65];
        struct table t;
        struct smbios_info s;
        struct error e;

        (void)state;
        memset(long_string, 'x', 100);
        long_string[100] = '\0';
        memset(want, 'x', 64);
        want[64] = '\0';
        start(&t, true, 3, 0);
        add(&t, 1, 1, FIELDS(1, 2, 3, 4),
            STRINGS("Acme\x01"
                    "Corp",
                    "Caf\xe9", "Gr\xc3\xbc\xc3\x9f Gott", long_string));
        end(&t);
        assert_int_equal(parse(&t, &s, &e), 0);
        assert_string_equal(s.sys_vendor, "Acme\xef\xbf\xbd"
                                          "Corp");
        assert_string_equal(s.product_name, "Caf\xef\xbf\xbd");
        assert_string_equal(s.product_version, "Gr\xc3\xbc\xc3\x9f Gott");
        assert_string_equal(s.serial, want);
}

/* The ISO date a type 0 with this date string gives. */
static const char *iso_of(const char *date)
{
        static struct smbios_info s;
        struct table t;
        struct error e;

        start(&t, true, 3, 0);
        add(&t, 0, 0, FIELDS(0, 0, 0, 0, 1), STRINGS(date));
        end(&t);
        assert_int_equal(parse(&t, &s, &e), 0);
        return s.bios_date_iso;
}

static void test_smbios_bios_date_iso_only_from_a_calendar_date(void **state)
{
        (void)state;
        assert_string_equal(iso_of("07/12/2023"), "2023-07-12");
        assert_string_equal(iso_of(" 02/29/2024 "), "2024-02-29");
        assert_string_equal(iso_of("12/31/99"), "1999-12-31");
        assert_string_equal(iso_of("01/02/03"), "2003-01-02");
        assert_string_equal(iso_of("02/29/2023"), "");
        assert_string_equal(iso_of("13/01/2020"), "");
        assert_string_equal(iso_of("00/10/2020"), "");
        assert_string_equal(iso_of("01/00/2020"), "");
        assert_string_equal(iso_of("2020-01-01"), "");
        assert_string_equal(iso_of("1/2/2020"), "");
        assert_string_equal(iso_of("01/02/1979"), "");
        assert_string_equal(iso_of("01/02/2020x"), "");
        assert_string_equal(iso_of("01-02-2020"), "");
}

static void test_smbios_type_127_ends_the_table(void **state)
{
        struct table t;
        struct smbios_info s;
        struct error e;

        (void)state;
        start(&t, true, 3, 0);
        add(&t, 1, 1, FIELDS(1, 0, 0, 0), STRINGS("Acme"));
        add(&t, 127, 2, NULL, 0, NULL);
        put(&t, (unsigned char[]){ 2, 1, 0xff, 0xff, 'x' }, 5); /* garbage */
        finish(&t);
        assert_int_equal(parse(&t, &s, &e), 0);
        assert_string_equal(s.sys_vendor, "Acme");
}

static void test_smbios_header_length_bounds_the_table(void **state)
{
        struct table t;
        struct smbios_info s;
        struct error e;
        size_t told;

        (void)state;
        start(&t, true, 3, 0);
        add(&t, 1, 1, FIELDS(1, 0, 0, 0), STRINGS("Acme"));
        finish(&t);
        told = t.n;
        add(&t, 2, 2, FIELDS(1, 2), STRINGS("Board", "B1"));
        put(&t, "\xff\xff", 2);
        assert_true(told < t.n);
        assert_int_equal(parse(&t, &s, &e), 0);
        assert_string_equal(s.sys_vendor, "Acme");
        assert_string_equal(s.board_vendor, "");
}

static void test_smbios_empty_table_and_zero_padding_are_no_error(void **state)
{
        struct table t;
        struct smbios_info s;
        struct error e;

        (void)state;
        start(&t, true, 3, 4);
        finish(&t);
        assert_int_equal(parse(&t, &s, &e), 0);
        assert_int_equal(s.major, 3);
        assert_string_equal(s.bios_vendor, "");
        start(&t, true, 3, 4);
        add(&t, 1, 1, FIELDS(1, 0, 0, 0), STRINGS("Acme"));
        put(&t, "\0\0\0", 3);
        finish(&t);
        assert_int_equal(parse(&t, &s, &e), 0);
        assert_string_equal(s.sys_vendor, "Acme");
        assert_int_equal(smbios_parse(t.b + 8, 0, false, &s, &e), 0);
}

static void test_smbios_header_cut_short_is_an_error(void **state)
{
        static const unsigned char b[5] = { 0, 3, 4, 0, 0 };
        struct smbios_info s;
        struct error e;

        (void)state;
        assert_int_equal(smbios_parse(b, sizeof(b), true, &s, &e), -EINVAL);
        assert_string_equal(e.msg, "byte 0: the RawSMBIOSData header is cut short (5 of 8 bytes)");
        assert_string_equal(e.file, "");
        assert_int_equal(e.line, 0);
}

static void test_smbios_header_telling_more_than_follows_keeps_what_follows(void **state)
{
        struct table t;
        struct smbios_info s;
        struct error e;
        char want[128];
        size_t told;

        (void)state;
        dell(&t, true);
        told = t.n - 8 + 16; /* 16 more bytes than there are */
        for (int i = 0; i < 4; i++)
                t.b[4 + i] = (unsigned char)(told >> (8 * i));
        assert_int_equal(parse(&t, &s, &e), -EINVAL);
        assert_string_equal(s.product_name, "Latitude 7420");
        assert_true(s.memory_bytes == 32ULL << 30);
        snprintf(want, sizeof(want), "byte 4: the header tells %zu bytes of structures, %zu follow",
                 told, t.n - 8);
        assert_string_equal(e.msg, want);
}

static void test_smbios_length_below_4_stops_and_keeps_what_came_before(void **state)
{
        struct table t;
        struct smbios_info s;
        struct error e;
        char want[128];
        size_t at;

        (void)state;
        start(&t, true, 3, 0);
        add(&t, 0, 0, FIELDS(1, 2, 0, 0, 3), STRINGS("Dell Inc.", "1.2.3", "01/02/2020"));
        at = t.n;
        put(&t, (unsigned char[]){ 1, 2, 1, 0, 0, 0 }, 6);
        end(&t);
        assert_int_equal(parse(&t, &s, &e), -EINVAL);
        snprintf(want, sizeof(want), "byte %zu: structure type 1 has length 2, below 4", at);
        assert_string_equal(e.msg, want);
        assert_string_equal(s.bios_vendor, "Dell Inc.");
        assert_string_equal(s.bios_date_iso, "2020-01-02");
}

static void test_smbios_structure_past_the_end_is_an_error(void **state)
{
        struct table t;
        struct smbios_info s;
        struct error e;
        char want[128];
        size_t at;

        (void)state;
        start(&t, true, 3, 0);
        add(&t, 2, 2, FIELDS(1, 2), STRINGS("Board", "B1"));
        at = t.n;
        put(&t, (unsigned char[]){ 1, 0x1b, 1, 0, 1, 0, 0, 0, 0x44, 0x45 }, 10);
        finish(&t);
        assert_int_equal(parse(&t, &s, &e), -EINVAL);
        snprintf(want, sizeof(want),
                 "byte %zu: structure type 1 (length 27) runs past the end, 10 bytes on", at);
        assert_string_equal(e.msg, want);
        assert_string_equal(s.board_name, "B1");
        assert_string_equal(s.sys_vendor, "");
}

static void test_smbios_strings_without_double_nul_are_an_error(void **state)
{
        struct table t;
        struct smbios_info s;
        struct error e;
        char want[160];
        size_t at;

        (void)state;
        start(&t, true, 3, 0);
        add(&t, 2, 2, FIELDS(1, 2), STRINGS("Board", "B1"));
        at = t.n;
        put(&t, (unsigned char[]){ 1, 8, 1, 0, 1, 2, 0, 0 }, 8);
        put(&t, "Acme\0Rocket", 11); /* the last string and the set unended */
        finish(&t);
        assert_int_equal(parse(&t, &s, &e), -EINVAL);
        snprintf(want, sizeof(want),
                 "byte %zu: structure type 1 has strings with no end (no double NUL before byte "
                 "%zu)",
                 at, t.n);
        assert_string_equal(e.msg, want);
        assert_string_equal(s.board_name, "B1");
        assert_string_equal(s.sys_vendor, "");
        /* One NUL short: "Acme\0" ends the string, not the set. */
        t.n -= 6;
        finish(&t);
        assert_int_equal(parse(&t, &s, &e), -EINVAL);
        assert_string_equal(s.sys_vendor, "");
}

static void test_smbios_tail_cut_short_is_an_error(void **state)
{
        struct table t;
        struct smbios_info s;
        struct error e;
        char want[128];
        size_t at;

        (void)state;
        start(&t, false, 0, 0);
        add(&t, 2, 2, FIELDS(1, 2), STRINGS("Board", "B1"));
        at = t.n;
        put(&t, (unsigned char[]){ 1, 0x1b, 1 }, 3);
        assert_int_equal(parse(&t, &s, &e), -EINVAL);
        snprintf(want, sizeof(want), "byte %zu: a structure header cut short (3 of 4 bytes)", at);
        assert_string_equal(e.msg, want);
        assert_string_equal(s.board_name, "B1");
}

/* Every prefix of a real table: never a read out of bounds (ASan watches
 * a copy of the prefix's own size), and the facts before the cut kept. */
static void test_smbios_every_prefix_is_safe(void **state)
{
        struct table t;
        struct smbios_info s;
        struct error e;

        (void)state;
        dell(&t, false);
        for (size_t n = 0; n <= t.n; n++) {
                unsigned char *copy = malloc(n ? n : 1);
                int rc;

                assert_non_null(copy);
                memcpy(copy, t.b, n);
                rc = smbios_parse(copy, n, false, &s, &e);
                if (rc != 0 && rc != -EINVAL)
                        fail_msg("prefix %zu: %d", n, rc);
                if (n == t.n)
                        assert_int_equal(rc, 0);
                free(copy);
        }
}

static int write_seeds(const char *dir)
{
        static const char *names[] = {
                "dell-raw", "dell-bare", "hp-raw", "lenovo-raw", "ami-raw", "wine-raw", "cut-raw",
        };
        struct table t;

        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
                char path[4096];
                FILE *f;

                switch (i) {
                case 0:
                        dell(&t, true);
                        break;
                case 1:
                        dell(&t, false);
                        break;
                case 2:
                        hp(&t);
                        break;
                case 3:
                        lenovo(&t);
                        break;
                case 4:
                        ami_desktop(&t);
                        break;
                case 5:
                        wine(&t);
                        break;
                default:
                        hp(&t);
                        t.n -= 40; /* the memory and end structures cut */
                        break;
                }
                snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
                f = fopen(path, "wb");
                if (!f || fwrite(t.b, 1, t.n, f) != t.n || fclose(f) != 0) {
                        perror(path);
                        return 1;
                }
        }
        return 0;
}

int main(int argc, char **argv)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_smbios_reads_a_dell_laptop),
                cmocka_unit_test(test_smbios_reads_the_extended_memory_size),
                cmocka_unit_test(test_smbios_trims_surrounding_spaces_only),
                cmocka_unit_test(test_smbios_keeps_placeholders_as_written),
                cmocka_unit_test(test_smbios_reads_wine_empty_strings),
                cmocka_unit_test(test_smbios_reads_a_bare_table),
                cmocka_unit_test(test_smbios_bare_table_clear_uefi_bit_is_unknown),
                cmocka_unit_test(test_smbios_memory_sizes_in_each_unit),
                cmocka_unit_test(test_smbios_first_structure_of_a_type_counts),
                cmocka_unit_test(test_smbios_string_index_past_the_set_reads_empty),
                cmocka_unit_test(test_smbios_strings_become_clean_utf8_cut_to_the_field),
                cmocka_unit_test(test_smbios_bios_date_iso_only_from_a_calendar_date),
                cmocka_unit_test(test_smbios_type_127_ends_the_table),
                cmocka_unit_test(test_smbios_header_length_bounds_the_table),
                cmocka_unit_test(test_smbios_empty_table_and_zero_padding_are_no_error),
                cmocka_unit_test(test_smbios_header_cut_short_is_an_error),
                cmocka_unit_test(test_smbios_header_telling_more_than_follows_keeps_what_follows),
                cmocka_unit_test(test_smbios_length_below_4_stops_and_keeps_what_came_before),
                cmocka_unit_test(test_smbios_structure_past_the_end_is_an_error),
                cmocka_unit_test(test_smbios_strings_without_double_nul_are_an_error),
                cmocka_unit_test(test_smbios_tail_cut_short_is_an_error),
                cmocka_unit_test(test_smbios_every_prefix_is_safe),
        };

        if (argc == 3 && strcmp(argv[1], "--seeds") == 0)
                return write_seeds(argv[2]);
        return cmocka_run_group_tests(tests, NULL, NULL);
}
