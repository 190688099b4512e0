/* fuzz_hw_tables.c - the shipped data tables' parsers (win11-cpus.conf,
 * antivirus-products.conf) on any bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "avproducts.h"
#include "win11-cpus.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct win11_cpus *cpus = malloc(sizeof(*cpus));
        struct avproducts *av = malloc(sizeof(*av));
        char *text = malloc(size + 1);
        struct error e;

        if (!text || !cpus || !av)
                goto out;
        memcpy(text, data, size);
        text[size] = '\0';
        if (win11_cpus_parse(text, "win11-cpus.conf", cpus, &e) == 0) {
                struct win11_cpu cpu = { "GenuineIntel", 6, 142, 9, false };
                (void)win11_cpus_match(cpus, &cpu);
        }
        (void)avproducts_parse(text, "antivirus-products.conf", av, &e);
out:
        free(text);
        free(cpus);
        free(av);
        return 0;
}
