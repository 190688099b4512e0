/* test_log.c - a logged value can neither end its line nor forge a field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"

/* What log_info(fmt, value) writes. */
static char out[4096];

static const char *logged(const char *fmt, const char *value)
{
        FILE *f = tmpfile();
        int saved = dup(2);
        size_t n;

        assert_non_null(f);
        fflush(stderr);
        dup2(fileno(f), 2);
        log_set_level(LOG_LEVEL_INFO);
        log_info(fmt, value);
        fflush(stderr);
        dup2(saved, 2);
        close(saved);
        rewind(f);
        n = fread(out, 1, sizeof(out) - 1, f);
        out[n] = '\0';
        fclose(f);
        return out;
}

static void test_log_newline_in_a_value_stays_on_its_line(void **state)
{
        (void)state;
        assert_string_equal(
            logged("msg=\"agent enrolled\" hostname=\"%s\"", "pc\nlevel=error msg=\"forged\""),
            "level=info msg=\"agent enrolled\" hostname=\"pc\\nlevel=error msg=\\\"forged\\\"\"\n");
}

static void test_log_bare_value_with_blanks_is_quoted(void **state)
{
        (void)state;
        assert_string_equal(logged("msg=x peer=%s", "1.2.3.4 level=error"),
                            "level=info msg=x peer=\"1.2.3.4 level=error\"\n");
        assert_string_equal(logged("msg=x peer=%s", "1.2.3.4"), "level=info msg=x peer=1.2.3.4\n");
        assert_string_equal(logged("msg=x peer=%s", ""), "level=info msg=x peer=\"\"\n");
}

static void test_log_control_and_invalid_bytes_are_escaped(void **state)
{
        (void)state;
        assert_string_equal(logged("msg=\"%s\"", "a\rb\x1b[31m\xff\tc\\"),
                            "level=info msg=\"a\\x0db\\x1b[31m\\xff\\tc\\\\\"\n");
        /* Well-formed UTF-8 goes through as it is. */
        assert_string_equal(logged("msg=\"%s\"", "\xc3\xa9t\xc3\xa9"),
                            "level=info msg=\"\xc3\xa9t\xc3\xa9\"\n");
}

static void test_log_numbers_are_formatted(void **state)
{
        FILE *f = tmpfile();
        int saved = dup(2);
        char line[256];

        (void)state;
        fflush(stderr);
        dup2(fileno(f), 2);
        log_info("msg=n a=%d b=%u c=%zu d=%lld e=%llu f=%ld g=%#x h=%.2f i=%s%%", -3, 4u, (size_t)5,
                 -6LL, 7ULL, 8L, 255u, 1.5, "x");
        fflush(stderr);
        dup2(saved, 2);
        close(saved);
        rewind(f);
        assert_non_null(fgets(line, sizeof(line), f));
        fclose(f);
        assert_string_equal(line,
                            "level=info msg=n a=-3 b=4 c=5 d=-6 e=7 f=8 g=0xff h=1.50 i=x%\n");
}

static char sunk[4096];
static enum log_level sunk_level;

static void sink(enum log_level level, const char *line)
{
        sunk_level = level;
        snprintf(sunk, sizeof(sunk), "%s", line);
}

/* A sink (the Event Log on Windows) gets the same line as stderr, without
 * its newline, with its level; and none once removed. */
static void test_log_sink_gets_each_line(void **state)
{
        (void)state;
        log_set_sink(sink);
        logged("msg=\"spooled\" family=%s", "patch");
        assert_string_equal(sunk, "level=info msg=\"spooled\" family=patch");
        assert_string_equal(out, "level=info msg=\"spooled\" family=patch\n");
        assert_int_equal(sunk_level, LOG_LEVEL_INFO);
        log_set_sink(NULL);
        sunk[0] = '\0';
        logged("msg=\"again\" x=%s", "1");
        assert_string_equal(sunk, "");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_log_newline_in_a_value_stays_on_its_line),
                cmocka_unit_test(test_log_bare_value_with_blanks_is_quoted),
                cmocka_unit_test(test_log_control_and_invalid_bytes_are_escaped),
                cmocka_unit_test(test_log_numbers_are_formatted),
                cmocka_unit_test(test_log_sink_gets_each_line),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
