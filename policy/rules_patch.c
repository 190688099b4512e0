/* rules_patch.c - patch.*: pending updates, security updates, the age of
 * the last "apt update" or Windows Update search, a pending reboot,
 * automatic updates (ANSSI 34). Reads facts.patch as the collectors fill it:
 * on Debian (collectors/linux/patch.c) the counts are exact and the list of
 * updates may hold only the first of them; on Windows ("windows_update")
 * the list is Windows Update's search, and "latest" the newest cumulative
 * update the policy's table knows for the build. */
#include <stdio.h>
#include <time.h>
#include <string.h>

#include "policy.h"
#include "rules.h"
#include "util.h"

#define NAMES_SHOWN 5

/* Which of the pending updates a list or a count takes. */
enum which { ALL, SECURITY, OTHER };

static bool taken(const json_t *item, enum which which)
{
        bool security = json_is_true(json_object_get(item, "security"));

        return which == ALL || (which == SECURITY) == security;
}

static const char *str(const json_t *o, const char *key)
{
        const char *s = json_string_value(json_object_get(o, key));

        return s && *s ? s : NULL;
}

static bool is_windows(const json_t *f)
{
        return json_is_true(json_object_get(f, "windows_update"));
}

/* facts.patch when the system uses dpkg; NULL after adding a skip. */
static const json_t *debian_facts(const struct check *c, const struct check_ctx *ctx,
                                  struct findings *out)
{
        const json_t *f = rules_facts(ctx, FAM_PATCH);

        if (!json_is_true(json_object_get(f, "dpkg"))) {
                finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL,
                            tr(ctx, "No Debian package database: not checked on this system"));
                return NULL;
        }
        return f;
}

/* An error finding for the first collector error that makes the pending
 * list untrustworthy; true when one was added. */
static bool pending_error(const struct check *c, const struct check_ctx *ctx, const json_t *f,
                          struct findings *out)
{
        static const char *const sources[] = { "status", "lists", "preferences" };

        for (size_t i = 0; i < sizeof(sources) / sizeof(sources[0]); i++) {
                const json_t *e = facts_error(f, sources[i]);
                if (e) {
                        finding_from_error(out, c, ctx, e);
                        return true;
                }
        }
        return false;
}

/* "a, b, c and 4 more" from the pending items which takes, named by key
 * (by "package" when they lack it). */
static void names(const json_t *pending, enum which which, const char *key, size_t total, char *buf,
                  size_t size, const struct check_ctx *ctx)
{
        size_t i, shown = 0, len = 0;
        const json_t *item;

        buf[0] = '\0';
        json_array_foreach(pending, i, item)
        {
                if (!taken(item, which))
                        continue;
                if (shown == NAMES_SHOWN)
                        break;
                const char *name = str(item, key) ? str(item, key) : str(item, "package");
                len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%s",
                                        shown ? ", " : "", name ? name : "?");
                shown++;
        }
        if (total > shown && len < size)
                snprintf(buf + len, size - len, tr(ctx, " and %zu more"), total - shown);
}

/* The listed updates which takes and their exact count. */
static json_t *pending_evidence(const json_t *pending, enum which which, size_t total)
{
        json_t *a = json_array();
        size_t i;
        const json_t *item;

        json_array_foreach(pending, i, item)
        {
                if (taken(item, which))
                        json_array_append_new(a, json_deep_copy(item));
        }
        return json_pack("{s:I, s:b, s:o}", "count", (json_int_t)total, "truncated",
                         json_array_size(a) < total, "updates", a);
}

/* A count from facts.patch (0 when absent). */
static size_t count(const json_t *f, const char *key)
{
        json_int_t n = json_integer_value(json_object_get(f, key));

        return n > 0 ? (size_t)n : 0;
}

/* Windows. */

/* The pending list of facts.patch when Windows Update's search ran, or NULL. */
static const json_t *win_pending(const json_t *f)
{
        const json_t *pending = json_object_get(f, "pending");

        if (!json_is_array(pending) ||
            json_is_false(json_object_get(json_object_get(f, "search"), "ok")))
                return NULL;
        return pending;
}

static size_t win_listed(const json_t *pending, enum which which)
{
        size_t i, n = 0;
        const json_t *item;

        json_array_foreach(pending, i, item)
        {
                if (taken(item, which))
                        n++;
        }
        return n;
}

