/* peer.c — one TCP connection: connect or accept, the handshake
 * (crypto/handshake.h), length-prefixed secretstream frames, the read buffer,
 * the inbox of decoded messages, the output queue, timeouts and keepalive.
 * What a message means is sync.c's business.
 *
 * Reading: bytes land in rbuf (at most one frame, NET_READ_BYTES_MAX); a
 * frame's declared length is checked (hs_frame_length) as soon as its four
 * length bytes are there, before its body is buffered. Complete frames are
 * decrypted and decoded right away — a violation drops the peer at once —
 * and queued in the inbox; the work loop (node.c) handles them in bounded
 * turns. When the inbox holds NET_INBOX_BYTES_MAX, reading pauses and TCP
 * pushes back on the sender.
 *
 * Lifetime: the peer embeds its uv_tcp_t; net__peer_close() logs the reason once,
 * releases what the peer holds and calls uv_close(); the memory is freed in
 * the close callback, after libuv cancelled any pending connect or write
 * (their callbacks see UV_ECANCELED first).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "home/state_kv.h"
#include "net_internal.h"

/* One frame to send. Frames queued during a loop iteration wait on the
 * peer's list and leave in one uv_write (one writev) before the loop
 * polls again (net__peer_flush); the first frame's req carries the rest. */
typedef struct write_req {
    uv_write_t req;
    peer *p;
    size_t len;
    struct write_req *next; /* the peer's unsent list, then the write's chain */
    uint8_t data[];
} write_req;

/* Frames in one uv_write at most. */
#define WRITE_BUFS_MAX 64

const char *net__peer_label(const peer *p, char *buf, size_t cap)
{
    if (p->identified)
        snprintf(buf, cap, "%s (%s)", p->name[0] ? p->name : "?", p->addr);
    else
        snprintf(buf, cap, "%s", p->addr);
    return buf;
}

static void on_close(uv_handle_t *handle)
{
    peer *p = container_of(handle, peer, tcp);
    net_node *n = p->node;
    if (p->prev) p->prev->next = p->next;
    else n->peers_head = p->next;
    if (p->next) p->next->prev = p->prev;
    else n->peers_tail = p->prev;
    n->npeers--;
    free(p->rbuf);
    free(p->remote);
    free(p);
}

peer *net__peer_new(net_node *n, bool inbound)
{
    peer *p = calloc(1, sizeof *p);
    if (p == NULL) return NULL;
    if (uv_tcp_init(&n->loop, &p->tcp) != 0) {
        free(p);
        return NULL;
    }
    p->node = n;
    p->inbound = inbound;
    p->state = inbound ? PEER_HANDSHAKE : PEER_CONNECTING;
    p->started_ms = uv_now(&n->loop);
    p->prev = n->peers_tail;
    if (n->peers_tail) n->peers_tail->next = p;
    else n->peers_head = p;
    n->peers_tail = p;
    n->npeers++;
    return p;
}

static void free_unsent(peer *p);

static void free_inbox(peer *p)
{
    inbox_item *it = p->in_head;
    while (it) {
        inbox_item *next = it->next;
        free(it);
        it = next;
    }
    p->in_head = p->in_tail = NULL;
    p->in_bytes = p->in_gets = 0;
}

static void vclose(peer *p, enum net_log_level level, const char *cause, const char *fmt,
                   va_list ap) __attribute__((format(printf, 4, 0)));
static void vclose(peer *p, enum net_log_level level, const char *cause, const char *fmt,
                   va_list ap)
{
    char reason[256], label[NET_ADDR_TEXT_BYTES + 80];
    net_node *n = p->node;
    if (p->state == PEER_CLOSING) return;
    vsnprintf(reason, sizeof reason, fmt, ap);
    /* Strangers can make every line before the handshake named a member:
     * rate-limited per cause (log.h). */
    net_log_limited(cause, p->identified,
                    p->identified ? NET_LOG_BURST_MEMBER : NET_LOG_BURST_STRANGER, level,
                    "peer %s closed: %s", net__peer_label(p, label, sizeof label), reason);
    bool was_established = p->state == PEER_ESTABLISHED;
    if (p->inbound && p->state == PEER_HANDSHAKE) net__guard_handshake_done(p, true);
    if (was_established) n->nsessions--;
    uint64_t lived = was_established ? uv_now(&n->loop) - p->established_ms : 0;
    p->state = PEER_CLOSING;
    net__metrics_peer_closing(p);
    net__sync_on_close(p);
    free_inbox(p);
    free_unsent(p);
    hs_wipe(&p->hs);
    if (p->dialer) {
        struct dialer *dl = p->dialer;
        p->dialer = NULL;
        dl->conn = NULL;
        net__node_dialer_lost(dl, was_established, lived);
    }
    uv_close((uv_handle_t *)&p->tcp, on_close);
}

