/* test_msgcat.c - the .mo reader the Windows agent uses, on the catalogue
 * msgfmt built from po/fr.po and on damaged ones. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "msgcat.h"
#include "paths.h"

static unsigned char *load(size_t *size)
{
        char path[4096];
        char *text = NULL;
        FILE *f;
        long n;

        snprintf(path, sizeof(path), "%s/fr/LC_MESSAGES/hygie.mo", paths_localedir());
        f = fopen(path, "rb");
        assert_non_null(f);
        assert_int_equal(fseek(f, 0, SEEK_END), 0);
        n = ftell(f);
        assert_true(n > 28);
        rewind(f);
        text = malloc((size_t)n);
        assert_non_null(text);
        assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
        fclose(f);
        *size = (size_t)n;
        return (unsigned char *)text;
}

static void test_french_catalogue(void **state)
{
        struct msgcat c;
        struct error e;
        size_t size;
        unsigned char *data = load(&size);

        (void)state;
        assert_int_equal(msgcat_load(&c, data, size, "fr.mo", &e), 0);
        assert_true(c.plural_gt1);
        assert_string_equal(msgcat_get(&c, "Operating system"), "Système d'exploitation");
        assert_null(msgcat_get(&c, "no such message in the catalogue"));
        /* French: 0 and 1 take the singular. */
        assert_string_equal(msgcat_nget(&c, "%s: security support ends on %s, in %ld day", 0),
                            "%s : le support de sécurité se termine le %s, dans %ld jour");
        assert_string_equal(msgcat_nget(&c, "%s: security support ends on %s, in %ld day", 1),
                            "%s : le support de sécurité se termine le %s, dans %ld jour");
        assert_string_equal(msgcat_nget(&c, "%s: security support ends on %s, in %ld day", 2),
                            "%s : le support de sécurité se termine le %s, dans %ld jours");
        msgcat_free(&c);
}

static void test_damaged_catalogues(void **state)
{
        struct msgcat c;
        struct error e;
        size_t size;
        unsigned char *good = load(&size);

        (void)state;
        /* Every cut short catalogue is refused or read within its bounds
         * (ASan watches); none below the header is accepted. */
        for (size_t n = 0; n < size; n += n < 64 ? 1 : 97) {
                unsigned char *copy = malloc(n ? n : 1);
                int rc;

                memcpy(copy, good, n);
                rc = msgcat_load(&c, copy, n, "cut.mo", &e);
                if (n < 28)
                        assert_int_equal(rc, -EINVAL);
                if (rc == 0) {
                        (void)msgcat_get(&c, "Operating system");
                        msgcat_free(&c);
                }
        }
        /* A wrong magic number. */
        unsigned char *bad = malloc(size);
        memcpy(bad, good, size);
        bad[0] ^= 0xff;
        assert_int_equal(msgcat_load(&c, bad, size, "magic.mo", &e), -EINVAL);
        assert_string_equal(e.msg, "not a valid message catalogue: wrong magic number");
        /* A string offset past the end. */
        bad = malloc(size);
        memcpy(bad, good, size);
        uint32_t table = (uint32_t)bad[12] | (uint32_t)bad[13] << 8 | (uint32_t)bad[14] << 16 |
                         (uint32_t)bad[15] << 24;
        memset(bad + table + 4, 0xff, 4);
        assert_int_equal(msgcat_load(&c, bad, size, "offset.mo", &e), -EINVAL);
        assert_string_equal(e.file, "offset.mo");
        free(good);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_french_catalogue),
                cmocka_unit_test(test_damaged_catalogues),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
