/* hwinfo.h - parsers for what the hardware collector reads: /proc/cpuinfo,
 * /proc/meminfo, the DMI BIOS date and a TPM 1.2 "caps" file. Each works on
 * a NUL-terminated buffer and bounds every count. Also the walk in sys/ from
 * a block device to its disk, which hardware.c does. */
#ifndef HYGIE_HWINFO_H
#define HYGIE_HWINFO_H

#include <stdbool.h>

#include "error.h"
#include "rootfs.h"

/* Distinct (physical id, core id) pairs counted; more are not told apart. */
#define CPUINFO_MAX_CORES 1024

struct cpuinfo {
        char vendor[64];      /* vendor_id, or "arm-0x51" from "CPU implementer" */
        char model_name[128]; /* "model name" (x86) or "Hardware"/"Model" (ARM), may be "" */
        long family, model, stepping; /* decimal; -1 when absent */
        unsigned threads;             /* "processor" entries */
        unsigned cores;               /* distinct physical cores, threads when not told */
        bool lm;                      /* x86 "lm" flag: a 64-bit CPU */
        bool hypervisor;              /* x86 "hypervisor" flag: a virtual machine */
        bool atomics;                 /* ARM "atomics" feature (ARMv8.1 LSE) */
        bool arm;
};

/* Parses cpuinfo text (file names it in errors). 0 or -EINVAL with e set. */
int cpuinfo_parse(const char *text, const char *file, struct cpuinfo *ci, struct error *e);
/* MemTotal of meminfo text, in KiB. 0 or -EINVAL with e set. */
int meminfo_parse(const char *text, const char *file, unsigned long long *kib, struct error *e);
/* A DMI bios_date "MM/DD/YYYY" (or the SMBIOS 2.3 "MM/DD/YY") into y, m, d.
 * 0 or -EINVAL. */
int dmi_date_parse(const char *text, int *y, int *m, int *d);
/* The TCG version in a TPM 1.x caps file ("TCG version: 1.2"). 0 or -ENOENT. */
int tpm_caps_version(const char *text, int *major, int *minor);

/* The whole disk (its sys/block name) under the block device whose sysfs
 * directory is dev ("sys/dev/block/8:2"): a partition's parent, or what a
 * device-mapper or md device sits on. 0 or a negative errno. (hardware.c) */
int hardware_disk_of(const struct rootfs *root, const char *dev, char *name, size_t size);

#endif
