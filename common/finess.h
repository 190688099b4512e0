/* finess.h - checking a FINESS number, the national identifier of French
 * health and social-care establishments.
 *
 * Nine characters; the first two are the département (2A/2B for Corsica,
 * 9A-9F for the overseas départements in FINESS's own coding); when all nine
 * are digits, the last is a Luhn key over the other eight. */
#ifndef HYGIE_FINESS_H
#define HYGIE_FINESS_H

/* 0 when s is a valid FINESS number, else -EINVAL with *why (may be NULL)
 * set to a plain English reason. */
int finess_check(const char *s, const char **why);

#endif
