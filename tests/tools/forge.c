/* forge.c — a test tool that writes what an honest node never would: entries
 * appended to a home's OWN feed without the rules (a dishonest author's
 * node), and bundles whose checkpoints carry the wrong signature or sign a
 * second history. It also plays the two parts of replication the CLI has no
 * command for: appending one large batch through the honest path, and
 * sending a feed in batches the way a peer will (a checkpoint, the entries
 * since a size, and the proof that the signed tree extends that size). The
 * scenario tests (tests/cli/) use it to show that replicas catch forgeries.
 *
 *   forge encode HOME TYPE OUT [--index N] [--time-ms N] [--gov N] FIELDS...
 *       Encode one entry (entry_encode) as the next entry of HOME's own feed
 *       and write its bytes to OUT. The envelope is HOME's: its network, its
 *       key as author, index = the feed's stored size, time = now (never
 *       before the feed's last applied entry), gov = the governance entries
 *       applied here; --index, --time-ms and --gov override them. FIELDS:
 *         contribution  --project P --round R --amount-fen N [--program ID]
 *         exit          --project P --amount-fen N
 *         match         --program ID --project P --round R
 *                       --cite AUTHORHEX:INDEX:LEAFHEX:FEN[:READ] (repeatable;
 *                       the match amount is the sum of the allocations; READ:
 *                       the citation's read point, R-MATCH.6, none if left out)
 *   forge append HOME FILE...
 *       Append each FILE's bytes, in order, to HOME's own feed — no decoding,
 *       no rules, the state untouched — and sign and store the new checkpoint
 *       with HOME's key, all in one store transaction (store_append_* +
 *       ckpt_sign + store_checkpoint_put). Prints "appended N: size S".
 *   forge batch HOME N TYPE FIELDS...
 *       The honest path: N copies of one entry (TYPE and FIELDS as for
 *       encode, without the overrides) appended to HOME's own feed by ONE
 *       append_entries call — rules, span checkpoints and all, as `cofund
 *       contribute` would append one. Prints "appended N: size S,
 *       checkpoints C".
 *   forge resign IN OUT SIGNER_HOME
 *       Copy bundle IN to OUT with every checkpoint (F and K records) signed
 *       again by SIGNER_HOME's key under the same origin, size and root (the
 *       original signature is dropped). Entries and fork proofs are copied
 *       as they are; the trailer is recomputed, so only the signature is
 *       wrong.
 *   forge k-fork IN OUT SIGNER_HOME SIZE [FEEDHEX]
 *       Copy bundle IN to OUT with the K record of size SIZE in feed FEEDHEX
 *       (default: SIGNER_HOME's own) replaced by a checkpoint of the same
 *       origin and size whose root is SHA-256(the true root), signed by
 *       SIGNER_HOME: for its own feed, the author signing a second,
 *       inconsistent history; for another's, a forgery.
 *   forge relay SRC DST FEEDHEX FROM SIZE [--bad-proof]
 *       What a peer holding feed FEEDHEX at SRC sends DST for the batch
 *       [FROM, SIZE): SRC's checkpoint of SIZE, those entries and (FROM > 0)
 *       SRC's root at FROM with its consistency proof to SIZE. DST ingests
 *       them in one transaction (ingest_feed, then the rules). --bad-proof
 *       flips a bit of the proof (of the root when the proof is empty).
 *   forge announce SRC DST FEEDHEX SIZE
 *       DST ingests SRC's checkpoint of SIZE alone (ingest_checkpoint).
 *       relay and announce print "relay|announce: appended A, applied P"
 *       followed by ", new checkpoint", ", fork", ", skipped", ", ahead" as
 *       they apply, and fail (exit 1) when DST refuses what it got.
 *
 *   forge state-del HOME KEYHEX
 *       Delete the ledger state record KEYHEX through the store (so every
 *       checksum still holds): a state that lies consistently, which only
 *       `cofund verify`'s recomputation from the feeds can find.
 *
 *   forge old-state HOME
 *       Make HOME's ledger state look as an older cofund left it (state
 *       version 1): no R-MATCH.6 holding records (h, H, A), no register
 *       index (E), the match queue keyed project first ('c' || program ||
 *       project || round || time || author || index, no value: layouts
 *       before 7) and no "state_version" record. The next open rebuilds it.
 *
 * HOME's key must not be passphrase-protected. Exit: 0 ok, 1 failure,
 * 2 usage.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unistd.h>

#include "bundle/bundle.h"
#include "bundle/ckpt.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "crypto/merkle.h"
#include "crypto/note.h"
#include "home/append.h"
#include "home/replica.h"
#include "home/home.h"
#include "home/ingest.h"
#include "home/state_kv.h"
#include "ledger/entry.h"
#include "store/store.h"

static int die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int die(const char *fmt, ...)
{
    va_list ap;
    fputs("forge: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 1;
}

static int usage(void)
{
    fputs("usage: forge encode HOME TYPE OUT [--index N] [--time-ms N] [--gov N] FIELDS...\n"
          "       forge append HOME FILE...\n"
          "       forge batch HOME N TYPE FIELDS...\n"
          "       forge resign IN OUT SIGNER_HOME\n"
          "       forge k-fork IN OUT SIGNER_HOME SIZE [FEEDHEX]\n"
          "       forge relay SRC DST FEEDHEX FROM SIZE [--bad-proof]\n"
          "       forge announce SRC DST FEEDHEX SIZE\n"
          "       forge state-del HOME KEYHEX\n"
          "       forge old-state HOME\n",
          stderr);
    return 2;
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    if (*s < '0' || *s > '9') return CF_EFORMAT;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end != '\0') return CF_EFORMAT;
    *out = v;
    return CF_OK;
}

static int open_home(const char *dir, bool rdonly, home **h)
{
    diag d;
    if (home_open(dir, rdonly ? HOME_RDONLY : 0, h, &d) != CF_OK)
        return die("%s", d.text);
    return 0;
}

static int load_key(home *h, keyfile_keypair *kp)
{
    diag d;
    if (home_load_keypair(h, NULL, 0, kp, &d) != CF_OK) return die("%s", d.text);
    return 0;
}

/* ---- encode ---------------------------------------------------------------- */

