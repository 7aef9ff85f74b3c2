/* note.h — C2SP signed notes (signed-note), checkpoints (tlog-checkpoint),
 * Ed25519 cosignatures (tlog-cosignature, cosignature/v1), verifier keys,
 * and transparency-log proofs (tlog-proof@v1).
 *
 * A signed note is: text (one or more lines, each ending in '\n'), a blank
 * line, then one or more lines "— <name> <base64(keyid4 || signature)>\n".
 * Key ID = SHA-256(name || 0x0A || type || public key)[:4]; type 0x01 for
 * Ed25519 note signatures, 0x04 for cosignature/v1 (whose signature bytes
 * are an 8-byte big-endian timestamp followed by the 64-byte signature, over
 * "cosignature/v1\ntime <t>\n" || note text).
 *
 * The parser handles untrusted bytes: it is zero-copy (pointers into the
 * input), rejects control characters other than '\n', invalid UTF-8, empty
 * or malformed key names, bad base64, lines out of structure, notes larger
 * than NOTE_BYTES_MAX, and reads at most NOTE_SIGS_MAX signature lines
 * (more is CF_ENOTE_TOO_MANY_SIGS).
 */
#ifndef COFUND_NOTE_H
#define COFUND_NOTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A checkpoint note is ~250 bytes plus ~120 per signature; 16 signatures fit
 * in 4 KiB with room for long origins. */
#define NOTE_BYTES_MAX 8192
/* The signed-note spec requires verifiers to accept at least 16. */
#define NOTE_SIGS_MAX 16
/* Key names: long enough for cofund origins (7 + 16 + 1 + 64 + 1 = 89). */
#define NOTE_NAME_BYTES_MAX 256
/* Signature payload after the 4-byte key ID: 64 (Ed25519) or 72 (cosig). */
#define NOTE_SIG_BYTES_MAX 72

#define NOTE_SIGTYPE_ED25519 0x01
#define NOTE_SIGTYPE_COSIG_V1 0x04

typedef struct {
    const char *name; /* points into the note; not NUL-terminated */
    size_t name_len;
    uint32_t key_id;
    uint8_t sig[NOTE_SIG_BYTES_MAX]; /* bytes after the key ID */
    size_t sig_len;
    const char *line; /* the whole signature line, including its '\n' */
    size_t line_len;
} note_sig;

typedef struct {
    const char *text; /* the note text, including its final '\n' */
    size_t text_len;
    size_t nsigs;
    note_sig sigs[NOTE_SIGS_MAX];
} note;

/* Parse an untrusted signed note occupying exactly msg[0..len). */
int note_parse(const char *msg, size_t len, note *out);

/* Key ID of (name, type, 32-byte public key). */
uint32_t note_key_id(const char *name, size_t name_len, uint8_t sig_type,
                     const uint8_t pk[32]);

/* true when name is a valid key name (non-empty, valid UTF-8, no spaces,
 * no '+', no control characters). */
bool note_name_valid(const char *name, size_t name_len);

/* Sign text (which must end in '\n' and be valid note text) with an Ed25519
 * key; writes "text\n— name base64(...)\n" NUL-terminated into out. */
int note_sign(const char *text, size_t text_len, const char *name,
              const uint8_t sk[64], char *out, size_t cap, size_t *out_len);

/* Verify that the parsed note carries a valid Ed25519 (type 0x01) signature
 * by (name, pk). CF_ENOTE_NO_SIG when no line matches name and key ID;
 * CF_ENOTE_BAD_SIG when a matching line fails to verify. */
int note_verify(const note *n, const char *name, size_t name_len,
                const uint8_t pk[32]);

/* cosignature/v1: produce the signature line (NUL-terminated, ending '\n')
 * for the note text at POSIX time `timestamp` (seconds). */
int note_cosign(const char *text, size_t text_len, const char *name,
                const uint8_t sk[64], uint64_t timestamp, char *line,
                size_t cap, size_t *line_len);
/* Verify a cosignature/v1 by (name, pk) on the parsed note; on success
 * *timestamp receives its time. Errors as note_verify. */
int note_verify_cosig(const note *n, const char *name, size_t name_len,
                      const uint8_t pk[32], uint64_t *timestamp);

/* Verifier key "<name>+<keyid hex8>+<base64(type || pk)>" for Ed25519
 * (type 0x01). Format writes a NUL-terminated string. Parse checks the key ID
 * matches the name and key, and that the type is 0x01; name is copied and
 * NUL-terminated (name_cap >= NOTE_NAME_BYTES_MAX + 1 always suffices). */
int note_vkey_format(const char *name, const uint8_t pk[32], char *out,
                     size_t cap);
int note_vkey_parse(const char *vkey, size_t len, char *name, size_t name_cap,
                    uint8_t pk[32]);

/* ---- Checkpoints (tlog-checkpoint) -------------------------------------- */
#define CKPT_ORIGIN_BYTES_MAX 256

typedef struct {
    const char *origin; /* into the text; not NUL-terminated */
    size_t origin_len;
    uint64_t size;
    uint8_t root[32];
    size_t ext_lines; /* number of extension lines (kept, not interpreted) */
} checkpoint;

/* Parse a note text (not the whole signed note) as a checkpoint: origin,
 * decimal size without leading zeros, base64 root of exactly 32 bytes, then
 * optional non-empty extension lines. */
int checkpoint_parse(const char *text, size_t len, checkpoint *out);
/* Format "origin\nsize\nbase64(root)\n" NUL-terminated. */
int checkpoint_format(const char *origin, uint64_t size, const uint8_t root[32],
                      char *out, size_t cap, size_t *out_len);

/* ---- tlog-proof@v1 -------------------------------------------------------
 *   c2sp.org/tlog-proof@v1
 *   [extra <base64>]
 *   index <n>
 *   <base64 hash>            zero or more, leaf's sibling first
 *   <blank line>
 *   <signed checkpoint, verbatim>
 */
#define TLOGPROOF_EXTRA_BYTES_MAX 16384 /* one entry (ENTRY_BYTES_MAX) */

typedef struct {
    const char *extra_b64; /* NULL when absent; base64 text into the input */
    size_t extra_b64_len;
    uint64_t index;
    size_t nhashes;
    uint8_t hashes[64][32];
    const char *checkpoint; /* the signed checkpoint note, into the input */
    size_t checkpoint_len;
} tlog_proof;

int tlog_proof_parse(const char *msg, size_t len, tlog_proof *out);
/* Writes the proof text, NUL-terminated. extra may be NULL. */
int tlog_proof_format(const uint8_t *extra, size_t extra_len, uint64_t index,
                      const uint8_t hashes[][32], size_t nhashes,
                      const char *signed_checkpoint, size_t ckpt_len, char *out,
                      size_t cap, size_t *out_len);

#endif
