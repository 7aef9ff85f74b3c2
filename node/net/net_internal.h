/* net_internal.h — what the daemon's files (peer.c, sync.c, node.c,
 * control.c) share: the node and its connections (its limits, each with
 * the reason for its value, are in net_limits.h). Not for use outside
 * node/net/.
 *
 * Threading: everything runs on the one libuv loop thread. Ownership:
 *   - a peer is calloc'd when a connection starts and freed only in its
 *     handle's close callback (peer.c); net__peer_close() is idempotent and logs
 *     the reason once;
 *   - the node owns the peers list, the dialers and the feed table;
 *   - the store is used only in short transactions inside one callback; no
 *     read transaction is ever open across loop turns or while writing.
 */
#ifndef COFUND_NET_INTERNAL_H
#define COFUND_NET_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>

#include <jansson.h>
#include <uv.h>

#include "config.h"
#include "net.h"
#include "crypto/handshake.h"
#include "crypto/keyfile.h"
#include "crypto/note.h"
#include "home/home.h"
#include "home/ingest.h"
#include "home/own_feed.h"
#include "home/replica.h"
#include "ledger/entry.h"
#include "ledger/state.h"
#include "log.h"
#include "net_limits.h"
#include "store/store.h"
#include "wire.h"

#define container_of(ptr, type, member) ((type *)(void *)((char *)(ptr) - offsetof(type, member)))

/* ---- The node's view of the feeds it holds -------------------------------- */

typedef struct peer peer;
typedef struct cosig_item cosig_item;
typedef struct net_node net_node;

typedef struct {
    uint8_t author[32];
    uint64_t size;        /* entries held (0: known only as a fetch target) */
    uint8_t root[32];     /* root at size */
    uint32_t flags;       /* STORE_FEED_* */
    bool fork_proof;      /* a fork proof is held for it */
    bool changed;         /* size/root changed since the last status we sent */
    bool fork_changed;    /* fork proof new since the last status we sent */
    uint64_t fork_hash;   /* a hash of the fork proof held, as last gossiped (0: none) */
    bool fork_gossip;     /* the proof held changed (an import, a better proof): gossip it */
    peer *fetching;       /* the connection whose gets for it are in flight */
    /* The latest checkpoint's stored text: a hash of it and its signature
     * lines, to tell peers when it gained cosignatures (sync.c). */
    uint64_t text_hash;
    uint8_t sig_lines;
    bool cosig_changed;   /* text changed, with cosignatures, since announced */
    /* Lines go down the feed's fetch tree only as a full set (cosig.c):
     * the signature lines of one (the author's and each witness's, as
     * ingest_witnesses_wanted counts them at this home); when this node
     * first held the checkpoint of `size` (uv_now); the size at which it
     * stopped waiting for the set (NET_LINES_WAIT_MS passed, or the link
     * towards the author closed) and sends what it holds; whether a send
     * was held back at this size (the wait timer looks at it). */
    uint8_t lines_full;
    uint64_t held_ms, lines_waited_size;
    bool lines_held_back;
    /* This home keeps the feed's lines (ingest_keeps_lines: its author, a
     * witness, an auditor): lacking a full set, its text goes up the tree
     * as a request for them. asked_size: the size at which a peer asked us
     * for lines we lack, so that our text went up too (once a size). */
    bool keeps;
    uint64_t asked_size;
    /* metrics.c: the largest size a peer that left announced; when size grew (wall ms) */
    uint64_t seen_size, grew_wall_ms;
} feed_rec;

/* A peer's announced view of one feed. */
typedef struct {
    uint8_t author[32];
    uint64_t size;
    uint8_t root[32];
    bool stalled; /* asked and no progress: wait for its next announcement */
    /* net__text_hash of the checkpoint text (cosignatures included) the
     * peer is known to hold: it sent it to us (a batch, a cosig) or we sent
     * it (0: none known). A cosig of that very text is not sent again. */
    uint64_t text_hash;
    /* The hash of the last text we sent it (a cosig or a batch): never sent
     * twice, whatever it sent us since (it will merge ours). */
    uint64_t sent_hash;
    /* It holds our latest checkpoint and may lack lines we hold (its status
     * newly showed the checkpoint, or it sent us fewer lines than we hold):
     * at the next cosig timer it gets our text, unless it is shown by then
     * to hold it (net__cosig_send_due). */
    bool cosig_due;
    /* The size of the last batch of this feed it served us or we served
     * it: at that size the link is an edge of the feed's fetch tree, along
     * which cosignature lines are announced (0: none). */
    uint64_t tree_size;
    /* The size of the last batch of this feed it served us: at that size
     * it is our link towards the author in the feed's fetch tree, over
     * which our lines go as soon as we hold them (0: none). */
    uint64_t up_size;
    /* The size of the last cosig of this feed it sent us: it keeps the
     * feed's lines, or asks for a home below it that does; at that size our
     * lines go down to it (docs/protocol.md §4 "Who gets the lines"). */
    uint64_t want_size;
} remote_feed;

