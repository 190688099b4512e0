/* winapi.c - the Windows calls wine cannot serve (see winapi.h): WMI for
 * Security Center and BitLocker, the Windows Update Agent, the local account
 * database, the firewall's COM policy, the TPM base services and the storage
 * IOCTLs of the system disk. Every failure becomes a negative errno and one
 * line saying what failed; -ENOSYS when this Windows lacks the interface.
 * Link with ole32, oleaut32, wbemuuid, netapi32 and advapi32. */
#define COBJMACROS
#include <windows.h>
#include <cpuid.h>
#include <lm.h>
#include <ntsecapi.h>
#include <wbemidl.h>
#include <winioctl.h>
#include <initguid.h>
#include <netfw.h>
#include <wuapi.h>

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "win.h"
#include "winapi.h"
#include "wintime.h"

/* How long one WMI object may take to come (a stuck provider must not hang
 * the agent). */
#define WMI_TIMEOUT_MS 30000

static int fail(struct winapi_error *e, int rc, const char *fmt, ...)
    __attribute__((format(__MINGW_PRINTF_FORMAT, 3, 4)));

static int fail(struct winapi_error *e, int rc, const char *fmt, ...)
{
        va_list ap;

        if (!e)
                return rc;
        va_start(ap, fmt);
        vsnprintf(e->what, sizeof(e->what), fmt, ap);
        va_end(ap);
        util_utf8_trim(e->what);
        /* System messages may hold line breaks: the reason stays one line. */
        for (char *p = e->what; *p; p++)
                if ((unsigned char)*p < 0x20)
                        *p = ' ';
        return rc;
}

static int win_errno(unsigned long code)
{
        switch (code) {
        case ERROR_ACCESS_DENIED:
                return -EACCES;
        case ERROR_NOT_ENOUGH_MEMORY:
        case ERROR_OUTOFMEMORY:
                return -ENOMEM;
        case ERROR_FILE_NOT_FOUND:
        case ERROR_PATH_NOT_FOUND:
                return -ENOENT;
        case ERROR_INVALID_FUNCTION:
        case ERROR_NOT_SUPPORTED:
        case ERROR_CALL_NOT_IMPLEMENTED:
        case ERROR_INVALID_LEVEL:
        case ERROR_MOD_NOT_FOUND:
        case ERROR_PROC_NOT_FOUND:
                return -ENOSYS;
        default:
                return -EIO;
        }
}

static int hr_errno(HRESULT hr)
{
        switch ((unsigned long)hr) {
        case (unsigned long)WBEM_E_INVALID_NAMESPACE:
        case (unsigned long)WBEM_E_INVALID_CLASS:
        case (unsigned long)REGDB_E_CLASSNOTREG:
        case (unsigned long)E_NOTIMPL:
                return -ENOSYS;
        case (unsigned long)E_ACCESSDENIED:
        case (unsigned long)WBEM_E_ACCESS_DENIED:
                return -EACCES;
        case (unsigned long)E_OUTOFMEMORY:
        case (unsigned long)WBEM_E_OUT_OF_MEMORY:
                return -ENOMEM;
        default:
                return -EIO;
        }
}

static int win_fail(struct winapi_error *e, const char *who, const char *what, unsigned long code)
{
        char msg[160];

        /* The system has no text for the NetApi's own codes (lmerr.h). */
        if (code >= NERR_BASE && code <= MAX_NERR)
                snprintf(msg, sizeof(msg), "network management error %lu", code);
        else
                win_strerror(code, msg, sizeof(msg));
        return fail(e, win_errno(code), "%s: %s failed: %s", who, what, msg);
}

static int hr_fail(struct winapi_error *e, const char *who, const char *what, HRESULT hr)
{
        int rc = hr_errno(hr);

        return fail(e, rc, "%s: %s failed: 0x%08lx%s", who, what, (unsigned long)hr,
                    rc == -EACCES ? " (access denied: administrator rights needed)" : "");
}

/* The drive of the Windows directory, "C:", into drive. */
static int system_drive(wchar_t drive[3], const char *who, struct winapi_error *e)
{
        wchar_t dir[MAX_PATH + 1];
        UINT n = GetSystemWindowsDirectoryW(dir, MAX_PATH + 1);

        if (n == 0 || n > MAX_PATH)
                return win_fail(e, who, "GetSystemWindowsDirectoryW",
                                n ? ERROR_MORE_DATA : GetLastError());
        if (!((dir[0] >= L'A' && dir[0] <= L'Z') || (dir[0] >= L'a' && dir[0] <= L'z')) ||
            dir[1] != L':')
                return fail(e, -ENOENT, "%s: the Windows directory is not on a drive letter", who);
        drive[0] = dir[0] & ~0x20; /* upper case */
        drive[1] = L':';
        drive[2] = L'\0';
        return 0;
}

/* COM on this thread. *uninit says whether to CoUninitialize: not when the
 * thread already lives in a single-threaded apartment, which serves as well. */
static int com_init(const char *who, bool *uninit, struct winapi_error *e)
{
        HRESULT hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);

        *uninit = SUCCEEDED(hr);
        if (FAILED(hr) && hr != RPC_E_CHANGED_MODE)
                return hr_fail(e, who, "CoInitializeEx", hr);
        return 0;
}

static void com_done(bool uninit)
{
        if (uninit)
                CoUninitialize();
}

/* Encrypted, impersonating calls through a WMI proxy (the BitLocker
 * namespace refuses less). An in-process object (wine) has no proxy. */
static HRESULT wmi_blanket(IUnknown *proxy)
{
        HRESULT hr = CoSetProxyBlanket(proxy, RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, NULL,
                                       RPC_C_AUTHN_LEVEL_PKT_PRIVACY, RPC_C_IMP_LEVEL_IMPERSONATE,
                                       NULL, EOAC_NONE);

        return hr == E_NOINTERFACE ? S_OK : hr;
}

/* Connects to the WMI namespace ns; the caller releases *svc, then
 * com_done(*uninit). */
