/* patch.c - which package updates apt would install, and how the system
 * keeps up with them (Debian and Ubuntu).
 *
 * Installed packages come from dpkg's status file; candidates from apt's
 * lists (plain, gzip, xz, lz4), with only the stanzas of installed packages
 * kept. Both are streamed a piece at a time, so memory does not grow with
 * them. The candidate is chosen as apt_preferences(5) says apt chooses it.
 * Facts only: the rules in policy/rules_patch.c judge them. The counts of
 * pending updates are exact; the list of them is capped (PENDING_LISTED,
 * security updates first), so a machine far behind still makes a report the
 * collector takes. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "apt_conf.h"
#include "apt_prefs.h"
#include "apt_release.h"
#include "collector.h"
#include "debctrl.h"
#include "decompress.h"
#include "dpkg_version.h"
#include "util.h"

#define STATUS_FILE    "var/lib/dpkg/status"
#define LISTS_DIR      "var/lib/apt/lists"
#define MAX_LISTS      256
#define MAX_PACKAGES   (1u << 20)
#define MAX_VERSIONS   64         /* per installed package */
#define MAX_ENTRY      (1u << 20) /* bytes of one stanza */
#define MAX_TEXT       (64u << 20)
#define ARCH_LEN       32
#define SHOW_ORIGINS   4
#define PENDING_LISTED 200 /* updates listed one by one */

struct ver {
        char *version;
        uint64_t hash; /* of the fields apt tells builds apart by, see stanza_hash() */
        char arch[ARCH_LEN];
        uint64_t lists[MAX_LISTS / 64]; /* the lists it is in */
        bool installed;
};

struct inst {
        char *name, *version;
        uint64_t hash;
        char arch[ARCH_LEN]; /* as dpkg has it: "all" stays "all" */
        bool held;
        uint32_t next; /* next package of the same name, or UINT32_MAX */
        struct ver *vers;
        size_t nvers;
};

struct list {
        char file[512]; /* path in the root */
        struct apt_release rel;
        bool has_rel, security, ignored;
        char component[64], arch[ARCH_LEN], site[256];
        int priority;
};

struct patch {
        const struct collect_ctx *ctx;
        json_t *facts;
        char native[ARCH_LEN];
        struct inst *pkgs;
        size_t n, cap;
        uint32_t *table; /* open addressing over pkgs by name, UINT32_MAX = empty */
        size_t tmask;
        struct list *lists;
        size_t nlists;
        struct apt_prefs prefs;
        char default_release[128];
        char arches[1024]; /* " amd64 i386 ": the native one and dpkg's foreign ones */
};

static uint32_t hash(const char *s, size_t n)
{
        uint32_t h = 2166136261u;

        for (size_t i = 0; i < n; i++)
                h = (h ^ (unsigned char)s[i]) * 16777619u;
        return h;
}

static void copy_n(char *dst, size_t size, const char *s, size_t n)
{
        if (n >= size)
                n = size - 1;
        memcpy(dst, s, n);
        dst[n] = '\0';
}

/* apt tells two builds of the same version apart by these fields, compared
 * without blanks, '=' or case (its VersionHash): a local rebuild of the
 * installed version is another version to apt, listed before it. */
static const char *const hashed_fields[] = { "Installed-Size", "Depends", "Pre-Depends",
                                             "Conflicts",      "Breaks",  "Replaces" };
#define HASHED_FIELDS 6

static void keep_hashed(struct debctrl_field *keep, const struct debctrl_field *f)
{
        for (size_t i = 0; i < HASHED_FIELDS; i++)
                if (debctrl_is(f, hashed_fields[i]))
                        keep[i] = *f;
}

static uint64_t stanza_hash(const struct debctrl_field *keep)
{
        uint64_t h = 14695981039346656037ull;

        for (size_t i = 0; i < HASHED_FIELDS; i++)
                for (size_t j = 0; j < keep[i].vlen; j++) {
                        unsigned char c = (unsigned char)keep[i].val[j];
                        if (c == ' ' || c == '\t' || c == '\r' || c == '=')
                                continue;
                        if (c >= 'A' && c <= 'Z')
                                c = (unsigned char)(c - 'A' + 'a');
                        h = (h ^ c) * 1099511628211ull;
                }
        return h;
}

/* The first installed package named name[n], or NULL. */
static struct inst *find(const struct patch *p, const char *name, size_t n)
{
        if (!p->table)
                return NULL;
        for (size_t i = hash(name, n) & p->tmask;; i = (i + 1) & p->tmask) {
                uint32_t k = p->table[i];
                if (k == UINT32_MAX)
                        return NULL;
                if (strncmp(p->pkgs[k].name, name, n) == 0 && p->pkgs[k].name[n] == '\0')
                        return &p->pkgs[k];
        }
}

static int build_table(struct patch *p)
{
        size_t size = 16;

        while (size < p->n * 2)
                size *= 2;
        p->table = malloc(size * sizeof(*p->table));
        if (!p->table)
                return -ENOMEM;
        memset(p->table, 0xff, size * sizeof(*p->table));
        p->tmask = size - 1;
        for (size_t k = 0; k < p->n; k++) {
                struct inst *first = find(p, p->pkgs[k].name, strlen(p->pkgs[k].name));
                if (first) { /* same name, another architecture: chain it */
                        p->pkgs[k].next = first->next;
                        first->next = (uint32_t)k;
                        continue;
                }
                size_t i = hash(p->pkgs[k].name, strlen(p->pkgs[k].name)) & p->tmask;
                while (p->table[i] != UINT32_MAX)
                        i = (i + 1) & p->tmask;
                p->table[i] = (uint32_t)k;
        }
        return 0;
}

