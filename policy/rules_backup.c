/* rules_backup.c - backup.configured, backup.recent, backup.offsite and
 * backup.shrunk: is each declared backup there, fresh, away from the
 * system's disk, and about as big as the one before?
 *
 * Linux and Windows facts have one shape; Windows adds "platform" (for the
 * texts that name paths and accounts) and "products": backup software found
 * on the machine, with the date of its last success when Windows records
 * it. A product is only evidence that a backup exists: its age is judged
 * when dated, and its destination must be declared as a job to be checked. */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "rules.h"

static const char *str(const json_t *o, const char *key)
{
        const char *s = json_string_value(json_object_get(o, key));

        return s && *s ? s : NULL;
}

static const json_t *job_facts(const struct check_ctx *ctx, const char *name)
{
        return json_object_get(json_object_get(rules_facts(ctx, FAM_BACKUP), "jobs"), name);
}

static bool windows(const struct check_ctx *ctx)
{
        const char *p = str(rules_facts(ctx, FAM_BACKUP), "platform");

        return p && strcmp(p, "windows") == 0;
}

static const json_t *products(const struct check_ctx *ctx)
{
        return json_object_get(rules_facts(ctx, FAM_BACKUP), "products");
}

static bool kind_is(const json_t *jf, const char *kind)
{
        const char *k = str(jf, "kind");

        return k && strcmp(k, kind) == 0;
}

/* "30 hours", "3 days": rounded down, plain words. */
static const char *age_text(const struct check_ctx *ctx, long long secs, char *buf, size_t size)
{
        long long hours = secs / 3600;

        if (hours < 1)
                snprintf(buf, size, "%s", tr(ctx, "less than an hour"));
        else if (hours < 48)
                snprintf(buf, size, trn(ctx, "%lld hour", "%lld hours", (unsigned long)hours),
                         hours);
        else
                snprintf(buf, size, trn(ctx, "%lld day", "%lld days", (unsigned long)(hours / 24)),
                         hours / 24);
        return buf;
}

/* "950 bytes", "1.2 MB", "45 GB" (decimal units, as disks are sold). */
static const char *size_text(const struct check_ctx *ctx, long long n, char *buf, size_t size)
{
        static const char *const units[] = { "kB", "MB", "GB", "TB", "PB", "EB" };
        double v = (double)n;
        int u = -1;

        if (n < 1000) {
                snprintf(buf, size, trn(ctx, "%lld byte", "%lld bytes", (unsigned long)n), n);
                return buf;
        }
        /* 999999 bytes is "1.0 MB", not "1000 kB". */
        while (v >= 999.5 && u < 5) {
                v /= 1000;
                u++;
        }
        snprintf(buf, size, v < 9.95 ? "%.1f %s" : "%.0f %s", v, units[u]);
        return buf;
}

/* Two sizes in words, exact when the rounded texts would look the same. */
static void sizes_text(const struct check_ctx *ctx, long long a, long long b, char *ba, char *bb,
                       size_t size)
{
        size_text(ctx, a, ba, size);
        size_text(ctx, b, bb, size);
        if (a != b && strcmp(ba, bb) == 0) {
                snprintf(ba, size, trn(ctx, "%lld byte", "%lld bytes", (unsigned long)a), a);
                snprintf(bb, size, trn(ctx, "%lld byte", "%lld bytes", (unsigned long)b), b);
        }
}

/* Where a device is, for a person: "sdb", "/dev/sda2", "PhysicalDrive1",
 * "D:\" or "device 254:0". */
static const char *place_text(const struct check_ctx *ctx, const json_t *dev, char *buf,
                              size_t size)
{
        const char *mount = str(dev, "mount");

        if (str(dev, "disk"))
                snprintf(buf, size, "%s", str(dev, "disk"));
        else if (str(dev, "source") && str(dev, "source")[0] == '/')
                snprintf(buf, size, "%s", str(dev, "source"));
        else if (mount && mount[0] && mount[1] == ':') /* a Windows volume's letter */
                snprintf(buf, size, "%s", mount);
        else
                snprintf(buf, size, tr(ctx, "device %s"),
                         str(dev, "device") ? str(dev, "device") : "?");
        return buf;
}

