/* avproducts.h - the table of commercial endpoint protection products for
 * Linux (policy/antivirus-products.conf): how to recognise each by install
 * path, systemd service or process name. */
#ifndef HYGIE_AVPRODUCTS_H
#define HYGIE_AVPRODUCTS_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define AVPRODUCTS_MAX 64
#define AVPRODUCT_LIST 8 /* paths, services or processes per product */

struct avproduct {
        char id[32];
        char name[96];
        char paths[AVPRODUCT_LIST][128];
        char services[AVPRODUCT_LIST][64];
        char processes[AVPRODUCT_LIST][32];
        char windows_services[AVPRODUCT_LIST][64]; /* service key names */
        size_t npaths, nservices, nprocesses, nwindows_services;
        bool realtime;
};

struct avproducts {
        struct avproduct v[AVPRODUCTS_MAX];
        size_t n;
};

/* Parses the INI text (file names it in errors). 0, or -EINVAL with e set. */
int avproducts_parse(const char *text, const char *file, struct avproducts *t, struct error *e);

#endif
