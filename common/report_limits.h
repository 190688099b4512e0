/* report_limits.h - the size of a hygie.report/1 document, as the collector
 * accepts it and as the agent must build it.
 *
 * Both sides read these: the collector refuses a report past them, so the
 * agent caps or summarises what grows with the machine before sending. */
#ifndef HYGIE_REPORT_LIMITS_H
#define HYGIE_REPORT_LIMITS_H

/* The body as sent over HTTP, gzip'd or not. */
#define REPORT_SENT_MAX (1024 * 1024)
/* The document once unpacked. */
#define REPORT_TEXT_MAX (8 * 1024 * 1024)
/* One family's facts ("facts": {"patch": ...}), as JSON text. */
#define REPORT_FAMILY_MAX (256 * 1024)
/* Families in "facts". */
#define REPORT_FAMILIES_MAX 16

#endif
