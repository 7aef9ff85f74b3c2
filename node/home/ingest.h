/* ingest.h — the replica path: every entry and checkpoint this home did not
 * write enters through ingest_feed() or ingest_checkpoint(), whatever carried
 * it (a bundle file, a peer).
 *
 * For one feed batch, inside the caller's write transaction:
 *   1. the checkpoint must be signed by the feed's author under the origin
 *      cofund/<net>/<author> (ckpt.h);
 *   2. a batch that starts mid-feed may come with the sender's proof that
 *      the signed tree extends a prefix (ingest_prefix, below);
 *   3. the entries must hash, together with what is held, to the signed root;
 *   4. the signed tree must be consistent with what is held: if it is not,
 *      that is a fork — a fork proof (evidence.h) is stored, the feed is
 *      frozen and CF_OK is returned with res->fork set;
 *   5. new entries and the checkpoint are stored (Merkle nodes included).
 * Rules run afterwards, over everything stored, in replica_drain() (replica.h).
 *
 * A checkpoint or batch that does not verify returns CF_EVERIFY: the caller
 * aborts its transaction, so nothing from it is kept. CF_EVERIFY blames the
 * sender (it sent what the author never signed, or a proof that does not
 * hold); a fork blames the author, and is proven by what is stored.
 *
 * Why a batch that starts mid-feed is safe to accept. Let R be the root the
 * author signed for size n, and P the root at size `from` that the sender
 * claims, with an RFC 6962 consistency proof from (from, P) to (n, R).
 *   (a) The proof verifies: the signed tree's first `from` leaves hash to P —
 *       any other prefix with the same proof would need a SHA-256 collision.
 *   (b) P equals our stored root at `from`, itself recomputed from entries
 *       verified under a signed checkpoint: the signed tree's first `from`
 *       entries are exactly the ones held.
 *   (c) The root recomputed from our held entries 0..from-1 (their stored
 *       subtree hashes) followed by the received ones equals R: the received
 *       entries are the signed tree's entries from..n-1, in order — two
 *       different leaf sequences under one root again need a collision.
 * (c) alone already makes storing the entries safe; (a) and (b) tell the two
 * failures apart before any entry is read. A valid proof with P different
 * from ours means the author signed two trees that disagree on the first
 * `from` entries: a fork, proven offline by our checkpoint of size `from`,
 * the sender's checkpoint, alt = P and the sender's proof. A valid proof with
 * P equal to ours and a recomputed root other than R means the sender's
 * entries are wrong: CF_EVERIFY, and the author is not blamed.
 */
#ifndef COFUND_INGEST_H
#define COFUND_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/keyfile.h"
#include "ledger/diag.h"
#include "ledger/state.h"
#include "store/store.h"

/* A fork found by comparing entries is proven with the diverging part of
 * the other tree held in memory (about 80 bytes per entry); past this many
 * diverging entries the batch is refused instead. */
#define INGEST_FORK_ENTRIES_MAX (1u << 20)
/* A consistency proof between two sizes below 2^64 has at most 64 hashes
 * (merkle_consistency_proof_len), which is also what a fork proof carries. */
#define INGEST_PREFIX_PROOF_MAX 64

typedef struct {
    /* Next entry of the batch; bytes stay valid until the next call. */
    int (*next)(void *arg, const uint8_t **bytes, size_t *len, diag *d);
    void *arg;
} ingest_source;

/* The sender's claim about a batch that starts at from > 0 (borrowed for the
 * call): its root at size `from` and the RFC 6962 consistency proof from
 * `from` to the checkpoint's size, nproof hashes of 32 bytes concatenated
 * (NULL when nproof is 0; at most INGEST_PREFIX_PROOF_MAX). */
typedef struct {
    uint8_t root[32];
    const uint8_t *proof;
    size_t nproof;
} ingest_prefix;

typedef struct {
    uint64_t appended;   /* new entries stored */
    bool new_checkpoint; /* a checkpoint not held before was stored */
    bool fork;           /* a fork was found now: proof stored, feed frozen */
    bool skipped;        /* the feed was already frozen by an earlier fork */
    bool ahead;          /* ingest_checkpoint: signed beyond what is held;
                            nothing stored (fetch the entries, then ingest
                            them under it) */
} ingest_result;

