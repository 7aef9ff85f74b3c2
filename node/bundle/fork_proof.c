/* fork_proof.c — see fork_proof.h. */
#include "fork_proof.h"

#include <string.h>

#include "ckpt.h"
#include "crypto/cbor.h"
#include "crypto/cf_error.h"

static void put_hashes(cbor_enc *e, const char *key, const fork_hashes *hs)
{
    cbor_put_cstr(e, key);
    cbor_put_array(e, hs->n);
    for (size_t i = 0; i < hs->n && i < FORK_PROOF_HASHES_MAX; i++)
        cbor_put_bytes(e, hs->h[i], 32);
}

static void put_hash(cbor_enc *e, const char *key, const uint8_t h[32])
{
    cbor_put_cstr(e, key);
    cbor_put_bytes(e, h, 32);
}

int fork_proof_encode(const fork_proof *fp, uint8_t *buf, size_t cap, size_t *len)
{
    cbor_enc e;
    cbor_enc_init(&e, buf, cap);
    /* Keys in canonical order: shorter encodings first, then bytewise. */
    cbor_put_map(&e, fp->located ? 10 : 4);
    cbor_put_cstr(&e, "a");
    cbor_put_text(&e, fp->a, fp->a_len);
    cbor_put_cstr(&e, "b");
    cbor_put_text(&e, fp->b, fp->b_len);
    if (!fp->located) {
        put_hash(&e, "alt", fp->alt);
        put_hashes(&e, "proof", &fp->proof);
        return cbor_enc_finish(&e, len);
    }
    cbor_put_cstr(&e, "p");
    cbor_put_uint(&e, fp->point);
    put_hashes(&e, "ia", &fp->ia);
    put_hashes(&e, "ib", &fp->ib);
    put_hash(&e, "la", fp->la);
    put_hash(&e, "lb", fp->lb);
    put_hashes(&e, "pa", &fp->pa);
    put_hashes(&e, "pb", &fp->pb);
    put_hash(&e, "root", fp->root);
    return cbor_enc_finish(&e, len);
}

static int expect_key(cbor_rd *r, const char *key, diag *d)
{
    const char *k;
    size_t n;
    int err = cbor_rd_text(r, &k, &n, 8);
    if (err || n != strlen(key) || memcmp(k, key, n) != 0)
        return diag_set(d, CF_EVERIFY, NULL, "fork proof: expected key \"%s\"", key);
    return CF_OK;
}

static int read_hash(cbor_rd *r, const char *key, uint8_t out[32], diag *d)
{
    int err = expect_key(r, key, d);
    if (err) return err;
    if (cbor_rd_bytes_exact(r, out, 32) != CF_OK)
        return diag_set(d, CF_EVERIFY, NULL, "fork proof: %s: not a 32-byte hash", key);
    return CF_OK;
}

static int read_hashes(cbor_rd *r, const char *key, fork_hashes *hs, diag *d)
{
    int err = expect_key(r, key, d);
    if (err) return err;
    if (cbor_rd_array(r, &hs->n, FORK_PROOF_HASHES_MAX) != CF_OK)
        return diag_set(d, CF_EVERIFY, NULL, "fork proof: %s: not an array of at most %d",
                        key, FORK_PROOF_HASHES_MAX);
    for (size_t i = 0; i < hs->n; i++)
        if (cbor_rd_bytes_exact(r, hs->h[i], 32) != CF_OK)
            return diag_set(d, CF_EVERIFY, NULL, "fork proof: %s[%zu]: not a 32-byte hash", key,
                            i);
    return CF_OK;
}

static int read_note(cbor_rd *r, const char *key, const char **text, size_t *len, diag *d)
{
    int err = expect_key(r, key, d);
    if (err) return err;
    if (cbor_rd_text(r, text, len, 8192) != CF_OK)
        return diag_set(d, CF_EVERIFY, NULL, "fork proof: %s: not a note", key);
    return CF_OK;
}

int fork_proof_decode(const uint8_t *buf, size_t len, fork_proof *fp, diag *d)
{
    cbor_rd r;
    size_t n;
    int err;
    memset(fp, 0, sizeof *fp);
    if (len > FORK_PROOF_BYTES_MAX || (err = cbor_validate(buf, len, NULL)) != 0)
        return diag_set(d, CF_EVERIFY, NULL, "fork proof: not canonical CBOR");
    cbor_rd_init(&r, buf, len);
    if ((err = cbor_rd_map(&r, &n, 10)) != 0 || (n != 4 && n != 10))
        return diag_set(d, CF_EVERIFY, NULL, "fork proof: expected a map of 4 or 10 keys");
    if ((err = read_note(&r, "a", &fp->a, &fp->a_len, d)) != 0 ||
        (err = read_note(&r, "b", &fp->b, &fp->b_len, d)) != 0)
        return err;
    fp->located = n == 10;
    if (!fp->located) {
        fp->point = FORK_POINT_UNKNOWN;
        if ((err = read_hash(&r, "alt", fp->alt, d)) != 0 ||
            (err = read_hashes(&r, "proof", &fp->proof, d)) != 0)
            return err;
    } else {
        if ((err = expect_key(&r, "p", d)) != 0) return err;
        if (cbor_rd_uint(&r, &fp->point) != CF_OK || fp->point == FORK_POINT_UNKNOWN)
            return diag_set(d, CF_EVERIFY, NULL, "fork proof: p: not an index");
        if ((err = read_hashes(&r, "ia", &fp->ia, d)) != 0 ||
            (err = read_hashes(&r, "ib", &fp->ib, d)) != 0 ||
            (err = read_hash(&r, "la", fp->la, d)) != 0 ||
            (err = read_hash(&r, "lb", fp->lb, d)) != 0 ||
            (err = read_hashes(&r, "pa", &fp->pa, d)) != 0 ||
            (err = read_hashes(&r, "pb", &fp->pb, d)) != 0 ||
            (err = read_hash(&r, "root", fp->root, d)) != 0)
            return err;
    }
    if (cbor_rd_end(&r) != CF_OK)
        return diag_set(d, CF_EVERIFY, NULL, "fork proof: trailing bytes");
    return CF_OK;
}

