/* route_static.c - the dashboard's files, built into the collector. */
#include <stdio.h>
#include <string.h>

#include "web.h"
#include "route.h"

/* Public, and holding no data: the data comes from the API routes, which
 * check who asks. */

#define PAGE_HEADERS                                                                               \
        "Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self';"        \
        " img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none';"          \
        " frame-ancestors 'none'\r\n"                                                              \
        "X-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n"                      \
        "X-Frame-Options: DENY\r\nCache-Control: no-cache\r\n"

void route_static(struct server *s, struct conn *c, struct http_request *r, const struct route *rt)
{
        char path[HTTP_URL_MAX + 1], extra[1024];
        const char *name, *match;
        const struct web_asset *a;

        (void)s;
        (void)rt;
        http_path(r, path, sizeof(path));
        name = strcmp(path, "/") == 0 ? "index.html" : path + strlen("/ui/");
        for (a = web_assets; a->name && strcmp(a->name, name) != 0; a++)
                ;
        if (!a->name) {
                conn_reply_error(c, 404, "not_found", "no such file: %s", path);
                return;
        }
        snprintf(extra, sizeof(extra), PAGE_HEADERS "ETag: %s\r\n", a->etag);
        match = http_header(r, "If-None-Match");
        if (match && strcmp(match, a->etag) == 0)
                conn_reply(c, 304, a->type, "", 0, extra);
        else
                conn_reply(c, 200, a->type, (const char *)a->data, a->len, extra);
}