/* ---- files of stanzas ---- */

/* Complete stanzas of buf[0, len) from line *line on; *line is left on the
 * line after them, or where *why (-EINVAL) says they are wrong. */
typedef int scan_fn(struct patch *p, size_t list, const char *buf, size_t len, unsigned *line,
                    const char **why);

/* Streams a file of stanzas (compressed as its name says) to scan, whole
 * stanzas at a time, so that memory holds one piece of it, not all of it.
 * Records what goes wrong under source; *last gets the file's last byte.
 * 0, -EINVAL for a corrupt file, or another -errno. */
static int stream_stanzas(struct patch *p, const char *source, const char *file, size_t list,
                          scan_fn *scan, bool text, unsigned *line, char *last)
{
        const char *why = NULL, *data;
        struct dz *z = NULL;
        size_t len;
        int rc, fd;

        fd = rootfs_open(p->ctx->root, file, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
                facts_add_error(p->facts, source, file, 0, "cannot read: %s", strerror(-fd));
                return fd;
        }
        rc = dz_open(&z, fd, dz_kind_of(file), MAX_ENTRY);
        if (rc < 0) {
                facts_add_error(p->facts, source, file, 0, "cannot read: %s",
                                rc == -ENOTSUP ? "compression not supported" : strerror(-rc));
                return rc;
        }
        for (;;) {
                rc = dz_fill(z, &data, &len);
                if (rc == -ENOBUFS) {
                        rc = -EINVAL;
                        why = "entry longer than 1 MiB";
                        goto out;
                }
                if (rc < 0) {
                        why =
                            rc == -EBADMSG ? "corrupt or truncated compressed data" : "read error";
                        goto out;
                }
                bool eof = rc == 0;
                size_t done = eof ? len : debctrl_complete(data, len);
                const char *nul = text ? memchr(data, '\0', done) : NULL;
                if (nul) {
                        for (const char *q = data; q < nul; q++)
                                *line += *q == '\n';
                        rc = -EINVAL;
                        why = "binary data in a text list";
                        goto out;
                }
                if (done > 0) {
                        *last = data[done - 1];
                        if ((rc = scan(p, list, data, done, line, &why)) < 0)
                                goto out;
                }
                dz_consume(z, done);
                if (eof)
                        break;
        }
        rc = 0;
out:
        if (why)
                facts_add_error(p->facts, source, file, rc == -EINVAL ? *line : 0, "%s", why);
        dz_close(z);
        return rc;
}

/* ---- dpkg's status ---- */

struct stanza {
        struct debctrl_field pkg, status, arch, version;
        struct debctrl_field hashed[HASHED_FIELDS];
        bool has_pkg, has_status, has_arch, has_version;
};

static int word_index(const char *w, size_t len, const char *const *tab, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (strlen(tab[i]) == len && strncmp(tab[i], w, len) == 0)
                        return (int)i;
        return -1;
}

/* dpkg's want/flag/status words; apt counts every state but these two as a
 * current version. */
static int status_words(const struct debctrl_field *f, bool *installed, bool *held)
{
        static const char *const want[] = { "unknown", "install", "hold", "deinstall", "purge" };
        static const char *const flag[] = { "ok", "reinstreq" };
        static const char *const state[] = { "not-installed",    "config-files",
                                             "half-installed",   "unpacked",
                                             "half-configured",  "triggers-awaited",
                                             "triggers-pending", "installed" };
        const char *w[3] = { 0 }, *p = f->val, *end = f->val + f->vlen;
        size_t wl[3] = { 0 }, nw = 0;

        while (p < end && nw < 4) {
                while (p < end && *p == ' ')
                        p++;
                if (p == end)
                        break;
                if (nw == 3)
                        return -EINVAL;
                w[nw] = p;
                while (p < end && *p != ' ')
                        p++;
                wl[nw] = (size_t)(p - w[nw]);
                nw++;
        }
        if (nw != 3)
                return -EINVAL;
        int a = word_index(w[0], wl[0], want, sizeof(want) / sizeof(want[0]));
        int b = word_index(w[1], wl[1], flag, sizeof(flag) / sizeof(flag[0]));
        int c = word_index(w[2], wl[2], state, sizeof(state) / sizeof(state[0]));
        if (a < 0 || b < 0 || c < 0)
                return -EINVAL;
        *held = a == 2;
        *installed = c >= 2;
        return 0;
}

static int add_installed(struct patch *p, const struct stanza *s)
{
        struct inst *k;

        if (p->n == MAX_PACKAGES)
                return -E2BIG;
        if (p->n == p->cap) {
                size_t cap = p->cap ? p->cap * 2 : 1024;
                struct inst *v = realloc(p->pkgs, cap * sizeof(*v));
                if (!v)
                        return -ENOMEM;
                p->pkgs = v;
                p->cap = cap;
        }
        k = &p->pkgs[p->n];
        memset(k, 0, sizeof(*k));
        k->name = util_strndup(s->pkg.val, s->pkg.vlen);
        k->version = util_strndup(s->version.val, s->version.vlen);
        if (!k->name || !k->version) {
                free(k->name);
                free(k->version);
                return -ENOMEM;
        }
        copy_n(k->arch, sizeof(k->arch), s->arch.val, s->arch.vlen);
        k->hash = stanza_hash(s->hashed);
        k->next = UINT32_MAX;
        p->n++;
        return 0;
}

