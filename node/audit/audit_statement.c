/* audit_statement.c — what an auditor hands on (docs/auditing.md §5): the
 * bundle's own digest, a signed statement of the audit's verdict over it,
 * and any entry's inclusion proof straight from the bundle.
 *
 * The statement is a C2SP signed note (crypto/note.h), so anyone checks it
 * with a standard verifier (Go's golang.org/x/mod/sumdb/note) and the
 * auditor's verifier key; its text binds the bundle (SHA-256 of the whole
 * file and its size), the network, the verdict and the report's own
 * SHA-256, so a report shown later is the one the auditor signed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "audit_internal.h"
#include "bundle/bundle.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "crypto/merkle.h"
#include "crypto/note.h"
#include "ledger/rules.h"

int audit__file_sha256(audit *a)
{
    enum { CHUNK = 1 << 20 };
    uint8_t *buf = malloc(CHUNK);
    cf_sha256_ctx ctx;
    uint64_t off = 0;
    if (buf == NULL) return CF_ENOMEM;
    cf_sha256_init(&ctx);
    for (;;) {
        ssize_t n = pread(fileno(a->f), buf, CHUNK, (off_t)off);
        if (n < 0) {
            free(buf);
            return CF_EIO;
        }
        if (n == 0) break;
        cf_sha256_update(&ctx, buf, (size_t)n);
        off += (uint64_t)n;
    }
    cf_sha256_final(&ctx, a->file_sha256);
    a->have_sha = true;
    free(buf);
    return CF_OK;
}

void audit_utc_text(uint64_t ms, char out[AUDIT_TIME_TEXT_BYTES])
{
    time_t s = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&s, &tm);
    char day[24];
    strftime(day, sizeof day, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, AUDIT_TIME_TEXT_BYTES, "%.20s.%03uZ", day, (unsigned)(ms % 1000));
}

const char *audit_verdict(const audit *a, int status)
{
    if (status != AUDIT_EXIT_OK) return "failed";
    return a->unchecked ? "ok-incomplete" : "ok";
}

/* "cofund-audit/<the key, 64 hex>": the statement's key name. */
static void signer_name(const uint8_t pk[32], char out[16 + CF_HEX32_BYTES])
{
    char hex[CF_HEX32_BYTES];
    cf_hex_encode(pk, 32, hex, sizeof hex);
    snprintf(out, 16 + CF_HEX32_BYTES, "cofund-audit/%s", hex);
}

int audit_statement(const audit *a, int status, const uint8_t report_sha256[32],
                    const uint8_t sk[64], char *out, size_t cap, size_t *len)
{
    char text[1024], bundle[CF_HEX32_BYTES], net[CF_HEX32_BYTES], report[CF_HEX32_BYTES],
        when[AUDIT_TIME_TEXT_BYTES], name[16 + CF_HEX32_BYTES];
    if (!a->have_sha) return CF_EINVAL;
    cf_hex_encode(a->file_sha256, 32, bundle, sizeof bundle);
    cf_hex_encode(a->net, 32, net, sizeof net);
    cf_hex_encode(report_sha256, 32, report, sizeof report);
    audit_utc_text(a->audited_at_ms, when);
    int n = snprintf(text, sizeof text,
                     "cofund-audit statement v1\n"
                     "bundle %s %" PRIu64 "\n"
                     "network %s\n"
                     "verdict %s\n"
                     "report %s\n"
                     "time %s\n"
                     "tool cofund-audit %s\n",
                     bundle, a->file_bytes, net, audit_verdict(a, status), report, when,
                     COFUND_VERSION);
    if (n < 0 || (size_t)n >= sizeof text) return CF_ETOOBIG;
    signer_name(sk + 32, name);
    return note_sign(text, (size_t)n, name, sk, out, cap, len);
}

int audit_verifier_key(const uint8_t pk[32], char *out, size_t cap)
{
    char name[16 + CF_HEX32_BYTES];
    signer_name(pk, name);
    return note_vkey_format(name, pk, out, cap);
}

