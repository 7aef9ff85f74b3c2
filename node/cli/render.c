/* render.c — entries for people (one-line summaries, field listings: in
 * their language, amounts in their unit, times as they read them) and for
 * programs (JSON, and the same summaries in English and exact yuan for JSON
 * and CSV: money as decimal strings, keys as hex, times both as ms and ISO
 * 8601). */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "ledger/amount.h"
#include "ledger/caltime.h"
#include "ledger/names.h"
#include "ledger/rules.h"
#include "table.h"

/* A message for whom the text is (`people`, a bool in scope): translated for
 * people, today's English for machines (N_ marks the id). */
#define TR(s) (people ? cf_tr(s) : (s))
/* An amount as amt() writes it. */
#define AMT_BYTES (CLI_AMOUNT_BYTES + 32)

/* For machines exact yuan ("1,234.00"); for people in their unit, named
 * unless it is English and yuan (whose text is the machines'). */
static const char *amt(bool people, int64_t fen, char out[AMT_BYTES])
{
    char n[CLI_AMOUNT_BYTES];
    if (!people) {
        amount_format(fen, out);
        return out;
    }
    cli_amount_text(fen, n);
    if (cli_unit() == CLI_UNIT_YUAN && cf_i18n_lang() == CF_LANG_EN)
        snprintf(out, AMT_BYTES, "%s", n);
    else /* the journal's table takes the amount and unit apart at the space */
        snprintf(out, AMT_BYTES, "%s %s", n, cli_unit_name());
    return out;
}

/* For machines ISO 8601 to the millisecond; for people cli_time_text. */
static const char *when(bool people, uint64_t ms, int32_t tz, char out[CLI_TIME_BYTES])
{
    if (people) cli_time_text(ms, tz, out);
    else caltime_format(ms, tz, out);
    return out;
}

static void label(const ledger_kv *kv, const uint8_t key[32], char *out, size_t cap)
{
    ledger_member_label(kv, key, out, cap);
}

/* A project an entry names, for `%.*s`: for people the identifier with its
 * display name (names_project_cell: "robotics（机器人产线）"), for
 * machines the identifier. Written to buf; returns its length. */
static int project_text(bool people, const ledger_kv *kv, entry_text t, char *buf, size_t cap)
{
    if (people && kv) names_project_cell(kv, t.s, t.n, buf, cap);
    else snprintf(buf, cap, "%.*s", (int)t.n, t.s);
    return (int)strlen(buf);
}
/* The two arguments of a `%.*s` naming project t (a local pj holds it). */
#define PROJ(t) project_text(people, kv, (t), pj, sizeof pj), pj

static void ratio_text(uint32_t n, uint32_t dn, char *out, size_t cap)
{
    snprintf(out, cap, "%u:%u", n, dn);
}

static void ref_text(const ledger_kv *kv, const entry_ref *r, char *out, size_t cap)
{
    char who[ENTRY_ID_BYTES_MAX + 1];
    label(kv, r->author, who, sizeof who);
    snprintf(out, cap, "%s#%llu", who, (unsigned long long)r->index);
}

/* The leasing parts' words (LEASE__PARTS order). */
static const char *const part_names[3] = {N_("down"), N_("financing"), N_("advance")};

/* The program line's kind-specific terms. */
static void program_terms(const body_program *p, bool people, char *out, size_t cap)
{
    char x[64], a[AMT_BYTES];
    const char *none = TR(N_("none"));
    switch (entry_program_kind(p)) {
    case PROGRAM_POOL:
        if (p->has_size) amt(people, p->size_fen, a);
        snprintf(out, cap, TR(N_("leverage %u, pool share %u:%u of losses, size %s")), p->leverage,
                 p->share_num, p->share_den, p->has_size ? a : none);
        break;
    case PROGRAM_LEASING: {
        const bool has[3] = {p->has_down, p->has_financing, p->has_advance};
        const pct_range r[3] = {p->down, p->financing, p->advance};
        size_t n = 0;
        out[0] = '\0';
        for (int i = 0; i < 3; i++)
            n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%s%s %u-%u%%",
                                  i ? ", " : "", TR(part_names[i]),
                                  has[i] ? r[i].min_pct : 0, has[i] ? r[i].max_pct : 100);
        break;
    }
    case PROGRAM_AWARD: {
        size_t n = (size_t)snprintf(out, cap, "%s", TR(N_("amounts")));
        for (size_t i = 0; i < p->nlevels && n < cap; i++) {
            amt(people, p->levels_fen[i], a);
            n += (size_t)snprintf(out + n, cap - n, "%s %s", i ? "," : "", a);
        }
        if (p->has_requires && n < cap)
            snprintf(out + n, cap - n, "%s",
                     TR(N_("; demonstration projects certified for the year only")));
        break;
    }
    case PROGRAM_SUBSIDY: {
        char c[AMT_BYTES], r[AMT_BYTES];
        snprintf(c, sizeof c, "%s", none);
        snprintf(r, sizeof r, "%s", none);
        if (p->has_cap) amt(people, p->cap_fen, c);
        if (p->has_recipient_cap) amt(people, p->recipient_cap_fen, r);
        if (p->has_budget) amt(people, p->budget_fen, a);
        snprintf(out, cap, TR(N_("%s subsidy, share %u:%u of the price, cap %s per unit, %s per "
                                 "recipient per year, budget %s")),
                 cert_kind_name(p->basis), p->share_num, p->share_den, c, r,
                 p->has_budget ? a : none);
        break;
    }
    default:
        ratio_text(p->ratio_num, p->ratio_den, x, sizeof x);
        snprintf(out, cap, TR(N_("ratio %s, window %u days")), x, p->window_days);
    }
}