/* One batch of author's feed under the signed checkpoint ckpt (size n from
 * its text): the source yields exactly n - from entries, those at indices
 * from..n-1, and is read to its end whenever CF_OK is returned (also for a
 * fork or a frozen feed, so a bundle reader stays in step). from must not
 * exceed what is held (CF_EVERIFY).
 *
 * prefix (optional; ignored when from is 0): the sender's proof that the
 * signed tree extends its root at `from` (see above). It is checked before
 * any entry is read: a proof that does not verify is CF_EVERIFY; a prefix
 * root other than our stored root at `from` is a fork — recorded with our
 * held checkpoint of size `from` (CF_EVERIFY if this home holds none: an
 * honest sender starts at a size we announced, and every size a home has
 * held came with a checkpoint), then the entries are skipped. A sender
 * normally starts at our stored size; an earlier size we held (our size grew
 * meanwhile) works as well, the entries we hold being compared as usual. */
int ingest_feed(store_txn *txn, const uint8_t net[32], const uint8_t author[32],
                const char *ckpt, size_t ckpt_len, uint64_t from,
                const ingest_prefix *prefix, ingest_source *src,
                ingest_result *res, diag *d);

/* A signed checkpoint alone (a bundle's K record, a peer's announcement),
 * inside the caller's write transaction. The signature and origin are
 * checked (CF_EVERIFY otherwise). Then, with m the entries held:
 *   - size 0, or a feed frozen by a fork (res->skipped): nothing to do;
 *   - size > m: CF_OK with res->ahead and nothing stored;
 *   - the root at its size equals ours: stored unless one of that size is
 *     held (res->new_checkpoint);
 *   - it differs: a fork — proof stored (a = this checkpoint, b = our latest,
 *     alt = our root at its size, our consistency proof), feed frozen,
 *     res->fork. */
int ingest_checkpoint(store_txn *txn, const uint8_t net[32], const uint8_t author[32],
                      const char *ckpt, size_t ckpt_len, ingest_result *res, diag *d);

/* Store a fork proof received from elsewhere (a bundle, a peer) after
 * checking it offline; freezes the feed. author receives the forked feed;
 * *is_new tells whether the proof was news here. */
/* The two halves of ingest_fork_proof: check the proof offline (for this
 * network; author receives the forked feed), then store it as checked. */
int ingest_fork_proof_check(const uint8_t net[32], const uint8_t *proof, size_t len,
                            uint8_t author[32], diag *d);
int ingest_fork_proof_store(store_txn *txn, const uint8_t author[32], const uint8_t *proof,
                            size_t len, bool *is_new, diag *d);
int ingest_fork_proof(store_txn *txn, const uint8_t net[32], const uint8_t *proof,
                      size_t len, uint8_t author[32], bool *is_new, diag *d);

/* ---- Cosignatures (witnesses; docs/format.md "Cosignatures") -------------
 *
 * ingest_feed and ingest_checkpoint store a new checkpoint with its author's
 * signature line only; cosignature lines enter through ingest_cosigs, which
 * the caller runs after the rules (replica_drain), in the same transaction, so
 * that members registered by what was just applied count (a home that joins
 * with a witnessed bundle keeps its cosignatures).
 *
 * A line is kept when it is named after the origin of a member of the
 * network other than the feed's author, and is a valid cosignature/v1 by
 * that member's key over the checkpoint. Lines by other keys (non-members,
 * other networks, the author's own cosignature) are dropped; a line named
 * after a member that does not verify is a forged cosignature: refused and
 * counted. Lines already stored are not verified again (they were when they
 * were stored). Per key the earliest line is kept, and at most
 * CKPT_COSIGS_MAX keys (ckpt_assemble): the result depends only on the set
 * of lines seen, so homes that exchanged them hold the same bytes.
 *
 * The home witnesses (adds its own line with the cosigner's key) only the
 * latest checkpoint it holds of a feed, only when it is a member, never its
 * own feed or a forked one: every stored checkpoint's root was recomputed
 * from held entries before it was stored (above), which is the check a
 * cosignature attests. */

/* Who witnesses a feed: not every member — the cost of one append would
 * grow with the square of the members (every home checking every home's
 * line) — but INGEST_WITNESSES of them, the same at every home: the open
 * members other than the author whose SHA-256("cofund/witness\n" ‖ author ‖
 * key) is smallest (rendezvous hashing: each member witnesses about as many
 * feeds as the others, and a member added or closed moves few feeds'
 * witnesses). Every home then checks INGEST_WITNESSES lines per append it
 * applies; an auditor can ask for up to that many (`--witnesses`). A
 * network of at most INGEST_WITNESSES + 1 members: everyone witnesses
 * everyone (docs/format.md "Who witnesses", docs/protocol.md §8). */
#define INGEST_WITNESSES 4

