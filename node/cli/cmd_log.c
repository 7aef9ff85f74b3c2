/* cmd_log.c — reading feeds: members, log, show, checkpoint, proof. */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle/ckpt.h"
#include "cli.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "crypto/merkle.h"
#include "crypto/note.h"
#include "home/ingest.h"
#include "ledger/caltime.h"
#include "ledger/rules.h"
#include "render.h"
#include "table.h"

/* ---- members -------------------------------------------------------------- */

struct members_job {
    enum cli_format fmt;
    const ledger_kv *kv;
    render_rows out;
    cli_table *table;
};

/* R-KEY: "replaced at 2 by 5be1…" / "retired at 1" / "" for an open key. */
static void member_status(const state_member *m, char *out, size_t cap)
{
    char next[CF_HEX32_BYTES];
    out[0] = '\0';
    if (!m->closed) return;
    if (m->has_next) {
        cf_hex_encode(m->next, 32, next, sizeof next);
        snprintf(out, cap, _("replaced at %llu by %.16s"), (unsigned long long)m->closed_at, next);
    } else {
        snprintf(out, cap, _("retired at %llu"), (unsigned long long)m->closed_at);
    }
}

#define MEMBER(x) ((const state_member *)(x))

static void m_name(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->text = MEMBER(row)->name;
}

static void m_display(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->absent = MEMBER(row)->display[0] == '\0';
    v->text = MEMBER(row)->display;
}

static void m_role(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->text = role_name(MEMBER(row)->role);
}

static void m_key(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    cf_hex_encode(MEMBER(row)->key, 32, v->buf, sizeof v->buf);
    v->text = v->buf;
}

static void m_added(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->a = (int64_t)MEMBER(row)->added_at;
}

static void m_status(const report_ctx *c, const void *row, report_value *v)
{
    const state_member *m = row;
    (void)c;
    v->text = !m->closed ? "active" : m->has_next ? "replaced" : "retired";
}

static void m_closed_at(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->absent = !MEMBER(row)->closed;
    v->a = (int64_t)MEMBER(row)->closed_at;
}

static void m_next(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->absent = !MEMBER(row)->has_next;
    cf_hex_encode(MEMBER(row)->next, 32, v->buf, sizeof v->buf);
    v->text = v->buf;
}

/* A member key: closed_at (the feed counts below it) and replaced_by (the
 * key that continues it) are null for an active key (R-KEY). */
static const report_field member_fields[] = {
    {"name", REPORT_TEXT, .get = m_name},
    {"role", REPORT_TEXT, .get = m_role},
    {"key", REPORT_TEXT, .get = m_key},
    {"added_at", REPORT_COUNT, .get = m_added},
    {"status", REPORT_TEXT, .get = m_status},
    {"closed_at", REPORT_COUNT, .get = m_closed_at},
    {"replaced_by", REPORT_TEXT, .get = m_next},
    {"display", REPORT_TEXT, .get = m_display}, /* R-RENAME; null when none */
};
static const report_desc member_desc = {member_fields, sizeof member_fields / sizeof member_fields[0]};

static int member_row(void *arg, const state_member *m)
{
    struct members_job *j = arg;
    char hex[CF_HEX32_BYTES], status[96];
    if (j->fmt != CLI_TABLE) return render_rows_add(&j->out, m);
    cf_hex_encode(m->key, 32, hex, sizeof hex);
    member_status(m, status, sizeof status);
    cli_table_cell(j->table, m->name);
    cli_table_cell(j->table, m->display);
    cli_table_cell(j->table, role_name(m->role));
    cli_table_cell(j->table, hex);
    cli_table_cellf(j->table, "gov#%llu", (unsigned long long)m->added_at);
    cli_table_cell(j->table, status);
    return CF_OK;
}

static int members_read(store_txn *txn, const ledger_kv *kv, void *arg)
{
    struct members_job *j = arg;
    state_network net;
    (void)txn;
    report_ctx c = {.kv = kv, .as_of = STATE_TIME_LATEST,
                    .tz_min = state_network_get(kv, &net) == CF_OK ? net.tz_min : 480};
    render_rows_begin(&j->out, j->fmt, &c, &member_desc);
    if (j->fmt == CLI_TABLE) { /* a roster: small enough to size its columns */
        j->table = cli_columns((const char *const[]){_("NAME"), _("DISPLAY"), _("ROLE"),
                                                     _("KEY"), _("ADDED"), _("STATUS")},
                               "llllll");
    }
    int err = state_members_each(kv, member_row, j);
    if (err) {
        cli_table_free(j->table);
        return cli_failf(err, "reading members: %s", cf_strerror(err));
    }
    cli_table_print(j->table, stdout, NULL);
    return CLI_OK;
}

