/* cmd_correct.c — mistakes corrected on the record: `reverse` (R-REVERSE,
 * docs/rules.md "Corrections"). Nothing is ever deleted or edited: the
 * author appends a reversal that moves every total back. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "crypto/cf_error.h"
#include "home/append.h"
#include "ledger/amount.h"
#include "ledger/state.h"
#include "table.h"

struct reverse_plan {
    home *h;
    const char *target;
    entry *e;
    char what[256];
};

/* The entry named: this home's own; its leaf and amount restated from the
 * state (a type that is not reversed is left for R-REVERSE.1 to name). */
static int plan_reverse(store_txn *txn, const ledger_kv *kv, void *arg)
{
    struct reverse_plan *p = arg;
    body_reversal *b = &p->e->body.reversal;
    state_contribution sc;
    state_credit cr;
    static state_entry_rec rec;
    char amt[CLI_AMOUNT_BYTES];
    diag d;
    (void)txn;
    int err = cli_parse_feed_index(kv, p->h, p->target, b->entry.author, &b->entry.index, &d);
    if (err) return cli_fail(&d);
    if (memcmp(b->entry.author, p->h->self, 32) != 0)
        return cli_failf(CF_EINVAL, "%s is not this home's entry: only an entry's own author "
                                    "reverses it (R-REVERSE.1)", p->target);
    const char *type = _("entry");
    if ((err = state_contribution_get(kv, b->entry.author, b->entry.index, &sc)) == CF_OK) {
        memcpy(b->entry.leaf, sc.leaf, 32);
        b->amount_fen = sc.amount_fen;
        type = cli_entry_word(ENTRY_CONTRIBUTION);
    } else if (err == CF_ENOTFOUND &&
               (err = state_credit_get(kv, b->entry.author, b->entry.index, &cr)) == CF_OK) {
        memcpy(b->entry.leaf, cr.leaf, 32);
        b->amount_fen = cr.amount_fen;
        type = cli_entry_word(cr.type);
    } else if (err == CF_ENOTFOUND &&
               (err = state_entry_rec_get(kv, b->entry.author, b->entry.index, &rec)) == CF_OK) {
        memcpy(b->entry.leaf, rec.leaf, 32);
        b->amount_fen = rec.amount_fen;
        type = cli_entry_word(rec.type);
    } else if (err != CF_ENOTFOUND) {
        return cli_failf(err, "reading the ledger state: %s", cf_strerror(err));
    }
    cli_amount_text(b->amount_fen, amt);
    /* TRANSLATORS: "reversal of contribution inv#0 (100.00 yuan)" */
    snprintf(p->what, sizeof p->what, _("reversal of %s %s#%llu (%s %s)"), type, p->h->name,
             (unsigned long long)b->entry.index, amt, cli_unit_name());
    return CLI_OK;
}

static int run_reverse(cli_env *env, const cli_args *a)
{
    entry e = {.type = ENTRY_REVERSAL};
    const char *reason = cli_get(a, "reason");
    home *h;
    int rc;
    if (!entry_name_valid(reason, strlen(reason)))
        return cli_usage_error(a, "--reason is 1-128 bytes of text without control characters");
    e.body.reversal.reason = entry_text_of(reason, strlen(reason));
    if ((rc = cli_open_home(env, 0, &h)) != 0) return rc;
    struct reverse_plan p = {.h = h, .target = a->pos[0], .e = &e};
    if ((rc = cli_read(h, plan_reverse, &p)) == CLI_OK)
        rc = cli_append_timed(env, h, &e, cli_get(a, "time"), p.what);
    cli_close_home(h);
    return rc;
}

const cli_cmd cli_cmd_reverse = {
    .name = "reverse",
    .args = "FEED:INDEX",
    .min_args = 1,
    .max_args = 1,
    .opts = (const cli_opt[]){
        {"reason", "TEXT", CLI_REQUIRED, 0, N_("why, in a few words (kept in the entry)")},
        CLI_OPT_TIME,
        CLI_OPT_DRY_RUN, CLI_OPT_YES, CLI_OPT_END},
    .summary = N_("the author reverses one of its own entries on the record"),
    .help = N_("The author reverses one of its own entries (any but a reversal: a contribution, "
            "a match, an exit, a pool's, a bank's, a lease or an award): a reversal entry, "
            "linked to it, moves every total it changed back exactly. Nothing is deleted: log "
            "and show list both. R-REVERSE decides when it is allowed (a contribution a match "
            "stands on is reversed only after that match is, a loan only before it is "
            "guaranteed, and so on)."),
    .example = "reverse team-x:3 --reason \"typo: 100,000 not 10,000,000,000,000\"",
    .run = run_reverse,
};
