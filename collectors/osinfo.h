/* osinfo.h - parsers for os-release(5) and distro-info-data's CSV tables. */
#ifndef HYGIE_OSINFO_H
#define HYGIE_OSINFO_H

#include "error.h"

struct os_release {
        char id[64], id_like[128], name[128], pretty_name[256];
        char version[128], version_id[64], codename[64], ubuntu_codename[64];
};

/* Parses os-release text (file names it in errors). 0 or -EINVAL with e set. */
int os_release_parse(const char *text, const char *file, struct os_release *osr, struct error *e);
/* "debian", "ubuntu" or NULL: which distro-info table describes this system.
 * Derivatives (ID_LIKE, UBUNTU_CODENAME) map to their base. */
const char *os_release_distro(const struct os_release *osr);

struct distro_row {
        char version[32], codename[64], series[64], release[16], eol[16];
        char ext[3][16]; /* debian: eol-lts, eol-elts; ubuntu: eol-server, eol-esm, eol-legacy */
};

/* Finds the row of series (or, failing that, of version) in a distro-info
 * CSV text. 0, or -ENOENT. Rows with an unreadable shape are skipped. */
int distro_info_find(const char *csv, const char *series, const char *version,
                     struct distro_row *row);

#endif