static int wmi_connect(const wchar_t *ns, const char *who, IWbemServices **svc, bool *uninit,
                       struct winapi_error *e)
{
        IWbemLocator *loc = NULL;
        BSTR bns = NULL;
        char what[128], name[96];
        const char *step = "CoInitializeSecurity";
        HRESULT hr;
        int rc = com_init(who, uninit, e);

        *svc = NULL;
        if (rc < 0)
                return rc;
        hr = CoInitializeSecurity(NULL, -1, NULL, NULL, RPC_C_AUTHN_LEVEL_PKT_PRIVACY,
                                  RPC_C_IMP_LEVEL_IMPERSONATE, NULL, EOAC_NONE, NULL);
        if (hr == RPC_E_TOO_LATE)
                hr = S_OK;
        if (SUCCEEDED(hr)) {
                step = "CoCreateInstance(WbemLocator)";
                hr = CoCreateInstance(&CLSID_WbemLocator, NULL, CLSCTX_INPROC_SERVER,
                                      &IID_IWbemLocator, (void **)&loc);
        }
        if (SUCCEEDED(hr)) {
                snprintf(what, sizeof(what), "ConnectServer(%s)",
                         win_utf8_buf(ns, name, sizeof(name)));
                step = what;
                bns = SysAllocString(ns);
                hr = bns ? IWbemLocator_ConnectServer(loc, bns, NULL, NULL, NULL,
                                                      WBEM_FLAG_CONNECT_USE_MAX_WAIT, NULL, NULL,
                                                      svc)
                         : E_OUTOFMEMORY;
        }
        if (SUCCEEDED(hr)) {
                step = "CoSetProxyBlanket";
                hr = wmi_blanket((IUnknown *)*svc);
        }
        SysFreeString(bns);
        if (loc)
                IWbemLocator_Release(loc);
        if (SUCCEEDED(hr))
                return 0;
        rc = hr_fail(e, who, step, hr);
        if (*svc)
                IWbemServices_Release(*svc);
        *svc = NULL;
        com_done(*uninit);
        return rc;
}

static int wmi_query(IWbemServices *svc, const wchar_t *wql, IEnumWbemClassObject **it,
                     const char *who, struct winapi_error *e)
{
        BSTR lang = SysAllocString(L"WQL"), query = SysAllocString(wql);
        HRESULT hr = E_OUTOFMEMORY;

        *it = NULL;
        if (lang && query)
                hr = IWbemServices_ExecQuery(svc, lang, query,
                                             WBEM_FLAG_FORWARD_ONLY | WBEM_FLAG_RETURN_IMMEDIATELY,
                                             NULL, it);
        SysFreeString(lang);
        SysFreeString(query);
        if (SUCCEEDED(hr))
                hr = wmi_blanket((IUnknown *)*it);
        if (SUCCEEDED(hr))
                return 0;
        if (*it)
                IEnumWbemClassObject_Release(*it);
        *it = NULL;
        return hr_fail(e, who, "ExecQuery", hr);
}

/* 1 and the next object in *o (the caller releases it), 0 at the end, or a
 * negative errno. */
static int wmi_next(IEnumWbemClassObject *it, IWbemClassObject **o, const char *who,
                    struct winapi_error *e)
{
        ULONG got = 0;
        HRESULT hr;

        *o = NULL;
        hr = IEnumWbemClassObject_Next(it, WMI_TIMEOUT_MS, 1, o, &got);
        if (hr == WBEM_S_TIMEDOUT)
                return fail(e, -ETIMEDOUT, "%s: no answer from WMI within %d s", who,
                            WMI_TIMEOUT_MS / 1000);
        if (FAILED(hr))
                return hr_fail(e, who, "IEnumWbemClassObject::Next", hr);
        return got == 1 && *o;
}

/* A property into a VARIANT the caller clears. */
static int wmi_get(IWbemClassObject *o, const wchar_t *name, VARIANT *v, const char *who,
                   struct winapi_error *e)
{
        HRESULT hr;
        char what[64], prop[48];

        VariantInit(v);
        hr = IWbemClassObject_Get(o, name, 0, v, NULL, NULL);
        if (SUCCEEDED(hr))
                return 0;
        snprintf(what, sizeof(what), "Get(%s)", win_utf8_buf(name, prop, sizeof(prop)));
        return hr_fail(e, who, what, hr);
}

/* A string property into buf; empty when null. */
static int wmi_string(IWbemClassObject *o, const wchar_t *name, char *buf, size_t size,
                      const char *who, struct winapi_error *e)
{
        VARIANT v;
        int rc = wmi_get(o, name, &v, who, e);

        buf[0] = '\0';
        if (rc == 0 && V_VT(&v) == VT_BSTR && V_BSTR(&v))
                win_utf8_buf(V_BSTR(&v), buf, size);
        VariantClear(&v);
        return rc;
}

/* An unsigned integer property (WMI hands uint32 over as VT_I4). */
static int wmi_uint(IWbemClassObject *o, const wchar_t *name, unsigned long *out, const char *who,
                    struct winapi_error *e)
{
        VARIANT v;
        char prop[48];
        int rc = wmi_get(o, name, &v, who, e);

        if (rc < 0)
                return rc;
        if (V_VT(&v) == VT_I4) {
                *out = (ULONG)V_I4(&v);
        } else if (SUCCEEDED(VariantChangeType(&v, &v, 0, VT_UI4))) {
                *out = V_UI4(&v);
        } else {
                rc = fail(e, -EIO, "%s: %s is not an unsigned integer (type %u)", who,
                          win_utf8_buf(name, prop, sizeof(prop)), (unsigned)V_VT(&v));
        }
        VariantClear(&v);
        return rc;
}

