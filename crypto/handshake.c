/* handshake.c — the handshake/secretstream state machine; the contract and
 * the message layout are in handshake.h.
 *
 * Why it resists man-in-the-middle and replay
 * -------------------------------------------
 * Authentication. Each side signs, with its long-term Ed25519 member key, a
 * transcript that holds the network id and both ephemeral X25519 keys (T2 by
 * the responder, T3 by the initiator). A relay that substitutes its own
 * ephemeral in HELLO (to share a key with R) makes R sign a T2 naming that
 * ephemeral, which I, checking T2 with its own eI, refuses; one that
 * substitutes its ephemeral in ACCEPT leaves R's signature over eR, which I
 * refuses again; and I's signature over T3 names the eR that I saw, which R
 * refuses if it sent another one. Forging any of these needs a member's
 * secret key. A relay that leaves both ephemerals alone only forwards bytes:
 * the session keys come from X25519 of the two ephemerals, whose secrets
 * never leave the two ends (a low-order key, which would give a known
 * all-zero secret, is refused by crypto_kx).
 *
 * Binding. T3 names both member keys, and every frame carries SHA-256(T3) as
 * additional data, so frames only open when both ends agree on both
 * identities. Without it a member M could replace I's key and signature in
 * PROVE with its own signature over the T3 naming M (all of it public) and R
 * would attribute I's traffic to M (an unknown-key-share attack); with it
 * neither side accepts a single frame. The network id is in HELLO (checked
 * first, for a clear CF_EWRONG_NETWORK) and in both signatures, so a key that
 * is a member of two networks cannot be carried from one to the other. The
 * two labels ("... responder", "... initiator") keep a responder's signature
 * from serving as an initiator's; a peer presenting our own key is refused,
 * so a node cannot be connected to itself by reflection.
 *
 * Replay. Every session starts with a fresh random ephemeral on each side and
 * each signature covers the other side's ephemeral: a recorded ACCEPT names
 * an old eI and fails against the new one; a recorded PROVE names an old eR
 * and fails likewise. A replayed HELLO gets a fresh eR in reply, and the
 * replayer can neither sign the PROVE nor compute the keys. Inside a session
 * each direction has its own key (crypto_kx rx/tx), and secretstream's
 * implicit nonce counter makes each frame's MAC depend on its position:
 * replayed, reordered, dropped or reflected frames fail, and the first
 * failure is terminal.
 *
 * Forward secrecy: the ephemeral secret is wiped as soon as the session keys
 * exist and member keys only sign, so a member key stolen later decrypts no
 * recorded session.
 *
 * Not provided: identity hiding (member keys travel in the clear); explicit
 * key confirmation (the first frame that opens is the confirmation); an end
 * marker (a cut connection must be treated as "more was coming"); protection
 * against handshake floods (node/ bounds handshakes in flight).
 *
 * Parsing: the handshake messages have fixed sizes, checked exactly before
 * anything is read; fields are then taken through `struct rd`, which can
 * never read past the end.
 */
#include "handshake.h"

#include <stdalign.h>
#include <string.h>

#include <sodium.h>

#include "cf_error.h"
#include "cf_util.h"

#define KEY_BYTES HS_KEY_BYTES
#define LABEL_BYTES 20
static const char LABEL_RESPONDER[] = "cofund/hs1 responder";
static const char LABEL_INITIATOR[] = "cofund/hs1 initiator";
/* label || net || eI || eR || R's member key [|| I's member key] */
#define T2_BYTES (LABEL_BYTES + 4 * KEY_BYTES)
#define T3_BYTES (LABEL_BYTES + 5 * KEY_BYTES)
#define AD_BYTES CF_SHA256_BYTES
/* Marks an initialised session; a wiped (zeroed) one never matches. */
#define SESSION_MAGIC 0x63667368u
/* Domain label for deriving a test session's secretstream header. */
static const char TEST_HEADER_LABEL[] = "cofund/hs1 test header";

#define TAG_MESSAGE crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
typedef crypto_secretstream_xchacha20poly1305_state stream_state;

