/* rules_hardware.c - the equipment catch-up criteria: RAM, age, system disk,
 * TPM, Windows 11 readiness and operating-system support.
 *
 * A fail means "this machine qualifies for the equipment catch-up"; checks on
 * physical hardware skip on a virtual machine, whose "hardware" is the
 * hypervisor's settings. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"
#include "util.h"
#include "rules.h"
#include "util.h"
#include "win11-cpus.h"

#define GIB (1024.0 * 1024 * 1024)

static const char *str(const json_t *o, const char *key)
{
        const char *s = json_string_value(json_object_get(o, key));

        return s && *s ? s : NULL;
}

/* An error in a file the kernel or the firmware writes (proc/, sys/): the
 * user cannot fix it, only pass it on. */
static void hw_error(struct findings *out, const struct check *c, const struct check_ctx *ctx,
                     const json_t *err)
{
        const char *file = str(err, "file"), *msg = str(err, "message");
        json_int_t line = json_integer_value(json_object_get(err, "line"));
        char where[300];

        if (line > 0)
                snprintf(where, sizeof(where), "%s:%lld", file ? file : "?", (long long)line);
        else
                snprintf(where, sizeof(where), "%s", file ? file : "?");
        finding_add(out, c, ctx, STATUS_ERROR, NULL, json_deep_copy(err),
                    tr(ctx, "This file comes from the kernel or the firmware: send this message "
                            "to your IT support."),
                    "%s: %s", where, msg ? msg : "");
}

static long int_or(const json_t *o, const char *key, long dflt)
{
        const json_t *v = json_object_get(o, key);

        return json_is_integer(v) ? (long)json_integer_value(v) : dflt;
}

/* The root shows its hardware (it has a sys/): absence means something. */
static bool sysfs(const json_t *hw)
{
        return !json_is_false(json_object_get(hw, "sysfs"));
}

static bool is_vm(const json_t *hw)
{
        return json_is_true(json_object_get(hw, "virtual_machine"));
}

/* Installed RAM in GiB, or -1. The kernel's memory blocks add up to the
 * installed size (rounded to the nearest GiB); failing those, MemTotal lacks
 * what firmware and kernel hold back (a few percent, under 1 GiB on the PCs
 * concerned), so it is rounded up to the next whole GiB: 7.6 GiB counts as 8. */
static long ram_gib(const json_t *hw, const char **how)
{
        const json_t *mem = json_object_get(hw, "memory");
        json_int_t blocks = json_integer_value(json_object_get(mem, "blocks_bytes"));
        json_int_t kib = json_integer_value(json_object_get(mem, "total_kib"));

        if (blocks > 0) {
                *how = "installed memory blocks (sys/devices/system/memory), nearest GiB";
                return (long)((blocks + (json_int_t)(GIB / 2)) / (json_int_t)GIB);
        }
        if (kib > 0) {
                *how = "MemTotal (proc/meminfo) rounded up to the next GiB";
                return (long)((kib + 1024 * 1024 - 1) / (1024 * 1024));
        }
        *how = NULL;
        return -1;
}

void rule_equipment_ram(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        const json_t *hw = rules_facts(ctx, FAM_HARDWARE), *err = facts_error(hw, "meminfo");
        const json_t *mem = json_object_get(hw, "memory");
        long min = ctx->policy->hw_min_ram_gib;
        const char *how;
        long gib = ram_gib(hw, &how);
        char rem[256];
        json_t *ev;

        if (gib < 0) {
                if (err)
                        hw_error(out, c, ctx, err);
                else
                        finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "%s",
                                    tr(ctx, "Memory size not available"));
                return;
        }
        ev = json_pack("{s:I, s:s, s:i, s:O?, s:O?}", "gib", (json_int_t)gib, "rule", how,
                       "min_gib", (int)min, "total_kib", json_object_get(mem, "total_kib"),
                       "blocks_bytes", json_object_get(mem, "blocks_bytes"));
        if (gib >= min) {
                finding_add(out, c, ctx, STATUS_PASS, NULL, ev, NULL, tr(ctx, "%ld GiB of RAM"),
                            gib);
                return;
        }
        snprintf(rem, sizeof(rem),
                 tr(ctx, "Add memory to reach at least %ld GiB, or include this machine in the "
                         "equipment catch-up request."),
                 min);
        finding_add(out, c, ctx, STATUS_FAIL, NULL, ev, rem,
                    tr(ctx, "%ld GiB of RAM, under the %ld GiB minimum: qualifies for the "
                            "equipment catch-up"),
                    gib, min);
}

