/* bench_audit.c — figure 6: the offline audit (node/audit/) of a bundle of
 * opts.entries entries (1,000,000 by default), in entries per second,
 * beside the baseline of the same SHA-256 work alone: every entry's leaf
 * hash and the Merkle node hashes of its feed, single-threaded, over the
 * same bytes read from the same file.
 *
 * The bundle is written here directly (bundle_writer, no home, no LMDB), so
 * building it takes seconds: a governance feed (genesis, two members, a
 * program, ten projects), an investor's feed of contributions (90% of the
 * entries) and a fund's feed of matches, each citing one contribution at
 * 1:1; a checkpoint signed every 1,024 entries as an author does
 * (ckpt.h). Entries are generated from their index, twice: once for the
 * roots the checkpoints sign, once to write them. The audit must find every
 * signature, root and rule in order (bench_die otherwise).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "bench.h"
#include "bundle/bundle.h"
#include "bundle/ckpt.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "crypto/merkle.h"

#define PROJECTS 10
#define SPAN CKPT_SPAN_ENTRIES_MAX
#define T0_MS UINT64_C(1700000000000)

typedef struct {
    uint8_t pk[32], sk[64];
} keypair;

typedef struct {
    keypair gov, fund, inv;
    uint8_t net[32];
    uint64_t ngov, ninv, nfund;
    uint8_t (*inv_leaves)[32]; /* for the fund's citations */
    char project_ids[PROJECTS][8];
} gen;

static void keypair_from(uint8_t tag, keypair *k)
{
    uint8_t seed[32];
    memset(seed, tag, sizeof seed);
    if (cf_ed25519_keypair_from_seed(seed, k->pk, k->sk) != CF_OK) bench_die("keypair");
}

static entry_text txt(const char *s)
{
    return entry_text_of(s, strlen(s));
}

/* Entry i of a feed, encoded into buf. */
static size_t gov_entry(gen *g, uint64_t i, uint8_t *buf)
{
    entry e = {.author = {0}, .index = i, .time_ms = T0_MS + i, .gov = i};
    memcpy(e.author, g->gov.pk, 32);
    e.has_net = i > 0;
    memcpy(e.net, g->net, 32);
    if (i == 0) {
        e.type = ENTRY_GENESIS;
        e.body.genesis = (body_genesis){.name = txt("Bench network"), .member = txt("city"), .tz_min = 480};
    } else if (i <= 2) {
        e.type = ENTRY_MEMBER;
        memcpy(e.body.member.key, i == 1 ? g->fund.pk : g->inv.pk, 32);
        e.body.member.role = i == 1 ? ROLE_FUND : ROLE_INVESTOR;
        e.body.member.name = txt(i == 1 ? "fund" : "investor");
    } else if (i == 3) {
        e.type = ENTRY_PROGRAM;
        body_program *p = &e.body.program;
        p->id = txt("industrial");
        p->kind = txt("match");
        memcpy(p->operator_key, g->fund.pk, 32);
        p->counterpart_roles = ROLE_BIT(ROLE_INVESTOR);
        p->ratio_num = p->ratio_den = 1;
        p->window_days = WINDOW_DAYS_MAX;
    } else {
        e.type = ENTRY_PROJECT;
        e.body.project.id = txt(g->project_ids[i - 4]);
        e.body.project.name = txt(g->project_ids[i - 4]);
    }
    size_t len;
    diag d;
    bench_check(entry_encode(&e, buf, ENTRY_BYTES_MAX, &len, &d), &d, "entry_encode");
    return len;
}

static size_t inv_entry(gen *g, uint64_t i, uint8_t *buf)
{
    entry e = {.has_net = true, .index = i, .time_ms = T0_MS + 1000 * i, .gov = g->ngov,
               .type = ENTRY_CONTRIBUTION};
    memcpy(e.author, g->inv.pk, 32);
    memcpy(e.net, g->net, 32);
    body_contribution *b = &e.body.contribution;
    b->project = txt(g->project_ids[i % PROJECTS]);
    b->round = txt("A");
    b->amount_fen = 100000 + (int64_t)(i % 1000);
    b->has_program = true;
    b->program = txt("industrial");
    size_t len;
    diag d;
    bench_check(entry_encode(&e, buf, ENTRY_BYTES_MAX, &len, &d), &d, "entry_encode");
    return len;
}

