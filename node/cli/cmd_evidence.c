/* cmd_evidence.c — verify, export, forks, violations. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bundle_io.h"
#include "cf_error.h"
#include "cf_util.h"
#include "cli.h"
#include "evidence.h"
#include "evidence_db.h"
#include "rules.h"
#include "verify.h"

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
        printf("ok: %llu feeds, %llu entries, %llu checkpoints verified\n",
               (unsigned long long)r.feeds, (unsigned long long)r.entries,
               (unsigned long long)r.checkpoints);
    }
    home_close(h);
    return rc;
}

int cmd_export(cli_env *env, int argc, char **argv)
{
    static const char *usage = "export --out FILE";
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'o') out = optarg;
        else return cli_usage(usage);
    }
    if (out == NULL || optind != argc) return cli_usage(usage);
    home *h;
    export_result r;
    diag d;
    int rc = cli_open_home(env, HOME_RDONLY, &h);
    if (rc) return rc;
    if (node_export(h, out, &r, &d) != CF_OK) {
        rc = cli_fail(&d);
    } else {
        printf("wrote %s: %llu feeds, %llu entries, %llu fork proofs\n", out,
               (unsigned long long)r.feeds, (unsigned long long)r.entries,
               (unsigned long long)r.forks);
    }
    home_close(h);
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
