/* test_windows.c - the Windows builds table as the rules read it: edition
 * families and end of support (os.supported), on hand-written Windows
 * facts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checks.h"
#include "policy.h"
#include "rules.h"

/* 2026-12-03 12:00 UTC */
#define NOW ((time_t)1796299200)

/* A table of its own, so that the tests do not follow the shipped one. */
static const char table[] = "[windows]\n"
                            "updated = 2026-11-20\n"
                            "table_max_age_days = 45\n"
                            "grace_days = 14\n"
                            "[windows:26100]\n"
                            "release = Windows 11 24H2\n"
                            "release_ltsc = Windows 11 Enterprise LTSC 2024\n"
                            "end_home_pro = 2026-10-13\n"
                            "end_enterprise = 2027-10-12\n"
                            "end_ltsc = 2029-10-09\n"
                            "latest_revision = 7000\n"
                            "latest_date = 2026-11-10\n"
                            "latest_kb = KB1000001\n"
                            "[windows:19045]\n"
                            "release = Windows 10 22H2\n"
                            "end_home_pro = 2025-10-14\n"
                            "end_enterprise = 2025-10-14\n"
                            "esu = 2028-10-10\n"
                            "latest_revision = 7000\n"
                            "latest_date = 2026-11-10\n"
                            "[windows:22621]\n"
                            "release = Windows 11 22H2\n"
                            "end_home_pro = 2024-10-08\n"
                            "end_enterprise = 2025-10-14\n"
                            "latest_revision = 6060\n"
                            "latest_date = 2025-10-14\n";

static struct policy *table_policy(void)
{
        struct policy *p = malloc(sizeof(*p));
        struct error e;

        policy_defaults(p);
        assert_int_equal(policy_load_string(p, table, "table.ini", &e), 0);
        return p;
}

static struct policy *shipped_policy(void)
{
        struct policy *p = malloc(sizeof(*p));
        struct error e;
        char path[4096];

        snprintf(path, sizeof(path), "%s/esms-baseline.ini", getenv("HYGIE_DATADIR"));
        policy_defaults(p);
        assert_int_equal(policy_load(p, path, &e), 0);
        return p;
}

static void test_edition_ids_map_to_families(void **state)
{
        (void)state;
        assert_string_equal(rules_windows_family("Core", "Client"), "home_pro");
        assert_string_equal(rules_windows_family("CoreSingleLanguage", "Client"), "home_pro");
        assert_string_equal(rules_windows_family("Professional", "Client"), "home_pro");
        assert_string_equal(rules_windows_family("ProfessionalEducation", NULL), "home_pro");
        assert_string_equal(rules_windows_family("ProfessionalWorkstation", "Client"), "home_pro");
        assert_string_equal(rules_windows_family("Enterprise", "Client"), "enterprise");
        assert_string_equal(rules_windows_family("EducationN", "Client"), "enterprise");
        assert_string_equal(rules_windows_family("EnterpriseG", "Client"), "enterprise");
        /* Enterprise multi-session says Server in its EditionID only. */
        assert_string_equal(rules_windows_family("ServerRdsh", "Client"), "enterprise");
        assert_string_equal(rules_windows_family("EnterpriseS", "Client"), "ltsc");
        assert_string_equal(rules_windows_family("EnterpriseSN", "Client"), "ltsc");
        assert_string_equal(rules_windows_family("IoTEnterpriseS", "Client"), "iot_ltsc");
        assert_string_equal(rules_windows_family("ServerStandard", "Server"), "server");
        assert_string_equal(rules_windows_family("ServerDatacenter", "Server Core"), "server");
        assert_string_equal(rules_windows_family(NULL, "Server"), "server");
        assert_null(rules_windows_family("CloudEdition", "Client"));
        assert_null(rules_windows_family(NULL, "Client"));
}

static void test_windows_11_from_build_22000(void **state)
{
        (void)state;
        assert_string_equal(rules_windows_name(26100), "Windows 11");
        assert_string_equal(rules_windows_name(22000), "Windows 11");
        assert_string_equal(rules_windows_name(21999), "Windows 10");
        assert_string_equal(rules_windows_name(19045), "Windows 10");
        assert_string_equal(rules_windows_name(9600), "Windows");
}

static char *dump(json_t *j)
{
        char *s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);

        json_decref(j);
        return s;
}

static void expect_json(json_t *got, const char *want)
{
        char *s = got ? dump(got) : NULL;

        if (!want) {
                assert_null(s);
                return;
        }
        assert_non_null(s);
        assert_string_equal(s, want);
        free(s);
}

