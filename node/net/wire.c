/* wire.c — see wire.h. All parsing goes through crypto/cbor.h's cursor,
 * which checks every length against its limit and against what remains
 * before looking at the bytes; cbor_rd_map scans the whole map first, so key
 * order and canonical form are settled before any field is read. */
#include "wire.h"

#include <string.h>

#include "crypto/cf_error.h"

/* Longest key ("prefix_root"). */
#define KEY_BYTES_MAX 11
/* Most keys a message has (batch). */
#define KEYS_MAX 7

/* WIRE_FORK_BYTES_MAX is FORK_PROOF_BYTES_MAX (bundle/fork_proof.h): batch.c,
 * which sees both, asserts it (the codec itself links crypto only). */

static const struct {
    enum wire_type type;
    const char *name;
} TYPES[] = {
    {WIRE_STATUS, "status"}, {WIRE_GET, "get"},   {WIRE_NONE, "none"},
    {WIRE_BATCH, "batch"},   {WIRE_FORK, "fork"},    {WIRE_COSIG, "cosig"},
    {WIRE_PEERS, "peers"},
};

const char *wire_type_name(enum wire_type t)
{
    for (size_t i = 0; i < sizeof TYPES / sizeof TYPES[0]; i++)
        if (TYPES[i].type == t) return TYPES[i].name;
    return "?";
}

/* ---- Decoder ------------------------------------------------------------- */

struct dec {
    cbor_rd rd;
    const char **why;
};

static int fail(struct dec *d, int err, const char *why)
{
    if (d->why) *d->why = why;
    return err;
}

/* The next key must be exactly want. */
static int key(struct dec *d, const char *want, const char *why)
{
    const char *s;
    size_t n;
    int err = cbor_rd_text(&d->rd, &s, &n, KEY_BYTES_MAX);
    if (err == CF_ECBOR_LIMIT || err == CF_ECBOR_TYPE) return fail(d, CF_EFORMAT, why);
    if (err) return fail(d, err, why);
    if (n != strlen(want) || memcmp(s, want, n) != 0) return fail(d, CF_EFORMAT, why);
    return CF_OK;
}

static int uint_field(struct dec *d, uint64_t *v, const char *why)
{
    int err = cbor_rd_uint(&d->rd, v);
    return err ? fail(d, err, why) : CF_OK;
}

static int hash_field(struct dec *d, uint8_t out[32], const char *why)
{
    int err = cbor_rd_bytes_exact(&d->rd, out, 32);
    return err ? fail(d, err, why) : CF_OK;
}

/* A 32-byte string left in place: *p points at its bytes. */
static int key32_field(struct dec *d, const uint8_t **p, const char *why)
{
    size_t n;
    int err = cbor_rd_bytes(&d->rd, p, &n, 32);
    if (err == CF_ECBOR_LIMIT || (err == CF_OK && n != 32)) return fail(d, CF_ERANGE, why);
    return err ? fail(d, err, why) : CF_OK;
}

/* An array head of at most max items; s receives the items' span, which
 * check (called per item) must walk exactly. */
typedef int (*item_fn)(struct dec *d, void *arg, size_t i);

static int seq_field(struct dec *d, wire_seq *s, size_t max, item_fn check, void *arg,
                     const char *why)
{
    size_t count;
    int err = cbor_rd_array(&d->rd, &count, max);
    if (err) return fail(d, err, why);
    s->p = d->rd.p + d->rd.pos;
    s->count = count;
    for (size_t i = 0; i < count; i++)
        if ((err = check(d, arg, i)) != 0) return err;
    s->len = (size_t)(d->rd.p + d->rd.pos - s->p);
    return CF_OK;
}

struct sorted {
    const uint8_t *prev;
};

static int sorted_author(struct dec *d, struct sorted *st, const uint8_t *author,
                         const char *why)
{
    if (st->prev && memcmp(st->prev, author, 32) >= 0) return fail(d, CF_EFORMAT, why);
    st->prev = author;
    return CF_OK;
}

static int feed_item(struct dec *d, void *arg, size_t i)
{
    static const char *why = "status: feeds[i] is not [author (32 bytes), size, root (32 bytes)]";
    size_t n;
    const uint8_t *author;
    uint64_t size;
    uint8_t root[32];
    int err;
    (void)i;
    if ((err = cbor_rd_array(&d->rd, &n, 3)) != 0) return fail(d, err, why);
    if (n != 3) return fail(d, CF_EFORMAT, why);
    if ((err = key32_field(d, &author, why)) != 0 || (err = uint_field(d, &size, why)) != 0 ||
        (err = hash_field(d, root, why)) != 0)
        return err;
    return sorted_author(d, arg, author, "status: feeds not sorted by author, or repeated");
}

