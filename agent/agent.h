/* agent.h - the commands of hygie-agent. */
#ifndef HYGIE_AGENT_H
#define HYGIE_AGENT_H

#include <stddef.h>

#include "rootfs.h"

int agent_check(int argc, char **argv);
/* The inspected system's host name: this machine's, or etc/hostname in the root. */
const char *agent_hostname(const struct rootfs *root, char *buf, size_t size);

#endif
