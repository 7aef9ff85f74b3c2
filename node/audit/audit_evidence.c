/* audit_evidence.c — portable evidence, "cofund-evidence/1" (docs/format.md):
 * one fork or one violation in a file a third party checks offline with
 * `cofund audit --evidence FILE`, and what exactly it proves.
 *
 *   file = "cofund-evidence/1\n" || one deterministic CBOR map:
 *   fork:      {"v": 1, "net": bstr 32, "fork": bstr (a fork proof,
 *               evidence.h), "kind": "fork"}
 *   violation: {"v": 1, "net": bstr 32, "kind": "violation", "rule": tstr,
 *               "text": tstr, "entry": bstr, "index": uint,
 *               "proof": [bstr 32, ...], "checkpoint": tstr}
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "audit_internal.h"
#include "bundle/ckpt.h"
#include "bundle/fork_proof.h"
#include "crypto/cbor.h"
#include "crypto/cf_error.h"
#include "crypto/cf_i18n.h"
#include "crypto/cf_util.h"
#include "crypto/merkle.h"
#include "ledger/amount.h"
#include "ledger/caltime.h"
#include "ledger/entry.h"
#include "ledger/rules.h"

#define MAGIC_BYTES (sizeof AUDIT_EVIDENCE_MAGIC - 1)
#define KEY_MAX 16

int audit_evidence_encode(const audit_evidence *ev, uint8_t *buf, size_t cap, size_t *len)
{
    cbor_enc e;
    size_t n;
    if (ev == NULL || buf == NULL || len == NULL || cap < MAGIC_BYTES) return CF_EINVAL;
    memcpy(buf, AUDIT_EVIDENCE_MAGIC, MAGIC_BYTES);
    cbor_enc_init(&e, buf + MAGIC_BYTES, cap - MAGIC_BYTES);
    if (ev->is_fork) {
        cbor_put_map(&e, 4);
        cbor_put_cstr(&e, "v");
        cbor_put_uint(&e, 1);
        cbor_put_cstr(&e, "net");
        cbor_put_bytes(&e, ev->net, 32);
        cbor_put_cstr(&e, "fork");
        cbor_put_bytes(&e, ev->fork_proof, ev->fork_proof_len);
        cbor_put_cstr(&e, "kind");
        cbor_put_cstr(&e, "fork");
    } else {
        cbor_put_map(&e, 9);
        cbor_put_cstr(&e, "v");
        cbor_put_uint(&e, 1);
        cbor_put_cstr(&e, "net");
        cbor_put_bytes(&e, ev->net, 32);
        cbor_put_cstr(&e, "kind");
        cbor_put_cstr(&e, "violation");
        cbor_put_cstr(&e, "rule");
        cbor_put_cstr(&e, ev->rule);
        cbor_put_cstr(&e, "text");
        cbor_put_cstr(&e, ev->text);
        cbor_put_cstr(&e, "entry");
        cbor_put_bytes(&e, ev->entry, ev->entry_len);
        cbor_put_cstr(&e, "index");
        cbor_put_uint(&e, ev->index);
        cbor_put_cstr(&e, "proof");
        cbor_put_array(&e, ev->nproof);
        for (size_t i = 0; i < ev->nproof; i++) cbor_put_bytes(&e, ev->proof[i], 32);
        cbor_put_cstr(&e, "checkpoint");
        cbor_put_text(&e, ev->checkpoint, ev->checkpoint_len);
    }
    int err = cbor_enc_finish(&e, &n);
    if (err) return err;
    *len = MAGIC_BYTES + n;
    return CF_OK;
}

/* ---- decoding -------------------------------------------------------------- */

typedef struct {
    audit_evidence ev;
    uint8_t proof[64][32];
    char rule[DIAG_RULE_BYTES];
    char text[DIAG_TEXT_BYTES];
} parsed;

static int want_key(cbor_rd *r, const char *key, diag *d)
{
    const char *k;
    size_t n;
    if (cbor_rd_text(r, &k, &n, KEY_MAX) != CF_OK || n != strlen(key) || memcmp(k, key, n) != 0)
        return diag_set(d, CF_EFORMAT, NULL, "evidence: expected the key \"%s\"", key);
    return CF_OK;
}

