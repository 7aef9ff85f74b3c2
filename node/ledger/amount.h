/* amount.h — money in fen (0.01 yuan) as int64, and its text forms.
 *
 * Accepted input: "300000", "300,000", "300,000.00", "300000.5", "30万",
 * "1.5万" (万 = 10,000 yuan). Commas, when used, must group the integer part
 * in threes. Fractions may not go below one fen. The value must be a positive
 * amount of at most AMOUNT_FEN_MAX (10^15 fen); amounts are never negative.
 */
#ifndef COFUND_AMOUNT_H
#define COFUND_AMOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest formatted amount: "-9,223,372,036,854,775.80" plus NUL. */
#define AMOUNT_TEXT_BYTES 32

/* CF_OK, or CF_EFORMAT (not an amount) / CF_ERANGE (zero or over 10^15 fen). */
int amount_parse(const char *s, int64_t *fen);
/* "600,000.00" (grouped, for people). */
void amount_format(int64_t fen, char out[AMOUNT_TEXT_BYTES]);
/* "600000.00" (for JSON and CSV, where money is a decimal string). */
void amount_format_plain(int64_t fen, char out[AMOUNT_TEXT_BYTES]);
/* A count with thousands separators: 1234567 -> "1,234,567". */
void amount_format_count(uint64_t n, char out[AMOUNT_TEXT_BYTES]);
/* *out = a + b; false (and *out untouched) on int64 overflow. */
bool amount_add(int64_t a, int64_t b, int64_t *out);

#endif