struct envelope {
    state_network net;
    uint64_t size, last_time, gov;
    int err;
};

static int read_envelope(store_txn *txn, home *h, struct envelope *env)
{
    ledger_kv kv;
    state_tip tip, gov_tip;
    store_feed f;
    state_kv_init(&kv, txn);
    int err = state_network_get(&kv, &env->net);
    if (err) return err;
    if ((err = state_tip_get(&kv, h->self, &tip)) != 0) return err;
    if ((err = state_tip_get(&kv, env->net.gov_key, &gov_tip)) != 0) return err;
    err = store_feed_get(txn, h->self, &f);
    if (err == CF_ENOTFOUND) f.size = 0;
    else if (err) return err;
    env->size = f.size;
    env->last_time = tip.last_time;
    env->gov = gov_tip.applied;
    return CF_OK;
}

static int parse_cite(const char *s, entry_cite *c)
{
    /* AUTHORHEX:INDEX:LEAFHEX:FEN[:READ] */
    char buf[256];
    char *parts[5], *save = NULL;
    size_t n = 0;
    snprintf(buf, sizeof buf, "%s", s);
    for (char *t = strtok_r(buf, ":", &save); t && n < 5; t = strtok_r(NULL, ":", &save))
        parts[n++] = t;
    uint64_t fen;
    if ((n != 4 && n != 5) || strlen(parts[0]) != 64 ||
        cf_hex_decode(parts[0], 64, c->author, 32) != CF_OK ||
        parse_u64(parts[1], &c->index) != CF_OK || strlen(parts[2]) != 64 ||
        cf_hex_decode(parts[2], 64, c->leaf, 32) != CF_OK || parse_u64(parts[3], &fen) != CF_OK ||
        fen > (uint64_t)INT64_MAX)
        return CF_EFORMAT;
    c->amount_fen = (int64_t)fen;
    c->has_read = n == 5;
    if (n == 5 && parse_u64(parts[4], &c->read) != CF_OK) return CF_EFORMAT;
    return CF_OK;
}

