/* rules_pool.c — the loan risk compensation pool (贷款风险补偿资金池):
 * R-POOL.1-8 (docs/rules.md has the arithmetic and worked examples).
 *
 *   R-POOL.1 a guarantee keeps loans outstanding <= leverage × balance
 *   R-POOL.2 a withdrawal keeps loans outstanding <= leverage × balance
 *   R-POOL.3 compensation = min(floor(share_num × loss / share_den), balance),
 *            exactly — 0 included: every default can be settled
 *   R-POOL.4 what a pool entry cites is what it claims: the right type, that
 *            leaf hash, a bank's entry under this pool (a bank's own loan
 *            for repayments and defaults), not later than the citing entry,
 *            the amount it restates, a loan the pool guarantees
 *   R-POOL.5 once: a loan is guaranteed once, defaults once, a default is
 *            compensated once, a repayment released once
 *   R-POOL.6 nothing below zero: the balance, a loan's principal, a
 *            guaranteed loan's outstanding
 *   (R-POOL.7, compensation paid <= deposited, is retired: R-POOL.3 never
 *            pays more than the balance, so it always holds)
 *   R-POOL.8 a deposit keeps the balance within the pool's size
 *   R-POOL.9 a loan guaranteed after its default is owed nothing: its
 *            compensation is 0 (which settles it)
 *
 * Determinism: the pool's figures live in its operator's feed (deposits,
 * withdrawals, guarantees, releases, compensation: series and records that
 * only that feed writes); a bank's loans, repayments and defaults in the
 * bank's feed. A bank's entry reads only its own feed; the operator's entries
 * read their own feed and the one bank entry they cite. Registration is
 * therefore split: the bank records its loan, and the loan enters the
 * pool's outstanding when the operator's guarantee cites it — the one place
 * the leverage bound is checked.
 */
#include <stdio.h>
#include <string.h>

#include "amount.h"
#include "caltime.h"
#include "crypto/cf_error.h"
#include "rules.h"
#include "rules_internal.h"

/* ---- the pool's figures (the operator's series) -------------------------- */

int64_t rules__pool_balance(const pool_figures *f)
{
    return f->deposited - f->withdrawn - f->compensated;
}

int64_t rules__pool_outstanding(const pool_figures *f)
{
    return f->guaranteed - f->released;
}

/* leverage × balance, saturated at INT64_MAX: every total it is compared
 * with is an int64, so the comparison stays exact. */
int64_t rules__leverage_bound(uint32_t leverage, int64_t balance)
{
    if (balance <= 0) return 0;
    return balance > INT64_MAX / (int64_t)leverage ? INT64_MAX : (int64_t)leverage * balance;
}

int rules__pool_read(rule_ctx *c, const char *program, pool_figures *f, diag *d)
{
    static const enum state_series_kind kinds[5] = {
        SERIES_POOL_DEPOSITED, SERIES_POOL_WITHDRAWN, SERIES_POOL_COMPENSATED,
        SERIES_POOL_GUARANTEED, SERIES_POOL_RELEASED};
    int64_t *out[5] = {&f->deposited, &f->withdrawn, &f->compensated, &f->guaranteed,
                       &f->released};
    for (int i = 0; i < 5; i++) {
        state_series s;
        int64_t current;
        state_series_program(&s, kinds[i], program);
        int err = rules__head_value(c, &s, &current);
        if (err) return rules__state_error(d, err, N_("pool totals"));
        *out[i] = current;
    }
    return CF_OK;
}

int rules__pool_add(rule_ctx *c, const entry *e, enum state_series_kind kind,
                     enum state_series_kind bank_kind, const char *bank, int64_t delta,
                     diag *d)
{
    state_series s;
    int err;
    state_series_program(&s, kind, c->program.id);
    if ((err = rules__add(c, &s, e->time_ms, delta, "pool totals", d)) != 0) return err;
    if (bank == NULL) return CF_OK;
    state_series_project(&s, bank_kind, c->program.id, bank);
    return rules__add(c, &s, e->time_ms, delta, "pool totals by bank", d);
}

