/* win11-cpus.h - the table of processors Windows 11 supports
 * (win11-cpus.conf), parsed at run time so it can follow Microsoft's list
 * without a rebuild. */
#ifndef HYGIE_WIN11_CPUS_H
#define HYGIE_WIN11_CPUS_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define WIN11_CPUS_MAX 128

enum win11_verdict { WIN11_SUPPORTED, WIN11_UNSUPPORTED, WIN11_UNCERTAIN };

struct win11_range {
        long lo, hi; /* inclusive; "*" is [LONG_MIN, LONG_MAX] */
        bool any;
};

struct win11_rule {
        char vendor[32]; /* "*" for any */
        struct win11_range family, model, stepping;
        char feature[16]; /* "" for none */
        enum win11_verdict verdict;
        char note[96];
        unsigned line;
};

struct win11_cpus {
        struct win11_rule v[WIN11_CPUS_MAX];
        size_t n;
};

struct win11_cpu {
        const char *vendor;
        long family, model, stepping; /* -1: unknown, matches only "*" */
        bool atomics;
};

/* Parses the table text (file names it in errors) into t. 0 or -EINVAL with e set. */
int win11_cpus_parse(const char *text, const char *file, struct win11_cpus *t, struct error *e);
/* The first rule that matches cpu, or NULL. */
const struct win11_rule *win11_cpus_match(const struct win11_cpus *t, const struct win11_cpu *cpu);
const char *win11_verdict_name(enum win11_verdict v);

#endif
