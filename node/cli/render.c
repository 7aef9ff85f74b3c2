/* render.c — entries for people (one-line summaries, field listings: in
 * their language, amounts in their unit, times as they read them), and the
 * same summaries in English and exact yuan for JSON and CSV. The JSON of
 * entries and reports is render_json.c's. */
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
#include "render_internal.h"
#include "table.h"

/* A message for whom the text is (`people`, a bool in scope): translated for
 * people, today's English for machines (N_ marks the id). */
#define TR(s) (people ? cf_tr(s) : (s))
/* An amount as render__amount() writes it. */
#define RENDER_AMT_BYTES (CLI_AMOUNT_BYTES + 32)

/* For machines exact yuan ("1,234.00"); for people in their unit, named
 * unless it is English and yuan (whose text is the machines'). */
const char *render__amount(bool people, int64_t fen, char out[RENDER_AMT_BYTES])
{
    char n[CLI_AMOUNT_BYTES];
    if (!people) {
        amount_format(fen, out);
        return out;
    }
    cli_amount_text(fen, n);
    if (cli_unit() == CLI_UNIT_YUAN && cf_i18n_lang() == CF_LANG_EN)
        snprintf(out, RENDER_AMT_BYTES, "%s", n);
    else /* the journal's table takes the amount and unit apart at the space */
        snprintf(out, RENDER_AMT_BYTES, "%s %s", n, cli_unit_name());
    return out;
}

