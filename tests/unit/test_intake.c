/* test_intake.c - the report validator takes exactly what the collector's
 * readers take back, within the bounds on a report's parts. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "digest.h"
#include "gzip.h"
#include "intake.h"

static char *doc;

/* A report whose facts are facts (JSON text) and collected_at when; what
 * intake_parse says of it. A report it takes must load with jansson. */
static int parse_with(const char *facts, const char *when, const char *extra, struct error *e)
{
        struct intake in;
        size_t size = strlen(facts) + strlen(extra) + 1024;
        int rc;

        doc = realloc(doc, size);
        snprintf(doc, size,
                 "{\"schema\":\"hygie.report/1\","
                 "\"report_id\":\"5d6fe9ca-cd36-436f-a82a-7a5f54ea9fd3\",\"seq\":1,"
                 "\"agent\":{\"id\":\"26c53637-b96c-4e24-80ac-27e127e31afa\",\"hostname\":\"p\"},"
                 "\"collected_at\":\"%s\",\"facts\":%s,"
                 "\"findings\":[{\"check\":\"a.b\",\"status\":\"fail\",\"severity\":\"high\","
                 "\"summary\":\"s\"%s}]}",
                 when, facts, extra);
        rc = intake_parse(&in, doc, strlen(doc), e);
        intake_free(&in);
        if (rc == 0) {
                json_t *back = json_loadb(doc, strlen(doc), 0, NULL);

                assert_non_null(back);
                json_decref(back);
        }
        return rc;
}

static int parse(const char *facts, struct error *e)
{
        return parse_with(facts, "2026-11-22T10:00:00Z", "", e);
}

static void test_intake_plain_report_passes(void **state)
{
        struct error e;

        (void)state;
        assert_int_equal(parse("{\"os\":{\"name\":\"D\\u00e9bian \xc3\xa9\",\"n\":-0,"
                               "\"r\":1e-400,\"i\":9223372036854775807}}",
                               &e),
                         0);
}

static void test_intake_refuses_what_jansson_cannot_read(void **state)
{
        struct error e;

        (void)state;
        assert_int_equal(parse("{\"os\":{\"a\":\"\xc0\xaf\"}}", &e), -EINVAL); /* overlong */
        assert_string_equal(e.msg, "facts.os: a string is not well-formed UTF-8, or holds \\u0000");
        assert_int_equal(parse("{\"os\":{\"a\":\"\xed\xa0\x80\"}}", &e), -EINVAL); /* surrogate */
        assert_int_equal(parse("{\"os\":{\"a\":\"x\\u0000y\"}}", &e), -EINVAL);
        assert_int_equal(parse("{\"os\":{\"a\\u0000\":1}}", &e), -EINVAL);
        assert_int_equal(parse("{\"os\":{\"a\":1e999999}}", &e), -EINVAL);
        assert_string_equal(e.msg, "facts.os: a number beyond what 64 bits hold");
        assert_int_equal(parse("{\"os\":{\"a\":-1e999999}}", &e), -EINVAL);
        assert_int_equal(parse("{\"os\":{\"a\":9223372036854775808}}", &e), -EINVAL);
        assert_int_equal(parse("{\"os\":{\"a\":-9223372036854775809}}", &e), -EINVAL);
        assert_int_equal(parse("{\"os\":[99999999999999999999999]}", &e), -EINVAL);
}

static void test_intake_refuses_bytes_after_the_document(void **state)
{
        struct intake in;
        struct error e;
        char text[2048];

        (void)state;
        parse("{}", &e);
        snprintf(text, sizeof(text), "%s \n", doc);
        assert_int_equal(intake_parse(&in, text, strlen(text), &e), 0);
        intake_free(&in);
        snprintf(text, sizeof(text), "%s\"", doc);
        assert_int_equal(intake_parse(&in, text, strlen(text), &e), -EINVAL);
        intake_free(&in);
        snprintf(text, sizeof(text), "%s {}", doc);
        assert_int_equal(intake_parse(&in, text, strlen(text), &e), -EINVAL);
        intake_free(&in);
        /* Blanks JSON has not. */
        snprintf(text, sizeof(text), "%s\f", doc);
        assert_int_equal(intake_parse(&in, text, strlen(text), &e), -EINVAL);
        intake_free(&in);
        assert_int_equal(parse("{\"os\":\v{}}", &e), -EINVAL);
}

