/* rules_os.c - the operating system and its own protections: does it still
 * get security fixes (os.supported), does a firewall filter what comes in
 * (firewall.enabled), is the volume that holds it encrypted
 * (disk.encryption)? Facts come from Linux or Windows: the firewall's "how"
 * starts with "windows" there, and the encryption's "how" is "bitlocker". */
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

static bool on_windows(const char *how)
{
        return how && strncmp(how, "windows", 7) == 0;
}

/* The Windows firewall profiles that are off, as a list in the user's
 * language ("domain and public"); their count. */
static unsigned profiles_off(const struct check_ctx *ctx, const json_t *fw, char *buf, size_t size)
{
        static const char *const names[] = { "domain", "private", "public" };
        const json_t *profiles = json_object_get(fw, "profiles");
        const char *off[3];
        unsigned n = 0;
        size_t len = 0;

        buf[0] = '\0';
        for (size_t i = 0; i < 3; i++)
                if (json_is_false(json_object_get(profiles, names[i])))
                        off[n++] = names[i];
        for (unsigned i = 0; i < n; i++) {
                const char *name = strcmp(off[i], "domain") == 0    ? tr(ctx, "domain")
                                   : strcmp(off[i], "private") == 0 ? tr(ctx, "private")
                                                                    : tr(ctx, "public");
                const char *sep = i == 0 ? "" : i + 1 == n ? tr(ctx, " and ") : ", ";
                int w = snprintf(buf + len, size - len, "%s%s", sep, name);
                if (w < 0 || (size_t)w >= size - len)
                        break;
                len += (size_t)w;
        }
        return n;
}

static const char *firewall_remedy(const struct check_ctx *ctx, const char *how)
{
        if (on_windows(how))
                return tr(ctx, "Turn Windows Defender Firewall on for every network profile "
                               "(Windows Security > Firewall & network protection).");
        if (how && strcmp(how, "ufw") == 0)
                return tr(ctx, "Turn the firewall on: run \"sudo ufw enable\", then check that "
                               "\"sudo ufw status\" says it is active.");
        if (how && strcmp(how, "firewalld") == 0)
                return tr(ctx, "Start the firewall and have it start with the machine: run \"sudo "
                               "systemctl enable --now firewalld\".");
        if (how && strcmp(how, "nftables") == 0)
                return tr(ctx,
                          "Put filtering rules in /etc/nftables.conf, then run \"sudo systemctl "
                          "enable --now nftables\"; or use ufw instead: \"sudo apt install "
                          "ufw\", then \"sudo ufw enable\".");
        if (how && strcmp(how, "iptables") == 0)
                return tr(ctx, "Save filtering rules with \"sudo netfilter-persistent save\" and "
                               "have them load at start: \"sudo systemctl enable --now "
                               "netfilter-persistent\".");
        return tr(ctx, "Install a firewall and turn it on: run \"sudo apt install ufw\", then "
                       "\"sudo ufw enable\".");
}

void rule_firewall_enabled(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        const json_t *os = rules_facts(ctx, FAM_OS), *fw = json_object_get(os, "firewall");
        const json_t *err = facts_error(os, "firewall"), *enabled = json_object_get(fw, "enabled");
        const char *how = str(fw, "how");
        bool windows = on_windows(how);
        char off[128];
        unsigned noff = windows ? profiles_off(ctx, fw, off, sizeof(off)) : 0;
        json_t *ev = fw ? json_deep_copy(fw) : json_object();

        if (json_is_true(enabled) && noff == 0) {
                if (windows && json_object_get(fw, "profiles"))
                        finding_add(out, c, ctx, STATUS_PASS, NULL, ev, NULL, "%s",
                                    tr(ctx, "Windows Defender Firewall is on for every network "
                                            "profile"));
                else if (windows)
                        finding_add(out, c, ctx, STATUS_PASS, NULL, ev, NULL, "%s",
                                    tr(ctx, "Windows Defender Firewall is on"));
                else
                        finding_add(out, c, ctx, STATUS_PASS, NULL, ev, NULL,
                                    tr(ctx, "The firewall (%s) is on"), how ? how : "?");
        } else if (err) {
                json_decref(ev);
                finding_from_error(out, c, ctx, err);
        } else if (noff > 0) {
                finding_add(out, c, ctx, STATUS_FAIL, NULL, ev, firewall_remedy(ctx, how),
                            trn(ctx, "Windows Defender Firewall: %s profile off",
                                "Windows Defender Firewall: %s profiles off", noff),
                            off);
        } else if (json_is_false(enabled)) {
                if (windows)
                        finding_add(out, c, ctx, STATUS_FAIL, NULL, ev, firewall_remedy(ctx, how),
                                    "%s", tr(ctx, "Windows Defender Firewall is off"));
                else if (how)
                        finding_add(out, c, ctx, STATUS_FAIL, NULL, ev, firewall_remedy(ctx, how),
                                    tr(ctx, "The firewall (%s) is off"), how);
                else
                        finding_add(out, c, ctx, STATUS_FAIL, NULL, ev, firewall_remedy(ctx, how),
                                    "%s", tr(ctx, "No firewall is on"));
        } else {
                finding_add(out, c, ctx, STATUS_SKIP, NULL, ev, NULL, "%s",
                            tr(ctx, "Cannot tell whether a firewall is on"));
        }
}

