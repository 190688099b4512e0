/* backup_place.c - which mount, device and disk hold a path of the root.
 *
 * The mount table comes from the root's proc/self/mountinfo (this machine's
 * own on the host; a fixture or a copied system may provide one), so that a
 * root copied onto one real device can still describe NFS or USB layouts.
 * Without it, stat(2) gives the device and statfs(2) the filesystem type.
 * sysfs (sys/dev/block/MAJ:MIN) names the disk and says whether it is
 * removable or on USB; device-mapper devices are followed to their slaves. */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "backup_place.h"
#include "collector.h"

#define SLAVE_DEPTH 3

struct block {
        char disk[64];
        bool known, usb, removable, removable_known;
};

void places_init(struct places *p, const struct rootfs *root, json_t *facts)
{
        static const char file[] = "proc/self/mountinfo";
        char *text = NULL;
        struct error e;
        int rc;

        struct statfs sf;
        struct stat st;
        int fd;

        memset(p, 0, sizeof(*p));
        p->root = root;
        fd = rootfs_open_file(root, file, &st);
        if (fd == -ENOENT || fd == -ENOTDIR)
                return;
        /* A live procfs under another root describes this process, whose
         * mount points are not the root's: stat(2) is closer to the truth. */
        if (fd >= 0 && !root->host && fstatfs(fd, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC) {
                close(fd);
                return;
        }
        rc = fd < 0 ? fd : rootfs_read_fd(fd, MOUNTINFO_MAX_TEXT, &text, NULL);
        if (fd >= 0)
                close(fd);
        if (rc < 0) {
                facts_add_error(facts, "mountinfo", file, 0, "cannot read: %s", strerror(-rc));
                return;
        }
        rc = mountinfo_parse(text, file, &p->mi, &e);
        free(text);
        if (rc == -EINVAL)
                facts_add_error(facts, "mountinfo", file, e.line, "%s", e.msg);
        else if (rc < 0)
                facts_add_error(facts, "mountinfo", file, 0, "cannot parse: %s", strerror(-rc));
        if (rc < 0)
                mountinfo_free(&p->mi);
        else
                p->have_mi = true;
}

void places_free(struct places *p)
{
        mountinfo_free(&p->mi);
}

static int fd_path(int fd, char *buf, size_t size)
{
        char link[64];
        ssize_t n;

        snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
        n = readlink(link, buf, size - 1);
        if (n < 0)
                return -errno;
        if ((size_t)n == size - 1)
                return -ENAMETOOLONG;
        buf[n] = '\0';
        return buf[0] == '/' ? 0 : -EINVAL;
}

const char *places_resolve(const struct places *p, const char *rel, char *buf, size_t size)
{
        char top[PATH_MAX], full[PATH_MAX];
        int fd = rootfs_open(p->root, rel, O_PATH);
        size_t n;

        snprintf(buf, size, "/%s", rel + (rel[0] == '/'));
        if (fd < 0)
                return buf;
        /* Our own process's view of the two open files, not the root's state. */
        if (fd_path(fd, full, sizeof(full)) == 0 && fd_path(p->root->fd, top, sizeof(top)) == 0) {
                n = strcmp(top, "/") == 0 ? 0 : strlen(top);
                if (strncmp(full, top, n) == 0 && (full[n] == '/' || full[n] == '\0'))
                        snprintf(buf, size, "%s", full[n] ? full + n : "/");
        }
        close(fd);
        return buf;
}

static const char *magic_name(unsigned long magic, int *network)
{
        static const struct {
                unsigned long magic;
                const char *name;
                int network; /* -1: cannot tell (fuse may be sshfs) */
        } names[] = {
                { EXT4_SUPER_MAGIC, "ext4", false },
                { BTRFS_SUPER_MAGIC, "btrfs", false },
                { XFS_SUPER_MAGIC, "xfs", false },
                { TMPFS_MAGIC, "tmpfs", false },
                { OVERLAYFS_SUPER_MAGIC, "overlay", false },
                { MSDOS_SUPER_MAGIC, "vfat", false },
                { 0x2011bab0UL, "exfat", false },
                { 0x5346544eUL, "ntfs", false },
                { 0x65735546UL, "fuse", -1 },
                { NFS_SUPER_MAGIC, "nfs", true },
                { SMB_SUPER_MAGIC, "smbfs", true },
                { 0xff534d42UL, "cifs", true },
                { 0xfe534d42UL, "smb3", true },
                { 0x00c36400UL, "ceph", true },
                { AFS_SUPER_MAGIC, "afs", true },
        };

        *network = -1;
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
                if (names[i].magic == magic) {
                        *network = names[i].network;
                        return names[i].name;
                }
        return NULL;
}

static bool read_flag(const struct rootfs *root, const char *rel, bool *value)
{
        char buf[8];
        struct stat st;
        int fd = rootfs_open_file(root, rel, &st);
        ssize_t n;

        if (fd < 0)
                return false;
        n = read(fd, buf, sizeof(buf));
        close(fd);
        if (n <= 0)
                return false;
        *value = buf[0] == '1';
        return true;
}

/* base: "sys/dev/block/8:17" or "sys/class/block/sdb1", a link to the
 * device's directory under sys/devices. */
static void block_info(const struct rootfs *root, const char *base, int depth, struct block *b)
{
        char dir[PATH_MAX], link[PATH_MAX], rel[PATH_MAX], *slash, *name;
        bool partition;
        struct dirent *e;
        ssize_t n;
        DIR *d;
        int dfd;

        snprintf(dir, sizeof(dir), "%s", base);
        slash = strrchr(dir, '/');
        if (!slash)
                return;
        *slash = '\0';
        dfd = rootfs_open(root, dir, O_PATH | O_DIRECTORY);
        if (dfd < 0)
                return;
        n = readlinkat(dfd, slash + 1, link, sizeof(link) - 1);
        close(dfd);
        if (n <= 0 || (size_t)n == sizeof(link) - 1)
                return;
        link[n] = '\0';
        b->known = true;
        b->usb = b->usb || strstr(link, "/usb") != NULL;
        snprintf(rel, sizeof(rel), "%s/partition", base);
        partition = rootfs_exists(root, rel);
        if (partition && (slash = strrchr(link, '/')))
                *slash = '\0'; /* the disk is the partition's parent */
        name = strrchr(link, '/');
        if (snprintf(b->disk, sizeof(b->disk), "%s", name ? name + 1 : link) >=
            (int)sizeof(b->disk))
                b->disk[0] = '\0';
        snprintf(rel, sizeof(rel), "%s%s/removable", base, partition ? "/.." : "");
        if (read_flag(root, rel, &partition)) {
                b->removable_known = true;
                b->removable = b->removable || partition;
        }
        if (depth >= SLAVE_DEPTH)
                return;
        /* A device-mapper or md device lives where its first slave does. */
        snprintf(rel, sizeof(rel), "%s/slaves", base);
        d = rootfs_opendir(root, rel);
        if (!d)
                return;
        while ((e = readdir(d))) {
                if (e->d_name[0] == '.')
                        continue;
                snprintf(rel, sizeof(rel), "sys/class/block/%s", e->d_name);
                block_info(root, rel, depth + 1, b);
                break;
        }
        closedir(d);
}

static void describe_block(const struct places *p, unsigned major, unsigned minor,
                           const char *source, json_t *o)
{
        struct block b = { 0 };
        char base[PATH_MAX];

        if (major != 0) {
                snprintf(base, sizeof(base), "sys/dev/block/%u:%u", major, minor);
                block_info(p->root, base, 0, &b);
        }
        if (!b.known && source && strncmp(source, "/dev/", 5) == 0 && !strchr(source + 5, '/')) {
                snprintf(base, sizeof(base), "sys/class/block/%s", source + 5);
                block_info(p->root, base, 0, &b);
        }
        if (!b.known)
                return;
        if (b.disk[0])
                json_object_set_new(o, "disk", json_string(b.disk));
        json_object_set_new(o, "usb", json_boolean(b.usb));
        if (b.removable_known)
                json_object_set_new(o, "removable", json_boolean(b.removable));
}

json_t *places_describe(const struct places *p, const char *path)
{
        const struct mount_entry *m = p->have_mi ? mountinfo_find(&p->mi, path) : NULL;
        json_t *o = json_object();
        char dev[32];

        if (!o)
                return NULL;
        if (m) {
                snprintf(dev, sizeof(dev), "%u:%u", m->major, m->minor);
                json_object_set_new(o, "mount", facts_string(m->point));
                json_object_set_new(o, "device", json_string(dev));
                json_object_set_new(o, "fstype", facts_string(m->fstype));
                json_object_set_new(o, "source", facts_string(m->source));
                json_object_set_new(o, "network", json_boolean(mountinfo_is_network(m->fstype)));
                json_object_set_new(o, "decided_from", json_string("mountinfo"));
                describe_block(p, m->major, m->minor, m->source, o);
                return o;
        }

        struct stat st;
        struct statfs sf;
        int network;
        const char *name;
        int fd = rootfs_open(p->root, path, O_PATH);

        if (fd < 0)
                return o;
        if (fstat(fd, &st) == 0) {
                snprintf(dev, sizeof(dev), "%u:%u", major(st.st_dev), minor(st.st_dev));
                json_object_set_new(o, "device", json_string(dev));
                json_object_set_new(o, "decided_from", json_string("st_dev"));
                describe_block(p, major(st.st_dev), minor(st.st_dev), NULL, o);
        }
        if (fstatfs(fd, &sf) == 0 && (name = magic_name((unsigned long)sf.f_type, &network))) {
                json_object_set_new(o, "fstype", json_string(name));
                if (network >= 0)
                        json_object_set_new(o, "network", json_boolean(network));
        }
        close(fd);
        return o;
}
