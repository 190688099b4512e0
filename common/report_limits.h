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
#define REPORT_TEXT_MAX (4 * 1024 * 1024)
/* One family's facts ("facts": {"patch": ...}), as JSON text. */
#define REPORT_FAMILY_MAX (256 * 1024)
/* Families in "facts"; a family's name is lower-case letters, digits and
 * '_', at most 32 bytes. */
#define REPORT_FAMILIES_MAX 16
/* One finding, as JSON text (its evidence above all). */
#define REPORT_FINDING_MAX (64 * 1024)
/* Nesting of arrays and objects. */
#define REPORT_DEPTH_MAX 64
/* How far ahead of the collector's clock collected_at may be (a clock a
 * little off, a time zone taken for UTC); none may be before 2020. */
#define REPORT_CLOCK_AHEAD_MAX (24 * 3600)
#define REPORT_TIME_MIN        1577836800 /* 2020-01-01T00:00:00Z */
/* How far seq may run ahead of the agent's newest stored report (reports
 * its spool dropped during an outage leave gaps; more is no real agent's). */
#define REPORT_SEQ_AHEAD_MAX 1000000

#endif