void net__peer_close(peer *p, enum net_log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vclose(p, level, fmt, fmt, ap);
    va_end(ap);
}

void net__peer_close_as(peer *p, enum net_log_level level, const char *cause, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vclose(p, level, cause, fmt, ap);
    va_end(ap);
}

void net__peer_fault(peer *p, const char *fmt, ...)
{
    char why[128];
    va_list ap;
    if (p->state == PEER_CLOSING) return;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (p->identified) net__guard_ban(p->node, p->key, why);
    va_start(ap, fmt);
    vclose(p, NET_LOG_WARN, fmt, fmt, ap);
    va_end(ap);
}

/* ---- writing -------------------------------------------------------------- */

static void on_write(uv_write_t *req, int status)
{
    write_req *w = container_of(req, write_req, req);
    peer *p = w->p;
    bool was_high = p->out_queued >= NET_OUT_SOFT_BYTES;
    while (w) {
        write_req *next = w->next;
        p->out_queued -= w->len;
        free(w);
        w = next;
    }
    p->last_drain_ms = uv_now(&p->node->loop);
    if (status == UV_ECANCELED) return; /* closing */
    if (status < 0) {
        net__peer_close(p, NET_LOG_INFO, "write failed: %s", uv_strerror(status));
        return;
    }
    if (was_high && p->out_queued < NET_OUT_SOFT_BYTES && p->in_head)
        net__node_kick_work(p->node); /* gets waiting for the queue to drain */
}

/* Queue w (w->len bytes of data); frees w on error. */
static int queue_write(peer *p, write_req *w)
{
    if (p->out_queued + w->len > NET_OUT_BYTES_MAX) {
        free(w);
        net__peer_close(p, NET_LOG_WARN, "more than %u bytes queued for it: it does not read",
                   NET_OUT_BYTES_MAX);
        return CF_ETOOBIG;
    }
    w->p = p;
    w->next = NULL;
    if (p->unsent_tail) p->unsent_tail->next = w;
    else p->unsent_head = w;
    p->unsent_tail = w;
    net__node_kick_flush(p->node);
    if (p->out_queued == 0) p->last_drain_ms = uv_now(&p->node->loop);
    p->out_queued += w->len;
    p->bytes_out += w->len;
    p->node->count_bytes_out += w->len;
    p->last_tx_ms = uv_now(&p->node->loop);
    return CF_OK;
}

void net__peer_flush(peer *p)
{
    while (p->unsent_head && p->state != PEER_CLOSING) {
        uv_buf_t b[WRITE_BUFS_MAX];
        unsigned nb = 0;
        write_req *first = p->unsent_head, *last = NULL;
        for (write_req *w = first; w && nb < WRITE_BUFS_MAX; w = w->next)
            b[nb++] = uv_buf_init((char *)w->data, (unsigned)w->len), last = w;
        p->unsent_head = last->next;
        if (p->unsent_head == NULL) p->unsent_tail = NULL;
        last->next = NULL;
        int rc = uv_write(&first->req, (uv_stream_t *)&p->tcp, b, nb, on_write);
        if (rc) { /* on_write will not be called */
            for (write_req *w = first; w;) {
                write_req *next = w->next;
                p->out_queued -= w->len;
                free(w);
                w = next;
            }
            net__peer_close(p, NET_LOG_INFO, "write failed: %s", uv_strerror(rc));
            return;
        }
    }
}

