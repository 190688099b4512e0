/* passwords.c - accounts, password rules, SSH root login and automatic
 * login, as facts.
 *
 * Reads passwd, shadow and group (accounts, hash schemes, ages, admins),
 * login.defs, the PAM password stack and pwquality.conf (the minimum length
 * actually enforced), sshd_config with its includes, the display managers'
 * autologin settings, and runs the dictionary audit. Hashes are read to be
 * audited and wiped: no fact holds one. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "collector.h"
#include "dmconf.h"
#include "pam.h"
#include "paths.h"
#include "pwaudit.h"
#include "pwcache.h"
#include "shadow.h"
#include "sshd_config.h"

#define FILE_MAX      (16 << 20)
#define ACCOUNTS_MAX  16384
#define INCLUDE_DEPTH 8
#define FILES_MAX     64

/* A JSON string from bytes a root holds: invalid UTF-8 and control
 * characters become '?' rather than failing. */
static json_t *jstr(const char *s)
{
        json_t *j = json_string(s);
        char *copy;

        if (j)
                return j;
        copy = strdup(s);
        if (!copy)
                return NULL;
        for (char *p = copy; *p; p++)
                if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
                        *p = '?';
        j = json_string(copy);
        free(copy);
        return j;
}

static void wipe_free(char *text, size_t size)
{
        if (text)
                explicit_bzero(text, size);
        free(text);
}

/* Reads a file that holds hashes into one buffer sized once from its
 * length, so no reallocation leaves a copy behind; *size is what to wipe.
 * A FIFO or device is refused without opening it, and a NUL byte is
 * -EBADMSG: the parsers would stop there and miss the accounts after it. */
static int read_secret(const struct rootfs *root, const char *rel, char **text, size_t *size)
{
        struct stat st = { 0 };
        size_t n = 0;
        ssize_t got = 0;
        int fd = rootfs_open_secret(root, rel, &st);
        int rc = 0;

        *text = NULL;
        if (fd < 0)
                return fd;
        if (st.st_size > FILE_MAX) {
                close(fd);
                return -EFBIG;
        }
        *size = (size_t)st.st_size + 1;
        *text = malloc(*size);
        if (!*text) {
                close(fd);
                return -ENOMEM;
        }
        while (n + 1 < *size &&
               ((got = read(fd, *text + n, *size - 1 - n)) > 0 || (got < 0 && errno == EINTR)))
                n += got > 0 ? (size_t)got : 0;
        (*text)[n] = '\0';
        if (got < 0)
                rc = -errno;
        else if (memchr(*text, '\0', n))
                rc = -EBADMSG;
        close(fd);
        if (rc < 0) {
                wipe_free(*text, *size);
                *text = NULL;
        }
        return rc;
}

/* Reads rel (with read_secret when size is not NULL); on failure records
 * why under source and returns the errno. A missing file is recorded only
 * when required. */
static int read_root(const struct collect_ctx *ctx, json_t *facts, const char *source,
                     const char *rel, bool required, char **text, size_t *size)
{
        json_t *errors, *last;
        int rc;

        *text = NULL;
        if (size)
                rc = read_secret(ctx->root, rel, text, size);
        else
                rc = rootfs_read(ctx->root, rel, FILE_MAX, text, NULL);
        if (rc == 0 || (rc == -ENOENT && !required))
                return rc;
        if (rc == -EACCES || rc == -EPERM) {
                facts_add_error(facts, source, rel, 0, "cannot read %s: permission denied", rel);
                errors = json_object_get(facts, "errors");
                last = json_array_get(errors, json_array_size(errors) - 1);
                json_object_set_new(last, "code", json_string("EACCES"));
        } else if (rc == -EINVAL || rc == -EISDIR) {
                facts_add_error(facts, source, rel, 0, "cannot read %s: not a regular file", rel);
        } else if (rc == -EBADMSG) {
                facts_add_error(facts, source, rel, 0, "%s holds a NUL byte: it is damaged", rel);
        } else {
                facts_add_error(facts, source, rel, 0, "cannot read %s: %s", rel, strerror(-rc));
        }
        return rc;
}

/* Accounts ------------------------------------------------------------------ */

struct account {
        char name[SHADOW_NAME_MAX];
        char shell[SHADOW_SHELL_MAX];
        char hash[SHADOW_HASH_MAX]; /* secret: wiped before free */
        long long uid, gid, lastchg, max;
        bool in_shadow, from_passwd, admin;
        unsigned long tried;
        bool audited, common, audit_failed, audit_costly;
};

