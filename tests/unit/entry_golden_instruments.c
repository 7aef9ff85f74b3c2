/* entry_golden_instruments.c — golden entries of the other instruments
 * (pool, leasing and award programs and their entries), built both ways
 * (entry_golden.h). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "entry_doc.h"
#include "entry_golden.h"
#include "entry_golden_internal.h"
#include "ledger/entry.h"

#define POOL_ID "loan-pool-2026"
#define LEASING_ID "leasing-2026"
#define AWARDS_ID "awards-2026"
#define EQUIPMENT "5-axis machining centre \xe4\xba\x94\xe8\xbd\xb4\xe5\x8a\xa0\xe5\xb7\xa5" /* 五轴加工 */
#define POOL_SIZE_FEN INT64_C(10000000000) /* 100,000,000.00 */
#define LOAN_FEN INT64_C(500000000)        /* 5,000,000.00 */
#define PRICE_FEN INT64_C(100000000)       /* 1,000,000.00 */

void make_program_pool(entry *e)
{
    golden_env_make(e, ENTRY_PROGRAM, 2, 2);
    body_program *p = &e->body.program;
    p->id = TXT(POOL_ID);
    p->kind = TXT("pool");
    golden_fill32(p->operator_key, 0x70);
    p->leverage = 10;
    p->share_num = 7;
    p->share_den = 10;
    p->has_size = true;
    p->size_fen = POOL_SIZE_FEN;
}

void doc_program_pool(doc *d)
{
    golden_env_doc(d, ENTRY_PROGRAM, 2, 2);
    m_set(&d->body, "operator", V_bytes(d, 0x70, 32));
    m_set(&d->body, "kind", V_text(d, "pool"));
    m_set(&d->body, "id", V_text(d, POOL_ID));
    m_set(&d->body, "leverage", V_uint(d, 10));
    m_set(&d->body, "share", V_ratio(d, 7, 10));
    m_set(&d->body, "size", V_uint(d, (uint64_t)POOL_SIZE_FEN));
}

void make_program_leasing(entry *e)
{
    golden_env_make(e, ENTRY_PROGRAM, 2, 2);
    body_program *p = &e->body.program;
    p->id = TXT(LEASING_ID);
    p->kind = TXT("leasing");
    golden_fill32(p->operator_key, 0x70);
    p->has_down = true;
    p->down = (pct_range){10, 40};
    p->has_financing = true;
    p->financing = (pct_range){30, 80};
}

void doc_program_leasing(doc *d)
{
    golden_env_doc(d, ENTRY_PROGRAM, 2, 2);
    m_set(&d->body, "financing", V_ratio(d, 30, 80));
    m_set(&d->body, "down", V_ratio(d, 10, 40));
    m_set(&d->body, "operator", V_bytes(d, 0x70, 32));
    m_set(&d->body, "kind", V_text(d, "leasing"));
    m_set(&d->body, "id", V_text(d, LEASING_ID));
}

void make_program_award(entry *e)
{
    golden_env_make(e, ENTRY_PROGRAM, 2, 2);
    body_program *p = &e->body.program;
    p->id = TXT(AWARDS_ID);
    p->kind = TXT("award");
    golden_fill32(p->operator_key, 0x70);
    p->nlevels = 2;
    p->levels_fen[0] = INT64_C(10000000);
    p->levels_fen[1] = INT64_C(50000000);
    p->has_budget = true;
    p->budget_fen = BUDGET_FEN;
}

void doc_program_award(doc *d)
{
    golden_env_doc(d, ENTRY_PROGRAM, 2, 2);
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
    golden_fill32(r.author, author);
    r.index = index;
    golden_fill32(r.leaf, leaf);
    return r;
}

void ref_dmap(doc *d, dmap *m, uint8_t author, uint64_t index, uint8_t leaf)
{
    memset(m, 0, sizeof *m);
    m_set(m, "author", V_bytes(d, author, 32));
    m_set(m, "index", V_uint(d, index));
    m_set(m, "leaf", V_bytes(d, leaf, 32));
}

val ref_val(doc *d, uint8_t author, uint64_t index, uint8_t leaf)
{
    dmap m;
    ref_dmap(d, &m, author, index, leaf);
    return V_map(d, &m);
}

void make_deposit(entry *e)
{
    golden_env_make(e, ENTRY_DEPOSIT, 8, 6);
    e->body.deposit = (body_pool_funds){TXT(POOL_ID), POOL_SIZE_FEN};
}

void doc_deposit(doc *d)
{
    golden_env_doc(d, ENTRY_DEPOSIT, 8, 6);
    m_set(&d->body, "program", V_text(d, POOL_ID));
    m_set(&d->body, "amount", V_uint(d, (uint64_t)POOL_SIZE_FEN));
}

void make_withdraw(entry *e)
{
    golden_env_make(e, ENTRY_WITHDRAW, 9, 6);
    e->body.withdraw = (body_pool_funds){TXT(POOL_ID), BUDGET_FEN};
}