static int text_copy(cbor_rd *r, char *out, size_t cap, const char *what, diag *d)
{
    const char *s;
    size_t n;
    if (cbor_rd_text(r, &s, &n, cap - 1) != CF_OK)
        return diag_set(d, CF_EFORMAT, NULL, "evidence: %s: not a text of at most %zu bytes", what,
                        cap - 1);
    memcpy(out, s, n);
    out[n] = '\0';
    return CF_OK;
}

static int decode(const uint8_t *p, size_t len, parsed *x, diag *d)
{
    cbor_rd r;
    size_t pairs, n;
    uint64_t v;
    const char *kind;
    audit_evidence *ev = &x->ev;
    if (len < MAGIC_BYTES || memcmp(p, AUDIT_EVIDENCE_MAGIC, MAGIC_BYTES) != 0)
        return diag_set(d, CF_EFORMAT, NULL, "not a cofund evidence file (no \"cofund-evidence/1\" line)");
    p += MAGIC_BYTES;
    len -= MAGIC_BYTES;
    if (cbor_validate(p, len, NULL) != CF_OK)
        return diag_set(d, CF_EFORMAT, NULL, "evidence: not one deterministic CBOR item");
    cbor_rd_init(&r, p, len);
    if (cbor_rd_map(&r, &pairs, 16) != CF_OK || (pairs != 4 && pairs != 9))
        return diag_set(d, CF_EFORMAT, NULL, "evidence: expected a map of 4 or 9 keys");
    int err;
    if ((err = want_key(&r, "v", d)) != 0) return err;
    if (cbor_rd_uint(&r, &v) != CF_OK || v != 1)
        return diag_set(d, CF_EFORMAT, NULL, "evidence: unsupported version");
    if ((err = want_key(&r, "net", d)) != 0) return err;
    if (cbor_rd_bytes_exact(&r, ev->net, 32) != CF_OK)
        return diag_set(d, CF_EFORMAT, NULL, "evidence: net is not 32 bytes");
    if (pairs == 4) {
        ev->is_fork = true;
        if ((err = want_key(&r, "fork", d)) != 0) return err;
        if (cbor_rd_bytes(&r, &ev->fork_proof, &ev->fork_proof_len, FORK_PROOF_BYTES_MAX) != CF_OK)
            return diag_set(d, CF_EFORMAT, NULL, "evidence: fork is not a byte string");
        if ((err = want_key(&r, "kind", d)) != 0) return err;
        if (cbor_rd_text(&r, &kind, &n, KEY_MAX) != CF_OK || n != 4 || memcmp(kind, "fork", 4) != 0)
            return diag_set(d, CF_EFORMAT, NULL, "evidence: kind must be \"fork\"");
        return cbor_rd_end(&r) == CF_OK ? CF_OK
                                        : diag_set(d, CF_EFORMAT, NULL, "evidence: trailing bytes");
    }
    if ((err = want_key(&r, "kind", d)) != 0) return err;
    if (cbor_rd_text(&r, &kind, &n, KEY_MAX) != CF_OK || n != 9 || memcmp(kind, "violation", 9) != 0)
        return diag_set(d, CF_EFORMAT, NULL, "evidence: kind must be \"violation\"");
    if ((err = want_key(&r, "rule", d)) != 0 ||
        (err = text_copy(&r, x->rule, sizeof x->rule, "rule", d)) != 0 ||
        (err = want_key(&r, "text", d)) != 0 ||
        (err = text_copy(&r, x->text, sizeof x->text, "text", d)) != 0 ||
        (err = want_key(&r, "entry", d)) != 0)
        return err;
    if (cbor_rd_bytes(&r, &ev->entry, &ev->entry_len, ENTRY_BYTES_MAX) != CF_OK || ev->entry_len == 0)
        return diag_set(d, CF_EFORMAT, NULL, "evidence: entry is not 1..%d bytes", ENTRY_BYTES_MAX);
    if ((err = want_key(&r, "index", d)) != 0) return err;
    if (cbor_rd_uint(&r, &ev->index) != CF_OK)
        return diag_set(d, CF_EFORMAT, NULL, "evidence: index is not a number");
    if ((err = want_key(&r, "proof", d)) != 0) return err;
    if (cbor_rd_array(&r, &ev->nproof, 64) != CF_OK)
        return diag_set(d, CF_EFORMAT, NULL, "evidence: proof is not an array of at most 64 hashes");
    for (size_t i = 0; i < ev->nproof; i++)
        if (cbor_rd_bytes_exact(&r, x->proof[i], 32) != CF_OK)
            return diag_set(d, CF_EFORMAT, NULL, "evidence: proof[%zu] is not a 32-byte hash", i);
    ev->proof = (const uint8_t(*)[32])x->proof;
    if ((err = want_key(&r, "checkpoint", d)) != 0) return err;
    if (cbor_rd_text(&r, &ev->checkpoint, &ev->checkpoint_len, NOTE_BYTES_MAX) != CF_OK)
        return diag_set(d, CF_EFORMAT, NULL, "evidence: checkpoint is not a note");
    ev->rule = x->rule;
    ev->text = x->text;
    return cbor_rd_end(&r) == CF_OK ? CF_OK : diag_set(d, CF_EFORMAT, NULL, "evidence: trailing bytes");
}

