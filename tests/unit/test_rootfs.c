/* test_rootfs.c - confined opens: links stay inside the root, and only
 * regular files are opened for reading. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cmocka.h>

#include "rootfs.h"

static void path_in(char *buf, size_t size, const char *dir, const char *rel)
{
        snprintf(buf, size, "%s/%s", dir, rel);
}

static void test_only_regular_files_are_opened(void **state)
{
        char dir[] = "/tmp/hygie-rootfs-XXXXXX", path[256], *text = NULL;
        struct rootfs root;
        struct stat st;
        size_t len;
        int fd;

        (void)state;
        assert_non_null(mkdtemp(dir));
        path_in(path, sizeof(path), dir, "etc");
        assert_int_equal(mkdir(path, 0755), 0);
        path_in(path, sizeof(path), dir, "etc/hostname");
        fd = open(path, O_WRONLY | O_CREAT, 0644);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, "pc1\n", 4), 4);
        close(fd);
        path_in(path, sizeof(path), dir, "etc/fifo");
        assert_int_equal(mkfifo(path, 0644), 0);
        /* An absolute link resolves inside the root. */
        path_in(path, sizeof(path), dir, "etc/link");
        assert_int_equal(symlink("/etc/hostname", path), 0);
        path_in(path, sizeof(path), dir, "etc/null");
        bool have_dev = mknod(path, S_IFCHR | 0666, makedev(1, 3)) == 0;

        assert_int_equal(rootfs_init(&root, dir), 0);
        fd = rootfs_open_file(&root, "etc/link", &st);
        assert_true(fd >= 0);
        assert_int_equal(st.st_size, 4);
        close(fd);
        assert_int_equal(rootfs_open_file(&root, "etc/fifo", &st), -EINVAL);
        assert_int_equal(rootfs_open_file(&root, "etc", &st), -EISDIR);
        assert_int_equal(rootfs_open_file(&root, "etc/none", &st), -ENOENT);
        if (have_dev)
                assert_int_equal(rootfs_open_file(&root, "etc/null", &st), -EINVAL);
        assert_int_equal(rootfs_read(&root, "etc/fifo", 4096, &text, &len), -EINVAL);
        assert_int_equal(rootfs_read(&root, "/etc/link", 4096, &text, &len), 0);
        assert_string_equal(text, "pc1\n");
        free(text);
        rootfs_close(&root);

        char cmd[300];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        assert_int_equal(system(cmd), 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_only_regular_files_are_opened),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