static int scan_status(struct patch *p, size_t list, const char *buf, size_t len, unsigned *line,
                       const char **why)
{
        struct debctrl d;
        struct debctrl_field f;
        int rc;

        (void)list;
        debctrl_init(&d, buf, len, *line);
        while (debctrl_next_stanza(&d)) {
                struct stanza s = { 0 };
                bool installed = false, held = false;
                *line = d.line;
                while ((rc = debctrl_field(&d, &f)) > 0) {
                        if (debctrl_is(&f, "Package"))
                                s.pkg = f, s.has_pkg = true;
                        else if (debctrl_is(&f, "Status"))
                                s.status = f, s.has_status = true;
                        else if (debctrl_is(&f, "Architecture"))
                                s.arch = f, s.has_arch = true;
                        else if (debctrl_is(&f, "Version"))
                                s.version = f, s.has_version = true;
                        else
                                keep_hashed(s.hashed, &f);
                }
                if (rc < 0) {
                        *why = "not a \"Field: value\" line";
                        *line = d.line;
                } else if (!s.has_pkg || s.pkg.vlen == 0) {
                        *why = "entry without a Package field";
                } else if (!s.has_status) {
                        *why = "entry without a Status field";
                } else if (status_words(&s.status, &installed, &held) < 0) {
                        *why = "Status is not three known words";
                        *line = s.status.line;
                } else if (installed &&
                           (!s.has_version || !dpkg_version_valid(s.version.val, s.version.vlen))) {
                        *why = "installed package without a valid Version";
                } else if (installed &&
                           (!s.has_arch || s.arch.vlen == 0 || s.arch.vlen >= ARCH_LEN)) {
                        *why = "installed package without an Architecture";
                } else if (installed) {
                        if ((rc = add_installed(p, &s)) < 0)
                                return rc;
                        p->pkgs[p->n - 1].held = held;
                        if (s.pkg.vlen == 4 && memcmp(s.pkg.val, "dpkg", 4) == 0)
                                copy_n(p->native, sizeof(p->native), s.arch.val, s.arch.vlen);
                }
                if (*why)
                        return -EINVAL;
        }
        *line = d.line;
        return 0;
}

/* Reads the status file. 0; -EINVAL after recording where it is corrupt;
 * another -errno after recording it. */
static int read_status(struct patch *p)
{
        const char *why = NULL;
        unsigned line = 1;
        char last = '\n';
        int rc;

        rc = stream_stanzas(p, "status", STATUS_FILE, 0, scan_status, false, &line, &last);
        if (rc < 0)
                return rc;
        /* dpkg ends every entry with a newline: anything else was cut short. */
        if (last != '\n') {
                why = "file ends in the middle of a line (truncated)";
                line--;
        } else if (p->n == 0) {
                why = "no installed package";
                line = 0;
        }
        if (why) {
                facts_add_error(p->facts, "status", STATUS_FILE, line, "%s", why);
                return -EINVAL;
        }
        if (!p->native[0]) /* no dpkg entry: the first real architecture */
                for (size_t i = 0; i < p->n && !p->native[0]; i++)
                        if (strcmp(p->pkgs[i].arch, "all") != 0)
                                snprintf(p->native, sizeof(p->native), "%s", p->pkgs[i].arch);
        return build_table(p);
}

/* ---- apt's lists ---- */

/* apt reads the lists of the architectures dpkg knows: the native one and
 * those of var/lib/dpkg/arch (dpkg --add-architecture). */
static void read_arches(struct patch *p)
{
        char *text = NULL;
        size_t len, n;

        n = (size_t)snprintf(p->arches, sizeof(p->arches), " %s ", p->native);
        if (rootfs_read(p->ctx->root, "var/lib/dpkg/arch", 64 << 10, &text, &len) < 0)
                return;
        for (char *save = NULL, *t = strtok_r(text, " \t\r\n", &save); t;
             t = strtok_r(NULL, " \t\r\n", &save)) {
                char word[ARCH_LEN + 2];
                snprintf(word, sizeof(word), " %s ", t);
                if (strlen(t) < ARCH_LEN && !strstr(p->arches, word) &&
                    n + strlen(t) + 1 < sizeof(p->arches))
                        n += (size_t)snprintf(p->arches + n, sizeof(p->arches) - n, "%s ", t);
        }
        free(text);
}

static bool arch_known(const struct patch *p, const char *arch)
{
        char word[ARCH_LEN + 2];

        if (!arch[0])
                return true; /* a flat repository: no architecture in its name */
        snprintf(word, sizeof(word), " %s ", arch);
        return strstr(p->arches, word) != NULL;
}

static bool packages_name(const char *n)
{
        static const char *const suffixes[] = { "_Packages",     "_Packages.gz",  "_Packages.xz",
                                                "_Packages.lz4", "_Packages.zst", "_Packages.bz2",
                                                "_Packages.lzma" };
        size_t len = strlen(n);

        for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
                size_t m = strlen(suffixes[i]);
                if (len > m && strcmp(n + len - m, suffixes[i]) == 0)
                        return true;
        }
        return false;
}

