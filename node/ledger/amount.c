/* amount.c — see amount.h. */
#include "amount.h"

#include <stdio.h>
#include <string.h>

#include "crypto/cf_error.h"
#include "entry.h"

#define WAN_UTF8 "\xe4\xb8\x87" /* 万 */

int amount_parse(const char *s, int64_t *fen)
{
    size_t n = strlen(s);
    unsigned scale = 2; /* decimal digits from the unit to fen */
    if (n > strlen(WAN_UTF8) && strcmp(s + n - strlen(WAN_UTF8), WAN_UTF8) == 0) {
        n -= strlen(WAN_UTF8);
        scale = 6;
    }
    if (n == 0) return CF_EFORMAT;

    /* Integer part: digits, optionally grouped by commas in threes. */
    size_t i = 0, digits = 0, group = 0;
    bool grouped = false, over = false;
    uint64_t whole = 0;
    const uint64_t limit = (uint64_t)AMOUNT_FEN_MAX; /* units never exceed fen */
    for (; i < n && s[i] != '.'; i++) {
        char c = s[i];
        if (c == ',') {
            if (digits == 0 || (grouped ? group != 3 : group > 3)) return CF_EFORMAT;
            grouped = true;
            group = 0;
            continue;
        }
        if (c < '0' || c > '9') return CF_EFORMAT;
        /* Past the limit keep checking the form (a malformed string is a
         * format error however long), but stop growing the value. */
        if (!over) whole = whole * 10 + (uint64_t)(c - '0');
        over = over || whole > limit;
        digits++;
        group++;
    }
    if (digits == 0 || (grouped && group != 3)) return CF_EFORMAT;

    /* Fraction: at most `scale` digits (no sub-fen amounts). */
    uint64_t frac = 0;
    unsigned nfrac = 0;
    if (i < n) {
        i++; /* '.' */
        if (i == n) return CF_EFORMAT;
        for (; i < n; i++) {
            char c = s[i];
            if (c < '0' || c > '9' || nfrac == scale) return CF_EFORMAT;
            frac = frac * 10 + (uint64_t)(c - '0');
            nfrac++;
        }
    }
    if (over) return CF_ERANGE;
    uint64_t value = whole;
    for (unsigned k = 0; k < scale; k++) {
        if (value > limit / 10) return CF_ERANGE;
        value *= 10;
    }
    for (unsigned k = nfrac; k < scale; k++) frac *= 10;
    value += frac;
    if (value == 0 || value > limit) return CF_ERANGE;
    *fen = (int64_t)value;
    return CF_OK;
}

/* n's digits into p, grouped by three when group; returns the end. */
static char *digits_out(uint64_t n, bool group, char *p)
{
    char digits[24];
    int nd = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
    for (int k = 0; k < nd; k++) {
        if (group && k > 0 && (nd - k) % 3 == 0) *p++ = ',';
        *p++ = digits[k];
    }
    *p = '\0';
    return p;
}

static void format(int64_t fen, bool group, char out[AMOUNT_TEXT_BYTES])
{
    uint64_t mag = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    char *p = out;
    if (fen < 0) *p++ = '-';
    p = digits_out(mag / 100, group, p);
    snprintf(p, (size_t)(out + AMOUNT_TEXT_BYTES - p), ".%02u", (unsigned)(mag % 100));
}

void amount_format_count(uint64_t n, char out[AMOUNT_TEXT_BYTES])
{
    digits_out(n, true, out);
}

void amount_format(int64_t fen, char out[AMOUNT_TEXT_BYTES])
{
    format(fen, true, out);
}

void amount_format_plain(int64_t fen, char out[AMOUNT_TEXT_BYTES])
{
    format(fen, false, out);
}

bool amount_add(int64_t a, int64_t b, int64_t *out)
{
    if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b)) return false;
    *out = a + b;
    return true;
}