static void test_intake_bounds_nesting(void **state)
{
        char facts[512] = "{\"os\":";
        struct error e;
        size_t n = strlen(facts);

        (void)state;
        /* The report and its facts are 2 levels; arrays up to the limit. */
        for (int i = 0; i < REPORT_DEPTH_MAX - 2; i++)
                facts[n++] = '[';
        for (int i = 0; i < REPORT_DEPTH_MAX - 2; i++)
                facts[n++] = ']';
        strcpy(facts + n, "}");
        assert_int_equal(parse(facts, &e), 0);
        memmove(facts + 7, facts + 6, strlen(facts + 6) + 1);
        facts[6] = '[';
        n = strlen(facts);
        memmove(facts + n - 1, facts + n - 2, 3);
        facts[n - 2] = ']';
        assert_int_equal(parse(facts, &e), -EINVAL);
        assert_string_equal(e.msg, "facts.os: nested deeper than 64");
}

/* {"NAME": "xxx..."} with size bytes of x. */
static char *big_family(const char *name, size_t size)
{
        char *s = malloc(size + 64);

        snprintf(s, 64, "{\"%s\":\"", name);
        memset(s + strlen(s), 'x', size);
        strcpy(s + strlen(name) + 5 + size, "\"}");
        return s;
}

static void test_intake_bounds_each_family(void **state)
{
        struct error e;
        char *ok = big_family("patch", REPORT_FAMILY_MAX - 8);
        char *over = big_family("patch", REPORT_FAMILY_MAX);

        (void)state;
        assert_int_equal(parse(ok, &e), 0);
        assert_int_equal(parse(over, &e), -EINVAL);
        assert_string_equal(e.msg, "facts.patch: larger than 262144 bytes");
        free(ok);
        free(over);
}

static void test_intake_bounds_families_and_their_names(void **state)
{
        char facts[1024] = "{";
        struct error e;

        (void)state;
        for (int i = 0; i < REPORT_FAMILIES_MAX; i++)
                snprintf(facts + strlen(facts), 32, "%s\"f%d\":{}", i ? "," : "", i);
        strcat(facts, "}");
        assert_int_equal(parse(facts, &e), 0);
        strcpy(facts + strlen(facts) - 1, ",\"one_more\":{}}");
        assert_int_equal(parse(facts, &e), -EINVAL);
        assert_string_equal(e.msg, "facts: more than 16 families");
        assert_int_equal(parse("{\"Patch\":{}}", &e), -EINVAL);
        assert_int_equal(parse("{\"\":{}}", &e), -EINVAL);
}

static void test_intake_bounds_a_finding_and_other_members(void **state)
{
        size_t n = REPORT_FINDING_MAX;
        char *extra = malloc(n + 64);
        struct error e;

        (void)state;
        strcpy(extra, ",\"evidence\":\"");
        memset(extra + strlen(extra), 'x', n);
        strcpy(extra + 13 + n, "\"");
        assert_int_equal(parse_with("{}", "2026-11-22T10:00:00Z", extra, &e), -EINVAL);
        assert_string_equal(e.msg, "findings[0]: larger than 65536 bytes");
        free(extra);
}

