/* test_debctrl.c - deb822 stanzas read in place. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "debctrl.h"

static void test_debctrl_fields_and_continuations(void **state)
{
        static const char t[] = "Package: a\nDescription: x\n long\n .\nVersion:  1.0 \n\n"
                                "Package: b\n";
        struct debctrl d;
        struct debctrl_field f;

        (void)state;
        debctrl_init(&d, t, strlen(t), 1);
        assert_true(debctrl_next_stanza(&d));
        assert_int_equal(debctrl_field(&d, &f), 1);
        assert_true(debctrl_is(&f, "package"));
        assert_int_equal(f.vlen, 1);
        assert_memory_equal(f.val, "a", 1);
        assert_int_equal(debctrl_field(&d, &f), 1);
        assert_true(debctrl_is(&f, "Description"));
        assert_int_equal(debctrl_field(&d, &f), 1);
        assert_true(debctrl_is(&f, "Version"));
        assert_int_equal(f.vlen, 3);
        assert_int_equal(f.line, 5);
        assert_int_equal(debctrl_field(&d, &f), 0);
        assert_true(debctrl_next_stanza(&d));
        assert_int_equal(d.line, 7);
        assert_int_equal(debctrl_field(&d, &f), 1);
        assert_int_equal(debctrl_field(&d, &f), 0);
        assert_false(debctrl_next_stanza(&d));
}

static void test_debctrl_bad_line_names_its_line(void **state)
{
        static const char t[] = "Package: a\nVersion: 1\n\nPackage: b\ngarbage here\n";
        struct debctrl d;
        struct debctrl_field f;

        (void)state;
        debctrl_init(&d, t, strlen(t), 1);
        assert_true(debctrl_next_stanza(&d));
        while (debctrl_field(&d, &f) > 0)
                ;
        assert_true(debctrl_next_stanza(&d));
        assert_int_equal(debctrl_field(&d, &f), 1);
        assert_int_equal(debctrl_field(&d, &f), -EINVAL);
        assert_int_equal(d.line, 5);
}

static void test_debctrl_continuation_first_is_error(void **state)
{
        static const char t[] = " continued\n";
        struct debctrl d;
        struct debctrl_field f;

        (void)state;
        debctrl_init(&d, t, strlen(t), 1);
        assert_true(debctrl_next_stanza(&d));
        assert_int_equal(debctrl_field(&d, &f), -EINVAL);
}

static void test_debctrl_skip_counts_lines(void **state)
{
        static const char t[] = "Package: a\nX: 1\n y\n\n\nPackage: b\n";
        struct debctrl d;
        struct debctrl_field f;

        (void)state;
        debctrl_init(&d, t, strlen(t), 10);
        assert_true(debctrl_next_stanza(&d));
        assert_int_equal(debctrl_field(&d, &f), 1);
        debctrl_skip(&d);
        assert_int_equal(d.line, 14);
        assert_true(debctrl_next_stanza(&d));
        assert_int_equal(d.line, 15);
}

/* Long and short stanzas, blank lines at every offset: skipping must land
 * on the same line as reading line by line. */
static void test_debctrl_skip_matches_naive_count(void **state)
{
        char *buf = malloc(1 << 20);
        size_t len = 0;
        unsigned seed = 7;

        (void)state;
        while (len < (1u << 20) - 10000) {
                len += (size_t)sprintf(buf + len, "Package: p%zu\n", len);
                seed = seed * 1103515245u + 12345u;
                unsigned lines = seed % 300;
                for (unsigned i = 0; i < lines; i++) {
                        seed = seed * 1103515245u + 12345u;
                        unsigned w = seed % 40;
                        buf[len++] = i ? ' ' : 'X';
                        if (!i)
                                buf[len++] = ':';
                        for (unsigned j = 0; j < w; j++)
                                buf[len++] = (char)('a' + j % 26);
                        buf[len++] = '\n';
                }
                buf[len++] = '\n';
        }
        struct debctrl d;
        struct debctrl_field f;
        debctrl_init(&d, buf, len, 1);
        while (debctrl_next_stanza(&d)) {
                assert_int_equal(debctrl_field(&d, &f), 1);
                debctrl_skip(&d);
                unsigned want = 1;
                for (const char *q = buf; q < d.p; q++)
                        want += *q == '\n';
                assert_int_equal(d.line, want);
                assert_true(d.p == buf + len || d.p[-1] == '\n');
                assert_true(d.p == buf + len || d.p[-2] == '\n');
        }
        free(buf);
}

static void test_debctrl_complete_stops_at_last_blank_line(void **state)
{
        static const char t[] = "A: 1\n\nB: 2\n\nC: 3\nD: 4";

        (void)state;
        assert_int_equal(debctrl_complete(t, strlen(t)), 12);
        assert_int_equal(debctrl_complete("A: 1\nB: 2\n", 10), 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_debctrl_fields_and_continuations),
                cmocka_unit_test(test_debctrl_bad_line_names_its_line),
                cmocka_unit_test(test_debctrl_continuation_first_is_error),
                cmocka_unit_test(test_debctrl_skip_counts_lines),
                cmocka_unit_test(test_debctrl_skip_matches_naive_count),
                cmocka_unit_test(test_debctrl_complete_stops_at_last_blank_line),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