struct accounts {
        struct account *v, **index;
        size_t n, cap;
        long long admin_gids[16];
        size_t nadmin_gids;
};

static int add_passwd(void *user, const struct passwd_ent *e)
{
        struct accounts *a = user;
        struct account *acc;

        if (a->n == ACCOUNTS_MAX)
                return -E2BIG;
        if (a->n == a->cap) {
                size_t cap = a->cap ? a->cap * 2 : 64;
                struct account *v = calloc(cap, sizeof(*v));

                if (!v)
                        return -ENOMEM;
                if (a->v) {
                        memcpy(v, a->v, a->n * sizeof(*v));
                        explicit_bzero(a->v, a->n * sizeof(*v));
                        free(a->v);
                }
                a->v = v;
                a->cap = cap;
        }
        acc = &a->v[a->n++];
        memset(acc, 0, sizeof(*acc));
        snprintf(acc->name, sizeof(acc->name), "%s", e->name);
        snprintf(acc->shell, sizeof(acc->shell), "%s", e->shell);
        snprintf(acc->hash, sizeof(acc->hash), "%s", e->password);
        acc->from_passwd = strcmp(e->password, "x") != 0;
        acc->uid = e->uid;
        acc->gid = e->gid;
        acc->lastchg = acc->max = -1;
        return 0;
}

static int by_name(const void *a, const void *b)
{
        return strcmp((*(struct account *const *)a)->name, (*(struct account *const *)b)->name);
}

/* The account named name, through the index sorted by name: sorting
 * pointers, not the accounts, keeps the hashes from being copied around. */
static struct account *find(struct accounts *a, const char *name)
{
        struct account key, *k = &key, **found;

        snprintf(key.name, sizeof(key.name), "%s", name);
        found = bsearch(&k, a->index, a->n, sizeof(*a->index), by_name);
        return found ? *found : NULL;
}

static int add_shadow(void *user, const struct shadow_ent *e)
{
        struct account *acc = find(user, e->name);

        if (!acc || acc->in_shadow)
                return 0;
        acc->in_shadow = true;
        acc->lastchg = e->lastchg;
        acc->max = e->max;
        /* pam_unix reads shadow only when passwd says "x". */
        if (!acc->from_passwd)
                snprintf(acc->hash, sizeof(acc->hash), "%s", e->hash);
        return 0;
}

static bool admin_group(const char *name)
{
        return strcmp(name, "sudo") == 0 || strcmp(name, "wheel") == 0 ||
               strcmp(name, "admin") == 0;
}

static int add_group(void *user, const struct group_ent *g)
{
        struct accounts *a = user;

        if (!admin_group(g->name))
                return 0;
        if (a->nadmin_gids < sizeof(a->admin_gids) / sizeof(a->admin_gids[0]))
                a->admin_gids[a->nadmin_gids++] = g->gid;
        for (size_t i = 0; i < a->n; i++)
                if (group_has_member(g, a->v[i].name))
                        a->v[i].admin = true;
        return 0;
}

/* A shell that gives a session: passwd(5) reads an empty one as /bin/sh. */
static bool real_shell(const char *shell)
{
        static const char *const none[] = { "nologin", "false", "sync", "shutdown", "halt" };
        const char *base = strrchr(shell, '/');

        base = base ? base + 1 : shell;
        for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++)
                if (strcmp(base, none[i]) == 0)
                        return false;
        return true;
}

static void set_date(json_t *o, const char *key, long long days)
{
        char buf[32];
        time_t t;
        struct tm tm;

        if (days < 0 || days > 2932896) /* past 9999-12-31 */
                return;
        t = (time_t)days * 86400;
        gmtime_r(&t, &tm);
        strftime(buf, sizeof(buf), "%Y-%m-%d", &tm);
        json_object_set_new(o, key, json_string(buf));
}

static const char *const state_names[] = { [HASH_SET] = "set",
                                           [HASH_EMPTY] = "empty",
                                           [HASH_LOCKED] = "locked",
                                           [HASH_DISABLED] = "disabled" };