static void test_intake_refuses_times_that_are_not_real(void **state)
{
        struct error e;

        (void)state;
        assert_int_equal(parse_with("{}", "2024-02-29T23:59:59Z", "", &e), 0);
        assert_int_equal(parse_with("{}", "2025-02-30T10:00:00Z", "", &e), -EINVAL);
        assert_string_equal(e.msg, "collected_at: not a UTC time (YYYY-MM-DDTHH:MM:SSZ)");
        assert_int_equal(parse_with("{}", "2025-02-29T10:00:00Z", "", &e), -EINVAL);
        assert_int_equal(parse_with("{}", "2026-11-22T24:00:00Z", "", &e), -EINVAL);
        assert_int_equal(parse_with("{}", "2026-11-22T10:00:60Z", "", &e), -EINVAL);
        assert_int_equal(parse_with("{}", "0000-01-01T00:00:00Z", "", &e), -EINVAL);
        assert_int_equal(parse_with("{}", "2019-12-31T23:59:59Z", "", &e), -EINVAL);
        assert_int_equal(parse_with("{}", "2026-1-22T10:00:00ZZZ", "", &e), -EINVAL);
}

/* A finding's French texts: the summary is kept for the alert, other
 * languages and the remediation go with the body. */
static void test_intake_takes_a_findings_french_summary(void **state)
{
        static const char *const bad[][2] = {
                { ",\"texts\":[]", "findings[0]: \"texts\" is not an object" },
                { ",\"texts\":{\"fr\":\"x\"}", "findings[0]: \"texts.fr\" is not an object" },
                { ",\"texts\":{\"fr\":{\"summary\":1}}",
                  "findings[0]: \"texts.fr.summary\" is not a line of text of at most 1024 "
                  "bytes" },
                { ",\"texts\":{\"fr\":{\"summary\":\"a\\nb\"}}",
                  "findings[0]: \"texts.fr.summary\" is not a line of text of at most 1024 "
                  "bytes" },
                { ",\"texts\":{\"fr\":{\"summary\":\"a\",\"summary\":\"b\"}}",
                  "summary: given twice" },
        };
        const char *ok =
            "{\"schema\":\"hygie.report/1\","
            "\"report_id\":\"5d6fe9ca-cd36-436f-a82a-7a5f54ea9fd3\",\"seq\":1,"
            "\"agent\":{\"id\":\"26c53637-b96c-4e24-80ac-27e127e31afa\","
            "\"hostname\":\"p\"},\"collected_at\":\"2026-11-22T10:00:00Z\","
            "\"facts\":{},\"findings\":["
            "{\"check\":\"a.b\",\"status\":\"fail\",\"severity\":\"high\","
            "\"summary\":\"s\",\"remediation\":\"fix it\",\"texts\":{\"de\":{\"summary\":[1]},"
            "\"fr\":{\"remediation\":\"r\",\"summary\":\"R\u00e9sum\u00e9\"}}},"
            "{\"check\":\"a.c\",\"status\":\"pass\",\"severity\":\"low\","
            "\"summary\":\"t\"}]}";
        struct intake in;
        struct error e;

        (void)state;
        assert_int_equal(intake_parse(&in, ok, strlen(ok), &e), 0);
        assert_int_equal(in.nfindings, 2);
        assert_string_equal(in.findings[0].summary_fr, "R\xc3\xa9sum\xc3\xa9");
        assert_null(in.findings[1].summary_fr);
        assert_string_equal(in.findings[0].remediation_fr, "r");
        assert_string_equal(in.findings[0].remediation, "fix it");
        assert_null(in.findings[1].remediation);
        intake_free(&in);
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                assert_int_equal(parse_with("{}", "2026-11-22T10:00:00Z", bad[i][0], &e), -EINVAL);
                assert_string_equal(e.msg, bad[i][1]);
        }
}

