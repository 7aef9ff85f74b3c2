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

#include "cf_error.h"
#include "diag.h"
#include "entry.h"
#include "entry_doc.h"
#include "entry_golden.h"
#include "testutil.h"

static void fill32(uint8_t out[32], uint8_t first)
{
    for (unsigned i = 0; i < 32; i++) out[i] = (uint8_t)(first + i);
}

#define T0_MS UINT64_C(1767574800000) /* 2026-01-05T09:00:00+08:00 */
#define NET_NAME "City co-investment network \xe5\x90\x88\xe6\x8a\x95" /* 合投 */
#define GOV_MEMBER "city-fund"
#define INVESTOR "investor-a"
#define PROGRAM_ID "incubation-2026"
#define PROJECT_ID "acme-robotics"
#define PROJECT_NAME "Acme Robotics \xe6\x9c\xba\xe5\x99\xa8\xe4\xba\xba" /* 机器人 */
#define PROJECT_KIND "intelligent manufacturing"
#define ROUND "seed"
#define CAP_FEN INT64_C(30000000)       /* 300,000.00 */
#define BUDGET_FEN INT64_C(600000000)   /* 6,000,000.00 */
#define CONTRIB_FEN INT64_C(50000000)   /* 500,000.00 */
#define CITE1_FEN INT64_C(20000000)
#define CITE2_FEN INT64_C(10000000)
#define EXIT_FEN INT64_C(1000000000000) /* needs an 8-byte uint */

/* Envelope patterns: net 40.., author a0.., keys 10.. / 70.., cites 20.. 30.. 60.. 80.. */
static void env_make(entry *e, enum entry_type t, uint64_t index, uint64_t gov)
{
    memset(e, 0, sizeof *e);
    e->type = t;
    e->has_net = t != ENTRY_GENESIS;
    if (e->has_net) fill32(e->net, 0x40);
    fill32(e->author, 0xa0);
    e->index = index;
    e->time_ms = T0_MS + index * 60000;
    e->gov = gov;
}

static void env_doc(doc *d, enum entry_type t, uint64_t index, uint64_t gov)
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
    env_make(e, ENTRY_GENESIS, 0, 0);
    e->body.genesis.name = TXT(NET_NAME);
    e->body.genesis.member = TXT(GOV_MEMBER);
    e->body.genesis.tz_min = 480;
}

void doc_genesis(doc *d)
{
    env_doc(d, ENTRY_GENESIS, 0, 0);
    m_set(&d->body, "name", V_text(d, NET_NAME));
    m_set(&d->body, "member", V_text(d, GOV_MEMBER));
    m_set(&d->body, "tz", V_uint(d, 480));
}

void make_member(entry *e)
{
    env_make(e, ENTRY_MEMBER, 1, 1);
    fill32(e->body.member.key, 0x10);
    e->body.member.role = ROLE_INVESTOR;
    e->body.member.name = TXT(INVESTOR);
}

void doc_member(doc *d)
{
    env_doc(d, ENTRY_MEMBER, 1, 1);
    m_set(&d->body, "key", V_bytes(d, 0x10, 32));
    m_set(&d->body, "role", V_text(d, "investor"));
    m_set(&d->body, "name", V_text(d, INVESTOR));
}

void make_program(entry *e)
{
    env_make(e, ENTRY_PROGRAM, 2, 2);
    body_program *p = &e->body.program;
    p->id = TXT(PROGRAM_ID);
    p->kind = TXT("match");
    fill32(p->operator_key, 0x70);
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
    env_doc(d, ENTRY_PROGRAM, 2, 2);
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
    env_make(e, ENTRY_PROJECT, 3, 3);
    e->body.project.id = TXT(PROJECT_ID);
    e->body.project.name = TXT(PROJECT_NAME);
    e->body.project.has_kind = true;
    e->body.project.kind = TXT(PROJECT_KIND);
}

void doc_project(doc *d)
{
    env_doc(d, ENTRY_PROJECT, 3, 3);
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
    env_make(e, ENTRY_CONTRIBUTION, 300, 4);
    body_contribution *c = &e->body.contribution;
    c->project = TXT(PROJECT_ID);
    c->round = TXT(ROUND);
    c->amount_fen = CONTRIB_FEN;
    c->has_program = true;
    c->program = TXT(PROGRAM_ID);
}

