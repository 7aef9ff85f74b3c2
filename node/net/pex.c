/* pex.c — peer exchange: members tell each other where members listen, and a
 * node below its peers-target dials some of them (docs/protocol.md §4 "Peer
 * exchange").
 *
 *   sending    on a session's start, and again at most every pex_ms while
 *              what we would send changed: our own listening port (host left
 *              empty: "where you see me") and up to 31 addresses members
 *              announced to us themselves;
 *   receiving  at most one peers message per session every pex_ms / 2 (the
 *              rest are ignored); the sender's own entry takes the address
 *              we see the session come from, never a host it names; other
 *              entries must be members of our roster with a numeric host;
 *   dialling   while fewer than peers-target members hold a session with
 *              us, up to NET_PEX_TRIES_MAX learned addresses at once, each
 *              with its own backoff; an address that answers as another
 *              member, or fails NET_PEX_FAILS_FORGET times running, goes.
 *
 * The table holds one address per member key (and a relayed one beside it),
 * NET_PEX_LEARNED_MAX keys in all:
 * a member's own announcement always replaces what we hold; a relayed one
 * never replaces the address of a member with a session now, nor one the
 * member announced itself — it is kept beside it, tried after the announced
 * one failed (a member that moved). So a lying
 * member can make us try at most two addresses per member key (its handshake
 * then fails: the responder must prove the member's key), at its own
 * message rate — never a host list without bound. */
#include <stdlib.h>
#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "home/state_kv.h"
#include "net_internal.h"

int net__pex_init(net_node *n)
{
    n->learned = calloc(NET_PEX_LEARNED_MAX, sizeof *n->learned);
    n->pex_version = 1;
    return n->learned ? CF_OK : CF_ENOMEM;
}

void net__pex_free(net_node *n)
{
    free(n->learned);
    n->learned = NULL;
}

void net__pex_start(net_node *n)
{
    for (size_t i = 0; i < NET_PEX_DIALS_MAX; i++) {
        n->pex_dialers[i].node = n;
        n->pex_dialers[i].learned = true;
        uv_timer_init(&n->loop, &n->pex_dialers[i].timer);
    }
}

void net__pex_close(net_node *n)
{
    for (size_t i = 0; i < NET_PEX_DIALS_MAX; i++) {
        if (n->pex_dialers[i].resolving) uv_cancel((uv_req_t *)&n->pex_dialers[i].gai);
        uv_close((uv_handle_t *)&n->pex_dialers[i].timer, NULL);
    }
}

size_t net__pex_count(const net_node *n)
{
    size_t c = 0;
    for (size_t i = 0; i < NET_PEX_LEARNED_MAX; i++) c += n->learned[i].used;
    return c;
}

/* ---- the table -------------------------------------------------------------- */

static pex_rec *rec_find(net_node *n, const uint8_t key[32])
{
    for (size_t i = 0; i < NET_PEX_LEARNED_MAX; i++)
        if (n->learned[i].used && memcmp(n->learned[i].key, key, 32) == 0) return &n->learned[i];
    return NULL;
}

static bool has_session(const net_node *n, const uint8_t key[32])
{
    for (const peer *p = n->peers_head; p; p = p->next)
        if (p->state == PEER_ESTABLISHED && memcmp(p->key, key, 32) == 0) return true;
    return false;
}

static void rec_drop(net_node *n, pex_rec *r)
{
    if (r->direct) n->pex_version++;
    memset(r, 0, sizeof *r);
}

/* Record key at host:port (a NUL-terminated numeric host). */
static void rec_put(net_node *n, const uint8_t key[32], const char *host, uint16_t port,
                    bool direct, uint64_t now)
{
    pex_rec *r = rec_find(n, key);
    if (r && strcmp(r->host, host) == 0 && r->port == port) {
        if (direct && !r->direct) n->pex_version++;
        r->direct |= direct;
        r->seen_ms = now;
        return;
    }
    if (r && !direct && has_session(n, key)) return;
    if (r && !direct && r->direct) {
        snprintf(r->alt_host, sizeof r->alt_host, "%s", host);
        r->alt_port = port;
        return;
    }
    if (r == NULL) {
        pex_rec *oldest = NULL;
        for (size_t i = 0; i < NET_PEX_LEARNED_MAX && r == NULL; i++)
            if (!n->learned[i].used) r = &n->learned[i];
        /* Full: a relayed address gives way first; a relayed newcomer
         * replaces only a relayed one. */
        for (size_t i = 0; i < NET_PEX_LEARNED_MAX && r == NULL; i++) {
            pex_rec *c = &n->learned[i];
            if ((!c->direct || direct) &&
                (oldest == NULL || (oldest->direct && !c->direct) ||
                 (oldest->direct == c->direct && c->seen_ms < oldest->seen_ms)))
                oldest = c;
        }
        if (r == NULL && oldest == NULL) return;
        if (r == NULL) rec_drop(n, r = oldest);
    }
    if (r->direct || direct) n->pex_version++;
    memset(r, 0, sizeof *r);
    r->used = true;
    memcpy(r->key, key, 32);
    snprintf(r->host, sizeof r->host, "%s", host);
    r->port = port;
    r->direct = direct;
    r->seen_ms = now;
}