/* "Tue, 01 Dec 2026 08:00:00 GMT" (RFC 1123) to a time; 0 when malformed. */
static time_t rfc1123_time(const char *s)
{
        static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
        char mon[4], zone[4];
        int day, year, h, m, sec, end = 0;
        const char *p;
        SYSTEMTIME st = { 0 };
        FILETIME ft;
        time_t t;

        if (sscanf(s, "%*3[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d %3[A-Z]%n", &day, mon, &year, &h,
                   &m, &sec, zone, &end) != 7 ||
            s[end] || strcmp(zone, "GMT") || strlen(mon) != 3 || !(p = strstr(months, mon)) ||
            (p - months) % 3)
                return 0;
        st.wYear = (WORD)year;
        st.wMonth = (WORD)((p - months) / 3 + 1);
        st.wDay = (WORD)day;
        st.wHour = (WORD)h;
        st.wMinute = (WORD)m;
        st.wSecond = (WORD)sec;
        /* SystemTimeToFileTime refuses a field out of its range (a negative
         * one wraps out of it). */
        if (!SystemTimeToFileTime(&st, &ft) ||
            !filetime_to_time((unsigned long long)ft.dwHighDateTime << 32 | ft.dwLowDateTime, &t))
                return 0;
        return t;
}

int winapi_security_center(struct winapi_av *v, size_t max, size_t *n, struct winapi_error *e)
{
        static const char who[] = "Security Center";
        IWbemServices *svc;
        IEnumWbemClassObject *it = NULL;
        IWbemClassObject *o;
        bool uninit;
        int rc;

        *n = 0;
        rc = wmi_connect(L"ROOT\\SecurityCenter2", who, &svc, &uninit, e);
        if (rc < 0)
                return rc;
        rc = wmi_query(svc,
                       L"SELECT displayName, productState, pathToSignedProductExe, timestamp "
                       L"FROM AntiVirusProduct",
                       &it, who, e);
        while (rc >= 0 && *n < max && (rc = wmi_next(it, &o, who, e)) > 0) {
                struct winapi_av *a = &v[*n];
                char stamp[64];

                memset(a, 0, sizeof(*a));
                if ((rc = wmi_string(o, L"displayName", a->name, sizeof(a->name), who, e)) == 0 &&
                    (rc = wmi_uint(o, L"productState", &a->state, who, e)) == 0 &&
                    (rc = wmi_string(o, L"pathToSignedProductExe", a->exe, sizeof(a->exe), who,
                                     e)) == 0 &&
                    (rc = wmi_string(o, L"timestamp", stamp, sizeof(stamp), who, e)) == 0) {
                        a->timestamp = rfc1123_time(stamp);
                        (*n)++;
                }
                IWbemClassObject_Release(o);
        }
        if (it)
                IEnumWbemClassObject_Release(it);
        IWbemServices_Release(svc);
        com_done(uninit);
        return rc < 0 ? rc : 0;
}

/* The Windows Update search runs on its own thread, which may outlive the
 * caller's wait: it reads and writes only this block, which the caller and the
 * thread each hold a reference to; the last to let go frees it. */
struct update_search {
        LONG refs;
        size_t max, n, total, security;
        int rc;
        struct winapi_error e;
        struct winapi_update v[];
};

/* The "Security Updates" classification of the Windows Update catalogue. */
#define SECURITY_UPDATES L"0FA1201D-4330-4FA8-8AE9-B877473B6441"

static HRESULT update_read(IUpdate *u, struct winapi_update *out)
{
        IStringCollection *kbs = NULL;
        ICategoryCollection *cats = NULL;
        BSTR b = NULL;
        LONG count = 0;
        HRESULT hr;

        memset(out, 0, sizeof(*out));
        hr = IUpdate_get_Title(u, &b);
        if (SUCCEEDED(hr) && b)
                win_utf8_buf(b, out->title, sizeof(out->title));
        SysFreeString(b);
        b = NULL;
        if (SUCCEEDED(hr))
                hr = IUpdate_get_MsrcSeverity(u, &b);
        if (SUCCEEDED(hr) && b && b[0]) {
                win_utf8_buf(b, out->severity, sizeof(out->severity));
                out->security = true;
        }
        SysFreeString(b);
        b = NULL;
        if (SUCCEEDED(hr))
                hr = IUpdate_get_KBArticleIDs(u, &kbs);
        if (SUCCEEDED(hr))
                hr = IStringCollection_get_Count(kbs, &count);
        if (SUCCEEDED(hr) && count > 0)
                hr = IStringCollection_get_Item(kbs, 0, &b);
        if (SUCCEEDED(hr) && b && b[0]) {
                char id[16];

                snprintf(out->kb, sizeof(out->kb), "KB%s", win_utf8_buf(b, id, sizeof(id)));
                util_utf8_trim(out->kb);
        }
        SysFreeString(b);
        b = NULL;
        if (SUCCEEDED(hr))
                hr = IUpdate_get_Categories(u, &cats);
        if (SUCCEEDED(hr))
                hr = ICategoryCollection_get_Count(cats, &count);
        for (LONG i = 0; SUCCEEDED(hr) && i < count && !out->security; i++) {
                ICategory *c = NULL;

                hr = ICategoryCollection_get_Item(cats, i, &c);
                if (SUCCEEDED(hr))
                        hr = ICategory_get_CategoryID(c, &b);
                if (SUCCEEDED(hr) && b && _wcsicmp(b, SECURITY_UPDATES) == 0)
                        out->security = true;
                SysFreeString(b);
                b = NULL;
                if (c)
                        ICategory_Release(c);
        }
        if (cats)
                ICategoryCollection_Release(cats);
        if (kbs)
                IStringCollection_Release(kbs);
        return hr;
}

/* The search itself, on the search thread, into s. An online search (the
 * default: the organisation's WSUS or Windows Update): a search of the local
 * cache only is as stale as the last scan, and empty when none ran. */