void doc_contribution(doc *d)
{
    env_doc(d, ENTRY_CONTRIBUTION, 300, 4);
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
    fill32(c->author, author);
    c->index = index;
    fill32(c->leaf, leaf);
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
    env_make(e, ENTRY_MATCH, 24, 5);
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
    env_doc(d, ENTRY_MATCH, 24, 5);
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
    env_make(e, ENTRY_EXIT, 70000, 6);
    e->body.exit.project = TXT(PROJECT_ID);
    e->body.exit.amount_fen = EXIT_FEN;
}

void doc_exit(doc *d)
{
    env_doc(d, ENTRY_EXIT, 70000, 6);
    m_set(&d->body, "project", V_text(d, PROJECT_ID));
    m_set(&d->body, "amount", V_uint(d, (uint64_t)EXIT_FEN));
}

/* ---- the other instruments --------------------------------------------- */

#define POOL_ID "loan-pool-2026"
#define LEASING_ID "leasing-2026"
#define AWARDS_ID "awards-2026"
#define EQUIPMENT "5-axis machining centre \xe4\xba\x94\xe8\xbd\xb4\xe5\x8a\xa0\xe5\xb7\xa5" /* 五轴加工 */
#define POOL_SIZE_FEN INT64_C(10000000000) /* 100,000,000.00 */
#define LOAN_FEN INT64_C(500000000)        /* 5,000,000.00 */
#define PRICE_FEN INT64_C(100000000)       /* 1,000,000.00 */

void make_program_pool(entry *e)
{
    env_make(e, ENTRY_PROGRAM, 2, 2);
    body_program *p = &e->body.program;
    p->id = TXT(POOL_ID);
    p->kind = TXT("pool");
    fill32(p->operator_key, 0x70);
    p->leverage = 10;
    p->share_num = 7;
    p->share_den = 10;
    p->has_size = true;
    p->size_fen = POOL_SIZE_FEN;
}

void doc_program_pool(doc *d)
{
    env_doc(d, ENTRY_PROGRAM, 2, 2);
    m_set(&d->body, "operator", V_bytes(d, 0x70, 32));
    m_set(&d->body, "kind", V_text(d, "pool"));
    m_set(&d->body, "id", V_text(d, POOL_ID));
    m_set(&d->body, "leverage", V_uint(d, 10));
    m_set(&d->body, "share", V_ratio(d, 7, 10));
    m_set(&d->body, "size", V_uint(d, (uint64_t)POOL_SIZE_FEN));
}

void make_program_leasing(entry *e)
{
    env_make(e, ENTRY_PROGRAM, 2, 2);
    body_program *p = &e->body.program;
    p->id = TXT(LEASING_ID);
    p->kind = TXT("leasing");
    fill32(p->operator_key, 0x70);
    p->has_down = true;
    p->down = (pct_range){10, 40};
    p->has_financing = true;
    p->financing = (pct_range){30, 80};
}

void doc_program_leasing(doc *d)
{
    env_doc(d, ENTRY_PROGRAM, 2, 2);
    m_set(&d->body, "financing", V_ratio(d, 30, 80));
    m_set(&d->body, "down", V_ratio(d, 10, 40));
    m_set(&d->body, "operator", V_bytes(d, 0x70, 32));
    m_set(&d->body, "kind", V_text(d, "leasing"));
    m_set(&d->body, "id", V_text(d, LEASING_ID));
}

void make_program_award(entry *e)
{
    env_make(e, ENTRY_PROGRAM, 2, 2);
    body_program *p = &e->body.program;
    p->id = TXT(AWARDS_ID);
    p->kind = TXT("award");
    fill32(p->operator_key, 0x70);
    p->nlevels = 2;
    p->levels_fen[0] = INT64_C(10000000);
    p->levels_fen[1] = INT64_C(50000000);
    p->has_budget = true;
    p->budget_fen = BUDGET_FEN;
}

void doc_program_award(doc *d)
{
    env_doc(d, ENTRY_PROGRAM, 2, 2);
    val levels[2] = {V_uint(d, 10000000), V_uint(d, 50000000)};
    m_set(&d->body, "levels", V_array(d, 2, levels));
    m_set(&d->body, "budget", V_uint(d, (uint64_t)BUDGET_FEN));
    m_set(&d->body, "operator", V_bytes(d, 0x70, 32));
    m_set(&d->body, "kind", V_text(d, "award"));
    m_set(&d->body, "id", V_text(d, AWARDS_ID));
}