static int cmp_str(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Finds and reads the Release file of the list named name: apt names its
 * files after their URI with '/' as '_', so ".../dists/SUITE/COMP/binary-ARCH/
 * Packages" sits next to ".../dists/SUITE/InRelease"; SUITE and COMP may
 * hold '_' themselves, so every split is tried, longest suite first. */
static void find_release(struct patch *p, struct list *l, const char *name)
{
        const char *bin = strstr(name, "_binary-"), *dists = strstr(name, "_dists_");
        char rel[512], *text = NULL;
        size_t len;
        struct error e;

        const char *us = strchr(name, '_');
        copy_n(l->site, sizeof(l->site), name, us ? (size_t)(us - name) : strlen(name));
        if (bin) {
                const char *a = bin + 8, *ae = strstr(a, "_Packages");
                copy_n(l->arch, sizeof(l->arch), a, ae ? (size_t)(ae - a) : strlen(a));
        }
        size_t stems[64], nstems = 0;
        if (bin && dists) {
                for (const char *q = bin - 1; q > dists + 6 && nstems < 64; q--)
                        if (*q == '_')
                                stems[nstems++] = (size_t)(q - name);
        } else {
                /* A flat repository: ".../Packages" next to ".../Release". */
                const char *pk = strstr(name, "_Packages");
                if (pk)
                        stems[nstems++] = (size_t)(pk - name);
        }
        for (size_t i = 0; i < nstems; i++) {
                static const char *const kinds[] = { "InRelease", "Release" };
                for (size_t k = 0; k < 2; k++) {
                        snprintf(rel, sizeof(rel), LISTS_DIR "/%.*s_%s", (int)stems[i], name,
                                 kinds[k]);
                        int rc = rootfs_read(p->ctx->root, rel, MAX_TEXT, &text, &len);
                        if (rc == -ENOENT)
                                continue;
                        if (rc < 0) {
                                facts_add_error(p->facts, "lists", rel, 0, "cannot read: %s",
                                                strerror(-rc));
                                return;
                        }
                        if (apt_release_parse(text, len, rel, &l->rel, &e) < 0)
                                facts_add_error(p->facts, "lists", rel, e.line, "%s", e.msg);
                        else
                                l->has_rel = true;
                        free(text);
                        if (bin && dists)
                                copy_n(l->component, sizeof(l->component), name + stems[i] + 1,
                                       (size_t)(bin - name - stems[i] - 1));
                        return;
                }
        }
}

static void list_priority(struct patch *p, struct list *l)
{
        struct apt_origin o = { l->has_rel ? &l->rel : NULL, l->component, l->arch, l->site };

        l->priority = 500;
        if (l->has_rel && l->rel.not_automatic)
                l->priority = l->rel.but_automatic_upgrades ? 100 : 1;
        l->security = l->has_rel && apt_release_is_security(&l->rel);
        /* The target release comes first, then general pins in file order:
         * the first that matches a list sets its priority. */
        if (p->default_release[0] &&
            apt_pin_matches_origin(APT_PIN_RELEASE, p->default_release, &o)) {
                l->priority = 990;
                return;
        }
        for (size_t i = 0; i < p->prefs.n; i++) {
                const struct apt_pin *pin = &p->prefs.v[i];
                if (pin->general && apt_pin_matches_origin(pin->type, pin->data, &o)) {
                        l->priority = pin->priority;
                        return;
                }
        }
}

static int add_version(struct inst *k, const struct debctrl_field *ver,
                       const struct debctrl_field *arch, uint64_t hash, size_t list)
{
        struct ver *v = NULL;

        /* Spellings dpkg orders as equal ("1.0-01", "1.0-1") are one version
         * to apt, which keeps the spelling it read first. */
        for (size_t i = 0; i < k->nvers; i++)
                if (k->vers[i].hash == hash &&
                    dpkg_version_cmpn(k->vers[i].version, strlen(k->vers[i].version), ver->val,
                                      ver->vlen) == 0)
                        v = &k->vers[i];
        if (!v) {
                if (k->nvers == MAX_VERSIONS)
                        return 0;
                struct ver *nv = realloc(k->vers, (k->nvers + 1) * sizeof(*nv));
                if (!nv)
                        return -ENOMEM;
                k->vers = nv;
                v = &k->vers[k->nvers];
                memset(v, 0, sizeof(*v));
                v->version = util_strndup(ver->val, ver->vlen);
                if (!v->version)
                        return -ENOMEM;
                copy_n(v->arch, sizeof(v->arch), arch->val, arch->vlen);
                v->hash = hash;
                k->nvers++;
        }
        v->lists[list / 64] |= 1ull << (list % 64);
        return 0;
}

/* Parses whole stanzas of a list. 0, -EINVAL with *why and *line set, -ENOMEM. */
static int scan_stanzas(struct patch *p, size_t list, const char *buf, size_t len, unsigned *line,
                        const char **why)
{
        struct debctrl d;
        struct debctrl_field f, ver = { 0 }, arch = { 0 };
        int rc;

        debctrl_init(&d, buf, len, *line);
        for (;;) {
                /* Fast path for what apt writes: "Package: " first; most
                 * packages are not installed and are passed over at once. */
                if (d.p < d.end && *d.p == '\n') {
                        d.p++;
                        d.line++;
                        continue;
                }
                if (d.end - d.p > 9 && memcmp(d.p, "Package: ", 9) == 0) {
                        const char *v = d.p + 9, *e = memchr(v, '\n', (size_t)(d.end - v));
                        size_t n = e ? (size_t)(e - v) : 0;
                        while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\r'))
                                n--;
                        if (e && n > 0 && !memchr(v, ' ', n) && !find(p, v, n)) {
                                d.p = e + 1;
                                d.line++;
                                debctrl_skip(&d);
                                continue;
                        }
                }
                if (!debctrl_next_stanza(&d))
                        break;
                unsigned start = d.line;
                struct debctrl_field hashed[HASHED_FIELDS] = { 0 };
                struct inst *first = NULL;
                bool has_pkg = false, has_ver = false, has_arch = false;
                while ((rc = debctrl_field(&d, &f)) > 0) {
                        if (!has_pkg && f.nlen == 7 && debctrl_is(&f, "Package")) {
                                has_pkg = true;
                                first = find(p, f.val, f.vlen);
                                if (!first) {
                                        debctrl_skip(&d);
                                        break;
                                }
                        } else if (f.nlen == 7 && debctrl_is(&f, "Version")) {
                                ver = f;
                                has_ver = true;
                        } else if (f.nlen == 12 && debctrl_is(&f, "Architecture")) {
                                arch = f;
                                has_arch = true;
                        } else {
                                keep_hashed(hashed, &f);
                        }
                }
                *line = d.line;
                if (rc < 0) {
                        *why = "not a \"Field: value\" line";
                        return -EINVAL;
                }
                if (!has_pkg || (first && (!has_ver || !has_arch))) {
                        *line = start;
                        *why = !has_pkg ? "entry without a Package field"
                                        : "entry without a Version or an Architecture";
                        return -EINVAL;
                }
                if (!first)
                        continue;
                if (!dpkg_version_valid(ver.val, ver.vlen)) {
                        *line = ver.line;
                        *why = "invalid Version";
                        return -EINVAL;
                }
                /* Architecture: all versions belong to the native package. */
                bool all = arch.vlen == 3 && memcmp(arch.val, "all", 3) == 0;
                for (struct inst *k = first; k;
                     k = k->next == UINT32_MAX ? NULL : &p->pkgs[k->next]) {
                        const char *ka = strcmp(k->arch, "all") == 0 ? p->native : k->arch;
                        bool match =
                            all ? strcmp(ka, p->native) == 0
                                : strlen(ka) == arch.vlen && memcmp(ka, arch.val, arch.vlen) == 0;
                        if (match &&
                            (rc = add_version(k, &ver, &arch, stanza_hash(hashed), list)) < 0)
                                return rc;
                }
        }
        *line = d.line;
        return 0;
}

static int read_list(struct patch *p, size_t list)
{
        unsigned line = 1;
        char last;

        return stream_stanzas(p, "lists", p->lists[list].file, list, scan_stanzas, true, &line,
                              &last);
}

static int read_lists(struct patch *p)
{
        DIR *dir = rootfs_opendir(p->ctx->root, LISTS_DIR);
        struct dirent *e;
        char **names = NULL;
        size_t n = 0, cap = 0;
        int rc = 0;

        if (!dir)
                return errno == ENOENT ? 0 : -errno;
        while ((e = readdir(dir))) {
                if (!packages_name(e->d_name))
                        continue;
                if (n == MAX_LISTS) {
                        facts_add_error(p->facts, "lists", LISTS_DIR, 0, "more than %d lists",
                                        MAX_LISTS);
                        break;
                }
                if (n == cap) {
                        cap = cap ? cap * 2 : 16;
                        char **v = realloc(names, cap * sizeof(*v));
                        if (!v) {
                                rc = -ENOMEM;
                                goto out;
                        }
                        names = v;
                }
                if (!(names[n] = strdup(e->d_name))) {
                        rc = -ENOMEM;
                        goto out;
                }
                n++;
        }
        if (n > 1)
                qsort(names, n, sizeof(*names), cmp_str);
        p->lists = calloc(n ? n : 1, sizeof(*p->lists));
        if (!p->lists) {
                rc = -ENOMEM;
                goto out;
        }
        for (size_t i = 0; i < n; i++) {
                struct list *l = &p->lists[p->nlists++];
                snprintf(l->file, sizeof(l->file), LISTS_DIR "/%s", names[i]);
                find_release(p, l, names[i]);
                list_priority(p, l);
                if (!arch_known(p, l->arch)) {
                        l->ignored = true;
                        continue;
                }
                rc = read_list(p, i);
                if (rc == -ENOMEM)
                        goto out;
                rc = 0;
        }
out:
        closedir(dir);
        for (size_t i = 0; i < n; i++)
                free(names[i]);
        free(names);
        return rc;
}

/* ---- apt's configuration and preferences ---- */

/* Files of a parts directory apt reads: [A-Za-z0-9_.-] names with no
 * extension or the given one, in lexical order. */
static size_t parts(const struct rootfs *root, const char *dir, const char *ext, char names[][256],
                    size_t max)
{
        DIR *d = rootfs_opendir(root, dir);
        struct dirent *e;
        size_t n = 0;

        if (!d)
                return 0;
        while ((e = readdir(d)) && n < max) {
                const char *s = e->d_name, *dot = strrchr(s, '.');
                if (s[0] == '.' || strlen(s) >= 256 ||
                    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                              "abcdefghijklmnopqrstuvwxyz"
                              "0123456789_.-") != strlen(s))
                        continue;
                if (dot && strcmp(dot + 1, ext) != 0)
                        continue;
                snprintf(names[n++], 256, "%s", s);
        }
        closedir(d);
        qsort(names, n, 256, (int (*)(const void *, const void *))strcmp);
        return n;
}

