/* check.c - "hygie-agent check": run the checks once, here, and say the verdict.
 *
 * Exit status: 0 when no check fails, 1 when one does, 2 on a usage or
 * runtime error (bad policy, unreadable root). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intl.h"
#include "agent.h"
#include "lang.h"
#include "collector.h"
#include "paths.h"
#include "report.h"
#include "util.h"

#define _(s) dgettext("hygie", s)

static void check_usage(FILE *out)
{
        fprintf(
            out, "%s",
            _("Usage: hygie-agent check [--root DIR] [--policy FILE] [--only FAMILY[,FAMILY...]] "
              "[--json]\n"
              "\n"
              "Runs every check once on this machine and prints the verdict.\n"
              "  --root DIR     inspect the system whose root is DIR (default /)\n"
              "  --policy FILE  thresholds and backup jobs (default: the ESMS baseline)\n"
              "  --only LIST    only these families: os, patch, backup, passwords,\n"
              "                 antivirus, hardware\n"
              "  --json         print a hygie.report/1 document\n"
              "Exit status: 0 nothing fails, 1 a check fails, 2 usage or runtime error.\n"));
}

static int parse_only(const char *list, unsigned *mask)
{
        char buf[256], *save = NULL, *tok;

        if (strlen(list) >= sizeof(buf))
                return -EINVAL;
        strcpy(buf, list);
        *mask = 0;
        for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
                int fam = family_from_name(tok);
                if (fam < 0) {
                        fprintf(
                            stderr,
                            _("hygie-agent: unknown family \"%s\" (os, patch, backup, passwords, "
                              "antivirus, hardware)\n"),
                            tok);
                        return -EINVAL;
                }
                *mask |= 1u << fam;
        }
        return *mask ? 0 : -EINVAL;
}

int agent_load_policy(struct policy *p, const char *file, const char *fetched, struct error *e)
{
        char path[4096];
        const char *site = paths_site_policy();
        int rc;

        if (file)
                return policy_load(p, file, e);
        rc = policy_load(p, paths_data("esms-baseline.ini", path, sizeof(path)), e);
        if (rc == 0 && fetched && util_exists(fetched))
                rc = policy_load(p, fetched, e);
        if (rc < 0 || !util_exists(site))
                return rc;
        return policy_load(p, site, e);
}

/* Collects the families of needs into a new facts object. */
static json_t *collect_all(const struct collect_ctx *ctx, unsigned needs)
{
        json_t *facts = json_object();

        for (int fam = 0; fam < FAM_COUNT; fam++) {
                json_t *obj;
                int rc;

                if (!(needs & (1u << fam)))
                        continue;
                obj = json_object();
                rc = collectors[fam].collect(ctx, obj);
                if (rc < 0)
                        facts_add_error(obj, "collector", "", 0, "the %s collector failed: %s",
                                        family_name(fam), strerror(-rc));
                json_object_set_new(facts, family_name(fam), obj);
        }
        return facts;
}

json_t *agent_run_checks(const struct rootfs *root, const struct policy *p, unsigned mask,
                         time_t now, bool translate, const char *state_dir, struct findings *out)
{
        struct collect_ctx cctx = { .root = root, .policy = p, .now = now, .state_dir = state_dir };
        json_t *facts = collect_all(&cctx, checks_needs(mask));
        struct check_ctx ctx = { .policy = p, .facts = facts, .now = now, .translate = translate };

        checks_run(&ctx, mask, out);
        return facts;
}

void agent_run_texts(const struct policy *p, const json_t *facts, unsigned mask, time_t now,
                     const struct msgcat *cat, struct findings *out)
{
        struct check_ctx ctx = { .policy = p, .facts = facts, .now = now, .cat = cat };

        checks_run(&ctx, mask, out);
}

int agent_check(int argc, char **argv)
{
        static const struct option opts[] = {
                { "root", required_argument, NULL, 'r' },
                { "policy", required_argument, NULL, 'p' },
                { "only", required_argument, NULL, 'o' },
                { "json", no_argument, NULL, 'j' },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        const char *root_path = NULL, *policy_file = NULL;
        unsigned mask = FAM_ALL;
        bool json = false;
        struct policy *policy = NULL;
        struct rootfs *root = NULL;
        struct findings findings = { 0 }, fr = { 0 };
        struct msgcat cat = { 0 };
        json_t *facts = NULL, *doc = NULL;
        char ebuf[600], host[256];
        struct error err;
        int c, rc, status = 2;

        optind = 1;
        while ((c = getopt_long(argc, argv, "r:p:o:jh", opts, NULL)) != -1) {
                switch (c) {
                case 'r':
                        root_path = optarg;
                        break;
                case 'p':
                        policy_file = optarg;
                        break;
                case 'o':
                        if (parse_only(optarg, &mask) < 0)
                                return 2;
                        break;
                case 'j':
                        json = true;
                        break;
                case 'h':
                        check_usage(stdout);
                        return 0;
                default:
                        check_usage(stderr);
                        return 2;
                }
        }
        if (optind != argc) {
                check_usage(stderr);
                return 2;
        }

        policy = malloc(sizeof(*policy));
        if (!policy)
                return 2;
        policy_defaults(policy);
        if (agent_load_policy(policy, policy_file, NULL, &err) < 0) {
                fprintf(stderr, "hygie-agent: %s\n", error_str(&err, ebuf, sizeof(ebuf)));
                goto out;
        }
        rc = agent_open_root(root_path, &root);
        if (rc < 0)
                goto out;

        struct report_meta meta = {
                .hostname = agent_hostname(root, host, sizeof(host))[0] ? host
                            : root_path                                 ? root_path
                                                                        : "/",
                .collected_at = time(NULL),
        };
        facts = agent_run_checks(root, policy, mask, meta.collected_at, !json, NULL, &findings);
        if (json) {
                if (lang_load(&cat, LANG_FR, &err) == 0)
                        agent_run_texts(policy, facts, mask, meta.collected_at, &cat, &fr);
                doc = report_build(&meta, policy, facts, &findings, &fr);
                if (!doc || json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_SORT_KEYS) < 0)
                        goto out;
                fputc('\n', stdout);
        } else {
                report_render(stdout, &meta, &findings, mask, agent_colors(stdout));
        }
        status = 0;
        for (size_t i = 0; i < findings.n; i++)
                if (findings.v[i].status == STATUS_FAIL)
                        status = 1;
        if (fflush(stdout) != 0)
                status = 2;
out:
        json_decref(doc);
        json_decref(facts);
        findings_free(&findings);
        findings_free(&fr);
        msgcat_free(&cat);
        agent_close_root(root);
        free(policy);
        return status;
}
