/* handshake.h — the authenticated, encrypted channel between two cofund
 * nodes, as a state machine over byte buffers (no sockets: node/ moves the
 * bytes). docs/protocol.md explains the design and why it resists
 * man-in-the-middle and replay (the argument is also at the top of
 * handshake.c).
 *
 * Three messages, then an encrypted stream in each direction:
 *
 *   1. I -> R  HELLO   "cofund/hs1" (10) || net id (32) || I's ephemeral X25519 pk (32)
 *   2. R -> I  ACCEPT  R's ephemeral pk (32) || R's member key (32)
 *                      || Ed25519 sig by R over T2 (64)
 *                      || secretstream header R->I (24)
 *   3. I -> R  PROVE   I's member key (32) || Ed25519 sig by I over T3 (64)
 *                      || secretstream header I->R (24)
 *
 *   T2 = "cofund/hs1 responder" || net || eI || eR || R's member key
 *   T3 = "cofund/hs1 initiator" || net || eI || eR || R's member key || I's member key
 *
 * (both labels are 20 bytes; the signatures are Ed25519 over the transcript
 * bytes themselves, 148 and 180 bytes, not over a hash of them). The
 * secretstream headers are not signed: a tampered header only makes the
 * first frame in that direction fail.
 *
 * Session keys come from crypto_kx (I is the kx client, R the server) over
 * the ephemerals; each direction's secretstream (XChaCha20-Poly1305) is keyed
 * by that direction's session key, with the header sent in the clear inside
 * messages 2 and 3. Each signature covers both ephemerals, so a replayed
 * message fails against a fresh peer ephemeral; only holders of the member
 * keys can sign, and the session keys need the ephemeral secrets.
 *
 * Every frame, in both directions, carries H3 = SHA-256(T3) as secretstream
 * additional data. Both member keys are in T3, so the two sides can only
 * exchange frames if they agree on who both of them are: a member who
 * replaces I's key and signature in PROVE with its own (R would then believe
 * it talks to that member) gets no frame accepted on either side.
 *
 * Membership is the caller's decision: after message 2 (initiator) or 3
 * (responder) the state machine exposes the peer's member key and the caller
 * accepts or refuses it (roster check), before any frame is exchanged. A
 * caller that knows whom it expects (the initiator usually does) can say so
 * first with hs_expect_peer; the state machine then refuses anyone else.
 * A peer presenting our own member key is always refused.
 *
 * After the handshake: frames (hs_seal / hs_open) — each frame on the wire is
 * a 4-byte big-endian length then one secretstream message (TAG_MESSAGE) of
 * that length; the length is checked against HS_FRAME_BYTES_MAX before
 * anything is buffered. An empty plaintext is allowed (a 17-byte message):
 * node/ may use it as a keep-alive. The handshake itself gives implicit key
 * confirmation only: the first frame that opens proves the peer holds the
 * session keys.
 *
 * Errors. A call in the wrong state, or on a session that failed or was
 * wiped, returns CF_EINVAL; every error from hs_hello, hs_on_hello,
 * hs_on_accept, hs_on_prove, hs_expect_peer and hs_open puts the session in
 * HS_FAILED for good (drop the peer). hs_seal refusing its arguments (a NULL
 * pointer: CF_EINVAL; plaintext over HS_FRAME_PLAIN_MAX or output too small:
 * CF_ETOOBIG) leaves the session as it was; in the wrong state it fails it
 * too. hs_frame_length and hs_get_state have no session to fail.
 *
 * All secrets (a copy of the member secret key until it has signed, the
 * ephemeral secret key, the session keys, both secretstream states) live only
 * inside hs_session; hs_wipe zeroes all of it. A session must not be copied
 * while in use (two copies would seal with the same key and nonce).
 *
 * The responder signs for anyone who sends a HELLO with the right network id
 * (one key exchange and one signature each): node/ bounds handshakes in
 * flight and how long one may take.
 */
#ifndef COFUND_HANDSHAKE_H
#define COFUND_HANDSHAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HS_MAGIC "cofund/hs1"
#define HS_MAGIC_BYTES 10
#define HS_KEY_BYTES 32           /* X25519 and Ed25519 public keys, net id */
#define HS_SIG_BYTES 64           /* Ed25519 */
#define HS_STREAM_HEADER_BYTES 24 /* crypto_secretstream_xchacha20poly1305 */

#define HS_HELLO_BYTES (10 + 32 + 32)
#define HS_ACCEPT_BYTES (32 + 32 + 64 + 24)
#define HS_PROVE_BYTES (32 + 64 + 24)
/* The big-endian length in front of every frame. */
#define HS_FRAME_LEN_BYTES 4
/* secretstream adds 17 bytes (tag + MAC) to each message. */
#define HS_FRAME_OVERHEAD 17
/* The largest plaintext frame: a batch of entries (each at most 16 KiB) plus
 * its checkpoint. 1 MiB bounds a peer's read buffer. */
#define HS_FRAME_PLAIN_MAX (1u << 20)
/* The largest declared length (ciphertext, without the 4-byte prefix). */
#define HS_FRAME_BYTES_MAX (HS_FRAME_PLAIN_MAX + HS_FRAME_OVERHEAD)
/* The largest frame on the wire, prefix included: a receive buffer of this
 * size always holds one whole frame. */
#define HS_WIRE_BYTES_MAX (HS_FRAME_LEN_BYTES + HS_FRAME_BYTES_MAX)

enum hs_role { HS_INITIATOR, HS_RESPONDER };

