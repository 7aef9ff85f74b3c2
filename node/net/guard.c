/* guard.c — who may make the node work, and how much (docs/protocol.md §2
 * "Strangers and members"): handshake slots and rates per address, decided
 * at accept before any byte is read or any public-key work done; member
 * keys backed off after they sent what fails verification; sessions per
 * key; the work budget of each peer's unsolicited messages. The limits and
 * their reasons are in net_internal.h.
 *
 * Tables: NET_ADDRS_MAX addresses and NET_KEYS_MAX keys, each a flat array
 * scanned linearly (a scan of 1024 records is about a microsecond, and an
 * accept is refused or admitted with one).
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/cf_error.h"
#include "net_internal.h"

int net__guard_init(net_node *n)
{
    n->addrs = calloc(NET_ADDRS_MAX, sizeof *n->addrs);
    n->keys = calloc(NET_KEYS_MAX, sizeof *n->keys);
    if (n->addrs == NULL || n->keys == NULL) return CF_ENOMEM;
    n->stranger_tokens = NET_HS_BURST_STRANGERS;
    n->stranger_refill_ms = uv_now(&n->loop);
    return CF_OK;
}

void net__guard_free(net_node *n)
{
    free(n->addrs);
    free(n->keys);
    n->addrs = NULL;
    n->keys = NULL;
}

/* ---- addresses --------------------------------------------------------------- */

void net__guard_addr_key(const struct sockaddr *sa, net_addr_key *out)
{
    memset(out, 0, sizeof *out);
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)(const void *)sa;
        out->b[10] = out->b[11] = 0xff; /* ::ffff:a.b.c.d */
        memcpy(out->b + 12, &a->sin_addr, 4);
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)(const void *)sa;
        memcpy(out->b, &a->sin6_addr, 16);
        if (!IN6_IS_ADDR_V4MAPPED(&a->sin6_addr)) memset(out->b + 8, 0, 8); /* the /64 */
    }
}

static addr_rec *addr_find(net_node *n, const net_addr_key *k)
{
    for (size_t i = 0; i < NET_ADDRS_MAX; i++)
        if (n->addrs[i].used && memcmp(&n->addrs[i].key, k, sizeof *k) == 0) return &n->addrs[i];
    return NULL;
}

/* Find or add k; a full table forgets its least recently seen address
 * with no handshake in progress, an unknown one before a member's. */
static addr_rec *addr_get(net_node *n, const net_addr_key *k, uint64_t now)
{
    addr_rec *r = addr_find(n, k), *victim = NULL;
    if (r) return r;
    for (size_t i = 0; i < NET_ADDRS_MAX; i++) {
        addr_rec *c = &n->addrs[i];
        if (!c->used) {
            victim = c;
            break;
        }
        if (c->handshakes > 0) continue;
        if (victim == NULL || (victim->member && !c->member) ||
            (victim->member == c->member && c->seen_ms < victim->seen_ms))
            victim = c;
    }
    if (victim == NULL) return NULL; /* cannot happen: handshakes < NET_ADDRS_MAX */
    *victim = (addr_rec){.key = *k, .used = true, .tokens = NET_HS_BURST_UNKNOWN,
                         .refill_ms = now, .seen_ms = now};
    return victim;
}

static void refill(double *tokens, uint64_t *at_ms, uint64_t now, double rate, double burst)
{
    if (now > *at_ms) *tokens += (double)(now - *at_ms) * rate / 1000.0;
    if (*tokens > burst) *tokens = burst;
    *at_ms = now;
}

static void addr_refill(addr_rec *r, uint64_t now)
{
    if (r->member) refill(&r->tokens, &r->refill_ms, now, NET_HS_RATE_MEMBER, NET_HS_BURST_MEMBER);
    else refill(&r->tokens, &r->refill_ms, now, NET_HS_RATE_UNKNOWN, NET_HS_BURST_UNKNOWN);
}

void net__guard_member_addr(net_node *n, const net_addr_key *k)
{
    addr_rec *r = addr_get(n, k, uv_now(&n->loop));
    if (r == NULL || r->member) return;
    r->member = true;
    r->tokens = NET_HS_BURST_MEMBER; /* a member's burst from now on */
}

