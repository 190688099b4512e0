/* policy.c - reading a policy INI file with inih.
 *
 * Each key lives in one table row with its type and bounds; [backup:NAME]
 * declares a backup job, [windows:BUILD] a row of the Windows builds table,
 * and [severity] overrides a check's severity. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "paths.h"
#include "policy.h"
#include "util.h"

enum key_type { KEY_LONG, KEY_STR, KEY_SEVERITY, KEY_DURATION, KEY_DATE };

struct key {
        const char *section, *name;
        enum key_type type;
        size_t off, size;
        long long min, max;
};

#define LONG_KEY(sec, name, field, min, max)                                                       \
        {                                                                                          \
                sec, name, KEY_LONG, offsetof(struct policy, field), 0, min, max                   \
        }
#define STR_KEY(sec, name, field)                                                                  \
        {                                                                                          \
                sec, name, KEY_STR, offsetof(struct policy, field),                                \
                    sizeof(((struct policy *)0)->field), 0, 0                                      \
        }

#define DURATION_KEY(sec, name, field, min, max)                                                   \
        {                                                                                          \
                sec, name, KEY_DURATION, offsetof(struct policy, field), 0, min, max               \
        }
#define DATE_KEY(sec, name, field)                                                                 \
        {                                                                                          \
                sec, name, KEY_DATE, offsetof(struct policy, field),                               \
                    sizeof(((struct policy *)0)->field), 0, 0                                      \
        }

static const struct key keys[] = {
        STR_KEY("policy", "id", id),
        LONG_KEY("policy", "revision", revision, 0, 1000000000),
        { "policy", "alert_severity", KEY_SEVERITY, offsetof(struct policy, alert_severity), 0, 0,
          0 },
        LONG_KEY("os", "eol_warn_months", os_eol_warn_months, 0, 120),
        LONG_KEY("patch", "refresh_max_age_days", patch_refresh_max_age_days, 1, 3650),
        DATE_KEY("windows", "updated", win_updated),
        LONG_KEY("windows", "table_max_age_days", win_table_max_age_days, 1, 3650),
        LONG_KEY("windows", "grace_days", win_grace_days, 0, 365),
        LONG_KEY("backup", "max_age_hours", backup_max_age_hours, 1, 24 * 3650),
        LONG_KEY("passwords", "min_length", pw_min_length, 1, 128),
        LONG_KEY("passwords", "max_age_days", pw_max_age_days, 1, 99999),
        LONG_KEY("passwords", "stale_days", pw_stale_days, 1, 99999),
        LONG_KEY("passwords", "audit_budget_ms", pw_audit_budget_ms, 0, 600000),
        STR_KEY("passwords", "wordlist", pw_wordlist),
        LONG_KEY("antivirus", "signatures_max_age_days", av_signatures_max_age_days, 1, 3650),
        LONG_KEY("hardware", "min_ram_gib", hw_min_ram_gib, 1, 4096),
        LONG_KEY("hardware", "max_bios_age_years", hw_max_bios_age_years, 1, 100),
        LONG_KEY("hardware", "win11_min_ram_gib", win11_min_ram_gib, 1, 4096),
        LONG_KEY("hardware", "win11_min_storage_gb", win11_min_storage_gb, 1, 1000000),
        LONG_KEY("hardware", "win11_min_cores", win11_min_cores, 1, 4096),
        DURATION_KEY("schedule", "os", schedule[FAM_OS], 300, 30 * 86400),
        DURATION_KEY("schedule", "patch", schedule[FAM_PATCH], 300, 30 * 86400),
        DURATION_KEY("schedule", "backup", schedule[FAM_BACKUP], 300, 30 * 86400),
        DURATION_KEY("schedule", "passwords", schedule[FAM_PASSWORDS], 300, 30 * 86400),
        DURATION_KEY("schedule", "antivirus", schedule[FAM_ANTIVIRUS], 300, 30 * 86400),
        DURATION_KEY("schedule", "hardware", schedule[FAM_HARDWARE], 300, 30 * 86400),
        LONG_KEY("schedule", "jitter_percent", schedule_jitter_percent, 0, 50),
        LONG_KEY("score", "critical", score_weight[SEV_CRITICAL], 0, 100),
        LONG_KEY("score", "high", score_weight[SEV_HIGH], 0, 100),
        LONG_KEY("score", "medium", score_weight[SEV_MEDIUM], 0, 100),
        LONG_KEY("score", "low", score_weight[SEV_LOW], 0, 100),
        LONG_KEY("score", "info", score_weight[SEV_INFO], 0, 100),
        LONG_KEY("score", "warn_percent", score_warn_percent, 0, 100),
        LONG_KEY("score", "plan_percent", score_plan_percent, 0, 100),
        LONG_KEY("establishment", "exercise_months", exercise_months, 1, 120),
        LONG_KEY("establishment", "awareness_months", awareness_months, 1, 120),
        LONG_KEY("establishment", "restore_test_months", restore_test_months, 1, 120),
        LONG_KEY("equipment.costs", "pc", cost_pc, 0, 1000000),
        LONG_KEY("equipment.costs", "ram", cost_ram, 0, 1000000),
        LONG_KEY("equipment.costs", "ssd", cost_ssd, 0, 1000000),
};

/* "90s", "30m", "12h", "7d", "2w" (or plain seconds) to seconds. */
static int parse_duration(const char *v, long long *out)
{
        static const char units[] = "smhdw";
        static const long long mult[] = { 1, 60, 3600, 86400, 7 * 86400 };
        char *end;
        long long n;

        errno = 0;
        n = strtoll(v, &end, 10);
        if (errno || end == v || n < 0 || n > 10LL * 365 * 86400)
                return -EINVAL;
        if (*end == '\0') {
                *out = n;
                return 0;
        }
        for (int i = 0; units[i]; i++) {
                if (end[0] == units[i] && end[1] == '\0') {
                        *out = n * mult[i];
                        return 0;
                }
        }
        return -EINVAL;
}