static int update_run(struct update_search *s)
{
        static const char who[] = "Windows Update";
        IUpdateSession *session = NULL;
        IUpdateSearcher *searcher = NULL;
        ISearchResult *result = NULL;
        IUpdateCollection *updates = NULL;
        OperationResultCode code = orcNotStarted;
        BSTR criteria = SysAllocString(L"IsInstalled=0 and IsHidden=0 and Type='Software'");
        const char *step = "CoCreateInstance(UpdateSession)";
        LONG count = 0;
        HRESULT hr = CoCreateInstance(&CLSID_UpdateSession, NULL, CLSCTX_INPROC_SERVER,
                                      &IID_IUpdateSession, (void **)&session);

        if (SUCCEEDED(hr)) {
                step = "CreateUpdateSearcher";
                hr = IUpdateSession_CreateUpdateSearcher(session, &searcher);
        }
        if (SUCCEEDED(hr)) {
                step = "Search";
                hr = criteria ? IUpdateSearcher_Search(searcher, criteria, &result) : E_OUTOFMEMORY;
        }
        if (SUCCEEDED(hr)) {
                step = "get_ResultCode";
                hr = ISearchResult_get_ResultCode(result, &code);
        }
        if (SUCCEEDED(hr) && code != orcSucceeded && code != orcSucceededWithErrors)
                s->rc =
                    fail(&s->e, -EIO, "%s: the search ended with result code %d", who, (int)code);
        if (SUCCEEDED(hr) && s->rc == 0) {
                step = "get_Updates";
                hr = ISearchResult_get_Updates(result, &updates);
        }
        if (SUCCEEDED(hr) && s->rc == 0) {
                hr = IUpdateCollection_get_Count(updates, &count);
                s->total = count > 0 ? (size_t)count : 0;
        }
        /* Every update is read, to count the security ones; the first max
         * are kept. */
        for (LONG i = 0; SUCCEEDED(hr) && s->rc == 0 && i < count; i++) {
                struct winapi_update one = { .security = false };
                IUpdate *u = NULL;

                step = "reading an update";
                hr = IUpdateCollection_get_Item(updates, i, &u);
                if (SUCCEEDED(hr))
                        hr = update_read(u, &one);
                if (SUCCEEDED(hr)) {
                        s->security += one.security;
                        if (s->n < s->max)
                                s->v[s->n++] = one;
                }
                if (u)
                        IUpdate_Release(u);
        }
        if (FAILED(hr))
                s->rc = hr_fail(&s->e, who, step, hr);
        SysFreeString(criteria);
        if (updates)
                IUpdateCollection_Release(updates);
        if (result)
                ISearchResult_Release(result);
        if (searcher)
                IUpdateSearcher_Release(searcher);
        if (session)
                IUpdateSession_Release(session);
        return s->rc;
}

static DWORD WINAPI update_thread(void *arg)
{
        struct update_search *s = arg;
        HRESULT hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);

        if (FAILED(hr)) {
                s->rc = hr_fail(&s->e, "Windows Update", "CoInitializeEx", hr);
        } else {
                update_run(s);
                CoUninitialize();
        }
        if (InterlockedDecrement(&s->refs) == 0)
                free(s);
        return 0;
}

int winapi_update_search(unsigned timeout_ms, struct winapi_update *v, size_t max, size_t *n,
                         size_t *total, size_t *security, struct winapi_error *e)
{
        struct update_search *s;
        HANDLE thread;
        DWORD wait;
        int rc;

        *n = *total = *security = 0;
        if (max > (SIZE_MAX - sizeof(*s)) / sizeof(s->v[0]))
                return fail(e, -EINVAL, "Windows Update: %zu results asked for", max);
        s = calloc(1, sizeof(*s) + max * sizeof(s->v[0]));
        if (!s)
                return fail(e, -ENOMEM, "Windows Update: out of memory");
        s->refs = 2;
        s->max = max;
        thread = CreateThread(NULL, 0, update_thread, s, 0, NULL);
        if (!thread) {
                free(s);
                return win_fail(e, "Windows Update", "CreateThread", GetLastError());
        }
        wait = WaitForSingleObject(thread, timeout_ms);
        if (wait == WAIT_OBJECT_0) {
                rc = s->rc;
                if (rc < 0) {
                        if (e)
                                *e = s->e;
                } else {
                        if (s->n)
                                memcpy(v, s->v, s->n * sizeof(s->v[0]));
                        *n = s->n;
                        *total = s->total;
                        *security = s->security;
                }
        } else if (wait == WAIT_TIMEOUT) {
                rc = fail(e, -ETIMEDOUT, "Windows Update: no answer from the search within %u ms",
                          timeout_ms);
        } else {
                rc = win_fail(e, "Windows Update", "WaitForSingleObject", GetLastError());
        }
        CloseHandle(thread);
        if (InterlockedDecrement(&s->refs) == 0)
                free(s);
        return rc;
}

static long long net_age(DWORD seconds)
{
        return seconds == TIMEQ_FOREVER ? -1 : (long long)seconds;
}

int winapi_user_modals(struct winapi_modals *m, struct winapi_error *e)
{
        USER_MODALS_INFO_0 *m0 = NULL;
        USER_MODALS_INFO_3 *m3 = NULL;
        NET_API_STATUS st;
        int rc = 0;

        memset(m, 0, sizeof(*m));
        /* A stub (wine's) may succeed without an answer: none is no success. */
        if ((st = NetUserModalsGet(NULL, 0, (BYTE **)&m0)) != NERR_Success || !m0) {
                rc = win_fail(e, "Password policy", "NetUserModalsGet(level 0)",
                              st ? st : ERROR_INVALID_DATA);
        } else if ((st = NetUserModalsGet(NULL, 3, (BYTE **)&m3)) != NERR_Success || !m3) {
                rc = win_fail(e, "Password policy", "NetUserModalsGet(level 3)",
                              st ? st : ERROR_INVALID_DATA);
        } else {
                m->min_length = (long)m0->usrmod0_min_passwd_len;
                m->max_age_s = net_age(m0->usrmod0_max_passwd_age);
                m->min_age_s = net_age(m0->usrmod0_min_passwd_age);
                m->history = (long)m0->usrmod0_password_hist_len;
                m->lockout_threshold = (long)m3->usrmod3_lockout_threshold;
                m->lockout_duration_s = net_age(m3->usrmod3_lockout_duration);
        }
        if (m0)
                NetApiBufferFree(m0);
        if (m3)
                NetApiBufferFree(m3);
        return rc;
}

