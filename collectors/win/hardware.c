/* hardware.c - the processor (cpuid), memory, the system disk, SMBIOS, the
 * TPM, the firmware and Secure Boot: what equipment.* judges. */
#include <windows.h>
#include <cpuid.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector.h"
#include "reg.h"
#include "smbios.h"
#include "winapi.h"

#define BIOS_KEY L"HARDWARE\\DESCRIPTION\\System\\BIOS"
/* GetSystemFirmwareTable's provider for the raw SMBIOS table: 'RSMB'. */
#define RSMB 0x52534d42u

static void set_str(json_t *o, const char *key, const char *v)
{
        if (v && *v)
                json_object_set_new(o, key, facts_string(v));
}

static unsigned logical_count(LOGICAL_PROCESSOR_RELATIONSHIP rel)
{
        DWORD size = 0;
        unsigned char *buf;
        unsigned n = 0;

        GetLogicalProcessorInformationEx(rel, NULL, &size);
        if (size == 0 || !(buf = malloc(size)))
                return 0;
        if (GetLogicalProcessorInformationEx(rel, (SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *)buf,
                                             &size))
                for (DWORD at = 0; at < size;) {
                        SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *p =
                            (SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *)(buf + at);
                        if (p->Size == 0)
                                break;
                        if (p->Relationship == rel)
                                n++;
                        at += p->Size;
                }
        free(buf);
        return n;
}

/* Family, model and stepping as Linux's /proc/cpuinfo shows them (the
 * extended fields folded in), which the Windows 11 processor table uses. */
static void collect_cpu(json_t *facts)
{
        unsigned a, b, c, d, max = 0;
        char vendor[13] = "", brand[49] = "";
        json_t *cpu = json_object();
        bool hypervisor = false;

        if (__get_cpuid(0, &max, &b, &c, &d)) {
                memcpy(vendor, &b, 4);
                memcpy(vendor + 4, &d, 4);
                memcpy(vendor + 8, &c, 4);
                set_str(cpu, "vendor", vendor);
        }
        if (max >= 1 && __get_cpuid(1, &a, &b, &c, &d)) {
                unsigned family = (a >> 8) & 0xf, model = (a >> 4) & 0xf;

                if (family == 0xf)
                        family += (a >> 20) & 0xff;
                if (family >= 6)
                        model += ((a >> 16) & 0xf) << 4;
                json_object_set_new(cpu, "family", json_integer(family));
                json_object_set_new(cpu, "model", json_integer(model));
                json_object_set_new(cpu, "stepping", json_integer(a & 0xf));
                hypervisor = (c >> 31) & 1;
        }
        if (__get_cpuid(0x80000000, &max, &b, &c, &d) && max >= 0x80000004) {
                unsigned *w = (unsigned *)brand;

                for (unsigned leaf = 0; leaf < 3; leaf++)
                        __get_cpuid(0x80000002 + leaf, &w[leaf * 4], &w[leaf * 4 + 1],
                                    &w[leaf * 4 + 2], &w[leaf * 4 + 3]);
                brand[48] = '\0';
                char *s = brand + strspn(brand, " ");
                for (size_t n = strlen(s); n > 0 && s[n - 1] == ' ';)
                        s[--n] = '\0';
                set_str(cpu, "model_name", s);
        }
        if (__get_cpuid(0x80000001, &a, &b, &c, &d))
                json_object_set_new(cpu, "bits64", json_boolean((d >> 29) & 1));
        json_object_set_new(cpu, "cores", json_integer(logical_count(RelationProcessorCore)));
        json_object_set_new(cpu, "threads",
                            json_integer(GetActiveProcessorCount(ALL_PROCESSOR_GROUPS)));
        json_object_set_new(cpu, "arch", json_string("x86"));
        json_object_set_new(facts, "cpu", cpu);
        json_object_set_new(facts, "virtual_machine", json_boolean(hypervisor));
        if (hypervisor)
                json_object_set_new(facts, "virtual_machine_how",
                                    json_string("the CPU's \"hypervisor\" flag"));
}

