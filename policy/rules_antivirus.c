/* rules_antivirus.c - antivirus.present, .running, .signatures_age, .realtime.
 *
 * Facts list every product found (ClamAV, or one of antivirus-products.conf);
 * with none, only "present" fails and the others skip. */
#include <stdio.h>
#include <string.h>

#include "rules.h"
#include "util.h"

static const char *str(const json_t *o, const char *key)
{
        const char *s = json_string_value(json_object_get(o, key));

        return s && *s ? s : NULL;
}

static const json_t *products(const struct check_ctx *ctx)
{
        return json_object_get(rules_facts(ctx, FAM_ANTIVIRUS), "products");
}

static bool windows(const struct check_ctx *ctx)
{
        const char *p = str(rules_facts(ctx, FAM_ANTIVIRUS), "platform");

        return p && strcmp(p, "windows") == 0;
}

static bool is_clamav(const json_t *p)
{
        const char *id = str(p, "id");

        return id && strcmp(id, "clamav") == 0;
}

/* Skips with a reason when no product was found; true when it did. */
static bool skip_if_none(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        if (json_array_size(products(ctx)) > 0)
                return false;
        finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "%s",
                    tr(ctx, "No antivirus installed"));
        return true;
}

void rule_antivirus_present(const struct check *c, const struct check_ctx *ctx,
                            struct findings *out)
{
        const json_t *av = rules_facts(ctx, FAM_ANTIVIRUS), *ps = products(ctx), *p;
        const json_t *err = facts_error(av, "products");
        char names[512] = "";
        size_t i;

        json_array_foreach(ps, i, p)
        {
                size_t n = strlen(names);
                snprintf(names + n, sizeof(names) - n, "%s%s", n ? ", " : "", str(p, "name"));
        }
        if (names[0]) {
                finding_add(out, c, ctx, STATUS_PASS, NULL,
                            json_pack("{s:O}", "products", (json_t *)ps), NULL,
                            tr(ctx, "Antivirus installed: %s"), names);
        } else if (err) {
                /* The table of products could not be read: absence is not proven. */
                finding_from_error(out, c, ctx, err);
        } else {
                finding_add(out, c, ctx, STATUS_FAIL, NULL, NULL,
                            windows(ctx)
                                ? tr(ctx, "Turn Microsoft Defender Antivirus back on (Windows "
                                          "Security, Virus & threat protection), or install the "
                                          "antivirus your establishment uses.")
                                : tr(ctx, "Install ClamAV: apt install clamav-daemon "
                                          "clamav-freshclam"),
                            "%s", tr(ctx, "No antivirus found"));
        }
}

void rule_antivirus_running(const struct check *c, const struct check_ctx *ctx,
                            struct findings *out)
{
        const json_t *p;
        char rem[256], stopped[256];
        size_t i, j;

        if (skip_if_none(c, ctx, out))
                return;
        json_array_foreach(products(ctx), i, p)
        {
                const json_t *running = json_object_get(p, "running"), *comp;
                json_t *ev =
                    json_pack("{s:O?, s:O?, s:O?}", "components", json_object_get(p, "components"),
                              "judged_by", json_object_get(p, "judged_by"), "found_by",
                              json_object_get(p, "found_by"));
                const char *name = str(p, "name"), *id = str(p, "id");

                if (!json_is_boolean(running)) {
                        finding_add(out, c, ctx, STATUS_SKIP, id, ev, NULL,
                                    tr(ctx, "%s: cannot tell whether it runs"), name);
                        continue;
                }
                if (json_is_true(running)) {
                        finding_add(out, c, ctx, STATUS_PASS, id, ev, NULL,
                                    tr(ctx, "%s is running"), name);
                        continue;
                }
                stopped[0] = '\0';
                json_array_foreach(json_object_get(p, "components"), j, comp)
                {
                        const json_t *r = json_object_get(comp, "running");
                        const char *what =
                            str(comp, "process") ? str(comp, "process") : str(comp, "service");
                        size_t n = strlen(stopped);

                        if (json_is_true(r) || !what ||
                            (is_clamav(p) && strcmp(what, "clamonacc") == 0))
                                continue;
                        snprintf(stopped + n, sizeof(stopped) - n, "%s%s", n ? ", " : "", what);
                }
                if (is_clamav(p))
                        snprintf(rem, sizeof(rem), "%s",
                                 tr(ctx, "Start ClamAV and have it start with the machine: "
                                         "systemctl enable --now clamav-daemon clamav-freshclam "
                                         "(install them first if needed: apt install "
                                         "clamav-daemon clamav-freshclam)."));
                else
                        snprintf(rem, sizeof(rem),
                                 tr(ctx, "Start %s's service and have it start with the machine, "
                                         "or call its vendor's support."),
                                 name);
                finding_add(out, c, ctx, STATUS_FAIL, id, ev, rem,
                            tr(ctx, "%s is installed but not running (stopped: %s)"), name,
                            stopped[0] ? stopped : "?");
        }
}