/* The inbound handshake from an unknown address that has held an open
 * slot longest, from the unknown address holding the most open slots (ties:
 * the oldest slot). Member addresses' handshakes are never evicted. */
static peer *fair_share_victim(net_node *n, uint32_t *held)
{
    peer *victim = NULL;
    uint32_t most = 0;
    for (peer *q = n->peers_head; q; q = q->next) {
        if (q->hs_pool != 1 || q->state != PEER_HANDSHAKE) continue;
        addr_rec *r = addr_find(n, &q->akey);
        if (r == NULL || r->member) continue;
        uint32_t k = r->handshakes;
        if (k > most || (k == most && victim && q->started_ms < victim->started_ms)) {
            most = k;
            victim = q;
        }
    }
    *held = most;
    return victim;
}

const char *net__guard_admit(peer *p, char *why, size_t cap)
{
    net_node *n = p->node;
    uint64_t now = uv_now(&n->loop);
    addr_rec *r = addr_get(n, &p->akey, now);
    if (r == NULL) return "refused: no room to remember the address";
    r->seen_ms = now;
    addr_refill(r, now);
    if (r->tokens < 1) {
        snprintf(why, cap, "refused: too many handshakes from %s (%d a second at most)", p->ip,
                 r->member ? NET_HS_RATE_MEMBER : NET_HS_RATE_UNKNOWN);
        return "refused: too many handshakes from one address";
    }
    if (!r->member) {
        refill(&n->stranger_tokens, &n->stranger_refill_ms, now, NET_HS_RATE_STRANGERS,
               NET_HS_BURST_STRANGERS);
        if (n->stranger_tokens < 1) {
            snprintf(why, cap, "refused: too many handshakes from addresses no member used "
                               "(%d a second at most)", NET_HS_RATE_STRANGERS);
            return "refused: too many handshakes from unknown addresses";
        }
    }
    uint32_t per_addr = r->member ? NET_HANDSHAKES_PER_MEMBER_ADDR_MAX : NET_HANDSHAKES_PER_ADDR_MAX;
    if (r->handshakes >= per_addr) {
        snprintf(why, cap, "refused: %u handshakes in progress from %s", per_addr, p->ip);
        return "refused: handshakes in progress from one address";
    }
    /* A member address takes a reserved slot first, so that the open
     * ones stay for newcomers; an unknown one only open slots. */
    if (r->member && n->nhs_reserved < NET_HANDSHAKES_RESERVED) {
        p->hs_pool = 2;
        n->nhs_reserved++;
    } else if (n->nhs_open < NET_HANDSHAKES_MAX) {
        p->hs_pool = 1;
        n->nhs_open++;
    } else {
        uint32_t held, mine = r->member ? 0 : r->handshakes;
        peer *v = fair_share_victim(n, &held);
        if (v == NULL || held < mine + 2) {
            snprintf(why, cap, "refused: %d handshakes in progress%s", NET_HANDSHAKES_MAX,
                     r->member ? " and every reserved one" : "");
            return "refused: every handshake slot busy";
        }
        net__peer_close(v, NET_LOG_WARN, "handshake slot given to another address (this one held "
                                    "%u of the %d open slots)", held, NET_HANDSHAKES_MAX);
        p->hs_pool = 1;
        n->nhs_open++;
    }
    r->handshakes++;
    r->tokens -= 1;
    if (!r->member) n->stranger_tokens -= 1;
    return NULL;
}

void net__guard_handshake_done(peer *p, bool failed)
{
    net_node *n = p->node;
    if (p->hs_pool == 0) return;
    if (p->hs_pool == 1) n->nhs_open--;
    else n->nhs_reserved--;
    p->hs_pool = 0;
    addr_rec *r = addr_find(n, &p->akey);
    if (r == NULL) return;
    r->handshakes--;
    if (failed) {
        r->tokens -= NET_HS_FAIL_TOKENS;
        double floor = -(double)(r->member ? NET_HS_BURST_MEMBER : NET_HS_BURST_UNKNOWN);
        if (r->tokens < floor) r->tokens = floor;
    }
}

/* ---- keys ------------------------------------------------------------------------ */

