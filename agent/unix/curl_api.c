/* curl_api.c - loading libcurl on first use. */
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

#include "curl_api.h"

/* The soname Debian's libcurl4 and libcurl4-openssl... ship (ABI 4). */
#define LIBCURL "libcurl.so.4"

static struct curl_api api;
static const char *load_error;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
        static const struct {
                const char *name;
                size_t off;
        } fns[] = {
#define FN(field, symbol) { symbol, offsetof(struct curl_api, field) }
                FN(easy_init, "curl_easy_init"),
                FN(easy_setopt, "curl_easy_setopt"),
                FN(easy_perform, "curl_easy_perform"),
                FN(easy_getinfo, "curl_easy_getinfo"),
                FN(easy_cleanup, "curl_easy_cleanup"),
                FN(easy_strerror, "curl_easy_strerror"),
                FN(slist_append, "curl_slist_append"),
                FN(slist_free_all, "curl_slist_free_all"),
                FN(multi_init, "curl_multi_init"),
                FN(multi_setopt, "curl_multi_setopt"),
                FN(multi_add_handle, "curl_multi_add_handle"),
                FN(multi_remove_handle, "curl_multi_remove_handle"),
                FN(multi_assign, "curl_multi_assign"),
                FN(multi_socket_action, "curl_multi_socket_action"),
                FN(multi_info_read, "curl_multi_info_read"),
                FN(multi_cleanup, "curl_multi_cleanup"),
#undef FN
        };
        CURLcode (*global_init)(long flags);
        void *lib = dlopen(LIBCURL, RTLD_NOW | RTLD_LOCAL);

        if (!lib) {
                load_error = dlerror();
                return;
        }
        for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
                void *fn = dlsym(lib, fns[i].name);

                if (!fn) {
                        load_error = dlerror();
                        return;
                }
                *(void **)((char *)&api + fns[i].off) = fn;
        }
        /* Before any thread starts a transfer: curl_global_init is not
         * thread-safe, and curl_easy_init would call it lazily. */
        *(void **)&global_init = dlsym(lib, "curl_global_init");
        if (!global_init || global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
                load_error = "curl_global_init failed";
        /* The library stays loaded for the life of the process. */
}

const struct curl_api *curl_api(struct error *e)
{
        pthread_once(&once, load);
        if (load_error) {
                error_set(e, LIBCURL, 0, "cannot load libcurl: %s", load_error);
                return NULL;
        }
        return &api;
}
