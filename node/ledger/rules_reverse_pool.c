/* rules_reverse_pool.c — the loan risk compensation pool's entries reversed
 * (R-REVERSE.3, docs/rules.md "Corrections: reversals"), and what each moves
 * back. The pool's own entries are its operator's and read only that feed:
 *
 *   deposit       the balance covers it and loans outstanding stay within
 *                 leverage × the balance left (as a withdrawal, R-POOL.6/.2)
 *   withdraw      the balance given back stays within the pool's size in
 *                 force (as a deposit, R-POOL.8)
 *   guarantee     nothing released or compensated it
 *   release       its guarantee was not compensated since, and the
 *                 outstanding it puts back stays within leverage × balance
 *   compensation  the balance given back stays within the size, and the
 *                 outstanding it released, put back, within leverage ×
 *                 the balance
 *
 * A bank's loan, repayment and default are the bank's; what stands on them
 * is the operator's (a guarantee, a release, a compensation), read as of the
 * reversal's read point of the operator's feed (rules__standing), as a
 * contribution's matches are:
 *
 *   loan          no repayment or default of it (the bank's own feed) and no
 *                 guarantee of it below the read point
 *   repay         no release of it below the read point
 *   default       no compensation of it below the read point
 */
#include <stdio.h>
#include <string.h>

#include "amount.h"
#include "crypto/cf_error.h"
#include "rules_internal.h"

/* c->program: the pool, with its terms in force at the reversal's time. */
static int load_pool(rule_ctx *c, const entry *e, const char *id, diag *d)
{
    int err = rules__program_get(c, id, strlen(id), &c->program);
    if (err) return rules__state_error(d, err, N_("programs"));
    return rules__terms_for(c, e, &c->program, false, d);
}

static int refuse(rule_ctx *c, const entry *e, enum entry_type type, diag *d,
                  const char *why)
{
    return diag_set(d, CF_EREJECTED, "R-REVERSE.3", "reversing %s %s#%llu: %s",
                    entry_type_name(type), c->author.name,
                    (unsigned long long)e->body.reversal.entry.index, why);
}

/* The pool after the reversal of a `type` entry: balance + dbalance,
 * outstanding + doutstanding; a balance that grows stays within the size
 * in force (R-POOL.8), and a change that raises outstanding or lowers the
 * balance keeps outstanding within leverage × balance (R-POOL.1). */
static int pool_after(rule_ctx *c, const entry *e, enum entry_type type, int64_t dbalance,
                      int64_t doutstanding, diag *d)
{
    const state_program *pg = &c->program;
    pool_figures f;
    char why[DIAG_TEXT_BYTES], a[AMOUNT_TEXT_BYTES], b[AMOUNT_TEXT_BYTES],
        o[AMOUNT_TEXT_BYTES];
    int err = rules__pool_read(c, pg->id, &f, d);
    if (err) return err;
    int64_t balance = rules__pool_balance(&f), outstanding = rules__pool_outstanding(&f);
    int64_t bal_after, out_after;
    if (!amount_add(balance, dbalance, &bal_after) ||
        !amount_add(outstanding, doutstanding, &out_after))
        return diag_set(d, CF_EREJECTED, "R-SUM", "pool %s's figures would overflow", pg->id);
    amount_format(balance, b);
    if (bal_after < 0) {
        amount_format(-dbalance, a);
        snprintf(why, sizeof why, _("it takes %s out of pool %s's balance %s"), a, pg->id, b);
        return refuse(c, e, type, d, why);
    }
    if (dbalance > 0 && pg->has_size && bal_after > pg->size_fen) {
        amount_format(dbalance, a);
        amount_format(pg->size_fen, o);
        snprintf(why, sizeof why,
                 _("it gives %s back to pool %s's balance %s, over its size of %s (R-POOL.8)"), a,
                 pg->id, b, o);
        return refuse(c, e, type, d, why);
    }
    if ((out_after > outstanding || bal_after < balance) &&
        out_after > rules__leverage_bound(pg->leverage, bal_after)) {
        amount_format(bal_after, a);
        amount_format(out_after, o);
        snprintf(why, sizeof why,
                 _("it would leave pool %s a balance of %s with loans outstanding %s, over %u × "
                   "%s (R-POOL.1)"),
                 pg->id, a, o, pg->leverage, a);
        return refuse(c, e, type, d, why);
    }
    return CF_OK;
}