static void audit(const struct collect_ctx *ctx, struct accounts *a, json_t *facts)
{
        const struct policy *p = ctx->policy;
        struct pwaudit_target *t = NULL;
        struct pwaudit_result r;
        struct wordlist wl = { 0 };
        struct pwcache *cache = NULL;
        char path[4096], *text = NULL;
        size_t n = 0;
        int rc;

        if (p->pw_audit_budget_ms <= 0) {
                json_object_set_new(facts, "audit", json_pack("{s:b}", "enabled", 0));
                return;
        }
        rc = paths_read_data(p->pw_wordlist, FILE_MAX, &text, path, sizeof(path));
        if (rc == 0 && ctx->state_dir) {
                unsigned char digest[32];

                SHA256((const unsigned char *)text, strlen(text), digest);
                if (pwcache_open(ctx->state_dir, digest, &cache) < 0)
                        cache = NULL;
        }
        if (rc == 0)
                rc = wordlist_parse(text, &wl);
        if (rc < 0) {
                facts_add_error(facts, "wordlist", path, 0, "cannot read the password list: %s",
                                strerror(-rc));
                return;
        }
        t = calloc(a->n ? a->n : 1, sizeof(*t));
        if (!t)
                goto out;
        for (size_t i = 0; i < a->n; i++) {
                const char *scheme;

                if (!real_shell(a->v[i].shell) ||
                    shadow_hash_state(a->v[i].hash, &scheme) != HASH_SET)
                        continue;
                t[n].name = a->v[i].name;
                t[n].hash = a->v[i].hash;
                if (cache)
                        pwcache_get(cache, t[n].hash, &t[n].start, &t[n].was_common);
                n++;
        }
        if (pwaudit_run(t, n, &wl, p->pw_audit_budget_ms, &r) < 0)
                goto out;
        if (cache) {
                for (size_t i = 0; i < n; i++)
                        if (!t[i].failed)
                                pwcache_put(cache, t[i].hash, t[i].tried, t[i].common);
                pwcache_save(cache);
        }
        for (size_t i = 0, j = 0; i < a->n && j < n; i++) {
                if (t[j].name != a->v[i].name)
                        continue;
                a->v[i].audited = true;
                a->v[i].tried = t[j].tried;
                a->v[i].common = t[j].common;
                a->v[i].audit_failed = t[j].failed;
                a->v[i].audit_costly = t[j].costly;
                j++;
        }
        json_object_set_new(facts, "audit",
                            json_pack("{s:b, s:s, s:I, s:I, s:I, s:I, s:b, s:I}", "enabled", 1,
                                      "wordlist", p->pw_wordlist, "list_size", (json_int_t)wl.n,
                                      "candidates", (json_int_t)r.candidates, "budget_ms",
                                      (json_int_t)p->pw_audit_budget_ms, "cpu_ms",
                                      (json_int_t)r.cpu_ms, "budget_exhausted", r.exhausted,
                                      "accounts", (json_int_t)n));
out:
        pwcache_free(cache);
        free(t);
        wordlist_free(&wl);
}

static void accounts_facts(const struct accounts *a, json_t *facts)
{
        json_t *arr = json_array();

        for (size_t i = 0; i < a->n; i++) {
                const struct account *acc = &a->v[i];
                const char *scheme;
                enum hash_state st = shadow_hash_state(acc->hash, &scheme);
                bool admin = acc->admin || acc->uid == 0;
                json_t *o;

                for (size_t g = 0; g < a->nadmin_gids; g++)
                        if (acc->gid == a->admin_gids[g])
                                admin = true;
                o = json_pack("{s:o, s:I, s:o, s:b, s:b, s:s, s:s, s:b, s:s}", "name",
                              jstr(acc->name), "uid", (json_int_t)acc->uid, "shell",
                              jstr(acc->shell[0] ? acc->shell : "/bin/sh"), "login_capable",
                              real_shell(acc->shell) && (st == HASH_SET || st == HASH_EMPTY),
                              "admin", admin, "password", state_names[st], "scheme", scheme,
                              "locked", st == HASH_LOCKED || st == HASH_DISABLED, "stored_in",
                              acc->from_passwd ? "passwd"
                              : acc->in_shadow ? "shadow"
                                               : "none");
                if (!o)
                        continue;
                if (acc->lastchg == 0)
                        json_object_set_new(o, "must_change", json_true());
                else
                        set_date(o, "last_change", acc->lastchg);
                if (acc->in_shadow)
                        json_object_set_new(o, "max_days",
                                            acc->max >= 0 ? json_integer(acc->max) : json_null());
                if (acc->audited)
                        json_object_set_new(o, "audit",
                                            json_pack("{s:I, s:b, s:b, s:b}", "tried",
                                                      (json_int_t)acc->tried, "common", acc->common,
                                                      "failed", acc->audit_failed, "too_costly",
                                                      acc->audit_costly));
                json_array_append_new(arr, o);
        }
        json_object_set_new(facts, "accounts", arr);
}