_Static_assert(sizeof LABEL_RESPONDER - 1 == LABEL_BYTES, "label size");
_Static_assert(sizeof LABEL_INITIATOR - 1 == LABEL_BYTES, "label size");
_Static_assert(sizeof HS_MAGIC - 1 == HS_MAGIC_BYTES, "magic size");
_Static_assert(HS_KEY_BYTES == crypto_kx_PUBLICKEYBYTES, "kx pk size");
_Static_assert(HS_KEY_BYTES == crypto_sign_PUBLICKEYBYTES, "sign pk size");
_Static_assert(crypto_kx_SEEDBYTES == 32, "test seed size");
_Static_assert(crypto_kx_SESSIONKEYBYTES ==
                   crypto_secretstream_xchacha20poly1305_KEYBYTES,
               "a kx session key keys one secretstream");
_Static_assert(HS_SIG_BYTES == crypto_sign_BYTES, "sig size");
_Static_assert(HS_STREAM_HEADER_BYTES ==
                   crypto_secretstream_xchacha20poly1305_HEADERBYTES,
               "header size");
_Static_assert(HS_FRAME_OVERHEAD == crypto_secretstream_xchacha20poly1305_ABYTES,
               "frame overhead");
_Static_assert(HS_HELLO_BYTES == HS_MAGIC_BYTES + 2 * HS_KEY_BYTES, "HELLO");
_Static_assert(HS_ACCEPT_BYTES == 2 * HS_KEY_BYTES + HS_SIG_BYTES +
                                      HS_STREAM_HEADER_BYTES,
               "ACCEPT");
_Static_assert(HS_PROVE_BYTES == HS_KEY_BYTES + HS_SIG_BYTES +
                                     HS_STREAM_HEADER_BYTES,
               "PROVE");
_Static_assert(HS_FRAME_BYTES_MAX <= UINT32_MAX, "length fits the prefix");
_Static_assert(HS_FRAME_PLAIN_MAX <=
                   crypto_secretstream_xchacha20poly1305_MESSAGEBYTES_MAX,
               "secretstream message limit");
_Static_assert(HS_WIRE_BYTES_MAX <= SIZE_MAX, "a whole frame is addressable");

/* Everything a session holds. Secrets: self_sk (until it has signed),
 * eph_sk (until the session keys exist), rx_key and tx_key (until their
 * stream is initialised), det_header, tx and rx. */
struct hs_impl {
    uint32_t magic;
    enum hs_role role;
    enum hs_state state;
    bool deterministic, expect_set, peer_known;
    uint8_t net[KEY_BYTES];
    uint8_t self_pk[KEY_BYTES];
    uint8_t self_sk[crypto_sign_SECRETKEYBYTES];
    uint8_t expect_pk[KEY_BYTES];
    uint8_t peer_pk[KEY_BYTES];
    uint8_t eph_pk[KEY_BYTES];
    uint8_t eph_sk[crypto_kx_SECRETKEYBYTES];
    uint8_t peer_eph[KEY_BYTES];
    uint8_t rx_key[crypto_kx_SESSIONKEYBYTES];
    uint8_t tx_key[crypto_kx_SESSIONKEYBYTES];
    uint8_t det_header[HS_STREAM_HEADER_BYTES];
    uint8_t ad[AD_BYTES]; /* SHA-256(T3), the AD of every frame */
    stream_state tx, rx;
};

_Static_assert(sizeof(struct hs_impl) <= sizeof(hs_session),
               "hs_session must hold the session");
_Static_assert(alignof(struct hs_impl) <= 16, "hs_session alignment");

/* ---- Cursors ------------------------------------------------------------ */

struct rd {
    const uint8_t *p;
    size_t len;
};

/* The next n bytes, or NULL (nothing consumed) when fewer remain. */
static const uint8_t *rd_take(struct rd *rd, size_t n)
{
    if (rd->len < n) return NULL;
    const uint8_t *p = rd->p;
    rd->p += n;
    rd->len -= n;
    return p;
}

struct wr {
    uint8_t *p;
    size_t len; /* room left */
};