void doc_withdraw(doc *d)
{
    golden_env_doc(d, ENTRY_WITHDRAW, 9, 6);
    m_set(&d->body, "program", V_text(d, POOL_ID));
    m_set(&d->body, "amount", V_uint(d, (uint64_t)BUDGET_FEN));
}

void make_loan(entry *e)
{
    golden_env_make(e, ENTRY_LOAN, 2, 7);
    e->body.loan = (body_loan){TXT(POOL_ID), TXT(PROJECT_ID), LOAN_FEN, 36};
}

void doc_loan(doc *d)
{
    golden_env_doc(d, ENTRY_LOAN, 2, 7);
    m_set(&d->body, "term_months", V_uint(d, 36));
    m_set(&d->body, "project", V_text(d, PROJECT_ID));
    m_set(&d->body, "program", V_text(d, POOL_ID));
    m_set(&d->body, "amount", V_uint(d, (uint64_t)LOAN_FEN));
}

void make_guarantee(entry *e)
{
    golden_env_make(e, ENTRY_GUARANTEE, 10, 7);
    e->body.guarantee = (body_guarantee){TXT(POOL_ID), ref_make(0x20, 2, 0x30), LOAN_FEN};
}

void doc_guarantee(doc *d)
{
    golden_env_doc(d, ENTRY_GUARANTEE, 10, 7);
    m_set(&d->body, "program", V_text(d, POOL_ID));
    m_set(&d->body, "loan", ref_val(d, 0x20, 2, 0x30));
    m_set(&d->body, "amount", V_uint(d, (uint64_t)LOAN_FEN));
}

void make_repay(entry *e)
{
    golden_env_make(e, ENTRY_REPAY, 3, 7);
    e->body.repay = (body_repay){ref_make(0xa0, 2, 0x30), CITE1_FEN};
}

void doc_repay(doc *d)
{
    golden_env_doc(d, ENTRY_REPAY, 3, 7);
    m_set(&d->body, "amount", V_uint(d, (uint64_t)CITE1_FEN));
    m_set(&d->body, "loan", ref_val(d, 0xa0, 2, 0x30));
}

void make_default(entry *e)
{
    golden_env_make(e, ENTRY_DEFAULT, 4, 7);
    e->body.loan_default = (body_default){ref_make(0xa0, 2, 0x30), LOAN_FEN - CITE1_FEN};
}

void doc_default(doc *d)
{
    golden_env_doc(d, ENTRY_DEFAULT, 4, 7);
    m_set(&d->body, "loss", V_uint(d, (uint64_t)(LOAN_FEN - CITE1_FEN)));
    m_set(&d->body, "loan", ref_val(d, 0xa0, 2, 0x30));
}

/* 7/10 of the loss 4,800,000.00 */
#define COMPENSATION_FEN ((LOAN_FEN - CITE1_FEN) * 7 / 10)

void make_compensation(entry *e)
{
    golden_env_make(e, ENTRY_COMPENSATION, 11, 7);
    e->body.compensation = (body_compensation){TXT(POOL_ID), ref_make(0x20, 4, 0x60),
                                               COMPENSATION_FEN};
}

void doc_compensation(doc *d)
{
    golden_env_doc(d, ENTRY_COMPENSATION, 11, 7);
    m_set(&d->body, "program", V_text(d, POOL_ID));
    m_set(&d->body, "default", ref_val(d, 0x20, 4, 0x60));
    m_set(&d->body, "amount", V_uint(d, (uint64_t)COMPENSATION_FEN));
}

void make_release(entry *e)
{
    golden_env_make(e, ENTRY_RELEASE, 12, 7);
    e->body.release = (body_release){TXT(POOL_ID), ref_make(0x20, 3, 0x80), CITE1_FEN};
}

void doc_release(doc *d)
{
    golden_env_doc(d, ENTRY_RELEASE, 12, 7);
    m_set(&d->body, "repay", ref_val(d, 0x20, 3, 0x80));
    m_set(&d->body, "program", V_text(d, POOL_ID));
    m_set(&d->body, "amount", V_uint(d, (uint64_t)CITE1_FEN));
}

void make_lease(entry *e)
{
    golden_env_make(e, ENTRY_LEASE, 5, 7);
    e->body.lease = (body_lease){TXT(LEASING_ID), TXT(PROJECT_ID), TXT(EQUIPMENT), PRICE_FEN,
                                 PRICE_FEN / 5, PRICE_FEN * 3 / 5, PRICE_FEN / 5};
}

void doc_lease(doc *d)
{
    golden_env_doc(d, ENTRY_LEASE, 5, 7);
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
    golden_env_make(e, ENTRY_AWARD, 13, 7);
    e->body.award = (body_award){TXT(AWARDS_ID), TXT(PROJECT_ID), INT64_C(10000000), 2026};
}

void doc_award(doc *d)
{
    golden_env_doc(d, ENTRY_AWARD, 13, 7);
    m_set(&d->body, "year", V_uint(d, 2026));
    m_set(&d->body, "project", V_text(d, PROJECT_ID));
    m_set(&d->body, "program", V_text(d, AWARDS_ID));
    m_set(&d->body, "amount", V_uint(d, 10000000));
}
