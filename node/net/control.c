/* control.c — the daemon's end of <home>/node.sock (docs/operations.md).
 *
 * An AF_UNIX stream socket, created mode 0600 (the home is 0700 besides).
 * A client sends one line and gets at most one reply, then the daemon
 * closes the connection:
 *   "notify\n"  the CLI appended: read the store now and announce (no reply)
 *   "status\n"  one line of JSON: the daemon's own view (peers, dialers)
 * Anything else gets "error: unknown command\n". At most NET_CTL_CONNS_MAX
 * clients at once, each for at most NET_CTL_TIMEOUT_MS.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "net_internal.h"

struct ctl_conn {
    uv_pipe_t pipe; /* embedded: container_of(handle, ctl_conn, pipe) */
    net_node *node;
    ctl_conn *next;
    char line[NET_CTL_LINE_BYTES];
    size_t len;
    uint64_t started_ms;
    bool closing, replied;
};

typedef struct {
    uv_write_t req;
    ctl_conn *c;
    size_t len;
    char data[];
} ctl_write;

static void on_conn_closed(uv_handle_t *h)
{
    ctl_conn *c = container_of(h, ctl_conn, pipe);
    net_node *n = c->node;
    for (ctl_conn **pp = &n->ctl_conns; *pp; pp = &(*pp)->next)
        if (*pp == c) {
            *pp = c->next;
            break;
        }
    n->nctl--;
    free(c);
}

static void conn_close(ctl_conn *c)
{
    if (c->closing) return;
    c->closing = true;
    uv_close((uv_handle_t *)&c->pipe, on_conn_closed);
}

static void on_written(uv_write_t *req, int status)
{
    ctl_write *w = container_of(req, ctl_write, req);
    (void)status;
    conn_close(w->c);
    free(w);
}

static void reply(ctl_conn *c, const char *text, size_t len)
{
    ctl_write *w = malloc(sizeof *w + len);
    if (w == NULL) {
        conn_close(c);
        return;
    }
    memcpy(w->data, text, len);
    w->c = c;
    w->len = len;
    c->replied = true;
    uv_buf_t b = uv_buf_init(w->data, (unsigned)len);
    if (uv_write(&w->req, (uv_stream_t *)&c->pipe, &b, 1, on_written) != 0) {
        free(w);
        conn_close(c);
    }
}

static const char *state_name(enum peer_state s)
{
    switch (s) {
    case PEER_CONNECTING: return "connecting";
    case PEER_HANDSHAKE: return "handshake";
    case PEER_ESTABLISHED: return "established";
    default: return "closing";
    }
}

static json_t *time_or_null(uint64_t wall_ms)
{
    char t[32];
    if (wall_ms == 0) return json_null();
    net__node_format_time(wall_ms, t, sizeof t);
    return json_string(t);
}

/* What the node did since it started (net_internal.h, net_node). */
static json_t *counters_json(const net_node *n)
{
    uint64_t signs, verifies;
    cf_ed25519_counts(&signs, &verifies);
    json_t *o = json_object();
    for (int t = WIRE_STATUS; t <= WIRE_PEERS; t++) {
        char key[32];
        snprintf(key, sizeof key, "in_%s", wire_type_name((enum wire_type)t));
        json_object_set_new(o, key, json_integer((json_int_t)n->count_in[t]));
    }
    json_object_set_new(o, "messages_out", json_integer((json_int_t)n->count_out));
    json_object_set_new(o, "bytes_in", json_integer((json_int_t)n->count_bytes_in));
    json_object_set_new(o, "bytes_out", json_integer((json_int_t)n->count_bytes_out));
    json_object_set_new(o, "refreshes", json_integer((json_int_t)n->count_refreshes));
    json_object_set_new(o, "cosig_writes", json_integer((json_int_t)n->count_cosig_writes));
    json_object_set_new(o, "batch_transactions", json_integer((json_int_t)n->count_batch_groups));
    json_object_set_new(o, "cosigs_held", json_integer((json_int_t)n->count_cosig_same));
    json_object_set_new(o, "lines_waits", json_integer((json_int_t)n->count_lines_waits));
    json_object_set_new(o, "cosig_transactions", json_integer((json_int_t)n->count_cosig_txns));
    json_object_set_new(o, "cosig_folded", json_integer((json_int_t)n->count_cosig_folded));
    json_object_set_new(o, "peers_learned", json_integer((json_int_t)net__pex_count(n)));
    json_object_set_new(o, "peers_ignored", json_integer((json_int_t)n->count_pex_ignored));
    json_object_set_new(o, "signatures_made", json_integer((json_int_t)signs));
    json_object_set_new(o, "signatures_checked", json_integer((json_int_t)verifies));
    return o;
}