void rule_equipment_age(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        const json_t *hw = rules_facts(ctx, FAM_HARDWARE), *err = facts_error(hw, "dmi");
        const json_t *dmi = json_object_get(hw, "dmi");
        const char *date = str(dmi, "bios_date_iso");
        long max = ctx->policy->hw_max_bios_age_years, years;
        struct tm now;
        int y, m, d;
        json_t *ev;

        if (err) {
                hw_error(out, c, ctx, err);
                return;
        }
        if (is_vm(hw)) {
                finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "%s",
                            tr(ctx, "Virtual machine: its BIOS date says nothing of the "
                                    "hardware's age"));
                return;
        }
        if (!date || sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3) {
                finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "%s",
                            tr(ctx, "BIOS date not available"));
                return;
        }
        gmtime_r(&ctx->now, &now);
        years = now.tm_year + 1900 - y;
        if (now.tm_mon + 1 < m || (now.tm_mon + 1 == m && now.tm_mday < d))
                years--;
        ev = json_pack("{s:s, s:s?, s:s?, s:s?, s:s?, s:i, s:i, s:s}", "bios_date", date,
                       "bios_vendor", str(dmi, "bios_vendor"), "bios_version",
                       str(dmi, "bios_version"), "vendor", str(dmi, "sys_vendor"), "product",
                       str(dmi, "product_name"), "age_years", (int)years, "max_age_years", (int)max,
                       "note",
                       "the BIOS date is the firmware's release date: a firmware update makes "
                       "a machine look younger");
        if (years < max) {
                finding_add(out, c, ctx, STATUS_PASS, NULL, ev, NULL,
                            trn(ctx, "BIOS dated %s, %ld year old", "BIOS dated %s, %ld years old",
                                (unsigned long)(years < 0 ? 0 : years)),
                            date, years < 0 ? 0 : years);
                return;
        }
        finding_add(out, c, ctx, STATUS_FAIL, NULL, ev,
                    tr(ctx, "Include this machine in the equipment catch-up request: it is older "
                            "than the policy allows."),
                    tr(ctx, "BIOS dated %s, %ld years old (limit %ld): qualifies for the "
                            "equipment catch-up"),
                    date, years, max);
}

static const json_t *disk_named(const json_t *hw, const char *name)
{
        const json_t *disk;
        size_t i;

        json_array_foreach(json_object_get(hw, "disks"), i, disk)
        {
                const char *n = str(disk, "name");
                if (n && name && strcmp(n, name) == 0)
                        return disk;
        }
        return NULL;
}

/* "sda (Samsung SSD 860, 500 GB)" */
static const char *disk_label(const json_t *disk, char *buf, size_t size)
{
        const char *model = str(disk, "model");
        json_int_t bytes = json_integer_value(json_object_get(disk, "size_bytes"));

        if (model)
                snprintf(buf, size, "%s (%s, %lld GB)", str(disk, "name"), model,
                         (long long)(bytes / 1000000000));
        else
                snprintf(buf, size, "%s (%lld GB)", str(disk, "name"),
                         (long long)(bytes / 1000000000));
        return buf;
}

void rule_equipment_storage(const struct check *c, const struct check_ctx *ctx,
                            struct findings *out)
{
        const json_t *hw = rules_facts(ctx, FAM_HARDWARE), *disk,
                     *sys = json_object_get(hw, "system_disk");
        const char *rem = tr(ctx, "Replace the system disk with an SSD, or include this machine in "
                                  "the equipment catch-up request: a spinning disk makes the "
                                  "machine slow to start and to update.");
        size_t i, fixed = 0, spinning = 0;
        char label[256];

