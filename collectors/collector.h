/* collector.h - the one interface between the agent and its probes.
 *
 * A collector reads one family of facts through a rootfs and fills a JSON
 * object; it never decides pass or fail (that is policy/). A file it cannot
 * parse is recorded with facts_add_error() so a rule can say what and where. */
#ifndef HYGIE_COLLECTOR_H
#define HYGIE_COLLECTOR_H

#include <jansson.h>
#include <time.h>

#include "checks.h"
#include "policy.h"
#ifdef _WIN32
struct rootfs; /* Windows is read through its API, not a root directory */
#else
#include "rootfs.h"
#endif

struct collect_ctx {
        const struct rootfs *root;
        const struct policy *policy;
        time_t now;
        const char *state_dir; /* the daemon's, for what runs remember; NULL in check */
};

struct collector {
        enum family family;
        /* Fills facts (an empty object). 0, or a negative errno when the
         * collector itself could not run (out of memory). */
        int (*collect)(const struct collect_ctx *ctx, json_t *facts);
};

int os_collect(const struct collect_ctx *ctx, json_t *facts);
int patch_collect(const struct collect_ctx *ctx, json_t *facts);
int backup_collect(const struct collect_ctx *ctx, json_t *facts);
int passwords_collect(const struct collect_ctx *ctx, json_t *facts);
int antivirus_collect(const struct collect_ctx *ctx, json_t *facts);
int hardware_collect(const struct collect_ctx *ctx, json_t *facts);

/* Indexed by enum family. */
extern const struct collector collectors[FAM_COUNT];

/* A new JSON string from bytes a root holds (a file name, a label): when they
 * are not UTF-8, non-ASCII and control bytes become '?'. NULL for NULL. */
json_t *facts_string(const char *s);

/* Records in facts.errors that source ("status", "shadow"...) could not be
 * read or parsed: file as seen in the root, line (0 for none), message. */
void facts_add_error(json_t *facts, const char *source, const char *file, unsigned line,
                     const char *fmt, ...) HYGIE_PRINTF(5, 6);

#endif
