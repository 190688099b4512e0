/* web.h - the dashboard's files, built into the collector. */
#ifndef HYGIE_WEB_H
#define HYGIE_WEB_H

#include <stddef.h>

struct web_asset {
        const char *name, *type, *etag; /* etag quoted */
        const unsigned char *data;
        size_t len;
};

/* Ends with an entry whose name is NULL. */
extern const struct web_asset web_assets[];

#endif
