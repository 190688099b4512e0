/* test_antivirus.c - the products table and the antivirus rules, on
 * hand-written facts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "avproducts.h"
#include "checks.h"
#include "paths.h"
#include "policy.h"
#include "rootfs.h"

/* 2026-11-24 12:00 UTC */
#define NOW ((time_t)1795521600)

static void test_shipped_table_parses(void **state)
{
        struct avproducts *t = malloc(sizeof(*t));
        char path[4096], *text = NULL;
        struct error e;
        int fd;

        (void)state;
        fd = open(paths_data("antivirus-products.conf", path, sizeof(path)), O_RDONLY);
        assert_true(fd >= 0);
        assert_int_equal(rootfs_read_fd(fd, 1 << 20, &text, NULL), 0);
        close(fd);
        assert_int_equal(avproducts_parse(text, path, t, &e), 0);
        free(text);
        assert_int_equal(t->n, 13);
        for (size_t i = 0; i < t->n; i++) {
                if (strcmp(t->v[i].id, "eset") == 0) {
                        assert_int_equal(t->v[i].nwindows_services, 1);
                        assert_string_equal(t->v[i].windows_services[0], "ekrn");
                }
                if (strcmp(t->v[i].id, "mdatp") != 0)
                        continue;
                assert_string_equal(t->v[i].name, "Microsoft Defender for Endpoint");
                assert_int_equal(t->v[i].npaths, 1);
                assert_string_equal(t->v[i].paths[0], "/opt/microsoft/mdatp");
                assert_string_equal(t->v[i].services[0], "mdatp.service");
                assert_string_equal(t->v[i].processes[0], "wdavdaemon");
                assert_true(t->v[i].realtime);
        }
        free(t);
}

static void test_table_errors_name_the_line(void **state)
{
        struct avproducts *t = malloc(sizeof(*t));
        struct error e;

        (void)state;
        assert_int_equal(avproducts_parse("[a]\nname = A\npaths = /opt/a\n\n[b]\nname = B\n"
                                          "colour = red\n",
                                          "t.conf", t, &e),
                         -EINVAL);
        assert_int_equal(e.line, 7);
        assert_string_equal(e.msg, "unknown key \"colour\" (name, paths, services, processes, "
                                   "windows_services, realtime)");
        assert_int_equal(avproducts_parse("[a]\nname = A\npaths = opt/a\n", "t", t, &e), -EINVAL);
        assert_int_equal(e.line, 3);
        assert_int_equal(avproducts_parse("[a]\nname = A\nrealtime = maybe\n", "t", t, &e),
                         -EINVAL);
        assert_int_equal(avproducts_parse("[a]\nname = A\n", "t", t, &e), -EINVAL);
        assert_string_equal(e.msg, "[a]: nothing to recognise it by");
        assert_int_equal(
            avproducts_parse("[a]\nname = A\nservices = 1 2 3 4 5 6 7 8 9\n", "t", t, &e), -EINVAL);
        free(t);
}

struct run {
        struct policy policy;
        struct findings out;
        json_t *facts;
};

static void run(struct run *r, const char *id, const char *facts)
{
        json_error_t err;
        const struct check *c = checks_find(id);

        assert_non_null(c);
        policy_defaults(&r->policy);
        memset(&r->out, 0, sizeof(r->out));
        r->facts = json_loads(facts, 0, &err);
        assert_non_null(r->facts);
        struct check_ctx ctx = { .policy = &r->policy, .facts = r->facts, .now = NOW };
        c->fn(c, &ctx, &r->out);
}

static void done(struct run *r)
{
        findings_free(&r->out);
        json_decref(r->facts);
}

