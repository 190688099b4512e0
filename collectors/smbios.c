/* smbios.c - SMBIOS structure table decoding, every read bounded by the
 * buffer: a structure is its formatted area (type, length, handle, fields)
 * then a set of NUL-terminated strings ended by one more NUL. */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "smbios.h"
#include "util.h"

/* Handles are 16-bit: no well-formed table has more structures. */
#define MAX_STRUCTURES 65536

enum {
        TYPE_BIOS = 0,
        TYPE_SYSTEM = 1,
        TYPE_BOARD = 2,
        TYPE_CHASSIS = 3,
        TYPE_MEMORY_DEVICE = 17,
        TYPE_END = 127,
};

struct structure {
        const unsigned char *p;       /* the formatted area, from its header */
        size_t len;                   /* its length (the header's) */
        const unsigned char *strings; /* the string set */
        size_t strings_len;           /* up to its closing NUL pair, included */
};

static unsigned le16(const unsigned char *p)
{
        return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
        return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Whether the formatted area holds n bytes at off (older versions of the
 * specification end structures earlier). */
static bool has(const struct structure *s, size_t off, size_t n)
{
        return s->len >= off + n;
}

/* String number index (from 1) of s; NULL for 0 or past the set. */
static const char *string_at(const struct structure *s, unsigned index)
{
        const unsigned char *p = s->strings, *end = s->strings + s->strings_len;

        if (index == 0)
                return NULL;
        for (unsigned i = 1; p < end && *p; i++) {
                const unsigned char *nul = memchr(p, 0, (size_t)(end - p));

                if (!nul)
                        return NULL;
                if (i == index)
                        return (const char *)p;
                p = nul + 1;
        }
        return NULL;
}

/* The string whose number is at off into dst: one line of UTF-8, without
 * surrounding spaces, cut to size. "" when there is none. */
static void copy_string(const struct structure *s, size_t off, char *dst, size_t size)
{
        const char *src = has(s, off, 1) ? string_at(s, s->p[off]) : NULL;
        char raw[256];
        size_t n;

        dst[0] = '\0';
        if (!src)
                return;
        src += strspn(src, " ");
        /* Cleaning yields at least a byte for each byte read: the field is
         * full long before raw's end, where a character may be cut. */
        n = strnlen(src, sizeof(raw) - 1);
        memcpy(raw, src, n);
        raw[n] = '\0';
        util_text_clean(raw, dst, size);
        for (n = strlen(dst); n && dst[n - 1] == ' ';)
                dst[--n] = '\0';
}

/* "MM/DD/YYYY" (or SMBIOS before 2.3's "MM/DD/YY") as "YYYY-MM-DD" into iso
 * (11 bytes); "" when it is no date of 1980 to 2999. */
static void date_iso(const char *date, char *iso)
{
        size_t n = strlen(date);
        int m, d, y;
        char buf[32];
        time_t t;

        iso[0] = '\0';
        if (n != 10 && n != 8)
                return;
        for (size_t i = 0; i < n; i++)
                if ((i == 2 || i == 5) ? date[i] != '/' : (date[i] < '0' || date[i] > '9'))
                        return;
        m = (date[0] - '0') * 10 + (date[1] - '0');
        d = (date[3] - '0') * 10 + (date[4] - '0');
        y = 0;
        for (size_t i = 6; i < n; i++)
                y = y * 10 + (date[i] - '0');
        if (n == 8)
                y += y >= 80 ? 1900 : 2000;
        if (y < 1980 || y > 2999)
                return;
        snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, d);
        /* It refuses a day the month does not have. */
        if (util_parse_date(buf, &t) == 0)
                memcpy(iso, buf, 11);
}

static void uuid_string(const unsigned char *b, char *out, size_t size)
{
        bool zero = true, ones = true;

        for (int i = 0; i < 16; i++) {
                zero = zero && b[i] == 0x00;
                ones = ones && b[i] == 0xff;
        }
        if (zero || ones) {
                out[0] = '\0';
                return;
        }
        snprintf(out, size, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                 b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], b[8], b[9], b[10], b[11], b[12],
                 b[13], b[14], b[15]);
}

static void add_saturated(unsigned long long *sum, unsigned long long n)
{
        *sum = *sum > ULLONG_MAX - n ? ULLONG_MAX : *sum + n;
}

/* A type 17 structure's module, if one is installed. */
static void memory_device(const struct structure *s, struct smbios_info *out)
{
        unsigned size;

        if (!has(s, 0x0c, 2))
                return;
        size = le16(s->p + 0x0c);
        if (size == 0)
                return; /* an empty slot */
        out->memory_devices++;
        if (size == 0xffff)
                return; /* installed, size unknown */
        if (size == 0x7fff) {
                /* 32 GiB - 1 MiB or more: the Extended Size, in MiB. */
                if (has(s, 0x1c, 4))
                        add_saturated(&out->memory_bytes,
                                      (unsigned long long)(le32(s->p + 0x1c) & 0x7fffffff) << 20);
        } else if (size & 0x8000) {
                add_saturated(&out->memory_bytes, (unsigned long long)(size & 0x7fff) << 10);
        } else {
                add_saturated(&out->memory_bytes, (unsigned long long)size << 20);
        }
}

