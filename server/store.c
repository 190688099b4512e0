/* store.c - what every storage engine shares: checking what goes in. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "finess.h"
#include "store.h"

/* FINESS codes the overseas départements 971-976 as 9A-9F. */
static bool department_matches(const char *finess, const char *dep)
{
        if (finess[0] == '9' && finess[1] >= 'A' && finess[1] <= 'F')
                return strlen(dep) == 3 && dep[0] == '9' && dep[1] == '7' &&
                       dep[2] == '1' + (finess[1] - 'A');
        if (finess[0] == '9' && finess[1] == '7')
                return strlen(dep) == 3 && dep[0] == '9' && dep[1] == '7';
        return strlen(dep) == 2 && dep[0] == finess[0] && dep[1] == finess[1];
}

int store_establishment_check(const struct establishment *est, struct error *e)
{
        const char *why;

        if (finess_check(est->finess, &why) < 0) {
                error_set(e, "", 0, "FINESS %s: %s", est->finess, why);
                return -EINVAL;
        }
        if (!department_matches(est->finess, est->department)) {
                error_set(e, "", 0, "FINESS %s is not in département %s", est->finess,
                          est->department);
                return -EINVAL;
        }
        if (!est->name[0] || !est->region[0]) {
                error_set(e, "", 0, "an establishment needs a name and a region");
                return -EINVAL;
        }
        return 0;
}

int store_open(const char *url, const char *data_dir, struct store **out, struct error *e)
{
        if (!url || !*url)
                return store_open_sqlite(data_dir, out, e);
        if (strncmp(url, "sqlite:", 7) == 0)
                return store_open_sqlite(url + 7, out, e);
        return store_open_pg(url, out, e);
}
