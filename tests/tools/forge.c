/* forge.c — a test tool that writes what an honest node never would: entries
 * appended to a home's OWN feed without the rules (a dishonest author's
 * node), and bundles whose checkpoints carry the wrong signature. The
 * scenario tests (tests/cli/) use it to show that replicas catch both.
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
 *                       --cite AUTHORHEX:INDEX:LEAFHEX:FEN (repeatable; the
 *                       match amount is the sum of the allocations)
 *   forge append HOME FILE...
 *       Append each FILE's bytes, in order, to HOME's own feed — no decoding,
 *       no rules, the state untouched — and sign and store the new checkpoint
 *       with HOME's key, all in one store transaction (store_append_* +
 *       ckpt_sign + store_checkpoint_put). Prints "appended N: size S".
 *   forge resign IN OUT SIGNER_HOME
 *       Copy bundle IN to OUT with every feed record's checkpoint signed
 *       again by SIGNER_HOME's key under the same origin, size and root (the
 *       original signature is dropped). Entries and fork proofs are copied
 *       as they are; the trailer is recomputed, so only the signature is
 *       wrong.
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

#include "bundle.h"
#include "cf_error.h"
#include "cf_util.h"
#include "ckpt.h"
#include "entry.h"
#include "home.h"
#include "note.h"
#include "state_kv.h"
#include "store.h"

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
          "       forge resign IN OUT SIGNER_HOME\n",
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
    /* AUTHORHEX:INDEX:LEAFHEX:FEN */
    char buf[256];
    char *parts[4], *save = NULL;
    size_t n = 0;
    snprintf(buf, sizeof buf, "%s", s);
    for (char *t = strtok_r(buf, ":", &save); t && n < 4; t = strtok_r(NULL, ":", &save))
        parts[n++] = t;
    uint64_t fen;
    if (n != 4 || strlen(parts[0]) != 64 || cf_hex_decode(parts[0], 64, c->author, 32) != CF_OK ||
        parse_u64(parts[1], &c->index) != CF_OK || strlen(parts[2]) != 64 ||
        cf_hex_decode(parts[2], 64, c->leaf, 32) != CF_OK || parse_u64(parts[3], &fen) != CF_OK ||
        fen > (uint64_t)INT64_MAX)
        return CF_EFORMAT;
    c->amount_fen = (int64_t)fen;
    return CF_OK;
}

static entry_text text_of(const char *s)
{
    return entry_text_of(s, strlen(s));
}

static int cmd_encode(int argc, char **argv)
{
    static const struct option opts[] = {
        {"index", required_argument, NULL, 'i'},   {"time-ms", required_argument, NULL, 't'},
        {"gov", required_argument, NULL, 'g'},     {"project", required_argument, NULL, 'p'},
        {"round", required_argument, NULL, 'r'},   {"amount-fen", required_argument, NULL, 'a'},
        {"program", required_argument, NULL, 'P'}, {"cite", required_argument, NULL, 'c'},
        {NULL, 0, NULL, 0},
    };
    if (argc < 4) return usage();
    const char *dir = argv[1], *type = argv[2], *out = argv[3];
    const char *project = NULL, *round = NULL, *program = NULL;
    uint64_t index = 0, time_ms = 0, gov = 0, amount = 0;
    bool has_index = false, has_time = false, has_gov = false, has_amount = false;
    static entry e; /* large (64 citations): not on the stack */
    memset(&e, 0, sizeof e);
    body_match *m = &e.body.match;
    int c;
    optind = 4;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        uint64_t *dst = NULL;
        switch (c) {
        case 'i': dst = &index; has_index = true; break;
        case 't': dst = &time_ms; has_time = true; break;
        case 'g': dst = &gov; has_gov = true; break;
        case 'a': dst = &amount; has_amount = true; break;
        case 'p': project = optarg; break;
        case 'r': round = optarg; break;
        case 'P': program = optarg; break;
        case 'c':
            if (m->ncites == ENTRY_CITES_MAX || parse_cite(optarg, &m->cites[m->ncites]) != CF_OK)
                return die("--cite %s: want AUTHORHEX:INDEX:LEAFHEX:FEN", optarg);
            m->amount_fen += m->cites[m->ncites++].amount_fen;
            break;
        default: return usage();
        }
        if (dst && parse_u64(optarg, dst) != CF_OK) return die("not a number: %s", optarg);
    }
    if (optind != argc) return usage();

    if (strcmp(type, "contribution") == 0 && project && round && has_amount) {
        e.type = ENTRY_CONTRIBUTION;
        e.body.contribution.project = text_of(project);
        e.body.contribution.round = text_of(round);
        e.body.contribution.amount_fen = (int64_t)amount;
        if (program) {
            e.body.contribution.has_program = true;
            e.body.contribution.program = text_of(program);
        }
    } else if (strcmp(type, "exit") == 0 && project && has_amount) {
        e.type = ENTRY_EXIT;
        e.body.exit.project = text_of(project);
        e.body.exit.amount_fen = (int64_t)amount;
    } else if (strcmp(type, "match") == 0 && program && project && round && m->ncites) {
        e.type = ENTRY_MATCH;
        m->program = text_of(program);
        m->project = text_of(project);
        m->round = text_of(round);
    } else {
        return die("%s: missing or unknown fields (see the top of tests/tools/forge.c)", type);
    }

    home *h;
    int rc = open_home(dir, true, &h);
    if (rc) return rc;
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
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t now = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
    e.has_net = true;
    memcpy(e.net, env.net.net, 32);
    memcpy(e.author, h->self, 32);
    e.index = has_index ? index : env.size;
    e.time_ms = has_time ? time_ms : (now > env.last_time ? now : env.last_time);
    e.gov = has_gov ? gov : env.gov;
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

