/* rules_passwords.c - the password checks: empty and weak passwords, hash
 * schemes, length and age rules, stale administrator passwords, SSH root
 * login.
 *
 * Per-account problems are findings with the account as subject; when none
 * is found, one finding without subject says so. */
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
                if (is(err, "code", "EACCES"))
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
        return json_pack("{s:O?, s:O?, s:O?, s:O?}", "uid", json_object_get(a, "uid"), "shell",
                         json_object_get(a, "shell"), "admin", json_object_get(a, "admin"),
                         "scheme", json_object_get(a, "scheme"));
}

void rule_password_empty(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        static const char *const sources[] = { "passwd", "shadow", NULL };
        const json_t *pw = rules_facts(ctx, FAM_PASSWORDS), *a;
        char fix[512];
        size_t i, bad = 0, logins = 0;

        if (pw_errors(c, ctx, pw, out, sources))
                return;
        json_array_foreach(accounts(pw), i, a)
        {
                if (!flag(a, "login_capable"))
                        continue;
                logins++;
                if (!is(a, "password", "empty"))
                        continue;
                bad++;
                snprintf(fix, sizeof(fix),
                         tr(ctx, "Set a password for this account (passwd %s), or lock it "
                                 "(passwd -l %s) if nobody uses it."),
                         str(a, "name"), str(a, "name"));
                finding_add(out, c, ctx, STATUS_FAIL, str(a, "name"), account_evidence(a), fix,
                            tr(ctx, "Account %s can log in without a password"), str(a, "name"));
        }
        if (!bad)
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

void rule_password_weak_hash(const struct check *c, const struct check_ctx *ctx,
                             struct findings *out)
{
        static const char *const sources[] = { "passwd", "shadow", NULL };
        const json_t *pw = rules_facts(ctx, FAM_PASSWORDS), *a;
        char fix[512];
        size_t i, bad = 0, hashes = 0;

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

void rule_password_min_length(const struct check *c, const struct check_ctx *ctx,
                              struct findings *out)
{
        static const char *const sources[] = { "pam", "pwquality", NULL };
        const json_t *pw = rules_facts(ctx, FAM_PASSWORDS), *pam, *m;
        long want = ctx->policy->pw_min_length;
        json_int_t len;
        const char *module, *file;
        char fix[512];

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

void rule_password_max_age(const struct check *c, const struct check_ctx *ctx, struct findings *out)
{
        static const char *const sources[] = { "login.defs", "passwd", "shadow", NULL };
        const json_t *pw = rules_facts(ctx, FAM_PASSWORDS), *a, *defs, *days;
        long max = ctx->policy->pw_max_age_days;
        size_t i, bad = 0, checked = 0;
        char fix[512];

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
        const json_t *pw = rules_facts(ctx, FAM_PASSWORDS), *a;
        long max = ctx->policy->pw_stale_days;
        size_t i, bad = 0, admins = 0;
        char fix[512];

        if (pw_errors(c, ctx, pw, out, sources))
                return;
        json_array_foreach(accounts(pw), i, a)
        {
                const char *date = str(a, "last_change"), *name = str(a, "name");
                time_t t;
                long age;

                if (!flag(a, "admin") || !flag(a, "login_capable") || !is(a, "password", "set"))
                        continue;
                admins++;
                if (flag(a, "must_change"))
                        continue;
                snprintf(fix, sizeof(fix),
                         tr(ctx, "Change the password of %s now (passwd %s) for a long one used "
                                 "nowhere else."),
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