static void test_no_antivirus_fails_present_with_clamav_advice(void **state)
{
        struct run r;

        (void)state;
        run(&r, "antivirus.present", "{\"antivirus\": {\"products\": []}}");
        assert_int_equal(r.out.n, 1);
        assert_int_equal(r.out.v[0].status, STATUS_FAIL);
        assert_string_equal(r.out.v[0].summary, "No antivirus found");
        assert_string_equal(r.out.v[0].remediation,
                            "Install ClamAV: apt install clamav-daemon clamav-freshclam");
        done(&r);
        run(&r, "antivirus.signatures_age", "{\"antivirus\": {\"products\": []}}");
        assert_int_equal(r.out.v[0].status, STATUS_SKIP);
        done(&r);
}

static void test_signatures_fail_past_three_days(void **state)
{
        char facts[256];
        struct run r;

        (void)state;
        snprintf(facts, sizeof(facts),
                 "{\"antivirus\": {\"products\": [{\"id\": \"clamav\", \"name\": \"ClamAV\", "
                 "\"signatures\": {\"directory\": \"var/lib/clamav\", \"newest_time\": %lld}}]}}",
                 (long long)(NOW - 3 * 86400));
        run(&r, "antivirus.signatures_age", facts);
        assert_int_equal(r.out.v[0].status, STATUS_PASS);
        assert_string_equal(r.out.v[0].subject, "clamav");
        assert_string_equal(r.out.v[0].summary,
                            "ClamAV signatures are 3 days old (from 2026-11-21)");
        done(&r);
        snprintf(facts, sizeof(facts),
                 "{\"antivirus\": {\"products\": [{\"id\": \"clamav\", \"name\": \"ClamAV\", "
                 "\"signatures\": {\"directory\": \"var/lib/clamav\", \"newest_time\": %lld}}]}}",
                 (long long)(NOW - 3 * 86400 - 1));
        run(&r, "antivirus.signatures_age", facts);
        assert_int_equal(r.out.v[0].status, STATUS_FAIL);
        assert_string_equal(r.out.v[0].summary,
                            "ClamAV signatures date from 2026-11-21, 3 days ago: older than the "
                            "3-day limit");
        done(&r);
        run(&r, "antivirus.signatures_age",
            "{\"antivirus\": {\"products\": [{\"id\": \"mdatp\", \"name\": \"Defender\"}]}}");
        assert_int_equal(r.out.v[0].status, STATUS_SKIP);
        done(&r);
}

static void test_realtime_passes_when_one_product_scans(void **state)
{
        struct run r;

        (void)state;
        run(&r, "antivirus.realtime",
            "{\"antivirus\": {\"products\": [{\"id\": \"clamav\", \"name\": \"ClamAV\", "
            "\"realtime\": false}, {\"id\": \"mdatp\", \"name\": \"Defender\", \"realtime\": "
            "true}]}}");
        assert_int_equal(r.out.n, 1);
        assert_int_equal(r.out.v[0].status, STATUS_PASS);
        assert_string_equal(r.out.v[0].summary, "Files are scanned as they are opened (Defender)");
        done(&r);
}

static void test_running_names_the_stopped_components(void **state)
{
        struct run r;

        (void)state;
        run(&r, "antivirus.running",
            "{\"antivirus\": {\"products\": [{\"id\": \"clamav\", \"name\": \"ClamAV\", "
            "\"running\": false, \"components\": [{\"process\": \"clamd\", \"running\": true}, "
            "{\"process\": \"freshclam\", \"running\": false}, {\"process\": \"clamonacc\", "
            "\"running\": false}]}]}}");
        assert_int_equal(r.out.n, 1);
        assert_int_equal(r.out.v[0].status, STATUS_FAIL);
        assert_string_equal(r.out.v[0].summary,
                            "ClamAV is installed but not running (stopped: freshclam)");
        done(&r);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_shipped_table_parses),
                cmocka_unit_test(test_table_errors_name_the_line),
                cmocka_unit_test(test_no_antivirus_fails_present_with_clamav_advice),
                cmocka_unit_test(test_signatures_fail_past_three_days),
                cmocka_unit_test(test_realtime_passes_when_one_product_scans),
                cmocka_unit_test(test_running_names_the_stopped_components),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
