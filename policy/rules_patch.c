/* rules_patch.c - patch.*: pending updates, security updates, the age of
 * the last "apt update", a pending reboot, automatic updates (ANSSI 34).
 * Reads facts.patch as collectors/patch.c fills it: the counts are exact,
 * the list of updates may hold only the first of them. */
#include <stdio.h>
#include <time.h>
#include <string.h>

#include "policy.h"
#include "rules.h"
#include "util.h"

#define NAMES_SHOWN 5

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

/* "a, b, c and 4 more" from the pending items that are (or any when
 * security_only is false) security updates. */
static void names(const json_t *pending, bool security_only, size_t total, char *buf, size_t size,
                  const struct check_ctx *ctx)
{
        size_t i, shown = 0, len = 0;
        const json_t *item;

        buf[0] = '\0';
        json_array_foreach(pending, i, item)
        {
                if (security_only && !json_is_true(json_object_get(item, "security")))
                        continue;
                if (shown == NAMES_SHOWN)
                        break;
                len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%s",
                                        shown ? ", " : "",
                                        json_string_value(json_object_get(item, "package")));
                shown++;
        }
        if (total > shown && len < size)
                snprintf(buf + len, size - len, tr(ctx, " and %zu more"), total - shown);
}

/* The listed updates (security ones only, or all) and their exact count. */
static json_t *pending_evidence(const json_t *pending, bool security_only, size_t total)
{
        json_t *a = json_array();
        size_t i;
        const json_t *item;

        json_array_foreach(pending, i, item)
        {
                if (!security_only || json_is_true(json_object_get(item, "security")))
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

void rule_patch_security_pending(const struct check *c, const struct check_ctx *ctx,
                                 struct findings *out)
{
        const json_t *f = debian_facts(c, ctx, out);
        char list[512];

        if (!f || pending_error(c, ctx, f, out))
                return;
        const json_t *pending = json_object_get(f, "pending");
        size_t n = count(f, "security_count");
        if (n == 0) {
                finding_add(out, c, ctx, STATUS_PASS, NULL, NULL, NULL,
                            tr(ctx, "No security update waiting"));
                return;
        }
        names(pending, true, n, list, sizeof(list), ctx);
        finding_add(
            out, c, ctx, STATUS_FAIL, NULL, pending_evidence(pending, true, n),
            tr(ctx, "Install the updates now (\"apt upgrade\", or your usual update "
                    "tool), then restart if asked."),
            trn(ctx, "%zu security update waiting: %s", "%zu security updates waiting: %s", n), n,
            list);
}

void rule_patch_updates_pending(const struct check *c, const struct check_ctx *ctx,
                                struct findings *out)
{
        const json_t *f = debian_facts(c, ctx, out);
        char list[512];

        if (!f || pending_error(c, ctx, f, out))
                return;
        const json_t *pending = json_object_get(f, "pending");
        size_t n = count(f, "pending_count");
        if (n == 0) {
                finding_add(out, c, ctx, STATUS_PASS, NULL, NULL, NULL,
                            tr(ctx, "All packages are up to date"));
                return;
        }
        names(pending, false, n, list, sizeof(list), ctx);
        finding_add(out, c, ctx, STATUS_WARN, NULL, pending_evidence(pending, false, n),
                    tr(ctx, "Install the pending updates (\"apt upgrade\", or your usual update "
                            "tool)."),
                    trn(ctx, "%zu update waiting: %s", "%zu updates waiting: %s", n), n, list);
}

void rule_patch_refresh_age(const struct check *c, const struct check_ctx *ctx,
                            struct findings *out)
{
        const json_t *f = debian_facts(c, ctx, out);
        const char *last;
        time_t when;

        if (!f)
                return;
        long max = ctx->policy->patch_refresh_max_age_days;
        last = json_string_value(json_object_get(f, "last_refresh"));
        if (!last || util_parse_iso8601(last, &when) < 0) {
                finding_add(out, c, ctx, STATUS_FAIL, NULL, NULL,
                            tr(ctx, "Run \"apt update\", and check that it runs by itself "
                                    "every day."),
                            tr(ctx, "The list of available updates was never downloaded"));
                return;
        }
        long days = util_days_between(when, ctx->now);
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
        const json_t *f = debian_facts(c, ctx, out);
        char list[512] = "";
        size_t i, len = 0;
        const json_t *p;

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
        const json_t *f = debian_facts(c, ctx, out);

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
