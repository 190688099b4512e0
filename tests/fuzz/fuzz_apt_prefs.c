/* fuzz_apt_prefs.c - apt_preferences(5) and apt.conf(5) text on any bytes,
 * and the pins found matched against a package and an archive. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apt_conf.h"
#include "apt_prefs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct apt_prefs p = { 0 };
        struct apt_release r = { .origin = "Debian",
                                 .label = "Debian",
                                 .suite = "stable",
                                 .codename = "bookworm",
                                 .version = "12.5" };
        struct apt_origin o = { &r, "main", "amd64", "deb.debian.org" };
        struct error e;
        char v[64];

        (void)apt_prefs_parse(&p, (const char *)data, size, "preferences", &e);
        for (size_t i = 0; i < p.n; i++) {
                (void)apt_pin_covers(&p.v[i], "libc6", "amd64", true);
                if (p.v[i].type == APT_PIN_VERSION)
                        (void)apt_pin_matches_version(p.v[i].data, "2.36-9+deb12u4");
                else
                        (void)apt_pin_matches_origin(p.v[i].type, p.v[i].data, &o);
        }
        apt_prefs_free(&p);
        (void)apt_conf_get((const char *)data, size, "APT::Periodic::Unattended-Upgrade", v,
                           sizeof(v));
        return 0;
}
