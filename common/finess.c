/* finess.c - FINESS number validation: length, département, Luhn key. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "finess.h"

static bool digit(char c)
{
        return c >= '0' && c <= '9';
}

static bool departement(const char *s)
{
        int n;

        if (s[0] == '2' && (s[1] == 'A' || s[1] == 'B'))
                return true;
        if (s[0] == '9' && s[1] >= 'A' && s[1] <= 'F')
                return true;
        if (!digit(s[0]) || !digit(s[1]))
                return false;
        n = (s[0] - '0') * 10 + (s[1] - '0');
        /* 20 was Corsica before 1976; 96 was never used; 97 and 98 are overseas. */
        return n >= 1 && n <= 98 && n != 20 && n != 96;
}

/* Luhn over the nine digits, the key included: every second digit from the
 * right is doubled, and the sum must end in 0. */
static bool luhn(const char *s)
{
        int sum = 0;

        for (int i = 8, k = 0; i >= 0; i--, k++) {
                int d = s[i] - '0';
                if (k % 2 == 1) {
                        d *= 2;
                        if (d > 9)
                                d -= 9;
                }
                sum += d;
        }
        return sum % 10 == 0;
}

int finess_check(const char *s, const char **why)
{
        const char *reason = NULL;
        bool all_digits = true;

        if (!s || strlen(s) != 9) {
                reason = "a FINESS number has 9 characters";
        } else {
                for (int i = 0; i < 9; i++) {
                        if (i >= 2 && !digit(s[i]))
                                reason = "only the first two characters of a FINESS number may "
                                         "be letters";
                        all_digits = all_digits && digit(s[i]);
                }
                if (!reason && !departement(s))
                        reason = "the first two characters are not a département";
                else if (!reason && all_digits && !luhn(s))
                        reason = "the check digit (Luhn key) is wrong";
        }
        if (why)
                *why = reason;
        return reason ? -EINVAL : 0;
}
