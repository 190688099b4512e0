/* reg.h - reading values of the registry's 64-bit view, in UTF-8.
 *
 * Each returns 0, -ENOENT when the key or value is absent, -EINVAL when the
 * value has another type or does not fit, or -EACCES. */
#ifndef HYGIE_WIN_REG_H
#define HYGIE_WIN_REG_H

#include <windows.h>

#include <stdbool.h>
#include <stddef.h>

/* REG_SZ or REG_EXPAND_SZ (not expanded) into buf, trimmed. */
int reg_string(HKEY root, const wchar_t *key, const wchar_t *name, char *buf, size_t size);
/* REG_DWORD; also a REG_SZ holding a decimal number, as some tools write. */
int reg_dword(HKEY root, const wchar_t *key, const wchar_t *name, unsigned long *out);
/* REG_QWORD, or REG_BINARY of 8 bytes (little-endian). */
int reg_qword(HKEY root, const wchar_t *key, const wchar_t *name, unsigned long long *out);
bool reg_key_exists(HKEY root, const wchar_t *key);
/* Calls fn for each subkey name of key (UTF-8) until it returns non-zero;
 * returns that, 0, or a negative errno. */
int reg_subkeys(HKEY root, const wchar_t *key, int (*fn)(const char *name, void *arg), void *arg);
/* "HKLM\\path\\name" for evidence and errors. */
const char *reg_where(const wchar_t *key, const wchar_t *name, char *buf, size_t size);

#endif