static void collect_accounts(const struct collect_ctx *ctx, json_t *facts)
{
        struct accounts a = { 0 };
        struct error e;
        char *text = NULL;
        size_t size = 0;
        int rc;

        if (read_root(ctx, facts, "passwd", "etc/passwd", true, &text, &size) < 0)
                goto out;
        rc = passwd_parse(text, "etc/passwd", add_passwd, &a, &e);
        wipe_free(text, size);
        text = NULL;
        if (rc < 0) {
                if (rc == -E2BIG)
                        error_set(&e, "etc/passwd", 0, "more than %d accounts", ACCOUNTS_MAX);
                else if (rc == -ENOMEM)
                        error_set(&e, "etc/passwd", 0, "out of memory");
                facts_add_error(facts, "passwd", e.file, e.line, "%s", e.msg);
                goto out;
        }
        a.index = malloc((a.n ? a.n : 1) * sizeof(*a.index));
        if (!a.index) {
                facts_add_error(facts, "passwd", "etc/passwd", 0, "out of memory");
                goto out;
        }
        for (size_t i = 0; i < a.n; i++)
                a.index[i] = &a.v[i];
        qsort(a.index, a.n, sizeof(*a.index), by_name);
        if (read_root(ctx, facts, "shadow", "etc/shadow", true, &text, &size) == 0) {
                rc = shadow_parse(text, "etc/shadow", add_shadow, &a, &e);
                if (rc < 0)
                        facts_add_error(facts, "shadow", e.file, e.line, "%s", e.msg);
        }
        wipe_free(text, size);
        text = NULL;
        /* group's second field may hold a group password's hash. */
        if (read_root(ctx, facts, "group", "etc/group", false, &text, &size) == 0) {
                rc = group_parse(text, "etc/group", add_group, &a, &e);
                if (rc < 0)
                        facts_add_error(facts, "group", e.file, e.line, "%s", e.msg);
        }
        wipe_free(text, size);
        if (!facts_error(facts, "shadow"))
                audit(ctx, &a, facts);
        accounts_facts(&a, facts);
out:
        if (a.v)
                explicit_bzero(a.v, a.cap * sizeof(*a.v));
        free(a.v);
        free(a.index);
}

/* login.defs ---------------------------------------------------------------- */

struct login_defs {
        json_t *o;
};

static int login_defs_key(void *user, const char *key, const char *value, unsigned line)
{
        struct login_defs *l = user;
        char *end;
        long long n;

        if (strcmp(key, "PASS_MAX_DAYS") == 0) {
                errno = 0;
                n = strtoll(value, &end, 10);
                /* shadow-utils reads a bad or negative value as "no maximum". */
                json_object_set_new(l->o, "pass_max_days",
                                    errno || end == value || *end || n < 0 ? json_null()
                                                                           : json_integer(n));
                json_object_set_new(l->o, "line", json_integer(line));
        } else if (strcmp(key, "ENCRYPT_METHOD") == 0) {
                json_object_set_new(l->o, "encrypt_method", jstr(value));
        }
        return 0;
}

static void collect_login_defs(const struct collect_ctx *ctx, json_t *facts)
{
        struct login_defs l = { json_pack("{s:s, s:b}", "file", "etc/login.defs", "found", 1) };
        struct error e;
        char *text;
        int rc = read_root(ctx, facts, "login.defs", "etc/login.defs", false, &text, NULL);

        if (rc == -ENOENT)
                json_object_set_new(l.o, "found", json_false());
        if (rc == 0 && keyval_parse(text, "etc/login.defs", ' ', login_defs_key, &l, &e) < 0)
                facts_add_error(facts, "login.defs", e.file, e.line, "%s", e.msg);
        free(text);
        json_object_set_new(facts, "login_defs", l.o);
}

/* PAM ----------------------------------------------------------------------- */

struct pam_walk {
        const struct collect_ctx *ctx;
        json_t *facts, *files, *modules;
        struct pwquality q;
        bool q_loaded;
        int depth;
        const char *file;
        json_t *best;
        long best_length;
};

static int pwquality_key(void *user, const char *key, const char *value, unsigned line)
{
        struct pam_walk *w = user;

        if (pwquality_set(&w->q, key, value, w->file, line) < 0) {
                facts_add_error(w->facts, "pwquality", w->file, line, "%s: not a number: \"%s\"",
                                key, value);
                return -EINVAL;
        }
        return 0;
}

