/* winacct.h - Windows local accounts, password policy, LM hash storage and
 * automatic logon, as passwords facts.
 *
 * The Windows probe reads the raw values (NetUserEnum, NetUserModalsGet, the
 * Administrators group, the Lsa and Winlogon registry keys); this file, with
 * no Windows header, turns them into the facts.passwords shape of the Linux
 * probe, so that one set of rules reads both. The probe assembles:
 *
 *   facts.passwords = {
 *     "platform": "windows",                 (WINACCT_PLATFORM; absent on Linux)
 *     "accounts": [ winacct_facts(), ... ],
 *     "policy": winacct_policy_facts(),
 *     "lm_hash": winacct_lm_hash_facts(),
 *     "autologon": winacct_autologon_facts(),
 *     "errors": [ ... ]                      (facts_add_error)
 *   }
 *
 * and records what it could not read with facts_add_error() under the
 * sources "accounts" (NetUserEnum), "groups" (the Administrators members),
 * "policy" (NetUserModalsGet), "lsa" (NoLMHash) and "winlogon", with code
 * "EACCES" when access was denied: the rules name the source. */
#ifndef HYGIE_WINACCT_H
#define HYGIE_WINACCT_H

#include <jansson.h>
#include <stdbool.h>
#include <time.h>

#define WINACCT_PLATFORM "windows"

/* usri_flags bits (lmaccess.h). */
#define WINACCT_UF_ACCOUNTDISABLE     0x00000002UL
#define WINACCT_UF_LOCKOUT            0x00000010UL
#define WINACCT_UF_PASSWD_NOTREQD     0x00000020UL
#define WINACCT_UF_PASSWD_CANT_CHANGE 0x00000040UL
#define WINACCT_UF_DONT_EXPIRE_PASSWD 0x00010000UL
#define WINACCT_UF_PASSWORD_EXPIRED   0x00800000UL
/* usrmod*_ ages and durations: "never", "forever". */
#define WINACCT_TIMEQ_FOREVER 0xFFFFFFFFUL

/* Relative identifiers of the built-in accounts. */
#define WINACCT_RID_ADMINISTRATOR   500UL
#define WINACCT_RID_GUEST           501UL
#define WINACCT_RID_DEFAULT_ACCOUNT 503UL
#define WINACCT_RID_WDAG            504UL

/* One local account as NetUserEnum (level 3 or 1) and the group lookups
 * give it. The strings are borrowed. */
struct win_account {
        const char *name;         /* UTF-8 */
        unsigned long flags;      /* usri_flags, WINACCT_UF_* */
        long long password_age_s; /* usri_password_age; -1 unknown */
        unsigned long rid;        /* last sub-authority of the SID; 0 unknown */
        bool admin;               /* member of S-1-5-32-544 */
        bool flags_known;         /* false when only level 0 was available (wine) */
        long long last_logon;     /* unix time; 0 never or unknown (the API's 0), -1 unknown */
};

/* NetUserModalsGet, levels 0 and 3. */
struct win_modals {
        unsigned long min_passwd_len;
        unsigned long max_passwd_age;    /* seconds; WINACCT_TIMEQ_FOREVER (or 0): never */
        unsigned long min_passwd_age;    /* seconds */
        unsigned long password_hist_len; /* passwords remembered */
        bool lockout_known;              /* level 3 was read */
        unsigned long lockout_threshold; /* bad tries before lockout; 0: never locks */
        unsigned long lockout_duration;  /* seconds; WINACCT_TIMEQ_FOREVER: until unlocked */
        unsigned long lockout_window;    /* usrmod3_lockout_observation_window, seconds */
};

/* HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon. The strings
 * are borrowed, NULL when the value is absent; a REG_DWORD is passed in
 * decimal. default_password is read only to say whether one is set. */
struct win_autologon {
        const char *auto_admin_logon; /* AutoAdminLogon */
        const char *user;             /* DefaultUserName */
        const char *domain;           /* DefaultDomainName */
        const char *default_password; /* DefaultPassword: never copied */
        long long auto_logon_count;   /* AutoLogonCount; -1 absent */
        int lsa_password;             /* an LSA secret DefaultPassword: 1 yes, 0 no, -1 unknown */
};

/* NoLMHash as read from HKLM\SYSTEM\CurrentControlSet\Control\Lsa, or this
 * when the value is absent. */
#define WINACCT_NOLMHASH_ABSENT (-1LL)

/* One entry of facts.passwords.accounts, with the keys of the Linux probe
 * where the meaning holds (see winacct.c); modals is the machine's policy,
 * NULL when unknown, for max_days. A new object, or NULL on allocation
 * failure; the caller owns it. */
json_t *winacct_facts(const struct win_account *a, const struct win_modals *modals, time_t now);

/* facts.passwords.policy from NetUserModalsGet, with min_length and
 * max_days in the units and encoding of the Linux facts (max_days null:
 * passwords never expire). A new object. */
json_t *winacct_policy_facts(const struct win_modals *m);

/* facts.passwords.lm_hash: {"stored": bool, "how": "NoLMHash=0"}. An absent
 * value counts as stored: Windows has set NoLMHash=1 at installation since
 * Vista, and before that stored LM hashes unless told not to. */
json_t *winacct_lm_hash_facts(long long no_lm_hash);

/* facts.passwords.autologon: {"enabled", "user", "domain",
 * "password_in_registry", "password_in_lsa", "count", "how"}; never the
 * password. A new object. */
json_t *winacct_autologon_facts(const struct win_autologon *w);

/* Whether AutoAdminLogon turns automatic logon on, as Winlogon reads it: a
 * decimal number, not 0. */
bool winacct_autologon_on(const char *auto_admin_logon);

#endif
