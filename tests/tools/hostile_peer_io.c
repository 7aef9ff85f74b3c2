/* hostile_peer_io.c — what every mode of hostile_peer (tests/tools/
 * hostile_peer.c) talks through: the deadline, sockets from a chosen source
 * address, the initiator's handshake, sealed frames and the node's messages,
 * a member's session, and the small helpers the modes share.
 */
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
#include "hostile_peer_internal.h"
#include "net/wire.h"

uint64_t g_deadline_ms;
uint8_t g_net[32];
keyfile_keypair g_kp;
bool g_has_key;

int die(const char *fmt, ...)
{
    va_list ap;
    fputs("hostile_peer: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 1;
}

uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int left_ms(void)
{
    uint64_t now = now_ms();
    return now >= g_deadline_ms ? 0 : (int)(g_deadline_ms - now);
}

void sleep_ms(unsigned ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* ---- sockets --------------------------------------------------------------- */

char g_host[256], g_port[8];

bool g_quiet; /* no "local" line for every connection (the floods) */

/* A connected TCP socket (blocking), or -1, from the IPv4 address from
 * (NULL: the kernel's choice). rcvbuf > 0 shrinks the receive buffer first
 * (before connect, so the window starts small). */
int dial_from(const char *from, int rcvbuf)
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

int dial(int rcvbuf)
{
    return dial_from(NULL, rcvbuf);
}

int send_all(int fd, const uint8_t *p, size_t n)
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
int recv_exact(int fd, uint8_t *p, size_t n)
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
int wait_closed(int fd, const char *what)
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
int handshake(int fd, hs_session *s, const uint8_t net[32], const uint8_t pk[32],
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

uint8_t g_wire[HS_WIRE_BYTES_MAX];
static uint8_t g_plain[HS_FRAME_PLAIN_MAX];

/* Seal msg (len 0: a keepalive) into out; *out_len bytes. */
int seal(hs_session *s, const uint8_t *msg, size_t len, uint8_t *out, size_t cap,
                size_t *out_len)
{
    int err = hs_seal(s, msg, len, out, cap, out_len);
    return err ? die("seal: %s", cf_strerror(err)) : 0;
}

int send_msg(int fd, hs_session *s, const uint8_t *msg, size_t len)
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

int read_msg(int fd, hs_session *s, wire_msg *m)
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

/* ---- what the modes share ------------------------------------------------------ */

void random_keypair(uint8_t pk[32], uint8_t sk[64])
{
    uint8_t seed[32];
    cf_random(seed, sizeof seed);
    cf_ed25519_keypair_from_seed(seed, pk, sk);
    cf_wipe(seed, sizeof seed);
}

int need_key(const char *mode)
{
    if (!g_has_key) return die("%s needs --key KEYFILE", mode);
    return 0;
}

/* Connect and complete the handshake with --key; -1 after a message. */
int member_connect(hs_session *s, int rcvbuf)
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

int read_file(const char *path, uint8_t *buf, size_t cap, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) return die("cannot open %s", path);
    *len = fread(buf, 1, cap, f);
    fclose(f);
    if (*len == 0 || *len == cap) return die("%s: empty or too large", path);
    return 0;
}

/* A member's session from `from`: the handshake and the node's first frame
 * (its status: the node took us). fd, or -1 when the node refused us. */
int session_open(const char *from, hs_session *s)
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