static int by_str(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

static void pwquality_file(struct pam_walk *w, const char *rel)
{
        struct error e;
        char *text;
        int rc;

        if (read_root(w->ctx, w->facts, "pwquality", rel, false, &text, NULL) < 0)
                return;
        json_array_append_new(w->files, jstr(rel));
        w->file = rel;
        rc = keyval_parse(text, rel, '=', pwquality_key, w, &e);
        if (rc < 0 && !facts_error(w->facts, "pwquality")) /* else the callback said why */
                facts_add_error(w->facts, "pwquality", e.file, e.line, "%s", e.msg);
        free(text);
}

/* pwquality.conf(5): the *.conf files of pwquality.conf.d in ASCII order
 * first, then pwquality.conf; later values override. */
static void load_pwquality(struct pam_walk *w)
{
        static const char dir[] = "etc/security/pwquality.conf.d";
        DIR *d = rootfs_opendir(w->ctx->root, dir);
        char *names[FILES_MAX], rel[512];
        size_t n = 0;
        struct dirent *de;

        pwquality_defaults(&w->q);
        w->q_loaded = true;
        while (d && (de = readdir(d)) && n < FILES_MAX) {
                size_t len = strlen(de->d_name);
                if (de->d_name[0] != '.' && len > 5 && strcmp(de->d_name + len - 5, ".conf") == 0)
                        if ((names[n] = strdup(de->d_name)))
                                n++;
        }
        if (d)
                closedir(d);
        qsort(names, n, sizeof(names[0]), by_str);
        for (size_t i = 0; i < n; i++) {
                snprintf(rel, sizeof(rel), "%s/%s", dir, names[i]);
                pwquality_file(w, rel);
                free(names[i]);
        }
        pwquality_file(w, "etc/security/pwquality.conf");
        w->file = NULL;
}

/* Where PAM finds a service or included file: etc/pam.d, then the vendor
 * directory usr/lib/pam.d. */
static int pam_path(const struct rootfs *root, const char *name, char *buf, size_t size)
{
        if (name[0] == '/') {
                snprintf(buf, size, "%s", name + 1);
                return rootfs_exists(root, buf) ? 0 : -ENOENT;
        }
        snprintf(buf, size, "etc/pam.d/%s", name);
        if (rootfs_exists(root, buf))
                return 0;
        snprintf(buf, size, "usr/lib/pam.d/%s", name);
        return rootfs_exists(root, buf) ? 0 : -ENOENT;
}

static int pam_walk_file(struct pam_walk *w, const char *rel);

/* A module argument for the facts; the value of one whose name speaks of a
 * password or a secret (pam_mysql's "passwd=...") is hidden. */
static json_t *pam_arg(const char *arg)
{
        const char *eq = strchr(arg, '=');
        char key[64];

        if (!eq || (size_t)(eq - arg) >= sizeof(key))
                return jstr(arg);
        for (size_t i = 0; i <= (size_t)(eq - arg); i++)
                key[i] = i < (size_t)(eq - arg) ? (char)tolower((unsigned char)arg[i]) : '\0';
        if (!strstr(key, "pass") && !strstr(key, "pw") && !strstr(key, "secret"))
                return jstr(arg);
        snprintf(key, sizeof(key), "%.*s=(hidden)", (int)(eq - arg), arg);
        return jstr(key);
}

static int pam_rule(void *user, const struct pam_line *l)
{
        struct pam_walk *w = user;
        struct pam_minlen m;
        char path[512];
        json_t *o, *args;
        bool include = strcmp(l->type, "@include") == 0;
        const char *file = w->file;
        int rc;

        if (!include && strcmp(l->type, "password") != 0)
                return 0;
        if (include || strcmp(l->control, "include") == 0 || strcmp(l->control, "substack") == 0) {
                if (pam_path(w->ctx->root, l->module, path, sizeof(path)) < 0) {
                        facts_add_error(w->facts, "pam", file, l->line,
                                        "included file \"%s\" not found", l->module);
                        return -ENOENT;
                }
                rc = pam_walk_file(w, path);
                w->file = file;
                return rc;
        }
        if (strcmp(pam_module_name(l->module), "pam_pwquality.so") == 0 && !w->q_loaded) {
                load_pwquality(w);
                w->file = file;
        }
        pam_module_minlen(l, &w->q, &m);
        args = json_array();
        for (unsigned i = 0; i < l->nargs; i++)
                json_array_append_new(args, pam_arg(l->args[i]));
        o = json_pack("{s:o, s:o, s:s, s:I, s:b, s:o}", "module", jstr(pam_module_name(l->module)),
                      "control", jstr(l->control), "file", file, "line", (json_int_t)l->line,
                      "optional", l->optional, "args", args);
        if (!o)
                return 0;
        if (m.length >= 0) {
                json_object_set_new(o, "min_length", json_integer(m.length));
                json_object_set_new(o, "minlen", json_integer(m.minlen));
                json_object_set_new(o, "credits", json_integer(m.credits));
                json_object_set_new(o, "source", json_string(m.source));
                if (strcmp(m.source, "pwquality.conf") == 0) {
                        json_object_set_new(o, "setting_file", jstr(w->q.minlen_file));
                        json_object_set_new(o, "setting_line", json_integer(w->q.minlen_line));
                }
                /* Every module of the stack checks the new password: the
                 * strictest one decides. */
                if (m.length > w->best_length) {
                        w->best_length = m.length;
                        w->best = o;
                }
        }
        json_array_append_new(w->modules, o);
        return 0;
}

static int pam_walk_file(struct pam_walk *w, const char *rel)
{
        struct error e;
        char *text;
        int rc;

        if (w->depth >= INCLUDE_DEPTH || json_array_size(w->files) >= FILES_MAX) {
                facts_add_error(w->facts, "pam", rel, 0, "too many nested includes");
                return -ELOOP;
        }
        rc = read_root(w->ctx, w->facts, "pam", rel, true, &text, NULL);
        if (rc < 0)
                return rc;
        json_array_append_new(w->files, jstr(rel));
        w->depth++;
        w->file = json_string_value(json_array_get(w->files, json_array_size(w->files) - 1));
        rc = pam_parse(text, rel, pam_rule, w, &e);
        if (rc == -EINVAL)
                facts_add_error(w->facts, "pam", e.file, e.line, "%s", e.msg);
        w->depth--;
        explicit_bzero(text, strlen(text));
        free(text);
        return rc;
}

static void collect_pam(const struct collect_ctx *ctx, json_t *facts)
{
        static const char *const services[] = { "passwd", "common-password", "system-auth",
                                                "password-auth" };
        struct pam_walk w = { .ctx = ctx, .facts = facts, .best_length = -1 };
        json_t *pam = json_object();
        char path[512];
        size_t i;

        for (i = 0; i < sizeof(services) / sizeof(services[0]); i++)
                if (pam_path(ctx->root, services[i], path, sizeof(path)) == 0)
                        break;
        json_object_set_new(facts, "pam", pam);
        if (i == sizeof(services) / sizeof(services[0])) {
                json_object_set_new(pam, "found", json_false());
                return;
        }
        w.files = json_array();
        w.modules = json_array();
        pwquality_defaults(&w.q);
        json_object_set_new(pam, "found", json_true());
        json_object_set_new(pam, "service", jstr(path));
        json_object_set_new(pam, "files", w.files);
        json_object_set_new(pam, "password_modules", w.modules);
        pam_walk_file(&w, path);
        if (w.best)
                json_object_set_new(pam, "min_length", json_deep_copy(w.best));
}

/* sshd ---------------------------------------------------------------------- */

struct sshd_walk {
        const struct collect_ctx *ctx;
        json_t *facts, *files;
        struct sshd_settings *s;
        int depth;
        const char *file;
};

static int sshd_walk_file(struct sshd_walk *w, const char *rel);

/* Include's argument, relative to etc/ssh; wildcards only in the last
 * component, matched as glob(3) would, in sorted order. */
static void sshd_include(struct sshd_walk *w, const char *arg)
{
        char rel[1024], dir[1024], *names[FILES_MAX];
        const char *base, *slash;
        struct dirent *de;
        size_t n = 0;
        DIR *d;

        if (arg[0] == '/')
                snprintf(rel, sizeof(rel), "%s", arg + 1);
        else
                snprintf(rel, sizeof(rel), "etc/ssh/%s", arg);
        slash = strrchr(rel, '/');
        base = slash ? slash + 1 : rel;
        if (!strpbrk(base, "*?[")) {
                if (rootfs_exists(w->ctx->root, rel)) /* sshd ignores a missing file */
                        sshd_walk_file(w, rel);
                return;
        }
        snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - rel) : 0, rel);
        d = rootfs_opendir(w->ctx->root, dir[0] ? dir : ".");
        while (d && (de = readdir(d)) && n < FILES_MAX)
                if (de->d_name[0] != '.' && fnmatch(base, de->d_name, FNM_PERIOD) == 0)
                        if ((names[n] = strdup(de->d_name)))
                                n++;
        if (d)
                closedir(d);
        qsort(names, n, sizeof(names[0]), by_str);
        for (size_t i = 0; i < n; i++) {
                if (snprintf(rel, sizeof(rel), "%s/%s", dir, names[i]) < (int)sizeof(rel))
                        sshd_walk_file(w, rel);
                free(names[i]);
        }
}

