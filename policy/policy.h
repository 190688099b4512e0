/* policy.h - the thresholds every check reads, from an INI file.
 *
 * Defaults are the ESMS baseline; a policy file overrides them. An unknown
 * section or key, or a bad value, is an error that names file, line and key. */
#ifndef HYGIE_POLICY_H
#define HYGIE_POLICY_H

#include <limits.h>
#include <stddef.h>

#include "checks.h"
#include "error.h"

#define POLICY_MAX_BACKUP_JOBS 32
#define POLICY_MAX_WIN_BUILDS  32

/* The servicing families of Windows editions, as [windows:BUILD] names their
 * end dates (end_home_pro...). Windows Server has its own lifecycle and
 * revisions: the table does not describe it. */
enum win_family { WIN_HOME_PRO, WIN_ENTERPRISE, WIN_LTSC, WIN_IOT_LTSC, WIN_FAMILY_COUNT };

/* One [windows:BUILD] section: until when each edition family of the build
 * gets security updates, and its newest cumulative update. */
struct win_build {
        unsigned build;                 /* 19045, 26100... */
        char release[64];               /* "Windows 11 24H2" */
        char release_ltsc[64];          /* "Windows 11 Enterprise LTSC 2024", or "" */
        char end[WIN_FAMILY_COUNT][11]; /* last day of servicing, "" when no such release */
        char esu[11];                   /* paid extended security updates run to, at most */
        unsigned latest_revision;       /* the UBR it brings; 0 when none is known */
        char latest_date[11];
        char latest_kb[16];
        unsigned line; /* its first line in the file that last set it */
};

struct backup_job {
        char name[64];
        char path[PATH_MAX]; /* inside the inspected root */
        long max_age_hours;
        long long min_bytes; /* 0: no minimum */
        unsigned line;       /* where it was declared */
};

struct policy {
        char file[PATH_MAX];
        char id[64];
        long revision;
        long alert_severity; /* enum severity */

        long os_eol_warn_months;

        long patch_refresh_max_age_days;

        /* [windows]: the date the table was brought up to date ("" when
         * none), how old it may be, the days a machine has to install a
         * cumulative update. */
        char win_updated[11];
        long win_table_max_age_days;
        long win_grace_days;
        struct win_build win_builds[POLICY_MAX_WIN_BUILDS];
        size_t nwin_builds;

        long backup_max_age_hours; /* default for jobs */
        struct backup_job jobs[POLICY_MAX_BACKUP_JOBS];
        size_t njobs;

        long pw_min_length;
        long pw_max_age_days;
        long pw_stale_days;
        long pw_audit_budget_ms;
        char pw_wordlist[PATH_MAX]; /* on this machine, not in the root */

        long av_signatures_max_age_days;

        long hw_min_ram_gib;
        long hw_max_bios_age_years;
        long win11_min_ram_gib;
        long win11_min_storage_gb;
        long win11_min_cores;

        /* The collector's: the hygiene score, the establishment-level
         * checks, the equipment catch-up prices (euros). */
        long score_weight[SEV_COUNT];
        long score_warn_percent;
        long score_plan_percent;
        long exercise_months, awareness_months, restore_test_months;
        long cost_pc, cost_ram, cost_ssd;

        long schedule[FAM_COUNT]; /* seconds between runs of each family */
        long schedule_jitter_percent;

        int severity[64]; /* per check, index as checks[]; -1: the default */
};

/* Sets the built-in defaults. */
void policy_defaults(struct policy *p);
/* Loads file over the defaults. 0, or a negative errno with e filled. */
int policy_load(struct policy *p, const char *file, struct error *e);
/* Same, from a string (file names it in errors). */
int policy_load_string(struct policy *p, const char *text, const char *file, struct error *e);
enum severity policy_severity(const struct policy *p, const struct check *c);
/* The [windows:BUILD] section of build, or NULL. */
const struct win_build *policy_windows_build(const struct policy *p, unsigned build);
/* "home_pro", "enterprise", "ltsc", "iot_ltsc"; win_family_from_name gives
 * the enum win_family of a name, or -1. */
const char *win_family_name(enum win_family f);
int win_family_from_name(const char *name);

#endif
