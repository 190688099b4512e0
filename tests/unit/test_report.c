/* test_report.c - a report is built within what the collector takes: a
 * family whose facts are over REPORT_FAMILY_MAX goes as a note of its size,
 * the checks that read it as one error each, and the rest as it is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lang.h"
#include "report.h"
#include "report_limits.h"

struct fixture {
        struct policy policy;
        struct check_ctx ctx;
        struct findings findings;
        json_t *facts;
};

static const struct report_meta meta = {
        .agent_id = "8d6f2f7e-5b1c-4a57-9d43-0f2b7c1e9a10",
        .hostname = "poste-accueil",
        .interval = 3600,
        .seq = 7,
        .collected_at = 1767225600,
};

/* facts.passwords with n accounts of some 100 bytes each. */
static json_t *accounts(size_t n)
{
        json_t *a = json_array();
        char name[32];

        for (size_t i = 0; i < n; i++) {
                snprintf(name, sizeof(name), "user%06zu", i);
                json_array_append_new(a, json_pack("{s:s, s:I, s:s, s:b, s:s}", "name", name, "uid",
                                                   (json_int_t)(1000 + i), "shell", "/bin/bash",
                                                   "login_capable", 1, "password", "set"));
        }
        return json_pack("{s:o}", "accounts", a);
}

static int setup(void **state)
{
        struct fixture *f = calloc(1, sizeof(*f));

        if (!f)
                return -1;
        policy_defaults(&f->policy);
        f->ctx = (struct check_ctx){ .policy = &f->policy, .now = meta.collected_at };
        f->facts = json_pack("{s:{s:s}}", "os", "id", "debian");
        finding_add(&f->findings, checks_find("os.supported"), &f->ctx, STATUS_PASS, NULL, NULL,
                    NULL, "Debian GNU/Linux 12 (bookworm) has security support");
        finding_add(&f->findings, checks_find("password.empty"), &f->ctx, STATUS_FAIL, "user000001",
                    NULL, NULL, "Account user000001 can log in without a password");
        finding_add(&f->findings, checks_find("password.empty"), &f->ctx, STATUS_FAIL, "user000002",
                    NULL, NULL, "Account user000002 can log in without a password");
        finding_add(&f->findings, checks_find("password.max_age"), &f->ctx, STATUS_PASS, NULL, NULL,
                    NULL, "Passwords expire within 365 days");
        *state = f;
        return 0;
}

static int teardown(void **state)
{
        struct fixture *f = *state;

        findings_free(&f->findings);
        json_decref(f->facts);
        free(f);
        return 0;
}

static size_t findings_of(const json_t *doc, const char *check)
{
        size_t i, n = 0;
        const json_t *x;

        json_array_foreach(json_object_get(doc, "findings"), i, x)
        {
                n += strcmp(json_string_value(json_object_get(x, "check")), check) == 0;
        }
        return n;
}

static const json_t *finding_of(const json_t *doc, const char *check)
{
        size_t i;
        const json_t *x;

        json_array_foreach(json_object_get(doc, "findings"), i, x)
        {
                if (strcmp(json_string_value(json_object_get(x, "check")), check) == 0)
                        return x;
        }
        return NULL;
}

static void test_report_family_within_limit_goes_whole(void **state)
{
        struct fixture *f = *state;
        json_t *doc;

        json_object_set_new(f->facts, "passwords", accounts(100));
        doc = report_build(&meta, &f->policy, f->facts, &f->findings, NULL);
        assert_non_null(doc);
        assert_true(json_equal(json_object_get(doc, "facts"), f->facts));
        assert_int_equal(json_array_size(json_object_get(doc, "findings")), 4);
        assert_int_equal(findings_of(doc, "password.empty"), 2);
        json_decref(doc);
}

static void test_report_family_over_limit_goes_as_its_size(void **state)
{
        struct fixture *f = *state;
        json_t *passwords = accounts(5000), *doc;
        size_t bytes = json_dumpb(passwords, NULL, 0, JSON_COMPACT);
        const json_t *sent, *x;

        assert_true(bytes > REPORT_FAMILY_MAX);
        json_object_set_new(f->facts, "passwords", passwords);
        doc = report_build(&meta, &f->policy, f->facts, &f->findings, NULL);
        assert_non_null(doc);
        sent = json_object_get(json_object_get(doc, "facts"), "passwords");
        assert_true(json_is_true(json_object_get(sent, "too_large")));
        assert_int_equal(json_integer_value(json_object_get(sent, "bytes")), bytes);
        assert_int_equal(json_integer_value(json_object_get(sent, "limit")), REPORT_FAMILY_MAX);
        assert_int_equal(json_object_size(sent), 3);
        /* The other families go as they are; the caller's facts are left whole. */
        assert_true(json_equal(json_object_get(json_object_get(doc, "facts"), "os"),
                               json_object_get(f->facts, "os")));
        assert_int_equal(json_array_size(json_object_get(passwords, "accounts")), 5000);
        assert_int_equal(findings_of(doc, "os.supported"), 1);
        assert_string_equal(
            json_string_value(json_object_get(finding_of(doc, "os.supported"), "status")), "pass");
        /* Each check that reads it: one error saying why, at its severity. */
        assert_int_equal(findings_of(doc, "password.empty"), 1);
        assert_int_equal(findings_of(doc, "password.max_age"), 1);
        x = finding_of(doc, "password.empty");
        assert_string_equal(json_string_value(json_object_get(x, "status")), "error");
        assert_string_equal(json_string_value(json_object_get(x, "severity")), "critical");
        assert_null(json_object_get(x, "subject"));
        assert_non_null(strstr(json_string_value(json_object_get(x, "summary")),
                               "the passwords facts of this machine are too large to send"));
        assert_int_equal(
            json_integer_value(json_object_get(json_object_get(x, "evidence"), "bytes")), bytes);
        assert_string_equal(
            json_string_value(json_object_get(finding_of(doc, "password.max_age"), "status")),
            "error");
        assert_true(json_dumpb(doc, NULL, 0, JSON_COMPACT) < REPORT_FAMILY_MAX);
        json_decref(doc);
}

