/* rules_passwords.c - the password checks: empty and weak passwords, hash
 * schemes, length and age rules, stale administrator passwords, SSH root
 * login, automatic logon.
 *
 * Per-account problems are findings with the account as subject; when none
 * is found, one finding without subject says so. Facts from Windows carry
 * "platform": "windows" (collectors/winacct.h): the same account keys, the
 * machine's rules under "policy", and remediations in Windows' terms. */
#include <stdio.h>
#include <string.h>

#include "rules.h"
#include "util.h"

static const char *str(const json_t *o, const char *key)
{
        return json_string_value(json_object_get(o, key));
}

static bool is(const json_t *o, const char *key, const char *value)
{
        const char *s = str(o, key);

        return s && strcmp(s, value) == 0;
}

static bool flag(const json_t *o, const char *key)
{
        return json_is_true(json_object_get(o, key));
}

static bool windows(const json_t *pw)
{
        return is(pw, "platform", "windows");
}

/* Reports the first collector error among sources (a NULL-terminated list)
 * and returns true; false when there is none. */
static bool pw_errors(const struct check *c, const struct check_ctx *ctx, const json_t *pw,
                      struct findings *out, const char *const *sources)
{
        const json_t *err;

        if (!pw) {
                finding_add(out, c, ctx, STATUS_ERROR, NULL, NULL,
                            tr(ctx, "Run the check again; report the problem if it persists."),
                            "%s", tr(ctx, "No password facts were collected"));
                return true;
        }
        for (; *sources; sources++) {
                err = facts_error(pw, *sources);
                if (!err)
                        continue;
                if (is(err, "code", "EACCES") && windows(pw))
                        finding_add(out, c, ctx, STATUS_ERROR, NULL, json_deep_copy(err),
                                    tr(ctx, "Run Hygie as an administrator: only administrators "
                                            "may read the account settings."),
                                    tr(ctx, "Cannot read %s: access denied — run as "
                                            "administrator"),
                                    str(err, "file"));
                else if (is(err, "code", "EACCES"))
                        finding_add(out, c, ctx, STATUS_ERROR, NULL, json_deep_copy(err),
                                    tr(ctx, "Run Hygie as root: only root may read the password "
                                            "files."),
                                    tr(ctx, "Cannot read %s: permission denied — run as root"),
                                    str(err, "file"));
                else
                        finding_from_error(out, c, ctx, err);
                return true;
        }
        return false;
}

static const json_t *accounts(const json_t *pw)
{
        return json_object_get(pw, "accounts");
}

static json_t *account_evidence(const json_t *a)
{
        static const char *const win[] = { "uid",         "builtin",    "admin", "password",
                                           "last_change", "last_logon", NULL };
        json_t *o;

        if (!is(a, "stored_in", "sam"))
                return json_pack("{s:O?, s:O?, s:O?, s:O?}", "uid", json_object_get(a, "uid"),
                                 "shell", json_object_get(a, "shell"), "admin",
                                 json_object_get(a, "admin"), "scheme",
                                 json_object_get(a, "scheme"));
        o = json_object();
        for (const char *const *k = win; *k; k++)
                if (json_object_get(a, *k))
                        json_object_set(o, *k, json_object_get(a, *k));
        return o;
}

/* What a shared computer can do instead of opening a session by itself. */
static const char *shared_computer(const struct check_ctx *ctx)
{
        return tr(ctx, "If several people share this computer, give each one their own account "
                       "and password; if one shared account is needed, have it ask for a "
                       "password the team knows, and lock the screen after a few minutes.");
}

/* No account is exempt from a password on Windows, but without a minimum
 * length any of them may still have an empty one. */
static void win_empty_allowed(const struct check *c, const struct check_ctx *ctx, const json_t *pw,
                              size_t logins, struct findings *out)
{
        const json_t *min = json_object_get(json_object_get(pw, "policy"), "min_length");
        char fix[512];

        if (json_is_integer(min) && json_integer_value(min) == 0) {
                snprintf(fix, sizeof(fix),
                         tr(ctx, "As administrator, run \"net accounts /minpwlen:%ld\" so that "
                                 "no password can be empty, then make sure each person's "
                                 "password is not (Ctrl+Alt+Del, \"Change a password\")."),
                         ctx->policy->pw_min_length);
                finding_add(
                    out, c, ctx, STATUS_WARN, NULL,
                    json_pack("{s:I, s:i}", "login_accounts", (json_int_t)logins, "min_length", 0),
                    fix, "%s",
                    tr(ctx, "Any account may have an empty password: Windows sets no "
                            "minimum length"));
                return;
        }
        finding_add(
            out, c, ctx, STATUS_PASS, NULL,
            json_pack("{s:I, s:O?}", "login_accounts", (json_int_t)logins, "min_length", min), NULL,
            trn(ctx,
                "No login account is exempt from needing a password (%zu login "
                "account)",
                "No login account is exempt from needing a password (%zu login "
                "accounts)",
                logins),
            logins);
}

