/* test_windows.c - the Windows builds table as the rules read it: edition
 * families, end of support (os.supported) and updates (patch.*), on
 * hand-written Windows facts. */
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
#define DAY 86400

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

/* patch.security_pending */

/* facts.patch of build 26100 at revision rev, with latest (JSON or "") and
 * more keys (JSON members or ""). */
static const char *patch_facts(char *buf, size_t size, long rev, const char *latest,
                               const char *more)
{
        snprintf(buf, size,
                 "{\"patch\": {\"windows_update\": true, \"build\": 26100, \"revision\": %ld%s%s%s"
                 "%s%s}}",
                 rev, *latest ? ", \"latest\": " : "", latest, *more ? ", " : "", more, "");
        return buf;
}

#define LATEST                                                                                     \
        "{\"revision\": 7000, \"date\": \"2026-11-10\", \"kb\": \"KB1000001\", "                   \
        "\"table_updated\": \"2026-11-20\", \"final\": false}"
#define SEARCH_OK "\"search\": {\"ok\": true, \"how\": \"wuapi\"}"

static void test_security_updates_waiting_fail_with_their_kbs(void **state)
{
        struct run r;
        const struct finding *f;
        char facts[2048];

        (void)state;
        f = run_at(&r, table_policy(), "patch.security_pending",
                   patch_facts(facts, sizeof(facts), 7000, LATEST,
                               SEARCH_OK ", \"pending\": ["
                                         "{\"package\": \"2026-11 Cumulative Update\", \"kb\": "
                                         "\"KB1000001\", \"security\": true, \"severity\": "
                                         "\"Critical\"},"
                                         "{\"package\": \"Intel - Display\", \"kb\": \"\", "
                                         "\"security\": false, \"severity\": \"\"},"
                                         "{\"package\": \"Defender platform\", \"kb\": "
                                         "\"KB1000002\", \"security\": true, \"severity\": "
                                         "\"Important\"}]"),
                   NOW);
        assert_int_equal(f->status, STATUS_FAIL);
        assert_string_equal(f->summary, "2 security updates waiting: KB1000001, KB1000002");
        assert_string_equal(f->remediation,
                            "Open Windows Update (Settings, Windows Update), select \"Check for "
                            "updates\" and install what it offers, then restart when asked.");
        assert_int_equal(json_integer_value(json_object_get(f->evidence, "count")), 2);
        assert_int_equal(json_array_size(json_object_get(f->evidence, "updates")), 2);
        assert_int_equal(json_integer_value(json_object_get(f->evidence, "revision")), 7000);
        done(&r);
}

static void test_missing_cumulative_update_fails_past_grace(void **state)
{
        struct run r;
        const struct finding *f;
        char facts[2048];

        (void)state;
        /* Released 2026-11-10, 23 days before now; no search. */
        f = run_at(&r, table_policy(), "patch.security_pending",
                   patch_facts(facts, sizeof(facts), 4061, LATEST, ""), NOW);
        assert_int_equal(f->status, STATUS_FAIL);
        assert_string_equal(f->summary, "Build 26100.4061 lacks the cumulative update of "
                                        "2026-11-10 (26100.7000, KB1000001)");
        assert_int_equal(json_integer_value(json_object_get(f->evidence, "build")), 26100);
        assert_int_equal(json_integer_value(json_object_get(f->evidence, "revision")), 4061);
        assert_int_equal(
            json_integer_value(json_object_get(json_object_get(f->evidence, "latest"), "revision")),
            7000);
        assert_string_equal(json_string_value(json_object_get(
                                json_object_get(f->evidence, "latest"), "table_updated")),
                            "2026-11-20");
        assert_int_equal(json_integer_value(json_object_get(f->evidence, "grace_days")), 14);
        done(&r);
}

static void test_missing_cumulative_update_warns_within_grace(void **state)
{
        struct run r;
        const struct finding *f;
        char facts[2048];
        time_t released = 1794268800; /* 2026-11-10 00:00 UTC */

        (void)state;
        /* 14 days after: still within the grace days. */
        f = run_at(&r, table_policy(), "patch.security_pending",
                   patch_facts(facts, sizeof(facts), 6999, LATEST, ""), released + 15 * DAY - 1);
        assert_int_equal(f->status, STATUS_WARN);
        assert_string_equal(f->summary,
                            "Build 26100.6999 does not have the cumulative update of 2026-11-10 "
                            "(26100.7000, KB1000001) yet: released 14 days ago, 14 allowed");
        done(&r);
        /* 15 days after: past them. */
        f = run_at(&r, table_policy(), "patch.security_pending",
                   patch_facts(facts, sizeof(facts), 6999, LATEST, ""), released + 15 * DAY);
        assert_int_equal(f->status, STATUS_FAIL);
        done(&r);
}

