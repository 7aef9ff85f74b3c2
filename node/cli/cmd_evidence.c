/* cmd_evidence.c — verify, export (whole or partial bundles), forks,
 * violations, and portable evidence of one fork or violation. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "bundle/fork_proof.h"
#include "cli.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "crypto/merkle.h"
#include "home/bundle_io.h"
#include "home/evidence_db.h"
#include "home/verify.h"
#include "ledger/rules.h"

static void progress(void *arg, uint64_t done, uint64_t total)
{
    (void)arg;
    fprintf(stderr, "\rverified %llu of %llu entries", (unsigned long long)done,
            (unsigned long long)total);
}

int cmd_verify(cli_env *env, int argc, char **argv)
{
    home *h;
    verify_result r;
    diag d;
    (void)argv;
    if (argc != 1) return cli_usage("verify");
    int rc = cli_open_home(env, HOME_RDONLY, &h);
    if (rc) return rc;
    bool tty = isatty(STDERR_FILENO);
    int err = node_verify(h, &r, tty ? progress : NULL, NULL, &d);
    if (tty) fputs("\r\033[K", stderr);
    if (err) {
        rc = cli_fail(&d);
    } else {
        printf("ok: %llu feeds, %llu entries, %llu checkpoints verified; the ledger state "
               "recomputed from them equals the stored one (%llu records)\n",
               (unsigned long long)r.feeds, (unsigned long long)r.entries,
               (unsigned long long)r.checkpoints, (unsigned long long)r.state_records);
    }
    home_close(h);
    return rc;
}

/* --feed names resolved to keys in a read transaction. */
struct feed_names {
    home *h;
    char **names;
    size_t n;
    uint8_t (*keys)[32];
    const char *as_of_arg;
    uint64_t as_of_ms;
};

static int resolve_feeds(store_txn *txn, const ledger_kv *kv, void *arg)
{
    struct feed_names *f = arg;
    state_network net;
    diag d;
    (void)txn;
    for (size_t i = 0; i < f->n; i++)
        if (cli_resolve_member(kv, f->h, f->names[i], f->keys[i], &d) != CF_OK) return cli_fail(&d);
    if (f->as_of_arg) {
        int err = state_network_get(kv, &net);
        if (err) return cli_failf(CF_ENO_NETWORK, "this home has not joined a network yet");
        if (cli_parse_time(f->as_of_arg, net.tz_min, true, &f->as_of_ms, &d) != CF_OK)
            return cli_fail(&d);
    }
    return CLI_OK;
}

int cmd_export(cli_env *env, int argc, char **argv)
{
    static const char *usage = "export --out FILE [--as-of TIME] [--feed MEMBER ...]";
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},
        {"as-of", required_argument, NULL, 'a'},
        {"feed", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL;
    char *names[STORE_FEEDS_MAX];
    struct feed_names fn = {.names = names};
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'o') out = optarg;
        else if (c == 'a') fn.as_of_arg = optarg;
        else if (c == 'f' && fn.n < STORE_FEEDS_MAX) names[fn.n++] = optarg;
        else return cli_usage(usage);
    }
    if (out == NULL || optind != argc) return cli_usage(usage);
    home *h;
    export_result r;
    diag d;
    int rc = cli_open_home(env, HOME_RDONLY, &h);
    if (rc) return rc;
    fn.h = h;
    if (fn.n && (fn.keys = calloc(fn.n, sizeof *fn.keys)) == NULL) {
        home_close(h);
        return cli_failf(CF_ENOMEM, "out of memory");
    }
    if (fn.n || fn.as_of_arg) rc = cli_read(h, resolve_feeds, &fn);
    export_opts o = {.feeds = (const uint8_t(*)[32])fn.keys, .nfeeds = fn.n,
                     .has_as_of = fn.as_of_arg != NULL, .as_of_ms = fn.as_of_ms};
    if (rc == CLI_OK && node_export_partial(h, out, fn.n || fn.as_of_arg ? &o : NULL, &r, &d) != CF_OK) {
        rc = cli_fail(&d);
    } else if (rc == CLI_OK) {
        printf("wrote %s: %llu feeds, %llu entries, %llu fork proofs", out,
               (unsigned long long)r.feeds, (unsigned long long)r.entries,
               (unsigned long long)r.forks);
        if (fn.as_of_arg) printf("; %llu feeds cut at --as-of", (unsigned long long)r.cut);
        if (fn.n || fn.as_of_arg) printf(" (a partial bundle: the governance feed is always in it)");
        printf("\n");
    }
    free(fn.keys);
    home_close(h);
    return rc;
}