void policy_defaults(struct policy *p)
{
        memset(p, 0, sizeof(*p));
        snprintf(p->id, sizeof(p->id), "esms-baseline");
        p->alert_severity = SEV_MEDIUM;
        p->os_eol_warn_months = 6;
        p->patch_refresh_max_age_days = 2;
        p->win_table_max_age_days = 45;
        p->win_grace_days = 14;
        p->backup_max_age_hours = 26;
        p->pw_min_length = 12;
        p->pw_max_age_days = 365;
        p->pw_stale_days = 365;
        p->pw_audit_budget_ms = 400;
        snprintf(p->pw_wordlist, sizeof(p->pw_wordlist), "common-passwords.txt");
        p->av_signatures_max_age_days = 3;
        p->hw_min_ram_gib = 8;
        p->hw_max_bios_age_years = 7;
        p->win11_min_ram_gib = 4;
        p->win11_min_storage_gb = 64;
        p->win11_min_cores = 2;
        p->schedule[FAM_OS] = 86400;
        p->schedule[FAM_PATCH] = 3600;
        p->schedule[FAM_BACKUP] = 3600;
        p->schedule[FAM_PASSWORDS] = 86400;
        p->schedule[FAM_ANTIVIRUS] = 4 * 3600;
        p->schedule[FAM_HARDWARE] = 86400;
        p->schedule_jitter_percent = 10;
        p->score_weight[SEV_CRITICAL] = 40;
        p->score_weight[SEV_HIGH] = 15;
        p->score_weight[SEV_MEDIUM] = 6;
        p->score_weight[SEV_LOW] = 2;
        p->score_weight[SEV_INFO] = 0;
        p->score_warn_percent = 50;
        p->score_plan_percent = 20;
        p->exercise_months = 12;
        p->awareness_months = 12;
        p->restore_test_months = 6;
        p->cost_pc = 750;
        p->cost_ram = 60;
        p->cost_ssd = 70;
        for (size_t i = 0; i < sizeof(p->severity) / sizeof(p->severity[0]); i++)
                p->severity[i] = -1;
}

/* What this load set in a [windows:BUILD] section. */
enum { WIN_TOUCHED = 1, WIN_SET_REVISION = 2, WIN_SET_DATE = 4 };

struct load {
        struct policy *p;
        const char *file;
        char msg[256]; /* the first error; inih reports its line */
        struct backup_job *job;
        struct win_build *win;
        unsigned char win_set[POLICY_MAX_WIN_BUILDS];
        /* The reader's: the line inih is on, and what it reads from. */
        unsigned lineno;
        FILE *f;
        const char *text;
};

static const char *const win_family_names[WIN_FAMILY_COUNT] = { "home_pro", "enterprise", "ltsc",
                                                                "iot_ltsc" };

const char *win_family_name(enum win_family f)
{
        return (unsigned)f < WIN_FAMILY_COUNT ? win_family_names[f] : "?";
}

int win_family_from_name(const char *name)
{
        for (int i = 0; name && i < WIN_FAMILY_COUNT; i++)
                if (strcmp(win_family_names[i], name) == 0)
                        return i;
        return -1;
}

