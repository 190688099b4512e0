/* service.c - hygie-agent run --service: the service control manager's
 * side of the Windows service.
 *
 * The dispatcher holds the main thread; the daemon runs on the thread the
 * manager gives ServiceMain. The control handler runs on the main thread:
 * it records what was asked and wakes the daemon's loop with uv_async_send,
 * the one libuv call that is safe from another thread. While the daemon
 * stops (the checks under way finish first; the Windows Update search is
 * bounded), a timer keeps the manager told that the stop progresses. */
#include <windows.h>

#include <stdbool.h>
#include <stdio.h>
#include <uv.h>

#include "agent.h"
#include "intl.h"
#include "log.h"

#define _(s) dgettext("hygie", s)

/* How long the manager should wait between two reports of progress. */
#define WAIT_HINT_MS 30000
#define HEARTBEAT_MS 5000

static SRWLOCK lock = SRWLOCK_INIT; /* all below */
static SERVICE_STATUS_HANDLE handle;
static SERVICE_STATUS status = { .dwServiceType = SERVICE_WIN32_OWN_PROCESS };
static uv_async_t *wake_async;
static unsigned requests;
static HANDLE heartbeat;
static HANDLE asked_event; /* set with requests, for agent_service_wait_enrollment */

/* The control "hygie-agent enroll" sends the service when it is done. */
#define CONTROL_ENROLLED 128

static int (*service_run)(void *);
static void *service_arg;
static int service_rc = 1;

/* Under lock. */
static void report(DWORD state)
{
        if (state == SERVICE_START_PENDING || state == SERVICE_STOP_PENDING) {
                status.dwCheckPoint = status.dwCurrentState == state ? status.dwCheckPoint + 1 : 1;
                status.dwWaitHint = WAIT_HINT_MS;
        } else {
                status.dwCheckPoint = 0;
                status.dwWaitHint = 0;
        }
        status.dwCurrentState = state;
        status.dwControlsAccepted =
            state == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN |
                                           SERVICE_ACCEPT_PRESHUTDOWN | SERVICE_ACCEPT_PARAMCHANGE
                                     : 0;
        if (handle && !SetServiceStatus(handle, &status))
                log_warn("msg=\"service status not reported\" state=%lu error=%lu", state,
                         GetLastError());
}

static void CALLBACK on_heartbeat(void *arg, BOOLEAN fired)
{
        (void)arg;
        (void)fired;
        AcquireSRWLockExclusive(&lock);
        if (status.dwCurrentState == SERVICE_STOP_PENDING)
                report(SERVICE_STOP_PENDING);
        ReleaseSRWLockExclusive(&lock);
}

/* Under lock. */
static void stop_pending(void)
{
        if (status.dwCurrentState == SERVICE_STOP_PENDING ||
            status.dwCurrentState == SERVICE_STOPPED)
                return;
        report(SERVICE_STOP_PENDING);
        if (!heartbeat && !CreateTimerQueueTimer(&heartbeat, NULL, on_heartbeat, NULL, HEARTBEAT_MS,
                                                 HEARTBEAT_MS, WT_EXECUTEDEFAULT))
                heartbeat = NULL;
}

static DWORD WINAPI on_control(DWORD control, DWORD type, void *data, void *ctx)
{
        unsigned asked;

        (void)type;
        (void)data;
        (void)ctx;
        switch (control) {
        case SERVICE_CONTROL_INTERROGATE:
                return NO_ERROR;
        case SERVICE_CONTROL_STOP:
        case SERVICE_CONTROL_SHUTDOWN:
        case SERVICE_CONTROL_PRESHUTDOWN:
                asked = AGENT_SERVICE_STOP;
                break;
        case SERVICE_CONTROL_PARAMCHANGE:
                asked = AGENT_SERVICE_RELOAD;
                break;
        case CONTROL_ENROLLED:
                asked = AGENT_SERVICE_ENROLLED;
                break;
        default:
                return ERROR_CALL_NOT_IMPLEMENTED;
        }
        AcquireSRWLockExclusive(&lock);
        requests |= asked;
        if (asked == AGENT_SERVICE_STOP)
                stop_pending();
        if (wake_async)
                uv_async_send(wake_async);
        SetEvent(asked_event);
        ReleaseSRWLockExclusive(&lock);
        return NO_ERROR;
}