json_t *net__ctl_status_json(net_node *n)
{
    char hex[CF_HEX32_BYTES], t[32];
    json_t *peers = json_array(), *dialing = json_array();
    for (const peer *p = n->peers_head; p; p = p->next) {
        if (p->state == PEER_CLOSING) continue;
        json_t *o = json_object();
        json_object_set_new(o, "address", json_string(p->addr));
        json_object_set_new(o, "direction", json_string(p->inbound ? "in" : "out"));
        json_object_set_new(o, "state", json_string(state_name(p->state)));
        if (p->identified) {
            cf_hex_encode(p->key, 32, hex, sizeof hex);
            json_object_set_new(o, "member", json_string(p->name));
            json_object_set_new(o, "key", json_string(hex));
            json_object_set_new(o, "role", json_string(role_name(p->role)));
        } else {
            json_object_set_new(o, "member", json_null());
        }
        json_object_set_new(o, "connected_since", time_or_null(p->since_wall_ms));
        json_object_set_new(o, "bytes_in", json_integer((json_int_t)p->bytes_in));
        json_object_set_new(o, "bytes_out", json_integer((json_int_t)p->bytes_out));
        json_object_set_new(o, "queued_bytes", json_integer((json_int_t)p->out_queued));
        json_object_set_new(o, "gets_in_flight", json_integer((json_int_t)p->ngets));
        json_object_set_new(o, "gets_received", json_integer((json_int_t)p->gets_received));
        json_object_set_new(o, "gets_waiting", json_integer((json_int_t)p->in_gets));
        json_object_set_new(o, "feeds_announced", json_integer((json_int_t)p->nremote));
        json_object_set_new(o, "messages_in", json_integer((json_int_t)p->messages_in));
        json_object_set_new(o, "work_ms", json_integer((json_int_t)(p->work_ns / 1000000)));
        json_array_append_new(peers, o);
    }
    for (size_t i = 0; i < n->ndialers; i++) {
        const struct dialer *dl = &n->dialers[i];
        bool up = dl->conn && dl->conn->state == PEER_ESTABLISHED;
        json_t *o = json_object();
        json_object_set_new(o, "address", json_string(dl->text));
        json_object_set_new(o, "connected", json_boolean(up));
        json_object_set_new(o, "failures", json_integer((json_int_t)dl->failures));
        json_object_set_new(o, "next_attempt",
                            up || dl->conn || dl->resolving ? json_null()
                                                            : time_or_null(dl->next_attempt_wall_ms));
        json_array_append_new(dialing, o);
    }
    cf_hex_encode(n->net.net, 32, hex, sizeof hex);
    net__node_format_time(n->started_wall_ms, t, sizeof t);
    json_t *root = json_object();
    json_object_set_new(root, "pid", json_integer((json_int_t)getpid()));
    json_object_set_new(root, "since", json_string(t));
    json_object_set_new(root, "network", json_string(hex));
    json_object_set_new(root, "listen", n->listening ? json_string(n->listen_text) : json_null());
    json_object_set_new(root, "peers", peers);
    json_object_set_new(root, "dialing", dialing);
    json_object_set_new(root, "counters", counters_json(n));
    return root;
}

