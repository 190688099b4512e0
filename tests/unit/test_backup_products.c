/* test_backup_products.c - the Windows backup products table: the shipped
 * file, one entry a line, and the shapes it refuses with their line. */
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

#include "backup_products.h"
#include "paths.h"
#include "rootfs.h"

static const struct backup_product *find(const struct backup_products *t, const char *id)
{
        for (size_t i = 0; i < t->n; i++)
                if (strcmp(t->v[i].id, id) == 0)
                        return &t->v[i];
        return NULL;
}

/* Parses text, expecting -EINVAL at line with msg. */
static void refused(const char *text, unsigned line, const char *msg)
{
        struct backup_products *t = malloc(sizeof(*t));
        struct error e;

        assert_non_null(t);
        assert_int_equal(backup_products_parse(text, "t.conf", t, &e), -EINVAL);
        assert_string_equal(e.file, "t.conf");
        assert_int_equal(e.line, line);
        assert_string_equal(e.msg, msg);
        free(t);
}

static void test_backup_products_shipped_table_parses(void **state)
{
        struct backup_products *t = malloc(sizeof(*t));
        const struct backup_product *p;
        char path[4096], *text = NULL;
        struct error e;
        int fd;

        (void)state;
        fd = open(paths_data("backup-products.conf", path, sizeof(path)), O_RDONLY);
        assert_true(fd >= 0);
        assert_int_equal(rootfs_read_fd(fd, 1 << 20, &text, NULL), 0);
        close(fd);
        assert_int_equal(backup_products_parse(text, path, t, &e), 0);
        free(text);
        assert_int_equal(t->n, 10);
        p = find(t, "veeam-agent");
        assert_non_null(p);
        assert_string_equal(p->name, "Veeam Agent for Microsoft Windows");
        assert_int_equal(p->nservices, 1);
        assert_string_equal(p->services[0], "VeeamEndpointBackupSvc");
        assert_string_equal(p->paths[0], "%ProgramFiles%\\Veeam\\Endpoint Backup");
        assert_string_equal(p->keys[0], "SOFTWARE\\Veeam\\Veeam Endpoint Backup");
        p = find(t, "acronis");
        assert_non_null(p);
        assert_int_equal(p->nservices, 4);
        assert_int_equal(p->npaths, 3);
        assert_string_equal(p->paths[1], "%ProgramFiles(x86)%\\Acronis\\TrueImageHome");
        p = find(t, "easeus-todo");
        assert_non_null(p);
        assert_string_equal(p->services[0], "EaseUS Agent");
        free(t);
}

static void test_backup_products_one_entry_a_line(void **state)
{
        struct backup_products *t = malloc(sizeof(*t));
        struct error e;

        (void)state;
        assert_int_equal(backup_products_parse("; a comment\n"
                                               "[tool-2]\n"
                                               "name = Tool Two\n"
                                               "service = Tool Svc\n"
                                               "service = ToolAgent\n"
                                               "path = C:\\Tools\\Tool 2\n"
                                               "path = %SystemDrive%\\Tool\n"
                                               "registry = software\\Vendor\\Tool 2\n"
                                               "[other]\n"
                                               "name = Other\n"
                                               "registry = SOFTWARE\\Other\n",
                                               "t.conf", t, &e),
                         0);
        assert_int_equal(t->n, 2);
        assert_string_equal(t->v[0].id, "tool-2");
        assert_int_equal(t->v[0].nservices, 2);
        assert_string_equal(t->v[0].services[0], "Tool Svc");
        assert_string_equal(t->v[0].services[1], "ToolAgent");
        assert_int_equal(t->v[0].npaths, 2);
        assert_string_equal(t->v[0].paths[0], "C:\\Tools\\Tool 2");
        assert_string_equal(t->v[0].paths[1], "%SystemDrive%\\Tool");
        assert_int_equal(t->v[0].nkeys, 1);
        assert_string_equal(t->v[0].keys[0], "software\\Vendor\\Tool 2");
        assert_int_equal(t->v[1].nservices + t->v[1].npaths, 0);
        assert_int_equal(t->v[1].nkeys, 1);
        /* An empty table is a table. */
        assert_int_equal(backup_products_parse("", "t.conf", t, &e), 0);
        assert_int_equal(t->n, 0);
        free(t);
}