typedef struct {
    uint8_t author[32];
    uint64_t from;
} get_out;

/* A frame read and decoded, waiting for the work loop. */
typedef struct inbox_item {
    struct inbox_item *next;
    size_t len;
    wire_msg msg; /* points into bytes */
    uint8_t bytes[];
} inbox_item;

enum peer_state {
    PEER_CONNECTING,  /* outbound TCP connect in progress */
    PEER_HANDSHAKE,   /* HELLO/ACCEPT/PROVE */
    PEER_ESTABLISHED, /* frames flow */
    PEER_CLOSING,     /* uv_close called; freed in its callback */
};

struct dialer;

struct peer {
    uv_tcp_t tcp; /* embedded: container_of(handle, peer, tcp) */
    uv_connect_t connect_req;
    net_node *node;
    struct dialer *dialer; /* the configured peer this connection dials, or NULL */
    peer *prev, *next;     /* node->peers */
    enum peer_state state;
    bool inbound;
    char addr[NET_ADDR_TEXT_BYTES]; /* remote "host:port" */
    char ip[NET_HOST_BYTES];        /* remote host, for the per-address bound */
    hs_session hs;
    net_addr_key akey; /* inbound: the address guard.c rations */
    uint8_t hs_pool;   /* inbound handshake slot held: 0 none, 1 open, 2 reserved */
    /* the work budget for unsolicited messages (guard.c), in ns */
    int64_t budget_ns;
    uint64_t budget_at_ns;
    uint64_t work_ns;     /* spent on its budgeted messages, in all */
    uint64_t messages_in; /* messages handled */
    /* who, once the handshake named it */
    bool identified;
    uint8_t key[32];
    char name[ENTRY_ID_BYTES_MAX + 1];
    enum member_role role;
    /* times: loop ms (uv_now), wall ms for status */
    uint64_t started_ms, established_ms, last_rx_ms, last_tx_ms, last_drain_ms;
    uint64_t since_wall_ms;
    uint64_t bytes_in, bytes_out;
    /* reading */
    uint8_t *rbuf;
    size_t rlen, rcap;
    bool reading; /* uv_read_start active */
    /* frames waiting for the work loop */
    inbox_item *in_head, *in_tail;
    size_t in_bytes, in_gets;
    uint64_t gets_received; /* its gets, ever (node status: a test steps on it) */
    /* writing: frames queued this loop iteration, not yet handed to libuv
     * (net__peer_flush), then out_queued counts them until written */
    struct write_req *unsent_head, *unsent_tail;
    size_t out_queued;
    /* sync state */
    remote_feed *remote; /* sorted by author */
    size_t nremote, remote_cap;
    bool got_status;
    uint64_t told_own;        /* the size of its own feed we last told it we hold (sync.c) */
    /* The size of our own feed last served to it before its status listed
     * the feed (remote_feed.tree_size, kept until the feed is listed). */
    uint64_t own_tree_size;
    uint64_t announced_own;   /* the size of our own feed it announced that we logged as ahead */
    get_out gets[NET_GETS_MAX];
    size_t ngets;
    /* peer exchange (pex.c): our last peers message to it, its last to us */
    uint64_t pex_sent_ms, pex_sent_version, pex_rx_ms;
};

struct dialer {
    net_node *node;
    net_addr addr;
    char text[NET_ADDR_TEXT_BYTES];
    uv_timer_t timer;
    uv_getaddrinfo_t gai;
    bool resolving;
    peer *conn;
    uint64_t backoff_ms;
    uint64_t next_attempt_wall_ms;
    unsigned failures; /* consecutive */
    /* a learned address (pex.c), not a configured one: dialled once */
    bool learned, used, mismatch;
    uint8_t key[32]; /* the member expected there */
};

