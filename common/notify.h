/* notify.h - telling systemd how the service is doing (sd_notify), without
 * linking libsystemd: one datagram to $NOTIFY_SOCKET when it is set. */
#ifndef HYGIE_NOTIFY_H
#define HYGIE_NOTIFY_H

/* Sends state ("READY=1", "STOPPING=1", "RELOADING=1", "STATUS=...").
 * 0, or -errno; nothing to do (0) without $NOTIFY_SOCKET. */
int notify_send(const char *state);

#endif
