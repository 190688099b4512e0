/* test_firewall_conf.c - the nftables, iptables-save, ufw and shell-variable
 * scanners. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "firewall_conf.h"

/* Debian's /etc/nftables.conf as the nftables package ships it. */
static const char debian_default[] = "#!/usr/sbin/nft -f\n"
                                     "\n"
                                     "flush ruleset\n"
                                     "\n"
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

static const char workstation[] =
    "flush ruleset\n"
    "define LAN = { 192.168.1.0/24, 10.0.0.0/8 } # braces in a define\n"
    "table inet filter {\n"
    "  set blocked { type ipv4_addr; flags interval; elements = { 203.0.113.0/24 } }\n"
    "  chain input {\n"
    "    type filter hook input priority 0; policy drop;\n"
    "    comment \"a { in a string\"\n"
    "    ct state established,related accept\n"
    "    iif lo accept\n"
    "    tcp dport { 22, 631 } ip saddr $LAN accept \\\n"
    "      comment \"continued\"\n"
    "  }\n"
    "  chain output { type filter hook output priority 0; policy accept; }\n"
    "}\n";

static struct nft_scan *scan_new(void)
{
        struct nft_scan *s = malloc(sizeof(*s));

        assert_non_null(s);
        nft_scan_init(s);
        return s;
}

static int scan(const char *text, struct nft_summary *sum, struct error *e)
{
        struct nft_scan *s = scan_new();
        int rc = nft_scan_text(s, text, "etc/nftables.conf", NULL, NULL, e);

        nft_scan_summary(s, sum);
        free(s);
        return rc;
}

static void test_nft_debian_default_filters_nothing(void **state)
{
        struct nft_summary sum;
        struct error e;

        (void)state;
        assert_int_equal(scan(debian_default, &sum, &e), 0);
        assert_int_equal(sum.tables, 1);
        assert_int_equal(sum.base_chains, 3);
        assert_int_equal(sum.inbound_chains, 1);
        assert_int_equal(sum.rules, 0);
        assert_false(sum.filters);
}

static void test_nft_flush_alone_is_no_firewall(void **state)
{
        struct nft_summary sum;
        struct error e;

        (void)state;
        assert_int_equal(scan("#!/usr/sbin/nft -f\nflush ruleset\n", &sum, &e), 0);
        assert_int_equal(sum.tables, 0);
        assert_false(sum.filters);
        assert_int_equal(scan("", &sum, &e), 0);
        assert_false(sum.filters);
}

static void test_nft_drop_policy_and_rules_filter(void **state)
{
        struct nft_summary sum;
        struct error e;

        (void)state;
        assert_int_equal(scan(workstation, &sum, &e), 0);
        assert_int_equal(sum.tables, 1);
        assert_int_equal(sum.chains, 2);
        assert_int_equal(sum.inbound_chains, 1);
        assert_int_equal(sum.rules, 3);
        assert_true(sum.filters);
}

static void test_nft_accept_policy_with_a_rule_filters(void **state)
{
        struct nft_summary sum;
        struct error e;

        (void)state;
        assert_int_equal(scan("table ip f {\n chain in {\n  type filter hook input priority 0\n"
                              "  tcp dport 23 drop\n }\n}\n",
                              &sum, &e),
                         0);
        assert_int_equal(sum.rules, 1);
        assert_true(sum.filters);
}

static void test_nft_add_commands_build_the_same_ruleset(void **state)
{
        struct nft_summary sum;
        struct error e;

        (void)state;
        assert_int_equal(scan("add table inet f\n"
                              "add chain inet f input { type filter hook input priority 0 ; }\n"
                              "add rule inet f input tcp dport { 22, 80 } accept\n"
                              "insert rule inet f input ct state invalid drop\n",
                              &sum, &e),
                         0);
        assert_int_equal(sum.rules, 2);
        assert_true(sum.filters);
        /* The family defaults to ip: "filter" here is another table. */
        assert_int_equal(scan("add table inet filter\n"
                              "add chain inet filter input { type filter hook input priority 0; }\n"
                              "add rule filter input drop\n",
                              &sum, &e),
                         0);
        assert_int_equal(sum.tables, 2);
        assert_false(sum.filters);
}