void rule_disk_encryption(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        const json_t *os = rules_facts(ctx, FAM_OS), *enc = json_object_get(os, "encryption");
        const json_t *err = facts_error(os, "encryption"),
                     *encrypted = json_object_get(enc, "encrypted");
        const json_t *percent = json_object_get(enc, "percent");
        const char *how = str(enc, "how"), *type = str(enc, "type"), *prot = str(enc, "protection");
        bool bitlocker = how && strcmp(how, "bitlocker") == 0;
        const char *volume = str(enc, "volume") ? str(enc, "volume") : bitlocker ? "C:" : "/";
        json_t *ev = enc ? json_deep_copy(enc) : json_object();

        if (err && !json_is_true(encrypted)) {
                json_decref(ev);
                finding_from_error(out, c, ctx, err);
        } else if (json_is_true(encrypted) && bitlocker && json_is_number(percent) &&
                   json_number_value(percent) < 100) {
                /* On its way to encrypted, or back: BitLocker tells both apart
                 * (its conversion status), the facts do not. */
                finding_add(out, c, ctx, STATUS_WARN, NULL, ev,
                            tr(ctx, "Leave the machine on until BitLocker has finished "
                                    "encrypting the drive; if it is decrypting it instead, turn "
                                    "BitLocker back on."),
                            tr(ctx, "BitLocker has encrypted only %lld%% of the system volume "
                                    "(%s)"),
                            (long long)json_number_value(percent), volume);
        } else if (json_is_true(encrypted) && bitlocker && prot && strcmp(prot, "on") != 0) {
                finding_add(out, c, ctx, STATUS_WARN, NULL, ev,
                            tr(ctx, "Resume BitLocker protection (Control Panel > BitLocker "
                                    "Drive Encryption > Resume protection): until then the "
                                    "drive's key is stored unprotected on it."),
                            strcmp(prot, "suspended") == 0
                                ? tr(ctx, "The system volume (%s) is encrypted with BitLocker, "
                                          "but its protection is suspended")
                                : tr(ctx, "The system volume (%s) is encrypted with BitLocker, "
                                          "but its protection is off"),
                            volume);
        } else if (json_is_true(encrypted)) {
                if (bitlocker)
                        finding_add(out, c, ctx, STATUS_PASS, NULL, ev, NULL,
                                    tr(ctx, "The system volume (%s) is encrypted with BitLocker"),
                                    volume);
                else if (type)
                        finding_add(out, c, ctx, STATUS_PASS, NULL, ev, NULL,
                                    tr(ctx, "The system volume (%s) is encrypted (%s, %s)"), volume,
                                    how ? how : "?", type);
                else
                        finding_add(out, c, ctx, STATUS_PASS, NULL, ev, NULL,
                                    tr(ctx, "The system volume (%s) is encrypted (%s)"), volume,
                                    how ? how : "?");
        } else if (json_is_false(encrypted)) {
                finding_add(out, c, ctx, STATUS_FAIL, NULL, ev,
                            bitlocker ? tr(ctx, "Turn BitLocker on for the system drive (Control "
                                                "Panel > BitLocker Drive Encryption), and keep "
                                                "the recovery key in a safe place, away from the "
                                                "machine.")
                                      : tr(ctx, "Plan with your IT support to reinstall this "
                                                "machine with disk encryption (LUKS): it can "
                                                "only be set up at installation, after a full "
                                                "backup."),
                            tr(ctx, "The system volume (%s) is not encrypted"), volume);
        } else {
                finding_add(out, c, ctx, STATUS_SKIP, NULL, ev, NULL,
                            tr(ctx, "Cannot tell whether the system volume (%s) is encrypted"),
                            volume);
        }
}