static int run_members(cli_env *env, const cli_args *a)
{
    struct members_job j = {.fmt = cli_get_format(a)};
    int rc;
    home *h;
    if ((rc = cli_open_home(env, HOME_RDONLY, &h)) != 0) return rc;
    rc = render_rows_end(&j.out, cli_read(h, members_read, &j));
    cli_close_home(h);
    return rc;
}

/* ---- log ---------------------------------------------------------------- */

struct log_job {
    home *h;
    const char *feed_arg;
    enum cli_format fmt;
    store_txn *txn;
    const ledger_kv *kv;
    int32_t tz;
    journal_feed feed;
    render_rows out;
    journal_table table;
};

static int log_entry(void *arg, uint64_t index, const uint8_t *bytes, size_t len)
{
    struct log_job *j = arg;
    journal_row r;
    char first[24];
    int err = journal_row_fill(j->txn, j->kv, &j->feed, j->tz, index, bytes, len,
                               j->fmt == CLI_TABLE ? RENDER_PEOPLE : RENDER_MACHINE, &r);
    if (err) return err;
    if (j->fmt != CLI_TABLE) return render_rows_add(&j->out, &r);
    snprintf(first, sizeof first, "%llu", (unsigned long long)index);
    journal_table_line(&j->table, &r, first);
    return CF_OK;
}

/* The table's last line: who witnessed the latest checkpoint held (other
 * members' cosignatures on it, docs/format.md "Cosignatures") — or, where
 * this home does not keep that feed's lines (docs/format.md "Who keeps the
 * lines"), where they are kept: a count of none would read as unwitnessed. */
static void print_witnesses(store_txn *txn, const ledger_kv *kv, const uint8_t self[32],
                            const uint8_t author[32])
{
    state_network net;
    const char *text;
    size_t len;
    uint64_t size;
    note *n = malloc(sizeof *n);
    if (n == NULL || state_network_get(kv, &net) != CF_OK ||
        store_checkpoint_latest(txn, author, &size, &text, &len) != CF_OK ||
        note_parse(text, len, n) != CF_OK) {
        free(n);
        return;
    }
    if (!ingest_keeps_lines(kv, self, NULL, author)) {
        printf(_("latest checkpoint: size %llu; its cosignatures are kept by its author, its "
                 "witnesses, the auditors and the governance, not by this home\n"),
               (unsigned long long)size);
        free(n);
        return;
    }
    unsigned count = ingest_witnesses(kv, net.net, author, text, len);
    printf(cf_trn("latest checkpoint: size %llu, witnessed by %u member",
                  "latest checkpoint: size %llu, witnessed by %u members", count),
           (unsigned long long)size, count);
    /* Stored lines are one per key, by members checked when stored. */
    const char *sep = _(": ");
    for (size_t i = 0; i < n->nsigs && count > 0; i++) {
        uint8_t key[32];
        state_member m;
        if (!ckpt_origin_key(net.net, n->sigs[i].name, n->sigs[i].name_len, key) ||
            memcmp(key, author, 32) == 0 || state_member_get(kv, key, &m) != CF_OK)
            continue;
        printf("%s%s", sep, m.name);
        sep = _(", ");
    }
    printf("\n");
    free(n);
}