int rules__bank_add(rule_ctx *c, const entry *e, enum state_series_kind kind,
                     const char *program, int64_t delta, diag *d)
{
    state_series s;
    state_series_project(&s, kind, program, c->author.name);
    return rules__add(c, &s, e->time_ms, delta, "the bank's totals", d);
}

/* An operator's entry e that stands on the bank entry r (delta +1), or its
 * reversal (-1): R-REVERSE.3 counts them as of a bank's reversal's read
 * point, and the record its own reversal reads. */
static int stands_on(rule_ctx *c, const entry *e, const entry_ref *r, int64_t released,
                     diag *d)
{
    int err = state_alloc_point_put(c->kv, r->author, r->index, e->author, e->index, 1);
    if (err) return rules__state_error(d, err, N_("what stands on entries"));
    return rules__record_instrument(c, e, c->program.id, "", 0, r, released, d);
}

/* ---- deposits and withdrawals (the operator) ------------------------------ */

int rules__check_deposit(rule_ctx *c, const entry *e, diag *d)
{
    const body_pool_funds *b = &e->body.deposit;
    const state_program *pg = &c->program;
    pool_figures f;
    state_series s;
    char a[AMOUNT_TEXT_BYTES], bal[AMOUNT_TEXT_BYTES], size[AMOUNT_TEXT_BYTES];
    int err;
    if ((err = rules__pool_read(c, pg->id, &f, d)) != 0) return err;
    state_series_program(&s, SERIES_POOL_DEPOSITED, pg->id);
    if ((err = rules__sum_fits(c, &s, b->amount_fen, N_("the pool's deposits"), d)) != 0)
        return err;
    int64_t balance = rules__pool_balance(&f);
    if (pg->has_size && b->amount_fen > pg->size_fen - balance) {
        amount_format(b->amount_fen, a);
        amount_format(balance, bal);
        amount_format(pg->size_fen, size);
        return diag_set(d, CF_EREJECTED, "R-POOL.8",
                        "deposit %s would take pool %s's balance %s over its size of %s", a,
                        pg->id, bal, size);
    }
    return CF_OK;
}

int rules__apply_deposit(rule_ctx *c, const entry *e, diag *d)
{
    int err = rules__record_instrument(c, e, c->program.id, "", 0, NULL, 0, d);
    return err ? err
               : rules__pool_add(c, e, SERIES_POOL_DEPOSITED, 0, NULL,
                                 e->body.deposit.amount_fen, d);
}

int rules__check_withdraw(rule_ctx *c, const entry *e, diag *d)
{
    const body_pool_funds *b = &e->body.withdraw;
    const state_program *pg = &c->program;
    pool_figures f;
    char a[AMOUNT_TEXT_BYTES], bal[AMOUNT_TEXT_BYTES], out[AMOUNT_TEXT_BYTES];
    int err;
    if ((err = rules__pool_read(c, pg->id, &f, d)) != 0) return err;
    int64_t balance = rules__pool_balance(&f), outstanding = rules__pool_outstanding(&f);
    amount_format(b->amount_fen, a);
    if (b->amount_fen > balance) {
        amount_format(balance, bal);
        return diag_set(d, CF_EREJECTED, "R-POOL.6", "withdrawal %s exceeds pool %s's balance %s",
                        a, pg->id, bal);
    }
    int64_t left = balance - b->amount_fen;
    if (outstanding > rules__leverage_bound(pg->leverage, left)) {
        amount_format(left, bal);
        amount_format(outstanding, out);
        return diag_set(d, CF_EREJECTED, "R-POOL.2",
                        "withdrawal %s would leave pool %s a balance of %s: loans outstanding %s "
                        "would exceed %u × %s",
                        a, pg->id, bal, out, pg->leverage, bal);
    }
    return CF_OK;
}

int rules__apply_withdraw(rule_ctx *c, const entry *e, diag *d)
{
    int err = rules__record_instrument(c, e, c->program.id, "", 0, NULL, 0, d);
    return err ? err
               : rules__pool_add(c, e, SERIES_POOL_WITHDRAWN, 0, NULL,
                                 e->body.withdraw.amount_fen, d);
}

/* ---- the bank's feed: loans, repayments, defaults ------------------------- */