/* The guarantee of the loan the bank entry `cited` is, or is of. */
static int guarantee_for(rule_ctx *c, const state_rec_cite *cited, state_guarantee *g,
                         diag *d)
{
    state_credit k;
    int err = state_credit_get(c->kv, cited->author, cited->index, &k);
    if (err == CF_OK)
        err = k.type == ENTRY_LOAN ? state_guarantee_get(c->kv, k.author, k.index, g)
                                   : state_guarantee_get(c->kv, k.loan_author, k.loan_index, g);
    return err ? rules__state_error(d, err, N_("guarantees")) : CF_OK;
}

int rules__check_reverse_pool(rule_ctx *c, const entry *e, const state_entry_rec *r, diag *d)
{
    state_guarantee g;
    char label[STATE_ID_CAP], why[DIAG_TEXT_BYTES];
    int err = load_pool(c, e, r->program, d);
    if (err) return err;
    switch (r->type) {
    case ENTRY_DEPOSIT: return pool_after(c, e, r->type, -r->amount_fen, 0, d);
    case ENTRY_WITHDRAW: return pool_after(c, e, r->type, r->amount_fen, 0, d);
    case ENTRY_GUARANTEE:
        if ((err = guarantee_for(c, &r->cites[0], &g, d)) != 0) return err;
        if (g.released_fen == 0 && !g.compensated) return CF_OK;
        ledger_member_label(c->kv, r->cites[0].author, label, sizeof label);
        snprintf(why, sizeof why,
                 _("loan %s#%llu is %s under it: %s reverses the %s first"), label,
                 (unsigned long long)r->cites[0].index,
                 g.compensated ? _("compensated") : _("partly released"), c->author.name,
                 g.compensated ? _("compensation") : _("releases"));
        return refuse(c, e, r->type, d, why);
    case ENTRY_RELEASE:
        if ((err = guarantee_for(c, &r->cites[0], &g, d)) != 0) return err;
        if (g.compensated) {
            snprintf(why, sizeof why,
                     "its loan's default was compensated since (%s#%llu): %s reverses the "
                     "compensation first",
                     c->author.name, (unsigned long long)g.compensation_index, c->author.name);
            return refuse(c, e, r->type, d, why);
        }
        return pool_after(c, e, r->type, 0, r->amount_fen, d);
    default: /* a compensation */
        return pool_after(c, e, r->type, r->amount_fen, r->disputed_fen, d);
    }
}

int rules__apply_reverse_pool(rule_ctx *c, const entry *e, const state_entry_rec *r, diag *d)
{
    state_guarantee g;
    char name[STATE_ID_CAP];
    const state_rec_cite *cited = &r->cites[0];
    int64_t amt = r->amount_fen;
    int err = load_pool(c, e, r->program, d);
    if (err) return err;
    switch (r->type) {
    case ENTRY_DEPOSIT: return rules__pool_add(c, e, SERIES_POOL_DEPOSITED, 0, NULL, -amt, d);
    case ENTRY_WITHDRAW: return rules__pool_add(c, e, SERIES_POOL_WITHDRAWN, 0, NULL, -amt, d);
    default: break;
    }
    if ((err = guarantee_for(c, cited, &g, d)) != 0 ||
        (err = rules__member_name(c, cited->author, name, d)) != 0)
        return err;
    /* what stood on the bank's entry stands no more (R-REVERSE.3) */
    if ((err = state_alloc_point_put(c->kv, cited->author, cited->index, e->author, e->index,
                                     -1)) != 0)
        return rules__state_error(d, err, N_("what stands on entries"));
    if (r->type == ENTRY_GUARANTEE) {
        g.reversed = true; /* the loan may be guaranteed again */
        if ((err = state_guarantee_put(c->kv, &g)) != 0)
            return rules__state_error(d, err, N_("guarantees"));
        return rules__pool_add(c, e, SERIES_POOL_GUARANTEED, SERIES_BANK_GUARANTEED, name, -amt,
                               d);
    }
    if (r->type == ENTRY_RELEASE) {
        g.released_fen -= amt;
        if ((err = state_guarantee_put(c->kv, &g)) != 0 ||
            (err = state_release_put(c->kv, cited->author, cited->index, STATE_RELEASE_NONE)) != 0)
            return rules__state_error(d, err, N_("guarantees"));
        return rules__pool_add(c, e, SERIES_POOL_RELEASED, SERIES_BANK_RELEASED, name, -amt, d);
    }
    /* a compensation: the default may be compensated again */
    g.released_fen -= r->disputed_fen;
    g.compensated = false;
    g.compensation_index = 0;
    g.compensation_fen = 0;
    if ((err = state_guarantee_put(c->kv, &g)) != 0)
        return rules__state_error(d, err, N_("guarantees"));
    if ((err = rules__pool_add(c, e, SERIES_POOL_COMPENSATED, SERIES_BANK_COMPENSATED, name,
                               -amt, d)) != 0)
        return err;
    return rules__pool_add(c, e, SERIES_POOL_RELEASED, SERIES_BANK_RELEASED, name,
                           -r->disputed_fen, d);
}