/* A job the facts cannot speak for: skipped or an error finding. True when
 * a finding was added. */
static bool job_unusable(const struct check *c, const struct check_ctx *ctx, struct findings *out,
                         const struct backup_job *jb, const json_t *jf)
{
        char source[80];
        const json_t *err;

        if (!jf) {
                finding_add(out, c, ctx, STATUS_SKIP, jb->name, NULL, NULL,
                            tr(ctx, "%s: no facts were collected for this backup"), jb->path);
                return true;
        }
        if (!kind_is(jf, "error"))
                return false;
        snprintf(source, sizeof(source), "backup:%s", jb->name);
        err = facts_error(rules_facts(ctx, FAM_BACKUP), source);
        finding_add(out, c, ctx, STATUS_ERROR, jb->name, err ? json_deep_copy(err) : NULL,
                    windows(ctx)
                        ? tr(ctx, "Check the path in the policy (D:\\folder or "
                                  "\\\\server\\share\\folder) and that Hygie can read it: its "
                                  "service runs as LocalSystem, which reaches a network share as "
                                  "this computer's account (DOMAIN\\COMPUTER$), not as a user. "
                                  "Then run the check again.")
                        : tr(ctx, "Check that the backup folder can be read by Hygie (it runs as "
                                  "root), then run the check again."),
                    tr(ctx, "%s: cannot read the backup folder: %s"), jb->path,
                    err && str(err, "message") ? str(err, "message") : "?");
        return true;
}

/* The products' names, "A, B, C and 2 more". */
static const char *product_names(const struct check_ctx *ctx, char *buf, size_t size)
{
        const json_t *ps = products(ctx), *pr;
        size_t i, len;

        buf[0] = '\0';
        json_array_foreach(ps, i, pr)
        {
                len = strlen(buf);
                if (i == 3) {
                        snprintf(buf + len, size - len, tr(ctx, " and %zu more"),
                                 json_array_size(ps) - i);
                        break;
                }
                snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
                         str(pr, "name") ? str(pr, "name") : "?");
        }
        return buf;
}

void rule_backup_configured(const struct check *c, const struct check_ctx *ctx,
                            struct findings *out)
{
        const struct policy *p = ctx->policy;
        json_t *names, *ev;
        char found[512];

        if (p->njobs == 0 && json_array_size(products(ctx)) > 0) {
                finding_add(out, c, ctx, STATUS_PASS, NULL,
                            json_pack("{s:O}", "products", (json_t *)products(ctx)), NULL,
                            tr(ctx, "Backup software found: %s. Declare where it writes as a "
                                    "[backup:NAME] job so that Hygie checks its backups"),
                            product_names(ctx, found, sizeof(found)));
                return;
        }
        if (p->njobs == 0) {
                finding_add(out, c, ctx, STATUS_FAIL, NULL, NULL,
                            windows(ctx)
                                ? tr(ctx,
                                     "Declare each backup in %ProgramData%\\Hygie\\policy.ini: "
                                     "a [backup:NAME] section with \"path = D:\\Sauvegardes\" "
                                     "or \"path = \\\\server\\share\\folder\" (and "
                                     "\"max_age_hours = 26\" for a daily backup). Hygie then "
                                     "checks that it is recent and kept away from this "
                                     "machine.")
                                : tr(ctx, "Declare each backup in /etc/hygie/policy.ini: a "
                                          "[backup:NAME] section with \"path = "
                                          "/where/the/backups/are\" (and \"max_age_hours = 26\" "
                                          "for a daily backup). Hygie then checks that it is "
                                          "recent and kept away from this machine."),
                            "%s",
                            tr(ctx, "No backup is declared: Hygie cannot tell whether this "
                                    "machine is backed up"));
                return;
        }
        names = json_array();
        for (size_t i = 0; i < p->njobs; i++)
                json_array_append_new(names, json_string(p->jobs[i].name));
        ev = json_pack("{s:o}", "jobs", names);
        if (json_array_size(products(ctx)) > 0)
                json_object_set(ev, "products", (json_t *)products(ctx));
        finding_add(
            out, c, ctx, STATUS_PASS, NULL, ev, NULL,
            trn(ctx, "%zu backup is declared", "%zu backups are declared", (unsigned long)p->njobs),
            p->njobs);
}