int rules__check_loan(rule_ctx *c, const entry *e, diag *d)
{
    const body_loan *b = &e->body.loan;
    state_project pj;
    state_series s;
    int err = rules__project_as_of(c, b->project, e->gov, "R-REF", &pj, d);
    if (err) return err;
    state_series_project(&s, SERIES_BANK_LENT, c->program.id, c->author.name);
    return rules__sum_fits(c, &s, b->amount_fen, N_("the bank's loans under the pool"), d);
}

int rules__apply_loan(rule_ctx *c, const entry *e, diag *d)
{
    const body_loan *b = &e->body.loan;
    state_credit l = {.index = e->index, .type = ENTRY_LOAN, .time_ms = e->time_ms,
                      .amount_fen = b->amount_fen, .term_months = b->term_months};
    memcpy(l.author, e->author, 32);
    memcpy(l.leaf, c->leaf, 32);
    rules__cstr(b->program, l.program);
    rules__cstr(b->project, l.project);
    int err = state_credit_put(c->kv, &l);
    if (err) return rules__state_error(d, err, N_("loans"));
    return rules__bank_add(c, e, SERIES_BANK_LENT, l.program, b->amount_fen, d);
}

static const char *credit_what(enum entry_type t)
{
    return t == ENTRY_LOAN ? _("a loan") : t == ENTRY_REPAY ? _("a repayment") : _("a default");
}

/* R-POOL.4 for a cited credit entry (applied here): it exists as `type` with
 * the cited leaf hash. */
static int cited_credit(rule_ctx *c, const entry_ref *r, enum entry_type type,
                        state_credit *out, diag *d)
{
    char label[STATE_ID_CAP];
    unsigned long long idx = (unsigned long long)r->index;
    int err = state_credit_get(c->kv, r->author, r->index, out);
    if (err != CF_OK && err != CF_ENOTFOUND) return rules__state_error(d, err, N_("loans"));
    if (err == CF_ENOTFOUND || out->type != type) {
        ledger_member_label(c->kv, r->author, label, sizeof label);
        return diag_set(d, CF_EREJECTED, "R-POOL.4", "%s#%llu is not %s", label, idx,
                        credit_what(type));
    }
    if (memcmp(out->leaf, r->leaf, 32) != 0) {
        ledger_member_label(c->kv, r->author, label, sizeof label);
        return diag_set(d, CF_EREJECTED, "R-POOL.4",
                        "leaf hash cited for %s#%llu does not match the entry (stale or forged)",
                        label, idx);
    }
    return CF_OK;
}

/* R-POOL.4 for a repayment or default: it cites an earlier loan of its own
 * feed, or a loan of an earlier key of the same bank (R-KEY: the new key
 * settles what the old one lent; R-KEY.3 has applied the old feed first). */
static int own_loan(rule_ctx *c, const entry *e, const entry_ref *r, state_credit *loan,
                    diag *d)
{
    char label[STATE_ID_CAP];
    bool same_key = memcmp(r->author, e->author, 32) == 0, same_bank = same_key;
    int err;
    if (!same_key && (err = rules__same_member(c, r->author, &same_bank, d)) != 0) return err;
    if (!same_bank) {
        ledger_member_label(c->kv, r->author, label, sizeof label);
        return diag_set(d, CF_EREJECTED, "R-POOL.4",
                        "a bank records repayments and defaults of its own loans, not of %s's",
                        label);
    }
    if (same_key && r->index >= e->index)
        return diag_set(d, CF_EREJECTED, "R-POOL.4",
                        "it cites %s#%llu, not an earlier entry of its own feed", c->author.name,
                        (unsigned long long)r->index);
    if ((err = cited_credit(c, r, ENTRY_LOAN, loan, d)) != 0) return err;
    /* R-REVERSE.4: the bank's own feed (or its earlier key's, all applied:
     * R-KEY.3) reversed it, so every node reads the same */
    state_reversal rv;
    if ((err = state_reversed_get(c->kv, r->author, r->index, &rv)) == CF_ENOTFOUND) return CF_OK;
    if (err) return rules__state_error(d, err, N_("reversals"));
    ledger_member_label(c->kv, r->author, label, sizeof label);
    return diag_set(d, CF_EREJECTED, "R-REVERSE.4",
                    "loan %s#%llu was reversed by %s#%llu: a reversed entry is not cited", label,
                    (unsigned long long)r->index, label, (unsigned long long)rv.index);
}

