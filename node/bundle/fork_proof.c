/* evidence.c — see evidence.h. */
#include "fork_proof.h"

#include <string.h>

#include "ckpt.h"
#include "crypto/cbor.h"
#include "crypto/cf_error.h"

int fork_proof_encode(const fork_proof *fp, uint8_t *buf, size_t cap, size_t *len)
{
    cbor_enc e;
    cbor_enc_init(&e, buf, cap);
    cbor_put_map(&e, 4);
    cbor_put_cstr(&e, "a");
    cbor_put_text(&e, fp->a, fp->a_len);
    cbor_put_cstr(&e, "b");
    cbor_put_text(&e, fp->b, fp->b_len);
    cbor_put_cstr(&e, "alt");
    cbor_put_bytes(&e, fp->alt, 32);
    cbor_put_cstr(&e, "proof");
    cbor_put_array(&e, fp->nproof);
    for (size_t i = 0; i < fp->nproof && i < 64; i++) cbor_put_bytes(&e, fp->proof[i], 32);
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

int fork_proof_decode(const uint8_t *buf, size_t len, fork_proof *fp, diag *d)
{
    cbor_rd r;
    size_t n;
    int err;
    memset(fp, 0, sizeof *fp);
    if (len > FORK_PROOF_BYTES_MAX || (err = cbor_validate(buf, len, NULL)) != 0)
        return diag_set(d, CF_EVERIFY, NULL, "fork proof: not canonical CBOR");
    cbor_rd_init(&r, buf, len);
    if ((err = cbor_rd_map(&r, &n, 4)) != 0 || n != 4)
        return diag_set(d, CF_EVERIFY, NULL, "fork proof: expected a map of 4 keys");
    if ((err = expect_key(&r, "a", d)) != 0) return err;
    if (cbor_rd_text(&r, &fp->a, &fp->a_len, 8192) != CF_OK)
        return diag_set(d, CF_EVERIFY, NULL, "fork proof: a: not a note");
    if ((err = expect_key(&r, "b", d)) != 0) return err;
    if (cbor_rd_text(&r, &fp->b, &fp->b_len, 8192) != CF_OK)
        return diag_set(d, CF_EVERIFY, NULL, "fork proof: b: not a note");
    if ((err = expect_key(&r, "alt", d)) != 0) return err;
    if (cbor_rd_bytes_exact(&r, fp->alt, 32) != CF_OK)
        return diag_set(d, CF_EVERIFY, NULL, "fork proof: alt: not a 32-byte hash");
    if ((err = expect_key(&r, "proof", d)) != 0) return err;
    if (cbor_rd_array(&r, &fp->nproof, 64) != CF_OK)
        return diag_set(d, CF_EVERIFY, NULL, "fork proof: proof: not an array of at most 64");
    for (size_t i = 0; i < fp->nproof; i++)
        if (cbor_rd_bytes_exact(&r, fp->proof[i], 32) != CF_OK)
            return diag_set(d, CF_EVERIFY, NULL, "fork proof: proof[%zu]: not a 32-byte hash", i);
    if (cbor_rd_end(&r) != CF_OK)
        return diag_set(d, CF_EVERIFY, NULL, "fork proof: trailing bytes");
    return CF_OK;
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
    if (ca.size > cb.size)
        return diag_set(d, CF_EVERIFY, NULL, "fork proof: checkpoint a is larger than b");
    if (ca.size == 0)
        return diag_set(d, CF_EVERIFY, NULL, "fork proof: an empty tree cannot fork");
    if (memcmp(fp->alt, ca.root, 32) == 0)
        return diag_set(d, CF_EVERIFY, NULL, "fork proof: alt equals a's root: no fork shown");
    err = merkle_verify_consistency(ca.size, cb.size, fp->alt, 32, cb.root, 32,
                                    fp->nproof ? fp->proof[0] : NULL, fp->nproof * 32);
    if (err)
        return diag_set(d, CF_EVERIFY, NULL,
                        "fork proof: consistency proof from %llu to %llu fails: %s",
                        (unsigned long long)ca.size, (unsigned long long)cb.size,
                        cf_strerror(err));
    return CF_OK;
}
