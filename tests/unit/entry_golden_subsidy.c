/* entry_golden_subsidy.c — golden entries of certification and subsidies
 * (R-CERT, R-SUBSIDY, R-AWARD.5): a subsidy program, an award program that
 * requires certification, certifications of two kinds, a revocation, and
 * subsidies of a sale and of a lease, built both ways (entry_golden.h). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "entry_doc.h"
#include "entry_golden.h"
#include "entry_golden_internal.h"
#include "ledger/entry.h"

#define SUBSIDY_ID "first-set-2026"
#define PRODUCT "Welding robot \xe7\x84\x8a\xe6\x8e\xa5\xe6\x9c\xba\xe5\x99\xa8\xe4\xba\xba" /* 焊接机器人 */
#define UNIT_CAP_FEN INT64_C(500000000)       /* 5,000,000.00 */
#define RECIPIENT_CAP_FEN INT64_C(1000000000) /* 10,000,000.00 */
#define CERT_PRICE_FEN INT64_C(120000000)     /* 1,200,000.00 */
#define YEAR_MS (UINT64_C(365) * 86400000)

void make_program_subsidy(entry *e)
{
    golden_env_make(e, ENTRY_PROGRAM, 3, 3);
    body_program *p = &e->body.program;
    p->id = TXT(SUBSIDY_ID);
    p->kind = TXT("subsidy");
    golden_fill32(p->operator_key, 0x70);
    p->basis = CERT_FIRST_SET;
    p->share_num = 3;
    p->share_den = 10;
    p->has_cap = true;
    p->cap_fen = UNIT_CAP_FEN;
    p->has_recipient_cap = true;
    p->recipient_cap_fen = RECIPIENT_CAP_FEN;
    p->has_budget = true;
    p->budget_fen = BUDGET_FEN;
}

void doc_program_subsidy(doc *d)
{
    golden_env_doc(d, ENTRY_PROGRAM, 3, 3);
    m_set(&d->body, "recipient_cap", V_uint(d, (uint64_t)RECIPIENT_CAP_FEN));
    m_set(&d->body, "share", V_ratio(d, 3, 10));
    m_set(&d->body, "basis", V_text(d, "first-set"));
    m_set(&d->body, "operator", V_bytes(d, 0x70, 32));
    m_set(&d->body, "budget", V_uint(d, (uint64_t)BUDGET_FEN));
    m_set(&d->body, "cap", V_uint(d, (uint64_t)UNIT_CAP_FEN));
    m_set(&d->body, "kind", V_text(d, "subsidy"));
    m_set(&d->body, "id", V_text(d, SUBSIDY_ID));
}

void make_program_award_certified(entry *e)
{
    make_program_award(e);
    e->body.program.has_requires = true;
    e->body.program.requires = CERT_DEMONSTRATION;
}

void doc_program_award_certified(doc *d)
{
    doc_program_award(d);
    m_set(&d->body, "requires", V_text(d, "demonstration"));
}

void make_certify(entry *e)
{
    golden_env_make(e, ENTRY_CERTIFY, 15, 15);
    body_certify *b = &e->body.certify;
    b->kind = CERT_FIRST_SET;
    b->project = TXT(PROJECT_ID);
    b->has_product = b->has_price = b->has_until = true;
    b->product = TXT(PRODUCT);
    b->price_fen = CERT_PRICE_FEN;
    b->from = T0_MS;
    b->until = T0_MS + YEAR_MS;
}

void doc_certify(doc *d)
{
    golden_env_doc(d, ENTRY_CERTIFY, 15, 15);
    m_set(&d->body, "until", V_uint(d, T0_MS + YEAR_MS));
    m_set(&d->body, "project", V_text(d, PROJECT_ID));
    m_set(&d->body, "product", V_text(d, PRODUCT));
    m_set(&d->body, "price", V_uint(d, (uint64_t)CERT_PRICE_FEN));
    m_set(&d->body, "kind", V_text(d, "first-set"));
    m_set(&d->body, "from", V_uint(d, T0_MS));
}