static void collect_memory(json_t *facts, const struct smbios_info *sm)
{
        MEMORYSTATUSEX ms = { .dwLength = sizeof(ms) };
        ULONGLONG kib = 0;
        json_t *mem = json_object();

        if (GlobalMemoryStatusEx(&ms))
                json_object_set_new(mem, "total_kib",
                                    json_integer((json_int_t)(ms.ullTotalPhys / 1024)));
        /* What is installed, firmware's share included, as the kernel's memory
         * blocks tell it on Linux. */
        if (GetPhysicallyInstalledSystemMemory(&kib) && kib > 0)
                json_object_set_new(mem, "blocks_bytes", json_integer((json_int_t)kib * 1024));
        else if (sm && sm->memory_bytes > 0)
                json_object_set_new(mem, "blocks_bytes",
                                    json_integer((json_int_t)sm->memory_bytes));
        json_object_set_new(facts, "memory", mem);
}

static void collect_disk(json_t *facts)
{
        struct winapi_disk d;
        struct winapi_error e;
        json_t *disks = json_array(), *disk;

        if (winapi_system_disk(&d, &e) < 0) {
                facts_add_error(facts, "disk", "system disk", 0, "%s", e.what);
                json_object_set_new(facts, "disks", disks);
                return;
        }
        disk = json_pack("{s:s, s:I}", "name", "system", "size_bytes", (json_int_t)d.size_bytes);
        set_str(disk, "model", d.model);
        set_str(disk, "bus", d.bus);
        if (d.seek_penalty >= 0)
                json_object_set_new(disk, "rotational", json_boolean(d.seek_penalty));
        if (d.removable >= 0)
                json_object_set_new(disk, "removable", json_boolean(d.removable));
        json_object_set_new(disk, "virtual", json_boolean(strcmp(d.bus, "virtual") == 0));
        json_array_append_new(disks, disk);
        json_object_set_new(facts, "disks", disks);
        json_object_set_new(facts, "system_disk",
                            json_pack("{s:s, s:s}", "name", "system", "how",
                                      "the disk holding the Windows directory"));
}

/* SMBIOS as the firmware gives it; a field it leaves empty is taken from
 * the copy Windows keeps in the registry. */
static void collect_dmi(json_t *facts, struct smbios_info *sm, bool *have)
{
        static const struct {
                const char *key;
                const wchar_t *value;
                size_t offset;
        } fields[] = {
                { "bios_vendor", L"BIOSVendor", offsetof(struct smbios_info, bios_vendor) },
                { "bios_version", L"BIOSVersion", offsetof(struct smbios_info, bios_version) },
                { "bios_date", L"BIOSReleaseDate", offsetof(struct smbios_info, bios_date) },
                { "sys_vendor", L"SystemManufacturer", offsetof(struct smbios_info, sys_vendor) },
                { "product_name", L"SystemProductName",
                  offsetof(struct smbios_info, product_name) },
                { "product_version", L"SystemVersion",
                  offsetof(struct smbios_info, product_version) },
                { "board_vendor", L"BaseBoardManufacturer",
                  offsetof(struct smbios_info, board_vendor) },
                { "board_name", L"BaseBoardProduct", offsetof(struct smbios_info, board_name) },
        };
        json_t *dmi = json_object();
        UINT size = GetSystemFirmwareTable(RSMB, 0, NULL, 0);
        unsigned char *raw = size ? malloc(size) : NULL;
        struct error err;

        *have = false;
        memset(sm, 0, sizeof(*sm));
        if (raw && GetSystemFirmwareTable(RSMB, 0, raw, size) == size) {
                if (smbios_parse(raw, size, true, sm, &err) < 0)
                        facts_add_error(facts, "dmi", "SMBIOS", err.line, "%s", err.msg);
                *have = true;
        }
        free(raw);
        for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
                char *v = (char *)sm + fields[i].offset, buf[65];

                if (!v[0] && reg_string(HKEY_LOCAL_MACHINE, BIOS_KEY, fields[i].value, buf,
                                        sizeof(buf)) == 0)
                        snprintf(v, 65, "%s", buf);
                set_str(dmi, fields[i].key, v);
        }
        set_str(dmi, "product_serial", sm->serial);
        set_str(dmi, "product_uuid", sm->uuid);
        if (!sm->bios_date_iso[0] && sm->bios_date[0]) {
                /* The registry's copy: MM/DD/YYYY. */
                unsigned m, d, y;
                char end;

                if (sscanf(sm->bios_date, "%2u/%2u/%4u%c", &m, &d, &y, &end) == 3 && m >= 1 &&
                    m <= 12 && d >= 1 && d <= 31 && y >= 1980)
                        snprintf(sm->bios_date_iso, sizeof(sm->bios_date_iso), "%04u-%02u-%02u", y,
                                 m, d);
        }
        if (sm->bios_date_iso[0])
                json_object_set_new(dmi, "bios_date_iso", json_string(sm->bios_date_iso));
        else if (sm->bios_date[0])
                facts_add_error(facts, "dmi", "SMBIOS", 0, "BIOS date \"%s\" is not MM/DD/YYYY",
                                sm->bios_date);
        json_object_set_new(facts, "dmi", dmi);
}