static void decode(const struct structure *s, struct smbios_info *out, unsigned *seen)
{
        unsigned type = s->p[0];

        if (type < 4 && (*seen & (1u << type)))
                return;
        if (type < 4)
                *seen |= 1u << type;
        switch (type) {
        case TYPE_BIOS:
                copy_string(s, 0x04, out->bios_vendor, sizeof(out->bios_vendor));
                copy_string(s, 0x05, out->bios_version, sizeof(out->bios_version));
                copy_string(s, 0x08, out->bios_date, sizeof(out->bios_date));
                date_iso(out->bios_date, out->bios_date_iso);
                if (has(s, 0x13, 1)) {
                        out->uefi = s->p[0x13] & 0x08;
                        out->uefi_known =
                            out->uefi || out->major > 2 || (out->major == 2 && out->minor >= 7);
                }
                break;
        case TYPE_SYSTEM:
                copy_string(s, 0x04, out->sys_vendor, sizeof(out->sys_vendor));
                copy_string(s, 0x05, out->product_name, sizeof(out->product_name));
                copy_string(s, 0x06, out->product_version, sizeof(out->product_version));
                copy_string(s, 0x07, out->serial, sizeof(out->serial));
                if (has(s, 0x08, 16))
                        uuid_string(s->p + 0x08, out->uuid, sizeof(out->uuid));
                break;
        case TYPE_BOARD:
                copy_string(s, 0x04, out->board_vendor, sizeof(out->board_vendor));
                copy_string(s, 0x05, out->board_name, sizeof(out->board_name));
                break;
        case TYPE_CHASSIS:
                if (has(s, 0x05, 1))
                        out->chassis_type = s->p[0x05] & 0x7f;
                break;
        case TYPE_MEMORY_DEVICE:
                memory_device(s, out);
                break;
        default:
                break;
        }
}

int smbios_parse(const void *buf, size_t len, bool raw, struct smbios_info *out, struct error *e)
{
        const unsigned char *b = buf;
        size_t off = 0, end = len;
        uint32_t told = 0;
        bool short_table = false;
        unsigned seen = 0;

        memset(out, 0, sizeof(*out));
        if (raw) {
                if (len < SMBIOS_RAW_HEADER) {
                        error_set(e, "", 0,
                                  "byte 0: the RawSMBIOSData header is cut short (%zu of %d bytes)",
                                  len, SMBIOS_RAW_HEADER);
                        return -EINVAL;
                }
                out->major = b[1];
                out->minor = b[2];
                told = le32(b + 4);
                off = SMBIOS_RAW_HEADER;
                if (told > len - off)
                        short_table = true; /* read what is there, then say so */
                else
                        end = off + told;
        }
        for (unsigned n = 0; off < end; n++) {
                struct structure s;
                size_t left = end - off, set;
                const unsigned char *pair = NULL;

                if (n == MAX_STRUCTURES) {
                        error_set(e, "", 0, "byte %zu: more than %d structures", off,
                                  MAX_STRUCTURES);
                        return -EINVAL;
                }
                if (left < 4) {
                        /* Padding after the last structure is no error. */
                        for (size_t i = off; i < end; i++) {
                                if (b[i]) {
                                        error_set(e, "", 0,
                                                  "byte %zu: a structure header cut short (%zu of "
                                                  "4 bytes)",
                                                  off, left);
                                        return -EINVAL;
                                }
                        }
                        break;
                }
                s.p = b + off;
                s.len = b[off + 1];
                if (s.len < 4) {
                        error_set(e, "", 0, "byte %zu: structure type %u has length %zu, below 4",
                                  off, s.p[0], s.len);
                        return -EINVAL;
                }
                if (s.len > left) {
                        error_set(e, "", 0,
                                  "byte %zu: structure type %u (length %zu) runs past the end, %zu "
                                  "bytes on",
                                  off, s.p[0], s.len, left);
                        return -EINVAL;
                }
                s.strings = s.p + s.len;
                /* Strings hold no NUL: the first NUL pair closes the set. */
                for (set = 0; s.len + set + 1 < left; set++) {
                        if (s.strings[set] == 0 && s.strings[set + 1] == 0) {
                                pair = s.strings + set;
                                break;
                        }
                }
                if (!pair) {
                        error_set(
                            e, "", 0,
                            "byte %zu: structure type %u has strings with no end (no double NUL "
                            "before byte %zu)",
                            off, s.p[0], end);
                        return -EINVAL;
                }
                s.strings_len = set + 2;
                decode(&s, out, &seen);
                if (s.p[0] == TYPE_END)
                        break;
                off += s.len + s.strings_len;
        }
        if (short_table) {
                error_set(e, "", 0, "byte 4: the header tells %lu bytes of structures, %zu follow",
                          (unsigned long)told, len - SMBIOS_RAW_HEADER);
                return -EINVAL;
        }
        return 0;
}