enum hs_state {
    HS_SEND_HELLO,   /* initiator: call hs_hello */
    HS_WAIT_HELLO,   /* responder: feed the 74-byte HELLO to hs_on_hello */
    HS_WAIT_ACCEPT,  /* initiator: feed ACCEPT to hs_on_accept */
    HS_WAIT_PROVE,   /* responder: feed PROVE to hs_on_prove */
    HS_ESTABLISHED,  /* frames may flow */
    HS_FAILED,       /* terminal */
};

/* Opaque storage (holds secrets: call hs_wipe when done). */
typedef struct {
    _Alignas(16) unsigned char opaque[1024];
} hs_session;

/* Start a session for this node's member key pair on network net,
 * overwriting whatever s held. The key pair is checked (sk must derive pk:
 * CF_EINVAL otherwise) and copied; the caller's buffers need not outlive the
 * call. Initialises libsodium if needed (CF_ECRYPTO if that fails).
 * CF_EINVAL for a NULL pointer or an unknown role. On error s reads as
 * HS_FAILED. */
int hs_init(hs_session *s, enum hs_role role, const uint8_t net[32],
            const uint8_t member_pk[32], const uint8_t member_sk[64]);

/* For tests and fuzzing only — never in a node: like hs_init, but the
 * ephemeral key pair and the secretstream header this side sends are derived
 * from seed, so every handshake byte and every frame is reproducible. Reusing
 * a seed with a real peer repeats keys and keystreams. */
int hs_init_deterministic(hs_session *s, enum hs_role role,
                          const uint8_t net[32], const uint8_t member_pk[32],
                          const uint8_t member_sk[64], const uint8_t seed[32]);

/* HS_FAILED for a NULL, wiped or never initialised session. */
enum hs_state hs_get_state(const hs_session *s);

/* Refuse any peer whose member key is not pk (CF_EHS_PEER, after its
 * signature verified). Optional; only before the peer's key was received
 * (initiator: before hs_on_accept; responder: before hs_on_prove). */
int hs_expect_peer(hs_session *s, const uint8_t pk[32]);

/* The peer's member key once its signature verified (initiator: after
 * hs_on_accept; responder: after hs_on_prove), NULL before. It stays
 * readable after a later failure (to name the peer in a log) until hs_wipe.
 * Points into s. */
const uint8_t *hs_peer_key(const hs_session *s);

/* Initiator: write HELLO (HS_HELLO_BYTES) to out. */
int hs_hello(hs_session *s, uint8_t out[HS_HELLO_BYTES]);
/* Responder: check HELLO (length, magic, network id) and write ACCEPT. A
 * HELLO for another network is CF_EWRONG_NETWORK; a malformed one
 * CF_EFORMAT; an ephemeral key that gives no shared secret (low order)
 * CF_ECRYPTO. */
int hs_on_hello(hs_session *s, const uint8_t *in, size_t len,
                uint8_t out[HS_ACCEPT_BYTES]);
/* Initiator: check ACCEPT (length, signature over T2, expected peer) and
 * write PROVE; the session is then established (the caller checks
 * hs_peer_key against its roster before sending frames). Wrong length:
 * CF_EFORMAT; bad signature: CF_EHS_BAD_SIG; our own or an unexpected key:
 * CF_EHS_PEER; low-order ephemeral: CF_ECRYPTO. */
int hs_on_accept(hs_session *s, const uint8_t *in, size_t len,
                 uint8_t out[HS_PROVE_BYTES]);
/* Responder: check PROVE (same errors as hs_on_accept, signature over T3);
 * established on success. */
int hs_on_prove(hs_session *s, const uint8_t *in, size_t len);

/* Encrypt one frame (established sessions only): out receives 4-byte length
 * || ciphertext, plain_len + HS_FRAME_OVERHEAD + 4 bytes in all, written to
 * *out_len. plain may be NULL when plain_len is 0; plain and out must not
 * overlap. */
int hs_seal(hs_session *s, const uint8_t *plain, size_t plain_len, uint8_t *out,
            size_t cap, size_t *out_len);

/* Look at the start of a receive buffer (no session needed): CF_ETOOBIG when
 * the declared length exceeds HS_FRAME_BYTES_MAX and CF_EFORMAT when it is
 * below HS_FRAME_OVERHEAD (both: drop the peer; decided as soon as the 4
 * length bytes are there, before any of the body is buffered);
 * CF_EINCOMPLETE when fewer than 4 bytes, or fewer than the whole frame, are
 * there (read more); CF_OK with *frame_len = 4 + ciphertext length when a
 * whole frame is present (bytes after it belong to the next frame). */
int hs_frame_length(const uint8_t *buf, size_t len, size_t *frame_len);

/* Decrypt the frame of exactly frame_len bytes at frame (as measured by
 * hs_frame_length: a length that disagrees with the prefix is CF_EFORMAT)
 * into plain, capacity cap (HS_FRAME_PLAIN_MAX always suffices; a smaller cap
 * that cannot hold this frame is CF_ETOOBIG); *plain_len receives its length.
 * Tampered, replayed, reordered or truncated streams fail with CF_ECRYPTO.
 * Any failure fails the session and leaves no plaintext in plain. */
int hs_open(hs_session *s, const uint8_t *frame, size_t frame_len, uint8_t *plain,
            size_t cap, size_t *plain_len);

/* Zero the whole session (sodium_memzero); it then reads as HS_FAILED and
 * every call returns CF_EINVAL until hs_init. NULL is a no-op. */
void hs_wipe(hs_session *s);

#endif
