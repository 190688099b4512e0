/* curl_api.h - libcurl, loaded when the agent first talks to a collector.
 *
 * Most runs of the agent talk to none: `hygie-agent check` and `status`.
 * Linked in, libcurl and the thirty libraries it brings (TLS, Kerberos,
 * LDAP, SSH...) would cost every run about 6 MiB of memory at start, most
 * of what the patch check needs. The commands that talk to a collector load
 * it here, once, and call it through this table. */
#ifndef HYGIE_CURL_API_H
#define HYGIE_CURL_API_H

#include <curl/curl.h>

#include "error.h"

struct curl_api {
        CURL *(*easy_init)(void);
        CURLcode (*easy_setopt)(CURL *h, CURLoption option, ...);
        CURLcode (*easy_perform)(CURL *h);
        CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
        void (*easy_cleanup)(CURL *h);
        const char *(*easy_strerror)(CURLcode code);
        struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
        void (*slist_free_all)(struct curl_slist *list);
        CURLM *(*multi_init)(void);
        CURLMcode (*multi_setopt)(CURLM *m, CURLMoption option, ...);
        CURLMcode (*multi_add_handle)(CURLM *m, CURL *h);
        CURLMcode (*multi_remove_handle)(CURLM *m, CURL *h);
        CURLMcode (*multi_assign)(CURLM *m, curl_socket_t fd, void *p);
        CURLMcode (*multi_socket_action)(CURLM *m, curl_socket_t fd, int mask, int *running);
        CURLMsg *(*multi_info_read)(CURLM *m, int *left);
        CURLMcode (*multi_cleanup)(CURLM *m);
};

/* libcurl's functions, loaded and initialised on the first call (from any
 * thread); NULL with e filled when it cannot be loaded. */
const struct curl_api *curl_api(struct error *e);

#endif