/* Internal: callers size the buffer, so running out is a bug. */
static void wr_put(struct wr *w, const void *src, size_t n)
{
    CF_ASSERT(w->len >= n);
    memcpy(w->p, src, n);
    w->p += n;
    w->len -= n;
}

/* ---- Session plumbing --------------------------------------------------- */

static struct hs_impl *impl_of(hs_session *s)
{
    if (s == NULL) return NULL;
    struct hs_impl *h = (struct hs_impl *)(void *)s->opaque;
    return h->magic == SESSION_MAGIC ? h : NULL;
}

static const struct hs_impl *impl_of_const(const hs_session *s)
{
    if (s == NULL) return NULL;
    const struct hs_impl *h = (const struct hs_impl *)(const void *)s->opaque;
    return h->magic == SESSION_MAGIC ? h : NULL;
}

/* Wipe every secret (public fields stay, so the peer can still be named). */
static void wipe_secrets(struct hs_impl *h)
{
    sodium_memzero(h->self_sk, sizeof h->self_sk);
    sodium_memzero(h->eph_sk, sizeof h->eph_sk);
    sodium_memzero(h->rx_key, sizeof h->rx_key);
    sodium_memzero(h->tx_key, sizeof h->tx_key);
    sodium_memzero(h->det_header, sizeof h->det_header);
    sodium_memzero(&h->tx, sizeof h->tx);
    sodium_memzero(&h->rx, sizeof h->rx);
}

/* Fail the session for good; returns rc for `return fail(h, rc);`. */
static int fail(struct hs_impl *h, int rc)
{
    CF_ASSERT(rc != CF_OK);
    wipe_secrets(h);
    h->state = HS_FAILED;
    return rc;
}

/* The session behind s if it is in state want. A wrong state fails it. */
static int enter(hs_session *s, enum hs_state want, struct hs_impl **out)
{
    struct hs_impl *h = impl_of(s);
    if (h == NULL) return CF_EINVAL;
    if (h->state != want) return fail(h, CF_EINVAL);
    *out = h;
    return CF_OK;
}

/* T2 (i_pk NULL) or T3 into t; returns its length. */
static size_t transcript(uint8_t t[T3_BYTES], const struct hs_impl *h,
                         const uint8_t e_i[KEY_BYTES],
                         const uint8_t e_r[KEY_BYTES],
                         const uint8_t r_pk[KEY_BYTES], const uint8_t *i_pk)
{
    struct wr w = {t, T3_BYTES};
    wr_put(&w, i_pk != NULL ? LABEL_INITIATOR : LABEL_RESPONDER, LABEL_BYTES);
    wr_put(&w, h->net, KEY_BYTES);
    wr_put(&w, e_i, KEY_BYTES);
    wr_put(&w, e_r, KEY_BYTES);
    wr_put(&w, r_pk, KEY_BYTES);
    if (i_pk != NULL) wr_put(&w, i_pk, KEY_BYTES);
    size_t n = T3_BYTES - w.len;
    CF_ASSERT(n == (i_pk != NULL ? T3_BYTES : T2_BYTES));
    return n;
}

/* Initialise the sending stream from tx_key and write its header; the key
 * is wiped (the state holds what is needed). */
static int push_init(struct hs_impl *h, uint8_t header[HS_STREAM_HEADER_BYTES])
{
    int r;
    if (h->deterministic) {
        /* libsodium's init_push is init_pull on a random header: pulling
         * from a fixed header gives the state push would have. test
         * deterministic_sessions checks the round trip. */
        memcpy(header, h->det_header, HS_STREAM_HEADER_BYTES);
        r = crypto_secretstream_xchacha20poly1305_init_pull(&h->tx, header,
                                                            h->tx_key);
    } else {
        r = crypto_secretstream_xchacha20poly1305_init_push(&h->tx, header,
                                                            h->tx_key);
    }
    sodium_memzero(h->tx_key, sizeof h->tx_key);
    return r == 0 ? CF_OK : CF_ECRYPTO;
}