static int log_read(store_txn *txn, const ledger_kv *kv, void *arg)
{
    struct log_job *j = arg;
    uint8_t key[32];
    store_feed f;
    state_network net;
    diag d;
    j->txn = txn;
    j->kv = kv;
    j->tz = state_network_get(kv, &net) == CF_OK ? net.tz_min : 480;
    if (cli_resolve_member(kv, j->h, j->feed_arg, key, &d) != CF_OK) return cli_fail(&d);
    int err = store_feed_get(txn, key, &f);
    if (err == CF_ENOTFOUND) f.size = 0;
    else if (err) return cli_failf(err, "reading the feed: %s", cf_strerror(err));
    if ((err = journal_feed_load(kv, key, &j->feed)) != 0)
        return cli_failf(err, "reading the feed: %s", cf_strerror(err));
    report_ctx c = {.kv = kv, .as_of = STATE_TIME_LATEST, .tz_min = j->tz};
    render_rows_begin(&j->out, j->fmt, &c, &journal_desc);
    char last[24];
    int index_width = snprintf(last, sizeof last, "%llu", (unsigned long long)(f.size ? f.size - 1 : 0));
    if (j->fmt == CLI_TABLE && f.size > 0)
        journal_table_begin(&j->table, _("INDEX"), index_width, j->tz);
    /* A member whose feed this home holds nothing of has an empty log. */
    err = f.size ? store_entries_each(txn, key, 0, f.size, log_entry, j) : CF_OK;
    if (err) return cli_failf(err, "reading the feed: %s", cf_strerror(err));
    if (j->fmt == CLI_TABLE && f.size == 0) printf(_("(feed %s is empty here)\n"), j->feed_arg);
    if (j->fmt == CLI_TABLE && f.size > 0) print_witnesses(txn, kv, j->h->self, key);
    return CLI_OK;
}

static int run_log(cli_env *env, const cli_args *a)
{
    struct log_job j = {.feed_arg = a->npos ? a->pos[0] : "self", .fmt = cli_get_format(a)};
    int rc;
    if ((rc = cli_open_home(env, HOME_RDONLY, &j.h)) != 0) return rc;
    rc = render_rows_end(&j.out, cli_read(j.h, log_read, &j));
    cli_close_home(j.h);
    return rc;
}

/* ---- show --------------------------------------------------------------- */

struct show_job {
    home *h;
    const char *arg;
    enum cli_format fmt;
};

static int show_read(store_txn *txn, const ledger_kv *kv, void *arg)
{
    struct show_job *j = arg;
    uint8_t key[32], leaf[32];
    uint64_t index;
    const uint8_t *bytes;
    size_t len;
    entry e;
    diag d;
    state_network net;
    int32_t tz = state_network_get(kv, &net) == CF_OK ? net.tz_min : 480;
    if (cli_parse_feed_index(kv, j->h, j->arg, key, &index, &d) != CF_OK) return cli_fail(&d);
    int err = store_entry_get(txn, key, index, &bytes, &len);
    if (err == CF_ENOTFOUND) return cli_failf(err, "%s: no such entry here", j->arg);
    if (err) return cli_failf(err, "reading %s: %s", j->arg, cf_strerror(err));
    merkle_leaf_hash(bytes, len, leaf);
    if (entry_decode(bytes, len, &e, &d) != CF_OK) {
        diag_prefix(&d, "%s does not decode", j->arg);
        return cli_fail(&d);
    }
    if (j->fmt == CLI_JSON) {
        json_t *o = render_entry_json(kv, &e, leaf, tz);
        cli_print_json(o);
        json_decref(o);
    } else {
        render_entry_text(stdout, kv, &e, leaf, tz);
    }
    return CLI_OK;
}

static int run_show(cli_env *env, const cli_args *a)
{
    struct show_job j = {.arg = a->pos[0], .fmt = cli_get_format(a)};
    int rc;
    if ((rc = cli_open_home(env, HOME_RDONLY, &j.h)) != 0) return rc;
    rc = cli_read(j.h, show_read, &j);
    cli_close_home(j.h);
    return rc;
}

/* ---- checkpoint and proofs ---------------------------------------------- */

struct proof_job {
    home *h;
    int kind; /* 0 checkpoint, 1 inclusion, 2 consistency, 3 every checkpoint */
    const char *feed;
    uint64_t index, old_size, new_size;
};

/* `checkpoint --all`: one line per checkpoint held, "SIZE BASE64-ROOT". */
static int print_checkpoint_line(void *arg, uint64_t size, const char *text, size_t len)
{
    note n;
    checkpoint cp;
    char b64[64];
    (void)arg;
    int err = note_parse(text, len, &n);
    if (!err) err = checkpoint_parse(n.text, n.text_len, &cp);
    if (err) return cli_failf(CF_ESTORE_CORRUPT, "the stored checkpoint of size %llu: %s",
                              (unsigned long long)size, cf_strerror(err));
    cf_b64_encode(cp.root, 32, b64, sizeof b64);
    printf("%llu %s\n", (unsigned long long)size, b64);
    return CLI_OK;
}