static void WINAPI service_main(DWORD argc, wchar_t **argv)
{
        HANDLE timer;

        (void)argc;
        (void)argv;
        handle = RegisterServiceCtrlHandlerExW(AGENT_SERVICE_NAME, on_control, NULL);
        if (!handle) {
                log_error("msg=\"cannot register the service's control handler\" error=%lu",
                          GetLastError());
                return;
        }
        AcquireSRWLockExclusive(&lock);
        report(SERVICE_START_PENDING);
        ReleaseSRWLockExclusive(&lock);

        service_rc = service_run(service_arg);

        AcquireSRWLockExclusive(&lock);
        wake_async = NULL;
        timer = heartbeat;
        heartbeat = NULL;
        ReleaseSRWLockExclusive(&lock);
        /* Waits for a heartbeat under way, outside the lock it takes. */
        if (timer)
                DeleteTimerQueueTimer(NULL, timer, INVALID_HANDLE_VALUE);
        AcquireSRWLockExclusive(&lock);
        /* A non-zero code is a failure: the recovery actions set at
         * installation restart the service. */
        status.dwWin32ExitCode = service_rc ? ERROR_SERVICE_SPECIFIC_ERROR : NO_ERROR;
        status.dwServiceSpecificExitCode = (DWORD)service_rc;
        report(SERVICE_STOPPED);
        ReleaseSRWLockExclusive(&lock);
}

int agent_service_dispatch(int (*run)(void *), void *arg)
{
        SERVICE_TABLE_ENTRYW table[] = {
                { (wchar_t *)AGENT_SERVICE_NAME, service_main },
                { NULL, NULL },
        };

        service_run = run;
        service_arg = arg;
        asked_event = CreateEventW(NULL, FALSE, FALSE, NULL);
        if (!StartServiceCtrlDispatcherW(table)) {
                DWORD err = GetLastError();

                if (err == ERROR_FAILED_SERVICE_CONTROLLER_CONNECT)
                        log_fail(_("hygie-agent: --service is for the service manager; in a "
                                   "console, run \"hygie-agent run\" (or \"sc start %s\")"),
                                 AGENT_EVENT_SOURCE);
                else
                        log_fail("hygie-agent: StartServiceCtrlDispatcher: error %lu", err);
                return 1;
        }
        return service_rc;
}

void agent_service_running(uv_async_t *wake)
{
        AcquireSRWLockExclusive(&lock);
        wake_async = wake;
        if (requests)
                uv_async_send(wake); /* asked before the loop was up */
        if (!(requests & AGENT_SERVICE_STOP))
                report(SERVICE_RUNNING);
        ReleaseSRWLockExclusive(&lock);
}

void agent_service_stopping(bool restarting)
{
        AcquireSRWLockExclusive(&lock);
        wake_async = NULL; /* the loop is closing */
        if (!restarting)
                stop_pending();
        ReleaseSRWLockExclusive(&lock);
}

unsigned agent_service_requests(void)
{
        unsigned asked;

        AcquireSRWLockExclusive(&lock);
        asked = requests;
        requests &= AGENT_SERVICE_STOP; /* a stop stays asked */
        ReleaseSRWLockExclusive(&lock);
        return asked;
}

bool agent_service_wait_enrollment(void)
{
        unsigned asked;

        AcquireSRWLockExclusive(&lock);
        report(SERVICE_RUNNING);
        ReleaseSRWLockExclusive(&lock);
        for (;;) {
                AcquireSRWLockExclusive(&lock);
                asked = requests;
                requests &= ~(AGENT_SERVICE_RELOAD | AGENT_SERVICE_ENROLLED);
                ReleaseSRWLockExclusive(&lock);
                if (asked & AGENT_SERVICE_STOP)
                        return false;
                if (asked & AGENT_SERVICE_ENROLLED)
                        return true;
                WaitForSingleObject(asked_event, INFINITE);
        }
}

void agent_service_kick(void)
{
        SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT), svc;
        SERVICE_STATUS st;

        svc =
            scm ? OpenServiceW(scm, AGENT_SERVICE_NAME,
                               SERVICE_QUERY_STATUS | SERVICE_START | SERVICE_USER_DEFINED_CONTROL)
                : NULL;
        if (svc && QueryServiceStatus(svc, &st)) {
                if (st.dwCurrentState == SERVICE_STOPPED)
                        StartServiceW(svc, 0, NULL);
                else if (st.dwCurrentState == SERVICE_RUNNING)
                        ControlService(svc, CONTROL_ENROLLED, &st);
        }
        if (svc)
                CloseServiceHandle(svc);
        if (scm)
                CloseServiceHandle(scm);
}

const char *agent_service_state(void)
{
        SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT), svc;
        const char *state = NULL;
        SERVICE_STATUS st;

        svc = scm ? OpenServiceW(scm, AGENT_SERVICE_NAME, SERVICE_QUERY_STATUS) : NULL;
        if (svc && QueryServiceStatus(svc, &st)) {
                switch (st.dwCurrentState) {
                case SERVICE_RUNNING:
                        state = "running";
                        break;
                case SERVICE_STOPPED:
                        state = "stopped";
                        break;
                case SERVICE_START_PENDING:
                        state = "starting";
                        break;
                case SERVICE_STOP_PENDING:
                        state = "stopping";
                        break;
                default:
                        state = "paused";
                }
        }
        if (svc)
                CloseServiceHandle(svc);
        if (scm)
                CloseServiceHandle(scm);
        return state;
}
