/* entry_golden.c — representative entries of every type, built both ways, and
 * their golden vectors (entry_golden.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/cf_error.h"
#include "entry_doc.h"
#include "entry_golden.h"
#include "entry_golden_internal.h"
#include "ledger/diag.h"
#include "ledger/entry.h"
#include "testutil.h"

void golden_fill32(uint8_t out[32], uint8_t first)
{
    for (unsigned i = 0; i < 32; i++) out[i] = (uint8_t)(first + i);
}

void golden_env_make(entry *e, enum entry_type t, uint64_t index, uint64_t gov)
{
    memset(e, 0, sizeof *e);
    e->type = t;
    e->has_net = t != ENTRY_GENESIS;
    if (e->has_net) golden_fill32(e->net, 0x40);
    golden_fill32(e->author, 0xa0);
    e->index = index;
    e->time_ms = T0_MS + index * 60000;
    e->gov = gov;
}

void golden_env_doc(doc *d, enum entry_type t, uint64_t index, uint64_t gov)
{
    memset(&d->env, 0, sizeof d->env);
    memset(&d->body, 0, sizeof d->body);
    d->used = 0;
    d->body_raw = false;
    m_set(&d->env, "v", V_uint(d, 1));
    if (t != ENTRY_GENESIS) m_set(&d->env, "net", V_bytes(d, 0x40, 32));
    m_set(&d->env, "author", V_bytes(d, 0xa0, 32));
    m_set(&d->env, "index", V_uint(d, index));
    m_set(&d->env, "time", V_uint(d, T0_MS + index * 60000));
    m_set(&d->env, "gov", V_uint(d, gov));
    m_set(&d->env, "type", V_text(d, entry_type_name(t)));
}

void make_genesis(entry *e)
{
    golden_env_make(e, ENTRY_GENESIS, 0, 0);
    e->body.genesis.name = TXT(NET_NAME);
    e->body.genesis.member = TXT(GOV_MEMBER);
    e->body.genesis.tz_min = 480;
}

void doc_genesis(doc *d)
{
    golden_env_doc(d, ENTRY_GENESIS, 0, 0);
    m_set(&d->body, "name", V_text(d, NET_NAME));
    m_set(&d->body, "member", V_text(d, GOV_MEMBER));
    m_set(&d->body, "tz", V_uint(d, 480));
}

void make_member(entry *e)
{
    golden_env_make(e, ENTRY_MEMBER, 1, 1);
    golden_fill32(e->body.member.key, 0x10);
    e->body.member.role = ROLE_INVESTOR;
    e->body.member.name = TXT(INVESTOR);
}

void doc_member(doc *d)
{
    golden_env_doc(d, ENTRY_MEMBER, 1, 1);
    m_set(&d->body, "key", V_bytes(d, 0x10, 32));
    m_set(&d->body, "role", V_text(d, "investor"));
    m_set(&d->body, "name", V_text(d, INVESTOR));
}

void make_program(entry *e)
{
    golden_env_make(e, ENTRY_PROGRAM, 2, 2);
    body_program *p = &e->body.program;
    p->id = TXT(PROGRAM_ID);
    p->kind = TXT("match");
    golden_fill32(p->operator_key, 0x70);
    p->counterpart_roles = ROLE_BIT(ROLE_TEAM);
    p->ratio_num = 1;
    p->ratio_den = 1;
    p->window_days = 180;
    p->has_cap = true;
    p->cap_fen = CAP_FEN;
    p->has_budget = true;
    p->budget_fen = BUDGET_FEN;
    p->start_ms = T0_MS;
}

void doc_program(doc *d)
{
    golden_env_doc(d, ENTRY_PROGRAM, 2, 2);
    m_set(&d->body, "id", V_text(d, PROGRAM_ID));
    m_set(&d->body, "kind", V_text(d, "match"));
    m_set(&d->body, "operator", V_bytes(d, 0x70, 32));
    m_set(&d->body, "counterpart", V_texts(d, 1, (const char *const[]){"team"}));
    m_set(&d->body, "ratio", V_ratio(d, 1, 1));
    m_set(&d->body, "window_days", V_uint(d, 180));
    m_set(&d->body, "cap", V_uint(d, (uint64_t)CAP_FEN));
    m_set(&d->body, "budget", V_uint(d, (uint64_t)BUDGET_FEN));
    m_set(&d->body, "start", V_uint(d, T0_MS));
}

void make_program_min(entry *e)
{
    make_program(e);
    body_program *p = &e->body.program;
    p->has_cap = p->has_budget = false;
    p->cap_fen = p->budget_fen = 0;
    p->counterpart_roles = ROLE_BIT(ROLE_INVESTOR) | ROLE_BIT(ROLE_TEAM);
    p->ratio_num = 3;
    p->ratio_den = 7;
    p->window_days = WINDOW_DAYS_MAX;
}

void doc_program_min(doc *d)
{
    doc_program(d);
    m_del(&d->body, "cap");
    m_del(&d->body, "budget");
    m_set(&d->body, "counterpart", V_texts(d, 2, (const char *const[]){"investor", "team"}));
    m_set(&d->body, "ratio", V_ratio(d, 3, 7));
    m_set(&d->body, "window_days", V_uint(d, WINDOW_DAYS_MAX));
}

void make_project(entry *e)
{
    golden_env_make(e, ENTRY_PROJECT, 3, 3);
    e->body.project.id = TXT(PROJECT_ID);
    e->body.project.name = TXT(PROJECT_NAME);
    e->body.project.has_kind = true;
    e->body.project.kind = TXT(PROJECT_KIND);
}

void doc_project(doc *d)
{
    golden_env_doc(d, ENTRY_PROJECT, 3, 3);
    m_set(&d->body, "id", V_text(d, PROJECT_ID));
    m_set(&d->body, "name", V_text(d, PROJECT_NAME));
    m_set(&d->body, "kind", V_text(d, PROJECT_KIND));
}

void make_project_min(entry *e)
{
    make_project(e);
    e->body.project.has_kind = false;
    e->body.project.kind = TXT("");
}

void doc_project_min(doc *d)
{
    doc_project(d);
    m_del(&d->body, "kind");
}

void make_contribution(entry *e)
{
    golden_env_make(e, ENTRY_CONTRIBUTION, 300, 4);
    body_contribution *c = &e->body.contribution;
    c->project = TXT(PROJECT_ID);
    c->round = TXT(ROUND);
    c->amount_fen = CONTRIB_FEN;
    c->has_program = true;
    c->program = TXT(PROGRAM_ID);
}

void doc_contribution(doc *d)
{
    golden_env_doc(d, ENTRY_CONTRIBUTION, 300, 4);
    m_set(&d->body, "project", V_text(d, PROJECT_ID));
    m_set(&d->body, "round", V_text(d, ROUND));
    m_set(&d->body, "amount", V_uint(d, (uint64_t)CONTRIB_FEN));
    m_set(&d->body, "program", V_text(d, PROGRAM_ID));
}

void make_contribution_min(entry *e)
{
    make_contribution(e);
    e->body.contribution.has_program = false;
    e->body.contribution.program = TXT("");
}

void doc_contribution_min(doc *d)
{
    doc_contribution(d);
    m_del(&d->body, "program");
}

void cite_make(entry_cite *c, uint8_t author, uint64_t index, uint8_t leaf, int64_t fen)
{
    golden_fill32(c->author, author);
    c->index = index;
    golden_fill32(c->leaf, leaf);
    c->amount_fen = fen;
}

void cite_dmap(doc *d, dmap *m, uint8_t author, uint64_t index, uint8_t leaf, int64_t fen)
{
    memset(m, 0, sizeof *m);
    m_set(m, "author", V_bytes(d, author, 32));
    m_set(m, "index", V_uint(d, index));
    m_set(m, "leaf", V_bytes(d, leaf, 32));
    m_set(m, "amount", V_uint(d, (uint64_t)fen));
}

void make_match(entry *e)
{
    golden_env_make(e, ENTRY_MATCH, 24, 5);
    body_match *m = &e->body.match;
    m->program = TXT(PROGRAM_ID);
    m->project = TXT(PROJECT_ID);
    m->round = TXT(ROUND);
    m->amount_fen = CITE1_FEN + CITE2_FEN;
    m->ncites = 2;
    cite_make(&m->cites[0], 0x20, 300, 0x30, CITE1_FEN);
    cite_make(&m->cites[1], 0x60, 7, 0x80, CITE2_FEN);
}

void doc_match(doc *d)
{
    golden_env_doc(d, ENTRY_MATCH, 24, 5);
    dmap c1, c2;
    cite_dmap(d, &c1, 0x20, 300, 0x30, CITE1_FEN);
    cite_dmap(d, &c2, 0x60, 7, 0x80, CITE2_FEN);
    val cites[2] = {V_map(d, &c1), V_map(d, &c2)};
    m_set(&d->body, "program", V_text(d, PROGRAM_ID));
    m_set(&d->body, "project", V_text(d, PROJECT_ID));
    m_set(&d->body, "round", V_text(d, ROUND));
    m_set(&d->body, "amount", V_uint(d, (uint64_t)(CITE1_FEN + CITE2_FEN)));
    m_set(&d->body, "cites", V_array(d, 2, cites));
}

void make_exit(entry *e)
{
    golden_env_make(e, ENTRY_EXIT, 70000, 6);
    e->body.exit.project = TXT(PROJECT_ID);
    e->body.exit.amount_fen = EXIT_FEN;
}

void doc_exit(doc *d)
{
    golden_env_doc(d, ENTRY_EXIT, 70000, 6);
    m_set(&d->body, "project", V_text(d, PROJECT_ID));
    m_set(&d->body, "amount", V_uint(d, (uint64_t)EXIT_FEN));
}


size_t golden_bytes(size_t i, uint8_t *out)
{
    return tu_unhex(goldens[i].hex, out, ENTRY_BYTES_MAX);
}

static void text_equal(entry_text a, entry_text b)
{
    assert_int_equal(a.n, b.n);
    if (a.n) assert_memory_equal(a.s, b.s, a.n);
}

void entry_equal(const entry *a, const entry *b)
{
    assert_int_equal(a->type, b->type);
    assert_int_equal(a->has_net, b->has_net);
    if (a->has_net) assert_memory_equal(a->net, b->net, 32);
    assert_memory_equal(a->author, b->author, 32);
    assert_int_equal(a->index, b->index);
    assert_int_equal(a->time_ms, b->time_ms);
    assert_int_equal(a->gov, b->gov);
    switch (a->type) {
    case ENTRY_GENESIS:
        text_equal(a->body.genesis.name, b->body.genesis.name);
        text_equal(a->body.genesis.member, b->body.genesis.member);
        assert_int_equal(a->body.genesis.tz_min, b->body.genesis.tz_min);
        assert_int_equal(a->body.genesis.has_recovery, b->body.genesis.has_recovery);
        assert_int_equal(a->body.genesis.has_quorum, b->body.genesis.has_quorum);
        assert_int_equal(a->body.genesis.quorum, b->body.genesis.quorum);
        assert_int_equal(a->body.genesis.recovery.n, b->body.genesis.recovery.n);
        assert_memory_equal(a->body.genesis.recovery.keys, b->body.genesis.recovery.keys,
                            32 * a->body.genesis.recovery.n);
        break;
    case ENTRY_SUCCESSION:
        assert_memory_equal(a->body.succession.prev, b->body.succession.prev, 32);
        assert_int_equal(a->body.succession.close, b->body.succession.close);
        assert_int_equal(a->body.succession.sigs.n, b->body.succession.sigs.n);
        assert_memory_equal(a->body.succession.sigs.keys, b->body.succession.sigs.keys,
                            32 * a->body.succession.sigs.n);
        assert_memory_equal(a->body.succession.sigs.sigs, b->body.succession.sigs.sigs,
                            64 * a->body.succession.sigs.n);
        break;
    case ENTRY_MEMBER:
        assert_memory_equal(a->body.member.key, b->body.member.key, 32);
        assert_int_equal(a->body.member.role, b->body.member.role);
        text_equal(a->body.member.name, b->body.member.name);
        assert_int_equal(a->body.member.has_display, b->body.member.has_display);
        if (a->body.member.has_display) text_equal(a->body.member.display, b->body.member.display);
        break;
    case ENTRY_PROGRAM: {
        const body_program *p = &a->body.program, *q = &b->body.program;
        text_equal(p->id, q->id);
        text_equal(p->kind, q->kind);
        assert_memory_equal(p->operator_key, q->operator_key, 32);
        assert_int_equal(p->counterpart_roles, q->counterpart_roles);
        assert_int_equal(p->ratio_num, q->ratio_num);
        assert_int_equal(p->ratio_den, q->ratio_den);
        assert_int_equal(p->window_days, q->window_days);
        assert_int_equal(p->has_cap, q->has_cap);
        if (p->has_cap) assert_int_equal(p->cap_fen, q->cap_fen);
        assert_int_equal(p->has_budget, q->has_budget);
        if (p->has_budget) assert_int_equal(p->budget_fen, q->budget_fen);
        assert_int_equal(p->start_ms, q->start_ms);
        assert_int_equal(p->leverage, q->leverage);
        assert_int_equal(p->share_num, q->share_num);
        assert_int_equal(p->share_den, q->share_den);
        assert_int_equal(p->has_size, q->has_size);
        if (p->has_size) assert_int_equal(p->size_fen, q->size_fen);
        const bool hp[3] = {p->has_down, p->has_financing, p->has_advance},
                   hq[3] = {q->has_down, q->has_financing, q->has_advance};
        const pct_range rp[3] = {p->down, p->financing, p->advance},
                        rq[3] = {q->down, q->financing, q->advance};
        for (int i = 0; i < 3; i++) {
            assert_int_equal(hp[i], hq[i]);
            if (hp[i]) assert_memory_equal(&rp[i], &rq[i], sizeof rp[i]);
        }
        assert_int_equal(p->nlevels, q->nlevels);
        for (size_t i = 0; i < p->nlevels; i++) assert_int_equal(p->levels_fen[i], q->levels_fen[i]);
        assert_int_equal(p->has_requires, q->has_requires);
        if (p->has_requires) assert_int_equal(p->requires, q->requires);
        assert_int_equal(p->basis, q->basis);
        assert_int_equal(p->has_recipient_cap, q->has_recipient_cap);
        if (p->has_recipient_cap) assert_int_equal(p->recipient_cap_fen, q->recipient_cap_fen);
        break;
    }
    case ENTRY_CERTIFY: {
        const body_certify *p = &a->body.certify, *q = &b->body.certify;
        assert_int_equal(p->kind, q->kind);
        text_equal(p->project, q->project);
        const bool hp[] = {p->has_year, p->has_batch, p->has_product, p->has_price, p->has_until},
                   hq[] = {q->has_year, q->has_batch, q->has_product, q->has_price, q->has_until};
        assert_memory_equal(hp, hq, sizeof hp);
        if (p->has_year) assert_int_equal(p->year, q->year);
        if (p->has_batch) assert_int_equal(p->batch, q->batch);
        if (p->has_product) text_equal(p->product, q->product);
        if (p->has_price) assert_int_equal(p->price_fen, q->price_fen);
        if (p->has_until) assert_int_equal(p->until, q->until);
        assert_int_equal(p->from, q->from);
        break;
    }
    case ENTRY_REVOKE:
        assert_int_equal(a->body.revoke.certification, b->body.revoke.certification);
        assert_int_equal(a->body.revoke.at, b->body.revoke.at);
        break;
    case ENTRY_SUBSIDY: {
        const body_subsidy *p = &a->body.subsidy, *q = &b->body.subsidy;
        text_equal(p->program, q->program);
        text_equal(p->project, q->project);
        assert_int_equal(p->certification, q->certification);
        assert_int_equal(p->units, q->units);
        assert_int_equal(p->price_fen, q->price_fen);
        assert_int_equal(p->amount_fen, q->amount_fen);
        assert_int_equal(p->has_sale, q->has_sale);
        if (p->has_sale) text_equal(p->sale, q->sale);
        assert_int_equal(p->has_lease, q->has_lease);
        if (p->has_lease) assert_memory_equal(&p->lease, &q->lease, sizeof p->lease);
        break;
    }
    case ENTRY_PROJECT:
        text_equal(a->body.project.id, b->body.project.id);
        text_equal(a->body.project.name, b->body.project.name);
        assert_int_equal(a->body.project.has_kind, b->body.project.has_kind);
        if (a->body.project.has_kind) text_equal(a->body.project.kind, b->body.project.kind);
        break;
    case ENTRY_CONTRIBUTION: {
        const body_contribution *p = &a->body.contribution, *q = &b->body.contribution;
        text_equal(p->project, q->project);
        text_equal(p->round, q->round);
        assert_int_equal(p->amount_fen, q->amount_fen);
        assert_int_equal(p->has_program, q->has_program);
        if (p->has_program) text_equal(p->program, q->program);
        break;
    }
    case ENTRY_MATCH: {
        const body_match *p = &a->body.match, *q = &b->body.match;
        text_equal(p->program, q->program);
        text_equal(p->project, q->project);
        text_equal(p->round, q->round);
        assert_int_equal(p->amount_fen, q->amount_fen);
        assert_int_equal(p->ncites, q->ncites);
        for (size_t i = 0; i < p->ncites; i++) {
            assert_memory_equal(p->cites[i].author, q->cites[i].author, 32);
            assert_int_equal(p->cites[i].index, q->cites[i].index);
            assert_memory_equal(p->cites[i].leaf, q->cites[i].leaf, 32);
            assert_int_equal(p->cites[i].amount_fen, q->cites[i].amount_fen);
        }
        break;
    }
    case ENTRY_EXIT:
        text_equal(a->body.exit.project, b->body.exit.project);
        assert_int_equal(a->body.exit.amount_fen, b->body.exit.amount_fen);
        assert_int_equal(a->body.exit.has_proceeds, b->body.exit.has_proceeds);
        if (a->body.exit.has_proceeds)
            assert_int_equal(a->body.exit.proceeds_fen, b->body.exit.proceeds_fen);
        break;
    case ENTRY_VALUATION:
        text_equal(a->body.valuation.project, b->body.valuation.project);
        assert_int_equal(a->body.valuation.value_fen, b->body.valuation.value_fen);
        break;
    case ENTRY_DEPOSIT:
    case ENTRY_WITHDRAW:
        text_equal(a->body.deposit.program, b->body.deposit.program);
        assert_int_equal(a->body.deposit.amount_fen, b->body.deposit.amount_fen);
        break;
    case ENTRY_LOAN:
        text_equal(a->body.loan.program, b->body.loan.program);
        text_equal(a->body.loan.project, b->body.loan.project);
        assert_int_equal(a->body.loan.amount_fen, b->body.loan.amount_fen);
        assert_int_equal(a->body.loan.term_months, b->body.loan.term_months);
        break;
    case ENTRY_GUARANTEE:
    case ENTRY_REPAY:
    case ENTRY_DEFAULT:
    case ENTRY_COMPENSATION:
    case ENTRY_RELEASE: {
        entry_ref ra, rb;
        assert_int_equal(entry_refs(a, &ra, 1), 1);
        assert_int_equal(entry_refs(b, &rb, 1), 1);
        assert_memory_equal(&ra, &rb, sizeof ra);
        /* the amount is each body's last field but the program */
        const int64_t am[5][2] = {
            {a->body.guarantee.amount_fen, b->body.guarantee.amount_fen},
            {a->body.repay.amount_fen, b->body.repay.amount_fen},
            {a->body.loan_default.loss_fen, b->body.loan_default.loss_fen},
            {a->body.compensation.amount_fen, b->body.compensation.amount_fen},
            {a->body.release.amount_fen, b->body.release.amount_fen}};
        int k = a->type - ENTRY_GUARANTEE;
        assert_int_equal(am[k][0], am[k][1]);
        if (a->type != ENTRY_REPAY && a->type != ENTRY_DEFAULT)
            text_equal(a->body.guarantee.program, b->body.guarantee.program);
        break;
    }
    case ENTRY_LEASE: {
        const body_lease *p = &a->body.lease, *q = &b->body.lease;
        text_equal(p->program, q->program);
        text_equal(p->project, q->project);
        text_equal(p->equipment, q->equipment);
        assert_int_equal(p->price_fen, q->price_fen);
        assert_int_equal(p->down_fen, q->down_fen);
        assert_int_equal(p->financing_fen, q->financing_fen);
        assert_int_equal(p->advance_fen, q->advance_fen);
        break;
    }
    case ENTRY_AWARD:
        text_equal(a->body.award.program, b->body.award.program);
        text_equal(a->body.award.project, b->body.award.project);
        assert_int_equal(a->body.award.amount_fen, b->body.award.amount_fen);
        assert_int_equal(a->body.award.year, b->body.award.year);
        break;
    case ENTRY_REKEY:
    case ENTRY_RETIRE: /* the same body; a retire's key is zero */
        assert_memory_equal(a->body.rekey.key, b->body.rekey.key, 32);
        text_equal(a->body.rekey.name, b->body.rekey.name);
        assert_int_equal(a->body.rekey.close, b->body.rekey.close);
        break;
    case ENTRY_REVERSAL:
        assert_memory_equal(&a->body.reversal.entry, &b->body.reversal.entry, sizeof(entry_ref));
        assert_int_equal(a->body.reversal.amount_fen, b->body.reversal.amount_fen);
        assert_int_equal(a->body.reversal.has_read, b->body.reversal.has_read);
        if (a->body.reversal.has_read) assert_int_equal(a->body.reversal.read, b->body.reversal.read);
        text_equal(a->body.reversal.reason, b->body.reversal.reason);
        break;
    case ENTRY_CLOSE:
        text_equal(a->body.close.program, b->body.close.program);
        assert_int_equal(a->body.close.at, b->body.close.at);
        break;
    case ENTRY_AMEND: {
        const body_amend *p = &a->body.amend, *q = &b->body.amend;
        const body_program *x = &p->terms, *y = &q->terms;
        text_equal(x->id, y->id);
        assert_int_equal(x->start_ms, y->start_ms);
        const bool hp[] = {p->has_ratio, p->has_window, p->has_share, p->has_leverage,
                           p->has_levels, x->has_cap, x->has_budget, x->has_size,
                           x->has_down, x->has_financing, x->has_advance},
                   hq[] = {q->has_ratio, q->has_window, q->has_share, q->has_leverage,
                           q->has_levels, y->has_cap, y->has_budget, y->has_size,
                           y->has_down, y->has_financing, y->has_advance};
        assert_memory_equal(hp, hq, sizeof hp);
        if (p->has_ratio) assert_int_equal(x->ratio_num * 10000u + x->ratio_den,
                                           y->ratio_num * 10000u + y->ratio_den);
        if (p->has_window) assert_int_equal(x->window_days, y->window_days);
        if (p->has_share) assert_int_equal(x->share_num * 10000u + x->share_den,
                                           y->share_num * 10000u + y->share_den);
        if (p->has_leverage) assert_int_equal(x->leverage, y->leverage);
        if (x->has_cap) assert_int_equal(x->cap_fen, y->cap_fen);
        if (x->has_budget) assert_int_equal(x->budget_fen, y->budget_fen);
        if (x->has_size) assert_int_equal(x->size_fen, y->size_fen);
        if (x->has_down) assert_memory_equal(&x->down, &y->down, sizeof x->down);
        if (x->has_financing) assert_memory_equal(&x->financing, &y->financing, sizeof x->down);
        if (x->has_advance) assert_memory_equal(&x->advance, &y->advance, sizeof x->down);
        if (p->has_levels) {
            assert_int_equal(x->nlevels, y->nlevels);
            for (size_t i = 0; i < x->nlevels; i++) assert_int_equal(x->levels_fen[i], y->levels_fen[i]);
        }
        break;
    }
    case ENTRY_RENAME:
        text_equal(a->body.rename.name, b->body.rename.name);
        assert_int_equal(a->body.rename.has_project, b->body.rename.has_project);
        if (a->body.rename.has_project) text_equal(a->body.rename.project, b->body.rename.project);
        assert_int_equal(a->body.rename.has_member, b->body.rename.has_member);
        if (a->body.rename.has_member) text_equal(a->body.rename.member, b->body.rename.member);
        break;
    case ENTRY_BOUND:
        assert_int_equal(a->body.bound.amount_fen, b->body.bound.amount_fen);
        break;
    default:
        fail_msg("unexpected type %d", (int)a->type);
    }
}

void doc_by_name(const char *name)
{
    for (size_t i = 0; i < NGOLDENS; i++)
        if (strcmp(goldens[i].name, name) == 0) {
            goldens[i].doc(&g_doc);
            return;
        }
    fail_msg("no golden %s", name);
}

void doc_put_val(const char *path, val v)
{
    if (strncmp(path, "body.cites[0]", 13) == 0) {
        val cite = v;
        if (path[13] != '\0') {
            dmap c;
            cite_dmap(&g_doc, &c, 0x20, 1, 0x30, 5);
            m_set(&c, path + 14, v);
            cite = V_map(&g_doc, &c);
        }
        m_set(&g_doc.body, "cites", V_array(&g_doc, 1, &cite));
    } else if (strncmp(path, "body.", 5) == 0) {
        m_set(&g_doc.body, path + 5, v);
    } else if (strcmp(path, "body") == 0) {
        doc_set_body(&g_doc, v);
    } else {
        m_set(&g_doc.env, path, v);
    }
}

void doc_put(const char *path, const char *hex)
{
    doc_put_val(path, V_hex(&g_doc, hex));
}
