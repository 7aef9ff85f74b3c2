/* node.c — the daemon: the loop and its handles.
 *
 *   listener    uv_tcp_t accepting peers (bounded: NET_PEERS_MAX connections,
 *               NET_HANDSHAKES_MAX handshakes, NET_HANDSHAKES_PER_ADDR_MAX
 *               per address)
 *   dialers     one uv_timer_t per configured peer: resolve, connect, and
 *               after a loss retry with exponential backoff and jitter
 *   tick        uv_timer_t every NET_TICK_MS: timeouts, keepalives, and a
 *               look at the store (appends by the CLI, imports)
 *   work        uv_idle_t running queued messages in turns of at most
 *               NET_WORK_TURN_MS, round-robin over peers; active only while
 *               there is work, so the loop sleeps otherwise
 *   signals     SIGTERM and SIGINT: close everything, let the loop end
 *   control     <home>/node.sock (control.c)
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "crypto/cf_error.h"
#include "crypto/cf_i18n.h"
#include "crypto/cf_util.h"
#include "home/state_kv.h"
#include "ledger/rules.h"
#include "net.h"
#include "net_internal.h"

uint64_t net__node_wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void net__node_format_time(uint64_t ms, char *out, size_t cap)
{
    time_t s = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&s, &tm);
    snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%03uZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (unsigned)(ms % 1000));
}

void net__node_member_label(net_node *n, const uint8_t key[32], char *out, size_t cap)
{
    store_txn *txn;
    ledger_kv kv;
    if (store_read_begin(n->h->st, &txn) != CF_OK) {
        char hex[CF_HEX32_BYTES];
        cf_hex_encode(key, 32, hex, sizeof hex);
        snprintf(out, cap, "%.16s", hex);
        return;
    }
    state_kv_init(&kv, txn);
    ledger_member_label(&kv, key, out, cap);
    store_read_end(txn);
}

/* ---- work ------------------------------------------------------------------ */

static bool has_ready_work(net_node *n)
{
    for (peer *p = n->peers_head; p; p = p->next)
        if (p->state == PEER_ESTABLISHED && p->in_head && net__sync_ready(p, p->in_head)) return true;
    return false;
}

static void on_work(uv_idle_t *handle)
{
    net_node *n = container_of(handle, net_node, work);
    uint64_t start = uv_hrtime(), budget = (uint64_t)NET_WORK_TURN_MS * 1000000;
    bool progress;
    if (n->replan) net__sync_plan_all(n);
    do {
        progress = false;
        /* p is freed only in its close callback, never during this one. */
        for (peer *p = n->peers_head; p; p = p->next) {
            if (p->state != PEER_ESTABLISHED || !p->in_head || !net__sync_ready(p, p->in_head))
                continue;
            inbox_item *it = p->in_head;
            p->in_head = it->next;
            if (p->in_head == NULL) p->in_tail = NULL;
            p->in_bytes -= it->len;
            uint64_t t0 = uv_hrtime();
            enum wire_type type = it->msg.type;
            if (!net__sync_on_message(p, it)) free(it);
            p->messages_in++;
            n->count_in[type]++;
            if (net__guard_budgeted(type)) net__guard_budget_spend(p, uv_hrtime() - t0);
            net__peer_inbox_drained(p);
            progress = true;
            if (uv_hrtime() - start >= budget) break;
        }
    } while (progress && uv_hrtime() - start < budget);
    /* The turn's batches, applied together (sync.c) now or at the end of
     * the write gap; cosig messages wait for their timer (cosig.c) or go
     * with the batches. */
    net__node_write_batches(n);
    /* Fairness: the next turn starts with the next peer. */
    if (n->peers_head && n->peers_head != n->peers_tail) {
        peer *p = n->peers_head;
        n->peers_head = p->next;
        n->peers_head->prev = NULL;
        p->prev = n->peers_tail;
        p->next = NULL;
        n->peers_tail->next = p;
        n->peers_tail = p;
    }
    if (!n->replan && !has_ready_work(n)) {
        uv_idle_stop(&n->work);
        n->work_active = false;
    }
}

static void on_write_timer(uv_timer_t *t)
{
    net_node *n = container_of(t, net_node, write_timer);
    /* A cosig merge since it was armed may have moved the gap's end. */
    if (!n->stopping) net__node_write_batches(n);
}

uint64_t net__node_write_due(const net_node *n)
{
    return n->last_write_ms + net_write_gap_ms(n->last_write_took_ms);
}

