/* fuzz_packages.c - an apt list (Packages stanzas), any bytes, plain and as
 * a gzip stream, through the patch collector. */
#include <stdint.h>

#include "fuzz_root.h"

static const char status[] = "Package: dpkg\nStatus: install ok installed\nVersion: 1.21.22\n"
                             "Architecture: amd64\n\n"
                             "Package: base-files\nStatus: hold ok installed\nVersion: 12.4\n"
                             "Architecture: amd64\n\n"
                             "Package: tzdata\nStatus: install ok installed\nVersion: 2024a-0\n"
                             "Architecture: all\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static int ready;

        if (!ready) {
                fuzz_root_write("var/lib/dpkg/status", status, sizeof(status) - 1);
                ready = 1;
        }
        /* The same bytes as a plain list and as a (mostly corrupt) gzip list. */
        fuzz_root_write("var/lib/apt/lists/h_dists_s_main_binary-amd64_Packages", data, size);
        fuzz_root_write("var/lib/apt/lists/h_dists_t_main_binary-amd64_Packages.gz", data, size);
        fuzz_root_collect();
        return 0;
}
