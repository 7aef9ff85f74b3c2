/* hostile_peer.c — a peer that misbehaves in one way per run, for
 * tests/cli/node_hostile.sh: the node must drop it with a logged reason,
 * stay up, and keep serving its honest peers (docs/protocol.md §5, §6).
 *
 *   hostile_peer MODE HOST:PORT NETHEX [--key KEYFILE] [--entry FILE]
 *                [--feed HEX] [--stop-file STOP] [--step-file STEP] [--timeout-s N]
 *
 * NETHEX is the network id (`cofund whoami`). KEYFILE is a member's key file
 * (a home's `key`, not passphrase-protected): with it the tool completes a
 * real handshake (crypto/handshake.h) and is taken for that member. MODE:
 *
 *   garbage      128 bytes of HTTP and filler where a HELLO should be
 *   wrong-net    a HELLO for another network
 *   stranger     a whole handshake with a fresh key that no roster holds
 *   replay       (--key) one honest handshake, recorded; then a new
 *                connection that replays its HELLO and PROVE verbatim
 *                (the node's fresh ephemeral makes the old signature fail)
 *   big-frame    (--key) after the handshake, a frame length over the maximum
 *   cut-frame    (--key) after the handshake, half of a frame, then the
 *                write side closed
 *   flood        (--key) 64 gets at once: more than a peer may have waiting
 *   no-read      (--key, --feed, --stop-file, --step-file STEP) asks for FEED
 *                (a get from 0) on a socket with a tiny receive buffer and
 *                never reads; it sends get N once the file STEP holds a
 *                number >= N (the test raises it when the node took get
 *                N-1: one get at most waits there, whatever the load);
 *                once the file STOP exists (the test creates it when the
 *                node's status shows 2 MiB queued for this peer) it stops
 *                asking, and only sends keepalives so that it is not
 *                "silent"
 *   forged-ckpt  (--key, --entry) announces its own feed at size 1 and
 *                answers the node's get with FILE's entry under a checkpoint
 *                signed by another key
 *   bad-root     (--key, --entry) the same, the checkpoint signed by the
 *                author but over a root the entry does not hash to
 *
 * At scale (docs/protocol.md §2 "Strangers and members"; these print their
 * counts instead of "local" lines and run until the file STOP exists):
 *
 *   stall        (--from A,B,.. --per N --stop-file) N connections from each
 *                source address, each sends a HELLO and stalls; whatever
 *                the node drops is opened again 20 ms later
 *   hello-flood  (--from, --stop-file) HELLO after HELLO from the addresses
 *                in turn, counting the ACCEPTs (the node's public-key work)
 *   probe        (--key, --count N [--from A]) N sessions one after the
 *                other; prints how many the node took
 *   sessions     (--key, --count N, --stop-file) opens N sessions of one key
 *                and keeps them; prints how many are still open at the end
 *   cosig        (--key, --checkpoint FILE, --count N [--forge ORIGIN] [--from A]
 *                [--for-ms MS [--stop-file STOP]]) sends FILE (a signed checkpoint the node
 *                holds as its latest) as cosig messages, with --forge a
 *                line named after member ORIGIN signed by another key; then
 *                (forged) waits to be dropped and tries one more session
 *
 * For every connection it opens it prints "local HOST:PORT" (the address
 * the node logs) on stdout, flushed. Then it waits for the node to close
 * the connection. Exit: 0 when the node closed it (as it must), 1 when it
 * did not within the timeout (default 20 s) or something else failed,
 * 2 usage. Links cofund_crypto and the wire codec (cofund_wire) only.
 */
#define _GNU_SOURCE /* memrchr */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "crypto/handshake.h"
#include "crypto/keyfile.h"
#include "crypto/merkle.h"
#include "crypto/note.h"
#include "net/wire.h"

#define FLOOD_GETS 64
#define NO_READ_RCVBUF 4096

static uint64_t g_deadline_ms;
static uint8_t g_net[32];
static keyfile_keypair g_kp;
static bool g_has_key;

