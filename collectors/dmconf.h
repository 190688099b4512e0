/* dmconf.h - the automatic login settings of the Linux display managers:
 * GDM ([daemon] AutomaticLoginEnable/AutomaticLogin, TimedLoginEnable/
 * TimedLogin), LightDM ([Seat:*] autologin-user, autologin-guest) and SDDM
 * ([Autologin] User).
 *
 * Their files are INI texts read in the display manager's order, each later
 * value replacing an earlier one; which files, and in what order, is the
 * caller's job (it reads them). */
#ifndef HYGIE_DMCONF_H
#define HYGIE_DMCONF_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define DMCONF_LINES_MAX 4096
#define DMCONF_LINE_MAX  1024
#define DMCONF_VALUE_MAX 64

enum dm { DM_GDM, DM_LIGHTDM, DM_SDDM };

struct dmconf_value {
        char value[DMCONF_VALUE_MAX]; /* as written, cut to fit; "" when not set */
        char file[256];
        unsigned line; /* 0 when not set */
};

struct dmconf {
        enum dm dm;
        /* GDM: AutomaticLoginEnable, AutomaticLogin, TimedLoginEnable,
         * TimedLogin; LightDM: autologin-guest, autologin-user; SDDM:
         * [Autologin] User in user. */
        struct dmconf_value enable, user, timed_enable, timed_user;
};

struct dmconf_autologin {
        bool enabled;
        char user[DMCONF_VALUE_MAX];
        char how[2 * DMCONF_VALUE_MAX]; /* the setting that turns it on: "autologin-user=anne" */
        char file[256];                 /* and where */
        unsigned line;
};

void dmconf_init(struct dmconf *c, enum dm dm);
/* Applies one file's text (file names it in errors) over c. 0, or -EINVAL
 * with e set on a line the display manager would refuse, -EFBIG past
 * DMCONF_LINES_MAX lines or a line past DMCONF_LINE_MAX bytes. */
int dmconf_parse(struct dmconf *c, const char *text, const char *file, struct error *e);
/* Whether the settings read open a session by themselves, as whom, and
 * which setting says so. */
void dmconf_autologin(const struct dmconf *c, struct dmconf_autologin *out);
/* "gdm3", "lightdm", "sddm". */
const char *dmconf_name(enum dm dm);

#endif
