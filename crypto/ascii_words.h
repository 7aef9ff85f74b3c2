/* ascii_words.h — eight bytes of text checked at once (internal to crypto/):
 * the fast paths of the UTF-8 checks of long texts (cbor_utf8_valid, a
 * signed note's characters and key names), which are mostly ASCII. Each
 * test is exact for the eight bytes it is given; a word that fails goes to
 * the byte-wise check, so accept and reject stay those of the byte-wise
 * code (tests/unit/test_fast_paths.c compares both). Short texts never take
 * these paths: for them the setup costs more than it saves. */
#ifndef COFUND_ASCII_WORDS_H
#define COFUND_ASCII_WORDS_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* Texts shorter than this are checked byte by byte only. */
#define ASCII_WORDS_MIN 16

#define ASCII_W_ONES UINT64_C(0x0101010101010101)
#define ASCII_W_HIGH UINT64_C(0x8080808080808080)
#define ASCII_W_LOW7 UINT64_C(0x7f7f7f7f7f7f7f7f)

static inline uint64_t ascii_word(const void *p)
{
    uint64_t w;
    memcpy(&w, p, sizeof w);
    return w;
}

/* The high bit of each byte of w (all bytes < 0x80) that is not zero:
 * adding 0x7f to a byte below 0x80 never carries into the next. */
static inline uint64_t ascii_w_nonzero(uint64_t w)
{
    return (((w & ASCII_W_LOW7) + ASCII_W_LOW7) | w) & ASCII_W_HIGH;
}

/* Eight ASCII bytes. */
static inline bool ascii_w_ascii(uint64_t w)
{
    return (w & ASCII_W_HIGH) == 0;
}

/* Eight ASCII bytes, none a control character but '\n' (a note's text). */
static inline bool ascii_w_note_text(uint64_t w)
{
    if (!ascii_w_ascii(w)) return false;
    /* '\n' becomes 0x2a; then a byte is below 0x20 iff its bits 0x60 are 0. */
    uint64_t nl = ~ascii_w_nonzero(w ^ (ASCII_W_ONES * '\n')) & ASCII_W_HIGH;
    return ascii_w_nonzero((w | nl >> 2) & (ASCII_W_ONES * 0x60)) == ASCII_W_HIGH;
}

/* Eight ASCII bytes, each above ' ' and none '+' (a note's key name). */
static inline bool ascii_w_note_name(uint64_t w)
{
    if (!ascii_w_ascii(w)) return false;
    /* b + 0x5f has its high bit set iff b > 0x20 (no carry: b < 0x80). */
    return ((w + ASCII_W_ONES * 0x5f) & ASCII_W_HIGH) == ASCII_W_HIGH &&
           ascii_w_nonzero(w ^ (ASCII_W_ONES * '+')) == ASCII_W_HIGH;
}

#endif