void rule_antivirus_signatures_age(const struct check *c, const struct check_ctx *ctx,
                                   struct findings *out)
{
        const json_t *av = rules_facts(ctx, FAM_ANTIVIRUS), *p;
        long max = ctx->policy->av_signatures_max_age_days;
        size_t i;

        if (skip_if_none(c, ctx, out))
                return;
        json_array_foreach(products(ctx), i, p)
        {
                const json_t *sig = json_object_get(p, "signatures"), *err;
                const char *name = str(p, "name"), *id = str(p, "id");

                if (!sig) {
                        finding_add(out, c, ctx, STATUS_SKIP, id, NULL, NULL,
                                    tr(ctx, "%s: Hygie cannot read its signatures' date"), name);
                        continue;
                }
                if (is_clamav(p) && (err = facts_error(av, "clamav-signatures"))) {
                        finding_add(out, c, ctx, STATUS_ERROR, id, json_deep_copy(err),
                                    tr(ctx, "Delete the damaged file and run freshclam to "
                                            "download it again."),
                                    "/%s: %s", str(err, "file"), str(err, "message"));
                        continue;
                }
                json_t *ev = json_deep_copy(sig);
                json_object_set_new(ev, "max_age_days", json_integer(max));
                const json_t *t = json_object_get(sig, "newest_time");
                const json_t *current = json_object_get(sig, "up_to_date");
                if (!json_is_integer(t) && json_is_boolean(current)) {
                        /* Security Center's word, where the date is not known. */
                        if (json_is_true(current))
                                finding_add(out, c, ctx, STATUS_PASS, id, ev, NULL,
                                            tr(ctx, "%s signatures are up to date (Windows "
                                                    "Security Center)"),
                                            name);
                        else
                                finding_add(out, c, ctx, STATUS_FAIL, id, ev,
                                            tr(ctx, "Open the antivirus and update it; check "
                                                    "that the machine reaches the Internet."),
                                            tr(ctx, "%s signatures are out of date (Windows "
                                                    "Security Center)"),
                                            name);
                        continue;
                }
                if (!json_is_integer(t)) {
                        finding_add(out, c, ctx, STATUS_FAIL, id, ev,
                                    tr(ctx, "Run freshclam once (or start clamav-freshclam) and "
                                            "check that it can reach the Internet."),
                                    tr(ctx, "%s has no signature database in /%s"), name,
                                    str(sig, "directory"));
                        continue;
                }
                time_t when = (time_t)json_integer_value(t);
                char iso[32];
                long days = util_days_between(when, ctx->now);

                util_iso8601(when, iso, sizeof(iso));
                iso[10] = '\0';
                json_object_set_new(ev, "age_days", json_integer(days));
                if (difftime(ctx->now, when) > (double)max * 86400)
                        finding_add(out, c, ctx, STATUS_FAIL, id, ev,
                                    !is_clamav(p) ? tr(ctx, "Open the antivirus and update it "
                                                            "(Windows Security: Virus & threat "
                                                            "protection updates); check that the "
                                                            "machine reaches the Internet.")
                                                  : tr(ctx, "Check that clamav-freshclam runs "
                                                            "and can reach the Internet "
                                                            "(journalctl -u clamav-freshclam)."),
                                    trn(ctx,
                                        "%s signatures date from %s, %ld day ago: older "
                                        "than the %ld-day limit",
                                        "%s signatures date from %s, %ld days ago: older than "
                                        "the %ld-day limit",
                                        (unsigned long)days),
                                    name, iso, days, max);
                else
                        finding_add(out, c, ctx, STATUS_PASS, id, ev, NULL,
                                    trn(ctx, "%s signatures are %ld day old (from %s)",
                                        "%s signatures are %ld days old (from %s)",
                                        (unsigned long)(days < 0 ? 0 : days)),
                                    name, days < 0 ? 0 : days, iso);
        }
}

