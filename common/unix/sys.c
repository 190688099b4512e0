/* sys.c - what the system gives: random bytes, files by name. */
#include <errno.h>
#include <sys/random.h>
#include <unistd.h>

#include "util.h"

int util_random(void *buf, size_t n)
{
        size_t got = 0;

        while (got < n) {
                ssize_t r = getrandom((char *)buf + got, n - got, 0);

                if (r < 0 && errno != EINTR)
                        return -errno;
                if (r > 0)
                        got += (size_t)r;
        }
        return 0;
}

FILE *util_fopen(const char *path, const char *mode)
{
        return fopen(path, mode);
}

bool util_exists(const char *path)
{
        return access(path, F_OK) == 0;
}