/* Initialise the receiving stream from rx_key and the peer's header. */
static int pull_init(struct hs_impl *h,
                     const uint8_t header[HS_STREAM_HEADER_BYTES])
{
    int r = crypto_secretstream_xchacha20poly1305_init_pull(&h->rx, header,
                                                            h->rx_key);
    sodium_memzero(h->rx_key, sizeof h->rx_key);
    return r == 0 ? CF_OK : CF_ECRYPTO;
}

/* The checks on a peer whose signature verified. */
static int check_peer(const struct hs_impl *h, const uint8_t pk[KEY_BYTES])
{
    if (memcmp(pk, h->self_pk, KEY_BYTES) == 0) return CF_EHS_PEER;
    if (h->expect_set && memcmp(pk, h->expect_pk, KEY_BYTES) != 0)
        return CF_EHS_PEER;
    return CF_OK;
}

static void establish(struct hs_impl *h, const uint8_t t3[T3_BYTES],
                      const uint8_t peer_pk[KEY_BYTES])
{
    crypto_hash_sha256(h->ad, t3, T3_BYTES);
    memcpy(h->peer_pk, peer_pk, KEY_BYTES);
    h->peer_known = true;
    h->state = HS_ESTABLISHED;
}

/* ---- Set-up ------------------------------------------------------------- */

static int init_common(hs_session *s, enum hs_role role, const uint8_t net[32],
                       const uint8_t member_pk[32], const uint8_t member_sk[64],
                       const uint8_t *seed)
{
    if (s == NULL) return CF_EINVAL;
    sodium_memzero(s, sizeof *s);
    if ((role != HS_INITIATOR && role != HS_RESPONDER) || net == NULL ||
        member_pk == NULL || member_sk == NULL)
        return CF_EINVAL;
    if (sodium_init() < 0) return CF_ECRYPTO;

    struct hs_impl *h = (struct hs_impl *)(void *)s->opaque;
    /* sk is seed || pk: both halves must agree with member_pk. */
    uint8_t pk[crypto_sign_PUBLICKEYBYTES];
    if (crypto_sign_seed_keypair(pk, h->self_sk, member_sk) != 0 ||
        sodium_memcmp(h->self_sk, member_sk, sizeof h->self_sk) != 0 ||
        memcmp(pk, member_pk, sizeof pk) != 0) {
        sodium_memzero(s, sizeof *s);
        return CF_EINVAL;
    }
    memcpy(h->self_pk, member_pk, KEY_BYTES);
    memcpy(h->net, net, KEY_BYTES);
    h->role = role;
    if (seed != NULL) {
        h->deterministic = true;
        crypto_generichash_state g;
        if (crypto_kx_seed_keypair(h->eph_pk, h->eph_sk, seed) != 0 ||
            crypto_generichash_init(&g, NULL, 0, HS_STREAM_HEADER_BYTES) != 0 ||
            crypto_generichash_update(&g, (const uint8_t *)TEST_HEADER_LABEL,
                                      sizeof TEST_HEADER_LABEL - 1) != 0 ||
            crypto_generichash_update(&g, seed, crypto_kx_SEEDBYTES) != 0 ||
            crypto_generichash_final(&g, h->det_header,
                                     HS_STREAM_HEADER_BYTES) != 0) {
            sodium_memzero(s, sizeof *s);
            return CF_ECRYPTO;
        }
    } else if (crypto_kx_keypair(h->eph_pk, h->eph_sk) != 0) {
        sodium_memzero(s, sizeof *s);
        return CF_ECRYPTO;
    }
    h->state = role == HS_INITIATOR ? HS_SEND_HELLO : HS_WAIT_HELLO;
    h->magic = SESSION_MAGIC;
    return CF_OK;
}

int hs_init(hs_session *s, enum hs_role role, const uint8_t net[32],
            const uint8_t member_pk[32], const uint8_t member_sk[64])
{
    return init_common(s, role, net, member_pk, member_sk, NULL);
}

int hs_init_deterministic(hs_session *s, enum hs_role role,
                          const uint8_t net[32], const uint8_t member_pk[32],
                          const uint8_t member_sk[64], const uint8_t seed[32])
{
    if (seed == NULL) {
        if (s != NULL) sodium_memzero(s, sizeof *s);
        return CF_EINVAL;
    }
    return init_common(s, role, net, member_pk, member_sk, seed);
}

