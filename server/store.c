/* store.c - what every storage engine shares: checking what goes in. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <stdlib.h>

#include "checks.h"
#include "finess.h"
#include "policy.h"
#include "report_limits.h"
#include "store.h"

/* FINESS codes the overseas départements 971-976 as 9A-9F. */
static bool department_matches(const char *finess, const char *dep)
{
        if (finess[0] == '9' && finess[1] >= 'A' && finess[1] <= 'F')
                return strlen(dep) == 3 && dep[0] == '9' && dep[1] == '7' &&
                       dep[2] == '1' + (finess[1] - 'A');
        if (finess[0] == '9' && finess[1] == '7')
                return strlen(dep) == 3 && dep[0] == '9' && dep[1] == '7';
        return strlen(dep) == 2 && dep[0] == finess[0] && dep[1] == finess[1];
}

int store_establishment_check(const struct establishment *est, struct error *e)
{
        const char *why;

        if (finess_check(est->finess, &why) < 0) {
                error_set(e, "", 0, "FINESS %s: %s", est->finess, why);
                return -EINVAL;
        }
        if (!department_matches(est->finess, est->department)) {
                error_set(e, "", 0, "FINESS %s is not in département %s", est->finess,
                          est->department);
                return -EINVAL;
        }
        if (!est->name[0] || !est->region[0]) {
                error_set(e, "", 0, "an establishment needs a name and a region");
                return -EINVAL;
        }
        return 0;
}

int store_open(const char *url, const char *data_dir, struct store **out, struct error *e)
{
        if (!url || !*url)
                return store_open_sqlite(data_dir, out, e);
        if (strncmp(url, "sqlite:", 7) == 0)
                return store_open_sqlite(url + 7, out, e);
        return store_open_pg(url, out, e);
}

long store_day(time_t t)
{
        return (long)(t / STORE_DAY);
}

long store_months_days(int months)
{
        return (long)months * 365 / 12;
}

bool store_finding_alerts(const struct store_finding *f, int threshold)
{
        return (f->status == STATUS_FAIL || f->status == STATUS_ERROR) && f->severity >= threshold;
}

int store_report_order(const struct store_report *r, long long last_seq)
{
        if (r->seq - (last_seq > 0 ? last_seq : 0) > REPORT_SEQ_AHEAD_MAX)
                return STORE_SEQ_AHEAD;
        return r->seq > last_seq ? 0 : STORE_SUPERSEDED;
}

int store_unchanged_cmp(const void *a, const void *b)
{
        return strcmp(((const struct store_unchanged *)a)->name,
                      ((const struct store_unchanged *)b)->name);
}

bool store_machine_differs(const char *recorded, const char *reported)
{
        return recorded && *recorded && reported && *reported && strcmp(recorded, reported) != 0;
}

void store_duplicate_summary(const struct store_report *r, char *buf, size_t size)
{
        snprintf(buf, size,
                 "this agent's certificate reports from another machine (%.12s) as \"%.64s\": "
                 "a cloned disk; re-enroll the copy",
                 r->machine, r->hostname ? r->hostname : "");
}

static bool report_has_check(const struct store_report *r, const char *check)
{
        if (strcmp(check, "agent.silent") == 0)
                return true;
        for (size_t i = 0; i < r->nfindings; i++)
                if (strcmp(r->findings[i].check, check) == 0)
                        return true;
        return false;
}