void rule_password_empty(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        static const char *const sources[] = { "passwd", "shadow", NULL };
        static const char *const win_sources[] = { "accounts", NULL };
        const json_t *pw = rules_facts(ctx, FAM_PASSWORDS), *a;
        bool win = windows(pw);
        char fix[512];
        size_t i, bad = 0, logins = 0, unknown = 0;

        if (pw_errors(c, ctx, pw, out, win ? win_sources : sources))
                return;
        json_array_foreach(accounts(pw), i, a)
        {
                const char *name = str(a, "name");

                if (win && json_is_false(json_object_get(a, "flags_known"))) {
                        unknown++;
                        continue;
                }
                if (!flag(a, "login_capable"))
                        continue;
                logins++;
                if (!is(a, "password", win ? "not_required" : "empty"))
                        continue;
                bad++;
                if (win) {
                        /* Windows keeps no trace of whether the password is
                         * empty outside the SAM: that it may be is the fault. */
                        snprintf(fix, sizeof(fix),
                                 tr(ctx, "Give this account a password (as administrator: net "
                                         "user %s *), then make Windows require one (net user "
                                         "%s /passwordreq:yes); if nobody uses the account, "
                                         "turn it off (net user %s /active:no)."),
                                 name, name, name);
                        finding_add(out, c, ctx, STATUS_FAIL, name, account_evidence(a), fix,
                                    tr(ctx, "Windows lets account %s log in without a password "
                                            "(\"password not required\" is set)"),
                                    name);
                        continue;
                }
                snprintf(fix, sizeof(fix),
                         tr(ctx, "Set a password for this account (passwd %s), or lock it "
                                 "(passwd -l %s) if nobody uses it."),
                         name, name);
                finding_add(out, c, ctx, STATUS_FAIL, name, account_evidence(a), fix,
                            tr(ctx, "Account %s can log in without a password"), name);
        }
        if (!bad && unknown)
                finding_add(out, c, ctx, STATUS_ERROR, NULL,
                            json_pack("{s:I, s:I}", "unknown_accounts", (json_int_t)unknown,
                                      "login_accounts", (json_int_t)logins),
                            tr(ctx, "Run the check again; report the problem if it persists."),
                            trn(ctx,
                                "The settings of %zu account could not be read: whether it "
                                "needs a password is unknown",
                                "The settings of %zu accounts could not be read: whether they "
                                "need a password is unknown",
                                unknown),
                            unknown);
        else if (!bad && win)
                win_empty_allowed(c, ctx, pw, logins, out);
        else if (!bad)
                finding_add(out, c, ctx, STATUS_PASS, NULL,
                            json_pack("{s:I}", "login_accounts", (json_int_t)logins), NULL,
                            trn(ctx, "No account without a password (%zu login account)",
                                "No account without a password (%zu login accounts)", logins),
                            logins);
}

/* Schemes libxcrypt still recommends (crypt(5)); anything else is weak. */
static bool strong_scheme(const char *s)
{
        static const char *const strong[] = { "yescrypt", "gost-yescrypt", "scrypt",
                                              "bcrypt",   "sha512",        "sha256" };

        for (size_t i = 0; s && i < sizeof(strong) / sizeof(strong[0]); i++)
                if (strcmp(s, strong[i]) == 0)
                        return true;
        return false;
}

/* Windows keeps an NT hash of every password, and an LM one too unless
 * NoLMHash says not to: LM upper-cases the password and cuts it in two
 * halves of 7 characters, cracked in seconds. */
static void win_weak_hash(const struct check *c, const struct check_ctx *ctx, const json_t *pw,
                          struct findings *out)
{
        static const char *const sources[] = { "lsa", NULL };
        const json_t *lm = json_object_get(pw, "lm_hash");

        if (pw_errors(c, ctx, pw, out, sources))
                return;
        if (!json_is_boolean(json_object_get(lm, "stored")))
                finding_add(out, c, ctx, STATUS_ERROR, NULL, NULL,
                            tr(ctx, "Run the check again; report the problem if it persists."),
                            "%s", tr(ctx, "Whether Windows stores LM hashes was not collected"));
        else if (flag(lm, "stored"))
                finding_add(out, c, ctx, STATUS_FAIL, NULL, json_deep_copy(lm),
                            tr(ctx, "In the local security policy (secpol.msc: Local Policies, "
                                    "Security Options), enable \"Network security: Do not store "
                                    "LAN Manager hash value on next password change\"; then have "
                                    "everyone change their password: the old LM hashes go only "
                                    "then."),
                            tr(ctx, "Windows also stores passwords as LM hashes, which can be "
                                    "cracked in seconds (%s)"),
                            str(lm, "how"));
        else
                finding_add(out, c, ctx, STATUS_PASS, NULL, json_deep_copy(lm), NULL,
                            tr(ctx, "Windows does not store passwords as LM hashes (%s)"),
                            str(lm, "how"));
}

