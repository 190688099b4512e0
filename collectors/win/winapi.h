/* winapi.h - the Windows calls wine cannot serve, in one place.
 *
 * Security Center, the Windows Update search, the local account database,
 * BitLocker, the firewall's effective state, the TPM and the system disk's
 * media are asked through these functions only; so are the processor and
 * the memory, which wine serves but as the test host's, not the simulated
 * machine's. winapi.c asks Windows; the
 * tests link tests/win/fake_winapi.c instead, which answers from a fixture
 * file, so the collectors above are tested under wine. Each returns 0, or a
 * negative errno with why (UTF-8, one line) in a struct winapi_error; -ENOSYS
 * when this Windows does not have the interface at all. */
#ifndef HYGIE_WINAPI_H
#define HYGIE_WINAPI_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct winapi_error {
        char what[256];
};

/* Security Center (WMI root\SecurityCenter2, AntiVirusProduct). */
#define WINAPI_MAX_AV 16
struct winapi_av {
        char name[128];
        char exe[260];       /* pathToSignedProductExe */
        unsigned long state; /* productState, decoded by wsc.c */
        time_t timestamp;    /* the product's last report to Security Center, 0 unknown */
};
int winapi_security_center(struct winapi_av *v, size_t max, size_t *n, struct winapi_error *e);

/* The Windows Update Agent's search for updates not installed, run on its
 * own thread and given up after timeout_ms. */
#define WINAPI_MAX_UPDATES 64
struct winapi_update {
        char title[256];
        char kb[16];       /* "KB5068861", empty when none */
        char severity[16]; /* MsrcSeverity: Critical, Important, Moderate, Low, or empty */
        bool security;     /* in the Security Updates category, or has an MSRC severity */
};
/* n of total updates in v; security: how many of the total are security
 * updates. */
int winapi_update_search(unsigned timeout_ms, struct winapi_update *v, size_t max, size_t *n,
                         size_t *total, size_t *security, struct winapi_error *e);

/* The local password policy (NetUserModalsGet levels 0 and 3). Ages in
 * seconds; -1 for "never" (TIMEQ_FOREVER). */
struct winapi_modals {
        long min_length;
        long long max_age_s, min_age_s;
        long history;
        long lockout_threshold; /* 0: never locked out */
        long long lockout_duration_s;
};
int winapi_user_modals(struct winapi_modals *m, struct winapi_error *e);

/* Local accounts (NetUserEnum level 3, and membership of S-1-5-32-544). */
#define WINAPI_MAX_USERS 256
struct winapi_user {
        char name[128];
        unsigned long flags;      /* usri3_flags */
        unsigned long rid;        /* usri3_user_id */
        long long password_age_s; /* usri3_password_age */
        long long last_logon;     /* unix time, -1 never or unknown */
        bool admin;
};
int winapi_users(struct winapi_user *v, size_t max, size_t *n, struct winapi_error *e);

/* BitLocker on the system volume (WMI root\CIMV2\Security\
 * MicrosoftVolumeEncryption, Win32_EncryptableVolume). */
struct winapi_bitlocker {
        char volume[8];  /* "C:" */
        int protection;  /* GetProtectionStatus: 0 off, 1 on, 2 unknown */
        int conversion;  /* GetConversionStatus: 0 decrypted, 1 encrypted, 2 encrypting, 3
                            decrypting, 4 paused... */
        int percent;     /* encryption percentage, -1 unknown */
        char method[32]; /* "XTS-AES 128"..., empty unknown */
};
int winapi_bitlocker(struct winapi_bitlocker *b, struct winapi_error *e);

/* The firewall's effective state per profile (INetFwPolicy2). */
struct winapi_firewall {
        bool domain, private_, public_;
};
int winapi_firewall(struct winapi_firewall *f, struct winapi_error *e);

/* The TPM (Tbsi_GetDeviceInfo): present, and its version "1.2" or "2.0". */
struct winapi_tpm {
        bool present;
        char version[8];
};
int winapi_tpm(struct winapi_tpm *t, struct winapi_error *e);

/* The disk holding the Windows directory: its size and whether it has a
 * seek penalty (a spinning disk). */
struct winapi_disk {
        unsigned long long size_bytes;
        int seek_penalty; /* 1 yes, 0 no, -1 unknown */
        int removable;    /* 1, 0, -1 unknown */
        char model[128];
        char bus[16]; /* "sata", "nvme", "usb", "scsi", "virtual"... */
};
int winapi_system_disk(struct winapi_disk *d, struct winapi_error *e);

/* The processor (cpuid: family, model, stepping as Linux folds them) and
 * the memory. */
struct winapi_machine {
        char vendor[16]; /* "GenuineIntel", "AuthenticAMD" */
        char model_name[64];
        int family, model, stepping; /* -1 unknown */
        bool bits64, hypervisor;
        unsigned cores, threads;
        unsigned long long total_bytes;     /* usable (GlobalMemoryStatusEx) */
        unsigned long long installed_bytes; /* GetPhysicallyInstalledSystemMemory, 0 unknown */
};
int winapi_machine(struct winapi_machine *m, struct winapi_error *e);

#endif
