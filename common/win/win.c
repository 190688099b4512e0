/* win.c - UTF-8 across the Win32 API, files, random bytes. */
#include <windows.h>
#include <bcrypt.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "win.h"

char *win_utf8(const wchar_t *w, int n)
{
        int len = WideCharToMultiByte(CP_UTF8, 0, w, n, NULL, 0, NULL, NULL);
        char *s;

        if (len <= 0)
                return n == 0 ? calloc(1, 1) : NULL;
        s = malloc((size_t)len + 1);
        if (!s)
                return NULL;
        WideCharToMultiByte(CP_UTF8, 0, w, n, s, len, NULL, NULL);
        s[len] = '\0';
        return s;
}

char *win_utf8_buf(const wchar_t *w, char *buf, size_t size)
{
        char *s = win_utf8(w, -1);

        buf[0] = '\0';
        if (s) {
                snprintf(buf, size, "%s", s);
                util_utf8_trim(buf);
                free(s);
        }
        return buf;
}

wchar_t *win_wide(const char *s)
{
        int len = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, NULL, 0);
        wchar_t *w;

        if (len <= 0)
                return NULL;
        w = malloc((size_t)len * sizeof(wchar_t));
        if (w)
                MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, w, len);
        return w;
}

FILE *win_fopen(const char *path, const char *mode)
{
        wchar_t *wpath = win_wide(path), *wmode = win_wide(mode);
        FILE *f = NULL;

        if (wpath && wmode)
                f = _wfopen(wpath, wmode);
        else
                errno = EINVAL;
        free(wpath);
        free(wmode);
        return f;
}

int win_read_file(const char *path, size_t max, unsigned char **data, size_t *size)
{
        FILE *f = win_fopen(path, "rb");
        unsigned char *buf = NULL;
        size_t n = 0, cap = 0;
        int rc = 0;

        *data = NULL;
        *size = 0;
        if (!f)
                return -errno;
        for (;;) {
                size_t got;

                if (cap - n < 4096) {
                        unsigned char *p;

                        cap = cap ? cap * 2 : 16384;
                        p = realloc(buf, cap + 1);
                        if (!p) {
                                rc = -ENOMEM;
                                break;
                        }
                        buf = p;
                }
                got = fread(buf + n, 1, cap - n, f);
                n += got;
                if (n > max) {
                        rc = -EFBIG;
                        break;
                }
                if (got == 0) {
                        if (ferror(f))
                                rc = -EIO;
                        break;
                }
        }
        fclose(f);
        if (rc < 0) {
                free(buf);
                return rc;
        }
        if (!buf && !(buf = malloc(1)))
                return -ENOMEM;
        buf[n] = '\0';
        *data = buf;
        *size = n;
        return 0;
}

const char *win_strerror(unsigned long code, char *buf, size_t size)
{
        wchar_t msg[512];
        DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                                 code, 0, msg, sizeof(msg) / sizeof(msg[0]), NULL);

        while (n > 0 && (msg[n - 1] == L'\n' || msg[n - 1] == L'\r' || msg[n - 1] == L'.' ||
                         msg[n - 1] == L' '))
                n--;
        msg[n] = L'\0';
        if (n == 0)
                snprintf(buf, size, "error 0x%08lx", code);
        else
                win_utf8_buf(msg, buf, size);
        return buf;
}

int util_random(void *buf, size_t n)
{
        if (n > ULONG_MAX)
                return -EINVAL;
        return BCRYPT_SUCCESS(BCryptGenRandom(NULL, buf, (ULONG)n, BCRYPT_USE_SYSTEM_PREFERRED_RNG))
                   ? 0
                   : -EIO;
}

FILE *util_fopen(const char *path, const char *mode)
{
        return win_fopen(path, mode);
}

bool util_exists(const char *path)
{
        wchar_t *w = win_wide(path);
        bool found = w && GetFileAttributesW(w) != INVALID_FILE_ATTRIBUTES;

        free(w);
        return found;
}