#define MAX_PARTS 256

/* The value of an apt.conf option: apt.conf.d in lexical order, then
 * apt.conf, the last setting winning. 1 when set (file names where). */
static int apt_option(const struct rootfs *root, const char *key, char *val, size_t size,
                      char *file, size_t fsize)
{
        char(*names)[256] = malloc(MAX_PARTS * 256), path[512], *text;
        size_t n, len;
        int found = 0;

        if (!names)
                return 0;
        n = parts(root, "etc/apt/apt.conf.d", "conf", names, MAX_PARTS);
        for (size_t i = 0; i <= n; i++) {
                if (i < n)
                        snprintf(path, sizeof(path), "etc/apt/apt.conf.d/%s", names[i]);
                else
                        snprintf(path, sizeof(path), "etc/apt/apt.conf");
                if (rootfs_read(root, path, 1 << 20, &text, &len) < 0)
                        continue;
                if (apt_conf_get(text, len, key, val, size)) {
                        found = 1;
                        snprintf(file, fsize, "%s", path);
                }
                free(text);
        }
        free(names);
        return found;
}

static void read_prefs(struct patch *p)
{
        char(*names)[256] = malloc(MAX_PARTS * 256), path[512], *text;
        size_t n, len;
        struct error e;

        if (!names)
                return;
        n = parts(p->ctx->root, "etc/apt/preferences.d", "pref", names, MAX_PARTS);
        for (size_t i = 0; i <= n; i++) {
                if (i == 0)
                        snprintf(path, sizeof(path), "etc/apt/preferences");
                else
                        snprintf(path, sizeof(path), "etc/apt/preferences.d/%s", names[i - 1]);
                if (rootfs_read(p->ctx->root, path, 1 << 20, &text, &len) < 0)
                        continue;
                if (apt_prefs_parse(&p->prefs, text, len, path, &e) < 0)
                        facts_add_error(p->facts, "preferences", path, e.line, "%s", e.msg);
                free(text);
        }
        free(names);
}

