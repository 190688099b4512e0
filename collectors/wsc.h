/* wsc.h - the state Windows Security Center tells of a security product:
 * WMI's root\SecurityCenter2 productState (undocumented, decoded as the
 * field has long been read) and the documented IWscProduct values. */
#ifndef HYGIE_WSC_H
#define HYGIE_WSC_H

#include <stdbool.h>

enum wsc_run { WSC_OFF, WSC_ON, WSC_SNOOZED, WSC_EXPIRED, WSC_RUN_UNKNOWN };

struct wsc_state {
        enum wsc_run run;
        bool up_to_date;       /* signatures up to date; false when not known */
        bool signatures_known; /* whether up_to_date says anything */
        unsigned provider;     /* WSC_SECURITY_PROVIDER bits (4 antivirus); 0 when not told */
};

/* productState, in hex 0xPPROS0: PP the provider bits, R the run state (0
 * off, 1 on, 2 snoozed, 3 expired), O the owner (1: Windows' own product,
 * Defender), S the signatures (0 up to date, 1 out of date). 397568
 * (0x061100) is Defender on and up to date. Bits past the 24th, or a run or
 * signature nibble outside these, read as unknown. */
void wsc_decode(unsigned long product_state, struct wsc_state *out);

/* From IWscProduct's get_ProductState (WSC_SECURITY_PRODUCT_STATE: 0 on,
 * 1 off, 2 snoozed, 3 expired) and get_SignatureStatus
 * (WSC_SECURITY_SIGNATURE_STATUS: 0 out of date, 1 up to date). The provider
 * is the caller's (the one its product list was opened for): 0 here. */
void wsc_from_api(int product_state, int signature_status, struct wsc_state *out);

/* "off", "on", "snoozed", "expired" or "unknown". */
const char *wsc_run_name(enum wsc_run r);

#endif