void render_terms_text(const state_terms *t, char *out, size_t cap)
{
    render_terms_text_for(RENDER_MACHINE, t, out, cap);
}

void render_terms_text_for(enum render_for w, const state_terms *t, char *out, size_t cap)
{
    const bool people = w == RENDER_PEOPLE;
    const state_program *p = &t->terms;
    char a[AMT_BYTES];
    size_t n = 0;
    static const uint32_t part_bits[LEASE__PARTS] = {TERM_DOWN, TERM_FINANCING, TERM_ADVANCE};
    out[0] = '\0';
#define ADD(...) n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, __VA_ARGS__)
#define SEP (n ? ", " : "")
    if (t->stated & TERM_RATIO) ADD(TR(N_("%sratio %u:%u")), SEP, p->ratio_num, p->ratio_den);
    if (t->stated & TERM_WINDOW) ADD(TR(N_("%swindow %u days")), SEP, p->window_days);
    bool subsidy = p->pkind == PROGRAM_SUBSIDY; /* its cap is per unit, its share of the price */
    if (t->stated & TERM_CAP) {
        amt(people, p->cap_fen, a);
        if (p->cap_fen == 0 && subsidy) ADD(TR(N_("%sno cap per unit")), SEP);
        else if (p->cap_fen == 0) ADD(TR(N_("%sno cap per project")), SEP);
        else if (subsidy) ADD(TR(N_("%scap %s per unit")), SEP, a);
        else ADD(TR(N_("%scap %s per project")), SEP, a);
    }
    if (t->stated & TERM_BUDGET) {
        amt(people, p->budget_fen, a);
        if (p->budget_fen == 0) ADD(TR(N_("%sno annual budget")), SEP);
        else ADD(TR(N_("%sannual budget %s")), SEP, a);
    }
    if (t->stated & TERM_SIZE) {
        amt(people, p->size_fen, a);
        ADD(TR(N_("%ssize %s")), SEP, a);
    }
    if (t->stated & TERM_SHARE) {
        if (subsidy) ADD(TR(N_("%sshare %u:%u of the price")), SEP, p->share_num, p->share_den);
        else ADD(TR(N_("%spool share %u:%u")), SEP, p->share_num, p->share_den);
    }
    if (t->stated & TERM_LEVERAGE) ADD(TR(N_("%sleverage %u")), SEP, p->leverage);
    for (int i = 0; i < LEASE__PARTS; i++)
        if (t->stated & part_bits[i])
            ADD("%s%s %u-%u%%", SEP, TR(part_names[i]), p->part[i].min_pct, p->part[i].max_pct);
    if (t->stated & TERM_LEVELS) {
        ADD(TR(N_("%samounts")), SEP);
        for (size_t i = 0; i < p->nlevels; i++) {
            amt(people, p->levels_fen[i], a);
            ADD("%s %s", i ? "," : "", a);
        }
    }
#undef SEP
#undef ADD
}

/* Entry types as people read them (the English is the type's name). */
static const char *const type_words[ENTRY__TYPES] = {
    [ENTRY_GENESIS] = N_("entry type: genesis"),
    [ENTRY_MEMBER] = N_("entry type: member"),
    [ENTRY_PROGRAM] = N_("entry type: program"),
    [ENTRY_PROJECT] = N_("entry type: project"),
    [ENTRY_CONTRIBUTION] = N_("entry type: contribution"),
    [ENTRY_MATCH] = N_("entry type: match"),
    [ENTRY_EXIT] = N_("entry type: exit"),
    [ENTRY_DEPOSIT] = N_("entry type: deposit"),
    [ENTRY_WITHDRAW] = N_("entry type: withdraw"),
    [ENTRY_LOAN] = N_("entry type: loan"),
    [ENTRY_GUARANTEE] = N_("entry type: guarantee"),
    [ENTRY_REPAY] = N_("entry type: repay"),
    [ENTRY_DEFAULT] = N_("entry type: default"),
    [ENTRY_COMPENSATION] = N_("entry type: compensation"),
    [ENTRY_RELEASE] = N_("entry type: release"),
    [ENTRY_LEASE] = N_("entry type: lease"),
    [ENTRY_AWARD] = N_("entry type: award"),
    [ENTRY_REKEY] = N_("entry type: rekey"),
    [ENTRY_RETIRE] = N_("entry type: retire"),
    [ENTRY_REVERSAL] = N_("entry type: reversal"),
    [ENTRY_CLOSE] = N_("entry type: close"),
    [ENTRY_AMEND] = N_("entry type: amend"),
    [ENTRY_RENAME] = N_("entry type: rename"),
    [ENTRY_BOUND] = N_("entry type: bound"),
    [ENTRY_SUCCESSION] = N_("entry type: succession"),
    [ENTRY_CERTIFY] = N_("entry type: certify"),
    [ENTRY_REVOKE] = N_("entry type: revoke"),
    [ENTRY_SUBSIDY] = N_("entry type: subsidy"),
    [ENTRY_VALUATION] = N_("entry type: valuation"),
};

const char *render_type_text(enum entry_type t)
{
    const char *id = t > 0 && t < ENTRY__TYPES ? type_words[t] : NULL;
    const char *word = id ? cf_tr(id) : NULL;
    /* English, or a word the catalogue lacks: the type's name. */
    return word && word != id && strcmp(word, id) != 0 ? word : entry_type_name(t);
}

static int32_t network_tz(const ledger_kv *kv)
{
    state_network n;
    return state_network_get(kv, &n) == CF_OK ? n.tz_min : 0;
}

void render_summary(const ledger_kv *kv, const entry *e, char *out, size_t cap)
{
    render_summary_for(RENDER_PEOPLE, kv, e, out, cap);
}