        if (sys) {
                disk = disk_named(hw, str(sys, "name"));
                json_t *ev = json_pack("{s:O, s:O?, s:O?}", "system_disk", sys, "disk", disk,
                                       "virtual_machine", json_object_get(hw, "virtual_machine"));
                if (!disk || !json_is_boolean(json_object_get(disk, "rotational"))) {
                        finding_add(out, c, ctx, STATUS_SKIP, NULL, ev, NULL,
                                    tr(ctx, "The system disk %s does not say whether it spins"),
                                    str(sys, "name"));
                } else if (json_is_true(json_object_get(disk, "virtual")) || is_vm(hw)) {
                        finding_add(out, c, ctx, STATUS_SKIP, NULL, ev, NULL,
                                    tr(ctx, "The system disk %s is virtual: what it is stored on "
                                            "is the hypervisor's"),
                                    disk_label(disk, label, sizeof(label)));
                } else if (json_is_true(json_object_get(disk, "rotational"))) {
                        finding_add(out, c, ctx, STATUS_FAIL, NULL, ev, rem,
                                    tr(ctx, "The system disk %s is a spinning hard disk: "
                                            "qualifies for the equipment catch-up"),
                                    disk_label(disk, label, sizeof(label)));
                } else {
                        finding_add(out, c, ctx, STATUS_PASS, NULL, ev, NULL,
                                    tr(ctx, "The system disk %s is a solid-state disk"),
                                    disk_label(disk, label, sizeof(label)));
                }
                return;
        }
        /* Which disk holds the system is unknown: every fixed disk must agree. */
        json_array_foreach(json_object_get(hw, "disks"), i, disk)
        {
                if (json_is_true(json_object_get(disk, "removable")))
                        continue;
                fixed++;
                spinning += json_is_true(json_object_get(disk, "rotational"));
        }
        json_t *ev = json_pack("{s:O?, s:s}", "disks", json_object_get(hw, "disks"), "how",
                               "system disk unknown: judged on every non-removable disk");
        if (fixed == 0)
                finding_add(out, c, ctx, STATUS_SKIP, NULL, ev, NULL, "%s",
                            tr(ctx, "No disk found"));
        else if (is_vm(hw))
                finding_add(out, c, ctx, STATUS_SKIP, NULL, ev, NULL, "%s",
                            tr(ctx, "Virtual machine: what its disks are stored on is the "
                                    "hypervisor's"));
        else if (spinning == fixed && fixed == 1)
                finding_add(out, c, ctx, STATUS_FAIL, NULL, ev, rem, "%s",
                            tr(ctx, "The only disk spins: qualifies for the equipment catch-up"));
        else if (spinning == fixed)
                finding_add(out, c, ctx, STATUS_FAIL, NULL, ev, rem,
                            tr(ctx, "All %zu disks spin: qualifies for the equipment catch-up"),
                            fixed);
        else if (spinning == 0)
                finding_add(out, c, ctx, STATUS_PASS, NULL, ev, NULL, "%s",
                            tr(ctx, "Every disk is a solid-state disk"));
        else
                finding_add(out, c, ctx, STATUS_SKIP, NULL, ev, NULL,
                            tr(ctx, "%zu of %zu disks spin; which one holds the system is "
                                    "unknown"),
                            spinning, fixed);
}

/* "2.0", "1.2", "" (present, version unknown) or NULL (none). */
static const char *tpm_version(const json_t *hw)
{
        const json_t *tpm = json_object_get(hw, "tpm");
        const char *v = str(tpm, "version");

        if (!json_is_true(json_object_get(tpm, "present")))
                return NULL;
        return v ? v : "";
}

