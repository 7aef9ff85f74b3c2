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
 *
 * This file holds the one-connection modes and main; the modes at scale are
 * in hostile_peer_scale.c, the sockets, handshake and frames they all use in
 * hostile_peer_io.c.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "crypto/handshake.h"
#include "crypto/keyfile.h"
#include "crypto/merkle.h"
#include "crypto/note.h"
#include "hostile_peer_internal.h"
#include "net/wire.h"

#define FLOOD_GETS 64
#define NO_READ_RCVBUF 4096

/* ---- the modes: one connection each ------------------------------------------- */

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