static entry_text text_of(const char *s)
{
    return entry_text_of(s, strlen(s));
}

/* Envelope overrides given to `encode`. */
struct overrides {
    uint64_t index, time_ms, gov;
    bool has_index, has_time, has_gov;
};

/* Parse TYPE and FIELDS (argv[first..argc)) into e's type and body (e must
 * be zeroed; its texts point into argv) and the overrides into o. Returns 0,
 * or an exit code after a message. */
static int parse_entry(int argc, char **argv, int first, const char *type, entry *e,
                       struct overrides *o)
{
    static const struct option opts[] = {
        {"index", required_argument, NULL, 'i'},   {"time-ms", required_argument, NULL, 't'},
        {"gov", required_argument, NULL, 'g'},     {"project", required_argument, NULL, 'p'},
        {"round", required_argument, NULL, 'r'},   {"amount-fen", required_argument, NULL, 'a'},
        {"program", required_argument, NULL, 'P'}, {"cite", required_argument, NULL, 'c'},
        {NULL, 0, NULL, 0},
    };
    const char *project = NULL, *round = NULL, *program = NULL;
    uint64_t amount = 0;
    bool has_amount = false;
    body_match *m = &e->body.match;
    int c;
    memset(o, 0, sizeof *o);
    optind = first;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        uint64_t *dst = NULL;
        switch (c) {
        case 'i': dst = &o->index; o->has_index = true; break;
        case 't': dst = &o->time_ms; o->has_time = true; break;
        case 'g': dst = &o->gov; o->has_gov = true; break;
        case 'a': dst = &amount; has_amount = true; break;
        case 'p': project = optarg; break;
        case 'r': round = optarg; break;
        case 'P': program = optarg; break;
        case 'c':
            if (m->ncites == ENTRY_CITES_MAX || parse_cite(optarg, &m->cites[m->ncites]) != CF_OK)
                return die("--cite %s: want AUTHORHEX:INDEX:LEAFHEX:FEN[:READ]", optarg);
            m->amount_fen += m->cites[m->ncites++].amount_fen;
            break;
        default: return usage();
        }
        if (dst && parse_u64(optarg, dst) != CF_OK) return die("not a number: %s", optarg);
    }
    if (optind != argc) return usage();

    if (strcmp(type, "contribution") == 0 && project && round && has_amount) {
        e->type = ENTRY_CONTRIBUTION;
        e->body.contribution.project = text_of(project);
        e->body.contribution.round = text_of(round);
        e->body.contribution.amount_fen = (int64_t)amount;
        if (program) {
            e->body.contribution.has_program = true;
            e->body.contribution.program = text_of(program);
        }
    } else if (strcmp(type, "exit") == 0 && project && has_amount) {
        e->type = ENTRY_EXIT;
        e->body.exit.project = text_of(project);
        e->body.exit.amount_fen = (int64_t)amount;
    } else if (strcmp(type, "match") == 0 && program && project && round && m->ncites) {
        e->type = ENTRY_MATCH;
        m->program = text_of(program);
        m->project = text_of(project);
        m->round = text_of(round);
    } else {
        return die("%s: missing or unknown fields (see the top of tests/tools/forge.c)", type);
    }
    return 0;
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int cmd_encode(int argc, char **argv)
{
    if (argc < 4) return usage();
    const char *dir = argv[1], *out = argv[3];
    static entry e; /* large (64 citations): not on the stack */
    struct overrides o;
    memset(&e, 0, sizeof e);
    int rc = parse_entry(argc, argv, 4, argv[2], &e, &o);
    if (rc) return rc;

    home *h;
    if ((rc = open_home(dir, true, &h)) != 0) return rc;
    store_txn *txn;
    struct envelope env;
    int err = store_read_begin(h->st, &txn);
    if (!err) {
        err = read_envelope(txn, h, &env);
        store_read_end(txn);
    }
    if (err) {
        home_close(h);
        return die("reading %s: %s", dir, cf_strerror(err));
    }
    uint64_t now = now_ms();
    e.has_net = true;
    memcpy(e.net, env.net.net, 32);
    memcpy(e.author, h->self, 32);
    e.index = o.has_index ? o.index : env.size;
    e.time_ms = o.has_time ? o.time_ms : (now > env.last_time ? now : env.last_time);
    e.gov = o.has_gov ? o.gov : env.gov;
    home_close(h);

    uint8_t buf[ENTRY_BYTES_MAX];
    size_t len;
    diag d;
    if (entry_encode(&e, buf, sizeof buf, &len, &d) != CF_OK) return die("encode: %s", d.text);
    FILE *f = fopen(out, "wb");
    if (f == NULL || fwrite(buf, 1, len, f) != len || fclose(f) != 0)
        return die("cannot write %s", out);
    return 0;
}