static void test_up_to_date_passes_while_the_table_is_fresh(void **state)
{
        struct run r;
        const struct finding *f;
        char facts[2048];
        time_t updated = 1795132800; /* 2026-11-20 00:00 UTC */

        (void)state;
        /* 45 days after the table's date: still fresh. */
        f = run_at(&r, table_policy(), "patch.security_pending",
                   patch_facts(facts, sizeof(facts), 7001, LATEST, SEARCH_OK ", \"pending\": []"),
                   updated + 46 * DAY - 1);
        assert_int_equal(f->status, STATUS_PASS);
        assert_string_equal(f->summary, "Build 26100.7001 has the cumulative update of 2026-11-10 "
                                        "(26100.7000, KB1000001)");
        done(&r);
        /* 46 days: the table may not know the newest update; never a pass,
         * even when Windows Update found nothing. */
        f = run_at(&r, table_policy(), "patch.security_pending",
                   patch_facts(facts, sizeof(facts), 7001, LATEST, SEARCH_OK ", \"pending\": []"),
                   updated + 46 * DAY);
        assert_int_equal(f->status, STATUS_WARN);
        assert_string_equal(f->summary,
                            "The table of Windows updates is 46 days old: cannot tell whether the "
                            "latest cumulative update is installed");
        assert_string_equal(f->remediation, "Ask whoever manages Hygie to bring the table of "
                                            "Windows updates up to date (policy, [windows] "
                                            "section).");
        done(&r);
}

static void test_old_table_is_enough_once_servicing_ended(void **state)
{
        struct run r;
        const struct finding *f;

        (void)state;
        f = run_at(&r, table_policy(), "patch.security_pending",
                   "{\"patch\": {\"windows_update\": true, \"build\": 22621, \"revision\": 6060, "
                   "\"latest\": {\"revision\": 6060, \"date\": \"2025-10-14\", "
                   "\"table_updated\": \"2026-01-05\", \"final\": true}}}",
                   NOW);
        assert_int_equal(f->status, STATUS_PASS);
        assert_string_equal(
            f->summary, "Build 22621.6060 has the cumulative update of 2025-10-14 (22621.6060)");
        done(&r);
}

static void test_build_missing_from_the_table(void **state)
{
        struct run r;
        const struct finding *f;
        char facts[2048];

        (void)state;
        /* Windows Update searched: its word is enough. */
        f = run_at(&r, table_policy(), "patch.security_pending",
                   patch_facts(facts, sizeof(facts), 100, "", SEARCH_OK ", \"pending\": []"), NOW);
        assert_int_equal(f->status, STATUS_PASS);
        assert_string_equal(f->summary, "No security update waiting");
        done(&r);
        /* Neither: nothing to go by. */
        f = run_at(&r, table_policy(), "patch.security_pending",
                   patch_facts(facts, sizeof(facts), 100, "",
                               "\"search\": {\"ok\": false, \"error\": \"not implemented\"}"),
                   NOW);
        assert_int_equal(f->status, STATUS_SKIP);
        assert_string_equal(f->summary, "Build 26100 is not in the table of Windows updates: "
                                        "Windows Update could not be searched (not implemented)");
        done(&r);
}

/* The other patch checks */

