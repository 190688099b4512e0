/* hardware.c - the processor (cpuid), memory, the system disk, SMBIOS, the
 * TPM, the firmware and Secure Boot: what equipment.* judges. */
#include <windows.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector.h"
#include "reg.h"
#include "smbios.h"
#include "winapi.h"
#include "winos.h"

#define BIOS_KEY L"HARDWARE\\DESCRIPTION\\System\\BIOS"
/* GetSystemFirmwareTable's provider for the raw SMBIOS table: 'RSMB'. */
#define RSMB 0x52534d42u

static void set_str(json_t *o, const char *key, const char *v)
{
        if (v && *v)
                json_object_set_new(o, key, facts_string(v));
}

/* The processor as cpuid tells it (winapi.c), memory beside it. */
static void collect_cpu_memory(json_t *facts, const struct smbios_info *sm)
{
        struct winapi_machine m;
        struct winapi_error e;
        json_t *cpu = json_object(), *mem = json_object();

        if (winapi_machine(&m, &e) < 0) {
                facts_add_error(facts, "meminfo", "", 0, "%s", e.what);
                json_decref(cpu);
                json_decref(mem);
                return;
        }
        set_str(cpu, "vendor", m.vendor);
        set_str(cpu, "model_name", m.model_name);
        if (m.family >= 0) {
                json_object_set_new(cpu, "family", json_integer(m.family));
                json_object_set_new(cpu, "model", json_integer(m.model));
                json_object_set_new(cpu, "stepping", json_integer(m.stepping));
        }
        json_object_set_new(cpu, "bits64", json_boolean(m.bits64));
        json_object_set_new(cpu, "cores", json_integer(m.cores));
        json_object_set_new(cpu, "threads", json_integer(m.threads));
        json_object_set_new(cpu, "arch", json_string("x86"));
        json_object_set_new(facts, "cpu", cpu);
        json_object_set_new(facts, "virtual_machine", json_boolean(m.hypervisor));
        if (m.hypervisor)
                json_object_set_new(facts, "virtual_machine_how",
                                    json_string("the CPU's \"hypervisor\" flag"));
        json_object_set_new(mem, "total_kib", json_integer((json_int_t)(m.total_bytes / 1024)));
        /* What is installed, firmware's share included, as the kernel's
         * memory blocks tell it on Linux. */
        if (m.installed_bytes > 0)
                json_object_set_new(mem, "blocks_bytes",
                                    json_integer((json_int_t)m.installed_bytes));
        else if (sm && sm->memory_bytes > 0)
                json_object_set_new(mem, "blocks_bytes",
                                    json_integer((json_int_t)sm->memory_bytes));
        json_object_set_new(facts, "memory", mem);
}

static void collect_disk(json_t *facts)
{
        struct winapi_disk d;
        struct winapi_error e;
        wchar_t windir[MAX_PATH];
        char drive[3] = "C:";
        json_t *disks = json_array(), *disk;

        if (GetSystemWindowsDirectoryW(windir, MAX_PATH) >= 2 && windir[1] == L':' &&
            windir[0] < 128)
                drive[0] = (char)windir[0];
        if (winapi_system_disk(&d, &e) < 0) {
                facts_add_error(facts, "disk", "", 0, "%s", e.what);
                json_object_set_new(facts, "disks", disks);
                return;
        }
        /* Named by the drive Windows is on, as its user knows it. */
        disk = json_pack("{s:s, s:I}", "name", drive, "size_bytes", (json_int_t)d.size_bytes);
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
                            json_pack("{s:s, s:s}", "name", drive, "how",
                                      "the disk holding the Windows directory"));
}

/* SMBIOS as the firmware gives it; a field it leaves empty is taken from
 * the copy Windows keeps in the registry. */
int win_smbios_read(struct smbios_info *sm, struct error *e)
{
        UINT size = GetSystemFirmwareTable(RSMB, 0, NULL, 0);
        unsigned char *raw = size ? malloc(size) : NULL;
        int rc = -ENOENT;

        memset(sm, 0, sizeof(*sm));
        if (raw && GetSystemFirmwareTable(RSMB, 0, raw, size) == size)
                rc = smbios_parse(raw, size, true, sm, e) < 0 ? -EINVAL : 0;
        free(raw);
        return rc;
}

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
        struct error err;
        int rc = win_smbios_read(sm, &err);

        *have = rc != -ENOENT;
        if (rc == -EINVAL)
                facts_add_error(facts, "dmi", "SMBIOS", err.line, "%s", err.msg);
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
                facts_add_error(facts, "tpm", "", 0, "%s", e.what);
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
        collect_dmi(facts, &sm, &have_smbios);
        collect_cpu_memory(facts, have_smbios ? &sm : NULL);
        collect_disk(facts);
        collect_tpm(facts);
        collect_firmware(facts);
        return 0;
}