static int sshd_line(void *user, const char *keyword, char *const *args, unsigned nargs,
                     unsigned line)
{
        struct sshd_walk *w = user;
        const char *file = w->file;

        if (strcasecmp(keyword, "Include") == 0) {
                /* A Match block opened in an included file ends with it. */
                int cur = w->s->cur;

                for (unsigned i = 0; i < nargs; i++)
                        sshd_include(w, args[i]);
                w->s->cur = cur;
                w->file = file;
                return 0;
        }
        sshd_settings_apply(w->s, file, line, keyword, args, nargs);
        return 0;
}

static int sshd_walk_file(struct sshd_walk *w, const char *rel)
{
        struct error e;
        char *text;
        int rc;

        if (w->depth >= INCLUDE_DEPTH || json_array_size(w->files) >= FILES_MAX) {
                facts_add_error(w->facts, "sshd_config", rel, 0, "too many nested includes");
                return -ELOOP;
        }
        rc = read_root(w->ctx, w->facts, "sshd_config", rel, true, &text, NULL);
        if (rc < 0)
                return rc;
        json_array_append_new(w->files, jstr(rel));
        w->file = json_string_value(json_array_get(w->files, json_array_size(w->files) - 1));
        w->depth++;
        rc = sshd_config_parse(text, w->file, sshd_line, w, &e);
        if (rc < 0)
                facts_add_error(w->facts, "sshd_config", e.file, e.line, "%s", e.msg);
        w->depth--;
        free(text);
        return rc;
}