/* How many updates which takes: the list may hold only the first of them,
 * pending_count counts them all and security_count the security ones among
 * those listed, so security updates left out of a long list count as
 * others. */
static size_t win_count(const json_t *f, const json_t *pending, enum which which)
{
        size_t security = win_listed(pending, SECURITY);
        size_t all = json_array_size(pending);

        if (count(f, "security_count") > security)
                security = count(f, "security_count");
        if (count(f, "pending_count") > all)
                all = count(f, "pending_count");
        if (which == SECURITY)
                return security;
        return which == ALL ? all : all > security ? all - security : 0;
}

/* Whole days from the date s (YYYY-MM-DD) to now; false when s is no date. */
static bool days_since(const char *s, time_t now, long *days)
{
        time_t t;

        if (util_parse_date(s, &t) < 0)
                return false;
        *days = util_days_between(t, now);
        return true;
}

/* A skip that says why Windows Update's search did not run. */
static void win_not_searched(const struct check *c, const struct check_ctx *ctx, const json_t *f,
                             const char *what, struct findings *out)
{
        const json_t *search = json_object_get(f, "search");
        const char *err = str(search, "error");

        if (err)
                finding_add(out, c, ctx, STATUS_SKIP, NULL, json_deep_copy(search), NULL,
                            tr(ctx, "%s: Windows Update could not be searched (%s)"), what, err);
        else
                finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL,
                            tr(ctx, "%s: Windows Update was not searched"), what);
}

static const char *win_fix(const struct check_ctx *ctx)
{
        return tr(ctx, "Open Windows Update (Settings, Windows Update), select \"Check for "
                       "updates\" and install what it offers, then restart when asked.");
}

static void win_security_pending(const struct check *c, const struct check_ctx *ctx,
                                 const json_t *f, struct findings *out)
{
        const struct policy *p = ctx->policy;
        const json_t *pending = win_pending(f), *latest = json_object_get(f, "latest");
        json_int_t build = json_integer_value(json_object_get(f, "build"));
        json_int_t rev = json_integer_value(json_object_get(f, "revision"));
        json_int_t lrev = json_integer_value(json_object_get(latest, "revision"));
        const char *ldate = str(latest, "date"), *kb = str(latest, "kb");
        const char *updated = str(latest, "table_updated");
        char have[32], want[64], list[512];
        long days = 0;

        json_t *ev =
            json_pack("{s:I, s:I, s:i, s:i}", "build", build, "revision", rev, "grace_days",
                      (int)p->win_grace_days, "table_max_age_days", (int)p->win_table_max_age_days);
        if (latest)
                json_object_set_new(ev, "latest", json_deep_copy(latest));
        if (json_object_get(f, "search"))
                json_object_set_new(ev, "search", json_deep_copy(json_object_get(f, "search")));
        snprintf(have, sizeof(have), "%lld.%lld", (long long)build, (long long)rev);
        snprintf(want, sizeof(want), "%lld.%lld%s%s", (long long)build, (long long)lrev,
                 kb ? ", " : "", kb ? kb : "");

        size_t n = pending ? win_count(f, pending, SECURITY) : 0;
        if (n > 0) {
                names(pending, SECURITY, "kb", n, list, sizeof(list), ctx);
                json_t *updates = pending_evidence(pending, SECURITY, n);
                json_object_update(ev, updates);
                json_decref(updates);
                finding_add(out, c, ctx, STATUS_FAIL, NULL, ev, win_fix(ctx),
                            trn(ctx, "%zu security update waiting: %s",
                                "%zu security updates waiting: %s", n),
                            n, list);
                return;
        }
        if (!latest || lrev <= 0 || !ldate) {
                if (pending) {
                        finding_add(out, c, ctx, STATUS_PASS, NULL, ev, NULL,
                                    tr(ctx, "No security update waiting"));
                } else {
                        json_decref(ev);
                        char what[160];
                        snprintf(what, sizeof(what),
                                 tr(ctx, "Build %lld is not in the table of "
                                         "Windows updates"),
                                 (long long)build);
                        win_not_searched(c, ctx, f, what, out);
                }
                return;
        }
        if (rev < lrev) {
                if (!days_since(ldate, ctx->now, &days) || days > p->win_grace_days)
                        finding_add(out, c, ctx, STATUS_FAIL, NULL, ev, win_fix(ctx),
                                    tr(ctx, "Build %s lacks the cumulative update of %s (%s)"),
                                    have, ldate, want);
                else
                        finding_add(out, c, ctx, STATUS_WARN, NULL, ev, win_fix(ctx),
                                    trn(ctx,
                                        "Build %s does not have the cumulative update of %s (%s) "
                                        "yet: released %ld day ago, %ld allowed",
                                        "Build %s does not have the cumulative update of %s (%s) "
                                        "yet: released %ld days ago, %ld allowed",
                                        (unsigned long)(days > 0 ? days : 0)),
                                    have, ldate, want, days, p->win_grace_days);
                return;
        }
        /* Nothing the table knows is missing; a table past its age may not
         * know the newest update, unless the build's servicing is over. */
        if (!json_is_true(json_object_get(latest, "final"))) {
                const char *fix = tr(ctx, "Ask whoever manages Hygie to bring the table of Windows "
                                          "updates up to date (policy, [windows] section).");
                if (!updated || !days_since(updated, ctx->now, &days)) {
                        finding_add(out, c, ctx, STATUS_WARN, NULL, ev, fix,
                                    tr(ctx, "The table of Windows updates has no date: cannot "
                                            "tell whether the latest cumulative update is "
                                            "installed"));
                        return;
                }
                if (days > p->win_table_max_age_days) {
                        finding_add(out, c, ctx, STATUS_WARN, NULL, ev, fix,
                                    trn(ctx,
                                        "The table of Windows updates is %ld day old: cannot tell "
                                        "whether the latest cumulative update is installed",
                                        "The table of Windows updates is %ld days old: cannot "
                                        "tell whether the latest cumulative update is installed",
                                        (unsigned long)days),
                                    days);
                        return;
                }
        }
        finding_add(out, c, ctx, STATUS_PASS, NULL, ev, NULL,
                    tr(ctx, "Build %s has the cumulative update of %s (%s)"), have, ldate, want);
}