static void test_report_finding_over_limit_goes_without_its_evidence(void **state)
{
        struct fixture *f = *state;
        json_t *updates = json_array(), *evidence, *doc;
        const json_t *x, *ev;
        size_t bytes;
        char name[32];

        for (int i = 0; i < 2000; i++) {
                snprintf(name, sizeof(name), "pkg%05d", i);
                json_array_append_new(updates,
                                      json_pack("{s:s, s:s, s:s}", "package", name, "installed",
                                                "1.0-1", "candidate", "1.0-2"));
        }
        evidence = json_pack("{s:o}", "updates", updates);
        bytes = json_dumpb(evidence, NULL, 0, JSON_COMPACT);

        assert_true(bytes > REPORT_FINDING_MAX);
        finding_add(&f->findings, checks_find("patch.updates_pending"), &f->ctx, STATUS_WARN, NULL,
                    evidence, NULL, "2000 updates waiting");
        doc = report_build(&meta, &f->policy, f->facts, &f->findings, NULL);
        assert_non_null(doc);
        x = finding_of(doc, "patch.updates_pending");
        assert_string_equal(json_string_value(json_object_get(x, "status")), "warn");
        assert_string_equal(json_string_value(json_object_get(x, "summary")),
                            "2000 updates waiting");
        ev = json_object_get(x, "evidence");
        assert_true(json_is_true(json_object_get(ev, "too_large")));
        assert_int_equal(json_integer_value(json_object_get(ev, "bytes")), bytes);
        assert_int_equal(json_integer_value(json_object_get(ev, "limit")), REPORT_FINDING_MAX);
        assert_true(json_dumpb(x, NULL, 0, JSON_COMPACT) <= REPORT_FINDING_MAX);
        assert_int_equal(findings_of(doc, "password.empty"), 2);
        json_decref(doc);
}

/* The same run in French: each finding whose texts differ carries them. */
static void test_report_carries_french_texts_that_differ(void **state)
{
        struct fixture *f = *state;
        struct findings fr = { 0 };
        struct msgcat cat;
        struct error e;
        struct check_ctx ctx = f->ctx;
        const json_t *x, *texts;
        json_t *doc;

        assert_int_equal(lang_load(&cat, LANG_FR, &e), 0);
        ctx.cat = &cat;
        /* os.supported's summary is not in the catalogue: no texts. */
        finding_add(&fr, checks_find("os.supported"), &ctx, STATUS_PASS, NULL, NULL, NULL,
                    "Debian GNU/Linux 12 (bookworm) has security support");
        for (int i = 1; i <= 2; i++) {
                char who[16];

                snprintf(who, sizeof(who), "user%06d", i);
                finding_add(&fr, checks_find("password.empty"), &ctx, STATUS_FAIL, who, NULL,
                            tr(&ctx, "Set a password or lock the account."),
                            tr(&ctx, "Account %s can log in without a password"), who);
        }
        finding_add(&fr, checks_find("password.max_age"), &ctx, STATUS_PASS, NULL, NULL, NULL,
                    "Passwords expire within 365 days");
        doc = report_build(&meta, &f->policy, f->facts, &f->findings, &fr);
        assert_non_null(doc);
        assert_null(json_object_get(finding_of(doc, "os.supported"), "texts"));
        x = finding_of(doc, "password.empty");
        texts = json_object_get(json_object_get(x, "texts"), "fr");
        assert_string_equal(json_string_value(json_object_get(texts, "summary")),
                            "Le compte user000001 peut se connecter sans mot de passe");
        /* The English run had no remediation: none is sent in French. */
        assert_null(json_object_get(texts, "remediation"));
        json_decref(doc);

        /* A run that does not match (a finding less) sends no texts. */
        findings_free(&fr);
        finding_add(&fr, checks_find("os.supported"), &ctx, STATUS_PASS, NULL, NULL, NULL, "x");
        doc = report_build(&meta, &f->policy, f->facts, &f->findings, &fr);
        assert_null(json_object_get(finding_of(doc, "password.empty"), "texts"));
        json_decref(doc);
        findings_free(&fr);
        msgcat_free(&cat);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_report_carries_french_texts_that_differ, setup,
                                                teardown),
                cmocka_unit_test_setup_teardown(test_report_family_within_limit_goes_whole, setup,
                                                teardown),
                cmocka_unit_test_setup_teardown(test_report_family_over_limit_goes_as_its_size,
                                                setup, teardown),
                cmocka_unit_test_setup_teardown(
                    test_report_finding_over_limit_goes_without_its_evidence, setup, teardown),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
