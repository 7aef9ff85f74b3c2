/* wire.h — the replication messages (docs/protocol.md): one deterministic
 * CBOR map per frame, key "t" naming the type. A pure codec: no sockets, no
 * store, no libuv, so the unit tests and the fuzzer drive it directly.
 *
 *   status {"t":"status","feeds":[[author, size, root], ...],"forks":[author, ...]}
 *   get    {"t":"get","from":uint,"author":bstr32}
 *   none   {"t":"none","from":uint,"author":bstr32}
 *   batch  {"t":"batch","from":uint,"proof":[bstr32, ...],"author":bstr32,
 *           "entries":[bstr, ...],"checkpoint":tstr,"prefix_root":bstr32}
 *   fork   {"t":"fork","proof":bstr}
 *   cosig  {"t":"cosig","author":bstr32,"checkpoint":tstr}
 *   peers  {"t":"peers","addrs":[[key, host, port], ...]}
 *
 * Keys appear in canonical order (shorter first, then bytewise), as above.
 * The decoder is strict: the exact key set of the type in that order, the
 * right CBOR types, every length and count within its limit below (checked
 * before anything is copied), "feeds" and "forks" sorted by author with no
 * repeats ("addrs" by key alike), "prefix_root" present exactly when from > 0, "proof" empty when
 * from = 0, no trailing bytes. One message, one encoding: a decoded message
 * re-encodes to the same bytes (the fuzzer checks this).
 *
 * What the decoder cannot see (that entries number checkpoint size - from,
 * that the checkpoint is signed, that the proof verifies) the receiver checks
 * against its store (sync.c).
 */
#ifndef COFUND_WIRE_H
#define COFUND_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/cbor.h"

/* Feeds in one status: a home holds at most STORE_FEEDS_MAX (4096) feeds,
 * so a full status is at most 4096 * ~80 bytes, well inside a frame
 * (sync.c ties the two with a _Static_assert). */
#define WIRE_FEEDS_MAX 4096
/* Hashes in a batch's consistency proof: as many as a fork proof carries
 * (evidence.h), so that a batch's proof can always become one; a
 * consistency proof between sizes below 2^63 needs no more. */
#define WIRE_PROOF_MAX 64
/* Entries in one batch. Our node sends at most SYNC_BATCH_ENTRIES_MAX
 * (1024, one checkpoint span) so that one store transaction stays short;
 * the decoder accepts eight times that for senders tuned otherwise. A
 * frame of 1 MiB could hold ~350,000 one-byte entries: the limit bounds the
 * receiver's work per frame. */
#define WIRE_BATCH_ENTRIES_MAX 8192
/* One entry: ENTRY_BYTES_MAX (DESIGN §3.1, pinned). */
#define WIRE_ENTRY_BYTES_MAX 16384
/* A signed checkpoint: NOTE_BYTES_MAX (crypto/note.h). */
#define WIRE_CHECKPOINT_BYTES_MAX 8192
/* A fork proof: FORK_PROOF_BYTES_MAX (node/bundle/fork_proof.h). */
#define WIRE_FORK_BYTES_MAX (2 * 8192 + 4 * 64 * 34 + 256)
/* Addresses in one peers message (peer exchange, pex.c): the sender's
 * own and members' it heard from them. Small, so that one message costs a
 * receiver little and no member can hand out a long list of hosts. */
#define WIRE_PEERS_MAX 32
/* A host in a peers message: a numeric IPv4 or IPv6 address as text
 * (INET6_ADDRSTRLEN - 1), or empty (the sender's own entry: "the address
 * you see me at"). Only the characters of numeric addresses. */
#define WIRE_PEER_HOST_BYTES_MAX 45
/* Longest type name ("status", "batch", ...). */
#define WIRE_TYPE_BYTES_MAX 8

enum wire_type {
    WIRE_STATUS = 1,
    WIRE_GET,
    WIRE_NONE,
    WIRE_BATCH,
    WIRE_FORK,
    WIRE_COSIG,
    WIRE_PEERS, /* the last: count_in[] is sized by it */
};

/* A validated CBOR array inside a decoded message: the encoded items after
 * the array head (p[0..len)), count of them. Walk it with wire_iter. */
typedef struct {
    const uint8_t *p;
    size_t len;
    size_t count;
} wire_seq;

/* A decoded message. Every pointer points into the decoded buffer and stays
 * valid as long as it does. Fields not used by the type are zero. */
typedef struct {
    enum wire_type type;
    uint64_t from;          /* get, none, batch */
    const uint8_t *author;  /* get, none, batch, cosig: 32 bytes */
    wire_seq feeds;         /* status: [author, size, root] triples */
    wire_seq forks;         /* status: authors */
    wire_seq entries;       /* batch: byte strings */
    wire_seq addrs;         /* peers: [key, host, port] triples */
    const char *checkpoint; /* batch, cosig: signed note, not NUL-terminated */
    size_t checkpoint_len;
    bool has_prefix;        /* batch: from > 0 */
    uint8_t prefix_root[32];
    size_t nproof;
    uint8_t proof[WIRE_PROOF_MAX][32];
    const uint8_t *fork;    /* fork: the proof's bytes */
    size_t fork_len;
} wire_msg;