/* ---- apt's choice ---- */

static bool in_list(const struct ver *v, size_t i)
{
        return v->lists[i / 64] >> (i % 64) & 1;
}

/* A version's priority: its first matching specific pin, else the best of
 * the lists it is in (100 for the installed version, as dpkg's status). */
static int priority(const struct patch *p, const struct inst *k, const struct ver *v,
                    bool installed)
{
        bool native = strcmp(k->arch, p->native) == 0 || strcmp(k->arch, "all") == 0;
        int best = installed ? 100 : INT32_MIN;

        for (size_t i = 0; i < p->prefs.n; i++) {
                const struct apt_pin *pin = &p->prefs.v[i];
                if (pin->general || !apt_pin_covers(pin, k->name, k->arch, native))
                        continue;
                if (pin->type == APT_PIN_VERSION) {
                        if (apt_pin_matches_version(pin->data, v->version))
                                return pin->priority;
                        continue;
                }
                for (size_t l = 0; l < p->nlists; l++) {
                        const struct list *li = &p->lists[l];
                        struct apt_origin o = { li->has_rel ? &li->rel : NULL, li->component,
                                                li->arch, li->site };
                        if (in_list(v, l) && apt_pin_matches_origin(pin->type, pin->data, &o))
                                return pin->priority;
                }
        }
        for (size_t l = 0; l < p->nlists; l++)
                if (in_list(v, l) && p->lists[l].priority > best)
                        best = p->lists[l].priority;
        return best;
}

/* Newest first; among builds of one version, the installed one last (apt
 * reads dpkg's status after the lists). */
static int cmp_ver_desc(const void *a, const void *b)
{
        const struct ver *x = a, *y = b;
        int c = dpkg_version_cmp(y->version, x->version);

        return c ? c : (int)x->installed - (int)y->installed;
}

/* apt's candidate: versions from newest down, the first of strictly higher
 * priority wins; at the installed version it stops unless a priority of
 * 1000 or more allows a downgrade. A priority of 0 or less never wins.
 * *current is set to the installed version, spelled as apt spells it. */
static const struct ver *candidate(const struct patch *p, struct inst *k,
                                   const struct ver **current)
{
        const struct ver *best = NULL;
        int max = 0;
        bool listed = false;

        *current = NULL;
        for (size_t i = 0; i < k->nvers; i++) {
                k->vers[i].installed = k->vers[i].hash == k->hash &&
                                       dpkg_version_cmp(k->vers[i].version, k->version) == 0;
                listed |= k->vers[i].installed;
        }
        /* The installed version takes part even when no list has it any more. */
        if (!listed) {
                struct ver *nv = realloc(k->vers, (k->nvers + 1) * sizeof(*nv));
                if (!nv)
                        return NULL;
                k->vers = nv;
                memset(&k->vers[k->nvers], 0, sizeof(*nv));
                if (!(k->vers[k->nvers].version = strdup(k->version)))
                        return NULL;
                snprintf(k->vers[k->nvers].arch, ARCH_LEN, "%s", k->arch);
                k->vers[k->nvers].hash = k->hash;
                k->vers[k->nvers].installed = true;
                k->nvers++;
        }
        qsort(k->vers, k->nvers, sizeof(*k->vers), cmp_ver_desc);
        for (size_t i = 0; i < k->nvers; i++) {
                const struct ver *v = &k->vers[i];
                bool installed = v->installed;
                int prio = priority(p, k, v, installed);
                if (installed)
                        *current = v;
                if (prio > max) {
                        max = prio;
                        best = v;
                }
                if (installed && max < 1000)
                        break;
        }
        return best;
}

