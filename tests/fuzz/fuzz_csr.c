/* fuzz_csr.c - an agent's certificate request is untrusted: any bytes go to
 * the CA's signer, which must refuse or sign, never misbehave. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "ca.h"

static char dir[] = "/tmp/hygie-fuzz-ca-XXXXXX";

static void remove_dir(void)
{
        char cmd[64];

        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        if (system(cmd) != 0)
                fprintf(stderr, "fuzz_csr: could not remove %s\n", dir);
}

static struct ca *fuzz_ca(void)
{
        static struct ca *ca;
        char data[64];
        struct error e;

        if (ca)
                return ca;
        if (!mkdtemp(dir))
                abort();
        atexit(remove_dir);
        snprintf(data, sizeof(data), "%s/data", dir);
        if (ca_init(data, NULL, 0, &e) < 0 || ca_load(data, &ca, &e) < 0)
                abort();
        return ca;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct error e;
        char *cert = NULL;

        (void)ca_sign_csr(fuzz_ca(), (const char *)data, size, "agent", 1, &cert, &e);
        free(cert);
        return 0;
}
