/* net_limits.h — the daemon's limits, each with the reason for its
 * value, and the records its guard keeps (strangers' addresses, members
 * that misbehaved, learned addresses). Part of net_internal.h, which
 * includes it; not for use outside node/net/. */
#ifndef COFUND_NET_LIMITS_H
#define COFUND_NET_LIMITS_H

#include <stdbool.h>
#include <stdint.h>

#include "crypto/handshake.h"
#include "home/ingest.h"
#include "ledger/entry.h"
#include "store/store.h"
#include "wire.h"

/* ---- Limits ------------------------------------------------------------- */

/* Member sessions at once (established connections, in and out): a city's
 * participants, with room for duplicates (two nodes dialling each other)
 * and auditors. Each costs at most NET_READ_BYTES_MAX + NET_INBOX_BYTES_MAX +
 * NET_OUT_BYTES_MAX of memory. Handshakes in progress come on top (below). */
#define NET_PEERS_MAX 128
/* Sessions of one member key at once: two nodes that dial each other hold
 * two, and a restarted node's new session may meet its old one before that
 * one times out. A further session replaces the key's oldest, so one key
 * cannot fill the node (docs/protocol.md §2 "Strangers and members"). */
#define NET_SESSIONS_PER_KEY_MAX 3

/* ---- Strangers: admission before any public-key work (guard.c) ---------- */
/* The responder does a key exchange and a signature for anyone who knows
 * the network id (it is public), so handshakes are rationed per address:
 *   - slots: NET_HANDSHAKES_RESERVED that only addresses a member has
 *     completed a handshake from (or a configured peer's) may use, and take
 *     first, so strangers on other addresses can never fill them; and
 *     NET_HANDSHAKES_MAX open ones for anyone; at most
 *     NET_HANDSHAKES_PER_ADDR_MAX per unknown address
 *     (NET_HANDSHAKES_PER_MEMBER_ADDR_MAX per member address: members behind
 *     one NAT);
 *   - fair share: when the open slots are full, a newcomer takes the oldest
 *     slot of the unknown address holding the most, if that address holds
 *     at least two more than the newcomer's: an address with one slot is
 *     never evicted while another holds more than two, and a member
 *     address's slot never;
 *   - a rate: each address has a token bucket (a handshake costs one token,
 *     one that fails NET_HS_FAIL_TOKENS more), and unknown addresses share
 *     one more bucket, so the CPU strangers can make us spend is bounded;
 *   - a short deadline (NET_HANDSHAKE_IN_MS) from accept to PROVE: an honest
 *     initiator needs one round trip.
 * Every refusal happens at accept, before a byte is read. Addresses are
 * compared as IPv4, or IPv6 /64 prefixes (one host's whole allocation). */
#define NET_HANDSHAKES_MAX 16
#define NET_HANDSHAKES_RESERVED 16
#define NET_HANDSHAKES_PER_ADDR_MAX 4
#define NET_HANDSHAKES_PER_MEMBER_ADDR_MAX 16
#define NET_HS_BURST_UNKNOWN 8     /* tokens */
#define NET_HS_RATE_UNKNOWN 1      /* tokens a second */
#define NET_HS_BURST_MEMBER 64
#define NET_HS_RATE_MEMBER 16
#define NET_HS_BURST_STRANGERS 128 /* all unknown addresses together: */
#define NET_HS_RATE_STRANGERS 64   /* ~1% of a core, and room for new members */
#define NET_HS_FAIL_TOKENS 3
/* Addresses remembered (rates, member addresses); the least recently seen
 * unknown one is forgotten first. */
#define NET_ADDRS_MAX 1024
/* Connections at once, handshakes included: the file descriptors we use. */
#define NET_CONNS_MAX (NET_PEERS_MAX + NET_HANDSHAKES_MAX + NET_HANDSHAKES_RESERVED)
/* An outbound connect and handshake must finish in NET_HANDSHAKE_MS; an
 * inbound one (accept to PROVE) in NET_HANDSHAKE_IN_MS. */
#define NET_HANDSHAKE_MS 10000
#define NET_HANDSHAKE_IN_MS 3000

/* ---- Members that misbehave (guard.c) ------------------------------------ */
/* A member whose peer sends what fails verification is dropped and backed
 * off: its key is refused for NET_BAN_MIN_MS, doubling with each drop up to
 * NET_BAN_MAX_MS (forgotten after NET_STRIKES_FORGET_MS without a fault). A
 * message that is refused but may be a relay's mistake (a forged
 * cosignature line) is a strike; NET_STRIKES_MAX strikes are a drop. Honest
 * nodes verify every line before they store or send it, so an honest peer
 * never sends one. */
