/* status.c - hygie-agent status: enrollment, collector, last delivery,
 * spool depth, reports the collector refused, and next run, from the state
 * directory (the daemon need not be running). */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "intl.h"
#include "agent.h"
#include "dirops.h"
#include "paths.h"
#include "spool.h"
#include "state.h"

#define _(s) dgettext("hygie", s)

struct depth {
        struct dirops *d;
        long count;
        long long bytes;
};

static int count_report(const char *name, void *arg)
{
        struct depth *dp = arg;
        size_t n = strlen(name);
        struct dirops_stat st;

        if (n > 7 && strcmp(name + n - 7, ".report") == 0 && dirops_stat(dp->d, name, &st) == 0 &&
            st.type == DIROPS_FILE) {
                dp->count++;
                dp->bytes += (long long)st.size;
        }
        return 0;
}

/* The reports in the directory name, below the state directory. */
static void spool_depth(const char *dir, const char *name, long *count, long long *bytes)
{
        char path[PATH_MAX];
        struct depth dp = { 0 };

        if (dirops_open(state_path(dir, name, path, sizeof(path)), false, &dp.d) == 0) {
                dirops_list(dp.d, count_report, &dp);
                dirops_close(dp.d);
        }
        *count = dp.count;
        *bytes = dp.bytes;
}

#ifdef _WIN32
/* The service's state, for a person. */
static const char *service_words(const char *state)
{
        if (!state)
                return _("not installed");
        if (strcmp(state, "running") == 0)
                return _("running");
        if (strcmp(state, "stopped") == 0)
                return _("stopped");
        if (strcmp(state, "starting") == 0)
                return _("starting");
        if (strcmp(state, "stopping") == 0)
                return _("stopping");
        return state;
}
#endif

static const char *str(json_t *o, const char *key)
{
        const char *v = json_string_value(json_object_get(o, key));

        return v ? v : NULL;
}

int agent_status(int argc, char **argv)
{
        static const struct option opts[] = {
                { "state", required_argument, NULL, 'S' },
                { "json", no_argument, NULL, 'j' },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        const char *dir = paths_statedir();
        bool json = false;
        struct agent_state st;
        struct error e;
        char path[PATH_MAX];
        json_t *status, *out;
        long count, refused;
        long long bytes, refused_bytes;
        int c, enrolled;

        optind = 1;
        while ((c = getopt_long(argc, argv, "S:jh", opts, NULL)) != -1) {
                if (c == 'S') {
                        dir = optarg;
                } else if (c == 'j') {
                        json = true;
                } else {
                        fputs(_("Usage: hygie-agent status [--state DIR] [--json]\n"),
                              c == 'h' ? stdout : stderr);
                        return c == 'h' ? 0 : 2;
                }
        }
        enrolled = state_load(dir, &st, &e) == 0;
        status = json_load_file(state_path(dir, "status.json", path, sizeof(path)), 0, NULL);
        spool_depth(dir, "spool", &count, &bytes);
        spool_depth(dir, "spool" DIROPS_SEP SPOOL_REFUSED_DIR, &refused, &refused_bytes);
        out = json_pack(
            "{s:b, s:s?, s:s?, s:s?, s:s?, s:s?, s:O?, s:s?, s:I, s:I, s:I}", "enrolled", enrolled,
            "agent_id", enrolled ? st.agent_id : NULL, "server", enrolled ? st.server : NULL,
            "finess", enrolled && st.finess[0] ? st.finess : NULL, "last_delivery",
            str(status, "last_delivery"), "last_error", str(status, "last_error"), "last_refusal",
            json_is_object(json_object_get(status, "last_refusal"))
                ? json_object_get(status, "last_refusal")
                : NULL,
            "next_run", str(status, "next_run"), "spool_reports", (json_int_t)count, "spool_bytes",
            (json_int_t)bytes, "refused_reports", (json_int_t)refused);
        if (json_is_object(json_object_get(status, "memory")))
                json_object_set(out, "memory", json_object_get(status, "memory"));
#ifdef _WIN32
        if (agent_service_state())
                json_object_set_new(out, "service", json_string(agent_service_state()));
#endif
        json_decref(status);
        if (json) {
                json_dumpf(out, stdout, JSON_INDENT(2));
                fputc('\n', stdout);
        } else if (!enrolled) {
                printf(_("Not enrolled (%s).\n"), e.msg);
        } else {
                const char *last = str(out, "last_delivery"), *err = str(out, "last_error");
                const char *next = str(out, "next_run");
                json_t *refusal = json_object_get(out, "last_refusal");
                json_t *mem = json_object_get(out, "memory");

                printf(_("Agent:          %s\n"), st.agent_id);
                printf(_("Collector:      %s\n"), st.server);
                if (st.finess[0])
                        printf(_("Establishment:  %s\n"), st.finess);
                printf(_("Last delivery:  %s\n"), last ? last : _("never"));
                if (err)
                        printf(_("Last error:     %s\n"), err);
                printf(_("Spool:          %ld report(s), %lld bytes\n"), count, bytes);
                if (refused > 0)
                        printf(_("Refused:        %ld report(s) the collector will not take, in "
                                 "%s\n"),
                               refused,
                               state_path(dir, "spool" DIROPS_SEP SPOOL_REFUSED_DIR, path,
                                          sizeof(path)));
                if (refused > 0 && str(refusal, "at") && str(refusal, "error"))
                        printf(_("Last refused:   report %lld on %s: %s\n"),
                               (long long)json_integer_value(json_object_get(refusal, "seq")),
                               str(refusal, "at"), str(refusal, "error"));
                printf(_("Next run:       %s\n"), next ? next : _("when the service starts"));
                if (mem)
                        printf(_("Memory:         %.1f MiB resident, %.1f MiB private\n"),
                               json_integer_value(json_object_get(mem, "resident")) / 1048576.0,
                               json_integer_value(json_object_get(mem, "private")) / 1048576.0);
#ifdef _WIN32
                printf(_("Service:        %s\n"), service_words(agent_service_state()));
#endif
        }
        json_decref(out);
        return enrolled ? 0 : 1;
}
