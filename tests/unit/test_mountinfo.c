/* test_mountinfo.c - mountinfo parsing, escapes, and the mount of a path. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mountinfo.h"

static const char table[] =
    "22 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw,errors=remount-ro\n"
    "\n"
    "41 22 0:52 /exports /mnt/nas rw - nfs4 nas:/exports rw,vers=4.2\n"
    "42 22 8:17 / /media/USB\\040DISK rw shared:31 master:2 propagate_from:4 unbindable - "
    "exfat /dev/sdb1 rw\n"
    "43 22 0:60 / /srv/a\\134b\\011c rw - fuse.sshfs me@host:/ rw\r\n"
    "44 41 0:61 / /mnt/nas/ rw - tmpfs tmpfs rw\n"
    "45 22 8:3 / /mnt/nasty rw - ext4 /dev/sda3 rw\n";

static void test_mountinfo_reads_every_field(void **state)
{
        struct mountinfo mi;
        struct error e;

        (void)state;
        assert_int_equal(mountinfo_parse(table, "mountinfo", &mi, &e), 0);
        assert_int_equal(mi.n, 6);
        assert_int_equal(mi.v[1].id, 41);
        assert_int_equal(mi.v[1].parent, 22);
        assert_int_equal(mi.v[1].major, 0);
        assert_int_equal(mi.v[1].minor, 52);
        assert_string_equal(mi.v[1].root, "/exports");
        assert_string_equal(mi.v[1].point, "/mnt/nas");
        assert_string_equal(mi.v[1].fstype, "nfs4");
        assert_string_equal(mi.v[1].source, "nas:/exports");
        mountinfo_free(&mi);
}

static void test_mountinfo_skips_optional_fields(void **state)
{
        struct mountinfo mi;
        struct error e;

        (void)state;
        assert_int_equal(mountinfo_parse(table, "mountinfo", &mi, &e), 0);
        assert_string_equal(mi.v[2].fstype, "exfat");
        assert_string_equal(mi.v[2].source, "/dev/sdb1");
        assert_int_equal(mi.v[2].major, 8);
        assert_int_equal(mi.v[2].minor, 17);
        mountinfo_free(&mi);
}

static void test_mountinfo_unescapes_octal(void **state)
{
        struct mountinfo mi;
        struct error e;

        (void)state;
        assert_int_equal(mountinfo_parse(table, "mountinfo", &mi, &e), 0);
        assert_string_equal(mi.v[2].point, "/media/USB DISK");
        assert_string_equal(mi.v[3].point, "/srv/a\\b\tc");
        assert_string_equal(mi.v[3].source, "me@host:/");
        mountinfo_free(&mi);
        /* Not an octal escape: kept as written. */
        assert_int_equal(
            mountinfo_parse("1 0 8:1 / /a\\08x\\9 rw - ext4 /dev/x rw\n", "m", &mi, &e), 0);
        assert_string_equal(mi.v[0].point, "/a\\08x\\9");
        mountinfo_free(&mi);
}

static void test_mountinfo_bad_line_names_line(void **state)
{
        struct mountinfo mi;
        struct error e;

        (void)state;
        assert_int_equal(mountinfo_parse("1 0 8:1 / / rw - ext4 /dev/x rw\n"
                                         "2 1 8:2 / /b rw shared:1 ext4 /dev/y rw\n",
                                         "self/mountinfo", &mi, &e),
                         -EINVAL);
        assert_int_equal(e.line, 2);
        assert_string_equal(e.file, "self/mountinfo");
        mountinfo_free(&mi);
        assert_int_equal(mountinfo_parse("1 0 8x1 / / rw - ext4 /dev/x rw\n", "m", &mi, &e),
                         -EINVAL);
        assert_int_equal(e.line, 1);
        mountinfo_free(&mi);
        assert_int_equal(mountinfo_parse("1 0 8:1 / / rw -\n", "m", &mi, &e), -EINVAL);
        mountinfo_free(&mi);
        assert_int_equal(mountinfo_parse("1 0 99999999999:1 / / rw - ext4 x rw\n", "m", &mi, &e),
                         -EINVAL);
        mountinfo_free(&mi);
}