static json_t *sshd_values(const struct sshd_value *v, bool defaults)
{
        json_t *o = json_object();

        for (int k = 0; k < SSHD_KEY_COUNT; k++) {
                if (v[k].value[0])
                        json_object_set_new(o, sshd_key_name(k),
                                            json_pack("{s:o, s:o, s:I}", "value", jstr(v[k].value),
                                                      "file", jstr(v[k].file), "line",
                                                      (json_int_t)v[k].line));
                else if (defaults)
                        json_object_set_new(
                            o, sshd_key_name(k),
                            json_pack("{s:s, s:b}", "value", sshd_key_default(k), "default", 1));
        }
        return o;
}

static void collect_sshd(const struct collect_ctx *ctx, json_t *facts)
{
        struct sshd_walk w = { .ctx = ctx, .facts = facts };
        json_t *sshd = json_object(), *match = json_array();
        bool server = rootfs_exists(ctx->root, "usr/sbin/sshd");
        bool config = rootfs_exists(ctx->root, "etc/ssh/sshd_config");

        json_object_set_new(facts, "sshd", sshd);
        json_object_set_new(sshd, "installed", json_boolean(server || config));
        if (!server && !config) {
                json_decref(match);
                return;
        }
        w.s = malloc(sizeof(*w.s));
        w.files = json_array();
        if (!w.s) {
                json_decref(match);
                return;
        }
        sshd_settings_init(w.s);
        json_object_set_new(sshd, "files", w.files);
        if (config)
                sshd_walk_file(&w, "etc/ssh/sshd_config");
        json_object_set_new(sshd, "settings", sshd_values(w.s->v, true));
        for (size_t i = 0; i < w.s->nmatch; i++)
                json_array_append_new(match, json_pack("{s:o, s:o, s:I, s:o}", "criteria",
                                                       jstr(w.s->match[i].criteria), "file",
                                                       jstr(w.s->match[i].file), "line",
                                                       (json_int_t)w.s->match[i].line, "settings",
                                                       sshd_values(w.s->match[i].v, false)));
        json_object_set_new(sshd, "match", match);
        free(w.s);
}

/* Display managers ------------------------------------------------------------ */

/* Where each display manager is installed and the files it reads, in its
 * order: the *.conf of each directory in ASCII order, then the files. */
static const struct dm_source {
        enum dm dm;
        const char *bin[2];
        const char *dirs[3];
        const char *files[3];
} dm_sources[] = {
        /* Debian's gdm3 reads daemon.conf, Ubuntu's custom.conf. */
        { DM_GDM,
          { "usr/sbin/gdm3", "usr/sbin/gdm" },
          { NULL, NULL, NULL },
          { "etc/gdm3/daemon.conf", "etc/gdm3/custom.conf", "etc/gdm/custom.conf" } },
        { DM_LIGHTDM,
          { "usr/sbin/lightdm", NULL },
          { "usr/share/lightdm/lightdm.conf.d", "etc/xdg/lightdm/lightdm.conf.d",
            "etc/lightdm/lightdm.conf.d" },
          { "etc/lightdm/lightdm.conf", NULL, NULL } },
        { DM_SDDM,
          { "usr/bin/sddm", NULL },
          { "usr/lib/sddm/sddm.conf.d", "etc/sddm.conf.d", NULL },
          { "etc/sddm.conf", NULL, NULL } },
};