static void collect_tpm(json_t *facts)
{
        struct winapi_tpm t;
        struct winapi_error e;
        json_t *tpm = json_object();

        if (winapi_tpm(&t, &e) < 0) {
                facts_add_error(facts, "tpm", "Tbsi_GetDeviceInfo", 0, "%s", e.what);
        } else {
                json_object_set_new(tpm, "present", json_boolean(t.present));
                set_str(tpm, "version", t.version);
                json_object_set_new(tpm, "how", json_string("Tbsi_GetDeviceInfo"));
        }
        json_object_set_new(facts, "tpm", tpm);
}

static void collect_firmware(json_t *facts)
{
        typedef BOOL(WINAPI * get_firmware_type_fn)(FIRMWARE_TYPE *);
        HMODULE k32 = GetModuleHandleW(L"kernel32.dll");
        get_firmware_type_fn get_type =
            k32 ? (get_firmware_type_fn)(void (*)(void))GetProcAddress(k32, "GetFirmwareType")
                : NULL;
        FIRMWARE_TYPE type = FirmwareTypeUnknown;
        unsigned long v;
        json_t *fw = json_object();

        /* GetFirmwareType came with Windows 8; the registry holds the same. */
        if (get_type && get_type(&type) && type != FirmwareTypeUnknown) {
                json_object_set_new(fw, "uefi", json_boolean(type == FirmwareTypeUefi));
                json_object_set_new(fw, "how", json_string("GetFirmwareType"));
        } else if (reg_dword(HKEY_LOCAL_MACHINE, L"SYSTEM\\CurrentControlSet\\Control",
                             L"PEFirmwareType", &v) == 0 &&
                   (v == 1 || v == 2)) {
                json_object_set_new(fw, "uefi", json_boolean(v == 2));
                json_object_set_new(fw, "how", json_string("PEFirmwareType"));
        }
        if (reg_dword(HKEY_LOCAL_MACHINE, L"SYSTEM\\CurrentControlSet\\Control\\SecureBoot\\State",
                      L"UEFISecureBootEnabled", &v) == 0) {
                /* Windows writes the value only where the firmware can do it. */
                json_object_set_new(fw, "secure_boot_capable", json_true());
                json_object_set_new(fw, "secure_boot", json_boolean(v != 0));
        }
        json_object_set_new(facts, "firmware", fw);
}

int hardware_collect(const struct collect_ctx *ctx, json_t *facts)
{
        struct smbios_info sm;
        bool have_smbios;

        (void)ctx;
        collect_cpu(facts);
        collect_dmi(facts, &sm, &have_smbios);
        collect_memory(facts, have_smbios ? &sm : NULL);
        collect_disk(facts);
        collect_tpm(facts);
        collect_firmware(facts);
        return 0;
}
