/* debctrl.h - Debian control-file stanzas (deb822: "Field: value" lines,
 * continuation lines starting with a blank, stanzas separated by blank
 * lines), read in place from a buffer, as dpkg's status, apt's lists,
 * Release files and apt_preferences(5) are written. */
#ifndef HYGIE_DEBCTRL_H
#define HYGIE_DEBCTRL_H

#include <stdbool.h>
#include <stddef.h>

struct debctrl {
        const char *p, *end;
        unsigned line; /* line number of p, 1-based */
};

/* A field: its name and the first line of its value, blanks trimmed, both
 * pointing into the buffer (not NUL-terminated). */
struct debctrl_field {
        const char *name, *val;
        size_t nlen, vlen;
        unsigned line;
};

/* Field names and values longer than this are refused as malformed. */
#define DEBCTRL_MAX_LINE (64u << 10)

void debctrl_init(struct debctrl *d, const char *buf, size_t len, unsigned first_line);
/* Skips blank and comment ('#') lines: true when a stanza starts at d->p. */
bool debctrl_next_stanza(struct debctrl *d);
/* The next field of the current stanza: 1 with f filled; 0 at its end (d
 * then points past the blank line); -EINVAL for a line that is not a field
 * (d->line is that line). Continuation lines are passed over. */
int debctrl_field(struct debctrl *d, struct debctrl_field *f);
/* Passes over the rest of the current stanza. */
void debctrl_skip(struct debctrl *d);
/* Whether the field's name is name (ASCII case-insensitive). */
bool debctrl_is(const struct debctrl_field *f, const char *name);
/* Offset just past the last blank line ("\n\n") of buf[0, len), or 0: the
 * part of a stream's buffer made of whole stanzas. */
size_t debctrl_complete(const char *buf, size_t len);

#endif