static key_rec *key_find(net_node *n, const uint8_t key[32])
{
    for (size_t i = 0; i < NET_KEYS_MAX; i++)
        if (n->keys[i].used && memcmp(n->keys[i].key, key, 32) == 0) return &n->keys[i];
    return NULL;
}

/* Find or add; a full table forgets the record whose last fault is oldest
 * among those not banned now (or the oldest). */
static key_rec *key_get(net_node *n, const uint8_t key[32], uint64_t now)
{
    key_rec *r = key_find(n, key), *victim = NULL;
    if (r) {
        if (now - r->strike_ms > n->to.strikes_forget_ms && r->banned_until_ms <= now)
            r->strikes = r->bans = 0;
        return r;
    }
    for (size_t i = 0; i < NET_KEYS_MAX; i++) {
        key_rec *c = &n->keys[i];
        if (!c->used) {
            victim = c;
            break;
        }
        bool c_banned = c->banned_until_ms > now;
        bool v_banned = victim && victim->banned_until_ms > now;
        if (victim == NULL || (v_banned && !c_banned) ||
            (v_banned == c_banned && c->strike_ms < victim->strike_ms))
            victim = c;
    }
    memset(victim, 0, sizeof *victim);
    victim->used = true;
    memcpy(victim->key, key, 32);
    return victim;
}

uint64_t net__guard_banned(net_node *n, const uint8_t key[32], const char **why)
{
    uint64_t now = uv_now(&n->loop);
    key_rec *r = key_find(n, key);
    if (r == NULL || r->banned_until_ms <= now) return 0;
    *why = r->why;
    return r->banned_until_ms - now;
}

void net__guard_ban(net_node *n, const uint8_t key[32], const char *why)
{
    uint64_t now = uv_now(&n->loop);
    key_rec *r = key_get(n, key, now);
    uint64_t ms = n->to.ban_min_ms;
    for (uint32_t i = 0; i < r->bans && ms < n->to.ban_max_ms; i++) ms *= 2;
    if (ms > n->to.ban_max_ms) ms = n->to.ban_max_ms;
    r->bans++;
    r->strikes = 0;
    r->strike_ms = now;
    r->banned_until_ms = now + ms;
    snprintf(r->why, sizeof r->why, "%s", why);
}

bool net__guard_strike(peer *p)
{
    net_node *n = p->node;
    uint64_t now = uv_now(&n->loop);
    key_rec *r = key_get(n, p->key, now);
    r->strike_ms = now;
    return ++r->strikes >= NET_STRIKES_MAX;
}

/* ---- sessions ------------------------------------------------------------------------ */

void net__guard_sessions(peer *p)
{
    net_node *n = p->node;
    for (;;) {
        peer *oldest = NULL;
        size_t count = 0;
        for (peer *q = n->peers_head; q; q = q->next) {
            if (q->state != PEER_ESTABLISHED || memcmp(q->key, p->key, 32) != 0) continue;
            count++;
            if (q != p && (oldest == NULL || q->established_ms < oldest->established_ms))
                oldest = q;
        }
        if (count <= NET_SESSIONS_PER_KEY_MAX || oldest == NULL) return;
        net__peer_close(oldest, NET_LOG_INFO, "replaced by a newer session of the same member (at "
                                         "most %d a member)", NET_SESSIONS_PER_KEY_MAX);
    }
}

/* ---- work budget ------------------------------------------------------------------------ */

bool net__guard_budgeted(enum wire_type t)
{
    return t == WIRE_STATUS || t == WIRE_COSIG || t == WIRE_FORK || t == WIRE_PEERS;
}

bool net__guard_budget_ok(peer *p)
{
    const int64_t burst = (int64_t)NET_PEER_WORK_BURST_MS * 1000000;
    uint64_t now = uv_hrtime();
    if (p->budget_at_ns == 0) p->budget_ns = burst;
    else if (now > p->budget_at_ns)
        p->budget_ns += (int64_t)((now - p->budget_at_ns) * NET_PEER_WORK_PCT / 100);
    if (p->budget_ns > burst) p->budget_ns = burst;
    p->budget_at_ns = now;
    return p->budget_ns > 0;
}

void net__guard_budget_spend(peer *p, uint64_t ns)
{
    p->budget_ns -= (int64_t)ns;
    p->work_ns += ns;
}