struct pending {
        const struct inst *k;
        const struct ver *cur, *v;
        bool security; /* from a security archive */
};

static bool from_security(const struct patch *p, const struct ver *v)
{
        for (size_t l = 0; l < p->nlists; l++)
                if (in_list(v, l) && p->lists[l].security)
                        return true;
        return false;
}

static json_t *pending_item(const struct patch *p, const struct pending *u)
{
        json_t *origins = json_array();

        for (size_t l = 0; l < p->nlists && json_array_size(origins) < SHOW_ORIGINS; l++) {
                if (!in_list(u->v, l))
                        continue;
                const struct list *li = &p->lists[l];
                const char *suite = li->has_rel && li->rel.suite[0] ? li->rel.suite : li->file;
                json_array_append_new(origins, json_string(suite));
        }
        return json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:o}", "package", u->k->name, "arch",
                         u->v->arch, "installed", u->cur->version, "candidate", u->v->version,
                         "security", u->security, "held", u->k->held, "origins", origins);
}

/* Keeps the first PENDING_LISTED of the n updates in v (sorted by name):
 * security updates first, then the others, still sorted by name. The number
 * kept. */
static size_t pending_keep(struct pending *v, size_t n, size_t nsec)
{
        size_t sec_room = nsec < PENDING_LISTED ? nsec : PENDING_LISTED;
        size_t other_room = PENDING_LISTED - sec_room, kept = 0;

        if (n <= PENDING_LISTED)
                return n;
        for (size_t i = 0; i < n; i++) {
                size_t *room = v[i].security ? &sec_room : &other_room;

                if (*room == 0)
                        continue;
                (*room)--;
                v[kept++] = v[i];
        }
        return kept;
}

static int cmp_pending(const void *a, const void *b)
{
        const struct pending *x = a, *y = b;
        int c = strcmp(x->k->name, y->k->name);

        return c ? c : strcmp(x->v->arch, y->v->arch);
}

static int compute_pending(struct patch *p)
{
        struct pending *v = malloc((p->n ? p->n : 1) * sizeof(*v));
        json_t *pending = json_array();
        size_t n = 0, nsec = 0, listed;

        if (!v) {
                json_decref(pending);
                return -ENOMEM;
        }
        for (size_t i = 0; i < p->n; i++) {
                const struct ver *cur, *c = candidate(p, &p->pkgs[i], &cur);
                /* apt's "upgradable": a candidate listed before the installed version. */
                if (c && cur && !c->installed && dpkg_version_cmp(c->version, cur->version) >= 0) {
                        v[n] = (struct pending){ &p->pkgs[i], cur, c, from_security(p, c) };
                        nsec += v[n++].security;
                }
        }
        /* By name, as apt lists them. */
        qsort(v, n, sizeof(*v), cmp_pending);
        listed = pending_keep(v, n, nsec);
        for (size_t i = 0; i < listed; i++)
                json_array_append_new(pending, pending_item(p, &v[i]));
        free(v);
        json_object_set_new(p->facts, "pending", pending);
        json_object_set_new(p->facts, "pending_count", json_integer((json_int_t)n));
        json_object_set_new(p->facts, "security_count", json_integer((json_int_t)nsec));
        json_object_set_new(p->facts, "pending_listed", json_integer((json_int_t)listed));
        json_object_set_new(p->facts, "pending_truncated", json_boolean(listed < n));
        return 0;
}

/* ---- the rest: refresh time, reboot, unattended-upgrades ---- */

static void set_time(json_t *o, const char *key, time_t t)
{
        char buf[32];

        json_object_set_new(o, key, json_string(util_iso8601(t, buf, sizeof(buf))));
}

/* When apt last updated its lists successfully. apt rewrites a Release or
 * InRelease file only after fetching and verifying it, and a failed update
 * leaves the old ones in place, so the newest of them is the last success;
 * update-success-stamp (APT::Update::Post-Invoke-Success, where installed)
 * says the same when present. The lists' own mtimes may be the server's
 * dates, and pkgcache.bin is rebuilt by any apt command, so neither is used. */
static void last_refresh(struct patch *p)
{
        static const char stamp[] = "var/lib/apt/periodic/update-success-stamp";
        struct stat st;
        time_t best = 0;
        const char *source = NULL;
        DIR *dir;
        struct dirent *e;
        char path[512];

        if (rootfs_stat(p->ctx->root, stamp, &st) == 0) {
                best = st.st_mtime;
                source = "update-success-stamp";
        }
        if ((dir = rootfs_opendir(p->ctx->root, LISTS_DIR))) {
                while ((e = readdir(dir))) {
                        size_t n = strlen(e->d_name);
                        if (!(n > 8 && strcmp(e->d_name + n - 8, "_Release") == 0) &&
                            !(n > 10 && strcmp(e->d_name + n - 10, "_InRelease") == 0))
                                continue;
                        snprintf(path, sizeof(path), LISTS_DIR "/%s", e->d_name);
                        if (rootfs_stat(p->ctx->root, path, &st) == 0 && st.st_mtime > best) {
                                best = st.st_mtime;
                                source = "lists";
                        }
                }
                closedir(dir);
        }
        if (source) {
                set_time(p->facts, "last_refresh", best);
                json_object_set_new(p->facts, "last_refresh_source", json_string(source));
        }
}