size_t store_plan_alerts(const struct store_report *r, int threshold, struct store_live *live,
                         size_t nlive, struct store_step *steps)
{
        size_t n = 0;

        for (size_t i = 0; i < nlive; i++)
                live[i].kept = false;
        for (size_t i = 0; i < r->nfindings; i++) {
                const struct store_finding *f = &r->findings[i];
                struct store_live *l = NULL;
                bool planned = false;

                if (!store_finding_alerts(f, threshold))
                        continue;
                for (size_t j = 0; j < nlive && !l; j++)
                        if (strcmp(live[j].check, f->check) == 0 &&
                            strcmp(live[j].subject, f->subject) == 0)
                                l = &live[j];
                if (l) {
                        if (l->kept)
                                continue; /* the same finding twice in one report */
                        l->kept = true;
                        if (strcmp(l->severity, severity_name(f->severity)) != 0 ||
                            strncmp(l->summary, f->summary, sizeof(l->summary) - 1) != 0 ||
                            strncmp(l->summary_fr, f->summary_fr ? f->summary_fr : "",
                                    sizeof(l->summary_fr) - 1) != 0)
                                steps[n++] = (struct store_step){ STORE_UPDATE, l->id, f };
                        continue;
                }
                for (size_t k = 0; k < n && !planned; k++)
                        planned = steps[k].act == STORE_INSERT &&
                                  strcmp(steps[k].f->check, f->check) == 0 &&
                                  strcmp(steps[k].f->subject, f->subject) == 0;
                if (!planned)
                        steps[n++] = (struct store_step){ STORE_INSERT, 0, f };
        }
        for (size_t i = 0; i < nlive; i++)
                if (!live[i].kept && report_has_check(r, live[i].check))
                        steps[n++] = (struct store_step){ STORE_RESOLVE, live[i].id, NULL };
        return n;
}

static const char *const roles[ROLE_COUNT] = {
        [ROLE_ADMIN] = "admin",
        [ROLE_REGIONAL] = "regional",
        [ROLE_ESTABLISHMENT] = "establishment",
        [ROLE_FUNDER] = "funder",
};

const char *role_name(int role)
{
        return role >= 0 && role < ROLE_COUNT ? roles[role] : "?";
}

int role_from_name(const char *name)
{
        for (int i = 0; i < ROLE_COUNT; i++)
                if (name && strcmp(name, roles[i]) == 0)
                        return i;
        return -1;
}