int rules__check_repay(rule_ctx *c, const entry *e, diag *d)
{
    const body_repay *b = &e->body.repay;
    state_credit loan;
    char a[AMOUNT_TEXT_BYTES], p[AMOUNT_TEXT_BYTES];
    int err = own_loan(c, e, &b->loan, &loan, d);
    if (err) return err;
    int64_t principal = loan.defaulted ? 0 : loan.amount_fen - loan.repaid_fen;
    if (b->amount_fen > principal) {
        amount_format(b->amount_fen, a);
        amount_format(principal, p);
        return diag_set(d, CF_EREJECTED, "R-POOL.6",
                        "repayment %s exceeds loan %s#%llu's outstanding principal %s%s", a,
                        c->author.name, (unsigned long long)loan.index, p,
                        loan.defaulted ? _(" (it defaulted)") : "");
    }
    return CF_OK;
}

/* A repayment's or default's own record, then its loan's. */
static int record_on_loan(rule_ctx *c, const entry *e, const entry_ref *r, int64_t amount,
                          state_credit *loan, diag *d)
{
    int err = state_credit_get(c->kv, r->author, r->index, loan);
    if (err) return rules__state_error(d, err, N_("loans"));
    state_credit x = {.index = e->index, .type = e->type, .time_ms = e->time_ms,
                      .amount_fen = amount, .loan_index = r->index};
    memcpy(x.author, e->author, 32);
    memcpy(x.loan_author, r->author, 32);
    memcpy(x.leaf, c->leaf, 32);
    memcpy(x.program, loan->program, sizeof x.program);
    memcpy(x.project, loan->project, sizeof x.project);
    if ((err = state_credit_put(c->kv, &x)) != 0) return rules__state_error(d, err, N_("loans"));
    return CF_OK;
}

int rules__apply_repay(rule_ctx *c, const entry *e, diag *d)
{
    const body_repay *b = &e->body.repay;
    state_credit loan;
    int err = record_on_loan(c, e, &b->loan, b->amount_fen, &loan, d);
    if (err) return err;
    loan.repaid_fen += b->amount_fen;
    if ((err = state_credit_put(c->kv, &loan)) != 0) return rules__state_error(d, err, N_("loans"));
    return rules__bank_add(c, e, SERIES_BANK_REPAID, loan.program, b->amount_fen, d);
}

int rules__check_default(rule_ctx *c, const entry *e, diag *d)
{
    const body_default *b = &e->body.loan_default;
    state_credit loan;
    char a[AMOUNT_TEXT_BYTES], p[AMOUNT_TEXT_BYTES];
    int err = own_loan(c, e, &b->loan, &loan, d);
    if (err) return err;
    if (loan.defaulted)
        return diag_set(d, CF_EREJECTED, "R-POOL.5", "loan %s#%llu already defaulted",
                        c->author.name, (unsigned long long)loan.index);
    int64_t principal = loan.amount_fen - loan.repaid_fen;
    if (b->loss_fen > principal) {
        amount_format(b->loss_fen, a);
        amount_format(principal, p);
        return diag_set(d, CF_EREJECTED, "R-POOL.6",
                        "loss %s exceeds loan %s#%llu's outstanding principal %s", a,
                        c->author.name, (unsigned long long)loan.index, p);
    }
    return CF_OK;
}

int rules__apply_default(rule_ctx *c, const entry *e, diag *d)
{
    const body_default *b = &e->body.loan_default;
    state_credit loan;
    int err = record_on_loan(c, e, &b->loan, b->loss_fen, &loan, d);
    if (err) return err;
    loan.defaulted = true;
    loan.loss_fen = b->loss_fen;
    if ((err = state_credit_put(c->kv, &loan)) != 0) return rules__state_error(d, err, N_("loans"));
    if ((err = rules__bank_add(c, e, SERIES_BANK_LOSS, loan.program, b->loss_fen, d)) != 0)
        return err;
    return rules__bank_add(c, e, SERIES_BANK_DEFAULTS, loan.program, 1, d);
}