static entry_ref ref_make(uint8_t author, uint64_t index, uint8_t leaf)
{
    entry_ref r;
    fill32(r.author, author);
    r.index = index;
    fill32(r.leaf, leaf);
    return r;
}

void ref_dmap(doc *d, dmap *m, uint8_t author, uint64_t index, uint8_t leaf)
{
    memset(m, 0, sizeof *m);
    m_set(m, "author", V_bytes(d, author, 32));
    m_set(m, "index", V_uint(d, index));
    m_set(m, "leaf", V_bytes(d, leaf, 32));
}

static val ref_val(doc *d, uint8_t author, uint64_t index, uint8_t leaf)
{
    dmap m;
    ref_dmap(d, &m, author, index, leaf);
    return V_map(d, &m);
}

void make_deposit(entry *e)
{
    env_make(e, ENTRY_DEPOSIT, 8, 6);
    e->body.deposit = (body_pool_funds){TXT(POOL_ID), POOL_SIZE_FEN};
}

void doc_deposit(doc *d)
{
    env_doc(d, ENTRY_DEPOSIT, 8, 6);
    m_set(&d->body, "program", V_text(d, POOL_ID));
    m_set(&d->body, "amount", V_uint(d, (uint64_t)POOL_SIZE_FEN));
}

void make_withdraw(entry *e)
{
    env_make(e, ENTRY_WITHDRAW, 9, 6);
    e->body.withdraw = (body_pool_funds){TXT(POOL_ID), BUDGET_FEN};
}

void doc_withdraw(doc *d)
{
    env_doc(d, ENTRY_WITHDRAW, 9, 6);
    m_set(&d->body, "program", V_text(d, POOL_ID));
    m_set(&d->body, "amount", V_uint(d, (uint64_t)BUDGET_FEN));
}

void make_loan(entry *e)
{
    env_make(e, ENTRY_LOAN, 2, 7);
    e->body.loan = (body_loan){TXT(POOL_ID), TXT(PROJECT_ID), LOAN_FEN, 36};
}

void doc_loan(doc *d)
{
    env_doc(d, ENTRY_LOAN, 2, 7);
    m_set(&d->body, "term_months", V_uint(d, 36));
    m_set(&d->body, "project", V_text(d, PROJECT_ID));
    m_set(&d->body, "program", V_text(d, POOL_ID));
    m_set(&d->body, "amount", V_uint(d, (uint64_t)LOAN_FEN));
}

void make_guarantee(entry *e)
{
    env_make(e, ENTRY_GUARANTEE, 10, 7);
    e->body.guarantee = (body_guarantee){TXT(POOL_ID), ref_make(0x20, 2, 0x30), LOAN_FEN};
}

void doc_guarantee(doc *d)
{
    env_doc(d, ENTRY_GUARANTEE, 10, 7);
    m_set(&d->body, "program", V_text(d, POOL_ID));
    m_set(&d->body, "loan", ref_val(d, 0x20, 2, 0x30));
    m_set(&d->body, "amount", V_uint(d, (uint64_t)LOAN_FEN));
}

void make_repay(entry *e)
{
    env_make(e, ENTRY_REPAY, 3, 7);
    e->body.repay = (body_repay){ref_make(0xa0, 2, 0x30), CITE1_FEN};
}

void doc_repay(doc *d)
{
    env_doc(d, ENTRY_REPAY, 3, 7);
    m_set(&d->body, "amount", V_uint(d, (uint64_t)CITE1_FEN));
    m_set(&d->body, "loan", ref_val(d, 0xa0, 2, 0x30));
}

void make_default(entry *e)
{
    env_make(e, ENTRY_DEFAULT, 4, 7);
    e->body.loan_default = (body_default){ref_make(0xa0, 2, 0x30), LOAN_FEN - CITE1_FEN};
}

void doc_default(doc *d)
{
    env_doc(d, ENTRY_DEFAULT, 4, 7);
    m_set(&d->body, "loss", V_uint(d, (uint64_t)(LOAN_FEN - CITE1_FEN)));
    m_set(&d->body, "loan", ref_val(d, 0xa0, 2, 0x30));
}

