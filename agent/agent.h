/* agent.h - the commands of hygie-agent. */
#ifndef HYGIE_AGENT_H
#define HYGIE_AGENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "checks.h"
#include "error.h"
#include "policy.h"
#include "rootfs.h"

int agent_check(int argc, char **argv);
int agent_enroll(int argc, char **argv);
int agent_run(int argc, char **argv);
int agent_status(int argc, char **argv);

/* The policy: file alone when given; otherwise the shipped baseline, then the
 * one fetched from the collector (fetched, when present), then this
 * machine's own settings (paths_site_policy()) over them. */
int agent_load_policy(struct policy *p, const char *file, const char *fetched, struct error *e);
/* Collects the facts the checks of mask need and runs them into out; the
 * facts are returned (a new reference). state_dir: where the daemon keeps
 * what runs remember (the audit's cache), NULL for none. */
json_t *agent_run_checks(const struct rootfs *root, const struct policy *p, unsigned mask,
                         time_t now, bool translate, const char *state_dir, struct findings *out);
/* The inspected system's host name: this machine's, or etc/hostname in the root. */
const char *agent_hostname(const struct rootfs *root, char *buf, size_t size);

#endif