static void dm_file(const struct collect_ctx *ctx, json_t *facts, struct dmconf *c, const char *rel)
{
        struct error e;
        char *text;

        if (read_root(ctx, facts, "display_manager", rel, false, &text, NULL) < 0)
                return;
        if (dmconf_parse(c, text, rel, &e) < 0)
                facts_add_error(facts, "display_manager", e.file, e.line, "%s", e.msg);
        free(text);
}

static void dm_dir(const struct collect_ctx *ctx, json_t *facts, struct dmconf *c, const char *dir)
{
        DIR *d = rootfs_opendir(ctx->root, dir);
        char *names[FILES_MAX], rel[512];
        struct dirent *de;
        size_t n = 0;

        while (d && (de = readdir(d)) && n < FILES_MAX) {
                size_t len = strlen(de->d_name);

                if (de->d_name[0] != '.' && len > 5 && strcmp(de->d_name + len - 5, ".conf") == 0)
                        if ((names[n] = strdup(de->d_name)))
                                n++;
        }
        if (d)
                closedir(d);
        qsort(names, n, sizeof(names[0]), by_str);
        for (size_t i = 0; i < n; i++) {
                if (snprintf(rel, sizeof(rel), "%s/%s", dir, names[i]) < (int)sizeof(rel))
                        dm_file(ctx, facts, c, rel);
                free(names[i]);
        }
}

/* Whether src is the display manager that starts: the one Debian's
 * etc/X11/default-display-manager names when there is one, else any
 * installed. */
static bool dm_in_use(const struct collect_ctx *ctx, const struct dm_source *src,
                      const char *chosen)
{
        for (size_t i = 0; i < 2 && src->bin[i]; i++)
                if (chosen[0] ? strcmp(chosen, src->bin[i]) == 0
                              : rootfs_exists(ctx->root, src->bin[i]))
                        return true;
        return false;
}

static void collect_autologin(const struct collect_ctx *ctx, json_t *facts)
{
        json_t *o = json_pack("{s:b, s:[]}", "enabled", 0, "display_managers");
        char chosen[256] = "";
        size_t len = 0;

        json_object_set_new(facts, "autologon", o);
        if (rootfs_read_small(ctx->root, "etc/X11/default-display-manager", chosen, sizeof(chosen),
                              &len) == 0) {
                char *p = chosen;

                chosen[strcspn(chosen, "\r\n")] = '\0';
                while (*p == '/')
                        p++;
                memmove(chosen, p, strlen(p) + 1);
        } else {
                chosen[0] = '\0';
        }
        for (size_t i = 0; i < sizeof(dm_sources) / sizeof(dm_sources[0]); i++) {
                const struct dm_source *src = &dm_sources[i];
                struct dmconf c;
                struct dmconf_autologin al;

                if (!dm_in_use(ctx, src, chosen))
                        continue;
                json_array_append_new(json_object_get(o, "display_managers"),
                                      json_string(dmconf_name(src->dm)));
                dmconf_init(&c, src->dm);
                for (size_t j = 0; j < 3 && src->dirs[j]; j++)
                        dm_dir(ctx, facts, &c, src->dirs[j]);
                for (size_t j = 0; j < 3 && src->files[j]; j++)
                        dm_file(ctx, facts, &c, src->files[j]);
                dmconf_autologin(&c, &al);
                if (!al.enabled || json_is_true(json_object_get(o, "enabled")))
                        continue;
                json_object_set_new(o, "enabled", json_true());
                json_object_set_new(o, "display_manager", json_string(dmconf_name(src->dm)));
                json_object_set_new(o, "user", jstr(al.user));
                json_object_set_new(o, "how", jstr(al.how));
                json_object_set_new(o, "file", jstr(al.file));
                json_object_set_new(o, "line", json_integer(al.line));
        }
}

int passwords_collect(const struct collect_ctx *ctx, json_t *facts)
{
        collect_accounts(ctx, facts);
        collect_login_defs(ctx, facts);
        collect_pam(ctx, facts);
        collect_sshd(ctx, facts);
        collect_autologin(ctx, facts);
        return 0;
}