static void test_support_follows_the_edition_family(void **state)
{
        struct policy *p = table_policy();

        (void)state;
        expect_json(rules_windows_support(p, 26100, "enterprise"),
                    "{\"build\":26100,\"distro\":\"windows\",\"edition_family\":\"enterprise\","
                    "\"eol\":\"2027-10-12\",\"release\":\"Windows 11 24H2\",\"table\":\"policy\","
                    "\"table_updated\":\"2026-11-20\"}");
        expect_json(rules_windows_support(p, 26100, "ltsc"),
                    "{\"build\":26100,\"distro\":\"windows\",\"edition_family\":\"ltsc\","
                    "\"eol\":\"2029-10-09\",\"release\":\"Windows 11 Enterprise LTSC 2024\","
                    "\"table\":\"policy\",\"table_updated\":\"2026-11-20\"}");
        /* No IoT LTSC date in this table: the release, no end. */
        expect_json(rules_windows_support(p, 26100, "iot_ltsc"),
                    "{\"build\":26100,\"distro\":\"windows\",\"edition_family\":\"iot_ltsc\","
                    "\"release\":\"Windows 11 Enterprise LTSC 2024\",\"table\":\"policy\","
                    "\"table_updated\":\"2026-11-20\"}");
        expect_json(rules_windows_support(p, 19045, "home_pro"),
                    "{\"build\":19045,\"distro\":\"windows\",\"edition_family\":\"home_pro\","
                    "\"eol\":\"2025-10-14\",\"esu\":\"2028-10-10\",\"release\":\"Windows 10 "
                    "22H2\",\"table\":\"policy\",\"table_updated\":\"2026-11-20\"}");
        /* Windows Server 2025 is build 26100 too, with other dates. */
        expect_json(rules_windows_support(p, 26100, "server"),
                    "{\"build\":26100,\"distro\":\"windows\",\"edition_family\":\"server\","
                    "\"table\":\"policy\"}");
        expect_json(rules_windows_support(p, 26300, "home_pro"),
                    "{\"build\":26300,\"distro\":\"windows\",\"edition_family\":\"home_pro\","
                    "\"table\":\"policy\"}");
        expect_json(rules_windows_support(p, 26100, NULL),
                    "{\"build\":26100,\"distro\":\"windows\",\"release\":\"Windows 11 24H2\","
                    "\"table\":\"policy\",\"table_updated\":\"2026-11-20\"}");
        free(p);
}

static void test_latest_is_final_once_servicing_ended(void **state)
{
        struct policy *p = table_policy();

        (void)state;
        expect_json(rules_windows_latest(p, 26100, "enterprise"),
                    "{\"date\":\"2026-11-10\",\"final\":false,\"kb\":\"KB1000001\",\"revision\":"
                    "7000,\"table_updated\":\"2026-11-20\"}");
        /* 24H2 Home and Pro ended 2026-10-13, before the table's date: no
         * update to come for them. */
        expect_json(rules_windows_latest(p, 26100, "home_pro"),
                    "{\"date\":\"2026-11-10\",\"final\":true,\"kb\":\"KB1000001\",\"revision\":"
                    "7000,\"table_updated\":\"2026-11-20\"}");
        /* 22H2 Enterprise ended 2025-10-14. */
        expect_json(rules_windows_latest(p, 22621, "enterprise"),
                    "{\"date\":\"2025-10-14\",\"final\":true,\"revision\":6060,"
                    "\"table_updated\":\"2026-11-20\"}");
        /* Windows 10 Pro ended too, but its paid updates go on. */
        expect_json(rules_windows_latest(p, 19045, "home_pro"),
                    "{\"date\":\"2026-11-10\",\"final\":false,\"revision\":7000,"
                    "\"table_updated\":\"2026-11-20\"}");
        expect_json(rules_windows_latest(p, 26100, NULL),
                    "{\"date\":\"2026-11-10\",\"final\":false,\"kb\":\"KB1000001\",\"revision\":"
                    "7000,\"table_updated\":\"2026-11-20\"}");
        expect_json(rules_windows_latest(p, 26100, "server"), NULL);
        expect_json(rules_windows_latest(p, 26300, "home_pro"), NULL);
        free(p);
}

struct run {
        struct policy *policy;
        struct findings out;
        json_t *facts;
};

/* Runs check id over facts (JSON text) with the policy p at now; exactly one
 * finding, kept in r->out. */