static void test_nft_flush_and_delete_undo_what_came_before(void **state)
{
        struct nft_summary sum;
        struct error e;
        char text[2048];

        (void)state;
        snprintf(text, sizeof(text), "%sflush ruleset\n", workstation);
        assert_int_equal(scan(text, &sum, &e), 0);
        assert_int_equal(sum.tables, 0);
        assert_false(sum.filters);
        snprintf(text, sizeof(text), "%sdelete table inet filter\n", workstation);
        assert_int_equal(scan(text, &sum, &e), 0);
        assert_false(sum.filters);
        snprintf(text, sizeof(text), "%sflush chain inet filter input\n", workstation);
        assert_int_equal(scan(text, &sum, &e), 0);
        assert_int_equal(sum.rules, 0);
        assert_true(sum.filters); /* policy drop stays */
        snprintf(text, sizeof(text), "%sflush ruleset ip6\n", workstation);
        assert_int_equal(scan(text, &sum, &e), 0);
        assert_true(sum.filters);
}

static void test_nft_nat_arp_forward_and_dormant_do_not_filter_input(void **state)
{
        struct nft_summary sum;
        struct error e;

        (void)state;
        assert_int_equal(scan("table ip nat {\n chain pre {\n  type nat hook prerouting priority "
                              "-100; policy accept;\n  tcp dport 80 dnat to 10.0.0.2\n }\n}\n"
                              "table arp a {\n chain in {\n  type filter hook input priority 0; "
                              "policy drop;\n }\n}\n"
                              "table inet r {\n chain fw {\n  type filter hook forward priority 0; "
                              "policy drop;\n }\n}\n",
                              &sum, &e),
                         0);
        assert_int_equal(sum.rules, 1);
        assert_int_equal(sum.base_chains, 3);
        assert_false(sum.filters);
        assert_int_equal(scan("table inet f {\n flags dormant\n chain in {\n  type filter hook "
                              "input priority 0; policy drop;\n }\n}\n",
                              &sum, &e),
                         0);
        assert_false(sum.filters);
}

struct includes {
        char path[256]; /* a copy: the scanner's may not outlive the call */
        unsigned line;
        struct nft_scan *s;
};

static int include_one(void *user, const char *path, unsigned line)
{
        struct includes *inc = user;
        struct error e;

        snprintf(inc->path, sizeof(inc->path), "%s", path);
        inc->line = line;
        return nft_scan_text(inc->s,
                             "table inet f {\n chain in {\n  type filter hook input "
                             "priority 0\n  tcp dport 22 accept\n }\n}\n",
                             "etc/nftables.d/a.nft", NULL, NULL, &e);
}

static void test_nft_include_is_scanned_where_it_stands(void **state)
{
        struct includes inc = { "", 0, scan_new() };
        struct nft_summary sum;
        struct error e;

        (void)state;
        assert_int_equal(nft_scan_text(inc.s, "flush ruleset\ninclude \"/etc/nftables.d/*.nft\"\n",
                                       "etc/nftables.conf", include_one, &inc, &e),
                         0);
        assert_string_equal(inc.path, "/etc/nftables.d/*.nft");
        assert_int_equal(inc.line, 2);
        nft_scan_summary(inc.s, &sum);
        assert_true(sum.filters);
        /* A flush after the include undoes it. */
        nft_scan_init(inc.s);
        assert_int_equal(nft_scan_text(inc.s, "include \"a.nft\"\nflush ruleset\n",
                                       "etc/nftables.conf", include_one, &inc, &e),
                         0);
        nft_scan_summary(inc.s, &sum);
        assert_false(sum.filters);
        free(inc.s);
}