#define NET_STRIKES_MAX 3
#define NET_BAN_MIN_MS 30000
#define NET_BAN_MAX_MS 3600000
#define NET_STRIKES_FORGET_MS 3600000
#define NET_KEYS_MAX 256
/* Unsolicited messages (status, cosig, fork) are handled within a work
 * budget per peer: NET_PEER_WORK_PCT of the time, with a burst of
 * NET_PEER_WORK_BURST_MS; past it the peer's messages wait (its reading
 * pauses when its inbox is full: TCP pushes back). Batches and nones answer
 * our gets, and gets are bounded by NET_SERVE_GETS_MAX and the out queue. */
#define NET_PEER_WORK_PCT 25
#define NET_PEER_WORK_BURST_MS 500
/* The log: lines a cause can produce (a refusal, a handshake failure, a
 * drop) are limited to NET_LOG_BURST_STRANGER (before the handshake named a
 * member) or NET_LOG_BURST_MEMBER lines per NET_LOG_INTERVAL_MS and cause;
 * the rest are counted in one summary line per interval (log.h). */
#define NET_LOG_INTERVAL_MS 60000
#define NET_LOG_BURST_STRANGER 3
#define NET_LOG_BURST_MEMBER 20
/* Keepalive: an empty frame when we sent nothing for this long... */
#define NET_KEEPALIVE_MS 15000
/* ...and a peer silent for four keepalive periods is gone (a cut cable, a
 * SIGSTOPped process). */
#define NET_IDLE_MS 60000
/* A peer that leaves our queued bytes unread this long is dropped too. */
#define NET_WRITE_STALL_MS 60000
/* Read buffer: one whole frame at most (handshake.h); the buffer grows in
 * steps of NET_READ_CHUNK up to that. */
#define NET_READ_BYTES_MAX HS_WIRE_BYTES_MAX
#define NET_READ_CHUNK (64u * 1024)
/* Frames read but not yet handled: past this, reading from that peer pauses
 * (TCP pushes back) until the work loop catches up. At least one frame. */
#define NET_INBOX_BYTES_MAX (2u * HS_FRAME_PLAIN_MAX)
/* Queued output. Above the soft mark we stop serving that peer's gets (we
 * wait for its reads); above the hard one — a peer that never reads while
 * we must still send it status and forks — it is dropped. */
#define NET_OUT_SOFT_BYTES (2u * HS_WIRE_BYTES_MAX)
#define NET_OUT_BYTES_MAX (8u << 20)
/* Gets we keep in flight to one peer, and gets one peer may have waiting
 * at our end before it counts as a flood (an honest peer never has more
 * than NET_GETS_MAX: it waits for the answers). */
#define NET_GETS_MAX 4
#define NET_SERVE_GETS_MAX (2 * NET_GETS_MAX)
/* How long one loop turn may spend on queued work (applying batches,
 * serving gets) before it returns to the sockets; at least one item runs. */
#define NET_WORK_TURN_MS 10
/* The clock of every timeout and of the own-feed check (DESIGN §2: the node
 * notices appends by itself within about this long). */
#define NET_TICK_MS 1000
/* A feed that brought no progress from a peer (it answered none, or our
 * store failed) is asked again when the peer announces a change, or after
 * this long (a checkpoint it lacked may have arrived, space may be back). */
#define NET_STALL_RETRY_MS 30000
/* Reconnect backoff: from 0.5 s doubling to 30 s, ±25% jitter; a connection
 * that lasted NET_BACKOFF_RESET_MS resets it. */
#define NET_BACKOFF_MIN_MS 500
#define NET_BACKOFF_MAX_MS 30000
#define NET_BACKOFF_RESET_MS 10000
/* The timeouts in force (net_timeouts, in net_node): the values above, or,
 * when the environment holds COFUND_NODE_TEST_TIMEOUTS=1, the shorter
 * NET_TEST_* ones below — for the multi-process tests only, so that a silent
 * peer, an unread queue or a reconnect takes seconds instead of minutes
 * (docs/operations.md). Read once when the node starts; the node logs it. */
#define NET_TEST_TIMEOUTS_ENV "COFUND_NODE_TEST_TIMEOUTS"
#define NET_TEST_TICK_MS 250
#define NET_TEST_HANDSHAKE_MS 3000
#define NET_TEST_HANDSHAKE_IN_MS 2000
#define NET_TEST_BAN_MIN_MS 1000
#define NET_TEST_BAN_MAX_MS 8000
#define NET_TEST_STRIKES_FORGET_MS 20000
#define NET_TEST_LOG_INTERVAL_MS 5000
#define NET_TEST_KEEPALIVE_MS 1000
#define NET_TEST_IDLE_MS 4000
#define NET_TEST_WRITE_STALL_MS 4000
#define NET_TEST_STALL_RETRY_MS 2000
#define NET_TEST_BACKOFF_MIN_MS 100
#define NET_TEST_BACKOFF_MAX_MS 1000
#define NET_TEST_BACKOFF_RESET_MS 2000
/* Peer exchange (pex.c): a node tells each session where members listen
 * at most every NET_PEX_MS (when that changed), and accepts one peers
 * message per session every NET_PEX_MS / 2. It remembers one address per
 * member key, NET_PEX_LEARNED_MAX in all (a city's members), holds at most
 * NET_PEX_DIALS_MAX sessions it dialled at learned addresses (peers-target
 * at most), tries at most NET_PEX_TRIES_MAX of them at once, and forgets an
 * address that failed NET_PEX_FAILS_FORGET times running. */
