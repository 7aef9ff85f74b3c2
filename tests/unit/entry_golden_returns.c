/* entry_golden_returns.c — golden entries of returns (docs/rules.md
 * "Returns"): exits that state their proceeds (one of 0) and valuation
 * marks (one writing the project off), built both ways (entry_golden.h).
 * Their bytes come from tests/unit/entry_golden_returns.py. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "entry_doc.h"
#include "entry_golden.h"
#include "entry_golden_internal.h"
#include "ledger/entry.h"

static void exit_make(entry *e, uint64_t index, int64_t amount_fen, int64_t proceeds_fen)
{
    golden_env_make(e, ENTRY_EXIT, index, 6);
    e->body.exit.project = TXT(PROJECT_ID);
    e->body.exit.amount_fen = amount_fen;
    e->body.exit.has_proceeds = true;
    e->body.exit.proceeds_fen = proceeds_fen;
}

static void exit_doc(doc *d, uint64_t index, int64_t amount_fen, int64_t proceeds_fen)
{
    golden_env_doc(d, ENTRY_EXIT, index, 6);
    m_set(&d->body, "proceeds", V_uint(d, (uint64_t)proceeds_fen));
    m_set(&d->body, "project", V_text(d, PROJECT_ID));
    m_set(&d->body, "amount", V_uint(d, (uint64_t)amount_fen));
}

void make_exit_proceeds(entry *e) { exit_make(e, 18, 40000000, 70000000); }
void doc_exit_proceeds(doc *d) { exit_doc(d, 18, 40000000, 70000000); }
void make_exit_proceeds_zero(entry *e) { exit_make(e, 19, 10000000, 0); }
void doc_exit_proceeds_zero(doc *d) { exit_doc(d, 19, 10000000, 0); }

static void valuation_make(entry *e, uint64_t index, int64_t value_fen)
{
    golden_env_make(e, ENTRY_VALUATION, index, 6);
    e->body.valuation.project = TXT(PROJECT_ID);
    e->body.valuation.value_fen = value_fen;
}

static void valuation_doc(doc *d, uint64_t index, int64_t value_fen)
{
    golden_env_doc(d, ENTRY_VALUATION, index, 6);
    m_set(&d->body, "project", V_text(d, PROJECT_ID));
    m_set(&d->body, "value", V_uint(d, (uint64_t)value_fen));
}

void make_valuation(entry *e) { valuation_make(e, 20, 450000000); }
void doc_valuation(doc *d) { valuation_doc(d, 20, 450000000); }
void make_valuation_zero(entry *e) { valuation_make(e, 21, 0); }
void doc_valuation_zero(doc *d) { valuation_doc(d, 21, 0); }
