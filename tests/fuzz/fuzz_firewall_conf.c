/* fuzz_firewall_conf.c - the nftables, iptables-save and shell-variable
 * scanners on any bytes; an include scans the same bytes again, once. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "firewall_conf.h"

struct nest {
        struct nft_scan *s;
        const char *text;
        int depth;
};

static int include(void *user, const char *path, unsigned line)
{
        struct nest *n = user;
        struct error e;
        int rc;

        (void)path;
        (void)line;
        if (n->depth > 0)
                return 0;
        n->depth++;
        rc = nft_scan_text(n->s, n->text, "etc/nftables.d/x.nft", include, n, &e);
        n->depth--;
        return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct nft_scan *s = malloc(sizeof(*s));
        char *text = malloc(size + 1), v[32];
        struct nft_summary sum;
        struct ipt_summary ipt;
        struct error e;

        if (s && text) {
                memcpy(text, data, size);
                text[size] = '\0';
                struct nest n = { s, text, 0 };
                nft_scan_init(s);
                (void)nft_scan_text(s, text, "etc/nftables.conf", include, &n, &e);
                nft_scan_summary(s, &sum);
                (void)ipt_scan(text, "etc/iptables/rules.v4", &ipt, &e);
                (void)shellvar_get(text, "ENABLED", v, sizeof(v), NULL);
                (void)ufw_rules_count(text);
        }
        free(text);
        free(s);
        return 0;
}