/* ---- batch: the honest path, many entries at once --------------------------- */

static int cmd_batch(int argc, char **argv)
{
    if (argc < 4) return usage();
    uint64_t n;
    if (parse_u64(argv[2], &n) != CF_OK || n == 0 || n > APPEND_BATCH_MAX)
        return die("N must be 1..%d", APPEND_BATCH_MAX);
    static entry tmpl;
    struct overrides o;
    memset(&tmpl, 0, sizeof tmpl);
    int rc = parse_entry(argc, argv, 4, argv[3], &tmpl, &o);
    if (rc) return rc;
    if (o.has_index || o.has_time || o.has_gov) return usage(); /* append_entries fills them */
    entry *es = malloc((size_t)n * sizeof *es);
    if (es == NULL) return die("out of memory");
    for (uint64_t i = 0; i < n; i++) es[i] = tmpl;
    home *h = NULL;
    keyfile_keypair kp;
    append_result res;
    diag d;
    if ((rc = open_home(argv[1], false, &h)) == 0 && (rc = load_key(h, &kp)) == 0) {
        if (append_entries(h, &kp, es, (size_t)n, now_ms(), &res, &d) != CF_OK)
            rc = die("append: %s", d.text);
        else
            printf("appended %llu: size %llu, checkpoints %llu\n", (unsigned long long)n,
                   (unsigned long long)res.size, (unsigned long long)res.checkpoints);
        keyfile_wipe(&kp);
    }
    if (h) home_close(h);
    free(es);
    return rc;
}

/* ---- append ---------------------------------------------------------------- */

struct raw_append {
    home *h;
    const keyfile_keypair *kp;
    uint8_t **bytes;
    size_t *lens, n;
    uint64_t size;
};

static int raw_append_txn(store_txn *txn, void *arg)
{
    struct raw_append *j = arg;
    ledger_kv kv;
    state_network net;
    store_appender app;
    uint8_t root[32];
    char note_buf[CKPT_SIGNED_BYTES_MAX];
    size_t note_len;
    int err;
    state_kv_init(&kv, txn);
    if ((err = state_network_get(&kv, &net)) != 0) return err;
    if ((err = store_append_begin(txn, j->h->self, &app)) != 0) return err;
    for (size_t i = 0; i < j->n; i++)
        if ((err = store_append(&app, j->bytes[i], j->lens[i], NULL)) != 0) return err;
    if ((err = store_append_finish(&app, root)) != 0) return err;
    store_feed f;
    if ((err = store_feed_get(txn, j->h->self, &f)) != 0) return err;
    j->size = f.size;
    if ((err = ckpt_sign(net.net, j->h->self, j->kp->sk, f.size, root, note_buf, sizeof note_buf,
                         &note_len)) != 0)
        return err;
    return store_checkpoint_put(txn, j->h->self, f.size, note_buf, note_len);
}

static int read_file(const char *path, uint8_t **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) return CF_EIO;
    uint8_t *buf = malloc(ENTRY_BYTES_MAX + 1);
    size_t n = buf ? fread(buf, 1, ENTRY_BYTES_MAX + 1, f) : 0;
    fclose(f);
    if (buf == NULL) return CF_ENOMEM;
    if (n == 0 || n > ENTRY_BYTES_MAX) {
        free(buf);
        return CF_ETOOBIG;
    }
    *out = buf;
    *len = n;
    return CF_OK;
}

