/* wsc.c - Windows Security Center product states, decoded without Windows. */
#include "wsc.h"

static enum wsc_run run_of(unsigned v)
{
        switch (v) {
        case 0:
                return WSC_OFF;
        case 1:
                return WSC_ON;
        case 2:
                return WSC_SNOOZED;
        case 3:
                return WSC_EXPIRED;
        default:
                return WSC_RUN_UNKNOWN;
        }
}

void wsc_decode(unsigned long product_state, struct wsc_state *out)
{
        unsigned signatures = (unsigned)(product_state >> 4) & 0xf;

        *out = (struct wsc_state){
                .run = WSC_RUN_UNKNOWN,
                .up_to_date = false,
                .signatures_known = false,
                .provider = 0,
        };
        /* Some other encoding than the one known: guess nothing. */
        if (product_state > 0xffffff)
                return;
        out->provider = (unsigned)(product_state >> 16) & 0xff;
        out->run = run_of((unsigned)(product_state >> 12) & 0xf);
        out->signatures_known = signatures <= 1;
        out->up_to_date = signatures == 0;
}

void wsc_from_api(int product_state, int signature_status, struct wsc_state *out)
{
        *out = (struct wsc_state){
                .run = product_state == 0   ? WSC_ON
                       : product_state == 1 ? WSC_OFF
                       : product_state == 2 ? WSC_SNOOZED
                       : product_state == 3 ? WSC_EXPIRED
                                            : WSC_RUN_UNKNOWN,
                .up_to_date = signature_status == 1,
                .signatures_known = signature_status == 0 || signature_status == 1,
                .provider = 0,
        };
}

const char *wsc_run_name(enum wsc_run r)
{
        switch (r) {
        case WSC_OFF:
                return "off";
        case WSC_ON:
                return "on";
        case WSC_SNOOZED:
                return "snoozed";
        case WSC_EXPIRED:
                return "expired";
        default:
                return "unknown";
        }
}