/* For machines ISO 8601 to the millisecond; for people cli_time_text. */
const char *render__time(bool people, uint64_t ms, int32_t tz, char out[CLI_TIME_BYTES])
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
    char x[64], a[RENDER_AMT_BYTES];
    const char *none = TR(N_("none"));
    switch (entry_program_kind(p)) {
    case PROGRAM_POOL:
        if (p->has_size) render__amount(people, p->size_fen, a);
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
            render__amount(people, p->levels_fen[i], a);
            n += (size_t)snprintf(out + n, cap - n, "%s %s", i ? "," : "", a);
        }
        if (p->has_requires && n < cap)
            snprintf(out + n, cap - n, "%s",
                     TR(N_("; demonstration projects certified for the year only")));
        break;
    }
    case PROGRAM_SUBSIDY: {
        char c[RENDER_AMT_BYTES], r[RENDER_AMT_BYTES];
        snprintf(c, sizeof c, "%s", none);
        snprintf(r, sizeof r, "%s", none);
        if (p->has_cap) render__amount(people, p->cap_fen, c);
        if (p->has_recipient_cap) render__amount(people, p->recipient_cap_fen, r);
        if (p->has_budget) render__amount(people, p->budget_fen, a);
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
    char a[RENDER_AMT_BYTES];
    size_t n = 0;
    static const uint32_t part_bits[LEASE__PARTS] = {TERM_DOWN, TERM_FINANCING, TERM_ADVANCE};
    out[0] = '\0';
#define ADD(...) n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, __VA_ARGS__)
#define SEP (n ? ", " : "")
    if (t->stated & TERM_RATIO) ADD(TR(N_("%sratio %u:%u")), SEP, p->ratio_num, p->ratio_den);
    if (t->stated & TERM_WINDOW) ADD(TR(N_("%swindow %u days")), SEP, p->window_days);
    bool subsidy = p->pkind == PROGRAM_SUBSIDY; /* its cap is per unit, its share of the price */
    if (t->stated & TERM_CAP) {
        render__amount(people, p->cap_fen, a);
        if (p->cap_fen == 0 && subsidy) ADD(TR(N_("%sno cap per unit")), SEP);
        else if (p->cap_fen == 0) ADD(TR(N_("%sno cap per project")), SEP);
        else if (subsidy) ADD(TR(N_("%scap %s per unit")), SEP, a);
        else ADD(TR(N_("%scap %s per project")), SEP, a);
    }
    if (t->stated & TERM_BUDGET) {
        render__amount(people, p->budget_fen, a);
        if (p->budget_fen == 0) ADD(TR(N_("%sno annual budget")), SEP);
        else ADD(TR(N_("%sannual budget %s")), SEP, a);
    }
    if (t->stated & TERM_SIZE) {
        render__amount(people, p->size_fen, a);
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
            render__amount(people, p->levels_fen[i], a);
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
    char a[RENDER_AMT_BYTES], who[ENTRY_ID_BYTES_MAX + 1], x[256], pj[NAMES_PROJECT_BYTES];
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
        render__amount(people, b->amount_fen, a);
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
        render__amount(people, b->amount_fen, a);
        snprintf(x, sizeof x, people ? cf_trn("%zu citation", "%zu citations", b->ncites)
                 : b->ncites == 1 ? "%zu citation" : "%zu citations", b->ncites);
        snprintf(out, cap, TR(N_("match %s by program %.*s in %.*s round %.*s, %s")), a,
                 (int)b->program.n, b->program.s, PROJ(b->project),
                 (int)b->round.n, b->round.s, x);
        break;
    }
    case ENTRY_EXIT: {
        char p[RENDER_AMT_BYTES + 32] = "";
        render__amount(people, e->body.exit.amount_fen, a);
        if (e->body.exit.has_proceeds) {
            char pr[RENDER_AMT_BYTES];
            render__amount(people, e->body.exit.proceeds_fen, pr);
            snprintf(p, sizeof p, TR(N_(", proceeds %s")), pr);
        }
        snprintf(out, cap, TR(N_("exit %s from %.*s%s")), a, PROJ(e->body.exit.project), p);
        break;
    }
    case ENTRY_VALUATION: /* R-MARK */
        render__amount(people, e->body.valuation.value_fen, a);
        snprintf(out, cap, TR(N_("valuation of %.*s at %s")), PROJ(e->body.valuation.project), a);
        break;
    case ENTRY_DEPOSIT:
    case ENTRY_WITHDRAW:
        render__amount(people, e->body.deposit.amount_fen, a);
        if (e->type == ENTRY_DEPOSIT)
            snprintf(out, cap, TR(N_("deposit %s into pool %.*s")), a,
                     (int)e->body.deposit.program.n, e->body.deposit.program.s);
        else
            snprintf(out, cap, TR(N_("withdrawal %s from pool %.*s")), a,
                     (int)e->body.deposit.program.n, e->body.deposit.program.s);
        break;
    case ENTRY_LOAN: {
        const body_loan *b = &e->body.loan;
        render__amount(people, b->amount_fen, a);
        snprintf(out, cap, TR(N_("loan %s to %.*s for %u months under pool %.*s")), a,
                 PROJ(b->project), b->term_months, (int)b->program.n, b->program.s);
        break;
    }
    case ENTRY_GUARANTEE:
        render__amount(people, e->body.guarantee.amount_fen, a);
        ref_text(kv, &e->body.guarantee.loan, x, sizeof x);
        snprintf(out, cap, TR(N_("guarantee of loan %s (%s) by pool %.*s")), x, a,
                 (int)e->body.guarantee.program.n, e->body.guarantee.program.s);
        break;
    case ENTRY_REPAY:
        render__amount(people, e->body.repay.amount_fen, a);
        ref_text(kv, &e->body.repay.loan, x, sizeof x);
        snprintf(out, cap, TR(N_("repayment %s of loan %s")), a, x);
        break;
    case ENTRY_DEFAULT:
        render__amount(people, e->body.loan_default.loss_fen, a);
        ref_text(kv, &e->body.loan_default.loan, x, sizeof x);
        snprintf(out, cap, TR(N_("default of loan %s, loss %s")), x, a);
        break;
    case ENTRY_COMPENSATION:
        render__amount(people, e->body.compensation.amount_fen, a);
        ref_text(kv, &e->body.compensation.default_ref, x, sizeof x);
        snprintf(out, cap, TR(N_("compensation %s by pool %.*s for default %s")), a,
                 (int)e->body.compensation.program.n, e->body.compensation.program.s, x);
        break;
    case ENTRY_RELEASE:
        render__amount(people, e->body.release.amount_fen, a);
        ref_text(kv, &e->body.release.repay, x, sizeof x);
        snprintf(out, cap, TR(N_("release of %s repaid (%s) from pool %.*s")), a, x,
                 (int)e->body.release.program.n, e->body.release.program.s);
        break;
    case ENTRY_LEASE: {
        const body_lease *b = &e->body.lease;
        char d[RENDER_AMT_BYTES], f[RENDER_AMT_BYTES], v[RENDER_AMT_BYTES];
        render__amount(people, b->price_fen, a);
        render__amount(people, b->down_fen, d);
        render__amount(people, b->financing_fen, f);
        render__amount(people, b->advance_fen, v);
        snprintf(out, cap, TR(N_("lease of \"%.*s\" to %.*s for %s: down %s, financing %s, advance %s")),
                 (int)b->equipment.n, b->equipment.s, PROJ(b->project), a, d, f, v);
        break;
    }
    case ENTRY_AWARD:
        render__amount(people, e->body.award.amount_fen, a);
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
        render__amount(people, e->body.reversal.amount_fen, a);
        snprintf(out, cap, TR(N_("reversal of %s (%s): %.*s")), x, a, (int)e->body.reversal.reason.n,
                 e->body.reversal.reason.s);
        break;
    case ENTRY_CLOSE: { /* R-CLOSE */
        char t[CLI_TIME_BYTES];
        render__time(people, e->body.close.at, network_tz(kv), t);
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
        render__time(people, e->body.amend.terms.start_ms, network_tz(kv), t);
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
        render__amount(people, e->body.bound.amount_fen, a);
        snprintf(out, cap, TR(N_("sanity bound set to %s")), a);
        break;
    case ENTRY_CERTIFY: { /* R-CERT */
        const body_certify *b = &e->body.certify;
        char t[CLI_TIME_BYTES], u[CLI_TIME_BYTES] = "";
        int32_t tz = network_tz(kv);
        render__time(people, b->from, tz, t);
        if (b->has_until) render__time(people, b->until, tz, u);
        if (b->kind == CERT_FIRST_SET) {
            render__amount(people, b->price_fen, a);
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
        render__time(people, e->body.revoke.at, network_tz(kv), t);
        snprintf(out, cap, TR(N_("certification %llu revoked from %s")),
                 (unsigned long long)e->body.revoke.certification, t);
        break;
    }
    case ENTRY_SUBSIDY: { /* R-SUBSIDY */
        const body_subsidy *b = &e->body.subsidy;
        char p[RENDER_AMT_BYTES], what[272];
        render__amount(people, b->amount_fen, a);
        render__amount(people, b->price_fen, p);
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
