/* ckpt.h — cofund's use of C2SP checkpoints (DESIGN §4, pinned):
 *
 *   origin  = "cofund/" || hex(net[0..8]) || "/" || hex(author)
 *   text    = origin "\n" size "\n" base64(root) "\n"
 *   signed by the author's Ed25519 key under the key name = origin.
 */
#ifndef COFUND_CKPT_H
#define COFUND_CKPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "note.h"

/* "cofund/" + 16 + "/" + 64 + NUL */
#define CKPT_ORIGIN_BYTES (7 + 16 + 1 + 64 + 1)
/* A signed checkpoint by one key: text (~150 bytes) + one signature line. */
#define CKPT_SIGNED_BYTES_MAX NOTE_BYTES_MAX

/* Checkpoint spans. The author signs a checkpoint, inside the append
 * transaction, as soon as the entries appended since its previous checkpoint
 * reach CKPT_SPAN_ENTRIES_MAX entries or CKPT_SPAN_BYTES_MAX bytes of entry
 * encoding, and at the end of every append batch. A span therefore holds at
 * most 1024 entries and less than 512 KiB plus one entry (16 KiB), so any
 * feed can be served span by span in batches that each verify against their
 * own signed checkpoint and fit one network frame (crypto/handshake.h
 * HS_FRAME_PLAIN_MAX, 1 MiB) with room to spare for per-entry framing, the
 * checkpoint and a consistency proof (ckpt.c asserts it). 1024 entries also
 * bound a batch's rule work when entries are small, for one signature (and
 * ~250 stored bytes) per 1024 entries. Feeds signed before spans existed are
 * not rewritten: their spans are whatever their append batches were. */
#define CKPT_SPAN_ENTRIES_MAX 1024
#define CKPT_SPAN_BYTES_MAX (512u * 1024)

/* True when a span of `entries` entries totalling `bytes` bytes, counted
 * from the previous checkpoint, has reached a limit: the author signs a
 * checkpoint at its end. */
bool ckpt_span_full(uint64_t entries, uint64_t bytes);

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
