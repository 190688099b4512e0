/* state.h - what an enrolled agent keeps in its state directory.
 *
 * state.json (the collector, the agent id, the machine it was made on),
 * agent.key (FILE_SECRET: on Windows SYSTEM alone reads it), agent.crt
 * (0600), ca.crt (the pinned CA), policy.ini (the
 * last policy fetched), seq (the last report number used), status.json (what
 * the daemon last did), sent.json (the blocks sent, delta.h) and spool/. Every file is replaced
 * whole (file_replace). */
#ifndef HYGIE_STATE_H
#define HYGIE_STATE_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"
#include "file.h"

struct agent_state {
        char dir[PATH_MAX];
        char server[512]; /* https://host:port, no trailing slash */
        char agent_id[37];
        char finess[10];
        char machine[65]; /* machine_digest() when enrolled, "" if unknown */
        long long enrolled_at;
};

/* Reads dir/state.json. -ENOENT when the agent is not enrolled (e says how
 * to enroll), -EINVAL when it is damaged. */
int state_load(const char *dir, struct agent_state *st, struct error *e);
int state_save(const struct agent_state *st, struct error *e);
/* The last report number used, from dir/seq into *seq: 0 when the file is
 * missing. -EINVAL when it is damaged, -errno when unreadable; e says
 * which. */
int state_seq_load(const char *dir, unsigned long long *seq, struct error *e);
/* Records seq as the last report number used, durably: a report is
 * numbered only once its number is on disk, so numbers never go back. */
int state_seq_save(const char *dir, unsigned long long seq, struct error *e);
/* dir/name into buf. */
const char *state_path(const char *dir, const char *name, char *buf, size_t size);

/* A digest of a machine's own identifiers (Linux: /etc/machine-id and the
 * DMI product UUID; Windows: MachineGuid and the SMBIOS UUID, see
 * agent_machine_digest), so a cloned disk is told apart without either
 * identifier leaving the machine. "" into out when both are empty. */
int state_machine_digest(const char *id, const char *uuid, char *out, size_t size);

#endif
