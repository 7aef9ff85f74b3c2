/* fuzz_note.c — libFuzzer target: note_parse, then the note's signatures
 * (note_verify, note_verify_cosig against a fixed key, which the seed corpus
 * uses) and checkpoint_parse of its text; checkpoint_parse and
 * note_vkey_parse_typed of the raw input. Canonical forms: a parsed
 * checkpoint without extension lines and a parsed verifier key must format
 * back to exactly the bytes they came from (abort otherwise). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/cf_util.h"
#include "crypto/note.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    static uint8_t pk[32], sk[64], seed[32] = {1};
    static char out[NOTE_BYTES_MAX + 1], name[NOTE_NAME_BYTES_MAX + 1];
    static note nt;
    static int ready;
    const char *s = (const char *)d;
    checkpoint c;
    uint8_t key[32], type;
    uint64_t ts;
    size_t len;
    if (!ready && (cf_crypto_init() != 0 ||
                   cf_ed25519_keypair_from_seed(seed, pk, sk) != 0))
        abort();
    ready = 1;
    if (note_parse(s, n, &nt) == 0) {
        for (size_t i = 0; i < nt.nsigs; i++) {
            note_verify(&nt, nt.sigs[i].name, nt.sigs[i].name_len, pk);
            note_verify_cosig(&nt, nt.sigs[i].name, nt.sigs[i].name_len, pk, &ts);
        }
        if (checkpoint_parse(nt.text, nt.text_len, &c) == 0 && c.ext_lines == 0) {
            memcpy(name, c.origin, c.origin_len);
            name[c.origin_len] = '\0';
            if (checkpoint_format(name, c.size, c.root, out, sizeof out, &len) != 0 ||
                len != nt.text_len || memcmp(out, nt.text, len) != 0)
                abort();
        }
    }
    checkpoint_parse(s, n, &c);
    if (note_vkey_parse_typed(s, n, name, sizeof name, &type, key) == 0 &&
        (note_vkey_format_typed(name, type, key, out, sizeof out) != 0 ||
         strlen(out) != n || memcmp(out, s, n) != 0))
        abort();
    return 0;
}