void make_certify_demonstration(entry *e)
{
    golden_env_make(e, ENTRY_CERTIFY, 16, 16);
    body_certify *b = &e->body.certify;
    b->kind = CERT_DEMONSTRATION;
    b->project = TXT(PROJECT_ID);
    b->has_year = b->has_batch = true;
    b->year = 2026;
    b->batch = 2;
    b->from = T0_MS;
}

void doc_certify_demonstration(doc *d)
{
    golden_env_doc(d, ENTRY_CERTIFY, 16, 16);
    m_set(&d->body, "project", V_text(d, PROJECT_ID));
    m_set(&d->body, "batch", V_uint(d, 2));
    m_set(&d->body, "year", V_uint(d, 2026));
    m_set(&d->body, "kind", V_text(d, "demonstration"));
    m_set(&d->body, "from", V_uint(d, T0_MS));
}

void make_revoke(entry *e)
{
    golden_env_make(e, ENTRY_REVOKE, 17, 17);
    e->body.revoke = (body_revoke){15, T0_MS + YEAR_MS / 2};
}

void doc_revoke(doc *d)
{
    golden_env_doc(d, ENTRY_REVOKE, 17, 17);
    m_set(&d->body, "certification", V_uint(d, 15));
    m_set(&d->body, "at", V_uint(d, T0_MS + YEAR_MS / 2));
}

void make_subsidy(entry *e)
{
    golden_env_make(e, ENTRY_SUBSIDY, 14, 16);
    body_subsidy *b = &e->body.subsidy;
    b->program = TXT(SUBSIDY_ID);
    b->project = TXT(PROJECT_ID);
    b->certification = 15;
    b->units = 2;
    b->price_fen = 2 * CERT_PRICE_FEN;
    b->amount_fen = 2 * CERT_PRICE_FEN * 3 / 10;
    b->has_sale = true;
    b->sale = TXT("INV-2026-001");
}

void doc_subsidy(doc *d)
{
    golden_env_doc(d, ENTRY_SUBSIDY, 14, 16);
    m_set(&d->body, "certification", V_uint(d, 15));
    m_set(&d->body, "project", V_text(d, PROJECT_ID));
    m_set(&d->body, "program", V_text(d, SUBSIDY_ID));
    m_set(&d->body, "amount", V_uint(d, (uint64_t)(2 * CERT_PRICE_FEN * 3 / 10)));
    m_set(&d->body, "units", V_uint(d, 2));
    m_set(&d->body, "price", V_uint(d, (uint64_t)(2 * CERT_PRICE_FEN)));
    m_set(&d->body, "sale", V_text(d, "INV-2026-001"));
}

void make_subsidy_lease(entry *e)
{
    golden_env_make(e, ENTRY_SUBSIDY, 15, 16);
    body_subsidy *b = &e->body.subsidy;
    b->program = TXT(SUBSIDY_ID);
    b->project = TXT(PROJECT_ID);
    b->certification = 15;
    b->units = 1;
    b->price_fen = CERT_PRICE_FEN;
    b->amount_fen = CERT_PRICE_FEN / 10;
    b->has_lease = true;
    golden_fill32(b->lease.author, 0x20);
    b->lease.index = 5;
    golden_fill32(b->lease.leaf, 0x30);
}

void doc_subsidy_lease(doc *d)
{
    dmap m;
    golden_env_doc(d, ENTRY_SUBSIDY, 15, 16);
    ref_dmap(d, &m, 0x20, 5, 0x30);
    m_set(&d->body, "lease", V_map(d, &m));
    m_set(&d->body, "certification", V_uint(d, 15));
    m_set(&d->body, "project", V_text(d, PROJECT_ID));
    m_set(&d->body, "program", V_text(d, SUBSIDY_ID));
    m_set(&d->body, "amount", V_uint(d, (uint64_t)(CERT_PRICE_FEN / 10)));
    m_set(&d->body, "units", V_uint(d, 1));
    m_set(&d->body, "price", V_uint(d, (uint64_t)CERT_PRICE_FEN));
}
