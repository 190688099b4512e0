/* test_rootfs.c - confined opens: links stay inside the root, and only
 * regular files are opened for reading. */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
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

/* What systemd's RestrictSUIDSGID= does to openat2: ENOSYS. */
static int refuse_openat2(void)
{
        struct sock_filter filter[] = {
                BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat2, 0, 1),
                BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
                BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        };
        struct sock_fprog prog = { .len = sizeof(filter) / sizeof(filter[0]), .filter = filter };

        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
            prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
                return -errno;
        return 0;
}

/* In a child that cannot use openat2: 0 when "/" is still read and another
 * root is refused, else which step failed. */
static int without_openat2(const char *other)
{
        struct rootfs host, root;
        char buf[64];

        if (refuse_openat2() < 0)
                return 10;
        if (rootfs_init(&host, "/") < 0 || !host.host)
                return 11;
        if (rootfs_read_small(&host, "proc/self/stat", buf, sizeof(buf), NULL) < 0)
                return 12;
        if (rootfs_init(&root, other) < 0)
                return 13;
        if (rootfs_open(&root, "etc", O_RDONLY | O_DIRECTORY) != -ENOSYS)
                return 14;
        return 0;
}

static void test_host_root_is_read_where_openat2_is_refused(void **state)
{
        char dir[] = "/tmp/hygie-rootfs-XXXXXX", path[256];
        int status;
        pid_t pid;

        (void)state;
        assert_non_null(mkdtemp(dir));
        path_in(path, sizeof(path), dir, "etc");
        assert_int_equal(mkdir(path, 0755), 0);
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
                _exit(without_openat2(dir));
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
        assert_int_equal(rmdir(path), 0);
        assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_only_regular_files_are_opened),
                cmocka_unit_test(test_host_root_is_read_where_openat2_is_refused),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