/* What the machine list shows, from the os and hardware facts. */
static void test_intake_reads_what_the_machine_list_shows(void **state)
{
        static const char doc_text[] =
            "{\"schema\":\"hygie.report/1\","
            "\"report_id\":\"5d6fe9ca-cd36-436f-a82a-7a5f54ea9fd3\",\"seq\":1,"
            "\"agent\":{\"id\":\"26c53637-b96c-4e24-80ac-27e127e31afa\",\"hostname\":\"p\"},"
            "\"collected_at\":\"2026-11-22T10:00:00Z\",\"facts\":{"
            "\"os\" : {\"pretty_name\":\"Windows 11 Pro 24H2 (26100.2605)\"},"
            "\"hardware\":{\"dmi\":{\"sys_vendor\":\"Dell Inc.\",\"product_name\":"
            "\"OptiPlex 3020\"},\"memory\":{\"total_kib\":3918208},\"system_disk\":"
            "{\"name\":\"sda\"},\"disks\":[{\"name\":\"sdb\",\"rotational\":false},"
            "{\"name\":\"sda\",\"rotational\":true,\"size_bytes\":500107862016}]}},"
            "\"findings\":[]}";
        struct intake in;
        struct error e;

        (void)state;
        assert_int_equal(intake_parse(&in, doc_text, strlen(doc_text), &e), 0);
        assert_true(in.facts.os && in.facts.hardware);
        assert_string_equal(in.facts.os_name, "Windows 11 Pro 24H2 (26100.2605)");
        assert_string_equal(in.facts.model, "Dell Inc. OptiPlex 3020");
        assert_int_equal(in.facts.ram_mib, 3826);
        assert_string_equal(in.facts.disk, "hdd");
        assert_int_equal(in.facts.disk_gb, 500);
        intake_free(&in);
        /* A report without them says nothing of them. */
        assert_int_equal(parse("{\"patch\":{}}", &e), 0);
}

static int teardown(void **state)
{
        (void)state;
        free(doc);
        doc = NULL;
        return 0;
}

/* The digest an agent computes for v: over jansson's compact text. */
static void agent_digest(const json_t *v, char hex[DIGEST_HEX])
{
        char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        struct digest d;

        assert_non_null(text);
        assert_int_equal(digest_begin(&d), 0);
        digest_add(&d, text, strlen(text));
        assert_int_equal(digest_end(&d, hex), 0);
        free(text);
}

/* Block b's text, rebuilt from the report's. */
static char *block_text(const struct intake *in, const char *text, const struct store_block *b)
{
        size_t size = 3 + b->nparts, at = 0;
        char *out;

        for (size_t i = 0; i < b->nparts; i++)
                size += in->parts[b->first + i][1] - in->parts[b->first + i][0];
        out = malloc(size);
        assert_non_null(out);
        if (b->list)
                out[at++] = '[';
        for (size_t i = 0; i < b->nparts; i++) {
                const size_t *p = in->parts[b->first + i];

                if (i)
                        out[at++] = ',';
                memcpy(out + at, text + p[0], p[1] - p[0]);
                at += p[1] - p[0];
        }
        if (b->list)
                out[at++] = ']';
        out[at] = '\0';
        return out;
}

/* A report's blocks: each family's facts and each check's findings (those
 * of one check together, wherever they stand), named by the digest the
 * agent computes over the same JSON, and its envelope without them. */
static void check_blocks(const char *given, bool as_agent)
{
        json_t *loaded = json_loads(given, 0, NULL);
        /* As an agent writes it: compact, in the order given. */
        char *dumped = json_dumps(loaded, JSON_COMPACT);
        const char *text = as_agent ? dumped : given;

        json_t *report = json_loads(text, 0, NULL), *facts, *findings, *v, *env;
        struct intake in;
        struct error e;
        char want[DIGEST_HEX], *env_text = NULL;
        size_t env_len, i;

        assert_non_null(report);
        assert_int_equal(intake_parse(&in, text, strlen(text), &e), 0);
        facts = json_object_get(report, "facts");
        assert_int_equal(in.nblocks, json_object_size(facts) + 2);
        for (size_t b = 0; b < in.nblocks; b++) {
                const struct store_block *bl = &in.blocks[b];
                char *t = block_text(&in, text, bl);
                json_t *got = json_loads(t, 0, NULL);

                assert_non_null(got);
                if (!bl->list) {
                        v = json_incref(json_object_get(facts, bl->name));
                } else {
                        v = json_array();
                        json_array_foreach(json_object_get(report, "findings"), i, findings)
                        {
                                if (strcmp(json_string_value(json_object_get(findings, "check")),
                                           bl->name) == 0)
                                        json_array_append(v, findings);
                        }
                }
                assert_true(json_equal(got, v));
                agent_digest(v, want);
                if (as_agent)
                        assert_string_equal(bl->digest, want);
                json_decref(got);
                json_decref(v);
                free(t);
        }
        assert_int_equal(
            gzip_decompress(in.envelope, in.envelope_len, 1 << 20, &env_text, &env_len), 0);
        env = json_loadb(env_text, env_len, 0, NULL);
        assert_non_null(env);
        assert_int_equal(json_object_size(json_object_get(env, "facts")), 0);
        assert_int_equal(json_array_size(json_object_get(env, "findings")), 0);
        json_object_set_new(report, "facts", json_object());
        json_object_set_new(report, "findings", json_array());
        assert_true(json_equal(env, report));
        json_decref(env);
        free(env_text);
        json_decref(report);
        json_decref(loaded);
        free(dumped);
        intake_free(&in);
}