/* 7/10 of the loss 4,800,000.00 */
#define COMPENSATION_FEN ((LOAN_FEN - CITE1_FEN) * 7 / 10)

void make_compensation(entry *e)
{
    env_make(e, ENTRY_COMPENSATION, 11, 7);
    e->body.compensation = (body_compensation){TXT(POOL_ID), ref_make(0x20, 4, 0x60),
                                               COMPENSATION_FEN};
}

void doc_compensation(doc *d)
{
    env_doc(d, ENTRY_COMPENSATION, 11, 7);
    m_set(&d->body, "program", V_text(d, POOL_ID));
    m_set(&d->body, "default", ref_val(d, 0x20, 4, 0x60));
    m_set(&d->body, "amount", V_uint(d, (uint64_t)COMPENSATION_FEN));
}

void make_release(entry *e)
{
    env_make(e, ENTRY_RELEASE, 12, 7);
    e->body.release = (body_release){TXT(POOL_ID), ref_make(0x20, 3, 0x80), CITE1_FEN};
}

void doc_release(doc *d)
{
    env_doc(d, ENTRY_RELEASE, 12, 7);
    m_set(&d->body, "repay", ref_val(d, 0x20, 3, 0x80));
    m_set(&d->body, "program", V_text(d, POOL_ID));
    m_set(&d->body, "amount", V_uint(d, (uint64_t)CITE1_FEN));
}

void make_lease(entry *e)
{
    env_make(e, ENTRY_LEASE, 5, 7);
    e->body.lease = (body_lease){TXT(LEASING_ID), TXT(PROJECT_ID), TXT(EQUIPMENT), PRICE_FEN,
                                 PRICE_FEN / 5, PRICE_FEN * 3 / 5, PRICE_FEN / 5};
}

void doc_lease(doc *d)
{
    env_doc(d, ENTRY_LEASE, 5, 7);
    m_set(&d->body, "program", V_text(d, LEASING_ID));
    m_set(&d->body, "project", V_text(d, PROJECT_ID));
    m_set(&d->body, "equipment", V_text(d, EQUIPMENT));
    m_set(&d->body, "price", V_uint(d, (uint64_t)PRICE_FEN));
    m_set(&d->body, "down", V_uint(d, (uint64_t)(PRICE_FEN / 5)));
    m_set(&d->body, "financing", V_uint(d, (uint64_t)(PRICE_FEN * 3 / 5)));
    m_set(&d->body, "advance", V_uint(d, (uint64_t)(PRICE_FEN / 5)));
}

void make_award(entry *e)
{
    env_make(e, ENTRY_AWARD, 13, 7);
    e->body.award = (body_award){TXT(AWARDS_ID), TXT(PROJECT_ID), INT64_C(10000000), 2026};
}

void doc_award(doc *d)
{
    env_doc(d, ENTRY_AWARD, 13, 7);
    m_set(&d->body, "year", V_uint(d, 2026));
    m_set(&d->body, "project", V_text(d, PROJECT_ID));
    m_set(&d->body, "program", V_text(d, AWARDS_ID));
    m_set(&d->body, "amount", V_uint(d, 10000000));
}

/* Goldens: derived once from entry_encode, then read by hand against the
 * key order of the field tables in entry_fields.c (envelope: v gov net body
 * time type index author; each body as listed there). The goldens from
 * "program-pool" on (the other instruments) were also checked against the
 * document encoder of entry_doc.c, which sorts keys by itself. */