/* ---- sending ------------------------------------------------------------------- */

static int by_key(const void *a, const void *b)
{
    return memcmp(((const wire_peer *)a)->key, ((const wire_peer *)b)->key, 32);
}

static void send_peers(peer *p, uint64_t now)
{
    net_node *n = p->node;
    wire_peer pe[WIRE_PEERS_MAX];
    size_t np = 0, len;
    if (n->listening && n->listen_port)
        pe[np++] = (wire_peer){.key = n->kp.pk, .host = "", .host_len = 0, .port = n->listen_port};
    size_t start = cf_random_uniform(NET_PEX_LEARNED_MAX);
    for (size_t i = 0; i < NET_PEX_LEARNED_MAX && np < WIRE_PEERS_MAX; i++) {
        const pex_rec *r = &n->learned[(start + i) % NET_PEX_LEARNED_MAX];
        if (!r->used || !r->direct || memcmp(r->key, p->key, 32) == 0 ||
            memcmp(r->key, n->kp.pk, 32) == 0)
            continue;
        pe[np++] = (wire_peer){.key = r->key, .host = r->host, .host_len = strlen(r->host),
                               .port = r->port};
    }
    p->pex_sent_ms = now;
    p->pex_sent_version = n->pex_version;
    if (np == 0) return;
    qsort(pe, np, sizeof pe[0], by_key);
    if (wire_encode_peers(n->scratch, HS_FRAME_PLAIN_MAX, pe, np, &len) == CF_OK)
        net__peer_send(p, n->scratch, len);
}

/* ---- receiving ----------------------------------------------------------------- */

/* The numeric address p's session comes from. */
static bool observed_host(peer *p, char *out, size_t cap)
{
    struct sockaddr_storage ss;
    int len = sizeof ss;
    if (uv_tcp_getpeername(&p->tcp, (struct sockaddr *)&ss, &len) != 0) return false;
    if (ss.ss_family == AF_INET)
        return uv_ip4_name((const struct sockaddr_in *)(const void *)&ss, out, cap) == 0;
    if (ss.ss_family == AF_INET6)
        return uv_ip6_name((const struct sockaddr_in6 *)(const void *)&ss, out, cap) == 0;
    return false;
}

static bool numeric_host(const char *h)
{
    unsigned char buf[16];
    return uv_inet_pton(AF_INET, h, buf) == 0 || uv_inet_pton(AF_INET6, h, buf) == 0;
}

void net__pex_on_message(peer *p, const wire_msg *m)
{
    net_node *n = p->node;
    uint64_t now = uv_now(&n->loop);
    if (p->pex_rx_ms && now - p->pex_rx_ms < n->to.pex_ms / 2) {
        n->count_pex_ignored++;
        return;
    }
    p->pex_rx_ms = now;
    store_txn *txn;
    ledger_kv kv;
    if (store_read_begin(n->h->st, &txn) != CF_OK) return;
    state_kv_init(&kv, txn);
    wire_iter it;
    wire_peer pe;
    wire_iter_init(&it, &m->addrs);
    while (wire_next_peer(&it, &pe) == CF_OK) {
        char host[WIRE_PEER_HOST_BYTES_MAX + 1];
        bool own = memcmp(pe.key, p->key, 32) == 0;
        state_member sm;
        if (memcmp(pe.key, n->kp.pk, 32) == 0) continue;
        if (own) {
            if (!observed_host(p, host, sizeof host)) continue;
        } else {
            if (pe.host_len == 0) continue;
            memcpy(host, pe.host, pe.host_len);
            host[pe.host_len] = '\0';
            if (!numeric_host(host) || state_member_get(&kv, pe.key, &sm) != CF_OK) continue;
        }
        rec_put(n, pe.key, host, pe.port, own, now);
    }
    store_read_end(txn);
}