void rule_password_weak_hash(const struct check *c, const struct check_ctx *ctx,
                             struct findings *out)
{
        static const char *const sources[] = { "passwd", "shadow", NULL };
        const json_t *pw = rules_facts(ctx, FAM_PASSWORDS), *a;
        char fix[512];
        size_t i, bad = 0, hashes = 0;

        if (windows(pw)) {
                win_weak_hash(c, ctx, pw, out);
                return;
        }
        if (pw_errors(c, ctx, pw, out, sources))
                return;
        json_array_foreach(accounts(pw), i, a)
        {
                if (!is(a, "password", "set"))
                        continue;
                hashes++;
                if (is(a, "stored_in", "passwd")) {
                        bad++;
                        finding_add(out, c, ctx, STATUS_FAIL, str(a, "name"), account_evidence(a),
                                    tr(ctx, "Run pwconv to move the password hashes to "
                                            "/etc/shadow, which only root can read."),
                                    tr(ctx, "The password hash of %s is in etc/passwd, which "
                                            "everyone can read"),
                                    str(a, "name"));
                } else if (!strong_scheme(str(a, "scheme"))) {
                        bad++;
                        snprintf(fix, sizeof(fix),
                                 tr(ctx, "Change this account's password (passwd %s): it will "
                                         "be stored with the system's current, strong scheme."),
                                 str(a, "name"));
                        finding_add(out, c, ctx, STATUS_FAIL, str(a, "name"), account_evidence(a),
                                    fix,
                                    tr(ctx, "The password of %s is stored with the weak \"%s\" "
                                            "scheme"),
                                    str(a, "name"), str(a, "scheme"));
                }
        }
        if (!bad && !hashes)
                finding_add(out, c, ctx, STATUS_PASS, NULL, json_pack("{s:i}", "hashes", 0), NULL,
                            "%s", tr(ctx, "No account has a password hash"));
        else if (!bad)
                finding_add(out, c, ctx, STATUS_PASS, NULL,
                            json_pack("{s:I}", "hashes", (json_int_t)hashes), NULL,
                            trn(ctx, "%zu password is stored with a strong scheme",
                                "%zu passwords are stored with a strong scheme", hashes),
                            hashes);
}

void rule_password_common(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        static const char *const sources[] = { "passwd", "shadow", "wordlist", NULL };
        const json_t *pw = rules_facts(ctx, FAM_PASSWORDS), *a, *audit;
        json_int_t list, cands, least = -1;
        char fix[512];
        size_t i, bad = 0, audited = 0;
        bool exhausted;

        if (windows(pw)) {
                finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "%s",
                            tr(ctx, "The dictionary audit needs the password hashes, which "
                                    "Windows keeps in the SAM out of reach"));
                return;
        }
        if (pw_errors(c, ctx, pw, out, sources))
                return;
        audit = json_object_get(pw, "audit");
        if (!flag(audit, "enabled")) {
                finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "%s",
                            tr(ctx, "The common-password audit is turned off in the policy"));
                return;
        }
        list = json_integer_value(json_object_get(audit, "list_size"));
        cands = json_integer_value(json_object_get(audit, "candidates"));
        exhausted = flag(audit, "budget_exhausted");
        json_array_foreach(accounts(pw), i, a)
        {
                const json_t *r = json_object_get(a, "audit");
                json_int_t tried = json_integer_value(json_object_get(r, "tried"));
                json_t *ev;

                if (!r)
                        continue;
                audited++;
                ev = json_pack("{s:I, s:I, s:I, s:b}", "tried", tried, "candidates", cands,
                               "list_size", list, "budget_exhausted", exhausted);
                if (flag(r, "common")) {
                        bad++;
                        snprintf(fix, sizeof(fix),
                                 tr(ctx, "Change this password now (passwd %s) for a long one "
                                         "used nowhere else, such as a phrase of several words."),
                                 str(a, "name"));
                        finding_add(out, c, ctx, STATUS_FAIL, str(a, "name"), ev, fix,
                                    tr(ctx, "Account %s uses one of the most common passwords"),
                                    str(a, "name"));
                } else if (flag(r, "too_costly")) {
                        bad++;
                        snprintf(fix, sizeof(fix),
                                 tr(ctx, "Check this account's entry in /etc/shadow; change its "
                                         "password (passwd %s) to store it with the system's "
                                         "usual settings."),
                                 str(a, "name"));
                        finding_add(out, c, ctx, STATUS_WARN, str(a, "name"), ev, fix,
                                    tr(ctx, "The password of %s was not audited: its hash asks "
                                            "for more computing than the audit allows"),
                                    str(a, "name"));
                } else if (flag(r, "failed")) {
                        bad++;
                        snprintf(fix, sizeof(fix),
                                 tr(ctx, "Change this account's password (passwd %s) so it is "
                                         "stored with the system's current scheme."),
                                 str(a, "name"));
                        finding_add(out, c, ctx, STATUS_WARN, str(a, "name"), ev, fix,
                                    tr(ctx, "The password of %s could not be audited: its hash "
                                            "scheme is not supported here"),
                                    str(a, "name"));
                } else if (tried == 0) {
                        bad++;
                        finding_add(out, c, ctx, STATUS_WARN, str(a, "name"), ev,
                                    tr(ctx, "Raise audit_budget_ms in the policy so every "
                                            "account can be audited."),
                                    tr(ctx, "The password of %s was not audited: the time "
                                            "budget ran out"),
                                    str(a, "name"));
                } else {
                        json_decref(ev);
                        if (least < 0 || tried < least)
                                least = tried;
                }
        }
        if (bad)
                return;
        if (!audited) {
                finding_add(out, c, ctx, STATUS_PASS, NULL, json_pack("{s:i}", "accounts", 0), NULL,
                            "%s", tr(ctx, "No login account has a password to audit"));
                return;
        }
        /* A budget too small for the whole list is the normal case with slow
         * hashes: what was tried is said plainly, not raised as a warning the
         * user cannot act on. */
        if (exhausted)
                finding_add(out, c, ctx, STATUS_PASS, NULL,
                            json_pack("{s:I, s:I, s:I, s:b}", "accounts", (json_int_t)audited,
                                      "least_tried", least, "candidates", cands, "budget_exhausted",
                                      1),
                            NULL,
                            trn(ctx,
                                "%zu account checked against its name and the %lld most common "
                                "passwords (of %lld: time budget reached): no match",
                                "%zu accounts checked against their name and the %lld most "
                                "common passwords (of %lld: time budget reached): no match",
                                audited),
                            audited, (long long)(least > 0 ? least - 1 : 0), (long long)list);
        else
                finding_add(out, c, ctx, STATUS_PASS, NULL,
                            json_pack("{s:I, s:I, s:b}", "accounts", (json_int_t)audited,
                                      "candidates", cands, "budget_exhausted", 0),
                            NULL,
                            trn(ctx,
                                "%zu account checked against its name and the %lld most common "
                                "passwords: no match",
                                "%zu accounts checked against their name and the %lld most "
                                "common passwords: no match",
                                audited),
                            audited, (long long)list);
}