static void test_intake_cuts_a_report_into_blocks(void **state)
{
        (void)state;
        check_blocks(
            "{\"schema\":\"hygie.report/1\","
            "\"report_id\":\"5d6fe9ca-cd36-436f-a82a-7a5f54ea9fd3\",\"seq\":1,"
            "\"agent\":{\"id\":\"26c53637-b96c-4e24-80ac-27e127e31afa\",\"hostname\":\"p\"},"
            "\"collected_at\":\"2026-11-22T10:00:00Z\",\"policy\":{\"id\":\"x\"},"
            "\"facts\":{\"os\":{\"name\":\"D\\u00e9bian\",\"v\":[1,2.5,null]},"
            "\"patch\":{}},"
            "\"findings\":[{\"check\":\"a.b\",\"status\":\"fail\",\"severity\":\"high\","
            "\"subject\":\"x\",\"summary\":\"s\",\"evidence\":{\"n\":1}},"
            "{\"check\":\"c.d\",\"status\":\"pass\",\"severity\":\"low\",\"summary\":\"t\"},"
            "{\"check\":\"a.b\",\"status\":\"warn\",\"severity\":\"high\","
            "\"subject\":\"y\",\"summary\":\"u\"}]}",
            true);
        /* Blanks anywhere, findings before facts. */
        check_blocks(
            "{ \"schema\" : \"hygie.report/1\" ,\n"
            " \"report_id\":\"5d6fe9ca-cd36-436f-a82a-7a5f54ea9fd3\",\"seq\":1,\n"
            " \"findings\" : [ {\"check\":\"a.b\",\"status\":\"fail\",\"severity\":\"high\","
            "\"summary\":\"s\"} ,\n {\"check\":\"c.d\",\"status\":\"pass\","
            "\"severity\":\"low\",\"summary\":\"t\"} ] ,\n"
            " \"agent\":{\"id\":\"26c53637-b96c-4e24-80ac-27e127e31afa\",\"hostname\":\"p\"},"
            " \"collected_at\":\"2026-11-22T10:00:00Z\",\n"
            " \"facts\" : {\n \"os\" :\t{ \"a\" : [ 1 , 2 ] } ,\n \"hardware\" : { }\n }\n}\n",
            false);
}

/* A report with an "unchanged" member: u is its JSON. */
static int parse_unchanged(const char *u, struct intake *in, struct error *e)
{
        char text[1024];

        snprintf(text, sizeof(text),
                 "{\"schema\":\"hygie.report/1\","
                 "\"report_id\":\"5d6fe9ca-cd36-436f-a82a-7a5f54ea9fd3\",\"seq\":1,"
                 "\"agent\":{\"id\":\"26c53637-b96c-4e24-80ac-27e127e31afa\",\"hostname\":\"p\"},"
                 "\"collected_at\":\"2026-11-22T10:00:00Z\",\"facts\":{},\"unchanged\":%s,"
                 "\"findings\":[{\"check\":\"a.b\",\"status\":\"fail\",\"severity\":\"high\","
                 "\"summary\":\"s\"}]}",
                 u);
        return intake_parse(in, text, strlen(text), e);
}