/* ---- resign ---------------------------------------------------------------- */

static int resign_ckpt(const keyfile_keypair *kp, const char *in, size_t in_len, char *out,
                       size_t cap, size_t *out_len)
{
    note n;
    checkpoint cp;
    char origin[NOTE_NAME_BYTES_MAX + 1];
    int err;
    if ((err = note_parse(in, in_len, &n)) != 0 ||
        (err = checkpoint_parse(n.text, n.text_len, &cp)) != 0)
        return err;
    if (cp.origin_len >= sizeof origin) return CF_ETOOBIG;
    memcpy(origin, cp.origin, cp.origin_len);
    origin[cp.origin_len] = '\0';
    return note_sign(n.text, n.text_len, origin, kp->sk, out, cap, out_len);
}

static int cmd_resign(int argc, char **argv)
{
    if (argc != 4) return usage();
    home *h;
    keyfile_keypair kp;
    int rc = open_home(argv[3], true, &h);
    if (rc) return rc;
    rc = load_key(h, &kp);
    home_close(h);
    if (rc) return rc;
    FILE *f = fopen(argv[1], "rb");
    if (f == NULL) return die("cannot open %s", argv[1]);
    bundle_reader *r = NULL;
    bundle_writer *w = NULL;
    bundle_record rec;
    diag d = {0};
    int err = bundle_reader_open_file(f, &r);
    if (!err) err = bundle_writer_open(argv[2], &w);
    while (!err && (err = bundle_next(r, &rec, &d)) == CF_OK) {
        char note_buf[CKPT_SIGNED_BYTES_MAX];
        size_t note_len;
        switch (rec.type) {
        case BUNDLE_HEADER: err = bundle_write_header(w, rec.net); break;
        case BUNDLE_FEED:
            err = resign_ckpt(&kp, rec.checkpoint, rec.checkpoint_len, note_buf, sizeof note_buf,
                              &note_len);
            if (!err) err = bundle_write_feed(w, rec.author, rec.from, rec.size, note_buf, note_len);
            break;
        case BUNDLE_ENTRY: err = bundle_write_entry(w, rec.payload, rec.len); break;
        case BUNDLE_FORK: err = bundle_write_fork(w, rec.payload, rec.len); break;
        default: break;
        }
    }
    keyfile_wipe(&kp);
    bundle_reader_close(r);
    fclose(f);
    if (err == 1) {
        err = bundle_writer_commit(w, &d);
        w = NULL;
    }
    bundle_writer_abort(w);
    if (err) return die("resign: %s %s", cf_strerror(err), d.text);
    return 0;
}

int main(int argc, char **argv)
{
    if (cf_crypto_init() != CF_OK) return die("cannot initialise libsodium");
    if (argc < 2) return usage();
    if (strcmp(argv[1], "encode") == 0) return cmd_encode(argc - 1, argv + 1);
    if (strcmp(argv[1], "append") == 0) return cmd_append(argc - 1, argv + 1);
    if (strcmp(argv[1], "resign") == 0) return cmd_resign(argc - 1, argv + 1);
    return usage();
}
