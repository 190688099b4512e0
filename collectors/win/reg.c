/* reg.c - registry values in UTF-8 (see reg.h). */
#include <windows.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reg.h"
#include "win.h"

static int errno_of(LSTATUS rc)
{
        switch (rc) {
        case ERROR_SUCCESS:
                return 0;
        case ERROR_FILE_NOT_FOUND:
        case ERROR_PATH_NOT_FOUND:
                return -ENOENT;
        case ERROR_ACCESS_DENIED:
                return -EACCES;
        case ERROR_MORE_DATA:
                return -EINVAL;
        default:
                return -EIO;
        }
}

/* The value's type and bytes into buf (size bytes). */
static int query(HKEY root, const wchar_t *key, const wchar_t *name, DWORD *type, void *buf,
                 DWORD *size)
{
        return errno_of(RegGetValueW(
            root, key, name, RRF_RT_ANY | RRF_NOEXPAND | RRF_SUBKEY_WOW6464KEY, type, buf, size));
}

int reg_string(HKEY root, const wchar_t *key, const wchar_t *name, char *buf, size_t size)
{
        wchar_t w[1024];
        DWORD type, n = sizeof(w) - sizeof(wchar_t);
        int rc = query(root, key, name, &type, w, &n);

        buf[0] = '\0';
        if (rc < 0)
                return rc;
        if (type != REG_SZ && type != REG_EXPAND_SZ)
                return -EINVAL;
        w[n / sizeof(wchar_t)] = L'\0';
        win_utf8_buf(w, buf, size);
        /* Trimmed of the spaces some installers leave around values. */
        for (size_t len = strlen(buf); len > 0 && buf[len - 1] == ' ';)
                buf[--len] = '\0';
        if (buf[0] == ' ')
                memmove(buf, buf + strspn(buf, " "), strlen(buf + strspn(buf, " ")) + 1);
        return 0;
}

int reg_dword(HKEY root, const wchar_t *key, const wchar_t *name, unsigned long *out)
{
        unsigned char b[256];
        DWORD type, n = sizeof(b) - sizeof(wchar_t);
        int rc = query(root, key, name, &type, b, &n);

        if (rc < 0)
                return rc;
        if (type == REG_DWORD && n == 4) {
                *out = (unsigned long)b[0] | (unsigned long)b[1] << 8 | (unsigned long)b[2] << 16 |
                       (unsigned long)b[3] << 24;
                return 0;
        }
        if (type == REG_SZ) {
                char s[64], *end;
                wchar_t *w = (wchar_t *)b;

                w[n / sizeof(wchar_t)] = L'\0';
                win_utf8_buf(w, s, sizeof(s));
                errno = 0;
                *out = strtoul(s, &end, 10);
                return s[0] && !*end && errno == 0 ? 0 : -EINVAL;
        }
        return -EINVAL;
}

int reg_qword(HKEY root, const wchar_t *key, const wchar_t *name, unsigned long long *out)
{
        unsigned char b[8];
        DWORD type, n = sizeof(b);
        int rc = query(root, key, name, &type, b, &n);

        if (rc < 0)
                return rc;
        if ((type != REG_QWORD && type != REG_BINARY) || n != 8)
                return -EINVAL;
        *out = 0;
        for (int i = 7; i >= 0; i--)
                *out = *out << 8 | b[i];
        return 0;
}

bool reg_key_exists(HKEY root, const wchar_t *key)
{
        HKEY k;

        if (RegOpenKeyExW(root, key, 0, KEY_READ | KEY_WOW64_64KEY, &k) != ERROR_SUCCESS)
                return false;
        RegCloseKey(k);
        return true;
}

int reg_subkeys(HKEY root, const wchar_t *key, int (*fn)(const char *name, void *arg), void *arg)
{
        HKEY k;
        LSTATUS st = RegOpenKeyExW(root, key, 0, KEY_READ | KEY_WOW64_64KEY, &k);
        int rc = 0;

        if (st != ERROR_SUCCESS)
                return errno_of(st);
        for (DWORD i = 0; rc == 0; i++) {
                wchar_t name[256];
                DWORD n = sizeof(name) / sizeof(name[0]);
                char utf8[768];

                st = RegEnumKeyExW(k, i, name, &n, NULL, NULL, NULL, NULL);
                if (st == ERROR_NO_MORE_ITEMS)
                        break;
                if (st != ERROR_SUCCESS) {
                        rc = errno_of(st);
                        break;
                }
                rc = fn(win_utf8_buf(name, utf8, sizeof(utf8)), arg);
        }
        RegCloseKey(k);
        return rc;
}

const char *reg_where(const wchar_t *key, const wchar_t *name, char *buf, size_t size)
{
        char k[512], n[128];

        win_utf8_buf(key, k, sizeof(k));
        if (name)
                win_utf8_buf(name, n, sizeof(n));
        snprintf(buf, size, "HKLM\\%s%s%s", k, name ? "\\" : "", name ? n : "");
        return buf;
}
