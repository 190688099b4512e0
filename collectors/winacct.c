/* winacct.c - Windows account data into the passwords facts of the Linux
 * probe.
 *
 * An account entry keeps the Linux keys where they mean the same: "uid" is
 * the RID, "locked" means disabled, "login_capable" enabled, "stored_in"
 * "sam". "password" is "not_required" or "set": without the SAM's hashes
 * Windows cannot tell an empty password, only that one is allowed. */
#include <stdio.h>
#include <string.h>

#include "collector.h"
#include "util.h"
#include "winacct.h"

#define DAY 86400ULL

/* Whole days a duration lasts, rounded up: a policy of 42.5 days lets a
 * password live into its 43rd day. */
static json_int_t days_up(unsigned long seconds)
{
        return (json_int_t)(((unsigned long long)seconds + DAY - 1) / DAY);
}

/* max_passwd_age as the Linux max_days: days, or null for never. */
static json_t *max_days(const struct win_modals *m)
{
        if (m->max_passwd_age == WINACCT_TIMEQ_FOREVER || m->max_passwd_age == 0)
                return json_null();
        return json_integer(days_up(m->max_passwd_age));
}

static void set_date(json_t *o, const char *key, long long t)
{
        char buf[32];

        util_iso8601((time_t)t, buf, sizeof(buf));
        if (strlen(buf) < 10)
                return;
        buf[10] = '\0';
        json_object_set_new(o, key, json_string(buf));
}

static const char *builtin_name(unsigned long rid)
{
        switch (rid) {
        case WINACCT_RID_ADMINISTRATOR:
                return "administrator";
        case WINACCT_RID_GUEST:
                return "guest";
        case WINACCT_RID_DEFAULT_ACCOUNT:
                return "default_account";
        case WINACCT_RID_WDAG:
                return "wdag_utility";
        }
        return NULL;
}

json_t *winacct_facts(const struct win_account *a, const struct win_modals *modals, time_t now)
{
        json_t *o =
            json_pack("{s:o, s:s, s:b}", "name", facts_string(a->name ? a->name : "?"), "stored_in",
                      "sam", "admin", a->admin || a->rid == WINACCT_RID_ADMINISTRATOR);
        bool disabled = a->flags & WINACCT_UF_ACCOUNTDISABLE;
        bool never = a->flags & WINACCT_UF_DONT_EXPIRE_PASSWD;

        if (!o)
                return NULL;
        if (a->rid)
                json_object_set_new(o, "uid", json_integer((json_int_t)a->rid));
        if (builtin_name(a->rid))
                json_object_set_new(o, "builtin", json_string(builtin_name(a->rid)));
        if (!a->flags_known) {
                json_object_set_new(o, "flags_known", json_false());
                json_object_set_new(o, "password", json_string("unknown"));
        } else {
                json_object_set_new(o, "login_capable", json_boolean(!disabled));
                json_object_set_new(o, "locked", json_boolean(disabled));
                json_object_set_new(o, "locked_out", json_boolean(a->flags & WINACCT_UF_LOCKOUT));
                json_object_set_new(
                    o, "password",
                    json_string(a->flags & WINACCT_UF_PASSWD_NOTREQD ? "not_required" : "set"));
                json_object_set_new(o, "password_never_expires", json_boolean(never));
                if (a->flags & WINACCT_UF_PASSWORD_EXPIRED)
                        json_object_set_new(o, "must_change", json_true());
                if (never)
                        json_object_set_new(o, "max_days", json_null());
                else if (modals)
                        json_object_set_new(o, "max_days", max_days(modals));
        }
        if (a->password_age_s >= 0 && a->password_age_s <= (long long)now) {
                set_date(o, "last_change", (long long)now - a->password_age_s);
                json_object_set_new(o, "password_age_days",
                                    json_integer((json_int_t)(a->password_age_s / (long long)DAY)));
        }
        if (a->last_logon > 0)
                set_date(o, "last_logon", a->last_logon);
        return o;
}

json_t *winacct_policy_facts(const struct win_modals *m)
{
        json_t *o =
            json_pack("{s:s, s:I, s:o, s:I, s:I}", "source", "NetUserModalsGet", "min_length",
                      (json_int_t)m->min_passwd_len, "max_days", max_days(m), "min_days",
                      days_up(m->min_passwd_age), "history", (json_int_t)m->password_hist_len);

        if (o && m->lockout_known)
                json_object_set_new(o, "lockout",
                                    json_pack("{s:I, s:o, s:I}", "threshold",
                                              (json_int_t)m->lockout_threshold, "duration_s",
                                              m->lockout_duration == WINACCT_TIMEQ_FOREVER
                                                  ? json_null()
                                                  : json_integer((json_int_t)m->lockout_duration),
                                              "window_s", (json_int_t)m->lockout_window));
        return o;
}

json_t *winacct_lm_hash_facts(long long no_lm_hash)
{
        char how[40];

        if (no_lm_hash == WINACCT_NOLMHASH_ABSENT)
                snprintf(how, sizeof(how), "NoLMHash absent");
        else
                snprintf(how, sizeof(how), "NoLMHash=%lld", no_lm_hash);
        return json_pack("{s:b, s:s}", "stored", no_lm_hash == 0 || no_lm_hash < 0, "how", how);
}

bool winacct_autologon_on(const char *s)
{
        if (!s)
                return false;
        while (*s == ' ' || *s == '\t')
                s++;
        if (*s == '+' || *s == '-')
                s++;
        for (; *s >= '0' && *s <= '9'; s++)
                if (*s != '0')
                        return true;
        return false;
}

json_t *winacct_autologon_facts(const struct win_autologon *w)
{
        bool on = winacct_autologon_on(w->auto_admin_logon);
        bool stored = w->default_password && w->default_password[0];
        char how[160], value[24];
        json_t *o;

        if (w->auto_admin_logon)
                snprintf(value, sizeof(value), "=%.16s", w->auto_admin_logon);
        else
                snprintf(value, sizeof(value), " absent");
        snprintf(how, sizeof(how), "Winlogon AutoAdminLogon%s, %s", value,
                 stored ? "DefaultPassword set" : "no DefaultPassword");
        if (w->auto_logon_count >= 0)
                snprintf(how + strlen(how), sizeof(how) - strlen(how), ", AutoLogonCount=%lld",
                         w->auto_logon_count);
        o = json_pack("{s:b, s:b, s:o}", "enabled", on, "password_in_registry", stored, "how",
                      facts_string(how));
        if (!o)
                return NULL;
        if (w->user && w->user[0])
                json_object_set_new(o, "user", facts_string(w->user));
        if (w->domain && w->domain[0])
                json_object_set_new(o, "domain", facts_string(w->domain));
        if (w->lsa_password >= 0)
                json_object_set_new(o, "password_in_lsa", json_boolean(w->lsa_password > 0));
        if (w->auto_logon_count >= 0)
                json_object_set_new(o, "count", json_integer((json_int_t)w->auto_logon_count));
        return o;
}
