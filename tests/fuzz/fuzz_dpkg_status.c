/* fuzz_dpkg_status.c - dpkg's status file, any bytes, through the patch collector. */
#include <stdint.h>

#include "fuzz_root.h"

static const char packages[] = "Package: dpkg\nVersion: 1.21.23\nArchitecture: amd64\n\n"
                               "Package: base-files\nVersion: 12.4+deb12u6\nArchitecture: all\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static int ready;

        if (!ready) {
                fuzz_root_write("var/lib/apt/lists/h_dists_s_main_binary-amd64_Packages", packages,
                                sizeof(packages) - 1);
                ready = 1;
        }
        fuzz_root_write("var/lib/dpkg/status", data, size);
        fuzz_root_collect();
        return 0;
}