static int cmd_append(int argc, char **argv)
{
    if (argc < 3) return usage();
    size_t n = (size_t)argc - 2;
    uint8_t **bytes = calloc(n, sizeof *bytes);
    size_t *lens = calloc(n, sizeof *lens);
    int rc = 1, err = CF_ENOMEM;
    home *h = NULL;
    keyfile_keypair kp;
    if (bytes == NULL || lens == NULL) goto out;
    for (size_t i = 0; i < n; i++)
        if ((err = read_file(argv[2 + i], &bytes[i], &lens[i])) != 0) {
            rc = die("%s: %s", argv[2 + i], cf_strerror(err));
            goto out;
        }
    if ((rc = open_home(argv[1], false, &h)) != 0 || (rc = load_key(h, &kp)) != 0) goto out;
    struct raw_append j = {h, &kp, bytes, lens, n, 0};
    err = store_write(h->st, raw_append_txn, &j);
    keyfile_wipe(&kp);
    if (err) {
        rc = die("append: %s", cf_strerror(err));
        goto out;
    }
    printf("appended %zu: size %llu\n", n, (unsigned long long)j.size);
    rc = 0;
out:
    if (h) home_close(h);
    for (size_t i = 0; bytes && i < n; i++) free(bytes[i]);
    free(bytes);
    free(lens);
    return rc;
}

/* ---- resign, k-fork: bundles with other checkpoints ---------------------- */

/* Sign note text `text` (a checkpoint) again with kp under its own origin;
 * with fork_root, a checkpoint of the same origin and size whose root is
 * SHA-256(the original root) instead. */
static int sign_ckpt(const keyfile_keypair *kp, const char *in, size_t in_len, bool fork_root,
                     char *out, size_t cap, size_t *out_len)
{
    note n;
    checkpoint cp;
    char origin[NOTE_NAME_BYTES_MAX + 1], text[NOTE_NAME_BYTES_MAX + 128];
    size_t text_len;
    int err;
    if ((err = note_parse(in, in_len, &n)) != 0 ||
        (err = checkpoint_parse(n.text, n.text_len, &cp)) != 0)
        return err;
    if (cp.origin_len >= sizeof origin) return CF_ETOOBIG;
    memcpy(origin, cp.origin, cp.origin_len);
    origin[cp.origin_len] = '\0';
    if (!fork_root) return note_sign(n.text, n.text_len, origin, kp->sk, out, cap, out_len);
    uint8_t root[32];
    cf_sha256(cp.root, 32, root);
    if ((err = checkpoint_format(origin, cp.size, root, text, sizeof text, &text_len)) != 0)
        return err;
    return note_sign(text, text_len, origin, kp->sk, out, cap, out_len);
}

struct copy_job {
    const keyfile_keypair *kp;
    bool resign_all;     /* resign: every F and K checkpoint */
    uint64_t fork_size;  /* k-fork: the K record of this size in this feed */
    uint8_t feed[32];
    unsigned changed;
};

/* Copy bundle IN to OUT record by record, changing checkpoints as j says. */
static int copy_bundle(const char *in, const char *out, struct copy_job *j)
{
    FILE *f = fopen(in, "rb");
    if (f == NULL) return die("cannot open %s", in);
    bundle_reader *r = NULL;
    bundle_writer *w = NULL;
    bundle_record rec;
    diag d = {0};
    int err = bundle_reader_open_file(f, &r);
    if (!err) err = bundle_writer_open(out, &w);
    while (!err && (err = bundle_next(r, &rec, &d)) == CF_OK) {
        char note_buf[CKPT_SIGNED_BYTES_MAX];
        size_t note_len = rec.checkpoint_len;
        const char *ck = rec.checkpoint;
        bool fork = rec.type == BUNDLE_CHECKPOINT && rec.size == j->fork_size &&
                    memcmp(rec.author, j->feed, 32) == 0;
        if ((rec.type == BUNDLE_FEED || rec.type == BUNDLE_CHECKPOINT) && (j->resign_all || fork)) {
            err = sign_ckpt(j->kp, rec.checkpoint, rec.checkpoint_len, fork, note_buf,
                            sizeof note_buf, &note_len);
            ck = note_buf;
            j->changed++;
        }
        if (err) break;
        switch (rec.type) {
        case BUNDLE_HEADER: err = bundle_write_header(w, rec.net); break;
        case BUNDLE_FEED:
            err = bundle_write_feed(w, rec.author, rec.from, rec.size, ck, note_len);
            break;
        case BUNDLE_ENTRY: err = bundle_write_entry(w, rec.payload, rec.len); break;
        case BUNDLE_CHECKPOINT: err = bundle_write_checkpoint(w, ck, note_len); break;
        case BUNDLE_FORK: err = bundle_write_fork(w, rec.payload, rec.len); break;
        default: err = CF_EBUNDLE; break;
        }
    }
    bundle_reader_close(r);
    fclose(f);
    if (err == 1) {
        err = bundle_writer_commit(w, &d);
        w = NULL;
    }
    bundle_writer_abort(w);
    if (err) return die("%s: %s %s", in, cf_strerror(err), d.text);
    return 0;
}