/* ---- what an entry says, and what it breaks on its own ---------------------- */

static void describe(const entry *e, char *out, size_t cap)
{
    char a[AMOUNT_TEXT_BYTES], hex[CF_HEX32_BYTES];
    switch (e->type) {
    case ENTRY_GENESIS:
        snprintf(out, cap, _("genesis of network \"%.*s\""), (int)e->body.genesis.name.n,
                 e->body.genesis.name.s);
        break;
    case ENTRY_MEMBER:
        cf_hex_encode(e->body.member.key, 32, hex, sizeof hex);
        snprintf(out, cap, _("member %.*s (%s), key %s"), (int)e->body.member.name.n,
                 e->body.member.name.s, role_name(e->body.member.role), hex);
        break;
    case ENTRY_PROGRAM:
        snprintf(out, cap, _("program %.*s"), (int)e->body.program.id.n, e->body.program.id.s);
        break;
    case ENTRY_PROJECT:
        snprintf(out, cap, _("project %.*s"), (int)e->body.project.id.n, e->body.project.id.s);
        break;
    case ENTRY_CONTRIBUTION: {
        const body_contribution *b = &e->body.contribution;
        amount_format(b->amount_fen, a);
        snprintf(out, cap, _("contribution of %s to project %.*s round %.*s%s%.*s"), a,
                 (int)b->project.n, b->project.s, (int)b->round.n, b->round.s,
                 b->has_program ? _(" for program ") : "", b->has_program ? (int)b->program.n : 0,
                 b->has_program ? b->program.s : "");
        break;
    }
    case ENTRY_MATCH: {
        const body_match *b = &e->body.match;
        amount_format(b->amount_fen, a);
        int k = snprintf(out, cap, _("match of %s by program %.*s in project %.*s round %.*s, citing %zu contribution%s"),
                         a, (int)b->program.n, b->program.s, (int)b->project.n, b->project.s,
                         (int)b->round.n, b->round.s, b->ncites, b->ncites == 1 ? "" : "s");
        for (size_t i = 0; i < b->ncites && k > 0 && (size_t)k < cap; i++) {
            cf_hex_encode(b->cites[i].author, 8, hex, sizeof hex);
            amount_format(b->cites[i].amount_fen, a);
            k += snprintf(out + k, cap - (size_t)k, _("%s %s…#%" PRIu64 " for %s"), i ? "," : ":", hex,
                          b->cites[i].index, a);
        }
        break;
    }
    case ENTRY_EXIT:
        amount_format(e->body.exit.amount_fen, a);
        snprintf(out, cap, _("exit of %s from project %.*s"), a, (int)e->body.exit.project.n,
                 e->body.exit.project.s);
        break;
    default: snprintf(out, cap, _("an entry of unknown type")); break;
    }
}

/* The rules decidable from the entry, its position and its feed alone.
 * Returns CF_EREJECTED with d filled when one is broken. */