static void test_intake_takes_blocks_sent_before(void **state)
{
        struct intake in;
        struct error e;
        char *env = NULL;
        size_t len;

        (void)state;
        assert_int_equal(parse_unchanged("{\"os\":\"0123456789abcdef\","
                                         "\"a.b\":\"ffffffffffffffff\"}",
                                         &in, &e),
                         0);
        assert_int_equal(in.nunchanged, 2);
        /* In order of name. */
        assert_string_equal(in.unchanged[0].name, "a.b");
        assert_string_equal(in.unchanged[0].digest, "ffffffffffffffff");
        assert_string_equal(in.unchanged[1].name, "os");
        assert_string_equal(in.unchanged[1].digest, "0123456789abcdef");
        /* The envelope keeps none of it: the blocks do. */
        assert_int_equal(gzip_decompress(in.envelope, in.envelope_len, 4096, &env, &len), 0);
        assert_non_null(strstr(env, "\"unchanged\":{},"));
        free(env);
        intake_free(&in);
        assert_int_equal(parse_unchanged("{\"os\":\"0123\"}", &in, &e), -EINVAL);
        assert_string_equal(e.msg, "unchanged: a digest is not 16 hexadecimal digits");
        intake_free(&in);
        assert_int_equal(parse_unchanged("{\"os\":\"0123456789ABCDEF\"}", &in, &e), -EINVAL);
        intake_free(&in);
        assert_int_equal(parse_unchanged("{\"a.b.c\":\"0123456789abcdef\"}", &in, &e), -EINVAL);
        assert_string_equal(e.msg, "unchanged: a name is neither a family nor a check id");
        intake_free(&in);
        assert_int_equal(parse_unchanged("[]", &in, &e), -EINVAL);
        assert_string_equal(e.msg, "unchanged: not an object");
        intake_free(&in);
}

/* A \u escape of half a UTF-16 pair: yajl reads it as '?', jansson
 * refuses the report; so is it refused here. */
static void test_intake_refuses_lone_surrogates(void **state)
{
        struct error e;

        (void)state;
        assert_int_equal(parse("{\"os\":{\"a\":\"x\\ud83d\\ude00y\"}}", &e), 0);
        assert_int_equal(parse("{\"os\":{\"a\":\"\\\\ud800\"}}", &e), 0);
        assert_int_equal(parse("{\"os\":{\"a\":\"\\\"\\\\\\ud83d\\udE00\"}}", &e), 0);
        assert_int_equal(parse("{\"os\":{\"a\":\"x\\ud800y\"}}", &e), -EINVAL);
        assert_non_null(strstr(e.msg, "half of a UTF-16 pair alone"));
        assert_int_equal(parse("{\"os\":{\"a\":\"\\udc00\"}}", &e), -EINVAL);
        assert_int_equal(parse("{\"os\":{\"a\":\"\\ud800\\u0041\"}}", &e), -EINVAL);
        assert_int_equal(parse("{\"os\":{\"\\udbff\":1}}", &e), -EINVAL);
        assert_int_equal(parse("{\"os\":{\"a\":\"\\ud800\"}}", &e), -EINVAL);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_intake_plain_report_passes),
                cmocka_unit_test(test_intake_takes_a_findings_french_summary),
                cmocka_unit_test(test_intake_reads_what_the_machine_list_shows),
                cmocka_unit_test(test_intake_refuses_what_jansson_cannot_read),
                cmocka_unit_test(test_intake_refuses_bytes_after_the_document),
                cmocka_unit_test(test_intake_bounds_nesting),
                cmocka_unit_test(test_intake_bounds_each_family),
                cmocka_unit_test(test_intake_bounds_families_and_their_names),
                cmocka_unit_test(test_intake_bounds_a_finding_and_other_members),
                cmocka_unit_test(test_intake_refuses_times_that_are_not_real),
                cmocka_unit_test(test_intake_cuts_a_report_into_blocks),
                cmocka_unit_test(test_intake_takes_blocks_sent_before),
                cmocka_unit_test(test_intake_refuses_lone_surrogates),
        };
        return cmocka_run_group_tests(tests, NULL, teardown);
}