typedef struct ctl_conn ctl_conn;

/* The timeouts in force (the NET_*_MS values, or NET_TEST_* ones). */
typedef struct {
    uint64_t tick_ms, handshake_ms, keepalive_ms, idle_ms, write_stall_ms, stall_retry_ms;
    uint64_t backoff_min_ms, backoff_max_ms, backoff_reset_ms;
    uint64_t handshake_in_ms, ban_min_ms, ban_max_ms, strikes_forget_ms, log_interval_ms;
    uint64_t pex_ms;
} net_timeouts;



struct net_node {
    uv_loop_t loop;
    home *h;
    keyfile_keypair kp;
    state_network net;
    net_config cfg;
    net_timeouts to;
    bool stopping;
    bool refreshed; /* the feed table was read once: later growth of the own feed is news */
    uint64_t refreshed_txn; /* the store's snapshot the last full refresh read (store_txn_id) */
    uv_timer_t cosig_timer; /* merges cosigs and announces changes, NET_COSIG_DELAY_MS after the first */
    uv_timer_t lines_timer; /* ends the waits for full sets of lines (NET_LINES_WAIT_MS) */
    size_t lines_held;      /* feeds with lines_held_back: the timer runs while any */
    cosig_item *cosig_head, *cosig_tail; /* cosig messages waiting for the turn's merge */
    size_t ncosig;
    struct batch_job *batch_head, *batch_tail; /* batches waiting for the turn's apply */
    size_t batch_bytes;     /* their frames' bytes */
    uv_timer_t write_timer; /* applies them when the gap after the last write ends */
    uint64_t last_write_ms; /* uv_now when the last write of batches or cosigs began */
    uint64_t last_write_took_ms; /* and how long it took (wall time) */
    ingest_witness_cache witnesses; /* which feeds this node witnesses (ingest.h) */
    uint64_t started_wall_ms;
    /* listener */
    uv_tcp_t listener;
    bool listening;
    char listen_text[NET_ADDR_TEXT_BYTES];
    char port_path[HOME_PATH_MAX];
    /* control socket */
    uv_pipe_t ctl;
    bool ctl_open;
    char ctl_path[HOME_PATH_MAX];
    ctl_conn *ctl_conns;
    size_t nctl;
    /* handles */
    uv_signal_t sigterm, sigint;
    uv_timer_t tick;
    uv_idle_t work;
    bool work_active;
    uv_prepare_t flush; /* writes the iteration's frames, one write per peer */
    bool flush_active;
    /* connections */
    peer *peers_head, *peers_tail;
    size_t npeers, nsessions;
    /* admission (guard.c) */
    size_t nhs_open, nhs_reserved;
    addr_rec *addrs; /* NET_ADDRS_MAX */
    double stranger_tokens;
    uint64_t stranger_refill_ms;
    key_rec *keys; /* NET_KEYS_MAX */
    struct dialer *dialers;
    size_t ndialers;
    /* peer exchange (pex.c) */
    pex_rec *learned; /* NET_PEX_LEARNED_MAX */
    struct dialer pex_dialers[NET_PEX_DIALS_MAX];
    uint64_t pex_version; /* bumped when what we would tell peers changed */
    uint16_t listen_port;
    /* feeds held, sorted by author */
    feed_rec *feeds;
    size_t nfeeds, feeds_cap;
    /* one frame of plaintext for encoding outgoing messages */
    uint8_t *scratch;
    /* a connection closed or a fetch ended: plan gets again next turn */
    bool replan;
    uint64_t last_unstall_ms;
    /* the last comparison of our own feed with a peer's recorded (wall ms;
     * 0: none in this run), at most one write per NET_OWN_COMPARED_MS */
    uint64_t own_compared_ms;
    /* What the node did since it started (`node status` "counters"; the
     * scale bench and test divide them by the appends): messages handled
     * by type, messages and bytes sent and received, cosignature lines
     * checked, refreshes of the feed table and cosig merges written. */
    uint64_t count_in[WIRE_PEERS + 1];
    uint64_t count_out, count_bytes_in, count_bytes_out, count_refreshes, count_cosig_writes;
    uint64_t count_batch_groups; /* store transactions that applied batches */
    uint64_t count_cosig_same;   /* cosigs of exactly the text held: dropped */
    uint64_t count_lines_waits;  /* checkpoints whose lines went down without a full set */
    uint64_t count_cosig_txns;   /* store transactions that merged cosigs alone */
    uint64_t count_cosig_folded; /* cosig merges in a transaction of batches */
    /* What runs beside replication (ext.c): the extension, and one call at
     * a time from its threads onto the loop. */
    const net_extension *ext;
    bool ext_ready, ext_started, call_async_open;
    uv_async_t call_async;
    pthread_mutex_t call_mu, call_one;
    pthread_cond_t call_cv;
    void (*call_fn)(void *);
    void *call_arg;
    bool call_done, call_closed;
    uint64_t count_pex_ignored;  /* peers messages past a session's rate */
    /* metrics.c: own entries noticed, batches applied and their time */
    uint64_t count_own_appended, count_ingest_batches, count_ingest_entries;
    net_histogram ingest_hist;
};