static int load_key_of(const char *dir, keyfile_keypair *kp)
{
    home *h;
    int rc = open_home(dir, true, &h);
    if (rc) return rc;
    rc = load_key(h, kp);
    home_close(h);
    return rc;
}

static int cmd_resign(int argc, char **argv)
{
    if (argc != 4) return usage();
    keyfile_keypair kp;
    int rc = load_key_of(argv[3], &kp);
    if (rc) return rc;
    struct copy_job j = {.kp = &kp, .resign_all = true};
    rc = copy_bundle(argv[1], argv[2], &j);
    keyfile_wipe(&kp);
    return rc;
}

static int cmd_kfork(int argc, char **argv)
{
    if (argc != 5 && argc != 6) return usage();
    keyfile_keypair kp;
    struct copy_job j = {.kp = &kp};
    if (parse_u64(argv[4], &j.fork_size) != CF_OK || j.fork_size == 0 ||
        (argc == 6 && (strlen(argv[5]) != 64 || cf_hex_decode(argv[5], 64, j.feed, 32) != CF_OK)))
        return usage();
    int rc = load_key_of(argv[3], &kp);
    if (rc) return rc;
    if (argc == 5) memcpy(j.feed, kp.pk, 32);
    rc = copy_bundle(argv[1], argv[2], &j);
    keyfile_wipe(&kp);
    if (rc == 0 && j.changed != 1) {
        unlink(argv[2]);
        return die("%s holds no K record of size %llu in that feed", argv[1],
                   (unsigned long long)j.fork_size);
    }
    return rc;
}

/* ---- relay, announce: what a peer would send ---------------------------------- */

struct relay {
    uint8_t author[32];
    uint64_t from, size;
    char ckpt[CKPT_SIGNED_BYTES_MAX];
    size_t ckpt_len;
    ingest_prefix prefix;
    uint8_t proof[MERKLE_PROOF_MAX][32];
    uint8_t **entries;
    size_t *lens;
    uint64_t next; /* entries handed to ingest so far */
    ingest_result res;
    drain_result dr;
};

static int copy_entry(void *arg, uint64_t index, const uint8_t *bytes, size_t len)
{
    struct relay *j = arg;
    uint64_t i = index - j->from;
    if ((j->entries[i] = malloc(len)) == NULL) return CF_ENOMEM;
    memcpy(j->entries[i], bytes, len);
    j->lens[i] = len;
    return CF_OK;
}

/* What SRC would send: its checkpoint of j->size and, with entries, the
 * entries [from, size) and the prefix proof from `from`. */
static int relay_read(const char *dir, struct relay *j, bool entries)
{
    home *h;
    store_txn *txn;
    const char *text;
    int rc = open_home(dir, true, &h);
    if (rc) return rc;
    int err = store_read_begin(h->st, &txn);
    if (!err) {
        err = store_checkpoint_get(txn, j->author, j->size, &text, &j->ckpt_len);
        if (!err) memcpy(j->ckpt, text, j->ckpt_len);
        if (!err && entries)
            err = store_entries_each(txn, j->author, j->from, j->size, copy_entry, j);
        if (!err && entries && j->from > 0) {
            j->prefix.proof = j->proof[0];
            if ((err = store_root(txn, j->author, j->from, j->prefix.root)) == 0)
                err = store_consistency_proof(txn, j->author, j->from, j->size, j->proof,
                                              &j->prefix.nproof);
        }
        store_read_end(txn);
    }
    home_close(h);
    return err ? die("reading %s: %s", dir, cf_strerror(err)) : 0;
}