/* ---- the operator's feed: guarantees, releases, compensation --------------- */

/* R-POOL.4 for the bank entry an operator's entry cites: `what` it claims,
 * applied here (else pending), that leaf hash, by a bank as of gov, under
 * this pool, not later than the citing entry, and (amount >= 0) for exactly
 * that amount. */
static int cited_bank_entry(rule_ctx *c, const entry *e, const entry_ref *r,
                            enum entry_type type, const char *noun, int64_t amount,
                            state_credit *out, diag *d)
{
    state_member who;
    char label[STATE_ID_CAP], a1[AMOUNT_TEXT_BYTES], a2[AMOUNT_TEXT_BYTES];
    unsigned long long idx = (unsigned long long)r->index;
    int err = rules__cited_applied(c, r, noun, d);
    if (err == CF_OK) err = cited_credit(c, r, type, out, d);
    if (err) return err;
    ledger_member_label(c->kv, r->author, label, sizeof label);
    err = rules__member_as_of(c, r->author, e->gov, &who, d);
    if (err == CF_ENOTFOUND)
        return diag_set(d, CF_EREJECTED, "R-POOL.4",
                        "%s#%llu is by %s, not a member as of governance size %llu", label, idx,
                        label, (unsigned long long)e->gov);
    if (err) return err;
    if (who.role != ROLE_BANK)
        return diag_set(d, CF_EREJECTED, "R-POOL.4", "%s#%llu is by a %s, not a bank", label,
                        idx, role_name(who.role));
    if (strcmp(out->program, c->program.id) != 0)
        return diag_set(d, CF_EREJECTED, "R-POOL.4", "%s#%llu is under program %s, not %s",
                        label, idx, out->program, c->program.id);
    if (e->time_ms < out->time_ms) {
        char t1[CALTIME_TEXT_BYTES], t0[CALTIME_TEXT_BYTES];
        caltime_format(e->time_ms, c->net.tz_min, t1);
        caltime_format(out->time_ms, c->net.tz_min, t0);
        return diag_set(d, CF_EREJECTED, "R-POOL.4", "%s time %s is before %s#%llu (%s)",
                        entry_type_name(e->type), t1, label, idx, t0);
    }
    if (amount >= 0 && amount != out->amount_fen) {
        amount_format(amount, a1);
        amount_format(out->amount_fen, a2);
        return diag_set(d, CF_EREJECTED, "R-POOL.4", "%s amount %s is not %s#%llu's amount %s",
                        entry_type_name(e->type), a1, label, idx, a2);
    }
    return CF_OK;
}

/* The guarantee of the loan (author, loan_index), R-POOL.4 when none. */
static int guarantee_of(rule_ctx *c, const uint8_t author[32], uint64_t loan_index,
                        state_guarantee *g, diag *d)
{
    char label[STATE_ID_CAP];
    int err = state_guarantee_get(c->kv, author, loan_index, g);
    if (err == CF_ENOTFOUND) {
        ledger_member_label(c->kv, author, label, sizeof label);
        return diag_set(d, CF_EREJECTED, "R-POOL.4", "loan %s#%llu is not guaranteed by pool %s",
                        label, (unsigned long long)loan_index, c->program.id);
    }
    return err ? rules__state_error(d, err, N_("guarantees")) : CF_OK;
}