/* Into probe (SECURITY_MAX_SID_SIZE bytes) a SID of the local account
 * domain: its prefix is that of every local account's SID. */
static int account_domain_sid(BYTE *probe, struct winapi_error *e)
{
        LSA_OBJECT_ATTRIBUTES attrs = { 0 };
        LSA_HANDLE policy;
        POLICY_ACCOUNT_DOMAIN_INFO *info = NULL;
        PSID dom;
        UCHAR k;
        NTSTATUS st = LsaOpenPolicy(NULL, &attrs, POLICY_VIEW_LOCAL_INFORMATION, &policy);
        int rc = 0;

        if (st == 0) {
                st = LsaQueryInformationPolicy(policy, PolicyAccountDomainInformation,
                                               (void **)&info);
                LsaClose(policy);
        }
        if (st != 0)
                return win_fail(e, "Local accounts", "LsaQueryInformationPolicy(account domain)",
                                LsaNtStatusToWinError(st));
        dom = info ? info->DomainSid : NULL;
        if (!dom || !IsValidSid(dom) ||
            (k = *GetSidSubAuthorityCount(dom)) >= SID_MAX_SUB_AUTHORITIES ||
            !InitializeSid(probe, GetSidIdentifierAuthority(dom), (BYTE)(k + 1))) {
                rc = fail(e, -EIO, "Local accounts: the account domain has no usable SID");
        } else {
                for (UCHAR i = 0; i < k; i++)
                        *GetSidSubAuthority(probe, i) = *GetSidSubAuthority(dom, i);
                *GetSidSubAuthority(probe, k) = 0;
        }
        LsaFreeMemory(info);
        return rc;
}

/* Marks the users the local Administrators group holds. Its name is
 * localised ("Administrateurs"): found from its SID, S-1-5-32-544. A member
 * is a local user when its SID is the account domain's plus the user's RID. */
static int mark_admins(struct winapi_user *v, size_t n, struct winapi_error *e)
{
        static const char who[] = "Local accounts";
        BYTE admins[SECURITY_MAX_SID_SIZE], probe[SECURITY_MAX_SID_SIZE];
        wchar_t group[GNLEN + 1], domain[DNLEN + 1];
        DWORD size = sizeof(admins), glen = GNLEN + 1, dlen = DNLEN + 1, read = 0, total;
        DWORD_PTR resume = 0;
        SID_NAME_USE use;
        NET_API_STATUS st;
        int rc;

        if (!CreateWellKnownSid(WinBuiltinAdministratorsSid, NULL, admins, &size) ||
            !LookupAccountSidW(NULL, admins, group, &glen, domain, &dlen, &use))
                return win_fail(e, who, "looking up the Administrators group (S-1-5-32-544)",
                                GetLastError());
        rc = account_domain_sid(probe, e);
        if (rc < 0)
                return rc;
        do {
                LOCALGROUP_MEMBERS_INFO_0 *m = NULL;

                read = 0;
                st = NetLocalGroupGetMembers(NULL, group, 0, (BYTE **)&m, MAX_PREFERRED_LENGTH,
                                             &read, &total, &resume);
                if (st != NERR_Success && st != ERROR_MORE_DATA)
                        rc = win_fail(e, who, "NetLocalGroupGetMembers(Administrators)", st);
                for (DWORD i = 0; rc == 0 && m && i < read; i++) {
                        PSID sid = m[i].lgrmi0_sid;
                        DWORD rid;

                        if (!sid || !IsValidSid(sid) || !EqualPrefixSid(sid, probe))
                                continue;
                        rid = *GetSidSubAuthority(sid, *GetSidSubAuthorityCount(sid) - 1u);
                        for (size_t j = 0; j < n; j++)
                                if (v[j].rid == rid)
                                        v[j].admin = true;
                }
                if (m)
                        NetApiBufferFree(m);
        } while (rc == 0 && st == ERROR_MORE_DATA && read > 0);
        return rc;
}

int winapi_users(struct winapi_user *v, size_t max, size_t *n, struct winapi_error *e)
{
        DWORD resume = 0, read = 0, total;
        NET_API_STATUS st;
        int rc = 0;

        *n = 0;
        do {
                USER_INFO_3 *u = NULL;

                read = 0;
                st = NetUserEnum(NULL, 3, FILTER_NORMAL_ACCOUNT, (BYTE **)&u, MAX_PREFERRED_LENGTH,
                                 &read, &total, &resume);
                if (st != NERR_Success && st != ERROR_MORE_DATA)
                        rc = win_fail(e, "Local accounts", "NetUserEnum(level 3)", st);
                for (DWORD i = 0; rc == 0 && u && i < read && *n < max; i++) {
                        struct winapi_user *w = &v[(*n)++];

                        memset(w, 0, sizeof(*w));
                        win_utf8_buf(u[i].usri3_name ? u[i].usri3_name : L"", w->name,
                                     sizeof(w->name));
                        w->flags = u[i].usri3_flags;
                        w->rid = u[i].usri3_user_id;
                        w->password_age_s = u[i].usri3_password_age;
                        w->last_logon =
                            u[i].usri3_last_logon ? (long long)u[i].usri3_last_logon : -1;
                }
                if (u)
                        NetApiBufferFree(u);
        } while (rc == 0 && st == ERROR_MORE_DATA && read > 0 && *n < max);
        if (rc == 0)
                rc = mark_admins(v, *n, e);
        if (rc < 0)
                *n = 0;
        return rc;
}