static int relay_next(void *arg, const uint8_t **bytes, size_t *len, diag *d)
{
    struct relay *j = arg;
    (void)d;
    *bytes = j->entries[j->next];
    *len = j->lens[j->next++];
    return CF_OK;
}

static int relay_txn(store_txn *txn, void *arg)
{
    struct relay *j = arg;
    ledger_kv kv;
    state_network net;
    diag d;
    int err;
    diag_clear(&d);
    state_kv_init(&kv, txn);
    if ((err = state_network_get(&kv, &net)) != 0) return err;
    j->next = 0;
    if (j->entries != NULL) {
        ingest_source src = {relay_next, j};
        err = ingest_feed(txn, net.net, j->author, j->ckpt, j->ckpt_len, j->from,
                          j->from > 0 ? &j->prefix : NULL, &src, &j->res, &d);
    } else {
        err = ingest_checkpoint(txn, net.net, j->author, j->ckpt, j->ckpt_len, &j->res, &d);
    }
    if (!err)
        err = j->res.fork ? replica_rebuild(txn, &j->dr, &d)
                          : replica_drain(txn, &j->dr, NULL, NULL, &d);
    if (err) fprintf(stderr, "forge: %s\n", d.text[0] ? d.text : cf_strerror(err));
    return err;
}

/* forge relay SRC DST FEED FROM SIZE [--bad-proof] / forge announce SRC DST FEED SIZE */
static int cmd_relay(int argc, char **argv, bool entries)
{
    static struct relay j;
    memset(&j, 0, sizeof j);
    bool bad_proof = entries && argc == 7 && strcmp(argv[6], "--bad-proof") == 0;
    if (argc != (entries ? 6 : 5) + bad_proof || strlen(argv[3]) != 64 ||
        cf_hex_decode(argv[3], 64, j.author, 32) != CF_OK ||
        (entries && parse_u64(argv[4], &j.from) != CF_OK) ||
        parse_u64(argv[entries ? 5 : 4], &j.size) != CF_OK || j.from > j.size)
        return usage();
    int rc = 1;
    home *h = NULL;
    if (entries) {
        j.entries = calloc(j.size - j.from + 1, sizeof *j.entries);
        j.lens = calloc(j.size - j.from + 1, sizeof *j.lens);
        if (j.entries == NULL || j.lens == NULL) goto out;
    }
    if ((rc = relay_read(argv[1], &j, entries)) != 0) goto out;
    if (bad_proof) {
        if (j.prefix.nproof > 0) j.proof[0][0] ^= 1;
        else j.prefix.root[0] ^= 1;
    }
    if ((rc = open_home(argv[2], false, &h)) != 0) goto out;
    int err = store_write(h->st, relay_txn, &j);
    if (err) {
        rc = die("%s: %s", entries ? "relay" : "announce", cf_strerror(err));
        goto out;
    }
    printf("%s: appended %llu, applied %llu%s%s%s%s\n", entries ? "relay" : "announce",
           (unsigned long long)j.res.appended, (unsigned long long)j.dr.applied,
           j.res.new_checkpoint ? ", new checkpoint" : "", j.res.fork ? ", fork" : "",
           j.res.skipped ? ", skipped" : "", j.res.ahead ? ", ahead" : "");
out:
    if (h) home_close(h);
    for (uint64_t i = 0; j.entries && i < j.size - j.from; i++) free(j.entries[i]);
    free(j.entries);
    free(j.lens);
    return rc;
}

struct state_del {
    uint8_t key[STORE_KEY_BYTES_MAX];
    size_t klen;
};

static int state_del_txn(store_txn *txn, void *arg)
{
    const struct state_del *sd = arg;
    return store_kv_del(txn, STORE_T_STATE, sd->key, sd->klen);
}

