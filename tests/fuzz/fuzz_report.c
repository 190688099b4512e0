/* fuzz_report.c - an agent's report is untrusted JSON: the validator must
 * accept or refuse it, and what it accepts must hold what it promises and
 * load back with jansson, as the machine page reads it. */
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "checks.h"
#include "intake.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct intake in;
        struct error e;

        if (intake_parse(&in, (const char *)data, size, &e) == 0) {
                json_t *back = json_loadb((const char *)data, size, 0, NULL);

                if (!back)
                        __builtin_trap();
                json_decref(back);
                if (!intake_uuid_ok(in.report_id) || !intake_uuid_ok(in.agent_id) || in.seq < 0 ||
                    in.nfindings > INTAKE_FINDINGS_MAX || strlen(in.hostname) > 255 ||
                    in.collected_at < REPORT_TIME_MIN)
                        __builtin_trap();
                for (size_t i = 0; i < in.nfindings; i++)
                        if (in.findings[i].status < 0 || in.findings[i].status >= STATUS_COUNT ||
                            in.findings[i].severity < 0 || in.findings[i].severity >= SEV_COUNT ||
                            strlen(in.findings[i].subject) > 255)
                                __builtin_trap();
        }
        intake_free(&in);
        return 0;
}
