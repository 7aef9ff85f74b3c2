/* ckpt.h — cofund's use of C2SP checkpoints (DESIGN §4, pinned):
 *
 *   origin  = "cofund/" || hex(net[0..8]) || "/" || hex(author)
 *   text    = origin "\n" size "\n" base64(root) "\n"
 *   signed by the author's Ed25519 key under the key name = origin.
 */
#ifndef COFUND_CKPT_H
#define COFUND_CKPT_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "note.h"

/* "cofund/" + 16 + "/" + 64 + NUL */
#define CKPT_ORIGIN_BYTES (7 + 16 + 1 + 64 + 1)
/* A signed checkpoint by one key: text (~150 bytes) + one signature line. */
#define CKPT_SIGNED_BYTES_MAX NOTE_BYTES_MAX

void ckpt_origin(const uint8_t net[32], const uint8_t author[32],
                 char out[CKPT_ORIGIN_BYTES]);

/* Sign the checkpoint (size, root) of author's feed; out receives the
 * NUL-terminated signed note. sk is the author's libsodium secret key. */
int ckpt_sign(const uint8_t net[32], const uint8_t author[32], const uint8_t sk[64],
              uint64_t size, const uint8_t root[32], char *out, size_t cap,
              size_t *out_len);

/* Parse and verify a signed checkpoint of author's feed in network net:
 * strict note and checkpoint syntax, origin exactly as above, a valid
 * signature by author under that name. On success *cp (pointing into note)
 * holds size and root. CF_EVERIFY with d explaining otherwise. */
int ckpt_verify(const char *note_text, size_t len, const uint8_t net[32],
                const uint8_t author[32], checkpoint *cp, diag *d);

/* Like ckpt_verify, but takes the network prefix and author from the
 * origin (for evidence checked without a home): net8 receives the 8 bytes of
 * network id in the origin. */
int ckpt_verify_self(const char *note_text, size_t len, uint8_t net8[8],
                     uint8_t author[32], checkpoint *cp, diag *d);

#endif
