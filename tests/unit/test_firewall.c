/* test_firewall.c - the Linux firewall facts on scratch roots, and the
 * firewall.enabled rule on Linux and Windows facts. */
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
#include "units.h"

/* 2026-11-24 12:00 UTC */
#define NOW ((time_t)1795521600)

struct root {
        char dir[64];
        struct rootfs fs;
        json_t *facts;
};

static void root_new(struct root *r)
{
        snprintf(r->dir, sizeof(r->dir), "/tmp/test_firewall.XXXXXX");
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

static void link_at(struct root *r, const char *rel, const char *target)
{
        char path[512];

        put(r, rel, "");
        snprintf(path, sizeof(path), "%s/%s", r->dir, rel);
        assert_int_equal(unlink(path), 0);
        assert_int_equal(symlink(target, path), 0);
}

/* A unit installed in lib/systemd/system, and enabled when asked. */
static void unit(struct root *r, const char *name, bool enabled)
{
        char rel[256], target[256];

        snprintf(rel, sizeof(rel), "lib/systemd/system/%s", name);
        put(r, rel, "[Service]\n");
        if (enabled) {
                snprintf(rel, sizeof(rel), "etc/systemd/system/multi-user.target.wants/%s", name);
                snprintf(target, sizeof(target), "/lib/systemd/system/%s", name);
                link_at(r, rel, target);
        }
}

/* Collects the root's firewall facts into r->facts; returns facts.firewall. */
static const json_t *collect(struct root *r)
{
        struct collect_ctx ctx = { .root = &r->fs, .policy = NULL, .now = NOW };

        assert_int_equal(rootfs_init(&r->fs, r->dir), 0);
        r->facts = json_object();
        firewall_collect(&ctx, r->facts);
        rootfs_close(&r->fs);
        return json_object_get(r->facts, "firewall");
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

static void ufw(struct root *r, const char *enabled, const char *policy, bool unit_enabled)
{
        char text[128];

        snprintf(text, sizeof(text), "# /etc/ufw/ufw.conf\nENABLED=%s\nLOGLEVEL=low\n", enabled);
        put(r, "etc/ufw/ufw.conf", text);
        snprintf(text, sizeof(text), "IPV6=yes\nDEFAULT_INPUT_POLICY=\"%s\"\n", policy);
        put(r, "etc/default/ufw", text);
        put(r, "etc/ufw/user.rules",
            "*filter\n### RULES ###\n\n### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in\n"
            "-A ufw-user-input -p tcp --dport 22 -j ACCEPT\n\n### END RULES ###\nCOMMIT\n");
        put(r, "etc/ufw/user6.rules", "*filter\n### RULES ###\n### END RULES ###\nCOMMIT\n");
        unit(r, "ufw.service", unit_enabled);
}

static void test_ufw_enabled_with_its_unit_is_on(void **state)
{
        struct root r;
        const json_t *fw;

        (void)state;
        root_new(&r);
        ufw(&r, "yes", "DROP", true);
        fw = collect(&r);
        assert_true(json_is_true(json_object_get(fw, "enabled")));
        assert_string_equal(s(fw, "how"), "ufw");
        assert_int_equal(json_integer_value(json_object_get(fw, "rules")), 1);
        assert_string_equal(json_string_value(json_array_get(json_object_get(fw, "active"), 0)),
                            "ufw");
        assert_string_equal(s(fw, "decided_from"), "configuration loaded at boot");
        assert_null(json_object_get(r.facts, "errors"));
        root_free(&r);
}

static void test_ufw_enabled_no_is_off(void **state)
{
        struct root r;
        const json_t *fw;

        (void)state;
        root_new(&r);
        ufw(&r, "no", "DROP", true);
        fw = collect(&r);
        assert_true(json_is_false(json_object_get(fw, "enabled")));
        assert_string_equal(s(fw, "how"), "ufw");
        assert_string_equal(s(fw, "note"), "ufw is off: ENABLED=no in etc/ufw/ufw.conf");
        assert_int_equal(json_array_size(json_object_get(fw, "active")), 0);
        root_free(&r);
}

static void test_ufw_without_its_unit_enabled_is_off(void **state)
{
        struct root r;
        const json_t *fw;

        (void)state;
        root_new(&r);
        ufw(&r, "yes", "DROP", false);
        fw = collect(&r);
        assert_true(json_is_false(json_object_get(fw, "enabled")));
        assert_string_equal(s(fw, "note"),
                            "ufw.service is not enabled: it does not start with the system");
        root_free(&r);
}

static void test_ufw_accepting_everything_is_no_firewall(void **state)
{
        struct root r;
        const json_t *fw;

        (void)state;
        root_new(&r);
        ufw(&r, "yes", "ACCEPT", true);
        put(&r, "etc/ufw/user.rules", "*filter\n### RULES ###\n### END RULES ###\nCOMMIT\n");
        fw = collect(&r);
        assert_true(json_is_false(json_object_get(fw, "enabled")));
        assert_string_equal(s(fw, "note"), "ufw lets every connection in: "
                                           "DEFAULT_INPUT_POLICY=\"ACCEPT\" in etc/default/ufw, "
                                           "and no rule");
        root_free(&r);
}

static void test_masked_unit_is_off(void **state)
{
        struct root r;
        const json_t *fw;

        (void)state;
        root_new(&r);
        ufw(&r, "yes", "DROP", true);
        link_at(&r, "etc/systemd/system/ufw.service", "/dev/null");
        fw = collect(&r);
        assert_true(json_is_false(json_object_get(fw, "enabled")));
        assert_string_equal(s(fw, "note"), "ufw.service is masked");
        root_free(&r);
}

static const char debian_nftables[] = "#!/usr/sbin/nft -f\n\nflush ruleset\n\n"
                                      "table inet filter {\n"
                                      "\tchain input {\n"
                                      "\t\ttype filter hook input priority filter;\n"
                                      "\t}\n"
                                      "\tchain forward {\n"
                                      "\t\ttype filter hook forward priority filter;\n"
                                      "\t}\n"
                                      "\tchain output {\n"
                                      "\t\ttype filter hook output priority filter;\n"
                                      "\t}\n"
                                      "}\n";

static void test_nftables_debian_default_is_no_firewall(void **state)
{
        struct root r;
        const json_t *fw;

        (void)state;
        root_new(&r);
        put(&r, "etc/nftables.conf", debian_nftables);
        unit(&r, "nftables.service", true);
        fw = collect(&r);
        assert_true(json_is_false(json_object_get(fw, "enabled")));
        assert_string_equal(s(fw, "how"), "nftables");
        assert_string_equal(s(fw, "note"),
                            "etc/nftables.conf filters nothing coming in: no input chain drops by "
                            "default or holds a rule");
        root_free(&r);
}

static void test_nftables_that_only_flushes_is_no_firewall(void **state)
{
        struct root r;
        const json_t *fw;

        (void)state;
        root_new(&r);
        put(&r, "etc/nftables.conf", "#!/usr/sbin/nft -f\nflush ruleset\n");
        unit(&r, "nftables.service", true);
        fw = collect(&r);
        assert_true(json_is_false(json_object_get(fw, "enabled")));
        assert_string_equal(s(fw, "note"), "etc/nftables.conf loads no table");
        root_free(&r);
}

static void test_nftables_installed_but_unused_is_not_set_up(void **state)
{
        struct root r;
        const json_t *fw;

        (void)state;
        root_new(&r);
        put(&r, "etc/nftables.conf", debian_nftables);
        unit(&r, "nftables.service", false);
        fw = collect(&r);
        assert_true(json_is_false(json_object_get(fw, "enabled")));
        assert_null(json_object_get(fw, "how"));
        assert_string_equal(s(fw, "note"), "no firewall is set up (ufw, firewalld, nftables, "
                                           "iptables-persistent)");
        assert_int_equal(json_array_size(json_object_get(fw, "firewalls")), 1);
        root_free(&r);
}

static void test_nftables_includes_are_followed_in_name_order(void **state)
{
        struct root r;
        const json_t *fw;

        (void)state;
        root_new(&r);
        put(&r, "etc/nftables.conf",
            "flush ruleset\ntable inet filter {\n chain input {\n  type filter hook input "
            "priority 0; policy accept;\n }\n}\ninclude \"/etc/nftables.d/*.nft\"\n");
        /* Read the other way round, the flush would undo the rule. */
        put(&r, "etc/nftables.d/10-flush.nft", "flush chain inet filter input\n");
        put(&r, "etc/nftables.d/20-ssh.nft", "add rule inet filter input tcp dport 22 accept\n");
        put(&r, "etc/nftables.d/README", "add rule inet filter input drop\n");
        unit(&r, "nftables.service", true);
        fw = collect(&r);
        assert_true(json_is_true(json_object_get(fw, "enabled")));
        assert_string_equal(s(fw, "how"), "nftables");
        assert_int_equal(json_integer_value(json_object_get(fw, "rules")), 1);
        root_free(&r);
}

static void test_nftables_error_names_file_and_line(void **state)
{
        struct root r;
        const json_t *fw, *err;

        (void)state;
        root_new(&r);
        put(&r, "etc/nftables.conf", "include \"nftables.d/main.nft\"\n");
        put(&r, "etc/nftables.d/main.nft", "table inet f {\n}\n}\n");
        unit(&r, "nftables.service", true);
        fw = collect(&r);
        assert_null(json_object_get(fw, "enabled"));
        err = json_array_get(json_object_get(r.facts, "errors"), 0);
        assert_string_equal(s(err, "source"), "firewall");
        assert_string_equal(s(err, "file"), "etc/nftables.d/main.nft");
        assert_int_equal(json_integer_value(json_object_get(err, "line")), 3);
        assert_string_equal(s(err, "message"), "a \"}\" that closes no block");
        assert_int_equal(json_array_size(json_object_get(r.facts, "errors")), 1);
        root_free(&r);
}

static void test_iptables_persistent_rules_decide(void **state)
{
        struct root r;
        const json_t *fw;

        (void)state;
        root_new(&r);
        put(&r, "etc/iptables/rules.v4",
            "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n"
            "-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT\n"
            "COMMIT\n");
        put(&r, "etc/iptables/rules.v6",
            "*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n"
            "COMMIT\n");
        unit(&r, "netfilter-persistent.service", true);
        fw = collect(&r);
        assert_true(json_is_true(json_object_get(fw, "enabled")));
        assert_string_equal(s(fw, "how"), "iptables");
        assert_int_equal(json_integer_value(json_object_get(fw, "rules")), 3);
        put(&r, "etc/iptables/rules.v4",
            "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\n");
        json_decref(r.facts);
        fw = collect(&r);
        assert_null(json_object_get(fw, "enabled"));
        assert_string_equal(s(json_array_get(json_object_get(r.facts, "errors"), 0), "message"),
                            "table \"filter\" has no COMMIT");
        root_free(&r);
}

static void test_firewalld_trusted_zone_is_no_firewall(void **state)
{
        struct root r;
        const json_t *fw;

        (void)state;
        root_new(&r);
        unit(&r, "firewalld.service", true);
        fw = collect(&r);
        assert_true(json_is_true(json_object_get(fw, "enabled")));
        assert_string_equal(s(fw, "how"), "firewalld");
        assert_null(json_object_get(fw, "rules"));
        put(&r, "etc/firewalld/firewalld.conf", "# firewalld config file\nDefaultZone=trusted\n");
        json_decref(r.facts);
        fw = collect(&r);
        assert_true(json_is_false(json_object_get(fw, "enabled")));
        assert_string_equal(s(fw, "note"), "firewalld's default zone is \"trusted\", which lets "
                                           "everything in (etc/firewalld/firewalld.conf)");
        root_free(&r);
}

static void test_one_firewall_on_is_enough(void **state)
{
        struct root r;
        const json_t *fw;

        (void)state;
        root_new(&r);
        ufw(&r, "no", "DROP", true);
        unit(&r, "firewalld.service", true);
        put(&r, "etc/nftables.conf", debian_nftables);
        unit(&r, "nftables.service", false);
        fw = collect(&r);
        assert_true(json_is_true(json_object_get(fw, "enabled")));
        assert_string_equal(s(fw, "how"), "firewalld");
        assert_int_equal(json_array_size(json_object_get(fw, "firewalls")), 3);
        root_free(&r);
}

static void test_nothing_set_up_is_off(void **state)
{
        struct root r;
        const json_t *fw;

        (void)state;
        root_new(&r);
        fw = collect(&r);
        assert_true(json_is_false(json_object_get(fw, "enabled")));
        assert_null(json_object_get(fw, "how"));
        assert_int_equal(json_array_size(json_object_get(fw, "firewalls")), 0);
        assert_null(json_object_get(fw, "kernel_ip_tables"));
        root_free(&r);
}

static void test_units_active_from_systemds_invocation_links(void **state)
{
        struct root r;

        (void)state;
        root_new(&r);
        unit(&r, "ufw.service", true);
        unit(&r, "nftables.service", true);
        put(&r, "run/systemd/system", NULL);
        link_at(&r, "run/systemd/units/invocation:ufw.service", "4f6c0e2a9b8d4c1e8f7a6b5c4d3e2f1a");
        assert_int_equal(rootfs_init(&r.fs, r.dir), 0);
        assert_true(units_systemd_runs(&r.fs));
        assert_true(units_active(&r.fs, "ufw.service"));
        assert_false(units_active(&r.fs, "nftables.service"));
        assert_true(units_enabled(&r.fs, "nftables.service"));
        rootfs_close(&r.fs);
        root_free(&r);
}

struct run {
        struct policy policy;
        struct findings out;
        json_t *facts;
};

/* Runs firewall.enabled on facts.os (JSON text); one finding in r->out. */
static const struct finding *judge(struct run *r, const char *os)
{
        const struct check *c = checks_find("firewall.enabled");
        json_error_t err;

        assert_non_null(c);
        policy_defaults(&r->policy);
        memset(&r->out, 0, sizeof(r->out));
        r->facts = json_pack("{s:o}", "os", json_loads(os, 0, &err));
        assert_non_null(json_object_get(r->facts, "os"));
        struct check_ctx ctx = { .policy = &r->policy, .facts = r->facts, .now = NOW };
        c->fn(c, &ctx, &r->out);
        assert_int_equal(r->out.n, 1);
        assert_int_equal(r->out.v[0].severity, SEV_HIGH);
        return &r->out.v[0];
}

static void done(struct run *r)
{
        findings_free(&r->out);
        json_decref(r->facts);
}

static void test_rule_linux_on_off_unknown(void **state)
{
        const struct finding *f;
        struct run r;

        (void)state;
        f = judge(&r, "{\"firewall\": {\"enabled\": true, \"how\": \"ufw\", \"active\": [\"ufw\"], "
                      "\"rules\": 1}}");
        assert_int_equal(f->status, STATUS_PASS);
        assert_string_equal(f->summary, "The firewall (ufw) is on");
        assert_null(f->remediation);
        assert_int_equal(json_integer_value(json_object_get(f->evidence, "rules")), 1);
        done(&r);
        f = judge(&r, "{\"firewall\": {\"enabled\": false, \"how\": \"ufw\", \"note\": \"ufw is "
                      "off: ENABLED=no in etc/ufw/ufw.conf\"}}");
        assert_int_equal(f->status, STATUS_FAIL);
        assert_string_equal(f->summary, "The firewall (ufw) is off");
        assert_string_equal(f->remediation, "Turn the firewall on: run \"sudo ufw enable\", then "
                                            "check that \"sudo ufw status\" says it is active.");
        done(&r);
        f = judge(&r, "{\"firewall\": {\"enabled\": false, \"how\": \"firewalld\"}}");
        assert_string_equal(f->remediation, "Start the firewall and have it start with the "
                                            "machine: run \"sudo systemctl enable --now "
                                            "firewalld\".");
        done(&r);
        f = judge(&r, "{\"firewall\": {\"enabled\": false, \"active\": []}}");
        assert_int_equal(f->status, STATUS_FAIL);
        assert_string_equal(f->summary, "No firewall is on");
        assert_string_equal(f->remediation, "Install a firewall and turn it on: run \"sudo apt "
                                            "install ufw\", then \"sudo ufw enable\".");
        done(&r);
        f = judge(&r, "{\"firewall\": {\"active\": [], \"note\": \"kernel table\"}}");
        assert_int_equal(f->status, STATUS_SKIP);
        assert_string_equal(f->summary, "Cannot tell whether a firewall is on");
        assert_string_equal(json_string_value(json_object_get(f->evidence, "note")),
                            "kernel table");
        done(&r);
        f = judge(&r, "{}");
        assert_int_equal(f->status, STATUS_SKIP);
        done(&r);
}

static void test_rule_collector_error_unless_a_firewall_is_on(void **state)
{
        const struct finding *f;
        struct run r;

        (void)state;
        f = judge(&r, "{\"firewall\": {\"how\": \"nftables\"}, \"errors\": [{\"source\": "
                      "\"firewall\", \"file\": \"etc/nftables.conf\", \"line\": 3, \"message\": "
                      "\"a \\\"}\\\" that closes no block\"}]}");
        assert_int_equal(f->status, STATUS_ERROR);
        assert_string_equal(f->summary, "etc/nftables.conf:3: a \"}\" that closes no block");
        done(&r);
        f = judge(&r, "{\"firewall\": {\"enabled\": true, \"how\": \"firewalld\"}, \"errors\": "
                      "[{\"source\": \"firewall\", \"file\": \"etc/nftables.conf\", \"line\": 3, "
                      "\"message\": \"x\"}]}");
        assert_int_equal(f->status, STATUS_PASS);
        done(&r);
}

static void test_rule_windows_names_the_profiles_off(void **state)
{
        const struct finding *f;
        struct run r;

        (void)state;
        f = judge(&r, "{\"firewall\": {\"enabled\": true, \"how\": \"windows-api\", \"profiles\": "
                      "{\"domain\": true, \"private\": true, \"public\": true}}}");
        assert_int_equal(f->status, STATUS_PASS);
        assert_string_equal(f->summary,
                            "Windows Defender Firewall is on for every network profile");
        done(&r);
        f = judge(&r, "{\"firewall\": {\"enabled\": true, \"how\": \"windows-api\", \"profiles\": "
                      "{\"domain\": true, \"private\": true, \"public\": false}}}");
        assert_int_equal(f->status, STATUS_FAIL);
        assert_string_equal(f->summary, "Windows Defender Firewall: public profile off");
        assert_string_equal(f->remediation, "Turn Windows Defender Firewall on for every network "
                                            "profile (Windows Security > Firewall & network "
                                            "protection).");
        done(&r);
        f = judge(&r, "{\"firewall\": {\"enabled\": true, \"how\": \"windows-registry\", "
                      "\"profiles\": {\"domain\": true, \"private\": false, \"public\": false}}}");
        assert_string_equal(f->summary,
                            "Windows Defender Firewall: private and public profiles off");
        done(&r);
        f = judge(&r, "{\"firewall\": {\"enabled\": false, \"how\": \"windows-api\", \"profiles\": "
                      "{\"domain\": false, \"private\": false, \"public\": false}}}");
        assert_string_equal(f->summary,
                            "Windows Defender Firewall: domain, private and public profiles off");
        done(&r);
        f = judge(&r, "{\"firewall\": {\"enabled\": false, \"how\": \"windows-registry\"}}");
        assert_int_equal(f->status, STATUS_FAIL);
        assert_string_equal(f->summary, "Windows Defender Firewall is off");
        assert_string_equal(f->remediation, "Turn Windows Defender Firewall on for every network "
                                            "profile (Windows Security > Firewall & network "
                                            "protection).");
        done(&r);
        f = judge(&r, "{\"firewall\": {\"enabled\": true, \"how\": \"windows-registry\"}}");
        assert_int_equal(f->status, STATUS_PASS);
        assert_string_equal(f->summary, "Windows Defender Firewall is on");
        done(&r);
        f = judge(&r, "{\"firewall\": {\"how\": \"windows-api\"}}");
        assert_int_equal(f->status, STATUS_SKIP);
        done(&r);
        f = judge(&r, "{\"firewall\": {\"how\": \"windows-registry\"}, \"errors\": [{\"source\": "
                      "\"firewall\", \"file\": \"HKLM\\\\SYSTEM\\\\CurrentControlSet\", "
                      "\"line\": 0, \"message\": \"cannot open the key\"}]}");
        assert_int_equal(f->status, STATUS_ERROR);
        assert_string_equal(f->summary, "HKLM\\SYSTEM\\CurrentControlSet: cannot open the key");
        assert_string_equal(f->remediation,
                            "Check the registry value named (regedit), then run the check again.");
        done(&r);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_ufw_enabled_with_its_unit_is_on),
                cmocka_unit_test(test_ufw_enabled_no_is_off),
                cmocka_unit_test(test_ufw_without_its_unit_enabled_is_off),
                cmocka_unit_test(test_ufw_accepting_everything_is_no_firewall),
                cmocka_unit_test(test_masked_unit_is_off),
                cmocka_unit_test(test_nftables_debian_default_is_no_firewall),
                cmocka_unit_test(test_nftables_that_only_flushes_is_no_firewall),
                cmocka_unit_test(test_nftables_installed_but_unused_is_not_set_up),
                cmocka_unit_test(test_nftables_includes_are_followed_in_name_order),
                cmocka_unit_test(test_nftables_error_names_file_and_line),
                cmocka_unit_test(test_iptables_persistent_rules_decide),
                cmocka_unit_test(test_firewalld_trusted_zone_is_no_firewall),
                cmocka_unit_test(test_one_firewall_on_is_enough),
                cmocka_unit_test(test_nothing_set_up_is_off),
                cmocka_unit_test(test_units_active_from_systemds_invocation_links),
                cmocka_unit_test(test_rule_linux_on_off_unknown),
                cmocka_unit_test(test_rule_collector_error_unless_a_firewall_is_on),
                cmocka_unit_test(test_rule_windows_names_the_profiles_off),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