static int proof_read(store_txn *txn, const ledger_kv *kv, void *arg)
{
    struct proof_job *j = arg;
    uint8_t key[32];
    const char *ckpt_text;
    size_t ckpt_len;
    uint64_t size;
    diag d;
    int err = j->kind == 1 ? cli_parse_feed_index(kv, j->h, j->feed, key, &j->index, &d)
                           : cli_resolve_member(kv, j->h, j->feed, key, &d);
    if (err) return cli_fail(&d);
    err = store_checkpoint_latest(txn, key, &size, &ckpt_text, &ckpt_len);
    if (err == CF_ENOTFOUND) return cli_failf(err, "no checkpoint of feed %s is held here", j->feed);
    if (err) return cli_failf(err, "reading checkpoints: %s", cf_strerror(err));
    if (j->kind == 0) {
        fwrite(ckpt_text, 1, ckpt_len, stdout);
        return CLI_OK;
    }
    if (j->kind == 3) {
        err = store_checkpoints_each(txn, key, print_checkpoint_line, NULL);
        if (err < 0) return cli_failf(err, "reading checkpoints: %s", cf_strerror(err));
        return err;
    }
    uint8_t hashes[MERKLE_PROOF_MAX][32];
    size_t n;
    if (j->kind == 1) {
        const uint8_t *bytes;
        size_t len;
        if (j->index >= size)
            return cli_failf(CF_ENOTFOUND, "%s: the latest checkpoint covers %llu entries", j->feed,
                             (unsigned long long)size);
        if ((err = store_entry_get(txn, key, j->index, &bytes, &len)) != 0 ||
            (err = store_inclusion_proof(txn, key, j->index, size, hashes, &n)) != 0)
            return cli_failf(err, "building the proof: %s", cf_strerror(err));
        size_t cap = 2 * (size_t)len + 8192 + n * 48;
        char *out = malloc(cap);
        size_t out_len;
        if (out == NULL) return cli_failf(CF_ENOMEM, "out of memory");
        err = tlog_proof_format(bytes, len, j->index, (const uint8_t(*)[32])hashes, n, ckpt_text,
                                ckpt_len, out, cap, &out_len);
        if (!err) fwrite(out, 1, out_len, stdout);
        free(out);
        return err ? cli_failf(err, "formatting the proof: %s", cf_strerror(err)) : CLI_OK;
    }
    if (j->old_size == 0 || j->old_size > j->new_size)
        return cli_failf(CF_EINVAL, "need 0 < OLD <= NEW <= %llu (the feed's size here)",
                         (unsigned long long)size);
    if (j->new_size > size) /* like an index beyond the feed: bad input, not usage */
        return cli_failf(CF_ENOTFOUND, "%s: the latest checkpoint covers %llu entries, not %llu",
                         j->feed, (unsigned long long)size, (unsigned long long)j->new_size);
    uint8_t old_root[32], new_root[32];
    char b64[64];
    if ((err = store_root(txn, key, j->old_size, old_root)) != 0 ||
        (err = store_root(txn, key, j->new_size, new_root)) != 0 ||
        (err = store_consistency_proof(txn, key, j->old_size, j->new_size, hashes, &n)) != 0)
        return cli_failf(err, "building the proof: %s", cf_strerror(err));
    printf("cofund/consistency-proof@v1\n");
    cf_b64_encode(old_root, 32, b64, sizeof b64);
    printf("old %llu %s\n", (unsigned long long)j->old_size, b64);
    cf_b64_encode(new_root, 32, b64, sizeof b64);
    printf("new %llu %s\n", (unsigned long long)j->new_size, b64);
    for (size_t i = 0; i < n; i++) {
        cf_b64_encode(hashes[i], 32, b64, sizeof b64);
        printf("%s\n", b64);
    }
    if (store_checkpoint_get(txn, key, j->new_size, &ckpt_text, &ckpt_len) == CF_OK) {
        printf("\n");
        fwrite(ckpt_text, 1, ckpt_len, stdout);
    }
    return CLI_OK;
}

static int run_proof(cli_env *env, struct proof_job *j)
{
    int rc = cli_open_home(env, HOME_RDONLY, &j->h);
    if (rc) return rc;
    rc = cli_read(j->h, proof_read, j);
    cli_close_home(j->h);
    return rc;
}