/* A BitLocker method of the volume at path; the caller releases *out. */
static int bitlocker_call(IWbemServices *svc, BSTR path, const wchar_t *method,
                          IWbemClassObject **out, struct winapi_error *e)
{
        static const char who[] = "BitLocker";
        BSTR m = SysAllocString(method);
        char name[48];
        unsigned long ret = 0;
        HRESULT hr;
        int rc;

        *out = NULL;
        win_utf8_buf(method, name, sizeof(name));
        hr = m ? IWbemServices_ExecMethod(svc, path, m, 0, NULL, NULL, out, NULL) : E_OUTOFMEMORY;
        SysFreeString(m);
        if (SUCCEEDED(hr) && !*out)
                hr = WBEM_E_FAILED;
        if (FAILED(hr))
                return hr_fail(e, who, name, hr);
        rc = wmi_uint(*out, L"ReturnValue", &ret, who, e);
        if (rc == 0 && ret != 0)
                rc = fail(e, -EIO, "%s: %s returned 0x%08lx", who, name, ret);
        if (rc < 0) {
                IWbemClassObject_Release(*out);
                *out = NULL;
        }
        return rc;
}

int winapi_bitlocker(struct winapi_bitlocker *b, struct winapi_error *e)
{
        static const char who[] = "BitLocker";
        static const char *const methods[] = { "none",
                                               "AES 128 with diffuser",
                                               "AES 256 with diffuser",
                                               "AES 128",
                                               "AES 256",
                                               "hardware",
                                               "XTS-AES 128",
                                               "XTS-AES 256" };
        wchar_t query[] = L"SELECT * FROM Win32_EncryptableVolume WHERE DriveLetter = '?:'";
        wchar_t drive[3];
        IWbemServices *svc;
        IEnumWbemClassObject *it = NULL;
        IWbemClassObject *vol = NULL, *out = NULL;
        VARIANT path;
        unsigned long prot = 2, conv = 0, pct = 0, method = 0;
        bool uninit;
        int rc;

        memset(b, 0, sizeof(*b));
        b->protection = 2;
        b->percent = -1;
        VariantInit(&path);
        rc = system_drive(drive, who, e);
        if (rc < 0)
                return rc;
        win_utf8_buf(drive, b->volume, sizeof(b->volume));
        *wcschr(query, L'?') = drive[0];
        rc =
            wmi_connect(L"ROOT\\CIMV2\\Security\\MicrosoftVolumeEncryption", who, &svc, &uninit, e);
        if (rc < 0)
                return rc;
        rc = wmi_query(svc, query, &it, who, e);
        if (rc == 0 && (rc = wmi_next(it, &vol, who, e)) == 0)
                rc = fail(e, -ENOENT, "%s: %s is not an encryptable volume", who, b->volume);
        if (rc > 0)
                rc = wmi_get(vol, L"__RELPATH", &path, who, e);
        if (rc == 0 && (V_VT(&path) != VT_BSTR || !V_BSTR(&path)))
                rc = fail(e, -EIO, "%s: the volume %s has no object path", who, b->volume);
        if (rc == 0 &&
            (rc = bitlocker_call(svc, V_BSTR(&path), L"GetProtectionStatus", &out, e)) == 0) {
                rc = wmi_uint(out, L"ProtectionStatus", &prot, who, e);
                IWbemClassObject_Release(out);
        }
        if (rc == 0 &&
            (rc = bitlocker_call(svc, V_BSTR(&path), L"GetConversionStatus", &out, e)) == 0) {
                if ((rc = wmi_uint(out, L"ConversionStatus", &conv, who, e)) == 0)
                        rc = wmi_uint(out, L"EncryptionPercentage", &pct, who, e);
                IWbemClassObject_Release(out);
        }
        if (rc == 0 &&
            (rc = bitlocker_call(svc, V_BSTR(&path), L"GetEncryptionMethod", &out, e)) == 0) {
                rc = wmi_uint(out, L"EncryptionMethod", &method, who, e);
                IWbemClassObject_Release(out);
        }
        if (rc == 0) {
                b->protection = prot <= 2 ? (int)prot : 2;
                b->conversion = conv <= INT_MAX ? (int)conv : -1;
                b->percent = pct <= 100 ? (int)pct : -1;
                if (method < sizeof(methods) / sizeof(methods[0]))
                        snprintf(b->method, sizeof(b->method), "%s", methods[method]);
        }
        VariantClear(&path);
        if (vol)
                IWbemClassObject_Release(vol);
        if (it)
                IEnumWbemClassObject_Release(it);
        IWbemServices_Release(svc);
        com_done(uninit);
        return rc < 0 ? rc : 0;
}

int winapi_firewall(struct winapi_firewall *f, struct winapi_error *e)
{
        static const char who[] = "Firewall";
        static const struct {
                NET_FW_PROFILE_TYPE2 type;
                const char *what;
        } profiles[] = {
                { NET_FW_PROFILE2_DOMAIN, "get_FirewallEnabled(domain)" },
                { NET_FW_PROFILE2_PRIVATE, "get_FirewallEnabled(private)" },
                { NET_FW_PROFILE2_PUBLIC, "get_FirewallEnabled(public)" },
        };
        bool *on[] = { &f->domain, &f->private_, &f->public_ };
        INetFwPolicy2 *policy = NULL;
        HRESULT hr;
        bool uninit;
        int rc;

        memset(f, 0, sizeof(*f));
        rc = com_init(who, &uninit, e);
        if (rc < 0)
                return rc;
        hr = CoCreateInstance(&CLSID_NetFwPolicy2, NULL, CLSCTX_INPROC_SERVER, &IID_INetFwPolicy2,
                              (void **)&policy);
        if (FAILED(hr))
                rc = hr_fail(e, who, "CoCreateInstance(NetFwPolicy2)", hr);
        for (size_t i = 0; rc == 0 && i < sizeof(profiles) / sizeof(profiles[0]); i++) {
                VARIANT_BOOL enabled = VARIANT_FALSE;

                hr = INetFwPolicy2_get_FirewallEnabled(policy, profiles[i].type, &enabled);
                if (FAILED(hr))
                        rc = hr_fail(e, who, profiles[i].what, hr);
                else
                        *on[i] = enabled != VARIANT_FALSE;
        }
        if (policy)
                INetFwPolicy2_Release(policy);
        com_done(uninit);
        return rc;
}