static int fork_item(struct dec *d, void *arg, size_t i)
{
    const uint8_t *author;
    (void)i;
    int err = key32_field(d, &author, "status: forks[i] is not an author (32 bytes)");
    if (err) return err;
    return sorted_author(d, arg, author, "status: forks not sorted, or repeated");
}

static int proof_item(struct dec *d, void *arg, size_t i)
{
    wire_msg *m = arg;
    return hash_field(d, m->proof[i], "batch: proof[i] is not a 32-byte hash");
}

static int entry_item(struct dec *d, void *arg, size_t i)
{
    const uint8_t *p;
    size_t n;
    (void)arg, (void)i;
    int err = cbor_rd_bytes(&d->rd, &p, &n, WIRE_ENTRY_BYTES_MAX);
    if (err == CF_ECBOR_LIMIT) return fail(d, err, "batch: an entry is over 16 KiB");
    if (err) return fail(d, err, "batch: entries[i] is not a byte string");
    if (n == 0) return fail(d, CF_EFORMAT, "batch: an entry is empty");
    return CF_OK;
}

/* A numeric address's characters only: digits, hex letters, '.' and ':'. */
static bool host_chars_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
              c == '.' || c == ':'))
            return false;
    }
    return true;
}

static int read_peer(cbor_rd *rd, wire_peer *pe, const char **why)
{
    static const char *shape = "peers: addrs[i] is not [key (32 bytes), host, port]";
    size_t n;
    uint64_t port;
    int err;
    *why = shape;
    if ((err = cbor_rd_array(rd, &n, 3)) != 0) return err;
    if (n != 3) return CF_EFORMAT;
    if ((err = cbor_rd_bytes(rd, &pe->key, &n, 32)) != 0) return err;
    if (n != 32) return CF_ERANGE;
    err = cbor_rd_text(rd, &pe->host, &pe->host_len, WIRE_PEER_HOST_BYTES_MAX);
    if (err == CF_ECBOR_LIMIT) *why = "peers: a host is over 45 bytes";
    if (err) return err;
    if (!host_chars_ok(pe->host, pe->host_len)) {
        *why = "peers: a host is not a numeric address";
        return CF_EFORMAT;
    }
    if ((err = cbor_rd_uint(rd, &port)) != 0) return err;
    if (port == 0 || port > 65535) {
        *why = "peers: a port is not 1..65535";
        return CF_ERANGE;
    }
    pe->port = (uint16_t)port;
    return CF_OK;
}

static int peer_item(struct dec *d, void *arg, size_t i)
{
    wire_peer pe;
    const char *why;
    (void)i;
    int err = read_peer(&d->rd, &pe, &why);
    if (err) return fail(d, err, why);
    return sorted_author(d, arg, pe.key, "peers: addrs not sorted by key, or repeated");
}

static int decode_peers(struct dec *d, wire_msg *m, size_t nkeys)
{
    struct sorted s = {NULL};
    int err;
    if (nkeys != 2) return fail(d, CF_EFORMAT, "peers: wants keys t, addrs");
    if ((err = key(d, "addrs", "peers: wants key \"addrs\" after \"t\"")) != 0 ||
        (err = seq_field(d, &m->addrs, WIRE_PEERS_MAX, peer_item, &s,
                         "peers: addrs is not an array of at most 32")) != 0)
        return err;
    return CF_OK;
}

static int decode_status(struct dec *d, wire_msg *m, size_t nkeys)
{
    struct sorted s1 = {NULL}, s2 = {NULL};
    int err;
    if (nkeys != 3) return fail(d, CF_EFORMAT, "status: wants keys t, feeds, forks");
    if ((err = key(d, "feeds", "status: wants key \"feeds\" after \"t\"")) != 0 ||
        (err = seq_field(d, &m->feeds, WIRE_FEEDS_MAX, feed_item, &s1,
                         "status: feeds is not an array of at most 4096")) != 0 ||
        (err = key(d, "forks", "status: wants key \"forks\" after \"feeds\"")) != 0 ||
        (err = seq_field(d, &m->forks, WIRE_FEEDS_MAX, fork_item, &s2,
                         "status: forks is not an array of at most 4096")) != 0)
        return err;
    return CF_OK;
}