int rules__check_guarantee(rule_ctx *c, const entry *e, diag *d)
{
    const body_guarantee *b = &e->body.guarantee;
    const state_program *pg = &c->program;
    state_credit loan;
    state_guarantee g;
    pool_figures f;
    state_series s;
    char label[STATE_ID_CAP], a[AMOUNT_TEXT_BYTES], o[AMOUNT_TEXT_BYTES],
        bal[AMOUNT_TEXT_BYTES], name[STATE_ID_CAP];
    int err = cited_bank_entry(c, e, &b->loan, ENTRY_LOAN, N_("loan"), b->amount_fen, &loan, d);
    if (err) return err;
    err = state_guarantee_get(c->kv, b->loan.author, b->loan.index, &g);
    if (err == CF_OK) {
        ledger_member_label(c->kv, b->loan.author, label, sizeof label);
        return diag_set(d, CF_EREJECTED, "R-POOL.5",
                        "loan %s#%llu is already guaranteed (%s#%llu)", label,
                        (unsigned long long)b->loan.index, c->author.name,
                        (unsigned long long)g.index);
    }
    if (err != CF_ENOTFOUND) return rules__state_error(d, err, N_("guarantees"));
    if ((err = rules__pool_read(c, pg->id, &f, d)) != 0) return err;
    int64_t balance = rules__pool_balance(&f), after;
    if (!amount_add(rules__pool_outstanding(&f), b->amount_fen, &after) ||
        after > rules__leverage_bound(pg->leverage, balance)) {
        amount_format(b->amount_fen, a);
        amount_format(amount_add(rules__pool_outstanding(&f), b->amount_fen, &after) ? after : INT64_MAX, o);
        amount_format(balance, bal);
        return diag_set(d, CF_EREJECTED, "R-POOL.1",
                        "guarantee of %s would take loans outstanding under pool %s to %s, over "
                        "%u × its balance %s",
                        a, pg->id, o, pg->leverage, bal);
    }
    state_series_program(&s, SERIES_POOL_GUARANTEED, pg->id);
    if ((err = rules__sum_fits(c, &s, b->amount_fen, N_("the pool's guarantees"), d)) != 0)
        return err;
    if ((err = rules__member_name(c, b->loan.author, name, d)) != 0) return err;
    state_series_project(&s, SERIES_BANK_GUARANTEED, pg->id, name);
    return rules__sum_fits(c, &s, b->amount_fen, N_("the pool's guarantees of the bank"), d);
}

int rules__apply_guarantee(rule_ctx *c, const entry *e, diag *d)
{
    const body_guarantee *b = &e->body.guarantee;
    state_guarantee g = {.loan_index = b->loan.index, .index = e->index,
                         .time_ms = e->time_ms, .amount_fen = b->amount_fen};
    char name[STATE_ID_CAP];
    memcpy(g.loan_author, b->loan.author, 32);
    memcpy(g.program, c->program.id, sizeof g.program);
    int err = state_guarantee_put(c->kv, &g);
    if (err) return rules__state_error(d, err, N_("guarantees"));
    if ((err = stands_on(c, e, &b->loan, 0, d)) != 0) return err;
    if ((err = rules__member_name(c, b->loan.author, name, d)) != 0) return err;
    return rules__pool_add(c, e, SERIES_POOL_GUARANTEED, SERIES_BANK_GUARANTEED, name,
                           b->amount_fen, d);
}

int rules__check_release(rule_ctx *c, const entry *e, diag *d)
{
    const body_release *b = &e->body.release;
    state_credit repay;
    state_guarantee g;
    uint64_t earlier;
    char label[STATE_ID_CAP], a[AMOUNT_TEXT_BYTES], o[AMOUNT_TEXT_BYTES];
    int err = cited_bank_entry(c, e, &b->repay, ENTRY_REPAY, N_("repayment"), b->amount_fen,
                               &repay, d);
    if (err == CF_OK) err = guarantee_of(c, repay.loan_author, repay.loan_index, &g, d);
    if (err) return err;
    ledger_member_label(c->kv, b->repay.author, label, sizeof label);
    err = state_release_get(c->kv, b->repay.author, b->repay.index, &earlier);
    if (err == CF_OK)
        return diag_set(d, CF_EREJECTED, "R-POOL.5",
                        "repayment %s#%llu is already released (%s#%llu)", label,
                        (unsigned long long)b->repay.index, c->author.name,
                        (unsigned long long)earlier);
    if (err != CF_ENOTFOUND) return rules__state_error(d, err, N_("releases"));
    int64_t left = g.compensated ? 0 : g.amount_fen - g.released_fen;
    if (b->amount_fen > left) {
        amount_format(b->amount_fen, a);
        amount_format(left, o);
        return diag_set(d, CF_EREJECTED, "R-POOL.6",
                        "release %s exceeds loan %s#%llu's guaranteed outstanding %s%s", a, label,
                        (unsigned long long)g.loan_index, o,
                        g.compensated ? _(" (compensated)") : "");
    }
    return CF_OK;
}