static void win_updates_pending(const struct check *c, const struct check_ctx *ctx, const json_t *f,
                                struct findings *out)
{
        const json_t *pending = win_pending(f);
        char list[512];

        if (!pending) {
                win_not_searched(c, ctx, f, tr(ctx, "Pending updates not checked"), out);
                return;
        }
        size_t n = win_count(f, pending, OTHER);
        if (n == 0) {
                finding_add(out, c, ctx, STATUS_PASS, NULL, NULL, NULL, "%s",
                            win_count(f, pending, ALL)
                                ? tr(ctx, "No update waiting other than the security updates")
                                : tr(ctx, "No update waiting"));
                return;
        }
        names(pending, OTHER, "package", n, list, sizeof(list), ctx);
        finding_add(out, c, ctx, STATUS_WARN, NULL, pending_evidence(pending, OTHER, n),
                    win_fix(ctx), trn(ctx, "%zu update waiting: %s", "%zu updates waiting: %s", n),
                    n, list);
}

static void win_refresh_age(const struct check *c, const struct check_ctx *ctx, const json_t *f,
                            struct findings *out)
{
        const char *last = str(f, "last_refresh");
        const char *fix = tr(ctx, "Open Windows Update (Settings, Windows Update) and select "
                                  "\"Check for updates\"; if it fails, check the network "
                                  "connection and the proxy.");
        long max = ctx->policy->patch_refresh_max_age_days;
        time_t t;

        if (util_parse_iso8601(last, &t) < 0) {
                /* Windows noted a date Hygie cannot read. */
                const json_t *err = facts_error(f, "windows-update");
                if (err)
                        finding_from_error(out, c, ctx, err);
                else
                        finding_add(out, c, ctx, STATUS_FAIL, NULL, NULL, fix,
                                    tr(ctx, "Windows Update never searched for updates "
                                            "successfully"));
                return;
        }
        long days = util_days_between(t, ctx->now);
        json_t *ev = json_pack("{s:s, s:s?, s:i}", "last_refresh", last, "source",
                               str(f, "last_refresh_source"), "max_age_days", (int)max);
        if (days > max)
                finding_add(out, c, ctx, STATUS_FAIL, NULL, ev, fix,
                            trn(ctx, "The last successful Windows Update search was %ld day ago",
                                "The last successful Windows Update search was %ld days ago",
                                (unsigned long)days),
                            days);
        else
                finding_add(out, c, ctx, STATUS_PASS, NULL, ev, NULL,
                            tr(ctx, "Windows Update last searched for updates on %.10s"), last);
}