static void test_nft_errors_name_the_line(void **state)
{
        struct nft_summary sum;
        struct error e;

        (void)state;
        assert_int_equal(scan("table inet f {\n}\n}\n", &sum, &e), -EINVAL);
        assert_int_equal(e.line, 3);
        assert_string_equal(e.msg, "a \"}\" that closes no block");
        assert_int_equal(scan("table inet f {\n chain in {\n  type filter hook input priority 0\n"
                              "}\n",
                              &sum, &e),
                         -EINVAL);
        assert_int_equal(e.line, 1);
        assert_string_equal(e.file, "etc/nftables.conf");
        assert_int_equal(scan("table inet f {\n comment \"open\n}\n", &sum, &e), -EINVAL);
        assert_int_equal(e.line, 2);
        char deep[64] = "";
        for (int i = 0; i < 20; i++)
                strcat(deep, "{");
        assert_int_equal(scan(deep, &sum, &e), -E2BIG);
}

static void test_nft_bounds_the_tables(void **state)
{
        struct nft_summary sum;
        struct error e;
        char *text = malloc(NFT_TABLES_MAX * 32 + 64), *p = text;

        (void)state;
        assert_non_null(text);
        for (int i = 0; i <= NFT_TABLES_MAX; i++)
                p += sprintf(p, "add table ip t%d\n", i);
        assert_int_equal(scan(text, &sum, &e), -E2BIG);
        assert_int_equal(e.line, NFT_TABLES_MAX + 1);
        free(text);
}

static const char rules_v4[] = "# Generated by iptables-save v1.8.9\n"
                               "*nat\n"
                               ":PREROUTING ACCEPT [0:0]\n"
                               "-A PREROUTING -p tcp --dport 80 -j REDIRECT --to-ports 8080\n"
                               "COMMIT\n"
                               "*filter\n"
                               ":INPUT DROP [12:3400]\n"
                               ":FORWARD DROP [0:0]\n"
                               ":OUTPUT ACCEPT [0:0]\n"
                               "-A INPUT -i lo -j ACCEPT\n"
                               "[5:300] -A INPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT\n"
                               "-A OUTPUT -o lo -j ACCEPT\n"
                               "COMMIT\n";

static void test_ipt_counts_committed_filter_rules(void **state)
{
        struct ipt_summary s;
        struct error e;

        (void)state;
        assert_int_equal(ipt_scan(rules_v4, "etc/iptables/rules.v4", &s, &e), 0);
        assert_int_equal(s.rules, 3);
        assert_int_equal(s.input_rules, 2);
        assert_true(s.input_drop);
        assert_true(s.filters);
}

static void test_ipt_accept_all_and_nat_only_filter_nothing(void **state)
{
        struct ipt_summary s;
        struct error e;

        (void)state;
        assert_int_equal(ipt_scan("*filter\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
                                  "-A OUTPUT -d 10.0.0.1 -j DROP\nCOMMIT\n",
                                  "f", &s, &e),
                         0);
        assert_int_equal(s.rules, 1);
        assert_false(s.filters);
        assert_int_equal(ipt_scan("*nat\n-A POSTROUTING -j MASQUERADE\nCOMMIT\n", "f", &s, &e), 0);
        assert_int_equal(s.rules, 0);
        assert_false(s.filters);
        assert_int_equal(ipt_scan("", "f", &s, &e), 0);
        assert_false(s.filters);
        /* A second filter table replaces the first, as iptables-restore does. */
        assert_int_equal(ipt_scan("*filter\n:INPUT DROP [0:0]\nCOMMIT\n*filter\n:INPUT ACCEPT "
                                  "[0:0]\nCOMMIT\n",
                                  "f", &s, &e),
                         0);
        assert_false(s.filters);
}