void render_summary_for(enum render_for w, const ledger_kv *kv, const entry *e, char *out,
                        size_t cap)
{
    const bool people = w == RENDER_PEOPLE;
    char a[AMT_BYTES], who[ENTRY_ID_BYTES_MAX + 1], x[256], pj[NAMES_PROJECT_BYTES];
    switch (e->type) {
    case ENTRY_GENESIS:
        snprintf(out, cap, TR(N_("network \"%.*s\" created by %.*s")), (int)e->body.genesis.name.n,
                 e->body.genesis.name.s, (int)e->body.genesis.member.n, e->body.genesis.member.s);
        if (e->body.genesis.has_recovery && strlen(out) < cap)
            snprintf(out + strlen(out), cap - strlen(out), TR(N_("; %u of %zu recovery keys may "
                     "sign a new governance key")), (unsigned)e->body.genesis.quorum,
                     e->body.genesis.recovery.n);
        break;
    case ENTRY_SUCCESSION: /* R-SUCCEED */
        label(kv, e->body.succession.prev, who, sizeof who);
        snprintf(out, cap, TR(N_("governance continues under this key: %s's old key's feed closed at "
                 "%llu; %zu recovery signatures")), who,
                 (unsigned long long)e->body.succession.close, e->body.succession.sigs.n);
        break;
    case ENTRY_MEMBER:
        snprintf(out, cap, TR(N_("member %.*s added as %s")), (int)e->body.member.name.n,
                 e->body.member.name.s, role_name(e->body.member.role));
        if (e->body.member.has_display) /* R-RENAME */
            snprintf(out + strlen(out), cap - strlen(out), " (\"%.*s\")",
                     (int)e->body.member.display.n, e->body.member.display.s);
        break;
    case ENTRY_PROGRAM: {
        const body_program *p = &e->body.program;
        char terms[256];
        char op[NAMES_LABEL_BYTES];
        if (people) names_member(kv, p->operator_key, op, sizeof op); /* its display name */
        else label(kv, p->operator_key, op, sizeof op);
        program_terms(p, people, terms, sizeof terms);
        snprintf(out, cap, TR(N_("program %.*s (%.*s) run by %s, %s")), (int)p->id.n, p->id.s,
                 (int)p->kind.n, p->kind.s, op, terms);
        break;
    }
    case ENTRY_PROJECT:
        snprintf(out, cap, TR(N_("project %.*s \"%.*s\"")), (int)e->body.project.id.n,
                 e->body.project.id.s, (int)e->body.project.name.n, e->body.project.name.s);
        break;
    case ENTRY_CONTRIBUTION: {
        const body_contribution *b = &e->body.contribution;
        amt(people, b->amount_fen, a);
        if (b->has_program)
            snprintf(out, cap, TR(N_("contribution %s to %.*s round %.*s for program %.*s")), a,
                     PROJ(b->project), (int)b->round.n, b->round.s,
                     (int)b->program.n, b->program.s);
        else
            snprintf(out, cap, TR(N_("contribution %s to %.*s round %.*s")), a,
                     PROJ(b->project), (int)b->round.n, b->round.s);
        break;
    }
    case ENTRY_MATCH: {
        const body_match *b = &e->body.match;
        amt(people, b->amount_fen, a);
        snprintf(x, sizeof x, people ? cf_trn("%zu citation", "%zu citations", b->ncites)
                 : b->ncites == 1 ? "%zu citation" : "%zu citations", b->ncites);
        snprintf(out, cap, TR(N_("match %s by program %.*s in %.*s round %.*s, %s")), a,
                 (int)b->program.n, b->program.s, PROJ(b->project),
                 (int)b->round.n, b->round.s, x);
        break;
    }
    case ENTRY_EXIT: {
        char p[AMT_BYTES + 32] = "";
        amt(people, e->body.exit.amount_fen, a);
        if (e->body.exit.has_proceeds) {
            char pr[AMT_BYTES];
            amt(people, e->body.exit.proceeds_fen, pr);
            snprintf(p, sizeof p, TR(N_(", proceeds %s")), pr);
        }
        snprintf(out, cap, TR(N_("exit %s from %.*s%s")), a, PROJ(e->body.exit.project), p);
        break;
    }
    case ENTRY_VALUATION: /* R-MARK */
        amt(people, e->body.valuation.value_fen, a);
        snprintf(out, cap, TR(N_("valuation of %.*s at %s")), PROJ(e->body.valuation.project), a);
        break;
    case ENTRY_DEPOSIT:
    case ENTRY_WITHDRAW:
        amt(people, e->body.deposit.amount_fen, a);
        if (e->type == ENTRY_DEPOSIT)
            snprintf(out, cap, TR(N_("deposit %s into pool %.*s")), a,
                     (int)e->body.deposit.program.n, e->body.deposit.program.s);
        else
            snprintf(out, cap, TR(N_("withdrawal %s from pool %.*s")), a,
                     (int)e->body.deposit.program.n, e->body.deposit.program.s);
        break;
    case ENTRY_LOAN: {
        const body_loan *b = &e->body.loan;
        amt(people, b->amount_fen, a);
        snprintf(out, cap, TR(N_("loan %s to %.*s for %u months under pool %.*s")), a,
                 PROJ(b->project), b->term_months, (int)b->program.n, b->program.s);
        break;
    }
    case ENTRY_GUARANTEE:
        amt(people, e->body.guarantee.amount_fen, a);
        ref_text(kv, &e->body.guarantee.loan, x, sizeof x);
        snprintf(out, cap, TR(N_("guarantee of loan %s (%s) by pool %.*s")), x, a,
                 (int)e->body.guarantee.program.n, e->body.guarantee.program.s);
        break;
    case ENTRY_REPAY:
        amt(people, e->body.repay.amount_fen, a);
        ref_text(kv, &e->body.repay.loan, x, sizeof x);
        snprintf(out, cap, TR(N_("repayment %s of loan %s")), a, x);
        break;
    case ENTRY_DEFAULT:
        amt(people, e->body.loan_default.loss_fen, a);
        ref_text(kv, &e->body.loan_default.loan, x, sizeof x);
        snprintf(out, cap, TR(N_("default of loan %s, loss %s")), x, a);
        break;
    case ENTRY_COMPENSATION:
        amt(people, e->body.compensation.amount_fen, a);
        ref_text(kv, &e->body.compensation.default_ref, x, sizeof x);
        snprintf(out, cap, TR(N_("compensation %s by pool %.*s for default %s")), a,
                 (int)e->body.compensation.program.n, e->body.compensation.program.s, x);
        break;
    case ENTRY_RELEASE:
        amt(people, e->body.release.amount_fen, a);
        ref_text(kv, &e->body.release.repay, x, sizeof x);
        snprintf(out, cap, TR(N_("release of %s repaid (%s) from pool %.*s")), a, x,
                 (int)e->body.release.program.n, e->body.release.program.s);
        break;
    case ENTRY_LEASE: {
        const body_lease *b = &e->body.lease;
        char d[AMT_BYTES], f[AMT_BYTES], v[AMT_BYTES];
        amt(people, b->price_fen, a);
        amt(people, b->down_fen, d);
        amt(people, b->financing_fen, f);
        amt(people, b->advance_fen, v);
        snprintf(out, cap, TR(N_("lease of \"%.*s\" to %.*s for %s: down %s, financing %s, advance %s")),
                 (int)b->equipment.n, b->equipment.s, PROJ(b->project), a, d, f, v);
        break;
    }
    case ENTRY_AWARD:
        amt(people, e->body.award.amount_fen, a);
        snprintf(out, cap, TR(N_("award %s to %.*s for %u by program %.*s")), a,
                 PROJ(e->body.award.project), e->body.award.year,
                 (int)e->body.award.program.n, e->body.award.program.s);
        break;
    case ENTRY_REKEY: {
        char hex[CF_HEX32_BYTES];
        cf_hex_encode(e->body.rekey.key, 32, hex, sizeof hex);
        snprintf(out, cap, TR(N_("member %.*s rekeyed to %.16s; its old key's feed closed at %llu")),
                 (int)e->body.rekey.name.n, e->body.rekey.name.s, hex,
                 (unsigned long long)e->body.rekey.close);
        break;
    }
    case ENTRY_RETIRE:
        snprintf(out, cap, TR(N_("member %.*s retired; its feed closed at %llu")),
                 (int)e->body.retire.name.n, e->body.retire.name.s,
                 (unsigned long long)e->body.retire.close);
        break;
    case ENTRY_REVERSAL: /* R-REVERSE */
        ref_text(kv, &e->body.reversal.entry, x, sizeof x);
        amt(people, e->body.reversal.amount_fen, a);
        snprintf(out, cap, TR(N_("reversal of %s (%s): %.*s")), x, a, (int)e->body.reversal.reason.n,
                 e->body.reversal.reason.s);
        break;
    case ENTRY_CLOSE: { /* R-CLOSE */
        char t[CLI_TIME_BYTES];
        when(people, e->body.close.at, network_tz(kv), t);
        snprintf(out, cap, TR(N_("program %.*s closed: nothing new dated after %s")),
                 (int)e->body.close.program.n, e->body.close.program.s, t);
        break;
    }
    case ENTRY_AMEND: { /* R-AMEND */
        char t[CLI_TIME_BYTES], terms[256];
        state_terms st;
        state_program pg;
        state_terms_of_amend(&e->body.amend, &st);
        if (state_program_get(kv, e->body.amend.terms.id.s, e->body.amend.terms.id.n, &pg) == CF_OK)
            st.terms.pkind = pg.pkind; /* the wording of its kind's terms */
        render_terms_text_for(w, &st, terms, sizeof terms);
        when(people, e->body.amend.terms.start_ms, network_tz(kv), t);
        snprintf(out, cap, TR(N_("program %.*s amended from %s: %s")), (int)e->body.amend.terms.id.n,
                 e->body.amend.terms.id.s, t, terms);
        break;
    }
    case ENTRY_RENAME: /* R-RENAME */
        if (e->body.rename.has_project)
            snprintf(out, cap, TR(N_("project %.*s renamed \"%.*s\"")), (int)e->body.rename.project.n,
                     e->body.rename.project.s, (int)e->body.rename.name.n, e->body.rename.name.s);
        else if (e->body.rename.has_member)
            snprintf(out, cap, "member %.*s renamed \"%.*s\"", (int)e->body.rename.member.n,
                     e->body.rename.member.s, (int)e->body.rename.name.n, e->body.rename.name.s);
        else
            snprintf(out, cap, TR(N_("network renamed \"%.*s\"")), (int)e->body.rename.name.n,
                     e->body.rename.name.s);
        break;
    case ENTRY_BOUND: /* R-BOUND */
        amt(people, e->body.bound.amount_fen, a);
        snprintf(out, cap, TR(N_("sanity bound set to %s")), a);
        break;
    case ENTRY_CERTIFY: { /* R-CERT */
        const body_certify *b = &e->body.certify;
        char t[CLI_TIME_BYTES], u[CLI_TIME_BYTES] = "";
        int32_t tz = network_tz(kv);
        when(people, b->from, tz, t);
        if (b->has_until) when(people, b->until, tz, u);
        if (b->kind == CERT_FIRST_SET) {
            amt(people, b->price_fen, a);
            snprintf(x, sizeof x, TR(N_("maker of first-set product \"%.*s\" at %s")),
                     (int)b->product.n, b->product.s, a);
        } else if (b->kind == CERT_DEMONSTRATION) {
            snprintf(x, sizeof x, TR(N_("a demonstration project for %u")), b->year);
        } else {
            snprintf(x, sizeof x, "%s", TR(N_("a local equipment maker")));
        }
        if (b->has_until)
            snprintf(out, cap, TR(N_("%.*s certified %s from %s until %s")),
                     PROJ(b->project), x, t, u);
        else
            snprintf(out, cap, TR(N_("%.*s certified %s from %s")), PROJ(b->project), x, t);
        break;
    }
    case ENTRY_REVOKE: { /* R-CERT.2 */
        char t[CLI_TIME_BYTES];
        when(people, e->body.revoke.at, network_tz(kv), t);
        snprintf(out, cap, TR(N_("certification %llu revoked from %s")),
                 (unsigned long long)e->body.revoke.certification, t);
        break;
    }
    case ENTRY_SUBSIDY: { /* R-SUBSIDY */
        const body_subsidy *b = &e->body.subsidy;
        char p[AMT_BYTES], what[272];
        amt(people, b->amount_fen, a);
        amt(people, b->price_fen, p);
        if (b->has_lease) {
            ref_text(kv, &b->lease, x, sizeof x);
            snprintf(what, sizeof what, TR(N_("lease %s")), x);
        } else {
            snprintf(what, sizeof what, TR(N_("sale %.*s")), (int)b->sale.n, b->sale.s);
        }
        snprintf(x, sizeof x, people ? cf_trn("%u unit at %s", "%u units at %s", b->units)
                 : b->units == 1 ? "%u unit at %s" : "%u units at %s", b->units, p);
        snprintf(out, cap, TR(N_("subsidy %s to %.*s by program %.*s for %s (%s), "
                                 "certification %llu")),
                 a, PROJ(b->project), (int)b->program.n, b->program.s, what, x,
                 (unsigned long long)b->certification);
        break;
    }
    default:
        snprintf(out, cap, "?");
    }
    state_reversal rv; /* the entry's reversal, when one was applied here */
    size_t used = strlen(out);
    if (state_reversed_get(kv, e->author, e->index, &rv) == CF_OK && used < cap) {
        label(kv, e->author, who, sizeof who);
        snprintf(out + used, cap - used, TR(N_(" [reversed by %s#%llu]")), who,
                 (unsigned long long)rv.index);
    }
}

