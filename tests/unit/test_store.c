/* test_store.c - the collector's store: establishments and tokens. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "store.h"
#include "token.h"

struct fixture {
        char dir[64];
        struct store *s;
};

/* The engine under test: SQLite, or PostgreSQL at $HYGIE_TEST_PG (a
 * throwaway database: its schema is dropped before each test). */
static const char *pg_url;

static int pg_reset(void)
{
        PGconn *c = PQconnectdb(pg_url);
        PGresult *r;
        int ok;

        if (PQstatus(c) != CONNECTION_OK) {
                fprintf(stderr, "%s", PQerrorMessage(c));
                PQfinish(c);
                return -1;
        }
        r = PQexec(c, "SET client_min_messages = warning;"
                      "DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
        PQfinish(c);
        return ok ? 0 : -1;
}

static int setup(void **state)
{
        struct fixture *f = calloc(1, sizeof(*f));
        struct establishment est = { "750712184", "EHPAD Les Tilleuls", "Île-de-France", "75" };
        struct error e;

        snprintf(f->dir, sizeof(f->dir), "/tmp/hygie-store-XXXXXX");
        if (!mkdtemp(f->dir) || (pg_url && pg_reset() < 0) ||
            store_open(pg_url, f->dir, &f->s, &e) < 0 ||
            f->s->ops->establishment_add(f->s, &est, &e) < 0) {
                fprintf(stderr, "setup: %s\n", e.msg);
                return -1;
        }
        *state = f;
        return 0;
}

static int teardown(void **state)
{
        struct fixture *f = *state;
        char cmd[128];

        f->s->ops->close(f->s);
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
        if (system(cmd) != 0)
                return -1;
        free(f);
        return 0;
}

static void test_store_duplicate_establishment_is_refused(void **state)
{
        struct fixture *f = *state;
        struct establishment est = { "750712184", "Other", "Île-de-France", "75" };
        struct error e;

        assert_int_equal(f->s->ops->establishment_add(f->s, &est, &e), -EEXIST);
        assert_string_equal(e.msg, "establishment 750712184 is already registered");
}

static void test_store_token_spends_each_use_once(void **state)
{
        struct fixture *f = *state;
        char finess[10];
        struct error e;
        time_t now = time(NULL);

        assert_int_equal(f->s->ops->token_add(f->s, "750712184", "h1", 2, now + 3600, &e), 0);
        assert_int_equal(f->s->ops->token_consume(f->s, "h1", now, finess, &e), 0);
        assert_string_equal(finess, "750712184");
        assert_int_equal(f->s->ops->token_consume(f->s, "h1", now, finess, &e), 0);
        assert_int_equal(f->s->ops->token_consume(f->s, "h1", now, finess, &e), -EDQUOT);
        assert_string_equal(e.msg, "the enrollment token has been used up");
}

static void test_store_expired_and_unknown_tokens_are_refused(void **state)
{
        struct fixture *f = *state;
        char finess[10];
        struct error e;
        time_t now = time(NULL);

        assert_int_equal(f->s->ops->token_add(f->s, "750712184", "h2", 5, now, &e), 0);
        assert_int_equal(f->s->ops->token_consume(f->s, "h2", now, finess, &e), -EKEYEXPIRED);
        assert_string_equal(e.msg, "the enrollment token has expired");
        assert_int_equal(f->s->ops->token_consume(f->s, "nope", now, finess, &e), -ENOENT);
        assert_string_equal(e.msg, "unknown enrollment token");
        assert_int_equal(f->s->ops->token_add(f->s, "690781810", "h3", 1, now + 60, &e), -ENOENT);
}

static void test_store_api_token_is_found_by_hash_only(void **state)
{
        struct fixture *f = *state;
        char token[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1], other[TOKEN_HASH_LEN + 1];
        struct error e;

        assert_int_equal(token_new("hya_", token, sizeof(token)), 0);
        assert_int_equal(token_hash(token, hash, sizeof(hash)), 0);
        assert_int_equal(f->s->ops->api_token_add(f->s, hash, &e), 0);
        assert_int_equal(f->s->ops->api_token_check(f->s, hash, &e), 0);
        token[10] = token[10] == 'A' ? 'B' : 'A';
        assert_int_equal(token_hash(token, other, sizeof(other)), 0);
        assert_int_equal(f->s->ops->api_token_check(f->s, other, &e), -ENOENT);
}

static void test_store_agent_revocation_is_kept(void **state)
{
        struct fixture *f = *state;
        struct agent a = { .id = "3f0c9a4e-1b2d-4c5e-8f90-a1b2c3d4e5f6",
                           .finess = "750712184",
                           .hostname = "poste-accueil",
                           .enrolled_at = 1700000000 },
                     got;
        struct error e;

        assert_int_equal(f->s->ops->agent_add(f->s, &a, &e), 0);
        assert_int_equal(f->s->ops->agent_add(f->s, &a, &e), -EEXIST);
        assert_int_equal(f->s->ops->agent_get(f->s, a.id, &got, &e), 0);
        assert_string_equal(got.finess, "750712184");
        assert_string_equal(got.hostname, "poste-accueil");
        assert_int_equal(got.enrolled_at, 1700000000);
        assert_int_equal(got.revoked_at, 0);
        assert_int_equal(f->s->ops->agent_revoke(f->s, a.id, 1800000000, &e), 0);
        assert_int_equal(f->s->ops->agent_revoke(f->s, a.id, 1900000000, &e), 0);
        assert_int_equal(f->s->ops->agent_get(f->s, a.id, &got, &e), 0);
        assert_int_equal(got.revoked_at, 1800000000);
        assert_int_equal(f->s->ops->agent_revoke(f->s, "nope", 1, &e), -ENOENT);
        assert_string_equal(e.msg, "no agent nope");
        strcpy(a.id, "other");
        strcpy(a.finess, "690781810");
        assert_int_not_equal(f->s->ops->agent_add(f->s, &a, &e), 0);
}

static void test_token_shape_and_durations(void **state)
{
        char a[TOKEN_LEN + 1], b[TOKEN_LEN + 1];
        long long secs;

        (void)state;
        assert_int_equal(token_new("hye_", a, sizeof(a)), 0);
        assert_int_equal(token_new("hye_", b, sizeof(b)), 0);
        assert_int_equal(strlen(a), TOKEN_LEN);
        assert_memory_equal(a, "hye_", 4);
        assert_int_equal(strspn(a + 4, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                       "0123456789-_"),
                         43);
        assert_string_not_equal(a, b);
        assert_int_equal(token_parse_duration("7d", &secs), 0);
        assert_int_equal(secs, 7 * 86400);
        assert_int_equal(token_parse_duration("12h", &secs), 0);
        assert_int_equal(secs, 12 * 3600);
        assert_int_equal(token_parse_duration("2w", &secs), 0);
        assert_int_equal(secs, 14 * 86400);
        assert_int_equal(token_parse_duration("7", &secs), -EINVAL);
        assert_int_equal(token_parse_duration("0d", &secs), -EINVAL);
        assert_int_equal(token_parse_duration("7dd", &secs), -EINVAL);
        assert_int_equal(token_parse_duration("99999w", &secs), -EINVAL);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_store_duplicate_establishment_is_refused,
                                                setup, teardown),
                cmocka_unit_test_setup_teardown(test_store_token_spends_each_use_once, setup,
                                                teardown),
                cmocka_unit_test_setup_teardown(test_store_expired_and_unknown_tokens_are_refused,
                                                setup, teardown),
                cmocka_unit_test_setup_teardown(test_store_api_token_is_found_by_hash_only, setup,
                                                teardown),
                cmocka_unit_test_setup_teardown(test_store_agent_revocation_is_kept, setup,
                                                teardown),
                cmocka_unit_test(test_token_shape_and_durations),
        };
        int failed;

        pg_url = getenv("HYGIE_TEST_PG");
        if (pg_url && !*pg_url)
                pg_url = NULL;
        failed = pg_url ? cmocka_run_group_tests_name("store on PostgreSQL", tests, NULL, NULL)
                        : cmocka_run_group_tests_name("store on SQLite", tests, NULL, NULL);
        return failed;
}