/* The machine's password rules (NetUserModalsGet), or an error finding
 * when they were not collected. */
static const json_t *win_policy(const struct check *c, const struct check_ctx *ctx,
                                const json_t *pw, struct findings *out)
{
        const json_t *p = json_object_get(pw, "policy");

        if (!p)
                finding_add(out, c, ctx, STATUS_ERROR, NULL, NULL,
                            tr(ctx, "Run the check again; report the problem if it persists."),
                            "%s", tr(ctx, "Windows' password rules were not collected"));
        return p;
}

static void win_min_length(const struct check *c, const struct check_ctx *ctx, const json_t *pw,
                           struct findings *out)
{
        static const char *const sources[] = { "policy", NULL };
        const json_t *p;
        long want = ctx->policy->pw_min_length;
        json_int_t len;
        json_t *ev;
        char fix[512];

        if (pw_errors(c, ctx, pw, out, sources) || !(p = win_policy(c, ctx, pw, out)))
                return;
        len = json_integer_value(json_object_get(p, "min_length"));
        ev = json_pack("{s:I, s:I}", "min_length", len, "policy_min_length", (json_int_t)want);
        if (len >= want) {
                finding_add(out, c, ctx, STATUS_PASS, NULL, ev, NULL,
                            tr(ctx, "Passwords need at least %lld characters, set by the local "
                                    "security policy"),
                            (long long)len);
                return;
        }
        /* secpol.msc and net accounts stop at 14 unless told otherwise. */
        if (want > 14)
                snprintf(fix, sizeof(fix),
                         tr(ctx, "In the local security policy (secpol.msc: Account Policies, "
                                 "Password Policy), enable \"Relax minimum password length "
                                 "limits\", then set \"Minimum password length\" to %ld."),
                         want);
        else
                snprintf(fix, sizeof(fix),
                         tr(ctx, "As administrator, run \"net accounts /minpwlen:%ld\", or set "
                                 "\"Minimum password length\" in the local security policy "
                                 "(secpol.msc: Account Policies, Password Policy)."),
                         want);
        if (len == 0)
                finding_add(out, c, ctx, STATUS_FAIL, NULL, ev, fix,
                            tr(ctx, "Windows accepts passwords of any length, even empty "
                                    "(policy: %ld characters)"),
                            want);
        else
                finding_add(out, c, ctx, STATUS_FAIL, NULL, ev, fix,
                            tr(ctx, "Passwords may be as short as %lld characters (policy: %ld), "
                                    "set by the local security policy"),
                            (long long)len, want);
}