static void test_mountinfo_refuses_escaped_nul(void **state)
{
        struct mountinfo mi;
        struct error e;

        (void)state;
        assert_int_equal(mountinfo_parse("1 0 8:1 / /a\\000b rw - ext4 /dev/x rw\n", "m", &mi, &e),
                         -EINVAL);
        assert_int_equal(e.line, 1);
        mountinfo_free(&mi);
}

static void test_mountinfo_bounds_the_mount_count(void **state)
{
        static const char line[] = "1 0 8:1 / / rw - ext4 /dev/x rw\n";
        size_t n = MOUNTINFO_MAX_MOUNTS + 1, len = sizeof(line) - 1;
        char *text = malloc(n * len + 1);
        struct mountinfo mi;
        struct error e;

        (void)state;
        assert_non_null(text);
        for (size_t i = 0; i < n; i++)
                memcpy(text + i * len, line, len);
        text[n * len] = '\0';
        assert_int_equal(mountinfo_parse(text, "m", &mi, &e), -E2BIG);
        mountinfo_free(&mi);
        text[(n - 1) * len] = '\0';
        assert_int_equal(mountinfo_parse(text, "m", &mi, &e), 0);
        assert_int_equal(mi.n, MOUNTINFO_MAX_MOUNTS);
        mountinfo_free(&mi);
        free(text);
}

static void test_mountinfo_find_takes_longest_whole_prefix(void **state)
{
        struct mountinfo mi;
        struct error e;

        (void)state;
        assert_int_equal(mountinfo_parse(table, "mountinfo", &mi, &e), 0);
        assert_int_equal(mountinfo_find(&mi, "/")->id, 22);
        assert_int_equal(mountinfo_find(&mi, "/var/backups")->id, 22);
        /* 44 mounts over 41 at the same point (written with a trailing slash). */
        assert_int_equal(mountinfo_find(&mi, "/mnt/nas")->id, 44);
        assert_int_equal(mountinfo_find(&mi, "/mnt/nas/backup/x")->id, 44);
        assert_int_equal(mountinfo_find(&mi, "/mnt/nasty/b")->id, 45);
        assert_int_equal(mountinfo_find(&mi, "/mnt/na")->id, 22);
        assert_int_equal(mountinfo_find(&mi, "/media/USB DISK/backup")->id, 42);
        assert_int_equal(mountinfo_find(&mi, "/media/USB")->id, 22);
        assert_null(mountinfo_find(&mi, "relative/path"));
        mountinfo_free(&mi);
        assert_int_equal(mountinfo_parse("", "m", &mi, &e), 0);
        assert_null(mountinfo_find(&mi, "/srv"));
        mountinfo_free(&mi);
}

static void test_mountinfo_network_types(void **state)
{
        (void)state;
        assert_true(mountinfo_is_network("nfs"));
        assert_true(mountinfo_is_network("nfs4"));
        assert_true(mountinfo_is_network("cifs"));
        assert_true(mountinfo_is_network("smb3"));
        assert_true(mountinfo_is_network("fuse.sshfs"));
        assert_true(mountinfo_is_network("davfs"));
        assert_true(mountinfo_is_network("glusterfs"));
        assert_true(mountinfo_is_network("ceph"));
        assert_false(mountinfo_is_network("ext4"));
        assert_false(mountinfo_is_network("fuse"));
        assert_false(mountinfo_is_network("9p"));
        assert_false(mountinfo_is_network(""));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_mountinfo_reads_every_field),
                cmocka_unit_test(test_mountinfo_skips_optional_fields),
                cmocka_unit_test(test_mountinfo_unescapes_octal),
                cmocka_unit_test(test_mountinfo_bad_line_names_line),
                cmocka_unit_test(test_mountinfo_refuses_escaped_nul),
                cmocka_unit_test(test_mountinfo_bounds_the_mount_count),
                cmocka_unit_test(test_mountinfo_find_takes_longest_whole_prefix),
                cmocka_unit_test(test_mountinfo_network_types),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