static int run_checkpoint(cli_env *env, const cli_args *a)
{
    struct proof_job j = {.kind = cli_get(a, "all") ? 3 : 0,
                          .feed = a->npos ? a->pos[0] : "self"};
    return run_proof(env, &j);
}

static int run_proof_inclusion(cli_env *env, const cli_args *a)
{
    struct proof_job j = {.kind = 1, .feed = a->pos[0]};
    return run_proof(env, &j);
}

static int run_proof_consistency(cli_env *env, const cli_args *a)
{
    struct proof_job j = {.kind = 2, .feed = a->pos[0]};
    if (cli_parse_u64(a->pos[1], &j.old_size) != CF_OK ||
        cli_parse_u64(a->pos[2], &j.new_size) != CF_OK)
        return cli_usage_error(a, "OLD and NEW are sizes of the feed (whole numbers)");
    return run_proof(env, &j);
}

/* ---- the commands ------------------------------------------------------------ */

const cli_cmd cli_cmd_members = {
    .name = "members",
    .opts = (const cli_opt[]){CLI_OPT_FORMAT, CLI_OPT_END},
    .summary = N_("the roster: every member's name, role and key"),
    .help = N_("Lists the members registered in the network: name, role, key and the governance "
            "entry that added each."),
    .example = "members --format csv",
    .run = run_members,
};

const cli_cmd cli_cmd_log = {
    .name = "log",
    .args = "[FEED]",
    .max_args = 1,
    .opts = (const cli_opt[]){CLI_OPT_FORMAT, CLI_OPT_END},
    .summary = N_("a feed's entries, one line each"),
    .help = N_("A feed's entries (FEED: a member's name or key, default this home's), one line "
            "each; entries not applied here are marked. The table ends with the latest "
            "checkpoint held and the members who witnessed it."),
    .example = "log investor-a",
    .run = run_log,
};

const cli_cmd cli_cmd_show = {
    .name = "show",
    .args = "FEED:INDEX",
    .min_args = 1,
    .max_args = 1,
    .opts = (const cli_opt[]){CLI_OPT_FORMAT2, CLI_OPT_END},
    .summary = N_("one entry, decoded"),
    .help = N_("One entry, decoded: its type, time, leaf hash and every field of its body."),
    .example = "show investor-a:0 --format json",
    .run = run_show,
};

const cli_cmd cli_cmd_checkpoint = {
    .name = "checkpoint",
    .args = "[FEED]",
    .max_args = 1,
    .opts = (const cli_opt[]){
        {"all", NULL, 0, 0, N_("every checkpoint held, one line each: SIZE BASE64-ROOT")},
        CLI_OPT_END},
    .summary = N_("the latest signed checkpoint held for a feed, with its cosignatures"),
    .help = N_("The latest signed checkpoint held for FEED (default this home's), C2SP "
            "tlog-checkpoint: the author's signature line, then the cosignatures this home holds."),
    .example = "checkpoint investor-a",
    .run = run_checkpoint,
};

const cli_cmd cli_cmd_proof_inclusion = {
    .name = "proof inclusion",
    .args = "FEED:INDEX",
    .min_args = 1,
    .max_args = 1,
    .opts = (const cli_opt[]){CLI_OPT_END},
    .summary = N_("a tlog-proof of one entry against the latest checkpoint"),
    .help = N_("A C2SP tlog-proof@v1 of the entry against the latest checkpoint held, the "
            "entry's bytes in its extra line: anyone can check it with the feed's verifier key."),
    .example = "proof inclusion investor-a:0",
    .run = run_proof_inclusion,
};

const cli_cmd cli_cmd_proof_consistency = {
    .name = "proof consistency",
    .args = "FEED OLD NEW",
    .min_args = 3,
    .max_args = 3,
    .opts = (const cli_opt[]){CLI_OPT_END},
    .summary = N_("an RFC 6962 consistency proof between two sizes of a feed"),
    .help = N_("An RFC 6962 consistency proof that the feed at size NEW extends the feed at size "
            "OLD (0 < OLD <= NEW <= the latest checkpoint's size)."),
    .example = "proof consistency investor-a 2 5",
    .run = run_proof_consistency,
};