void rule_password_min_length(const struct check *c, const struct check_ctx *ctx,
                              struct findings *out)
{
        static const char *const sources[] = { "pam", "pwquality", NULL };
        const json_t *pw = rules_facts(ctx, FAM_PASSWORDS), *pam, *m;
        long want = ctx->policy->pw_min_length;
        json_int_t len;
        const char *module, *file;
        char fix[512];

        if (windows(pw)) {
                win_min_length(c, ctx, pw, out);
                return;
        }
        if (pw_errors(c, ctx, pw, out, sources))
                return;
        pam = json_object_get(pw, "pam");
        if (!flag(pam, "found")) {
                finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "%s",
                            tr(ctx, "No PAM password configuration found"));
                return;
        }
        snprintf(fix, sizeof(fix),
                 tr(ctx, "Set \"minlen = %ld\" in /etc/security/pwquality.conf and make sure "
                         "pam_pwquality is in the password stack (Debian, Ubuntu: apt install "
                         "libpam-pwquality)."),
                 want);
        m = json_object_get(pam, "min_length");
        if (!m) {
                finding_add(out, c, ctx, STATUS_FAIL, NULL,
                            json_pack("{s:O?, s:I}", "files", json_object_get(pam, "files"),
                                      "policy_min_length", (json_int_t)want),
                            fix, "%s", tr(ctx, "No password module sets a minimum length"));
                return;
        }
        len = json_integer_value(json_object_get(m, "min_length"));
        module = str(m, "module");
        file = str(m, "setting_file") ? str(m, "setting_file") : str(m, "file");
        if (len < want)
                finding_add(
                    out, c, ctx, STATUS_FAIL, NULL,
                    json_pack("{s:O, s:I}", "set_by", m, "policy_min_length", (json_int_t)want),
                    fix,
                    tr(ctx, "Passwords may be as short as %lld characters (policy: "
                            "%ld), set by %s in %s"),
                    (long long)len, want, module, file);
        else
                finding_add(
                    out, c, ctx, STATUS_PASS, NULL,
                    json_pack("{s:O, s:I}", "set_by", m, "policy_min_length", (json_int_t)want),
                    NULL, tr(ctx, "Passwords need at least %lld characters, set by %s in %s"),
                    (long long)len, module, file);
}

/* Whether a maximum age (days, NULL or missing when unset) is too long. */
static bool age_too_long(const json_t *days, long max)
{
        json_int_t d;

        if (!json_is_integer(days))
                return true;
        d = json_integer_value(days);
        return d >= 99999 || d > max;
}

/* The machine's maximum age, then the enabled accounts exempt from it:
 * those that follow it are already told of by the first finding. */
static void win_max_age(const struct check *c, const struct check_ctx *ctx, const json_t *pw,
                        struct findings *out)
{
        static const char *const sources[] = { "policy", "accounts", NULL };
        const json_t *p, *days, *a;
        long max = ctx->policy->pw_max_age_days;
        size_t i, bad = 0, checked = 0;
        char fix[512];

        if (pw_errors(c, ctx, pw, out, sources) || !(p = win_policy(c, ctx, pw, out)))
                return;
        days = json_object_get(p, "max_days");
        if (age_too_long(days, max)) {
                bad++;
                snprintf(fix, sizeof(fix),
                         tr(ctx, "As administrator, run \"net accounts /maxpwage:%ld\", or set "
                                 "\"Maximum password age\" in the local security policy "
                                 "(secpol.msc: Account Policies, Password Policy)."),
                         max);
                if (json_is_integer(days))
                        finding_add(out, c, ctx, STATUS_FAIL, NULL,
                                    json_pack("{s:O, s:I}", "max_days", days, "policy_max_age_days",
                                              (json_int_t)max),
                                    fix,
                                    tr(ctx, "Passwords last %lld days (policy: %ld), set by the "
                                            "local security policy"),
                                    (long long)json_integer_value(days), max);
                else
                        finding_add(out, c, ctx, STATUS_FAIL, NULL,
                                    json_pack("{s:n, s:I}", "max_days", "policy_max_age_days",
                                              (json_int_t)max),
                                    fix,
                                    tr(ctx, "Passwords never expire (local security policy, "
                                            "policy: %ld days)"),
                                    max);
        }
        json_array_foreach(accounts(pw), i, a)
        {
                const char *name = str(a, "name");

                if (!flag(a, "login_capable"))
                        continue;
                checked++;
                if (!flag(a, "password_never_expires"))
                        continue;
                bad++;
                snprintf(fix, sizeof(fix),
                         tr(ctx, "Untick \"Password never expires\" for %s in Computer "
                                 "Management (Local Users and Groups), or run in PowerShell as "
                                 "administrator: Set-LocalUser -Name \"%s\" "
                                 "-PasswordNeverExpires $false"),
                         name, name);
                finding_add(
                    out, c, ctx, STATUS_FAIL, name, json_pack("{s:b}", "password_never_expires", 1),
                    fix, tr(ctx, "The password of %s never expires (policy: %ld days)"), name, max);
        }
        if (!bad)
                finding_add(out, c, ctx, STATUS_PASS, NULL,
                            json_pack("{s:I, s:I}", "accounts", (json_int_t)checked,
                                      "policy_max_age_days", (json_int_t)max),
                            NULL,
                            tr(ctx, "Passwords expire within %ld days, for new accounts and "
                                    "the %zu existing ones"),
                            max, checked);
}