/* Frames never handed to libuv (the connection is closing). */
static void free_unsent(peer *p)
{
    for (write_req *w = p->unsent_head; w;) {
        write_req *next = w->next;
        p->out_queued -= w->len;
        free(w);
        w = next;
    }
    p->unsent_head = p->unsent_tail = NULL;
}

static int write_raw(peer *p, const uint8_t *data, size_t len)
{
    write_req *w = malloc(sizeof *w + len);
    if (w == NULL) {
        net__peer_close(p, NET_LOG_ERROR, "out of memory");
        return CF_ENOMEM;
    }
    memcpy(w->data, data, len);
    w->len = len;
    return queue_write(p, w);
}

int net__peer_send(peer *p, const uint8_t *msg, size_t len)
{
    if (p->state != PEER_ESTABLISHED) return CF_EINVAL;
    if (len > HS_FRAME_PLAIN_MAX) return CF_ETOOBIG;
    size_t cap = HS_FRAME_LEN_BYTES + HS_FRAME_OVERHEAD + len;
    write_req *w = malloc(sizeof *w + cap);
    if (w == NULL) {
        net__peer_close(p, NET_LOG_ERROR, "out of memory");
        return CF_ENOMEM;
    }
    int err = hs_seal(&p->hs, msg, len, w->data, cap, &w->len);
    if (err) {
        free(w);
        net__peer_close(p, NET_LOG_ERROR, "cannot seal a frame: %s", cf_strerror_en(err));
        return err;
    }
    if (net_log_enabled(NET_LOG_DEBUG) && len > 0) {
        char label[NET_ADDR_TEXT_BYTES + 80];
        wire_msg m;
        const char *t = wire_decode(msg, len, &m, NULL) == CF_OK ? wire_type_name(m.type) : "?";
        net_debug("peer %s: sent %s (%zu bytes)", net__peer_label(p, label, sizeof label), t, len);
    }
    p->node->count_out += len > 0;
    return queue_write(p, w);
}

/* ---- reading -------------------------------------------------------------- */

static void on_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *buf)
{
    peer *p = container_of(handle, peer, tcp);
    (void)suggested;
    if (p->rcap - p->rlen < NET_READ_CHUNK && p->rcap < NET_READ_BYTES_MAX) {
        size_t cap = p->rcap ? p->rcap * 2 : NET_READ_CHUNK;
        if (cap < p->rlen + NET_READ_CHUNK) cap = p->rlen + NET_READ_CHUNK;
        if (cap > NET_READ_BYTES_MAX) cap = NET_READ_BYTES_MAX;
        uint8_t *nb = realloc(p->rbuf, cap);
        if (nb) {
            p->rbuf = nb;
            p->rcap = cap;
        }
    }
    /* A full buffer gives UV_ENOBUFS in on_read: it cannot happen, since a
     * buffer of NET_READ_BYTES_MAX always completes the frame it holds. */
    buf->base = (char *)p->rbuf + p->rlen;
    buf->len = p->rcap - p->rlen;
}

/* Look the peer up in the roster: it must be a member as of our state. */
static int identify(peer *p)
{
    net_node *n = p->node;
    const uint8_t *key = hs_peer_key(&p->hs);
    store_txn *txn;
    ledger_kv kv;
    state_member m;
    char hex[17];
    memcpy(p->key, key, 32);
    cf_hex_encode(key, 8, hex, sizeof hex);
    int err = store_read_begin(n->h->st, &txn);
    if (err) {
        net__peer_close(p, NET_LOG_ERROR, "cannot read the roster: %s", cf_strerror_en(err));
        return err;
    }
    state_kv_init(&kv, txn);
    err = state_member_get(&kv, key, &m);
    store_read_end(txn);
    if (err == CF_ENOTFOUND) {
        net__peer_close(p, NET_LOG_WARN, "handshake: key %s… is not a member of this network "
                                    "(as far as this node knows)", hex);
        return err;
    }
    if (err) {
        net__peer_close(p, NET_LOG_ERROR, "cannot read the roster: %s", cf_strerror_en(err));
        return err;
    }
    p->identified = true;
    p->role = m.role;
    snprintf(p->name, sizeof p->name, "%s", m.name);
    const char *why = NULL;
    uint64_t left = net__guard_banned(n, key, &why);
    if (left) {
        net__peer_close(p, NET_LOG_WARN, "refused: backed off for %llu s more after: %s",
                   (unsigned long long)((left + 999) / 1000), why);
        return CF_EINVAL;
    }
    if (n->nsessions >= NET_PEERS_MAX) {
        net__peer_close(p, NET_LOG_WARN, "refused: %d sessions already", NET_PEERS_MAX);
        return CF_ETOOBIG;
    }
    /* A member used this address: its handshakes get the reserved slots. */
    net__guard_member_addr(n, &p->akey);
    return CF_OK;
}

