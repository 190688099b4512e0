/* api.h - the routes of the collector (api.c). */
#ifndef HYGIE_API_H
#define HYGIE_API_H

#include "http.h"

struct server;
struct conn;

/* Answers request r on c, now or from a db job. */
void api_handle(struct server *s, struct conn *c, struct http_request *r);
/* Queues the periodic look for silent agents. */

#endif