/* tbs.h of Debian 12's mingw-w64 lacks Tbsi_GetDeviceInfo (Windows 8 and later). */
struct tpm_device_info {
        UINT32 struct_version;
        UINT32 tpm_version; /* 1: TPM 1.2, 2: TPM 2.0 */
        UINT32 tpm_interface_type;
        UINT32 tpm_imp_revision;
};
typedef UINT32(WINAPI *tbsi_get_device_info_fn)(UINT32 size, void *info);

int winapi_tpm(struct winapi_tpm *t, struct winapi_error *e)
{
        struct tpm_device_info info = { 0 };
        tbsi_get_device_info_fn get_info;
        HMODULE tbs;
        UINT32 r;
        int rc = 0;

        memset(t, 0, sizeof(*t));
        tbs = LoadLibraryExW(L"tbs.dll", NULL, LOAD_LIBRARY_SEARCH_SYSTEM32);
        if (!tbs)
                return win_fail(e, "TPM", "loading tbs.dll", GetLastError());
        get_info = (tbsi_get_device_info_fn)(void *)GetProcAddress(tbs, "Tbsi_GetDeviceInfo");
        if (!get_info) {
                FreeLibrary(tbs);
                return fail(e, -ENOSYS, "TPM: tbs.dll has no Tbsi_GetDeviceInfo");
        }
        r = get_info(sizeof(info), &info);
        if (r == 0) {
                t->present = true;
                if (info.tpm_version == 1 || info.tpm_version == 2)
                        snprintf(t->version, sizeof(t->version), "%s",
                                 info.tpm_version == 1 ? "1.2" : "2.0");
        } else if (r != (UINT32)TBS_E_TPM_NOT_FOUND) {
                rc = fail(e, -EIO, "TPM: Tbsi_GetDeviceInfo failed: 0x%08lx", (unsigned long)r);
        }
        FreeLibrary(tbs);
        return rc;
}

/* The NUL-terminated string at off of the descriptor's n bytes, without its
 * padding, as clean UTF-8 into buf. */
static void descriptor_string(const BYTE *d, DWORD n, DWORD off, char *buf, size_t size)
{
        char raw[128];
        size_t len = 0, start = 0;

        buf[0] = '\0';
        if (off == 0 || off >= n)
                return;
        while (off + len < n && d[off + len] && len < sizeof(raw) - 1) {
                raw[len] = (char)d[off + len];
                len++;
        }
        while (len > 0 && raw[len - 1] == ' ')
                len--;
        raw[len] = '\0';
        while (raw[start] == ' ')
                start++;
        util_text_clean(raw + start, buf, size);
}

static const char *bus_name(STORAGE_BUS_TYPE bus)
{
        switch (bus) {
        case BusTypeAta:
                return "ata";
        case BusTypeSata:
                return "sata";
        case BusTypeNvme:
                return "nvme";
        case BusTypeUsb:
                return "usb";
        case BusTypeScsi:
                return "scsi";
        case BusTypeSas:
                return "sas";
        case BusTypeRAID:
                return "raid";
        case BusTypeiScsi:
                return "iscsi";
        case BusTypeSd:
                return "sd";
        case BusTypeMmc:
                return "mmc";
        case BusTypeSpaces:
                return "spaces";
        case BusTypeVirtual:
        case BusTypeFileBackedVirtual:
                return "virtual";
        default:
                return "";
        }
}

static void disk_describe(struct winapi_disk *d, const BYTE *buf, DWORD n)
{
        const STORAGE_DEVICE_DESCRIPTOR *s = (const STORAGE_DEVICE_DESCRIPTOR *)buf;
        char vendor[64], product[64];

        if (s->Size < n)
                n = s->Size;
        d->removable = s->RemovableMedia ? 1 : 0;
        snprintf(d->bus, sizeof(d->bus), "%s", bus_name(s->BusType));
        descriptor_string(buf, n, s->VendorIdOffset, vendor, sizeof(vendor));
        descriptor_string(buf, n, s->ProductIdOffset, product, sizeof(product));
        snprintf(d->model, sizeof(d->model), "%s%s%s", vendor, vendor[0] && product[0] ? " " : "",
                 product);
        util_utf8_trim(d->model);
}

/* Handles opened with no access right: the IOCTLs below need none, so no
 * administrator rights either (IOCTL_DISK_GET_LENGTH_INFO would need read
 * access; the geometry gives the size without). */
