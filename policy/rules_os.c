/* rules_os.c - os.supported: does this system still get security fixes? */
#include <string.h>

#include "rules.h"
#include "util.h"

const json_t *rules_facts(const struct check_ctx *ctx, enum family f)
{
        return json_object_get(ctx->facts, family_name(f));
}

static const char *str(const json_t *o, const char *key)
{
        const char *s = json_string_value(json_object_get(o, key));

        return s && *s ? s : NULL;
}

void rules_os_support(const json_t *os, time_t now, long warn_months, struct support *s)
{
        const json_t *sup = json_object_get(os, "support");
        const char *distro = str(sup, "distro");
        time_t eol, ext;

        memset(s, 0, sizeof(*s));
        s->system = str(os, "pretty_name") ? str(os, "pretty_name") : str(os, "name");
        if (!s->system)
                s->system = "this system";
        if (!sup || !distro)
                return;
        s->eol = str(sup, "eol");
        if (strcmp(distro, "windows") == 0) {
                /* Windows' extended security updates need a paid contract per
                 * machine: like Debian's ELTS, they do not count. A build or
                 * edition the table lacks has no date: unknown. */
                if (!s->eol)
                        return;
        } else {
                /* Debian LTS is free; ELTS needs a contract, so it does not
                 * count. Ubuntu ESM needs Ubuntu Pro, but is within reach of
                 * anyone: it counts as "only extended fixes remain". */
                s->ext_name = strcmp(distro, "debian") == 0 ? "LTS" : "ESM";
                s->ext = str(sup, strcmp(distro, "debian") == 0 ? "eol_lts" : "eol_esm");
                if (!s->eol) {
                        s->state = SUPPORT_OK; /* in the table, no end date yet (testing, sid) */
                        return;
                }
        }
        if (util_parse_date(s->eol, &eol) < 0)
                return; /* a date the table spoils says nothing: not "supported" */
        if (now < eol) {
                s->days_left = util_days_between(now, eol);
                s->state = s->days_left < warn_months * 30 ? SUPPORT_ENDING : SUPPORT_OK;
                return;
        }
        if (s->ext && util_parse_date(s->ext, &ext) == 0 && now < ext) {
                s->days_left = util_days_between(now, ext);
                s->state = SUPPORT_EXTENDED;
                return;
        }
        s->state = SUPPORT_ENDED;
}

void rule_os_supported(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        const json_t *os = rules_facts(ctx, FAM_OS), *err = facts_error(os, "os-release");
        struct support s;
        json_t *ev;

        if (err) {
                finding_from_error(out, c, ctx, err);
                return;
        }
        rules_os_support(os, ctx->now, ctx->policy->os_eol_warn_months, &s);
        const json_t *sup = json_object_get(os, "support");
        const char *distro = str(sup, "distro");
        bool windows = distro && strcmp(distro, "windows") == 0;
        ev = json_pack("{s:s?, s:s?, s:s?}", "eol", s.eol, "extended_until", s.ext, "table",
                       str(sup, "table"));
        if (windows) {
                static const char *const keys[] = { "release", "edition_family", "esu",
                                                    "table_updated" };
                for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
                        if (str(sup, keys[i]))
                                json_object_set_new(ev, keys[i], json_string(str(sup, keys[i])));
                if (json_is_integer(json_object_get(sup, "build")))
                        json_object_set(ev, "build", json_object_get(sup, "build"));
        }
        switch (s.state) {
        case SUPPORT_UNKNOWN:
                if (s.eol)
                        finding_add(out, c, ctx, STATUS_SKIP, NULL, ev, NULL,
                                    tr(ctx, "%s: the end of support \"%s\" is not a date"),
                                    s.system, s.eol);
                else if (windows && str(sup, "release"))
                        finding_add(out, c, ctx, STATUS_SKIP, NULL, ev, NULL,
                                    tr(ctx, "%s: no end-of-support date for this edition of %s"),
                                    s.system, str(sup, "release"));
                else if (windows)
                        finding_add(out, c, ctx, STATUS_SKIP, NULL, ev, NULL,
                                    tr(ctx, "%s: no end-of-support table for this build"),
                                    s.system);
                else
                        finding_add(out, c, ctx, STATUS_SKIP, NULL, ev, NULL,
                                    tr(ctx, "%s: no end-of-support table for this system"),
                                    s.system);
                break;
        case SUPPORT_OK:
                if (s.eol)
                        finding_add(out, c, ctx, STATUS_PASS, NULL, ev, NULL,
                                    tr(ctx, "%s gets security updates until %s"), s.system, s.eol);
                else
                        finding_add(out, c, ctx, STATUS_PASS, NULL, ev, NULL,
                                    tr(ctx, "%s gets security updates (no end date set)"),
                                    s.system);
                break;
        case SUPPORT_ENDING:
                finding_add(out, c, ctx, STATUS_WARN, NULL, ev,
                            windows ? tr(ctx, "Plan the move to a newer version of Windows now "
                                              "(Settings, Windows Update), or the replacement of "
                                              "the machine if it cannot run one.")
                                    : tr(ctx, "Plan the upgrade to the next release of the system "
                                              "now."),
                            trn(ctx, "%s: security support ends on %s, in %ld day",
                                "%s: security support ends on %s, in %ld days",
                                (unsigned long)s.days_left),
                            s.system, s.eol, s.days_left);
                break;
        case SUPPORT_EXTENDED:
                finding_add(out, c, ctx, STATUS_WARN, NULL, ev,
                            tr(ctx, "Upgrade to a supported release: only limited extended "
                                    "fixes remain."),
                            tr(ctx, "%s: regular security support ended on %s; only %s fixes "
                                    "remain until %s"),
                            s.system, s.eol, s.ext_name, s.ext);
                break;
        case SUPPORT_ENDED:
                finding_add(out, c, ctx, STATUS_FAIL, NULL, ev,
                            windows ? tr(ctx, "Install a supported version of Windows (Settings, "
                                              "Windows Update), or replace the machine if it "
                                              "cannot run one: it gets no security fixes.")
                                    : tr(ctx, "Upgrade to a supported release, or replace the "
                                              "machine: it gets no security fixes."),
                            tr(ctx, "%s gets no security updates since %s"), s.system,
                            s.ext ? s.ext : s.eol);
                break;
        }
}