static json_t *text(entry_text t)
{
    return json_stringn(t.s, t.n);
}

static json_t *hex32(const uint8_t k[32])
{
    char h[CF_HEX32_BYTES];
    cf_hex_encode(k, 32, h, sizeof h);
    return json_string(h);
}

/* For machines exact decimal yuan ("500000.00"); for people amt()'s text. */
static json_t *money(bool people, int64_t fen)
{
    char a[AMT_BYTES];
    if (people) return json_string(amt(people, fen, a));
    amount_format_plain(fen, a);
    return json_string(a);
}
#define MONEY(fen) money(people, fen)

/* A time in ms: for machines the number; for people cli_time_text. */
static json_t *stamp(bool people, int32_t tz, uint64_t ms)
{
    char t[CLI_TIME_BYTES];
    return people ? json_string(when(people, ms, tz, t)) : json_integer((json_int_t)ms);
}

static json_t *member_ref(const ledger_kv *kv, const uint8_t key[32])
{
    char who[ENTRY_ID_BYTES_MAX + 1];
    label(kv, key, who, sizeof who);
    return json_pack("{s:o, s:s}", "key", hex32(key), "name", who);
}

static json_t *ref_json(const ledger_kv *kv, const entry_ref *r)
{
    return json_pack("{s:o, s:I, s:o}", "member", member_ref(kv, r->author), "index",
                     (json_int_t)r->index, "leaf", hex32(r->leaf));
}