int winapi_system_disk(struct winapi_disk *d, struct winapi_error *e)
{
        static const char who[] = "System disk";
        union {
                VOLUME_DISK_EXTENTS x;
                BYTE b[sizeof(VOLUME_DISK_EXTENTS) + 7 * sizeof(DISK_EXTENT)];
        } ext;
        union {
                DISK_GEOMETRY_EX g;
                BYTE b[256];
        } geo;
        union {
                STORAGE_DEVICE_DESCRIPTOR s;
                BYTE b[1024];
        } desc;
        DEVICE_SEEK_PENALTY_DESCRIPTOR seek;
        STORAGE_PROPERTY_QUERY q = { StorageDeviceSeekPenaltyProperty,
                                     PropertyStandardQuery,
                                     { 0 } };
        wchar_t volume[] = L"\\\\.\\?:", disk[40], drive[3];
        char what[96], name[40];
        HANDLE h;
        DWORD got, err;
        BOOL ok;
        int rc;

        memset(d, 0, sizeof(*d));
        d->seek_penalty = -1;
        d->removable = -1;
        rc = system_drive(drive, who, e);
        if (rc < 0)
                return rc;
        *wcschr(volume, L'?') = drive[0];
        win_utf8_buf(volume, name, sizeof(name));
        h = CreateFileW(volume, 0, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0,
                        NULL);
        if (h == INVALID_HANDLE_VALUE) {
                snprintf(what, sizeof(what), "opening %s", name);
                return win_fail(e, who, what, GetLastError());
        }
        ok = DeviceIoControl(h, IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS, NULL, 0, &ext, sizeof(ext),
                             &got, NULL);
        err = GetLastError();
        CloseHandle(h);
        if (!ok) {
                snprintf(what, sizeof(what), "IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS on %s", name);
                return win_fail(e, who, what, err);
        }
        if (got < sizeof(ext.x) || ext.x.NumberOfDiskExtents == 0)
                return fail(e, -ENOENT,
                            "%s: %s lies on no disk (no extent from "
                            "IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS)",
                            who, name);
        /* The Windows volume seldom spans disks: the first stands for all. */
        swprintf(disk, sizeof(disk) / sizeof(disk[0]), L"\\\\.\\PhysicalDrive%lu",
                 ext.x.Extents[0].DiskNumber);
        win_utf8_buf(disk, name, sizeof(name));
        h = CreateFileW(disk, 0, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
        if (h == INVALID_HANDLE_VALUE) {
                snprintf(what, sizeof(what), "opening %s", name);
                return win_fail(e, who, what, GetLastError());
        }
        ok = DeviceIoControl(h, IOCTL_DISK_GET_DRIVE_GEOMETRY_EX, NULL, 0, &geo, sizeof(geo), &got,
                             NULL);
        if (ok && got >= offsetof(DISK_GEOMETRY_EX, Data)) {
                d->size_bytes = (unsigned long long)geo.g.DiskSize.QuadPart;
        } else {
                snprintf(what, sizeof(what), "IOCTL_DISK_GET_DRIVE_GEOMETRY_EX on %s", name);
                rc = win_fail(e, who, what, ok ? ERROR_INVALID_DATA : GetLastError());
        }
        /* Not every driver answers these two: then unknown, not an error. */
        if (rc == 0 &&
            DeviceIoControl(h, IOCTL_STORAGE_QUERY_PROPERTY, &q, sizeof(q), &seek, sizeof(seek),
                            &got, NULL) &&
            got >= sizeof(seek))
                d->seek_penalty = seek.IncursSeekPenalty ? 1 : 0;
        q.PropertyId = StorageDeviceProperty;
        if (rc == 0 &&
            DeviceIoControl(h, IOCTL_STORAGE_QUERY_PROPERTY, &q, sizeof(q), &desc, sizeof(desc),
                            &got, NULL) &&
            got >= offsetof(STORAGE_DEVICE_DESCRIPTOR, RawDeviceProperties))
                disk_describe(d, desc.b, got);
        CloseHandle(h);
        return rc;
}

/* The processor and memory. */

static unsigned logical_count(LOGICAL_PROCESSOR_RELATIONSHIP rel)
{
        DWORD size = 0;
        unsigned char *buf;
        unsigned n = 0;

        GetLogicalProcessorInformationEx(rel, NULL, &size);
        if (size == 0 || !(buf = malloc(size)))
                return 0;
        if (GetLogicalProcessorInformationEx(rel, (SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *)buf,
                                             &size))
                for (DWORD at = 0; at + sizeof(DWORD) * 2 <= size;) {
                        SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *p =
                            (SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *)(buf + at);
                        if (p->Size == 0 || p->Size > size - at)
                                break;
                        n += p->Relationship == rel;
                        at += p->Size;
                }
        free(buf);
        return n;
}

int winapi_machine(struct winapi_machine *m, struct winapi_error *e)
{
        unsigned a, b, c, d, max = 0;
        MEMORYSTATUSEX ms = { .dwLength = sizeof(ms) };
        ULONGLONG kib = 0;

        memset(m, 0, sizeof(*m));
        m->family = m->model = m->stepping = -1;
        if (__get_cpuid(0, &max, &b, &c, &d)) {
                memcpy(m->vendor, &b, 4);
                memcpy(m->vendor + 4, &d, 4);
                memcpy(m->vendor + 8, &c, 4);
        }
        if (max >= 1 && __get_cpuid(1, &a, &b, &c, &d)) {
                unsigned family = (a >> 8) & 0xf, model = (a >> 4) & 0xf;

                /* As Linux's /proc/cpuinfo shows them, which the Windows 11
                 * processor table uses. */
                if (family == 0xf)
                        family += (a >> 20) & 0xff;
                if (family >= 6)
                        model += ((a >> 16) & 0xf) << 4;
                m->family = (int)family;
                m->model = (int)model;
                m->stepping = (int)(a & 0xf);
                m->hypervisor = (c >> 31) & 1;
        }
        if (__get_cpuid(0x80000000, &max, &b, &c, &d) && max >= 0x80000004) {
                unsigned w[12];
                char brand[49], *s;

                for (unsigned leaf = 0; leaf < 3; leaf++)
                        __get_cpuid(0x80000002 + leaf, &w[leaf * 4], &w[leaf * 4 + 1],
                                    &w[leaf * 4 + 2], &w[leaf * 4 + 3]);
                memcpy(brand, w, 48);
                brand[48] = '\0';
                s = brand + strspn(brand, " ");
                for (size_t n = strlen(s); n > 0 && s[n - 1] == ' ';)
                        s[--n] = '\0';
                snprintf(m->model_name, sizeof(m->model_name), "%s", s);
        }
        if (__get_cpuid(0x80000001, &a, &b, &c, &d))
                m->bits64 = (d >> 29) & 1;
        m->cores = logical_count(RelationProcessorCore);
        m->threads = GetActiveProcessorCount(ALL_PROCESSOR_GROUPS);
        if (!GlobalMemoryStatusEx(&ms)) {
                char why[200];
                snprintf(e->what, sizeof(e->what), "Memory: GlobalMemoryStatusEx failed: %s",
                         win_strerror(GetLastError(), why, sizeof(why)));
                return -EIO;
        }
        m->total_bytes = ms.ullTotalPhys;
        if (GetPhysicallyInstalledSystemMemory(&kib))
                m->installed_bytes = (unsigned long long)kib * 1024;
        return 0;
}
