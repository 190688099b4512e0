/* token.h - bearer secrets: enrollment tokens and API tokens.
 *
 * A token is 32 random bytes in base64url behind a prefix that says what it
 * is for ("hye_" enrollment, "hya_" API). Only its SHA-256 is stored: the
 * token is random enough that a slow hash would add nothing. */
#ifndef HYGIE_TOKEN_H
#define HYGIE_TOKEN_H

#include <stddef.h>

#define TOKEN_LEN      (4 + 43)
#define TOKEN_HASH_LEN 64

/* A new token with prefix ("hye_", "hya_") into buf (TOKEN_LEN + 1 bytes). */
int token_new(const char *prefix, char *buf, size_t size);
/* Lower-case hex SHA-256 of token into hex (TOKEN_HASH_LEN + 1 bytes). */
int token_hash(const char *token, char *hex, size_t size);
/* "90s", "30m", "12h", "7d", "2w" to seconds; -EINVAL otherwise. */
int token_parse_duration(const char *s, long long *seconds);

#endif