/* Decode one message (a frame's whole plaintext, len >= 1). CF_OK, or a
 * CF_E* code (CF_EFORMAT for a wrong shape — unknown type, missing,
 * unexpected or out-of-order key, unsorted list —, a CBOR code for bad CBOR
 * or a wrong type, CF_ECBOR_LIMIT / CF_ERANGE for a limit) with *why (if
 * non-NULL) set to a static phrase naming the fault for the log. */
int wire_decode(const uint8_t *buf, size_t len, wire_msg *m, const char **why);

/* "status", "get", ... ; "?" for anything else. */
const char *wire_type_name(enum wire_type t);

typedef struct {
    cbor_rd rd;
    size_t left;
} wire_iter;

typedef struct {
    const uint8_t *author; /* 32 bytes */
    uint64_t size;
    const uint8_t *root;   /* 32 bytes */
} wire_feed;

void wire_iter_init(wire_iter *it, const wire_seq *s);
/* Each returns CF_OK with the next item, 1 at the end, or a CF_E* code for a
 * sequence that did not come from wire_decode. */
int wire_next_feed(wire_iter *it, wire_feed *f);
int wire_next_author(wire_iter *it, const uint8_t **author);
int wire_next_entry(wire_iter *it, const uint8_t **bytes, size_t *len);

typedef struct {
    const uint8_t *key; /* 32 bytes: a member's public key */
    const char *host;   /* not NUL-terminated; host_len 0: the sender's own */
    size_t host_len;
    uint16_t port;      /* 1..65535 */
} wire_peer;
int wire_next_peer(wire_iter *it, wire_peer *pe);

/* ---- Encoders ----------------------------------------------------------
 * Each writes one message into buf (capacity cap) and returns CF_OK with
 * *len set, or the encoder's error (CF_ECBOR_BUFFER when cap is short,
 * CF_ECBOR_STATE for item counts that do not match what was added). */
int wire_encode_get(uint8_t *buf, size_t cap, enum wire_type type, uint64_t from,
                    const uint8_t author[32], size_t *len); /* WIRE_GET or WIRE_NONE */
int wire_encode_fork(uint8_t *buf, size_t cap, const uint8_t *proof, size_t proof_len,
                     size_t *len);
/* cosig: author's signed checkpoint as the sender holds it, cosignatures
 * included (1..WIRE_CHECKPOINT_BYTES_MAX bytes, else CF_EINVAL). */
int wire_encode_cosig(uint8_t *buf, size_t cap, const uint8_t author[32], const char *checkpoint,
                      size_t checkpoint_len, size_t *len);
/* Encoded size of a cosig message at most. */
#define WIRE_COSIG_BYTES_MAX (16 + 7 + 34 + 11 + 3 + WIRE_CHECKPOINT_BYTES_MAX)

/* peers: npeers entries sorted by key, no repeats (CF_EINVAL otherwise, or
 * for a host or port out of range). */
int wire_encode_peers(uint8_t *buf, size_t cap, const wire_peer *peers, size_t npeers,
                      size_t *len);
/* Encoded size of a peers message at most. */
#define WIRE_PEERS_BYTES_MAX (16 + 7 + WIRE_PEERS_MAX * (1 + 34 + 2 + WIRE_PEER_HOST_BYTES_MAX + 3))

/* status: begin with the counts, add nfeeds feeds in increasing author
 * order, then nforks authors in increasing order, then end. */
void wire_status_begin(cbor_enc *e, uint8_t *buf, size_t cap, size_t nfeeds);
void wire_status_feed(cbor_enc *e, const uint8_t author[32], uint64_t size,
                      const uint8_t root[32]);
void wire_status_forks(cbor_enc *e, size_t nforks);
void wire_status_fork(cbor_enc *e, const uint8_t author[32]);
int wire_status_end(cbor_enc *e, size_t *len);

/* batch: begin (proof: nproof hashes, empty when from == 0), add nentries
 * entries in order, end with the checkpoint and, when from > 0, the prefix
 * root (NULL when from == 0). */
void wire_batch_begin(cbor_enc *e, uint8_t *buf, size_t cap, uint64_t from,
                      const uint8_t (*proof)[32], size_t nproof, const uint8_t author[32],
                      size_t nentries);
void wire_batch_entry(cbor_enc *e, const uint8_t *bytes, size_t len);
int wire_batch_end(cbor_enc *e, const char *checkpoint, size_t checkpoint_len,
                   const uint8_t *prefix_root, size_t *len);

/* Encode a decoded (or filled-in) message again: for a message from
 * wire_decode the bytes are exactly the ones decoded. */
int wire_encode_msg(const wire_msg *m, uint8_t *buf, size_t cap, size_t *len);

/* Encoded size of a batch's fixed part (everything but the entries'
 * bytes and their heads) at most: keys, from, a full proof, author, the
 * largest checkpoint, prefix root. */
#define WIRE_BATCH_OVERHEAD_MAX                                                  \
    (64 + 9 + 3 + WIRE_PROOF_MAX * 34 + 34 + 5 + 3 + WIRE_CHECKPOINT_BYTES_MAX + 34)
/* Bytes an entry of n bytes takes in a batch: its head (at most 3 bytes for
 * n <= 65535) plus n. */
#define WIRE_ENTRY_COST(n) ((size_t)(n) + 3)

#endif
