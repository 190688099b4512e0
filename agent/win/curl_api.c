/* curl_api.c - libcurl on Windows: linked in (hygie-agent.exe carries its
 * libraries; there is no system libcurl to load), initialised once. */
#include "curl_api.h" /* curl.h: winsock2.h before windows.h */

#include <windows.h>

static const struct curl_api api = {
        .easy_init = curl_easy_init,
        .easy_setopt = curl_easy_setopt,
        .easy_perform = curl_easy_perform,
        .easy_getinfo = curl_easy_getinfo,
        .easy_cleanup = curl_easy_cleanup,
        .easy_strerror = curl_easy_strerror,
        .slist_append = curl_slist_append,
        .slist_free_all = curl_slist_free_all,
        .multi_init = curl_multi_init,
        .multi_setopt = curl_multi_setopt,
        .multi_add_handle = curl_multi_add_handle,
        .multi_remove_handle = curl_multi_remove_handle,
        .multi_assign = curl_multi_assign,
        .multi_socket_action = curl_multi_socket_action,
        .multi_info_read = curl_multi_info_read,
        .multi_cleanup = curl_multi_cleanup,
};
static INIT_ONCE once = INIT_ONCE_STATIC_INIT;
static CURLcode init_result;

static BOOL CALLBACK init(INIT_ONCE *o, void *param, void **context)
{
        (void)o;
        (void)param;
        (void)context;
        /* Before any thread starts a transfer: curl_global_init is not
         * thread-safe. */
        init_result = curl_global_init(CURL_GLOBAL_DEFAULT);
        return TRUE;
}

const struct curl_api *curl_api(struct error *e)
{
        InitOnceExecuteOnce(&once, init, NULL, NULL);
        if (init_result != CURLE_OK) {
                error_set(e, "libcurl", 0, "cannot initialise libcurl: %s",
                          curl_easy_strerror(init_result));
                return NULL;
        }
        return &api;
}
