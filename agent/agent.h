/* agent.h - the commands of hygie-agent. */
#ifndef HYGIE_AGENT_H
#define HYGIE_AGENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "checks.h"
#include "error.h"
#include "policy.h"
#ifdef _WIN32
struct rootfs; /* Windows is read through its API, not a root directory */
#else
#include "rootfs.h"
#endif

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
/* The checks of mask run again over the same facts, their texts from cat
 * (another language than the findings' own): what report_build sends
 * beside them. */
void agent_run_texts(const struct policy *p, const json_t *facts, unsigned mask, time_t now,
                     const struct msgcat *cat, struct findings *out);
/* The inspected system's host name: this machine's, or etc/hostname in the root. */
const char *agent_hostname(const struct rootfs *root, char *buf, size_t size);

/* The platform's side (agent/unix, agent/win). */
/* Opens the system to inspect: path is a root directory on Linux (NULL for
 * "/"); Windows is read through its API, and a path is refused there. Says
 * why on stderr when it cannot. 0, or a negative errno. */
int agent_open_root(const char *path, struct rootfs **root);
void agent_close_root(struct rootfs *root);
/* This machine's identity (state_machine_digest) from its own identifiers:
 * etc/machine-id and the DMI product UUID in root on Linux, MachineGuid and
 * the SMBIOS UUID on Windows. "" when none can be read. */
int agent_machine_digest(const struct rootfs *root, char *out, size_t size);
/* Prepares the console for UTF-8 text; on Windows also replaces argv with
 * the command line in UTF-8. Whether the output may be coloured is then
 * agent_colors(). */
void agent_console_init(int *argc, char ***argv);
/* This process's memory, in bytes: resident (the working set on Windows)
 * and private (anonymous on Linux, private bytes on Windows). -errno when
 * unknown. */
int agent_memory(unsigned long long *resident, unsigned long long *private_bytes);
bool agent_colors(FILE *out);

#ifdef _WIN32
/* The Windows service (agent/win/service.c): its name, and the Event Log
 * source the installer registers for it. */
#define AGENT_SERVICE_NAME L"HygieAgent"
#define AGENT_EVENT_SOURCE "HygieAgent"
/* Hands the main thread to the service control manager, which runs
 * run(arg) on the service's own thread; returns what run returned (also
 * reported to the manager as the service's exit code), or 1 when the
 * process was not started by the manager. */
int agent_service_dispatch(int (*run)(void *), void *arg);
/* The daemon is up: reported running. A request of the manager then wakes
 * the loop through wake (uv_async_send); agent_service_requests() says
 * which. */
struct uv_async_s;
void agent_service_running(struct uv_async_s *wake);
/* The loop is closing, wake with it; unless the daemon starts again,
 * reported as stopping, with a heartbeat, until run returns. */
void agent_service_stopping(bool restarting);
#define AGENT_SERVICE_STOP     1u /* stop, shutdown or preshutdown */
#define AGENT_SERVICE_RELOAD   2u /* paramchange: read the policy again */
#define AGENT_SERVICE_ENROLLED 4u /* hygie-agent enroll is done: start afresh */
/* What the manager asked since the last call; forgets it. */
unsigned agent_service_requests(void);
/* Installed without enrollment, the service runs and waits for it: true
 * once "hygie-agent enroll" is done, false when asked to stop first. */
bool agent_service_wait_enrollment(void);
/* Tells the installed service that the enrollment is done: started when it
 * is stopped; running, it starts afresh with the new enrollment (or stops
 * waiting for one). Nothing when it is not installed. */
void agent_service_kick(void);
/* The installed service's state ("running", "stopped", "starting",
 * "stopping", "paused"), or NULL when it is not installed. */
const char *agent_service_state(void);
#endif

#endif