static const struct finding *run_at(struct run *r, struct policy *p, const char *id,
                                    const char *facts, time_t now)
{
        json_error_t err;
        const struct check *c = checks_find(id);

        assert_non_null(c);
        r->policy = p;
        memset(&r->out, 0, sizeof(r->out));
        r->facts = json_loads(facts, 0, &err);
        if (!r->facts)
                fail_msg("facts: %s", err.text);
        struct check_ctx ctx = { .policy = p, .facts = r->facts, .now = now };
        c->fn(c, &ctx, &r->out);
        assert_int_equal(r->out.n, 1);
        return &r->out.v[0];
}

static void done(struct run *r)
{
        findings_free(&r->out);
        json_decref(r->facts);
        free(r->policy);
}

static const char *ev_str(const struct finding *f, const char *key)
{
        return json_string_value(json_object_get(f->evidence, key));
}

/* os.supported */

static void test_windows_10_pro_past_its_end_fails(void **state)
{
        struct run r;
        const struct finding *f;

        (void)state;
        f = run_at(&r, table_policy(), "os.supported",
                   "{\"os\": {\"id\": \"windows\", \"name\": \"Windows 10 Pro\", \"pretty_name\": "
                   "\"Windows 10 Pro 22H2 (19045.6456)\", \"build\": 19045, \"edition_family\": "
                   "\"home_pro\", \"support\": {\"distro\": \"windows\", \"table\": \"policy\", "
                   "\"build\": 19045, \"release\": \"Windows 10 22H2\", \"eol\": \"2025-10-14\", "
                   "\"esu\": \"2028-10-10\"}}}",
                   NOW);
        assert_int_equal(f->status, STATUS_FAIL);
        assert_string_equal(f->summary, "Windows 10 Pro 22H2 (19045.6456) gets no security updates "
                                        "since 2025-10-14");
        assert_string_equal(f->remediation,
                            "Install a supported version of Windows (Settings, Windows Update), "
                            "or replace the machine if it cannot run one: it gets no security "
                            "fixes.");
        /* Paid updates are recorded, not counted. */
        assert_string_equal(ev_str(f, "esu"), "2028-10-10");
        assert_null(ev_str(f, "extended_until"));
        assert_int_equal(json_integer_value(json_object_get(f->evidence, "build")), 19045);
        done(&r);
}

static void test_windows_11_24h2_enterprise_supported_until_2027(void **state)
{
        struct policy *p = shipped_policy();
        struct run r;
        const struct finding *f;
        char facts[1024], *sup;

        (void)state;
        /* As the collector makes it, from the shipped table. */
        sup = dump(rules_windows_support(p, 26100, rules_windows_family("Enterprise", "Client")));
        snprintf(facts, sizeof(facts),
                 "{\"os\": {\"id\": \"windows\", \"pretty_name\": \"Windows 11 Enterprise 24H2 "
                 "(26100.8655)\", \"support\": %s}}",
                 sup);
        free(sup);
        f = run_at(&r, p, "os.supported", facts, NOW);
        assert_int_equal(f->status, STATUS_PASS);
        assert_string_equal(f->summary, "Windows 11 Enterprise 24H2 (26100.8655) gets security "
                                        "updates until 2027-10-12");
        assert_string_equal(ev_str(f, "release"), "Windows 11 24H2");
        assert_string_equal(ev_str(f, "edition_family"), "enterprise");
        done(&r);
}

static void test_windows_11_24h2_pro_past_its_end_fails(void **state)
{
        struct policy *p = shipped_policy();
        struct run r;
        const struct finding *f;
        char facts[1024], *sup;

        (void)state;
        sup = dump(rules_windows_support(p, 26100, rules_windows_family("Professional", "Client")));
        snprintf(facts, sizeof(facts),
                 "{\"os\": {\"id\": \"windows\", \"pretty_name\": \"Windows 11 Pro 24H2\", "
                 "\"support\": %s}}",
                 sup);
        free(sup);
        f = run_at(&r, p, "os.supported", facts, NOW);
        assert_int_equal(f->status, STATUS_FAIL);
        assert_string_equal(f->summary,
                            "Windows 11 Pro 24H2 gets no security updates since 2026-10-13");
        done(&r);
}

