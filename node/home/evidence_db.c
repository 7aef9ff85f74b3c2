/* evidence_db.c — see evidence_db.h. */
#include "evidence_db.h"

#include <string.h>

#include "crypto/cbor.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"

#define TAG_FORK 'F'
#define TAG_VIOLATION 'V'

int evidence_fork_put(store_txn *txn, const uint8_t author[32], const uint8_t *proof,
                      size_t len, bool *is_new)
{
    uint8_t key[33] = {TAG_FORK};
    const uint8_t *old;
    size_t old_len;
    memcpy(key + 1, author, 32);
    int err = store_kv_get(txn, STORE_T_EVIDENCE, key, sizeof key, &old, &old_len);
    if (is_new) *is_new = false;
    if (err != CF_OK && err != CF_ENOTFOUND) return err;
    /* One proof per feed: the best seen (fork_proof.h, fork_point_better),
     * so every home that saw the same proofs keeps the same point. */
    if (err == CF_OK &&
        !fork_point_better(fork_proof_point(proof, len), fork_proof_point(old, old_len)))
        return CF_OK;
    if (is_new) *is_new = true;
    return store_kv_put(txn, STORE_T_EVIDENCE, key, sizeof key, proof, len);
}

int evidence_fork_get(store_txn *txn, const uint8_t author[32], const uint8_t **proof,
                      size_t *len)
{
    uint8_t key[33] = {TAG_FORK};
    memcpy(key + 1, author, 32);
    return store_kv_get(txn, STORE_T_EVIDENCE, key, sizeof key, proof, len);
}

struct fork_each {
    evidence_fork_fn fn;
    void *arg;
};

static int fork_visit(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                      size_t vlen)
{
    struct fork_each *c = arg;
    if (klen != 33) return CF_ESTORE_CORRUPT;
    return c->fn(c->arg, key + 1, val, vlen);
}

static int put_fork_point(void *arg, const uint8_t author[32], const uint8_t *proof, size_t len)
{
    uint64_t point = fork_proof_point(proof, len);
    return state_fork_put(arg, author, point == FORK_POINT_UNKNOWN ? 0 : point);
}

int evidence_fork_points_put(store_txn *txn, const ledger_kv *kv)
{
    return evidence_forks_each(txn, put_fork_point, (void *)kv);
}

int evidence_forks_each(store_txn *txn, evidence_fork_fn fn, void *arg)
{
    uint8_t prefix = TAG_FORK;
    struct fork_each c = {fn, arg};
    return store_kv_scan(txn, STORE_T_EVIDENCE, &prefix, 1, false, fork_visit, &c);
}

int evidence_violation_put(store_txn *txn, const uint8_t author[32], uint64_t index,
                           const diag *verdict)
{
    uint8_t key[41] = {TAG_VIOLATION}, val[DIAG_RULE_BYTES + DIAG_TEXT_BYTES + 32];
    size_t len;
    memcpy(key + 1, author, 32);
    cf_put_be64(key + 33, index);
    cbor_enc e;
    cbor_enc_init(&e, val, sizeof val);
    cbor_put_map(&e, 2);
    cbor_put_cstr(&e, "rule");
    cbor_put_cstr(&e, verdict->rule);
    cbor_put_cstr(&e, "text");
    cbor_put_cstr(&e, verdict->text);
    int err = cbor_enc_finish(&e, &len);
    if (err) return err;
    return store_kv_put(txn, STORE_T_EVIDENCE, key, sizeof key, val, len);
}

struct violation_each {
    evidence_violation_fn fn;
    void *arg;
};

static int copy_text(cbor_rd *r, const char *want, char *out, size_t cap)
{
    const char *s;
    size_t n;
    if (cbor_rd_text(r, &s, &n, 16) != CF_OK || n != strlen(want) || memcmp(s, want, n) != 0)
        return CF_ESTORE_CORRUPT;
    if (cbor_rd_text(r, &s, &n, cap - 1) != CF_OK) return CF_ESTORE_CORRUPT;
    memcpy(out, s, n);
    out[n] = '\0';
    return CF_OK;
}

static int violation_visit(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                           size_t vlen)
{
    struct violation_each *c = arg;
    evidence_violation v;
    cbor_rd r;
    size_t n;
    if (klen != 41) return CF_ESTORE_CORRUPT;
    memcpy(v.author, key + 1, 32);
    v.index = cf_get_be64(key + 33);
    cbor_rd_init(&r, val, vlen);
    if (cbor_rd_map(&r, &n, 2) != CF_OK || n != 2 ||
        copy_text(&r, "rule", v.rule, sizeof v.rule) != CF_OK ||
        copy_text(&r, "text", v.text, sizeof v.text) != CF_OK || cbor_rd_end(&r) != CF_OK)
        return CF_ESTORE_CORRUPT;
    return c->fn(c->arg, &v);
}

int evidence_violations_each(store_txn *txn, evidence_violation_fn fn, void *arg)
{
    uint8_t prefix = TAG_VIOLATION;
    struct violation_each c = {fn, arg};
    return store_kv_scan(txn, STORE_T_EVIDENCE, &prefix, 1, false, violation_visit, &c);
}