static void win_reboot_required(const struct check *c, const struct check_ctx *ctx, const json_t *f,
                                struct findings *out)
{
        if (!json_is_true(json_object_get(f, "reboot_required"))) {
                finding_add(out, c, ctx, STATUS_PASS, NULL, NULL, NULL,
                            tr(ctx, "No restart needed by updates"));
                return;
        }
        finding_add(out, c, ctx, STATUS_WARN, NULL,
                    json_pack("{s:s?}", "how", str(f, "reboot_how")),
                    tr(ctx, "Restart the machine at a convenient time so that the installed "
                            "updates take effect."),
                    tr(ctx, "A restart is needed to finish installing updates"));
}

static void win_auto_updates(const struct check *c, const struct check_ctx *ctx, const json_t *f,
                             struct findings *out)
{
        const json_t *u = json_object_get(f, "auto_updates");
        const char *how = str(u, "how");
        const char *fix;

        if (!json_is_boolean(json_object_get(u, "enabled"))) {
                finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL,
                            tr(ctx, "Whether automatic updates are on was not found"));
                return;
        }
        if (json_is_true(json_object_get(u, "enabled"))) {
                finding_add(out, c, ctx, STATUS_PASS, NULL, json_deep_copy(u), NULL,
                            tr(ctx, "Windows installs updates automatically"));
                return;
        }
        if (how && strstr(how, "policy"))
                fix = tr(ctx, "Allow automatic updates again: a group policy (\"Configure "
                              "Automatic Updates\") turns them off; ask whoever manages the "
                              "machine's policies.");
        else if (how && strstr(how, "service"))
                fix = tr(ctx, "Set the \"Windows Update\" service back to its usual start "
                              "type (Manual) in Services, so that updates install by "
                              "themselves.");
        else
                fix = tr(ctx, "Turn automatic updates back on in Settings, Windows Update.");
        finding_add(out, c, ctx, STATUS_FAIL, NULL, json_deep_copy(u), fix,
                    tr(ctx, "Automatic updates are turned off (%s)"), how ? how : "?");
}

void rule_patch_security_pending(const struct check *c, const struct check_ctx *ctx,
                                 struct findings *out)
{
        const json_t *f = rules_facts(ctx, FAM_PATCH);
        char list[512];

        if (is_windows(f)) {
                win_security_pending(c, ctx, f, out);
                return;
        }
        f = debian_facts(c, ctx, out);
        if (!f || pending_error(c, ctx, f, out))
                return;
        const json_t *pending = json_object_get(f, "pending");
        size_t n = count(f, "security_count");
        if (n == 0) {
                finding_add(out, c, ctx, STATUS_PASS, NULL, NULL, NULL,
                            tr(ctx, "No security update waiting"));
                return;
        }
        names(pending, SECURITY, "package", n, list, sizeof(list), ctx);
        finding_add(
            out, c, ctx, STATUS_FAIL, NULL, pending_evidence(pending, SECURITY, n),
            tr(ctx, "Install the updates now (\"apt upgrade\", or your usual update "
                    "tool), then restart if asked."),
            trn(ctx, "%zu security update waiting: %s", "%zu security updates waiting: %s", n), n,
            list);
}

void rule_patch_updates_pending(const struct check *c, const struct check_ctx *ctx,
                                struct findings *out)
{
        const json_t *f = rules_facts(ctx, FAM_PATCH);
        char list[512];

        if (is_windows(f)) {
                win_updates_pending(c, ctx, f, out);
                return;
        }
        f = debian_facts(c, ctx, out);
        if (!f || pending_error(c, ctx, f, out))
                return;
        const json_t *pending = json_object_get(f, "pending");
        size_t n = count(f, "pending_count");
        if (n == 0) {
                finding_add(out, c, ctx, STATUS_PASS, NULL, NULL, NULL,
                            tr(ctx, "All packages are up to date"));
                return;
        }
        names(pending, ALL, "package", n, list, sizeof(list), ctx);
        finding_add(out, c, ctx, STATUS_WARN, NULL, pending_evidence(pending, ALL, n),
                    tr(ctx, "Install the pending updates (\"apt upgrade\", or your usual update "
                            "tool)."),
                    trn(ctx, "%zu update waiting: %s", "%zu updates waiting: %s", n), n, list);
}

void rule_patch_refresh_age(const struct check *c, const struct check_ctx *ctx,
                            struct findings *out)
{
        const json_t *f = rules_facts(ctx, FAM_PATCH);
        const char *last;
        time_t t;