enum hs_state hs_get_state(const hs_session *s)
{
    const struct hs_impl *h = impl_of_const(s);
    return h != NULL ? h->state : HS_FAILED;
}

int hs_expect_peer(hs_session *s, const uint8_t pk[32])
{
    struct hs_impl *h = impl_of(s);
    if (h == NULL) return CF_EINVAL;
    bool before_peer = h->role == HS_INITIATOR
                           ? h->state == HS_SEND_HELLO || h->state == HS_WAIT_ACCEPT
                           : h->state == HS_WAIT_HELLO || h->state == HS_WAIT_PROVE;
    if (!before_peer || pk == NULL) return fail(h, CF_EINVAL);
    memcpy(h->expect_pk, pk, KEY_BYTES);
    h->expect_set = true;
    return CF_OK;
}

const uint8_t *hs_peer_key(const hs_session *s)
{
    const struct hs_impl *h = impl_of_const(s);
    return h != NULL && h->peer_known ? h->peer_pk : NULL;
}

void hs_wipe(hs_session *s)
{
    if (s != NULL) sodium_memzero(s, sizeof *s);
}

/* ---- The three messages ------------------------------------------------- */

int hs_hello(hs_session *s, uint8_t out[HS_HELLO_BYTES])
{
    struct hs_impl *h;
    int rc = enter(s, HS_SEND_HELLO, &h);
    if (rc != CF_OK) return rc;
    if (out == NULL) return fail(h, CF_EINVAL);
    struct wr w = {out, HS_HELLO_BYTES};
    wr_put(&w, HS_MAGIC, HS_MAGIC_BYTES);
    wr_put(&w, h->net, KEY_BYTES);
    wr_put(&w, h->eph_pk, KEY_BYTES);
    CF_ASSERT(w.len == 0);
    h->state = HS_WAIT_ACCEPT;
    return CF_OK;
}

int hs_on_hello(hs_session *s, const uint8_t *in, size_t len,
                uint8_t out[HS_ACCEPT_BYTES])
{
    struct hs_impl *h;
    int rc = enter(s, HS_WAIT_HELLO, &h);
    if (rc != CF_OK) return rc;
    if (in == NULL || out == NULL) return fail(h, CF_EINVAL);
    if (len != HS_HELLO_BYTES) return fail(h, CF_EFORMAT);

    struct rd rd = {in, len};
    const uint8_t *magic = rd_take(&rd, HS_MAGIC_BYTES);
    const uint8_t *net = rd_take(&rd, KEY_BYTES);
    const uint8_t *e_i = rd_take(&rd, KEY_BYTES);
    CF_ASSERT(magic != NULL && net != NULL && e_i != NULL && rd.len == 0);
    if (memcmp(magic, HS_MAGIC, HS_MAGIC_BYTES) != 0)
        return fail(h, CF_EFORMAT);
    if (memcmp(net, h->net, KEY_BYTES) != 0)
        return fail(h, CF_EWRONG_NETWORK);
    memcpy(h->peer_eph, e_i, KEY_BYTES);

    /* R is the kx server. */
    if (crypto_kx_server_session_keys(h->rx_key, h->tx_key, h->eph_pk,
                                      h->eph_sk, h->peer_eph) != 0)
        return fail(h, CF_ECRYPTO);
    sodium_memzero(h->eph_sk, sizeof h->eph_sk);

    uint8_t header[HS_STREAM_HEADER_BYTES], sig[HS_SIG_BYTES], t2[T3_BYTES];
    if ((rc = push_init(h, header)) != CF_OK) return fail(h, rc);
    size_t t2_len = transcript(t2, h, h->peer_eph, h->eph_pk, h->self_pk, NULL);
    if (crypto_sign_detached(sig, NULL, t2, t2_len, h->self_sk) != 0)
        return fail(h, CF_ECRYPTO);
    sodium_memzero(h->self_sk, sizeof h->self_sk); /* R signs nothing else */

    struct wr w = {out, HS_ACCEPT_BYTES};
    wr_put(&w, h->eph_pk, KEY_BYTES);
    wr_put(&w, h->self_pk, KEY_BYTES);
    wr_put(&w, sig, HS_SIG_BYTES);
    wr_put(&w, header, HS_STREAM_HEADER_BYTES);
    CF_ASSERT(w.len == 0);
    h->state = HS_WAIT_PROVE;
    return CF_OK;
}

