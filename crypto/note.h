/* note.h — C2SP signed notes (signed-note), checkpoints (tlog-checkpoint),
 * Ed25519 cosignatures (tlog-cosignature, cosignature/v1), verifier keys,
 * and transparency-log proofs (tlog-proof@v1).
 *
 * A signed note is: text (one or more lines, each ending in '\n'), a blank
 * line, then one or more lines "— <name> <base64(keyid4 || signature)>\n".
 * The text is separated from the signatures by the LAST blank line, so the
 * text may itself contain blank lines. Key ID = SHA-256(name || 0x0A || type
 * || public key)[:4]; type 0x01 for Ed25519 note signatures, 0x04 for
 * cosignature/v1 (whose signature bytes are an 8-byte big-endian timestamp
 * followed by the 64-byte signature, over "cosignature/v1\ntime <t>\n" ||
 * note text).
 *
 * The parser handles untrusted bytes: it is zero-copy (pointers into the
 * input), rejects control characters other than '\n', invalid UTF-8, empty
 * or malformed key names, bad or non-canonical base64, lines out of
 * structure, notes larger than NOTE_BYTES_MAX, and reads at most
 * NOTE_SIGS_MAX signature lines (more is CF_ENOTE_TOO_MANY_SIGS).
 *
 * Deliberate limits beyond the spec (cofund only produces and needs Ed25519
 * and cosignature/v1): a signature payload must be 1..NOTE_SIG_BYTES_MAX
 * bytes and a key name at most NOTE_NAME_BYTES_MAX bytes, so a note carrying
 * e.g. an ML-DSA cosignature (2420 bytes) is rejected as malformed rather
 * than ignored.
 *
 * Pointers in parsed structs point into the caller's input and stay valid as
 * long as that buffer does. Every output is written only on success.
 * Functions return CF_OK or a negative CF_E* code (cf_error.h); a NULL
 * pointer argument is CF_EINVAL.
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

/* Buffer sizes that always suffice for the formatters below (NUL included).
 * A signature line is "— " (4 bytes), a name, a space, base64 of at most
 * 4 + NOTE_SIG_BYTES_MAX bytes (104 chars) and '\n'. */
#define NOTE_SIG_LINE_BYTES_MAX (4 + NOTE_NAME_BYTES_MAX + 1 + 104 + 1 + 1)
/* name '+' 8 hex '+' base64(33 bytes) = 44 chars. */
#define NOTE_VKEY_BYTES_MAX (NOTE_NAME_BYTES_MAX + 1 + 8 + 1 + 44 + 1)

typedef struct {
    const char *name; /* points into the note; not NUL-terminated */
    size_t name_len;
    uint32_t key_id;
    uint8_t sig[NOTE_SIG_BYTES_MAX]; /* bytes after the key ID */
    size_t sig_len;                  /* 1..NOTE_SIG_BYTES_MAX */
    const char *line; /* the whole signature line, including its '\n' */
    size_t line_len;
} note_sig;

typedef struct {
    const char *text; /* the note text, including its final '\n' */
    size_t text_len;
    size_t nsigs; /* 1..NOTE_SIGS_MAX, in input order */
    note_sig sigs[NOTE_SIGS_MAX];
} note;

/* Parse an untrusted signed note occupying exactly msg[0..len).
 * CF_ETOOBIG when len > NOTE_BYTES_MAX, CF_ENOTE_TOO_MANY_SIGS for more than
 * NOTE_SIGS_MAX signature lines, CF_ENOTE_FORMAT for any other defect.
 * Parsing verifies nothing: call note_verify before trusting the text. */
int note_parse(const char *msg, size_t len, note *out);

/* Key ID of (name, type, 32-byte public key). */
uint32_t note_key_id(const char *name, size_t name_len, uint8_t sig_type,
                     const uint8_t pk[32]);

/* true when name is a valid key name (1..NOTE_NAME_BYTES_MAX bytes of valid
 * UTF-8, no Unicode White_Space, no '+', no control characters). */
bool note_name_valid(const char *name, size_t name_len);