static void handle_line(ctl_conn *c)
{
    net_node *n = c->node;
    if (strcmp(c->line, "notify") == 0) {
        net_debug("control: notified of an append");
        net__sync_refresh(n, true);
        conn_close(c);
    } else if (strcmp(c->line, "status") == 0) {
        json_t *j = net__ctl_status_json(n);
        char *s = json_dumps(j, JSON_COMPACT);
        json_decref(j);
        if (s == NULL) {
            conn_close(c);
            return;
        }
        size_t len = strlen(s);
        char *line = malloc(len + 2);
        if (line) {
            memcpy(line, s, len);
            line[len++] = '\n';
            reply(c, line, len);
            free(line);
        } else {
            conn_close(c);
        }
        free(s);
    } else {
        static const char err[] = "error: unknown command\n";
        reply(c, err, sizeof err - 1);
    }
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    ctl_conn *c = container_of(h, ctl_conn, pipe);
    (void)suggested;
    buf->base = c->line + c->len;
    buf->len = sizeof c->line - 1 - c->len;
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    ctl_conn *c = container_of(s, ctl_conn, pipe);
    (void)buf;
    if (c->closing || c->replied) return;
    if (nread < 0) {
        conn_close(c);
        return;
    }
    c->len += (size_t)nread;
    c->line[c->len] = '\0';
    char *nl = memchr(c->line, '\n', c->len);
    if (nl) {
        *nl = '\0';
        uv_read_stop(s);
        handle_line(c);
    } else if (c->len >= sizeof c->line - 1) {
        conn_close(c);
    }
}

static void on_ctl_connection(uv_stream_t *server, int status)
{
    net_node *n = container_of(server, net_node, ctl);
    if (status < 0) return;
    ctl_conn *c = calloc(1, sizeof *c);
    if (c == NULL) return;
    if (uv_pipe_init(&n->loop, &c->pipe, 0) != 0) {
        free(c);
        return;
    }
    c->node = n;
    c->started_ms = uv_now(&n->loop);
    c->next = n->ctl_conns;
    n->ctl_conns = c;
    n->nctl++;
    if (uv_accept(server, (uv_stream_t *)&c->pipe) != 0 || n->nctl > NET_CTL_CONNS_MAX ||
        n->stopping || uv_read_start((uv_stream_t *)&c->pipe, on_alloc, on_read) != 0)
        conn_close(c);
}

int net__ctl_listen(net_node *n, diag *d)
{
    struct sockaddr_un sun;
    if (strlen(n->ctl_path) >= sizeof sun.sun_path) {
        net_warn("no control socket: %s is longer than a socket path may be; `cofund node "
                 "status` will not see this node and appends are noticed within %d ms",
                 n->ctl_path, NET_TICK_MS);
        return CF_OK;
    }
    unlink(n->ctl_path); /* a stale one: we hold the home's node lock */
    int rc = uv_pipe_init(&n->loop, &n->ctl, 0);
    if (rc) return diag_set(d, CF_EIO, NULL, "control socket: %s", uv_strerror(rc));
    n->ctl_open = true;
    mode_t old = umask(0077);
    rc = uv_pipe_bind(&n->ctl, n->ctl_path);
    umask(old);
    if (rc == 0 && chmod(n->ctl_path, 0600) != 0) rc = uv_translate_sys_error(errno);
    if (rc == 0) rc = uv_listen((uv_stream_t *)&n->ctl, NET_CTL_CONNS_MAX, on_ctl_connection);
    if (rc)
        return diag_set(d, CF_EIO, NULL, "control socket %s: %s", n->ctl_path, uv_strerror(rc));
    return CF_OK;
}

void net__ctl_close_all(net_node *n)
{
    if (n->ctl_open) {
        uv_close((uv_handle_t *)&n->ctl, NULL);
        unlink(n->ctl_path);
        n->ctl_open = false;
    }
    for (ctl_conn *c = n->ctl_conns; c; c = c->next) conn_close(c);
}

void net__ctl_tick(net_node *n, uint64_t now)
{
    for (ctl_conn *c = n->ctl_conns; c; c = c->next)
        if (now - c->started_ms > NET_CTL_TIMEOUT_MS) conn_close(c);
}

char *net_node_status_text(net_node *n)
{
    json_t *j = net__ctl_status_json(n);
    char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    return s;
}