bool login_valid(const char *login)
{
        size_t n = strlen(login);

        return n > 0 && n <= 64 &&
               strspn(login,
                      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@-") == n;
}

/* Machine state: a checks string holds one "check=SV;" entry per check,
 * S its worst status (a letter of STATUS_LETTERS), V its severity. */

#define STATUS_LETTERS "pwfes" /* enum status order */
#define MACHINE_MAX    96      /* checks a machine's state keeps */

struct check_state {
        char id[64];
        int status, severity;
};

/* Worse first: fail and error, then warn, then pass and skip. */
static int status_rank(int status)
{
        return status == STATUS_FAIL || status == STATUS_ERROR ? 2 : status == STATUS_WARN;
}

static size_t parse_checks(const char *s, struct check_state *out, size_t max)
{
        size_t n = 0;

        while (s && *s && n < max) {
                const char *eq = strchr(s, '='), *end = strchr(s, ';');
                const char *letter;

                if (!eq || !end || eq > end || end - eq != 3 || (size_t)(eq - s) >= sizeof(out->id))
                        break; /* not ours: the rest is dropped and rebuilt from reports */
                letter = memchr(STATUS_LETTERS, eq[1], STATUS_COUNT);
                if (!letter || eq[2] < '0' || eq[2] >= '0' + SEV_COUNT)
                        break;
                memcpy(out[n].id, s, (size_t)(eq - s));
                out[n].id[eq - s] = '\0';
                out[n].status = (int)(letter - STATUS_LETTERS);
                out[n].severity = eq[2] - '0';
                n++;
                s = end + 1;
        }
        return n;
}

static int checks_score(const struct check_state *c, size_t n, const struct store_rules *rules)
{
        long long earned = 0, weight = 0; /* in hundredths */

        for (size_t i = 0; i < n; i++) {
                long long w = rules->weight[c[i].severity] * 100LL;

                if (c[i].status == STATUS_SKIP)
                        continue;
                weight += w;
                if (c[i].status == STATUS_PASS)
                        earned += w;
                else if (c[i].status == STATUS_WARN)
                        earned += w * (100 - rules->warn_percent) / 100;
        }
        return weight ? (int)((earned * 100 + weight / 2) / weight) : -1;
}

char store_status_letter(int status)
{
        return STATUS_LETTERS[status];
}

bool store_checks_next(const char **text, char id[64], int *status, int *severity)
{
        struct check_state c;

        if (parse_checks(*text, &c, 1) != 1)
                return false;
        memcpy(id, c.id, sizeof(c.id));
        *status = c.status;
        *severity = c.severity;
        *text = strchr(*text, ';') + 1;
        return true;
}

int store_checks_score(const char *text, const struct store_rules *rules)
{
        struct check_state c[MACHINE_MAX];

        return checks_score(c, parse_checks(text, c, MACHINE_MAX), rules);
}

static int state_of(const struct check_state *c, size_t n, const char *id)
{
        for (size_t i = 0; i < n; i++)
                if (strcmp(c[i].id, id) == 0)
                        return c[i].status;
        return -1;
}

static bool fails(const struct check_state *c, size_t n, const char *id)
{
        return state_of(c, n, id) == STATUS_FAIL;
}

void store_machine_update(const char *before, const struct store_report *r,
                          const struct store_rules *rules, struct machine_state *ms)
{
        struct check_state c[MACHINE_MAX];
        size_t n = parse_checks(before, c, MACHINE_MAX), len = 0;
        bool carried[MACHINE_MAX] = { false };
        int os;

        /* A check the report carries is replaced by its worst finding. */
        for (size_t i = 0; i < r->nfindings; i++) {
                const struct store_finding *f = &r->findings[i];
                size_t j = 0;

                if (strlen(f->check) >= sizeof(c[0].id) || strchr(f->check, '=') ||
                    strchr(f->check, ';'))
                        continue;
                while (j < n && strcmp(c[j].id, f->check) != 0)
                        j++;
                if (j == n) {
                        if (n == MACHINE_MAX)
                                continue;
                        snprintf(c[n++].id, sizeof(c[0].id), "%s", f->check);
                }
                if (!carried[j] || status_rank(f->status) > status_rank(c[j].status) ||
                    (status_rank(f->status) == status_rank(c[j].status) &&
                     f->severity > c[j].severity)) {
                        c[j].status = f->status;
                        c[j].severity = f->severity;
                }
                carried[j] = true;
        }
        ms->checks[0] = '\0';
        for (size_t i = 0; i < n; i++) {
                int w = snprintf(ms->checks + len, sizeof(ms->checks) - len, "%s=%c%c;", c[i].id,
                                 STATUS_LETTERS[c[i].status], '0' + c[i].severity);

                if (w < 0 || (size_t)w >= sizeof(ms->checks) - len) {
                        ms->checks[len] = '\0';
                        break;
                }
                len += (size_t)w;
        }
        ms->score = checks_score(c, n, rules);
        ms->equipment = 0;
        if (fails(c, n, "equipment.win11_ready") || fails(c, n, "equipment.age") ||
            fails(c, n, "equipment.tpm")) {
                ms->equipment = EQUIP_REPLACE;
        } else {
                if (fails(c, n, "equipment.ram"))
                        ms->equipment |= EQUIP_RAM;
                if (fails(c, n, "equipment.storage"))
                        ms->equipment |= EQUIP_SSD;
        }
        os = state_of(c, n, "os.supported");
        ms->os_supported = os == STATUS_PASS || os == STATUS_WARN ? 1 : os == STATUS_FAIL ? 0 : -1;
}

void store_rules_of(const struct policy *p, struct store_rules *r)
{
        r->threshold = (int)p->alert_severity;
        for (int i = 0; i < SEV_COUNT; i++)
                r->weight[i] = (int)p->score_weight[i];
        r->warn_percent = (int)p->score_warn_percent;
        r->plan_percent = (int)p->score_plan_percent;
        r->exercise_months = (int)p->exercise_months;
        r->awareness_months = (int)p->awareness_months;
        r->restore_test_months = (int)p->restore_test_months;
        r->cost_pc = p->cost_pc;
        r->cost_ram = p->cost_ram;
        r->cost_ssd = p->cost_ssd;
}