static bool component_running(const json_t *p, const char *process)
{
        const json_t *comp;
        size_t i;

        json_array_foreach(json_object_get(p, "components"), i, comp)
        {
                const char *name = str(comp, "process");
                if (name && strcmp(name, process) == 0)
                        return json_is_true(json_object_get(comp, "running"));
        }
        return false;
}

/* What ClamAV's on-access scanning lacks, first thing first. */
static const char *clamav_why_not(const struct check_ctx *ctx, const json_t *p)
{
        if (json_array_size(json_object_get(p, "onaccess_paths")) == 0)
                return tr(ctx, "no OnAccessIncludePath in clamd.conf");
        if (!component_running(p, "clamd"))
                return tr(ctx, "clamd not running");
        return tr(ctx, "clamonacc not running");
}

void rule_antivirus_realtime(const struct check *c, const struct check_ctx *ctx,
                             struct findings *out)
{
        const json_t *p;
        char on[256] = "", off[256] = "";
        bool clamav = false, known = false;
        size_t i;

        if (skip_if_none(c, ctx, out))
                return;
        json_t *ev = json_array();
        json_array_foreach(products(ctx), i, p)
        {
                const json_t *rt = json_object_get(p, "realtime");
                char *list = json_is_true(rt) ? on : off;
                size_t n = strlen(list);

                json_array_append_new(
                    ev, json_pack("{s:O?, s:O?, s:O?, s:O?}", "product", json_object_get(p, "name"),
                                  "realtime", rt, "how", json_object_get(p, "realtime_how"),
                                  "onaccess_paths", json_object_get(p, "onaccess_paths")));
                if (!json_is_boolean(rt))
                        continue;
                known = true;
                clamav = clamav || is_clamav(p);
                snprintf(list + n, 256 - n, "%s%s", n ? ", " : "", str(p, "name"));
                n = strlen(list);
                if (!json_is_true(rt) && is_clamav(p))
                        snprintf(list + n, 256 - n, ": %s", clamav_why_not(ctx, p));
        }
        json_t *evo = json_pack("{s:o}", "products", ev);
        if (on[0])
                finding_add(out, c, ctx, STATUS_PASS, NULL, evo, NULL,
                            tr(ctx, "Files are scanned as they are opened (%s)"), on);
        else if (!known)
                finding_add(out, c, ctx, STATUS_SKIP, NULL, evo, NULL, "%s",
                            tr(ctx, "Cannot tell whether files are scanned as they are opened"));
        else
                finding_add(out, c, ctx, STATUS_FAIL, NULL, evo,
                            clamav ? tr(ctx, "Name the folders to watch in /etc/clamav/clamd.conf "
                                             "(OnAccessIncludePath /home), then run: systemctl "
                                             "enable --now clamav-daemon clamav-clamonacc")
                                   : tr(ctx, "Turn on real-time (on-access) scanning in the "
                                             "antivirus settings, and make sure it runs."),
                            tr(ctx, "Files are not scanned as they are opened (%s)"), off);
}