static void test_other_updates_waiting_warn(void **state)
{
        struct run r;
        const struct finding *f;
        char facts[2048];

        (void)state;
        f = run_at(&r, table_policy(), "patch.updates_pending",
                   patch_facts(facts, sizeof(facts), 7000, LATEST,
                               SEARCH_OK ", \"pending\": ["
                                         "{\"package\": \"Intel - Display\", \"kb\": \"\", "
                                         "\"security\": false, \"severity\": \"\"},"
                                         "{\"package\": \"2026-11 Cumulative Update\", \"kb\": "
                                         "\"KB1000001\", \"security\": true, \"severity\": "
                                         "\"Critical\"}]"),
                   NOW);
        assert_int_equal(f->status, STATUS_WARN);
        assert_string_equal(f->summary, "1 update waiting: Intel - Display");
        assert_int_equal(json_integer_value(json_object_get(f->evidence, "count")), 1);
        done(&r);
        f = run_at(&r, table_policy(), "patch.updates_pending",
                   patch_facts(facts, sizeof(facts), 7000, LATEST,
                               SEARCH_OK ", \"pending\": ["
                                         "{\"package\": \"2026-11 Cumulative Update\", \"kb\": "
                                         "\"KB1000001\", \"security\": true, \"severity\": "
                                         "\"Critical\"}]"),
                   NOW);
        assert_int_equal(f->status, STATUS_PASS);
        assert_string_equal(f->summary, "No update waiting other than the security updates");
        done(&r);
        f = run_at(&r, table_policy(), "patch.updates_pending",
                   patch_facts(facts, sizeof(facts), 7000, LATEST, SEARCH_OK ", \"pending\": []"),
                   NOW);
        assert_int_equal(f->status, STATUS_PASS);
        assert_string_equal(f->summary, "No update waiting");
        done(&r);
        f = run_at(&r, table_policy(), "patch.updates_pending",
                   patch_facts(facts, sizeof(facts), 7000, LATEST, ""), NOW);
        assert_int_equal(f->status, STATUS_SKIP);
        assert_string_equal(f->summary,
                            "Pending updates not checked: Windows Update was not searched");
        done(&r);
}

static void test_long_lists_count_every_update(void **state)
{
        struct run r;
        const struct finding *f;
        char facts[2048];
        static const char listed[] =
            SEARCH_OK ", \"pending_count\": 250, \"security_count\": 1, "
                      "\"pending_truncated\": true, \"pending\": ["
                      "{\"package\": \"2026-11 Cumulative Update\", \"kb\": \"KB1000001\", "
                      "\"security\": true, \"severity\": \"Critical\"},"
                      "{\"package\": \"Intel - Display\", \"kb\": \"\", \"security\": false, "
                      "\"severity\": \"\"}]";

        (void)state;
        f = run_at(&r, table_policy(), "patch.updates_pending",
                   patch_facts(facts, sizeof(facts), 7000, LATEST, listed), NOW);
        assert_int_equal(f->status, STATUS_WARN);
        assert_string_equal(f->summary, "249 updates waiting: Intel - Display and 248 more");
        assert_int_equal(json_integer_value(json_object_get(f->evidence, "count")), 249);
        assert_true(json_is_true(json_object_get(f->evidence, "truncated")));
        done(&r);
        f = run_at(&r, table_policy(), "patch.security_pending",
                   patch_facts(facts, sizeof(facts), 7000, LATEST, listed), NOW);
        assert_int_equal(f->status, STATUS_FAIL);
        assert_string_equal(f->summary, "1 security update waiting: KB1000001");
        done(&r);
}

static void test_windows_update_search_age(void **state)
{
        struct run r;
        const struct finding *f;
        char facts[2048];

        (void)state;
        f = run_at(&r, table_policy(), "patch.refresh_age",
                   patch_facts(facts, sizeof(facts), 7000, LATEST,
                               "\"last_refresh\": \"2026-12-01T12:00:00Z\", "
                               "\"last_refresh_source\": \"windows-update\""),
                   NOW);
        assert_int_equal(f->status, STATUS_PASS);
        assert_string_equal(f->summary, "Windows Update last searched for updates on 2026-12-01");
        assert_string_equal(ev_str(f, "source"), "windows-update");
        done(&r);
        /* Two days and one second: past refresh_max_age_days = 2. */
        f = run_at(&r, table_policy(), "patch.refresh_age",
                   patch_facts(facts, sizeof(facts), 7000, LATEST,
                               "\"last_refresh\": \"2026-11-30T11:59:59Z\""),
                   NOW);
        assert_int_equal(f->status, STATUS_FAIL);
        assert_string_equal(f->summary, "The last successful Windows Update search was 3 days ago");
        assert_string_equal(f->remediation,
                            "Open Windows Update (Settings, Windows Update) and select \"Check "
                            "for updates\"; if it fails, check the network connection and the "
                            "proxy.");
        done(&r);
        f = run_at(&r, table_policy(), "patch.refresh_age",
                   patch_facts(facts, sizeof(facts), 7000, LATEST, ""), NOW);
        assert_int_equal(f->status, STATUS_FAIL);
        assert_string_equal(f->summary, "Windows Update never searched for updates successfully");
        done(&r);
        /* The date Windows noted cannot be read: an error that says where. */
        f = run_at(&r, table_policy(), "patch.refresh_age",
                   patch_facts(facts, sizeof(facts), 7000, LATEST,
                               "\"errors\": [{\"source\": \"windows-update\", \"file\": "
                               "\"HKLM\\\\SOFTWARE\\\\Results\\\\Detect\\\\LastSuccessTime\", "
                               "\"line\": 0, \"message\": \"not a date: \\\"soon\\\"\"}]"),
                   NOW);
        assert_int_equal(f->status, STATUS_ERROR);
        assert_string_equal(f->summary, "HKLM\\SOFTWARE\\Results\\Detect\\LastSuccessTime: "
                                        "not a date: \"soon\"");
        done(&r);
}