static int verify_unlocated(const fork_proof *fp, const checkpoint *ca, const checkpoint *cb,
                            diag *d)
{
    if (ca->size > cb->size)
        return diag_set(d, CF_EVERIFY, NULL, "fork proof: checkpoint a is larger than b");
    if (ca->size == 0)
        return diag_set(d, CF_EVERIFY, NULL, "fork proof: an empty tree cannot fork");
    if (memcmp(fp->alt, ca->root, 32) == 0)
        return diag_set(d, CF_EVERIFY, NULL, "fork proof: alt equals a's root: no fork shown");
    int err = merkle_verify_consistency(ca->size, cb->size, fp->alt, 32, cb->root, 32,
                                        fp->proof.n ? fp->proof.h[0] : NULL, fp->proof.n * 32);
    if (err)
        return diag_set(d, CF_EVERIFY, NULL,
                        "fork proof: consistency proof from %llu to %llu fails: %s",
                        (unsigned long long)ca->size, (unsigned long long)cb->size,
                        cf_strerror(err));
    return CF_OK;
}

/* One side of a located proof: the prefix (point, root) extends to the
 * checkpoint, and leaf sits at point in it. */
static int verify_side(const char *side, uint64_t point, const uint8_t root[32],
                       const fork_hashes *cons, const uint8_t leaf[32],
                       const fork_hashes *incl, const checkpoint *c, diag *d)
{
    int err;
    if (point >= c->size)
        return diag_set(d, CF_EVERIFY, NULL,
                        "fork proof: point %llu is not an entry of checkpoint %s (size %llu)",
                        (unsigned long long)point, side, (unsigned long long)c->size);
    if (point == 0) {
        if (cons->n != 0)
            return diag_set(d, CF_EVERIFY, NULL,
                            "fork proof: a consistency proof from the empty tree to %s", side);
    } else if ((err = merkle_verify_consistency(point, c->size, root, 32, c->root, 32,
                                                cons->n ? cons->h[0] : NULL, cons->n * 32)) != 0) {
        return diag_set(d, CF_EVERIFY, NULL,
                        "fork proof: the prefix of %llu entries does not extend to checkpoint "
                        "%s: %s",
                        (unsigned long long)point, side, cf_strerror(err));
    }
    if ((err = merkle_verify_inclusion(leaf, 32, point, c->size, incl->n ? incl->h[0] : NULL,
                                       incl->n * 32, c->root, 32)) != 0)
        return diag_set(d, CF_EVERIFY, NULL,
                        "fork proof: leaf %llu is not in checkpoint %s: %s",
                        (unsigned long long)point, side, cf_strerror(err));
    return CF_OK;
}

static int verify_located(const fork_proof *fp, const checkpoint *ca, const checkpoint *cb,
                          diag *d)
{
    if (fp->point == 0) {
        uint8_t empty[32];
        merkle_empty_root(empty);
        if (memcmp(fp->root, empty, 32) != 0)
            return diag_set(d, CF_EVERIFY, NULL,
                            "fork proof: point 0 with a root other than the empty tree's");
    }
    if (memcmp(fp->la, fp->lb, 32) == 0)
        return diag_set(d, CF_EVERIFY, NULL,
                        "fork proof: the same leaf at %llu in both: no fork shown",
                        (unsigned long long)fp->point);
    int err = verify_side("a", fp->point, fp->root, &fp->pa, fp->la, &fp->ia, ca, d);
    if (!err) err = verify_side("b", fp->point, fp->root, &fp->pb, fp->lb, &fp->ib, cb, d);
    return err;
}

int fork_proof_verify(const fork_proof *fp, fork_facts *facts, diag *d)
{
    checkpoint ca, cb;
    uint8_t net8_b[8], author_b[32];
    int err;

    if ((err = ckpt_verify_self(fp->a, fp->a_len, facts->net8, facts->author, &ca, d)) != 0) {
        diag_prefix(d, "fork proof: checkpoint a");
        return err;
    }
    if ((err = ckpt_verify_self(fp->b, fp->b_len, net8_b, author_b, &cb, d)) != 0) {
        diag_prefix(d, "fork proof: checkpoint b");
        return err;
    }
    if (memcmp(net8_b, facts->net8, 8) != 0 || memcmp(author_b, facts->author, 32) != 0)
        return diag_set(d, CF_EVERIFY, NULL, "fork proof: the checkpoints are from different logs");
    facts->size_a = ca.size;
    facts->size_b = cb.size;
    memcpy(facts->root_a, ca.root, 32);
    memcpy(facts->root_b, cb.root, 32);
    facts->point = fp->located ? fp->point : FORK_POINT_UNKNOWN;
    return fp->located ? verify_located(fp, &ca, &cb, d) : verify_unlocated(fp, &ca, &cb, d);
}

uint64_t fork_proof_point(const uint8_t *buf, size_t len)
{
    fork_proof fp;
    diag d;
    if (fork_proof_decode(buf, len, &fp, &d) != CF_OK) return FORK_POINT_UNKNOWN;
    return fp.located ? fp.point : FORK_POINT_UNKNOWN;
}

bool fork_point_better(uint64_t px, uint64_t py)
{
    return px < py; /* FORK_POINT_UNKNOWN is the largest */
}