static int load_fail(struct load *l, const char *fmt, const char *a, const char *b)
{
        if (!l->msg[0])
                snprintf(l->msg, sizeof(l->msg), fmt, a, b);
        return 0;
}

static int parse_long(const char *v, long long min, long long max, long long *out)
{
        char *end;
        long long n;

        errno = 0;
        n = strtoll(v, &end, 10);
        if (errno || end == v || *end || n < min || n > max)
                return -EINVAL;
        *out = n;
        return 0;
}

/* Absolute on Linux (/srv/backup) or on Windows (D:\Sauvegardes, D:/x,
 * \\nas\share\folder): a policy may be meant for either. */
static bool absolute_path(const char *s)
{
        if (s[0] == '/')
                return true;
        if (((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')) && s[1] == ':' &&
            (s[2] == '\\' || s[2] == '/'))
                return true;
        return s[0] == '\\' && s[1] == '\\' && s[2] && s[2] != '\\';
}

static int load_job(struct load *l, const char *section, const char *name, const char *value)
{
        const char *jname = section + strlen("backup:");
        struct policy *p = l->p;
        long long n;

        if (!l->job || strcmp(l->job->name, jname) != 0) {
                l->job = NULL;
                for (size_t i = 0; i < p->njobs; i++)
                        if (strcmp(p->jobs[i].name, jname) == 0)
                                l->job = &p->jobs[i];
        }
        if (!l->job) {
                if (!*jname || strlen(jname) >= sizeof(p->jobs[0].name))
                        return load_fail(l,
                                         "[%s]: a backup job needs a name of 1 to 63 characters%s",
                                         section, "");
                if (p->njobs == POLICY_MAX_BACKUP_JOBS)
                        return load_fail(l, "[%s]: too many backup jobs%s", section, "");
                l->job = &p->jobs[p->njobs++];
                memset(l->job, 0, sizeof(*l->job));
                snprintf(l->job->name, sizeof(l->job->name), "%s", jname);
                l->job->max_age_hours = -1;
        }
        if (strcmp(name, "path") == 0) {
                if (!absolute_path(value) || strlen(value) >= sizeof(l->job->path))
                        return load_fail(l, "[%s] path: must be an absolute path, not \"%s\"",
                                         section, value);
                snprintf(l->job->path, sizeof(l->job->path), "%s", value);
        } else if (strcmp(name, "max_age_hours") == 0) {
                if (parse_long(value, 1, 24 * 3650, &n) < 0)
                        return load_fail(
                            l, "max_age_hours: not a number of hours from 1 to 87600: \"%s\"%s",
                            value, "");
                l->job->max_age_hours = (long)n;
        } else if (strcmp(name, "min_bytes") == 0) {
                if (parse_long(value, 0, (long long)1 << 60, &n) < 0)
                        return load_fail(l, "min_bytes: not a byte count: \"%s\"%s", value, "");
                l->job->min_bytes = n;
        } else {
                return load_fail(l, "unknown key \"%s\" in [%s] (path, max_age_hours, min_bytes)",
                                 name, section);
        }
        return 1;
}

static int date_ok(const char *v)
{
        time_t t;

        return util_parse_date(v, &t) == 0;
}

/* "KB" and 6 to 8 digits. */
static int kb_ok(const char *v)
{
        size_t n = strspn(v + 2, "0123456789");

        return strncmp(v, "KB", 2) == 0 && n >= 6 && n <= 8 && !v[2 + n];
}

static int load_win_build(struct load *l, const char *section, const char *name, const char *value)
{
        struct policy *p = l->p;
        struct win_build *w;
        long long n;
        int fam;
        const char *digits = section + strlen("windows:");

        if (*digits < '1' || *digits > '9' || digits[strspn(digits, "0123456789")] ||
            parse_long(digits, 1, 999999, &n) < 0)
                return load_fail(l, "[%s]: not a Windows build number, as in [windows:26100]%s",
                                 section, "");
        if (!l->win || l->win->build != (unsigned)n) {
                l->win = NULL;
                for (size_t i = 0; i < p->nwin_builds; i++)
                        if (p->win_builds[i].build == (unsigned)n)
                                l->win = &p->win_builds[i];
        }
        if (!l->win) {
                if (p->nwin_builds == POLICY_MAX_WIN_BUILDS)
                        return load_fail(l, "[%s]: too many Windows builds (32 at most)%s", section,
                                         "");
                l->win = &p->win_builds[p->nwin_builds++];
                memset(l->win, 0, sizeof(*l->win));
                l->win->build = (unsigned)n;
        }
        w = l->win;
        if (!l->win_set[w - p->win_builds])
                w->line = l->lineno;
        l->win_set[w - p->win_builds] |= WIN_TOUCHED;
        if (strcmp(name, "release") == 0 || strcmp(name, "release_ltsc") == 0) {
                char *dst = name[7] ? w->release_ltsc : w->release;
                if (!util_line_ok(value, strlen(value), sizeof(w->release) - 1) || !*value)
                        return load_fail(l, "%s: empty, too long or not text: \"%s\"", name, value);
                snprintf(dst, sizeof(w->release), "%s", value);
        } else if (strncmp(name, "end_", 4) == 0 && (fam = win_family_from_name(name + 4)) >= 0) {
                if (!date_ok(value))
                        return load_fail(l, "%s: \"%s\" is not a date (YYYY-MM-DD)", name, value);
                snprintf(w->end[fam], sizeof(w->end[fam]), "%s", value);
        } else if (strcmp(name, "esu") == 0) {
                if (!date_ok(value))
                        return load_fail(l, "%s: \"%s\" is not a date (YYYY-MM-DD)", name, value);
                snprintf(w->esu, sizeof(w->esu), "%s", value);
        } else if (strcmp(name, "latest_revision") == 0) {
                if (parse_long(value, 1, 999999, &n) < 0)
                        return load_fail(l, "%s: \"%s\" is not a whole number from 1 to 999999",
                                         name, value);
                w->latest_revision = (unsigned)n;
                l->win_set[w - p->win_builds] |= WIN_SET_REVISION;
        } else if (strcmp(name, "latest_date") == 0) {
                if (!date_ok(value))
                        return load_fail(l, "%s: \"%s\" is not a date (YYYY-MM-DD)", name, value);
                snprintf(w->latest_date, sizeof(w->latest_date), "%s", value);
                l->win_set[w - p->win_builds] |= WIN_SET_DATE;
        } else if (strcmp(name, "latest_kb") == 0) {
                if (!kb_ok(value))
                        return load_fail(l, "%s: \"%s\" is not a KB number (as KB5068861)", name,
                                         value);
                snprintf(w->latest_kb, sizeof(w->latest_kb), "%s", value);
        } else {
                return load_fail(l,
                                 "unknown key \"%s\" in [%s] (release, release_ltsc, end_home_pro, "
                                 "end_enterprise, end_ltsc, end_iot_ltsc, esu, latest_revision, "
                                 "latest_date, latest_kb)",
                                 name, section);
        }
        return 1;
}

static int load_key(void *user, const char *section, const char *name, const char *value)
{
        struct load *l = user;
        char *base = (char *)l->p;
        bool known_section = false;
        long long n;
        int sev;

        if (strncmp(section, "backup:", 7) == 0)
                return load_job(l, section, name, value);
        if (strncmp(section, "windows:", 8) == 0)
                return load_win_build(l, section, name, value);
        if (strcmp(section, "severity") == 0) {
                const struct check *c = checks_find(name);

                if (!c)
                        return load_fail(l, "[severity]: unknown check \"%s\"%s", name, "");
                sev = severity_from_name(value);
                if (sev < 0)
                        return load_fail(
                            l, "%s: bad severity \"%s\" (info, low, medium, high, critical)", name,
                            value);
                l->p->severity[c - checks] = sev;
                return 1;
        }
        for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
                const struct key *k = &keys[i];

                if (strcmp(k->section, section) != 0)
                        continue;
                known_section = true;
                if (strcmp(k->name, name) != 0)
                        continue;
                switch (k->type) {
                case KEY_LONG:
                        if (parse_long(value, k->min, k->max, &n) < 0) {
                                char range[64];
                                snprintf(range, sizeof(range), "%lld to %lld", k->min, k->max);
                                if (!l->msg[0])
                                        snprintf(l->msg, sizeof(l->msg),
                                                 "%s: \"%s\" is not a whole number from %s", name,
                                                 value, range);
                                return 0;
                        }
                        *(long *)(base + k->off) = (long)n;
                        return 1;
                case KEY_STR:
                        if (strlen(value) >= k->size || !*value)
                                return load_fail(l, "%s: empty or too long: \"%s\"", name, value);
                        snprintf(base + k->off, k->size, "%s", value);
                        return 1;
                case KEY_DURATION:
                        if (parse_duration(value, &n) < 0 || n < k->min || n > k->max)
                                return load_fail(l,
                                                 "%s: \"%s\" is not a duration from 5m to 30d "
                                                 "(e.g. 90m, 12h, 7d)",
                                                 name, value);
                        *(long *)(base + k->off) = (long)n;
                        return 1;
                case KEY_DATE:
                        if (!date_ok(value))
                                return load_fail(l, "%s: \"%s\" is not a date (YYYY-MM-DD)", name,
                                                 value);
                        snprintf(base + k->off, k->size, "%s", value);
                        return 1;
                case KEY_SEVERITY:
                        sev = severity_from_name(value);
                        if (sev < 0)
                                return load_fail(
                                    l,
                                    "%s: bad severity \"%s\" (info, low, medium, high, critical)",
                                    name, value);
                        *(long *)(base + k->off) = sev;
                        return 1;
                }
        }
        if (known_section)
                return load_fail(l, "unknown key \"%s\" in [%s]", name, section);
        return load_fail(l, "unknown section [%s] (key \"%s\")", section, name);
}

/* The Windows builds this load set: a latest update whole, and within
 * the table's date. */
static int check_win_builds(struct load *l, struct error *e)
{
        struct policy *p = l->p;

        for (size_t i = 0; i < p->nwin_builds; i++) {
                const struct win_build *w = &p->win_builds[i];
                unsigned set = l->win_set[i];

                if (!set)
                        continue;
                if (!(set & WIN_SET_REVISION) != !(set & WIN_SET_DATE)) {
                        error_set(e, l->file, w->line,
                                  "[windows:%u]: latest_revision and latest_date go together",
                                  w->build);
                        return -EINVAL;
                }
                if (!w->latest_revision)
                        continue;
                if (!p->win_updated[0]) {
                        error_set(e, l->file, w->line,
                                  "[windows:%u]: a latest update needs the table's date "
                                  "([windows] updated)",
                                  w->build);
                        return -EINVAL;
                }
                if (strcmp(w->latest_date, p->win_updated) > 0) {
                        error_set(e, l->file, w->line,
                                  "[windows:%u]: latest_date %s is after the table's date "
                                  "([windows] updated = %s)",
                                  w->build, w->latest_date, p->win_updated);
                        return -EINVAL;
                }
        }
        return 0;
}

static int load_finish(struct load *l, int rc, struct error *e)
{
        struct policy *p = l->p;

        if (rc < 0) {
                error_set(e, l->file, 0, "cannot read the policy");
                return -EIO;
        }
        if (rc > 0) {
                error_set(e, l->file, (unsigned)rc, "%s",
                          l->msg[0] ? l->msg : "expected \"[section]\" or \"key = value\"");
                return -EINVAL;
        }
        for (size_t i = 0; i < p->njobs; i++) {
                if (!p->jobs[i].path[0]) {
                        error_set(e, l->file, 0, "[backup:%s] has no path", p->jobs[i].name);
                        return -EINVAL;
                }
                if (p->jobs[i].max_age_hours < 0)
                        p->jobs[i].max_age_hours = p->backup_max_age_hours;
        }
        if (check_win_builds(l, e) < 0)
                return -EINVAL;
        snprintf(p->file, sizeof(p->file), "%s", l->file);
        return 0;
}

/* inih's readers, counting lines so that a section's line is known. */
static char *read_file_line(char *str, int num, void *stream)
{
        struct load *l = stream;

        l->lineno++;
        return fgets(str, num, l->f);
}

static char *read_string_line(char *str, int num, void *stream)
{
        struct load *l = stream;
        const char *s = l->text;
        int i = 0;

        if (num < 2 || !*s)
                return NULL;
        while (i < num - 1 && s[i]) {
                str[i] = s[i];
                if (s[i++] == '\n')
                        break;
        }
        str[i] = '\0';
        l->text = s + i;
        l->lineno++;
        return str;
}

int policy_load(struct policy *p, const char *file, struct error *e)
{
        struct load l = { .p = p, .file = file };
        FILE *f = util_fopen(file, "r");
        int rc;

        if (!f) {
                error_set(e, file, 0, "cannot open the policy: %s", strerror(errno));
                return -errno;
        }
        l.f = f;
        rc = ini_parse_stream(read_file_line, &l, load_key, &l);
        fclose(f);
        return load_finish(&l, rc, e);
}

int policy_load_string(struct policy *p, const char *text, const char *file, struct error *e)
{
        struct load l = { .p = p, .file = file, .text = text };

        return load_finish(&l, ini_parse_stream(read_string_line, &l, load_key, &l), e);
}

enum severity policy_severity(const struct policy *p, const struct check *c)
{
        int s = p->severity[c - checks];

        return s >= 0 ? (enum severity)s : c->severity;
}

const struct win_build *policy_windows_build(const struct policy *p, unsigned build)
{
        for (size_t i = 0; i < p->nwin_builds; i++)
                if (p->win_builds[i].build == build)
                        return &p->win_builds[i];
        return NULL;
}