static void established(peer *p)
{
    net_node *n = p->node;
    if (p->inbound) net__guard_handshake_done(p, false);
    p->state = PEER_ESTABLISHED;
    n->nsessions++;
    p->established_ms = p->last_rx_ms = p->last_tx_ms = uv_now(&n->loop);
    p->since_wall_ms = net__node_wall_ms();
    if (p->dialer) p->dialer->failures = 0;
    static const char connected[] = "peer %s connected: %s (%s, %s)";
    net_log_limited(connected, true, NET_LOG_BURST_MEMBER, NET_LOG_INFO, connected, p->addr,
                    p->name, role_name(p->role), p->inbound ? "inbound" : "outbound");
    net__guard_sessions(p);
    net__sync_on_established(p);
    if (p->state == PEER_ESTABLISHED) net__pex_on_established(p);
}

static const char *hs_reason(int err)
{
    switch (err) {
    case CF_EWRONG_NETWORK: return "handshake: the peer is on another network";
    case CF_EFORMAT: return "handshake: not a cofund handshake message (garbage or wrong protocol)";
    case CF_EHS_BAD_SIG: return "handshake: the peer's signature does not verify";
    case CF_EHS_PEER: return "handshake: the peer presented this node's own key";
    case CF_ECRYPTO: return "handshake: key exchange failed (bad ephemeral key)";
    default: return "handshake failed";
    }
}

/* One complete handshake message of the expected size at in. */
static void handshake_step(peer *p, const uint8_t *in, size_t len)
{
    uint8_t out[HS_ACCEPT_BYTES > HS_PROVE_BYTES ? HS_ACCEPT_BYTES : HS_PROVE_BYTES];
    enum hs_state st = hs_get_state(&p->hs);
    int err;
    if (st == HS_WAIT_HELLO) {
        if ((err = hs_on_hello(&p->hs, in, len, out)) != 0) {
            net__peer_close_as(p, NET_LOG_WARN, hs_reason(err), "%s", hs_reason(err));
            return;
        }
        write_raw(p, out, HS_ACCEPT_BYTES);
    } else if (st == HS_WAIT_PROVE) {
        if ((err = hs_on_prove(&p->hs, in, len)) != 0) {
            net__peer_close_as(p, NET_LOG_WARN, hs_reason(err), "%s", hs_reason(err));
            return;
        }
        if (identify(p) == CF_OK) established(p);
    } else if (st == HS_WAIT_ACCEPT) {
        if ((err = hs_on_accept(&p->hs, in, len, out)) != 0) {
            net__peer_close_as(p, NET_LOG_WARN, hs_reason(err), "%s", hs_reason(err));
            return;
        }
        /* The roster check comes before PROVE: a non-member learns nothing. */
        if (identify(p) != CF_OK) return;
        if (write_raw(p, out, HS_PROVE_BYTES) == CF_OK) established(p);
    } else {
        net__peer_close(p, NET_LOG_ERROR, "handshake in an unexpected state");
    }
}

static size_t handshake_need(const peer *p)
{
    switch (hs_get_state(&p->hs)) {
    case HS_WAIT_HELLO: return HS_HELLO_BYTES;
    case HS_WAIT_PROVE: return HS_PROVE_BYTES;
    case HS_WAIT_ACCEPT: return HS_ACCEPT_BYTES;
    default: return 0;
    }
}