void rule_equipment_tpm(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        const json_t *hw = rules_facts(ctx, FAM_HARDWARE);
        const char *v = tpm_version(hw);
        json_t *ev = json_pack("{s:O?}", "tpm", json_object_get(hw, "tpm"));
        const char *rem = tr(ctx, "Look in the firmware setup for a disabled TPM (named PTT on "
                                  "Intel, fTPM on AMD) and enable it; otherwise include this "
                                  "machine in the equipment catch-up request.");

        if (v && strcmp(v, "2.0") == 0)
                finding_add(out, c, ctx, STATUS_PASS, NULL, ev, NULL, "%s",
                            tr(ctx, "TPM 2.0 present"));
        else if (!sysfs(hw))
                finding_add(out, c, ctx, STATUS_SKIP, NULL, ev, NULL, "%s",
                            tr(ctx, "This system is not running: its hardware cannot be seen"));
        else if (is_vm(hw))
                finding_add(out, c, ctx, STATUS_SKIP, NULL, ev, NULL, "%s",
                            tr(ctx, "Virtual machine without TPM 2.0: the hypervisor can "
                                    "provide a virtual one"));
        else if (!v)
                finding_add(out, c, ctx, STATUS_FAIL, NULL, ev, rem, "%s",
                            tr(ctx, "No TPM found: qualifies for the equipment catch-up"));
        else if (!*v)
                finding_add(out, c, ctx, STATUS_WARN, NULL, ev, rem, "%s",
                            tr(ctx, "A TPM is present but its version cannot be read"));
        else
                finding_add(out, c, ctx, STATUS_FAIL, NULL, ev, rem,
                            tr(ctx, "TPM %s only, not 2.0: qualifies for the equipment catch-up"),
                            v);
}

enum req { REQ_PASS, REQ_UNKNOWN, REQ_FAIL };

struct win11 {
        const struct check_ctx *ctx;
        json_t *reqs;
        char unmet[512], uncertain[512];
};

static void req(struct win11 *w, const char *name, enum req r, const char *found, const char *need,
                const char *label)
{
        static const char *const names[] = { "pass", "unknown", "fail" };
        char *list = r == REQ_FAIL ? w->unmet : r == REQ_UNKNOWN ? w->uncertain : NULL;

        json_array_append_new(w->reqs, json_pack("{s:s, s:s, s:s, s:s}", "requirement", name,
                                                 "result", names[r], "found", found, "need", need));
        if (list) {
                size_t n = strlen(list);
                snprintf(list + n, 512 - n, "%s%s", n ? ", " : "", label);
        }
}

static int load_cpus(struct win11_cpus *t, struct error *e)
{
        char path[4096], *text = NULL;
        int rc = paths_read_data("win11-cpus.conf", 1 << 20, &text, path, sizeof(path));

        if (rc < 0) {
                error_set(e, path, 0, "cannot read: %s", strerror(-rc));
                return rc;
        }
        rc = win11_cpus_parse(text, path, t, e);
        free(text);
        return rc;
}

