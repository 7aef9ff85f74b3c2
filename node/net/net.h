/* net.h — the replication daemon (`cofund node run`) and its control socket,
 * as the command line sees them. docs/protocol.md describes the protocol,
 * docs/operations.md running a node.
 *
 * Files in node/net/:
 *   wire.c     message codec (pure)
 *   config.c   <home>/config and addresses
 *   log.c      the log lines on stderr, and their limiter
 *   guard.c    who may make the node work: handshake slots and rates per
 *              address, sessions per key, members backed off, work budgets
 *   peer.c     one TCP connection: handshake, frames, buffers, limits
 *   sync.c     what to ask and tell: status, get, batch, none, fork
 *   own.c      this home's own feed as peers hold it: behind after a restore
 *   batch.c    the store work behind them: serve a get, apply a batch or a fork
 *   node.c     the daemon: loop, listener, dialling, timers, work, signals
 *   control.c  the daemon's end of <home>/node.sock
 *   notify.c   the CLI's end of <home>/node.sock (no libuv)
 *   metrics.c  what /metrics reads: sync lag, appends, ingests and their time
 */
#ifndef COFUND_NET_H
#define COFUND_NET_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "crypto/keyfile.h"
#include "home/home.h"
#include "ledger/diag.h"

/* Files in the home (docs/operations.md). */
#define NET_SOCK_FILE "node.sock" /* control socket, mode 0600, while a node runs */
#define NET_PORT_FILE "node.port" /* the bound port, while a node listens */
#define NET_LOCK_FILE "node.lock" /* flock: one node per home */

/* Run the node on home h with member key kp until SIGTERM or SIGINT.
 * Prints "ready: listening on HOST:PORT" (or "ready: not listening") on
 * stdout once it serves. CF_OK after a clean stop; otherwise an error with d
 * saying why it could not start (another node runs on the home: CF_EEXISTS;
 * no network: CF_ENO_NETWORK; cannot listen: CF_EIO). */
int net_node_run(home *h, const keyfile_keypair *kp, const net_config *cfg, diag *d);

/* ---- Beside replication: the dashboard (node/cli/http_server.c) ----------
 * An extension is started on the node's loop once the node serves (an error
 * stops the node before it runs) and stopped on the loop as the node stops.
 * Its own threads reach the home only through net_node_call: the store
 * handle and the caches are the loop's. */
typedef struct net_node net_node;
typedef struct {
    int (*start)(void *arg, net_node *n, diag *d);
    void (*stop)(void *arg);
    void *arg;
} net_extension;
/* net_node_run with ext (NULL: none). */
int net_node_run_ext(home *h, const keyfile_keypair *kp, const net_config *cfg,
                     const net_extension *ext, diag *d);
/* From an extension's thread: run fn(arg) on the node's loop between two
 * turns of its work, and wait until it ran. One call at a time (others
 * wait their turn). CF_EIO when the node is stopping: fn did not run. */
int net_node_call(net_node *n, void (*fn)(void *arg), void *arg);
/* On the loop (inside net_node_call): the node's home, and its status as
 * the control socket answers it (`node status`'s "node"; malloc'd JSON text,
 * NULL on ENOMEM). */
home *net_node_home(const net_node *n);
char *net_node_status_text(net_node *n);

/* ---- Metrics (metrics.c; node/cli/http_metrics.c exports them) -----------
 * A latency histogram: observations counted in cumulative buckets (upper
 * bounds net_latency_bounds, in seconds; +Inf is count), their sum. */
#define NET_LATENCY_BUCKETS 9
extern const double net_latency_bounds[NET_LATENCY_BUCKETS];
typedef struct {
    uint64_t count, le[NET_LATENCY_BUCKETS];
    double sum_s;
} net_histogram;
void net_histogram_observe(net_histogram *h, double seconds);
/* One feed as replication sees it: entries held here, the largest size any
 * peer announced holding since the node started (peers that left
 * included; 0: none did), and when its held size last grew (wall ms; 0:
 * not since the node started). */
typedef struct {
    uint8_t author[32];
    uint64_t held, seen, grew_wall_ms;
} net_feed_sync;
typedef struct {
    net_feed_sync *feeds; /* malloc'd, by author */
    size_t nfeeds;
    uint64_t own_appended;    /* this home's own new entries the node noticed and announced */
    uint64_t ingest_batches;  /* peers' batches applied */
    uint64_t ingest_entries;  /* entries they added here */
    net_histogram ingest;     /* one observation a store transaction that applied
                               * batches (verify, rules, commit) */
} net_sync_stats;
/* On the loop (inside net_node_call): the figures above. CF_ENOMEM. */
int net_node_sync_stats(net_node *n, net_sync_stats *out);
void net_sync_stats_free(net_sync_stats *s);

/* ---- Control socket, client side (no libuv) ------------------------------
 * Tell the node on home_dir that this process appended: it announces the
 * new checkpoint at once. Never blocks for long and never fails loudly: no
 * node, a refusing or full socket all return an error the caller ignores. */
int net_ctl_notify(const char *home_dir);

/* Ask the node for its status: *reply (malloc'd, NUL-terminated JSON, the
 * caller frees it) on CF_OK. CF_ENOTFOUND when no node answers on the
 * socket (none runs); CF_EIO on a broken or timed-out exchange. */
int net_ctl_status(const char *home_dir, char **reply);

#endif