static int entry_alone(const audit_evidence *ev, const uint8_t author[32], const uint8_t net8[8],
                       entry *e, bool *decoded, diag *d)
{
    *decoded = false;
    if (entry_decode(ev->entry, ev->entry_len, e, d) != CF_OK) {
        d->code = CF_EREJECTED;
        snprintf(d->rule, sizeof d->rule, "R-ENV");
        return CF_EREJECTED;
    }
    *decoded = true;
    if (memcmp(e->author, author, 32) != 0)
        return diag_set(d, CF_EREJECTED, "R-ENV", "its author is not the feed's");
    if (e->index != ev->index)
        return diag_set(d, CF_EREJECTED, "R-ENV", "it says index %" PRIu64 " at position %" PRIu64,
                        e->index, ev->index);
    if (e->type == ENTRY_GENESIS) {
        if (e->index != 0)
            return diag_set(d, CF_EREJECTED, "R-ENV", "a genesis entry must be a feed's first entry");
        if (e->gov != 0) return diag_set(d, CF_EREJECTED, "R-GOV", "a genesis entry must have gov 0");
        return CF_OK;
    }
    if (memcmp(e->net, net8, 8) != 0 || memcmp(e->net, ev->net, 32) != 0)
        return diag_set(d, CF_EREJECTED, "R-ENV", "entry names another network");
    if (e->type == ENTRY_PROGRAM && !entry_text_eq(e->body.program.kind, "match"))
        return diag_set(d, CF_EREJECTED, "R-ENV", "program kind \"%.*s\" is unknown",
                        (int)e->body.program.kind.n, e->body.program.kind.s);
    if (e->type != ENTRY_MATCH) return CF_OK;
    const body_match *b = &e->body.match;
    if (b->ncites == 0)
        return diag_set(d, CF_EREJECTED, "R-MATCH.1",
                        "match cites no contribution: the fund never invests alone");
    int64_t sum = 0;
    for (size_t i = 0; i < b->ncites; i++) {
        for (size_t j = 0; j < i; j++)
            if (b->cites[j].index == b->cites[i].index &&
                memcmp(b->cites[j].author, b->cites[i].author, 32) == 0)
                return diag_set(d, CF_EREJECTED, "R-MATCH.1", "match cites the same contribution twice");
        if (!amount_add(sum, b->cites[i].amount_fen, &sum)) sum = INT64_MAX;
    }
    if (sum != b->amount_fen)
        return diag_set(d, CF_EREJECTED, "R-MATCH.4", "match amount is not the sum of its allocations");
    return CF_OK;
}

/* ---- checking ---------------------------------------------------------------- */

static int read_all(const char *path, uint8_t **out, size_t *len, diag *d)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return diag_set(d, errno == ENOENT ? CF_ENOTFOUND : CF_EIO, NULL, "cannot open %s: %s",
                        path, strerror(errno));
    uint8_t *buf = malloc(AUDIT_EVIDENCE_BYTES_MAX + 1);
    size_t n = buf ? fread(buf, 1, AUDIT_EVIDENCE_BYTES_MAX + 1, f) : 0;
    int bad = ferror(f);
    fclose(f);
    if (buf == NULL) return diag_set(d, CF_ENOMEM, NULL, "%s", cf_strerror(CF_ENOMEM));
    if (bad || n > AUDIT_EVIDENCE_BYTES_MAX) {
        free(buf);
        return diag_set(d, bad ? CF_EIO : CF_ETOOBIG, NULL, "%s: %s", path,
                        bad ? "read error" : "larger than an evidence file can be");
    }
    *out = buf;
    *len = n;
    return CF_OK;
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void json_text(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') fprintf(f, "\\%c", *p);
        else if (*p < 0x20) fprintf(f, "\\u%04x", *p);
        else fputc(*p, f);
    }
    fputc('"', f);
}

static void not_proven(FILE *f, bool json, const char *kind, const char *net, const char *why)
{
    if (!json) {
        fprintf(f, _("evidence: %s in network %s\nresult: NOT PROVEN: %s\n"), kind, net, why);
        return;
    }
    fprintf(f, "{\"kind\":\"%s\",\"network\":\"%s\",\"proven\":false,\"why\":", kind, net);
    json_text(f, why);
    fputs("}\n", f);
}