static void recent_job(const struct check *c, const struct check_ctx *ctx, struct findings *out,
                       const struct backup_job *jb, const json_t *jf)
{
        const json_t *newest = json_object_get(jf, "newest");
        const json_t *size = json_object_get(newest, "size");
        long long age, max = (long long)jb->max_age_hours * 3600;
        char a[64], l[64], s1[64], s2[64];
        json_t *ev;

        if (kind_is(jf, "missing")) {
                finding_add(
                    out, c, ctx, STATUS_FAIL, jb->name, json_pack("{s:s}", "kind", "missing"),
                    windows(ctx) ? tr(ctx, "Check the path in the policy, and that the backup disk "
                                           "or network share is connected. A drive letter mapped "
                                           "by a user does not exist for Hygie's service: write "
                                           "the share as \\\\server\\share\\folder.")
                                 : tr(ctx, "Check the path in the policy, and that the backup disk "
                                           "or network share is connected and mounted."),
                    tr(ctx, "The backup folder %s does not exist"), jb->path);
                return;
        }
        if (kind_is(jf, "empty") || !json_is_integer(json_object_get(newest, "mtime"))) {
                finding_add(out, c, ctx, STATUS_FAIL, jb->name,
                            json_pack("{s:s?}", "kind", str(jf, "kind")),
                            tr(ctx, "Check that the backup job runs and writes into this folder."),
                            tr(ctx, "The backup folder %s holds no backup"), jb->path);
                return;
        }
        /* A crafted file time near -2^63 must not wrap round to "fresh". */
        if (__builtin_sub_overflow((long long)ctx->now,
                                   json_integer_value(json_object_get(newest, "mtime")), &age))
                age = LLONG_MAX;
        if (age < 0)
                age = 0; /* written "in the future": a clock was wrong, but it is there */
        ev = json_pack("{s:s?, s:O, s:I, s:I}", "kind", str(jf, "kind"), "newest", newest,
                       "age_hours", (json_int_t)(age / 3600), "max_age_hours",
                       (json_int_t)jb->max_age_hours);
        if (age > max) {
                finding_add(out, c, ctx, STATUS_FAIL, jb->name, ev,
                            tr(ctx, "Check that the backup job still runs (its schedule, its log, "
                                    "free space where it writes), then run it once by hand."),
                            tr(ctx, "The newest backup in %s is %s old (limit: %s)"), jb->path,
                            age_text(ctx, age, a, sizeof(a)), age_text(ctx, max, l, sizeof(l)));
                return;
        }
        if (jb->min_bytes > 0 && json_is_integer(size) &&
            !json_is_false(json_object_get(newest, "size_complete")) &&
            json_integer_value(size) < jb->min_bytes) {
                sizes_text(ctx, json_integer_value(size), jb->min_bytes, s1, s2, sizeof(s1));
                json_object_set_new(ev, "min_bytes", json_integer(jb->min_bytes));
                finding_add(out, c, ctx, STATUS_FAIL, jb->name, ev,
                            tr(ctx, "Check that the last backup did not stop half-way: look at "
                                    "its log and at what it holds."),
                            tr(ctx, "The newest backup in %s is only %s, under the %s minimum"),
                            jb->path, s1, s2);
                return;
        }
        if (jb->min_bytes > 0 && !json_is_integer(size))
                finding_add(out, c, ctx, STATUS_PASS, jb->name, ev, NULL,
                            tr(ctx, "The newest backup in %s is %s old (its size cannot be "
                                    "checked in a %s repository)"),
                            jb->path, age_text(ctx, age, a, sizeof(a)),
                            str(jf, "kind") ? str(jf, "kind") : "?");
        else
                finding_add(out, c, ctx, STATUS_PASS, jb->name, ev, NULL,
                            tr(ctx, "The newest backup in %s is %s old"), jb->path,
                            age_text(ctx, age, a, sizeof(a)));
}