int hs_on_accept(hs_session *s, const uint8_t *in, size_t len,
                 uint8_t out[HS_PROVE_BYTES])
{
    struct hs_impl *h;
    int rc = enter(s, HS_WAIT_ACCEPT, &h);
    if (rc != CF_OK) return rc;
    if (in == NULL || out == NULL) return fail(h, CF_EINVAL);
    if (len != HS_ACCEPT_BYTES) return fail(h, CF_EFORMAT);

    struct rd rd = {in, len};
    const uint8_t *e_r = rd_take(&rd, KEY_BYTES);
    const uint8_t *r_pk = rd_take(&rd, KEY_BYTES);
    const uint8_t *r_sig = rd_take(&rd, HS_SIG_BYTES);
    const uint8_t *r_header = rd_take(&rd, HS_STREAM_HEADER_BYTES);
    CF_ASSERT(e_r != NULL && r_pk != NULL && r_sig != NULL && r_header != NULL &&
           rd.len == 0);

    uint8_t t[T3_BYTES];
    size_t t2_len = transcript(t, h, h->eph_pk, e_r, r_pk, NULL);
    if (crypto_sign_verify_detached(r_sig, t, t2_len, r_pk) != 0)
        return fail(h, CF_EHS_BAD_SIG);
    if ((rc = check_peer(h, r_pk)) != CF_OK) return fail(h, rc);
    memcpy(h->peer_eph, e_r, KEY_BYTES);

    /* I is the kx client. */
    if (crypto_kx_client_session_keys(h->rx_key, h->tx_key, h->eph_pk,
                                      h->eph_sk, h->peer_eph) != 0)
        return fail(h, CF_ECRYPTO);
    sodium_memzero(h->eph_sk, sizeof h->eph_sk);

    uint8_t header[HS_STREAM_HEADER_BYTES], sig[HS_SIG_BYTES];
    if ((rc = pull_init(h, r_header)) != CF_OK ||
        (rc = push_init(h, header)) != CF_OK)
        return fail(h, rc);
    size_t t3_len = transcript(t, h, h->eph_pk, h->peer_eph, r_pk, h->self_pk);
    if (crypto_sign_detached(sig, NULL, t, t3_len, h->self_sk) != 0)
        return fail(h, CF_ECRYPTO);
    sodium_memzero(h->self_sk, sizeof h->self_sk);

    struct wr w = {out, HS_PROVE_BYTES};
    wr_put(&w, h->self_pk, KEY_BYTES);
    wr_put(&w, sig, HS_SIG_BYTES);
    wr_put(&w, header, HS_STREAM_HEADER_BYTES);
    CF_ASSERT(w.len == 0);
    establish(h, t, r_pk);
    return CF_OK;
}

int hs_on_prove(hs_session *s, const uint8_t *in, size_t len)
{
    struct hs_impl *h;
    int rc = enter(s, HS_WAIT_PROVE, &h);
    if (rc != CF_OK) return rc;
    if (in == NULL) return fail(h, CF_EINVAL);
    if (len != HS_PROVE_BYTES) return fail(h, CF_EFORMAT);

    struct rd rd = {in, len};
    const uint8_t *i_pk = rd_take(&rd, KEY_BYTES);
    const uint8_t *i_sig = rd_take(&rd, HS_SIG_BYTES);
    const uint8_t *i_header = rd_take(&rd, HS_STREAM_HEADER_BYTES);
    CF_ASSERT(i_pk != NULL && i_sig != NULL && i_header != NULL && rd.len == 0);

    uint8_t t3[T3_BYTES];
    size_t t3_len = transcript(t3, h, h->peer_eph, h->eph_pk, h->self_pk, i_pk);
    if (crypto_sign_verify_detached(i_sig, t3, t3_len, i_pk) != 0)
        return fail(h, CF_EHS_BAD_SIG);
    if ((rc = check_peer(h, i_pk)) != CF_OK ||
        (rc = pull_init(h, i_header)) != CF_OK)
        return fail(h, rc);
    establish(h, t3, i_pk);
    return CF_OK;
}