static void pause_reading(peer *p)
{
    if (p->reading) uv_read_stop((uv_stream_t *)&p->tcp);
    p->reading = false;
}

/* One complete frame of fl bytes at f. */
static void frame_in(peer *p, const uint8_t *f, size_t fl)
{
    char label[NET_ADDR_TEXT_BYTES + 80];
    const char *why;
    size_t cap = fl - HS_FRAME_LEN_BYTES - HS_FRAME_OVERHEAD, plen;
    inbox_item *it = malloc(sizeof *it + cap);
    if (it == NULL) {
        net__peer_close(p, NET_LOG_ERROR, "out of memory");
        return;
    }
    int err = hs_open(&p->hs, f, fl, it->bytes, cap, &plen);
    if (err) {
        free(it);
        net__peer_fault(p, "a frame does not decrypt (%s): tampered, replayed or reordered",
                   cf_strerror_en(err));
        return;
    }
    if (plen == 0) { /* keepalive */
        free(it);
        return;
    }
    if ((err = wire_decode(it->bytes, plen, &it->msg, &why)) != 0) {
        free(it);
        net__peer_fault(p, "protocol violation: %s", why ? why : cf_strerror_en(err));
        return;
    }
    if (net_log_enabled(NET_LOG_DEBUG)) /* the label costs a snprintf per frame */
        net_debug("peer %s: received %s (%zu bytes)", net__peer_label(p, label, sizeof label),
                  wire_type_name(it->msg.type), plen);
    if (it->msg.type == WIRE_GET) p->gets_received++;
    if (it->msg.type == WIRE_GET && ++p->in_gets > NET_SERVE_GETS_MAX) {
        free(it);
        net__peer_fault(p, "protocol violation: more than %d gets in flight", NET_SERVE_GETS_MAX);
        return;
    }
    it->len = plen;
    it->next = NULL;
    if (p->in_tail) p->in_tail->next = it;
    else p->in_head = it;
    p->in_tail = it;
    p->in_bytes += plen;
    net__node_kick_work(p->node);
}

/* Handle everything complete in rbuf, as far as the inbox allows. */
static void process_input(peer *p)
{
    size_t off = 0;
    while (p->state != PEER_CLOSING) {
        const uint8_t *at = p->rbuf + off;
        size_t avail = p->rlen - off;
        if (p->state == PEER_HANDSHAKE) {
            size_t need = handshake_need(p);
            if (need == 0 || avail < need) break;
            handshake_step(p, at, need);
            off += need;
            continue;
        }
        if (p->state != PEER_ESTABLISHED) break;
        if (p->in_bytes >= NET_INBOX_BYTES_MAX) {
            pause_reading(p);
            break;
        }
        size_t fl;
        int err = hs_frame_length(at, avail, &fl);
        if (err == CF_EINCOMPLETE) break;
        if (err) {
            net__peer_fault(p, "protocol violation: frame length %s",
                       err == CF_ETOOBIG ? "over the 1 MiB limit" : "below the minimum");
            break;
        }
        frame_in(p, at, fl);
        off += fl;
    }
    if (p->state == PEER_CLOSING) return;
    if (off > 0) {
        memmove(p->rbuf, p->rbuf + off, p->rlen - off);
        p->rlen -= off;
    }
    if (p->rlen == 0 && p->rcap > 2 * NET_READ_CHUNK) { /* give back a big frame's buffer */
        free(p->rbuf);
        p->rbuf = NULL;
        p->rcap = 0;
    }
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
    peer *p = container_of(stream, peer, tcp);
    (void)buf;
    if (p->state == PEER_CLOSING) return;
    if (nread == UV_EOF) {
        net__peer_close(p, NET_LOG_INFO, "connection closed by the peer");
        return;
    }
    if (nread < 0) {
        net__peer_close(p, NET_LOG_INFO, "read failed: %s", uv_strerror((int)nread));
        return;
    }
    if (nread == 0) return;
    p->rlen += (size_t)nread;
    p->bytes_in += (uint64_t)nread;
    p->node->count_bytes_in += (uint64_t)nread;
    p->last_rx_ms = uv_now(&p->node->loop);
    process_input(p);
}