/* ---- the bank's entries ---------------------------------------------------- */

int rules__check_reverse_credit(rule_ctx *c, const entry *e, const state_credit *k, diag *d)
{
    char label[STATE_ID_CAP], why[DIAG_TEXT_BYTES], a[AMOUNT_TEXT_BYTES];
    int64_t sum;
    uint64_t last;
    int err = load_pool(c, e, k->program, d);
    if (err) return err;
    if (k->type == ENTRY_LOAN && (k->repaid_fen > 0 || k->defaulted)) {
        amount_format(k->repaid_fen, a);
        if (k->defaulted)
            snprintf(why, sizeof why, _("its default stands on it: %s reverses it first"),
                     c->author.name);
        else
            snprintf(why, sizeof why, _("repayments of %s stand on it: %s reverses them first"), a,
                     c->author.name);
        return refuse(c, e, k->type, d, why);
    }
    if ((err = rules__standing(c, e, &c->program, k->author, k->index, &sum, &last, d)) != 0)
        return err;
    if (sum <= 0) return CF_OK;
    ledger_member_label(c->kv, c->program.operator_key, label, sizeof label);
    snprintf(why, sizeof why, _("pool %s's %s#%llu %s it: %s reverses that first"),
             c->program.id, label, (unsigned long long)last,
             k->type == ENTRY_LOAN    ? _("guarantees")
             : k->type == ENTRY_REPAY ? _("releases")
                                      : _("compensates"),
             label);
    return refuse(c, e, k->type, d, why);
}

int rules__apply_reverse_credit(rule_ctx *c, const entry *e, const state_credit *k, diag *d)
{
    state_credit x = *k, loan;
    int err;
    x.reversed_ms = e->time_ms;
    if ((err = state_credit_put(c->kv, &x)) != 0) return rules__state_error(d, err, N_("loans"));
    if (k->type == ENTRY_LOAN)
        return rules__bank_add(c, e, SERIES_BANK_LENT, k->program, -k->amount_fen, d);
    if ((err = state_credit_get(c->kv, k->loan_author, k->loan_index, &loan)) != 0)
        return rules__state_error(d, err, N_("loans"));
    if (k->type == ENTRY_REPAY) {
        loan.repaid_fen -= k->amount_fen;
        if ((err = state_credit_put(c->kv, &loan)) != 0)
            return rules__state_error(d, err, N_("loans"));
        return rules__bank_add(c, e, SERIES_BANK_REPAID, k->program, -k->amount_fen, d);
    }
    loan.defaulted = false; /* the loan may be repaid, or default, again */
    loan.loss_fen = 0;
    if ((err = state_credit_put(c->kv, &loan)) != 0) return rules__state_error(d, err, N_("loans"));
    if ((err = rules__bank_add(c, e, SERIES_BANK_LOSS, k->program, -k->amount_fen, d)) != 0)
        return err;
    return rules__bank_add(c, e, SERIES_BANK_DEFAULTS, k->program, -1, d);
}