/* ---- evidence: one fork or violation as a portable file ------------------- */

struct evid_job {
    home *h;
    const char *what, *out;
    bool is_fork;
    uint8_t author[32];
    uint64_t index;
    bool found;
    evidence_violation v;
};

static int find_violation(void *arg, const evidence_violation *v)
{
    struct evid_job *j = arg;
    if (memcmp(v->author, j->author, 32) != 0 || v->index != j->index) return CF_OK;
    j->v = *v;
    j->found = true;
    return 1; /* stop */
}

static int write_file(const char *path, const uint8_t *p, size_t len)
{
    char tmp[HOME_PATH_MAX + 8];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (f == NULL) return CF_EIO;
    bool ok = fwrite(p, 1, len, f) == len;
    ok = fflush(f) == 0 && ok;
    ok = fsync(fileno(f)) == 0 && ok;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        remove(tmp);
        return CF_EIO;
    }
    return CF_OK;
}

static int evidence_read(store_txn *txn, const ledger_kv *kv, void *arg)
{
    struct evid_job *j = arg;
    state_network net;
    audit_evidence ev = {0};
    uint8_t proof[MERKLE_PROOF_MAX][32];
    static uint8_t buf[AUDIT_EVIDENCE_BYTES_MAX];
    char who[ENTRY_ID_BYTES_MAX + 1];
    size_t len;
    diag d;
    int err;
    if (state_network_get(kv, &net) != CF_OK)
        return cli_failf(CF_ENO_NETWORK, "this home has not joined a network yet");
    memcpy(ev.net, net.net, 32);
    j->is_fork = strchr(j->what, ':') == NULL;
    if (j->is_fork) {
        if (cli_resolve_member(kv, j->h, j->what, j->author, &d) != CF_OK) return cli_fail(&d);
        ledger_member_label(kv, j->author, who, sizeof who);
        err = evidence_fork_get(txn, j->author, &ev.fork_proof, &ev.fork_proof_len);
        if (err == CF_ENOTFOUND) return cli_failf(err, "no fork proof is held for %s (cofund forks)", who);
        if (err) return cli_failf(err, "reading evidence: %s", cf_strerror(err));
        ev.is_fork = true;
    } else {
        if (cli_parse_feed_index(kv, j->h, j->what, j->author, &j->index, &d) != CF_OK)
            return cli_fail(&d);
        ledger_member_label(kv, j->author, who, sizeof who);
        if ((err = evidence_violations_each(txn, find_violation, j)) < 0)
            return cli_failf(err, "reading evidence: %s", cf_strerror(err));
        if (!j->found)
            return cli_failf(CF_ENOTFOUND, "no violation is held at %s#%llu (cofund violations)", who,
                             (unsigned long long)j->index);
        uint64_t size;
        if ((err = store_entry_get(txn, j->author, j->index, &ev.entry, &ev.entry_len)) != 0 ||
            (err = store_checkpoint_latest(txn, j->author, &size, &ev.checkpoint,
                                           &ev.checkpoint_len)) != 0 ||
            (err = size > j->index ? CF_OK : CF_ENOTFOUND) != 0 ||
            (err = store_inclusion_proof(txn, j->author, j->index, size, proof, &ev.nproof)) != 0)
            return cli_failf(err, "reading %s#%llu and its proof: %s", who,
                             (unsigned long long)j->index, cf_strerror(err));
        ev.index = j->index;
        ev.proof = (const uint8_t(*)[32])proof;
        ev.rule = j->v.rule;
        ev.text = j->v.text;
    }
    if ((err = audit_evidence_encode(&ev, buf, sizeof buf, &len)) != 0)
        return cli_failf(err, "encoding the evidence: %s", cf_strerror(err));
    if (write_file(j->out, buf, len) != CF_OK)
        return cli_failf(CF_EIO, "cannot write %s: %s", j->out, strerror(errno));
    if (j->is_fork)
        printf("wrote %s: the fork proof of %s (check it with: cofund audit --evidence %s)\n",
               j->out, who, j->out);
    else
        printf("wrote %s: violation %s#%llu (%s) with its inclusion proof (check it with: "
               "cofund audit --evidence %s)\n", j->out, who, (unsigned long long)j->index,
               j->v.rule, j->out);
    return CLI_OK;
}

int cmd_evidence(cli_env *env, int argc, char **argv)
{
    static const char *usage = "evidence MEMBER|FEED:INDEX --out FILE";
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    struct evid_job j = {0};
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'o') j.out = optarg;
        else return cli_usage(usage);
    }
    if (j.out == NULL || optind != argc - 1) return cli_usage(usage);
    j.what = argv[optind];
    int rc = cli_open_home(env, HOME_RDONLY, &j.h);
    if (rc) return rc;
    rc = cli_read(j.h, evidence_read, &j);
    home_close(j.h);
    return rc;
}

