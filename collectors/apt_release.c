/* apt_release.c - Release and InRelease files (the archive's own description).
 *
 * InRelease is the same text inside an OpenPGP clear signature: the armor
 * header is skipped and the text stops at the signature. Only the first
 * stanza is read; its checksum lists are continuation lines. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "apt_release.h"
#include "debctrl.h"

static void copy(char *dst, size_t size, const struct debctrl_field *f)
{
        size_t n = f->vlen < size - 1 ? f->vlen : size - 1;

        memcpy(dst, f->val, n);
        dst[n] = '\0';
}

static bool yes(const struct debctrl_field *f)
{
        return f->vlen == 3 && strncasecmp(f->val, "yes", 3) == 0;
}

int apt_release_parse(const char *text, size_t len, const char *file, struct apt_release *r,
                      struct error *e)
{
        static const char signed_hdr[] = "-----BEGIN PGP SIGNED MESSAGE-----";
        static const char sig[] = "\n-----BEGIN PGP SIGNATURE-----";
        struct debctrl d;
        struct debctrl_field f;
        unsigned first = 1;
        int rc;

        memset(r, 0, sizeof(*r));
        if (len >= sizeof(signed_hdr) - 1 &&
            memcmp(text, signed_hdr, sizeof(signed_hdr) - 1) == 0) {
                /* Armor headers ("Hash: SHA512") end at the first blank line. */
                const char *p = text, *end = text + len;
                while (p < end) {
                        const char *nl = memchr(p, '\n', (size_t)(end - p));
                        first++;
                        if (!nl) {
                                p = end;
                                break;
                        }
                        bool blank = nl == p || (nl == p + 1 && *p == '\r');
                        p = nl + 1;
                        if (blank)
                                break;
                }
                const char *s = memmem(p, (size_t)(end - p), sig, sizeof(sig) - 1);
                if (!s) {
                        error_set(e, file, 0, "signed text without its signature");
                        return -EINVAL;
                }
                len = (size_t)(s + 1 - p);
                text = p;
        }
        debctrl_init(&d, text, len, first);
        if (!debctrl_next_stanza(&d)) {
                error_set(e, file, 0, "empty Release file");
                return -EINVAL;
        }
        while ((rc = debctrl_field(&d, &f)) > 0) {
                if (debctrl_is(&f, "Origin"))
                        copy(r->origin, sizeof(r->origin), &f);
                else if (debctrl_is(&f, "Label"))
                        copy(r->label, sizeof(r->label), &f);
                else if (debctrl_is(&f, "Suite") || (debctrl_is(&f, "Archive") && !r->suite[0]))
                        copy(r->suite, sizeof(r->suite), &f);
                else if (debctrl_is(&f, "Codename"))
                        copy(r->codename, sizeof(r->codename), &f);
                else if (debctrl_is(&f, "Version"))
                        copy(r->version, sizeof(r->version), &f);
                else if (debctrl_is(&f, "NotAutomatic"))
                        r->not_automatic = yes(&f);
                else if (debctrl_is(&f, "ButAutomaticUpgrades"))
                        r->but_automatic_upgrades = yes(&f);
        }
        if (rc < 0) {
                error_set(e, file, d.line, "not a \"Field: value\" line");
                return -EINVAL;
        }
        return 0;
}

static bool ends_with(const char *s, const char *suf)
{
        size_t n = strlen(s), m = strlen(suf);

        return n >= m && strcasecmp(s + n - m, suf) == 0;
}

bool apt_release_is_security(const struct apt_release *r)
{
        return strcasecmp(r->label, "Debian-Security") == 0 || ends_with(r->suite, "-security") ||
               ends_with(r->codename, "-security");
}