int rules__apply_release(rule_ctx *c, const entry *e, diag *d)
{
    const body_release *b = &e->body.release;
    state_credit repay;
    state_guarantee g;
    char name[STATE_ID_CAP];
    int err = state_credit_get(c->kv, b->repay.author, b->repay.index, &repay);
    if (err == CF_OK) err = state_guarantee_get(c->kv, repay.loan_author, repay.loan_index, &g);
    if (err == CF_OK) err = state_release_put(c->kv, b->repay.author, b->repay.index, e->index);
    if (err) return rules__state_error(d, err, N_("guarantees"));
    g.released_fen += b->amount_fen;
    if ((err = state_guarantee_put(c->kv, &g)) != 0)
        return rules__state_error(d, err, N_("guarantees"));
    if ((err = stands_on(c, e, &b->repay, 0, d)) != 0) return err;
    if ((err = rules__member_name(c, b->repay.author, name, d)) != 0) return err;
    return rules__pool_add(c, e, SERIES_POOL_RELEASED, SERIES_BANK_RELEASED, name,
                           b->amount_fen, d);
}

/* What the pool owes for the default dflt of the loan g guarantees (R-POOL.3,
 * R-POOL.9): *rule says which rule decides it, *why (when not NULL) names
 * the reason in words. */
static int compensation_owed(rule_ctx *c, const state_program *pg, const state_credit *dflt,
                             const state_guarantee *g, int64_t *due, const char **rule,
                             char *why, size_t cap, diag *d)
{
    char t1[CALTIME_TEXT_BYTES], t0[CALTIME_TEXT_BYTES], x[AMOUNT_TEXT_BYTES],
        y[AMOUNT_TEXT_BYTES], z[AMOUNT_TEXT_BYTES];
    if (g->time_ms > dflt->time_ms) {
        /* R-POOL.9: the pool did not guarantee the loan when it defaulted. */
        caltime_format(g->time_ms, c->net.tz_min, t1);
        caltime_format(dflt->time_ms, c->net.tz_min, t0);
        *due = 0;
        *rule = "R-POOL.9";
        if (why)
            snprintf(why, cap,
                     _("the loan was guaranteed (%s#%llu, %s) after its default (%s): "
                       "the pool owes nothing for it, and a compensation of 0.00 settles it"),
                     c->author.name, (unsigned long long)g->index, t1, t0);
        return CF_OK;
    }
    pool_figures f;
    int err = rules__pool_read(c, pg->id, &f, d);
    if (err) return err;
    /* share_num <= 1000 and loss <= 10^15: the product fits (entry.h). */
    int64_t share = (int64_t)pg->share_num * dflt->amount_fen / (int64_t)pg->share_den;
    int64_t balance = rules__pool_balance(&f);
    *due = share < balance ? share : balance < 0 ? 0 : balance;
    *rule = "R-POOL.3";
    if (why) {
        amount_format(dflt->amount_fen, x);
        amount_format(share, y);
        amount_format(balance, z);
        if (*due == share)
            snprintf(why, cap, _("%u/%u × loss %s = %s (rounded down to the fen)"), pg->share_num,
                     pg->share_den, x, y);
        else
            snprintf(why, cap, _("%u/%u × loss %s = %s, limited to pool %s's balance %s"),
                     pg->share_num, pg->share_den, x, y, pg->id, z);
    }
    return CF_OK;
}

int rules__check_compensation(rule_ctx *c, const entry *e, diag *d)
{
    const body_compensation *b = &e->body.compensation;
    const state_program *pg = &c->program;
    state_credit dflt;
    state_guarantee g;
    char label[STATE_ID_CAP], a[AMOUNT_TEXT_BYTES], y[AMOUNT_TEXT_BYTES], why[DIAG_TEXT_BYTES];
    const char *rule;
    int64_t due;
    int err = cited_bank_entry(c, e, &b->default_ref, ENTRY_DEFAULT, N_("default"), -1, &dflt, d);
    if (err == CF_OK) err = guarantee_of(c, dflt.loan_author, dflt.loan_index, &g, d);
    if (err) return err;
    ledger_member_label(c->kv, b->default_ref.author, label, sizeof label);
    if (g.compensated)
        return diag_set(d, CF_EREJECTED, "R-POOL.5",
                        "default %s#%llu is already compensated (%s#%llu)", label,
                        (unsigned long long)b->default_ref.index, c->author.name,
                        (unsigned long long)g.compensation_index);
    if ((err = compensation_owed(c, pg, &dflt, &g, &due, &rule, why, sizeof why, d)) != 0)
        return err;
    if (b->amount_fen != due) {
        amount_format(b->amount_fen, a);
        amount_format(due, y);
        return diag_set(d, CF_EREJECTED, rule, "compensation %s for default %s#%llu is not %s: %s",
                        a, label, (unsigned long long)b->default_ref.index, y, why);
    }
    return CF_OK;
}