/* A product dated by Windows is judged on the policy's default age; one
 * that is not is named, when no job stands for it, so that its destination
 * gets declared. */
static void recent_product(const struct check *c, const struct check_ctx *ctx, struct findings *out,
                           const json_t *pr)
{
        const json_t *last = json_object_get(pr, "last_success");
        const char *id = str(pr, "id") ? str(pr, "id") : "?";
        const char *name = str(pr, "name") ? str(pr, "name") : id;
        long long age, max = (long long)ctx->policy->backup_max_age_hours * 3600;
        char a[64], l[64];
        json_t *ev;

        if (!json_is_integer(json_object_get(last, "mtime"))) {
                if (ctx->policy->njobs == 0)
                        finding_add(out, c, ctx, STATUS_SKIP, id, json_deep_copy(pr), NULL,
                                    tr(ctx, "%s: Hygie cannot read when it last succeeded; "
                                            "declare where it writes as a [backup:NAME] job"),
                                    name);
                return;
        }
        if (__builtin_sub_overflow((long long)ctx->now,
                                   json_integer_value(json_object_get(last, "mtime")), &age))
                age = LLONG_MAX;
        if (age < 0)
                age = 0;
        ev = json_pack("{s:O, s:I, s:I}", "product", pr, "age_hours", (json_int_t)(age / 3600),
                       "max_age_hours", (json_int_t)ctx->policy->backup_max_age_hours);
        if (age > max)
                finding_add(out, c, ctx, STATUS_FAIL, id, ev,
                            tr(ctx, "Open the backup software: check its schedule, its last error "
                                    "and free space where it writes, then run it once by hand. "
                                    "If it is meant to run less often, raise max_age_hours in "
                                    "the policy's [backup] section."),
                            tr(ctx, "%s last succeeded %s ago (limit: %s)"), name,
                            age_text(ctx, age, a, sizeof(a)), age_text(ctx, max, l, sizeof(l)));
        else
                finding_add(out, c, ctx, STATUS_PASS, id, ev, NULL,
                            tr(ctx, "%s last succeeded %s ago"), name,
                            age_text(ctx, age, a, sizeof(a)));
}

void rule_backup_recent(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        const json_t *pr;
        size_t i;

        for (i = 0; i < ctx->policy->njobs; i++) {
                const struct backup_job *jb = &ctx->policy->jobs[i];
                const json_t *jf = job_facts(ctx, jb->name);

                if (!job_unusable(c, ctx, out, jb, jf))
                        recent_job(c, ctx, out, jb, jf);
        }
        json_array_foreach(products(ctx), i, pr)
        {
                recent_product(c, ctx, out, pr);
        }
}

static bool same_str(const json_t *a, const json_t *b, const char *key)
{
        const char *x = str(a, key), *y = str(b, key);

        return x && y && strcmp(x, y) == 0;
}

