/* diag.h — an error code with the words a user needs: which rule, which
 * entry, which numbers.
 *
 * Functions that can reject user or peer input take a `diag *` and fill it
 * with diag_set(), which returns the code so call sites read
 *   return diag_set(d, CF_EREJECTED, "R-MATCH.4", "match %s exceeds ...", ...);
 * The rule ID (possibly empty) is kept apart from the text so tests and
 * tools can match on it; diag_format() joins them the way the CLI prints
 * them: "rejected by R-MATCH.4: match 600,000.00 exceeds ...".
 *
 * The text is in the process's language (crypto/cf_i18n.h): diag_set and
 * diag_prefix look their format up in the catalogue (scripts/i18n extracts
 * every literal format they are given), so the rule ID is the one part of a
 * message that reads the same in every language.
 */
#ifndef COFUND_DIAG_H
#define COFUND_DIAG_H

#include <stddef.h>

#define DIAG_RULE_BYTES 24
#define DIAG_TEXT_BYTES 512

typedef struct {
    int code;                    /* CF_OK or a negative cf_error code */
    char rule[DIAG_RULE_BYTES];  /* "R-MATCH.4", or "" when no rule applies */
    char text[DIAG_TEXT_BYTES];  /* one line, no trailing newline */
} diag;

void diag_clear(diag *d);
/* Set code, rule (may be NULL) and a printf-style message; returns code.
 * d may be NULL (the message is then dropped). */
int diag_set(diag *d, int code, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Prefix the existing text with "<prefix>: " (e.g. the feed and index). */
void diag_prefix(diag *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* "rejected by R-X: text", or just "text" (or the code's message when the
 * text is empty) when no rule is set. */
void diag_format(const diag *d, char *out, size_t cap);

#endif