static int check_fork(const parsed *x, FILE *f, bool json, diag *d)
{
    fork_proof fp;
    fork_facts facts;
    char net[CF_HEX32_BYTES], who[CF_HEX32_BYTES], ra[45], rb[45], alt[45];
    cf_hex_encode(x->ev.net, 32, net, sizeof net);
    if (fork_proof_decode(x->ev.fork_proof, x->ev.fork_proof_len, &fp, d) != CF_OK ||
        fork_proof_verify(&fp, &facts, d) != CF_OK) {
        not_proven(f, json, "fork", net, d->text);
        return AUDIT_EXIT_FAILED;
    }
    if (memcmp(facts.net8, x->ev.net, 8) != 0) {
        not_proven(f, json, "fork", net, _("the proof is about another network than the file names"));
        return AUDIT_EXIT_FAILED;
    }
    cf_hex_encode(facts.author, 32, who, sizeof who);
    cf_b64_encode(facts.root_a, 32, ra, sizeof ra);
    cf_b64_encode(facts.root_b, 32, rb, sizeof rb);
    cf_b64_encode(fp.alt, 32, alt, sizeof alt);
    if (json && fp.located) {
        fprintf(f, "{\"kind\":\"fork\",\"proven\":true,\"network\":\"%s\",\"author\":\"%s\","
                   "\"size_a\":%" PRIu64 ",\"root_a\":\"%s\",\"size_b\":%" PRIu64
                   ",\"root_b\":\"%s\",\"point\":%" PRIu64 "}\n",
                net, who, facts.size_a, ra, facts.size_b, rb, fp.point);
        return AUDIT_EXIT_OK;
    }
    if (json) {
        fprintf(f, "{\"kind\":\"fork\",\"proven\":true,\"network\":\"%s\",\"author\":\"%s\","
                   "\"size_a\":%" PRIu64 ",\"root_a\":\"%s\",\"size_b\":%" PRIu64
                   ",\"root_b\":\"%s\",\"alt\":\"%s\"}\n",
                net, who, facts.size_a, ra, facts.size_b, rb, alt);
        return AUDIT_EXIT_OK;
    }
    if (fp.located) {
        char la[45], lb[45];
        cf_b64_encode(fp.la, 32, la, sizeof la);
        cf_b64_encode(fp.lb, 32, lb, sizeof lb);
        fprintf(f, _("evidence: fork in network %s\n"), net);
        fprintf(f, _("author: %s (feed cofund/%.16s/%s)\n"), who, net, who);
        fprintf(f, _("proves: this author signed two histories of its feed that part at entry %" PRIu64
                   ":\n"), fp.point);
        fprintf(f, _("  checkpoint A: size %" PRIu64 ", root %s; entry %" PRIu64 " has leaf %s\n"),
                facts.size_a, ra, fp.point, la);
        fprintf(f, _("  checkpoint B: size %" PRIu64 ", root %s; entry %" PRIu64 " has leaf %s\n"),
                facts.size_b, rb, fp.point, lb);
        fprintf(f, _("  both signatures verify under the author's key; RFC 6962 consistency proofs\n"
                   "  show both extend the same first %" PRIu64 " entries, and inclusion proofs\n"
                   "  show the two different leaves at %" PRIu64 ": entries below it stand\n"),
                fp.point, fp.point);
        fprintf(f, _("result: PROVEN: fork by %s at entry %" PRIu64 "\n"), who, fp.point);
        return AUDIT_EXIT_OK;
    }
    fprintf(f, _("evidence: fork in network %s\n"), net);
    fprintf(f, _("author: %s (feed cofund/%.16s/%s)\n"), who, net, who);
    fprintf(f, _("proves: this author signed two inconsistent histories of its feed:\n"));
    fprintf(f, _("  checkpoint A: size %" PRIu64 ", root %s\n"), facts.size_a, ra);
    fprintf(f, _("  checkpoint B: size %" PRIu64 ", root %s, whose first %" PRIu64
               " entries hash to %s, not to A's root\n"), facts.size_b, rb, facts.size_a, alt);
    fprintf(f, _("  both signatures verify under the author's key and the RFC 6962 consistency\n"
               "  proof from (%" PRIu64 ", alt) to B verifies: no honest log can have signed both\n"),
            facts.size_a);
    fprintf(f, _("result: PROVEN: fork by %s\n"), who);
    return AUDIT_EXIT_OK;
}

/* With the network's bundle audited (hist): does its replay reject this
 * very entry (the leaf hash the evidence proves) by the claimed rule? NULL
 * when it does, else why not. */
static const char *history_says(const audit *hist, const audit_evidence *ev,
                                const uint8_t author[32], const uint8_t leaf[32])
{
    if (memcmp(hist->net, ev->net, 32) != 0) return _("the bundle is of another network");
    if (hist->stopped || !hist->replayed)
        return _("the bundle failed its integrity checks: its rules were not replayed");
    const audit_feed *fd = NULL;
    for (size_t i = 0; i < hist->nfeeds && fd == NULL; i++)
        if (memcmp(hist->feeds[i].author, author, 32) == 0) fd = &hist->feeds[i];
    if (fd == NULL || ev->index < fd->from || ev->index >= fd->size)
        return _("the bundle does not hold the entry");
    if (memcmp(audit__leaf(fd, ev->index - fd->from), leaf, 32) != 0)
        return _("the bundle holds another entry at this position");
    for (size_t i = 0; i < hist->nfinds; i++) {
        const audit_finding *v = &hist->finds[i];
        if (v->kind != FIND_VIOLATION || !v->has_index || v->index != ev->index ||
            memcmp(v->author, author, 32) != 0)
            continue;
        return strcmp(v->rule, ev->rule) == 0 ? NULL
                                              : _("the bundle's replay rejects it by another rule");
    }
    return _("the bundle's replay does not reject it");
}