static int decode_get(struct dec *d, wire_msg *m, size_t nkeys)
{
    int err;
    if (nkeys != 3) return fail(d, CF_EFORMAT, "get/none: wants keys t, from, author");
    if ((err = key(d, "from", "get/none: wants key \"from\" after \"t\"")) != 0 ||
        (err = uint_field(d, &m->from, "get/none: from is not an unsigned integer")) != 0 ||
        (err = key(d, "author", "get/none: wants key \"author\" after \"from\"")) != 0 ||
        (err = key32_field(d, &m->author, "get/none: author is not 32 bytes")) != 0)
        return err;
    return CF_OK;
}

static int decode_batch(struct dec *d, wire_msg *m, size_t nkeys)
{
    int err;
    size_t ck_len;
    const char *ck;
    if (nkeys != 6 && nkeys != 7)
        return fail(d, CF_EFORMAT,
                    "batch: wants keys t, from, proof, author, entries, checkpoint[, prefix_root]");
    if ((err = key(d, "from", "batch: wants key \"from\" after \"t\"")) != 0 ||
        (err = uint_field(d, &m->from, "batch: from is not an unsigned integer")) != 0)
        return err;
    if ((nkeys == 7) != (m->from > 0))
        return fail(d, CF_EFORMAT, "batch: prefix_root must be present exactly when from > 0");
    m->has_prefix = m->from > 0;
    wire_seq proof;
    if ((err = key(d, "proof", "batch: wants key \"proof\" after \"from\"")) != 0 ||
        (err = seq_field(d, &proof, WIRE_PROOF_MAX, proof_item, m,
                         "batch: proof is not an array of at most 64 hashes")) != 0)
        return err;
    m->nproof = proof.count;
    if (m->from == 0 && m->nproof != 0)
        return fail(d, CF_EFORMAT, "batch: a proof with from = 0");
    if ((err = key(d, "author", "batch: wants key \"author\" after \"proof\"")) != 0 ||
        (err = key32_field(d, &m->author, "batch: author is not 32 bytes")) != 0 ||
        (err = key(d, "entries", "batch: wants key \"entries\" after \"author\"")) != 0 ||
        (err = seq_field(d, &m->entries, WIRE_BATCH_ENTRIES_MAX, entry_item, NULL,
                         "batch: entries is not an array of at most 8192")) != 0 ||
        (err = key(d, "checkpoint", "batch: wants key \"checkpoint\" after \"entries\"")) != 0)
        return err;
    err = cbor_rd_text(&d->rd, &ck, &ck_len, WIRE_CHECKPOINT_BYTES_MAX);
    if (err) return fail(d, err, "batch: checkpoint is not a text of at most 8192 bytes");
    if (ck_len == 0) return fail(d, CF_EFORMAT, "batch: empty checkpoint");
    m->checkpoint = ck;
    m->checkpoint_len = ck_len;
    if (m->has_prefix &&
        ((err = key(d, "prefix_root", "batch: wants key \"prefix_root\" last")) != 0 ||
         (err = hash_field(d, m->prefix_root, "batch: prefix_root is not a 32-byte hash")) != 0))
        return err;
    return CF_OK;
}

static int decode_fork(struct dec *d, wire_msg *m, size_t nkeys)
{
    int err;
    if (nkeys != 2) return fail(d, CF_EFORMAT, "fork: wants keys t, proof");
    if ((err = key(d, "proof", "fork: wants key \"proof\" after \"t\"")) != 0) return err;
    err = cbor_rd_bytes(&d->rd, &m->fork, &m->fork_len, WIRE_FORK_BYTES_MAX);
    if (err) return fail(d, err, "fork: proof is not a byte string within the fork proof limit");
    if (m->fork_len == 0) return fail(d, CF_EFORMAT, "fork: empty proof");
    return CF_OK;
}