int ledger_compensation_due(const ledger_kv *kv, const state_program *pool,
                            const uint8_t bank[32], uint64_t index, int64_t *due, diag *d)
{
    rule_ctx c = {.kv = kv};
    state_credit dflt;
    state_guarantee g;
    char label[STATE_ID_CAP];
    const char *rule;
    int err = state_network_get(kv, &c.net);
    if (err) return rules__state_error(d, err, N_("the network"));
    err = state_member_get(kv, pool->operator_key, &c.author);
    if (err) return rules__state_error(d, err, N_("members"));
    c.program = *pool;
    err = state_credit_get(kv, bank, index, &dflt);
    if (err != CF_OK && err != CF_ENOTFOUND) return rules__state_error(d, err, N_("loans"));
    ledger_member_label(kv, bank, label, sizeof label);
    if (err == CF_ENOTFOUND || dflt.type != ENTRY_DEFAULT)
        return diag_set(d, CF_EREJECTED, "R-POOL.4", "%s#%llu is not a default", label,
                        (unsigned long long)index);
    if (strcmp(dflt.program, pool->id) != 0)
        return diag_set(d, CF_EREJECTED, "R-POOL.4", "%s#%llu is under program %s, not %s",
                        label, (unsigned long long)index, dflt.program, pool->id);
    if ((err = guarantee_of(&c, dflt.loan_author, dflt.loan_index, &g, d)) != 0) return err;
    if (g.compensated)
        return diag_set(d, CF_EREJECTED, "R-POOL.5",
                        "default %s#%llu is already compensated (%s#%llu)", label,
                        (unsigned long long)index, c.author.name,
                        (unsigned long long)g.compensation_index);
    char why[DIAG_TEXT_BYTES];
    if ((err = compensation_owed(&c, pool, &dflt, &g, due, &rule, why, sizeof why, d)) != 0)
        return err;
    diag_clear(d);
    snprintf(d->rule, sizeof d->rule, "%s", rule);
    snprintf(d->text, sizeof d->text, "%s", why);
    return CF_OK;
}

int rules__apply_compensation(rule_ctx *c, const entry *e, diag *d)
{
    const body_compensation *b = &e->body.compensation;
    state_credit dflt;
    state_guarantee g;
    char name[STATE_ID_CAP];
    int err = state_credit_get(c->kv, b->default_ref.author, b->default_ref.index, &dflt);
    if (err == CF_OK) err = state_guarantee_get(c->kv, dflt.loan_author, dflt.loan_index, &g);
    if (err) return rules__state_error(d, err, N_("guarantees"));
    /* The defaulted loan leaves the pool's outstanding: what was not
     * released yet is released now. */
    int64_t rest = g.amount_fen - g.released_fen;
    g.released_fen = g.amount_fen;
    g.compensated = true;
    g.compensation_index = e->index;
    g.compensation_fen = b->amount_fen;
    if ((err = state_guarantee_put(c->kv, &g)) != 0)
        return rules__state_error(d, err, N_("guarantees"));
    if ((err = stands_on(c, e, &b->default_ref, rest, d)) != 0) return err;
    if ((err = rules__member_name(c, b->default_ref.author, name, d)) != 0) return err;
    if ((err = rules__pool_add(c, e, SERIES_POOL_COMPENSATED, SERIES_BANK_COMPENSATED, name,
                        b->amount_fen, d)) != 0)
        return err;
    return rules__pool_add(c, e, SERIES_POOL_RELEASED, SERIES_BANK_RELEASED, name, rest, d);
}