/* Sign text (which must be non-empty, end in '\n' and be valid note text)
 * with an Ed25519 key (libsodium form: seed || pk); `name` is NUL-terminated.
 * Writes "text\n— name base64(...)\n" NUL-terminated into out (out may be
 * text itself). CF_EINVAL for invalid text or name; CF_ETOOBIG when the note
 * would exceed NOTE_BYTES_MAX or out[cap] is short. */
int note_sign(const char *text, size_t text_len, const char *name,
              const uint8_t sk[64], char *out, size_t cap, size_t *out_len);

/* Verify that the parsed note carries a valid Ed25519 (type 0x01) signature
 * by (name, pk). Lines with another name or key ID are ignored; every line
 * that matches both must verify. CF_ENOTE_NO_SIG when no line matches;
 * CF_ENOTE_BAD_SIG when a matching line fails to verify (or has the wrong
 * length); CF_EINVAL when name is not a valid key name. */
int note_verify(const note *n, const char *name, size_t name_len,
                const uint8_t pk[32]);

/* cosignature/v1: produce the signature line (NUL-terminated, ending '\n')
 * for the note text at POSIX time `timestamp` (seconds, at most 2^63 - 1,
 * else CF_ERANGE). Appending the line to a signed note adds the cosignature.
 * NOTE_SIG_LINE_BYTES_MAX always suffices for cap. */
int note_cosign(const char *text, size_t text_len, const char *name,
                const uint8_t sk[64], uint64_t timestamp, char *line,
                size_t cap, size_t *line_len);
/* Verify a cosignature/v1 by (name, pk) on the parsed note; on success
 * *timestamp receives its time (the first matching line's). Errors as
 * note_verify; a timestamp over 2^63 - 1 is CF_ENOTE_BAD_SIG. */
int note_verify_cosig(const note *n, const char *name, size_t name_len,
                      const uint8_t pk[32], uint64_t *timestamp);

/* Verifier key "<name>+<keyid hex8>+<base64(type || pk)>" for Ed25519
 * (type 0x01). Format writes a NUL-terminated string (name NUL-terminated;
 * NOTE_VKEY_BYTES_MAX always suffices). Parse checks the key ID matches the
 * name and key, and that the type is 0x01; it accepts only the canonical
 * form (lowercase hex, strict base64), else CF_EVKEY_FORMAT. name is copied
 * and NUL-terminated (name_cap >= NOTE_NAME_BYTES_MAX + 1 always suffices,
 * else CF_ETOOBIG). */
int note_vkey_format(const char *name, const uint8_t pk[32], char *out,
                     size_t cap);
int note_vkey_parse(const char *vkey, size_t len, char *name, size_t name_cap,
                    uint8_t pk[32]);
/* The same for either Ed25519 type: 0x01 (note signer) or 0x04 (cosigner
 * key, as tlog-cosignature allows). Parse returns the type in *sig_type. */
int note_vkey_format_typed(const char *name, uint8_t sig_type,
                           const uint8_t pk[32], char *out, size_t cap);
int note_vkey_parse_typed(const char *vkey, size_t len, char *name,
                          size_t name_cap, uint8_t *sig_type, uint8_t pk[32]);

/* Strict text values shared by checkpoints and tlog proofs (CF_EFORMAT on
 * any defect): an ASCII decimal with no leading zeros ("0" alone allowed)
 * that fits in 64 bits, and a base64 string of exactly 32 bytes. */
int note_decimal_parse(const char *s, size_t len, uint64_t *out);
int note_hash_parse(const char *s, size_t len, uint8_t out[32]);

/* ---- Checkpoints (tlog-checkpoint) -------------------------------------- */
/* Cofund origins are 89 bytes (DESIGN §4); other logs' are URL-like. */
#define CKPT_ORIGIN_BYTES_MAX 256

typedef struct {
    const char *origin; /* into the text; not NUL-terminated */
    size_t origin_len;
    uint64_t size;
    uint8_t root[32];
    size_t ext_lines; /* number of extension lines (kept, not interpreted) */
} checkpoint;

