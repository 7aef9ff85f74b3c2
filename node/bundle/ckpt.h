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

#include "crypto/note.h"
#include "ledger/diag.h"

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

/* ---- Cosignatures (witnesses; docs/format.md "Cosignatures") -------------
 * A member witnesses another member's checkpoint with a C2SP cosignature/v1
 * line (key type 0x04) whose key name is the witness's own feed origin. A
 * stored checkpoint is kept in one form: its text, the blank line, the
 * author's signature line, then at most CKPT_COSIGS_MAX cosignature lines by
 * distinct keys, sorted by key (their names differ only in the key's hex).
 * Which lines may be kept (members only, verified) is the caller's decision
 * (ingest.h); these functions only build and take apart the text. */

/* The signed-note limit (NOTE_SIGS_MAX) less the author's own line. */
#define CKPT_COSIGS_MAX (NOTE_SIGS_MAX - 1)
/* A cosignature line: "— " (4 bytes), the origin, a space, base64 of
 * key id (4), timestamp (8) and signature (64) (104 chars), '\n'. */
#define CKPT_COSIG_LINE_BYTES (4 + CKPT_ORIGIN_BYTES - 1 + 1 + 104 + 1)
/* The largest stored checkpoint: text (origin, a 20-digit size, a 44-char
 * root, each with '\n'), the blank line, the author's line (base64 of 68
 * bytes: 92 chars) and CKPT_COSIGS_MAX cosignature lines. */
#define CKPT_STORED_BYTES_MAX                                                  \
    ((CKPT_ORIGIN_BYTES + 21 + 45) + 1 + (4 + CKPT_ORIGIN_BYTES + 92 + 1) +  \
     CKPT_COSIGS_MAX * CKPT_COSIG_LINE_BYTES)
_Static_assert(CKPT_STORED_BYTES_MAX <= NOTE_BYTES_MAX,
               "a checkpoint with every cosignature it may keep is a valid note");

/* The key named by an origin of network net ("cofund/<hex of net[0..8]>/
 * <64 hex>", lowercase exactly as ckpt_origin writes it); false for any
 * other name. */
bool ckpt_origin_key(const uint8_t net[32], const char *name, size_t name_len,
                     uint8_t key[32]);

/* Signature lines in a signed note's bytes (lines that start with "— "),
 * counted without parsing: 2 or more means it carries cosignatures (or
 * other lines) besides its author's signature. */
size_t ckpt_sig_lines(const char *note_text, size_t len);

/* Index in n->sigs of the author's signature line (key name `origin`, key
 * id of type 0x01 for author), or -1. Which line, not whether it verifies. */
int ckpt_author_sig(const note *n, const char *origin, const uint8_t author[32]);

/* The witness's cosignature line over the parsed note's text: key name =
 * the witness's origin in net (its public key is sk's second half), at
 * POSIX time time_s. line[cap] receives it NUL-terminated (cap >
 * CKPT_COSIG_LINE_BYTES always suffices). */
int ckpt_cosign(const note *n, const uint8_t net[32], const uint8_t sk[64], uint64_t time_s,
                char *line, size_t cap, size_t *line_len);

/* One cosignature line, checked by the caller. */
typedef struct {
    uint8_t key[32];  /* the key its name names */
    uint64_t time_s;  /* its timestamp */
    const char *line; /* the whole line with its '\n' (borrowed) */
    size_t line_len;
    unsigned tag;     /* the caller's (where the line came from) */
} ckpt_cosig;

/* Write the stored form of a checkpoint: text (ending in '\n'), the blank
 * line, author_line (with its '\n'), then cosignature lines chosen from
 * cs[0..n): per key, the earliest line (smallest time, then smallest bytes);
 * of those, the CKPT_COSIGS_MAX earliest (time, then key); sorted by key.
 * cs is reordered: on return its first *kept items are the lines written.
 * Every choice depends only on the set of lines given, so homes that merged
 * the same lines in any order write the same bytes. out[cap] receives the
 * note, NUL-terminated (it must not overlap the inputs); CF_ETOOBIG when it
 * does not fit. */
int ckpt_assemble(const char *text, size_t text_len, const char *author_line,
                  size_t author_line_len, ckpt_cosig *cs, size_t n, char *out, size_t cap,
                  size_t *out_len, size_t *kept);

#endif