static int check_violation(const parsed *x, const audit *hist, FILE *f, bool json, diag *d)
{
    const audit_evidence *ev = &x->ev;
    checkpoint cp;
    uint8_t net8[8], author[32], leaf[32];
    char net[CF_HEX32_BYTES], who[CF_HEX32_BYTES], lh[CF_HEX32_BYTES], root[45], what[768] = "";
    static entry e; /* large: not on the stack */
    cf_hex_encode(ev->net, 32, net, sizeof net);
    const char *why = NULL;
    if (ckpt_verify_self(ev->checkpoint, ev->checkpoint_len, net8, author, &cp, d) != CF_OK)
        why = d->text;
    else if (memcmp(net8, ev->net, 8) != 0)
        why = _("the checkpoint is of another network than the file names");
    else if (ev->index >= cp.size)
        why = _("the checkpoint does not cover the entry's index");
    merkle_leaf_hash(ev->entry, ev->entry_len, leaf);
    if (why == NULL && merkle_verify_inclusion(leaf, 32, ev->index, cp.size, ev->nproof ? ev->proof[0] : NULL,
                                               ev->nproof * 32, cp.root, 32) != CF_OK)
        why = _("the inclusion proof does not lead from the entry to the checkpoint's root");
    if (why) {
        not_proven(f, json, "violation", net, why);
        return AUDIT_EXIT_FAILED;
    }
    cf_hex_encode(author, 32, who, sizeof who);
    cf_hex_encode(leaf, 32, lh, sizeof lh);
    cf_b64_encode(cp.root, 32, root, sizeof root);
    bool decoded;
    diag alone;
    diag_clear(&alone);
    int broken = entry_alone(ev, author, net8, &e, &decoded, &alone);
    if (decoded) describe(&e, what, sizeof what);
    /* A claim is proven only for a rule that exists and that the entry
     * breaks: on its own (R-ENV's structure, R-MATCH.1, the sum of
     * R-MATCH.4), or, for the rules that need the history, in the replay of
     * the network's bundle when one is given. R-MATCH.1 is decided by the
     * entry alone in full: a claim of it the entry does not bear out is
     * refuted. */
    bool known = ledger_rule_known(ev->rule);
    bool confirmed = known && broken == CF_EREJECTED && strcmp(alone.rule, ev->rule) == 0;
    bool refuted = !known || (broken != CF_EREJECTED && strcmp(ev->rule, "R-MATCH.1") == 0);
    const char *hist_why = NULL;
    bool by_history = false;
    if (!confirmed && !refuted && hist != NULL) {
        hist_why = history_says(hist, ev, author, leaf);
        by_history = hist_why == NULL;
    }
    bool proven = confirmed || by_history;
    if (json) {
        fprintf(f, "{\"kind\":\"violation\",\"proven\":%s,\"network\":\"%s\",\"author\":\"%s\","
                   "\"index\":%" PRIu64 ",\"leaf\":\"%s\",\"checkpoint_size\":%" PRIu64
                   ",\"checkpoint_root\":\"%s\",\"entry_alone\":\"%s\",\"verdict\":\"%s\","
                   "\"claimed_rule\":",
                proven ? "true" : "false", net, who, ev->index, lh, cp.size, root,
                broken == CF_EREJECTED ? alone.rule : "",
                !known       ? "unknown-rule"
                : confirmed  ? "confirmed"
                : refuted    ? "refuted"
                : by_history ? "confirmed-by-history"
                : hist       ? "not-in-history"
                             : "needs-history");
        json_text(f, ev->rule);
        fputs(",\"claimed_text\":", f);
        json_text(f, ev->text);
        fputs(",\"entry\":", f);
        json_text(f, what);
        if (hist_why) {
            fputs(",\"why\":", f);
            json_text(f, hist_why);
        }
        fputs("}\n", f);
        return proven ? AUDIT_EXIT_OK : AUDIT_EXIT_FAILED;
    }
    fprintf(f, _("evidence: violation in network %s\n"), net);
    fprintf(f, _("author: %s (feed cofund/%.16s/%s)\n"), who, net, who);
    fprintf(f, _("proves: the author signed this entry at index %" PRIu64 ": its leaf hash %s is\n"
               "  included (RFC 6962 inclusion proof verified) in the tree of size %" PRIu64
               " whose root %s the author's checkpoint signs\n"), ev->index, lh, cp.size, root);
    if (decoded) {
        char t[CALTIME_TEXT_BYTES];
        caltime_format(e.time_ms, 0, t);
        fprintf(f, _("entry: %s, at %s, checked against %" PRIu64 " governance entries\n"), what, t,
                e.gov);
    } else {
        fprintf(f, _("entry: does not decode: %s\n"), alone.text);
    }
    fprintf(f, _("claimed verdict: rejected by %s: %s\n"), ev->rule, ev->text);
    if (broken == CF_EREJECTED)
        fprintf(f, _("from the entry alone: it breaks %s: %s\n"), alone.rule, alone.text);
    else
        fprintf(f, _("from the entry alone: it breaks none of the rules decidable without the "
                   "history (R-ENV structure, R-MATCH.1, the sum of R-MATCH.4)\n"));
    if (!known)
        fprintf(f, _("result: NOT PROVEN: \"%s\" is not a rule (docs/rules.md lists them)\n"),
                ev->rule);
    else if (confirmed)
        fprintf(f, _("result: PROVEN: the author signed this entry, and it breaks %s on its own\n"),
                ev->rule);
    else if (refuted)
        fprintf(f, _("result: NOT PROVEN: the entry does not break %s, which the entry alone "
                   "decides\n"), ev->rule);
    else if (by_history)
        fprintf(f, _("result: PROVEN: the author signed this entry, and the replay of the network's "
                   "bundle rejects it by %s\n"), ev->rule);
    else if (hist)
        fprintf(f, _("result: NOT PROVEN: the author signed this entry at this position, but %s: "
                   "it does not break %s there\n"), hist_why, ev->rule);
    else
        fprintf(f, _("result: NOT PROVEN: the author signed this entry at this position; whether "
                   "it breaks %s only the history decides: check it with the network's bundle "
                   "(cofund audit --evidence FILE BUNDLE)\n"),
                ev->rule);
    return proven ? AUDIT_EXIT_OK : AUDIT_EXIT_FAILED;
}