static void offsite_job(const struct check *c, const struct check_ctx *ctx, struct findings *out,
                        const struct backup_job *jb, const json_t *jf)
{
        const char *keep_away =
            tr(ctx, "Keep a copy of the backups away from this machine: on a network share "
                    "(NAS) or on a disk that is unplugged after each backup and stored "
                    "elsewhere, so that a disk failure, ransomware or a fire cannot take "
                    "both.");
        const json_t *mi_err = facts_error(rules_facts(ctx, FAM_BACKUP), "mountinfo");
        const json_t *dev = json_object_get(jf, "device");
        const json_t *sys = json_object_get(rules_facts(ctx, FAM_BACKUP), "system");
        char where[PATH_MAX];
        json_t *ev;

        if (kind_is(jf, "missing")) {
                finding_add(out, c, ctx, STATUS_SKIP, jb->name, NULL, NULL,
                            tr(ctx, "The backup folder %s does not exist"), jb->path);
                return;
        }
        if (mi_err) {
                finding_add(out, c, ctx, STATUS_ERROR, jb->name, json_deep_copy(mi_err),
                            tr(ctx, "The mount table could not be read: check the file named, "
                                    "then run the check again."),
                            tr(ctx, "%s: cannot tell which disk holds it: %s:%lld: %s"), jb->path,
                            str(mi_err, "file"),
                            (long long)json_integer_value(json_object_get(mi_err, "line")),
                            str(mi_err, "message") ? str(mi_err, "message") : "?");
                return;
        }
        if (!str(dev, "device")) {
                finding_add(out, c, ctx, STATUS_SKIP, jb->name, NULL, NULL,
                            tr(ctx, "%s: cannot tell which disk holds it"), jb->path);
                return;
        }
        ev = json_pack("{s:O, s:O?}", "backup", dev, "system", sys);
        if (json_is_true(json_object_get(dev, "network"))) {
                finding_add(out, c, ctx, STATUS_PASS, jb->name, ev, NULL,
                            tr(ctx, "%s is on a network share (%s %s)"), jb->path,
                            str(dev, "fstype") ? str(dev, "fstype") : "?",
                            str(dev, "source") ? str(dev, "source") : "?");
        } else if (json_is_true(json_object_get(dev, "usb")) ||
                   json_is_true(json_object_get(dev, "removable"))) {
                finding_add(out, c, ctx, STATUS_PASS, jb->name, ev, NULL,
                            tr(ctx, "%s is on a removable disk (%s)"), jb->path,
                            place_text(ctx, dev, where, sizeof(where)));
        } else if (!str(sys, "device")) {
                finding_add(out, c, ctx, STATUS_SKIP, jb->name, ev, NULL,
                            tr(ctx, "%s: cannot tell which disk holds the system"), jb->path);
        } else if (same_str(dev, sys, "device") || same_str(dev, sys, "disk")) {
                finding_add(out, c, ctx, STATUS_FAIL, jb->name, ev, keep_away,
                            tr(ctx, "%s is on the same disk as the system (%s)"), jb->path,
                            place_text(ctx, dev, where, sizeof(where)));
        } else if (str(dev, "disk") && str(sys, "disk")) {
                finding_add(out, c, ctx, STATUS_WARN, jb->name, ev, keep_away,
                            tr(ctx, "%s is on another disk inside this machine (%s)"), jb->path,
                            place_text(ctx, dev, where, sizeof(where)));
        } else {
                /* Another volume, but which disks hold the two is unknown. */
                finding_add(out, c, ctx, STATUS_WARN, jb->name, ev, keep_away,
                            tr(ctx, "%s is on another volume of this machine (%s), perhaps on the "
                                    "system's disk"),
                            jb->path, place_text(ctx, dev, where, sizeof(where)));
        }
}

void rule_backup_offsite(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        for (size_t i = 0; i < ctx->policy->njobs; i++) {
                const struct backup_job *jb = &ctx->policy->jobs[i];
                const json_t *jf = job_facts(ctx, jb->name);

                if (!job_unusable(c, ctx, out, jb, jf))
                        offsite_job(c, ctx, out, jb, jf);
        }
}

/* n * 2 < p without the overflow of n * 2 (sizes near 2^63: sparse files). */
static bool under_half(long long n, long long p)
{
        return n < p / 2 + p % 2;
}