int audit_member_key(const audit *a, const char *arg, uint8_t key[32])
{
    state_member m;
    if (strlen(arg) == 64 && cf_hex_decode(arg, 64, key, 32) == CF_OK) return CF_OK;
    if (!a->replayed || state_member_by_name(&a->kv, arg, strlen(arg), &m) != CF_OK)
        return CF_ENOTFOUND;
    memcpy(key, m.key, 32);
    return CF_OK;
}

/* ---- an entry's inclusion proof from the bundle ---------------------------------- */

struct leaves {
    const audit_feed *f;
};

/* Subtrees of the feed's tree, from the leaf hashes pass 1 kept (the feed
 * starts at entry 0 in the bundle). */
static int subtree(void *ctx, unsigned level, uint64_t index, uint8_t out[32])
{
    const struct leaves *l = ctx;
    if (level == 0) {
        memcpy(out, audit__leaf(l->f, index), 32);
        return CF_OK;
    }
    uint8_t left[32], right[32];
    int err = subtree(ctx, level - 1, 2 * index, left);
    if (err == CF_OK) err = subtree(ctx, level - 1, 2 * index + 1, right);
    if (err == CF_OK) merkle_node_hash(left, right, out);
    return err;
}

int audit_proof(audit *a, const uint8_t author[32], uint64_t index, FILE *out, diag *d)
{
    audit_feed *f = audit__feed_by_author(a, author);
    char who[STATE_ID_CAP];
    diag_clear(d);
    ledger_member_label(&a->kv, author, who, sizeof who);
    if (f == NULL) return diag_set(d, CF_ENOTFOUND, NULL, "the bundle holds no feed of %s", who);
    if (f->state == FEED_BAD || f->nckpts == 0)
        return diag_set(d, CF_EVERIFY, NULL, "feed %s failed its checks: no proof from it", who);
    if (f->from > 0)
        return diag_set(d, CF_ENOTFOUND, NULL,
                        "the bundle holds feed %s from entry %" PRIu64 " only: a proof needs "
                        "every leaf from entry 0",
                        who, f->from);
    if (index >= f->size)
        return diag_set(d, CF_ENOTFOUND, NULL,
                        "feed %s: the bundle's latest checkpoint covers %" PRIu64 " entries",
                        who, f->size);
    /* The entry's bytes: its E record, after `index` others (pass 1 checked
     * the framing); they must hash to the leaf pass 1 verified. */
    uint8_t *buf = malloc(ENTRY_BYTES_MAX);
    size_t len = 0;
    uint64_t off = f->entries_off;
    int err = buf ? CF_OK : CF_ENOMEM;
    for (uint64_t i = 0; err == CF_OK && i <= index; i++) {
        err = bundle_read_entry_at(a->f, off, buf, ENTRY_BYTES_MAX, &len);
        off += bundle_record_bytes(len);
    }
    uint8_t leaf[32], hashes[MERKLE_PROOF_MAX][32];
    size_t n = 0;
    if (err == CF_OK) {
        merkle_leaf_hash(buf, len, leaf);
        if (memcmp(leaf, audit__leaf(f, index), 32) != 0) err = CF_EVERIFY;
    }
    struct leaves l = {f};
    if (err == CF_OK) err = merkle_inclusion_proof(subtree, &l, index, f->size, hashes, &n);
    const audit_ckpt *c = &f->ckpts[f->nckpts - 1]; /* the F record's: size f->size */
    size_t cap = 2 * len + 8192 + n * 48, text_len = 0;
    char *text = err == CF_OK ? malloc(cap) : NULL;
    if (err == CF_OK && text == NULL) err = CF_ENOMEM;
    if (err == CF_OK)
        err = tlog_proof_format(buf, len, index, (const uint8_t(*)[32])hashes, n, c->note,
                                c->note_len, text, cap, &text_len);
    if (err == CF_OK && fwrite(text, 1, text_len, out) != text_len) err = CF_EIO;
    free(text);
    free(buf);
    if (err == CF_EVERIFY)
        return diag_set(d, err, NULL, "the file changed while it was being read");
    return err ? diag_set(d, err, NULL, "building the proof: %s", cf_strerror(err)) : CF_OK;
}