static int decode_cosig(struct dec *d, wire_msg *m, size_t nkeys)
{
    int err;
    if (nkeys != 3) return fail(d, CF_EFORMAT, "cosig: wants keys t, author, checkpoint");
    if ((err = key(d, "author", "cosig: wants key \"author\" after \"t\"")) != 0 ||
        (err = key32_field(d, &m->author, "cosig: author is not 32 bytes")) != 0 ||
        (err = key(d, "checkpoint", "cosig: wants key \"checkpoint\" after \"author\"")) != 0)
        return err;
    err = cbor_rd_text(&d->rd, &m->checkpoint, &m->checkpoint_len, WIRE_CHECKPOINT_BYTES_MAX);
    if (err) return fail(d, err, "cosig: checkpoint is not a text of at most 8192 bytes");
    if (m->checkpoint_len == 0) return fail(d, CF_EFORMAT, "cosig: empty checkpoint");
    return CF_OK;
}

int wire_decode(const uint8_t *buf, size_t len, wire_msg *m, const char **why)
{
    struct dec d = {.why = why};
    size_t nkeys, tlen;
    const char *t;
    int err;

    memset(m, 0, sizeof *m);
    if (why) *why = NULL;
    if (buf == NULL || len == 0) return fail(&d, CF_EINVAL, "empty message");
    cbor_rd_init(&d.rd, buf, len);
    err = cbor_rd_map(&d.rd, &nkeys, KEYS_MAX);
    if (err == CF_ECBOR_TYPE) return fail(&d, CF_EFORMAT, "not a CBOR map");
    if (err == CF_ECBOR_LIMIT) return fail(&d, CF_EFORMAT, "a map of more than 7 keys");
    if (err) return fail(&d, err, "not canonical CBOR");
    if (nkeys == 0) return fail(&d, CF_EFORMAT, "an empty map");
    if ((err = key(&d, "t", "the first key is not \"t\"")) != 0) return err;
    err = cbor_rd_text(&d.rd, &t, &tlen, WIRE_TYPE_BYTES_MAX);
    if (err == CF_ECBOR_LIMIT) return fail(&d, CF_EFORMAT, "unknown message type");
    if (err) return fail(&d, err, "\"t\" is not a text");
    m->type = 0;
    for (size_t i = 0; i < sizeof TYPES / sizeof TYPES[0]; i++)
        if (strlen(TYPES[i].name) == tlen && memcmp(TYPES[i].name, t, tlen) == 0)
            m->type = TYPES[i].type;
    switch (m->type) {
    case WIRE_STATUS: err = decode_status(&d, m, nkeys); break;
    case WIRE_GET:
    case WIRE_NONE: err = decode_get(&d, m, nkeys); break;
    case WIRE_BATCH: err = decode_batch(&d, m, nkeys); break;
    case WIRE_FORK: err = decode_fork(&d, m, nkeys); break;
    case WIRE_COSIG: err = decode_cosig(&d, m, nkeys); break;
    case WIRE_PEERS: err = decode_peers(&d, m, nkeys); break;
    default: err = fail(&d, CF_EFORMAT, "unknown message type"); break;
    }
    if (err == CF_OK && cbor_rd_end(&d.rd) != CF_OK)
        err = fail(&d, CF_ECBOR_TRAILING, "bytes after the message");
    if (err) {
        enum wire_type keep = m->type;
        memset(m, 0, sizeof *m);
        m->type = keep;
    }
    return err;
}

/* ---- Iterators ------------------------------------------------------------ */

void wire_iter_init(wire_iter *it, const wire_seq *s)
{
    cbor_rd_init(&it->rd, s->p, s->len);
    it->left = s->count;
}

int wire_next_feed(wire_iter *it, wire_feed *f)
{
    size_t n, blen;
    int err;
    if (it->left == 0) return 1;
    if ((err = cbor_rd_array(&it->rd, &n, 3)) != 0) return err;
    if (n != 3) return CF_EFORMAT;
    if ((err = cbor_rd_bytes(&it->rd, &f->author, &blen, 32)) != 0) return err;
    if (blen != 32) return CF_ERANGE;
    if ((err = cbor_rd_uint(&it->rd, &f->size)) != 0) return err;
    if ((err = cbor_rd_bytes(&it->rd, &f->root, &blen, 32)) != 0) return err;
    if (blen != 32) return CF_ERANGE;
    it->left--;
    return CF_OK;
}

int wire_next_author(wire_iter *it, const uint8_t **author)
{
    size_t n;
    if (it->left == 0) return 1;
    int err = cbor_rd_bytes(&it->rd, author, &n, 32);
    if (err) return err;
    if (n != 32) return CF_ERANGE;
    it->left--;
    return CF_OK;
}