static json_t *pct_json(bool has, pct_range r)
{
    return has ? json_pack("[i,i]", (int)r.min_pct, (int)r.max_pct) : json_null();
}

static json_t *program_json(const ledger_kv *kv, const body_program *p, bool people, int32_t tz)
{
    char x[64];
    json_t *o = json_pack("{s:o, s:o, s:o}", "id", text(p->id), "kind", text(p->kind), "operator",
                          member_ref(kv, p->operator_key));
    switch (entry_program_kind(p)) {
    case PROGRAM_POOL:
        json_object_set_new(o, "leverage", json_integer(p->leverage));
        json_object_set_new(o, "share", json_pack("[i,i]", (int)p->share_num, (int)p->share_den));
        if (p->has_size) json_object_set_new(o, "size", MONEY(p->size_fen));
        return o;
    case PROGRAM_LEASING:
        json_object_set_new(o, "down", pct_json(p->has_down, p->down));
        json_object_set_new(o, "financing", pct_json(p->has_financing, p->financing));
        json_object_set_new(o, "advance", pct_json(p->has_advance, p->advance));
        return o;
    case PROGRAM_AWARD: {
        json_t *levels = json_array();
        for (size_t i = 0; i < p->nlevels; i++) json_array_append_new(levels, MONEY(p->levels_fen[i]));
        json_object_set_new(o, "levels", levels);
        if (p->has_budget) json_object_set_new(o, "annual_budget", MONEY(p->budget_fen));
        if (p->has_requires) json_object_set_new(o, "requires", json_string(cert_kind_name(p->requires)));
        return o;
    }
    case PROGRAM_SUBSIDY:
        json_object_set_new(o, "basis", json_string(cert_kind_name(p->basis)));
        json_object_set_new(o, "share", json_pack("[i,i]", (int)p->share_num, (int)p->share_den));
        if (p->has_cap) json_object_set_new(o, "unit_cap", MONEY(p->cap_fen));
        if (p->has_recipient_cap) json_object_set_new(o, "recipient_cap", MONEY(p->recipient_cap_fen));
        if (p->has_budget) json_object_set_new(o, "annual_budget", MONEY(p->budget_fen));
        return o;
    default:
        break;
    }
    role_set_text(p->counterpart_roles, ",", x, sizeof x);
    json_object_set_new(o, "counterpart", json_string(x));
    json_object_set_new(o, "ratio", json_pack("[i,i]", (int)p->ratio_num, (int)p->ratio_den));
    json_object_set_new(o, "window_days", json_integer(p->window_days));
    json_object_set_new(o, "start_ms", stamp(people, tz, p->start_ms));
    if (p->has_cap) json_object_set_new(o, "project_cap", MONEY(p->cap_fen));
    if (p->has_budget) json_object_set_new(o, "annual_budget", MONEY(p->budget_fen));
    return o;
}