static void shrunk_job(const struct check *c, const struct check_ctx *ctx, struct findings *out,
                       const struct backup_job *jb, const json_t *jf)
{
        const json_t *newest = json_object_get(jf, "newest");
        const json_t *prev = json_object_get(jf, "previous");
        bool new_complete = !json_is_false(json_object_get(newest, "size_complete"));
        bool prev_complete = !json_is_false(json_object_get(prev, "size_complete"));
        long long n, p;
        char s1[64], s2[64];
        json_t *ev;

        if (kind_is(jf, "restic") || kind_is(jf, "borg")) {
                finding_add(out, c, ctx, STATUS_SKIP, jb->name, NULL, NULL,
                            tr(ctx, "%s: a %s repository does not show the size of one backup"),
                            jb->path, str(jf, "kind"));
                return;
        }
        if (!newest) {
                finding_add(out, c, ctx, STATUS_SKIP, jb->name, NULL, NULL,
                            tr(ctx, "%s: no backup to compare"), jb->path);
                return;
        }
        if (!json_is_integer(json_object_get(prev, "size")) ||
            !json_is_integer(json_object_get(newest, "size"))) {
                finding_add(out, c, ctx, STATUS_SKIP, jb->name, NULL, NULL,
                            tr(ctx, "%s: only one backup, nothing to compare"), jb->path);
                return;
        }
        n = json_integer_value(json_object_get(newest, "size"));
        p = json_integer_value(json_object_get(prev, "size"));
        ev = json_pack("{s:O, s:O}", "newest", newest, "previous", prev);
        sizes_text(ctx, n, p, s1, s2, sizeof(s1));
        /* A walk cut short only gives a lower bound: the newest must be whole,
         * and the previous may be cut only when the newest is already small. */
        if (!new_complete || (!prev_complete && !under_half(n, p))) {
                const json_t *walk = json_object_get(jf, "walk");
                const char *bound = str(new_complete ? prev : newest, "bound");

                if (bound && strcmp(bound, "time") == 0)
                        finding_add(
                            out, c, ctx, STATUS_SKIP, jb->name, ev, NULL,
                            tr(ctx, "%s: measuring the backups took more than %lld "
                                    "seconds; their sizes are not compared"),
                            jb->path,
                            (long long)json_integer_value(json_object_get(walk, "max_seconds")));
                else if (bound && strcmp(bound, "depth") == 0)
                        finding_add(
                            out, c, ctx, STATUS_SKIP, jb->name, ev, NULL,
                            tr(ctx, "%s: the backups hold folders nested more than %lld "
                                    "deep; their sizes are not compared"),
                            jb->path,
                            (long long)json_integer_value(json_object_get(walk, "max_depth")));
                else
                        finding_add(
                            out, c, ctx, STATUS_SKIP, jb->name, ev, NULL,
                            tr(ctx, "%s: the backups hold more than %lld files and "
                                    "folders; their sizes are not compared"),
                            jb->path,
                            (long long)json_integer_value(json_object_get(walk, "max_entries")));
                return;
        }
        if (under_half(n, p)) {
                finding_add(out, c, ctx, STATUS_WARN, jb->name, ev,
                            tr(ctx, "Check that the last backup is complete: files may be "
                                    "missing from it, or the job may have stopped half-way."),
                            tr(ctx, "The newest backup in %s is %s, less than half the previous "
                                    "one (%s)"),
                            jb->path, s1, s2);
                return;
        }
        finding_add(out, c, ctx, STATUS_PASS, jb->name, ev, NULL,
                    tr(ctx, "The newest backup in %s is %s (the previous one: %s)"), jb->path, s1,
                    s2);
}

void rule_backup_shrunk(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        for (size_t i = 0; i < ctx->policy->njobs; i++) {
                const struct backup_job *jb = &ctx->policy->jobs[i];
                const json_t *jf = job_facts(ctx, jb->name);

                if (!job_unusable(c, ctx, out, jb, jf))
                        shrunk_job(c, ctx, out, jb, jf);
        }
}