static void reboot_required(struct patch *p)
{
        static const char *const dirs[] = { "var/run", "run" };
        char path[64], *text = NULL;
        size_t len;
        bool required = false;
        json_t *pkgs = json_array();

        for (size_t i = 0; i < 2 && !required; i++) {
                snprintf(path, sizeof(path), "%s/reboot-required", dirs[i]);
                if (!rootfs_exists(p->ctx->root, path))
                        continue;
                required = true;
                snprintf(path, sizeof(path), "%s/reboot-required.pkgs", dirs[i]);
                if (rootfs_read(p->ctx->root, path, 1 << 20, &text, &len) == 0) {
                        for (char *save = NULL, *t = strtok_r(text, "\n", &save); t;
                             t = strtok_r(NULL, "\n", &save)) {
                                bool dup = false;
                                size_t j;
                                json_t *x;
                                json_array_foreach(pkgs, j, x) dup |=
                                    strcmp(json_string_value(x), t) == 0;
                                if (!dup && json_array_size(pkgs) < 64)
                                        json_array_append_new(pkgs, json_string(t));
                        }
                        free(text);
                }
        }
        json_object_set_new(p->facts, "reboot_required", json_boolean(required));
        json_object_set_new(p->facts, "reboot_packages", pkgs);
}

static void auto_updates(struct patch *p)
{
        char val[64], file[512], enable[64], efile[512];
        bool installed = find(p, "unattended-upgrades", 19) != NULL;
        bool set = apt_option(p->ctx->root, "APT::Periodic::Unattended-Upgrade", val, sizeof(val),
                              file, sizeof(file));
        /* APT::Periodic::Enable "0" turns every periodic task off. */
        bool off = apt_option(p->ctx->root, "APT::Periodic::Enable", enable, sizeof(enable), efile,
                              sizeof(efile)) &&
                   atoi(enable) == 0;
        json_t *u = json_pack("{s:b, s:b}", "installed", installed, "enabled",
                              set && atoi(val) > 0 && !off);

        if (set) {
                json_object_set_new(u, "setting", json_string(val));
                json_object_set_new(u, "file", json_string(file));
        }
        if (off)
                json_object_set_new(u, "periodic_disabled_in", json_string(efile));
        json_object_set_new(p->facts, "unattended_upgrades", u);
}

static void patch_free(struct patch *p)
{
        for (size_t i = 0; i < p->n; i++) {
                for (size_t j = 0; j < p->pkgs[i].nvers; j++)
                        free(p->pkgs[i].vers[j].version);
                free(p->pkgs[i].vers);
                free(p->pkgs[i].name);
                free(p->pkgs[i].version);
        }
        free(p->pkgs);
        free(p->table);
        free(p->lists);
        apt_prefs_free(&p->prefs);
}

static void sources_facts(struct patch *p)
{
        json_t *a = json_array();

        for (size_t i = 0; i < p->nlists; i++) {
                const struct list *l = &p->lists[i];
                if (l->ignored)
                        continue;
                json_array_append_new(a,
                                      json_pack("{s:s, s:s?, s:s?, s:s?, s:i, s:b}", "file",
                                                l->file, "suite", l->has_rel ? l->rel.suite : NULL,
                                                "codename", l->has_rel ? l->rel.codename : NULL,
                                                "label", l->has_rel ? l->rel.label : NULL,
                                                "priority", l->priority, "security", l->security));
        }
        json_object_set_new(p->facts, "sources", a);
}

int patch_collect(const struct collect_ctx *ctx, json_t *facts)
{
        struct patch p = { .ctx = ctx, .facts = facts };
        char file[512];
        int rc;

        if (!rootfs_exists(ctx->root, STATUS_FILE)) {
                json_object_set_new(facts, "dpkg", json_false());
                return 0;
        }
        json_object_set_new(facts, "dpkg", json_true());
        rc = read_status(&p);
        if (rc == -ENOMEM)
                goto out;
        if (rc == 0) {
                json_object_set_new(facts, "native_arch", json_string(p.native));
                json_object_set_new(facts, "installed_count", json_integer((json_int_t)p.n));
                if (apt_option(ctx->root, "APT::Default-Release", p.default_release,
                               sizeof(p.default_release), file, sizeof(file)))
                        json_object_set_new(facts, "default_release",
                                            json_string(p.default_release));
                read_prefs(&p);
                read_arches(&p);
                rc = read_lists(&p);
                if (rc == -ENOMEM)
                        goto out;
                sources_facts(&p);
                json_object_set_new(
                    facts, "lists_count",
                    json_integer((json_int_t)json_array_size(json_object_get(facts, "sources"))));
                if ((rc = compute_pending(&p)) < 0)
                        goto out;
        }
        last_refresh(&p);
        reboot_required(&p);
        auto_updates(&p);
        rc = 0;
out:
        patch_free(&p);
        return rc;
}