uint64_t net__node_write_begin(net_node *n)
{
    n->last_write_ms = uv_now(&n->loop);
    return uv_hrtime();
}

void net__node_write_end(net_node *n, uint64_t began_ns)
{
    n->last_write_took_ms = (uv_hrtime() - began_ns) / 1000000;
}

void net__node_write_batches(net_node *n)
{
    if (n->batch_head == NULL || n->stopping) return;
    uint64_t now = uv_now(&n->loop), due = net__node_write_due(n);
    if (now >= due || n->batch_bytes >= NET_WRITE_NOW_BYTES)
        net__sync_apply_batches(n);
    else if (!uv_is_active((uv_handle_t *)&n->write_timer))
        uv_timer_start(&n->write_timer, on_write_timer, due - now, 0);
}

void net__node_kick_work(net_node *n)
{
    if (n->work_active || n->stopping) return;
    if (uv_idle_start(&n->work, on_work) == 0) n->work_active = true;
}

static void on_flush(uv_prepare_t *handle)
{
    net_node *n = container_of(handle, net_node, flush);
    for (peer *p = n->peers_head; p; p = p->next)
        if (p->unsent_head) net__peer_flush(p);
    uv_prepare_stop(&n->flush);
    n->flush_active = false;
}

void net__node_kick_flush(net_node *n)
{
    if (n->flush_active || n->stopping) return;
    if (uv_prepare_start(&n->flush, on_flush) == 0) n->flush_active = true;
}

/* ---- dialing ---------------------------------------------------------------- */

static void on_dial_timer(uv_timer_t *t);

static void dial_after(struct dialer *dl, uint64_t delay_ms)
{
    dl->next_attempt_wall_ms = net__node_wall_ms() + delay_ms;
    uv_timer_start(&dl->timer, on_dial_timer, delay_ms, 0);
}

static void dial_retry(struct dialer *dl)
{
    if (dl->learned) {
        net__pex_dial_ended(dl, false);
        return;
    }
    if (dl->node->stopping) return;
    dl->failures++;
    uint64_t delay = dl->backoff_ms * (75 + cf_random_uniform(51)) / 100; /* ±25% */
    uint64_t max = dl->node->to.backoff_max_ms;
    dl->backoff_ms = dl->backoff_ms * 2 > max ? max : dl->backoff_ms * 2;
    net_debug("peer %s: next attempt in %llu ms", dl->text, (unsigned long long)delay);
    dial_after(dl, delay);
}

void net__node_dial(struct dialer *dl)
{
    dial_after(dl, 0);
}

void net__node_dialer_lost(struct dialer *dl, bool was_established, uint64_t lived_ms)
{
    if (dl->learned) {
        net__pex_dial_ended(dl, was_established);
        return;
    }
    if (was_established && lived_ms >= dl->node->to.backoff_reset_ms) {
        dl->backoff_ms = dl->node->to.backoff_min_ms;
        dl->failures = 0;
    }
    dial_retry(dl);
}

static void on_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
    struct dialer *dl = container_of(req, struct dialer, gai);
    net_node *n = dl->node;
    dl->resolving = false;
    if (status == UV_ECANCELED || n->stopping) {
        if (res) uv_freeaddrinfo(res);
        return;
    }
    if (status < 0 || res == NULL) {
        net_log(dl->failures ? NET_LOG_DEBUG : NET_LOG_WARN, "peer %s: cannot resolve: %s",
                dl->text, uv_strerror(status));
        if (res) uv_freeaddrinfo(res);
        dial_retry(dl);
        return;
    }
    peer *p = net__peer_new(n, false);
    if (p == NULL) {
        uv_freeaddrinfo(res);
        net_error("peer %s: out of memory", dl->text);
        dial_retry(dl);
        return;
    }
    p->dialer = dl;
    dl->conn = p;
    snprintf(p->addr, sizeof p->addr, "%s", dl->text);
    snprintf(p->ip, sizeof p->ip, "%s", dl->addr.host);
    /* A configured peer's address is a member's: its handshakes may use
     * the reserved slots (guard.c). A learned one is not, until a member
     * completes a handshake from it. */
    net__guard_addr_key(res->ai_addr, &p->akey);
    if (!dl->learned) net__guard_member_addr(n, &p->akey);
    if (n->npeers > NET_CONNS_MAX)
        net__peer_close(p, NET_LOG_WARN, "not dialled: %d connections already", NET_CONNS_MAX);
    else
        net__peer_connect(p, res->ai_addr);
    uv_freeaddrinfo(res);
}