int wire_next_entry(wire_iter *it, const uint8_t **bytes, size_t *len)
{
    if (it->left == 0) return 1;
    int err = cbor_rd_bytes(&it->rd, bytes, len, WIRE_ENTRY_BYTES_MAX);
    if (err) return err;
    it->left--;
    return CF_OK;
}

int wire_next_peer(wire_iter *it, wire_peer *pe)
{
    const char *why;
    if (it->left == 0) return 1;
    int err = read_peer(&it->rd, pe, &why);
    if (err) return err;
    it->left--;
    return CF_OK;
}

/* ---- Encoders ------------------------------------------------------------- */

static void put_type(cbor_enc *e, size_t nkeys, enum wire_type t)
{
    cbor_put_map(e, nkeys);
    cbor_put_cstr(e, "t");
    cbor_put_cstr(e, wire_type_name(t));
}

int wire_encode_get(uint8_t *buf, size_t cap, enum wire_type type, uint64_t from,
                    const uint8_t author[32], size_t *len)
{
    cbor_enc e;
    if (type != WIRE_GET && type != WIRE_NONE) return CF_EINVAL;
    cbor_enc_init(&e, buf, cap);
    put_type(&e, 3, type);
    cbor_put_cstr(&e, "from");
    cbor_put_uint(&e, from);
    cbor_put_cstr(&e, "author");
    cbor_put_bytes(&e, author, 32);
    return cbor_enc_finish(&e, len);
}

int wire_encode_fork(uint8_t *buf, size_t cap, const uint8_t *proof, size_t proof_len,
                     size_t *len)
{
    cbor_enc e;
    if (proof_len == 0 || proof_len > WIRE_FORK_BYTES_MAX) return CF_EINVAL;
    cbor_enc_init(&e, buf, cap);
    put_type(&e, 2, WIRE_FORK);
    cbor_put_cstr(&e, "proof");
    cbor_put_bytes(&e, proof, proof_len);
    return cbor_enc_finish(&e, len);
}

int wire_encode_cosig(uint8_t *buf, size_t cap, const uint8_t author[32], const char *checkpoint,
                      size_t checkpoint_len, size_t *len)
{
    cbor_enc e;
    if (author == NULL || checkpoint == NULL || checkpoint_len == 0 ||
        checkpoint_len > WIRE_CHECKPOINT_BYTES_MAX)
        return CF_EINVAL;
    cbor_enc_init(&e, buf, cap);
    put_type(&e, 3, WIRE_COSIG);
    cbor_put_cstr(&e, "author");
    cbor_put_bytes(&e, author, 32);
    cbor_put_cstr(&e, "checkpoint");
    cbor_put_text(&e, checkpoint, checkpoint_len);
    return cbor_enc_finish(&e, len);
}

int wire_encode_peers(uint8_t *buf, size_t cap, const wire_peer *peers, size_t npeers,
                      size_t *len)
{
    cbor_enc e;
    if (npeers > WIRE_PEERS_MAX || (npeers > 0 && peers == NULL)) return CF_EINVAL;
    for (size_t i = 0; i < npeers; i++) {
        const wire_peer *pe = &peers[i];
        if (pe->key == NULL || pe->port == 0 || pe->host_len > WIRE_PEER_HOST_BYTES_MAX ||
            (pe->host_len > 0 && !host_chars_ok(pe->host, pe->host_len)) ||
            (i > 0 && memcmp(peers[i - 1].key, pe->key, 32) >= 0))
            return CF_EINVAL;
    }
    cbor_enc_init(&e, buf, cap);
    put_type(&e, 2, WIRE_PEERS);
    cbor_put_cstr(&e, "addrs");
    cbor_put_array(&e, npeers);
    for (size_t i = 0; i < npeers; i++) {
        cbor_put_array(&e, 3);
        cbor_put_bytes(&e, peers[i].key, 32);
        cbor_put_text(&e, peers[i].host, peers[i].host_len);
        cbor_put_uint(&e, peers[i].port);
    }
    return cbor_enc_finish(&e, len);
}

void wire_status_begin(cbor_enc *e, uint8_t *buf, size_t cap, size_t nfeeds)
{
    cbor_enc_init(e, buf, cap);
    put_type(e, 3, WIRE_STATUS);
    cbor_put_cstr(e, "feeds");
    cbor_put_array(e, nfeeds);
}