/* ---- ext.c ------------------------------------------------------------------ */
int net__ext_init(net_node *n);
/* On the loop once the node serves: start the extension (CF_OK when none). */
int net__ext_start(net_node *n, diag *d);
/* As the node stops: release a waiting call, stop the extension. */
void net__ext_stop(net_node *n);
void net__ext_free(net_node *n);
/* control.c: the status the control socket answers "status" with. */
json_t *net__ctl_status_json(net_node *n);

/* ---- metrics.c ------------------------------------------------------------- */
/* A connection is closing: remember the sizes it announced (net_feed_sync.seen). */
void net__metrics_peer_closing(peer *p);
/* Batches were applied in one store transaction that took ns (counted when
 * err is CF_OK: each batch's new entries, the transaction's time). */
void net__metrics_ingest(net_node *n, const struct batch_job *head, bool group, uint64_t ns,
                         int err);

/* ---- peer.c ---------------------------------------------------------------- */
/* A new connection (inbound after accept, outbound before connect): the
 * peer is linked into the node; tcp is initialised. NULL on ENOMEM. */
peer *net__peer_new(net_node *n, bool inbound);
/* Inbound: start the handshake as responder (after uv_accept). */
void net__peer_start_inbound(peer *p);
/* Outbound: connect to addr; on error the peer is closed (and logged). */
void net__peer_connect(peer *p, const struct sockaddr *addr);
/* Drop the connection, logging reason once (level: info for normal ends,
 * warn for a peer's fault). Idempotent. */
void net__peer_close(peer *p, enum net_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* net__peer_close with a cause of its own for the log's limiter (log.h; a
 * string with static storage). */
void net__peer_close_as(peer *p, enum net_log_level level, const char *cause, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The peer's own fault (it sent what fails verification or breaks the
 * protocol): net__peer_close at warn, and an identified member is backed off
 * (net__guard_ban). */