static void on_dial_timer(uv_timer_t *t)
{
    struct dialer *dl = container_of(t, struct dialer, timer);
    net_node *n = dl->node;
    char port[8];
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_NUMERICSERV};
    if (n->stopping || dl->conn || dl->resolving) return;
    snprintf(port, sizeof port, "%u", (unsigned)dl->addr.port);
    int rc = uv_getaddrinfo(&n->loop, &dl->gai, on_resolved, dl->addr.host, port, &hints);
    if (rc) { /* on_resolved will not be called */
        net_log(dl->failures ? NET_LOG_DEBUG : NET_LOG_WARN, "peer %s: cannot resolve: %s",
                dl->text, uv_strerror(rc));
        dial_retry(dl);
        return;
    }
    dl->resolving = true;
}

/* ---- listening ------------------------------------------------------------- */

static void sockaddr_text(const struct sockaddr_storage *ss, char *ip, size_t ipcap, char *out,
                          size_t cap)
{
    unsigned port = 0;
    ip[0] = '\0';
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)(const void *)ss;
        uv_ip4_name(a, ip, ipcap);
        port = ntohs(a->sin_port);
        snprintf(out, cap, "%s:%u", ip, port);
    } else if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)(const void *)ss;
        uv_ip6_name(a, ip, ipcap);
        port = ntohs(a->sin6_port);
        snprintf(out, cap, "[%s]:%u", ip, port);
    } else {
        snprintf(out, cap, "?");
    }
}

static void on_connection(uv_stream_t *server, int status)
{
    net_node *n = container_of(server, net_node, listener);
    struct sockaddr_storage ss;
    int len = sizeof ss;
    char why[160];
    if (status < 0) {
        static const char failed[] = "accept failed: %s";
        net_log_limited(failed, false, NET_LOG_BURST_STRANGER, NET_LOG_WARN, failed,
                        uv_strerror(status));
        return;
    }
    peer *p = net__peer_new(n, true);
    if (p == NULL) {
        net_error("cannot accept a connection: out of memory");
        return;
    }
    snprintf(p->addr, sizeof p->addr, "?");
    if (uv_accept(server, (uv_stream_t *)&p->tcp) != 0) {
        net__peer_close(p, NET_LOG_WARN, "accept failed");
        return;
    }
    if (uv_tcp_getpeername(&p->tcp, (struct sockaddr *)&ss, &len) == 0) {
        sockaddr_text(&ss, p->ip, sizeof p->ip, p->addr, sizeof p->addr);
        net__guard_addr_key((const struct sockaddr *)&ss, &p->akey);
    }
    /* Every refusal before a byte is read and before any public-key work. */
    const char *cause;
    if (n->stopping)
        net__peer_close(p, NET_LOG_INFO, "node stopping");
    else if (n->npeers > NET_CONNS_MAX)
        net__peer_close(p, NET_LOG_WARN, "refused: %d connections already", NET_CONNS_MAX);
    else if ((cause = net__guard_admit(p, why, sizeof why)) != NULL)
        net__peer_close_as(p, NET_LOG_WARN, cause, "%s", why);
    else {
        net_debug("peer %s: accepted", p->addr);
        net__peer_start_inbound(p);
    }
}

static int write_port_file(net_node *n, unsigned port, diag *d)
{
    char tmp[HOME_PATH_MAX + 8];
    snprintf(tmp, sizeof tmp, "%s.tmp", n->port_path);
    FILE *f = fopen(tmp, "w");
    if (f == NULL) return diag_set(d, CF_EIO, NULL, "cannot write %s: %s", tmp, strerror(errno));
    fprintf(f, "%u\n", port);
    if (fclose(f) != 0 || rename(tmp, n->port_path) != 0) {
        unlink(tmp);
        return diag_set(d, CF_EIO, NULL, "cannot write %s: %s", n->port_path, strerror(errno));
    }
    return CF_OK;
}