void wire_status_feed(cbor_enc *e, const uint8_t author[32], uint64_t size,
                      const uint8_t root[32])
{
    cbor_put_array(e, 3);
    cbor_put_bytes(e, author, 32);
    cbor_put_uint(e, size);
    cbor_put_bytes(e, root, 32);
}

void wire_status_forks(cbor_enc *e, size_t nforks)
{
    cbor_put_cstr(e, "forks");
    cbor_put_array(e, nforks);
}

void wire_status_fork(cbor_enc *e, const uint8_t author[32])
{
    cbor_put_bytes(e, author, 32);
}

int wire_status_end(cbor_enc *e, size_t *len)
{
    return cbor_enc_finish(e, len);
}

void wire_batch_begin(cbor_enc *e, uint8_t *buf, size_t cap, uint64_t from,
                      const uint8_t (*proof)[32], size_t nproof, const uint8_t author[32],
                      size_t nentries)
{
    cbor_enc_init(e, buf, cap);
    put_type(e, from > 0 ? 7 : 6, WIRE_BATCH);
    cbor_put_cstr(e, "from");
    cbor_put_uint(e, from);
    cbor_put_cstr(e, "proof");
    cbor_put_array(e, nproof);
    for (size_t i = 0; i < nproof; i++) cbor_put_bytes(e, proof[i], 32);
    cbor_put_cstr(e, "author");
    cbor_put_bytes(e, author, 32);
    cbor_put_cstr(e, "entries");
    cbor_put_array(e, nentries);
}

void wire_batch_entry(cbor_enc *e, const uint8_t *bytes, size_t len)
{
    cbor_put_bytes(e, bytes, len);
}

int wire_batch_end(cbor_enc *e, const char *checkpoint, size_t checkpoint_len,
                   const uint8_t *prefix_root, size_t *len)
{
    cbor_put_cstr(e, "checkpoint");
    cbor_put_text(e, checkpoint, checkpoint_len);
    if (prefix_root) {
        cbor_put_cstr(e, "prefix_root");
        cbor_put_bytes(e, prefix_root, 32);
    }
    return cbor_enc_finish(e, len);
}

int wire_encode_msg(const wire_msg *m, uint8_t *buf, size_t cap, size_t *len)
{
    cbor_enc e;
    wire_iter it;
    int rc;
    switch (m->type) {
    case WIRE_GET:
    case WIRE_NONE:
        return wire_encode_get(buf, cap, m->type, m->from, m->author, len);
    case WIRE_FORK:
        return wire_encode_fork(buf, cap, m->fork, m->fork_len, len);
    case WIRE_COSIG:
        return wire_encode_cosig(buf, cap, m->author, m->checkpoint, m->checkpoint_len, len);
    case WIRE_PEERS: {
        wire_peer pe[WIRE_PEERS_MAX];
        size_t np = 0;
        wire_iter_init(&it, &m->addrs);
        rc = 1;
        while (np < WIRE_PEERS_MAX && (rc = wire_next_peer(&it, &pe[np])) == CF_OK) np++;
        if (rc < 0) return rc;
        return wire_encode_peers(buf, cap, pe, np, len);
    }
    case WIRE_STATUS: {
        wire_feed f;
        const uint8_t *a;
        wire_status_begin(&e, buf, cap, m->feeds.count);
        wire_iter_init(&it, &m->feeds);
        while ((rc = wire_next_feed(&it, &f)) == CF_OK) wire_status_feed(&e, f.author, f.size, f.root);
        if (rc < 0) return rc;
        wire_status_forks(&e, m->forks.count);
        wire_iter_init(&it, &m->forks);
        while ((rc = wire_next_author(&it, &a)) == CF_OK) wire_status_fork(&e, a);
        if (rc < 0) return rc;
        return wire_status_end(&e, len);
    }
    case WIRE_BATCH: {
        const uint8_t *p;
        size_t n;
        wire_batch_begin(&e, buf, cap, m->from, (const uint8_t(*)[32])m->proof, m->nproof,
                         m->author, m->entries.count);
        wire_iter_init(&it, &m->entries);
        while ((rc = wire_next_entry(&it, &p, &n)) == CF_OK) wire_batch_entry(&e, p, n);
        if (rc < 0) return rc;
        return wire_batch_end(&e, m->checkpoint, m->checkpoint_len,
                              m->has_prefix ? m->prefix_root : NULL, len);
    }
    }
    return CF_EINVAL;
}