void rule_password_max_age(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        static const char *const sources[] = { "login.defs", "passwd", "shadow", NULL };
        const json_t *pw = rules_facts(ctx, FAM_PASSWORDS), *a, *defs, *days;
        long max = ctx->policy->pw_max_age_days;
        size_t i, bad = 0, checked = 0;
        char fix[512];

        if (windows(pw)) {
                win_max_age(c, ctx, pw, out);
                return;
        }
        if (pw_errors(c, ctx, pw, out, sources))
                return;
        defs = json_object_get(pw, "login_defs");
        days = json_object_get(defs, "pass_max_days");
        if (age_too_long(days, max)) {
                bad++;
                snprintf(fix, sizeof(fix), tr(ctx, "Set \"PASS_MAX_DAYS %ld\" in /etc/login.defs."),
                         max);
                if (json_is_integer(days) && json_integer_value(days) < 99999)
                        finding_add(out, c, ctx, STATUS_FAIL, NULL, json_deep_copy(defs), fix,
                                    tr(ctx, "New passwords last %lld days (policy: %ld), set by "
                                            "PASS_MAX_DAYS in etc/login.defs"),
                                    (long long)json_integer_value(days), max);
                else
                        finding_add(out, c, ctx, STATUS_FAIL, NULL, json_deep_copy(defs), fix,
                                    tr(ctx, "New passwords never expire (PASS_MAX_DAYS in "
                                            "etc/login.defs, policy: %ld days)"),
                                    max);
        }
        json_array_foreach(accounts(pw), i, a)
        {
                if (!flag(a, "login_capable") || !is(a, "password", "set"))
                        continue;
                checked++;
                days = json_object_get(a, "max_days");
                if (!age_too_long(days, max))
                        continue;
                bad++;
                snprintf(fix, sizeof(fix), tr(ctx, "Run \"chage -M %ld %s\"."), max,
                         str(a, "name"));
                if (json_is_integer(days) && json_integer_value(days) < 99999)
                        finding_add(out, c, ctx, STATUS_FAIL, str(a, "name"),
                                    json_pack("{s:O}", "max_days", days), fix,
                                    tr(ctx, "The password of %s lasts %lld days (policy: %ld)"),
                                    str(a, "name"), (long long)json_integer_value(days), max);
                else
                        finding_add(out, c, ctx, STATUS_FAIL, str(a, "name"),
                                    json_pack("{s:O?}", "max_days", days), fix,
                                    tr(ctx, "The password of %s never expires (policy: %ld "
                                            "days)"),
                                    str(a, "name"), max);
        }
        if (!bad)
                finding_add(out, c, ctx, STATUS_PASS, NULL,
                            json_pack("{s:I, s:I}", "accounts", (json_int_t)checked,
                                      "policy_max_age_days", (json_int_t)max),
                            NULL,
                            tr(ctx, "Passwords expire within %ld days, for new accounts and "
                                    "the %zu existing ones"),
                            max, checked);
}

