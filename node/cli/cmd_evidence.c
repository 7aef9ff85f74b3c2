/* cmd_evidence.c — verify, export (whole or partial bundles), forks,
 * violations, and portable evidence of one fork or violation. */
#include <errno.h>
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
#include "home/ingest.h"
#include "home/verify.h"
#include "ledger/rules.h"

static void progress(void *arg, uint64_t done, uint64_t total)
{
    (void)arg;
    fputc('\r', stderr);
    fprintf(stderr, _("verified %llu of %llu entries"), (unsigned long long)done,
            (unsigned long long)total);
}

static int run_verify(cli_env *env, const cli_args *a)
{
    home *h;
    verify_result r;
    diag d;
    (void)a;
    int rc = cli_open_home(env, HOME_RDONLY, &h);
    if (rc) return rc;
    bool tty = isatty(STDERR_FILENO);
    int err = verify_home(h, &r, tty ? progress : NULL, NULL, &d);
    if (tty) fputs("\r\033[K", stderr);
    if (err) {
        rc = cli_fail(&d);
    } else if (r.feeds == 0) { /* never "ok" for nothing verified */
        rc = cli_failf(CF_ENO_NETWORK, "nothing to verify: this home holds no feed yet (create "
                                       "a network or join one)");
    } else {
        printf(_("ok: %llu feeds, %llu entries, %llu checkpoints verified; the ledger state "
                 "recomputed from them equals the stored one (%llu records)\n"),
               (unsigned long long)r.feeds, (unsigned long long)r.entries,
               (unsigned long long)r.checkpoints, (unsigned long long)r.state_records);
    }
    cli_close_home(h);
    return rc;
}

/* --feed names resolved to keys in a read transaction. */
struct feed_names {
    home *h;
    const char **names;
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

/* The feeds of an export whose cosignatures this home does not keep
 * (docs/format.md "Who keeps the lines"): an audit with --witnesses fails
 * on them, and the exporter should know why before the auditor does. */
struct unkept {
    const struct feed_names *fn;
    const ledger_kv *kv;
    state_network net;
    uint64_t count;
};

static int unkept_visit(void *arg, const store_feed *f)
{
    struct unkept *u = arg;
    bool in = u->fn->n == 0 || memcmp(f->author, u->net.gov_key, 32) == 0;
    for (size_t i = 0; i < u->fn->n && !in; i++) in = memcmp(f->author, u->fn->keys[i], 32) == 0;
    if (in && f->size > 0 && !(f->flags & STORE_FEED_FORKED) &&
        !ingest_keeps_lines(u->kv, u->fn->h->self, NULL, f->author))
        u->count++;
    return CF_OK;
}

static int count_unkept(store_txn *txn, const ledger_kv *kv, void *arg)
{
    struct unkept *u = arg;
    u->kv = kv;
    /* A note only: a home that cannot tell counts nothing. */
    if (state_network_get(kv, &u->net) == CF_OK && store_feeds_each(txn, unkept_visit, u) != CF_OK)
        u->count = 0;
    return CLI_OK;
}

static int run_export(cli_env *env, const cli_args *a)
{
    const char *out = cli_get(a, "out");
    static const char *names[STORE_FEEDS_MAX];
    struct feed_names fn = {.names = names, .as_of_arg = cli_get(a, "as-of")};
    fn.n = cli_get_all(a, "feed", names, STORE_FEEDS_MAX);
    home *h;
    export_result r;
    diag d;
    int rc = cli_open_home(env, HOME_RDONLY, &h);
    if (rc) return rc;
    fn.h = h;
    if (fn.n && (fn.keys = calloc(fn.n, sizeof *fn.keys)) == NULL) {
        cli_close_home(h);
        return cli_failf(CF_ENOMEM, "out of memory");
    }
    if (fn.n || fn.as_of_arg) rc = cli_read(h, resolve_feeds, &fn);
    export_opts o = {.feeds = (const uint8_t(*)[32])fn.keys, .nfeeds = fn.n,
                     .has_as_of = fn.as_of_arg != NULL, .as_of_ms = fn.as_of_ms};
    int export_err = rc == CLI_OK ? bundle_io_export_partial(h, out, fn.n || fn.as_of_arg ? &o : NULL, &r, &d) : CF_OK;
    cli_progress_end();
    if (export_err != CF_OK) {
        rc = cli_fail(&d);
    } else if (rc == CLI_OK) {
        printf(_("wrote %s: %llu feeds, %llu entries, %llu fork proofs"), out,
               (unsigned long long)r.feeds, (unsigned long long)r.entries,
               (unsigned long long)r.forks);
        if (fn.as_of_arg) printf(_("; %llu feeds cut at --as-of"), (unsigned long long)r.cut);
        if (fn.n || fn.as_of_arg)
            printf("%s", _(" (a partial bundle: the governance feed is always in it)"));
        printf("\n");
        struct unkept u = {.fn = &fn};
        if (cli_read(h, count_unkept, &u) == CLI_OK && u.count > 0)
            printf(cf_trn("note: this home does not keep the cosignatures of %llu feed in the "
                          "bundle; an audit with --witnesses needs the export of an auditor's "
                          "home or the governance's\n",
                          "note: this home does not keep the cosignatures of %llu feeds in the "
                          "bundle; an audit with --witnesses needs the export of an auditor's "
                          "home or the governance's\n",
                          u.count),
                   (unsigned long long)u.count);
    }
    free(fn.keys);
    cli_close_home(h);
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
        printf(_("wrote %s: the fork proof of %s (check it with: cofund audit --evidence %s)\n"),
               j->out, who, j->out);
    else
        printf(_("wrote %s: violation %s#%llu (%s) with its inclusion proof (check it with: "
                 "cofund audit --evidence %s)\n"), j->out, who, (unsigned long long)j->index,
               j->v.rule, j->out);
    return CLI_OK;
}

static int run_evidence(cli_env *env, const cli_args *a)
{
    struct evid_job j = {.what = a->pos[0], .out = cli_get(a, "out")};
    int rc = cli_open_home(env, HOME_RDONLY, &j.h);
    if (rc) return rc;
    rc = cli_read(j.h, evidence_read, &j);
    cli_close_home(j.h);
    return rc;
}

struct evidence_job {
    enum cli_format fmt;
    const ledger_kv *kv;
    json_t *arr;
    unsigned count;
};

static json_t *hash_json(const uint8_t h[32])
{
    char b64[45];
    cf_b64_encode(h, 32, b64, sizeof b64);
    return json_string(b64);
}

static json_t *hashes_json(const fork_hashes *hs)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < hs->n; i++) json_array_append_new(arr, hash_json(hs->h[i]));
    return arr;
}

