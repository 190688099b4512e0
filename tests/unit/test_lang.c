/* test_lang.c - the reader's language and the built-in catalogues. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lang.h"

static void test_lang_accept_takes_the_heaviest_supported(void **state)
{
        (void)state;
        assert_int_equal(lang_from_accept("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7", LANG_EN), LANG_FR);
        assert_int_equal(lang_from_accept("en-GB, fr;q=0.5", LANG_FR), LANG_EN);
        assert_int_equal(lang_from_accept("de-DE,en;q=0.3,fr;q=0.4", LANG_EN), LANG_FR);
        assert_int_equal(lang_from_accept("fr;q=0.05,en;q=0.005", LANG_EN), LANG_FR);
        assert_int_equal(lang_from_accept("FR", LANG_EN), LANG_FR);
}

static void test_lang_accept_falls_back_on_nothing_usable(void **state)
{
        (void)state;
        assert_int_equal(lang_from_accept(NULL, LANG_FR), LANG_FR);
        assert_int_equal(lang_from_accept("", LANG_EN), LANG_EN);
        assert_int_equal(lang_from_accept("de, *;q=0.1", LANG_EN), LANG_EN);
        assert_int_equal(lang_from_accept("fr;q=0", LANG_EN), LANG_EN); /* "not acceptable" */
        assert_int_equal(lang_from_accept("fre, english", LANG_FR), LANG_FR);
        assert_int_equal(lang_from_accept("fr;q=x", LANG_EN), LANG_EN);
        assert_int_equal(lang_from_accept(",,;,fr", LANG_EN), LANG_FR);
}

static void test_lang_code_takes_a_region(void **state)
{
        (void)state;
        assert_int_equal(lang_from_code("fr_FR.UTF-8"), LANG_FR);
        assert_int_equal(lang_from_code("en"), LANG_EN);
        assert_int_equal(lang_from_code("f"), -1);
        assert_int_equal(lang_from_code(NULL), -1);
        assert_string_equal(lang_code(LANG_FR), "fr");
}

static void test_lang_french_catalogue_is_built_in(void **state)
{
        struct msgcat cat;
        struct error e;

        (void)state;
        assert_int_equal(lang_load(&cat, LANG_FR, &e), 0);
        assert_string_equal(lang_tr(&cat, "Account %s can log in without a password"),
                            "Le compte %s peut se connecter sans mot de passe");
        assert_string_equal(lang_tr(&cat, "no such text"), "no such text");
        assert_string_equal(lang_tr(NULL, "Account %s can log in without a password"),
                            "Account %s can log in without a password");
        assert_string_equal(lang_trn(NULL, "%lld day", "%lld days", 2), "%lld days");
        assert_string_equal(lang_trn(&cat, "%lld day", "%lld days", 0), "%lld jour");
        assert_string_equal(lang_trn(&cat, "%lld day", "%lld days", 2), "%lld jours");
        msgcat_free(&cat);
        assert_int_equal(lang_load(&cat, LANG_EN, &e), -ENOENT);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_lang_accept_takes_the_heaviest_supported),
                cmocka_unit_test(test_lang_accept_falls_back_on_nothing_usable),
                cmocka_unit_test(test_lang_code_takes_a_region),
                cmocka_unit_test(test_lang_french_catalogue_is_built_in),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
