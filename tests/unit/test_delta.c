/* test_delta.c - a report goes cut to what the collector lacks, once the
 * collector takes cut reports; what it asks again goes whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "checks.h"
#include "delta.h"

static json_t *report(const char *os_name)
{
        return json_pack("{s:s, s:{s:{s:s}, s:{s:i}}, s:[{s:s, s:s, s:{s:i}}, {s:s, s:s, s:{s:i}},"
                         " {s:s, s:s}]}",
                         "schema", "hygie.report/1", "facts", "os", "name", os_name, "patch",
                         "pending", 3, "findings", "check", "os.supported", "summary", os_name,
                         "evidence", "n", 1, "check", "backup.recent", "subject", "a", "evidence",
                         "age", 2, "check", "backup.recent", "subject", "b");
}

static void test_delta_cuts_what_was_sent(void **state)
{
        struct delta d;
        json_t *r;

        (void)state;
        delta_load(&d, "/nonexistent", "a");
        /* Until the collector says it takes cut reports, they go whole. */
        r = report("Debian 12");
        assert_int_equal(delta_cut(&d, r), 0);
        assert_null(json_object_get(r, "unchanged"));
        assert_int_equal(json_object_size(d.sent), 4); /* os, patch, two checks */
        json_decref(r);
        json_t *answer = json_pack("{s:s, s:b}", "status", "stored", "blocks", 1);
        assert_int_equal(delta_answer(&d, answer), 0);
        json_decref(answer);
        assert_true(d.collector_cuts);

        /* The same state: digests, no facts, findings without evidence. */
        r = report("Debian 12");
        assert_int_equal(delta_cut(&d, r), 0);
        assert_int_equal(json_object_size(json_object_get(r, "facts")), 0);
        assert_int_equal(json_object_size(json_object_get(r, "unchanged")), 4);
        assert_int_equal(json_array_size(json_object_get(r, "findings")), 3);
        assert_null(json_object_get(json_array_get(json_object_get(r, "findings"), 0), "evidence"));
        assert_null(json_object_get(json_array_get(json_object_get(r, "findings"), 1), "evidence"));
        json_decref(r);

        /* os changed: its facts and its check's findings go whole. */
        r = report("Debian 13");
        assert_int_equal(delta_cut(&d, r), 0);
        assert_non_null(json_object_get(json_object_get(r, "facts"), "os"));
        assert_null(json_object_get(json_object_get(r, "facts"), "patch"));
        assert_non_null(
            json_object_get(json_array_get(json_object_get(r, "findings"), 0), "evidence"));
        assert_null(json_object_get(json_object_get(r, "unchanged"), "os.supported"));
        json_decref(r);

        /* The collector lacks patch and backup.recent: they go whole next,
         * and their families are run again. */
        answer = json_pack("{s:b, s:[s, s]}", "blocks", 1, "resend", "patch", "backup.recent");
        assert_int_equal(delta_answer(&d, answer), (1u << FAM_PATCH) | (1u << FAM_BACKUP));
        json_decref(answer);
        r = report("Debian 13");
        assert_int_equal(delta_cut(&d, r), 0);
        assert_non_null(json_object_get(json_object_get(r, "facts"), "patch"));
        assert_null(json_object_get(json_object_get(r, "facts"), "os"));
        assert_non_null(
            json_object_get(json_array_get(json_object_get(r, "findings"), 1), "evidence"));
        json_decref(r);
        delta_free(&d);
}

static void test_delta_is_kept_per_agent(void **state)
{
        char dir[] = "/tmp/test_delta.XXXXXX", path[64];
        struct delta d, again, other;
        struct error e;
        json_t *r = report("Debian 12");

        (void)state;
        assert_non_null(mkdtemp(dir));
        delta_load(&d, dir, "a");
        d.collector_cuts = true;
        assert_int_equal(delta_cut(&d, r), 0);
        assert_int_equal(delta_save(&d, dir, &e), 0);
        delta_load(&again, dir, "a");
        assert_true(again.collector_cuts);
        assert_true(json_equal(again.sent, d.sent));
        /* Enrolled again, as another agent: the collector holds nothing. */
        delta_load(&other, dir, "b");
        assert_false(other.collector_cuts);
        assert_int_equal(json_object_size(other.sent), 0);
        delta_free(&d);
        delta_free(&again);
        delta_free(&other);
        json_decref(r);
        snprintf(path, sizeof(path), "%s/sent.json", dir);
        assert_int_equal(unlink(path), 0);
        assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_delta_cuts_what_was_sent),
                cmocka_unit_test(test_delta_is_kept_per_agent),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