const struct golden goldens[] = {
    {"genesis", make_genesis, doc_genesis,
     "a7" /* map(7) */
     "6176" "01" /* v */
     "63676f76" "00" /* gov */
     "64626f6479" /* body */
       "a3" /* map(3) */
       "62747a" "1901e0" /* tz */
       "646e616d65" /* name */
         "78214369747920636f2d696e766573746d656e74206e6574776f726b20e59088e68a"
         "95"
       "666d656d626572" "69636974792d66756e64" /* member */
     "6474696d65" "1b0000019b8bab0680" /* time */
     "6474797065" "6767656e65736973" /* type */
     "65696e646578" "00" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"member", make_member, doc_member,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "01" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a3" /* map(3) */
       "636b6579" /* key */
         "5820101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f"
       "646e616d65" "6a696e766573746f722d61" /* name */
       "64726f6c65" "68696e766573746f72" /* role */
     "6474696d65" "1b0000019b8babf0e0" /* time */
     "6474797065" "666d656d626572" /* type */
     "65696e646578" "01" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"program", make_program, doc_program,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "02" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a9" /* map(9) */
       "626964" "6f696e6375626174696f6e2d32303236" /* id */
       "63636170" "1a01c9c380" /* cap */
       "646b696e64" "656d61746368" /* kind */
       "65726174696f" "820101" /* ratio */
       "657374617274" "1b0000019b8bab0680" /* start */
       "66627564676574" "1a23c34600" /* budget */
       "686f70657261746f72" /* operator */
         "5820707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f"
       "6b636f756e74657270617274" "81647465616d" /* counterpart */
       "6b77696e646f775f64617973" "18b4" /* window_days */
     "6474696d65" "1b0000019b8bacdb40" /* time */
     "6474797065" "6770726f6772616d" /* type */
     "65696e646578" "02" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"program-min", make_program_min, doc_program_min,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "02" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a7" /* map(7) */
       "626964" "6f696e6375626174696f6e2d32303236" /* id */
       "646b696e64" "656d61746368" /* kind */
       "65726174696f" "820307" /* ratio */
       "657374617274" "1b0000019b8bab0680" /* start */
       "686f70657261746f72" /* operator */
         "5820707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f"
       "6b636f756e74657270617274" "8268696e766573746f72647465616d" /* counterpart */
       "6b77696e646f775f64617973" "190e42" /* window_days */
     "6474696d65" "1b0000019b8bacdb40" /* time */
     "6474797065" "6770726f6772616d" /* type */
     "65696e646578" "02" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"project", make_project, doc_project,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "03" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a3" /* map(3) */
       "626964" "6d61636d652d726f626f74696373" /* id */
       "646b696e64" /* kind */
         "7819696e74656c6c6967656e74206d616e75666163747572696e67"
       "646e616d65" /* name */
         "7741636d6520526f626f7469637320e69cbae599a8e4baba"
     "6474696d65" "1b0000019b8badc5a0" /* time */
     "6474797065" "6770726f6a656374" /* type */
     "65696e646578" "03" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"project-min", make_project_min, doc_project_min,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "03" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a2" /* map(2) */
       "626964" "6d61636d652d726f626f74696373" /* id */
       "646e616d65" /* name */
         "7741636d6520526f626f7469637320e69cbae599a8e4baba"
     "6474696d65" "1b0000019b8badc5a0" /* time */
     "6474797065" "6770726f6a656374" /* type */
     "65696e646578" "03" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"contribution", make_contribution, doc_contribution,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "04" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a4" /* map(4) */
       "65726f756e64" "6473656564" /* round */
       "66616d6f756e74" "1a02faf080" /* amount */
       "6770726f6772616d" "6f696e6375626174696f6e2d32303236" /* program */
       "6770726f6a656374" "6d61636d652d726f626f74696373" /* project */
     "6474696d65" "1b0000019b8cbdaf00" /* time */
     "6474797065" "6c636f6e747269627574696f6e" /* type */
     "65696e646578" "19012c" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"contribution-min", make_contribution_min, doc_contribution_min,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "04" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a3" /* map(3) */
       "65726f756e64" "6473656564" /* round */
       "66616d6f756e74" "1a02faf080" /* amount */
       "6770726f6a656374" "6d61636d652d726f626f74696373" /* project */
     "6474696d65" "1b0000019b8cbdaf00" /* time */
     "6474797065" "6c636f6e747269627574696f6e" /* type */
     "65696e646578" "19012c" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"match", make_match, doc_match,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "05" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a5" /* map(5) */
       "656369746573" /* cites */
         "82a4646c6561665820303132333435363738393a3b3c3d3e3f404142434445464748"
         "494a4b4c4d4e4f65696e64657819012c66616d6f756e741a01312d0066617574686f"
         "725820202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e"
         "3fa4646c6561665820808182838485868788898a8b8c8d8e8f909192939495969798"
         "999a9b9c9d9e9f65696e6465780766616d6f756e741a0098968066617574686f7258"
         "20606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
       "65726f756e64" "6473656564" /* round */
       "66616d6f756e74" "1a01c9c380" /* amount */
       "6770726f6772616d" "6f696e6375626174696f6e2d32303236" /* program */
       "6770726f6a656374" "6d61636d652d726f626f74696373" /* project */
     "6474696d65" "1b0000019b8bc0ff80" /* time */
     "6474797065" "656d61746368" /* type */
     "65696e646578" "1818" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"exit", make_exit, doc_exit,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "06" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a2" /* map(2) */
       "66616d6f756e74" "1b000000e8d4a51000" /* amount */
       "6770726f6a656374" "6d61636d652d726f626f74696373" /* project */
     "6474696d65" "1b0000019c8601f080" /* time */
     "6474797065" "6465786974" /* type */
     "65696e646578" "1a00011170" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"program-pool", make_program_pool, doc_program_pool,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "02" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a6" /* map(6) */
       "626964" "6e6c6f616e2d706f6f6c2d32303236" /* id */
       "646b696e64" "64706f6f6c" /* kind */
       "6473697a65" "1b00000002540be400" /* size */
       "657368617265" "82070a" /* share */
       "686c65766572616765" "0a" /* leverage */
       "686f70657261746f72" /* operator */
         "5820707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f"
     "6474696d65" "1b0000019b8bacdb40" /* time */
     "6474797065" "6770726f6772616d" /* type */
     "65696e646578" "02" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"program-leasing", make_program_leasing, doc_program_leasing,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "02" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a5" /* map(5) */
       "626964" "6c6c656173696e672d32303236" /* id */
       "64646f776e" "820a1828" /* down */
       "646b696e64" "676c656173696e67" /* kind */
       "686f70657261746f72" /* operator */
         "5820707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f"
       "6966696e616e63696e67" "82181e1850" /* financing */
     "6474696d65" "1b0000019b8bacdb40" /* time */
     "6474797065" "6770726f6772616d" /* type */
     "65696e646578" "02" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"program-award", make_program_award, doc_program_award,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "02" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a5" /* map(5) */
       "626964" "6b6177617264732d32303236" /* id */
       "646b696e64" "656177617264" /* kind */
       "66627564676574" "1a23c34600" /* budget */
       "666c6576656c73" "821a009896801a02faf080" /* levels */
       "686f70657261746f72" /* operator */
         "5820707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f"
     "6474696d65" "1b0000019b8bacdb40" /* time */
     "6474797065" "6770726f6772616d" /* type */
     "65696e646578" "02" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"deposit", make_deposit, doc_deposit,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "06" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a2" /* map(2) */
       "66616d6f756e74" "1b00000002540be400" /* amount */
       "6770726f6772616d" "6e6c6f616e2d706f6f6c2d32303236" /* program */
     "6474696d65" "1b0000019b8bb25980" /* time */
     "6474797065" "676465706f736974" /* type */
     "65696e646578" "08" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"withdraw", make_withdraw, doc_withdraw,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "06" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a2" /* map(2) */
       "66616d6f756e74" "1a23c34600" /* amount */
       "6770726f6772616d" "6e6c6f616e2d706f6f6c2d32303236" /* program */
     "6474696d65" "1b0000019b8bb343e0" /* time */
     "6474797065" "687769746864726177" /* type */
     "65696e646578" "09" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"loan", make_loan, doc_loan,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "07" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a4" /* map(4) */
       "66616d6f756e74" "1a1dcd6500" /* amount */
       "6770726f6772616d" "6e6c6f616e2d706f6f6c2d32303236" /* program */
       "6770726f6a656374" "6d61636d652d726f626f74696373" /* project */
       "6b7465726d5f6d6f6e746873" "1824" /* term_months */
     "6474696d65" "1b0000019b8bacdb40" /* time */
     "6474797065" "646c6f616e" /* type */
     "65696e646578" "02" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"guarantee", make_guarantee, doc_guarantee,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "07" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a3" /* map(3) */
       "646c6f616e" /* loan */
         "a3646c6561665820303132333435363738393a3b3c3d3e3f40414243444546474849"
         "4a4b4c4d4e4f65696e6465780266617574686f725820202122232425262728292a2b"
         "2c2d2e2f303132333435363738393a3b3c3d3e3f"
       "66616d6f756e74" "1a1dcd6500" /* amount */
       "6770726f6772616d" "6e6c6f616e2d706f6f6c2d32303236" /* program */
     "6474696d65" "1b0000019b8bb42e40" /* time */
     "6474797065" "6967756172616e746565" /* type */
     "65696e646578" "0a" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"repay", make_repay, doc_repay,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "07" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a2" /* map(2) */
       "646c6f616e" /* loan */
         "a3646c6561665820303132333435363738393a3b3c3d3e3f40414243444546474849"
         "4a4b4c4d4e4f65696e6465780266617574686f725820a0a1a2a3a4a5a6a7a8a9aaab"
         "acadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
       "66616d6f756e74" "1a01312d00" /* amount */
     "6474696d65" "1b0000019b8badc5a0" /* time */
     "6474797065" "657265706179" /* type */
     "65696e646578" "03" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"default", make_default, doc_default,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "07" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a2" /* map(2) */
       "646c6f616e" /* loan */
         "a3646c6561665820303132333435363738393a3b3c3d3e3f40414243444546474849"
         "4a4b4c4d4e4f65696e6465780266617574686f725820a0a1a2a3a4a5a6a7a8a9aaab"
         "acadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
       "646c6f7373" "1a1c9c3800" /* loss */
     "6474696d65" "1b0000019b8baeb000" /* time */
     "6474797065" "6764656661756c74" /* type */
     "65696e646578" "04" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"compensation", make_compensation, doc_compensation,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "07" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a3" /* map(3) */
       "66616d6f756e74" "1a1406f400" /* amount */
       "6764656661756c74" /* default */
         "a3646c6561665820606162636465666768696a6b6c6d6e6f70717273747576777879"
         "7a7b7c7d7e7f65696e6465780466617574686f725820202122232425262728292a2b"
         "2c2d2e2f303132333435363738393a3b3c3d3e3f"
       "6770726f6772616d" "6e6c6f616e2d706f6f6c2d32303236" /* program */
     "6474696d65" "1b0000019b8bb518a0" /* time */
     "6474797065" "6c636f6d70656e736174696f6e" /* type */
     "65696e646578" "0b" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"release", make_release, doc_release,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "07" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a3" /* map(3) */
       "657265706179" /* repay */
         "a3646c6561665820808182838485868788898a8b8c8d8e8f90919293949596979899"
         "9a9b9c9d9e9f65696e6465780366617574686f725820202122232425262728292a2b"
         "2c2d2e2f303132333435363738393a3b3c3d3e3f"
       "66616d6f756e74" "1a01312d00" /* amount */
       "6770726f6772616d" "6e6c6f616e2d706f6f6c2d32303236" /* program */
     "6474696d65" "1b0000019b8bb60300" /* time */
     "6474797065" "6772656c65617365" /* type */
     "65696e646578" "0c" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"lease", make_lease, doc_lease,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "07" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a7" /* map(7) */
       "64646f776e" "1a01312d00" /* down */
       "657072696365" "1a05f5e100" /* price */
       "67616476616e6365" "1a01312d00" /* advance */
       "6770726f6772616d" "6c6c656173696e672d32303236" /* program */
       "6770726f6a656374" "6d61636d652d726f626f74696373" /* project */
       "6965717569706d656e74" /* equipment */
         "7824352d61786973206d616368696e696e672063656e74726520e4ba94e8bdb4e58a"
         "a0e5b7a5"
       "6966696e616e63696e67" "1a03938700" /* financing */
     "6474696d65" "1b0000019b8baf9a60" /* time */
     "6474797065" "656c65617365" /* type */
     "65696e646578" "05" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"award", make_award, doc_award,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "07" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a4" /* map(4) */
       "6479656172" "1907ea" /* year */
       "66616d6f756e74" "1a00989680" /* amount */
       "6770726f6772616d" "6b6177617264732d32303236" /* program */
       "6770726f6a656374" "6d61636d652d726f626f74696373" /* project */
     "6474696d65" "1b0000019b8bb6ed60" /* time */
     "6474797065" "656177617264" /* type */
     "65696e646578" "0d" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
};

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
        break;
    case ENTRY_MEMBER:
        assert_memory_equal(a->body.member.key, b->body.member.key, 32);
        assert_int_equal(a->body.member.role, b->body.member.role);
        text_equal(a->body.member.name, b->body.member.name);
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