static int check_mem(const uint8_t *p, size_t len, const audit *hist, FILE *f,
                     enum audit_format fmt, diag *d)
{
    static parsed x; /* 2 KiB of hashes: not on the stack */
    diag_clear(d);
    if (p == NULL || f == NULL) return AUDIT_EXIT_INPUT;
    if (len > AUDIT_EVIDENCE_BYTES_MAX) {
        diag_set(d, CF_ETOOBIG, NULL, "larger than an evidence file can be");
        return AUDIT_EXIT_INPUT;
    }
    memset(&x, 0, sizeof x);
    if (decode(p, len, &x, d) != CF_OK) return AUDIT_EXIT_INPUT;
    return x.ev.is_fork ? check_fork(&x, f, fmt == AUDIT_JSON, d)
                        : check_violation(&x, hist, f, fmt == AUDIT_JSON, d);
}

int audit_evidence_check_mem(const uint8_t *p, size_t len, FILE *f, enum audit_format fmt,
                             diag *d)
{
    return check_mem(p, len, NULL, f, fmt, d);
}

int audit_evidence_check(const char *path, const char *bundle, FILE *f, enum audit_format fmt,
                         diag *d)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    audit *hist = NULL;
    diag_clear(d);
    if (read_all(path, &buf, &len, d) != CF_OK) return AUDIT_EXIT_INPUT;
    audit_opts o = {0};
    int err = bundle ? audit_run(bundle, &o, &hist, d) : CF_OK;
    int rc = err == CF_OK ? check_mem(buf, len, hist, f, fmt, d)
             : err == CF_ENOMEM || err == CF_EIO ? AUDIT_EXIT_INPUT + 1
                                                 : AUDIT_EXIT_INPUT;
    if (hist) audit_free(hist);
    free(buf);
    return rc;
}
