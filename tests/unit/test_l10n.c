/* test_l10n.c - the collector's answers in the reader's language: what the
 * agent sent in French first, then the collector's own texts read back and
 * written in French, then a whole-text lookup, else the English as it is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "l10n.h"

static struct msgcat fr;

static int setup(void **state)
{
        struct error e;

        (void)state;
        return lang_load(&fr, LANG_FR, &e);
}

static int teardown(void **state)
{
        (void)state;
        msgcat_free(&fr);
        return 0;
}

static const char *summary(const char *check, const char *text, const char *text_fr)
{
        static char buf[1024];

        return l10n_summary(&fr, check, text, text_fr, buf, sizeof(buf));
}

static void test_l10n_agent_french_text_comes_first(void **state)
{
        (void)state;
        assert_string_equal(summary("password.empty", "Account bob can log in without a password",
                                    "Le compte bob peut se connecter sans mot de passe"),
                            "Le compte bob peut se connecter sans mot de passe");
        /* English readers get the English. */
        assert_string_equal(
            l10n_summary(NULL, "password.empty", "Account bob", "Le compte bob", NULL, 0),
            "Account bob");
}

static void test_l10n_collector_texts_are_read_back(void **state)
{
        (void)state;
        assert_string_equal(
            summary("agent.silent", "no report for 26 h (expected every 60 min)", NULL),
            "aucun rapport depuis 26 h (attendu toutes les 60 min)");
        assert_string_equal(summary("establishment.crisis_exercise",
                                    "no cyber-crisis exercise recorded in the past 12 months", ""),
                            "aucun exercice de crise cyber enregistré depuis 12 mois");
        assert_string_equal(summary("backup.restore_tested",
                                    "no successful restore test of backup job dossiers de soins "
                                    "recorded in the past 12 months",
                                    NULL),
                            "aucun test de restauration réussi de la sauvegarde « dossiers de "
                            "soins » enregistré depuis 12 mois");
        assert_string_equal(summary("agent.duplicate",
                                    "this agent's certificate reports from another machine "
                                    "(0123456789ab) as \"poste-2\": a cloned disk; re-enroll the "
                                    "copy",
                                    NULL),
                            "le certificat de cet agent rend compte depuis une autre machine "
                            "(0123456789ab) sous le nom « poste-2 » : un disque cloné ; "
                            "inscrivez la copie à nouveau");
}

static void test_l10n_text_that_does_not_match_stays(void **state)
{
        (void)state;
        /* A number where the format has one, nothing after the end. */
        assert_string_equal(
            summary("agent.silent", "no report for many h (expected every 60 min)", NULL),
            "no report for many h (expected every 60 min)");
        assert_string_equal(
            summary("agent.silent", "no report for 2 h (expected every 60 min) and more", NULL),
            "no report for 2 h (expected every 60 min) and more");
        assert_string_equal(summary("agent.silent", "", NULL), "");
        /* An agent's check the catalogue knows whole. */
        assert_string_equal(summary("x.y", "no such establishment", NULL),
                            "établissement introuvable");
}

static void test_l10n_findings_take_their_french_texts(void **state)
{
        json_t *f =
            json_pack("[{s:s, s:s, s:s, s:{s:{s:s, s:s}}}, {s:s, s:s}]", "check",
                      "antivirus.present", "summary", "No antivirus", "remediation", "Install one",
                      "texts", "fr", "summary", "Aucun antivirus", "remediation", "Installez-en un",
                      "check", "os.supported", "summary", "no such machine");

        (void)state;
        l10n_findings(f, &fr);
        assert_string_equal(json_string_value(json_object_get(json_array_get(f, 0), "summary")),
                            "Aucun antivirus");
        assert_string_equal(json_string_value(json_object_get(json_array_get(f, 0), "remediation")),
                            "Installez-en un");
        assert_null(json_object_get(json_array_get(f, 0), "texts"));
        assert_string_equal(json_string_value(json_object_get(json_array_get(f, 1), "summary")),
                            "poste introuvable");
        json_decref(f);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_l10n_agent_french_text_comes_first),
                cmocka_unit_test(test_l10n_collector_texts_are_read_back),
                cmocka_unit_test(test_l10n_text_that_does_not_match_stays),
                cmocka_unit_test(test_l10n_findings_take_their_french_texts),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