void net__peer_fault(peer *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Seal and queue one message (len 0: a keepalive). Drops the peer when its
 * queue would pass NET_OUT_BYTES_MAX. CF_OK or an error (peer closed). */
int net__peer_send(peer *p, const uint8_t *msg, size_t len);
/* Hand the frames queued since the last flush to libuv in one write. */
void net__peer_flush(peer *p);
/* The work loop took frames off the inbox: resume reading if paused. */
void net__peer_inbox_drained(peer *p);
/* Timeouts and keepalive, once per tick. */
void net__peer_tick(peer *p, uint64_t now_ms);
/* "name (addr)" or the address before the handshake named the peer. */
const char *net__peer_label(const peer *p, char *buf, size_t cap);

/* ---- guard.c --------------------------------------------------------------- */
int net__guard_init(net_node *n);
void net__guard_free(net_node *n);
void net__guard_addr_key(const struct sockaddr *sa, net_addr_key *out);
/* A connection was accepted from p->akey: take a handshake slot and a
 * token, or return the static reason to refuse it (what is written to
 * why[cap] names the numbers). May evict another address's handshake. */
const char *net__guard_admit(peer *p, char *why, size_t cap);
/* The inbound handshake ended (established, or closed: failed). */
void net__guard_handshake_done(peer *p, bool failed);
/* A member completed a handshake from (or is configured at) this address. */
void net__guard_member_addr(net_node *n, const net_addr_key *k);
/* The key's remaining ban, 0 when none (why: the reason it was banned). */
uint64_t net__guard_banned(net_node *n, const uint8_t key[32], const char **why);
/* The member behind p sent what fails verification: ban it (after a drop). */
void net__guard_ban(net_node *n, const uint8_t key[32], const char *why);
/* One strike for p's key; true when it has NET_STRIKES_MAX: drop it. */
bool net__guard_strike(peer *p);
/* A session of p's key is established: close its oldest past the limit. */
void net__guard_sessions(peer *p);
/* The work budget for p's unsolicited messages: may one be handled now? */
bool net__guard_budget_ok(peer *p);
void net__guard_budget_spend(peer *p, uint64_t ns);
/* A message that spends the budget. */
bool net__guard_budgeted(enum wire_type t);

/* ---- sync.c ---------------------------------------------------------------- */
/* A peer's status that shows our own feed not ahead of ours is a comparison
 * (own_feed.h): recorded in the store at most this often (a write each). */
#define NET_OWN_COMPARED_MS 60000
/* The peer's announced view of author's feed (NULL: none; *pos, optional:
 * where it would go). */
remote_feed *net__sync_remote_find(peer *p, const uint8_t author[32], size_t *pos);
/* Send to `to` (NULL: every peer) our latest checkpoint of each author as
 * a cosig message (cosig.c), but not to a peer known to hold that text. */
void net__sync_send_cosigs(net_node *n, peer *to, const uint8_t *const *authors, size_t count);
/* Choose the gets to send to p, and send them. */
void net__sync_plan(peer *p);
/* ---- cosig.c ---------------------------------------------------------------- */
/* The checkpoint text of a signed note, parsed (the text up to the blank
 * line; no signature checked): CF_OK or a format error. */
int net__ckpt_text(const char *note_text, size_t len, checkpoint *cp);
/* The tree size a cosig's checkpoint claims (unverified), or 0. */
uint64_t net__cosig_size(const wire_msg *m);
/* A cosig message: queued for the turn's merge (or, for our own feed ahead
 * of us, own.c). */
void net__cosig_on_message(peer *p, const wire_msg *m);
/* Merge every queued cosig in one store transaction; refresh the feeds
 * whose checkpoints changed. The cosig timer calls it, and the queue when
 * it holds NET_COSIG_QUEUE_MAX. */
void net__cosig_merge(net_node *n);
/* The queue's merge inside a transaction of another's (the turn's
 * batches, batch.c), and what follows its commit (err: the store_write's;
 * ns: its time, shared among the senders' budgets). */
int net__cosig_merge_txn(store_txn *txn, net_node *n);
void net__cosig_merged(net_node *n, int err, uint64_t ns);
/* Start the cosig timer (merge, then announce) unless it runs. */
void net__cosig_kick(net_node *n);
/* Writes of batches and cosig merges (node.c): when the next may begin
 * (uv_now; net_write_gap_ms after the last began); each write is bracketed
 * by begin (notes uv_now, returns uv_hrtime) and end (notes how long it
 * took). */
uint64_t net__node_write_due(const net_node *n);
uint64_t net__node_write_begin(net_node *n);
void net__node_write_end(net_node *n, uint64_t began_ns);
/* Whether lines of f's latest checkpoint may go to a peer other than
 * the one towards the author: the full set is held, or the wait ended. */
bool net__cosig_full(const feed_rec *f);
/* Whether our text of f's latest checkpoint goes up its tree as a request
 * for the lines we lack: this home keeps them (f->keeps), or a peer asked us
 * for them at this size; never for our own feed, nor once the set is full
 * or the wait for it ended. */
bool net__cosig_asks(const net_node *n, const feed_rec *f);
/* Whether our text of f's latest checkpoint is worth a cosig: it carries
 * cosignatures to pass on, or it asks for them (net__cosig_asks). */
bool net__cosig_sends(const net_node *n, const feed_rec *f);
/* f's lines no longer wait: its set is full, or it has a new checkpoint. */
void net__cosig_unhold(net_node *n, feed_rec *f);
/* Announce the feeds whose latest checkpoint's text changed, with
 * cosignatures (announce false: forget them). */
void net__cosig_announce(net_node *n, bool announce);
/* Send our latest checkpoint to each peer and feed marked cosig_due that
 * still holds it and is not known to hold our text; clear the marks. */
void net__cosig_send_due(net_node *n);
void net__cosig_on_timer(uv_timer_t *t);
/* A forged line in a message from p: logged, and a strike (guard.c). */
void net__cosig_forged(peer *p, uint64_t size, const char *who, const char *wit);
void net__cosig_on_close(peer *p);
void net__cosig_free(net_node *n);

/* ---- own.c ------------------------------------------------------------------ */
/* After the peer's status: it holds less of its own feed than we do — send
 * it our latest checkpoint of it (a cosig), once per size. */
void net__own_tell_peer(peer *p);
/* After the peer's status: what it holds of our own feed, compared. */
void net__own_compare(peer *p);
/* A cosig of our own feed larger than we hold: verify, record, fetch. */
void net__own_on_ahead(peer *p, const wire_msg *m);
/* Log, at start, a behind mark the home holds (own_feed.h). */
void net__own_start(net_node *n);
/* Read the store's feed table into n->feeds. announce: send what changed
 * (an incremental status) to every established peer. */
int net__sync_refresh(net_node *n, bool announce);
/* The same for some feeds, announced: after a batch or cosigs this node
 * applied to them (a fork found needs the whole table: net__sync_refresh). */
int net__sync_refresh_feeds(net_node *n, const uint8_t (*authors)[32], size_t count);
/* p holds (sent us, or was sent: `sent`) the checkpoint text of author's
 * feed with this hash (remote_feed.text_hash, .sent_hash); tree_size, when
 * not 0, the size of a batch of it that went over the link (.tree_size).
 * Returns p's record of the feed (NULL: none kept). */
remote_feed *net__sync_remote_holds(peer *p, const uint8_t author[32], uint64_t hash, bool sent,
                                    uint64_t tree_size);
/* A connection finished its handshake: send our whole status. */
void net__sync_on_established(peer *p);
/* Whether the work loop may handle this item now (a get waits while the
 * peer's output queue is above the soft mark). */
bool net__sync_ready(peer *p, const inbox_item *it);
/* Handle one message. The item stays the caller's, but for a batch that
 * waits for the turn's apply: true, it was taken (and is freed there). */
bool net__sync_on_message(peer *p, inbox_item *it);
/* Apply the batches the turn's messages brought (net__batch_apply_group),
 * then refresh, log and plan. The work loop calls it each turn. */
void net__sync_apply_batches(net_node *n);
/* The connection is closing: release what it was fetching. */
void net__sync_on_close(peer *p);
/* Send gets to every peer that is ahead of us, within the limits. */
void net__sync_plan_all(net_node *n);
/* Forget which feeds brought no progress (NET_STALL_RETRY_MS) and plan. */
void net__sync_unstall_all(net_node *n);
feed_rec *net__sync_feed_find(net_node *n, const uint8_t author[32]);
/* Find or add (size 0). Pointers into the table die at the next add. */
feed_rec *net__sync_feed_add(net_node *n, const uint8_t author[32]);
/* A fork proof became news here: tell every peer (but except). */
void net__sync_gossip_fork(net_node *n, const uint8_t author[32], const peer *except);
/* A 64-bit hash of a checkpoint text: tells whether it changed (a collision only
 * delays an announcement). */
uint64_t net__text_hash(const char *p, size_t len);
void net__sync_free(net_node *n);

/* ---- batch.c ---------------------------------------------------------------- */
/* Violations of one batch named in the log (the rest are counted). */
#define BATCH_REPORT_MAX 8

typedef struct batch_job {
    net_node *n;
    const wire_msg *msg;
    uint64_t size; /* the batch's checkpoint size, already verified */
    peer *p;                /* its sender */
    inbox_item *item;       /* the frame msg points into (owned) */
    struct batch_job *next; /* the turn's batches (net_node.batch_head) */
    ingest_prefix prefix;   /* the sender's root at `from`, its proof */
    int err;                /* the apply's */
    /* results */
    bool stale;    /* `from` is beyond what we hold: an earlier batch did not land */
    bool fork_new; /* a fork was proven now */
    uint64_t held_before, held_after;
    ingest_result ir;
    drain_result dr;
    size_t nviolations;
    struct {
        uint8_t author[32];
        uint64_t index;
        diag verdict;
    } violations[BATCH_REPORT_MAX];
    ingest_cosig_result cr; /* the batch checkpoint's cosignatures */
    bool own_caught_up;     /* our own feed's batch: the behind mark went (own_feed.h) */
    diag d;
    wire_iter it;
} batch_job;

typedef struct {
    net_node *n;
    const uint8_t *proof;
    size_t len;
    uint8_t author[32];
    bool is_new;
    diag d;
} fork_job;

/* Encode into out the answer to get(author, from): a batch (*served_n = its
 * checkpoint size, *text_hash net__text_hash of its checkpoint text) or,
 * when we hold nothing to serve, a none (both 0). Errors are the store's. */
int net__batch_serve(net_node *n, const uint8_t author[32], uint64_t from, uint8_t *out,
                size_t cap, size_t *len, uint64_t *served_n, uint64_t *text_hash);
/* Apply j->msg in one store write (ingest, then drain or rebuild). */
int net__batch_apply(batch_job *j);
/* Apply the batches of the list at head in one store write, when nothing
 * in them needs a batch alone: CF_OK, or non-zero and nothing written —
 * then apply each with net__batch_apply (a batch that does not verify is
 * its sender's fault; a fork, a rebuild, a forged line, our own feed or a
 * feed twice are reported per batch). With cosigs, the waiting cosig
 * messages are merged in the same transaction (net__cosig_merge_txn; the
 * caller then calls net__cosig_merged; *cosig_ns: their merge's time). */
int net__batch_apply_group(net_node *n, struct batch_job *head, bool cosigs,
                           uint64_t *cosig_ns);
/* Store a fork proof received from a peer (rebuild when it is news). */
int net__batch_apply_fork(fork_job *j);
/* A peer's checkpoint of our own feed (a cosig message): verified, and
 * recorded as the behind mark when larger than what we hold (own_feed.h;
 * CF_EVERIFY: not signed by our key). */
int net__batch_own_ahead(net_node *n, const char *ckpt, size_t len, const char *who,
                         own_feed_ahead *res, diag *d);
/* A peer's status showed our own feed at `size` (root at that size), not
 * ahead of ours: when our root at that size agrees, record the comparison
 * (*recorded). */
int net__batch_own_compared(net_node *n, uint64_t size, const uint8_t root[32], const char *who,
                            bool *recorded);
/* Witness the latest checkpoint of every feed held (when the node starts). */
int net__batch_witness_all(net_node *n, uint64_t *witnessed, diag *d);
/* The error is ours (disk, memory, store), not the peer's. */
bool net__batch_env_error(int err);

/* ---- node.c ---------------------------------------------------------------- */
/* Work arrived (or may proceed): make sure the work loop runs. */
void net__node_kick_work(net_node *n);
/* Apply the batches waiting (net__sync_apply_batches) now, or when
 * NET_WRITE_GAP_MS have passed since the last write. */
void net__node_write_batches(net_node *n);
/* Frames were queued: flush every peer's before the loop polls again. */
void net__node_kick_flush(net_node *n);
/* A connection closed: the dialer that owned it schedules a retry. */
void net__node_dialer_lost(struct dialer *dl, bool was_established, uint64_t lived_ms);
/* Member name for a key ("" when not a member), from a short read txn. */
void net__node_member_label(net_node *n, const uint8_t key[32], char *out, size_t cap);
uint64_t net__node_wall_ms(void);
void net__node_format_time(uint64_t wall_ms, char *out, size_t cap);

/* Start a dialer's first attempt now (pex.c: a learned address). */
void net__node_dial(struct dialer *dl);

/* ---- pex.c ------------------------------------------------------------------ */
int net__pex_init(net_node *n);
void net__pex_free(net_node *n);
/* Initialise the learned dialers' timers (start), close them (shutdown). */
void net__pex_start(net_node *n);
void net__pex_close(net_node *n);
/* A session started: send it our peers message (or drop a learned dial
 * that answered as another member). */
void net__pex_on_established(peer *p);
void net__pex_on_message(peer *p, const wire_msg *m);
/* Once per tick: peers messages that are due, dials below peers-target. */
void net__pex_tick(net_node *n, uint64_t now_ms);
/* A learned dial ended (established: it had a session). */
void net__pex_dial_ended(struct dialer *dl, bool established);
/* Learned addresses held. */
size_t net__pex_count(const net_node *n);

/* ---- control.c ------------------------------------------------------------- */
int net__ctl_listen(net_node *n, diag *d);
void net__ctl_close_all(net_node *n);
void net__ctl_tick(net_node *n, uint64_t now_ms);

#endif