static json_t *body_json(const ledger_kv *kv, const entry *e, bool people, int32_t tz)
{
    switch (e->type) {
    case ENTRY_GENESIS: {
        const body_genesis *g = &e->body.genesis;
        json_t *o = json_pack("{s:o, s:o, s:i}", "name", text(g->name), "member",
                              text(g->member), "tz_minutes", (int)g->tz_min);
        if (g->has_recovery) {
            json_t *keys = json_array();
            for (size_t i = 0; i < g->recovery.n; i++)
                json_array_append_new(keys, hex32(g->recovery.keys[i]));
            json_object_set_new(o, "recovery", keys);
            json_object_set_new(o, "quorum", json_integer(g->quorum));
        }
        return o;
    }
    case ENTRY_SUCCESSION: {
        const body_succession *b = &e->body.succession;
        json_t *sigs = json_array();
        for (size_t i = 0; i < b->sigs.n; i++) {
            char sig[129];
            cf_hex_encode(b->sigs.sigs[i], 64, sig, sizeof sig);
            json_array_append_new(sigs, json_pack("{s:o, s:s}", "key", hex32(b->sigs.keys[i]),
                                                  "sig", sig));
        }
        return json_pack("{s:o, s:I, s:o}", "prev", hex32(b->prev), "close",
                         (json_int_t)b->close, "sigs", sigs);
    }
    case ENTRY_MEMBER: {
        json_t *o = json_pack("{s:o, s:s, s:o}", "key", hex32(e->body.member.key), "role",
                              role_name(e->body.member.role), "name", text(e->body.member.name));
        if (e->body.member.has_display)
            json_object_set_new(o, "display", text(e->body.member.display));
        return o;
    }
    case ENTRY_PROGRAM:
        return program_json(kv, &e->body.program, people, tz);
    case ENTRY_PROJECT: {
        json_t *o = json_pack("{s:o, s:o}", "id", text(e->body.project.id), "name",
                              text(e->body.project.name));
        if (e->body.project.has_kind) json_object_set_new(o, "kind", text(e->body.project.kind));
        return o;
    }
    case ENTRY_CONTRIBUTION: {
        const body_contribution *b = &e->body.contribution;
        json_t *o = json_pack("{s:o, s:o, s:o}", "project", text(b->project), "round",
                              text(b->round), "amount", MONEY(b->amount_fen));
        if (b->has_program) json_object_set_new(o, "program", text(b->program));
        return o;
    }
    case ENTRY_MATCH: {
        const body_match *b = &e->body.match;
        json_t *cites = json_array();
        for (size_t i = 0; i < b->ncites; i++) {
            const entry_cite *c = &b->cites[i];
            json_t *o = json_pack("{s:o, s:I, s:o, s:o}", "member", member_ref(kv, c->author),
                                  "index", (json_int_t)c->index, "leaf", hex32(c->leaf),
                                  "amount", MONEY(c->amount_fen));
            if (c->has_read) json_object_set_new(o, "read", json_integer((json_int_t)c->read));
            json_array_append_new(cites, o);
        }
        return json_pack("{s:o, s:o, s:o, s:o, s:o}", "program", text(b->program), "project",
                         text(b->project), "round", text(b->round), "amount",
                         MONEY(b->amount_fen), "cites", cites);
    }
    case ENTRY_EXIT: {
        json_t *o = json_pack("{s:o, s:o}", "project", text(e->body.exit.project), "amount",
                              MONEY(e->body.exit.amount_fen));
        if (e->body.exit.has_proceeds)
            json_object_set_new(o, "proceeds", MONEY(e->body.exit.proceeds_fen));
        return o;
    }
    case ENTRY_VALUATION:
        return json_pack("{s:o, s:o}", "project", text(e->body.valuation.project), "value",
                         MONEY(e->body.valuation.value_fen));
    case ENTRY_DEPOSIT:
    case ENTRY_WITHDRAW:
        return json_pack("{s:o, s:o}", "program", text(e->body.deposit.program), "amount",
                         MONEY(e->body.deposit.amount_fen));
    case ENTRY_LOAN:
        return json_pack("{s:o, s:o, s:o, s:i}", "program", text(e->body.loan.program), "project",
                         text(e->body.loan.project), "amount", MONEY(e->body.loan.amount_fen),
                         "term_months", (int)e->body.loan.term_months);
    case ENTRY_GUARANTEE:
        return json_pack("{s:o, s:o, s:o}", "program", text(e->body.guarantee.program), "loan",
                         ref_json(kv, &e->body.guarantee.loan), "amount",
                         MONEY(e->body.guarantee.amount_fen));
    case ENTRY_REPAY:
        return json_pack("{s:o, s:o}", "loan", ref_json(kv, &e->body.repay.loan), "amount",
                         MONEY(e->body.repay.amount_fen));
    case ENTRY_DEFAULT:
        return json_pack("{s:o, s:o}", "loan", ref_json(kv, &e->body.loan_default.loan), "loss",
                         MONEY(e->body.loan_default.loss_fen));
    case ENTRY_COMPENSATION:
        return json_pack("{s:o, s:o, s:o}", "program", text(e->body.compensation.program),
                         "default", ref_json(kv, &e->body.compensation.default_ref), "amount",
                         MONEY(e->body.compensation.amount_fen));
    case ENTRY_RELEASE:
        return json_pack("{s:o, s:o, s:o}", "program", text(e->body.release.program), "repay",
                         ref_json(kv, &e->body.release.repay), "amount",
                         MONEY(e->body.release.amount_fen));
    case ENTRY_LEASE: {
        const body_lease *b = &e->body.lease;
        return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "program", text(b->program),
                         "project", text(b->project), "equipment", text(b->equipment), "price",
                         MONEY(b->price_fen), "down", MONEY(b->down_fen), "financing",
                         MONEY(b->financing_fen), "advance", MONEY(b->advance_fen));
    }
    case ENTRY_AWARD:
        return json_pack("{s:o, s:o, s:o, s:i}", "program", text(e->body.award.program),
                         "project", text(e->body.award.project), "amount",
                         MONEY(e->body.award.amount_fen), "year", (int)e->body.award.year);
    case ENTRY_REKEY:
        return json_pack("{s:o, s:o, s:I}", "name", text(e->body.rekey.name), "key",
                         hex32(e->body.rekey.key), "close", (json_int_t)e->body.rekey.close);
    case ENTRY_RETIRE:
        return json_pack("{s:o, s:I}", "name", text(e->body.retire.name), "close",
                         (json_int_t)e->body.retire.close);
    case ENTRY_REVERSAL: {
        json_t *o = json_pack("{s:o, s:o, s:o}", "entry", ref_json(kv, &e->body.reversal.entry),
                              "amount", MONEY(e->body.reversal.amount_fen), "reason",
                              text(e->body.reversal.reason));
        if (e->body.reversal.has_read)
            json_object_set_new(o, "read", json_integer((json_int_t)e->body.reversal.read));
        return o;
    }
    case ENTRY_CLOSE:
        return json_pack("{s:o, s:o}", "program", text(e->body.close.program), "at",
                         stamp(people, tz, e->body.close.at));
    case ENTRY_AMEND: {
        const body_amend *b = &e->body.amend;
        const body_program *p = &b->terms;
        json_t *o = json_pack("{s:o, s:o}", "program", text(p->id), "from",
                              stamp(people, tz, p->start_ms));
        if (b->has_ratio) json_object_set_new(o, "ratio", json_pack("[i,i]", (int)p->ratio_num, (int)p->ratio_den));
        if (b->has_window) json_object_set_new(o, "window_days", json_integer(p->window_days));
        /* a cap or budget of 0 removes it: null */
        if (p->has_cap)
            json_object_set_new(o, "cap", p->cap_fen ? MONEY(p->cap_fen) : json_null());
        if (p->has_budget)
            json_object_set_new(o, "budget", p->budget_fen ? MONEY(p->budget_fen) : json_null());
        if (p->has_size) json_object_set_new(o, "size", MONEY(p->size_fen));
        if (b->has_share) json_object_set_new(o, "share", json_pack("[i,i]", (int)p->share_num, (int)p->share_den));
        if (b->has_leverage) json_object_set_new(o, "leverage", json_integer(p->leverage));
        if (p->has_down) json_object_set_new(o, "down", pct_json(true, p->down));
        if (p->has_financing) json_object_set_new(o, "financing", pct_json(true, p->financing));
        if (p->has_advance) json_object_set_new(o, "advance", pct_json(true, p->advance));
        if (b->has_levels) {
            json_t *l = json_array();
            for (size_t i = 0; i < p->nlevels; i++) json_array_append_new(l, MONEY(p->levels_fen[i]));
            json_object_set_new(o, "levels", l);
        }
        return o;
    }
    case ENTRY_RENAME: {
        json_t *o = json_pack("{s:o}", "name", text(e->body.rename.name));
        if (e->body.rename.has_project) json_object_set_new(o, "project", text(e->body.rename.project));
        if (e->body.rename.has_member) json_object_set_new(o, "member", text(e->body.rename.member));
        return o;
    }
    case ENTRY_BOUND:
        return json_pack("{s:o}", "amount", MONEY(e->body.bound.amount_fen));
    case ENTRY_CERTIFY: {
        const body_certify *b = &e->body.certify;
        json_t *o = json_pack("{s:s, s:o, s:o}", "kind", cert_kind_name(b->kind), "project",
                              text(b->project), "from", stamp(people, tz, b->from));
        if (b->has_until) json_object_set_new(o, "until", stamp(people, tz, b->until));
        if (b->has_year) json_object_set_new(o, "year", json_integer(b->year));
        if (b->has_batch) json_object_set_new(o, "batch", json_integer((json_int_t)b->batch));
        if (b->has_product) json_object_set_new(o, "product", text(b->product));
        if (b->has_price) json_object_set_new(o, "price", MONEY(b->price_fen));
        return o;
    }
    case ENTRY_REVOKE:
        return json_pack("{s:I, s:o}", "certification", (json_int_t)e->body.revoke.certification,
                         "at", stamp(people, tz, e->body.revoke.at));
    case ENTRY_SUBSIDY: {
        const body_subsidy *b = &e->body.subsidy;
        json_t *o = json_pack("{s:o, s:o, s:I, s:i, s:o, s:o}", "program", text(b->program),
                              "project", text(b->project), "certification",
                              (json_int_t)b->certification, "units", (int)b->units, "price",
                              MONEY(b->price_fen), "amount", MONEY(b->amount_fen));
        if (b->has_sale) json_object_set_new(o, "sale", text(b->sale));
        if (b->has_lease) json_object_set_new(o, "lease", ref_json(kv, &b->lease));
        return o;
    }
    default:
        return json_object();
    }
}

