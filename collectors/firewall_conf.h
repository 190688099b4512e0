/* firewall_conf.h - the firewall configurations a Linux system loads at
 * boot, scanned for whether they filter what comes in: nftables.conf (nft(8)
 * syntax), iptables-save files (netfilter-persistent, iptables-services),
 * the shell variables of ufw.conf, /etc/default/ufw and firewalld.conf, and
 * ufw's rule files.
 *
 * Scanners, not parsers: they follow the structure (tables, chains, rules,
 * policies) and bound every count, but do not check what a rule says. */
#ifndef HYGIE_FIREWALL_CONF_H
#define HYGIE_FIREWALL_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define NFT_TABLES_MAX 64
#define NFT_CHAINS_MAX 512
#define NFT_DEPTH_MAX  16
#define NFT_NAME_MAX   64
#define NFT_WORDS_MAX  12

struct nft_table {
        char family[8]; /* ip, ip6, inet, arp, bridge, netdev */
        char name[NFT_NAME_MAX];
        bool dormant; /* "flags dormant": its chains see no packet */
        bool gone;    /* deleted or flushed away */
};

struct nft_chain {
        int table; /* index in table[] */
        char name[NFT_NAME_MAX];
        bool base;    /* "type ... hook ...": packets enter it */
        bool inbound; /* a filter chain on the input, prerouting or ingress hook */
        bool drop;    /* "policy drop" */
        unsigned rules;
        bool gone;
};

/* What the files scanned so far leave loaded, in the order nft would run
 * them. Large: allocate it. */
struct nft_scan {
        struct nft_table table[NFT_TABLES_MAX];
        size_t ntables;
        struct nft_chain chain[NFT_CHAINS_MAX];
        size_t nchains;
};

/* Called for an "include" at the top level, where it stands, with the path
 * as written; the callee scans the files it names into the same scan. 0 or
 * a negative errno, which stops the scan. */
typedef int nft_include_fn(void *user, const char *path, unsigned line);

void nft_scan_init(struct nft_scan *s);
/* Scans nft -f text (file names it in errors) into s. 0, include's negative
 * errno, -EINVAL with e set (an unbalanced brace, an unterminated string),
 * or -E2BIG with e set past the bounds above. */
int nft_scan_text(struct nft_scan *s, const char *text, const char *file, nft_include_fn *include,
                  void *user, struct error *e);

struct nft_summary {
        unsigned tables, chains, base_chains, inbound_chains;
        unsigned rules; /* in every chain of the live tables */
        /* An inbound filter chain of a live, not dormant table drops by
         * default or holds a rule: something is filtered on the way in. */
        bool filters;
};

void nft_scan_summary(const struct nft_scan *s, struct nft_summary *out);

struct ipt_summary {
        unsigned rules;       /* of the filter table, committed */
        unsigned input_rules; /* of those, in INPUT */
        bool input_drop;      /* ":INPUT DROP" or "-P INPUT DROP" */
        bool filters;         /* input_drop or input_rules */
};

/* Scans iptables-save text (what iptables-restore loads). Only committed
 * tables count. 0, or -EINVAL with e set: a line outside a table, a table
 * without COMMIT (iptables-restore would load nothing). */
int ipt_scan(const char *text, const char *file, struct ipt_summary *s, struct error *e);

/* The value of the last "NAME=value" of a file sh sources (ufw.conf,
 * /etc/default/ufw, firewalld.conf), its quotes removed, into buf; line (may
 * be NULL) gets its line. 0, or -ENOENT when NAME is never set. A value too
 * long for buf is cut. */
int shellvar_get(const char *text, const char *name, char *buf, size_t size, unsigned *line);

/* The rules ufw's user.rules or user6.rules holds ("### tuple ###" lines). */
unsigned ufw_rules_count(const char *text);

#endif