static void test_windows_reboot_required(void **state)
{
        struct run r;
        const struct finding *f;
        char facts[2048];

        (void)state;
        f = run_at(&r, table_policy(), "patch.reboot_required",
                   patch_facts(facts, sizeof(facts), 7000, LATEST,
                               "\"reboot_required\": true, \"reboot_how\": "
                               "\"WindowsUpdate\\\\Auto Update\\\\RebootRequired\""),
                   NOW);
        assert_int_equal(f->status, STATUS_WARN);
        assert_string_equal(f->summary, "A restart is needed to finish installing updates");
        assert_string_equal(ev_str(f, "how"), "WindowsUpdate\\Auto Update\\RebootRequired");
        done(&r);
        f = run_at(&r, table_policy(), "patch.reboot_required",
                   patch_facts(facts, sizeof(facts), 7000, LATEST, "\"reboot_required\": false"),
                   NOW);
        assert_int_equal(f->status, STATUS_PASS);
        assert_string_equal(f->summary, "No restart needed by updates");
        done(&r);
}

static void test_windows_auto_updates(void **state)
{
        struct run r;
        const struct finding *f;
        char facts[2048];

        (void)state;
        f = run_at(&r, table_policy(), "patch.auto_updates",
                   patch_facts(facts, sizeof(facts), 7000, LATEST,
                               "\"auto_updates\": {\"enabled\": true, \"how\": \"default\"}"),
                   NOW);
        assert_int_equal(f->status, STATUS_PASS);
        assert_string_equal(f->summary, "Windows installs updates automatically");
        done(&r);
        f = run_at(&r, table_policy(), "patch.auto_updates",
                   patch_facts(facts, sizeof(facts), 7000, LATEST,
                               "\"auto_updates\": {\"enabled\": false, \"how\": \"group "
                               "policy NoAutoUpdate = 1\"}"),
                   NOW);
        assert_int_equal(f->status, STATUS_FAIL);
        assert_string_equal(f->summary,
                            "Automatic updates are turned off (group policy NoAutoUpdate = 1)");
        assert_string_equal(f->remediation,
                            "Allow automatic updates again: a group policy (\"Configure Automatic "
                            "Updates\") turns them off; ask whoever manages the machine's "
                            "policies.");
        done(&r);
        f = run_at(&r, table_policy(), "patch.auto_updates",
                   patch_facts(facts, sizeof(facts), 7000, LATEST,
                               "\"auto_updates\": {\"enabled\": false, \"how\": \"the "
                               "Windows Update service (wuauserv) is disabled\"}"),
                   NOW);
        assert_int_equal(f->status, STATUS_FAIL);
        assert_string_equal(f->summary, "Automatic updates are turned off (the Windows Update "
                                        "service (wuauserv) is disabled)");
        assert_string_equal(f->remediation,
                            "Set the \"Windows Update\" service back to its usual start type "
                            "(Manual) in Services, so that updates install by themselves.");
        done(&r);
        f = run_at(&r, table_policy(), "patch.auto_updates",
                   patch_facts(facts, sizeof(facts), 7000, LATEST, ""), NOW);
        assert_int_equal(f->status, STATUS_SKIP);
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
                cmocka_unit_test(test_security_updates_waiting_fail_with_their_kbs),
                cmocka_unit_test(test_missing_cumulative_update_fails_past_grace),
                cmocka_unit_test(test_missing_cumulative_update_warns_within_grace),
                cmocka_unit_test(test_up_to_date_passes_while_the_table_is_fresh),
                cmocka_unit_test(test_old_table_is_enough_once_servicing_ended),
                cmocka_unit_test(test_build_missing_from_the_table),
                cmocka_unit_test(test_other_updates_waiting_warn),
                cmocka_unit_test(test_long_lists_count_every_update),
                cmocka_unit_test(test_windows_update_search_age),
                cmocka_unit_test(test_windows_reboot_required),
                cmocka_unit_test(test_windows_auto_updates),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