static int listen_start(net_node *n, diag *d)
{
    const net_addr *a = &n->cfg.listen;
    char port[8], text[NET_ADDR_TEXT_BYTES], ip[NET_HOST_BYTES];
    uv_getaddrinfo_t req;
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_NUMERICSERV | AI_PASSIVE};
    struct sockaddr_storage ss;
    int len = sizeof ss;
    net_addr_format(a, text, sizeof text);
    snprintf(port, sizeof port, "%u", (unsigned)a->port);
    int rc = uv_getaddrinfo(&n->loop, &req, NULL, a->host, port, &hints); /* synchronous */
    if (rc) return diag_set(d, CF_EIO, NULL, "cannot listen on %s: %s", text, uv_strerror(rc));
    if ((rc = uv_tcp_init(&n->loop, &n->listener)) != 0) {
        uv_freeaddrinfo(req.addrinfo);
        return diag_set(d, CF_EIO, NULL, "cannot listen: %s", uv_strerror(rc));
    }
    n->listening = true;
    rc = uv_tcp_bind(&n->listener, req.addrinfo->ai_addr, 0);
    uv_freeaddrinfo(req.addrinfo);
    if (rc == 0) rc = uv_listen((uv_stream_t *)&n->listener, 128, on_connection);
    if (rc == 0) rc = uv_tcp_getsockname(&n->listener, (struct sockaddr *)&ss, &len);
    if (rc) return diag_set(d, CF_EIO, NULL, "cannot listen on %s: %s", text, uv_strerror(rc));
    sockaddr_text(&ss, ip, sizeof ip, n->listen_text, sizeof n->listen_text);
    unsigned bound = ss.ss_family == AF_INET6
                         ? ntohs(((struct sockaddr_in6 *)(void *)&ss)->sin6_port)
                         : ntohs(((struct sockaddr_in *)(void *)&ss)->sin_port);
    n->listen_port = (uint16_t)bound;
    return write_port_file(n, bound, d);
}

/* ---- tick, signals, shutdown ------------------------------------------------------ */

static void on_tick(uv_timer_t *t)
{
    net_node *n = container_of(t, net_node, tick);
    uint64_t now = uv_now(&n->loop);
    for (peer *p = n->peers_head; p; p = p->next) net__peer_tick(p, now);
    net_log_limit_flush();
    net__ctl_tick(n, now);
    net__sync_refresh(n, true); /* appends the CLI did not tell us about */
    net__pex_tick(n, now);
    if (now - n->last_unstall_ms >= n->to.stall_retry_ms) {
        n->last_unstall_ms = now;
        net__sync_unstall_all(n);
    }
    /* Messages that waited for their peer's work budget (guard.c). */
    if (n->replan || has_ready_work(n)) net__node_kick_work(n);
}

static void shutdown_node(net_node *n, const char *why)
{
    if (n->stopping) return;
    n->stopping = true;
    if (why) net_info("stopping (%s)", why);
    if (n->listening) {
        uv_close((uv_handle_t *)&n->listener, NULL);
        unlink(n->port_path);
    }
    net__ext_stop(n);
    net__ctl_close_all(n);
    for (peer *p = n->peers_head; p; p = p->next) net__peer_close(p, NET_LOG_INFO, "node stopping");
    for (size_t i = 0; i < n->ndialers; i++) {
        if (n->dialers[i].resolving) uv_cancel((uv_req_t *)&n->dialers[i].gai);
        uv_close((uv_handle_t *)&n->dialers[i].timer, NULL);
    }
    net__pex_close(n);
    uv_close((uv_handle_t *)&n->tick, NULL);
    uv_close((uv_handle_t *)&n->cosig_timer, NULL);
    uv_close((uv_handle_t *)&n->lines_timer, NULL);
    uv_close((uv_handle_t *)&n->write_timer, NULL);
    uv_close((uv_handle_t *)&n->work, NULL);
    uv_close((uv_handle_t *)&n->flush, NULL);
    uv_close((uv_handle_t *)&n->sigterm, NULL);
    uv_close((uv_handle_t *)&n->sigint, NULL);
}

static void on_signal(uv_signal_t *s, int signum)
{
    net_node *n = s->data;
    shutdown_node(n, signum == SIGTERM ? "SIGTERM" : "SIGINT");
}

/* ---- run ------------------------------------------------------------------------ */