static int start_reading(peer *p)
{
    int rc = uv_read_start((uv_stream_t *)&p->tcp, on_alloc, on_read);
    if (rc) {
        net__peer_close(p, NET_LOG_ERROR, "cannot read: %s", uv_strerror(rc));
        return CF_EIO;
    }
    p->reading = true;
    return CF_OK;
}

void net__peer_inbox_drained(peer *p)
{
    if (p->state != PEER_ESTABLISHED || p->reading || p->in_bytes >= NET_INBOX_BYTES_MAX)
        return;
    process_input(p); /* frames already buffered first */
    if (p->state != PEER_ESTABLISHED || p->in_bytes >= NET_INBOX_BYTES_MAX) return;
    p->last_rx_ms = uv_now(&p->node->loop); /* we were not listening */
    start_reading(p);
}

/* ---- starting ------------------------------------------------------------- */

static int hs_start(peer *p, enum hs_role role)
{
    net_node *n = p->node;
    int err = hs_init(&p->hs, role, n->net.net, n->kp.pk, n->kp.sk);
    if (err) net__peer_close(p, NET_LOG_ERROR, "cannot start a handshake: %s", cf_strerror_en(err));
    return err;
}

void net__peer_start_inbound(peer *p)
{
    uv_tcp_nodelay(&p->tcp, 1);
    if (hs_start(p, HS_RESPONDER) == CF_OK) start_reading(p);
}

static void on_connect(uv_connect_t *req, int status)
{
    peer *p = container_of(req, peer, connect_req);
    uint8_t hello[HS_HELLO_BYTES];
    if (status == UV_ECANCELED || p->state == PEER_CLOSING) return;
    if (status < 0) {
        enum net_log_level level =
            p->dialer && p->dialer->failures > 0 ? NET_LOG_DEBUG : NET_LOG_INFO;
        net__peer_close(p, level, "connect failed: %s", uv_strerror(status));
        return;
    }
    uv_tcp_nodelay(&p->tcp, 1);
    p->state = PEER_HANDSHAKE;
    if (hs_start(p, HS_INITIATOR) != CF_OK) return;
    int err = hs_hello(&p->hs, hello);
    if (err) {
        net__peer_close(p, NET_LOG_ERROR, "cannot start a handshake: %s", cf_strerror_en(err));
        return;
    }
    if (write_raw(p, hello, sizeof hello) == CF_OK) start_reading(p);
}

void net__peer_connect(peer *p, const struct sockaddr *addr)
{
    int rc = uv_tcp_connect(&p->connect_req, &p->tcp, addr, on_connect);
    if (rc) /* on_connect will not be called */
        net__peer_close(p, p->dialer && p->dialer->failures > 0 ? NET_LOG_DEBUG : NET_LOG_INFO,
                   "connect failed: %s", uv_strerror(rc));
}

/* ---- timers --------------------------------------------------------------- */

void net__peer_tick(peer *p, uint64_t now)
{
    const net_timeouts *to = &p->node->to;
    if (p->state == PEER_CONNECTING || p->state == PEER_HANDSHAKE) {
        if (now - p->started_ms > (p->inbound ? to->handshake_in_ms : to->handshake_ms))
            net__peer_close(p, NET_LOG_WARN, "%s not finished within %.1f s",
                       p->state == PEER_CONNECTING ? "connect" : "handshake",
                       (double)(p->inbound ? to->handshake_in_ms : to->handshake_ms) / 1000);
        return;
    }
    if (p->state != PEER_ESTABLISHED) return;
    if (p->reading && now - p->last_rx_ms > to->idle_ms) {
        net__peer_close(p, NET_LOG_WARN, "silent for %llu s",
                   (unsigned long long)(to->idle_ms / 1000));
        return;
    }
    if (p->out_queued > 0 && now - p->last_drain_ms > to->write_stall_ms) {
        net__peer_close(p, NET_LOG_WARN, "has not read what we sent for %llu s",
                   (unsigned long long)(to->write_stall_ms / 1000));
        return;
    }
    if (now - p->last_tx_ms >= to->keepalive_ms) net__peer_send(p, NULL, 0);
}