static void win11_cpu(struct win11 *w, const json_t *hw, const struct win11_cpus *t)
{
        const json_t *cpu = json_object_get(hw, "cpu");
        char found[256], need[160], label[256];

        if (!cpu) {
                const json_t *err = facts_error(hw, "cpuinfo");
                snprintf(found, sizeof(found), "unknown: %s",
                         err ? json_string_value(json_object_get(err, "message")) : "no cpuinfo");
                req(w, "cpu", REQ_UNKNOWN, found, "on Microsoft's lists",
                    tr(w->ctx, "processor unknown"));
                return;
        }
        struct win11_cpu id = {
                .vendor = str(cpu, "vendor"),
                .family = int_or(cpu, "family", -1),
                .model = int_or(cpu, "model", -1),
                .stepping = int_or(cpu, "stepping", -1),
                .atomics = json_is_true(json_object_get(cpu, "atomics")),
        };
        const struct win11_rule *r = win11_cpus_match(t, &id);

        snprintf(found, sizeof(found), "%s family %ld model %ld stepping %ld (%s)",
                 id.vendor ? id.vendor : "?", id.family, id.model, id.stepping,
                 str(cpu, "model_name") ? str(cpu, "model_name") : "?");
        snprintf(need, sizeof(need), "win11-cpus.conf:%u %s: %s", r ? r->line : 0,
                 r ? win11_verdict_name(r->verdict) : "no rule", r ? r->note : "");
        if (r && r->verdict == WIN11_SUPPORTED) {
                req(w, "cpu", REQ_PASS, found, need, "");
        } else if (r && r->verdict == WIN11_UNCERTAIN) {
                snprintf(label, sizeof(label),
                         tr(w->ctx, "processor %s model %ld stepping %ld supported on some "
                                    "platforms only"),
                         id.vendor ? id.vendor : "?", id.model, id.stepping);
                req(w, "cpu", REQ_UNKNOWN, found, need, label);
        } else {
                snprintf(label, sizeof(label),
                         tr(w->ctx, "processor not on Microsoft's list (%s family %ld model %ld)"),
                         id.vendor ? id.vendor : "?", id.family, id.model);
                req(w, "cpu", REQ_FAIL, found, need, label);
        }
        if (json_is_false(json_object_get(cpu, "bits64")))
                req(w, "64-bit", REQ_FAIL, "32-bit", "64-bit", tr(w->ctx, "32-bit processor"));
}

/* The system disk, or else the largest fixed disk. */
static const json_t *win11_disk(const json_t *hw)
{
        const json_t *disk, *best = NULL;
        size_t i;

        disk = disk_named(hw, str(json_object_get(hw, "system_disk"), "name"));
        if (disk)
                return disk;
        json_array_foreach(json_object_get(hw, "disks"), i, disk)
        {
                if (json_is_true(json_object_get(disk, "removable")))
                        continue;
                if (!best || json_integer_value(json_object_get(disk, "size_bytes")) >
                                 json_integer_value(json_object_get(best, "size_bytes")))
                        best = disk;
        }
        return best;
}

void rule_equipment_win11_ready(const struct check *c, const struct check_ctx *ctx,
                                struct findings *out)
{
        const json_t *hw = rules_facts(ctx, FAM_HARDWARE), *cpu = json_object_get(hw, "cpu");
        const json_t *fw = json_object_get(hw, "firmware"), *disk = win11_disk(hw);
        const struct policy *p = ctx->policy;
        struct win11 w = { .ctx = ctx, .reqs = json_array() };
        struct win11_cpus *t = malloc(sizeof(*t));
        char found[64], need[64], label[128], rem[512];
        const char *how, *tpm = tpm_version(hw);
        long gib = ram_gib(hw, &how);
        struct error e;

        if (!t)
                abort();
        if (load_cpus(t, &e) < 0) {
                json_t *err = json_pack("{s:s, s:s, s:i, s:s}", "source", "win11-cpus", "file",
                                        e.file, "line", (int)e.line, "message", e.msg);
                finding_from_error(out, c, ctx, err);
                json_decref(err);
                json_decref(w.reqs);
                free(t);
                return;
        }
        win11_cpu(&w, hw, t);
        free(t);

        json_int_t cores = json_integer_value(json_object_get(cpu, "cores"));
        snprintf(found, sizeof(found), "%lld", (long long)cores);
        snprintf(need, sizeof(need), "%ld", p->win11_min_cores);
        snprintf(label, sizeof(label),
                 trn(ctx, "%lld core (needs %ld)", "%lld cores (needs %ld)", (unsigned long)cores),
                 (long long)cores, p->win11_min_cores);
        req(&w, "cores",
            !cpu                          ? REQ_UNKNOWN
            : cores >= p->win11_min_cores ? REQ_PASS
                                          : REQ_FAIL,
            cpu ? found : "unknown", need, cpu ? label : tr(ctx, "number of cores unknown"));

