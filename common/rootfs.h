/* rootfs.h - reading a system through its root directory.
 *
 * Every collector reads files through a struct rootfs, so the same code
 * inspects this machine ("/"), a fixture tree or a mounted disk. Paths are
 * resolved inside the root, symbolic links included: nothing is read from
 * outside it. */
#ifndef HYGIE_ROOTFS_H
#define HYGIE_ROOTFS_H

#include <dirent.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#define ROOTFS_SECRETS 6

struct rootfs {
        int fd;              /* directory fd of the root */
        char path[PATH_MAX]; /* as the user gave it, for messages */
        bool host;           /* the root is this machine's "/" */
        struct {
                dev_t dev;
                ino_t ino;
        } secret[ROOTFS_SECRETS]; /* etc/shadow and the like, as found at init */
        size_t nsecret;
};

/* Opens path as the root. 0 or a negative errno. */
int rootfs_init(struct rootfs *r, const char *path);
void rootfs_close(struct rootfs *r);

/* Opens rel (leading '/' optional) inside the root; flags as open(2).
 * Returns an fd the caller closes, or a negative errno. */
int rootfs_open(const struct rootfs *r, const char *rel, int flags);
/* stat(2) inside the root, following links (inside the root). */
int rootfs_stat(const struct rootfs *r, const char *rel, struct stat *st);
/* lstat(2) inside the root: the final component is not followed. */
int rootfs_lstat(const struct rootfs *r, const char *rel, struct stat *st);
bool rootfs_exists(const struct rootfs *r, const char *rel);
/* Opens rel for reading only if it is a regular file: a FIFO or a device is
 * never opened (-EINVAL; -EISDIR for a directory). Nor is a file that holds
 * password hashes (etc/shadow, etc/passwd...), whatever link or name leads
 * to it (-EACCES): a sysfs attribute or etc/hostname linked to etc/shadow
 * would put hashes in the facts. Fills st; returns an fd the caller closes,
 * or a negative errno. */
int rootfs_open_file(const struct rootfs *r, const char *rel, struct stat *st);
/* rootfs_open_file for the one reader of those files, which wipes them. */
int rootfs_open_secret(const struct rootfs *r, const char *rel, struct stat *st);
/* opendir(3) inside the root; NULL with errno set on failure. */
DIR *rootfs_opendir(const struct rootfs *r, const char *rel);
/* Reads a whole file into a NUL-terminated buffer the caller frees.
 * -EFBIG when it is larger than max bytes; -EINVAL, -EISDIR when it is not
 * a regular file (see rootfs_open_file). */
int rootfs_read(const struct rootfs *r, const char *rel, size_t max, char **out, size_t *len);
/* Reads at most size - 1 bytes of a small regular file (a sysfs or procfs
 * attribute) into buf, NUL-terminated; *len (may be NULL) gets the count. */
int rootfs_read_small(const struct rootfs *r, const char *rel, char *buf, size_t size, size_t *len);
/* Reads an fd to its end, same contract as rootfs_read; closes nothing. */
int rootfs_read_fd(int fd, size_t max, char **out, size_t *len);

#endif