#define NET_PEX_MS 30000
#define NET_TEST_PEX_MS 1000
#define NET_PEX_LEARNED_MAX 512
#define NET_PEX_DIALS_MAX NET_PEERS_TARGET_MAX
#define NET_PEX_TRIES_MAX 4
#define NET_PEX_FAILS_FORGET 8
/* Control-socket clients at once, and how long one may take. */
#define NET_CTL_CONNS_MAX 8
#define NET_CTL_TIMEOUT_MS 5000
#define NET_CTL_LINE_BYTES 64

/* Batches we serve: entries up to 768 KiB and 4096 of them, so a batch fits
 * a frame with room for the checkpoint and proof — usually four of the
 * author's 1024-entry checkpoint spans (ckpt.h). The receiver applies a
 * batch in one durable store transaction (ingest and rules): measured at
 * 1,000,000 entries, ~44 ms per batch of small plain contributions and
 * ~110 ms when each entry also writes state at random pages of a large
 * state — the longest the loop is busy with one piece of work. One span
 * per batch kept that at 10-45 ms, but each commit rewrites the state pages
 * it touched: four spans per transaction replicate such a feed ~45% faster
 * (docs/performance.md, figure 7). */
#define SYNC_BATCH_BYTES_TARGET (768u * 1024)
#define SYNC_BATCH_ENTRIES_MAX 4096
/* Cosig messages received within this long of each other are merged in one
 * transaction, and the lines that changed go to the peers in one cosig
 * message per feed, not one each: a checkpoint's
 * INGEST_WITNESSES lines arrive at a node within a few hops' time, and
 * every message costs each receiver a parse and a store transaction. The
 * price: lines spread that much slower per hop (they are not needed to
 * apply anything). 150 ms, not 50: at 64 members 8% fewer cosig messages
 * and ~5% less CPU (docs/performance.md "Scale"). */
#define NET_COSIG_DELAY_MS 150
/* Lines travel up a feed's fetch tree at once (each node sends what it
 * learns to the peer it fetched the checkpoint from), and down only as
 * a full set: a node with fewer lines than the feed has witnesses keeps
 * them from the other links of the tree until the set is full, or this
 * long after it first held the checkpoint — a witness that is offline
 * or slow delays the others' lines by this much, never for good. At 64
 * members 60% fewer cosig messages and 38% fewer bytes (each node
 * receives the set about once, not a line at a time; docs/protocol.md §4
 * "Witnesses", docs/performance.md "Scale", step 6). A set
 * reaches the author and comes back down in ~1.5 s at 64 members on a
 * 2-core machine, but at 128 some took over 3 s (a 3 s wait ended 5-7% of
 * the waits early, and those lines went everywhere as before; 10 s none)
 * and at 256, on 2 cores, up to ~30 s. Nothing needs the lines soon
 * (auditors do), so the wait is long. */
#define NET_LINES_WAIT_MS 10000
/* A node writes batches and cosig merges at most once per gap (one write
 * counts from when it began): what arrives meanwhile waits and goes in the
 * next write, one transaction. Each commit syncs the disk and is announced
 * to every peer; at 64 members appending at once, a node committed 40-50
 * times per round, one batch or a few each — with a gap of
 * NET_WRITE_GAP_MS ~20, for 17% less CPU in all, the feeds converging a
 * few hundred ms later (docs/performance.md "Scale", step 4).
 *
 * The gap is also NET_WRITE_PACE times the wall time the last write took,
 * up to NET_WRITE_GAP_MAX_MS: a node spends at most a quarter of its time
 * writing. A write takes ~10 ms at 64 members on 2 cores (the gap stays
 * 150 ms), but ~260 ms at 256, where 257 processes share the cores and the
 * disk: nodes then wrote back to back, 3.6 batches at a time, and the
 * commits were a quarter of all CPU. Paced, they write about half as often,
 * for ~17% less CPU and feeds converging ~15% sooner ("Scale", step 7).
 *
 * Nothing is announced or logged before its commit, so durability is
 * unchanged; an idle node's first batch is written at once (no write
 * within the gap), and batches of NET_WRITE_NOW_BYTES or more (catching up
 * a long feed: each worth its commit) are written at once. */