/* The protocol's timeouts, or the tests' short ones (net_internal.h). */
static bool timeouts_init(net_timeouts *to)
{
    const char *env = getenv(NET_TEST_TIMEOUTS_ENV);
    bool test = env != NULL && strcmp(env, "1") == 0;
    if (test)
        *to = (net_timeouts){NET_TEST_TICK_MS,          NET_TEST_HANDSHAKE_MS,
                             NET_TEST_KEEPALIVE_MS,     NET_TEST_IDLE_MS,
                             NET_TEST_WRITE_STALL_MS,   NET_TEST_STALL_RETRY_MS,
                             NET_TEST_BACKOFF_MIN_MS,   NET_TEST_BACKOFF_MAX_MS,
                             NET_TEST_BACKOFF_RESET_MS, NET_TEST_HANDSHAKE_IN_MS,
                             NET_TEST_BAN_MIN_MS,       NET_TEST_BAN_MAX_MS,
                             NET_TEST_STRIKES_FORGET_MS, NET_TEST_LOG_INTERVAL_MS,
                             NET_TEST_PEX_MS};
    else
        *to = (net_timeouts){NET_TICK_MS,           NET_HANDSHAKE_MS,   NET_KEEPALIVE_MS,
                             NET_IDLE_MS,           NET_WRITE_STALL_MS, NET_STALL_RETRY_MS,
                             NET_BACKOFF_MIN_MS,    NET_BACKOFF_MAX_MS, NET_BACKOFF_RESET_MS,
                             NET_HANDSHAKE_IN_MS,   NET_BAN_MIN_MS,     NET_BAN_MAX_MS,
                             NET_STRIKES_FORGET_MS, NET_LOG_INTERVAL_MS, NET_PEX_MS};
    net_log_limit_interval(to->log_interval_ms);
    return test;
}