void rule_password_stale(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        static const char *const sources[] = { "passwd", "shadow", "group", NULL };
        static const char *const win_sources[] = { "accounts", "groups", NULL };
        const json_t *pw = rules_facts(ctx, FAM_PASSWORDS), *a;
        long max = ctx->policy->pw_stale_days;
        size_t i, bad = 0, admins = 0;
        bool win = windows(pw);
        char fix[512];

        if (pw_errors(c, ctx, pw, out, win ? win_sources : sources))
                return;
        json_array_foreach(accounts(pw), i, a)
        {
                const char *date = str(a, "last_change"), *name = str(a, "name");
                time_t t;
                long age;

                /* A Windows account whose password is not required may
                 * still have one, as old as any. */
                if (!flag(a, "admin") || !flag(a, "login_capable") ||
                    (!win && !is(a, "password", "set")))
                        continue;
                admins++;
                if (flag(a, "must_change"))
                        continue;
                if (win)
                        snprintf(fix, sizeof(fix),
                                 tr(ctx, "Change the password of %s now for a long one used "
                                         "nowhere else: logged in as %s, press Ctrl+Alt+Del and "
                                         "choose \"Change a password\"."),
                                 name, name);
                else
                        snprintf(fix, sizeof(fix),
                                 tr(ctx, "Change the password of %s now (passwd %s) for a long "
                                         "one used nowhere else."),
                                 name, name);
                if (!date || util_parse_date(date, &t) < 0) {
                        bad++;
                        finding_add(out, c, ctx, STATUS_WARN, name, account_evidence(a), fix,
                                    tr(ctx, "Administrator %s: the date of the last password "
                                            "change is not recorded"),
                                    name);
                        continue;
                }
                age = util_days_between(t, ctx->now);
                /* A date days ahead (a wrong clock, an edited shadow) would
                 * hide a password of any age. */
                if (age < -1) {
                        bad++;
                        finding_add(out, c, ctx, STATUS_WARN, name, account_evidence(a), fix,
                                    tr(ctx, "Administrator %s: the last password change is dated "
                                            "in the future (%s)"),
                                    name, date);
                        continue;
                }
                if (age <= max)
                        continue;
                bad++;
                finding_add(out, c, ctx, STATUS_FAIL, name,
                            json_pack("{s:s, s:I, s:I}", "last_change", date, "age_days",
                                      (json_int_t)age, "policy_stale_days", (json_int_t)max),
                            fix,
                            tr(ctx, "Administrator %s has not changed password for %ld days "
                                    "(since %s)"),
                            name, age, date);
        }
        if (!bad && !admins)
                finding_add(out, c, ctx, STATUS_PASS, NULL, json_pack("{s:i}", "administrators", 0),
                            NULL, "%s", tr(ctx, "No administrator logs in with a password"));
        else if (!bad)
                finding_add(out, c, ctx, STATUS_PASS, NULL,
                            json_pack("{s:I, s:I}", "administrators", (json_int_t)admins,
                                      "policy_stale_days", (json_int_t)max),
                            NULL,
                            trn(ctx, "%zu administrator changed password within %ld days",
                                "%zu administrators changed password within %ld days", admins),
                            admins, max);
}

static const char *sshd_value(const json_t *settings, const char *key)
{
        return str(json_object_get(settings, key), "value");
}

void rule_password_ssh_root(const struct check *c, const struct check_ctx *ctx,
                            struct findings *out)
{
        static const char *const sources[] = { "sshd_config", NULL };
        const json_t *pw = rules_facts(ctx, FAM_PASSWORDS), *sshd, *settings, *m, *root_at = NULL;
        const char *v;
        bool root, password;
        size_t i;

        if (windows(pw)) {
                finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "%s",
                            tr(ctx, "Windows has no root account: SSH root login is a Linux "
                                    "setting"));
                return;
        }
        if (pw_errors(c, ctx, pw, out, sources))
                return;
        sshd = json_object_get(pw, "sshd");
        if (!flag(sshd, "installed")) {
                finding_add(out, c, ctx, STATUS_PASS, NULL, NULL, NULL, "%s",
                            tr(ctx, "No SSH server is installed"));
                return;
        }
        settings = json_object_get(sshd, "settings");
        v = sshd_value(settings, "PermitRootLogin");
        root = v && strcmp(v, "yes") == 0;
        if (root)
                root_at = json_object_get(settings, "PermitRootLogin");
        password = !is(json_object_get(settings, "PasswordAuthentication"), "value", "no") ||
                   !is(json_object_get(settings, "KbdInteractiveAuthentication"), "value", "no");
        /* A Match block may apply to root's connections: assume it does. */
        json_array_foreach(json_object_get(sshd, "match"), i, m)
        {
                const json_t *ms = json_object_get(m, "settings");

                v = sshd_value(ms, "PermitRootLogin");
                if (v && strcmp(v, "yes") == 0 && !root) {
                        root = true;
                        root_at = json_object_get(ms, "PermitRootLogin");
                }
                v = sshd_value(ms, "PasswordAuthentication");
                password |= v && strcmp(v, "yes") == 0;
                v = sshd_value(ms, "KbdInteractiveAuthentication");
                password |= v && strcmp(v, "yes") == 0;
        }
        if (root && password)
                finding_add(
                    out, c, ctx, STATUS_FAIL, NULL,
                    json_pack("{s:O?, s:O?}", "settings", settings, "match",
                              json_object_get(sshd, "match")),
                    tr(ctx, "Set \"PermitRootLogin prohibit-password\" (or \"no\") in "
                            "/etc/ssh/sshd_config and restart the SSH server; log in "
                            "with a named account and use sudo."),
                    tr(ctx, "The root account can log in over SSH with a password (PermitRootLogin "
                            "yes in %s, line %lld)"),
                    str(root_at, "file"),
                    (long long)json_integer_value(json_object_get(root_at, "line")));
        else if (root)
                finding_add(
                    out, c, ctx, STATUS_PASS, NULL, json_pack("{s:O?}", "settings", settings), NULL,
                    "%s",
                    tr(ctx, "The root account may log in over SSH, but only with a key: password "
                            "logins are off"));
        else
                finding_add(out, c, ctx, STATUS_PASS, NULL,
                            json_pack("{s:O?}", "settings", settings), NULL,
                            tr(ctx, "The root account cannot log in over SSH with a password "
                                    "(PermitRootLogin %s)"),
                            sshd_value(settings, "PermitRootLogin")
                                ? sshd_value(settings, "PermitRootLogin")
                                : "?");
}