/* Parse a note text (not the whole signed note) as a checkpoint: origin
 * (1..CKPT_ORIGIN_BYTES_MAX bytes), decimal size without leading zeros,
 * base64 root of exactly 32 bytes, then optional non-empty extension lines;
 * every line ends in '\n'. CF_ECKPT_FORMAT on any defect. */
int checkpoint_parse(const char *text, size_t len, checkpoint *out);
/* Format "origin\nsize\nbase64(root)\n" NUL-terminated (origin
 * NUL-terminated; CF_EINVAL if it is not a valid origin). */
int checkpoint_format(const char *origin, uint64_t size, const uint8_t root[32],
                      char *out, size_t cap, size_t *out_len);
/* Parse a signed checkpoint, verify its Ed25519 signature by (name, pk) with
 * note_verify, then parse its text. Nothing is parsed from an unverified
 * text. *n and *c are written on success; c->origin points into msg. The
 * caller decides whether the origin must equal the key name (cofund's rule,
 * DESIGN §4). */
int checkpoint_open(const char *msg, size_t len, const char *name,
                    size_t name_len, const uint8_t pk[32], note *n,
                    checkpoint *c);

/* ---- tlog-proof@v1 -------------------------------------------------------
 *   c2sp.org/tlog-proof@v1
 *   [extra <base64>]
 *   index <n>
 *   <base64 hash>            zero or more, leaf's sibling first
 *   <blank line>
 *   <signed checkpoint, verbatim>
 */
#define TLOGPROOF_EXTRA_BYTES_MAX 16384 /* one entry (ENTRY_BYTES_MAX) */
/* An inclusion proof in a tree of fewer than 2^64 leaves has at most 64
 * hashes. */
#define TLOGPROOF_HASHES_MAX 64
/* Header, extra, index, hash lines, blank line and the largest note; the
 * limit is checked before anything else. */
#define TLOGPROOF_BYTES_MAX                                                   \
    (23 + 6 + (TLOGPROOF_EXTRA_BYTES_MAX + 2) / 3 * 4 + 1 + 6 + 20 + 1 +      \
     TLOGPROOF_HASHES_MAX * 45 + 1 + NOTE_BYTES_MAX)

typedef struct {
    const char *extra_b64; /* NULL when absent; base64 text into the input */
    size_t extra_b64_len;
    uint64_t index;
    size_t nhashes;
    uint8_t hashes[TLOGPROOF_HASHES_MAX][32];
    const char *checkpoint; /* the signed checkpoint note, into the input */
    size_t checkpoint_len;
} tlog_proof;

/* Parse an untrusted proof occupying exactly msg[0..len). The checkpoint
 * must parse with note_parse and its text with checkpoint_parse (their
 * errors are returned as they are); an extra line must carry 1 to
 * TLOGPROOF_EXTRA_BYTES_MAX bytes; anything else out of form is
 * CF_ETLOGPROOF_FORMAT, a proof over TLOGPROOF_BYTES_MAX is CF_ETOOBIG.
 * Nothing is verified: verify the checkpoint's signatures and the inclusion
 * proof (merkle_verify_inclusion) before trusting it. The form is canonical:
 * tlog_proof_format of the parsed values reproduces the input exactly. */
int tlog_proof_parse(const char *msg, size_t len, tlog_proof *out);
/* Decode the extra data of a parsed proof into out[cap] (cap >=
 * TLOGPROOF_EXTRA_BYTES_MAX always suffices); *out_len = 0 when absent. */
int tlog_proof_extra(const tlog_proof *p, uint8_t *out, size_t cap,
                     size_t *out_len);
/* Writes the proof text, NUL-terminated. extra may be NULL (or extra_len 0):
 * no extra line. The checkpoint must be a signed note whose text is a
 * checkpoint (else its parse error); TLOGPROOF_BYTES_MAX + 1 always suffices
 * for cap, else CF_ETOOBIG. */
int tlog_proof_format(const uint8_t *extra, size_t extra_len, uint64_t index,
                      const uint8_t hashes[][32], size_t nhashes,
                      const char *signed_checkpoint, size_t ckpt_len, char *out,
                      size_t cap, size_t *out_len);

#endif