struct evidence_job {
    enum cli_format fmt;
    const ledger_kv *kv;
    json_t *arr;
    unsigned count;
};

static int fork_row(void *arg, const uint8_t author[32], const uint8_t *proof, size_t len)
{
    struct evidence_job *j = arg;
    fork_proof fp;
    fork_facts facts;
    diag d;
    char who[ENTRY_ID_BYTES_MAX + 1], hex[65], ra[65], rb[65];
    ledger_member_label(j->kv, author, who, sizeof who);
    cf_hex_encode(author, 32, hex, sizeof hex);
    bool ok = fork_proof_decode(proof, len, &fp, &d) == CF_OK &&
              fork_proof_verify(&fp, &facts, &d) == CF_OK;
    j->count++;
    if (!ok) {
        fprintf(stderr, "cofund: stored fork proof for %s does not verify: %s\n", who, d.text);
        return CF_OK;
    }
    cf_hex_encode(facts.root_a, 32, ra, sizeof ra);
    cf_hex_encode(facts.root_b, 32, rb, sizeof rb);
    if (j->fmt == CLI_JSON) {
        json_array_append_new(j->arr, json_pack("{s:s, s:s, s:I, s:s, s:I, s:s}", "member", who,
                                                "key", hex, "size_a", (json_int_t)facts.size_a,
                                                "root_a", ra, "size_b", (json_int_t)facts.size_b,
                                                "root_b", rb));
    } else {
        printf("FORK %s (%s)\n  signed size %llu root %s\n  and size %llu whose first %llu "
               "entries disagree (root %s)\n",
               who, hex, (unsigned long long)facts.size_a, ra, (unsigned long long)facts.size_b,
               (unsigned long long)facts.size_a, rb);
    }
    return CF_OK;
}

static int violation_row(void *arg, const evidence_violation *v)
{
    struct evidence_job *j = arg;
    char who[ENTRY_ID_BYTES_MAX + 1];
    ledger_member_label(j->kv, v->author, who, sizeof who);
    j->count++;
    if (j->fmt == CLI_JSON)
        json_array_append_new(j->arr, json_pack("{s:s, s:I, s:s, s:s}", "member", who, "index",
                                                (json_int_t)v->index, "rule", v->rule, "text",
                                                v->text));
    else
        printf("%s#%llu  rejected by %s: %s\n", who, (unsigned long long)v->index, v->rule,
               v->text);
    return CF_OK;
}

static int forks_read(store_txn *txn, const ledger_kv *kv, void *arg)
{
    struct evidence_job *j = arg;
    j->kv = kv;
    int err = evidence_forks_each(txn, fork_row, j);
    if (err) return cli_failf(err, "reading evidence: %s", cf_strerror(err));
    if (j->fmt == CLI_TABLE && j->count == 0) printf("no forks\n");
    return CLI_OK;
}

static int violations_read(store_txn *txn, const ledger_kv *kv, void *arg)
{
    struct evidence_job *j = arg;
    j->kv = kv;
    int err = evidence_violations_each(txn, violation_row, j);
    if (err) return cli_failf(err, "reading evidence: %s", cf_strerror(err));
    if (j->fmt == CLI_TABLE && j->count == 0) printf("no violations\n");
    return CLI_OK;
}

static int list_evidence(cli_env *env, int argc, char **argv, const char *usage, cli_read_fn fn)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    struct evidence_job j = {.fmt = CLI_TABLE};
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
        if (c != 'f' || cli_parse_format(optarg, &j.fmt) != CF_OK || j.fmt == CLI_CSV)
            return cli_usage(usage);
    if (optind != argc) return cli_usage(usage);
    home *h;
    int rc = cli_open_home(env, HOME_RDONLY, &h);
    if (rc) return rc;
    if (j.fmt == CLI_JSON) j.arr = json_array();
    rc = cli_read(h, fn, &j);
    if (j.arr) {
        if (rc == CLI_OK) cli_print_json(j.arr);
        json_decref(j.arr);
    }
    home_close(h);
    return rc;
}

int cmd_forks(cli_env *env, int argc, char **argv)
{
    return list_evidence(env, argc, argv, "forks [--format table|json]", forks_read);
}

int cmd_violations(cli_env *env, int argc, char **argv)
{
    return list_evidence(env, argc, argv, "violations [--format table|json]", violations_read);
}