        snprintf(found, sizeof(found), "%ld GiB", gib);
        snprintf(need, sizeof(need), "%ld GiB", p->win11_min_ram_gib);
        snprintf(label, sizeof(label), tr(ctx, "%ld GiB of RAM (needs %ld)"), gib,
                 p->win11_min_ram_gib);
        req(&w, "ram",
            gib < 0                       ? REQ_UNKNOWN
            : gib >= p->win11_min_ram_gib ? REQ_PASS
                                          : REQ_FAIL,
            gib < 0 ? "unknown" : found, need, gib < 0 ? tr(ctx, "memory size unknown") : label);

        long long gb =
            disk ? json_integer_value(json_object_get(disk, "size_bytes")) / 1000000000 : -1;
        snprintf(found, sizeof(found), "%lld GB", gb);
        snprintf(need, sizeof(need), "%ld GB", p->win11_min_storage_gb);
        snprintf(label, sizeof(label), tr(ctx, "%lld GB disk (needs %ld)"), gb,
                 p->win11_min_storage_gb);
        req(&w, "storage",
            !disk                           ? REQ_UNKNOWN
            : gb >= p->win11_min_storage_gb ? REQ_PASS
                                            : REQ_FAIL,
            disk ? found : "unknown", need, disk ? label : tr(ctx, "disk size unknown"));

        req(&w, "tpm",
            !tpm                      ? REQ_FAIL
            : strcmp(tpm, "2.0") == 0 ? REQ_PASS
            : *tpm                    ? REQ_FAIL
                                      : REQ_UNKNOWN,
            !tpm   ? "none"
            : *tpm ? tpm
                   : "version unknown",
            "2.0", !tpm || *tpm ? tr(ctx, "no TPM 2.0") : tr(ctx, "TPM version unknown"));

        bool uefi = json_is_true(json_object_get(fw, "uefi"));
        req(&w, "uefi", uefi ? REQ_PASS : REQ_FAIL, uefi ? "UEFI" : "legacy BIOS", "UEFI",
            tr(ctx, "no UEFI (legacy BIOS start)"));
        const json_t *sb = json_object_get(fw, "secure_boot_capable");
        req(&w, "secure_boot",
            json_is_true(sb) ? REQ_PASS
            : uefi           ? REQ_UNKNOWN
                             : REQ_FAIL,
            json_is_true(sb)
                ? (json_is_true(json_object_get(fw, "secure_boot")) ? "enabled" : "capable, off")
            : uefi ? "unknown"
                   : "no",
            "capable", uefi ? tr(ctx, "Secure Boot support unknown") : tr(ctx, "no Secure Boot"));

        json_t *ev = json_pack("{s:o, s:O?}", "requirements", w.reqs, "virtual_machine",
                               json_object_get(hw, "virtual_machine"));
        if (!sysfs(hw)) {
                finding_add(out, c, ctx, STATUS_SKIP, NULL, ev, NULL, "%s",
                            tr(ctx, "This system is not running: its hardware cannot be seen"));
        } else if (is_vm(hw)) {
                finding_add(out, c, ctx, STATUS_SKIP, NULL, ev, NULL, "%s",
                            tr(ctx, "Virtual machine: Windows 11 readiness depends on the "
                                    "hypervisor's settings"));
        } else if (w.unmet[0]) {
                snprintf(rem, sizeof(rem), "%s",
                         tr(ctx, "Some items may be fixed in the firmware setup (enable the TPM, "
                                 "start in UEFI mode); otherwise include this machine in the "
                                 "equipment catch-up request: Windows 10 gets no security "
                                 "updates since 2025-10-14."));
                if (w.uncertain[0])
                        finding_add(out, c, ctx, STATUS_FAIL, NULL, ev, rem,
                                    tr(ctx, "Cannot run Windows 11, qualifies for the equipment "
                                            "catch-up: %s; uncertain: %s"),
                                    w.unmet, w.uncertain);
                else
                        finding_add(out, c, ctx, STATUS_FAIL, NULL, ev, rem,
                                    tr(ctx, "Cannot run Windows 11, qualifies for the equipment "
                                            "catch-up: %s"),
                                    w.unmet);
        } else if (w.uncertain[0]) {
                finding_add(out, c, ctx, STATUS_WARN, NULL, ev,
                            tr(ctx, "Run Microsoft's PC Health Check on this machine to settle "
                                    "it."),
                            tr(ctx, "Windows 11 readiness uncertain: %s"), w.uncertain);
        } else {
                finding_add(out, c, ctx, STATUS_PASS, NULL, ev, NULL, "%s",
                            tr(ctx, "Meets Windows 11's minimum requirements"));
        }
}