/* ---- Frames ------------------------------------------------------------- */

int hs_seal(hs_session *s, const uint8_t *plain, size_t plain_len, uint8_t *out,
            size_t cap, size_t *out_len)
{
    struct hs_impl *h;
    int rc = enter(s, HS_ESTABLISHED, &h);
    if (rc != CF_OK) return rc;
    /* Refused arguments leave the stream untouched. */
    if ((plain == NULL && plain_len > 0) || out == NULL || out_len == NULL)
        return CF_EINVAL;
    if (plain_len > HS_FRAME_PLAIN_MAX ||
        cap < HS_FRAME_LEN_BYTES + HS_FRAME_OVERHEAD + plain_len)
        return CF_ETOOBIG;

    static const uint8_t empty[1];
    size_t body = plain_len + HS_FRAME_OVERHEAD;
    unsigned long long clen = 0;
    cf_put_be32(out, (uint32_t)body);
    if (crypto_secretstream_xchacha20poly1305_push(
            &h->tx, out + HS_FRAME_LEN_BYTES, &clen,
            plain != NULL ? plain : empty, plain_len, h->ad, AD_BYTES,
            TAG_MESSAGE) != 0)
        return fail(h, CF_ECRYPTO);
    CF_ASSERT(clen == body);
    *out_len = HS_FRAME_LEN_BYTES + body;
    return CF_OK;
}

int hs_frame_length(const uint8_t *buf, size_t len, size_t *frame_len)
{
    if ((buf == NULL && len > 0) || frame_len == NULL) return CF_EINVAL;
    if (len < HS_FRAME_LEN_BYTES) return CF_EINCOMPLETE;
    uint32_t body = cf_get_be32(buf);
    if (body > HS_FRAME_BYTES_MAX) return CF_ETOOBIG;
    if (body < HS_FRAME_OVERHEAD) return CF_EFORMAT;
    if (len - HS_FRAME_LEN_BYTES < body) return CF_EINCOMPLETE;
    *frame_len = HS_FRAME_LEN_BYTES + (size_t)body;
    return CF_OK;
}

int hs_open(hs_session *s, const uint8_t *frame, size_t frame_len, uint8_t *plain,
            size_t cap, size_t *plain_len)
{
    struct hs_impl *h;
    int rc = enter(s, HS_ESTABLISHED, &h);
    if (rc != CF_OK) return rc;
    if (frame == NULL || (plain == NULL && cap > 0) || plain_len == NULL)
        return fail(h, CF_EINVAL);

    size_t measured = 0;
    rc = hs_frame_length(frame, frame_len, &measured);
    if (rc == CF_EINCOMPLETE || (rc == CF_OK && measured != frame_len))
        rc = CF_EFORMAT; /* the caller's length disagrees with the prefix */
    if (rc != CF_OK) return fail(h, rc);
    size_t body = frame_len - HS_FRAME_LEN_BYTES;
    size_t want = body - HS_FRAME_OVERHEAD;
    if (cap < want) return fail(h, CF_ETOOBIG);

    uint8_t scratch[1];
    uint8_t *dst = want > 0 ? plain : scratch;
    unsigned long long mlen = 0;
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(
            &h->rx, dst, &mlen, &tag, frame + HS_FRAME_LEN_BYTES, body, h->ad,
            AD_BYTES) != 0)
        return fail(h, CF_ECRYPTO);
    CF_ASSERT(mlen == want);
    if (tag != TAG_MESSAGE) {
        /* Authentic, but we never send another tag: a broken peer. */
        if (want > 0) sodium_memzero(plain, want);
        return fail(h, CF_EFORMAT);
    }
    *plain_len = want;
    return CF_OK;
}