void net__pex_on_established(peer *p)
{
    struct dialer *dl = p->dialer;
    if (dl && dl->learned && memcmp(dl->key, p->key, 32) != 0) {
        dl->mismatch = true;
        net__peer_close(p, NET_LOG_INFO, "a learned address of another member (dropped)");
        return;
    }
    send_peers(p, uv_now(&p->node->loop));
}

/* ---- dialling -------------------------------------------------------------------- */

static bool dialing(const net_node *n, const uint8_t key[32])
{
    for (size_t i = 0; i < NET_PEX_DIALS_MAX; i++)
        if (n->pex_dialers[i].used && memcmp(n->pex_dialers[i].key, key, 32) == 0) return true;
    return false;
}

/* Members with a session, and learned dials under way. */
static size_t members_held(const net_node *n)
{
    size_t c = 0;
    for (const peer *p = n->peers_head; p; p = p->next) {
        if (p->state != PEER_ESTABLISHED) continue;
        bool first = true;
        for (const peer *q = n->peers_head; q != p && first; q = q->next)
            if (q->state == PEER_ESTABLISHED && memcmp(q->key, p->key, 32) == 0) first = false;
        c += first;
    }
    for (size_t i = 0; i < NET_PEX_DIALS_MAX; i++)
        c += n->pex_dialers[i].used && !has_session(n, n->pex_dialers[i].key);
    return c;
}

static void dial_some(net_node *n, uint64_t now)
{
    size_t have = members_held(n);
    size_t start = cf_random_uniform(NET_PEX_LEARNED_MAX);
    for (size_t i = 0; i < NET_PEX_LEARNED_MAX && have < n->cfg.peers_target; i++) {
        pex_rec *r = &n->learned[(start + i) % NET_PEX_LEARNED_MAX];
        const char *why;
        if (!r->used || r->next_try_ms > now || has_session(n, r->key) || dialing(n, r->key) ||
            net__guard_banned(n, r->key, &why))
            continue;
        struct dialer *dl = NULL;
        size_t trying = 0;
        for (size_t j = 0; j < NET_PEX_DIALS_MAX; j++) {
            struct dialer *c = &n->pex_dialers[j];
            if (!c->used && dl == NULL) dl = c;
            trying += c->used && !has_session(n, c->key);
        }
        if (dl == NULL || trying >= NET_PEX_TRIES_MAX) return;
        dl->used = true;
        dl->mismatch = false;
        memcpy(dl->key, r->key, 32);
        bool alt = r->alt_port && r->failures % 2 == 1; /* announced and relayed in turn */
        snprintf(dl->addr.host, sizeof dl->addr.host, "%s", alt ? r->alt_host : r->host);
        dl->addr.port = alt ? r->alt_port : r->port;
        net_addr_format(&dl->addr, dl->text, sizeof dl->text);
        dl->conn = NULL;
        dl->failures = 0;
        dl->backoff_ms = n->to.backoff_min_ms;
        have++;
        net_debug("peer %s: dialling a learned address", dl->text);
        net__node_dial(dl);
    }
}

void net__pex_dial_ended(struct dialer *dl, bool established)
{
    net_node *n = dl->node;
    pex_rec *r = rec_find(n, dl->key);
    dl->used = false;
    if (r == NULL || ((r->port != dl->addr.port || strcmp(r->host, dl->addr.host) != 0) &&
                      (r->alt_port != dl->addr.port || strcmp(r->alt_host, dl->addr.host) != 0)))
        return;
    uint64_t now = uv_now(&n->loop);
    if (established && !dl->mismatch) {
        r->failures = 0;
        r->next_try_ms = now + n->to.backoff_min_ms;
        return;
    }
    if (dl->mismatch || ++r->failures >= NET_PEX_FAILS_FORGET) {
        rec_drop(n, r);
        return;
    }
    uint64_t delay = n->to.backoff_min_ms << (r->failures < 16 ? r->failures : 16);
    r->next_try_ms = now + (delay > n->to.backoff_max_ms ? n->to.backoff_max_ms : delay);
}

void net__pex_tick(net_node *n, uint64_t now)
{
    if (n->stopping) return;
    for (peer *p = n->peers_head; p; p = p->next)
        if (p->state == PEER_ESTABLISHED && p->pex_sent_version != n->pex_version &&
            now - p->pex_sent_ms >= n->to.pex_ms)
            send_peers(p, now);
    if (n->cfg.peers_target) dial_some(n, now);
}