/* Match i cites contribution c = i * ninv / nfund, at its time + 1 ms. */
static size_t fund_entry(gen *g, uint64_t i, uint8_t *buf)
{
    static entry e;
    uint64_t c = i * g->ninv / g->nfund;
    memset(&e, 0, sizeof e);
    e.has_net = true;
    e.index = i;
    e.time_ms = T0_MS + 1000 * c + 1;
    e.gov = g->ngov;
    e.type = ENTRY_MATCH;
    memcpy(e.author, g->fund.pk, 32);
    memcpy(e.net, g->net, 32);
    body_match *b = &e.body.match;
    b->program = txt("industrial");
    b->project = txt(g->project_ids[c % PROJECTS]);
    b->round = txt("A");
    b->ncites = 1;
    memcpy(b->cites[0].author, g->inv.pk, 32);
    b->cites[0].index = c;
    memcpy(b->cites[0].leaf, g->inv_leaves[c], 32);
    b->cites[0].amount_fen = b->amount_fen = 100000 + (int64_t)(c % 1000);
    size_t len;
    diag d;
    bench_check(entry_encode(&e, buf, ENTRY_BYTES_MAX, &len, &d), &d, "entry_encode");
    return len;
}

typedef size_t (*entry_fn)(gen *g, uint64_t i, uint8_t *buf);

/* Write one feed: the roots every SPAN entries (first pass), then the F
 * record, the entries and the K records. */
static void write_feed(bundle_writer *w, gen *g, const keypair *k, uint64_t n, entry_fn fn)
{
    static uint8_t buf[ENTRY_BYTES_MAX];
    uint64_t nck = (n + SPAN - 1) / SPAN;
    char(*notes)[CKPT_SIGNED_BYTES_MAX] = malloc(nck * sizeof *notes);
    size_t *lens = malloc(nck * sizeof *lens);
    merkle_stream s;
    uint8_t leaf[32], root[32], completed[65][32];
    unsigned nc;
    if (notes == NULL || lens == NULL) bench_die("out of memory");
    merkle_stream_init(&s);
    for (uint64_t i = 0, c = 0; i < n; i++) {
        size_t len = fn(g, i, buf);
        merkle_leaf_hash(buf, len, leaf);
        if (fn == inv_entry) memcpy(g->inv_leaves[i], leaf, 32);
        merkle_stream_push(&s, leaf, completed, &nc);
        if ((i + 1) % SPAN == 0 || i + 1 == n) {
            merkle_stream_root(&s, root);
            bench_check(ckpt_sign(g->net, k->pk, k->sk, i + 1, root, notes[c],
                                  CKPT_SIGNED_BYTES_MAX, &lens[c]), NULL, "ckpt_sign");
            c++;
        }
    }
    bench_check(bundle_write_feed(w, k->pk, 0, n, notes[nck - 1], lens[nck - 1]), NULL, "feed");
    for (uint64_t i = 0; i < n; i++) {
        size_t len = fn(g, i, buf);
        bench_check(bundle_write_entry(w, buf, len), NULL, "entry");
    }
    for (uint64_t c = 0; c + 1 < nck; c++)
        bench_check(bundle_write_checkpoint(w, notes[c], lens[c]), NULL, "checkpoint");
    free(notes);
    free(lens);
}

/* Rounds of baseline and audit (two threads) measured, medians kept. */
#define AUDIT_REPS 3

/* The baseline: read the bundle's E records (plain fread, no trailer hash)
 * and do the leaf and node hashes, one feed after another. */
static uint64_t baseline(const char *path)
{
    FILE *f = fopen(path, "rb");
    static uint8_t buf[BUNDLE_PAYLOAD_BYTES_MAX];
    uint8_t head[5], leaf[32], completed[65][32];
    unsigned nc;
    merkle_stream s;
    uint64_t n = 0;
    if (f == NULL || fseek(f, BUNDLE_MAGIC_BYTES, SEEK_SET) != 0) bench_die("open %s", path);
    merkle_stream_init(&s);
    while (fread(head, 1, 5, f) == 5) {
        uint32_t len = cf_get_be32(head + 1);
        if (len > sizeof buf || fread(buf, 1, len, f) != len) bench_die("baseline: bad record");
        if (head[0] == 'F') merkle_stream_init(&s);
        if (head[0] != 'E') continue;
        merkle_leaf_hash(buf, len, leaf);
        merkle_stream_push(&s, leaf, completed, &nc);
        n++;
    }
    fclose(f);
    return n;
}