/* The entry's fields, for machines (render_entry_json) or for people (the
 * values of render_entry_text's listing). */
static json_t *entry_json(const ledger_kv *kv, const entry *e, const uint8_t leaf[32],
                          int32_t tz_min, bool people)
{
    char t[CLI_TIME_BYTES];
    when(people, e->time_ms, tz_min, t);
    json_t *o = json_pack("{s:o, s:I, s:s, s:I, s:s, s:I, s:o, s:o}", "author",
                          member_ref(kv, e->author), "index", (json_int_t)e->index, "type",
                          entry_type_name(e->type), "time_ms", (json_int_t)e->time_ms, "time", t,
                          "gov", (json_int_t)e->gov, "leaf", hex32(leaf), "body",
                          body_json(kv, e, people, tz_min));
    if (e->has_net) json_object_set_new(o, "net", hex32(e->net));
    state_reversal rv; /* R-REVERSE: the link from a reversed entry to its reversal */
    if (state_reversed_get(kv, e->author, e->index, &rv) == CF_OK)
        json_object_set_new(o, "reversed_by",
                            json_pack("{s:o, s:I}", "author", member_ref(kv, e->author), "index",
                                      (json_int_t)rv.index));
    return o;
}

json_t *render_entry_json(const ledger_kv *kv, const entry *e, const uint8_t leaf[32],
                          int32_t tz_min)
{
    return entry_json(kv, e, leaf, tz_min, false);
}