static int cmd_state_del(int argc, char **argv)
{
    struct state_del sd;
    home *h;
    if (argc != 3) return usage();
    size_t hex = strlen(argv[2]);
    if (hex == 0 || hex % 2 || hex / 2 > sizeof sd.key ||
        cf_hex_decode(argv[2], hex, sd.key, hex / 2) != CF_OK)
        return die("bad KEYHEX %s", argv[2]);
    sd.klen = hex / 2;
    if (open_home(argv[1], false, &h)) return 1;
    int err = store_write(h->st, state_del_txn, &sd);
    home_close(h);
    if (err) return die("deleting the record: %s", cf_strerror(err));
    return 0;
}

/* The queue's records in their layout-6 keys: 'c' || program || time ||
 * author || index -> project || round becomes 'c' || program || project ||
 * round || time || author || index -> nothing. */
struct old_queue {
    struct {
        size_t len;
        uint8_t key[STORE_KEY_BYTES_MAX];
    } *recs;
    size_t n, cap;
};

static int old_queue_visit(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                           size_t vlen)
{
    struct old_queue *q = arg;
    size_t plen = 2 + (size_t)key[1]; /* 'c', the program's length and bytes */
    if (klen != plen + 48 || vlen < 2 || klen + vlen > STORE_KEY_BYTES_MAX)
        return CF_ESTORE_CORRUPT;
    if (q->n == q->cap) {
        size_t cap = q->cap ? 2 * q->cap : 64;
        void *r = realloc(q->recs, cap * sizeof *q->recs);
        if (r == NULL) return CF_ENOMEM;
        q->recs = r;
        q->cap = cap;
    }
    uint8_t *out = q->recs[q->n].key;
    memcpy(out, key, plen);
    memcpy(out + plen, val, vlen);
    memcpy(out + plen + vlen, key + plen, 48);
    q->recs[q->n++].len = klen + vlen;
    return CF_OK;
}

static int old_state_txn(store_txn *txn, void *arg)
{
    static const char tags[] = {'h', 'H', 'A', 'E', 'c'};
    const char *meta = "state_version";
    struct old_queue q = {0};
    int err;
    (void)arg;
    err = store_kv_scan(txn, STORE_T_STATE, "c", 1, false, old_queue_visit, &q);
    for (size_t i = 0; !err && i < sizeof tags; i++)
        err = store_kv_clear(txn, STORE_T_STATE, &tags[i], 1);
    for (size_t i = 0; !err && i < q.n; i++)
        err = store_kv_put(txn, STORE_T_STATE, q.recs[i].key, q.recs[i].len, NULL, 0);
    free(q.recs);
    return err ? err : store_kv_del(txn, STORE_T_META, meta, strlen(meta));
}

static int cmd_old_state(int argc, char **argv)
{
    home *h;
    if (argc != 2) return usage();
    if (open_home(argv[1], false, &h)) return 1;
    int err = store_write(h->st, old_state_txn, NULL);
    home_close(h);
    if (err) return die("writing the state: %s", cf_strerror(err));
    return 0;
}

int main(int argc, char **argv)
{
    if (cf_crypto_init() != CF_OK) return die("cannot initialise libsodium");
    if (argc < 2) return usage();
    if (strcmp(argv[1], "encode") == 0) return cmd_encode(argc - 1, argv + 1);
    if (strcmp(argv[1], "append") == 0) return cmd_append(argc - 1, argv + 1);
    if (strcmp(argv[1], "batch") == 0) return cmd_batch(argc - 1, argv + 1);
    if (strcmp(argv[1], "resign") == 0) return cmd_resign(argc - 1, argv + 1);
    if (strcmp(argv[1], "k-fork") == 0) return cmd_kfork(argc - 1, argv + 1);
    if (strcmp(argv[1], "relay") == 0) return cmd_relay(argc - 1, argv + 1, true);
    if (strcmp(argv[1], "announce") == 0) return cmd_relay(argc - 1, argv + 1, false);
    if (strcmp(argv[1], "state-del") == 0) return cmd_state_del(argc - 1, argv + 1);
    if (strcmp(argv[1], "old-state") == 0) return cmd_old_state(argc - 1, argv + 1);
    return usage();
}