        if (is_windows(f)) {
                win_refresh_age(c, ctx, f, out);
                return;
        }
        f = debian_facts(c, ctx, out);
        if (!f)
                return;
        long max = ctx->policy->patch_refresh_max_age_days;
        last = json_string_value(json_object_get(f, "last_refresh"));
        if (util_parse_iso8601(last, &t) < 0) {
                finding_add(out, c, ctx, STATUS_FAIL, NULL, NULL,
                            tr(ctx, "Run \"apt update\", and check that it runs by itself "
                                    "every day."),
                            tr(ctx, "The list of available updates was never downloaded"));
                return;
        }
        long days = util_days_between(t, ctx->now);
        json_t *ev = json_pack("{s:s, s:s?, s:i}", "last_refresh", last, "source",
                               json_string_value(json_object_get(f, "last_refresh_source")),
                               "max_age_days", (int)max);
        if (days > max)
                finding_add(out, c, ctx, STATUS_FAIL, NULL, ev,
                            tr(ctx, "Run \"apt update\", and check that it runs by itself "
                                    "every day (network, proxy, sources)."),
                            trn(ctx, "The list of available updates is %ld day old",
                                "The list of available updates is %ld days old",
                                (unsigned long)days),
                            days);
        else
                finding_add(out, c, ctx, STATUS_PASS, NULL, ev, NULL,
                            tr(ctx, "The list of available updates was refreshed on %.10s"), last);
}

void rule_patch_reboot_required(const struct check *c, const struct check_ctx *ctx,
                                struct findings *out)
{
        const json_t *f = rules_facts(ctx, FAM_PATCH);
        char list[512] = "";
        size_t i, len = 0;
        const json_t *p;

        if (is_windows(f)) {
                win_reboot_required(c, ctx, f, out);
                return;
        }
        f = debian_facts(c, ctx, out);
        if (!f)
                return;
        if (!json_is_true(json_object_get(f, "reboot_required"))) {
                finding_add(out, c, ctx, STATUS_PASS, NULL, NULL, NULL,
                            tr(ctx, "No restart needed by updates"));
                return;
        }
        const json_t *pkgs = json_object_get(f, "reboot_packages");
        json_array_foreach(pkgs, i, p)
        {
                if (i == NAMES_SHOWN)
                        break;
                len += (size_t)snprintf(list + len, len < sizeof(list) ? sizeof(list) - len : 0,
                                        "%s%s", i ? ", " : "", json_string_value(p));
        }
        json_t *ev = json_pack("{s:O}", "packages", pkgs);
        const char *fix = tr(ctx, "Restart the machine at a convenient time so that the "
                                  "installed updates take effect.");
        if (list[0])
                finding_add(out, c, ctx, STATUS_WARN, NULL, ev, fix,
                            tr(ctx, "A restart is needed to finish installing updates (%s)"), list);
        else
                finding_add(out, c, ctx, STATUS_WARN, NULL, ev, fix,
                            tr(ctx, "A restart is needed to finish installing updates"));
}

void rule_patch_auto_updates(const struct check *c, const struct check_ctx *ctx,
                             struct findings *out)
{
        const json_t *f = rules_facts(ctx, FAM_PATCH);

        if (is_windows(f)) {
                win_auto_updates(c, ctx, f, out);
                return;
        }
        f = debian_facts(c, ctx, out);
        if (!f)
                return;
        const json_t *u = json_object_get(f, "unattended_upgrades");
        json_t *ev = json_deep_copy(u);
        if (!json_is_true(json_object_get(u, "installed")))
                finding_add(out, c, ctx, STATUS_FAIL, NULL, ev,
                            tr(ctx, "Install the \"unattended-upgrades\" package so that "
                                    "security updates install by themselves."),
                            tr(ctx, "Automatic updates are not installed"));
        else if (!json_is_true(json_object_get(u, "enabled")))
                finding_add(out, c, ctx, STATUS_FAIL, NULL, ev,
                            tr(ctx, "Turn automatic updates on: run \"dpkg-reconfigure "
                                    "unattended-upgrades\" and answer yes."),
                            tr(ctx, "Automatic updates are installed but turned off"));
        else
                finding_add(out, c, ctx, STATUS_PASS, NULL, ev, NULL,
                            tr(ctx, "Security updates install automatically"));
}
