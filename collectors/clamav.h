/* clamav.h - parsers for ClamAV's files: the 512-byte header of a signature
 * database (.cvd/.cld) and the "Key value" lines of clamd.conf and
 * freshclam.conf. Both work on buffers and bound every length. */
#ifndef HYGIE_CLAMAV_H
#define HYGIE_CLAMAV_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define CLAMAV_HEADER_SIZE 512

struct clamav_header {
        long version; /* database version (daily: grows every update) */
        long sigs;    /* signature count */
        long flevel;  /* functionality level */
        char builder[64];
        bool has_built;
        time_t built; /* "DD Mon YYYY HH-MM +ZZZZ", as UTC */
        bool has_stime;
        time_t stime; /* the last field, seconds since the epoch */
};

/* Parses the header at the start of buf (len bytes, at most the first
 * CLAMAV_HEADER_SIZE are read): "ClamAV-VDB:<build time>:<version>:<sigs>:
 * <flevel>:<md5>:<dsig>:<builder>:<stime>". 0, or -EINVAL when it is not one
 * or neither time can be read. */
int clamav_header_parse(const char *buf, size_t len, struct clamav_header *h);

/* The index-th (0-based) value of key in a clamd.conf-style text into buf
 * (cut to size). 0, or -ENOENT. Keys compare exactly, as clamd does. */
int clamav_conf_get(const char *text, const char *key, unsigned index, char *buf, size_t size);

#endif