static int take_lock(const home *h, int *fd, diag *d)
{
    char path[HOME_PATH_MAX];
    if (home_path(h, NET_LOCK_FILE, path, sizeof path) != CF_OK)
        return diag_set(d, CF_ETOOBIG, NULL, "home path too long");
    *fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (*fd < 0) return diag_set(d, CF_EIO, NULL, "cannot open %s: %s", path, strerror(errno));
    if (flock(*fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(*fd);
        *fd = -1;
        if (e == EWOULDBLOCK)
            return diag_set(d, CF_EEXISTS, NULL, "a node is already running on %s", h->dir);
        return diag_set(d, CF_EIO, NULL, "cannot lock %s: %s", path, strerror(e));
    }
    return CF_OK;
}

static int start(net_node *n, diag *d)
{
    int err;
    uv_idle_init(&n->loop, &n->work);
    uv_prepare_init(&n->loop, &n->flush);
    uv_timer_init(&n->loop, &n->tick);
    uv_timer_init(&n->loop, &n->cosig_timer);
    uv_timer_init(&n->loop, &n->lines_timer);
    uv_timer_init(&n->loop, &n->write_timer);
    uv_signal_init(&n->loop, &n->sigterm);
    uv_signal_init(&n->loop, &n->sigint);
    n->sigterm.data = n->sigint.data = n;
    for (size_t i = 0; i < n->ndialers; i++) uv_timer_init(&n->loop, &n->dialers[i].timer);
    net__pex_start(n);
    if (uv_signal_start(&n->sigterm, on_signal, SIGTERM) != 0 ||
        uv_signal_start(&n->sigint, on_signal, SIGINT) != 0)
        return diag_set(d, CF_EIO, NULL, "cannot handle signals");
    /* What this home holds but has not witnessed yet (imported without its
     * key, or before it was a member): cosigned now, announced to peers as
     * they connect. */
    uint64_t witnessed = 0;
    if ((err = net__batch_witness_all(n, &witnessed, d)) != 0) return err;
    if (witnessed)
        net_info("witnessed the latest checkpoint of %llu feeds", (unsigned long long)witnessed);
    if ((err = net__sync_refresh(n, false)) != 0)
        return diag_set(d, err, NULL, "cannot read the store: %s", cf_strerror_en(err));
    if (n->cfg.has_listen && (err = listen_start(n, d)) != 0) return err;
    if ((err = net__ctl_listen(n, d)) != 0) return err;
    for (size_t i = 0; i < n->ndialers; i++) dial_after(&n->dialers[i], 0);
    n->last_unstall_ms = uv_now(&n->loop);
    uv_timer_start(&n->tick, on_tick, n->to.tick_ms, n->to.tick_ms);
    return CF_OK;
}

int net_node_run(home *h, const keyfile_keypair *kp, const net_config *cfg, diag *d)
{
    return net_node_run_ext(h, kp, cfg, NULL, d);
}

int net_node_run_ext(home *h, const keyfile_keypair *kp, const net_config *cfg,
                     const net_extension *ext, diag *d)
{
    int lock_fd = -1, err;
    char net8[17];
    diag_clear(d);
    if ((err = take_lock(h, &lock_fd, d)) != 0) return err;
    net_node *n = calloc(1, sizeof *n);
    if (n == NULL) {
        close(lock_fd);
        return diag_set(d, CF_ENOMEM, NULL, "out of memory");
    }
    n->h = h;
    n->kp = *kp;
    n->cfg = *cfg;
    n->ext = ext;
    n->started_wall_ms = net__node_wall_ms();
    bool test_timeouts = timeouts_init(&n->to);
    if ((err = home_network(h, &n->net, d)) != 0) goto out;
    if ((n->scratch = malloc(HS_FRAME_PLAIN_MAX)) == NULL ||
        (n->dialers = calloc(cfg->npeers ? cfg->npeers : 1, sizeof *n->dialers)) == NULL) {
        err = diag_set(d, CF_ENOMEM, NULL, "out of memory");
        goto out;
    }
    if (home_path(h, NET_PORT_FILE, n->port_path, sizeof n->port_path) != CF_OK ||
        home_path(h, NET_SOCK_FILE, n->ctl_path, sizeof n->ctl_path) != CF_OK) {
        err = diag_set(d, CF_ETOOBIG, NULL, "home path too long");
        goto out;
    }
    unlink(n->port_path); /* a stale one from a node that was killed */
    n->ndialers = cfg->npeers;
    for (size_t i = 0; i < cfg->npeers; i++) {
        struct dialer *dl = &n->dialers[i];
        dl->node = n;
        dl->addr = cfg->peers[i];
        dl->backoff_ms = n->to.backoff_min_ms;
        net_addr_format(&dl->addr, dl->text, sizeof dl->text);
    }
    signal(SIGPIPE, SIG_IGN); /* a peer that went away is a write error, not a signal */
    if ((err = uv_loop_init(&n->loop)) != 0) {
        err = diag_set(d, CF_EIO, NULL, "cannot start the event loop: %s", uv_strerror(err));
        goto out;
    }
    if ((err = net__guard_init(n)) != 0 || (err = net__ext_init(n)) != 0 ||
        (err = net__pex_init(n)) != 0) {
        err = diag_set(d, err, NULL, "out of memory");
        uv_loop_close(&n->loop);
        goto out;
    }
    err = start(n, d);
    if (err == CF_OK) err = net__ext_start(n, d);
    if (err == CF_OK) {
        cf_hex_encode(n->net.net, 8, net8, sizeof net8);
        if (n->listening)
            printf("ready: listening on %s\n", n->listen_text);
        else
            printf("ready: not listening\n");
        fflush(stdout);
        net_info("node %s on network %s…: %s, %zu peers to dial", h->name, net8,
                 n->listening ? n->listen_text : "not listening", n->ndialers);
        net__own_start(n);
        if (test_timeouts)
            net_warn("%s=1: test timeouts (tick %d ms, handshake %d ms, keepalive %d ms, "
                     "idle %d ms, unread output %d ms, backoff %d..%d ms, inbound handshake "
                     "%d ms, back-off of a faulty member %d..%d ms, log interval %d ms): not "
                     "for production",
                     NET_TEST_TIMEOUTS_ENV, NET_TEST_TICK_MS, NET_TEST_HANDSHAKE_MS,
                     NET_TEST_KEEPALIVE_MS, NET_TEST_IDLE_MS, NET_TEST_WRITE_STALL_MS,
                     NET_TEST_BACKOFF_MIN_MS, NET_TEST_BACKOFF_MAX_MS, NET_TEST_HANDSHAKE_IN_MS,
                     NET_TEST_BAN_MIN_MS, NET_TEST_BAN_MAX_MS, NET_TEST_LOG_INTERVAL_MS);
    }
    if (err) shutdown_node(n, NULL);
    /* Everything the running node writes is its log, for operators: in
     * English whatever the language it was started in (docs/i18n.md); its
     * verdicts on peers' entries are evidence, the same on every node. */
    cf_i18n_begin_english();
    uv_run(&n->loop, UV_RUN_DEFAULT);
    cf_i18n_end_english();
    if (uv_loop_close(&n->loop) != 0) net_error("event loop closed with handles open");
    if (err == CF_OK) net_info("stopped");
out:
    net__ext_free(n);
    net__guard_free(n);
    net__pex_free(n);
    net__sync_free(n);
    free(n->dialers);
    free(n->scratch);
    keyfile_wipe(&n->kp);
    free(n);
    close(lock_fd);
    return err;
}
