/* smbios.h - the SMBIOS structure table, as Windows' GetSystemFirmwareTable
 * ('RSMB') returns it (a RawSMBIOSData header, then the table) or bare, as
 * Linux's /sys/firmware/dmi/tables/DMI holds it: the BIOS, system, board,
 * chassis and memory facts the hardware family reports. No platform header:
 * it builds, is tested and is fuzzed everywhere. */
#ifndef HYGIE_SMBIOS_H
#define HYGIE_SMBIOS_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* The RawSMBIOSData header: Used20CallingMethod, SMBIOSMajorVersion,
 * SMBIOSMinorVersion, DmiRevision, then Length (a little-endian DWORD). */
#define SMBIOS_RAW_HEADER 8

struct smbios_info {
        unsigned major, minor; /* 0.0 when unknown (bare table) */
        char bios_vendor[65], bios_version[65];
        char bios_date[65];     /* type 0, as written ("MM/DD/YYYY") */
        char bios_date_iso[11]; /* "YYYY-MM-DD" from bios_date, "" when not a date */
        char sys_vendor[65], product_name[65], product_version[65], serial[65]; /* type 1 */
        /* Type 1, "4c4c4544-0058-4b10-8039-b7c04f514833": the first three
         * fields little-endian, as SMBIOS 2.6 writes them and Windows always
         * reads them (dmidecode shows the bytes of older tables in order).
         * "" when absent, all 00 or all FF. */
        char uuid[37];
        char board_vendor[65], board_name[65]; /* type 2 */
        unsigned chassis_type;                 /* type 3, low 7 bits; 0 when absent */
        unsigned long long memory_bytes;       /* sum of the type 17 sizes told */
        unsigned memory_devices;               /* type 17 entries with a module installed */
        /* Type 0 BIOS characteristics extension byte 2, bit 3 (UEFI is
         * supported): known when the bit is set, or clear in a table of
         * SMBIOS 2.7 or later (before, the bit was reserved). */
        bool uefi;
        bool uefi_known;
};

/* Reads the table in buf (len bytes); raw: buf starts with the RawSMBIOSData
 * header, whose Length bounds the table. The first structure of types 0 to 3
 * counts; type 127 ends the table. Strings become one line of UTF-8 (see
 * util_text_clean), without surrounding spaces, cut to their field; a string
 * index past the structure's strings reads as "". Placeholders ("To be filled
 * by O.E.M.", "Default string") stay as written: rules judge them.
 *
 * 0, or -EINVAL with e saying what is wrong at which byte of buf: the header
 * cut short or telling more bytes than follow, a structure whose header or
 * strings run past the end or whose length is below 4. out then holds what
 * the structures before the broken one told. Never reads outside buf. */
int smbios_parse(const void *buf, size_t len, bool raw, struct smbios_info *out, struct error *e);

#endif