static double run_audit(const char *path, unsigned threads, uint64_t entries)
{
    audit_opts o = {.threads = threads};
    audit *a;
    diag d;
    uint64_t t0 = bench_now_ns();
    bench_check(audit_run(path, &o, &a, &d), &d, "audit_run");
    double secs = (double)(bench_now_ns() - t0) / 1e9;
    if (audit_exit_code(a) != AUDIT_EXIT_OK) {
        audit_print(a, stderr, AUDIT_TEXT);
        bench_die("the audit of the generated bundle failed");
    }
    audit_free(a);
    bench_note("audit (%u hashing thread%s): %" PRIu64 " entries in %.2f s", threads,
               threads == 1 ? "" : "s", entries, secs);
    return secs;
}

void bench_figure_audit(bench_world *w)
{
    gen g = {0};
    char path[HOME_PATH_MAX];
    diag d;
    bundle_writer *bw;
    uint64_t n = w->o->entries;
    printf("\n== figure 6: the offline audit of a %" PRIu64 "-entry bundle\n", n);
    keypair_from(1, &g.gov);
    keypair_from(2, &g.fund);
    keypair_from(3, &g.inv);
    for (int i = 0; i < PROJECTS; i++) snprintf(g.project_ids[i], sizeof g.project_ids[i], "p%d", i);
    g.ngov = 4 + PROJECTS;
    g.ninv = (n - g.ngov) * 9 / 10;
    g.nfund = n - g.ngov - g.ninv;
    if ((g.inv_leaves = malloc(g.ninv * 32)) == NULL) bench_die("out of memory");
    bench_path(path, sizeof path, w->o->dir, "audit.bundle");
    uint64_t t0 = bench_now_ns();
    /* The genesis leaf is the network id, which the header carries: hash
     * the genesis entry first. */
    {
        static uint8_t buf[ENTRY_BYTES_MAX];
        size_t len = gov_entry(&g, 0, buf);
        merkle_leaf_hash(buf, len, g.net);
    }
    bench_check(bundle_writer_open(path, &bw), NULL, "bundle_writer_open");
    bench_check(bundle_write_header(bw, g.net), NULL, "header");
    write_feed(bw, &g, &g.gov, g.ngov, gov_entry);
    write_feed(bw, &g, &g.inv, g.ninv, inv_entry);
    write_feed(bw, &g, &g.fund, g.nfund, fund_entry);
    bench_check(bundle_writer_commit(bw, &d), &d, "bundle_writer_commit");
    free(g.inv_leaves);
    bench_note("bundle: %" PRIu64 " entries (%" PRIu64 " matches), %.1f MB, written in %.1f s", n,
               g.nfund, (double)bench_du_bytes(path) / 1e6, (double)(bench_now_ns() - t0) / 1e9);

    /* Warm the page cache, then measure AUDIT_REPS rounds of the baseline
     * and the audit with one hashing thread (two cores), alternating which
     * goes first so that a slow moment of the (shared) host hits both
     * alike, and take each side's median; then the audit single-threaded
     * once. */
    baseline(path);
    double base_s[AUDIT_REPS], two_s[AUDIT_REPS];
    for (unsigned r = 0; r < AUDIT_REPS; r++) {
        for (unsigned side = 0; side < 2; side++) {
            if ((side + r) % 2 == 0) {
                t0 = bench_now_ns();
                if (baseline(path) != n) bench_die("baseline read the wrong number of entries");
                base_s[r] = (double)(bench_now_ns() - t0) / 1e9;
            } else {
                two_s[r] = run_audit(path, 1, n);
            }
        }
    }
    double base = bench_median(base_s, AUDIT_REPS), two = bench_median(two_s, AUDIT_REPS);
    double one = run_audit(path, 0, n);
    bench_note("figure 6: medians of %d rounds: baseline %.2f s, audit (2 threads) %.2f s",
               AUDIT_REPS, base, two);
    char m[48], b[48];
    snprintf(b, sizeof b, "%.0f /s", (double)n / base);
    snprintf(m, sizeof m, "%.0f /s", (double)n / two);
    char label[96];
    snprintf(label, sizeof label, "6. audit of a %" PRIu64 "-entry bundle (2 threads)", n);
    bench_result_goal(label, m, (double)n / two, b, (double)n / base, 0.5);
    snprintf(m, sizeof m, "%.0f /s", (double)n / one);
    snprintf(label, sizeof label, "6. audit of a %" PRIu64 "-entry bundle (1 thread)", n);
    bench_result(label, m, (double)n / one, b, (double)n / base, NULL, -1);
    if (getenv("COFUND_BENCH_KEEP_AUDIT") == NULL) remove(path);
}