static void print_flat(FILE *f, const char *path, json_t *v)
{
    char sub[256];
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x) {
            snprintf(sub, sizeof sub, "%s%s%s", path, path[0] ? "." : "", k);
            print_flat(f, sub, x);
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) {
            snprintf(sub, sizeof sub, "%s[%zu]", path, i);
            print_flat(f, sub, x);
        }
    } else if (json_is_string(v)) {
        fprintf(f, "%-28s %s\n", path, json_string_value(v));
    } else if (json_is_integer(v)) {
        fprintf(f, "%-28s %lld\n", path, (long long)json_integer_value(v));
    }
}

void render_entry_text(FILE *f, const ledger_kv *kv, const entry *e, const uint8_t leaf[32],
                       int32_t tz_min)
{
    json_t *o = entry_json(kv, e, leaf, tz_min, true);
    char summary[512];
    render_summary_for(RENDER_PEOPLE, kv, e, summary, sizeof summary);
    fprintf(f, "%s\n", summary);
    print_flat(f, "", o);
    json_decref(o);
}

/* ---- reports (ledger/report.h) as jansson values ------------------------------ */

typedef struct {
    json_t *stack[16]; /* the containers open, innermost last (borrowed) */
    int depth;
    json_t *root; /* the outermost container opened (owned until returned) */
} json_sink_state;

static void put(json_sink_state *j, const char *name, json_t *v)
{
    json_t *top = j->depth > 0 ? j->stack[j->depth - 1] : NULL;
    if (top == NULL) json_decref(v);
    else if (json_is_object(top)) json_object_set_new(top, name ? name : "", v);
    else json_array_append_new(top, v);
}

static void sink_text(void *arg, const char *name, const char *s)
{
    put(arg, name, json_string(s));
}

static void sink_count(void *arg, const char *name, int64_t n)
{
    put(arg, name, json_integer((json_int_t)n));
}

static void sink_flag(void *arg, const char *name, bool b)
{
    put(arg, name, json_boolean(b));
}

static void sink_null(void *arg, const char *name)
{
    put(arg, name, json_null());
}

static void sink_open(void *arg, const char *name, char bracket)
{
    json_sink_state *j = arg;
    json_t *v = bracket == '[' ? json_array() : json_object();
    if (j->depth == 0 && j->root == NULL) j->root = v;
    else put(j, name, v);
    if (j->depth < (int)(sizeof j->stack / sizeof j->stack[0])) j->stack[j->depth++] = v;
}

static void sink_close(void *arg, char bracket)
{
    json_sink_state *j = arg;
    (void)bracket;
    if (j->depth > 0) j->depth--;
}

static const report_sink json_sink = {sink_text, sink_count, sink_flag, sink_null, sink_open, sink_close};

json_t *render_report(const report_ctx *c, const report_desc *d, const void *row, json_t *into,
                      int *err)
{
    json_sink_state j = {.depth = 0};
    if (into) j.stack[j.depth++] = into;
    *err = report_write(c, d, row, NULL, &json_sink, &j);
    return into ? json_array_get(into, json_array_size(into) - 1) : j.root;
}

int render_program_json(const report_ctx *c, const state_program *pg, uint64_t pending,
                        json_t **out)
{
    report_program r;
    const report_desc *d;
    int err = report_program_load(c, pg, pending, &r, &d);
    *out = NULL;
    if (err) return err;
    *out = render_report(c, d, &r, NULL, &err);
    if (err) {
        json_decref(*out);
        *out = NULL;
    }
    return err;
}