/* A located fork proof in JSON: the two signed notes as text, hashes in
 * base64 (the encoding of checkpoints and tlog-proof files). */
static json_t *located_json(const fork_proof *fp)
{
    json_t *o = json_object();
    json_object_set_new(o, "a", json_stringn(fp->a, fp->a_len));
    json_object_set_new(o, "b", json_stringn(fp->b, fp->b_len));
    json_object_set_new(o, "point", json_integer((json_int_t)fp->point));
    json_object_set_new(o, "root", hash_json(fp->root));
    json_object_set_new(o, "consistency_a", hashes_json(&fp->pa));
    json_object_set_new(o, "consistency_b", hashes_json(&fp->pb));
    json_object_set_new(o, "leaf_a", hash_json(fp->la));
    json_object_set_new(o, "leaf_b", hash_json(fp->lb));
    json_object_set_new(o, "inclusion_a", hashes_json(&fp->ia));
    json_object_set_new(o, "inclusion_b", hashes_json(&fp->ib));
    return o;
}

static int fork_row(void *arg, const uint8_t author[32], const uint8_t *proof, size_t len)
{
    struct evidence_job *j = arg;
    fork_proof fp;
    fork_facts facts;
    diag d;
    char who[ENTRY_ID_BYTES_MAX + 1], hex[CF_HEX32_BYTES], ra[CF_HEX32_BYTES], rb[CF_HEX32_BYTES];
    ledger_member_label(j->kv, author, who, sizeof who);
    cf_hex_encode(author, 32, hex, sizeof hex);
    bool ok = fork_proof_decode(proof, len, &fp, &d) == CF_OK &&
              fork_proof_verify(&fp, &facts, &d) == CF_OK;
    j->count++;
    if (!ok) {
        fprintf(stderr, _("%s: stored fork proof for %s does not verify: %s\n"), cli_prog(), who,
                d.text);
        return CF_OK;
    }
    cf_hex_encode(facts.root_a, 32, ra, sizeof ra);
    cf_hex_encode(facts.root_b, 32, rb, sizeof rb);
    if (j->fmt == CLI_JSON) {
        json_t *row = json_pack("{s:s, s:s, s:I, s:s, s:I, s:s}", "member", who, "key", hex,
                                "size_a", (json_int_t)facts.size_a, "root_a", ra, "size_b",
                                (json_int_t)facts.size_b, "root_b", rb);
        /* point: where the histories part (null: not located yet); proof:
         * all a standard RFC 6962 tool needs to check it (docs/format.md). */
        json_object_set_new(row, "point", fp.located ? json_integer((json_int_t)fp.point)
                                                     : json_null());
        if (fp.located) json_object_set_new(row, "proof", located_json(&fp));
        json_array_append_new(j->arr, row);
    } else if (fp.located) {
        printf(_("FORK %s (%s) at entry %llu: entries below %llu stand, none from %llu on counts\n"
                 "  signed size %llu root %s\n  and size %llu root %s\n"
                 "  which share their first %llu entries and differ at entry %llu\n"),
               who, hex, (unsigned long long)fp.point, (unsigned long long)fp.point,
               (unsigned long long)fp.point, (unsigned long long)facts.size_a, ra,
               (unsigned long long)facts.size_b, rb, (unsigned long long)fp.point,
               (unsigned long long)fp.point);
    } else {
        printf(_("FORK %s (%s), not located yet: none of its entries counts\n  signed size %llu "
                 "root %s\n  and size %llu whose first %llu entries disagree (root %s)\n"),
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
        printf(_("%s#%llu  rejected by %s: %s\n"), who, (unsigned long long)v->index, v->rule,
               v->text);
    return CF_OK;
}

static int forks_read(store_txn *txn, const ledger_kv *kv, void *arg)
{
    struct evidence_job *j = arg;
    j->kv = kv;
    int err = evidence_forks_each(txn, fork_row, j);
    if (err) return cli_failf(err, "reading evidence: %s", cf_strerror(err));
    if (j->fmt == CLI_TABLE && j->count == 0) printf("%s\n", _("no forks"));
    return CLI_OK;
}

static int violations_read(store_txn *txn, const ledger_kv *kv, void *arg)
{
    struct evidence_job *j = arg;
    j->kv = kv;
    int err = evidence_violations_each(txn, violation_row, j);
    if (err) return cli_failf(err, "reading evidence: %s", cf_strerror(err));
    if (j->fmt == CLI_TABLE && j->count == 0) printf("%s\n", _("no violations"));
    return CLI_OK;
}

static int list_evidence(cli_env *env, const cli_args *a, cli_read_fn fn)
{
    struct evidence_job j = {.fmt = cli_get_format(a)};
    home *h;
    int rc = cli_open_home(env, HOME_RDONLY, &h);
    if (rc) return rc;
    if (j.fmt == CLI_JSON) j.arr = json_array();
    rc = cli_read(h, fn, &j);
    if (j.arr) {
        if (rc == CLI_OK) cli_print_json(j.arr);
        json_decref(j.arr);
    }
    cli_close_home(h);
    return rc;
}

static int run_forks(cli_env *env, const cli_args *a)
{
    return list_evidence(env, a, forks_read);
}

static int run_violations(cli_env *env, const cli_args *a)
{
    return list_evidence(env, a, violations_read);
}

/* ---- the commands ------------------------------------------------------------ */

const cli_cmd cli_cmd_verify = {
    .name = "verify",
    .opts = (const cli_opt[]){CLI_OPT_END},
    .summary = N_("recompute every root and check every signature held"),
    .help = N_("Recomputes every root from the entries, checks every checkpoint signature and "
            "every applied entry's envelope; exits 1 naming the first bad feed and index."),
    .example = "verify",
    .run = run_verify,
};

const cli_cmd cli_cmd_export = {
    .name = "export",
    .opts = (const cli_opt[]){
        {"out", "FILE", CLI_REQUIRED, 0, N_("the bundle to write (it appears only when complete)")},
        CLI_OPT_AS_OF,
        {"feed", "MEMBER", 0, STORE_FEEDS_MAX, N_("only this member's feed (and the governance feed)")},
        CLI_OPT_END},
    .summary = N_("write the feeds held (or some) as one bundle"),
    .help = N_("Writes every feed held (entries and every checkpoint) and every fork proof as one "
            "bundle. --feed writes only those feeds, always with the governance feed; --as-of "
            "cuts every feed at its largest checkpoint whose last entry is at most TIME. Partial "
            "bundles import and audit like any other; what they leave unchecked is reported."),
    .example = "export --out network.bundle\n"
               "export --out 2025.bundle --as-of 2025-12-31 --feed investor-a",
    .run = run_export,
};

const cli_cmd cli_cmd_forks = {
    .name = "forks",
    .opts = (const cli_opt[]){CLI_OPT_FORMAT2, CLI_OPT_END},
    .summary = N_("the fork proofs this home holds"),
    .help = N_("The fork proofs this home holds: a member that signed two inconsistent histories, "
            "with both signed sizes and roots. A forked feed is frozen here."),
    .example = "forks --format json",
    .run = run_forks,
};

const cli_cmd cli_cmd_violations = {
    .name = "violations",
    .opts = (const cli_opt[]){CLI_OPT_FORMAT2, CLI_OPT_END},
    .summary = N_("the rule violations this home holds"),
    .help = N_("The signed entries that broke a rule, held as evidence: the entry, the rule and "
            "why."),
    .example = "violations",
    .run = run_violations,
};

const cli_cmd cli_cmd_evidence = {
    .name = "evidence",
    .args = "MEMBER|FEED:INDEX",
    .min_args = 1,
    .max_args = 1,
    .opts = (const cli_opt[]){{"out", "FILE", CLI_REQUIRED, 0, N_("the evidence file to write")},
                              CLI_OPT_END},
    .summary = N_("a fork or violation held, as a portable evidence file"),
    .help = N_("Writes a fork proof (MEMBER) or a violation (FEED:INDEX) held here as a portable "
            "evidence file (cofund-evidence/1) that cofund audit --evidence checks offline; "
            "exit 3 when no such fork or violation is held."),
    .example = "evidence investor-a:3 --out violation.evidence",
    .run = run_evidence,
};