/* Automatic logon opens a session without anyone typing a password: on
 * Windows, Winlogon's DefaultPassword keeps that password in clear where
 * any program may read it; on Linux, the display manager's autologin. */
void rule_password_autologon(const struct check *c, const struct check_ctx *ctx,
                             struct findings *out)
{
        static const char *const sources[] = { "display_manager", NULL };
        static const char *const win_sources[] = { "winlogon", NULL };
        const json_t *pw = rules_facts(ctx, FAM_PASSWORDS), *al;
        bool win = windows(pw);
        const char *user;
        char fix[1024];

        if (pw_errors(c, ctx, pw, out, win ? win_sources : sources))
                return;
        al = json_object_get(pw, "autologon");
        if (!al && win) {
                finding_add(out, c, ctx, STATUS_ERROR, NULL, NULL,
                            tr(ctx, "Run the check again; report the problem if it persists."),
                            "%s", tr(ctx, "The automatic logon settings were not collected"));
                return;
        }
        if (!al) {
                finding_add(out, c, ctx, STATUS_SKIP, NULL, NULL, NULL, "%s",
                            tr(ctx, "Automatic logon with a stored password is a Windows "
                                    "setting"));
                return;
        }
        user = str(al, "user") ? str(al, "user") : "?";
        if (flag(al, "enabled") && flag(al, "password_in_registry")) {
                snprintf(fix, sizeof(fix), "%s %s",
                         tr(ctx, "Turn off automatic logon: run netplwiz, tick \"Users must "
                                 "enter a user name and password to use this computer\" and "
                                 "confirm, or, as administrator, delete the DefaultPassword value "
                                 "in regedit (HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows "
                                 "NT\\CurrentVersion\\Winlogon). Then change this account's "
                                 "password: anyone using the computer could read it."),
                         shared_computer(ctx));
                finding_add(out, c, ctx, STATUS_FAIL, user, json_deep_copy(al), fix,
                            tr(ctx, "Windows logs on automatically as %s, with that account's "
                                    "password written in clear in the registry"),
                            user);
        } else if (flag(al, "password_in_registry")) {
                finding_add(out, c, ctx, STATUS_FAIL, user, json_deep_copy(al),
                            tr(ctx, "As administrator, delete the DefaultPassword value in "
                                    "regedit (HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows "
                                    "NT\\CurrentVersion\\Winlogon), then change that account's "
                                    "password: anyone using the computer could read it."),
                            tr(ctx, "Automatic logon is off, but the password of %s is still "
                                    "written in clear in the registry"),
                            user);
        } else if (flag(al, "enabled") && win) {
                snprintf(fix, sizeof(fix), "%s %s",
                         tr(ctx, "Turn off automatic logon: run netplwiz, tick \"Users must "
                                 "enter a user name and password to use this computer\" and "
                                 "confirm."),
                         shared_computer(ctx));
                finding_add(out, c, ctx, STATUS_WARN, user, json_deep_copy(al), fix,
                            tr(ctx, "Windows logs on automatically as %s, without asking for a "
                                    "password"),
                            user);
        } else if (flag(al, "enabled")) {
                char off[512];

                snprintf(off, sizeof(off),
                         tr(ctx, "Turn off automatic login: as root, delete line %lld of %s "
                                 "(%s) and restart the computer."),
                         (long long)json_integer_value(json_object_get(al, "line")),
                         str(al, "file") ? str(al, "file") : "?",
                         str(al, "how") ? str(al, "how") : "?");
                snprintf(fix, sizeof(fix), "%s %s", off, shared_computer(ctx));
                finding_add(out, c, ctx, STATUS_WARN, user, json_deep_copy(al), fix,
                            tr(ctx, "The computer opens a session as %s without asking for a "
                                    "password (%s in %s, line %lld)"),
                            user, str(al, "how") ? str(al, "how") : "?",
                            str(al, "file") ? str(al, "file") : "?",
                            (long long)json_integer_value(json_object_get(al, "line")));
        } else if (win) {
                finding_add(out, c, ctx, STATUS_PASS, NULL, json_deep_copy(al), NULL, "%s",
                            tr(ctx, "Automatic logon is off: a password is asked for every "
                                    "session"));
        } else {
                finding_add(out, c, ctx, STATUS_PASS, NULL, json_deep_copy(al), NULL, "%s",
                            tr(ctx, "No display manager opens a session by itself"));
        }
}
