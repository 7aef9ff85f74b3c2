/* hostile_peer_scale.c — hostile_peer's modes at scale (docs/protocol.md §2
 * "Strangers and members"): stalled handshakes, HELLO floods, sessions probed
 * or held by one key, floods of cosig messages (usage at the top of
 * tests/tools/hostile_peer.c). They print their counts instead of "local"
 * lines and run until the file STOP exists.
 */
#define _GNU_SOURCE /* memrchr */
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "crypto/handshake.h"
#include "crypto/note.h"
#include "hostile_peer_internal.h"
#include "net/wire.h"

/* ---- strangers and members at scale ------------------------------------------ */

#define STALL_PER_MAX 16
#define STALL_RECONNECT_MS 20
#define SESSIONS_MAX 256
#define SESSION_KEEPALIVE_MS 500

const char *g_from[FROM_MAX]; /* --from A,B,...: source addresses */
size_t g_nfrom;
char g_from_buf[256];

uint64_t g_for_ms; /* --for-ms: cosig stops after that long */

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
int mode_stall(unsigned per, const char *stop_file)
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
int mode_hello_flood(const char *stop_file)
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

/* probe: COUNT sessions one after the other (--from: its address), each
 * closed once the node took it; prints how many the node took. */
int mode_probe(unsigned count)
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
int mode_sessions(unsigned count, const char *stop_file)
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
int mode_cosig(const char *ckpt_path, const char *forge, unsigned count,
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