static void test_ipt_uncommitted_or_stray_lines_are_errors(void **state)
{
        struct ipt_summary s;
        struct error e;

        (void)state;
        assert_int_equal(ipt_scan("*filter\n:INPUT DROP [0:0]\n-A INPUT -j ACCEPT\n", "f", &s, &e),
                         -EINVAL);
        assert_int_equal(e.line, 1);
        assert_string_equal(e.msg, "table \"filter\" has no COMMIT");
        assert_int_equal(ipt_scan("-A INPUT -j DROP\n", "f", &s, &e), -EINVAL);
        assert_int_equal(e.line, 1);
        assert_int_equal(ipt_scan("*filter\nhello\nCOMMIT\n", "f", &s, &e), -EINVAL);
        assert_int_equal(e.line, 2);
        assert_int_equal(ipt_scan("*filter\n*nat\nCOMMIT\n", "f", &s, &e), -EINVAL);
}

static void test_shellvar_last_assignment_wins_unquoted(void **state)
{
        char v[16];
        unsigned line;

        (void)state;
        assert_int_equal(shellvar_get("# ENABLED=yes\nENABLED=no\n  ENABLED=\"yes\" # on\n",
                                      "ENABLED", v, sizeof(v), &line),
                         0);
        assert_string_equal(v, "yes");
        assert_int_equal(line, 3);
        assert_int_equal(
            shellvar_get("ENABLED=yes\r\nIPV6='y'\"es\"\n", "IPV6", v, sizeof(v), NULL), 0);
        assert_string_equal(v, "yes");
        assert_int_equal(shellvar_get("ENABLED=yes\r\n", "ENABLED", v, sizeof(v), NULL), 0);
        assert_string_equal(v, "yes");
        assert_int_equal(
            shellvar_get("export DefaultZone=trusted\n", "DefaultZone", v, sizeof(v), NULL), 0);
        assert_string_equal(v, "trusted");
        assert_int_equal(
            shellvar_get("ENABLED=\nX_ENABLED=yes\nENABLED_X=yes\n", "ENABLED", v, sizeof(v), NULL),
            0);
        assert_string_equal(v, "");
        assert_int_equal(shellvar_get("X_ENABLED=yes\n", "ENABLED", v, sizeof(v), NULL), -ENOENT);
        assert_int_equal(
            shellvar_get("LONG=abcdefghijklmnopqrstuvwxyz\n", "LONG", v, sizeof(v), NULL), 0);
        assert_string_equal(v, "abcdefghijklmno");
}

static void test_ufw_rules_count_counts_tuples(void **state)
{
        (void)state;
        assert_int_equal(ufw_rules_count("*filter\n### RULES ###\n\n"
                                         "### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in\n"
                                         "-A ufw-user-input -p tcp --dport 22 -j ACCEPT\n\n"
                                         "### tuple ### deny any 631 0.0.0.0/0 any 0.0.0.0/0 in\n"
                                         "### END RULES ###\n"),
                         2);
        assert_int_equal(ufw_rules_count("*filter\n### RULES ###\n### END RULES ###\n"), 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_nft_debian_default_filters_nothing),
                cmocka_unit_test(test_nft_flush_alone_is_no_firewall),
                cmocka_unit_test(test_nft_drop_policy_and_rules_filter),
                cmocka_unit_test(test_nft_accept_policy_with_a_rule_filters),
                cmocka_unit_test(test_nft_add_commands_build_the_same_ruleset),
                cmocka_unit_test(test_nft_flush_and_delete_undo_what_came_before),
                cmocka_unit_test(test_nft_nat_arp_forward_and_dormant_do_not_filter_input),
                cmocka_unit_test(test_nft_include_is_scanned_where_it_stands),
                cmocka_unit_test(test_nft_errors_name_the_line),
                cmocka_unit_test(test_nft_bounds_the_tables),
                cmocka_unit_test(test_ipt_counts_committed_filter_rules),
                cmocka_unit_test(test_ipt_accept_all_and_nat_only_filter_nothing),
                cmocka_unit_test(test_ipt_uncommitted_or_stray_lines_are_errors),
                cmocka_unit_test(test_shellvar_last_assignment_wins_unquoted),
                cmocka_unit_test(test_ufw_rules_count_counts_tuples),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