static void test_ltsc_2019_supported_until_2029(void **state)
{
        struct policy *p = shipped_policy();
        struct run r;
        const struct finding *f;
        char facts[1024], *sup;

        (void)state;
        sup = dump(rules_windows_support(p, 17763, rules_windows_family("EnterpriseS", "Client")));
        snprintf(facts, sizeof(facts),
                 "{\"os\": {\"id\": \"windows\", \"pretty_name\": \"Windows 10 Enterprise LTSC "
                 "2019\", \"support\": %s}}",
                 sup);
        free(sup);
        f = run_at(&r, p, "os.supported", facts, NOW);
        assert_int_equal(f->status, STATUS_PASS);
        assert_string_equal(
            f->summary, "Windows 10 Enterprise LTSC 2019 gets security updates until 2029-01-09");
        assert_string_equal(ev_str(f, "release"), "Windows 10 Enterprise LTSC 2019");
        done(&r);
}

static void test_windows_support_ending_warns(void **state)
{
        struct run r;
        const struct finding *f;

        (void)state;
        /* 2026-06-01 12:00: 133 days before Windows 11 24H2 Pro's end. */
        f = run_at(&r, table_policy(), "os.supported",
                   "{\"os\": {\"id\": \"windows\", \"pretty_name\": \"Windows 11 Pro 24H2\", "
                   "\"support\": {\"distro\": \"windows\", \"release\": \"Windows 11 24H2\", "
                   "\"eol\": \"2026-10-13\"}}}",
                   (time_t)1780315200);
        assert_int_equal(f->status, STATUS_WARN);
        assert_string_equal(
            f->summary, "Windows 11 Pro 24H2: security support ends on 2026-10-13, in 133 days");
        assert_string_equal(f->remediation,
                            "Plan the move to a newer version of Windows now (Settings, Windows "
                            "Update), or the replacement of the machine if it cannot run one.");
        done(&r);
}

static void test_windows_build_missing_from_the_table_skips(void **state)
{
        struct run r;
        const struct finding *f;

        (void)state;
        f = run_at(&r, table_policy(), "os.supported",
                   "{\"os\": {\"id\": \"windows\", \"pretty_name\": \"Windows 11 Pro 26H2\", "
                   "\"support\": {\"distro\": \"windows\", \"table\": \"policy\", \"build\": "
                   "26300, \"edition_family\": \"home_pro\"}}}",
                   NOW);
        assert_int_equal(f->status, STATUS_SKIP);
        assert_string_equal(f->summary,
                            "Windows 11 Pro 26H2: no end-of-support table for this build");
        done(&r);
        f = run_at(&r, table_policy(), "os.supported",
                   "{\"os\": {\"id\": \"windows\", \"pretty_name\": \"Windows 11 SE\", "
                   "\"support\": {\"distro\": \"windows\", \"table\": \"policy\", \"build\": "
                   "26100, \"release\": \"Windows 11 24H2\"}}}",
                   NOW);
        assert_int_equal(f->status, STATUS_SKIP);
        assert_string_equal(f->summary, "Windows 11 SE: no end-of-support date for this edition "
                                        "of Windows 11 24H2");
        done(&r);
}

static void test_equipment_follows_the_table_for_windows_10_ltsc(void **state)
{
        struct run r;
        const struct finding *f;

        (void)state;
        /* Windows 10 LTSC 2021 is Windows 10, but supported until 2027. */
        f = run_at(&r, table_policy(), "equipment.os_supported",
                   "{\"os\": {\"id\": \"windows\", \"version_id\": \"10\", \"pretty_name\": "
                   "\"Windows 10 Enterprise LTSC 2021\", \"support\": {\"distro\": \"windows\", "
                   "\"release\": \"Windows 10 Enterprise LTSC 2021\", \"eol\": \"2027-01-12\"}}}",
                   NOW);
        assert_int_equal(f->status, STATUS_PASS);
        assert_string_equal(
            f->summary, "Windows 10 Enterprise LTSC 2021 gets security updates until 2027-01-12");
        done(&r);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_edition_ids_map_to_families),
                cmocka_unit_test(test_windows_11_from_build_22000),
                cmocka_unit_test(test_support_follows_the_edition_family),
                cmocka_unit_test(test_latest_is_final_once_servicing_ended),
                cmocka_unit_test(test_windows_10_pro_past_its_end_fails),
                cmocka_unit_test(test_windows_11_24h2_enterprise_supported_until_2027),
                cmocka_unit_test(test_windows_11_24h2_pro_past_its_end_fails),
                cmocka_unit_test(test_ltsc_2019_supported_until_2029),
                cmocka_unit_test(test_windows_support_ending_warns),
                cmocka_unit_test(test_windows_build_missing_from_the_table_skips),
                cmocka_unit_test(test_equipment_follows_the_table_for_windows_10_ltsc),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