static void test_backup_products_refuses_paths_that_are_not_absolute(void **state)
{
        (void)state;
        refused("[a]\nname = A\npath = Program Files\\A\n", 3,
                "path: \"Program Files\\A\" is not a path X:\\... or %ProgramFiles%\\...");
        refused("[a]\nname = A\npath = %TEMP%\\A\n", 3,
                "path: \"%TEMP%\\A\" is not a path X:\\... or %ProgramFiles%\\...");
        refused("[a]\nname = A\npath = C:\\A\\..\\B\n", 3,
                "path: \"C:\\A\\..\\B\" is not a path X:\\... or %ProgramFiles%\\...");
        refused("[a]\nname = A\npath = C:/A\n", 3,
                "path: \"C:/A\" is not a path X:\\... or %ProgramFiles%\\...");
        refused("[a]\nname = A\npath = C:\\A\\\\B\n", 3,
                "path: \"C:\\A\\\\B\" is not a path X:\\... or %ProgramFiles%\\...");
        refused("[a]\nname = A\npath = C:\\A\\\n", 3,
                "path: \"C:\\A\\\" is not a path X:\\... or %ProgramFiles%\\...");
        refused("[a]\nname = A\npath = %ProgramFiles%\\%X%\n", 3,
                "path: \"%ProgramFiles%\\%X%\" is not a path X:\\... or %ProgramFiles%\\...");
        refused("[a]\nname = A\npath = C:\\\n", 3,
                "path: \"C:\\\" is not a path X:\\... or %ProgramFiles%\\...");
}

static void test_backup_products_refuses_bad_ids_keys_and_services(void **state)
{
        (void)state;
        refused("[Veeam]\nname = V\nservice = S\n", 2,
                "[Veeam]: a product id has 1 to 31 characters a-z, 0-9 or -");
        refused("[a]\nname = A\nservice = S\n[b]\nname = B\ncolour = red\n", 6,
                "unknown key \"colour\" (name, service, path, registry)");
        refused("[a]\nname = A\nservice = S\n[b]\nname = B\nservice = T\n[a]\nname = C\n", 8,
                "[a]: declared twice");
        refused("[a]\nname = A\nregistry = SYSTEM\\CurrentControlSet\n", 3,
                "registry: \"SYSTEM\\CurrentControlSet\" is not a key SOFTWARE\\...");
        refused("[a]\nname = A\nregistry = SOFTWARE\\\n", 3,
                "registry: \"SOFTWARE\\\" is not a key SOFTWARE\\...");
        refused("[a]\nname = A\nservice = x\\y\n", 3, "service: \"x\\y\" is not a service name");
        refused("[a]\nname = A\nname = B\nservice = S\n", 3, "name: given twice");
        refused("[a]\nservice = S\n", 0, "[a]: no name");
        refused("[a]\nname = A\n", 0, "[a]: nothing to recognise it by");
        refused("not ini\n", 1, "not an INI line");
}

static void test_backup_products_bounds_every_list(void **state)
{
        char text[8192];
        size_t n;

        (void)state;
        n = (size_t)snprintf(text, sizeof(text), "[a]\nname = A\n");
        for (int i = 0; i < 9; i++)
                n += (size_t)snprintf(text + n, sizeof(text) - n, "service = s%d\n", i);
        refused(text, 11, "service: more than 8 entries");
        snprintf(text, sizeof(text), "[a]\nname = A\nservice = %0100d\n", 7);
        refused(text, 3,
                "service: longer than 63 bytes: "
                "\"000000000000000000000000000000000000000000000000000000000000000000000000000000"
                "0000000000000000000007\"");
        n = 0;
        for (int i = 0; i < 65; i++)
                n += (size_t)snprintf(text + n, sizeof(text) - n, "[p%d]\nname = P\nservice = S\n",
                                      i);
        refused(text, 194, "more than 64 products");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_backup_products_shipped_table_parses),
                cmocka_unit_test(test_backup_products_one_entry_a_line),
                cmocka_unit_test(test_backup_products_refuses_paths_that_are_not_absolute),
                cmocka_unit_test(test_backup_products_refuses_bad_ids_keys_and_services),
                cmocka_unit_test(test_backup_products_bounds_every_list),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