/* Whether key witnesses author's feed (ledger state kv: its members). A
 * scan of every member: O(members). */
bool ingest_is_witness(const ledger_kv *kv, const uint8_t author[32], const uint8_t key[32]);

/* How many members witness author's feed (ledger state kv): INGEST_WITNESSES,
 * or every open member other than the author when there are fewer; 0 when
 * the members cannot be read. A checkpoint with that many cosignatures
 * holds its full set (nodes pass lines on down a feed's tree as full sets,
 * docs/protocol.md §4; with 0 they wait for nothing). */
unsigned ingest_witnesses_wanted(const ledger_kv *kv, const uint8_t author[32]);

/* The decisions of ingest_is_witness for one key, remembered while the
 * members stay the same (the governance's applied size and key: members
 * change only by governance entries). A node keeps one for its life (it
 * decides for every batch and cosig it merges); zero-initialise it, free
 * it with ingest_witness_cache_free. Not shared between keys. */
typedef struct {
    bool valid;
    uint8_t stamp[32]; /* SHA-256 of the governance key, base and applied size */
    size_t n, cap;
    struct ingest_witness_decision {
        uint8_t author[32];
        bool yes;
    } *e; /* sorted by author */
} ingest_witness_cache;
void ingest_witness_cache_free(ingest_witness_cache *c);

/* This home's member key and the time to put in its cosignatures (POSIX
 * seconds, from the clock when the caller starts; the rules never read it).
 * Borrowed for the call. */
typedef struct {
    const keyfile_keypair *kp;
    uint64_t time_s;
    ingest_witness_cache *witnesses; /* optional: decisions remembered (kp's key) */
    /* A node applying batches: the lines a batch's checkpoint carries are
     * taken only for a feed this home keeps the lines of
     * (ingest_keeps_lines); for the others the checkpoint is stored with its
     * author's line alone, and nothing is checked. Imports, and the cosig
     * messages a node merges, take every line (false). */
    bool kept_only;
} ingest_cosigner;

/* Whether the home of key self keeps the cosignature lines of author's
 * feed as it replicates it (cache: optional, self's witness decisions): it
 * is the author (the lines collect there), one of the feed's witnesses, an
 * open auditor (it audits every feed), or the governance (the city's home:
 * members join from its export). Every other home stores what a batch
 * brings with its author's line only; the lines reach the homes that keep
 * them along the feed's tree, up to the author and down to the homes that
 * ask (docs/format.md "Who keeps the lines", docs/protocol.md §4). */
bool ingest_keeps_lines(const ledger_kv *kv, const uint8_t self[32], ingest_witness_cache *cache,
                        const uint8_t author[32]);

typedef struct {
    uint64_t size;      /* the checkpoint's size */
    bool held;          /* this home holds that checkpoint (size and root) */
    bool changed;       /* the stored text changed */
    bool witnessed;     /* this home's own cosignature was added */
    uint32_t merged;    /* lines new here and kept */
    uint32_t ignored;   /* lines by keys that are not other members: dropped */
    uint32_t forged;    /* lines named after a member that do not verify */
    uint8_t forged_key[32]; /* the first forged line's member */
} ingest_cosig_result;

/* Merge the cosignature lines of ckpt (a signed checkpoint of author's feed,
 * any lines, any order) into the checkpoint of that size held here, then,
 * with me (optional) and when it is the feed's latest, add this home's own.
 * ckpt NULL: only the latter, on the latest checkpoint held. CF_EVERIFY when
 * ckpt is not signed by author (d says why); a checkpoint not held here, of
 * another root, or of a forked feed changes nothing (res->held false). */
int ingest_cosigs(store_txn *txn, const uint8_t net[32], const uint8_t author[32],
                  const char *ckpt, size_t ckpt_len, const ingest_cosigner *me,
                  ingest_cosig_result *res, diag *d);

/* Witness the latest checkpoint of every feed held (ingest_cosigs with ckpt
 * NULL, for each): after an import, and when a node starts (a home that
 * imported without its key catches up). *witnessed counts the lines added. */
int ingest_witness_all(store_txn *txn, const uint8_t net[32], const ingest_cosigner *me,
                       uint64_t *witnessed, diag *d);

/* The witnesses of a stored checkpoint of author's feed: distinct members
 * other than the author with a cosignature line (stored lines were verified
 * when stored; this counts, it does not verify). */
unsigned ingest_witnesses(const ledger_kv *kv, const uint8_t net[32], const uint8_t author[32],
                          const char *ckpt, size_t ckpt_len);

#endif
