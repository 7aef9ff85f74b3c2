/* hostile_peer_internal.h — what hostile_peer's files share (hostile_peer.c:
 * the usage, the one-connection modes and main; hostile_peer_io.c: sockets,
 * the handshake, frames and sessions; hostile_peer_scale.c: the modes at
 * scale). A test tool's, not an API. */
#ifndef COFUND_HOSTILE_PEER_INTERNAL_H
#define COFUND_HOSTILE_PEER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/handshake.h"
#include "crypto/keyfile.h"
#include "net/wire.h"

/* ---- hostile_peer_io.c -------------------------------------------------------- */

extern uint64_t g_deadline_ms; /* every wait ends here (--timeout-s) */
extern uint8_t g_net[32];      /* the network id (NETHEX) */
extern keyfile_keypair g_kp;   /* --key's, when g_has_key */
extern bool g_has_key;
extern char g_host[256], g_port[8]; /* HOST:PORT */
extern bool g_quiet; /* no "local" line for every connection (the floods) */
extern uint8_t g_wire[HS_WIRE_BYTES_MAX]; /* one sealed frame */

/* "hostile_peer: " and the message on stderr; returns 1. */
int die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
uint64_t now_ms(void);
int left_ms(void); /* until g_deadline_ms, 0 once passed */
void sleep_ms(unsigned ms);

int dial_from(const char *from, int rcvbuf);
int dial(int rcvbuf);
int send_all(int fd, const uint8_t *p, size_t n);
int recv_exact(int fd, uint8_t *p, size_t n);
int wait_closed(int fd, const char *what);

int handshake(int fd, hs_session *s, const uint8_t net[32], const uint8_t pk[32],
              const uint8_t sk[64], uint8_t hello[HS_HELLO_BYTES],
              uint8_t prove[HS_PROVE_BYTES]);
int seal(hs_session *s, const uint8_t *msg, size_t len, uint8_t *out, size_t cap,
         size_t *out_len);
int send_msg(int fd, hs_session *s, const uint8_t *msg, size_t len);
int read_msg(int fd, hs_session *s, wire_msg *m);

void random_keypair(uint8_t pk[32], uint8_t sk[64]);
int need_key(const char *mode);
int member_connect(hs_session *s, int rcvbuf);
int read_file(const char *path, uint8_t *buf, size_t cap, size_t *len);
int session_open(const char *from, hs_session *s);

/* ---- hostile_peer_scale.c ----------------------------------------------------- */

#define FROM_MAX 16

extern const char *g_from[FROM_MAX]; /* --from A,B,...: source addresses */
extern size_t g_nfrom;
extern char g_from_buf[256];
extern uint64_t g_for_ms; /* --for-ms: cosig stops after that long */

int mode_stall(unsigned per, const char *stop_file);
int mode_hello_flood(const char *stop_file);
int mode_probe(unsigned count);
int mode_sessions(unsigned count, const char *stop_file);
int mode_cosig(const char *ckpt_path, const char *forge, unsigned count,
               const char *stop_file);

#endif
