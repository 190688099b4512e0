/* mountinfo.c - parsing proc(5)'s mountinfo and finding the mount of a path.
 *
 * Fields are separated by single spaces; the kernel escapes space, tab,
 * newline and backslash in paths as \ooo octal. Optional fields ("shared:1")
 * run up to a lone "-", after which come the type, the source and the
 * superblock options. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mountinfo.h"

#define MAX_FIELDS 64

/* \ooo to the byte, in place; other backslashes stay as they are. */
static int unescape(char *s)
{
        char *w = s;

        for (char *r = s; *r; r++) {
                if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
                    r[3] >= '0' && r[3] <= '7') {
                        int v = (r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0');
                        if (v == 0)
                                return -EINVAL;
                        *w++ = (char)v;
                        r += 3;
                } else {
                        *w++ = *r;
                }
        }
        *w = '\0';
        return 0;
}

static int parse_uint(const char *s, const char *end, unsigned *out)
{
        unsigned long v = 0;

        if (s == end || end - s > 10)
                return -EINVAL;
        for (; s < end; s++) {
                if (*s < '0' || *s > '9')
                        return -EINVAL;
                v = v * 10 + (unsigned long)(*s - '0');
        }
        if (v > 0xffffffffUL)
                return -EINVAL;
        *out = (unsigned)v;
        return 0;
}

static int parse_line(char *line, struct mount_entry *m, const char **why)
{
        char *f[MAX_FIELDS], *save = NULL, *tok, *colon;
        size_t n = 0, dash;

        for (tok = strtok_r(line, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
                if (n == MAX_FIELDS) {
                        *why = "too many fields";
                        return -EINVAL;
                }
                f[n++] = tok;
        }
        for (dash = 6; dash < n && strcmp(f[dash], "-") != 0; dash++)
                ;
        if (dash + 2 >= n) {
                *why =
                    "expected \"ID PARENT MAJOR:MINOR ROOT MOUNT-POINT OPTIONS ... - TYPE SOURCE\"";
                return -EINVAL;
        }
        colon = strchr(f[2], ':');
        if (parse_uint(f[0], f[0] + strlen(f[0]), &m->id) < 0 ||
            parse_uint(f[1], f[1] + strlen(f[1]), &m->parent) < 0 || !colon ||
            parse_uint(f[2], colon, &m->major) < 0 ||
            parse_uint(colon + 1, colon + strlen(colon), &m->minor) < 0) {
                *why = "bad mount id or device number";
                return -EINVAL;
        }
        if (unescape(f[3]) < 0 || unescape(f[4]) < 0 || unescape(f[dash + 1]) < 0 ||
            unescape(f[dash + 2]) < 0) {
                *why = "a path holds an escaped NUL byte";
                return -EINVAL;
        }
        m->root = f[3];
        m->point = f[4];
        m->fstype = f[dash + 1];
        m->source = f[dash + 2];
        return 0;
}

int mountinfo_parse(const char *text, const char *file, struct mountinfo *mi, struct error *e)
{
        size_t len = strlen(text), cap = 0;
        unsigned lineno = 0;
        char *p, *next;

        memset(mi, 0, sizeof(*mi));
        if (len > MOUNTINFO_MAX_TEXT)
                return -E2BIG;
        mi->text = malloc(len + 1);
        if (!mi->text)
                return -ENOMEM;
        memcpy(mi->text, text, len + 1);
        for (p = mi->text; *p; p = next) {
                const char *why = NULL;
                struct mount_entry m;

                lineno++;
                next = strchr(p, '\n');
                if (next)
                        *next++ = '\0';
                else
                        next = p + strlen(p);
                if (strspn(p, " \t\r") == strlen(p))
                        continue;
                p[strcspn(p, "\r")] = '\0';
                if (parse_line(p, &m, &why) < 0) {
                        error_set(e, file, lineno, "%s", why);
                        return -EINVAL;
                }
                if (mi->n == cap) {
                        struct mount_entry *v;

                        if (cap == MOUNTINFO_MAX_MOUNTS)
                                return -E2BIG;
                        cap = cap ? cap * 2 : 32;
                        v = realloc(mi->v, cap * sizeof(*v));
                        if (!v)
                                return -ENOMEM;
                        mi->v = v;
                }
                mi->v[mi->n++] = m;
        }
        return 0;
}

void mountinfo_free(struct mountinfo *mi)
{
        free(mi->v);
        free(mi->text);
        memset(mi, 0, sizeof(*mi));
}

const struct mount_entry *mountinfo_find(const struct mountinfo *mi, const char *path)
{
        const struct mount_entry *best = NULL;
        size_t best_len = 0;

        if (path[0] != '/')
                return NULL;
        for (size_t i = 0; i < mi->n; i++) {
                const char *pt = mi->v[i].point;
                size_t len = strlen(pt);

                while (len > 1 && pt[len - 1] == '/')
                        len--;
                if (pt[0] != '/' || strncmp(path, pt, len) != 0)
                        continue;
                /* "/mnt/nas" holds "/mnt/nas/x", not "/mnt/nasty". */
                if (len > 1 && path[len] != '\0' && path[len] != '/')
                        continue;
                if (!best || len >= best_len) {
                        best = &mi->v[i];
                        best_len = len;
                }
        }
        return best;
}

bool mountinfo_is_network(const char *fstype)
{
        static const char *const net[] = {
                "nfs",
                "nfs4",
                "cifs",
                "smb3",
                "smbfs",
                "ncpfs",
                "afs",
                "coda",
                "ceph",
                "glusterfs",
                "lustre",
                "beegfs",
                "gpfs",
                "davfs",
                "sshfs",
                "fuse.sshfs",
                "fuse.davfs",
                "fuse.davfs2",
                "fuse.glusterfs",
                "fuse.ceph",
                "fuse.ceph-fuse",
                "fuse.rclone",
                "fuse.s3fs",
                "fuse.gcsfuse",
                "fuse.smbnetfs",
                "fuse.curlftpfs",
                "fuse.goofys",
        };

        for (size_t i = 0; i < sizeof(net) / sizeof(net[0]); i++)
                if (strcmp(fstype, net[i]) == 0)
                        return true;
        return false;
}