/* Windows 10 in facts without the policy's table (facts.os.support, which
 * rules_os_support reads): support ended on 2025-10-14. Its paid extended
 * updates (to 2028-10-10 at most) need a contract per machine, so, like
 * Debian's ELTS, they do not count. */
static void windows_support(const json_t *os, time_t now, struct support *s)
{
        const char *id = str(os, "id"), *version = str(os, "version_id");
        time_t eol;

        if (json_object_get(os, "support") || !id || strcmp(id, "windows") != 0 || !version ||
            strncmp(version, "10", 2) != 0 || (version[2] && version[2] != '.'))
                return;
        /* Windows 11 is version 10.0 too, from build 22000. */
        if (strncmp(version, "10.0.", 5) == 0 && atol(version + 5) >= 22000)
                return;
        s->eol = "2025-10-14";
        s->ext = NULL;
        if (util_parse_date(s->eol, &eol) == 0 && now >= eol)
                s->state = SUPPORT_ENDED;
        else
                s->state = SUPPORT_OK;
}

void rule_equipment_os_supported(const struct check *c, const struct check_ctx *ctx,
                                 struct findings *out)
{
        const json_t *os = rules_facts(ctx, FAM_OS), *err = facts_error(os, "os-release");
        struct support s;
        json_t *ev;

        if (err) {
                finding_from_error(out, c, ctx, err);
                return;
        }
        rules_os_support(os, ctx->now, ctx->policy->os_eol_warn_months, &s);
        windows_support(os, ctx->now, &s);
        ev = json_pack("{s:s, s:s?, s:s?}", "system", s.system, "eol", s.eol, "extended_until",
                       s.ext);
        switch (s.state) {
        case SUPPORT_UNKNOWN:
                if (s.eol)
                        finding_add(out, c, ctx, STATUS_SKIP, NULL, ev, NULL,
                                    tr(ctx, "%s: the end of support \"%s\" is not a date"),
                                    s.system, s.eol);
                else
                        finding_add(out, c, ctx, STATUS_SKIP, NULL, ev, NULL,
                                    tr(ctx, "%s: no end-of-support table for this system"),
                                    s.system);
                break;
        case SUPPORT_OK:
        case SUPPORT_ENDING:
                if (s.eol)
                        finding_add(out, c, ctx, STATUS_PASS, NULL, ev, NULL,
                                    tr(ctx, "%s gets security updates until %s"), s.system, s.eol);
                else
                        finding_add(out, c, ctx, STATUS_PASS, NULL, ev, NULL,
                                    tr(ctx, "%s gets security updates"), s.system);
                break;
        case SUPPORT_EXTENDED:
                finding_add(out, c, ctx, STATUS_WARN, NULL, ev,
                            tr(ctx, "Install a supported release; if this machine cannot run "
                                    "one, include it in the equipment catch-up request."),
                            tr(ctx, "%s: regular security support ended on %s; only %s fixes "
                                    "remain until %s"),
                            s.system, s.eol, s.ext_name, s.ext);
                break;
        case SUPPORT_ENDED:
                finding_add(out, c, ctx, STATUS_FAIL, NULL, ev,
                            tr(ctx, "Install a supported system; if this machine cannot run one, "
                                    "include it in the equipment catch-up request."),
                            tr(ctx, "%s gets no security updates since %s: qualifies for the "
                                    "equipment catch-up"),
                            s.system, s.ext ? s.ext : s.eol);
                break;
        }
}