static int die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int die(const char *fmt, ...)
{
    va_list ap;
    fputs("hostile_peer: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 1;
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int left_ms(void)
{
    uint64_t now = now_ms();
    return now >= g_deadline_ms ? 0 : (int)(g_deadline_ms - now);
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* ---- sockets --------------------------------------------------------------- */

static char g_host[256], g_port[8];

static bool g_quiet; /* no "local" line for every connection (the floods) */

/* A connected TCP socket (blocking), or -1, from the IPv4 address from
 * (NULL: the kernel's choice). rcvbuf > 0 shrinks the receive buffer first
 * (before connect, so the window starts small). */
static int dial_from(const char *from, int rcvbuf)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res;
    if (getaddrinfo(g_host, g_port, &hints, &res) != 0) return -1;
    int fd = socket(res->ai_family, res->ai_socktype, 0);
    if (fd >= 0 && rcvbuf > 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    if (fd >= 0 && from) {
        struct sockaddr_in a = {.sin_family = AF_INET};
        if (inet_pton(AF_INET, from, &a.sin_addr) != 1 ||
            bind(fd, (struct sockaddr *)&a, sizeof a) != 0) {
            close(fd);
            fd = -1;
        }
    }
    if (fd >= 0 && connect(fd, res->ai_addr, res->ai_addrlen) != 0) {
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) return -1;
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    char ip[INET6_ADDRSTRLEN] = "?";
    unsigned port = 0;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
        if (ss.ss_family == AF_INET) {
            struct sockaddr_in *a = (struct sockaddr_in *)(void *)&ss;
            inet_ntop(AF_INET, &a->sin_addr, ip, sizeof ip);
            port = ntohs(a->sin_port);
        } else if (ss.ss_family == AF_INET6) {
            struct sockaddr_in6 *a = (struct sockaddr_in6 *)(void *)&ss;
            inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof ip);
            port = ntohs(a->sin6_port);
        }
    }
    if (!g_quiet) {
        printf(ss.ss_family == AF_INET6 ? "local [%s]:%u\n" : "local %s:%u\n", ip, port);
        fflush(stdout);
    }
    return fd;
}

static int dial(int rcvbuf)
{
    return dial_from(NULL, rcvbuf);
}

static int send_all(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Exactly n bytes before the deadline: 0, or -1 (closed, error, timeout). */
static int recv_exact(int fd, uint8_t *p, size_t n)
{
    while (n > 0) {
        struct pollfd pfd = {fd, POLLIN, 0};
        int t = left_ms();
        if (t == 0 || poll(&pfd, 1, t) <= 0) return -1;
        ssize_t r = recv(fd, p, n, 0);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

/* Read and discard until the node closes the connection: 0, or 1 at the
 * deadline. */
static int wait_closed(int fd, const char *what)
{
    static uint8_t sink[65536];
    for (;;) {
        struct pollfd pfd = {fd, POLLIN, 0};
        int t = left_ms();
        if (t == 0) {
            close(fd);
            return die("%s: the node did not close the connection in time", what);
        }
        if (poll(&pfd, 1, t) <= 0) continue;
        ssize_t r = recv(fd, sink, sizeof sink, 0);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            close(fd);
            printf("closed by the node (%s)\n", r == 0 ? "end of stream" : strerror(errno));
            return 0;
        }
    }
}

/* ---- the handshake and frames ------------------------------------------------- */

/* Run the initiator's side on fd with key pair (pk, sk) and network net.
 * hello and prove (optional) receive the bytes sent. 0, or 1 after a
 * message. */
static int handshake(int fd, hs_session *s, const uint8_t net[32], const uint8_t pk[32],
                     const uint8_t sk[64], uint8_t hello[HS_HELLO_BYTES],
                     uint8_t prove[HS_PROVE_BYTES])
{
    uint8_t h[HS_HELLO_BYTES], a[HS_ACCEPT_BYTES], p[HS_PROVE_BYTES];
    int err;
    if ((err = hs_init(s, HS_INITIATOR, net, pk, sk)) != 0 || (err = hs_hello(s, h)) != 0)
        return die("handshake: %s", cf_strerror(err));
    if (send_all(fd, h, sizeof h) != 0) return die("handshake: cannot send HELLO");
    if (recv_exact(fd, a, sizeof a) != 0) return die("handshake: no ACCEPT from the node");
    if ((err = hs_on_accept(s, a, sizeof a, p)) != 0)
        return die("handshake: ACCEPT: %s", cf_strerror(err));
    if (send_all(fd, p, sizeof p) != 0) return die("handshake: cannot send PROVE");
    if (hello) memcpy(hello, h, sizeof h);
    if (prove) memcpy(prove, p, sizeof p);
    return 0;
}

static uint8_t g_wire[HS_WIRE_BYTES_MAX], g_plain[HS_FRAME_PLAIN_MAX];

/* Seal msg (len 0: a keepalive) into out; *out_len bytes. */
static int seal(hs_session *s, const uint8_t *msg, size_t len, uint8_t *out, size_t cap,
                size_t *out_len)
{
    int err = hs_seal(s, msg, len, out, cap, out_len);
    return err ? die("seal: %s", cf_strerror(err)) : 0;
}

static int send_msg(int fd, hs_session *s, const uint8_t *msg, size_t len)
{
    size_t wl;
    if (seal(s, msg, len, g_wire, sizeof g_wire, &wl) != 0) return 1;
    return send_all(fd, g_wire, wl) == 0 ? 0 : -1;
}

/* The next message from the node into *m (pointing into g_plain): 0, or
 * -1 when the connection ended or the deadline passed. Keepalives are
 * skipped. */
/* Bytes read and not yet decoded: one session's at a time (session_open
 * starts afresh: the node sends a status and a peers message at once, and
 * the second one's bytes belong to the session they came on). */
static uint8_t rbuf[HS_WIRE_BYTES_MAX];
static size_t rlen;

static int read_msg(int fd, hs_session *s, wire_msg *m)
{
    for (;;) {
        size_t fl, pl;
        int err = hs_frame_length(rbuf, rlen, &fl);
        if (err == CF_OK) {
            if (hs_open(s, rbuf, fl, g_plain, sizeof g_plain, &pl) != 0) return -1;
            memmove(rbuf, rbuf + fl, rlen - fl);
            rlen -= fl;
            if (pl == 0) continue;
            return wire_decode(g_plain, pl, m, NULL) == CF_OK ? 0 : -1;
        }
        if (err != CF_EINCOMPLETE) return -1;
        struct pollfd pfd = {fd, POLLIN, 0};
        int t = left_ms();
        if (t == 0 || poll(&pfd, 1, t) <= 0) return -1;
        ssize_t r = recv(fd, rbuf + rlen, sizeof rbuf - rlen, 0);
        if (r <= 0) return -1;
        rlen += (size_t)r;
    }
}

/* ---- the modes ---------------------------------------------------------------- */

static void random_keypair(uint8_t pk[32], uint8_t sk[64])
{
    uint8_t seed[32];
    cf_random(seed, sizeof seed);
    cf_ed25519_keypair_from_seed(seed, pk, sk);
    cf_wipe(seed, sizeof seed);
}

static int need_key(const char *mode)
{
    if (!g_has_key) return die("%s needs --key KEYFILE", mode);
    return 0;
}

static int mode_garbage(void)
{
    uint8_t buf[128];
    const char *http = "GET / HTTP/1.1\r\nHost: cofund\r\n\r\n";
    memset(buf, 'x', sizeof buf);
    memcpy(buf, http, strlen(http));
    int fd = dial(0);
    if (fd < 0) return die("cannot connect to %s:%s", g_host, g_port);
    if (send_all(fd, buf, sizeof buf) != 0) return die("cannot send");
    return wait_closed(fd, "garbage");
}

static int mode_wrong_net(void)
{
    uint8_t pk[32], sk[64], net[32], hello[HS_HELLO_BYTES];
    hs_session s;
    memcpy(net, g_net, 32);
    net[0] ^= 0xff;
    random_keypair(pk, sk);
    if (hs_init(&s, HS_INITIATOR, net, pk, sk) != 0 || hs_hello(&s, hello) != 0)
        return die("cannot make a HELLO");
    hs_wipe(&s);
    int fd = dial(0);
    if (fd < 0) return die("cannot connect to %s:%s", g_host, g_port);
    if (send_all(fd, hello, sizeof hello) != 0) return die("cannot send");
    return wait_closed(fd, "wrong-net");
}

static int mode_stranger(void)
{
    uint8_t pk[32], sk[64];
    hs_session s;
    random_keypair(pk, sk);
    int fd = dial(0);
    if (fd < 0) return die("cannot connect to %s:%s", g_host, g_port);
    /* The node answers HELLO with ACCEPT and judges the key after PROVE. */
    int rc = handshake(fd, &s, g_net, pk, sk, NULL, NULL);
    hs_wipe(&s);
    cf_wipe(sk, sizeof sk);
    return rc ? rc : wait_closed(fd, "stranger");
}

static int mode_replay(void)
{
    uint8_t hello[HS_HELLO_BYTES], prove[HS_PROVE_BYTES], accept[HS_ACCEPT_BYTES];
    hs_session s;
    if (need_key("replay")) return 2;
    int fd = dial(0);
    if (fd < 0) return die("cannot connect to %s:%s", g_host, g_port);
    int rc = handshake(fd, &s, g_net, g_kp.pk, g_kp.sk, hello, prove);
    hs_wipe(&s);
    close(fd);
    if (rc) return rc;
    printf("recorded an honest handshake\n");
    if ((fd = dial(0)) < 0) return die("cannot connect to %s:%s", g_host, g_port);
    if (send_all(fd, hello, sizeof hello) != 0 || recv_exact(fd, accept, sizeof accept) != 0)
        return die("replay: no ACCEPT to the replayed HELLO");
    if (send_all(fd, prove, sizeof prove) != 0) return die("replay: cannot send PROVE");
    return wait_closed(fd, "replay");
}

/* Connect and complete the handshake with --key; -1 after a message. */
static int member_connect(hs_session *s, int rcvbuf)
{
    int fd = dial(rcvbuf);
    if (fd < 0) {
        die("cannot connect to %s:%s", g_host, g_port);
        return -1;
    }
    if (handshake(fd, s, g_net, g_kp.pk, g_kp.sk, NULL, NULL) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int mode_big_frame(void)
{
    hs_session s;
    if (need_key("big-frame")) return 2;
    int fd = member_connect(&s, 0);
    if (fd < 0) return 1;
    uint32_t len = HS_FRAME_BYTES_MAX + 1;
    uint8_t be[4] = {(uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
                     (uint8_t)len};
    hs_wipe(&s);
    if (send_all(fd, be, sizeof be) != 0) return die("cannot send");
    return wait_closed(fd, "big-frame");
}

static int mode_cut_frame(void)
{
    hs_session s;
    uint8_t msg[64];
    size_t len, wl;
    cbor_enc e;
    if (need_key("cut-frame")) return 2;
    int fd = member_connect(&s, 0);
    if (fd < 0) return 1;
    wire_status_begin(&e, msg, sizeof msg, 0);
    wire_status_forks(&e, 0);
    if (wire_status_end(&e, &len) != CF_OK || seal(&s, msg, len, g_wire, sizeof g_wire, &wl))
        return die("cannot encode a status");
    hs_wipe(&s);
    if (send_all(fd, g_wire, wl / 2) != 0) return die("cannot send");
    shutdown(fd, SHUT_WR);
    return wait_closed(fd, "cut-frame");
}

static int mode_flood(void)
{
    static uint8_t out[FLOOD_GETS * 128];
    hs_session s;
    size_t off = 0;
    if (need_key("flood")) return 2;
    int fd = member_connect(&s, 0);
    if (fd < 0) return 1;
    for (int i = 0; i < FLOOD_GETS; i++) {
        uint8_t msg[64];
        size_t len, wl;
        if (wire_encode_get(msg, sizeof msg, WIRE_GET, (uint64_t)i, g_kp.pk, &len) != CF_OK ||
            seal(&s, msg, len, out + off, sizeof out - off, &wl) != 0)
            return die("cannot encode a get");
        off += wl;
    }
    hs_wipe(&s);
    if (send_all(fd, out, off) != 0) return die("cannot send");
    return wait_closed(fd, "flood");
}

/* The number in file path (0 when it does not exist or holds none). */
static long file_number(const char *path)
{
    FILE *f = fopen(path, "r");
    long n = 0;
    if (f == NULL) return 0;
    if (fscanf(f, "%ld", &n) != 1) n = 0;
    fclose(f);
    return n;
}

static int mode_no_read(const uint8_t feed[32], const char *stop_file, const char *step_file)
{
    hs_session s;
    uint8_t msg[64];
    size_t len;
    long sent = 0;
    uint64_t last_tx = 0;
    if (need_key("no-read")) return 2;
    if (stop_file == NULL || step_file == NULL)
        return die("no-read needs --stop-file FILE and --step-file FILE");
    int fd = member_connect(&s, NO_READ_RCVBUF);
    if (fd < 0) return 1;
    /* Gets only as the test allows them (the number in the step file),
     * which it raises once the node took the previous one: never more than
     * one waits at the node, however loaded the machine (more than
     * NET_SERVE_GETS_MAX waiting would be a flood). Keepalives meanwhile. */
    while (access(stop_file, F_OK) != 0 && left_ms() > 0) {
        bool get = sent < file_number(step_file);
        if (!get && now_ms() - last_tx < 250) {
            sleep_ms(20);
            continue;
        }
        if (get && wire_encode_get(msg, sizeof msg, WIRE_GET, 0, feed, &len) != CF_OK)
            return die("cannot encode a get");
        if (send_msg(fd, &s, get ? msg : NULL, get ? len : 0) != 0) {
            /* The node may drop us for not reading before the test stops us. */
            hs_wipe(&s);
            close(fd);
            printf("asked %ld times; closed by the node while asking (%s)\n", sent,
                   strerror(errno));
            return 0;
        }
        last_tx = now_ms();
        if (get) {
            sent++;
            printf("sent %ld\n", sent);
            fflush(stdout);
        }
    }
    printf("asked %ld times, reading nothing from now on\n", sent);
    fflush(stdout);
    /* Keepalives only: not silent, never reading. A write fails once the
     * node has closed its end (data sent to a closed socket is reset). */
    while (left_ms() > 0) {
        if (send_msg(fd, &s, NULL, 0) != 0) {
            hs_wipe(&s);
            close(fd);
            printf("closed by the node (%s)\n", strerror(errno));
            return 0;
        }
        sleep_ms(250);
    }
    hs_wipe(&s);
    close(fd);
    return die("no-read: the node did not drop us in time");
}

static int read_file(const char *path, uint8_t *buf, size_t cap, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) return die("cannot open %s", path);
    *len = fread(buf, 1, cap, f);
    fclose(f);
    if (*len == 0 || *len == cap) return die("%s: empty or too large", path);
    return 0;
}

/* forged-ckpt (forge = true) and bad-root. */
static int mode_batch(const char *entry_path, bool forge)
{
    static uint8_t entry[WIRE_ENTRY_BYTES_MAX + 1], msg[WIRE_ENTRY_BYTES_MAX + 16384];
    char origin[CKPT_ORIGIN_BYTES_MAX], text[CKPT_ORIGIN_BYTES_MAX + 128];
    char signed_note[NOTE_BYTES_MAX], net8[17], author[CF_HEX32_BYTES];
    uint8_t root[32], opk[32], osk[64];
    size_t elen = 0, len, tlen, nlen;
    hs_session s;
    wire_msg m;
    cbor_enc e;
    if (need_key(forge ? "forged-ckpt" : "bad-root")) return 2;
    if (entry_path == NULL) return die("needs --entry FILE");
    if (read_file(entry_path, entry, sizeof entry, &elen) != 0) return 1;
    merkle_leaf_hash(entry, elen, root); /* the root of a one-entry tree */
    if (!forge) root[0] ^= 1;
    cf_hex_encode(g_net, 8, net8, sizeof net8);
    cf_hex_encode(g_kp.pk, 32, author, sizeof author);
    snprintf(origin, sizeof origin, "cofund/%s/%s", net8, author);
    if (checkpoint_format(origin, 1, root, text, sizeof text, &tlen) != CF_OK)
        return die("cannot format a checkpoint");
    if (forge) random_keypair(opk, osk); /* anyone's key but the author's */
    if (note_sign(text, tlen, origin, forge ? osk : g_kp.sk, signed_note, sizeof signed_note,
                  &nlen) != CF_OK)
        return die("cannot sign the checkpoint");

    int fd = member_connect(&s, 0);
    if (fd < 0) return 1;
    wire_status_begin(&e, msg, sizeof msg, 1);
    wire_status_feed(&e, g_kp.pk, 1, root);
    wire_status_forks(&e, 0);
    if (wire_status_end(&e, &len) != CF_OK || send_msg(fd, &s, msg, len) != 0)
        return die("cannot send our status");
    for (;;) { /* the node's status first, then its get for our feed */
        if (read_msg(fd, &s, &m) != 0) return die("no get for our feed from the node");
        if (m.type == WIRE_GET && memcmp(m.author, g_kp.pk, 32) == 0) break;
    }
    if (m.from != 0) return die("the node asked from %llu: it holds our feed already",
                                (unsigned long long)m.from);
    wire_batch_begin(&e, msg, sizeof msg, 0, NULL, 0, g_kp.pk, 1);
    wire_batch_entry(&e, entry, elen);
    if (wire_batch_end(&e, signed_note, nlen, NULL, &len) != CF_OK ||
        send_msg(fd, &s, msg, len) != 0)
        return die("cannot send the batch");
    printf("answered the get with a %s\n",
           forge ? "checkpoint signed by another key" : "root the entry does not hash to");
    hs_wipe(&s);
    return wait_closed(fd, forge ? "forged-ckpt" : "bad-root");
}


/* ---- strangers and members at scale ------------------------------------------ */

#define FROM_MAX 16
#define STALL_PER_MAX 16
#define STALL_RECONNECT_MS 20
#define SESSIONS_MAX 256
#define SESSION_KEEPALIVE_MS 500

static const char *g_from[FROM_MAX]; /* --from A,B,...: source addresses */
static size_t g_nfrom;
static char g_from_buf[256];

static uint64_t g_for_ms; /* --for-ms: cosig stops after that long */

static bool stopped(const char *stop_file)
{
    return stop_file && access(stop_file, F_OK) == 0;
}

/* A HELLO for this network with a fresh ephemeral. */
static int make_hello(uint8_t hello[HS_HELLO_BYTES])
{
    uint8_t pk[32], sk[64];
    hs_session s;
    random_keypair(pk, sk);
    int err = hs_init(&s, HS_INITIATOR, g_net, pk, sk);
    if (err == CF_OK) err = hs_hello(&s, hello);
    hs_wipe(&s);
    cf_wipe(sk, sizeof sk);
    return err;
}

/* stall: PER connections from each --from address, each sends a HELLO and
 * then nothing; a connection the node drops is opened again
 * STALL_RECONNECT_MS later. Until STOP exists. */
static int mode_stall(unsigned per, const char *stop_file)
{
    struct pollfd pfd[FROM_MAX * STALL_PER_MAX];
    uint64_t again[FROM_MAX * STALL_PER_MAX];
    unsigned long long opened = 0, dropped = 0;
    uint8_t hello[HS_HELLO_BYTES], sink[4096];
    size_t n = g_nfrom * per;
    if (g_nfrom == 0 || per == 0 || per > STALL_PER_MAX || stop_file == NULL)
        return die("stall needs --from ADDRS, --per 1..%d and --stop-file", STALL_PER_MAX);
    g_quiet = true;
    for (size_t i = 0; i < n; i++) pfd[i] = (struct pollfd){-1, POLLIN, 0}, again[i] = 0;
    while (!stopped(stop_file)) {
        if (left_ms() == 0) return die("stall: no stop file before the deadline");
        uint64_t now = now_ms();
        for (size_t i = 0; i < n; i++) {
            if (pfd[i].fd >= 0 || now < again[i]) continue;
            int fd = dial_from(g_from[i / per], 0);
            if (fd < 0) {
                again[i] = now + STALL_RECONNECT_MS;
                continue;
            }
            opened++;
            if (make_hello(hello) != CF_OK || send_all(fd, hello, sizeof hello) != 0) {
                close(fd);
                again[i] = now + STALL_RECONNECT_MS;
                dropped++;
                continue;
            }
            pfd[i] = (struct pollfd){fd, POLLIN, 0};
        }
        if (poll(pfd, (nfds_t)n, 10) <= 0) continue;
        for (size_t i = 0; i < n; i++) {
            if (pfd[i].fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            if (recv(pfd[i].fd, sink, sizeof sink, MSG_DONTWAIT) > 0) continue; /* ACCEPT */
            close(pfd[i].fd);
            pfd[i].fd = -1;
            again[i] = now_ms() + STALL_RECONNECT_MS;
            dropped++;
        }
    }
    for (size_t i = 0; i < n; i++)
        if (pfd[i].fd >= 0) close(pfd[i].fd);
    printf("stall: %llu connections opened, %llu dropped by the node\n", opened, dropped);
    return 0;
}

/* hello-flood: from each --from address in turn, connect, send a HELLO,
 * count an ACCEPT (the node's key exchange and signature), close. */
static int mode_hello_flood(const char *stop_file)
{
    unsigned long long tries = 0, accepts = 0;
    uint8_t hello[HS_HELLO_BYTES], accept[HS_ACCEPT_BYTES];
    if (g_nfrom == 0 || stop_file == NULL) return die("hello-flood needs --from and --stop-file");
    g_quiet = true;
    uint64_t t0 = now_ms();
    for (size_t i = 0; !stopped(stop_file); i++) {
        if (left_ms() == 0) return die("hello-flood: no stop file before the deadline");
        int fd = dial_from(g_from[i % g_nfrom], 0);
        if (fd < 0) continue;
        tries++;
        if (make_hello(hello) == CF_OK && send_all(fd, hello, sizeof hello) == 0 &&
            recv_exact(fd, accept, sizeof accept) == 0)
            accepts++;
        struct linger lg = {1, 0}; /* a reset: no TIME_WAIT at our end */
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        close(fd);
    }
    printf("hello-flood: %llu HELLOs, %llu answered with ACCEPT in %llu ms\n", tries, accepts,
           (unsigned long long)(now_ms() - t0));
    return 0;
}

/* A member's session from `from`: the handshake and the node's first frame
 * (its status: the node took us). fd, or -1 when the node refused us. */
static int session_open(const char *from, hs_session *s)
{
    wire_msg m;
    int fd = dial_from(from, 0);
    if (fd < 0) return -1;
    rlen = 0;
    uint8_t h[HS_HELLO_BYTES], a[HS_ACCEPT_BYTES], pr[HS_PROVE_BYTES];
    if (hs_init(s, HS_INITIATOR, g_net, g_kp.pk, g_kp.sk) != 0 || hs_hello(s, h) != 0 ||
        send_all(fd, h, sizeof h) != 0 || recv_exact(fd, a, sizeof a) != 0 ||
        hs_on_accept(s, a, sizeof a, pr) != 0 || send_all(fd, pr, sizeof pr) != 0 ||
        read_msg(fd, s, &m) != 0) {
        hs_wipe(s);
        close(fd);
        return -1;
    }
    return fd;
}

/* probe: COUNT sessions one after the other (--from: its address), each
 * closed once the node took it; prints how many the node took. */
static int mode_probe(unsigned count)
{
    unsigned ok = 0;
    uint64_t worst = 0;
    if (need_key("probe")) return 2;
    g_quiet = true;
    for (unsigned i = 0; i < count && left_ms() > 0; i++) {
        hs_session s;
        uint64_t t0 = now_ms();
        int fd = session_open(g_nfrom ? g_from[0] : NULL, &s);
        uint64_t took = now_ms() - t0;
        if (took > worst) worst = took;
        if (fd < 0) continue;
        hs_wipe(&s);
        close(fd);
        ok++;
    }
    printf("probe: %u of %u sessions taken (slowest %llu ms)\n", ok, count,
           (unsigned long long)worst);
    return 0;
}

/* sessions: opens COUNT sessions with --key (a refused one is tried again
 * 50 ms later) and keeps them, sending keepalives, until STOP exists;
 * prints how many the node still holds open then. */
static int mode_sessions(unsigned count, const char *stop_file)
{
    static hs_session ss[SESSIONS_MAX];
    struct pollfd pfd[SESSIONS_MAX];
    unsigned opened = 0, open_now = 0;
    uint8_t sink[65536];
    if (need_key("sessions")) return 2;
    if (count == 0 || count > SESSIONS_MAX || stop_file == NULL)
        return die("sessions needs --count 1..%d and --stop-file", SESSIONS_MAX);
    g_quiet = true;
    uint64_t last_ka = now_ms();
    while (!stopped(stop_file)) {
        if (left_ms() == 0) return die("sessions: no stop file before the deadline");
        if (opened < count) {
            int fd = session_open(NULL, &ss[opened]);
            if (fd < 0) sleep_ms(50);
            else {
                pfd[opened++] = (struct pollfd){fd, POLLIN, 0};
                if (opened == count) {
                    printf("opened %u sessions\n", opened);
                    fflush(stdout);
                }
            }
        }
        /* Drain what the nodes sends (no decryption needed: we only keep
         * the sessions), notice the ones it closed. */
        poll(pfd, opened, opened < count ? 0 : 20);
        for (unsigned i = 0; i < opened; i++) {
            if (pfd[i].fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            if (recv(pfd[i].fd, sink, sizeof sink, MSG_DONTWAIT) > 0) continue;
            close(pfd[i].fd);
            pfd[i].fd = -1;
        }
        if (now_ms() - last_ka >= SESSION_KEEPALIVE_MS) {
            last_ka = now_ms();
            for (unsigned i = 0; i < opened; i++)
                if (pfd[i].fd >= 0 && send_msg(pfd[i].fd, &ss[i], NULL, 0) != 0) {
                    close(pfd[i].fd);
                    pfd[i].fd = -1;
                }
        }
    }
    for (unsigned i = 0; i < opened; i++) {
        if (pfd[i].fd >= 0) open_now++, close(pfd[i].fd);
        hs_wipe(&ss[i]);
    }
    printf("sessions: %u opened, %u still open at the end\n", opened, open_now);
    return 0;
}

/* cosig: sends the signed checkpoint in FILE (the node's latest of a feed)
 * as cosig messages, up to COUNT of them or until the node closes the
 * connection (--forge ORIGIN: each with an extra line named after that
 * member, signed by a fresh key: a forged cosignature), or for MS
 * (--for-ms), then (not forged) keeps the session until STOP exists. Then, when forged, opens one more session and
 * reports whether the node took it. */
static int mode_cosig(const char *ckpt_path, const char *forge, unsigned count,
                      const char *stop_file)
{
    static char note_buf[NOTE_BYTES_MAX + 1];
    static uint8_t msg[WIRE_COSIG_BYTES_MAX];
    char line[NOTE_SIG_LINE_BYTES_MAX];
    size_t len, mlen, line_len;
    uint8_t author[32], pk[32], sk[64];
    note nt;
    hs_session s;
    unsigned sent = 0;
    if (need_key("cosig")) return 2;
    if (ckpt_path == NULL || count == 0) return die("cosig needs --checkpoint FILE and --count N");
    if (read_file(ckpt_path, (uint8_t *)note_buf, sizeof note_buf - 1, &len) != 0) return 1;
    if (note_parse(note_buf, len, &nt) != CF_OK) return die("%s: not a signed note", ckpt_path);
    /* The author is the origin's last part: cofund/<net16>/<key hex>. */
    const char *eol = memchr(nt.text, '\n', nt.text_len);
    const char *slash = eol ? memrchr(nt.text, '/', (size_t)(eol - nt.text)) : NULL;
    if (slash == NULL || eol - slash != 65 || cf_hex_decode(slash + 1, 64, author, 32) != CF_OK)
        return die("%s: no author in its origin", ckpt_path);
    if (forge) {
        random_keypair(pk, sk);
        if (note_cosign(nt.text, nt.text_len, forge, sk, 1700000000, line, sizeof line,
                        &line_len) != CF_OK || len + line_len > sizeof note_buf - 1)
            return die("cannot make the forged line");
        memcpy(note_buf + len, line, line_len);
        len += line_len;
        cf_wipe(sk, sizeof sk);
    }
    if (wire_encode_cosig(msg, sizeof msg, author, note_buf, len, &mlen) != CF_OK)
        return die("cannot encode the cosig");
    const char *from = g_nfrom ? g_from[0] : NULL; /* --from: one source address */
    int fd = session_open(from, &s);
    if (fd < 0) return die("cosig: the node did not take our session");
    uint64_t t0 = now_ms();
    while (sent < count && !stopped(stop_file) && left_ms() > 0 &&
           (g_for_ms == 0 || now_ms() - t0 < g_for_ms)) {
        if (send_msg(fd, &s, msg, mlen) != 0) break; /* the node closed it */
        sent++;
    }
    printf("cosig: sent %u in %llu ms\n", sent, (unsigned long long)(now_ms() - t0));
    fflush(stdout);
    if (!forge) { /* keep the session (keepalives) until STOP exists */
        while (stop_file && !stopped(stop_file) && left_ms() > 0 &&
               send_msg(fd, &s, NULL, 0) == 0)
            sleep_ms(200);
        hs_wipe(&s);
        close(fd);
        return 0;
    }
    hs_wipe(&s);
    int rc = wait_closed(fd, "cosig");
    if (rc) return rc;
    fd = session_open(from, &s);
    printf("cosig: a new session %s\n", fd >= 0 ? "was taken" : "was refused");
    if (fd >= 0) {
        hs_wipe(&s);
        close(fd);
    }
    return 0;
}

/* ---- main ----------------------------------------------------------------------- */

static int usage(void)
{
    fputs("usage: hostile_peer MODE HOST:PORT NETHEX [--key KEYFILE] [--entry FILE]\n"
          "                    [--feed HEX] [--stop-file STOP] [--step-file STEP] [--timeout-s N]\n"
          "                    [--from A,B,...] [--per N] [--count N]\n"
          "                    [--checkpoint FILE] [--forge ORIGIN] [--for-ms MS]\n"
          "MODE: garbage wrong-net stranger replay big-frame cut-frame flood no-read\n"
          "      forged-ckpt bad-root stall hello-flood probe sessions cosig\n"
          "      (see the top of tests/tools/hostile_peer.c)\n",
          stderr);
    return 2;
}

int main(int argc, char **argv)
{
    const char *key = NULL, *entry = NULL, *feed_hex = NULL, *stop_file = NULL, *step_file = NULL;
    const char *ckpt = NULL, *forge = NULL;
    unsigned long timeout_s = 20, per = 0, count = 0;
    uint8_t feed[32];
    if (argc < 4 || (argc - 4) % 2 != 0) return usage();
    for (int i = 4; i < argc; i += 2) {
        if (strcmp(argv[i], "--key") == 0) key = argv[i + 1];
        else if (strcmp(argv[i], "--entry") == 0) entry = argv[i + 1];
        else if (strcmp(argv[i], "--feed") == 0) feed_hex = argv[i + 1];
        else if (strcmp(argv[i], "--stop-file") == 0) stop_file = argv[i + 1];
        else if (strcmp(argv[i], "--step-file") == 0) step_file = argv[i + 1];
        else if (strcmp(argv[i], "--timeout-s") == 0) timeout_s = strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--per") == 0) per = strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--count") == 0) count = strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--checkpoint") == 0) ckpt = argv[i + 1];
        else if (strcmp(argv[i], "--forge") == 0) forge = argv[i + 1];
        else if (strcmp(argv[i], "--for-ms") == 0) g_for_ms = strtoull(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--from") == 0) {
            snprintf(g_from_buf, sizeof g_from_buf, "%s", argv[i + 1]);
            for (char *t = strtok(g_from_buf, ","); t && g_nfrom < FROM_MAX; t = strtok(NULL, ","))
                g_from[g_nfrom++] = t;
        } else return usage();
    }
    const char *colon = strrchr(argv[2], ':');
    if (colon == NULL || colon == argv[2] || (size_t)(colon - argv[2]) >= sizeof g_host ||
        strlen(colon + 1) >= sizeof g_port || timeout_s == 0)
        return usage();
    memcpy(g_host, argv[2], (size_t)(colon - argv[2]));
    snprintf(g_port, sizeof g_port, "%s", colon + 1);
    if (strlen(argv[3]) != 64 || cf_hex_decode(argv[3], 64, g_net, 32) != CF_OK) return usage();
    if (feed_hex && (strlen(feed_hex) != 64 || cf_hex_decode(feed_hex, 64, feed, 32) != CF_OK))
        return usage();
    if (cf_crypto_init() != CF_OK) return die("cannot initialise libsodium");
    if (key) {
        int err = keyfile_load(key, NULL, 0, &g_kp);
        if (err) return die("%s: %s", key, cf_strerror(err));
        g_has_key = true;
    }
    g_deadline_ms = now_ms() + timeout_s * 1000;
    const char *mode = argv[1];
    int rc;
    if (strcmp(mode, "garbage") == 0) rc = mode_garbage();
    else if (strcmp(mode, "wrong-net") == 0) rc = mode_wrong_net();
    else if (strcmp(mode, "stranger") == 0) rc = mode_stranger();
    else if (strcmp(mode, "replay") == 0) rc = mode_replay();
    else if (strcmp(mode, "big-frame") == 0) rc = mode_big_frame();
    else if (strcmp(mode, "cut-frame") == 0) rc = mode_cut_frame();
    else if (strcmp(mode, "flood") == 0) rc = mode_flood();
    else if (strcmp(mode, "no-read") == 0) rc = feed_hex ? mode_no_read(feed, stop_file, step_file) : usage();
    else if (strcmp(mode, "forged-ckpt") == 0) rc = mode_batch(entry, true);
    else if (strcmp(mode, "bad-root") == 0) rc = mode_batch(entry, false);
    else if (strcmp(mode, "stall") == 0) rc = mode_stall((unsigned)per, stop_file);
    else if (strcmp(mode, "hello-flood") == 0) rc = mode_hello_flood(stop_file);
    else if (strcmp(mode, "probe") == 0) rc = count ? mode_probe((unsigned)count) : usage();
    else if (strcmp(mode, "sessions") == 0) rc = mode_sessions((unsigned)count, stop_file);
    else if (strcmp(mode, "cosig") == 0) rc = mode_cosig(ckpt, forge, (unsigned)count, stop_file);
    else rc = usage();
    keyfile_wipe(&g_kp);
    return rc;
}