#define NET_WRITE_GAP_MS 150
#define NET_WRITE_PACE 4
#define NET_WRITE_GAP_MAX_MS 1000
#define NET_WRITE_NOW_BYTES (64u * 1024)

/* The gap after a write that took last_took_ms (above). */
static inline uint64_t net_write_gap_ms(uint64_t last_took_ms)
{
    if (last_took_ms >= NET_WRITE_GAP_MAX_MS / NET_WRITE_PACE) return NET_WRITE_GAP_MAX_MS;
    uint64_t gap = last_took_ms * NET_WRITE_PACE;
    return gap > NET_WRITE_GAP_MS ? gap : NET_WRITE_GAP_MS;
}
/* Cosig messages waiting for their merge at most (each a copy of a note of
 * at most WIRE_CHECKPOINT_BYTES_MAX): past it they are merged at once. */
#define NET_COSIG_QUEUE_MAX 256
/* Checkpoint sizes probed below the target end before falling back to a
 * scan for the smallest checkpoint above `from`. */
#define SYNC_CKPT_PROBES_MAX 4096

_Static_assert(NET_INBOX_BYTES_MAX >= HS_FRAME_PLAIN_MAX, "the inbox holds a frame");
_Static_assert(NET_OUT_BYTES_MAX > NET_OUT_SOFT_BYTES + HS_WIRE_BYTES_MAX,
               "a served batch never pushes an honest peer over the hard limit");
_Static_assert(NET_IDLE_MS >= 3 * NET_KEEPALIVE_MS, "keepalives arrive well within idle");
_Static_assert(NET_TEST_IDLE_MS >= 3 * NET_TEST_KEEPALIVE_MS, "the same with test timeouts");
_Static_assert(NET_TEST_KEEPALIVE_MS >= NET_TEST_TICK_MS && NET_KEEPALIVE_MS >= NET_TICK_MS,
               "timeouts are checked once per tick");
/* Entries are counted at WIRE_ENTRY_COST (bytes plus head) against the
 * target; the first entry always fits (16 KiB < the target). */
_Static_assert(SYNC_BATCH_BYTES_TARGET + WIRE_BATCH_OVERHEAD_MAX <= HS_FRAME_PLAIN_MAX,
               "a batch of the target size fits a frame");
_Static_assert(WIRE_ENTRY_COST(WIRE_ENTRY_BYTES_MAX) <= SYNC_BATCH_BYTES_TARGET,
               "a batch holds at least one entry");
_Static_assert(SYNC_BATCH_ENTRIES_MAX <= WIRE_BATCH_ENTRIES_MAX, "receivers accept our batches");
_Static_assert(WIRE_FEEDS_MAX == STORE_FEEDS_MAX, "a status holds every feed");
_Static_assert(WIRE_FEEDS_MAX * (3 + 34 + 9 + 34) * 2 + 64 <= HS_FRAME_PLAIN_MAX,
               "a full status (feeds and forks) fits a frame");
_Static_assert(WIRE_ENTRY_BYTES_MAX == ENTRY_BYTES_MAX, "entry limit");
_Static_assert(WIRE_PROOF_MAX == INGEST_PREFIX_PROOF_MAX, "a batch's proof is an ingest prefix");

/* An address as guard.c compares them: IPv4 (mapped) or an IPv6 /64. */
typedef struct {
    uint8_t b[16];
} net_addr_key;

/* One remembered address (guard.c). */
typedef struct {
    net_addr_key key;
    bool used, member;
    uint32_t handshakes; /* inbound handshakes in progress from it */
    double tokens;
    uint64_t refill_ms, seen_ms;
} addr_rec;

/* One member key that misbehaved (guard.c). */
typedef struct {
    uint8_t key[32];
    bool used;
    uint32_t strikes, bans;
    uint64_t strike_ms, banned_until_ms;
    char why[128];
} key_rec;

/* One learned member address (pex.c). */
typedef struct {
    bool used;
    bool direct; /* the member announced it itself (its host as we saw it) */
    uint8_t key[32];
    char host[WIRE_PEER_HOST_BYTES_MAX + 1]; /* numeric */
    uint16_t port;
    /* A relayed address of a member whose own announcement we hold: tried
     * after the announced one failed, never replacing it (alt_port 0: none). */
    char alt_host[WIRE_PEER_HOST_BYTES_MAX + 1];
    uint16_t alt_port;
    uint32_t failures;          /* learned dials that failed, running */
    uint64_t next_try_ms, seen_ms; /* loop ms */
} pex_rec;

#endif
